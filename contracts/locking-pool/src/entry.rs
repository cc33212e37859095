//! Program 0 of the pool, its entry: the implementation behind the proxy. It takes stake in
//! (registration, relock and compounding, withdrawal requests), answers the common views, and
//! installs the programs; every other selector is forwarded to `locking-pool-module`.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U128, U256, U64, U8};
use alloy_sol_types::SolCall;
use dseq_abi::{
    locking_pool::{
        ILockingPool::*, Status, ADMISSION_ROLE, DEFAULT_EXIT_DELAY, DEFAULT_MAX_LOCK,
        DEFAULT_MAX_WITHDRAWAL_REQUESTS, DEFAULT_MIN_LOCK, DEFAULT_SIGNER_ROTATION_DELAY, PAUSER_ROLE,
        UPGRADER_ROLE, DEFAULT_ADMIN_DELAY,
    },
    rewards::IRewardCompounder,
};
use dseq_kit::{store, emit, token};
use locking_pool_state::{null_address, rules, CompoundFailed, Error};
use stylus_sdk::{call::call, prelude::*};

use crate::LockingPool;

// ==================================================================================== ABI

#[dseq_program::public(program = 0, programs = 3)]
impl LockingPool {
    /// Runs once, on the implementation: nobody may initialize the bare implementation.
    #[constructor]
    pub fn constructor(&mut self) {
        self.pool.initializable.disable();
    }

    /// Sets up a proxy's storage: `admin` (the timelock) gets every role, `token` is METIS,
    /// `programs` serve the rest of the ABI (as `installPrograms` checks them), parameters
    /// take Metis's defaults. Once only.
    pub fn initialize(&mut self, admin: Address, token: Address, programs: Vec<Address>) -> Result<(), Error> {
        self.pool.initializable.initialize()?;
        if admin.is_zero() || token.is_zero() {
            return Err(null_address());
        }
        dseq_program::table::install::<Self, _>(self.vm(), &programs)?;
        let sender = self.vm().msg_sender();
        self.pool.access.initialize(admin, DEFAULT_ADMIN_DELAY, &[ADMISSION_ROLE, PAUSER_ROLE, UPGRADER_ROLE], sender)?;
        self.pool.token.set(token);
        store::set_u256(&mut self.pool.min_lock, DEFAULT_MIN_LOCK);
        store::set_u256(&mut self.pool.max_lock, DEFAULT_MAX_LOCK);
        self.pool.exit_delay_period.set(U64::from(DEFAULT_EXIT_DELAY));
        self.pool.signer_update_throttle.set(U64::from(DEFAULT_SIGNER_ROTATION_DELAY));
        self.pool.max_withdrawal_requests.set(U64::from(DEFAULT_MAX_WITHDRAWAL_REQUESTS));
        emit!(self.vm(), SetLockBounds { indexed: [], data: [DEFAULT_MIN_LOCK, DEFAULT_MAX_LOCK] });
        emit!(self.vm(), WithdrawDelayTimeChange { indexed: [], data: [DEFAULT_EXIT_DELAY, 0u64] });
        emit!(self.vm(), SignerRotationDelayChanged { indexed: [], data: [DEFAULT_SIGNER_ROTATION_DELAY] });
        emit!(self.vm(), SetMaxWithdrawalRequests { indexed: [], data: [DEFAULT_MAX_WITHDRAWAL_REQUESTS] });
        Ok(())
    }

    // ------------------------------------------------------------------------ operators

    /// Registers the caller's sequencer, paying rewards to the caller.
    pub fn lock_for(&mut self, signer: Address, amount: U256, signer_proof: Vec<u8>) -> Result<U256, Error> {
        let owner = self.vm().msg_sender();
        self.register(owner, signer, owner, amount, &signer_proof)
    }

