//! The field table of an argument struct: metadata, typed access, role
//! specialization and validators.
//!
//! `#[derive(MegatronArgs)]` generates, per struct, the field metadata as one
//! string, one call to [`SchemaBuilder`] per field (choosing its codec) and
//! two accessors from member index to the field as `dyn Any`, by `&` and by
//! `&mut` (`__member`, `__member_mut`), each a tuple of the members' borrows
//! per 16 members, which [`pick`] and [`pick_mut`] index;
//! everything else (lookup, dynamic get/set, `for_role`, typed overrides,
//! which are kept as values) is written once here, generically. No closure
//! per field: type-checking thousands of small closures was most of the
//! derive's compile time on slime's thousand-argument surface.

use std::any::Any;
use std::collections::HashMap;
use std::ops::Range;

use super::MegatronArgs;
use crate::model::args::hooks::{Hooks, ValueCheckHook};
use crate::model::conversion::CodecToken;
use crate::model::error::{Error, Problem};
use crate::model::field::{CliArg, FieldInfo, MetadataReader, RoleValueKind};
use crate::model::place::Place;
use crate::model::relations::{Checks, Derivation};
use crate::model::role::Role;
use crate::model::value::{ArgValue, Codec, FieldParser, Plain, TypeMismatch, Unwritable, Value, ValueType};

