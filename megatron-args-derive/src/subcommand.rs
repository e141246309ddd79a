//! `#[derive(MegatronSubcommand)]`: for each variant of a clap `Subcommand`
//! enum, clap's name for it and what it holds, so that `to_argv` writes a
//! struct's subcommand through the variant's own `MegatronArgs` struct.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields};

use crate::clap_attr::{ClapStruct, ClapVariant, VariantKind};

pub fn derive_megatron_subcommand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "#[derive(MegatronSubcommand)] is for clap `Subcommand` enums; a struct derives `MegatronArgs`",
        ));
    };
    let krate = quote!(::megatron_args);
    let casing = ClapStruct::from_ast(&input.attrs).casing;
    let arms = data.variants.iter().map(|variant| {
        let ident = &variant.ident;
        let attrs = ClapVariant::from_ast(&variant.attrs);
        let name = attrs.name.unwrap_or_else(|| casing.long(&ident.unraw().to_string()));
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
            (VariantKind::Subcommand, Fields::Named(_)) => unwritable(format!(
                "the arguments of subcommand `{name}` are fields of the variant `{ident}`; move them into a struct \
                 that derives `clap::Args` and `MegatronArgs`, held by the variant"
            )),
            _ => unwritable(format!("the variant `{ident}` is not a shape of subcommand megatron-args writes")),
        }
    });
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    Ok(quote! {
        #[automatically_derived]
        impl #impl_generics #krate::MegatronSubcommand for #ident #ty_generics #where_clause {
            fn __selected(&self) -> ::core::option::Option<#krate::__private::Selected<'_>> {
                #[allow(unused_imports)]
                use #krate::__private::{
                    NotMegatronArgs as _, NotMegatronSubcommand as _, ViaMegatronArgs as _, ViaMegatronSubcommand as _,
                };
                #[allow(clippy::needless_borrow)]
                match self {
                    #(#arms)*
                }
            }
        }
    })
}
