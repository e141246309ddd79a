//! Driving yaml-rust2's event stream into the positioned tree, after the
//! checks of the whole text that PyYAML's reader makes first.

use std::collections::{HashMap, HashSet};

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::node::{
    mark_of_offset, Mark, Node, NodeKind, Reading11, Scalar, YamlError, YamlErrorKind, MAX_ALIAS_NODES,
    MAX_DEPTH, SLIME_READER,
};
use super::tokens::{EofBlockFix, EofBlockValue, TokenFacts};
use super::yaml11::{construct_tagged, resolve_plain_both, resolve_tagged, Plain11};
use crate::model::value::Value;

/// Parses `text` into its single document, or `None` when the text holds no
/// document (empty, or only comments). Syntax errors stop at the first one;
/// what slime's reader refuses and unsupported features are all collected.
pub(crate) fn parse(text: &str) -> Result<Option<Node>, Vec<YamlError>> {
    // A byte order mark may open a YAML stream; the scanner does not skip it
    // and would make it part of the first key.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Characters first: the scanner reads NUL as the end of the text, and
    // PyYAML refuses a file with any control character before it scans.
    let character_errors = check_characters(text);
    if character_errors.iter().any(|e| e.kind == YamlErrorKind::Syntax) {
        return Err(character_errors);
    }
    let tokens = TokenFacts::scan(text);
    let mut builder = Builder { eof_block_scalar: tokens.eof_block_scalar, ..Builder::default() };
    builder.errors = character_errors;
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, marker) = match parser.next_token() {
            Ok(next) => next,
            Err(e) => {
                let mark = Mark::at(e.marker(), 1);
                builder.errors.push(YamlError::new(YamlErrorKind::Syntax, e.info(), mark));
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
    builder.errors.extend(tokens.errors);
    if builder.errors.is_empty() {
        Ok(builder.document)
    } else {
        builder.errors.sort_by_key(|e| (e.mark.line, e.mark.column));
        Err(builder.errors)
    }
}

/// Characters PyYAML's reader refuses in the whole file, and the three it
/// takes as line breaks where YAML 1.2 takes text.
pub(super) fn check_characters(text: &str) -> Vec<YamlError> {
    let mut errors = Vec::new();
    for (offset, c) in text.char_indices() {
        let message = match c {
            '\0' => "the file contains a NUL byte (U+0000), which YAML does not allow".to_string(),
            '\u{85}' | '\u{2028}' | '\u{2029}' => format!(
                "U+{:04X} ({}) is a line break to {SLIME_READER} and text in YAML 1.2",
                c as u32,
                match c {
                    '\u{85}' => "NEXT LINE",
                    '\u{2028}' => "LINE SEPARATOR",
                    _ => "PARAGRAPH SEPARATOR",
                }
            ),
            c if is_printable_for_pyyaml(c) => continue,
            c => format!("the control character U+{:04X} is refused by {SLIME_READER}", c as u32),
        };
        let help = if c == '\0' {
            "remove it".to_string()
        } else {
            format!(
                "remove it, or write it as the escape \"\\u{:04X}\" inside a double-quoted string",
                c as u32
            )
        };
        let kind = if c == '\0' { YamlErrorKind::Syntax } else { YamlErrorKind::RefusedBySlime };
        errors.push(YamlError { kind, message, help: Some(help), mark: mark_of_offset(text, offset) });
        // One per file: the reader stops at the first.
        break;
    }
    errors
}

/// PyYAML's `Reader.NON_PRINTABLE`, inverted (line breaks handled apart).
pub(super) fn is_printable_for_pyyaml(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}'
}

pub(super) enum Open {
    Seq { anchor: usize, mark: Mark, items: Vec<Node> },
    Map { anchor: usize, mark: Mark, entries: Vec<(Node, Node)>, key: Option<Node>, merges: Vec<Node> },
}

#[derive(Default)]
pub(super) struct Builder {
    pub(super) stack: Vec<Open>,
    pub(super) anchors: HashMap<usize, Node>,
    pub(super) alias_nodes: usize,
    pub(super) documents: usize,
    pub(super) document: Option<Node>,
    pub(super) errors: Vec<YamlError>,
    /// The block scalar the text ends in, when its value needs mending.
    pub(super) eof_block_scalar: Option<EofBlockFix>,
}

