//! # locking-pool
//!
//! Sequencer operators lock METIS here to run a sequencer: registration with a proof that the
//! operator holds the signer key, top-ups and reward compounding, partial withdrawals that wait
//! out the exit delay in a bounded queue, full exits (voluntary or forced by governance), signer
//! rotation and owner transfer. The pool holds every token it accounts for, so at all times
//!
//! ```text
//! token.balanceOf(pool) >= totalLocked + totalPendingWithdrawals
//! ```
//!
//! with equality unless someone sends tokens to the pool directly.
//!
//! It ports Metis's `LockingPool`/`LockingInfo` (names kept where the meaning is the same) and
//! fixes the defects listed in `reference/metis-locking-pool.md` section 6: partial withdrawals
//! are queued through the exit delay instead of paid at once; every failure is a named error
//! (no arithmetic panic); exits and claims never need admission or an unpaused pool; a forced
//! exit never needs a reward recipient; the owner can rotate a lost signer; old signers keep
//! resolving to their sequencer; parameters are validated both ways.
//!
//! Roles: `DEFAULT_ADMIN_ROLE` (the timelock: parameters, forced exits, roles),
//! `ADMISSION_ROLE` (the sequencer election, and governance: admits owners), `PAUSER_ROLE`.
//! The contract lives behind an ERC-1967 proxy: `initialize` sets it up once, and the
//! implementation's constructor disables initialization of the bare implementation.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
extern crate alloc;

pub mod rules;

use alloc::{vec, vec::Vec};

use alloy_primitives::{keccak256, Address, B256, U128, U256, U64, U8};
use alloy_sol_types::{SolCall, SolValue};
use dseq_abi::{
    locking_pool::{
        ILockingPool::*, Status, ADMISSION_ROLE, DEFAULT_EXIT_DELAY, DEFAULT_MAX_LOCK,
        DEFAULT_MAX_WITHDRAWAL_REQUESTS, DEFAULT_MIN_LOCK, DEFAULT_SIGNER_UPDATE_THROTTLE, EIP712_NAME,
        EIP712_VERSION, PAUSER_ROLE, SIGNER_PROOF_TYPEHASH,
    },
    rewards::IRewardCompounder,
};
use dseq_kit::{
    emit,
    access::{self, AccessControl, DEFAULT_ADMIN_ROLE},
    ecdsa, eip712,
    initializable::{self, Initializable},
    pausable::{self, Pausable},
    token,
};
use stylus_sdk::{
    abi::Bytes,
    call::call,
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU128, StorageU256, StorageU64, StorageU8},
};

// ==================================================================================== storage

/// The pool. Fields are append-only: the contract is upgraded behind a proxy.
#[storage]
#[entrypoint]
pub struct LockingPool {
    initializable: Initializable,
    access: AccessControl,
    pausable: Pausable,
    /// The staked token (METIS).
    token: StorageAddress,
    /// Source of compounded rewards; zero disables compounding.
    reward_distributor: StorageAddress,
    min_lock: StorageU256,
    max_lock: StorageU256,
    /// Seconds an exit or a partial withdrawal waits before it can be claimed.
    exit_delay_period: StorageU64,
    /// Minimum seconds between two signer rotations of a sequencer.
    signer_update_throttle: StorageU64,
    /// How many unclaimed withdrawal requests a sequencer may have.
    max_withdrawal_requests: StorageU64,
    /// The last sequencer id handed out (ids start at 1).
    total_sequencers: StorageU256,
    active_sequencers: StorageU256,
    /// Stake of Active and Inactive sequencers (not yet paid out).
    total_locked: StorageU256,
    /// Requested partial withdrawals not yet claimed.
    total_pending_withdrawals: StorageU256,
    /// Owners admitted to register (Metis's whitelist).
    whitelist: StorageMap<Address, StorageBool>,
    /// Owner to its live sequencer (0 = none); cleared when the exit is claimed.
    seq_owners: StorageMap<Address, StorageU256>,
    /// Signer to the sequencer it served; never cleared, so a signer is never reused and old
    /// signers still resolve to their sequencer for reward attribution.
    seq_signers: StorageMap<Address, StorageU256>,
    sequencers: StorageMap<U256, Sequencer>,
    withdrawals: StorageMap<U256, WithdrawalQueue>,
}

/// One sequencer. Fields are grouped so each operation writes as few slots as possible.
#[storage]
pub struct Sequencer {
    /// Counting stake.
    amount: StorageU256,
    owner: StorageAddress,
    status: StorageU8,
    /// Bumped by every change an off-chain indexer must order (Metis's discipline).
    nonce: StorageU64,
    signer: StorageAddress,
    signer_updated_at: StorageU64,
    reward_recipient: StorageAddress,
    activation_time: StorageU64,
    pending_owner: StorageAddress,
    deactivation_time: StorageU64,
    unlock_claim_time: StorageU64,
}

