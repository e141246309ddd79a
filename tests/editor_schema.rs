//! The editor schema (`json_schema`): a valid draft 2020-12 schema that a
//! real validator applies to role-config files the way the loader does:
//! every file the loader accepts validates, and the broken files it rejects
//! for a reason a schema can express are rejected too.

mod common;

use common::Args;
use megatron_args::{json_schema, MegatronArgs, RoleConfig};
use serde_json::Value as Json;

fn schema() -> Json {
    json_schema::<Args>()
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema()).expect("the schema compiles")
}

/// The YAML text as an editor's language server sees it.
fn yaml(text: &str) -> Json {
    serde_yaml::from_str(text).expect("test YAML parses")
}

fn schema_errors(text: &str) -> Vec<String> {
    let instance = yaml(text);
    validator().iter_errors(&instance).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

fn overrides(role: &str, body: &str) -> String {
    common::file_for(role, body)
}

/// The sample file of the example trainer (examples/megatron_ppo.yaml).
const PPO_SAMPLE: &str = "\
# Per-role Megatron arguments for PPO.
megatron:
  - name: default
    role: actor
    overrides:
      lr: 1e-6
      save: /ckpt/actor
  - name: default
    role: critic
    overrides:
      lr: 1e-5
      save: /ckpt/critic
";

#[test]
fn schema_is_a_valid_draft_2020_12_schema() {
    let schema = schema();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    jsonschema::meta::validate(&schema).expect("valid against the draft 2020-12 meta-schema");
}

/// Files the loader accepts; each must validate against the schema too.
const ACCEPTED: &[(&str, &str)] = &[
    ("the ppo sample", PPO_SAMPLE),
    ("args instead of overrides, no name", "megatron:\n  - role: critic\n    args:\n      lr: 1e-5\n"),
    ("null overrides", "megatron:\n  - role: actor\n    overrides:\n"),
    ("empty overrides", "megatron:\n  - role: actor\n    overrides: {}\n"),
    ("an entry with only a role", "megatron:\n  - role: critic\n"),
    ("an empty list", "megatron: []\n"),
    ("other top-level sections", "rollout:\n  n: 8\nmegatron:\n  - role: actor\n"),
    (
        "YAML 1.1 strings for numbers and booleans",
        "megatron:\n  - role: critic\n    overrides:\n      lr: \"1e-5\"\n      min_lr: '0'\n      micro_batch_size: \"8\"\n      use_kl_loss: \"Yes\"\n",
    ),
    ("an alias", "megatron:\n  - role: actor\n    overrides:\n      mbs: 4\n"),
    (
        "enum, list and None",
        "megatron:\n  - role: actor\n    overrides:\n      lr_decay_style: WSD\n      eval_at: [10, 20]\n      save: null\n      load: ~\n",
    ),
    ("an integer for a float field", "megatron:\n  - role: actor\n    overrides:\n      lr: 1\n"),
    ("u64 range", "megatron:\n  - role: actor\n    overrides:\n      train_iters: 18446744073709551615\n"),
    ("a flattened group's field", "megatron:\n  - role: critic\n    overrides:\n      adam_beta2: 0.95\n"),
    ("placement keys (ignored)", "megatron:\n  - role: critic\n    overrides:\n      critic_num_nodes: 2\n      num_nodes: 2\n      num_gpus_per_node: 8\n"),
    ("an agreeing topology override", "megatron:\n  - role: actor\n    overrides:\n      sequence_parallel: true\n"),
    ("a key forced for the critic, on the actor", "megatron:\n  - role: actor\n    overrides:\n      kl_coef: 0.1\n"),
];

#[test]
fn files_the_loader_accepts_validate() {
    for (what, text) in ACCEPTED {
        assert!(
            common::load(text).is_ok(),
            "the loader should accept {what}: {}",
            common::load(text).unwrap_err()
        );
        let errors = schema_errors(text);
        assert!(errors.is_empty(), "the schema should accept {what}: {errors:#?}");
    }
}

/// Files the loader rejects, with the reason; each must fail the schema too.
const REJECTED: &[(&str, &str)] = &[
    ("no megatron key", "roles:\n  - role: actor\n"),
    ("megatron is not a list", "megatron:\n  role: actor\n"),
    ("an entry without a role", "megatron:\n  - name: default\n"),
    ("an unknown role", "megatron:\n  - role: critc\n"),
    ("an unknown entry key", "megatron:\n  - role: actor\n    overides:\n      lr: 1e-6\n"),
    (
        "both overrides and args",
        "megatron:\n  - role: actor\n    overrides: {lr: 1e-6}\n    args: {lr: 1e-6}\n",
    ),
    ("two entries for one role", "megatron:\n  - role: actor\n  - role: critic\n  - role: actor\n"),
    ("overrides is a list", "megatron:\n  - role: actor\n    overrides: [lr]\n"),
    ("an unknown key", "megatron:\n  - role: actor\n    overrides:\n      lrr: 1e-6\n"),
    ("a CLI flag as key", "megatron:\n  - role: actor\n    overrides:\n      micro-batch-size: 2\n"),
    ("a shared key", "megatron:\n  - role: actor\n    overrides:\n      use_critic: true\n"),
    ("a key forced for the critic", "megatron:\n  - role: critic\n    overrides:\n      kl_coef: 0.1\n"),
    (
        "a forced key through args",
        "megatron:\n  - role: critic\n    args:\n      custom_advantage_function_path: x\n",
    ),
    ("a word for a float", "megatron:\n  - role: actor\n    overrides:\n      lr: fast\n"),
    ("null for a required value", "megatron:\n  - role: actor\n    overrides:\n      lr: ~\n"),
    ("a negative u32", "megatron:\n  - role: actor\n    overrides:\n      micro_batch_size: -1\n"),
    ("a u32 overflow", "megatron:\n  - role: actor\n    overrides:\n      micro_batch_size: 5000000000\n"),
    (
        "a decimal string for an integer",
        "megatron:\n  - role: actor\n    overrides:\n      micro_batch_size: \"2.5\"\n",
    ),
    ("a non-boolean word", "megatron:\n  - role: actor\n    overrides:\n      use_kl_loss: maybe\n"),
    ("a mixed-case boolean word", "megatron:\n  - role: actor\n    overrides:\n      use_kl_loss: yEs\n"),
    ("an integer for a boolean", "megatron:\n  - role: actor\n    overrides:\n      use_kl_loss: 1\n"),
    ("an invalid enum value", "megatron:\n  - role: actor\n    overrides:\n      lr_decay_style: cosin\n"),
    ("a number for a path", "megatron:\n  - role: actor\n    overrides:\n      save: 5\n"),
    ("a scalar for a list", "megatron:\n  - role: actor\n    overrides:\n      eval_at: 10\n"),
    ("a bad list element", "megatron:\n  - role: actor\n    overrides:\n      eval_at: [10, x]\n"),
    ("a word for an alias of an integer", "megatron:\n  - role: actor\n    overrides:\n      mbs: big\n"),
];

#[test]
fn files_the_loader_rejects_fail_the_schema() {
    for (what, text) in REJECTED {
        assert!(common::load(text).is_err(), "the loader should reject {what}");
        assert!(!schema_errors(text).is_empty(), "the schema should reject {what}");
    }
}

#[test]
fn schema_error_points_at_the_offending_key() {
    let errors = schema_errors(&overrides("critic", "kl_coef: 0.1"));
    assert!(errors.iter().any(|e| e.ends_with("at /megatron/0/overrides/kl_coef")), "{errors:#?}");
    let errors = schema_errors(&overrides("actor", "lr_decay_style: cosin"));
    assert!(errors.iter().any(|e| e.ends_with("at /megatron/0/overrides/lr_decay_style")), "{errors:#?}");
}

fn property(name: &str) -> Json {
    schema()["$defs"]["overrides"]["properties"][name].clone()
}

fn description(name: &str) -> String {
    property(name)["description"].as_str().unwrap_or_else(|| panic!("{name} has a description")).to_string()
}

#[test]
fn every_argument_name_and_alias_is_a_property() {
    let overrides = &schema()["$defs"]["overrides"];
    assert_eq!(overrides["additionalProperties"], false);
    let properties = overrides["properties"].as_object().unwrap();
    for field in Args::fields() {
        assert!(properties.contains_key(field.name), "{}", field.name);
        for alias in field.aliases {
            assert!(properties.contains_key(*alias), "{alias}");
        }
    }
    assert!(description("mbs").starts_with("Alias of `micro_batch_size`. Micro batch size."));
}

#[test]
fn descriptions_carry_doc_text_and_class_rules() {
    assert!(description("lr").starts_with("Learning rate.\n"), "{}", description("lr"));
    assert!(description("use_critic").contains("Shared argument"), "{}", description("use_critic"));
    assert!(description("critic_num_nodes").contains("ignored in this file"));
    assert_eq!(property("critic_num_nodes")["deprecated"], true);
    assert!(description("num_gpus_per_node").contains("ignored in this file"));
    let topology = description("tensor_model_parallel_size");
    assert!(
        topology.contains("Topology argument") && topology.contains("`default`: actor, critic"),
        "{topology}"
    );
}

#[test]
fn types_come_from_the_field_types() {
    let int = &property("micro_batch_size")["anyOf"][0];
    assert_eq!(int["type"], "integer");
    assert_eq!((int["minimum"].as_i64(), int["maximum"].as_u64()), (Some(0), Some(u64::from(u32::MAX))));
    assert_eq!(
        property("lr_decay_style")["enum"],
        serde_json::json!(["constant", "linear", "cosine", "WSD"])
    );
    assert_eq!(property("eval_at")["type"], "array");
    assert_eq!(property("save")["anyOf"][1]["type"], "null");
}

#[test]
fn role_is_an_enum_of_the_role_names() {
    assert_eq!(
        schema()["$defs"]["entry"]["properties"]["role"]["enum"],
        serde_json::json!(["actor", "critic"])
    );
}

#[test]
fn written_schema_checks_a_file_on_disk() {
    // What `ppo_train --print-schema > megatron.schema.json` gives an editor.
    let dir = tempfile::tempdir().unwrap();
    let schema_path = dir.path().join("megatron.schema.json");
    std::fs::write(&schema_path, serde_json::to_string_pretty(&schema()).unwrap()).unwrap();
    let reread: Json = serde_json::from_str(&std::fs::read_to_string(&schema_path).unwrap()).unwrap();
    let validator = jsonschema::draft202012::new(&reread).unwrap();
    let config = format!("# yaml-language-server: $schema=./megatron.schema.json\n{PPO_SAMPLE}");
    assert!(validator.is_valid(&yaml(&config)));
    assert!(RoleConfig::<Args>::from_str(&config, "megatron_ppo.yaml").is_ok());
    assert!(!validator.is_valid(&yaml(&config.replace("lr: 1e-5", "lr: 1e-5x"))));
}

/// A trainer whose clap arguments know more than their types: a range, a
/// fixed set of values, a help text other than the doc comment.
mod clap_facts {
    use clap::Parser;
    use megatron_args::{json_schema, MegatronArgs, PpoRole, RoleConfig};
    use serde_json::Value as Json;

    #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
    pub struct Grpo {
        /// Samples per prompt.
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=64))]
        pub n_samples_per_prompt: u32,
        /// Tokens kept, at least 16.
        #[arg(long, value_parser = clap::value_parser!(i64).range(16..))]
        pub max_tokens: Option<i64>,
        #[arg(long, default_value = "bf16", value_parser = ["bf16", "fp16", "fp32"])]
        pub dtype: String,
        /// Eval steps.
        #[arg(long, help = "Iterations between evaluations", value_parser = clap::value_parser!(u64).range(..=1000))]
        pub eval_interval: Vec<u64>,
        /// An even number: no range can say so, none is given.
        #[arg(long, default_value_t = 2, value_parser = even)]
        pub group_size: u32,
    }

    fn even(text: &str) -> Result<u32, String> {
        let n: u32 = text.parse().map_err(|e| format!("{e}"))?;
        if n.is_multiple_of(2) {
            Ok(n)
        } else {
            Err(format!("{n} is odd"))
        }
    }

    fn property(name: &str) -> Json {
        json_schema::<Grpo>()["$defs"]["overrides"]["properties"][name].clone()
    }

    fn file(body: &str) -> String {
        format!("megatron:\n  - role: actor\n    overrides:\n{body}")
    }

    /// An editor's verdict and the loader's, on the same file.
    fn verdicts(text: &str) -> (bool, bool) {
        let schema = json_schema::<Grpo>();
        let validator = jsonschema::draft202012::new(&schema).expect("the schema compiles");
        let instance: Json = serde_yaml::from_str(text).expect("test YAML parses");
        let editor = validator.is_valid(&instance);
        let baseline = Grpo::parse_from(["grpo"]);
        let loader = RoleConfig::<Grpo>::from_str(text, "roles.yaml")
            .and_then(|config| config.resolve(&baseline, &[PpoRole::Actor]))
            .is_ok();
        (editor, loader)
    }

    #[test]
    fn the_schema_carries_clap_ranges_values_and_help() {
        let n = &property("n_samples_per_prompt")["anyOf"][0];
        assert_eq!((n["minimum"].as_i64(), n["maximum"].as_i64()), (Some(1), Some(64)), "{n}");
        let max_tokens = &property("max_tokens")["anyOf"][0]["anyOf"][0];
        assert_eq!(max_tokens["minimum"].as_i64(), Some(16), "{max_tokens}");
        assert_eq!(max_tokens["maximum"].as_i64(), Some(i64::MAX), "{max_tokens}");
        let eval = &property("eval_interval")["items"]["anyOf"][0];
        assert_eq!((eval["minimum"].as_u64(), eval["maximum"].as_u64()), (Some(0), Some(1000)), "{eval}");
        assert_eq!(property("dtype")["enum"], serde_json::json!(["bf16", "fp16", "fp32"]));
        let description = property("eval_interval")["description"].as_str().unwrap().to_string();
        assert!(description.starts_with("Iterations between evaluations\n\nEval steps."), "{description}");
        // A parser whose values are no one range gives none.
        let group = &property("group_size")["anyOf"][0];
        assert_eq!(group["maximum"].as_u64(), Some(u64::from(u32::MAX)), "{group}");
    }

    #[test]
    fn an_editor_refuses_what_the_loader_refuses() {
        for (body, accepted) in [
            ("      n_samples_per_prompt: 128\n", false),
            ("      n_samples_per_prompt: 0\n", false),
            ("      n_samples_per_prompt: 64\n", true),
            ("      max_tokens: 8\n", false),
            ("      max_tokens: 16\n", true),
            ("      dtype: fp8\n", false),
            ("      dtype: fp16\n", true),
            ("      eval_interval: [10, 2000]\n", false),
            ("      eval_interval: [10, 1000]\n", true),
        ] {
            let text = file(body);
            assert_eq!(verdicts(&text), (accepted, accepted), "editor, loader on:\n{text}");
        }
    }
}
