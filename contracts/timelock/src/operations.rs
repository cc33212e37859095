//! Operations: their ids, states, scheduling, cancelling and execution, in OpenZeppelin v5's
//! order of checks and effects (`TimelockController._schedule`, `_beforeCall`, `_execute`,
//! `_afterCall`).
//!
//! An operation's only record is its timestamp: 0 while unset (never scheduled, or
//! cancelled), [`DONE_TIMESTAMP`] once executed, else the time from which it is ready.
//!
//! Re-entry. Stylus refuses every call that re-enters a contract (the SDK's default, which
//! `dseq_program` keeps), so a target cannot call back into the timelock while an operation
//! runs. The one exception is the timelock's own address: this program is built
//! `self_reentrant`, because self-administration (`updateDelay`, `grantRole`, `revokeRole`)
//! works by operations that call the timelock. Such a re-entrant call sees a consistent state:
//! storage is flushed before every call and read afresh after it, and [`Timelock::execute_calls`]
//! checks again after the calls that the operation is still ready before marking it done, so
//! an operation that executes or cancels itself from inside fails as a whole (OpenZeppelin's
//! `_afterCall`).

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use dseq_abi::timelock::{state_bitmap, ITimelock::*, CANCELLER_ROLE, DONE, EXECUTOR_ROLE, PROPOSER_ROLE, READY, UNSET, WAITING};
use dseq_kit::{
    abi::{encode_fields, ToField},
    emit,
};
use dseq_program::abi::{push_u128, push_word};
use stylus_sdk::{
    call::call,
    crypto::keccak,
    prelude::*,
};

use crate::{Error, Timelock};

/// The timestamp of an executed operation (OpenZeppelin's `DONE_TIMESTAMP`).
pub const DONE_TIMESTAMP: U256 = U256::from_limbs([1, 0, 0, 0]);

/// `keccak256(abi.encode(target, value, data, predecessor, salt))`: a single call's id.
pub fn hash_operation(target: Address, value: U256, data: &[u8], predecessor: B256, salt: B256) -> B256 {
    let mut encoded = Vec::with_capacity(7 * 32 + data.len());
    encode_fields(
        &mut encoded,
        &[target.to_field(), value.to_field(), data.to_field(), predecessor.to_field(), salt.to_field()],
    );
    keccak(encoded)
}

/// `keccak256(abi.encode(targets, values, payloads, predecessor, salt))`: a batch's id.
pub fn hash_operation_batch(targets: &[Address], values: &[U256], payloads: &[Vec<u8>], predecessor: B256, salt: B256) -> B256 {
    keccak(encode_batch(targets, values, payloads, predecessor, salt))
}

/// `abi.encode(address[], uint256[], bytes[], bytes32, bytes32)`.
pub fn encode_batch(targets: &[Address], values: &[U256], payloads: &[Vec<u8>], predecessor: B256, salt: B256) -> Vec<u8> {
    let mut out = Vec::new();
    // Heads: the three arrays' offsets, then the two words.
    let targets_at = 5 * 32;
    let values_at = targets_at + 32 * (1 + targets.len());
    let payloads_at = values_at + 32 * (1 + values.len());
    push_u128(&mut out, targets_at as u128);
    push_u128(&mut out, values_at as u128);
    push_u128(&mut out, payloads_at as u128);
    push_word(&mut out, &predecessor.0);
    push_word(&mut out, &salt.0);
    push_u128(&mut out, targets.len() as u128);
    for target in targets {
        push_word(&mut out, &target.into_word().0);
    }
    push_u128(&mut out, values.len() as u128);
    for value in values {
        push_word(&mut out, &value.to_be_bytes::<32>());
    }
    // `bytes[]`: the count, each element's offset (from the first offset word), the elements.
    push_u128(&mut out, payloads.len() as u128);
    let mut offset = 32 * payloads.len();
    for payload in payloads {
        push_u128(&mut out, offset as u128);
        offset += 32 + payload.len().div_ceil(32) * 32;
    }
    for payload in payloads {
        push_u128(&mut out, payload.len() as u128);
        out.extend_from_slice(payload);
        out.resize(out.len() + (32 - payload.len() % 32) % 32, 0);
    }
    out
}

