//! The role-config file: reading it, checking its shape, and type-checking
//! every override against the argument struct, all before anything is
//! applied. Every problem in the file is collected into one [`Error`].

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::marker::PhantomData;
use std::path::Path;
use std::sync::Arc;

use crate::model::args::MegatronArgs;
use crate::model::args::Schema;
use crate::model::diagnostic::{Diagnostic, DiagnosticKind};
use crate::model::error::{Error, Location, Problem, ProblemKind, Source};
use crate::model::field::FieldClass;
use crate::model::place::{Nowhere, Place};
use crate::model::role::Role;
use crate::model::rules;
use crate::model::suggest;
use crate::model::value::{Value, ValueType};
use crate::reading::yaml::{self, Mark, Node, NodeKind, YamlErrorKind};

/// Files larger than this are rejected before they are read.
pub const MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// Keys that always mean placement, whether or not the struct has them.
///
/// A slice, so that a later version may add a key without changing its type.
pub const PLACEMENT_KEYS: &[&str] = &["num_nodes", "num_gpus_per_node"];

/// The keys an entry of the `megatron` list may have.
const ENTRY_KEYS: [&str; 4] = ["name", "role", "overrides", "args"];

const EXPECTED_SHAPE: &str = "expected a mapping with a `megatron` list, for example:\n\
     megatron:\n  - role: actor\n    overrides:\n      lr: 1e-6\n  - role: critic\n    overrides:\n      lr: 1e-5";

/// How to load a file: a builder, so that a later version may add options.
///
/// ```
/// use megatron_args::LoadOptions;
///
/// let options = LoadOptions::new().strict(true);
/// assert!(options.is_strict());
/// assert_eq!(LoadOptions::new(), LoadOptions::default());
/// assert!(!LoadOptions::default().is_strict());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadOptions {
    strict: bool,
}

impl LoadOptions {
    /// The default options: placement keys are warnings.
    pub fn new() -> Self {
        LoadOptions::default()
    }

    /// With `strict`, placement keys in the file are errors instead of
    /// warnings.
    #[must_use]
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Whether placement keys in the file are errors.
    pub fn is_strict(&self) -> bool {
        self.strict
    }
}

/// One override, type-checked and in its canonical form: from the file, or
/// from typed overrides ([`RoleConfig::from_overrides`], no locations).
///
/// Read-only: loading makes them (non-exhaustive, so that a later version
/// may add to them).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct FileOverride {
    /// Index of the field in [`MegatronArgs::fields`].
    pub field: usize,
    /// The argument name (the alias used in the file resolves to it).
    pub name: &'static str,
    /// The value, converted to the field's type and back (`"1e-5"` is `1e-5`).
    pub value: Value,
    /// Where the key is in the file (`None` for a typed override).
    pub key_location: Option<Location>,
    /// Where the value is in the file (`None` for a typed override).
    pub value_location: Option<Location>,
}

/// One entry of the `megatron` list.
///
/// Read-only, as [`FileOverride`] (non-exhaustive).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RoleEntry<R> {
    /// The role it configures.
    pub role: R,
    /// Its optional `name` label.
    pub name: Option<String>,
    /// Its position in the `megatron` list (or in the typed overrides).
    pub index: usize,
    /// Where the entry starts in the file (`None` for typed overrides).
    pub location: Option<Location>,
    /// Its overrides, in file order (placement keys left out).
    pub overrides: Vec<FileOverride>,
}

/// A parsed and type-checked role-config file for the argument struct `A`.
///
/// Loading checks every entry, key and value against `A` and reports every
/// problem at once; a loaded config only holds overrides that fit. Resolve
/// it against the command line with [`RoleConfig::resolve`].
///
/// ```
/// use megatron_args::{PpoRole, RoleConfig};
/// # use clap::Parser;
/// # use megatron_args::MegatronArgs;
/// # #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
/// # struct TrainArgs {
/// #     #[arg(long, default_value_t = 1e-6)]
/// #     lr: f64,
/// #     #[arg(long)]
/// #     save: Option<std::path::PathBuf>,
/// # }
///
/// let config = RoleConfig::<TrainArgs>::from_str(
///     "megatron:\n  - name: default\n    role: critic\n    overrides:\n      lr: 1e-5\n",
///     "megatron_ppo.yaml",
/// )?;
/// let entry = config.entry(PpoRole::Critic).unwrap();
/// assert_eq!(entry.name.as_deref(), Some("default"));
/// assert_eq!(entry.overrides[0].name, "lr");
/// assert_eq!(config.overrides(PpoRole::Critic), TrainArgsOverrides::default().lr(1e-5));
/// assert!(config.entry(PpoRole::Actor).is_none()); // the actor keeps the command line
/// # Ok::<(), megatron_args::Error>(())
/// ```
#[derive(Clone)]
pub struct RoleConfig<A: MegatronArgs> {
    entries: Vec<RoleEntry<A::Role>>,
    diagnostics: Vec<Diagnostic>,
    _args: PhantomData<fn() -> A>,
}

