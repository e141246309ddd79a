//! The token pre-pass: what yaml-rust2's scanner shows that its event
//! stream hides (anchor names, tags before flow indicators, tabs PyYAML
//! refuses, block scalars that end the text).

use std::collections::HashMap;

use yaml_rust2::scanner::{Marker, Scanner, TScalarStyle, Token, TokenType};

use super::node::{mark_of_offset, Mark, YamlError, SLIME_READER};

/// What the token stream shows that the event stream hides: anchor names,
/// the `%YAML` version, where quoted and block scalars are (tabs are text
/// there), and the block scalar the text ends in.
#[derive(Default)]
pub(super) struct TokenFacts {
    pub(super) errors: Vec<YamlError>,
    /// The block scalar the text ends in, when yaml-rust2 reads it otherwise
    /// than the YAML spec (and PyYAML).
    pub(super) eof_block_scalar: Option<EofBlockFix>,
}

/// A block scalar at the end of the text, read as the YAML spec reads it:
/// where it starts (the scanner's line and column) and its value.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct EofBlockFix {
    pub(super) at: (usize, usize),
    pub(super) value: EofBlockValue,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum EofBlockValue {
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
pub(super) enum Chomping {
    Clip,
    Strip,
    Keep,
}

/// The chomping of the block scalar whose header is the first `|` or `>` of
/// `text` (the text after the token before the scalar).
pub(super) fn block_chomping(text: &str) -> Chomping {
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
    pub(super) fn scan(text: &str) -> Self {
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
pub(super) fn may_hide_facts(text: &str) -> bool {
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
pub(super) struct LineIndex<'t> {
    pub(super) text: &'t str,
    pub(super) starts: Vec<usize>,
    /// The last (line, column) found and its byte offset.
    pub(super) last: (usize, usize, usize),
}

impl<'t> LineIndex<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        LineIndex { text, starts, last: (1, 0, 0) }
    }

    pub(super) fn offset(&mut self, marker: &Marker) -> usize {
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
pub(super) fn is_pyyaml_anchor_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// `,`, `[`, `]`, `{`, `}`.
pub(super) fn is_flow_indicator(c: char) -> bool {
    matches!(c, ',' | '[' | ']' | '{' | '}')
}

/// The byte just past the tag that starts at `start` (a `!`), as yaml-rust2
/// reads it: `!<...>`, or URI characters up to a flow indicator.
pub(super) fn tag_end(text: &str, start: usize) -> usize {
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
pub(super) fn tag_before_flow_indicator(
    tag: &str,
    indicator: char,
    key: Option<&str>,
    mark: Mark,
) -> YamlError {
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
pub(super) fn empty_block_scalar_at_end(text: &str) -> Option<String> {
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
pub(super) fn quoted_end(text: &str, start: usize, quote: char) -> Option<usize> {
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
pub(super) fn first_refused_tab(text: &str, tab_ok: &[(usize, usize)]) -> Option<usize> {
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
pub(super) fn scanner_added_final_break(text: &str, indent: usize, chomping: Chomping) -> EofBlock {
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
pub(super) enum EofBlock {
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
