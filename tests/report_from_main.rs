//! A trainer whose `main` returns the error through `?` (the README's guide,
//! `examples/guide.rs`) prints the report, not the error's fields.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

mod example_run;

use example_run::{folder_with_config, Run};

fn guide_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| example_run::build_example("guide"))
}

#[test]
fn question_mark_from_main_prints_the_report() {
    let dir = folder_with_config(
        "megatron:\n  - role: critic\n    overrides:\n      lr: fast\n      kl_coef: 0.1\n",
    );
    let run = Run::of(guide_binary(), dir.path(), &["--megatron-config-path", "megatron_ppo.yaml"]);
    assert_eq!(run.status, Some(1), "stderr:\n{}", run.stderr);
    assert_eq!(run.stdout, "");
    // Rust prints `Error: {:?}`; the Debug of the error is the report
    // without its first `error: `, so the level reads once.
    let expected = r#"Error: invalid value for `megatron[0].overrides.lr`: expected a number (f64), found string "fast"
 --> megatron_ppo.yaml:4:11
  |
4 |       lr: fast
  |           ^^^^
  |
  = help: write a number, for example `1e-5` or `0.5`

error: `kl_coef` is fixed for role `critic` and cannot be overridden
 --> megatron_ppo.yaml:5:7
  |
5 |       kl_coef: 0.1
  |       ^^^^^^^
  |
  = help: remove `kl_coef` from this entry

error: 2 problems found
"#;
    assert_eq!(run.stderr, expected);
}

#[test]
fn question_mark_from_main_prints_a_resolution_error_as_a_report() {
    let dir = folder_with_config(
        "megatron:\n  - role: actor\n    overrides:\n      tensor_model_parallel_size: 2\n",
    );
    let run = Run::of(guide_binary(), dir.path(), &["--megatron-config-path", "megatron_ppo.yaml"]);
    assert_eq!(run.status, Some(1), "stderr:\n{}", run.stderr);
    assert!(run.stderr.starts_with("Error: roles disagree on the topology argument"), "{}", run.stderr);
    assert!(run.stderr.contains("^ actor: 2"), "{}", run.stderr);
    assert!(!run.stderr.contains("Problem {"), "{}", run.stderr);
}

#[test]
fn question_mark_from_main_prints_one_problem_with_its_level_once() {
    let dir = folder_with_config("megatron:\n  - role: actor\n    overrides: {save: !!str}\n");
    let run = Run::of(guide_binary(), dir.path(), &["--megatron-config-path", "megatron_ppo.yaml"]);
    assert_eq!(run.status, Some(1), "stderr:\n{}", run.stderr);
    assert!(
        run.stderr.starts_with("Error: the tag `!!str` is written directly before `}`"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("error").count(), 0, "{}", run.stderr);
    assert!(run.stderr.contains(" --> megatron_ppo.yaml:3:23\n"), "{}", run.stderr);
    assert!(!run.stderr.contains("problems found"), "{}", run.stderr);
}
