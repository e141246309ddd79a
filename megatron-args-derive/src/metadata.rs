//! The fields' metadata as one string literal, which the runtime decodes
//! once (`MetadataReader` in `megatron-args`, which documents the format).
//! A string costs nothing to type-check, where a struct literal per field
//! was a large part of the derive's compile time on big structs.

use proc_macro2::Span;
use quote::ToTokens;
use syn::LitStr;

use crate::ast::Field;
use crate::expand::class_name;

/// The metadata of `fields` (regular fields, in declaration order).
pub fn encode<'a>(fields: impl Iterator<Item = &'a Field<'a>>) -> LitStr {
    let mut out = Writer::default();
    for f in fields {
        out.item(&f.name());
        out.item(&f.unraw());
        out.item(&f.flag());
        out.list(f.attrs.aliases.iter().map(LitStr::value));
        out.item(class_name(f));
        let rust_type: String = f.ty.to_token_stream().to_string().split_whitespace().collect();
        out.item(&rust_type);
        out.item(&f.doc);
        out.list(f.long());
        out.list(f.short().map(String::from));
        out.item(if f.is_positional() { "1" } else { "0" });
        out.list(f.attrs.clap.aliases.iter().cloned());
        out.item(&f.attrs.clap.short_aliases.iter().collect::<String>());
        out.item(f.action().variant());
        out.list(f.attrs.clap.value_delimiter.map(String::from));
        out.item(&f.clap_id());
        out.item(if f.attrs.secret.is_some() { "1" } else { "0" });
    }
    LitStr::new(&out.text, Span::call_site())
}

#[derive(Default)]
struct Writer {
    text: String,
}

impl Writer {
    /// `<byte length>:<text>`.
    fn item(&mut self, item: &str) {
        self.text.push_str(&item.len().to_string());
        self.text.push(':');
        self.text.push_str(item);
    }

    /// The count, then each element.
    fn list(&mut self, items: impl IntoIterator<Item = String>) {
        let items: Vec<String> = items.into_iter().collect();
        self.item(&items.len().to_string());
        for item in &items {
            self.item(item);
        }
    }
}
