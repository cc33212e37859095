//! The distributor's logic: the batch rules and the fee shares as plain functions that tests
//! reach without a VM ([`check_batch`], [`digest_input`], [`fee_shares`]), then the methods
//! that read storage and the pool, apply `reward-split` and write the outcome.

use alloc::vec::Vec;

use alloy_primitives::{
    aliases::{U128, U16, U64},
    Address, U256,
};
use alloy_sol_types::SolCall;
use dseq_abi::{
    locking_pool::ILockingPool,
    rewards::{IRewardDistributor::*, MAX_COMMISSION_DELAY, MAX_REWARD_PER_BLOCK, DEFAULT_COMMISSION_DELAY},
};
use dseq_kit::{
    abi::{address_array, call_data, Field, ToField},
    emit, store, token,
};
use reward_split::{bps_of, lst_part, mul_div, Commission, CommissionError, Split, BPS, DEFAULT_MAX_COMMISSION_BPS, MAX_TREASURY_BPS};
use stylus_sdk::{call::static_call, crypto::keccak, prelude::*};

use crate::{Error, QueryFailed, RewardDistributor, SequencerRewards, MAX_BATCH_SIGNERS};

// ==================================================================================== pure rules

/// Checks a batch's shape before anything is read: its id and first epoch follow the last
/// batch, its epochs are a range, it has 1 to [`MAX_BATCH_SIGNERS`] signers with as many block
/// counts, each signer is above the one before (so none appears twice), and each produced 1
/// to 2^64 - 1 blocks. Returns the block counts as `u64`.
pub fn check_batch(
    batch_id: U256,
    last_batch_id: u64,
    start_epoch: U256,
    end_epoch: U256,
    next_epoch: u64,
    signers: &[Address],
    blocks: &[U256],
) -> Result<Vec<u64>, Error> {
    let expected = U256::from(last_batch_id) + U256::from(1);
    if batch_id != expected {
        return Err(Error::UnexpectedBatchId(UnexpectedBatchId { batchId: batch_id, expected }));
    }
    if start_epoch != U256::from(next_epoch) {
        return Err(Error::UnexpectedStartEpoch(UnexpectedStartEpoch { startEpoch: start_epoch, expected: U256::from(next_epoch) }));
    }
    if end_epoch < start_epoch || end_epoch >= U256::from(u64::MAX) {
        return Err(Error::InvalidEpochRange(InvalidEpochRange { startEpoch: start_epoch, endEpoch: end_epoch }));
    }
    if signers.is_empty() || signers.len() > MAX_BATCH_SIGNERS || signers.len() != blocks.len() {
        return Err(Error::InvalidBatchLength(InvalidBatchLength {
            signers: U256::from(signers.len()),
            blocks: U256::from(blocks.len()),
            maxSigners: U256::from(MAX_BATCH_SIGNERS),
        }));
    }
    let mut counts = Vec::with_capacity(blocks.len());
    for (i, (signer, count)) in signers.iter().zip(blocks).enumerate() {
        if i > 0 && Some(signer) <= signers.get(i.wrapping_sub(1)) {
            return Err(Error::SignersNotAscending(SignersNotAscending { index: U256::from(i), signer: *signer }));
        }
        if count.is_zero() || *count > U256::from(u64::MAX) {
            return Err(Error::InvalidBlockCount(InvalidBlockCount { signer: *signer, blocks: *count }));
        }
        counts.push(low64(*count));
    }
    Ok(counts)
}

/// `abi.encodePacked(signers, blocks)`: each element as a 32-byte word, signers first. Its
/// keccak is the batch's digest.
pub fn digest_input(signers: &[Address], blocks: &[U256]) -> Vec<u8> {
    let mut out = Vec::with_capacity(32 * (signers.len() + blocks.len()));
    for signer in signers {
        out.extend_from_slice(signer.into_word().as_slice());
    }
    for count in blocks {
        out.extend_from_slice(&count.to_be_bytes::<32>());
    }
    out
}

