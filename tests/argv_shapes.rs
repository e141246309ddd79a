//! `to_argv` writes every argument shape clap has, as clap describes it, so
//! that clap parses the result back to the same struct (SPEC 5.2); what it
//! cannot write faithfully is an error naming the field.

use clap::{ArgAction, Parser};
use megatron_args::{to_argv, MegatronArgs, ProblemKind};
use proptest::prelude::*;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Precision {
    Fp16,
    Bf16,
    #[value(name = "FP32", alias = "full")]
    Fp32,
}

/// A flattened group, with a renamed flag and an alias.
#[derive(clap::Args, MegatronArgs, Clone, Debug, PartialEq)]
struct Schedule {
    #[arg(long = "sched-seed", default_value_t = 0)]
    seed: u64,
    #[arg(long, visible_alias = "warm")]
    warmup_steps: Option<u32>,
}

/// Every argument shape at once.
#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
struct Shapes {
    /// Positional, required.
    model: String,
    /// Positional, optional.
    tokenizer: Option<String>,
    /// Long and short.
    #[arg(short, long, default_value_t = 1)]
    batch: u32,
    /// Short only.
    #[arg(short = 'k')]
    top_k: Option<u32>,
    /// `-vvv`.
    #[arg(short, long, action = ArgAction::Count)]
    verbose: u8,
    /// Store-false.
    #[arg(long = "no-shuffle", action = ArgAction::SetFalse)]
    shuffle: bool,
    /// Store-true.
    #[arg(long)]
    use_cache: bool,
    /// A comma-delimited list.
    #[arg(long, value_delimiter = ',')]
    devices: Vec<String>,
    /// One value per flag.
    #[arg(long = "tag", action = ArgAction::Append)]
    tags: Vec<String>,
    /// Two values per flag.
    #[arg(long, num_args = 2, allow_negative_numbers = true)]
    pairs: Vec<i64>,
    /// Several values after one flag.
    #[arg(long, num_args = 1.., allow_negative_numbers = true)]
    offsets: Vec<i32>,
    /// A `ValueEnum`.
    #[arg(long, value_enum, default_value_t = Precision::Bf16)]
    precision: Precision,
    /// An alias, and negative values.
    #[arg(long, alias = "learning-rate", default_value_t = 1e-4)]
    lr: f64,
    /// A flattened group.
    #[command(flatten)]
    #[megatron(flatten)]
    schedule: Schedule,
    /// Written last among the options, and open to more values: the
    /// positionals after it need `--`.
    #[arg(long, num_args = 1..)]
    stop: Vec<String>,
}

/// `rename_all` flags.
#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
#[command(rename_all = "snake_case")]
struct SnakeFlags {
    #[arg(long, default_value_t = 1)]
    tensor_model_parallel_size: u32,
    #[arg(long = "no_bias", action = ArgAction::SetFalse)]
    add_bias: bool,
}

fn parse<P: Parser>(argv: &[String]) -> Result<P, clap::Error> {
    P::try_parse_from(std::iter::once("prog".to_string()).chain(argv.iter().cloned()))
}

fn shapes(model: &str) -> Shapes {
    parse(&[model.to_string()]).unwrap()
}

#[test]
fn positionals_come_last_in_index_order() {
    let args = Shapes { tokenizer: Some("tok".into()), batch: 4, ..shapes("llama") };
    let argv = to_argv(&args).unwrap();
    assert_eq!(argv[argv.len() - 2..], ["llama", "tok"]);
    assert_eq!(parse::<Shapes>(&argv).unwrap(), args);
}

#[test]
fn positional_values_starting_with_a_dash_follow_a_separator() {
    let args = Shapes { tokenizer: Some("-tok".into()), ..shapes("model") };
    let argv = to_argv(&args).unwrap();
    assert_eq!(argv[argv.len() - 3..], ["--", "model", "-tok"]);
    assert_eq!(parse::<Shapes>(&argv).unwrap(), args);
}

#[test]
fn counted_flags_repeat_their_short_form() {
    let args = Shapes { verbose: 3, ..shapes("m") };
    let argv = to_argv(&args).unwrap();
    assert!(argv.contains(&"-vvv".to_string()), "{argv:?}");
    assert!(!argv.iter().any(|a| a == "--verbose"), "{argv:?}");
    assert_eq!(parse::<Shapes>(&argv).unwrap(), args);
    assert!(!to_argv(&shapes("m")).unwrap().iter().any(|a| a.starts_with("-v")), "a zero count is omitted");
}

