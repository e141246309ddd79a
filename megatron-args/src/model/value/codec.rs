//! The [`Codec`]s: how the derive converts one field type, chosen per type
//! (the container types `Option` and `Vec` of any of them included), and
//! writing a value back, exactly or not at all ([`Unwritable`]).

use std::fmt;
use std::marker::PhantomData;

use super::{short_type_name, ArgValue, TypeMismatch, Value, ValueType};

impl<T: ArgValue> ArgValue for Option<T> {
    fn value_type() -> ValueType {
        ValueType::Optional(Box::new(T::value_type()))
    }
    fn from_value(value: &Value) -> Result<Self, TypeMismatch> {
        OptionCodec::<Plain<T>>::decode(value)
    }
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::to_value)
    }
}

impl<T: ArgValue> ArgValue for Vec<T> {
    fn value_type() -> ValueType {
        ValueType::List(Box::new(T::value_type()))
    }
    fn from_value(value: &Value) -> Result<Self, TypeMismatch> {
        VecCodec::<Plain<T>>::decode(value)
    }
    fn to_value(&self) -> Value {
        Value::List(self.iter().map(T::to_value).collect())
    }
}

/// How the derive converts one field type; one implementation per kind of
/// conversion, so the generated code stays one line per field.
///
/// Sealed: the derive only ever picks this crate's codecs, so an impl of
/// your own would be accepted by nothing. To convert a type of your own,
/// implement [`ArgValue`] (the derive converts it through [`Plain`]); the
/// codecs can still be called, to convert values as the derive does.
///
/// Writing a value back is fallible: a type read through `FromStr` alone
/// ([`ParseOnlyCodec`]) or through the argument's own clap value parser
/// ([`ValueParserCodec`]) has no spelling of its own to write. Its value
/// is written from the text it was read from (a resolved role keeps it,
/// see [`RoleArgs::value`](crate::RoleArgs::value)); from the value alone,
/// [`Codec::encode`] says why it cannot ([`Unwritable`]).
pub trait Codec: sealed::Sealed + 'static {
    /// The field type.
    type Target: Clone + Send + Sync + 'static;
    /// The type as shown in errors and schemas.
    fn value_type() -> ValueType;
    /// Value to field type.
    fn decode(value: &Value) -> Result<Self::Target, TypeMismatch>;
    /// Field type to value, or why the value has no spelling to write.
    fn encode(target: &Self::Target) -> Result<Value, Unwritable>;
    /// [`Codec::decode`] for a field whose clap argument is `parser`: what
    /// the derive's generated table calls. Only [`ValueParserCodec`] needs
    /// the argument.
    #[doc(hidden)]
    fn __decode(value: &Value, parser: FieldParser) -> Result<Self::Target, TypeMismatch> {
        let _ = parser;
        Self::decode(value)
    }
    /// A value checked by [`Codec::decode`], in the spelling the field keeps:
    /// the value encoded again (`"8"` for an integer field becomes `8`), or,
    /// for a type that cannot be written from its value, the value as given,
    /// which is the text it was read from.
    #[doc(hidden)]
    fn __normalize(value: &Value, parser: FieldParser) -> Result<Value, TypeMismatch> {
        let typed = Self::__decode(value, parser)?;
        Ok(Self::encode(&typed).unwrap_or_else(|_| value.clone()))
    }
}

/// The clap argument of the field being converted, found only when a codec
/// asks for it (a lookup per struct, not per field).
#[doc(hidden)]
#[derive(Clone, Copy, Default)]
pub struct FieldParser {
    #[cfg(feature = "clap")]
    field: usize,
    #[cfg(feature = "clap")]
    parser: Option<ArgParser>,
}

/// The clap adapter's reach into a struct's arguments, for
/// [`ValueParserCodec`]: the argument of each field, and an argument's value
/// parser run on a text.
#[cfg(feature = "clap")]
#[derive(Clone, Copy)]
pub(crate) struct ArgParser {
    /// The clap argument of field `index`, if it is one.
    pub(crate) arg_of: fn(index: usize) -> Option<&'static clap::Arg>,
    /// The argument's value parser run on `text`, as the command line runs
    /// it: its typed value is under [`ArgParser::VALUE`], or clap's reason
    /// for refusing the text.
    pub(crate) parse: fn(arg: &'static clap::Arg, text: &str) -> Result<clap::ArgMatches, String>,
}

#[cfg(feature = "clap")]
impl ArgParser {
    /// The id of the parsed value in the matches [`ArgParser::parse`] gives.
    pub(crate) const VALUE: &'static str = "value";
}

impl FieldParser {
    /// Field `field` of a struct whose arguments `parser` reaches.
    #[cfg(feature = "clap")]
    pub(crate) fn new(field: usize, parser: ArgParser) -> Self {
        FieldParser { field, parser: Some(parser) }
    }

