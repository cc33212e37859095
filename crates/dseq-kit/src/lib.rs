//! Building blocks shared by every dseq contract.
//!
//! Each module is a storage component or a helper that a contract embeds, in the style of
//! OpenZeppelin's contracts: the component owns its storage, its events and its errors, and the
//! contract exposes the component through a thin `#[public]` shell. Nothing here is a contract
//! on its own.
//!
//! - [`abi`]: one compact encoder for every event, error and call (keeps contracts under 24 KiB).
//! - [`access`]: role-based access control (OpenZeppelin `AccessControl` ABI and events).
//! - [`pausable`]: an emergency stop (OpenZeppelin `Pausable` ABI and events).
//! - [`initializable`]: one-shot initialization for contracts that live behind a proxy.
//! - [`token`]: ERC-20 calls that accept tokens returning nothing (SafeERC20 semantics).
//! - [`ecdsa`]: signature recovery through the `ecrecover` precompile, rejecting malleable forms.
//! - [`eip712`]: typed-data domain separators and digests.
//! - [`checkpoints`]: value histories by timepoint with logarithmic lookups (votes, quorum).
//! - [`nonces`]: per-account nonces that make each signature usable once.
//! - [`math`]: exact fractions of 256-bit amounts by small numbers (percentages, basis points).
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]

extern crate alloc;

pub mod abi;
pub mod access;
pub mod checkpoints;
pub mod ecdsa;
pub mod eip712;
pub mod initializable;
pub mod math;
pub mod nonces;
pub mod pausable;
pub mod store;
pub mod token;
