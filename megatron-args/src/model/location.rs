//! Places in a loaded file: the file itself ([`Source`]) and a place in it
//! ([`Location`]), shared by problems and diagnostics.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// A loaded file's name and text, shared by every location in it so that a
/// report can show the offending line.
#[derive(Debug)]
pub struct Source {
    origin: String,
    text: String,
    /// Byte offset of the start of every line, so that [`Source::line`] is
    /// O(1): a file with many problems renders in linear time.
    line_starts: Vec<usize>,
}

impl Source {
    /// A source named `origin` (a path, or a label such as `<inline>`).
    pub fn new(origin: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        let text = text.into();
        let line_starts = line_starts(&text);
        Arc::new(Source { origin: origin.into(), text, line_starts })
    }

    /// The file name or label.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The 1-based line `line`, without its line break. Lines end at `\n`,
    /// `\r\n` or a lone `\r`, as the YAML parser counts them.
    pub fn line(&self, line: usize) -> Option<&str> {
        self.line_span(line).map(|span| &self.text[span])
    }

    /// How many lines the text has.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte range of the 1-based line `line` in [`Source::text`],
    /// without its line break.
    pub fn line_span(&self, line: usize) -> Option<Range<usize>> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self.line_starts.get(line).copied().unwrap_or(self.text.len());
        let text = &self.text[start..end];
        let text = text.strip_suffix('\n').unwrap_or(text);
        let text = text.strip_suffix('\r').unwrap_or(text);
        Some(start..start + text.len())
    }
}

/// The byte offsets where lines start (`\n`, `\r\n` and a lone `\r` end a line).
fn line_starts(text: &str) -> Vec<usize> {
    if text.is_empty() {
        return Vec::new();
    }
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for (i, &b) in bytes.iter().enumerate() {
        let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        if ends_line && i + 1 < bytes.len() {
            starts.push(i + 1);
        }
    }
    starts
}

/// A place in a source: file, 1-based line and column (in characters), and
/// the marked text, also as a byte range of the file's text ([`Location::span`]),
/// for other renderers (miette, codespan) and editors.
#[derive(Clone)]
pub struct Location {
    source: Arc<Source>,
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) len: usize,
}

impl Location {
    /// `line` and `column` are 1-based; `len` is the marked width (at least 1).
    pub fn new(source: Arc<Source>, line: usize, column: usize, len: usize) -> Self {
        Location { source, line, column, len: len.max(1) }
    }

    /// The file name or label.
    pub fn origin(&self) -> &str {
        &self.source.origin
    }

    /// 1-based line.
    pub fn line(&self) -> usize {
        self.line
    }

    /// 1-based column.
    pub fn column(&self) -> usize {
        self.column
    }

    /// The source this location points into.
    pub fn source(&self) -> &Arc<Source> {
        &self.source
    }

    /// The text of the line this location is on.
    pub fn source_line(&self) -> Option<&str> {
        self.source.line(self.line)
    }

    /// The marked text as a byte range of [`Source::text`]: `len` characters
    /// from the column, cut at the end of the line. A place past the end of
    /// the text (an unclosed bracket) is the empty range at its end.
    ///
    /// Computed on demand: a load makes a location for every key and value,
    /// and most are never shown.
    pub fn span(&self) -> Range<usize> {
        let end_of_text = self.source.text.len()..self.source.text.len();
        let Some(line) = self.source.line_span(self.line) else { return end_of_text };
        let text = &self.source.text[line.clone()];
        let byte_of_char = |chars: usize, from: usize| {
            text[from..].char_indices().nth(chars).map_or(text.len(), |(i, _)| from + i)
        };
        let start = byte_of_char(self.column.saturating_sub(1), 0);
        let end = byte_of_char(self.len, start);
        line.start + start..line.start + end
    }

    /// The marked text.
    pub fn marked_text(&self) -> &str {
        &self.source.text[self.span()]
    }
}

impl PartialEq for Location {
    fn eq(&self, other: &Self) -> bool {
        self.origin() == other.origin() && self.line == other.line && self.column == other.column
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.origin(), self.line, self.column)
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Location({self})")
    }
}
