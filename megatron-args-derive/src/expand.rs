//! Code generation. The input has been read and checked; everything here is
//! infallible.
//!
//! The generated code is kept small per field, so that a struct of a thousand
//! fields checks fast: the field metadata is one string literal
//! (`metadata.rs`), each field is one builder call choosing its codec and one
//! borrow in each field accessor; the schema logic is written once,
//! generically, in the runtime. Closures per field cost most of the derive's
//! compile time before.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{DeriveInput, Ident, Path};

use crate::ast::{type_argument, Field, FieldKind, RoleEnum, RoleVariant, Struct};
use crate::case;
use crate::clap_attr::{ClapKind, Flag};
use crate::ctxt::Ctxt;
use crate::metadata;
use crate::valid;

pub fn derive_megatron_args(input: &DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    let Some(s) = Struct::from_syn(&cx, input) else {
        cx.check()?;
        unreachable!("from_syn records an error when it returns None");
    };
    valid::check_struct(&cx, &s);
    valid::check_repr(&cx, &input.attrs);
    cx.check()?;
    Ok(expand_struct(&s))
}

pub fn derive_role(input: &DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    let Some(e) = RoleEnum::from_syn(&cx, input) else {
        cx.check()?;
        unreachable!("from_syn records an error when it returns None");
    };
    valid::check_role_enum(&cx, &e);
    cx.check()?;
    Ok(expand_role(&e))
}

