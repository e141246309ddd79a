//! A struct without clap derives `MegatronArgs`, and the runtime works
//! without its `clap` feature: `.ci/run` runs this test with
//! `cargo test -p megatron-args --no-default-features`, where nothing of clap
//! is compiled into the runtime.

use megatron_args::{MegatronArgs, PpoRole, ProblemKind, RoleConfig};

#[derive(MegatronArgs, Clone, Debug, PartialEq)]
struct Plain {
    lr: f64,
    save: Option<std::path::PathBuf>,
    #[megatron(role_forced(critic = 0.0))]
    kl_coef: f64,
    #[topology]
    tensor_model_parallel_size: u32,
}

fn baseline() -> Plain {
    Plain { lr: 1e-6, save: None, kl_coef: 0.05, tensor_model_parallel_size: 2 }
}

#[test]
fn a_struct_without_clap_loads_and_resolves_a_file() {
    let config = RoleConfig::<Plain>::from_str(
        "megatron:\n  - role: critic\n    overrides:\n      lr: 1e-5\n      save: /ckpt/critic\n",
        "plain.yaml",
    )
    .unwrap();
    let resolved = config.resolve(&baseline(), &[PpoRole::Actor, PpoRole::Critic]).unwrap();
    let critic = resolved.get(PpoRole::Critic).unwrap();
    assert_eq!((critic.lr, critic.kl_coef), (1e-5, 0.0));
    assert_eq!(critic.save.as_deref(), Some(std::path::Path::new("/ckpt/critic")));
    assert_eq!(resolved.get(PpoRole::Actor), Some(&baseline()));
}

#[test]
fn a_struct_without_clap_still_checks_types_and_forced_fields() {
    let err = RoleConfig::<Plain>::from_str(
        "megatron:\n  - role: critic\n    overrides:\n      lr: fast\n      kl_coef: 0.1\n",
        "plain.yaml",
    )
    .unwrap_err();
    let kinds: Vec<&ProblemKind> = err.problems().iter().map(|p| &p.kind).collect();
    assert!(matches!(kinds[..], [ProblemKind::Type { .. }, ProblemKind::ForcedKey { .. }]), "{kinds:?}");
}

#[test]
fn a_struct_without_clap_takes_checked_typed_overrides() {
    let mut critic = baseline().for_role(PpoRole::Critic);
    critic.apply_overrides(PpoRole::Critic, &PlainOverrides::default().lr(3e-6)).unwrap();
    assert_eq!(critic.lr, 3e-6);
    assert!(critic.apply_overrides(PpoRole::Critic, &PlainOverrides::default().kl_coef(1.0)).is_err());
}
