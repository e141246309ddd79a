//! `fields()` against clap's own built `Command`: the derive reads clap's
//! attributes itself, and this checks its reading without depending on
//! reading clap_derive right. For each argument of the command clap's derive
//! builds (`CommandFactory::command`, or `Args::augment_args`), the field
//! table must hold a field with the same id, long and short flags, aliases,
//! action, positional index and value delimiter; and every field must be an
//! argument of the command.
#![allow(dead_code)]

use std::collections::BTreeMap;

use clap::{Arg, ArgAction, Command};
use megatron_args::{FieldInfo, MegatronArgs};

/// What the derive says of an argument, or what clap's `Command` says, in
/// one shape, so that a difference prints as one.
#[derive(Debug, PartialEq, Eq)]
pub struct Described {
    pub long: Option<String>,
    pub short: Option<char>,
    pub aliases: Vec<String>,
    pub short_aliases: Vec<char>,
    pub action: String,
    /// 1-based, as clap numbers positional arguments.
    pub positional: Option<usize>,
    pub value_delimiter: Option<char>,
}

fn from_field(info: &FieldInfo) -> Described {
    let mut aliases: Vec<String> = info.cli.aliases.iter().map(|a| a.to_string()).collect();
    aliases.sort();
    let mut short_aliases = info.cli.short_aliases.to_vec();
    short_aliases.sort();
    // The variants' names are clap's.
    let action = format!("{:?}", info.cli.action);
    Described {
        long: info.cli.long.map(str::to_string),
        short: info.cli.short,
        aliases,
        short_aliases,
        action,
        positional: info.cli.positional.map(|p| p + 1),
        value_delimiter: info.cli.value_delimiter,
    }
}

fn from_arg(arg: &Arg) -> Described {
    let mut aliases: Vec<String> =
        arg.get_all_aliases().unwrap_or_default().into_iter().map(str::to_string).collect();
    aliases.sort();
    let mut short_aliases = arg.get_all_short_aliases().unwrap_or_default();
    short_aliases.sort();
    let action = match arg.get_action() {
        ArgAction::Set => "Set",
        ArgAction::Append => "Append",
        ArgAction::SetTrue => "SetTrue",
        ArgAction::SetFalse => "SetFalse",
        ArgAction::Count => "Count",
        ArgAction::Help | ArgAction::HelpShort | ArgAction::HelpLong => "Help",
        ArgAction::Version => "Version",
        _ => "other",
    };
    Described {
        long: arg.get_long().map(str::to_string),
        short: arg.get_short(),
        aliases,
        short_aliases,
        action: action.to_string(),
        positional: if arg.is_positional() { arg.get_index() } else { None },
        value_delimiter: arg.get_value_delimiter(),
    }
}

/// The differences between `A::fields()` and `command`, clap's own command
/// of `A` (built here), one line each; empty when they agree.
pub fn differences<A: MegatronArgs>(mut command: Command) -> Vec<String> {
    command.build();
    let clap: BTreeMap<&str, &Arg> = command
        .get_arguments()
        .filter(|arg| {
            !matches!(arg.get_action(), ArgAction::Help | ArgAction::HelpShort | ArgAction::HelpLong)
        })
        .filter(|arg| !matches!(arg.get_action(), ArgAction::Version))
        .map(|arg| (arg.get_id().as_str(), arg))
        .collect();
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for info in A::fields() {
        let Some(arg) = clap.get(info.cli.id) else {
            out.push(format!("field `{}`: id `{}` is no argument of clap's command", info.name, info.cli.id));
            continue;
        };
        seen.push(info.cli.id);
        let (ours, theirs) = (from_field(info), from_arg(arg));
        if ours != theirs {
            out.push(format!(
                "field `{}` (id `{}`): fields() says {ours:?}, clap says {theirs:?}",
                info.name, info.cli.id
            ));
        }
    }
    for id in clap.keys().filter(|id| !seen.contains(id)) {
        out.push(format!("clap's argument `{id}` is no field"));
    }
    out
}

/// Panics with every difference between `A::fields()` and `command`.
pub fn assert_fields_match_clap<A: MegatronArgs>(command: Command) {
    let name = command.get_name().to_string();
    let differences = differences::<A>(command);
    assert!(differences.is_empty(), "`{name}`: fields() and clap disagree:\n{}", differences.join("\n"));
}

/// [`assert_fields_match_clap`] of a `Parser`.
pub fn parser<A: MegatronArgs + clap::CommandFactory>() {
    assert_fields_match_clap::<A>(A::command());
}

/// [`assert_fields_match_clap`] of a flattened group (`Args`).
pub fn group<A: MegatronArgs + clap::Args>() {
    assert_fields_match_clap::<A>(A::augment_args(Command::new(std::any::type_name::<A>())));
}
