//! Arguments that depend on each other: the struct's derivations (fill a
//! value from others, `#[megatron(derive_with = path)]`) and cross-field
//! checks (report a broken relation naming the arguments involved,
//! `#[megatron(check = path)]`). Both run per role, after its specialization
//! and overrides, so that what a role changed is re-derived and re-checked.
//!
//! The two are kept apart on purpose: a derivation only fills values and
//! cannot fail; a check only reads and reports.

use crate::model::args::schema::{member as member_of, member_mut};
use crate::model::args::MegatronArgs;
use crate::model::error::{Location, Problem, ProblemKind};
use crate::model::role::Role;

/// What a `#[megatron(derive_with = path)]` function gets: one role's
/// arguments after its specialization and overrides, to fill derived values
/// in.
///
/// [`Derivation::fill`] names the argument it fills and the arguments it
/// derives it from; it never replaces a value the role gave explicitly (in
/// the file, by typed overrides, `role_default` or `role_forced`), and the
/// value it fills is marked in the provenance as derived
/// ([`crate::Provenance::Derived`]).
///
/// ```
/// use clap::Parser;
/// use megatron_args::{Derivation, MegatronArgs, PpoRole, Provenance, RoleConfig};
///
/// #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
/// #[megatron(derive_with = derive_sizes)]
/// struct Args {
///     #[arg(long)]
///     hidden_size: Option<u64>,
///     /// Defaults to four times `--hidden-size`.
///     #[arg(long)]
///     ffn_hidden_size: Option<u64>,
/// }
///
/// fn derive_sizes(d: &mut Derivation<'_, Args>) {
///     d.fill("ffn_hidden_size", &["hidden_size"], |a| {
///         if a.ffn_hidden_size.is_none() {
///             a.ffn_hidden_size = a.hidden_size.map(|h| 4 * h);
///         }
///     });
/// }
///
/// let baseline = Args::parse_from(["train", "--hidden-size", "4096"]);
/// let config = RoleConfig::<Args>::from_str(
///     "megatron:\n  - role: critic\n    overrides:\n      hidden_size: 1024\n",
///     "roles.yaml",
/// )?;
/// let resolved = config.resolve(&baseline, &[PpoRole::Actor, PpoRole::Critic])?;
/// assert_eq!(resolved.get(PpoRole::Actor).unwrap().ffn_hidden_size, Some(16384));
/// let critic = resolved.role(PpoRole::Critic).unwrap();
/// assert_eq!(critic.args().ffn_hidden_size, Some(4096)); // re-derived for the critic
/// assert_eq!(critic.provenance("ffn_hidden_size").unwrap().to_string(), "derived from hidden_size");
/// # Ok::<(), megatron_args::Error>(())
/// ```
pub struct Derivation<'a, A: MegatronArgs> {
    role: A::Role,
    args: &'a mut A,
    explicit: &'a dyn Fn(usize) -> bool,
    filled: Vec<(usize, Vec<&'static str>)>,
}

impl<'a, A: MegatronArgs> Derivation<'a, A> {
    pub(crate) fn new(role: A::Role, args: &'a mut A, explicit: &'a dyn Fn(usize) -> bool) -> Self {
        Derivation { role, args, explicit, filled: Vec::new() }
    }

    /// The role being resolved.
    pub fn role(&self) -> A::Role {
        self.role
    }

    /// The role's arguments as they are now (derivations run in order, so a
    /// later one sees what an earlier one filled).
    pub fn args(&self) -> &A {
        self.args
    }

    /// Whether the role gave argument `name` explicitly: in the file, by
    /// typed overrides, or by `role_default` / `role_forced`.
    ///
    /// # Panics
    /// If `name` is not an argument of the struct (a mistake in the program).
    pub fn is_explicit(&self, name: &str) -> bool {
        (self.explicit)(field_index::<A>(name))
    }

