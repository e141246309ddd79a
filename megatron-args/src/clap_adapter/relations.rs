//! clap's relations between arguments (SPEC 3.13), held for every role on
//! every way in (a file's overrides, typed overrides, `apply_overrides`):
//! `conflicts_with`, `requires`, `required`, `exclusive`, argument groups
//! (`multiple(false)`, `required`). The rules are clap's own: each role's
//! arguments are written as a command line and parsed by the struct's clap
//! command, and clap's error is mapped back to the fields it names, each
//! located where its value came from (the file, the command line).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ffi::OsString;
use std::sync::Mutex;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgGroup, Command};

use crate::clap_adapter::argv::{self as clap_argv, Presence};
use crate::clap_adapter::command::{arg_display, ClapArgs};
use crate::model::args::schema::RelationIds;
use crate::model::args::MegatronArgs;
use crate::model::error::{Location, Problem, ProblemKind};
use crate::model::per_type::per_type;
use crate::model::provenance::Provenance;
use crate::model::role::Role;
use crate::model::texts::Texts;

/// How many of a role's relation problems are looked for: clap reports one
/// at a time, so each further one needs a parse without the arguments of
/// the last.
const MAX_PROBLEMS_PER_ROLE: usize = 8;

/// How many arguments are tried one by one to find which of them a
/// relation error is about when clap's error does not name it (`requires`
/// names only the missing argument; `exclusive` only the exclusive one).
const MAX_CANDIDATES: usize = 32;

/// The relations check of one struct: its clap command, made to check the
/// arguments alone (subcommands are written and checked by their own
/// structs).
///
/// Made when a role first needs it (a resolution in which no role changes
/// an argument costs nothing here), and kept for the program's life: a
/// command of a thousand arguments costs more to clone than to parse a
/// role's few.
pub(crate) struct RelationCheck {
    clap: &'static ClapArgs,
    involved: &'static Involved,
    /// The struct's command, or, when the relations involve a few named
    /// arguments, a command of just those (and the groups).
    command: Command,
    /// Each field's argument as clap's errors name it (`--config <CONFIG>`).
    by_display: HashMap<String, usize>,
}

impl RelationCheck {
    /// `None` when `A` is not a clap struct.
    fn of<A: MegatronArgs>() -> Option<Self> {
        let clap = ClapArgs::of::<A>()?;
        let involved = Involved::of::<A>()?;
        let command = match &involved.fields {
            // A role's subcommand is not written here; clap would refuse its
            // absence before it checks the relations.
            None => clap.command.clone().subcommand_required(false).arg_required_else_help(false),
            Some(fields) => subset_command(clap, fields, &involved.groups),
        };
        let by_display = A::fields()
            .iter()
            .filter_map(|info| Some((clap.arg(info.index)?.to_string(), info.index)))
            .collect();
        Some(RelationCheck { clap, involved, command, by_display })
    }

    /// The relation problems of `role`'s `args`. A problem is the role's when it
    /// involves a value that differs from `reference` (the command line the
    /// role started from, which passed clap when it was parsed); a role that
    /// changes no argument is not checked. `provenance` says where each
    /// value came from, and `locate` where an argument is on the command
    /// line, when that is known, for the report's labels.
    pub(crate) fn check<A: MegatronArgs>(
        role: A::Role,
        reference: (&A, &Texts),
        args: (&A, &Texts),
        provenance: &[Provenance],
        locate: &dyn Fn(usize) -> Option<Location>,
    ) -> Vec<Problem> {
        let ((reference, reference_texts), (args, texts)) = (reference, args);
        let Some(involved) = Involved::of::<A>() else { return Vec::new() };
        // Only a change to an argument that takes part in a relation can
        // break one: the others are not even compared.
        let changed: BTreeSet<usize> = involved
            .candidates()
            // A value with no spelling of its own is compared by its text;
            // one with no text (`Err`) is not compared.
            .filter(|&index| texts.value(args, index).ok() != reference_texts.value(reference, index).ok())
            .collect();
        if changed.is_empty() {
            return Vec::new();
        }
        let role_values = RoleValues { provenance, changed: &changed, locate, texts };
        // One parse at a time per struct: clap's parser takes its command
        // mutably.
        let kept = per_type::<A, Mutex<Option<RelationCheck>>>(|| Mutex::new(RelationCheck::of::<A>()));
        let mut guard = kept.lock().unwrap_or_else(|poisoned| {
            // A parse panicked: its command may be half built.
            let mut guard = poisoned.into_inner();
            *guard = RelationCheck::of::<A>();
            kept.clear_poison();
            guard
        });
        match &mut *guard {
            Some(check) => check.problems(role, args, &role_values),
            None => Vec::new(),
        }
    }

