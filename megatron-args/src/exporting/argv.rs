//! Rendering a role's arguments back to a command line, for launchers that
//! start one worker process per role. Every argument is written from clap's
//! own description of it (flag, position, action, delimiter, number of
//! values), so that clap parses the result back to the same arguments.

use clap::Parser;

use crate::clap_adapter::argv::{self as clap_argv, Presence};
use crate::clap_adapter::command::ClapArgs;
use crate::model::args::MegatronArgs;
use crate::model::error::{Error, Problem, ProblemKind};
use crate::model::field::FieldClass;
use crate::model::texts::Texts;
use crate::resolving::resolve::RoleArgs;

/// The command-line arguments (without the program name) that make the clap
/// struct `A` parse back to `args`, or an error naming every argument that
/// cannot be written so (never a dropped argument). Before it is returned,
/// the command line is parsed back with clap and compared, field by field,
/// with `args`.
///
/// Each argument is written as clap describes it, shared fields included, so
/// the result is a complete command line for one role:
///
/// - options by their real flag (the long one, else the short one), renamed
///   flags (`long = "..."`, `rename_all`) included; a value as `--flag VALUE`,
///   or `--flag=VALUE` when it starts with `-` (so that it is not taken for a
///   flag) or the argument requires `=`;
/// - values in the spelling clap parses: floats in Rust's shortest
///   round-trip spelling (`1e-5`, `0.1`), enums by their clap value name;
/// - `SetTrue` / `SetFalse` flags only when the value differs from the
///   default, with the value attached when the flag takes one
///   (`num_args = 0..=1`: `--auto-truncate=false`); `Count` flags repeated (`-vvv` when the flag has a short form,
///   else `--verbose --verbose`);
/// - `None` omitted;
/// - lists: with a `value_delimiter`, one joined value (`--tags a,b`); with
///   `num_args` above one, one flag followed by the values
///   (`--eval-at 10 20`); with `Append`, otherwise, one flag per value
///   (`--tag a --tag b`); an empty list omitted (or the bare flag, when the
///   argument takes zero values and absence would mean something else);
/// - positional arguments after the options, in index order, after `--`
///   when a value starts with `-`;
/// - the `#[command(subcommand)]` field last: the variant's subcommand
///   name, then the arguments of the struct it holds, written the same way
///   (the enum derives [`MegatronSubcommand`](crate::MegatronSubcommand)).
///
/// Fields clap does not read (`#[arg(skip)]`) are not written. What cannot
/// be written faithfully is an error naming the field: a list element
/// containing the delimiter, `None` for an argument whose absence
/// means its default, a `false` store-true flag whose default is true, a
/// list that does not fit `num_args`, a missing positional before a given
/// one; an argument of the command that no field holds; a subcommand whose
/// enum does not derive `MegatronSubcommand`, or whose variant holds its
/// arguments as its own fields.
///
/// ```
/// use clap::Parser;
/// use megatron_args::{to_argv, MegatronArgs};
///
/// #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
/// struct Args {
///     #[arg(long, default_value_t = 1e-6)]
///     lr: f64,
///     #[arg(long)]
///     save: Option<std::path::PathBuf>,
///     #[arg(long)]
///     use_kl_loss: bool,
///     #[arg(long, num_args = 1..)]
///     eval_at: Vec<u32>,
/// }
///
/// let args = Args::parse_from(["train", "--lr", "1e-5", "--eval-at", "10", "20"]);
/// let argv = to_argv(&args)?;
/// assert_eq!(argv, ["--lr", "1e-5", "--eval-at", "10", "20"]);
/// let again = Args::parse_from(std::iter::once("train".to_string()).chain(argv));
/// assert_eq!(again, args);
/// # Ok::<(), megatron_args::Error>(())
/// ```
///
/// An option whose value is its default is written too, so that the
/// command line does not depend on the defaults of the program it starts;
/// when clap refuses that (an argument at its default is given, to clap,
/// and conflicts with another), the arguments at their defaults are left
/// out.
///
/// The result is a plain `Vec<String>`: a launcher appends what the struct
/// does not hold (pass-through arguments, for example) itself.
///
/// A field whose type has no spelling of its own (read through `FromStr`
/// alone, or through the argument's own `value_parser`) cannot be written
/// from a bare struct, which keeps no record of the text it was read from:
/// write a resolved role with [`RoleArgs::to_argv`](crate::RoleArgs::to_argv),
/// which keeps it.
pub fn to_argv<A: MegatronArgs + Parser>(args: &A) -> Result<Vec<String>, Error> {
    write_argv(args, Texts::none(), ArgvOptions::default())
}

