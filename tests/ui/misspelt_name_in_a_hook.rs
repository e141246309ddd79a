use clap::Parser;
use megatron_args::{Derivation, MegatronArgs};

#[derive(Parser, MegatronArgs, Clone, Debug)]
#[megatron(derive_with = derive_warmup)]
struct TrainArgs {
    #[arg(long, default_value_t = 0)]
    lr_warmup_iters: u64,
    #[arg(long)]
    lr_warmup_fraction: Option<f64>,
}

fn derive_warmup(d: &mut Derivation<'_, TrainArgs>) {
    let n = TrainArgs::NAMES;
    // `lr_warmup_iter`: a typo, a compile error rather than a panic at the
    // first resolution.
    d.fill_arg(n.lr_warmup_iter, &[n.lr_warmup_fraction], |a| {
        if let Some(fraction) = a.lr_warmup_fraction {
            a.lr_warmup_iters = (fraction * 1000.0) as u64;
        }
    });
}

fn main() {}
