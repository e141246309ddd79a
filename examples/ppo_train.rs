//! A PPO trainer's argument handling, as slime does it: one shared command
//! line of slime/Megatron-LM flags, and a role-config file
//! (`--megatron-config-path`) with the few arguments the actor and the critic
//! need differently.
//!
//! The program resolves each active role's arguments and prints them: by
//! default what differs from the command line and where it came from, with
//! `--format json` every argument of every role.
//!
//! ```text
//! cargo run --example ppo_train -- \
//!   --advantage-estimator ppo --use-critic --megatron-config-path examples/megatron_ppo.yaml \
//!   --tensor-model-parallel-size 2 --sequence-parallel --pipeline-model-parallel-size 1 \
//!   --context-parallel-size 1 --expert-model-parallel-size 1 --expert-tensor-parallel-size 1 \
//!   --actor-num-nodes 1 --actor-num-gpus-per-node 8 --critic-num-nodes 1 --critic-num-gpus-per-node 8
//! ```
//!
//! Three more outputs, each printed instead of the resolved arguments:
//! `--print-schema` (the role-config file's JSON Schema, for editors),
//! `--print-template` (a commented role-config file to start from) and
//! `--print-argv ROLE` (the role's resolved arguments as a command line, one
//! argument per line, for a launcher).
//!
//! Names, flags, types, defaults and choices follow slime and Megatron-LM
//! (where both define a name, slime's default wins).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::PossibleValuesParser;
use clap::Parser;
use megatron_args::{MegatronArgs, PpoRole, Provenance, Resolved, Role, Styling};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// The command line: the training arguments, plus how to print the result.
#[derive(Parser, Debug)]
#[command(name = "ppo_train", version, about = "Resolve the per-role training arguments of a PPO run")]
struct Cli {
    #[command(flatten)]
    train: TrainArgs,

    /// How to print the resolved arguments: `text` shows per role what differs from the command line,
    /// `json` every argument of every role.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Print the JSON Schema (draft 2020-12) of the role-config file, for editors, and exit.
    #[arg(long, conflicts_with_all = ["print_argv", "print_template"])]
    print_schema: bool,

    /// Print the resolved arguments of ROLE as a command line, one argument per line, and exit.
    #[arg(long, value_name = "ROLE", value_parser = PossibleValuesParser::new(PpoRole::names()))]
    print_argv: Option<String>,

    /// Print a commented role-config file with every key a role may set and its current value, and
    /// exit.
    #[arg(long, conflicts_with = "print_argv")]
    print_template: bool,