    /// Registers the caller's sequencer, paying rewards to `reward_recipient` (LST vaults use this).
    pub fn lock_with_reward_recipient(
        &mut self,
        signer: Address,
        reward_recipient: Address,
        amount: U256,
        signer_proof: Vec<u8>,
    ) -> Result<U256, Error> {
        let owner = self.vm().msg_sender();
        self.register(owner, signer, reward_recipient, amount, &signer_proof)
    }

    /// Adds `amount` tokens to the stake and, if `lock_reward`, the sequencer's rewards.
    pub fn relock(&mut self, sequencer_id: U256, amount: U256, lock_reward: bool) -> Result<(), Error> {
        self.pool.pausable.when_not_paused()?;
        let owner = self.vm().msg_sender();
        self.pool.require_active_owner(sequencer_id, owner)?;
        self.pool.require_whitelisted(owner)?;
        self.add_stake(sequencer_id, owner, amount, lock_reward)
    }

    /// Moves `amount` out of the stake into the withdrawal queue; claimable after the exit delay.
    pub fn request_withdrawal(&mut self, sequencer_id: U256, amount: U256) -> Result<U256, Error> {
        self.pool.pausable.when_not_paused()?;
        let owner = self.vm().msg_sender();
        self.pool.require_active_owner(sequencer_id, owner)?;
        self.queue_withdrawal(sequencer_id, amount)
    }

    // ------------------------------------------------------------------------ views

    /// The EIP-712 digest a signer key signs to serve `owner` in this pool on this chain.
    pub fn signer_proof_digest(&self, owner: Address) -> B256 {
        self.pool.signer_proof_digest(owner)
    }

    pub fn token(&self) -> Address {
        self.pool.token.get()
    }

    pub fn min_lock(&self) -> U256 {
        store::u256(&self.pool.min_lock)
    }

    pub fn max_lock(&self) -> U256 {
        store::u256(&self.pool.max_lock)
    }

    /// Seconds (Metis's `uint256` getter).
    pub fn exit_delay_period(&self) -> U256 {
        U256::from(store::u64(&self.pool.exit_delay_period))
    }

    pub fn total_locked(&self) -> U256 {
        store::u256(&self.pool.total_locked)
    }

    pub fn paused(&self) -> bool {
        self.pool.pausable.paused()
    }

    pub fn total_sequencers(&self) -> U256 {
        store::u256(&self.pool.total_sequencers)
    }

    pub fn active_sequencers(&self) -> U256 {
        store::u256(&self.pool.active_sequencers)
    }

    pub fn total_pending_withdrawals(&self) -> U256 {
        store::u256(&self.pool.total_pending_withdrawals)
    }

    pub fn has_role(&self, role: B256, account: Address) -> bool {
        self.pool.access.has_role(role, account)
    }

    pub fn seq_owners(&self, owner: Address) -> U256 {
        self.pool.seq_owners.get(owner)
    }

    pub fn seq_signers(&self, signer: Address) -> U256 {
        self.pool.seq_signers.get(signer)
    }

    pub fn whitelist(&self, user: Address) -> bool {
        self.pool.whitelist.get(user)
    }

    /// Installs the programs after the entry (see `ILockingPool.installPrograms`). Lives in
    /// the entry program, so no install can remove the means to install again.
    pub fn install_programs(&mut self, programs: Vec<Address>) -> Result<(), Error> {
        self.pool.only_role(UPGRADER_ROLE)?;
        Ok(dseq_program::table::install::<Self, _>(self.vm(), &programs)?)
    }

    /// The installed programs after the entry.
    pub fn programs(&self) -> Vec<Address> {
        dseq_program::table::programs::<Self, _>(self.vm())
    }
}

// ==================================================================================== logic

