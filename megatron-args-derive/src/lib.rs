//! `#[derive(MegatronArgs)]` and `#[derive(Role)]` for
//! [`megatron-args`](https://docs.rs/megatron-args).
//!
//! Use them through `megatron_args`, which re-exports both and whose
//! version this crate must match exactly; every attribute is explained,
//! with a runnable example, in
//! [`megatron_args::attributes`](https://docs.rs/megatron-args/latest/megatron_args/attributes/index.html).
//! Each derive checks its whole input before generating code, and reports
//! every mistake it finds at once, at the attribute or field concerned.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod ast;
mod attr;
mod case;
mod clap_attr;
mod ctxt;
mod expand;
mod metadata;
mod names;
mod subcommand;
mod valid;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

/// Derives `megatron_args::MegatronArgs` for a struct with named fields, and
/// generates `<Struct>Overrides`, its typed per-role overrides.
///
/// Every struct clap_derive accepts derives with nothing more added: a unit
/// struct (a group without arguments), a generic struct (a field table per
/// concrete type, and generic overrides; a field of a type parameter is
/// read by its `value_parser` or through `FromStr`), an optional group
/// (`#[command(flatten)] Option<Group>`), ids and flags given by constants
/// (`#[arg(id = NAME, long)]`, evaluated as clap evaluates them), `()`
/// fields (a flag the struct does not keep). Lifetime parameters are refused.
///
/// Every attribute, with a runnable example:
/// [`megatron_args::attributes`](https://docs.rs/megatron-args/latest/megatron_args/attributes/index.html).
///
/// ```
/// use clap::Parser;
/// use megatron_args::{MegatronArgs, PpoRole};
///
/// #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
/// struct TrainArgs {
///     /// Learning rate.
///     #[arg(long, default_value_t = 1e-6)]
///     #[megatron(role_default(critic = 1e-5))]
///     lr: f64,
///     #[arg(long, default_value_t = 1)]
///     #[topology]
///     tensor_model_parallel_size: u32,
/// }
///
/// let baseline = TrainArgs::parse_from(["train"]);
/// assert_eq!(baseline.for_role(PpoRole::Critic).lr, 1e-5);
/// // The generated typed overrides: a setter per overridable field.
/// let mut actor = baseline.for_role(PpoRole::Actor);
/// actor.apply_overrides(PpoRole::Actor, &TrainArgsOverrides::default().lr(2e-6))?;
/// assert_eq!(actor.lr, 2e-6);
/// # Ok::<(), megatron_args::Error>(())
/// ```
///
/// Struct attributes:
/// - `#[megatron(roles = path::To::Roles)]`: the role set (default
///   `megatron_args::PpoRole`).
/// - `#[megatron(crate = "path")]`: the path of `megatron_args` in generated
///   code, for crates that re-export it.
/// - `#[megatron(overrides = Name)]`: the name of the generated overrides
///   type (default `<Struct>Overrides`); it has the struct's visibility.
/// - `#[megatron(derive_with = path)]`: a derivation
///   `fn(&mut megatron_args::Derivation<'_, Self>)` that fills derived values
///   per role; `#[megatron(check = path)]`: a cross-field check
///   `fn(&mut megatron_args::Checks<'_, Self>)` that reports broken relations
///   naming the arguments involved. Both may be repeated and run in order,
///   for every role, after its specialization and overrides. On a
///   flattened group they run in every struct that flattens it.
///
/// clap's own attributes are read as clap_derive reads them, so a clap struct
/// needs nothing repeated:
/// - `#[command(flatten)]` (or `#[clap(flatten)]`): a flattened group; it
///   derives `MegatronArgs` too, with the same role set.
/// - `#[command(subcommand)]`, `#[arg(skip)]`, `#[arg(skip = EXPR)]`,
///   `#[arg(from_global)]`, `#[command(external_subcommand)]`: not arguments;
///   no entry, no conversion, no bounds: the field follows the baseline.
/// - `#[command(rename_all = "...")]` / `#[arg(rename_all = "...")]`, `id`,
///   `long`, `long = "..."`, `short`, `short = 'x'`, positional arguments
///   (neither `long` nor `short`), `action = ArgAction::...` (else clap's
///   default for the type), `value_delimiter`, `alias`/`aliases`/
///   `visible_alias(es)`, `short_alias(es)`, `value_name`: the field's
///   [`CliArg`](https://docs.rs/megatron-args/latest/megatron_args/struct.CliArg.html) in `Args::fields()`.
/// - `value_enum`: ignored, as clap_derive 4 ignores it for parsing: a
///   `ValueEnum` type converts through `ValueEnum` without it, and on another
///   type (a `bool`) it changes nothing.
/// - Every other clap key is clap's business and ignored.
///
/// Each field's conversion is chosen from its type as clap's `value_parser!`
/// chooses (`Option<T>`, `Vec<T>` and their nesting peeled): a type
/// implementing `megatron_args::ArgValue` (`bool`, every integer type,
/// `NonZero*`, `f32`, `f64`, `char`, `String`, `OsString`, `PathBuf`,
/// `Duration`), else a `clap::ValueEnum`, else `FromStr + Display`. A type
/// with none of these is a compile error at the field saying what to add;
/// shared fields (`#[megatron(skip)]`) need no conversion.
///
/// Field attributes of this derive:
/// - `#[topology]` / `#[placement]` (or `#[megatron(topology)]`,
///   `#[megatron(placement)]`), `#[megatron(skip)]`: the field's class.
/// - `#[megatron(rename = "name", alias = "other")]`: argument names.
/// - `#[megatron(flatten)]`: the older spelling of `#[command(flatten)]`.
/// - `#[megatron(role_default(critic = EXPR))]`,
///   `#[megatron(role_forced(critic = EXPR))]`: role specialization.
/// - `#[megatron(validate = path::to_fn)]`: `fn(&T) -> Result<(), String>`.
/// - `#[megatron(value_enum)]` / `#[megatron(from_str)]`: force the
///   `ValueEnum` or the `FromStr + Display` conversion.
///
/// The generated `<Struct>Names` (`Struct::NAMES`) holds the typed name of
/// every argument (a field per argument, named after the field, and a
/// nested table per flattened group), for hooks that name arguments: a
/// misspelt name is a compile error.
///
/// The generated `<Struct>Overrides` has one setter per overridable field,
/// named after the field, or `set_<field>` when the field's name is that of
/// a trait method the overrides need (`default`, `set`, `entries`, ...),
/// documented with the field's doc comment. Each setter has its field's
/// visibility: a private field of a public struct is overridden only where
/// the field could be assigned (by name, `Overrides::set` checks it as a
/// file key). The values set are kept converted, as the file's are; read
/// them with `Overrides::entries`.
#[proc_macro_derive(MegatronArgs, attributes(megatron, topology, placement))]
pub fn derive_megatron_args(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive_megatron_args(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// Derives `megatron_args::MegatronSubcommand` for a clap `Subcommand` enum,
/// so that `to_argv` writes a struct's `#[command(subcommand)]` field: the
/// variant by clap's name for it (`#[command(name = "...")]` or
/// `name = CONST`, else the variant's name in the enum's `rename_all` case,
/// kebab-case by default), then its arguments: those of the struct it holds,
/// which derives `MegatronArgs`, or the variant's own fields, read with
/// their clap attributes as a struct's fields are (flattened groups and a
/// nested `#[command(subcommand)]` included).
/// A runnable example:
/// [`megatron_args::MegatronSubcommand`](https://docs.rs/megatron-args/latest/megatron_args/trait.MegatronSubcommand.html).
///
/// Every variant shape clap takes compiles; those that cannot be written
/// (a struct or group without `MegatronArgs`, `skip` and
/// `external_subcommand` variants) are errors of `to_argv` naming the
/// variant, when a value holds them.
#[proc_macro_derive(MegatronSubcommand)]
pub fn derive_megatron_subcommand(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    subcommand::derive_megatron_subcommand(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// Derives `megatron_args::Role` and `Display` for a fieldless enum: a role
/// set whose names are the variant names in `snake_case`.
///
/// `Role` requires `Copy + Eq + Ord + Hash + Debug`; derive those yourself
/// (a runnable example: [`megatron_args::Role`](https://docs.rs/megatron-args/latest/megatron_args/trait.Role.html)):
///
/// ```
/// use megatron_args::Role;
///
/// #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Role)]
/// enum Roles {
///     Actor,
///     Critic,
///     #[role(rename = "rm", topology_group = "reward")]
///     RewardModel,
/// }
///
/// assert_eq!(Roles::names(), ["actor", "critic", "rm"]);
/// assert_eq!(Roles::RewardModel.topology_group(), "reward");
/// assert_eq!(Roles::from_name("critic"), Some(Roles::Critic));
/// assert_eq!(Roles::RewardModel.to_string(), "rm");
/// ```
///
/// - `#[role(rename = "name")]` on a variant: its name in the file.
/// - `#[role(topology_group = "group")]` on a variant: roles of one group
///   must agree on topology (all roles share `"default"` otherwise).
/// - `#[role(crate = "path")]` on the enum: the path of `megatron_args`.
/// - `#[role(no_display)]` on the enum: no `Display` impl, for an enum that
///   writes its own (`Display` is otherwise the role's name).
#[proc_macro_derive(Role, attributes(role))]
pub fn derive_role(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive_role(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}
