//! The texts of the baseline's values whose type has no spelling of its own
//! (see [`crate::Unwritable`]): what clap parsed them from, read back from
//! clap itself by parsing the command line again.

use crate::model::args::MegatronArgs;
use crate::model::texts::Texts;
use crate::reading::command_line::CommandLine;

/// The texts of `baseline`'s values that need one, when the command line it
/// was parsed from is known: each argument's raw values as clap took them
/// (from the command line, or clap's `default_value`). Without the command
/// line, none: such a value is then an error where it is written.
pub(crate) fn of<A: MegatronArgs>(baseline: &A, command_line: Option<&CommandLine>) -> Texts {
    #[cfg(feature = "clap")]
    if let Some(command_line) = command_line {
        let mut texts = Texts::default();
        read_from_clap(baseline, command_line, &mut texts);
        return texts;
    }
    #[cfg(not(feature = "clap"))]
    let _ = (baseline, command_line);
    Texts::default()
}

#[cfg(feature = "clap")]
fn read_from_clap<A: MegatronArgs>(baseline: &A, command_line: &CommandLine, texts: &mut Texts) {
    use crate::model::value::Value;

    let schema = A::__schema();
    let needed: Vec<usize> =
        (0..schema.infos.len()).filter(|&i| schema.value(baseline, i).is_err()).collect();
    if needed.is_empty() {
        return;
    }
    let Some(clap) = crate::clap_adapter::command::ClapArgs::of::<A>() else { return };
    // The command line parses (the baseline was parsed from it); if it does
    // not, it is not the baseline's, and no text is taken from it.
    let Ok(matches) = clap.command.clone().try_get_matches_from(command_line.words()) else { return };
    for index in needed {
        let Some(arg) = clap.arg(index) else { continue };
        let Ok(Some(raw)) = matches.try_get_raw(arg.get_id().as_str()) else { continue };
        let words: Vec<Value> = raw.map(|word| Value::String(word.to_string_lossy().into_owned())).collect();
        let is_list = schema.infos[index].rust_type.starts_with("Vec<")
            || schema.infos[index].rust_type.starts_with("Option<Vec<");
        let text = match (is_list, words.len()) {
            (true, _) => Value::List(words),
            (false, 1) => words.into_iter().next().expect("one word"),
            // A scalar given several values: not a text this field reads.
            (false, _) => continue,
        };
        texts.read(index, text);
    }
}
