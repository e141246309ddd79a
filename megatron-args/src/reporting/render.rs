//! Reporting: problems and diagnostics drawn as text, rustc-style.

use std::fmt;

use crate::model::diagnostic::Diagnostic;
use crate::model::error::{Error, Location, Note, Problem};

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        render(f, "error", &self.message, self.location.as_ref(), self.help.as_deref(), &self.notes)
    }
}

/// Renders a message rustc-style:
///
/// ```text
/// error: unknown key `lrr`
///  --> megatron.yaml:5:7
///   |
/// 5 |       lrr: 1e-6
///   |       ^^^
///   = help: did you mean `lr`?
/// ```
pub(crate) fn render(
    f: &mut impl fmt::Write,
    level: &str,
    message: &str,
    location: Option<&Location>,
    help: Option<&str>,
    notes: &[Note],
) -> fmt::Result {
    write!(f, "{level}: {message}")?;
    let gutter = location.map_or(0, |l| l.line.to_string().len());
    let pad = " ".repeat(gutter);
    if let Some(loc) = location {
        write!(f, "\n{pad}--> {loc}")?;
        if let Some(line) = loc.source_line() {
            let line = line.replace('\t', " ");
            let col = loc.column.saturating_sub(1);
            let width = loc.len.min(line.chars().count().saturating_sub(col)).max(1);
            write!(f, "\n{pad} |\n{} | {line}", loc.line)?;
            write!(f, "\n{pad} | {}{}", " ".repeat(col), "^".repeat(width))?;
        }
    }
    for note in notes {
        match &note.location {
            Some(at) => write!(f, "\n{pad} = note: {} ({at})", note.message)?,
            None => write!(f, "\n{pad} = note: {}", note.message)?,
        }
    }
    if let Some(help) = help {
        // Continuation lines line up under the first line of the help text.
        let help = help.replace('\n', &format!("\n{pad}         "));
        write!(f, "\n{pad} = help: {help}")?;
    }
    Ok(())
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems().iter().enumerate() {
            if i > 0 {
                f.write_str("\n\n")?;
            }
            write!(f, "{problem}")?;
        }
        if self.problems().len() > 1 {
            write!(f, "\n\nerror: {} problems found", self.problems().len())?;
        }
        Ok(())
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        render(f, self.level.as_str(), &self.message, self.location.as_ref(), self.help.as_deref(), &[])
    }
}
