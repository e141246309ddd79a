//! serde support for [`Value`], so that values and typed overrides travel
//! through serde formats (JSON output, YAML written back).

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeSeq, Serializer};
use std::fmt;
use std::marker::PhantomData;

use crate::model::args::{problem_line, unknown_field, MegatronArgs as _, Overrides};
use crate::model::value::Value;

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_none(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(i) => match i64::try_from(*i) {
                Ok(small) => serializer.serialize_i64(small),
                Err(_) => serializer.serialize_i128(*i),
            },
            Value::Float(f) => serializer.serialize_f64(*f),
            Value::String(s) => serializer.serialize_str(s),
            Value::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a scalar, null or a list")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Int(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<Value, A::Error> {
        Err(de::Error::invalid_type(de::Unexpected::Map, &self))
    }
}

/// Reads an `overrides` mapping into typed overrides, checking each key and
/// value inside its own node so that the format can say where a bad one is.
pub(crate) struct OverridesVisitor<O>(PhantomData<fn() -> O>);

impl<O> Default for OverridesVisitor<O> {
    fn default() -> Self {
        OverridesVisitor(PhantomData)
    }
}

impl<'de, O: Overrides> Visitor<'de> for OverridesVisitor<O> {
    type Value = O;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping of argument names to values")
    }
    fn visit_unit<E>(self) -> Result<O, E> {
        Ok(O::default())
    }
    fn visit_none<E>(self) -> Result<O, E> {
        Ok(O::default())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<O, A::Error> {
        let mut overrides = O::default();
        let mut seen: Vec<&'static str> = Vec::new();
        while let Some(name) = map.next_key_seed(KeySeed::<O> { seen: &seen, _overrides: PhantomData })? {
            seen.push(name);
            map.next_value_seed(ValueSeed { overrides: &mut overrides, name })?;
        }
        Ok(overrides)
    }
}

/// An overrides key: an overridable argument (or alias), given once. The
/// result is the argument name, so that an alias and its name are one key.
struct KeySeed<'a, O> {
    seen: &'a [&'static str],
    _overrides: PhantomData<fn() -> O>,
}

impl<'de, O: Overrides> DeserializeSeed<'de> for KeySeed<'_, O> {
    type Value = &'static str;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, O: Overrides> Visitor<'de> for KeySeed<'_, O> {
    type Value = &'static str;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an argument name")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<&'static str, E> {
        let schema = O::Args::__schema();
        let Some(index) = schema.index_of(key) else {
            return Err(E::custom(problem_line(&unknown_field::<O::Args>(key))));
        };
        let name = schema.infos[index].name;
        if self.seen.contains(&name) {
            return Err(E::custom(format_args!(
                "`{name}` is given twice (help: keep one; a repeated key would silently override the first)"
            )));
        }
        Ok(name)
    }
}

/// An override's value, converted and stored as it is read; a value of the
/// wrong type is an error of its own node.
struct ValueSeed<'a, O> {
    overrides: &'a mut O,
    name: &'static str,
}

impl<'de, O: Overrides> DeserializeSeed<'de> for ValueSeed<'_, O> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<O: Overrides> ValueSeed<'_, O> {
    fn set<E: de::Error>(self, value: Value) -> Result<(), E> {
        self.overrides.set(self.name, value).map_err(|e| E::custom(problem_line(&e)))
    }
}

/// Every `visit_*` of [`ValueVisitor`], followed by the check, so that the
/// check fails inside the value's node.
macro_rules! checked_visits {
    ($($method:ident($ty:ty)),*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<(), E> {
            let value = ValueVisitor.$method::<E>(v)?;
            self.set(value)
        }
    )*};
}

impl<'de, O: Overrides> Visitor<'de> for ValueSeed<'_, O> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        ValueVisitor.expecting(f)
    }
    checked_visits!(
        visit_bool(bool),
        visit_i64(i64),
        visit_i128(i128),
        visit_u64(u64),
        visit_f64(f64),
        visit_str(&str),
        visit_string(String)
    );
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.set(Value::Null)
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.set(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let value = Value::deserialize(d)?;
        self.set(value)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let value = ValueVisitor.visit_seq(seq)?;
        self.set(value)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        ValueVisitor.visit_map(map).map(drop)
    }
}

/// Deserializes typed overrides from an `overrides` mapping.
///
/// Each key is checked as it is read, and a bad key or value fails inside
/// its own node, as serde's derive does: the format's error then carries that
/// key's path and position (`lr: invalid value for `lr`: ... at line 2
/// column 5`), one problem, never several reports joined into one line.
/// [`crate::RoleConfig`] reports every problem of a file at once.
#[doc(hidden)]
pub fn deserialize_overrides<'de, O, D>(deserializer: D) -> Result<O, D::Error>
where
    O: Overrides,
    D: serde::Deserializer<'de>,
{
    deserializer.deserialize_any(OverridesVisitor::<O>::default())
}
