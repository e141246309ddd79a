use megatron_args::{MegatronArgs, Role};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Role)]
enum Roles {
    Actor,
    RewardModel,
}

#[derive(MegatronArgs, Clone, Debug)]
#[megatron(roles = Roles)]
struct Args {
    #[megatron(role_forced(reward_modle = 0.0))]
    kl_coef: f64,
}

fn main() {}
