//! Runtime benchmarks: loading, resolving and rendering a role-config file,
//! on the PPO example's struct and on a generated 1,000-field struct, next to
//! the reference, a bare `serde_yaml` parse of the same text into a
//! `serde_yaml::Value`.
//!
//! `cargo bench --bench resolve`, then `python3 scripts/bench_summary.py`
//! for the ratio "load + resolve both roles / bare serde_yaml parse".

use std::fmt::Write as _;
use std::hint::black_box;

use clap::Parser as _;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion};
use megatron_args::{
    FieldClass, MegatronArgs, PpoRole, Provenance, Resolved, Role as _, RoleConfig, ValueType,
};

// The example's `main` and its printing are not benchmarked here.
#[allow(dead_code)]
#[path = "../examples/ppo_train.rs"]
mod ppo_train;

// The overrides struct's setters are not used here.
#[allow(dead_code)]
#[path = "gen/args_1000.rs"]
mod args_1000;

use args_1000::Args1000;
use ppo_train::TrainArgs;

const ROLES: [PpoRole; 2] = [PpoRole::Actor, PpoRole::Critic];
const OVERRIDES_PER_ROLE: usize = 50;

/// The README's command line of the PPO example.
fn ppo_baseline() -> TrainArgs {
    TrainArgs::parse_from(
        "train --advantage-estimator ppo --use-critic --megatron-config-path examples/megatron_ppo.yaml \
         --tensor-model-parallel-size 2 --sequence-parallel --pipeline-model-parallel-size 1 \
         --context-parallel-size 1 --expert-model-parallel-size 1 --expert-tensor-parallel-size 1 \
         --actor-num-nodes 1 --actor-num-gpus-per-node 8 --critic-num-nodes 1 --critic-num-gpus-per-node 8"
            .split_whitespace(),
    )
}

/// A value of `ty` that differs from the type's default, spelled in YAML.
fn yaml_value(ty: &ValueType, role: PpoRole) -> String {
    match ty {
        ValueType::Bool => "true".into(),
        ValueType::Int { .. } => if role == PpoRole::Actor { "7" } else { "9" }.into(),
        ValueType::Float { .. } => if role == PpoRole::Actor { "1e-6" } else { "0.5" }.into(),
        ValueType::Choice(choices) => choices.last().cloned().unwrap_or_default(),
        ValueType::Optional(inner) => yaml_value(inner, role),
        ValueType::List(inner) => format!("[{}]", yaml_value(inner, role)),
        // Strings, paths, other types (non-exhaustive).
        _ => format!("/ckpt/{}", role.name()),
    }
}

/// A slime role-config file with up to `per_role` overrides for each PPO
/// role: the same regular fields, spread over the struct, with per-role
/// values. With `mistakes`, every fifth key is misspelt and every fifth value
/// has the wrong type, as a file with many problems.
fn overrides_file<A: MegatronArgs<Role = PpoRole>>(per_role: usize, mistakes: bool) -> String {
    let regular: Vec<_> = A::fields().iter().filter(|f| f.class == FieldClass::Regular).collect();
    let count = per_role.min(regular.len());
    let mut text = String::from("megatron:\n");
    for role in ROLES {
        writeln!(text, "  - name: default\n    role: {}\n    overrides:", role.name()).unwrap();
        for i in 0..count {
            let field = regular[i * regular.len() / count];
            let (key, value) = match i % 5 {
                1 if mistakes => (format!("{}x", field.name), yaml_value(&field.value_type, role)),
                3 if mistakes => (field.name.to_string(), "[not, a, scalar]".to_string()),
                _ => (field.name.to_string(), yaml_value(&field.value_type, role)),
            };
            writeln!(text, "      {key}: {value}").unwrap();
        }
    }
    text
}

/// The text output's building blocks: per role, what differs from the
/// command line and where it came from.
fn render_text<A: MegatronArgs>(resolved: &Resolved<A>) -> String {
    let mut out = String::new();
    for role in resolved.roles() {
        let changes = resolved.changes(role.role());
        writeln!(out, "{}: {} arguments differ", role.role().name(), changes.len()).unwrap();
        for change in changes {
            let from = match &change.provenance {
                Provenance::File(_) => format!("from {}", change.provenance),
                other => other.to_string(),
            };
            writeln!(out, "  {} = {}  ({from})", change.field.name, change.value).unwrap();
        }
    }
    out
}

/// The JSON output's building blocks: every argument of every role.
fn render_json<A: MegatronArgs>(resolved: &Resolved<A>) -> String {
    let roles: serde_json::Map<String, serde_json::Value> = resolved
        .roles()
        .iter()
        .map(|role| {
            let args = A::fields()
                .iter()
                .map(|f| (f.name.to_string(), serde_json::to_value(role.args().get(f.name)).unwrap()))
                .collect();
            (role.role().name().to_string(), serde_json::Value::Object(args))
        })
        .collect();
    serde_json::to_string(&roles).unwrap()
}

fn bench_struct<A: MegatronArgs<Role = PpoRole>>(
    group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>,
    baseline: &A,
    text: &str,
    bad_text: &str,
) {
    // Build the field table outside the timings: it is built once per process.
    let config = RoleConfig::<A>::from_str(text, "bench.yaml").expect("the bench file loads");
    let resolved = config.resolve(baseline, &ROLES).expect("the bench file resolves");
    let error = RoleConfig::<A>::from_str(bad_text, "bad.yaml").expect_err("the bad file has problems");

    group.bench_function("serde_yaml_value", |b| {
        b.iter(|| serde_yaml::from_str::<serde_yaml::Value>(black_box(text)).unwrap())
    });
    group.bench_function("load", |b| {
        b.iter(|| RoleConfig::<A>::from_str(black_box(text), "bench.yaml").unwrap())
    });
    group.bench_function("resolve", |b| b.iter(|| config.resolve(black_box(baseline), &ROLES).unwrap()));
    group.bench_function("load_and_resolve", |b| {
        b.iter(|| {
            RoleConfig::<A>::from_str(black_box(text), "bench.yaml")
                .unwrap()
                .resolve(baseline, &ROLES)
                .unwrap()
        })
    });
    group.bench_function("render_text", |b| b.iter(|| render_text(black_box(&resolved))));
    group.bench_function("render_json", |b| b.iter(|| render_json(black_box(&resolved))));
    group.bench_function("load_invalid", |b| {
        b.iter(|| RoleConfig::<A>::from_str(black_box(bad_text), "bad.yaml").unwrap_err())
    });
    group.bench_function("render_error", |b| b.iter(|| black_box(&error).to_string()));
}

fn ppo_example(c: &mut Criterion) {
    let text = include_str!("../examples/megatron_ppo.yaml");
    let bad_text = overrides_file::<TrainArgs>(OVERRIDES_PER_ROLE, true);
    let mut group = c.benchmark_group("ppo_example");
    bench_struct(&mut group, &ppo_baseline(), text, &bad_text);
    group.finish();
}

fn args_1000(c: &mut Criterion) {
    let text = overrides_file::<Args1000>(OVERRIDES_PER_ROLE, false);
    let bad_text = overrides_file::<Args1000>(OVERRIDES_PER_ROLE, true);
    let mut group = c.benchmark_group("args_1000");
    bench_struct(&mut group, &Args1000::default(), &text, &bad_text);
    group.finish();
}

criterion_group!(benches, ppo_example, args_1000);
criterion_main!(benches);