/// `amount` pro rata to `blocks`, each share rounded down, and the dust the rounding left
/// (less than one wei per share). `blocks` are nonzero, so their sum is too.
pub fn fee_shares(amount: u128, blocks: &[u64]) -> (Vec<u128>, u128) {
    let total: u128 = blocks.iter().map(|b| u128::from(*b)).sum();
    let shares: Vec<u128> = blocks.iter().map(|b| mul_div(amount, u128::from(*b), total)).collect();
    let dust = amount - shares.iter().sum::<u128>();
    (shares, dust)
}

/// How much more may be funded: lifetime funding stays below 2^128, so no balance overflows.
pub fn check_room(amount: U256, funded: u128) -> Result<u128, Error> {
    let max = U256::from(u128::MAX - funded);
    if amount > max {
        return Err(Error::AmountTooLarge(AmountTooLarge { amount, max }));
    }
    Ok(low128(amount))
}

/// A sequencer's stakes as locking-pool reports them (`delegation`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stakes {
    pub owner: Address,
    pub status: u8,
    pub operator: u128,
    pub lst: Address,
    pub lst_stake: u128,
}

/// A sequencer's commission schedule as stored.
pub fn commission_of(rec: &SequencerRewards) -> Commission {
    Commission {
        current_bps: store::u16(&rec.commission_bps),
        next_bps: store::u16(&rec.next_commission_bps),
        next_at: store::u64(&rec.next_commission_at),
    }
}

// Conversions without a panic path (ruint's `to` would format its error into the wasm).

fn u128_of(field: &stylus_sdk::storage::StorageU128) -> u128 {
    let [low, high] = field.get().into_limbs();
    (u128::from(high) << 64) | u128::from(low)
}

fn set_u128(field: &mut stylus_sdk::storage::StorageU128, value: u128) {
    field.set(U128::from_limbs([value as u64, (value >> 64) as u64]));
}

/// The low 128 bits of a value the caller bounded.
fn low128(value: U256) -> u128 {
    let limbs = value.as_limbs();
    (u128::from(limbs[1]) << 64) | u128::from(limbs[0])
}

/// The low 64 bits of a value the caller bounded.
fn low64(value: U256) -> u64 {
    value.as_limbs()[0]
}

fn set_commission(rec: &mut SequencerRewards, c: Commission) {
    rec.commission_bps.set(U16::from(c.current_bps));
    rec.next_commission_bps.set(U16::from(c.next_bps));
    rec.next_commission_at.set(U64::from(c.next_at));
}

// ==================================================================================== the distributor

impl RewardDistributor {
    pub fn setup(&mut self, governance: Address, pool: Address, submitter: Address, reward_payer: Address, treasury: Address, first_epoch: u64) -> Result<(), Error> {
        if governance.is_zero() || pool.is_zero() {
            return Err(Error::ZeroAddress(ZeroAddress {}));
        }
        self.governance.set(governance);
        self.pool.set(pool);
        let out = self.query_pool(&call_data(ILockingPool::tokenCall::SELECTOR, &[]))?;
        self.token.set(Address::from_word(word(&out, 0).into()));
        self.apply_submitter(submitter)?;
        self.apply_reward_payer(reward_payer)?;
        self.apply_treasury(treasury)?;
        self.apply_commission_terms(DEFAULT_MAX_COMMISSION_BPS, DEFAULT_COMMISSION_DELAY)?;
        self.next_epoch.set(U64::from(first_epoch));
        Ok(())
    }

    // ------------------------------------------------------------------------ access

    /// The caller, if it is governance (the timelock).
    pub fn only_governance(&self) -> Result<Address, Error> {
        let caller = self.vm().msg_sender();
        if caller != self.governance.get() {
            return Err(Error::NotGovernance(NotGovernance { caller }));
        }
        Ok(caller)
    }

