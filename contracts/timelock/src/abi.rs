//! The public ABI (`ITimelock.sol`): a thin shell over [`crate::operations`]. One program,
//! built `self_reentrant`: an operation that targets the timelock (`updateDelay`, `grantRole`,
//! ...) re-enters it from its own address, which is accepted; re-entry from any other address
//! is refused, as Stylus refuses all re-entry by default.

use alloc::vec::Vec;
use core::slice;

use alloy_primitives::{Address, B256, U256};
use dseq_abi::timelock::{CANCELLER_ROLE, DONE, EXECUTOR_ROLE, PROPOSER_ROLE, READY, UNSET, WAITING};
use dseq_kit::access::DEFAULT_ADMIN_ROLE;

use crate::{operations, Error, Timelock};

#[dseq_program::public(program = 0, programs = 1, self_reentrant)]
impl Timelock {
    /// Runs once, on the implementation: nobody may initialize the bare implementation.
    #[constructor]
    pub fn constructor(&mut self) {
        self.initializable.disable();
    }

    /// Sets up a proxy: see [`Timelock::setup`].
    pub fn initialize(
        &mut self,
        min_delay: U256,
        proposers: Vec<Address>,
        executors: Vec<Address>,
        cancellers: Vec<Address>,
    ) -> Result<(), Error> {
        self.setup(min_delay, &proposers, &executors, &cancellers)
    }

    /// Plain METIS transfers are accepted (OpenZeppelin's `receive`): operations spend them as
    /// `value`. Also on re-entry, so a called contract may refund the timelock.
    #[receive]
    pub fn receive(&self) {}

    // ------------------------------------------------------------------------ operation views

    pub fn is_operation(&self, id: B256) -> bool {
        self.state(id) != UNSET
    }

    pub fn is_operation_pending(&self, id: B256) -> bool {
        matches!(self.state(id), WAITING | READY)
    }

    pub fn is_operation_ready(&self, id: B256) -> bool {
        self.state(id) == READY
    }

    pub fn is_operation_done(&self, id: B256) -> bool {
        self.state(id) == DONE
    }

    pub fn get_timestamp(&self, id: B256) -> U256 {
        self.timestamps.get(id)
    }

    pub fn get_operation_state(&self, id: B256) -> u8 {
        self.state(id)
    }

    pub fn get_min_delay(&self) -> U256 {
        self.min_delay.get()
    }

    pub fn hash_operation(target: Address, value: U256, data: Vec<u8>, predecessor: B256, salt: B256) -> B256 {
        operations::hash_operation(target, value, &data, predecessor, salt)
    }

    pub fn hash_operation_batch(
        targets: Vec<Address>,
        values: Vec<U256>,
        payloads: Vec<Vec<u8>>,
        predecessor: B256,
        salt: B256,
    ) -> B256 {
        operations::hash_operation_batch(&targets, &values, &payloads, predecessor, salt)
    }

    // ------------------------------------------------------------------------ operations

    pub fn schedule(
        &mut self,
        target: Address,
        value: U256,
        data: Vec<u8>,
        predecessor: B256,
        salt: B256,
        delay: U256,
    ) -> Result<(), Error> {
        self.only_role(PROPOSER_ROLE)?;
        let id = operations::hash_operation(target, value, &data, predecessor, salt);
        self.schedule_calls(id, &[target], &[value], slice::from_ref(&data), predecessor, salt, delay)
    }

    pub fn schedule_batch(
        &mut self,
        targets: Vec<Address>,
        values: Vec<U256>,
        payloads: Vec<Vec<u8>>,
        predecessor: B256,
        salt: B256,
        delay: U256,
    ) -> Result<(), Error> {
        self.only_role(PROPOSER_ROLE)?;
        operations::check_lengths(&targets, &values, &payloads)?;
        let id = operations::hash_operation_batch(&targets, &values, &payloads, predecessor, salt);
        self.schedule_calls(id, &targets, &values, &payloads, predecessor, salt, delay)
    }

    pub fn cancel(&mut self, id: B256) -> Result<(), Error> {
        self.only_role(CANCELLER_ROLE)?;
        self.cancel_operation(id)
    }

    /// Fails with the target's revert data when a call reverts (see [`Timelock::execute_calls`]).
    #[payable]
    pub fn execute(&mut self, target: Address, value: U256, payload: Vec<u8>, predecessor: B256, salt: B256) -> Result<(), Vec<u8>> {
        self.only_role_or_open(EXECUTOR_ROLE)?;
        let id = operations::hash_operation(target, value, &payload, predecessor, salt);
        self.execute_calls(id, &[target], &[value], slice::from_ref(&payload), predecessor)
    }

    #[payable]
    pub fn execute_batch(
        &mut self,
        targets: Vec<Address>,
        values: Vec<U256>,
        payloads: Vec<Vec<u8>>,
        predecessor: B256,
        salt: B256,
    ) -> Result<(), Vec<u8>> {
        self.only_role_or_open(EXECUTOR_ROLE)?;
        operations::check_lengths(&targets, &values, &payloads)?;
        let id = operations::hash_operation_batch(&targets, &values, &payloads, predecessor, salt);
        self.execute_calls(id, &targets, &values, &payloads, predecessor)
    }

    /// The timelock itself only, i.e. through an operation.
    pub fn update_delay(&mut self, new_delay: U256) -> Result<(), Error> {
        self.only_self()?;
        self.set_min_delay(new_delay);
        Ok(())
    }

    // ------------------------------------------------------------------------ roles

    #[selector(name = "PROPOSER_ROLE")]
    pub fn proposer_role(&self) -> B256 {
        PROPOSER_ROLE
    }

    #[selector(name = "EXECUTOR_ROLE")]
    pub fn executor_role(&self) -> B256 {
        EXECUTOR_ROLE
    }

    #[selector(name = "CANCELLER_ROLE")]
    pub fn canceller_role(&self) -> B256 {
        CANCELLER_ROLE
    }

    #[selector(name = "DEFAULT_ADMIN_ROLE")]
    pub fn default_admin_role(&self) -> B256 {
        DEFAULT_ADMIN_ROLE
    }

    pub fn has_role(&self, role: B256, account: Address) -> bool {
        self.access.has_role(role, account)
    }

    /// Every role is administered by `DEFAULT_ADMIN_ROLE`, which only the timelock holds.
    pub fn get_role_admin(&self, _role: B256) -> B256 {
        DEFAULT_ADMIN_ROLE
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
}
