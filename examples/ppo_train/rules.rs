//! Upstream's derived defaults and cross-field checks among the arguments a
//! role may override, run per role after its overrides (SPEC 4.7, 6.7).
//!
//! slime runs Megatron-LM's `validate_args` (`megatron/training/arguments.py`)
//! and its own `slime_validate_args` (`slime/utils/arguments.py`) once, on the
//! command line, before it applies the role-config file: a role's override is
//! never re-derived or re-checked there. Here each rule runs for every role,
//! so a critic given `hidden_size: 1024` gets its own `ffn_hidden_size`, and
//! an actor given `kl_loss_coef: 0.01` over `--kl-coef 0.1` is refused at
//! that line of the file.
//!
//! Each rule's comment names the upstream statement it mirrors. The
//! derivations fill only what the role did not give itself (the library
//! keeps a value from the file, typed overrides, `role_default` or
//! `role_forced`); upstream's "not given" is `None`, as there. The checks
//! run after every derivation, so a check that upstream makes before its
//! derivation (`assert start_weight_decay is None`, then fill it) is written
//! on the derived value. Rules that need what this program cannot know (the
//! world size, the tokenizer, files on disk) or that rewrite placement are
//! left out; the README lists them with the reason.

use megatron_args::{Checks, Derivation, PpoRole};

use super::{
    AdvantageEstimator, OpdType, PositionEmbeddingType, RecomputeGranularity, TrainArgs, TrainBackend,
    UpdateWeightMode, UpdateWeightTransport, WeightDecayIncrStyle,
};

/// The derived defaults, in upstream's order: slime's `slime_validate_args`
/// first, then Megatron-LM's `validate_args` (slime's `parse_args` calls
/// them in that order).
pub fn derive(d: &mut Derivation<'_, TrainArgs>) {
    derive_slime(d);
    derive_megatron(d);
}

/// The cross-field checks of both functions.
pub fn check(c: &mut Checks<'_, TrainArgs>) {
    check_slime(c);
    check_megatron(c);
}

