//! Dynamic argument values and their conversion to and from field types.
//!
//! Every value that crosses the boundary between the file (or `args.set`) and
//! a typed field goes through this module: [`Value`] is the crate's own value
//! type, [`ArgValue`] converts field types, and the `*Codec` types let the
//! derive pick a conversion for types that cannot implement [`ArgValue`]
//! themselves (clap `ValueEnum`s, `FromStr` types).

use std::fmt;
use std::marker::PhantomData;
use std::path::PathBuf;

/// A dynamic argument value: what a YAML scalar or sequence becomes once
/// parsed, and what [`crate::MegatronArgs::get`] returns.
///
/// Non-exhaustive: a later version may read more of YAML (a mapping); an
/// [`ArgValue`] impl matches with a `_` arm, which refuses the value.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// `null`, `~`, or `None`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer (wide enough for every integer field type up to `u64`).
    Int(i128),
    /// A floating point number.
    Float(f64),
    /// A string (also paths and enum spellings).
    String(String),
    /// A sequence.
    List(Vec<Value>),
}

impl Value {
    /// A short description of the value for error messages: its kind and,
    /// for scalars, its text (`float 1.5`, `string "abc"`).
    pub fn describe(&self) -> String {
        match self {
            Value::Null => "null".to_string(),
            Value::Bool(b) => format!("boolean {b}"),
            Value::Int(i) => format!("integer {i}"),
            Value::Float(f) => format!("float {}", format_float(*f)),
            Value::String(s) => format!("string {s:?}"),
            Value::List(items) => format!("a list of {} element(s)", items.len()),
        }
    }
}

/// Formats a float the way a person writes it in a config file: `1e-6`,
/// `0.5`, `3.0`.
pub(crate) fn format_float(f: f64) -> String {
    if f.is_nan() {
        ".nan".to_string()
    } else if f.is_infinite() {
        if f > 0.0 { ".inf" } else { "-.inf" }.to_string()
    } else {
        format!("{f:?}")
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => f.write_str(&format_float(*x)),
            Value::String(s) => f.write_str(s),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
        }
    }
}

macro_rules! value_from {
    ($($ty:ty => $variant:ident as $conv:ty),* $(,)?) => {$(
        impl From<$ty> for Value {
            fn from(v: $ty) -> Self {
                Value::$variant(<$conv>::from(v))
            }
        }
    )*};
}
value_from!(
    bool => Bool as bool,
    i8 => Int as i128, i16 => Int as i128, i32 => Int as i128, i64 => Int as i128,
    u8 => Int as i128, u16 => Int as i128, u32 => Int as i128, u64 => Int as i128,
    f32 => Float as f64, f64 => Float as f64,
    String => String as String, &str => String as String,
);

impl From<usize> for Value {
    fn from(v: usize) -> Self {
        Value::Int(v as i128)
    }
}

// The other field types `ArgValue` converts, as it writes them back (a
// `u128` above `i128::MAX` and a `Duration` are strings), so that
// `args.set("save", PathBuf::from(..))` takes what the field holds.
macro_rules! value_from_arg_value {
    ($($ty:ty),* $(,)?) => {$(
        impl From<$ty> for Value {
            fn from(v: $ty) -> Self {
                ArgValue::to_value(&v)
            }
        }
    )*};
}
value_from_arg_value!(
    i128,
    isize,
    u128,
    char,
    PathBuf,
    std::ffi::OsString,
    std::time::Duration,
    std::num::NonZeroU8,
    std::num::NonZeroU16,
    std::num::NonZeroU32,
    std::num::NonZeroU64,
    std::num::NonZeroUsize,
    std::num::NonZeroI8,
    std::num::NonZeroI16,
    std::num::NonZeroI32,
    std::num::NonZeroI64,
    std::num::NonZeroIsize,
);

impl From<&std::path::Path> for Value {
    fn from(v: &std::path::Path) -> Self {
        Value::String(v.to_string_lossy().into_owned())
    }
}

