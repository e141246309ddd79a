//! Diagnostics: what a successful load or resolution wants the user to know
//! (ignored placement keys, agreed topology overrides, unused sections).
//! Returned as values and also emitted as `tracing` events.

use crate::model::location::Location;

/// How much a diagnostic matters.
///
/// Non-exhaustive: a later version may add a level; match with a `_` arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Level {
    /// Worth knowing; nothing is wrong.
    Info,
    /// Probably not what the author meant.
    Warning,
}

impl Level {
    /// `"info"` or `"warning"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
        }
    }
}

/// What a diagnostic is about, for programs.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// A top-level key other than `megatron`.
    ExtraTopLevelKey,
    /// A placement key in the file, ignored.
    PlacementKeyIgnored,
    /// A topology field overridden in the file, with the same value for all
    /// active roles.
    TopologyOverride,
    /// An entry for a role that is not active in this run.
    InactiveRoleEntry,
    /// A quoted bool string (`"false"`) read as a bool; slime's override
    /// code turns it into `bool("false")`, which is true (SPEC 2.9).
    QuotedBool,
}

/// One diagnostic.
///
/// Read-only: loading and resolving make them (non-exhaustive, so that a
/// later version may add to them).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Diagnostic {
    /// How much it matters.
    pub level: Level,
    /// What it is about.
    pub kind: DiagnosticKind,
    /// The message.
    pub message: String,
    /// Where in the file.
    pub location: Option<Location>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub(crate) fn warning(
        kind: DiagnosticKind,
        message: impl Into<String>,
        location: Option<Location>,
        help: Option<String>,
    ) -> Self {
        Diagnostic { level: Level::Warning, kind, message: message.into(), location, help }
    }

    pub(crate) fn info(kind: DiagnosticKind, message: impl Into<String>, location: Option<Location>) -> Self {
        Diagnostic { level: Level::Info, kind, message: message.into(), location, help: None }
    }

    /// Emits the diagnostic as a `tracing` event at its level.
    pub(crate) fn emit(&self) {
        let location = self.location.as_ref().map(ToString::to_string);
        let location = location.as_deref().unwrap_or("-");
        match self.level {
            Level::Warning => tracing::warn!(target: "megatron_args", %location, "{}", self.message),
            Level::Info => tracing::info!(target: "megatron_args", %location, "{}", self.message),
        }
    }
}
