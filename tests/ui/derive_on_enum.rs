use megatron_args::MegatronArgs;

#[derive(MegatronArgs, Clone, Debug)]
enum Args {
    Small,
    Large,
}

fn main() {}
