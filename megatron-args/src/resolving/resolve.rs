//! Resolution: baseline, then role specialization, then the file's
//! overrides, then the struct's derivations, then each role's checks (field
//! validators, clap's relations between arguments, the struct's cross-field
//! checks), then the checks across roles (topology agreement).
//! The baseline is only read; a failed resolution returns no role arguments.

use std::collections::BTreeMap;
use std::path::Path;

use crate::model::args::MegatronArgs;
use crate::model::diagnostic::{Diagnostic, DiagnosticKind};
use crate::model::error::{Error, Location, Problem, ProblemKind};
use crate::model::field::{FieldClass, FieldInfo, RoleValueKind};
use crate::model::provenance::Provenance;
use crate::model::relations::{self, Broken, Origin};
use crate::model::role::Role;
use crate::model::rules;
use crate::model::texts::Texts;
use crate::model::value::{Shown, Unwritable, Value};
use crate::reading::command_line::CommandLine;
use crate::reading::config::RoleConfig;
use crate::resolving::baseline_texts;

/// One role's resolved arguments and where each value came from.
#[derive(Clone, Debug)]
pub struct RoleArgs<A: MegatronArgs> {
    role: A::Role,
    args: A,
    provenance: Vec<Provenance>,
    /// The texts of the values whose type has no spelling of its own.
    texts: Texts,
}

impl<A: MegatronArgs> RoleArgs<A> {
    /// The role.
    pub fn role(&self) -> A::Role {
        self.role
    }

    /// The role's complete arguments.
    pub fn args(&self) -> &A {
        &self.args
    }

    /// Consumes into the arguments.
    pub fn into_args(self) -> A {
        self.args
    }

    /// Where the value of argument `name` came from.
    pub fn provenance(&self, name: &str) -> Option<&Provenance> {
        A::field(name).map(|f| &self.provenance[f.index])
    }

    /// The value of argument `name` (or alias), as [`MegatronArgs::try_get`]
    /// gives it, except that a value whose type has no spelling of its own
    /// (read through `FromStr` alone, or through the argument's own clap
    /// value parser) is written as the text it was read from: the file's
    /// value, or, for a value of the command line, the text clap parsed
    /// (its argument, or its `default_value`) when the resolution was given
    /// the command line ([`RoleConfig::resolve_with_command_line`]). A value
    /// set from Rust code (`role_default`, `role_forced`, a derivation) has
    /// no text: an error naming the field and why.
    pub fn value(&self, name: &str) -> Result<Value, Error> {
        let schema = A::__schema();
        let index = schema.index_of(name).ok_or_else(|| crate::model::args::unknown_field::<A>(name))?;
        self.value_of(index).map_err(|why| Error::from(Problem::unwritable(schema.infos[index].name, &why)))
    }

    /// The value of field `index`, written from its text when it has one.
    pub(crate) fn value_of(&self, index: usize) -> Result<Value, Unwritable> {
        self.texts.value(&self.args, index)
    }

    /// The texts of the values whose type has no spelling of its own.
    #[cfg(feature = "clap")]
    pub(crate) fn texts(&self) -> &Texts {
        &self.texts
    }
}

/// An argument whose resolved value differs from the baseline.
///
/// Read-only: [`Resolved::changes`] makes them (non-exhaustive, so that a
/// later version may add to them).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Change {
    /// The field.
    pub field: &'static FieldInfo,
    /// The baseline value ([`SECRET_MASK`](crate::SECRET_MASK) for a secret).
    pub baseline: Value,
    /// The role's value ([`SECRET_MASK`](crate::SECRET_MASK) for a secret).
    pub value: Value,
    /// Where the role's value came from.
    pub provenance: Provenance,
}

