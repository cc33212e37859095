//! Role-based access control with OpenZeppelin's `AccessControl` ABI, so that governance UIs and
//! explorers that already understand roles work unchanged.
//!
//! Every role is administered by [`DEFAULT_ADMIN_ROLE`], which the timelock holds in production:
//! the admin grants and revokes roles, and a holder may renounce its own role.

#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, B256};
use alloy_sol_types::sol;
use stylus_sdk::{prelude::*, storage::StorageBool, storage::StorageMap};

/// The role that administers every other role (the zero word, as in OpenZeppelin).
pub const DEFAULT_ADMIN_ROLE: B256 = B256::ZERO;

sol! {
    /// `account` was granted `role` by `sender`.
    #[derive(Debug)]
    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
    /// `account` lost `role`; `sender` revoked it (or is `account` itself when renouncing).
    #[derive(Debug)]
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);

    /// `account` lacks `neededRole` for the call it made.
    #[derive(Debug)]
    error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
    /// `renounceRole` was called for an account other than the caller.
    #[derive(Debug)]
    error AccessControlBadConfirmation();
}

/// Failures of [`AccessControl`].
#[derive(SolidityError, Debug)]
pub enum Error {
    /// The caller lacks the role the call needs.
    UnauthorizedAccount(AccessControlUnauthorizedAccount),
    /// A role can only be renounced by its holder.
    BadConfirmation(AccessControlBadConfirmation),
}

/// Role membership: `role => account => member`.
#[storage]
pub struct AccessControl {
    members: StorageMap<B256, StorageMap<Address, StorageBool>>,
}

impl AccessControl {
    /// Whether `account` holds `role`.
    pub fn has_role(&self, role: B256, account: Address) -> bool {
        self.members.getter(role).get(account)
    }

    /// Fails unless `account` holds `role`.
    pub fn check_role(&self, role: B256, account: Address) -> Result<(), Error> {
        if self.has_role(role, account) {
            Ok(())
        } else {
            Err(Error::UnauthorizedAccount(AccessControlUnauthorizedAccount {
                account,
                neededRole: role,
            }))
        }
    }

    /// Grants `role` to `account` if the caller is an admin.
    pub fn grant_role(&mut self, role: B256, account: Address) -> Result<(), Error> {
        let sender = self.vm().msg_sender();
        self.check_role(DEFAULT_ADMIN_ROLE, sender)?;
        self.grant(role, account, sender);
        Ok(())
    }

    /// Revokes `role` from `account` if the caller is an admin.
    pub fn revoke_role(&mut self, role: B256, account: Address) -> Result<(), Error> {
        let sender = self.vm().msg_sender();
        self.check_role(DEFAULT_ADMIN_ROLE, sender)?;
        self.revoke(role, account, sender);
        Ok(())
    }

    /// Drops the caller's own `role`; `confirmation` must be the caller (a typo guard).
    pub fn renounce_role(&mut self, role: B256, confirmation: Address) -> Result<(), Error> {
        let sender = self.vm().msg_sender();
        if confirmation != sender {
            return Err(Error::BadConfirmation(AccessControlBadConfirmation {}));
        }
        self.revoke(role, sender, sender);
        Ok(())
    }

    /// Grants without an authorization check (initializers only). Emits only on a change.
    pub fn grant(&mut self, role: B256, account: Address, sender: Address) {
        let mut member = self.members.setter(role);
        let mut slot = member.setter(account);
        if !slot.get() {
            slot.set(true);
            crate::emit!(self.vm(), RoleGranted { indexed: [role, account, sender], data: [] });
        }
    }

    fn revoke(&mut self, role: B256, account: Address, sender: Address) {
        let mut member = self.members.setter(role);
        let mut slot = member.setter(account);
        if slot.get() {
            slot.set(false);
            crate::emit!(self.vm(), RoleRevoked { indexed: [role, account, sender], data: [] });
        }
    }
}