fn derive_slime(d: &mut Derivation<'_, TrainArgs>) {
    // slime: `if args.use_dynamic_batch_size: ... if args.log_probs_max_tokens_per_gpu is None:
    // args.log_probs_max_tokens_per_gpu = args.max_tokens_per_gpu`.
    d.fill("log_probs_max_tokens_per_gpu", &["use_dynamic_batch_size", "max_tokens_per_gpu"], |a| {
        let data = &mut a.slime_data;
        if data.use_dynamic_batch_size && data.log_probs_max_tokens_per_gpu.is_none() {
            data.log_probs_max_tokens_per_gpu = data.max_tokens_per_gpu;
        }
    });
    // slime: `if getattr(args, "balance_by_flops", False): ... args.balance_data = True`.
    d.fill("balance_data", &["balance_by_flops"], |a| {
        if a.slime_data.balance_by_flops {
            a.slime_data.balance_data = true;
        }
    });
    // slime: `if args.eps_clip_high is None: args.eps_clip_high = args.eps_clip`.
    d.fill("eps_clip_high", &["eps_clip"], |a| {
        let algo = &mut a.slime_algo;
        algo.eps_clip_high = algo.eps_clip_high.or(Some(algo.eps_clip));
    });
    // slime: `if args.eval_reward_key is None: args.eval_reward_key = args.reward_key`.
    d.fill("eval_reward_key", &["reward_key"], |a| {
        let rm = &mut a.slime_reward_model;
        if rm.eval_reward_key.is_none() {
            rm.eval_reward_key.clone_from(&rm.reward_key);
        }
    });
    // slime: `if args.dump_details is not None: args.save_debug_rollout_data =
    // f"{args.dump_details}/rollout_data/{{rollout_id}}.pt"` (and `train_data`).
    for (name, folder) in
        [("save_debug_rollout_data", "rollout_data"), ("save_debug_train_data", "train_data")]
    {
        d.fill(name, &["dump_details"], |a| {
            let debug = &mut a.slime_debug;
            if let Some(details) = &debug.dump_details {
                let path = Some(format!("{details}/{folder}/{{rollout_id}}.pt"));
                match name {
                    "save_debug_rollout_data" => debug.save_debug_rollout_data = path,
                    _ => debug.save_debug_train_data = path,
                }
            }
        });
    }
    // slime: `if args.load_debug_rollout_data is not None: ... args.debug_train_only = True`.
    d.fill("debug_train_only", &["load_debug_rollout_data"], |a| {
        let mode = &mut a.slime_pre_parse_mode;
        if mode.load_debug_rollout_data.is_some() {
            mode.debug_train_only = true;
        }
    });
    // slime: `if args.num_steps_per_rollout is not None: global_batch_size = args.rollout_batch_size *
    // args.n_samples_per_prompt // args.num_steps_per_rollout; ... args.global_batch_size = global_batch_size`
    // (a given value must be equal: `check_slime`).
    d.fill(
        "global_batch_size",
        &["rollout_batch_size", "n_samples_per_prompt", "num_steps_per_rollout"],
        |a| {
            let data = &mut a.slime_data;
            if data.global_batch_size.is_none() {
                data.global_batch_size = steps_batch_size(data);
            }
        },
    );
    // slime: `if args.n_samples_per_prompt == 1: args.grpo_std_normalization = False`.
    d.fill("grpo_std_normalization", &["n_samples_per_prompt"], |a| {
        if a.slime_data.n_samples_per_prompt == 1 {
            a.slime_algo.grpo_std_normalization = false;
        }
    });
    // slime: `if args.over_sampling_batch_size is None: args.over_sampling_batch_size = args.rollout_batch_size`.
    d.fill("over_sampling_batch_size", &["rollout_batch_size"], |a| {
        let rollout = &mut a.slime_rollout;
        if rollout.over_sampling_batch_size.is_none() {
            rollout.over_sampling_batch_size = a.slime_data.rollout_batch_size;
        }
    });
    // slime: `if args.use_rollout_routing_replay: args.use_routing_replay = True`.
    d.fill("use_routing_replay", &["use_rollout_routing_replay"], |a| {
        if a.slime_algo.use_rollout_routing_replay {
            a.slime_algo.use_routing_replay = true;
        }
    });
    // slime: `if args.eval_max_context_len is None: args.eval_max_context_len = args.rollout_max_context_len`.
    d.fill("eval_max_context_len", &["rollout_max_context_len"], |a| {
        if a.slime_eval.eval_max_context_len.is_none() {
            a.slime_eval.eval_max_context_len = a.slime_rollout.rollout_max_context_len;
        }
    });
    // slime: `if args.rollout_max_context_len is not None: if args.rollout_max_prompt_len is None:
    // args.rollout_max_prompt_len = args.rollout_max_context_len - 1`.
    d.fill("rollout_max_prompt_len", &["rollout_max_context_len"], |a| {
        let rollout = &mut a.slime_rollout;
        if let (Some(context), None) = (rollout.rollout_max_context_len, rollout.rollout_max_prompt_len) {
            rollout.rollout_max_prompt_len = Some(context - 1);
        }
    });
    // slime: `if args.release_train: ... if args.save_interval is None: args.save_interval = 1`.
    d.fill("save_interval", &["release_train"], |a| {
        if a.slime_train.release_train && a.slime_algo.save_interval.is_none() {
            a.slime_algo.save_interval = Some(1);
        }
    });
    // slime: `if args.eval_function_path is None: args.eval_function_path = args.rollout_function_path`.
    d.fill("eval_function_path", &["rollout_function_path"], |a| {
        if a.slime_eval.eval_function_path.is_none() {
            a.slime_eval.eval_function_path = Some(a.slime_rollout.rollout_function_path.clone());
        }
    });
}

/// slime's `rollout_batch_size * n_samples_per_prompt // num_steps_per_rollout`.
fn steps_batch_size(data: &super::SlimeData) -> Option<i64> {
    let steps = data.num_steps_per_rollout.filter(|&s| s != 0)?;
    Some((data.rollout_batch_size? * data.n_samples_per_prompt).div_euclid(steps))
}

