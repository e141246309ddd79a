//! The runtime's own tests, on the hand-written fixture.

use super::fixture::Train;
use crate::*;

const BOTH: &[PpoRole] = &[PpoRole::Actor, PpoRole::Critic];

fn load(text: &str) -> Result<RoleConfig<Train>, Error> {
    RoleConfig::<Train>::from_str(text, "test.yaml")
}

#[test]
fn per_role_overrides_apply_with_numeric_strings() {
    let config = load(
        "megatron:\n  - role: actor\n    overrides:\n      lr: \"1e-5\"\n  - role: critic\n    args:\n      lr: 2e-5\n",
    )
    .unwrap();
    let resolved = config.resolve(&Train::default(), BOTH).unwrap();
    assert_eq!(resolved.get(PpoRole::Actor).unwrap().lr, 1e-5);
    assert_eq!(resolved.get(PpoRole::Critic).unwrap().lr, 2e-5);
    assert_eq!(resolved.get(PpoRole::Critic).unwrap().kl_coef, 0.0);
    assert_eq!(resolved.get(PpoRole::Critic).unwrap().lr_warmup_iters, 10);
    let at = resolved.role(PpoRole::Critic).unwrap().provenance("lr").unwrap().clone();
    assert!(matches!(at, Provenance::File(ref l) if l.line() == 7 && l.column() == 11), "{at:?}");
}

#[test]
fn all_problems_are_reported_together() {
    let err = load(
        "megatron:\n  - role: actr\n    overides: {}\n  - role: critic\n    overrides:\n      lrr: 1\n      micro_batch_size: -1\n      save: 3\n      kl_coef: 0.5\n      megatron_config_path: x\n      tensor-model-parallel-size: 2\n      layers: [1, x]\n      lr: 1\n      lr: 2\n",
    )
    .unwrap_err();
    let text = err.to_string();
    println!("{text}");
    assert_eq!(err.problems().len(), 10, "{text}");
}

#[test]
fn topology_divergence_is_rejected() {
    let config =
        load("megatron:\n  - role: critic\n    overrides:\n      tensor_model_parallel_size: 4\n").unwrap();
    let err = config.resolve(&Train::default(), BOTH).unwrap_err();
    println!("{err}");
    assert!(matches!(err.problems()[0].kind, ProblemKind::TopologyMismatch { .. }));
    let ok = config.resolve(&Train::default(), &[PpoRole::Actor]).unwrap();
    assert_eq!(ok.get(PpoRole::Actor).unwrap().tensor_model_parallel_size, 2);
}

#[test]
fn placement_keys_warn_and_strict_mode_rejects() {
    let text = "megatron:\n  - role: critic\n    overrides:\n      num_nodes: 2\n      critic_num_nodes: 3\n";
    let config = load(text).unwrap();
    assert_eq!(config.diagnostics().len(), 2);
    println!("{}", config.diagnostics()[0]);
    let err =
        RoleConfig::<Train>::from_str_with(text, "t.yaml", LoadOptions::new().strict(true)).unwrap_err();
    assert_eq!(err.problems().len(), 2);
}

#[test]
fn missing_megatron_shapes_are_rejected() {
    for text in ["{critic: [{lr: 1}]}", "{lr: \"1e-5\"}", "{}", "", "# nothing\n", "megatron: 3", "[1]"] {
        let err = load(text).unwrap_err();
        println!("{err}\n");
        assert!(matches!(err.problems()[0].kind, ProblemKind::Shape), "{text}");
    }
}
