//! # locking-pool
//!
//! Sequencer operators lock METIS here to run a sequencer: registration with a proof that the
//! operator holds the signer key, top-ups and reward compounding, partial withdrawals that wait
//! out the exit delay in a bounded queue, full exits, signer rotation and owner transfer. The
//! pool holds every token it accounts for, so at all times
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
//! The ABI does not fit one Stylus program, so the crate builds four (`dseq-program`): program
//! 0, [`entry`] (`locking-pool`), takes stake in and is the implementation behind the pool's
//! ERC-1967 proxy; program 1, [`module`] (`locking-pool-module`), pays it out and serves the
//! operators' settings and detailed views; program 2, [`admin`] (`locking-pool-admin`), is
//! governance; program 3, [`delegation`] (`locking-pool-delegation`), holds the stake paired
//! LSTs delegate to sequencers. All run on [`PoolState`], the only field of [`LockingPool`]. `initialize` sets a
//! proxy up once; each program's constructor disables initialization of the bare program.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
extern crate alloc;

pub mod admin;
pub mod delegation;
pub mod entry;
pub mod module;

use alloc::vec::Vec;
use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use dseq_abi::{metis_votes::IMetisVotes, rewards::IRewardDistributor};
use dseq_kit::{
    abi::{call_data, ToField},
    store,
};
use locking_pool_state::{CompoundFailed, Error, PoolState, ReportFailed};
use stylus_sdk::{call::call, prelude::*};

/// The pool contract: [`PoolState`] is its only field, so every program, running on the
/// proxy's storage, sees the same slots.
#[storage]
pub struct LockingPool {
    pool: PoolState,
}

impl dseq_program::Contract for LockingPool {
    const NAME: &'static str = "locking-pool";
    /// Version 2 (the feature `v2`) answers another build id, so its programs install only
    /// together.
    const VERSION: &'static str = if cfg!(feature = "v2") { concat!(env!("CARGO_PKG_VERSION"), "-v2") } else { env!("CARGO_PKG_VERSION") };
    const LAYOUT: &'static str = locking_pool_state::STORAGE_LAYOUT;
}

impl LockingPool {
    /// Tells the voting token (metis-votes) that `amount` of counting stake moved from owner
    /// `from` to owner `to` (zero `from`: staked; zero `to`: it stopped counting). Every
    /// program that changes counting stake calls it in the same transaction, so the token's
    /// checkpoints always equal the Active stake per owner. A refusal undoes the operation:
    /// stake must never count without being locked, nor stay counted once it leaves.
    #[inline(never)]
    pub(crate) fn report_stake(&mut self, from: Address, to: Address, amount: U256) -> Result<(), Error> {
        let votes = self.pool.votes.get();
        if votes.is_zero() || amount.is_zero() {
            return Ok(());
        }
        let data = call_data(IMetisVotes::moveStakeCall::SELECTOR, &[from.to_field(), to.to_field(), amount.to_field()]);
        let ctx = Call::new_mutating(self);
        call(self.vm(), ctx, votes, &data)
            .map_err(|e| Error::StakeReportFailed(ReportFailed { votes, reason: Vec::<u8>::from(e) }))?;
        Ok(())
    }

    /// Tells the reward distributor that the sequencer's stakes or LST are about to change,
    /// with the stakes that held until now, so it splits what they earned at them
    /// (`settleStakes`). Every program calls it before such a change, in the same transaction;
    /// a refusal undoes the change, since the split could no longer be made right. No
    /// distributor: nothing to tell.
    #[inline(never)]
    pub(crate) fn settle_rewards(&mut self, sequencer_id: U256) -> Result<(), Error> {
        let distributor = self.pool.reward_distributor.get();
        if distributor.is_zero() {
            return Ok(());
        }
        let seq = self.pool.sequencers.getter(sequencer_id);
        let (stake, lst, lst_stake) = (store::u128(&seq.amount), seq.delegate.get(), store::u96(&seq.delegated));
        drop(seq);
        let fields = [sequencer_id.to_field(), stake.to_field(), lst.to_field(), lst_stake.to_field()];
        let data = call_data(IRewardDistributor::settleStakesCall::SELECTOR, &fields);
        let ctx = Call::new_mutating(self);
        call(self.vm(), ctx, distributor, &data)
            .map_err(|e| Error::RewardSettlementFailed(CompoundFailed { distributor, reason: Vec::<u8>::from(e) }))?;
        Ok(())
    }

    /// Starts the exit of an Active sequencer: its stake stops counting and is claimable after
    /// the delay, and its LST's stake in it, if any, enters the LST's withdrawal queue with the
    /// same delay. Both stop voting in the same transaction.
    pub(crate) fn exit(&mut self, sequencer_id: U256, forced: bool) -> Result<(), Error> {
        self.settle_rewards(sequencer_id)?;
        let (owner, amount) = self.pool.start_exit(sequencer_id, forced);
        self.report_stake(owner, Address::ZERO, amount)?;
        let (lst, unwound) = self.pool.unwind_delegated(sequencer_id);
        self.report_stake(lst, Address::ZERO, unwound)
    }
}

/// Prints the pool's whole ABI (every program, and every error) as a Solidity interface, or
/// with the argument `constructor` the constructor's signature, as the SDK's export-abi does
/// (cargo-stylus asks for it before a deployment).
#[cfg(feature = "export-abi")]
pub fn print_from_args() {
    if std::env::args().nth(1).as_deref() == Some("constructor") {
        println!("constructor()");
        return;
    }
    dseq_program::print_abi("ILockingPool", LockingPool::ABI, locking_pool_state::Error::SIGNATURES);
}
