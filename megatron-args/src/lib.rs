//! Typed per-role training arguments on top of one shared command line.
//!
//! A PPO trainer's actor and critic share almost every argument (topology,
//! placement, data) but need a few of their own: a learning rate, checkpoint
//! paths, warmup. `megatron-args` reads a slime-compatible role-config file of
//! per-role overrides, checks every key and value against the argument
//! struct's types when the file is loaded (all problems at once, each with
//! file, line and column), and resolves one complete, typed copy of the
//! struct per active role.
//!
//! ```
//! use clap::Parser;
//! use megatron_args::{MegatronArgs, PpoRole, RoleConfig};
//!
//! #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
//! struct TrainArgs {
//!     /// Learning rate.
//!     #[arg(long, default_value_t = 1e-6)]
//!     lr: f64,
//!     /// Checkpoint output directory.
//!     #[arg(long)]
//!     save: Option<std::path::PathBuf>,
//!     /// Tensor-parallel size: every role must agree.
//!     #[arg(long, default_value_t = 1)]
//!     #[topology]
//!     tensor_model_parallel_size: u32,
//!     /// Critic nodes: placement always follows the command line.
//!     #[arg(long, default_value_t = 1)]
//!     #[placement]
//!     critic_num_nodes: u32,
//!     /// KL coefficient: the critic never uses a KL term.
//!     #[arg(long, default_value_t = 0.0)]
//!     #[megatron(role_forced(critic = 0.0))]
//!     kl_coef: f64,
//!     /// The role-config file itself: shared, never overridden.
//!     #[arg(long)]
//!     #[megatron(skip)]
//!     megatron_config_path: Option<std::path::PathBuf>,
//! }
//!
//! let baseline = TrainArgs::parse_from(["train", "--lr", "2e-6", "--kl-coef", "0.05"]);
//! let config = RoleConfig::<TrainArgs>::from_str(
//!     r#"
//! megatron:
//!   - role: actor
//!     overrides:
//!       save: /ckpt/actor
//!   - role: critic
//!     overrides:
//!       lr: "1e-5"        # a YAML 1.1 string: accepted for a number
//!       save: /ckpt/critic
//! "#,
//!     "megatron_ppo.yaml",
//! )?;
//! let resolved = config.resolve(&baseline, &[PpoRole::Actor, PpoRole::Critic])?;
//!
//! let critic = resolved.get(PpoRole::Critic).unwrap();
//! assert_eq!(critic.lr, 1e-5);
//! assert_eq!(critic.kl_coef, 0.0); // role_forced
//! assert_eq!(resolved.get(PpoRole::Actor).unwrap().lr, 2e-6); // the command line
//!
//! // A mistake is reported at load time, with its place in the file.
//! let err = RoleConfig::<TrainArgs>::from_str("megatron:\n  - role: critic\n    overrides: {lr: fast}\n", "bad.yaml")
//!     .unwrap_err();
//! assert!(err.to_string().contains("bad.yaml:3:21"));
//! # Ok::<(), megatron_args::Error>(())
//! ```
//!
//! The pipeline, in the order a trainer meets it: [`RoleConfig`] loads and
//! checks the file (or typed overrides); [`RoleConfig::resolve`], or the
//! one-call [`resolve`], gives a [`Resolved`] with each role's arguments,
//! borrowed or by value; an [`Error`] holds every [`Problem`] as data, each
//! with its [`Location`], and draws them rustc-style; [`json_schema`],
//! [`template`] and [`to_argv`] export the struct and its roles. Values
//! cross between the file and the fields as [`Value`]s ([`ArgValue`]).
//!
//! Every attribute of `#[derive(MegatronArgs)]` and `#[derive(Role)]`, and
//! a field type of your own, each with a runnable example: [`attributes`].
//!
//! # Features
//!
//! - `clap` (default): the clap integration. The argument's own clap value
//!   parser checks file values (a range, a set of allowed values), [`to_argv`]
//!   writes a role's command line, and `clap::ValueEnum` field types convert
//!   without more code. Off, the runtime builds without clap, for a struct
//!   without clap derives.
//! - `miette`: `miette::Diagnostic` for [`Problem`] and [`Error`], with the
//!   file's text and labelled spans, for programs that report through miette.
//!
//! # Stability
//!
//! The structs and enums that may grow are `#[non_exhaustive]`: match their
//! enums with a `_` arm ([`PpoRole`] is the exception: PPO has exactly two
//! roles); the structs users build have constructors
//! ([`LoadOptions::new`], [`Problem::new`], [`Note::new`],
//! [`TypeMismatch::new`]); the others are read-only. Items marked
//! `#[doc(hidden)]` (`__private`, the traits' `__` methods) are for the
//! derive's generated code and are not part of the API.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Lets the derive's `::megatron_args::...` paths resolve inside this crate.
extern crate self as megatron_args;

// The floor plan, one line a folder: what it holds, and what it may use.
// No file imports from a file above it (`scripts/layers.py`, run by CI,
// fails on an import circle or a file over 1,000 lines).
//
// - `model/`: values and conversions, the field table, problems and
//   provenance, role sets, the `MegatronArgs` trait and its schema, the
//   per-role rules, in layers (its `mod.rs` has the table). Uses nothing
//   else of the crate; what the layers above add reaches it through the
//   hooks of `model/args/hooks.rs`.
// - `clap_adapter/` (feature `clap`): the struct's clap command, each
//   field's argument and value parser, the command line written back, clap's
//   relations. Uses `model/`.
// - `reading/`: the YAML file (`yaml/`, the only module that parses YAML)
//   and the command line, into a checked `RoleConfig`. Uses `model/`.
// - `resolving/`: one typed copy of the struct per role, with provenance.
//   Uses `model/`, `reading/` and `clap_adapter/`.
// - `reporting/`: problems drawn rustc-style (and through miette). Uses
//   `model/`.
// - `exporting/`: JSON Schema, template, logger view, `to_argv`. Uses
//   `model/`, `reading/yaml`, `resolving/` and `clap_adapter/`.
// - `wiring.rs`: the hooks each struct's schema gets, the one place that
//   names the model's rules and the clap adapter together.
mod model;

