//! The state of locking-pool: its storage layout, errors, rules and the transitions that both
//! halves of the pool share.
//!
//! The pool is served by two Stylus programs (see `dseq-program`): both are built from the
//! `locking-pool` crate and embed [`PoolState`] as their only field, so they read and write the
//! same slots; [`STORAGE_LAYOUT`] is part of the build id each program reports, so programs of
//! another layout are refused at install.
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

pub mod rules;

#[allow(unused_imports)]
use alloc::{vec, vec::Vec};

use alloy_primitives::{keccak256, Address, B256, U256, U64, U8};
use alloy_sol_types::SolValue;
use dseq_abi::locking_pool::{ILockingPool::*, Status, EIP712_NAME, EIP712_VERSION, SIGNER_PROOF_TYPEHASH};
use dseq_kit::{store, 
    access::{self, AccessControl},
    ecdsa, eip712, emit,
    initializable::{self, Initializable},
    pausable::{self, Pausable},
    token,
};
use dseq_program::table as program;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU128, StorageU256, StorageU64, StorageU8, StorageU96},
};

// ==================================================================================== storage

dseq_program::storage_layout! {
/// The layout text of the structs below: part of the build id every program of the pool
/// reports, and kept in `contracts/locking-pool/storage-layout.txt` (a test compares them).
pub const STORAGE_LAYOUT;

/// The pool's state, shared by every program of the pool (they run on it through
/// `delegatecall` from the entry program). Fields are append-only: the pool is upgraded behind
/// a proxy. The program table lives in its own ERC-7201 namespace (`dseq_program::table`).
#[storage]
pub struct PoolState {
    pub initializable: Initializable,
    pub access: AccessControl,
    pub pausable: Pausable,
    /// The staked token (METIS).
    pub token: StorageAddress,
    /// Source of compounded rewards; zero disables compounding.
    pub reward_distributor: StorageAddress,
    pub min_lock: StorageU256,
    pub max_lock: StorageU256,
    /// Seconds an exit or a partial withdrawal waits before it can be claimed.
    pub exit_delay_period: StorageU64,
    /// Minimum seconds between two signer rotations of a sequencer.
    pub signer_update_throttle: StorageU64,
    /// How many unclaimed withdrawal requests a sequencer may have.
    pub max_withdrawal_requests: StorageU64,
    /// The last sequencer id handed out (ids start at 1).
    pub total_sequencers: StorageU256,
    pub active_sequencers: StorageU256,
    /// Stake of Active and Inactive sequencers (not yet paid out). 128 bits, sharing a slot
    /// with `total_pending_withdrawals`: a withdrawal request moves stake from one to the other
    /// and so rewrites one slot. [`PoolState::add_locked`] keeps both in range.
    pub total_locked: StorageU128,
    /// Requested partial withdrawals not yet claimed.
    pub total_pending_withdrawals: StorageU128,
    /// Owners admitted to register (Metis's whitelist).
    pub whitelist: StorageMap<Address, StorageBool>,
    /// Owner to its live sequencer (0 = none); cleared when the exit is claimed.
    pub seq_owners: StorageMap<Address, StorageU256>,
    /// Signer to the sequencer it served; never cleared, so a signer is never reused and old
    /// signers still resolve to their sequencer for reward attribution.
    pub seq_signers: StorageMap<Address, StorageU256>,
    pub sequencers: StorageMap<U256, Sequencer>,
    /// metis-votes, told of every change of an owner's counting stake (zero: none).
    pub votes: StorageAddress,
    /// The LST registry: names each sequencer's delegate and each LST's terms (zero: none).
    pub lst_registry: StorageAddress,
    /// Each LST's delegated stake, terms and withdrawal queue.
    pub lsts: StorageMap<Address, LstAccount>,
}

/// One sequencer. Fields are grouped so each operation writes as few slots as possible, and so
/// the recurring ones write no slot that registration left zero, except a withdrawal request
/// its own: a request or a relock rewrites the first slot (stake, nonce, next request id), a
/// claim the second (owner, status, next request to claim), which it reads anyway.
///
/// Its partial withdrawals are a FIFO of at most `max_withdrawal_requests` open requests
/// `[next_to_claim, next_request_id)`, maturing in order. The two counters live in the slots an
/// operation on the queue already reads or writes, not in a slot of their own that the first
/// request would take from zero.
#[storage]
pub struct Sequencer {
    /// Counting stake: at most `maxLock`, which `check_lock_bounds` keeps below 2^128.
    pub amount: StorageU128,
    /// Bumped by every change an off-chain indexer must order (Metis's discipline); beside the
    /// stake, since every stake change bumps it.
    pub nonce: StorageU64,
    /// The id the next withdrawal request gets (ids start at 0).
    pub next_request_id: StorageU64,
    pub owner: StorageAddress,
    pub status: StorageU8,
    /// The oldest unclaimed request; beside the owner and status a claim checks.
    pub next_to_claim: StorageU64,
    pub signer: StorageAddress,
    pub signer_updated_at: StorageU64,
    pub reward_recipient: StorageAddress,
    pub activation_time: StorageU64,
    pub pending_owner: StorageAddress,
    pub deactivation_time: StorageU64,
    pub unlock_claim_time: StorageU64,
    /// The withdrawal requests by id; claimed ones are zeroed.
    pub withdrawal_requests: StorageMap<u64, WithdrawalRequest>,
    /// The paired LST, named by the registry (zero: none), and its counting stake here, which
    /// its cap keeps below 2^96: one slot, which a delegated deposit reads and writes.
    pub delegate: StorageAddress,
    pub delegated: StorageU96,
}

/// An LST's account. The first slot is what a deposit checks and changes (its stake across
/// sequencers and its terms); the second its queue's counters and total.
#[storage]
pub struct LstAccount {
    /// Counting stake across sequencers.
    pub staked: StorageU128,
    pub cap: StorageU96,
    /// May add stake (the registry's Active).
    pub open: StorageBool,
    /// Queued, not yet claimed.
    pub pending: StorageU128,
    pub next_request_id: StorageU64,
    pub next_to_claim: StorageU64,
    /// The withdrawal requests by id, maturing in order; claimed ones are zeroed.
    pub requests: StorageMap<u64, DelegatedWithdrawal>,
}

/// One request of an LST, in one slot: the sequencer it left is kept for the LST's books.
#[storage]
pub struct DelegatedWithdrawal {
    pub amount: StorageU128,
    pub claimable_at: StorageU64,
    pub sequencer_id: StorageU64,
}

/// One partial withdrawal, packed in a single slot.
#[storage]
pub struct WithdrawalRequest {
    pub amount: StorageU128,
    pub claimable_at: StorageU64,
}
}

