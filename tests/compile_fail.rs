//! Every compile error the derives raise, with its expected message
//! (`tests/ui/*.stderr`; regenerate with `TRYBUILD=overwrite` and review).

#[test]
fn derive_misuse_is_a_compile_error() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
