//! A JSON Schema (draft 2020-12) of the role-config file, for editors.
//!
//! A YAML language server (VS Code's YAML extension, Helix, Neovim, ...)
//! given this schema completes role names and argument keys as they are
//! typed, shows each argument's doc comment, and flags unknown keys, wrong
//! types, shared arguments and role-forced arguments before the job starts.
//! The loader stays the authority: the schema states the rules it cannot
//! check (topology agreement across roles) in descriptions.

use serde_json::{json, Map, Value as Json};

use crate::model::args::MegatronArgs;
use crate::model::field::{FieldClass, FieldInfo};
use crate::model::role::Role;
use crate::model::value::{short_type_name, yaml11_bool_spellings, ValueType};
use crate::reading::config::PLACEMENT_KEYS;

/// The `$schema` URI of the generated schema.
pub const JSON_SCHEMA_DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// A numeric string the loader accepts for an integer field (SPEC 3.6).
const INT_STRING_PATTERN: &str = r"^\s*[+-]?[0-9]+\s*$";

/// A numeric string the loader accepts for a float field (SPEC 3.6).
const FLOAT_STRING_PATTERN: &str = r"^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$";

/// The JSON Schema (draft 2020-12) of the role-config file of `A`.
///
/// It describes the `megatron` list; each entry's `role` (an enum of the
/// role names, at most one entry per role), `name`, and `overrides` or its
/// alias `args` (a mapping or null, never both). Every key a role may set is
/// a property with its type (integer ranges, YAML 1.1 booleans and numeric
/// strings included, since the loader accepts them), enum values and doc
/// comment; aliases are properties too. Topology keys say that roles of a
/// topology group must agree; placement keys are allowed but marked as
/// ignored (and deprecated, so editors strike them through); shared keys and
/// each role's `role_forced` keys are forbidden, with a description saying
/// why. Unknown keys are rejected.
///
/// Write it to a file next to the config and point the YAML language server
/// at it with a `# yaml-language-server: $schema=./megatron.schema.json`
/// modeline.
///
/// ```
/// # use megatron_args::{MegatronArgs, json_schema};
/// #[derive(MegatronArgs, Clone, Debug)]
/// struct Args {
///     /// Learning rate.
///     lr: f64,
/// }
/// let schema = json_schema::<Args>();
/// assert_eq!(schema["$defs"]["overrides"]["properties"]["lr"]["description"]
///     .as_str().unwrap().lines().next(), Some("Learning rate."));
/// ```
pub fn json_schema<A: MegatronArgs>() -> Json {
    let roles = A::Role::names();
    let role_list = A::Role::ALL
        .iter()
        .map(|r| format!("`{}` (topology group `{}`)", r.name(), r.topology_group()))
        .collect::<Vec<_>>()
        .join(", ");
    let title = format!("Role-config file of `{}` (megatron-args)", short_type_name::<A>());

    let one_entry_per_role: Vec<Json> = roles
        .iter()
        .map(|name| {
            json!({
                "contains": { "type": "object", "properties": { "role": { "const": name } }, "required": ["role"] },
                "minContains": 0,
                "maxContains": 1
            })
        })
        .collect();

    // `$ref` to a mapping-or-null (rather than `anyOf`), so that a
    // validator's error points at the offending key inside the mapping.
    let overridable = json!({ "$ref": "#/$defs/overrides" });
    let mut overrides_prop = overridable.clone();
    overrides_prop["description"] = json!(
        "This role's arguments that differ from the command line: argument names (not flags) to values. \
         Absent, null or {} means none."
    );
    let mut args_prop = overridable;
    args_prop["description"] =
        json!("Backward-compatible alias of `overrides`; an entry has one or the other.");

    let mut schema = json!({
        "$schema": JSON_SCHEMA_DIALECT,
        "title": title,
        "description": "Per-role overrides of the shared command line: one entry per role in the `megatron` list. \
                        Other top-level keys are allowed and ignored (with a warning).",
        "type": "object",
        "required": ["megatron"],
        "properties": {
            "megatron": {
                "description": format!("One entry per role. Roles: {role_list}."),
                "type": "array",
                "items": { "$ref": "#/$defs/entry" },
                "allOf": one_entry_per_role
            }
        },
        "$defs": {
            "entry": {
                "description": "The overrides of one role.",
                "type": "object",
                "required": ["role"],
                "properties": {
                    "name": {
                        "description": "An optional label (slime writes `default`); not used at runtime.",
                        "type": ["string", "number", "boolean", "null"]
                    },
                    "role": {
                        "description": format!("The role this entry configures: one of {role_list}."),
                        "enum": roles
                    },
                    "overrides": overrides_prop,
                    "args": args_prop
                },
                "additionalProperties": false,
                "not": {
                    "description": "`overrides` and `args` are the same section; an entry has at most one.",
                    "required": ["overrides", "args"]
                },
                "allOf": forced_rules::<A>()
            },
            "overrides": overrides_schema::<A>()
        }
    });
    // Draft 2020-12 wants a non-empty `allOf`: none without forced keys.
    let entry = &mut schema["$defs"]["entry"];
    if entry["allOf"].as_array().is_some_and(Vec::is_empty) {
        entry.as_object_mut().expect("an object").remove("allOf");
    }
    schema
}

