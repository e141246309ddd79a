//! An inference CLI like rustformers/llm's: a positional model path, `-vvv`
//! (`ArgAction::Count`), a comma-delimited list.

use std::path::PathBuf;

use clap::{ArgAction, Parser};
use megatron_args::{CliAction, MegatronArgs, PpoRole};

use super::{resolve, single_problem};

#[derive(Parser, Debug, Clone, megatron_args::MegatronArgs)]
struct Infer {
    /// Where to load the model from.
    model_path: PathBuf,

    /// More output: `-v`, `-vv`, `-vvv`.
    #[arg(short, long, action = ArgAction::Count)]
    verbose: u8,

    /// Sequences that stop generation, separated by commas.
    #[arg(long, value_delimiter = ',')]
    stop_sequences: Vec<String>,

    /// Sets the number of threads to use.
    #[arg(long, short = 't', default_value_t = 8)]
    num_threads: usize,

    /// Sets how many tokens to predict.
    #[arg(long, short = 'n')]
    num_predict: Option<usize>,

    /// Size of the context.
    #[arg(long, default_value_t = 2048)]
    num_ctx_tokens: usize,

    /// The top K words by score are kept during sampling.
    #[arg(long, default_value_t = 40)]
    top_k: usize,

    /// The path to a LoRA adapter, one or several.
    #[arg(long)]
    lora_paths: Option<Vec<PathBuf>>,
}

#[test]
fn positional_count_and_delimited_list_are_described() {
    let model = Infer::field("model_path").unwrap();
    assert_eq!((model.cli.positional, model.cli.long, model.flag), (Some(0), None, "<MODEL_PATH>"));
    let verbose = Infer::field("verbose").unwrap();
    assert_eq!((verbose.cli.short, verbose.cli.action), (Some('v'), CliAction::Count));
    let stops = Infer::field("stop_sequences").unwrap();
    assert_eq!((stops.cli.value_delimiter, stops.cli.action), (Some(','), CliAction::Append));
    assert_eq!(Infer::field("lora_paths").unwrap().cli.action, CliAction::Append);
    let parsed = Infer::parse_from(["llm", "m.bin", "-vvv", "--stop-sequences", "a,b"]);
    assert_eq!((parsed.verbose, parsed.stop_sequences.len()), (3, 2));
}

#[test]
fn file_values_fill_the_positional_count_and_list() {
    let baseline = Infer::parse_from(["llm", "llama-7b.bin", "-vv", "--stop-sequences", "User:,###"]);
    let resolved = resolve(
        &baseline,
        "megatron:\n  - role: critic\n    overrides:\n      model_path: critic-7b.bin\n      verbose: 0\n      \
         stop_sequences: ['</s>']\n      lora_paths: [a.bin, b.bin]\n",
    );
    let critic = resolved.get(PpoRole::Critic).unwrap();
    assert_eq!(critic.model_path, PathBuf::from("critic-7b.bin"));
    assert_eq!((critic.verbose, critic.stop_sequences.clone()), (0, vec!["</s>".to_string()]));
    assert_eq!(critic.lora_paths, Some(vec![PathBuf::from("a.bin"), PathBuf::from("b.bin")]));
    let actor = resolved.get(PpoRole::Actor).unwrap();
    assert_eq!(
        (actor.verbose, actor.stop_sequences.clone()),
        (2, vec!["User:".to_string(), "###".to_string()])
    );
}

#[test]
fn a_bad_list_element_names_its_index_and_place() {
    let (message, at) =
        single_problem::<Infer>("megatron:\n  - role: actor\n    overrides:\n      stop_sequences: [a, 3]\n");
    assert!(message.contains("stop_sequences[1]"), "{message}");
    assert_eq!(at, "4:27");
}

#[test]
fn the_positional_count_and_delimited_list_round_trip_through_to_argv() {
    let baseline = Infer::parse_from(["llm", "llama-7b.bin", "-vv", "--stop-sequences", "User:,###"]);
    let resolved = super::resolve(
        &baseline,
        "megatron:\n  - role: critic\n    overrides:\n      model_path: -critic.bin\n      verbose: 3\n",
    );
    let actor = super::argv_round_trip(resolved.get(PpoRole::Actor).unwrap());
    assert!(actor.contains(&"-vv".to_string()) && actor.contains(&"User:,###".to_string()), "{actor:?}");
    assert_eq!(actor.last().map(String::as_str), Some("llama-7b.bin"));
    let critic = super::argv_round_trip(resolved.get(PpoRole::Critic).unwrap());
    assert_eq!(critic[critic.len() - 2..], ["--", "-critic.bin"]);
}

#[test]
fn fields_agree_with_clap() {
    crate::clap_agreement::parser::<Infer>();
}
