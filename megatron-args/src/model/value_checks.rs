//! Checks of a value beyond its Rust type, shared by every way a value
//! reaches a role (the file, typed overrides, `set`): with the `clap`
//! feature, the clap argument's own value parser (SPEC 3.13).

use crate::model::args::MegatronArgs;
use crate::model::error::{Error, Location};
use crate::model::value::Value;

/// The value checks of the argument struct `A`, prepared once per load.
pub(crate) struct ValueChecks {
    #[cfg(feature = "clap")]
    clap: Option<crate::model::clap_command::ClapArgs>,
}

impl ValueChecks {
    #[cfg_attr(not(feature = "clap"), allow(clippy::extra_unused_type_parameters))]
    pub(crate) fn of<A: MegatronArgs>() -> Self {
        ValueChecks {
            #[cfg(feature = "clap")]
            clap: crate::model::clap_command::ClapArgs::of::<A>(),
        }
    }

    /// The clap arguments of the struct's fields, when it is a clap struct.
    #[cfg(feature = "clap")]
    pub(crate) fn clap(&self) -> Option<&crate::model::clap_command::ClapArgs> {
        self.clap.as_ref()
    }

    /// Checks `value` (already of the field's type) for field `index`;
    /// `written` is the value before conversion.
    /// `key_path` names it in the message (`megatron[0].overrides.dtype`);
    /// `locate` places the value or, for a path of indices, a list element.
    #[cfg_attr(not(feature = "clap"), allow(unused_variables))]
    pub(crate) fn check(
        &self,
        index: usize,
        key_path: &str,
        value: &Value,
        written: &Value,
        locate: impl FnOnce(&[usize]) -> Option<Location>,
    ) -> Result<(), Error> {
        #[cfg(feature = "clap")]
        if let Some(clap) = &self.clap {
            if let Some(arg) = clap.arg(index) {
                crate::model::clap_command::check_value(arg, value, written).map_err(|rejection| {
                    let location = locate(&rejection.path);
                    Error::from(rejection.into_problem(key_path, location))
                })?;
            }
        }
        Ok(())
    }
}
