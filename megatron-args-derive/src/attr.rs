//! Reads attributes into plain structs. Problems that can be seen in one
//! attribute (unknown keys, repeated keys, syntax) are recorded here; checks
//! across attributes and fields live in `valid.rs`.

use proc_macro2::{Span, TokenTree};
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Ident, LitStr, Path};

use crate::clap_attr::{ClapField, ClapStruct};
use crate::ctxt::Ctxt;

const STRUCT_KEYS: &str = "`roles`, `crate`, `overrides`, `derive_with`, `check`";
const FIELD_KEYS: &str = "`topology`, `placement`, `skip`, `rename`, `alias`, `flatten`, \
     `role_default`, `role_forced`, `validate`, `value_enum`, `from_str`, `secret`";
const ROLE_ENUM_KEYS: &str = "`crate`, `no_display`";
const ROLE_VARIANT_KEYS: &str = "`rename`, `topology_group`";

/// `#[megatron(...)]` on the struct.
#[derive(Default)]
pub struct StructAttrs {
    pub krate: Option<Path>,
    pub roles: Option<Path>,
    /// `overrides = Name`: the generated overrides type's name.
    pub overrides: Option<Ident>,
    /// `derive_with = path`, in order (may be repeated).
    pub derive_with: Vec<Path>,
    /// `check = path`, in order (may be repeated).
    pub check: Vec<Path>,
    /// What clap's own attributes say.
    pub clap: ClapStruct,
}

/// The attributes of one field.
#[derive(Default)]
pub struct FieldAttrs {
    pub topology: Option<Span>,
    pub placement: Option<Span>,
    pub skip: Option<Span>,
    pub flatten: Option<Span>,
    pub rename: Option<LitStr>,
    pub aliases: Vec<LitStr>,
    pub role_default: Vec<RoleValue>,
    pub role_forced: Vec<RoleValue>,
    pub validate: Option<Path>,
    pub value_enum: Option<Span>,
    pub from_str: Option<Span>,
    /// `secret`: the value is masked wherever the library shows it.
    pub secret: Option<Span>,
    /// Every megatron key given except `flatten`, for "flatten with X".
    pub keys: Vec<(&'static str, Span)>,
    /// What clap's own attributes say.
    pub clap: ClapField,
}

/// One `role = EXPR` of `role_default(...)` or `role_forced(...)`.
pub struct RoleValue {
    pub role: Ident,
    pub expr: Expr,
}

/// `#[role(...)]` on the role enum.
#[derive(Default)]
pub struct RoleEnumAttrs {
    pub krate: Option<Path>,
    /// `no_display`: the enum implements `Display` itself.
    pub no_display: Option<Span>,
}

/// `#[role(...)]` on a variant.
#[derive(Default)]
pub struct RoleVariantAttrs {
    pub rename: Option<LitStr>,
    pub topology_group: Option<LitStr>,
}

impl StructAttrs {
    pub fn from_ast(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut out = StructAttrs { clap: ClapStruct::from_ast(attrs), ..StructAttrs::default() };
        for attr in attrs {
            if attr.path().is_ident("megatron") {
                parse_nested(cx, attr, |meta| {
                    if meta.path.is_ident("crate") {
                        set_once(cx, &meta, &mut out.krate, parse_path_value(&meta)?);
                    } else if meta.path.is_ident("roles") {
                        set_once(cx, &meta, &mut out.roles, parse_path_value(&meta)?);
                    } else if meta.path.is_ident("overrides") {
                        set_once(cx, &meta, &mut out.overrides, parse_ident_value(&meta)?);
                    } else if meta.path.is_ident("derive_with") {
                        out.derive_with.push(parse_path_value(&meta)?);
                    } else if meta.path.is_ident("check") {
                        out.check.push(parse_path_value(&meta)?);
                    } else {
                        unknown_key(cx, &meta, "megatron", STRUCT_KEYS, "on the struct")?;
                    }
                    Ok(())
                });
            } else if attr.path().is_ident("topology") || attr.path().is_ident("placement") {
                cx.error_spanned_by(attr, "this attribute applies to fields, not to the struct");
            }
        }
        out
    }
}

impl FieldAttrs {
    pub fn from_ast(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut out = FieldAttrs { clap: ClapField::from_ast(attrs), ..FieldAttrs::default() };
        for attr in attrs {
            let path = attr.path();
            if path.is_ident("topology") || path.is_ident("placement") {
                let ident = path.get_ident().expect("checked above");
                if let Err(e) = attr.meta.require_path_only() {
                    cx.syn_error(syn::Error::new(e.span(), format!("`#[{ident}]` takes no arguments")));
                }
                out.class_marker(cx, ident);
            } else if path.is_ident("megatron") {
                parse_nested(cx, attr, |meta| out.parse_key(cx, &meta));
            }
        }
        out
    }

    fn class_marker(&mut self, cx: &Ctxt, ident: &Ident) {
        let (name, slot) = if ident == "topology" {
            ("topology", &mut self.topology)
        } else {
            ("placement", &mut self.placement)
        };
        if slot.is_some() {
            cx.error_spanned_by(ident, format!("duplicate `{name}` attribute"));
        }
        *slot = Some(ident.span());
        self.keys.push((name, ident.span()));
    }

