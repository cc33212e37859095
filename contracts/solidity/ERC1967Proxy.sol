// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

/// @title ERC1967Proxy
/// @notice The proxy every stateful dseq contract sits behind: it keeps the implementation
/// address in the ERC-1967 slot and delegates every call to it, so a Stylus implementation runs
/// on the proxy's storage. The constructor initializes atomically (`data` is delegatecalled in
/// the same transaction), so nobody can front-run `initialize`. Upgrades go through
/// `upgradeToAndCall`, callable by the admin alone (the timelock), which `changeAdmin` hands on.
/// The proxy answers these two selectors itself: no implementation may use them.
contract ERC1967Proxy {
    /// `bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1)`
    bytes32 internal constant IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
    /// `bytes32(uint256(keccak256("eip1967.proxy.admin")) - 1)`
    bytes32 internal constant ADMIN_SLOT = 0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103;

    event Upgraded(address indexed implementation);
    event AdminChanged(address previousAdmin, address newAdmin);

    error ERC1967InvalidImplementation(address implementation);
    error ProxyUnauthorized(address caller);
    error ProxyInitializationFailed(bytes reason);
    error ProxyInvalidAdmin(address admin);

    constructor(address implementation, address admin, bytes memory data) {
        _setImplementation(implementation);
        assembly {
            sstore(ADMIN_SLOT, admin)
        }
        emit AdminChanged(address(0), admin);
        _initialize(implementation, data);
    }

    /// Points the proxy at `implementation` and runs `data` on it (admin only).
    function upgradeToAndCall(address implementation, bytes calldata data) external {
        address admin;
        assembly {
            admin := sload(ADMIN_SLOT)
        }
        if (msg.sender != admin) revert ProxyUnauthorized(msg.sender);
        _setImplementation(implementation);
        _initialize(implementation, data);
    }

    /// Hands the upgrade authority to `newAdmin` (admin only; zero is refused). `dseq deploy`
    /// deploys with itself as admin, then hands every proxy to the timelock.
    function changeAdmin(address newAdmin) external {
        address admin;
        assembly {
            admin := sload(ADMIN_SLOT)
        }
        if (msg.sender != admin) revert ProxyUnauthorized(msg.sender);
        if (newAdmin == address(0)) revert ProxyInvalidAdmin(newAdmin);
        assembly {
            sstore(ADMIN_SLOT, newAdmin)
        }
        emit AdminChanged(admin, newAdmin);
    }

    fallback() external payable {
        _delegate();
    }

    receive() external payable {
        _delegate();
    }

    function _delegate() private {
        assembly {
            let implementation := sload(IMPLEMENTATION_SLOT)
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), implementation, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }

    function _setImplementation(address implementation) private {
        if (implementation.code.length == 0) revert ERC1967InvalidImplementation(implementation);
        assembly {
            sstore(IMPLEMENTATION_SLOT, implementation)
        }
        emit Upgraded(implementation);
    }

    function _initialize(address implementation, bytes memory data) private {
        if (data.length == 0) return;
        (bool ok, bytes memory reason) = implementation.delegatecall(data);
        if (!ok) revert ProxyInitializationFailed(reason);
    }
}
