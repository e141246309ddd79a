//! A value from the file passes the same checks as the same value on the
//! command line: the clap argument's own value parser runs on it at load
//! time (SPEC 3.13), and on typed overrides and `set`.

use clap::Parser;
use megatron_args::{MegatronArgs, Overrides, PpoRole, ProblemKind, RoleConfig};

fn parse_ratio(text: &str) -> Result<f64, String> {
    let ratio: f64 = text.parse().map_err(|e| format!("{e}"))?;
    if (0.0..=1.0).contains(&ratio) {
        Ok(ratio)
    } else {
        Err(format!("{ratio} is not a ratio between 0 and 1"))
    }
}

#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
struct Worker {
    /// A range.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=8))]
    num_gpus_per_worker: u32,
    /// Allowed values.
    #[arg(long, default_value = "bf16", value_parser = ["fp16", "bf16", "fp32"])]
    dtype: String,
    /// A custom parser function.
    #[arg(long, default_value_t = 0.0, value_parser = parse_ratio)]
    warmup_ratio: f64,
    /// A range on each element of a delimited list.
    #[arg(long, value_delimiter = ',', value_parser = clap::value_parser!(u16).range(1024..))]
    ports: Vec<u16>,
    /// A range on an optional value.
    #[arg(long, value_parser = clap::value_parser!(i64).range(-5..=5))]
    shift: Option<i64>,
    /// A flag: no value to parse.
    #[arg(long)]
    use_flash: bool,
    /// A flattened group: its arguments are in the same clap command.
    #[command(flatten)]
    #[megatron(flatten)]
    sampling: Sampling,
}

/// A clap `Args` group (no `Parser`): its command is its arguments.
#[derive(clap::Args, MegatronArgs, Clone, Debug, PartialEq)]
struct Sampling {
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=1000))]
    top_k: u32,
}

fn load(text: &str) -> Result<RoleConfig<Worker>, megatron_args::Error> {
    RoleConfig::<Worker>::from_str(text, "workers.yaml")
}

fn baseline() -> Worker {
    Worker::parse_from(["train"])
}

#[test]
fn values_clap_accepts_load() {
    let config = load(
        "megatron:\n  - role: critic\n    overrides:\n      num_gpus_per_worker: 8\n      dtype: fp32\n      warmup_ratio: \"0.1\"\n      ports: [8080, 8081]\n      shift: -5\n      use_flash: true\n",
    )
    .unwrap();
    let critic = config.resolve(&baseline(), &[PpoRole::Actor, PpoRole::Critic]).unwrap();
    let critic = critic.get(PpoRole::Critic).unwrap();
    assert_eq!((critic.num_gpus_per_worker, critic.dtype.as_str(), critic.warmup_ratio), (8, "fp32", 0.1));
    assert_eq!((critic.ports.clone(), critic.shift, critic.use_flash), (vec![8080, 8081], Some(-5), true));
}

#[test]
fn a_value_outside_the_arguments_range_is_a_problem_at_the_value() {
    let err =
        load("megatron:\n  - role: critic\n    overrides:\n      num_gpus_per_worker: 0\n").unwrap_err();
    let problem = &err.problems()[0];
    assert_eq!(
        problem.kind,
        ProblemKind::ClapRejected {
            path: "megatron[0].overrides.num_gpus_per_worker".into(),
            arg: "--num-gpus-per-worker".into()
        }
    );
    let at = problem.location.as_ref().unwrap();
    assert_eq!((at.line(), at.column()), (4, 28));
    insta::assert_snapshot!(err.to_string());
}

#[test]
fn a_value_outside_the_allowed_values_lists_them() {
    let err = load("megatron:\n  - role: actor\n    overrides:\n      dtype: fp64\n").unwrap_err();
    insta::assert_snapshot!(err.to_string());
}

#[test]
fn a_custom_parser_functions_message_is_the_reason() {
    let err = load("megatron:\n  - role: actor\n    overrides:\n      warmup_ratio: 1.5\n").unwrap_err();
    insta::assert_snapshot!(err.to_string());
}

#[test]
fn list_elements_are_checked_one_by_one_at_their_place() {
    let err = load("megatron:\n  - role: actor\n    overrides:\n      ports: [8080, 80]\n").unwrap_err();
    let problem = &err.problems()[0];
    assert!(
        matches!(&problem.kind, ProblemKind::ClapRejected { path, .. } if path == "megatron[0].overrides.ports[1]"),
        "{problem:?}"
    );
    assert_eq!(problem.location.as_ref().unwrap().column(), 21);
    insta::assert_snapshot!(err.to_string());
}

