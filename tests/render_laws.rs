//! Laws of the report renderer, over generated lines of hostile text (wide,
//! combining, zero-width and control characters, tabs, bidi controls, CRLF
//! and lone CR line ends) and generated places in them:
//!
//! - drawing a problem never panics, whatever the place (past the end of the
//!   line or the file, a span over several characters);
//! - the report's header is the file, line and column of the place (the
//!   column clamped to the end of the line) when the line exists;
//! - the marked text is `Location::span` of the file's text, on char boundaries.

use megatron_args::{Error, Location, Problem, ProblemKind, Source, Styling};
use proptest::prelude::*;

/// Characters a renderer can get wrong.
fn hostile_char() -> impl Strategy<Value = char> {
    prop::sample::select(vec![
        'a', ' ', ':', '\t', '数', '🚀', '\u{301}', '\u{200d}', '\u{202e}', '\u{0b}', '\u{7f}', 'é',
        '\u{feff}', '\u{2028}',
    ])
}

fn hostile_line() -> impl Strategy<Value = String> {
    prop::collection::vec(hostile_char(), 0..40).prop_map(|chars| chars.into_iter().collect())
}

fn hostile_text() -> impl Strategy<Value = String> {
    (prop::collection::vec(hostile_line(), 1..5), prop::sample::select(vec!["\n", "\r\n", "\r"]))
        .prop_map(|(lines, end)| lines.join(end))
}

proptest! {
    #[test]
    fn any_place_in_any_text_renders(
        text in hostile_text(),
        line in 1usize..7,
        column in 1usize..50,
        len in 1usize..10,
        note_line in 1usize..7,
    ) {
        let source = Source::new("f.yaml", text);
        let at = Location::new(source.clone(), line, column, len);
        let span = at.span();
        prop_assert!(source.text().is_char_boundary(span.start) && source.text().is_char_boundary(span.end));
        prop_assert_eq!(at.marked_text(), &source.text()[span]);
        let problem = Problem::new(ProblemKind::Syntax, "bad", Some(at), Some("fix it".into()))
            .with_note("other", Some(Location::new(source.clone(), note_line, 1, 1)));
        let error = Error::from(problem);
        let plain = error.render(Styling::Plain);
        let _coloured = error.render(Styling::Ansi);
        prop_assert!(plain.starts_with("error: bad"), "{}", plain);
        prop_assert!(plain.contains("= help: fix it"), "{}", plain);
        if let Some(text) = source.line(line) {
            // The column the loader counted (characters) is the column shown.
            let shown_column = column.min(text.chars().count() + 1);
            let header = format!("--> f.yaml:{line}:{shown_column}\n");
            prop_assert!(plain.contains(&header), "{}", plain);
        }
    }
}
