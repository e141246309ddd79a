//! Fuzzes the loader: any bytes, read as UTF-8 (lossily), through
//! `RoleConfig::from_str` in default and strict mode, then resolution of
//! what loads and rendering of every error. Nothing may panic, and every
//! input must finish quickly (libFuzzer's `-timeout` reports slow inputs).
#![no_main]

use std::path::PathBuf;

use clap::Parser;
use libfuzzer_sys::fuzz_target;
use megatron_args::{LoadOptions, MegatronArgs, PpoRole, RoleConfig};

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum LrDecayStyle {
    #[value(name = "constant")]
    Constant,
    #[value(name = "cosine")]
    Cosine,
    #[value(name = "WSD")]
    Wsd,
}

#[derive(clap::Args, MegatronArgs, Clone, Debug, PartialEq)]
struct OptimizerArgs {
    #[arg(long, default_value_t = 0.9)]
    adam_beta1: f64,
}

fn positive(lr: &f64) -> Result<(), String> {
    if *lr > 0.0 {
        Ok(())
    } else {
        Err(format!("must be positive, got {lr}"))
    }
}

/// Every field class and value kind the loader handles.
#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
struct Args {
    #[arg(long, default_value_t = 1e-6)]
    #[megatron(validate = positive)]
    lr: f64,
    #[arg(long, default_value_t = 0.0)]
    min_lr: f32,
    #[arg(long)]
    save: Option<PathBuf>,
    #[arg(long, default_value_t = 1)]
    #[megatron(alias = "mbs")]
    micro_batch_size: u32,
    #[arg(long, default_value_t = 0)]
    seed: i64,
    #[arg(long)]
    use_kl_loss: bool,
    #[arg(long, value_enum, default_value_t = LrDecayStyle::Constant)]
    lr_decay_style: LrDecayStyle,
    #[arg(long, num_args = 1..)]
    eval_at: Vec<u32>,
    #[arg(long)]
    #[megatron(role_forced(critic = None))]
    custom_advantage_function_path: Option<String>,
    #[arg(long, default_value_t = 0.0)]
    #[megatron(role_forced(critic = 0.0))]
    kl_coef: f64,
    #[arg(long, default_value_t = 0)]
    #[megatron(role_default(critic = 10))]
    lr_warmup_iters: u32,
    #[command(flatten)]
    #[megatron(flatten)]
    optimizer: OptimizerArgs,
    #[arg(long, default_value_t = 1)]
    #[topology]
    tensor_model_parallel_size: u32,
    #[arg(long, default_value_t = 1)]
    #[placement]
    critic_num_nodes: u32,
    #[arg(long)]
    #[megatron(skip)]
    use_critic: bool,
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let baseline = Args::parse_from(["fuzz"]);
    for options in [LoadOptions::default(), LoadOptions::new().strict(true)] {
        match RoleConfig::<Args>::from_str_with(&text, "fuzz.yaml", options) {
            Ok(config) => {
                let _ = config.overrides(PpoRole::Critic);
                match config.resolve(&baseline, &[PpoRole::Actor, PpoRole::Critic]) {
                    Ok(resolved) => {
                        let _ = resolved.changes(PpoRole::Actor);
                        assert_eq!(resolved.baseline(), &baseline);
                    }
                    Err(err) => {
                        let _ = err.to_string();
                    }
                }
            }
            Err(err) => {
                assert!(!err.problems().is_empty());
                let _ = err.to_string();
            }
        }
    }
});