    pub fn only_pool(&self) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        if caller != self.pool.get() {
            return Err(Error::NotPool(NotPool { caller }));
        }
        Ok(())
    }

    // ------------------------------------------------------------------------ governance

    pub fn apply_reward_per_block(&mut self, reward_per_block: U256) -> Result<(), Error> {
        if reward_per_block > MAX_REWARD_PER_BLOCK {
            return Err(Error::InvalidRewardPerBlock(InvalidRewardPerBlock { rewardPerBlock: reward_per_block, max: MAX_REWARD_PER_BLOCK }));
        }
        let previous = store::u96(&self.reward_per_block);
        store::set_u96(&mut self.reward_per_block, reward_per_block);
        emit!(self.vm(), RewardPerBlockChanged { indexed: [], data: [previous, reward_per_block] });
        Ok(())
    }

    pub fn apply_treasury_bps(&mut self, bps: u16) -> Result<(), Error> {
        if bps > MAX_TREASURY_BPS {
            return Err(Error::InvalidTreasuryBps(InvalidTreasuryBps { bps, maxBps: MAX_TREASURY_BPS }));
        }
        let previous = store::u16(&self.treasury_bps);
        self.treasury_bps.set(U16::from(bps));
        emit!(self.vm(), TreasuryBpsChanged { indexed: [], data: [previous, bps] });
        Ok(())
    }

    pub fn apply_treasury(&mut self, treasury: Address) -> Result<(), Error> {
        let previous = Self::replace(&mut self.treasury, treasury)?;
        emit!(self.vm(), TreasuryChanged { indexed: [], data: [previous, treasury] });
        Ok(())
    }

    pub fn apply_reward_payer(&mut self, payer: Address) -> Result<(), Error> {
        let previous = Self::replace(&mut self.reward_payer, payer)?;
        emit!(self.vm(), RewardPayerChanged { indexed: [], data: [previous, payer] });
        Ok(())
    }

    pub fn apply_submitter(&mut self, submitter: Address) -> Result<(), Error> {
        let previous = Self::replace(&mut self.submitter, submitter)?;
        emit!(self.vm(), SubmitterChanged { indexed: [], data: [previous, submitter] });
        Ok(())
    }

    /// Sets a role's address (never zero) and returns the previous one.
    fn replace(field: &mut stylus_sdk::storage::StorageAddress, next: Address) -> Result<Address, Error> {
        if next.is_zero() {
            return Err(Error::ZeroAddress(ZeroAddress {}));
        }
        let previous = field.get();
        field.set(next);
        Ok(previous)
    }

    pub fn apply_commission_terms(&mut self, max_bps: u16, delay: u64) -> Result<(), Error> {
        if max_bps > BPS || delay > MAX_COMMISSION_DELAY {
            return Err(Error::InvalidCommissionTerms(InvalidCommissionTerms { maxCommissionBps: max_bps, commissionDelay: delay, maxDelay: MAX_COMMISSION_DELAY }));
        }
        self.max_commission_bps.set(U16::from(max_bps));
        self.commission_delay.set(U64::from(delay));
        emit!(self.vm(), CommissionTermsChanged { indexed: [], data: [max_bps, delay] });
        Ok(())
    }

    // ------------------------------------------------------------------------ operators

    /// The owner schedules a commission change: what is pending is split at the old rate
    /// first, so the new one applies only to amounts credited after it takes effect.
    pub fn schedule_commission(&mut self, sequencer_id: U256, bps: u16) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        let stakes = self.stakes(sequencer_id)?;
        if caller != stakes.owner {
            return Err(Error::NotSequencerOwner(NotSequencerOwner { sequencerId: sequencer_id, caller }));
        }
        self.settle_at(sequencer_id, &stakes);
        let now = self.vm().block_timestamp();
        let (max_bps, delay) = (store::u16(&self.max_commission_bps), store::u64(&self.commission_delay));
        let mut rec = self.sequencers.setter(sequencer_id);
        let scheduled = commission_of(&rec).schedule(bps, now, delay, max_bps).map_err(|e| match e {
            CommissionError::AboveCap { bps, max_bps } => Error::CommissionAboveCap(CommissionAboveCap { bps, maxBps: max_bps }),
        })?;
        set_commission(&mut rec, scheduled);
        emit!(self.vm(), CommissionScheduled { indexed: [sequencer_id], data: [scheduled.current_bps, scheduled.next_bps, scheduled.next_at] });
        Ok(())
    }

    // ------------------------------------------------------------------------ credit

    /// Credits a batch: each signer's `blocks * rewardPerBlock`, less the treasury's share, to
    /// its sequencer's pending amount; then pulls the total from the reward payer.
    pub fn submit(&mut self, batch_id: U256, start_epoch: U256, end_epoch: U256, signers: &[Address], blocks: &[U256]) -> Result<U256, Error> {
        let caller = self.vm().msg_sender();
        if caller != self.submitter.get() {
            return Err(Error::NotSubmitter(NotSubmitter { caller }));
        }
        self.pausable.when_not_paused()?;
        let counts = check_batch(batch_id, store::u64(&self.last_batch_id), start_epoch, end_epoch, store::u64(&self.next_epoch), signers, blocks)?;
        let reward_per_block = low128(store::u96(&self.reward_per_block));
        // Each product is below 2^160 and there are at most 100: the sum fits 256 bits.
        let total_blocks: U256 = counts.iter().map(|c| U256::from(*c)).sum();
        let total = check_room(total_blocks * U256::from(reward_per_block), u128_of(&self.total_funded))?;
        let ids = self.signer_ids(signers)?;
        let treasury_bps = store::u16(&self.treasury_bps);
        let now = self.vm().block_timestamp();
        let mut treasury_share = 0u128;
        for ((signer, id), count) in signers.iter().zip(&ids).zip(&counts) {
            if id.is_zero() {
                return Err(Error::UnknownSigner(UnknownSigner { signer: *signer }));
            }
            // `count * reward_per_block <= total < 2^128`.
            let reward = u128::from(*count) * reward_per_block;
            let treasury = bps_of(reward, treasury_bps);
            treasury_share += treasury;
            self.credit(*id, reward - treasury, now)?;
        }
        self.fund(total, treasury_share);
        self.last_batch_id.set(U64::from(low64(batch_id)));
        self.next_epoch.set(U64::from(low64(end_epoch) + 1));
        let digest = keccak(digest_input(signers, blocks));
        self.batch_digests.setter(batch_id).set(digest);
        let total = U256::from(total);
        emit!(self.vm(), RewardBatchSubmitted {
            indexed: [batch_id],
            data: [start_epoch, end_epoch, digest, U256::from(signers.len()), total_blocks, total, U256::from(treasury_share)],
        });
        let (token, payer, this) = (self.token.get(), self.reward_payer.get(), self.vm().contract_address());
        token::safe_transfer_from(self, token, payer, this, total)?;
        Ok(total)
    }

    /// Credits the caller's `amount` of fees to one sequencer.
    pub fn deposit_for_sequencer(&mut self, sequencer_id: U256, amount: U256) -> Result<(), Error> {
        self.pausable.when_not_paused()?;
        let value = self.check_deposit(amount)?;
        self.stakes(sequencer_id)?;
        let treasury = bps_of(value, store::u16(&self.treasury_bps));
        let now = self.vm().block_timestamp();
        self.credit(sequencer_id, value - treasury, now)?;
        self.fund(value, treasury);
        let from = self.vm().msg_sender();
        emit!(self.vm(), FeesDeposited { indexed: [sequencer_id, from], data: [amount, U256::from(treasury)] });
        self.pull(from, amount)
    }

    /// Credits the caller's `amount` of fees to a batch's signers, pro rata to their blocks.
    pub fn deposit_for_batch(&mut self, batch_id: U256, signers: &[Address], blocks: &[U256], amount: U256) -> Result<(), Error> {
        self.pausable.when_not_paused()?;
        let value = self.check_deposit(amount)?;
        let digest = self.batch_digests.get(batch_id);
        let given = keccak(digest_input(signers, blocks));
        if digest.is_zero() || digest != given {
            return Err(Error::BatchMismatch(BatchMismatch { batchId: batch_id, digest, given }));
        }
        // A stored batch passed `check_batch`: every count is in 1..2^64.
        let counts: Vec<u64> = blocks.iter().map(|b| low64(*b)).collect();
        let (shares, dust) = fee_shares(value, &counts);
        let ids = self.signer_ids(signers)?;
        let treasury_bps = store::u16(&self.treasury_bps);
        let now = self.vm().block_timestamp();
        let mut treasury_share = dust;
        for (id, share) in ids.iter().zip(shares) {
            let treasury = bps_of(share, treasury_bps);
            treasury_share += treasury;
            self.credit(*id, share - treasury, now)?;
        }
        self.fund(value, treasury_share);
        let from = self.vm().msg_sender();
        emit!(self.vm(), BatchFeesDeposited { indexed: [batch_id, from], data: [amount, U256::from(treasury_share)] });
        self.pull(from, amount)
    }

    fn check_deposit(&self, amount: U256) -> Result<u128, Error> {
        if amount.is_zero() {
            return Err(Error::ZeroAmount(ZeroAmount {}));
        }
        check_room(amount, u128_of(&self.total_funded))
    }

    /// Adds `net` to the sequencer's pending amount: one read and one write. If a commission
    /// change came due since the last credit, what is pending was credited under the old rate
    /// and is split at it first (this reads the pool, once per change).
    fn credit(&mut self, sequencer_id: U256, net: u128, now: u64) -> Result<(), Error> {
        let rec = self.sequencers.getter(sequencer_id);
        // Only a scheduled change can be due: reading its time alone first spares a batch two
        // storage reads per signer in the usual case.
        let due = match store::u64(&rec.next_commission_at) {
            0 => None,
            _ => Some(commission_of(&rec)).filter(|c| c.settled(now) != *c),
        };
        let pending = u128_of(&rec.pending);
        drop(rec);
        let pending = if let Some(commission) = due {
            if pending > 0 {
                let stakes = self.stakes(sequencer_id)?;
                self.settle_at(sequencer_id, &stakes);
            } else {
                set_commission(&mut self.sequencers.setter(sequencer_id), commission.settled(now));
            }
            0
        } else {
            pending
        };
        // Every pending amount is part of `total_funded < 2^128`.
        set_u128(&mut self.sequencers.setter(sequencer_id).pending, pending + net);
        Ok(())
    }

    /// Records `amount` more funding, `treasury` of it the treasury's: one slot.
    fn fund(&mut self, amount: u128, treasury: u128) {
        let funded = u128_of(&self.total_funded) + amount;
        set_u128(&mut self.total_funded, funded);
        let balance = u128_of(&self.treasury_balance) + treasury;
        set_u128(&mut self.treasury_balance, balance);
    }

    fn pull(&mut self, from: Address, amount: U256) -> Result<(), Error> {
        let (token, this) = (self.token.get(), self.vm().contract_address());
        Ok(token::safe_transfer_from(self, token, from, this, amount)?)
    }

    // ------------------------------------------------------------------------ settlement

    /// How the pending amount splits at `stakes`, and the commission schedule once settled.
    /// The rate is the one stored as current: a change that came due since was not yet applied
    /// to any credit, so all of `pending` accrued under the current rate.
    pub fn split_pending(&self, sequencer_id: U256, stakes: &Stakes) -> (Split, Commission) {
        let rec = self.sequencers.getter(sequencer_id);
        let (pending, commission) = (u128_of(&rec.pending), commission_of(&rec));
        let (lst, kept) = if stakes.lst.is_zero() { (0, 0) } else { lst_part(pending, stakes.operator, stakes.lst_stake, commission.current_bps) };
        (Split { treasury: 0, operator: pending - lst, lst, commission: kept }, commission)
    }

    /// Splits the pending amount at `stakes` into the operator's and the LST's balances.
    pub fn settle_at(&mut self, sequencer_id: U256, stakes: &Stakes) {
        let (split, commission) = self.split_pending(sequencer_id, stakes);
        let now = self.vm().block_timestamp();
        let settled = commission.settled(now);
        if split.total() == 0 {
            if settled != commission {
                set_commission(&mut self.sequencers.setter(sequencer_id), settled);
            }
            return;
        }
        let mut rec = self.sequencers.setter(sequencer_id);
        set_u128(&mut rec.pending, 0);
        let operator = u128_of(&rec.operator) + split.operator;
        set_u128(&mut rec.operator, operator);
        if settled != commission {
            set_commission(&mut rec, settled);
        }
        if split.lst > 0 {
            let mut balance = self.lst_balances.setter(stakes.lst);
            let next = u128_of(&balance) + split.lst;
            set_u128(&mut balance, next);
        }
        emit!(self.vm(), RewardsSettled {
            indexed: [sequencer_id, stakes.lst],
            data: [U256::from(split.operator), U256::from(split.lst), U256::from(split.commission)],
        });
    }

    // ------------------------------------------------------------------------ claims

    /// Settles, then pays the operator's balance to the reward recipient.
    pub fn claim_operator(&mut self, sequencer_id: U256) -> Result<U256, Error> {
        let caller = self.vm().msg_sender();
        let stakes = self.stakes(sequencer_id)?;
        let out = self.query_pool(&call_data(ILockingPool::sequencerInfoCall::SELECTOR, &[sequencer_id.to_field()]))?;
        let recipient = Address::from_word(word(&out, 3).into());
        if caller != stakes.owner && caller != recipient {
            return Err(Error::NotOperatorOrRecipient(NotOperatorOrRecipient { sequencerId: sequencer_id, caller }));
        }
        self.settle_at(sequencer_id, &stakes);
        let amount = self.take_operator(sequencer_id, recipient)?;
        emit!(self.vm(), OperatorRewardsClaimed { indexed: [sequencer_id, recipient], data: [amount] });
        self.pay(recipient, amount)
    }

    /// Pays the operator's balance to the pool for compounding (zero is a valid answer).
    pub fn pay_compound(&mut self, sequencer_id: U256) -> Result<U256, Error> {
        let pool = self.pool.get();
        let amount = self.take_operator(sequencer_id, pool).unwrap_or_default();
        if amount.is_zero() {
            return Ok(amount);
        }
        emit!(self.vm(), RewardsCompounded { indexed: [sequencer_id], data: [amount] });
        self.pay(pool, amount)
    }

    pub fn claim_lst(&mut self) -> Result<U256, Error> {
        let lst = self.vm().msg_sender();
        let mut balance = self.lst_balances.setter(lst);
        let amount = u128_of(&balance);
        if amount == 0 {
            return Err(Error::NothingToClaim(NothingToClaim { account: lst }));
        }
        set_u128(&mut balance, 0);
        let amount = U256::from(amount);
        emit!(self.vm(), LstRewardsClaimed { indexed: [lst], data: [amount] });
        self.pay(lst, amount)
    }

    pub fn claim_treasury_balance(&mut self) -> Result<U256, Error> {
        let treasury = self.treasury.get();
        let amount = u128_of(&self.treasury_balance);
        if amount == 0 {
            return Err(Error::NothingToClaim(NothingToClaim { account: treasury }));
        }
        set_u128(&mut self.treasury_balance, 0);
        let amount = U256::from(amount);
        emit!(self.vm(), TreasuryRewardsClaimed { indexed: [treasury], data: [amount] });
        self.pay(treasury, amount)
    }

    /// Zeroes the operator's balance and returns it (`NothingToClaim(to)` when empty).
    fn take_operator(&mut self, sequencer_id: U256, to: Address) -> Result<U256, Error> {
        let mut rec = self.sequencers.setter(sequencer_id);
        let amount = u128_of(&rec.operator);
        if amount == 0 {
            return Err(Error::NothingToClaim(NothingToClaim { account: to }));
        }
        set_u128(&mut rec.operator, 0);
        Ok(U256::from(amount))
    }

    /// Records the payment and transfers it (effects before the interaction).
    fn pay(&mut self, to: Address, amount: U256) -> Result<U256, Error> {
        let paid = u128_of(&self.total_paid) + low128(amount);
        set_u128(&mut self.total_paid, paid);
        let token = self.token.get();
        token::safe_transfer(self, token, to, amount)?;
        Ok(amount)
    }

    // ------------------------------------------------------------------------ the pool

    /// The sequencer's owner, status and stakes (`delegation`); `UnknownSequencer` if the pool
    /// never registered it.
    pub fn stakes(&self, sequencer_id: U256) -> Result<Stakes, Error> {
        let out = self.query_pool(&call_data(ILockingPool::delegationCall::SELECTOR, &[sequencer_id.to_field()]))?;
        let status: u8 = word(&out, 1).saturating_to();
        if status == 0 {
            return Err(Error::UnknownSequencer(UnknownSequencer { sequencerId: sequencer_id }));
        }
        Ok(Stakes {
            owner: Address::from_word(word(&out, 0).into()),
            status,
            operator: word(&out, 2).saturating_to(),
            lst: Address::from_word(word(&out, 3).into()),
            lst_stake: word(&out, 4).saturating_to(),
        })
    }

    /// The sequencer each signer served (zero: none), in one call (`seqSignersOf`).
    fn signer_ids(&self, signers: &[Address]) -> Result<Vec<U256>, Error> {
        let tail = address_array(signers);
        let out = self.query_pool(&call_data(ILockingPool::seqSignersOfCall::SELECTOR, &[Field::Tail(&tail)]))?;
        // `(offset, length, ids...)`: the ids start at the third word.
        Ok((0..signers.len()).map(|i| word(&out, 2 + i)).collect())
    }

    #[inline(never)]
    fn query_pool(&self, data: &[u8]) -> Result<Vec<u8>, Error> {
        static_call(self.vm(), Call::new(), self.pool.get(), data)
            .map_err(|e| Error::PoolQueryFailed(QueryFailed { reason: Vec::<u8>::from(e) }))
    }
}

