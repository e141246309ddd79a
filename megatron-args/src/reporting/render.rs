//! Reporting: problems and diagnostics drawn as text, rustc-style. The data
//! (message, spans, labels, help) is handed to `annotate-snippets`, the
//! renderer of rustc and cargo, which places carets by terminal column (wide
//! and combining characters), trims long lines around the span and draws
//! several labelled spans in one report.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use annotate_snippets::renderer::DEFAULT_TERM_WIDTH;
use annotate_snippets::{AnnotationKind, Element, Level, Origin, Renderer, Snippet};

use crate::model::diagnostic::{self, Diagnostic};
use crate::model::error::{Error, Location, Note, Problem, Source};

/// How a report is drawn: plain text, or with ANSI colour codes for a
/// terminal (write it through `anstream`, which strips the codes when the
/// stream is not a terminal or `NO_COLOR` is set).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Styling {
    /// No escape codes.
    #[default]
    Plain,
    /// rustc's colours, as ANSI escape codes.
    Ansi,
}

impl Styling {
    fn renderer(self) -> Renderer {
        let renderer = match self {
            Styling::Plain => Renderer::plain(),
            Styling::Ansi => Renderer::styled(),
        };
        // A fixed width, so that a report reads the same wherever it is
        // printed (and in snapshots): longer lines are trimmed around the span.
        renderer.term_width(DEFAULT_TERM_WIDTH)
    }
}

/// What one report says; borrowed from a problem or a diagnostic.
pub(crate) struct Report<'a> {
    pub(crate) level: Level<'static>,
    pub(crate) message: &'a str,
    pub(crate) location: Option<&'a Location>,
    pub(crate) help: Option<&'a str>,
    pub(crate) notes: &'a [Note],
}

/// A tab is drawn as this control picture, so that an error about a tab
/// shows one. One character for one, so that columns stay the file's.
const VISIBLE_TAB: &str = "\u{2409}";

/// Unmarked lines between two spans of a snippet at most; spans further apart
/// get snippets of their own, so a report never copies a long stretch of file.
const MAX_GAP: usize = 8;

/// One span to draw: where, whether it is the report's own, and its label.
struct Mark<'a> {
    location: &'a Location,
    primary: bool,
    label: Option<&'a str>,
}

impl Report<'_> {
    pub(crate) fn render(&self, styling: Styling) -> String {
        let mut marks = Vec::new();
        let mut footnotes = Vec::new();
        if let Some(at) = self.location {
            // A note at the report's own place labels its span.
            let label =
                self.notes.iter().find(|n| n.location.as_ref() == Some(at)).map(|n| n.message.as_str());
            marks.push(Mark { location: at, primary: true, label });
        }
        for note in self.notes {
            match &note.location {
                Some(at) if Some(at) == self.location => {}
                Some(at) => marks.push(Mark { location: at, primary: false, label: Some(&note.message) }),
                None => footnotes.push(note.message.as_str()),
            }
        }
        let snippets: Vec<SnippetText> = clusters(&marks).into_iter().map(|c| SnippetText::new(&c)).collect();
        let mut group_elements: Vec<Element> = snippets.iter().map(SnippetText::element).collect();
        if snippets.is_empty() {
            // A file with no text to show (empty): the place alone.
            if let Some(at) = self.location {
                group_elements
                    .push(Origin::path(at.origin()).line(at.line()).char_column(at.column()).into());
            }
        }
        for note in footnotes {
            group_elements.push(Level::NOTE.message(note).into());
        }
        if let Some(help) = self.help {
            group_elements.push(Level::HELP.message(help).into());
        }
        let report = self.level.clone().primary_title(self.message).elements(group_elements);
        styling.renderer().render(&[report])
    }
}

/// A run of nearby lines of one source and the marks on them.
struct Cluster<'a> {
    source: &'a Arc<Source>,
    first_line: usize,
    last_line: usize,
    marks: Vec<&'a Mark<'a>>,
}

/// Groups the marks into runs of nearby lines, the report's own span first.
fn clusters<'a>(marks: &'a [Mark<'a>]) -> Vec<Cluster<'a>> {
    let mut clusters: Vec<Cluster> = Vec::new();
    for mark in marks {
        let Some(line) = shown_line(mark.location) else { continue };
        let near = clusters.iter_mut().find(|c| {
            Arc::ptr_eq(c.source, mark.location.source())
                && line + MAX_GAP >= c.first_line
                && line <= c.last_line + MAX_GAP
        });
        match near {
            Some(cluster) => {
                cluster.first_line = cluster.first_line.min(line);
                cluster.last_line = cluster.last_line.max(line);
                cluster.marks.push(mark);
            }
            None => clusters.push(Cluster {
                source: mark.location.source(),
                first_line: line,
                last_line: line,
                marks: vec![mark],
            }),
        }
    }
    clusters
}

/// The line a location is drawn on: its own, or the last line of the file
/// for a place past the end (an unclosed bracket); none in an empty file.
fn shown_line(at: &Location) -> Option<usize> {
    let source = at.source();
    if source.line(at.line()).is_some() {
        Some(at.line())
    } else {
        let last = source.line_count();
        (last > 0).then_some(last)
    }
}

/// The text of a cluster as the renderer gets it (lines joined by `\n`,
/// tabs made visible) and each mark's span in it.
struct SnippetText<'a> {
    origin: &'a str,
    first_line: usize,
    text: String,
    spans: Vec<(Range<usize>, &'a Mark<'a>)>,
}

