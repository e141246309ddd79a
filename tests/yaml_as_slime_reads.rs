//! SPEC 2.8 and 2.9: a role-config file is also the file slime reads with
//! PyYAML's `safe_load` (YAML 1.1). One test per rule, named after the
//! behaviour, with what the user sees (the rendered error, or the values
//! read and the diagnostics) in an insta snapshot. The expected readings are
//! PyYAML 6.0.3's; `scripts/yaml_differential.py` checks them at scale.

mod common;

use std::fmt::Write as _;

use common::*;
use megatron_args::{DiagnosticKind, Error, PpoRole, ProblemKind, RoleConfig};

const ORIGIN: &str = "megatron_ppo.yaml";

fn refused(text: &str) -> Error {
    RoleConfig::<Args>::from_str(text, ORIGIN).expect_err("the file should be rejected")
}

fn first_kind(error: &Error) -> &ProblemKind {
    &error.problems()[0].kind
}

/// The actor's overrides and every diagnostic, as the user would read them.
fn loaded(text: &str) -> String {
    let config =
        RoleConfig::<Args>::from_str(text, ORIGIN).unwrap_or_else(|e| panic!("the file should load:\n{e}"));
    let mut out = String::new();
    for role in [PpoRole::Actor, PpoRole::Critic] {
        for o in config.entry(role).into_iter().flat_map(|e| &e.overrides) {
            writeln!(
                out,
                "{role:?}.{} = {:?}  ({})",
                o.name,
                o.value,
                o.value_location.as_ref().expect("a file override has a location")
            )
            .unwrap();
        }
    }
    for d in config.diagnostics() {
        writeln!(out, "{d}").unwrap();
    }
    out
}

fn actor(overrides: &str) -> String {
    format!("megatron:\n  - role: actor\n    overrides:\n{overrides}")
}

/// An actor entry whose overrides are the flow mapping `overrides`.
fn actor_flow(overrides: &str) -> String {
    format!("megatron:\n  - role: actor\n    overrides: {overrides}\n")
}

// ---- 2.8 where slime's reader refuses the file or reads it otherwise ------

#[test]
fn a_tab_after_a_list_dash_is_refused_as_pyyaml_refuses_it() {
    let error = refused("megatron:\n  -\trole: actor\n");
    assert_eq!(first_kind(&error), &ProblemKind::RefusedBySlime);
    insta::assert_snapshot!(error.to_string());
}

#[test]
fn a_tab_before_a_comment_is_refused_as_pyyaml_refuses_it() {
    let error = refused(&actor("      lr: 1e-5\t# note\n"));
    assert_eq!(first_kind(&error), &ProblemKind::RefusedBySlime);
    insta::assert_snapshot!(error.to_string());
}

#[test]
fn tabs_inside_quotes_and_comments_are_accepted() {
    insta::assert_snapshot!(loaded(&actor("      save: \"/ckpt/a\tb\"  # a\ttab\n")));
}

#[test]
fn a_control_character_other_than_tab_and_line_ends_is_refused() {
    let error = refused(&actor("      save: /ckpt/\u{7f}a\n"));
    assert_eq!(first_kind(&error), &ProblemKind::RefusedBySlime);
    insta::assert_snapshot!(error.to_string());
}

#[test]
fn an_anchor_defined_twice_is_refused() {
    let error = refused(&actor("      lr: &x 1e-5\n      min_lr: &x 0.0\n"));
    assert_eq!(first_kind(&error), &ProblemKind::RefusedBySlime);
    insta::assert_snapshot!(error.to_string());
}

#[test]
fn an_anchor_name_with_a_dot_slash_or_colon_is_refused() {
    for name in ["x.y", "x/y"] {
        let error = refused(&actor(&format!("      lr: &{name} 1e-5\n")));
        assert_eq!(first_kind(&error), &ProblemKind::RefusedBySlime, "{name}");
    }
    insta::assert_snapshot!(refused(&actor("      lr: &x.y 1e-5\n      min_lr: *x.y\n")).to_string());
}

#[test]
fn a_flow_value_starting_with_a_question_mark_or_a_pipe_is_refused() {
    let error = refused("megatron:\n  - role: actor\n    overrides: {save: |x}\n");
    assert_eq!(first_kind(&error), &ProblemKind::RefusedBySlime);
    let question = refused("megatron:\n  - role: actor\n    overrides: {save: ?x}\n");
    assert_eq!(first_kind(&question), &ProblemKind::RefusedBySlime);
    insta::assert_snapshot!(format!("{error}\n\n{question}"));
}

