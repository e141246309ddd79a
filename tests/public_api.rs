//! The public API's guarantees (issue 22): I/O errors keep their source, a
//! resolution gives up its roles' arguments by value, and the types users
//! build have constructors.

use std::cell::Cell;
use std::error::Error as _;

use clap::Parser;
use megatron_args::{Error, LoadOptions, MegatronArgs, PpoRole, ProblemKind, RoleConfig};

thread_local! {
    /// How many times a [`Counted`] was cloned on this thread (tests run in
    /// parallel, each on its own thread).
    static CLONES: Cell<usize> = const { Cell::new(0) };
}

fn clones() -> usize {
    CLONES.with(Cell::get)
}

/// A heap buffer whose clones are counted: a field no role may be given
/// without a copy showing.
#[derive(Debug, Default, PartialEq)]
struct Counted(Vec<u8>);

impl Clone for Counted {
    fn clone(&self) -> Self {
        CLONES.with(|n| n.set(n.get() + 1));
        Counted(self.0.clone())
    }
}

#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
struct Args {
    #[arg(long, default_value_t = 1e-6)]
    lr: f64,
    #[arg(long)]
    save: Option<std::path::PathBuf>,
    /// Not an argument: every role has the baseline's copy.
    #[arg(skip)]
    weights: Counted,
}

#[test]
fn a_missing_file_is_an_error_whose_source_is_the_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no_such_megatron.yaml");
    let err = RoleConfig::<Args>::from_path(&path).unwrap_err();

    let source = err.source().expect("the I/O error is the source");
    let io = source.downcast_ref::<std::io::Error>().expect("an io::Error");
    assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
    let problem = &err.problems()[0];
    assert!(matches!(problem.kind, ProblemKind::Io { kind: std::io::ErrorKind::NotFound, .. }));
    assert_eq!(problem.io_error().map(std::io::Error::kind), Some(std::io::ErrorKind::NotFound));
    assert!(problem.source().is_some());
    // The message still names the path.
    assert!(err.to_string().contains("no_such_megatron.yaml"), "{err}");

    // A directory: an I/O problem of its own kind.
    let err = RoleConfig::<Args>::from_path(dir.path()).unwrap_err();
    let io = err.source().and_then(|s| s.downcast_ref::<std::io::Error>()).unwrap();
    assert_eq!(io.kind(), std::io::ErrorKind::IsADirectory);

    // Any other problem has no source.
    let err = RoleConfig::<Args>::from_str("megatron: 3\n", "f.yaml").unwrap_err();
    assert!(err.source().is_none());
    assert!(err.problems()[0].io_error().is_none());
}

#[test]
fn every_roles_arguments_come_out_of_a_resolution_without_a_clone() {
    let mut baseline = Args::parse_from(["train"]);
    baseline.weights = Counted(vec![7; 1 << 16]);
    let config = RoleConfig::<Args>::from_str(
        "megatron:\n  - role: critic\n    overrides: {lr: 1e-5, save: /ckpt/critic}\n",
        "f.yaml",
    )
    .unwrap();
    let resolved = config.resolve(&baseline, &[PpoRole::Actor, PpoRole::Critic]).unwrap();
    // Where each role's buffer lives, and how many copies exist so far.
    let buffers: Vec<*const u8> = resolved.roles().iter().map(|r| r.args().weights.0.as_ptr()).collect();
    let before = clones();
    // The counter sees copies: each role starts from a clone of the baseline.
    assert!(before >= 2, "{before}");

    let owned: Vec<(PpoRole, Args)> = resolved.into_iter().map(|r| (r.role(), r.into_args())).collect();

    assert_eq!(clones(), before, "taking the roles cloned a field");
    assert_eq!(owned.iter().map(|(role, _)| *role).collect::<Vec<_>>(), [PpoRole::Actor, PpoRole::Critic]);
    let moved: Vec<*const u8> = owned.iter().map(|(_, args)| args.weights.0.as_ptr()).collect();
    assert_eq!(moved, buffers, "the same heap buffers, moved out");
    assert_eq!(owned[1].1.lr, 1e-5);
    assert_eq!(owned[1].1.save.as_deref(), Some(std::path::Path::new("/ckpt/critic")));
}

#[test]
fn one_role_is_taken_by_value_and_leaves_the_others() {
    let mut baseline = Args::parse_from(["train"]);
    baseline.weights = Counted(vec![1; 1024]);
    let mut resolved =
        RoleConfig::<Args>::empty().resolve(&baseline, &[PpoRole::Actor, PpoRole::Critic]).unwrap();
    let critic_buffer = resolved.get(PpoRole::Critic).unwrap().weights.0.as_ptr();
    let before = clones();

    let critic = resolved.take(PpoRole::Critic).unwrap().into_args();

    assert_eq!(clones(), before);
    assert_eq!(critic.weights.0.as_ptr(), critic_buffer);
    assert!(resolved.take(PpoRole::Critic).is_none(), "taken once");
    assert!(resolved.get(PpoRole::Critic).is_none());
    assert_eq!(resolved.roles().len(), 1);
    assert!(resolved.get(PpoRole::Actor).is_some());
}

#[test]
fn load_options_are_built_not_written_as_literals() {
    let text = "megatron:\n  - role: critic\n    overrides: {num_nodes: 2}\n";
    assert!(RoleConfig::<Args>::from_str_with(text, "f.yaml", LoadOptions::new()).is_ok());
    let err = RoleConfig::<Args>::from_str_with(text, "f.yaml", LoadOptions::new().strict(true)).unwrap_err();
    assert!(matches!(&err.problems()[0].kind, ProblemKind::PlacementKey { key } if key == "num_nodes"));
}

#[test]
fn an_error_is_built_from_at_least_one_problem() {
    assert!(Error::from_problems(Vec::new()).is_none());
    let problem =
        megatron_args::Problem::new(ProblemKind::Definition, "bad", None, None).with_note("here", None);
    let err = Error::from_problems(vec![problem.clone(), problem]).unwrap();
    assert_eq!(err.problems().len(), 2);
    assert_eq!(err.problems()[0].notes, [megatron_args::Note::new("here", None)]);
}

/// What a caller may do with an error: send it to another thread, keep it
/// in a `Box<dyn Error + Send + Sync>`, hold it across `catch_unwind`.
fn is_a_well_behaved_error<
    E: std::error::Error + Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe + 'static,
>() {
}

#[test]
fn errors_keep_their_auto_traits_with_an_io_source() {
    is_a_well_behaved_error::<Error>();
    is_a_well_behaved_error::<megatron_args::TypeMismatch>();
    fn plain_data<T: Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>() {}
    plain_data::<megatron_args::Problem>();

    // An error that really holds an I/O source, caught across a panic boundary.
    let error = RoleConfig::<Args>::from_path("no/such/file.yaml").unwrap_err();
    let source = std::panic::catch_unwind(|| error.source().map(|s| s.to_string())).expect("no panic");
    assert!(source.is_some(), "the missing file's error has its I/O source");
}
