//! What the field table says about one argument, as plain data: its names,
//! class and accepted values. Errors, the loader and the exporters read it
//! without touching the typed table in [`super::args`].

use std::fmt;

use crate::model::value::{Value, ValueType};

/// How a field takes part in per-role resolution.
///
/// Non-exhaustive: a later version may add a class; match with a `_` arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldClass {
    /// An ordinary argument: each role may override it.
    Regular,
    /// A parallel-topology argument (`#[topology]`): all active roles must agree.
    Topology,
    /// A resource or placement argument (`#[placement]`): always from the
    /// command line; file keys are ignored with a warning.
    Placement,
    /// A shared argument (`#[megatron(skip)]`): no role may override it.
    Shared,
}

impl FieldClass {
    /// The class name as users see it (`"topology"`).
    pub fn as_str(self) -> &'static str {
        match self {
            FieldClass::Regular => "regular",
            FieldClass::Topology => "topology",
            FieldClass::Placement => "placement",
            FieldClass::Shared => "shared",
        }
    }

    /// Whether `ArgsOverrides` has a setter for fields of this class.
    pub fn has_typed_override(self) -> bool {
        self == FieldClass::Regular
    }
}

impl fmt::Display for FieldClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Metadata of one argument, as returned by [`MegatronArgs::fields`](crate::MegatronArgs::fields).
///
/// Read-only: only the runtime builds it, from the table the derive writes
/// (non-exhaustive, so that a later version may describe more).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct FieldInfo {
    /// Position in [`MegatronArgs::fields`](crate::MegatronArgs::fields).
    pub index: usize,
    /// The argument name: the key in the file (`lr`).
    pub name: &'static str,
    /// The Rust field name without `r#`: clap's id of the argument.
    pub ident: &'static str,
    /// The command-line flag (`--lr`).
    pub flag: &'static str,
    /// Other names accepted as keys in the file.
    pub aliases: &'static [&'static str],
    /// How the field takes part in resolution.
    pub class: FieldClass,
    /// The Rust type as written (`Option<PathBuf>`).
    pub rust_type: &'static str,
    /// The doc comment, trimmed.
    pub doc: &'static str,
    /// The accepted values.
    pub value_type: ValueType,
    /// How the argument is written on the command line.
    pub cli: CliArg,
    /// `#[megatron(secret)]`: the value is shown as [`SECRET_MASK`]
    /// wherever the library shows it (the logger view, changes, problems,
    /// source lines, the template, the schema); `to_argv` writes it.
    pub secret: bool,
}

/// What the library shows in place of a `#[megatron(secret)]` value.
pub const SECRET_MASK: &str = "<secret>";

impl FieldInfo {
    /// `value` as the library shows it: [`SECRET_MASK`] for a secret's
    /// value (an unset one, `null`, stays `null`: it tells nothing).
    pub(crate) fn shown(&self, value: Value) -> Value {
        match value {
            Value::Null => Value::Null,
            _ if self.secret => Value::String(SECRET_MASK.to_string()),
            value => value,
        }
    }
}

/// How an argument is written on the command line, as the struct's clap
/// attributes say (`#[arg(long, short, action, value_delimiter, alias)]`,
/// `#[command(rename_all)]`).
///
/// Read-only, as [`FieldInfo`] (non-exhaustive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CliArg {
    /// clap's id of the argument: `#[arg(id = "...")]` (or `name = "..."`)
    /// as written, else the field's name (`tensor_model_parallel_size`).
    pub id: &'static str,
    /// The long flag without `--` (`tensor-model-parallel-size`).
    pub long: Option<&'static str>,
    /// The short flag (`v` for `-v`).
    pub short: Option<char>,
    /// For a positional argument, its position among the command's
    /// positional arguments (0-based, flattened groups included).
    pub positional: Option<usize>,
    /// Other long flags (`alias`, `aliases`, `visible_alias`), without `--`.
    pub aliases: &'static [&'static str],
    /// Other short flags (`short_alias`, ...).
    pub short_aliases: &'static [char],
    /// What an occurrence does.
    pub action: CliAction,
    /// `value_delimiter`: one occurrence takes a list split at this character.
    pub value_delimiter: Option<char>,
}

