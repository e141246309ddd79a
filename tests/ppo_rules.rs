//! The example trainer's upstream rules (`examples/ppo_train/rules.rs`,
//! SPEC 6.7), one case per rule, on the example's own argument struct:
//!
//! - each check: a command line it accepts for both roles; the same command
//!   line with one override in the actor's entry, refused for the actor alone
//!   at that line of the file (the critic, with no override, is accepted); and
//!   the relation broken on the command line alone, reported there;
//! - each derivation: its value differs per role when the critic's file
//!   changes what it is derived from, and is marked as derived.

use std::sync::OnceLock;

use clap::{CommandFactory as _, FromArgMatches as _};
use megatron_args::{
    CommandLine, Error, MegatronArgs, PpoRole, Problem, ProblemKind, Provenance, Resolved, RoleConfig,
};

// The example's `main` and its printing are not used here.
#[allow(dead_code)]
#[path = "../examples/ppo_train.rs"]
mod ppo_train;

use ppo_train::TrainArgs;

const BOTH: &[PpoRole] = &[PpoRole::Actor, PpoRole::Critic];

fn argv<'a>(flags: &[&'a str]) -> Vec<&'a str> {
    std::iter::once("ppo_train").chain(flags.iter().copied()).collect()
}

/// The example's command line, parsed by one clap command built once (a
/// thousand arguments: building it is most of a parse in a debug build).
fn parse(flags: &[&str]) -> TrainArgs {
    static COMMAND: OnceLock<clap::Command> = OnceLock::new();
    let command = COMMAND.get_or_init(TrainArgs::command).clone();
    let matches = command.try_get_matches_from(argv(flags)).unwrap_or_else(|e| panic!("{flags:?}: {e}"));
    TrainArgs::from_arg_matches(&matches).unwrap_or_else(|e| panic!("{flags:?}: {e}"))
}

fn resolve(flags: &[&str], file: &str) -> Result<Resolved<TrainArgs>, Error> {
    let baseline = parse(flags);
    let config = RoleConfig::<TrainArgs>::from_str(file, "megatron_ppo.yaml").expect("the file loads");
    config.resolve_with_command_line(&baseline, &CommandLine::new(argv(flags)), BOTH)
}

/// A file with one override for `role`, at line 4.
fn one_override(role: &str, key: &str, value: &str) -> String {
    format!("megatron:\n  - role: {role}\n    overrides:\n      {key}: {value}\n")
}

fn relation<'a>(error: &'a Error, keys: &[&str]) -> Option<&'a Problem> {
    error.problems().iter().find(|p| matches!(&p.kind, ProblemKind::Relation { keys: k, .. } if k == keys))
}

fn roles_of(problem: &Problem) -> &[String] {
    match &problem.kind {
        ProblemKind::Relation { roles, .. } => roles,
        _ => unreachable!(),
    }
}

/// One check: `flags` hold the relation; the actor's `key: value` breaks it;
/// the command line `cli` breaks it alone.
struct Check {
    upstream: &'static str,
    keys: &'static [&'static str],
    flags: &'static [&'static str],
    key: &'static str,
    value: &'static str,
    cli: &'static [&'static str],
}

