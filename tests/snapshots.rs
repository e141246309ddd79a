//! Snapshots of the rendered error text (`err.to_string()`), so that any
//! change of wording, location or layout is reviewed on purpose
//! (`cargo insta review`, or `INSTA_UPDATE=always cargo test --test snapshots`
//! and read the diff).

mod common;

use common::*;
use megatron_args::{Error, LoadOptions, RoleConfig, Styling};

const ORIGIN: &str = "megatron_ppo.yaml";

fn load_err(text: &str) -> Error {
    RoleConfig::<Args>::from_str(text, ORIGIN).expect_err("the file should be rejected")
}

fn resolve_err(text: &str) -> Error {
    let config = RoleConfig::<Args>::from_str(text, ORIGIN).expect("the file loads");
    config.resolve(&baseline(), BOTH).expect_err("resolution should fail")
}

#[test]
fn unknown_key_with_suggestions() {
    let text = "megatron:\n  - role: actor\n    overrides:\n      adam_beta: 0.95\n";
    insta::assert_snapshot!(load_err(text).to_string());
}

#[test]
fn cli_flag_key() {
    let text = "megatron:\n  - role: critic\n    overrides:\n      --micro-batch-size: 4\n";
    insta::assert_snapshot!(load_err(text).to_string());
}

#[test]
fn type_error_with_quote_hint() {
    let text = "megatron:\n  - role: actor\n    overrides:\n      save: 20240101\n";
    insta::assert_snapshot!(load_err(text).to_string());
}

#[test]
fn float_for_integer_field() {
    let text = "megatron:\n  - role: actor\n    overrides:\n      micro_batch_size: 8.0\n";
    insta::assert_snapshot!(load_err(text).to_string());
}

#[test]
fn enum_error() {
    let text = "megatron:\n  - role: actor\n    overrides:\n      lr_decay_style: cosin\n";
    insta::assert_snapshot!(load_err(text).to_string());
}

#[test]
fn duplicate_role_with_note() {
    let text = "megatron:\n  - name: default\n    role: critic\n    overrides:\n      lr: 1e-5\n  - name: warmup\n    role: critic\n    overrides:\n      lr_warmup_iters: 100\n";
    insta::assert_snapshot!(load_err(text).to_string());
}

#[test]
fn topology_mismatch_across_roles() {
    let text = "megatron:\n  - role: actor\n    overrides:\n      tensor_model_parallel_size: 4\n  - role: critic\n    overrides:\n      tensor_model_parallel_size: 8\n";
    insta::assert_snapshot!(resolve_err(text).to_string());
}

#[test]
fn placement_key_in_strict_mode() {
    let text = "megatron:\n  - role: critic\n    overrides:\n      num_gpus_per_node: 4\n";
    let err = RoleConfig::<Args>::from_str_with(text, ORIGIN, LoadOptions::new().strict(true)).unwrap_err();
    insta::assert_snapshot!(err.to_string());
}

#[test]
fn shared_key() {
    let text = "megatron:\n  - role: actor\n    overrides:\n      use_critic: false\n";
    insta::assert_snapshot!(load_err(text).to_string());
}

#[test]
fn forced_key() {
    let text = "megatron:\n  - role: critic\n    overrides:\n      kl_coef: 0.01\n";
    insta::assert_snapshot!(load_err(text).to_string());
}

#[test]
fn multi_problem_file() {
    let text = "megatron:\n  - role: critc\n    overrides:\n      lr: 1e-5\n  - role: actor\n    overides:\n      lr: 1e-6\n  - role: actor\n    overrides:\n      lrr: 1e-6\n      micro_batch_size: -1\n      eval_at: [100, two]\n";
    insta::assert_snapshot!(load_err(text).to_string());
}

#[test]
fn syntax_error_tab() {
    let text = "megatron:\n  - role: actor\n    overrides:\n\tlr: 1e-5\n";
    insta::assert_snapshot!(load_err(text).to_string());
}

#[test]
fn syntax_error_unclosed_flow() {
    let text = "megatron:\n  - role: actor\n    overrides: {lr: 1e-5\n";
    insta::assert_snapshot!(load_err(text).to_string());
}