#[test]
fn a_yaml_2_directive_is_refused() {
    let error = refused("%YAML 2.0\n---\nmegatron: []\n");
    assert_eq!(first_kind(&error), &ProblemKind::RefusedBySlime);
    insta::assert_snapshot!(error.to_string());
}

#[test]
fn unicode_line_breaks_are_refused_because_yaml_1_1_breaks_lines_there() {
    for c in ['\u{85}', '\u{2028}', '\u{2029}'] {
        let error = refused(&actor(&format!("      save: /ckpt/a{c}\n")));
        assert_eq!(first_kind(&error), &ProblemKind::RefusedBySlime, "{c:?}");
    }
    insta::assert_snapshot!(refused(&actor("      save: /ckpt/a\u{2028}\n")).to_string());
}

#[test]
fn an_integer_with_a_leading_zero_means_two_things() {
    let error = refused(&actor("      micro_batch_size: 010\n"));
    assert_eq!(
        first_kind(&error),
        &ProblemKind::ReadDifferently { path: "megatron[0].overrides.micro_batch_size".into() }
    );
    insta::assert_snapshot!(error.to_string());
}

#[test]
fn octal_binary_and_sexagesimal_spellings_only_one_reader_takes_as_numbers_are_refused() {
    let mut rendered = String::new();
    for literal in ["0o10", "0b101", "1:30"] {
        let error = refused(&actor(&format!("      micro_batch_size: {literal}\n")));
        assert!(matches!(first_kind(&error), ProblemKind::ReadDifferently { .. }), "{literal}: {error}");
        writeln!(rendered, "{error}\n").unwrap();
    }
    insta::assert_snapshot!(rendered);
}

#[test]
fn a_yaml_1_1_bool_word_for_a_string_means_two_things() {
    let error = refused(&actor("      save: yes\n"));
    assert!(matches!(first_kind(&error), ProblemKind::ReadDifferently { .. }));
    insta::assert_snapshot!(error.to_string());
}

#[test]
fn a_block_scalar_on_the_last_line_without_a_final_newline_has_no_added_line_break() {
    let text = actor("      save: |\n        /ckpt/a");
    let config = load(&text).unwrap();
    assert_eq!(config.entries()[0].overrides[0].value, "/ckpt/a".into());
    insta::assert_snapshot!(loaded(&text));
}

#[test]
fn a_tag_directly_before_a_flow_indicator_is_refused_as_pyyaml_refuses_it() {
    let error = refused(&actor_flow("{save: !!str}"));
    assert_eq!(error.problems().len(), 1, "{error}");
    assert_eq!(first_kind(&error), &ProblemKind::RefusedBySlime);
    insta::assert_snapshot!(error.to_string());
}

/// Every tag, in every place a flow indicator may follow it: PyYAML needs a
/// space after a tag (and reads `,`, `[`, `]` as part of one), so it refuses
/// each of these files (checked against PyYAML 6.0.3).
#[test]
fn every_tag_directly_before_a_flow_indicator_is_refused() {
    let tags = ["!!str", "!!int", "!!null", "!custom", "!", "!<tag:yaml.org,2002:str>", "&x !!str"];
    let places = [
        "{save: T}",
        "{save: T, lr: 1e-5}",
        "{save: T,lr: 1e-5}",
        "{save: [T]}",
        "{save: [T, a]}",
        "{save: [a, T]}",
        "{save: [[T]]}",
        "{save: {a: T}}",
        "{lr: 1e-5, T}",
        "{? T}",
        "{save: !!seq[a]}",
    ];
    let mut rendered = String::new();
    for tag in tags {
        for place in places {
            let text = actor_flow(&place.replace('T', tag));
            let error = refused(&text);
            assert!(
                error.problems().iter().any(|p| p.kind == ProblemKind::RefusedBySlime),
                "{text:?}: {error}"
            );
        }
    }
    // At top level, in a block sequence item and in a flow `megatron` list too.
    for text in [
        "{megatron: [{role: actor}], x: !!str}\n",
        "megatron: [{role: actor, overrides: {save: !!str}}]\n",
        "megatron:\n  - role: actor\n    overrides:\n      save: [!!str]\n",
        "megatron: [!!map{role: actor}]\n",
    ] {
        let error = refused(text);
        assert!(error.problems().iter().any(|p| p.kind == ProblemKind::RefusedBySlime), "{text:?}: {error}");
        let problem = error.problems().iter().find(|p| p.kind == ProblemKind::RefusedBySlime).unwrap();
        writeln!(rendered, "{}\n", problem.render(megatron_args::Styling::Plain)).unwrap();
    }
    insta::assert_snapshot!(rendered);
}

