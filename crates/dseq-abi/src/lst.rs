//! lst-registry: its interface, status codes and limits.

alloy_sol_types::sol!(
    #[sol(all_derives)]
    "../../contracts/interfaces/ILstRegistry.sol"
);

/// An LST's status in the registry (`lstInfo(lst).status`).
pub mod status {
    /// Never approved.
    pub const NONE: u8 = 0;
    /// May pair and add stake.
    pub const ACTIVE: u8 = 1;
    /// Keeps its pairings and stake but may not pair or add stake; withdrawals go on.
    pub const DEPOSITS_PAUSED: u8 = 2;
    /// Final: may not pair or add stake, and anyone may end its pairings.
    pub const DELISTED: u8 = 3;

    /// The status's name, for tools.
    pub const fn name(code: u8) -> &'static str {
        match code {
            ACTIVE => "Active",
            DEPOSITS_PAUSED => "DepositsPaused",
            DELISTED => "Delisted",
            _ => "None",
        }
    }
}

/// The longest LST name, in bytes (it is stored in one word).
pub const MAX_NAME_BYTES: usize = 32;
/// The largest cap: the pool keeps an LST's stake in 96 bits (all of METIS is about 2^83 wei).
pub const MAX_CAP: alloy_primitives::U256 = alloy_primitives::U256::from_limbs([u64::MAX, u32::MAX as u64, 0, 0]);
/// The highest `maxPairingsPerLst` governance may set.
pub const MAX_PAIRINGS_LIMIT: u32 = 10_000;
/// The default `maxPairingsPerLst`.
pub const DEFAULT_MAX_PAIRINGS: u32 = 16;
/// How many matured requests one `claimDelegatedWithdrawals` pays at most.
pub const MAX_DELEGATED_CLAIMS: u64 = 32;

#[cfg(test)]
mod tests {
    use alloy_primitives::U256;

    #[test]
    fn the_largest_cap_is_96_bits() {
        assert_eq!(super::MAX_CAP, (U256::from(1) << 96) - U256::from(1));
    }
}
