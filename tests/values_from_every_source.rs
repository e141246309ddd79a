//! Values from every source, told truthfully (issue 27; SPEC 3.14, 4.7a,
//! 4.8, 4.9): the program's own clap parse of a struct flattened into a
//! larger command line, environment variables and defaults named in
//! provenance and reports, derived values that are not "given" to clap's
//! relations, secrets masked everywhere the library shows them, and per-role
//! values on the command line.

use std::str::FromStr;

use clap::{CommandFactory, FromArgMatches, Parser};
use megatron_args::{
    CommandLine, Derivation, MegatronArgs, PpoRole, ProblemKind, Provenance, RoleConfig, Value, SECRET_MASK,
};

/// A batch-size ramp, `8->64@100`: `FromStr` only, no `Display`.
#[derive(Clone, Debug, PartialEq)]
struct Ramp {
    from: u32,
    to: u32,
    steps: u32,
}

impl FromStr for Ramp {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (from, rest) = text.split_once("->").ok_or("expected FROM->TO@STEPS")?;
        let (to, steps) = rest.split_once('@').ok_or("expected FROM->TO@STEPS")?;
        let number = |t: &str| t.parse::<u32>().map_err(|e| e.to_string());
        Ok(Ramp { from: number(from)?, to: number(to)?, steps: number(steps)? })
    }
}

/// The trainer's arguments, flattened into the program's command line (a
/// `Parser` too, for `to_argv`).
#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
#[megatron(derive_with = warmup_iters)]
struct Trainer {
    #[arg(long, default_value_t = 1e-6, env = "MEGATRON_ARGS_TEST27_LR")]
    lr: f64,
    #[arg(long, default_value_t = 0.0)]
    kl_coef: f64,
    #[arg(long)]
    batch_ramp: Option<Ramp>,
    #[arg(long)]
    save: Option<String>,
    /// The tracker's credential.
    #[arg(long)]
    #[megatron(secret)]
    wandb_key: Option<String>,
    /// Megatron-LM: the warmup as a fraction of the run, or in iterations.
    #[arg(long, conflicts_with = "lr_warmup_iters")]
    lr_warmup_fraction: Option<f64>,
    #[arg(long, default_value_t = 0)]
    lr_warmup_iters: u64,
    #[arg(long, default_value_t = 1000)]
    train_iters: u64,
}

/// `lr_warmup_iters` from the fraction, as a trainer derives it.
fn warmup_iters(d: &mut Derivation<'_, Trainer>) {
    d.fill("lr_warmup_iters", &["lr_warmup_fraction", "train_iters"], |a| {
        if let Some(fraction) = a.lr_warmup_fraction {
            a.lr_warmup_iters = (fraction * a.train_iters as f64) as u64;
        }
    });
}

/// The program: its own flags, and the trainer's.
#[derive(Parser, Debug)]
#[command(name = "train")]
struct Program {
    #[arg(long, default_value = "text")]
    format: String,
    #[arg(long)]
    print_argv: bool,
    #[arg(long = "megatron-override")]
    overrides: Vec<String>,
    #[command(flatten)]
    trainer: Trainer,
}

/// The program's parse of `argv`, and its command line.
fn parse(argv: &[&str]) -> (Trainer, CommandLine) {
    let matches = Program::command().try_get_matches_from(argv).expect("the program parses its command line");
    let program = Program::from_arg_matches(&matches).expect("the matches are the program's");
    (program.trainer, CommandLine::from_matches(argv, &matches))
}

const BOTH: &[PpoRole] = &[PpoRole::Actor, PpoRole::Critic];

#[test]
fn a_flattened_struct_keeps_its_texts_with_the_programs_own_parse() {
    let argv = ["train", "--format", "json", "--batch-ramp", "8->64@100", "--print-argv", "--kl-coef", "0.1"];
    let (trainer, command_line) = parse(&argv);
    assert_eq!(trainer.batch_ramp, Some(Ramp { from: 8, to: 64, steps: 100 }));
    let resolved =
        RoleConfig::<Trainer>::empty().resolve_with_command_line(&trainer, &command_line, BOTH).unwrap();

    // The `FromStr`-only value is written as it was given.
    let view = resolved.try_logger_view().expect("every value has a text");
    assert_eq!(view["critic/batch_ramp"], Value::String("8->64@100".into()));
    let actor = resolved.role(PpoRole::Actor).unwrap();
    assert_eq!(actor.value("batch_ramp").unwrap(), Value::String("8->64@100".into()));
    assert_eq!(actor.provenance("kl_coef"), Some(&Provenance::Baseline));
    assert_eq!(actor.provenance("save"), Some(&Provenance::Default));
}