fn derive_megatron(d: &mut Derivation<'_, TrainArgs>) {
    // Megatron-LM: `if args.num_layers is not None: ... args.encoder_num_layers = args.num_layers
    // else: ... args.num_layers = args.encoder_num_layers`.
    d.fill("encoder_num_layers", &["num_layers"], |a| {
        let num_layers = a.megatron_transformer_configuration.num_layers;
        let encoder = &mut a.megatron_network_size.encoder_num_layers;
        if num_layers.is_some() && encoder.is_none() {
            *encoder = num_layers;
        }
    });
    d.fill("num_layers", &["encoder_num_layers"], |a| {
        let layers = &mut a.megatron_transformer_configuration.num_layers;
        if layers.is_none() {
            *layers = a.megatron_network_size.encoder_num_layers;
        }
    });
    // Megatron-LM: `if args.ffn_hidden_size is None: if args.swiglu: args.ffn_hidden_size =
    // int((4 * args.hidden_size * 2 / 3) / 64) * 64 else: args.ffn_hidden_size = 4 * args.hidden_size`.
    d.fill("ffn_hidden_size", &["hidden_size", "swiglu"], |a| {
        let swiglu = a.megatron_network_size.swiglu;
        let model = &mut a.megatron_transformer_configuration;
        if let (None, Some(hidden)) = (model.ffn_hidden_size, model.hidden_size) {
            model.ffn_hidden_size = Some(if swiglu { swiglu_ffn_hidden_size(hidden) } else { 4 * hidden });
        }
    });
    // Megatron-LM: `if args.kv_channels is None: assert args.hidden_size % args.num_attention_heads == 0;
    // args.kv_channels = args.hidden_size // args.num_attention_heads` (the assertion: `check_megatron`).
    d.fill("kv_channels", &["hidden_size", "num_attention_heads"], |a| {
        let model = &mut a.megatron_transformer_configuration;
        if let (None, Some(hidden), Some(heads)) =
            (model.kv_channels, model.hidden_size, model.num_attention_heads)
        {
            if heads != 0 && hidden % heads == 0 {
                model.kv_channels = Some(hidden / heads);
            }
        }
    });
    // Megatron-LM: `if args.seq_length is not None: ... args.encoder_seq_length = args.seq_length
    // else: ... args.seq_length = args.encoder_seq_length`.
    d.fill("encoder_seq_length", &["seq_length"], |a| {
        let data = &mut a.megatron_data_and_dataloader;
        if data.seq_length.is_some() && data.encoder_seq_length.is_none() {
            data.encoder_seq_length = data.seq_length;
        }
    });
    d.fill("seq_length", &["encoder_seq_length"], |a| {
        let data = &mut a.megatron_data_and_dataloader;
        if data.seq_length.is_none() {
            data.seq_length = data.encoder_seq_length;
        }
    });
    // Megatron-LM: `if args.weight_decay_incr_style == 'constant': ... args.start_weight_decay =
    // args.weight_decay; args.end_weight_decay = args.weight_decay`.
    for name in ["start_weight_decay", "end_weight_decay"] {
        d.fill(name, &["weight_decay", "weight_decay_incr_style"], |a| {
            let weight_decay = a.megatron_regularization.weight_decay;
            let lr = &mut a.megatron_learning_rate_and_weight_decay;
            if lr.weight_decay_incr_style == WeightDecayIncrStyle::Constant {
                let slot = if name == "start_weight_decay" {
                    &mut lr.start_weight_decay
                } else {
                    &mut lr.end_weight_decay
                };
                slot.get_or_insert(weight_decay);
            }
        });
    }
    // Megatron-LM: `if args.recompute_activations: args.recompute_granularity = 'selective'`.
    d.fill("recompute_granularity", &["recompute_activations"], |a| {
        if a.megatron_training.recompute_activations {
            a.megatron_transformer_configuration.recompute_granularity =
                Some(RecomputeGranularity::Selective);
        }
    });
    // Megatron-LM: `if args.add_bias_linear: args.add_qkv_bias = True`.
    d.fill("add_qkv_bias", &["add_bias_linear"], |a| {
        let model = &mut a.megatron_transformer_configuration;
        if model.add_bias_linear {
            model.add_qkv_bias = true;
        }
    });
    // Megatron-LM: `if args.use_rotary_position_embeddings: args.position_embedding_type = 'rope'`.
    d.fill("position_embedding_type", &["use_rotary_position_embeddings"], |a| {
        let network = &mut a.megatron_network_size;
        if network.use_rotary_position_embeddings {
            network.position_embedding_type = PositionEmbeddingType::Rope;
        }
    });
    // Megatron-LM: `if args.position_embedding_type != 'rope': args.apply_rope_fusion = False`.
    d.fill("apply_rope_fusion", &["position_embedding_type"], |a| {
        if a.megatron_network_size.position_embedding_type != PositionEmbeddingType::Rope {
            a.megatron_training.apply_rope_fusion = false;
        }
    });
    // Megatron-LM: `if args.num_experts is not None and args.moe_ffn_hidden_size is None:
    // args.moe_ffn_hidden_size = args.ffn_hidden_size` (after `num_experts == 0` becomes None).
    d.fill("moe_ffn_hidden_size", &["num_experts", "ffn_hidden_size"], |a| {
        let experts = a.megatron_moe.num_experts.filter(|&n| n != 0);
        let model = &mut a.megatron_transformer_configuration;
        if experts.is_some() && model.moe_ffn_hidden_size.is_none() {
            model.moe_ffn_hidden_size = model.ffn_hidden_size;
        }
    });
}

/// Megatron-LM's SwiGLU width: `int((4 * h * 2 / 3) / 64) * 64`, in floats
/// as Python computes it, truncated toward zero.
fn swiglu_ffn_hidden_size(hidden: i64) -> i64 {
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    let units = ((4 * hidden) as f64 * 2.0 / 3.0 / 64.0) as i64;
    units * 64
}

