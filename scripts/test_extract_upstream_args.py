"""Tests of scripts/extract_upstream_args.py on small checkouts written here
(no upstream code): `python3 -m unittest discover -s scripts -p 'test_*.py'`."""

import os
import sys
import tempfile
import textwrap
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import extract_upstream_args as extract  # noqa: E402

ARGUMENTS = """
import argparse
import os

from megatron.core.transformer import TransformerConfig
from megatron.training.argument_utils import ArgumentGroupFactory


def _add_network_size_args(parser):
    exclude = ["callback", "excluded_int"]
    factory = ArgumentGroupFactory(TransformerConfig, exclude=exclude)
    factory.build_group(parser, "transformer configuration")

    group = parser.add_argument_group(title='network size')
    group.add_argument('--num-layers', type=int, default=None, help='Layers.')
    group.add_argument('--disable-bias-linear', action='store_false', dest='add_bias_linear')
    group.add_argument('--rope-scaling', nargs='+', type=float, default=[1.0, 2.0])
    group.add_argument('--freq', type=freq_type, default=1)
    group.add_argument('--world', type=int, default=int(os.getenv('WORLD_SIZE', '1')))
    group.add_argument('--mode', choices=['a', 'b'], default='a')
    group.add_argument('--tensor-model-parallel-size', type=int, default=1)
    group.add_argument('--sizes', type=int, nargs=3)
    group.add_argument('--maybe', action=argparse.BooleanOptionalAction, default=False)
    group.add_argument('--path', type=Path)
    for name in ['x', 'y']:
        group.add_argument(f'--loop-{name}')
    return parser


def _add_logging_args(parser):
    from megatron.training.config import LoggerConfig
    group = ArgumentGroupFactory(LoggerConfig).build_group(parser, title="logging")
    group.add_argument('--log-extra', action='store_true')
    other = parser.add_argument_group('opentelemetry')
    exclusive = other.add_mutually_exclusive_group()
    exclusive.add_argument('--otel-a', type=str, default='x')
    return parser
"""

MODEL_PARALLEL = """
from dataclasses import dataclass


@dataclass
class ModelParallelConfig:
    tensor_model_parallel_size: int = 1
    \"\"\"Tensor parallel size.\"\"\"
    sequence_parallel: bool = False
"""

TRANSFORMER = """
from dataclasses import dataclass, field
from typing import Callable, ClassVar, List, Literal, Optional

from ..model_parallel_config import ModelParallelConfig
from .enums import AttnBackend


@dataclass
class TransformerConfig(ModelParallelConfig):
    KIND: ClassVar[str] = "t"
    hidden_size: int = 0
    ffn_hidden_size: Optional[int] = None
    add_bias_linear: bool = field(default=True, metadata={"argparse_meta": {"arg_names": ["--disable-bias-linear"]}})
    persist: bool = True
    tri_state: Optional[bool] = None
    attention_backend: AttnBackend = AttnBackend.auto
    backend_names: Optional[str] = field(
        default=None, metadata={"argparse_meta": {"type": str, "choices": [b.name for b in AttnBackend]}})
    fusion_impl: Literal["native", "te"] = "native"
    layers: list[int] = field(default_factory=list)
    names: List[str] = field(default_factory=lambda: ["a"])
    epsilon: float = 1e-5
    size: int = 1024 * 1024
    derived: int = field(init=False, default=0)
    callback: Optional[Callable] = None
    excluded_int: int = 3
    either: int | str = field(default=1, metadata={"argparse_meta": {"type": int}})
    dtype: "torch.dtype" = None
"""

ENUMS = """
import enum


class AttnBackend(enum.Enum):
    flash = 1
    fused = 2
    auto = 3
    also_auto = 3
"""

LOGGER = """
from dataclasses import dataclass


@dataclass
class LoggerConfig:
    log_interval: int = 100
    log_timers: bool = False
"""

