//! Library behind the `dseq` command-line tool.
//!
//! Everything the binary does lives here as plain functions that take the repository root as a
//! parameter, so that integration tests (and other tools) can call them on any checkout:
//!
//! - [`project`]: find the workspace root, the target directory and the Stylus contracts.
//! - [`wasm`]: turn a compiled contract into deployable Stylus code (the steps of cargo-stylus).
//! - [`build`]: build every program alone for wasm32, measure it against 90% of the 24 KiB limit.
//! - [`breakdown`]: where the bytes of a program go, per category and per function.
//! - [`abi`]: compare `contracts/interfaces/I<Name>.sol` with each contract's `export-abi` output.

pub mod abi;
pub mod app;
pub mod breakdown;
pub mod build;
pub mod demo;
pub mod gasbench;
pub mod lst_vault;
pub mod session;
pub mod status;
pub mod project;
pub mod wasm;
pub mod wasm_opt;
