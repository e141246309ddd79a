//! One role's typed overrides applied with every rule of a file
//! ([`MegatronArgs::apply_overrides`]): the value rules, the struct's
//! derivations, then field validators, clap's relations and cross-field
//! checks on the result.

use crate::model::args::{unwritable_overrides, MegatronArgs, Overrides as _};
use crate::model::error::{Error, Problem};
use crate::model::field::RoleValueKind;
use crate::model::place::Nowhere;
use crate::model::provenance::Provenance;
use crate::model::relations::{self, Origin};
use crate::model::rules;
use crate::model::texts::Texts;

/// See [`MegatronArgs::apply_overrides`]; on error `args` is unchanged.
pub(crate) fn apply_overrides<A: MegatronArgs>(
    args: &mut A,
    role: A::Role,
    overrides: &A::Overrides,
) -> Result<(), Error> {
    let schema = A::__schema();
    let mut applied = args.clone();
    let mut from_overrides = vec![false; schema.infos.len()];
    let mut problems = Vec::new();
    problems.extend(unwritable_overrides(overrides));
    for (name, raw) in overrides.entries() {
        let index = schema.index_of(name).expect("typed overrides name their own fields");
        let checked = rules::check_override::<A>(Some(role), index, name, &raw, &Nowhere).and_then(|value| {
            (schema.access[index].set)(&mut applied, &value)
                .map_err(|mismatch| Error::from(Problem::type_mismatch(name, &mismatch, None)))
        });
        match checked {
            Ok(()) => from_overrides[index] = true,
            Err(error) => problems.extend(error.into_problems()),
        }
    }
    if problems.is_empty() {
        // Derived and checked as a role of a file is: what the role gave
        // (its overrides, its `role_default` / `role_forced`) is kept.
        let mut provenance = vec![Provenance::Baseline; schema.infos.len()];
        for rv in schema.role_values.iter().filter(|rv| rv.role == role) {
            provenance[rv.field] = match rv.kind {
                RoleValueKind::Default => Provenance::RoleDefault,
                RoleValueKind::Forced => Provenance::RoleForced,
            };
        }
        for (field, set) in from_overrides.iter().enumerate() {
            if *set {
                provenance[field] = Provenance::Overrides;
            }
        }
        let explicit = |field: usize| !matches!(provenance[field], Provenance::Baseline);
        for (field, from) in relations::derive(role, &mut applied, &explicit) {
            provenance[field] = Provenance::Derived { from };
        }
        let from = |field: usize| match &provenance[field] {
            // These arguments are the caller's, not necessarily a command line.
            Provenance::Baseline => "the arguments".to_string(),
            other => other.to_string(),
        };
        problems = rules::validate(role, &applied, |field| (None, from(field)));
        // clap's relations, for what the overrides changed in these
        // arguments, as for a role of a file.
        problems.extend((schema.hooks.relations)(
            role,
            (args, Texts::none()),
            (&applied, Texts::none()),
            &provenance,
            &|_| None,
        ));
        for broken in relations::check(role, &applied) {
            problems.push(broken.to_problem(&[role], &applied, |field| Origin {
                location: None,
                in_file: false,
                from: from(field),
            }));
        }
    }
    if !problems.is_empty() {
        return Err(Error::new(problems));
    }
    *args = applied;
    Ok(())
}