    /// Fills argument `name`, derived from the arguments `from`, by running
    /// `fill` on the arguments, unless the role gave `name` explicitly. When
    /// `fill` changes the value, the provenance of `name` becomes
    /// "derived from" `from`. `fill` should write `name` only; it decides
    /// itself, as upstream does, whether a value counts as not given
    /// (`if a.ffn_hidden_size.is_none()`).
    ///
    /// # Panics
    /// If `name` or one of `from` is not an argument of the struct (a
    /// mistake in the program).
    pub fn fill(&mut self, name: &'static str, from: &[&'static str], fill: impl FnOnce(&mut A)) {
        let schema = A::__schema();
        let index = field_index::<A>(name);
        let from: Vec<&'static str> = from.iter().map(|f| schema.infos[field_index::<A>(f)].name).collect();
        if (self.explicit)(index) {
            return;
        }
        // A value with no spelling of its own cannot be compared: it counts
        // as filled, so that the text it was read from is not kept for it.
        let before = schema.value(self.args, index).ok();
        fill(self.args);
        if before.is_none() || schema.value(self.args, index).ok() != before {
            self.filled.retain(|(field, _)| *field != index);
            self.filled.push((index, from));
        }
    }

    /// Runs a derivation of the flattened group `I`, member `member` of the
    /// struct, whose fields start at field `offset`, as role `role`.
    pub(crate) fn run_group<I: MegatronArgs>(
        &mut self,
        role: I::Role,
        member: usize,
        offset: usize,
        derive: impl FnOnce(&mut Derivation<'_, I>),
    ) {
        let explicit = self.explicit;
        let shifted = move |field: usize| explicit(offset + field);
        let mut inner = Derivation::new(role, member_mut::<A, I>(self.args, member), &shifted);
        derive(&mut inner);
        for (field, from) in inner.filled {
            self.filled.retain(|(f, _)| *f != offset + field);
            self.filled.push((offset + field, from));
        }
    }
}

/// What a `#[megatron(check = path)]` function gets: one role's arguments,
/// derived, to check relations between them and report each broken one with
/// [`Checks::report`], naming the arguments involved. The report then shows
/// where each of them came from: its line in the file, or on the command
/// line ([`crate::CommandLine`]).
///
/// ```
/// use clap::Parser;
/// use megatron_args::{Checks, MegatronArgs, PpoRole, RoleConfig};
///
/// #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
/// #[megatron(check = kl_terms)]
/// struct Args {
///     #[arg(long, default_value_t = 0.0)]
///     #[megatron(role_forced(critic = 0.0))]
///     kl_coef: f64,
///     #[arg(long, default_value_t = 0.0)]
///     kl_loss_coef: f64,
/// }
///
/// fn kl_terms(c: &mut Checks<'_, Args>) {
///     let a = c.args();
///     if a.kl_coef != 0.0 && a.kl_loss_coef != 0.0 {
///         c.report(&["kl_coef", "kl_loss_coef"], "only one of `kl_coef` and `kl_loss_coef` can be non-zero")
///             .help("set one of them to 0");
///     }
/// }
///
/// let baseline = Args::parse_from(["train", "--kl-coef", "0.1"]);
/// let text = "megatron:\n  - role: actor\n    overrides: {kl_loss_coef: 0.01}\n  - role: critic\n    overrides: {kl_loss_coef: 0.01}\n";
/// let config = RoleConfig::<Args>::from_str(text, "roles.yaml")?;
/// // Fine for the critic, whose `kl_coef` is forced to 0; not for the actor.
/// let err = config.resolve(&baseline, &[PpoRole::Actor, PpoRole::Critic]).unwrap_err();
/// assert_eq!(err.problems().len(), 1);
/// assert_eq!(err.problems()[0].location.as_ref().unwrap().to_string(), "roles.yaml:3:31");
/// assert!(config.resolve(&baseline, &[PpoRole::Critic]).is_ok());
/// # Ok::<(), megatron_args::Error>(())
/// ```
pub struct Checks<'a, A: MegatronArgs> {
    role: A::Role,
    args: &'a A,
    broken: Vec<Broken>,
}

impl<'a, A: MegatronArgs> Checks<'a, A> {
    pub(crate) fn new(role: A::Role, args: &'a A) -> Self {
        Checks { role, args, broken: Vec::new() }
    }

    /// The role being resolved.
    pub fn role(&self) -> A::Role {
        self.role
    }

