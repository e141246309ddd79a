//! The YAML boundary: text in, a tree of positioned nodes out (and values
//! back out as YAML flow text, for templates).
//!
//! This is the only module that reads or writes YAML text. It reads the event
//! stream of `yaml-rust2` (a YAML 1.2 parser that gives every event a line and
//! column) and resolves plain scalars itself. The same file is also read by
//! slime, with PyYAML's `safe_load` (YAML 1.1), so every scalar gets both
//! readings ([`Scalar::value`], [`Scalar::yaml11`]), and what PyYAML refuses
//! outright (tabs where its scanner stops, control characters, a repeated
//! anchor, ...) is found here before the file is used (SPEC 2.8).
//!
//! The parser was chosen by measurement (`yaml-test-suite` at 6ad3d2c, 402
//! inputs; and the 10,088 files of `scripts/yaml_differential.py`, seed 11,
//! each parser on its own, before any of the checks of this module):
//!
//! | parser            | errors rejected | valid accepted | PyYAML refuses, parser accepts | PyYAML reads, parser refuses | panics |
//! |-------------------|-----------------|----------------|--------------------------------|------------------------------|--------|
//! | yaml-rust2 0.13   | 94/94           | 308/308        | 1181/2216                      | 6/7872                       | 0      |
//! | saphyr-parser 0.3 | 94/94           | 308/308        | 1187/2216                      | 12/7872                      | 0      |
//! | libyaml-safer 0.3 | 78/94           | 255/308        | 1129/2216                      | 8/7872                       | yes    |
//!
//! libyaml (the C loader's parser) is YAML 1.1 but not PyYAML's pure-Python
//! scanner either (it allows tabs PyYAML refuses), misses 16 error cases and
//! refuses 53 valid ones; its safe port panics on some inputs. saphyr-parser
//! (yaml-rust2's successor) conforms equally, with the same EOF block-scalar
//! bug; yaml-rust2 was kept: no new dependency, and what no parser matches
//! (the YAML 1.1 readings) is modelled here anyway.

use std::collections::{HashMap, HashSet};

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, Scanner, TScalarStyle, Token, TokenType};

use crate::model::value::{format_float, Value};

/// Deeper nesting than this is rejected (the format needs about six levels).
pub(crate) const MAX_DEPTH: usize = 64;
/// Nodes that alias expansion may create in one document; bounds alias bombs.
pub(crate) const MAX_ALIAS_NODES: usize = 100_000;

/// What slime's reader says in messages.
const SLIME_READER: &str = "slime's YAML reader (PyYAML `safe_load`, YAML 1.1)";

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

/// A scalar: its text as written (unescaped), its value, and slime's
/// reading of it where that differs.
#[derive(Clone, Debug)]
pub(crate) struct Scalar {
    pub(crate) text: String,
    /// The value this loader reads: YAML 1.2's core schema, plus `_` between
    /// digits, which both readers take as a number (SPEC 2.9).
    pub(crate) value: Value,
    /// What PyYAML makes of the scalar, when that is not `value`.
    pub(crate) yaml11: Option<Reading11>,
    /// Written plain and untagged (`<<` is then a merge key).
    pub(crate) plain: bool,
}

/// PyYAML's reading of a scalar.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Reading11 {
    /// A value of the kinds this loader knows.
    Value(Value),
    /// A date or time (`2001-12-14`), which no argument takes.
    Timestamp,
}

impl Reading11 {
    fn describe(&self) -> String {
        match self {
            Reading11::Value(v) => v.describe(),
            Reading11::Timestamp => "a date".to_string(),
        }
    }
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

    /// The first scalar (in file order) that slime's reader reads otherwise.
    pub(crate) fn first_read_otherwise(&self) -> Option<(&Node, &Scalar, &Reading11)> {
        match &self.kind {
            NodeKind::Scalar(s) => s.yaml11.as_ref().map(|r| (self, s, r)),
            NodeKind::Seq(items) => items.iter().find_map(Node::first_read_otherwise),
            NodeKind::Map(entries) => entries
                .iter()
                .find_map(|(k, v)| k.first_read_otherwise().or_else(|| v.first_read_otherwise())),
        }
    }

