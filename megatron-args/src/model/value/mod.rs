//! Dynamic argument values and their conversion to and from field types.
//!
//! Every value that crosses the boundary between the file (or `args.set`) and
//! a typed field goes through this module: [`Value`] is the crate's own value
//! type, [`ArgValue`] converts field types, and the `*Codec` types let the
//! derive pick a conversion for types that cannot implement [`ArgValue`]
//! themselves (clap `ValueEnum`s, `FromStr` types).
//!
//! - `dynamic`: [`Value`], the crate's own value type, and [`ValueType`],
//!   with [`TypeMismatch`];
//! - [`arg_value`]: [`ArgValue`], the conversions of Rust's own types, with
//!   the file format's compatibility rules (numeric strings, YAML 1.1
//!   booleans, exact integer ranges);
//! - [`codec`]: the [`Codec`]s the derive picks per field type, and writing
//!   a value back ([`Unwritable`]).

mod arg_value;
mod codec;
mod dynamic;

pub(crate) use arg_value::yaml11_bool_spellings;
pub use arg_value::ArgValue;
#[cfg(feature = "clap")]
pub(crate) use codec::ArgParser;
pub(crate) use codec::{sealed, Shown};
pub use codec::{
    Codec, EnumCodec, FieldParser, FromStrCodec, OptionCodec, ParseOnlyCodec, Plain, Unwritable,
    ValueParserCodec, VecCodec,
};
#[cfg(feature = "clap")]
pub(crate) use dynamic::write_choices;
pub(crate) use dynamic::{format_float, short_type_name, type_name_shown};
pub use dynamic::{TypeMismatch, Value, ValueType};
