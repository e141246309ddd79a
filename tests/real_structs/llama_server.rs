//! A llama.cpp-style server's command line, as Rust inference servers write
//! it: the split mode and the KV-cache types are enums with only `impl
//! FromStr` (no `Display`, no `ValueEnum`), which clap parses through
//! `FromStr` alone. A file value is read through `FromStr`, and written back
//! as the text it was read from: the file's, or the command line's.

use std::path::PathBuf;
use std::str::FromStr;

use clap::Parser;
use megatron_args::{to_argv, CommandLine, PpoRole, Resolved};

use super::load;

/// How to split the model across GPUs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitMode {
    /// One GPU.
    None,
    /// Split layers and KV across GPUs.
    Layer,
    /// Split rows across GPUs.
    Row,
}

impl FromStr for SplitMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_lowercase().as_str() {
            "none" => Ok(Self::None),
            "layer" => Ok(Self::Layer),
            "row" => Ok(Self::Row),
            other => Err(format!("unknown split mode `{other}`, expected one of none, layer, row")),
        }
    }
}

/// The element type of the KV cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheType {
    F16,
    Q8_0,
    Q4_0,
}

impl FromStr for CacheType {
    type Err = anyhow_like::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "f16" => Self::F16,
            "q8_0" => Self::Q8_0,
            "q4_0" => Self::Q4_0,
            _ => return Err(anyhow_like::Error(format!("unsupported cache type: {s}"))),
        })
    }
}

/// What servers often return from `FromStr`: an error type with `Display`.
mod anyhow_like {
    #[derive(Debug)]
    pub struct Error(pub String);

    impl std::fmt::Display for Error {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(&self.0)
        }
    }

    impl std::error::Error for Error {}
}

#[derive(Parser, Debug, Clone, megatron_args::MegatronArgs)]
#[command(name = "llama-server", version, about = "An OpenAI-compatible server")]
struct Args {
    /// Path to the GGUF model.
    #[arg(short, long)]
    model: PathBuf,

    /// How to split the model across multiple GPUs.
    #[arg(long, default_value = "layer")]
    split_mode: SplitMode,

    /// KV cache data type for K.
    #[arg(long = "cache-type-k", short = 'k', default_value = "f16")]
    cache_type_k: CacheType,

    /// KV cache data type for V (the same as K when not given).
    #[arg(long = "cache-type-v")]
    cache_type_v: Option<CacheType>,

    /// Port to listen on.
    #[arg(long, default_value_t = 8080)]
    port: u16,
}

const ARGV: [&str; 5] = ["llama-server", "-m", "/models/qwen.gguf", "-k", "q8_0"];

fn resolved(yaml: &str) -> Resolved<Args> {
    let baseline = Args::parse_from(ARGV);
    load::<Args>(yaml)
        .unwrap_or_else(|e| panic!("the file loads:\n{e}"))
        .resolve_with_command_line(&baseline, &CommandLine::new(ARGV), &[PpoRole::Actor, PpoRole::Critic])
        .unwrap_or_else(|e| panic!("the roles resolve:\n{e}"))
}

/// The role's command line parses back, with clap, to the role's arguments.
fn round_trip(resolved: &Resolved<Args>, role: PpoRole) -> Vec<String> {
    let role_args = resolved.role(role).unwrap();
    let argv = role_args.to_argv().unwrap_or_else(|e| panic!("to_argv refuses:\n{e}"));
    let parsed =
        Args::try_parse_from(std::iter::once("llama-server".to_string()).chain(argv.iter().cloned()))
            .unwrap_or_else(|e| panic!("{argv:?} does not parse:\n{e}"));
    assert_eq!(format!("{parsed:?}"), format!("{:?}", role_args.args()), "after {argv:?}");
    argv
}

#[test]
fn a_from_str_only_enum_is_read_from_the_file_through_from_str() {
    let resolved = resolved(
        "megatron:\n  - role: critic\n    overrides:\n      split_mode: row\n      cache_type_v: q4_0\n",
    );
    let critic = resolved.get(PpoRole::Critic).unwrap();
    assert_eq!(
        (critic.split_mode, critic.cache_type_k, critic.cache_type_v),
        (SplitMode::Row, CacheType::Q8_0, Some(CacheType::Q4_0))
    );
    let actor = resolved.get(PpoRole::Actor).unwrap();
    assert_eq!((actor.split_mode, actor.cache_type_v), (SplitMode::Layer, None));
}

