//! Where each resolved value of a role came from: read by resolution's
//! reports and by every check that names the values involved, on the file's
//! path and on the typed one alike.

use crate::model::error::Location;

/// Where a resolved value came from.
///
/// Non-exhaustive: a later version may add a source; match with a `_` arm.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Provenance {
    /// The shared baseline: given on the command line (when the resolution
    /// knows the command line), or the baseline struct as it was given.
    Baseline,
    /// The field's `role_default` for this role.
    RoleDefault,
    /// The field's `role_forced` for this role.
    RoleForced,
    /// The role-config file, at the value's location.
    File(Location),
    /// Typed overrides from Rust ([`crate::RoleConfig::from_overrides`]).
    Overrides,
    /// Filled by the struct's derivation (`#[megatron(derive_with = path)]`)
    /// from the arguments `from`, because the role did not give it.
    Derived {
        /// The arguments it was derived from (`hidden_size`).
        from: Vec<&'static str>,
    },
    /// The baseline's value, read by clap from the argument's environment
    /// variable (`#[arg(env = "TRAIN_LR")]`), not from the command line.
    Environment {
        /// The variable's name.
        variable: String,
    },
    /// The baseline's value is the argument's default: not given on the
    /// command line nor by an environment variable.
    Default,
    /// A per-role value given on the command line (`critic.lr=1e-5`, SPEC
    /// 3.14), at the item's place.
    CommandLine(Location),
}

impl Provenance {
    /// Whether the value is the baseline's (the command line, an
    /// environment variable, a default): not given by the role.
    pub(crate) fn is_baseline(&self) -> bool {
        matches!(self, Provenance::Baseline | Provenance::Environment { .. } | Provenance::Default)
    }

    /// Where the role's own value is written, in the file or on the command
    /// line (`ROLE.KEY=VALUE`).
    pub(crate) fn written_at(&self) -> Option<&Location> {
        match self {
            Provenance::File(at) | Provenance::CommandLine(at) => Some(at),
            _ => None,
        }
    }
}

impl std::fmt::Display for Provenance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Provenance::Baseline => f.write_str("command line"),
            Provenance::RoleDefault => f.write_str("role default"),
            Provenance::RoleForced => f.write_str("role forced"),
            Provenance::File(at) => write!(f, "{}:{}", at.origin(), at.line()),
            Provenance::Overrides => f.write_str("typed overrides"),
            Provenance::Derived { from } => write!(f, "derived from {}", from.join(", ")),
            Provenance::Environment { variable } => write!(f, "environment variable {variable}"),
            Provenance::Default => f.write_str("default"),
            Provenance::CommandLine(at) => write!(f, "{}:{}:{}", at.origin(), at.line(), at.column()),
        }
    }
}