#[test]
fn the_struct_alone_on_a_line_it_does_not_parse_is_an_error_that_says_what_to_use() {
    let argv = ["train", "--format", "json", "--batch-ramp", "8->64@100"];
    let (trainer, _) = parse(&argv);
    let err = RoleConfig::<Trainer>::empty()
        .resolve_with_command_line(&trainer, &CommandLine::new(argv), BOTH)
        .unwrap_err();
    assert!(matches!(err.problems()[0].kind, ProblemKind::CommandLineNotParsed), "{err}");
    let report = err.to_string();
    assert!(report.contains("does not parse with `Trainer` alone"), "{report}");
    assert!(report.contains("--format"), "{report}");
    assert!(report.contains("CommandLine::from_matches(argv, &matches)"), "{report}");
}

#[test]
fn a_value_from_an_environment_variable_is_named_so_and_a_default_is_a_default() {
    // Only this test reads the variable, and sets it before the parse.
    std::env::set_var("MEGATRON_ARGS_TEST27_LR", "3e-6");
    let argv = ["train", "--kl-coef", "0.1"];
    let (trainer, command_line) = parse(&argv);
    std::env::remove_var("MEGATRON_ARGS_TEST27_LR");
    assert_eq!(trainer.lr, 3e-6);

    let config =
        RoleConfig::<Trainer>::from_str("megatron:\n  - role: critic\n    overrides: {save: /c}\n", "r.yaml")
            .unwrap();
    let resolved = config.resolve_with_command_line(&trainer, &command_line, BOTH).unwrap();
    let critic = resolved.role(PpoRole::Critic).unwrap();
    let lr = critic.provenance("lr").unwrap();
    assert_eq!(lr, &Provenance::Environment { variable: "MEGATRON_ARGS_TEST27_LR".into() });
    assert_eq!(lr.to_string(), "environment variable MEGATRON_ARGS_TEST27_LR");
    assert_eq!(resolved.baseline_provenance("lr"), Some(lr));
    assert_eq!(critic.provenance("kl_coef").unwrap().to_string(), "command line");
    assert_eq!(critic.provenance("train_iters").unwrap().to_string(), "default");
    assert_eq!(critic.provenance("save").unwrap().to_string(), "r.yaml:3");
}

#[test]
fn a_derived_value_is_not_given_to_clap_relations() {
    // clap accepts `--lr-warmup-fraction` alone; the derivation fills
    // `lr_warmup_iters` for every role, which clap never counts as given.
    let argv = ["train", "--lr-warmup-fraction", "0.1"];
    let (trainer, command_line) = parse(&argv);
    let config = RoleConfig::<Trainer>::from_str(
        "megatron:\n  - role: critic\n    overrides: {lr_warmup_fraction: 0.2}\n",
        "r.yaml",
    )
    .unwrap();
    let resolved = config.resolve_with_command_line(&trainer, &command_line, BOTH).unwrap();
    assert_eq!(resolved.get(PpoRole::Actor).unwrap().lr_warmup_iters, 100);
    assert_eq!(resolved.get(PpoRole::Critic).unwrap().lr_warmup_iters, 200);

    // Given explicitly, by the file, the two still conflict, at the file value.
    let config = RoleConfig::<Trainer>::from_str(
        "megatron:\n  - role: critic\n    overrides: {lr_warmup_iters: 5}\n",
        "r.yaml",
    )
    .unwrap();
    let err = config.resolve_with_command_line(&trainer, &command_line, BOTH).unwrap_err();
    let report = err.to_string();
    assert!(matches!(err.problems()[0].kind, ProblemKind::ClapRelation { .. }), "{report}");
    assert!(report.contains("r.yaml:3:34"), "{report}");
}

