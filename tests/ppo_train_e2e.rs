//! End-to-end tests of the example trainer (`examples/ppo_train.rs`): each
//! test runs the built example as a user would, as a real process in a
//! temporary folder with real files, and checks its stdout, stderr and exit
//! status (SPEC section 6).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value as Json;

mod example_run;

use example_run::{
    folder_with_config, usage_with, Run, PPO_SAMPLE_CONFIG as SAMPLE_CONFIG, PPO_USAGE as USAGE,
};

fn example_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| example_run::build_example("ppo_train"))
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    Run::of(example_binary(), dir, args)
}

fn line(text: &str) -> String {
    text.to_string()
}

#[test]
fn usage_command_with_sample_config_shows_each_roles_changes_with_file_lines() {
    let dir = folder_with_config(SAMPLE_CONFIG);
    let run = run_in(dir.path(), USAGE);

    assert_eq!(run.status, Some(0), "stderr:\n{}", run.stderr);
    assert!(run.stderr.is_empty(), "unexpected stderr:\n{}", run.stderr);
    assert!(run.text_lines().contains(&line("role config: megatron_ppo.yaml")), "{}", run.stdout);
    // The actor's lr in the file equals the command line's, so only its save differs.
    assert_eq!(
        run.role_section("actor"),
        ["actor: 1 argument differs from the command line", "save = /ckpt/actor (from megatron_ppo.yaml:9)",]
    );
    assert_eq!(
        run.role_section("critic"),
        [
            "critic: 3 arguments differ from the command line",
            "lr = 1e-5 (from megatron_ppo.yaml:13)",
            "save = /ckpt/critic (from megatron_ppo.yaml:14)",
            "untie_embeddings_and_output_weights = true (role forced)",
        ]
    );
    assert!(!run.stdout.contains("warning"), "the sample config should resolve cleanly:\n{}", run.stdout);
}

#[test]
fn usage_command_with_sample_config_as_json_gives_every_argument_of_both_roles() {
    let dir = folder_with_config(SAMPLE_CONFIG);
    let out = run_in(dir.path(), &usage_with(&["--kl-coef", "0.05", "--format", "json"])).json();

    let roles = out["roles"].as_object().expect("`roles` is an object");
    assert_eq!(roles.keys().collect::<Vec<_>>(), ["actor", "critic"]);
    let (actor, critic) = (&out["roles"]["actor"], &out["roles"]["critic"]);

    assert_eq!(actor["lr"], 1e-6);
    assert_eq!(critic["lr"], 1e-5);
    assert_eq!(actor["save"], "/ckpt/actor");
    assert_eq!(critic["save"], "/ckpt/critic");
    assert_eq!(actor["kl_coef"], 0.05);
    assert_eq!(critic["kl_coef"], 0.0, "the critic's kl_coef is forced to 0");
    assert_eq!(actor["untie_embeddings_and_output_weights"], false);
    assert_eq!(critic["untie_embeddings_and_output_weights"], true);
    for role in [actor, critic] {
        assert_eq!(role["advantage_estimator"], "ppo");
        assert_eq!(role["use_critic"], true);
        assert_eq!(role["megatron_config_path"], "megatron_ppo.yaml");
        assert_eq!(role["tensor_model_parallel_size"], 2);
        assert_eq!(role["sequence_parallel"], true);
        assert_eq!(role["pipeline_model_parallel_size"], 1);
        assert_eq!(role["context_parallel_size"], 1);
        assert_eq!(role["expert_model_parallel_size"], 1);
        assert_eq!(role["expert_tensor_parallel_size"], 1);
        assert_eq!(role["actor_num_nodes"], 1);
        assert_eq!(role["actor_num_gpus_per_node"], 8);
        assert_eq!(role["critic_num_nodes"], 1);
        assert_eq!(role["critic_num_gpus_per_node"], 8);
        // Upstream defaults: None is null, choices keep their upstream spelling.
        assert_eq!(role["load"], Json::Null);
        assert_eq!(role["lr_decay_iters"], Json::Null);
        assert_eq!(role["lr_decay_style"], "linear");
        assert_eq!(role["optimizer"], "adam");
        assert_eq!(role["opd_type"], Json::Null);
        assert_eq!(role["eps_clip"], 0.2);
        assert_eq!(role["value_clip"], 0.2);
        assert_eq!(role["weight_decay"], 0.01);
        assert_eq!(role["adam_beta2"], 0.999);
        assert_eq!(role["micro_batch_size"], 1);
        assert_eq!(role["seed"], 1234);
    }
    assert_eq!(out["diagnostics"], serde_json::json!([]));
}

