//! The derive's own model of its input: a struct of named fields, or a
//! fieldless role enum, with their attributes already read.

use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, Generics, Ident, Type, Visibility};

use heck::ToShoutySnakeCase;
use syn::{GenericArgument, PathArguments};

use crate::attr::{self, FieldAttrs, RoleEnumAttrs, RoleVariantAttrs, StructAttrs};
use crate::case;
use crate::clap_attr::{Action, Casing, ClapKind, Flag};
use crate::ctxt::Ctxt;

/// A struct deriving `MegatronArgs`.
pub struct Struct<'a> {
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    pub generics: &'a Generics,
    pub attrs: StructAttrs,
    pub fields: Vec<Field<'a>>,
}

/// One named field.
pub struct Field<'a> {
    pub ident: &'a Ident,
    /// The field's visibility: its setter's.
    pub vis: &'a Visibility,
    pub ty: &'a Type,
    pub attrs: FieldAttrs,
    pub doc: String,
    /// The struct's `rename_all` (clap's default, kebab-case, without one).
    pub struct_casing: Casing,
    /// Whether the struct is a clap struct: some clap attribute on it or on
    /// any field. Without one, every field is taken as a `--long` flag.
    pub clap_struct: bool,
    /// Whether the type's leaf (under `Option`/`Vec`) is a type parameter
    /// of the struct: its conversion cannot be chosen from the type.
    pub generic_leaf: bool,
}

/// What a field is to clap.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// An argument: listed in the field table.
    Arg,
    /// A flattened group (`#[command(flatten)]` or `#[megatron(flatten)]`).
    Flatten,
    /// `#[arg(skip)]`, `#[command(subcommand)]`, ...: not an argument; it
    /// follows the baseline.
    NotAnArg,
}

/// An enum deriving `Role`.
pub struct RoleEnum<'a> {
    pub ident: &'a Ident,
    pub generics: &'a Generics,
    pub attrs: RoleEnumAttrs,
    pub variants: Vec<RoleVariant<'a>>,
}

/// One role.
pub struct RoleVariant<'a> {
    pub ident: &'a Ident,
    pub fields: &'a Fields,
    pub attrs: RoleVariantAttrs,
}

impl<'a> Struct<'a> {
    /// `None` (with the error recorded) when the input is not a struct with
    /// named fields.
    pub fn from_syn(cx: &Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let unsupported = "#[derive(MegatronArgs)] supports only structs with named fields";
        let fields: Vec<&syn::Field> = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => named.named.iter().collect(),
                Fields::Unnamed(unnamed) => {
                    cx.error_spanned_by(unnamed, format!("{unsupported}, not tuple structs"));
                    return None;
                }
                // A group with no arguments, as clap's `Args` takes it.
                Fields::Unit => Vec::new(),
            },
            Data::Enum(data) => {
                cx.error_spanned_by(data.enum_token, format!("{unsupported}, not enums"));
                return None;
            }
            Data::Union(data) => {
                cx.error_spanned_by(data.union_token, format!("{unsupported}, not unions"));
                return None;
            }
        };
        let attrs = StructAttrs::from_ast(cx, &input.attrs);
        let mut fields: Vec<Field> = fields
            .iter()
            .map(|field| Field {
                ident: field.ident.as_ref().expect("named field"),
                vis: &field.vis,
                ty: &field.ty,
                attrs: FieldAttrs::from_ast(cx, &field.attrs),
                doc: attr::doc(&field.attrs),
                struct_casing: attrs.clap.casing,
                clap_struct: false,
                generic_leaf: is_type_param(leaf(&field.ty), &input.generics),
            })
            .collect();
        let clap_struct = attrs.clap.any || fields.iter().any(|f| f.attrs.clap.any);
        for field in &mut fields {
            field.clap_struct = clap_struct;
        }
        Some(Struct { ident: &input.ident, vis: &input.vis, generics: &input.generics, attrs, fields })
    }
}

impl<'a> Field<'a> {
    /// A field of a subcommand enum's variant, which clap reads as a field
    /// of a clap struct whose `rename_all` is `casing`.
    pub fn of_variant(cx: &Ctxt, field: &'a syn::Field, casing: Casing) -> Option<Self> {
        Some(Field {
            ident: field.ident.as_ref()?,
            vis: &field.vis,
            ty: &field.ty,
            attrs: FieldAttrs::from_ast(cx, &field.attrs),
            doc: attr::doc(&field.attrs),
            struct_casing: casing,
            clap_struct: true,
            generic_leaf: false,
        })
    }

    /// The field ident without `r#`.
    pub fn unraw(&self) -> String {
        self.ident.unraw().to_string()
    }

    /// The argument name: `rename`, or the field name.
    pub fn name(&self) -> String {
        match &self.attrs.rename {
            Some(lit) => lit.value(),
            None => self.unraw(),
        }
    }

    pub fn kind(&self) -> FieldKind {
        if self.attrs.flatten.is_some() || matches!(self.attrs.clap.kind, ClapKind::Flatten) {
            FieldKind::Flatten
        } else if matches!(self.attrs.clap.kind, ClapKind::NotAnArg(..)) {
            FieldKind::NotAnArg
        } else {
            FieldKind::Arg
        }
    }

