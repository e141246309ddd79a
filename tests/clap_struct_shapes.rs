//! Every struct shape clap_derive 4 accepts derives with only
//! `MegatronArgs` (and `Clone`) added (SPEC 5.1a), each in the shape a real
//! program writes it: explicit ids (literal and constant), `()` negation
//! flags, unit structs, optional groups, `from_global`, generic structs.
//! Each is read from a role file, resolved, written back with `to_argv`
//! and parsed back by clap, and its field table is checked against clap's
//! own built `Command`.

#[path = "common/clap_agreement.rs"]
mod clap_agreement;

use clap::{ArgAction, Args, Parser};
use megatron_args::{to_argv, MegatronArgs, PpoRole, Resolved, RoleConfig, Value};

/// Resolves actor and critic from `baseline` and the role file `yaml`.
fn resolve<A: MegatronArgs<Role = PpoRole>>(baseline: &A, yaml: &str) -> Resolved<A> {
    RoleConfig::<A>::from_str(yaml, "roles.yaml")
        .unwrap_or_else(|e| panic!("the file loads:\n{e}"))
        .resolve(baseline, &[PpoRole::Actor, PpoRole::Critic])
        .unwrap_or_else(|e| panic!("the roles resolve:\n{e}"))
}

/// `to_argv(args)`, which clap parses back to `args` exactly.
fn round_trip<A: MegatronArgs + Parser + PartialEq + std::fmt::Debug>(args: &A) -> Vec<String> {
    let argv = to_argv(args).unwrap_or_else(|e| panic!("to_argv refuses:\n{e}"));
    let parsed = A::try_parse_from(std::iter::once("prog".to_string()).chain(argv.iter().cloned()))
        .unwrap_or_else(|e| panic!("{argv:?} does not parse:\n{e}"));
    assert_eq!(&parsed, args, "after {argv:?}");
    argv
}

fn parse<A: Parser>(argv: &[&str]) -> A {
    A::parse_from(std::iter::once("prog").chain(argv.iter().copied()))
}

// Explicit ids: a literal id the flags derive from, an id that is no
// identifier, and ids given by constants (clap's `Id` from an expression).

const REMOTE: &str = "remote-url";
const BRANCH: &str = "git_ref";
const SOURCE: &str = "SOURCE_DIR";

#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
struct Fetch {
    /// Where the output goes: `-o`, from the id.
    #[arg(id = "option", short)]
    output: Option<String>,
    /// An id that is no Rust identifier.
    #[arg(id = ".options", long = "opts", default_value_t = 0)]
    opts: u32,
    /// The long flag is the constant's value.
    #[arg(id = REMOTE, long)]
    remote: Option<String>,
    /// The id is the constant's value, the flag written apart.
    #[arg(long = "git-branch", id = BRANCH, default_value = "main")]
    branch: String,
    /// A positional argument whose id is a constant: shown by it.
    #[arg(id = SOURCE)]
    source: Option<String>,
}

#[test]
fn explicit_ids_literal_and_constant_agree_with_clap_and_round_trip() {
    clap_agreement::parser::<Fetch>();
    let cli: Vec<_> =
        Fetch::fields().iter().map(|f| (f.name, f.cli.id, f.cli.long, f.cli.short, f.flag)).collect();
    assert_eq!(
        cli,
        [
            ("output", "option", None, Some('o'), "-o"),
            ("opts", ".options", Some("opts"), None, "--opts"),
            ("remote", "remote-url", Some("remote-url"), None, "--remote-url"),
            ("branch", "git_ref", Some("git-branch"), None, "--git-branch"),
            ("source", "SOURCE_DIR", None, None, "<SOURCE_DIR>"),
        ]
    );
    let baseline = parse::<Fetch>(&["-o", "out", "--remote-url", "https://x/y.git", "src"]);
    let resolved = resolve(
        &baseline,
        "megatron:\n  - role: critic\n    overrides:\n      remote: https://x/critic.git\n      branch: dev\n      opts: 3\n",
    );
    let critic = resolved.get(PpoRole::Critic).unwrap();
    assert_eq!(
        (critic.remote.as_deref(), critic.branch.as_str(), critic.opts),
        (Some("https://x/critic.git"), "dev", 3)
    );
    let argv = round_trip(critic);
    assert_eq!(
        argv,
        ["-o", "out", "--opts", "3", "--remote-url", "https://x/critic.git", "--git-branch", "dev", "src"]
    );
    assert_eq!(Fetch::fields()[4].cli.positional, Some(0));
    round_trip(resolved.get(PpoRole::Actor).unwrap());
}

