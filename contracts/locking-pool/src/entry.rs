//! Program 0 of the pool, its entry: the implementation behind the proxy. It takes stake in
//! (registration, relock and compounding, withdrawal requests), answers the common views, and
//! installs the programs; every other selector is forwarded to `locking-pool-module`.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256, U64, U8};
use alloy_sol_types::SolCall;
use dseq_abi::{
    locking_pool::{
        ILockingPool::*, Status, ADMISSION_ROLE, DEFAULT_EXIT_DELAY, DEFAULT_MAX_LOCK,
        DEFAULT_MAX_WITHDRAWAL_REQUESTS, DEFAULT_MIN_LOCK, DEFAULT_SIGNER_ROTATION_DELAY, PAUSER_ROLE,
        UPGRADER_ROLE, DEFAULT_ADMIN_DELAY,
    },
    rewards::IRewardDistributor,
};
use dseq_kit::{store, emit, token};
use locking_pool_state::{null_address, rules, CompoundFailed, Error};
use stylus_sdk::{call::call, prelude::*};

use crate::LockingPool;

// ==================================================================================== ABI

#[dseq_program::public(program = 0, programs = 4)]
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
        self.settle_rewards(sequencer_id)?;
        let request_id = self.queue_withdrawal(sequencer_id, amount)?;
        self.report_stake(owner, Address::ZERO, amount)?;
        Ok(request_id)
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
        store::u128(&self.pool.total_locked)
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
        store::u128(&self.pool.total_pending_withdrawals)
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
        let total = self.pool.add_locked(amount)?;

        let sequencer_id = store::u256(&self.pool.total_sequencers) + U256::from(1);
        store::set_u256(&mut self.pool.total_sequencers, sequencer_id);
        let now = U64::from(self.vm().block_timestamp());
        let mut seq = self.pool.sequencers.setter(sequencer_id);
        store::set_u128(&mut seq.amount, amount); // `amount <= maxLock <= u128::MAX`
        seq.owner.set(owner);
        seq.status.set(U8::from(Status::Active as u8));
        seq.nonce.set(U64::from(1));
        seq.signer.set(signer);
        seq.signer_updated_at.set(now);
        seq.reward_recipient.set(reward_recipient);
        seq.activation_time.set(now);
        self.pool.seq_owners.setter(owner).set(sequencer_id);
        self.pool.seq_signers.setter(signer).set(sequencer_id);
        let active_sequencers = store::u256(&self.pool.active_sequencers) + U256::from(1);
        store::set_u256(&mut self.pool.active_sequencers, active_sequencers);

        emit!(self.vm(), Locked { indexed: [signer, sequencer_id, owner], data: [amount, total] });
        emit!(self.vm(), SequencerOwnerChanged { indexed: [sequencer_id], data: [owner] });
        emit!(self.vm(), SequencerRewardRecipientChanged { indexed: [sequencer_id], data: [reward_recipient] });

        self.report_stake(Address::ZERO, owner, amount)?;
        let (token, pool) = (self.pool.token.get(), self.vm().contract_address());
        token::safe_transfer_from(self, token, owner, pool, amount)?;
        Ok(sequencer_id)
    }

    /// Adds `amount` from the owner and, if asked, the compounded rewards to the stake.
    ///
    /// Checks, effects, interactions: the distributor is called first (to settle what the old
    /// stake earned, then to pay the rewards to compound), because what it pays
    /// decides the new stake, and every read of the pool's state comes after that call; the
    /// stake is then written, and the owner's tokens are pulled last, so a token that calls
    /// back into the pool sees the stake already updated. (The entrypoint also refuses
    /// re-entry; the order does not rely on it.)
    fn add_stake(&mut self, sequencer_id: U256, owner: Address, amount: U256, lock_reward: bool) -> Result<(), Error> {
        self.settle_rewards(sequencer_id)?;
        let reward = if lock_reward { self.take_reward_for_compounding(sequencer_id)? } else { U256::ZERO };
        // Saturating: a sum past 2^256 is far above maxLock and fails as LockAboveMax below.
        let added = amount.saturating_add(reward);
        if added.is_zero() {
            return Err(Error::NoNewLockedAdded(NoNewLockedAdded {}));
        }
        let max_lock = store::u256(&self.pool.max_lock);
        let seq = self.pool.sequencers.getter(sequencer_id);
        let (stake, delegated) = (store::u128(&seq.amount), store::u96(&seq.delegated));
        // The LST's stake counts toward maxLock too (`delegated + stake <= maxLock < 2^128`).
        let new_amount = rules::relocked_amount(stake + delegated, added, max_lock)? - delegated;
        let total = self.pool.add_locked(added)?;
        let mut seq = self.pool.sequencers.setter(sequencer_id);
        let nonce = seq.nonce.get() + U64::from(1);
        store::set_u128(&mut seq.amount, new_amount); // `new_amount <= maxLock <= u128::MAX`
        seq.nonce.set(nonce);

        if !reward.is_zero() {
            emit!(self.vm(), RewardCompounded { indexed: [sequencer_id], data: [reward] });
        }
        emit!(self.vm(), Relocked { indexed: [sequencer_id], data: [added, total] });
        emit!(self.vm(), LockUpdate { indexed: [sequencer_id, nonce, new_amount], data: [] });
        self.report_stake(Address::ZERO, owner, added)?;

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
        let data = IRewardDistributor::claimForCompoundCall { sequencerId: sequencer_id }.abi_encode();
        let ctx = Call::new_mutating(self);
        let out = call(self.vm(), ctx, distributor, &data).map_err(|e| {
            Error::RewardCompoundFailed(CompoundFailed { distributor, reason: Vec::<u8>::from(e) })
        })?;
        let reported = IRewardDistributor::claimForCompoundCall::abi_decode_returns(&out).unwrap_or(U256::MAX);
        let after = token::balance_of(self.vm(), token, pool)?;
        let received = after.saturating_sub(before);
        if received != reported {
            return Err(Error::RewardCompoundMismatch(RewardCompoundMismatch { reported, received }));
        }
        Ok(received)
    }

    /// Takes `amount` out of the stake into the sequencer's withdrawal queue.
    ///
    /// Writes one new slot, the request's: the stake, the nonce and the next request id share
    /// the sequencer's first slot, and the two totals share one slot, both already nonzero.
    fn queue_withdrawal(&mut self, sequencer_id: U256, amount: U256) -> Result<U256, Error> {
        let min_lock = store::u256(&self.pool.min_lock);
        let max_requests = store::u64(&self.pool.max_withdrawal_requests);
        let now = self.vm().block_timestamp();
        let delay = store::u64(&self.pool.exit_delay_period);

        let mut seq = self.pool.sequencers.setter(sequencer_id);
        let remaining = rules::remaining_after_withdrawal(store::u128(&seq.amount), amount, min_lock)?;
        let (first, request_id) = (store::u64(&seq.next_to_claim), store::u64(&seq.next_request_id));
        let open = request_id - first;
        if open >= max_requests {
            return Err(Error::TooManyWithdrawalRequests(TooManyWithdrawalRequests {
                sequencerId: sequencer_id,
                open: U256::from(open),
                maxRequests: U256::from(max_requests),
            }));
        }
        let previous = (open > 0).then(|| store::u64(&seq.withdrawal_requests.getter(request_id - 1).claimable_at));
        let claimable_at = rules::withdrawal_matures_at(now, delay, previous);
        let mut request = seq.withdrawal_requests.setter(request_id);
        // `amount <= stake <= maxLock <= u128::MAX` (`check_lock_bounds`).
        store::set_u128(&mut request.amount, amount);
        store::set_u64(&mut request.claimable_at, claimable_at);
        let nonce = seq.nonce.get() + U64::from(1);
        store::set_u128(&mut seq.amount, remaining);
        seq.nonce.set(nonce);
        store::set_u64(&mut seq.next_request_id, request_id + 1);
        // `amount <= stake <= total_locked`, so the subtraction cannot wrap, and the sum of the
        // totals, which `add_locked` keeps below 2^128, does not change.
        let total_locked = store::u128(&self.pool.total_locked) - amount;
        store::set_u128(&mut self.pool.total_locked, total_locked);
        let total_pending_withdrawals = store::u128(&self.pool.total_pending_withdrawals) + amount;
        store::set_u128(&mut self.pool.total_pending_withdrawals, total_pending_withdrawals);

        let request_id = U256::from(request_id);
        emit!(self.vm(), WithdrawalRequested { indexed: [sequencer_id, request_id], data: [amount, claimable_at] });
        emit!(self.vm(), LockUpdate { indexed: [sequencer_id, nonce, remaining], data: [] });
        Ok(request_id)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use alloy_primitives::{Address, B256, U256, U64, U8};
    use dseq_abi::locking_pool::{Status, DEFAULT_EXIT_DELAY, DEFAULT_MAX_WITHDRAWAL_REQUESTS, DEFAULT_MIN_LOCK, METIS};
    use dseq_kit::store;
    use stylus_sdk::testing::TestVM;

    use crate::LockingPool;

    /// The contract's nonzero storage words.
    fn nonzero_words(vm: &TestVM) -> HashMap<U256, B256> {
        vm.snapshot().storage.into_iter().filter(|(_, word)| !word.is_zero()).collect()
    }

    /// A withdrawal request makes one storage word nonzero, the request's own (20,000 gas no
    /// request can avoid), and rewrites two that registration left nonzero: the sequencer's
    /// first slot (stake, nonce, next request id) and the pool's totals. Also for the first
    /// request of the sequencer and of the pool.
    #[test]
    fn a_withdrawal_request_creates_one_storage_word() {
        let (owner, now) = (Address::repeat_byte(0x11), 1_700_000_000);
        let vm = TestVM::new();
        vm.set_sender(owner);
        vm.set_block_timestamp(now);
        let mut contract = LockingPool::from(&vm);
        let (pool, id, stake) = (&mut contract.pool, U256::from(1), DEFAULT_MIN_LOCK * U256::from(2));
        // What `initialize` sets that a request reads.
        store::set_u256(&mut pool.min_lock, DEFAULT_MIN_LOCK);
        pool.exit_delay_period.set(U64::from(DEFAULT_EXIT_DELAY));
        pool.max_withdrawal_requests.set(U64::from(DEFAULT_MAX_WITHDRAWAL_REQUESTS));
        // What `register` writes to the words a request reads or writes (its other words,
        // the indexes and the signer's, a request does not touch).
        let mut seq = pool.sequencers.setter(id);
        store::set_u128(&mut seq.amount, stake);
        seq.nonce.set(U64::from(1));
        seq.owner.set(owner);
        seq.status.set(U8::from(Status::Active as u8));
        store::set_u128(&mut pool.total_locked, stake);

        for n in 0..2u64 {
            let amount = METIS * U256::from(1_000 + n);
            let before = nonzero_words(&vm);
            assert_eq!(contract.request_withdrawal(id, amount).unwrap(), U256::from(n));
            let after = nonzero_words(&vm);

            let created: Vec<B256> = after.iter().filter(|(key, _)| !before.contains_key(key)).map(|(_, word)| *word).collect();
            // The request's word: `claimable_at` (8 bytes) above `amount` (16), packed from the low end.
            let mut request = [0u8; 32];
            request[8..16].copy_from_slice(&(now + DEFAULT_EXIT_DELAY).to_be_bytes());
            request[16..].copy_from_slice(&amount.to_be_bytes::<32>()[16..]);
            assert_eq!(created, vec![B256::from(request)], "request {n}: the only new word is the request");
            let rewritten = before.iter().filter(|(key, word)| after.get(*key) != Some(*word)).count();
            assert_eq!(rewritten, 2, "request {n}: the sequencer's first slot and the totals, none cleared");
        }
    }
}