// By hand: the config holds no `A`, so it is `Debug` whether or not `A` is.
impl<A: MegatronArgs> std::fmt::Debug for RoleConfig<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RoleConfig")
            .field("entries", &self.entries)
            .field("diagnostics", &self.diagnostics)
            .finish()
    }
}

impl<A: MegatronArgs> Default for RoleConfig<A> {
    fn default() -> Self {
        Self::empty()
    }
}

impl<A: MegatronArgs> RoleConfig<A> {
    /// A config with no entries: every role inherits the baseline.
    pub fn empty() -> Self {
        RoleConfig { entries: Vec::new(), diagnostics: Vec::new(), _args: PhantomData }
    }

    /// Reads, parses and type-checks the file at `path`.
    ///
    /// A file that cannot be read, is larger than [`MAX_FILE_SIZE`] or is
    /// not UTF-8 is an error like any other problem, naming the path.
    ///
    /// ```
    /// use megatron_args::{PpoRole, RoleConfig};
    /// # use clap::Parser;
    /// # use megatron_args::MegatronArgs;
    /// # #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
    /// # struct TrainArgs {
    /// #     #[arg(long, default_value_t = 1e-6)]
    /// #     lr: f64,
    /// #     #[arg(long)]
    /// #     save: Option<std::path::PathBuf>,
    /// # }
    ///
    /// let path = std::env::temp_dir().join(format!("megatron_ppo_{}.yaml", std::process::id()));
    /// std::fs::write(&path, "megatron:\n  - role: critic\n    overrides:\n      save: /ckpt/critic\n").unwrap();
    /// let config = RoleConfig::<TrainArgs>::from_path(&path)?;
    /// assert_eq!(config.entries().len(), 1);
    /// std::fs::remove_file(&path).unwrap();
    ///
    /// let missing = RoleConfig::<TrainArgs>::from_path("no/such/megatron.yaml").unwrap_err();
    /// assert!(missing.to_string().contains("no/such/megatron.yaml"));
    /// # Ok::<(), megatron_args::Error>(())
    /// ```
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, Error> {
        Self::from_path_with(path, LoadOptions::default())
    }

    /// Parses and type-checks `text`; `origin` names it in messages.
    ///
    /// ```
    /// use megatron_args::{ProblemKind, RoleConfig};
    /// # use clap::Parser;
    /// # use megatron_args::MegatronArgs;
    /// # #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
    /// # struct TrainArgs {
    /// #     #[arg(long, default_value_t = 1e-6)]
    /// #     lr: f64,
    /// #     #[arg(long)]
    /// #     save: Option<std::path::PathBuf>,
    /// # }
    ///
    /// let text = "megatron:\n  - role: critic\n    overrides:\n      lrr: 1e-5\n      save: [1, 2]\n";
    /// let err = RoleConfig::<TrainArgs>::from_str(text, "megatron_ppo.yaml").unwrap_err();
    /// // Every problem, in file order, each with its place in the file.
    /// let problems = err.problems();
    /// assert_eq!(problems.len(), 2);
    /// assert!(matches!(&problems[0].kind, ProblemKind::UnknownKey { key, suggestions } if key == "lrr" && suggestions[0] == "lr"));
    /// assert!(matches!(&problems[1].kind, ProblemKind::Type { path } if path == "megatron[0].overrides.save"));
    /// assert_eq!(problems[1].location.as_ref().unwrap().to_string(), "megatron_ppo.yaml:5:13");
    /// ```
    pub fn from_str(text: &str, origin: &str) -> Result<Self, Error> {
        Self::from_str_with(text, origin, LoadOptions::default())
    }

    /// [`RoleConfig::from_path`] with options.
    pub fn from_path_with(path: impl AsRef<Path>, options: LoadOptions) -> Result<Self, Error> {
        let path = path.as_ref();
        let text = read_text(path)?;
        Self::from_str_with(&text, &path.display().to_string(), options)
    }