fn check_slime(c: &mut Checks<'_, TrainArgs>) {
    let a = c.args();
    let (algo, data) = (&a.slime_algo, &a.slime_data);

    // slime: `if args.rollout_temperature <= 0: raise ValueError(...)`.
    if a.slime_rollout.rollout_temperature <= 0.0 {
        c.report(&["rollout_temperature"], "`rollout_temperature` must be > 0")
            .help("temperature 0 is greedy decoding and is not a valid RL policy");
    }

    // slime: `if args.use_opd: if args.opd_type is None: raise ValueError(...)`, then
    // `opd_type == "megatron"` needs `opd_teacher_load`, `"sglang"` refuses it, and
    // without `use_opd` it must not be set. The critic's `use_opd` is forced off by
    // the trainer (SPEC 6.1): its teacher settings are unused, not a mistake.
    let opd = &a.slime_on_policy_distillation;
    if opd.use_opd {
        match opd.opd_type {
            None => {
                c.report(&["use_opd", "opd_type"], "`opd_type` must be specified when `use_opd` is enabled")
                    .help("choose `sglang` or `megatron`");
            }
            Some(OpdType::Megatron) if opd.opd_teacher_load.is_none() => {
                c.report(
                    &["opd_type", "opd_teacher_load"],
                    "`opd_teacher_load` is required when `opd_type` is megatron",
                );
            }
            Some(OpdType::Sglang) if opd.opd_teacher_load.is_some() => {
                c.report(
                    &["opd_type", "opd_teacher_load"],
                    "`opd_teacher_load` should not be set when `opd_type` is sglang",
                )
                .help("in sglang mode, teacher log-probs come from the external server during rollout");
            }
            _ => {}
        }
    } else if opd.opd_teacher_load.is_some() && c.role() != PpoRole::Critic {
        c.report(&["opd_teacher_load", "use_opd"], "`opd_teacher_load` is set but `use_opd` is not enabled");
    }

    // slime: `if args.save_interval is not None: assert args.save is not None`.
    if algo.save_interval.is_some() && algo.save.is_none() {
        c.report(&["save_interval", "save"], "`save` is required when `save_interval` is set");
    }

    // slime: `assert not (args.kl_coef != 0 and args.kl_loss_coef != 0)`.
    if algo.kl_coef != 0.0 && algo.kl_loss_coef != 0.0 {
        c.report(&["kl_coef", "kl_loss_coef"], "only one of `kl_coef` and `kl_loss_coef` can be non-zero")
            .help("set one of them to 0 for this role");
    }

    // slime: `if args.advantage_estimator in ["reinforce_plus_plus", "reinforce_plus_plus_baseline"]:
    // assert args.normalize_advantages`.
    let reinforce = matches!(
        algo.advantage_estimator,
        AdvantageEstimator::ReinforcePlusPlus | AdvantageEstimator::ReinforcePlusPlusBaseline
    );
    if reinforce && !algo.normalize_advantages {
        c.report(
            &["advantage_estimator", "normalize_advantages"],
            "the reinforce_plus_plus advantage estimators require `normalize_advantages`",
        );
    }

    // slime: `if args.use_rollout_logprobs: assert not args.use_tis`.
    if algo.use_rollout_logprobs && algo.use_tis {
        c.report(
            &["use_rollout_logprobs", "use_tis"],
            "`use_rollout_logprobs` and `use_tis` cannot be set at the same time",
        );
    }

    // slime: `if args.get_mismatch_metrics: assert args.custom_tis_function_path is not None`.
    if algo.get_mismatch_metrics && algo.custom_tis_function_path.is_none() {
        c.report(
            &["get_mismatch_metrics", "custom_tis_function_path"],
            "`custom_tis_function_path` must be set when `get_mismatch_metrics` is set",
        );
    }

    // slime: `if args.use_dynamic_batch_size: assert args.max_tokens_per_gpu is not None`.
    if data.use_dynamic_batch_size && data.max_tokens_per_gpu.is_none() {
        c.report(
            &["use_dynamic_batch_size", "max_tokens_per_gpu"],
            "`max_tokens_per_gpu` must be set when `use_dynamic_batch_size` is set",
        );
    }

    // slime: `if getattr(args, "balance_by_flops", False): assert args.use_dynamic_batch_size`.
    if data.balance_by_flops && !data.use_dynamic_batch_size {
        c.report(
            &["balance_by_flops", "use_dynamic_batch_size"],
            "`balance_by_flops` requires `use_dynamic_batch_size`",
        );
    }

    // slime: `if args.save_debug_train_data is not None and args.save_debug_train_data ==
    // args.save_debug_rollout_data: raise ValueError(...)`.
    let debug = &a.slime_debug;
    if debug.save_debug_train_data.is_some() && debug.save_debug_train_data == debug.save_debug_rollout_data {
        c.report(
            &["save_debug_train_data", "save_debug_rollout_data"],
            "`save_debug_train_data` must not be equal to `save_debug_rollout_data`",
        );
    }

    // slime: `assert not (args.debug_rollout_only and args.debug_train_only)`.
    let mode = &a.slime_pre_parse_mode;
    if mode.debug_rollout_only && mode.debug_train_only {
        c.report(
            &["debug_rollout_only", "debug_train_only"],
            "`debug_rollout_only` and `debug_train_only` cannot be set at the same time",
        );
    }

    // slime: `if args.num_steps_per_rollout is not None: ... if args.global_batch_size is not None:
    // assert args.global_batch_size == global_batch_size`.
    if let (Some(expected), Some(given)) = (steps_batch_size(data), data.global_batch_size) {
        if expected != given {
            c.report(
                &["global_batch_size", "rollout_batch_size", "n_samples_per_prompt", "num_steps_per_rollout"],
                format!(
                    "`global_batch_size` {given} is not `rollout_batch_size * n_samples_per_prompt // \
                     num_steps_per_rollout` ({expected})"
                ),
            )
            .help("leave `global_batch_size` unset: it is derived from the three");
        }
    }

    // slime: `assert args.over_sampling_batch_size >= args.rollout_batch_size`.
    if let (Some(over), Some(batch)) = (a.slime_rollout.over_sampling_batch_size, data.rollout_batch_size) {
        if over < batch {
            c.report(
                &["over_sampling_batch_size", "rollout_batch_size"],
                "`over_sampling_batch_size` should be greater than or equal to `rollout_batch_size`",
            );
        }
    }

    // slime: `if args.num_epoch is not None: if args.num_rollout is None: assert args.rollout_global_dataset`.
    if data.num_epoch.is_some() && data.num_rollout.is_none() && !data.rollout_global_dataset {
        c.report(
            &["num_epoch", "rollout_global_dataset"],
            "`num_epoch` is set, but `rollout_global_dataset` is not",
        )
        .help("remove --disable-rollout-global-dataset to use `num_epoch`, or set `num_rollout`");
    }

    // slime: `if args.enable_mtp_training: assert args.mtp_num_layers`.
    let mtp = &a.slime_mtp_training;
    if mtp.enable_mtp_training && mtp.mtp_num_layers.unwrap_or(0) == 0 {
        c.report(
            &["enable_mtp_training", "mtp_num_layers"],
            "`mtp_num_layers` must be set when `enable_mtp_training` is set",
        );
    }

    // slime: `assert args.rollout_max_prompt_len <= args.rollout_max_context_len - 1`.
    let rollout = &a.slime_rollout;
    if let (Some(prompt), Some(context)) = (rollout.rollout_max_prompt_len, rollout.rollout_max_context_len) {
        if prompt > context - 1 {
            c.report(
                &["rollout_max_prompt_len", "rollout_max_context_len"],
                "`rollout_max_prompt_len` must be smaller than `rollout_max_context_len`",
            )
            .help("at least one generated token is needed to compute the loss");
        }
    }

    // slime: `if args.only_train_params_name_list and args.freeze_params_name_list: raise ValueError(...)`.
    let train = &a.slime_train;
    let non_empty = |list: &Option<Vec<String>>| list.as_ref().is_some_and(|l| !l.is_empty());
    if non_empty(&train.only_train_params_name_list) && non_empty(&train.freeze_params_name_list) {
        c.report(
            &["only_train_params_name_list", "freeze_params_name_list"],
            "only one of `only_train_params_name_list` and `freeze_params_name_list` can be set",
        );
    }

    // slime: `if args.update_weight_transport == "disk" and not args.update_weight_disk_dir: raise ValueError(...)`.
    let empty = |path: &Option<String>| path.as_deref().unwrap_or("").is_empty();
    if train.update_weight_transport == UpdateWeightTransport::Disk && empty(&train.update_weight_disk_dir) {
        c.report(
            &["update_weight_transport", "update_weight_disk_dir"],
            "`update_weight_transport` disk requires `update_weight_disk_dir`",
        )
        .help("point it at a filesystem shared between the trainer and the rollout engines");
    }

    // slime: `if args.release_train:` the Megatron backend, no critic, no `keep_old_actor`, a `save`,
    // and `update_weight_mode == "full"` with `update_weight_transport == "disk"`.
    if train.release_train {
        if mode.train_backend != TrainBackend::Megatron {
            c.report(
                &["release_train", "train_backend"],
                "`release_train` is only supported with the Megatron train backend",
            );
        }
        if algo.use_critic {
            c.report(
                &["release_train", "use_critic"],
                "`release_train` does not support critic training yet",
            );
        }
        if rollout.keep_old_actor {
            c.report(
                &["release_train", "keep_old_actor"],
                "`release_train` does not support `keep_old_actor`",
            );
        }
        if algo.save.is_none() {
            c.report(&["release_train", "save"], "`release_train` requires `save`")
                .help("the next Megatron actor reloads from it");
        }
        if train.update_weight_mode != UpdateWeightMode::Full
            || train.update_weight_transport != UpdateWeightTransport::Disk
        {
            c.report(
                &["release_train", "update_weight_mode", "update_weight_transport"],
                "`release_train` requires `update_weight_mode` full and `update_weight_transport` disk",
            );
        }
    }

    // slime: `if args.update_weight_mode == "delta":` transport disk, no `colocate`, and
    // `update_weight_local_checkpoint_dir`.
    if train.update_weight_mode == UpdateWeightMode::Delta {
        if train.update_weight_transport != UpdateWeightTransport::Disk {
            c.report(
                &["update_weight_mode", "update_weight_transport"],
                "`update_weight_mode` delta requires `update_weight_transport` disk",
            );
        }
        if a.slime_cluster.colocate {
            c.report(
                &["update_weight_mode", "colocate"],
                "`update_weight_mode` delta is not supported with `colocate`",
            );
        }
        if empty(&train.update_weight_local_checkpoint_dir) {
            c.report(
                &["update_weight_mode", "update_weight_local_checkpoint_dir"],
                "`update_weight_mode` delta requires `update_weight_local_checkpoint_dir`",
            );
        }
    }
}

