//! The suite package: the example trainers, integration tests and benchmarks
//! of `megatron-args` live in this package's `examples/`, `tests/` and
//! `benches/`; this library holds nothing but what they share.
