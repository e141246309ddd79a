//! A text-generation CLI like candle's examples: the weights come from a
//! Hub model id or from local files, exactly one of the two (an `ArgGroup`,
//! `required(true)`, `multiple(false)`). A role file can break the group
//! both ways; resolution reports each at the file value (SPEC 3.13).

use std::path::PathBuf;

use clap::{ArgGroup, Parser};
use megatron_args::{PpoRole, ProblemKind, Styling};

use super::{argv_round_trip, load, resolve};

#[derive(Parser, Debug, Clone, megatron_args::MegatronArgs)]
#[command(author, version, about, long_about = None)]
#[command(group(
    ArgGroup::new("weights")
        .required(true)
        .multiple(false)
        .args(["model_id", "weight_files"]),
))]
struct Generate {
    /// The model on the Hugging Face Hub.
    #[arg(long)]
    model_id: Option<String>,

    /// Local safetensors files, separated by commas.
    #[arg(long, value_delimiter = ',')]
    weight_files: Vec<PathBuf>,

    /// The revision of the model on the Hub.
    #[arg(long, default_value = "main", conflicts_with = "weight_files")]
    revision: String,

    /// The length of the sample to generate (in tokens).
    #[arg(long, short = 'n', default_value_t = 100)]
    sample_len: usize,
}

fn refused(yaml: &str) -> megatron_args::Error {
    let baseline = Generate::parse_from(["generate", "--model-id", "mistralai/Mistral-7B-v0.1"]);
    match load::<Generate>(yaml)
        .expect("the file loads")
        .resolve(&baseline, &[PpoRole::Actor, PpoRole::Critic])
    {
        Ok(_) => panic!("the roles should be refused"),
        Err(err) => err,
    }
}

fn keys(err: &megatron_args::Error) -> Vec<(String, Vec<String>)> {
    err.problems()
        .iter()
        .map(|p| match &p.kind {
            ProblemKind::ClapRelation { role, keys } => (role.clone(), keys.clone()),
            other => panic!("a relation problem, not {other:?}"),
        })
        .collect()
}

#[test]
fn a_second_member_of_an_exclusive_group_is_a_problem_at_the_file_value() {
    let err =
        refused("megatron:\n  - role: critic\n    overrides:\n      weight_files: [critic.safetensors]\n");
    assert_eq!(
        keys(&err),
        [("critic".to_string(), vec!["model_id".to_string(), "weight_files".to_string()])]
    );
    assert_eq!(err.problems()[0].location.as_ref().map(|at| (at.line(), at.column())), Some((4, 21)));
    insta::assert_snapshot!(err.render(Styling::Plain));
}

#[test]
fn emptying_a_required_group_is_a_problem_at_the_file_value() {
    let err = refused("megatron:\n  - role: actor\n    overrides:\n      model_id: null\n");
    assert_eq!(keys(&err), [("actor".to_string(), vec!["model_id".to_string(), "weight_files".to_string()])]);
    assert_eq!(err.problems()[0].location.as_ref().map(|at| at.line()), Some(4));
    insta::assert_snapshot!(err.render(Styling::Plain));
}

#[test]
fn swapping_the_member_resolves_and_writes_back() {
    let baseline = Generate::parse_from(["generate", "--model-id", "mistralai/Mistral-7B-v0.1"]);
    let resolved = resolve(
        &baseline,
        "megatron:\n  - role: critic\n    overrides:\n      model_id: null\n      weight_files: [a.safetensors, b.safetensors]\n",
    );
    let critic = resolved.get(PpoRole::Critic).unwrap();
    assert_eq!(critic.weight_files.len(), 2);
    // `--revision main` is the default, which conflicts with local files
    // once written: the defaults are left out.
    assert_eq!(argv_round_trip(critic), ["--weight-files", "a.safetensors,b.safetensors"]);
    assert_eq!(
        argv_round_trip(resolved.get(PpoRole::Actor).unwrap()),
        ["--model-id", "mistralai/Mistral-7B-v0.1", "--revision", "main", "--sample-len", "100"]
    );
}

#[test]
fn a_revision_from_the_file_conflicts_with_local_files_of_the_command_line() {
    let baseline = Generate::parse_from(["generate", "--weight-files", "a.safetensors"]);
    let config =
        load::<Generate>("megatron:\n  - role: actor\n    overrides:\n      revision: refs/pr/1\n").unwrap();
    let err = config.resolve(&baseline, &[PpoRole::Actor, PpoRole::Critic]).map(|_| ()).unwrap_err();
    assert_eq!(keys(&err), [("actor".to_string(), vec!["weight_files".to_string(), "revision".to_string()])]);
    // The same revision as the default is no revision given: accepted.
    let same =
        load::<Generate>("megatron:\n  - role: actor\n    overrides:\n      revision: main\n").unwrap();
    assert!(same.resolve(&baseline, &[PpoRole::Actor]).is_ok());
}
