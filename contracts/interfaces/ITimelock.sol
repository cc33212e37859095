// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

/// @title dseq Timelock
/// @notice OpenZeppelin v5's `TimelockController`, as a Stylus contract behind an ERC-1967
/// proxy: the same functions, selectors, events and errors, and the same operation ids. An
/// operation is a call (or a batch of calls) that a proposer schedules, that waits at least
/// `getMinDelay()` seconds, and that an executor then runs, once, in the order the batch lists.
///
/// Roles: `PROPOSER_ROLE` schedules (every proposer is also a canceller), `EXECUTOR_ROLE`
/// executes (granted to `address(0)`: anyone may execute), `CANCELLER_ROLE` cancels pending
/// operations (extra cancellers are guardians that can do nothing else). The timelock itself is
/// the only `DEFAULT_ADMIN_ROLE` holder, so every role change and every delay change is itself a
/// scheduled operation that targets the timelock; the account that initializes it holds
/// nothing. Unlike OpenZeppelin's plain `AccessControl`, the default admin role follows
/// OpenZeppelin's default admin rules and can never be granted or revoked directly
/// (`AccessControlEnforcedDefaultAdminRules`): the timelock stays its own admin.
///
/// Operation states: `Unset` (0), `Waiting` (1, scheduled, not yet due), `Ready` (2, due and not
/// executed), `Done` (3). A `TimelockUnexpectedOperationState` carries the expected states as a
/// bitmap: bit `1 << state` for each state the call needed.
///
/// Calls made by `execute` forward a failing target's revert data unchanged, or revert with
/// `FailedCall()` when the target reverted without data; the operation then stays `Ready`, so
/// it can be retried. An operation may target the timelock itself (its own re-entry is
/// accepted; re-entry from any other caller is refused, as Stylus does by default).
interface ITimelock {
    // ---------------------------------------------------------------- events

