//! The clap side of an argument struct: its `clap::Command`, handed over by
//! the derive's generated hook, the clap argument of each field, and the
//! argument's own value parser run on values that do not come from the
//! command line (SPEC 3.13).
//!
//! The derive cannot see whether the struct also derives `clap::Parser` or
//! `clap::Args`, nor whether this crate's `clap` feature is on. So it
//! generates one macro call, [`__clap_command_hook!`](crate::__clap_command_hook),
//! which this crate defines only with the feature on; the macro picks the
//! command by autoref specialization on the concrete type (`CommandFactory`
//! first, then `Args`, else none), the way clap's `value_parser!` picks a
//! parser.

use std::collections::HashMap;
use std::ffi::OsString;
use std::marker::PhantomData;
use std::sync::{Mutex, OnceLock, PoisonError};

use clap::error::ErrorKind;
use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::model::args::MegatronArgs;
use crate::model::error::{Error, Location, Problem, ProblemKind};
use crate::model::field::FieldInfo;
use crate::model::per_type::per_type;
use crate::model::value::{short_type_name, ArgParser, Value};

/// Writes `MegatronArgs::__build_clap_command` for `$ty`: the struct's clap
/// command (the runtime keeps it once built).
#[doc(hidden)]
#[macro_export]
macro_rules! __clap_command_hook {
    ($ty:ty) => {
        fn __build_clap_command() -> ::core::option::Option<$crate::__private::clap::Command> {
            #[allow(unused_imports)]
            use $crate::__private::{CommandOfArgs as _, CommandOfParser as _, NoCommand as _};
            #[allow(clippy::needless_borrow)]
            (&&&$crate::__private::ClapProbe::<$ty>::new()).clap_command()
        }
    };
}

/// The receiver of the autoref specialization in [`__clap_command_hook!`](crate::__clap_command_hook).
#[doc(hidden)]
pub struct ClapProbe<T>(PhantomData<fn() -> T>);

impl<T> ClapProbe<T> {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        ClapProbe(PhantomData)
    }
}

/// First choice: a `Parser` (`CommandFactory`) has its whole command.
#[doc(hidden)]
pub trait CommandOfParser {
    fn clap_command(&self) -> Option<Command>;
}

impl<T: clap::CommandFactory> CommandOfParser for &&ClapProbe<T> {
    fn clap_command(&self) -> Option<Command> {
        Some(built_as_for_a_parse(T::command()))
    }
}

/// Second choice: a flattened group (`Args`) adds its arguments to a command.
#[doc(hidden)]
pub trait CommandOfArgs {
    fn clap_command(&self) -> Option<Command>;
}

impl<T: clap::Args> CommandOfArgs for &ClapProbe<T> {
    fn clap_command(&self) -> Option<Command> {
        Some(built_as_for_a_parse(T::augment_args(Command::new(short_type_name::<T>()))))
    }
}

/// Otherwise the struct has no clap command.
#[doc(hidden)]
pub trait NoCommand {
    fn clap_command(&self) -> Option<Command>;
}

impl<T> NoCommand for ClapProbe<T> {
    fn clap_command(&self) -> Option<Command> {
        None
    }
}

/// `build` fills in what clap derives lazily (actions, value parsers,
/// positional indices), which `to_argv` and the checks read.
fn built(mut command: Command) -> Command {
    command.build();
    command
}

/// The command built as clap builds it for a parse: the command itself,
/// none of its subcommands. [`Command::build`] builds the whole tree and so
/// runs clap's debug assertions on every subcommand, which clap's own parse
/// runs only on the subcommand the command line names: a struct whose parse
/// works would panic here. clap builds a command, and nothing else, when it
/// parses with it, and that is the only public way to build one level; the
/// parse itself (of no arguments) is not used.
pub(crate) fn built_as_for_a_parse(mut command: Command) -> Command {
    let name = OsString::from(command.get_name());
    // `no_binary_name` would read the name as an argument: give none.
    let argv: Vec<OsString> = if command.is_no_binary_name_set() { Vec::new() } else { vec![name] };
    let _parse_of_nothing = command.try_get_matches_from_mut(argv);
    command
}

