//! A custom role set (examples/custom_roles.rs): four roles, two topology
//! groups, role specialization on custom roles, did-you-mean on unknown role
//! names; and the example itself, run as a program.

mod example_run;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use clap::Parser;
use megatron_args::{MegatronArgs, ProblemKind, Provenance, Role, RoleConfig};

#[allow(dead_code)] // the example's `main` is not called from here
#[path = "../examples/custom_roles.rs"]
mod example;

use example::{RlhfArgs, RlhfRole};

const ALL: &[RlhfRole] = &[RlhfRole::Actor, RlhfRole::Critic, RlhfRole::Reference, RlhfRole::Reward];

fn cli(flags: &[&str]) -> RlhfArgs {
    RlhfArgs::parse_from(std::iter::once("custom_roles").chain(flags.iter().copied()))
}

fn load(text: &str) -> Result<RoleConfig<RlhfArgs>, megatron_args::Error> {
    RoleConfig::<RlhfArgs>::from_str(text, "roles.yaml")
}

#[test]
fn role_names_are_the_snake_case_variants_with_their_topology_groups() {
    assert_eq!(RlhfRole::names(), ["actor", "critic", "reference", "reward"]);
    let groups: Vec<&str> = RlhfRole::ALL.iter().map(|r| r.topology_group()).collect();
    assert_eq!(groups, ["default", "default", "default", "reward"]);
}

#[test]
fn sample_file_resolves_all_four_roles() {
    let baseline = cli(&["--tensor-model-parallel-size", "2", "--kl-coef", "0.05", "--use-critic"]);
    let resolved = example::run(&baseline).expect("the sample resolves");
    let roles: Vec<RlhfRole> = resolved.roles().iter().map(|r| r.role()).collect();
    assert_eq!(roles, ALL);

    let actor = resolved.get(RlhfRole::Actor).unwrap();
    assert_eq!(actor.save.as_deref(), Some(Path::new("/ckpt/actor")));
    assert_eq!(actor.kl_coef, 0.05);
    assert!(!actor.freeze_weights);

    let critic = resolved.get(RlhfRole::Critic).unwrap();
    assert_eq!(critic.lr, 5e-6); // the file beats the role default
    assert_eq!(critic.lr_warmup_iters, 10); // role default
    assert_eq!(critic.kl_coef, 0.0); // role forced

    let reference = resolved.get(RlhfRole::Reference).unwrap();
    assert!(reference.freeze_weights);
    assert_eq!(reference.load.as_deref(), Some(Path::new("/ckpt/sft")));
    assert_eq!(reference.tensor_model_parallel_size, 2);

    let reward = resolved.get(RlhfRole::Reward).unwrap();
    assert_eq!(reward.tensor_model_parallel_size, 4);
    assert_eq!(reward.micro_batch_size, 4);
    assert!(reward.freeze_weights);
    assert!(matches!(
        resolved.role(RlhfRole::Reward).unwrap().provenance("tensor_model_parallel_size"),
        Some(Provenance::File(_))
    ));
}

#[test]
fn the_critic_is_active_only_with_use_critic() {
    let resolved = example::run(&cli(&[])).unwrap();
    assert!(resolved.get(RlhfRole::Critic).is_none());
    assert!(resolved.get(RlhfRole::Reference).is_some());
}

#[test]
fn a_role_of_the_actor_group_may_not_change_topology() {
    let text = "megatron:\n  - role: reference\n    overrides:\n      pipeline_model_parallel_size: 2\n";
    let err = load(text).unwrap().resolve(&cli(&[]), ALL).unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    assert_eq!(
        err.problems()[0].kind,
        ProblemKind::TopologyMismatch { key: "pipeline_model_parallel_size".into() }
    );
    let rendered = err.to_string();
    assert!(rendered.contains("reference: 2") && rendered.contains("actor: 1"), "{rendered}");
}

#[test]
fn the_reward_group_may_differ_from_the_actor_group() {
    let text = "megatron:\n  - role: reward\n    overrides:\n      pipeline_model_parallel_size: 2\n";
    let resolved = load(text).unwrap().resolve(&cli(&[]), ALL).unwrap();
    assert_eq!(resolved.get(RlhfRole::Reward).unwrap().pipeline_model_parallel_size, 2);
    assert_eq!(resolved.get(RlhfRole::Actor).unwrap().pipeline_model_parallel_size, 1);
}

#[test]
fn role_forced_on_a_custom_role_rejects_its_override() {
    let text = "megatron:\n  - role: reward\n    overrides:\n      freeze_weights: false\n";
    let err = load(text).unwrap_err();
    assert_eq!(
        err.problems()[0].kind,
        ProblemKind::ForcedKey { key: "freeze_weights".into(), role: "reward".into() }
    );
    // The actor has no forced value there: the same override is fine.
    let ok = "megatron:\n  - role: actor\n    overrides:\n      freeze_weights: true\n";
    assert!(load(ok).unwrap().resolve(&cli(&[]), ALL).unwrap().get(RlhfRole::Actor).unwrap().freeze_weights);
}

#[test]
fn role_default_on_a_custom_role_applies_without_a_file() {
    let baseline = cli(&["--lr", "3e-6"]);
    assert_eq!(baseline.for_role(RlhfRole::Critic).lr, 1e-5);
    assert_eq!(baseline.for_role(RlhfRole::Reward).lr, 3e-6);
    assert!(baseline.for_role(RlhfRole::Reward).freeze_weights);
}

#[test]
fn unknown_custom_role_name_suggests_the_closest() {
    for (typo, want) in [("refrence", "reference"), ("rewad", "reward"), ("critc", "critic")] {
        let err = load(&format!("megatron:\n  - role: {typo}\n")).unwrap_err();
        let problem = &err.problems()[0];
        assert_eq!(problem.kind, ProblemKind::UnknownRole { role: typo.into() });
        let help = problem.help.as_deref().unwrap_or_default();
        assert!(help.contains(&format!("did you mean `{want}`?")), "{help}");
        assert!(help.contains("actor, critic, reference, reward"), "{help}");
    }
}

#[test]
fn rendered_roles_name_their_topology_group() {
    let resolved = example::run(&cli(&["--use-critic"])).unwrap();
    let text = example::render(&resolved);
    assert!(text.contains("reward (topology group `reward`):"), "{text}");
    assert!(text.contains("reference (topology group `default`):"), "{text}");
    assert!(text.contains("lr_warmup_iters = 10  (command line: 0; from role default)"), "{text}");
}

/// Builds the example once and returns its executable.
fn example_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| example_run::build_example("custom_roles"))
}

fn run_example(args: &[&str]) -> Output {
    Command::new(example_binary()).args(args).output().expect("the example runs")
}

#[test]
fn example_program_prints_the_four_resolved_roles() {
    let out = run_example(&["--tensor-model-parallel-size", "2", "--use-critic"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    for line in [
        "actor (topology group `default`):",
        "critic (topology group `default`):",
        "reference (topology group `default`):",
        "reward (topology group `reward`):",
        "tensor_model_parallel_size = 4  (command line: 2; from examples/custom_roles.yaml:26)",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in:\n{stdout}");
    }
}

#[test]
fn example_program_rejects_an_unknown_role_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roles.yaml");
    std::fs::write(&path, "megatron:\n  - role: refrence\n").unwrap();
    let out = run_example(&["--megatron-config-path", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unknown role `refrence`") && stderr.contains("did you mean `reference`?"),
        "{stderr}"
    );
}
