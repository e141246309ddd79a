#!/usr/bin/env python3
"""The crates' declared `rust-version` is true (SPEC 5.6): no package that a
user of a published crate builds needs a newer Rust, in a fresh resolution.

    python3 scripts/check_rust_version.py [CHECKOUT] [--locked]

The workspace is copied without its Cargo.lock to a temporary folder, where
cargo resolves it afresh (the newest compatible versions, as a user's first
build does); `cargo metadata` of that resolution gives each package's
`rust_version`. Every package reached from megatron-args or
megatron-args-derive through normal and build dependencies (every feature
on; dev-dependencies are the workspace's, not a user's) must declare at most
the workspace's `rust-version`. `--locked` checks the committed Cargo.lock
instead. Exit status 1 names each package that needs more.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

PUBLISHED = ("megatron-args", "megatron-args-derive")


def version_key(text):
    """`1.85` and `1.85.0` compare equal."""
    parts = [int(part) for part in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def metadata(checkout):
    return json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--all-features"],
            cwd=checkout,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )


def too_new(meta):
    """(declared, [(package, version, rust_version, path)]) of the packages
    the published crates reach that need more than the declared version."""
    packages = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    roots = [p["id"] for p in meta["packages"] if p["name"] in PUBLISHED and p["id"] in meta["workspace_members"]]
    declared = {packages[r]["rust_version"] for r in roots}
    if len(declared) != 1 or None in declared:
        sys.exit(f"error: the published crates declare rust-version {sorted(map(str, declared))}, expected one")
    declared = declared.pop()
    seen = {}
    stack = [(r, [packages[r]["name"]]) for r in roots]
    while stack:
        pid, path = stack.pop()
        if pid in seen:
            continue
        seen[pid] = path
        for dep in nodes[pid]["deps"]:
            kinds = {k["kind"] for k in dep["dep_kinds"]}
            if kinds & {None, "build"}:
                stack.append((dep["pkg"], path + [packages[dep["pkg"]]["name"]]))
    found = []
    for pid, path in seen.items():
        package = packages[pid]
        needs = package.get("rust_version")
        if needs and version_key(needs) > version_key(declared):
            found.append((package["name"], package["version"], needs, " -> ".join(path)))
    return declared, sorted(found)


def main(argv):
    locked = "--locked" in argv
    args = [a for a in argv if a != "--locked"]
    checkout = os.path.abspath(args[0] if args else os.path.join(os.path.dirname(__file__), ".."))
    if locked:
        meta = metadata(checkout)
        what = "Cargo.lock"
    else:
        with tempfile.TemporaryDirectory() as tmp:
            copy = os.path.join(tmp, "workspace")
            ignore = shutil.ignore_patterns("target", ".git", "Cargo.lock", "fuzz")
            shutil.copytree(checkout, copy, ignore=ignore)
            subprocess.run(["cargo", "generate-lockfile", "--quiet"], cwd=copy, check=True)
            meta = metadata(copy)
        what = "a fresh resolution"
    declared, found = too_new(meta)
    for name, version, needs, path in found:
        print(f"error: {name} {version} needs Rust {needs}, above rust-version {declared} ({path})", file=sys.stderr)
    if found:
        print(f"raise rust-version to {max((f[2] for f in found), key=version_key)}", file=sys.stderr)
        return 1
    print(f"rust-version {declared}: true for {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
