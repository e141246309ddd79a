//! How a struct's values are written on a command line, from clap's own
//! description of each argument (flag, position, action, delimiter, number
//! of values), so that clap parses the result back to the same values.
//! `to_argv` writes a role's command line with it, and resolution writes
//! each role's arguments to let clap check their relations (SPEC 3.13).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use clap::{Arg, ArgAction, Command};

use crate::clap_adapter::command::{
    arg_display, built_as_for_a_parse, parse_text, spellings, takes_values, value_text, ClapArgs,
};
use crate::model::args::MegatronArgs;
use crate::model::error::{Problem, ProblemKind};
use crate::model::field::FieldInfo;
use crate::model::subcommand_value::{Inline, Payload, SubcommandField};
use crate::model::texts::Texts;
use crate::model::value::{short_type_name, Value, ValueType};

/// Which arguments are written.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) enum Presence {
    /// Every option with a value, even one equal to its default: a complete
    /// command line for a launcher.
    #[default]
    Complete,
    /// Only what clap would see as given: an argument whose value is its
    /// clap default is left out, as the command line leaves it out. clap's
    /// relations (`conflicts_with`, `requires`, groups) concern given
    /// arguments only.
    Given,
    /// [`Presence::Given`] without the subcommand: the command's own level,
    /// whose relations are checked (a subcommand's are its struct's).
    GivenArguments,
}

/// A written command line: the argv, the fields it gives, and what could
/// not be written.
pub(crate) struct Written {
    pub(crate) argv: Vec<String>,
    /// The field index of each argument written.
    pub(crate) given: Vec<usize>,
    /// What could not be written, each naming its field.
    pub(crate) problems: Vec<Problem>,
}

/// Writes the fields of `args` that `include` selects, each argument of
/// `clap`'s command as clap describes it.
///
/// A field whose type has no spelling of its own is written from its text in
/// `texts`; without one, it is a problem naming the field.
pub(crate) fn write<A: MegatronArgs>(
    args: &A,
    texts: &Texts,
    clap: &ClapArgs,
    presence: Presence,
    include: impl Fn(usize) -> bool,
) -> Written {
    let mut writer = Writer { presence, ..Writer::default() };
    let schema = A::__schema();
    for info in A::fields() {
        // A field clap does not read (`#[arg(skip)]`) is not on the command
        // line. No argument is lost that way: every argument of the command
        // must be held by a field (`unknown_arguments`). Nor is a field of
        // an optional group the value does not hold: clap reads the group as
        // absent when none of its arguments is given.
        if schema.in_absent_group(args, info.index) {
            continue;
        }
        if let Some(arg) = clap.arg(info.index).filter(|_| include(info.index)) {
            match texts.value(args, info.index) {
                Ok(value) => writer.field(info.into(), arg, &value),
                Err(why) => writer.problems.push(Problem::unwritable(info.name, &why)),
            }
        }
    }
    if presence == Presence::Complete {
        // A group held but with nothing written would be read back as absent.
        for group in schema.optional_groups.iter().filter(|group| (group.present)(args)) {
            let written = writer.given.iter().any(|field| group.fields.contains(field));
            if !written && !group.fields.is_empty() && writer.problems.is_empty() {
                writer.problem(
                    group.name,
                    "the optional group is present, but none of its arguments differs from what clap gives \
                     when it is absent, so clap would read it back as `None`"
                        .to_string(),
                );
            }
        }
    }
    let subcommand = args.__subcommand();
    let has_subcommand_field = subcommand.is_some();
    if let Some(field) = subcommand.filter(|_| presence != Presence::GivenArguments) {
        writer.subcommand(field, clap.command);
    }
    writer.unknown_arguments(clap.command, clap, has_subcommand_field);
    writer.finish()
}

