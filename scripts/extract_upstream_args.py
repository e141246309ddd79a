#!/usr/bin/env python3
"""Extracts the table of upstream training arguments (data/upstream/training_args.tsv)
from Megatron-LM and slime source checkouts, statically: the sources are parsed with
Python's `ast`; nothing of upstream is imported or run.

    python3 scripts/extract_upstream_args.py \\
        --megatron slime-image=/path/to/Megatron-LM-with-slime-patch \\
        --megatron main=/path/to/Megatron-LM \\
        --slime slime=/path/to/slime \\
        --out data/upstream/training_args.tsv

Each checkout is `LABEL=DIR` (or `DIR`, labelled by its folder name); the labels
fill the `defined_in` column. Where two Megatron-LM checkouts define a name
differently, the first `--megatron` given wins (give slime's image first).

What is read:
- Megatron-LM, `megatron/training/arguments.py`: every `add_argument` call whose
  option strings are literals, under the title of its argument group; and every
  `ArgumentGroupFactory(Config, exclude=...).build_group(parser, title)`, whose
  rows come from the dataclass's fields as `megatron/training/argument_utils.py`
  makes them (the field name is the flag, `--no-x` / `--disable-x` for a bool
  whose default is not False, `argparse_meta` over everything, the exclusions
  and `init=False` fields left out, an enum's members as the choices). The
  classes are found by following the imports.
- slime, `slime/utils/arguments.py`: every literal `add_argument` and
  `reset_arg` call, grouped by the helper function around it.

The table's conventions are in data/upstream/README.md. Python standard library
only.
"""

import argparse
import ast
import os
import sys

COLUMNS = ["name", "flag", "source", "group", "kind", "type", "default", "nargs", "choices", "role_class",
           "defined_in"]
# The columns two checkouts must agree on for a row to be "the same".
DEFINITION = COLUMNS[1:-1]

MEGATRON_ARGUMENTS = "megatron/training/arguments.py"
SLIME_ARGUMENTS = "slime/utils/arguments.py"
FACTORY = "ArgumentGroupFactory"

TOPOLOGY = {
    "tensor_model_parallel_size", "pipeline_model_parallel_size", "context_parallel_size",
    "expert_model_parallel_size", "expert_tensor_parallel_size", "sequence_parallel",
    "num_layers_per_virtual_pipeline_stage", "decoder_first_pipeline_num_layers",
    "decoder_last_pipeline_num_layers",
}
PLACEMENT = {"actor_num_nodes", "actor_num_gpus_per_node", "rollout_num_gpus", "rollout_num_gpus_per_engine",
             "num_gpus_per_node"}

ENUM_BASES = {"Enum", "IntEnum", "StrEnum", "Flag", "IntFlag"}
# Enums of Python's standard library that dataclass fields use (their members
# are not in a checkout).
EXTERNAL_ENUMS = {"signal.Signals"}


class ExtractError(Exception):
    pass


# ----- values as the sources write them -----


class Value:
    """An argument of a call as written: a literal (`literal` holds it), a type
    or converter name (`name`), or any other expression (`source`)."""

    def __init__(self, node, text):
        self.node = node
        self.source = source_segment(text, node) if node is not None else None
        try:
            self.literal, self.is_literal = ast.literal_eval(node), True
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            self.literal, self.is_literal = None, False
        self.name = dotted(node)

    @classmethod
    def of(cls, literal):
        value = cls(None, "")
        value.literal, value.is_literal, value.source = literal, True, repr(literal)
        return value

    @classmethod
    def expr(cls, source):
        value = cls(None, "")
        value.source = source
        return value

    def cell(self):
        return repr(self.literal) if self.is_literal else f"expr:{self.source}"


_LINES = {}


def source_segment(text, node):
    """`ast.get_source_segment`, with the text's lines split once."""
    lines = _LINES.get(id(text))
    if lines is None or lines[0] is not text:
        lines = _LINES[id(text)] = (text, text.splitlines(keepends=True))
    lines = lines[1]
    start, end = node.lineno - 1, node.end_lineno - 1
    if start == end:
        return lines[start].encode()[node.col_offset:node.end_col_offset].decode()
    first = lines[start].encode()[node.col_offset:].decode()
    last = lines[end].encode()[:node.end_col_offset].decode()
    return first + "".join(lines[start + 1:end]) + last


