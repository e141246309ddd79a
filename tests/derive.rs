//! Behaviour of the code `#[derive(MegatronArgs)]` and `#[derive(Role)]`
//! generate, observed through the public runtime API.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use clap::{Parser, ValueEnum};
use megatron_args::{FieldClass, MegatronArgs, Overrides, PpoRole, ProblemKind, Role, Value, ValueType};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum LrDecayStyle {
    Constant,
    Linear,
    Cosine,
}

/// A `FromStr` type that is not a clap `ValueEnum`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Ratio(u32, u32);

impl FromStr for Ratio {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (a, b) = s.split_once(':').ok_or_else(|| format!("`{s}` is not `a:b`"))?;
        Ok(Ratio(a.parse().map_err(|_| "bad numerator")?, b.parse().map_err(|_| "bad denominator")?))
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.0, self.1)
    }
}

fn positive(value: &f64) -> Result<(), String> {
    if *value > 0.0 {
        Ok(())
    } else {
        Err(format!("must be positive, got {value}"))
    }
}

#[derive(clap::Args, MegatronArgs, Clone, Debug, PartialEq)]
struct OptimArgs {
    /// Adam beta1.
    #[arg(long, default_value_t = 0.9)]
    adam_beta1: f64,
    #[arg(long, default_value_t = 0.0)]
    #[megatron(role_default(critic = 0.01))]
    weight_decay: f64,
}

#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
struct TrainArgs {
    /// Learning rate.
    ///
    /// Peak value.
    #[arg(long, default_value_t = 1e-6)]
    #[megatron(validate = positive)]
    lr: f64,
    #[arg(long = "save-dir")]
    #[megatron(alias = "save_path", alias = "checkpoint_dir")]
    save: Option<PathBuf>,
    #[arg(long, default_value_t = 1)]
    #[topology]
    tensor_model_parallel_size: u32,
    #[arg(long, default_value_t = 1)]
    #[megatron(placement)]
    critic_num_nodes: u32,
    #[arg(long, default_value_t = 0.0)]
    #[megatron(role_forced(critic = 0.0))]
    kl_coef: f64,
    #[arg(long, value_enum, default_value_t = LrDecayStyle::Linear)]
    #[megatron(role_default(critic = LrDecayStyle::Constant))]
    lr_decay_style: LrDecayStyle,
    #[arg(long, value_enum)]
    fallback_styles: Vec<LrDecayStyle>,
    #[arg(long, num_args = 1..)]
    #[megatron(value_enum)]
    extra_styles: Option<Vec<LrDecayStyle>>,
    #[arg(long)]
    #[megatron(from_str, rename = "loss_ratio")]
    ratio: Option<Ratio>,
    #[arg(long)]
    #[megatron(role_forced(critic = None), role_default(actor = Some("ppo".to_string())))]
    custom_advantage_function_path: Option<String>,
    #[arg(long, value_delimiter = ',')]
    eval_intervals: Vec<u64>,
    #[command(flatten)]
    #[megatron(flatten)]
    optim: OptimArgs,
    #[arg(long)]
    #[megatron(skip)]
    megatron_config_path: Option<PathBuf>,
    #[arg(long, default_value = "gpt")]
    r#type: String,
}

fn baseline() -> TrainArgs {
    TrainArgs::parse_from(["train", "--tensor-model-parallel-size", "2"])
}

#[test]
fn fields_are_listed_in_declaration_order_with_flattened_fields_inline() {
    let names: Vec<_> = TrainArgs::fields().iter().map(|f| f.name).collect();
    assert_eq!(
        names,
        [
            "lr",
            "save",
            "tensor_model_parallel_size",
            "critic_num_nodes",
            "kl_coef",
            "lr_decay_style",
            "fallback_styles",
            "extra_styles",
            "loss_ratio",
            "custom_advantage_function_path",
            "eval_intervals",
            "adam_beta1",
            "weight_decay",
            "megatron_config_path",
            "type",
        ]
    );
    let indices: Vec<_> = TrainArgs::fields().iter().map(|f| f.index).collect();
    assert_eq!(indices, (0..names.len()).collect::<Vec<_>>());
}