// One case a line, as a table.
#[rustfmt::skip]
const CHECKS: &[Check] = &[
    // slime_validate_args
    Check { upstream: "rollout_temperature <= 0", keys: &["rollout_temperature"], flags: &[], key: "rollout_temperature", value: "0", cli: &["--rollout-temperature", "0"] },
    Check { upstream: "use_opd: opd_type is None", keys: &["use_opd", "opd_type"], flags: &[], key: "use_opd", value: "true", cli: &["--use-opd"] },
    Check { upstream: "opd_type == megatron: opd_teacher_load is None", keys: &["opd_type", "opd_teacher_load"], flags: &["--use-opd", "--opd-type", "sglang"], key: "opd_type", value: "megatron", cli: &["--use-opd", "--opd-type", "sglang", "--opd-type", "megatron"] },
    Check { upstream: "opd_type == sglang: opd_teacher_load is not None", keys: &["opd_type", "opd_teacher_load"], flags: &["--use-opd", "--opd-type", "sglang"], key: "opd_teacher_load", value: "/teacher", cli: &["--use-opd", "--opd-type", "sglang", "--opd-teacher-load", "/teacher"] },
    Check { upstream: "not use_opd: opd_teacher_load is not None", keys: &["opd_teacher_load", "use_opd"], flags: &[], key: "opd_teacher_load", value: "/teacher", cli: &["--opd-teacher-load", "/teacher"] },
    Check { upstream: "save_interval is not None: assert save is not None", keys: &["save_interval", "save"], flags: &[], key: "save_interval", value: "10", cli: &["--save-interval", "10"] },
    Check { upstream: "assert not (kl_coef != 0 and kl_loss_coef != 0)", keys: &["kl_coef", "kl_loss_coef"], flags: &["--kl-coef", "0.1"], key: "kl_loss_coef", value: "0.01", cli: &["--kl-coef", "0.1", "--kl-loss-coef", "0.01"] },
    Check { upstream: "reinforce_plus_plus: assert normalize_advantages", keys: &["advantage_estimator", "normalize_advantages"], flags: &["--advantage-estimator", "reinforce_plus_plus", "--normalize-advantages"], key: "normalize_advantages", value: "false", cli: &["--advantage-estimator", "reinforce_plus_plus_baseline"] },
    Check { upstream: "use_rollout_logprobs: assert not use_tis", keys: &["use_rollout_logprobs", "use_tis"], flags: &["--use-rollout-logprobs"], key: "use_tis", value: "true", cli: &["--use-rollout-logprobs", "--use-tis"] },
    Check { upstream: "get_mismatch_metrics: custom_tis_function_path is not None", keys: &["get_mismatch_metrics", "custom_tis_function_path"], flags: &[], key: "get_mismatch_metrics", value: "true", cli: &["--get-mismatch-metrics"] },
    Check { upstream: "use_dynamic_batch_size: max_tokens_per_gpu is not None", keys: &["use_dynamic_batch_size", "max_tokens_per_gpu"], flags: &[], key: "use_dynamic_batch_size", value: "true", cli: &["--use-dynamic-batch-size"] },
    Check { upstream: "balance_by_flops: assert use_dynamic_batch_size", keys: &["balance_by_flops", "use_dynamic_batch_size"], flags: &[], key: "balance_by_flops", value: "true", cli: &["--balance-by-flops"] },
    Check { upstream: "save_debug_train_data == save_debug_rollout_data", keys: &["save_debug_train_data", "save_debug_rollout_data"], flags: &["--save-debug-rollout-data", "/d"], key: "save_debug_train_data", value: "/d", cli: &["--save-debug-rollout-data", "/d", "--save-debug-train-data", "/d"] },
    Check { upstream: "assert not (debug_rollout_only and debug_train_only)", keys: &["debug_rollout_only", "debug_train_only"], flags: &["--debug-rollout-only"], key: "debug_train_only", value: "true", cli: &["--debug-rollout-only", "--debug-train-only"] },
    Check { upstream: "num_steps_per_rollout: global_batch_size == ...", keys: &["global_batch_size", "rollout_batch_size", "n_samples_per_prompt", "num_steps_per_rollout"], flags: &["--rollout-batch-size", "8", "--n-samples-per-prompt", "4", "--num-steps-per-rollout", "2"], key: "global_batch_size", value: "10", cli: &["--rollout-batch-size", "8", "--n-samples-per-prompt", "4", "--num-steps-per-rollout", "2", "--global-batch-size", "10"] },
    Check { upstream: "assert over_sampling_batch_size >= rollout_batch_size", keys: &["over_sampling_batch_size", "rollout_batch_size"], flags: &["--rollout-batch-size", "8"], key: "over_sampling_batch_size", value: "4", cli: &["--rollout-batch-size", "8", "--over-sampling-batch-size", "4"] },
    Check { upstream: "num_epoch without num_rollout: assert rollout_global_dataset", keys: &["num_epoch", "rollout_global_dataset"], flags: &["--num-epoch", "2"], key: "rollout_global_dataset", value: "false", cli: &["--num-epoch", "2", "--disable-rollout-global-dataset"] },
    Check { upstream: "enable_mtp_training: assert mtp_num_layers", keys: &["enable_mtp_training", "mtp_num_layers"], flags: &[], key: "enable_mtp_training", value: "true", cli: &["--enable-mtp-training"] },
    Check { upstream: "assert rollout_max_prompt_len <= rollout_max_context_len - 1", keys: &["rollout_max_prompt_len", "rollout_max_context_len"], flags: &["--rollout-max-context-len", "100"], key: "rollout_max_prompt_len", value: "100", cli: &["--rollout-max-context-len", "100", "--rollout-max-prompt-len", "100"] },
    Check { upstream: "only_train_params_name_list and freeze_params_name_list", keys: &["only_train_params_name_list", "freeze_params_name_list"], flags: &["--only-train-params-name-list", "a"], key: "freeze_params_name_list", value: "[b]", cli: &["--only-train-params-name-list", "a", "--freeze-params-name-list", "b"] },
    Check { upstream: "update_weight_transport == disk: update_weight_disk_dir", keys: &["update_weight_transport", "update_weight_disk_dir"], flags: &[], key: "update_weight_transport", value: "disk", cli: &["--update-weight-transport", "disk"] },
    Check { upstream: "release_train: use_critic", keys: &["release_train", "use_critic"], flags: &["--use-critic", "--save", "/s", "--update-weight-transport", "disk", "--update-weight-disk-dir", "/d"], key: "release_train", value: "true", cli: &["--use-critic", "--save", "/s", "--update-weight-transport", "disk", "--update-weight-disk-dir", "/d", "--release-train"] },
    Check { upstream: "release_train: keep_old_actor", keys: &["release_train", "keep_old_actor"], flags: &["--keep-old-actor", "--save", "/s", "--update-weight-transport", "disk", "--update-weight-disk-dir", "/d"], key: "release_train", value: "true", cli: &["--keep-old-actor", "--save", "/s", "--update-weight-transport", "disk", "--update-weight-disk-dir", "/d", "--release-train"] },
    Check { upstream: "release_train: save is None", keys: &["release_train", "save"], flags: &["--update-weight-transport", "disk", "--update-weight-disk-dir", "/d"], key: "release_train", value: "true", cli: &["--update-weight-transport", "disk", "--update-weight-disk-dir", "/d", "--release-train"] },
    Check { upstream: "release_train: update_weight_mode full and transport disk", keys: &["release_train", "update_weight_mode", "update_weight_transport"], flags: &["--save", "/s"], key: "release_train", value: "true", cli: &["--save", "/s", "--release-train"] },
    Check { upstream: "update_weight_mode == delta: transport disk", keys: &["update_weight_mode", "update_weight_transport"], flags: &["--update-weight-local-checkpoint-dir", "/l"], key: "update_weight_mode", value: "delta", cli: &["--update-weight-local-checkpoint-dir", "/l", "--update-weight-mode", "delta"] },
    Check { upstream: "update_weight_mode == delta: colocate", keys: &["update_weight_mode", "colocate"], flags: &["--colocate", "--update-weight-transport", "disk", "--update-weight-disk-dir", "/d", "--update-weight-local-checkpoint-dir", "/l"], key: "update_weight_mode", value: "delta", cli: &["--colocate", "--update-weight-transport", "disk", "--update-weight-disk-dir", "/d", "--update-weight-local-checkpoint-dir", "/l", "--update-weight-mode", "delta"] },
    Check { upstream: "update_weight_mode == delta: update_weight_local_checkpoint_dir", keys: &["update_weight_mode", "update_weight_local_checkpoint_dir"], flags: &["--update-weight-transport", "disk", "--update-weight-disk-dir", "/d"], key: "update_weight_mode", value: "delta", cli: &["--update-weight-transport", "disk", "--update-weight-disk-dir", "/d", "--update-weight-mode", "delta"] },
    // Megatron-LM validate_args
    Check { upstream: "train_iters: assert train_samples is None", keys: &["train_iters", "train_samples"], flags: &["--train-iters", "10"], key: "train_samples", value: "100", cli: &["--train-iters", "10", "--train-samples", "100"] },
    Check { upstream: "train_iters: assert lr_decay_samples is None", keys: &["train_iters", "lr_decay_samples"], flags: &["--train-iters", "10"], key: "lr_decay_samples", value: "5", cli: &["--train-iters", "10", "--lr-decay-samples", "5"] },
    Check { upstream: "train_iters: assert lr_warmup_samples == 0", keys: &["train_iters", "lr_warmup_samples"], flags: &["--train-iters", "10"], key: "lr_warmup_samples", value: "5", cli: &["--train-iters", "10", "--lr-warmup-samples", "5"] },
    Check { upstream: "train_iters: assert rampup_batch_size is None", keys: &["train_iters", "rampup_batch_size"], flags: &["--train-iters", "10"], key: "rampup_batch_size", value: "[1, 1, 1]", cli: &["--train-iters", "10", "--rampup-batch-size", "1", "1", "1"] },
    Check { upstream: "train_iters: lr_warmup_fraction and lr_warmup_iters", keys: &["lr_warmup_fraction", "lr_warmup_iters"], flags: &["--train-iters", "10", "--lr-warmup-fraction", "0.1"], key: "lr_warmup_iters", value: "5", cli: &["--train-iters", "10", "--lr-warmup-fraction", "0.1", "--lr-warmup-iters", "5"] },
    Check { upstream: "train_samples: assert train_iters is None", keys: &["train_samples", "train_iters"], flags: &["--train-samples", "100"], key: "train_iters", value: "10", cli: &["--train-samples", "100", "--train-iters", "10"] },
    Check { upstream: "train_samples: assert lr_decay_iters is None", keys: &["train_samples", "lr_decay_iters"], flags: &["--train-samples", "100"], key: "lr_decay_iters", value: "10", cli: &["--train-samples", "100", "--lr-decay-iters", "10"] },
    Check { upstream: "train_samples: assert lr_warmup_iters == 0", keys: &["train_samples", "lr_warmup_iters"], flags: &["--train-samples", "100"], key: "lr_warmup_iters", value: "10", cli: &["--train-samples", "100", "--lr-warmup-iters", "10"] },
    Check { upstream: "train_samples: lr_warmup_fraction and lr_warmup_samples", keys: &["lr_warmup_fraction", "lr_warmup_samples"], flags: &["--train-samples", "100", "--lr-warmup-fraction", "0.1"], key: "lr_warmup_samples", value: "5", cli: &["--train-samples", "100", "--lr-warmup-fraction", "0.1", "--lr-warmup-samples", "5"] },
    Check { upstream: "num_layers: assert encoder_num_layers is None", keys: &["num_layers", "encoder_num_layers"], flags: &["--num-layers", "4"], key: "encoder_num_layers", value: "8", cli: &["--num-layers", "4", "--encoder-num-layers", "8"] },
    Check { upstream: "kv_channels is None: hidden_size % num_attention_heads == 0", keys: &["hidden_size", "num_attention_heads"], flags: &["--hidden-size", "4096", "--num-attention-heads", "32"], key: "num_attention_heads", value: "30", cli: &["--hidden-size", "4096", "--num-attention-heads", "32", "--num-attention-heads", "30"] },
    Check { upstream: "seq_length % (context_parallel_size * 2) == 0", keys: &["seq_length", "context_parallel_size"], flags: &["--context-parallel-size", "2"], key: "seq_length", value: "4095", cli: &["--context-parallel-size", "2", "--seq-length", "4095"] },
    Check { upstream: "seq_length: assert encoder_seq_length is None", keys: &["seq_length", "encoder_seq_length"], flags: &["--seq-length", "4096"], key: "encoder_seq_length", value: "2048", cli: &["--seq-length", "4096", "--encoder-seq-length", "2048"] },
    Check { upstream: "max_position_embeddings >= seq_length", keys: &["max_position_embeddings", "seq_length"], flags: &["--max-position-embeddings", "1024"], key: "seq_length", value: "2048", cli: &["--max-position-embeddings", "1024", "--seq-length", "2048"] },
    Check { upstream: "max_position_embeddings >= decoder_seq_length", keys: &["max_position_embeddings", "decoder_seq_length"], flags: &["--max-position-embeddings", "1024"], key: "decoder_seq_length", value: "2048", cli: &["--max-position-embeddings", "1024", "--decoder-seq-length", "2048"] },
    Check { upstream: "assert min_lr <= lr", keys: &["min_lr", "lr"], flags: &[], key: "min_lr", value: "1.0", cli: &["--min-lr", "1"] },
    Check { upstream: "save: assert save_interval > 0", keys: &["save_interval", "save"], flags: &["--save", "/s"], key: "save_interval", value: "0", cli: &["--save", "/s", "--save-interval", "0"] },
    Check { upstream: "save_retain_interval % save_interval == 0", keys: &["save_retain_interval", "save_interval"], flags: &["--save", "/s", "--save-interval", "10"], key: "save_retain_interval", value: "15", cli: &["--save", "/s", "--save-interval", "10", "--save-retain-interval", "15"] },
    Check { upstream: "log_memory_interval % log_interval == 0", keys: &["log_memory_interval", "log_interval"], flags: &["--log-interval", "2"], key: "log_memory_interval", value: "3", cli: &["--log-interval", "2", "--log-memory-interval", "3"] },
    Check { upstream: "fp16_lm_cross_entropy: assert fp16", keys: &["fp16_lm_cross_entropy", "fp16"], flags: &[], key: "fp16_lm_cross_entropy", value: "true", cli: &["--fp16-lm-cross-entropy"] },
    Check { upstream: "weight_decay_incr_style == constant: start_weight_decay is None", keys: &["start_weight_decay", "weight_decay_incr_style", "weight_decay"], flags: &[], key: "start_weight_decay", value: "0.5", cli: &["--start-weight-decay", "0.5"] },
    Check { upstream: "weight_decay_incr_style != constant: start_weight_decay is not None", keys: &["start_weight_decay", "weight_decay_incr_style"], flags: &[], key: "weight_decay_incr_style", value: "linear", cli: &["--weight-decay-incr-style", "cosine"] },
    Check { upstream: "distribute_saved_activations: tensor_model_parallel_size > 1", keys: &["distribute_saved_activations", "tensor_model_parallel_size"], flags: &[], key: "distribute_saved_activations", value: "true", cli: &["--distribute-saved-activations"] },
    Check { upstream: "distribute_saved_activations: recompute_granularity == full", keys: &["distribute_saved_activations", "recompute_granularity"], flags: &["--tensor-model-parallel-size", "2", "--recompute-method", "uniform"], key: "distribute_saved_activations", value: "true", cli: &["--tensor-model-parallel-size", "2", "--recompute-method", "uniform", "--distribute-saved-activations"] },
    Check { upstream: "distribute_saved_activations: recompute_method is not None", keys: &["distribute_saved_activations", "recompute_method"], flags: &["--tensor-model-parallel-size", "2", "--recompute-granularity", "full"], key: "distribute_saved_activations", value: "true", cli: &["--tensor-model-parallel-size", "2", "--recompute-granularity", "full", "--distribute-saved-activations"] },
    Check { upstream: "recompute_granularity == selective: recompute_method is None", keys: &["recompute_granularity", "recompute_method"], flags: &["--recompute-granularity", "selective"], key: "recompute_method", value: "uniform", cli: &["--recompute-granularity", "selective", "--recompute-method", "block"] },
    Check { upstream: "tp_comm_overlap: assert sequence_parallel", keys: &["tp_comm_overlap", "sequence_parallel"], flags: &[], key: "tp_comm_overlap", value: "true", cli: &["--tp-comm-overlap"] },
    Check { upstream: "expert_model_parallel_size > 1: assert num_experts is not None", keys: &["num_experts", "expert_model_parallel_size"], flags: &["--expert-model-parallel-size", "2", "--num-experts", "4"], key: "num_experts", value: "null", cli: &["--expert-model-parallel-size", "2"] },
    Check { upstream: "expert_model_parallel_size > 1: num_experts % ep == 0", keys: &["num_experts", "expert_model_parallel_size"], flags: &["--expert-model-parallel-size", "2", "--num-experts", "4"], key: "num_experts", value: "3", cli: &["--expert-model-parallel-size", "2", "--num-experts", "4", "--num-experts", "5"] },
    Check { upstream: "qk_clip: 0 < qk_clip_alpha < 1", keys: &["qk_clip_alpha", "qk_clip"], flags: &["--qk-clip"], key: "qk_clip_alpha", value: "1.5", cli: &["--qk-clip", "--qk-clip-alpha", "1"] },
    Check { upstream: "qk_clip: qk_clip_threshold > 0", keys: &["qk_clip_threshold", "qk_clip"], flags: &["--qk-clip"], key: "qk_clip_threshold", value: "0", cli: &["--qk-clip", "--qk-clip-threshold", "0"] },
    Check { upstream: "position_embedding_type == mrope: mrope_section", keys: &["position_embedding_type", "mrope_section"], flags: &[], key: "position_embedding_type", value: "mrope", cli: &["--position-embedding-type", "mrope"] },
    Check { upstream: "overlap_param_gather: assert overlap_grad_reduce", keys: &["overlap_param_gather", "overlap_grad_reduce"], flags: &[], key: "overlap_param_gather", value: "true", cli: &["--overlap-param-gather"] },
];

