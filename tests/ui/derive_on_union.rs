use megatron_args::MegatronArgs;

#[derive(MegatronArgs)]
union Args {
    lr: f64,
    steps: u64,
}

fn main() {}