/// The clap argument of every field of `A`, by field index (`None` for a
/// field that is not an argument of the command).
pub(crate) struct ClapArgs {
    pub(crate) command: &'static Command,
    pub(crate) by_field: Vec<Option<&'static Arg>>,
}

impl ClapArgs {
    /// `A`'s clap arguments, made once; `None` when `A` is not a clap
    /// `Parser`/`Args`.
    pub(crate) fn of<A: MegatronArgs>() -> Option<&'static Self> {
        per_type::<A, Option<ClapArgs>>(Self::build::<A>).as_ref()
    }

    fn build<A: MegatronArgs>() -> Option<Self> {
        let command = A::__clap_command()?;
        let mut by_id: HashMap<&str, &Arg> = HashMap::new();
        let mut by_long: HashMap<&str, &Arg> = HashMap::new();
        for arg in command.get_arguments() {
            by_id.insert(arg.get_id().as_str(), arg);
            if let Some(long) = arg.get_long() {
                by_long.insert(long, arg);
            }
        }
        let by_field = A::fields().iter().map(|info| arg_of(info, &by_id, &by_long)).collect();
        Some(ClapArgs { command, by_field })
    }

    /// The clap argument of field `index`, if it is one.
    pub(crate) fn arg(&self, index: usize) -> Option<&'static Arg> {
        self.by_field.get(index).copied().flatten()
    }
}

/// The clap argument of `A`'s field `index` (the hook of
/// [`crate::model::value::FieldParser`]).
pub(crate) fn field_arg<A: MegatronArgs>(index: usize) -> Option<&'static Arg> {
    ClapArgs::of::<A>()?.arg(index)
}

/// Checks a value of `A`'s field `index` with its argument's own value
/// parser (SPEC 3.13); `written` is the value before conversion. A field
/// that is no clap argument, of a struct that is no clap struct, passes.
pub(crate) fn check_field_value<A: MegatronArgs>(
    index: usize,
    key_path: &str,
    value: &Value,
    written: &Value,
    locate: &dyn Fn(&[usize]) -> Option<Location>,
) -> Result<(), Error> {
    let Some(arg) = field_arg::<A>(index) else { return Ok(()) };
    check_value(arg, value, written).map_err(|rejection| {
        let location = locate(&rejection.path);
        Error::from(rejection.into_problem(key_path, location))
    })
}

/// A field's argument: by clap's id (the field's Rust name, or
/// `#[arg(id = ...)]`), else, for an id the derive cannot read (`id = CONST`),
/// by its long flag.
fn arg_of(
    info: &FieldInfo,
    by_id: &HashMap<&str, &'static Arg>,
    by_long: &HashMap<&str, &'static Arg>,
) -> Option<&'static Arg> {
    by_id
        .get(info.cli.id)
        .or_else(|| info.flag.strip_prefix("--").and_then(|long| by_long.get(long)))
        .copied()
}

/// How an argument is named to the user: `--lr`, `-v`, or `<MODEL>`.
pub(crate) fn arg_display(arg: &Arg) -> String {
    if let Some(long) = arg.get_long() {
        format!("--{long}")
    } else if let Some(short) = arg.get_short() {
        format!("-{short}")
    } else {
        let name = arg.get_value_names().and_then(|names| names.first().map(ToString::to_string));
        format!("<{}>", name.unwrap_or_else(|| arg.get_id().as_str().to_uppercase()))
    }
}

/// Whether occurrences of the argument carry values (not `SetTrue`,
/// `SetFalse`, `Count`, help or version).
pub(crate) fn takes_values(arg: &Arg) -> bool {
    matches!(arg.get_action(), ArgAction::Set | ArgAction::Append)
}

