//! One test per rule of SPEC sections 2 to 4, named after the behaviour.
//! (SPEC 4.6, compile errors, lives in `tests/compile_fail.rs`.)

mod common;

use std::io::Write;

use common::*;
use megatron_args::{
    DiagnosticKind, Level, MegatronArgs, PpoRole, ProblemKind, Provenance, RoleConfig, MAX_FILE_SIZE,
};

// ---- 2.1 the document shape ----------------------------------------------

#[test]
fn empty_file_is_an_error_showing_the_expected_shape() {
    for text in ["", "# only comments\n# here\n", "---\n"] {
        let p = single_problem(text);
        assert_eq!(p.kind, ProblemKind::Shape, "{text:?}");
        assert!(p.help.as_deref().unwrap().contains("megatron:\n  - role: actor"), "{p}");
    }
}

#[test]
fn file_without_megatron_key_is_rejected() {
    let p = single_problem("actor:\n  lr: 1e-6\n");
    assert_eq!(p.kind, ProblemKind::Shape);
    assert!(p.message.contains("no top-level `megatron` list"), "{p}");
}

#[test]
fn megatron_that_is_not_a_sequence_is_rejected() {
    for text in ["megatron: {role: actor}\n", "megatron: 3\n", "megatron:\n"] {
        let p = single_problem(text);
        assert_eq!(p.kind, ProblemKind::Shape, "{text}");
        assert!(p.message.contains("`megatron` must be a list"), "{p}");
    }
}

#[test]
fn document_that_is_not_a_mapping_is_rejected() {
    let p = single_problem("- role: actor\n");
    assert_eq!(p.kind, ProblemKind::Shape);
}

// ---- 2.2 other top-level keys ------------------------------------------------

#[test]
fn other_top_level_keys_give_a_warning() {
    let config = load("rollout:\n  n: 8\nmegatron: []\n").unwrap();
    let d = &config.diagnostics()[0];
    assert_eq!((d.level, &d.kind), (Level::Warning, &DiagnosticKind::ExtraTopLevelKey));
    assert!(d.message.contains("`rollout`"));
    assert_eq!(d.location.as_ref().unwrap().to_string(), "roles.yaml:1:1");
}

// ---- 2.3 entries ---------------------------------------------------------------

#[test]
fn entry_takes_role_name_and_overrides() {
    let config =
        load("megatron:\n  - name: default\n    role: actor\n    overrides:\n      lr: 1e-5\n").unwrap();
    let entry = config.entry(PpoRole::Actor).unwrap();
    assert_eq!(entry.name.as_deref(), Some("default"));
    assert_eq!(entry.overrides.len(), 1);
}

#[test]
fn absent_null_or_empty_overrides_mean_none() {
    for body in ["", "    overrides:\n", "    overrides: ~\n", "    overrides: {}\n", "    args: null\n"] {
        let text = format!("megatron:\n  - role: actor\n{body}");
        let config = load(&text).unwrap();
        assert!(config.entry(PpoRole::Actor).unwrap().overrides.is_empty(), "{text}");
    }
}

#[test]
fn args_is_an_alias_of_overrides() {
    let config = load("megatron:\n  - role: critic\n    args:\n      lr: 1e-5\n").unwrap();
    let resolved = config.resolve(&baseline(), BOTH).unwrap();
    assert_eq!(resolved.get(PpoRole::Critic).unwrap().lr, 1e-5);
}

#[test]
fn unknown_entry_key_suggests_the_right_one() {
    let p = single_problem("megatron:\n  - role: actor\n    overides:\n      lr: 1e-5\n");
    assert_eq!(p.kind, ProblemKind::UnknownEntryKey { key: "overides".into() });
    assert_eq!(p.help.as_deref(), Some("did you mean `overrides`?"));
    assert_eq!(p.location.unwrap().to_string(), "roles.yaml:3:5");
}

