use megatron_args::MegatronArgs;

#[derive(MegatronArgs, Clone, Debug)]
struct Args<T: Clone> {
    lr: T,
}

fn main() {}
