use megatron_args::MegatronArgs;

#[derive(MegatronArgs, Clone, Debug)]
struct Args {
    #[megatron(role_default(critic = 0.1), role_forced(critic = 0.0))]
    kl_coef: f64,
    #[megatron(role_default(actor = 1, actor = 2))]
    steps: u32,
}

fn main() {}
