//! Fields named like the methods the derive generates or the traits its
//! types implement: `default`, `set`, `entries`, `is_empty`, `fields`,
//! `get`, `clone`.

use clap::Parser;
use megatron_args::{MegatronArgs, Overrides, PpoRole, Value};

use super::resolve;

#[derive(Parser, Debug, Clone, megatron_args::MegatronArgs)]
struct Args {
    /// The default profile.
    #[arg(long, default_value = "base")]
    default: String,
    #[arg(long, default_value_t = 0)]
    set: u32,
    #[arg(long, default_value_t = 1)]
    entries: u32,
    #[arg(long)]
    is_empty: bool,
    #[arg(long, default_value_t = 2)]
    fields: u32,
    #[arg(long, default_value_t = 3)]
    get: u32,
    #[arg(long, default_value_t = 4)]
    clone: u32,
}

#[test]
fn overrides_keep_their_trait_methods() {
    // `default()`, `set`, `entries` and `is_empty` are still the trait's.
    let mut overrides = ArgsOverrides::default();
    assert!(overrides.is_empty());
    overrides.set("set", 5).unwrap();
    overrides.set("default", "tuned").unwrap();
    assert_eq!(overrides.entries(), [("default", Value::from("tuned")), ("set", Value::Int(5))]);
    // The setters of such fields are `set_<field>`; the others keep the field name.
    let built = ArgsOverrides::default().set_default("tuned".to_string()).set_set(5);
    assert_eq!(built, overrides);
    let more = ArgsOverrides::default().set_entries(9).set_is_empty(true).fields(7).get(8).set_clone(6);
    assert_eq!(
        more.entries(),
        [
            ("entries", Value::Int(9)),
            ("is_empty", Value::Bool(true)),
            ("fields", Value::Int(7)),
            ("get", Value::Int(8)),
            ("clone", Value::Int(6))
        ]
    );
}

#[test]
fn the_args_methods_are_not_hidden_by_fields() {
    let mut args = Args::parse_from(["app", "--set", "1"]);
    assert_eq!(Args::fields().len(), 7);
    assert_eq!(args.get("set"), Some(Value::Int(1)));
    MegatronArgs::set(&mut args, "default", "other").unwrap();
    assert_eq!(args.default, "other");
    let resolved = resolve(
        &args,
        "megatron:\n  - role: critic\n    overrides:\n      default: critic\n      is_empty: true\n",
    );
    let critic = resolved.get(PpoRole::Critic).unwrap();
    assert_eq!((critic.default.as_str(), critic.is_empty), ("critic", true));
}

#[test]
fn fields_named_like_methods_round_trip_through_to_argv() {
    let args = Args::parse_from(["app", "--set", "1"]);
    super::argv_round_trip(&args);
}

#[test]
fn fields_agree_with_clap() {
    crate::clap_agreement::parser::<Args>();
}
