//! The command line as a [`Source`], so that a report can point at a value
//! given there (`--kl-coef 0.1`) the way it points at a line of the file.

use std::ffi::OsString;
use std::sync::Arc;

use crate::model::error::{Location, Source};
use crate::model::field::{CliAction, CliArg, FieldInfo};

/// The name of the command line's [`Source`] in reports.
pub const COMMAND_LINE_ORIGIN: &str = "command line";

/// The words a baseline was parsed from, as one line of text (shell-quoted
/// where needed), so that a problem can show an argument's value on the
/// command line as a labelled span.
///
/// ```
/// use megatron_args::{CommandLine, MegatronArgs};
/// # use clap::Parser;
/// # #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
/// # struct Args {
/// #     #[arg(long, default_value_t = 0.0)]
/// #     kl_coef: f64,
/// #     #[arg(long)]
/// #     save: Option<String>,
/// # }
/// let command_line = CommandLine::new(["train", "--kl-coef", "0.1", "--save=/ckpt/my run"]);
/// assert_eq!(command_line.source().text(), "train --kl-coef 0.1 '--save=/ckpt/my run'");
/// let kl_coef = command_line.locate(Args::field("kl_coef").unwrap()).unwrap();
/// assert_eq!((kl_coef.to_string().as_str(), kl_coef.marked_text()), ("command line:1:7", "--kl-coef 0.1"));
/// assert!(command_line.locate(Args::field("save").unwrap()).is_some());
/// ```
#[derive(Clone)]
pub struct CommandLine {
    source: Arc<Source>,
    words: Vec<Word>,
    /// What the program's own clap parse says of each argument
    /// ([`CommandLine::from_matches`]); `None` for [`CommandLine::new`],
    /// whose words are parsed again, with the struct alone, when needed.
    #[cfg(feature = "clap")]
    parsed: Option<Arc<Parsed>>,
}

/// Its text only (with secrets masked once a resolution knows them): the
/// words themselves may hold a secret.
impl std::fmt::Debug for CommandLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommandLine").field("text", &self.source.text()).finish_non_exhaustive()
    }
}

/// One word as given, and where it is in the text (1-based column and
/// length, in characters; byte offset and length).
#[derive(Clone, Debug)]
struct Word {
    text: String,
    column: usize,
    len: usize,
    offset: usize,
    bytes: usize,
}

/// Where one argument's value came from, as clap's `ArgMatches::value_source` says.
#[cfg(feature = "clap")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ArgSource {
    /// Given on the command line.
    CommandLine,
    /// Read from the argument's environment variable (`#[arg(env)]`).
    Environment,
    /// clap's default value.
    Default,
}

/// One argument of a clap parse: where its value came from, and its raw
/// values as clap took them.
#[cfg(feature = "clap")]
#[derive(Clone, Debug)]
pub(crate) struct ParsedArg {
    pub(crate) source: ArgSource,
    pub(crate) raw: Vec<String>,
}

/// A clap parse, by argument id.
#[cfg(feature = "clap")]
#[derive(Clone, Debug, Default)]
pub(crate) struct Parsed(std::collections::BTreeMap<String, ParsedArg>);

#[cfg(feature = "clap")]
impl Parsed {
    /// What `matches` holds for each of its arguments.
    pub(crate) fn of(matches: &clap::ArgMatches) -> Self {
        let mut args = std::collections::BTreeMap::new();
        for id in matches.ids() {
            let id = id.as_str();
            let source = match matches.value_source(id) {
                Some(clap::parser::ValueSource::CommandLine) => ArgSource::CommandLine,
                Some(clap::parser::ValueSource::EnvVariable) => ArgSource::Environment,
                Some(clap::parser::ValueSource::DefaultValue) => ArgSource::Default,
                // A later clap's new source: say nothing rather than guess.
                _ => continue,
            };
            let raw = match matches.try_get_raw(id) {
                Ok(Some(raw)) => raw.map(|word| word.to_string_lossy().into_owned()).collect(),
                _ => Vec::new(),
            };
            args.insert(id.to_string(), ParsedArg { source, raw });
        }
        Parsed(args)
    }

    /// The argument of clap id `id`, when the parse has it.
    pub(crate) fn get(&self, id: &str) -> Option<&ParsedArg> {
        self.0.get(id)
    }
}

