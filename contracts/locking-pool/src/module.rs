//! Program 1 of the pool, `locking-pool-module`: exits and claims (the stake going out),
//! sequencer settings (signer rotation, reward recipient, owner transfer) and the detailed
//! views. The entry program forwards these selectors to it by `delegatecall`, so it runs on the
//! pool's storage and balance with the caller's `msg.sender`. Called directly it only sees its
//! own empty storage, where nobody holds a role or a sequencer.

use alloc::vec::Vec;
use alloy_primitives::{Address, U256, U64, U8};
use dseq_abi::locking_pool::{ILockingPool::*, Status};
use dseq_kit::{emit, store, token};
use locking_pool_state::{not_active, null_address, Error};
use stylus_sdk::prelude::*;

use crate::LockingPool;

#[dseq_program::public(program = 1)]
impl LockingPool {
    /// Disables initialization of the module's own storage (it is only used through the pool).
    #[constructor]
    pub fn module_constructor(&mut self) {
        self.pool.initializable.disable();
    }

    // ------------------------------------------------------------------------ operators

    /// Pays every matured withdrawal request to the owner. Open while paused and after exit.
    pub fn claim_withdrawals(&mut self, sequencer_id: U256) -> Result<U256, Error> {
        let owner = self.vm().msg_sender();
        self.pool.require_owner(sequencer_id, owner)?;
        self.pay_matured_withdrawals(sequencer_id, owner)
    }

    /// Starts the exit. Open while paused and to revoked owners. `_l2_gas` keeps Metis's
    /// selector; nothing is bridged.
    pub fn unlock(&mut self, sequencer_id: U256, _l2_gas: u32) -> Result<(), Error> {
        let owner = self.vm().msg_sender();
        self.pool.require_active_owner(sequencer_id, owner)?;
        self.exit(sequencer_id, false)
    }

    /// Pays the exited stake to the owner once the delay has passed. Open while paused.
    pub fn unlock_claim(&mut self, sequencer_id: U256, _l2_gas: u32) -> Result<U256, Error> {
        let owner = self.vm().msg_sender();
        self.pool.require_owner(sequencer_id, owner)?;
        self.finish_exit(sequencer_id, owner)
    }

    /// Rotates the signer key. The owner may do it too, to recover from a lost signer key.
    pub fn rotate_signer(&mut self, sequencer_id: U256, signer: Address, signer_proof: Vec<u8>) -> Result<(), Error> {
        self.pool.pausable.when_not_paused()?;
        self.replace_signer(sequencer_id, self.vm().msg_sender(), signer, &signer_proof)
    }

