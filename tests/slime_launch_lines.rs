//! The main job on slime's real launch command lines (SPEC 6.2): every line
//! of `tests/data/slime_argv/` (whose README says how they were collected
//! and explains the placeholders) runs through the built example
//! unchanged.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value as Json;
use tempfile::TempDir;

mod example_run;

use example_run::Run;

fn example_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| example_run::build_example("ppo_train"))
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/slime_argv")
}

/// The lines that use flags defined nowhere upstream, each with the first
/// such flag.
const UNKNOWN_FLAG_LINES: [(&str, &str); 3] = [
    ("slime_plugins__rollout_buffer__rollout_buffer_example.sh.argv", "--ref-micro-batch-size"),
    ("tests__test_glm52_6layer_deterministic_e2e.py__1.argv", "--dsa"),
    ("tests__test_glm52_6layer_deterministic_e2e.py__2.argv", "--dsa"),
];

const PPO_LINES: [&str; 3] = [
    "tests__test_qwen3_4B_ppo.py.argv",
    "tests__test_qwen3_4B_ppo_disaggregate.py.argv",
    "tests__test_qwen3_4B_ppo_train_critic_only.py.argv",
];

/// A folder with the PPO tests' role-config file, which the PPO lines name
/// through `@@MEGATRON_CONFIG_PATH@@`.
struct Workspace {
    dir: TempDir,
}

impl Workspace {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("cannot create a temporary folder");
        std::fs::copy(data_dir().join("megatron_ppo_tests.yaml"), dir.path().join("megatron_ppo_tests.yaml"))
            .expect("cannot copy the PPO tests' role-config file");
        Workspace { dir }
    }

    fn config_path(&self) -> String {
        self.dir.path().join("megatron_ppo_tests.yaml").to_string_lossy().into_owned()
    }

    /// The line's arguments, one per line of the file, with the placeholders
    /// filled in: the role-config file, and `@@NAME@@` (an environment
    /// variable the script never sets; always in a string value) as
    /// `/placeholder/NAME`.
    fn line(&self, file: &str) -> Vec<String> {
        let text = std::fs::read_to_string(data_dir().join(file)).expect("cannot read the argv file");
        let text = text.strip_suffix('\n').unwrap_or(&text);
        text.split('\n').map(|arg| self.fill_placeholders(arg)).collect()
    }

    fn fill_placeholders(&self, arg: &str) -> String {
        let mut out = arg.replace("@@MEGATRON_CONFIG_PATH@@", &self.config_path());
        while let Some(start) = out.find("@@") {
            let Some(len) = out[start + 2..].find("@@") else { break };
            let name = out[start + 2..start + 2 + len].to_string();
            out.replace_range(start..start + len + 4, &format!("/placeholder/{name}"));
        }
        out
    }

    fn run<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Run {
        Run::of(example_binary(), self.dir.path(), args)
    }

    fn run_json(&self, file: &str) -> Json {
        let args = [self.line(file), vec!["--format".into(), "json".into()]].concat();
        let run = self.run(&args);
        assert_eq!(run.status, Some(0), "{file} failed:\n{}", run.stderr);
        run.json()
    }
}

fn argv_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(data_dir())
        .expect("tests/data/slime_argv exists")
        .map(|entry| entry.expect("readable entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".argv"))
        .collect();
    files.sort();
    files
}

/// The value after the last occurrence of `flag` in `line`.
fn last_value<'a>(line: &'a [String], flag: &str) -> Option<&'a str> {
    let i = line.iter().rposition(|arg| arg == flag)?;
    line.get(i + 1).map(String::as_str)
}

#[test]
fn every_real_launch_line_resolves_except_the_three_with_flags_defined_nowhere() {
    let workspace = Workspace::new();
    let files = argv_files();
    assert_eq!(files.len(), 92, "the reference has 92 launch lines");
    let mut resolved = 0;
    let mut rejected = BTreeMap::new();
    for file in &files {
        let run = workspace.run(&workspace.line(file));
        match run.status {
            Some(0) => {
                assert!(run.stdout.starts_with("role config: "), "{file}: {}", run.stdout);
                resolved += 1;
            }
            _ => {
                rejected.insert(file.as_str(), run);
            }
        }
    }
    let failed: Vec<_> = rejected.keys().copied().collect();
    let expected: Vec<_> = UNKNOWN_FLAG_LINES.iter().map(|(file, _)| *file).collect();
    assert_eq!(failed, expected, "{:#?}", rejected.values().map(|r| &r.stderr).collect::<Vec<_>>());
    assert_eq!(resolved, 89);

    for (file, flag) in UNKNOWN_FLAG_LINES {
        let run = &rejected[file];
        run.assert_rejected();
        assert!(
            run.stderr.contains(&format!("error: unexpected argument '{flag}' found")),
            "{file}: the error names {flag}:\n{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("tip: a similar argument exists: '--"),
            "{file}: a suggestion:\n{}",
            run.stderr
        );
    }
}

