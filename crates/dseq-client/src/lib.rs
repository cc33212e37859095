//! The client side of the dseq contracts, one library for the `dseq` CLI, the test harness and
//! the bench, so that there is exactly one way to deploy, call and decode:
//!
//! - [`artifacts`]: the build outputs a deployment takes (`artifacts/`, forge's `out/`).
//! - [`client`]: a chain and its keys; sending with revert data decoded by name; Stylus
//!   deployment and activation with the data fee, as cargo-stylus 0.10.10 does it.
//! - [`deploy`]: the whole suite behind its proxies, wired, verified and recorded in
//!   `deployments/<chain-id>.json`, resumable.
//! - [`pool`]: locking-pool's operator actions and its state as one view.
//! - [`election`]: sequencer-election rounds: open, apply with a key proof, vote (also signed), finalize.
//! - [`governance`]: proposals from readable calls, votes (also signed), queue, execute.
//! - [`lst`]: lst-registry and delegated stake: approvals as proposal actions, pairing, the LST's deposits and claims.
//! - [`votes`]: metis-votes from a holder's side: wrap, unwrap, delegate (also by signature).
//! - [`rewards`]: reward-distributor: batches, fee deposits, claims, compounding, commission, the books.
//! - [`bindings`]: typed bindings from the Solidity interfaces the contracts are checked against.
//! - [`revert`]: revert data in words.
//! - [`proof`]: the signer key's proof of possession.
//! - [`units`]: METIS amounts and durations as people read them.

pub mod artifacts;
pub mod bindings;
pub mod client;
pub mod deploy;
pub mod election;
pub mod governance;
pub mod lst;
pub mod pool;
pub mod proof;
pub mod revert;
pub mod rewards;
pub mod units;
pub mod votes;

pub use alloy;
pub use artifacts::Artifacts;
pub use client::{Client, TxError};
pub use deploy::{DeployConfig, Deployment};