/// A sequencer's partial withdrawals: a FIFO of at most `max_withdrawal_requests` open entries
/// `[next_to_claim, next_request_id)`, maturing in order.
#[storage]
pub struct WithdrawalQueue {
    next_to_claim: StorageU64,
    next_request_id: StorageU64,
    requests: StorageMap<u64, WithdrawalRequest>,
}

/// One partial withdrawal, packed in a single slot.
#[storage]
pub struct WithdrawalRequest {
    amount: StorageU128,
    claimable_at: StorageU64,
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
    SignerUpdateThrottled(SignerUpdateThrottled) { sequencerId, nextAllowedAt },
    InvalidLockBounds(InvalidLockBounds) { minLock, maxLock },
    InvalidExitDelay(InvalidExitDelay) { delay, maxDelay },
    InvalidSignerUpdateThrottle(InvalidSignerUpdateThrottle) { throttle, maxThrottle },
    InvalidMaxWithdrawalRequests(InvalidMaxWithdrawalRequests) { maxRequests, cap },
    NoRewardDistributor(NoRewardDistributor) {},
    RewardCompoundMismatch(RewardCompoundMismatch) { reported, received },
    RewardCompoundFailed(RewardCompoundFailed) { distributor, reason },
    AccessControlUnauthorizedAccount(access::AccessControlUnauthorizedAccount) { account, neededRole },
    AccessControlBadConfirmation(access::AccessControlBadConfirmation) {},
    EnforcedPause(pausable::EnforcedPause) {},
    ExpectedPause(pausable::ExpectedPause) {},
    InvalidInitialization(initializable::InvalidInitialization) {},
    TokenCallFailed(token::TokenCallFailed) { token, reason },
    ECDSAInvalidSignature(ecdsa::ECDSAInvalidSignature) {},
    ECDSAInvalidSignatureLength(ecdsa::ECDSAInvalidSignatureLength) { length },
    ECDSAInvalidSignatureS(ecdsa::ECDSAInvalidSignatureS) { s },
}
}

impl From<access::Error> for Error {
    fn from(e: access::Error) -> Self {
        match e {
            access::Error::UnauthorizedAccount(e) => Self::AccessControlUnauthorizedAccount(e),
            access::Error::BadConfirmation(e) => Self::AccessControlBadConfirmation(e),
        }
    }
}

impl From<pausable::Error> for Error {
    fn from(e: pausable::Error) -> Self {
        match e {
            pausable::Error::EnforcedPause(e) => Self::EnforcedPause(e),
            pausable::Error::ExpectedPause(e) => Self::ExpectedPause(e),
        }
    }
}

impl From<initializable::Error> for Error {
    fn from(e: initializable::Error) -> Self {
        match e {
            initializable::Error::InvalidInitialization(e) => Self::InvalidInitialization(e),
        }
    }
}

impl From<token::Error> for Error {
    fn from(e: token::Error) -> Self {
        match e {
            token::Error::TokenCallFailed(e) => Self::TokenCallFailed(e),
        }
    }
}

impl From<ecdsa::Error> for Error {
    fn from(e: ecdsa::Error) -> Self {
        match e {
            ecdsa::Error::InvalidSignature(e) => Self::ECDSAInvalidSignature(e),
            ecdsa::Error::InvalidSignatureLength(e) => Self::ECDSAInvalidSignatureLength(e),
            ecdsa::Error::InvalidSignatureS(e) => Self::ECDSAInvalidSignatureS(e),
        }
    }
}

// ==================================================================================== ABI

#[public]
impl LockingPool {
    /// Runs once, on the implementation: nobody may initialize the bare implementation.
    #[constructor]
    pub fn constructor(&mut self) {
        self.initializable.disable();
    }

    /// Sets up a proxy's storage: `admin` (the timelock) gets every role, `token` is METIS,
    /// parameters take Metis's defaults. Once only.
    pub fn initialize(&mut self, admin: Address, token: Address) -> Result<(), Error> {
        self.initializable.initialize()?;
        if admin.is_zero() || token.is_zero() {
            return Err(null_address());
        }
        let sender = self.vm().msg_sender();
        for role in [DEFAULT_ADMIN_ROLE, ADMISSION_ROLE, PAUSER_ROLE] {
            self.access.grant(role, admin, sender);
        }
        self.token.set(token);
        self.min_lock.set(DEFAULT_MIN_LOCK);
        self.max_lock.set(DEFAULT_MAX_LOCK);
        self.exit_delay_period.set(U64::from(DEFAULT_EXIT_DELAY));
        self.signer_update_throttle.set(U64::from(DEFAULT_SIGNER_UPDATE_THROTTLE));
        self.max_withdrawal_requests.set(U64::from(DEFAULT_MAX_WITHDRAWAL_REQUESTS));
        emit!(self.vm(), SetMinLock { indexed: [], data: [DEFAULT_MIN_LOCK] });
        emit!(self.vm(), SetMaxLock { indexed: [], data: [DEFAULT_MAX_LOCK] });
        emit!(self.vm(), WithdrawDelayTimeChange { indexed: [], data: [DEFAULT_EXIT_DELAY, 0u64] });
        emit!(self.vm(), SetSignerUpdateThrottle { indexed: [], data: [DEFAULT_SIGNER_UPDATE_THROTTLE] });
        emit!(self.vm(), SetMaxWithdrawalRequests { indexed: [], data: [DEFAULT_MAX_WITHDRAWAL_REQUESTS] });
        Ok(())
    }

