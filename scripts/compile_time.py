#!/usr/bin/env python3
"""Compile-time cost of `#[derive(MegatronArgs)]` next to serde's and clap's.

Generates one crate per (size, variant): a struct of 250, 500, 1,000 and
2,000 fields sampled from the real Megatron-LM / slime arguments (mixed f64,
integer, bool, String, Option<String>, a few #[topology] / #[placement]),
with no derive, `MegatronArgs`, `serde::Deserialize` or `clap::Parser`
(every variant also derives Clone, which MegatronArgs requires, and Debug).
The crates form one workspace in a temporary directory, with path
dependencies on this repository's crates and this repository's Cargo.lock,
so it builds offline from the local cargo registry cache. After one warm-up
build of the dependencies, each crate's `cargo check` is timed N times
(touching its source; non-incremental, as a clean build), in rounds that
visit every crate in a rotating order so that load from other processes
spreads over all variants; the median is reported, of CPU time (user + sys
of cargo and rustc, which other processes on a shared machine disturb
less) and of wall time.

    python3 scripts/compile_time.py                  # 3 runs per crate
    python3 scripts/compile_time.py --runs 5 --sizes 1000,2000
    python3 scripts/compile_time.py --compare ../main   # before/after a derive change

Prints the table (fields x variant, seconds), the derive cost
(variant - none), and the issue's ratios:
  (MegatronArgs - none) / (serde - none) per size   target <= 1.0, stretch 0.5
  (MegatronArgs - none) at 2,000 / at 1,000          target <= 2.2
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_args  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VARIANTS = gen_args.VARIANTS  # none, megatron, serde, clap


def crate_name(size, variant):
    return f"f{size}_{variant}"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def write_workspace_root(root, members, repo=REPO):
    """The scratch workspace's manifest (members with path dependencies on
    `repo`'s runtime, serde and clap) and the repository's lock file, which
    pins the versions the repository builds with, all of them in the local
    registry cache."""
    runtime = os.path.join(repo, "megatron-args").replace("\\", "/")
    write(os.path.join(root, "Cargo.toml"), f"""[workspace]
members = [{", ".join(f'"{m}"' for m in members)}]
resolver = "2"

[workspace.dependencies]
megatron-args = {{ path = "{runtime}" }}
serde = {{ version = "1", features = ["derive"] }}
clap = {{ version = "4.5", features = ["derive"] }}
""")
    shutil.copy(os.path.join(REPO, "Cargo.lock"), os.path.join(root, "Cargo.lock"))


def generate_workspace(root, sizes, variants, repo=REPO):
    write_workspace_root(root, [crate_name(s, v) for s in sizes for v in variants], repo)
    for size in sizes:
        for variant in variants:
            name = crate_name(size, variant)
            # Every crate has the same dependencies; rustc loads a
            # dependency only when the source names it.
            write(os.path.join(root, name, "Cargo.toml"), f"""[package]