    fn problems<A: MegatronArgs>(
        &mut self,
        role: A::Role,
        args: &A,
        values: &RoleValues<'_>,
    ) -> Vec<Problem> {
        let changed = values.changed;
        let mut problems = Vec::new();
        let mut left_out = BTreeSet::new();
        for _ in 0..MAX_PROBLEMS_PER_ROLE {
            let Some((error, given)) = self.refusal(args, values.texts, &left_out) else { break };
            let mut involved = self.named_fields(&error);
            if involved.len() < 2 {
                involved.extend(self.fields_behind(
                    args,
                    values.texts,
                    &left_out,
                    &error,
                    &given,
                    changed,
                    &involved,
                ));
            }
            let removable: Vec<usize> = involved.iter().copied().filter(|i| given.contains(i)).collect();
            if involved.iter().any(|i| changed.contains(i)) {
                problems.push(self.problem::<A>(role, &error, &involved, &given, values));
            }
            // The next parse leaves out what this error is about, so that
            // clap reports the next one; the role's own values first.
            let (role_given, others): (Vec<usize>, Vec<usize>) =
                removable.into_iter().partition(|i| changed.contains(i));
            let next = if role_given.is_empty() { others } else { role_given };
            if next.is_empty() {
                break;
            }
            left_out.extend(next);
        }
        problems
    }

    /// clap's error for the arguments of `args` (less `left_out`), with the
    /// fields the command line gives; `None` when clap accepts them.
    fn refusal<A: MegatronArgs>(
        &mut self,
        args: &A,
        texts: &Texts,
        left_out: &BTreeSet<usize>,
    ) -> Option<(clap::Error, BTreeSet<usize>)> {
        // A field that cannot be written (a value with no spelling of its
        // own and no text) is left out: `to_argv` reports it.
        let involved = self.involved;
        let written = clap_argv::write(args, texts, self.clap, Presence::GivenArguments, |i| {
            involved.contains(i) && !left_out.contains(&i)
        });
        let program = OsString::from(self.command.get_name());
        let argv = std::iter::once(program).chain(written.argv.into_iter().map(OsString::from));
        let error = self.command.try_get_matches_from_mut(argv).err()?;
        match error.kind() {
            // Not a relation: `--help` or `--version` written by a field.
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => None,
            _ => Some((error, written.given.into_iter().collect())),
        }
    }

    /// The fields clap's error names.
    fn named_fields(&self, error: &clap::Error) -> BTreeSet<usize> {
        let mut named = BTreeSet::new();
        for kind in [ContextKind::InvalidArg, ContextKind::PriorArg] {
            let texts: Vec<&str> = match error.get(kind) {
                Some(ContextValue::String(text)) => vec![text.as_str()],
                Some(ContextValue::Strings(texts)) => texts.iter().map(String::as_str).collect(),
                _ => Vec::new(),
            };
            for text in texts {
                named.extend(self.fields_in(text));
            }
        }
        named
    }

    /// The fields of one argument as clap's error writes it: `--config
    /// <CONFIG>`, or a group `<--config <CONFIG>|--prompt <PROMPT>>`.
    fn fields_in(&self, text: &str) -> Vec<usize> {
        if let Some(&index) = self.by_display.get(text) {
            return vec![index];
        }
        let inner = text.strip_prefix('<').and_then(|t| t.strip_suffix('>')).unwrap_or(text);
        let mut fields: Vec<usize> = Vec::new();
        for part in inner.split('|') {
            if let Some(&index) = self.by_display.get(part) {
                fields.push(index);
            } else if let Some((_, &index)) = self.by_display.iter().find(|(display, _)| {
                // A positional of a group is written without brackets.
                display.trim_start_matches(['[', '<']).trim_end_matches(['.', ']', '>']) == part
            }) {
                fields.push(index);
            }
        }
        fields
    }

