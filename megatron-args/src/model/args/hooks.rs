//! What the layers above the model add to a struct's schema: the per-role
//! rules of one role's typed overrides, and the clap adapter's value checks,
//! relations and command line. The derive's generated code hands them in
//! (`__private::hooks`, where the runtime wires its layers together), so the
//! model calls them without importing what is above it.

use crate::model::args::MegatronArgs;
use crate::model::error::{Error, Location, Problem};
use crate::model::provenance::Provenance;
use crate::model::texts::Texts;
use crate::model::value::Value;

/// Checks a value already of field `index`'s type beyond its type (clap's
/// value parser): `written` is the value before conversion, `key_path` names
/// it in the message (`megatron[0].overrides.dtype`), and `locate` places the
/// value or, for a path of indices, a list element.
pub(crate) type ValueCheckHook = fn(
    index: usize,
    key_path: &str,
    value: &Value,
    written: &Value,
    locate: &dyn Fn(&[usize]) -> Option<Location>,
) -> Result<(), Error>;

/// The relation problems of a role's arguments against the arguments it
/// started from (each with the texts its values were read from), given where
/// each value came from and where an argument is on the command line.
pub(crate) type RelationsHook<A> = fn(
    role: <A as MegatronArgs>::Role,
    reference: (&A, &Texts),
    args: (&A, &Texts),
    provenance: &[Provenance],
    locate: &dyn Fn(usize) -> Option<Location>,
) -> Vec<Problem>;

/// [`MegatronArgs::apply_overrides`] of `A`.
pub(crate) type ApplyOverridesHook<A> =
    fn(&mut A, <A as MegatronArgs>::Role, &<A as MegatronArgs>::Overrides) -> Result<(), Error>;

/// The hooks of one argument struct `A`.
#[doc(hidden)]
pub struct Hooks<A: MegatronArgs> {
    /// [`MegatronArgs::apply_overrides`]: one role's typed overrides, with
    /// every rule of a file.
    pub(crate) apply_overrides: ApplyOverridesHook<A>,
    /// Checks of a value beyond its Rust type (none without clap).
    pub(crate) value_check: ValueCheckHook,
    /// clap's relations between arguments (none without clap).
    pub(crate) relations: RelationsHook<A>,
    /// The clap argument of each field, and its value parser run on a text,
    /// for the codec that reads a type through it.
    #[cfg(feature = "clap")]
    pub(crate) arg_parser: crate::model::value::ArgParser,
    /// The arguments as a command line, or what cannot be written (a
    /// subcommand's arguments).
    #[cfg(feature = "clap")]
    pub(crate) write_argv: fn(&A) -> Result<Vec<String>, Vec<Problem>>,
}