#[test]
fn entry_with_both_overrides_and_args_is_rejected() {
    let p = single_problem("megatron:\n  - role: actor\n    overrides: {lr: 1}\n    args: {lr: 2}\n");
    assert_eq!(p.kind, ProblemKind::OverridesAndArgs);
    assert_eq!(p.notes[0].location.as_ref().unwrap().line(), 4);
}

#[test]
fn entry_without_role_is_rejected() {
    let p = single_problem("megatron:\n  - name: default\n    overrides: {lr: 1}\n");
    assert_eq!(p.kind, ProblemKind::MissingRole);
}

#[test]
fn entry_that_is_not_a_mapping_is_rejected() {
    let p = single_problem("megatron:\n  - actor\n");
    assert_eq!(p.kind, ProblemKind::Shape);
    assert_eq!(p.location.unwrap().to_string(), "roles.yaml:2:5");
}

#[test]
fn role_must_be_a_string() {
    let p = single_problem("megatron:\n  - role: [actor]\n");
    assert_eq!(p.kind, ProblemKind::Shape);
    assert!(p.message.contains("`role` must be a role name"), "{p}");
}

#[test]
fn overrides_must_be_a_mapping() {
    let p = single_problem("megatron:\n  - role: actor\n    overrides: [lr, 1]\n");
    assert_eq!(p.kind, ProblemKind::Shape);
}

// ---- 2.4 role names ------------------------------------------------------------

#[test]
fn unknown_role_lists_the_roles_and_suggests_the_closest() {
    let p = single_problem("megatron:\n  - role: critc\n    overrides: {lr: 1e-5}\n");
    assert_eq!(p.kind, ProblemKind::UnknownRole { role: "critc".into() });
    let help = p.help.unwrap();
    assert!(help.contains("did you mean `critic`?"), "{help}");
    assert!(help.contains("actor, critic"), "{help}");
}

// ---- 2.5 one entry per role ------------------------------------------------------

#[test]
fn second_entry_for_a_role_names_both_entries_lines() {
    let p = single_problem(
        "megatron:\n  - role: actor\n    overrides: {lr: 1}\n  - role: actor\n    overrides: {lr: 2}\n",
    );
    assert_eq!(p.kind, ProblemKind::DuplicateRole { role: "actor".into() });
    assert_eq!(p.location.as_ref().unwrap().line(), 4);
    assert_eq!(p.notes[0].location.as_ref().unwrap().line(), 2);
}

// ---- 2.6 roles without entries, inactive roles --------------------------------------

#[test]
fn role_without_entry_inherits_baseline_after_specialization() {
    let config = load("megatron:\n  - role: actor\n    overrides: {lr: 1e-5}\n").unwrap();
    let base = baseline();
    let resolved = config.resolve(&base, BOTH).unwrap();
    assert_eq!(resolved.get(PpoRole::Critic).unwrap(), &base.for_role(PpoRole::Critic));
}

#[test]
fn inactive_role_entry_is_type_checked_but_not_applied() {
    let bad = file_for("critic", "lr: fast");
    assert!(matches!(single_problem(&bad).kind, ProblemKind::Type { .. }));

    let config = load(&file_for("critic", "lr: 1e-5")).unwrap();
    let resolved = config.resolve(&baseline(), ACTOR).unwrap();
    assert!(resolved.get(PpoRole::Critic).is_none());
    assert_eq!(resolved.get(PpoRole::Actor).unwrap(), &baseline());
    assert!(resolved.diagnostics().iter().any(|d| d.kind == DiagnosticKind::InactiveRoleEntry));
}

// ---- 2.7 hostile files -------------------------------------------------------------

#[test]
fn file_over_16_mib_is_rejected_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.yaml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(MAX_FILE_SIZE + 1).unwrap();
    let err = RoleConfig::<Args>::from_path(&path).unwrap_err();
    assert!(matches!(err.problems()[0].kind, ProblemKind::TooLarge { .. }), "{err}");
}

