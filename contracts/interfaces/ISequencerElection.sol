// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

/// @title dseq SequencerElection
/// @notice Community voting windows that admit sequencer operators to locking-pool, on-chain:
/// what Metis ran as a forum post, a Snapshot vote and a multisig whitelisting by hand.
///
/// A round has four phases, each closed at its end (OpenZeppelin Governor's convention):
///   Applications  openedAt   <= now <= votingStart   candidates apply, proving their signer key
///   Voting        votingStart <  now <= votingEnd    holders vote for/against/abstain per candidate,
///                                                    with their votes at `votingStart`
///   Vetting       votingEnd   <  now <= vettingEnd   the vetter may veto a candidate
///   Ended         vettingEnd  <  now                 anyone finalizes: the qualified candidates are
///                                                    ranked by votes for and the top `seats` admitted
/// then Finalized (or Canceled by governance, which unblocks the next round).
///
/// A candidate qualifies with `for + abstain >= quorum`, at least `minVoters` distinct voters,
/// `for > 0` and `for * 10000 >= approvalBps * (for + against)`. Qualified candidates are ranked
/// by votes for, ties going to the earlier application. The quorum is the larger of the
/// absolute `quorum` and `quorumBps` of metis-votes' total votes at `votingStart`.
///
/// Rounds follow a calendar: round 1 is due at `firstRoundAt`, each next one `cadence` after the
/// previous one's slot (missed slots are skipped, never made up). Anyone opens a due round once
/// the previous one is finalized or canceled. Rules changed by governance apply from the next
/// round on: each round keeps a copy of the rules it opened with.
///
/// Served by two Stylus programs built from the `sequencer-election` crate: the entry, behind the
/// proxy, forwards the governance calls, vetoes and finalization to `sequencer-election-module`.
///
/// Phase codes: 0 None, 1 Applications, 2 Voting, 3 Vetting, 4 Ended, 5 Finalized, 6 Canceled.
/// Candidate status codes: 0 None, 1 Applied, 2 Vetoed, 3 Admitted, 4 NotQualified, 5 Outranked.
/// Support codes (as OpenZeppelin's Governor): 0 Against, 1 For, 2 Abstain.
interface ISequencerElection {
    // ---------------------------------------------------------------- events

    /// The rules of the next rounds changed (a live round keeps its own).
    event RulesSet(uint64 cadence, uint64 applicationPeriod, uint64 votingPeriod, uint64 vettingPeriod, uint16 seats, uint16 maxCandidates, uint32 minVoters, uint16 approvalBps, uint16 quorumBps, uint256 quorum);
    /// Who may veto candidates during vetting changed (zero: nobody).
    event VetterSet(address previousVetter, address newVetter);
    /// Round `roundId`, due at `scheduledAt`, opened now for applications.
    event RoundOpened(uint256 indexed roundId, uint64 scheduledAt, uint64 votingStart, uint64 votingEnd, uint64 vettingEnd);
    /// `operator` applied with the node key `signer`, as the round's candidate number `index`.
    event CandidateApplied(uint256 indexed roundId, address indexed operator, address indexed signer, uint256 index, string metadataURI);
    /// `voter` voted `support` on `candidate` with `weight` votes.
    event VoteCast(uint256 indexed roundId, address indexed candidate, address indexed voter, uint8 support, uint256 weight);
    event CandidateVetoed(uint256 indexed roundId, address indexed candidate, address indexed vetter);
    /// `operator` won seat `rank` (1 = most votes for) and is admitted to locking-pool.
    event CandidateAdmitted(uint256 indexed roundId, address indexed operator, address indexed signer, uint256 rank, uint256 votesFor);
    /// The round's result: the quorum it applied, how many candidates qualified and were admitted.
    event RoundFinalized(uint256 indexed roundId, uint256 quorum, uint256 qualified, uint256 admitted);
    event RoundCanceled(uint256 indexed roundId);
    /// Governance revoked `operator`'s admission to locking-pool.
    event OperatorRevoked(address indexed operator);
    event Initialized(uint64 version);
    /// Program `index` of build `build` is now served from `program` (`installPrograms`).
    event ProgramInstalled(uint256 indexed index, address indexed program, bytes32 build);

    // ---------------------------------------------------------------- errors