type Getter<A> = Box<dyn Fn(&A) -> Result<Value, Unwritable> + Send + Sync>;
type Setter<A> = Box<dyn Fn(&mut A, &Value) -> Result<(), TypeMismatch> + Send + Sync>;
type Validator<A> = Box<dyn Fn(&A) -> Result<(), String> + Send + Sync>;
type Normalizer = Box<dyn Fn(&Value) -> Result<Value, TypeMismatch> + Send + Sync>;
/// `#[megatron(derive_with = path)]`, the struct's own or a flattened
/// group's (run on the group's member).
pub(crate) type DeriveFn<A> = Box<dyn Fn(&mut Derivation<'_, A>) + Send + Sync>;
/// `#[megatron(check = path)]`, the struct's own or a flattened group's.
pub(crate) type CheckFn<A> = Box<dyn Fn(&mut Checks<'_, A>) + Send + Sync>;

/// Typed access to one field, built from its codec.
pub(crate) struct FieldAccess<A: MegatronArgs> {
    pub(crate) get: Getter<A>,
    pub(crate) set: Setter<A>,
    pub(crate) normalize: Normalizer,
    /// The typed setter's value (`&C::Target`) as a value.
    pub(crate) encode_any: fn(&dyn Any) -> Result<Value, Unwritable>,
    pub(crate) validator: Option<Validator<A>>,
    /// The value check of the struct that declares the field (a flattened
    /// group's own), and the field's index there: a value is checked
    /// against that struct's clap argument, so a file's values build the
    /// commands of their groups alone, not the whole struct's.
    pub(crate) value_check: (ValueCheckHook, usize),
}

/// A role's specialized value for one field.
pub(crate) struct RoleValue<A: MegatronArgs> {
    pub(crate) role: A::Role,
    pub(crate) field: usize,
    pub(crate) kind: RoleValueKind,
    pub(crate) apply: Box<dyn Fn(&mut A) + Send + Sync>,
}

/// A `#[command(flatten)] Option<Group>` member: its fields, and whether
/// the group is present in a value of the struct.
pub(crate) struct OptionalGroup<A: MegatronArgs> {
    pub(crate) fields: Range<usize>,
    /// The group's type, for messages.
    pub(crate) name: &'static str,
    pub(crate) present: Box<dyn Fn(&A) -> bool + Send + Sync>,
}

/// The complete field table of an argument struct.
#[doc(hidden)]
pub struct Schema<A: MegatronArgs> {
    pub(crate) infos: Vec<FieldInfo>,
    pub(crate) access: Vec<FieldAccess<A>>,
    by_name: HashMap<&'static str, usize>,
    pub(crate) role_values: Vec<RoleValue<A>>,
    /// The fields of each member (`__member`): one for an argument, the
    /// group's for a flattened group.
    pub(crate) member_fields: Vec<Range<usize>>,
    /// The struct's derivations, in declaration order.
    pub(crate) derivations: Vec<DeriveFn<A>>,
    /// The struct's cross-field checks, in declaration order.
    pub(crate) relation_checks: Vec<CheckFn<A>>,
    /// The optional groups (`Option<Group>`), nested ones included.
    pub(crate) optional_groups: Vec<OptionalGroup<A>>,
    /// Prepared at first use: it needs the finished table.
    /// What the layers above the model add (see [`Hooks`]).
    pub(crate) hooks: Hooks<A>,
    /// The clap ids the struct's relation attributes name.
    pub(crate) relation_ids: RelationIds,
    /// A mistake in the struct's definition that the derive cannot see
    /// (a name repeated through `flatten`), reported by every entry point.
    pub(crate) definition_error: Option<String>,
}

impl<A: MegatronArgs> Schema<A> {
    /// The definition error, as an error of the struct's definition.
    pub(crate) fn check_definition(&self) -> Result<(), crate::model::error::Error> {
        match &self.definition_error {
            None => Ok(()),
            Some(message) => Err(crate::model::error::Error::from(crate::model::error::Problem::new(
                crate::model::error::ProblemKind::Definition,
                message.clone(),
                None,
                Some("rename one of them with `#[megatron(rename = \"...\")]`".to_string()),
            ))),
        }
    }

    /// The field whose argument name or alias is `name`.
    pub(crate) fn index_of(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// The field whose flag or flag alias is `flag` (`--lr`).
    pub(crate) fn index_of_flag(&self, flag: &str) -> Option<usize> {
        let long = flag.strip_prefix("--");
        self.infos.iter().position(|f| {
            f.flag == flag
                || (long.is_some() && (f.cli.long == long || f.cli.aliases.iter().any(|a| Some(*a) == long)))
        })
    }

    /// Whether `field` is `role_forced` for `role` (the file may not set it).
    pub(crate) fn is_forced(&self, role: A::Role, field: usize) -> bool {
        self.role_values
            .iter()
            .any(|rv| rv.role == role && rv.field == field && rv.kind == RoleValueKind::Forced)
    }

    /// The value of field `index` in `args`, or why it has no spelling of
    /// its own (see [`Codec::encode`]).
    pub(crate) fn value(&self, args: &A, index: usize) -> Result<Value, Unwritable> {
        (self.access[index].get)(args)
    }

    /// Whether field `index` belongs to an optional group that `args` does
    /// not hold (`None`): it has no value, and nothing of it is written.
    pub(crate) fn in_absent_group(&self, args: &A, index: usize) -> bool {
        self.optional_groups.iter().any(|group| group.fields.contains(&index) && !(group.present)(args))
    }

    /// The value of field `index`: of the field's type, and accepted by the
    /// clap argument's value parser. Returns it in its canonical form (`"1e-5"`
    /// is `1e-5`).
    pub(crate) fn check_value(
        &self,
        index: usize,
        key_path: &str,
        raw: &Value,
        place: &impl Place,
    ) -> Result<Value, Error> {
        let schema = self;
        let checked = (schema.access[index].normalize)(raw)
            .map_err(|mismatch| {
                Error::from(Problem::type_mismatch(key_path, &mismatch, place.value(&mismatch.path)))
            })
            .and_then(|value| {
                let (check, declared) = schema.access[index].value_check;
                check(declared, key_path, &value, raw, &|path| place.value(path))?;
                Ok(value)
            });
        match checked {
            // A secret's value is never quoted (SPEC 4.9).
            Err(error) if schema.infos[index].secret => {
                Err(Error::new(error.into_problems().into_iter().map(Problem::secret_masked).collect()))
            }
            checked => checked,
        }
    }

    /// Every name and alias, for did-you-mean suggestions.
    pub(crate) fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.by_name.keys().copied()
    }
}

/// Builds a [`Schema`]; the derive's generated code calls it once per field.
#[doc(hidden)]
pub struct SchemaBuilder<A: MegatronArgs> {
    infos: Vec<FieldInfo>,
    access: Vec<FieldAccess<A>>,
    role_values: Vec<RoleValue<A>>,
    positionals: usize,
    metadata: MetadataReader,
    member_fields: Vec<Range<usize>>,
    derivations: Vec<DeriveFn<A>>,
    relation_checks: Vec<CheckFn<A>>,
    optional_groups: Vec<OptionalGroup<A>>,
    hooks: Hooks<A>,
    relation_ids: RelationIds,
}

impl<A: MegatronArgs> SchemaBuilder<A> {
    /// Starts an empty table of the fields described by `metadata`, the
    /// derive's encoding of the struct's regular fields (see
    /// [`MetadataReader`]), with the `hooks` of the layers above the model.
    pub fn new(metadata: &'static str, hooks: Hooks<A>) -> Self {
        SchemaBuilder {
            hooks,
            relation_ids: RelationIds::Known(Vec::new()),
            infos: Vec::new(),
            access: Vec::new(),
            role_values: Vec::new(),
            positionals: 0,
            metadata: MetadataReader::new(metadata),
            member_fields: Vec::new(),
            derivations: Vec::new(),
            relation_checks: Vec::new(),
            optional_groups: Vec::new(),
        }
    }

    /// Field `field`'s clap argument, for a codec that runs its value
    /// parser: looked up (through the clap adapter) only when the codec asks.
    fn field_parser(&self, field: usize) -> FieldParser {
        #[cfg(feature = "clap")]
        return FieldParser::new(field, self.hooks.arg_parser);
        #[cfg(not(feature = "clap"))]
        {
            let _ = field;
            FieldParser::default()
        }
    }

    /// The clap ids the struct's relation attributes (`requires`,
    /// `conflicts_with`, `group`, ...) name, the declaring arguments' own
    /// included, as the derive read them.
    pub fn relations(&mut self, ids: &'static [&'static str]) {
        self.relation_ids.add(&RelationIds::Known(ids.to_vec()));
    }

    /// A relation attribute names arguments through an expression the
    /// derive cannot read: every argument may take part in a relation.
    pub fn relations_unreadable(&mut self) {
        self.relation_ids = RelationIds::Unreadable;
    }

    /// `#[megatron(derive_with = path)]` on the struct.
    pub fn derive_with(&mut self, derive: fn(&mut Derivation<'_, A>)) {
        self.derivations.push(Box::new(derive));
    }

    /// `#[megatron(check = path)]` on the struct.
    pub fn check(&mut self, check: fn(&mut Checks<'_, A>)) {
        self.relation_checks.push(Box::new(check));
    }

    /// Numbers the next member, whose fields start at the next field.
    fn take_member(&mut self, fields: usize) -> usize {
        let start = self.infos.len();
        self.member_fields.push(start..start + fields);
        self.member_fields.len() - 1
    }

    /// The next positional index, when `cli` is a positional argument.
    fn number_positional(&mut self, mut cli: CliArg) -> CliArg {
        if cli.positional.is_some() {
            cli.positional = Some(self.positionals);
            self.positionals += 1;
        }
        cli
    }

    /// Adds the next field, converted by codec `C` (chosen by the derive,
    /// see `conversion.rs`), whose type is `C::Target`.
    pub fn field<C: Codec>(&mut self, _codec: CodecToken<C>) -> FieldBuilder<'_, A, C> {
        let field = self.infos.len();
        let parser = self.field_parser(field);
        let index = self.take_member(1);
        let mut info = self.metadata.next_field(self.infos.len(), C::value_type());
        info.cli = self.number_positional(info.cli);
        self.infos.push(info);
        self.access.push(FieldAccess {
            get: Box::new(move |args| C::encode(member::<A, C::Target>(args, index))),
            set: Box::new(move |args, value| {
                *member_mut::<A, C::Target>(args, index) = C::__decode(value, parser)?;
                Ok(())
            }),
            normalize: Box::new(move |value| C::__normalize(value, parser)),
            encode_any: |value| match value.downcast_ref::<C::Target>() {
                Some(typed) => C::encode(typed),
                None => type_mismatch::<A, C::Target>("a typed setter's value"),
            },
            validator: None,
            value_check: (self.hooks.value_check, field),
        });
        FieldBuilder { builder: self, _codec: std::marker::PhantomData }
    }

    /// Adds the next field, of a type the runtime converts itself.
    pub fn plain<T: ArgValue>(&mut self) -> FieldBuilder<'_, A, Plain<T>> {
        self.field(crate::model::conversion::codec())
    }

    /// Adds the next fields, one per element of the tuple `L`, each of a type
    /// the runtime converts itself: the derive registers a run of such
    /// fields with one call, which costs rustc less than a call per field.
    pub fn plains<L: PlainFields>(&mut self) {
        L::add_to(self);
    }

    /// Adds every field of the next member, a flattened group, in its
    /// declaration order, with the group's validators, role values,
    /// derivations and checks: they run on the group's member, for every
    /// role, wherever the group is flattened.
    pub fn flatten<I>(&mut self)
    where
        I: MegatronArgs,
        I::Role: RoleSetOf<I, A::Role>,
    {
        let inner = I::__schema();
        self.relation_ids.add(&inner.relation_ids);
        let index = self.take_member(inner.infos.len());
        let offset = self.infos.len();
        // A group whose attributes name no relation has a command of its own
        // that clap builds alone; one that does may name arguments of the
        // struct that flattens it, and its values are checked against this
        // struct's command.
        let own_checks = inner.relation_ids == RelationIds::Known(Vec::new());
        for (info, access) in inner.infos.iter().zip(&inner.access) {
            let cli = self.number_positional(info.cli);
            self.infos.push(FieldInfo { index: offset + info.index, cli, ..info.clone() });
            self.access.push(FieldAccess {
                get: Box::new(move |args| (access.get)(member::<A, I>(args, index))),
                set: Box::new(move |args, value| (access.set)(member_mut::<A, I>(args, index), value)),
                normalize: Box::new(move |value| (access.normalize)(value)),
                encode_any: access.encode_any,
                validator: access.validator.as_ref().map(|inner_validate| {
                    Box::new(move |args: &A| inner_validate(member::<A, I>(args, index))) as Validator<A>
                }),
                value_check: match own_checks {
                    true => access.value_check,
                    false => (self.hooks.value_check, offset + info.index),
                },
            });
        }
        for rv in &inner.role_values {
            self.role_values.push(RoleValue {
                role: rv.role.into_outer(),
                field: offset + rv.field,
                kind: rv.kind,
                apply: Box::new(move |args| (rv.apply)(member_mut::<A, I>(args, index))),
            });
        }
        // The group's hooks, after those of groups it flattens itself (they
        // are in its table already) and before the struct's own, which the
        // derive adds last: a struct's derivation sees the group's filled.
        for derive in &inner.derivations {
            self.derivations.push(Box::new(move |d: &mut Derivation<'_, A>| {
                let role = I::Role::from_outer(d.role());
                d.run_group::<I>(role, (member_mut::<A, I>, index), offset, |inner| derive(inner));
            }));
        }
        for check in &inner.relation_checks {
            self.relation_checks.push(Box::new(move |c: &mut Checks<'_, A>| {
                let role = I::Role::from_outer(c.role());
                c.run_group::<I>(role, (member::<A, I>, index), offset, |inner| check(inner));
            }));
        }
        for group in &inner.optional_groups {
            self.optional_groups.push(OptionalGroup {
                fields: offset + group.fields.start..offset + group.fields.end,
                name: group.name,
                present: Box::new(move |args| (group.present)(member::<A, I>(args, index))),
            });
        }
    }

    /// Adds every field of the next member, an optional flattened group
    /// (`#[command(flatten)] Option<I>`): present when clap read one of its
    /// arguments, else `None`. A field of an absent group reads as `null`,
    /// takes only `null`, and is not written; its type is shown optional.
    pub fn flatten_optional<I>(&mut self)
    where
        I: MegatronArgs,
        I::Role: RoleSetOf<I, A::Role>,
    {
        let inner = I::__schema();
        let index = self.take_member(inner.infos.len());
        let offset = self.infos.len();
        let name = crate::model::value::short_type_name::<I>();
        self.relation_ids.add(&inner.relation_ids);
        // As for `flatten`: the group's own command checks its values unless
        // its attributes name relations, which this struct's command holds.
        let own_checks = inner.relation_ids == RelationIds::Known(Vec::new());
        for (info, access) in inner.infos.iter().zip(&inner.access) {
            let cli = self.number_positional(info.cli);
            let value_type = match &info.value_type {
                optional @ ValueType::Optional(_) => optional.clone(),
                other => ValueType::Optional(Box::new(other.clone())),
            };
            self.infos.push(FieldInfo { index: offset + info.index, cli, value_type, ..info.clone() });
            self.access.push(FieldAccess {
                get: Box::new(move |args| match member::<A, Option<I>>(args, index) {
                    Some(group) => (access.get)(group),
                    None => Ok(Value::Null),
                }),
                set: Box::new(move |args, value| match member_mut::<A, Option<I>>(args, index) {
                    Some(group) => (access.set)(group, value),
                    None if *value == Value::Null => Ok(()),
                    None => Err(TypeMismatch::new(
                        format!("null (the optional group `{name}` is absent from these arguments)"),
                        value,
                    )
                    .with_help(
                        "give one of the group's arguments on the command line, so that it is present",
                    )),
                }),
                normalize: Box::new(move |value| match value {
                    Value::Null => Ok(Value::Null),
                    value => (access.normalize)(value),
                }),
                encode_any: access.encode_any,
                validator: access.validator.as_ref().map(|inner_validate| {
                    Box::new(move |args: &A| match member::<A, Option<I>>(args, index) {
                        Some(group) => inner_validate(group),
                        None => Ok(()),
                    }) as Validator<A>
                }),
                value_check: match own_checks {
                    true => access.value_check,
                    false => (self.hooks.value_check, offset + info.index),
                },
            });
        }
        for rv in &inner.role_values {
            self.role_values.push(RoleValue {
                role: rv.role.into_outer(),
                field: offset + rv.field,
                kind: rv.kind,
                apply: Box::new(move |args| {
                    if let Some(group) = member_mut::<A, Option<I>>(args, index) {
                        (rv.apply)(group);
                    }
                }),
            });
        }
        // The group's hooks, run while the group is present.
        for derive in &inner.derivations {
            self.derivations.push(Box::new(move |d: &mut Derivation<'_, A>| {
                if member::<A, Option<I>>(d.args(), index).is_some() {
                    let role = I::Role::from_outer(d.role());
                    d.run_group::<I>(role, (present_member_mut::<A, I>, index), offset, |inner| {
                        derive(inner)
                    });
                }
            }));
        }
        for check in &inner.relation_checks {
            self.relation_checks.push(Box::new(move |c: &mut Checks<'_, A>| {
                if member::<A, Option<I>>(c.args(), index).is_some() {
                    let role = I::Role::from_outer(c.role());
                    c.run_group::<I>(role, (present_member::<A, I>, index), offset, |inner| check(inner));
                }
            }));
        }
        self.optional_groups.push(OptionalGroup {
            fields: offset..offset + inner.infos.len(),
            name,
            present: Box::new(move |args| member::<A, Option<I>>(args, index).is_some()),
        });
        for group in &inner.optional_groups {
            self.optional_groups.push(OptionalGroup {
                fields: offset + group.fields.start..offset + group.fields.end,
                name: group.name,
                present: Box::new(move |args| {
                    member::<A, Option<I>>(args, index).as_ref().is_some_and(|inner| (group.present)(inner))
                }),
            });
        }
    }

    /// Finishes the table.
    ///
    /// Two fields sharing a name or alias (possible only through `flatten`,
    /// which the derive cannot see across) make a definition error, which
    /// every entry point reports; lookups find the first of them.
    pub fn build(self) -> Schema<A> {
        assert!(
            self.metadata.is_done(),
            "megatron-args: the derive described more fields than it registered; use the same version of both crates"
        );
        let mut by_name = HashMap::with_capacity(self.infos.len());
        let mut definition_error = None;
        for info in &self.infos {
            for name in std::iter::once(info.name).chain(info.aliases.iter().copied()) {
                if let Some(&previous) = by_name.get(name) {
                    let previous: &FieldInfo = &self.infos[previous];
                    definition_error.get_or_insert_with(|| {
                        format!(
                            "the argument name `{name}` is used by two fields of `{}`: `{}` ({}) and `{}` ({}), \
                             through a flattened group",
                            crate::model::value::short_type_name::<A>(),
                            previous.name,
                            previous.flag,
                            info.name,
                            info.flag,
                        )
                    });
                } else {
                    by_name.insert(name, info.index);
                }
            }
        }
        Schema {
            infos: self.infos,
            access: self.access,
            by_name,
            role_values: self.role_values,
            member_fields: self.member_fields,
            derivations: self.derivations,
            relation_checks: self.relation_checks,
            optional_groups: self.optional_groups,
            hooks: self.hooks,
            relation_ids: self.relation_ids,
            definition_error,
        }
    }
}