#[test]
fn json_roles_carry_every_spec_argument_name() {
    let dir = folder_with_config(SAMPLE_CONFIG);
    let out = run_in(dir.path(), &usage_with(&["--format", "json"])).json();
    let names = [
        "lr",
        "min_lr",
        "lr_warmup_iters",
        "lr_decay_iters",
        "lr_decay_style",
        "weight_decay",
        "adam_beta1",
        "adam_beta2",
        "optimizer",
        "clip_grad",
        "load",
        "save",
        "save_interval",
        "ref_load",
        "kl_coef",
        "use_kl_loss",
        "use_opd",
        "opd_type",
        "custom_advantage_function_path",
        "untie_embeddings_and_output_weights",
        "disable_param_buffers_cpu_backup",
        "num_critic_only_steps",
        "eps_clip",
        "value_clip",
        "use_critic",
        "advantage_estimator",
        "megatron_config_path",
        "tensor_model_parallel_size",
        "pipeline_model_parallel_size",
        "context_parallel_size",
        "expert_model_parallel_size",
        "expert_tensor_parallel_size",
        "sequence_parallel",
        "actor_num_nodes",
        "actor_num_gpus_per_node",
        "critic_num_nodes",
        "critic_num_gpus_per_node",
    ];
    for role in ["actor", "critic"] {
        let args = out["roles"][role].as_object().unwrap_or_else(|| panic!("no object for `{role}`"));
        let missing: Vec<_> = names.iter().filter(|n| !args.contains_key(**n)).collect();
        assert!(missing.is_empty(), "role `{role}` lacks {missing:?}");
    }
    let actor_keys: Vec<_> = out["roles"]["actor"].as_object().unwrap().keys().collect();
    let critic_keys: Vec<_> = out["roles"]["critic"].as_object().unwrap().keys().collect();
    assert_eq!(actor_keys, critic_keys, "both roles list the same arguments in the same order");
}

#[test]
fn only_critic_file_leaves_actor_on_the_command_line() {
    let dir = folder_with_config(
        "megatron:\n  - name: default\n    role: critic\n    overrides:\n      lr: 2e-5\n      lr_decay_style: cosine\n",
    );
    let text = run_in(dir.path(), &usage_with(&["--lr", "3e-6"]));
    assert_eq!(text.status, Some(0), "stderr:\n{}", text.stderr);
    assert_eq!(text.role_section("actor"), ["actor: same as the command line"]);
    assert_eq!(
        text.role_section("critic"),
        [
            "critic: 3 arguments differ from the command line",
            "lr = 2e-5 (from megatron_ppo.yaml:5)",
            "lr_decay_style = cosine (from megatron_ppo.yaml:6)",
            "untie_embeddings_and_output_weights = true (role forced)",
        ]
    );

    let out = run_in(dir.path(), &usage_with(&["--lr", "3e-6", "--format", "json"])).json();
    assert_eq!(out["roles"]["actor"]["lr"], 3e-6);
    assert_eq!(out["roles"]["actor"]["lr_decay_style"], "linear");
    assert_eq!(out["roles"]["critic"]["lr"], 2e-5);
    assert_eq!(out["roles"]["critic"]["lr_decay_style"], "cosine");
}

