//! Role-based access control with OpenZeppelin's `AccessControl` ABI, so that governance UIs and
//! explorers that already understand roles work unchanged.
//!
//! Every role is administered by [`DEFAULT_ADMIN_ROLE`], which the timelock holds in production:
//! the admin grants and revokes roles, and a holder may renounce its own role.
//!
//! The default admin follows OpenZeppelin's `AccessControlDefaultAdminRules`: exactly one account
//! holds it (`defaultAdmin()`), it moves only in two steps with a delay
//! (`beginDefaultAdminTransfer`, then `acceptDefaultAdminTransfer` by the new admin once
//! `defaultAdminDelay` has passed; `cancelDefaultAdminTransfer`), it can never be granted or
//! revoked directly, and renouncing it needs a scheduled transfer to the zero address that has
//! matured, so it is never lost by accident. Changing the delay waits too: an increase takes
//! effect after `min(newDelay, 5 days)`, a decrease after the difference.

#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, B256};
use alloy_sol_types::sol;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU64},
};

use crate::store;

/// The role that administers every other role (the zero word, as in OpenZeppelin).
pub const DEFAULT_ADMIN_ROLE: B256 = B256::ZERO;

/// The longest wait before an increase of the admin delay takes effect (OpenZeppelin's default).
pub const DEFAULT_ADMIN_DELAY_INCREASE_WAIT: u64 = 5 * 24 * 3600;

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

    /// A default admin transfer to `newAdmin` was scheduled; it can be accepted from `acceptSchedule`.
    #[derive(Debug)]
    event DefaultAdminTransferScheduled(address indexed newAdmin, uint48 acceptSchedule);
    /// A pending default admin transfer was cancelled (or replaced).
    #[derive(Debug)]
    event DefaultAdminTransferCanceled();
    /// The default admin delay becomes `newDelay` at `effectSchedule`.
    #[derive(Debug)]
    event DefaultAdminDelayChangeScheduled(uint48 newDelay, uint48 effectSchedule);
    /// A pending delay change was cancelled (or replaced).
    #[derive(Debug)]
    event DefaultAdminDelayChangeCanceled();

    /// `defaultAdmin` is not a valid admin here (zero at setup, or not the pending admin).
    #[derive(Debug)]
    error AccessControlInvalidDefaultAdmin(address defaultAdmin);
    /// The default admin role is moved only by the two-step transfer.
    #[derive(Debug)]
    error AccessControlEnforcedDefaultAdminRules();
    /// The transfer or renounce is not (yet) allowed: it matures at `schedule` (0: none scheduled).
    #[derive(Debug)]
    error AccessControlEnforcedDefaultAdminDelay(uint48 schedule);
}

/// Failures of [`AccessControl`].
#[derive(SolidityError, Debug)]
pub enum Error {
    /// The caller lacks the role the call needs.
    UnauthorizedAccount(AccessControlUnauthorizedAccount),
    /// A role can only be renounced by its holder.
    BadConfirmation(AccessControlBadConfirmation),
    /// Not the pending default admin, or a zero initial admin.
    InvalidDefaultAdmin(AccessControlInvalidDefaultAdmin),
    /// The default admin role cannot be granted or revoked directly.
    EnforcedDefaultAdminRules(AccessControlEnforcedDefaultAdminRules),
    /// The transfer or renounce is not mature.
    EnforcedDefaultAdminDelay(AccessControlEnforcedDefaultAdminDelay),
}

/// Role membership (`role => account => member`) and the default admin's two-step transfer.
#[storage]
pub struct AccessControl {
    members: StorageMap<B256, StorageMap<Address, StorageBool>>,
    /// The one holder of [`DEFAULT_ADMIN_ROLE`] (zero once renounced).
    default_admin: StorageAddress,
    pending_admin: StorageAddress,
    /// When the pending admin may accept (0: no transfer scheduled).
    pending_admin_schedule: StorageU64,
    /// Seconds a default admin transfer waits.
    admin_delay: StorageU64,
    pending_delay: StorageU64,
    /// When `pending_delay` replaces `admin_delay` (0: no change scheduled).
    pending_delay_schedule: StorageU64,
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