// ==================================================================================== errors

dseq_kit::errors! {
/// Every failure a caller can trigger. Events and errors are defined once, in
/// `contracts/interfaces/ILockingPool.sol`, and generated into `dseq_abi`; each variant names
/// its fields in declaration order for the compact encoder.
pub enum Error {
    NotWhitelisted(NotWhitelisted) { account },
    OwnedSequencer(OwnedSequencer) { owner, sequencerId },
    SignerExisted(SignerExisted) { signer },
    NoSuchSeq(NoSuchSeq) { sequencerId },
    NullAddress(NullAddress) {},
    SeqNotActive(SeqNotActive) { sequencerId, status },
    SeqNotInactive(SeqNotInactive) { sequencerId, status },
    NotSeqOwner(NotSeqOwner) { sequencerId, caller },
    NotSeqOwnerOrSigner(NotSeqOwnerOrSigner) { sequencerId, caller },
    NotPendingOwner(NotPendingOwner) { sequencerId, caller },
    InvalidProofLength(InvalidProofLength) { length },
    InvalidSignerProof(InvalidSignerProof) { signer },
    InvalidLockAmount(InvalidLockAmount) { amount, minLock, maxLock },
    LockAboveMax(LockAboveMax) { newAmount, maxLock },
    NoNewLockedAdded(NoNewLockedAdded) {},
    ZeroWithdrawal(ZeroWithdrawal) {},
    WithdrawalExceedsStake(WithdrawalExceedsStake) { amount, stake },
    WithdrawalBelowMinLock(WithdrawalBelowMinLock) { remaining, minLock },
    TooManyWithdrawalRequests(TooManyWithdrawalRequests) { sequencerId, open, maxRequests },
    NothingToClaim(NothingToClaim) { sequencerId, nextClaimableAt },
    UnlockNotReady(UnlockNotReady) { sequencerId, unlockClaimTime, now },
    SignerRotationTooSoon(SignerRotationTooSoon) { sequencerId, nextAllowedAt },
    InvalidLockBounds(InvalidLockBounds) { minLock, maxLock },
    InvalidExitDelay(InvalidExitDelay) { delay, maxDelay },
    InvalidSignerRotationDelay(InvalidSignerRotationDelay) { delay, maxDelay },
    PublicKeyProofRefused(PublicKeyProofRefused) { signer },
    OpenWithdrawalRequests(OpenWithdrawalRequests) { sequencerId, open },
    InvalidMaxWithdrawalRequests(InvalidMaxWithdrawalRequests) { maxRequests, cap },
    NoRewardDistributor(NoRewardDistributor) {},
    RewardCompoundMismatch(RewardCompoundMismatch) { reported, received },
    RewardCompoundFailed(CompoundFailed as RewardCompoundFailed) { distributor, reason },
    RewardSettlementFailed(CompoundFailed as RewardSettlementFailed) { distributor, reason },
    StakeReportFailed(ReportFailed as StakeReportFailed) { votes, reason },
    VotingTokenAlreadySet(VotingTokenAlreadySet) { votes },
    StakeAlreadyLocked(StakeAlreadyLocked) { totalLocked },
    AccessControlUnauthorizedAccount(access::AccessControlUnauthorizedAccount) { account, neededRole },
    AccessControlBadConfirmation(access::AccessControlBadConfirmation) {},
    AccessControlInvalidDefaultAdmin(access::AccessControlInvalidDefaultAdmin) { defaultAdmin },
    AccessControlEnforcedDefaultAdminRules(access::AccessControlEnforcedDefaultAdminRules) {},
    AccessControlEnforcedDefaultAdminDelay(access::AccessControlEnforcedDefaultAdminDelay) { schedule },
    EnforcedPause(pausable::EnforcedPause) {},
    ExpectedPause(pausable::ExpectedPause) {},
    InvalidInitialization(initializable::InvalidInitialization) {},
    TokenCallFailed(token::CallFailed as token::TokenCallFailed) { token, reason },
    ECDSAInvalidSignature(ecdsa::ECDSAInvalidSignature) {},
    ECDSAInvalidSignatureS(ecdsa::ECDSAInvalidSignatureS) { s },
    NotLstRegistry(NotLstRegistry) { caller },
    NotSequencerDelegate(NotSequencerDelegate) { sequencerId, caller },
    LstDepositsClosed(LstDepositsClosed) { lst },
    LstCapExceeded(LstCapExceeded) { lst, staked, amount, cap },
    NoMaturedDelegatedWithdrawal(NoMaturedDelegatedWithdrawal) { lst, nextClaimableAt },
    ProgramsNotInstalled(program::ProgramsNotInstalled) { build },
    ProgramCountMismatch(program::ProgramCountMismatch) { expected, given },
    ProgramHasNoCode(program::ProgramHasNoCode) { index, program },
    ProgramMismatch(program::ProgramMismatch) { index, program, expectedBuild, build, answeredIndex },
}
}

