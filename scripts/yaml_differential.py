#!/usr/bin/env python3
"""Differential test: role-config files read by slime and by the example trainer.

slime reads `--megatron-config-path` with PyYAML's `yaml.safe_load` (YAML 1.1)
and applies each role's overrides with `parse_megatron_role_args` and
`_apply_megatron_role_overrides` (slime/utils/arguments.py); `slime_roles`
below is a model of those two functions. The example trainer
(`examples/ppo_train.rs`) reads the same file with this crate's loader. This
script generates a corpus (YAML 1.1 literals in every field type and style,
whole-file oddities, seeded mutations of valid files), feeds every file to
both, and sorts each file into one kind:

  slime-refuses-we-accept   slime's reader fails and the trainer loads it      (FAIL)
  we-refuse-slime-reads     the trainer refuses a file slime reads             (reported)
  different-values          both load it, some argument differs               (FAIL)
  deliberate                a difference SPEC 2.9 / 3.6 / 4.2 / 4.7 chooses on purpose
  agreement                 both refuse, or both load it to the same values

SPEC 4.7's differences: the trainer derives values per role after the
overrides (`eps_clip_high` from a role's own `eps_clip`), where slime keeps
the value it derived once from the command line (stale for that role); and it
refuses a file whose overrides break a relation between arguments (a
cross-field check), which slime never re-checks after the overrides. Both are
deliberate: a derived value is recognised by its provenance in the trainer's
text output (`derived from ...`), a broken relation by its report.

It exits 1 when a file of a FAIL kind exists (unless --no-fail). Field names
and types come from the trainer itself (`--print-schema`, and `--format json`
without a file for the baseline), so the script follows the trainer's
argument surface as it changes.

  python3 scripts/yaml_differential.py [--seed 11] [--mutations 2000] [--jobs 2]
"""

import argparse
import collections
import concurrent.futures
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# `--advantage-estimator ppo` and `--use-critic` make the critic active in the
# trainer as in slime (SPEC 6.2).
TRAINER_FLAGS = ["--advantage-estimator", "ppo", "--use-critic"]
ROLES = ["actor", "critic"]


def ensure_pyyaml():
    """PyYAML: installed here if missing (pip, else Debian's python3-yaml)."""
    try:
        import yaml  # noqa: F401
        return
    except ImportError:
        pass
    attempts = [
        [sys.executable, "-m", "pip", "install", "--quiet", "pyyaml"],
        [sys.executable, "-m", "pip", "install", "--quiet", "--break-system-packages", "pyyaml"],
        ["sh", "-c", "apt-get update -qq && apt-get install -y -qq python3-yaml"],
    ]
    for command in attempts:
        if subprocess.run(command, check=False).returncode == 0:
            try:
                import yaml  # noqa: F401
                return
            except ImportError:
                continue
    sys.exit("error: cannot install PyYAML (pip install pyyaml, or apt-get install python3-yaml)")


# ---------------------------------------------------------------- slime's side

class SlimeRefuses(Exception):
    """slime's loading raised: the file does not load there."""


def slime_roles(path, base):
    """The role arguments slime computes for `path`: a model of
    `parse_megatron_role_args` + `_apply_megatron_role_overrides`.

    Returns ({role: {arg: value}}, {role: {key: raw yaml value}}); raises
    SlimeRefuses where slime would raise."""
    import yaml
    try:
        with open(path, encoding="utf-8") as f:
            raw_config = yaml.safe_load(f) or {}
        roles, raws = {}, {}
        for role in ROLES:
            assert "megatron" in raw_config
            entries = raw_config["megatron"]
            assert isinstance(entries, list)
            role_entries = [entry for entry in entries if entry.get("role") == role]
            assert len(role_entries) <= 1
            overrides = {}
            if role_entries:
                entry = role_entries[0]
                overrides = entry.get("overrides") or entry.get("args") or {}
            role_args = dict(base)
            for key, value in overrides.items():
                if key in {"num_nodes", "num_gpus_per_node"}:
                    continue
                if key in role_args:
                    original = role_args[key]
                    if original is not None and isinstance(value, str) and isinstance(original, (int, float)):
                        try:
                            value = type(original)(value)
                        except (ValueError, TypeError):
                            pass
                role_args[key] = value
            if role == "critic":
                role_args["kl_coef"] = 0
                role_args["use_opd"] = False
                role_args["custom_advantage_function_path"] = None
                role_args["untie_embeddings_and_output_weights"] = True
                if "disable_param_buffers_cpu_backup" not in overrides:
                    role_args["disable_param_buffers_cpu_backup"] = False
            roles[role] = role_args
            raws[role] = dict(overrides)
        return roles, raws
    except Exception as e:  # slime would stop with this exception
        raise SlimeRefuses(f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}") from e


