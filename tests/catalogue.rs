//! The catalogue of malformed and hostile role-config files: every file in
//! `tests/data/catalogue/` is loaded through `RoleConfig::from_path` (so the
//! path is the origin of every location) and must fail with the problem its
//! `.expect` file names, at the place it names, without a panic.
//!
//! Each case is `NAME.expect`, plus `NAME.yaml` unless the input is made at
//! test time. `NAME.expect` is `field: value` lines:
//!
//! ```text
//! # what the file breaks (SPEC rule, or the YAML feature)
//! kind: UnknownKey            # ProblemKind variant of the first problem, or `ok`
//! message: unknown argument   # substring of the first problem's message
//! at: 6:7                     # its line:column, or `none` (problems of the file itself)
//! help: did you mean `lr`?    # optional: substring of its help
//! note: first given here      # optional: substring of its first note
//! problems: 2                 # optional: how many problems (default 1)
//! strict: true                # optional: load with LoadOptions::new().strict(true)
//! stage: resolve              # optional: the file loads; resolving actor+critic fails
//! input: too-large            # optional: too-large | directory | missing, made at test time
//! value: actor.lr=1e-5        # `ok` cases: a resolved value to check
//! ```
//!
//! Hangs are excluded by construction rather than timed: every input is
//! bounded (the largest is the 16 MiB + 1 byte file, rejected before it is
//! read), and the loader's alias and depth limits bound the work per byte.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use common::*;
use megatron_args::{Error, LoadOptions, MegatronArgs, PpoRole, Role, RoleConfig, MAX_FILE_SIZE};

/// One case: its `.expect` fields.
#[derive(Debug, Default)]
struct Case {
    name: String,
    about: String,
    kind: String,
    message: Option<String>,
    at: Option<String>,
    help: Option<String>,
    note: Option<String>,
    problems: usize,
    strict: bool,
    resolve: bool,
    input: Option<String>,
    value: Option<String>,
}

fn catalogue_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/catalogue")
}

fn read_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut names: Vec<PathBuf> = fs::read_dir(catalogue_dir())
        .expect("tests/data/catalogue exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "expect"))
        .collect();
    names.sort();
    for path in names {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let mut case = Case { name: name.clone(), problems: 1, ..Case::default() };
        for line in fs::read_to_string(&path).unwrap().lines() {
            if let Some(about) = line.strip_prefix("# ") {
                case.about = about.to_string();
                continue;
            }
            let (field, value) = line.split_once(": ").unwrap_or_else(|| panic!("{name}.expect: `{line}`"));
            let value = value.to_string();
            match field {
                "kind" => case.kind = value,
                "message" => case.message = Some(value),
                "at" => case.at = Some(value),
                "help" => case.help = Some(value),
                "note" => case.note = Some(value),
                "problems" => case.problems = value.parse().unwrap(),
                "strict" => case.strict = value == "true",
                "stage" => case.resolve = value == "resolve",
                "input" => case.input = Some(value),
                "value" => case.value = Some(value),
                other => panic!("{name}.expect: unknown field `{other}`"),
            }
        }
        assert!(!case.kind.is_empty(), "{name}.expect has no `kind`");
        if case.kind != "ok" {
            assert!(case.message.is_some() && case.at.is_some(), "{name}.expect needs `message` and `at`");
        }
        cases.push(case);
    }
    cases
}

/// The variant name of a problem kind (`UnknownKey { .. }` -> `UnknownKey`).
fn kind_name(kind: &megatron_args::ProblemKind) -> String {
    let debug = format!("{kind:?}");
    debug.split([' ', '{', '(']).next().unwrap().to_string()
}

/// Loads (and for `stage: resolve` / `ok` cases, resolves) the case's input.
fn run(case: &Case, path: &Path) -> Result<RoleConfig<Args>, Error> {
    let options = if case.strict { LoadOptions::new().strict(true) } else { LoadOptions::default() };
    let config = RoleConfig::<Args>::from_path_with(path, options)?;
    if case.resolve || case.kind == "ok" {
        config.resolve(&baseline(), BOTH)?;
    }
    Ok(config)
}

