// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

interface IERC20Transfer {
    function transfer(address to, uint256 value) external returns (bool);
}

/// @title MockRewardDistributor
/// @notice Stands in for the reward distributor (not built yet) so that locking-pool's
/// compounding path can be exercised and measured: anyone credits a sequencer's operator
/// reward (the mock must hold the METIS), and the pool takes it with `claimForCompound`, as
/// the reward distributor's interface (`IRewardDistributor.sol`) specifies.
contract MockRewardDistributor {
    IERC20Transfer public immutable token;
    address public immutable pool;
    mapping(uint256 sequencerId => uint256) public rewardOf;

    error OnlyPool(address caller);

    constructor(IERC20Transfer token_, address pool_) {
        token = token_;
        pool = pool_;
    }

    /// Credits `amount` of operator reward to `sequencerId` (test setup: no checks).
    function credit(uint256 sequencerId, uint256 amount) external {
        rewardOf[sequencerId] += amount;
    }

    /// The pool reports a sequencer's stakes before they change; the mock has nothing to split.
    function settleStakes(uint256, uint256, address, uint256) external view {
        if (msg.sender != pool) revert OnlyPool(msg.sender);
    }

    /// Pays all of `sequencerId`'s reward to the pool and returns it.
    function claimForCompound(uint256 sequencerId) external returns (uint256 amount) {
        if (msg.sender != pool) revert OnlyPool(msg.sender);
        amount = rewardOf[sequencerId];
        rewardOf[sequencerId] = 0;
        if (amount > 0) token.transfer(pool, amount);
    }
}