    // ------------------------------------------------------------------------ operators

    /// Registers the caller's sequencer, paying rewards to the caller.
    pub fn lock_for(&mut self, signer: Address, amount: U256, signer_proof: Bytes) -> Result<U256, Error> {
        let owner = self.vm().msg_sender();
        self.register(owner, signer, owner, amount, &signer_proof)
    }

    /// Registers the caller's sequencer, paying rewards to `reward_recipient` (LST vaults use this).
    pub fn lock_with_reward_recipient(
        &mut self,
        signer: Address,
        reward_recipient: Address,
        amount: U256,
        signer_proof: Bytes,
    ) -> Result<U256, Error> {
        let owner = self.vm().msg_sender();
        self.register(owner, signer, reward_recipient, amount, &signer_proof)
    }

    /// Adds `amount` tokens to the stake and, if `lock_reward`, the sequencer's rewards.
    pub fn relock(&mut self, sequencer_id: U256, amount: U256, lock_reward: bool) -> Result<(), Error> {
        self.pausable.when_not_paused()?;
        let owner = self.vm().msg_sender();
        self.require_active_owner(sequencer_id, owner)?;
        self.require_whitelisted(owner)?;
        self.add_stake(sequencer_id, owner, amount, lock_reward)
    }

    /// Moves `amount` out of the stake into the withdrawal queue; claimable after the exit delay.
    pub fn request_withdrawal(&mut self, sequencer_id: U256, amount: U256) -> Result<U256, Error> {
        self.pausable.when_not_paused()?;
        let owner = self.vm().msg_sender();
        self.require_active_owner(sequencer_id, owner)?;
        self.queue_withdrawal(sequencer_id, amount)
    }

    /// Pays every matured withdrawal request to the owner. Open while paused and after exit.
    pub fn claim_withdrawals(&mut self, sequencer_id: U256) -> Result<U256, Error> {
        let owner = self.vm().msg_sender();
        self.require_owner(sequencer_id, owner)?;
        self.pay_matured_withdrawals(sequencer_id, owner)
    }

    /// Starts the exit. Open while paused and to revoked owners.
    pub fn unlock(&mut self, sequencer_id: U256) -> Result<(), Error> {
        let owner = self.vm().msg_sender();
        self.require_active_owner(sequencer_id, owner)?;
        self.start_exit(sequencer_id, false);
        Ok(())
    }

    /// Pays the exited stake to the owner once the delay has passed. Open while paused.
    pub fn unlock_claim(&mut self, sequencer_id: U256) -> Result<U256, Error> {
        let owner = self.vm().msg_sender();
        self.require_owner(sequencer_id, owner)?;
        self.finish_exit(sequencer_id, owner)
    }

    /// Rotates the signer key. The owner may do it too, to recover from a lost signer key.
    pub fn update_signer(&mut self, sequencer_id: U256, signer: Address, signer_proof: Bytes) -> Result<(), Error> {
        self.pausable.when_not_paused()?;
        self.rotate_signer(sequencer_id, self.vm().msg_sender(), signer, &signer_proof)
    }

