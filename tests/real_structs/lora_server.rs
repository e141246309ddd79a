//! A vLLM-style OpenAI server's command line, as Rust servers write it:
//! LoRA adapters given as `--lora NAME=PATH` and RoPE scaling as
//! `--rope-scaling TYPE:FACTOR`, each read by the argument's own
//! `value_parser = fn` into a type with neither `FromStr` nor `ValueEnum`.
//! A file value is read by running that parser on the file's text (clap's
//! own typed value), and written back as the text it was read from.

use std::path::PathBuf;

use clap::Parser;
use megatron_args::{to_argv, CommandLine, PpoRole, Resolved, Value};

use super::load;

/// A LoRA adapter to serve next to the base model.
#[derive(Debug, Clone, PartialEq)]
pub struct LoraAdapter {
    pub name: String,
    pub path: PathBuf,
}

fn parse_lora(s: &str) -> Result<LoraAdapter, String> {
    let (name, path) =
        s.split_once('=').ok_or_else(|| format!("invalid LoRA adapter `{s}`: expected NAME=PATH"))?;
    if name.is_empty() {
        return Err(format!("invalid LoRA adapter `{s}`: the name is empty"));
    }
    Ok(LoraAdapter { name: name.to_string(), path: PathBuf::from(path) })
}

/// How positions past the trained context are scaled.
#[derive(Debug, Clone, PartialEq)]
pub struct RopeScaling {
    pub kind: String,
    pub factor: f32,
}

fn parse_rope_scaling(s: &str) -> anyhow_like::Result<RopeScaling> {
    let (kind, factor) = s.split_once(':').ok_or_else(|| anyhow_like::Error::msg("expected TYPE:FACTOR"))?;
    let factor: f32 =
        factor.parse().map_err(|e| anyhow_like::Error::msg(format!("bad factor `{factor}`: {e}")))?;
    Ok(RopeScaling { kind: kind.to_string(), factor })
}

/// What servers often return from a parser: an error type with `Display`.
mod anyhow_like {
    #[derive(Debug)]
    pub struct Error(String);

    impl Error {
        pub fn msg(message: impl Into<String>) -> Self {
            Error(message.into())
        }
    }

    impl std::fmt::Display for Error {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(&self.0)
        }
    }

    impl std::error::Error for Error {}

    pub type Result<T> = std::result::Result<T, Error>;
}

#[derive(Parser, Debug, Clone, megatron_args::MegatronArgs)]
#[command(name = "serve", about = "Serve a model over an OpenAI-compatible API")]
struct ServeArgs {
    /// The model id or path.
    #[arg(long)]
    model: String,

    /// A LoRA adapter, `NAME=PATH`; repeat for several.
    #[arg(long = "lora", value_parser = parse_lora)]
    lora_modules: Vec<LoraAdapter>,

    /// The adapter requests use when they name none.
    #[arg(long, value_parser = parse_lora, default_value = "base=/adapters/base")]
    default_adapter: LoraAdapter,

    /// RoPE scaling, `TYPE:FACTOR` (`linear:2.0`).
    #[arg(long, value_parser = parse_rope_scaling)]
    rope_scaling: Option<RopeScaling>,

    /// Maximum number of sequences per batch.
    #[arg(long, default_value_t = 256)]
    max_num_seqs: usize,
}

const ARGV: [&str; 5] = ["serve", "--model", "qwen-7b", "--lora", "sql=/adapters/sql"];

fn resolved(yaml: &str) -> Resolved<ServeArgs> {
    let baseline = ServeArgs::parse_from(ARGV);
    load::<ServeArgs>(yaml)
        .unwrap_or_else(|e| panic!("the file loads:\n{e}"))
        .resolve_with_command_line(&baseline, &CommandLine::new(ARGV), &[PpoRole::Actor, PpoRole::Critic])
        .unwrap_or_else(|e| panic!("the roles resolve:\n{e}"))
}

