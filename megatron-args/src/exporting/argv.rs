//! Rendering a role's arguments back to a command line, for launchers that
//! start one worker process per role. Every argument is written from clap's
//! own description of it (flag, position, action, delimiter, number of
//! values), so that clap parses the result back to the same arguments.

use clap::{Arg, ArgAction, Command, Parser};

use crate::model::args::MegatronArgs;
use crate::model::clap_command::{arg_display, parse_text, spellings, takes_values, ClapArgs};
use crate::model::error::{Error, Problem, ProblemKind};
use crate::model::field::FieldInfo;
use crate::model::value::{Value, ValueType};

/// The command-line arguments (without the program name) that make the clap
/// struct `A` parse back to `args`, or an error naming every argument that
/// cannot be written so (never a dropped argument). Before it is returned,
/// the command line is parsed back with clap and compared, field by field,
/// with `args`.
///
/// Each argument is written as clap describes it, shared fields included, so
/// the result is a complete command line for one role:
///
/// - options by their real flag (the long one, else the short one), renamed
///   flags (`long = "..."`, `rename_all`) included; a value as `--flag VALUE`,
///   or `--flag=VALUE` when it starts with `-` (so that it is not taken for a
///   flag) or the argument requires `=`;
/// - values in the spelling clap parses: floats in Rust's shortest
///   round-trip spelling (`1e-5`, `0.1`), enums by their clap value name;
/// - `SetTrue` / `SetFalse` flags only when the value differs from the
///   default; `Count` flags repeated (`-vvv` when the flag has a short form,
///   else `--verbose --verbose`);
/// - `None` omitted;
/// - lists: with a `value_delimiter`, one joined value (`--tags a,b`); with
///   `num_args` above one, one flag followed by the values
///   (`--eval-at 10 20`); with `Append`, otherwise, one flag per value
///   (`--tag a --tag b`); an empty list omitted (or the bare flag, when the
///   argument takes zero values and absence would mean something else);
/// - positional arguments last, in index order, after `--` when a value
///   starts with `-`.
///
/// Fields clap does not read (`#[arg(skip)]`) are not written. What cannot
/// be written faithfully is an error naming the field: a list element
/// containing the delimiter, `None` for an argument whose absence
/// means its default, a `false` store-true flag whose default is true, a
/// list that does not fit `num_args`, a missing positional before a given
/// one; and an argument of the command that no field holds, or a subcommand.
///
/// ```
/// use clap::Parser;
/// use megatron_args::{to_argv, MegatronArgs};
///
/// #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
/// struct Args {
///     #[arg(long, default_value_t = 1e-6)]
///     lr: f64,
///     #[arg(long)]
///     save: Option<std::path::PathBuf>,
///     #[arg(long)]
///     use_kl_loss: bool,
///     #[arg(long, num_args = 1..)]
///     eval_at: Vec<u32>,
/// }
///
/// let args = Args::parse_from(["train", "--lr", "1e-5", "--eval-at", "10", "20"]);
/// let argv = to_argv(&args)?;
/// assert_eq!(argv, ["--lr", "1e-5", "--eval-at", "10", "20"]);
/// let again = Args::parse_from(std::iter::once("train".to_string()).chain(argv));
/// assert_eq!(again, args);
/// # Ok::<(), megatron_args::Error>(())
/// ```
///
/// The result is a plain `Vec<String>`: a launcher appends what the struct
/// does not hold (pass-through arguments, for example) itself.
pub fn to_argv<A: MegatronArgs + Parser>(args: &A) -> Result<Vec<String>, Error> {
    let Some(clap) = ClapArgs::of::<A>() else {
        // A `Parser` is a `CommandFactory`: the derive's hook finds its command.
        unreachable!("a clap Parser has a clap command");
    };
    let schema = A::__schema();
    let mut writer = Writer::default();
    for info in A::fields() {
        // A field clap does not read (`#[arg(skip)]`) is not on the command
        // line. No argument is lost that way: every argument of the command
        // must be held by a field (`unknown_arguments`).
        if let Some(arg) = clap.arg(info.index) {
            writer.field(info, arg, &schema.value(args, info.index));
        }
    }
    writer.unknown_arguments(clap.command, &clap);
    let argv = writer.finish()?;
    parses_back_to(args, &argv, &clap)?;
    Ok(argv)
}