    /// Colour error reports: `auto` when stderr is a terminal (honouring `NO_COLOR` and
    /// `CLICOLOR_FORCE`), `always` or `never`, as cargo's `--color`.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// Writes a report to stderr, coloured as `--color` says; `anstream` strips
/// the colour codes where colour is off.
fn eprint_report(error: &megatron_args::Error, when: ColorWhen) {
    let choice = match when {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    };
    let mut stderr = anstream::AutoStream::new(std::io::stderr().lock(), choice);
    // Nothing sensible is left to do when stderr itself cannot be written.
    let _ = writeln!(stderr, "{}", error.render(Styling::Ansi));
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

/// The training arguments shared by every role, and specialized per role.
#[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
pub struct TrainArgs {
    // ----- learning rate and optimizer -----
    /// Initial learning rate.
    #[arg(long, default_value = "1e-6")]
    pub lr: f64,

    /// Minimum value for the learning rate; the scheduler clips values below it.
    #[arg(long, default_value_t = 0.0)]
    pub min_lr: f64,

    /// Number of iterations to linearly warm up the learning rate over.
    #[arg(long, default_value_t = 0)]
    pub lr_warmup_iters: u64,

    /// Number of iterations to decay the learning rate over; defaults to the training iterations.
    #[arg(long)]
    pub lr_decay_iters: Option<u64>,

    /// Learning rate decay function.
    #[arg(long, value_enum, default_value_t = LrDecayStyle::Linear)]
    pub lr_decay_style: LrDecayStyle,

    /// Weight decay coefficient for L2 regularization.
    #[arg(long, default_value_t = 0.01)]
    pub weight_decay: f64,

    /// First coefficient for computing running averages of the gradient and its square.
    #[arg(long, default_value_t = 0.9)]
    pub adam_beta1: f64,

    /// Second coefficient for computing running averages of the gradient and its square.
    #[arg(long, default_value_t = 0.999)]
    pub adam_beta2: f64,

    /// Optimizer function.
    #[arg(long, value_enum, default_value_t = Optimizer::Adam)]
    pub optimizer: Optimizer,

    /// Gradient clipping based on the global L2 norm.
    #[arg(long, default_value_t = 1.0)]
    pub clip_grad: f64,

    // ----- batches and randomness -----
    /// Batch size per model instance (local batch size).
    #[arg(long, default_value_t = 1)]
    pub micro_batch_size: u32,

    /// Training batch size; defaults to micro batch size times data-parallel size.
    #[arg(long)]
    pub global_batch_size: Option<u32>,

    /// Random seed used for python, numpy, pytorch and cuda.
    #[arg(long, default_value_t = 1234)]
    pub seed: u64,

    // ----- checkpoints -----
    /// Directory containing a model checkpoint to load.
    #[arg(long)]
    pub load: Option<PathBuf>,

    /// Output directory to save checkpoints to.
    #[arg(long)]
    pub save: Option<PathBuf>,

    /// Number of iterations between persistent checkpoint saves.
    #[arg(long)]
    pub save_interval: Option<u64>,

    /// Checkpoint of the reference model, for the KL penalty.
    #[arg(long)]
    pub ref_load: Option<PathBuf>,

    // ----- the RL algorithm -----
    /// The advantage estimator: an algorithm choice shared by every role.
    #[arg(long, value_enum, default_value_t = AdvantageEstimator::Grpo)]
    #[megatron(skip)]
    pub advantage_estimator: AdvantageEstimator,

    /// KL penalty coefficient in the reward; the critic never uses it.
    #[arg(long, default_value_t = 0.0)]
    #[megatron(role_forced(critic = 0.0))]
    pub kl_coef: f64,

    /// Add a KL loss term against the reference model.
    #[arg(long)]
    pub use_kl_loss: bool,

    /// Coefficient of the KL loss.
    #[arg(long, default_value_t = 0.0)]
    pub kl_loss_coef: f64,

    /// Estimator of the KL loss.
    #[arg(long, value_enum, default_value_t = KlLossType::K1)]
    pub kl_loss_type: KlLossType,

    /// Coefficient of the entropy bonus.
    #[arg(long, default_value_t = 0.0)]
    pub entropy_coef: f64,

    /// PPO clip range of the policy ratio.
    #[arg(long, default_value_t = 0.2)]
    pub eps_clip: f64,

    /// Upper PPO clip range of the policy ratio; defaults to --eps-clip.
    #[arg(long)]
    pub eps_clip_high: Option<f64>,

    /// Clip range of the value function.
    #[arg(long, default_value_t = 0.2)]
    pub value_clip: f64,

    /// Discount factor of the return (PPO).
    #[arg(long, default_value_t = 1.0)]
    pub gamma: f64,

    /// GAE lambda (PPO).
    #[arg(long, default_value_t = 1.0)]
    pub lambd: f64,

    /// Normalize the advantages over the batch.
    #[arg(long)]
    pub normalize_advantages: bool,

    /// Number of initial steps that train only the critic.
    #[arg(long, default_value_t = 0)]
    pub num_critic_only_steps: u32,

    /// Path of a custom advantage function (`module.function`); the critic never uses it.
    #[arg(long)]
    #[megatron(role_forced(critic = None))]
    pub custom_advantage_function_path: Option<String>,

    /// Enable on-policy distillation; the critic never distills.
    #[arg(long)]
    #[megatron(role_forced(critic = false))]
    pub use_opd: bool,

    /// Where the on-policy distillation teacher runs.
    #[arg(long, value_enum)]
    pub opd_type: Option<OpdType>,

    // ----- model -----
    /// Untie the embeddings and the output weights; the critic's value head always needs them untied.
    #[arg(long)]
    #[megatron(role_forced(critic = true))]
    pub untie_embeddings_and_output_weights: bool,

    /// Do not keep a CPU backup of the parameter buffers; the critic keeps it unless its file says otherwise.
    #[arg(long)]
    #[megatron(role_default(critic = false))]
    pub disable_param_buffers_cpu_backup: bool,

    // ----- parallel topology: the same for every role -----
    /// Degree of tensor model parallelism.
    #[arg(long, default_value_t = 1)]
    #[topology]
    pub tensor_model_parallel_size: u32,

    /// Degree of pipeline model parallelism.
    #[arg(long, default_value_t = 1)]
    #[topology]
    pub pipeline_model_parallel_size: u32,

    /// Degree of context parallelism.
    #[arg(long, default_value_t = 1)]
    #[topology]
    pub context_parallel_size: u32,

    /// Degree of expert model parallelism.
    #[arg(long, default_value_t = 1)]
    #[topology]
    pub expert_model_parallel_size: u32,

    /// Degree of expert tensor parallelism; defaults to the tensor parallel size.
    #[arg(long)]
    #[topology]
    pub expert_tensor_parallel_size: Option<u32>,

    /// Enable sequence parallel optimization (with tensor parallelism).
    #[arg(long)]
    #[topology]
    pub sequence_parallel: bool,

    // ----- placement: always from the command line -----
    /// Number of nodes for training the actor.
    #[arg(long, default_value_t = 1)]
    #[placement]
    pub actor_num_nodes: u32,

    /// Number of GPUs per node for training the actor.
    #[arg(long, default_value_t = 8)]
    #[placement]
    pub actor_num_gpus_per_node: u32,

    /// Number of nodes for training the critic.
    #[arg(long, default_value_t = 1)]
    #[placement]
    pub critic_num_nodes: u32,

    /// Number of GPUs per node for training the critic.
    #[arg(long, default_value_t = 8)]
    #[placement]
    pub critic_num_gpus_per_node: u32,

    // ----- shared switches -----
    /// Train a critic (value model) next to the actor.
    #[arg(long)]
    #[megatron(skip)]
    pub use_critic: bool,

    /// YAML file with per-role Megatron arguments (`megatron:` list of role entries).
    #[arg(long)]
    #[megatron(skip)]
    pub megatron_config_path: Option<PathBuf>,
}

/// Megatron-LM's learning rate schedules.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LrDecayStyle {
    #[value(name = "constant")]
    Constant,
    #[value(name = "linear")]
    Linear,
    #[value(name = "cosine")]
    Cosine,
    #[value(name = "inverse-square-root")]
    InverseSquareRoot,
    #[value(name = "WSD")]
    Wsd,
}

/// Megatron-LM's optimizers.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Optimizer {
    #[value(name = "adam")]
    Adam,
    #[value(name = "sgd")]
    Sgd,
    #[value(name = "muon")]
    Muon,
    #[value(name = "dist_muon")]
    DistMuon,
    #[value(name = "lion")]
    Lion,
    #[value(name = "soap")]
    Soap,
    #[value(name = "adaptive_muon")]
    AdaptiveMuon,
}