    /// Changes where rewards are paid. Allowed while Active or Inactive.
    pub fn set_sequencer_reward_recipient(&mut self, sequencer_id: U256, recipient: Address) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        self.pool.require_owner(sequencer_id, caller)?;
        let status = self.pool.status_of(sequencer_id);
        if !matches!(status, Status::Active | Status::Inactive) {
            return Err(not_active(sequencer_id, status));
        }
        if recipient.is_zero() {
            return Err(null_address());
        }
        self.pool.sequencers.setter(sequencer_id).reward_recipient.set(recipient);
        emit!(self.vm(), SequencerRewardRecipientChanged { indexed: [sequencer_id], data: [recipient] });
        Ok(())
    }

    /// Proposes `new_owner` (zero cancels a proposal); it takes effect when they accept.
    pub fn set_sequencer_owner(&mut self, sequencer_id: U256, new_owner: Address) -> Result<(), Error> {
        let owner = self.vm().msg_sender();
        self.pool.require_active_owner(sequencer_id, owner)?;
        if !new_owner.is_zero() {
            self.pool.require_can_own(new_owner)?;
            self.pool.require_no_open_withdrawals(sequencer_id)?;
        }
        self.pool.sequencers.setter(sequencer_id).pending_owner.set(new_owner);
        emit!(self.vm(), SequencerOwnerTransferStarted { indexed: [sequencer_id, owner, new_owner], data: [] });
        Ok(())
    }

    /// Completes an owner transfer; the caller must be the proposed owner and still eligible.
    pub fn accept_sequencer_owner(&mut self, sequencer_id: U256) -> Result<(), Error> {
        let new_owner = self.vm().msg_sender();
        if self.pool.sequencers.getter(sequencer_id).pending_owner.get() != new_owner || new_owner.is_zero() {
            return Err(Error::NotPendingOwner(NotPendingOwner { sequencerId: sequencer_id, caller: new_owner }));
        }
        self.pool.require_active(sequencer_id)?;
        self.pool.require_can_own(new_owner)?;
        self.pool.require_no_open_withdrawals(sequencer_id)?;
        let mut seq = self.pool.sequencers.setter(sequencer_id);
        let old_owner = seq.owner.get();
        seq.owner.set(new_owner);
        seq.pending_owner.set(Address::ZERO);
        self.pool.seq_owners.delete(old_owner);
        self.pool.seq_owners.setter(new_owner).set(sequencer_id);
        emit!(self.vm(), SequencerOwnerChanged { indexed: [sequencer_id], data: [new_owner] });
        let stake = store::u128(&self.pool.sequencers.getter(sequencer_id).amount);
        self.report_stake(old_owner, new_owner, stake)
    }

    // ------------------------------------------------------------------------ views

    pub fn pending_sequencer_owner(&self, sequencer_id: U256) -> Address {
        self.pool.sequencers.getter(sequencer_id).pending_owner.get()
    }

    /// Metis's 13-field `sequencers(uint256)`, field for field (see [`MetisSequencer`]).
    #[returns("uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,address,address,bytes,address,uint8")]
    pub fn sequencers(&self, sequencer_id: U256) -> MetisSequencer {
        let seq = self.pool.sequencers.getter(sequencer_id);
        MetisSequencer {
            amount: store::u128(&seq.amount),
            deactivation_time: store::u64(&seq.deactivation_time),
            unlock_claim_time: store::u64(&seq.unlock_claim_time),
            nonce: store::u64(&seq.nonce),
            owner: seq.owner.get(),
            signer: seq.signer.get(),
            reward_recipient: seq.reward_recipient.get(),
            status: seq.status.get().as_limbs()[0] as u8,
        }
    }

    /// The sequencer each signer served (0: none), old signers included: one call resolves a
    /// reward batch.
    pub fn seq_signers_of(&self, signers: Vec<Address>) -> Vec<U256> {
        signers.into_iter().map(|signer| self.pool.seq_signers.get(signer)).collect()
    }

    /// `(amount, owner, signer, rewardRecipient, status, nonce, activationTime, signerUpdatedAt,
    /// deactivationTime, unlockClaimTime)`.
    #[allow(clippy::type_complexity)]
    pub fn sequencer_info(
        &self,
        sequencer_id: U256,
    ) -> (U256, Address, Address, Address, u8, u64, u64, u64, u64, u64) {
        let seq = self.pool.sequencers.getter(sequencer_id);
        (
            store::u128(&seq.amount),
            seq.owner.get(),
            seq.signer.get(),
            seq.reward_recipient.get(),
            seq.status.get().to(),
            store::u64(&seq.nonce),
            store::u64(&seq.activation_time),
            store::u64(&seq.signer_updated_at),
            store::u64(&seq.deactivation_time),
            store::u64(&seq.unlock_claim_time),
        )
    }

    /// `(nextToClaim, nextRequestId, pending, claimable)`: the open requests are
    /// `[nextToClaim, nextRequestId)`, `pending` is their total and `claimable` the matured part.
    pub fn withdrawal_queue(&self, sequencer_id: U256) -> (u64, u64, U256, U256) {
        let seq = self.pool.sequencers.getter(sequencer_id);
        let (first, end) = (store::u64(&seq.next_to_claim), store::u64(&seq.next_request_id));
        let now = self.vm().block_timestamp();
        let (mut pending, mut claimable) = (U256::ZERO, U256::ZERO);
        for id in first..end {
            let request = seq.withdrawal_requests.getter(id);
            let amount = store::u128(&request.amount);
            pending += amount;
            if store::u64(&request.claimable_at) <= now {
                claimable += amount;
            }
        }
        (first, end, pending, claimable)
    }

    /// The METIS `owner` has at stake in its sequencer and that counts for its votes: the
    /// Active sequencer's amount, zero for anyone else. Only version 2 has it (the cargo
    /// feature `v2`, built by `dseq build --variant v2`): the demo's upgrade adds it.
    #[cfg(feature = "v2")]
    pub fn stake_of(&self, owner: Address) -> U256 {
        let id = self.pool.seq_owners.get(owner);
        match self.pool.status_of(id) {
            Status::Active => store::u128(&self.pool.sequencers.getter(id).amount),
            _ => U256::ZERO,
        }
    }

    /// `(amount, claimableAt)` of one request; zeros once claimed.
    pub fn withdrawal_request(&self, sequencer_id: U256, request_id: u64) -> (U256, u64) {
        let seq = self.pool.sequencers.getter(sequencer_id);
        let request = seq.withdrawal_requests.getter(request_id);
        (store::u128(&request.amount), store::u64(&request.claimable_at))
    }
}