/// The complete command line of `args`, a subcommand's arguments, or what
/// cannot be written.
pub(crate) fn write_command<A: MegatronArgs>(args: &A) -> Result<Vec<String>, Vec<Problem>> {
    let Some(clap) = ClapArgs::of::<A>() else {
        let name = short_type_name::<A>();
        return Err(vec![Problem::new(
            ProblemKind::NotWritable { key: name.to_string() },
            format!("cannot write `{name}` as a command line: it is not a clap `Args` struct"),
            None,
            None,
        )]);
    };
    let written = write(args, Texts::none(), clap, Presence::Complete, |_| true);
    if written.problems.is_empty() {
        Ok(written.argv)
    } else {
        Err(written.problems)
    }
}

/// The field an argument is written from: its index (for `given`), its
/// argument name (for messages), whether its type takes `null`.
#[derive(Clone, Copy)]
struct FieldRef {
    index: usize,
    name: &'static str,
    optional: bool,
}

impl From<&FieldInfo> for FieldRef {
    fn from(info: &FieldInfo) -> Self {
        FieldRef {
            index: info.index,
            name: info.name,
            optional: matches!(info.value_type, ValueType::Optional(_)),
        }
    }
}

/// The argv being written, and what could not be written.
#[derive(Default)]
struct Writer {
    presence: Presence,
    options: Vec<String>,
    /// (clap index, argument, values) of each positional argument.
    positionals: Vec<(usize, &'static str, &'static Arg, Option<Vec<String>>)>,
    /// Whether the last option written could take more values: a
    /// positional after it would be read as one.
    open_ended: bool,
    given: Vec<usize>,
    /// The subcommand and its arguments, written after everything else.
    subcommand: Option<(&'static str, Vec<String>)>,
    problems: Vec<Problem>,
}

impl Writer {
    fn problem(&mut self, name: &str, reason: String) {
        self.problems.push(not_writable(name, reason));
    }

    fn field(&mut self, info: FieldRef, arg: &'static Arg, value: &Value) {
        let (options, positionals) = (self.options.len(), self.positionals.len());
        match self.try_field(info, arg, value) {
            Ok(()) => {
                let positional_given = self.positionals[positionals..].iter().any(|(.., v)| v.is_some());
                if self.options.len() > options || positional_given {
                    self.given.push(info.index);
                }
            }
            Err(reason) => self.problem(info.name, reason),
        }
    }

    fn try_field(&mut self, info: FieldRef, arg: &'static Arg, value: &Value) -> Result<(), String> {
        match arg.get_action() {
            // A field of type `()` holds no value: its flag is never written,
            // and clap parses it back to `()` either way.
            ArgAction::SetTrue | ArgAction::SetFalse | ArgAction::Count if *value == Value::Null => Ok(()),
            ArgAction::SetTrue | ArgAction::SetFalse => self.flag(arg, value),
            ArgAction::Count => self.count(arg, value),
            ArgAction::Set | ArgAction::Append => {
                let values = self.values(info, arg, value)?;
                if arg.is_positional() {
                    let index = arg.get_index().unwrap_or(usize::MAX);
                    self.positionals.push((index, info.name, arg, values));
                    Ok(())
                } else {
                    match values {
                        Some(values) => self.option(arg, values),
                        None => Ok(()),
                    }
                }
            }
            other => Err(format!("its clap action `{other:?}` takes no value from a field")),
        }
    }

    /// A `SetTrue`/`SetFalse` flag: given when the value differs from the
    /// default, bare when it is the one the flag sets, else with its value
    /// when the flag takes one.
    fn flag(&mut self, arg: &'static Arg, value: &Value) -> Result<(), String> {
        let Value::Bool(value) = value else {
            return Err(format!("a flag takes a boolean, the field holds {}", value.describe()));
        };
        let sets = matches!(arg.get_action(), ArgAction::SetTrue);
        let default = default_texts(arg).first().map_or(!sets, |text| truthy(text));
        if *value == default {
            return Ok(());
        }
        if max_values(arg) > 0 {
            // An optional value (`num_args = 0..=1`): written explicitly,
            // attached, so that it is not the `default_missing_value` and
            // takes no following word (`--auto-truncate=false`).
            let text = spelling(arg, &Value::Bool(*value))?;
            self.options.push(format!("{}={text}", option_name(arg)));
            self.open_ended = false;
            return Ok(());
        }
        if *value != sets {
            return Err(format!("`{}` can only set {sets}, and its default is {default}", arg_display(arg)));
        }
        self.push_flag(arg);
        Ok(())
    }

