// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

/// @title dseq RewardDistributor
/// @notice Sequencing rewards and fee revenue, split between each sequencer's operator, its
/// paired LST and the treasury, and paid out by pull. Metis credits all of a sequencer's reward
/// to one recipient and leaves any split to third-party contracts; here the split is part of
/// the suite:
///
/// 1. the treasury takes `treasuryBps` of every credited amount (at most 50%);
/// 2. the rest is divided between the operator's own stake and the paired LST's stake in the
///    sequencer, in proportion to capital while it accrued;
/// 3. the operator keeps its commission (`commissionBps`, capped by governance) of the LST's
///    part; a change of commission takes effect `commissionDelay` seconds after it is set;
/// 4. the operator gets what remains, so the parts always sum to the amount.
///
/// Reward batches come from the submitter (Metis's MPC): consecutive batch ids, contiguous
/// epochs, `(signer, blocks)` pairs with signers in ascending order (each once), `blocks *
/// rewardPerBlock` per signer, the total pulled from the reward payer in the same transaction.
/// A signer that rotated or exited is still paid for the blocks it produced. Fee revenue is
/// deposited by anyone, for one sequencer or for a past batch pro rata to its blocks.
///
/// A batch costs one read and one write per signer: it adds each signer's share to its
/// sequencer's `pending` amount, and locking-pool calls `settleStakes` before any change of the
/// sequencer's stakes or LST, so `pending` is split at the stakes that earned it. Claims settle
/// first, too. Nothing is pushed: each party claims its own balance, so a failing or hostile
/// recipient affects only itself. Balances survive exits, delistings, pauses and upgrades.
interface IRewardDistributor {
    // ---------------------------------------------------------------- events

    /// A reward batch was credited. `digest` is `keccak256(abi.encodePacked(signers, blocks))`,
    /// which `depositBatchFees` checks; `reward` was pulled from the reward payer, and
    /// `treasuryShare` of it went to the treasury.
    event RewardBatchSubmitted(uint256 indexed batchId, uint256 startEpoch, uint256 endEpoch, bytes32 digest, uint256 signers, uint256 blocks, uint256 reward, uint256 treasuryShare);
    /// `from` deposited `amount` of fee revenue for the sequencer.
    event FeesDeposited(uint256 indexed sequencerId, address indexed from, uint256 amount, uint256 treasuryShare);
    /// `from` deposited `amount` of fee revenue for the batch's signers, pro rata to their blocks.
    event BatchFeesDeposited(uint256 indexed batchId, address indexed from, uint256 amount, uint256 treasuryShare);
    /// The sequencer's pending amount was split: `operatorShare` (commission included) to its
    /// operator, `lstShare` to `lst`; `commission` is what the operator kept of the LST's part.
    event RewardsSettled(uint256 indexed sequencerId, address indexed lst, uint256 operatorShare, uint256 lstShare, uint256 commission);
    event OperatorRewardsClaimed(uint256 indexed sequencerId, address indexed recipient, uint256 amount);
    /// locking-pool took the sequencer's operator rewards into its stake.
    event RewardsCompounded(uint256 indexed sequencerId, uint256 amount);
    event LstRewardsClaimed(address indexed lst, uint256 amount);
    event TreasuryRewardsClaimed(address indexed treasury, uint256 amount);
    /// The operator's commission goes from `currentBps` to `nextBps` at `effectiveAt`.
    event CommissionScheduled(uint256 indexed sequencerId, uint16 currentBps, uint16 nextBps, uint64 effectiveAt);
    event RewardPerBlockChanged(uint256 previous, uint256 rewardPerBlock);
    event TreasuryBpsChanged(uint16 previous, uint16 treasuryBps);
    event TreasuryChanged(address previous, address treasury);
    event RewardPayerChanged(address previous, address rewardPayer);
    event SubmitterChanged(address previous, address submitter);
    event CommissionTermsChanged(uint16 maxCommissionBps, uint64 commissionDelay);
    event Paused(address account);
    event Unpaused(address account);
    event Initialized(uint64 version);

    // ---------------------------------------------------------------- errors

