use clap::{Args, Parser};
use megatron_args::{MegatronArgs, Role};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Role)]
enum RlRole {
    Actor,
    Critic,
    Reference,
}

// No `#[megatron(roles = RlRole)]`: the group has the default role set.
#[derive(Args, MegatronArgs, Clone, Debug)]
struct OptimizerArgs {
    #[arg(long, default_value_t = 0.0)]
    weight_decay: f64,
}

#[derive(Parser, MegatronArgs, Clone, Debug)]
#[megatron(roles = RlRole)]
struct TrainArgs {
    #[command(flatten)]
    optimizer: OptimizerArgs,
}

fn main() {}
