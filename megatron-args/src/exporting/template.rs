//! A commented role-config file to start from.

use std::fmt::Write as _;

use crate::model::args::MegatronArgs;
use crate::model::field::FieldClass;
use crate::model::role::Role;

/// A role-config file for `A` with every key a role may set, commented out,
/// ready to edit.
///
/// There is one entry per role of the role set. Under each, every regular
/// argument appears as its doc comment followed by a commented-out
/// `key: value` line whose value is the role's starting value: `baseline`
/// (the command line) after the role's `role_default`s. Loaded as it is, the
/// file changes nothing; uncommenting a line (removing `# `) overrides that
/// argument for that role. Arguments a role cannot override (its
/// `role_forced` ones) are noted without a `key: value` line, and the
/// header lists the topology, placement and shared arguments, which stay on
/// the command line.
///
/// An argument whose type has no spelling of its own (read through `FromStr`
/// alone, or through the argument's own `value_parser`) has no value to show
/// from `baseline`, a bare struct: its line is `# key: ` with a comment
/// saying so, to be filled in with the text the argument takes; never a
/// guessed spelling.
///
/// ```
/// # use megatron_args::{template, MegatronArgs, PpoRole, RoleConfig};
/// #[derive(MegatronArgs, Clone, Debug, PartialEq)]
/// struct Args {
///     /// Learning rate.
///     lr: f64,
/// }
/// let baseline = Args { lr: 1e-6 };
/// let text = template(&baseline);
/// assert!(text.contains("      # Learning rate.\n      # lr: 1e-6\n"));
///
/// let edited = text.replacen("# lr: 1e-6", "lr: 1e-5", 1); // the actor's line
/// let resolved = RoleConfig::<Args>::from_str(&edited, "roles.yaml")?
///     .resolve(&baseline, &[PpoRole::Actor, PpoRole::Critic])?;
/// assert_eq!(resolved.get(PpoRole::Actor).unwrap().lr, 1e-5);
/// assert_eq!(resolved.get(PpoRole::Critic).unwrap().lr, 1e-6);
/// # Ok::<(), megatron_args::Error>(())
/// ```
pub fn template<A: MegatronArgs>(baseline: &A) -> String {
    let schema = A::__schema();
    let mut out = String::new();
    out.push_str(
        "# Role-config file (megatron-args): per-role overrides of the shared command line.\n\
         # Every key is commented out, so this file changes nothing as it is.\n\
         # To override an argument for one role, uncomment its line under that role (remove `# `)\n\
         # and edit the value. Values shown are each role's current value: the command line,\n\
         # after the role's defaults. Keys are argument names, not flags.\n",
    );
    // The command line's topology is that of the first role's group; a role
    // of another group has a topology of its own, which only the file can
    // give: its entry lists the topology keys.
    let main_group = A::Role::ALL.first().map(|r| r.topology_group());
    let own_topology = |role: A::Role| Some(role.topology_group()) != main_group;
    let topology = if A::Role::ALL.iter().any(|&r| own_topology(r)) {
        "topology (every role of a topology group must agree; listed under the roles of a group of their \
         own, keep the others on the command line)"
    } else {
        "topology (every role of a topology group must agree; keep on the command line)"
    };
    for (class, what) in [
        (FieldClass::Topology, topology),
        (FieldClass::Placement, "placement (ignored in this file; follows the command line)"),
        (FieldClass::Shared, "shared (the same for every role; cannot be overridden)"),
    ] {
        let names: Vec<&str> = A::fields().iter().filter(|f| f.class == class).map(|f| f.name).collect();
        if !names.is_empty() {
            let _ = writeln!(out, "# Not listed, {what}:");
            wrap_names(&mut out, &names);
        }
    }
    out.push_str("megatron:\n");
    for &role in A::Role::ALL {
        let args = baseline.for_role(role);
        let _ = writeln!(out, "  - name: default\n    role: {}\n    overrides:", role.name());
        let listed = |class: FieldClass| {
            class == FieldClass::Regular || (class == FieldClass::Topology && own_topology(role))
        };
        if own_topology(role) {
            let _ = writeln!(
                out,
                "      # Topology group `{}` has its own topology: its roles must agree on these keys.",
                role.topology_group()
            );
        }
        for info in A::fields().iter().filter(|f| listed(f.class)) {
            for line in info.doc.lines().map(str::trim_end) {
                if line.is_empty() {
                    out.push_str("      #\n");
                } else {
                    let _ = writeln!(out, "      # {line}");
                }
            }
            let value = match schema.value(&args, info.index) {
                Ok(value) => value,
                Err(why) => {
                    let _ = writeln!(out, "      # {}:   # no value to show: {why}", info.name);
                    continue;
                }
            };
            let forced = schema.is_forced(role, info.index);
            if forced {
                let _ = writeln!(
                    out,
                    "      # ({} is fixed to {} for role {}: not overridable)",
                    info.name,
                    crate::reading::yaml::flow_value(&value),
                    role.name()
                );
            } else {
                let _ = writeln!(out, "      # {}: {}", info.name, crate::reading::yaml::flow_value(&value));
            }
        }
    }
    out
}

/// `#   a, b, c` lines of at most about 100 characters.
fn wrap_names(out: &mut String, names: &[&str]) {
    let mut line = String::from("#  ");
    for (i, name) in names.iter().enumerate() {
        let piece = if i + 1 < names.len() { format!(" {name},") } else { format!(" {name}") };
        if line.len() + piece.len() > 100 && line.len() > 3 {
            let _ = writeln!(out, "{line}");
            line = String::from("#  ");
        }
        line.push_str(&piece);
    }
    let _ = writeln!(out, "{line}");
}