#[test]
fn every_check_refuses_the_actors_override_at_its_line_and_accepts_the_critic() {
    for case in CHECKS {
        let what = case.upstream;
        if let Err(error) = resolve(case.flags, "megatron: []\n") {
            panic!("{what}: the command line alone should pass:\n{error}");
        }
        let file = one_override("actor", case.key, case.value);
        let error = match resolve(case.flags, &file) {
            Ok(_) => panic!("{what}: the actor's `{}: {}` should be refused", case.key, case.value),
            Err(error) => error,
        };
        let problem =
            relation(&error, case.keys).unwrap_or_else(|| panic!("{what}: no {:?} in\n{error}", case.keys));
        assert_eq!(roles_of(problem), ["actor"], "{what}: only the actor's override breaks it\n{error}");
        let at = problem.location.as_ref().unwrap_or_else(|| panic!("{what}: no location\n{error}"));
        assert_eq!(
            (at.origin(), at.line()),
            ("megatron_ppo.yaml", 4),
            "{what}: at the override's line\n{error}"
        );
        // Every involved value is shown: a span, or a note saying where it came from.
        assert_eq!(problem.notes.len(), case.keys.len(), "{what}\n{error}");
    }
}

#[test]
fn every_check_broken_on_the_command_line_alone_is_reported_there() {
    for case in CHECKS {
        let what = case.upstream;
        let error = match resolve(case.cli, "megatron: []\n") {
            Ok(_) => panic!("{what}: {:?} should be refused", case.cli),
            Err(error) => error,
        };
        let problem =
            relation(&error, case.keys).unwrap_or_else(|| panic!("{what}: no {:?} in\n{error}", case.keys));
        let at = problem.location.as_ref().unwrap_or_else(|| panic!("{what}: no location\n{error}"));
        assert_eq!(at.origin(), "command line", "{what}\n{error}");
        // The span is one of the involved arguments as given: its flag and value.
        assert!(at.marked_text().starts_with("--"), "{what}: marks {:?}\n{error}", at.marked_text());
    }
}