/// The result of a resolution: each active role's arguments, and the
/// diagnostics of loading and resolving.
///
/// ```
/// use megatron_args::{PpoRole, Provenance, RoleConfig};
/// # use clap::Parser;
/// # use megatron_args::MegatronArgs;
/// # #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
/// # struct TrainArgs {
/// #     #[arg(long, default_value_t = 1e-6)]
/// #     lr: f64,
/// #     #[arg(long, default_value_t = 0.0)]
/// #     #[megatron(role_forced(critic = 0.0))]
/// #     kl_coef: f64,
/// #     #[arg(long)]
/// #     #[megatron(skip)]
/// #     megatron_config_path: Option<std::path::PathBuf>,
/// # }
///
/// let baseline = TrainArgs::parse_from(["train", "--kl-coef", "0.05"]);
/// let config = RoleConfig::<TrainArgs>::from_str(
///     "megatron:\n  - role: critic\n    overrides:\n      lr: 1e-5\n",
///     "megatron_ppo.yaml",
/// )?;
/// let resolved = config.resolve(&baseline, &[PpoRole::Actor, PpoRole::Critic])?;
///
/// assert_eq!(resolved.get(PpoRole::Actor), Some(&baseline)); // nothing to change
/// let critic = resolved.role(PpoRole::Critic).unwrap();
/// assert_eq!(critic.args().lr, 1e-5);
/// assert!(matches!(critic.provenance("lr"), Some(Provenance::File(at)) if at.line() == 4));
///
/// // What differs from the command line, and why.
/// let changes: Vec<String> = resolved
///     .changes(PpoRole::Critic)
///     .iter()
///     .map(|c| format!("{} = {} ({})", c.field.name, c.value, c.provenance))
///     .collect();
/// assert_eq!(changes, ["lr = 1e-5 (megatron_ppo.yaml:4)", "kl_coef = 0.0 (role forced)"]);
/// assert_eq!(resolved.baseline(), &baseline); // never changed
/// # Ok::<(), megatron_args::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Resolved<A: MegatronArgs> {
    baseline: A,
    /// The texts of the baseline's values whose type has no spelling of its own.
    baseline_texts: Texts,
    /// Where each baseline value came from.
    baseline_provenance: Vec<Provenance>,
    roles: Vec<RoleArgs<A>>,
    diagnostics: Vec<Diagnostic>,
}

impl<A: MegatronArgs> Resolved<A> {
    /// The arguments of `role`, if it is active.
    pub fn get(&self, role: A::Role) -> Option<&A> {
        self.role(role).map(RoleArgs::args)
    }

    /// The arguments and provenance of `role`, if it is active.
    pub fn role(&self, role: A::Role) -> Option<&RoleArgs<A>> {
        self.roles.iter().find(|r| r.role == role)
    }

    /// Every active role, in role-set order.
    pub fn roles(&self) -> &[RoleArgs<A>] {
        &self.roles
    }

    /// The baseline every role started from.
    pub fn baseline(&self) -> &A {
        &self.baseline
    }

    /// Where the baseline's value of argument `name` came from: the command
    /// line ([`Provenance::Baseline`]), an environment variable
    /// ([`Provenance::Environment`]) or a default ([`Provenance::Default`])
    /// when the resolution was given the command line
    /// ([`RoleConfig::resolve_with_command_line`]), else
    /// [`Provenance::Baseline`].
    pub fn baseline_provenance(&self, name: &str) -> Option<&Provenance> {
        A::field(name).map(|f| &self.baseline_provenance[f.index])
    }

    /// Warnings and notes, in file order.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Takes `role`'s arguments out of the result, without cloning them;
    /// the role is then no longer in it ([`Resolved::get`] is `None`).
    ///
    /// ```
    /// # use clap::Parser;
    /// # use megatron_args::{MegatronArgs, PpoRole, RoleConfig};
    /// # #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
    /// # struct TrainArgs {
    /// #     #[arg(long, default_value_t = 1e-6)]
    /// #     lr: f64,
    /// # }
    /// let baseline = TrainArgs::parse_from(["train"]);
    /// let config = RoleConfig::<TrainArgs>::from_str("megatron:\n  - role: critic\n    overrides: {lr: 1e-5}\n", "f.yaml")?;
    /// let mut resolved = config.resolve(&baseline, &[PpoRole::Actor, PpoRole::Critic])?;
    ///
    /// let critic: TrainArgs = resolved.take(PpoRole::Critic).unwrap().into_args();
    /// assert_eq!(critic.lr, 1e-5);
    /// assert!(resolved.get(PpoRole::Critic).is_none()); // taken
    ///
    /// // Or every role at once, by value.
    /// let actors: Vec<TrainArgs> = resolved.into_iter().map(|r| r.into_args()).collect();
    /// assert_eq!(actors, [baseline]);
    /// # Ok::<(), megatron_args::Error>(())
    /// ```
    pub fn take(&mut self, role: A::Role) -> Option<RoleArgs<A>> {
        let position = self.roles.iter().position(|r| r.role == role)?;
        Some(self.roles.remove(position))
    }