    /// Sets up the roles of a fresh contract: `admin` becomes the default admin, with transfers
    /// waiting `delay` seconds, and gets `roles` too. `sender` is reported in `RoleGranted`.
    pub fn initialize(&mut self, admin: Address, delay: u64, roles: &[B256], sender: Address) -> Result<(), Error> {
        if admin.is_zero() {
            return Err(Error::InvalidDefaultAdmin(AccessControlInvalidDefaultAdmin { defaultAdmin: admin }));
        }
        if !self.default_admin.get().is_zero() {
            return Err(enforced_rules());
        }
        self.default_admin.set(admin);
        store::set_u64(&mut self.admin_delay, delay);
        self.grant(DEFAULT_ADMIN_ROLE, admin, sender);
        for &role in roles {
            self.grant(role, admin, sender);
        }
        Ok(())
    }

    /// Grants `role` to `account` without an authorization check, for a contract's initializer
    /// (after [`AccessControl::initialize`]) to set up accounts other than the admin. Never the
    /// default admin role, which only [`AccessControl::initialize`] and the two-step transfer
    /// give. `sender` is reported in `RoleGranted`.
    pub fn grant_initial(&mut self, role: B256, account: Address, sender: Address) -> Result<(), Error> {
        if role == DEFAULT_ADMIN_ROLE {
            return Err(enforced_rules());
        }
        self.grant(role, account, sender);
        Ok(())
    }

    /// Grants `role` to `account` if the caller is an admin. Never the default admin role.
    pub fn grant_role(&mut self, role: B256, account: Address) -> Result<(), Error> {
        let sender = self.vm().msg_sender();
        self.check_role(DEFAULT_ADMIN_ROLE, sender)?;
        if role == DEFAULT_ADMIN_ROLE {
            return Err(enforced_rules());
        }
        self.grant(role, account, sender);
        Ok(())
    }

    /// Revokes `role` from `account` if the caller is an admin. Never the default admin role.
    pub fn revoke_role(&mut self, role: B256, account: Address) -> Result<(), Error> {
        let sender = self.vm().msg_sender();
        self.check_role(DEFAULT_ADMIN_ROLE, sender)?;
        if role == DEFAULT_ADMIN_ROLE {
            return Err(enforced_rules());
        }
        self.revoke(role, account, sender);
        Ok(())
    }

    /// Drops the caller's own `role`; `confirmation` must be the caller (a typo guard). The
    /// default admin renounces only through a matured transfer to the zero address.
    pub fn renounce_role(&mut self, role: B256, confirmation: Address) -> Result<(), Error> {
        let sender = self.vm().msg_sender();
        if confirmation != sender {
            return Err(Error::BadConfirmation(AccessControlBadConfirmation {}));
        }
        if role == DEFAULT_ADMIN_ROLE && sender == self.default_admin.get() {
            let schedule = store::u64(&self.pending_admin_schedule);
            if !self.pending_admin.get().is_zero() || !self.matured(schedule) {
                return Err(enforced_delay(schedule));
            }
            store::set_u64(&mut self.pending_admin_schedule, 0);
            self.default_admin.set(Address::ZERO);
        }
        self.revoke(role, sender, sender);
        Ok(())
    }

    // -------------------------------------------------------------------- default admin rules

    /// The default admin.
    pub fn default_admin(&self) -> Address {
        self.default_admin.get()
    }

    /// `(newAdmin, acceptSchedule)` of the pending transfer (zeros when none).
    pub fn pending_default_admin(&self) -> (Address, u64) {
        (self.pending_admin.get(), store::u64(&self.pending_admin_schedule))
    }

    /// The delay in force now (a scheduled change counts once its time has come).
    pub fn default_admin_delay(&self) -> u64 {
        let schedule = store::u64(&self.pending_delay_schedule);
        if self.matured(schedule) {
            store::u64(&self.pending_delay)
        } else {
            store::u64(&self.admin_delay)
        }
    }

    /// `(newDelay, effectSchedule)` of a delay change not yet in force (zeros when none).
    pub fn pending_default_admin_delay(&self) -> (u64, u64) {
        let schedule = store::u64(&self.pending_delay_schedule);
        if schedule == 0 || self.matured(schedule) {
            (0, 0)
        } else {
            (store::u64(&self.pending_delay), schedule)
        }
    }