/// What [`to_argv_with`] writes beyond a role's own arguments.
///
/// The default is [`to_argv`]'s: every argument. A launcher that passes the
/// shared arguments (`#[megatron(skip)]`: `--megatron-config-path`,
/// `--use-critic`, ...) to every worker itself leaves them out with
/// `ArgvOptions::default().shared(false)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ArgvOptions {
    /// Whether the shared arguments (`#[megatron(skip)]`) are written.
    pub shared: bool,
}

impl Default for ArgvOptions {
    fn default() -> Self {
        ArgvOptions { shared: true }
    }
}

impl ArgvOptions {
    /// Writes the shared arguments (`#[megatron(skip)]`), or leaves them out.
    #[must_use]
    pub fn shared(mut self, shared: bool) -> Self {
        self.shared = shared;
        self
    }
}

/// [`to_argv`] with options: `ArgvOptions::default().shared(false)` leaves
/// the shared arguments (`#[megatron(skip)]`) out. The command line is
/// checked complete, as [`to_argv`] checks it, before they are left out.
///
/// ```
/// use clap::Parser;
/// use megatron_args::{to_argv, to_argv_with, ArgvOptions, MegatronArgs};
///
/// #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
/// struct Args {
///     #[arg(long, default_value_t = 1e-6)]
///     lr: f64,
///     #[arg(long)]
///     #[megatron(skip)]
///     megatron_config_path: Option<String>,
/// }
///
/// let args = Args::parse_from(["train", "--lr", "1e-5", "--megatron-config-path", "roles.yaml"]);
/// assert_eq!(to_argv(&args)?, ["--lr", "1e-5", "--megatron-config-path", "roles.yaml"]);
/// assert_eq!(to_argv_with(&args, ArgvOptions::default().shared(false))?, ["--lr", "1e-5"]);
/// # Ok::<(), megatron_args::Error>(())
/// ```
pub fn to_argv_with<A: MegatronArgs + Parser>(args: &A, options: ArgvOptions) -> Result<Vec<String>, Error> {
    write_argv(args, Texts::none(), options)
}

impl<A: MegatronArgs + Parser> RoleArgs<A> {
    /// The role's command line, as [`to_argv`] writes it, with each value
    /// whose type has no spelling of its own written as the text it was read
    /// from (see [`RoleArgs::value`]).
    ///
    /// ```
    /// use clap::Parser;
    /// use megatron_args::{to_argv, CommandLine, MegatronArgs, PpoRole, RoleConfig};
    ///
    /// #[derive(Clone, Debug, PartialEq)]
    /// enum CacheType { F16, Q8 }
    /// impl std::str::FromStr for CacheType {
    ///     type Err = String;
    ///     fn from_str(s: &str) -> Result<Self, String> {
    ///         match s { "f16" => Ok(Self::F16), "q8_0" => Ok(Self::Q8), _ => Err(format!("unsupported cache type {s}")) }
    ///     }
    /// }
    ///
    /// #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
    /// struct Args {
    ///     #[arg(long, default_value = "f16")]
    ///     cache_type_k: CacheType,
    ///     #[arg(long, default_value = "f16")]
    ///     cache_type_v: CacheType,
    /// }
    ///
    /// let argv = ["serve", "--cache-type-v", "q8_0"];
    /// let baseline = Args::parse_from(argv);
    /// let config = RoleConfig::<Args>::from_str("megatron:\n  - role: critic\n    overrides: {cache_type_k: q8_0}\n", "r.yaml")?;
    /// let resolved = config.resolve_with_command_line(&baseline, &CommandLine::new(argv), &[PpoRole::Critic])?;
    /// let critic = resolved.role(PpoRole::Critic).unwrap();
    /// assert_eq!(critic.args().cache_type_k, CacheType::Q8);
    /// // The file's text, and the command line's (its argument, its default).
    /// assert_eq!(critic.to_argv()?, ["--cache-type-k", "q8_0", "--cache-type-v", "q8_0"]);
    /// // The bare struct has no record of its texts.
    /// assert!(to_argv(critic.args()).unwrap_err().to_string().contains("cannot write `cache_type_k`"));
    /// # Ok::<(), megatron_args::Error>(())
    /// ```
    pub fn to_argv(&self) -> Result<Vec<String>, Error> {
        write_argv(self.args(), self.texts(), ArgvOptions::default())
    }

