use clap::{Parser, Subcommand};
use megatron_args::MegatronArgs;

#[derive(Subcommand, Clone, Debug)]
enum Mode {
    Train,
    Eval,
}

#[derive(Parser, MegatronArgs, Clone, Debug)]
struct Args {
    #[command(subcommand)]
    #[megatron(rename = "mode_name")]
    mode: Mode,
    #[arg(skip)]
    #[topology]
    world_size: u32,
}

fn main() {}
