//! One-shot initialization for contracts deployed behind an ERC-1967 proxy.
//!
//! A Stylus constructor runs in the storage of the contract being deployed, so for an
//! implementation it cannot set up the proxy's state. The proxy instead calls `initialize`
//! (through `delegatecall`, atomically with its own deployment), and the implementation's
//! constructor calls [`Initializable::disable`] so nobody can initialize the bare implementation.
//!
//! [`Initializable::initialize`] also marks the SDK's constructor guard slot as used in the
//! caller's storage: otherwise anyone could call `stylus_constructor()` through the proxy and run
//! the implementation's constructor against the proxy's state.

#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_sol_types::sol;
use stylus_sdk::{abi::internal::CONSTRUCTOR_EXECUTED_SLOT, prelude::*, storage::StorageBool, storage::StorageU64};

sol! {
    /// The contract was initialized to `version` (`type(uint64).max` when disabled).
    #[derive(Debug)]
    event Initialized(uint64 version);

    /// `initialize` ran before, or this is an implementation whose initializers are disabled.
    #[derive(Debug)]
    error InvalidInitialization();
}

/// Failures of [`Initializable`].
#[derive(SolidityError, Debug)]
pub enum Error {
    /// Already initialized, or disabled.
    InvalidInitialization(InvalidInitialization),
}

/// The initialized version: 0 before `initialize`, 1 after, `u64::MAX` when disabled.
#[storage]
pub struct Initializable {
    version: StorageU64,
}

impl Initializable {
    /// The version this storage was initialized to.
    pub fn version(&self) -> u64 {
        self.version.get().to::<u64>()
    }

    /// Marks this storage as initialized (version 1). Fails if it already was, or is disabled.
    pub fn initialize(&mut self) -> Result<(), Error> {
        if self.version() != 0 {
            return Err(Error::InvalidInitialization(InvalidInitialization {}));
        }
        self.version.set(alloy_primitives::U64::from(1));
        // SAFETY: the slot is the SDK's own constructor guard; marking it used only blocks a
        // later `stylus_constructor()` call, which is the point.
        let mut guard = unsafe { StorageBool::new(CONSTRUCTOR_EXECUTED_SLOT, 0, self.vm().clone()) };
        guard.set(true);
        crate::emit!(self.vm(), Initialized { indexed: [], data: [1u64] });
        Ok(())
    }

    /// Forbids initialization forever (for an implementation contract's constructor).
    pub fn disable(&mut self) {
        if self.version() != u64::MAX {
            self.version.set(alloy_primitives::U64::MAX);
            crate::emit!(self.vm(), Initialized { indexed: [], data: [u64::MAX] });
        }
    }
}