dseq_program::from_table_errors!(Error);

/// The fields of `StakeReportFailed` (`reason` as plain bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFailed {
    pub votes: Address,
    pub reason: Vec<u8>,
}

/// The fields of `RewardCompoundFailed` and `RewardSettlementFailed` (`reason` as plain bytes,
/// see `dseq_kit::errors!`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompoundFailed {
    pub distributor: Address,
    pub reason: Vec<u8>,
}

dseq_kit::from_kit_errors!(Error: access, pausable, initializable, token);

impl From<ecdsa::Error> for Error {
    fn from(e: ecdsa::Error) -> Self {
        match e {
            ecdsa::Error::InvalidSignature(e) => Self::ECDSAInvalidSignature(e),
            // Only 65-byte proofs reach `recover`; kept total for safety.
            ecdsa::Error::InvalidSignatureLength(e) => Self::InvalidProofLength(InvalidProofLength { length: e.length }),
            ecdsa::Error::InvalidSignatureS(e) => Self::ECDSAInvalidSignatureS(e),
        }
    }
}

/// `NullAddress()`.
pub fn null_address() -> Error {
    Error::NullAddress(NullAddress {})
}

/// `SeqNotActive(id, status)`.
pub fn not_active(sequencer_id: U256, status: Status) -> Error {
    Error::SeqNotActive(SeqNotActive { sequencerId: sequencer_id, status: status as u8 })
}