#[test]
fn ppo_lines_resolve_both_roles_with_the_file_rates_and_the_critic_specialization() {
    let workspace = Workspace::new();
    for file in PPO_LINES {
        let line = workspace.line(file);
        assert!(
            !line.contains(&"--use-critic".to_string()),
            "{file} turns the critic on through the estimator"
        );
        let out = workspace.run_json(file);
        let roles = out["roles"].as_object().expect("roles is an object");
        assert_eq!(roles.keys().collect::<Vec<_>>(), ["actor", "critic"], "{file}");
        let (actor, critic) = (&out["roles"]["actor"], &out["roles"]["critic"]);

        assert_eq!(actor["lr"], 1e-6, "{file}");
        assert_eq!(critic["lr"], 1e-5, "{file}");
        assert_eq!(critic["kl_coef"], 0.0, "{file}");
        assert_eq!(critic["use_opd"], false, "{file}");
        assert_eq!(critic["custom_advantage_function_path"], Json::Null, "{file}");
        assert_eq!(critic["untie_embeddings_and_output_weights"], true, "{file}");
        assert_eq!(actor["untie_embeddings_and_output_weights"], false, "{file}");
        assert_eq!(critic["disable_param_buffers_cpu_backup"], false, "{file}");

        for (role, name) in [(actor, "actor"), (critic, "critic")] {
            assert_eq!(
                role["use_critic"], true,
                "{file} {name}: --advantage-estimator ppo turns the critic on"
            );
            assert_eq!(role["critic_num_nodes"], role["actor_num_nodes"], "{file} {name}");
            assert_eq!(role["critic_num_gpus_per_node"], role["actor_num_gpus_per_node"], "{file} {name}");
            for (flag, field) in [
                ("--actor-num-nodes", "actor_num_nodes"),
                ("--actor-num-gpus-per-node", "actor_num_gpus_per_node"),
                ("--tensor-model-parallel-size", "tensor_model_parallel_size"),
                ("--pipeline-model-parallel-size", "pipeline_model_parallel_size"),
                ("--context-parallel-size", "context_parallel_size"),
            ] {
                let given = last_value(&line, flag).unwrap_or_else(|| panic!("{file} gives {flag}"));
                assert_eq!(role[field].to_string(), given, "{file} {name}: {field} is the command line's");
            }
            assert_eq!(role["sequence_parallel"], true, "{file} {name}");
        }
    }
}

#[test]
fn ppo_critic_print_argv_runs_back_to_the_same_critic_arguments() {
    let workspace = Workspace::new();
    for file in PPO_LINES {
        let critic = workspace.run_json(file)["roles"]["critic"].clone();
        let print =
            workspace.run(&[workspace.line(file), vec!["--print-argv".into(), "critic".into()]].concat());
        print.assert_ok();
        let argv: Vec<&str> = print.stdout.lines().collect();
        assert!(
            argv.contains(&"--sglang-mem-fraction-static"),
            "{file}: SGLang's arguments are written back"
        );

        let again = workspace.run(&[argv, vec!["--format", "json"]].concat()).json();
        let again = &again["roles"]["critic"];
        let differing: Vec<&String> = critic
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, v)| again[k.as_str()] != **v)
            .map(|(k, _)| k)
            .collect();
        assert!(differing.is_empty(), "{file}: the critic's {differing:?} changed on the way back");
    }
}

#[test]
fn repeated_flag_keeps_its_last_value_as_in_argparse() {
    let workspace = Workspace::new();
    let file = "scripts__run-deepseek-r1.sh.argv";
    let line = workspace.line(file);
    let given: Vec<_> = line.iter().filter(|a| *a == "--moe-token-dispatcher-type").collect();
    assert_eq!(given.len(), 2, "the line gives the flag twice");
    assert_eq!(workspace.run_json(file)["roles"]["actor"]["moe_token_dispatcher_type"], "flex");

    let out = workspace
        .run(&[
            "--eval-prompt-data",
            "a",
            "a.jsonl",
            "--eval-prompt-data",
            "b",
            "b.jsonl",
            "--format",
            "json",
        ])
        .json();
    assert_eq!(
        out["roles"]["actor"]["eval_prompt_data"],
        serde_json::json!(["b", "b.jsonl"]),
        "the list is replaced"
    );
}

