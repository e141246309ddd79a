//! A flat view of the resolved arguments for experiment trackers.

use std::collections::BTreeMap;

use crate::model::args::MegatronArgs;
use crate::model::error::{Error, Problem};
use crate::model::role::Role;
use crate::model::value::Value;
use crate::resolving::resolve::Resolved;

impl<A: MegatronArgs> Resolved<A> {
    /// Every active role's arguments as one flat map keyed `role/argument`
    /// (`critic/lr`), as experiment trackers (Weights & Biases, TensorBoard
    /// hparams, MLflow) expect their configuration. Every field is present,
    /// `None` as [`Value::Null`]; inactive roles have no keys. [`Value`]
    /// serializes with serde, so the map can be logged as JSON directly.
    ///
    /// The value of a `#[megatron(secret)]` argument is shown as
    /// [`SECRET_MASK`](crate::SECRET_MASK) (`null` when unset).
    ///
    /// A value whose type has no spelling of its own is shown as the text
    /// it was read from ([`RoleArgs::value`](crate::RoleArgs::value)); one
    /// that has no text (set from Rust code) is left out, never guessed:
    /// [`Resolved::try_logger_view`] refuses the view instead, naming it.
    ///
    /// ```
    /// # use megatron_args::{MegatronArgs, PpoRole, RoleConfig, Value};
    /// #[derive(MegatronArgs, Clone, Debug)]
    /// struct Args {
    ///     lr: f64,
    /// }
    /// let config = RoleConfig::<Args>::from_str("megatron:\n  - role: critic\n    overrides: {lr: 1e-5}\n", "r.yaml")?;
    /// let resolved = config.resolve(&Args { lr: 1e-6 }, &[PpoRole::Actor, PpoRole::Critic])?;
    /// let view = resolved.logger_view();
    /// assert_eq!(view["actor/lr"], Value::Float(1e-6));
    /// assert_eq!(view["critic/lr"], Value::Float(1e-5));
    /// # Ok::<(), megatron_args::Error>(())
    /// ```
    pub fn logger_view(&self) -> BTreeMap<String, Value> {
        self.view().0
    }

    /// [`Resolved::logger_view`], or an error naming every value that has
    /// no text to show (see [`crate::Unwritable`]).
    pub fn try_logger_view(&self) -> Result<BTreeMap<String, Value>, Error> {
        match self.view() {
            (view, problems) if problems.is_empty() => Ok(view),
            (_, problems) => Err(Error::new(problems)),
        }
    }

    fn view(&self) -> (BTreeMap<String, Value>, Vec<Problem>) {
        let mut view = BTreeMap::new();
        let mut problems = Vec::new();
        for role_args in self.roles() {
            let role = role_args.role().name();
            for info in A::fields() {
                let key = format!("{role}/{}", info.name);
                match role_args.value_of(info.index) {
                    Ok(value) => {
                        view.insert(key, info.shown(value));
                    }
                    Err(why) => problems.push(Problem::unwritable(&key, &why)),
                }
            }
        }
        (view, problems)
    }
}
