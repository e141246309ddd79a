//! What the resolution knows of the baseline's values from the command line
//! it was parsed from: the texts of the values whose type has no spelling of
//! its own (see [`crate::Unwritable`]), and where each value came from (the
//! command line, an environment variable, a default). Read from the
//! program's own clap parse ([`CommandLine::from_matches`]), or from a parse
//! of the command line with the struct alone ([`CommandLine::new`]).

use crate::model::args::MegatronArgs;
use crate::model::error::Error;
use crate::model::provenance::Provenance;
use crate::model::texts::Texts;
use crate::reading::command_line::CommandLine;

/// The baseline's texts and provenance.
pub(crate) struct BaselineValues {
    /// The texts of the values that need one: each argument's raw values as
    /// clap took them (from the command line, an environment variable, or
    /// clap's `default_value`).
    pub(crate) texts: Texts,
    /// Where each field's value came from.
    pub(crate) provenance: Vec<Provenance>,
}

/// The texts and provenance of `baseline`'s values. Without the command
/// line: no texts (such a value is then an error where it is written) and
/// every value the baseline's. A command line made by [`CommandLine::new`]
/// that the struct alone does not parse is an error that says what to use.
pub(crate) fn of<A: MegatronArgs>(
    baseline: &A,
    command_line: Option<&CommandLine>,
) -> Result<BaselineValues, Error> {
    let fields = A::__schema().infos.len();
    let values = BaselineValues { texts: Texts::default(), provenance: vec![Provenance::Baseline; fields] };
    #[cfg(feature = "clap")]
    if let Some(command_line) = command_line {
        let mut values = values;
        read_from_clap(baseline, command_line, &mut values)?;
        return Ok(values);
    }
    #[cfg(not(feature = "clap"))]
    let _ = (baseline, command_line);
    Ok(values)
}

#[cfg(feature = "clap")]
fn read_from_clap<A: MegatronArgs>(
    baseline: &A,
    command_line: &CommandLine,
    values: &mut BaselineValues,
) -> Result<(), Error> {
    use crate::model::error::{Problem, ProblemKind};
    use crate::model::value::{short_type_name, Value};
    use crate::reading::command_line::{ArgSource, Parsed};

    use crate::clap_adapter::command::ClapArgs;

    let schema = A::__schema();
    // The struct's clap command is built only when it is needed: to parse
    // the command line again, or to name an environment variable. The
    // program's own parse is read by the ids the field table holds, which
    // are clap's (`tests/common/clap_agreement.rs` holds them to it).
    let reparsed;
    let parsed = match command_line.parsed() {
        Some(parsed) => parsed,
        None => match ClapArgs::of::<A>()
            .map(|clap| clap.command.clone().try_get_matches_from(command_line.words()))
        {
            None => return Ok(()),
            Some(Ok(matches)) => {
                reparsed = Parsed::of(&matches);
                &reparsed
            }
            Some(Err(error)) => {
                let reason = error.to_string();
                let reason =
                    reason.lines().next().unwrap_or_default().trim_start_matches("error: ").to_string();
                return Err(Error::from(Problem::new(
                    ProblemKind::CommandLineNotParsed,
                    format!(
                        "the command line given to the resolution does not parse with `{}` alone: {reason}",
                        short_type_name::<A>()
                    ),
                    None,
                    Some(
                        "when the struct is part of the program's own command line (flattened into it, or \
                         under a subcommand), give its parse: `CommandLine::from_matches(argv, &matches)`, \
                         with the `ArgMatches` that hold the struct's arguments"
                            .to_string(),
                    ),
                )));
            }
        },
    };
    for info in &schema.infos {
        let given = parsed.get(info.cli.id);
        values.provenance[info.index] = match given.map(|g| g.source) {
            Some(ArgSource::CommandLine) => Provenance::Baseline,
            Some(ArgSource::Environment) => Provenance::Environment {
                variable: ClapArgs::of::<A>()
                    .and_then(|clap| clap.arg(info.index))
                    .and_then(|arg| arg.get_env())
                    .map(|v| v.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            },
            Some(ArgSource::Default) | None => Provenance::Default,
        };
        // Only the values with no spelling of their own need their text.
        let Some(given) = given.filter(|_| schema.value(baseline, info.index).is_err()) else { continue };
        let words: Vec<Value> = given.raw.iter().map(|word| Value::String(word.clone())).collect();
        let is_list = info.rust_type.starts_with("Vec<") || info.rust_type.starts_with("Option<Vec<");
        let text = match (is_list, words.len()) {
            (true, _) => Value::List(words),
            (false, 1) => words.into_iter().next().expect("one word"),
            // A scalar given several values: not a text this field reads.
            (false, _) => continue,
        };
        values.texts.read(info.index, text);
    }
    Ok(())
}