/// Every way the outcome differs from the expectation.
fn check(case: &Case, path: &Path, outcome: Result<RoleConfig<Args>, Error>) -> Vec<String> {
    let mut wrong = Vec::new();
    let err = match (outcome, case.kind.as_str()) {
        (Ok(config), "ok") => {
            if let Some(spec) = &case.value {
                let (role_field, want) = spec.split_once('=').unwrap();
                let (role, field) = role_field.split_once('.').unwrap();
                let role = PpoRole::from_name(role).unwrap();
                let resolved = config.resolve(&baseline(), BOTH).unwrap();
                let got = resolved.get(role).unwrap().get(field).map(|v| v.to_string());
                if got.as_deref() != Some(want) {
                    wrong.push(format!("{role_field} is {got:?}, expected {want}"));
                }
            }
            return wrong;
        }
        (Err(err), "ok") => return vec![format!("expected to load, got:\n{err}")],
        (Ok(_), _) => return vec![format!("expected {}, but the file loaded", case.kind)],
        (Err(err), _) => err,
    };
    let rendered = err.to_string();
    let first = &err.problems()[0];
    if kind_name(&first.kind) != case.kind {
        wrong.push(format!("kind {:?}, expected {}", first.kind, case.kind));
    }
    if err.problems().len() != case.problems {
        wrong.push(format!("{} problems, expected {}", err.problems().len(), case.problems));
    }
    if let Some(message) = &case.message {
        if !first.message.contains(message.as_str()) {
            wrong.push(format!("message {:?} does not contain {message:?}", first.message));
        }
    }
    match (case.at.as_deref(), &first.location) {
        (Some("none"), None) => {}
        (Some(at), Some(loc)) if at == format!("{}:{}", loc.line(), loc.column()) => {
            if loc.origin() != path.display().to_string() {
                wrong.push(format!("location origin {}, expected the path", loc.origin()));
            }
        }
        (at, loc) => wrong.push(format!("location {loc:?}, expected {at:?}")),
    }
    // The report names the file: in the location line, or in the message of
    // problems of the file itself (too large, unreadable).
    if !rendered.contains(&path.display().to_string()) {
        wrong.push("the rendered error does not name the file".to_string());
    }
    if let Some(help) = &case.help {
        if !first.help.as_deref().unwrap_or("").contains(help.as_str()) {
            wrong.push(format!("help {:?} does not contain {help:?}", first.help));
        }
    }
    if let Some(note) = &case.note {
        if !first.notes.first().is_some_and(|n| n.message.contains(note.as_str()) && n.location.is_some()) {
            wrong.push(format!("notes {:?} do not start with {note:?} and a location", first.notes));
        }
    }
    if !wrong.is_empty() {
        wrong.push(format!("rendered:\n{rendered}"));
    }
    wrong
}

/// Where the case's input is: its `.yaml`, or one made in `tmp`.
fn input_path(case: &Case, tmp: &Path) -> PathBuf {
    match case.input.as_deref() {
        None => catalogue_dir().join(format!("{}.yaml", case.name)),
        Some("too-large") => {
            // Sparse: one byte over the limit without writing 16 MiB.
            let path = tmp.join("too-large.yaml");
            fs::File::create(&path).unwrap().set_len(MAX_FILE_SIZE + 1).unwrap();
            path
        }
        Some("directory") => {
            let path = tmp.join("roles.yaml.d");
            fs::create_dir_all(&path).unwrap();
            path
        }
        Some("missing") => tmp.join("no-such-file.yaml"),
        Some(other) => panic!("{}.expect: unknown input `{other}`", case.name),
    }
}

#[test]
fn every_catalogue_file_fails_with_its_expected_problem_and_none_panics() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = read_cases();
    let mut failures = Vec::new();
    let mut panicked = Vec::new();
    for case in &cases {
        let path = input_path(case, tmp.path());
        match catch_unwind(AssertUnwindSafe(|| run(case, &path))) {
            Err(_) => panicked.push(case.name.clone()),
            Ok(outcome) => {
                let wrong = check(case, &path, outcome);
                if !wrong.is_empty() {
                    failures.push(format!("{} ({}):\n  {}", case.name, case.about, wrong.join("\n  ")));
                }
            }
        }
    }
    assert!(panicked.is_empty(), "the loader panicked on: {panicked:?}");
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_catalogue_is_complete() {
    let cases = read_cases();
    let errors = cases.iter().filter(|c| c.kind != "ok").count();
    assert!(errors >= 60, "only {errors} bad files");

    // Every input file has its expectation and the other way round.
    let yaml: BTreeSet<String> = fs::read_dir(catalogue_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    let with_file: BTreeSet<String> =
        cases.iter().filter(|c| c.input.is_none()).map(|c| c.name.clone()).collect();
    assert_eq!(yaml, with_file, "every NAME.yaml needs a NAME.expect and the other way round");

    // Every rule of SPEC sections 2 and 3 is broken at least once.
    let about: String = cases.iter().map(|c| format!("{} ", c.about)).collect();
    let missing: Vec<String> = (1..=7)
        .map(|n| format!("SPEC 2.{n}"))
        .chain((1..=12).map(|n| format!("SPEC 3.{n}")))
        .filter(|rule| !about.contains(&format!("{rule}:")) && !about.contains(&format!("{rule} ")))
        .collect();
    assert!(missing.is_empty(), "no catalogue case for {missing:?}");

    // Every problem kind a file can cause appears.
    let kinds: BTreeSet<&str> = cases.iter().map(|c| c.kind.as_str()).collect();
    for kind in [
        "Io",
        "TooLarge",
        "NotUtf8",
        "Syntax",
        "TooComplex",
        "UnsupportedYaml",
        "Shape",
        "UnknownEntryKey",
        "DuplicateEntryKey",
        "OverridesAndArgs",
        "MissingRole",
        "UnknownRole",
        "DuplicateRole",
        "CliFlagKey",
        "UnknownKey",
        "DuplicateKey",
        "SharedKey",
        "ForcedKey",
        "PlacementKey",
        "Type",
        "TopologyMismatch",
        "Validation",
    ] {
        assert!(kinds.contains(kind), "no catalogue case of {kind}");
    }
    // The field used by `value:` checks exists.
    assert!(Args::field("micro_batch_size").is_some());
}
