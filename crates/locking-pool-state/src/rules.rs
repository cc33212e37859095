//! The pool's rules as plain functions over values, so tests reach them without a VM.

use alloy_primitives::{Address, U256};
use dseq_abi::locking_pool::{
    ILockingPool::{
        InvalidExitDelay, InvalidLockAmount, InvalidLockBounds, InvalidMaxWithdrawalRequests,
        InvalidSignerRotationDelay, LockAboveMax, LstCapExceeded, WithdrawalBelowMinLock, WithdrawalExceedsStake,
        ZeroWithdrawal,
    },
    MAX_EXIT_DELAY, MAX_SIGNER_ROTATION_DELAY, MAX_WITHDRAWAL_REQUESTS_CAP,
};

use crate::Error;

/// A new lock must be within `[min_lock, max_lock]`, both inclusive.
pub fn check_lock_amount(amount: U256, min_lock: U256, max_lock: U256) -> Result<(), Error> {
    if amount < min_lock || amount > max_lock {
        return Err(Error::InvalidLockAmount(InvalidLockAmount { amount, minLock: min_lock, maxLock: max_lock }));
    }
    Ok(())
}

/// The stake after adding `added`, which may not exceed `max_lock`.
pub fn relocked_amount(stake: U256, added: U256, max_lock: U256) -> Result<U256, Error> {
    match stake.checked_add(added) {
        Some(new_amount) if new_amount <= max_lock => Ok(new_amount),
        new_amount => Err(Error::LockAboveMax(LockAboveMax { newAmount: new_amount.unwrap_or(U256::MAX), maxLock: max_lock })),
    }
}

/// An LST's total delegated stake after `amount` more, which may not pass its `cap`.
pub fn delegated_total_after(lst: Address, staked: U256, amount: U256, cap: U256) -> Result<U256, Error> {
    match staked.checked_add(amount) {
        Some(total) if total <= cap => Ok(total),
        _ => Err(Error::LstCapExceeded(LstCapExceeded { lst, staked, amount, cap })),
    }
}

/// `total_locked` after `added` more is locked. The pool keeps `total_locked` and
/// `total_pending_withdrawals` in 128 bits each (one slot, which a withdrawal request, moving
/// stake from one to the other, writes once). Their sum bounds both and only grows here, as new
/// stake comes in: keeping it at most 2^128 - 1 keeps every later move between them and every
/// payout in range. All of METIS is about 2^83 wei; a token of larger supply is refused here,
/// as a lock above the pool's capacity, instead of wrapping the totals.
pub fn locked_total_after(total_locked: U256, total_pending: U256, added: U256) -> Result<U256, Error> {
    let capacity = U256::from(u128::MAX);
    // Saturating: `added` is bounded by maxLock, but the check must hold for any input.
    let locked = total_locked.saturating_add(added);
    let held = locked.saturating_add(total_pending);
    if held > capacity {
        return Err(Error::LockAboveMax(LockAboveMax { newAmount: held, maxLock: capacity }));
    }
    Ok(locked)
}

/// The stake left after withdrawing `amount`: positive, at most the stake, leaving `min_lock`.
pub fn remaining_after_withdrawal(stake: U256, amount: U256, min_lock: U256) -> Result<U256, Error> {
    if amount.is_zero() {
        return Err(Error::ZeroWithdrawal(ZeroWithdrawal {}));
    }
    let Some(remaining) = stake.checked_sub(amount) else {
        return Err(Error::WithdrawalExceedsStake(WithdrawalExceedsStake { amount, stake }));
    };
    if remaining < min_lock {
        return Err(Error::WithdrawalBelowMinLock(WithdrawalBelowMinLock { remaining, minLock: min_lock }));
    }
    Ok(remaining)
}

/// When a withdrawal requested at `now` matures: after the exit delay, and never before the
/// request ahead of it, so the queue always matures in order (a shortened delay cannot make a
/// later request overtake an earlier one).
pub fn withdrawal_matures_at(now: u64, exit_delay: u64, previous: Option<u64>) -> u64 {
    let own = now.saturating_add(exit_delay);
    previous.map_or(own, |previous| own.max(previous))
}