/// `__subcommand`: the struct's `#[command(subcommand)]` field handed to
/// `to_argv`, through its enum's `MegatronSubcommand` when it has one.
fn subcommand_fn(s: &Struct, krate: &Path) -> Option<TokenStream> {
    let field = s.fields.iter().find(|f| f.attrs.clap.kind == ClapKind::NotAnArg("subcommand"))?;
    let member = field.ident;
    let name = field.unraw();
    Some(quote! {
        fn __subcommand(&self) -> ::core::option::Option<#krate::__private::SubcommandField<'_>> {
            #[allow(unused_imports)]
            use #krate::__private::{NotMegatronSubcommand as _, ViaMegatronSubcommand as _};
            #[allow(clippy::needless_borrow)]
            ::core::option::Option::Some((&&#krate::__private::SubcommandProbe(&self.#member)).subcommand_field(#name))
        }
    })
}

fn default_crate() -> Path {
    syn::parse_quote!(::megatron_args)
}

fn expand_struct(s: &Struct) -> TokenStream {
    let krate = s.attrs.krate.clone().unwrap_or_else(default_crate);
    let roles = s.attrs.roles.as_ref().map_or_else(|| quote!(#krate::PpoRole), ToTokens::to_token_stream);
    let ident = s.ident;
    // `#[megatron(overrides = Name)]`, else `<Struct>Overrides`; either
    // way with the struct's visibility.
    let overrides = s.attrs.overrides.clone().unwrap_or_else(|| format_ident!("{}Overrides", ident));
    // Local names of the generated closures, hygienic so that they cannot
    // shadow names in the user's `role_default` expressions.
    let a = Ident::new("a", Span::mixed_site());
    let b = Ident::new("b", Span::mixed_site());

    // The members: arguments and flattened groups, numbered in declaration
    // order. `#[arg(skip)]` and subcommand fields are not arguments: they
    // have no entry and simply follow the baseline.
    let fields: Vec<&Field> = s.fields.iter().filter(|f| f.kind() != FieldKind::NotAnArg).collect();
    let metadata = metadata::encode(fields.iter().copied().filter(|f| f.kind() != FieldKind::Flatten));
    // Decided once per field: the run check, `register` and the probe
    // import all read it.
    let conversions: Vec<Conversion> = fields.iter().map(|f| conversion_of(f)).collect();
    let schema_calls = schema_calls(&fields, &conversions, &krate, &roles, &a, &b);
    let members: Vec<&Ident> = fields.iter().map(|f| f.ident).collect();
    let member_fns = [member_fn(&members, &krate, false), member_fn(&members, &krate, true)];
    let subcommand_fn = subcommand_fn(s, &krate);
    let setter_names = setter_names(&fields);
    let setters = fields
        .iter()
        .zip(&setter_names)
        .enumerate()
        .filter_map(|(member, (f, name))| setter(f, member, name, &krate));
    // The probe's traits, for the fields whose conversion the type chooses
    // (`register`); most structs have none.
    let uses_probe = fields
        .iter()
        .zip(&conversions)
        .any(|(f, &conversion)| f.kind() != FieldKind::Flatten && conversion == Conversion::Probe);
    let probe_traits = uses_probe.then(|| {
        quote! {
            use #krate::__private::conversion::{
                NoConversion as _, SharedNoConversion as _, ViaArgValue as _, ViaFromStr as _,
                ViaFromStrOnly as _, ViaValueEnum as _, ViaValueParser as _,
            };
        }
    });
    // The struct's derivations and checks, each called at its path's span so
    // that a function of the wrong signature is an error there.
    let hooks = s
        .attrs
        .derive_with
        .iter()
        .map(|path| quote_spanned!(path.span()=> #b.derive_with(#path);))
        .chain(s.attrs.check.iter().map(|path| quote_spanned!(path.span()=> #b.check(#path);)));
    // The typed names are a table of one concrete struct; a generic struct
    // has none yet (its arguments are named by their strings).
    let names = s.generics.params.is_empty().then(|| crate::names::expand(s, &fields, &krate));
    let overrides_doc =
        format!("Typed per-role overrides of [`{ident}`], generated by `#[derive(MegatronArgs)]`.");
    // A generic struct: a table per concrete type (the runtime keeps one
    // per type), and overrides generic over the same parameters.
    let generics = Generics::of(s, &krate, &roles);
    let Generics {
        impl_generics,
        ty_generics,
        where_clause,
        de_impl_generics,
        overrides_struct,
        overrides_std,
    } = &generics;
    let relations = relations_call(s, &fields, &b);

    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::MegatronArgs for #ident #ty_generics #where_clause {
            type Role = #roles;
            type Overrides = #overrides #ty_generics;
            #krate::__private::clap_command_hook!(Self);
            fn __describe() -> #krate::__private::SchemaBuilder<Self> {
                #probe_traits
                let mut #b = #krate::__private::SchemaBuilder::<Self>::new(#metadata, #krate::__private::hooks::<Self>());
                #(#schema_calls)*
                #(#hooks)*
                #relations
                #b
            }
            #(#member_fns)*
            #subcommand_fn
        }

        #names

        #[doc = #overrides_doc]
        #overrides_struct

        #overrides_std

        // A setter has its field's visibility: a private field's is unused
        // outside its module, and may be unused within it.
        #[allow(non_snake_case, dead_code)]
        impl #impl_generics #overrides #ty_generics #where_clause {
            #(#setters)*
        }

        #[automatically_derived]
        impl #impl_generics #krate::Overrides for #overrides #ty_generics #where_clause {
            type Args = #ident #ty_generics;
            fn __values(&self) -> &#krate::__private::OverrideValues {
                &self.0
            }
            fn __values_mut(&mut self) -> &mut #krate::__private::OverrideValues {
                &mut self.0
            }
        }

        // Through the converted values, so that field types need neither
        // `Debug` nor `PartialEq`.
        #[automatically_derived]
        impl #impl_generics ::core::fmt::Debug for #overrides #ty_generics #where_clause {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #krate::__private::debug_overrides(self, f)
            }
        }

        #[automatically_derived]
        impl #impl_generics ::core::cmp::PartialEq for #overrides #ty_generics #where_clause {
            fn eq(&self, other: &Self) -> bool {
                self.0 == other.0
            }
        }

        #[automatically_derived]
        impl #de_impl_generics #krate::__private::serde::Deserialize<'de> for #overrides #ty_generics #where_clause {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: #krate::__private::serde::Deserializer<'de>,
            {
                #krate::__private::deserialize_overrides(deserializer)
            }
        }

        #[automatically_derived]
        impl #impl_generics #krate::__private::serde::Serialize for #overrides #ty_generics #where_clause {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: #krate::__private::serde::Serializer,
            {
                #krate::__private::serialize_overrides(self, serializer)
            }
        }
    }
}

