//! `to_argv`: a resolved role rendered back to the command line of its clap
//! struct, for launchers that start one worker per role.

mod common;

use std::path::PathBuf;

use clap::{ArgAction, Parser};
use common::{Args, LrDecayStyle, OptimizerArgs, BOTH};
use megatron_args::{to_argv, MegatronArgs, PpoRole, RoleConfig};
use proptest::prelude::*;

fn argv_of(flags: &[&str]) -> Vec<String> {
    to_argv(&common::cli(flags)).unwrap()
}

/// The `--flag VALUE` pair (or `--flag=VALUE`) for `flag` in `argv`.
fn value_of<'a>(argv: &'a [String], flag: &str) -> Option<&'a str> {
    let i = argv.iter().position(|a| a == flag)?;
    argv.get(i + 1).map(String::as_str)
}

fn reparse(argv: &[String]) -> Args {
    Args::try_parse_from(std::iter::once("train".to_string()).chain(argv.iter().cloned()))
        .unwrap_or_else(|e| panic!("the rendered argv {argv:?} does not parse: {e}"))
}

#[test]
fn floats_use_the_shortest_spelling_that_parses_back_exactly() {
    let argv = argv_of(&["--lr", "0.00001", "--min-lr", "0.1"]);
    assert_eq!(value_of(&argv, "--lr"), Some("1e-5"));
    assert_eq!(value_of(&argv, "--min-lr"), Some("0.1")); // an f32, not 0.10000000149011612
    assert_eq!(value_of(&argv, "--adam-beta2"), Some("0.999"));
    assert_eq!(reparse(&argv), common::cli(&["--lr", "0.00001", "--min-lr", "0.1"]));
}

#[test]
fn store_true_flags_appear_only_when_set() {
    let on = argv_of(&["--use-kl-loss"]);
    assert!(on.contains(&"--use-kl-loss".to_string()));
    let next = value_of(&on, "--use-kl-loss").unwrap_or("--");
    assert!(next.starts_with("--"), "no value after a store-true flag: {on:?}");
    let off = argv_of(&[]);
    assert!(!off.contains(&"--use-kl-loss".to_string()), "{off:?}");
    assert!(!off.iter().any(|a| a.contains("false")), "{off:?}");
}

#[test]
fn none_is_omitted() {
    let argv = argv_of(&[]);
    for flag in ["--save", "--load", "--custom-advantage-function-path", "--megatron-config-path"] {
        assert!(!argv.iter().any(|a| a.starts_with(flag)), "{flag} in {argv:?}");
    }
    let with_save = argv_of(&["--save", "/ckpt/a"]);
    assert_eq!(value_of(&with_save, "--save"), Some("/ckpt/a"));
}

#[test]
fn list_values_follow_one_flag() {
    let argv = argv_of(&["--eval-at", "10", "20", "30"]);
    let i = argv.iter().position(|a| a == "--eval-at").unwrap();
    assert_eq!(&argv[i..i + 4], ["--eval-at", "10", "20", "30"]);
    assert_eq!(argv.iter().filter(|a| *a == "--eval-at").count(), 1);
    assert!(!argv_of(&[]).contains(&"--eval-at".to_string()), "an empty list is omitted");
}

#[test]
fn enums_use_their_command_line_names() {
    let argv = argv_of(&["--lr-decay-style", "WSD"]);
    assert_eq!(value_of(&argv, "--lr-decay-style"), Some("WSD"));
}

#[test]
fn shared_topology_and_placement_fields_are_included() {
    let argv = argv_of(&[
        "--use-critic",
        "--megatron-config-path",
        "roles.yaml",
        "--tensor-model-parallel-size",
        "4",
        "--critic-num-nodes",
        "2",
    ]);
    assert!(argv.contains(&"--use-critic".to_string()));
    assert_eq!(value_of(&argv, "--megatron-config-path"), Some("roles.yaml"));
    assert_eq!(value_of(&argv, "--tensor-model-parallel-size"), Some("4"));
    assert_eq!(value_of(&argv, "--critic-num-nodes"), Some("2"));
}