def dotted(node):
    """`a.b.c` for a name or attribute chain, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


# ----- modules and classes of a checkout -----


class Checkout:
    def __init__(self, label, root):
        self.label = label
        self.root = root
        self.modules = {}

    def module(self, name):
        """The parsed module `name` (dotted), or None when it is not in the checkout."""
        if name in self.modules:
            return self.modules[name]
        base = os.path.join(self.root, *name.split("."))
        found = None
        for path in (base + ".py", os.path.join(base, "__init__.py")):
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                found = Module(name, path, text, path.endswith("__init__.py"))
                break
        self.modules[name] = found
        return found

    def file(self, relative):
        name = relative[:-len(".py")].replace("/", ".")
        module = self.module(name)
        if module is None:
            raise ExtractError(f"{self.label}: {relative} not found under {self.root}")
        return module

    def resolve(self, module, name, depth=0):
        """The class `name` as seen from `module`: (module, ClassDef), or None.
        `name` may be dotted (`enums.AttnBackend`)."""
        if depth > 20 or module is None:
            return None
        head, _, rest = name.partition(".")
        if rest:
            target = module.imported_module(head, self)
            return self.resolve(target, rest, depth + 1) if target else None
        node = module.classes.get(name)
        if node is not None:
            return module, node
        origin = module.imports.get(name)
        if origin is not None:
            source, original = origin
            target = self.module(source)
            if target is not None:
                found = self.resolve(target, original, depth + 1)
                if found:
                    return found
            # `from package import submodule` is not a class.
        return None


class Module:
    def __init__(self, name, path, text, is_package):
        self.name = name
        self.path = path
        self.text = text
        self.is_package = is_package
        self.tree = ast.parse(text, filename=path)
        self.classes = {}
        self.imports = {}  # local name -> (module, name there)
        self.module_imports = {}  # local name -> module
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ClassDef) and node.name not in self.classes:
                self.classes[node.name] = node
            elif isinstance(node, ast.ImportFrom):
                source = self.absolute(node)
                for alias in node.names:
                    self.imports.setdefault(alias.asname or alias.name, (source, alias.name))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.module_imports[alias.asname] = alias.name
                    else:
                        self.module_imports.setdefault(alias.name.split(".")[0], alias.name.split(".")[0])

    def absolute(self, node):
        if not node.level:
            return node.module or ""
        package = self.name.split(".")
        if not self.is_package:
            package = package[:-1]
        if node.level > 1:
            package = package[:-(node.level - 1)]
        return ".".join(package + ([node.module] if node.module else []))

    def imported_module(self, local, checkout):
        if local in self.module_imports:
            return checkout.module(self.module_imports[local])
        if local in self.imports:
            source, original = self.imports[local]
            return checkout.module(f"{source}.{original}")
        return None


# ----- rows -----


def long_flag(flags):
    for flag in flags:
        if flag.startswith("--"):
            return flag
    return flags[0]


def dest_of(flags):
    flag = long_flag(flags)
    return flag.lstrip("-").replace("-", "_")


def type_cell(type_value):
    """The table's type of a `type=` value: int, float, str, bool, path, or
    unknown for a converter of upstream's own."""
    if type_value is None:
        return "str"
    name = type_value.name
    if name in ("int", "float", "str", "bool"):
        return name
    if name in ("Path", "pathlib.Path"):
        return "path"
    return "unknown"


