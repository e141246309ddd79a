use clap::{Args, Parser};
use megatron_args::MegatronArgs;

#[derive(Args, Clone, Debug)]
struct Optim {
    #[arg(long, default_value_t = 0.0)]
    weight_decay: f64,
}

#[derive(Parser, MegatronArgs, Clone, Debug)]
struct TrainArgs {
    #[command(flatten)]
    optim: Optim,
}

fn main() {}
