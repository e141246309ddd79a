//! The YAML boundary: text in, a tree of positioned nodes out (and values
//! back out as YAML flow text, for templates).
//!
//! This is the only module that reads or writes YAML text. `serde_yaml` cannot
//! say where a successfully parsed value was in the file, which every error,
//! provenance and topology report needs; parsing twice (once for values, once
//! for positions) would double the cost of a load. So the loader reads the
//! event stream of `yaml-rust2` (a YAML 1.2 parser that gives every event a
//! line and column) and resolves plain scalars with the YAML 1.2 core schema
//! itself, as `serde_yaml` does. Everything after this module speaks in
//! [`Node`]s and [`Value`]s; `serde_yaml` still works with the generated
//! overrides types, which implement serde's traits.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::model::value::{format_float, Value};

/// Deeper nesting than this is rejected (the format needs about six levels).
pub(crate) const MAX_DEPTH: usize = 64;
/// Nodes that alias expansion may create in one document; bounds alias bombs.
pub(crate) const MAX_ALIAS_NODES: usize = 100_000;

/// A position in the text: 1-based line and column, and the width to mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Mark {
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) len: usize,
}

impl Mark {
    fn at(marker: &Marker, len: usize) -> Self {
        Mark { line: marker.line(), column: marker.col() + 1, len }
    }
}

/// A node of the document with its position.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub(crate) kind: NodeKind,
    pub(crate) mark: Mark,
}

#[derive(Clone, Debug)]
pub(crate) enum NodeKind {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// A scalar: its text as written (unescaped) and its resolved value.
#[derive(Clone, Debug)]
pub(crate) struct Scalar {
    pub(crate) text: String,
    pub(crate) value: Value,
}

impl Node {
    /// The scalar's text when the node is a string-valued scalar.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(Scalar { value: Value::String(s), .. }) => Some(s),
            _ => None,
        }
    }

    /// What kind of node this is, for messages.
    pub(crate) fn describe(&self) -> String {
        match &self.kind {
            NodeKind::Scalar(s) => s.value.describe(),
            NodeKind::Seq(_) => "a list".to_string(),
            NodeKind::Map(_) => "a mapping".to_string(),
        }
    }

    /// The node as a [`Value`]; mappings have no value form, so the error is
    /// the position of the first mapping found.
    pub(crate) fn to_value(&self) -> Result<Value, &Node> {
        match &self.kind {
            NodeKind::Scalar(s) => Ok(s.value.clone()),
            NodeKind::Seq(items) => {
                items.iter().map(Node::to_value).collect::<Result<_, _>>().map(Value::List)
            }
            NodeKind::Map(_) => Err(self),
        }
    }

    /// The node under list index path `path` (for element error locations).
    pub(crate) fn at_path(&self, path: &[usize]) -> &Node {
        match (path.split_first(), &self.kind) {
            (Some((first, rest)), NodeKind::Seq(items)) if *first < items.len() => {
                items[*first].at_path(rest)
            }
            _ => self,
        }
    }
}

/// A problem the YAML layer found, with its position.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct YamlError {
    pub(crate) kind: YamlErrorKind,
    pub(crate) message: String,
    pub(crate) mark: Mark,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum YamlErrorKind {
    Syntax,
    TooComplex,
    Unsupported,
}

/// Parses `text` into its single document, or `None` when the text holds no
/// document (empty, or only comments). Syntax errors stop at the first one;
/// unsupported features (custom tags, merge keys) are all collected.
pub(crate) fn parse(text: &str) -> Result<Option<Node>, Vec<YamlError>> {
    // A byte order mark may open a YAML stream; the scanner does not skip it
    // and would make it part of the first key.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The scanner reads NUL as the end of the text: everything after it
    // would be dropped without a word.
    if let Some(offset) = text.find('\0') {
        return Err(vec![YamlError {
            kind: YamlErrorKind::Syntax,
            message: "the file contains a NUL byte (U+0000), which YAML does not allow".to_string(),
            mark: mark_of_offset(text, offset),
        }]);
    }
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, marker) = match parser.next_token() {
            Ok(next) => next,
            Err(e) => {
                let mark = Mark::at(e.marker(), 1);
                builder.errors.push(YamlError {
                    kind: YamlErrorKind::Syntax,
                    message: e.info().to_string(),
                    mark,
                });
                return Err(builder.errors);
            }
        };
        match builder.event(event, &marker) {
            Ok(true) => break,
            Ok(false) => {}
            Err(e) => {
                builder.errors.push(e);
                return Err(builder.errors);
            }
        }
    }
    if builder.errors.is_empty() {
        Ok(builder.document)
    } else {
        Err(builder.errors)
    }
}