// A `()` field: a negation flag that only overrides another.

#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
struct Colors {
    /// Colour the output.
    #[arg(long, overrides_with = "no_color")]
    color: bool,
    /// Turn `--color` off again (a later flag wins).
    #[arg(long, action = ArgAction::SetTrue, overrides_with = "color")]
    no_color: (),
    #[arg(long, default_value_t = 1)]
    level: u8,
}

#[test]
fn a_unit_negation_flag_is_a_field_that_holds_nothing_and_writes_nothing() {
    clap_agreement::parser::<Colors>();
    let no_color = Colors::field("no_color").unwrap();
    assert_eq!((no_color.flag, no_color.rust_type), ("--no-color", "()"));
    let baseline = parse::<Colors>(&["--color", "--no-color", "--level", "2"]);
    assert!(!baseline.color);
    assert_eq!(baseline.get("no_color"), Some(Value::Null));
    let resolved = resolve(&baseline, "megatron:\n  - role: critic\n    overrides:\n      color: true\n");
    let critic = resolved.get(PpoRole::Critic).unwrap();
    assert_eq!(round_trip(critic), ["--color", "--level", "2"]);
    assert_eq!(round_trip(resolved.get(PpoRole::Actor).unwrap()), ["--level", "2"]);
    // The field holds nothing a file could give it.
    let err = RoleConfig::<Colors>::from_str(
        "megatron:\n  - role: critic\n    overrides:\n      no_color: true\n",
        "roles.yaml",
    )
    .unwrap_err();
    assert!(err.to_string().contains("no_color"), "{err}");
}

// A unit struct deriving `Args`: a group with no arguments, as a program
// keeps a placeholder for options still to come.

#[derive(Args, MegatronArgs, Clone, Debug, PartialEq)]
struct NoExtraOptions;

#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
struct Serve {
    #[arg(long, default_value_t = 8080)]
    port: u16,
    #[command(flatten)]
    extra: NoExtraOptions,
}

/// A command without arguments (`prog` alone).
#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
struct ShowVersion;

#[test]
fn a_unit_struct_is_a_group_without_arguments() {
    clap_agreement::parser::<ShowVersion>();
    assert_eq!(round_trip(&ShowVersion), Vec::<String>::new());
    assert!(NoExtraOptions::fields().is_empty());
    clap_agreement::group::<NoExtraOptions>();
    clap_agreement::parser::<Serve>();
    let names: Vec<_> = Serve::fields().iter().map(|f| f.name).collect();
    assert_eq!(names, ["port"]);
    let resolved =
        resolve(&parse::<Serve>(&[]), "megatron:\n  - role: critic\n    overrides:\n      port: 9000\n");
    assert_eq!(round_trip(resolved.get(PpoRole::Critic).unwrap()), ["--port", "9000"]);
    // Its typed overrides exist and are empty.
    let overrides = ServeOverrides::default().extra(|group| group);
    assert!(megatron_args::Overrides::is_empty(&overrides));
}

// `#[command(flatten)] Option<T>`: a group of remote-source flags, present
// when any of them is given.

#[derive(Args, MegatronArgs, Clone, Debug, PartialEq)]
struct RemoteSource {
    /// The repository to fetch the weights from.
    #[arg(long)]
    repo: Option<String>,
    /// Retries per file.
    #[arg(long, default_value_t = 3)]
    retries: u32,
    /// Skip TLS verification.
    #[arg(long)]
    insecure: bool,
}

#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
struct Download {
    #[arg(long, default_value = "weights")]
    out_dir: String,
    #[command(flatten)]
    remote: Option<RemoteSource>,
}

/// The optional group one level down, in a group of its own.
#[derive(Args, MegatronArgs, Clone, Debug, PartialEq)]
struct Sources {
    #[arg(long)]
    local_dir: Option<String>,
    #[command(flatten)]
    remote: Option<RemoteSource>,
}

#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
struct Fetcher {
    #[command(flatten)]
    sources: Sources,
}

#[test]
fn an_optional_group_inside_a_group_is_present_or_absent_too() {
    clap_agreement::parser::<Fetcher>();
    let absent = parse::<Fetcher>(&["--local-dir", "w"]);
    assert_eq!(absent.get("retries"), Some(Value::Null));
    assert_eq!(round_trip(&absent), ["--local-dir", "w"]);
    let present = parse::<Fetcher>(&["--insecure"]);
    assert_eq!(present.get("retries"), Some(Value::Int(3)));
    let resolved = resolve(&present, "megatron:\n  - role: critic\n    overrides:\n      retries: 9\n");
    assert_eq!(round_trip(resolved.get(PpoRole::Critic).unwrap()), ["--retries", "9", "--insecure"]);
}