#[test]
fn topology_divergence_is_rejected_naming_the_field_and_both_roles() {
    let dir = folder_with_config(
        "megatron:\n  - role: actor\n    overrides:\n      lr: 1e-6\n  - role: critic\n    overrides:\n      tensor_model_parallel_size: 4\n",
    );
    let run = run_in(dir.path(), USAGE);
    run.assert_rejected();
    assert!(
        run.stderr.contains("error: roles disagree on the topology argument `tensor_model_parallel_size`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--> megatron_ppo.yaml:7:35"), "{}", run.stderr);
    assert!(run.stderr.contains("actor: 2 (command line)"), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "7 |       tensor_model_parallel_size: 4\n  |                                   ^ critic: 4"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--tensor-model-parallel-size"), "the help names the flag:\n{}", run.stderr);
}

#[test]
fn topology_override_that_agrees_across_roles_is_accepted_with_a_warning() {
    let dir = folder_with_config(
        "megatron:\n  - role: actor\n    overrides:\n      context_parallel_size: 2\n  - role: critic\n    overrides:\n      context_parallel_size: 2\n",
    );
    let out = run_in(dir.path(), &usage_with(&["--format", "json"])).json();
    assert_eq!(out["roles"]["actor"]["context_parallel_size"], 2);
    assert_eq!(out["roles"]["critic"]["context_parallel_size"], 2);
    let diagnostics = out["diagnostics"].as_array().expect("diagnostics is a list");
    assert_eq!(diagnostics.len(), 2, "one warning per overriding entry: {diagnostics:?}");
    for d in diagnostics {
        assert_eq!(d["level"], "warning");
        assert!(d["message"].as_str().unwrap().contains("context_parallel_size"), "{d}");
    }
}

#[test]
fn placement_key_in_file_is_ignored_with_a_located_warning() {
    let dir = folder_with_config(
        "megatron:\n  - role: critic\n    overrides:\n      lr: 1e-5\n      critic_num_gpus_per_node: 4\n",
    );
    let out = run_in(dir.path(), &usage_with(&["--format", "json"])).json();
    assert_eq!(out["roles"]["critic"]["critic_num_gpus_per_node"], 8, "placement follows the command line");
    assert_eq!(out["roles"]["critic"]["lr"], 1e-5, "the rest of the entry still applies");
    let diagnostics = out["diagnostics"].as_array().expect("diagnostics is a list");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let warning = &diagnostics[0];
    assert_eq!(warning["level"], "warning");
    assert_eq!(warning["location"], "megatron_ppo.yaml:5:7");
    let message = warning["message"].as_str().expect("message is a string");
    assert!(message.contains("critic_num_gpus_per_node") && message.contains("placement"), "{message}");
    assert_eq!(warning.as_object().unwrap().len(), 3, "exactly level, message, location: {warning}");

    let text = run_in(dir.path(), USAGE);
    assert_eq!(text.status, Some(0), "stderr:\n{}", text.stderr);
    assert!(
        text.stdout.contains("warning: `critic_num_gpus_per_node` is a placement argument"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("--> megatron_ppo.yaml:5:7"), "{}", text.stdout);
    assert!(
        text.stdout.contains("      critic_num_gpus_per_node: 4"),
        "the source line is shown:\n{}",
        text.stdout
    );
}

#[test]
fn critic_specialization_applies_without_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let flags = [
        "--use-critic",
        "--kl-coef",
        "0.1",
        "--use-opd",
        // slime refuses `--use-opd` without a teacher (SPEC 6.7).
        "--opd-type",
        "sglang",
        "--custom-advantage-function-path",
        "my_pkg.advantage",
        "--disable-param-buffers-cpu-backup",
    ];
    let out = run_in(dir.path(), &[&flags[..], &["--format", "json"]].concat()).json();
    let (actor, critic) = (&out["roles"]["actor"], &out["roles"]["critic"]);
    assert_eq!(actor["kl_coef"], 0.1);
    assert_eq!(actor["use_opd"], true);
    assert_eq!(actor["custom_advantage_function_path"], "my_pkg.advantage");
    assert_eq!(actor["untie_embeddings_and_output_weights"], false);
    assert_eq!(actor["disable_param_buffers_cpu_backup"], true);
    assert_eq!(critic["kl_coef"], 0.0);
    assert_eq!(critic["use_opd"], false);
    assert_eq!(critic["custom_advantage_function_path"], Json::Null);
    assert_eq!(critic["untie_embeddings_and_output_weights"], true);
    assert_eq!(critic["disable_param_buffers_cpu_backup"], false);
    assert_eq!(actor["megatron_config_path"], Json::Null);

    let text = run_in(dir.path(), &flags);
    assert_eq!(text.role_section("actor"), ["actor: same as the command line"]);
    assert_eq!(
        text.role_section("critic"),
        [
            // In declaration order: slime's groups (algo, on-policy distillation, train), then
            // Megatron-LM's (network size).
            "critic: 5 arguments differ from the command line",
            "custom_advantage_function_path = null (role forced)",
            "kl_coef = 0.0 (role forced)",
            "use_opd = false (role forced)",
            "disable_param_buffers_cpu_backup = false (role default)",
            "untie_embeddings_and_output_weights = true (role forced)",
        ]
    );
}

#[test]
fn critic_file_may_change_a_role_default_but_forced_values_stay() {
    let dir = folder_with_config(
        "megatron:\n  - role: critic\n    overrides:\n      lr: 1e-5\n      disable_param_buffers_cpu_backup: true\n",
    );
    let args = usage_with(&["--kl-coef", "0.1", "--disable-param-buffers-cpu-backup"]);
    let out = run_in(dir.path(), &[&args[..], &["--format", "json"]].concat()).json();
    let critic = &out["roles"]["critic"];
    assert_eq!(critic["disable_param_buffers_cpu_backup"], true, "the file overrides the role default");
    assert_eq!(critic["kl_coef"], 0.0, "forced even with a file");
    assert_eq!(critic["untie_embeddings_and_output_weights"], true);
    assert_eq!(out["roles"]["actor"]["kl_coef"], 0.1);

    let text = run_in(dir.path(), &args);
    let critic = text.role_section("critic");
    assert!(critic.contains(&line("lr = 1e-5 (from megatron_ppo.yaml:4)")), "{critic:?}");
    assert!(critic.contains(&line("kl_coef = 0.0 (role forced)")), "{critic:?}");
    assert!(
        !critic.iter().any(|l| l.starts_with("disable_param_buffers_cpu_backup")),
        "the file restored the command line's value, so it does not differ: {critic:?}"
    );
}

#[test]
fn file_overriding_a_forced_critic_value_is_rejected() {
    let dir = folder_with_config("megatron:\n  - role: critic\n    overrides:\n      kl_coef: 0.1\n");
    let run = run_in(dir.path(), USAGE);
    run.assert_rejected();
    assert!(run.stderr.contains("`kl_coef` is fixed for role `critic`"), "{}", run.stderr);
    assert!(run.stderr.contains("--> megatron_ppo.yaml:4:7"), "{}", run.stderr);
}

#[test]
fn critic_is_absent_without_use_critic() {
    let dir = folder_with_config(SAMPLE_CONFIG);
    let args = ["--megatron-config-path", "megatron_ppo.yaml"];
    let out = run_in(dir.path(), &[&args[..], &["--format", "json"]].concat()).json();
    let roles = out["roles"].as_object().expect("`roles` is an object");
    assert_eq!(roles.keys().collect::<Vec<_>>(), ["actor"]);
    assert_eq!(out["roles"]["actor"]["save"], "/ckpt/actor");
    assert_eq!(out["roles"]["actor"]["use_critic"], false);

    let text = run_in(dir.path(), &args);
    assert!(text.text_lines().iter().any(|l| l.starts_with("actor:")), "{}", text.stdout);
    assert!(!text.text_lines().iter().any(|l| l.starts_with("critic:")), "{}", text.stdout);
}

#[test]
fn bad_file_exits_2_with_every_problem_located_on_its_source_line() {
    let dir = folder_with_config(
        "megatron:\n  - role: critic\n    overrides:\n      lr: fast\n      use_critic: true\n",
    );
    let run = run_in(dir.path(), USAGE);
    run.assert_rejected();
    let stderr = &run.stderr;
    assert!(stderr.contains("invalid value for `megatron[0].overrides.lr`"), "{stderr}");
    assert!(stderr.contains("--> megatron_ppo.yaml:4:11"), "{stderr}");
    assert!(stderr.contains("4 |       lr: fast"), "the offending line is shown:\n{stderr}");
    assert!(stderr.contains("`use_critic` is shared"), "{stderr}");
    assert!(stderr.contains("--> megatron_ppo.yaml:5:7"), "{stderr}");
    assert!(stderr.contains("error: 2 problems found"), "{stderr}");
}

#[test]
fn misspelled_entry_key_and_role_get_suggestions() {
    let dir = folder_with_config("megatron:\n  - role: critc\n    overides:\n      lr: 1e-5\n");
    let run = run_in(dir.path(), USAGE);
    run.assert_rejected();
    assert!(run.stderr.contains("did you mean `overrides`?"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `critic`?"), "{}", run.stderr);
    assert!(run.stderr.contains("2 |   - role: critc"), "{}", run.stderr);
}

#[test]
fn missing_config_file_exits_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), USAGE);
    run.assert_rejected();
    assert!(run.stderr.contains("megatron_ppo.yaml"), "{}", run.stderr);
}