#[test]
fn an_anchor_directly_before_an_opening_bracket_is_refused() {
    let error = refused(&actor_flow("{save: &x[a]}"));
    assert_eq!(first_kind(&error), &ProblemKind::RefusedBySlime);
    let brace = refused("megatron:\n  - role: actor\n    overrides: &x{save: /ckpt/a}\n");
    assert_eq!(first_kind(&brace), &ProblemKind::RefusedBySlime);
    insta::assert_snapshot!(format!("{error}\n\n{brace}"));
}

#[test]
fn a_tag_or_anchor_with_a_space_before_the_flow_indicator_loads_as_pyyaml_reads_it() {
    // PyYAML: `{save: !!str }` and `{load: !!str ""}` are the empty string;
    // an anchor directly before `,` or `}` is fine (its node is null).
    let mut out = String::new();
    for value in ["!!str ", "!!str \"\"", "!!str\n    "] {
        let text = actor_flow(&format!("{{custom_advantage_function_path: {value}}}"));
        let config = load(&text).unwrap();
        assert_eq!(config.entries()[0].overrides[0].value, "".into(), "{value:?}");
        writeln!(out, "{value:?}:\n{}", loaded(&text)).unwrap();
    }
    let text = actor_flow("{save: &x , load: &y}");
    let config = load(&text).unwrap();
    assert!(config.entries()[0].overrides.iter().all(|o| o.value == megatron_args::Value::Null));
    writeln!(out, "\"{{save: &x , load: &y}}\":\n{}", loaded(&text)).unwrap();
    insta::assert_snapshot!(out);
}

/// PyYAML 6.0.3's `safe_load` of `key: HEAD TAIL` as the file's last
/// value: an empty block scalar is the empty string with each chomping and
/// indentation indicator, except the blank lines a `+` keeps.
#[test]
fn a_block_scalar_on_the_last_line_of_the_file_reads_as_pyyaml_reads_it() {
    let cases = [
        ("|", ""),
        ("|\n", ""),
        ("|\n\n", ""),
        (">\n", ""),
        (">\n\n  \n", ""),
        ("|+\n", ""),
        ("|+", ""),
        ("|+\n\n", "\n"),
        ("|+\n\n\n", "\n\n"),
        ("|-\n", ""),
        (">-\n\n", ""),
        ("|2\n", ""),
        (">1-\n", ""),
        ("|1+\n", ""),
        ("|1+\n\n", "\n"),
        ("| # note\n", ""),
        ("|+  \n   \n", "\n"),
        ("|\r\n", ""),
        ("|+\r\n\r\n", "\n"),
        ("|\n        x", "x"),
        ("|\n        x\n", "x\n"),
        ("|+\n        x\n\n", "x\n\n"),
        (">\n        x\n        y", "x y"),
        ("|-\n        x\n\n", "x"),
        ("|2+\n        x\n", "x\n"),
        // A last line of only the indentation, without a line break: clip
        // and strip drop it.
        ("|\n        x\n        ", "x\n"),
        (">-\n        x\n\n        ", "x"),
        ("|2\n        x\n        ", "x\n"),
    ];
    let mut table = String::new();
    for (scalar, want) in cases {
        let text = actor(&format!("      custom_advantage_function_path: {scalar}"));
        let config = load(&text).unwrap_or_else(|e| panic!("{scalar:?}: {e}"));
        let got = &config.entries()[0].overrides[0].value;
        assert_eq!(got, &want.into(), "{scalar:?}");
        writeln!(table, "{scalar:?} -> {got:?}").unwrap();
    }
    // In the middle of the file, the same scalars read alike.
    for (scalar, want) in [("|", ""), ("|+", ""), (">", "")] {
        let text = actor(&format!("      custom_advantage_function_path: {scalar}\n      save: /x\n"));
        assert_eq!(load(&text).unwrap().entries()[0].overrides[0].value, want.into(), "{scalar:?}");
    }
    insta::assert_snapshot!(table);
}

