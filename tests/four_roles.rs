//! The four-role GRPO/PPO trainer of issue 28: actor, critic, reference and
//! a reward model in a topology group of its own; optimizer, topology and
//! placement arguments in flattened groups, whose hooks (`validate`,
//! `check`, `derive_with`) run wherever the group is flattened, per role.

use clap::Parser;
use megatron_args::{Checks, Derivation, MegatronArgs, ProblemKind, Provenance, Role, RoleConfig};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Role)]
enum RlRole {
    Actor,
    Critic,
    Reference,
    #[role(topology_group = "reward")]
    RewardModel,
}

const ALL: &[RlRole] = &[RlRole::Actor, RlRole::Critic, RlRole::Reference, RlRole::RewardModel];

fn positive(value: &f64) -> Result<(), String> {
    if *value > 0.0 {
        Ok(())
    } else {
        Err(format!("must be positive, got {value}"))
    }
}

/// The optimizer's arguments, a group flattened into the trainer's.
#[derive(clap::Args, MegatronArgs, Clone, Debug, PartialEq)]
#[megatron(roles = RlRole, check = min_le_lr, derive_with = derive_warmup)]
struct OptimizerArgs {
    #[arg(long, default_value_t = 1e-6)]
    #[megatron(validate = positive, role_default(critic = 1e-5))]
    lr: f64,
    #[arg(long, default_value_t = 0.0)]
    min_lr: f64,
    #[arg(long, default_value_t = 0)]
    lr_warmup_iters: u64,
    #[arg(long)]
    lr_warmup_fraction: Option<f64>,
    #[arg(long, default_value_t = 1000)]
    train_iters: u64,
}

fn min_le_lr(c: &mut Checks<'_, OptimizerArgs>) {
    let (a, n) = (c.args(), OptimizerArgs::NAMES);
    if a.min_lr > a.lr {
        c.report_args(&[n.min_lr, n.lr], "`min_lr` is above `lr`").help("lower `min_lr`");
    }
}

fn derive_warmup(d: &mut Derivation<'_, OptimizerArgs>) {
    let n = OptimizerArgs::NAMES;
    d.fill_arg(n.lr_warmup_iters, &[n.lr_warmup_fraction, n.train_iters], |a| {
        if let Some(fraction) = a.lr_warmup_fraction {
            a.lr_warmup_iters = (fraction * a.train_iters as f64) as u64;
        }
    });
}

#[derive(clap::Args, MegatronArgs, Clone, Debug, PartialEq)]
#[megatron(roles = RlRole)]
struct TopologyArgs {
    #[arg(long, default_value_t = 1)]
    #[topology]
    tensor_model_parallel_size: u32,
    #[arg(long, default_value_t = 1)]
    #[topology]
    pipeline_model_parallel_size: u32,
}

#[derive(clap::Args, MegatronArgs, Clone, Debug, PartialEq)]
#[megatron(roles = RlRole)]
struct PlacementArgs {
    #[arg(long, default_value_t = 1)]
    #[placement]
    actor_num_nodes: u32,
    #[arg(long, default_value_t = 1)]
    #[placement]
    reward_num_nodes: u32,
}

#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
#[command(name = "grpo")]
#[megatron(roles = RlRole, check = micro_batch_fits)]
struct GrpoArgs {
    #[command(flatten)]
    optimizer: OptimizerArgs,
    #[command(flatten)]
    topology: TopologyArgs,
    #[command(flatten)]
    placement: PlacementArgs,
    #[arg(long, default_value_t = 1)]
    micro_batch_size: u32,
    #[arg(long)]
    #[megatron(skip)]
    megatron_config_path: Option<String>,
}

/// A check of the trainer naming a group's argument through the group's
/// names table, as the trainer's own.
fn micro_batch_fits(c: &mut Checks<'_, GrpoArgs>) {
    let (a, n) = (c.args(), GrpoArgs::NAMES);
    if u64::from(a.micro_batch_size) > a.optimizer.train_iters {
        c.report_args(&[n.micro_batch_size, n.optimizer.train_iters], "more micro-batches than iterations");
    }
}

fn cli(flags: &[&str]) -> GrpoArgs {
    GrpoArgs::parse_from(std::iter::once("grpo").chain(flags.iter().copied()))
}

fn load(text: &str) -> RoleConfig<GrpoArgs> {
    RoleConfig::<GrpoArgs>::from_str(text, "roles.yaml").expect("the file loads")
}