/// A value the argument's own value parser refuses.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Rejection {
    /// The index of the list element refused (empty for the value itself).
    pub(crate) path: Vec<usize>,
    /// The text clap was given (the spelling `to_argv` writes).
    pub(crate) text: String,
    /// The argument, as the user knows it (`--dtype`).
    pub(crate) arg: String,
    /// clap's reason (`0 is not in 1..=8`), when it gives one.
    pub(crate) reason: Option<String>,
    /// The values the argument accepts, when it has a fixed set.
    pub(crate) allowed: Vec<String>,
}

/// Runs `arg`'s value parser on `value` as `to_argv` writes it: a list
/// element by element, `null` and flags without values not at all.
///
/// `written` is the value as the user gave it (the file's scalar before
/// conversion): when the converted spelling is refused but the user's own
/// spelling is accepted (`90` for a `Duration` whose parser reads seconds,
/// converted to `90s`), the value passes, as it would on the command line.
pub(crate) fn check_value(arg: &'static Arg, value: &Value, written: &Value) -> Result<(), Rejection> {
    if !takes_values(arg) {
        return Ok(());
    }
    match (value, written) {
        (Value::Null, _) => Ok(()),
        (Value::List(items), written) => items.iter().enumerate().try_for_each(|(i, item)| {
            let written = match written {
                Value::List(written) => written.get(i).unwrap_or(item),
                _ => item,
            };
            check_element(arg, item, written).map_err(|mut rejection| {
                rejection.path.insert(0, i);
                rejection
            })
        }),
        (scalar, written) => check_element(arg, scalar, written),
    }
}

fn check_element(arg: &'static Arg, value: &Value, written: &Value) -> Result<(), Rejection> {
    let as_written = match written {
        Value::String(_) | Value::Int(_) | Value::Float(_) => Some(value_text(written)),
        _ => None,
    };
    let mut candidates = spellings(value).into_iter().chain(as_written);
    let first = candidates.next().expect("a value has a spelling");
    let Err(rejection) = parse_text(arg, &first) else { return Ok(()) };
    if candidates.any(|text| parse_text(arg, &text).is_ok()) {
        Ok(())
    } else {
        Err(rejection)
    }
}

/// The spellings of a value on the command line, the canonical one first
/// (the one `to_argv` prefers): a duration (`90s`, `1500ms`) also as a
/// number of seconds (`90`, `1.5`), which custom duration parsers often read.
pub(crate) fn spellings(value: &Value) -> Vec<String> {
    let mut spellings = vec![value_text(value)];
    if let Value::String(text) = value {
        let has_unit = text.trim_end().ends_with(|c: char| c.is_alphabetic());
        let duration = <std::time::Duration as crate::model::value::ArgValue>::from_value(value);
        if let (true, Ok(duration)) = (has_unit, duration) {
            spellings.push(match duration.subsec_nanos() {
                0 => duration.as_secs().to_string(),
                _ => format!("{:?}", duration.as_secs_f64()),
            });
        }
    }
    spellings
}

/// Runs `arg`'s value parser on `text`, as the command line would.
pub(crate) fn parse_text(arg: &'static Arg, text: &str) -> Result<(), Rejection> {
    let rejection = |reason: Option<String>, allowed: Vec<String>| Rejection {
        path: Vec::new(),
        text: text.to_string(),
        arg: arg_display(arg),
        reason,
        allowed,
    };
    if let Some(delimiter) = arg.get_value_delimiter() {
        if text.contains(delimiter) {
            let reason =
                format!("the command line splits values at `{delimiter}`, so this value cannot be passed");
            return Err(rejection(Some(reason), Vec::new()));
        }
    }
    match with_probe(arg, |probe| {
        probe.try_get_matches_from_mut([OsString::from("--"), OsString::from(text)])
    }) {
        Ok(_) => Ok(()),
        Err(err) => {
            let allowed: Vec<String> = arg
                .get_possible_values()
                .iter()
                .filter(|p| !p.is_hide_set())
                .map(|p| p.get_name().to_string())
                .collect();
            let reason = match err.kind() {
                ErrorKind::InvalidValue if !allowed.is_empty() => None,
                _ => Some(clap_reason(&err)),
            };
            Err(rejection(reason, allowed))
        }
    }
}