#[test]
fn flags_follow_clap_long_spelling() {
    let flag = |name| TrainArgs::field(name).unwrap().flag;
    assert_eq!(flag("lr"), "--lr");
    assert_eq!(flag("save"), "--save-dir");
    assert_eq!(flag("tensor_model_parallel_size"), "--tensor-model-parallel-size");
    assert_eq!(flag("loss_ratio"), "--ratio");
    assert_eq!(flag("adam_beta1"), "--adam-beta1");
    // Every flag the table claims is one clap accepts.
    let args =
        TrainArgs::parse_from(["train", "--save-dir", "/ckpt", "--ratio", "1:2", "--adam-beta1", "0.5"]);
    assert_eq!(args.save, Some(PathBuf::from("/ckpt")));
    assert_eq!(args.optim.adam_beta1, 0.5);
}

#[test]
fn field_classes_come_from_attributes() {
    let class = |name| TrainArgs::field(name).unwrap().class;
    assert_eq!(class("lr"), FieldClass::Regular);
    assert_eq!(class("tensor_model_parallel_size"), FieldClass::Topology);
    assert_eq!(class("critic_num_nodes"), FieldClass::Placement);
    assert_eq!(class("megatron_config_path"), FieldClass::Shared);
    assert_eq!(class("weight_decay"), FieldClass::Regular);
}

#[test]
fn metadata_records_rust_type_and_trimmed_doc() {
    let lr = TrainArgs::field("lr").unwrap();
    assert_eq!(lr.rust_type, "f64");
    assert_eq!(lr.doc, "Learning rate.\n\nPeak value.");
    assert_eq!(lr.value_type, ValueType::Float { name: "f64" });
    let save = TrainArgs::field("save").unwrap();
    assert_eq!(save.rust_type, "Option<PathBuf>");
    assert_eq!(save.doc, "");
    assert_eq!(save.value_type, ValueType::Optional(Box::new(ValueType::Path)));
    assert_eq!(TrainArgs::field("adam_beta1").unwrap().doc, "Adam beta1.");
    assert_eq!(TrainArgs::field("eval_intervals").unwrap().rust_type, "Vec<u64>");
}