    /// [`RoleConfig::from_str`] with options.
    pub fn from_str_with(text: &str, origin: &str, options: LoadOptions) -> Result<Self, Error> {
        A::__schema().check_definition()?;
        let source = Source::new(origin, text);
        let doc = yaml::parse(text)
            .map_err(|errors| Error::new(errors.into_iter().map(|e| yaml_problem(&source, e)).collect()))?;
        let mut loader = Loader::<A> {
            source: &source,
            schema: A::__schema(),
            options,
            problems: Vec::new(),
            diagnostics: Vec::new(),
            entries: Vec::new(),
        };
        loader.document(doc.as_ref());
        // Problems are found entry by entry (a duplicate role only after its
        // entry's overrides); report them in file order. The sort is stable.
        loader.problems.sort_by_key(|p| p.location.as_ref().map(|l| (l.line(), l.column())));
        for diagnostic in &loader.diagnostics {
            diagnostic.emit();
        }
        if !loader.problems.is_empty() {
            // Checks run per entry and per rule; report in file order, with
            // the warnings found beside them.
            loader.problems.sort_by_key(|p| p.location.as_ref().map(|l| (l.line(), l.column())));
            return Err(Error::new(loader.problems).with_diagnostics(loader.diagnostics));
        }
        Ok(RoleConfig { entries: loader.entries, diagnostics: loader.diagnostics, _args: PhantomData })
    }

    /// A config from typed overrides, one per role, with every rule of a file
    /// (SPEC 5): at most one entry per role, no shared or placement field, no
    /// field `role_forced` for the role, every value accepted by its clap
    /// argument's value parser; the derivations, the field validators,
    /// clap's relations, the cross-field checks and topology agreement run
    /// at [`RoleConfig::resolve`], as for a file. The problems have no
    /// location; all of them are reported together.
    ///
    /// ```
    /// use clap::Parser;
    /// use megatron_args::{MegatronArgs, PpoRole, RoleConfig};
    ///
    /// #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
    /// struct Args {
    ///     #[arg(long, default_value_t = 1e-6)]
    ///     lr: f64,
    ///     #[arg(long, default_value_t = 0.0)]
    ///     #[megatron(role_forced(critic = 0.0))]
    ///     kl_coef: f64,
    /// }
    ///
    /// let config = RoleConfig::<Args>::from_overrides([(PpoRole::Critic, ArgsOverrides::default().lr(1e-5))])?;
    /// let baseline = Args::parse_from(["train"]);
    /// let resolved = config.resolve(&baseline, &[PpoRole::Actor, PpoRole::Critic])?;
    /// assert_eq!(resolved.get(PpoRole::Critic).unwrap().lr, 1e-5);
    ///
    /// // The critic's `kl_coef` is forced: overriding it is refused, as in a file.
    /// let forced = ArgsOverrides::default().kl_coef(0.1);
    /// assert!(RoleConfig::<Args>::from_overrides([(PpoRole::Critic, forced)]).is_err());
    /// # Ok::<(), megatron_args::Error>(())
    /// ```
    pub fn from_overrides(
        overrides: impl IntoIterator<Item = (A::Role, A::Overrides)>,
    ) -> Result<Self, Error> {
        use crate::model::args::Overrides as _;
        let schema = A::__schema();
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        for (index, (role, typed)) in overrides.into_iter().enumerate() {
            let mut checked = Vec::new();
            problems.extend(crate::model::args::unwritable_overrides(&typed));
            for (name, raw) in typed.entries() {
                let field = schema.index_of(name).expect("typed overrides name their own fields");
                match rules::check_override::<A>(Some(role), field, name, &raw, &Nowhere) {
                    Ok(value) => checked.push(FileOverride {
                        field,
                        name,
                        value,
                        key_location: None,
                        value_location: None,
                    }),
                    Err(error) => problems.extend(error.into_problems()),
                }
            }
            let entry = RoleEntry { role, name: None, index, location: None, overrides: checked };
            push_entry(&mut entries, &mut problems, entry, |i| format!("overrides #{}", i + 1));
        }
        if !problems.is_empty() {
            return Err(Error::new(problems));
        }
        Ok(RoleConfig { entries, diagnostics: Vec::new(), _args: PhantomData })
    }

    /// Every entry, in file order.
    pub fn entries(&self) -> &[RoleEntry<A::Role>] {
        &self.entries
    }