#[test]
fn nargs_list_takes_every_value_after_one_flag() {
    let workspace = Workspace::new();
    let out = workspace.run_json("tests__test_qwen3_4B_ppo.py.argv");
    assert_eq!(
        out["roles"]["actor"]["eval_prompt_data"],
        serde_json::json!(["aime24", "/root/datasets/aime-2024/aime-2024.jsonl"])
    );
}

#[test]
fn store_false_flag_sets_its_own_destination() {
    let workspace = Workspace::new();
    let out = workspace.run(&["--disable-bias-linear", "--format", "json"]).json();
    assert_eq!(out["roles"]["actor"]["add_bias_linear"], false);
    let out = workspace.run(&["--format", "json"]).json();
    assert_eq!(out["roles"]["actor"]["add_bias_linear"], true);
    assert!(out["roles"]["actor"].get("disable_bias_linear").is_none(), "the flag is not an argument name");
}

#[test]
fn boolean_optional_flag_keeps_not_given_apart_from_false() {
    let workspace = Workspace::new();
    let actor = |args: &[&str]| {
        workspace.run(&[args, &["--format", "json"]].concat()).json()["roles"]["actor"].clone()
    };
    assert_eq!(actor(&[])["offload_train"], Json::Null);
    assert_eq!(actor(&["--offload-train"])["offload_train"], true);
    assert_eq!(actor(&["--no-offload-train"])["offload_train"], false);
    assert_eq!(
        actor(&["--offload-train", "--no-offload-train"])["offload_train"],
        false,
        "the last one wins"
    );
    assert_eq!(actor(&["--no-offload-train", "--offload-train"])["offload_train"], true, "the last one wins");

    let out = workspace.run_json("scripts__run-qwen3-4B-amd.sh.argv");
    assert_eq!(out["roles"]["actor"]["offload_train"], false);
    assert_eq!(out["roles"]["actor"]["offload_rollout"], false);
}

#[test]
fn boolean_optional_flags_are_written_back_in_upstream_spelling() {
    let workspace = Workspace::new();
    let run = workspace.run(&["--no-offload-train", "--offload-rollout", "--print-argv", "actor"]);
    let argv: Vec<&str> = run.stdout.lines().collect();
    assert!(argv.contains(&"--no-offload-train"), "{argv:?}");
    assert!(argv.contains(&"--offload-rollout"), "{argv:?}");
    assert!(!argv.contains(&"true") && !argv.contains(&"false"), "no explicit booleans: {argv:?}");
}

#[test]
fn sglang_and_router_arguments_pass_through_in_order_and_are_shared() {
    let workspace = Workspace::new();
    let args = [
        "--sglang-mem-fraction-static",
        "0.8",
        "--rollout-num-gpus",
        "8",
        "--router-policy",
        "round_robin",
        "--sglang-cuda-graph-bs",
        "1",
        "2",
        "4",
        "--sglang-enable-metrics",
        "--sglang-config",
        "sglang.yaml",
        "--sglang-dist-timeout",
        "-1",
    ];
    let out =
        workspace.run(&[&args[..], &["--advantage-estimator", "ppo", "--format", "json"]].concat()).json();
    for role in ["actor", "critic"] {
        let args = &out["roles"][role];
        assert_eq!(
            args["sglang_passthrough"],
            serde_json::json!([
                "--sglang-mem-fraction-static",
                "0.8",
                "--router-policy",
                "round_robin",
                "--sglang-cuda-graph-bs",
                "1",
                "2",
                "4",
                "--sglang-enable-metrics",
                "--sglang-dist-timeout",
                "-1"
            ]),
            "{role}"
        );
        assert_eq!(args["sglang_config"], "sglang.yaml", "slime's own --sglang-config is an argument");
        assert_eq!(args["rollout_num_gpus"], 8);
    }

    std::fs::write(
        workspace.dir.path().join("passthrough.yaml"),
        "megatron:\n  - role: critic\n    overrides:\n      sglang_passthrough: []\n",
    )
    .unwrap();
    let run = workspace.run(&["--use-critic", "--megatron-config-path", "passthrough.yaml"]);
    run.assert_rejected();
    assert!(run.stderr.contains("`sglang_passthrough` is shared"), "{}", run.stderr);
}

