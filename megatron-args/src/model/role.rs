//! Role sets: which roles a trainer has, and their names in the file.

use std::fmt::Debug;
use std::hash::Hash;

/// A set of roles, usually a fieldless enum with `#[derive(Role)]`.
///
/// Role names are what the file's `role:` key holds; they are the snake_case
/// spelling of the variants.
///
/// ```
/// use megatron_args::{PpoRole, Role};
///
/// assert_eq!(PpoRole::names(), ["actor", "critic"]);
/// assert_eq!(PpoRole::from_name("critic"), Some(PpoRole::Critic));
/// assert_eq!(PpoRole::Critic.topology_group(), "default");
///
/// // A role set of your own (see the `attributes` module for its options).
/// #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Role)]
/// enum GrpoRole {
///     Policy,
///     #[role(rename = "ref")]
///     ReferenceModel,
/// }
/// assert_eq!(GrpoRole::names(), ["policy", "ref"]);
/// assert_eq!(GrpoRole::ALL, [GrpoRole::Policy, GrpoRole::ReferenceModel]);
/// ```
pub trait Role: Copy + Eq + Ord + Hash + Debug + Send + Sync + 'static {
    /// Every role, in declaration order.
    const ALL: &'static [Self];

    /// The role's name in the file (`"critic"`).
    fn name(self) -> &'static str;

    /// The role with this name, if any.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|r| r.name() == name)
    }

    /// Every role name, in declaration order.
    fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|r| r.name()).collect()
    }

    /// The topology group of the role: active roles of one group must agree
    /// on every `#[topology]` field. All roles share one group by default.
    fn topology_group(self) -> &'static str {
        "default"
    }
}

/// The roles of PPO: the actor (policy) and the critic (value model).
///
/// Unlike the crate's other public enums, `PpoRole` is exhaustive on
/// purpose: PPO has exactly these two roles, and matching on them without a
/// `_` arm is how a trainer makes sure it handles both. A framework with
/// other roles (a reference model, a reward model) defines its own set with
/// [`#[derive(Role)]`](derive@crate::Role) rather than waiting for this one
/// to grow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PpoRole {
    /// The policy model, trained in every run.
    Actor,
    /// The value model, trained only with `--use-critic`.
    Critic,
}

impl Role for PpoRole {
    const ALL: &'static [Self] = &[PpoRole::Actor, PpoRole::Critic];

    fn name(self) -> &'static str {
        match self {
            PpoRole::Actor => "actor",
            PpoRole::Critic => "critic",
        }
    }
}

impl std::fmt::Display for PpoRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