    /// The entry for `role`, if the file has one.
    pub fn entry(&self, role: A::Role) -> Option<&RoleEntry<A::Role>> {
        self.entries.iter().find(|e| e.role == role)
    }

    /// The diagnostics of loading (ignored keys and sections).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The file's overrides for `role` as the typed overrides struct. Only
    /// regular fields have a typed form; topology overrides are left out.
    pub fn overrides(&self, role: A::Role) -> A::Overrides {
        use crate::model::args::Overrides as _;
        let mut typed = A::Overrides::default();
        for o in self.entry(role).into_iter().flat_map(|e| &e.overrides) {
            if A::fields()[o.field].class.has_typed_override() {
                // Type-checked at load with the same codec.
                let _ = typed.set(o.name, o.value.clone());
            }
        }
        typed
    }
}

/// Reads a file for loading: size-checked before reading, UTF-8 checked after.
fn read_text(path: &Path) -> Result<String, Error> {
    let origin = path.display().to_string();
    let cannot_read = |e: std::io::Error| {
        Error::from(Problem::io(format!("cannot read the role-config file `{origin}`: {e}"), e))
    };
    let metadata = std::fs::metadata(path).map_err(cannot_read)?;
    if metadata.is_dir() {
        let e = std::io::Error::new(std::io::ErrorKind::IsADirectory, "is a directory");
        let message = format!("the role-config path `{origin}` is a directory, not a file");
        return Err(Error::from(Problem::io(message, e)));
    }
    let too_large = |size: u64| {
        Error::from(Problem::new(
            ProblemKind::TooLarge { size, limit: MAX_FILE_SIZE },
            format!("the role-config file `{origin}` is {size} bytes; the limit is {MAX_FILE_SIZE} bytes (16 MiB)"),
            None,
            None,
        ))
    };
    if metadata.len() > MAX_FILE_SIZE {
        return Err(too_large(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    File::open(path).and_then(|f| f.take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes)).map_err(cannot_read)?;
    // The file may have grown since `metadata`; the bounded read caught it.
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(too_large(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        // Lines counted as the YAML scanner counts them, so that `\r` files agree.
        let prefix = String::from_utf8_lossy(&bytes[..valid]);
        let mark = yaml::mark_of_offset(&prefix, prefix.len());
        let source = Source::new(origin.clone(), String::from_utf8_lossy(&bytes).into_owned());
        Error::from(Problem::new(
            ProblemKind::NotUtf8,
            format!("the role-config file is not valid UTF-8 (byte {valid})"),
            Some(Location::new(source, mark.line, mark.column, 1)),
            Some("save the file as UTF-8".to_string()),
        ))
    })
}

fn yaml_problem(source: &Arc<Source>, e: yaml::YamlError) -> Problem {
    let kind = match e.kind {
        YamlErrorKind::Syntax => ProblemKind::Syntax,
        YamlErrorKind::TooComplex => ProblemKind::TooComplex,
        YamlErrorKind::Unsupported => ProblemKind::UnsupportedYaml,
        YamlErrorKind::RefusedBySlime => ProblemKind::RefusedBySlime,
    };
    let mut message = match e.kind {
        YamlErrorKind::Syntax => format!("invalid YAML: {}", e.message),
        _ => e.message,
    };
    if source.line(e.mark.line).is_none() {
        // Past the last line: an unclosed bracket or quote; no line to show.
        message.push_str(" (at the end of the file)");
    }
    let help =
        e.help.or_else(|| message.contains("tab").then(|| "indent YAML with spaces, not tabs".to_string()));
    Problem::new(kind, message, Some(location(source, e.mark)), help)
}

fn location(source: &Arc<Source>, mark: Mark) -> Location {
    Location::new(source.clone(), mark.line, mark.column, mark.len)
}

/// The state of one load: what was found so far.
struct Loader<'a, A: MegatronArgs> {
    source: &'a Arc<Source>,
    schema: &'static Schema<A>,
    options: LoadOptions,
    problems: Vec<Problem>,
    diagnostics: Vec<Diagnostic>,
    entries: Vec<RoleEntry<A::Role>>,
}

impl<A: MegatronArgs> Loader<'_, A> {
    fn at(&self, node: &Node) -> Location {
        location(self.source, node.mark)
    }

    fn problem(&mut self, kind: ProblemKind, message: impl Into<String>, node: &Node, help: Option<String>) {
        let problem = Problem::new(kind, message, Some(self.at(node)), help);
        self.problems.push(problem);
    }

    fn shape(&mut self, message: impl Into<String>, node: Option<&Node>) {
        let location = node.map(|n| self.at(n)).or_else(|| Some(Location::new(self.source.clone(), 1, 1, 1)));
        self.problems.push(Problem::new(
            ProblemKind::Shape,
            message,
            location,
            Some(EXPECTED_SHAPE.to_string()),
        ));
    }

    fn document(&mut self, doc: Option<&Node>) {
        // `---` alone is a document holding an empty scalar: as empty as no document.
        let Some(doc) = doc.filter(|d| !is_empty_scalar(d)) else {
            self.shape("the role-config file is empty", None);
            return;
        };
        let NodeKind::Map(top) = &doc.kind else {
            self.shape(format!("the role-config file holds {}, not a mapping", doc.describe()), Some(doc));
            return;
        };
        let mut megatron = None;
        for pair @ (key, _) in top {
            match key_text(key) {
                "megatron" if megatron.is_some() => {
                    self.problem(
                        ProblemKind::DuplicateKey { key: "megatron".into() },
                        "the key `megatron` appears twice",
                        key,
                        None,
                    );
                }
                "megatron" => megatron = Some(pair),
                other => {
                    let diagnostic = Diagnostic::warning(
                        DiagnosticKind::ExtraTopLevelKey,
                        format!("top-level key `{other}` is not used by megatron-args"),
                        Some(self.at(key)),
                        None,
                    );
                    self.diagnostics.push(diagnostic);
                }
            }
        }
        let Some((megatron_key, list)) = megatron else {
            let message = "the role-config file has no top-level `megatron` list";
            self.shape(message, Some(doc));
            let hint = format!("{}\n{}", self.missing_megatron_hint(top), EXPECTED_SHAPE);
            if let Some(p) = self.problems.last_mut() {
                p.help = Some(hint);
            }
            return;
        };
        let NodeKind::Seq(items) = &list.kind else {
            self.shape(
                format!("`megatron` must be a list of role entries, found {}", list.describe()),
                Some(value_or_key(megatron_key, list)),
            );
            return;
        };
        for (index, item) in items.iter().enumerate() {
            if let Some(entry) = self.entry(index, item) {
                push_entry(&mut self.entries, &mut self.problems, entry, |i| format!("megatron[{i}]"));
            }
        }
    }

    /// Why a file without `megatron` is wrong, in its own terms.
    fn missing_megatron_hint(&self, top: &[(Node, Node)]) -> String {
        let keys: Vec<&str> = top.iter().map(|(k, _)| key_text(k)).collect();
        if keys.iter().any(|k| A::Role::from_name(k).is_some()) {
            "role sections go inside the `megatron` list, one entry per role with `role: NAME`".to_string()
        } else if keys.iter().any(|k| self.schema.index_of(k).is_some()) {
            "overrides go under a role entry of the `megatron` list".to_string()
        } else {
            "the file needs a `megatron` list".to_string()
        }
    }

    fn entry(&mut self, index: usize, node: &Node) -> Option<RoleEntry<A::Role>> {
        let NodeKind::Map(keys) = &node.kind else {
            self.shape(
                format!("megatron[{index}] must be a mapping with `role`, found {}", node.describe()),
                Some(node),
            );
            return None;
        };
        let mut seen: HashMap<&str, &Node> = HashMap::new();
        let (mut role, mut name, mut overrides) = (None, None, None);
        let mut role_ok = true;
        for (key, value) in keys {
            let text = key_text(key);
            if let Some(first) = seen.get(text) {
                let (second, first) = (self.at(key), self.at(first));
                self.repeated(
                    ProblemKind::DuplicateEntryKey { key: text.to_string() },
                    format!("the key `{text}` appears twice in megatron[{index}]"),
                    second,
                    first,
                );
                continue;
            }
            seen.insert(text, key);
            match text {
                "role" => match value.as_str() {
                    Some(r) => role = Some((r, value)),
                    None => {
                        role_ok = false;
                        self.problem(
                            ProblemKind::Shape,
                            format!("`role` must be a role name, found {}", value.describe()),
                            value_or_key(key, value),
                            Some(format!("roles: {}", A::Role::names().join(", "))),
                        );
                    }
                },
                "name" => match &value.kind {
                    NodeKind::Scalar(s) => name = Some(s.text.clone()),
                    _ => self.problem(
                        ProblemKind::Shape,
                        format!("`name` must be a string, found {}", value.describe()),
                        value,
                        None,
                    ),
                },
                "overrides" | "args" => match &value.kind {
                    NodeKind::Map(_) => overrides = Some((text, value)),
                    NodeKind::Scalar(s) if s.value == Value::Null => {}
                    _ => self.problem(
                        ProblemKind::Shape,
                        format!(
                            "`{text}` must be a mapping of argument names to values, found {}",
                            value.describe()
                        ),
                        value,
                        None,
                    ),
                },
                other => {
                    let suggestion = suggest::closest(other, ENTRY_KEYS);
                    let help = suggestion.map_or_else(
                        || Some("an entry takes `role`, `name`, and `overrides` (or `args`)".to_string()),
                        |s| suggest::did_you_mean(&[s]),
                    );
                    self.problem(
                        ProblemKind::UnknownEntryKey { key: other.to_string() },
                        format!("unknown key `{other}` in megatron[{index}]"),
                        key,
                        help,
                    );
                }
            }
        }
        if let (Some(o), Some(a)) = (seen.get("overrides"), seen.get("args")) {
            let args_at = self.at(a);
            self.problems.push(
                Problem::new(
                    ProblemKind::OverridesAndArgs,
                    format!("megatron[{index}] has both `overrides` and `args`"),
                    Some(self.at(o)),
                    Some("`args` is an alias of `overrides`; keep one".to_string()),
                )
                .with_note("`args` is here", Some(args_at)),
            );
        }
        let role = match role {
            Some((text, at)) => self.named_role(text, at),
            None if role_ok => {
                self.problem(
                    ProblemKind::MissingRole,
                    format!("megatron[{index}] has no `role`"),
                    node,
                    Some(format!("add `role: NAME` with one of: {}", A::Role::names().join(", "))),
                );
                None
            }
            None => None,
        };
        let mut file_overrides = Vec::new();
        if let Some((section, map)) = overrides {
            let path = format!("megatron[{index}].{section}");
            file_overrides = self.overrides(role, &path, map);
        }
        Some(RoleEntry { role: role?, name, index, location: Some(self.at(node)), overrides: file_overrides })
    }

    /// The role named `text`, or an error listing the roles.
    fn named_role(&mut self, text: &str, at: &Node) -> Option<A::Role> {
        if let Some(role) = A::Role::from_name(text) {
            return Some(role);
        }
        let names = A::Role::names();
        let mut help = format!("the roles are {}", names.join(", "));
        if let Some(best) = suggest::closest(text, names.iter().copied()) {
            help = format!("did you mean `{best}`? ({help})");
        }
        self.problem(
            ProblemKind::UnknownRole { role: text.to_string() },
            format!("unknown role `{text}`"),
            at,
            Some(help),
        );
        None
    }

    /// A key given a second time: at `second`, with a note at `first`.
    fn repeated(&mut self, kind: ProblemKind, message: String, second: Location, first: Location) {
        // Entry keys are few and fixed; in `overrides` the second would win.
        let help = matches!(kind, ProblemKind::DuplicateKey { .. })
            .then(|| "keep one; a repeated key would silently override the first".to_string());
        self.problems
            .push(Problem::new(kind, message, Some(second), help).with_note("first given here", Some(first)));
    }

    /// Checks one `overrides` mapping; `role` is `None` when the entry's role
    /// is unknown (its keys are still checked).
    fn overrides(&mut self, role: Option<A::Role>, path: &str, map: &Node) -> Vec<FileOverride> {
        let NodeKind::Map(pairs) = &map.kind else { return Vec::new() };
        let mut seen: HashMap<&str, &Node> = HashMap::new();
        let mut found = Vec::new();
        // The key each override in `found` was written with.
        let mut written: Vec<&str> = Vec::new();
        for (key, value) in pairs {
            let text = key_text(key);
            if let Some(first) = seen.insert(text, key) {
                let (second, first) = (self.at(key), self.at(first));
                self.repeated(
                    ProblemKind::DuplicateKey { key: text.to_string() },
                    format!("the key `{text}` appears twice in {path}"),
                    second,
                    first,
                );
                continue;
            }
            let Some(o) = self.override_entry(role, path, key, value) else { continue };
            // An alias and its argument name (`mbs`, `micro_batch_size`) are
            // the same key: the second one would silently win.
            if let Some(first) = found.iter().position(|f: &FileOverride| f.field == o.field) {
                self.repeated(
                    ProblemKind::DuplicateKey { key: text.to_string() },
                    format!("`{}` is set twice in {path} (as `{}` and `{text}`)", o.name, written[first]),
                    o.key_location.expect("a file override has a location"),
                    found[first].key_location.clone().expect("a file override has a location"),
                );
                continue;
            }
            found.push(o);
            written.push(text);
        }
        found
    }

    fn override_entry(
        &mut self,
        role: Option<A::Role>,
        path: &str,
        key: &Node,
        value: &Node,
    ) -> Option<FileOverride> {
        let text = key_text(key);
        let index = self.schema.index_of(text);
        let is_placement = index
            .map_or(PLACEMENT_KEYS.contains(&text), |i| self.schema.infos[i].class == FieldClass::Placement);
        if is_placement {
            self.placement_key(text, key);
            return None;
        }
        let Some(index) = index else {
            self.unknown_key(text, key);
            return None;
        };
        let place = InFile { source: self.source, key, value: value_or_key(key, value) };
        if let Err(error) = rules::check_key::<A>(role, index, &place) {
            self.problems.extend(error.into_problems());
            return None;
        }
        let key_path = format!("{path}.{text}");
        let raw = match value.to_value() {
            Ok(raw) => raw,
            Err(map) => {
                let mismatch = crate::model::value::TypeMismatch {
                    path: Vec::new(),
                    expected: self.schema.infos[index].value_type.to_string(),
                    found: "a mapping".to_string(),
                    help: None,
                };
                self.problems.push(Problem::type_mismatch(&key_path, &mismatch, Some(self.at(map))));
                return None;
            }
        };
        // SPEC 2.8: slime's reader must give the argument the same value.
        if let Some((node, scalar, reading)) = value.first_read_otherwise() {
            let normalize = &self.schema.access[index].normalize;
            let ours = normalize(&raw);
            let slime = value.to_value_yaml11().and_then(|v| normalize(&v).ok());
            // Where both readings fail the field's check, the type error says enough.
            let conflict = match (&ours, &slime) {
                (Ok(a), Some(b)) => a != b,
                (Ok(_), None) | (Err(_), Some(_)) => true,
                (Err(_), None) => false,
            };
            if conflict {
                let help = read_differently_help(scalar, slime.as_ref(), ours.as_ref().ok());
                self.problem(
                    ProblemKind::ReadDifferently { path: key_path.clone() },
                    format!(
                        "`{key_path}` means two things: {}",
                        yaml::read_otherwise_message(scalar, reading)
                    ),
                    node,
                    Some(help),
                );
                return None;
            }
        }
        // The field's type, then the clap argument's own value parser.
        match A::__schema().check_value(index, &key_path, &raw, &place) {
            Ok(value_norm) => {
                self.quoted_bool_note(&self.schema.infos[index].value_type, value, &value_norm);
                Some(FileOverride {
                    field: index,
                    name: self.schema.infos[index].name,
                    value: value_norm,
                    key_location: place.key(),
                    value_location: place.value(&[]),
                })
            }
            Err(error) => {
                self.problems.extend(error.into_problems());
                None
            }
        }
    }

    /// SPEC 2.9: `"false"` for a bool is false here, but slime's override
    /// code gives the argument `bool("false")`, which is true.
    fn quoted_bool_note(&mut self, value_type: &ValueType, value: &Node, value_norm: &Value) {
        let is_bool = match value_type {
            ValueType::Bool => true,
            ValueType::Optional(inner) => **inner == ValueType::Bool,
            _ => false,
        };
        let Some(Value::String(text)) = value.to_value_yaml11() else { return };
        if is_bool && *value_norm == Value::Bool(false) && !text.is_empty() {
            self.diagnostics.push(Diagnostic::warning(
                DiagnosticKind::QuotedBool,
                format!(
                    "the string \"{text}\" is read as false here, but slime's override code makes it `bool(\"{text}\")`, which is true"
                ),
                Some(self.at(value)),
                Some("write `false` without quotes: both read it as false".to_string()),
            ));
        }
    }

    fn placement_key(&mut self, text: &str, key: &Node) {
        let message = format!("`{text}` is a placement argument; placement always follows the command line");
        if self.options.strict {
            self.problem(
                ProblemKind::PlacementKey { key: text.to_string() },
                message,
                key,
                Some("remove it from the file (strict mode)".to_string()),
            );
        } else {
            let diagnostic = Diagnostic::warning(
                DiagnosticKind::PlacementKeyIgnored,
                format!("{message}; ignored"),
                Some(self.at(key)),
                Some("remove it from the file and set it on the command line".to_string()),
            );
            self.diagnostics.push(diagnostic);
        }
    }

    fn unknown_key(&mut self, text: &str, key: &Node) {
        // `--tensor-model-parallel-size` or `tensor-model-parallel-size`.
        let as_name = text.trim_start_matches('-').replace('-', "_");
        let flag = format!("--{}", text.trim_start_matches('-'));
        let target = self.schema.index_of_flag(&flag).or_else(|| self.schema.index_of(&as_name));
        if text.contains('-') {
            if let Some(i) = target {
                let name = self.schema.infos[i].name;
                self.problem(
                    ProblemKind::CliFlagKey { key: text.to_string(), name: name.to_string() },
                    format!("`{text}` is a command-line flag; keys are argument names"),
                    key,
                    Some(format!("write `{name}`")),
                );
                return;
            }
        }
        let mut suggestions = suggest::closest_n(text, self.schema.names(), 3);
        if suggestions.is_empty() && as_name != text {
            suggestions = suggest::closest_n(&as_name, self.schema.names(), 3);
        }
        let help = suggest::did_you_mean(&suggestions);
        let message = if text.is_empty() {
            "an empty key is not an argument name".to_string()
        } else {
            format!("unknown argument `{text}`")
        };
        self.problem(ProblemKind::UnknownKey { key: text.to_string(), suggestions }, message, key, help);
    }
}