    /// The field's argument's value parser run on `text`, and its typed
    /// value (clap's `AnyValue`, taken as a `T`), or clap's reason for
    /// refusing the text; `None` when the field has no clap argument.
    #[cfg(feature = "clap")]
    fn parse_typed<T: Clone + Send + Sync + 'static>(self, text: &str) -> Option<Result<T, String>> {
        let parser = self.parser?;
        let arg = (parser.arg_of)(self.field)?;
        Some((parser.parse)(arg, text).and_then(|mut matches| {
            match matches.try_remove_one::<T>(ArgParser::VALUE) {
                Ok(Some(value)) => Ok(value),
                Ok(None) => Err("the value parser gave no value".to_string()),
                // The parser gives another type than the field's (`Vec<T>` for
                // an argument clap reads as `T` is peeled already).
                Err(err) => Err(format!(
                    "the argument's value parser does not give a `{}`: {err}",
                    std::any::type_name::<T>()
                )),
            }
        }))
    }
}

/// Why a field's value cannot be written back as a [`Value`]: its type has
/// no spelling of its own (it implements `FromStr` but not `Display`, or
/// only the argument's own clap value parser reads it), and the value was
/// not read from a text that could be written instead (it was set from
/// Rust code: `role_default`, `role_forced`, a derivation, a typed setter,
/// or a struct built without a record of its text).
///
/// ```
/// use megatron_args::codec::{Codec, ParseOnlyCodec};
///
/// #[derive(Clone, Debug, PartialEq)]
/// enum SplitMode { Layer, Row }
/// impl std::str::FromStr for SplitMode {
///     type Err = String;
///     fn from_str(s: &str) -> Result<Self, String> {
///         match s { "layer" => Ok(SplitMode::Layer), "row" => Ok(SplitMode::Row), _ => Err(format!("bad mode {s}")) }
///     }
/// }
/// let row = ParseOnlyCodec::<SplitMode>::decode(&"row".into()).unwrap();
/// assert_eq!(row, SplitMode::Row);
/// let why = ParseOnlyCodec::<SplitMode>::encode(&row).unwrap_err();
/// assert_eq!(why.type_name, "SplitMode");
/// assert!(why.to_string().contains("implements `FromStr` but not `Display`"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Unwritable {
    /// The field's type (`SplitMode`).
    pub type_name: &'static str,
    /// Why the type has no spelling of its own.
    pub reason: &'static str,
}

impl Unwritable {
    fn of<T>(reason: &'static str) -> Self {
        Unwritable { type_name: short_type_name::<T>(), reason }
    }
}

impl fmt::Display for Unwritable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` {}, and this value was not read from a text to write instead",
            self.type_name, self.reason
        )
    }
}

impl std::error::Error for Unwritable {}

/// The seal of [`Codec`]: public in a private module, so that no other
/// crate can name it.
pub(crate) mod sealed {
    /// Implemented by this crate's codecs only.
    pub trait Sealed {}
}

/// Converts through [`ArgValue`].
pub struct Plain<T>(PhantomData<fn() -> T>);

impl<T> sealed::Sealed for Plain<T> {}
impl<T> sealed::Sealed for EnumCodec<T> {}
impl<T> sealed::Sealed for FromStrCodec<T> {}
impl<C> sealed::Sealed for OptionCodec<C> {}
impl<C> sealed::Sealed for VecCodec<C> {}

impl<T: ArgValue> Codec for Plain<T> {
    type Target = T;
    fn value_type() -> ValueType {
        T::value_type()
    }
    fn decode(value: &Value) -> Result<T, TypeMismatch> {
        T::from_value(value)
    }
    fn encode(target: &T) -> Result<Value, Unwritable> {
        Ok(target.to_value())
    }
}

/// Converts a clap `ValueEnum` through its possible-value names (with the
/// `clap` feature).
pub struct EnumCodec<T>(PhantomData<fn() -> T>);

#[cfg(feature = "clap")]
#[cfg_attr(docsrs, doc(cfg(feature = "clap")))]
impl<T: clap::ValueEnum + Clone + Send + Sync + 'static> Codec for EnumCodec<T> {
    type Target = T;
    fn value_type() -> ValueType {
        ValueType::Choice(
            T::value_variants()
                .iter()
                .filter_map(|v| v.to_possible_value())
                .filter(|p| !p.is_hide_set())
                .map(|p| p.get_name().to_string())
                .collect(),
        )
    }
    fn decode(value: &Value) -> Result<T, TypeMismatch> {
        let Value::String(text) = value else {
            return Err(TypeMismatch::new(Self::value_type(), value));
        };
        T::value_variants()
            .iter()
            .find(|v| v.to_possible_value().is_some_and(|p| p.matches(text, false)))
            .cloned()
            .ok_or_else(|| {
                let ValueType::Choice(choices) = Self::value_type() else {
                    unreachable!("EnumCodec describes itself as a choice")
                };
                let mut mismatch = TypeMismatch::new(Self::value_type(), value);
                if let Some(best) = crate::model::suggest::closest(text, choices.iter().map(String::as_str)) {
                    mismatch = mismatch.with_help(format!("did you mean `{best}`?"));
                }
                mismatch
            })
    }
    fn encode(target: &T) -> Result<Value, Unwritable> {
        match target.to_possible_value() {
            Some(p) => Ok(Value::String(p.get_name().to_string())),
            // A variant marked `#[value(skip)]`: clap has no name for it.
            None => Err(Unwritable::of::<T>("has no clap value name for this variant (`#[value(skip)]`)")),
        }
    }
}

