//! The YAML layer's unit tests.

use super::yaml11::{resolve_plain_yaml11, Resolved11};
use super::*;
use crate::model::value::Value;

#[test]
fn plain_scalars_resolve_with_the_core_schema() {
    assert_eq!(resolve_plain("1e-5"), Value::Float(1e-5));
    assert_eq!(resolve_plain("8"), Value::Int(8));
    assert_eq!(resolve_plain("-3"), Value::Int(-3));
    assert_eq!(resolve_plain("0x10"), Value::Int(16));
    assert_eq!(resolve_plain("1."), Value::Float(1.0));
    assert_eq!(resolve_plain(".5"), Value::Float(0.5));
    assert_eq!(resolve_plain("~"), Value::Null);
    assert_eq!(resolve_plain("yes"), Value::String("yes".into()));
    assert_eq!(resolve_plain("1e"), Value::String("1e".into()));
    assert_eq!(resolve_plain("/ckpt/a"), Value::String("/ckpt/a".into()));
    assert!(matches!(resolve_plain(".nan"), Value::Float(f) if f.is_nan()));
}

#[test]
fn quoted_scalars_stay_strings() {
    let doc = parse("a: \"8\"\nb: '1e-5'\n").unwrap().unwrap();
    let NodeKind::Map(entries) = doc.kind else { panic!("not a map") };
    assert_eq!(entries[0].1.to_value().unwrap(), Value::String("8".into()));
    assert_eq!(entries[1].1.to_value().unwrap(), Value::String("1e-5".into()));
}

#[test]
fn positions_are_one_based() {
    let doc = parse("megatron:\n  - role: actor\n").unwrap().unwrap();
    assert_eq!((doc.mark.line, doc.mark.column), (1, 1));
    let NodeKind::Map(entries) = &doc.kind else { panic!("not a map") };
    let NodeKind::Seq(items) = &entries[0].1.kind else { panic!("not a seq") };
    assert_eq!((items[0].mark.line, items[0].mark.column), (2, 5));
}

#[test]
fn empty_and_comment_only_texts_have_no_document() {
    assert!(parse("").unwrap().is_none());
    assert!(parse("# only a comment\n").unwrap().is_none());
}

#[test]
fn alias_bombs_are_rejected() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let errors = parse(&text).unwrap_err();
    assert_eq!(errors[0].kind, YamlErrorKind::TooComplex);
}

#[test]
fn deep_nesting_is_rejected() {
    let text = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let errors = parse(&text).unwrap_err();
    assert_eq!(errors[0].kind, YamlErrorKind::TooComplex);
}

#[test]
fn a_nul_byte_is_a_syntax_error_at_its_position() {
    // The scanner would stop at the NUL and drop the critic entry.
    let errors = parse("megatron:\n  - role: actor\0\n  - role: critic\n").unwrap_err();
    assert_eq!(errors[0].kind, YamlErrorKind::Syntax);
    assert_eq!((errors[0].mark.line, errors[0].mark.column), (2, 16));
    let errors = parse("a: 1\r\nb: 2\rc: \"x\0\"").unwrap_err();
    assert_eq!((errors[0].mark.line, errors[0].mark.column), (3, 6));
}

#[test]
fn a_leading_byte_order_mark_is_skipped() {
    let doc = parse("\u{feff}megatron: []\n").unwrap().unwrap();
    let NodeKind::Map(entries) = &doc.kind else { panic!("not a map") };
    assert_eq!(entries[0].0.as_str(), Some("megatron"));
    assert_eq!((entries[0].0.mark.line, entries[0].0.mark.column), (1, 1));
}

#[test]
fn custom_tags_are_unsupported() {
    let errors = parse("a: &x {b: 1}\nd: !custom 3\ne: !!binary aGk=\n").unwrap_err();
    assert_eq!(errors.len(), 2);
    assert!(errors.iter().all(|e| e.kind == YamlErrorKind::Unsupported));
}