impl CommandLine {
    /// The command line of these words, the program name first (as clap's
    /// `parse_from` takes them). Words that are not UTF-8 are shown lossily.
    pub fn new<I, T>(argv: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString>,
    {
        let mut text = String::new();
        let mut words = Vec::new();
        for word in argv {
            let word = word.into().to_string_lossy().into_owned();
            if !text.is_empty() {
                text.push(' ');
            }
            let shown = shell_quoted(&word);
            words.push(Word {
                text: word,
                column: text.chars().count() + 1,
                len: shown.chars().count(),
                offset: text.len(),
                bytes: shown.len(),
            });
            text.push_str(&shown);
        }
        CommandLine {
            source: Source::new(COMMAND_LINE_ORIGIN, text),
            words,
            #[cfg(feature = "clap")]
            parsed: None,
        }
    }

    /// The command line `argv`, with the program's own clap parse of it:
    /// `matches` are the [`clap::ArgMatches`] that hold the struct's
    /// arguments (the whole parse for a struct flattened into the
    /// program's command; a subcommand's own matches for a struct reached
    /// through it). Each value keeps its text, where it came from (the
    /// command line, an environment variable, a default) and its place,
    /// whatever other arguments the program has.
    ///
    /// ```
    /// use clap::{CommandFactory, FromArgMatches, Parser};
    /// use megatron_args::{CommandLine, MegatronArgs, PpoRole, Provenance, RoleConfig};
    ///
    /// #[derive(clap::Args, MegatronArgs, Clone, Debug, PartialEq)]
    /// struct Train {
    ///     #[arg(long, default_value_t = 1e-6)]
    ///     lr: f64,
    ///     #[arg(long, default_value_t = 0.0)]
    ///     kl_coef: f64,
    /// }
    ///
    /// #[derive(Parser, Debug)]
    /// struct Program {
    ///     /// The program's own flag, unknown to `Train`.
    ///     #[arg(long)]
    ///     format: Option<String>,
    ///     #[command(flatten)]
    ///     train: Train,
    /// }
    ///
    /// let argv = ["train", "--format", "json", "--lr", "2e-6"];
    /// let matches = Program::command().get_matches_from(argv);
    /// let program = Program::from_arg_matches(&matches).unwrap();
    /// let command_line = CommandLine::from_matches(argv, &matches);
    ///
    /// let config = RoleConfig::<Train>::from_str("megatron:\n  - role: critic\n    overrides: {lr: 1e-5}\n", "r.yaml")?;
    /// let resolved = config.resolve_with_command_line(&program.train, &command_line, &[PpoRole::Actor])?;
    /// let actor = resolved.role(PpoRole::Actor).unwrap();
    /// assert_eq!(actor.provenance("lr"), Some(&Provenance::Baseline)); // the command line
    /// assert_eq!(actor.provenance("kl_coef"), Some(&Provenance::Default));
    /// # Ok::<(), megatron_args::Error>(())
    /// ```
    #[cfg(feature = "clap")]
    #[cfg_attr(docsrs, doc(cfg(feature = "clap")))]
    pub fn from_matches<I, T>(argv: I, matches: &clap::ArgMatches) -> Self
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString>,
    {
        let mut command_line = CommandLine::new(argv);
        command_line.parsed = Some(Arc::new(Parsed::of(matches)));
        command_line
    }

    /// The program's own parse, when it was given ([`CommandLine::from_matches`]).
    #[cfg(feature = "clap")]
    pub(crate) fn parsed(&self) -> Option<&Parsed> {
        self.parsed.as_deref()
    }

    /// Every value given to the flag `flag` (`--megatron-override ITEM` or
    /// `--megatron-override=ITEM`), in order, each with where its text
    /// starts (1-based column, in characters) and its byte range in the
    /// text. A quoted word's value is located as a whole: its offsets in the
    /// text are those of the quoted word.
    pub(crate) fn flag_values(&self, flag: &str) -> Vec<FlagValue> {
        let mut values = Vec::new();
        let mut words = self.words.iter().skip(1).peekable();
        while let Some(word) = words.next() {
            let (text, skip) = if word.text == flag {
                match words.next() {
                    Some(value) => (value, 0),
                    None => continue,
                }
            } else if word.text.strip_prefix(flag).is_some_and(|rest| rest.starts_with('=')) {
                (word, flag.len() + 1)
            } else {
                continue;
            };
            let plain = text.bytes == text.text.len();
            let item = text.text[skip..].to_string();
            let (column, bytes) = match plain {
                true => (text.column + skip, text.offset + skip..text.offset + text.bytes),
                false => (text.column, text.offset..text.offset + text.bytes),
            };
            values.push(FlagValue { text: item, column, bytes, exact: plain });
        }
        values
    }

    /// The byte ranges, in the text, of every value given to the argument
    /// `field` (every occurrence): what masks a secret.
    pub(crate) fn value_spans(&self, field: &FieldInfo) -> Vec<std::ops::Range<usize>> {
        let mut spans = Vec::new();
        let takes_values =
            !matches!(field.cli.action, CliAction::SetTrue | CliAction::SetFalse | CliAction::Count);
        for (i, word) in self.words.iter().enumerate().skip(1) {
            let Some(inline) = is_flag_of(&field.cli, &word.text) else { continue };
            if inline {
                // `--flag=value` or `-fvalue`: all but the flag (quoting
                // may move the value: mask the whole word then).
                let flag_len = match word.text.split_once('=') {
                    Some((flag, _)) if word.text.starts_with("--") => flag.len() + 1,
                    _ => 2,
                };
                let plain = word.bytes == word.text.len();
                let start = if plain { word.offset + flag_len } else { word.offset };
                spans.push(start..word.offset + word.bytes);
            } else if takes_values {
                let mut next = i + 1;
                while let Some(value) = self.words.get(next).filter(|w| is_value(&w.text)) {
                    spans.push(value.offset..value.offset + value.bytes);
                    next += 1;
                }
            }
        }
        spans
    }

    /// The process's own command line (`std::env::args_os`).
    pub fn from_env() -> Self {
        CommandLine::new(std::env::args_os())
    }

    /// The text, as a source that locations point into.
    pub fn source(&self) -> &Arc<Source> {
        &self.source
    }

    /// The words, as given.
    #[cfg(feature = "clap")]
    pub(crate) fn words(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(|w| w.text.as_str())
    }

    /// Where the argument `field` is given, with its values: its last
    /// occurrence (the one that counts), `--flag value...` or
    /// `--flag=value`. `None` when it is not given (its value is the
    /// default) or is positional.
    pub fn locate(&self, field: &FieldInfo) -> Option<Location> {
        let cli = &field.cli;
        let is_flag = |word: &str| is_flag_of(cli, word);
        let takes_values = !matches!(cli.action, CliAction::SetTrue | CliAction::SetFalse | CliAction::Count);
        // Word 0 is the program.
        let (start, inline) = self
            .words
            .iter()
            .enumerate()
            .skip(1)
            .rev()
            .find_map(|(i, w)| is_flag(&w.text).map(|inline| (i, inline)))?;
        let mut end = start;
        if takes_values && !inline {
            while self.words.get(end + 1).is_some_and(|w| is_value(&w.text)) {
                end += 1;
            }
        }
        let first = &self.words[start];
        let last = &self.words[end];
        Some(Location::new(self.source.clone(), 1, first.column, last.column + last.len - first.column))
    }
}

/// Masks, in what reports show of `line`, the values given to the secret
/// arguments of `A` (`#[megatron(secret)]`) and the byte ranges `more`.
pub(crate) fn mask_secrets<A: crate::model::args::MegatronArgs>(
    line: &CommandLine,
    more: Vec<std::ops::Range<usize>>,
) {
    let mut secrets = more;
    for info in A::__schema().infos.iter().filter(|info| info.secret) {
        secrets.extend(line.value_spans(info));
    }
    line.source().mask(&secrets);
}

/// Whether `word` is the flag of the argument `cli`: `Some(true)` when
/// the flag and its value are one word (`--lr=1e-5`, `-n4`).
fn is_flag_of(cli: &CliArg, word: &str) -> Option<bool> {
    if let Some(long) = word.strip_prefix("--") {
        let (name, inline) = match long.split_once('=') {
            Some((name, _)) => (name, true),
            None => (long, false),
        };
        let matches = cli.long == Some(name) || cli.aliases.contains(&name);
        return matches.then_some(inline);
    }
    let mut chars = word.strip_prefix('-')?.chars();
    let short = chars.next()?;
    let matches = cli.short == Some(short) || cli.short_aliases.contains(&short);
    matches.then_some(chars.next().is_some())
}

/// A value given to a flag of the program's own ([`CommandLine::flag_values`]).
pub(crate) struct FlagValue {
    pub(crate) text: String,
    /// Where the value starts in the text (1-based, in characters).
    pub(crate) column: usize,
    /// Its byte range in the text.
    pub(crate) bytes: std::ops::Range<usize>,
    /// Whether the text shows the value as it is (not quoted): a place in
    /// it is then exact.
    pub(crate) exact: bool,
}

/// Whether a word after a flag is one of its values: not a flag itself
/// (negative numbers are values, as with `allow_negative_numbers`).
fn is_value(word: &str) -> bool {
    word == "-" || !word.starts_with('-') || word.parse::<f64>().is_ok()
}

/// The word as a POSIX shell reads it back: as it is when it has nothing
/// the shell would split or expand, in single quotes otherwise.
fn shell_quoted(word: &str) -> String {
    let plain = !word.is_empty() && word.chars().all(|c| c.is_alphanumeric() || "-_=./:,+@%^".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_that_the_shell_would_split_are_quoted() {
        let line = CommandLine::new(["train", "--name", "my run", "--empty", "", "--q", "it's"]);
        assert_eq!(line.source().text(), r"train --name 'my run' --empty '' --q 'it'\''s'");
    }

    #[test]
    fn negative_numbers_are_values_and_flags_end_them() {
        assert!(is_value("-1e-5") && is_value("0.1") && is_value("-"));
        assert!(!is_value("--lr") && !is_value("-v"));
    }
}
