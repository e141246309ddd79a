//! Derived values and cross-field checks (SPEC 4.7): the struct's
//! `#[megatron(derive_with = ...)]` and `#[megatron(check = ...)]` run per
//! role after its specialization and overrides, on a custom role set, for
//! typed overrides, and without a file; a value a role gives is never
//! replaced by a derivation; every broken relation of every role is reported
//! together, at the file values that caused it.

use clap::Parser;
use megatron_args::{
    Checks, CommandLine, Derivation, MegatronArgs, ProblemKind, Provenance, Role, RoleConfig,
};

/// A custom role set of three roles.
#[derive(Role, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Trio {
    Policy,
    Value,
    Reward,
}

#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
#[megatron(roles = Trio, derive_with = derive_sizes, check = sizes_divide, check = kl_terms)]
struct Args {
    #[arg(long)]
    hidden_size: Option<u64>,
    #[arg(long, default_value_t = 8)]
    num_attention_heads: u64,
    #[arg(long)]
    #[megatron(role_default(reward = Some(512)))]
    ffn_hidden_size: Option<u64>,
    #[arg(long)]
    kv_channels: Option<u64>,
    #[arg(long, default_value_t = 0.0)]
    #[megatron(role_forced(value = 0.0, reward = 0.0))]
    kl_coef: f64,
    #[arg(long, default_value_t = 0.0)]
    kl_loss_coef: f64,
}

fn derive_sizes(d: &mut Derivation<'_, Args>) {
    d.fill("ffn_hidden_size", &["hidden_size"], |a| {
        if a.ffn_hidden_size.is_none() {
            a.ffn_hidden_size = a.hidden_size.map(|h| 4 * h);
        }
    });
    d.fill("kv_channels", &["hidden_size", "num_attention_heads"], |a| {
        if a.kv_channels.is_none() && a.num_attention_heads != 0 {
            a.kv_channels = a.hidden_size.map(|h| h / a.num_attention_heads);
        }
    });
}

fn sizes_divide(c: &mut Checks<'_, Args>) {
    let a = c.args();
    if let Some(h) = a.hidden_size {
        if a.num_attention_heads == 0 || h % a.num_attention_heads != 0 {
            c.report(
                &["hidden_size", "num_attention_heads"],
                "`hidden_size` must be divisible by `num_attention_heads`",
            );
        }
    }
}

fn kl_terms(c: &mut Checks<'_, Args>) {
    let a = c.args();
    if a.kl_coef != 0.0 && a.kl_loss_coef != 0.0 {
        c.report(&["kl_coef", "kl_loss_coef"], "only one of `kl_coef` and `kl_loss_coef` can be non-zero")
            .help("set one of them to 0");
    }
}

const ALL: &[Trio] = &[Trio::Policy, Trio::Value, Trio::Reward];

