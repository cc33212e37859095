//! # governor
//!
//! OpenZeppelin v5's `Governor` with `GovernorSettings`, `GovernorCountingSimple`,
//! `GovernorVotes`, `GovernorVotesQuorumFraction`, `GovernorPreventLateQuorum` and
//! `GovernorTimelockControl`, written for Stylus: the same ABI (functions, selectors, events,
//! errors, proposal ids, EIP-712 ballots), so wallets and governance front-ends work unchanged.
//! Voting power comes from metis-votes (`getPastVotes`, `getPastTotalSupply`, timestamp clock);
//! successful proposals run through a `TimelockController` (contracts/timelock).
//!
//! The ABI does not fit one Stylus program, so the crate builds two (`dseq-program`): program 0,
//! [`entry`] (`governor`), is the implementation behind the governor's ERC-1967 proxy: setup,
//! proposing, voting and the views of proposals, votes and settings; program 1, [`module`]
//! (`governor-module`), queues, executes and cancels, counts votes by signature (ECDSA, or
//! ERC-1271 for contract wallets) with the EIP-712 views and proposal ids, and holds the
//! settings that only governance changes. Both run on [`Governor`] and share [`logic`].
//!
//! **Re-entry.** A proposal that changes a setting runs `governor.execute` →
//! `timelock.executeBatch` → `governor.setVotingPeriod(...)`: the timelock calls back into the
//! governor while the governor's `execute` is still running. Stylus refuses re-entry by
//! default; both programs are built with `reentry = "may_reenter"`, which accepts a re-entering
//! call from the timelock and refuses it from anyone else. The functions the timelock reaches
//! that way only change settings; `execute` marks the proposal executed before it calls the
//! timelock, as OpenZeppelin does.
//!
//! **No governance-call queue.** OpenZeppelin's `onlyGovernance` also checks, when the executor
//! is not the governor, that the call was whitelisted by the governor's own `execute`
//! (`_governanceCall`), so that other proposers of the timelock cannot change the governor's
//! settings. Here the governor is the timelock's only proposer (the deployment grants
//! `PROPOSER_ROLE` to nobody else), so every call from the timelock is an executed proposal of
//! this governor, and `onlyGovernance` is `msg.sender == timelock()` alone.
//!
//! The crate reads top-down: storage, errors, then [`logic`] (state machine, counting, quorum,
//! signatures, timelock calls) and the two ABI shells.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

pub mod entry;
pub mod logic;
pub mod module;

#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, U256};
use dseq_abi::governor::IGovernor::*;
use dseq_kit::{checkpoints::Trace, initializable, initializable::Initializable, nonces::Nonces};
use dseq_program::table as program;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageBool, StorageMap, StorageU256, StorageU32, StorageUint},
};

/// A `uint48` field (ERC-6372 timepoints and durations), 6 bytes of a slot.
pub type StorageU48 = StorageUint<48, 1>;

// ==================================================================================== storage

dseq_program::storage_layout! {
/// The layout text of the structs below: part of the build id both programs report, and kept
/// in `contracts/governor/storage-layout.txt` (a test compares them). Append-only.
pub const STORAGE_LAYOUT;

/// The governor's whole state. The program table lives in its own ERC-7201 namespace
/// (`dseq_program::table`).
#[storage]
pub struct Governor {
    pub initializable: Initializable,
    /// The voting token (metis-votes).
    pub token: StorageAddress,
    /// GovernorSettings: seconds from a proposal to its snapshot.
    pub voting_delay: StorageU48,
    /// GovernorPreventLateQuorum: seconds voting stays open once quorum is first reached.
    pub late_quorum_vote_extension: StorageU48,
    /// GovernorTimelockControl: the TimelockController that executes proposals.
    pub timelock: StorageAddress,
    /// GovernorSettings: seconds of voting after the snapshot (never 0).
    pub voting_period: StorageU32,
    /// GovernorSettings: votes a proposer needs at the previous second.
    pub proposal_threshold: StorageU256,
    /// GovernorVotesQuorumFraction: the quorum numerator (percent) by timestamp.
    pub quorum_numerator_history: Trace,
    /// Vote-signature nonces.
    pub nonces: Nonces,
    pub proposals: StorageMap<U256, Proposal>,
}

/// One proposal. The first slot is OpenZeppelin's `ProposalCore` without its eta (proposer,
/// snapshot, duration and the two flags), so a state lookup reads one slot until the deadline.
#[storage]
pub struct Proposal {
    pub proposer: StorageAddress,
    /// The snapshot (`voteStart`); 0 for a proposal that does not exist.
    pub vote_start: StorageU48,
    pub vote_duration: StorageU32,
    pub executed: StorageBool,
    pub canceled: StorageBool,
    /// When the queued proposal can execute on the timelock (0: not queued).
    pub eta_seconds: StorageU48,
    /// GovernorPreventLateQuorum: the deadline set when quorum was first reached (0: not yet).
    pub extended_deadline: StorageU48,
    /// GovernorTimelockControl: the timelock's operation id while queued.
    pub timelock_id: StorageB256,
    /// GovernorCountingSimple.
    pub against_votes: StorageU256,
    pub for_votes: StorageU256,
    pub abstain_votes: StorageU256,
    pub has_voted: StorageMap<Address, StorageBool>,
}
}

