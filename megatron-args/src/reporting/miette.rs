//! `miette::Diagnostic` for problems and errors (the `miette` feature): the
//! same data the report is drawn from (message, spans with their labels,
//! help, the file's text and name), for programs that report through miette.
//!
//! A [`Problem`]'s `Display` is its one-line message, so miette draws it from
//! these parts. An [`Error`]'s `Display` is already the whole report; as a
//! diagnostic it is the container of its problems ([`Diagnostic::related`]).

use std::fmt::Display;

use miette::{
    Diagnostic, LabeledSpan, MietteError, MietteSpanContents, Severity, SourceCode, SourceSpan, SpanContents,
};

use crate::model::error::{Error, Problem, Source};

#[cfg_attr(docsrs, doc(cfg(feature = "miette")))]
impl SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self.text().read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.origin().to_string(),
            contents.data(),
            *contents.span(),
            contents.line(),
            contents.column(),
            contents.line_count(),
        )))
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "miette")))]
impl Diagnostic for Problem {
    fn severity(&self) -> Option<Severity> {
        Some(Severity::Error)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn Display + 'a>> {
        self.help.as_ref().map(|help| Box::new(help) as Box<dyn Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.location.as_ref().map(|at| &**at.source() as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let at = self.location.as_ref()?;
        // A note at the problem's own place labels its span, as in the report.
        let own_label =
            self.notes.iter().find(|n| n.location.as_ref() == Some(at)).map(|n| n.message.clone());
        let primary = LabeledSpan::new_primary_with_span(own_label, at.span());
        // miette draws spans of the problem's own source only.
        let others = self.notes.iter().filter_map(move |note| {
            let other = note
                .location
                .as_ref()
                .filter(|l| *l != at && std::sync::Arc::ptr_eq(l.source(), at.source()))?;
            Some(LabeledSpan::new_with_span(Some(note.message.clone()), other.span()))
        });
        Some(Box::new(std::iter::once(primary).chain(others)))
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "miette")))]
impl Diagnostic for Error {
    fn severity(&self) -> Option<Severity> {
        Some(Severity::Error)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(self.problems().iter().map(|p| p as &dyn Diagnostic)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::error::{Location, ProblemKind};

    fn duplicate_key() -> Problem {
        let source = Source::new(
            "roles.yaml",
            "megatron:\n  - role: actor\n    overrides: {lr: 1, save: \"/数据\", lr: 2}\n",
        );
        let first = Location::new(source.clone(), 3, 17, 2);
        let second = Location::new(source, 3, 37, 2);
        Problem::new(
            ProblemKind::DuplicateKey { key: "lr".into() },
            "the key `lr` appears twice",
            Some(second),
            Some("keep one".to_string()),
        )
        .with_note("first given here", Some(first))
    }

    #[test]
    fn problem_gives_miette_its_spans_labels_help_and_file() {
        let problem = duplicate_key();
        let labels: Vec<LabeledSpan> = problem.labels().unwrap().collect();
        let text = problem.location.as_ref().unwrap().source().text();
        let marked: Vec<(&str, Option<&str>, bool)> = labels
            .iter()
            .map(|l| (&text[l.offset()..l.offset() + l.len()], l.label(), l.primary()))
            .collect();
        assert_eq!(marked, [("lr", None, true), ("lr", Some("first given here"), false)]);
        assert!(labels[0].offset() > labels[1].offset());
        assert_eq!(problem.help().unwrap().to_string(), "keep one");
        let source = problem.source_code().unwrap();
        let contents = source.read_span(&labels[0].inner().clone(), 0, 0).unwrap();
        assert_eq!(contents.name(), Some("roles.yaml"));
        assert_eq!(contents.line(), 2, "miette counts lines from 0");
    }

    #[test]
    fn miette_draws_the_problem_from_its_parts() {
        let problem = duplicate_key();
        let mut out = String::new();
        miette::NarratableReportHandler::new().render_report(&mut out, &problem).unwrap();
        assert!(out.starts_with("the key `lr` appears twice\n"), "{out}");
        assert!(out.contains("Begin snippet for roles.yaml starting at line 2"), "{out}");
        assert!(out.contains("label at line 3, columns 17 to 18: first given here"), "{out}");
        assert!(out.contains("diagnostic help: keep one"), "{out}");
    }

    #[test]
    fn error_relates_every_problem() {
        let error = Error::new(vec![duplicate_key(), duplicate_key()]);
        assert_eq!(error.related().unwrap().count(), 2);
        let report = miette::Report::new(error.clone());
        assert_eq!(report.to_string(), error.to_string());
    }
}