fn check_megatron(c: &mut Checks<'_, TrainArgs>) {
    let a = c.args();
    let training = &a.megatron_training;
    let lr = &a.megatron_learning_rate_and_weight_decay;
    let model = &a.megatron_transformer_configuration;

    // Megatron-LM: `if args.train_iters:` (iteration-based training) no sample-based options, and
    // `if args.lr_warmup_fraction is not None: assert args.lr_warmup_iters == 0`.
    if training.train_iters.unwrap_or(0) != 0 {
        if training.train_samples.is_some() {
            c.report(
                &["train_iters", "train_samples"],
                "expected iteration-based training: `train_samples` is set",
            );
        }
        if lr.lr_decay_samples.is_some() {
            c.report(&["train_iters", "lr_decay_samples"], "expected iteration-based learning rate decay");
        }
        if lr.lr_warmup_samples != 0 {
            c.report(&["train_iters", "lr_warmup_samples"], "expected iteration-based learning rate warmup");
        }
        if training.rampup_batch_size.is_some() {
            c.report(
                &["train_iters", "rampup_batch_size"],
                "expected no batch-size rampup for iteration-based training",
            );
        }
        if lr.lr_warmup_fraction.is_some() && lr.lr_warmup_iters != 0 {
            c.report(
                &["lr_warmup_fraction", "lr_warmup_iters"],
                "can only specify one of `lr_warmup_fraction` and `lr_warmup_iters`",
            );
        }
    }
    // Megatron-LM: `if args.train_samples:` (sample-based training) no iteration-based options, and
    // `if args.lr_warmup_fraction is not None: assert args.lr_warmup_samples == 0`.
    if training.train_samples.unwrap_or(0) != 0 {
        if training.train_iters.is_some() {
            c.report(
                &["train_samples", "train_iters"],
                "expected sample-based training: `train_iters` is set",
            );
        }
        if lr.lr_decay_iters.is_some() {
            c.report(&["train_samples", "lr_decay_iters"], "expected sample-based learning rate decay");
        }
        if lr.lr_warmup_iters != 0 {
            c.report(&["train_samples", "lr_warmup_iters"], "expected sample-based learning rate warmup");
        }
        if lr.lr_warmup_fraction.is_some() && lr.lr_warmup_samples != 0 {
            c.report(
                &["lr_warmup_fraction", "lr_warmup_samples"],
                "can only specify one of `lr_warmup_fraction` and `lr_warmup_samples`",
            );
        }
    }

    // Megatron-LM: `if args.num_layers is not None: assert args.encoder_num_layers is None` (written
    // on the derived values: both given, and different).
    let network = &a.megatron_network_size;
    if model.num_layers.is_some()
        && network.encoder_num_layers.is_some()
        && model.num_layers != network.encoder_num_layers
    {
        c.report(
            &["num_layers", "encoder_num_layers"],
            "cannot have both `num_layers` and `encoder_num_layers` specified",
        );
    }

    // Megatron-LM: `if args.kv_channels is None: assert args.hidden_size % args.num_attention_heads == 0`
    // (the derivation fills `kv_channels` only when it divides).
    if let (None, Some(hidden), Some(heads)) =
        (model.kv_channels, model.hidden_size, model.num_attention_heads)
    {
        if heads == 0 || hidden % heads != 0 {
            c.report(
                &["hidden_size", "num_attention_heads"],
                "`hidden_size` must be divisible by `num_attention_heads` when `kv_channels` is not given",
            )
            .help("set `kv_channels`, or make `hidden_size` a multiple of `num_attention_heads`");
        }
    }

    // Megatron-LM: `if args.seq_length is not None and args.context_parallel_size > 1:
    // assert args.seq_length % (args.context_parallel_size * 2) == 0`.
    let data = &a.megatron_data_and_dataloader;
    let cp = model.context_parallel_size;
    if let Some(seq) = data.seq_length {
        if cp > 1 && seq % (cp * 2) != 0 {
            c.report(
                &["seq_length", "context_parallel_size"],
                "`seq_length` should be a multiple of 2 * `context_parallel_size` if `context_parallel_size` > 1",
            );
        }
    }
    // Megatron-LM: `if args.seq_length is not None: assert args.encoder_seq_length is None` (on the
    // derived values: both given, and different).
    if data.seq_length.is_some()
        && data.encoder_seq_length.is_some()
        && data.seq_length != data.encoder_seq_length
    {
        c.report(
            &["seq_length", "encoder_seq_length"],
            "cannot have both `seq_length` and `encoder_seq_length` specified",
        );
    }
    // Megatron-LM: `assert args.max_position_embeddings >= args.seq_length` and
    // `assert args.max_position_embeddings >= args.decoder_seq_length`.
    if let Some(max) = network.max_position_embeddings {
        for (name, length) in
            [("seq_length", data.seq_length), ("decoder_seq_length", data.decoder_seq_length)]
        {
            if length.is_some_and(|length| max < length) {
                c.report(
                    &["max_position_embeddings", name],
                    format!("`max_position_embeddings` must be greater than or equal to `{name}`"),
                );
            }
        }
    }

    // Megatron-LM: `if args.lr is not None: assert args.min_lr <= args.lr`.
    if lr.min_lr > a.slime_algo.lr {
        c.report(&["min_lr", "lr"], "`min_lr` must not be greater than `lr`");
    }

    // Megatron-LM: `if args.save is not None: ... assert args.save_interval > 0; if
    // args.save_retain_interval is not None: assert args.save_retain_interval > 0; assert
    // args.save_retain_interval % args.save_interval == 0` (its `assert args.save_interval is not
    // None` is left out: see the README).
    let algo = &a.slime_algo;
    let checkpointing = &a.megatron_checkpointing;
    if let (Some(_), Some(interval)) = (&algo.save, algo.save_interval) {
        if interval <= 0 {
            c.report(&["save_interval", "save"], "`save_interval` must be > 0");
        } else if let Some(retain) = checkpointing.save_retain_interval {
            if retain <= 0 || retain % interval != 0 {
                c.report(
                    &["save_retain_interval", "save_interval"],
                    "`save_retain_interval` must be a positive multiple of `save_interval`",
                );
            }
        }
    }

    // Megatron-LM: `if args.log_memory_interval is not None: assert args.log_memory_interval %
    // args.log_interval == 0`.
    let logging = &a.megatron_logging;
    if let Some(memory) = logging.log_memory_interval {
        if logging.log_interval == 0 || memory % logging.log_interval != 0 {
            c.report(
                &["log_memory_interval", "log_interval"],
                "`log_memory_interval` must be a multiple of `log_interval`",
            );
        }
    }

    // Megatron-LM: `if args.fp16_lm_cross_entropy: assert args.fp16`.
    if a.megatron_mixed_precision.fp16_lm_cross_entropy && !model.fp16 {
        c.report(
            &["fp16_lm_cross_entropy", "fp16"],
            "lm cross entropy in fp16 is only supported in fp16 mode",
        );
    }

    // Megatron-LM: `if args.weight_decay_incr_style == 'constant': assert args.start_weight_decay is
    // None; assert args.end_weight_decay is None` (on the derived values: each equals `weight_decay`)
    // `else: assert args.start_weight_decay is not None; assert args.end_weight_decay is not None`.
    let weight_decay = a.megatron_regularization.weight_decay;
    for (name, value) in
        [("start_weight_decay", lr.start_weight_decay), ("end_weight_decay", lr.end_weight_decay)]
    {
        match lr.weight_decay_incr_style {
            WeightDecayIncrStyle::Constant if value.is_some_and(|v| v != weight_decay) => {
                c.report(
                    &[name, "weight_decay_incr_style", "weight_decay"],
                    format!("`{name}` is for a varying weight decay; with `weight_decay_incr_style` constant it is `weight_decay`"),
                );
            }
            WeightDecayIncrStyle::Linear | WeightDecayIncrStyle::Cosine if value.is_none() => {
                c.report(
                    &[name, "weight_decay_incr_style"],
                    format!("`{name}` is required when `weight_decay_incr_style` is not constant"),
                );
            }
            _ => {}
        }
    }

    // Megatron-LM: `if args.distribute_saved_activations: assert args.tensor_model_parallel_size > 1;
    // assert args.recompute_granularity == 'full'; assert args.recompute_method is not None`.
    if model.distribute_saved_activations {
        if model.tensor_model_parallel_size <= 1 {
            c.report(
                &["distribute_saved_activations", "tensor_model_parallel_size"],
                "`distribute_saved_activations` needs `tensor_model_parallel_size` > 1",
            );
        }
        if model.recompute_granularity != Some(RecomputeGranularity::Full) {
            c.report(
                &["distribute_saved_activations", "recompute_granularity"],
                "`distribute_saved_activations` is for `recompute_granularity` full only",
            );
        }
        if model.recompute_method.is_none() {
            c.report(
                &["distribute_saved_activations", "recompute_method"],
                "`distribute_saved_activations` needs a `recompute_method`",
            );
        }
    }
    // Megatron-LM: `if args.recompute_granularity == 'selective': assert args.recompute_method is None`.
    if model.recompute_granularity == Some(RecomputeGranularity::Selective)
        && model.recompute_method.is_some()
    {
        c.report(
            &["recompute_granularity", "recompute_method"],
            "`recompute_method` is not allowed with `recompute_granularity` selective",
        );
    }

    // Megatron-LM: `if args.tp_comm_overlap: assert args.sequence_parallel == True`.
    if model.tp_comm_overlap && !model.sequence_parallel {
        c.report(
            &["tp_comm_overlap", "sequence_parallel"],
            "tensor parallel communication/GEMM overlap needs `sequence_parallel`",
        );
    }

    // Megatron-LM: `if args.expert_model_parallel_size > 1: assert args.num_experts is not None;
    // assert args.num_experts % args.expert_model_parallel_size == 0`.
    let ep = model.expert_model_parallel_size;
    if ep > 1 {
        match a.megatron_moe.num_experts {
            None | Some(0) => {
                c.report(
                    &["num_experts", "expert_model_parallel_size"],
                    "`num_experts` must be set to use expert model parallelism",
                );
            }
            Some(experts) if experts % ep != 0 => {
                c.report(
                    &["num_experts", "expert_model_parallel_size"],
                    "`num_experts` must be divisible by `expert_model_parallel_size`",
                );
            }
            _ => {}
        }
    }

    // Megatron-LM: `if args.qk_clip: ... assert 0.0 < args.qk_clip_alpha < 1.0; assert
    // args.qk_clip_threshold > 0` (its Transformer Engine version check is left out).
    if model.qk_clip {
        if !(model.qk_clip_alpha > 0.0 && model.qk_clip_alpha < 1.0) {
            c.report(&["qk_clip_alpha", "qk_clip"], "`qk_clip_alpha` must be between 0 and 1 with `qk_clip`");
        }
        if model.qk_clip_threshold <= 0.0 {
            c.report(&["qk_clip_threshold", "qk_clip"], "`qk_clip_threshold` must be > 0 with `qk_clip`");
        }
    }

    // Megatron-LM: `if args.position_embedding_type == "mrope": assert args.mrope_section is not None`.
    if network.position_embedding_type == PositionEmbeddingType::Mrope && model.mrope_section.is_none() {
        c.report(
            &["position_embedding_type", "mrope_section"],
            "`mrope_section` should be set when `position_embedding_type` is mrope",
        );
    }

    // Megatron-LM: `if args.overlap_param_gather: assert args.use_distributed_optimizer or
    // args.use_megatron_fsdp; assert args.overlap_grad_reduce` (slime always sets
    // `use_distributed_optimizer`, so only the second can fail).
    let distributed = &a.megatron_distributed;
    if distributed.overlap_param_gather && !distributed.overlap_grad_reduce {
        c.report(
            &["overlap_param_gather", "overlap_grad_reduce"],
            "`overlap_param_gather` only works with `overlap_grad_reduce`",
        );
    }
}