    /// The arguments of `role` that differ from the baseline, in field order.
    /// The values of a `#[megatron(secret)]` argument are shown as
    /// [`SECRET_MASK`](crate::SECRET_MASK).
    /// A value derived only from command-line values is what the command
    /// line means for every role, not a change of the role, and is left out.
    pub fn changes(&self, role: A::Role) -> Vec<Change> {
        let Some(resolved) = self.role(role) else { return Vec::new() };
        let schema = A::__schema();
        schema
            .infos
            .iter()
            .filter_map(|info| {
                if follows_command_line::<A>(&resolved.provenance, info.index, schema.infos.len()) {
                    return None;
                }
                // A value with no text to show (see `Unwritable`) is left out.
                let value = resolved.value_of(info.index).ok()?;
                let baseline = self.baseline_texts.value(&self.baseline, info.index).ok()?;
                (value != baseline).then(|| Change {
                    field: info,
                    baseline: info.shown(baseline),
                    value: info.shown(value),
                    provenance: resolved.provenance[info.index].clone(),
                })
            })
            .collect()
    }
}

/// Whether the value of `field` follows from the command line alone: given
/// there, or derived from values that are (`depth` bounds a cycle of
/// derivations).
fn follows_command_line<A: MegatronArgs>(provenance: &[Provenance], field: usize, depth: usize) -> bool {
    match &provenance[field] {
        p if p.is_baseline() => true,
        Provenance::Derived { from } => {
            depth > 0
                && from.iter().all(|name| {
                    A::__schema()
                        .index_of(name)
                        .is_some_and(|i| follows_command_line::<A>(provenance, i, depth - 1))
                })
        }
        _ => false,
    }
}

/// Every active role's arguments, by value, in role-set order (the roles
/// [`Resolved::take`] left).
impl<A: MegatronArgs> IntoIterator for Resolved<A> {
    type Item = RoleArgs<A>;
    type IntoIter = IntoRoles<A>;

    fn into_iter(self) -> IntoRoles<A> {
        IntoRoles(self.roles.into_iter())
    }
}

/// Every active role, by reference ([`Resolved::roles`]).
impl<'a, A: MegatronArgs> IntoIterator for &'a Resolved<A> {
    type Item = &'a RoleArgs<A>;
    type IntoIter = std::slice::Iter<'a, RoleArgs<A>>;

    fn into_iter(self) -> Self::IntoIter {
        self.roles.iter()
    }
}

/// The owned roles of a [`Resolved`], from its `into_iter`.
#[derive(Debug)]
pub struct IntoRoles<A: MegatronArgs>(std::vec::IntoIter<RoleArgs<A>>);

impl<A: MegatronArgs> Iterator for IntoRoles<A> {
    type Item = RoleArgs<A>;

