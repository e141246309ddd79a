use megatron_args::MegatronArgs;

#[derive(MegatronArgs, Clone, Debug)]
struct Optim {
    weight_decay: f64,
}

#[derive(MegatronArgs, Clone, Debug)]
struct Args {
    #[megatron(flatten, rename = "optimizer")]
    optim: Optim,
}

fn main() {}
