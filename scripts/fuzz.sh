#!/usr/bin/env bash
# Fuzzes the role-config loader (fuzz/fuzz_targets/load.rs) for a bounded time.
#
#   scripts/fuzz.sh [SECONDS]      # default 600
#
# Runs on the stable toolchain: `--sanitizer none` needs no nightly (safe
# Rust has no memory errors for ASan to find; panics and timeouts are what
# this fuzzer looks for). One process (-jobs=1), inputs up to 8 KiB, an input
# that runs over 5 s counts as a finding. The seed corpus is the hostile-file
# catalogue and every past finding; crashes and slow inputs land in
# fuzz/artifacts/load/: copy them to tests/data/fuzz-regressions/ so that
# `cargo test` replays them.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

corpus=fuzz/corpus/load
mkdir -p "$corpus" fuzz/artifacts/load
cp tests/data/catalogue/*.yaml "$corpus"/
find tests/data/fuzz-regressions -type f ! -name README.md -exec cp {} "$corpus"/ \;

cd fuzz
rm -f fuzz-0.log
status=0
cargo fuzz run --sanitizer none load corpus/load -- \
  -max_total_time="$seconds" -jobs=1 -workers=1 -max_len=8192 -timeout=5 -rss_limit_mb=2048 \
  -dict=load.dict -print_final_stats=1 || status=$?
# With -jobs, libFuzzer writes the worker's progress to fuzz/fuzz-0.log; its
# last line has the executions and coverage (cov: edges, ft: features).
if [ -f fuzz-0.log ]; then
  grep -E '^#[0-9]+' fuzz-0.log | tail -n 1 || true
  grep -E '^(==[0-9]+==|SUMMARY|Test unit written)' fuzz-0.log || true
fi
ls -l artifacts/load
exit "$status"