/// `min_lock` must be positive and at most `max_lock`; `max_lock` must fit in 128 bits, the
/// width stakes and withdrawal requests are stored in (2^128 wei is far above METIS's supply).
pub fn check_lock_bounds(min_lock: U256, max_lock: U256) -> Result<(), Error> {
    if min_lock.is_zero() || min_lock > max_lock || max_lock > U256::from(u128::MAX) {
        return Err(Error::InvalidLockBounds(InvalidLockBounds { minLock: min_lock, maxLock: max_lock }));
    }
    Ok(())
}

/// The exit delay must be positive and at most [`MAX_EXIT_DELAY`].
pub fn check_exit_delay(delay: U256) -> Result<u64, Error> {
    if delay.is_zero() || delay > U256::from(MAX_EXIT_DELAY) {
        return Err(Error::InvalidExitDelay(InvalidExitDelay { delay, maxDelay: U256::from(MAX_EXIT_DELAY) }));
    }
    Ok(delay.as_limbs()[0])
}

/// The signer rotation delay may be zero and at most [`MAX_SIGNER_ROTATION_DELAY`].
pub fn check_signer_rotation_delay(throttle: u64) -> Result<(), Error> {
    if throttle > MAX_SIGNER_ROTATION_DELAY {
        return Err(Error::InvalidSignerRotationDelay(InvalidSignerRotationDelay {
            delay: U256::from(throttle),
            maxDelay: U256::from(MAX_SIGNER_ROTATION_DELAY),
        }));
    }
    Ok(())
}