/// How to write a value both readers read alike.
fn read_differently_help(scalar: &yaml::Scalar, slime: Option<&Value>, ours: Option<&Value>) -> String {
    match (slime, ours) {
        (_, Some(Value::String(_))) => format!("quote it to mean the text: \"{}\"", scalar.text),
        (Some(s @ (Value::Int(_) | Value::Float(_))), _) => {
            format!("write `{s}` if slime's reading is meant: plain decimal reads alike in both")
        }
        (_, Some(o @ (Value::Int(_) | Value::Float(_)))) => {
            format!("write `{o}`: plain decimal reads alike in both")
        }
        _ => format!("quote it to mean the text: \"{}\"", scalar.text),
    }
}

/// Whether `node` is a scalar with no text (`key:` followed by nothing).
fn is_empty_scalar(node: &Node) -> bool {
    matches!(&node.kind, NodeKind::Scalar(s) if s.text.is_empty() && s.value == Value::Null)
}

/// Where to point at `value`: an empty value has no text, and the parser
/// places it at the next token (often the next line), so point at its key.
fn value_or_key<'n>(key: &'n Node, value: &'n Node) -> &'n Node {
    if is_empty_scalar(value) {
        key
    } else {
        value
    }
}

/// A key's text as written (keys of any scalar kind are compared as text).
fn key_text(key: &Node) -> &str {
    match &key.kind {
        NodeKind::Scalar(s) => &s.text,
        _ => "",
    }
}