#[test]
fn raw_identifiers_lose_their_prefix() {
    let field = TrainArgs::field("type").unwrap();
    assert_eq!(field.name, "type");
    assert_eq!(field.rust_type, "String");
    assert_eq!(field.flag, "--type");
    assert_eq!(TrainArgs::parse_from(["train", "--type", "bert"]).r#type, "bert");
    assert_eq!(baseline().get("type"), Some(Value::String("gpt".into())));
}

#[test]
fn field_lookup_accepts_aliases_and_rename() {
    assert_eq!(TrainArgs::field("save_path").unwrap().name, "save");
    assert_eq!(TrainArgs::field("checkpoint_dir").unwrap().name, "save");
    assert_eq!(TrainArgs::field("save").unwrap().aliases, &["save_path", "checkpoint_dir"]);
    assert_eq!(TrainArgs::field("loss_ratio").unwrap().name, "loss_ratio");
    assert!(TrainArgs::field("ratio").is_none(), "a renamed field is known only by its new name");
    assert!(TrainArgs::field("optim").is_none(), "a flattened group is not an argument");
}

#[test]
fn get_and_set_are_typed() {
    let mut args = baseline();
    assert_eq!(args.get("lr"), Some(Value::Float(1e-6)));
    args.set("lr", "1e-5").unwrap();
    assert_eq!(args.lr, 1e-5);
    args.set("save_path", "/tmp/x").unwrap();
    assert_eq!(args.save, Some(PathBuf::from("/tmp/x")));
    args.set("save", Value::Null).unwrap();
    assert_eq!(args.save, None);
    assert_eq!(args.get("nope"), None);
}

#[test]
fn set_with_wrong_type_leaves_struct_unchanged() {
    let mut args = baseline();
    let before = args.clone();
    let err = args.set("tensor_model_parallel_size", -1).unwrap_err();
    assert!(
        matches!(&err.problems()[0].kind, ProblemKind::Type { path } if path == "tensor_model_parallel_size")
    );
    let err = args.set("eval_intervals", vec![Value::Int(1), Value::String("x".into())]).unwrap_err();
    assert!(matches!(&err.problems()[0].kind, ProblemKind::Type { path } if path == "eval_intervals[1]"));
    assert_eq!(args, before);
}

#[test]
fn set_of_unknown_name_suggests_close_names() {
    let err = baseline().set("kl_coeff", 0.1).unwrap_err();
    match &err.problems()[0].kind {
        ProblemKind::UnknownKey { suggestions, .. } => assert_eq!(suggestions[0], "kl_coef"),
        other => panic!("unexpected problem {other:?}"),
    }
}

#[test]
fn for_role_applies_role_defaults_and_forced_values() {
    let mut base = baseline();
    base.kl_coef = 0.2;
    let critic = base.for_role(PpoRole::Critic);
    assert_eq!(critic.kl_coef, 0.0);
    assert_eq!(critic.lr_decay_style, LrDecayStyle::Constant);
    assert_eq!(critic.custom_advantage_function_path, None);
    assert_eq!(critic.lr, base.lr);
    let actor = base.for_role(PpoRole::Actor);
    assert_eq!(actor.kl_coef, 0.2);
    assert_eq!(actor.lr_decay_style, LrDecayStyle::Linear);
    assert_eq!(actor.custom_advantage_function_path.as_deref(), Some("ppo"));
    assert_eq!(base, baseline_with_kl(0.2), "for_role does not change the baseline");
}

fn baseline_with_kl(kl: f64) -> TrainArgs {
    TrainArgs { kl_coef: kl, ..baseline() }
}

#[test]
fn flattened_fields_are_reached_through_the_group() {
    let mut args = baseline();
    assert_eq!(args.get("adam_beta1"), Some(Value::Float(0.9)));
    args.set("weight_decay", 0.1).unwrap();
    assert_eq!(args.optim.weight_decay, 0.1);
    assert_eq!(TrainArgs::field("adam_beta1").unwrap().index, 11);
}

#[test]
fn flattened_role_values_apply_to_the_outer_struct() {
    let critic = baseline().for_role(PpoRole::Critic);
    assert_eq!(critic.optim.weight_decay, 0.01);
    assert_eq!(baseline().for_role(PpoRole::Actor).optim.weight_decay, 0.0);
}

#[test]
fn value_enum_fields_use_clap_spellings() {
    let style = TrainArgs::field("lr_decay_style").unwrap();
    assert_eq!(
        style.value_type,
        ValueType::Choice(vec!["constant".into(), "linear".into(), "cosine".into()])
    );
    let mut args = baseline();
    args.set("lr_decay_style", "cosine").unwrap();
    assert_eq!(args.lr_decay_style, LrDecayStyle::Cosine);
    let err = args.set("lr_decay_style", "cosin").unwrap_err();
    assert_eq!(err.problems()[0].help.as_deref(), Some("did you mean `cosine`?"));
    args.set("fallback_styles", vec!["constant", "linear"]).unwrap();
    assert_eq!(args.fallback_styles, [LrDecayStyle::Constant, LrDecayStyle::Linear]);
    let choices = ValueType::Choice(vec!["constant".into(), "linear".into(), "cosine".into()]);
    assert_eq!(
        TrainArgs::field("extra_styles").unwrap().value_type,
        ValueType::Optional(Box::new(ValueType::List(Box::new(choices))))
    );
    args.set("extra_styles", vec!["cosine"]).unwrap();
    assert_eq!(args.extra_styles, Some(vec![LrDecayStyle::Cosine]));
    assert_eq!(
        args.get("fallback_styles"),
        Some(Value::List(vec![Value::String("constant".into()), Value::String("linear".into())]))
    );
}

#[test]
fn from_str_fields_parse_and_display() {
    let mut args = baseline();
    args.set("loss_ratio", "3:4").unwrap();
    assert_eq!(args.ratio, Some(Ratio(3, 4)));
    assert_eq!(args.get("loss_ratio"), Some(Value::String("3:4".into())));
    let err = args.set("loss_ratio", "34").unwrap_err();
    assert_eq!(err.problems()[0].help.as_deref(), Some("`34` is not `a:b`"));
    args.set("loss_ratio", Value::Null).unwrap();
    assert_eq!(args.ratio, None);
}

#[test]
fn overrides_have_setters_for_regular_fields_only() {
    let overrides = TrainArgsOverrides::default()
        .lr(1e-5)
        .save(Some(PathBuf::from("/ckpt/critic")))
        .lr_decay_style(LrDecayStyle::Cosine)
        .optim(|o| o.weight_decay(0.05));
    assert_eq!(
        overrides.entries(),
        [
            ("lr", Value::Float(1e-5)),
            ("save", Value::from("/ckpt/critic")),
            ("lr_decay_style", Value::from("cosine")),
            ("weight_decay", Value::Float(0.05)),
        ]
    );
    // A group's setter edits what was set before, in and out of the group.
    let edited = overrides.optim(|o| o.weight_decay(0.1)).lr(2e-5);
    assert_eq!(edited.entries()[0], ("lr", Value::Float(2e-5)));
    assert_eq!(edited.entries()[3], ("weight_decay", Value::Float(0.1)));
    assert_eq!(edited.entries().len(), 4);
    assert!(TrainArgsOverrides::default().is_empty());
}

#[test]
fn overrides_refuse_dynamic_set_of_non_regular_fields() {
    let mut overrides = TrainArgsOverrides::default();
    for name in ["tensor_model_parallel_size", "critic_num_nodes", "megatron_config_path"] {
        let err = overrides.set(name, 2).unwrap_err();
        assert!(matches!(err.problems()[0].kind, ProblemKind::NotOverridable { .. }), "{name}");
    }
    overrides.set("adam_beta1", "0.8").unwrap();
    assert_eq!(overrides, TrainArgsOverrides::default().optim(|o| o.adam_beta1(0.8)));
}

#[test]
fn apply_overrides_replaces_only_set_fields() {
    let mut args = baseline();
    let before = args.clone();
    args.apply_overrides(
        PpoRole::Actor,
        &TrainArgsOverrides::default().kl_coef(0.3).optim(|o| o.adam_beta1(0.5)),
    )
    .unwrap();
    assert_eq!(args.kl_coef, 0.3);
    assert_eq!(args.optim.adam_beta1, 0.5);
    assert_eq!(TrainArgs { kl_coef: before.kl_coef, optim: before.optim.clone(), ..args.clone() }, before);
}

#[test]
fn overrides_round_trip_through_yaml() {
    let overrides = TrainArgsOverrides::default()
        .lr(2e-5)
        .fallback_styles(vec![LrDecayStyle::Cosine])
        .ratio(Some(Ratio(1, 3)))
        .custom_advantage_function_path(None)
        .optim(|o| o.weight_decay(0.1));
    let yaml = serde_yaml::to_string(&overrides).unwrap();
    assert!(yaml.contains("loss_ratio: 1:3"), "{yaml}");
    let back: TrainArgsOverrides = serde_yaml::from_str(&yaml).unwrap();
    assert_eq!(back, overrides);
}

#[test]
fn overrides_deserialize_aliases_and_reject_bad_values() {
    let parsed: TrainArgsOverrides = serde_yaml::from_str("save_path: /a\nlr: '1e-5'\n").unwrap();
    assert_eq!(parsed, TrainArgsOverrides::default().save(Some("/a".into())).lr(1e-5));
    let err = serde_yaml::from_str::<TrainArgsOverrides>("lr: abc\ntensor_model_parallel_size: 2\n")
        .unwrap_err()
        .to_string();
    // The first bad key fails in its own node: serde_yaml adds its path and position.
    let expected = "lr: invalid value for `lr`: expected a number (f64), found string \"abc\" \
                    (help: write a number, for example `1e-5` or `0.5`) at line 1 column 5";
    assert_eq!(err, expected);
}

#[test]
fn overrides_deserialize_reports_the_bad_key_with_its_path_and_position() {
    let nested = "megatron:\n  - overrides:\n      save_path: /a\n      tensor_model_parallel_size: 2\n";
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct File {
        megatron: Vec<Entry>,
    }
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Entry {
        overrides: TrainArgsOverrides,
    }
    let err = serde_yaml::from_str::<File>(nested).unwrap_err().to_string();
    let expected = "megatron[0].overrides.tensor_model_parallel_size: `tensor_model_parallel_size` is a topology \
                    argument and cannot be overridden per role (help: keep it on the command line) at line 4 column 35";
    assert_eq!(err, expected);
    let err = serde_yaml::from_str::<TrainArgsOverrides>("lr: 1e-5\nlrr: 2\n").unwrap_err().to_string();
    assert_eq!(err, "unknown argument `lrr` (help: did you mean `lr`?) at line 2 column 1");
    let err = serde_yaml::from_str::<TrainArgsOverrides>("lr: 1e-5\nlr: 2e-5\n").unwrap_err().to_string();
    let expected = "`lr` is given twice (help: keep one; a repeated key would silently override the first) \
                    at line 2 column 1";
    assert_eq!(err, expected);
    let err = serde_json::from_str::<TrainArgsOverrides>(r#"{"eval_intervals": [1, "x"]}"#)
        .unwrap_err()
        .to_string();
    let expected = "invalid value for `eval_intervals[1]`: expected an integer (u64), found string \"x\" \
                    (help: write a whole number, for example `8`) at line 1 column 27";
    assert_eq!(err, expected);
}

mod custom_roles {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Role)]
    pub enum RlhfRole {
        Actor,
        Critic,
        #[role(topology_group = "reward")]
        RewardModel,
        #[role(rename = "ref")]
        Reference,
    }

    #[derive(MegatronArgs, Clone, Debug, PartialEq)]
    #[megatron(roles = RlhfRole)]
    pub struct RlhfArgs {
        #[megatron(role_default(reward_model = 5e-6, critic = 1e-5))]
        pub lr: f64,
        #[megatron(role_forced(reference = true))]
        pub frozen: bool,
    }

    #[test]
    fn role_derive_names_variants_in_snake_case() {
        assert_eq!(
            RlhfRole::ALL,
            &[RlhfRole::Actor, RlhfRole::Critic, RlhfRole::RewardModel, RlhfRole::Reference]
        );
        assert_eq!(RlhfRole::names(), ["actor", "critic", "reward_model", "ref"]);
        assert_eq!(RlhfRole::from_name("reward_model"), Some(RlhfRole::RewardModel));
        assert_eq!(RlhfRole::from_name("reference"), None);
        assert_eq!(RlhfRole::RewardModel.to_string(), "reward_model");
    }

    #[test]
    fn role_derive_sets_topology_groups() {
        assert_eq!(RlhfRole::RewardModel.topology_group(), "reward");
        assert_eq!(RlhfRole::Actor.topology_group(), "default");
    }

    #[test]
    fn role_values_on_custom_roles() {
        let base = RlhfArgs { lr: 1e-6, frozen: false };
        assert_eq!(base.for_role(RlhfRole::RewardModel).lr, 5e-6);
        assert_eq!(base.for_role(RlhfRole::Critic).lr, 1e-5);
        assert_eq!(base.for_role(RlhfRole::Actor), base);
        assert!(base.for_role(RlhfRole::Reference).frozen);
    }
}

