//! The command line as a [`Source`], so that a report can point at a value
//! given there (`--kl-coef 0.1`) the way it points at a line of the file.

use std::ffi::OsString;
use std::sync::Arc;

use crate::model::error::{Location, Source};
use crate::model::field::{CliAction, FieldInfo};

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
#[derive(Clone, Debug)]
pub struct CommandLine {
    source: Arc<Source>,
    words: Vec<Word>,
}

/// One word as given, and where it is in the text (1-based column and
/// length, in characters).
#[derive(Clone, Debug)]
struct Word {
    text: String,
    column: usize,
    len: usize,
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
            words.push(Word { text: word, column: text.chars().count() + 1, len: shown.chars().count() });
            text.push_str(&shown);
        }
        CommandLine { source: Source::new(COMMAND_LINE_ORIGIN, text), words }
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
        let is_flag = |word: &str| -> Option<bool> {
            // Some(true): the flag and its value in one word.
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
        };
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
