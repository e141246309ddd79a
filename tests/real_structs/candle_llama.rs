//! An inference CLI like candle's llama example: `short` flags, a
//! `ValueEnum` without `value_enum`, `Option` sampling parameters.

use clap::{Parser, ValueEnum};
use megatron_args::{CliAction, MegatronArgs, PpoRole, ValueType};

use super::{resolve, single_problem};

#[derive(Clone, Debug, Copy, PartialEq, Eq, ValueEnum)]
enum Which {
    V1,
    V2,
    V3,
    #[value(name = "solar-10.7b")]
    Solar10_7B,
    #[value(name = "tiny-llama-1.1b-chat")]
    TinyLlama1_1BChat,
}

#[derive(Parser, Debug, Clone, megatron_args::MegatronArgs)]
#[command(author, version, about, long_about = None)]
struct Args {
    /// Run on CPU rather than on GPU.
    #[arg(long)]
    cpu: bool,

    /// The temperature used to generate samples.
    #[arg(long, default_value_t = 0.8)]
    temperature: f64,

    /// Nucleus sampling probability cutoff.
    #[arg(long)]
    top_p: Option<f64>,

    /// The seed to use when generating random samples.
    #[arg(long, default_value_t = 299792458)]
    seed: u64,

    /// The length of the sample to generate (in tokens).
    #[arg(short = 'n', long, default_value_t = 10000)]
    sample_len: usize,

    /// Disable the key-value cache.
    #[arg(long)]
    no_kv_cache: bool,

    /// The initial prompt.
    #[arg(short, long)]
    prompt: Option<String>,

    /// Use different dtype than f16
    #[arg(long)]
    dtype: Option<String>,

    /// Enable tracing (generates a trace-timestamp.json file).
    #[arg(long)]
    tracing: bool,

    #[arg(long)]
    model_id: Option<String>,

    #[arg(long)]
    revision: Option<String>,

    /// The model size to use.
    #[arg(long, default_value = "v3")]
    which: Which,

    #[arg(long)]
    use_flash_attn: bool,

    /// Penalty to be applied for repeating tokens, 1. means no penalty.
    #[arg(long, default_value_t = 1.1)]
    repeat_penalty: f32,

    /// The context size to consider for the repeat penalty.
    #[arg(long, default_value_t = 128)]
    repeat_last_n: usize,
}

#[test]
fn short_flags_and_value_enum_are_in_the_field_table() {
    let sample_len = Args::field("sample_len").unwrap();
    assert_eq!((sample_len.cli.long, sample_len.cli.short), (Some("sample-len"), Some('n')));
    let prompt = Args::field("prompt").unwrap();
    assert_eq!((prompt.cli.long, prompt.cli.short), (Some("prompt"), Some('p')));
    assert_eq!(Args::field("cpu").unwrap().cli.action, CliAction::SetTrue);
    assert_eq!(Args::field("top_p").unwrap().cli.action, CliAction::Set);
    let choices = ["v1", "v2", "v3", "solar-10.7b", "tiny-llama-1.1b-chat"].map(String::from).to_vec();
    assert_eq!(Args::field("which").unwrap().value_type, ValueType::Choice(choices));
    // Every listed short flag is one clap accepts.
    let args = Args::try_parse_from(["llama", "-n", "7", "-p", "hi"]).unwrap();
    assert_eq!((args.sample_len, args.prompt.as_deref()), (7, Some("hi")));
}

#[test]
fn file_values_convert_to_the_enum_and_options() {
    let baseline = Args::parse_from(["llama", "--which", "v2", "--top-p", "0.9"]);
    let resolved = resolve(
        &baseline,
        "megatron:\n  - role: critic\n    overrides:\n      which: tiny-llama-1.1b-chat\n      top_p: null\n      sample_len: '64'\n",
    );
    let critic = resolved.get(PpoRole::Critic).unwrap();
    assert_eq!(critic.which, Which::TinyLlama1_1BChat);
    assert_eq!((critic.top_p, critic.sample_len), (None, 64));
    let actor = resolved.get(PpoRole::Actor).unwrap();
    assert_eq!((actor.which, actor.top_p), (Which::V2, Some(0.9)));
}

#[test]
fn an_unknown_enum_value_is_located_and_lists_the_choices() {
    let (message, at) =
        single_problem::<Args>("megatron:\n  - role: actor\n    overrides:\n      which: v4\n");
    assert_eq!(at, "4:14");
    assert!(message.contains("`v1`, `v2`, `v3`, `solar-10.7b`, `tiny-llama-1.1b-chat`"), "{message}");
}

#[test]
fn a_resolved_role_with_short_flags_and_an_enum_round_trips_through_to_argv() {
    let baseline = Args::parse_from(["llama", "--which", "v2", "--top-p", "0.9", "-n", "7"]);
    let resolved = super::resolve(
        &baseline,
        "megatron:\n  - role: critic\n    overrides:\n      which: tiny-llama-1.1b-chat\n      top_p: null\n",
    );
    for role in resolved.roles() {
        super::argv_round_trip(role.args());
    }
}

#[test]
fn fields_agree_with_clap() {
    crate::clap_agreement::parser::<Args>();
}
