// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

/// @title dseq MetisVotes
/// @notice METIS wrapped 1:1 into a voting token: OpenZeppelin's ERC20 + ERC20Permit +
/// ERC20Votes + ERC20Wrapper, with a timestamp clock (ERC-6372: on Arbitrum `block.number` is
/// an L1 estimate, never a clock). Votes count once delegated (to oneself or to anyone).
///
/// It is also the ledger of operators' governance rights: METIS locked in locking-pool keeps
/// its voting power. The pool (`stakeSource`) reports every change of an owner's counting stake
/// with `moveStake`, and that stake votes exactly like a balance: through the owner's delegate
/// (an owner with no delegate is self-delegated when stake is first credited), checkpointed by
/// timestamp. So `getVotes`/`getPastVotes` are wrapped votes plus locked stake, and
/// `getPastTotalSupply` is all voting units (wrapped supply plus counting stake), at the cost of
/// one lookup however many sequencers exist. `totalSupply` stays the ERC-20 supply.
interface IMetisVotes {
    // ---------------------------------------------------------------- events

    /// ERC-20: `value` tokens moved from `from` to `to` (zero `from`: wrapped; zero `to`: unwrapped).
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// ERC-20: `owner` allowed `spender` to move `value` of its tokens.
    event Approval(address indexed owner, address indexed spender, uint256 value);
    /// ERC-5805: `delegator` moved its voting units from `fromDelegate` to `toDelegate`.
    event DelegateChanged(address indexed delegator, address indexed fromDelegate, address indexed toDelegate);
    /// ERC-5805: `delegate`'s votes changed from `previousVotes` to `newVotes`.
    event DelegateVotesChanged(address indexed delegate, uint256 previousVotes, uint256 newVotes);
    /// The pool moved `amount` of counting stake from owner `from` to owner `to` (zero `from`: staked; zero `to`: withdrawn or exited).
    event StakeMoved(address indexed from, address indexed to, uint256 amount);
    /// The proxy was initialized (`version` 1), or the bare implementation disabled (`type(uint64).max`).
    event Initialized(uint64 version);

    // ---------------------------------------------------------------- errors

    /// ERC-6093: `sender` holds `balance`, less than `needed`.
    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    /// ERC-6093: tokens cannot come from `sender` (the zero address, or this contract for a deposit).
    error ERC20InvalidSender(address sender);
    /// ERC-6093: tokens cannot go to `receiver` (the zero address, or this contract).
    error ERC20InvalidReceiver(address receiver);
    /// ERC-6093: `spender` may move `allowance`, less than `needed`.
    error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    /// ERC-6093: the zero address cannot approve.
    error ERC20InvalidApprover(address approver);
    /// ERC-6093: the zero address cannot be approved.
    error ERC20InvalidSpender(address spender);
    /// Voting units would exceed `cap` (`type(uint160).max`), the checkpoints' range (OpenZeppelin: uint208; 1.4e48 is far above any supply).
    error ERC20ExceededSafeSupply(uint256 increasedSupply, uint256 cap);
    /// The underlying token cannot be `token` (zero, or this contract).
    error ERC20InvalidUnderlying(address token);
    /// EIP-2612: the permit expired at `deadline`.
    error ERC2612ExpiredSignature(uint256 deadline);
    /// EIP-2612: the permit was signed by `signer`, not by `owner`.
    error ERC2612InvalidSigner(address signer, address owner);
    /// The delegation signature expired at `expiry`.
    error VotesExpiredSignature(uint256 expiry);
    /// A past lookup must name a timepoint before the current `clock`.
    error ERC5805FutureLookup(uint256 timepoint, uint48 clock);
    /// `account`'s next nonce is `currentNonce`, not the one the signature names.
    error InvalidAccountNonce(address account, uint256 currentNonce);
    /// Only locking-pool (`stakeSource`) reports stake; `caller` is not it.
    error NotStakeSource(address caller);
    /// The pool asked to move `needed` of `owner`'s stake, which is only `stake`.
    error InsufficientStake(address owner, uint256 stake, uint256 needed);
    error ECDSAInvalidSignature();
    error ECDSAInvalidSignatureS(bytes32 s);
    error ECDSAInvalidSignatureLength(uint256 length);
    error InvalidInitialization();
    error TokenCallFailed(address token, bytes reason);