    /// A flag without a value.
    fn push_flag(&mut self, arg: &Arg) {
        self.options.push(option_name(arg));
        self.open_ended = max_values(arg) > 0 && takes_values(arg);
    }

    /// A `Count` flag: the flag once per count (`-vvv`).
    fn count(&mut self, arg: &Arg, value: &Value) -> Result<(), String> {
        let Value::Int(count) = *value else {
            return Err(format!("a counted flag takes an integer, the field holds {}", value.describe()));
        };
        let default = default_texts(arg).first().and_then(|t| t.parse::<i128>().ok()).unwrap_or(0);
        if count == default {
            return Ok(());
        }
        if count <= 0 {
            return Err(format!("`{}` counts up from 0, so {count} cannot be written", arg_display(arg)));
        }
        let count = usize::try_from(count).map_err(|_| format!("{count} is too many repetitions"))?;
        match (arg.get_short(), arg.get_long()) {
            (Some(short), _) => self.options.push(format!("-{}", short.to_string().repeat(count))),
            (None, Some(long)) => self.options.extend(std::iter::repeat_n(format!("--{long}"), count)),
            (None, None) => return Err("a counted argument needs a flag".to_string()),
        }
        self.open_ended = false;
        Ok(())
    }

    /// The texts of an argument taking values: `None` when nothing is to be
    /// written, `Some(vec![])` for the bare flag.
    fn values(
        &self,
        info: FieldRef,
        arg: &'static Arg,
        value: &Value,
    ) -> Result<Option<Vec<String>>, String> {
        if self.presence != Presence::Complete {
            // Compared before any value parser runs: most of a large
            // struct's arguments keep their defaults.
            let canonical: Vec<String> = match value {
                Value::List(items) => items.iter().map(value_text).collect(),
                Value::Null => Vec::new(),
                scalar => vec![value_text(scalar)],
            };
            if !canonical.is_empty() && is_default(arg, &canonical) {
                return Ok(None);
            }
        }
        let has_default = !default_texts(arg).is_empty();
        match value {
            Value::Null if has_default => {
                Err(format!("it is None, but without `{}` clap gives its default", arg_display(arg)))
            }
            Value::Null => Ok(None),
            Value::List(items) if items.is_empty() => {
                let absent_is_empty = !has_default && !info.optional;
                if absent_is_empty {
                    Ok(None)
                } else if min_values(arg) == 0 {
                    Ok(Some(Vec::new()))
                } else {
                    Err(format!("it is an empty list, which `{}` cannot take", arg_display(arg)))
                }
            }
            Value::List(items) => {
                let texts = items.iter().map(|item| spelling(arg, item)).collect::<Result<Vec<_>, _>>()?;
                match arg.get_value_delimiter() {
                    Some(delimiter) => {
                        if let Some((i, text)) = texts.iter().enumerate().find(|(_, t)| t.contains(delimiter))
                        {
                            return Err(format!(
                                "element {i} (`{text}`) contains the delimiter `{delimiter}`, \
                                 so clap would split it"
                            ));
                        }
                        Ok(Some(vec![texts.join(&delimiter.to_string())]))
                    }
                    None => Ok(Some(texts)),
                }
            }
            scalar => Ok(Some(vec![spelling(arg, scalar)?])),
        }
    }