/// The `overrides` mapping: every key of the file, with its rules.
fn overrides_schema<A: MegatronArgs>() -> Json {
    let mut properties = Map::new();
    for info in A::fields() {
        let schema = field_schema::<A>(info);
        for alias in info.aliases {
            let mut aliased = schema.clone();
            let description = aliased["description"].as_str().unwrap_or_default().to_string();
            aliased["description"] = json!(format!("Alias of `{}`. {description}", info.name));
            properties.insert((*alias).to_string(), aliased);
        }
        properties.insert(info.name.to_string(), schema);
    }
    for key in PLACEMENT_KEYS {
        properties.entry(key.to_string()).or_insert_with(|| {
            json!({
                "description": format!(
                    "`{key}` is a placement key: ignored in this file (with a warning), \
                     placement always follows the command line."
                ),
                "deprecated": true
            })
        });
    }
    json!({
        "description": "Argument names (the Rust field names, not the CLI flags) and their values for this role.",
        "type": ["object", "null"],
        "properties": properties,
        "additionalProperties": false
    })
}

/// What the argument's clap definition adds to its type: its help (when
/// not the doc comment), its possible values, an integer's range.
#[derive(Default)]
struct Facts {
    help: Option<String>,
    choices: Vec<String>,
    min: Option<i128>,
    max: Option<i128>,
}

/// The facts of field `info` from its clap argument, if it has one.
#[cfg_attr(not(feature = "clap"), allow(unused_variables, clippy::extra_unused_type_parameters))]
fn facts_of<A: MegatronArgs>(info: &FieldInfo) -> Facts {
    #[cfg(feature = "clap")]
    if let Some(arg) = crate::clap_adapter::command::ClapArgs::of::<A>().and_then(|clap| clap.arg(info.index))
    {
        let range = match leaf(&info.value_type) {
            ValueType::Int { min, max, .. } => Some((*min, *max)),
            _ => None,
        };
        let facts = crate::clap_adapter::command::arg_facts(arg, range);
        return Facts {
            // clap's help is the doc comment's first paragraph, without
            // its final period, unless `help = "..."` says otherwise.
            help: facts.help.filter(|help| !info.doc.starts_with(help.trim().trim_end_matches('.'))),
            choices: facts.choices,
            min: facts.min,
            max: facts.max,
        };
    }
    Facts::default()
}

/// The type of a value, or of a list's elements, under `Option`.
#[cfg_attr(not(feature = "clap"), allow(dead_code))]
fn leaf(ty: &ValueType) -> &ValueType {
    match ty {
        ValueType::Optional(inner) | ValueType::List(inner) => leaf(inner),
        other => other,
    }
}

/// One key of the `overrides` mapping.
fn field_schema<A: MegatronArgs>(info: &FieldInfo) -> Json {
    let facts = facts_of::<A>(info);
    let doc = match (info.doc.is_empty(), &facts.help) {
        (true, None) => String::new(),
        (false, None) => format!("{}\n\n", info.doc),
        (true, Some(help)) => format!("{help}\n\n"),
        (false, Some(help)) => format!("{help}\n\n{}\n\n", info.doc),
    };
    let typed = |rule: String| {
        let mut schema = value_schema(&info.value_type, &facts);
        let description = format!("{doc}{rule}Type: {} (`{}`).", info.value_type, info.rust_type);
        schema.insert("description".to_string(), json!(description));
        Json::Object(schema)
    };
    match info.class {
        FieldClass::Regular => typed(String::new()),
        FieldClass::Topology => {
            let groups = topology_groups::<A>();
            typed(format!(
                "Topology argument: every active role of a topology group ({groups}) must have the same value, \
                 or resolution fails; keep it on the command line ({}). ",
                info.flag
            ))
        }
        FieldClass::Placement => json!({
            "description": format!(
                "{doc}Placement argument: ignored in this file (with a warning); \
                 placement always follows the command line ({}).",
                info.flag
            ),
            "deprecated": true
        }),
        FieldClass::Shared => json!({
            "description": format!(
                "{doc}Shared argument: the same for all roles, it cannot be overridden per role; \
                 set it on the command line ({}).",
                info.flag
            ),
            "not": {}
        }),
    }
}

