//! Plain and tagged scalars read two ways: with YAML 1.2's core schema
//! (this loader) and with PyYAML's YAML 1.1 resolvers and constructors
//! (slime), so that a file means here what it means to slime; and values
//! written back as YAML flow text.

use super::node::Reading11;
use crate::model::value::{format_float, Value};

/// Resolves a plain scalar with the YAML 1.2 core schema.
pub(crate) fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Value::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(int) = resolve_int(text) {
        return int;
    }
    if is_core_float(text) {
        if let Ok(f) = text.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::String(text.to_string())
}

/// PyYAML's reading of a plain scalar, next to this loader's.
pub(super) enum Plain11 {
    Same,
    Other(Reading11),
    /// `<<`: the merge key.
    Merge,
    /// `=`: YAML 1.1's value key, which `safe_load` cannot construct.
    ValueKey,
}

/// This loader's value of a plain scalar, and how PyYAML's differs.
pub(super) fn resolve_plain_both(text: &str) -> (Value, Plain11) {
    let core = resolve_plain(text);
    let yaml11 = match resolve_plain_yaml11(text) {
        Resolved11::Merge => return (core, Plain11::Merge),
        Resolved11::ValueKey => return (core, Plain11::ValueKey),
        Resolved11::Timestamp => return (core, Plain11::Other(Reading11::Timestamp)),
        Resolved11::Value(v) => v,
    };
    // `1_000`: a string to YAML 1.2, 1000 to YAML 1.1; both readers agree on
    // it once the `_` are gone, so it is that number (SPEC 2.9).
    let ours = match (&core, &yaml11) {
        (Value::String(_), Value::Int(_) | Value::Float(_)) if text.contains('_') => {
            let digits = resolve_plain(&text.replace('_', ""));
            if same_value(&digits, &yaml11) {
                digits
            } else {
                core
            }
        }
        _ => core,
    };
    if same_value(&ours, &yaml11) {
        (ours, Plain11::Same)
    } else {
        (ours, Plain11::Other(Reading11::Value(yaml11)))
    }
}

/// Equal values (NaN equals NaN: `.nan` is read alike).
pub(super) fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x == y || (x.is_nan() && y.is_nan()),
        _ => a == b,
    }
}

pub(super) enum Resolved11 {
    Value(Value),
    Timestamp,
    Merge,
    ValueKey,
}

/// PyYAML's implicit resolvers (`resolver.py`) and constructors
/// (`constructor.py`) for a plain scalar.
pub(super) fn resolve_plain_yaml11(text: &str) -> Resolved11 {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved11::Value(Value::Null),
        "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Resolved11::Value(Value::Bool(true))
        }
        "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Resolved11::Value(Value::Bool(false))
        }
        "<<" => return Resolved11::Merge,
        "=" => return Resolved11::ValueKey,
        _ => {}
    }
    if is_yaml11_float(text) {
        if let Some(f) = construct_float(text) {
            return Resolved11::Value(Value::Float(f));
        }
    }
    if is_yaml11_int(text) {
        if let Some(i) = construct_int(text) {
            return Resolved11::Value(i);
        }
    }
    if is_yaml11_timestamp(text) {
        return Resolved11::Timestamp;
    }
    Resolved11::Value(Value::String(text.to_string()))
}

/// `[-+]?` then the rest.
pub(super) fn split_sign(text: &str) -> (bool, &str) {
    match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    }
}

pub(super) fn all(s: &str, f: impl Fn(u8) -> bool) -> bool {
    s.bytes().all(f)
}

/// `[0-9][0-9_]*` at the start of `s`: its length (0 when absent).
pub(super) fn digits_underscores(s: &str) -> usize {
    if !s.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return 0;
    }
    s.bytes().take_while(|b| b.is_ascii_digit() || *b == b'_').count()
}

/// `(?::[0-5]?[0-9])+` covering all of `s`.
pub(super) fn sexagesimal_tail(s: &str) -> bool {
    !s.is_empty()
        && s.split(':')
            .skip(1)
            .all(|part| matches!(part.as_bytes(), [d] | [b'0'..=b'5', d] if d.is_ascii_digit()))
        && s.starts_with(':')
}

