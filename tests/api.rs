//! The runtime API of SPEC 5: the one-call helper, provenance, changes,
//! diagnostics as values and as `tracing` events, and error rendering.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use megatron_args::{resolve, Diagnostic, Level, MegatronArgs, PpoRole, Provenance, Value};

#[test]
fn one_call_resolve_without_a_path_specializes_each_role() {
    let base = cli(&["--kl-coef", "0.2"]);
    let resolved = resolve(&base, None, BOTH).unwrap();
    assert_eq!(resolved.get(PpoRole::Actor).unwrap(), &base);
    assert_eq!(resolved.get(PpoRole::Critic).unwrap(), &base.for_role(PpoRole::Critic));
    assert!(resolved.diagnostics().is_empty());
}

#[test]
fn one_call_resolve_with_a_path_loads_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roles.yaml");
    std::fs::File::create(&path).unwrap().write_all(file_for("critic", "lr: 1e-5").as_bytes()).unwrap();
    let resolved = resolve(&baseline(), Some(&path), BOTH).unwrap();
    let critic = resolved.role(PpoRole::Critic).unwrap();
    assert_eq!(critic.args().lr, 1e-5);
    let Some(Provenance::File(at)) = critic.provenance("lr") else { panic!("lr should come from the file") };
    assert_eq!((at.origin(), at.line(), at.column()), (path.display().to_string().as_str(), 4, 11));
}

#[test]
fn changes_list_only_values_that_differ_from_the_baseline() {
    let base = baseline();
    let resolved =
        load(&file_for("critic", "lr: 2e-6\nsave: /ckpt/critic")).unwrap().resolve(&base, BOTH).unwrap();
    let names: Vec<&str> = resolved.changes(PpoRole::Critic).iter().map(|c| c.field.name).collect();
    // lr equals the baseline (2e-6) and so is not a change.
    assert_eq!(names, vec!["save", "lr_warmup_iters"]);
    let save = &resolved.changes(PpoRole::Critic)[0];
    assert_eq!(
        (save.baseline.clone(), save.value.clone()),
        (Value::Null, Value::String("/ckpt/critic".into()))
    );
    assert!(resolved.changes(PpoRole::Actor).is_empty());
}

/// A `tracing` writer that appends to a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn diagnostics_are_returned_as_values_and_emitted_as_tracing_events() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt().with_writer(move || writer.clone()).with_ansi(false).finish();
    let resolved = tracing::subscriber::with_default(subscriber, || {
        load(&file_for("critic", "num_nodes: 2")).unwrap().resolve(&baseline(), BOTH).unwrap()
    });
    let warnings: Vec<&Diagnostic> =
        resolved.diagnostics().iter().filter(|d| d.level == Level::Warning).collect();
    assert_eq!(warnings.len(), 1);
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("WARN"), "{log}");
    assert!(log.contains("`num_nodes` is a placement argument"), "{log}");
    assert!(log.contains("roles.yaml:4:7"), "{log}");
}

#[test]
fn error_display_shows_location_source_line_caret_and_help() {
    let err = load(&file_for("actor", "lrr: 1e-5")).unwrap_err();
    let expected = "error: unknown argument `lrr`\n --> roles.yaml:4:7\n  |\n4 |       lrr: 1e-5\n  |       ^^^\n  |\n  = help: did you mean `lr`?";
    assert_eq!(err.to_string(), expected);
    let source: &dyn std::error::Error = &err;
    assert!(source.to_string().starts_with("error: unknown argument"));
}

#[test]
fn get_returns_every_field_value_for_json_output() {
    let args = baseline();
    for field in Args::fields() {
        assert!(args.get(field.name).is_some(), "{}", field.name);
    }
    assert_eq!(args.get("save"), Some(Value::Null));
    assert_eq!(args.get("lr_decay_style"), Some(Value::String("constant".into())));
}
