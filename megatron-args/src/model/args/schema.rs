//! The field table of an argument struct: metadata, typed access, role
//! specialization and validators.
//!
//! `#[derive(MegatronArgs)]` generates one call to [`SchemaBuilder`] per
//! field; everything else (lookup, dynamic get/set, `for_role`, override
//! application) is written once here, generically, so that the generated code
//! stays small for structs of a thousand fields.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::MegatronArgs;
use crate::model::conversion::CodecToken;
use crate::model::field::{CliArg, FieldInfo, FieldMeta, RoleValueKind};
use crate::model::role::Role;
use crate::model::value::{Codec, TypeMismatch, Value};
use crate::model::value_checks::ValueChecks;

type Getter<A> = Box<dyn Fn(&A) -> Value + Send + Sync>;
type Setter<A> = Box<dyn Fn(&mut A, &Value) -> Result<(), TypeMismatch> + Send + Sync>;
type OverrideGetter<O> = Box<dyn Fn(&O) -> Option<Value> + Send + Sync>;
type Validator<A> = Box<dyn Fn(&A) -> Result<(), String> + Send + Sync>;

/// Typed access to one field, built from its codec.
pub(crate) struct FieldAccess<A: MegatronArgs> {
    pub(crate) get: Getter<A>,
    pub(crate) set: Setter<A>,
    pub(crate) normalize: fn(&Value) -> Result<Value, TypeMismatch>,
    pub(crate) override_get: Option<OverrideGetter<A::Overrides>>,
    pub(crate) override_set: Option<Setter<A::Overrides>>,
    pub(crate) validator: Option<Validator<A>>,
}

/// A role's specialized value for one field.
pub(crate) struct RoleValue<A: MegatronArgs> {
    pub(crate) role: A::Role,
    pub(crate) field: usize,
    pub(crate) kind: RoleValueKind,
    pub(crate) apply: Box<dyn Fn(&mut A) + Send + Sync>,
}

/// The complete field table of an argument struct.
#[doc(hidden)]
pub struct Schema<A: MegatronArgs> {
    pub(crate) infos: Vec<FieldInfo>,
    pub(crate) access: Vec<FieldAccess<A>>,
    by_name: HashMap<&'static str, usize>,
    pub(crate) role_values: Vec<RoleValue<A>>,
    /// Prepared at first use: it needs the finished table.
    checks: OnceLock<ValueChecks>,
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

    /// The value of field `index` in `args`.
    pub(crate) fn value(&self, args: &A, index: usize) -> Value {
        (self.access[index].get)(args)
    }

    /// The checks of values beyond their types (the clap value parsers).
    pub(crate) fn checks(&self) -> &ValueChecks {
        self.checks.get_or_init(ValueChecks::of::<A>)
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
}

impl<A: MegatronArgs> Default for SchemaBuilder<A> {
    fn default() -> Self {
        SchemaBuilder { infos: Vec::new(), access: Vec::new(), role_values: Vec::new(), positionals: 0 }
    }
}

impl<A: MegatronArgs> SchemaBuilder<A> {
    /// Starts an empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// The next positional index, when `cli` is a positional argument.
    fn number_positional(&mut self, mut cli: CliArg) -> CliArg {
        if cli.positional.is_some() {
            cli.positional = Some(self.positionals);
            self.positionals += 1;
        }
        cli
    }

    /// Adds a field converted by codec `C` (chosen by the derive, see
    /// `conversion.rs`).
    pub fn field<C: Codec>(
        &mut self,
        meta: FieldMeta,
        get: fn(&A) -> &C::Target,
        get_mut: fn(&mut A) -> &mut C::Target,
        _codec: CodecToken<C>,
    ) -> FieldBuilder<'_, A, C> {
        let cli = self.number_positional(meta.cli);
        self.infos.push(FieldInfo {
            cli,
            index: self.infos.len(),
            name: meta.name,
            ident: meta.ident,
            flag: meta.flag,
            aliases: meta.aliases,
            class: meta.class,
            rust_type: meta.rust_type,
            doc: meta.doc,
            value_type: C::value_type(),
        });
        self.access.push(FieldAccess {
            get: Box::new(move |args| C::encode(get(args))),
            set: Box::new(move |args, value| {
                *get_mut(args) = C::decode(value)?;
                Ok(())
            }),
            normalize: |value| C::decode(value).map(|typed| C::encode(&typed)),
            override_get: None,
            override_set: None,
            validator: None,
        });
        FieldBuilder { builder: self, _codec: std::marker::PhantomData }
    }

    /// Adds every field of a flattened group, in its declaration order.
    pub fn flatten<I>(
        &mut self,
        get: fn(&A) -> &I,
        get_mut: fn(&mut A) -> &mut I,
        override_get: fn(&A::Overrides) -> &I::Overrides,
        override_get_mut: fn(&mut A::Overrides) -> &mut I::Overrides,
    ) where
        I: MegatronArgs<Role = A::Role>,
    {
        let inner = I::__schema();
        let offset = self.infos.len();
        for (info, access) in inner.infos.iter().zip(&inner.access) {
            let cli = self.number_positional(info.cli);
            self.infos.push(FieldInfo { index: offset + info.index, cli, ..info.clone() });
            self.access.push(FieldAccess {
                get: Box::new(move |args| (access.get)(get(args))),
                set: Box::new(move |args, value| (access.set)(get_mut(args), value)),
                normalize: access.normalize,
                override_get: access.override_get.as_ref().map(|inner_get| {
                    Box::new(move |ov: &A::Overrides| inner_get(override_get(ov)))
                        as OverrideGetter<A::Overrides>
                }),
                override_set: access.override_set.as_ref().map(|inner_set| {
                    Box::new(move |ov: &mut A::Overrides, value: &Value| {
                        inner_set(override_get_mut(ov), value)
                    }) as Setter<A::Overrides>
                }),
                validator: access.validator.as_ref().map(|inner_validate| {
                    Box::new(move |args: &A| inner_validate(get(args))) as Validator<A>
                }),
            });
        }
        for rv in &inner.role_values {
            self.role_values.push(RoleValue {
                role: rv.role,
                field: offset + rv.field,
                kind: rv.kind,
                apply: Box::new(move |args| (rv.apply)(get_mut(args))),
            });
        }
    }

    /// Finishes the table.
    ///
    /// Two fields sharing a name or alias (possible only through `flatten`,
    /// which the derive cannot see across) make a definition error, which
    /// every entry point reports; lookups find the first of them.
    pub fn build(self) -> Schema<A> {
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
            checks: OnceLock::new(),
            definition_error,
        }
    }
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

    /// The field's slot in `ArgsOverrides`.
    pub fn overridable(
        mut self,
        get: fn(&A::Overrides) -> &Option<C::Target>,
        get_mut: fn(&mut A::Overrides) -> &mut Option<C::Target>,
    ) -> Self {
        let access = self.access();
        access.override_get = Some(Box::new(move |ov| get(ov).as_ref().map(C::encode)));
        access.override_set = Some(Box::new(move |ov, value| {
            *get_mut(ov) = Some(C::decode(value)?);
            Ok(())
        }));
        self
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
