// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

/// @title dseq LockingPool
/// @notice Sequencer operators lock METIS here to run a sequencer. Names follow Metis's
/// LockingPool/LockingInfo where the meaning is the same; partial withdrawals are queued
/// through the exit delay instead of paid at once, and the pool holds the tokens itself.
/// Served by two Stylus programs built from the `locking-pool` crate (see `dseq-program`): the
/// entry program, behind the pool's ERC-1967 proxy, forwards the selectors of the second one
/// (`locking-pool-module`) to it by delegatecall; callers only ever talk to the pool.
///
/// Delegated stake: a liquid-staking protocol (LST) that the LST registry approved and paired
/// with a sequencer (`setDelegate`, by the registry only) locks METIS into that sequencer with
/// `lockDelegated`. It counts toward the sequencer's `maxLock` and votes for the LST in
/// metis-votes; the operator can never withdraw it, nor the LST the operator's stake. The LST
/// withdraws through its own queue (`requestDelegatedWithdrawal`, then `claimDelegatedWithdrawals`
/// after the exit delay). When the pairing ends or the sequencer exits (forced or not), the LST's
/// whole stake in it enters that queue at once, so no path strands it, and the pool never calls
/// the LST, so no LST can block anyone else.
/// Status codes: 0 Unavailable (no such sequencer), 1 Inactive (exiting), 2 Active, 3 Unlocked.
interface ILockingPool {
    // ---------------------------------------------------------------- events

