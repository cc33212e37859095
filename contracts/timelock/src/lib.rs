//! # timelock
//!
//! OpenZeppelin v5's `TimelockController`, written for Stylus: proposers schedule calls (or
//! batches of calls), which wait at least the minimum delay and then run once, by an executor,
//! in order. The ABI, the events, the errors and the operation ids are OpenZeppelin's, so its
//! tooling (Safe transaction builders, governance UIs, `hashOperation` scripts) works unchanged.
//!
//! The timelock is its own and only default admin: roles and the delay change through
//! operations that target the timelock itself. Such a call re-enters the timelock, which
//! Stylus refuses by default; this program is built `self_reentrant`, so it accepts re-entry
//! from its own address and still refuses it from anyone else (see [`operations`]).
//!
//! The crate reads top-down: storage, errors, the ABI shell ([`abi`]), then the operation logic
//! ([`operations`]) that the shell calls.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

pub mod abi;
pub mod operations;

#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::B256;
use dseq_abi::timelock::ITimelock::*;
use dseq_kit::{access, access::AccessControl, initializable, initializable::Initializable};
use stylus_sdk::{
    prelude::*,
    storage::{StorageMap, StorageU256},
};

// ==================================================================================== storage

dseq_program::storage_layout! {
/// The layout text of the struct below: part of the build id, and kept in
/// `contracts/timelock/storage-layout.txt` (a test compares them). Append-only.
pub const STORAGE_LAYOUT;

/// The timelock's whole state.
#[storage]
pub struct Timelock {
    pub initializable: Initializable,
    /// Proposers, executors, cancellers; the timelock is the default admin.
    pub access: AccessControl,
    /// When each operation becomes ready: 0 unset (or cancelled), 1 done, else a timestamp.
    pub timestamps: StorageMap<B256, StorageU256>,
    /// The least delay, in seconds, of an operation scheduled now.
    pub min_delay: StorageU256,
}
}

impl dseq_program::Contract for Timelock {
    const NAME: &'static str = "timelock";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const LAYOUT: &'static str = STORAGE_LAYOUT;
}

// ==================================================================================== errors

dseq_kit::errors! {
/// Every failure a caller can trigger, with OpenZeppelin's names. A target's own revert data is
/// not one of these: `execute` passes it through unchanged.
pub enum Error {
    TimelockInvalidOperationLength(TimelockInvalidOperationLength) { targets, payloads, values },
    TimelockInsufficientDelay(TimelockInsufficientDelay) { delay, minDelay },
    TimelockUnexpectedOperationState(TimelockUnexpectedOperationState) { operationId, expectedStates },
    TimelockUnexecutedPredecessor(TimelockUnexecutedPredecessor) { predecessorId },
    TimelockUnauthorizedCaller(TimelockUnauthorizedCaller) { caller },
    TimelockDelayOverflow(TimelockDelayOverflow) { delay },
    FailedCall(FailedCall) {},
    AccessControlUnauthorizedAccount(access::AccessControlUnauthorizedAccount) { account, neededRole },
    AccessControlBadConfirmation(access::AccessControlBadConfirmation) {},
    AccessControlInvalidDefaultAdmin(access::AccessControlInvalidDefaultAdmin) { defaultAdmin },
    AccessControlEnforcedDefaultAdminRules(access::AccessControlEnforcedDefaultAdminRules) {},
    AccessControlEnforcedDefaultAdminDelay(access::AccessControlEnforcedDefaultAdminDelay) { schedule },
    InvalidInitialization(initializable::InvalidInitialization) {},
}
}

dseq_kit::from_kit_errors!(Error: initializable, access);

/// Prints the timelock's ABI as a Solidity interface (or the constructor, for cargo-stylus).
#[cfg(feature = "export-abi")]
pub fn print_from_args() {
    if std::env::args().nth(1).as_deref() == Some("constructor") {
        println!("constructor()");
        return;
    }
    dseq_program::print_abi("ITimelock", Timelock::ABI, Error::SIGNATURES);
}
