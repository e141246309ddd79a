//! The traits `#[derive(MegatronArgs)]` implements, and the generic methods
//! built on the generated field table.

pub(crate) mod hooks;
pub(crate) mod schema;

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt::Debug;

use crate::model::error::{Error, Problem, ProblemKind};
use crate::model::field::FieldInfo;
use crate::model::names::ArgName;
use crate::model::per_type::per_type;
use crate::model::place::Nowhere;
use crate::model::role::Role;
use crate::model::subcommand_value::{SubcommandArgs, SubcommandField};
use crate::model::suggest;
use crate::model::value::{Unwritable, Value};
pub(crate) use schema::{Schema, SchemaBuilder};

/// An argument struct whose roles get their own typed copies.
///
/// The methods see the struct as a table of named arguments, as the file
/// does:
///
/// ```
/// use clap::Parser;
/// use megatron_args::{FieldClass, MegatronArgs, PpoRole, Value};
///
/// #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
/// struct TrainArgs {
///     /// Learning rate.
///     #[arg(long, default_value_t = 1e-6)]
///     lr: f64,
///     #[arg(long, default_value_t = 1)]
///     #[topology]
///     tensor_model_parallel_size: u32,
///     #[arg(long, default_value_t = 0)]
///     #[megatron(role_default(critic = 10))]
///     lr_warmup_iters: u64,
/// }
///
/// let names: Vec<_> = TrainArgs::fields().iter().map(|f| f.name).collect();
/// assert_eq!(names, ["lr", "tensor_model_parallel_size", "lr_warmup_iters"]);
/// let tp = TrainArgs::field("tensor_model_parallel_size").unwrap();
/// assert_eq!((tp.flag, tp.class), ("--tensor-model-parallel-size", FieldClass::Topology));
/// assert_eq!(TrainArgs::field("lr").unwrap().doc, "Learning rate.");
///
/// let mut args = TrainArgs::parse_from(["train"]);
/// assert_eq!(args.get("lr"), Some(Value::Float(1e-6)));
/// args.set("lr", "2e-6")?; // the file's conversions: a numeric string is a number
/// assert_eq!(args.lr, 2e-6);
/// assert!(args.set("lr", "fast").is_err()); // and nothing changed
/// assert!(args.set("lrr", 1.0).is_err()); // unknown, with a did-you-mean
///
/// assert_eq!(args.for_role(PpoRole::Critic).lr_warmup_iters, 10); // role_default, no file
/// args.apply_overrides(PpoRole::Actor, &TrainArgsOverrides::default().lr(1e-5))?; // checked as a file
/// assert_eq!(args.lr, 1e-5);
/// # Ok::<(), megatron_args::Error>(())
/// ```
///
/// Implement it with `#[derive(MegatronArgs)]`; every method except the
/// hidden table is provided.
///
/// The trait is safe, and so is the code the derive writes: the hidden field
/// accessors borrow each field by name (`&self.lr`), as code written by hand
/// would.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement `MegatronArgs`",
    label = "`{Self}` must derive `MegatronArgs`",
    note = "add `#[derive(MegatronArgs)]` to `{Self}`; a flattened group derives it too, with the same role set"
)]
pub trait MegatronArgs: Clone + Send + Sync + Sized + 'static {
    /// The role set (default [`crate::PpoRole`]).
    type Role: Role;
    /// The typed per-role overrides (`ArgsOverrides` for `Args`).
    type Overrides: Overrides<Args = Self>;

    /// The field table as the derive describes it.
    #[doc(hidden)]
    fn __describe() -> SchemaBuilder<Self>;

    /// The field table, built once.
    #[doc(hidden)]
    fn __schema() -> &'static Schema<Self> {
        per_type::<Self, Schema<Self>>(|| Self::__describe().build())
    }

    /// Member `index` of the struct (its arguments and flattened groups, in
    /// declaration order), for the field table's typed access; `None` past
    /// the last member.
    #[doc(hidden)]
    fn __member(&self, index: usize) -> Option<&dyn Any>;

    /// [`MegatronArgs::__member`], mutably.
    #[doc(hidden)]
    fn __member_mut(&mut self, index: usize) -> Option<&mut dyn Any>;

    /// The struct's clap command, when it is a clap `Parser` or `Args`
    /// (generated).
    #[cfg(feature = "clap")]
    #[doc(hidden)]
    fn __build_clap_command() -> Option<clap::Command> {
        None
    }

    /// [`MegatronArgs::__build_clap_command`], built once.
    #[cfg(feature = "clap")]
    #[doc(hidden)]
    fn __clap_command() -> Option<&'static clap::Command> {
        per_type::<Self, Option<clap::Command>>(Self::__build_clap_command).as_ref()
    }

    /// The struct's `#[command(subcommand)]` field, if it has one
    /// (generated).
    #[doc(hidden)]
    fn __subcommand(&self) -> Option<SubcommandField<'_>> {
        None
    }

    /// Every field's metadata in declaration order, flattened groups included.
    ///
    /// ```
    /// # use clap::Parser;
    /// # use megatron_args::{MegatronArgs, PpoRole, Value};
    /// # #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
    /// # struct TrainArgs {
    /// #     /// Learning rate.
    /// #     #[arg(long, default_value_t = 1e-6)]
    /// #     lr: f64,
    /// #     #[arg(long = "save-dir")]
    /// #     #[megatron(alias = "save_path")]
    /// #     save: Option<String>,
    /// #     #[arg(long, default_value_t = 0.0)]
    /// #     #[megatron(role_forced(critic = 0.0))]
    /// #     kl_coef: f64,
    /// # }
    /// let names: Vec<_> = TrainArgs::fields().iter().map(|f| f.name).collect();
    /// assert_eq!(names, ["lr", "save", "kl_coef"]);
    /// ```
    fn fields() -> &'static [FieldInfo] {
        &Self::__schema().infos
    }

    /// The field whose argument name or alias is `name`.
    ///
    /// ```
    /// # use clap::Parser;
    /// # use megatron_args::{MegatronArgs, PpoRole, Value};
    /// # #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
    /// # struct TrainArgs {
    /// #     /// Learning rate.
    /// #     #[arg(long, default_value_t = 1e-6)]
    /// #     lr: f64,
    /// #     #[arg(long = "save-dir")]
    /// #     #[megatron(alias = "save_path")]
    /// #     save: Option<String>,
    /// #     #[arg(long, default_value_t = 0.0)]
    /// #     #[megatron(role_forced(critic = 0.0))]
    /// #     kl_coef: f64,
    /// # }
    /// let save = TrainArgs::field("save_path").unwrap(); // an alias
    /// assert_eq!((save.name, save.flag, save.rust_type), ("save", "--save-dir", "Option<String>"));
    /// assert_eq!(TrainArgs::field("lr").unwrap().doc, "Learning rate.");
    /// assert!(TrainArgs::field("lrr").is_none());
    /// ```
    fn field(name: &str) -> Option<&'static FieldInfo> {
        let schema = Self::__schema();
        schema.index_of(name).map(|i| &schema.infos[i])
    }

    /// The current value of the argument `name` (or alias), if it exists.
    ///
    /// ```
    /// # use clap::Parser;
    /// # use megatron_args::{MegatronArgs, PpoRole, Value};
    /// # #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
    /// # struct TrainArgs {
    /// #     /// Learning rate.
    /// #     #[arg(long, default_value_t = 1e-6)]
    /// #     lr: f64,
    /// #     #[arg(long = "save-dir")]
    /// #     #[megatron(alias = "save_path")]
    /// #     save: Option<String>,
    /// #     #[arg(long, default_value_t = 0.0)]
    /// #     #[megatron(role_forced(critic = 0.0))]
    /// #     kl_coef: f64,
    /// # }
    /// let args = TrainArgs::parse_from(["train", "--save-dir", "/ckpt"]);
    /// assert_eq!(args.get("lr"), Some(Value::Float(1e-6)));
    /// assert_eq!(args.get("save_path"), Some(Value::String("/ckpt".into())));
    /// assert_eq!(args.get("nope"), None);
    /// ```
    ///
    /// `None` also for a field whose value has no spelling of its own (a
    /// type read through `FromStr` alone or through the argument's own
    /// value parser): [`MegatronArgs::try_get`] says why, and a resolved
    /// role's [`RoleArgs::value`](crate::RoleArgs::value) writes it from
    /// the text it was read from.
    fn get(&self, name: &str) -> Option<Value> {
        self.try_get(name).ok()
    }

    /// The current value of the argument `name` (or alias), or an error
    /// naming it: no such argument, or a value that has no spelling of its
    /// own and no record of the text it was read from (a bare struct keeps
    /// none; see [`crate::Unwritable`]).
    ///
    /// ```
    /// use clap::Parser;
    /// use megatron_args::{MegatronArgs, Value};
    ///
    /// #[derive(Clone, Debug, PartialEq)]
    /// enum SplitMode { Layer, Row }
    /// impl std::str::FromStr for SplitMode {
    ///     type Err = String;
    ///     fn from_str(s: &str) -> Result<Self, String> {
    ///         match s { "layer" => Ok(Self::Layer), "row" => Ok(Self::Row), _ => Err(format!("unknown split mode {s}")) }
    ///     }
    /// }
    ///
    /// #[derive(Parser, MegatronArgs, Clone, Debug)]
    /// struct Args {
    ///     #[arg(long, default_value_t = 1)]
    ///     tensor_split: u32,
    ///     #[arg(long, default_value = "layer")]
    ///     split_mode: SplitMode,
    /// }
    ///
    /// let args = Args::parse_from(["serve", "--split-mode", "row"]);
    /// assert_eq!(args.try_get("tensor_split")?, Value::Int(1));
    /// let err = args.try_get("split_mode").unwrap_err();
    /// assert!(err.to_string().contains("cannot write `split_mode`: `SplitMode` implements `FromStr` but not `Display`"));
    /// assert!(args.try_get("nope").is_err());
    /// # Ok::<(), megatron_args::Error>(())
    /// ```
    fn try_get(&self, name: &str) -> Result<Value, Error> {
        let schema = Self::__schema();
        let index = schema.index_of(name).ok_or_else(|| unknown_field::<Self>(name))?;
        let info = &schema.infos[index];
        (schema.access[index].get)(self).map_err(|why| Error::from(Problem::unwritable(info.name, &why)))
    }

    /// Sets the argument `name` (or alias) with the checks of a file value:
    /// the field's type and the clap argument's value parser. On error
    /// nothing is changed.
    ///
    /// ```
    /// # use clap::Parser;
    /// # use megatron_args::{MegatronArgs, PpoRole, Value};
    /// # #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
    /// # struct TrainArgs {
    /// #     /// Learning rate.
    /// #     #[arg(long, default_value_t = 1e-6)]
    /// #     lr: f64,
    /// #     #[arg(long = "save-dir")]
    /// #     #[megatron(alias = "save_path")]
    /// #     save: Option<String>,
    /// #     #[arg(long, default_value_t = 0.0)]
    /// #     #[megatron(role_forced(critic = 0.0))]
    /// #     kl_coef: f64,
    /// # }
    /// let mut args = TrainArgs::parse_from(["train"]);
    /// args.set("lr", "1e-5")?; // a YAML 1.1 numeric string, as in the file
    /// args.set("save", Value::Null)?;
    /// assert_eq!((args.lr, args.save.as_deref()), (1e-5, None));
    /// let err = args.set("lr", "fast").unwrap_err();
    /// assert!(err.problems()[0].message.contains("invalid value for `lr`"));
    /// assert_eq!(args.lr, 1e-5); // unchanged
    /// # Ok::<(), megatron_args::Error>(())
    /// ```
    fn set(&mut self, name: &str, value: impl Into<Value>) -> Result<(), Error> {
        let schema = Self::__schema();
        schema.check_definition()?;
        let index = schema.index_of(name).ok_or_else(|| unknown_field::<Self>(name))?;
        let info = &schema.infos[index];
        let value = Self::__schema().check_value(index, info.name, &value.into(), &Nowhere)?;
        (schema.access[index].set)(self, &value)
            .map_err(|mismatch| Error::from(Problem::type_mismatch(info.name, &mismatch, None)))
    }

    /// This baseline specialized for `role` (`role_default` / `role_forced`),
    /// without any file.
    ///
    /// ```
    /// # use clap::Parser;
    /// # use megatron_args::{MegatronArgs, PpoRole, Value};
    /// # #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
    /// # struct TrainArgs {
    /// #     /// Learning rate.
    /// #     #[arg(long, default_value_t = 1e-6)]
    /// #     lr: f64,
    /// #     #[arg(long = "save-dir")]
    /// #     #[megatron(alias = "save_path")]
    /// #     save: Option<String>,
    /// #     #[arg(long, default_value_t = 0.0)]
    /// #     #[megatron(role_forced(critic = 0.0))]
    /// #     kl_coef: f64,
    /// # }
    /// let baseline = TrainArgs::parse_from(["train", "--kl-coef", "0.05"]);
    /// assert_eq!(baseline.for_role(PpoRole::Critic).kl_coef, 0.0);
    /// assert_eq!(baseline.for_role(PpoRole::Actor), baseline);
    /// ```
    fn for_role(&self, role: Self::Role) -> Self {
        let mut args = self.clone();
        for rv in Self::__schema().role_values.iter().filter(|rv| rv.role == role) {
            (rv.apply)(&mut args);
        }
        args
    }

    /// Applies `role`'s typed overrides to these arguments (usually
    /// `baseline.for_role(role)`), with the rules of a file: no field
    /// `role_forced` for `role`, every value accepted by its clap argument's
    /// value parser; then the struct's derivations, and on the result every
    /// field validator, clap's relations between arguments (`conflicts_with`,
    /// `requires`, groups: what the overrides change must keep them, as on
    /// the command line) and the struct's cross-field checks. All problems
    /// are reported together; on error nothing is changed.
    ///
    /// This is the checked way to resolve one role from Rust without a file;
    /// [`crate::RoleConfig::from_overrides`] does the same for several roles
    /// and adds the topology check across them.
    ///
    /// ```
    /// use clap::Parser;
    /// use megatron_args::{MegatronArgs, PpoRole};
    ///
    /// #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
    /// struct Args {
    ///     #[arg(long, default_value_t = 1e-6)]
    ///     lr: f64,
    ///     #[arg(long, default_value_t = 0.0)]
    ///     #[megatron(role_forced(critic = 0.0))]
    ///     kl_coef: f64,
    /// }
    ///
    /// let baseline = Args::parse_from(["train", "--kl-coef", "0.05"]);
    /// let mut critic = baseline.for_role(PpoRole::Critic);
    /// critic.apply_overrides(PpoRole::Critic, &ArgsOverrides::default().lr(1e-5))?;
    /// assert_eq!((critic.lr, critic.kl_coef), (1e-5, 0.0));
    ///
    /// // `kl_coef` is forced for the critic: refused, and nothing changes.
    /// let refused = critic.apply_overrides(PpoRole::Critic, &ArgsOverrides::default().lr(2e-5).kl_coef(0.1));
    /// assert!(refused.is_err());
    /// assert_eq!((critic.lr, critic.kl_coef), (1e-5, 0.0));
    /// # Ok::<(), megatron_args::Error>(())
    /// ```
    fn apply_overrides(&mut self, role: Self::Role, overrides: &Self::Overrides) -> Result<(), Error> {
        // The rules live above the trait, in `model/apply.rs`.
        (Self::__schema().hooks.apply_overrides)(self, role, overrides)
    }
}