    /// The node as slime's reader reads it; `None` when some scalar has no
    /// value form there (a date), or the node holds a mapping.
    pub(crate) fn to_value_yaml11(&self) -> Option<Value> {
        match &self.kind {
            NodeKind::Scalar(s) => match &s.yaml11 {
                None => Some(s.value.clone()),
                Some(Reading11::Value(v)) => Some(v.clone()),
                Some(Reading11::Timestamp) => None,
            },
            NodeKind::Seq(items) => {
                items.iter().map(Node::to_value_yaml11).collect::<Option<_>>().map(Value::List)
            }
            NodeKind::Map(_) => None,
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

/// How slime's reading of `scalar` differs, for messages: "`010` is integer 8
/// to slime's YAML reader (...), and integer 10 in YAML 1.2".
pub(crate) fn read_otherwise_message(scalar: &Scalar, reading: &Reading11) -> String {
    format!(
        "`{}` is {} to {SLIME_READER}, and {} in YAML 1.2",
        scalar.text,
        reading.describe(),
        scalar.value.describe()
    )
}

/// A problem the YAML layer found, with its position.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct YamlError {
    pub(crate) kind: YamlErrorKind,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
    pub(crate) mark: Mark,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum YamlErrorKind {
    Syntax,
    TooComplex,
    Unsupported,
    /// Valid YAML 1.2 that slime's reader refuses or reads as another file.
    RefusedBySlime,
}

impl YamlError {
    fn new(kind: YamlErrorKind, message: impl Into<String>, mark: Mark) -> Self {
        YamlError { kind, message: message.into(), help: None, mark }
    }

    fn slime(message: impl Into<String>, help: impl Into<String>, mark: Mark) -> Self {
        YamlError {
            kind: YamlErrorKind::RefusedBySlime,
            message: message.into(),
            help: Some(help.into()),
            mark,
        }
    }
}

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

/// Characters PyYAML's reader refuses in the whole file, and the three it
/// takes as line breaks where YAML 1.2 takes text.
fn check_characters(text: &str) -> Vec<YamlError> {
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
fn is_printable_for_pyyaml(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}'
}

/// What the token stream shows that the event stream hides: anchor names,
/// the `%YAML` version, where quoted and block scalars are (tabs are text
/// there), and the block scalar the text ends in.
#[derive(Default)]
struct TokenFacts {
    errors: Vec<YamlError>,
    /// The block scalar the text ends in, when yaml-rust2 reads it otherwise
    /// than the YAML spec (and PyYAML).
    eof_block_scalar: Option<EofBlockFix>,
}

/// A block scalar at the end of the text, read as the YAML spec reads it:
/// where it starts (the scanner's line and column) and its value.
#[derive(Clone, Debug, PartialEq)]
struct EofBlockFix {
    at: (usize, usize),
    value: EofBlockValue,
}

#[derive(Clone, Debug, PartialEq)]
enum EofBlockValue {
    /// Its last content line has no line break, and yaml-rust2 added one.
    DropAddedBreak,
    /// It has no content: empty, or (kept, `|+`) the blank lines after the
    /// header; yaml-rust2 counts the header's own line break too.
    Empty(String),
    /// Its trailing line breaks chomped as the header says: one kept (clip)
    /// or none (strip).
    TrimBreaks { keep_one: bool },
}

/// A block scalar's chomping indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Chomping {
    Clip,
    Strip,
    Keep,
}

/// The chomping of the block scalar whose header is the first `|` or `>` of
/// `text` (the text after the token before the scalar).
fn block_chomping(text: &str) -> Chomping {
    let Some(at) = text.find(['|', '>']) else { return Chomping::Clip };
    let indicators = text[at + 1..].chars().take(2).take_while(|c| matches!(c, '1'..='9' | '+' | '-'));
    let mut chomping = Chomping::Clip;
    for c in indicators {
        match c {
            '+' => chomping = Chomping::Keep,
            '-' => chomping = Chomping::Strip,
            _ => {}
        }
    }
    chomping
}

impl TokenFacts {
    fn scan(text: &str) -> Self {
        let mut facts = TokenFacts::default();
        if !may_hide_facts(text) {
            // A second scan of the text was most of the loader's time on
            // plain files; these have nothing for it to find.
            return facts;
        }
        let mut lines = LineIndex::new(text);
        // Byte ranges where a tab is text to PyYAML: quoted scalars and the
        // content lines of block scalars.
        let mut tab_ok: Vec<(usize, usize)> = Vec::new();
        let mut open_block: Option<usize> = None;
        // The last scalar: where, its style, and whether its value is only
        // line breaks (an empty block scalar starts at its header).
        let mut last_scalar: Option<(Marker, TScalarStyle, usize, bool, Chomping)> = None;
        let mut previous_end = 0usize;
        // The key whose value comes next (`save` in `{save: !!str}`), for messages.
        let mut last_scalar_text: Option<String> = None;
        let mut key: Option<String> = None;
        let mut anchors: HashMap<String, Mark> = HashMap::new();
        let mut flow_depth = 0usize;
        let mut scanner = Scanner::new(text.chars());
        // A scan error is the parser's to report; the facts stop there.
        while let Ok(Some(Token(marker, token))) = scanner.next_token() {
            let offset = lines.offset(&marker);
            if let Some(start) = open_block.take() {
                tab_ok.push((start, offset));
            }
            // Past this token's own text: a block scalar's header comes after it.
            let token_end = match &token {
                TokenType::StreamStart(_) => 0,
                TokenType::Anchor(name) | TokenType::Alias(name) => offset + 1 + name.len(),
                TokenType::Tag(..) => tag_end(text, offset),
                _ => offset + 1,
            };
            let header_from = std::mem::replace(&mut previous_end, token_end.min(text.len()));
            match &token {
                TokenType::Value => key = last_scalar_text.take(),
                TokenType::Tag(..) | TokenType::Anchor(_) => {}
                _ => key = None,
            }
            if !matches!(token, TokenType::Scalar(..)) {
                last_scalar_text = None;
            }
            match token {
                TokenType::VersionDirective(major, minor) if major != 1 => {
                    facts.errors.push(YamlError::slime(
                        format!("`%YAML {major}.{minor}`: {SLIME_READER} reads only YAML 1.x documents"),
                        "remove the `%YAML` line",
                        Mark::at(&marker, 5),
                    ));
                }
                TokenType::Tag(..) => {
                    let end = tag_end(text, offset);
                    if let Some(indicator) = text[end..].chars().next().filter(|&c| is_flow_indicator(c)) {
                        facts.errors.push(tag_before_flow_indicator(
                            &text[offset..end],
                            indicator,
                            key.as_deref(),
                            Mark::at(&marker, text[offset..end].chars().count()),
                        ));
                    }
                }
                TokenType::Anchor(ref name) | TokenType::Alias(ref name)
                    if text
                        .get(offset + 1 + name.len()..)
                        .is_some_and(|after| after.starts_with(['[', '{'])) =>
                {
                    let sigil = if matches!(token, TokenType::Anchor(_)) { '&' } else { '*' };
                    let indicator = &text[offset + 1 + name.len()..][..1];
                    facts.errors.push(YamlError::slime(
                        format!(
                            "`{sigil}{name}` is written directly before `{indicator}`: YAML 1.2 reads it as the anchor of what follows, and {SLIME_READER} refuses the file (it needs a space there)"
                        ),
                        format!("put a space after it: `{sigil}{name} {indicator}`"),
                        Mark::at(&marker, name.chars().count() + 1),
                    ));
                }
                TokenType::Anchor(name) | TokenType::Alias(name) if !is_pyyaml_anchor_name(&name) => {
                    facts.errors.push(YamlError::slime(
                        format!("the anchor name `{name}` is refused by {SLIME_READER}"),
                        "anchor names may use only letters, digits, `-` and `_`",
                        Mark::at(&marker, name.chars().count() + 1),
                    ));
                }
                TokenType::Anchor(name) => {
                    let mark = Mark::at(&marker, name.chars().count() + 1);
                    if let Some(first) = anchors.insert(name.clone(), mark) {
                        facts.errors.push(YamlError::slime(
                            format!(
                                "the anchor `&{name}` is defined twice (first on line {}); {SLIME_READER} refuses the file",
                                first.line
                            ),
                            "give each anchor its own name",
                            mark,
                        ));
                    }
                }
                TokenType::FlowSequenceStart | TokenType::FlowMappingStart => flow_depth += 1,
                TokenType::FlowSequenceEnd | TokenType::FlowMappingEnd => {
                    flow_depth = flow_depth.saturating_sub(1)
                }
                TokenType::Scalar(style, value) => {
                    match style {
                        TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => {
                            let quote = if style == TScalarStyle::SingleQuoted { '\'' } else { '"' };
                            if let Some(end) = quoted_end(text, offset, quote) {
                                tab_ok.push((offset, end));
                            }
                        }
                        TScalarStyle::Literal | TScalarStyle::Folded => {
                            // The token starts at its content (past the
                            // header) and runs to the next token.
                            open_block = Some(offset);
                        }
                        _ => {
                            if flow_depth > 0 && value.starts_with(['?', ':', '|', '>']) {
                                let first = value.chars().next().unwrap_or('?');
                                facts.errors.push(YamlError::slime(
                                    format!(
                                        "`{value}` in a flow collection: {SLIME_READER} reads `{first}` there as an indicator, not text"
                                    ),
                                    format!("quote the value: \"{value}\""),
                                    Mark::at(&marker, value.chars().count()),
                                ));
                            }
                        }
                    }
                    let only_breaks = value.bytes().all(|b| b == b'\n');
                    let chomping = block_chomping(text.get(header_from..).unwrap_or(""));
                    last_scalar = Some((marker, style, offset, only_breaks, chomping));
                    last_scalar_text = Some(value);
                }
                TokenType::StreamEnd => {
                    if let Some((
                        marker,
                        TScalarStyle::Literal | TScalarStyle::Folded,
                        start,
                        only_breaks,
                        chomping,
                    )) = last_scalar
                    {
                        let at = (marker.line(), marker.col());
                        // A block scalar without content that the text ends
                        // in: its token starts at the header (`|`, `>`).
                        let ending = if only_breaks && text[start..].starts_with(['|', '>']) {
                            match empty_block_scalar_at_end(&text[start..]) {
                                Some(value) => EofBlock::Empty(value),
                                None => EofBlock::BlankLine,
                            }
                        } else {
                            scanner_added_final_break(text, marker.col(), chomping)
                        };
                        let value = match ending {
                            EofBlock::Fine => None,
                            EofBlock::AddedBreak => Some(EofBlockValue::DropAddedBreak),
                            EofBlock::BlankLast => {
                                Some(EofBlockValue::TrimBreaks { keep_one: chomping == Chomping::Clip })
                            }
                            EofBlock::Empty(value) => Some(EofBlockValue::Empty(value)),
                            EofBlock::BlankLine => {
                                facts.errors.push(YamlError::slime(
                                    format!(
                                        "the file ends in a line of spaces inside a block scalar: YAML 1.2 ends the value with a line break there, {SLIME_READER} does not"
                                    ),
                                    "end the file with a line break, or remove the trailing spaces",
                                    mark_of_offset(text, text.len()),
                                ));
                                None
                            }
                        };
                        facts.eof_block_scalar = value.map(|value| EofBlockFix { at, value });
                    }
                }
                _ => {}
            }
        }
        if let Some(start) = open_block {
            tab_ok.push((start, text.len()));
        }
        if let Some(offset) = first_refused_tab(text, &tab_ok) {
            let mark = mark_of_offset(text, offset);
            facts.errors.push(YamlError::slime(
                format!("a tab here is refused by {SLIME_READER}"),
                "use spaces; tabs are text only inside quotes, block scalars and comments",
                mark,
            ));
        }
        facts
    }
}

/// Whether the token scan could find anything in `text`: it needs a
/// directive (`%`), an anchor or alias (`&`, `*`), a tab, a block scalar
/// (`|`, `>`), an explicit key (`?`), or a flow collection with a tag (`!`,
/// which may stand before a flow indicator) or a plain scalar starting with
/// `:` (a `:` followed by neither a space nor a flow indicator: `[:a]`). A
/// `:` after text (`http://`) may trigger a needless scan, never a missed one.
fn may_hide_facts(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.iter().any(|b| matches!(b, b'%' | b'&' | b'*' | b'\t' | b'|' | b'>' | b'?')) {
        return true;
    }
    let has_flow = bytes.iter().any(|b| matches!(b, b'[' | b'{'));
    has_flow
        && (bytes.contains(&b'!')
            || bytes.windows(2).any(|pair| {
                pair[0] == b':' && !matches!(pair[1], b' ' | b'\t' | b'\n' | b'\r' | b',' | b']' | b'}')
            }))
}

/// Byte offsets of line starts, to turn the scanner's (line, column) into a
/// byte offset. Tokens come in text order, so the last position found is
/// where the next search starts: linear in the text, even on one long line.
struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
    /// The last (line, column) found and its byte offset.
    last: (usize, usize, usize),
}

impl<'t> LineIndex<'t> {
    fn new(text: &'t str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        LineIndex { text, starts, last: (1, 0, 0) }
    }

