//! A trainer CLI with subcommands, as burn's and tch's training examples
//! and most model CLIs write it: shared options, then `train` (a struct of
//! its own), `eval`, `info`; and `export`, whose `-o` is given to two
//! arguments, which clap's debug assertions refuse only when `export` is
//! the subcommand parsed. `to_argv` writes the subcommand through its own
//! struct (SPEC 5.2), and nothing builds the subcommands a parse does not.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use megatron_args::{to_argv, MegatronArgs, MegatronSubcommand, PpoRole, ProblemKind};

use super::{argv_round_trip, resolve};

#[derive(Parser, Debug, Clone, PartialEq, MegatronArgs)]
#[command(name = "trainer", version, about = "Train and evaluate models")]
struct Cli {
    /// Where checkpoints and logs go.
    #[arg(long, default_value = "artifacts")]
    artifact_dir: PathBuf,

    /// The number of worker threads.
    #[arg(long, short = 'j', default_value_t = 4)]
    num_workers: usize,

    #[command(subcommand)]
    command: Commands,
}

#[derive(Subcommand, Debug, Clone, PartialEq, MegatronSubcommand)]
enum Commands {
    /// Train a model.
    Train(TrainConfig),
    /// Evaluate a checkpoint.
    #[command(name = "evaluate")]
    Eval(EvalConfig),
    /// Print the model's size.
    Info,
    /// Export a checkpoint.
    Export {
        /// The checkpoint to export.
        checkpoint: PathBuf,
        /// Where the export goes.
        #[arg(short, long)]
        output: PathBuf,
        /// Overwrite an existing export (its `-o` repeats `--output`'s).
        #[arg(short, long)]
        overwrite: bool,
    },
}

#[derive(Args, Debug, Clone, PartialEq, MegatronArgs)]
struct TrainConfig {
    /// The learning rate.
    #[arg(long, default_value_t = 1e-4)]
    lr: f64,
    /// The number of epochs.
    #[arg(long, default_value_t = 10)]
    num_epochs: usize,
    /// Resume from this checkpoint.
    #[arg(long)]
    resume: Option<PathBuf>,
    /// Mixed precision.
    #[arg(long)]
    fp16: bool,
}

#[derive(Args, Debug, Clone, PartialEq, MegatronArgs)]
struct EvalConfig {
    /// The checkpoint to evaluate.
    checkpoint: PathBuf,
    /// The batch size.
    #[arg(long, default_value_t = 32)]
    batch_size: usize,
}

fn launch(args: &[&str]) -> Cli {
    Cli::parse_from(std::iter::once("trainer").chain(args.iter().copied()))
}

#[test]
fn a_subcommand_with_its_arguments_is_written_through_its_own_struct() {
    let cli = launch(&["-j", "8", "train", "--lr", "3e-4", "--fp16", "--resume", "ckpt/last"]);
    let argv = argv_round_trip(&cli);
    assert_eq!(
        argv,
        [
            "--artifact-dir",
            "artifacts",
            "--num-workers",
            "8",
            "train",
            "--lr",
            "0.0003",
            "--num-epochs",
            "10",
            "--resume",
            "ckpt/last",
            "--fp16"
        ]
    );
    let parsed = Cli::parse_from(std::iter::once("trainer".to_string()).chain(argv));
    assert_eq!(parsed, cli);
}

#[test]
fn a_renamed_subcommand_with_a_positional_and_a_unit_subcommand_are_written() {
    let eval = launch(&["evaluate", "ckpt/best", "--batch-size", "64"]);
    let argv = to_argv(&eval).unwrap();
    assert_eq!(argv[4..], ["evaluate", "--batch-size", "64", "ckpt/best"]);
    assert_eq!(Cli::parse_from(std::iter::once("trainer".to_string()).chain(argv)), eval);
    let info = launch(&["info"]);
    assert_eq!(to_argv(&info).unwrap()[4..], ["info"]);
}

#[test]
fn each_role_gets_the_subcommand_of_the_command_line() {
    let baseline = launch(&["train", "--lr", "3e-4"]);
    let resolved = resolve(&baseline, "megatron:\n  - role: critic\n    overrides:\n      num_workers: 2\n");
    let critic = resolved.get(PpoRole::Critic).unwrap();
    assert_eq!((critic.num_workers, &critic.command), (2, &baseline.command));
    let argv = argv_round_trip(critic);
    assert_eq!(argv[..4], ["--artifact-dir", "artifacts", "--num-workers", "2"]);
    assert_eq!(argv[4], "train");
}

#[test]
fn a_variant_whose_command_clap_refuses_is_an_error_naming_the_field_not_a_panic() {
    // Built by hand: clap's own parse of `export` trips its debug assertion
    // (two `-o`), as it would in the trainer itself.
    let cli = Cli {
        artifact_dir: "artifacts".into(),
        num_workers: 4,
        command: Commands::Export { checkpoint: "ckpt".into(), output: "out".into(), overwrite: false },
    };
    if !cfg!(debug_assertions) {
        // Without clap's debug assertions the command is clap's to use.
        assert_eq!(to_argv(&cli).unwrap()[4..], ["export", "--output", "out", "ckpt"]);
        return;
    }
    let err = to_argv(&cli).unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    let problem = &err.problems()[0];
    assert_eq!(problem.kind, ProblemKind::NotWritable { key: "command".to_string() });
    // The variant's own fields are written as clap reads them (SPEC 5.2),
    // through clap's command of `export`, which clap's debug assertions
    // refuse as they would refuse its parse.
    assert!(
        problem.message.contains("clap refuses the command of subcommand `export`"),
        "{}",
        problem.message
    );
    assert!(
        problem.message.contains("'-o' is in use by both 'output' and 'overwrite'"),
        "{}",
        problem.message
    );
}

#[test]
fn a_clap_debug_assertion_in_another_subcommand_does_not_panic() {
    // Every subcommand built at once runs clap's debug assertions on
    // `export` too; clap's own parse builds only the one it parses.
    let baseline = launch(&["train"]);
    assert!(Cli::field("num_workers").is_some());
    let resolved =
        resolve(&baseline, "megatron:\n  - role: actor\n    overrides:\n      artifact_dir: /ckpt/actor\n");
    let actor = resolved.get(PpoRole::Actor).unwrap();
    assert_eq!(actor.artifact_dir, PathBuf::from("/ckpt/actor"));
    assert_eq!(to_argv(actor).unwrap()[..2], ["--artifact-dir", "/ckpt/actor"]);
    // A value the clap command has, and a value it refuses, are checked as before.
    let bad =
        super::rejection::<Cli>("megatron:\n  - role: actor\n    overrides:\n      num_workers: many\n");
    assert_eq!(bad.problems().len(), 1);
}