# ---------------------------------------------------------------- our side

def derived_fields(binary, path):
    """{role: {argument}} whose value the trainer derived for the role (its
    text output, SPEC 6.4, shows them with `derived from ...`)."""
    proc = subprocess.run(
        [binary, *TRAINER_FLAGS, "--megatron-config-path", path],
        capture_output=True, text=True, errors="replace", timeout=60, check=False,
    )
    derived, role = {}, None
    for line in proc.stdout.splitlines():
        heading = re.match(r"^(\w+): ", line)
        if heading:
            role = heading.group(1)
            continue
        row = re.match(r"^  (\w+)\s+= .*\(derived from [^)]*\)$", line)
        if row and role:
            derived.setdefault(role, set()).add(row.group(1))
    return derived


# A relation between arguments that a role's overrides break (SPEC 4.7): the
# trainer's report ends with the roles, `(role `actor`)`.
RELATION_REPORT = re.compile(r"^error: .* \(roles? `[^`]+`(, `[^`]+`)*\)$")


def run_trainer(binary, path):
    """(status, roles or first error line)."""
    proc = subprocess.run(
        [binary, *TRAINER_FLAGS, "--megatron-config-path", path, "--format", "json"],
        capture_output=True, text=True, errors="replace", timeout=60, check=False,
    )
    if proc.returncode == 0:
        return "ok", json.loads(proc.stdout)["roles"]
    if proc.returncode == 2:
        first = next((line for line in proc.stderr.splitlines() if line.startswith("error")), proc.stderr[:200])
        return "refused", first
    return "crashed", f"exit {proc.returncode}: {proc.stderr[-500:]}"


def schema_fields(binary):
    """{name: kind} of every key the file may set; kind in float, int, bool,
    string, enum, list, placement, shared (optional ones get `?`)."""
    out = subprocess.run([binary, "--print-schema"], capture_output=True, text=True, check=True).stdout
    props = json.loads(out)["$defs"]["overrides"]["properties"]
    fields = {}
    for name, prop in props.items():
        fields[name] = classify(prop)
    return fields


def classify(prop):
    if prop.get("deprecated"):
        return "placement"
    if prop.get("not") == {}:
        return "shared"
    types, optional = set(), False

    def walk(p):
        nonlocal optional
        for alt in p.get("anyOf", []):
            walk(alt)
        t = p.get("type")
        if t == "null":
            optional = True
        elif t == "number":
            types.add("float")
        elif t == "integer":
            types.add("int")
        elif t == "boolean":
            types.add("bool")
        elif t == "array":
            types.add("list")
        elif t == "string" and "pattern" not in p:
            types.add("string")
        if "enum" in p and "bool" not in types and t != "boolean":
            types.add("enum")

    walk(prop)
    for kind in ["list", "bool", "float", "int", "enum", "string"]:
        if kind in types:
            if kind == "enum" and "bool" in types:
                continue
            return kind + ("?" if optional else "")
    return "other"


def baseline(binary):
    proc = subprocess.run([binary, *TRAINER_FLAGS, "--format", "json"], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)["roles"]["actor"]


# ---------------------------------------------------------------- the corpus

INT_LITERALS = ["8", "010", "0o10", "0b101", "0x1F", "0x_1F", "0X1F", "1_000", "1__0", "+8", "-0", "08", "019",
                "1:30", "190:20:30", "0", "-1", "5000000000", "99999999999999999999999", "1e3", "8.0", "0xg"]
FLOAT_LITERALS = ["1e-5", "1.0e-5", "1E-5", "1.0E+5", "1e5", "1.0e5", ".5", "-.5", "+.5", "1.", "0.", "1_0.5",
                  "1:30.5", ".inf", "-.inf", "+.inf", ".nan", ".NaN", ".Inf", "6.8523015e+5", "685.230_15e+03",
                  "1", "-0.0", "1.5e", "inf", "nan", "1e400", "0.1", "3.0"]
BOOL_LITERALS = ["true", "True", "TRUE", "false", "False", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON",
                 "off", "Off", "OFF", "y", "n", "Y", "tRue", "1", "0"]
NULL_LITERALS = ["~", "null", "Null", "NULL", "", "nUll"]
STRING_LITERALS = ["/ckpt/a", "/ckpt/a b", "a#b", "a #b", "é/ü", "x\\y", "-x", "?x", ":x", "x:", "a: b", "@x",
                   "`x", "%x", "!x", "&x", "*x", "|x", ">x", "'x", "\"x", "[x]", "{x}", "x,y", "=", "<<"]
ENUM_EXTRA = ["wsd", "Cosine", "ON", "no"]
ALL_LITERALS = INT_LITERALS + FLOAT_LITERALS + BOOL_LITERALS + NULL_LITERALS + STRING_LITERALS