    fn offset(&mut self, marker: &Marker) -> usize {
        let (line, column) = (marker.line(), marker.col());
        let (mut col, mut at) = if (line, column) >= (self.last.0, self.last.1) && line == self.last.0 {
            (self.last.1, self.last.2)
        } else {
            match self.starts.get(line.saturating_sub(1)) {
                Some(&start) => (0, start),
                None => return self.text.len(),
            }
        };
        let mut chars = self.text[at..].chars();
        while col < column {
            match chars.next() {
                Some('\n' | '\r') | None => break,
                Some(c) => {
                    at += c.len_utf8();
                    col += 1;
                }
            }
        }
        self.last = (line, col, at);
        at
    }
}

/// PyYAML's `scan_anchor`: letters, digits, `-` and `_`.
fn is_pyyaml_anchor_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// `,`, `[`, `]`, `{`, `}`.
fn is_flow_indicator(c: char) -> bool {
    matches!(c, ',' | '[' | ']' | '{' | '}')
}

/// The byte just past the tag that starts at `start` (a `!`), as yaml-rust2
/// reads it: `!<...>`, or URI characters up to a flow indicator.
fn tag_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    if rest.starts_with("!<") {
        return rest.find('>').map_or(text.len(), |i| start + i + 1);
    }
    let is_tag_char =
        |c: char| c.is_ascii_alphanumeric() || ("-#;/?:@&=+$_.!~*'()%".contains(c) && !is_flow_indicator(c));
    start + rest.find(|c: char| !is_tag_char(c)).unwrap_or(rest.len())
}

