use megatron_args::MegatronArgs;

#[derive(MegatronArgs, Clone, Debug)]
struct Args {
    #[topology]
    #[megatron(skip)]
    tensor_model_parallel_size: u32,
}

fn main() {}
