//! The upstream trainer's own unit cases for `--megatron-config-path`, and
//! the places where this library deliberately differs (named as such).

mod common;

use common::*;
use megatron_args::{MegatronArgs, PpoRole, ProblemKind};

#[test]
fn per_role_overrides_for_both_roles_with_lr_as_a_string() {
    let text = "megatron:\n  - name: default\n    role: actor\n    overrides:\n      lr: \"1e-6\"\n  - name: default\n    role: critic\n    overrides:\n      lr: \"1e-5\"\n";
    let resolved = load(text).unwrap().resolve(&baseline(), BOTH).unwrap();
    assert_eq!(resolved.get(PpoRole::Actor).unwrap().lr, 1e-6);
    assert_eq!(resolved.get(PpoRole::Critic).unwrap().lr, 1e-5);
}

#[test]
fn missing_role_inherits_the_baseline() {
    let resolved = load(&file_for("critic", "lr: \"1e-5\"")).unwrap().resolve(&baseline(), BOTH).unwrap();
    assert_eq!(resolved.get(PpoRole::Actor).unwrap(), &baseline());
}

#[test]
fn files_without_the_top_level_megatron_list_are_rejected() {
    for text in ["critic:\n  - lr: \"1e-5\"\n", "lr: \"1e-5\"\n", "{}\n"] {
        let err = load(text).unwrap_err();
        assert_eq!(err.problems()[0].kind, ProblemKind::Shape, "{text}");
    }
}

#[test]
fn actor_override_applies_when_no_critic_is_trained() {
    let base = cli(&["--lr", "2e-6"]);
    let resolved = load(&file_for("actor", "lr: \"1e-5\"")).unwrap().resolve(&base, ACTOR).unwrap();
    assert_eq!(resolved.get(PpoRole::Actor).unwrap().lr, 1e-5);
    assert!(resolved.get(PpoRole::Critic).is_none());
}

#[test]
fn differs_from_upstream_actor_and_critic_tensor_parallel_sizes_must_agree() {
    let text = "megatron:\n  - role: actor\n    overrides: {tensor_model_parallel_size: 2}\n  - role: critic\n    overrides: {tensor_model_parallel_size: 4}\n";
    let err = load(text).unwrap().resolve(&baseline(), BOTH).unwrap_err();
    assert!(matches!(err.problems()[0].kind, ProblemKind::TopologyMismatch { .. }));
}

#[test]
fn differs_from_upstream_unknown_key_is_an_error_not_set_anyway() {
    let err = load(&file_for("actor", "my_new_flag: 3")).unwrap_err();
    assert!(matches!(err.problems()[0].kind, ProblemKind::UnknownKey { .. }));
    assert!(Args::field("my_new_flag").is_none());
}

#[test]
fn differs_from_upstream_misspelt_role_is_an_error_not_ignored() {
    let err = load(&file_for("critc", "lr: 1e-5")).unwrap_err();
    assert!(matches!(err.problems()[0].kind, ProblemKind::UnknownRole { .. }));
}
