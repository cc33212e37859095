// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

/// @title dseq Governor
/// @notice OpenZeppelin v5's Governor with GovernorSettings, GovernorCountingSimple,
/// GovernorVotes, GovernorVotesQuorumFraction, GovernorPreventLateQuorum and
/// GovernorTimelockControl, as a Stylus contract behind an ERC-1967 proxy: the same functions,
/// selectors, events, errors and proposal ids, so wallets and governance front-ends (Tally)
/// work unchanged. Voting power is metis-votes' (`token()`), read at each proposal's snapshot;
/// the clock is the block timestamp (ERC-6372 `mode=timestamp`). Successful proposals run
/// through the TimelockController `timelock()`, of which the governor is the only proposer.
///
/// Lifecycle: `propose` → Pending until `proposalSnapshot` (now + `votingDelay`) → Active until
/// `proposalDeadline` (snapshot + `votingPeriod`, later if quorum is first reached within
/// `lateQuorumVoteExtension` of it) → Defeated, or Succeeded when for > against and
/// for + abstain ≥ `quorum(snapshot)` → `queue` schedules it on the timelock (Queued, `proposalEta`)
/// → `execute` after the timelock's delay (Executed). The proposer may `cancel` while Pending.
/// A queued operation that a timelock canceller drops shows as Canceled; one executed directly
/// on the timelock shows as Executed.
///
/// `ProposalState` is an enum in OpenZeppelin's interface and a `uint8` here (the same ABI
/// encoding and selectors): Pending 0, Active 1, Canceled 2, Defeated 3, Succeeded 4, Queued 5,
/// Expired 6 (never reached: proposals do not expire), Executed 7. A
/// `GovernorUnexpectedProposalState` carries the states the call needed as a bitmap: bit
/// `1 << state` for each (zero: the proposal must not exist yet).
///
/// Votes (`support`): Against 0, For 1, Abstain 2; For and Abstain count toward quorum. Votes by
/// signature (EIP-712 domain `name()`, `version()`, this chain, this proxy) use the voter's
/// nonce; contract wallets sign through ERC-1271. Governance settings change only through a
/// proposal: their setters accept the timelock alone (`GovernorOnlyExecutor`). Reverts of the
/// token and of the timelock (a failing proposal action among them) are passed through
/// unchanged, as Solidity does.
interface IGovernor {
    // ---------------------------------------------------------------- events

    /// Proposal `proposalId` was created by `proposer`: calls `targets[i]` with `values[i]` and
    /// `calldatas[i]`; `signatures` are empty strings, one per call (GovernorBravo's format).
    /// Votes count at `voteStart` (the snapshot) and close at `voteEnd` (before any extension).
    event ProposalCreated(
        uint256 proposalId,
        address proposer,
        address[] targets,
        uint256[] values,
        string[] signatures,
        bytes[] calldatas,
        uint256 voteStart,
        uint256 voteEnd,
        string description
    );
    /// Proposal `proposalId` was scheduled on the timelock; it can execute from `etaSeconds`.
    event ProposalQueued(uint256 proposalId, uint256 etaSeconds);
    /// Proposal `proposalId` was executed through the timelock.
    event ProposalExecuted(uint256 proposalId);
    /// Proposal `proposalId` was cancelled by its proposer.
    event ProposalCanceled(uint256 proposalId);
    /// `voter` cast `weight` votes of kind `support` on `proposalId`, with an optional `reason`.
    event VoteCast(address indexed voter, uint256 proposalId, uint8 support, uint256 weight, string reason);
    /// As `VoteCast`, for a vote that carried non-empty `params` (ignored by simple counting).
    event VoteCastWithParams(
        address indexed voter, uint256 proposalId, uint8 support, uint256 weight, string reason, bytes params
    );
    /// Quorum was first reached late: voting on `proposalId` now closes at `extendedDeadline`.
    event ProposalExtended(uint256 indexed proposalId, uint64 extendedDeadline);
    /// GovernorSettings: the voting delay changed (from 0 at setup).
    event VotingDelaySet(uint256 oldVotingDelay, uint256 newVotingDelay);
    /// GovernorSettings: the voting period changed (from 0 at setup).
    event VotingPeriodSet(uint256 oldVotingPeriod, uint256 newVotingPeriod);
    /// GovernorSettings: the proposal threshold changed (from 0 at setup).
    event ProposalThresholdSet(uint256 oldProposalThreshold, uint256 newProposalThreshold);
    /// The quorum numerator changed; proposals whose snapshot is earlier keep the old one.
    event QuorumNumeratorUpdated(uint256 oldQuorumNumerator, uint256 newQuorumNumerator);
    /// The late-quorum extension changed (from 0 at setup).
    event LateQuorumVoteExtensionSet(uint64 oldVoteExtension, uint64 newVoteExtension);
    /// The timelock changed (from the zero address at setup).
    event TimelockChange(address oldTimelock, address newTimelock);
    /// ERC-5267; never emitted (the EIP-712 domain never changes).
    event EIP712DomainChanged();
    /// The proxy was initialized (`version` 1), or the bare implementation disabled (`type(uint64).max`).
    event Initialized(uint64 version);
    /// Program `index` now serves part of the ABI from `program` (see `dseq-program`).
    event ProgramInstalled(uint256 indexed index, address indexed program, bytes32 build);

