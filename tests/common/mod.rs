//! The argument struct the integration tests share: a small slime-like set
//! with every field class, role specialization, an enum, a list, a
//! flattened group and a validator.
#![allow(dead_code)]

use std::path::PathBuf;

use clap::Parser;
use megatron_args::{Error, MegatronArgs, PpoRole, RoleConfig};

/// Learning-rate schedules (upstream spellings).
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LrDecayStyle {
    /// Constant.
    #[value(name = "constant")]
    Constant,
    /// Linear.
    #[value(name = "linear")]
    Linear,
    /// Cosine.
    #[value(name = "cosine")]
    Cosine,
    /// Warmup-stable-decay.
    #[value(name = "WSD")]
    Wsd,
}

/// Optimizer settings, flattened into [`Args`].
#[derive(clap::Args, MegatronArgs, Clone, Debug, PartialEq)]
pub struct OptimizerArgs {
    /// First Adam beta.
    #[arg(long, default_value_t = 0.9)]
    pub adam_beta1: f64,
    /// Second Adam beta.
    #[arg(long, default_value_t = 0.999)]
    pub adam_beta2: f64,
}

pub fn positive_lr(lr: &f64) -> Result<(), String> {
    if *lr > 0.0 {
        Ok(())
    } else {
        Err(format!("the learning rate must be positive, got {lr}"))
    }
}

/// Test trainer arguments.
#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
pub struct Args {
    /// Learning rate.
    #[arg(long, default_value_t = 1e-6)]
    #[megatron(validate = positive_lr)]
    pub lr: f64,
    /// Minimum learning rate.
    #[arg(long, default_value_t = 0.0)]
    pub min_lr: f32,
    /// Checkpoint output directory.
    #[arg(long)]
    pub save: Option<PathBuf>,
    /// Checkpoint input directory.
    #[arg(long)]
    pub load: Option<PathBuf>,
    /// Micro batch size.
    #[arg(long, default_value_t = 1)]
    #[megatron(alias = "mbs")]
    pub micro_batch_size: u32,
    /// Training iterations.
    #[arg(long, default_value_t = 1000)]
    pub train_iters: u64,
    /// Use the KL loss.
    #[arg(long)]
    pub use_kl_loss: bool,
    /// Learning-rate decay style.
    #[arg(long, value_enum, default_value_t = LrDecayStyle::Constant)]
    pub lr_decay_style: LrDecayStyle,
    /// Iterations at which to evaluate.
    #[arg(long, num_args = 1..)]
    pub eval_at: Vec<u32>,
    /// Custom advantage function.
    #[arg(long)]
    #[megatron(role_forced(critic = None))]
    pub custom_advantage_function_path: Option<String>,
    /// KL coefficient.
    #[arg(long, default_value_t = 0.0)]
    #[megatron(role_forced(critic = 0.0))]
    pub kl_coef: f64,
    /// Warmup iterations.
    #[arg(long, default_value_t = 0)]
    #[megatron(role_default(critic = 10))]
    pub lr_warmup_iters: u32,
    /// Optimizer settings.
    #[command(flatten)]
    #[megatron(flatten)]
    pub optimizer: OptimizerArgs,
    /// Tensor parallel size.
    #[arg(long, default_value_t = 1)]
    #[topology]
    pub tensor_model_parallel_size: u32,
    /// Sequence parallelism.
    #[arg(long)]
    #[topology]
    pub sequence_parallel: bool,
    /// Critic nodes.
    #[arg(long, default_value_t = 1)]
    #[placement]
    pub critic_num_nodes: u32,
    /// Train a critic.
    #[arg(long)]
    #[megatron(skip)]
    pub use_critic: bool,
    /// The role-config file.
    #[arg(long)]
    #[megatron(skip)]
    pub megatron_config_path: Option<PathBuf>,
}

pub const BOTH: &[PpoRole] = &[PpoRole::Actor, PpoRole::Critic];
pub const ACTOR: &[PpoRole] = &[PpoRole::Actor];

/// The baseline from a command line (program name added).
pub fn cli(flags: &[&str]) -> Args {
    Args::parse_from(std::iter::once("train").chain(flags.iter().copied()))
}

pub fn baseline() -> Args {
    cli(&["--lr", "2e-6", "--tensor-model-parallel-size", "2", "--use-critic"])
}

pub fn load(text: &str) -> Result<RoleConfig<Args>, Error> {
    RoleConfig::<Args>::from_str(text, "roles.yaml")
}

/// Loads `text` and expects exactly one problem; returns it rendered.
pub fn single_problem(text: &str) -> megatron_args::Problem {
    let err = load(text).expect_err("the file should be rejected");
    assert_eq!(err.problems().len(), 1, "expected one problem, got:\n{err}");
    err.problems()[0].clone()
}

/// Wraps `body` (indented overrides) in a one-entry file for `role`.
pub fn file_for(role: &str, body: &str) -> String {
    let indented: String = body.lines().map(|l| format!("      {l}\n")).collect();
    format!("megatron:\n  - role: {role}\n    overrides:\n{indented}")
}

pub fn fields_named() -> Vec<&'static str> {
    Args::fields().iter().map(|f| f.name).collect()
}