#[test]
fn missing_megatron() {
    let text = "actor:\n  lr: 1e-6\ncritic:\n  lr: 1e-5\n";
    insta::assert_snapshot!(load_err(text).to_string());
}

#[test]
fn validator_with_file_location() {
    let text = "megatron:\n  - role: critic\n    overrides:\n      lr: -1e-5\n";
    insta::assert_snapshot!(resolve_err(text).to_string());
}

// ---- what the renderer does for us: terminal columns, long lines, several spans, colour ----

#[test]
fn caret_after_wide_characters() {
    let text = "megatron:\n  - role: actor\n    overrides: {save: \"/数据/检查点\", lr: fast}\n";
    insta::assert_snapshot!(load_err(text).to_string());
}

#[test]
fn caret_after_emoji() {
    let text = "megatron:\n  - role: actor\n    overrides: {save: \"/🚀/ckpt\", lr: fast}\n";
    insta::assert_snapshot!(load_err(text).to_string());
}

#[test]
fn caret_after_combining_accents() {
    // `e` + U+0301 COMBINING ACUTE ACCENT: two characters, one column.
    let text = "megatron:\n  - role: actor\n    overrides: {save: \"/cafe\u{301}/re\u{301}sume\u{301}\", lr: fast}\n";
    insta::assert_snapshot!(load_err(text).to_string());
}

#[test]
fn tab_before_the_span_is_shown() {
    let text = "megatron:\n  - role: actor\n    overrides: {save: \"/ckpt\tactor\", lr: fast}\n";
    insta::assert_snapshot!(load_err(text).to_string());
}

#[test]
fn long_line_is_trimmed_around_the_span() {
    let text = format!(
        "megatron:\n  - role: actor\n    overrides: {{save: \"/{}\", lr: fast}}  # {}\n",
        "a".repeat(250),
        "b".repeat(250)
    );
    let line = text.lines().nth(2).unwrap();
    assert!(line.chars().count() > 500, "the line is {} characters", line.chars().count());
    insta::assert_snapshot!(load_err(&text).to_string());
}

#[test]
fn repeated_key_shows_both_keys() {
    let text =
        "megatron:\n  - role: actor\n    overrides:\n      lr: 1e-6\n      save: /ckpt\n      lr: 2e-6\n";
    insta::assert_snapshot!(load_err(text).to_string());
}

#[test]
fn duplicate_entry_far_apart_shows_both_entries() {
    let filler: String = (0..20).map(|i| format!("      eval_interval_{i}: 1\n")).collect();
    let text = format!(
        "megatron:\n  - role: critic\n    overrides:\n{filler}  - role: actor\n  - role: critic\n    overrides:\n      lr: 1e-5\n"
    );
    let err = RoleConfig::<Args>::from_str(&text, ORIGIN).unwrap_err();
    let duplicate =
        err.problems().iter().find(|p| matches!(p.kind, megatron_args::ProblemKind::DuplicateRole { .. }));
    insta::assert_snapshot!(duplicate.expect("a duplicate-role problem").render(Styling::Plain));
}

#[test]
fn colour_on() {
    let text = "megatron:\n  - role: actor\n    overrides:\n      lrr: 1e-6\n";
    insta::assert_snapshot!(load_err(text).render(Styling::Ansi));
}

#[test]
fn colour_off() {
    let text = "megatron:\n  - role: actor\n    overrides:\n      lrr: 1e-6\n";
    let err = load_err(text);
    assert_eq!(err.render(Styling::Plain), err.to_string());
    assert!(!err.to_string().contains('\u{1b}'));
    insta::assert_snapshot!(err.render(Styling::Plain));
}

#[test]
fn debug_prints_the_report_without_its_first_level() {
    // `main` prints `Error: ` and then the Debug: the level once.
    let err = load_err("megatron:\n  - role: actor\n    overrides:\n      lrr: 1e-6\n");
    let report = err.to_string();
    assert_eq!(format!("{err:?}"), report.strip_prefix("error: ").unwrap());
    assert!(format!("{err:#?}").starts_with("Error {\n    problems: ["), "{err:#?}");
}
