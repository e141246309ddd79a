//! The suite package: the example trainers, integration tests and benchmarks
//! of `megatron-args` live in this package's `examples/`, `tests/` and
//! `benches/`. The README is included here so that its Rust code is compiled
//! and run as a doc-test.
#![doc = include_str!("../README.md")]
