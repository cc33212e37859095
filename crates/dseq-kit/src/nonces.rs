//! Per-account nonces for signed messages (OpenZeppelin's `Nonces`): each signature names the
//! next nonce of its signer, and using it moves the nonce on, so a signature works once.

#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, U256};
use alloy_sol_types::sol;
use stylus_sdk::{
    prelude::*,
    storage::{StorageMap, StorageU256},
};

sol! {
    /// `account`'s next nonce is `currentNonce`, not the one the signature names.
    #[derive(Debug)]
    error InvalidAccountNonce(address account, uint256 currentNonce);
}

/// The next nonce of every account.
#[storage]
pub struct Nonces {
    nonces: StorageMap<Address, StorageU256>,
}

impl Nonces {
    /// The nonce `owner`'s next signature must name.
    pub fn nonce(&self, owner: Address) -> U256 {
        self.nonces.get(owner)
    }

    /// Consumes `owner`'s next nonce and returns it (OpenZeppelin's `_useNonce`): for a
    /// signature whose struct names the nonce, so a replay no longer verifies.
    pub fn use_nonce(&mut self, owner: Address) -> U256 {
        let current = self.nonces.get(owner);
        // A nonce is a counter of signatures: 2^256 of them cannot be made.
        self.nonces.insert(owner, current.wrapping_add(U256::from(1)));
        current
    }

    /// Consumes `nonce` for `owner` if it is the next one.
    pub fn use_checked(&mut self, owner: Address, nonce: U256) -> Result<(), InvalidAccountNonce> {
        let current = self.nonces.get(owner);
        if nonce != current {
            return Err(InvalidAccountNonce { account: owner, currentNonce: current });
        }
        // A nonce is a counter of signatures: 2^256 of them cannot be made.
        self.nonces.insert(owner, current.wrapping_add(U256::from(1)));
        Ok(())
    }
}
