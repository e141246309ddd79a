//! How the derive picks a field's conversion from its type alone, as clap's
//! `value_parser!` picks a parser: autoref specialization over the leaf type
//! (`Option`/`Vec` are peeled by the derive), most specific first:
//!
//! 1. [`ArgValue`]: the built-in scalar types and any type you implement it for;
//! 2. `clap::ValueEnum`: through the enum's possible-value names;
//! 3. `FromStr + Display`: through text;
//! 4. `FromStr` alone, for an argument field: read through text, written
//!    back only from the text it was read from;
//! 5. nothing: a compile error on the field saying what to add, except for
//!    shared fields (`#[megatron(skip)]`), which need no conversion.
//!
//! The generated code writes `{ use __private::conversion::*; (&&&&Probe::<T, K>::new()).codec() }`;
//! method resolution tries the receiver with four references first, so the
//! first level whose bounds hold wins. A field pays for the levels only when
//! its type is not one the derive knows by name.

use std::fmt::Display;
use std::marker::PhantomData;
use std::str::FromStr;

use crate::model::value::{
    ArgValue, Codec, EnumCodec, FromStrCodec, OptionCodec, ParseOnlyCodec, Plain, TypeMismatch, Unwritable,
    Value, ValueParserCodec, ValueType, VecCodec,
};

/// The codec chosen for a field, carried as a value so that a method's return
/// type can choose it.
pub struct CodecToken<C>(PhantomData<fn() -> C>);

impl<C> CodecToken<C> {
    fn new() -> Self {
        CodecToken(PhantomData)
    }

    /// The same conversion inside `Option`.
    pub fn option(self) -> CodecToken<OptionCodec<C>> {
        CodecToken::new()
    }

    /// The same conversion for each element of a `Vec`.
    pub fn vec(self) -> CodecToken<VecCodec<C>> {
        CodecToken::new()
    }
}

impl<C> Clone for CodecToken<C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<C> Copy for CodecToken<C> {}

/// The token of an explicitly chosen codec (`#[megatron(value_enum)]`).
pub fn codec<C: Codec>() -> CodecToken<C> {
    CodecToken::new()
}

/// The token, checked at compile time to convert values of type `T`: the
/// derive peels `Option`/`Vec` by name, and this catches a type named so
/// that is not the standard one.
pub fn typed<T, C: Codec<Target = T>>(token: CodecToken<C>) -> CodecToken<C> {
    token
}

/// A field of one of the classes that take values from the file.
pub struct ArgField;
/// An argument field with its own `#[arg(value_parser = ...)]`.
pub struct ParsedField;
/// A shared field (`#[megatron(skip)]`): its type needs no conversion.
pub struct SharedField;

/// The probe of leaf type `T` for a field of kind `K`.
pub struct Probe<T, K>(PhantomData<fn() -> (T, K)>);

impl<T, K> Probe<T, K> {
    /// The probe; call `.codec()` on four references to it.
    pub fn new() -> Self {
        Probe(PhantomData)
    }
}

impl<T, K> Default for Probe<T, K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T, K> Clone for Probe<T, K> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T, K> Copy for Probe<T, K> {}

/// Level 1: the type implements [`ArgValue`].
pub trait ViaArgValue<T> {
    /// The chosen codec.
    fn codec(self) -> CodecToken<Plain<T>>;
}
impl<T: ArgValue, K> ViaArgValue<T> for &&&&Probe<T, K> {
    fn codec(self) -> CodecToken<Plain<T>> {
        CodecToken::new()
    }
}

/// Level 2: a clap `ValueEnum`.
pub trait ViaValueEnum<T> {
    /// The chosen codec.
    fn codec(self) -> CodecToken<EnumCodec<T>>;
}
// Without the `clap` feature there is no `ValueEnum` to convert through.
#[cfg(feature = "clap")]
impl<T: clap::ValueEnum + Clone + Send + Sync + 'static, K> ViaValueEnum<T> for &&&Probe<T, K> {
    fn codec(self) -> CodecToken<EnumCodec<T>> {
        CodecToken::new()
    }
}

/// Level 3: `FromStr + Display`.
pub trait ViaFromStr<T> {
    /// The chosen codec.
    fn codec(self) -> CodecToken<FromStrCodec<T>>;
}
impl<T, K> ViaFromStr<T> for &&Probe<T, K>
where
    T: FromStr + Display + Clone + Send + Sync + 'static,
    T::Err: Display,
{
    fn codec(self) -> CodecToken<FromStrCodec<T>> {
        CodecToken::new()
    }
}

/// Level 4: `FromStr` alone, for an argument field (a shared field's value
/// is never read from the file, so it is listed as before).
pub trait ViaFromStrOnly<T> {
    /// The chosen codec.
    fn codec(self) -> CodecToken<ParseOnlyCodec<T>>;
}
impl<T> ViaFromStrOnly<T> for &Probe<T, ArgField>
where
    T: FromStr + Clone + Send + Sync + 'static,
    T::Err: Display,
{
    fn codec(self) -> CodecToken<ParseOnlyCodec<T>> {
        CodecToken::new()
    }
}

/// Level 4 of an argument with its own value parser: that parser reads any
/// type clap's typed value can be (it is taken before `FromStr` alone, which
/// the parser may read differently).
pub trait ViaValueParser<T> {
    /// The chosen codec.
    fn codec(self) -> CodecToken<ValueParserCodec<T>>;
}
impl<T: Clone + Send + Sync + 'static> ViaValueParser<T> for &Probe<T, ParsedField> {
    fn codec(self) -> CodecToken<ValueParserCodec<T>> {
        CodecToken::new()
    }
}

/// The last resort of an argument field: it always applies, and its method
/// requires [`ArgValue`], whose `on_unimplemented` message tells the user
/// what to add, at the field.
///
/// Its codec is a codec for every type, so that the one error the user sees
/// is the missing [`ArgValue`], at the field, and nothing after it.
pub trait NoConversion<T> {
    /// Never compiles: the type has no conversion.
    fn codec(self) -> CodecToken<Opaque<T>>
    where
        T: ArgValue;
}
impl<T> NoConversion<T> for Probe<T, ArgField> {
    fn codec(self) -> CodecToken<Opaque<T>>
    where
        T: ArgValue,
    {
        CodecToken::new()
    }
}

/// The last resort of a shared field: listed, never converted.
pub trait SharedNoConversion<T> {
    /// The opaque codec.
    fn codec(self) -> CodecToken<Opaque<T>>;
}
impl<T> SharedNoConversion<T> for Probe<T, SharedField> {
    fn codec(self) -> CodecToken<Opaque<T>> {
        CodecToken::new()
    }
}

/// A shared field whose type has no conversion: listed with its metadata,
/// read as `null`, never set from a value.
pub struct Opaque<T>(PhantomData<fn() -> T>);

impl<T> crate::model::value::sealed::Sealed for Opaque<T> {}

impl<T: Clone + Send + Sync + 'static> Codec for Opaque<T> {
    type Target = T;
    fn value_type() -> ValueType {
        ValueType::Opaque(crate::model::value::short_type_name::<T>().to_string())
    }
    fn decode(value: &Value) -> Result<T, TypeMismatch> {
        Err(TypeMismatch::new(Self::value_type(), value))
    }
    fn encode(_: &T) -> Result<Value, Unwritable> {
        // Listed as `null`, as it always was: the value of a shared field
        // is never read from the file.
        Ok(Value::Null)
    }
}
