//! Library behind the `dseq` command-line tool.
//!
//! Everything the binary does lives here as plain functions that take the repository root as a
//! parameter, so that integration tests (and other tools) can call them on any checkout:
//!
//! - [`project`]: find the workspace root, the target directory and the Stylus contracts.
//! - [`wasm`]: turn a compiled contract into deployable Stylus code (the steps of cargo-stylus).
//! - [`build`]: build every contract alone for wasm32, measure it against the 24 KiB limit.
//! - [`abi`]: compare `contracts/interfaces/I<Name>.sol` with each contract's `export-abi` output.

pub mod abi;
pub mod build;
pub mod project;
pub mod wasm;
pub mod wasm_opt;
