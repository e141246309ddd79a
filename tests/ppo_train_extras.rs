//! End-to-end tests of the example trainer's extra outputs:
//! `--print-schema`, `--print-argv ROLE` and `--print-template`. Like
//! tests/ppo_train_e2e.rs, each runs the built example as a real process in a
//! temporary folder with real files.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value as Json;

mod example_run;

use example_run::{folder_with_config, usage_with, Run, PPO_SAMPLE_CONFIG as SAMPLE_CONFIG};

fn example_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| example_run::build_example("ppo_train"))
}

fn run_in<S: AsRef<std::ffi::OsStr>>(dir: &Path, args: &[S]) -> Run {
    Run::of(example_binary(), dir, args)
}

fn yaml(text: &str) -> Json {
    serde_yaml::from_str(text).expect("test YAML parses")
}

// ----- --print-schema -----

#[test]
fn print_schema_writes_a_schema_that_accepts_the_sample_and_rejects_broken_files() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["--print-schema"]);
    let schema = run.json();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    let validator = jsonschema::draft202012::new(&schema).expect("the printed schema compiles");

    assert!(validator.is_valid(&yaml(SAMPLE_CONFIG)), "the sample config validates");
    let broken = [
        SAMPLE_CONFIG.replace("lr: 1e-5", "kl_coef: 0.1"), // forced for the critic
        SAMPLE_CONFIG.replace("role: critic", "role: critc"),
        SAMPLE_CONFIG.replace("lr: 1e-6", "lr_decay_style: cosin"),
        SAMPLE_CONFIG.replace("lr: 1e-6", "use_critic: true"), // shared
        SAMPLE_CONFIG.replace("lr: 1e-6", "micro-batch-size: 2"), // a flag, not a name
    ];
    for text in broken {
        assert!(!validator.is_valid(&yaml(&text)), "should be rejected:\n{text}");
    }
}

#[test]
fn print_schema_describes_the_trainers_own_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let schema = run_in(dir.path(), &["--print-schema"]).json();
    let props = &schema["$defs"]["overrides"]["properties"];
    assert!(props["lr"]["description"].as_str().unwrap().starts_with("Initial learning rate."));
    assert!(props["optimizer"]["enum"].as_array().unwrap().contains(&Json::from("adam")));
    assert!(props["critic_num_nodes"]["description"].as_str().unwrap().contains("ignored in this file"));
    assert!(props["use_critic"]["description"].as_str().unwrap().contains("Shared argument"));
}

#[test]
fn print_schema_does_not_read_the_config_file() {
    let dir = tempfile::tempdir().unwrap(); // no megatron_ppo.yaml in it
    let run = run_in(dir.path(), &usage_with(&["--print-schema"]));
    assert!(run.json()["properties"]["megatron"].is_object());
}

// ----- --print-argv ROLE -----

fn argv_lines(run: &Run) -> Vec<String> {
    run.assert_ok();
    run.stdout.lines().map(str::to_string).collect()
}

fn value_after<'a>(argv: &'a [String], flag: &str) -> Option<&'a str> {
    let i = argv.iter().position(|a| a == flag)?;
    argv.get(i + 1).map(String::as_str)
}

#[test]
fn print_argv_prints_the_resolved_role_one_argument_per_line() {
    let dir = folder_with_config(SAMPLE_CONFIG);
    let critic =
        argv_lines(&run_in(dir.path(), &usage_with(&["--kl-coef", "0.05", "--print-argv", "critic"])));
    assert_eq!(value_after(&critic, "--lr"), Some("1e-5"));
    assert_eq!(value_after(&critic, "--save"), Some("/ckpt/critic"));
    assert_eq!(value_after(&critic, "--kl-coef"), Some("0.0")); // role_forced
    assert_eq!(value_after(&critic, "--tensor-model-parallel-size"), Some("2"));
    assert!(critic.contains(&"--untie-embeddings-and-output-weights".to_string())); // forced true
    assert!(
        critic.contains(&"--sequence-parallel".to_string()) && critic.contains(&"--use-critic".to_string())
    );
    assert!(!critic.contains(&"--use-opd".to_string()), "false store-true flags are omitted");
    assert!(!critic.contains(&"--format".to_string()) && !critic.contains(&"--print-argv".to_string()));

    let actor = argv_lines(&run_in(dir.path(), &usage_with(&["--kl-coef", "0.05", "--print-argv", "actor"])));
    assert_eq!(value_after(&actor, "--lr"), Some("1e-6"));
    assert_eq!(value_after(&actor, "--kl-coef"), Some("0.05"));
}

