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
    /// The command line (the shared baseline).
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
        }
    }
}