/// A struct deriving `MegatronArgs` writes itself as a subcommand's
/// arguments, through the clap adapter's hook.
impl<T: MegatronArgs> SubcommandArgs for T {
    #[cfg(feature = "clap")]
    fn write_argv(&self) -> Result<Vec<String>, Vec<Problem>> {
        (T::__schema().hooks.write_argv)(self)
    }
}

impl<A: MegatronArgs> ArgName<A> {
    /// The argument's metadata ([`MegatronArgs::field`] of its name).
    pub fn info(self) -> &'static FieldInfo {
        &A::__schema().infos[self.index()]
    }

    /// Its field in `A`'s table.
    pub(crate) fn index(self) -> usize {
        A::__schema()
            .index_of(self.name())
            .expect("megatron-args: a typed name is made by the derive from the struct's own fields")
    }
}

pub(crate) fn unknown_field<A: MegatronArgs>(name: &str) -> Error {
    let suggestions = suggest::closest_n(name, A::__schema().names(), 3);
    Error::from(Problem::new(
        ProblemKind::UnknownKey { key: name.to_string(), suggestions: suggestions.clone() },
        format!("unknown argument `{name}`"),
        None,
        suggest::did_you_mean(&suggestions),
    ))
}

/// A typed set of per-role overrides: one optional value per field that a
/// role may override (not topology, placement or shared fields).
///
/// `#[derive(MegatronArgs)]` generates the struct (`ArgsOverrides` for
/// `Args`) with a builder setter per field, and this impl. The values set
/// are kept converted, as a file's are, and read back with
/// [`Overrides::entries`]. It serializes and deserializes (serde) as an
/// `overrides` mapping of the file.
///
/// ```
/// use clap::Parser;
/// use megatron_args::{MegatronArgs, Overrides, PpoRole, Value};
///
/// #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
/// struct TrainArgs {
///     #[arg(long, default_value_t = 1e-6)]
///     lr: f64,
///     #[arg(long)]
///     save: Option<String>,
///     #[arg(long, default_value_t = 1)]
///     #[topology]
///     tensor_model_parallel_size: u32,
/// }
///
/// // Typed: a setter per regular field; topology fields have none.
/// let critic = TrainArgsOverrides::default().lr(1e-5).save(Some("/ckpt/critic".to_string()));
/// assert_eq!(critic.entries(), [("lr", Value::Float(1e-5)), ("save", Value::from("/ckpt/critic"))]);
///
/// // By name, with the file's checks.
/// let mut by_name = TrainArgsOverrides::default();
/// by_name.set("lr", "1e-5")?;
/// assert!(by_name.set("tensor_model_parallel_size", 2).is_err()); // not per role
/// assert_eq!(by_name, TrainArgsOverrides::default().lr(1e-5));
///
/// // Applied with the file's rules (`role_forced`, clap's value parsers, validators).
/// let mut args = TrainArgs::parse_from(["train"]).for_role(PpoRole::Critic);
/// args.apply_overrides(PpoRole::Critic, &critic)?;
/// assert_eq!((args.lr, args.save.as_deref()), (1e-5, Some("/ckpt/critic")));
/// # Ok::<(), megatron_args::Error>(())
/// ```
pub trait Overrides: Default + Clone + Debug + PartialEq + Send + Sync + 'static {
    /// The argument struct these overrides apply to.
    type Args: MegatronArgs<Overrides = Self>;

    /// The values set.
    #[doc(hidden)]
    fn __values(&self) -> &OverrideValues;

    /// [`Overrides::__values`], mutably.
    #[doc(hidden)]
    fn __values_mut(&mut self) -> &mut OverrideValues;

    /// Every override that is set, as (argument name, value), in field order.
    fn entries(&self) -> Vec<(&'static str, Value)> {
        let infos = &Self::Args::__schema().infos;
        self.__values().0.iter().map(|(&index, value)| (infos[index].name, value.clone())).collect()
    }

    /// Whether no override is set.
    fn is_empty(&self) -> bool {
        self.__values().0.is_empty() && self.__values().1.is_empty()
    }

    /// Sets the override of argument `name` with the checks of a file value
    /// (its type and the clap argument's value parser; `role_forced` is
    /// checked where the overrides meet a role).
    fn set(&mut self, name: &str, value: impl Into<Value>) -> Result<(), Error> {
        let schema = Self::Args::__schema();
        schema.check_definition()?;
        let index = schema.index_of(name).ok_or_else(|| unknown_field::<Self::Args>(name))?;
        let info = &schema.infos[index];
        if !info.class.has_typed_override() {
            return Err(Error::from(Problem::new(
                ProblemKind::NotOverridable { key: info.name.to_string(), class: info.class },
                format!("`{}` is a {} argument and cannot be overridden per role", info.name, info.class),
                None,
                Some("keep it on the command line".to_string()),
            )));
        }
        // Checked and normalized by the field's codec, as a typed setter's value is.
        let value = Self::Args::__schema().check_value(index, info.name, &value.into(), &Nowhere)?;
        self.__values_mut().1.remove(&index);
        self.__values_mut().0.insert(index, value);
        Ok(())
    }
}