#[test]
fn a_group_check_broken_by_one_roles_file_value_is_reported_at_that_line() {
    let text = "megatron:\n  - role: reference\n    overrides:\n      min_lr: 1.0e-3\n";
    let err = load(text).resolve(&cli(&[]), ALL).unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    let problem = &err.problems()[0];
    assert_eq!(
        problem.kind,
        ProblemKind::Relation { keys: vec!["min_lr".into(), "lr".into()], roles: vec!["reference".into()] }
    );
    assert_eq!(problem.location.as_ref().unwrap().to_string(), "roles.yaml:4:15");
    assert!(err.to_string().contains("`min_lr` is above `lr`"), "{err}");
}

#[test]
fn a_group_check_runs_on_the_command_line_alone() {
    let err = megatron_args::resolve(&cli(&["--min-lr", "1e-3", "--lr", "1e-6"]), None, ALL).unwrap_err();
    assert!(matches!(err.problems()[0].kind, ProblemKind::Relation { .. }), "{err}");
}

#[test]
fn a_group_derivation_fills_per_role_and_names_its_sources() {
    let text = "megatron:\n  - role: critic\n    overrides:\n      train_iters: 200\n";
    let resolved = load(text).resolve(&cli(&["--lr-warmup-fraction", "0.1"]), ALL).unwrap();
    assert_eq!(resolved.get(RlRole::Actor).unwrap().optimizer.lr_warmup_iters, 100);
    let critic = resolved.role(RlRole::Critic).unwrap();
    assert_eq!(critic.args().optimizer.lr_warmup_iters, 20);
    assert_eq!(
        critic.provenance("lr_warmup_iters").unwrap().to_string(),
        "derived from lr_warmup_fraction, train_iters"
    );
    // A value the role gives itself is never replaced.
    let text = "megatron:\n  - role: actor\n    overrides:\n      lr_warmup_iters: 7\n";
    let resolved = load(text).resolve(&cli(&["--lr-warmup-fraction", "0.1"]), ALL).unwrap();
    let actor = resolved.role(RlRole::Actor).unwrap();
    assert_eq!(actor.args().optimizer.lr_warmup_iters, 7);
    assert!(matches!(actor.provenance("lr_warmup_iters"), Some(Provenance::File(_))));
}

#[test]
fn a_group_validator_runs_for_every_role_at_the_file_value() {
    let text = "megatron:\n  - role: reward_model\n    overrides:\n      lr: -1.0\n      min_lr: -2.0\n";
    let err = load(text).resolve(&cli(&[]), ALL).unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    assert_eq!(err.problems()[0].location.as_ref().unwrap().to_string(), "roles.yaml:4:11");
    assert!(err.to_string().contains("must be positive"), "{err}");
}

#[test]
fn the_group_alone_runs_its_hooks_too() {
    let mut group = OptimizerArgs {
        lr: 1e-6,
        min_lr: 1e-3,
        lr_warmup_iters: 0,
        lr_warmup_fraction: None,
        train_iters: 10,
    };
    let err = group.apply_overrides(RlRole::Actor, &OptimizerArgsOverrides::default()).unwrap_err();
    assert!(matches!(err.problems()[0].kind, ProblemKind::Relation { .. }), "{err}");
}

#[test]
fn the_reward_model_keeps_its_own_tensor_parallel_size() {
    let text = "megatron:\n  - role: reward_model\n    overrides:\n      tensor_model_parallel_size: 4\n";
    let resolved = load(text).resolve(&cli(&["--tensor-model-parallel-size", "2"]), ALL).unwrap();
    assert_eq!(resolved.get(RlRole::RewardModel).unwrap().topology.tensor_model_parallel_size, 4);
    assert_eq!(resolved.get(RlRole::Reference).unwrap().topology.tensor_model_parallel_size, 2);
}

#[test]
fn typed_names_name_the_arguments_of_the_struct_and_its_groups() {
    let n = GrpoArgs::NAMES;
    assert_eq!(n.micro_batch_size.name(), "micro_batch_size");
    assert_eq!(n.optimizer.min_lr.name(), "min_lr");
    assert_eq!(n.topology.tensor_model_parallel_size.info().class, megatron_args::FieldClass::Topology);
    assert_eq!(n.placement.reward_num_nodes.info().flag, "--reward-num-nodes");
    assert_eq!(OptimizerArgs::NAMES.lr.to_string(), "lr");
}

#[test]
fn a_check_naming_a_groups_argument_is_located_at_its_file_value() {
    let text =
        "megatron:\n  - role: critic\n    overrides:\n      train_iters: 2\n      micro_batch_size: 4\n";
    let err = load(text).resolve(&cli(&[]), ALL).unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    assert_eq!(
        err.problems()[0].kind,
        ProblemKind::Relation {
            keys: vec!["micro_batch_size".into(), "train_iters".into()],
            roles: vec!["critic".into()]
        }
    );
    assert_eq!(err.problems()[0].location.as_ref().unwrap().to_string(), "roles.yaml:5:25");
}

