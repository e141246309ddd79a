//! [`ArgValue`]: Rust's own types as argument values, with the file
//! format's compatibility rules (numeric strings, YAML 1.1 booleans, exact
//! integer ranges).

use std::path::PathBuf;

use super::{TypeMismatch, Value, ValueType};

/// A Rust type that argument values convert to and from.
///
/// Implemented for `bool`, every integer type (`u128`/`i128` included), the
/// `NonZero*` integers, `f32`, `f64`, `char`, `String`, `OsString`, `PathBuf`,
/// `Duration`, and `Option<T>` / `Vec<T>` of those. Implement it for your own
/// field types; clap `ValueEnum`s and `FromStr` types need nothing: the
/// derive converts them through [`EnumCodec`](super::EnumCodec), [`FromStrCodec`](super::FromStrCodec) (with
/// `Display`) and [`ParseOnlyCodec`](super::ParseOnlyCodec) (`FromStr` alone), and a type only its
/// argument's own `value_parser` reads through [`ValueParserCodec`](super::ValueParserCodec); the
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::value::Value;

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