#[test]
fn a_value_from_str_refuses_is_a_problem_at_the_file_value_with_its_reason() {
    let (problem, at) = super::single_problem::<Args>(
        "megatron:\n  - role: critic\n    overrides:\n      port: 9000\n      split_mode: diagonal\n",
    );
    assert_eq!(at, "5:19");
    assert!(problem.contains("invalid value for `megatron[0].overrides.split_mode`"), "{problem}");
    assert!(problem.contains("unknown split mode `diagonal`, expected one of none, layer, row"), "{problem}");
    let (problem, at) =
        super::single_problem::<Args>("megatron:\n  - role: actor\n    overrides: {cache_type_k: q2_k}\n");
    assert_eq!(at, "3:31");
    assert!(problem.contains("unsupported cache type: q2_k"), "{problem}");
}

#[test]
fn a_role_writes_the_texts_its_values_were_read_from() {
    let resolved =
        resolved("megatron:\n  - role: critic\n    overrides: {split_mode: ROW, cache_type_v: q4_0}\n");
    // The file's text as written (`ROW`), the command line's (`-k q8_0`)
    // and clap's default (`layer`).
    let critic = round_trip(&resolved, PpoRole::Critic);
    assert_eq!(
        critic,
        [
            "--model",
            "/models/qwen.gguf",
            "--split-mode",
            "ROW",
            "--cache-type-k",
            "q8_0",
            "--cache-type-v",
            "q4_0",
            "--port",
            "8080"
        ]
    );
    let actor = round_trip(&resolved, PpoRole::Actor);
    assert_eq!(
        actor,
        ["--model", "/models/qwen.gguf", "--split-mode", "layer", "--cache-type-k", "q8_0", "--port", "8080"]
    );
    let role = resolved.role(PpoRole::Critic).unwrap();
    assert_eq!(role.value("split_mode").unwrap(), megatron_args::Value::from("ROW"));
    let view = resolved.try_logger_view().unwrap();
    assert_eq!(view["actor/split_mode"], megatron_args::Value::from("layer"));
    assert_eq!(view["critic/cache_type_v"], megatron_args::Value::from("q4_0"));
}

#[test]
fn without_a_record_of_its_text_a_value_is_an_error_naming_the_field() {
    let resolved = resolved("megatron:\n  - role: critic\n    overrides: {split_mode: row}\n");
    // The bare struct keeps no text.
    let err = to_argv(resolved.get(PpoRole::Critic).unwrap()).unwrap_err().to_string();
    assert!(
        err.contains("cannot write `split_mode`: `SplitMode` implements `FromStr` but not `Display`"),
        "{err}"
    );
    assert!(err.contains("cannot write `cache_type_k`"), "{err}");
    // A resolution not given the command line has no text for its values.
    let baseline = Args::parse_from(ARGV);
    let resolved = load::<Args>("megatron:\n  - role: critic\n    overrides: {split_mode: row}\n")
        .unwrap()
        .resolve(&baseline, &[PpoRole::Critic])
        .unwrap();
    let critic = resolved.role(PpoRole::Critic).unwrap();
    assert_eq!(critic.value("split_mode").unwrap(), megatron_args::Value::from("row"));
    let err = critic.to_argv().unwrap_err().to_string();
    assert!(err.contains("cannot write `cache_type_k`"), "{err}");
    assert!(!err.contains("`split_mode`"), "the file's value has its text: {err}");
    assert!(resolved.try_logger_view().unwrap_err().to_string().contains("critic/cache_type_k"));
    assert!(!resolved.logger_view().contains_key("critic/cache_type_k"));
}

#[test]
fn fields_agree_with_clap() {
    crate::clap_agreement::parser::<Args>();
}

#[test]
fn a_typed_override_of_such_a_value_is_refused_and_its_text_is_taken() {
    use megatron_args::{Overrides as _, RoleConfig};
    // From Rust code, the value has no text to check with clap or to write.
    let typed = ArgsOverrides::default().split_mode(SplitMode::Row).port(9000);
    let err = RoleConfig::<Args>::from_overrides([(PpoRole::Critic, typed)]).unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    let message = err.to_string();
    assert!(message.contains("the typed override of `split_mode` cannot be checked"), "{message}");
    assert!(message.contains(".set(\"split_mode\""), "{message}");
    // By its text, it is read as the file's value is.
    let mut typed = ArgsOverrides::default();
    typed.set("split_mode", "row").unwrap();
    let config = RoleConfig::<Args>::from_overrides([(PpoRole::Critic, typed)]).unwrap();
    let baseline = Args::parse_from(ARGV);
    let resolved =
        config.resolve_with_command_line(&baseline, &CommandLine::new(ARGV), &[PpoRole::Critic]).unwrap();
    assert_eq!(resolved.get(PpoRole::Critic).unwrap().split_mode, SplitMode::Row);
    assert_eq!(round_trip(&resolved, PpoRole::Critic)[2..4], ["--split-mode", "row"]);
}