/// A tag directly before a flow indicator (`{save: !!str}`): YAML 1.2 ends
/// the tag there; PyYAML needs a space after a tag and reads `,`, `[` and
/// `]` as part of one, so it refuses the file.
fn tag_before_flow_indicator(tag: &str, indicator: char, key: Option<&str>, mark: Mark) -> YamlError {
    let why = match indicator {
        ',' | '[' | ']' => format!("it reads `{tag}{indicator}` as the start of a tag"),
        _ => "it needs a space after a tag".to_string(),
    };
    let (reading, help) = if matches!(indicator, '[' | '{') {
        (
            "it as the tag of what follows".to_string(),
            format!("put a space after the tag: `{tag} {indicator}`"),
        )
    } else {
        let empty = match key {
            Some(key) => format!("`{key}: \"\"` (or `{key}: !!str \"\"`)"),
            None => "`\"\"` (or `!!str \"\"`)".to_string(),
        };
        (
            "an empty value with that tag".to_string(),
            format!("write the value after the tag and a space; an empty string is {empty}"),
        )
    };
    YamlError::slime(
        format!(
            "the tag `{tag}` is written directly before `{indicator}`: YAML 1.2 reads {reading}, and {SLIME_READER} refuses the file ({why})"
        ),
        help,
        mark,
    )
}