/// `arg`'s value parser run on `text`: the matches of the probe command, its
/// typed value under [`ArgParser::VALUE`], or clap's reason for refusing the
/// text (for [`crate::model::value::FieldParser`]).
pub(crate) fn parse_value(arg: &'static Arg, text: &str) -> Result<ArgMatches, String> {
    with_probe(arg, |probe| {
        probe
            .try_get_matches_from_mut([OsString::from("--"), OsString::from(text)])
            .map_err(|err| clap_reason(&err))
    })
}

/// Runs `parse` with the built probe command of `arg`: one positional
/// argument with the same value parser. `ValueParser::parse_ref` is private
/// to clap, so a value is parsed through a command, after `--` so that a
/// value starting with `-` is a value. Building the command costs far more
/// than parsing one value with it, so each is built once.
fn with_probe<R>(arg: &'static Arg, parse: impl FnOnce(&mut Command) -> R) -> R {
    static PROBES: OnceLock<Mutex<HashMap<usize, Command>>> = OnceLock::new();
    let mut probes = PROBES.get_or_init(Mutex::default).lock().unwrap_or_else(PoisonError::into_inner);
    // Keyed by address: the arguments are those of the commands kept for
    // the program's life.
    let probe = probes.entry(arg as *const Arg as usize).or_insert_with(|| {
        built(
            Command::new("value-check")
                .no_binary_name(true)
                .disable_help_flag(true)
                .disable_version_flag(true)
                .arg(
                    Arg::new(ArgParser::VALUE)
                        .value_parser(arg.get_value_parser().clone())
                        .ignore_case(arg.is_ignore_case_set())
                        .action(ArgAction::Set)
                        .required(true),
                ),
        )
    });
    parse(probe)
}

/// clap's own words: the parser's error (`0 is not in 1..=8`, a custom
/// parser's message), else the first line of clap's rendering.
fn clap_reason(err: &clap::Error) -> String {
    if let Some(source) = std::error::Error::source(err) {
        return source.to_string();
    }
    let rendered = err.to_string();
    let first = rendered.lines().next().unwrap_or_default();
    first.strip_prefix("error: ").unwrap_or(first).to_string()
}

