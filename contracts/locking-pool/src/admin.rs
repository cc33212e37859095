//! Program 2 of the pool, `locking-pool-admin`: governance. Parameters, forced exits, owner
//! admission, pause, roles and the default admin's two-step transfer, with their views. Like
//! the module, it runs on the pool's storage through the entry program's `delegatecall`.

use alloy_primitives::{aliases::U48, Address, B256, U256, U64};
use dseq_abi::locking_pool::{ILockingPool::*, ADMISSION_ROLE, PAUSER_ROLE, UPGRADER_ROLE};
use dseq_kit::{
    access::{DEFAULT_ADMIN_DELAY_INCREASE_WAIT, DEFAULT_ADMIN_ROLE},
    emit, store,
};
use locking_pool_state::{null_address, rules, Error};
use stylus_sdk::prelude::*;

use crate::LockingPool;

#[dseq_program::public(program = 2)]
impl LockingPool {
    /// Disables initialization of the program's own storage (it is only used through the pool).
    #[constructor]
    pub fn admin_constructor(&mut self) {
        self.pool.initializable.disable();
    }

    // ------------------------------------------------------------------------ governance

    /// Starts the exit of an active sequencer. Works while paused and without a recipient.
    pub fn force_unlock(&mut self, sequencer_id: U256, _l2_gas: u32) -> Result<(), Error> {
        self.pool.only_role(DEFAULT_ADMIN_ROLE)?;
        self.pool.require_active(sequencer_id)?;
        self.exit(sequencer_id, true)
    }

    /// Admits or revokes a sequencer owner. Revocation never blocks exits or claims.
    pub fn set_whitelist(&mut self, user: Address, yes: bool) -> Result<(), Error> {
        self.pool.only_role(ADMISSION_ROLE)?;
        if user.is_zero() {
            return Err(null_address());
        }
        self.pool.whitelist.setter(user).set(yes);
        emit!(self.vm(), SetWhitelist { indexed: [user], data: [yes] });
        Ok(())
    }

    /// Sets both stake bounds at once, so raising or lowering them never passes through an
    /// invalid pair. Existing stakes outside the new bounds can still withdraw and exit.
    pub fn set_lock_bounds(&mut self, min_lock: U256, max_lock: U256) -> Result<(), Error> {
        self.pool.only_role(DEFAULT_ADMIN_ROLE)?;
        rules::check_lock_bounds(min_lock, max_lock)?;
        store::set_u256(&mut self.pool.min_lock, min_lock);
        store::set_u256(&mut self.pool.max_lock, max_lock);
        emit!(self.vm(), SetLockBounds { indexed: [], data: [min_lock, max_lock] });
        Ok(())
    }

    /// Sets the exit delay for future exits and withdrawal requests.
    pub fn update_withdraw_delay_time_value(&mut self, delay: U256) -> Result<(), Error> {
        self.pool.only_role(DEFAULT_ADMIN_ROLE)?;
        let delay = rules::check_exit_delay(delay)?;
        let prev = self.pool.exit_delay_period.get();
        self.pool.exit_delay_period.set(U64::from(delay));
        emit!(self.vm(), WithdrawDelayTimeChange { indexed: [], data: [delay, prev] });
        Ok(())
    }

    pub fn set_signer_rotation_delay(&mut self, throttle: u64) -> Result<(), Error> {
        self.pool.only_role(DEFAULT_ADMIN_ROLE)?;
        rules::check_signer_rotation_delay(throttle)?;
        self.pool.signer_update_throttle.set(U64::from(throttle));
        emit!(self.vm(), SignerRotationDelayChanged { indexed: [], data: [throttle] });
        Ok(())
    }

    pub fn set_max_withdrawal_requests(&mut self, max_requests: u64) -> Result<(), Error> {
        self.pool.only_role(DEFAULT_ADMIN_ROLE)?;
        rules::check_max_withdrawal_requests(max_requests)?;
        self.pool.max_withdrawal_requests.set(U64::from(max_requests));
        emit!(self.vm(), SetMaxWithdrawalRequests { indexed: [], data: [max_requests] });
        Ok(())
    }

    /// Sets the reward distributor that compounding pulls from; zero disables compounding.
    pub fn set_reward_distributor(&mut self, distributor: Address) -> Result<(), Error> {
        self.pool.only_role(DEFAULT_ADMIN_ROLE)?;
        let previous = self.pool.reward_distributor.get();
        self.pool.reward_distributor.set(distributor);
        emit!(self.vm(), RewardDistributorChanged { indexed: [], data: [previous, distributor] });
        Ok(())
    }