/// PyYAML's float resolver.
pub(super) fn is_yaml11_float(text: &str) -> bool {
    let exponent = |s: &str| {
        s.is_empty()
            || matches!(s.as_bytes(), [b'e' | b'E', b'-' | b'+', rest @ ..] if !rest.is_empty() && rest.iter().all(u8::is_ascii_digit))
    };
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (_, unsigned) = split_sign(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    // \.[0-9][0-9_]*([eE][-+][0-9]+)?  (no sign)
    if let Some(rest) = text.strip_prefix('.') {
        let n = digits_underscores(rest);
        return n > 0 && exponent(&rest[n..]);
    }
    let n = digits_underscores(unsigned);
    if n == 0 {
        return false;
    }
    let rest = &unsigned[n..];
    // [0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?
    if let Some(fraction) = rest.strip_prefix('.') {
        let m = fraction.bytes().take_while(|b| b.is_ascii_digit() || *b == b'_').count();
        return exponent(&fraction[m..]);
    }
    // [0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*
    match rest.find('.') {
        Some(dot) => {
            sexagesimal_tail(&rest[..dot]) && all(&rest[dot + 1..], |b| b.is_ascii_digit() || b == b'_')
        }
        None => false,
    }
}

/// PyYAML's int resolver.
pub(super) fn is_yaml11_int(text: &str) -> bool {
    let (_, s) = split_sign(text);
    if let Some(bin) = s.strip_prefix("0b") {
        return !bin.is_empty() && all(bin, |b| matches!(b, b'0' | b'1' | b'_'));
    }
    if let Some(hex) = s.strip_prefix("0x") {
        return !hex.is_empty() && all(hex, |b| b.is_ascii_hexdigit() || b == b'_');
    }
    if let Some(oct) = s.strip_prefix('0') {
        return oct.is_empty() || all(oct, |b| matches!(b, b'0'..=b'7' | b'_'));
    }
    if !s.as_bytes().first().is_some_and(|b| (b'1'..=b'9').contains(b)) {
        return false;
    }
    let n = digits_underscores(s);
    n == s.len() || sexagesimal_tail(&s[n..])
}

/// PyYAML's timestamp resolver (dates and date-times).
pub(super) fn is_yaml11_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    let date_only = b.len() == 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..].iter().all(u8::is_ascii_digit);
    // The date-time form starts with a date of one- or two-digit month and
    // day and has a time after `T`, `t` or blanks; PyYAML reads it as a
    // datetime, which no argument takes either way.
    let date_time = b.len() > 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && text[5..].contains(':')
        && text[5..].split(['T', 't', ' ', '\t']).count() > 1
        && text.bytes().all(|c| c.is_ascii_digit() || b"-:.+ \tTtZ".contains(&c));
    date_only || date_time
}

/// PyYAML's `construct_yaml_int` (on text its resolver or a `!!int` tag gave).
pub(super) fn construct_int(text: &str) -> Option<Value> {
    let cleaned = text.replace('_', "");
    let (negative, s) = split_sign(&cleaned);
    let magnitude: i128 = if s == "0" {
        0
    } else if let Some(bin) = s.strip_prefix("0b") {
        i128::from_str_radix(bin, 2).ok()?
    } else if let Some(hex) = s.strip_prefix("0x") {
        i128::from_str_radix(hex, 16).ok()?
    } else if s.starts_with('0') {
        // Python's int(s, 8) also takes an `0o` prefix.
        let digits = s.strip_prefix("0o").unwrap_or(s);
        i128::from_str_radix(digits, 8).ok()?
    } else if s.contains(':') {
        s.split(':').try_fold(0i128, |acc, part| Some(acc.checked_mul(60)? + part.parse::<i128>().ok()?))?
    } else if !s.is_empty() && all(s, |b| b.is_ascii_digit()) {
        match s.parse::<i128>() {
            Ok(i) => i,
            Err(_) => return s.parse::<f64>().ok().map(|f| Value::Float(if negative { -f } else { f })),
        }
    } else {
        return None;
    };
    Some(Value::Int(if negative { -magnitude } else { magnitude }))
}