/// slime's advantage estimators.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdvantageEstimator {
    #[value(name = "grpo")]
    Grpo,
    #[value(name = "gspo")]
    Gspo,
    #[value(name = "cispo")]
    Cispo,
    #[value(name = "reinforce_plus_plus")]
    ReinforcePlusPlus,
    #[value(name = "reinforce_plus_plus_baseline")]
    ReinforcePlusPlusBaseline,
    #[value(name = "ppo")]
    Ppo,
}

/// slime's KL loss estimators.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum KlLossType {
    #[value(name = "k1")]
    K1,
    #[value(name = "k2")]
    K2,
    #[value(name = "k3")]
    K3,
    #[value(name = "low_var_kl")]
    LowVarKl,
}

/// Where slime's on-policy distillation teacher runs.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpdType {
    #[value(name = "sglang")]
    Sglang,
    #[value(name = "megatron")]
    Megatron,
}

fn main() -> ExitCode {
    // Help and version print to stdout and exit 0; a bad command line prints
    // clap's message to stderr and exits 2.
    let cli = Cli::try_parse().unwrap_or_else(|error| error.exit());
    let args = &cli.train;

    // What needs no resolution: the editor schema and the template.
    if cli.print_schema {
        let schema = megatron_args::json_schema::<TrainArgs>();
        return write_stdout(&format!(
            "{}\n",
            serde_json::to_string_pretty(&schema).expect("JSON serializes")
        ));
    }
    if cli.print_template {
        return write_stdout(&megatron_args::template(args));
    }

    let mut active = vec![PpoRole::Actor];
    if args.use_critic {
        active.push(PpoRole::Critic);
    }
    let resolved = match megatron_args::resolve(args, args.megatron_config_path.as_deref(), &active) {
        Ok(resolved) => resolved,
        Err(error) => {
            eprint_report(&error, cli.color);
            return ExitCode::from(2);
        }
    };

    if let Some(name) = &cli.print_argv {
        let role = PpoRole::from_name(name).expect("clap checked the role name");
        let Some(role_args) = resolved.get(role) else {
            eprintln!("error: role `{name}` is not active in this run (the critic needs --use-critic)");
            return ExitCode::from(2);
        };
        let argv = match megatron_args::to_argv(role_args) {
            Ok(argv) => argv,
            Err(error) => {
                eprintln!("{error}");
                return ExitCode::from(2);
            }
        };
        let lines: String = argv.iter().map(|arg| format!("{arg}\n")).collect();
        return write_stdout(&lines);
    }

    let output = match cli.format {
        Format::Text => render_text(&resolved),
        Format::Json => render_json(&resolved),
    };
    write_stdout(&output)
}

