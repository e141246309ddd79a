// A setter has its field's visibility: a private field of a public struct
// cannot be overridden through the typed API from another module.
mod train {
    #[derive(clap::Parser, megatron_args::MegatronArgs, Clone, Debug)]
    pub struct TrainArgs {
        #[arg(long, default_value_t = 1e-6)]
        pub lr: f64,
        #[arg(long, default_value_t = 10)]
        seed: u64,
    }
}

fn main() {
    let _ = train::TrainArgsOverrides::default().lr(1e-5); // public field: fine
    let _ = train::TrainArgsOverrides::default().seed(1234);
}