/// The role set `Self` of the flattened group `Group` is `R`, that of the
/// struct that flattens it (the only implementation: `R` itself). A bound
/// of [`SchemaBuilder::flatten`], so that a group of another role set is an
/// error at the group's field that names the attribute to add.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the flattened group `{Group}` has the role set `{Self}`, not `{R}`, the role set of the struct that flattens it",
    label = "`{Group}` has the role set `{Self}`",
    note = "add `#[megatron(roles = {R})]` to the struct `{Group}`: a group takes the role set of the struct that flattens it"
)]
pub trait RoleSetOf<Group, R>: Copy {
    /// The role as one of the flattening struct's.
    fn into_outer(self) -> R;
    /// A role of the flattening struct as one of the group's.
    fn from_outer(role: R) -> Self;
}

impl<Group, R: Copy> RoleSetOf<Group, R> for R {
    fn into_outer(self) -> R {
        self
    }
    fn from_outer(role: R) -> R {
        role
    }
}

/// A tuple of field types the runtime converts itself, for
/// [`SchemaBuilder::plains`] (up to 16).
#[doc(hidden)]
pub trait PlainFields {
    fn add_to<A: MegatronArgs>(builder: &mut SchemaBuilder<A>);
}

macro_rules! plain_fields {
    () => {};
    ($first:ident $($rest:ident)*) => {
        impl<$first: ArgValue, $($rest: ArgValue),*> PlainFields for ($first, $($rest,)*) {
            fn add_to<A: MegatronArgs>(builder: &mut SchemaBuilder<A>) {
                builder.plain::<$first>();
                $(builder.plain::<$rest>();)*
            }
        }
        plain_fields!($($rest)*);
    };
}