mod reexport {
    pub use megatron_args as ma;
}

mod crate_option {
    use super::reexport;

    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, reexport::ma::Role)]
    #[role(crate = "reexport::ma")]
    pub enum Solo {
        Only,
    }

    #[derive(reexport::ma::MegatronArgs, Clone, Debug, PartialEq)]
    #[megatron(crate = reexport::ma, roles = Solo)]
    pub struct Args {
        #[megatron(role_default(only = 3))]
        pub steps: u32,
    }

    #[test]
    fn crate_option_points_generated_code_at_a_reexport() {
        use reexport::ma::{MegatronArgs, Role};
        assert_eq!(Solo::names(), ["only"]);
        assert_eq!(Args { steps: 1 }.for_role(Solo::Only).steps, 3);
        assert_eq!(Args::fields()[0].name, "steps");
    }
}

mod repeated_through_flatten {
    use clap::Parser;
    use megatron_args::{MegatronArgs, Overrides, ProblemKind, RoleConfig};

    #[derive(clap::Args, MegatronArgs, Clone, Debug)]
    pub struct Actor {
        #[arg(id = "actor_lr", long = "actor-lr", default_value_t = 1e-6)]
        lr: f64,
    }

    #[derive(clap::Args, MegatronArgs, Clone, Debug)]
    pub struct Critic {
        #[arg(id = "critic_lr", long = "critic-lr", default_value_t = 1e-5)]
        lr: f64,
    }

