use megatron_args::MegatronArgs;

#[derive(MegatronArgs, Clone, Debug)]
struct Args<'a> {
    name: &'a str,
}

fn main() {}