// ==================================================================================== shared logic

impl PoolState {
    /// The caller, if it holds `role`.
    #[inline(never)]
    pub fn only_role(&self, role: B256) -> Result<Address, Error> {
        let caller = self.vm().msg_sender();
        self.access.check_role(role, caller)?;
        Ok(caller)
    }

    /// The sequencer's status (`Unavailable` for unknown ids).
    #[inline(never)]
    pub fn status_of(&self, sequencer_id: U256) -> Status {
        Status::from_code(self.sequencers.getter(sequencer_id).status.get().to())
    }

    /// `account` is admitted as a sequencer owner.
    #[inline(never)]
    pub fn require_whitelisted(&self, account: Address) -> Result<(), Error> {
        if self.whitelist.get(account) {
            Ok(())
        } else {
            Err(Error::NotWhitelisted(NotWhitelisted { account }))
        }
    }

    /// `owner` may take on a sequencer: admitted, and without a live one.
    /// `owner` may take on a sequencer: admitted, and without a live one.
    pub fn require_can_own(&self, owner: Address) -> Result<(), Error> {
        self.require_whitelisted(owner)?;
        let owned = self.seq_owners.get(owner);
        if !owned.is_zero() {
            return Err(Error::OwnedSequencer(OwnedSequencer { owner, sequencerId: owned }));
        }
        Ok(())
    }

    /// The sequencer exists and is Active.
    #[inline(never)]
    pub fn require_active(&self, sequencer_id: U256) -> Result<(), Error> {
        match self.status_of(sequencer_id) {
            Status::Active => Ok(()),
            Status::Unavailable => Err(Error::NoSuchSeq(NoSuchSeq { sequencerId: sequencer_id })),
            status => Err(not_active(sequencer_id, status)),
        }
    }

    /// The sequencer exists and `caller` owns it (any status).
    #[inline(never)]
    pub fn require_owner(&self, sequencer_id: U256, caller: Address) -> Result<(), Error> {
        let seq = self.sequencers.getter(sequencer_id);
        if Status::from_code(seq.status.get().to()) == Status::Unavailable {
            return Err(Error::NoSuchSeq(NoSuchSeq { sequencerId: sequencer_id }));
        }
        if seq.owner.get() != caller {
            return Err(Error::NotSeqOwner(NotSeqOwner { sequencerId: sequencer_id, caller }));
        }
        Ok(())
    }

    /// The sequencer is Active and `caller` owns it.
    pub fn require_active_owner(&self, sequencer_id: U256, caller: Address) -> Result<(), Error> {
        self.require_active(sequencer_id)?;
        self.require_owner(sequencer_id, caller)
    }