/// The last guard: clap parses the written command line back to every
/// argument's value, else an error naming each field it reads differently
/// (a value whose `Display` another parser reads otherwise, a combination
/// of values clap refuses).
fn parses_back_to<A: MegatronArgs + Parser>(args: &A, argv: &[String], clap: &ClapArgs) -> Result<(), Error> {
    let program = std::iter::once(clap.command.get_name().to_string());
    let parsed = A::try_parse_from(program.chain(argv.iter().cloned())).map_err(|err| {
        let rendered = err.to_string();
        let first = rendered.lines().next().unwrap_or_default();
        let reason = first.strip_prefix("error: ").unwrap_or(first);
        Error::from(Problem::new(
            ProblemKind::NotWritable { key: clap.command.get_name().to_string() },
            format!("clap refuses the written command line: {reason}"),
            None,
            None,
        ))
    })?;
    let schema = A::__schema();
    let problems: Vec<Problem> = A::fields()
        .iter()
        .filter(|info| clap.arg(info.index).is_some())
        .filter_map(|info| {
            let (written, read) = (schema.value(args, info.index), schema.value(&parsed, info.index));
            // `{:?}` equates NaN with NaN.
            let same = written == read || format!("{written:?}") == format!("{read:?}");
            (!same).then(|| {
                Problem::new(
                    ProblemKind::NotWritable { key: info.name.to_string() },
                    format!(
                        "cannot write `{}` as a command line: clap reads it back as `{read}`, not `{written}`",
                        info.name
                    ),
                    None,
                    None,
                )
            })
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::new(problems))
    }
}

/// The argv being written, and what could not be written.
#[derive(Default)]
struct Writer {
    options: Vec<String>,
    /// (clap index, argument, values) of each positional argument.
    positionals: Vec<(usize, &'static str, &'static Arg, Option<Vec<String>>)>,
    /// Whether the last option written could take more values: a
    /// positional after it would be read as one.
    open_ended: bool,
    problems: Vec<Problem>,
}

impl Writer {
    fn problem(&mut self, name: &str, reason: String) {
        self.problems.push(Problem::new(
            ProblemKind::NotWritable { key: name.to_string() },
            format!("cannot write `{name}` as a command line: {reason}"),
            None,
            None,
        ));
    }

    fn field(&mut self, info: &FieldInfo, arg: &'static Arg, value: &Value) {
        if let Err(reason) = self.try_field(info, arg, value) {
            self.problem(info.name, reason);
        }
    }

    fn try_field(&mut self, info: &FieldInfo, arg: &'static Arg, value: &Value) -> Result<(), String> {
        match arg.get_action() {
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

    /// A `SetTrue`/`SetFalse` flag: given when the value is the one the flag
    /// sets and differs from the default.
    fn flag(&mut self, arg: &Arg, value: &Value) -> Result<(), String> {
        let Value::Bool(value) = value else {
            return Err(format!("a flag takes a boolean, the field holds {}", value.describe()));
        };
        let sets = matches!(arg.get_action(), ArgAction::SetTrue);
        let default = default_texts(arg).first().map_or(!sets, |text| truthy(text));
        if *value == default {
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
        info: &FieldInfo,
        arg: &'static Arg,
        value: &Value,
    ) -> Result<Option<Vec<String>>, String> {
        let has_default = !default_texts(arg).is_empty();
        match value {
            Value::Null if has_default => {
                Err(format!("it is None, but without `{}` clap gives its default", arg_display(arg)))
            }
            Value::Null => Ok(None),
            Value::List(items) if items.is_empty() => {
                let absent_is_empty = !has_default && !matches!(info.value_type, ValueType::Optional(_));
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

    /// Arguments of the command that no field holds: writing the fields alone
    /// would drop them.
    fn unknown_arguments(&mut self, command: &Command, clap: &ClapArgs) {
        for arg in command.get_arguments() {
            let held = clap.by_field.iter().flatten().any(|a| a.get_id() == arg.get_id());
            let is_builtin = matches!(
                arg.get_action(),
                ArgAction::Help | ArgAction::HelpShort | ArgAction::HelpLong | ArgAction::Version
            );
            if !held && !is_builtin {
                let id = arg.get_id().as_str().to_string();
                self.problem(&id, format!("`{}` is not a field of the struct", arg_display(arg)));
            }
        }
        let subcommands: Vec<String> =
            command.get_subcommands().map(|s| format!("`{}`", s.get_name())).collect();
        if !subcommands.is_empty() {
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

    fn finish(mut self) -> Result<Vec<String>, Error> {
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
        if !self.problems.is_empty() {
            return Err(Error::new(self.problems));
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
        Ok(argv)
    }
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