#[test]
fn a_files_warnings_are_kept_beside_its_errors() {
    // The placement key is ignored with a warning; `lr: fast` is an error.
    let text = "megatron:\n  - role: actor\n    overrides:\n      actor_num_nodes: 4\n      lr: fast\n";
    let err = RoleConfig::<GrpoArgs>::from_str(text, "roles.yaml").unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    assert_eq!(err.diagnostics().len(), 1, "{:?}", err.diagnostics());
    assert_eq!(err.diagnostics()[0].kind, megatron_args::DiagnosticKind::PlacementKeyIgnored);
    assert_eq!(err.diagnostics()[0].location.as_ref().unwrap().to_string(), "roles.yaml:4:7");
    // And those of a resolution that fails.
    let text = "megatron:\n  - role: actor\n    overrides:\n      actor_num_nodes: 4\n      min_lr: 1.0\n";
    let err = load(text).resolve(&cli(&[]), ALL).unwrap_err();
    assert!(err.diagnostics().iter().any(|d| d.kind == megatron_args::DiagnosticKind::PlacementKeyIgnored));
}

#[test]
fn one_call_resolves_with_the_command_line_and_marks_its_values() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roles.yaml");
    std::fs::write(&path, "megatron:\n  - role: critic\n    overrides:\n      lr: 1.0e-7\n").unwrap();
    let argv = ["grpo", "--min-lr", "1e-6"];
    let command_line = megatron_args::CommandLine::new(argv);
    let err = megatron_args::resolve_with_command_line(&cli(&argv[1..]), &command_line, Some(&path), ALL)
        .unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    let report = err.to_string();
    assert!(report.contains("roles.yaml:4:11") && report.contains("command line:1:6"), "{report}");
    // No file: the command line alone.
    let resolved =
        megatron_args::resolve_with_command_line(&cli(&argv[1..]), &command_line, None, ALL).unwrap();
    assert_eq!(resolved.get(RlRole::Actor).unwrap().optimizer.min_lr, 1e-6);
}

#[test]
fn to_argv_may_leave_the_shared_arguments_out() {
    use megatron_args::{to_argv, to_argv_with, ArgvOptions};
    let baseline = cli(&["--lr", "1e-5", "--megatron-config-path", "roles.yaml"]);
    let all = to_argv(&baseline).unwrap();
    assert!(all.windows(2).any(|w| w == ["--megatron-config-path", "roles.yaml"]), "{all:?}");
    let own = to_argv_with(&baseline, ArgvOptions::default().shared(false)).unwrap();
    assert!(!own.iter().any(|a| a == "--megatron-config-path"), "{own:?}");
    assert_eq!(own.len() + 2, all.len());
    // The role's own command line, written from a resolution.
    let resolved = load("megatron:\n  - role: critic\n").resolve(&baseline, ALL).unwrap();
    let critic = resolved.role(RlRole::Critic).unwrap();
    assert!(!critic
        .to_argv_with(ArgvOptions::default().shared(false))
        .unwrap()
        .contains(&"roles.yaml".to_string()));
}

#[test]
fn the_reward_models_own_topology_gets_no_advice_it_cannot_follow() {
    let text = "megatron:\n  - role: reward_model\n    overrides:\n      tensor_model_parallel_size: 4\n";
    let resolved = load(text).resolve(&cli(&["--tensor-model-parallel-size", "2"]), ALL).unwrap();
    let topology: Vec<_> = resolved
        .diagnostics()
        .iter()
        .filter(|d| d.kind == megatron_args::DiagnosticKind::TopologyOverride)
        .collect();
    assert_eq!(topology.len(), 1, "{topology:?}");
    assert_eq!(topology[0].level, megatron_args::Level::Info);
    assert!(topology[0].help.is_none(), "{topology:?}");
    assert!(topology[0].message.contains("topology group `reward`"), "{topology:?}");
    // A value every group has could go on the command line: that advice stays.
    let text = "megatron:\n  - role: reward_model\n    overrides:\n      tensor_model_parallel_size: 2\n";
    let resolved = load(text).resolve(&cli(&["--tensor-model-parallel-size", "2"]), ALL).unwrap();
    let warning = resolved
        .diagnostics()
        .iter()
        .find(|d| d.kind == megatron_args::DiagnosticKind::TopologyOverride)
        .unwrap();
    assert_eq!(warning.level, megatron_args::Level::Warning);
    assert!(warning.help.as_deref().unwrap().contains("on the command line"), "{warning:?}");
}