    /// Sets the LST registry. Pairings and terms it set stay; a new registry takes over naming
    /// delegates and terms.
    pub fn set_lst_registry(&mut self, registry: Address) -> Result<(), Error> {
        self.pool.only_role(DEFAULT_ADMIN_ROLE)?;
        let previous = self.pool.lst_registry.get();
        self.pool.lst_registry.set(registry);
        emit!(self.vm(), LstRegistryChanged { indexed: [], data: [previous, registry] });
        Ok(())
    }

    pub fn pause(&mut self) -> Result<(), Error> {
        let account = self.pool.only_role(PAUSER_ROLE)?;
        Ok(self.pool.pausable.pause(account)?)
    }

    pub fn unpause(&mut self) -> Result<(), Error> {
        let account = self.pool.only_role(PAUSER_ROLE)?;
        Ok(self.pool.pausable.unpause(account)?)
    }

    pub fn grant_role(&mut self, role: B256, account: Address) -> Result<(), Error> {
        Ok(self.pool.access.grant_role(role, account)?)
    }

    pub fn revoke_role(&mut self, role: B256, account: Address) -> Result<(), Error> {
        Ok(self.pool.access.revoke_role(role, account)?)
    }

    pub fn renounce_role(&mut self, role: B256, caller_confirmation: Address) -> Result<(), Error> {
        Ok(self.pool.access.renounce_role(role, caller_confirmation)?)
    }

    // ------------------------------------------------------------------------ default admin (OpenZeppelin's AccessControlDefaultAdminRules)

    pub fn begin_default_admin_transfer(&mut self, new_admin: Address) -> Result<(), Error> {
        Ok(self.pool.access.begin_default_admin_transfer(new_admin)?)
    }

    pub fn cancel_default_admin_transfer(&mut self) -> Result<(), Error> {
        Ok(self.pool.access.cancel_default_admin_transfer()?)
    }

    pub fn accept_default_admin_transfer(&mut self) -> Result<(), Error> {
        Ok(self.pool.access.accept_default_admin_transfer()?)
    }

    pub fn change_default_admin_delay(&mut self, new_delay: U48) -> Result<(), Error> {
        Ok(self.pool.access.change_default_admin_delay(new_delay.to::<u64>())?)
    }

    pub fn rollback_default_admin_delay(&mut self) -> Result<(), Error> {
        Ok(self.pool.access.rollback_default_admin_delay()?)
    }

    pub fn default_admin(&self) -> Address {
        self.pool.access.default_admin()
    }

    /// ERC-5313: the account that administers the pool (the default admin).
    pub fn owner(&self) -> Address {
        self.pool.access.default_admin()
    }

    pub fn pending_default_admin(&self) -> (Address, U48) {
        let (admin, schedule) = self.pool.access.pending_default_admin();
        (admin, U48::from(schedule))
    }

    pub fn default_admin_delay(&self) -> U48 {
        U48::from(self.pool.access.default_admin_delay())
    }

    pub fn pending_default_admin_delay(&self) -> (U48, U48) {
        let (delay, schedule) = self.pool.access.pending_default_admin_delay();
        (U48::from(delay), U48::from(schedule))
    }

    pub fn default_admin_delay_increase_wait(&self) -> U48 {
        U48::from(DEFAULT_ADMIN_DELAY_INCREASE_WAIT)
    }

    /// Counting stake votes in `votes` from now on; once, before any stake is locked.
    pub fn set_voting_token(&mut self, votes: Address) -> Result<(), Error> {
        self.pool.only_role(DEFAULT_ADMIN_ROLE)?;
        if votes.is_zero() {
            return Err(null_address());
        }
        let current = self.pool.votes.get();
        if !current.is_zero() {
            return Err(Error::VotingTokenAlreadySet(VotingTokenAlreadySet { votes: current }));
        }
        let total_locked = store::u128(&self.pool.total_locked);
        if !total_locked.is_zero() {
            return Err(Error::StakeAlreadyLocked(StakeAlreadyLocked { totalLocked: total_locked }));
        }
        self.pool.votes.set(votes);
        emit!(self.vm(), VotingTokenSet { indexed: [], data: [votes] });
        Ok(())
    }

    // ------------------------------------------------------------------------ views

    pub fn voting_token(&self) -> Address {
        self.pool.votes.get()
    }

    pub fn reward_distributor(&self) -> Address {
        self.pool.reward_distributor.get()
    }

    pub fn signer_rotation_delay(&self) -> u64 {
        store::u64(&self.pool.signer_update_throttle)
    }

    pub fn max_withdrawal_requests(&self) -> u64 {
        store::u64(&self.pool.max_withdrawal_requests)
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

    #[selector(name = "UPGRADER_ROLE")]
    pub fn upgrader_role(&self) -> B256 {
        UPGRADER_ROLE
    }
}
