//! Generated public items are documented and lint-clean.
#![deny(missing_docs, warnings, unused_qualifications, rust_2018_idioms)]

use megatron_args::{MegatronArgs, Role};

/// Roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Role)]
pub enum Roles {
    /// The actor.
    Actor,
    /// The critic.
    #[role(topology_group = "value")]
    Critic,
}

/// A group.
#[derive(MegatronArgs, Clone, Debug)]
#[megatron(roles = Roles)]
pub struct Optim {
    /// Weight decay.
    pub weight_decay: f64,
}

/// Arguments.
#[derive(MegatronArgs, Clone, Debug)]
#[megatron(roles = Roles)]
pub struct Args {
    /// Learning rate.
    #[megatron(role_default(critic = 1e-5))]
    pub lr: f64,
    /// Undocumented fields get a generated doc in the overrides.
    pub steps: u32,
    /// Topology.
    #[topology]
    pub tensor_model_parallel_size: u32,
    /// The optimizer group.
    #[megatron(flatten)]
    pub optim: Optim,
}

fn main() {
    let overrides = ArgsOverrides::default().lr(1e-4).steps(3).optim(|o| o.weight_decay(0.1));
    let _ = overrides;
}