    #[derive(Parser, MegatronArgs, Clone, Debug)]
    pub struct Args {
        #[command(flatten)]
        actor: Actor,
        #[command(flatten)]
        critic: Critic,
    }

    #[test]
    fn a_name_repeated_through_flatten_is_an_error_at_load_and_set_never_a_panic() {
        let Err(err) = RoleConfig::<Args>::from_str("megatron: []\n", "roles.yaml") else {
            panic!("a struct with a repeated name must not load a file");
        };
        let problem = &err.problems()[0];
        assert_eq!(problem.kind, ProblemKind::Definition);
        assert!(problem.message.contains("`lr` is used by two fields of `Args`"), "{err}");
        assert!(problem.message.contains("--actor-lr") && problem.message.contains("--critic-lr"), "{err}");

        let mut args = Args::parse_from(["train"]);
        assert!(args.set("lr", 2e-6).is_err());
        assert_eq!((args.actor.lr, args.critic.lr), (1e-6, 1e-5), "nothing changed");
        assert!(<Args as MegatronArgs>::Overrides::default().set("lr", 1.0).is_err());
        // The table is still listed, in declaration order.
        assert_eq!(Args::fields().iter().map(|f| f.flag).collect::<Vec<_>>(), ["--actor-lr", "--critic-lr"]);
    }
}

