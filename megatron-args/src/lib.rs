//! Typed per-role training arguments on top of one shared command line.
#![warn(missing_docs)]

// Lets the derive's `::megatron_args::...` paths resolve inside this crate.
extern crate self as megatron_args;

mod args;
mod config;
mod diagnostic;
mod error;
mod resolve;
mod role;
mod schema;
mod suggest;
mod value;
mod value_serde;
mod yaml;

#[cfg(test)]
mod fixture;
#[cfg(test)]
mod runtime_tests;

pub use args::{MegatronArgs, Overrides};
pub use config::{FileOverride, LoadOptions, RoleConfig, RoleEntry, MAX_FILE_SIZE, PLACEMENT_KEYS};
pub use diagnostic::{Diagnostic, DiagnosticKind, Level};
pub use error::{Error, Location, Note, Problem, ProblemKind, Source};
pub use megatron_args_derive::{MegatronArgs, Role};
pub use resolve::{resolve, Change, Provenance, Resolved, RoleArgs};
pub use role::{PpoRole, Role};
pub use schema::{FieldClass, FieldInfo, RoleValueKind};
pub use value::{
    ArgValue, Codec, EnumCodec, FromStrCodec, OptionCodec, Plain, TypeMismatch, Value, ValueType, VecCodec,
};

/// What the derive's generated code uses; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::args::{deserialize_overrides, serialize_overrides};
    pub use crate::schema::{FieldMeta, Schema, SchemaBuilder};
    pub use serde;
    pub use std::sync::OnceLock;
}