#[test]
fn negative_values_are_attached_with_an_equals_sign() {
    let baseline = common::cli(&["--min-lr=-0.5", "--kl-coef=-1e-3"]);
    let argv = to_argv(&baseline).unwrap();
    assert!(argv.contains(&"--min-lr=-0.5".to_string()), "{argv:?}");
    assert!(argv.contains(&"--kl-coef=-0.001".to_string()), "{argv:?}");
    assert_eq!(reparse(&argv), baseline);
}

#[test]
fn a_resolved_role_renders_its_own_values() {
    let config = RoleConfig::<Args>::from_str(
        "megatron:\n  - role: critic\n    overrides:\n      lr: 1e-5\n      save: /ckpt/critic\n",
        "roles.yaml",
    )
    .unwrap();
    let baseline = common::cli(&["--kl-coef", "0.05", "--use-critic"]);
    let resolved = config.resolve(&baseline, BOTH).unwrap();
    let critic = to_argv(resolved.get(PpoRole::Critic).unwrap()).unwrap();
    assert_eq!(value_of(&critic, "--lr"), Some("1e-5"));
    assert_eq!(value_of(&critic, "--save"), Some("/ckpt/critic"));
    assert_eq!(value_of(&critic, "--kl-coef"), Some("0.0")); // role_forced
    assert_eq!(value_of(&critic, "--lr-warmup-iters"), Some("10")); // role_default
    let actor = to_argv(resolved.get(PpoRole::Actor).unwrap()).unwrap();
    assert_eq!(value_of(&actor, "--lr"), Some("1e-6"));
    assert_eq!(value_of(&actor, "--kl-coef"), Some("0.05"));
}

/// clap shapes the common `Args` does not have.
#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
struct Shapes {
    /// One value per occurrence: `--tag a --tag b`.
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// A boolean that takes a value.
    #[arg(long, action = ArgAction::Set, default_value_t = true)]
    overlap_grad_reduce: bool,
    /// A store-false flag.
    #[arg(long = "no-shuffle", action = ArgAction::SetFalse)]
    shuffle: bool,
    /// Not on the command line.
    #[arg(skip)]
    internal: u32,
    /// Negative list values.
    #[arg(long, num_args = 1.., allow_negative_numbers = true)]
    offsets: Vec<i32>,
}

#[test]
fn other_clap_shapes_render_as_clap_reads_them() {
    let shapes = Shapes {
        tags: vec!["a".into(), "-b".into()],
        overlap_grad_reduce: false,
        shuffle: false,
        internal: 7,
        offsets: vec![3, -4],
    };
    let argv = to_argv(&shapes).unwrap();
    assert_eq!(
        argv,
        [
            "--tag",
            "a",
            "--tag=-b",
            "--overlap-grad-reduce",
            "false",
            "--no-shuffle",
            // `allow_negative_numbers`: clap reads `-4` as a value.
            "--offsets",
            "3",
            "-4"
        ]
    );
    let reparsed = Shapes::try_parse_from(std::iter::once("x".to_string()).chain(argv)).unwrap();
    assert_eq!(reparsed, Shapes { internal: 0, ..shapes });
}

fn finite_f64() -> impl Strategy<Value = f64> {
    use proptest::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO
}

fn positive_f64() -> impl Strategy<Value = f64> {
    use proptest::num::f64::{NORMAL, POSITIVE, SUBNORMAL};
    POSITIVE | NORMAL | SUBNORMAL
}

fn finite_f32() -> impl Strategy<Value = f32> {
    use proptest::num::f32::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO
}

fn path() -> impl Strategy<Value = PathBuf> {
    "[-a-zA-Z0-9_/.é]{1,12}".prop_map(PathBuf::from)
}

fn decay_style() -> impl Strategy<Value = LrDecayStyle> {
    prop_oneof![
        Just(LrDecayStyle::Constant),
        Just(LrDecayStyle::Linear),
        Just(LrDecayStyle::Cosine),
        Just(LrDecayStyle::Wsd)
    ]
}