#[test]
fn print_argv_output_run_again_gives_the_same_role_arguments() {
    let dir = folder_with_config(SAMPLE_CONFIG);
    let usage = usage_with(&["--lr", "3e-6", "--eps-clip-high", "0.28"]);
    let first = run_in(dir.path(), &[usage.clone(), vec!["--format", "json"]].concat()).json();
    let critic_argv = argv_lines(&run_in(dir.path(), &[usage, vec!["--print-argv", "critic"]].concat()));

    // A launcher starts the critic's worker with exactly these arguments.
    let mut again_args = critic_argv.clone();
    again_args.extend(["--format".to_string(), "json".to_string()]);
    let again = run_in(dir.path(), &again_args).json();
    assert_eq!(again["roles"]["critic"], first["roles"]["critic"], "argv: {critic_argv:?}");
}

#[test]
fn print_argv_rejects_an_unknown_role_with_a_suggestion() {
    let dir = folder_with_config(SAMPLE_CONFIG);
    let run = run_in(dir.path(), &usage_with(&["--print-argv", "critc"]));
    run.assert_rejected();
    assert!(run.stderr.contains("'critc'") && run.stderr.contains("'critic'"), "{}", run.stderr);
}

#[test]
fn print_argv_rejects_an_inactive_role() {
    let dir = folder_with_config(SAMPLE_CONFIG);
    let run = run_in(dir.path(), &["--megatron-config-path", "megatron_ppo.yaml", "--print-argv", "critic"]);
    run.assert_rejected();
    assert!(
        run.stderr.contains("role `critic` is not active") && run.stderr.contains("--use-critic"),
        "{}",
        run.stderr
    );
}

#[test]
fn print_argv_with_a_bad_config_reports_the_file_and_prints_nothing() {
    let dir = folder_with_config(&SAMPLE_CONFIG.replace("lr: 1e-5", "lr: fast"));
    let run = run_in(dir.path(), &usage_with(&["--print-argv", "critic"]));
    run.assert_rejected();
    assert!(run.stderr.contains("megatron_ppo.yaml:"), "{}", run.stderr);
}

// ----- --print-template -----

#[test]
fn print_template_loads_as_it_is_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let template = run_in(dir.path(), &usage_with(&["--lr", "2e-6", "--print-template"]));
    template.assert_ok();
    assert!(
        template.stdout.contains("      # Initial learning rate.\n      # lr: 2e-6\n"),
        "{}",
        template.stdout
    );
    std::fs::write(dir.path().join("megatron_ppo.yaml"), &template.stdout).unwrap();

    let with_template = run_in(dir.path(), &usage_with(&["--lr", "2e-6", "--format", "json"])).json();
    assert_eq!(with_template["diagnostics"], Json::Array(vec![]), "no warnings from the template");
    let no_file: Vec<&str> = usage_with(&["--lr", "2e-6", "--format", "json"])
        .into_iter()
        .filter(|a| *a != "--megatron-config-path" && *a != "megatron_ppo.yaml")
        .collect();
    let without = run_in(dir.path(), &no_file).json();
    assert_eq!(with_template["roles"]["actor"]["lr"], Json::from(2e-6));
    for role in ["actor", "critic"] {
        let mut a = with_template["roles"][role].clone();
        let mut b = without["roles"][role].clone();
        a["megatron_config_path"] = Json::Null;
        b["megatron_config_path"] = Json::Null;
        assert_eq!(a, b, "{role}");
    }
}

#[test]
fn print_template_line_uncommented_overrides_that_role() {
    let dir = tempfile::tempdir().unwrap();
    let template = run_in(dir.path(), &usage_with(&["--print-template"]));
    template.assert_ok();
    let text = &template.stdout;
    let critic_at = text.find("role: critic").expect("a critic entry");
    let line_at = critic_at + text[critic_at..].find("# lr: 1e-6").expect("the critic's lr line");
    let edited = format!("{}lr: 4e-6{}", &text[..line_at], &text[line_at + "# lr: 1e-6".len()..]);
    std::fs::write(dir.path().join("megatron_ppo.yaml"), edited).unwrap();

    let json = run_in(dir.path(), &usage_with(&["--format", "json"])).json();
    assert_eq!(json["roles"]["critic"]["lr"], Json::from(4e-6));
    assert_eq!(json["roles"]["actor"]["lr"], Json::from(1e-6));
}

#[test]
fn print_flags_exclude_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["--print-schema", "--print-template"]);
    assert_eq!(run.status, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
}
