//! `#[derive(MegatronArgs)]` and `#[derive(Role)]` for `megatron-args`.
//!
//! Each derive reads its input into a small model (`ast`, `attr`), checks it
//! (`valid`), collecting every error, and only then generates code (`expand`).

#![warn(missing_docs)]

mod ast;
mod attr;
mod case;
mod clap_attr;
mod ctxt;
mod expand;
mod valid;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

/// Derives `megatron_args::MegatronArgs` for a struct with named fields, and
/// generates `<Struct>Overrides`, its typed per-role overrides.
///
/// Struct attributes:
/// - `#[megatron(roles = path::To::Roles)]`: the role set (default
///   `megatron_args::PpoRole`).
/// - `#[megatron(crate = "path")]`: the path of `megatron_args` in generated
///   code, for crates that re-export it.
///
/// Field attributes:
/// - `#[topology]` / `#[placement]` (or `#[megatron(topology)]`,
///   `#[megatron(placement)]`), `#[megatron(skip)]`: the field's class.
/// - `#[megatron(rename = "name", alias = "other")]`: argument names.
/// - `#[megatron(flatten)]`: a nested group deriving `MegatronArgs` with the
///   same role set; its fields count as top-level fields.
/// - `#[megatron(role_default(critic = EXPR))]`,
///   `#[megatron(role_forced(critic = EXPR))]`: role specialization.
/// - `#[megatron(validate = path::to_fn)]`: `fn(&T) -> Result<(), String>`.
/// - `#[megatron(value_enum)]` (or clap's `#[arg(value_enum)]`): convert
///   through `clap::ValueEnum`; `#[megatron(from_str)]`: through `FromStr`
///   and `Display`.
///
/// clap's `#[arg(long = "...")]` gives the field's flag; the doc comment is
/// the field's documentation.
#[proc_macro_derive(MegatronArgs, attributes(megatron, topology, placement))]
pub fn derive_megatron_args(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive_megatron_args(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// Derives `megatron_args::Role` and `Display` for a fieldless enum: a role
/// set whose names are the variant names in `snake_case`.
///
/// `Role` requires `Copy + Eq + Ord + Hash + Debug`; derive those yourself:
///
/// ```ignore
/// #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Role)]
/// enum Roles {
///     Actor,
///     Critic,
///     #[role(rename = "rm", topology_group = "reward")]
///     RewardModel,
/// }
/// ```
///
/// - `#[role(rename = "name")]` on a variant: its name in the file.
/// - `#[role(topology_group = "group")]` on a variant: roles of one group
///   must agree on topology (all roles share `"default"` otherwise).
/// - `#[role(crate = "path")]` on the enum: the path of `megatron_args`.
#[proc_macro_derive(Role, attributes(role))]
pub fn derive_role(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive_role(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}
