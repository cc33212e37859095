//! Every contract, built alone for wasm32 at its configured opt-level and compressed the way
//! cargo-stylus does, fits in the 24,576-byte Stylus limit (the same check as `dseq build`).
//!
//! The wasm builds use the same target directory as this test (`$CARGO_TARGET_DIR`, else
//! `<root>/target`), so a later `dseq build` reuses them.

mod common;

#[test]
fn every_contract_fits_the_stylus_size_limit() {
    let root = common::root();
    let report = dseq::build::build(&root, &dseq::build::BuildOptions::default())
        .unwrap_or_else(|e| panic!("{e:#}"));
    print!("{}", dseq::build::size_table(&report.rows));
    if let Err(e) = dseq::build::check_limits(&report.rows) {
        panic!("{e:#}");
    }
}
