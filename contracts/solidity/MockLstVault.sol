// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

interface IERC20Vault {
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    function approve(address spender, uint256 value) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
}

/// What the vault calls on locking-pool (see contracts/interfaces/ILockingPool.sol).
interface IPoolDelegation {
    function lockDelegated(uint256 sequencerId, uint256 amount) external;
    function requestDelegatedWithdrawal(uint256 sequencerId, uint256 amount) external returns (uint256);
    function claimDelegatedWithdrawals(address lst) external returns (uint256);
    function lstAccount(address lst)
        external
        view
        returns (uint256 staked, uint256 cap, bool open, uint256 pending, uint64 nextToClaim, uint64 nextRequestId);
    function rewardDistributor() external view returns (address);
}

/// What the vault calls on reward-distributor (see contracts/interfaces/IRewardDistributor.sol).
interface IRewardsClaim {
    function claimLstRewards() external returns (uint256);
}

/// What the vault calls on lst-registry (see contracts/interfaces/ILstRegistry.sol).
interface IRegistryPairing {
    function offerPairing(uint256 sequencerId, address lst) external;
    function acceptPairing(uint256 sequencerId, address lst) external;
    function unpair(uint256 sequencerId) external;
}

/// @title MockLstVault
/// @notice A liquid-staking vault in the shape of Artemis's StakingPool or stake.link's
/// SequencerVault, reduced to what dseq needs to see: holders deposit METIS for shares (1:1),
/// and the vault's manager pairs it with sequencers through lst-registry and delegates the idle
/// METIS into them through locking-pool, then withdraws and claims. The LST rewards it claims
/// from reward-distributor are held apart (`rewards`), for the vault's own rules to pass on.
/// Every token is accounted for: `totalAssets() == idle + staked + pending == totalShares`,
/// and the vault's balance is `idle + rewards`.
///
/// For hostile-LST tests, `setHostile(true)` makes the vault revert on any call it receives
/// that is not its manager's or a view (`receive` and `fallback` included), and `execute` lets
/// the manager make the vault call anything (an impostor's attempts).
contract MockLstVault {
    IERC20Vault public immutable metis;
    IPoolDelegation public immutable pool;
    IRegistryPairing public immutable registry;
    address public immutable manager;
    bool public hostile;

    uint256 public totalShares;
    /// LST rewards claimed and held for the holders, apart from their principal.
    uint256 public rewards;
    mapping(address holder => uint256) public sharesOf;

    event Deposited(address indexed holder, uint256 amount);
    event Redeemed(address indexed holder, uint256 amount);
    event RewardsClaimed(uint256 amount);

    error NotManager(address caller);
    error Hostile();
    error NotEnoughIdle(uint256 idle, uint256 needed);
    error TokenRefused();

    modifier onlyManager() {
        if (msg.sender != manager) revert NotManager(msg.sender);
        _;
    }

    constructor(IERC20Vault metis_, IPoolDelegation pool_, IRegistryPairing registry_, address manager_) {
        metis = metis_;
        pool = pool_;
        registry = registry_;
        manager = manager_;
    }

    // ---------------------------------------------------------------- holders

    /// Takes `amount` METIS from the caller (approve the vault) for as many shares.
    function deposit(uint256 amount) external {
        if (hostile) revert Hostile();
        if (!metis.transferFrom(msg.sender, address(this), amount)) revert TokenRefused();
        sharesOf[msg.sender] += amount;
        totalShares += amount;
        emit Deposited(msg.sender, amount);
    }

    /// Pays `amount` of the caller's shares back in idle METIS.
    function redeem(uint256 amount) external {
        if (hostile) revert Hostile();
        uint256 idle = metis.balanceOf(address(this)) - rewards;
        if (idle < amount) revert NotEnoughIdle(idle, amount);
        sharesOf[msg.sender] -= amount;
        totalShares -= amount;
        if (!metis.transfer(msg.sender, amount)) revert TokenRefused();
        emit Redeemed(msg.sender, amount);
    }

    // ---------------------------------------------------------------- the manager

    function offerPairing(uint256 sequencerId) external onlyManager {
        registry.offerPairing(sequencerId, address(this));
    }

    function acceptPairing(uint256 sequencerId) external onlyManager {
        registry.acceptPairing(sequencerId, address(this));
    }

    function unpair(uint256 sequencerId) external onlyManager {
        registry.unpair(sequencerId);
    }

    /// Locks `amount` of the idle METIS into the paired sequencer.
    function delegate(uint256 sequencerId, uint256 amount) external onlyManager {
        if (!metis.approve(address(pool), amount)) revert TokenRefused();
        pool.lockDelegated(sequencerId, amount);
    }

    function requestWithdrawal(uint256 sequencerId, uint256 amount) external onlyManager returns (uint256) {
        return pool.requestDelegatedWithdrawal(sequencerId, amount);
    }

    function claim() external onlyManager returns (uint256) {
        return pool.claimDelegatedWithdrawals(address(this));
    }

    /// Claims the vault's LST rewards from the pool's reward distributor and holds them.
    function claimRewards() external onlyManager returns (uint256 amount) {
        amount = IRewardsClaim(pool.rewardDistributor()).claimLstRewards();
        rewards += amount;
        emit RewardsClaimed(amount);
    }

    function setHostile(bool on) external onlyManager {
        hostile = on;
    }

    /// Makes the vault call `target` with `data`; the call's revert passes through.
    function execute(address target, bytes calldata data) external onlyManager returns (bytes memory) {
        (bool ok, bytes memory out) = target.call(data);
        if (!ok) {
            assembly {
                revert(add(out, 32), mload(out))
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- views

    /// The holders' principal: idle METIS (the rewards held apart) plus the stake in sequencers
    /// plus the queued withdrawals.
    function totalAssets() external view returns (uint256 idle, uint256 staked, uint256 pending, uint256 total) {
        idle = metis.balanceOf(address(this)) - rewards;
        (staked,,, pending,,) = pool.lstAccount(address(this));
        total = idle + staked + pending;
    }

    receive() external payable {
        revert Hostile();
    }

    fallback() external payable {
        revert Hostile();
    }
}
