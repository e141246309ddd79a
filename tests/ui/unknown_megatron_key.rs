use megatron_args::MegatronArgs;

#[derive(MegatronArgs, Clone, Debug)]
struct Args {
    #[megatron(renam = "learning_rate")]
    lr: f64,
    #[megatron(alias = "b", overridable, skip)]
    batch_size: u32,
}

fn main() {}
