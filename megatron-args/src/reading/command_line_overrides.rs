//! Per-role values given on the command line (SPEC 3.14): items
//! `ROLE.KEY=VALUE`, read and checked exactly as the file's entries (they
//! are loaded as one), each problem located at its item on the command line.

use std::ops::Range;

use crate::model::args::MegatronArgs;
use crate::model::diagnostic::Diagnostic;
use crate::model::error::{Error, Location, Note, Problem, ProblemKind};
use crate::reading::command_line::{CommandLine, FlagValue};
use crate::reading::config::{LoadOptions, RoleConfig, RoleEntry};

/// The name of the file the items are loaded as; never shown, every place
/// in it is mapped back to the command line.
const ITEMS_ORIGIN: &str = "<megatron-args: command-line overrides>";

/// One item, split: where each part starts on the command line.
struct Item<'a> {
    value: &'a FlagValue,
    role: &'a str,
    key: &'a str,
    text: &'a str,
}

impl Item<'_> {
    /// Columns of the role, the key and the value (1-based, in characters).
    fn columns(&self) -> (usize, usize, usize) {
        let role = self.value.column;
        let key = role + self.role.chars().count() + 1;
        (role, key, key + self.key.chars().count() + 1)
    }
}

/// What a line of the items' document is about.
#[derive(Clone, Copy)]
enum LineOf {
    Nothing,
    /// The role of the item with this index.
    Role(usize),
    /// The key and value of the item with this index.
    Item(usize),
}