#[test]
fn non_utf8_file_is_rejected_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.yaml");
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(b"megatron:\n  - role: actor # caf\xe9\n").unwrap();
    let err = RoleConfig::<Args>::from_path(&path).unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(p.kind, ProblemKind::NotUtf8);
    assert_eq!((p.location.as_ref().unwrap().line(), p.location.as_ref().unwrap().column()), (2, 22));
}

#[test]
fn alias_expansion_bomb_is_rejected() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        text.push_str(&format!("a{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); 10].join(", ")));
    }
    text.push_str("megatron: []\n");
    let p = single_problem(&text);
    assert_eq!(p.kind, ProblemKind::TooComplex);
}

#[test]
fn missing_file_and_directory_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let err = RoleConfig::<Args>::from_path(dir.path()).unwrap_err();
    assert!(err.to_string().contains("is a directory"), "{err}");
    let err = RoleConfig::<Args>::from_path(dir.path().join("absent.yaml")).unwrap_err();
    assert!(err.to_string().contains("cannot read the role-config file"), "{err}");
}

// ---- 3.1 keys are argument names -----------------------------------------------------

#[test]
fn keys_are_argument_names_aliases_and_flattened_fields() {
    let config = load(&file_for("actor", "mbs: 4\nadam_beta2: 0.95")).unwrap();
    let actor = config.resolve(&baseline(), BOTH).unwrap().get(PpoRole::Actor).unwrap().clone();
    assert_eq!(actor.micro_batch_size, 4);
    assert_eq!(actor.optimizer.adam_beta2, 0.95);
}

// ---- 3.2 CLI flag spellings --------------------------------------------------------------

#[test]
fn key_written_as_a_cli_flag_names_the_attribute_spelling() {
    for (key, name) in
        [("micro-batch-size", "micro_batch_size"), ("--lr", "lr"), ("--adam-beta1", "adam_beta1")]
    {
        let p = single_problem(&file_for("actor", &format!("{key}: 1")));
        assert_eq!(p.kind, ProblemKind::CliFlagKey { key: key.into(), name: name.into() });
        assert_eq!(p.help.unwrap(), format!("write `{name}`"));
    }
}

// ---- 3.3 unknown keys ----------------------------------------------------------------------

#[test]
fn unknown_key_suggests_up_to_three_names() {
    let p = single_problem(&file_for("actor", "adam_beta: 0.9"));
    let ProblemKind::UnknownKey { key, suggestions } = &p.kind else { panic!("{p}") };
    assert_eq!(key, "adam_beta");
    assert!(suggestions.len() <= 3 && suggestions.contains(&"adam_beta1".to_string()), "{suggestions:?}");
    assert!(p.help.unwrap().starts_with("did you mean"));
    let p = single_problem(&file_for("actor", "zzzz: 1"));
    assert_eq!(p.kind, ProblemKind::UnknownKey { key: "zzzz".into(), suggestions: vec![] });
}

// ---- 3.4 repeated keys -------------------------------------------------------------------

#[test]
fn repeated_key_in_one_overrides_mapping_is_an_error() {
    let p = single_problem(&file_for("actor", "lr: 1e-5\nlr: 2e-5"));
    assert_eq!(p.kind, ProblemKind::DuplicateKey { key: "lr".into() });
    assert_eq!(p.location.unwrap().line(), 5);
    assert_eq!(p.notes[0].location.as_ref().unwrap().line(), 4);
}

// ---- 3.5 type errors ------------------------------------------------------------------------

#[test]
fn type_error_names_key_path_expected_found_and_position() {
    let text = "megatron:\n  - role: actor\n  - role: critic\n    overrides:\n      lr: fast\n";
    let p = single_problem(text);
    assert_eq!(p.kind, ProblemKind::Type { path: "megatron[1].overrides.lr".into() });
    assert!(p.message.contains("expected a number (f64)"), "{p}");
    assert!(p.message.contains("found string \"fast\""), "{p}");
    assert_eq!(p.location.as_ref().unwrap().to_string(), "roles.yaml:5:11");
}

// ---- 3.6 numbers ---------------------------------------------------------------------------------

