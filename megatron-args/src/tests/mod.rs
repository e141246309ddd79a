//! The runtime's unit tests that need a whole argument struct, on a
//! hand-written fixture. Test-only: left out of the published package.

mod fixture;
mod runtime;