    /// The role's given fields behind an error that does not name them (an
    /// argument that `requires` the missing one): those whose absence makes
    /// clap's error go away or change, found by parsing without each.
    #[allow(clippy::too_many_arguments)]
    fn fields_behind<A: MegatronArgs>(
        &mut self,
        args: &A,
        texts: &Texts,
        left_out: &BTreeSet<usize>,
        error: &clap::Error,
        given: &BTreeSet<usize>,
        changed: &BTreeSet<usize>,
        named: &BTreeSet<usize>,
    ) -> Vec<usize> {
        let before = reason(error);
        let candidates: Vec<usize> = given
            .iter()
            .copied()
            .filter(|i| changed.contains(i) && !named.contains(i))
            .take(MAX_CANDIDATES)
            .collect();
        candidates
            .into_iter()
            .filter(|&candidate| {
                let mut without = left_out.clone();
                without.insert(candidate);
                self.refusal(args, texts, &without).is_none_or(|(other, _)| reason(&other) != before)
            })
            .collect()
    }

    fn problem<A: MegatronArgs>(
        &self,
        role: A::Role,
        error: &clap::Error,
        involved: &BTreeSet<usize>,
        given: &BTreeSet<usize>,
        values: &RoleValues<'_>,
    ) -> Problem {
        let infos = A::fields();
        let labels: Vec<(usize, Label)> = involved
            .iter()
            .map(|&i| {
                let flag = self.clap.arg(i).map_or_else(|| infos[i].flag.to_string(), arg_display);
                (i, values.label(i, infos[i].name, role.name(), &flag, given.contains(&i)))
            })
            .collect();
        // At the file value the role changed, else where the command line
        // gives one of them.
        let location = labels
            .iter()
            .find(|(_, l)| l.in_file)
            .or_else(|| labels.iter().find(|(_, l)| l.at.is_some()))
            .and_then(|(_, l)| l.at.clone());
        let keys: Vec<String> = involved.iter().map(|&i| infos[i].name.to_string()).collect();
        let names: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
        let where_set = match labels.iter().any(|(_, l)| l.in_file) {
            true => "in the file",
            false => "in the role's overrides",
        };
        let mut problem = Problem::new(
            ProblemKind::ClapRelation { role: role.name().to_string(), keys },
            format!("clap refuses the arguments of role `{}`: {}", role.name(), reason(error)),
            location,
            Some(format!(
                "the command line refuses this combination too: change {} {where_set} or on the command line",
                names.join(" or ")
            )),
        );
        for (_, label) in labels {
            problem = problem.with_note(label.message, label.at);
        }
        problem
    }
}

/// What the labels of a role's relation problem are made from.
struct RoleValues<'a> {
    provenance: &'a [Provenance],
    /// The fields whose value the role changed.
    changed: &'a BTreeSet<usize>,
    locate: &'a dyn Fn(usize) -> Option<Location>,
    /// The texts of the role's values that have no spelling of their own.
    texts: &'a Texts,
}

/// One involved value's label: what it is, and its place, if it has one.
struct Label {
    message: String,
    at: Option<Location>,
    /// Whether the place is the file value the role changed.
    in_file: bool,
}

impl RoleValues<'_> {
    /// The label of field `i` (argument `name`, written `flag`), `given` when
    /// the role's command line has it.
    fn label(&self, i: usize, name: &str, role: &str, flag: &str, given: bool) -> Label {
        let note = |message: String| Label { message, at: None, in_file: false };
        match (&self.provenance[i], self.changed.contains(&i)) {
            (Provenance::File(at), true) => {
                Label { message: format!("`{name}` is set here"), at: Some(at.clone()), in_file: true }
            }
            (Provenance::RoleDefault, _) => note(format!("`{name}` is the role default of `{role}`")),
            (Provenance::RoleForced, _) => note(format!("`{name}` is forced for role `{role}`")),
            (Provenance::Overrides, true) => note(format!("`{name}` is set by the typed overrides")),
            (Provenance::Derived { from }, true) => {
                note(format!("`{name}` is derived from {} for role `{role}`", from.join(", ")))
            }
            _ if given => match (self.locate)(i) {
                Some(at) => {
                    Label { message: format!("`{name}` is given here"), at: Some(at), in_file: false }
                }
                None => note(format!("`{name}` is given on the command line ({flag})")),
            },
            _ => note(format!("`{name}` is not given ({flag})")),
        }
    }
}

/// clap's reason, without its usage and help lines: the rendered error's
/// first paragraph as one line (`the following required arguments were not
/// provided: --model <MODEL>`).
fn reason(error: &clap::Error) -> String {
    let rendered = error.to_string();
    let paragraph: Vec<&str> =
        rendered.lines().take_while(|line| !line.trim().is_empty()).map(str::trim).collect();
    let text = paragraph.join(" ");
    text.strip_prefix("error: ").unwrap_or(&text).to_string()
}

