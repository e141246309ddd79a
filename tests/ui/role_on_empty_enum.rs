use megatron_args::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Role)]
enum Roles {}

fn main() {}
