//! The rules every per-role value obeys, wherever it comes from: the file,
//! typed overrides ([`crate::RoleConfig::from_overrides`]) or
//! [`crate::MegatronArgs::apply_overrides`]. Written once here so that no
//! way in skips one.

use crate::model::args::MegatronArgs;
use crate::model::error::{Error, Location, Problem, ProblemKind};
use crate::model::field::FieldClass;
use crate::model::place::Place;
use crate::model::role::Role;
use crate::model::value::Value;

/// Checks an override of field `index` for `role` (`None` when the role is
/// unknown: the value is still checked): [`check_key`], then
/// [`Schema::check_value`](crate::model::args::Schema::check_value).
pub(crate) fn check_override<A: MegatronArgs>(
    role: Option<A::Role>,
    index: usize,
    key_path: &str,
    raw: &Value,
    place: &impl Place,
) -> Result<Value, Error> {
    check_key::<A>(role, index, place)?;
    A::__schema().check_value(index, key_path, raw, place)
}

/// Whether field `index` may be overridden for `role` at all: not shared,
/// not placement, not `role_forced` for the role. (The file ignores
/// placement keys with a warning before asking.)
pub(crate) fn check_key<A: MegatronArgs>(
    role: Option<A::Role>,
    index: usize,
    place: &impl Place,
) -> Result<(), Error> {
    let schema = A::__schema();
    let info = &schema.infos[index];
    match info.class {
        FieldClass::Shared => {
            return Err(Error::from(Problem::new(
                ProblemKind::SharedKey { key: info.name.to_string() },
                format!("`{}` is shared by all roles and cannot be overridden per role", info.name),
                place.key(),
                Some(format!("set it on the command line ({})", info.flag)),
            )))
        }
        FieldClass::Placement => {
            return Err(Error::from(Problem::new(
                ProblemKind::NotOverridable { key: info.name.to_string(), class: info.class },
                format!("`{}` is a placement argument and cannot be overridden per role", info.name),
                place.key(),
                Some("keep it on the command line".to_string()),
            )))
        }
        FieldClass::Regular | FieldClass::Topology => {}
    }
    match role {
        Some(role) if schema.is_forced(role, index) => {
            let key = place.key();
            let help = match key {
                Some(_) => format!("remove `{}` from this entry", info.name),
                None => format!("leave `{}` unset in the overrides of role `{}`", info.name, role.name()),
            };
            Err(Error::from(Problem::new(
                ProblemKind::ForcedKey { key: info.name.to_string(), role: role.name().to_string() },
                format!("`{}` is fixed for role `{}` and cannot be overridden", info.name, role.name()),
                key,
                Some(help),
            )))
        }
        _ => Ok(()),
    }
}

/// Runs every field validator on `role`'s arguments. `origin` says where a
/// field's value came from: its location, if in a file, and in words.
pub(crate) fn validate<A: MegatronArgs>(
    role: A::Role,
    args: &A,
    origin: impl Fn(usize) -> (Option<Location>, String),
) -> Vec<Problem> {
    let schema = A::__schema();
    let mut problems = Vec::new();
    for (info, access) in schema.infos.iter().zip(&schema.access) {
        let Some(validate) = &access.validator else { continue };
        if let Err(message) = validate(args) {
            let (location, from) = origin(info.index);
            problems.push(Problem::new(
                ProblemKind::Validation { key: info.name.to_string(), role: role.name().to_string() },
                format!("invalid `{}` for role `{}`: {message} (value from {from})", info.name, role.name()),
                location,
                None,
            ));
        }
    }
    problems
}