    /// An option and its values, in as many occurrences as its action and
    /// `num_args` need.
    fn option(&mut self, arg: &Arg, values: Vec<String>) -> Result<(), String> {
        let (min, max) = (min_values(arg), max_values(arg));
        if values.is_empty() {
            self.push_flag(arg);
            return Ok(());
        }
        let occurrences: Vec<&[String]> = if values.len() <= max {
            vec![&values[..]]
        } else if matches!(arg.get_action(), ArgAction::Append) {
            values.chunks(max.max(1)).collect()
        } else {
            return Err(format!("{} values, but `{}` takes at most {max}", values.len(), arg_display(arg)));
        };
        for occurrence in occurrences {
            if occurrence.len() < min {
                return Err(format!(
                    "{} values, which cannot be split into groups of {min} to {max} for `{}`",
                    values.len(),
                    arg_display(arg)
                ));
            }
            self.occurrence(arg, occurrence)?;
        }
        Ok(())
    }

    fn occurrence(&mut self, arg: &Arg, values: &[String]) -> Result<(), String> {
        let name = option_name(arg);
        self.open_ended = values.len() < max_values(arg);
        if let [value] = values {
            if arg.is_require_equals_set() || (value.starts_with('-') && !reads_as_value(arg, value)) {
                self.options.push(format!("{name}={value}"));
            } else {
                self.options.extend([name, value.clone()]);
            }
            return Ok(());
        }
        let hidden = values.iter().find(|v| v.is_empty() || (v.starts_with('-') && !reads_as_value(arg, v)));
        match hidden {
            // One value per occurrence keeps each value attached with `=`.
            Some(_) if matches!(arg.get_action(), ArgAction::Append) && min_values(arg) <= 1 => {
                values.iter().try_for_each(|v| self.occurrence(arg, std::slice::from_ref(v)))
            }
            Some(value) => Err(format!(
                "the value `{value}` would be read as a flag, not as one of several values of `{}`",
                arg_display(arg)
            )),
            None if arg.is_require_equals_set() => {
                Err(format!("`{}` requires `=`, which takes one value only", arg_display(arg)))
            }
            None => {
                self.options.push(name);
                self.options.extend(values.iter().cloned());
                Ok(())
            }
        }
    }

    /// The struct's subcommand field: the variant's name, then its struct's
    /// own arguments.
    fn subcommand(&mut self, field: SubcommandField<'_>, command: &'static Command) {
        let selected = match field.value {
            Ok(Some(selected)) => selected,
            Ok(None) => return,
            Err(reason) => return self.problem(field.field, reason),
        };
        if command.find_subcommand(selected.name).is_none() {
            let reason =
                format!("its subcommand is written `{}`, which the command does not have", selected.name);
            return self.problem(field.field, reason);
        }
        match selected.payload {
            Payload::Nothing => self.subcommand = Some((field.field, vec![selected.name.to_string()])),
            Payload::Unwritable(reason) => self.problem(field.field, reason),
            Payload::Args(args) => match args.write_argv() {
                Ok(argv) => {
                    let argv = std::iter::once(selected.name.to_string()).chain(argv).collect();
                    self.subcommand = Some((field.field, argv));
                }
                Err(problems) => self.problems.extend(problems),
            },
            Payload::Inline(inline) => {
                let written = built_subcommand(command, selected.name)
                    .map_err(|reason| vec![not_writable(field.field, reason)])
                    .and_then(|subcommand| write_inline(inline, subcommand));
                match written {
                    Ok(argv) => {
                        let argv = std::iter::once(selected.name.to_string()).chain(argv).collect();
                        self.subcommand = Some((field.field, argv));
                    }
                    Err(problems) => self.problems.extend(problems),
                }
            }
        }
    }

    /// Arguments of the command that no field holds: writing the fields alone
    /// would drop them.
    fn unknown_arguments(&mut self, command: &Command, clap: &ClapArgs, has_subcommand_field: bool) {
        let held = |arg: &Arg| clap.by_field.iter().flatten().any(|a| a.get_id() == arg.get_id());
        self.unheld_arguments(command, held, has_subcommand_field);
    }