impl From<&std::ffi::OsStr> for Value {
    fn from(v: &std::ffi::OsStr) -> Self {
        Value::String(v.to_string_lossy().into_owned())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Self {
        Value::List(v.into_iter().map(Into::into).collect())
    }
}

/// The type a field expects, as shown in error messages and schemas.
///
/// Non-exhaustive: it has grown before (`Opaque`); match with a `_` arm.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ValueType {
    /// `bool`.
    Bool,
    /// An integer type with its exact range.
    Int {
        /// The Rust type name (`u32`).
        name: &'static str,
        /// Smallest accepted value.
        min: i128,
        /// Largest accepted value.
        max: i128,
    },
    /// `f32` or `f64`.
    Float {
        /// The Rust type name.
        name: &'static str,
    },
    /// A string.
    String,
    /// A file system path.
    Path,
    /// One of a fixed set of spellings (an enum).
    Choice(Vec<String>),
    /// `Option<T>`: the inner type, or `null`.
    Optional(Box<ValueType>),
    /// `Vec<T>`.
    List(Box<ValueType>),
    /// A type described only by name (custom [`ArgValue`] impls).
    Other(String),
    /// A shared field whose type has no conversion (named here): listed,
    /// read as `null`, never set from a value.
    Opaque(String),
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueType::Bool => f.write_str("a boolean"),
            ValueType::Int { name, .. } => write!(f, "an integer ({name})"),
            ValueType::Float { name } => write!(f, "a number ({name})"),
            ValueType::String => f.write_str("a string"),
            ValueType::Path => f.write_str("a path"),
            ValueType::Choice(choices) => {
                f.write_str("one of ")?;
                write_choices(f, choices)
            }
            ValueType::Optional(inner) => write!(f, "{inner} or null"),
            ValueType::List(inner) => write!(f, "a list of {}", ElementType(inner)),
            ValueType::Other(name) => f.write_str(name),
            ValueType::Opaque(name) => write!(f, "nothing: `{name}` has no conversion from a value"),
        }
    }
}

struct ElementType<'a>(&'a ValueType);
impl fmt::Display for ElementType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            ValueType::Bool => f.write_str("booleans"),
            ValueType::Int { name, .. } => write!(f, "integers ({name})"),
            ValueType::Float { name } => write!(f, "numbers ({name})"),
            ValueType::String => f.write_str("strings"),
            ValueType::Path => f.write_str("paths"),
            other => write!(f, "values ({other})"),
        }
    }
}

pub(crate) fn write_choices(f: &mut impl fmt::Write, choices: &[String]) -> fmt::Result {
    for (i, c) in choices.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "`{c}`")?;
    }
    Ok(())
}

/// Why a value does not fit a field's type: what [`ArgValue::from_value`]
/// returns. An error of its own (`std::error::Error`), so that an impl can
/// pass it on with `?`.
///
/// Non-exhaustive: build one with [`TypeMismatch::new`] and
/// [`TypeMismatch::with_help`].
///
/// ```
/// use megatron_args::{TypeMismatch, Value};
///
/// let mismatch = TypeMismatch::new("a port number", &Value::String("x".into())).with_help("write `8080`");
/// let error: Box<dyn std::error::Error> = Box::new(mismatch);
/// assert_eq!(error.to_string(), "expected a port number, found string \"x\"");
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct TypeMismatch {
    /// Indices into nested lists, outermost first (empty for the value itself).
    pub path: Vec<usize>,
    /// What was expected, in words.
    pub expected: String,
    /// What was found, in words ([`Value::describe`]).
    pub found: String,
    /// How to fix it, when there is an obvious fix.
    pub help: Option<String>,
}

impl TypeMismatch {
    /// A mismatch between `expected` and the value `found`.
    pub fn new(expected: impl fmt::Display, found: &Value) -> Self {
        TypeMismatch { path: Vec::new(), expected: expected.to_string(), found: found.describe(), help: None }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    fn at_index(mut self, index: usize) -> Self {
        self.path.insert(0, index);
        self
    }
}

impl fmt::Display for TypeMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}, found {}", self.expected, self.found)
    }
}

