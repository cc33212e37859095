//! # sequencer-election
//!
//! Community voting windows that admit sequencer operators to locking-pool with no one in
//! between: what Metis runs as a forum post, a Snapshot vote (50,000 METIS quorum, 500 wallets,
//! 80% approval, 5 days) and a multisig that whitelists the winners by hand.
//!
//! A round, opened by anyone when the calendar says it is due, takes applications (each
//! candidate's node key signs an EIP-712 candidacy for this round and operator, as Arbitrum's
//! `addContender`), then votes (for, against or abstain on each candidate, with the voter's
//! metis-votes votes at the start of the window, so wrapped METIS and locked stake both count),
//! then a vetting period in which the vetter may veto a candidate, and then anyone finalizes:
//! the candidates that reached the quorum, the voter minimum and the approval ratio are ranked
//! by votes for, ties going to the earlier application, and the top `seats` are admitted through
//! locking-pool's `ADMISSION_ROLE`, which this contract holds.
//!
//! **Costs.** A vote reads the round, the candidate and the voter's ballot word, asks the token
//! for one past balance (a binary search over the voter's own history) and writes the ballot
//! and two tally words: nothing grows with the number of voters. Finalization reads each
//! candidate once, so it is bounded by [`MAX_CANDIDATES`].
//!
//! **Liveness.** A round that cannot finalize (locking-pool refusing the admission, because the
//! election lost its role) blocks the next one until governance either fixes the cause and
//! anyone finalizes again, or cancels the round (`cancelRound`). Rules apply from the next
//! round on: a live round runs on the copy it opened with, so no change can move its windows,
//! quorum or seats (Arbitrum's C4 M-01).
//!
//! The ABI does not fit one Stylus program within the 90% budget, so the crate builds two
//! (`dseq-program`): [`abi`], the entry behind the proxy (setup, rounds, applications, votes,
//! views), and [`module`] (governance, vetoes, finalization).
//!
//! The crate reads top-down: storage, errors, the two ABI shells, then the round logic
//! ([`logic`]) that they call.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

pub mod abi;
pub mod logic;
pub mod module;

#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, U256};
use dseq_abi::election::ISequencerElection::*;
pub use dseq_abi::election::MAX_CANDIDATES;
use dseq_kit::{ecdsa, initializable, initializable::Initializable, nonces::Nonces};
use dseq_program::table as program;
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageAddress, StorageB256, StorageBool, StorageMap, StorageU128, StorageU16, StorageU256, StorageU32,
        StorageU64, StorageU8,
    },
};

// ==================================================================================== storage

dseq_program::storage_layout! {
/// The layout text of the structs below: part of the build id, and kept in
/// `contracts/sequencer-election/storage-layout.txt` (a test compares them). Append-only.
pub const STORAGE_LAYOUT;

/// The election's whole state.
#[storage]
pub struct SequencerElection {
    pub initializable: Initializable,
    /// Changes the rules and the vetter, cancels rounds, revokes operators: the timelock.
    pub governance: StorageAddress,
    /// metis-votes: the weights (`getPastVotes`) and the quorum base (`getPastTotalSupply`).
    pub votes: StorageAddress,
    /// locking-pool: admits the winners (`setWhitelist`).
    pub pool: StorageAddress,
    /// May veto candidates during vetting (zero: nobody).
    pub vetter: StorageAddress,
    /// The rules the next round opens with.
    pub rules: Rules,
    /// When round 1 is due.
    pub first_round_at: StorageU64,
    /// The latest round's id (rounds are numbered from 1).
    pub round_count: StorageU64,
    pub rounds: StorageMap<U256, Round>,
    /// Ballot-signature nonces.
    pub nonces: Nonces,
}

/// A round's rules, in three slots: the windows, the counts and ratios, the absolute quorum.
#[storage]
pub struct Rules {
    /// Seconds from one round's slot to the next one's.
    pub cadence: StorageU64,
    pub application_period: StorageU64,
    pub voting_period: StorageU64,
    /// May be 0: no vetting.
    pub vetting_period: StorageU64,
    pub seats: StorageU16,
    pub max_candidates: StorageU16,
    pub min_voters: StorageU32,
    pub approval_bps: StorageU16,
    /// The quorum as a share of all votes at the window's start (0: only the absolute one).
    pub quorum_bps: StorageU16,
    /// The absolute quorum, in votes for + abstain.
    pub quorum: StorageU256,
}

/// One round: its frozen rules, its schedule (two slots), its result and its candidates.
#[storage]
pub struct Round {
    pub rules: Rules,
    /// The calendar slot the round was opened for.
    pub scheduled_at: StorageU64,
    pub opened_at: StorageU64,
    /// The snapshot: weights are the votes at this second.
    pub voting_start: StorageU64,
    pub voting_end: StorageU64,
    pub vetting_end: StorageU64,
    pub candidate_count: StorageU16,
    pub admitted: StorageU16,
    pub finalized: StorageBool,
    pub canceled: StorageBool,
    /// The quorum finalization applied.
    pub quorum_applied: StorageU256,
    /// Candidates by application order.
    pub candidates: StorageMap<U256, Candidate>,
    /// A candidate's index + 1 (0: not a candidate).
    pub index_of: StorageMap<Address, StorageU16>,
    /// Signers named by this round's candidates.
    pub signers: StorageMap<Address, StorageBool>,
    /// Each voter's ballot word: bit `i` set once it voted on candidate `i`.
    pub ballots: StorageMap<Address, StorageU256>,
}

/// A candidate. A vote for or against writes the first tally slot and the second (its voter
/// count); an abstention the second only.
#[storage]
pub struct Candidate {
    pub operator: StorageAddress,
    pub status: StorageU8,
    pub signer: StorageAddress,
    pub votes_for: StorageU128,
    pub votes_against: StorageU128,
    pub votes_abstain: StorageU128,
    pub voters: StorageU32,
    /// keccak256 of the metadata URI, which `CandidateApplied` carries in full (a URI kept in
    /// storage would cost the program 6 KB of string handling).
    pub metadata_hash: StorageB256,
}
}