/// The value of a block scalar without content that ends the text, from its
/// header (`text` starts at the `|` or `>`): empty, or with keep chomping
/// (`|+`) one line break per blank line after the header's line. The YAML
/// spec and PyYAML read it so; yaml-rust2 gives `\n` where the header's line
/// break is the last one. `None` where the readers differ: a kept scalar
/// whose text ends in a line of spaces without a line break (the
/// yaml-test-suite, JEF9, counts a line break there, PyYAML does not).
fn empty_block_scalar_at_end(text: &str) -> Option<String> {
    if block_chomping(text) != Chomping::Keep {
        return Some(String::new());
    }
    let header_len = text.find(['\n', '\r']).unwrap_or(text.len());
    let rest = &text[header_len..];
    let rest = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix(['\n', '\r'])).unwrap_or(rest);
    let last_line = &rest[rest.rfind(['\n', '\r']).map_or(0, |i| i + 1)..];
    if !last_line.is_empty() {
        return None;
    }
    let lone_returns = rest.match_indices('\r').filter(|(i, _)| !rest[i + 1..].starts_with('\n')).count();
    Some("\n".repeat(rest.matches('\n').count() + lone_returns))
}

/// The byte just past the closing quote of the quoted scalar opening at `start`.
fn quoted_end(text: &str, start: usize, quote: char) -> Option<usize> {
    let rest = text.get(start..)?;
    let mut chars = rest.char_indices();
    if chars.next()?.1 != quote {
        return None;
    }
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            '\'' if quote == '\'' && rest[i + 1..].starts_with('\'') => {
                chars.next();
            }
            c if c == quote => return Some(start + i + 1),
            _ => {}
        }
    }
    None
}

