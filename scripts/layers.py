#!/usr/bin/env python3
"""The runtime crate's floor plan, checked: no import circle between its
source files, and no source file over 1,000 lines.

    python3 scripts/layers.py [CHECKOUT] [--graph]

An edge runs from a file to every file it names through a `crate::`,
`super::` or `self::` path (in a `use` or written inline), to the file that
defines the longest prefix of that path. A module's `mod.rs` and `lib.rs`
are not targets: they only declare and re-export their children. Unit-test
modules (`#[cfg(test)] mod tests`, `src/tests/`) are left out, as test code
may reach anywhere. `--graph` prints each file's imports, for the picture
of the layers. Exit status 1 on a circle or a long file.
"""
import os
import re
import sys

LIMIT = 1000
USE = re.compile(
    r"\b(?:pub(?:\([\w:]+\))?\s+)?use\s+(crate|super|self)((?:::\w+)*)(?:::\{([^;]*)\})?", re.S
)
INLINE = re.compile(r"(?<![\w:])crate((?:::\w+)+)")


def source_files(src):
    files = {}
    for d, _, names in os.walk(src):
        for name in names:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(d, name)
            rel = os.path.relpath(path, src)
            if rel.split(os.sep)[0] == "tests":
                continue
            with open(path, encoding="utf-8") as f:
                files[rel] = f.read()
    return files


def module_of(rel):
    parts = rel[:-3].split(os.sep)
    if parts[-1] in ("mod", "lib"):
        parts = parts[:-1]
    return parts


def without_tests_and_comments(text):
    text = re.sub(r"//.*", "", text)
    m = re.search(r"#\[cfg\(test\)\]\s*mod\s+tests\s*\{", text)
    return text[: m.start()] if m else text


def import_graph(files):
    modules = {tuple(module_of(rel)): rel for rel in files}

    def defining_file(parts):
        for k in range(len(parts), 0, -1):
            rel = modules.get(tuple(parts[:k]))
            if rel:
                return rel
        return None

    def is_target(rel, target):
        return target and target != rel and os.path.basename(target) not in ("lib.rs", "mod.rs")

    edges = {rel: set() for rel in files}
    for rel, text in files.items():
        text = without_tests_and_comments(text)
        me = module_of(rel)
        for m in INLINE.finditer(text):
            target = defining_file([p for p in m.group(1).split("::") if p])
            if is_target(rel, target):
                edges[rel].add(target)
        for m in USE.finditer(text):
            head, rest, group = m.groups()
            parts = [p for p in rest.split("::") if p]
            base = [] if head == "crate" else me[:-1] if head == "super" else me
            paths = []
            if group:
                for item in re.split(r",(?![^{]*\})", group):
                    first = item.strip().split("::")[0].strip()
                    extra = [first] if re.fullmatch(r"\w+", first or "-") and first != "self" else []
                    paths.append(base + parts + extra)
            else:
                paths.append(base + parts)
            for path in paths:
                target = defining_file(path)
                if is_target(rel, target):
                    edges[rel].add(target)
    return edges


def circles(edges):
    """Strongly connected components of two or more files (Tarjan)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def long_files(root):
    found = []
    for crate in ("megatron-args/src", "megatron-args-derive/src"):
        for d, _, names in os.walk(os.path.join(root, crate)):
            for name in names:
                path = os.path.join(d, name)
                rel = os.path.relpath(path, root)
                if not name.endswith(".rs") or "tests" in rel.split(os.sep):
                    continue
                with open(path, encoding="utf-8") as f:
                    n = sum(1 for _ in f)
                if n > LIMIT:
                    found.append((rel, n))
    return sorted(found)


def main(argv):
    root = next((a for a in argv if not a.startswith("--")), ".")
    edges = import_graph(source_files(os.path.join(root, "megatron-args", "src")))
    if "--graph" in argv:
        for rel in sorted(edges):
            print(f"{rel} -> {', '.join(sorted(edges[rel])) or '(nothing)'}")
    found = circles(edges)
    for component in found:
        print("circle:", ", ".join(component))
    long = long_files(root)
    for rel, n in long:
        print(f"over {LIMIT:,} lines: {rel} ({n})")
    largest = max((len(c) for c in found), default=0)
    print(
        f"layers: {len(edges)} files, {sum(map(len, edges.values()))} imports; "
        f"{len(found)} circles (largest {largest} files); {len(long)} files over {LIMIT:,} lines"
    )
    return 1 if found or long else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