/// The `i`-th word of ABI-encoded `out` (zero past its end).
fn word(out: &[u8], i: usize) -> U256 {
    out.get(32 * i..32 * (i + 1)).map(U256::from_be_slice).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fee_shares_go_pro_rata_and_the_dust_is_counted() {
        assert_eq!(fee_shares(100, &[1, 1, 1]), (alloc::vec![33, 33, 33], 1));
        assert_eq!(fee_shares(1_000, &[1, 3]), (alloc::vec![250, 750], 0));
        assert_eq!(fee_shares(1, &[5]), (alloc::vec![1], 0));
        assert_eq!(fee_shares(u128::MAX, &[u64::MAX, 1]).0.iter().sum::<u128>() + fee_shares(u128::MAX, &[u64::MAX, 1]).1, u128::MAX);
    }

    #[test]
    fn the_digest_input_is_abi_encode_packed() {
        let (a, b) = (Address::repeat_byte(1), Address::repeat_byte(2));
        let input = digest_input(&[a, b], &[U256::from(7), U256::from(9)]);
        assert_eq!(input.len(), 128);
        assert_eq!(&input[12..32], a.as_slice());
        assert_eq!(&input[44..64], b.as_slice());
        assert_eq!(input[95], 7);
        assert_eq!(input[127], 9);
    }

    #[test]
    fn room_is_what_keeps_funding_below_2_pow_128() {
        assert_eq!(check_room(U256::from(5), u128::MAX - 5).unwrap(), 5);
        assert!(matches!(check_room(U256::from(6), u128::MAX - 5), Err(Error::AmountTooLarge(e)) if e.max == U256::from(5)));
    }

    proptest! {
        /// The shares and the dust always sum to the amount, and the dust is below one wei per share.
        #[test]
        fn fee_shares_conserve(amount in any::<u128>(), blocks in proptest::collection::vec(1..=u64::MAX, 1..=100)) {
            let (shares, dust) = fee_shares(amount, &blocks);
            prop_assert_eq!(shares.iter().sum::<u128>() + dust, amount);
            prop_assert!(dust < blocks.len() as u128);
        }
    }
}