plain_fields!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14 T15);

/// Member `index` of `args`, which the derive gave type `T`.
fn member<A: MegatronArgs, T: Any>(args: &A, index: usize) -> &T {
    args.__member(index).and_then(|m| m.downcast_ref()).unwrap_or_else(|| type_mismatch::<A, T>("a member"))
}

/// Member `index` of `args`, an optional group (`Option<T>`) known to be
/// present.
fn present_member<A: MegatronArgs, T: Any>(args: &A, index: usize) -> &T {
    member::<A, Option<T>>(args, index).as_ref().unwrap_or_else(|| type_mismatch::<A, T>("an absent group"))
}

fn present_member_mut<A: MegatronArgs, T: Any>(args: &mut A, index: usize) -> &mut T {
    member_mut::<A, Option<T>>(args, index)
        .as_mut()
        .unwrap_or_else(|| type_mismatch::<A, T>("an absent group"))
}

fn member_mut<A: MegatronArgs, T: Any>(args: &mut A, index: usize) -> &mut T {
    args.__member_mut(index)
        .and_then(|m| m.downcast_mut())
        .unwrap_or_else(|| type_mismatch::<A, T>("a member"))
}

/// Element `index` of a tuple of borrowed members, as `&dyn Any`; `None`
/// past its end.
///
/// The derive's `__member` hands a tuple of up to 16 members' borrows
/// (`(&self.lr, &self.save, ...)`) to [`pick`]: the unsizing to `dyn Any` is
/// written once here, not once per field, which costs rustc a third less than
/// a `match` arm per field.
#[doc(hidden)]
pub trait Members<'a> {
    fn pick(self, index: usize) -> Option<&'a dyn Any>;
}

