//! The shared model every stage speaks, in layers: each file imports only
//! from the layers below it, and none names the clap adapter (what the
//! layers above add reaches the model through [`args::hooks`]).
//!
//! | layer | files | holds |
//! |---|---|---|
//! | leaves | `suggest`, `per_type`, `role` | did-you-mean, per-type statics, role sets |
//! | values | `value/`, `conversion` | [`value::Value`], conversions, codecs, the derive's codec choice |
//! | fields | `field` | the field table's rows |
//! | problems | `error`, `diagnostic`, `provenance`, `place`, `subcommand_value` | problems and locations, warnings, where a value came from, where an override is written, a subcommand field's value |
//! | the trait and its schema | `args`, `args/`, `texts` | [`args::MegatronArgs`], the field table, the hooks, the texts values were read from |
//! | per-role rules | `rules`, `relations`, `apply`, `value_serde`, `subcommand` | override rules, derivations and checks, typed overrides, their serde, subcommand fields |

pub(crate) mod apply;
pub(crate) mod args;
pub(crate) mod conversion;
pub(crate) mod diagnostic;
pub(crate) mod error;
pub(crate) mod field;
pub(crate) mod location;
pub(crate) mod names;
pub(crate) mod per_type;
pub(crate) mod place;
pub(crate) mod provenance;
pub(crate) mod relations;
pub(crate) mod role;
pub(crate) mod rules;
pub(crate) mod subcommand;
pub(crate) mod subcommand_value;
pub(crate) mod suggest;
pub(crate) mod texts;
pub(crate) mod value;
pub(crate) mod value_serde;