/// Metis's `Sequencer` struct as its getter returns it: `(amount, reward, activationBatch,
/// updatedBatch, deactivationBatch, deactivationTime, unlockClaimTime, nonce, owner, signer,
/// pubkey, rewardRecipient, status)`. The pool has no batches, keeps rewards in the reward
/// distributor and stores no public key, so `reward`, the three batch ids and `pubkey` are
/// zero and empty; every other field means what it means in Metis.
pub struct MetisSequencer {
    pub amount: U256,
    pub deactivation_time: u64,
    pub unlock_claim_time: u64,
    pub nonce: u64,
    pub owner: Address,
    pub signer: Address,
    pub reward_recipient: Address,
    pub status: u8,
}

impl dseq_program::abi::Words for MetisSequencer {
    fn write(&self, out: &mut Vec<u8>) {
        use dseq_program::abi::push_u128;
        self.amount.write(out);
        for _zero in 0..4 {
            push_u128(out, 0); // reward, activationBatch, updatedBatch, deactivationBatch
        }
        push_u128(out, u128::from(self.deactivation_time));
        push_u128(out, u128::from(self.unlock_claim_time));
        push_u128(out, u128::from(self.nonce));
        self.owner.write(out);
        self.signer.write(out);
        push_u128(out, 13 * 32); // offset of `pubkey`, after the 13 head words
        self.reward_recipient.write(out);
        push_u128(out, u128::from(self.status));
        push_u128(out, 0); // `pubkey`: empty
    }
}

// ==================================================================================== logic

impl LockingPool {
    /// Pays every matured request at the head of the queue to `owner`.
    fn pay_matured_withdrawals(&mut self, sequencer_id: U256, owner: Address) -> Result<U256, Error> {
        let now = self.vm().block_timestamp();
        let mut seq = self.pool.sequencers.setter(sequencer_id);
        let (first, end) = (store::u64(&seq.next_to_claim), store::u64(&seq.next_request_id));
        // At most `MAX_WITHDRAWAL_REQUESTS_CAP` iterations: that many requests can be open.
        let mut next = first;
        let mut paid = U256::ZERO;
        while next < end {
            let mut request = seq.withdrawal_requests.setter(next);
            if store::u64(&request.claimable_at) > now {
                break;
            }
            paid += store::u128(&request.amount);
            store::set_u128(&mut request.amount, U256::ZERO);
            store::set_u64(&mut request.claimable_at, 0);
            next += 1;
        }
        if next == first {
            let next_claimable_at =
                if first < end { store::u64(&seq.withdrawal_requests.getter(first).claimable_at) } else { 0 };
            return Err(Error::NothingToClaim(NothingToClaim { sequencerId: sequencer_id, nextClaimableAt: next_claimable_at }));
        }
        store::set_u64(&mut seq.next_to_claim, next);
        // `paid` is part of the pending total (each request added its amount to it).
        let total_pending_withdrawals = store::u128(&self.pool.total_pending_withdrawals) - paid;
        store::set_u128(&mut self.pool.total_pending_withdrawals, total_pending_withdrawals);
        emit!(self.vm(), WithdrawalsClaimed { indexed: [sequencer_id, owner], data: [paid, U256::from(first), U256::from(next - first)] });
        let token = self.pool.token.get();
        token::safe_transfer(self, token, owner, paid)?;
        Ok(paid)
    }

