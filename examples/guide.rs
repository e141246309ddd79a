//! The README's guide as a program: a trainer whose `main` returns the
//! loader's error through `?`. A bad role-config file then prints Rust's
//! `Error: ` and the same report as the PPO example (`Error`'s `Debug` is
//! the report without its first `error: `), and the program exits with
//! status 1.
//!
//! ```text
//! cargo run --example guide -- --megatron-config-path examples/megatron_ppo.yaml
//! ```

use clap::Parser;
use megatron_args::{MegatronArgs, PpoRole, RoleConfig};

#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
struct TrainArgs {
    /// Learning rate.
    #[arg(long, default_value_t = 1e-6)]
    lr: f64,
    /// Checkpoint output directory.
    #[arg(long)]
    save: Option<std::path::PathBuf>,
    /// Parallel topology: every role must agree on it.
    #[arg(long, default_value_t = 1)]
    #[topology]
    tensor_model_parallel_size: u32,
    /// Placement: always from the command line; file keys are ignored.
    #[arg(long, default_value_t = 1)]
    #[placement]
    critic_num_nodes: u32,
    /// The critic never uses a KL term.
    #[arg(long, default_value_t = 0.0)]
    #[megatron(role_forced(critic = 0.0))]
    kl_coef: f64,
    /// Shared by every role; no role may override it.
    #[arg(long)]
    #[megatron(skip)]
    megatron_config_path: Option<std::path::PathBuf>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let baseline = TrainArgs::parse();
    let config = match &baseline.megatron_config_path {
        Some(path) => RoleConfig::<TrainArgs>::from_path(path)?, // every problem, with file:line:col
        None => RoleConfig::empty(),
    };
    let resolved = config.resolve(&baseline, &[PpoRole::Actor, PpoRole::Critic])?;
    let critic: &TrainArgs = resolved.get(PpoRole::Critic).unwrap();
    println!("critic lr = {}", critic.lr);
    Ok(())
}