#[test]
fn an_optional_group_is_present_or_absent_and_round_trips_either_way() {
    clap_agreement::parser::<Download>();
    assert_eq!(Download::field("retries").unwrap().value_type.to_string(), "an integer (u32) or null");
    let absent = parse::<Download>(&[]);
    assert_eq!(absent.remote, None);
    assert_eq!(absent.get("retries"), Some(Value::Null));
    assert_eq!(round_trip(&absent), ["--out-dir", "weights"]);

    let present = parse::<Download>(&["--repo", "org/model"]);
    let resolved = resolve(
        &present,
        "megatron:\n  - role: critic\n    overrides:\n      retries: 5\n      insecure: true\n",
    );
    let critic = resolved.get(PpoRole::Critic).unwrap();
    let remote = critic.remote.as_ref().unwrap();
    assert_eq!((remote.repo.as_deref(), remote.retries, remote.insecure), (Some("org/model"), 5, true));
    assert_eq!(
        round_trip(critic),
        ["--out-dir", "weights", "--repo", "org/model", "--retries", "5", "--insecure"]
    );
    assert_eq!(resolved.get(PpoRole::Actor).unwrap(), &present);

    // A group the baseline does not hold takes no value from the file: a
    // clear error at the key, not a group made up.
    let err = RoleConfig::<Download>::from_str(
        "megatron:\n  - role: critic\n    overrides:\n      retries: 5\n",
        "roles.yaml",
    )
    .unwrap()
    .resolve(&absent, &[PpoRole::Critic])
    .unwrap_err();
    assert!(err.to_string().contains("RemoteSource"), "{err}");
    // `null` leaves it absent.
    let resolved = resolve(&absent, "megatron:\n  - role: critic\n    overrides:\n      repo: null\n");
    assert_eq!(resolved.get(PpoRole::Critic).unwrap().remote, None);
}

// Subcommands whose variants hold their arguments inline, named by
// constants, nested, beside a variant holding a struct and a unit variant.

const MESSAGE_CMD: &str = "message";

#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
#[command(name = "modelctl")]
struct Ctl {
    #[arg(long, default_value_t = 1)]
    nodes: u32,
    #[command(subcommand)]
    command: CtlCommand,
}

#[derive(clap::Subcommand, megatron_args::MegatronSubcommand, Clone, Debug, PartialEq)]
enum CtlCommand {
    /// Serve a model.
    Serve {
        /// The model to serve.
        model: String,
        #[arg(long, default_value_t = 8080)]
        port: u16,
        #[arg(long)]
        host: Option<String>,
        #[arg(short, long, action = ArgAction::Count)]
        verbose: u8,
        #[command(flatten)]
        source: Option<RemoteSource>,
    },
    /// Send a message, by a name given as a constant.
    #[command(name = MESSAGE_CMD)]
    Msg {
        #[arg(short, long)]
        text: String,
    },
    /// Manage remotes: a nested subcommand.
    Remote {
        #[arg(long)]
        dry_run: bool,
        #[command(subcommand)]
        action: RemoteAction,
    },
    /// Download, through a struct of its own.
    Download(Download),
    /// Print the version.
    Version,
}

#[derive(clap::Subcommand, megatron_args::MegatronSubcommand, Clone, Debug, PartialEq)]
enum RemoteAction {
    Add {
        name: String,
        url: String,
        #[arg(long, value_delimiter = ',')]
        tags: Vec<String>,
    },
    #[command(name = "rm")]
    Remove { name: String },
}

fn ctl(argv: &[&str]) -> Ctl {
    parse::<Ctl>(argv)
}