impl Rejection {
    /// The problem of `key_path` (a file path such as
    /// `megatron[0].overrides.dtype`, or an argument name).
    pub(crate) fn into_problem(self, key_path: &str, location: Option<Location>) -> Problem {
        let indexed: String = self.path.iter().map(|i| format!("[{i}]")).collect();
        let path = format!("{key_path}{indexed}");
        let mut message =
            format!("invalid value for `{path}`: `{}` does not accept `{}`", self.arg, self.text);
        if let Some(reason) = &self.reason {
            message = format!("{message}: {reason}");
        }
        let help = (!self.allowed.is_empty()).then(|| {
            let mut accepts = format!("`{}` accepts ", self.arg);
            let _ = crate::model::value::write_choices(&mut accepts, &self.allowed);
            match crate::model::suggest::closest(&self.text, self.allowed.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`? ({accepts})"),
                None => accepts,
            }
        });
        Problem::new(ProblemKind::ClapRejected { path, arg: self.arg }, message, location, help)
    }
}

/// A value as clap's value parsers read it, and as `to_argv` writes it.
pub(crate) fn value_text(value: &Value) -> String {
    match value {
        // `{:?}` is the shortest spelling that parses back to the same bits
        // (`1e-5`, `0.1`, `3.0`, `NaN`, `inf`), unlike `Display`'s `0.00001`.
        Value::Float(f) => format!("{f:?}"),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// What clap knows of an argument's values beyond the field's type, for the
/// editor schema: its help, its possible values, and an integer argument's
/// range.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct ArgFacts {
    /// `#[arg(help = "...")]`, or the doc comment clap took as help.
    pub(crate) help: Option<String>,
    /// The values the argument accepts, when it has a fixed set (not hidden).
    pub(crate) choices: Vec<String>,
    /// The smallest integer the value parser accepts, when above the type's.
    pub(crate) min: Option<i128>,
    /// The largest integer the value parser accepts, when below the type's.
    pub(crate) max: Option<i128>,
}

/// The facts of `arg`, whose values (list elements, under `Option`) are
/// integers of `range` when given.
///
/// clap's value parsers do not show their range: it is found by running the
/// parser, as the loader does, at the type's bounds and, when it refuses
/// one, by bisection to the last value it takes. The range is kept only
/// when the parser takes every value probed inside it and refuses those
/// just outside, as clap's ranged parsers do, so that a schema never
/// refuses what the loader takes.
pub(crate) fn arg_facts(arg: &'static Arg, range: Option<(i128, i128)>) -> ArgFacts {
    let help = arg.get_help().map(ToString::to_string).filter(|help| !help.trim().is_empty());
    let choices = arg
        .get_possible_values()
        .iter()
        .filter(|value| !value.is_hide_set())
        .map(|value| value.get_name().to_string())
        .collect();
    let mut facts = ArgFacts { help, choices, min: None, max: None };
    if let (Some((lo, hi)), true) = (range, takes_values(arg)) {
        let takes = |n: i128| parse_text(arg, &n.to_string()).is_ok();
        let (takes_lo, takes_hi) = (takes(lo), takes(hi));
        if takes_lo && takes_hi {
            return facts;
        }
        // One value inside, to bisect from: a bound taken, the default,
        // else zero or one.
        let inside = [takes_lo.then_some(lo), takes_hi.then_some(hi)]
            .into_iter()
            .flatten()
            .chain(arg.get_default_values().iter().filter_map(|v| v.to_str()?.trim().parse::<i128>().ok()))
            .chain([0, 1])
            .find(|&n| (lo..=hi).contains(&n) && takes(n));
        let Some(inside) = inside else { return facts };
        let min = if takes_lo { lo } else { bisect(lo, inside, &takes) };
        let max = if takes_hi { hi } else { bisect(hi, inside, &takes) };
        // Probes inside the range are taken, and just outside it refused
        // (an even-numbers parser takes `max + 2`: no range then).
        let mean = |a: i128, b: i128| (a >> 1) + (b >> 1) + (a & b & 1);
        let step = |n: i128, by: i128| n.saturating_add(by);
        let inside = [min, step(min, 1), step(min, 2), mean(min, max), step(max, -2), step(max, -1), max];
        let below = [step(min, -1), step(min, -2), mean(lo, min)];
        let above = [step(max, 1), step(max, 2), mean(max, hi)];
        let contiguous = inside.into_iter().filter(|n| (min..=max).contains(n)).all(&takes)
            && below.into_iter().filter(|n| (lo..min).contains(n)).all(|n| !takes(n))
            && above.into_iter().filter(|n| *n > max && *n <= hi).all(|n| !takes(n));
        if contiguous {
            facts.min = (min != lo).then_some(min);
            facts.max = (max != hi).then_some(max);
        }
    }
    facts
}

/// The value nearest `refused` that `takes`, between `refused` (refused)
/// and `taken` (taken), when the values taken are one run.
fn bisect(mut refused: i128, mut taken: i128, takes: &impl Fn(i128) -> bool) -> i128 {
    while taken.abs_diff(refused) > 1 {
        // The floor of the mean, without overflow at `i128`'s bounds.
        let mid = (refused >> 1) + (taken >> 1) + (refused & taken & 1);
        if takes(mid) {
            taken = mid;
        } else {
            refused = mid;
        }
    }
    taken
}
