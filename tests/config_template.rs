//! `template`: a commented role-config file listing every key a role may
//! set, with its doc text and the role's current value.

mod common;

use common::{Args, BOTH};
use megatron_args::{template, MegatronArgs, PpoRole, RoleConfig};

/// A baseline with values of every kind: paths, a list, a string with
/// quotes, an enum, a flattened group.
fn baseline() -> Args {
    common::cli(&[
        "--lr",
        "2e-6",
        "--save",
        "/ckpt/run 1",
        "--eval-at",
        "10",
        "20",
        "--custom-advantage-function-path",
        "pkg.mod:fn \"quoted\" # not a comment",
        "--lr-decay-style",
        "WSD",
        "--kl-coef",
        "0.05",
        "--use-kl-loss",
        "--tensor-model-parallel-size",
        "2",
        "--use-critic",
    ])
}

fn load(text: &str) -> RoleConfig<Args> {
    RoleConfig::<Args>::from_str(text, "template.yaml").unwrap_or_else(|e| panic!("{e}\n---\n{text}"))
}

/// Uncomments every `# key: value` line whose key is an argument name.
fn uncomment_all(text: &str) -> String {
    text.lines()
        .map(|line| match line.strip_prefix("      # ") {
            Some(rest) if rest.split_once(": ").is_some_and(|(k, _)| Args::field(k).is_some()) => {
                format!("      {rest}\n")
            }
            _ => format!("{line}\n"),
        })
        .collect()
}

#[test]
fn template_loads_and_resolves_to_the_baseline() {
    let baseline = baseline();
    let text = template(&baseline);
    let config = load(&text);
    assert!(config.entries().iter().all(|e| e.overrides.is_empty()));
    assert!(config.diagnostics().is_empty(), "{:?}", config.diagnostics());
    let resolved = config.resolve(&baseline, BOTH).unwrap();
    for role in [PpoRole::Actor, PpoRole::Critic] {
        assert_eq!(resolved.get(role).unwrap(), &baseline.for_role(role), "{role}");
    }
}

#[test]
fn template_has_an_entry_per_role_with_every_regular_key() {
    let text = template(&baseline());
    assert!(text.contains("megatron:\n  - name: default\n    role: actor\n    overrides:\n"), "{text}");
    assert!(text.contains("  - name: default\n    role: critic\n    overrides:\n"), "{text}");
    for field in Args::fields().iter().filter(|f| f.class == megatron_args::FieldClass::Regular) {
        let lines = text.lines().filter(|l| l.starts_with(&format!("      # {}: ", field.name))).count();
        let forced_for_critic = ["kl_coef", "custom_advantage_function_path"].contains(&field.name);
        assert_eq!(lines, if forced_for_critic { 1 } else { 2 }, "{}", field.name);
    }
}

#[test]
fn each_key_shows_its_doc_text_and_the_roles_value() {
    let text = template(&baseline());
    assert!(text.contains("      # Learning rate.\n      # lr: 2e-6\n"), "{text}");
    assert!(text.contains("      # Checkpoint input directory.\n      # load: null\n"), "{text}");
    assert!(text.contains("      # eval_at: [10, 20]\n"), "{text}");
    assert!(text.contains("      # lr_decay_style: \"WSD\"\n"), "{text}");
    // The critic's starting value is its role default.
    assert!(
        text.contains("      # lr_warmup_iters: 0\n") && text.contains("      # lr_warmup_iters: 10\n"),
        "{text}"
    );
    // A forced value is shown but cannot be uncommented as a key.
    assert!(text.contains("      # (kl_coef is fixed to 0.0 for role critic: not overridable)\n"), "{text}");
}

#[test]
fn header_names_the_keys_that_stay_on_the_command_line() {
    let text = template(&baseline());
    assert!(
        text.contains("keep on the command line):\n#   tensor_model_parallel_size, sequence_parallel\n"),
        "{text}"
    );
    assert!(text.contains("follows the command line):\n#   critic_num_nodes\n"), "{text}");
    assert!(text.contains("cannot be overridden):\n#   use_critic, megatron_config_path\n"), "{text}");
    assert!(text.lines().all(|l| l.len() <= 100), "{text}");
    assert!(!text.contains("# tensor_model_parallel_size:"), "topology keys are not offered per role");
}

#[test]
fn uncommenting_one_line_overrides_that_role_only() {
    let baseline = baseline();
    let text = template(&baseline);
    let critic_at = text.find("role: critic").unwrap();
    let lr_at = critic_at + text[critic_at..].find("# lr: 2e-6").unwrap();
    let edited = format!("{}lr: 1e-5{}", &text[..lr_at], &text[lr_at + "# lr: 2e-6".len()..]);
    let resolved = load(&edited).resolve(&baseline, BOTH).unwrap();
    assert_eq!(resolved.get(PpoRole::Critic).unwrap().lr, 1e-5);
    assert_eq!(resolved.get(PpoRole::Actor).unwrap().lr, 2e-6);
}

#[test]
fn uncommenting_every_line_loads_and_changes_nothing() {
    let baseline = baseline();
    let text = uncomment_all(&template(&baseline));
    let config = load(&text);
    let overridden: usize = config.entries().iter().map(|e| e.overrides.len()).sum();
    assert_eq!(overridden, 14 + 12, "every regular key, less the critic's two forced ones:\n{text}");
    let resolved = config.resolve(&baseline, BOTH).unwrap();
    for role in [PpoRole::Actor, PpoRole::Critic] {
        assert_eq!(resolved.get(role).unwrap(), &baseline.for_role(role), "{role}");
    }
}
