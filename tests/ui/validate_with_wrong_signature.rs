use megatron_args::MegatronArgs;

fn at_most_eight(value: &u32) -> Result<(), String> {
    if *value <= 8 { Ok(()) } else { Err("at most 8".into()) }
}

#[derive(MegatronArgs, Clone, Debug)]
struct Args {
    #[megatron(validate = at_most_eight)]
    lr: f64,
}

fn main() {}