/// A random `Args`, as any command line could produce it.
fn any_args() -> impl Strategy<Value = Args> {
    let training = (
        positive_f64(),
        finite_f32(),
        proptest::option::of(path()),
        proptest::option::of(path()),
        any::<u32>(),
        any::<u64>(),
        any::<bool>(),
        decay_style(),
        proptest::collection::vec(any::<u32>(), 0..4),
        proptest::option::of("[-a-zA-Z0-9_/ .=é]{0,12}"),
        finite_f64(),
        any::<u32>(),
    );
    let rest = (
        (finite_f64(), finite_f64()),
        any::<u32>(),
        any::<bool>(),
        any::<u32>(),
        any::<bool>(),
        proptest::option::of(path()),
    );
    (training, rest).prop_map(
        |(
            (
                lr,
                min_lr,
                save,
                load,
                micro_batch_size,
                train_iters,
                use_kl_loss,
                lr_decay_style,
                eval_at,
                custom_advantage_function_path,
                kl_coef,
                lr_warmup_iters,
            ),
            (
                (adam_beta1, adam_beta2),
                tensor_model_parallel_size,
                sequence_parallel,
                critic_num_nodes,
                use_critic,
                megatron_config_path,
            ),
        )| Args {
            lr,
            min_lr,
            save,
            load,
            micro_batch_size,
            train_iters,
            use_kl_loss,
            lr_decay_style,
            eval_at,
            custom_advantage_function_path,
            kl_coef,
            lr_warmup_iters,
            optimizer: OptimizerArgs { adam_beta1, adam_beta2 },
            tensor_model_parallel_size,
            sequence_parallel,
            critic_num_nodes,
            use_critic,
            megatron_config_path,
        },
    )
}

/// The fields a role may override in the file (regular, not forced for it).
fn overridable(role: PpoRole) -> Vec<&'static str> {
    let forced_for_critic = ["kl_coef", "custom_advantage_function_path"];
    Args::fields()
        .iter()
        .filter(|f| f.class == megatron_args::FieldClass::Regular)
        .filter(|f| role != PpoRole::Critic || !forced_for_critic.contains(&f.name))
        .map(|f| f.name)
        .collect()
}

/// A role-config file (JSON is YAML) overriding the chosen fields of each
/// role with the values of `values`.
fn config_text(choices: &[(PpoRole, Args, Vec<bool>)]) -> String {
    let entries: Vec<serde_json::Value> = choices
        .iter()
        .map(|(role, values, chosen)| {
            let overrides: serde_json::Map<String, serde_json::Value> = overridable(*role)
                .into_iter()
                .zip(chosen)
                .filter(|(_, on)| **on)
                .map(|(name, _)| (name.to_string(), serde_json::to_value(values.get(name).unwrap()).unwrap()))
                .collect();
            serde_json::json!({ "role": role.to_string(), "overrides": overrides })
        })
        .collect();
    serde_json::json!({ "megatron": entries }).to_string()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn rendered_argv_parses_back_to_the_resolved_role(
        baseline in any_args(),
        actor_values in any_args(),
        critic_values in any_args(),
        actor_chosen in proptest::collection::vec(any::<bool>(), 16),
        critic_chosen in proptest::collection::vec(any::<bool>(), 16),
    ) {
        let text = config_text(&[
            (PpoRole::Actor, actor_values, actor_chosen),
            (PpoRole::Critic, critic_values, critic_chosen),
        ]);
        let config = RoleConfig::<Args>::from_str(&text, "random.yaml")
            .unwrap_or_else(|e| panic!("{text}\n{e}"));
        let resolved = config.resolve(&baseline, BOTH).unwrap_or_else(|e| panic!("{text}\n{e}"));
        for role_args in resolved.roles() {
            let argv = to_argv(role_args.args()).unwrap();
            prop_assert_eq!(&reparse(&argv), role_args.args(), "argv: {:?}", argv);
        }
    }
}

#[path = "common/clap_agreement.rs"]
mod clap_agreement;

/// `fields()` of every clap struct here agrees with clap's own command.
#[test]
fn fields_agree_with_clap() {
    clap_agreement::parser::<Shapes>();
}
