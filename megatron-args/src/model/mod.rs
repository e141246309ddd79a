//! The shared model every stage speaks: values and their conversions, the
//! field table the derive generates, role sets, and problems as data.
//! Nothing here imports from a stage.

pub(crate) mod args;
#[cfg(feature = "clap")]
pub(crate) mod clap_argv;
#[cfg(feature = "clap")]
pub(crate) mod clap_command;
#[cfg(feature = "clap")]
pub(crate) mod clap_relations;
pub(crate) mod conversion;
pub(crate) mod diagnostic;
pub(crate) mod error;
pub(crate) mod field;
pub(crate) mod location;
pub(crate) mod names;
pub(crate) mod per_type;
pub(crate) mod provenance;
pub(crate) mod relations;
pub(crate) mod role;
pub(crate) mod rules;
pub(crate) mod subcommand;
pub(crate) mod suggest;
pub(crate) mod texts;
pub(crate) mod value;
pub(crate) mod value_checks;
pub(crate) mod value_serde;