fn map_of(text: &str) -> Vec<(String, Value)> {
    let doc = parse(text).unwrap().unwrap();
    let NodeKind::Map(entries) = doc.kind else { panic!("not a map") };
    entries.into_iter().map(|(k, v)| (k.as_str().unwrap().to_string(), v.to_value().unwrap())).collect()
}

#[test]
fn merge_keys_merge_with_the_mappings_own_keys_winning() {
    let entries = map_of("<<: {a: 1, b: 2}\nb: 3\n");
    assert_eq!(entries, [("b".into(), Value::Int(3)), ("a".into(), Value::Int(1))]);
    // In a list of merged mappings the first wins; a later `<<` wins over an earlier one.
    let entries = map_of("<<: [{a: 1}, {a: 2, c: 5}]\n");
    assert_eq!(entries, [("c".into(), Value::Int(5)), ("a".into(), Value::Int(1))]);
}

/// PyYAML 6.0.3's `safe_load` of `a: TEXT`, checked by hand against it.
#[test]
fn plain_scalars_read_as_pyyaml_reads_them() {
    let int = |i| Resolved11::Value(Value::Int(i));
    let cases = [
        ("010", int(8)),
        ("0b101", int(5)),
        ("0x_1F", int(31)),
        ("1_000", int(1000)),
        ("1:30", int(90)),
        ("-0", int(0)),
    ];
    for (text, want) in cases {
        let got = resolve_plain_yaml11(text);
        assert!(matches!((&got, &want), (Resolved11::Value(a), Resolved11::Value(b)) if a == b), "{text}");
    }
    let string = |t: &str| Value::String(t.to_string());
    for text in ["0o10", "08", "1e-5", "1.0e5", "-.5", "y", "n", "0X1F"] {
        assert!(matches!(resolve_plain_yaml11(text), Resolved11::Value(v) if v == string(text)), "{text}");
    }
    for (text, want) in [("1.0e-5", 1.0e-5), ("1_0.5", 10.5), ("1:30.5", 90.5), (".5", 0.5), ("1.", 1.0)] {
        assert!(
            matches!(resolve_plain_yaml11(text), Resolved11::Value(Value::Float(f)) if f == want),
            "{text}"
        );
    }
    for (text, want) in [("yes", true), ("Off", false), ("ON", true)] {
        assert!(
            matches!(resolve_plain_yaml11(text), Resolved11::Value(Value::Bool(b)) if b == want),
            "{text}"
        );
    }
    assert!(matches!(resolve_plain_yaml11("2001-12-14"), Resolved11::Timestamp));
    assert!(matches!(resolve_plain_yaml11("<<"), Resolved11::Merge));
    assert!(matches!(resolve_plain_yaml11("="), Resolved11::ValueKey));
}

#[test]
fn underscores_between_digits_make_a_number_both_readers_agree_on() {
    assert_eq!(
        map_of("a: 1_000\nb: 1_0.5\n"),
        [("a".into(), Value::Int(1000)), ("b".into(), Value::Float(10.5))]
    );
}

#[test]
fn a_block_scalar_at_the_end_of_a_text_without_a_final_break_keeps_only_written_breaks() {
    // PyYAML 6.0.3 gives these values; yaml-rust2 alone adds a `\n`.
    let cases = [
        ("a: |\n  x", "x"),
        ("a: |+\n  x", "x"),
        ("a: >\n  x\n  y", "x y"),
        ("a: |\n  x\n ", "x\n"),
        ("a: |\n  x\n# c", "x\n"),
        ("a: |-\n  x", "x"),
        ("a: |\n  x\n", "x\n"),
        // A last line of only the indentation: clip and strip drop it.
        ("a: |\n  x\n  ", "x\n"),
        ("a: >-\n  x\n\n  ", "x"),
        ("a: |2\n  x\n  ", "x\n"),
    ];
    for (text, want) in cases {
        assert_eq!(map_of(text), [("a".into(), Value::String(want.into()))], "{text:?}");
    }
    // A last line of spaces a kept scalar keeps, or further right than
    // its indentation: a line break to YAML 1.2, none to PyYAML.
    for text in ["a: |+\n  x\n  ", "a: |\n  x\n    ", "a: |+\n  "] {
        let errors = parse(text).unwrap_err();
        assert_eq!(errors[0].kind, YamlErrorKind::RefusedBySlime, "{text:?}");
    }
}

