//! Errors as data: every problem found, each with a kind and a location.
//! Their text (rustc-style, with the offending source line) is drawn in
//! `reporting/`.

use std::sync::Arc;

use crate::model::diagnostic::Diagnostic;
use crate::model::field::FieldClass;
pub use crate::model::location::{Location, Source};
use crate::model::value::TypeMismatch;

/// What kind of problem a [`Problem`] is, with the data a program needs to
/// act on it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The file could not be read (a missing file, no permission, a
    /// directory): the I/O error is the problem's [`Problem::io_error`] and
    /// `source()`, and the [`Error`]'s `source()`.
    #[non_exhaustive]
    Io {
        /// The kind of the I/O error ([`std::io::ErrorKind::IsADirectory`]
        /// for a directory).
        kind: std::io::ErrorKind,
    },
    /// The file is larger than the loader accepts.
    TooLarge {
        /// Size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The file is not UTF-8.
    NotUtf8,
    /// The text is not valid YAML.
    Syntax,
    /// The document expands beyond the loader's limits (alias bombs, deep nesting).
    TooComplex,
    /// A YAML feature the format does not take (custom tags, merge keys,
    /// several documents, non-string keys).
    UnsupportedYaml,
    /// Valid YAML 1.2 that slime's reader (PyYAML `safe_load`, YAML 1.1)
    /// refuses: a tab where its scanner stops, a control character, a
    /// repeated anchor, ... (SPEC 2.8).
    RefusedBySlime,
    /// A value slime's reader reads as something else than this loader
    /// (`010` is 8 there and 10 here; SPEC 2.8).
    ReadDifferently {
        /// The key path (`megatron[0].overrides.micro_batch_size`).
        path: String,
    },
    /// The document or an entry does not have the expected shape.
    Shape,
    /// An entry has a key other than `name`, `role`, `overrides`, `args`.
    UnknownEntryKey {
        /// The key.
        key: String,
    },
    /// A key repeated in one entry.
    DuplicateEntryKey {
        /// The key.
        key: String,
    },
    /// An entry has both `overrides` and `args`.
    OverridesAndArgs,
    /// An entry has no `role`.
    MissingRole,
    /// `role` names no role of the role set.
    UnknownRole {
        /// The role as written.
        role: String,
    },
    /// A second entry for the same role.
    DuplicateRole {
        /// The role.
        role: String,
    },
    /// A key written as a command-line flag.
    CliFlagKey {
        /// The key as written.
        key: String,
        /// The argument name to write instead.
        name: String,
    },
    /// A key that names no argument.
    UnknownKey {
        /// The key.
        key: String,
        /// Up to three close argument names.
        suggestions: Vec<String>,
    },
    /// A key repeated in one `overrides` mapping.
    DuplicateKey {
        /// The key.
        key: String,
    },
    /// A shared argument (`#[megatron(skip)]`) in the file.
    SharedKey {
        /// The argument name.
        key: String,
    },
    /// An override of a field the role's value is forced for.
    ForcedKey {
        /// The argument name.
        key: String,
        /// The role.
        role: String,
    },
    /// A placement key in strict mode.
    PlacementKey {
        /// The key.
        key: String,
    },
    /// A typed override of a topology, placement or shared field.
    NotOverridable {
        /// The argument name.
        key: String,
        /// The field's class.
        class: FieldClass,
    },
    /// A value that does not fit the field's type.
    Type {
        /// The key path (`megatron[1].overrides.lr`).
        path: String,
    },
    /// A value the argument's own clap value parser refuses (a range, a set
    /// of allowed values, a custom parser function): the command line would
    /// refuse it too.
    ClapRejected {
        /// The key path (`megatron[1].overrides.dtype`, `[0]` for a list
        /// element), or the argument name for a typed override.
        path: String,
        /// The argument as the command line names it (`--dtype`).
        arg: String,
    },
    /// An argument `to_argv` cannot write so that clap reads back the same value.
    NotWritable {
        /// The argument name.
        key: String,
    },
    /// A role's arguments break one of clap's relations between arguments
    /// (`conflicts_with`, `requires`, `required`, an argument group): the
    /// command line would be refused too.
    ClapRelation {
        /// The role.
        role: String,
        /// The argument names involved, in field order.
        keys: Vec<String>,
    },
    /// Active roles disagree on a topology field.
    TopologyMismatch {
        /// The argument name.
        key: String,
    },
    /// A field validator rejected a role's value.
    Validation {
        /// The argument name.
        key: String,
        /// The role.
        role: String,
    },
    /// A relation between arguments that a role's values break, reported by
    /// the struct's checks (`#[megatron(check = path)]`).
    Relation {
        /// The arguments involved, as the check named them.
        keys: Vec<String>,
        /// The roles whose values break it.
        roles: Vec<String>,
    },
    /// The argument struct's definition has a mistake the derive cannot see
    /// (an argument name repeated through `flatten`).
    Definition,
}

