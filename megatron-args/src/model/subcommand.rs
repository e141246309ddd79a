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

use std::fmt::Display;

use crate::model::args::MegatronArgs;
use crate::model::conversion::CodecToken;
use crate::model::value::{short_type_name, Codec, Unwritable, Value, ValueType};

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
    /// The variant's own fields.
    Inline(Inline<'a>),
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

    /// A variant holding its arguments as its own fields.
    pub fn inline(name: &'static str, inline: Inline<'a>) -> Self {
        Selected { name, payload: Payload::Inline(inline) }
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
        short_type_name::<T>()
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
                short_type_name::<T>()
            ),
        )
    }
}

/// The arguments of a variant that holds them as its own fields
/// (`Serve { #[arg(long)] port: u16 }`), as the derive hands them over: each
/// with clap's id and its value, flattened groups' fields among them, and
/// the variant's own subcommand field.
#[doc(hidden)]
#[cfg_attr(not(feature = "clap"), allow(dead_code))]
pub struct Inline<'a> {
    pub(crate) fields: Vec<InlineField>,
    /// Parts that cannot be written: (field, why).
    pub(crate) unwritable: Vec<(&'static str, String)>,
    pub(crate) subcommand: Option<Box<SubcommandField<'a>>>,
}

/// One argument of an [`Inline`] variant.
#[cfg_attr(not(feature = "clap"), allow(dead_code))]
pub(crate) struct InlineField {
    /// clap's id of the argument.
    pub(crate) id: String,
    /// The field's argument name, for messages.
    pub(crate) name: &'static str,
    /// `None` for a field of an optional group the value does not hold:
    /// an argument of the command, not written.
    pub(crate) value: Option<Result<Value, Unwritable>>,
    /// Whether the field's type takes `null` (`Option<T>`).
    pub(crate) optional: bool,
}

/// A flattened group of an [`Inline`] variant: its fields, or why they
/// cannot be written.
#[doc(hidden)]
pub struct InlineGroup(Result<Vec<InlineField>, (&'static str, String)>);

#[allow(clippy::new_without_default)]
impl<'a> Inline<'a> {
    pub fn new() -> Self {
        Inline { fields: Vec::new(), unwritable: Vec::new(), subcommand: None }
    }

    /// An argument field `name` of clap id `id`, converted by codec `C`.
    pub fn field<C: Codec>(
        mut self,
        name: &'static str,
        id: impl Display,
        _codec: CodecToken<C>,
        value: &C::Target,
    ) -> Self {
        self.fields.push(InlineField {
            id: id.to_string(),
            name,
            value: Some(C::encode(value)),
            optional: matches!(C::value_type(), ValueType::Optional(_)),
        });
        self
    }

    /// A flattened group's fields.
    pub fn group(mut self, group: InlineGroup) -> Self {
        match group.0 {
            Ok(fields) => self.fields.extend(fields),
            Err(unwritable) => self.unwritable.push(unwritable),
        }
        self
    }

    /// The variant's own `#[command(subcommand)]` field.
    pub fn subcommand(mut self, field: SubcommandField<'a>) -> Self {
        self.subcommand = Some(Box::new(field));
        self
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
                short_type_name::<T>()
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
                short_type_name::<T>()
            ),
        )))
    }
}