#[test]
fn a_secret_is_masked_everywhere_the_library_shows_it_and_written_by_to_argv() {
    let argv = ["train", "--wandb-key", "hunter2-cli"];
    let (trainer, command_line) = parse(&argv);
    let config = RoleConfig::<Trainer>::from_str(
        "megatron:\n  - role: critic\n    overrides: {wandb_key: hunter2-file}\n",
        "r.yaml",
    )
    .unwrap();
    assert!(!format!("{config:?}").contains("hunter2"), "{config:?}");
    let resolved = config.resolve_with_command_line(&trainer, &command_line, BOTH).unwrap();

    let view = resolved.logger_view();
    assert_eq!(view["actor/wandb_key"], Value::String(SECRET_MASK.into()));
    assert_eq!(view["critic/wandb_key"], Value::String(SECRET_MASK.into()));
    let changes = resolved.changes(PpoRole::Critic);
    let change = changes.iter().find(|c| c.field.name == "wandb_key").expect("the critic's key differs");
    assert_eq!(
        (&change.baseline, &change.value),
        (&Value::String(SECRET_MASK.into()), &Value::String(SECRET_MASK.into()))
    );
    assert!(Trainer::field("wandb_key").unwrap().secret);

    // The launch needs the real value.
    let critic = resolved.get(PpoRole::Critic).unwrap();
    let launch = megatron_args::to_argv(critic).unwrap();
    assert!(launch.windows(2).any(|w| w == ["--wandb-key", "hunter2-file"]), "{launch:?}");

    // The template and the schema show no value.
    let template = megatron_args::template(&trainer);
    assert!(!template.contains("hunter2"), "{template}");
    assert!(template.contains("# wandb_key: \"<secret>\""), "{template}");
    let schema = megatron_args::json_schema::<Trainer>();
    assert_eq!(schema["$defs"]["overrides"]["properties"]["wandb_key"]["writeOnly"], serde_json::json!(true));

    // The command line a report shows masks it.
    assert!(!command_line.source().text().contains("hunter2"), "{}", command_line.source().text());
    assert!(!format!("{command_line:?}").contains("hunter2"));
}

#[test]
fn a_bad_secret_value_is_reported_without_echoing_it() {
    #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
    struct Keyed {
        #[arg(long, value_parser = clap::value_parser!(u64).range(100_000..))]
        #[megatron(secret)]
        pin: Option<u64>,
        #[arg(long)]
        #[megatron(secret)]
        token: Option<String>,
    }
    let text = "megatron:\n  - role: actor\n    overrides:\n      pin: 54321  # too short\n      token: [abc, def]\n";
    let err = RoleConfig::<Keyed>::from_str(text, "r.yaml").unwrap_err();
    let report = err.to_string();
    assert_eq!(err.problems().len(), 2, "{report}");
    assert!(
        report.contains("invalid value for `megatron[0].overrides.pin` (a secret: its value is not shown)"),
        "{report}"
    );
    assert!(report.contains("r.yaml:4:12"), "{report}");
    for secret in ["54321", "abc", "def"] {
        assert!(!report.contains(secret), "`{secret}` is shown:\n{report}");
    }
    assert!(!format!("{err:?}").contains("abc"), "the Debug form shows it");
}

#[test]
fn per_role_values_on_the_command_line_win_over_the_file_and_are_located() {
    let argv = [
        "train",
        "--kl-coef",
        "0.1",
        "--megatron-override",
        "critic.lr=1e-5",
        "--megatron-override=actor.batch_ramp=1->2@3",
        "--megatron-override",
        "critic.wandb_key=sekrit",
    ];
    let (trainer, command_line) = parse(&argv);
    let config = RoleConfig::<Trainer>::from_str(
        "megatron:\n  - role: critic\n    overrides: {lr: 2e-5, save: /c}\n",
        "r.yaml",
    )
    .unwrap()
    .with_command_line_overrides(&command_line, "--megatron-override")
    .unwrap();
    let resolved = config.resolve_with_command_line(&trainer, &command_line, BOTH).unwrap();
    let critic = resolved.role(PpoRole::Critic).unwrap();
    assert_eq!(critic.args().lr, 1e-5); // the command line wins
    assert_eq!(critic.args().save.as_deref(), Some("/c")); // the file's other value stays
    assert_eq!(critic.args().wandb_key.as_deref(), Some("sekrit"));
    match critic.provenance("lr") {
        Some(Provenance::CommandLine(at)) => assert_eq!((at.column(), at.marked_text()), (51, "1e-5")),
        other => panic!("{other:?}"),
    }
    let actor = resolved.role(PpoRole::Actor).unwrap();
    assert_eq!(actor.args().batch_ramp, Some(Ramp { from: 1, to: 2, steps: 3 }));
    assert_eq!(actor.value("batch_ramp").unwrap(), Value::String("1->2@3".into()));
    assert!(!command_line.source().text().contains("sekrit"), "{}", command_line.source().text());

    // Every role's launch command line parses back to its arguments, with
    // none of the program's own flags.
    for role in resolved.roles() {
        let launch = role.to_argv().unwrap();
        assert!(!launch.iter().any(|a| a.contains("megatron-override")), "{launch:?}");
        let back = Program::try_parse_from(std::iter::once("train".to_string()).chain(launch)).unwrap();
        assert_eq!(&back.trainer, role.args());
    }
}