    /// Starts moving the default admin role to `new_admin` (zero: to renounce it), acceptable
    /// after the delay. Replaces a pending transfer.
    pub fn begin_default_admin_transfer(&mut self, new_admin: Address) -> Result<(), Error> {
        self.check_role(DEFAULT_ADMIN_ROLE, self.vm().msg_sender())?;
        let schedule = self.vm().block_timestamp().saturating_add(self.default_admin_delay());
        self.set_pending_admin(new_admin, schedule);
        crate::emit!(self.vm(), DefaultAdminTransferScheduled { indexed: [new_admin], data: [schedule] });
        Ok(())
    }

    /// Cancels the pending transfer.
    pub fn cancel_default_admin_transfer(&mut self) -> Result<(), Error> {
        self.check_role(DEFAULT_ADMIN_ROLE, self.vm().msg_sender())?;
        self.set_pending_admin(Address::ZERO, 0);
        Ok(())
    }

    /// Completes the transfer: the caller must be the pending admin, once its time has come.
    pub fn accept_default_admin_transfer(&mut self) -> Result<(), Error> {
        let (sender, (pending, schedule)) = (self.vm().msg_sender(), self.pending_default_admin());
        if sender != pending {
            return Err(Error::InvalidDefaultAdmin(AccessControlInvalidDefaultAdmin { defaultAdmin: sender }));
        }
        if !self.matured(schedule) {
            return Err(enforced_delay(schedule));
        }
        let old = self.default_admin.get();
        self.revoke(DEFAULT_ADMIN_ROLE, old, sender);
        self.default_admin.set(sender);
        self.grant(DEFAULT_ADMIN_ROLE, sender, sender);
        self.pending_admin.set(Address::ZERO);
        store::set_u64(&mut self.pending_admin_schedule, 0);
        Ok(())
    }

    /// Schedules a change of the delay: an increase waits `min(new_delay, 5 days)`, a decrease
    /// waits the difference, so the delay can never be cut faster than it protects.
    pub fn change_default_admin_delay(&mut self, new_delay: u64) -> Result<(), Error> {
        self.check_role(DEFAULT_ADMIN_ROLE, self.vm().msg_sender())?;
        let current = self.default_admin_delay();
        let wait = if new_delay > current {
            new_delay.min(DEFAULT_ADMIN_DELAY_INCREASE_WAIT)
        } else {
            current - new_delay
        };
        let schedule = self.vm().block_timestamp().saturating_add(wait);
        self.set_pending_delay(new_delay, schedule);
        crate::emit!(self.vm(), DefaultAdminDelayChangeScheduled { indexed: [], data: [new_delay, schedule] });
        Ok(())
    }

    /// Cancels a scheduled delay change that has not taken effect.
    pub fn rollback_default_admin_delay(&mut self) -> Result<(), Error> {
        self.check_role(DEFAULT_ADMIN_ROLE, self.vm().msg_sender())?;
        self.set_pending_delay(0, 0);
        Ok(())
    }

    /// `schedule` is set and has passed.
    fn matured(&self, schedule: u64) -> bool {
        schedule != 0 && schedule <= self.vm().block_timestamp()
    }

    fn set_pending_admin(&mut self, admin: Address, schedule: u64) {
        if store::u64(&self.pending_admin_schedule) != 0 {
            crate::emit!(self.vm(), DefaultAdminTransferCanceled { indexed: [], data: [] });
        }
        self.pending_admin.set(admin);
        store::set_u64(&mut self.pending_admin_schedule, schedule);
    }

    fn set_pending_delay(&mut self, delay: u64, schedule: u64) {
        let old_schedule = store::u64(&self.pending_delay_schedule);
        if old_schedule != 0 {
            if self.matured(old_schedule) {
                // The old change took effect: it becomes the current delay.
                let effective = store::u64(&self.pending_delay);
                store::set_u64(&mut self.admin_delay, effective);
            } else {
                crate::emit!(self.vm(), DefaultAdminDelayChangeCanceled { indexed: [], data: [] });
            }
        }
        store::set_u64(&mut self.pending_delay, delay);
        store::set_u64(&mut self.pending_delay_schedule, schedule);
    }

    /// Grants without an authorization check. Emits only on a change.
    fn grant(&mut self, role: B256, account: Address, sender: Address) {
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

fn enforced_rules() -> Error {
    Error::EnforcedDefaultAdminRules(AccessControlEnforcedDefaultAdminRules {})
}

fn enforced_delay(schedule: u64) -> Error {
    Error::EnforcedDefaultAdminDelay(AccessControlEnforcedDefaultAdminDelay { schedule: alloy_primitives::aliases::U48::from(schedule) })
}
