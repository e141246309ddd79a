//! An RLHF trainer with its own role set: actor, critic, reference and reward
//! models, beyond PPO's built-in actor and critic.
//!
//! ```text
//! cargo run --example custom_roles -- --tensor-model-parallel-size 2 --use-critic
//! cargo run --example custom_roles -- --use-critic --megatron-config-path examples/custom_roles.yaml
//! ```
//!
//! - `#[derive(Role)]` on [`RlhfRole`] makes the role set; the file's `role:`
//!   names are the snake_case variants (`reward`), and an unknown name gets a
//!   did-you-mean suggestion.
//! - `#[role(topology_group = "reward")]` gives the reward model a topology
//!   group of its own: actor, critic and reference must agree on every
//!   `#[topology]` argument, the reward model need not agree with them.
//! - `#[megatron(roles = RlhfRole)]` chooses the set for [`RlhfArgs`], whose
//!   `role_default` / `role_forced` name these roles (checked at compile
//!   time: a misspelled role does not compile).
//!
//! Without `--megatron-config-path` the program uses the sample file
//! `examples/custom_roles.yaml`, built into it. It prints, per active role,
//! the arguments that differ from the command line and where each value came
//! from, then the diagnostics. A bad file prints every problem to stderr and
//! exits with status 2.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use megatron_args::{MegatronArgs, Resolved, Role, RoleConfig};

/// The sample role-config file, shipped next to this example.
pub const SAMPLE: &str = include_str!("custom_roles.yaml");

/// The name the built-in sample has in messages.
pub const SAMPLE_ORIGIN: &str = "examples/custom_roles.yaml";

/// The four roles of the trainer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, megatron_args::Role)]
pub enum RlhfRole {
    /// The policy being trained.
    Actor,
    /// The value model, trained only with `--use-critic`.
    Critic,
    /// The frozen reference policy for the KL penalty; it runs beside the
    /// actor, so it shares the actor's topology.
    Reference,
    /// The frozen reward model, served on its own GPUs with its own topology.
    #[role(topology_group = "reward")]
    Reward,
}

/// The trainer's arguments: one command line shared by the four roles.
#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
#[command(name = "custom_roles")]
#[megatron(roles = RlhfRole)]
pub struct RlhfArgs {
    /// Learning rate.
    #[arg(long, default_value_t = 1e-6)]
    #[megatron(role_default(critic = 1e-5))]
    pub lr: f64,
    /// Iterations of linear learning-rate warmup.
    #[arg(long, default_value_t = 0)]
    #[megatron(role_default(critic = 10))]
    pub lr_warmup_iters: u32,
    /// Checkpoint output directory.
    #[arg(long)]
    pub save: Option<PathBuf>,
    /// Checkpoint input directory.
    #[arg(long)]
    pub load: Option<PathBuf>,
    /// Micro batch size.
    #[arg(long, default_value_t = 1)]
    pub micro_batch_size: u32,
    /// KL penalty coefficient: only the actor's loss has a KL term.
    #[arg(long, default_value_t = 0.0)]
    #[megatron(role_forced(critic = 0.0, reference = 0.0, reward = 0.0))]
    pub kl_coef: f64,
    /// Do not update the weights: the reference and reward models are frozen.
    #[arg(long)]
    #[megatron(role_forced(reference = true, reward = true))]
    pub freeze_weights: bool,
    /// Tensor-parallel size: roles of one topology group must agree.
    #[arg(long, default_value_t = 1)]
    #[topology]
    pub tensor_model_parallel_size: u32,
    /// Pipeline-parallel size: roles of one topology group must agree.
    #[arg(long, default_value_t = 1)]
    #[topology]
    pub pipeline_model_parallel_size: u32,
    /// Nodes of the actor, critic and reference.
    #[arg(long, default_value_t = 1)]
    #[placement]
    pub actor_num_nodes: u32,
    /// Nodes of the reward model.
    #[arg(long, default_value_t = 1)]
    #[placement]
    pub reward_num_nodes: u32,
    /// Train a critic.
    #[arg(long)]
    #[megatron(skip)]
    pub use_critic: bool,
    /// The role-config file (default: the built-in sample).
    #[arg(long)]
    #[megatron(skip)]
    pub megatron_config_path: Option<PathBuf>,
}

impl RlhfArgs {
    /// The roles this run trains or serves: the critic only with `--use-critic`.
    pub fn active_roles(&self) -> Vec<RlhfRole> {
        RlhfRole::ALL.iter().copied().filter(|r| *r != RlhfRole::Critic || self.use_critic).collect()
    }
}

/// Loads the file (or the sample) and resolves the active roles.
pub fn run(args: &RlhfArgs) -> Result<Resolved<RlhfArgs>, megatron_args::Error> {
    let config = match &args.megatron_config_path {
        Some(path) => RoleConfig::<RlhfArgs>::from_path(path)?,
        None => RoleConfig::<RlhfArgs>::from_str(SAMPLE, SAMPLE_ORIGIN)?,
    };
    config.resolve(args, &args.active_roles())
}

/// Per role, what differs from the command line and where it came from.
pub fn render(resolved: &Resolved<RlhfArgs>) -> String {
    let mut out = String::new();
    for role_args in resolved.roles() {
        let role = role_args.role();
        out.push_str(&format!("{role} (topology group `{}`):\n", role.topology_group()));
        let changes = resolved.changes(role);
        if changes.is_empty() {
            out.push_str("  (same as the command line)\n");
        }
        for change in changes {
            out.push_str(&format!(
                "  {} = {}  (command line: {}; from {})\n",
                change.field.name, change.value, change.baseline, change.provenance
            ));
        }
    }
    for diagnostic in resolved.diagnostics() {
        out.push_str(&format!("{diagnostic}\n"));
    }
    out
}

fn main() -> ExitCode {
    let args = RlhfArgs::parse();
    match run(&args) {
        Ok(resolved) => {
            print!("{}", render(&resolved));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::from(2)
        }
    }
}