/// The role's command line parses back, with clap, to the role's arguments.
fn round_trip(resolved: &Resolved<ServeArgs>, role: PpoRole) -> Vec<String> {
    let role_args = resolved.role(role).unwrap();
    let argv = role_args.to_argv().unwrap_or_else(|e| panic!("to_argv refuses:\n{e}"));
    let parsed = ServeArgs::try_parse_from(std::iter::once("serve".to_string()).chain(argv.iter().cloned()))
        .unwrap_or_else(|e| panic!("{argv:?} does not parse:\n{e}"));
    assert_eq!(format!("{parsed:?}"), format!("{:?}", role_args.args()), "after {argv:?}");
    argv
}

#[test]
fn a_type_only_its_value_parser_reads_is_read_from_the_file_by_that_parser() {
    let resolved = resolved(
        "megatron:\n  - role: critic\n    overrides:\n      lora_modules: [math=/adapters/math, 'code=/adapters/code']\n      \
         rope_scaling: 'linear:2.0'\n",
    );
    let critic = resolved.get(PpoRole::Critic).unwrap();
    let names: Vec<&str> = critic.lora_modules.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["math", "code"]);
    assert_eq!(critic.lora_modules[1].path, PathBuf::from("/adapters/code"));
    assert_eq!(critic.rope_scaling, Some(RopeScaling { kind: "linear".into(), factor: 2.0 }));
    assert_eq!(critic.default_adapter.name, "base");
    let actor = resolved.get(PpoRole::Actor).unwrap();
    assert_eq!((actor.lora_modules.len(), actor.lora_modules[0].name.as_str()), (1, "sql"));
}

#[test]
fn a_value_its_parser_refuses_is_a_problem_at_the_file_value_with_the_parsers_reason() {
    let (problem, at) = super::single_problem::<ServeArgs>(
        "megatron:\n  - role: critic\n    overrides:\n      lora_modules: [math=/a, nopath]\n",
    );
    assert_eq!(at, "4:31");
    assert!(problem.contains("megatron[0].overrides.lora_modules[1]"), "{problem}");
    assert!(problem.contains("invalid LoRA adapter `nopath`: expected NAME=PATH"), "{problem}");
    let (problem, at) = super::single_problem::<ServeArgs>(
        "megatron:\n  - role: actor\n    overrides: {rope_scaling: 'linear:x'}\n",
    );
    assert_eq!(at, "3:31");
    assert!(problem.contains("bad factor `x`"), "{problem}");
}

#[test]
fn a_role_writes_the_texts_its_values_were_read_from() {
    let resolved =
        resolved("megatron:\n  - role: critic\n    overrides: {default_adapter: 'math=/adapters/math', rope_scaling: 'yarn:4'}\n");
    let critic = round_trip(&resolved, PpoRole::Critic);
    assert_eq!(
        critic,
        [
            "--model",
            "qwen-7b",
            "--lora",
            "sql=/adapters/sql",
            "--default-adapter",
            "math=/adapters/math",
            "--rope-scaling",
            "yarn:4",
            "--max-num-seqs",
            "256"
        ]
    );
    let actor = round_trip(&resolved, PpoRole::Actor);
    assert_eq!(
        actor,
        [
            "--model",
            "qwen-7b",
            "--lora",
            "sql=/adapters/sql",
            "--default-adapter",
            "base=/adapters/base",
            "--max-num-seqs",
            "256"
        ]
    );
    let role = resolved.role(PpoRole::Actor).unwrap();
    assert_eq!(role.value("lora_modules").unwrap(), Value::List(vec![Value::from("sql=/adapters/sql")]));
    assert_eq!(role.value("rope_scaling").unwrap(), Value::Null);
}

#[test]
fn without_a_record_of_its_text_a_value_is_an_error_naming_the_field() {
    let resolved = resolved("megatron:\n  - role: critic\n    overrides: {rope_scaling: 'linear:2'}\n");
    let err = to_argv(resolved.get(PpoRole::Critic).unwrap()).unwrap_err().to_string();
    assert!(
        err.contains(
            "cannot write `lora_modules`: `LoraAdapter` is read only by its argument's own value parser"
        ),
        "{err}"
    );
    assert!(err.contains("cannot write `rope_scaling`"), "{err}");
}

#[test]
fn fields_agree_with_clap() {
    crate::clap_agreement::parser::<ServeArgs>();
}
