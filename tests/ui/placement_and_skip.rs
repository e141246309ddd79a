use megatron_args::MegatronArgs;

#[derive(MegatronArgs, Clone, Debug)]
struct Args {
    #[megatron(placement, skip)]
    critic_num_nodes: u32,
}

fn main() {}
