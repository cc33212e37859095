//! # lst-registry
//!
//! The liquid-staking protocols (LSTs) that governance approved, and which sequencer each one
//! is paired with: what Metis runs off-chain ("sequencers pair with those LST protocols that
//! have passed Community Ecosystem Governance"), in the shape of Lido's staking-module registry
//! (a status per entry: Active, DepositsPaused, Delisted) and EigenLayer's strategy whitelist
//! with operator consent.
//!
//! - **Approval.** Governance (the timelock) approves an LST contract once, under a unique name,
//!   with a cap on its total delegated stake; it changes the cap and the status. Delisted is
//!   final, so a delisted protocol cannot come back under the same address to strand anyone.
//! - **Pairing by consent.** The operator of an Active sequencer offers a pairing to an LST and
//!   the LST accepts, or the reverse. A sequencer has at most one LST; an LST at most
//!   `maxPairingsPerLst` sequencers. Either side ends a pairing; anyone may end one whose LST is
//!   delisted or whose sequencer is no longer Active, so no pairing outlives its reason.
//! - **The stake stays in locking-pool.** The registry names each sequencer's delegate there
//!   (`setDelegate`) and mirrors each LST's terms (`setLstTerms`); the LST locks and withdraws
//!   with the pool directly. Ending a pairing makes the pool move the LST's stake into the LST's
//!   unbonding queue in the same transaction.
//!
//! Every operation costs the same whatever the number of LSTs, sequencers or pairings: each
//! reads and writes a fixed set of slots and makes at most two calls to the pool. The registry
//! never calls an LST, so a reverting or re-entering LST can only fail its own calls.
//!
//! The crate reads top-down: storage, errors, the ABI shell ([`abi`]), then the logic
//! ([`logic`]) that the shell calls.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

pub mod abi;
pub mod logic;

#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, U256};
use dseq_abi::lst::ILstRegistry::*;
use dseq_kit::{initializable, initializable::Initializable};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageMap, StorageU32, StorageU64, StorageU8, StorageU96},
};

// ==================================================================================== storage

dseq_program::storage_layout! {
/// The layout text of the structs below: part of the build id, and kept in
/// `contracts/lst-registry/storage-layout.txt` (a test compares them). Append-only.
pub const STORAGE_LAYOUT;

/// The registry's whole state.
#[storage]
pub struct LstRegistry {
    pub initializable: Initializable,
    /// Approves LSTs and sets their terms: the timelock.
    pub governance: StorageAddress,
    /// locking-pool, which holds the stake and is told of every pairing and term.
    pub pool: StorageAddress,
    /// How many sequencers one LST may pair with.
    pub max_pairings_per_lst: StorageU32,
    /// How many LSTs were ever approved (they are listed in `lst_list`).
    pub lst_count: StorageU32,
    pub lst_list: StorageMap<U256, StorageAddress>,
    pub lsts: StorageMap<Address, Lst>,
    /// Each approved name (zero-padded) to its LST: no two LSTs share a name.
    pub names: StorageMap<alloy_primitives::B256, StorageAddress>,
    pub pairings: StorageMap<U256, Pairing>,
}

/// One LST: its status, pairing count and cap share a slot, which a pairing reads and writes.
#[storage]
pub struct Lst {
    pub status: StorageU8,
    pub pairings: StorageU32,
    pub cap: StorageU96,
    pub approved_at: StorageU64,
    /// The name, zero-padded (1 to 32 bytes of UTF-8).
    pub name: StorageB256,
}

/// A sequencer's pairing and its pending offer.
#[storage]
pub struct Pairing {
    pub lst: StorageAddress,
    pub paired_at: StorageU64,
    /// The LST of the pending offer (zero: none), and who made it.
    pub offered_lst: StorageAddress,
    pub offered_by: StorageAddress,
}
}

impl dseq_program::Contract for LstRegistry {
    const NAME: &'static str = "lst-registry";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const LAYOUT: &'static str = STORAGE_LAYOUT;
}

// ==================================================================================== errors

dseq_kit::errors! {
/// Every failure the registry itself reports. The pool's refusals pass through unchanged.
pub enum Error {
    NotGovernance(NotGovernance) { caller },
    InvalidSetup(InvalidSetup) { governance, pool },
    LstAlreadyApproved(LstAlreadyApproved) { lst, status },
    LstNameTaken(LstNameTaken) { name, holder },
    InvalidLstName(InvalidLstName) { length, maxLength },
    InvalidLstCap(InvalidLstCap) { cap, maxCap },
    LstNotApproved(LstNotApproved) { lst },
    LstNotActive(LstNotActive) { lst, status },
    LstIsDelisted(LstIsDelisted) { lst },
    InvalidLstStatus(InvalidLstStatus) { status },
    InvalidMaxPairings(InvalidMaxPairings) { maxPairings, limit },
    PairingLimitReached(PairingLimitReached) { lst, pairings, maxPairings },
    SequencerNotActive(SequencerNotActive) { sequencerId, status },
    NotPairingParty(NotPairingParty) { sequencerId, lst, caller },
    AlreadyPaired(AlreadyPaired) { sequencerId, lst },
    NoPairingOffer(NoPairingOffer) { sequencerId, lst },
    NotPaired(NotPaired) { sequencerId },
    InvalidInitialization(initializable::InvalidInitialization) {},
}
}

dseq_kit::from_kit_errors!(Error: initializable);

/// A failure: one of the registry's [`Error`]s, or locking-pool's revert data passed through.
pub type Revert = Vec<u8>;

/// Prints the registry's ABI as a Solidity interface (or the constructor, for cargo-stylus).
#[cfg(feature = "export-abi")]
pub fn print_from_args() {
    if std::env::args().nth(1).as_deref() == Some("constructor") {
        println!("constructor()");
        return;
    }
    dseq_program::print_abi("ILstRegistry", LstRegistry::ABI, Error::SIGNATURES);
}
