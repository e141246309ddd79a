//! Every compile error the derives raise, with its expected message
//! (`tests/ui/*.stderr`; regenerate with `TRYBUILD=overwrite` and review).

#[test]
fn derive_misuse_is_a_compile_error() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    // Generated items compile under strict lints (`#![deny(missing_docs)]`).
    t.pass("tests/ui/pass/*.rs");
}