    /// Changes where rewards are paid. Allowed while Active or Inactive.
    pub fn set_sequencer_reward_recipient(&mut self, sequencer_id: U256, recipient: Address) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        self.require_owner(sequencer_id, caller)?;
        let status = self.status_of(sequencer_id);
        if !matches!(status, Status::Active | Status::Inactive) {
            return Err(not_active(sequencer_id, status));
        }
        if recipient.is_zero() {
            return Err(null_address());
        }
        self.sequencers.setter(sequencer_id).reward_recipient.set(recipient);
        emit!(self.vm(), SequencerRewardRecipientChanged { indexed: [sequencer_id], data: [recipient] });
        Ok(())
    }

    /// Proposes `new_owner` (zero cancels a proposal); it takes effect when they accept.
    pub fn set_sequencer_owner(&mut self, sequencer_id: U256, new_owner: Address) -> Result<(), Error> {
        let owner = self.vm().msg_sender();
        self.require_active_owner(sequencer_id, owner)?;
        if !new_owner.is_zero() {
            self.require_can_own(new_owner)?;
        }
        self.sequencers.setter(sequencer_id).pending_owner.set(new_owner);
        emit!(self.vm(), SequencerOwnerTransferStarted { indexed: [sequencer_id, owner, new_owner], data: [] });
        Ok(())
    }

    /// Completes an owner transfer; the caller must be the proposed owner and still eligible.
    pub fn accept_sequencer_owner(&mut self, sequencer_id: U256) -> Result<(), Error> {
        let new_owner = self.vm().msg_sender();
        if self.sequencers.getter(sequencer_id).pending_owner.get() != new_owner || new_owner.is_zero() {
            return Err(Error::NotPendingOwner(NotPendingOwner { sequencerId: sequencer_id, caller: new_owner }));
        }
        self.require_active(sequencer_id)?;
        self.require_can_own(new_owner)?;
        let mut seq = self.sequencers.setter(sequencer_id);
        let old_owner = seq.owner.get();
        seq.owner.set(new_owner);
        seq.pending_owner.set(Address::ZERO);
        self.seq_owners.delete(old_owner);
        self.seq_owners.setter(new_owner).set(sequencer_id);
        emit!(self.vm(), SequencerOwnerChanged { indexed: [sequencer_id], data: [new_owner] });
        Ok(())
    }

    // ------------------------------------------------------------------------ governance

    /// Starts the exit of an active sequencer. Works while paused and without a recipient.
    pub fn force_unlock(&mut self, sequencer_id: U256) -> Result<(), Error> {
        self.only_role(DEFAULT_ADMIN_ROLE)?;
        self.require_active(sequencer_id)?;
        self.start_exit(sequencer_id, true);
        Ok(())
    }

    /// Admits or revokes a sequencer owner. Revocation never blocks exits or claims.
    pub fn set_whitelist(&mut self, user: Address, yes: bool) -> Result<(), Error> {
        self.only_role(ADMISSION_ROLE)?;
        if user.is_zero() {
            return Err(null_address());
        }
        self.whitelist.setter(user).set(yes);
        emit!(self.vm(), SetWhitelist { indexed: [user], data: [yes] });
        Ok(())
    }

    pub fn set_min_lock(&mut self, min_lock: U256) -> Result<(), Error> {
        self.only_role(DEFAULT_ADMIN_ROLE)?;
        rules::check_lock_bounds(min_lock, self.max_lock.get())?;
        self.min_lock.set(min_lock);
        emit!(self.vm(), SetMinLock { indexed: [], data: [min_lock] });
        Ok(())
    }

    pub fn set_max_lock(&mut self, max_lock: U256) -> Result<(), Error> {
        self.only_role(DEFAULT_ADMIN_ROLE)?;
        rules::check_lock_bounds(self.min_lock.get(), max_lock)?;
        self.max_lock.set(max_lock);
        emit!(self.vm(), SetMaxLock { indexed: [], data: [max_lock] });
        Ok(())
    }

    /// Sets the exit delay for future exits and withdrawal requests.
    pub fn update_withdraw_delay_time_value(&mut self, delay: u64) -> Result<(), Error> {
        self.only_role(DEFAULT_ADMIN_ROLE)?;
        rules::check_exit_delay(delay)?;
        let prev = self.exit_delay_period.get();
        self.exit_delay_period.set(U64::from(delay));
        emit!(self.vm(), WithdrawDelayTimeChange { indexed: [], data: [delay, prev] });
        Ok(())
    }

    pub fn set_signer_update_throttle(&mut self, throttle: u64) -> Result<(), Error> {
        self.only_role(DEFAULT_ADMIN_ROLE)?;
        rules::check_signer_update_throttle(throttle)?;
        self.signer_update_throttle.set(U64::from(throttle));
        emit!(self.vm(), SetSignerUpdateThrottle { indexed: [], data: [throttle] });
        Ok(())
    }

    pub fn set_max_withdrawal_requests(&mut self, max_requests: u64) -> Result<(), Error> {
        self.only_role(DEFAULT_ADMIN_ROLE)?;
        rules::check_max_withdrawal_requests(max_requests)?;
        self.max_withdrawal_requests.set(U64::from(max_requests));
        emit!(self.vm(), SetMaxWithdrawalRequests { indexed: [], data: [max_requests] });
        Ok(())
    }

    /// Sets the reward distributor that compounding pulls from; zero disables compounding.
    pub fn set_reward_distributor(&mut self, distributor: Address) -> Result<(), Error> {
        self.only_role(DEFAULT_ADMIN_ROLE)?;
        let previous = self.reward_distributor.get();
        self.reward_distributor.set(distributor);
        emit!(self.vm(), RewardDistributorChanged { indexed: [], data: [previous, distributor] });
        Ok(())
    }

    pub fn pause(&mut self) -> Result<(), Error> {
        let account = self.only_role(PAUSER_ROLE)?;
        Ok(self.pausable.pause(account)?)
    }

    pub fn unpause(&mut self) -> Result<(), Error> {
        let account = self.only_role(PAUSER_ROLE)?;
        Ok(self.pausable.unpause(account)?)
    }

    pub fn grant_role(&mut self, role: B256, account: Address) -> Result<(), Error> {
        Ok(self.access.grant_role(role, account)?)
    }

    pub fn revoke_role(&mut self, role: B256, account: Address) -> Result<(), Error> {
        Ok(self.access.revoke_role(role, account)?)
    }

    pub fn renounce_role(&mut self, role: B256, caller_confirmation: Address) -> Result<(), Error> {
        Ok(self.access.renounce_role(role, caller_confirmation)?)
    }

    // ------------------------------------------------------------------------ views

    /// `(amount, owner, signer, rewardRecipient, status, nonce, activationTime, signerUpdatedAt,
    /// deactivationTime, unlockClaimTime)`.
    #[allow(clippy::type_complexity)]
    pub fn sequencers(
        &self,
        sequencer_id: U256,
    ) -> (U256, Address, Address, Address, u8, u64, u64, u64, u64, u64) {
        let seq = self.sequencers.getter(sequencer_id);
        (
            seq.amount.get(),
            seq.owner.get(),
            seq.signer.get(),
            seq.reward_recipient.get(),
            seq.status.get().to(),
            seq.nonce.get().to(),
            seq.activation_time.get().to(),
            seq.signer_updated_at.get().to(),
            seq.deactivation_time.get().to(),
            seq.unlock_claim_time.get().to(),
        )
    }

    pub fn pending_sequencer_owner(&self, sequencer_id: U256) -> Address {
        self.sequencers.getter(sequencer_id).pending_owner.get()
    }

    pub fn seq_owners(&self, owner: Address) -> U256 {
        self.seq_owners.get(owner)
    }

    pub fn seq_signers(&self, signer: Address) -> U256 {
        self.seq_signers.get(signer)
    }

    pub fn whitelist(&self, user: Address) -> bool {
        self.whitelist.get(user)
    }

    /// `(nextToClaim, nextRequestId, pending, claimable)`: the open requests are
    /// `[nextToClaim, nextRequestId)`, `pending` is their total and `claimable` the matured part.
    pub fn withdrawal_queue(&self, sequencer_id: U256) -> (u64, u64, U256, U256) {
        let queue = self.withdrawals.getter(sequencer_id);
        let (first, end) = (queue.next_to_claim.get().to::<u64>(), queue.next_request_id.get().to::<u64>());
        let now = self.vm().block_timestamp();
        let (mut pending, mut claimable) = (U256::ZERO, U256::ZERO);
        for id in first..end {
            let request = queue.requests.getter(id);
            let amount = U256::from(request.amount.get());
            pending += amount;
            if request.claimable_at.get().to::<u64>() <= now {
                claimable += amount;
            }
        }
        (first, end, pending, claimable)
    }

    /// `(amount, claimableAt)` of one request; zeros once claimed.
    pub fn withdrawal_request(&self, sequencer_id: U256, request_id: u64) -> (U256, u64) {
        let queue = self.withdrawals.getter(sequencer_id);
        let request = queue.requests.getter(request_id);
        (U256::from(request.amount.get()), request.claimable_at.get().to())
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

    pub fn token(&self) -> Address {
        self.token.get()
    }

    pub fn reward_distributor(&self) -> Address {
        self.reward_distributor.get()
    }

    pub fn min_lock(&self) -> U256 {
        self.min_lock.get()
    }

    pub fn max_lock(&self) -> U256 {
        self.max_lock.get()
    }

    pub fn exit_delay_period(&self) -> u64 {
        self.exit_delay_period.get().to()
    }

    pub fn signer_update_throttle(&self) -> u64 {
        self.signer_update_throttle.get().to()
    }

    pub fn max_withdrawal_requests(&self) -> u64 {
        self.max_withdrawal_requests.get().to()
    }

    pub fn total_sequencers(&self) -> U256 {
        self.total_sequencers.get()
    }

    pub fn active_sequencers(&self) -> U256 {
        self.active_sequencers.get()
    }

    pub fn total_locked(&self) -> U256 {
        self.total_locked.get()
    }

    pub fn total_pending_withdrawals(&self) -> U256 {
        self.total_pending_withdrawals.get()
    }

    pub fn paused(&self) -> bool {
        self.pausable.paused()
    }

    pub fn has_role(&self, role: B256, account: Address) -> bool {
        self.access.has_role(role, account)
    }

    /// Every role is administered by `DEFAULT_ADMIN_ROLE`.
    pub fn get_role_admin(&self, _role: B256) -> B256 {
        DEFAULT_ADMIN_ROLE
    }

    #[selector(name = "DEFAULT_ADMIN_ROLE")]
    pub fn default_admin_role(&self) -> B256 {
        DEFAULT_ADMIN_ROLE
    }

    #[selector(name = "ADMISSION_ROLE")]
    pub fn admission_role(&self) -> B256 {
        ADMISSION_ROLE
    }

    #[selector(name = "PAUSER_ROLE")]
    pub fn pauser_role(&self) -> B256 {
        PAUSER_ROLE
    }
}

