//! Rendering a role's arguments back to a command line, for launchers that
//! start one worker process per role.

use clap::{ArgAction, CommandFactory};

use crate::model::args::MegatronArgs;
use crate::model::value::Value;

/// The command-line arguments (without the program name) that make the clap
/// struct `A` parse back to `args`.
///
/// Every field that is a long flag of `A`'s clap command is rendered, shared
/// fields included, so the result is a complete command line for one role:
///
/// - scalars as `--flag VALUE`; floats in Rust's shortest round-trip spelling
///   (`1e-5`, `0.1`), which parses back to the same bits; enums by their
///   clap value name; a value starting with `-` as `--flag=VALUE` so that it
///   is not taken for a flag;
/// - store-true flags (`ArgAction::SetTrue`) only when true, store-false
///   flags only when false; other booleans as `--flag true|false`;
/// - `None` omitted;
/// - lists as one flag followed by the values (`--eval-at 10 20`) when the
///   argument takes several values per occurrence (`num_args = 1..`),
///   otherwise as a repeated flag; an empty list is omitted (or rendered as
///   the bare flag when the argument accepts zero values).
///
/// Fields that are not long flags of the command (`#[arg(skip)]`,
/// positionals) are left out.
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
/// assert_eq!(to_argv(&args), ["--lr", "1e-5", "--eval-at", "10", "20"]);
/// let again = Args::parse_from(std::iter::once("train".to_string()).chain(to_argv(&args)));
/// assert_eq!(again, args);
/// ```
pub fn to_argv<A: MegatronArgs + CommandFactory>(args: &A) -> Vec<String> {
    let mut command = A::command();
    command.build();
    let mut argv = Vec::new();
    for info in A::fields() {
        let Some(long) = info.flag.strip_prefix("--") else { continue };
        let Some(arg) = command.get_arguments().find(|a| a.get_long() == Some(long)) else { continue };
        let Some(value) = args.get(info.name) else { continue };
        let flag = info.flag;
        let (min_values, max_values) =
            arg.get_num_args().map_or((1, 1), |range| (range.min_values(), range.max_values()));
        match (&value, arg.get_action()) {
            (Value::Null, _) => {}
            (Value::Bool(b), ArgAction::SetTrue) => {
                if *b {
                    argv.push(flag.to_string());
                }
            }
            (Value::Bool(b), ArgAction::SetFalse) => {
                if !*b {
                    argv.push(flag.to_string());
                }
            }
            (Value::List(items), _) if items.is_empty() => {
                if min_values == 0 {
                    argv.push(flag.to_string());
                }
            }
            (Value::List(items), _) => {
                let texts: Vec<String> = items.iter().map(scalar_text).collect();
                if max_values > 1 && texts.iter().all(|t| !looks_like_flag(t)) {
                    argv.push(flag.to_string());
                    argv.extend(texts);
                } else {
                    for text in texts {
                        push_value(&mut argv, flag, text);
                    }
                }
            }
            (scalar, _) => push_value(&mut argv, flag, scalar_text(scalar)),
        }
    }
    argv
}

/// `--flag value`, or `--flag=value` when the value would read as a flag.
fn push_value(argv: &mut Vec<String>, flag: &str, text: String) {
    if looks_like_flag(&text) {
        argv.push(format!("{flag}={text}"));
    } else {
        argv.push(flag.to_string());
        argv.push(text);
    }
}

fn looks_like_flag(text: &str) -> bool {
    text.starts_with('-')
}

/// A scalar as clap's value parsers read it.
fn scalar_text(value: &Value) -> String {
    match value {
        // `{:?}` is the shortest spelling that parses back to the same bits
        // (`1e-5`, `0.1`, `3.0`, `NaN`, `inf`), unlike `Display`'s `0.00001`.
        Value::Float(f) => format!("{f:?}"),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