/// [`Members`], by unique borrow (`__member_mut`).
#[doc(hidden)]
pub trait MembersMut<'a> {
    fn pick_mut(self, index: usize) -> Option<&'a mut dyn Any>;
}

macro_rules! members {
    () => {};
    ($($ty:ident $index:tt)+) => {
        impl<'a, $($ty: Any),+> Members<'a> for ($(&'a $ty,)+) {
            fn pick(self, index: usize) -> Option<&'a dyn Any> {
                match index {
                    $($index => Some(self.$index),)+
                    _ => None,
                }
            }
        }
        impl<'a, $($ty: Any),+> MembersMut<'a> for ($(&'a mut $ty,)+) {
            fn pick_mut(self, index: usize) -> Option<&'a mut dyn Any> {
                match index {
                    $($index => Some(self.$index),)+
                    _ => None,
                }
            }
        }
    };
}

members!(T0 0);
members!(T0 0 T1 1);
members!(T0 0 T1 1 T2 2);
members!(T0 0 T1 1 T2 2 T3 3);
members!(T0 0 T1 1 T2 2 T3 3 T4 4);
members!(T0 0 T1 1 T2 2 T3 3 T4 4 T5 5);
members!(T0 0 T1 1 T2 2 T3 3 T4 4 T5 5 T6 6);
members!(T0 0 T1 1 T2 2 T3 3 T4 4 T5 5 T6 6 T7 7);
members!(T0 0 T1 1 T2 2 T3 3 T4 4 T5 5 T6 6 T7 7 T8 8);
members!(T0 0 T1 1 T2 2 T3 3 T4 4 T5 5 T6 6 T7 7 T8 8 T9 9);
members!(T0 0 T1 1 T2 2 T3 3 T4 4 T5 5 T6 6 T7 7 T8 8 T9 9 T10 10);
members!(T0 0 T1 1 T2 2 T3 3 T4 4 T5 5 T6 6 T7 7 T8 8 T9 9 T10 10 T11 11);
members!(T0 0 T1 1 T2 2 T3 3 T4 4 T5 5 T6 6 T7 7 T8 8 T9 9 T10 10 T11 11 T12 12);
members!(T0 0 T1 1 T2 2 T3 3 T4 4 T5 5 T6 6 T7 7 T8 8 T9 9 T10 10 T11 11 T12 12 T13 13);
members!(T0 0 T1 1 T2 2 T3 3 T4 4 T5 5 T6 6 T7 7 T8 8 T9 9 T10 10 T11 11 T12 12 T13 13 T14 14);
members!(T0 0 T1 1 T2 2 T3 3 T4 4 T5 5 T6 6 T7 7 T8 8 T9 9 T10 10 T11 11 T12 12 T13 13 T14 14 T15 15);

