//! clap's relations are checked only for the arguments they involve, as the
//! derive reads them from the attributes (issue 29): a role's change to any
//! argument a relation names is still checked, whichever side of the
//! relation it is on, and a relation the derive cannot read (a constant)
//! still holds, through the whole command.

use clap::{ArgGroup, Parser};
use megatron_args::{MegatronArgs, PpoRole, ProblemKind, RoleConfig};

#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
#[command(group(ArgGroup::new("weights").multiple(false).args(["checkpoint", "hf_model"])))]
struct Serve {
    #[arg(long)]
    tokenizer: Option<String>,
    #[arg(long, requires = "tokenizer")]
    tokenizer_config: Option<String>,
    #[arg(long)]
    checkpoint: Option<String>,
    #[arg(long)]
    hf_model: Option<String>,
    /// In no relation: a role may change it freely.
    #[arg(long, default_value_t = 0.8)]
    temperature: f64,
}

const SERVE: [&str; 6] = ["serve", "--tokenizer", "t", "--tokenizer-config", "tc.json", "--checkpoint"];

fn serve() -> Serve {
    Serve::parse_from(SERVE.iter().copied().chain(["/ckpt"]))
}

fn resolve<A: MegatronArgs<Role = PpoRole> + Parser>(
    baseline: &A,
    file: &str,
) -> Result<megatron_args::Resolved<A>, megatron_args::Error> {
    RoleConfig::<A>::from_str(file, "roles.yaml")?.resolve(baseline, &[PpoRole::Actor, PpoRole::Critic])
}

fn relation_keys(err: &megatron_args::Error) -> Vec<Vec<String>> {
    err.problems()
        .iter()
        .filter_map(|p| match &p.kind {
            ProblemKind::ClapRelation { keys, .. } => Some(keys.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn dropping_what_another_argument_requires_is_refused() {
    // The role changes only the target of `requires`, not the argument
    // that declares it: clap names the missing one.
    let file = "megatron:\n  - role: critic\n    overrides:\n      tokenizer: null\n";
    let err = resolve(&serve(), file).unwrap_err();
    assert_eq!(relation_keys(&err), [vec!["tokenizer".to_string()]], "{err}");
    assert!(
        err.to_string().contains("required arguments were not provided: --tokenizer <TOKENIZER>"),
        "{err}"
    );
    assert!(err.to_string().contains("roles.yaml:4:18"), "{err}");
}

#[test]
fn a_group_member_given_by_a_role_is_refused() {
    let file = "megatron:\n  - role: actor\n    overrides:\n      hf_model: org/m\n";
    let err = resolve(&serve(), file).unwrap_err();
    assert_eq!(relation_keys(&err), [vec!["checkpoint".to_string(), "hf_model".to_string()]], "{err}");
}

#[test]
fn a_change_outside_every_relation_resolves() {
    let file = "megatron:\n  - role: critic\n    overrides:\n      temperature: 0.5\n      tokenizer: t2\n";
    let resolved = resolve(&serve(), file).unwrap();
    let critic = resolved.get(PpoRole::Critic).unwrap();
    assert_eq!((critic.temperature, critic.tokenizer.as_deref()), (0.5, Some("t2")));
}

const PROMPT_TEMPLATE: &str = "prompt_template";

/// A relation named through a constant: the derive cannot read which
/// argument it names, so every argument is checked, through the whole
/// command.
#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
struct Chat {
    #[arg(long, conflicts_with = PROMPT_TEMPLATE)]
    config: Option<String>,
    #[arg(long)]
    prompt_template: Option<String>,
    #[arg(long, default_value_t = 0.8)]
    temperature: f64,
}

#[test]
fn a_relation_named_by_a_constant_still_holds() {
    let baseline = Chat::parse_from(["chat", "--prompt-template", "T"]);
    let file = "megatron:\n  - role: actor\n    overrides:\n      config: c.json\n";
    let err = resolve(&baseline, file).unwrap_err();
    assert_eq!(relation_keys(&err), [vec!["config".to_string(), "prompt_template".to_string()]], "{err}");
    let fine = "megatron:\n  - role: actor\n    overrides:\n      temperature: 0.1\n";
    assert_eq!(resolve(&baseline, fine).unwrap().get(PpoRole::Actor).unwrap().temperature, 0.1);
}
