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
use crate::model::subcommand_value::{InlineField, InlineGroup, Selected, SubcommandField};
use crate::model::value::{type_name_shown, ValueType};

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
/// or `name = CONST`, the constant's value, which must be a `&'static str`;
/// else the variant's name in the enum's `rename_all` case, kebab-case by
/// default), followed by its arguments: those of the struct it holds, or
/// its own fields (`Serve { #[arg(long)] port: u16 }`), read with their
/// clap attributes as a struct's are and written against clap's command of
/// the subcommand, nested subcommands and flattened groups included. A unit
/// variant is its name alone; `#[command(flatten)]` variants write the inner
/// enum's. What cannot be written is an error of `to_argv` naming the field
/// and the variant: a struct or group without `MegatronArgs`, a value with no
/// spelling of its own, a subcommand whose command clap's own checks refuse,
/// an `external_subcommand` or `skip` variant.
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

/// A flattened group of an inline variant deriving `MegatronArgs`.
#[doc(hidden)]
pub trait GroupViaMegatronArgs {
    fn group(&self, field: &'static str) -> InlineGroup;
}

impl<T: MegatronArgs> GroupViaMegatronArgs for &SubcommandProbe<'_, T> {
    fn group(&self, _: &'static str) -> InlineGroup {
        InlineGroup(Ok(group_fields(Some(self.0))))
    }
}

/// The fields of group `T`, with their values when the group is held.
fn group_fields<T: MegatronArgs>(group: Option<&T>) -> Vec<InlineField> {
    let schema = T::__schema();
    T::fields()
        .iter()
        .map(|info| InlineField {
            id: info.cli.id.to_string(),
            name: info.name,
            value: group
                .filter(|group| !schema.in_absent_group(group, info.index))
                .map(|group| schema.value(group, info.index)),
            optional: matches!(info.value_type, ValueType::Optional(_)),
        })
        .collect()
}

/// A flattened `Option<Group>` of an inline variant, `Group` deriving
/// `MegatronArgs`: its fields written when it is held, none when it is
/// absent (clap reads it back as absent).
#[doc(hidden)]
pub trait OptionalGroupViaMegatronArgs {
    fn optional_group(&self, field: &'static str) -> InlineGroup;
}

impl<T: MegatronArgs> OptionalGroupViaMegatronArgs for &SubcommandProbe<'_, Option<T>> {
    fn optional_group(&self, _: &'static str) -> InlineGroup {
        InlineGroup(Ok(group_fields(self.0.as_ref())))
    }
}

/// Otherwise the optional group cannot be written.
#[doc(hidden)]
pub trait OptionalGroupNotMegatronArgs {
    fn optional_group(&self, field: &'static str) -> InlineGroup;
}

impl<T> OptionalGroupNotMegatronArgs for SubcommandProbe<'_, T> {
    fn optional_group(&self, field: &'static str) -> InlineGroup {
        InlineGroup(Err((
            field,
            format!(
                "the flattened group `{field}`, `{0}`, does not derive `MegatronArgs`; add it beside `Args`",
                type_name_shown::<T>()
            ),
        )))
    }
}

/// Otherwise the group cannot be written.
#[doc(hidden)]
pub trait GroupNotMegatronArgs {
    fn group(&self, field: &'static str) -> InlineGroup;
}

impl<T> GroupNotMegatronArgs for SubcommandProbe<'_, T> {
    fn group(&self, field: &'static str) -> InlineGroup {
        InlineGroup(Err((
            field,
            format!(
                "the flattened group `{field}`, `{0}`, does not derive `MegatronArgs`; add it beside `Args`",
                type_name_shown::<T>()
            ),
        )))
    }
}
