// The crate's structs that may grow cannot be written as literals outside
// it: they are built with their constructors.
use megatron_args::{Note, ProblemKind};

fn main() {
    let _ = Note { message: String::new(), location: None };
    let _ = ProblemKind::Io { kind: std::io::ErrorKind::NotFound };
}
