//! reward-distributor: its interface (which includes the two calls locking-pool makes to it,
//! `settleStakes` and `claimForCompound`) and its limits.

alloy_sol_types::sol!(
    #[sol(all_derives)]
    "../../contracts/interfaces/IRewardDistributor.sol"
);

/// The most signers one batch may credit.
pub const MAX_BATCH_SIGNERS: usize = 100;
/// The largest reward per block governance may set (2^96 - 1 wei).
pub const MAX_REWARD_PER_BLOCK: alloy_primitives::U256 = alloy_primitives::U256::from_limbs([u64::MAX, u32::MAX as u64, 0, 0]);
/// The longest delay governance may put on commission changes (90 days).
pub const MAX_COMMISSION_DELAY: u64 = 90 * 24 * 3600;
/// The delay a commission change waits by default (7 days, EigenLayer's activation delay).
pub const DEFAULT_COMMISSION_DELAY: u64 = 7 * 24 * 3600;
