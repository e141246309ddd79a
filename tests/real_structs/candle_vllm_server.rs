//! A serving CLI like candle-vllm's, with the less common field types:
//! `Duration` through a custom clap parser, `NonZeroU32`, `char`, `u128`,
//! and a `HashMap` that is no argument (`#[arg(skip)]`).

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::time::Duration;

use clap::Parser;
use megatron_args::{MegatronArgs, PpoRole, Value};

use super::{resolve, single_problem};

fn parse_duration(text: &str) -> Result<Duration, std::num::ParseFloatError> {
    text.parse::<f64>().map(Duration::from_secs_f64)
}

#[derive(Parser, Debug, Clone, megatron_args::MegatronArgs)]
#[command(author, version, about, long_about = None)]
struct Args {
    /// Port to serve on (localhost:port).
    #[arg(long, default_value_t = 2000)]
    port: u16,

    /// Seconds before an idle request is dropped.
    #[arg(long, value_parser = parse_duration, default_value = "30")]
    request_timeout: Duration,

    /// Maximum number of sequences per batch.
    #[arg(long, default_value = "256")]
    max_num_seqs: NonZeroU32,

    /// Separator of the stop-token list.
    #[arg(long, default_value_t = ',')]
    separator: char,

    /// Seed of the sampler.
    #[arg(long, default_value_t = 0)]
    seed: u128,

    /// Size of a KV-cache block.
    #[arg(long, default_value_t = 32)]
    block_size: usize,

    /// Extra HTTP headers, filled in by code.
    #[arg(skip)]
    extra_headers: HashMap<String, String>,
}

#[test]
fn uncommon_types_convert_from_file_values() {
    let mut baseline = Args::parse_from(["vllm", "--request-timeout", "2.5"]);
    baseline.extra_headers.insert("x-role".into(), "any".into());
    assert_eq!(baseline.request_timeout, Duration::from_millis(2500));
    let resolved = resolve(
        &baseline,
        "megatron:\n  - role: critic\n    overrides:\n      request_timeout: 90\n      max_num_seqs: 64\n      \
         separator: ';'\n      seed: '340282366920938463463374607431768211455'\n",
    );
    let critic = resolved.get(PpoRole::Critic).unwrap();
    assert_eq!(critic.request_timeout, Duration::from_secs(90));
    assert_eq!(critic.max_num_seqs, NonZeroU32::new(64).unwrap());
    assert_eq!((critic.separator, critic.seed), (';', u128::MAX));
    assert_eq!(critic.extra_headers.get("x-role").map(String::as_str), Some("any"));
    assert_eq!(critic.get("request_timeout"), Some(Value::from("90s")));
    assert_eq!(critic.get("seed"), Some(Value::from(u128::MAX.to_string())));
    assert!(Args::field("extra_headers").is_none());
}

#[test]
fn zero_for_a_non_zero_field_is_located() {
    let (message, at) =
        single_problem::<Args>("megatron:\n  - role: actor\n    overrides:\n      max_num_seqs: 0\n");
    assert!(message.contains("except 0"), "{message}");
    assert_eq!(at, "4:21");
}

#[test]
fn two_characters_for_a_char_field_are_refused() {
    let (message, at) =
        single_problem::<Args>("megatron:\n  - role: actor\n    overrides:\n      separator: ab\n");
    assert!(message.contains("exactly one character"), "{message}");
    assert_eq!(at, "4:18");
}

#[test]
fn uncommon_types_round_trip_through_to_argv() {
    let baseline = Args::parse_from(["vllm", "--separator", ";", "--seed", &u128::MAX.to_string()]);
    let argv = super::argv_round_trip(&baseline);
    assert!(argv.windows(2).any(|w| w == ["--seed", &u128::MAX.to_string()]), "{argv:?}");
    // A `Duration` is `30s` as a value, but this struct's own parser reads
    // seconds: it is written as the parser reads it.
    assert!(argv.windows(2).any(|w| w == ["--request-timeout", "30"]), "{argv:?}");
    let resolved = super::resolve(
        &baseline,
        "megatron:\n  - role: critic\n    overrides:\n      request_timeout: 1500ms\n      max_num_seqs: 8\n",
    );
    let critic = super::argv_round_trip(resolved.get(PpoRole::Critic).unwrap());
    assert!(critic.windows(2).any(|w| w == ["--request-timeout", "1.5"]), "{critic:?}");
}

#[test]
fn fields_agree_with_clap() {
    crate::clap_agreement::parser::<Args>();
}
