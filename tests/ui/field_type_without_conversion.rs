use megatron_args::MegatronArgs;

/// A type with no conversion from a file value: not a `ValueEnum`, no
/// `FromStr`, no `ArgValue`, and (the struct is not a clap struct) no
/// argument of its own with a `value_parser`.
#[derive(Clone, Debug)]
struct Endpoint {
    host: String,
}

#[derive(MegatronArgs, Clone, Debug)]
struct Args {
    lr: f64,
    reward_endpoint: Endpoint,
}

fn main() {}