impl dseq_program::Contract for Governor {
    const NAME: &'static str = "governor";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const LAYOUT: &'static str = STORAGE_LAYOUT;
}

// ==================================================================================== errors

/// The fields of `GovernorUnexpectedResponse` (`bytes` as a `Vec<u8>`, which keeps the `bytes`
/// crate out of the wasm).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnexpectedResponse {
    pub target: Address,
    pub return_data: Vec<u8>,
}

dseq_kit::errors! {
/// Every failure the governor itself reports, with OpenZeppelin's names and fields. Reverts of
/// the token and of the timelock are not among them: they pass through unchanged, as Solidity
/// bubbles them.
pub enum Error {
    GovernorInvalidProposalLength(GovernorInvalidProposalLength) { targets, calldatas, values },
    GovernorAlreadyCastVote(GovernorAlreadyCastVote) { voter },
    GovernorDisabledDeposit(GovernorDisabledDeposit) {},
    GovernorOnlyExecutor(GovernorOnlyExecutor) { account },
    GovernorNonexistentProposal(GovernorNonexistentProposal) { proposalId },
    GovernorUnexpectedProposalState(GovernorUnexpectedProposalState) { proposalId, current, expectedStates },
    GovernorInvalidVotingPeriod(GovernorInvalidVotingPeriod) { votingPeriod },
    GovernorInsufficientProposerVotes(GovernorInsufficientProposerVotes) { proposer, votes, threshold },
    GovernorRestrictedProposer(GovernorRestrictedProposer) { proposer },
    GovernorInvalidVoteType(GovernorInvalidVoteType) {},
    GovernorInvalidSignature(GovernorInvalidSignature) { voter },
    GovernorUnableToCancel(GovernorUnableToCancel) { proposalId, account },
    GovernorInvalidQuorumFraction(GovernorInvalidQuorumFraction) { quorumNumerator, quorumDenominator },
    GovernorPreventLateQuorumVoteExtensionTooLarge(GovernorPreventLateQuorumVoteExtensionTooLarge) { newVoteExtension, maxVoteExtension },
    SafeCastOverflowedUintDowncast(SafeCastOverflowedUintDowncast) { bits, value },
    FailedCall(FailedCall) {},
    GovernorUnexpectedResponse(UnexpectedResponse as GovernorUnexpectedResponse) { target, return_data },
    GovernorInvalidSetup(GovernorInvalidSetup) { token, timelock },
    InvalidInitialization(initializable::InvalidInitialization) {},
    ProgramsNotInstalled(program::ProgramsNotInstalled) { build },
    ProgramCountMismatch(program::ProgramCountMismatch) { expected, given },
    ProgramHasNoCode(program::ProgramHasNoCode) { index, program },
    ProgramMismatch(program::ProgramMismatch) { index, program, expectedBuild, build, answeredIndex },
}
}

dseq_kit::from_kit_errors!(Error: initializable);

dseq_program::from_table_errors!(Error);

/// A failure: one of the governor's [`Error`]s, or revert data passed through from the token or
/// the timelock (already encoded).
pub type Revert = Vec<u8>;

/// Prints the governor's whole ABI (both programs, and every error) as a Solidity interface,
/// or with the argument `constructor` the constructor's signature, as the SDK's export-abi does.
#[cfg(feature = "export-abi")]
pub fn print_from_args() {
    if std::env::args().nth(1).as_deref() == Some("constructor") {
        println!("constructor()");
        return;
    }
    dseq_program::print_abi("IGovernor", Governor::ABI, Error::SIGNATURES);
}