#[test]
fn bad_command_line_exits_2_with_clap_message() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["--lr", "fast"]);
    run.assert_rejected();
    assert!(run.stderr.contains("--lr"), "{}", run.stderr);

    let run = run_in(dir.path(), &["--lr-decay-style", "cosin"]);
    run.assert_rejected();
    assert!(run.stderr.contains("cosine"), "the valid spellings are listed:\n{}", run.stderr);

    let run = run_in(dir.path(), &["--no-such-flag"]);
    run.assert_rejected();
}

#[test]
fn help_prints_field_docs_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["--help"]);
    assert_eq!(run.status, Some(0));
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(run.stdout.contains("--megatron-config-path"), "{}", run.stdout);
    assert!(run.stdout.contains("Initial learning rate"), "field docs are the help text:\n{}", run.stdout);
    assert!(run.stdout.contains("--format"), "{}", run.stdout);
}

/// Runs the example with only the colour variables of `env` set.
fn run_with_colour_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = std::process::Command::new(example_binary());
    command.args(args).current_dir(dir);
    for var in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM"] {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    let output = command.output().expect("cannot run the example");
    Run {
        status: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

#[test]
fn color_flag_and_environment_decide_whether_reports_are_coloured() {
    let dir = folder_with_config("megatron:\n  - role: actor\n    overrides:\n      lrr: 1e-6\n");
    let with = |flag: &'static str, env: &[(&str, &str)]| {
        let run = run_with_colour_env(dir.path(), &usage_with(&["--color", flag]), env);
        run.assert_rejected();
        assert!(run.stderr.contains("unknown argument `lrr`"), "{}", run.stderr);
        run.stderr.contains('\u{1b}')
    };
    // stderr is a pipe here: `auto` colours only when forced.
    assert!(!with("auto", &[]), "auto on a pipe has no colour");
    assert!(with("auto", &[("CLICOLOR_FORCE", "1")]), "CLICOLOR_FORCE forces colour");
    assert!(!with("auto", &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]), "NO_COLOR wins");
    assert!(with("always", &[("NO_COLOR", "1")]), "--color always overrides the environment");
    assert!(!with("never", &[("CLICOLOR_FORCE", "1")]), "--color never overrides the environment");
    let plain = run_with_colour_env(dir.path(), USAGE, &[]);
    let coloured = run_with_colour_env(dir.path(), &usage_with(&["--color", "always"]), &[]);
    assert_eq!(strip_ansi(&coloured.stderr), plain.stderr, "colour changes nothing but the colour");
}

