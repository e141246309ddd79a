//! `#[derive(MegatronSubcommand)]`: for each variant of a clap `Subcommand`
//! enum, clap's name for it and what it holds, so that `to_argv` writes a
//! struct's subcommand through the variant's own `MegatronArgs` struct.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, FieldsNamed, Path};

use crate::ast::{type_argument, Field, FieldKind};
use crate::clap_attr::{Casing, ClapKind, ClapStruct, ClapVariant, VariantKind};
use crate::ctxt::Ctxt;
use crate::expand::{codec_token, conversion_of};

pub fn derive_megatron_subcommand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "#[derive(MegatronSubcommand)] is for clap `Subcommand` enums; a struct derives `MegatronArgs`",
        ));
    };
    let krate = quote!(::megatron_args);
    let krate_path: Path = syn::parse_quote!(::megatron_args);
    let casing = ClapStruct::from_ast(&input.attrs).casing;
    let cx = Ctxt::new();
    let arms: Vec<TokenStream> = data.variants.iter().map(|variant| {
        let ident = &variant.ident;
        let attrs = ClapVariant::from_ast(&variant.attrs);
        // A name given by an expression (a constant) is its value, as clap
        // takes it; the writer checks it against clap's built command.
        let name = match (&attrs.name, &attrs.name_expr) {
            (_, Some(expr)) => quote!(#expr),
            (Some(name), None) => quote!(#name),
            (None, None) => {
                let name = casing.long(&ident.unraw().to_string());
                quote!(#name)
            }
        };
        let span = variant.span();
        let unwritable = |reason: String| {
            quote_spanned! {span=>
                Self::#ident { .. } => ::core::option::Option::Some(#krate::__private::Selected::unwritable(#name, #reason)),
            }
        };
        match (attrs.kind, &variant.fields) {
            (VariantKind::Skip, _) => {
                unwritable(format!("the value is the variant `{ident}`, which clap skips (`#[command(skip)]`)"))
            }
            (VariantKind::External, _) => {
                unwritable(format!("the value is the external subcommand `{ident}`, which megatron-args does not write"))
            }
            (VariantKind::Flatten, Fields::Unnamed(fields)) if fields.unnamed.len() == 1 => quote_spanned! {span=>
                Self::#ident(inner) => (&&#krate::__private::SubcommandProbe(inner)).flattened(#name),
            },
            (VariantKind::Subcommand, Fields::Unit) => quote_spanned! {span=>
                Self::#ident => ::core::option::Option::Some(#krate::__private::Selected::unit(#name)),
            },
            (VariantKind::Subcommand, Fields::Unnamed(fields)) if fields.unnamed.len() == 1 => quote_spanned! {span=>
                Self::#ident(inner) => ::core::option::Option::Some((&&#krate::__private::SubcommandProbe(inner)).selected(#name)),
            },
            (VariantKind::Subcommand, Fields::Named(fields)) => {
                let casing = attrs.casing.unwrap_or(casing);
                inline_arm(&cx, ident, &name, fields, casing, &krate_path)
            }
            _ => unwritable(format!("the variant `{ident}` is not a shape of subcommand megatron-args writes")),
        }
    }).collect();
    cx.check()?;
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    Ok(quote! {
        #[automatically_derived]
        impl #impl_generics #krate::MegatronSubcommand for #ident #ty_generics #where_clause {
            fn __selected(&self) -> ::core::option::Option<#krate::__private::Selected<'_>> {
                #[allow(unused_imports)]
                use #krate::__private::{
                    GroupNotMegatronArgs as _, GroupViaMegatronArgs as _, NotMegatronArgs as _,
                    NotMegatronSubcommand as _, OptionalGroupNotMegatronArgs as _, OptionalGroupViaMegatronArgs as _,
                    ViaMegatronArgs as _, ViaMegatronSubcommand as _,
                };
                #[allow(unused_imports)]
                use #krate::__private::conversion::{
                    NoConversion as _, SharedNoConversion as _, ViaArgValue as _, ViaFromStr as _,
                    ViaFromStrOnly as _, ViaValueEnum as _, ViaValueParser as _,
                };
                #[allow(clippy::needless_borrow)]
                match self {
                    #(#arms)*
                }
            }
        }
    })
}

/// The arm of a variant holding its arguments as its own fields
/// (`Serve { #[arg(long)] port: u16, ... }`): each field read as clap reads
/// a struct's, and handed to the writer with its clap id and its value, a
/// flattened group through its own table, a nested subcommand through its
/// enum's `MegatronSubcommand`.
fn inline_arm(
    cx: &Ctxt,
    ident: &syn::Ident,
    name: &TokenStream,
    fields: &FieldsNamed,
    casing: Casing,
    krate: &Path,
) -> TokenStream {
    let mut bindings = Vec::new();
    let mut calls = Vec::new();
    for (i, field) in fields.named.iter().enumerate() {
        let Some(f) = Field::of_variant(cx, field, casing) else { continue };
        let member = f.ident;
        let binding = format_ident!("__megatron_{}", i, span = Span::mixed_site());
        let field_name = f.name();
        match f.kind() {
            FieldKind::Arg => {
                let token = codec_token(&f, conversion_of(&f), krate);
                let id = match &f.attrs.clap.id_expr {
                    Some(expr) => quote!(#expr),
                    None => {
                        let id = f.clap_id();
                        quote!(#id)
                    }
                };
                calls.push(quote!(.field(#field_name, #id, #token, #binding)));
            }
            FieldKind::Flatten => {
                let group = match type_argument(f.ty, "Option") {
                    Some(_) => {
                        quote!(.group((&&#krate::__private::SubcommandProbe(#binding)).optional_group(#field_name)))
                    }
                    None => {
                        quote!(.group((&&#krate::__private::SubcommandProbe(#binding)).group(#field_name)))
                    }
                };
                calls.push(group);
            }
            FieldKind::NotAnArg if f.attrs.clap.kind == ClapKind::NotAnArg("subcommand") => {
                calls.push(quote!(.subcommand((&&#krate::__private::SubcommandProbe(#binding)).subcommand_field(#field_name))));
            }
            // `skip`, `from_global`: no argument of the subcommand.
            FieldKind::NotAnArg => continue,
        }
        bindings.push(quote!(#member: #binding));
    }
    quote! {
        Self::#ident { #(#bindings,)* .. } => ::core::option::Option::Some(
            #krate::__private::Selected::inline(#name, #krate::__private::Inline::new() #(#calls)*)
        ),
    }
}