#[test]
fn a_bad_per_role_value_on_the_command_line_is_a_problem_at_the_item() {
    let argv = [
        "train",
        "--megatron-override",
        "critic.lr=fast",
        "--megatron-override",
        "critc.save=/c",
        "--megatron-override",
        "actor.lrr=1",
        "--megatron-override",
        "actor.save",
    ];
    let (_, command_line) = parse(&argv);
    let err = RoleConfig::<Trainer>::empty()
        .with_command_line_overrides(&command_line, "--megatron-override")
        .unwrap_err();
    let report = err.to_string();
    let at: Vec<String> = err.problems().iter().map(|p| p.location.as_ref().unwrap().to_string()).collect();
    assert_eq!(err.problems().len(), 4, "{report}");
    assert!(report.contains("`actor.save` is not ROLE.KEY=VALUE"), "{report}");
    assert!(report.contains("invalid value for `critic.lr`"), "{report}");
    assert!(report.contains("unknown role `critc`") && report.contains("did you mean `critic`?"), "{report}");
    assert!(report.contains("did you mean `lr`?"), "{report}");
    for place in ["command line:1:37", "command line:1:62", "command line:1:102", "command line:1:128"] {
        assert!(at.contains(&place.to_string()), "{place} not in {at:?}\n{report}");
    }
}

#[test]
fn a_struct_reached_through_a_subcommand_keeps_its_texts_sources_and_places() {
    #[derive(clap::Subcommand, Debug)]
    enum Action {
        /// Train, with the trainer's arguments.
        Train(Trainer),
    }
    #[derive(Parser, Debug)]
    #[command(name = "tool")]
    struct Tool {
        #[arg(long)]
        verbose: bool,
        #[command(subcommand)]
        action: Action,
    }
    let argv = ["tool", "--verbose", "train", "--batch-ramp", "8->64@100", "--kl-coef", "0.1"];
    let matches = Tool::command().try_get_matches_from(argv).unwrap();
    let Action::Train(trainer) = Tool::from_arg_matches(&matches).unwrap().action;
    let (_, train_matches) = matches.subcommand().expect("the subcommand");
    let command_line = CommandLine::from_matches(argv, train_matches);

    let config = RoleConfig::<Trainer>::from_str(
        "megatron:\n  - role: critic\n    overrides: {kl_coef: 0.2}\n",
        "r.yaml",
    )
    .unwrap();
    let resolved = config.resolve_with_command_line(&trainer, &command_line, BOTH).unwrap();
    let actor = resolved.role(PpoRole::Actor).unwrap();
    assert_eq!(actor.value("batch_ramp").unwrap(), Value::String("8->64@100".into()));
    assert_eq!(actor.provenance("kl_coef"), Some(&Provenance::Baseline));
    assert_eq!(actor.provenance("train_iters"), Some(&Provenance::Default));
    let kl_coef = command_line.locate(Trainer::field("kl_coef").unwrap()).unwrap();
    assert_eq!(kl_coef.marked_text(), "--kl-coef 0.1");
    // The struct alone does not parse this line: an error, never a silent loss.
    let err = config.resolve_with_command_line(&trainer, &CommandLine::new(argv), BOTH).unwrap_err();
    assert!(matches!(err.problems()[0].kind, ProblemKind::CommandLineNotParsed), "{err}");
}
