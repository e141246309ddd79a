//! Replays every input the fuzzer ever found (a crash or a slow input),
//! saved under `tests/data/fuzz-regressions/`, through the loader the way
//! the fuzz target does: bytes read as UTF-8 lossily, loaded in default and
//! strict mode, resolved if they load, errors rendered. None may panic.
//!
//! To add a finding: copy `fuzz/artifacts/load/crash-*` (or `slow-unit-*`,
//! `timeout-*`) here under a name that says what it found.

mod common;

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use common::*;
use megatron_args::{LoadOptions, RoleConfig};

/// What the fuzz target does with one input.
fn replay(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for options in [LoadOptions::default(), LoadOptions::new().strict(true)] {
        match RoleConfig::<Args>::from_str_with(&text, "fuzz.yaml", options) {
            Ok(config) => {
                let base = baseline();
                if let Err(err) = config.resolve(&base, BOTH) {
                    assert!(!err.to_string().is_empty());
                }
                assert_eq!(base, baseline(), "resolution changed the baseline");
            }
            Err(err) => assert!(!err.to_string().is_empty()),
        }
    }
}

#[test]
fn every_saved_fuzz_finding_loads_without_a_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz-regressions");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("tests/data/fuzz-regressions exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    let panicked: Vec<String> = files
        .iter()
        .filter(|path| {
            let data = fs::read(path).unwrap();
            catch_unwind(AssertUnwindSafe(|| replay(&data))).is_err()
        })
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(panicked.is_empty(), "the loader panicked on: {panicked:?}");
}

#[test]
fn a_file_of_many_bad_keys_renders_in_linear_time() {
    // Found while building the catalogue: rendering rescanned the text for
    // every problem's line, so 80 000 problems in 1 MiB took 148 s to render
    // and a 16 MiB file hours. This test takes 3 s in a debug build with
    // the fix and 73 s without it.
    let mut text = String::from("megatron:\n  - role: actor\n    overrides:\n");
    for i in 0..30_000 {
        text.push_str(&format!("      lrr{i}: 1\n"));
    }
    let err = load(&text).unwrap_err();
    assert_eq!(err.problems().len(), 30_000);
    assert!(err.to_string().ends_with("error: 30000 problems found"));
}