/// The fields of a struct that take part in clap's relations, found once
/// from what clap exposes (`required`, `exclusive`, groups) and what the
/// derive read of the attributes clap does not expose (`requires`,
/// `conflicts_with`, `required_if_eq`, ... : [`RelationIds`]).
struct Involved {
    /// Sorted field indices; `None` for every field with an argument (an
    /// attribute the derive could not read, an `exclusive` argument, which
    /// relates to every other, or a positional one, whose place in a
    /// smaller command would differ).
    fields: Option<Vec<usize>>,
    /// Every field with an argument, when `fields` is `None`.
    all: Vec<usize>,
    /// The groups that constrain `fields`.
    groups: Vec<ArgGroup>,
}

impl Involved {
    /// `A`'s, made once; `None` when `A` is not a clap struct.
    fn of<A: MegatronArgs>() -> Option<&'static Involved> {
        per_type::<A, Option<Involved>>(|| Involved::build::<A>()).as_ref()
    }

    fn build<A: MegatronArgs>() -> Option<Involved> {
        let relation_ids = &A::__schema().relation_ids;
        if *relation_ids == RelationIds::Known(Vec::new()) {
            // No relation attribute anywhere: what clap adds by itself (a
            // field without a default is required; each struct is a group
            // of `multiple` arguments) never refuses a role's values, and
            // the struct's command is not even built.
            return Some(Involved { fields: Some(Vec::new()), all: Vec::new(), groups: Vec::new() });
        }
        let clap = ClapArgs::of::<A>()?;
        let all: Vec<usize> =
            A::fields().iter().map(|info| info.index).filter(|&i| clap.arg(i).is_some()).collect();
        let RelationIds::Known(named) = relation_ids else {
            return Some(Involved { fields: None, all, groups: Vec::new() });
        };
        let named: HashSet<&str> = named.iter().copied().collect();
        // The groups that constrain: one argument at most, or one required,
        // or one an attribute names (its `requires`, `conflicts_with`); not
        // the group clap_derive makes of each struct's arguments.
        let groups: Vec<ArgGroup> = clap
            .command
            .get_groups()
            .filter(|group| {
                // `is_multiple` takes the group mutably: asked of a copy.
                !ArgGroup::clone(group).is_multiple()
                    || group.is_required_set()
                    || named.contains(group.get_id().as_str())
            })
            .cloned()
            .collect();
        let grouped: HashSet<&str> =
            groups.iter().flat_map(|group| group.get_args()).map(|id| id.as_str()).collect();
        let mut fields = Vec::new();
        for &index in &all {
            let Some(arg) = clap.arg(index) else { continue };
            let id = arg.get_id().as_str();
            if arg.is_exclusive_set() || (arg.is_positional() && named.contains(id)) {
                return Some(Involved { fields: None, all, groups: Vec::new() });
            }
            if named.contains(id) || grouped.contains(id) || arg.is_required_set() {
                fields.push(index);
            }
        }
        if fields.iter().any(|&i| clap.arg(i).is_some_and(Arg::is_positional)) {
            return Some(Involved { fields: None, all, groups: Vec::new() });
        }
        Some(Involved { fields: Some(fields), all, groups })
    }

    /// The fields whose change may break a relation.
    fn candidates(&self) -> impl Iterator<Item = usize> + '_ {
        self.fields.as_deref().unwrap_or(&self.all).iter().copied()
    }

    /// Whether field `index` is written for the check.
    fn contains(&self, index: usize) -> bool {
        self.fields.as_ref().is_none_or(|fields| fields.binary_search(&index).is_ok())
    }
}

/// A command of just `fields`' arguments and the `groups` that constrain them, with the
/// settings that change how clap reads them: clap's relations among them are
/// checked as the whole command checks them, at the cost of a few arguments.
fn subset_command(clap: &ClapArgs, fields: &[usize], groups: &[ArgGroup]) -> Command {
    let whole = clap.command;
    // Flags are written whole, so `infer_long_args` changes nothing here.
    let mut command = Command::new(whole.get_name())
        .no_binary_name(whole.is_no_binary_name_set())
        .args_override_self(whole.is_args_override_self())
        .dont_delimit_trailing_values(whole.is_dont_delimit_trailing_values_set())
        .disable_help_flag(true)
        .disable_version_flag(true);
    for &index in fields {
        if let Some(arg) = clap.arg(index) {
            command = command.arg(arg.clone());
        }
    }
    command.groups(groups.iter().cloned())
}