    /// Pays an exited sequencer's stake to `owner` once its delay has passed.
    fn finish_exit(&mut self, sequencer_id: U256, owner: Address) -> Result<U256, Error> {
        let now = self.vm().block_timestamp();
        let mut seq = self.pool.sequencers.setter(sequencer_id);
        let status = Status::from_code(seq.status.get().to());
        if status != Status::Inactive {
            return Err(Error::SeqNotInactive(SeqNotInactive { sequencerId: sequencer_id, status: status as u8 }));
        }
        let unlock_claim_time = store::u64(&seq.unlock_claim_time);
        if now < unlock_claim_time {
            return Err(Error::UnlockNotReady(UnlockNotReady {
                sequencerId: sequencer_id,
                unlockClaimTime: unlock_claim_time,
                now,
            }));
        }
        let amount = store::u128(&seq.amount);
        store::set_u128(&mut seq.amount, U256::ZERO);
        seq.status.set(U8::from(Status::Unlocked as u8));
        let nonce = seq.nonce.get() + U64::from(1);
        seq.nonce.set(nonce);
        self.pool.seq_owners.delete(owner);
        // The exited stake is part of `total_locked` until this payout.
        let total = store::u128(&self.pool.total_locked) - amount;
        store::set_u128(&mut self.pool.total_locked, total);
        emit!(self.vm(), Unlocked { indexed: [owner, sequencer_id], data: [amount, total] });
        let token = self.pool.token.get();
        token::safe_transfer(self, token, owner, amount)?;
        Ok(amount)
    }

    /// Replaces the signer of an active sequencer (by its owner or signer), throttled.
    fn replace_signer(&mut self, sequencer_id: U256, caller: Address, signer: Address, proof: &[u8]) -> Result<(), Error> {
        self.pool.require_active(sequencer_id)?;
        let seq = self.pool.sequencers.getter(sequencer_id);
        let (owner, old_signer) = (seq.owner.get(), seq.signer.get());
        if caller != owner && caller != old_signer {
            return Err(Error::NotSeqOwnerOrSigner(NotSeqOwnerOrSigner { sequencerId: sequencer_id, caller }));
        }
        let next_allowed_at =
            store::u64(&seq.signer_updated_at).saturating_add(store::u64(&self.pool.signer_update_throttle));
        let now = self.vm().block_timestamp();
        if now < next_allowed_at {
            return Err(Error::SignerRotationTooSoon(SignerRotationTooSoon { sequencerId: sequencer_id, nextAllowedAt: next_allowed_at }));
        }
        self.pool.require_fresh_signer(signer)?;
        self.pool.verify_signer_proof(owner, signer, proof)?;

        self.pool.seq_signers.setter(signer).set(sequencer_id);
        let mut seq = self.pool.sequencers.setter(sequencer_id);
        let nonce = seq.nonce.get() + U64::from(1);
        seq.signer.set(signer);
        seq.signer_updated_at.set(U64::from(now));
        seq.nonce.set(nonce);
        emit!(self.vm(), SignerChange { indexed: [sequencer_id, old_signer, signer], data: [nonce] });
        Ok(())
    }
}