#[test]
fn kl_loss_coef_is_fine_for_the_critic_and_refused_for_the_actor_over_kl_coef() {
    let flags = ["--kl-coef", "0.1"];
    let resolved =
        resolve(&flags, &one_override("critic", "kl_loss_coef", "0.01")).expect("the critic's kl_coef is 0");
    let critic = resolved.role(PpoRole::Critic).unwrap();
    assert_eq!((critic.args().slime_algo.kl_coef, critic.args().slime_algo.kl_loss_coef), (0.0, 0.01));
    let error = resolve(&flags, &one_override("actor", "kl_loss_coef", "0.01")).unwrap_err();
    assert_eq!(error.problems().len(), 1, "{error}");
    let problem = relation(&error, &["kl_coef", "kl_loss_coef"]).unwrap();
    // Two places: the file's value, and `--kl-coef 0.1` on the command line.
    let places: Vec<String> =
        problem.notes.iter().map(|n| n.location.as_ref().unwrap().to_string()).collect();
    assert_eq!(places, ["command line:1:11", "megatron_ppo.yaml:4:21"]);
}

/// One derivation: the critic's `key: value` changes what `field` is derived
/// from; the actor keeps the command line's derived value.
struct Derived {
    upstream: &'static str,
    field: &'static str,
    flags: &'static [&'static str],
    critic: &'static str,
    actor_value: &'static str,
    critic_value: &'static str,
}

