//! An emergency stop with OpenZeppelin's `Pausable` ABI and events. Contracts decide which
//! entry points it gates; exits and claims of funds already owed must stay open.

#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::Address;
use alloy_sol_types::sol;
use stylus_sdk::{prelude::*, storage::StorageBool};

sol! {
    /// `account` paused the contract.
    #[derive(Debug)]
    event Paused(address account);
    /// `account` lifted the pause.
    #[derive(Debug)]
    event Unpaused(address account);

    /// The call is not allowed while the contract is paused.
    #[derive(Debug)]
    error EnforcedPause();
    /// The call needs the contract to be paused.
    #[derive(Debug)]
    error ExpectedPause();
}

/// Failures of [`Pausable`].
#[derive(SolidityError, Debug)]
pub enum Error {
    /// The contract is paused.
    EnforcedPause(EnforcedPause),
    /// The contract is not paused.
    ExpectedPause(ExpectedPause),
}

/// The pause flag.
#[storage]
pub struct Pausable {
    paused: StorageBool,
}

impl Pausable {
    /// Whether the contract is paused.
    pub fn paused(&self) -> bool {
        self.paused.get()
    }

    /// Fails while paused.
    pub fn when_not_paused(&self) -> Result<(), Error> {
        if self.paused() {
            Err(Error::EnforcedPause(EnforcedPause {}))
        } else {
            Ok(())
        }
    }

    /// Pauses; `by` is recorded in the event. Fails if already paused.
    pub fn pause(&mut self, by: Address) -> Result<(), Error> {
        self.when_not_paused()?;
        self.paused.set(true);
        crate::emit!(self.vm(), Paused { indexed: [], data: [by] });
        Ok(())
    }

    /// Unpauses; `by` is recorded in the event. Fails if not paused.
    pub fn unpause(&mut self, by: Address) -> Result<(), Error> {
        if !self.paused() {
            return Err(Error::ExpectedPause(ExpectedPause {}));
        }
        self.paused.set(false);
        crate::emit!(self.vm(), Unpaused { indexed: [], data: [by] });
        Ok(())
    }
}