/// The open-request limit must be in `[1, MAX_WITHDRAWAL_REQUESTS_CAP]`.
pub fn check_max_withdrawal_requests(max_requests: u64) -> Result<(), Error> {
    if max_requests == 0 || max_requests > MAX_WITHDRAWAL_REQUESTS_CAP {
        return Err(Error::InvalidMaxWithdrawalRequests(InvalidMaxWithdrawalRequests {
            maxRequests: U256::from(max_requests),
            cap: U256::from(MAX_WITHDRAWAL_REQUESTS_CAP),
        }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(v: u64) -> U256 {
        U256::from(v)
    }

    #[test]
    fn lock_amount_bounds_are_inclusive() {
        assert!(check_lock_amount(u(10), u(10), u(20)).is_ok());
        assert!(check_lock_amount(u(20), u(10), u(20)).is_ok());
        assert!(matches!(check_lock_amount(u(9), u(10), u(20)), Err(Error::InvalidLockAmount(e)) if e.amount == u(9)));
        assert!(matches!(check_lock_amount(u(21), u(10), u(20)), Err(Error::InvalidLockAmount(e)) if e.maxLock == u(20)));
    }

    #[test]
    fn relock_stays_at_or_below_max_and_never_overflows() {
        assert_eq!(relocked_amount(u(10), u(10), u(20)).unwrap(), u(20));
        assert!(matches!(relocked_amount(u(10), u(11), u(20)), Err(Error::LockAboveMax(e)) if e.newAmount == u(21)));
        assert!(matches!(
            relocked_amount(U256::MAX, u(1), U256::MAX),
            Err(Error::LockAboveMax(e)) if e.newAmount == U256::MAX
        ));
    }

    #[test]
    fn pool_totals_stay_within_128_bits() {
        let max = U256::from(u128::MAX);
        assert_eq!(locked_total_after(u(10), u(5), u(7)).unwrap(), u(17));
        assert_eq!(locked_total_after(max - u(12), u(5), u(7)).unwrap(), max - u(5), "up to the capacity");
        // What is pending counts: it was locked, and a request only moves it.
        assert!(matches!(
            locked_total_after(max - u(12), u(6), u(7)),
            Err(Error::LockAboveMax(e)) if e.newAmount == max + u(1) && e.maxLock == max
        ));
        assert!(matches!(
            locked_total_after(U256::MAX, U256::MAX, U256::MAX),
            Err(Error::LockAboveMax(e)) if e.newAmount == U256::MAX
        ));
    }

    #[test]
    fn withdrawal_leaves_min_lock_and_never_underflows() {
        assert_eq!(remaining_after_withdrawal(u(30), u(10), u(20)).unwrap(), u(20));
        assert!(matches!(remaining_after_withdrawal(u(30), u(0), u(20)), Err(Error::ZeroWithdrawal(_))));
        assert!(matches!(
            remaining_after_withdrawal(u(30), u(11), u(20)),
            Err(Error::WithdrawalBelowMinLock(e)) if e.remaining == u(19) && e.minLock == u(20)
        ));
        assert!(matches!(
            remaining_after_withdrawal(u(30), u(31), u(0)),
            Err(Error::WithdrawalExceedsStake(e)) if e.amount == u(31) && e.stake == u(30)
        ));
    }

    #[test]
    fn withdrawals_mature_in_order() {
        assert_eq!(withdrawal_matures_at(100, 50, None), 150);
        assert_eq!(withdrawal_matures_at(100, 50, Some(120)), 150);
        assert_eq!(withdrawal_matures_at(100, 10, Some(150)), 150, "a shorter delay cannot overtake");
        assert_eq!(withdrawal_matures_at(u64::MAX, 1, None), u64::MAX);
    }

    #[test]
    fn parameter_checks() {
        assert!(check_lock_bounds(u(1), u(1)).is_ok());
        assert!(check_lock_bounds(u(0), u(1)).is_err());
        assert!(check_lock_bounds(u(2), u(1)).is_err());
        assert!(check_lock_bounds(u(1), U256::from(u128::MAX)).is_ok());
        assert!(check_lock_bounds(u(1), U256::from(u128::MAX) + u(1)).is_err());
        assert_eq!(check_exit_delay(u(1)).unwrap(), 1);
        assert_eq!(check_exit_delay(U256::from(MAX_EXIT_DELAY)).unwrap(), MAX_EXIT_DELAY);
        assert!(check_exit_delay(u(0)).is_err() && check_exit_delay(U256::from(MAX_EXIT_DELAY + 1)).is_err());
        assert!(check_exit_delay(U256::MAX).is_err(), "no truncation to 64 bits");
        assert!(check_signer_rotation_delay(0).is_ok() && check_signer_rotation_delay(MAX_SIGNER_ROTATION_DELAY).is_ok());
        assert!(check_signer_rotation_delay(MAX_SIGNER_ROTATION_DELAY + 1).is_err());
        assert!(check_max_withdrawal_requests(1).is_ok() && check_max_withdrawal_requests(MAX_WITHDRAWAL_REQUESTS_CAP).is_ok());
        assert!(check_max_withdrawal_requests(0).is_err() && check_max_withdrawal_requests(MAX_WITHDRAWAL_REQUESTS_CAP + 1).is_err());
    }
}

#[cfg(test)]
mod encoding_tests {
    use alloy_primitives::{Address, Bytes, B256, U256};
    use alloy_sol_types::SolError;
    use dseq_abi::locking_pool::ILockingPool::*;
    use dseq_kit::{access, ecdsa, initializable, pausable, token};
    use dseq_program::table as program;

    use crate::Error;

    /// The compact encoder lists each error's fields by hand: every variant must encode exactly
    /// as alloy encodes its `sol!` type (distinct values per field catch a wrong order).
    #[test]
    fn every_error_encodes_like_its_sol_type() {
        let (a, b) = (Address::repeat_byte(0xa1), Address::repeat_byte(0xb2));
        let (x, y, z) = (U256::from(11), U256::from(22), U256::from(33));
        let reason = Bytes::from(vec![7u8; 37]);
        macro_rules! check {
            ($($variant:ident($value:expr)),* $(,)?) => {$(
                let value = $value;
                let expected = value.abi_encode();
                assert_eq!(Vec::<u8>::from(Error::$variant(value)), expected, stringify!($variant));
            )*};
        }
        check!(
            NotWhitelisted(NotWhitelisted { account: a }),
            OwnedSequencer(OwnedSequencer { owner: a, sequencerId: x }),
            SignerExisted(SignerExisted { signer: a }),
            NoSuchSeq(NoSuchSeq { sequencerId: x }),
            NullAddress(NullAddress {}),
            SeqNotActive(SeqNotActive { sequencerId: x, status: 3 }),
            SeqNotInactive(SeqNotInactive { sequencerId: x, status: 2 }),
            NotSeqOwner(NotSeqOwner { sequencerId: x, caller: a }),
            NotSeqOwnerOrSigner(NotSeqOwnerOrSigner { sequencerId: x, caller: a }),
            NotPendingOwner(NotPendingOwner { sequencerId: x, caller: a }),
            InvalidProofLength(InvalidProofLength { length: x }),
            InvalidSignerProof(InvalidSignerProof { signer: a }),
            InvalidLockAmount(InvalidLockAmount { amount: x, minLock: y, maxLock: z }),
            LockAboveMax(LockAboveMax { newAmount: x, maxLock: y }),
            NoNewLockedAdded(NoNewLockedAdded {}),
            ZeroWithdrawal(ZeroWithdrawal {}),
            WithdrawalExceedsStake(WithdrawalExceedsStake { amount: x, stake: y }),
            WithdrawalBelowMinLock(WithdrawalBelowMinLock { remaining: x, minLock: y }),
            TooManyWithdrawalRequests(TooManyWithdrawalRequests { sequencerId: x, open: y, maxRequests: z }),
            NothingToClaim(NothingToClaim { sequencerId: x, nextClaimableAt: 99 }),
            UnlockNotReady(UnlockNotReady { sequencerId: x, unlockClaimTime: 98, now: 97 }),
            SignerRotationTooSoon(SignerRotationTooSoon { sequencerId: x, nextAllowedAt: 96 }),
            InvalidLockBounds(InvalidLockBounds { minLock: x, maxLock: y }),
            InvalidExitDelay(InvalidExitDelay { delay: x, maxDelay: y }),
            InvalidSignerRotationDelay(InvalidSignerRotationDelay { delay: x, maxDelay: y }),
            PublicKeyProofRefused(PublicKeyProofRefused { signer: a }),
            OpenWithdrawalRequests(OpenWithdrawalRequests { sequencerId: x, open: y }),
            InvalidMaxWithdrawalRequests(InvalidMaxWithdrawalRequests { maxRequests: x, cap: y }),
            NoRewardDistributor(NoRewardDistributor {}),
            RewardCompoundMismatch(RewardCompoundMismatch { reported: x, received: y }),
            AccessControlUnauthorizedAccount(access::AccessControlUnauthorizedAccount { account: a, neededRole: B256::repeat_byte(5) }),
            AccessControlBadConfirmation(access::AccessControlBadConfirmation {}),
            AccessControlInvalidDefaultAdmin(access::AccessControlInvalidDefaultAdmin { defaultAdmin: a }),
            AccessControlEnforcedDefaultAdminRules(access::AccessControlEnforcedDefaultAdminRules {}),
            AccessControlEnforcedDefaultAdminDelay(access::AccessControlEnforcedDefaultAdminDelay {
                schedule: alloy_primitives::aliases::U48::from(123_456u64),
            }),
            EnforcedPause(pausable::EnforcedPause {}),
            ExpectedPause(pausable::ExpectedPause {}),
            InvalidInitialization(initializable::InvalidInitialization {}),
            ECDSAInvalidSignature(ecdsa::ECDSAInvalidSignature {}),
            ECDSAInvalidSignatureS(ecdsa::ECDSAInvalidSignatureS { s: B256::repeat_byte(9) }),
            ProgramsNotInstalled(program::ProgramsNotInstalled { build: B256::repeat_byte(4) }),
            ProgramCountMismatch(program::ProgramCountMismatch { expected: x, given: y }),
            ProgramHasNoCode(program::ProgramHasNoCode { index: x, program: a }),
            ProgramMismatch(program::ProgramMismatch {
                index: x,
                program: a,
                expectedBuild: B256::repeat_byte(1),
                build: B256::repeat_byte(2),
                answeredIndex: z,
            }),
        );
        // The two errors carrying `bytes` hold them as plain vectors.
        let compound = crate::CompoundFailed { distributor: b, reason: reason.to_vec() };
        assert_eq!(
            Vec::<u8>::from(Error::RewardCompoundFailed(compound)),
            RewardCompoundFailed { distributor: b, reason: reason.clone() }.abi_encode()
        );
        let token_failed = token::CallFailed { token: b, reason: reason.to_vec() };
        assert_eq!(
            Vec::<u8>::from(Error::TokenCallFailed(token_failed)),
            token::TokenCallFailed { token: b, reason }.abi_encode()
        );
    }
}