/// The position of byte `offset` of `text`, counting line breaks as the
/// scanner does (`\n`, `\r\n`, a lone `\r`).
pub(crate) fn mark_of_offset(text: &str, offset: usize) -> Mark {
    let before = &text[..offset];
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = 1
        + before.matches('\n').count()
        + before.match_indices('\r').filter(|(i, _)| !before[i + 1..].starts_with('\n')).count();
    Mark { line, column: before[line_start..].chars().count() + 1, len: 1 }
}

enum Open {
    Seq { anchor: usize, mark: Mark, items: Vec<Node> },
    Map { anchor: usize, mark: Mark, entries: Vec<(Node, Node)>, key: Option<Node> },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Open>,
    anchors: HashMap<usize, Node>,
    alias_nodes: usize,
    documents: usize,
    document: Option<Node>,
    errors: Vec<YamlError>,
}

impl Builder {
    /// Handles one event; `Ok(true)` at the end of the stream.
    fn event(&mut self, event: Event, marker: &Marker) -> Result<bool, YamlError> {
        match event {
            Event::StreamEnd => return Ok(true),
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => {}
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(YamlError {
                        kind: YamlErrorKind::Unsupported,
                        message: "the file holds more than one YAML document (`---`); put everything in one"
                            .to_string(),
                        mark: Mark::at(marker, 3),
                    });
                }
            }
            Event::Alias(id) => {
                let mark = Mark::at(marker, 1);
                let node = self.anchors.get(&id).cloned().ok_or_else(|| YamlError {
                    kind: YamlErrorKind::Syntax,
                    message: "alias to an unknown anchor".to_string(),
                    mark,
                })?;
                self.alias_nodes += count_nodes(&node);
                if self.alias_nodes > MAX_ALIAS_NODES {
                    return Err(YamlError {
                        kind: YamlErrorKind::TooComplex,
                        message: format!(
                            "aliases expand to more than {MAX_ALIAS_NODES} nodes (an alias bomb?); write the values out"
                        ),
                        mark,
                    });
                }
                self.push(node, 0)?;
            }
            Event::Scalar(text, style, anchor, tag) => {
                let len = scalar_width(&text, style);
                let mark = Mark::at(marker, len);
                let value = self.resolve_scalar(&text, style, tag.as_ref(), mark);
                self.push(Node { kind: NodeKind::Scalar(Scalar { text, value }), mark }, anchor)?;
            }
            Event::SequenceStart(anchor, tag) => {
                let mark = Mark::at(marker, 1);
                self.check_collection_tag(tag.as_ref(), "seq", mark);
                self.open(Open::Seq { anchor, mark, items: Vec::new() }, mark)?;
            }
            Event::MappingStart(anchor, tag) => {
                let mark = Mark::at(marker, 1);
                self.check_collection_tag(tag.as_ref(), "map", mark);
                self.open(Open::Map { anchor, mark, entries: Vec::new(), key: None }, mark)?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Open::Seq { anchor, mark, items }) => {
                        (Node { kind: NodeKind::Seq(items), mark }, anchor)
                    }
                    Some(Open::Map { anchor, mut mark, entries, .. }) => {
                        // A block mapping's start event points past its
                        // first key; the first key is where it starts.
                        if let Some((first_key, _)) = entries.first() {
                            if (first_key.mark.line, first_key.mark.column) < (mark.line, mark.column) {
                                mark = first_key.mark;
                            }
                        }
                        (Node { kind: NodeKind::Map(entries), mark }, anchor)
                    }
                    None => return Ok(false),
                };
                self.push(node.0, node.1)?;
            }
        }
        Ok(false)
    }

    fn open(&mut self, open: Open, mark: Mark) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(YamlError {
                kind: YamlErrorKind::TooComplex,
                message: format!("the document nests deeper than {MAX_DEPTH} levels"),
                mark,
            });
        }
        self.stack.push(open);
        Ok(())
    }

    /// Adds a finished node to its parent (or makes it the document).
    fn push(&mut self, node: Node, anchor: usize) -> Result<(), YamlError> {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        let awaiting_key = matches!(self.stack.last(), Some(Open::Map { key: None, .. }));
        if awaiting_key {
            self.check_key(&node);
        }
        match self.stack.last_mut() {
            None => self.document = Some(node),
            Some(Open::Seq { items, .. }) => items.push(node),
            Some(Open::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
        }
        Ok(())
    }

    fn check_key(&mut self, key: &Node) {
        let message = match &key.kind {
            NodeKind::Scalar(s) if s.text == "<<" && matches!(s.value, Value::String(_)) => {
                "merge keys (`<<`) are not supported; write the keys out"
            }
            NodeKind::Scalar(_) => return,
            NodeKind::Seq(_) | NodeKind::Map(_) => "mapping keys must be strings, not lists or mappings",
        };
        self.errors.push(YamlError {
            kind: YamlErrorKind::Unsupported,
            message: message.to_string(),
            mark: key.mark,
        });
    }

    fn resolve_scalar(&mut self, text: &str, style: TScalarStyle, tag: Option<&Tag>, mark: Mark) -> Value {
        match tag.map(core_tag) {
            None if style == TScalarStyle::Plain => resolve_plain(text),
            None => Value::String(text.to_string()),
            Some(Some("str")) => Value::String(text.to_string()),
            Some(Some(name @ ("int" | "float" | "bool" | "null"))) => {
                let value = resolve_plain(text);
                let fits = matches!(
                    (name, &value),
                    ("int", Value::Int(_))
                        | ("float", Value::Float(_))
                        | ("bool", Value::Bool(_))
                        | ("null", Value::Null)
                );
                match (name, value) {
                    ("float", Value::Int(i)) => Value::Float(i as f64),
                    (_, value) if fits => value,
                    _ => {
                        self.unsupported(format!("`{text}` is not a valid `!!{name}`"), mark);
                        Value::Null
                    }
                }
            }
            Some(_) => {
                self.unsupported(format!("the tag `{}` is not supported; remove it", tag_text(tag)), mark);
                Value::Null
            }
        }
    }

    fn check_collection_tag(&mut self, tag: Option<&Tag>, expected: &str, mark: Mark) {
        if let Some(t) = tag {
            if core_tag(t) != Some(expected) {
                self.unsupported(format!("the tag `{}` is not supported; remove it", tag_text(tag)), mark);
            }
        }
    }

    fn unsupported(&mut self, message: String, mark: Mark) {
        self.errors.push(YamlError { kind: YamlErrorKind::Unsupported, message, mark });
    }
}