/// The first tab outside quoted scalars, block scalar content and comments:
/// PyYAML's scanner skips only spaces between tokens and ends a plain scalar
/// at a tab, so a tab anywhere else stops it.
fn first_refused_tab(text: &str, tab_ok: &[(usize, usize)]) -> Option<usize> {
    let mut in_comment = false;
    let mut previous = '\n';
    // The spans are in text order and do not overlap: one pass over both.
    let mut spans = tab_ok.iter().peekable();
    for (offset, c) in text.char_indices() {
        while spans.peek().is_some_and(|&&(_, end)| end <= offset) {
            spans.next();
        }
        let allowed = spans.peek().is_some_and(|&&(start, _)| start <= offset);
        match c {
            '\n' | '\r' => in_comment = false,
            '#' if !allowed && matches!(previous, ' ' | '\t' | '\n' | '\r') => in_comment = true,
            '\t' if !allowed && !in_comment => return Some(offset),
            _ => {}
        }
        previous = c;
    }
    None
}

/// Whether yaml-rust2 gave the block scalar whose content starts at column
/// `indent` (0-based) a line break the text does not have: it does when the
/// text ends inside the scalar, without a final line break, at least as far
/// right as the scalar's indentation. The YAML spec (and PyYAML) keep only
/// the breaks written.
fn scanner_added_final_break(text: &str, indent: usize, chomping: Chomping) -> EofBlock {
    if text.ends_with(['\n', '\r']) {
        return EofBlock::Fine;
    }
    let last_line = &text[text.rfind(['\n', '\r']).map_or(0, |i| i + 1)..];
    let last_indent = last_line.len() - last_line.trim_start_matches(' ').len();
    if last_line.trim().is_empty() {
        // Blank: the scanner is still in the scalar only this far right.
        let spaces = last_line.chars().count();
        if spaces < indent.max(1) {
            EofBlock::Fine
        } else if spaces == indent && chomping != Chomping::Keep {
            // A blank line of the scalar: clip and strip drop it, whether or
            // not it ends in a line break.
            EofBlock::BlankLast
        } else {
            EofBlock::BlankLine
        }
    } else if last_indent >= indent.max(1) || !last_line.trim_start().starts_with('#') {
        // Content of the scalar (a comment left of it would end it).
        EofBlock::AddedBreak
    } else {
        EofBlock::Fine
    }
}

/// How a block scalar that ends the text ends.
#[derive(PartialEq)]
enum EofBlock {
    Fine,
    /// Its last content line has no line break, and yaml-rust2 added one.
    AddedBreak,
    /// It has no content; its value, as the YAML spec and PyYAML read it.
    Empty(String),
    /// The text ends in a line of only the scalar's indentation, and clip or
    /// strip chomping drops the trailing lines; yaml-rust2 may keep a break.
    BlankLast,
    /// The text ends in a line of spaces at least as indented as the scalar:
    /// the yaml-test-suite (L24T, JEF9) counts a line break there, PyYAML
    /// does not.
    BlankLine,
}

enum Open {
    Seq { anchor: usize, mark: Mark, items: Vec<Node> },
    Map { anchor: usize, mark: Mark, entries: Vec<(Node, Node)>, key: Option<Node>, merges: Vec<Node> },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Open>,
    anchors: HashMap<usize, Node>,
    alias_nodes: usize,
    documents: usize,
    document: Option<Node>,
    errors: Vec<YamlError>,
    /// The block scalar the text ends in, when its value needs mending.
    eof_block_scalar: Option<EofBlockFix>,
}

