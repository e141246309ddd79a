//! The clap adapter: what the runtime does with a struct's clap `Command`.
//! Plugged into each struct's schema through the hooks the derive's
//! generated code hands in (see `crate::wiring`); absent without the `clap`
//! feature.
//!
//! - `command`: the struct's command (the derive's `__clap_command_hook!`),
//!   each field's argument, the argument's own value parser run on file
//!   values (SPEC 3.13);
//! - `argv`: a struct's values written as a command line (`to_argv`, and
//!   the relations check);
//! - `relations`: clap's relations between arguments held for every role.

pub(crate) mod argv;
pub(crate) mod command;
pub(crate) mod relations;