/// The values of typed overrides, by field index in the arguments' table,
/// each converted by its field's codec. The generated `ArgsOverrides` wraps
/// one: a struct of a thousand `Option` fields, with their `Clone` and
/// `Default` and a way to reach each, cost more compile time than the rest
/// of the derive.
///
/// A typed setter's value of a type with no spelling of its own (read
/// through `FromStr` alone or the argument's own value parser) cannot be
/// checked as a file value is: it is kept as the reason, and applying the
/// overrides reports it.
#[doc(hidden)]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OverrideValues(BTreeMap<usize, Value>, BTreeMap<usize, Unwritable>);

/// The problems of typed setters given values that cannot be written
/// (see [`OverrideValues`]).
pub(crate) fn unwritable_overrides<O: Overrides>(overrides: &O) -> Vec<Problem> {
    let infos = &O::Args::__schema().infos;
    overrides
        .__values()
        .1
        .iter()
        .map(|(&index, why)| {
            let name = infos[index].name;
            let mut problem = Problem::unwritable(name, why);
            problem.message = format!("the typed override of `{name}` cannot be checked: {why}");
            problem.help = Some(format!("set it by its text, as the file does: `.set(\"{name}\", \"...\")`"));
            problem
        })
        .collect()
}

/// A typed setter: member `member` of the arguments (a regular field)
/// overridden with `value`, of the field's type.
#[doc(hidden)]
pub fn set_override<O: Overrides, T: Any>(mut overrides: O, member: usize, value: T) -> O {
    let schema = O::Args::__schema();
    let field = schema.member_fields[member].start;
    let values = overrides.__values_mut();
    match (schema.access[field].encode_any)(&value) {
        Ok(value) => {
            values.1.remove(&field);
            values.0.insert(field, value);
        }
        Err(why) => {
            values.0.remove(&field);
            values.1.insert(field, why);
        }
    }
    overrides
}

