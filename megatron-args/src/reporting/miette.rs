//! `miette::Diagnostic` for problems and errors (the `miette` feature): the
//! same data the report is drawn from (message, spans with their labels,
//! help, the file's text and name), for programs that report through miette.
//!
//! A [`Problem`]'s `Display` is its one-line message, so miette draws it from
//! these parts. An [`Error`]'s `Display` is already the whole report, so an
//! error is not a diagnostic itself (miette would print its report as the
//! message, then each problem again): it converts into a [`miette::Report`]
//! of its problem, or of a container of its problems (`N problems found`,
//! [`Diagnostic::related`]), each shown once. `?` into `miette::Result` uses
//! this conversion.

use std::fmt::{self, Display};

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
impl From<Error> for miette::Report {
    /// The report of the error's problem, or of its problems under
    /// `N problems found`: each problem once, drawn by miette from its parts.
    fn from(error: Error) -> Self {
        let mut problems = error.into_problems();
        if problems.len() == 1 {
            miette::Report::new(problems.remove(0))
        } else {
            miette::Report::new(Problems(problems))
        }
    }
}

/// Several problems as one diagnostic: the count, then each problem.
#[derive(Debug)]
struct Problems(Vec<Problem>);

impl Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} problems found", self.0.len())
    }
}

impl std::error::Error for Problems {}

impl Diagnostic for Problems {
    fn severity(&self) -> Option<Severity> {
        Some(Severity::Error)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(self.0.iter().map(|p| p as &dyn Diagnostic)))
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

    fn unknown_key() -> Problem {
        let source = Source::new("roles.yaml", "megatron:\n  - role: critic\n    overrides: {lrr: 1}\n");
        Problem::new(
            ProblemKind::UnknownKey { key: "lrr".into(), suggestions: vec!["lr".into()] },
            "unknown argument `lrr`",
            Some(Location::new(source, 3, 17, 3)),
            Some("did you mean `lr`?".to_string()),
        )
    }

    fn narrated(report: &miette::Report) -> String {
        let mut out = String::new();
        miette::NarratableReportHandler::new().render_report(&mut out, report.as_ref()).unwrap();
        out
    }

    #[test]
    fn an_error_of_several_problems_reports_each_once_under_their_count() {
        let report = miette::Report::from(Error::new(vec![duplicate_key(), unknown_key()]));
        assert_eq!(report.to_string(), "2 problems found");
        assert_eq!(report.related().unwrap().count(), 2);
        let out = narrated(&report);
        assert!(out.starts_with("2 problems found\n"), "{out}");
        for (text, times) in [
            ("the key `lr` appears twice", 1),
            ("unknown argument `lrr`", 1),
            ("diagnostic help: keep one", 1),
            ("diagnostic help: did you mean `lr`?", 1),
            ("label at line 3, columns 17 to 18: first given here", 1),
            ("snippet line 3:     overrides: {lrr: 1}", 1),
            // The text report (`Display` of the error) is not in it.
            ("-->", 0),
            ("problems found", 1),
        ] {
            assert_eq!(out.matches(text).count(), times, "{text:?} in:\n{out}");
        }
    }

    #[test]
    fn an_error_of_one_problem_is_that_problems_report() {
        let error = Error::from(unknown_key());
        let report = miette::Report::from(error);
        assert_eq!(report.to_string(), "unknown argument `lrr`");
        assert!(report.related().is_none());
        let out = narrated(&report);
        assert_eq!(out.matches("unknown argument `lrr`").count(), 1, "{out}");
        assert!(out.contains("label at line 3, columns 17 to 19"), "{out}");
        assert!(out.contains("diagnostic help: did you mean `lr`?"), "{out}");
    }

    #[test]
    fn question_mark_converts_an_error_into_a_miette_report() {
        fn load() -> Result<(), Error> {
            Err(Error::new(vec![unknown_key(), duplicate_key()]))
        }
        fn main_like() -> miette::Result<()> {
            load()?;
            Ok(())
        }
        let report = main_like().unwrap_err();
        assert_eq!(report.to_string(), "2 problems found");
        assert_eq!(narrated(&report).matches("unknown argument `lrr`").count(), 1);
    }
}
