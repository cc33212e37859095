//! locking-pool: its interface, roles and default parameters.

use alloy_primitives::{b256, B256, U256};

alloy_sol_types::sol!(
    #[sol(all_derives)]
    "../../contracts/interfaces/ILockingPool.sol"
);

/// Role that admits and revokes sequencer owners: `keccak256("ADMISSION_ROLE")`. Held by the
/// sequencer election (and governance).
pub const ADMISSION_ROLE: B256 = b256!("61f19161910d05b837a16537e613a7a64b5e17df251b199f664468353176cf60");
/// Role that pauses and unpauses: `keccak256("PAUSER_ROLE")`.
pub const PAUSER_ROLE: B256 = b256!("65d7a28e3265b37a6474929f336521b332c1681b933f6cb9f3376673440d862a");
/// How long a transfer of the default admin role waits before the new admin can accept it.
pub const DEFAULT_ADMIN_DELAY: u64 = 3 * 24 * 3600;
/// Role that installs the pool's programs (`installPrograms`): `keccak256("UPGRADER_ROLE")`.
/// Separate from `DEFAULT_ADMIN_ROLE`, which sets parameters: swapping code is its own power.
pub const UPGRADER_ROLE: B256 = b256!("189ab7a9244df0848122154315af71fe140f3db0fe014031783b0946b8c9d2e3");

/// EIP-712 domain name of the signer proof.
pub const EIP712_NAME: &str = "dseq LockingPool";
/// EIP-712 domain version of the signer proof.
pub const EIP712_VERSION: &str = "1";
/// `keccak256("SignerProof(address owner)")`: a signer key signs this to accept serving `owner`.
pub const SIGNER_PROOF_TYPEHASH: B256 =
    b256!("160f6f245b35eb1fefe91f743ce16959af054f24016da6612fe670ce340bdba7");

/// One METIS in wei.
pub const METIS: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);
/// Default minimum stake: 20,000 METIS (Metis's `minLock`).
pub const DEFAULT_MIN_LOCK: U256 = U256::from_limbs([0x33c1_9375_6480_0000, 0x43c, 0, 0]);
/// Default maximum stake: 100,000 METIS (Metis's `maxLock`).
pub const DEFAULT_MAX_LOCK: U256 = U256::from_limbs([0x02c7_e14a_f680_0000, 0x152d, 0, 0]);
/// Default exit delay: 21 days (Metis's `exitDelayPeriod`).
pub const DEFAULT_EXIT_DELAY: u64 = 21 * 24 * 3600;
/// Longest exit delay governance may set: one year, so funds can never be frozen for good.
pub const MAX_EXIT_DELAY: u64 = 365 * 24 * 3600;
/// Default minimum time between signer rotations: one day.
pub const DEFAULT_SIGNER_ROTATION_DELAY: u64 = 24 * 3600;
/// Longest signer update throttle governance may set: 30 days.
pub const MAX_SIGNER_ROTATION_DELAY: u64 = 30 * 24 * 3600;
/// Default number of unclaimed withdrawal requests a sequencer may have open.
pub const DEFAULT_MAX_WITHDRAWAL_REQUESTS: u64 = 8;
/// Hard cap on open withdrawal requests: bounds the claim loop.
pub const MAX_WITHDRAWAL_REQUESTS_CAP: u64 = 32;

/// A sequencer's lifecycle status (Metis's numbering).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Status {
    /// No such sequencer.
    Unavailable = 0,
    /// Exiting: no longer counts, stake claimable after the delay.
    Inactive = 1,
    /// Registered and counting.
    Active = 2,
    /// Exited and paid out.
    Unlocked = 3,
}

impl Status {
    /// The status for a stored code; unknown codes read as `Unavailable`.
    pub const fn from_code(code: u8) -> Self {
        match code {
            1 => Self::Inactive,
            2 => Self::Active,
            3 => Self::Unlocked,
            _ => Self::Unavailable,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::keccak256;

    #[test]
    fn constants_match_their_definitions() {
        assert_eq!(ADMISSION_ROLE, keccak256("ADMISSION_ROLE"));
        assert_eq!(PAUSER_ROLE, keccak256("PAUSER_ROLE"));
        assert_eq!(UPGRADER_ROLE, keccak256("UPGRADER_ROLE"));
        assert_eq!(SIGNER_PROOF_TYPEHASH, keccak256("SignerProof(address owner)"));
        assert_eq!(METIS, U256::from(10u64).pow(U256::from(18)));
        assert_eq!(DEFAULT_MIN_LOCK, U256::from(20_000u64) * METIS);
        assert_eq!(DEFAULT_MAX_LOCK, U256::from(100_000u64) * METIS);
        assert_eq!(DEFAULT_EXIT_DELAY, 1_814_400);
    }

    #[test]
    fn status_codes_round_trip() {
        for status in [Status::Unavailable, Status::Inactive, Status::Active, Status::Unlocked] {
            assert_eq!(Status::from_code(status as u8), status);
        }
        assert_eq!(Status::from_code(9), Status::Unavailable);
    }
}
