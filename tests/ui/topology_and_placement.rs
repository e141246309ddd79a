use megatron_args::MegatronArgs;

#[derive(MegatronArgs, Clone, Debug)]
struct Args {
    #[topology]
    #[placement]
    tensor_model_parallel_size: u32,
}

fn main() {}