// ==================================================================================== logic

fn null_address() -> Error {
    Error::NullAddress(NullAddress {})
}

fn not_active(sequencer_id: U256, status: Status) -> Error {
    Error::SeqNotActive(SeqNotActive { sequencerId: sequencer_id, status: status as u8 })
}

impl LockingPool {
    #[inline(never)]
    fn only_role(&self, role: B256) -> Result<Address, Error> {
        let caller = self.vm().msg_sender();
        self.access.check_role(role, caller)?;
        Ok(caller)
    }

    #[inline(never)]
    fn status_of(&self, sequencer_id: U256) -> Status {
        Status::from_code(self.sequencers.getter(sequencer_id).status.get().to())
    }

    #[inline(never)]
    fn require_whitelisted(&self, account: Address) -> Result<(), Error> {
        if self.whitelist.get(account) {
            Ok(())
        } else {
            Err(Error::NotWhitelisted(NotWhitelisted { account }))
        }
    }

    /// `owner` may take on a sequencer: admitted, and without a live one.
    fn require_can_own(&self, owner: Address) -> Result<(), Error> {
        self.require_whitelisted(owner)?;
        let owned = self.seq_owners.get(owner);
        if !owned.is_zero() {
            return Err(Error::OwnedSequencer(OwnedSequencer { owner, sequencerId: owned }));
        }
        Ok(())
    }