/// The accepted values of a type, as the loader accepts them, with what
/// the argument's value parser adds (a range, a set of values).
fn value_schema(ty: &ValueType, facts: &Facts) -> Map<String, Json> {
    let schema = match ty {
        ValueType::Bool => {
            let words: Vec<String> = yaml11_bool_spellings().map(|(spelling, _)| spelling).collect();
            json!({ "anyOf": [ { "type": "boolean" }, { "enum": words } ] })
        }
        ValueType::Int { min, max, .. } => json!({
            "anyOf": [
                {
                    "type": "integer",
                    "minimum": number(facts.min.unwrap_or(*min)),
                    "maximum": number(facts.max.unwrap_or(*max))
                },
                { "type": "string", "pattern": INT_STRING_PATTERN }
            ]
        }),
        ValueType::Float { .. } => json!({
            "anyOf": [
                { "type": "number" },
                { "type": "string", "pattern": FLOAT_STRING_PATTERN }
            ]
        }),
        // A fixed set of values (`value_parser = ["bf16", "fp16"]`).
        ValueType::String | ValueType::Path | ValueType::Other(_) | ValueType::Opaque(_)
            if !facts.choices.is_empty() =>
        {
            json!({ "enum": facts.choices })
        }
        ValueType::String | ValueType::Path => json!({ "type": "string" }),
        ValueType::Choice(choices) => json!({ "enum": choices }),
        ValueType::Optional(inner) => json!({
            "anyOf": [ Json::Object(value_schema(inner, facts)), { "type": "null" } ]
        }),
        ValueType::List(inner) => {
            json!({ "type": "array", "items": Json::Object(value_schema(inner, facts)) })
        }
        // A custom conversion: the loader is the judge.
        ValueType::Other(_) | ValueType::Opaque(_) => json!({}),
    };
    match schema {
        Json::Object(map) => map,
        _ => unreachable!("every arm builds an object"),
    }
}

/// A JSON number for an integer bound (exact up to `u64`).
fn number(n: i128) -> Json {
    if let Ok(i) = i64::try_from(n) {
        json!(i)
    } else if let Ok(u) = u64::try_from(n) {
        json!(u)
    } else {
        json!(n as f64)
    }
}

/// Per role: its `role_forced` keys are forbidden in its entry.
fn forced_rules<A: MegatronArgs>() -> Vec<Json> {
    let schema = A::__schema();
    A::Role::ALL
        .iter()
        .filter_map(|&role| {
            let mut forbidden = Map::new();
            for info in A::fields() {
                let forced = schema.is_forced(role, info.index);
                if !forced {
                    continue;
                }
                let description = format!(
                    "`{}` is fixed for role `{}` (role_forced) and cannot be overridden.",
                    info.name,
                    role.name()
                );
                for name in std::iter::once(info.name).chain(info.aliases.iter().copied()) {
                    forbidden.insert(name.to_string(), json!({ "description": description, "not": {} }));
                }
            }
            if forbidden.is_empty() {
                return None;
            }
            let section = json!({ "properties": forbidden });
            Some(json!({
                "if": { "properties": { "role": { "const": role.name() } }, "required": ["role"] },
                "then": { "properties": { "overrides": section, "args": section } }
            }))
        })
        .collect()
}

/// `actor, critic | reward` style listing of the topology groups.
fn topology_groups<A: MegatronArgs>() -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for role in A::Role::ALL {
        match groups.iter_mut().find(|(g, _)| *g == role.topology_group()) {
            Some((_, members)) => members.push(role.name()),
            None => groups.push((role.topology_group(), vec![role.name()])),
        }
    }
    groups
        .iter()
        .map(|(group, members)| format!("`{group}`: {}", members.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}
