//! Stage 2, resolving: a loaded role config applied to the command line,
//! one typed copy of the arguments per active role. Imports the model and
//! reading.

pub(crate) mod baseline_texts;
pub(crate) mod resolve;
