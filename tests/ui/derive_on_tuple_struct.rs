use megatron_args::MegatronArgs;

#[derive(MegatronArgs, Clone, Debug)]
struct Args(f64, u32);

fn main() {}