/// `text` without ANSI escape sequences (`ESC [ ... m`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().find(|&c| c == 'm');
        } else {
            out.push(c);
        }
    }
    out
}

/// The README's `text` block that follows the paragraph ending in `intro`.
fn readme_block(intro: &str) -> &'static str {
    let readme = include_str!("../README.md");
    let after = readme
        .split_once(&format!("{intro}\n\n```text\n"))
        .unwrap_or_else(|| panic!("the README has a text block after {intro:?}"))
        .1;
    after.split_once("```").expect("the block ends").0
}

#[test]
fn readme_sources_output_is_what_the_trainer_prints() {
    let shown = readme_block("prints, per role, where each value came from:");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("examples")).unwrap();
    std::fs::write(dir.path().join("examples/megatron_ppo.yaml"), SAMPLE_CONFIG).unwrap();
    let args = [
        "--advantage-estimator",
        "ppo",
        "--megatron-config-path",
        "examples/megatron_ppo.yaml",
        "--megatron-override",
        "critic.lr=2e-5",
        "--megatron-override",
        "actor.wandb_key=fedcba9876543210",
    ];
    let run = Run::with_env(example_binary(), dir.path(), &args, &[("WANDB_API_KEY", "0123456789abcdef")]);
    run.assert_ok();
    assert_eq!(run.stdout, shown, "README.md's sources output is out of date");
    assert!(!run.stdout.contains("0123456789abcdef") && !run.stdout.contains("fedcba9876543210"));

    // `--format json` masks the secrets too, and says where each value came from.
    let json = Run::with_env(
        example_binary(),
        dir.path(),
        &[&args[..], &["--format", "json"]].concat(),
        &[("WANDB_API_KEY", "0123456789abcdef")],
    )
    .json();
    assert_eq!(json["roles"]["actor"]["wandb_key"], "<secret>");
    assert_eq!(json["roles"]["critic"]["wandb_key"], "<secret>");
    assert_eq!(json["provenance"]["critic"]["wandb_key"], "environment variable WANDB_API_KEY");
    assert_eq!(json["provenance"]["critic"]["lr"], "command line:1:117");
    assert_eq!(json["provenance"]["critic"]["advantage_estimator"], "command line");
    assert!(!json.to_string().contains("0123456789abcdef") && !json.to_string().contains("fedcba9876543210"));

    // The launch writes the real values, the role's own; never the program's flag.
    for (role, key) in [("actor", "fedcba9876543210"), ("critic", "0123456789abcdef")] {
        let run = Run::with_env(
            example_binary(),
            dir.path(),
            &[&args[..], &["--print-argv", role]].concat(),
            &[("WANDB_API_KEY", "0123456789abcdef")],
        );
        run.assert_ok();
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert!(lines.windows(2).any(|w| w == ["--wandb-key", key]), "{role}: {lines:?}");
        assert!(!run.stdout.contains("megatron-override"), "{}", run.stdout);
    }
}