def make_row(flags, kwargs, source, group, checkout):
    """A table row from an `add_argument` call's option strings and keyword
    arguments (`Value`s by name)."""
    name = kwargs["dest"].literal if "dest" in kwargs else dest_of(flags)
    action = kwargs.get("action")
    action_name = None
    if action is not None:
        action_name = action.literal if action.is_literal else (action.name or action.source)
    kind = {None: "store", "store": "store", "store_true": "store_true", "store_false": "store_false",
            "append": "append"}.get(action_name, "other")
    nargs = kwargs.get("nargs")
    nargs_cell = "" if nargs is None else str(nargs.literal if nargs.is_literal else f"expr:{nargs.source}")
    if kind in ("store_true", "store_false") or (action_name or "").endswith("BooleanOptionalAction"):
        ty = "bool"
    else:
        ty = type_cell(kwargs.get("type"))
        if ty != "unknown" and (kind == "append" or (nargs_cell not in ("", "?"))):
            ty = f"list[{ty}]"
    default = kwargs.get("default")
    choices = kwargs.get("choices")
    if choices is None:
        choices_cell = ""
    elif isinstance(choices, list):  # an enum's members
        choices_cell = "|".join(choices)
    elif choices.is_literal and isinstance(choices.literal, (list, tuple)):
        choices_cell = "|".join(str(c) for c in choices.literal)
    else:
        choices_cell = f"expr:{choices.source}"
    role_class = ""
    if name in TOPOLOGY:
        role_class = "topology"
    elif source == "slime" and name in PLACEMENT:
        role_class = "placement"
    return {
        "name": name, "flag": long_flag(flags), "source": source, "group": group, "kind": kind, "type": ty,
        "default": "" if default is None else default.cell(), "nargs": nargs_cell, "choices": choices_cell,
        "role_class": role_class, "defined_in": checkout.label,
    }


def call_kwargs(call, text):
    kwargs = {}
    for keyword in call.keywords:
        if keyword.arg is None:
            raise ExtractError(f"line {call.lineno}: `**` in an add_argument call")
        kwargs[keyword.arg] = Value(keyword.value, text)
    return kwargs


def literal_flags(args):
    flags = []
    for arg in args:
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            return None
        flags.append(arg.value)
    return flags


# ----- Megatron-LM -----


def megatron_rows(checkout, warnings):
    module = checkout.file(MEGATRON_ARGUMENTS)
    rows = []
    for function in module.tree.body:
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            rows += megatron_function_rows(checkout, module, function, warnings)
    return rows


