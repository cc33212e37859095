//! Every contract's hand-written `contracts/interfaces/I<Name>.sol` declares exactly the
//! functions and errors its `export-abi` prints (the same check as `dseq abi-check`).
//!
//! The export-abi binaries are built with the same target directory as this test
//! (`$CARGO_TARGET_DIR`, else `<root>/target`).

mod common;

#[test]
fn interfaces_match_export_abi() {
    let root = common::root();
    let diffs = dseq::abi::check(&root, &[]).unwrap_or_else(|e| panic!("{e:#}"));
    for diff in &diffs {
        println!(
            "{}: {} declarations missing, {} extra",
            diff.contract,
            diff.missing.len(),
            diff.extra.len()
        );
    }
    if let Err(e) = dseq::abi::ensure_match(&diffs) {
        panic!("{e:#}");
    }
}
