//! Stage 1, reading: the YAML file parsed (behind [`yaml`], the only module
//! that sees the YAML library) and checked against the argument struct
//! ([`config::RoleConfig`]). Imports only the model.

pub(crate) mod command_line;
pub(crate) mod command_line_overrides;
pub(crate) mod config;
pub(crate) mod yaml;