/// One problem: what, where, and how to fix it.
///
/// Non-exhaustive, so that a later version may add to it: build one with
/// [`Problem::new`] and [`Problem::with_note`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Problem {
    /// The kind, for programs.
    pub kind: ProblemKind,
    /// The message, for people.
    pub message: String,
    /// Where in the file, when the problem is in a file.
    pub location: Option<Location>,
    /// How to fix it.
    pub help: Option<String>,
    /// Further places involved (the other entry of a duplicate role, each
    /// role's value of a topology field).
    pub notes: Vec<Note>,
    /// The I/O error of a [`ProblemKind::Io`] problem.
    io_error: Option<IoError>,
}

/// A secondary message, possibly with its own location.
///
/// Non-exhaustive: build one with [`Note::new`] (or [`Problem::with_note`]).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Note {
    /// The message.
    pub message: String,
    /// Where, if anywhere.
    pub location: Option<Location>,
}

impl Note {
    /// A note with its message and, if anywhere, its place.
    pub fn new(message: impl Into<String>, location: Option<Location>) -> Self {
        Note { message: message.into(), location }
    }
}

/// An I/O error shared by the clones of its problem (`io::Error` is not
/// `Clone`); equal when their kinds and messages are.
#[derive(Clone, Debug)]
struct IoError(Arc<std::io::Error>);

// An `io::Error` may hold a custom error that is not unwind-safe, which
// would make `Problem` and `Error` lose `UnwindSafe` and `RefUnwindSafe`
// (they had them before the source was kept). It is never mutated after
// the problem is made, only read through `&`, so a panic cannot leave it
// half-updated: the reason these traits exist does not apply (anyhow's
// `Error` says the same).
impl std::panic::UnwindSafe for IoError {}
impl std::panic::RefUnwindSafe for IoError {}

impl PartialEq for IoError {
    fn eq(&self, other: &Self) -> bool {
        self.0.kind() == other.0.kind() && self.0.to_string() == other.0.to_string()
    }
}

impl Problem {
    /// A problem with no notes.
    pub fn new(
        kind: ProblemKind,
        message: impl Into<String>,
        location: Option<Location>,
        help: Option<String>,
    ) -> Self {
        Problem { kind, message: message.into(), location, help, notes: Vec::new(), io_error: None }
    }

    /// A file that could not be read, with the I/O error: kind
    /// [`ProblemKind::Io`] of the error's kind.
    pub(crate) fn io(message: impl Into<String>, error: std::io::Error) -> Self {
        let kind = ProblemKind::Io { kind: error.kind() };
        Problem { io_error: Some(IoError(Arc::new(error))), ..Problem::new(kind, message, None, None) }
    }

    /// The I/O error of a file that could not be read ([`ProblemKind::Io`];
    /// `None` for every other kind); also the problem's `source()`.
    pub fn io_error(&self) -> Option<&std::io::Error> {
        self.io_error.as_ref().map(|e| &*e.0)
    }

    /// A value of `path` that does not fit its type.
    pub(crate) fn type_mismatch(path: &str, mismatch: &TypeMismatch, location: Option<Location>) -> Self {
        let indexed: String = mismatch.path.iter().map(|i| format!("[{i}]")).collect();
        let path = format!("{path}{indexed}");
        Problem::new(
            ProblemKind::Type { path: path.clone() },
            format!("invalid value for `{path}`: {mismatch}"),
            location,
            mismatch.help.clone(),
        )
    }

    /// The value of argument `name` that cannot be written (see
    /// [`crate::Unwritable`]), with how to keep its text.
    pub(crate) fn unwritable(name: &str, why: &crate::model::value::Unwritable) -> Self {
        Problem::new(
            ProblemKind::NotWritable { key: name.to_string() },
            format!("cannot write `{name}`: {why}"),
            None,
            Some(format!(
                "a resolved role writes such a value from the text it was read from (the file's value, the command \
                 line given to `resolve_with_command_line`, clap's `default_value`); implement `Display` for `{}` to \
                 write any value",
                why.type_name
            )),
        )
    }

    /// Adds a note.
    pub fn with_note(mut self, message: impl Into<String>, location: Option<Location>) -> Self {
        self.notes.push(Note::new(message, location));
        self
    }
}

/// Everything wrong with a file or a resolution: one or more problems, each
/// with its own location.
///
/// `Display` prints the report. `Debug` prints it too, without its first
/// `error: `, so that `?` in a `main` that returns `Result<(), Box<dyn
/// std::error::Error>>` shows `Error: ` and the report once (`{:#?}` shows
/// the problems); the problems are there as data in [`Error::problems`],
/// and the warnings found beside them (a placement key the file sets) in
/// [`Error::diagnostics`].
#[derive(Clone, PartialEq)]
pub struct Error {
    problems: Vec<Problem>,
    diagnostics: Vec<Diagnostic>,
}