def megatron_function_rows(checkout, module, function, warnings):
    """The rows one `_add_*_args` function adds, in source order."""
    titles = {}  # variable -> argument group title
    factories = {}  # variable -> (config class name, exclusions)
    lists = {}  # variable -> a literal list assigned in this function
    rows = []

    def title_of(call):
        for keyword in call.keywords:
            if keyword.arg == "title":
                return Value(keyword.value, module.text).literal
        if call.args and isinstance(call.args[0], ast.Constant):
            return call.args[0].value
        return None

    def build_title(call):
        # build_group(parser, title) or build_group(parser, title=...)
        for keyword in call.keywords:
            if keyword.arg == "title":
                return Value(keyword.value, module.text).literal
        return Value(call.args[1], module.text).literal if len(call.args) > 1 else None

    def factory_of(call):
        """(class name, exclusions) of `ArgumentGroupFactory(Config, exclude=...)`."""
        config = dotted(call.args[0]) if call.args else None
        exclude = []
        for keyword in call.keywords:
            if keyword.arg == "exclude":
                if isinstance(keyword.value, ast.Name):
                    exclude = lists.get(keyword.value.id)
                    if exclude is None:
                        raise ExtractError(f"{MEGATRON_ARGUMENTS}:{call.lineno}: exclusions not found")
                else:
                    exclude = Value(keyword.value, module.text).literal
        return config, exclude

    def factory_rows(factory, title, lineno):
        config, exclude = factory
        found = checkout.resolve(module, config)
        if found is None:
            raise ExtractError(f"{checkout.label}: {MEGATRON_ARGUMENTS}:{lineno}: class {config} not found")
        return dataclass_rows(checkout, found, set(exclude or []), title or "", warnings)

    for node in walk_in_order(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target, value = node.targets[0].id, node.value
            if isinstance(value, (ast.List, ast.Tuple)):
                literal = Value(value, module.text)
                if literal.is_literal:
                    lists[target] = list(literal.literal)
            if isinstance(value, ast.Call):
                callee = value.func
                if isinstance(callee, ast.Attribute) and callee.attr == "add_argument_group":
                    titles[target] = title_of(value)
                elif isinstance(callee, ast.Attribute) and callee.attr == "add_mutually_exclusive_group":
                    titles[target] = titles.get(dotted(callee.value))
                elif dotted(callee) == FACTORY:
                    factories[target] = factory_of(value)
                elif isinstance(callee, ast.Attribute) and callee.attr == "build_group":
                    factory = factory_of(callee.value) if isinstance(callee.value, ast.Call) \
                        else factories.get(dotted(callee.value))
                    titles[target] = build_title(value)
                    rows += factory_rows(factory, titles[target], node.lineno)
                    continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            call = node.value
            callee = call.func
            if isinstance(callee, ast.Attribute) and callee.attr == "build_group":
                factory = factory_of(callee.value) if isinstance(callee.value, ast.Call) \
                    else factories.get(dotted(callee.value))
                rows += factory_rows(factory, build_title(call), node.lineno)
            elif isinstance(callee, ast.Attribute) and callee.attr == "add_argument":
                flags = literal_flags(call.args)
                if flags is None:
                    warnings.append(f"{checkout.label}: {MEGATRON_ARGUMENTS}:{call.lineno}: "
                                    "option strings are not literals; left out")
                    continue
                group = titles.get(dotted(callee.value))
                if group is None:
                    raise ExtractError(f"{checkout.label}: {MEGATRON_ARGUMENTS}:{call.lineno}: "
                                       f"no argument group for `{dotted(callee.value)}`")
                rows.append(make_row(flags, call_kwargs(call, module.text), "megatron", group, checkout))
    return rows


def walk_in_order(function):
    """The statements of a function, nested ones included, in source order
    (not into nested functions or classes)."""
    out = []

    def visit(statements):
        for statement in statements:
            out.append(statement)
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            for field in ("body", "orelse", "finalbody"):
                visit(getattr(statement, field, []) or [])
            for handler in getattr(statement, "handlers", []) or []:
                visit(handler.body)

    visit(function.body)
    return out


# ----- dataclasses, as ArgumentGroupFactory reads them -----


class Field:
    def __init__(self, name, annotation, module):
        self.name = name
        self.annotation = annotation
        self.module = module
        self.default = None  # Value; None when the field has none
        self.init = True
        self.meta = None  # ast.Dict of argparse_meta


def dataclass_fields(checkout, found, depth=0):
    """`dataclasses.fields(cls)`, in order: the bases' first."""
    module, node = found
    if depth > 20:
        raise ExtractError(f"{node.name}: the class hierarchy is too deep")
    fields = {}
    for base in reversed(node.bases):
        name = dotted(base)
        parent = checkout.resolve(module, name) if name else None
        if parent is not None:
            for field in dataclass_fields(checkout, parent, depth + 1):
                fields[field.name] = field
    for statement in node.body:
        if not (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)):
            continue
        annotation = dotted(statement.annotation) or ""
        if isinstance(statement.annotation, ast.Subscript):
            annotation = dotted(statement.annotation.value) or ""
        if annotation.split(".")[-1] in ("ClassVar", "InitVar"):
            continue
        field = Field(statement.target.id, statement.annotation, module)
        if statement.value is not None:
            read_field_value(field, statement.value, module)
        # An overriding field keeps its base's place.
        fields[field.name] = field
    return list(fields.values())


def read_field_value(field, value, module):
    if isinstance(value, ast.Call) and (dotted(value.func) or "").split(".")[-1] == "field":
        for keyword in value.keywords:
            if keyword.arg == "default":
                field.default = Value(keyword.value, module.text)
            elif keyword.arg == "default_factory":
                field.default = factory_default(keyword.value, module.text)
            elif keyword.arg == "init":
                field.init = Value(keyword.value, module.text).literal is not False
            elif keyword.arg == "metadata":
                field.meta = argparse_meta(keyword.value)
    else:
        field.default = Value(value, module.text)


def factory_default(node, text):
    """The value a `default_factory` makes, when it is plain."""
    name = dotted(node)
    if name in ("list", "dict", "set", "tuple"):
        return Value.of({"list": [], "dict": {}, "set": set(), "tuple": ()}[name])
    if isinstance(node, ast.Lambda):
        return Value(node.body, text)
    return Value.expr(f"{source_segment(text, node)}()")


def argparse_meta(node):
    if not isinstance(node, ast.Dict):
        return None
    for key, value in zip(node.keys, node.values):
        if isinstance(key, ast.Constant) and key.value == "argparse_meta":
            if not isinstance(value, ast.Dict):
                raise ExtractError(f"line {node.lineno}: argparse_meta is not a literal dict")
            return value
    return None


class TypeInferenceError(Exception):
    pass