/// A batch lists as many targets as values and payloads.
pub fn check_lengths(targets: &[Address], values: &[U256], payloads: &[Vec<u8>]) -> Result<(), Error> {
    if targets.len() != values.len() || targets.len() != payloads.len() {
        return Err(Error::TimelockInvalidOperationLength(TimelockInvalidOperationLength {
            targets: U256::from(targets.len()),
            payloads: U256::from(payloads.len()),
            values: U256::from(values.len()),
        }));
    }
    Ok(())
}

/// `TimelockUnexpectedOperationState(id, bitmap of states)`.
fn unexpected_state(id: B256, states: &[u8]) -> Error {
    Error::TimelockUnexpectedOperationState(TimelockUnexpectedOperationState {
        operationId: id,
        expectedStates: state_bitmap(states),
    })
}

impl Timelock {
    // ------------------------------------------------------------------------ setup

    /// `initialize`: once. The timelock (the proxy's own address) becomes the only default
    /// admin; each proposer gets `PROPOSER_ROLE` and `CANCELLER_ROLE`, each executor
    /// `EXECUTOR_ROLE` (`address(0)`: anyone may execute), each extra canceller
    /// `CANCELLER_ROLE` only. The caller gets nothing and is named as the `sender` of each
    /// `RoleGranted`, as OpenZeppelin's constructor names the deployer.
    pub fn setup(&mut self, min_delay: U256, proposers: &[Address], executors: &[Address], cancellers: &[Address]) -> Result<(), Error> {
        self.initializable.initialize()?;
        let (this, sender) = (self.vm().contract_address(), self.vm().msg_sender());
        self.access.initialize(this, 0, &[], sender)?;
        for &proposer in proposers {
            self.access.grant_initial(PROPOSER_ROLE, proposer, sender)?;
            self.access.grant_initial(CANCELLER_ROLE, proposer, sender)?;
        }
        for &executor in executors {
            self.access.grant_initial(EXECUTOR_ROLE, executor, sender)?;
        }
        for &canceller in cancellers {
            self.access.grant_initial(CANCELLER_ROLE, canceller, sender)?;
        }
        self.set_min_delay(min_delay);
        Ok(())
    }

    /// Sets the minimum delay and emits `MinDelayChange(old, new)`.
    pub fn set_min_delay(&mut self, new_delay: U256) {
        let old = self.min_delay.get();
        emit!(self.vm(), MinDelayChange { indexed: [], data: [old, new_delay] });
        self.min_delay.set(new_delay);
    }

    // ------------------------------------------------------------------------ authorization

    /// Fails unless the caller holds `role`.
    pub fn only_role(&self, role: B256) -> Result<(), Error> {
        Ok(self.access.check_role(role, self.vm().msg_sender())?)
    }

    /// OpenZeppelin's `onlyRoleOrOpenRole`: anyone when `address(0)` holds `role`.
    pub fn only_role_or_open(&self, role: B256) -> Result<(), Error> {
        if self.access.has_role(role, Address::ZERO) {
            return Ok(());
        }
        self.only_role(role)
    }

