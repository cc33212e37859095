//! # reward-distributor
//!
//! Sequencing rewards and fee revenue for dseq's sequencers, split between each sequencer's
//! operator, its paired LST and the treasury, and paid out by pull. Metis credits 100% of a
//! sequencer's reward to one recipient and leaves any split to its LSTs' own contracts; here the
//! split is part of the suite, with the arithmetic in `reward-split`:
//!
//! 1. the treasury's `treasury_bps` of every credited amount first;
//! 2. the rest by capital between the operator's stake and the paired LST's stake;
//! 3. the operator's commission (capped, changed only after a delay) on the LST's part;
//! 4. the remainder to the operator, so the parts always sum to the amount.
//!
//! - **Batches** come from the submitter (Metis's MPC): consecutive ids, contiguous epochs
//!   (starting at `firstEpoch`, so epoch 0 is paid too), signers in strictly ascending order
//!   (a duplicate cannot be paid twice), at most [`MAX_BATCH_SIGNERS`] of them, the total pulled
//!   from the reward payer in the same transaction, refused while paused. Signers resolve
//!   through locking-pool's `seqSigners`, which keeps old signers, so a signer that rotated
//!   or exited is still paid for its blocks instead of reverting the batch.
//! - **Fees**: anyone deposits METIS for a sequencer, or for a past batch pro rata to its
//!   blocks (checked against the batch's stored digest; rounding dust to the treasury).
//! - **O(1) per signer.** A batch adds each signer's net reward to its sequencer's `pending`
//!   word: one read and one write. The pool calls [`settleStakes`](abi) before every change of
//!   a sequencer's stakes or LST, with the stakes that held until then, and `pending` is split
//!   at those; a claim settles at the current stakes first. So every amount is split at the
//!   stakes it was credited under, without reading any stake per signer.
//! - **Claims** are pull-based: the operator's reward recipient (or the pool, compounding into
//!   the stake), each LST and the treasury claim their own balance; nothing is pushed, so a
//!   failing recipient affects only its own claim. Balances survive exits, delistings, pauses
//!   (claims stay open) and upgrades (the contract sits behind an ERC-1967 proxy).
//!
//! At all times `token.balanceOf(this) >= totalFunded - totalPaid`, and `totalFunded -
//! totalPaid` is exactly the treasury's balance, plus every sequencer's pending and operator
//! balance, plus every LST's balance.
//!
//! The crate reads top-down: storage, errors, the ABI shell ([`abi`]), then the logic
//! ([`logic`]) the shell calls.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

pub mod abi;
pub mod logic;

#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, U256};
pub use dseq_abi::rewards::MAX_BATCH_SIGNERS;
use dseq_abi::rewards::IRewardDistributor::*;
use dseq_kit::{
    initializable::{self, Initializable},
    pausable::{self, Pausable},
    token,
};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageMap, StorageU128, StorageU16, StorageU64, StorageU96},
};

// ==================================================================================== storage

