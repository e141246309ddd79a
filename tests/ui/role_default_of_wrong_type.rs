use megatron_args::MegatronArgs;

#[derive(MegatronArgs, Clone, Debug)]
struct Args {
    #[megatron(role_default(critic = "fast"))]
    lr: f64,
}

fn main() {}