impl dseq_program::Contract for SequencerElection {
    const NAME: &'static str = "sequencer-election";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const LAYOUT: &'static str = STORAGE_LAYOUT;
}

// ==================================================================================== errors

/// The fields of `AdmissionFailed` (`bytes` as a `Vec<u8>`, which keeps the `bytes` crate out of
/// the wasm).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdmissionFailure {
    pub operator: Address,
    pub reason: Vec<u8>,
}

dseq_kit::errors! {
/// Every failure the election itself reports. Reverts of the voting token pass through
/// unchanged (a future lookup is the token's `ERC5805FutureLookup`).
pub enum Error {
    NotGovernance(NotGovernance) { caller },
    NotVetter(NotVetter) { caller },
    InvalidSetup(InvalidSetup) { governance, votes, pool },
    InvalidSchedule(InvalidSchedule) { cadence, applicationPeriod, votingPeriod, vettingPeriod },
    InvalidSeats(InvalidSeats) { seats, maxCandidates, limit },
    InvalidRatio(InvalidRatio) { approvalBps, quorumBps },
    RoundNotDue(RoundNotDue) { roundId, dueAt },
    PreviousRoundOpen(PreviousRoundOpen) { roundId },
    UnknownRound(UnknownRound) { roundId },
    UnexpectedPhase(UnexpectedPhase) { roundId, phase, expected },
    AlreadyOperator(AlreadyOperator) { operator },
    AlreadyCandidate(AlreadyCandidate) { roundId, operator },
    SignerTaken(SignerTaken) { signer },
    TooManyCandidates(TooManyCandidates) { roundId, maxCandidates },
    MetadataTooLong(MetadataTooLong) { length, max },
    InvalidSignerProof(InvalidSignerProof) { signer },
    UnknownCandidate(UnknownCandidate) { roundId, candidate },
    InvalidSupport(InvalidSupport) { support },
    AlreadyVoted(AlreadyVoted) { roundId, candidate, voter },
    NoVotingPower(NoVotingPower) { voter, timepoint },
    InvalidVoteSignature(InvalidVoteSignature) { voter },
    LengthMismatch(LengthMismatch) { candidates, supports },
    AlreadyVetoed(AlreadyVetoed) { roundId, candidate },
    AdmissionFailed(AdmissionFailure as AdmissionFailed) { operator, reason },
    ECDSAInvalidSignature(ecdsa::ECDSAInvalidSignature) {},
    ECDSAInvalidSignatureS(ecdsa::ECDSAInvalidSignatureS) { s },
    ECDSAInvalidSignatureLength(ecdsa::ECDSAInvalidSignatureLength) { length },
    InvalidInitialization(initializable::InvalidInitialization) {},
    ProgramsNotInstalled(program::ProgramsNotInstalled) { build },
    ProgramCountMismatch(program::ProgramCountMismatch) { expected, given },
    ProgramHasNoCode(program::ProgramHasNoCode) { index, program },
    ProgramMismatch(program::ProgramMismatch) { index, program, expectedBuild, build, answeredIndex },
}
}

dseq_kit::from_kit_errors!(Error: initializable, ecdsa);

dseq_program::from_table_errors!(Error);

/// A failure: one of the election's [`Error`]s, or revert data passed through from the voting
/// token or the pool's views (already encoded).
pub type Revert = Vec<u8>;

/// Prints the election's ABI as a Solidity interface (or the constructor, for cargo-stylus).
#[cfg(feature = "export-abi")]
pub fn print_from_args() {
    if std::env::args().nth(1).as_deref() == Some("constructor") {
        println!("constructor()");
        return;
    }
    dseq_program::print_abi("ISequencerElection", SequencerElection::ABI, Error::SIGNATURES);
}
