//! An RL trainer like border's DQN examples, with role specialization added
//! by megatron attributes: typed overrides checked against `role_forced` and
//! a validator.

use clap::Parser;
use megatron_args::{MegatronArgs, Overrides, PpoRole, ProblemKind};

use super::{load, rejection};

fn probability(value: &f64) -> Result<(), String> {
    if (0.0..=1.0).contains(value) {
        Ok(())
    } else {
        Err(format!("must be within [0, 1], got {value}"))
    }
}

#[derive(Parser, Debug, Clone, megatron_args::MegatronArgs)]
#[command(version, about)]
struct Args {
    /// Train the agent (instead of evaluating it).
    #[arg(long, default_value_t = false)]
    train: bool,

    /// Number of optimization steps.
    #[arg(long, default_value_t = 200_000)]
    max_opts: usize,

    /// Discount factor.
    #[arg(long, default_value_t = 0.99)]
    #[megatron(validate = probability)]
    discount_factor: f64,

    /// Entropy bonus: the critic never uses one.
    #[arg(long, default_value_t = 0.01)]
    #[megatron(role_forced(critic = 0.0))]
    entropy_coef: f64,

    /// Where the model is saved.
    #[arg(long, default_value = "./model/dqn_cartpole")]
    model_dir: String,
}

#[test]
fn a_forced_key_in_the_file_is_refused_at_its_place() {
    let err = rejection::<Args>("megatron:\n  - role: critic\n    overrides:\n      entropy_coef: 0.1\n");
    let problem = &err.problems()[0];
    assert!(matches!(problem.kind, ProblemKind::ForcedKey { .. }), "{err}");
    assert_eq!(problem.location.as_ref().map(|l| (l.line(), l.column())), Some((4, 7)));
}

#[test]
fn a_validator_rejects_a_file_value_with_its_location() {
    let config =
        load::<Args>("megatron:\n  - role: actor\n    overrides:\n      discount_factor: 1.5\n").unwrap();
    let err = config.resolve(&Args::parse_from(["dqn"]), &[PpoRole::Actor]).unwrap_err();
    let problem = &err.problems()[0];
    assert!(matches!(problem.kind, ProblemKind::Validation { .. }), "{err}");
    assert!(problem.message.contains("within [0, 1]") || err.to_string().contains("within [0, 1]"), "{err}");
    assert_eq!(problem.location.as_ref().map(|l| l.line()), Some(4));
}

#[test]
fn typed_overrides_apply_after_role_specialization_and_are_type_checked() {
    let overrides = ArgsOverrides::default().discount_factor(0.9).max_opts(10);
    let mut critic = Args::parse_from(["dqn", "--entropy-coef", "0.2"]).for_role(PpoRole::Critic);
    assert_eq!(critic.entropy_coef, 0.0);
    critic.apply_overrides(PpoRole::Critic, &overrides).unwrap();
    assert_eq!((critic.discount_factor, critic.max_opts), (0.9, 10));
    // ... and checked as a file's: the critic's `entropy_coef` is forced.
    let forced = ArgsOverrides::default().entropy_coef(0.5);
    let err = critic.apply_overrides(PpoRole::Critic, &forced).unwrap_err();
    assert!(matches!(err.problems()[0].kind, ProblemKind::ForcedKey { .. }), "{err}");
    assert_eq!(critic.entropy_coef, 0.0);
    // Through the file rules, a typed value is type-checked like a file value.
    let mut dynamic = ArgsOverrides::default();
    let err = dynamic.set("discount_factor", "high").unwrap_err();
    assert!(err.to_string().contains("discount_factor"), "{err}");
    assert!(dynamic.is_empty());
}

#[test]
fn a_resolved_role_round_trips_through_to_argv() {
    let baseline = Args::parse_from(["dqn", "--entropy-coef", "0.2", "--model-dir=-dir"]);
    let resolved =
        super::resolve(&baseline, "megatron:\n  - role: actor\n    overrides:\n      discount_factor: 0.5\n");
    for role in resolved.roles() {
        super::argv_round_trip(role.args());
    }
}

#[test]
fn fields_agree_with_clap() {
    crate::clap_agreement::parser::<Args>();
}