    #[inline(never)]
    fn require_active(&self, sequencer_id: U256) -> Result<(), Error> {
        match self.status_of(sequencer_id) {
            Status::Active => Ok(()),
            Status::Unavailable => Err(Error::NoSuchSeq(NoSuchSeq { sequencerId: sequencer_id })),
            status => Err(not_active(sequencer_id, status)),
        }
    }

    /// The sequencer exists and `caller` owns it (any status).
    #[inline(never)]
    fn require_owner(&self, sequencer_id: U256, caller: Address) -> Result<(), Error> {
        let seq = self.sequencers.getter(sequencer_id);
        if Status::from_code(seq.status.get().to()) == Status::Unavailable {
            return Err(Error::NoSuchSeq(NoSuchSeq { sequencerId: sequencer_id }));
        }
        if seq.owner.get() != caller {
            return Err(Error::NotSeqOwner(NotSeqOwner { sequencerId: sequencer_id, caller }));
        }
        Ok(())
    }

    fn require_active_owner(&self, sequencer_id: U256, caller: Address) -> Result<(), Error> {
        self.require_active(sequencer_id)?;
        self.require_owner(sequencer_id, caller)
    }

    /// Checks that `proof` shows possession of `signer`'s key on behalf of `owner`: either the
    /// 64-byte public key hashing to `signer` (Metis's form), or a signature by `signer` of
    /// [`Self::signer_proof_digest`]. Only the signature binds the key to this owner, pool and
    /// chain; the public-key form is kept for tools that already submit it.
    fn verify_signer_proof(&self, owner: Address, signer: Address, proof: &[u8]) -> Result<(), Error> {
        if signer.is_zero() {
            return Err(null_address());
        }
        let proven = match proof.len() {
            64 => rules::address_of_pubkey(proof),
            65 => ecdsa::recover(self.vm(), self.signer_proof_digest(owner), proof)?,
            length => return Err(Error::InvalidProofLength(InvalidProofLength { length: U256::from(length) })),
        };
        if proven != signer {
            return Err(Error::InvalidSignerProof(InvalidSignerProof { signer }));
        }
        Ok(())
    }

    #[inline(never)]
    fn require_fresh_signer(&self, signer: Address) -> Result<(), Error> {
        if self.seq_signers.get(signer).is_zero() {
            Ok(())
        } else {
            Err(Error::SignerExisted(SignerExisted { signer }))
        }
    }

    fn register(
        &mut self,
        owner: Address,
        signer: Address,
        reward_recipient: Address,
        amount: U256,
        proof: &[u8],
    ) -> Result<U256, Error> {
        self.pausable.when_not_paused()?;
        if reward_recipient.is_zero() {
            return Err(null_address());
        }
        self.require_can_own(owner)?;
        self.require_fresh_signer(signer)?;
        self.verify_signer_proof(owner, signer, proof)?;
        rules::check_lock_amount(amount, self.min_lock.get(), self.max_lock.get())?;

        let sequencer_id = self.total_sequencers.get() + U256::from(1);
        self.total_sequencers.set(sequencer_id);
        let now = U64::from(self.vm().block_timestamp());
        let mut seq = self.sequencers.setter(sequencer_id);
        seq.amount.set(amount);
        seq.owner.set(owner);
        seq.status.set(U8::from(Status::Active as u8));
        seq.nonce.set(U64::from(1));
        seq.signer.set(signer);
        seq.signer_updated_at.set(now);
        seq.reward_recipient.set(reward_recipient);
        seq.activation_time.set(now);
        self.seq_owners.setter(owner).set(sequencer_id);
        self.seq_signers.setter(signer).set(sequencer_id);
        let total = self.total_locked.get() + amount;
        self.total_locked.set(total);
        self.active_sequencers.set(self.active_sequencers.get() + U256::from(1));

        emit!(self.vm(), Locked { indexed: [signer, sequencer_id, owner], data: [amount, total] });
        emit!(self.vm(), SequencerOwnerChanged { indexed: [sequencer_id], data: [owner] });
        emit!(self.vm(), SequencerRewardRecipientChanged { indexed: [sequencer_id], data: [reward_recipient] });

        let (token, pool) = (self.token.get(), self.vm().contract_address());
        token::safe_transfer_from(self, token, owner, pool, amount)?;
        Ok(sequencer_id)
    }