impl<A: MegatronArgs> RoleConfig<A> {
    /// This config with the per-role values given on `command_line` to the
    /// program's flag `flag` (`--megatron-override critic.lr=1e-5`,
    /// repeatable; SPEC 3.14). Each item is `ROLE.KEY=VALUE`, an override of
    /// that role, read and checked exactly as the file's (`VALUE` is read as
    /// the file reads a value; unknown roles and keys get suggestions;
    /// types, value parsers, forced, shared, placement and topology keys
    /// obey the file's rules). An item wins over the file's value of the
    /// same role and key; a key given twice for one role on the command line
    /// is an error. Its provenance is [`Provenance::CommandLine`](crate::Provenance::CommandLine),
    /// and a problem is located at the item. Without a file, start from
    /// [`RoleConfig::empty`].
    ///
    /// The flag is the program's own (not an argument of `A`, so never
    /// written by [`to_argv`](crate::to_argv) of a role).
    ///
    /// ```
    /// use clap::Parser;
    /// use megatron_args::{CommandLine, MegatronArgs, PpoRole, Provenance, RoleConfig};
    ///
    /// #[derive(clap::Args, MegatronArgs, Clone, Debug, PartialEq)]
    /// struct Train {
    ///     #[arg(long, default_value_t = 1e-6)]
    ///     lr: f64,
    /// }
    ///
    /// #[derive(Parser)]
    /// struct Program {
    ///     #[command(flatten)]
    ///     train: Train,
    ///     /// ROLE.KEY=VALUE: one role's value.
    ///     #[arg(long = "megatron-override")]
    ///     overrides: Vec<String>,
    /// }
    ///
    /// let argv = ["train", "--megatron-override", "critic.lr=1e-5"];
    /// let program = Program::parse_from(argv);
    /// let command_line = CommandLine::new(argv);
    /// let config = RoleConfig::<Train>::empty().with_command_line_overrides(&command_line, "--megatron-override")?;
    /// let resolved = config.resolve(&program.train, &[PpoRole::Actor, PpoRole::Critic])?;
    /// let critic = resolved.role(PpoRole::Critic).unwrap();
    /// assert_eq!(critic.args().lr, 1e-5);
    /// assert!(matches!(critic.provenance("lr"), Some(Provenance::CommandLine(at)) if at.marked_text() == "1e-5"));
    ///
    /// // A mistake is located at the item.
    /// let argv = ["train", "--megatron-override", "critic.lr=fast"];
    /// let err = RoleConfig::<Train>::empty()
    ///     .with_command_line_overrides(&CommandLine::new(argv), "--megatron-override")
    ///     .unwrap_err();
    /// assert!(err.to_string().contains("command line:1:37"), "{err}");
    /// assert!(err.to_string().contains("invalid value for `critic.lr`"), "{err}");
    /// # Ok::<(), megatron_args::Error>(())
    /// ```
    pub fn with_command_line_overrides(
        mut self,
        command_line: &CommandLine,
        flag: &str,
    ) -> Result<Self, Error> {
        let schema = A::__schema();
        schema.check_definition()?;
        let values = command_line.flag_values(flag);
        let source = command_line.source().clone();
        // The whole item: its text, or the quoted word that holds it.
        let whole = |value: &FlagValue| {
            let len = match value.exact {
                true => value.text.chars().count(),
                false => source.text().get(value.bytes.clone()).map_or(1, |t| t.chars().count()),
            };
            Location::new(source.clone(), 1, value.column, len.max(1))
        };

        let mut problems = Vec::new();
        let mut items = Vec::new();
        for value in &values {
            match split(value) {
                Ok(item) => items.push(item),
                Err(message) => problems.push(Problem::new(
                    ProblemKind::CommandLineOverride,
                    message,
                    Some(whole(value)),
                    Some(format!("write {flag} ROLE.KEY=VALUE, as in `{flag} critic.lr=1e-5`")),
                )),
            }
        }

        // What a report shows of the command line hides the secrets.
        let mut secrets: Vec<Range<usize>> = Vec::new();
        for item in &items {
            if schema.index_of(item.key).is_some_and(|i| schema.infos[i].secret) {
                let start = if item.value.exact {
                    item.value.bytes.start + item.role.len() + 1 + item.key.len() + 1
                } else {
                    item.value.bytes.start
                };
                secrets.push(start..item.value.bytes.end);
            }
        }
        crate::reading::command_line::mask_secrets::<A>(command_line, secrets);

        // The items as one document, a role's items under one entry.
        let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match groups.iter_mut().find(|(role, _)| *role == item.role) {
                Some((_, members)) => members.push(i),
                None => groups.push((item.role, vec![i])),
            }
        }
        let mut text = String::from("megatron:\n");
        let mut lines = vec![LineOf::Nothing];
        for (role, members) in &groups {
            text.push_str(&format!("  - role: {}\n    overrides:\n", quoted(role)));
            lines.extend([LineOf::Role(members[0]), LineOf::Role(members[0])]);
            for &i in members {
                text.push_str(&format!("      {}: {}\n", quoted(items[i].key), items[i].text));
                lines.push(LineOf::Item(i));
            }
        }
        let mapper = Mapper { items: &items, lines: &lines, whole: &whole, groups: &groups };
        let loaded = match groups.is_empty() {
            true => Ok(RoleConfig::<A>::empty()),
            false => RoleConfig::<A>::load(&text, ITEMS_ORIGIN, LoadOptions::default(), false),
        };
        let loaded = match loaded {
            Ok(loaded) => loaded,
            Err(error) => {
                problems.extend(error.into_problems().into_iter().map(|p| mapper.problem(p)));
                return Err(Error::new(problems));
            }
        };
        if !problems.is_empty() {
            return Err(Error::new(problems));
        }

        for diagnostic in loaded.diagnostics {
            let diagnostic = mapper.diagnostic(diagnostic);
            diagnostic.emit();
            self.diagnostics.push(diagnostic);
        }
        for entry in loaded.entries {
            let location = entry.location.as_ref().map(|at| mapper.location(at));
            let overrides: Vec<_> = entry
                .overrides
                .into_iter()
                .map(|mut o| {
                    o.key_location = o.key_location.as_ref().map(|at| mapper.location(at));
                    o.value_location = o.value_location.as_ref().map(|at| mapper.location(at));
                    o.on_command_line = true;
                    o
                })
                .collect();
            match self.entries.iter_mut().find(|e| e.role == entry.role) {
                // The command line wins over the file's value of the same key.
                Some(existing) => {
                    existing.overrides.retain(|o| overrides.iter().all(|new| new.field != o.field));
                    existing.overrides.extend(overrides);
                }
                None => {
                    let index = self.entries.len();
                    self.entries.push(RoleEntry { role: entry.role, name: None, index, location, overrides });
                }
            }
        }
        Ok(self)
    }
}

