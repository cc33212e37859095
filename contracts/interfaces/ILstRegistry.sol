// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

/// @title dseq LstRegistry
/// @notice The liquid-staking protocols (LSTs) governance approved, and which sequencer each is
/// paired with. What Metis runs as a forum post, a Snapshot vote and hand-made arrangements
/// ("sequencers pair with those LST protocols that have passed Community Ecosystem Governance"),
/// on-chain, in the shape of Lido's staking-module registry and EigenLayer's strategy whitelist:
///
/// - Governance (the timelock) approves an LST contract under a unique name with a cap on its
///   total delegated stake, and sets its status: Active, DepositsPaused (no new pairings or
///   stake; withdrawals go on), or Delisted (final: its pairings may be ended by anyone).
/// - A pairing needs both sides: the operator of an Active sequencer offers it to an approved
///   LST and the LST accepts, or the reverse. A sequencer has at most one LST; an LST may pair
///   with up to `maxPairingsPerLst` sequencers. Either side ends it with `unpair`, and anyone may
///   once the LST is delisted or the sequencer is no longer Active.
/// - The stake itself lives in locking-pool, which this registry tells of every pairing
///   (`setDelegate`) and every change of terms (`setLstTerms`): the LST locks METIS there with
///   `lockDelegated` and withdraws through its own unbonding queue. Ending a pairing moves the
///   LST's stake in that sequencer into the queue in the same transaction.
///
/// Status codes: 0 None (not approved), 1 Active, 2 DepositsPaused, 3 Delisted.
/// The registry never calls an LST, so no LST contract can block an operator or another LST.
interface ILstRegistry {
    // ---------------------------------------------------------------- events

    /// Governance approved `lst` as `name` with a cap of `cap` on its delegated stake.
    event LstApproved(address indexed lst, string name, uint256 cap);
    event LstCapChanged(address indexed lst, uint256 previousCap, uint256 cap);
    event LstStatusChanged(address indexed lst, uint8 previousStatus, uint8 status);
    /// How many sequencers one LST may pair with changed.
    event MaxPairingsChanged(uint32 previous, uint32 maxPairings);
    /// `by` (the sequencer's operator or the LST) offered the pairing; the other side accepts it.
    event PairingOffered(uint256 indexed sequencerId, address indexed lst, address indexed by);
    /// `by` withdrew its pending offer.
    event PairingOfferWithdrawn(uint256 indexed sequencerId, address indexed lst, address indexed by);
    /// The sequencer and `lst` are paired: `lst` may lock stake into it.
    event Paired(uint256 indexed sequencerId, address indexed lst);
    /// `by` ended the pairing; the LST's stake in the sequencer entered its withdrawal queue.
    event Unpaired(uint256 indexed sequencerId, address indexed lst, address indexed by);
    event Initialized(uint64 version);

    // ---------------------------------------------------------------- errors

