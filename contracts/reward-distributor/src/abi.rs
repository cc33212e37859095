//! The distributor's only program (`reward-distributor`), the implementation behind its proxy:
//! a thin shell over [`crate::logic`].

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use dseq_kit::store;
use stylus_sdk::prelude::*;

use crate::{logic, Error, RewardDistributor, MAX_BATCH_SIGNERS};

#[dseq_program::public(program = 0, programs = 1)]
impl RewardDistributor {
    /// Runs once, on the implementation: nobody may initialize the bare implementation.
    #[constructor]
    pub fn constructor(&mut self) {
        self.initializable.disable();
    }

    /// Sets up a proxy (see `IRewardDistributor.initialize`). Once only.
    #[allow(clippy::too_many_arguments)]
    pub fn initialize(
        &mut self,
        governance: Address,
        pool: Address,
        submitter: Address,
        reward_payer: Address,
        treasury: Address,
        reward_per_block: U256,
        treasury_bps: u16,
        first_epoch: u64,
    ) -> Result<(), Error> {
        self.initializable.initialize()?;
        self.setup(governance, pool, submitter, reward_payer, treasury, first_epoch)?;
        self.apply_reward_per_block(reward_per_block)?;
        self.apply_treasury_bps(treasury_bps)
    }

    // ------------------------------------------------------------------------ governance

    pub fn set_reward_per_block(&mut self, reward_per_block: U256) -> Result<(), Error> {
        self.only_governance()?;
        self.apply_reward_per_block(reward_per_block)
    }

    pub fn set_treasury_bps(&mut self, treasury_bps: u16) -> Result<(), Error> {
        self.only_governance()?;
        self.apply_treasury_bps(treasury_bps)
    }

    pub fn set_treasury(&mut self, treasury: Address) -> Result<(), Error> {
        self.only_governance()?;
        self.apply_treasury(treasury)
    }

    pub fn set_reward_payer(&mut self, reward_payer: Address) -> Result<(), Error> {
        self.only_governance()?;
        self.apply_reward_payer(reward_payer)
    }

    pub fn set_submitter(&mut self, submitter: Address) -> Result<(), Error> {
        self.only_governance()?;
        self.apply_submitter(submitter)
    }

    pub fn set_commission_terms(&mut self, max_commission_bps: u16, commission_delay: u64) -> Result<(), Error> {
        self.only_governance()?;
        self.apply_commission_terms(max_commission_bps, commission_delay)
    }

    pub fn pause(&mut self) -> Result<(), Error> {
        let caller = self.only_governance()?;
        Ok(self.pausable.pause(caller)?)
    }

    pub fn unpause(&mut self) -> Result<(), Error> {
        let caller = self.only_governance()?;
        Ok(self.pausable.unpause(caller)?)
    }

    // ------------------------------------------------------------------------ operators

    pub fn set_commission(&mut self, sequencer_id: U256, bps: u16) -> Result<(), Error> {
        self.schedule_commission(sequencer_id, bps)
    }

    // ------------------------------------------------------------------------ credit

    pub fn submit_batch(
        &mut self,
        batch_id: U256,
        start_epoch: U256,
        end_epoch: U256,
        signers: Vec<Address>,
        blocks: Vec<U256>,
    ) -> Result<U256, Error> {
        self.submit(batch_id, start_epoch, end_epoch, &signers, &blocks)
    }

    pub fn deposit_fees(&mut self, sequencer_id: U256, amount: U256) -> Result<(), Error> {
        self.deposit_for_sequencer(sequencer_id, amount)
    }

    pub fn deposit_batch_fees(&mut self, batch_id: U256, signers: Vec<Address>, blocks: Vec<U256>, amount: U256) -> Result<(), Error> {
        self.deposit_for_batch(batch_id, &signers, &blocks, amount)
    }

    // ------------------------------------------------------------------------ settlement and claims

