//! The example's argument surface (`examples/ppo_train/args/`) is generated
//! from `data/upstream/training_args.tsv` by `scripts/gen_ppo_args.py`;
//! this test fails when the committed files are not what the script makes
//! from the table now.

use std::path::Path;
use std::process::Command;

#[test]
fn generated_train_args_match_the_script_and_the_table() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let table = repo.join("data/upstream/training_args.tsv");
    assert!(table.is_file(), "the table of upstream arguments is missing: {}", table.display());
    let output = Command::new("python3")
        .arg(repo.join("scripts/gen_ppo_args.py"))
        .arg("--check")
        .arg("--tsv")
        .arg(&table)
        .output()
        .expect("cannot run python3 scripts/gen_ppo_args.py");
    assert!(
        output.status.success(),
        "examples/ppo_train/args/ is stale; run `python3 scripts/gen_ppo_args.py`:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
