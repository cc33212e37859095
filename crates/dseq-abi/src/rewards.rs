//! What locking-pool needs from the reward distributor.

alloy_sol_types::sol! {
    /// Implemented by the reward distributor so locking-pool can compound rewards into a stake.
    interface IRewardCompounder {
        /// Transfers all of `sequencerId`'s operator rewards to the caller (the pool), zeroes
        /// them, and returns the amount transferred. Only the pool may call it.
        function claimForCompound(uint256 sequencerId) external returns (uint256);
    }
}