    pub fn settle(&mut self, sequencer_id: U256) -> Result<(), Error> {
        let stakes = self.stakes(sequencer_id)?;
        self.settle_at(sequencer_id, &stakes);
        Ok(())
    }

    pub fn settle_stakes(&mut self, sequencer_id: U256, operator_stake: U256, lst: Address, lst_stake: U256) -> Result<(), Error> {
        self.only_pool()?;
        let stakes = logic::Stakes { owner: Address::ZERO, status: 0, operator: operator_stake.saturating_to(), lst, lst_stake: lst_stake.saturating_to() };
        self.settle_at(sequencer_id, &stakes);
        Ok(())
    }

    pub fn claim_operator_rewards(&mut self, sequencer_id: U256) -> Result<U256, Error> {
        self.claim_operator(sequencer_id)
    }

    pub fn claim_for_compound(&mut self, sequencer_id: U256) -> Result<U256, Error> {
        self.only_pool()?;
        self.pay_compound(sequencer_id)
    }

    pub fn claim_lst_rewards(&mut self) -> Result<U256, Error> {
        self.claim_lst()
    }

    pub fn claim_treasury(&mut self) -> Result<U256, Error> {
        self.claim_treasury_balance()
    }

    // ------------------------------------------------------------------------ views

    /// `(pending, operatorClaimable, commissionBps, nextCommissionBps, nextCommissionAt)`.
    pub fn sequencer_rewards(&self, sequencer_id: U256) -> (U256, U256, u16, u16, u64) {
        let rec = self.sequencers.getter(sequencer_id);
        let commission = logic::commission_of(&rec).settled(self.vm().block_timestamp());
        (store::u128(&rec.pending), store::u128(&rec.operator), commission.current_bps, commission.next_bps, commission.next_at)
    }

    /// `(lst, operatorShare, lstShare, commission)`.
    pub fn preview_settlement(&self, sequencer_id: U256) -> Result<(Address, U256, U256, U256), Error> {
        let stakes = self.stakes(sequencer_id)?;
        let (split, _) = self.split_pending(sequencer_id, &stakes);
        Ok((stakes.lst, U256::from(split.operator), U256::from(split.lst), U256::from(split.commission)))
    }

    pub fn lst_rewards(&self, lst: Address) -> U256 {
        store::u128(&self.lst_balances.getter(lst))
    }

    pub fn treasury_rewards(&self) -> U256 {
        store::u128(&self.treasury_balance)
    }

    /// `(funded, paid)`.
    pub fn totals(&self) -> (U256, U256) {
        (store::u128(&self.total_funded), store::u128(&self.total_paid))
    }

    /// `(batchId, nextEpoch)`.
    pub fn last_batch(&self) -> (U256, U256) {
        (U256::from(store::u64(&self.last_batch_id)), U256::from(store::u64(&self.next_epoch)))
    }

    pub fn batch_digest(&self, batch_id: U256) -> B256 {
        self.batch_digests.get(batch_id)
    }

    pub fn reward_per_block(&self) -> U256 {
        store::u96(&self.reward_per_block)
    }

    pub fn treasury_bps(&self) -> u16 {
        store::u16(&self.treasury_bps)
    }

    /// `(maxCommissionBps, commissionDelay)`.
    pub fn commission_terms(&self) -> (u16, u64) {
        (store::u16(&self.max_commission_bps), store::u64(&self.commission_delay))
    }

    pub fn max_batch_signers(&self) -> U256 {
        U256::from(MAX_BATCH_SIGNERS)
    }

    pub fn governance(&self) -> Address {
        self.governance.get()
    }

    pub fn pool(&self) -> Address {
        self.pool.get()
    }

    pub fn token(&self) -> Address {
        self.token.get()
    }

    pub fn submitter(&self) -> Address {
        self.submitter.get()
    }

    pub fn reward_payer(&self) -> Address {
        self.reward_payer.get()
    }

    pub fn treasury(&self) -> Address {
        self.treasury.get()
    }

    pub fn paused(&self) -> bool {
        self.pausable.paused()
    }
}