fn argv(flags: &[&'static str]) -> Vec<&'static str> {
    std::iter::once("train").chain(flags.iter().copied()).collect()
}

fn cli(flags: &[&'static str]) -> Args {
    Args::parse_from(argv(flags))
}

fn load(text: &str) -> RoleConfig<Args> {
    RoleConfig::<Args>::from_str(text, "roles.yaml").expect("the file loads")
}

#[test]
fn derived_values_are_re_derived_per_role_from_what_the_role_changed() {
    let config = load("megatron:\n  - role: value\n    overrides:\n      hidden_size: 1024\n");
    let resolved = config.resolve(&cli(&["--hidden-size", "4096"]), ALL).unwrap();
    let policy = resolved.role(Trio::Policy).unwrap();
    assert_eq!((policy.args().ffn_hidden_size, policy.args().kv_channels), (Some(16384), Some(512)));
    let value = resolved.role(Trio::Value).unwrap();
    assert_eq!((value.args().ffn_hidden_size, value.args().kv_channels), (Some(4096), Some(128)));
    assert_eq!(value.provenance("ffn_hidden_size"), Some(&Provenance::Derived { from: vec!["hidden_size"] }));
    assert_eq!(
        value.provenance("kv_channels").unwrap().to_string(),
        "derived from hidden_size, num_attention_heads"
    );
    // The baseline is never changed.
    assert_eq!(resolved.baseline().ffn_hidden_size, None);
}

#[test]
fn a_value_the_role_gives_is_never_replaced_by_a_derivation() {
    let config = load("megatron:\n  - role: policy\n    overrides:\n      ffn_hidden_size: null\n");
    let resolved = config.resolve(&cli(&["--hidden-size", "4096"]), ALL).unwrap();
    // The file's explicit null, and the reward role's `role_default`, stay.
    let policy = resolved.role(Trio::Policy).unwrap();
    assert_eq!(policy.args().ffn_hidden_size, None);
    assert!(matches!(policy.provenance("ffn_hidden_size"), Some(Provenance::File(_))));
    let reward = resolved.role(Trio::Reward).unwrap();
    assert_eq!(reward.args().ffn_hidden_size, Some(512));
    assert_eq!(reward.provenance("ffn_hidden_size"), Some(&Provenance::RoleDefault));
    // A value given on the command line is not derived either (upstream's `is None`).
    let resolved =
        RoleConfig::empty().resolve(&cli(&["--hidden-size", "4096", "--ffn-hidden-size", "100"]), ALL);
    let value = resolved.unwrap().role(Trio::Value).unwrap().clone();
    assert_eq!(value.args().ffn_hidden_size, Some(100));
    assert_eq!(value.provenance("ffn_hidden_size"), Some(&Provenance::Baseline));
}

#[test]
fn derived_values_of_the_command_line_alone_are_not_changes_of_a_role() {
    let config = load("megatron:\n  - role: value\n    overrides:\n      hidden_size: 1024\n");
    let resolved = config.resolve(&cli(&["--hidden-size", "4096"]), ALL).unwrap();
    assert!(resolved.changes(Trio::Policy).is_empty());
    let changes: Vec<String> = resolved
        .changes(Trio::Value)
        .iter()
        .map(|c| format!("{} = {} ({})", c.field.name, c.value, c.provenance))
        .collect();
    assert_eq!(
        changes,
        [
            "hidden_size = 1024 (roles.yaml:4)",
            "ffn_hidden_size = 4096 (derived from hidden_size)",
            "kv_channels = 128 (derived from hidden_size, num_attention_heads)",
        ]
    );
}

#[test]
fn the_same_override_is_accepted_for_one_role_and_refused_for_another() {
    // `kl_coef` is forced to 0 for the value role: its `kl_loss_coef` is fine.
    let text = "megatron:\n  - role: policy\n    overrides:\n      kl_loss_coef: 0.01\n  - role: value\n    overrides:\n      kl_loss_coef: 0.01\n";
    let err = load(text).resolve(&cli(&["--kl-coef", "0.1"]), ALL).unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    let problem = &err.problems()[0];
    assert_eq!(
        problem.kind,
        ProblemKind::Relation {
            keys: vec!["kl_coef".into(), "kl_loss_coef".into()],
            roles: vec!["policy".into()]
        }
    );
    assert_eq!(problem.location.as_ref().unwrap().to_string(), "roles.yaml:4:21");
    assert!(load(text).resolve(&cli(&["--kl-coef", "0.1"]), &[Trio::Value, Trio::Reward]).is_ok());
}

#[test]
fn every_broken_relation_of_every_role_is_reported_and_nothing_resolves() {
    let text = "megatron:\n  - role: policy\n    overrides:\n      hidden_size: 1001\n      kl_loss_coef: 0.01\n  - role: value\n    overrides:\n      num_attention_heads: 3\n";
    let err = load(text).resolve(&cli(&["--hidden-size", "4096", "--kl-coef", "0.1"]), ALL).unwrap_err();
    let kinds: Vec<(&[String], &[String])> = err
        .problems()
        .iter()
        .map(|p| match &p.kind {
            ProblemKind::Relation { keys, roles } => (keys.as_slice(), roles.as_slice()),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(kinds.len(), 3, "{err}");
    assert_eq!(kinds[0], (&s(&["hidden_size", "num_attention_heads"])[..], &s(&["policy"])[..]));
    assert_eq!(kinds[1], (&s(&["kl_coef", "kl_loss_coef"])[..], &s(&["policy"])[..]));
    assert_eq!(kinds[2], (&s(&["hidden_size", "num_attention_heads"])[..], &s(&["value"])[..]));
}

#[test]
fn a_relation_broken_on_the_command_line_alone_is_one_problem_there() {
    let flags = ["--hidden-size", "1000", "--num-attention-heads", "3"];
    let baseline = cli(&flags);
    let err = RoleConfig::<Args>::empty()
        .resolve_with_command_line(&baseline, &CommandLine::new(argv(&flags)), ALL)
        .unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    let problem = &err.problems()[0];
    assert!(problem.message.ends_with("(roles `policy`, `value`, `reward`)"), "{}", problem.message);
    let at = problem.location.as_ref().unwrap();
    assert_eq!((at.to_string().as_str(), at.marked_text()), ("command line:1:7", "--hidden-size 1000"));
    let spans: Vec<&str> = problem.notes.iter().map(|n| n.location.as_ref().unwrap().marked_text()).collect();
    assert_eq!(spans, ["--hidden-size 1000", "--num-attention-heads 3"]);
}

#[test]
fn typed_overrides_go_through_the_same_derivations_and_checks() {
    let baseline = cli(&["--hidden-size", "4096", "--kl-coef", "0.1"]);
    let config =
        RoleConfig::<Args>::from_overrides([(Trio::Value, ArgsOverrides::default().hidden_size(Some(1024)))])
            .unwrap();
    let resolved = config.resolve(&baseline, ALL).unwrap();
    assert_eq!(resolved.get(Trio::Value).unwrap().ffn_hidden_size, Some(4096));

    let refused =
        RoleConfig::<Args>::from_overrides([(Trio::Policy, ArgsOverrides::default().kl_loss_coef(0.01))])
            .unwrap()
            .resolve(&baseline, ALL)
            .unwrap_err();
    assert!(
        matches!(&refused.problems()[0].kind, ProblemKind::Relation { roles, .. } if roles == &["policy"])
    );
    let notes: Vec<&str> = refused.problems()[0].notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(notes, ["`kl_coef` = 0.1 (command line)", "`kl_loss_coef` = 0.01 (typed overrides)"]);

    // One role from Rust, without a config.
    let mut value = baseline.for_role(Trio::Value);
    value.apply_overrides(Trio::Value, &ArgsOverrides::default().hidden_size(Some(2048))).unwrap();
    assert_eq!((value.ffn_hidden_size, value.kv_channels), (Some(8192), Some(256)));
    let mut policy = baseline.for_role(Trio::Policy);
    let err = policy.apply_overrides(Trio::Policy, &ArgsOverrides::default().kl_loss_coef(0.01)).unwrap_err();
    assert!(err.problems()[0].message.starts_with("only one of `kl_coef` and `kl_loss_coef`"), "{err}");
    assert_eq!(policy, baseline.for_role(Trio::Policy)); // nothing changed
}

#[test]
fn a_relation_broken_by_a_file_value_shows_it_and_the_command_line_value() {
    let flags = ["--hidden-size", "4096", "--kl-coef", "0.1"];
    let text = "megatron:\n  - role: policy\n    overrides:\n      kl_loss_coef: 0.01\n";
    let err =
        load(text).resolve_with_command_line(&cli(&flags), &CommandLine::new(argv(&flags)), ALL).unwrap_err();
    insta::assert_snapshot!(err.to_string());
}

/// clap's own relations (SPEC 3.13), on the typed path as on the file's:
/// a model config that brings its prompt template (`conflicts_with`), a
/// tokenizer config that `requires` the tokenizer, weights from exactly one
/// place (an `ArgGroup` with `multiple(false)`), a `required` model name.
mod clap_relations {
    use clap::{ArgGroup, Parser};
    use megatron_args::{CommandLine, Error, MegatronArgs, PpoRole, ProblemKind, RoleConfig};

    #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
    #[command(group(ArgGroup::new("weights").multiple(false).args(["checkpoint", "hf_model"])))]
    struct Chat {
        #[arg(long, required = true)]
        model: Option<String>,
        #[arg(long, conflicts_with = "prompt_template")]
        config: Option<String>,
        #[arg(long)]
        prompt_template: Option<String>,
        #[arg(long)]
        tokenizer: Option<String>,
        #[arg(long, requires = "tokenizer")]
        tokenizer_config: Option<String>,
        #[arg(long)]
        checkpoint: Option<String>,
        #[arg(long)]
        hf_model: Option<String>,
        #[arg(long, default_value_t = 0.8)]
        temperature: f64,
    }

    const ARGV: [&str; 7] = ["chat", "--model", "m", "--prompt-template", "T", "--checkpoint", "/ckpt"];

    fn some(text: &str) -> Option<String> {
        Some(text.to_string())
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    /// Each broken relation: its typed overrides, the same as a file's
    /// entry, and the fields clap's error is about.
    fn broken() -> Vec<(ChatOverrides, &'static str, Vec<String>)> {
        vec![
            (
                ChatOverrides::default().config(some("c.json")),
                "config: c.json",
                strings(&["config", "prompt_template"]),
            ),
            (
                ChatOverrides::default().tokenizer_config(some("tc.json")),
                "tokenizer_config: tc.json",
                strings(&["tokenizer", "tokenizer_config"]),
            ),
            (
                ChatOverrides::default().hf_model(some("org/m")),
                "hf_model: org/m",
                strings(&["checkpoint", "hf_model"]),
            ),
            (ChatOverrides::default().model(None), "model: null", strings(&["model"])),
        ]
    }

    /// The kind and message of each problem: what clap refuses, and why.
    fn refusals(err: &Error) -> Vec<(ProblemKind, String)> {
        err.problems().iter().map(|p| (p.kind.clone(), p.message.clone())).collect()
    }

    #[test]
    fn apply_overrides_refuses_a_broken_conflict_with_claps_reason_naming_the_fields() {
        let baseline = Chat::parse_from(ARGV);
        let mut actor = baseline.for_role(PpoRole::Actor);
        let err = actor
            .apply_overrides(PpoRole::Actor, &ChatOverrides::default().config(some("c.json")))
            .unwrap_err();
        assert_eq!(err.problems().len(), 1, "{err}");
        let problem = &err.problems()[0];
        assert_eq!(
            problem.kind,
            ProblemKind::ClapRelation { role: "actor".into(), keys: strings(&["config", "prompt_template"]) }
        );
        assert!(
            problem
                .message
                .contains("'--config <CONFIG>' cannot be used with '--prompt-template <PROMPT_TEMPLATE>'"),
            "{}",
            problem.message
        );
        let notes: Vec<&str> = problem.notes.iter().map(|n| n.message.as_str()).collect();
        assert_eq!(
            notes,
            [
                "`config` is set by the typed overrides",
                "`prompt_template` is given on the command line (--prompt-template)"
            ]
        );
        assert_eq!(actor, baseline.for_role(PpoRole::Actor)); // nothing changed
                                                              // Without the conflicting value, the same override is fine.
        let mut free = Chat::parse_from(["chat", "--model", "m"]);
        free.apply_overrides(PpoRole::Actor, &ChatOverrides::default().config(some("c.json"))).unwrap();
        assert_eq!(free.config.as_deref(), Some("c.json"));
    }

    #[test]
    fn typed_overrides_break_claps_relations_exactly_as_the_same_file_does() {
        let baseline = Chat::parse_from(ARGV);
        for (typed, line, keys) in broken() {
            let text = format!("megatron:\n  - role: critic\n    overrides:\n      {line}\n");
            let by_file = RoleConfig::<Chat>::from_str(&text, "roles.yaml")
                .unwrap()
                .resolve(&baseline, &[PpoRole::Actor, PpoRole::Critic])
                .unwrap_err();
            let by_config = RoleConfig::<Chat>::from_overrides([(PpoRole::Critic, typed.clone())])
                .unwrap()
                .resolve(&baseline, &[PpoRole::Actor, PpoRole::Critic])
                .unwrap_err();
            let mut critic = baseline.for_role(PpoRole::Critic);
            let by_apply = critic.apply_overrides(PpoRole::Critic, &typed).unwrap_err();
            let expected = refusals(&by_file);
            assert_eq!(expected.len(), 1, "{by_file}");
            assert_eq!(expected[0].0, ProblemKind::ClapRelation { role: "critic".into(), keys }, "{line}");
            assert!(
                expected[0].1.starts_with("clap refuses the arguments of role `critic`: "),
                "{}",
                expected[0].1
            );
            assert_eq!(refusals(&by_config), expected, "{line}: from_overrides");
            assert_eq!(refusals(&by_apply), expected, "{line}: apply_overrides");
            // The file's problem is at its value; the typed ones have no file.
            assert_eq!(by_file.problems()[0].location.as_ref().map(|at| at.line()), Some(4), "{line}");
            assert!(by_apply.problems()[0].location.is_none(), "{line}");
        }
    }

    #[test]
    fn a_typed_override_breaking_a_relation_is_located_at_the_command_line_value() {
        let baseline = Chat::parse_from(ARGV);
        let config = RoleConfig::<Chat>::from_overrides([(
            PpoRole::Actor,
            ChatOverrides::default().config(some("c.json")),
        )])
        .unwrap();
        let err = config
            .resolve_with_command_line(&baseline, &CommandLine::new(ARGV), &[PpoRole::Actor])
            .unwrap_err();
        let problem = &err.problems()[0];
        let at = problem.location.as_ref().expect("at the command line");
        assert_eq!((at.to_string().as_str(), at.marked_text()), ("command line:1:16", "--prompt-template T"));
        assert!(problem.help.as_deref().unwrap().contains("in the role's overrides or on the command line"));
    }

    #[test]
    fn a_clap_relation_broken_by_a_file_value_shows_it_and_the_command_line_value() {
        let text = "megatron:\n  - role: critic\n    overrides:\n      temperature: 0.5\n      config: critic.json\n";
        let config = RoleConfig::<Chat>::from_str(text, "roles.yaml").unwrap();
        let err = config
            .resolve_with_command_line(
                &Chat::parse_from(ARGV),
                &CommandLine::new(ARGV),
                &[PpoRole::Actor, PpoRole::Critic],
            )
            .unwrap_err();
        let spans: Vec<String> = err.problems()[0]
            .notes
            .iter()
            .map(|n| n.location.as_ref().map_or("-".to_string(), |at| format!("{at} {}", at.marked_text())))
            .collect();
        assert_eq!(spans, ["roles.yaml:5:15 critic.json", "command line:1:16 --prompt-template T"]);
        insta::assert_snapshot!(err.to_string());
    }
}