impl LockingPool {
    /// Registers `owner`'s sequencer and pulls its stake (checks first, the token call last).
    fn register(
        &mut self,
        owner: Address,
        signer: Address,
        reward_recipient: Address,
        amount: U256,
        proof: &[u8],
    ) -> Result<U256, Error> {
        self.pool.pausable.when_not_paused()?;
        if reward_recipient.is_zero() {
            return Err(null_address());
        }
        self.pool.require_can_own(owner)?;
        self.pool.require_fresh_signer(signer)?;
        self.pool.verify_signer_proof(owner, signer, proof)?;
        rules::check_lock_amount(amount, store::u256(&self.pool.min_lock), store::u256(&self.pool.max_lock))?;

        let sequencer_id = store::u256(&self.pool.total_sequencers) + U256::from(1);
        store::set_u256(&mut self.pool.total_sequencers, sequencer_id);
        let now = U64::from(self.vm().block_timestamp());
        let mut seq = self.pool.sequencers.setter(sequencer_id);
        seq.amount.set(amount);
        seq.owner.set(owner);
        seq.status.set(U8::from(Status::Active as u8));
        seq.nonce.set(U64::from(1));
        seq.signer.set(signer);
        seq.signer_updated_at.set(now);
        seq.reward_recipient.set(reward_recipient);
        seq.activation_time.set(now);
        self.pool.seq_owners.setter(owner).set(sequencer_id);
        self.pool.seq_signers.setter(signer).set(sequencer_id);
        let total = store::u256(&self.pool.total_locked) + amount;
        store::set_u256(&mut self.pool.total_locked, total);
        let active_sequencers = store::u256(&self.pool.active_sequencers) + U256::from(1);
        store::set_u256(&mut self.pool.active_sequencers, active_sequencers);

        emit!(self.vm(), Locked { indexed: [signer, sequencer_id, owner], data: [amount, total] });
        emit!(self.vm(), SequencerOwnerChanged { indexed: [sequencer_id], data: [owner] });
        emit!(self.vm(), SequencerRewardRecipientChanged { indexed: [sequencer_id], data: [reward_recipient] });

        let (token, pool) = (self.pool.token.get(), self.vm().contract_address());
        token::safe_transfer_from(self, token, owner, pool, amount)?;
        Ok(sequencer_id)
    }

    /// Adds `amount` from the owner and, if asked, the compounded rewards to the stake.
    ///
    /// Checks, effects, interactions: the distributor is called first, because what it pays
    /// decides the new stake, and every read of the pool's state comes after that call; the
    /// stake is then written, and the owner's tokens are pulled last, so a token that calls
    /// back into the pool sees the stake already updated. (The entrypoint also refuses
    /// re-entry; the order does not rely on it.)
    fn add_stake(&mut self, sequencer_id: U256, owner: Address, amount: U256, lock_reward: bool) -> Result<(), Error> {
        let reward = if lock_reward { self.take_reward_for_compounding(sequencer_id)? } else { U256::ZERO };
        // Saturating: a sum past 2^256 is far above maxLock and fails as LockAboveMax below.
        let added = amount.saturating_add(reward);
        if added.is_zero() {
            return Err(Error::NoNewLockedAdded(NoNewLockedAdded {}));
        }
        let max_lock = store::u256(&self.pool.max_lock);
        let mut seq = self.pool.sequencers.setter(sequencer_id);
        let new_amount = rules::relocked_amount(seq.amount.get(), added, max_lock)?;
        let nonce = seq.nonce.get() + U64::from(1);
        seq.amount.set(new_amount);
        seq.nonce.set(nonce);
        let total = store::u256(&self.pool.total_locked) + added;
        store::set_u256(&mut self.pool.total_locked, total);

        if !reward.is_zero() {
            emit!(self.vm(), RewardCompounded { indexed: [sequencer_id], data: [reward] });
        }
        emit!(self.vm(), Relocked { indexed: [sequencer_id], data: [added, total] });
        emit!(self.vm(), LockUpdate { indexed: [sequencer_id, nonce, new_amount], data: [] });

        if !amount.is_zero() {
            let (token, pool) = (self.pool.token.get(), self.vm().contract_address());
            token::safe_transfer_from(self, token, owner, pool, amount)?;
        }
        Ok(())
    }