/// Fields of built-in types are registered in runs (one builder call per up
/// to 16 of them); a field with more to register breaks a run. Every field
/// must still get its own type, index and accessor.
mod plain_field_runs {
    use clap::Parser;
    use megatron_args::{MegatronArgs, PpoRole, RoleConfig, Value, ValueType};

    fn at_most_ten(value: &i64) -> Result<(), String> {
        if *value <= 10 {
            Ok(())
        } else {
            Err(format!("{value} is over 10"))
        }
    }

    #[derive(Parser, MegatronArgs, Clone, Debug)]
    pub struct Wide {
        #[arg(long, default_value_t = 0)]
        a0: i64,
        #[arg(long)]
        a1: Option<String>,
        #[arg(long, default_value_t = false)]
        a2: bool,
        #[arg(long, default_value_t = 0.5)]
        a3: f64,
        #[arg(long, num_args = 1..)]
        a4: Vec<u32>,
        #[arg(long, default_value_t = 5)]
        a5: i64,
        #[arg(long)]
        a6: Option<std::path::PathBuf>,
        #[arg(long, default_value_t = 7)]
        a7: u8,
        #[arg(long, default_value_t = 8)]
        a8: i64,
        #[arg(long, default_value_t = 9)]
        a9: i64,
        #[arg(long, default_value_t = 10)]
        a10: i64,
        #[arg(long, default_value_t = 11)]
        a11: i64,
        #[arg(long, default_value_t = 12)]
        a12: i64,
        #[arg(long, default_value_t = 13)]
        a13: i64,
        #[arg(long, default_value_t = 14)]
        a14: i64,
        #[arg(long, default_value_t = 15)]
        a15: i64,
        #[arg(long, default_value_t = 16)]
        a16: i64,
        #[arg(long, default_value_t = 'x')]
        a17: char,
        #[arg(long, default_value_t = 1)]
        #[megatron(validate = at_most_ten)]
        checked: i64,
        #[arg(long, default_value = "last")]
        a19: String,
    }

