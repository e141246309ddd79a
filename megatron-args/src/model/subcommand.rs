//! A struct's `#[command(subcommand)]` field as the runtime reaches it (a
//! launcher of `trainer train --lr ...`): the variant a value holds, by
//! clap's name for it, and that variant's arguments when they are a struct
//! deriving `MegatronArgs`, which writes them (SPEC 5.2).
//!
//! The field's type is a clap `Subcommand` enum; `MegatronArgs` is never
//! derived on an enum (SPEC 4.6). `#[derive(MegatronSubcommand)]` on the
//! enum implements [`MegatronSubcommand`]: for each variant, clap's name
//! and what it holds. The struct's derive hands the field over through
//! autoref specialization, so an enum without the derive still compiles
//! and its field is an error of `to_argv` that says what to add.

use crate::model::args::MegatronArgs;
use crate::model::value::type_name_shown;

/// A clap `Subcommand` enum whose values megatron-args writes back to a
/// command line, each variant through the struct it holds; implement it
/// with `#[derive(MegatronSubcommand)]` beside clap's `Subcommand`.
///
/// ```
/// use clap::{Args, Parser, Subcommand};
/// use megatron_args::{to_argv, MegatronArgs, MegatronSubcommand};
///
/// #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
/// struct Launcher {
///     #[arg(long, default_value_t = 1)]
///     nodes: u32,
///     #[command(subcommand)]
///     command: Command,
/// }
///
/// #[derive(Subcommand, MegatronSubcommand, Clone, Debug, PartialEq)]
/// enum Command {
///     /// Train a model.
///     Train(TrainArgs),
///     /// Print the resolved configuration.
///     ShowConfig,
/// }
///
/// #[derive(Args, MegatronArgs, Clone, Debug, PartialEq)]
/// struct TrainArgs {
///     #[arg(long, default_value_t = 1e-6)]
///     lr: f64,
/// }
///
/// let launcher = Launcher::parse_from(["launch", "--nodes", "2", "train", "--lr", "1e-5"]);
/// assert_eq!(to_argv(&launcher)?, ["--nodes", "2", "train", "--lr", "1e-5"]);
/// # Ok::<(), megatron_args::Error>(())
/// ```
///
/// A variant is written by clap's name for it (`#[command(name = "...")]`,
/// else the variant's name in the enum's `rename_all` case, kebab-case by
/// default), followed by its struct's arguments. A unit variant is its name
/// alone; `#[command(flatten)]` variants write the inner enum's. What cannot
/// be written is an error of `to_argv` naming the field and the variant: a
/// variant whose arguments are its own fields (`Serve { port: u16 }`: move
/// them into a struct deriving `clap::Args` and `MegatronArgs`), a struct
/// without `MegatronArgs`, an `external_subcommand` or `skip` variant.
pub trait MegatronSubcommand {
    /// The variant held, `None` for no subcommand (`Option<Enum>`).
    #[doc(hidden)]
    fn __selected(&self) -> Option<Selected<'_>>;
}

/// An optional subcommand: none given writes none.
impl<T: MegatronSubcommand> MegatronSubcommand for Option<T> {
    fn __selected(&self) -> Option<Selected<'_>> {
        self.as_ref().and_then(T::__selected)
    }
}

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

    /// A variant holding `args`.
    pub fn args<T: MegatronArgs>(name: &'static str, args: &'a T) -> Self {
        Selected { name, payload: Payload::Args(args) }
    }

    /// A variant that cannot be written, and why.
    pub fn unwritable(name: &'static str, reason: impl Into<String>) -> Self {
        Selected { name, payload: Payload::Unwritable(reason.into()) }
    }
}

/// The arguments of a subcommand, of any `MegatronArgs` type.
pub(crate) trait SubcommandArgs: Sync {
    /// The arguments as a command line, or what cannot be written.
    #[cfg(feature = "clap")]
    fn write_argv(&self) -> Result<Vec<String>, Vec<crate::model::error::Problem>>;
}

impl<T: MegatronArgs> SubcommandArgs for T {
    #[cfg(feature = "clap")]
    fn write_argv(&self) -> Result<Vec<String>, Vec<crate::model::error::Problem>> {
        crate::model::clap_argv::write_command(self)
    }
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

/// The receiver of the autoref specialization on a subcommand field's type
/// (and on a variant's).
#[doc(hidden)]
pub struct SubcommandProbe<'a, T>(pub &'a T);

/// First choice for a subcommand field: its enum derives `MegatronSubcommand`.
#[doc(hidden)]
pub trait ViaMegatronSubcommand<'a> {
    fn subcommand_field(&self, field: &'static str) -> SubcommandField<'a>;
    /// A `#[command(flatten)]` variant's inner enum.
    fn flattened(&self, variant: &'static str) -> Option<Selected<'a>>;
}

impl<'a, T: MegatronSubcommand> ViaMegatronSubcommand<'a> for &SubcommandProbe<'a, T> {
    fn subcommand_field(&self, field: &'static str) -> SubcommandField<'a> {
        SubcommandField { field, value: Ok(self.0.__selected()) }
    }
    fn flattened(&self, _: &'static str) -> Option<Selected<'a>> {
        self.0.__selected()
    }
}

/// Otherwise: the field is there, and cannot be written.
#[doc(hidden)]
pub trait NotMegatronSubcommand<'a> {
    fn subcommand_field(&self, field: &'static str) -> SubcommandField<'a>;
    fn flattened(&self, variant: &'static str) -> Option<Selected<'a>>;
}

impl<'a, T> NotMegatronSubcommand<'a> for SubcommandProbe<'a, T> {
    fn subcommand_field(&self, field: &'static str) -> SubcommandField<'a> {
        SubcommandField { field, value: Err(not_derived::<T>()) }
    }
    fn flattened(&self, variant: &'static str) -> Option<Selected<'a>> {
        Some(Selected::unwritable(variant, not_derived::<T>()))
    }
}

fn not_derived<T>() -> String {
    format!(
        "the subcommand enum `{0}` does not derive `MegatronSubcommand`; add it beside `Subcommand`",
        type_name_shown::<T>()
    )
}

/// First choice for a variant's payload: a struct deriving `MegatronArgs`.
#[doc(hidden)]
pub trait ViaMegatronArgs<'a> {
    fn selected(&self, name: &'static str) -> Selected<'a>;
}

impl<'a, T: MegatronArgs> ViaMegatronArgs<'a> for &SubcommandProbe<'a, T> {
    fn selected(&self, name: &'static str) -> Selected<'a> {
        Selected::args(name, self.0)
    }
}

/// Otherwise the variant's arguments cannot be written.
#[doc(hidden)]
pub trait NotMegatronArgs<'a> {
    fn selected(&self, name: &'static str) -> Selected<'a>;
}

impl<'a, T> NotMegatronArgs<'a> for SubcommandProbe<'a, T> {
    fn selected(&self, name: &'static str) -> Selected<'a> {
        Selected::unwritable(
            name,
            format!(
                "the arguments of subcommand `{name}`, `{0}`, do not derive `MegatronArgs`; add it beside `Args`",
                type_name_shown::<T>()
            ),
        )
    }
}