    // ---------------------------------------------------------------- setup

    /// Sets up a proxy: `underlying` is METIS, `stakeSource` the locking-pool proxy (zero: no
    /// stake ever counts). Once only; the bare implementation refuses it.
    function initialize(address underlying, address stakeSource) external;

    // ---------------------------------------------------------------- ERC-20

    function name() external view returns (string memory);
    function symbol() external view returns (string memory);
    function decimals() external view returns (uint8);
    function totalSupply() external view returns (uint256);
    function balanceOf(address account) external view returns (uint256);
    function transfer(address to, uint256 value) external returns (bool);
    function allowance(address owner, address spender) external view returns (uint256);
    function approve(address spender, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);

    // ---------------------------------------------------------------- ERC20Wrapper

    /// METIS, the wrapped token.
    function underlying() external view returns (address);
    /// Pulls `value` METIS from the caller (approved beforehand) and mints as much to `account`.
    function depositFor(address account, uint256 value) external returns (bool);
    /// Burns `value` of the caller's tokens and sends as much METIS to `account`.
    function withdrawTo(address account, uint256 value) external returns (bool);

    // ---------------------------------------------------------------- EIP-2612, ERC-5267

    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
    /// The nonce the next permit or delegation signature of `owner` must name (one counter for both).
    function nonces(address owner) external view returns (uint256);
    function DOMAIN_SEPARATOR() external view returns (bytes32);
    function eip712Domain()
        external
        view
        returns (bytes1 fields, string memory name, string memory version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] memory extensions);

    // ---------------------------------------------------------------- ERC-5805, ERC-6372

    /// The current timepoint: the block timestamp.
    function clock() external view returns (uint48);
    /// "mode=timestamp".
    function CLOCK_MODE() external view returns (string memory);
    function getVotes(address account) external view returns (uint256);
    /// `account`'s votes at `timepoint`, which must be before `clock()`.
    function getPastVotes(address account, uint256 timepoint) external view returns (uint256);
    /// All voting units (wrapped supply plus counting stake) at `timepoint`, before `clock()`.
    function getPastTotalSupply(uint256 timepoint) external view returns (uint256);
    function delegates(address account) external view returns (address);
    function delegate(address delegatee) external;
    /// Delegation signed by the holder (EIP-712 `Delegation(address delegatee,uint256 nonce,uint256 expiry)`).
    function delegateBySig(address delegatee, uint256 nonce, uint256 expiry, uint8 v, bytes32 r, bytes32 s) external;
    /// How many checkpoints `account`'s votes have.
    function numCheckpoints(address account) external view returns (uint32);
    /// Checkpoint `pos` of `account`'s votes: from timestamp `_key` on, `_value` votes.
    function checkpoints(address account, uint32 pos) external view returns (uint48 _key, uint208 _value);

    // ---------------------------------------------------------------- locking-pool stake

    /// The locking-pool whose counting stake votes here (zero: none).
    function stakeSource() external view returns (address);
    /// `owner`'s counting stake in the pool, which votes through `delegates(owner)`.
    function stakeOf(address owner) external view returns (uint256);
    /// Pool only: `amount` of counting stake moves from owner `from` to owner `to` (zero `from`
    /// when staked, zero `to` when a withdrawal is requested or an exit starts).
    function moveStake(address from, address to, uint256 amount) external;

    /// `(build, index, programs)` of the serving program (see `dseq-program`).
    function dseqProgram() external view returns (bytes32 build, uint256 index, uint256 programs);
}
