//! Stage 3, reporting: problems and diagnostics drawn as text for people.
//! The earlier stages produce them as data; this stage only renders.

mod render;
