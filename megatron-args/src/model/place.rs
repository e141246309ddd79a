//! Where an override is, for its problems: a key and a value of a file, a
//! command line's item, or nowhere (typed overrides from Rust).

use crate::model::error::Location;

/// Where an override is, for its problems: nowhere for typed overrides.
pub(crate) trait Place {
    /// The key.
    fn key(&self) -> Option<Location>;
    /// The value, or the list element at `path` inside it.
    fn value(&self, path: &[usize]) -> Option<Location>;
}

/// Typed overrides from Rust have no place in a file.
pub(crate) struct Nowhere;

impl Place for Nowhere {
    fn key(&self) -> Option<Location> {
        None
    }
    fn value(&self, _: &[usize]) -> Option<Location> {
        None
    }
}
