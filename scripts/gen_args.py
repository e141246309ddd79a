#!/usr/bin/env python3
"""Generates large argument structs from the real Megatron-LM / slime argument
list (data/upstream/training_args.tsv, or a built-in fallback), for the
runtime benchmarks and the compile-time script.

    python3 scripts/gen_args.py bench > benches/gen/args_1000.rs

`struct_source(n, variant)` is what scripts/compile_time.py imports.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TSV_CANDIDATES = [
    os.environ.get("MEGATRON_ARGS_TSV", ""),
    os.path.join(REPO, "data", "upstream", "training_args.tsv"),
]

VARIANTS = ("none", "megatron", "serde", "clap")


class Field:
    def __init__(self, name, ty, kind, group):
        self.name = name
        self.ty = ty  # Rust type
        self.kind = kind  # "regular", "topology" or "placement"
        self.group = group


def _rust_type(tsv_type, default, kind):
    if tsv_type == "bool":
        return "bool"
    if tsv_type == "int":
        return "u32" if kind != "regular" else "i64"
    if tsv_type == "float":
        return "f64"
    if tsv_type == "str" and default:
        return "String"
    # str without a default, lists and unknown types: an optional string
    return "Option<String>"


def _read_tsv():
    for path in TSV_CANDIDATES:
        if path and os.path.isfile(path):
            rows = []
            with open(path, encoding="utf-8") as f:
                header = f.readline().rstrip("\n").split("\t")
                for line in f:
                    cells = line.rstrip("\n").split("\t")
                    rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)))))
            return rows
    return None


def _fallback_rows():
    # Without the table (data/upstream/ removed): a synthetic mix with the same proportions
    # (about 35% bool, 25% int, 25% str, 12% float) and the real topology and
    # placement names.
    rows = []
    for name in ("tensor_model_parallel_size", "pipeline_model_parallel_size", "context_parallel_size",
                 "expert_model_parallel_size", "expert_tensor_parallel_size"):
        rows.append({"name": name, "type": "int", "default": "1", "group": "topology", "role_class": "topology"})
    rows.append({"name": "sequence_parallel", "type": "bool", "default": "", "group": "topology",
                 "role_class": "topology"})
    for name in ("actor_num_nodes", "actor_num_gpus_per_node", "rollout_num_gpus"):
        rows.append({"name": name, "type": "int", "default": "1", "group": "placement", "role_class": "placement"})
    cycle = [("bool", ""), ("int", "0"), ("str", ""), ("bool", ""), ("float", "0.0"), ("int", "1"),
             ("str", "x"), ("bool", "")]
    for i in range(1100):
        ty, default = cycle[i % len(cycle)]
        rows.append({"name": f"arg_{i:04}", "type": ty, "default": default, "group": "synthetic", "role_class": ""})
    return rows


def all_fields():
    """Every distinct argument, in file order."""
    rows = _read_tsv() or _fallback_rows()
    seen = set()
    fields = []
    for row in rows:
        name = row["name"].lower()
        if name in seen or not name.isidentifier():
            continue
        seen.add(name)
        kind = row.get("role_class") or "regular"
        fields.append(Field(name, _rust_type(row["type"], row.get("default", ""), kind), kind, row.get("group", "")))
    return fields


def fields(n):
    """`n` fields: an even sample of the real list, or the list repeated with
    numbered names; every topology and placement field is kept when n allows."""
    base = all_fields()
    if n >= len(base):
        out = list(base)
        round_ = 2
        while len(out) < n:
            for f in base:
                if len(out) == n:
                    break
                out.append(Field(f"{f.name}_{round_}", f.ty, f.kind, f.group))
            round_ += 1
        return out
    special = [f for f in base if f.kind != "regular"][: max(1, n // 50)]
    regular = [f for f in base if f.kind == "regular"]
    want = n - len(special)
    picked = [regular[i * len(regular) // want] for i in range(want)]
    chosen = {id(f) for f in picked + special}
    return [f for f in base if id(f) in chosen]


def _clap_arg(f):
    if f.ty == "bool" or f.ty.startswith("Option<"):
        return "#[arg(long)]"
    if f.ty == "String":
        return '#[arg(long, default_value = "")]'
    if f.ty == "f64":
        return "#[arg(long, default_value_t = 0.0)]"
    return "#[arg(long, default_value_t = 0)]"


def struct_source(n, variant, docs=True, name="Args"):
    """A Rust struct of `n` fields with `variant`'s derive and attributes.

    Every variant derives Clone and Debug (MegatronArgs requires Clone, and
    real argument structs have both), so that the difference between a
    variant and `none` is the cost of that derive alone."""
    assert variant in VARIANTS or variant == "bench", variant
    derives = {
        "none": "Clone, Debug",
        "megatron": "Clone, Debug, ::megatron_args::MegatronArgs",
        "serde": "Clone, Debug, ::serde::Deserialize",
        "clap": "Clone, Debug, ::clap::Parser",
        "bench": "Clone, Debug, Default, ::megatron_args::MegatronArgs",
    }[variant]
    out = [f"#[derive({derives})]", f"pub struct {name} {{"]
    forced = default = None
    if variant == "bench":
        floats = [f for f in fields(n) if f.ty == "f64" and f.kind == "regular"]
        bools = [f for f in fields(n) if f.ty == "bool" and f.kind == "regular"]
        forced, default = floats[0].name, bools[0].name
    for f in fields(n):
        if docs:
            out.append(f"    /// `--{f.name.replace('_', '-')}` ({f.group}).")
        if variant == "clap":
            out.append(f"    {_clap_arg(f)}")
        if variant in ("megatron", "bench") and f.kind != "regular":
            out.append(f"    #[{f.kind}]")
        if f.name == forced:
            out.append("    #[megatron(role_forced(critic = 0.0))]")
        if f.name == default:
            out.append("    #[megatron(role_default(critic = true))]")
        out.append(f"    pub {f.name}: {f.ty},")
    out.append("}")
    return "\n".join(out) + "\n"


def bench_source(n=1000):
    header = (
        f"// Generated by `python3 scripts/gen_args.py bench`: {n} arguments sampled from\n"
        "// Megatron-LM and slime (data/upstream/training_args.tsv). Do not edit.\n\n"
    )
    return header + struct_source(n, "bench", docs=False, name=f"Args{n}")


def main(argv):
    if len(argv) >= 2 and argv[1] == "bench":
        n = int(argv[2]) if len(argv) > 2 else 1000
        sys.stdout.write(bench_source(n))
        return 0
    if len(argv) >= 3 and argv[1] in VARIANTS:
        sys.stdout.write(struct_source(int(argv[2]), argv[1]))
        return 0
    sys.stderr.write(__doc__)
    sys.stderr.write(f"usage: gen_args.py bench [N] | gen_args.py {{{'|'.join(VARIANTS)}}} N\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
