//! A Megatron-LM-style argument struct: `rename_all = "snake_case"` flags
//! (`--tensor_model_parallel_size`), a store-false flag with its own
//! destination, and a field whose name is not snake case, all under
//! `#![deny(warnings)]`.
#![deny(warnings)]

use clap::{ArgAction, Parser};
use megatron_args::{CliAction, MegatronArgs, Overrides, PpoRole, Value};

use super::{resolve, single_problem};

#[derive(Parser, Debug, Clone, megatron_args::MegatronArgs)]
#[command(rename_all = "snake_case")]
#[allow(non_snake_case)]
struct MegatronLmArgs {
    #[arg(long, default_value_t = 1)]
    #[topology]
    tensor_model_parallel_size: u32,

    #[arg(long, default_value_t = 1)]
    #[topology]
    pipeline_model_parallel_size: u32,

    /// Disable bias in the linear layers.
    #[arg(long = "disable_bias_linear", action = ArgAction::SetFalse)]
    add_bias_linear: bool,

    /// Barrier before timing with L1 timers.
    #[arg(long)]
    barrier_with_L1_time: bool,

    #[arg(long, default_value_t = 1e-4)]
    lr: f64,

    #[arg(long)]
    #[megatron(skip)]
    megatron_config_path: Option<String>,
}

#[test]
fn rename_all_gives_the_real_flags() {
    let flag = |name| MegatronLmArgs::field(name).unwrap().flag;
    assert_eq!(flag("tensor_model_parallel_size"), "--tensor_model_parallel_size");
    assert_eq!(flag("add_bias_linear"), "--disable_bias_linear");
    assert_eq!(flag("barrier_with_L1_time"), "--barrier_with_l1_time");
    assert_eq!(MegatronLmArgs::field("add_bias_linear").unwrap().cli.action, CliAction::SetFalse);
    // The flags are the ones clap accepts.
    let parsed = MegatronLmArgs::parse_from([
        "pretrain",
        "--tensor_model_parallel_size",
        "2",
        "--disable_bias_linear",
        "--barrier_with_l1_time",
    ]);
    assert_eq!(parsed.tensor_model_parallel_size, 2);
    assert!(!parsed.add_bias_linear && parsed.barrier_with_L1_time);
}

#[test]
fn the_store_false_and_non_snake_case_fields_take_file_values() {
    let baseline = MegatronLmArgs::parse_from(["pretrain", "--disable_bias_linear"]);
    let resolved = resolve(
        &baseline,
        "megatron:\n  - role: critic\n    overrides:\n      add_bias_linear: true\n      barrier_with_L1_time: on\n",
    );
    let critic = resolved.get(PpoRole::Critic).unwrap();
    assert!(critic.add_bias_linear && critic.barrier_with_L1_time);
    assert!(!resolved.get(PpoRole::Actor).unwrap().add_bias_linear);
    let overrides = MegatronLmArgsOverrides::default().barrier_with_L1_time(true).lr(2e-5);
    assert!(overrides.entries().contains(&("barrier_with_L1_time", Value::Bool(true))));
}

#[test]
fn the_flag_spelling_points_at_the_attribute_name() {
    let (message, at) = single_problem::<MegatronLmArgs>(
        "megatron:\n  - role: critic\n    overrides:\n      --disable_bias_linear: true\n",
    );
    assert!(message.contains("add_bias_linear"), "{message}");
    assert_eq!(at, "4:7");
}

#[test]
fn renamed_and_store_false_flags_round_trip_through_to_argv() {
    let baseline = MegatronLmArgs::parse_from(["pretrain", "--disable_bias_linear"]);
    let resolved =
        resolve(&baseline, "megatron:\n  - role: critic\n    overrides:\n      barrier_with_L1_time: on\n");
    let actor = super::argv_round_trip(resolved.get(PpoRole::Actor).unwrap());
    assert!(actor.contains(&"--disable_bias_linear".to_string()), "{actor:?}");
    super::argv_round_trip(resolved.get(PpoRole::Critic).unwrap());
}

#[test]
fn fields_agree_with_clap() {
    crate::clap_agreement::parser::<MegatronLmArgs>();
}