    /// Only governance (the timelock) may do this.
    error NotGovernance(address caller);
    /// Only the vetter may veto.
    error NotVetter(address caller);
    /// `initialize` needs nonzero governance, voting token and pool addresses.
    error InvalidSetup(address governance, address votes, address pool);
    /// Each window must be positive (vetting may be 0) and the three must fit in the cadence.
    error InvalidSchedule(uint64 cadence, uint64 applicationPeriod, uint64 votingPeriod, uint64 vettingPeriod);
    /// `1 <= seats <= maxCandidates <= limit`.
    error InvalidSeats(uint16 seats, uint16 maxCandidates, uint16 limit);
    /// Ratios are basis points: at most 10000.
    error InvalidRatio(uint16 approvalBps, uint16 quorumBps);
    /// Round `roundId` opens at `dueAt`.
    error RoundNotDue(uint256 roundId, uint64 dueAt);
    /// Round `roundId` is neither finalized nor canceled, so the next one cannot open.
    error PreviousRoundOpen(uint256 roundId);
    error UnknownRound(uint256 roundId);
    /// Round `roundId` is in phase `phase`; the call needs phase `expected`.
    error UnexpectedPhase(uint256 roundId, uint8 phase, uint8 expected);
    /// `operator` is already admitted to (or runs a sequencer in) locking-pool.
    error AlreadyOperator(address operator);
    error AlreadyCandidate(uint256 roundId, address operator);
    /// `signer` already serves a sequencer, or another candidate of this round applied with it.
    error SignerTaken(address signer);
    /// The round has its `maxCandidates` candidates.
    error TooManyCandidates(uint256 roundId, uint16 maxCandidates);
    /// The metadata URI is `length` bytes; at most `max`.
    error MetadataTooLong(uint256 length, uint256 max);
    /// The proof is not `signer`'s signature of `candidacyDigest(roundId, operator)`.
    error InvalidSignerProof(address signer);
    error UnknownCandidate(uint256 roundId, address candidate);
    /// Support must be 0 (against), 1 (for) or 2 (abstain).
    error InvalidSupport(uint8 support);
    error AlreadyVoted(uint256 roundId, address candidate, address voter);
    /// `voter` had no votes at `timepoint` (tokens never delegated count for nobody: delegate first).
    error NoVotingPower(address voter, uint256 timepoint);
    /// The signature is not `voter`'s ballot with its current nonce.
    error InvalidVoteSignature(address voter);
    /// `castVotes` takes one support per candidate.
    error LengthMismatch(uint256 candidates, uint256 supports);
    error AlreadyVetoed(uint256 roundId, address candidate);
    /// locking-pool refused to admit `operator` with `reason` (does the election hold ADMISSION_ROLE?).
    error AdmissionFailed(address operator, bytes reason);
    error ECDSAInvalidSignature();
    error ECDSAInvalidSignatureS(bytes32 s);
    error ECDSAInvalidSignatureLength(uint256 length);
    error InvalidInitialization();
    /// The entry program of build `build` has no program set installed (upgrade without install).
    error ProgramsNotInstalled(bytes32 build);
    /// `installPrograms` takes one address per program after the entry.
    error ProgramCountMismatch(uint256 expected, uint256 given);
    /// The address given for program `index` has no code.
    error ProgramHasNoCode(uint256 index, address program);
    /// The address given for program `index` does not declare itself that program of this build.
    error ProgramMismatch(uint256 index, address program, bytes32 expectedBuild, bytes32 build, uint256 answeredIndex);

    // ---------------------------------------------------------------- setup and governance

    /// Sets up a proxy: `governance` (the timelock) changes the rules, `votes` (metis-votes) gives
    /// the weights, `pool` (locking-pool) admits the winners through its ADMISSION_ROLE, which
    /// this contract must hold. Round 1 is due at `firstRoundAt`. `programs` are installed as by
    /// `installPrograms`. Once only.
    function initialize(address governance, address votes, address pool, address vetter, uint64 firstRoundAt, uint64 cadence, uint64 applicationPeriod, uint64 votingPeriod, uint64 vettingPeriod, uint16 seats, uint16 maxCandidates, uint32 minVoters, uint16 approvalBps, uint16 quorumBps, uint256 quorum, address[] calldata programs) external;
    /// Installs the programs after the entry (governance only): each must have code and answer
    /// `dseqProgram()` with this build and its index. Upgrades run it in the same transaction.
    function installPrograms(address[] calldata programs) external;
    /// The rules of every round opened from now on (governance only).
    function setRules(uint64 cadence, uint64 applicationPeriod, uint64 votingPeriod, uint64 vettingPeriod, uint16 seats, uint16 maxCandidates, uint32 minVoters, uint16 approvalBps, uint16 quorumBps, uint256 quorum) external;
    /// Who may veto candidates during vetting (governance only; zero: nobody).
    function setVetter(address vetter) external;
    /// Cancels a round that is not finalized, e.g. one whose finalization keeps failing (governance only).
    function cancelRound(uint256 roundId) external;
    /// Revokes `operator`'s admission to locking-pool (governance only). A running sequencer
    /// keeps running until governance also calls the pool's `forceUnlock`.
    function revoke(address operator) external;