SLIME = """
def reset_arg(parser, name, **kwargs):
    parser.add_argument(name, **kwargs)


def get_slime_extra_args_provider():
    def add_slime_arguments(parser):
        def add_cluster_arguments(parser):
            parser.add_argument("--actor-num-nodes", type=int, default=1)
            parser.add_argument("--offload-train", action=argparse.BooleanOptionalAction)
            reset_arg(parser, "--distributed-backend", type=str, default="nccl")
            return parser

        def add_rollout_arguments(parser):
            parser.add_argument("--rollout-stop", type=str, nargs="+", default=None)
            parser.add_argument("--hook", action="append", default=[])
            parser.add_argument("--buffer", type=int, default=512 * 1024**2)
            return parser

        parser = add_cluster_arguments(parser)
        parser = add_rollout_arguments(parser)
        reset_arg(parser, "--padded-vocab-size", type=int, default=None)
        return parser

    return add_slime_arguments


def _pre_parse_mode():
    temp_parser = argparse.ArgumentParser()
    temp_parser.add_argument("--train-backend", type=str, choices=["megatron"], default="megatron")
"""


def write(root, files):
    for path, text in files.items():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write(textwrap.dedent(text))


def megatron_files(arguments=ARGUMENTS, transformer=TRANSFORMER):
    return {
        "megatron/__init__.py": "",
        "megatron/training/arguments.py": arguments,
        "megatron/training/config/__init__.py": "from .logger_config import LoggerConfig\n",
        "megatron/training/config/logger_config.py": LOGGER,
        "megatron/core/__init__.py": "",
        "megatron/core/model_parallel_config.py": MODEL_PARALLEL,
        "megatron/core/transformer/__init__.py": "from .transformer_config import TransformerConfig\n",
        "megatron/core/transformer/transformer_config.py": transformer,
        "megatron/core/transformer/enums.py": ENUMS,
    }


