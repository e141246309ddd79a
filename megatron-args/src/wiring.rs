//! Where the runtime's layers meet: the hooks each struct's schema gets
//! (the derive's generated code calls [`hooks`]), so that the model reaches
//! the per-role rules above its trait, and the clap adapter, without
//! importing them.

use crate::model::args::hooks::Hooks;
use crate::model::args::MegatronArgs;
#[cfg(not(feature = "clap"))]
use crate::model::{
    error::{Error, Location, Problem},
    provenance::Provenance,
    texts::Texts,
    value::Value,
};

/// The hooks of argument struct `A`.
pub fn hooks<A: MegatronArgs>() -> Hooks<A> {
    #[cfg(feature = "clap")]
    {
        use crate::clap_adapter::{argv, command, relations};
        Hooks {
            apply_overrides: crate::model::apply::apply_overrides::<A>,
            value_check: command::check_field_value::<A>,
            relations: relations::RelationCheck::check::<A>,
            arg_parser: crate::model::value::ArgParser {
                arg_of: command::field_arg::<A>,
                parse: command::parse_value,
            },
            write_argv: argv::write_command::<A>,
        }
    }
    #[cfg(not(feature = "clap"))]
    Hooks {
        apply_overrides: crate::model::apply::apply_overrides::<A>,
        value_check: no_value_check,
        relations: no_relations::<A>,
    }
}

/// Without clap a value has no checks beyond its type.
#[cfg(not(feature = "clap"))]
fn no_value_check(
    _: usize,
    _: &str,
    _: &Value,
    _: &Value,
    _: &dyn Fn(&[usize]) -> Option<Location>,
) -> Result<(), Error> {
    Ok(())
}

/// Without clap there are no relations between arguments.
#[cfg(not(feature = "clap"))]
fn no_relations<A: MegatronArgs>(
    _: A::Role,
    _: (&A, &Texts),
    _: (&A, &Texts),
    _: &[Provenance],
    _: &dyn Fn(usize) -> Option<Location>,
) -> Vec<Problem> {
    Vec::new()
}