#[test]
fn a_bad_per_role_value_on_the_command_line_is_reported_at_the_item_and_a_secret_is_not_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(
        dir.path(),
        &[
            "--megatron-override",
            "actor.lr=fast",
            "--megatron-override",
            "actor.wandb_key=42",
            "--color",
            "never",
        ],
    );
    run.assert_rejected();
    assert!(run.stderr.contains("invalid value for `actor.lr`"), "{}", run.stderr);
    assert!(run.stderr.contains(" --> command line:1:40"), "{}", run.stderr);
    assert!(
        run.stderr.contains("invalid value for `actor.wandb_key` (a secret: its value is not shown)"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("=42") && !run.stderr.contains("found 42"), "{}", run.stderr);
}

#[test]
fn readme_bad_file_output_is_what_the_trainer_prints() {
    let shown = readme_block("lists every problem on stderr:");
    // The file the README's output is of: the critic's lr is not a number, and kl_coef is forced.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.yaml"),
        "megatron:\n  - role: critic\n    overrides:\n      lr: fast\n      kl_coef: 0.1\n",
    )
    .unwrap();
    let args: Vec<&str> =
        USAGE.iter().map(|a| if *a == "megatron_ppo.yaml" { "bad.yaml" } else { a }).collect();
    let run = run_in(dir.path(), &args);
    run.assert_rejected();
    assert_eq!(run.stderr, shown, "README.md's bad-file output is out of date");
}

#[test]
fn derived_values_are_per_role_in_json_and_with_their_provenance_in_text() {
    let dir = folder_with_config("megatron:\n  - role: critic\n    overrides:\n      hidden_size: 1024\n");
    let flags = usage_with(&["--hidden-size", "4096", "--num-attention-heads", "32", "--swiglu"]);
    let out = run_in(dir.path(), &[&flags[..], &["--format", "json"]].concat()).json();
    let (actor, critic) = (&out["roles"]["actor"], &out["roles"]["critic"]);
    // Megatron-LM's SwiGLU width and kv_channels, for each role's own hidden_size.
    assert_eq!((actor["ffn_hidden_size"].as_i64(), actor["kv_channels"].as_i64()), (Some(10880), Some(128)));
    assert_eq!((critic["ffn_hidden_size"].as_i64(), critic["kv_channels"].as_i64()), (Some(2688), Some(32)));
    assert_eq!((actor["eps_clip_high"].as_f64(), critic["eps_clip_high"].as_f64()), (Some(0.2), Some(0.2)));

    let text = run_in(dir.path(), &flags);
    // The actor's derived values are the command line's; the critic's differ, with where from.
    assert_eq!(text.role_section("actor"), ["actor: same as the command line"]);
    let critic_rows = text.role_section("critic");
    for row in [
        "hidden_size = 1024 (from megatron_ppo.yaml:4)",
        "ffn_hidden_size = 2688 (derived from hidden_size, swiglu)",
        "kv_channels = 32 (derived from hidden_size, num_attention_heads)",
    ] {
        assert!(critic_rows.contains(&row.to_string()), "{row:?} not in {critic_rows:#?}");
    }
}

#[test]
fn readme_relation_output_is_what_the_trainer_prints() {
    let shown = readme_block(
        "`CommandLine::from_matches(argv, &matches)`, to `config.resolve_with_command_line(...)`):",
    );
    let dir = folder_with_config("megatron:\n  - role: actor\n    overrides:\n      kl_loss_coef: 0.01\n");
    let run = run_in(dir.path(), &["--kl-coef", "0.1", "--megatron-config-path", "megatron_ppo.yaml"]);
    run.assert_rejected();
    insta::assert_snapshot!(run.stderr);
    assert_eq!(run.stderr, shown, "README.md's relation output is out of date");
}
