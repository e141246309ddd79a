use megatron_args::MegatronArgs;

#[derive(MegatronArgs, Clone, Debug)]
struct Args;

fn main() {}