impl Builder {
    /// Handles one event; `Ok(true)` at the end of the stream.
    pub(super) fn event(&mut self, event: Event, marker: &Marker) -> Result<bool, YamlError> {
        match event {
            Event::StreamEnd => return Ok(true),
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => {}
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents == 2 {
                    // Parsing goes on: a syntax error later is still reported.
                    self.errors.push(YamlError::new(
                        YamlErrorKind::Unsupported,
                        "the file holds more than one YAML document (`---`); put everything in one",
                        Mark::at(marker, 3),
                    ));
                }
            }
            Event::Alias(id) => {
                let mark = Mark::at(marker, 1);
                let node = self.anchors.get(&id).cloned().ok_or_else(|| {
                    YamlError::new(YamlErrorKind::Syntax, "alias to an unknown anchor", mark)
                })?;
                self.alias_nodes += count_nodes(&node);
                if self.alias_nodes > MAX_ALIAS_NODES {
                    return Err(YamlError::new(
                        YamlErrorKind::TooComplex,
                        format!(
                            "aliases expand to more than {MAX_ALIAS_NODES} nodes (an alias bomb?); write the values out"
                        ),
                        mark,
                    ));
                }
                self.push(node, 0)?;
            }
            Event::Scalar(mut text, style, anchor, tag) => {
                if let Some(fix) = self.eof_block_scalar.as_ref().filter(|fix| {
                    matches!(style, TScalarStyle::Literal | TScalarStyle::Folded)
                        && fix.at == (marker.line(), marker.col())
                }) {
                    match &fix.value {
                        EofBlockValue::DropAddedBreak => {
                            if text.ends_with('\n') {
                                text.pop();
                            }
                        }
                        EofBlockValue::Empty(value) => text.clone_from(value),
                        EofBlockValue::TrimBreaks { keep_one } => {
                            text.truncate(text.trim_end_matches('\n').len());
                            if *keep_one {
                                text.push('\n');
                            }
                        }
                    }
                }
                let len = scalar_width(&text, style);
                let mark = Mark::at(marker, len);
                let awaiting_key = matches!(self.stack.last(), Some(Open::Map { key: None, .. }));
                let scalar = self.resolve_scalar(text, style, tag.as_ref(), mark, awaiting_key);
                self.push(Node { kind: NodeKind::Scalar(scalar), mark }, anchor)?;
            }
            Event::SequenceStart(anchor, tag) => {
                let mark = Mark::at(marker, 1);
                self.check_collection_tag(tag.as_ref(), "seq", mark);
                self.open(Open::Seq { anchor, mark, items: Vec::new() }, mark)?;
            }
            Event::MappingStart(anchor, tag) => {
                let mark = Mark::at(marker, 1);
                self.check_collection_tag(tag.as_ref(), "map", mark);
                let map = Open::Map { anchor, mark, entries: Vec::new(), key: None, merges: Vec::new() };
                self.open(map, mark)?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Open::Seq { anchor, mark, items }) => {
                        (Node { kind: NodeKind::Seq(items), mark }, anchor)
                    }
                    Some(Open::Map { anchor, mut mark, mut entries, merges, .. }) => {
                        // A block mapping's start event points past its
                        // first key; the first key is where it starts.
                        if let Some((first_key, _)) = entries.first() {
                            if (first_key.mark.line, first_key.mark.column) < (mark.line, mark.column) {
                                mark = first_key.mark;
                            }
                        }
                        if !merges.is_empty() {
                            self.merge(&mut entries, merges);
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

    pub(super) fn open(&mut self, open: Open, mark: Mark) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(YamlError::new(
                YamlErrorKind::TooComplex,
                format!("the document nests deeper than {MAX_DEPTH} levels"),
                mark,
            ));
        }
        self.stack.push(open);
        Ok(())
    }

    /// Adds a finished node to its parent (or makes it the document).
    pub(super) fn push(&mut self, node: Node, anchor: usize) -> Result<(), YamlError> {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        let awaiting_key = matches!(self.stack.last(), Some(Open::Map { key: None, .. }));
        if awaiting_key {
            self.check_key(&node);
        }
        match self.stack.last_mut() {
            None if self.documents > 1 => {}
            None => self.document = Some(node),
            Some(Open::Seq { items, .. }) => items.push(node),
            Some(Open::Map { entries, key, merges, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) if is_merge_key(&k) => merges.push(node),
                Some(k) => entries.push((k, node)),
            },
        }
        Ok(())
    }

    /// Merge keys as PyYAML applies them (`flatten_mapping`): the mapping's
    /// own keys win, a later `<<` wins over an earlier one, and in
    /// `<<: [*a, *b]` the first mapping wins.
    pub(super) fn merge(&mut self, entries: &mut Vec<(Node, Node)>, merges: Vec<Node>) {
        let mut present: HashSet<String> = entries.iter().map(|(k, _)| key_identity(k)).collect();
        let mut merged = Vec::new();
        for value in merges.into_iter().rev() {
            let sources: Vec<Node> = match value.kind {
                NodeKind::Map(_) => vec![value],
                NodeKind::Seq(items) if items.iter().all(|i| matches!(i.kind, NodeKind::Map(_))) => items,
                _ => {
                    self.errors.push(YamlError {
                        kind: YamlErrorKind::Unsupported,
                        message: format!(
                            "a merge key (`<<`) takes a mapping or a list of mappings, not {}",
                            value.describe()
                        ),
                        help: Some("write `<<: *anchor` with the anchor on a mapping".to_string()),
                        mark: value.mark,
                    });
                    continue;
                }
            };
            for source in sources {
                let NodeKind::Map(pairs) = source.kind else { continue };
                // Within one mapping, as in a Python dict, the last wins.
                for (k, v) in pairs.into_iter().rev() {
                    if present.insert(key_identity(&k)) {
                        merged.push((k, v));
                    }
                }
            }
        }
        merged.reverse();
        entries.extend(merged);
    }

    pub(super) fn check_key(&mut self, key: &Node) {
        if let NodeKind::Seq(_) | NodeKind::Map(_) = &key.kind {
            self.errors.push(YamlError::new(
                YamlErrorKind::Unsupported,
                "mapping keys must be strings, not lists or mappings",
                key.mark,
            ));
        }
    }

    pub(super) fn resolve_scalar(
        &mut self,
        text: String,
        style: TScalarStyle,
        tag: Option<&Tag>,
        mark: Mark,
        is_key: bool,
    ) -> Scalar {
        let (value, yaml11) = match tag.map(standard_tag) {
            None if style == TScalarStyle::Plain => {
                let (value, reading) = resolve_plain_both(&text);
                match reading {
                    Plain11::Same => (value, None),
                    Plain11::Other(r) => (value, Some(r)),
                    // `<<` as a key is a merge key; anywhere else PyYAML has no constructor.
                    Plain11::Merge if is_key => (value, None),
                    Plain11::Merge | Plain11::ValueKey if !is_key || text == "<<" => {
                        self.errors.push(YamlError::slime(
                            format!("a plain `{text}` is refused by {SLIME_READER} (it is a YAML 1.1 special key)"),
                            format!("quote it: \"{text}\""),
                            mark,
                        ));
                        (value, None)
                    }
                    Plain11::Merge | Plain11::ValueKey => (value, None),
                }
            }
            None => (Value::String(text.clone()), None),
            Some(Some("str")) => (Value::String(text.clone()), None),
            Some(Some(name @ ("int" | "float" | "bool" | "null"))) => {
                let ours = resolve_tagged(name, &text);
                let slime = construct_tagged(name, &text);
                match (ours, slime) {
                    (Some(value), Some(slime)) => {
                        let reading = (slime != value).then_some(Reading11::Value(slime));
                        (value, reading)
                    }
                    (None, _) => {
                        self.unsupported(format!("`{text}` is not a valid `!!{name}`"), mark);
                        (Value::Null, None)
                    }
                    (Some(value), None) => {
                        self.errors.push(YamlError::slime(
                            format!("`!!{name} {text}` is refused by {SLIME_READER}"),
                            "remove the tag",
                            mark,
                        ));
                        (value, None)
                    }
                }
            }
            Some(_) => {
                self.unsupported(format!("the tag `{}` is not supported; remove it", tag_text(tag)), mark);
                (Value::Null, None)
            }
        };
        let plain = style == TScalarStyle::Plain && tag.is_none();
        Scalar { text, value, yaml11, plain }
    }

    pub(super) fn check_collection_tag(&mut self, tag: Option<&Tag>, expected: &str, mark: Mark) {
        if let Some(t) = tag {
            if standard_tag(t) != Some(expected) {
                self.unsupported(format!("the tag `{}` is not supported; remove it", tag_text(tag)), mark);
            }
        }
    }

    pub(super) fn unsupported(&mut self, message: String, mark: Mark) {
        self.errors.push(YamlError::new(YamlErrorKind::Unsupported, message, mark));
    }
}

/// A plain, untagged `<<` key: a merge key in YAML 1.1.
pub(super) fn is_merge_key(key: &Node) -> bool {
    matches!(&key.kind, NodeKind::Scalar(s) if s.plain && s.text == "<<")
}

/// Keys compare as their text (as config.rs compares them).
pub(super) fn key_identity(key: &Node) -> String {
    match &key.kind {
        NodeKind::Scalar(s) => s.text.clone(),
        _ => String::new(),
    }
}

/// The name of a YAML standard tag (`!!int`, `!<tag:yaml.org,2002:int>` ->
/// `int`), or `None` for any other tag.
pub(super) fn standard_tag(tag: &Tag) -> Option<&str> {
    const PREFIX: &str = "tag:yaml.org,2002:";
    if tag.handle == "!!" || tag.handle == PREFIX {
        Some(tag.suffix.as_str())
    } else if tag.handle.is_empty() || tag.handle == "!" {
        tag.suffix.strip_prefix(PREFIX)
    } else {
        None
    }
}

pub(super) fn tag_text(tag: Option<&Tag>) -> String {
    tag.map_or_else(String::new, |t| format!("{}{}", t.handle, t.suffix))
}

pub(super) fn count_nodes(node: &Node) -> usize {
    match &node.kind {
        NodeKind::Scalar(_) => 1,
        NodeKind::Seq(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        NodeKind::Map(entries) => {
            1 + entries.iter().map(|(k, v)| count_nodes(k) + count_nodes(v)).sum::<usize>()
        }
    }
}

/// Width of a scalar as written, for the caret under it.
pub(super) fn scalar_width(text: &str, style: TScalarStyle) -> usize {
    let first_line = text.lines().next().unwrap_or("").chars().count();
    match style {
        TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => first_line + 2,
        TScalarStyle::Plain => first_line,
        _ => 1,
    }
}
