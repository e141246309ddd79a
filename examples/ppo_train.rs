//! A PPO trainer's argument handling, as slime does it: one shared command
//! line of slime/Megatron-LM flags, and a role-config file
//! (`--megatron-config-path`) with the few arguments the actor and the critic
//! need differently.
//!
//! The program resolves each active role's arguments and prints them: by
//! default what differs from the command line and where it came from, with
//! `--format json` every argument of every role.
//!
//! ```text
//! cargo run --example ppo_train -- \
//!   --advantage-estimator ppo --use-critic --megatron-config-path examples/megatron_ppo.yaml \
//!   --tensor-model-parallel-size 2 --sequence-parallel --pipeline-model-parallel-size 1 \
//!   --context-parallel-size 1 --expert-model-parallel-size 1 --expert-tensor-parallel-size 1 \
//!   --actor-num-nodes 1 --actor-num-gpus-per-node 8 --critic-num-nodes 1 --critic-num-gpus-per-node 8
//! ```
//!
//! Three more outputs, each printed instead of the resolved arguments:
//! `--print-schema` (the role-config file's JSON Schema, for editors),
//! `--print-template` (a commented role-config file to start from) and
//! `--print-argv ROLE` (the role's resolved arguments as a command line, one
//! argument per line, for a launcher).
//!
//! The arguments are slime's and Megatron-LM's whole training surface,
//! generated from the table of upstream arguments by
//! `scripts/gen_ppo_args.py` into `ppo_train/args/` (one module per upstream
//! group). The command line is read as slime reads it: `--sglang-*` and
//! `--router-*` arguments pass through to SGLang, a repeated flag keeps its
//! last value, `--advantage-estimator ppo` turns the critic on, and the
//! critic's placement follows the actor's unless `--critic-num-*` is given.
//! Unlike slime, an unknown flag is an error.
//!
//! `PPO_TRAIN_TIMINGS=1` prints the time of each phase to stderr.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use clap::builder::PossibleValuesParser;
use clap::{CommandFactory, FromArgMatches, Parser};
use megatron_args::{
    CommandLine, FieldInfo, MegatronArgs, PpoRole, Provenance, Resolved, Role, RoleConfig, Styling, Value,
    SECRET_MASK,
};
use serde::ser::{Serialize, SerializeMap, Serializer};

// Generated from the table of upstream arguments (scripts/gen_ppo_args.py);
// the script's layout is kept as it is.
#[rustfmt::skip]
#[path = "ppo_train/args/mod.rs"]
mod args;

pub use args::*;

// Upstream's derived defaults and cross-field checks, run per role.
#[path = "ppo_train/rules.rs"]
mod rules;

/// The command line: the training arguments, plus how to print the result.
#[derive(Parser, Debug)]
#[command(name = "ppo_train", version, about = "Resolve the per-role training arguments of a PPO run")]
#[command(args_override_self = true, allow_negative_numbers = true)]
struct Cli {
    #[command(flatten)]
    train: TrainArgs,

    /// How to print the resolved arguments: `text` shows per role what differs from the command line,
    /// `json` every argument of every role.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Print the JSON Schema (draft 2020-12) of the role-config file, for editors, and exit.
    #[arg(long, conflicts_with_all = ["print_argv", "print_template"])]
    print_schema: bool,

    /// Print the resolved arguments of ROLE as a command line, one argument per line, and exit.
    #[arg(long, value_name = "ROLE", value_parser = PossibleValuesParser::new(PpoRole::names()))]
    print_argv: Option<String>,

    /// Print a commented role-config file with every key a role may set and its current value, and
    /// exit.
    #[arg(long, conflicts_with = "print_argv")]
    print_template: bool,

    /// One role's value of one argument, on top of the role-config file: `ROLE.KEY=VALUE`
    /// (`critic.lr=1e-5`), repeatable. Read and checked as the file's values are, and winning over
    /// the file's value of the same role and key.
    #[arg(long = "megatron-override", value_name = "ROLE.KEY=VALUE", action = clap::ArgAction::Append)]
    megatron_override: Vec<String>,

