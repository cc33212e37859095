//! Program 3 of the pool, `locking-pool-delegation`: the stake that liquid-staking protocols
//! (LSTs) delegate to sequencers. The LST registry names each sequencer's delegate (its paired
//! LST) and each LST's terms; the delegate locks METIS into the sequencer, where it counts
//! toward `maxLock` and votes for the LST, and withdraws it through its own queue. Like the
//! module, it runs on the pool's storage through the entry program's `delegatecall`.
//!
//! The operator's stake and the LST's are kept apart: `Sequencer::amount` is the operator's,
//! `Sequencer::delegated` the LST's, and each side's withdrawals take only from its own. The
//! pool never calls an LST: its tokens move with `transferFrom` and `transfer` of METIS only.

use alloy_primitives::{Address, U256};
use dseq_abi::{
    locking_pool::{ILockingPool::*, Status},
    lst::MAX_DELEGATED_CLAIMS,
};
use dseq_kit::{emit, store, token};
use locking_pool_state::{rules, Error};
use stylus_sdk::prelude::*;

use crate::LockingPool;

#[dseq_program::public(program = 3)]
impl LockingPool {
    /// Disables initialization of the program's own storage (it is only used through the pool).
    #[constructor]
    pub fn delegation_constructor(&mut self) {
        self.pool.initializable.disable();
    }

    // ------------------------------------------------------------------------ the LST

    /// Locks `amount` more of the caller's METIS into the sequencer it is the delegate of.
    pub fn lock_delegated(&mut self, sequencer_id: U256, amount: U256) -> Result<(), Error> {
        self.pool.pausable.when_not_paused()?;
        let lst = self.require_delegate(sequencer_id)?;
        self.pool.require_active(sequencer_id)?;
        if amount.is_zero() {
            return Err(Error::NoNewLockedAdded(NoNewLockedAdded {}));
        }
        let account = self.pool.lsts.getter(lst);
        let (staked, cap) = (store::u128(&account.staked), store::u96(&account.cap));
        if !account.open.get() {
            return Err(Error::LstDepositsClosed(LstDepositsClosed { lst }));
        }
        drop(account);
        let lst_staked = rules::delegated_total_after(lst, staked, amount, cap)?;
        self.settle_rewards(sequencer_id)?;
        let seq = self.pool.sequencers.getter(sequencer_id);
        let (own, delegated) = (store::u128(&seq.amount), store::u96(&seq.delegated));
        drop(seq);
        // `delegated + amount <= lst_staked <= cap < 2^96`, so the new stake fits its 96 bits.
        rules::relocked_amount(own + delegated, amount, store::u256(&self.pool.max_lock))?;
        let total = self.pool.add_locked(amount)?;
        let lst_stake = delegated + amount;
        store::set_u96(&mut self.pool.sequencers.setter(sequencer_id).delegated, lst_stake);
        store::set_u128(&mut self.pool.lsts.setter(lst).staked, lst_staked);
        emit!(self.vm(), DelegatedStakeLocked { indexed: [sequencer_id, lst], data: [amount, lst_stake, total] });
        self.report_stake(Address::ZERO, lst, amount)?;
        let (token, pool) = (self.pool.token.get(), self.vm().contract_address());
        token::safe_transfer_from(self, token, lst, pool, amount)?;
        Ok(())
    }

    /// Moves `amount` of the caller's stake in the sequencer into its withdrawal queue.
    pub fn request_delegated_withdrawal(&mut self, sequencer_id: U256, amount: U256) -> Result<U256, Error> {
        self.pool.pausable.when_not_paused()?;
        let lst = self.require_delegate(sequencer_id)?;
        let stake = store::u96(&self.pool.sequencers.getter(sequencer_id).delegated);
        rules::remaining_after_withdrawal(stake, amount, U256::ZERO)?;
        self.settle_rewards(sequencer_id)?;
        let request_id = self.pool.queue_delegated(sequencer_id, lst, amount, false);
        self.report_stake(lst, Address::ZERO, amount)?;
        Ok(request_id)
    }