    fn next(&mut self) -> Option<RoleArgs<A>> {
        self.0.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<A: MegatronArgs> DoubleEndedIterator for IntoRoles<A> {
    fn next_back(&mut self) -> Option<RoleArgs<A>> {
        self.0.next_back()
    }
}

impl<A: MegatronArgs> ExactSizeIterator for IntoRoles<A> {}

impl<A: MegatronArgs> std::iter::FusedIterator for IntoRoles<A> {}

impl<A: MegatronArgs> RoleConfig<A> {
    /// Resolves every role in `active` from `baseline` and this file.
    /// Entries for roles not in `active` were type-checked but are not applied.
    ///
    /// Each role starts from `baseline`, takes its `role_default` and
    /// `role_forced` values, then the file's overrides; then the roles are
    /// checked together (topology agreement, validators). On an error no
    /// role's arguments are returned, and `baseline` is never changed.
    ///
    /// ```
    /// use megatron_args::{PpoRole, ProblemKind, RoleConfig};
    /// # use clap::Parser;
    /// # use megatron_args::MegatronArgs;
    /// # #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
    /// # struct TrainArgs {
    /// #     #[arg(long, default_value_t = 1e-6)]
    /// #     lr: f64,
    /// #     #[arg(long, default_value_t = 0.0)]
    /// #     #[megatron(role_forced(critic = 0.0))]
    /// #     kl_coef: f64,
    /// #     #[arg(long)]
    /// #     #[megatron(skip)]
    /// #     megatron_config_path: Option<std::path::PathBuf>,
    /// # }
    ///
    /// let baseline = TrainArgs::parse_from(["train"]);
    /// let config = RoleConfig::<TrainArgs>::from_str(
    ///     "megatron:\n  - role: critic\n    overrides:\n      lr: 1e-5\n",
    ///     "megatron_ppo.yaml",
    /// )?;
    /// // A run without a critic: its entry is checked but not applied.
    /// let resolved = config.resolve(&baseline, &[PpoRole::Actor])?;
    /// assert!(resolved.get(PpoRole::Critic).is_none());
    /// assert_eq!(resolved.roles().len(), 1);
    /// # Ok::<(), megatron_args::Error>(())
    /// ```
    pub fn resolve(&self, baseline: &A, active: &[A::Role]) -> Result<Resolved<A>, Error> {
        self.resolve_roles(baseline, None, active)
    }

    /// [`RoleConfig::resolve`], with the command line `baseline` was parsed
    /// from, so that a problem involving a command-line value (a relation
    /// that a file value breaks with it) shows it as a labelled span
    /// (`--kl-coef 0.1`) rather than a note.
    ///
    /// ```
    /// use clap::Parser;
    /// use megatron_args::{Checks, CommandLine, MegatronArgs, PpoRole, RoleConfig};
    ///
    /// #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
    /// #[megatron(check = save_needs_save)]
    /// struct Args {
    ///     #[arg(long)]
    ///     save: Option<String>,
    ///     #[arg(long)]
    ///     save_interval: Option<u64>,
    /// }
    ///
    /// fn save_needs_save(c: &mut Checks<'_, Args>) {
    ///     if c.args().save_interval.is_some() && c.args().save.is_none() {
    ///         c.report(&["save_interval", "save"], "`save_interval` needs `save`");
    ///     }
    /// }
    ///
    /// let argv = ["train", "--save-interval", "100", "--save", "/ckpt"];
    /// let baseline = Args::parse_from(argv);
    /// let config = RoleConfig::<Args>::from_str("megatron:\n  - role: actor\n    overrides: {save: null}\n", "roles.yaml")?;
    /// let err = config.resolve_with_command_line(&baseline, &CommandLine::new(argv), &[PpoRole::Actor]).unwrap_err();
    /// let report = err.to_string();
    /// assert!(report.contains("roles.yaml:3:23"), "{report}"); // the file value the role changed
    /// assert!(report.contains("command line:1:7"), "{report}"); // and the other, on the command line
    /// assert!(report.contains("--save-interval 100"), "{report}");
    /// # Ok::<(), megatron_args::Error>(())
    /// ```
    pub fn resolve_with_command_line(
        &self,
        baseline: &A,
        command_line: &CommandLine,
        active: &[A::Role],
    ) -> Result<Resolved<A>, Error> {
        self.resolve_roles(baseline, Some(command_line), active)
    }

    fn resolve_roles(
        &self,
        baseline: &A,
        command_line: Option<&CommandLine>,
        active: &[A::Role],
    ) -> Result<Resolved<A>, Error> {
        let schema = A::__schema();
        schema.check_definition()?;
        let active: Vec<A::Role> = A::Role::ALL.iter().copied().filter(|r| active.contains(r)).collect();
        let mut problems = Vec::new();
        let mut diagnostics = self.diagnostics().to_vec();
        for entry in self.entries().iter().filter(|e| !active.contains(&e.role)) {
            diagnostics.push(Diagnostic::info(
                DiagnosticKind::InactiveRoleEntry,
                format!(
                    "role `{}` is not active in this run; its entry was checked but not applied",
                    entry.role.name()
                ),
                entry.location.clone(),
            ));
        }

        let baseline_values = baseline_texts::of(baseline, command_line)?;
        let baseline_texts = baseline_values.texts;
        if let Some(line) = command_line {
            // What a report shows of the command line hides the secrets.
            crate::reading::command_line::mask_secrets::<A>(line, Vec::new());
        }
        let mut roles = Vec::with_capacity(active.len());
        let mut broken: Vec<(Broken, Vec<usize>)> = Vec::new();
        for &role in &active {
            let mut args = baseline.clone();
            let mut texts = baseline_texts.clone();
            let mut provenance = baseline_values.provenance.clone();
            for rv in schema.role_values.iter().filter(|rv| rv.role == role) {
                (rv.apply)(&mut args);
                texts.forget(rv.field);
                provenance[rv.field] = match rv.kind {
                    RoleValueKind::Default => Provenance::RoleDefault,
                    RoleValueKind::Forced => Provenance::RoleForced,
                };
            }
            for o in self.entry(role).into_iter().flat_map(|e| &e.overrides) {
                match (schema.access[o.field].set)(&mut args, &o.value) {
                    Ok(()) => {
                        // The checked value is the text it was read from.
                        texts.read(o.field, o.value.clone());
                        provenance[o.field] = match &o.value_location {
                            Some(at) if o.on_command_line => Provenance::CommandLine(at.clone()),
                            Some(at) => Provenance::File(at.clone()),
                            None => Provenance::Overrides,
                        }
                    }
                    Err(mismatch) => {
                        problems.push(Problem::type_mismatch(o.name, &mismatch, o.value_location.clone()))
                    }
                }
            }
            let explicit = |field: usize| !provenance[field].is_baseline();
            for (field, from) in relations::derive(role, &mut args, &explicit) {
                texts.forget(field);
                provenance[field] = Provenance::Derived { from };
            }
            problems.extend(rules::validate(role, &args, |field| {
                (provenance[field].written_at().cloned(), provenance[field].to_string())
            }));
            // clap's relations between arguments (SPEC 3.13), on the role's
            // final values.
            problems.extend((schema.hooks.relations)(
                role,
                (baseline, &baseline_texts),
                (&args, &texts),
                &provenance,
                &|field| command_line.and_then(|line| line.locate(&schema.infos[field])),
            ));
            let role_index = roles.len();
            for b in relations::check(role, &args) {
                // The same relation broken by the same values in several
                // roles (all from the command line, say) is one problem.
                let same = broken.iter_mut().find(|(other, in_roles)| {
                    *other == b && {
                        let first: &RoleArgs<A> = &roles[in_roles[0]];
                        b.fields().iter().all(|&f| {
                            first.provenance[f] == provenance[f]
                                && first.texts.value(&first.args, f).ok() == texts.value(&args, f).ok()
                        })
                    }
                });
                match same {
                    Some((_, in_roles)) => in_roles.push(role_index),
                    None => broken.push((b, vec![role_index])),
                }
            }
            roles.push(RoleArgs { role, args, provenance, texts });
        }
        for (b, in_roles) in &broken {
            let first = &roles[in_roles[0]];
            let names: Vec<A::Role> = in_roles.iter().map(|&i| roles[i].role).collect();
            problems.push(b.to_problem(&names, &first.args, |field| origin(first, field, command_line)));
        }

        check_topology(&roles, &mut problems, &mut diagnostics);
        for diagnostic in diagnostics.iter().skip(self.diagnostics().len()) {
            diagnostic.emit();
        }
        if !problems.is_empty() {
            // The file's warnings and the resolution's, beside the problems.
            return Err(Error::new(problems).with_diagnostics(diagnostics));
        }
        Ok(Resolved {
            baseline: baseline.clone(),
            baseline_texts,
            baseline_provenance: baseline_values.provenance,
            roles,
            diagnostics,
        })
    }
}

/// Where the value of `field` came from for `role`, for a broken relation's
/// report: its place in the file, or on the command line when it is given
/// there and the command line is known.
fn origin<A: MegatronArgs>(role: &RoleArgs<A>, field: usize, command_line: Option<&CommandLine>) -> Origin {
    match &role.provenance[field] {
        Provenance::File(at) | Provenance::CommandLine(at) => {
            Origin { location: Some(at.clone()), in_file: true, from: String::new() }
        }
        Provenance::Baseline => {
            let located = command_line.and_then(|line| line.locate(&A::__schema().infos[field]));
            Origin { location: located, in_file: false, from: "command line".to_string() }
        }
        Provenance::Default => Origin { location: None, in_file: false, from: "the default".to_string() },
        Provenance::Environment { .. } => {
            Origin { location: None, in_file: false, from: format!("from {}", role.provenance[field]) }
        }
        other => Origin { location: None, in_file: false, from: other.to_string() },
    }
}

/// Every `#[topology]` field must be equal across the active roles of each
/// topology group. Agreeing overrides from the file get a warning, whose
/// advice (set it on the command line) is given only where the command line
/// could hold the value: when every group has it. A group whose value is its
/// own (a reward model's tensor-parallel size) can set it only in the file,
/// which is noted, not warned about.
fn check_topology<A: MegatronArgs>(
    roles: &[RoleArgs<A>],
    problems: &mut Vec<Problem>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let schema = A::__schema();
    let mut groups: BTreeMap<&'static str, Vec<&RoleArgs<A>>> = BTreeMap::new();
    for r in roles {
        groups.entry(r.role.topology_group()).or_default().push(r);
    }
    let several_groups = groups.len() > 1;
    for (group, members) in &groups {
        for info in schema.infos.iter().filter(|info| info.class == FieldClass::Topology) {
            let every_role_agrees =
                roles.windows(2).all(|w| w[0].value_of(info.index) == w[1].value_of(info.index));
            let values: Vec<(A::Role, Shown, &Provenance)> = members
                .iter()
                .map(|r| {
                    (r.role, Shown(r.value_of(info.index).map(|v| info.shown(v))), &r.provenance[info.index])
                })
                .collect();
            let file_locations: Vec<&Location> =
                values.iter().filter_map(|(_, _, p)| p.written_at()).collect();
            let agree = values.windows(2).all(|w| w[0].1 == w[1].1);
            if agree {
                for at in file_locations {
                    diagnostics.push(if every_role_agrees {
                        Diagnostic::warning(
                            DiagnosticKind::TopologyOverride,
                            format!(
                                "`{}` is a topology argument set in the file; accepted because every active role \
                                 of topology group `{group}` has the same value",
                                info.name
                            ),
                            Some(at.clone()),
                            Some(format!("set {} on the command line instead", info.flag)),
                        )
                    } else {
                        // The command line would change the other groups too:
                        // the file is the place of this group's own value.
                        Diagnostic::info(
                            DiagnosticKind::TopologyOverride,
                            format!(
                                "`{}` is set in the file for topology group `{group}`, which has a topology of \
                                 its own; every active role of the group has the same value",
                                info.name
                            ),
                            Some(at.clone()),
                        )
                    });
                }
                continue;
            }
            let help = if several_groups {
                let names: Vec<&str> = members.iter().map(|r| r.role.name()).collect();
                format!(
                    "the roles of topology group `{group}` ({}) must agree on `{}`: give each of them the same \
                     value in the file, or remove it from the file for all of them",
                    names.join(", "),
                    info.name
                )
            } else {
                format!(
                    "parallel topology must be the same for every role: keep `{}` on the command line ({}) and \
                     remove it from the file",
                    info.name, info.flag
                )
            };
            let mut problem = Problem::new(
                ProblemKind::TopologyMismatch { key: info.name.to_string() },
                format!("roles disagree on the topology argument `{}`", info.name),
                file_locations.first().map(|at| (*at).clone()),
                Some(help),
            );
            for (role, value, provenance) in &values {
                problem = match provenance.written_at() {
                    Some(at) => problem.with_note(format!("{}: {value}", role.name()), Some(at.clone())),
                    None => problem.with_note(format!("{}: {value} ({provenance})", role.name()), None),
                };
            }
            problems.push(problem);
        }
    }
}

/// Resolves `active` roles in one call: loads the file at `config_path` if
/// given; without a file every role is `baseline.for_role(role)`.
///
/// What a trainer's `main` calls with its parsed command line:
///
/// ```
/// use megatron_args::PpoRole;
/// # use clap::Parser;
/// # use megatron_args::MegatronArgs;
/// # #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
/// # struct TrainArgs {
/// #     #[arg(long, default_value_t = 1e-6)]
/// #     lr: f64,
/// #     #[arg(long, default_value_t = 0.0)]
/// #     #[megatron(role_forced(critic = 0.0))]
/// #     kl_coef: f64,
/// #     #[arg(long)]
/// #     #[megatron(skip)]
/// #     megatron_config_path: Option<std::path::PathBuf>,
/// # }
///
/// fn main() -> Result<(), megatron_args::Error> {
///     let baseline = TrainArgs::parse_from(["train", "--kl-coef", "0.05"]);
///     let resolved = megatron_args::resolve(
///         &baseline,
///         baseline.megatron_config_path.as_deref(), // none given: no file
///         &[PpoRole::Actor, PpoRole::Critic],
///     )?;
///     assert_eq!(resolved.get(PpoRole::Actor).unwrap().kl_coef, 0.05);
///     assert_eq!(resolved.get(PpoRole::Critic).unwrap().kl_coef, 0.0); // role_forced
///     Ok(())
/// }
/// ```
pub fn resolve<A: MegatronArgs>(
    baseline: &A,
    config_path: Option<&Path>,
    active: &[A::Role],
) -> Result<Resolved<A>, Error> {
    load_or_empty::<A>(config_path)?.resolve(baseline, active)
}

/// [`resolve`] with the command line `baseline` was parsed from, in one
/// call: loads the file at `config_path` if given and resolves `active`
/// roles as [`RoleConfig::resolve_with_command_line`] does, so that a
/// problem involving a command-line value shows it as a labelled span.
///
/// ```
/// use clap::Parser;
/// use megatron_args::{Checks, CommandLine, MegatronArgs, PpoRole};
///
/// #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
/// #[megatron(check = min_le_lr)]
/// struct Args {
///     #[arg(long, default_value_t = 1e-6)]
///     lr: f64,
///     #[arg(long, default_value_t = 0.0)]
///     min_lr: f64,
/// }
///
/// fn min_le_lr(c: &mut Checks<'_, Args>) {
///     let n = Args::NAMES;
///     if c.args().min_lr > c.args().lr {
///         c.report_args(&[n.min_lr, n.lr], "`min_lr` is above `lr`");
///     }
/// }
///
/// let argv = ["train", "--min-lr", "1e-3"];
/// let baseline = Args::parse_from(argv);
/// let command_line = CommandLine::new(argv);
/// let err = megatron_args::resolve_with_command_line(&baseline, &command_line, None, &[PpoRole::Actor])
///     .unwrap_err();
/// let report = err.to_string();
/// assert!(report.contains("command line:1:7"), "{report}"); // `--min-lr 1e-3`, marked
/// ```
pub fn resolve_with_command_line<A: MegatronArgs>(
    baseline: &A,
    command_line: &CommandLine,
    config_path: Option<&Path>,
    active: &[A::Role],
) -> Result<Resolved<A>, Error> {
    load_or_empty::<A>(config_path)?.resolve_with_command_line(baseline, command_line, active)
}

/// The file at `config_path`, or, without one, no overrides: every role is
/// its `for_role` of the baseline.
fn load_or_empty<A: MegatronArgs>(config_path: Option<&Path>) -> Result<RoleConfig<A>, Error> {
    match config_path {
        Some(path) => RoleConfig::<A>::from_path(path),
        None => Ok(RoleConfig::empty()),
    }
}