#[test]
fn subcommands_with_inline_fields_constant_names_and_nesting_round_trip() {
    clap_agreement::parser::<Ctl>();
    let serve = ctl(&["--nodes", "2", "serve", "llama", "--host", "0.0.0.0", "-vv", "--repo", "org/llama"]);
    let resolved = resolve(&serve, "megatron:\n  - role: critic\n    overrides:\n      nodes: 4\n");
    let critic = resolved.get(PpoRole::Critic).unwrap();
    assert_eq!(critic.command, serve.command);
    assert_eq!(
        round_trip(critic),
        [
            "--nodes",
            "4",
            "serve",
            "--port",
            "8080",
            "--host",
            "0.0.0.0",
            "-vv",
            "--repo",
            "org/llama",
            "--retries",
            "3",
            "llama"
        ]
    );
    assert_eq!(round_trip(&ctl(&["serve", "tiny"])), ["--nodes", "1", "serve", "--port", "8080", "tiny"]);
    // The constant's value, as clap names the subcommand, not the variant's name.
    assert_eq!(
        round_trip(&ctl(&["message", "-t", "hello world"])),
        ["--nodes", "1", "message", "--text", "hello world"]
    );
    assert_eq!(
        round_trip(&ctl(&["remote", "--dry-run", "add", "origin", "https://x/y", "--tags", "a,b"])),
        ["--nodes", "1", "remote", "--dry-run", "add", "--tags", "a,b", "origin", "https://x/y"]
    );
    assert_eq!(round_trip(&ctl(&["remote", "rm", "origin"])), ["--nodes", "1", "remote", "rm", "origin"]);
    assert_eq!(
        round_trip(&ctl(&["download", "--out-dir", "w"])),
        ["--nodes", "1", "download", "--out-dir", "w"]
    );
    assert_eq!(round_trip(&ctl(&["version"])), ["--nodes", "1", "version"]);
}

#[test]
fn an_inline_value_that_cannot_be_written_is_an_error_naming_the_field() {
    let ctl = Ctl {
        nodes: 1,
        command: CtlCommand::Remote {
            dry_run: false,
            action: RemoteAction::Add { name: "o".into(), url: "u".into(), tags: vec!["a,b".into()] },
        },
    };
    let err = to_argv(&ctl).unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    assert!(err.problems()[0].message.contains("cannot write `tags`"), "{err}");
}

// Generic structs: a launcher over a model's arguments, a pair of groups,
// a value of a type parameter, a skipped field of one.

/// A model's own arguments, flattened into the launcher.
#[derive(Args, MegatronArgs, Clone, Debug, PartialEq)]
struct LlamaArgs {
    #[arg(long, default_value_t = 4096)]
    hidden_size: u32,
    #[arg(long, default_value_t = 1e-5)]
    #[megatron(role_default(critic = 1e-4))]
    norm_eps: f64,
}

#[derive(Args, MegatronArgs, Clone, Debug, PartialEq)]
struct DataArgs {
    #[arg(long)]
    data_path: Vec<String>,
}

#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
struct Launch<M: Args> {
    #[arg(long, default_value_t = 1)]
    nodes: u32,
    #[command(flatten)]
    model: M,
}

#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
struct Compose<L, R>
where
    L: Args,
    R: Args,
{
    #[command(flatten)]
    left: L,
    #[command(flatten)]
    right: Option<R>,
}

#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
struct Answer<T>
where
    T: std::str::FromStr + Send + Sync + Clone + 'static,
    <T as std::str::FromStr>::Err: std::error::Error + Sync + Send + 'static,
{
    #[arg(long)]
    answer: T,
    #[arg(skip)]
    seen: Option<T>,
}

#[test]
fn generic_structs_have_a_field_table_per_concrete_type() {
    clap_agreement::parser::<Launch<LlamaArgs>>();
    clap_agreement::parser::<Launch<DataArgs>>();
    clap_agreement::parser::<Compose<LlamaArgs, DataArgs>>();
    clap_agreement::parser::<Answer<i64>>();
    let names = |fields: &[megatron_args::FieldInfo]| fields.iter().map(|f| f.name).collect::<Vec<_>>();
    assert_eq!(names(Launch::<LlamaArgs>::fields()), ["nodes", "hidden_size", "norm_eps"]);
    assert_eq!(names(Launch::<DataArgs>::fields()), ["nodes", "data_path"]);
    assert_eq!(names(Compose::<LlamaArgs, DataArgs>::fields()), ["hidden_size", "norm_eps", "data_path"]);

    let baseline = parse::<Launch<LlamaArgs>>(&["--nodes", "2"]);
    let resolved =
        resolve(&baseline, "megatron:\n  - role: actor\n    overrides:\n      hidden_size: 2048\n");
    let (actor, critic) = (resolved.get(PpoRole::Actor).unwrap(), resolved.get(PpoRole::Critic).unwrap());
    assert_eq!((actor.model.hidden_size, critic.model.norm_eps), (2048, 1e-4));
    assert_eq!(round_trip(actor), ["--nodes", "2", "--hidden-size", "2048", "--norm-eps", "1e-5"]);
    assert_eq!(round_trip(critic), ["--nodes", "2", "--hidden-size", "4096", "--norm-eps", "0.0001"]);
    // The typed overrides are generic too.
    let overrides = LaunchOverrides::<LlamaArgs>::default().nodes(3).model(|m| m.hidden_size(1024));
    let mut args = baseline.clone();
    args.apply_overrides(PpoRole::Actor, &overrides).unwrap();
    assert_eq!((args.nodes, args.model.hidden_size), (3, 1024));

    let composed = parse::<Compose<LlamaArgs, DataArgs>>(&["--data-path", "a", "--data-path", "b"]);
    assert_eq!(
        round_trip(&composed),
        ["--hidden-size", "4096", "--norm-eps", "1e-5", "--data-path", "a", "--data-path", "b"]
    );

    // A value of a type parameter is read as clap reads it (`FromStr`), and
    // written back from the text it was read from.
    let answer = parse::<Answer<i64>>(&["--answer", "42"]);
    let config = RoleConfig::<Answer<i64>>::from_str(
        "megatron:\n  - role: critic\n    overrides:\n      answer: 7\n",
        "roles.yaml",
    )
    .unwrap();
    let resolved = config.resolve(&answer, &[PpoRole::Critic]).unwrap();
    let critic = resolved.role(PpoRole::Critic).unwrap();
    assert_eq!(critic.args().answer, 7);
    assert_eq!(critic.to_argv().unwrap(), ["--answer", "7"]);
}

