//! The laws of resolution, as properties over generated baselines and
//! generated role-config files whose overrides mix valid and invalid values
//! for every field class:
//!
//! - an empty override set changes nothing;
//! - resolution never changes the baseline;
//! - a file with any invalid override fails as a whole (load or resolve),
//!   and a failed resolution returns no role arguments; a valid file resolves;
//! - overrides touch only their own keys;
//! - applying a role's overrides twice equals applying them once;
//! - a resolved role's overrides written back to YAML load to the same
//!   role arguments.

mod common;

use std::collections::BTreeMap;

use common::*;
use megatron_args::{MegatronArgs, PpoRole, Role, RoleConfig};
use proptest::prelude::*;

/// Whether a generated value is accepted.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Validity {
    /// Loads and resolves.
    Valid,
    /// Rejected when the file is loaded.
    Invalid,
    /// Loads, but a validator rejects it when the role is resolved (if active).
    FailsValidation,
    /// A field forced for the critic: valid for the actor only.
    ForcedForCritic,
}
use Validity::*;

/// One generated override: the key, the YAML text of the value, and whether
/// it is accepted.
#[derive(Clone, Debug)]
struct Gen {
    key: &'static str,
    text: String,
    validity: Validity,
}

fn g(key: &'static str, validity: Validity) -> impl Fn(String) -> Gen + Clone {
    move |text| Gen { key, text, validity }
}

fn fixed(key: &'static str, text: &'static str, validity: Validity) -> BoxedStrategy<Gen> {
    Just(Gen { key, text: text.to_string(), validity }).boxed()
}

fn float_text(f: f64) -> String {
    format!("{f:e}")
}

/// An override the loader accepts (topology and placement included; some fail later).
fn accepted_override() -> impl Strategy<Value = Gen> {
    prop_oneof![
        (1e-9f64..1e-1).prop_map(float_text).prop_map(g("lr", Valid)),
        (1e-9f64..1e-1).prop_map(|f| format!("\"{f}\"")).prop_map(g("lr", Valid)),
        (-1.0f64..-1e-9).prop_map(float_text).prop_map(g("lr", FailsValidation)),
        (0f32..1.0).prop_map(|f| format!("{f}")).prop_map(g("min_lr", Valid)),
        prop::sample::select(vec![
            "/ckpt/actor",
            "\"123\"",
            "'yes'",
            "~",
            "\"a: b\"",
            "/ckpt/with space",
            "\"#x\""
        ])
        .prop_map(String::from)
        .prop_map(g("save", Valid)),
        any::<u32>().prop_map(|n| n.to_string()).prop_map(g("micro_batch_size", Valid)),
        any::<u32>().prop_map(|n| format!("\"{n}\"")).prop_map(g("mbs", Valid)),
        any::<u64>().prop_map(|n| n.to_string()).prop_map(g("train_iters", Valid)),
        prop::sample::select(vec!["true", "false", "yes", "Off", "\"no\""])
            .prop_map(String::from)
            .prop_map(g("use_kl_loss", Valid)),
        prop::sample::select(vec!["constant", "linear", "cosine", "WSD"])
            .prop_map(String::from)
            .prop_map(g("lr_decay_style", Valid)),
        prop::collection::vec(any::<u32>(), 0..4)
            .prop_map(|v| format!("{v:?}"))
            .prop_map(g("eval_at", Valid)),
        any::<u32>().prop_map(|n| n.to_string()).prop_map(g("lr_warmup_iters", Valid)),
        (0f64..1.0).prop_map(float_text).prop_map(g("adam_beta1", Valid)),
        (0f64..1.0).prop_map(float_text).prop_map(g("kl_coef", ForcedForCritic)),
        fixed("custom_advantage_function_path", "my.adv", ForcedForCritic),
        (1u32..4).prop_map(|n| n.to_string()).prop_map(g("tensor_model_parallel_size", Valid)),
        (1u32..4).prop_map(|n| n.to_string()).prop_map(g("critic_num_nodes", Valid)),
        (1u32..4).prop_map(|n| n.to_string()).prop_map(g("num_gpus_per_node", Valid)),
    ]
}

/// An override the loader rejects.
fn rejected_override() -> impl Strategy<Value = Gen> {
    prop_oneof![
        fixed("lr", "fast", Invalid),
        fixed("lr", ".nan", Invalid),
        fixed("lr", "null", Invalid),
        fixed("min_lr", "1e39", Invalid),
        fixed("save", "123", Invalid),
        fixed("load", "true", Invalid),
        prop::sample::select(vec!["-1", "5000000000", "8.5", "eight"])
            .prop_map(String::from)
            .prop_map(g("micro_batch_size", Invalid)),
        fixed("train_iters", "-5", Invalid),
        prop::sample::select(vec!["maybe", "1", "yEs"])
            .prop_map(String::from)
            .prop_map(g("use_kl_loss", Invalid)),
        fixed("lr_decay_style", "cosin", Invalid),
        fixed("eval_at", "[1, x]", Invalid),
        fixed("eval_at", "5", Invalid),
        fixed("use_critic", "false", Invalid),
        fixed("lrr", "1e-5", Invalid),
        fixed("--lr", "1e-5", Invalid),
    ]
}

