//! A struct's `#[command(subcommand)]` field as its derive hands it over:
//! the variant its value holds, by clap's name for it, and what follows the
//! name (see `model/subcommand.rs` for how the derive finds it).

use std::fmt::Display;

use crate::model::conversion::CodecToken;
#[cfg(feature = "clap")]
use crate::model::error::Problem;
use crate::model::value::{Codec, Unwritable, Value, ValueType};

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

    /// A variant holding `args` (a struct deriving `MegatronArgs`).
    pub fn args<T: SubcommandArgs>(name: &'static str, args: &'a T) -> Self {
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

/// The arguments of a subcommand, of any `MegatronArgs` type (which
/// implements it).
#[doc(hidden)]
pub trait SubcommandArgs: Sync {
    /// The arguments as a command line, or what cannot be written.
    #[cfg(feature = "clap")]
    fn write_argv(&self) -> Result<Vec<String>, Vec<Problem>>;
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
pub struct InlineGroup(pub(crate) Result<Vec<InlineField>, (&'static str, String)>);

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