    // ---------------------------------------------------------------- rounds

    /// Opens the next round when it is due and the previous one is closed. Anyone may.
    function openRound() external returns (uint256 roundId);
    /// The caller applies as an operator with the node key `signer`; `signerProof` is that key's
    /// 65-byte signature of `candidacyDigest(roundId, msg.sender)`.
    function applyAsCandidate(uint256 roundId, address signer, string calldata metadataURI, bytes calldata signerProof) external;
    /// Votes `support` on `candidate` with the caller's votes at the round's `votingStart`.
    function castVote(uint256 roundId, address candidate, uint8 support) external returns (uint256 weight);
    /// `castVote` on several candidates at once (`supports[i]` for `candidates[i]`).
    function castVotes(uint256 roundId, address[] calldata candidates, uint256[] calldata supports) external returns (uint256 weight);
    /// `castVote` for `voter`, who signed `Ballot(roundId, candidate, support, voter, nonce)` with
    /// its current nonce (EIP-712, this contract's domain): a wallet signs, anyone submits, once.
    function castVoteBySig(uint256 roundId, address candidate, uint8 support, address voter, bytes calldata signature) external returns (uint256 weight);
    /// The vetter removes `candidate` from the ranking, during vetting.
    function veto(uint256 roundId, address candidate) external;
    /// After vetting: ranks the qualified candidates and admits the top `seats`. Anyone may.
    function finalize(uint256 roundId) external returns (uint256 admitted);

    // ---------------------------------------------------------------- views

    function governance() external view returns (address);
    function votingToken() external view returns (address);
    function pool() external view returns (address);
    function vetter() external view returns (address);
    /// The rules the next round opens with.
    function rules() external view returns (uint64 cadence, uint64 applicationPeriod, uint64 votingPeriod, uint64 vettingPeriod, uint16 seats, uint16 maxCandidates, uint32 minVoters, uint16 approvalBps, uint16 quorumBps, uint256 quorum);
    /// The rules round `roundId` opened with.
    function roundRules(uint256 roundId) external view returns (uint64 cadence, uint64 applicationPeriod, uint64 votingPeriod, uint64 vettingPeriod, uint16 seats, uint16 maxCandidates, uint32 minVoters, uint16 approvalBps, uint16 quorumBps, uint256 quorum);
    /// The latest round's id (0: none yet).
    function roundCount() external view returns (uint256);
    /// When the next round is due.
    function nextRoundAt() external view returns (uint64);
    function round(uint256 roundId) external view returns (uint8 phase, uint64 scheduledAt, uint64 openedAt, uint64 votingStart, uint64 votingEnd, uint64 vettingEnd, uint256 candidateCount, uint256 admitted);
    function phase(uint256 roundId) external view returns (uint8);
    /// The round's candidates in the order they applied.
    function candidates(uint256 roundId) external view returns (address[] memory);
    /// `metadataHash` is keccak256 of the metadata URI, which `CandidateApplied` carries.
    function candidate(uint256 roundId, address operator) external view returns (uint256 index, address signer, uint8 status, uint256 votesFor, uint256 votesAgainst, uint256 votesAbstain, uint256 voters, bytes32 metadataHash);
    function hasVoted(uint256 roundId, address candidate, address voter) external view returns (bool);
    /// `voter`'s votes in round `roundId` (its metis-votes votes at `votingStart`, once that has passed).
    function votingPower(uint256 roundId, address voter) external view returns (uint256);
    /// The votes for + abstain a candidate of round `roundId` needs (once `votingStart` has passed).
    function quorum(uint256 roundId) external view returns (uint256);
    /// What a candidate's node key signs to apply in round `roundId` as `operator`.
    function candidacyDigest(uint256 roundId, address operator) external view returns (bytes32);
    /// What `voter` signs for `castVoteBySig`, with its current nonce.
    function ballotDigest(uint256 roundId, address candidate, uint8 support, address voter) external view returns (bytes32);
    function nonces(address voter) external view returns (uint256);
    function DOMAIN_SEPARATOR() external view returns (bytes32);
    /// The most candidates a round may have, whatever the rules (finalization is bounded by it).
    function MAX_CANDIDATES() external view returns (uint16);
    /// The installed programs after the entry (zero where none is installed for this build).
    function programs() external view returns (address[] memory);
    /// `(build, index, programs)`: this program's build id, its index and the program count.
    function dseqProgram() external view returns (bytes32 build, uint256 index, uint256 programs);
}