impl Error {
    /// An error of these problems; callers have checked that there is one.
    pub(crate) fn new(problems: Vec<Problem>) -> Self {
        assert!(!problems.is_empty(), "an Error needs at least one problem");
        Error { problems, diagnostics: Vec::new() }
    }

    /// An error of these problems, in this order; `None` without a problem
    /// (an error always has one). One problem: `Error::from(problem)`.
    ///
    /// ```
    /// use megatron_args::{Error, Problem, ProblemKind};
    ///
    /// assert!(Error::from_problems(Vec::new()).is_none());
    /// let problem = Problem::new(ProblemKind::Definition, "`lr` is named twice", None, None);
    /// let error = Error::from_problems([problem.clone(), problem]).unwrap();
    /// assert_eq!(error.problems().len(), 2);
    /// ```
    pub fn from_problems(problems: impl IntoIterator<Item = Problem>) -> Option<Self> {
        let problems: Vec<Problem> = problems.into_iter().collect();
        (!problems.is_empty()).then_some(Error { problems, diagnostics: Vec::new() })
    }

    /// Every problem, in file order.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Consumes the error into its problems.
    pub fn into_problems(self) -> Vec<Problem> {
        self.problems
    }

    /// The diagnostics found beside the problems (warnings such as a
    /// placement key the file sets, which is ignored), as a successful load
    /// or resolution would have returned them: a file with errors keeps its
    /// warnings. They are emitted as `tracing` events too.
    ///
    /// ```
    /// use clap::Parser;
    /// use megatron_args::{DiagnosticKind, MegatronArgs, RoleConfig};
    ///
    /// #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
    /// struct Args {
    ///     #[arg(long, default_value_t = 1e-6)]
    ///     lr: f64,
    ///     #[arg(long, default_value_t = 1)]
    ///     #[placement]
    ///     actor_num_nodes: u32,
    /// }
    ///
    /// let text = "megatron:\n  - role: actor\n    overrides:\n      actor_num_nodes: 4\n      lr: fast\n";
    /// let err = RoleConfig::<Args>::from_str(text, "roles.yaml").unwrap_err();
    /// assert_eq!(err.problems().len(), 1); // `lr: fast`
    /// assert_eq!(err.diagnostics()[0].kind, DiagnosticKind::PlacementKeyIgnored);
    /// ```
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The error with `diagnostics` beside its problems.
    pub(crate) fn with_diagnostics(mut self, diagnostics: Vec<Diagnostic>) -> Self {
        self.diagnostics.extend(diagnostics);
        self
    }
}

impl From<Problem> for Error {
    fn from(problem: Problem) -> Self {
        Error { problems: vec![problem], diagnostics: Vec::new() }
    }
}

/// `source()` is the I/O error of the first problem that has one (a file
/// that could not be read: that error is then the only problem), else `None`.
impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.problems.iter().find_map(|p| p.io_error.as_ref()).map(|e| &*e.0 as _)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_lines_end_at_lf_crlf_and_lone_cr() {
        let source = Source::new("f.yaml", "a: 1\nb: 2\r\nc: 3\rd: 4");
        let lines: Vec<_> = (0..=5).map(|n| source.line(n)).collect();
        assert_eq!(lines, [None, Some("a: 1"), Some("b: 2"), Some("c: 3"), Some("d: 4"), None]);
        assert_eq!(Source::new("f", "x\n").line(2), None);
        assert_eq!(Source::new("f", "").line(1), None);
    }

    #[test]
    fn location_span_is_the_byte_range_of_the_marked_text() {
        let source = Source::new("f.yaml", "a: 1\r\nsave: \"/数据\",\tlr: fast\n");
        // Column 18 counts characters: the two CJK characters and the tab are one each.
        let at = Location::new(source.clone(), 2, 18, 4);
        assert_eq!(at.marked_text(), "fast");
        assert_eq!(&source.text()[at.span()], "fast");
        assert_eq!(at.span(), 27..31);
        // Cut at the end of its line; past the last line, the empty range at the end.
        assert_eq!(Location::new(source.clone(), 2, 18, 99).marked_text(), "fast");
        let text_len = source.text().len();
        assert_eq!(Location::new(source, 3, 1, 1).span(), text_len..text_len);
    }

    #[test]
    fn many_problems_render_without_rescanning_the_text() {
        // Before the line index, each problem rescanned the text up to its
        // line: a 16 MiB file of bad keys took hours to render.
        let text = "  lrr: 1\n".repeat(200_000);
        let source = Source::new("big.yaml", text);
        let problems: Vec<Problem> = (1..=200_000)
            .map(|line| {
                let at = Location::new(source.clone(), line, 3, 3);
                Problem::new(ProblemKind::Syntax, "bad", Some(at), None)
            })
            .collect();
        let rendered = Error::new(problems).to_string();
        assert!(rendered.ends_with("error: 200000 problems found"));
        assert!(rendered.contains("199999 |   lrr: 1"));
    }
}
