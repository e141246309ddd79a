//! `Resolved::logger_view`: every active role's arguments, flat, keyed
//! `role/argument` for experiment trackers.

mod common;

use common::{Args, ACTOR, BOTH};
use megatron_args::{MegatronArgs, Value};

fn resolved(active: &[megatron_args::PpoRole]) -> megatron_args::Resolved<Args> {
    common::load("megatron:\n  - role: critic\n    overrides:\n      lr: 1e-5\n      save: /ckpt/critic\n")
        .unwrap()
        .resolve(&common::cli(&["--kl-coef", "0.05", "--use-critic"]), active)
        .unwrap()
}

#[test]
fn keys_are_role_slash_argument_with_resolved_values() {
    let view = resolved(BOTH).logger_view();
    assert_eq!(view["critic/lr"], Value::Float(1e-5));
    assert_eq!(view["actor/lr"], Value::Float(1e-6));
    assert_eq!(view["critic/save"], Value::String("/ckpt/critic".into()));
    assert_eq!(view["critic/kl_coef"], Value::Float(0.0)); // role_forced
    assert_eq!(view["actor/kl_coef"], Value::Float(0.05));
    assert_eq!(view["critic/lr_warmup_iters"], Value::Int(10)); // role_default
    assert_eq!(view["actor/lr_decay_style"], Value::String("constant".into()));
    assert_eq!(view["actor/adam_beta2"], Value::Float(0.999)); // flattened group, top-level name
}

#[test]
fn every_field_of_every_active_role_is_present_none_as_null() {
    let view = resolved(BOTH).logger_view();
    assert_eq!(view.len(), 2 * Args::fields().len());
    for field in Args::fields() {
        for role in ["actor", "critic"] {
            assert!(view.contains_key(&format!("{role}/{}", field.name)), "{role}/{}", field.name);
        }
    }
    assert_eq!(view["actor/save"], Value::Null);
    assert_eq!(view["actor/eval_at"], Value::List(vec![]));
}

#[test]
fn inactive_roles_have_no_keys() {
    let view = resolved(ACTOR).logger_view();
    assert!(view.keys().all(|k| k.starts_with("actor/")), "{:?}", view.keys().collect::<Vec<_>>());
    assert_eq!(view.len(), Args::fields().len());
}

#[test]
fn the_view_serializes_to_a_flat_json_object() {
    let json = serde_json::to_value(resolved(BOTH).logger_view()).unwrap();
    assert_eq!(json["critic/lr"], serde_json::json!(1e-5));
    assert_eq!(json["actor/save"], serde_json::Value::Null);
    assert!(json.as_object().unwrap().values().all(|v| !v.is_object()), "flat: no nested objects");
}