/// PyYAML's `construct_yaml_float`: `_` removed, lower case, `.inf`/`.nan`,
/// sexagesimal, else Python's `float()`.
pub(super) fn construct_float(text: &str) -> Option<f64> {
    let cleaned = text.replace('_', "").to_lowercase();
    let (negative, s) = split_sign(&cleaned);
    let sign = if negative { -1.0 } else { 1.0 };
    let magnitude = if s == ".inf" {
        f64::INFINITY
    } else if s == ".nan" {
        return Some(f64::NAN);
    } else if s.contains(':') {
        s.split(':').try_fold(0.0f64, |acc, part| Some(acc * 60.0 + python_float(part)?))?
    } else {
        return python_float(&cleaned);
    };
    Some(sign * magnitude)
}

/// Python's `float(text)` for the spellings it and Rust share; Python also
/// takes `infinity`, surrounding blanks and `_` between digits.
pub(super) fn python_float(text: &str) -> Option<f64> {
    let t = text.trim_matches([' ', '\t', '\n', '\r']);
    let (negative, s) = split_sign(t);
    let lower = s.to_ascii_lowercase();
    let magnitude = match lower.as_str() {
        "inf" | "infinity" => f64::INFINITY,
        "nan" => f64::NAN,
        _ if s.bytes().all(|b| b.is_ascii_digit() || b".eE+-".contains(&b)) && !s.is_empty() => {
            s.parse().ok()?
        }
        _ => return None,
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// This loader's reading of a tagged scalar: what both YAML versions and
/// SPEC 3.7 take for the standard tag `name`.
pub(super) fn resolve_tagged(name: &str, text: &str) -> Option<Value> {
    let (value, _) = resolve_plain_both(text);
    match (name, value) {
        ("int", v @ Value::Int(_)) => Some(v),
        ("float", Value::Int(i)) => Some(Value::Float(i as f64)),
        ("float", v @ Value::Float(_)) => Some(v),
        ("bool", v @ Value::Bool(_)) => Some(v),
        ("bool", Value::String(s)) => crate::model::value::yaml11_bool_spellings()
            .find_map(|(spelling, b)| (spelling == s).then_some(Value::Bool(b))),
        ("null", Value::Null) => Some(Value::Null),
        _ => None,
    }
}

/// PyYAML's constructor for the standard tag `name` on `text`; `None` where
/// it raises.
pub(super) fn construct_tagged(name: &str, text: &str) -> Option<Value> {
    match name {
        "int" if !text.is_empty() => construct_int(text),
        "float" if !text.is_empty() => construct_float(text).map(Value::Float),
        "bool" => match text.to_lowercase().as_str() {
            "yes" | "true" | "on" => Some(Value::Bool(true)),
            "no" | "false" | "off" => Some(Value::Bool(false)),
            _ => None,
        },
        "null" => Some(Value::Null),
        _ => None,
    }
}

pub(super) fn resolve_int(text: &str) -> Option<Value> {
    let (radix, digits) = if let Some(hex) = text.strip_prefix("0x") {
        (16, hex)
    } else if let Some(oct) = text.strip_prefix("0o") {
        (8, oct)
    } else {
        let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
        if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return Some(match text.parse::<i128>() {
            Ok(i) => Value::Int(i),
            // Too wide for any integer field; keep the magnitude for the message.
            Err(_) => Value::Float(text.parse::<f64>().ok()?),
        });
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    i128::from_str_radix(digits, radix).ok().map(Value::Int)
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
pub(super) fn is_core_float(text: &str) -> bool {
    let s = text.strip_prefix(['-', '+']).unwrap_or(text).as_bytes();
    let digits = |s: &[u8]| s.iter().take_while(|b| b.is_ascii_digit()).count();
    let int_len = digits(s);
    let mut i = int_len;
    let mut frac_len = 0;
    if s.get(i) == Some(&b'.') {
        frac_len = digits(&s[i + 1..]);
        i += 1 + frac_len;
    }
    if int_len == 0 && frac_len == 0 {
        return false;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp_len = digits(&s[i.min(s.len())..]);
        if exp_len == 0 {
            return false;
        }
        i += exp_len;
    }
    i == s.len()
}

/// A value in YAML flow syntax that the loader reads back as the same value.
pub(crate) fn flow_value(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => format_float(*f),
        // A JSON string is a YAML double-quoted scalar.
        Value::String(s) => serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}")),
        Value::List(items) => format!("[{}]", items.iter().map(flow_value).collect::<Vec<_>>().join(", ")),
    }
}