/// Element `index` of `members` (see [`Members`]).
#[doc(hidden)]
pub fn pick<'a, M: Members<'a>>(members: M, index: usize) -> Option<&'a dyn Any> {
    members.pick(index)
}

/// Element `index` of `members`, by unique borrow (see [`MembersMut`]).
#[doc(hidden)]
pub fn pick_mut<'a, M: MembersMut<'a>>(members: M, index: usize) -> Option<&'a mut dyn Any> {
    members.pick_mut(index)
}

/// The derive checks at compile time that each codec converts its field's
/// type, so this is a bug in the derive, never a user's mistake.
fn type_mismatch<S, T>(what: &str) -> ! {
    panic!(
        "megatron-args: {what} of `{}` is not a `{}`",
        std::any::type_name::<S>(),
        std::any::type_name::<T>()
    )
}

/// The last field added, for its optional parts.
#[doc(hidden)]
pub struct FieldBuilder<'b, A: MegatronArgs, C: Codec> {
    builder: &'b mut SchemaBuilder<A>,
    _codec: std::marker::PhantomData<fn() -> C>,
}

impl<A: MegatronArgs, C: Codec> FieldBuilder<'_, A, C> {
    fn index(&self) -> usize {
        self.builder.infos.len() - 1
    }

    fn access(&mut self) -> &mut FieldAccess<A> {
        self.builder.access.last_mut().expect("a field was just added")
    }

    /// `#[arg(id = EXPR)]` with an expression (a constant): clap's id of the
    /// argument, and the name it is shown by when it is positional without
    /// a `value_name` (`shows_id`).
    pub fn cli_id(mut self, id: impl std::fmt::Display, shows_id: bool) -> Self {
        let id: &'static str = id.to_string().leak();
        let info = self.info();
        info.cli.id = id;
        if shows_id {
            info.flag = format!("<{id}>").leak();
        }
        self
    }

    /// `#[arg(long = EXPR)]`, or a bare `long` after `id = EXPR`.
    pub fn cli_long(mut self, long: impl std::fmt::Display) -> Self {
        let long: &'static str = long.to_string().leak();
        let info = self.info();
        info.cli.long = Some(long);
        info.flag = format!("--{long}").leak();
        self
    }

    /// `#[arg(short = EXPR)]`, or a bare `short` after `id = EXPR`: the
    /// value's first character, as clap_derive takes it.
    pub fn cli_short(mut self, short: impl std::fmt::Display) -> Self {
        let short = short.to_string().chars().next();
        let info = self.info();
        info.cli.short = short;
        if let (None, Some(short)) = (info.cli.long, short) {
            info.flag = format!("-{short}").leak();
        }
        self
    }

    fn info(&mut self) -> &mut FieldInfo {
        self.builder.infos.last_mut().expect("a field was just added")
    }

    /// `#[megatron(validate = path)]`.
    pub fn validate(mut self, validate: fn(&A) -> Result<(), String>) -> Self {
        self.access().validator = Some(Box::new(validate));
        self
    }

    /// `#[megatron(role_default(role = EXPR))]`.
    pub fn role_default(self, role: A::Role, apply: fn(&mut A)) -> Self {
        self.role_value(role, RoleValueKind::Default, apply)
    }

    /// `#[megatron(role_forced(role = EXPR))]`.
    pub fn role_forced(self, role: A::Role, apply: fn(&mut A)) -> Self {
        self.role_value(role, RoleValueKind::Forced, apply)
    }

    fn role_value(self, role: A::Role, kind: RoleValueKind, apply: fn(&mut A)) -> Self {
        let field = self.index();
        assert!(
            !self.builder.role_values.iter().any(|rv| rv.role == role && rv.field == field),
            "megatron-args: field `{}` declares two values for role `{}`",
            self.builder.infos[field].name,
            role.name()
        );
        self.builder.role_values.push(RoleValue { role, field, kind, apply: Box::new(apply) });
        self
    }
}

/// The clap ids a struct's relation attributes name (its flattened groups'
/// included), so that the relations check looks only at the arguments they
/// involve.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum RelationIds {
    /// These ids, and no others.
    Known(Vec<&'static str>),
    /// Some cannot be read: any argument may be involved.
    Unreadable,
}

impl RelationIds {
    fn add(&mut self, other: &RelationIds) {
        match (&mut *self, other) {
            (RelationIds::Known(ids), RelationIds::Known(more)) => ids.extend(more),
            (_, RelationIds::Unreadable) => *self = RelationIds::Unreadable,
            (RelationIds::Unreadable, _) => {}
        }
    }
}