class Tables(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def checkout(self, name, files):
        root = os.path.join(self.tmp.name, name)
        write(root, files)
        return root

    def table(self, megatron, slime=None, out="table.tsv"):
        """Runs the script's main; returns (rows by (name, flag), rows in order, stderr notes)."""
        slime = slime or self.checkout("slime", {"slime/utils/arguments.py": SLIME})
        out = os.path.join(self.tmp.name, out)
        argv = ["extract_upstream_args.py"]
        for spec in megatron:
            argv += ["--megatron", spec]
        argv += ["--slime", f"slime={slime}", "--out", out, "--quiet"]
        stderr = sys.stderr
        sys.stderr = open(os.devnull, "w")
        try:
            status = extract.main(argv)
        finally:
            sys.stderr.close()
            sys.stderr = stderr
        self.assertEqual(status, 0)
        with open(out, encoding="utf-8") as f:
            lines = f.read().splitlines()
        self.assertEqual(lines[0].split("\t"), extract.COLUMNS)
        rows = [dict(zip(extract.COLUMNS, line.split("\t"))) for line in lines[1:]]
        return {(r["name"], r["flag"]): r for r in rows}, rows

    def one(self, rows, name):
        found = [r for (n, _), r in rows.items() if n == name]
        self.assertEqual(len(found), 1, f"{name}: {found}")
        return found[0]

    def test_literal_add_argument_calls_give_the_tables_columns(self):
        rows, _ = self.table([f"main={self.checkout('main', megatron_files())}"])
        row = self.one(rows, "num_layers")
        self.assertEqual((row["flag"], row["source"], row["group"], row["kind"], row["type"], row["default"]),
                         ("--num-layers", "megatron", "network size", "store", "int", "None"))
        self.assertEqual(self.one(rows, "add_bias_linear")["default"], "True",
                         "the dataclass row comes first and keeps its own default")
        flags = {r["flag"] for (n, _), r in rows.items() if n == "add_bias_linear"}
        self.assertEqual(flags, {"--disable-bias-linear"}, "one flag, one row")
        scaling = self.one(rows, "rope_scaling")
        self.assertEqual((scaling["type"], scaling["nargs"], scaling["default"]), ("list[float]", "+", "[1.0, 2.0]"))
        self.assertEqual(self.one(rows, "freq")["type"], "unknown", "a converter of upstream's own")
        self.assertEqual(self.one(rows, "world")["default"], "expr:int(os.getenv('WORLD_SIZE', '1'))")
        mode = self.one(rows, "mode")
        self.assertEqual((mode["type"], mode["choices"], mode["default"]), ("str", "a|b", "'a'"))
        self.assertEqual(self.one(rows, "sizes")["type"], "list[int]")
        self.assertEqual(self.one(rows, "sizes")["nargs"], "3")
        maybe = self.one(rows, "maybe")
        self.assertEqual((maybe["kind"], maybe["type"], maybe["default"]), ("other", "bool", "False"))
        self.assertEqual(self.one(rows, "path")["type"], "path")
        self.assertFalse([n for n, _ in rows if n.startswith("loop")], "non-literal option strings are left out")
        self.assertEqual(self.one(rows, "log_extra")["group"], "logging", "build_group returns the group")
        self.assertEqual(self.one(rows, "otel_a")["group"], "opentelemetry", "a mutually exclusive group's title")
        self.assertEqual(self.one(rows, "log_extra")["default"], "", "no default: argparse's implicit one")

    def test_dataclass_groups_follow_argument_group_factory(self):
        rows, _ = self.table([f"main={self.checkout('main', megatron_files())}"])
        group = {n: r for (n, _), r in rows.items() if r["group"] == "transformer configuration"}
        self.assertNotIn("KIND", group, "ClassVar is not a field")
        self.assertNotIn("derived", group, "init=False")
        self.assertNotIn("callback", group, "excluded through a variable")
        self.assertNotIn("excluded_int", group)
        self.assertIn("tensor_model_parallel_size", group, "the base class's fields")
        self.assertEqual(group["tensor_model_parallel_size"]["role_class"], "topology")
        self.assertEqual(group["hidden_size"]["flag"], "--hidden-size")
        self.assertEqual((group["ffn_hidden_size"]["type"], group["ffn_hidden_size"]["default"]), ("int", "None"))
        persist = group["persist"]
        self.assertEqual((persist["flag"], persist["kind"], persist["default"]), ("--no-persist", "store_false", "True"))
        tri = group["tri_state"]
        self.assertEqual((tri["flag"], tri["kind"], tri["default"]), ("--no-tri-state", "store_false", "None"),
                         "a bool whose default is not False")
        self.assertEqual(group["sequence_parallel"]["kind"], "store_true")
        backend = group["attention_backend"]
        self.assertEqual((backend["type"], backend["choices"], backend["default"]),
                         ("str", "flash|fused|auto", "expr:AttnBackend.auto"), "an alias is not a member")
        self.assertEqual(group["backend_names"]["choices"], "flash|fused|auto", "argparse_meta's comprehension")
        fusion = group["fusion_impl"]
        self.assertEqual((fusion["type"], fusion["choices"]), ("str", "native|te"))
        self.assertEqual((group["layers"]["type"], group["layers"]["nargs"], group["layers"]["default"]),
                         ("list[int]", "+", "[]"))
        self.assertEqual(group["names"]["default"], "['a']", "default_factory's lambda")
        self.assertEqual(group["epsilon"]["default"], "1e-05")
        self.assertEqual(group["size"]["default"], "expr:1024 * 1024")
        self.assertEqual(group["either"]["type"], "int", "argparse_meta where inference fails")
        self.assertEqual(group["dtype"]["type"], "unknown")
        self.assertEqual(self.one(rows, "add_bias_linear")["group"], "transformer configuration")
        self.assertEqual(self.one(rows, "log_interval")["group"], "logging", "found through a package's import")

    def test_slime_calls_are_grouped_by_their_helper(self):
        rows, _ = self.table([f"main={self.checkout('main', megatron_files())}"])
        slime = {n: r for (n, _), r in rows.items() if r["source"] == "slime"}
        self.assertEqual(slime["actor_num_nodes"]["group"], "cluster")
        self.assertEqual(slime["actor_num_nodes"]["role_class"], "placement")
        self.assertEqual((slime["offload_train"]["kind"], slime["offload_train"]["default"]), ("other", ""))
        self.assertEqual(slime["distributed_backend"]["default"], "'nccl'", "reset_arg")
        self.assertEqual(slime["padded_vocab_size"]["group"], "slime")
        self.assertEqual(slime["train_backend"]["group"], "pre_parse_mode")
        self.assertEqual((slime["hook"]["kind"], slime["hook"]["type"]), ("append", "list[str]"))
        self.assertEqual(slime["rollout_stop"]["type"], "list[str]")
        self.assertEqual(slime["buffer"]["default"], "expr:512 * 1024**2")
        self.assertNotIn("name", slime, "reset_arg's own body is not a call site")

    def test_rows_are_sorted_by_source_group_and_name(self):
        _, ordered = self.table([f"main={self.checkout('main', megatron_files())}"])
        keys = [(r["source"].encode(), r["group"].encode(), r["name"].encode()) for r in ordered]
        self.assertEqual(keys, sorted(keys))
        self.assertEqual({r["defined_in"] for r in ordered if r["source"] == "megatron"}, {"main"})

    def test_the_first_megatron_checkout_wins_and_every_agreeing_one_is_named(self):
        image = ARGUMENTS.replace("'--num-layers', type=int, default=None", "'--num-layers', type=int, default=2")
        image = image.replace("    group.add_argument('--mode', choices=['a', 'b'], default='a')\n",
                              "    group.add_argument('--mode', choices=['a', 'b'], default='a')\n"
                              "    group.add_argument('--image-only', action='store_true')\n"
                              "    group.add_argument('--freq-one', type=int, dest='freq')\n"
                              "    group.add_argument('--path', type=str, dest='image_path')\n")
        image = image.replace("    group.add_argument('--path', type=Path)\n", "")
        rows, _ = self.table([f"image={self.checkout('image', megatron_files(arguments=image))}",
                              f"main={self.checkout('main', megatron_files())}"])
        self.assertEqual(rows[("num_layers", "--num-layers")]["default"], "2", "the image's definition")
        self.assertEqual(rows[("num_layers", "--num-layers")]["defined_in"], "image")
        self.assertEqual(rows[("hidden_size", "--hidden-size")]["defined_in"], "image,main")
        self.assertEqual(rows[("image_only", "--image-only")]["defined_in"], "image")
        self.assertEqual(rows[("freq", "--freq-one")]["defined_in"], "image", "another flag of one name is kept")
        self.assertEqual(rows[("freq", "--freq")]["defined_in"], "image,main")
        self.assertEqual(rows[("image_path", "--path")]["defined_in"], "image")
        self.assertNotIn(("path", "--path"), rows, "main's row for a flag the image gives another name")

    def test_a_dataclass_field_without_a_default_is_an_error(self):
        broken = TRANSFORMER.replace("    hidden_size: int = 0\n", "    hidden_size: int\n")
        root = self.checkout("main", megatron_files(transformer=broken))
        slime = self.checkout("slime", {"slime/utils/arguments.py": SLIME})
        stderr = sys.stderr
        sys.stderr = open(os.devnull, "w")
        try:
            status = extract.main(["x", "--megatron", root, "--slime", slime, "--out",
                                   os.path.join(self.tmp.name, "t.tsv")])
        finally:
            sys.stderr.close()
            sys.stderr = stderr
        self.assertEqual(status, 2)


if __name__ == "__main__":
    unittest.main()
