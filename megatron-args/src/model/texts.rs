//! The texts values were read from, kept for the fields whose type has no
//! spelling of its own (read through `FromStr` alone, or through the
//! argument's own clap value parser), so that such a value is written back
//! exactly: as the file, the command line or clap's `default_value` gave it.

use std::collections::BTreeMap;

use crate::model::args::MegatronArgs;
use crate::model::value::{Unwritable, Value};

/// By field index, the text (a string, or a list of them) each such field's
/// current value was read from. A field that has none was set from Rust
/// code, and cannot be written.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Texts(BTreeMap<usize, Value>);

impl Texts {
    /// No text for any field: the values of a bare struct.
    pub(crate) fn none() -> &'static Texts {
        static NONE: Texts = Texts(BTreeMap::new());
        &NONE
    }

    /// Field `index` now holds the value read from `text`.
    pub(crate) fn read(&mut self, index: usize, text: Value) {
        self.0.insert(index, text);
    }

    /// Field `index` was set from Rust code: its text, if any, is gone.
    pub(crate) fn forget(&mut self, index: usize) {
        self.0.remove(&index);
    }

    /// The value of field `index` of `args`: its own spelling, else the
    /// text it was read from, else why it has neither.
    pub(crate) fn value<A: MegatronArgs>(&self, args: &A, index: usize) -> Result<Value, Unwritable> {
        A::__schema().value(args, index).or_else(|why| self.0.get(&index).cloned().ok_or(why))
    }
}