    // ---------------------------------------------------------------- errors

    /// A proposal needs as many `targets` as `calldatas` and `values`, and at least one.
    error GovernorInvalidProposalLength(uint256 targets, uint256 calldatas, uint256 values);
    /// `voter` already voted on this proposal.
    error GovernorAlreadyCastVote(address voter);
    /// The governor holds no assets (the timelock does): token deposits are refused.
    error GovernorDisabledDeposit();
    /// Only the governance executor (the timelock) may call this; `account` is not it.
    error GovernorOnlyExecutor(address account);
    /// No proposal has id `proposalId`.
    error GovernorNonexistentProposal(uint256 proposalId);
    /// Proposal `proposalId` is in state `current`, not one of `expectedStates` (bitmap).
    error GovernorUnexpectedProposalState(uint256 proposalId, uint8 current, bytes32 expectedStates);
    /// The voting period cannot be `votingPeriod` (zero).
    error GovernorInvalidVotingPeriod(uint256 votingPeriod);
    /// `proposer` had `votes` at the previous second, below the proposal `threshold`.
    error GovernorInsufficientProposerVotes(address proposer, uint256 votes, uint256 threshold);
    /// The description ends with `#proposer=<another address>`: only that address may propose it.
    error GovernorRestrictedProposer(address proposer);
    /// `support` must be 0 (Against), 1 (For) or 2 (Abstain).
    error GovernorInvalidVoteType();
    /// The signature is not `voter`'s (ECDSA for an account without code, ERC-1271 otherwise),
    /// or it names a used nonce.
    error GovernorInvalidSignature(address voter);
    /// Only the proposer may cancel, and only while the proposal is Pending; `account` cannot
    /// cancel `proposalId`.
    error GovernorUnableToCancel(uint256 proposalId, address account);
    /// The quorum numerator `quorumNumerator` is above `quorumDenominator` (100).
    error GovernorInvalidQuorumFraction(uint256 quorumNumerator, uint256 quorumDenominator);
    /// The late-quorum extension `newVoteExtension` exceeds `maxVoteExtension`, the voting period.
    error GovernorPreventLateQuorumVoteExtensionTooLarge(uint256 newVoteExtension, uint256 maxVoteExtension);
    /// `value` does not fit in `bits` bits (a timepoint past `type(uint48).max`).
    error SafeCastOverflowedUintDowncast(uint8 bits, uint256 value);
    /// A call made by `relay` reverted without revert data.
    error FailedCall();
    /// `target` (the token or the timelock) returned `returnData`, which is not an answer of the
    /// expected type (it has no code, or it is not what it should be). Reverts pass through.
    error GovernorUnexpectedResponse(address target, bytes returnData);
    /// `initialize` needs a non-zero `token` and `timelock`.
    error GovernorInvalidSetup(address token, address timelock);
    error InvalidInitialization();
    /// The entry program of build `build` has no program set installed (see `dseq-program`).
    error ProgramsNotInstalled(bytes32 build);
    /// `installPrograms` takes exactly one address per program after the entry.
    error ProgramCountMismatch(uint256 expected, uint256 given);
    /// The address given for program `index` has no code.
    error ProgramHasNoCode(uint256 index, address program);
    /// The address given for program `index` is not program `index` of this build.
    error ProgramMismatch(uint256 index, address program, bytes32 expectedBuild, bytes32 build, uint256 answeredIndex);

    // ---------------------------------------------------------------- setup

