//! The derive's own model of its input: a struct of named fields, or a
//! fieldless role enum, with their attributes already read.

use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, Generics, Ident, Type, Visibility};

use crate::attr::{self, FieldAttrs, RoleEnumAttrs, RoleVariantAttrs, StructAttrs};
use crate::case;
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
    pub ty: &'a Type,
    pub attrs: FieldAttrs,
    pub doc: String,
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
        let fields = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => &named.named,
                Fields::Unnamed(unnamed) => {
                    cx.error_spanned_by(unnamed, format!("{unsupported}, not tuple structs"));
                    return None;
                }
                Fields::Unit => {
                    cx.error_spanned_by(&input.ident, format!("{unsupported}, not unit structs"));
                    return None;
                }
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
        Some(Struct {
            ident: &input.ident,
            vis: &input.vis,
            generics: &input.generics,
            attrs: StructAttrs::from_ast(cx, &input.attrs),
            fields: fields
                .iter()
                .map(|field| Field {
                    ident: field.ident.as_ref().expect("named field"),
                    ty: &field.ty,
                    attrs: FieldAttrs::from_ast(cx, &field.attrs),
                    doc: attr::doc(&field.attrs),
                })
                .collect(),
        })
    }
}

impl Field<'_> {
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

    /// The command-line flag clap gives the field.
    pub fn flag(&self) -> String {
        match &self.attrs.clap.long {
            Some(long) => format!("--{long}"),
            None => format!("--{}", case::kebab_case(&self.unraw())),
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