    /// Checks that `proof` shows possession of `signer`'s key on behalf of `owner`: a signature
    /// by `signer` of [`Self::signer_proof_digest`], which binds the key to this owner, pool and
    /// chain. Metis's 64-byte public key is refused: a public key is public once its key has
    /// signed anything, so it would let anyone register (and so burn) another operator's signer.
    /// No nonce or deadline is needed: a signer serves one sequencer ever (`seq_signers` is never
    /// cleared), so a proof can be used once, and only by the owner it names.
    pub fn verify_signer_proof(&self, owner: Address, signer: Address, proof: &[u8]) -> Result<(), Error> {
        if signer.is_zero() {
            return Err(null_address());
        }
        let proven = match proof.len() {
            65 => ecdsa::recover(self.vm(), self.signer_proof_digest(owner), proof)?,
            64 => return Err(Error::PublicKeyProofRefused(PublicKeyProofRefused { signer })),
            length => return Err(Error::InvalidProofLength(InvalidProofLength { length: U256::from(length) })),
        };
        if proven != signer {
            return Err(Error::InvalidSignerProof(InvalidSignerProof { signer }));
        }
        Ok(())
    }

    /// The sequencer has no unclaimed withdrawal request. Requested METIS left the stake for the
    /// owner who asked for it, so the sequencer only changes hands once it is claimed.
    pub fn require_no_open_withdrawals(&self, sequencer_id: U256) -> Result<(), Error> {
        let seq = self.sequencers.getter(sequencer_id);
        let open = store::u64(&seq.next_request_id) - store::u64(&seq.next_to_claim);
        if open == 0 {
            Ok(())
        } else {
            Err(Error::OpenWithdrawalRequests(OpenWithdrawalRequests { sequencerId: sequencer_id, open: U256::from(open) }))
        }
    }

    /// `signer` has never served a sequencer.
    #[inline(never)]
    pub fn require_fresh_signer(&self, signer: Address) -> Result<(), Error> {
        if self.seq_signers.get(signer).is_zero() {
            Ok(())
        } else {
            Err(Error::SignerExisted(SignerExisted { signer }))
        }
    }

    /// Moves an active sequencer to Inactive: it stops counting, and its stake becomes
    /// claimable after the exit delay. Returns the owner and the stake that stopped counting.
    pub fn start_exit(&mut self, sequencer_id: U256, forced: bool) -> (Address, U256) {
        let now = self.vm().block_timestamp();
        let unlock_claim_time = now.saturating_add(store::u64(&self.exit_delay_period));
        let mut seq = self.sequencers.setter(sequencer_id);
        let nonce = seq.nonce.get() + U64::from(1);
        seq.status.set(U8::from(Status::Inactive as u8));
        seq.nonce.set(nonce);
        seq.deactivation_time.set(U64::from(now));
        seq.unlock_claim_time.set(U64::from(unlock_claim_time));
        seq.pending_owner.set(Address::ZERO);
        let (signer, amount, owner) = (seq.signer.get(), store::u128(&seq.amount), seq.owner.get());
        let active_sequencers = store::u256(&self.active_sequencers) - U256::from(1);
        store::set_u256(&mut self.active_sequencers, active_sequencers);
        emit!(self.vm(), UnlockInit { indexed: [signer, sequencer_id], data: [nonce, now, unlock_claim_time, amount, forced] });
        (owner, amount)
    }

