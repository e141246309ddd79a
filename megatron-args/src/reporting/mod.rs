//! Stage 3, reporting: problems and diagnostics drawn as text for people.
//! The earlier stages produce them as data; this stage only renders (with
//! `annotate-snippets`), or hands the same data to miette.

#[cfg(feature = "miette")]
mod miette;
pub(crate) mod render;
