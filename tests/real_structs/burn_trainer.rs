//! A trainer like burn's examples behind a clap CLI: a subcommand, and a
//! skipped field that is no argument (a device list of a type without any
//! conversion, `Debug` or `PartialEq`).

use clap::{Parser, Subcommand};
use megatron_args::{MegatronArgs, PpoRole, ProblemKind};

use super::{rejection, resolve};

/// A compute device: not a command-line value.
#[derive(Clone)]
pub struct Device {
    index: usize,
}

#[derive(Subcommand, Debug, Clone)]
enum Command {
    /// Train the model.
    Train {
        #[arg(long)]
        resume_from: Option<usize>,
    },
    /// Evaluate a checkpoint.
    Eval { checkpoint: String },
}

#[derive(Parser, Clone, megatron_args::MegatronArgs)]
#[command(version, about = "burn MNIST trainer")]
struct Cli {
    #[command(subcommand)]
    command: Command,

    /// Directory of the artifacts (checkpoints, logs).
    #[arg(long, default_value = "/tmp/burn-example-mnist")]
    artifact_dir: String,

    #[arg(long, default_value_t = 10)]
    num_epochs: usize,

    #[arg(long, default_value_t = 64)]
    batch_size: usize,

    #[arg(long, default_value_t = 4)]
    num_workers: usize,

    #[arg(long, default_value_t = 42)]
    seed: u64,

    #[arg(long, default_value_t = 1.0e-4)]
    learning_rate: f64,

    #[arg(skip = vec![Device { index: 0 }])]
    devices: Vec<Device>,
}

#[test]
fn subcommand_and_skipped_fields_are_not_arguments() {
    let names: Vec<_> = Cli::fields().iter().map(|f| f.name).collect();
    assert_eq!(names, ["artifact_dir", "num_epochs", "batch_size", "num_workers", "seed", "learning_rate"]);
    let err = rejection::<Cli>("megatron:\n  - role: actor\n    overrides:\n      devices: [1]\n");
    assert!(matches!(err.problems()[0].kind, ProblemKind::UnknownKey { .. }), "{err}");
}

#[test]
fn subcommand_and_skipped_fields_follow_the_baseline() {
    let mut baseline = Cli::parse_from(["train", "--batch-size", "32", "train", "--resume-from", "3"]);
    baseline.devices.push(Device { index: 1 });
    let resolved = resolve(
        &baseline,
        "megatron:\n  - role: critic\n    overrides:\n      learning_rate: 1e-5\n      batch_size: 16\n",
    );
    let critic = resolved.get(PpoRole::Critic).unwrap();
    assert_eq!((critic.learning_rate, critic.batch_size), (1e-5, 16));
    assert!(matches!(critic.command, Command::Train { resume_from: Some(3) }));
    assert_eq!(critic.devices.iter().map(|d| d.index).collect::<Vec<_>>(), [0, 1]);
    assert_eq!(resolved.get(PpoRole::Actor).unwrap().batch_size, 32);
}

#[test]
fn a_float_for_an_integer_field_is_located() {
    let err = rejection::<Cli>("megatron:\n  - role: critic\n    overrides:\n      num_epochs: 2.5\n");
    let location = err.problems()[0].location.as_ref().unwrap();
    assert_eq!((location.line(), location.column()), (4, 19));
}

#[test]
fn to_argv_refuses_a_subcommand_whose_enum_has_no_megatron_subcommand_naming_the_field() {
    // The enum derives clap's `Subcommand` only: its value cannot be
    // written, and the error says so instead of dropping it.
    let baseline = Cli::parse_from(["train", "--batch-size", "32", "eval", "ckpt-3"]);
    let err = megatron_args::to_argv(&baseline).unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    assert_eq!(err.problems()[0].kind, ProblemKind::NotWritable { key: "command".to_string() });
    assert!(err.problems()[0].message.contains("`Command` does not derive `MegatronSubcommand`"), "{err}");
}

#[test]
fn fields_agree_with_clap() {
    crate::clap_agreement::parser::<Cli>();
}

/// The same trainer with the subcommand optional.
#[derive(Parser, Clone, megatron_args::MegatronArgs)]
struct OptionalCommandCli {
    #[command(subcommand)]
    command: Option<Command>,
    #[arg(long, default_value_t = 64)]
    batch_size: usize,
}

#[test]
fn to_argv_names_an_optional_subcommand_enum_whole() {
    // The type is named without its module paths and without a stray `>`
    // (it was "`Command>`").
    let baseline = OptionalCommandCli::parse_from(["train", "eval", "ckpt-3"]);
    let err = megatron_args::to_argv(&baseline).unwrap_err();
    let message = &err.problems()[0].message;
    assert!(message.contains("`Option<Command>` does not derive `MegatronSubcommand`"), "{err}");
}
