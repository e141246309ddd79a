//! `fields()` against clap's own built `Command` (`common/clap_agreement.rs`)
//! on the example's whole surface and the shared test struct; the other test
//! files check their own structs the same way. And the check itself can
//! fail: a misread attribute makes it fail.

mod common;

#[path = "common/clap_agreement.rs"]
mod clap_agreement;

// The example's `main` and its printing are not used here.
#[allow(dead_code)]
#[path = "../examples/ppo_train.rs"]
mod ppo_train;

#[allow(dead_code)]
#[path = "../examples/custom_roles.rs"]
mod custom_roles;

use clap::{CommandFactory, Parser};
use megatron_args::MegatronArgs;

#[test]
fn the_examples_whole_surface_agrees_with_clap() {
    // 1,057 arguments in 58 flattened groups.
    assert!(ppo_train::TrainArgs::fields().len() > 1000);
    clap_agreement::parser::<ppo_train::TrainArgs>();
}

#[test]
fn the_custom_roles_example_and_the_shared_test_struct_agree_with_clap() {
    clap_agreement::parser::<custom_roles::RlhfArgs>();
    clap_agreement::parser::<common::Args>();
    clap_agreement::group::<common::OptimizerArgs>();
}

/// The struct of the issue, as a real program writes it: a bare `long` and
/// `short` take the field name as it stands when they are read, and the
/// `name` after them changes only the id.
#[derive(Parser, MegatronArgs, Clone, Debug)]
struct NameAfterFlags {
    #[arg(long, short, name = "NAME=VALUE")]
    setting: Vec<String>,
}

/// The same field with `name` first: now the flags derive from it.
#[derive(Parser, MegatronArgs, Clone, Debug)]
struct NameBeforeFlags {
    #[arg(name = "NAME=VALUE", long, short)]
    setting: Vec<String>,
}

#[test]
fn name_after_long_and_short_changes_only_the_id_as_to_clap() {
    clap_agreement::parser::<NameAfterFlags>();
    clap_agreement::parser::<NameBeforeFlags>();
    let after = &NameAfterFlags::fields()[0];
    assert_eq!((after.cli.id, after.cli.long, after.cli.short), ("NAME=VALUE", Some("setting"), Some('s')));
    let before = &NameBeforeFlags::fields()[0];
    assert_eq!(
        (before.cli.id, before.cli.long, before.cli.short),
        ("NAME=VALUE", Some("NAME=VALUE"), Some('N'))
    );
}

/// The other keys whose place matters to clap_derive: an `id` before or
/// after a bare `long`/`short`, a field's `rename_all` before or after them.
#[derive(Parser, MegatronArgs, Clone, Debug)]
#[command(rename_all = "snake_case")]
struct OrderCases {
    #[arg(long, id = "lr_id", default_value_t = 1e-6)]
    lr: f64,
    #[arg(id = "warm_up", long, short, default_value_t = 0)]
    warmup_iters: u32,
    #[arg(long, rename_all = "kebab-case", short = 'k', default_value_t = 0.0)]
    kl_coef: f64,
    #[arg(rename_all = "kebab-case", long, default_value_t = 100)]
    eval_interval: u32,
    #[arg(rename_all = "SCREAMING_SNAKE_CASE", short, default_value_t = false)]
    quiet: bool,
    #[arg(long = "save-dir", id = "save_path", value_name = "DIR")]
    save: Option<String>,
    #[arg(value_name = "FILE", id = "INPUT")]
    input: Option<String>,
}

#[test]
fn id_and_rename_all_count_where_they_stand_as_to_clap() {
    clap_agreement::parser::<OrderCases>();
    let flags: Vec<_> = OrderCases::fields().iter().map(|f| (f.cli.id, f.cli.long, f.cli.short)).collect();
    assert_eq!(
        flags,
        [
            ("lr_id", Some("lr"), None),
            ("warm_up", Some("warm_up"), Some('w')),
            ("kl_coef", Some("kl_coef"), Some('k')),
            ("eval_interval", Some("eval-interval"), None),
            ("quiet", None, Some('Q')),
            ("save_path", Some("save-dir"), None),
            ("INPUT", None, None),
        ]
    );
}

#[test]
fn a_misread_attribute_fails_the_comparison() {
    // The derive's reading of one order against clap's command of the
    // other: what reading `name` regardless of its place would give.
    let differences = clap_agreement::differences::<NameAfterFlags>(NameBeforeFlags::command());
    assert_eq!(differences.len(), 1, "{differences:#?}");
    assert!(differences[0].contains("long: Some(\"setting\")"), "{differences:#?}");
    assert!(differences[0].contains("long: Some(\"NAME=VALUE\")"), "{differences:#?}");
    // Each property compared: a changed long, short, alias, action,
    // delimiter, position, or an argument no field holds.
    type Edit = fn(clap::Arg) -> clap::Arg;
    let edits: [(&str, Edit); 6] = [
        ("long", |a| a.long("learning-rate")),
        ("short", |a| a.short('L')),
        ("alias", |a| a.alias("learning_rate")),
        ("action", |a| a.action(clap::ArgAction::Append)),
        ("delimiter", |a| a.value_delimiter(',')),
        ("position", |a| a.long(None::<&str>).index(1)),
    ];
    for (what, edit) in edits {
        let command = common::Args::command().mut_arg("lr", edit);
        let differences = clap_agreement::differences::<common::Args>(command);
        assert_eq!(differences.len(), 1, "{what}: {differences:#?}");
        assert!(differences[0].starts_with("field `lr`"), "{what}: {differences:#?}");
    }
    let command = common::Args::command().arg(clap::Arg::new("extra").long("extra"));
    assert_eq!(clap_agreement::differences::<common::Args>(command), ["clap's argument `extra` is no field"]);
}
