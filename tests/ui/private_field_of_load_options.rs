// `LoadOptions` is a builder: its fields are private.
fn main() {
    let _ = megatron_args::LoadOptions { strict: true };
}