#[rustfmt::skip]
const DERIVED: &[Derived] = &[
    // slime_validate_args
    Derived { upstream: "log_probs_max_tokens_per_gpu = max_tokens_per_gpu", field: "log_probs_max_tokens_per_gpu", flags: &["--use-dynamic-batch-size", "--max-tokens-per-gpu", "100"], critic: "max_tokens_per_gpu: 200", actor_value: "100", critic_value: "200" },
    Derived { upstream: "balance_by_flops: balance_data = True", field: "balance_data", flags: &["--use-dynamic-batch-size", "--max-tokens-per-gpu", "100"], critic: "balance_by_flops: true", actor_value: "false", critic_value: "true" },
    Derived { upstream: "eps_clip_high = eps_clip", field: "eps_clip_high", flags: &[], critic: "eps_clip: 0.3", actor_value: "0.2", critic_value: "0.3" },
    Derived { upstream: "eval_reward_key = reward_key", field: "eval_reward_key", flags: &["--reward-key", "score"], critic: "reward_key: value", actor_value: "score", critic_value: "value" },
    Derived { upstream: "dump_details: save_debug_rollout_data", field: "save_debug_rollout_data", flags: &[], critic: "dump_details: /dump", actor_value: "null", critic_value: "/dump/rollout_data/{rollout_id}.pt" },
    Derived { upstream: "dump_details: save_debug_train_data", field: "save_debug_train_data", flags: &[], critic: "dump_details: /dump", actor_value: "null", critic_value: "/dump/train_data/{rollout_id}.pt" },
    Derived { upstream: "load_debug_rollout_data: debug_train_only = True", field: "debug_train_only", flags: &[], critic: "load_debug_rollout_data: /data", actor_value: "false", critic_value: "true" },
    Derived { upstream: "num_steps_per_rollout: global_batch_size", field: "global_batch_size", flags: &["--rollout-batch-size", "8", "--n-samples-per-prompt", "4", "--num-steps-per-rollout", "2"], critic: "num_steps_per_rollout: 4", actor_value: "16", critic_value: "8" },
    Derived { upstream: "n_samples_per_prompt == 1: grpo_std_normalization = False", field: "grpo_std_normalization", flags: &["--n-samples-per-prompt", "4"], critic: "n_samples_per_prompt: 1", actor_value: "true", critic_value: "false" },
    Derived { upstream: "over_sampling_batch_size = rollout_batch_size", field: "over_sampling_batch_size", flags: &["--rollout-batch-size", "8"], critic: "rollout_batch_size: 16", actor_value: "8", critic_value: "16" },
    Derived { upstream: "use_rollout_routing_replay: use_routing_replay = True", field: "use_routing_replay", flags: &[], critic: "use_rollout_routing_replay: true", actor_value: "false", critic_value: "true" },
    Derived { upstream: "eval_max_context_len = rollout_max_context_len", field: "eval_max_context_len", flags: &["--rollout-max-context-len", "100"], critic: "rollout_max_context_len: 200", actor_value: "100", critic_value: "200" },
    Derived { upstream: "rollout_max_prompt_len = rollout_max_context_len - 1", field: "rollout_max_prompt_len", flags: &["--rollout-max-context-len", "100"], critic: "rollout_max_context_len: 200", actor_value: "99", critic_value: "199" },
    Derived { upstream: "release_train: save_interval = 1", field: "save_interval", flags: &["--save", "/s", "--update-weight-transport", "disk", "--update-weight-disk-dir", "/d"], critic: "release_train: true", actor_value: "null", critic_value: "1" },
    Derived { upstream: "eval_function_path = rollout_function_path", field: "eval_function_path", flags: &[], critic: "rollout_function_path: my.rollout", actor_value: "slime.rollout.sglang_rollout.generate_rollout", critic_value: "my.rollout" },
    // Megatron-LM validate_args
    Derived { upstream: "encoder_num_layers = num_layers", field: "encoder_num_layers", flags: &["--num-layers", "4"], critic: "num_layers: 8", actor_value: "4", critic_value: "8" },
    Derived { upstream: "num_layers = encoder_num_layers", field: "num_layers", flags: &["--encoder-num-layers", "4"], critic: "encoder_num_layers: 8", actor_value: "4", critic_value: "8" },
    Derived { upstream: "ffn_hidden_size = 4 * hidden_size", field: "ffn_hidden_size", flags: &["--hidden-size", "4096"], critic: "hidden_size: 1024", actor_value: "16384", critic_value: "4096" },
    Derived { upstream: "swiglu: ffn_hidden_size = int((4 * hidden_size * 2 / 3) / 64) * 64", field: "ffn_hidden_size", flags: &["--hidden-size", "4096", "--swiglu"], critic: "hidden_size: 1024", actor_value: "10880", critic_value: "2688" },
    Derived { upstream: "kv_channels = hidden_size // num_attention_heads", field: "kv_channels", flags: &["--hidden-size", "4096", "--num-attention-heads", "32"], critic: "num_attention_heads: 16", actor_value: "128", critic_value: "256" },
    Derived { upstream: "encoder_seq_length = seq_length", field: "encoder_seq_length", flags: &["--seq-length", "4096"], critic: "seq_length: 2048", actor_value: "4096", critic_value: "2048" },
    Derived { upstream: "seq_length = encoder_seq_length", field: "seq_length", flags: &["--encoder-seq-length", "4096"], critic: "encoder_seq_length: 2048", actor_value: "4096", critic_value: "2048" },
    Derived { upstream: "constant: start_weight_decay = weight_decay", field: "start_weight_decay", flags: &[], critic: "weight_decay: 0.1", actor_value: "0.01", critic_value: "0.1" },
    Derived { upstream: "constant: end_weight_decay = weight_decay", field: "end_weight_decay", flags: &[], critic: "weight_decay: 0.1", actor_value: "0.01", critic_value: "0.1" },
    Derived { upstream: "recompute_activations: recompute_granularity = 'selective'", field: "recompute_granularity", flags: &[], critic: "recompute_activations: true", actor_value: "null", critic_value: "selective" },
    Derived { upstream: "add_bias_linear: add_qkv_bias = True", field: "add_qkv_bias", flags: &["--disable-bias-linear"], critic: "add_bias_linear: true", actor_value: "false", critic_value: "true" },
    Derived { upstream: "use_rotary_position_embeddings: position_embedding_type = 'rope'", field: "position_embedding_type", flags: &[], critic: "use_rotary_position_embeddings: true", actor_value: "learned_absolute", critic_value: "rope" },
    Derived { upstream: "position_embedding_type != 'rope': apply_rope_fusion = False", field: "apply_rope_fusion", flags: &["--position-embedding-type", "rope"], critic: "position_embedding_type: learned_absolute", actor_value: "true", critic_value: "false" },
    Derived { upstream: "num_experts: moe_ffn_hidden_size = ffn_hidden_size", field: "moe_ffn_hidden_size", flags: &["--hidden-size", "1024", "--num-experts", "4"], critic: "ffn_hidden_size: 512", actor_value: "4096", critic_value: "512" },
];