TAGS = ["!!str", "!!int", "!!float", "!!bool", "!!null", "!<tag:yaml.org,2002:str>", "!<tag:yaml.org,2002:int>",
        "!custom", "!!binary", "!!timestamp", "!!map"]


def double_quoted(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def single_quoted(text):
    return "'" + text.replace("'", "''") + "'"


def styled(text, style):
    """`text` as the YAML source of a value in `style` (for `key: VALUE`)."""
    if style == "plain":
        return text
    if style == "single":
        return single_quoted(text)
    if style == "double":
        return double_quoted(text)
    if style.startswith("tag:"):
        return f"{style[4:]} {text}" if text else style[4:]
    if style.startswith("qtag:"):
        return f"{style[5:]} {double_quoted(text)}"
    if style in ("|", "|-", "|+", ">", ">-"):
        return style + "\n" + "".join(f"        {line}\n" for line in text.split("\n"))[:-1]
    if style == "flow-seq":
        return f"[{text}]"
    raise ValueError(style)


def file_with(key, value_src, role="actor", layout="block"):
    other = "critic" if role == "actor" else "actor"
    if layout == "flow":
        return (f"megatron: [{{name: default, role: {role}, overrides: {{{key}: {value_src}}}}},"
                f" {{role: {other}, overrides: {{lr: 1e-5}}}}]\n")
    return (f"megatron:\n  - name: default\n    role: {role}\n    overrides:\n      {key}: {value_src}\n"
            f"  - name: default\n    role: {other}\n    overrides:\n      lr: 1e-5\n")


VALID_FILES = [
    "megatron:\n  - name: default\n    role: actor\n    overrides:\n      lr: 1e-6\n      save: /ckpt/actor\n"
    "  - name: default\n    role: critic\n    overrides:\n      lr: 1e-5\n      save: /ckpt/critic\n",
    "# comment\nmegatron:\n- role: actor\n  args:\n    micro_batch_size: 2  # two\n    lr_decay_style: cosine\n"
    "- role: critic\n  overrides:\n    lr: \"1e-5\"\n    min_lr: 0.0\n",
    "megatron: [{role: actor, overrides: {lr: 2e-6, seed: 7}}, {role: critic, overrides: {save: '/ckpt/c'}}]\n",
    "common: &common\n  lr: 1e-5\n  micro_batch_size: 4\nmegatron:\n  - role: actor\n    overrides:\n"
    "      <<: *common\n      save: /a\n  - role: critic\n    overrides: *common\n",
    "megatron:\n  - role: actor\n    overrides:\n      save: |\n        /ckpt/a\n      load: >-\n        /ckpt/b\n"
    "  - role: critic\n    overrides:\n      use_kl_loss: yes\n      global_batch_size: ~\n",
    "{\"megatron\": [{\"role\": \"actor\", \"overrides\": {\"lr\": 1e-06, \"seed\": 3}},"
    " {\"role\": \"critic\", \"args\": {\"save\": \"/c\"}}]}\n",
    "%YAML 1.1\n---\nmegatron:\n  - role: actor\n    overrides: {lr: 1.0e-6, eps_clip: 0.28}\n...\n",
]

MUTATION_PIECES = [":", ": ", "-", "- ", " ", "  ", "\t", "#", " #", "&a ", "*a", "&a.b ", "!", "!!str ", "!!int ",
                   "|", ">", "'", '"', "{", "}", "[", "]", ",", "?", "? ", "%", "@", "`", "\n", "\r\n", "\r",
                   "0", "010", "_", ".", "e", "x", "\x85", "\u2028", "\u2029", "\x7f", "\x01", "\ufeff", "\\",
                   "<<: ", "~", "yes", "1:2", "---\n", "...\n", "%YAML 1.1\n", "%YAML 2.0\n", "é"]


def mutate(rng, text):
    ops = rng.randint(1, 3)
    for _ in range(ops):
        op = rng.randrange(8)
        lines = text.split("\n")
        if op == 0 or not text:
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(MUTATION_PIECES) + text[at:]
        elif op == 1:
            at = rng.randrange(len(text))
            text = text[:at] + text[at + rng.randint(1, 3):]
        elif op == 2:
            at = rng.randrange(len(text))
            text = text[:at] + rng.choice(MUTATION_PIECES) + text[at + 1:]
        elif op == 3 and len(lines) > 1:
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
            text = "\n".join(lines)
        elif op == 4 and len(lines) > 1:
            del lines[rng.randrange(len(lines))]
            text = "\n".join(lines)
        elif op == 5:
            i = rng.randrange(len(lines))
            lines[i] = rng.choice(["", " ", "  ", "\t", "   "]) + lines[i].lstrip(" ") if rng.random() < 0.5 \
                else lines[i][rng.randint(1, 2):]
            text = "\n".join(lines)
        elif op == 6:
            # A value replaced by a literal in some style.
            candidates = [i for i, line in enumerate(lines) if ": " in line]
            if candidates:
                i = rng.choice(candidates)
                head = lines[i].split(": ", 1)[0]
                style = rng.choice(["plain", "plain", "plain", "single", "double", "tag:!!int", "tag:!!str",
                                    "tag:!!float", "tag:!!bool"])
                value = styled(rng.choice(ALL_LITERALS), style)
                lines[i] = f"{head}: {value}"
                text = "\n".join(lines)
        else:
            text = text.rstrip("\n") if text.endswith("\n") else text + "\n"
    return text


def oddities():
    """Whole-file oddities: encodings of line ends, directives, documents,
    anchors, merge keys, control and break characters, tabs."""
    base = VALID_FILES[0]
    files = {
        "empty": "",
        "only-comment": "# nothing\n",
        "bom": "\ufeff" + base,
        "crlf": base.replace("\n", "\r\n"),
        "lone-cr": base.replace("\n", "\r"),
        "no-final-newline": base.rstrip("\n"),
        "block-literal-at-eof": "megatron:\n  - role: actor\n    overrides:\n      save: |\n        /ckpt/a",
        "block-keep-at-eof": "megatron:\n  - role: actor\n    overrides:\n      save: |+\n        /ckpt/a",
        "block-folded-at-eof": "megatron:\n  - role: actor\n    overrides:\n      save: >\n        /ckpt/a\n        b",
        "block-spaces-at-eof": "megatron:\n  - role: actor\n    overrides:\n      save: |\n        /ckpt/a\n        ",
        "block-more-spaces-at-eof": "megatron:\n  - role: actor\n    overrides:\n      save: |\n        /a\n          ",
        "block-comment-at-eof": "megatron:\n  - role: actor\n    overrides:\n      save: |\n        /ckpt/a\n# end",
        "block-strip-at-eof": "megatron:\n  - role: actor\n    overrides:\n      save: |-\n        /ckpt/a",
        "yaml-1.1": "%YAML 1.1\n---\n" + base,
        "yaml-1.2": "%YAML 1.2\n---\n" + base,
        "yaml-2.0": "%YAML 2.0\n---\n" + base,
        "tag-directive": "%TAG !e! tag:example.com,2000:\n---\n" + base,
        "document-markers": "---\n" + base + "...\n",
        "two-documents": base + "---\n" + base,
        "merge-key": VALID_FILES[3],
        "merge-own-key-wins": "c: &c {lr: 1e-5, seed: 3}\nmegatron:\n  - role: actor\n    overrides:\n"
                              "      <<: *c\n      lr: 2e-5\n",
        "merge-own-key-first": "c: &c {lr: 1e-5, seed: 3}\nmegatron:\n  - role: actor\n    overrides:\n"
                               "      lr: 2e-5\n      <<: *c\n",
        "merge-list": "a: &a {lr: 1e-5}\nb: &b {lr: 3e-5, seed: 4}\nmegatron:\n  - role: actor\n"
                      "    overrides:\n      <<: [*a, *b]\n",
        "merge-into-entry": "e: &e {role: actor}\nmegatron:\n  - <<: *e\n    overrides: {lr: 1e-5}\n",
        "merge-not-a-map": "megatron:\n  - role: actor\n    overrides:\n      <<: 3\n",
        "anchor-twice": "megatron:\n  - role: actor\n    overrides:\n      lr: &x 1e-5\n      min_lr: &x 0.0\n",
        "anchor-dot": "megatron:\n  - role: actor\n    overrides:\n      lr: &x.y 1e-5\n      min_lr: *x.y\n",
        "anchor-slash": "megatron:\n  - role: actor\n    overrides:\n      lr: &x/y 1e-5\n",
        "anchor-colon": "megatron:\n  - role: actor\n    overrides:\n      lr: &x:y 1e-5\n",
        "alias-entry": "a: &a {role: critic, overrides: {lr: 1e-5}}\nmegatron: [*a]\n",
        "tab-after-dash": "megatron:\n  -\trole: actor\n",
        "tab-before-comment": "megatron:\n  - role: actor\n    overrides:\n      lr: 1e-5\t# note\n",
        "tab-trailing": "megatron:\n  - role: actor\n    overrides:\n      lr: 1e-5\t\n",
        "tab-in-quotes": "megatron:\n  - role: actor\n    overrides:\n      save: \"/a\tb\"\n",
        "tab-in-comment": "megatron:\n  - role: actor  # a\tb\n",
        "tab-in-block": "megatron:\n  - role: actor\n    overrides:\n      save: |\n        \t/a\n",
        "tab-indent": "megatron:\n\t- role: actor\n",
        "del-in-path": "megatron:\n  - role: actor\n    overrides:\n      save: /ckpt/\x7fa\n",
        "bell-in-comment": "megatron:  # \x07\n  - role: actor\n",
        "c1-control": "megatron:\n  - role: actor\n    overrides:\n      save: /a\x9b\n",
        "nel-in-value": "megatron:\n  - role: actor\n    overrides:\n      save: /ckpt/a\x85\n",
        "ls-in-value": "megatron:\n  - role: actor\n    overrides:\n      save: /ckpt/a\u2028b\n",
        "ps-in-quotes": "megatron:\n  - role: actor\n    overrides:\n      save: \"/a\u2029b\"\n",
        "nel-as-break": "megatron:\n  - role: actor\x85    overrides: {lr: 1e-5}\n",
        "flow-question": "megatron:\n  - role: actor\n    overrides: {save: ?x}\n",
        "flow-question-seq": "megatron: [?x]\n",
        "flow-pipe": "megatron:\n  - role: actor\n    overrides: {save: |x}\n",
        "flow-colon": "megatron:\n  - role: actor\n    overrides: {save: :x}\n",
        "flow-dash": "megatron:\n  - role: actor\n    overrides: {save: -x}\n",
        "json-style": VALID_FILES[5],
        "explicit-key": "megatron:\n  - ? role\n    : actor\n",
        "complex-key": "megatron:\n  - role: actor\n    overrides:\n      [a]: 1\n",
        "duplicate-key": "megatron:\n  - role: actor\n    overrides:\n      lr: 1e-5\n      lr: 2e-5\n",
        "null-key": "megatron:\n  - role: actor\n    overrides:\n      ~: 1\n",
        "bool-key": "megatron:\n  - role: actor\n    overrides:\n      on: 1\n",
        "int-key": "megatron:\n  - role: actor\n    overrides:\n      010: 1\n",
        "role-yes": "megatron:\n  - role: yes\n",
        "overrides-list": "megatron:\n  - role: actor\n    overrides: []\n",
        "overrides-zero": "megatron:\n  - role: actor\n    overrides: 0\n",
        "unknown-role": "megatron:\n  - role: reward\n",
        "megatron-null": "megatron:\n",
        "megatron-empty": "megatron: []\n",
        "tagged-map": "megatron:\n  - !!map {role: actor}\n",
        "tagged-seq": "megatron: !!seq [{role: actor}]\n",
        "set-tag": "megatron:\n  - role: actor\n    overrides: !!set {lr}\n",
        "omap-tag": "megatron: !!omap [{a: {role: actor}}]\n",
        "binary-tag": "megatron:\n  - role: actor\n    overrides:\n      save: !!binary aGVsbG8=\n",
        "timestamp": "megatron:\n  - role: actor\n    overrides:\n      save: 2001-12-14\n",
        "deep": "megatron:\n  - role: actor\n    overrides: {lr: " + "[" * 70 + "]" * 70 + "}\n",
        "long-line": "megatron:\n  - role: actor\n    overrides:\n      save: /" + "a" * 5000 + "\n",
        "unicode-key": "megatron:\n  - role: actor\n    overrides:\n      lré: 1\n",
        "escape-in-double": "megatron:\n  - role: actor\n    overrides:\n      save: \"/a\\x41\\u00e9\\N\"\n",
        "escape-bad": "megatron:\n  - role: actor\n    overrides:\n      save: \"/a\\q\"\n",
        "multiline-plain": "megatron:\n  - role: actor\n    overrides:\n      save: /a\n        b\n",
        "multiline-double": "megatron:\n  - role: actor\n    overrides:\n      save: \"/a\n        b\"\n",
        "indentation-indicator": "megatron:\n  - role: actor\n    overrides:\n      save: |2\n          /a\n",
    }
    return files



def flow_indicator_neighbours():
    """A tag or an anchor written directly before a flow indicator (SPEC 2.8:
    `{save: !!str}` is an empty string to YAML 1.2, PyYAML refuses it), in
    flow mappings and sequences, as keys and values, at top level and nested;
    and the same with a space, which both read alike."""
    props = ["!!str", "!!int", "!!float", "!!bool", "!!null", "!custom", "!", "!<tag:yaml.org,2002:str>",
             "!<tag:yaml.org,2002:null>", "&x", "&x !!str", "!!str &x", "&x !custom"]
    entry = "megatron:\n  - role: critic\n    overrides:\n      lr: 1e-5\n  - role: actor\n    overrides:"
    layouts = {
        "map-end": entry + " {save: P}\n",
        "map-comma": entry + " {save: P, lr: 2e-5}\n",
        "map-comma-tight": entry + " {save: P,lr: 2e-5}\n",
        "map-space": entry + " {save: P }\n",
        "map-space-comma": entry + " {save: P , lr: 2e-5}\n",
        "map-break": entry + " {save: P\n    }\n",
        "map-key": entry + " {P: 1}\n",
        "map-key-space": entry + " {P : 1}\n",
        "map-explicit-key": entry + " {? P}\n",
        "seq-end": entry + "\n      save: [P]\n",
        "seq-comma": entry + "\n      save: [P, a]\n",
        "seq-last": entry + "\n      save: [a, P]\n",
        "seq-space": entry + "\n      save: [P ]\n",
        "seq-nested": entry + "\n      save: [[P]]\n",
        "seq-in-map": entry + " {save: [P]}\n",
        "map-in-seq": "megatron: [{role: actor, overrides: {save: P}}]\n",
        "role": "megatron: [{role: P}]\n",
        "top-map": "{megatron: [{role: actor}], x: P}\n",
        "top-seq-item": "megatron: [P]\n",
        "top-seq": "[P]\n",
    }
    files = {}
    for prop in props:
        for layout, text in layouts.items():
            files[f"flow-neighbour/{layout}/{prop}"] = text.replace("P", prop)
    # Before an opening bracket: PyYAML needs a space after a tag or anchor.
    files.update({
        "flow-neighbour/anchor-before-brace": entry + " &x{save: a}\n",
        "flow-neighbour/anchor-before-bracket": entry + " {save: &x[a]}\n",
        "flow-neighbour/anchor-before-bracket-top": "megatron: &x[{role: actor}]\n",
        "flow-neighbour/alias-before-bracket": "a: &x b\nmegatron: [{role: actor, overrides: {save: [*x[a]]}}]\n",
        "flow-neighbour/tag-before-brace": "megatron: [!!map{role: actor}]\n",
        "flow-neighbour/tag-before-bracket": entry + " {save: !!seq[a]}\n",
        "flow-neighbour/tag-handle": "%TAG !e! tag:yaml.org,2002:\n---\n" + entry + " {save: !e!str}\n",
        "flow-neighbour/tag-handle-space": "%TAG !e! tag:yaml.org,2002:\n---\n" + entry + " {save: !e!str }\n",
        "flow-neighbour/alias-end": "a: &x /ckpt/a\n" + entry + " {save: *x}\n",
        "flow-neighbour/alias-comma": "a: &x /ckpt/a\n" + entry + " {save: *x, lr: 2e-5}\n",
    })
    return files


def block_scalars_at_the_end():
    """Block scalars the file ends in (SPEC 2.8: a block scalar ends as the
    YAML spec says, also on the last line of a file), with each chomping and
    indentation indicator, empty or not, with blank lines, spaces, comments
    and line ends after; and the same scalar followed by another key."""
    heads = ["|", ">", "|-", ">-", "|+", ">+", "|1", "|2", ">1-", "|1+", "|2-", ">2+", "|-1", ">+2", "| # c",
             "|+ # c", ">-  "]
    tails = ["", "\n", "\n\n", "\n\n\n", " ", "\n ", "\n      ", "\n        ", "\n         ", "\n         \n",
             "\n\n        ", "\n# c", "\n# c\n", "\r\n", "\r\n\r\n", "\n        x", "\n        x\n",
             "\n        x\n\n", "\n        x\n        ", "\n        x\n\n        \n", "\n        x ",
             "\n         x\n", "\n        x\n\n\n", "\n        x\r\n\r\n", "\n        x\n ", "\n        x\n        y",
             "\n        x\n\n        y\n\n"]
    start = "megatron:\n  - role: critic\n    overrides:\n      lr: 1e-5\n  - role: actor\n    overrides:\n      save: "
    files = {}
    for head in heads:
        for tail in tails:
            files[f"eof-block/{head!r}/{tail!r}"] = start + head + tail
        files[f"eof-block/{head!r}/then-key"] = start + head + "\n      load: /x\n"
        files[f"eof-block/{head!r}/then-entry"] = ("megatron:\n  - role: actor\n    overrides:\n      save: " + head
                                                   + "\n  - role: critic\n    overrides:\n      lr: 1e-5\n")
    return files


def corpus(fields, seed, mutations):
    """[(name, text)], deterministic for a seed."""
    rng = random.Random(seed)
    files = []
    # One representative field per kind (the first in name order), so the
    # corpus does not grow with the number of arguments.
    by_kind = {}
    for name, kind in sorted(fields.items()):
        by_kind.setdefault(kind, name)
    for kind, name in sorted(by_kind.items()):
        literals = ALL_LITERALS + (ENUM_EXTRA if kind.startswith("enum") else [])
        for literal in literals:
            files.append((f"literal/{name}/plain/{literal!r}", file_with(name, styled(literal, "plain"))))
        if kind in ("placement", "shared"):
            continue
        for literal in INT_LITERALS + FLOAT_LITERALS + BOOL_LITERALS + NULL_LITERALS[:3] + STRING_LITERALS[:4]:
            for style in ["single", "double", "|", "|-", ">", "flow-seq"]:
                files.append((f"literal/{name}/{style}/{literal!r}", file_with(name, styled(literal, style))))
            files.append((f"literal/{name}/flow/{literal!r}", file_with(name, literal or "~", layout="flow")))
            files.append((f"literal/{name}/critic/{literal!r}", file_with(name, literal, role="critic")))
        for tag in TAGS:
            for literal in ["8", "010", "1e-5", "yes", "true", "/ckpt/a", "", "1_000", ".inf", "0o10"]:
                for style in ["tag:" + tag, "qtag:" + tag]:
                    files.append((f"literal/{name}/{style}/{literal!r}", file_with(name, styled(literal, style))))
    for name, text in oddities().items():
        files.append((f"oddity/{name}", text))
    for family in [flow_indicator_neighbours(), block_scalars_at_the_end()]:
        for name, text in family.items():
            files.append((f"oddity/{name}", text))
    for i in range(mutations):
        text = mutate(rng, rng.choice(VALID_FILES))
        files.append((f"mutation/{i}", text))
    return files


# ---------------------------------------------------------------- comparing

def same(slime_value, ours):
    if slime_value is None or ours is None:
        return slime_value is None and ours is None
    if isinstance(slime_value, bool) or isinstance(ours, bool):
        return isinstance(slime_value, bool) and isinstance(ours, bool) and slime_value == ours
    if isinstance(slime_value, (int, float)) and isinstance(ours, (int, float)):
        return float(slime_value) == float(ours)
    if isinstance(slime_value, list) and isinstance(ours, list):
        return len(slime_value) == len(ours) and all(same(a, b) for a, b in zip(slime_value, ours))
    if isinstance(slime_value, str) and isinstance(ours, str):
        return slime_value == ours
    return False


def numeric_text(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def explain(field, kind, raw, slime_value, ours):
    """Why a value differs on purpose, or None."""
    if kind == "placement":
        return "placement key ignored (SPEC 4.2)"
    if isinstance(raw, str) and kind.rstrip("?") == "bool" and isinstance(ours, bool):
        return "quoted bool string read as a bool, slime's bool(str) is true (SPEC 2.9)"
    if isinstance(raw, str) and isinstance(slime_value, str) and kind.rstrip("?") in ("int", "float") \
            and numeric_text(raw) and isinstance(ours, (int, float)) and float(raw) == float(ours):
        return "numeric string for an argument the command line left unset: slime keeps the string (SPEC 3.6)"
    return None


def non_finite_numbers(raws):
    for overrides in raws.values():
        for value in overrides.values():
            if isinstance(value, float) and not math.isfinite(value):
                return True
    return False


def classify_file(path, binary, base, fields):
    try:
        slime = slime_roles(path, base)
    except SlimeRefuses as e:
        slime = e
    status, ours = run_trainer(binary, path)
    if status == "crashed":
        return "trainer-crashed", ours
    if isinstance(slime, SlimeRefuses):
        if status == "refused":
            return "agreement", "both refuse"
        return "slime-refuses-we-accept", str(slime)
    slime_roles_, raws = slime
    if status == "refused":
        if non_finite_numbers(raws):
            return "deliberate", ".inf/.nan for a number (SPEC 2.9)"
        if RELATION_REPORT.match(ours):
            return "deliberate", "a relation between arguments broken by a role's overrides, " \
                "which slime never re-checks (SPEC 4.7)"
        return "we-refuse-slime-reads", ours
    reasons = []
    derived = None
    for role in ROLES:
        if role not in ours:
            return "different-values", f"role {role} missing from the trainer's output"
        for name, value in ours[role].items():
            slime_value = slime_roles_[role].get(name)
            if same(slime_value, value):
                continue
            kind = fields.get(name, "other")
            why = explain(name, kind, raws[role].get(name), slime_value, value)
            if why is None:
                if derived is None:
                    derived = derived_fields(binary, path)
                if name in derived.get(role, ()):
                    why = "derived per role from the role's own values; slime's is stale (SPEC 4.7)"
            if why is None:
                return "different-values", f"{role}.{name}: slime {slime_value!r}, trainer {value!r}"
            reasons.append(why)
    if reasons:
        return "deliberate", sorted(set(reasons))[0]
    return "agreement", "same values"


def generic(reason):
    """A reason without its particulars (names, values, positions)."""
    reason = re.sub(r"`[^`]*`", "`_`", reason)
    reason = re.sub(r'"[^"]*"', '"_"', reason)
    return re.sub(r"\d+", "N", reason)


def dump(files, directory):
    """The corpus as files, and whether PyYAML's safe_load reads each one."""
    import yaml
    os.makedirs(directory, exist_ok=True)
    verdicts = {}
    for index, (name, text) in enumerate(files):
        file_name = f"{index}.yaml"
        with open(os.path.join(directory, file_name), "w", encoding="utf-8", newline="") as f:
            f.write(text)
        try:
            yaml.safe_load(text)
            verdicts[file_name] = "reads"
        except Exception:  # any failure of safe_load is a refusal
            verdicts[file_name] = "refuses"
    with open(os.path.join(directory, "pyyaml.json"), "w", encoding="utf-8") as f:
        json.dump(verdicts, f, indent=0, sort_keys=True)
    print(f"{len(files)} files in {directory}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", help="the ppo_train example binary (default: build it)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--mutations", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--save-failures", metavar="DIR", help="write the files of the FAIL kinds here")
    parser.add_argument("--no-fail", action="store_true", help="report only; exit 0 whatever the counts")
    parser.add_argument("--examples", type=int, default=5, help="examples shown per kind")
    parser.add_argument("--reasons", type=int, default=15, help="reasons shown per kind")
    parser.add_argument("--dump", metavar="DIR",
                        help="write the corpus and PyYAML's verdicts (pyyaml.json) to DIR and exit")
    args = parser.parse_args()

    ensure_pyyaml()
    import yaml
    binary = args.binary
    if binary is None:
        # Release: the trainer carries slime's 1,057 arguments, and building
        # clap's command for them takes ~0.4 s a process in a debug build,
        # which over ten thousand files would take an hour on CI.
        subprocess.run(["cargo", "build", "--quiet", "--release", "--example", "ppo_train"], cwd=ROOT, check=True)
        # Where cargo put it: CARGO_TARGET_DIR when set (.ci/run shares one).
        target_dir = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
        binary = os.path.join(os.path.abspath(os.path.join(ROOT, target_dir)), "release", "examples", "ppo_train")
    fields = schema_fields(binary)
    base = baseline(binary)
    files = corpus(fields, args.seed, args.mutations)
    if args.dump:
        return dump(files, args.dump)
    print(f"PyYAML {yaml.__version__}; {len(files)} files "
          f"({sum(n.startswith('literal/') for n, _ in files)} literals, "
          f"{sum(n.startswith('oddity/') for n, _ in files)} oddities, "
          f"{sum(n.startswith('mutation/') for n, _ in files)} mutations, seed {args.seed})")

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        def one(item):
            index, (name, text) = item
            path = os.path.join(tmp, f"{index}.yaml")
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            # slime sets megatron_config_path on the command line: the same path.
            file_base = dict(base, megatron_config_path=path)
            kind, detail = classify_file(path, binary, file_base, fields)
            return name, text, kind, detail

        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(one, enumerate(files)))

    order = ["slime-refuses-we-accept", "we-refuse-slime-reads", "different-values", "deliberate", "agreement",
             "trainer-crashed"]
    counts = collections.Counter(kind for _, _, kind, _ in results)
    print()
    print(f"{'kind':<26} {'files':>6}")
    for kind in order:
        print(f"{kind:<26} {counts.get(kind, 0):>6}")
    print(f"{'total':<26} {len(results):>6}")

    failing = {"slime-refuses-we-accept", "different-values", "trainer-crashed"}
    for kind in ["deliberate", "we-refuse-slime-reads"]:
        reasons = collections.Counter(generic(detail) if kind == "we-refuse-slime-reads" else detail
                                      for _, _, k, detail in results if k == kind)
        if reasons:
            print(f"\n{kind}, by reason (top {args.reasons}):")
            for reason, n in reasons.most_common(args.reasons):
                print(f"  {n:>5}  {reason[:150]}")
    for kind in order:
        if kind not in failing:
            continue
        shown = [(n, t, d) for n, t, k, d in results if k == kind]
        if shown:
            print(f"\n{kind}: {len(shown)} file(s), first {min(len(shown), args.examples)}:")
            for name, text, detail in shown[:args.examples]:
                print(f"  {name}: {detail[:200]}\n    {text[:300]!r}")
    if args.save_failures:
        os.makedirs(args.save_failures, exist_ok=True)
        for i, (name, text, kind, detail) in enumerate(results):
            if kind in failing:
                with open(os.path.join(args.save_failures, f"{kind}-{i}.yaml"), "w", encoding="utf-8",
                          newline="") as f:
                    f.write(text)
    bad = sum(counts.get(k, 0) for k in failing)
    if bad and not args.no_fail:
        print(f"\nFAIL: {bad} file(s) mean two things or are accepted against slime's reader")
        return 1
    print("\nok" if not bad else f"\n{bad} failing file(s) (--no-fail)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