#[test]
fn store_false_and_store_true_flags_appear_only_when_not_default() {
    let default = to_argv(&shapes("m")).unwrap();
    assert!(!default.iter().any(|a| a == "--no-shuffle" || a == "--use-cache"), "{default:?}");
    let args = Shapes { shuffle: false, use_cache: true, ..shapes("m") };
    let argv = to_argv(&args).unwrap();
    assert!(
        argv.contains(&"--no-shuffle".to_string()) && argv.contains(&"--use-cache".to_string()),
        "{argv:?}"
    );
    assert_eq!(parse::<Shapes>(&argv).unwrap(), args);
}

#[test]
fn delimited_lists_are_one_joined_value() {
    let args = Shapes { devices: vec!["0".into(), "1".into(), "cuda:2".into()], ..shapes("m") };
    let argv = to_argv(&args).unwrap();
    let i = argv.iter().position(|a| a == "--devices").unwrap();
    assert_eq!(argv[i + 1], "0,1,cuda:2");
    assert_eq!(argv.iter().filter(|a| *a == "--devices").count(), 1);
    assert_eq!(parse::<Shapes>(&argv).unwrap(), args);
}

#[test]
fn a_delimited_element_containing_the_delimiter_is_an_error_naming_the_field() {
    let args = Shapes { devices: vec!["0".into(), "1,2".into()], ..shapes("m") };
    let err = to_argv(&args).unwrap_err();
    assert!(matches!(&err.problems()[0].kind, ProblemKind::NotWritable { key } if key == "devices"));
    insta::assert_snapshot!(err.to_string(), @"error: cannot write `devices` as a command line: element 1 (`1,2`) contains the delimiter `,`, so clap would split it");
}

#[test]
fn appended_lists_repeat_the_flag_and_attach_dashed_values() {
    let args = Shapes { tags: vec!["a".into(), "-b".into(), String::new()], ..shapes("m") };
    let argv = to_argv(&args).unwrap();
    let tags: Vec<&String> = argv.iter().filter(|a| a.starts_with("--tag")).collect();
    assert_eq!(tags, ["--tag", "--tag=-b", "--tag"]);
    assert_eq!(parse::<Shapes>(&argv).unwrap(), args);
}

#[test]
fn fixed_size_value_groups_are_one_flag_per_group() {
    let args = Shapes { pairs: vec![1, -2, 3, 4], ..shapes("m") };
    let argv = to_argv(&args).unwrap();
    let i = argv.iter().position(|a| a == "--pairs").unwrap();
    assert_eq!(argv[i..i + 6], ["--pairs", "1", "-2", "--pairs", "3", "4"]);
    assert_eq!(parse::<Shapes>(&argv).unwrap(), args);
    let odd = Shapes { pairs: vec![1, 2, 3], ..shapes("m") };
    let err = to_argv(&odd).unwrap_err();
    assert!(matches!(&err.problems()[0].kind, ProblemKind::NotWritable { key } if key == "pairs"), "{err}");
}

#[test]
fn renamed_flags_are_written_as_clap_names_them() {
    let args = SnakeFlags { tensor_model_parallel_size: 4, add_bias: false };
    let argv = to_argv(&args).unwrap();
    assert_eq!(argv, ["--tensor_model_parallel_size", "4", "--no_bias"]);
    assert_eq!(parse::<SnakeFlags>(&argv).unwrap(), args);
}

#[test]
fn enums_short_flags_and_flattened_groups_round_trip() {
    let args = Shapes {
        top_k: Some(40),
        precision: Precision::Fp32,
        schedule: Schedule { seed: 7, warmup_steps: Some(100) },
        ..shapes("m")
    };
    let argv = to_argv(&args).unwrap();
    for pair in [["-k", "40"], ["--precision", "FP32"], ["--sched-seed", "7"], ["--warmup-steps", "100"]] {
        assert!(argv.windows(2).any(|w| w == pair), "{pair:?} in {argv:?}");
    }
    assert_eq!(parse::<Shapes>(&argv).unwrap(), args);
}