    /// Only governance (the timelock) may do this.
    error NotGovernance(address caller);
    /// `initialize` needs a governance and a pool address.
    error InvalidSetup(address governance, address pool);
    /// `lst` is already in the registry, with status `status`: an LST is approved once.
    error LstAlreadyApproved(address lst, uint8 status);
    /// Another LST, `holder`, is approved under this name (the name, zero-padded).
    error LstNameTaken(bytes32 name, address holder);
    /// A name is 1 to `maxLength` bytes long; this one is `length`.
    error InvalidLstName(uint256 length, uint256 maxLength);
    /// A cap is at most `maxCap` (2^96 - 1).
    error InvalidLstCap(uint256 cap, uint256 maxCap);
    /// `lst` was never approved.
    error LstNotApproved(address lst);
    /// `lst`'s status is `status`; this needs Active.
    error LstNotActive(address lst, uint8 status);
    /// `lst` is delisted, which is final: its status and cap no longer change.
    error LstIsDelisted(address lst);
    /// Status codes are 1 Active, 2 DepositsPaused, 3 Delisted; `status` is none of them.
    error InvalidLstStatus(uint8 status);
    /// The limit is between 1 and `limit`.
    error InvalidMaxPairings(uint32 maxPairings, uint32 limit);
    /// `lst` already has `pairings` pairings, the most allowed.
    error PairingLimitReached(address lst, uint32 pairings, uint32 maxPairings);
    /// The sequencer's status in locking-pool is `status`; pairing needs Active (2).
    error SequencerNotActive(uint256 sequencerId, uint8 status);
    /// `caller` is neither the sequencer's operator nor `lst`, or may not end this pairing.
    error NotPairingParty(uint256 sequencerId, address lst, address caller);
    /// The sequencer is already paired with `lst`: unpair first.
    error AlreadyPaired(uint256 sequencerId, address lst);
    /// There is no pending offer between the sequencer and `lst` that the caller can accept.
    error NoPairingOffer(uint256 sequencerId, address lst);
    /// The sequencer has neither a pairing nor a pending offer.
    error NotPaired(uint256 sequencerId);
    error InvalidInitialization();

    // ---------------------------------------------------------------- setup

    /// Sets up a proxy: `governance` (the timelock) approves LSTs and sets their terms; `pool`
    /// is locking-pool, which must name this registry (`setLstRegistry`). Once only.
    function initialize(address governance, address pool, uint32 maxPairingsPerLst) external;

    // ---------------------------------------------------------------- governance

    /// Approves `lst` (its contract, or the account that acts for it) as `name` (1 to 32 bytes, unique) with `cap` (at most
    /// 2^96 - 1) on its total delegated stake. It starts Active.
    function approveLst(address lst, string calldata name, uint256 cap) external;
    /// A cap below the LST's current stake only stops it from adding more.
    function setLstCap(address lst, uint256 cap) external;
    /// 1 Active, 2 DepositsPaused, 3 Delisted (final).
    function setLstStatus(address lst, uint8 status) external;
    /// From 1 to 10,000. Existing pairings above a lowered limit stay.
    function setMaxPairingsPerLst(uint32 maxPairings) external;

    // ---------------------------------------------------------------- pairing

    /// By the Active sequencer's operator (offering to `lst`) or by `lst` (offering to the
    /// sequencer). Replaces the sequencer's pending offer, if any.
    function offerPairing(uint256 sequencerId, address lst) external;
    /// By the other side of the pending offer. Pairs them and names `lst` the sequencer's delegate
    /// in locking-pool.
    function acceptPairing(uint256 sequencerId, address lst) external;
    /// Ends the sequencer's pairing (the LST's stake in it enters the LST's withdrawal queue),
    /// or withdraws its pending offer. By the operator or the LST; by anyone once the LST is
    /// delisted or the sequencer is not Active.
    function unpair(uint256 sequencerId) external;

    // ---------------------------------------------------------------- views

    /// `(status, cap, pairings, approvedAt)`.
    function lstInfo(address lst) external view returns (uint8 status, uint256 cap, uint32 pairings, uint64 approvedAt);
    function lstName(address lst) external view returns (string memory);
    /// The LST approved under `name` (zero: none, or not a valid name).
    function lstOfName(string calldata name) external view returns (address);
    /// How many LSTs were ever approved; `lstAt(i)` for `i` below it lists them.
    function lstCount() external view returns (uint256);
    function lstAt(uint256 index) external view returns (address);
    /// `(lst, pairedAt, offeredLst, offeredBy)`: the live pairing (zero: none) and the pending offer.
    function pairing(uint256 sequencerId) external view returns (address lst, uint64 pairedAt, address offeredLst, address offeredBy);
    function maxPairingsPerLst() external view returns (uint32);
    function governance() external view returns (address);
    function pool() external view returns (address);
    /// `(build, index, programs)`: this program's build id, its index and the program count.
    function dseqProgram() external view returns (bytes32 build, uint256 index, uint256 programs);
}
