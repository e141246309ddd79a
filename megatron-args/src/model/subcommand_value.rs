//! A struct's `#[command(subcommand)]` field as its derive hands it over:
//! the variant its value holds, by clap's name for it, and what follows the
//! name (see `model/subcommand.rs` for how the derive finds it).

#[cfg(feature = "clap")]
use crate::model::error::Problem;

/// The variant a subcommand value holds. (Without the `clap` feature there
/// is no command line to write it to.)
#[doc(hidden)]
#[cfg_attr(not(feature = "clap"), allow(dead_code))]
pub struct Selected<'a> {
    /// clap's name of the subcommand.
    pub(crate) name: &'static str,
    pub(crate) payload: Payload<'a>,
}

/// What follows the subcommand's name.
#[cfg_attr(not(feature = "clap"), allow(dead_code))]
pub(crate) enum Payload<'a> {
    /// A unit variant: nothing.
    Nothing,
    /// The variant's struct, which writes its own arguments.
    Args(&'a dyn SubcommandArgs),
    /// The variant cannot be written: why.
    Unwritable(String),
}

impl<'a> Selected<'a> {
    /// A unit variant.
    pub fn unit(name: &'static str) -> Self {
        Selected { name, payload: Payload::Nothing }
    }

    /// A variant holding `args` (a struct deriving `MegatronArgs`).
    pub fn args<T: SubcommandArgs>(name: &'static str, args: &'a T) -> Self {
        Selected { name, payload: Payload::Args(args) }
    }

    /// A variant that cannot be written, and why.
    pub fn unwritable(name: &'static str, reason: impl Into<String>) -> Self {
        Selected { name, payload: Payload::Unwritable(reason.into()) }
    }
}

/// The arguments of a subcommand, of any `MegatronArgs` type (which
/// implements it).
#[doc(hidden)]
pub trait SubcommandArgs: Sync {
    /// The arguments as a command line, or what cannot be written.
    #[cfg(feature = "clap")]
    fn write_argv(&self) -> Result<Vec<String>, Vec<Problem>>;
}

/// A struct's subcommand field, as its derive hands it over.
#[doc(hidden)]
#[cfg_attr(not(feature = "clap"), allow(dead_code))]
pub struct SubcommandField<'a> {
    /// The field's name.
    pub(crate) field: &'static str,
    /// The variant held, or why the field cannot be written at all.
    pub(crate) value: Result<Option<Selected<'a>>, String>,
}
