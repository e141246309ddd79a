use megatron_args::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Role)]
enum Roles {
    Actor,
    Critic { replicas: u32 },
    Reward(u8),
}

fn main() {}