/// Mostly accepted overrides, so that most files load and the laws about
/// resolved roles are exercised.
fn an_override() -> impl Strategy<Value = Gen> {
    prop_oneof![6 => accepted_override(), 1 => rejected_override()]
}

/// A role's overrides, one per key (first one wins while generating).
fn overrides() -> impl Strategy<Value = Vec<Gen>> {
    prop::collection::vec(an_override(), 0..7).prop_map(|gens| {
        let mut by_key = BTreeMap::new();
        for gen in gens {
            by_key.entry(gen.key).or_insert(gen);
        }
        by_key.into_values().collect()
    })
}

/// A generated file: per role, no entry or an entry with overrides.
#[derive(Clone, Debug)]
struct File {
    entries: Vec<(PpoRole, Vec<Gen>)>,
}

impl File {
    fn text(&self) -> String {
        if self.entries.is_empty() {
            return "megatron: []\n".to_string();
        }
        let mut text = String::from("megatron:\n");
        for (role, gens) in &self.entries {
            text.push_str(&format!("  - role: {}\n    overrides:", role.name()));
            if gens.is_empty() {
                text.push_str(" {}\n");
            }
            text.push('\n');
            for gen in gens {
                text.push_str(&format!("      {}: {}\n", gen.key, gen.text));
            }
        }
        text
    }

    fn gens(&self, role: PpoRole) -> &[Gen] {
        self.entries.iter().find(|(r, _)| *r == role).map_or(&[], |(_, g)| g)
    }

    /// Whether loading succeeds.
    fn loads(&self) -> bool {
        self.entries.iter().all(|(role, gens)| {
            let aliased =
                gens.iter().any(|g| g.key == "mbs") && gens.iter().any(|g| g.key == "micro_batch_size");
            !aliased
                && gens.iter().all(|g| match g.validity {
                    Valid | FailsValidation => true,
                    Invalid => false,
                    ForcedForCritic => *role != PpoRole::Critic,
                })
        })
    }

    /// Whether resolving `active` from `base` succeeds (after a successful load).
    fn resolves(&self, base: &Args, active: &[PpoRole]) -> bool {
        let validates = active.iter().all(|r| self.gens(*r).iter().all(|g| g.validity != FailsValidation));
        let tp = |role: PpoRole| {
            self.gens(role)
                .iter()
                .find(|g| g.key == "tensor_model_parallel_size")
                .map_or(base.tensor_model_parallel_size, |g| g.text.parse().unwrap())
        };
        let agree = active.windows(2).all(|w| tp(w[0]) == tp(w[1]));
        validates && agree
    }
}

fn file() -> impl Strategy<Value = File> {
    (prop::option::weighted(0.85, overrides()), prop::option::weighted(0.85, overrides()), any::<bool>())
        .prop_map(|(actor, critic, critic_first)| {
            let mut entries: Vec<(PpoRole, Vec<Gen>)> = Vec::new();
            entries.extend(actor.map(|g| (PpoRole::Actor, g)));
            entries.extend(critic.map(|g| (PpoRole::Critic, g)));
            if critic_first {
                entries.reverse();
            }
            File { entries }
        })
}

fn a_baseline() -> impl Strategy<Value = Args> {
    (1e-7f64..1e-3, 1u32..16, 1u32..4, 0f64..0.5, any::<bool>(), any::<bool>()).prop_map(
        |(lr, mbs, tp, kl, sp, use_kl)| {
            let (lr, mbs, tp, kl) = (lr.to_string(), mbs.to_string(), tp.to_string(), kl.to_string());
            let mut flags = vec![
                "--lr",
                &lr,
                "--micro-batch-size",
                &mbs,
                "--tensor-model-parallel-size",
                &tp,
                "--kl-coef",
                &kl,
                "--use-critic",
                "--save",
                "/ckpt/base",
            ];
            if sp {
                flags.push("--sequence-parallel");
            }
            if use_kl {
                flags.push("--use-kl-loss");
            }
            cli(&flags)
        },
    )
}

fn active_roles() -> impl Strategy<Value = Vec<PpoRole>> {
    prop_oneof![Just(BOTH.to_vec()), Just(ACTOR.to_vec())]
}

/// A file of one entry for `role` with `values` (argument name, value).
fn file_of(role: PpoRole, values: &[(&str, megatron_args::Value)]) -> String {
    let mut text = format!("megatron:\n  - role: {}\n    overrides:", role.name());
    if values.is_empty() {
        return text + " {}\n";
    }
    text.push('\n');
    for (name, value) in values {
        // JSON, which YAML 1.1 and 1.2 read alike (serde_yaml writes `yes`
        // unquoted: a string to YAML 1.2, a bool to slime's reader).
        let json = serde_json::to_string(value).unwrap();
        text.push_str(&format!("      {name}: {json}\n"));
    }
    text
}