/// Shapes `to_argv` refuses, each for a reason clap would otherwise hide.
#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
struct Unwritable {
    /// Optional positional before another.
    first: Option<String>,
    second: Option<String>,
    /// Absent means its default, so `None` cannot be written.
    #[arg(long, default_value = "auto")]
    device: Option<String>,
    /// One occurrence only (`Set`), values that look like flags.
    #[arg(long, num_args = 1.., action = ArgAction::Set)]
    words: Vec<String>,
}

#[test]
fn what_cannot_be_written_is_an_error_per_field_never_a_dropped_argument() {
    let args = Unwritable {
        first: None,
        second: Some("b".into()),
        device: None,
        words: vec!["a".into(), "-b".into()],
    };
    let err = to_argv(&args).unwrap_err();
    let keys: Vec<&str> = err
        .problems()
        .iter()
        .map(|p| match &p.kind {
            ProblemKind::NotWritable { key } => key.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(keys, ["device", "words", "first"]);
    insta::assert_snapshot!(err.to_string());
    // The same struct with writable values round-trips.
    let fine = Unwritable {
        first: Some("a".into()),
        second: None,
        device: Some("cpu".into()),
        words: vec!["x".into(), "y".into()],
    };
    assert_eq!(parse::<Unwritable>(&to_argv(&fine).unwrap()).unwrap(), fine);
}

fn text() -> impl Strategy<Value = String> {
    "[-a-zA-Z0-9_/.=é ]{0,8}"
}

fn shapes_strategy() -> impl Strategy<Value = Shapes> {
    let positional_and_flags = (
        "[a-zA-Z0-9_/.-][-a-zA-Z0-9_/.=]{0,8}",
        proptest::option::of(text()),
        any::<u32>(),
        proptest::option::of(any::<u32>()),
        0u8..6,
        any::<bool>(),
        any::<bool>(),
    );
    let lists = (
        proptest::collection::vec("[-a-z0-9:]{1,6}", 0..4),
        proptest::collection::vec(text(), 0..4),
        proptest::collection::vec((any::<i64>(), any::<i64>()), 0..3),
        proptest::collection::vec(any::<i32>(), 0..4),
    );
    let rest = (
        prop_oneof![Just(Precision::Fp16), Just(Precision::Bf16), Just(Precision::Fp32)],
        proptest::num::f64::NORMAL | proptest::num::f64::ZERO,
        any::<u64>(),
        proptest::option::of(any::<u32>()),
        proptest::collection::vec(text(), 0..3),
    );
    (positional_and_flags, lists, rest).prop_map(
        |(
            (model, tokenizer, batch, top_k, verbose, shuffle, use_cache),
            (devices, tags, pairs, offsets),
            (precision, lr, seed, warmup_steps, stop),
        )| Shapes {
            model,
            tokenizer,
            batch,
            top_k,
            verbose,
            shuffle,
            use_cache,
            devices,
            tags,
            pairs: pairs.into_iter().flat_map(|(a, b)| [a, b]).collect(),
            offsets,
            precision,
            lr,
            schedule: Schedule { seed, warmup_steps },
            stop,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_argument_shape_round_trips_through_clap(args in shapes_strategy()) {
        let argv = to_argv(&args).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let parsed = parse::<Shapes>(&argv).map_err(|e| TestCaseError::fail(format!("{argv:?}\n{e}")))?;
        prop_assert_eq!(parsed, args, "argv: {:?}", argv);
    }

    #[test]
    fn renamed_flags_round_trip_through_clap(size in any::<u32>(), add_bias in any::<bool>()) {
        let args = SnakeFlags { tensor_model_parallel_size: size, add_bias };
        let argv = to_argv(&args).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(parse::<SnakeFlags>(&argv).unwrap(), args);
    }
}

#[path = "common/clap_agreement.rs"]
mod clap_agreement;

/// `fields()` of every clap struct here agrees with clap's own command.
#[test]
fn fields_agree_with_clap() {
    clap_agreement::group::<Schedule>();
    clap_agreement::parser::<Shapes>();
    clap_agreement::parser::<SnakeFlags>();
    clap_agreement::parser::<Unwritable>();
}