#[test]
fn every_rejected_value_is_reported_together_with_the_other_problems() {
    let err = load(
        "megatron:\n  - role: actor\n    overrides:\n      dtype: float64\n      shift: 9\n      lrr: 1\n  - role: critic\n    overrides:\n      num_gpus_per_worker: 16\n      warmup_ratio: x\n",
    )
    .unwrap_err();
    let kinds: Vec<String> = err.problems().iter().map(|p| format!("{:?}", p.kind)).collect();
    assert_eq!(err.problems().len(), 5, "{kinds:#?}");
    insta::assert_snapshot!(err.to_string());
}

#[test]
fn null_for_an_optional_argument_and_flags_have_nothing_to_parse() {
    let config =
        load("megatron:\n  - role: actor\n    overrides:\n      shift: null\n      use_flash: false\n");
    assert!(config.is_ok(), "{}", config.unwrap_err());
}

#[test]
fn typed_overrides_pass_the_same_value_parsers() {
    let err = RoleConfig::<Worker>::from_overrides([(
        PpoRole::Critic,
        WorkerOverrides::default().dtype("fp64".into()),
    )])
    .unwrap_err();
    assert!(err.problems()[0].location.is_none());
    insta::assert_snapshot!(err.to_string());
    let mut args = baseline();
    let err = args.set("num_gpus_per_worker", 9).unwrap_err();
    assert!(matches!(err.problems()[0].kind, ProblemKind::ClapRejected { .. }), "{err}");
    assert_eq!(args, baseline(), "a refused set changes nothing");
    let mut overrides = WorkerOverrides::default();
    assert!(overrides.set("ports", vec![22u16]).is_err());
    assert_eq!(overrides, WorkerOverrides::default());
}

#[test]
fn deserialized_typed_overrides_pass_the_value_parsers() {
    let err = serde_yaml::from_str::<WorkerOverrides>("num_gpus_per_worker: 0\n").unwrap_err();
    assert!(err.to_string().contains("0 is not in 1..=8"), "{err}");
}

#[test]
fn a_flattened_groups_value_parsers_run_through_the_outer_struct() {
    let err = load("megatron:\n  - role: actor\n    overrides:\n      top_k: 0\n").unwrap_err();
    assert!(err.to_string().contains("`--top-k` does not accept `0`: 0 is not in 1..=1000"), "{err}");
}

#[test]
fn a_clap_args_group_on_its_own_has_its_value_parsers_checked() {
    let err = RoleConfig::<Sampling>::from_str(
        "megatron:\n  - role: actor\n    overrides:\n      top_k: 5000\n",
        "g.yaml",
    )
    .unwrap_err();
    assert!(
        matches!(&err.problems()[0].kind, ProblemKind::ClapRejected { arg, .. } if arg == "--top-k"),
        "{err}"
    );
}

#[path = "common/clap_agreement.rs"]
mod clap_agreement;

/// `fields()` of every clap struct here agrees with clap's own command.
#[test]
fn fields_agree_with_clap() {
    clap_agreement::parser::<Worker>();
    clap_agreement::group::<Sampling>();
}

/// A group whose relation names an argument of the struct that flattens
/// it: clap cannot build the group's command alone (its debug assertions
/// refuse the unknown id), so its values are checked against the whole
/// struct's command, and still by their own parsers.
mod group_naming_its_parent {
    use clap::Parser;
    use megatron_args::{MegatronArgs, ProblemKind, RoleConfig};

    #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
    struct Train {
        #[arg(long)]
        tokenizer: Option<String>,
        #[command(flatten)]
        #[megatron(flatten)]
        data: Data,
    }

    #[derive(clap::Args, MegatronArgs, Clone, Debug, PartialEq)]
    struct Data {
        #[arg(long, requires = "tokenizer", value_parser = clap::value_parser!(u32).range(1..=64))]
        num_workers: Option<u32>,
    }

    #[test]
    fn its_values_are_checked_without_building_it_alone() {
        let file = |n: &str| format!("megatron:\n  - role: actor\n    overrides:\n      num_workers: {n}\n");
        RoleConfig::<Train>::from_str(&file("8"), "train.yaml").unwrap();
        let err = RoleConfig::<Train>::from_str(&file("128"), "train.yaml").unwrap_err();
        assert!(matches!(err.problems()[0].kind, ProblemKind::ClapRejected { .. }), "{err}");
        assert!(err.to_string().contains("train.yaml:4:20"), "{err}");
    }
}