#[test]
fn numeric_strings_are_accepted_for_numeric_fields() {
    let config = load(&file_for("actor", "lr: \"1e-5\"\nmicro_batch_size: \"8\"\nmin_lr: '1e-7'")).unwrap();
    let actor = config.resolve(&baseline(), BOTH).unwrap().get(PpoRole::Actor).unwrap().clone();
    assert_eq!((actor.lr, actor.micro_batch_size, actor.min_lr), (1e-5, 8, 1e-7));
}

#[test]
fn integers_must_fit_the_field_type_exactly() {
    for value in ["-1", "5000000000", "\"-1\""] {
        let p = single_problem(&file_for("actor", &format!("micro_batch_size: {value}")));
        assert!(matches!(p.kind, ProblemKind::Type { .. }), "{value}: {p}");
        assert!(p.help.unwrap().contains("0 to 4294967295"));
    }
    let config = load(&file_for("actor", "train_iters: 5000000000")).unwrap();
    let actor = config.resolve(&baseline(), BOTH).unwrap().get(PpoRole::Actor).unwrap().clone();
    assert_eq!(actor.train_iters, 5_000_000_000);
}

#[test]
fn float_for_an_integer_field_suggests_the_integer_spelling() {
    let p = single_problem(&file_for("actor", "micro_batch_size: 8.0"));
    assert_eq!(p.help.as_deref(), Some("write the integer `8` instead"));
    let p = single_problem(&file_for("actor", "micro_batch_size: 8.5"));
    assert!(matches!(p.kind, ProblemKind::Type { .. }));
}

// ---- 3.7 booleans ------------------------------------------------------------------------------

#[test]
fn bool_fields_accept_yaml11_words_in_three_cases() {
    for (value, want) in [("true", true), ("yes", true), ("On", true), ("OFF", false), ("\"no\"", false)] {
        let config = load(&file_for("actor", &format!("use_kl_loss: {value}"))).unwrap();
        let actor = config.resolve(&baseline(), BOTH).unwrap().get(PpoRole::Actor).unwrap().clone();
        assert_eq!(actor.use_kl_loss, want, "{value}");
    }
    for value in ["yEs", "1", "maybe"] {
        let p = single_problem(&file_for("actor", &format!("use_kl_loss: {value}")));
        assert!(matches!(p.kind, ProblemKind::Type { .. }), "{value}");
    }
}

// ---- 3.8 null ---------------------------------------------------------------------------------------

#[test]
fn null_sets_an_option_to_none_and_is_an_error_elsewhere() {
    let base = cli(&["--save", "/ckpt/base"]);
    let config = load(&file_for("actor", "save: ~\nload: null")).unwrap();
    let actor = config.resolve(&base, ACTOR).unwrap().get(PpoRole::Actor).unwrap().clone();
    assert_eq!(actor.save, None);
    let p = single_problem(&file_for("actor", "lr: null"));
    assert!(p.message.contains("found null"), "{p}");
}

// ---- 3.9 enums -----------------------------------------------------------------------------------

#[test]
fn enum_fields_take_their_spelling_and_list_the_valid_ones() {
    let config = load(&file_for("actor", "lr_decay_style: WSD")).unwrap();
    let actor = config.resolve(&baseline(), ACTOR).unwrap().get(PpoRole::Actor).unwrap().clone();
    assert_eq!(actor.lr_decay_style, LrDecayStyle::Wsd);
    let p = single_problem(&file_for("actor", "lr_decay_style: cosin"));
    assert!(p.message.contains("one of `constant`, `linear`, `cosine`, `WSD`"), "{p}");
    assert_eq!(p.help.as_deref(), Some("did you mean `cosine`?"));
}

// ---- 3.10 sequences --------------------------------------------------------------------------------