#[test]
fn roles_of_a_group_must_agree_and_are_told_so_within_their_group() {
    let text = "megatron:\n  - role: reference\n    overrides:\n      tensor_model_parallel_size: 4\n";
    let err = load(text).resolve(&cli(&[]), ALL).unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    let problem = &err.problems()[0];
    assert_eq!(problem.kind, ProblemKind::TopologyMismatch { key: "tensor_model_parallel_size".into() });
    assert_eq!(problem.location.as_ref().unwrap().to_string(), "roles.yaml:4:35");
    let help = problem.help.as_deref().unwrap();
    assert!(help.contains("topology group `default` (actor, critic, reference)"), "{help}");
    assert!(!help.contains("command line"), "{help}");
}

#[test]
fn the_template_lists_the_topology_keys_of_a_role_with_its_own_group() {
    let text = megatron_args::template(&cli(&["--tensor-model-parallel-size", "2"]));
    let reward = text.split("role: reward_model").nth(1).unwrap();
    assert!(reward.contains("# tensor_model_parallel_size: 2"), "{text}");
    assert!(reward.contains("Topology group `reward` has its own topology"), "{text}");
    let actor = text.split("role: actor").nth(1).unwrap().split("role: critic").next().unwrap();
    assert!(!actor.contains("tensor_model_parallel_size"), "{text}");
    // Uncommented, the reward model's line gives it its own topology.
    let edited = text.replacen("# tensor_model_parallel_size: 2", "tensor_model_parallel_size: 4", 1);
    let resolved = RoleConfig::<GrpoArgs>::from_str(&edited, "roles.yaml")
        .unwrap()
        .resolve(&cli(&["--tensor-model-parallel-size", "2"]), ALL)
        .unwrap();
    assert_eq!(resolved.get(RlRole::RewardModel).unwrap().topology.tensor_model_parallel_size, 4);
}

/// A struct with no argument (a subcommand and a skipped field) derives,
/// its names table empty.
#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
struct NoArguments {
    #[arg(skip)]
    seen: u32,
}

#[test]
fn a_struct_without_arguments_has_an_empty_names_table() {
    let _names: NoArgumentsNames = NoArguments::NAMES;
    assert!(NoArguments::fields().is_empty());
}

/// The report of the scenario, as a user reads it: the group's
/// check, broken by the reference's file value, at that line beside the
/// command-line value; and the topology of the actor's group, told within
/// its group.
#[test]
fn the_four_role_reports_read_as_a_user_reads_them() {
    let argv = ["grpo", "--lr", "1e-6"];
    let text = "megatron:\n  - role: reference\n    overrides:\n      min_lr: 1.0e-3\n      \
                tensor_model_parallel_size: 2\n  - role: reward_model\n    overrides:\n      \
                tensor_model_parallel_size: 4\n";
    let err = load(text)
        .resolve_with_command_line(&cli(&argv[1..]), &megatron_args::CommandLine::new(argv), ALL)
        .unwrap_err();
    insta::assert_snapshot!(err.to_string());
}

/// A group in a group: the innermost group's check runs, at the right
/// fields, in the outermost struct.
#[derive(clap::Args, MegatronArgs, Clone, Debug, PartialEq)]
#[megatron(roles = RlRole)]
struct TrainingArgs {
    #[arg(long, default_value_t = 1)]
    global_batch_size: u32,
    #[command(flatten)]
    optimizer: OptimizerArgs,
}

#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
#[megatron(roles = RlRole)]
struct NestedArgs {
    #[arg(long, default_value_t = 0)]
    seed: u64,
    #[command(flatten)]
    training: TrainingArgs,
}

#[test]
fn a_check_of_a_group_in_a_group_runs_at_its_fields() {
    let text = "megatron:\n  - role: critic\n    overrides:\n      min_lr: 1.0\n";
    let config = RoleConfig::<NestedArgs>::from_str(text, "roles.yaml").unwrap();
    let err = config.resolve(&NestedArgs::parse_from(["nested"]), ALL).unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    assert_eq!(
        err.problems()[0].kind,
        ProblemKind::Relation { keys: vec!["min_lr".into(), "lr".into()], roles: vec!["critic".into()] }
    );
    assert_eq!(err.problems()[0].location.as_ref().unwrap().to_string(), "roles.yaml:4:15");
    let n = NestedArgs::NAMES;
    assert_eq!(n.training.optimizer.min_lr.info().flag, "--min-lr");
}