    /// Sets up a proxy: the voting `token` (metis-votes), the `timelock` that executes
    /// proposals, the settings, the quorum numerator (percent of the snapshot's total votes)
    /// and the late-quorum extension (seconds, at most `votingPeriod`), and the `programs` that
    /// serve the rest of the ABI. Once only; the bare implementation refuses it.
    function initialize(
        address token,
        address timelock,
        uint48 votingDelay,
        uint32 votingPeriod,
        uint256 proposalThreshold,
        uint256 quorumNumerator,
        uint48 lateQuorumVoteExtension,
        address[] calldata programs
    ) external;
    /// The timelock only (with an upgrade: `upgradeToAndCall(newEntry, installPrograms(...))`):
    /// installs the programs after the entry.
    function installPrograms(address[] calldata programs) external;
    /// The installed programs after the entry.
    function programs() external view returns (address[] memory);

    // ---------------------------------------------------------------- core

    /// "dseq Governor", also the EIP-712 domain name.
    function name() external view returns (string memory);
    /// "1", also the EIP-712 domain version.
    function version() external view returns (string memory);
    /// "support=bravo&quorum=for,abstain".
    function COUNTING_MODE() external pure returns (string memory);
    /// `uint256(keccak256(abi.encode(targets, values, calldatas, descriptionHash)))`.
    function hashProposal(address[] calldata targets, uint256[] calldata values, bytes[] calldata calldatas, bytes32 descriptionHash)
        external
        pure
        returns (uint256);
    /// The same as `hashProposal`.
    function getProposalId(address[] calldata targets, uint256[] calldata values, bytes[] calldata calldatas, bytes32 descriptionHash)
        external
        view
        returns (uint256);
    /// The proposal's `ProposalState` (see above).
    function state(uint256 proposalId) external view returns (uint8);
    /// The votes a proposer needs (at the previous second) to propose.
    function proposalThreshold() external view returns (uint256);
    /// The timepoint at which votes and quorum are counted; voting opens right after it.
    function proposalSnapshot(uint256 proposalId) external view returns (uint256);
    /// The last timepoint at which votes are accepted, extension included.
    function proposalDeadline(uint256 proposalId) external view returns (uint256);
    function proposalProposer(uint256 proposalId) external view returns (address);
    /// When a queued proposal can execute (0: not queued).
    function proposalEta(uint256 proposalId) external view returns (uint256);
    /// Always true: proposals run through the timelock.
    function proposalNeedsQueuing(uint256 proposalId) external view returns (bool);
    /// Seconds between a proposal and its snapshot.
    function votingDelay() external view returns (uint256);
    /// Seconds of voting after the snapshot.
    function votingPeriod() external view returns (uint256);
    /// The votes needed at `timepoint`: `token.getPastTotalSupply(timepoint) * quorumNumerator(timepoint) / 100`.
    function quorum(uint256 timepoint) external view returns (uint256);
    /// `token.getPastVotes(account, timepoint)` (`timepoint` before `clock()`).
    function getVotes(address account, uint256 timepoint) external view returns (uint256);
    /// As `getVotes`; `params` are ignored.
    function getVotesWithParams(address account, uint256 timepoint, bytes calldata params) external view returns (uint256);
    function hasVoted(uint256 proposalId, address account) external view returns (bool);
    /// GovernorCountingSimple: the votes cast so far.
    function proposalVotes(uint256 proposalId) external view returns (uint256 againstVotes, uint256 forVotes, uint256 abstainVotes);

    /// Creates a proposal (the caller needs `proposalThreshold()` votes at the previous second).
    /// A description ending in `#proposer=0x<40 hex digits>` can only be proposed by that address.
    function propose(address[] calldata targets, uint256[] calldata values, bytes[] calldata calldatas, string calldata description)
        external
        returns (uint256 proposalId);
    /// Schedules a Succeeded proposal on the timelock with the timelock's minimum delay.
    function queue(address[] calldata targets, uint256[] calldata values, bytes[] calldata calldatas, bytes32 descriptionHash)
        external
        returns (uint256 proposalId);
    /// Executes a Queued proposal through the timelock once its delay has passed; `msg.value` is
    /// forwarded to the timelock.
    function execute(address[] calldata targets, uint256[] calldata values, bytes[] calldata calldatas, bytes32 descriptionHash)
        external
        payable
        returns (uint256 proposalId);
    /// The proposer, while the proposal is Pending: cancels it for good.
    function cancel(address[] calldata targets, uint256[] calldata values, bytes[] calldata calldatas, bytes32 descriptionHash)
        external
        returns (uint256 proposalId);