    /// Pays `lst` its matured requests, oldest first, at most [`MAX_DELEGATED_CLAIMS`].
    pub fn claim_delegated_withdrawals(&mut self, lst: Address) -> Result<U256, Error> {
        let now = self.vm().block_timestamp();
        let mut account = self.pool.lsts.setter(lst);
        let (first, end) = (store::u64(&account.next_to_claim), store::u64(&account.next_request_id));
        let last = end.min(first.saturating_add(MAX_DELEGATED_CLAIMS));
        let mut next = first;
        let mut paid = U256::ZERO;
        while next < last {
            let mut request = account.requests.setter(next);
            if store::u64(&request.claimable_at) > now {
                break;
            }
            paid += store::u128(&request.amount);
            store::set_u128(&mut request.amount, U256::ZERO);
            store::set_u64(&mut request.claimable_at, 0);
            store::set_u64(&mut request.sequencer_id, 0);
            next += 1;
        }
        if next == first {
            let next_claimable_at = if first < end { store::u64(&account.requests.getter(first).claimable_at) } else { 0 };
            return Err(Error::NoMaturedDelegatedWithdrawal(NoMaturedDelegatedWithdrawal { lst, nextClaimableAt: next_claimable_at }));
        }
        store::set_u64(&mut account.next_to_claim, next);
        // `paid` is part of both pending totals (each request added its amount to them).
        let pending = store::u128(&account.pending) - paid;
        store::set_u128(&mut account.pending, pending);
        let total_pending_withdrawals = store::u128(&self.pool.total_pending_withdrawals) - paid;
        store::set_u128(&mut self.pool.total_pending_withdrawals, total_pending_withdrawals);
        emit!(self.vm(), DelegatedWithdrawalsClaimed { indexed: [lst], data: [paid, U256::from(first), U256::from(next - first)] });
        let token = self.pool.token.get();
        token::safe_transfer(self, token, lst, paid)?;
        Ok(paid)
    }

    // ------------------------------------------------------------------------ the registry

    /// Names the sequencer's delegate; the previous one's stake there is unwound into its queue.
    /// Works while paused (an unpairing must always release the LST's stake).
    pub fn set_delegate(&mut self, sequencer_id: U256, lst: Address) -> Result<(), Error> {
        self.require_registry()?;
        if !lst.is_zero() {
            self.pool.require_active(sequencer_id)?;
        }
        self.settle_rewards(sequencer_id)?;
        let (previous, unwound) = self.pool.unwind_delegated(sequencer_id);
        self.pool.sequencers.setter(sequencer_id).delegate.set(lst);
        emit!(self.vm(), SequencerDelegateChanged { indexed: [sequencer_id, previous, lst], data: [] });
        self.report_stake(previous, Address::ZERO, unwound)
    }

    /// Sets `lst`'s cap (saturated at 2^96 - 1, which the registry enforces) and whether it may
    /// add stake.
    pub fn set_lst_terms(&mut self, lst: Address, cap: U256, open: bool) -> Result<(), Error> {
        self.require_registry()?;
        let cap = cap.min(dseq_abi::lst::MAX_CAP);
        let mut account = self.pool.lsts.setter(lst);
        store::set_u96(&mut account.cap, cap);
        account.open.set(open);
        emit!(self.vm(), LstTermsSet { indexed: [lst], data: [cap, open] });
        Ok(())
    }

    // ------------------------------------------------------------------------ views

    pub fn lst_registry(&self) -> Address {
        self.pool.lst_registry.get()
    }

    /// `(owner, status, operatorStake, lst, lstStake)`.
    pub fn delegation(&self, sequencer_id: U256) -> (Address, u8, U256, Address, U256) {
        let seq = self.pool.sequencers.getter(sequencer_id);
        (
            seq.owner.get(),
            Status::from_code(seq.status.get().to()) as u8,
            store::u128(&seq.amount),
            seq.delegate.get(),
            store::u96(&seq.delegated),
        )
    }

    /// `(staked, cap, open, pending, nextToClaim, nextRequestId)`.
    pub fn lst_account(&self, lst: Address) -> (U256, U256, bool, U256, u64, u64) {
        let account = self.pool.lsts.getter(lst);
        (
            store::u128(&account.staked),
            store::u96(&account.cap),
            account.open.get(),
            store::u128(&account.pending),
            store::u64(&account.next_to_claim),
            store::u64(&account.next_request_id),
        )
    }

    /// `(amount, claimableAt, sequencerId)`.
    pub fn delegated_withdrawal(&self, lst: Address, request_id: u64) -> (U256, u64, U256) {
        let account = self.pool.lsts.getter(lst);
        let request = account.requests.getter(request_id);
        (
            store::u128(&request.amount),
            store::u64(&request.claimable_at),
            U256::from(store::u64(&request.sequencer_id)),
        )
    }
}

// ==================================================================================== logic

impl LockingPool {
    /// The caller, if it is the sequencer's delegate (an unknown sequencer has none).
    fn require_delegate(&self, sequencer_id: U256) -> Result<Address, Error> {
        let caller = self.vm().msg_sender();
        if caller.is_zero() || self.pool.sequencers.getter(sequencer_id).delegate.get() != caller {
            return Err(Error::NotSequencerDelegate(NotSequencerDelegate { sequencerId: sequencer_id, caller }));
        }
        Ok(caller)
    }

    fn require_registry(&self) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        let registry = self.pool.lst_registry.get();
        if registry.is_zero() || caller != registry {
            return Err(Error::NotLstRegistry(NotLstRegistry { caller }));
        }
        Ok(())
    }
}
