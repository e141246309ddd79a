use megatron_args::MegatronArgs;

#[derive(MegatronArgs, Clone, Copy, Debug)]
#[repr(C, packed(2))]
struct Args {
    lr: f64,
    steps: u32,
}

fn main() {}
