"""Tests of scripts/check_rust_version.py on small metadata of its own."""
import unittest

import check_rust_version as crv


def package(name, version, rust_version):
    return {"id": f"{name} {version}", "name": name, "version": version, "rust_version": rust_version}


def dep(target, kind=None):
    return {"pkg": target, "dep_kinds": [{"kind": kind}]}


def meta(extra_kind=None):
    packages = [
        package("megatron-args", "0.1.0", "1.88"),
        package("megatron-args-derive", "0.1.0", "1.88"),
        package("annotate-snippets", "0.12.18", "1.88.0"),
        package("criterion", "0.8.0", "1.90"),
        package("newer", "1.0.0", "1.91"),
    ]
    nodes = [
        {"id": "megatron-args 0.1.0", "deps": [dep("annotate-snippets 0.12.18"), dep("criterion 0.8.0", "dev")]},
        {"id": "megatron-args-derive 0.1.0", "deps": []},
        {"id": "annotate-snippets 0.12.18", "deps": [dep("newer 1.0.0", extra_kind)] if extra_kind != "none" else []},
        {"id": "criterion 0.8.0", "deps": []},
        {"id": "newer 1.0.0", "deps": []},
    ]
    return {
        "packages": packages,
        "workspace_members": ["megatron-args 0.1.0", "megatron-args-derive 0.1.0"],
        "resolve": {"nodes": nodes},
    }


class TooNew(unittest.TestCase):
    def test_versions_compare_with_or_without_patch(self):
        self.assertEqual(crv.version_key("1.88"), crv.version_key("1.88.0"))
        self.assertLess(crv.version_key("1.88"), crv.version_key("1.88.1"))

    def test_dev_dependencies_do_not_count(self):
        declared, found = crv.too_new(meta("none"))
        self.assertEqual(declared, "1.88")
        self.assertEqual(found, [])

    def test_a_transitive_normal_or_build_dependency_counts(self):
        for kind in (None, "build"):
            _, found = crv.too_new(meta(kind))
            self.assertEqual([f[0] for f in found], ["newer"])
            self.assertIn("megatron-args -> annotate-snippets -> newer", found[0][3])


if __name__ == "__main__":
    unittest.main()