impl std::error::Error for TypeMismatch {}

/// A Rust type that argument values convert to and from.
///
/// Implemented for `bool`, every integer type (`u128`/`i128` included), the
/// `NonZero*` integers, `f32`, `f64`, `char`, `String`, `OsString`, `PathBuf`,
/// `Duration`, and `Option<T>` / `Vec<T>` of those. Implement it for your own
/// field types; clap `ValueEnum`s and `FromStr` types need nothing: the
/// derive converts them through [`EnumCodec`], [`FromStrCodec`] (with
/// `Display`) and [`ParseOnlyCodec`] (`FromStr` alone), and a type only its
/// argument's own `value_parser` reads through [`ValueParserCodec`]; the
/// last two are written back only from the text a value was read from.
///
/// A complete example of a type of your own, from the file to the resolved
/// role, is in [the attributes guide](crate::attributes#a-field-type-of-your-own).
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no conversion from a role-config value",
    label = "this field's type cannot be read from the file",
    note = "derive `clap::ValueEnum` for it, implement `FromStr` (with `Display`, any value can be \
            written back), give the argument its own `#[arg(value_parser = ...)]`, or implement \
            `megatron_args::ArgValue`",
    note = "if the field is not a command-line argument, mark it `#[arg(skip)]`; if no role may \
            override it, mark it `#[megatron(skip)]`"
)]
pub trait ArgValue: Sized + Clone + Send + Sync + 'static {
    /// The type as shown in errors and schemas.
    fn value_type() -> ValueType;
    /// Converts a dynamic value, with the compatibility rules of the file
    /// format (numeric strings, YAML 1.1 booleans, exact integer ranges).
    fn from_value(value: &Value) -> Result<Self, TypeMismatch>;
    /// Converts back to a dynamic value.
    fn to_value(&self) -> Value;
}

impl ArgValue for bool {
    fn value_type() -> ValueType {
        ValueType::Bool
    }
    fn from_value(value: &Value) -> Result<Self, TypeMismatch> {
        match value {
            Value::Bool(b) => Ok(*b),
            // YAML 1.1 loaders (PyYAML) read these words as booleans.
            Value::String(s) => parse_yaml11_bool(s).ok_or_else(|| {
                TypeMismatch::new("a boolean", value)
                    .with_help("write `true` or `false` (YAML 1.1 `yes`/`no`/`on`/`off` also work)")
            }),
            Value::Int(i @ (0 | 1)) => Err(TypeMismatch::new("a boolean", value)
                .with_help(format!("write `{}` instead of `{i}`", *i == 1))),
            _ => Err(TypeMismatch::new("a boolean", value)),
        }
    }
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
}

/// Every string a bool field accepts (SPEC 3.7): `yes/no/on/off/true/false`
/// in lower, Title and UPPER case, with the boolean each means.
pub(crate) fn yaml11_bool_spellings() -> impl Iterator<Item = (String, bool)> {
    const WORDS: [(&str, bool); 6] =
        [("yes", true), ("no", false), ("on", true), ("off", false), ("true", true), ("false", false)];
    WORDS.into_iter().flat_map(|(word, b)| {
        let title = format!("{}{}", word[..1].to_uppercase(), &word[1..]);
        [(word.to_string(), b), (title, b), (word.to_uppercase(), b)]
    })
}

fn parse_yaml11_bool(s: &str) -> Option<bool> {
    yaml11_bool_spellings().find_map(|(spelling, b)| (spelling == s).then_some(b))
}