    /// Only governance (the timelock) may do this.
    error NotGovernance(address caller);
    /// Only the submitter (the MPC) submits batches.
    error NotSubmitter(address caller);
    /// Only locking-pool calls this.
    error NotPool(address caller);
    /// `caller` is not the sequencer's owner in locking-pool.
    error NotSequencerOwner(uint256 sequencerId, address caller);
    /// `caller` is neither the sequencer's owner nor its reward recipient.
    error NotOperatorOrRecipient(uint256 sequencerId, address caller);
    /// An address that must be set is zero.
    error ZeroAddress();
    /// The next batch is `expected`.
    error UnexpectedBatchId(uint256 batchId, uint256 expected);
    /// Epochs are contiguous: the next batch starts at `expected`.
    error UnexpectedStartEpoch(uint256 startEpoch, uint256 expected);
    /// A batch covers `startEpoch` to `endEpoch` inclusive, so `endEpoch >= startEpoch` (below 2^64 - 1).
    error InvalidEpochRange(uint256 startEpoch, uint256 endEpoch);
    /// A batch has 1 to `maxSigners` signers and as many block counts.
    error InvalidBatchLength(uint256 signers, uint256 blocks, uint256 maxSigners);
    /// Signers come in strictly ascending order, so none appears twice; the one at `index` does not.
    error SignersNotAscending(uint256 index, address signer);
    /// Each signer produced at least one block, and fewer than 2^64.
    error InvalidBlockCount(address signer, uint256 blocks);
    /// `signer` never served a sequencer in locking-pool.
    error UnknownSigner(address signer);
    /// The sequencer does not exist in locking-pool.
    error UnknownSequencer(uint256 sequencerId);
    /// The amount would take the distributor's lifetime funding past 2^128 - 1; `max` is what is left.
    error AmountTooLarge(uint256 amount, uint256 max);
    /// Nothing was deposited.
    error ZeroAmount();
    /// No batch `batchId` was submitted, or its signers and blocks are not the ones given.
    error BatchMismatch(uint256 batchId, bytes32 digest, bytes32 given);
    /// `account` has nothing to claim.
    error NothingToClaim(address account);
    /// A commission is at most `maxBps` (governance's cap).
    error CommissionAboveCap(uint16 bps, uint16 maxBps);
    /// The treasury's share is at most `maxBps` (5000).
    error InvalidTreasuryBps(uint16 bps, uint16 maxBps);
    /// The reward per block is at most `max` (2^96 - 1).
    error InvalidRewardPerBlock(uint256 rewardPerBlock, uint256 max);
    /// The commission cap is at most 10000 bps and the delay at most `maxDelay` seconds.
    error InvalidCommissionTerms(uint16 maxCommissionBps, uint64 commissionDelay, uint64 maxDelay);
    /// The pool refused the query (its revert data).
    error PoolQueryFailed(bytes reason);
    error EnforcedPause();
    error ExpectedPause();
    error InvalidInitialization();
    /// The token refused a transfer (its revert data, or empty for a `false` return).
    error TokenCallFailed(address token, bytes reason);

    // ---------------------------------------------------------------- setup

    /// Sets up a proxy. `governance` (the timelock) sets the terms; `pool` is locking-pool, whose
    /// token (METIS) is paid in and which must name this distributor (`setRewardDistributor`);
    /// `submitter` submits batches, paid from `rewardPayer`'s allowance; the treasury's share
    /// goes to `treasury`. The first batch starts at `firstEpoch`. Once only.
    function initialize(address governance, address pool, address submitter, address rewardPayer, address treasury, uint256 rewardPerBlock, uint16 treasuryBps, uint64 firstEpoch) external;

    // ---------------------------------------------------------------- governance

    /// At most 2^96 - 1 wei per block; applies to the next batch.
    function setRewardPerBlock(uint256 rewardPerBlock) external;
    /// At most 5000 (50%); applies to amounts credited from now on.
    function setTreasuryBps(uint16 treasuryBps) external;
    function setTreasury(address treasury) external;
    function setRewardPayer(address rewardPayer) external;
    function setSubmitter(address submitter) external;
    /// The cap on commissions (at most 10000; commissions already above it stay until changed)
    /// and the delay before a commission change takes effect (at most 90 days).
    function setCommissionTerms(uint16 maxCommissionBps, uint64 commissionDelay) external;
    /// Stops batches and fee deposits; settlements and claims go on.
    function pause() external;
    function unpause() external;