    /// A sequencer was registered. `total` is the pool's total locked stake afterwards.
    event Locked(address indexed signer, uint256 indexed sequencerId, address indexed owner, uint256 amount, uint256 total);
    /// The sequencer's stake grew by `amount` (fresh tokens and compounded rewards). `total` is the pool's total.
    event Relocked(uint256 indexed sequencerId, uint256 amount, uint256 total);
    /// Compounding moved `amount` of the sequencer's rewards into its stake.
    event RewardCompounded(uint256 indexed sequencerId, uint256 amount);
    /// The sequencer's counting stake changed to `newAmount`; `nonce` orders these updates.
    event LockUpdate(uint256 indexed sequencerId, uint256 indexed nonce, uint256 indexed newAmount);
    /// A partial withdrawal left the stake; it becomes claimable at `claimableAt`.
    event WithdrawalRequested(uint256 indexed sequencerId, uint256 indexed requestId, uint256 amount, uint64 claimableAt);
    /// Matured withdrawal requests `[firstRequestId, firstRequestId + count)` were paid to `owner`.
    event WithdrawalsClaimed(uint256 indexed sequencerId, address indexed owner, uint256 amount, uint256 firstRequestId, uint256 count);
    /// The sequencer stopped sequencing; its `amount` is claimable at `unlockClaimTime`.
    event UnlockInit(address indexed signer, uint256 indexed sequencerId, uint256 nonce, uint64 deactivationTime, uint64 unlockClaimTime, uint256 amount, bool forced);
    /// The exited stake `amount` was paid to `user` (the owner). `total` is the pool's total locked stake.
    event Unlocked(address indexed user, uint256 indexed sequencerId, uint256 amount, uint256 total);
    /// The signer key was rotated.
    event SignerChange(uint256 indexed sequencerId, uint256 nonce, address indexed oldSigner, address indexed newSigner);
    /// The owner changed (at registration, or when a transfer is accepted).
    event SequencerOwnerChanged(uint256 indexed sequencerId, address owner);
    /// An owner transfer was proposed; `pendingOwner` must accept it (zero cancels).
    event SequencerOwnerTransferStarted(uint256 indexed sequencerId, address indexed currentOwner, address indexed pendingOwner);
    /// The reward recipient changed.
    event SequencerRewardRecipientChanged(uint256 indexed sequencerId, address recipient);
    /// Admission of `user` as a sequencer owner was granted (`yes`) or revoked.
    event SetWhitelist(address indexed user, bool yes);
    /// The stake bounds changed (both inclusive).
    event SetLockBounds(uint256 minLock, uint256 maxLock);
    event WithdrawDelayTimeChange(uint256 cur, uint256 prev);
    event SignerRotationDelayChanged(uint256 delay);
    event SetMaxWithdrawalRequests(uint256 maxRequests);
    event RewardDistributorChanged(address previous, address current);
    /// Counting stake is reported to the voting token `votes` (metis-votes) from now on.
    event VotingTokenSet(address votes);
    event Paused(address account);
    event Unpaused(address account);
    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);
    event Initialized(uint64 version);
    event DefaultAdminTransferScheduled(address indexed newAdmin, uint48 acceptSchedule);
    event DefaultAdminTransferCanceled();
    event DefaultAdminDelayChangeScheduled(uint48 newDelay, uint48 effectSchedule);
    event DefaultAdminDelayChangeCanceled();
    /// Program `index` of build `build` is now served from `program` (`installPrograms`).
    event ProgramInstalled(uint256 indexed index, address indexed program, bytes32 build);
    /// The LST registry, which pairs LSTs with sequencers and sets their terms, changed.
    event LstRegistryChanged(address previous, address current);
    /// The registry set `lst`'s terms: its total delegated stake may reach `cap`; it may add stake only if `open`.
    event LstTermsSet(address indexed lst, uint256 cap, bool open);
    /// The sequencer's delegate (its paired LST) changed from `previous` to `current` (zero: none).
    event SequencerDelegateChanged(uint256 indexed sequencerId, address indexed previous, address indexed current);
    /// `lst` locked `amount` into the sequencer; its stake there is now `lstStake`; `total` is the pool's total locked stake.
    event DelegatedStakeLocked(uint256 indexed sequencerId, address indexed lst, uint256 amount, uint256 lstStake, uint256 total);
    /// `amount` of `lst`'s stake in the sequencer entered its withdrawal queue as request `requestId`,
    /// claimable at `claimableAt`: asked for by the LST, or `unwound` by an unpairing or an exit.
    event DelegatedWithdrawalRequested(address indexed lst, uint256 indexed requestId, uint256 indexed sequencerId, uint256 amount, uint64 claimableAt, bool unwound);
    /// `lst`'s matured requests `[firstRequestId, firstRequestId + count)` were paid to it.
    event DelegatedWithdrawalsClaimed(address indexed lst, uint256 amount, uint256 firstRequestId, uint256 count);

    // ---------------------------------------------------------------- errors

    /// `account` is not admitted as a sequencer owner.
    error NotWhitelisted(address account);
    /// `owner` already has the live sequencer `sequencerId`.
    error OwnedSequencer(address owner, uint256 sequencerId);
    /// `signer` was used by a sequencer before; signers are never reused.
    error SignerExisted(address signer);
    /// No sequencer has id `sequencerId`.
    error NoSuchSeq(uint256 sequencerId);
    /// An address argument is zero.
    error NullAddress();
    /// The sequencer's status is `status`, but the call needs Active.
    error SeqNotActive(uint256 sequencerId, uint8 status);
    /// The sequencer's status is `status`, but the call needs Inactive (exiting).
    error SeqNotInactive(uint256 sequencerId, uint8 status);
    /// `caller` is not the sequencer's owner.
    error NotSeqOwner(uint256 sequencerId, address caller);
    /// `caller` is neither the sequencer's owner nor its signer.
    error NotSeqOwnerOrSigner(uint256 sequencerId, address caller);
    /// `caller` is not the pending owner of the sequencer.
    error NotPendingOwner(uint256 sequencerId, address caller);
    /// The proof is neither a 64-byte public key nor a 65-byte signature.
    error InvalidProofLength(uint256 length);
    /// The proof does not show possession of `signer`'s key.
    error InvalidSignerProof(address signer);
    /// A 64-byte public key was given as proof: only the signer key's signature proves possession.
    error PublicKeyProofRefused(address signer);
    /// The sequencer has `open` unclaimed withdrawal requests: claim them before a transfer.
    error OpenWithdrawalRequests(uint256 sequencerId, uint256 open);
    /// `amount` is outside `[minLock, maxLock]`.
    error InvalidLockAmount(uint256 amount, uint256 minLock, uint256 maxLock);
    /// The stake would become `newAmount`, above `maxLock`.
    error LockAboveMax(uint256 newAmount, uint256 maxLock);
    /// A relock must add something (tokens or compounded rewards).
    error NoNewLockedAdded();
    /// A withdrawal of zero.
    error ZeroWithdrawal();
    /// `amount` exceeds the sequencer's stake `stake`.
    error WithdrawalExceedsStake(uint256 amount, uint256 stake);
    /// The stake left, `remaining`, would fall below `minLock`.
    error WithdrawalBelowMinLock(uint256 remaining, uint256 minLock);
    /// The sequencer has `open` unclaimed withdrawal requests, the most allowed.
    error TooManyWithdrawalRequests(uint256 sequencerId, uint256 open, uint256 maxRequests);
    /// No withdrawal request has matured; the next matures at `nextClaimableAt` (0 if none is open).
    error NothingToClaim(uint256 sequencerId, uint64 nextClaimableAt);
    /// The exit is claimable from `unlockClaimTime`; it is `now`.
    error UnlockNotReady(uint256 sequencerId, uint64 unlockClaimTime, uint64 now);
    /// The signer can next be rotated at `nextAllowedAt`.
    error SignerRotationTooSoon(uint256 sequencerId, uint64 nextAllowedAt);
    /// `minLock` must be positive and at most `maxLock`, and `maxLock` at most 2^128 - 1.
    error InvalidLockBounds(uint256 minLock, uint256 maxLock);
    /// The exit delay must be in `[1, maxDelay]` seconds.
    error InvalidExitDelay(uint256 delay, uint256 maxDelay);
    /// The signer update throttle must be at most `maxDelay` seconds.
    error InvalidSignerRotationDelay(uint256 delay, uint256 maxDelay);
    /// The open-request limit must be in `[1, cap]`.
    error InvalidMaxWithdrawalRequests(uint256 maxRequests, uint256 cap);
    /// Compounding needs a reward distributor, and none is set.
    error NoRewardDistributor();
    /// The reward distributor reported `reported` but the pool received `received`.
    error RewardCompoundMismatch(uint256 reported, uint256 received);
    /// The reward distributor's `claimForCompound` reverted with `reason`.
    error RewardCompoundFailed(address distributor, bytes reason);
    /// The reward distributor's `settleStakes` reverted with `reason`: the stake change waits
    /// until the distributor can split what the old stakes earned.
    error RewardSettlementFailed(address distributor, bytes reason);
    /// The voting token `votes` refused a stake report with `reason`; the operation is undone.
    error StakeReportFailed(address votes, bytes reason);
    /// The voting token is set once, and already is (`votes`).
    error VotingTokenAlreadySet(address votes);
    /// The voting token must be set before any stake is locked, so every stake it counts was reported (`totalLocked`).
    error StakeAlreadyLocked(uint256 totalLocked);
    error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
    error AccessControlBadConfirmation();
    error EnforcedPause();
    error ExpectedPause();
    error InvalidInitialization();
    error TokenCallFailed(address token, bytes reason);
    error ECDSAInvalidSignature();
    error ECDSAInvalidSignatureS(bytes32 s);
    error AccessControlInvalidDefaultAdmin(address defaultAdmin);
    error AccessControlEnforcedDefaultAdminRules();
    error AccessControlEnforcedDefaultAdminDelay(uint48 schedule);
    /// The entry program of build `build` has no program set installed (upgrade without install).
    error ProgramsNotInstalled(bytes32 build);
    /// `installPrograms` takes one address per program after the entry.
    error ProgramCountMismatch(uint256 expected, uint256 given);
    /// The address given for program `index` has no code.
    error ProgramHasNoCode(uint256 index, address program);
    /// The address given for program `index` does not declare itself that program of this build.
    error ProgramMismatch(uint256 index, address program, bytes32 expectedBuild, bytes32 build, uint256 answeredIndex);

    /// Only the LST registry (`lstRegistry()`) may do this; `caller` is not it.
    error NotLstRegistry(address caller);
    /// `caller` is not the sequencer's paired LST (`delegation(sequencerId).lst`).
    error NotSequencerDelegate(uint256 sequencerId, address caller);
    /// `lst` may not add stake: the registry paused its deposits or delisted it.
    error LstDepositsClosed(address lst);
    /// `lst` has `staked` delegated in all; `amount` more would pass its cap `cap`.
    error LstCapExceeded(address lst, uint256 staked, uint256 amount, uint256 cap);
    /// No request of `lst` has matured; the next matures at `nextClaimableAt` (0 if none is open).
    error NoMaturedDelegatedWithdrawal(address lst, uint64 nextClaimableAt);

    // ---------------------------------------------------------------- setup

    /// Sets up a proxy's storage: `admin` gets every role; `token` is METIS; `programs` are
    /// installed as by `installPrograms`. Once only.
    function initialize(address admin, address token, address[] calldata programs) external;

    // ---------------------------------------------------------------- operators

    /// Registers the caller's sequencer with the caller as reward recipient. `signerProof` is the
    /// signer key's 65-byte EIP-712 signature of `SignerProof(owner)` in this pool's domain
    /// (`signerProofDigest(owner)`). Unlike Metis, a 64-byte public key is refused
    /// (`PublicKeyProofRefused`): a public key proves nothing about who holds the key.
    function lockFor(address signer, uint256 amount, bytes calldata signerProof) external returns (uint256);
    /// Registers the caller's sequencer paying rewards to `rewardRecipient`.
    function lockWithRewardRecipient(address signer, address rewardRecipient, uint256 amount, bytes calldata signerProof) external returns (uint256);
    /// Adds `amount` tokens to the stake, and the sequencer's rewards too if `lockReward`.
    function relock(uint256 sequencerId, uint256 amount, bool lockReward) external;
    /// Takes `amount` out of the stake now; it is claimable after the exit delay.
    function requestWithdrawal(uint256 sequencerId, uint256 amount) external returns (uint256);
    /// Pays every matured withdrawal request to the owner. Works while paused and after exit.
    function claimWithdrawals(uint256 sequencerId) external returns (uint256);
    /// Starts the exit: the sequencer stops counting and its stake is claimable after the delay.
    /// `l2Gas` is Metis's bridging parameter, kept so Metis's selector works; it is ignored
    /// (nothing is bridged) and the call takes no value.
    function unlock(uint256 sequencerId, uint32 l2Gas) external;
    /// Pays the exited stake to the owner once the delay has passed. Works while paused.
    /// `l2Gas` is ignored, as in `unlock`.
    function unlockClaim(uint256 sequencerId, uint32 l2Gas) external returns (uint256);
    /// Rotates the signer key (by the owner or the current signer), at most once per
    /// `signerRotationDelay`; `signerProof` as in `lockFor`, signed by the new key for the owner.
    /// (Metis's `updateSigner(uint256,bytes)` takes a public key: a different shape, so a new name.)
    function rotateSigner(uint256 sequencerId, address signer, bytes calldata signerProof) external;
    function setSequencerRewardRecipient(uint256 sequencerId, address recipient) external;
    /// Proposes `newOwner` (zero cancels); the new owner must call `acceptSequencerOwner`.
    /// Refused while withdrawal requests are open (`OpenWithdrawalRequests`): requested METIS
    /// left the stake for the owner who asked, so it is claimed before the sequencer changes hands.
    function setSequencerOwner(uint256 sequencerId, address newOwner) external;
    function acceptSequencerOwner(uint256 sequencerId) external;

    // ---------------------------------------------------------------- delegated stake (LSTs)

    /// By the sequencer's paired LST: locks `amount` more of its METIS into the Active sequencer
    /// (pulled from the caller; approve the pool). Its total across sequencers stays within its cap,
    /// and the sequencer's stake (operator's plus LST's) within `maxLock`. Refused while paused.
    function lockDelegated(uint256 sequencerId, uint256 amount) external;
    /// By the sequencer's paired LST: moves `amount` of its stake there into its withdrawal queue,
    /// claimable after the exit delay. Returns the request id. Refused while paused (unpairing is not).
    function requestDelegatedWithdrawal(uint256 sequencerId, uint256 amount) external returns (uint256);
    /// Pays `lst` its matured requests, at most 32 per call (call again for more). Anyone may call
    /// it; the tokens go to `lst`. Works while paused.
    function claimDelegatedWithdrawals(address lst) external returns (uint256);
    /// By the LST registry: makes `lst` the sequencer's delegate (zero: none). The previous
    /// delegate's stake there enters its withdrawal queue. A new delegate needs an Active sequencer.
    function setDelegate(uint256 sequencerId, address lst) external;
    /// By the LST registry: `lst`'s cap on its total delegated stake (at most 2^96 - 1), and
    /// whether it may add stake.
    function setLstTerms(address lst, uint256 cap, bool open) external;

    // ---------------------------------------------------------------- governance

    /// Starts the exit of any active sequencer (DEFAULT_ADMIN_ROLE). `l2Gas` is ignored.
    function forceUnlock(uint256 sequencerId, uint32 l2Gas) external;
    /// Admits or revokes a sequencer owner (ADMISSION_ROLE). Revoked owners keep their exits.
    function setWhitelist(address user, bool yes) external;
    /// Sets both stake bounds at once: `0 < minLock <= maxLock <= 2^128 - 1`.
    function setLockBounds(uint256 minLock, uint256 maxLock) external;
    /// Sets the exit delay in seconds (`0 < delay <= 365 days`), for future exits and requests.
    function updateWithdrawDelayTimeValue(uint256 delay) external;
    /// Sets the minimum seconds between two signer rotations (Metis counts batches instead:
    /// a different meaning, so a different name than its `setSignerUpdateThrottle`).
    function setSignerRotationDelay(uint64 delay) external;
    function setMaxWithdrawalRequests(uint64 maxRequests) external;
    function setRewardDistributor(address distributor) external;
    /// Sets the LST registry (DEFAULT_ADMIN_ROLE); zero stops new pairings and terms.
    function setLstRegistry(address registry) external;
    /// Admin only, once, before any stake is locked: counting stake votes in `votes` (metis-votes),
    /// which the pool tells of every change (registration, relock, withdrawal request, exit, owner transfer).
    function setVotingToken(address votes) external;
    function pause() external;
    function unpause() external;
    function grantRole(bytes32 role, address account) external;
    function revokeRole(bytes32 role, address account) external;
    /// Renounces a role. The default admin renounces only through a matured transfer to zero.
    function renounceRole(bytes32 role, address callerConfirmation) external;
    /// OpenZeppelin's AccessControlDefaultAdminRules: one default admin, moved in two steps.
    /// `grantRole`/`revokeRole` of DEFAULT_ADMIN_ROLE revert `AccessControlEnforcedDefaultAdminRules`.
    function beginDefaultAdminTransfer(address newAdmin) external;
    function cancelDefaultAdminTransfer() external;
    /// By the pending admin, once `defaultAdminDelay` has passed since the transfer began.
    function acceptDefaultAdminTransfer() external;
    /// An increase takes effect after min(newDelay, 5 days), a decrease after the difference.
    function changeDefaultAdminDelay(uint48 newDelay) external;
    function rollbackDefaultAdminDelay() external;
    /// Installs the pool's programs after the entry (UPGRADER_ROLE): each must have code and
    /// answer `dseqProgram()` with this build and its index. Proxy upgrades run it in the same
    /// transaction: `upgradeToAndCall(newEntry, installPrograms(newPrograms))`.
    function installPrograms(address[] calldata programs) external;

    // ---------------------------------------------------------------- views

    /// Metis's 13-field `sequencers` getter, field for field, so tools and LST contracts that
    /// decode it positionally read the right values. Fields that do not exist here are zero:
    /// `reward` (rewards live in the reward distributor), `activationBatch`, `updatedBatch`,
    /// `deactivationBatch` (no batches: see the times in `sequencerInfo`) and `pubkey` (empty:
    /// signers prove possession with a signature, no public key is stored).
    function sequencers(uint256 sequencerId) external view returns (uint256 amount, uint256 reward, uint256 activationBatch, uint256 updatedBatch, uint256 deactivationBatch, uint256 deactivationTime, uint256 unlockClaimTime, uint256 nonce, address owner, address signer, bytes memory pubkey, address rewardRecipient, uint8 status);
    /// Everything this pool keeps about a sequencer.
    function sequencerInfo(uint256 sequencerId) external view returns (uint256 amount, address owner, address signer, address rewardRecipient, uint8 status, uint64 nonce, uint64 activationTime, uint64 signerUpdatedAt, uint64 deactivationTime, uint64 unlockClaimTime);
    function pendingSequencerOwner(uint256 sequencerId) external view returns (address);
    function seqOwners(address owner) external view returns (uint256);
    function seqSigners(address signer) external view returns (uint256);
    /// `seqSigners` of each signer in one call (the reward distributor resolves a batch with it).
    function seqSignersOf(address[] calldata signers) external view returns (uint256[] memory);
    function whitelist(address user) external view returns (bool);
    function withdrawalQueue(uint256 sequencerId) external view returns (uint64 nextToClaim, uint64 nextRequestId, uint256 pending, uint256 claimable);
    function withdrawalRequest(uint256 sequencerId, uint64 requestId) external view returns (uint256 amount, uint64 claimableAt);
    function signerProofDigest(address owner) external view returns (bytes32);
    function token() external view returns (address);
    /// The installed programs after the entry (zero where none is installed for this build).
    function programs() external view returns (address[] memory);
    /// `(build, index, programs)`: this program's build id, its index and the program count.
    function dseqProgram() external view returns (bytes32 build, uint256 index, uint256 programs);
    function rewardDistributor() external view returns (address);
    /// The LST registry (zero: none).
    function lstRegistry() external view returns (address);
    /// The sequencer's stakes in one read, for the LST registry and the reward distributor: its
    /// `owner` and `status`, the operator's own stake, its paired LST and that LST's stake in it.
    function delegation(uint256 sequencerId) external view returns (address owner, uint8 status, uint256 operatorStake, address lst, uint256 lstStake);
    /// `lst`'s account: its counting stake across sequencers, its terms, and its withdrawal queue
    /// `[nextToClaim, nextRequestId)` holding `pending` in all.
    function lstAccount(address lst) external view returns (uint256 staked, uint256 cap, bool open, uint256 pending, uint64 nextToClaim, uint64 nextRequestId);
    /// One request of `lst`: `(amount, claimableAt, sequencerId)`; zeros once claimed.
    function delegatedWithdrawal(address lst, uint64 requestId) external view returns (uint256 amount, uint64 claimableAt, uint256 sequencerId);
    /// The voting token counting stake is reported to (zero: none).
    function votingToken() external view returns (address);
    function minLock() external view returns (uint256);
    function maxLock() external view returns (uint256);
    function exitDelayPeriod() external view returns (uint256);
    function signerRotationDelay() external view returns (uint64);
    function maxWithdrawalRequests() external view returns (uint64);
    function totalSequencers() external view returns (uint256);
    function activeSequencers() external view returns (uint256);
    function totalLocked() external view returns (uint256);
    function totalPendingWithdrawals() external view returns (uint256);
    function paused() external view returns (bool);
    function hasRole(bytes32 role, address account) external view returns (bool);
    function getRoleAdmin(bytes32 role) external view returns (bytes32);
    function defaultAdmin() external view returns (address);
    /// ERC-5313: the default admin.
    function owner() external view returns (address);
    function pendingDefaultAdmin() external view returns (address newAdmin, uint48 schedule);
    function defaultAdminDelay() external view returns (uint48);
    function pendingDefaultAdminDelay() external view returns (uint48 newDelay, uint48 schedule);
    function defaultAdminDelayIncreaseWait() external view returns (uint48);
    function DEFAULT_ADMIN_ROLE() external view returns (bytes32);
    function ADMISSION_ROLE() external view returns (bytes32);
    function PAUSER_ROLE() external view returns (bytes32);
    function UPGRADER_ROLE() external view returns (bytes32);
}
