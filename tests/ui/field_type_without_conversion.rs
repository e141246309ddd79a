use clap::Parser;
use megatron_args::MegatronArgs;

/// A type clap parses through a custom `value_parser`, but that has no
/// conversion from a file value.
#[derive(Clone, Debug)]
struct Endpoint {
    host: String,
}

fn parse_endpoint(text: &str) -> Result<Endpoint, String> {
    Ok(Endpoint { host: text.to_string() })
}

#[derive(Parser, MegatronArgs, Clone, Debug)]
struct Args {
    #[arg(long, default_value_t = 1e-6)]
    lr: f64,
    #[arg(long, value_parser = parse_endpoint)]
    reward_endpoint: Endpoint,
}

fn main() {}