name = "{name}"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
megatron-args.workspace = true
serde.workspace = true
clap.workspace = true
""")
            write(os.path.join(root, name, "src", "lib.rs"),
                  f"//! {size} fields, variant `{variant}`.\n\n" + gen_args.struct_source(size, variant))


def cargo(root, env, *args, quiet=True):
    """cargo, offline, quiet unless asked not to be (cargo refuses `-v` with `--quiet`)."""
    return subprocess.run(["cargo", *args, "--offline", *(["--quiet"] if quiet else [])], cwd=root, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_check(root, env, crate):
    """(wall seconds, CPU seconds of cargo and rustc) of one `cargo check`."""
    source = os.path.join(root, crate, "src", "lib.rs")
    os.utime(source, None)
    cpu, start = children_cpu(), time.perf_counter()
    done = cargo(root, env, "check", "-p", crate)
    wall, cpu = time.perf_counter() - start, children_cpu() - cpu
    if done.returncode != 0:
        sys.exit(f"cargo check -p {crate} failed:\n{done.stderr}")
    return wall, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="timed checks per crate (median; default 3)")
    parser.add_argument("--sizes", default="250,500,1000,2000", help="field counts (default 250,500,1000,2000)")
    parser.add_argument("--variants", default=",".join(VARIANTS), help="subset of " + ",".join(VARIANTS))
    parser.add_argument("--target-dir", default=os.path.join(REPO, "target", "compile-time"),
                        help="shared target dir, kept between runs (default target/compile-time)")
    parser.add_argument("--keep", metavar="DIR", help="generate the crates in DIR and keep them")
    parser.add_argument("--compare", metavar="CHECKOUT",
                        help="another checkout of this repository (say, main before a change to the derive): "
                             "adds the variant `megatron_before`, its MegatronArgs crates, timed in the same rounds")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    variants = [v for v in args.variants.split(",") if v]
    unknown = set(variants) - set(VARIANTS)
    if unknown or "none" not in variants:
        sys.exit(f"--variants: must include `none`, and only {', '.join(VARIANTS)}")

    root = args.keep or tempfile.mkdtemp(prefix="megatron-args-compile-time-")
    target = os.path.abspath(args.target_dir)
    env = dict(os.environ, CARGO_TARGET_DIR=target, CARGO_INCREMENTAL="0", CARGO_TERM_COLOR="never")
    # variant -> (workspace, environment, variant whose crates it times)
    places = {v: (root, env, v) for v in variants}
    if args.compare:
        if "megatron" not in variants:
            sys.exit("--compare needs the variant `megatron`")
        before = os.path.join(root, "before")
        place_env = dict(env, CARGO_TARGET_DIR=target + "-before")
        places["megatron_before"] = (before, place_env, "megatron")
        variants.insert(variants.index("megatron") + 1, "megatron_before")
    try:
        generate_workspace(root, sizes, [v for v in variants if v != "megatron_before"])
        if args.compare:
            generate_workspace(before, sizes, ["megatron"], repo=os.path.abspath(args.compare))
        print(f"crates in {root}; warming the dependency build ...", file=sys.stderr, flush=True)
        for workspace, place_env in {(w, id(e)): (w, e) for w, e, _ in places.values()}.values():
            warm = cargo(workspace, place_env, "check", "--workspace")
            if warm.returncode != 0:
                sys.exit(f"warm-up build failed:\n{warm.stderr}")

        crates = [(s, v) for s in sizes for v in variants]
        times = {c: [] for c in crates}
        for run in range(args.runs):
            shift = run * len(crates) // args.runs
            order = crates[shift:] + crates[:shift]
            for size, variant in order:
                workspace, place_env, generated = places[variant]
                times[(size, variant)].append(time_check(workspace, place_env, crate_name(size, generated)))
            print(f"  run {run + 1}/{args.runs} done", file=sys.stderr, flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    report(sizes, variants, times, args.runs)


def report(sizes, variants, times, runs):
    for index, measure in ((1, "CPU time (user + sys of cargo and rustc)"), (0, "wall time")):
        print(f"\n== {measure}")
        report_measure(sizes, variants, {c: [t[index] for t in ts] for c, ts in times.items()}, runs)


def report_measure(sizes, variants, times, runs):
    median = {c: statistics.median(t) for c, t in times.items()}
    print(f"\n`cargo check` of one crate, seconds (median of {runs}; spread = (max - min) / median):\n")
    print("| fields | " + " | ".join(variants) + " | max spread |")
    print("|---:|" + "---:|" * len(variants) + "---:|")
    for s in sizes:
        spread = max((max(times[(s, v)]) - min(times[(s, v)])) / median[(s, v)] for v in variants)
        print(f"| {s} | " + " | ".join(f"{median[(s, v)]:.2f}" for v in variants) + f" | {spread:.0%} |")

    derives = [v for v in variants if v != "none"]
    if not derives:
        return
    cost = {(s, v): median[(s, v)] - median[(s, "none")] for s in sizes for v in derives}
    print("\nDerive cost (variant - none), seconds:\n")
    print("| fields | " + " | ".join(derives) + " |")
    print("|---:|" + "---:|" * len(derives))
    for s in sizes:
        print(f"| {s} | " + " | ".join(f"{cost[(s, v)]:.2f}" for v in derives) + " |")

    for megatron in [v for v in ("megatron", "megatron_before") if v in derives]:
        label = "MegatronArgs" if megatron == "megatron" else "MegatronArgs before"
        if "serde" in derives:
            print(f"\n({label} - none) / (serde - none), target <= 1.0, stretch <= 0.5:")
            for s in sizes:
                serde = cost[(s, "serde")]
                ratio = cost[(s, megatron)] / serde if serde > 0 else float("inf")
                verdict = "stretch met" if ratio <= 0.5 else "met" if ratio <= 1.0 else "MISSED"
                print(f"  {s:>5} fields: {ratio:.2f}  ({verdict})")
        if 1000 in sizes and 2000 in sizes:
            base = cost[(1000, megatron)]
            growth = cost[(2000, megatron)] / base if base > 0 else float("inf")
            verdict = "met" if growth <= 2.2 else "MISSED"
            print(f"\n({label} - none) growth 1,000 -> 2,000 fields: {growth:.2f}x  (target <= 2.2: {verdict})")
    if "clap" in derives and "serde" in derives:
        ratios = [f"{s}: {cost[(s, 'clap')] / cost[(s, 'serde')]:.2f}" for s in sizes if cost[(s, "serde")] > 0]
        print("\nFor reference, (clap - none) / (serde - none): " + ", ".join(ratios))


if __name__ == "__main__":
    main()
