#!/usr/bin/env python3
"""Summarises the last `cargo bench --bench resolve` run from criterion's
estimates (target/criterion/GROUP/BENCH/new/estimates.json): the median time
of every benchmark, and the issue's ratio

    load + resolve both roles (parsing included) / bare serde_yaml parse

of the same 50-overrides-per-role text on the 1,000-field struct, target
<= 2.0 (the PPO example's group uses the example's shipped file).

    python3 scripts/bench_summary.py          # summarise the last run
    python3 scripts/bench_summary.py --run    # run the benches first
"""

import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GROUPS = ("ppo_example", "args_1000")
BENCHES = ("serde_yaml_value", "load", "resolve", "load_and_resolve", "render_text", "render_json",
           "load_invalid", "render_error")
TARGET_RATIO = 2.0


def criterion_dir():
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")
    return os.path.join(target, "criterion")


def median_ns(group, bench):
    path = os.path.join(criterion_dir(), group, bench, "new", "estimates.json")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)["median"]["point_estimate"]
    except FileNotFoundError:
        return None


def fmt_time(ns):
    if ns is None:
        return "-"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def main(argv):
    if "--run" in argv:
        subprocess.run(["cargo", "bench", "--bench", "resolve"], cwd=REPO, check=True)
    print(f"{'benchmark (median)':<20}" + "".join(f"{g:>14}" for g in GROUPS))
    for bench in BENCHES:
        print(f"{bench:<20}" + "".join(f"{fmt_time(median_ns(g, bench)):>14}" for g in GROUPS))
    print()
    status = 0
    for group in GROUPS:
        both, bare = median_ns(group, "load_and_resolve"), median_ns(group, "serde_yaml_value")
        if both is None or bare is None:
            print(f"{group}: no estimates; run `cargo bench --bench resolve` first")
            status = 1
            continue
        ratio = both / bare
        if group == "args_1000":
            verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
            note = f"{verdict} the target <= {TARGET_RATIO}"
        else:
            note = "the shipped 2-overrides-per-role file; no target"
        print(f"{group}: load_and_resolve / serde_yaml_value = {ratio:.2f} ({note})")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