    /// The role's arguments, derived.
    pub fn args(&self) -> &'a A {
        self.args
    }

    /// Reports a broken relation between the arguments `involved` (at least
    /// one), with `message`; add a help line to what it returns.
    ///
    /// # Panics
    /// If `involved` is empty or names something that is not an argument of
    /// the struct (a mistake in the program).
    pub fn report(&mut self, involved: &[&'static str], message: impl Into<String>) -> &mut Broken {
        assert!(!involved.is_empty(), "megatron-args: a broken relation names the arguments involved");
        let fields = involved.iter().map(|name| field_index::<A>(name)).collect();
        self.broken.push(Broken { fields, message: message.into(), help: None });
        self.broken.last_mut().expect("just pushed")
    }

    /// Runs a check of the flattened group `I`, member `member` of the
    /// struct, whose fields start at field `offset`, as role `role`; what it
    /// reports names the struct's fields.
    pub(crate) fn run_group<I: MegatronArgs>(
        &mut self,
        role: I::Role,
        member: usize,
        offset: usize,
        check: impl FnOnce(&mut Checks<'_, I>),
    ) {
        let mut inner = Checks::new(role, member_of::<A, I>(self.args, member));
        check(&mut inner);
        self.broken.extend(inner.broken.into_iter().map(|mut broken| {
            broken.fields.iter_mut().for_each(|field| *field += offset);
            broken
        }));
    }
}

/// A broken relation reported by [`Checks::report`].
#[derive(Clone, Debug, PartialEq)]
pub struct Broken {
    fields: Vec<usize>,
    message: String,
    help: Option<String>,
}

impl Broken {
    /// Adds a line saying how to fix it.
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }
}

/// The field of argument `name` (or alias); a name that is none is a bug in
/// the program's derivations or checks.
fn field_index<A: MegatronArgs>(name: &str) -> usize {
    A::__schema().index_of(name).unwrap_or_else(|| {
        panic!(
            "megatron-args: `{name}` is not an argument of `{}` (named by a derivation or a check)",
            crate::model::value::short_type_name::<A>()
        )
    })
}

/// Runs the struct's derivations on `role`'s arguments; `explicit` says
/// which fields the role gave itself. Returns each filled field with what it
/// was derived from.
pub(crate) fn derive<A: MegatronArgs>(
    role: A::Role,
    args: &mut A,
    explicit: &dyn Fn(usize) -> bool,
) -> Vec<(usize, Vec<&'static str>)> {
    let derivations = &A::__schema().derivations;
    if derivations.is_empty() {
        return Vec::new();
    }
    let mut derivation = Derivation::new(role, args, explicit);
    for derive in derivations {
        derive(&mut derivation);
    }
    derivation.filled
}

/// Runs the struct's checks on `role`'s arguments.
pub(crate) fn check<A: MegatronArgs>(role: A::Role, args: &A) -> Vec<Broken> {
    let relation_checks = &A::__schema().relation_checks;
    if relation_checks.is_empty() {
        return Vec::new();
    }
    let mut checks = Checks::new(role, args);
    for check in relation_checks {
        check(&mut checks);
    }
    checks.broken
}

/// Where one involved value came from, for its label.
pub(crate) struct Origin {
    /// Its place, in the file or on the command line.
    pub(crate) location: Option<Location>,
    /// Whether the place is in the file (the value the role changed).
    pub(crate) in_file: bool,
    /// Where it came from in words (`command line`, `role forced`).
    pub(crate) from: String,
}

impl Broken {
    /// The fields involved.
    pub(crate) fn fields(&self) -> &[usize] {
        &self.fields
    }

    /// The problem of this broken relation for `roles` (one, or several
    /// that broke it alike): at the first involved value from the file, else
    /// the first on the command line; every involved value a labelled span
    /// (or a note, when it has no place).
    pub(crate) fn to_problem<A: MegatronArgs>(
        &self,
        roles: &[A::Role],
        args: &A,
        origin: impl Fn(usize) -> Origin,
    ) -> Problem {
        let schema = A::__schema();
        let origins: Vec<Origin> = self.fields.iter().map(|&f| origin(f)).collect();
        let primary = origins
            .iter()
            .find(|o| o.in_file && o.location.is_some())
            .or_else(|| origins.iter().find(|o| o.location.is_some()))
            .and_then(|o| o.location.clone());
        let names: Vec<String> = roles.iter().map(|r| format!("`{}`", r.name())).collect();
        let for_roles = match names.len() {
            1 => format!("role {}", names[0]),
            _ => format!("roles {}", names.join(", ")),
        };
        let mut problem = Problem::new(
            ProblemKind::Relation {
                keys: self.fields.iter().map(|&f| schema.infos[f].name.to_string()).collect(),
                roles: roles.iter().map(|r| r.name().to_string()).collect(),
            },
            format!("{} ({for_roles})", self.message),
            primary,
            self.help.clone(),
        );
        for (&field, origin) in self.fields.iter().zip(origins) {
            let info = &schema.infos[field];
            let value = crate::model::value::Shown(schema.value(args, field));
            problem = match origin.location {
                Some(at) => problem.with_note(format!("`{}` = {value}", info.name), Some(at)),
                None => problem.with_note(format!("`{}` = {value} ({})", info.name, origin.from), None),
            };
        }
        problem
    }
}