    /// Moves `amount` of `lst`'s counting stake in the sequencer into the LST's withdrawal
    /// queue, maturing after the exit delay (and never before the request ahead of it). Both
    /// the LST's own requests and every unwinding (an unpairing, an exit) come here; it calls
    /// no one and cannot fail, so no LST and no full queue can block an operator's exit. The
    /// queue has no length limit: claims pay at most `MAX_DELEGATED_CLAIMS` per call.
    pub fn queue_delegated(&mut self, sequencer_id: U256, lst: Address, amount: U256, unwound: bool) -> U256 {
        let now = self.vm().block_timestamp();
        let delay = store::u64(&self.exit_delay_period);
        let mut seq = self.sequencers.setter(sequencer_id);
        let left = store::u96(&seq.delegated) - amount;
        store::set_u96(&mut seq.delegated, left);
        let mut account = self.lsts.setter(lst);
        let (first, request_id) = (store::u64(&account.next_to_claim), store::u64(&account.next_request_id));
        let previous = (request_id > first).then(|| store::u64(&account.requests.getter(request_id - 1).claimable_at));
        let claimable_at = rules::withdrawal_matures_at(now, delay, previous);
        let mut request = account.requests.setter(request_id);
        // `amount <= delegated < 2^96`.
        store::set_u128(&mut request.amount, amount);
        store::set_u64(&mut request.claimable_at, claimable_at);
        store::set_u64(&mut request.sequencer_id, sequencer_id.saturating_to());
        store::set_u64(&mut account.next_request_id, request_id + 1);
        // `amount` is part of the LST's stake, and of `total_locked`; the sum of the totals,
        // which `add_locked` bounds, does not change.
        let staked = store::u128(&account.staked) - amount;
        store::set_u128(&mut account.staked, staked);
        let pending = store::u128(&account.pending) + amount;
        store::set_u128(&mut account.pending, pending);
        let total_locked = store::u128(&self.total_locked) - amount;
        store::set_u128(&mut self.total_locked, total_locked);
        let total_pending_withdrawals = store::u128(&self.total_pending_withdrawals) + amount;
        store::set_u128(&mut self.total_pending_withdrawals, total_pending_withdrawals);
        let request_id = U256::from(request_id);
        emit!(self.vm(), DelegatedWithdrawalRequested {
            indexed: [lst, request_id, sequencer_id],
            data: [amount, claimable_at, unwound],
        });
        request_id
    }

    /// Unwinds the delegate's whole stake in the sequencer into its queue. Returns the delegate
    /// and the stake that stopped counting (zero: nothing to unwind).
    pub fn unwind_delegated(&mut self, sequencer_id: U256) -> (Address, U256) {
        let seq = self.sequencers.getter(sequencer_id);
        let (lst, amount) = (seq.delegate.get(), store::u96(&seq.delegated));
        if !amount.is_zero() {
            self.queue_delegated(sequencer_id, lst, amount, true);
        }
        (lst, amount)
    }

    /// Adds `added` (new stake) to `total_locked` and returns the new total, or fails if the
    /// pool's totals would leave their 128 bits (see [`rules::locked_total_after`]).
    #[inline(never)]
    pub fn add_locked(&mut self, added: U256) -> Result<U256, Error> {
        let total = rules::locked_total_after(
            store::u128(&self.total_locked),
            store::u128(&self.total_pending_withdrawals),
            added,
        )?;
        store::set_u128(&mut self.total_locked, total);
        Ok(total)
    }

    /// The EIP-712 digest a signer key signs to serve `owner` in this pool on this chain.
    pub fn signer_proof_digest(&self, owner: Address) -> B256 {
        let domain = eip712::domain_separator(
            EIP712_NAME,
            EIP712_VERSION,
            self.vm().chain_id(),
            self.vm().contract_address(),
        );
        eip712::typed_data_digest(domain, keccak256((SIGNER_PROOF_TYPEHASH, owner).abi_encode()))
    }
}

#[cfg(test)]
mod layout_tests {
    /// The committed layout. The pool lives behind a proxy, so its storage may only grow at
    /// the end: a change here must be an append, made on purpose (update the file with it).
    const COMMITTED: &str = include_str!("../../../contracts/locking-pool/storage-layout.txt");

    #[test]
    fn storage_layout_matches_the_committed_file() {
        if super::STORAGE_LAYOUT != COMMITTED {
            panic!(
                "locking-pool's storage layout changed. If on purpose (fields appended only), write this \
                 into contracts/locking-pool/storage-layout.txt:\n{}",
                super::STORAGE_LAYOUT
            );
        }
    }
}