    /// Colour error reports: `auto` when stderr is a terminal (honouring `NO_COLOR` and
    /// `CLICOLOR_FORCE`), `always` or `never`, as cargo's `--color`.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// Writes a report to stderr, coloured as `--color` says; `anstream` strips
/// the colour codes where colour is off.
fn eprint_report(error: &megatron_args::Error, when: ColorWhen) {
    let choice = match when {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    };
    let mut stderr = anstream::AutoStream::new(std::io::stderr().lock(), choice);
    // Nothing sensible is left to do when stderr itself cannot be written.
    let _ = writeln!(stderr, "{}", error.render(Styling::Ansi));
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

/// The stack of the thread that parses and resolves: clap's parser for a
/// thousand arguments needs more than a debug build's 8 MiB main thread
/// leaves it in the worst case, and a thread costs nothing here.
const WORK_STACK_BYTES: usize = 64 * 1024 * 1024;

fn main() -> ExitCode {
    let argv: Vec<OsString> = std::env::args_os().collect();
    std::thread::Builder::new()
        .name("ppo_train".into())
        .stack_size(WORK_STACK_BYTES)
        .spawn(move || run(argv))
        .expect("cannot start the worker thread")
        .join()
        .unwrap_or(ExitCode::FAILURE)
}

fn run(argv: Vec<OsString>) -> ExitCode {
    let timings = Timings::from_env();
    // The words as given, for reports that point at a command-line value;
    // the program by its name, not its path.
    let program = argv.first().map(|p| Path::new(p).file_name().unwrap_or(p).to_os_string());
    let words: Vec<OsString> = program.into_iter().chain(argv.iter().skip(1).cloned()).collect();
    // Help and version print to stdout and exit 0; a bad command line prints
    // clap's message to stderr and exits 2.
    let (cli, matches) = parse_command_line(argv).unwrap_or_else(|error| error.exit());
    // The program's own parse: each training argument's text, source
    // (command line, environment variable, default) and place.
    let command_line = CommandLine::from_matches(words, &matches);
    timings.lap("parse");
    let args = &cli.train;

    // What needs no resolution: the editor schema and the template.
    if cli.print_schema {
        let schema = megatron_args::json_schema::<TrainArgs>();
        return write_stdout(&format!(
            "{}\n",
            serde_json::to_string_pretty(&schema).expect("JSON serializes")
        ));
    }
    if cli.print_template {
        return write_stdout(&megatron_args::template(args));
    }

    let config = match &args.slime_algo.megatron_config_path {
        Some(path) => RoleConfig::<TrainArgs>::from_path(path),
        None => Ok(RoleConfig::empty()),
    };
    // `--megatron-override ROLE.KEY=VALUE`: each at its place on the command line.
    let config =
        config.and_then(|config| config.with_command_line_overrides(&command_line, "--megatron-override"));
    timings.lap("load");
    let resolved =
        config.and_then(|config| config.resolve_with_command_line(args, &command_line, &active_roles(args)));
    timings.lap("resolve");
    let resolved = match resolved {
        Ok(resolved) => resolved,
        Err(error) => {
            eprint_report(&error, cli.color);
            return ExitCode::from(2);
        }
    };

    if let Some(name) = &cli.print_argv {
        let role = PpoRole::from_name(name).expect("clap checked the role name");
        let Some(role_args) = resolved.get(role) else {
            eprintln!(
                "error: role `{name}` is not active in this run \
                 (the critic needs --advantage-estimator ppo or --use-critic)"
            );
            return ExitCode::from(2);
        };
        let argv = match launch_argv(role_args) {
            Ok(argv) => argv,
            Err(error) => {
                eprintln!("{error}");
                return ExitCode::from(2);
            }
        };
        let lines: String = argv.iter().map(|arg| format!("{arg}\n")).collect();
        return write_stdout(&lines);
    }

    let output = match cli.format {
        Format::Text => render_text(&resolved),
        Format::Json => render_json(&resolved),
    };
    let status = write_stdout(&output);
    timings.lap("print");
    status
}

/// Reads the command line as slime does: SGLang's own arguments split off
/// and kept, `--no-X` of the `BooleanOptionalAction` arguments, then what
/// slime's validation derives (the critic and its placement).
fn parse_command_line(argv: Vec<OsString>) -> Result<(Cli, clap::ArgMatches), clap::Error> {
    let mut command = with_negations(Cli::command());
    let known_flags: HashSet<String> =
        command.get_arguments().filter_map(|arg| arg.get_long().map(|long| format!("--{long}"))).collect();
    let argv = split_passthrough(argv, &known_flags);
    let matches = command.try_get_matches_from_mut(argv)?;
    let mut cli = Cli::from_arg_matches(&matches).map_err(|error| error.format(&mut command))?;
    let train = &mut cli.train;
    for negation in NEGATIONS {
        if matches.get_flag(negation.id) {
            train.set(negation.field, false).expect("every negation names a bool argument");
        }
    }
    apply_upstream_validation(train);
    Ok((cli, matches))
}

/// Adds the hidden `--no-X` flag of every `BooleanOptionalAction` argument;
/// the later of `--X` and `--no-X` wins, as in argparse.
fn with_negations(mut command: clap::Command) -> clap::Command {
    for negation in NEGATIONS {
        command = command
            .arg(
                clap::Arg::new(negation.id)
                    .long(&negation.flag[2..])
                    .action(clap::ArgAction::SetTrue)
                    .hide(true)
                    .overrides_with(negation.field),
            )
            .mut_arg(negation.field, |arg| arg.overrides_with(negation.id));
    }
    command
}

/// Moves SGLang's own `--sglang-*` / `--router-*` arguments (each with the
/// values that follow it), in their order, behind `--`, where the argument
/// `sglang_passthrough` takes them. Flags the command defines itself
/// (`--sglang-config`, `--sglang-router-ip`, ...) stay. SGLang's flags depend
/// on its version, so they are not checked here, as slime does not check
/// them either.
fn split_passthrough(argv: Vec<OsString>, known_flags: &HashSet<String>) -> Vec<OsString> {
    let mut kept = Vec::with_capacity(argv.len());
    let mut passthrough = Vec::new();
    let mut in_passthrough = false;
    let mut args = argv.into_iter();
    kept.extend(args.next()); // the program name
    while let Some(arg) = args.next() {
        let text = arg.to_str();
        if text == Some("--") {
            // Already behind `--`: pass-through too.
            passthrough.extend(args.by_ref());
            break;
        }
        if let Some(text) = text.filter(|t| looks_like_flag(t)) {
            let flag = text.split_once('=').map_or(text, |(flag, _)| flag);
            in_passthrough = (flag.starts_with("--sglang-") || flag.starts_with("--router-"))
                && !known_flags.contains(flag);
        }
        if in_passthrough {
            passthrough.push(arg);
        } else {
            kept.push(arg);
        }
    }
    if !passthrough.is_empty() {
        kept.push("--".into());
        kept.extend(passthrough);
    }
    kept
}

/// A flag, as opposed to a value: `--x`, or `-x` that is not a negative number.
fn looks_like_flag(text: &str) -> bool {
    text.starts_with("--") || (text.starts_with('-') && text.len() > 1 && text[1..].parse::<f64>().is_err())
}

/// What slime's argument validation derives from the command line: the
/// critic is on with `--advantage-estimator ppo` (and, here, with
/// `--use-critic`), and takes the actor's placement unless `--critic-num-*`
/// says otherwise.
fn apply_upstream_validation(args: &mut TrainArgs) {
    if args.slime_algo.advantage_estimator == AdvantageEstimator::Ppo {
        args.slime_algo.use_critic = true;
    }
    if args.slime_algo.use_critic {
        let cluster = &mut args.slime_cluster;
        cluster.critic_num_nodes.get_or_insert(cluster.actor_num_nodes);
        cluster.critic_num_gpus_per_node.get_or_insert(cluster.actor_num_gpus_per_node);
    }
}

fn active_roles(args: &TrainArgs) -> Vec<PpoRole> {
    let mut active = vec![PpoRole::Actor];
    if args.slime_algo.use_critic {
        active.push(PpoRole::Critic);
    }
    active
}

/// The role's arguments as a command line slime accepts: [`to_argv`]'s
/// flags with the optional booleans in their upstream spelling (`--X`, or
/// `--no-X` where upstream has it), then SGLang's pass-through arguments.
fn launch_argv(args: &TrainArgs) -> Result<Vec<String>, megatron_args::Error> {
    let mut argv = Vec::new();
    // The pass-through arguments go last, as given, not behind `--`.
    let mut flags_only = args.clone();
    let passthrough = std::mem::take(&mut flags_only.slime_sglang.sglang_passthrough);
    let mut rendered = megatron_args::to_argv(&flags_only)?.into_iter().peekable();
    while let Some(arg) = rendered.next() {
        if OPTIONAL_FLAGS.contains(&arg.as_str()) {
            match rendered.next_if(|value| value == "true" || value == "false").as_deref() {
                Some("false") => match NEGATIONS.iter().find(|n| n.flag[5..] == arg[2..]) {
                    Some(negation) => argv.push(negation.flag.to_string()),
                    None => argv.extend([arg, "false".to_string()]),
                },
                _ => argv.push(arg),
            }
            continue;
        }
        argv.push(arg);
    }
    argv.extend(passthrough);
    Ok(argv)
}

/// Phase timings on stderr when `PPO_TRAIN_TIMINGS` is set (for
/// `scripts/ppo_train_bench.py`): each phase's time since the previous one,
/// and the time since the process started.
struct Timings {
    start: Option<std::time::Instant>,
    last: std::cell::Cell<Option<std::time::Instant>>,
}

impl Timings {
    fn from_env() -> Self {
        let start = std::env::var_os("PPO_TRAIN_TIMINGS").map(|_| std::time::Instant::now());
        Timings { start, last: std::cell::Cell::new(start) }
    }

    fn lap(&self, phase: &str) {
        let (Some(start), Some(last)) = (self.start, self.last.get()) else { return };
        let now = std::time::Instant::now();
        eprintln!(
            "timing: {phase} {:.3} ms (total {:.3} ms)",
            (now - last).as_secs_f64() * 1e3,
            (now - start).as_secs_f64() * 1e3
        );
        self.last.set(Some(now));
    }
}

fn write_stdout(output: &str) -> ExitCode {
    match std::io::stdout().lock().write_all(output.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot write the output: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Per role, the arguments that differ from the command line with where each
/// came from, then the diagnostics.
fn render_text(resolved: &Resolved<TrainArgs>) -> String {
    let mut out = String::new();
    match &resolved.baseline().slime_algo.megatron_config_path {
        Some(path) => writeln!(out, "role config: {path}"),
        None => writeln!(out, "role config: none (every role follows the command line)"),
    }
    .unwrap();

    // The command line's values that are not on it: read from environment variables.
    let from_environment: Vec<(&str, String, &Provenance)> = TrainArgs::fields()
        .iter()
        .filter_map(|field| match resolved.baseline_provenance(field.name)? {
            p @ Provenance::Environment { .. } => {
                let value = shown(field, resolved.baseline().get(field.name)).unwrap_or(Value::Null);
                Some((field.name, value.to_string(), p))
            }
            _ => None,
        })
        .collect();
    if !from_environment.is_empty() {
        writeln!(out, "\nfrom the environment:").unwrap();
        for (name, value, provenance) in from_environment {
            writeln!(out, "  {name} = {value}  (from {provenance})").unwrap();
        }
    }

    for role in resolved.roles() {
        let changes = resolved.changes(role.role());
        let name = role.role().name();
        out.push('\n');
        if changes.is_empty() {
            writeln!(out, "{name}: same as the command line").unwrap();
            continue;
        }
        let count = changes.len();
        let plural = if count == 1 { "argument differs" } else { "arguments differ" };
        writeln!(out, "{name}: {count} {plural} from the command line").unwrap();
        let rows: Vec<(&str, String, String)> = changes
            .iter()
            .map(|change| {
                let from = match &change.provenance {
                    Provenance::File(_) | Provenance::Environment { .. } | Provenance::CommandLine(_) => {
                        format!("from {}", change.provenance)
                    }
                    other => other.to_string(),
                };
                (change.field.name, change.value.to_string(), from)
            })
            .collect();
        let name_width = rows.iter().map(|(n, _, _)| n.len()).max().unwrap_or(0);
        let value_width = rows.iter().map(|(_, v, _)| v.chars().count()).max().unwrap_or(0);
        for (field, value, from) in rows {
            writeln!(out, "  {field:<name_width$} = {value:<value_width$}  ({from})").unwrap();
        }
    }

    for diagnostic in resolved.diagnostics() {
        writeln!(out, "\n{diagnostic}").unwrap();
    }
    out
}

/// A value as the program shows it: a secret's (`#[megatron(secret)]`) as
/// the mask.
fn shown(field: &FieldInfo, value: Option<Value>) -> Option<Value> {
    match value {
        Some(value) if field.secret && value != Value::Null => Some(Value::String(SECRET_MASK.to_string())),
        value => value,
    }
}

/// SPEC 6.3: `{"roles": {ROLE: {ARG: VALUE, ...}}, "diagnostics": [...]}`,
/// arguments in declaration order (a secret's value masked), and where each
/// role's value came from, for every argument not at its default:
/// `"provenance": {ROLE: {ARG: "command line" | "environment variable NAME" | "FILE:LINE" | ...}}`.
fn render_json(resolved: &Resolved<TrainArgs>) -> String {
    let mut json = serde_json::to_string_pretty(&JsonOutput(resolved)).expect("values always serialize");
    json.push('\n');
    json
}

struct JsonOutput<'a>(&'a Resolved<TrainArgs>);
struct JsonRoles<'a>(&'a Resolved<TrainArgs>);
struct JsonArgs<'a>(&'a TrainArgs);
struct JsonDiagnostics<'a>(&'a Resolved<TrainArgs>);