    fn unheld_arguments(
        &mut self,
        command: &Command,
        held: impl Fn(&Arg) -> bool,
        has_subcommand_field: bool,
    ) {
        for arg in command.get_arguments() {
            let held = held(arg);
            let is_builtin = matches!(
                arg.get_action(),
                ArgAction::Help | ArgAction::HelpShort | ArgAction::HelpLong | ArgAction::Version
            );
            // A global argument reaches a subcommand's command from the
            // level that declares it, and is written there.
            let propagated = arg.is_global_set();
            if !held && !is_builtin && !propagated {
                let id = arg.get_id().as_str().to_string();
                self.problem(&id, format!("`{}` is not a field of the struct", arg_display(arg)));
            }
        }
        let subcommands: Vec<String> =
            command.get_subcommands().map(|s| format!("`{}`", s.get_name())).collect();
        if !subcommands.is_empty() && !has_subcommand_field {
            let name = command.get_subcommand_value_name().unwrap_or("subcommand").to_string();
            self.problem(
                &name,
                format!(
                    "the command's subcommand ({}) is not a field megatron-args reads",
                    subcommands.join(", ")
                ),
            );
        }
    }

    fn finish(mut self) -> Written {
        self.positionals.sort_by_key(|(index, ..)| *index);
        // A missing positional before a given one would shift the values.
        let last_given = self.positionals.iter().rposition(|(.., values)| values.is_some());
        let missing: Vec<(&str, &Arg)> = self.positionals[..last_given.map_or(0, |i| i + 1)]
            .iter()
            .filter(|(.., values)| values.is_none())
            .map(|(_, name, arg, _)| (*name, *arg))
            .collect();
        for (name, arg) in missing {
            self.problem(
                name,
                format!("it is None, but a later positional argument follows `{}`", arg_display(arg)),
            );
        }
        let mut argv = self.options;
        let positional_values: Vec<(&Arg, Vec<String>)> =
            self.positionals.into_iter().filter_map(|(_, _, arg, values)| Some((arg, values?))).collect();
        let needs_separator = !positional_values.is_empty()
            && (self.open_ended
                || positional_values
                    .iter()
                    .any(|(arg, values)| arg.is_last_set() || values.iter().any(|v| v.starts_with('-'))));
        if needs_separator {
            argv.push("--".to_string());
        }
        argv.extend(positional_values.into_iter().flat_map(|(_, values)| values));
        if let Some((field, subcommand)) = self.subcommand {
            if needs_separator {
                let reason = "its subcommand would follow `--`, after the positional arguments".to_string();
                self.problems.push(not_writable(field, reason));
            }
            argv.extend(subcommand);
        }
        Written { argv, given: self.given, problems: self.problems }
    }
}

/// The arguments of a variant holding them as its own fields, written
/// against `command`, clap's command of that subcommand.
fn write_inline(inline: Inline<'_>, command: &'static Command) -> Result<Vec<String>, Vec<Problem>> {
    let mut writer = Writer::default();
    for (field, reason) in inline.unwritable {
        writer.problem(field, reason);
    }
    let mut held: Vec<&str> = Vec::new();
    for (index, field) in inline.fields.iter().enumerate() {
        let Some(arg) = command.get_arguments().find(|arg| arg.get_id() == field.id.as_str()) else {
            let reason =
                format!("clap's command `{}` has no argument of id `{}`", command.get_name(), field.id);
            writer.problem(field.name, reason);
            continue;
        };
        held.push(arg.get_id().as_str());
        let target = FieldRef { index, name: field.name, optional: field.optional };
        match &field.value {
            Some(Ok(value)) => writer.field(target, arg, value),
            Some(Err(why)) => writer.problems.push(Problem::unwritable(field.name, why)),
            None => {}
        }
    }
    let has_subcommand_field = inline.subcommand.is_some();
    if let Some(field) = inline.subcommand {
        writer.subcommand(*field, command);
    }
    writer.unheld_arguments(command, |arg| held.contains(&arg.get_id().as_str()), has_subcommand_field);
    let written = writer.finish();
    if written.problems.is_empty() {
        Ok(written.argv)
    } else {
        Err(written.problems)
    }
}

/// Subcommand `name` of `parent`, built as clap builds it to parse it, and
/// kept for the program's life (its arguments are borrowed for as long).
/// clap's debug assertions on it (two arguments sharing `-o`) are its
/// parse's: they make this an error, as they would stop the program.
fn built_subcommand(parent: &'static Command, name: &str) -> Result<&'static Command, String> {
    type Built = HashMap<(usize, String), &'static Command>;
    static BUILT: OnceLock<Mutex<Built>> = OnceLock::new();
    let key = (parent as *const Command as usize, name.to_string());
    let built = BUILT.get_or_init(Mutex::default);
    if let Some(command) = built.lock().unwrap_or_else(PoisonError::into_inner).get(&key) {
        return Ok(command);
    }
    let subcommand = parent
        .find_subcommand(name)
        .ok_or_else(|| format!("its subcommand is written `{name}`, which the command does not have"))?
        .clone();
    let command = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| built_as_for_a_parse(subcommand)))
        .map_err(|panic| {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("clap's check panicked");
            format!("clap refuses the command of subcommand `{name}`: {message}")
        })?;
    let command: &'static Command = Box::leak(Box::new(command));
    Ok(*built.lock().unwrap_or_else(PoisonError::into_inner).entry(key).or_insert(command))
}

