use megatron_args::MegatronArgs;

#[derive(MegatronArgs, Clone, Debug)]
struct Args {
    #[megatron(alias = "learning_rate")]
    lr: f64,
    #[megatron(alias = "learning_rate")]
    min_lr: f64,
    #[megatron(rename = "lr")]
    peak_lr: f64,
}

fn main() {}