/// Where the readers differ, the file is refused: a last line of spaces
/// without a line break that a kept scalar keeps, or that is further right
/// than the indentation (YAML 1.2, as the yaml-test-suite reads it, ends it
/// with a line break; PyYAML does not).
#[test]
fn a_last_line_of_spaces_the_readers_read_differently_is_refused() {
    let mut rendered = String::new();
    for scalar in ["|+\n        x\n        ", "|\n        x\n         ", "|+\n        "] {
        let error = refused(&actor(&format!("      custom_advantage_function_path: {scalar}")));
        assert_eq!(first_kind(&error), &ProblemKind::RefusedBySlime, "{scalar:?}");
        writeln!(rendered, "{scalar:?}:\n{error}\n").unwrap();
    }
    insta::assert_snapshot!(rendered);
}

#[test]
fn an_empty_block_scalar_at_the_end_of_the_file_is_the_empty_string() {
    let text = actor("      custom_advantage_function_path: >\n");
    let config = load(&text).unwrap();
    assert_eq!(config.entries()[0].overrides[0].value, "".into());
    insta::assert_snapshot!(loaded(&text));
}

// ---- 2.9 what both readers accept, and the deliberate differences ----------

#[test]
fn merge_keys_share_settings_and_the_entrys_own_keys_win() {
    let text = "common: &common\n  lr: 1e-5\n  micro_batch_size: 4\nmegatron:\n  - role: actor\n    overrides:\n      <<: *common\n      lr: 2e-5\n  - role: critic\n    overrides: *common\n";
    let config = load(text).unwrap();
    let actor = &config.entry(PpoRole::Actor).unwrap().overrides;
    assert_eq!(actor.iter().find(|o| o.name == "lr").unwrap().value, 2e-5.into());
    assert_eq!(actor.iter().find(|o| o.name == "micro_batch_size").unwrap().value, 4u32.into());
    insta::assert_snapshot!(loaded(text));
}

#[test]
fn underscores_between_digits_are_read_as_the_number() {
    let text = actor("      train_iters: 1_000\n      lr: 1_0.5\n");
    let config = load(&text).unwrap();
    assert_eq!(config.entries()[0].overrides[0].value, 1000u64.into());
    insta::assert_snapshot!(loaded(&text));
}

#[test]
fn standard_tags_both_readers_read_alike_are_accepted() {
    let text = actor(
        "      micro_batch_size: !!int \"8\"\n      use_kl_loss: !!bool yes\n      save: !<tag:yaml.org,2002:str> /ckpt/a\n",
    );
    insta::assert_snapshot!(loaded(&text));
    // `!!int "010"` is 8 to PyYAML's constructor: two meanings again.
    let error = refused(&actor("      micro_batch_size: !!int \"010\"\n"));
    assert!(matches!(first_kind(&error), ProblemKind::ReadDifferently { .. }), "{error}");
}

#[test]
fn a_json_style_file_loads() {
    let text =
        "{\"megatron\": [{\"role\": \"actor\", \"overrides\": {\"lr\": 1e-06, \"micro_batch_size\": 2}}]}\n";
    insta::assert_snapshot!(loaded(text));
}

#[test]
fn inf_and_nan_for_a_number_have_their_own_error() {
    let error = refused(&actor("      lr: .inf\n      micro_batch_size: .nan\n"));
    assert_eq!(error.problems().len(), 2);
    for problem in error.problems() {
        assert!(problem.help.as_deref().unwrap().contains("slime would train with them"), "{problem}");
    }
    insta::assert_snapshot!(error.to_string());
}

#[test]
fn a_quoted_false_is_false_with_a_note_that_slime_reads_it_as_true() {
    let text = actor("      use_kl_loss: \"false\"\n");
    let config = load(&text).unwrap();
    assert_eq!(config.entries()[0].overrides[0].value, false.into());
    assert_eq!(config.diagnostics()[0].kind, DiagnosticKind::QuotedBool);
    insta::assert_snapshot!(loaded(&text));
}
