use megatron_args::{MegatronArgs, Value};

// A check reports through `Checks`; a validator's signature is not one.
fn kl_terms(value: &Value) -> Result<(), String> {
    let _ = value;
    Ok(())
}

#[derive(MegatronArgs, Clone, Debug)]
#[megatron(check = kl_terms)]
struct Args {
    kl_coef: f64,
    kl_loss_coef: f64,
}

fn main() {}
