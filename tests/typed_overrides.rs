//! Typed overrides from Rust obey every rule a file obeys (SPEC 5):
//! `RoleConfig::from_overrides` and `apply_overrides` check `role_forced`,
//! the clap value parsers, one entry per role and the field validators, with
//! no way around them.

mod common;

use common::{baseline, Args, ArgsOverrides, BOTH};
use megatron_args::{MegatronArgs, PpoRole, ProblemKind, Provenance, RoleConfig};

#[test]
fn from_overrides_resolves_like_the_same_file() {
    let typed = RoleConfig::<Args>::from_overrides([
        (PpoRole::Actor, ArgsOverrides::default().save(Some("/ckpt/actor".into()))),
        (PpoRole::Critic, ArgsOverrides::default().lr(1e-5).optimizer(|o| o.adam_beta1(0.8))),
    ])
    .unwrap();
    let file = common::load(
        "megatron:\n  - role: actor\n    overrides:\n      save: /ckpt/actor\n  - role: critic\n    overrides:\n      lr: 1e-5\n      adam_beta1: 0.8\n",
    )
    .unwrap();
    let (typed, file) = (typed.resolve(&baseline(), BOTH).unwrap(), file.resolve(&baseline(), BOTH).unwrap());
    for role in [PpoRole::Actor, PpoRole::Critic] {
        assert_eq!(typed.get(role), file.get(role), "{role}");
    }
    let critic = typed.role(PpoRole::Critic).unwrap();
    assert_eq!(critic.provenance("lr"), Some(&Provenance::Overrides));
    assert_eq!(critic.provenance("kl_coef"), Some(&Provenance::RoleForced));
}

#[test]
fn from_overrides_refuses_forced_fields_and_second_entries_all_together() {
    let err = RoleConfig::<Args>::from_overrides([
        (PpoRole::Critic, ArgsOverrides::default().kl_coef(0.1).lr(1e-5)),
        (PpoRole::Actor, ArgsOverrides::default().kl_coef(0.1)),
        (PpoRole::Critic, ArgsOverrides::default().lr(2e-5)),
    ])
    .unwrap_err();
    let kinds: Vec<&ProblemKind> = err.problems().iter().map(|p| &p.kind).collect();
    assert!(
        matches!(kinds[..], [ProblemKind::ForcedKey { .. }, ProblemKind::DuplicateRole { .. }]),
        "{kinds:?}"
    );
    assert!(err.problems().iter().all(|p| p.location.is_none()));
    insta::assert_snapshot!(err.to_string());
}

#[test]
fn from_overrides_runs_the_field_validators_at_resolution() {
    let config =
        RoleConfig::<Args>::from_overrides([(PpoRole::Critic, ArgsOverrides::default().lr(-1.0))]).unwrap();
    let err = config.resolve(&baseline(), BOTH).unwrap_err();
    assert!(
        matches!(&err.problems()[0].kind, ProblemKind::Validation { key, role } if key == "lr" && role == "critic")
    );
    insta::assert_snapshot!(err.to_string(), @"error: invalid `lr` for role `critic`: the learning rate must be positive, got -1 (value from typed overrides)");
}

#[test]
fn from_overrides_of_an_inactive_role_is_checked_but_not_applied() {
    let config =
        RoleConfig::<Args>::from_overrides([(PpoRole::Critic, ArgsOverrides::default().lr(1e-5))]).unwrap();
    let resolved = config.resolve(&baseline(), &[PpoRole::Actor]).unwrap();
    assert!(resolved.get(PpoRole::Critic).is_none());
    assert!(RoleConfig::<Args>::from_overrides([(PpoRole::Critic, ArgsOverrides::default().kl_coef(1.0))])
        .is_err());
}

#[test]
fn apply_overrides_refuses_a_forced_field_and_changes_nothing() {
    let mut critic = baseline().for_role(PpoRole::Critic);
    let before = critic.clone();
    let err =
        critic.apply_overrides(PpoRole::Critic, &ArgsOverrides::default().lr(1e-5).kl_coef(0.3)).unwrap_err();
    assert!(
        matches!(&err.problems()[0].kind, ProblemKind::ForcedKey { key, role } if key == "kl_coef" && role == "critic")
    );
    assert_eq!(critic, before);
    // The same overrides are fine for the actor, whose `kl_coef` is free.
    let mut actor = baseline().for_role(PpoRole::Actor);
    actor.apply_overrides(PpoRole::Actor, &ArgsOverrides::default().lr(1e-5).kl_coef(0.3)).unwrap();
    assert_eq!((actor.lr, actor.kl_coef), (1e-5, 0.3));
}

#[test]
fn apply_overrides_runs_the_field_validators_and_changes_nothing_on_failure() {
    let mut actor = baseline().for_role(PpoRole::Actor);
    let before = actor.clone();
    let err =
        actor.apply_overrides(PpoRole::Actor, &ArgsOverrides::default().lr(0.0).save(None)).unwrap_err();
    insta::assert_snapshot!(err.to_string(), @"error: invalid `lr` for role `actor`: the learning rate must be positive, got 0 (value from typed overrides)");
    assert_eq!(actor, before);
}

#[test]
fn apply_overrides_on_the_specialized_baseline_equals_resolution() {
    let overrides = ArgsOverrides::default().lr(3e-6).micro_batch_size(4);
    let mut critic = baseline().for_role(PpoRole::Critic);
    critic.apply_overrides(PpoRole::Critic, &overrides).unwrap();
    let resolved = RoleConfig::<Args>::from_overrides([(PpoRole::Critic, overrides)])
        .unwrap()
        .resolve(&baseline(), BOTH)
        .unwrap();
    assert_eq!(resolved.get(PpoRole::Critic), Some(&critic));
}