/// The generic parts of a struct's impls, all empty for a struct without
/// parameters (whose output is unchanged by them).
struct Generics {
    impl_generics: TokenStream,
    ty_generics: TokenStream,
    /// The struct's own where clause, and what the impls need of its
    /// parameters: `'static`, the struct `Clone + Send + Sync`, each
    /// flattened group of the role set.
    where_clause: TokenStream,
    /// `impl_generics` with `'de` first, for `Deserialize`.
    de_impl_generics: TokenStream,
    /// The overrides type's definition.
    overrides_struct: TokenStream,
    /// Its `Clone` and `Default`: derived without parameters; written
    /// without bounds with them (the overrides hold no value of them).
    overrides_std: TokenStream,
}

impl Generics {
    fn of(s: &Struct, krate: &Path, roles: &TokenStream) -> Self {
        let vis = s.vis;
        let overrides = s.attrs.overrides.clone().unwrap_or_else(|| format_ident!("{}Overrides", s.ident));
        if s.generics.params.is_empty() {
            return Generics {
                impl_generics: TokenStream::new(),
                ty_generics: TokenStream::new(),
                where_clause: s.generics.where_clause.to_token_stream(),
                de_impl_generics: quote!(<'de>),
                overrides_struct: quote! {
                    #[derive(Clone, Default)]
                    #vis struct #overrides(#krate::__private::OverrideValues);
                },
                overrides_std: TokenStream::new(),
            };
        }
        let ident = s.ident;
        let (impl_generics, ty_generics, _) = s.generics.split_for_impl();
        let mut predicates: Vec<TokenStream> = s
            .generics
            .where_clause
            .iter()
            .flat_map(|w| w.predicates.iter().map(ToTokens::to_token_stream))
            .collect();
        let type_params: Vec<&Ident> = s.generics.type_params().map(|p| &p.ident).collect();
        predicates.extend(type_params.iter().map(|t| quote!(#t: 'static)));
        predicates.push(quote! {
            #ident #ty_generics: ::core::clone::Clone + ::core::marker::Send + ::core::marker::Sync + 'static
        });
        for f in s.fields.iter().filter(|f| f.kind() == FieldKind::Flatten) {
            let group = type_argument(f.ty, "Option").unwrap_or(f.ty);
            predicates.push(quote!(#group: #krate::MegatronArgs));
            predicates.push(
                quote!(<#group as #krate::MegatronArgs>::Role: #krate::__private::RoleSetOf<#group, #roles>),
            );
        }
        let mut with_de = s.generics.clone();
        with_de.params.insert(0, syn::parse_quote!('de));
        let (de_impl_generics, _, _) = with_de.split_for_impl();
        // The overrides' own parameters: the struct's, without bounds or
        // defaults.
        let params = s.generics.params.iter().map(|param| match param {
            syn::GenericParam::Type(t) => t.ident.to_token_stream(),
            syn::GenericParam::Const(c) => {
                let (name, ty) = (&c.ident, &c.ty);
                quote!(const #name: #ty)
            }
            syn::GenericParam::Lifetime(l) => l.lifetime.to_token_stream(),
        });
        let params = quote!(<#(#params),*>);
        let phantom = quote!(::core::marker::PhantomData<fn() -> (#(#type_params,)*)>);
        Generics {
            impl_generics: impl_generics.to_token_stream(),
            ty_generics: ty_generics.to_token_stream(),
            where_clause: quote!(where #(#predicates,)*),
            de_impl_generics: de_impl_generics.to_token_stream(),
            overrides_struct: quote! {
                #vis struct #overrides #params(#krate::__private::OverrideValues, #phantom);
            },
            overrides_std: quote! {
                #[automatically_derived]
                impl #params ::core::clone::Clone for #overrides #ty_generics {
                    fn clone(&self) -> Self {
                        Self(::core::clone::Clone::clone(&self.0), ::core::marker::PhantomData)
                    }
                }
                #[automatically_derived]
                impl #params ::core::default::Default for #overrides #ty_generics {
                    fn default() -> Self {
                        Self(::core::default::Default::default(), ::core::marker::PhantomData)
                    }
                }
            },
        }
    }
}

/// Members per tuple handed to the runtime's `pick` (it implements its
/// trait for tuples up to this size).
const MEMBER_CHUNK: usize = 16;

/// `__member` (or `__member_mut`): member index to the field as `&dyn Any`
/// (`&mut dyn Any`). Each run of 16 members is one tuple of their borrows,
/// indexed by the runtime's `pick`, so that the unsizing to `dyn Any` is
/// written once in the runtime instead of once per field: a field costs rustc
/// two borrows (0.22 M instructions), where a `match` arm per field and
/// borrow kind costs 0.35 M.
/// The ids clap's relation attributes name, for the runtime's relations
/// check: each argument that declares one (by its id) and every id they name;
/// nothing when the struct declares none.
fn relations_call(s: &Struct, fields: &[&Field], b: &Ident) -> Option<TokenStream> {
    let mut ids: Vec<String> = s.attrs.clap.relations.named.clone();
    let mut unreadable = s.attrs.clap.relations.unreadable;
    let mut any = s.attrs.clap.relations.any;
    for f in fields.iter().filter(|f| f.attrs.clap.relations.any) {
        let clap = &f.attrs.clap;
        any = true;
        unreadable |= clap.relations.unreadable || clap.id_unreadable;
        ids.push(clap.id.clone().unwrap_or_else(|| f.ident.unraw().to_string()));
        ids.extend(clap.relations.named.iter().cloned());
    }
    if !any {
        return None;
    }
    if unreadable {
        return Some(quote!(#b.relations_unreadable();));
    }
    ids.sort();
    ids.dedup();
    Some(quote!(#b.relations(&[#(#ids),*]);))
}

fn member_fn(members: &[&Ident], krate: &Path, mutable: bool) -> TokenStream {
    let (name, by_ref, any, pick) = if mutable {
        (quote!(__member_mut), quote!(&mut), quote!(&mut dyn ::core::any::Any), quote!(pick_mut))
    } else {
        (quote!(__member), quote!(&), quote!(&dyn ::core::any::Any), quote!(pick))
    };
    let tuple = |chunk: &[&Ident]| quote!((#(#by_ref self.#chunk,)*));
    let body = match members.len() {
        0 => quote!(::core::option::Option::None),
        n if n <= MEMBER_CHUNK => {
            let tuple = tuple(members);
            quote!(#krate::__private::#pick(#tuple, index))
        }
        _ => {
            let arms = members.chunks(MEMBER_CHUNK).enumerate().map(|(i, chunk)| {
                let tuple = tuple(chunk);
                quote!(#i => #krate::__private::#pick(#tuple, index % #MEMBER_CHUNK),)
            });
            quote! {
                match index / #MEMBER_CHUNK {
                    #(#arms)*
                    _ => ::core::option::Option::None,
                }
            }
        }
    };
    quote! {
        fn #name(#by_ref self, index: usize) -> ::core::option::Option<#any> { #body }
    }
}

/// Fields per call of `SchemaBuilder::plains` (the runtime implements its
/// trait for tuples up to this size).
const PLAIN_RUN: usize = 16;

/// The builder calls that register the fields: a run of fields of built-in
/// types with nothing more to register goes in one call of `plains`, one
/// call per field otherwise.
fn schema_calls(
    fields: &[&Field],
    conversions: &[Conversion],
    krate: &Path,
    roles: &TokenStream,
    a: &Ident,
    b: &Ident,
) -> Vec<TokenStream> {
    let mut calls = Vec::new();
    let mut run: Vec<&syn::Type> = Vec::new();
    let flush = |run: &mut Vec<&syn::Type>, calls: &mut Vec<TokenStream>| {
        if !run.is_empty() {
            calls.push(quote!(#b.plains::<(#(#run,)*)>();));
            run.clear();
        }
    };
    for (f, &conversion) in fields.iter().zip(conversions) {
        if is_plain_only(f, conversion) {
            run.push(f.ty);
            if run.len() == PLAIN_RUN {
                flush(&mut run, &mut calls);
            }
        } else {
            flush(&mut run, &mut calls);
            calls.push(schema_call(f, conversion, krate, roles, a, b));
        }
    }
    flush(&mut run, &mut calls);
    calls
}

/// How a regular field's value converts, chosen from its attributes and its
/// type's leaf (under `Option`/`Vec`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Conversion {
    /// `#[megatron(value_enum)]`. clap's own `value_enum` is not read: to
    /// clap_derive 4 it changes only how `default_value_t` is shown (a
    /// `bool` may carry it), and the probe picks `ValueEnum` first anyway.
    ValueEnum,
    /// `#[megatron(from_str)]`.
    FromStr,
    /// One of the types the runtime converts itself (`is_builtin`).
    Builtin,
    /// Chosen from the type by the runtime's autoref probe.
    Probe,
    /// A type parameter of the struct, which no probe can see through: read
    /// as clap reads it, by its own `value_parser` or through `FromStr`.
    Generic,
}

pub(crate) fn conversion_of(f: &Field) -> Conversion {
    if f.attrs.value_enum.is_some() {
        Conversion::ValueEnum
    } else if f.attrs.from_str.is_some() {
        Conversion::FromStr
    } else if f.generic_leaf {
        Conversion::Generic
    } else if is_builtin(peel(f.ty).0) {
        Conversion::Builtin
    } else {
        Conversion::Probe
    }
}

/// A field of a built-in type with no validator and no role values:
/// registered by its type alone.
fn is_plain_only(f: &Field, conversion: Conversion) -> bool {
    f.kind() != FieldKind::Flatten
        && conversion == Conversion::Builtin
        && !f.attrs.clap.has_dynamic_names()
        && f.attrs.validate.is_none()
        && f.attrs.role_default.is_empty()
        && f.attrs.role_forced.is_empty()
}

/// `ty`'s leaf under its `Option`/`Vec` wrappers, and the codec methods that
/// wrap the leaf's codec back, innermost first (`Option<Vec<T>>`: `vec`,
/// then `option`).
fn peel(mut ty: &syn::Type) -> (&syn::Type, Vec<&'static str>) {
    let mut wrappers = Vec::new();
    loop {
        if let Some(inner) = type_argument(ty, "Option") {
            wrappers.push("option");
            ty = inner;
        } else if let Some(inner) = type_argument(ty, "Vec") {
            wrappers.push("vec");
            ty = inner;
        } else {
            wrappers.reverse();
            return (ty, wrappers);
        }
    }
}

/// The one builder call that registers a field.
fn schema_call(
    f: &Field,
    conversion: Conversion,
    krate: &Path,
    roles: &TokenStream,
    a: &Ident,
    b: &Ident,
) -> TokenStream {
    let member = f.ident;
    let ty = f.ty;
    if f.kind() == FieldKind::Flatten {
        // The whole call spanned by the type, so that a group that does not
        // derive `MegatronArgs`, or has another role set, is reported at
        // the field. `Option<Group>`: a group present or absent.
        return match type_argument(ty, "Option") {
            Some(inner) => quote_spanned!(inner.span()=> #b.flatten_optional::<#inner>();),
            None => quote_spanned!(ty.span()=> #b.flatten::<#ty>();),
        };
    }
    let register = register(f, conversion, krate, b);
    let validate = f.attrs.validate.as_ref().map(|path| {
        // Spanned by the field, so that a validator of the wrong type is
        // reported at the field it does not fit.
        let a = Ident::new("a", Span::mixed_site().located_at(member.span()));
        let value = quote_spanned!(member.span()=> &#a.#member);
        quote!(.validate(|#a| #path(#value)))
    });
    let role_values = [("role_default", &f.attrs.role_default), ("role_forced", &f.attrs.role_forced)]
        .into_iter()
        .flat_map(|(method, values)| values.iter().map(move |rv| (method, rv)))
        .map(|(method, rv)| {
            let method = Ident::new(method, Span::call_site());
            // Spanned by the user's role name, so that rustc's "no variant
            // named ..." points at the attribute.
            let variant = Ident::new(&case::upper_camel_case(&rv.role.to_string()), rv.role.span());
            let expr = &rv.expr;
            quote!(.#method(<#roles>::#variant, |#a| #a.#member = #expr))
        });
    let names = dynamic_names(f);
    quote!(#register #names #validate #(#role_values)*;)
}

/// The names of the argument clap takes from expressions (`id = CONST`,
/// `long = CONST`, a bare `long` after `id = CONST`): evaluated where the
/// table is built, as clap's derive evaluates them.
fn dynamic_names(f: &Field) -> TokenStream {
    let clap = &f.attrs.clap;
    let id = clap.id_expr.as_ref().map(|id| {
        // A positional argument without `value_name` is shown by its id.
        let shows_id = f.is_positional() && clap.value_name.is_none();
        quote!(.cli_id(#id, #shows_id))
    });
    let long = match &clap.long {
        Some(Flag::Expr(long)) => Some(quote!(.cli_long(#long))),
        _ => None,
    };
    let short = match &clap.short {
        Some(Flag::Expr(short)) => Some(quote!(.cli_short(#short))),
        _ => None,
    };
    quote!(#id #long #short)
}

pub(crate) fn class_name(f: &Field) -> &'static str {
    let a = &f.attrs;
    if a.skip.is_some() {
        "Shared"
    } else if a.topology.is_some() {
        "Topology"
    } else if a.placement.is_some() {
        "Placement"
    } else {
        "Regular"
    }
}

/// The builder call that adds the field with its conversion: `Option`/`Vec`
/// peeled as clap_derive peels them, and the leaf's conversion given by
/// `#[megatron(value_enum/from_str)]`, the runtime's
/// own for the built-in types, else chosen from the type (`conversion.rs` in
/// the runtime).
fn register(f: &Field, conversion: Conversion, krate: &Path, b: &Ident) -> TokenStream {
    if conversion == Conversion::Builtin {
        // A field with a validator or role values (the others go in
        // `plains` runs): the runtime's own conversion, named with the
        // whole type (`Plain<Option<Vec<i64>>>` converts as the wrappers
        // would), so no compile time goes to the probe or the check below.
        let ty = f.ty;
        return quote_spanned!(ty.span()=> #b.plain::<#ty>());
    }
    let token = codec_token(f, conversion, krate);
    quote!(#b.field(#token))
}

/// The field's codec, as a `CodecToken` expression.
pub(crate) fn codec_token(f: &Field, conversion: Conversion, krate: &Path) -> TokenStream {
    let (leaf, wrappers) = peel(f.ty);
    let module = quote!(#krate::__private::conversion);
    // Spanned by the leaf type, so that a type without a conversion is
    // reported at the field.
    let token = match conversion {
        Conversion::ValueEnum => {
            quote_spanned!(leaf.span()=> #module::codec::<#krate::codec::EnumCodec<#leaf>>())
        }
        Conversion::FromStr => {
            quote_spanned!(leaf.span()=> #module::codec::<#krate::codec::FromStrCodec<#leaf>>())
        }
        Conversion::Builtin => {
            let ty = f.ty;
            return quote_spanned!(ty.span()=> #module::codec::<#krate::codec::Plain<#ty>>());
        }
        Conversion::Generic => {
            let codec = if class_name(f) == "Shared" {
                quote!(#module::Opaque<#leaf>)
            } else if f.attrs.clap.value_parser.is_some() {
                quote!(#krate::codec::ValueParserCodec<#leaf>)
            } else {
                quote!(#krate::codec::ParseOnlyCodec<#leaf>)
            };
            quote_spanned!(leaf.span()=> #module::codec::<#codec>())
        }
        Conversion::Probe => {
            // An argument with its own `value_parser` can be read by it.
            let kind = if class_name(f) == "Shared" {
                quote!(SharedField)
            } else if f.attrs.clap.value_parser.is_some() {
                quote!(ParsedField)
            } else {
                quote!(ArgField)
            };
            // The probe traits are imported at the top of `__describe`.
            quote_spanned! {leaf.span()=>
                (&&&&#module::Probe::<#leaf, #module::#kind>::new()).codec()
            }
        }
    };
    if wrappers.is_empty() {
        return token;
    }
    let wrappers = wrappers.iter().map(|w| Ident::new(w, Span::call_site()));
    // `Option`/`Vec` were recognised by name: check that they are std's.
    let ty = f.ty;
    quote_spanned!(ty.span()=> #module::typed::<#ty, _>(#token #(.#wrappers())*))
}

/// Whether `ty` is one of the types the runtime converts itself
/// (`ArgValue`), written as a bare name: the probe would choose `ArgValue`
/// for it anyway. A type of the user's own named like these must then
/// implement `ArgValue` (the compile error says so).
fn is_builtin(ty: &syn::Type) -> bool {
    const BUILTIN: &[&str] = &[
        "bool", "char", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128",
        "usize", "f32", "f64", "String", "PathBuf", "OsString",
    ];
    if let syn::Type::Tuple(unit) = ty {
        // `()`: a flag the struct does not keep.
        return unit.elems.is_empty();
    }
    let syn::Type::Path(path) = ty else { return false };
    path.qself.is_none()
        && path.path.leading_colon.is_none()
        && path.path.segments.len() == 1
        && path.path.segments[0].arguments.is_none()
        && BUILTIN.iter().any(|name| path.path.segments[0].ident == name)
}

/// Method names an `ArgsOverrides` setter must not take: an inherent method
/// of that name would hide the trait method callers expect.
const RESERVED_METHODS: &[&str] = &[
    "default",
    "clone",
    "clone_from",
    "eq",
    "ne",
    "fmt",
    "entries",
    "is_empty",
    "set",
    "apply_to",
    "serialize",
    "deserialize",
    "into",
    "try_into",
    "from",
    "try_from",
    "to_owned",
    "borrow",
    "borrow_mut",
    "type_id",
    "to_string",
];

/// Each field's setter name: the field name, or `set_<field>` when that
/// would hide a trait method (a field named `default` or `set`).
fn setter_names(fields: &[&Field]) -> Vec<Ident> {
    let mut taken: Vec<String> = fields.iter().map(|f| f.ident.unraw().to_string()).collect();
    fields
        .iter()
        .map(|f| {
            let field = f.ident.unraw().to_string();
            if !RESERVED_METHODS.contains(&field.as_str()) {
                return f.ident.clone();
            }
            let mut name = format!("set_{field}");
            while taken.contains(&name) || RESERVED_METHODS.contains(&name.as_str()) {
                name = format!("set_{name}");
            }
            taken.push(name.clone());
            Ident::new(&name, f.ident.span())
        })
        .collect()
}

/// The setter of member `member`: regular fields and flattened groups.
/// It has the field's visibility, so that a private field of a public
/// struct cannot be overridden from outside its module (and a private field
/// type does not leak into a public signature).
fn setter(f: &Field, member: usize, name: &Ident, krate: &Path) -> Option<TokenStream> {
    let ty = f.ty;
    let vis = f.vis;
    if f.kind() == FieldKind::Flatten {
        let ty = type_argument(ty, "Option").unwrap_or(ty);
        let doc = format!("Edits the overrides of the flattened group `{}`.", f.unraw());
        let group = quote_spanned!(ty.span()=> <#ty as #krate::MegatronArgs>::Overrides);
        return Some(quote! {
            #[doc = #doc]
            #[must_use]
            #vis fn #name(self, edit: impl ::core::ops::FnOnce(#group) -> #group) -> Self {
                #krate::__private::edit_group(self, #member, edit)
            }
        });
    }
    if class_name(f) != "Regular" {
        return None;
    }
    let doc = match f.doc.as_str() {
        "" => format!("Sets the override of `{}`.", f.name()),
        doc => format!("Sets the override of `{}`.\n\n{doc}", f.name()),
    };
    Some(quote! {
        #[doc = #doc]
        #[must_use]
        #vis fn #name(self, value: #ty) -> Self {
            #krate::__private::set_override(self, #member, value)
        }
    })
}

fn expand_role(e: &RoleEnum) -> TokenStream {
    let krate = e.attrs.krate.clone().unwrap_or_else(default_crate);
    let ident = e.ident;
    let variants: Vec<&Ident> = e.variants.iter().map(|v| v.ident).collect();
    let names = e.variants.iter().map(RoleVariant::name);
    let topology_group = e.variants.iter().any(|v| v.attrs.topology_group.is_some()).then(|| {
        let groups = e.variants.iter().map(|v| match &v.attrs.topology_group {
            Some(lit) => lit.value(),
            None => "default".to_string(),
        });
        quote! {
            fn topology_group(self) -> &'static str {
                match self {
                    #(#ident::#variants => #groups,)*
                }
            }
        }
    });
    // `Display` is the role's name, unless `#[role(no_display)]`.
    let display = e.attrs.no_display.is_none().then(|| {
        quote! {
            #[automatically_derived]
            impl ::core::fmt::Display for #ident {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.write_str(#krate::Role::name(*self))
                }
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #krate::Role for #ident {
            const ALL: &'static [Self] = &[#(#ident::#variants),*];
            fn name(self) -> &'static str {
                match self {
                    #(#ident::#variants => #names,)*
                }
            }
            #topology_group
        }

        #display
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::{TokenStream, TokenTree};

    /// Whether `tokens` hold the identifier `unsafe`, at any depth.
    fn has_unsafe(tokens: TokenStream) -> bool {
        tokens.into_iter().any(|token| match token {
            TokenTree::Ident(ident) => ident == "unsafe",
            TokenTree::Group(group) => has_unsafe(group.stream()),
            _ => false,
        })
    }

    /// rustc does not lint a derive's output, so a user's
    /// `#![forbid(unsafe_code)]` would not see unsafe code in it: the output
    /// itself is read here, on structs of every member shape (none, a group,
    /// more members than one accessor tuple holds).
    #[test]
    fn the_generated_code_has_no_unsafe_token() {
        let inputs: Vec<syn::DeriveInput> = vec![
            syn::parse_quote!(
                struct Empty {}
            ),
            syn::parse_quote!(
                #[derive(clap::Parser)]
                struct Train {
                    #[arg(long, default_value_t = 1e-6)]
                    #[megatron(role_default(critic = 1e-5), validate = positive)]
                    lr: f64,
                    #[command(flatten)]
                    group: Group,
                    #[arg(long)]
                    mode: Mode,
                    #[arg(skip)]
                    seen: u32,
                }
            ),
            syn::parse_quote!(
                struct Unit;
            ),
            syn::parse_quote!(
                struct Launch<M: clap::Args> {
                    #[command(flatten)]
                    model: M,
                    #[command(flatten)]
                    remote: Option<Remote>,
                    #[arg(id = NODES, long)]
                    nodes: u32,
                    no_color: (),
                }
            ),
        ];
        let mut fields = String::new();
        for i in 0..40 {
            fields.push_str(&format!("#[arg(long)] f{i}: u32, #[arg(long)] g{i}: Option<Mode>,"));
        }
        let wide: syn::DeriveInput = syn::parse_str(&format!("struct Wide {{ {fields} }}")).unwrap();
        for input in inputs.iter().chain([&wide]) {
            let output = super::derive_megatron_args(input).expect("the input derives");
            assert!(!output.is_empty());
            assert!(!has_unsafe(output.clone()), "unsafe in the output for `{}`:\n{output}", input.ident);
        }
        let subcommand: syn::DeriveInput = syn::parse_quote!(
            enum Command {
                Serve {
                    #[arg(long)]
                    port: u16,
                    #[command(flatten)]
                    common: Common,
                    #[command(subcommand)]
                    action: Action,
                },
                #[command(name = MESSAGE)]
                Message(MessageArgs),
                Version,
            }
        );
        let output = crate::subcommand::derive_megatron_subcommand(&subcommand).expect("the input derives");
        assert!(!output.is_empty());
        assert!(!has_unsafe(output.clone()), "unsafe in the output for `Command`:\n{output}");
        // The check itself can fail.
        assert!(has_unsafe(quote::quote!(impl X { fn f() { unsafe { g() } } })));
    }
}
