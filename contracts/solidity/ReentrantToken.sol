// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {MockMetis} from "./MockMetis.sol";

/// @title ReentrantToken
/// @notice A hostile ERC-20 for tests: before every transfer it calls `hookTarget` with
/// `hookData` (for example back into the contract that is moving its tokens), records whether the
/// call succeeded, and carries on. Stylus contracts must reject the re-entry.
contract ReentrantToken is MockMetis {
    address public hookTarget;
    bytes public hookData;

    /// The hook call made during a transfer, and whether it succeeded.
    event HookCalled(address target, bool ok, bytes returnData);

    function setHook(address target, bytes calldata data) external {
        hookTarget = target;
        hookData = data;
    }

    function _move(address from, address to, uint256 value) internal override {
        address target = hookTarget;
        if (target != address(0)) {
            (bool ok, bytes memory returnData) = target.call(hookData);
            emit HookCalled(target, ok, returnData);
        }
        super._move(from, to, value);
    }
}