/// The name of a YAML core-schema tag (`!!int` -> `int`), or `None` for any
/// other tag.
fn core_tag(tag: &Tag) -> Option<&str> {
    (tag.handle == "!!" || tag.handle == "tag:yaml.org,2002:").then_some(tag.suffix.as_str())
}

fn tag_text(tag: Option<&Tag>) -> String {
    tag.map_or_else(String::new, |t| format!("{}{}", t.handle, t.suffix))
}

fn count_nodes(node: &Node) -> usize {
    match &node.kind {
        NodeKind::Scalar(_) => 1,
        NodeKind::Seq(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        NodeKind::Map(entries) => {
            1 + entries.iter().map(|(k, v)| count_nodes(k) + count_nodes(v)).sum::<usize>()
        }
    }
}

/// Width of a scalar as written, for the caret under it.
fn scalar_width(text: &str, style: TScalarStyle) -> usize {
    let first_line = text.lines().next().unwrap_or("").chars().count();
    match style {
        TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => first_line + 2,
        TScalarStyle::Plain => first_line,
        _ => 1,
    }
}

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

fn resolve_int(text: &str) -> Option<Value> {
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
fn is_core_float(text: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn merge_keys_and_custom_tags_are_unsupported() {
        let errors = parse("a: &x {b: 1}\nc:\n  <<: *x\nd: !custom 3\n").unwrap_err();
        assert_eq!(errors.len(), 2);
        assert!(errors.iter().all(|e| e.kind == YamlErrorKind::Unsupported));
    }
}