#[test]
fn sequences_fill_vec_fields_and_element_errors_name_the_index() {
    let config = load(&file_for("actor", "eval_at: [10, 20, \"30\"]")).unwrap();
    let actor = config.resolve(&baseline(), ACTOR).unwrap().get(PpoRole::Actor).unwrap().clone();
    assert_eq!(actor.eval_at, vec![10, 20, 30]);
    let p = single_problem(&file_for("actor", "eval_at:\n  - 10\n  - ten"));
    assert_eq!(p.kind, ProblemKind::Type { path: "megatron[0].overrides.eval_at[1]".into() });
    assert_eq!(p.location.unwrap().to_string(), "roles.yaml:6:11");
}

// ---- 3.11 strings and paths ----------------------------------------------------------------------

#[test]
fn number_or_bool_for_a_string_field_suggests_quoting() {
    for value in ["123", "true", "1.5"] {
        let p = single_problem(&file_for("actor", &format!("save: {value}")));
        assert!(p.help.unwrap().contains("quote the value"), "{value}");
    }
}

// ---- 3.12 all problems together ---------------------------------------------------------------------

#[test]
fn all_problems_in_a_file_are_reported_together_each_with_its_location() {
    let text = "megatron:\n  - role: critc\n  - role: actor\n    overrides:\n      lrr: 1\n      micro_batch_size: -1\n      save: 3\n";
    let err = load(text).unwrap_err();
    let lines: Vec<usize> = err.problems().iter().map(|p| p.location.as_ref().unwrap().line()).collect();
    assert_eq!(lines, vec![2, 5, 6, 7], "{err}");
    let rendered = err.to_string();
    assert!(rendered.contains("error: 4 problems found"), "{rendered}");
}

// ---- 4.1 topology ---------------------------------------------------------------------------------------

#[test]
fn topology_divergence_differs_from_upstream_and_is_rejected_with_each_role_value() {
    let text = "megatron:\n  - role: actor\n    overrides:\n      tensor_model_parallel_size: 4\n";
    let config = load(text).unwrap();
    let err = config.resolve(&baseline(), BOTH).unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(p.kind, ProblemKind::TopologyMismatch { key: "tensor_model_parallel_size".into() });
    let notes: Vec<String> = p.notes.iter().map(|n| n.message.clone()).collect();
    assert_eq!(notes, vec!["actor: 4".to_string(), "critic: 2 (command line)".to_string()]);
    assert_eq!(p.notes[0].location.as_ref().unwrap().line(), 4);
    assert!(p.help.as_deref().unwrap().contains("command line"));
}

#[test]
fn agreeing_topology_override_is_accepted_with_a_warning() {
    let text = "megatron:\n  - role: actor\n    overrides: {sequence_parallel: true}\n  - role: critic\n    overrides: {sequence_parallel: true}\n";
    let resolved = load(text).unwrap().resolve(&baseline(), BOTH).unwrap();
    assert!(resolved.get(PpoRole::Critic).unwrap().sequence_parallel);
    let warnings: Vec<_> =
        resolved.diagnostics().iter().filter(|d| d.kind == DiagnosticKind::TopologyOverride).collect();
    assert_eq!(warnings.len(), 2);
}

#[test]
fn topology_is_only_compared_across_active_roles() {
    let config = load(&file_for("critic", "tensor_model_parallel_size: 4")).unwrap();
    assert!(config.resolve(&baseline(), ACTOR).is_ok());
}

// ---- 4.2 placement -----------------------------------------------------------------------------------------

#[test]
fn placement_keys_are_ignored_with_a_warning() {
    let config =
        load(&file_for("critic", "critic_num_nodes: 4\nnum_nodes: 2\nnum_gpus_per_node: 4")).unwrap();
    let kinds: Vec<_> = config.diagnostics().iter().map(|d| d.kind.clone()).collect();
    assert_eq!(kinds, vec![DiagnosticKind::PlacementKeyIgnored; 3]);
    let resolved = config.resolve(&baseline(), BOTH).unwrap();
    assert_eq!(resolved.get(PpoRole::Critic).unwrap().critic_num_nodes, 1);
}