macro_rules! int_arg_value {
    ($($ty:ident),*) => {$(
        impl ArgValue for $ty {
            fn value_type() -> ValueType {
                ValueType::Int { name: stringify!($ty), min: $ty::MIN as i128, max: $ty::MAX as i128 }
            }
            fn from_value(value: &Value) -> Result<Self, TypeMismatch> {
                let wide = int_from_value(value, Self::value_type())?;
                $ty::try_from(wide).map_err(|_| {
                    TypeMismatch::new(Self::value_type(), value).with_help(format!(
                        "`{}` accepts {} to {}", stringify!($ty), $ty::MIN, $ty::MAX
                    ))
                })
            }
            fn to_value(&self) -> Value {
                Value::Int(*self as i128)
            }
        }
    )*};
}
int_arg_value!(i8, i16, i32, i64, i128, u8, u16, u32, u64, usize, isize);

/// `u128` is wider than [`Value::Int`]: values above `i128::MAX` travel as
/// decimal strings.
impl ArgValue for u128 {
    fn value_type() -> ValueType {
        ValueType::Int { name: "u128", min: 0, max: i128::MAX }
    }
    fn from_value(value: &Value) -> Result<Self, TypeMismatch> {
        if let Value::String(text) = value {
            if let Ok(wide) = text.trim().strip_prefix('+').unwrap_or(text.trim()).parse::<u128>() {
                return Ok(wide);
            }
        }
        let wide = int_from_value(value, Self::value_type())?;
        u128::try_from(wide).map_err(|_| {
            TypeMismatch::new(Self::value_type(), value)
                .with_help(format!("`u128` accepts 0 to {}", u128::MAX))
        })
    }
    fn to_value(&self) -> Value {
        i128::try_from(*self).map_or_else(|_| Value::String(self.to_string()), Value::Int)
    }
}

macro_rules! nonzero_arg_value {
    ($($ty:ident($inner:ident) from $min:expr),* $(,)?) => {$(
        impl ArgValue for std::num::$ty {
            fn value_type() -> ValueType {
                ValueType::Int { name: stringify!($ty), min: $min as i128, max: $inner::MAX as i128 }
            }
            fn from_value(value: &Value) -> Result<Self, TypeMismatch> {
                let inner = $inner::from_value(value).map_err(|mut e| {
                    e.expected = Self::value_type().to_string();
                    e
                })?;
                std::num::$ty::new(inner).ok_or_else(|| {
                    TypeMismatch::new(Self::value_type(), value)
                        .with_help(format!("`{}` accepts any `{}` except 0", stringify!($ty), stringify!($inner)))
                })
            }
            fn to_value(&self) -> Value {
                self.get().to_value()
            }
        }
    )*};
}
nonzero_arg_value!(
    NonZeroU8(u8) from 1, NonZeroU16(u16) from 1, NonZeroU32(u32) from 1, NonZeroU64(u64) from 1,
    NonZeroUsize(usize) from 1,
    NonZeroI8(i8) from i8::MIN, NonZeroI16(i16) from i16::MIN, NonZeroI32(i32) from i32::MIN,
    NonZeroI64(i64) from i64::MIN, NonZeroIsize(isize) from isize::MIN,
);

fn int_from_value(value: &Value, expected: ValueType) -> Result<i128, TypeMismatch> {
    match value {
        Value::Int(i) => Ok(*i),
        // Numeric strings come from files written for YAML 1.1 loaders.
        Value::String(s) => match parse_int_text(s) {
            Some(i) => Ok(i),
            None => match s.trim().parse::<f64>() {
                Ok(f) => Err(float_for_int(expected, value, f)),
                Err(_) => {
                    Err(TypeMismatch::new(expected, value).with_help("write a whole number, for example `8`"))
                }
            },
        },
        Value::Float(f) => Err(float_for_int(expected, value, *f)),
        _ => Err(TypeMismatch::new(expected, value)),
    }
}

fn parse_int_text(s: &str) -> Option<i128> {
    let s = s.trim();
    let digits = s.strip_prefix('+').unwrap_or(s);
    if digits.is_empty() || digits.starts_with('+') {
        return None;
    }
    digits.parse::<i128>().ok()
}

/// SPEC 2.9: `.inf` and `.nan` are numbers to both readers, and slime would
/// train with them; here they are an error of their own.
const NOT_FINITE_HELP: &str =
    "`.inf` and `.nan` are numbers to YAML, and slime would train with them; write a finite number";

