//! Checks across attributes and fields; every problem is recorded in the
//! context with the span of the tokens to fix.

use std::collections::HashMap;

use syn::ext::IdentExt;
use syn::{Fields, LitStr};

use crate::ast::{Field, FieldKind, RoleEnum, Struct};
use crate::case;
use crate::clap_attr::ClapKind;
use crate::ctxt::Ctxt;

/// The roles of the default role set, `PpoRole`, checked here for a better
/// message than rustc's; custom role sets are checked by rustc through the
/// generated `<Roles>::Variant` paths.
const PPO_ROLES: [&str; 2] = ["actor", "critic"];

/// `repr(packed)` is refused, once, at the attribute: the field accessors
/// borrow each field (`&self.lr`), and rustc refuses a borrow of a packed
/// field that may be unaligned (E0793), with one error per field pointing
/// into the generated code.
pub fn check_repr(cx: &Ctxt, attrs: &[syn::Attribute]) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("repr")) {
        // A `repr` that does not parse is rustc's to report.
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("packed") {
                cx.error_spanned_by(
                    &meta.path,
                    "#[derive(MegatronArgs)] does not support `repr(packed)` structs: \
                     their fields may be unaligned, and the field table borrows them",
                );
            }
            if meta.input.peek(syn::token::Paren) {
                // `packed(2)`, `align(8)`: skip the argument.
                let args;
                syn::parenthesized!(args in meta.input);
                args.parse::<proc_macro2::TokenStream>()?;
            }
            Ok(())
        });
    }
}

pub fn check_struct(cx: &Ctxt, s: &Struct) {
    for lifetime in s.generics.lifetimes() {
        cx.error_spanned_by(
            lifetime,
            "#[derive(MegatronArgs)] does not support lifetime parameters: \
             the arguments are kept per role for the program's life (`'static`)",
        );
    }
    for field in &s.fields {
        check_field(cx, field, s.attrs.roles.is_none());
    }
    check_unique_names(cx, &s.fields);
}

fn check_field(cx: &Ctxt, field: &Field, default_roles: bool) {
    let a = &field.attrs;
    if let (Some(_), Some(placement)) = (a.topology, a.placement) {
        cx.error_at(placement, "a field cannot be both `topology` and `placement`");
    }
    if let Some(skip) = a.skip {
        for (class, span) in [("topology", a.topology), ("placement", a.placement)] {
            if span.is_some() {
                cx.error_at(
                    skip,
                    format!(
                        "`skip` makes the field shared; it cannot also be `{class}` \
                         (a field has one class)"
                    ),
                );
            }
        }
        if let Some(rv) = a.role_default.iter().chain(&a.role_forced).next() {
            cx.error_spanned_by(
                &rv.role,
                "a `skip` (shared) field has the same value for every role; \
                 it cannot have role values",
            );
        }
    }
    if let ClapKind::NotAnArg(what) = a.clap.kind {
        for (key, span) in &a.keys {
            cx.error_at(
                *span,
                format!(
                    "`{key}` does not apply here: clap's `{what}` makes this field no argument, \
                     so it has no value in the file and simply follows the baseline"
                ),
            );
        }
        if let Some(flatten) = a.flatten {
            cx.error_at(flatten, format!("a field cannot be both `flatten` and clap's `{what}`"));
        }
    }
    if field.kind() == FieldKind::Flatten {
        for (key, span) in &a.keys {
            cx.error_at(
                *span,
                format!(
                    "`flatten` cannot be combined with `{key}`: a flattened group contributes \
                     its own fields; put the attributes on the fields of the group"
                ),
            );
        }
    }
    if let (true, Some(from_str)) = (a.value_enum.is_some(), a.from_str) {
        cx.error_at(from_str, "a field cannot be both `value_enum` and `from_str`");
    }
    check_role_values(cx, field, default_roles);
}

fn check_role_values(cx: &Ctxt, field: &Field, default_roles: bool) {
    let a = &field.attrs;
    let mut seen: HashMap<String, &'static str> = HashMap::new();
    let all = a
        .role_default
        .iter()
        .map(|rv| (rv, "role_default"))
        .chain(a.role_forced.iter().map(|rv| (rv, "role_forced")));
    for (rv, kind) in all {
        let role = rv.role.unraw().to_string();
        if default_roles && !PPO_ROLES.contains(&role.as_str()) {
            let hint = match case::closest(&role, PPO_ROLES) {
                Some(best) => format!("; did you mean `{best}`?"),
                None => String::new(),
            };
            cx.error_spanned_by(
                &rv.role,
                format!("unknown role `{role}` (roles: {}){hint}", PPO_ROLES.join(", ")),
            );
            continue;
        }
        if let Some(previous) = seen.insert(role.clone(), kind) {
            cx.error_spanned_by(
                &rv.role,
                format!("role `{role}` is given twice for `{}` (also in `{previous}`)", field.name()),
            );
        }
    }
}

/// Names and aliases of the direct fields must be unique; names that come
/// through `flatten` are checked by the runtime when the table is built.
fn check_unique_names(cx: &Ctxt, fields: &[Field]) {
    // Argument name -> (index of the field that has it, that field's ident).
    let mut owners: HashMap<String, (usize, String)> = HashMap::new();
    for (index, field) in fields.iter().enumerate().filter(|(_, f)| f.kind() == FieldKind::Arg) {
        let name = field.name();
        let name_span = match &field.attrs.rename {
            Some(lit) => lit.span(),
            None => field.ident.span(),
        };
        let aliases = field.attrs.aliases.iter().map(|lit| (lit.value(), lit.span()));
        for (candidate, span) in std::iter::once((name.clone(), name_span)).chain(aliases) {
            match owners.get(&candidate) {
                Some((owner, _)) if *owner == index => {
                    cx.error_at(
                        span,
                        format!("the argument name `{candidate}` is given twice for this field"),
                    );
                }
                Some((_, owner_name)) => {
                    cx.error_at(
                        span,
                        format!("the argument name `{candidate}` is already used by field `{owner_name}`"),
                    );
                }
                None => {
                    owners.insert(candidate, (index, field.unraw()));
                }
            }
        }
    }
}

pub fn check_role_enum(cx: &Ctxt, e: &RoleEnum) {
    if !e.generics.params.is_empty() {
        cx.error_spanned_by(e.generics, "#[derive(Role)] does not support generic enums");
    }
    if e.variants.is_empty() {
        cx.error_spanned_by(
            e.ident,
            "#[derive(Role)] needs at least one variant: a role set cannot be empty",
        );
    }
    let mut names: HashMap<String, &syn::Ident> = HashMap::new();
    for v in &e.variants {
        if !matches!(v.fields, Fields::Unit) {
            cx.error_spanned_by(
                v.fields,
                "a role has no fields: #[derive(Role)] supports only fieldless enums",
            );
        }
        let name = v.name();
        if let Some(other) = names.insert(name.clone(), v.ident) {
            let span = v.attrs.rename.as_ref().map_or(v.ident.span(), LitStr::span);
            cx.error_at(span, format!("the role name `{name}` is already used by `{other}`"));
        }
    }
}