#[test]
fn critic_placement_follows_the_actor_unless_given() {
    let workspace = Workspace::new();
    let critic = |args: &[&str]| {
        let base =
            ["--advantage-estimator", "ppo", "--actor-num-nodes", "2", "--actor-num-gpus-per-node", "4"];
        workspace.run(&[&base[..], args, &["--format", "json"]].concat()).json()["roles"]["critic"].clone()
    };
    let follows = critic(&[]);
    assert_eq!(
        (follows["critic_num_nodes"].clone(), follows["critic_num_gpus_per_node"].clone()),
        (2.into(), 4.into())
    );
    let own = critic(&["--critic-num-nodes", "1", "--critic-num-gpus-per-node", "8"]);
    assert_eq!(
        (own["critic_num_nodes"].clone(), own["critic_num_gpus_per_node"].clone()),
        (1.into(), 8.into())
    );
}

#[test]
fn unknown_flag_exits_2_with_a_suggestion_and_nothing_on_stdout() {
    let workspace = Workspace::new();
    let run = workspace.run(&["--tensor-model-parallel-sizes", "2"]);
    run.assert_rejected();
    assert!(run.stderr.contains("unexpected argument '--tensor-model-parallel-sizes'"), "{}", run.stderr);
    assert!(run.stderr.contains("'--tensor-model-parallel-size'"), "{}", run.stderr);
}

#[test]
fn help_is_grouped_under_upstream_group_titles() {
    let workspace = Workspace::new();
    let run = workspace.run(&["--help"]);
    run.assert_ok();
    for heading in [
        "slime: algo:",
        "slime: cluster:",
        "Megatron-LM: transformer configuration:",
        "Megatron-LM: training:",
    ] {
        assert!(run.stdout.lines().any(|l| l == heading), "no heading {heading:?} in --help");
    }
    let algo = run.stdout.find("slime: algo:").unwrap();
    let kl = run.stdout.find("--kl-coef").unwrap();
    let next = run.stdout[algo + 1..].find("\nslime: ").map_or(usize::MAX, |i| algo + 1 + i);
    assert!(algo < kl && kl < next, "--kl-coef is under slime's algo heading");
}

#[test]
fn flags_of_either_megatron_lm_are_accepted_and_the_images_definition_wins() {
    let workspace = Workspace::new();
    let actor = |args: &[&str]| {
        workspace.run(&[args, &["--format", "json"]].concat()).json()["roles"]["actor"].clone()
    };
    // Flags only the Megatron-LM slime's image runs has (its dev commit and
    // slime's patch), main's only, and both.
    let out = actor(&[
        "--offload-optimizer-states",
        "--use-legacy-models",
        "--no-scatter-gather-tensors-in-pipeline",
        "--use-gated-attention",
        "--fp4-param-gather",
        "--inference-max-batch-size",
        "4",
    ]);
    assert_eq!(out["offload_optimizer_states"], true);
    assert_eq!(out["use_legacy_models"], true);
    assert_eq!(out["scatter_gather_tensors_in_pipeline"], false, "store_false sets its own destination");
    assert_eq!(out["use_gated_attention"], true, "the patch's flag comes from the table");
    assert_eq!(out["fp4_param"], true, "the image's destination for the flag");
    assert_eq!(out["inference_max_batch_size"], 4, "the destination's second flag");
    let defaults = actor(&[]);
    assert_eq!(defaults["inference_max_batch_size"], 8, "the first flag's default, as argparse takes it");
    assert_eq!(defaults["use_legacy_models"], false);

    // One destination, main's flag and the image's: both spellings, the later wins.
    assert_eq!(defaults["enable_msc"], Json::Null);
    assert_eq!(actor(&["--enable-msc"])["enable_msc"], true, "main's flag");
    assert_eq!(actor(&["--disable-msc"])["enable_msc"], false, "the image's flag");
    assert_eq!(actor(&["--disable-msc", "--enable-msc"])["enable_msc"], true);

    // Where the two define a flag differently, the image's definition wins:
    // main's `--optimizer` has seven choices, the image's four.
    assert_eq!(actor(&["--optimizer", "dist_muon"])["optimizer"], "dist_muon");
    let run = workspace.run(&["--optimizer", "lion"]);
    run.assert_rejected();
    assert!(run.stderr.contains("invalid value 'lion'"), "{}", run.stderr);
}