/// Converts through `FromStr` and `Display` (`#[megatron(from_str)]`).
pub struct FromStrCodec<T>(PhantomData<fn() -> T>);

impl<T> Codec for FromStrCodec<T>
where
    T: std::str::FromStr + fmt::Display + Clone + Send + Sync + 'static,
    T::Err: fmt::Display,
{
    type Target = T;
    fn value_type() -> ValueType {
        ValueType::Other(format!("a `{}` string", short_type_name::<T>()))
    }
    fn decode(value: &Value) -> Result<T, TypeMismatch> {
        parse_scalar(value, Self::value_type())
    }
    fn encode(target: &T) -> Result<Value, Unwritable> {
        Ok(Value::String(target.to_string()))
    }
}

/// A scalar's text parsed with `FromStr`, as clap parses an argument.
fn parse_scalar<T>(value: &Value, expected: ValueType) -> Result<T, TypeMismatch>
where
    T: std::str::FromStr,
    T::Err: fmt::Display,
{
    let text = scalar_text(value, &expected)?;
    text.parse::<T>().map_err(|e| TypeMismatch::new(expected, value).with_help(e.to_string()))
}

/// The text of a scalar, as a command-line argument would give it.
fn scalar_text(value: &Value, expected: &ValueType) -> Result<String, TypeMismatch> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => Ok(value.to_string()),
        _ => Err(TypeMismatch::new(expected, value)),
    }
}

/// Converts a type that only the argument's own clap value parser reads
/// (`#[arg(value_parser = parse_lora)]`, a type with neither `FromStr` nor
/// `ValueEnum`): the file's text is parsed by that parser, exactly as on the
/// command line, and clap's typed value is the field's. Like
/// [`ParseOnlyCodec`], a value is written back only from the text it was
/// read from.
pub struct ValueParserCodec<T>(PhantomData<fn() -> T>);

impl<T> sealed::Sealed for ValueParserCodec<T> {}

impl<T: Clone + Send + Sync + 'static> Codec for ValueParserCodec<T> {
    type Target = T;
    fn value_type() -> ValueType {
        ValueType::Other(format!(
            "a `{}` string (read by the argument's value parser)",
            short_type_name::<T>()
        ))
    }
    /// Without the field's clap argument there is no parser to run: an error.
    fn decode(value: &Value) -> Result<T, TypeMismatch> {
        Self::__decode(value, FieldParser::default())
    }
    fn encode(_: &T) -> Result<Value, Unwritable> {
        Err(Unwritable::of::<T>("is read only by its argument's own value parser"))
    }
    fn __decode(value: &Value, parser: FieldParser) -> Result<T, TypeMismatch> {
        let text = scalar_text(value, &Self::value_type())?;
        #[cfg(feature = "clap")]
        if let Some(parsed) = parser.parse_typed::<T>(&text) {
            return parsed.map_err(|reason| TypeMismatch::new(Self::value_type(), value).with_help(reason));
        }
        let _ = (text, parser);
        Err(TypeMismatch::new(Self::value_type(), value).with_help(
            "only the argument's own clap value parser reads this type, and the field has no clap argument here \
             (megatron-args' `clap` feature is off, or the struct is not a clap `Parser`/`Args`)",
        ))
    }
}