impl<'a> SnippetText<'a> {
    fn new(cluster: &Cluster<'a>) -> Self {
        let source = cluster.source;
        let mut text = String::new();
        let mut spans = Vec::new();
        for line in cluster.first_line..=cluster.last_line {
            let line_span = source.line_span(line).unwrap_or_default();
            let line_text = &source.text()[line_span.clone()];
            let start_of_line = text.len();
            // Where each byte of the line lands once tabs are replaced.
            let shifted = |offset: usize| {
                let offset = offset.min(line_text.len());
                let tabs = line_text[..offset].matches('\t').count();
                start_of_line + offset + tabs * (VISIBLE_TAB.len() - 1)
            };
            for mark in cluster.marks.iter().filter(|m| shown_line(m.location) == Some(line)) {
                let span = mark.location.span();
                let (start, end) = if mark.location.line() == line {
                    (span.start - line_span.start, span.end - line_span.start)
                } else {
                    // Past the end of the file: just after the last line.
                    (line_text.len(), line_text.len())
                };
                spans.push((shifted(start)..shifted(end), *mark));
            }
            text.push_str(&line_text.replace('\t', VISIBLE_TAB));
            // Every line ends with its break, also the last: a place at the
            // start of an empty last line is then on that line, not past the
            // end of the one before.
            text.push('\n');
        }
        // The report's own span first: its place heads the snippet.
        spans.sort_by_key(|(_, mark)| !mark.primary);
        SnippetText { origin: cluster.source.origin(), first_line: cluster.first_line, text, spans }
    }

    fn element(&self) -> Element<'_> {
        let annotations = self.spans.iter().map(|(span, mark)| {
            let kind = if mark.primary { AnnotationKind::Primary } else { AnnotationKind::Context };
            kind.span(span.clone()).label(mark.label)
        });
        Snippet::source(self.text.as_str())
            .line_start(self.first_line)
            .path(self.origin)
            .annotations(annotations)
            .into()
    }
}

impl Problem {
    /// The report of this problem alone, rustc-style:
    ///
    /// ```text
    /// error: unknown argument `lrr`
    ///  --> megatron.yaml:5:7
    ///   |
    /// 5 |       lrr: 1e-6
    ///   |       ^^^
    ///   |
    ///   = help: did you mean `lr`?
    /// ```
    pub fn render(&self, styling: Styling) -> String {
        let report = Report {
            level: Level::ERROR,
            message: &self.message,
            location: self.location.as_ref(),
            help: self.help.as_deref(),
            notes: &self.notes,
        };
        report.render(styling)
    }
}

impl fmt::Display for Problem {
    /// The message alone; [`Problem::render`] draws the whole report.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// `source()` is the I/O error of a [`ProblemKind::Io`](crate::ProblemKind::Io) problem.
impl std::error::Error for Problem {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.io_error().map(|e| e as _)
    }
}

impl Error {
    /// The report of every problem, in file order, and their count when
    /// there are several. [`Styling::Ansi`] adds rustc's colours; write it
    /// through `anstream` to honour `NO_COLOR` and a non-terminal stream.
    ///
    /// ```
    /// use megatron_args::{Error, Location, Problem, ProblemKind, Source, Styling};
    ///
    /// let source = Source::new("roles.yaml", "megatron:\n  - role: actor\n    overrides: {lrr: 1}\n");
    /// let at = Location::new(source, 3, 17, 3);
    /// let problem = Problem::new(
    ///     ProblemKind::UnknownKey { key: "lrr".into(), suggestions: vec!["lr".into()] },
    ///     "unknown argument `lrr`",
    ///     Some(at),
    ///     Some("did you mean `lr`?".into()),
    /// );
    /// let error = Error::from(problem);
    /// assert_eq!(
    ///     error.render(Styling::Plain),
    ///     "error: unknown argument `lrr`\n --> roles.yaml:3:17\n  |\n3 |     overrides: {lrr: 1}\n  |                 ^^^\n  |\n  = help: did you mean `lr`?"
    /// );
    /// assert!(error.render(Styling::Ansi).contains("\u{1b}["));
    /// ```
    pub fn render(&self, styling: Styling) -> String {
        let problems = self.problems();
        let mut reports: Vec<String> = problems.iter().map(|p| p.render(styling)).collect();
        if problems.len() > 1 {
            let count = format!("{} problems found", problems.len());
            let summary =
                Report { level: Level::ERROR, message: &count, location: None, help: None, notes: &[] };
            reports.push(summary.render(styling));
        }
        reports.join("\n\n")
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Styling::Plain))
    }
}

impl fmt::Debug for Error {
    /// What `main` prints after Rust's `Error: ` for an `Err`: the report
    /// without its first `error: `, which that prefix already says. `{:#?}`
    /// shows the problems as data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            return f.debug_struct("Error").field("problems", &self.problems()).finish();
        }
        let report = self.render(Styling::Plain);
        f.write_str(report.strip_prefix("error: ").unwrap_or(&report))
    }
}

impl Diagnostic {
    /// The report of this diagnostic, drawn as a problem is.
    pub fn render(&self, styling: Styling) -> String {
        let level = match self.level {
            diagnostic::Level::Info => Level::INFO,
            diagnostic::Level::Warning => Level::WARNING,
        };
        let report = Report {
            level,
            message: &self.message,
            location: self.location.as_ref(),
            help: self.help.as_deref(),
            notes: &[],
        };
        report.render(styling)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Styling::Plain))
    }
}