#[cfg(feature = "clap")]
mod clap_adapter;
mod exporting;
mod reading;
mod reporting;
mod resolving;
mod wiring;

#[cfg(test)]
mod tests;

// The crate README's example runs as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;

#[cfg(feature = "clap")]
#[cfg_attr(docsrs, doc(cfg(feature = "clap")))]
pub use exporting::argv::{to_argv, to_argv_with, ArgvOptions};
pub use exporting::json_schema::{json_schema, JSON_SCHEMA_DIALECT};
pub use exporting::template::template;
pub use megatron_args_derive::{MegatronArgs, MegatronSubcommand, Role};
pub use model::args::{MegatronArgs, Overrides};
pub use model::diagnostic::{Diagnostic, DiagnosticKind, Level};
pub use model::error::{Error, Location, Note, Problem, ProblemKind, Source};
pub use model::field::{CliAction, CliArg, FieldClass, FieldInfo, SECRET_MASK};
pub use model::names::ArgName;
pub use model::provenance::Provenance;
pub use model::relations::{Broken, Checks, Derivation};
pub use model::role::{PpoRole, Role};
pub use model::subcommand::MegatronSubcommand;
pub use model::value::{ArgValue, TypeMismatch, Unwritable, Value, ValueType};
pub use reading::command_line::{CommandLine, COMMAND_LINE_ORIGIN};
pub use reading::config::{FileOverride, LoadOptions, RoleConfig, RoleEntry, MAX_FILE_SIZE, PLACEMENT_KEYS};
pub use reporting::render::Styling;
pub use resolving::resolve::{resolve, resolve_with_command_line, Change, IntoRoles, Resolved, RoleArgs};

/// How the derive converts each field's type to and from a [`Value`]: one
/// [`Codec`](codec::Codec) per kind of conversion, chosen by the derive
/// from the field's type and attributes.
///
/// To make your own type a field type, implement [`ArgValue`] for it (see
/// its example); the codecs are for reading what the derive generates, or
/// for converting values the way the file does:
///
/// ```
/// use megatron_args::codec::{Codec, OptionCodec, Plain, VecCodec};
/// use megatron_args::Value;
///
/// // `Option<Vec<u32>>` as the derive converts it.
/// type EvalAt = OptionCodec<VecCodec<Plain<u32>>>;
/// let list = Value::List(vec![Value::Int(10), Value::String("20".into())]);
/// assert_eq!(EvalAt::decode(&list).unwrap(), Some(vec![10, 20]));
/// assert_eq!(EvalAt::decode(&Value::Null).unwrap(), None);
/// assert_eq!(EvalAt::encode(&Some(vec![10])), Ok(Value::List(vec![Value::Int(10)])));
///
/// let err = EvalAt::decode(&Value::List(vec![Value::Int(-1)])).unwrap_err();
/// assert_eq!(err.path, [0]); // the element at index 0
/// ```
pub mod codec {
    pub use crate::model::value::{
        Codec, EnumCodec, FromStrCodec, OptionCodec, ParseOnlyCodec, Plain, ValueParserCodec, VecCodec,
    };
}

#[doc = include_str!("docs/attributes.md")]
pub mod attributes {}

/// What the derive's generated code uses; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::model::args::hooks::Hooks;
    pub use crate::model::args::schema::{pick, pick_mut, RoleSetOf, Schema, SchemaBuilder};
    pub use crate::model::args::{
        debug_overrides, edit_group, serialize_overrides, set_override, OverrideValues,
    };
    pub use crate::model::names::{GroupNames, HasArgNames, NamesTable};
    pub use crate::model::value::FieldParser;
    pub mod conversion {
        pub use crate::model::conversion::{
            codec, typed, ArgField, CodecToken, NoConversion, Opaque, ParsedField, Probe, SharedField,
            SharedNoConversion, ViaArgValue, ViaFromStr, ViaFromStrOnly, ViaValueEnum, ViaValueParser,
        };
    }
    pub use crate::model::subcommand::{
        GroupNotMegatronArgs, GroupViaMegatronArgs, NotMegatronArgs, NotMegatronSubcommand,
        OptionalGroupNotMegatronArgs, OptionalGroupViaMegatronArgs, SubcommandProbe, ViaMegatronArgs,
        ViaMegatronSubcommand,
    };
    pub use crate::model::subcommand_value::{
        Inline, InlineGroup, Selected, SubcommandArgs, SubcommandField,
    };
    pub use crate::model::value_serde::deserialize_overrides;
    pub use crate::wiring::hooks;
    pub use serde;

    #[cfg(feature = "clap")]
    pub use crate::__clap_command_hook as clap_command_hook;
    #[cfg(feature = "clap")]
    pub use crate::clap_adapter::command::{ClapProbe, CommandOfArgs, CommandOfParser, NoCommand};
    #[cfg(feature = "clap")]
    pub use clap;

    /// Without the `clap` feature the struct has no clap command to hand over.
    #[cfg(not(feature = "clap"))]
    pub use crate::__no_clap_command_hook as clap_command_hook;
}

/// The derive's hook with the `clap` feature off: nothing to generate.
#[cfg(not(feature = "clap"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __no_clap_command_hook {
    ($ty:ty) => {};
}
