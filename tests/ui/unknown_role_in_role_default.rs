use megatron_args::MegatronArgs;

#[derive(MegatronArgs, Clone, Debug)]
struct Args {
    #[megatron(role_default(critc = 1e-5))]
    lr: f64,
}

fn main() {}