/// `name` cannot be written, and why.
fn not_writable(name: &str, reason: String) -> Problem {
    Problem::new(
        ProblemKind::NotWritable { key: name.to_string() },
        format!("cannot write `{name}` as a command line: {reason}"),
        None,
        None,
    )
}

/// The first spelling of `value` that the argument's own value parser
/// takes (its canonical one, else another: a duration as seconds); a value
/// whose every spelling the parser refuses cannot be written. A delimited
/// list's element containing the delimiter is reported by the caller, with
/// its index.
fn spelling(arg: &'static Arg, value: &Value) -> Result<String, String> {
    let spellings = spellings(value);
    if arg.get_value_delimiter().is_some_and(|d| spellings[0].contains(d)) {
        return Ok(spellings[0].clone());
    }
    let mut refusal = None;
    for text in &spellings {
        match parse_text(arg, text) {
            Ok(()) => return Ok(text.clone()),
            Err(rejection) => refusal = refusal.or(Some(rejection)),
        }
    }
    let rejection = refusal.expect("a value has a spelling");
    let reason = rejection.reason.map(|r| format!(": {r}")).unwrap_or_default();
    Err(format!(
        "its value is written `{}`, which the value parser of `{}` refuses{reason}",
        rejection.text, rejection.arg
    ))
}

/// The flag an option is written with: its long flag, else its short one.
fn option_name(arg: &Arg) -> String {
    match (arg.get_long(), arg.get_short()) {
        (Some(long), _) => format!("--{long}"),
        (None, Some(short)) => format!("-{short}"),
        (None, None) => arg_display(arg),
    }
}

/// Whether clap reads `value`, starting with `-`, as a value of `arg` even
/// after a space.
fn reads_as_value(arg: &Arg, value: &str) -> bool {
    arg.is_allow_hyphen_values_set() || (arg.is_allow_negative_numbers_set() && value.parse::<f64>().is_ok())
}

/// Whether `texts` (a delimited list already joined) are what clap gives
/// the argument when it is absent.
fn is_default(arg: &Arg, texts: &[String]) -> bool {
    let defaults = default_texts(arg);
    if defaults.is_empty() {
        return false;
    }
    match arg.get_value_delimiter() {
        Some(delimiter) => texts.join(&delimiter.to_string()) == defaults.join(&delimiter.to_string()),
        None => texts == defaults,
    }
}

fn default_texts(arg: &Arg) -> Vec<String> {
    arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect()
}

fn truthy(text: &str) -> bool {
    matches!(text, "true" | "yes" | "y" | "on" | "1")
}

fn min_values(arg: &Arg) -> usize {
    arg.get_num_args().map_or(1, |range| range.min_values())
}

fn max_values(arg: &Arg) -> usize {
    arg.get_num_args().map_or(1, |range| range.max_values())
}
