//! [`Value`], the crate's own dynamic value: what a YAML scalar or sequence
//! becomes once parsed; [`ValueType`], a field's type as errors and schemas
//! show it; and [`TypeMismatch`], a value that does not convert.

use std::fmt;

/// A dynamic argument value: what a YAML scalar or sequence becomes once
/// parsed, and what [`crate::MegatronArgs::get`] returns.
///
/// Non-exhaustive: a later version may read more of YAML (a mapping); an
/// [`ArgValue`](super::ArgValue) impl matches with a `_` arm, which refuses the value.
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
    /// A type described only by name (custom [`ArgValue`](super::ArgValue) impls).
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

/// Why a value does not fit a field's type: what [`ArgValue::from_value`](super::ArgValue::from_value)
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

    pub(super) fn at_index(mut self, index: usize) -> Self {
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

/// `T`'s name without the module path of its outer type
/// (`Option<app::Commands>` for `core::option::Option<app::Commands>`); see
/// [`type_name_shown`] for messages.
pub(crate) fn short_type_name<T: ?Sized>() -> &'static str {
    let full = std::any::type_name::<T>();
    let outer = full.find('<').unwrap_or(full.len());
    full[..outer].rfind("::").map_or(full, |at| &full[at + 2..])
}

/// `T`'s name without module paths, at every level of it
/// (`Option<Commands>` for `core::option::Option<app::Commands>`).
pub(crate) fn type_name_shown<T: ?Sized>() -> String {
    shorten(std::any::type_name::<T>())
}

/// `name` without the module path of any of the paths in it.
fn shorten(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut segment_start = 0;
    let mut rest = name;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("::") {
            // Drop the path segment just written: only the last one stays.
            out.truncate(segment_start);
            rest = after;
            continue;
        }
        let c = rest.chars().next().expect("not empty");
        if !(c.is_alphanumeric() || c == '_') {
            segment_start = out.len() + c.len_utf8();
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_type_names_drop_every_module_path() {
        assert_eq!(shorten("core::option::Option<app::cli::Commands>"), "Option<Commands>");
        assert_eq!(shorten("std::collections::HashMap<alloc::string::String, u32>"), "HashMap<String, u32>");
        assert_eq!(shorten("Commands"), "Commands");
        assert_eq!(shorten("(a::B, [c::D; 2])"), "(B, [D; 2])");
        assert_eq!(type_name_shown::<Option<Value>>(), "Option<Value>");
        // Never a piece of a type: no stray `>`.
        assert_eq!(short_type_name::<Option<Value>>(), "Option<megatron_args::model::value::dynamic::Value>");
        assert_eq!(short_type_name::<Value>(), "Value");
    }
}
