//! Setters take their field's visibility, the overrides type its struct's
//! (and the name `#[megatron(overrides = Name)]` gives it): a private field
//! of a private type trips no `private_interfaces`, an unused private
//! setter no `dead_code`. `#[role(no_display)]` leaves `Display` to the enum.
#![deny(warnings, private_interfaces, private_bounds, dead_code, missing_docs)]

use megatron_args::{MegatronArgs, Role};

/// Roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Role)]
#[role(no_display)]
pub enum Roles {
    /// The actor.
    Actor,
}

impl std::fmt::Display for Roles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the actor")
    }
}

/// A private field type.
#[derive(Clone, Copy, Debug)]
enum Secret {
    Only,
}

/// Arguments.
#[derive(MegatronArgs, Clone, Debug)]
#[megatron(roles = Roles, overrides = RoleOverrides)]
pub struct Args {
    /// Learning rate.
    pub lr: f64,
    /// Seed: the module's business.
    seed: u64,
    /// A private type in a private field.
    #[megatron(skip)]
    secret: Option<Secret>,
    /// Crate-visible.
    pub(crate) steps: u32,
}

fn main() {
    let overrides = RoleOverrides::default().lr(1e-4).steps(3);
    assert_eq!(Roles::Actor.to_string(), "the actor");
    assert_eq!(Roles::Actor.name(), "actor");
    let _ = overrides;
    let args = Args { lr: 0.0, seed: 1, secret: Some(Secret::Only), steps: 0 };
    let _ = (args.seed, args.secret);
}