def extract_type(checkout, module, node):
    """`ArgumentGroupFactory._extract_type` on an annotation: a dict of
    `type` (a name: int, float, str, bool, or another), `nargs`, `choices`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return extract_type(checkout, module, ast.parse(node.value, mode="eval").body)
    if isinstance(node, ast.Constant) and node.value is None:
        return {"type": "NoneType"}
    members = union_members(node)
    if members is not None:
        if len(members) >= 2 and is_none(members[1]):
            return extract_type(checkout, module, members[0])
        raise TypeInferenceError(f"Unions not supported by argparse: {ast.unparse(node)}")
    if isinstance(node, ast.Subscript):
        origin = (dotted(node.value) or "").split(".")[-1]
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if origin in ("list", "List"):
            if len(args) != 1:
                raise TypeInferenceError(f"Multi-type lists not supported by argparse: {ast.unparse(node)}")
            kwargs = extract_type(checkout, module, args[0])
            kwargs["nargs"] = "+"
            return kwargs
        if origin == "Literal":
            values = [ast.literal_eval(a) for a in args]
            types = {type(v).__name__ for v in values}
            if len(types) != 1:
                raise ExtractError(f"Literal of mixed types: {ast.unparse(node)}")
            return {"type": types.pop(), "choices": values}
        raise TypeInferenceError(f"Unsupported type: {ast.unparse(node)}")
    name = dotted(node)
    if name is None:
        raise TypeInferenceError(f"Unsupported type: {ast.unparse(node)}")
    if name in ("int", "float", "str", "bool"):
        return {"type": name}
    found = checkout.resolve(module, name)
    if found is not None and is_enum(checkout, found):
        return {"type": "enum", "choices": enum_members(found[1])}
    if found is None and name in EXTERNAL_ENUMS:
        # Its members are not in the checkout: the choices stay an expression.
        return {"type": "enum", "choices": Value.expr(f"list({name})")}
    if found is None and "." not in name:
        alias = module_alias(module, name)
        if alias is not None:
            return extract_type(checkout, module, alias)
    return {"type": name}


def union_members(node):
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return (union_members(node.left) or [node.left]) + (union_members(node.right) or [node.right])
    if isinstance(node, ast.Subscript):
        origin = (dotted(node.value) or "").split(".")[-1]
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if origin == "Optional":
            return flatten_unions(args) + [ast.Constant(None)]
        if origin == "Union":
            return flatten_unions(args)
    return None


def flatten_unions(args):
    out = []
    for arg in args:
        out += union_members(arg) or [arg]
    return out


def is_none(node):
    return (isinstance(node, ast.Constant) and node.value is None) or dotted(node) in ("None", "NoneType")


def module_alias(module, name):
    """A module-level `Name = <annotation>` (a type alias)."""
    for statement in module.tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and \
                isinstance(statement.targets[0], ast.Name) and statement.targets[0].id == name:
            return statement.value
    return None


def is_enum(checkout, found, depth=0):
    module, node = found
    for base in node.bases:
        name = dotted(base) or ""
        if name.split(".")[-1] in ENUM_BASES:
            return True
        parent = checkout.resolve(module, name) if name else None
        if parent is not None and depth < 20 and is_enum(checkout, parent, depth + 1):
            return True
    return False


def enum_assignments(node):
    """The (name, value node) of each public `NAME = value` in a class body."""
    for statement in node.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and \
                isinstance(statement.targets[0], ast.Name) and not statement.targets[0].id.startswith("_"):
            yield statement.targets[0].id, statement.value


def enum_members(node):
    members, values = [], set()
    for name, value_node in enum_assignments(node):
        # An alias (a value seen before) is not a member of list(Enum).
        try:
            value = ast.literal_eval(value_node)
        except (ValueError, TypeError, SyntaxError):
            value = object()
        try:
            if value in values:
                continue
            values.add(value)
        except TypeError:
            pass
        members.append(name)
    return members


def dataclass_rows(checkout, found, exclude, title, warnings):
    module, node = found
    rows = []
    for field in dataclass_fields(checkout, found):
        if field.name in exclude or not field.init:
            continue
        rows.append(field_row(checkout, field, node.name, title, warnings))
    return rows


def field_row(checkout, field, class_name, title, warnings):
    """`ArgumentGroupFactory._build_argparse_kwargs_from_field`, then the row."""
    if field.default is None:
        raise ExtractError(f"{checkout.label}: {class_name}.{field.name} has no default")
    flags = ["--" + field.name.replace("_", "-")]
    kwargs = {"dest": Value.of(field.name), "default": field.default}
    try:
        inferred = extract_type(checkout, field.module, field.annotation)
        choices = inferred.get("choices")
        if inferred["type"] == "enum":
            kwargs["type"] = Value.expr("enum_type_handler")
            kwargs["choices"] = choices
        else:
            kwargs["type"] = type_value(inferred["type"])
            if choices is not None:
                kwargs["choices"] = Value.of(tuple(choices))
        if "nargs" in inferred:
            kwargs["nargs"] = Value.of(inferred["nargs"])
        if inferred["type"] == "bool":
            is_false = field.default.is_literal and field.default.literal == False  # noqa: E712 (as upstream)
            kwargs["action"] = Value.of("store_true" if is_false else "store_false")
            del kwargs["type"]
            if not is_false:
                flags = ["--no-" + field.name.replace("_", "-"), "--disable-" + field.name.replace("_", "-")]
    except TypeInferenceError as error:
        if field.meta is None:
            raise ExtractError(f"{checkout.label}: {class_name}.{field.name}: {error} (and no argparse_meta)")
    if field.meta is not None:
        for key, value in zip(field.meta.keys, field.meta.values):
            key = ast.literal_eval(key)
            if key == "arg_names":
                flags = list(ast.literal_eval(value))
            elif key == "choices" and not Value(value, field.module.text).is_literal:
                kwargs[key] = enum_comprehension(checkout, field.module, value) or Value(value, field.module.text)
            else:
                kwargs[key] = Value(value, field.module.text)
    if "type" in kwargs and kwargs["type"].name is None and kwargs["type"].source == "enum_type_handler":
        kwargs["type"] = Value.expr("enum_type_handler")
    row = make_row(flags, kwargs, "megatron", title, checkout)
    if "type" in kwargs and kwargs["type"].source == "enum_type_handler" and row["kind"] == "store":
        # The enum's member names are what the command line takes.
        row["type"] = "str" if not row["nargs"] else "list[str]"
    return row


def enum_comprehension(checkout, module, node):
    """The names (or literal values) of `[m.name for m in SomeEnum]`, or None."""
    if not (isinstance(node, ast.ListComp) and len(node.generators) == 1 and not node.generators[0].ifs):
        return None
    generator = node.generators[0]
    element = node.elt
    if not (isinstance(generator.target, ast.Name) and isinstance(element, ast.Attribute)
            and isinstance(element.value, ast.Name) and element.value.id == generator.target.id
            and element.attr in ("name", "value")):
        return None
    name = dotted(generator.iter)
    found = checkout.resolve(module, name) if name else None
    if found is None or not is_enum(checkout, found):
        return None
    if element.attr == "name":
        return enum_members(found[1])
    values = enum_values(found[1])
    return None if values is None else [str(v) for v in values]


def enum_values(node):
    values = []
    for _, value_node in enum_assignments(node):
        try:
            value = ast.literal_eval(value_node)
        except (ValueError, TypeError, SyntaxError):
            return None
        if value not in values:
            values.append(value)
    return values


def type_value(name):
    value = Value.expr(name)
    value.name = name
    return value


# ----- slime -----


def slime_rows(checkout, warnings):
    module = checkout.file(SLIME_ARGUMENTS)
    rows = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if child.name != "reset_arg":  # its own body forwards to add_argument
                    visit(child, child.name)
                continue
            if isinstance(child, ast.Call):
                row = slime_call_row(child, function, module, checkout, warnings)
                if row is not None:
                    rows.append(row)
            visit(child, function)

    visit(module.tree, None)
    return rows


def slime_call_row(call, function, module, checkout, warnings):
    callee = call.func
    if isinstance(callee, ast.Attribute) and callee.attr == "add_argument":
        args = call.args
    elif isinstance(callee, ast.Name) and callee.id == "reset_arg":
        args = call.args[1:]
    else:
        return None
    flags = literal_flags(args)
    if flags is None or not flags:
        warnings.append(f"{checkout.label}: {SLIME_ARGUMENTS}:{call.lineno}: option strings are not literals; "
                        "left out")
        return None
    if function is None:
        raise ExtractError(f"{checkout.label}: {SLIME_ARGUMENTS}:{call.lineno}: outside a function")
    group = function
    if group.startswith("_"):
        group = group[1:]
    if group.startswith("add_"):
        group = group[len("add_"):]
    if group.endswith("_arguments"):
        group = group[:-len("_arguments")]
    return make_row(flags, call_kwargs(call, module.text), "slime", group, checkout)


# ----- the table -----


def merge(megatron_checkouts, slime_checkouts, warnings):
    """Every checkout's rows, one per argument (a destination and its flag).
    Where two checkouts of one upstream define an argument differently, or
    give one flag to different destinations, the first checkout's wins; the
    `defined_in` column names every checkout that agrees with the row."""
    out = []
    for checkouts, reader in ((megatron_checkouts, megatron_rows), (slime_checkouts, slime_rows)):
        chosen = {}  # (name, flag) -> row
        owner = {}  # flag -> name
        for checkout in checkouts:
            seen = set()
            for row in reader(checkout, warnings):
                key = (row["name"], row["flag"])
                label = checkout.label
                if key in seen:
                    warnings.append(f"{label}: {row['flag']} ({row['name']}) defined twice; the first is kept")
                    continue
                seen.add(key)
                if key in chosen:
                    winner = chosen[key]
                    first = winner["defined_in"].split(",")[0]
                    if all(winner[c] == row[c] for c in DEFINITION):
                        winner["defined_in"] += "," + label
                    else:
                        differing = [c for c in DEFINITION if winner[c] != row[c]]
                        warnings.append(f"{row['name']}: {first} and {label} differ in "
                                        f"{', '.join(differing)}; {first} wins")
                    continue
                if row["flag"] in owner and owner[row["flag"]] != row["name"]:
                    warnings.append(f"{label}: {row['flag']} sets {row['name']}, but {owner[row['flag']]} "
                                    "in a checkout given before; left out")
                    continue
                if any(name == row["name"] for name, _ in chosen):
                    warnings.append(f"{label}: {row['name']} has another flag here, {row['flag']}; both are kept")
                owner[row["flag"]] = row["name"]
                chosen[key] = dict(row)
        out += chosen.values()
    # A stable sort: rows of one name keep the order they were read in (the
    # first checkout's first; argparse takes a destination's default from its
    # first argument).
    out.sort(key=lambda r: (r["source"].encode(), r["group"].encode(), r["name"].encode()))
    return out


def write_table(rows, path):
    for row in rows:
        for column in COLUMNS:
            if "\t" in row[column] or "\n" in row[column]:
                raise ExtractError(f"{row['name']}: a tab or newline in {column}")
    text = "\t".join(COLUMNS) + "\n" + "".join("\t".join(r[c] for c in COLUMNS) + "\n" for r in rows)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def checkout_of(spec):
    label, sep, root = spec.partition("=")
    if not sep:
        root = spec
        label = os.path.basename(os.path.normpath(spec))
    if not os.path.isdir(root):
        raise ExtractError(f"{root}: not a folder")
    return Checkout(label, root)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megatron", action="append", required=True, metavar="[LABEL=]DIR",
                        help="a Megatron-LM checkout; the first given wins where two define a name differently")
    parser.add_argument("--slime", action="append", required=True, metavar="[LABEL=]DIR", help="a slime checkout")
    parser.add_argument("--out", required=True, help="the table to write")
    parser.add_argument("--quiet", action="store_true", help="do not print what was left out or differs")
    opts = parser.parse_args(argv[1:])
    warnings = []
    try:
        megatron = [checkout_of(spec) for spec in opts.megatron]
        slime = [checkout_of(spec) for spec in opts.slime]
        labels = [c.label for c in megatron + slime]
        if len(set(labels)) != len(labels):
            raise ExtractError(f"checkout labels must differ: {labels}")
        rows = merge(megatron, slime, warnings)
        write_table(rows, opts.out)
    except (ExtractError, OSError, SyntaxError) as error:
        sys.stderr.write(f"extract_upstream_args.py: {error}\n")
        return 2
    if not opts.quiet:
        for warning in warnings:
            sys.stderr.write(f"note: {warning}\n")
    counts = {}
    for row in rows:
        counts[row["source"]] = counts.get(row["source"], 0) + 1
    sys.stderr.write(f"{opts.out}: {len(rows)} rows ("
                     + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) + ")\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