/// `ROLE.KEY=VALUE`, split; or what is wrong with it.
fn split(value: &FlagValue) -> Result<Item<'_>, String> {
    let text = value.text.as_str();
    let Some((target, item)) = text.split_once('=') else {
        return Err(format!("`{text}` is not ROLE.KEY=VALUE: it has no `=`"));
    };
    let Some((role, key)) = target.split_once('.') else {
        return Err(format!("`{text}` is not ROLE.KEY=VALUE: no `.` between the role and the key"));
    };
    if role.is_empty() || key.is_empty() {
        return Err(format!("`{text}` is not ROLE.KEY=VALUE: the role or the key is empty"));
    }
    if item.contains(['\n', '\r']) {
        return Err(format!("the value of `{target}` is more than one line"));
    }
    Ok(Item { value, role, key, text: item })
}

/// A role or key as a YAML double-quoted scalar (JSON's string syntax).
fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

/// Maps what the items' document says back to the items on the command line.
struct Mapper<'a> {
    items: &'a [Item<'a>],
    lines: &'a [LineOf],
    whole: &'a dyn Fn(&FlagValue) -> Location,
    groups: &'a [(&'a str, Vec<usize>)],
}

impl Mapper<'_> {
    fn location(&self, at: &Location) -> Location {
        if at.origin() != ITEMS_ORIGIN {
            return at.clone();
        }
        let line = self.lines.get(at.line() - 1).copied().unwrap_or(LineOf::Nothing);
        let (item, part) = match line {
            LineOf::Nothing => return (self.whole)(self.items[0].value),
            LineOf::Role(i) => (&self.items[i], 0),
            LineOf::Item(i) => {
                let key_len = quoted(self.items[i].key).chars().count();
                let value_column = 7 + key_len + 2;
                match at.column() >= value_column {
                    true => (&self.items[i], 2 + at.column() - value_column),
                    false => (&self.items[i], 1),
                }
            }
        };
        let whole = (self.whole)(item.value);
        if !item.value.exact {
            return whole;
        }
        let (role, key, value) = item.columns();
        let source = whole.source().clone();
        match part {
            0 => Location::new(source, 1, role, item.role.chars().count()),
            1 => Location::new(source, 1, key, item.key.chars().count()),
            offset => {
                let column = value + offset - 2;
                let rest = item.text.chars().count().saturating_sub(offset - 2);
                Location::new(source, 1, column, at.len.min(rest).max(1))
            }
        }
    }

    /// `megatron[0].overrides.lr` as `critic.lr`.
    fn text(&self, text: &str) -> String {
        let mut text = text.to_string();
        for (index, (role, _)) in self.groups.iter().enumerate() {
            text = text
                .replace(&format!("megatron[{index}].overrides."), &format!("{role}."))
                .replace(
                    &format!("megatron[{index}].overrides"),
                    &format!("the command-line values of `{role}`"),
                )
                .replace(&format!("megatron[{index}]"), &format!("the command-line values of `{role}`"));
        }
        text
    }

    fn problem(&self, mut problem: Problem) -> Problem {
        problem.notes = problem
            .notes
            .iter()
            .map(|n| Note::new(self.text(&n.message), n.location.as_ref().map(|at| self.location(at))))
            .collect();
        problem.message = self.text(&problem.message);
        problem.help = problem.help.as_deref().map(|h| self.text(h));
        problem.location = problem.location.as_ref().map(|at| self.location(at));
        problem
    }

    fn diagnostic(&self, diagnostic: Diagnostic) -> Diagnostic {
        Diagnostic {
            message: self.text(&diagnostic.message),
            help: diagnostic.help.as_deref().map(|h| self.text(h)),
            location: diagnostic.location.as_ref().map(|at| self.location(at)),
            ..diagnostic
        }
    }
}