    /// Call `index` of operation `id` was scheduled: `target` will be called with `value` and
    /// `data` after `delay` seconds, once operation `predecessor` (zero: none) is done.
    event CallScheduled(
        bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data, bytes32 predecessor, uint256 delay
    );
    /// Call `index` of operation `id` was executed.
    event CallExecuted(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data);
    /// Operation `id` was scheduled with a non-zero `salt`.
    event CallSalt(bytes32 indexed id, bytes32 salt);
    /// Pending operation `id` was cancelled.
    event Cancelled(bytes32 indexed id);
    /// The minimum delay changed from `oldDuration` to `newDuration` seconds (from 0 at setup).
    event MinDelayChange(uint256 oldDuration, uint256 newDuration);
    /// `account` was granted `role` by `sender`.
    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
    /// `account` lost `role`; `sender` revoked it (or is `account` itself when renouncing).
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);
    /// The proxy was initialized (`version` 1), or the bare implementation disabled (`type(uint64).max`).
    event Initialized(uint64 version);

    // ---------------------------------------------------------------- errors

    /// A batch's `targets`, `payloads` and `values` differ in length.
    error TimelockInvalidOperationLength(uint256 targets, uint256 payloads, uint256 values);
    /// The requested `delay` is below the current `minDelay`.
    error TimelockInsufficientDelay(uint256 delay, uint256 minDelay);
    /// Operation `operationId` is not in one of the `expectedStates` (bitmap: `1 << state`).
    error TimelockUnexpectedOperationState(bytes32 operationId, bytes32 expectedStates);
    /// The operation's predecessor `predecessorId` has not been executed.
    error TimelockUnexecutedPredecessor(bytes32 predecessorId);
    /// Only the timelock itself may call this (through a scheduled operation); `caller` is not it.
    error TimelockUnauthorizedCaller(address caller);
    /// `block.timestamp + delay` does not fit in a `uint256` (OpenZeppelin panics here).
    error TimelockDelayOverflow(uint256 delay);
    /// A call of an operation reverted without revert data.
    error FailedCall();
    /// `account` lacks `neededRole` for the call it made.
    error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
    /// `renounceRole` was called for an account other than the caller.
    error AccessControlBadConfirmation();
    /// Part of the access-control component; the timelock never transfers its default admin role.
    error AccessControlInvalidDefaultAdmin(address defaultAdmin);
    /// The default admin role (held by the timelock) cannot be granted or revoked.
    error AccessControlEnforcedDefaultAdminRules();
    /// The timelock cannot renounce its default admin role (no transfer is ever scheduled).
    error AccessControlEnforcedDefaultAdminDelay(uint48 schedule);
    error InvalidInitialization();

    // ---------------------------------------------------------------- setup

    /// Sets up a proxy: the minimum delay, and the accounts of each role (`address(0)` among
    /// `executors`: anyone may execute). Proposers also become cancellers; `cancellers` are
    /// extra cancellers only. The timelock is its own default admin; the caller gets no role.
    /// Once only; the bare implementation refuses it.
    function initialize(uint256 minDelay, address[] calldata proposers, address[] calldata executors, address[] calldata cancellers)
        external;

    /// Accepts plain METIS transfers (operations can then spend them as `value`).
    receive() external payable;

    // ---------------------------------------------------------------- operations

    /// Whether `id` was ever scheduled (and not cancelled): pending or done.
    function isOperation(bytes32 id) external view returns (bool);
    /// Whether `id` is scheduled and not yet executed (`Waiting` or `Ready`).
    function isOperationPending(bytes32 id) external view returns (bool);
    /// Whether `id` is due and not yet executed.
    function isOperationReady(bytes32 id) external view returns (bool);
    /// Whether `id` was executed.
    function isOperationDone(bytes32 id) external view returns (bool);
    /// When `id` becomes ready (0: unset; 1: done).
    function getTimestamp(bytes32 id) external view returns (uint256);
    /// `id`'s state: Unset 0, Waiting 1, Ready 2, Done 3.
    function getOperationState(bytes32 id) external view returns (uint8);
    /// The minimum delay of a new operation, in seconds.
    function getMinDelay() external view returns (uint256);
    /// `keccak256(abi.encode(target, value, data, predecessor, salt))`.
    function hashOperation(address target, uint256 value, bytes calldata data, bytes32 predecessor, bytes32 salt)
        external
        pure
        returns (bytes32);
    /// `keccak256(abi.encode(targets, values, payloads, predecessor, salt))`.
    function hashOperationBatch(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata payloads,
        bytes32 predecessor,
        bytes32 salt
    ) external pure returns (bytes32);

    /// Proposers: schedules one call, ready in `delay` (at least `getMinDelay()`) seconds.
    function schedule(address target, uint256 value, bytes calldata data, bytes32 predecessor, bytes32 salt, uint256 delay)
        external;
    /// Proposers: schedules a batch of calls as one operation.
    function scheduleBatch(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata payloads,
        bytes32 predecessor,
        bytes32 salt,
        uint256 delay
    ) external;
    /// Cancellers: drops a pending operation.
    function cancel(bytes32 id) external;
    /// Executors (anyone when `address(0)` is one): runs a ready operation once its predecessor
    /// is done. The call's value may come with this transaction or from the timelock's balance.
    function execute(address target, uint256 value, bytes calldata payload, bytes32 predecessor, bytes32 salt)
        external
        payable;
    /// Executors: runs a ready batch, call by call.
    function executeBatch(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata payloads,
        bytes32 predecessor,
        bytes32 salt
    ) external payable;
    /// The timelock itself only (a scheduled operation): sets the minimum delay.
    function updateDelay(uint256 newDelay) external;

    // ---------------------------------------------------------------- roles (AccessControl)

    function PROPOSER_ROLE() external view returns (bytes32);
    function EXECUTOR_ROLE() external view returns (bytes32);
    function CANCELLER_ROLE() external view returns (bytes32);
    function DEFAULT_ADMIN_ROLE() external view returns (bytes32);
    function hasRole(bytes32 role, address account) external view returns (bool);
    /// Every role is administered by `DEFAULT_ADMIN_ROLE`, the timelock.
    function getRoleAdmin(bytes32 role) external view returns (bytes32);
    /// The timelock itself only (a scheduled operation). Never `DEFAULT_ADMIN_ROLE`.
    function grantRole(bytes32 role, address account) external;
    /// The timelock itself only (a scheduled operation). Never `DEFAULT_ADMIN_ROLE`.
    function revokeRole(bytes32 role, address account) external;
    /// Drops the caller's own `role`; `callerConfirmation` must be the caller.
    function renounceRole(bytes32 role, address callerConfirmation) external;

    /// `(build, index, programs)` of the serving program (see `dseq-program`).
    function dseqProgram() external view returns (bytes32 build, uint256 index, uint256 programs);
}
