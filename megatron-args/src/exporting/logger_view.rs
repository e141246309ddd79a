//! A flat view of the resolved arguments for experiment trackers.

use std::collections::BTreeMap;

use crate::model::args::MegatronArgs;
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
        let schema = A::__schema();
        let mut view = BTreeMap::new();
        for role_args in self.roles() {
            let role = role_args.role().name();
            for info in A::fields() {
                view.insert(format!("{role}/{}", info.name), schema.value(role_args.args(), info.index));
            }
        }
        view
    }
}