/// A flattened group's setter: the overrides of member `member` (a group,
/// whose overrides are `G`) edited by `edit`.
#[doc(hidden)]
pub fn edit_group<O: Overrides, G: Overrides>(
    mut overrides: O,
    member: usize,
    edit: impl FnOnce(G) -> G,
) -> O {
    let fields = O::Args::__schema().member_fields[member].clone();
    let mut group = G::default();
    let values = overrides.__values_mut();
    let (inner, inner_unwritable) = (take_range(&mut values.0, &fields), take_range(&mut values.1, &fields));
    *group.__values_mut() = OverrideValues(inner, inner_unwritable);
    let group = edit(group);
    let values = overrides.__values_mut();
    values.0.extend(group.__values().0.iter().map(|(index, value)| (index + fields.start, value.clone())));
    values.1.extend(group.__values().1.iter().map(|(index, why)| (index + fields.start, why.clone())));
    overrides
}

/// One problem of the serde path as one line: its message and its help.
pub(crate) fn problem_line(error: &Error) -> String {
    let problem = &error.problems()[0];
    match &problem.help {
        Some(help) => format!("{} (help: {})", problem.message, help.replace('\n', " ")),
        None => problem.message.clone(),
    }
}

/// The entries of `values` in `fields`, taken out and renumbered from 0.
fn take_range<V>(values: &mut BTreeMap<usize, V>, fields: &std::ops::Range<usize>) -> BTreeMap<usize, V> {
    let mut after = values.split_off(&fields.start);
    let mut rest = after.split_off(&fields.end);
    values.append(&mut rest);
    after.into_iter().map(|(index, value)| (index - fields.start, value)).collect()
}

/// `Debug` of typed overrides: the set overrides by argument name, through
/// their converted values (so that field types need no `Debug`).
#[doc(hidden)]
pub fn debug_overrides<O: Overrides>(overrides: &O, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    let mut map = f.debug_map();
    for (key, value) in overrides.entries() {
        map.entry(&key, &value);
    }
    map.finish()
}

/// Serializes the set overrides as a mapping.
#[doc(hidden)]
pub fn serialize_overrides<O, S>(overrides: &O, serializer: S) -> Result<S::Ok, S::Error>
where
    O: Overrides,
    S: serde::Serializer,
{
    use serde::ser::SerializeMap;
    let entries = overrides.entries();
    let mut map = serializer.serialize_map(Some(entries.len()))?;
    for (name, value) in &entries {
        map.serialize_entry(name, value)?;
    }
    map.end()
}