#[test]
fn every_derived_value_is_derived_per_role_from_the_roles_own_values() {
    for case in DERIVED {
        let what = case.upstream;
        let file = format!("megatron:\n  - role: critic\n    overrides:\n      {}\n", case.critic);
        let resolved = resolve(case.flags, &file).unwrap_or_else(|e| panic!("{what}: should resolve\n{e}"));
        let value = |role| resolved.get(role).unwrap().get(case.field).unwrap().to_string();
        assert_eq!(value(PpoRole::Actor), case.actor_value, "{what}: the actor's value");
        assert_eq!(value(PpoRole::Critic), case.critic_value, "{what}: the critic's value");
        let provenance = resolved.role(PpoRole::Critic).unwrap().provenance(case.field).unwrap();
        assert!(matches!(provenance, Provenance::Derived { .. }), "{what}: {provenance:?}");
        // What the critic changed is a change; the actor's derived value is the command line's.
        let changed: Vec<&str> = resolved.changes(PpoRole::Critic).iter().map(|c| c.field.name).collect();
        assert!(changed.contains(&case.field), "{what}: {changed:?}");
        assert!(resolved.changes(PpoRole::Actor).is_empty(), "{what}: the actor has no file entry");
    }
}

#[test]
fn a_value_the_role_gives_is_kept_over_the_derivation() {
    let resolved =
        resolve(&["--hidden-size", "4096"], &one_override("critic", "ffn_hidden_size", "100")).unwrap();
    let critic = resolved.role(PpoRole::Critic).unwrap();
    assert_eq!(critic.args().megatron_transformer_configuration.ffn_hidden_size, Some(100));
    assert!(matches!(critic.provenance("ffn_hidden_size"), Some(Provenance::File(_))));
    // The forced `kl_coef` of the critic is not derived over either.
    assert_eq!(critic.provenance("kl_coef"), Some(&Provenance::RoleForced));
}