    fn add_stake(&mut self, sequencer_id: U256, owner: Address, amount: U256, lock_reward: bool) -> Result<(), Error> {
        let (token, pool) = (self.token.get(), self.vm().contract_address());
        if !amount.is_zero() {
            token::safe_transfer_from(self, token, owner, pool, amount)?;
        }
        let reward = if lock_reward { self.take_reward_for_compounding(sequencer_id)? } else { U256::ZERO };
        let added = amount + reward; // both are token amounts the pool now holds: no overflow
        if added.is_zero() {
            return Err(Error::NoNewLockedAdded(NoNewLockedAdded {}));
        }
        let max_lock = self.max_lock.get();
        let mut seq = self.sequencers.setter(sequencer_id);
        let new_amount = rules::relocked_amount(seq.amount.get(), added, max_lock)?;
        let nonce = seq.nonce.get() + U64::from(1);
        seq.amount.set(new_amount);
        seq.nonce.set(nonce);
        let total = self.total_locked.get() + added;
        self.total_locked.set(total);

        if !reward.is_zero() {
            emit!(self.vm(), RewardCompounded { indexed: [sequencer_id], data: [reward] });
        }
        emit!(self.vm(), Relocked { indexed: [sequencer_id], data: [added, total] });
        emit!(self.vm(), LockUpdate { indexed: [sequencer_id, nonce, new_amount], data: [] });
        Ok(())
    }

    /// Pulls the sequencer's rewards from the reward distributor and checks that the tokens
    /// arrived: a distributor that over-reports cannot mint stake out of nothing.
    fn take_reward_for_compounding(&mut self, sequencer_id: U256) -> Result<U256, Error> {
        let distributor = self.reward_distributor.get();
        if distributor.is_zero() {
            return Err(Error::NoRewardDistributor(NoRewardDistributor {}));
        }
        let (token, pool) = (self.token.get(), self.vm().contract_address());
        let before = token::balance_of(self.vm(), token, pool)?;
        let data = IRewardCompounder::claimForCompoundCall { sequencerId: sequencer_id }.abi_encode();
        let ctx = Call::new_mutating(self);
        let out = call(self.vm(), ctx, distributor, &data).map_err(|e| {
            Error::RewardCompoundFailed(RewardCompoundFailed { distributor, reason: Vec::<u8>::from(e).into() })
        })?;
        let reported = IRewardCompounder::claimForCompoundCall::abi_decode_returns(&out).unwrap_or(U256::MAX);
        let after = token::balance_of(self.vm(), token, pool)?;
        let received = after.saturating_sub(before);
        if received != reported {
            return Err(Error::RewardCompoundMismatch(RewardCompoundMismatch { reported, received }));
        }
        Ok(received)
    }

    fn queue_withdrawal(&mut self, sequencer_id: U256, amount: U256) -> Result<U256, Error> {
        let min_lock = self.min_lock.get();
        let max_requests = self.max_withdrawal_requests.get().to::<u64>();
        let now = self.vm().block_timestamp();
        let delay = self.exit_delay_period.get().to::<u64>();

        let stake = self.sequencers.getter(sequencer_id).amount.get();
        let remaining = rules::remaining_after_withdrawal(stake, amount, min_lock)?;
        let mut queue = self.withdrawals.setter(sequencer_id);
        let (first, request_id) = (queue.next_to_claim.get().to::<u64>(), queue.next_request_id.get().to::<u64>());
        let open = request_id - first;
        if open >= max_requests {
            return Err(Error::TooManyWithdrawalRequests(TooManyWithdrawalRequests {
                sequencerId: sequencer_id,
                open: U256::from(open),
                maxRequests: U256::from(max_requests),
            }));
        }
        let previous = (open > 0).then(|| queue.requests.getter(request_id - 1).claimable_at.get().to::<u64>());
        let claimable_at = rules::withdrawal_matures_at(now, delay, previous);
        let mut request = queue.requests.setter(request_id);
        // `amount <= stake <= maxLock <= u128::MAX` (enforced by `check_lock_bounds`).
        request.amount.set(U128::from(amount));
        request.claimable_at.set(U64::from(claimable_at));
        queue.next_request_id.set(U64::from(request_id + 1));

        let mut seq = self.sequencers.setter(sequencer_id);
        let nonce = seq.nonce.get() + U64::from(1);
        seq.amount.set(remaining);
        seq.nonce.set(nonce);
        self.total_locked.set(self.total_locked.get() - amount);
        self.total_pending_withdrawals.set(self.total_pending_withdrawals.get() + amount);

        let request_id = U256::from(request_id);
        emit!(self.vm(), WithdrawalRequested { indexed: [sequencer_id, request_id], data: [amount, claimable_at] });
        emit!(self.vm(), LockUpdate { indexed: [sequencer_id, nonce, remaining], data: [] });
        Ok(request_id)
    }