/// The yaml-test-suite (`tests/data/yaml-test-suite`, MIT, its `data`
/// branch at 6ad3d2c): every error case is a syntax error, no valid case
/// is one, and what the loader exposes equals `in.json`.
#[test]
fn yaml_test_suite() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/yaml-test-suite");
    let mut inputs = Vec::new();
    collect_inputs(&root, &mut inputs);
    assert_eq!(inputs.len(), 402, "the suite has 402 inputs");
    let (mut errors, mut valid, mut compared) = (0, 0, 0);
    let mut failures = Vec::new();
    for dir in &inputs {
        let name = dir.strip_prefix(&root).unwrap().display().to_string();
        let text = std::fs::read_to_string(dir.join("in.yaml")).unwrap();
        let result = parse(&text);
        let syntax_error =
            matches!(&result, Err(errs) if errs.iter().any(|e| e.kind == YamlErrorKind::Syntax));
        if dir.join("error").exists() {
            errors += 1;
            if !syntax_error {
                failures.push(format!("{name}: an error case, not reported as a syntax error"));
            }
            continue;
        }
        valid += 1;
        if syntax_error {
            failures.push(format!("{name}: a valid case reported as a syntax error: {result:?}"));
            continue;
        }
        let Ok(json) = std::fs::read_to_string(dir.join("in.json")) else { continue };
        let expected: Vec<serde_json::Value> =
            serde_json::Deserializer::from_str(&json).into_iter().collect::<Result<_, _>>().unwrap();
        // One document the loader reads without a problem (the loader
        // takes one document; it refuses what slime's reader refuses).
        let (Ok(Some(doc)), [expected]) = (&result, expected.as_slice()) else { continue };
        let Some(got) = to_json(doc) else { continue };
        compared += 1;
        if !same_json(&got, expected) {
            failures.push(format!("{name}: read {got}, in.json has {expected}"));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert_eq!((errors, valid), (94, 308));
    // Printed for the record (`cargo test -- --nocapture`).
    println!("yaml-test-suite: {errors} error cases rejected, {valid} valid cases accepted, {compared} compared with in.json");
    assert!(compared > 150, "only {compared} documents compared with in.json");
}

fn collect_inputs(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path.join("in.yaml").exists() {
                out.push(path.clone());
            }
            collect_inputs(&path, out);
        }
    }
}

/// The node as JSON, or `None` for what JSON cannot hold (non-string keys).
fn to_json(node: &Node) -> Option<serde_json::Value> {
    use serde_json::Value as J;
    Some(match &node.kind {
        NodeKind::Scalar(s) => match &s.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i as f64),
            Value::Float(f) => J::from(*f),
            Value::String(s) => J::String(s.clone()),
            Value::List(_) => return None,
        },
        NodeKind::Seq(items) => J::Array(items.iter().map(to_json).collect::<Option<_>>()?),
        NodeKind::Map(entries) => {
            let mut map = serde_json::Map::new();
            for (k, v) in entries {
                let NodeKind::Scalar(key) = &k.kind else { return None };
                let key = match &key.value {
                    Value::String(s) => s.clone(),
                    Value::Null => String::new(),
                    other => other.to_string(),
                };
                map.insert(key, to_json(v)?);
            }
            J::Object(map)
        }
    })
}

fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (a, b) {
        (J::Number(x), J::Number(y)) => x.as_f64() == y.as_f64(),
        (J::Array(x), J::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b)),
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}
