//! # metis-votes
//!
//! METIS deposited 1:1 becomes an ERC-20 voting token, as OpenZeppelin's ERC20 + ERC20Permit +
//! ERC20Votes + ERC20Wrapper (v5), with a timestamp clock. It is also where operators' locked
//! stake votes: locking-pool reports each change of an owner's counting stake (`moveStake`),
//! and stake is voting units exactly like a balance, delegated with it. Every vote lookup is one
//! binary search over the delegate's own history, whatever the number of holders or sequencers.
//!
//! The crate reads top-down: storage, errors, the ABI shell ([`abi`]), then the ledger logic
//! ([`ledger`]) that the shell calls.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

pub mod abi;
pub mod ledger;

#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::Address;
use dseq_abi::metis_votes::IMetisVotes::*;
use dseq_kit::{checkpoints::Trace, ecdsa, initializable, initializable::Initializable, nonces, nonces::Nonces, token};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageMap, StorageU256, StorageU96},
};

// ==================================================================================== storage

dseq_program::storage_layout! {
/// The layout text of the structs below: part of the build id, and kept in
/// `contracts/metis-votes/storage-layout.txt` (a test compares them). Append-only.
pub const STORAGE_LAYOUT;

/// The token's whole state.
#[storage]
pub struct MetisVotes {
    pub initializable: Initializable,
    /// METIS.
    pub underlying: StorageAddress,
    /// The locking-pool proxy whose counting stake votes here (zero: none).
    pub stake_source: StorageAddress,
    /// ERC-20 supply: wrapped METIS.
    pub total_supply: StorageU256,
    pub balances: StorageMap<Address, StorageU256>,
    pub allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
    /// Permit and delegation nonces (one counter per account, as OpenZeppelin).
    pub nonces: Nonces,
    /// Each holder's delegate and counting stake (one slot: a first stake credit and its
    /// self-delegation write one new word).
    pub holders: StorageMap<Address, Holder>,
    /// Each delegate's votes by timestamp.
    pub votes: StorageMap<Address, Trace>,
    /// All voting units (supply plus stake) by timestamp.
    pub total_votes: Trace,
}

/// A holder's delegate and its counting stake in the pool, packed in one slot.
#[storage]
pub struct Holder {
    pub delegate: StorageAddress,
    /// At most [`MAX_STAKE`]: far above any pool's `maxLock` (79 billion METIS).
    pub stake: StorageU96,
}
}

/// The largest counting stake one owner may have (`type(uint96).max`).
pub const MAX_STAKE: alloy_primitives::U256 = alloy_primitives::U256::from_limbs([u64::MAX, u32::MAX as u64, 0, 0]);

impl dseq_program::Contract for MetisVotes {
    const NAME: &'static str = "metis-votes";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const LAYOUT: &'static str = STORAGE_LAYOUT;
}

// ==================================================================================== errors

dseq_kit::errors! {
/// Every failure a caller can trigger, with OpenZeppelin's names where it has one.
pub enum Error {
    ERC20InsufficientBalance(ERC20InsufficientBalance) { sender, balance, needed },
    ERC20InvalidSender(ERC20InvalidSender) { sender },
    ERC20InvalidReceiver(ERC20InvalidReceiver) { receiver },
    ERC20InsufficientAllowance(ERC20InsufficientAllowance) { spender, allowance, needed },
    ERC20InvalidApprover(ERC20InvalidApprover) { approver },
    ERC20InvalidSpender(ERC20InvalidSpender) { spender },
    ERC20ExceededSafeSupply(ERC20ExceededSafeSupply) { increasedSupply, cap },
    ERC20InvalidUnderlying(ERC20InvalidUnderlying) { token },
    ERC2612ExpiredSignature(ERC2612ExpiredSignature) { deadline },
    ERC2612InvalidSigner(ERC2612InvalidSigner) { signer, owner },
    VotesExpiredSignature(VotesExpiredSignature) { expiry },
    ERC5805FutureLookup(ERC5805FutureLookup) { timepoint, clock },
    InvalidAccountNonce(nonces::InvalidAccountNonce) { account, currentNonce },
    NotStakeSource(NotStakeSource) { caller },
    InsufficientStake(InsufficientStake) { owner, stake, needed },
    ECDSAInvalidSignature(ecdsa::ECDSAInvalidSignature) {},
    ECDSAInvalidSignatureS(ecdsa::ECDSAInvalidSignatureS) { s },
    ECDSAInvalidSignatureLength(ecdsa::ECDSAInvalidSignatureLength) { length },
    InvalidInitialization(initializable::InvalidInitialization) {},
    TokenCallFailed(token::CallFailed as token::TokenCallFailed) { token, reason },
}
}

dseq_kit::from_kit_errors!(Error: initializable, token, ecdsa, nonces);

/// `ERC20InvalidReceiver(receiver)`.
pub fn invalid_receiver(receiver: Address) -> Error {
    Error::ERC20InvalidReceiver(ERC20InvalidReceiver { receiver })
}

/// `ERC20InvalidSender(sender)`.
pub fn invalid_sender(sender: Address) -> Error {
    Error::ERC20InvalidSender(ERC20InvalidSender { sender })
}

/// Prints the token's ABI as a Solidity interface (or the constructor, for cargo-stylus).
#[cfg(feature = "export-abi")]
pub fn print_from_args() {
    if std::env::args().nth(1).as_deref() == Some("constructor") {
        println!("constructor()");
        return;
    }
    dseq_program::print_abi("IMetisVotes", MetisVotes::ABI, Error::SIGNATURES);
}

/// `10^18`: METIS has 18 decimals and the wrapper keeps them.
pub const DECIMALS: u8 = 18;