    /// Pulls the sequencer's rewards from the reward distributor and checks that the tokens
    /// arrived: a distributor that over-reports cannot mint stake out of nothing.
    fn take_reward_for_compounding(&mut self, sequencer_id: U256) -> Result<U256, Error> {
        let distributor = self.pool.reward_distributor.get();
        if distributor.is_zero() {
            return Err(Error::NoRewardDistributor(NoRewardDistributor {}));
        }
        let (token, pool) = (self.pool.token.get(), self.vm().contract_address());
        let before = token::balance_of(self.vm(), token, pool)?;
        let data = IRewardCompounder::claimForCompoundCall { sequencerId: sequencer_id }.abi_encode();
        let ctx = Call::new_mutating(self);
        let out = call(self.vm(), ctx, distributor, &data).map_err(|e| {
            Error::RewardCompoundFailed(CompoundFailed { distributor, reason: Vec::<u8>::from(e) })
        })?;
        let reported = IRewardCompounder::claimForCompoundCall::abi_decode_returns(&out).unwrap_or(U256::MAX);
        let after = token::balance_of(self.vm(), token, pool)?;
        let received = after.saturating_sub(before);
        if received != reported {
            return Err(Error::RewardCompoundMismatch(RewardCompoundMismatch { reported, received }));
        }
        Ok(received)
    }

    /// Takes `amount` out of the stake into the sequencer's withdrawal queue.
    fn queue_withdrawal(&mut self, sequencer_id: U256, amount: U256) -> Result<U256, Error> {
        let min_lock = store::u256(&self.pool.min_lock);
        let max_requests = store::u64(&self.pool.max_withdrawal_requests);
        let now = self.vm().block_timestamp();
        let delay = store::u64(&self.pool.exit_delay_period);

        let stake = self.pool.sequencers.getter(sequencer_id).amount.get();
        let remaining = rules::remaining_after_withdrawal(stake, amount, min_lock)?;
        let mut queue = self.pool.withdrawals.setter(sequencer_id);
        let (first, request_id) = (store::u64(&queue.next_to_claim), store::u64(&queue.next_request_id));
        let open = request_id - first;
        if open >= max_requests {
            return Err(Error::TooManyWithdrawalRequests(TooManyWithdrawalRequests {
                sequencerId: sequencer_id,
                open: U256::from(open),
                maxRequests: U256::from(max_requests),
            }));
        }
        let previous = (open > 0).then(|| store::u64(&queue.requests.getter(request_id - 1).claimable_at));
        let claimable_at = rules::withdrawal_matures_at(now, delay, previous);
        let mut request = queue.requests.setter(request_id);
        // `amount <= stake <= maxLock <= u128::MAX` (enforced by `check_lock_bounds`).
        request.amount.set(U128::from(amount));
        request.claimable_at.set(U64::from(claimable_at));
        queue.next_request_id.set(U64::from(request_id + 1));

        let mut seq = self.pool.sequencers.setter(sequencer_id);
        let nonce = seq.nonce.get() + U64::from(1);
        seq.amount.set(remaining);
        seq.nonce.set(nonce);
        let total_locked = store::u256(&self.pool.total_locked) - amount;
        store::set_u256(&mut self.pool.total_locked, total_locked);
        let total_pending_withdrawals = store::u256(&self.pool.total_pending_withdrawals) + amount;
        store::set_u256(&mut self.pool.total_pending_withdrawals, total_pending_withdrawals);

        let request_id = U256::from(request_id);
        emit!(self.vm(), WithdrawalRequested { indexed: [sequencer_id, request_id], data: [amount, claimable_at] });
        emit!(self.vm(), LockUpdate { indexed: [sequencer_id, nonce, remaining], data: [] });
        Ok(request_id)
    }
}
