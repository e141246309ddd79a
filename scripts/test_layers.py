"""scripts/layers.py on small crates of its own: it fails on a circle made on
purpose and on a long file, and passes a layered tree."""
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "layers.py")


def run(tree):
    with tempfile.TemporaryDirectory() as root:
        for rel, text in tree.items():
            path = os.path.join(root, "megatron-args", "src", rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        done = subprocess.run([sys.executable, SCRIPT, root], capture_output=True, text=True)
        return done.returncode, done.stdout


LAYERED = {
    "lib.rs": "mod model;\nmod reading;\n",
    "model/mod.rs": "pub(crate) mod value;\npub(crate) mod args;\n",
    "model/value.rs": "pub struct Value;\n",
    "model/args.rs": "use crate::model::value::Value;\n",
    "reading/mod.rs": "mod config;\n",
    "reading/config.rs": "use crate::model::{args, value::Value};\nfn f() { crate::model::args::g(); }\n",
}


class Layers(unittest.TestCase):
    def test_a_layered_tree_passes(self):
        code, out = run(LAYERED)
        self.assertEqual(code, 0, out)
        self.assertIn("0 circles", out)

    def test_a_circle_made_on_purpose_fails(self):
        tree = dict(LAYERED)
        # The lower file reaches up, inline, to the file that imports it.
        tree["model/value.rs"] = "pub struct Value;\nfn up() { crate::model::args::g(); }\n"
        code, out = run(tree)
        self.assertEqual(code, 1, out)
        self.assertIn("circle: model/args.rs, model/value.rs", out)

    def test_a_circle_through_super_and_a_use_group_fails(self):
        tree = dict(LAYERED)
        tree["model/value.rs"] = "use super::{args::Args, value};\n"
        code, out = run(tree)
        self.assertEqual(code, 1, out)
        self.assertIn("circle: model/args.rs, model/value.rs", out)

    def test_unit_tests_may_reach_anywhere(self):
        tree = dict(LAYERED)
        tree["model/value.rs"] = "pub struct Value;\n#[cfg(test)]\nmod tests {\n    use crate::model::args;\n}\n"
        code, out = run(tree)
        self.assertEqual(code, 0, out)

    def test_a_long_file_fails(self):
        tree = dict(LAYERED)
        tree["model/value.rs"] = "pub struct Value;\n" + "// line\n" * 1000
        code, out = run(tree)
        self.assertEqual(code, 1, out)
        self.assertIn("over 1,000 lines: megatron-args/src/model/value.rs (1001)", out)


if __name__ == "__main__":
    unittest.main()