/// An override's place in the file.
struct InFile<'a> {
    source: &'a Arc<Source>,
    key: &'a Node,
    value: &'a Node,
}

impl Place for InFile<'_> {
    fn key(&self) -> Option<Location> {
        Some(location(self.source, self.key.mark))
    }
    fn value(&self, path: &[usize]) -> Option<Location> {
        Some(location(self.source, self.value.at_path(path).mark))
    }
}

/// Adds `entry`, unless its role has one already (SPEC 2.5): then a problem
/// naming both. `label` names the entry (`megatron[2]`).
fn push_entry<R: Role>(
    entries: &mut Vec<RoleEntry<R>>,
    problems: &mut Vec<Problem>,
    entry: RoleEntry<R>,
    label: impl Fn(usize) -> String,
) {
    let Some(first) = entries.iter().find(|e| e.role == entry.role) else {
        entries.push(entry);
        return;
    };
    let role = entry.role.name();
    let first_is = match first.location {
        Some(_) => "here".to_string(),
        None => label(first.index),
    };
    problems.push(
        Problem::new(
            ProblemKind::DuplicateRole { role: role.to_string() },
            format!("a second entry for role `{role}` ({})", label(entry.index)),
            entry.location,
            Some("merge the two entries into one".to_string()),
        )
        .with_note(format!("the first entry for role `{role}` is {first_is}"), first.location.clone()),
    );
}
