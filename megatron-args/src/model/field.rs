//! What the field table says about one argument, as plain data: its names,
//! class and accepted values. Errors, the loader and the exporters read it
//! without touching the typed table in [`super::args`].

use std::fmt;

use crate::model::value::ValueType;

/// How a field takes part in per-role resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
#[derive(Clone, Debug, PartialEq)]
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
}

/// How an argument is written on the command line, as the struct's clap
/// attributes say (`#[arg(long, short, action, value_delimiter, alias)]`,
/// `#[command(rename_all)]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CliArg {
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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

/// The literal part of a field's metadata, as the derive writes it.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct FieldMeta {
    pub name: &'static str,
    pub ident: &'static str,
    pub flag: &'static str,
    pub aliases: &'static [&'static str],
    pub class: FieldClass,
    pub rust_type: &'static str,
    pub doc: &'static str,
    /// `positional` is only a marker here: the builder numbers positional
    /// arguments across flattened groups.
    pub cli: CliArg,
}

/// Whether a role's specialized value can still be overridden by the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RoleValueKind {
    /// `role_default`: the role starts from this value; the file may change it.
    Default,
    /// `role_forced`: the role always has this value; the file may not change it.
    Forced,
}