fn float_for_int(expected: ValueType, value: &Value, f: f64) -> TypeMismatch {
    let mismatch = TypeMismatch::new(&expected, value);
    if !f.is_finite() {
        mismatch.with_help(NOT_FINITE_HELP)
    } else if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e30 {
        mismatch.with_help(format!("write the integer `{}` instead", f as i128))
    } else if let (true, ValueType::Int { name, min, max }) = (f.is_finite() && f.fract() == 0.0, &expected) {
        // A whole number too wide for any integer type (the YAML layer keeps
        // its magnitude as a float): the problem is the range, not the form.
        mismatch.with_help(format!("`{name}` accepts {min} to {max}"))
    } else {
        mismatch.with_help("this field takes whole numbers only")
    }
}

macro_rules! float_arg_value {
    ($($ty:ident),*) => {$(
        impl ArgValue for $ty {
            fn value_type() -> ValueType {
                ValueType::Float { name: stringify!($ty) }
            }
            fn from_value(value: &Value) -> Result<Self, TypeMismatch> {
                let wide = match value {
                    Value::Float(f) => *f,
                    Value::Int(i) => *i as f64,
                    // `1e-5` is a string to YAML 1.1 loaders; accept it.
                    Value::String(s) => s.trim().parse::<f64>().map_err(|_| {
                        TypeMismatch::new(Self::value_type(), value)
                            .with_help("write a number, for example `1e-5` or `0.5`")
                    })?,
                    _ => return Err(TypeMismatch::new(Self::value_type(), value)),
                };
                if !wide.is_finite() {
                    return Err(TypeMismatch::new(
                        format!("a finite number ({})", stringify!($ty)),
                        value,
                    ).with_help(NOT_FINITE_HELP));
                }
                let narrow = wide as $ty;
                if !narrow.is_finite() {
                    return Err(TypeMismatch::new(Self::value_type(), value)
                        .with_help(format!("the value is out of range for `{}`", stringify!($ty))));
                }
                Ok(narrow)
            }
            fn to_value(&self) -> Value {
                // Through the shortest decimal spelling, so that an `f32` 0.1
                // reads back as 0.1 rather than 0.10000000149011612.
                Value::Float(self.to_string().parse().unwrap_or(*self as f64))
            }
        }
    )*};
}
float_arg_value!(f32, f64);

fn string_from_value(value: &Value, expected: ValueType) -> Result<String, TypeMismatch> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => Err(TypeMismatch::new(expected, value)
            .with_help(format!("quote the value to pass it as a string: \"{value}\""))),
        _ => Err(TypeMismatch::new(expected, value)),
    }
}

impl ArgValue for String {
    fn value_type() -> ValueType {
        ValueType::String
    }
    fn from_value(value: &Value) -> Result<Self, TypeMismatch> {
        string_from_value(value, ValueType::String)
    }
    fn to_value(&self) -> Value {
        Value::String(self.clone())
    }
}

/// A field of type `()`: a flag whose occurrence the struct does not keep
/// (`#[arg(long, action = SetTrue, overrides_with = "color")] no_color: ()`,
/// which clap_derive accepts). It holds no value: `null`, and nothing else.
impl ArgValue for () {
    fn value_type() -> ValueType {
        ValueType::Other("nothing (`()`): null".to_string())
    }
    fn from_value(value: &Value) -> Result<Self, TypeMismatch> {
        match value {
            Value::Null => Ok(()),
            _ => Err(TypeMismatch::new("nothing (`()`)", value).with_help(
                "the field has type `()`: its flag acts on the command line only, and the struct keeps no value",
            )),
        }
    }
    fn to_value(&self) -> Value {
        Value::Null
    }
}

impl ArgValue for char {
    fn value_type() -> ValueType {
        ValueType::Other("a single character".to_string())
    }
    fn from_value(value: &Value) -> Result<Self, TypeMismatch> {
        let text = string_from_value(value, Self::value_type())?;
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Ok(c),
            _ => Err(TypeMismatch::new(Self::value_type(), value).with_help("write exactly one character")),
        }
    }
    fn to_value(&self) -> Value {
        Value::String(self.to_string())
    }
}