// `#[arg(from_global)]`: a subcommand's copy of a global flag is no
// argument of its own; the flag is written where it is declared.

#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
struct Tool {
    #[arg(long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: ToolCommand,
}

#[derive(clap::Subcommand, megatron_args::MegatronSubcommand, Clone, Debug, PartialEq)]
enum ToolCommand {
    Run(RunArgs),
    Check {
        #[arg(from_global)]
        verbose: bool,
        #[arg(long, default_value_t = 1)]
        depth: u32,
    },
}

#[derive(Args, MegatronArgs, Clone, Debug, PartialEq)]
struct RunArgs {
    #[arg(from_global)]
    verbose: bool,
    #[arg(long, default_value_t = 10)]
    steps: u32,
}

#[test]
fn from_global_fields_are_no_arguments_and_the_global_flag_round_trips() {
    clap_agreement::parser::<Tool>();
    clap_agreement::group::<RunArgs>();
    let names: Vec<_> = RunArgs::fields().iter().map(|f| f.name).collect();
    assert_eq!(names, ["steps"]);
    let run = parse::<Tool>(&["run", "--verbose", "--steps", "3"]);
    assert!(matches!(&run.command, ToolCommand::Run(args) if args.verbose));
    assert_eq!(round_trip(&run), ["--verbose", "run", "--steps", "3"]);
    let check = parse::<Tool>(&["--verbose", "check"]);
    assert_eq!(round_trip(&check), ["--verbose", "check", "--depth", "1"]);
    let resolved = resolve(&run, "megatron:\n  - role: critic\n    overrides:\n      verbose: true\n");
    round_trip(resolved.get(PpoRole::Critic).unwrap());
}

/// The keys of `A`'s editor schema for one role's `overrides` mapping.
fn schema_keys<A: MegatronArgs>() -> String {
    megatron_args::json_schema::<A>().to_string()
}

#[test]
fn every_shape_exports_its_schema_and_template() {
    // Each field is a key of the editor schema and of the template, under
    // its argument name.
    for (schema, names) in [
        (schema_keys::<Fetch>(), vec!["output", "opts", "remote", "branch", "source"]),
        (schema_keys::<Colors>(), vec!["color", "no_color", "level"]),
        (schema_keys::<Serve>(), vec!["port"]),
        (schema_keys::<Download>(), vec!["out_dir", "repo", "retries", "insecure"]),
        (schema_keys::<Launch<LlamaArgs>>(), vec!["nodes", "hidden_size", "norm_eps"]),
        (schema_keys::<Answer<i64>>(), vec!["answer"]),
        (schema_keys::<Ctl>(), vec!["nodes"]),
    ] {
        for name in names {
            assert!(schema.contains(&format!("\"{name}\"")), "`{name}` in {schema}");
        }
    }
    let template = megatron_args::template(&parse::<Download>(&[]));
    assert!(template.contains("retries"), "{template}");
    let template = megatron_args::template(&parse::<Launch<LlamaArgs>>(&[]));
    assert!(template.contains("hidden_size"), "{template}");
}