    /// [`RoleArgs::to_argv`] with options, as [`to_argv_with`] takes them.
    pub fn to_argv_with(&self, options: ArgvOptions) -> Result<Vec<String>, Error> {
        write_argv(self.args(), self.texts(), options)
    }
}

fn write_argv<A: MegatronArgs + Parser>(
    args: &A,
    texts: &Texts,
    options: ArgvOptions,
) -> Result<Vec<String>, Error> {
    let Some(clap) = ClapArgs::of::<A>() else {
        // A `Parser` is a `CommandFactory`: the derive's hook finds its command.
        unreachable!("a clap Parser has a clap command");
    };
    let presence = checked_presence(args, texts, clap)?;
    if options.shared {
        return Ok(clap_argv::write(args, texts, clap, presence, |_| true).argv);
    }
    // The complete command line is checked; the shared arguments are then
    // left out of it.
    let infos = A::fields();
    Ok(clap_argv::write(args, texts, clap, presence, |field| infos[field].class != FieldClass::Shared).argv)
}

/// How `args` are written so that clap parses them back: every argument, or
/// only those given when clap refuses the defaults.
fn checked_presence<A: MegatronArgs + Parser>(
    args: &A,
    texts: &Texts,
    clap: &ClapArgs,
) -> Result<Presence, Error> {
    let written = clap_argv::write(args, texts, clap, Presence::Complete, |_| true);
    if !written.problems.is_empty() {
        return Err(Error::new(written.problems));
    }
    match parses_back_to(args, texts, &written.argv, clap) {
        Ok(()) => Ok(Presence::Complete),
        Err(refused) => {
            // An argument written at its default is given, to clap: its
            // relations apply (`--revision main` conflicting with
            // `--weight-files`). Without the defaults, if clap takes that.
            let given = clap_argv::write(args, texts, clap, Presence::Given, |_| true);
            match given.problems.is_empty() && parses_back_to(args, texts, &given.argv, clap).is_ok() {
                true => Ok(Presence::Given),
                false => Err(refused),
            }
        }
    }
}

/// The last guard: clap parses the written command line back to every
/// argument's value, else an error naming each field it reads differently
/// (a value whose `Display` another parser reads otherwise, a combination
/// of values clap refuses).
///
/// A value with no spelling of its own is not compared: clap read it from
/// the text it was written as, which is the text it was read from.
fn parses_back_to<A: MegatronArgs + Parser>(
    args: &A,
    texts: &Texts,
    argv: &[String],
    clap: &ClapArgs,
) -> Result<(), Error> {
    let program = std::iter::once(clap.command.get_name().to_string());
    let parsed = A::try_parse_from(program.chain(argv.iter().cloned())).map_err(|err| {
        let rendered = err.to_string();
        let first = rendered.lines().next().unwrap_or_default();
        let reason = first.strip_prefix("error: ").unwrap_or(first);
        Error::from(Problem::new(
            ProblemKind::NotWritable { key: clap.command.get_name().to_string() },
            format!("clap refuses the written command line: {reason}"),
            None,
            None,
        ))
    })?;
    let schema = A::__schema();
    let problems: Vec<Problem> = A::fields()
        .iter()
        .filter(|info| clap.arg(info.index).is_some())
        .filter_map(|info| {
            let (Ok(written), Ok(read)) = (schema.value(args, info.index), schema.value(&parsed, info.index))
            else {
                return None;
            };
            // `{:?}` equates NaN with NaN.
            let same = written == read || format!("{written:?}") == format!("{read:?}");
            (!same).then(|| {
                Problem::new(
                    ProblemKind::NotWritable { key: info.name.to_string() },
                    format!(
                        "cannot write `{}` as a command line: clap reads it back as `{read}`, not `{written}`",
                        info.name
                    ),
                    None,
                    None,
                )
            })
        })
        .collect();
    // The subcommand is no field: its value, written again from what clap
    // read, must be the same command line.
    if let (true, Some(field)) = (problems.is_empty(), args.__subcommand()) {
        let again = clap_argv::write(&parsed, texts, clap, Presence::Complete, |_| true).argv;
        if again != argv {
            return Err(Error::from(Problem::new(
                ProblemKind::NotWritable { key: field.field.to_string() },
                format!(
                    "cannot write `{}` as a command line: clap reads it back as `{}`",
                    field.field,
                    again.join(" ")
                ),
                None,
                None,
            )));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::new(problems))
    }
}