impl ArgValue for std::ffi::OsString {
    fn value_type() -> ValueType {
        ValueType::String
    }
    fn from_value(value: &Value) -> Result<Self, TypeMismatch> {
        string_from_value(value, ValueType::String).map(Into::into)
    }
    fn to_value(&self) -> Value {
        Value::String(self.to_string_lossy().into_owned())
    }
}

/// A duration: a number of seconds (`30`, `1.5`) or a number with a unit
/// (`100ms`, `30s`, `2m`, `1h`; also `ns`, `us`, `min`).
impl ArgValue for std::time::Duration {
    fn value_type() -> ValueType {
        ValueType::Other("a duration (`30s`, `100ms`, `2m`, `1h`, or a number of seconds)".to_string())
    }
    fn from_value(value: &Value) -> Result<Self, TypeMismatch> {
        let mismatch = || {
            TypeMismatch::new(Self::value_type(), value).with_help(
                "write a non-negative number of seconds, or a number with a unit: `ms`, `s`, `m`, `h`",
            )
        };
        let seconds = |s: f64| std::time::Duration::try_from_secs_f64(s).map_err(|_| mismatch());
        match value {
            Value::Int(i) => u64::try_from(*i).map(std::time::Duration::from_secs).map_err(|_| mismatch()),
            Value::Float(f) => seconds(*f),
            Value::String(text) => {
                let text = text.trim();
                let split = text.find(|c: char| c.is_alphabetic()).unwrap_or(text.len());
                let (number, unit) = (text[..split].trim(), &text[split..]);
                let scale = match unit {
                    "" | "s" => 1.0,
                    "ns" => 1e-9,
                    "us" | "µs" => 1e-6,
                    "ms" => 1e-3,
                    "m" | "min" => 60.0,
                    "h" => 3600.0,
                    _ => return Err(mismatch()),
                };
                match (number.parse::<u64>(), number.parse::<f64>()) {
                    // Whole numbers exactly, without a float's rounding.
                    (Ok(whole), _) if unit == "ns" => Ok(std::time::Duration::from_nanos(whole)),
                    (Ok(whole), _) if unit == "us" || unit == "µs" => {
                        Ok(std::time::Duration::from_micros(whole))
                    }
                    (Ok(whole), _) if unit == "ms" => Ok(std::time::Duration::from_millis(whole)),
                    (_, Ok(f)) => seconds(f * scale),
                    _ => Err(mismatch()),
                }
            }
            _ => Err(mismatch()),
        }
    }
    fn to_value(&self) -> Value {
        let (secs, nanos) = (self.as_secs(), self.subsec_nanos());
        Value::String(match (secs, nanos) {
            (0, 0) => "0s".to_string(),
            (s, 0) if s % 3600 == 0 => format!("{}h", s / 3600),
            (s, 0) if s % 60 == 0 => format!("{}m", s / 60),
            (s, 0) => format!("{s}s"),
            (_, n) if n % 1_000_000 == 0 => format!("{}ms", self.as_millis()),
            (_, n) if n % 1_000 == 0 => format!("{}us", self.as_micros()),
            _ => format!("{}ns", self.as_nanos()),
        })
    }
}

impl ArgValue for PathBuf {
    fn value_type() -> ValueType {
        ValueType::Path
    }
    fn from_value(value: &Value) -> Result<Self, TypeMismatch> {
        string_from_value(value, ValueType::Path).map(PathBuf::from)
    }
    fn to_value(&self) -> Value {
        Value::String(self.to_string_lossy().into_owned())
    }
}

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
    arg_of: Option<fn(usize) -> Option<&'static clap::Arg>>,
}

impl FieldParser {
    /// Field `field` of a struct whose arguments `arg_of` finds.
    #[cfg(feature = "clap")]
    pub(crate) fn new(field: usize, arg_of: fn(usize) -> Option<&'static clap::Arg>) -> Self {
        FieldParser { field, arg_of: Some(arg_of) }
    }