    #[test]
    fn every_field_of_a_long_run_keeps_its_type_and_order() {
        let names: Vec<_> = Wide::fields().iter().map(|f| f.name).collect();
        let mut expected: Vec<String> = (0..18).map(|i| format!("a{i}")).collect();
        expected.extend(["checked".to_string(), "a19".to_string()]);
        assert_eq!(names, expected);
        let u32_type = ValueType::Int { name: "u32", min: 0, max: u32::MAX.into() };
        assert_eq!(Wide::field("a4").unwrap().value_type, ValueType::List(Box::new(u32_type)));
        assert_eq!(Wide::field("a6").unwrap().value_type, ValueType::Optional(Box::new(ValueType::Path)));
        assert_eq!(Wide::field("a17").unwrap().rust_type, "char");

        let mut args = Wide::parse_from(["train", "--a16=-3", "--a4", "1", "2"]);
        assert_eq!(args.get("a16"), Some(Value::Int(-3)), "the 17th field, after the first run of 16");
        assert_eq!(args.get("a4"), Some(Value::List(vec![Value::Int(1), Value::Int(2)])));
        args.set("a17", "y").unwrap();
        args.set("a19", "first").unwrap();
        assert_eq!((args.a17, args.a19.as_str()), ('y', "first"));
        let config = RoleConfig::<Wide>::from_str(
            "megatron:\n  - role: actor\n    overrides: {checked: 11}\n",
            "r.yaml",
        )
        .unwrap();
        let err = config.resolve(&args, &[PpoRole::Actor]).unwrap_err();
        assert!(
            err.to_string().contains("11 is over 10"),
            "the field outside the runs keeps its validator: {err}"
        );
    }
}

#[path = "common/clap_agreement.rs"]
mod clap_agreement;

/// `fields()` of every clap struct here agrees with clap's own command.
#[test]
fn fields_agree_with_clap() {
    clap_agreement::parser::<TrainArgs>();
    clap_agreement::group::<OptimArgs>();
    clap_agreement::parser::<repeated_through_flatten::Args>();
    clap_agreement::group::<repeated_through_flatten::Actor>();
    clap_agreement::parser::<plain_field_runs::Wide>();
}

/// A value with no spelling of its own, set from Rust code, has no text: it
/// is written nowhere, and each writer names the field and says why.
mod no_spelling_set_from_rust {
    use clap::Parser;
    use megatron_args::{CommandLine, MegatronArgs, PpoRole, RoleConfig};

    /// A type only its argument's own parser reads.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Endpoint(String);

    fn parse_endpoint(text: &str) -> Result<Endpoint, String> {
        text.strip_prefix("http://")
            .map(|host| Endpoint(host.to_string()))
            .ok_or_else(|| "not http://".into())
    }

    #[derive(Parser, MegatronArgs, Clone, Debug)]
    struct Args {
        #[arg(long, value_parser = parse_endpoint, default_value = "http://localhost:8000")]
        #[megatron(role_default(critic = Endpoint("critic:8000".into())))]
        reward_endpoint: Endpoint,
        #[arg(long, default_value_t = 1)]
        seed: u32,
    }

    #[test]
    fn a_role_default_of_such_a_value_is_an_error_where_it_is_written() {
        let argv = ["train"];
        let resolved = RoleConfig::<Args>::from_str("megatron: []\n", "r.yaml")
            .unwrap()
            .resolve_with_command_line(
                &Args::parse_from(argv),
                &CommandLine::new(argv),
                &[PpoRole::Actor, PpoRole::Critic],
            )
            .unwrap();
        let critic = resolved.role(PpoRole::Critic).unwrap();
        assert_eq!(critic.args().reward_endpoint, Endpoint("critic:8000".into()));
        let err = critic.to_argv().unwrap_err().to_string();
        assert!(
            err.contains(
                "cannot write `reward_endpoint`: `Endpoint` is read only by its argument's own value parser"
            ),
            "{err}"
        );
        assert!(critic.value("reward_endpoint").is_err());
        // The actor's value is clap's default, whose text is kept.
        let actor = resolved.role(PpoRole::Actor).unwrap();
        assert_eq!(actor.to_argv().unwrap(), ["--reward-endpoint", "http://localhost:8000", "--seed", "1"]);
        let view_err = resolved.try_logger_view().unwrap_err().to_string();
        assert!(view_err.contains("critic/reward_endpoint") && !view_err.contains("actor/"), "{view_err}");
    }
}