/// The arguments that do not take part in topology (typed overrides leave
/// topology out).
fn without_topology(mut args: Args) -> Args {
    args.tensor_model_parallel_size = 0;
    args.sequence_parallel = false;
    args
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn an_empty_override_set_changes_nothing(base in a_baseline(), active in active_roles(), braces in any::<bool>()) {
        let body = if braces { "    overrides: {}\n" } else { "    overrides:\n" };
        let text = format!("megatron:\n  - role: actor\n{body}  - role: critic\n{body}");
        for config in [load(&text).unwrap(), RoleConfig::<Args>::empty()] {
            let resolved = config.resolve(&base, &active).unwrap();
            for &role in &active {
                prop_assert_eq!(resolved.get(role).unwrap(), &base.for_role(role));
                let specialized = base.for_role(role);
                let unexplained = resolved.changes(role).iter().any(|c| specialized.get(c.field.name) != Some(c.value.clone()));
                prop_assert!(!unexplained, "a change that role specialization does not explain");
            }
        }
    }

    #[test]
    fn a_file_resolves_exactly_when_all_its_overrides_are_valid_and_never_changes_the_baseline(
        base in a_baseline(), file in file(), active in active_roles()
    ) {
        let text = file.text();
        let before = base.clone();
        let loaded = load(&text);
        prop_assert_eq!(loaded.is_ok(), file.loads(), "load of\n{}\n{:?}", text, loaded.as_ref().err().map(|e| e.to_string()));
        let Ok(config) = loaded else { return Ok(()) };
        let resolved = config.resolve(&base, &active);
        prop_assert_eq!(&base, &before, "resolution changed the baseline");
        let should_resolve = file.resolves(&base, &active);
        match resolved {
            // A failed resolution is an `Err` with problems: no role's
            // arguments escape it.
            Err(err) => {
                prop_assert!(!should_resolve, "unexpected failure of\n{}\n{}", text, err);
                prop_assert!(!err.problems().is_empty());
            }
            Ok(resolved) => {
                prop_assert!(should_resolve, "resolved a bad file:\n{}", text);
                prop_assert_eq!(resolved.baseline(), &before);
                let roles: Vec<PpoRole> = resolved.roles().iter().map(|r| r.role()).collect();
                prop_assert_eq!(&roles, &active);
                // Overrides touch only their keys: every other argument is the
                // role's specialized baseline.
                for &role in &active {
                    let got = resolved.get(role).unwrap();
                    let expected = base.for_role(role);
                    for field in Args::fields() {
                        let overridden = file.gens(role).iter().any(|g| {
                            Args::field(g.key).is_some_and(|f| f.name == field.name)
                        });
                        if !overridden || field.class == megatron_args::FieldClass::Placement {
                            prop_assert_eq!(got.get(field.name), expected.get(field.name), "{}", field.name);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn applying_a_roles_overrides_twice_equals_applying_them_once(
        base in a_baseline(), file in file(), active in active_roles()
    ) {
        let Ok(config) = load(&file.text()) else { return Ok(()) };
        let Ok(resolved) = config.resolve(&base, &active) else { return Ok(()) };
        for &role in &active {
            let once = resolved.get(role).unwrap().clone();
            let mut twice = once.clone();
            twice.apply_overrides(role, &config.overrides(role)).unwrap();
            prop_assert_eq!(&twice, &once);
            // And the typed overrides on the specialized baseline are the
            // resolution (topology aside: it has no typed override).
            let mut typed = base.for_role(role);
            typed.apply_overrides(role, &config.overrides(role)).unwrap();
            prop_assert_eq!(without_topology(typed), without_topology(once));
        }
    }

    #[test]
    fn a_resolved_roles_overrides_written_back_to_yaml_load_to_the_same_arguments(
        base in a_baseline(), file in file(), active in active_roles()
    ) {
        let Ok(config) = load(&file.text()) else { return Ok(()) };
        let Ok(resolved) = config.resolve(&base, &active) else { return Ok(()) };
        for &role in &active {
            let original = resolved.get(role).unwrap();
            // Through the file's checked values (topology included) ...
            let values: Vec<(&str, megatron_args::Value)> = config
                .entry(role)
                .map(|e| e.overrides.iter().map(|o| (o.name, o.value.clone())).collect())
                .unwrap_or_default();
            let text = file_of(role, &values);
            let again = load(&text).unwrap().resolve(&base, &[role]);
            let again = again.map_err(|e| TestCaseError::fail(format!("{text}\n{e}")))?;
            prop_assert_eq!(again.get(role).unwrap(), original, "{}", text);
            // ... and through the typed overrides, serialized as JSON (a
            // YAML flow mapping both readers read alike).
            let typed = serde_json::to_string(&config.overrides(role)).unwrap();
            let text = format!("megatron:\n  - role: {}\n    overrides: {typed}\n", role.name());
            let again = load(&text).unwrap().resolve(&base, &[role]).unwrap();
            prop_assert_eq!(
                without_topology(again.get(role).unwrap().clone()),
                without_topology(original.clone()),
                "{}", text
            );
        }
    }
}