    /// Fails unless the caller is the timelock itself (an operation calling it).
    pub fn only_self(&self) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        if caller != self.vm().contract_address() {
            return Err(Error::TimelockUnauthorizedCaller(TimelockUnauthorizedCaller { caller }));
        }
        Ok(())
    }

    // ------------------------------------------------------------------------ states

    /// `getOperationState`: Unset, Waiting (not yet due), Ready (due) or Done.
    pub fn state(&self, id: B256) -> u8 {
        let timestamp = self.timestamps.get(id);
        if timestamp.is_zero() {
            UNSET
        } else if timestamp == DONE_TIMESTAMP {
            DONE
        } else if timestamp > U256::from(self.vm().block_timestamp()) {
            WAITING
        } else {
            READY
        }
    }

    // ------------------------------------------------------------------------ schedule, cancel

    /// `_schedule` and its events: `id` must be unset, `delay` at least the minimum, and the
    /// ready time must fit in a word. One `CallScheduled` per call, then `CallSalt` if `salt`
    /// is set. The caller checked the role and the lengths.
    #[allow(clippy::too_many_arguments)]
    pub fn schedule_calls(
        &mut self,
        id: B256,
        targets: &[Address],
        values: &[U256],
        payloads: &[Vec<u8>],
        predecessor: B256,
        salt: B256,
        delay: U256,
    ) -> Result<(), Error> {
        if self.state(id) != UNSET {
            return Err(unexpected_state(id, &[UNSET]));
        }
        let min_delay = self.min_delay.get();
        if delay < min_delay {
            return Err(Error::TimelockInsufficientDelay(TimelockInsufficientDelay { delay, minDelay: min_delay }));
        }
        let ready_at = U256::from(self.vm().block_timestamp())
            .checked_add(delay)
            .ok_or(Error::TimelockDelayOverflow(TimelockDelayOverflow { delay }))?;
        self.timestamps.insert(id, ready_at);
        for (i, target) in targets.iter().enumerate() {
            emit!(self.vm(), CallScheduled {
                indexed: [id, U256::from(i)],
                data: [*target, values[i], payloads[i], predecessor, delay],
            });
        }
        if !salt.is_zero() {
            emit!(self.vm(), CallSalt { indexed: [id], data: [salt] });
        }
        Ok(())
    }

    /// `cancel`: only a pending (waiting or ready) operation. The caller checked the role.
    pub fn cancel_operation(&mut self, id: B256) -> Result<(), Error> {
        if !matches!(self.state(id), WAITING | READY) {
            return Err(unexpected_state(id, &[WAITING, READY]));
        }
        self.timestamps.delete(id);
        emit!(self.vm(), Cancelled { indexed: [id], data: [] });
        Ok(())
    }

    // ------------------------------------------------------------------------ execute

    /// Runs operation `id`: it must be ready and its predecessor (if any) done; each call is
    /// made in order with its value, then `CallExecuted` is emitted for it; finally the
    /// operation, checked ready again, is marked done. A reverting call fails the whole
    /// execution with the target's revert data, or `FailedCall()` when it had none, and the
    /// operation stays ready. The caller checked the role and the lengths.
    pub fn execute_calls(
        &mut self,
        id: B256,
        targets: &[Address],
        values: &[U256],
        payloads: &[Vec<u8>],
        predecessor: B256,
    ) -> Result<(), Vec<u8>> {
        // _beforeCall
        if self.state(id) != READY {
            return Err(unexpected_state(id, &[READY]).into());
        }
        if !predecessor.is_zero() && self.state(predecessor) != DONE {
            return Err(Error::TimelockUnexecutedPredecessor(TimelockUnexecutedPredecessor { predecessorId: predecessor }).into());
        }
        for (i, target) in targets.iter().enumerate() {
            self.call_target(*target, values[i], &payloads[i])?;
            emit!(self.vm(), CallExecuted {
                indexed: [id, U256::from(i)],
                data: [*target, values[i], payloads[i]],
            });
        }
        // _afterCall: the calls may have re-entered the timelock (it may be their target).
        if self.state(id) != READY {
            return Err(unexpected_state(id, &[READY]).into());
        }
        self.timestamps.insert(id, DONE_TIMESTAMP);
        Ok(())
    }

    /// `target.call{value}(data)` with OpenZeppelin's `Address.verifyCallResult`: a revert's
    /// data is passed up unchanged, an empty revert becomes `FailedCall()`. A call to an
    /// account without code succeeds, as in Solidity. The storage cache is flushed and cleared
    /// around the call, so a re-entrant call sees, and leaves, the true state.
    fn call_target(&mut self, target: Address, value: U256, data: &[u8]) -> Result<(), Vec<u8>> {
        let context = Call::new_payable(self, value);
        match call(self.vm(), context, target, data) {
            Ok(_) => Ok(()),
            Err(err) => {
                let reason: Vec<u8> = err.into();
                if reason.is_empty() {
                    Err(Error::FailedCall(FailedCall {}).into())
                } else {
                    Err(reason)
                }
            }
        }
    }
}
