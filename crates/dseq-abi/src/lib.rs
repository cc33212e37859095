//! The dseq contracts' ABI for contracts and clients alike.
//!
//! The Solidity interfaces in `contracts/interfaces/` are the single source of every event and
//! error: contracts emit and return the types generated here, clients decode with them, and a
//! test checks each interface's functions against the contract's `export-abi`. The crate is
//! `no_std` so Stylus contracts can depend on it.
#![no_std]

pub mod locking_pool;
pub mod metis_votes;
pub mod rewards;