dseq_program::storage_layout! {
/// The layout text of the structs below: part of the build id, and kept in
/// `contracts/reward-distributor/storage-layout.txt` (a test compares them). Append-only.
pub const STORAGE_LAYOUT;

/// The distributor's whole state. Fields a batch reads together share slots: the treasury
/// address and the reward per block; the rates and the batch cursor; the treasury's balance
/// and the lifetime funding.
#[storage]
pub struct RewardDistributor {
    pub initializable: Initializable,
    pub pausable: Pausable,
    /// Sets the terms: the timelock.
    pub governance: StorageAddress,
    /// locking-pool: resolves signers, reports stakes, compounds.
    pub pool: StorageAddress,
    /// METIS (the pool's token).
    pub token: StorageAddress,
    /// Submits batches: the MPC.
    pub submitter: StorageAddress,
    /// Funds batches through its allowance.
    pub reward_payer: StorageAddress,
    pub treasury: StorageAddress,
    pub reward_per_block: StorageU96,
    pub treasury_bps: StorageU16,
    pub max_commission_bps: StorageU16,
    pub commission_delay: StorageU64,
    pub last_batch_id: StorageU64,
    pub next_epoch: StorageU64,
    /// What the treasury may claim.
    pub treasury_balance: StorageU128,
    /// Every METIS ever credited (rewards and fees); below 2^128 (`AmountTooLarge`), which
    /// bounds every balance below.
    pub total_funded: StorageU128,
    /// Every METIS ever paid out (claims and compounding).
    pub total_paid: StorageU128,
    /// Each batch's `keccak256(abi.encodePacked(signers, blocks))`, for its fee deposits.
    pub batch_digests: StorageMap<U256, StorageB256>,
    pub sequencers: StorageMap<U256, SequencerRewards>,
    /// What each LST may claim.
    pub lst_balances: StorageMap<Address, StorageU128>,
}

/// A sequencer's rewards. The first slot is all a batch touches: what is credited and not yet
/// split, and the commission schedule deciding how it will be.
#[storage]
pub struct SequencerRewards {
    pub pending: StorageU128,
    pub commission_bps: StorageU16,
    pub next_commission_bps: StorageU16,
    /// When `next_commission_bps` takes effect (0: no change waiting).
    pub next_commission_at: StorageU64,
    /// What the operator's reward recipient may claim.
    pub operator: StorageU128,
}
}

impl dseq_program::Contract for RewardDistributor {
    const NAME: &'static str = "reward-distributor";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const LAYOUT: &'static str = STORAGE_LAYOUT;
}

// ==================================================================================== errors

dseq_kit::errors! {
/// Every failure a caller can trigger.
pub enum Error {
    NotGovernance(NotGovernance) { caller },
    NotSubmitter(NotSubmitter) { caller },
    NotPool(NotPool) { caller },
    NotSequencerOwner(NotSequencerOwner) { sequencerId, caller },
    NotOperatorOrRecipient(NotOperatorOrRecipient) { sequencerId, caller },
    ZeroAddress(ZeroAddress) {},
    UnexpectedBatchId(UnexpectedBatchId) { batchId, expected },
    UnexpectedStartEpoch(UnexpectedStartEpoch) { startEpoch, expected },
    InvalidEpochRange(InvalidEpochRange) { startEpoch, endEpoch },
    InvalidBatchLength(InvalidBatchLength) { signers, blocks, maxSigners },
    SignersNotAscending(SignersNotAscending) { index, signer },
    InvalidBlockCount(InvalidBlockCount) { signer, blocks },
    UnknownSigner(UnknownSigner) { signer },
    UnknownSequencer(UnknownSequencer) { sequencerId },
    AmountTooLarge(AmountTooLarge) { amount, max },
    ZeroAmount(ZeroAmount) {},
    BatchMismatch(BatchMismatch) { batchId, digest, given },
    NothingToClaim(NothingToClaim) { account },
    CommissionAboveCap(CommissionAboveCap) { bps, maxBps },
    InvalidTreasuryBps(InvalidTreasuryBps) { bps, maxBps },
    InvalidRewardPerBlock(InvalidRewardPerBlock) { rewardPerBlock, max },
    InvalidCommissionTerms(InvalidCommissionTerms) { maxCommissionBps, commissionDelay, maxDelay },
    PoolQueryFailed(QueryFailed as PoolQueryFailed) { reason },
    EnforcedPause(pausable::EnforcedPause) {},
    ExpectedPause(pausable::ExpectedPause) {},
    InvalidInitialization(initializable::InvalidInitialization) {},
    TokenCallFailed(token::CallFailed as token::TokenCallFailed) { token, reason },
}
}

dseq_kit::from_kit_errors!(Error: initializable, pausable, token);

/// The fields of `PoolQueryFailed` (`reason` as plain bytes, see `dseq_kit::errors!`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryFailed {
    pub reason: Vec<u8>,
}

/// Prints the distributor's ABI as a Solidity interface (or the constructor, for cargo-stylus).
#[cfg(feature = "export-abi")]
pub fn print_from_args() {
    if std::env::args().nth(1).as_deref() == Some("constructor") {
        println!("constructor()");
        return;
    }
    dseq_program::print_abi("IRewardDistributor", RewardDistributor::ABI, Error::SIGNATURES);
}