    function castVote(uint256 proposalId, uint8 support) external returns (uint256 balance);
    function castVoteWithReason(uint256 proposalId, uint8 support, string calldata reason) external returns (uint256 balance);
    function castVoteWithReasonAndParams(uint256 proposalId, uint8 support, string calldata reason, bytes calldata params)
        external
        returns (uint256 balance);
    /// EIP-712 `Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce)` signed by `voter`.
    function castVoteBySig(uint256 proposalId, uint8 support, address voter, bytes calldata signature)
        external
        returns (uint256 balance);
    /// EIP-712 `ExtendedBallot(uint256 proposalId,uint8 support,address voter,uint256 nonce,string reason,bytes params)`.
    function castVoteWithReasonAndParamsBySig(
        uint256 proposalId,
        uint8 support,
        address voter,
        string calldata reason,
        bytes calldata params,
        bytes calldata signature
    ) external returns (uint256 balance);

    /// The timelock only: calls `target` with `value` and `data` from the governor (to recover
    /// assets sent to it by mistake).
    function relay(address target, uint256 value, bytes calldata data) external payable;

    /// Token receivers: the governor refuses deposits (`GovernorDisabledDeposit`).
    function onERC721Received(address operator, address from, uint256 tokenId, bytes calldata data) external returns (bytes4);
    function onERC1155Received(address operator, address from, uint256 id, uint256 value, bytes calldata data)
        external
        returns (bytes4);
    function onERC1155BatchReceived(
        address operator,
        address from,
        uint256[] calldata ids,
        uint256[] calldata values,
        bytes calldata data
    ) external returns (bytes4);

    // ---------------------------------------------------------------- EIP-712, nonces, ERC-165, ERC-6372

    function BALLOT_TYPEHASH() external view returns (bytes32);
    function EXTENDED_BALLOT_TYPEHASH() external view returns (bytes32);
    /// The nonce `owner`'s next vote signature must name.
    function nonces(address owner) external view returns (uint256);
    function eip712Domain()
        external
        view
        returns (bytes1 fields, string memory name, string memory version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] memory extensions);
    /// True for ERC-165, IGovernor (as OpenZeppelin v5.0 and v5.3 compute it) and IERC1155Receiver.
    function supportsInterface(bytes4 interfaceId) external view returns (bool);
    /// The current timepoint: the block timestamp.
    function clock() external view returns (uint48);
    /// "mode=timestamp".
    function CLOCK_MODE() external view returns (string memory);

    // ---------------------------------------------------------------- votes (GovernorVotes, GovernorVotesQuorumFraction)

    /// The voting token (metis-votes).
    function token() external view returns (address);
    /// The current quorum numerator (percent).
    function quorumNumerator() external view returns (uint256);
    /// The quorum numerator in effect at `timepoint`.
    function quorumNumerator(uint256 timepoint) external view returns (uint256);
    /// 100.
    function quorumDenominator() external view returns (uint256);
    /// The timelock only: a new quorum numerator (at most 100), for proposals whose snapshot is later.
    function updateQuorumNumerator(uint256 newQuorumNumerator) external;

    // ---------------------------------------------------------------- settings (GovernorSettings, GovernorPreventLateQuorum)

    /// The timelock only.
    function setVotingDelay(uint48 newVotingDelay) external;
    /// The timelock only; not zero. Proposals already made keep their period.
    function setVotingPeriod(uint32 newVotingPeriod) external;
    /// The timelock only.
    function setProposalThreshold(uint256 newProposalThreshold) external;
    /// Seconds that voting stays open after quorum is first reached.
    function lateQuorumVoteExtension() external view returns (uint48);
    /// The timelock only; at most the voting period.
    function setLateQuorumVoteExtension(uint48 newVoteExtension) external;

    // ---------------------------------------------------------------- timelock (GovernorTimelockControl)

    /// The TimelockController that executes proposals.
    function timelock() external view returns (address);
    /// The timelock only: moves execution to `newTimelock` (queued proposals stay on the old one).
    function updateTimelock(address newTimelock) external;

    /// `(build, index, programs)` of the serving program (see `dseq-program`).
    function dseqProgram() external view returns (bytes32 build, uint256 index, uint256 programs);
}
