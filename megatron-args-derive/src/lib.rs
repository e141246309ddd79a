//! `#[derive(MegatronArgs)]` and `#[derive(Role)]`.
use proc_macro::TokenStream;

/// Derives `megatron_args::MegatronArgs`.
#[proc_macro_derive(MegatronArgs, attributes(megatron, topology, placement))]
pub fn derive_megatron_args(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}

/// Derives `megatron_args::Role` for a fieldless enum.
#[proc_macro_derive(Role, attributes(role))]
pub fn derive_role(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}