/// clap's `ArgAction` of an argument: given with `action = ...`, or clap's
/// default for the field type (`bool`: `SetTrue`, `Vec<T>`: `Append`, else `Set`).
///
/// Non-exhaustive: clap's `ArgAction` grows; match with a `_` arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CliAction {
    /// One value; a repeated flag keeps the last.
    Set,
    /// Each occurrence adds values.
    Append,
    /// A flag that sets `true`.
    SetTrue,
    /// A flag that sets `false`.
    SetFalse,
    /// A flag counted by occurrences (`-vvv` is 3).
    Count,
    /// `--help`.
    Help,
    /// `--version`.
    Version,
}

/// The metadata of a struct's fields as the derive writes it: one string
/// literal per struct, decoded once when the field table is built.
///
/// A string because it costs nothing to type-check: a struct literal per
/// field cost more compile time than all the rest of the derive on a
/// thousand-argument struct. The format is private to the derive and this
/// crate (the runtime requires the derive's exact version). Every item is a
/// length-prefixed string, `<byte length>:<text>`; a list is its count as an
/// item followed by its elements; an optional value is a list of at most one.
/// A field is, in order: name, ident, flag, aliases (list), class, Rust type,
/// doc, long (optional), short (optional), positional (`0`/`1`), long aliases
/// (list), short aliases (one item of characters), action, value delimiter
/// (optional), clap id, secret (`0`/`1`).
pub(crate) struct MetadataReader {
    rest: &'static str,
}

impl MetadataReader {
    pub(crate) fn new(text: &'static str) -> Self {
        MetadataReader { rest: text }
    }

    /// The next field's metadata, with `index` as its position.
    pub(crate) fn next_field(&mut self, index: usize, value_type: ValueType) -> FieldInfo {
        let name = self.item();
        let ident = self.item();
        let flag = self.item();
        let aliases = self.list();
        let class = match self.item() {
            "Regular" => FieldClass::Regular,
            "Topology" => FieldClass::Topology,
            "Placement" => FieldClass::Placement,
            "Shared" => FieldClass::Shared,
            other => format_mismatch(other),
        };
        let rust_type = self.item();
        let doc = self.item();
        let long = self.optional();
        let short = self.optional().and_then(|s| s.chars().next());
        let positional = (self.item() == "1").then_some(0);
        let cli_aliases = self.list();
        let short_aliases: &'static [char] = match self.item() {
            "" => &[],
            chars => chars.chars().collect::<Vec<_>>().leak(),
        };
        let action = match self.item() {
            "Set" => CliAction::Set,
            "Append" => CliAction::Append,
            "SetTrue" => CliAction::SetTrue,
            "SetFalse" => CliAction::SetFalse,
            "Count" => CliAction::Count,
            "Help" => CliAction::Help,
            "Version" => CliAction::Version,
            other => format_mismatch(other),
        };
        let value_delimiter = self.optional().and_then(|s| s.chars().next());
        let id = self.item();
        let secret = self.item() == "1";
        let cli = CliArg {
            id,
            long,
            short,
            positional,
            aliases: cli_aliases,
            short_aliases,
            action,
            value_delimiter,
        };
        FieldInfo { index, name, ident, flag, aliases, class, rust_type, doc, value_type, cli, secret }
    }

    /// Whether every field has been read.
    pub(crate) fn is_done(&self) -> bool {
        self.rest.is_empty()
    }

    fn item(&mut self) -> &'static str {
        let rest = self.rest;
        let Some((len, tail)) = rest.split_once(':') else { format_mismatch(rest) };
        let Some(item) = len.parse().ok().and_then(|len: usize| tail.get(..len)) else {
            format_mismatch(rest)
        };
        self.rest = &tail[item.len()..];
        item
    }

    fn list(&mut self) -> &'static [&'static str] {
        let count = self.item();
        let Ok(count) = count.parse::<usize>() else { format_mismatch(count) };
        match count {
            0 => &[],
            n => (0..n).map(|_| self.item()).collect::<Vec<_>>().leak(),
        }
    }

    fn optional(&mut self) -> Option<&'static str> {
        self.list().first().copied()
    }
}

/// The metadata was written by another version of the derive: a build
/// mistake, not an input error.
fn format_mismatch(at: &str) -> ! {
    let at: String = at.chars().take(40).collect();
    panic!(
        "megatron-args: the field metadata written by megatron-args-derive cannot be read (at {at:?}); \
         use the same version of both crates"
    )
}

/// Whether a role's specialized value can still be overridden by the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum RoleValueKind {
    /// `role_default`: the role starts from this value; the file may change it.
    Default,
    /// `role_forced`: the role always has this value; the file may not change it.
    Forced,
}