    #[cfg(feature = "clap")]
    fn arg(self) -> Option<&'static clap::Arg> {
        self.arg_of.and_then(|arg_of| arg_of(self.field))
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
        if let Some(arg) = parser.arg() {
            return crate::model::clap_command::parse_typed::<T>(arg, &text)
                .map_err(|reason| TypeMismatch::new(Self::value_type(), value).with_help(reason));
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

pub(crate) fn short_type_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_strings_convert_to_numbers() {
        assert_eq!(f64::from_value(&Value::String("1e-5".into())), Ok(1e-5));
        assert_eq!(u32::from_value(&Value::String("8".into())), Ok(8));
    }

    #[test]
    fn integers_must_fit_exactly() {
        assert!(u32::from_value(&Value::Int(-1)).is_err());
        assert!(u32::from_value(&Value::Int(5_000_000_000)).is_err());
        assert_eq!(u64::from_value(&Value::Int(5_000_000_000)), Ok(5_000_000_000));
    }

    #[test]
    fn float_for_integer_suggests_integer_spelling() {
        let err = u32::from_value(&Value::Float(8.0)).unwrap_err();
        assert_eq!(err.help.as_deref(), Some("write the integer `8` instead"));
    }

    #[test]
    fn a_whole_number_too_wide_for_any_integer_names_the_range() {
        let err = u32::from_value(&Value::Float(1e44)).unwrap_err();
        assert_eq!(err.help.as_deref(), Some("`u32` accepts 0 to 4294967295"));
    }

    #[test]
    fn yaml11_booleans_in_three_cases() {
        for (text, want) in [("yes", true), ("Off", false), ("ON", true), ("FALSE", false)] {
            assert_eq!(bool::from_value(&Value::String(text.into())), Ok(want), "{text}");
        }
        assert!(bool::from_value(&Value::String("yEs".into())).is_err());
    }

    #[test]
    fn vec_element_error_names_index() {
        let v = Value::List(vec![Value::Int(1), Value::String("x".into())]);
        let err = Vec::<u8>::from_value(&v).unwrap_err();
        assert_eq!(err.path, vec![1]);
    }

    #[test]
    fn every_documented_field_type_converts_into_a_value() {
        use std::num::{NonZeroI64, NonZeroU32};
        use std::time::Duration;
        assert_eq!(Value::from(PathBuf::from("/ckpt")), Value::String("/ckpt".into()));
        assert_eq!(Value::from(std::path::Path::new("/ckpt")), Value::String("/ckpt".into()));
        assert_eq!(Value::from(std::ffi::OsString::from("x")), Value::String("x".into()));
        assert_eq!(Value::from(-3i128), Value::Int(-3));
        assert_eq!(Value::from(-3isize), Value::Int(-3));
        assert_eq!(Value::from(u128::MAX), Value::String(u128::MAX.to_string()));
        assert_eq!(Value::from('x'), Value::String("x".into()));
        assert_eq!(Value::from(Duration::from_millis(1500)), Value::String("1500ms".into()));
        assert_eq!(Value::from(NonZeroU32::new(8).unwrap()), Value::Int(8));
        assert_eq!(Value::from(NonZeroI64::new(-8).unwrap()), Value::Int(-8));
        assert_eq!(Value::from(Some(PathBuf::from("/a"))), Value::String("/a".into()));
        // Each reads back as the field type it came from.
        assert_eq!(
            Duration::from_value(&Value::from(Duration::from_millis(1500))),
            Ok(Duration::from_millis(1500))
        );
        assert_eq!(u128::from_value(&Value::from(u128::MAX)), Ok(u128::MAX));
    }

    #[test]
    fn f32_rounds_trips_through_value() {
        let v = 0.1f32.to_value();
        assert_eq!(v, Value::Float(0.1));
        assert_eq!(f32::from_value(&v), Ok(0.1f32));
    }
}
