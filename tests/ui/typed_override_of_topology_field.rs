use megatron_args::MegatronArgs;

#[derive(MegatronArgs, Clone, Debug)]
struct TrainArgs {
    lr: f64,
    #[topology]
    tensor_model_parallel_size: u32,
}

fn main() {
    let _ = TrainArgsOverrides::default().lr(1e-5).tensor_model_parallel_size(2);
}