    fn pay_matured_withdrawals(&mut self, sequencer_id: U256, owner: Address) -> Result<U256, Error> {
        let now = self.vm().block_timestamp();
        let mut queue = self.withdrawals.setter(sequencer_id);
        let (first, end) = (queue.next_to_claim.get().to::<u64>(), queue.next_request_id.get().to::<u64>());
        // At most `MAX_WITHDRAWAL_REQUESTS_CAP` iterations: that many requests can be open.
        let mut next = first;
        let mut paid = U256::ZERO;
        while next < end {
            let mut request = queue.requests.setter(next);
            if request.claimable_at.get().to::<u64>() > now {
                break;
            }
            paid += U256::from(request.amount.get());
            request.amount.set(U128::ZERO);
            request.claimable_at.set(U64::ZERO);
            next += 1;
        }
        if next == first {
            let next_claimable_at =
                if first < end { queue.requests.getter(first).claimable_at.get().to::<u64>() } else { 0 };
            return Err(Error::NothingToClaim(NothingToClaim { sequencerId: sequencer_id, nextClaimableAt: next_claimable_at }));
        }
        queue.next_to_claim.set(U64::from(next));
        self.total_pending_withdrawals.set(self.total_pending_withdrawals.get() - paid);
        emit!(self.vm(), WithdrawalsClaimed { indexed: [sequencer_id, owner], data: [paid, U256::from(first), U256::from(next - first)] });
        let token = self.token.get();
        token::safe_transfer(self, token, owner, paid)?;
        Ok(paid)
    }

    fn start_exit(&mut self, sequencer_id: U256, forced: bool) {
        let now = self.vm().block_timestamp();
        let unlock_claim_time = now.saturating_add(self.exit_delay_period.get().to::<u64>());
        let mut seq = self.sequencers.setter(sequencer_id);
        let nonce = seq.nonce.get() + U64::from(1);
        seq.status.set(U8::from(Status::Inactive as u8));
        seq.nonce.set(nonce);
        seq.deactivation_time.set(U64::from(now));
        seq.unlock_claim_time.set(U64::from(unlock_claim_time));
        seq.pending_owner.set(Address::ZERO);
        let (signer, amount) = (seq.signer.get(), seq.amount.get());
        self.active_sequencers.set(self.active_sequencers.get() - U256::from(1));
        emit!(self.vm(), UnlockInit { indexed: [signer, sequencer_id], data: [nonce, now, unlock_claim_time, amount, forced] });
    }

    fn finish_exit(&mut self, sequencer_id: U256, owner: Address) -> Result<U256, Error> {
        let now = self.vm().block_timestamp();
        let mut seq = self.sequencers.setter(sequencer_id);
        let status = Status::from_code(seq.status.get().to());
        if status != Status::Inactive {
            return Err(Error::SeqNotInactive(SeqNotInactive { sequencerId: sequencer_id, status: status as u8 }));
        }
        let unlock_claim_time = seq.unlock_claim_time.get().to::<u64>();
        if now < unlock_claim_time {
            return Err(Error::UnlockNotReady(UnlockNotReady {
                sequencerId: sequencer_id,
                unlockClaimTime: unlock_claim_time,
                now,
            }));
        }
        let amount = seq.amount.get();
        seq.amount.set(U256::ZERO);
        seq.status.set(U8::from(Status::Unlocked as u8));
        let nonce = seq.nonce.get() + U64::from(1);
        seq.nonce.set(nonce);
        self.seq_owners.delete(owner);
        let total = self.total_locked.get() - amount;
        self.total_locked.set(total);
        emit!(self.vm(), Unlocked { indexed: [owner, sequencer_id], data: [amount, total] });
        let token = self.token.get();
        token::safe_transfer(self, token, owner, amount)?;
        Ok(amount)
    }

    fn rotate_signer(&mut self, sequencer_id: U256, caller: Address, signer: Address, proof: &[u8]) -> Result<(), Error> {
        self.require_active(sequencer_id)?;
        let seq = self.sequencers.getter(sequencer_id);
        let (owner, old_signer) = (seq.owner.get(), seq.signer.get());
        if caller != owner && caller != old_signer {
            return Err(Error::NotSeqOwnerOrSigner(NotSeqOwnerOrSigner { sequencerId: sequencer_id, caller }));
        }
        let next_allowed_at =
            seq.signer_updated_at.get().to::<u64>().saturating_add(self.signer_update_throttle.get().to::<u64>());
        let now = self.vm().block_timestamp();
        if now < next_allowed_at {
            return Err(Error::SignerUpdateThrottled(SignerUpdateThrottled { sequencerId: sequencer_id, nextAllowedAt: next_allowed_at }));
        }
        self.require_fresh_signer(signer)?;
        self.verify_signer_proof(owner, signer, proof)?;

        self.seq_signers.setter(signer).set(sequencer_id);
        let mut seq = self.sequencers.setter(sequencer_id);
        let nonce = seq.nonce.get() + U64::from(1);
        seq.signer.set(signer);
        seq.signer_updated_at.set(U64::from(now));
        seq.nonce.set(nonce);
        emit!(self.vm(), SignerChange { indexed: [sequencer_id, old_signer, signer], data: [nonce] });
        Ok(())
    }
}
