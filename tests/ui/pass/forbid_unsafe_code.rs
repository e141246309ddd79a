//! The generated code contains no unsafe code: a crate that forbids it
//! derives, and reads and writes through the field accessors work, members
//! past the first tuple of 16 and past 64 included. (rustc does not lint a
//! derive's output, so this pass alone does not prove the absence: the
//! derive test `the_generated_code_has_no_unsafe_token` reads the output.)
#![forbid(unsafe_code)]
#![deny(warnings)]

use megatron_args::{MegatronArgs, Value};

macro_rules! wide_struct {
    ($($field:ident),*) => {
        #[derive(MegatronArgs, Clone, Debug, Default)]
        struct Wide {
            $($field: u32,)*
            name: String,
        }
    };
}

wide_struct!(
    f00, f01, f02, f03, f04, f05, f06, f07, f08, f09, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19,
    f20, f21, f22, f23, f24, f25, f26, f27, f28, f29, f30, f31, f32, f33, f34, f35, f36, f37, f38, f39,
    f40, f41, f42, f43, f44, f45, f46, f47, f48, f49, f50, f51, f52, f53, f54, f55, f56, f57, f58, f59,
    f60, f61, f62, f63, f64, f65, f66, f67, f68, f69
);

fn main() {
    let mut wide = Wide::default();
    wide.set("f03", 3).unwrap();
    wide.set("f69", 69).unwrap();
    wide.set("name", "w").unwrap();
    wide.set("f16", 16).unwrap();
    assert_eq!((wide.f03, wide.f16, wide.f69, wide.name.as_str()), (3, 16, 69, "w"));
    assert_eq!(wide.get("f15"), Some(Value::Int(0)));
    assert_eq!(wide.get("f16"), Some(Value::Int(16)));
    assert_eq!(wide.get("f69"), Some(Value::Int(69)));
    assert_eq!(wide.get("name"), Some(Value::String("w".into())));
}