#[test]
fn strict_mode_turns_placement_warnings_into_errors() {
    let err = RoleConfig::<Args>::from_str_with(
        &file_for("critic", "num_gpus_per_node: 4"),
        "roles.yaml",
        megatron_args::LoadOptions::new().strict(true),
    )
    .unwrap_err();
    assert_eq!(err.problems()[0].kind, ProblemKind::PlacementKey { key: "num_gpus_per_node".into() });
}

// ---- 4.3 shared ------------------------------------------------------------------------------------------------

#[test]
fn shared_argument_in_the_file_is_an_error() {
    let p = single_problem(&file_for("actor", "use_critic: false"));
    assert_eq!(p.kind, ProblemKind::SharedKey { key: "use_critic".into() });
    assert!(p.message.contains("shared"));
}

// ---- 4.4 role specialization ------------------------------------------------------------------------------------

#[test]
fn role_default_starts_the_critic_from_its_value_and_the_file_may_change_it() {
    let base = baseline();
    assert_eq!(base.for_role(PpoRole::Critic).lr_warmup_iters, 10);
    assert_eq!(base.for_role(PpoRole::Actor).lr_warmup_iters, 0);
    let resolved = load(&file_for("critic", "lr_warmup_iters: 5")).unwrap().resolve(&base, BOTH).unwrap();
    assert_eq!(resolved.get(PpoRole::Critic).unwrap().lr_warmup_iters, 5);
    let resolved = RoleConfig::<Args>::empty().resolve(&base, BOTH).unwrap();
    let critic = resolved.role(PpoRole::Critic).unwrap();
    assert_eq!(critic.provenance("lr_warmup_iters"), Some(&Provenance::RoleDefault));
}

#[test]
fn role_forced_always_applies_and_a_file_override_of_it_is_an_error() {
    let base = cli(&["--kl-coef", "0.1", "--custom-advantage-function-path", "my.adv"]);
    let critic = base.for_role(PpoRole::Critic);
    assert_eq!((critic.kl_coef, critic.custom_advantage_function_path), (0.0, None));
    let p = single_problem(&file_for("critic", "kl_coef: 0.5"));
    assert_eq!(p.kind, ProblemKind::ForcedKey { key: "kl_coef".into(), role: "critic".into() });
    // The actor is not forced: its override applies.
    let resolved = load(&file_for("actor", "kl_coef: 0.5")).unwrap().resolve(&base, BOTH).unwrap();
    assert_eq!(resolved.get(PpoRole::Actor).unwrap().kl_coef, 0.5);
    assert_eq!(resolved.role(PpoRole::Critic).unwrap().provenance("kl_coef"), Some(&Provenance::RoleForced));
}

// ---- 4.5 validators ------------------------------------------------------------------------------------------------

#[test]
fn validator_runs_on_every_role_and_reports_the_yaml_location() {
    let err = load(&file_for("critic", "lr: -1e-5")).unwrap().resolve(&baseline(), BOTH).unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(p.kind, ProblemKind::Validation { key: "lr".into(), role: "critic".into() });
    assert!(p.message.contains("must be positive"), "{p}");
    assert_eq!(p.location.as_ref().unwrap().to_string(), "roles.yaml:4:11");
    // A bad baseline fails for every role, without a file location.
    let err = RoleConfig::<Args>::empty().resolve(&cli(&["--lr", "0"]), BOTH).unwrap_err();
    assert_eq!(err.problems().len(), 2);
    assert!(err.problems().iter().all(|p| p.location.is_none()));
}

// ---- resolution laws ----------------------------------------------------------------------------------------------------

#[test]
fn resolution_never_changes_the_baseline() {
    let base = baseline();
    let before = base.clone();
    let _ = load(&file_for("actor", "lr: 1e-5\nmbs: 3")).unwrap().resolve(&base, BOTH).unwrap();
    let _ =
        load(&file_for("actor", "tensor_model_parallel_size: 8")).unwrap().resolve(&base, BOTH).unwrap_err();
    assert_eq!(base, before);
}