/// Converts through `FromStr` alone, for a type without `Display` (as clap
/// needs nothing more to parse it). The value is read from the file's text;
/// it is written back only from that text ([`Codec::encode`] is an
/// [`Unwritable`] error: a value has no spelling of its own).
pub struct ParseOnlyCodec<T>(PhantomData<fn() -> T>);

impl<T> sealed::Sealed for ParseOnlyCodec<T> {}

impl<T> Codec for ParseOnlyCodec<T>
where
    T: std::str::FromStr + Clone + Send + Sync + 'static,
    T::Err: fmt::Display,
{
    type Target = T;
    fn value_type() -> ValueType {
        ValueType::Other(format!("a `{}` string", short_type_name::<T>()))
    }
    fn decode(value: &Value) -> Result<T, TypeMismatch> {
        parse_scalar(value, Self::value_type())
    }
    fn encode(_: &T) -> Result<Value, Unwritable> {
        Err(Unwritable::of::<T>("implements `FromStr` but not `Display`"))
    }
}

/// A value as a report shows it: a value with no spelling of its own (and
/// no text) is named by its type, never guessed.
#[derive(Clone, Debug)]
pub(crate) struct Shown(pub(crate) Result<Value, Unwritable>);

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Ok(value) => write!(f, "{value}"),
            Err(why) => write!(f, "a `{}` value with no text to show", why.type_name),
        }
    }
}

/// Two values with no text are taken as equal: they are of the same field,
/// and neither can be told apart from the other.
impl PartialEq for Shown {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Ok(a), Ok(b)) => a == b,
            (Err(_), Err(_)) => true,
            _ => false,
        }
    }
}

/// `Option<C::Target>`: `null` is `None`.
pub struct OptionCodec<C>(PhantomData<fn() -> C>);

impl<C: Codec> Codec for OptionCodec<C> {
    type Target = Option<C::Target>;
    fn value_type() -> ValueType {
        ValueType::Optional(Box::new(C::value_type()))
    }
    fn decode(value: &Value) -> Result<Self::Target, TypeMismatch> {
        Self::__decode(value, FieldParser::default())
    }
    fn encode(target: &Self::Target) -> Result<Value, Unwritable> {
        target.as_ref().map_or(Ok(Value::Null), C::encode)
    }
    fn __decode(value: &Value, parser: FieldParser) -> Result<Self::Target, TypeMismatch> {
        match value {
            Value::Null => Ok(None),
            other => C::__decode(other, parser).map(Some).map_err(|mut e| {
                if e.path.is_empty() {
                    e.expected = Self::value_type().to_string();
                }
                e
            }),
        }
    }
    fn __normalize(value: &Value, parser: FieldParser) -> Result<Value, TypeMismatch> {
        match value {
            Value::Null => Ok(Value::Null),
            other => C::__normalize(other, parser).map_err(|mut e| {
                if e.path.is_empty() {
                    e.expected = Self::value_type().to_string();
                }
                e
            }),
        }
    }
}

/// `Vec<C::Target>` from a sequence; an element error names its index.
pub struct VecCodec<C>(PhantomData<fn() -> C>);

impl<C: Codec> Codec for VecCodec<C> {
    type Target = Vec<C::Target>;
    fn value_type() -> ValueType {
        ValueType::List(Box::new(C::value_type()))
    }
    fn decode(value: &Value) -> Result<Self::Target, TypeMismatch> {
        Self::__decode(value, FieldParser::default())
    }
    fn encode(target: &Self::Target) -> Result<Value, Unwritable> {
        target.iter().map(C::encode).collect::<Result<_, _>>().map(Value::List)
    }
    fn __decode(value: &Value, parser: FieldParser) -> Result<Self::Target, TypeMismatch> {
        match value {
            Value::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| C::__decode(item, parser).map_err(|e| e.at_index(i)))
                .collect(),
            other => Err(TypeMismatch::new(Self::value_type(), other)
                .with_help("write a YAML list, for example `[a, b]`")),
        }
    }
    fn __normalize(value: &Value, parser: FieldParser) -> Result<Value, TypeMismatch> {
        match value {
            Value::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| C::__normalize(item, parser).map_err(|e| e.at_index(i)))
                .collect::<Result<_, _>>()
                .map(Value::List),
            other => Self::__decode(other, parser).map(|_| other.clone()),
        }
    }
}