impl Serialize for JsonOutput<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("roles", &JsonRoles(self.0))?;
        map.serialize_entry("diagnostics", &JsonDiagnostics(self.0))?;
        map.serialize_entry("provenance", &JsonProvenance(self.0))?;
        map.end()
    }
}

impl Serialize for JsonRoles<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let roles = self.0.roles();
        let mut map = serializer.serialize_map(Some(roles.len()))?;
        for role in roles {
            map.serialize_entry(role.role().name(), &JsonArgs(role.args()))?;
        }
        map.end()
    }
}

impl Serialize for JsonArgs<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = TrainArgs::fields();
        let mut map = serializer.serialize_map(Some(fields.len()))?;
        for field in fields {
            map.serialize_entry(field.name, &shown(field, self.0.get(field.name)))?;
        }
        map.end()
    }
}

struct JsonProvenance<'a>(&'a Resolved<TrainArgs>);

impl Serialize for JsonProvenance<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let roles = self.0.roles();
        let mut map = serializer.serialize_map(Some(roles.len()))?;
        for role in roles {
            let sources: serde_json::Map<String, serde_json::Value> = TrainArgs::fields()
                .iter()
                .filter_map(|field| match role.provenance(field.name)? {
                    Provenance::Default => None,
                    other => Some((field.name.to_string(), other.to_string().into())),
                })
                .collect();
            map.serialize_entry(role.role().name(), &sources)?;
        }
        map.end()
    }
}

impl Serialize for JsonDiagnostics<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.diagnostics().iter().map(|d| JsonDiagnostic {
            level: d.level.as_str(),
            message: &d.message,
            location: d.location.as_ref().map(ToString::to_string),
        }))
    }
}

#[derive(serde::Serialize)]
struct JsonDiagnostic<'a> {
    level: &'a str,
    message: &'a str,
    /// `FILE:LINE:COL`, or null for a diagnostic without a place in the file.
    location: Option<String>,
}
