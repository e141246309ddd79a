//! A chat CLI like those of llama.cpp's Rust ports and candle's chat
//! examples: a model config file that brings its own prompt template
//! (`conflicts_with` the explicit one), a tokenizer config that `requires`
//! the tokenizer. A role file can break both relations, which clap checks
//! on the command line; resolution holds every role to them (SPEC 3.13).

use std::path::PathBuf;

use clap::Parser;
use megatron_args::{PpoRole, ProblemKind, RoleConfig, Styling};

use super::{argv_round_trip, load, resolve};

#[derive(Parser, Debug, Clone, megatron_args::MegatronArgs)]
#[command(author, version, about, long_about = None)]
struct Chat {
    /// The model's config file, which holds its prompt template.
    #[arg(long, conflicts_with = "prompt_template")]
    config: Option<PathBuf>,

    /// The prompt template; `{{PROMPT}}` is replaced by the prompt.
    #[arg(long)]
    prompt_template: Option<String>,

    /// The tokenizer file.
    #[arg(long)]
    tokenizer: Option<PathBuf>,

    /// The tokenizer's config (special tokens), read with the tokenizer.
    #[arg(long, requires = "tokenizer")]
    tokenizer_config: Option<PathBuf>,

    /// The temperature used to generate samples.
    #[arg(long, default_value_t = 0.8)]
    temperature: f64,

    /// The seed to use when generating random samples.
    #[arg(long, default_value_t = 299792458)]
    seed: u64,
}

const BASELINE: [&str; 3] = ["chat", "--prompt-template", "<s>[INST] {{PROMPT}} [/INST]"];

fn relation_error(yaml: &str) -> megatron_args::Error {
    let baseline = Chat::parse_from(BASELINE);
    match load::<Chat>(yaml).expect("the file loads").resolve(&baseline, &[PpoRole::Actor, PpoRole::Critic]) {
        Ok(_) => panic!("the roles should be refused"),
        Err(err) => err,
    }
}

#[test]
fn a_file_value_that_conflicts_with_the_command_line_is_a_problem_at_the_value() {
    let err = relation_error("megatron:\n  - role: critic\n    overrides:\n      config: critic.json\n");
    assert_eq!(err.problems().len(), 1, "{err}");
    let problem = &err.problems()[0];
    assert_eq!(
        problem.kind,
        ProblemKind::ClapRelation {
            role: "critic".to_string(),
            keys: vec!["config".to_string(), "prompt_template".to_string()]
        }
    );
    let at = problem.location.as_ref().expect("located at the file value");
    assert_eq!((at.line(), at.column()), (4, 15));
    assert!(problem.message.contains("cannot be used with"), "clap's reason: {}", problem.message);
    insta::assert_snapshot!(err.render(Styling::Plain));
}

#[test]
fn a_file_value_that_requires_another_names_both() {
    let err = relation_error("megatron:\n  - role: actor\n    overrides:\n      tokenizer_config: tc.json\n");
    assert_eq!(err.problems().len(), 1, "{err}");
    let problem = &err.problems()[0];
    assert_eq!(
        problem.kind,
        ProblemKind::ClapRelation {
            role: "actor".to_string(),
            keys: vec!["tokenizer".to_string(), "tokenizer_config".to_string()]
        }
    );
    assert_eq!(problem.location.as_ref().map(|at| at.line()), Some(4));
    insta::assert_snapshot!(err.render(Styling::Plain));
}

#[test]
fn every_role_and_every_relation_is_reported_together() {
    let err = relation_error(
        "megatron:\n  - role: actor\n    overrides:\n      config: actor.json\n      tokenizer_config: tc.json\n  \
         - role: critic\n    overrides:\n      config: critic.json\n",
    );
    let lines: Vec<(String, usize)> = err
        .problems()
        .iter()
        .map(|p| match &p.kind {
            ProblemKind::ClapRelation { role, keys } => {
                (format!("{role}: {}", keys.join("+")), p.location.as_ref().unwrap().line())
            }
            other => panic!("a relation problem, not {other:?}"),
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("actor: config+prompt_template".to_string(), 4),
            ("actor: tokenizer+tokenizer_config".to_string(), 5),
            ("critic: config+prompt_template".to_string(), 8),
        ]
    );
}

#[test]
fn a_file_that_keeps_the_relations_resolves_and_writes_back() {
    let baseline = Chat::parse_from(BASELINE);
    let resolved = resolve(
        &baseline,
        "megatron:\n  - role: critic\n    overrides:\n      config: critic.json\n      prompt_template: null\n      \
         tokenizer: tok.json\n      tokenizer_config: tc.json\n",
    );
    let critic = resolved.get(PpoRole::Critic).unwrap();
    assert_eq!(
        (critic.config.as_deref(), critic.prompt_template.as_deref()),
        (Some("critic.json".as_ref()), None)
    );
    let argv = argv_round_trip(critic);
    assert_eq!(
        argv,
        [
            "--config",
            "critic.json",
            "--tokenizer",
            "tok.json",
            "--tokenizer-config",
            "tc.json",
            "--temperature",
            "0.8",
            "--seed",
            "299792458"
        ]
    );
    argv_round_trip(resolved.get(PpoRole::Actor).unwrap());
}

#[test]
fn typed_overrides_are_held_to_the_same_relations() {
    let baseline = Chat::parse_from(BASELINE);
    let config = RoleConfig::<Chat>::from_overrides([(
        PpoRole::Critic,
        ChatOverrides::default().config(Some(PathBuf::from("critic.json"))),
    )])
    .expect("typed overrides of regular fields");
    let err = config.resolve(&baseline, &[PpoRole::Actor, PpoRole::Critic]).expect_err("refused");
    let problem = &err.problems()[0];
    assert!(matches!(&problem.kind, ProblemKind::ClapRelation { role, .. } if role == "critic"));
    assert!(problem.location.is_none());
    let notes: Vec<&str> = problem.notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(
        notes,
        [
            "`config` is set by the typed overrides",
            "`prompt_template` is given on the command line (--prompt-template)"
        ]
    );
}