    // ---------------------------------------------------------------- operators

    /// By the sequencer's owner: the commission becomes `bps` `commissionDelay` seconds from
    /// now, replacing any change still waiting.
    function setCommission(uint256 sequencerId, uint16 bps) external;

    // ---------------------------------------------------------------- credit

    /// By the submitter: credits `blocks[i] * rewardPerBlock` to the sequencer `signers[i]`
    /// served, for the epochs `startEpoch` to `endEpoch`, and pulls the total from the reward
    /// payer. Returns the total.
    function submitBatch(uint256 batchId, uint256 startEpoch, uint256 endEpoch, address[] calldata signers, uint256[] calldata blocks) external returns (uint256 reward);
    /// Credits `amount` of the caller's METIS as fee revenue of the sequencer.
    function depositFees(uint256 sequencerId, uint256 amount) external;
    /// Credits `amount` of the caller's METIS to the signers of batch `batchId` pro rata to their
    /// blocks (`signers` and `blocks` as submitted); rounding dust goes to the treasury.
    function depositBatchFees(uint256 batchId, address[] calldata signers, uint256[] calldata blocks, uint256 amount) external;

    // ---------------------------------------------------------------- settlement and claims

    /// Splits the sequencer's pending amount at its current stakes (anyone may; an LST does it
    /// before claiming).
    function settle(uint256 sequencerId) external;
    /// By locking-pool, before it changes the sequencer's stakes or LST: splits the pending
    /// amount at these stakes, the ones it accrued at.
    function settleStakes(uint256 sequencerId, uint256 operatorStake, address lst, uint256 lstStake) external;
    /// By the sequencer's owner or reward recipient: settles, then pays the operator's balance
    /// to the reward recipient. Returns the amount.
    function claimOperatorRewards(uint256 sequencerId) external returns (uint256);
    /// By locking-pool, when the owner relocks with its rewards: pays the operator's balance
    /// (the pool settled it just before) to the pool and returns it.
    function claimForCompound(uint256 sequencerId) external returns (uint256);
    /// Pays the caller (an LST) its balance.
    function claimLstRewards() external returns (uint256);
    /// Pays the treasury its balance (anyone may trigger it).
    function claimTreasury() external returns (uint256);

    // ---------------------------------------------------------------- views

    /// `(pending, operatorClaimable, commissionBps, nextCommissionBps, nextCommissionAt)`:
    /// `pending` is not split yet; `commissionBps` is the rate in force now.
    function sequencerRewards(uint256 sequencerId) external view returns (uint256 pending, uint256 operatorClaimable, uint16 commissionBps, uint16 nextCommissionBps, uint64 nextCommissionAt);
    /// How `settle` would split the pending amount now: `(lst, operatorShare, lstShare, commission)`.
    function previewSettlement(uint256 sequencerId) external view returns (address lst, uint256 operatorShare, uint256 lstShare, uint256 commission);
    function lstRewards(address lst) external view returns (uint256);
    function treasuryRewards() external view returns (uint256);
    /// `(funded, paid)`: all METIS ever credited (rewards and fees) and all ever paid out, so
    /// `funded - paid` is what the parties may still claim.
    function totals() external view returns (uint256 funded, uint256 paid);
    /// `(batchId, nextEpoch)`: the last batch (0: none yet) and where the next one starts.
    function lastBatch() external view returns (uint256 batchId, uint256 nextEpoch);
    /// The digest of batch `batchId`'s signers and blocks (zero: no such batch).
    function batchDigest(uint256 batchId) external view returns (bytes32);
    function rewardPerBlock() external view returns (uint256);
    function treasuryBps() external view returns (uint16);
    /// `(maxCommissionBps, commissionDelay)`.
    function commissionTerms() external view returns (uint16 maxCommissionBps, uint64 commissionDelay);
    function maxBatchSigners() external view returns (uint256);
    function governance() external view returns (address);
    function pool() external view returns (address);
    function token() external view returns (address);
    function submitter() external view returns (address);
    function rewardPayer() external view returns (address);
    function treasury() external view returns (address);
    function paused() external view returns (bool);
    /// `(build, index, programs)`: this program's build id, its index and the program count.
    function dseqProgram() external view returns (bytes32 build, uint256 index, uint256 programs);
}
