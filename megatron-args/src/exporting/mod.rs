//! Stage 4, exporting: what other tools read from an argument struct or a
//! resolution (the editor's JSON schema, a commented template, a launch
//! argv, the logger's view). May import every earlier stage.

#[cfg(feature = "clap")]
pub(crate) mod argv;
pub(crate) mod json_schema;
pub(crate) mod logger_view;
pub(crate) mod template;