    fn parse_key(&mut self, cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<()> {
        let Some(ident) = meta.path.get_ident().cloned() else {
            return unknown_key(cx, meta, "megatron", FIELD_KEYS, "on a field");
        };
        let key = ident.to_string();
        let span = ident.span();
        let flag = |cx: &Ctxt, slot: &mut Option<Span>| {
            if slot.is_some() {
                cx.error_at(span, format!("duplicate `{key}` attribute"));
            }
            *slot = Some(span);
        };
        let name: &'static str = match key.as_str() {
            "topology" | "placement" => {
                self.class_marker(cx, &ident);
                return Ok(());
            }
            "skip" => {
                flag(cx, &mut self.skip);
                "skip"
            }
            "flatten" => {
                flag(cx, &mut self.flatten);
                return Ok(());
            }
            "value_enum" => {
                flag(cx, &mut self.value_enum);
                "value_enum"
            }
            "from_str" => {
                flag(cx, &mut self.from_str);
                "from_str"
            }
            "secret" => {
                flag(cx, &mut self.secret);
                "secret"
            }
            "rename" => {
                let lit: LitStr = meta.value()?.parse()?;
                set_once(cx, meta, &mut self.rename, lit);
                "rename"
            }
            "alias" => {
                self.aliases.push(meta.value()?.parse()?);
                "alias"
            }
            "validate" => {
                set_once(cx, meta, &mut self.validate, parse_path_value(meta)?);
                "validate"
            }
            "role_default" | "role_forced" => {
                let values =
                    if key == "role_default" { &mut self.role_default } else { &mut self.role_forced };
                meta.parse_nested_meta(|inner| {
                    let Some(role) = inner.path.get_ident().cloned() else {
                        return Err(inner.error("expected a role name, as in `critic = EXPR`"));
                    };
                    let expr: Expr = inner.value()?.parse()?;
                    values.push(RoleValue { role, expr });
                    Ok(())
                })?;
                if key == "role_default" {
                    "role_default"
                } else {
                    "role_forced"
                }
            }
            _ => return unknown_key(cx, meta, "megatron", FIELD_KEYS, "on a field"),
        };
        self.keys.push((name, span));
        Ok(())
    }
}

impl RoleEnumAttrs {
    pub fn from_ast(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut out = RoleEnumAttrs::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident("role")) {
            parse_nested(cx, attr, |meta| {
                if meta.path.is_ident("crate") {
                    set_once(cx, &meta, &mut out.krate, parse_path_value(&meta)?);
                    Ok(())
                } else if meta.path.is_ident("no_display") {
                    set_once(cx, &meta, &mut out.no_display, meta.path.span());
                    Ok(())
                } else {
                    unknown_key(cx, &meta, "role", ROLE_ENUM_KEYS, "on the enum")
                }
            });
        }
        out
    }
}

impl RoleVariantAttrs {
    pub fn from_ast(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut out = RoleVariantAttrs::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident("role")) {
            parse_nested(cx, attr, |meta| {
                if meta.path.is_ident("rename") {
                    set_once(cx, &meta, &mut out.rename, meta.value()?.parse()?);
                    Ok(())
                } else if meta.path.is_ident("topology_group") {
                    set_once(cx, &meta, &mut out.topology_group, meta.value()?.parse()?);
                    Ok(())
                } else {
                    unknown_key(cx, &meta, "role", ROLE_VARIANT_KEYS, "on a variant")
                }
            });
        }
        out
    }
}

/// Runs `each` on every key of `#[name(...)]`, recording syntax errors.
fn parse_nested(cx: &Ctxt, attr: &Attribute, each: impl FnMut(ParseNestedMeta) -> syn::Result<()>) {
    if let Err(e) = attr.parse_nested_meta(each) {
        cx.syn_error(e);
    }
}

fn set_once<T>(cx: &Ctxt, meta: &ParseNestedMeta, slot: &mut Option<T>, value: T) {
    if slot.is_some() {
        let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
        cx.error_spanned_by(&meta.path, format!("duplicate `{key}` attribute"));
    }
    *slot = Some(value);
}

/// `key = some::path` or `key = "some::path"`.
fn parse_path_value(meta: &ParseNestedMeta) -> syn::Result<Path> {
    let input = meta.value()?;
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        lit.parse_with(Path::parse_mod_style)
    } else {
        input.call(Path::parse_mod_style)
    }
}

/// `key = Name` or `key = "Name"`: an identifier.
fn parse_ident_value(meta: &ParseNestedMeta) -> syn::Result<Ident> {
    let input = meta.value()?;
    if input.peek(LitStr) {
        input.parse::<LitStr>()?.parse()
    } else {
        input.parse()
    }
}

/// Records an unknown key and skips its value, so that the keys after it are
/// still read and checked.
fn unknown_key(cx: &Ctxt, meta: &ParseNestedMeta, attr: &str, valid: &str, place: &str) -> syn::Result<()> {
    let key = quote::ToTokens::to_token_stream(&meta.path).to_string().replace(' ', "");
    let names: Vec<&str> = valid.split(", ").map(|k| k.trim_matches('`')).collect();
    let hint = match crate::case::closest(&key, names) {
        Some(best) => format!("; did you mean `{best}`?"),
        None => String::new(),
    };
    cx.error_spanned_by(
        &meta.path,
        format!("unknown `{attr}` attribute `{key}` {place}{hint}\nvalid keys: {valid}"),
    );
    skip_value(meta.input)
}

/// Consumes tokens up to the next top-level comma.
fn skip_value(input: ParseStream) -> syn::Result<()> {
    input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tt, next)) = rest.token_tree() {
            if matches!(&tt, TokenTree::Punct(p) if p.as_char() == ',') {
                break;
            }
            rest = next;
        }
        Ok(((), rest))
    })
}

/// The doc comment: `#[doc = "..."]` lines, each without one leading space,
/// joined with newlines and trimmed.
pub fn doc(attrs: &[Attribute]) -> String {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value: Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }),
                ..
            }) => Some(s.value()),
            _ => None,
        })
        .map(|line| line.strip_prefix(' ').map(str::to_string).unwrap_or(line))
        .collect();
    lines.join("\n").trim().to_string()
}