impl Builder {
    /// Handles one event; `Ok(true)` at the end of the stream.
    fn event(&mut self, event: Event, marker: &Marker) -> Result<bool, YamlError> {
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

    fn open(&mut self, open: Open, mark: Mark) -> Result<(), YamlError> {
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
    fn push(&mut self, node: Node, anchor: usize) -> Result<(), YamlError> {
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
    fn merge(&mut self, entries: &mut Vec<(Node, Node)>, merges: Vec<Node>) {
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

    fn check_key(&mut self, key: &Node) {
        if let NodeKind::Seq(_) | NodeKind::Map(_) = &key.kind {
            self.errors.push(YamlError::new(
                YamlErrorKind::Unsupported,
                "mapping keys must be strings, not lists or mappings",
                key.mark,
            ));
        }
    }

    fn resolve_scalar(
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

    fn check_collection_tag(&mut self, tag: Option<&Tag>, expected: &str, mark: Mark) {
        if let Some(t) = tag {
            if standard_tag(t) != Some(expected) {
                self.unsupported(format!("the tag `{}` is not supported; remove it", tag_text(tag)), mark);
            }
        }
    }

    fn unsupported(&mut self, message: String, mark: Mark) {
        self.errors.push(YamlError::new(YamlErrorKind::Unsupported, message, mark));
    }
}

/// A plain, untagged `<<` key: a merge key in YAML 1.1.
fn is_merge_key(key: &Node) -> bool {
    matches!(&key.kind, NodeKind::Scalar(s) if s.plain && s.text == "<<")
}

/// Keys compare as their text (as config.rs compares them).
fn key_identity(key: &Node) -> String {
    match &key.kind {
        NodeKind::Scalar(s) => s.text.clone(),
        _ => String::new(),
    }
}

/// The name of a YAML standard tag (`!!int`, `!<tag:yaml.org,2002:int>` ->
/// `int`), or `None` for any other tag.
fn standard_tag(tag: &Tag) -> Option<&str> {
    const PREFIX: &str = "tag:yaml.org,2002:";
    if tag.handle == "!!" || tag.handle == PREFIX {
        Some(tag.suffix.as_str())
    } else if tag.handle.is_empty() || tag.handle == "!" {
        tag.suffix.strip_prefix(PREFIX)
    } else {
        None
    }
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

/// PyYAML's reading of a plain scalar, next to this loader's.
enum Plain11 {
    Same,
    Other(Reading11),
    /// `<<`: the merge key.
    Merge,
    /// `=`: YAML 1.1's value key, which `safe_load` cannot construct.
    ValueKey,
}

/// This loader's value of a plain scalar, and how PyYAML's differs.
fn resolve_plain_both(text: &str) -> (Value, Plain11) {
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
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x == y || (x.is_nan() && y.is_nan()),
        _ => a == b,
    }
}

enum Resolved11 {
    Value(Value),
    Timestamp,
    Merge,
    ValueKey,
}

/// PyYAML's implicit resolvers (`resolver.py`) and constructors
/// (`constructor.py`) for a plain scalar.
fn resolve_plain_yaml11(text: &str) -> Resolved11 {
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
fn split_sign(text: &str) -> (bool, &str) {
    match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    }
}

fn all(s: &str, f: impl Fn(u8) -> bool) -> bool {
    s.bytes().all(f)
}

/// `[0-9][0-9_]*` at the start of `s`: its length (0 when absent).
fn digits_underscores(s: &str) -> usize {
    if !s.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return 0;
    }
    s.bytes().take_while(|b| b.is_ascii_digit() || *b == b'_').count()
}

/// `(?::[0-5]?[0-9])+` covering all of `s`.
fn sexagesimal_tail(s: &str) -> bool {
    !s.is_empty()
        && s.split(':')
            .skip(1)
            .all(|part| matches!(part.as_bytes(), [d] | [b'0'..=b'5', d] if d.is_ascii_digit()))
        && s.starts_with(':')
}

/// PyYAML's float resolver.
fn is_yaml11_float(text: &str) -> bool {
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
fn is_yaml11_int(text: &str) -> bool {
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
fn is_yaml11_timestamp(text: &str) -> bool {
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
fn construct_int(text: &str) -> Option<Value> {
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
fn construct_float(text: &str) -> Option<f64> {
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
fn python_float(text: &str) -> Option<f64> {
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
fn resolve_tagged(name: &str, text: &str) -> Option<Value> {
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
fn construct_tagged(name: &str, text: &str) -> Option<Value> {
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
            assert!(
                matches!((&got, &want), (Resolved11::Value(a), Resolved11::Value(b)) if a == b),
                "{text}"
            );
        }
        let string = |t: &str| Value::String(t.to_string());
        for text in ["0o10", "08", "1e-5", "1.0e5", "-.5", "y", "n", "0X1F"] {
            assert!(
                matches!(resolve_plain_yaml11(text), Resolved11::Value(v) if v == string(text)),
                "{text}"
            );
        }
        for (text, want) in [("1.0e-5", 1.0e-5), ("1_0.5", 10.5), ("1:30.5", 90.5), (".5", 0.5), ("1.", 1.0)]
        {
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
}