    /// The long flag without `--`: `long = "..."`, or clap's derived
    /// spelling (`id`, else the field name in the struct's `rename_all`).
    pub fn long(&self) -> Option<String> {
        let clap = &self.attrs.clap;
        if !self.clap_struct {
            return Some(Casing::Kebab.long(&self.unraw()));
        }
        match &clap.long {
            Some(Flag::Given(long)) => Some(long.clone()),
            Some(Flag::Derived { id: Some(id), .. }) => Some(id.clone()),
            Some(Flag::Derived { id: None, casing }) => {
                Some(casing.unwrap_or(self.struct_casing).long(&self.unraw()))
            }
            // The runtime sets it from the expression's value.
            Some(Flag::Expr(_)) | None => None,
        }
    }

    /// clap's id: `id`/`name` as written (the last one given), else the
    /// field name.
    pub fn clap_id(&self) -> String {
        self.attrs.clap.id.clone().unwrap_or_else(|| self.unraw())
    }

    /// The short flag: `short = 'x'`, or clap's derived first letter.
    pub fn short(&self) -> Option<char> {
        match &self.attrs.clap.short {
            Some(Flag::Given(short)) => Some(*short),
            Some(Flag::Derived { id: Some(id), .. }) => id.chars().next(),
            Some(Flag::Derived { id: None, casing }) => {
                casing.unwrap_or(self.struct_casing).short(&self.unraw())
            }
            Some(Flag::Expr(_)) | None => None,
        }
    }

    /// Whether clap takes the field as a positional argument.
    pub fn is_positional(&self) -> bool {
        self.clap_struct && self.attrs.clap.is_positional()
    }

    /// How the argument is written on the command line, for messages:
    /// `--long`, `-s`, or `<VALUE_NAME>` for a positional argument.
    pub fn flag(&self) -> String {
        if let Some(long) = self.long() {
            return format!("--{long}");
        }
        if let Some(short) = self.short() {
            return format!("-{short}");
        }
        let value_name = match (&self.attrs.clap.value_name, &self.attrs.clap.id) {
            (Some(name), _) => name.clone(),
            (None, Some(id)) => id.clone(),
            (None, None) => self.unraw().to_shouty_snake_case(),
        };
        format!("<{value_name}>")
    }

    /// clap's action: `action = ...`, else the default for the type's shape.
    pub fn action(&self) -> Action {
        if let Some(action) = self.attrs.clap.action {
            return action;
        }
        let ty = self.ty;
        let option_inner = type_argument(ty, "Option");
        if type_argument(ty, "Vec").is_some()
            || option_inner.is_some_and(|t| type_argument(t, "Vec").is_some())
        {
            Action::Append
        } else if option_inner.is_none() && is_simple_type(ty, "bool") {
            Action::SetTrue
        } else {
            Action::Set
        }
    }
}

impl<'a> RoleEnum<'a> {
    /// `None` (with the error recorded) when the input is not an enum.
    pub fn from_syn(cx: &Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let unsupported = "#[derive(Role)] supports only fieldless enums";
        let variants = match &input.data {
            Data::Enum(data) => &data.variants,
            Data::Struct(data) => {
                cx.error_spanned_by(data.struct_token, format!("{unsupported}, not structs"));
                return None;
            }
            Data::Union(data) => {
                cx.error_spanned_by(data.union_token, format!("{unsupported}, not unions"));
                return None;
            }
        };
        Some(RoleEnum {
            ident: &input.ident,
            generics: &input.generics,
            attrs: RoleEnumAttrs::from_ast(cx, &input.attrs),
            variants: variants
                .iter()
                .map(|v| RoleVariant {
                    ident: &v.ident,
                    fields: &v.fields,
                    attrs: RoleVariantAttrs::from_ast(cx, &v.attrs),
                })
                .collect(),
        })
    }
}

impl RoleVariant<'_> {
    /// The role's name in the file: `rename`, or the variant in `snake_case`.
    pub fn name(&self) -> String {
        match &self.attrs.rename {
            Some(lit) => lit.value(),
            None => case::snake_case(&self.ident.unraw().to_string()),
        }
    }
}

/// `X` of `Wrapper<X>` (any path ending in `Wrapper`), as clap_derive reads
/// `Option` and `Vec`.
pub fn type_argument<'t>(ty: &'t Type, wrapper: &str) -> Option<&'t Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.iter().collect::<Vec<_>>()[..] {
        [GenericArgument::Type(inner)] => Some(inner),
        _ => None,
    }
}

/// Whether `ty` is the plain path `name` (or `...::name`) without arguments.
fn is_simple_type(ty: &Type, name: &str) -> bool {
    let Type::Path(path) = ty else {
        return false;
    };
    path.qself.is_none()
        && path.path.segments.last().is_some_and(|s| s.ident == name && s.arguments.is_none())
}

/// `ty` under its `Option`/`Vec` wrappers.
fn leaf(mut ty: &Type) -> &Type {
    while let Some(inner) = type_argument(ty, "Option").or_else(|| type_argument(ty, "Vec")) {
        ty = inner;
    }
    ty
}

/// Whether `ty` is one of `generics`' type parameters, written alone.
fn is_type_param(ty: &Type, generics: &Generics) -> bool {
    let Type::Path(path) = ty else { return false };
    path.qself.is_none()
        && path
            .path
            .get_ident()
            .is_some_and(|ident| generics.type_params().any(|param| param.ident == *ident))
}