fn write_stdout(output: &str) -> ExitCode {
    match std::io::stdout().lock().write_all(output.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot write the output: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Per role, the arguments that differ from the command line with where each
/// came from, then the diagnostics.
fn render_text(resolved: &Resolved<TrainArgs>) -> String {
    let mut out = String::new();
    match &resolved.baseline().megatron_config_path {
        Some(path) => writeln!(out, "role config: {}", path.display()),
        None => writeln!(out, "role config: none (every role follows the command line)"),
    }
    .unwrap();

    for role in resolved.roles() {
        let changes = resolved.changes(role.role());
        let name = role.role().name();
        out.push('\n');
        if changes.is_empty() {
            writeln!(out, "{name}: same as the command line").unwrap();
            continue;
        }
        let count = changes.len();
        let plural = if count == 1 { "argument differs" } else { "arguments differ" };
        writeln!(out, "{name}: {count} {plural} from the command line").unwrap();
        let rows: Vec<(&str, String, String)> = changes
            .iter()
            .map(|change| {
                let from = match &change.provenance {
                    Provenance::File(_) => format!("from {}", change.provenance),
                    other => other.to_string(),
                };
                (change.field.name, change.value.to_string(), from)
            })
            .collect();
        let name_width = rows.iter().map(|(n, _, _)| n.len()).max().unwrap_or(0);
        let value_width = rows.iter().map(|(_, v, _)| v.chars().count()).max().unwrap_or(0);
        for (field, value, from) in rows {
            writeln!(out, "  {field:<name_width$} = {value:<value_width$}  ({from})").unwrap();
        }
    }

    for diagnostic in resolved.diagnostics() {
        writeln!(out, "\n{diagnostic}").unwrap();
    }
    out
}

/// SPEC 6.3: `{"roles": {ROLE: {ARG: VALUE, ...}}, "diagnostics": [...]}`,
/// arguments in declaration order.
fn render_json(resolved: &Resolved<TrainArgs>) -> String {
    let mut json = serde_json::to_string_pretty(&JsonOutput(resolved)).expect("values always serialize");
    json.push('\n');
    json
}

struct JsonOutput<'a>(&'a Resolved<TrainArgs>);
struct JsonRoles<'a>(&'a Resolved<TrainArgs>);
struct JsonArgs<'a>(&'a TrainArgs);
struct JsonDiagnostics<'a>(&'a Resolved<TrainArgs>);

impl Serialize for JsonOutput<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("roles", &JsonRoles(self.0))?;
        map.serialize_entry("diagnostics", &JsonDiagnostics(self.0))?;
        map.end()
    }
}

impl Serialize for JsonRoles<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let roles = self.0.roles();
        let mut map = serializer.serialize_map(Some(roles.len()))?;
        for role in roles {
            map.serialize_entry(role.role().name(), &JsonArgs(role.args()))?;
        }
        map.end()
    }
}

impl Serialize for JsonArgs<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = TrainArgs::fields();
        let mut map = serializer.serialize_map(Some(fields.len()))?;
        for field in fields {
            map.serialize_entry(field.name, &self.0.get(field.name))?;
        }
        map.end()
    }
}

impl Serialize for JsonDiagnostics<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.diagnostics().iter().map(|d| JsonDiagnostic {
            level: d.level.as_str(),
            message: &d.message,
            location: d.location.as_ref().map(ToString::to_string),
        }))
    }
}

#[derive(serde::Serialize)]
struct JsonDiagnostic<'a> {
    level: &'a str,
    message: &'a str,
    /// `FILE:LINE:COL`, or null for a diagnostic without a place in the file.
    location: Option<String>,
}
