//! The governor's logic, shared by both programs, in OpenZeppelin v5's order of checks and
//! effects: the proposal state machine (`Governor.state` with `GovernorTimelockControl`'s
//! timelock rules), proposing, counting (`GovernorCountingSimple`), the checkpointed quorum
//! (`GovernorVotesQuorumFraction`), the late-quorum extension (`GovernorPreventLateQuorum`),
//! vote signatures (EIP-712, ECDSA or ERC-1271), the timelock's queue, execute and cancel, and
//! the settings (`GovernorSettings`).
//!
//! Arithmetic never wraps: timepoints are `uint48` (a sum that would not fit is
//! `SafeCastOverflowedUintDowncast`, as OpenZeppelin's `SafeCast`), tallies saturate (they are
//! bounded by the token's total supply, below 2^208, unless the token lies), and the quorum is
//! computed without an intermediate product that could overflow.

use alloc::vec::Vec;

use alloy_primitives::{aliases::U48, Address, B256, U256};
use alloy_sol_types::{sol, SolCall};
use dseq_abi::{
    governor::{
        state, state_bitmap, IGovernor::*, BALLOT_TYPEHASH, ERC1271_MAGIC_VALUE, EXTENDED_BALLOT_TYPEHASH, NAME,
        QUORUM_DENOMINATOR, VERSION,
    },
    metis_votes::{typehash, IMetisVotes},
};
use dseq_kit::{
    abi::{address_array, bytes_array, call_data, emit_log, empty_string_array, encode_fields, Field, SolEvent, ToField},
    ecdsa, eip712, emit,
};
use stylus_sdk::{
    call::{call, static_call},
    crypto::keccak,
    prelude::*,
};

use crate::{Error, Governor, Revert, StorageU48, UnexpectedResponse};

sol! {
    /// The TimelockController functions the governor calls (OpenZeppelin's ABI).
    interface ITimelockController {
        function getMinDelay() external view returns (uint256);
        function isOperationPending(bytes32 id) external view returns (bool);
        function isOperationDone(bytes32 id) external view returns (bool);
        function hashOperationBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt) external pure returns (bytes32);
        function scheduleBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt, uint256 delay) external;
        function executeBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt) external payable;
        function cancel(bytes32 id) external;
    }

    /// ERC-1271: contract wallets' signatures.
    interface IERC1271 {
        function isValidSignature(bytes32 hash, bytes signature) external view returns (bytes4);
    }
}

/// `keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")`.
const DOMAIN_TYPEHASH: B256 =
    typehash(b"EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
/// `keccak256(bytes(name()))`.
const NAME_HASH: B256 = typehash(NAME.as_bytes());
/// `keccak256(bytes(version()))`.
const VERSION_HASH: B256 = typehash(VERSION.as_bytes());

/// `type(uint48).max`: timepoints and durations are `uint48` (ERC-6372).
pub const MAX_U48: u64 = (1 << 48) - 1;

/// A `uint48` field's value.
#[inline(never)]
pub fn get48(field: &StorageU48) -> u64 {
    field.get().as_limbs()[0]
}

/// Writes a `uint48` field; the caller has bounded `value` by [`MAX_U48`].
#[inline(never)]
pub fn set48(field: &mut StorageU48, value: u64) {
    field.set(U48::from_limbs([value & MAX_U48]));
}

/// `value` as a `uint48`, or OpenZeppelin's `SafeCastOverflowedUintDowncast(48, value)`.
#[inline(never)]
pub fn to_u48(value: U256) -> Result<u64, Error> {
    if value > U256::from(MAX_U48) {
        return Err(Error::SafeCastOverflowedUintDowncast(SafeCastOverflowedUintDowncast { bits: 48, value }));
    }
    Ok(value.as_limbs()[0])
}

/// `U48` of a clock value (at most [`MAX_U48`] for 8.9 million years).
pub fn u48(value: u64) -> U48 {
    U48::from_limbs([value & MAX_U48])
}

/// `GovernorUnexpectedProposalState(proposalId, current, expectedStates)`.
pub fn unexpected_state(proposal_id: U256, current: u8, expected: B256) -> Error {
    Error::GovernorUnexpectedProposalState(GovernorUnexpectedProposalState {
        proposalId: proposal_id,
        current,
        expectedStates: expected,
    })
}

/// A proposal's actions, ABI-encoded once (`address[]`, `uint256[]` and `bytes[]` tails) for
/// its id, its `ProposalCreated` event and the timelock's batch calls.
pub struct Actions {
    pub count: usize,
    targets: Vec<u8>,
    values: Vec<u8>,
    calldatas: Vec<u8>,
}

impl Actions {
    pub fn new(targets: &[Address], values: &[U256], calldatas: &[Vec<u8>]) -> Self {
        Self {
            count: targets.len(),
            targets: address_array(targets),
            values: dseq_kit::abi::u256_array(values),
            calldatas: bytes_array(calldatas),
        }
    }

    /// `uint256(keccak256(abi.encode(targets, values, calldatas, descriptionHash)))`.
    pub fn proposal_id(&self, description_hash: B256) -> U256 {
        U256::from_be_bytes(keccak(self.encode(None, &[description_hash])).0)
    }

    /// `selector` (if any) and `(targets, values, calldatas, ...words)` encoded.
    #[inline(never)]
    fn encode(&self, selector: Option<[u8; 4]>, words: &[B256]) -> Vec<u8> {
        let mut out = Vec::new();
        if let Some(selector) = selector {
            out.extend_from_slice(&selector);
        }
        let mut fields = Vec::with_capacity(3 + words.len());
        fields.push(Field::Tail(&self.targets));
        fields.push(Field::Tail(&self.values));
        fields.push(Field::Tail(&self.calldatas));
        fields.extend(words.iter().map(|word| Field::Word(*word)));
        encode_fields(&mut out, &fields);
        out
    }

    /// Calldata of the timelock's `selector(targets, values, payloads, predecessor = 0, salt[, delay])`.
    pub fn batch_call(&self, selector: [u8; 4], salt: B256, delay: Option<U256>) -> Vec<u8> {
        match delay {
            Some(delay) => self.encode(Some(selector), &[B256::ZERO, salt, B256::from(delay)]),
            None => self.encode(Some(selector), &[B256::ZERO, salt]),
        }
    }
}

/// Whether `proposer` may submit `description` (OpenZeppelin's `_isValidDescriptionForProposer`):
/// a description ending in `#proposer=0x` and 40 hex digits (either case) is reserved for that
/// address; any other ending (a malformed address included) leaves it open to anyone.
pub fn valid_description_for(proposer: Address, description: &[u8]) -> bool {
    let len = description.len();
    if len < 52 || &description[len - 52..len - 42] != b"#proposer=" || &description[len - 42..len - 40] != b"0x" {
        return true;
    }
    let mut parsed = [0u8; 20];
    for (i, chunk) in description[len - 40..].chunks(2).enumerate() {
        match (hex_digit(chunk[0]), hex_digit(chunk[1])) {
            (Some(high), Some(low)) => parsed[i] = high << 4 | low,
            _ => return true,
        }
    }
    Address::from(parsed) == proposer
}

fn hex_digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// `floor(supply * numerator / 100)` without the product (`numerator <= 100`): OpenZeppelin's
/// `Math.mulDiv` for this case.
pub fn quorum_of(supply: U256, numerator: U256) -> U256 {
    dseq_kit::math::mul_div_small(supply, numerator.as_limbs()[0], QUORUM_DENOMINATOR)
}

impl Governor {
    /// The clock (ERC-6372 `mode=timestamp`).
    pub fn now(&self) -> u64 {
        self.vm().block_timestamp()
    }

    /// Accepts a call that re-enters the governor only from the timelock (a proposal that
    /// changes a setting, executed by the governor's own `execute`), see the crate docs.
    pub fn may_reenter(&self) -> bool {
        self.vm().msg_sender() == self.timelock.get()
    }

    /// `onlyGovernance`: the caller must be the timelock (`GovernorOnlyExecutor(caller)`).
    ///
    /// OpenZeppelin also makes the call wait in its governance-call queue (`_governanceCall`),
    /// filled by the governor's own `execute`, so that another proposer of a shared timelock
    /// cannot change the governor's settings. That queue is not needed here: the governor is
    /// the timelock's only proposer, so every call the timelock makes is an executed proposal
    /// of this governor (a deployment must never grant `PROPOSER_ROLE` to anyone else).
    pub fn only_governance(&self) -> Result<(), Error> {
        let account = self.vm().msg_sender();
        if account != self.timelock.get() {
            return Err(Error::GovernorOnlyExecutor(GovernorOnlyExecutor { account }));
        }
        Ok(())
    }

    // ------------------------------------------------------------------------ external reads

    /// The first word `target` answers to `data`, or its revert data passed through; an answer
    /// shorter than a word (no code at `target`) is `GovernorUnexpectedResponse`.
    #[inline(never)]
    fn static_word(&self, target: Address, data: &[u8]) -> Result<[u8; 32], Revert> {
        let out = static_call(self.vm(), Call::new(), target, data).map_err(Vec::<u8>::from)?;
        match out.get(..32) {
            Some(word) => Ok(word.try_into().unwrap_or([0u8; 32])),
            None => Err(Error::GovernorUnexpectedResponse(UnexpectedResponse { target, return_data: out }).into()),
        }
    }

    /// A `bool` answer of `target` (a word that is not 0 or 1 is `GovernorUnexpectedResponse`).
    #[inline(never)]
    fn static_bool(&self, target: Address, data: &[u8]) -> Result<bool, Revert> {
        let word = self.static_word(target, data)?;
        if word[..31].iter().any(|b| *b != 0) || word[31] > 1 {
            return Err(Error::GovernorUnexpectedResponse(UnexpectedResponse { target, return_data: word.to_vec() }).into());
        }
        Ok(word[31] == 1)
    }

    /// `token.getPastVotes(account, timepoint)` (GovernorVotes `_getVotes`).
    pub fn past_votes(&self, account: Address, timepoint: U256) -> Result<U256, Revert> {
        let data = call_data(IMetisVotes::getPastVotesCall::SELECTOR, &[account.to_field(), timepoint.to_field()]);
        Ok(U256::from_be_bytes(self.static_word(self.token.get(), &data)?))
    }

    /// `token.getPastTotalSupply(timepoint)`.
    fn past_total_supply(&self, timepoint: U256) -> Result<U256, Revert> {
        let data = call_data(IMetisVotes::getPastTotalSupplyCall::SELECTOR, &[timepoint.to_field()]);
        Ok(U256::from_be_bytes(self.static_word(self.token.get(), &data)?))
    }

    // ------------------------------------------------------------------------ quorum

    /// The quorum numerator in effect at `timepoint` (`_optimisticUpperLookupRecent`).
    pub fn quorum_numerator_at(&self, timepoint: U256) -> U256 {
        let history = &self.quorum_numerator_history;
        match history.len().checked_sub(1).and_then(|last| history.at(last)) {
            Some((key, value)) if U256::from(key) <= timepoint => value,
            // `timepoint` is below the latest key, itself a `uint48`.
            Some(_) => history.upper_lookup_recent(timepoint.as_limbs()[0]),
            None => U256::ZERO,
        }
    }

    /// `quorum(timepoint)`: the snapshot's total votes times the numerator then in effect.
    pub fn quorum_at(&self, timepoint: U256) -> Result<U256, Revert> {
        let supply = self.past_total_supply(timepoint)?;
        Ok(quorum_of(supply, self.quorum_numerator_at(timepoint)))
    }

    /// `_updateQuorumNumerator`: at most the denominator; checkpointed at the current time, so
    /// proposals whose snapshot is earlier keep the numerator they were made under.
    pub fn set_quorum_numerator(&mut self, numerator: U256) -> Result<(), Error> {
        let denominator = U256::from(QUORUM_DENOMINATOR);
        if numerator > denominator {
            return Err(Error::GovernorInvalidQuorumFraction(GovernorInvalidQuorumFraction {
                quorumNumerator: numerator,
                quorumDenominator: denominator,
            }));
        }
        let now = self.now();
        let old = self.quorum_numerator_history.push(now, numerator);
        emit!(self.vm(), QuorumNumeratorUpdated { indexed: [], data: [old, numerator] });
        Ok(())
    }

    // ------------------------------------------------------------------------ settings

    pub fn apply_voting_delay(&mut self, delay: U48) {
        let old = U256::from(get48(&self.voting_delay));
        set48(&mut self.voting_delay, delay.as_limbs()[0]);
        emit!(self.vm(), VotingDelaySet { indexed: [], data: [old, U256::from(delay)] });
    }

    /// Never zero (`GovernorInvalidVotingPeriod(0)`).
    pub fn apply_voting_period(&mut self, period: u32) -> Result<(), Error> {
        if period == 0 {
            return Err(Error::GovernorInvalidVotingPeriod(GovernorInvalidVotingPeriod { votingPeriod: U256::ZERO }));
        }
        let old = U256::from(self.voting_period.get().as_limbs()[0]);
        self.voting_period.set(alloy_primitives::aliases::U32::from_limbs([u64::from(period)]));
        emit!(self.vm(), VotingPeriodSet { indexed: [], data: [old, U256::from(period)] });
        Ok(())
    }

    pub fn apply_proposal_threshold(&mut self, threshold: U256) {
        let old = dseq_kit::store::u256(&self.proposal_threshold);
        dseq_kit::store::set_u256(&mut self.proposal_threshold, threshold);
        emit!(self.vm(), ProposalThresholdSet { indexed: [], data: [old, threshold] });
    }

    /// At most the voting period (`GovernorPreventLateQuorumVoteExtensionTooLarge`).
    pub fn apply_late_quorum_vote_extension(&mut self, extension: U48) -> Result<(), Error> {
        let (extension, max) = (extension.as_limbs()[0], self.voting_period.get().as_limbs()[0]);
        if extension > max {
            return Err(Error::GovernorPreventLateQuorumVoteExtensionTooLarge(
                GovernorPreventLateQuorumVoteExtensionTooLarge {
                    newVoteExtension: U256::from(extension),
                    maxVoteExtension: U256::from(max),
                },
            ));
        }
        let old = get48(&self.late_quorum_vote_extension);
        set48(&mut self.late_quorum_vote_extension, extension);
        emit!(self.vm(), LateQuorumVoteExtensionSet { indexed: [], data: [old, extension] });
        Ok(())
    }

    pub fn set_timelock(&mut self, timelock: Address) {
        let old = self.timelock.get();
        self.timelock.set(timelock);
        emit!(self.vm(), TimelockChange { indexed: [], data: [old, timelock] });
    }

    // ------------------------------------------------------------------------ proposals

    /// `proposalDeadline`: the original deadline, or the late-quorum one if later.
    pub fn deadline(&self, proposal_id: U256) -> u64 {
        let p = self.proposals.getter(proposal_id);
        let original = get48(&p.vote_start) + p.vote_duration.get().as_limbs()[0];
        original.max(get48(&p.extended_deadline))
    }

    /// `_quorumReached`: for + abstain reach the quorum at the snapshot.
    fn quorum_reached(&self, proposal_id: U256) -> Result<bool, Revert> {
        let p = self.proposals.getter(proposal_id);
        let (snapshot, counted) = (get48(&p.vote_start), p.for_votes.get().saturating_add(p.abstain_votes.get()));
        Ok(self.quorum_at(U256::from(snapshot))? <= counted)
    }

    /// `state(proposalId)`, OpenZeppelin's state machine with GovernorTimelockControl's reading
    /// of a queued proposal: pending on the timelock → Queued; done there → Executed (someone
    /// executed it directly on the timelock); gone → Canceled (a canceller dropped it).
    pub fn proposal_state(&self, proposal_id: U256) -> Result<u8, Revert> {
        let p = self.proposals.getter(proposal_id);
        if p.executed.get() {
            return Ok(state::EXECUTED);
        }
        if p.canceled.get() {
            return Ok(state::CANCELED);
        }
        let snapshot = get48(&p.vote_start);
        if snapshot == 0 {
            return Err(Error::GovernorNonexistentProposal(GovernorNonexistentProposal { proposalId: proposal_id }).into());
        }
        let now = self.now();
        if snapshot >= now {
            return Ok(state::PENDING);
        }
        if self.deadline(proposal_id) >= now {
            return Ok(state::ACTIVE);
        }
        // The tally first: a defeated majority needs no call to the token.
        if p.for_votes.get() <= p.against_votes.get() || !self.quorum_reached(proposal_id)? {
            return Ok(state::DEFEATED);
        }
        if get48(&p.eta_seconds) == 0 {
            return Ok(state::SUCCEEDED);
        }
        let (timelock, id) = (self.timelock.get(), p.timelock_id.get());
        if self.static_bool(timelock, &call_data(ITimelockController::isOperationPendingCall::SELECTOR, &[id.to_field()]))? {
            Ok(state::QUEUED)
        } else if self.static_bool(timelock, &call_data(ITimelockController::isOperationDoneCall::SELECTOR, &[id.to_field()]))? {
            Ok(state::EXECUTED)
        } else {
            Ok(state::CANCELED)
        }
    }

    /// `_validateStateBitmap`: the proposal's state, if it is one of `allowed`.
    pub fn require_state(&self, proposal_id: U256, allowed: B256) -> Result<u8, Revert> {
        let current = self.proposal_state(proposal_id)?;
        if allowed[31] & (1 << current) == 0 {
            return Err(unexpected_state(proposal_id, current, allowed).into());
        }
        Ok(current)
    }

    /// `propose` and `_propose`: the description suffix, the threshold at the previous second,
    /// the lengths, a fresh id; the snapshot is `now + votingDelay`, the deadline
    /// `snapshot + votingPeriod`.
    pub fn propose_actions(
        &mut self,
        targets: &[Address],
        values: &[U256],
        calldatas: &[Vec<u8>],
        description: &str,
    ) -> Result<U256, Revert> {
        let proposer = self.vm().msg_sender();
        if !valid_description_for(proposer, description.as_bytes()) {
            return Err(Error::GovernorRestrictedProposer(GovernorRestrictedProposer { proposer }).into());
        }
        let threshold = dseq_kit::store::u256(&self.proposal_threshold);
        let now = self.now();
        if !threshold.is_zero() {
            let votes = self.past_votes(proposer, U256::from(now.saturating_sub(1)))?;
            if votes < threshold {
                return Err(Error::GovernorInsufficientProposerVotes(GovernorInsufficientProposerVotes {
                    proposer,
                    votes,
                    threshold,
                })
                .into());
            }
        }
        let actions = Actions::new(targets, values, calldatas);
        let proposal_id = actions.proposal_id(keccak(description.as_bytes()));
        if targets.len() != values.len() || targets.len() != calldatas.len() || targets.is_empty() {
            return Err(Error::GovernorInvalidProposalLength(GovernorInvalidProposalLength {
                targets: U256::from(targets.len()),
                calldatas: U256::from(calldatas.len()),
                values: U256::from(values.len()),
            })
            .into());
        }
        if get48(&self.proposals.getter(proposal_id).vote_start) != 0 {
            let current = self.proposal_state(proposal_id)?;
            return Err(unexpected_state(proposal_id, current, B256::ZERO).into());
        }
        let snapshot = to_u48(U256::from(now.saturating_add(get48(&self.voting_delay))))?;
        let period = self.voting_period.get();
        let duration = period.as_limbs()[0];
        let mut p = self.proposals.setter(proposal_id);
        p.proposer.set(proposer);
        set48(&mut p.vote_start, snapshot);
        p.vote_duration.set(period);
        drop(p);
        let signatures = empty_string_array(actions.count);
        emit_log(
            self.vm(),
            &[ProposalCreated::SIGNATURE_HASH],
            &[
                proposal_id.to_field(),
                proposer.to_field(),
                Field::Tail(&actions.targets),
                Field::Tail(&actions.values),
                Field::Tail(&signatures),
                Field::Tail(&actions.calldatas),
                U256::from(snapshot).to_field(),
                U256::from(snapshot + duration).to_field(),
                description.to_field(),
            ],
        );
        Ok(proposal_id)
    }

    // ------------------------------------------------------------------------ votes

    /// `_castVote`: while Active, `voter`'s votes at the snapshot, once, as Against, For or
    /// Abstain; then the late-quorum check (`_tallyUpdated`). Returns the weight.
    pub fn cast(
        &mut self,
        proposal_id: U256,
        voter: Address,
        support: u8,
        reason: &str,
        params: &[u8],
    ) -> Result<U256, Revert> {
        self.require_state(proposal_id, state_bitmap(&[state::ACTIVE]))?;
        let snapshot = get48(&self.proposals.getter(proposal_id).vote_start);
        let weight = self.past_votes(voter, U256::from(snapshot))?;

        let mut p = self.proposals.setter(proposal_id);
        if p.has_voted.get(voter) {
            return Err(Error::GovernorAlreadyCastVote(GovernorAlreadyCastVote { voter }).into());
        }
        p.has_voted.insert(voter, true);
        let tally = match support {
            0 => &mut p.against_votes,
            1 => &mut p.for_votes,
            2 => &mut p.abstain_votes,
            _ => return Err(Error::GovernorInvalidVoteType(GovernorInvalidVoteType {}).into()),
        };
        // Bounded by the snapshot's total supply unless the token lies: never wraps.
        let total = tally.get().saturating_add(weight);
        tally.set(total);
        drop(p);

        if params.is_empty() {
            emit!(self.vm(), VoteCast { indexed: [voter], data: [proposal_id, support, weight, *reason] });
        } else {
            emit!(self.vm(), VoteCastWithParams { indexed: [voter], data: [proposal_id, support, weight, *reason, *params] });
        }
        self.tally_updated(proposal_id)?;
        Ok(weight)
    }

    /// GovernorPreventLateQuorum's `_tallyUpdated`: the first vote that reaches quorum sets the
    /// deadline to at least `now + lateQuorumVoteExtension`, once.
    fn tally_updated(&mut self, proposal_id: U256) -> Result<(), Revert> {
        if get48(&self.proposals.getter(proposal_id).extended_deadline) != 0 || !self.quorum_reached(proposal_id)? {
            return Ok(());
        }
        let extended = to_u48(U256::from(self.now().saturating_add(get48(&self.late_quorum_vote_extension))))?;
        if extended > self.deadline(proposal_id) {
            emit!(self.vm(), ProposalExtended { indexed: [proposal_id], data: [extended] });
        }
        set48(&mut self.proposals.setter(proposal_id).extended_deadline, extended);
        Ok(())
    }

    // ------------------------------------------------------------------------ signatures

    /// The EIP-712 domain separator: this governor (the proxy's address) on this chain.
    pub fn domain_separator(&self) -> B256 {
        let mut words = Vec::with_capacity(5 * 32);
        words.extend_from_slice(DOMAIN_TYPEHASH.as_slice());
        words.extend_from_slice(NAME_HASH.as_slice());
        words.extend_from_slice(VERSION_HASH.as_slice());
        words.extend_from_slice(&U256::from(self.vm().chain_id()).to_be_bytes::<32>());
        words.extend_from_slice(self.vm().contract_address().into_word().as_slice());
        keccak(words)
    }

    /// `castVoteBySig` (no `extended`) and `castVoteWithReasonAndParamsBySig`: the voter's
    /// `Ballot` or `ExtendedBallot` with its next nonce, which this uses up; any signature that
    /// is not the voter's is `GovernorInvalidSignature(voter)`.
    pub fn cast_signed(
        &mut self,
        proposal_id: U256,
        support: u8,
        voter: Address,
        extended: Option<(&str, &[u8])>,
        signature: &[u8],
    ) -> Result<U256, Revert> {
        let nonce = self.nonces.use_nonce(voter);
        let mut words = Vec::with_capacity(7 * 32);
        let typehash = if extended.is_some() { EXTENDED_BALLOT_TYPEHASH } else { BALLOT_TYPEHASH };
        words.extend_from_slice(typehash.as_slice());
        words.extend_from_slice(&proposal_id.to_be_bytes::<32>());
        words.extend_from_slice(B256::with_last_byte(support).as_slice());
        words.extend_from_slice(voter.into_word().as_slice());
        words.extend_from_slice(&nonce.to_be_bytes::<32>());
        let (reason, params) = extended.unwrap_or(("", &[]));
        if extended.is_some() {
            words.extend_from_slice(keccak(reason.as_bytes()).as_slice());
            words.extend_from_slice(keccak(params).as_slice());
        }
        let digest = eip712::typed_data_digest(self.domain_separator(), keccak(words));
        if !self.is_valid_signature(voter, digest, signature) {
            return Err(Error::GovernorInvalidSignature(GovernorInvalidSignature { voter }).into());
        }
        self.cast(proposal_id, voter, support, reason, params)
    }

    /// OpenZeppelin's `SignatureChecker.isValidSignatureNow`: for an account without code, a
    /// canonical 65-byte ECDSA signature (`v` 27 or 28, low `s`) by `signer`; for a contract,
    /// its ERC-1271 `isValidSignature` answering the magic value.
    fn is_valid_signature(&self, signer: Address, digest: B256, signature: &[u8]) -> bool {
        if self.vm().code_size(signer) == 0 {
            if signature.len() != 65 {
                return false;
            }
            let (r, s) = (B256::from_slice(&signature[..32]), B256::from_slice(&signature[32..64]));
            return ecdsa::recover_vrs(self.vm(), digest, signature[64], r, s).is_ok_and(|recovered| recovered == signer);
        }
        let data = call_data(IERC1271::isValidSignatureCall::SELECTOR, &[digest.to_field(), signature.to_field()]);
        match static_call(self.vm(), Call::new(), signer, &data) {
            Ok(out) => out.len() >= 32 && out[..4] == ERC1271_MAGIC_VALUE && out[4..32].iter().all(|b| *b == 0),
            Err(_) => false,
        }
    }

    // ------------------------------------------------------------------------ timelock

    /// The timelock salt: `bytes20(address(this)) ^ descriptionHash`, so two governors sharing a
    /// timelock never collide.
    fn salt(&self, description_hash: B256) -> B256 {
        let mut salt = description_hash;
        for (byte, mine) in salt.0.iter_mut().zip(self.vm().contract_address().0.iter()) {
            *byte ^= mine;
        }
        salt
    }

    /// Calls the timelock with `value`; its revert data passes through.
    #[inline(never)]
    fn call_timelock(&mut self, data: &[u8], value: U256) -> Result<(), Revert> {
        let timelock = self.timelock.get();
        let ctx = Call::new_payable(self, value);
        call(self.vm(), ctx, timelock, data).map_err(Vec::<u8>::from)?;
        Ok(())
    }

    /// `queue`: a Succeeded proposal is scheduled on the timelock with its minimum delay; the
    /// eta is `now + delay`. The operation id and eta are written before the call.
    pub fn queue_actions(&mut self, actions: &Actions, description_hash: B256) -> Result<U256, Revert> {
        let proposal_id = actions.proposal_id(description_hash);
        self.require_state(proposal_id, state_bitmap(&[state::SUCCEEDED]))?;
        let timelock = self.timelock.get();
        let delay = U256::from_be_bytes(self.static_word(timelock, &call_data(ITimelockController::getMinDelayCall::SELECTOR, &[]))?);
        let salt = self.salt(description_hash);
        let operation = B256::from(self.static_word(timelock, &actions.batch_call(ITimelockController::hashOperationBatchCall::SELECTOR, salt, None))?);
        let eta = to_u48(U256::from(self.now()).saturating_add(delay))?;
        let mut p = self.proposals.setter(proposal_id);
        p.timelock_id.set(operation);
        set48(&mut p.eta_seconds, eta);
        drop(p);
        self.call_timelock(&actions.batch_call(ITimelockController::scheduleBatchCall::SELECTOR, salt, Some(delay)), U256::ZERO)?;
        emit!(self.vm(), ProposalQueued { indexed: [], data: [proposal_id, U256::from(eta)] });
        Ok(proposal_id)
    }

    /// `execute`: a Queued proposal is marked executed, then run by the timelock's
    /// `executeBatch` with this call's value.
    pub fn execute_actions(&mut self, actions: &Actions, description_hash: B256) -> Result<U256, Revert> {
        let proposal_id = actions.proposal_id(description_hash);
        self.require_state(proposal_id, state_bitmap(&[state::QUEUED]))?;
        self.proposals.setter(proposal_id).executed.set(true);
        let (salt, value) = (self.salt(description_hash), self.vm().msg_value());
        self.call_timelock(&actions.batch_call(ITimelockController::executeBatchCall::SELECTOR, salt, None), value)?;
        self.proposals.setter(proposal_id).timelock_id.set(B256::ZERO);
        emit!(self.vm(), ProposalExecuted { indexed: [], data: [proposal_id] });
        Ok(proposal_id)
    }

    /// `cancel`: the proposer, while Pending (`GovernorUnableToCancel` otherwise). A queued
    /// operation would also be cancelled on the timelock (unreachable through this rule, kept
    /// as OpenZeppelin's `_cancel` has it).
    pub fn cancel_actions(&mut self, actions: &Actions, description_hash: B256) -> Result<U256, Revert> {
        let proposal_id = actions.proposal_id(description_hash);
        let account = self.vm().msg_sender();
        let current = self.proposal_state(proposal_id)?;
        if current != state::PENDING || account != self.proposals.getter(proposal_id).proposer.get() {
            return Err(Error::GovernorUnableToCancel(GovernorUnableToCancel { proposalId: proposal_id, account }).into());
        }
        self.proposals.setter(proposal_id).canceled.set(true);
        emit!(self.vm(), ProposalCanceled { indexed: [], data: [proposal_id] });
        let operation = self.proposals.getter(proposal_id).timelock_id.get();
        if !operation.is_zero() {
            self.call_timelock(&call_data(ITimelockController::cancelCall::SELECTOR, &[operation.to_field()]), U256::ZERO)?;
            self.proposals.setter(proposal_id).timelock_id.set(B256::ZERO);
        }
        Ok(proposal_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proposer_suffixes_follow_openzeppelin() {
        let proposer = Address::repeat_byte(0xab);
        let with = |suffix: &str| format!("Raise the quorum{suffix}");
        let mine = with("#proposer=0xabababababababababababababababababababab");
        assert!(valid_description_for(proposer, mine.as_bytes()));
        assert!(valid_description_for(proposer, with("#proposer=0xABABABABABABABABABABABABABABABABABABABAB").as_bytes()));
        assert!(!valid_description_for(Address::repeat_byte(1), mine.as_bytes()), "reserved for 0xabab...");
        // Not a restriction: anyone may propose these.
        for open in [
            "no suffix",
            "#proposer=0xabababababababababababababababababababa", // 39 digits
            "#proposer=0Xabababababababababababababababababababab", // `0X`
            "#proposer=0xabababababababababababababababababababag", // not hex
            "#proposer=0xabababababababababababababababababababab ", // trailing space
            "#other=0xabababababababababababababababababababab",
            "#proposer=abababababababababababababababababababab",
        ] {
            assert!(valid_description_for(Address::repeat_byte(1), with(open).as_bytes()), "{open}");
        }
        // Exactly the suffix, nothing before it.
        assert!(!valid_description_for(Address::ZERO, b"#proposer=0xabababababababababababababababababababab"));
    }

    #[test]
    fn quorum_is_an_exact_floor() {
        for (supply, numerator) in [(0u64, 4u64), (99, 4), (100, 4), (12_345, 7), (1_000_003, 100), (7, 0)] {
            assert_eq!(quorum_of(U256::from(supply), U256::from(numerator)), U256::from(supply * numerator / 100));
        }
        assert_eq!(quorum_of(U256::MAX, U256::from(100)), U256::MAX, "no overflow at the top");
        assert_eq!(quorum_of(U256::MAX, U256::from(99)), U256::MAX / U256::from(100) * U256::from(99) + U256::from(35 * 99 / 100));
        assert_eq!(quorum_of(U256::MAX, U256::from(50)), U256::MAX / U256::from(2));
    }

    #[test]
    fn domain_constants_are_the_hashes() {
        assert_eq!(DOMAIN_TYPEHASH, eip712::domain_typehash());
        assert_eq!(NAME_HASH, alloy_primitives::keccak256("dseq Governor"));
        assert_eq!(VERSION_HASH, alloy_primitives::keccak256("1"));
    }

    #[test]
    fn timepoints_above_uint48_are_a_named_error() {
        assert_eq!(to_u48(U256::from(MAX_U48)).unwrap(), MAX_U48);
        assert!(matches!(
            to_u48(U256::from(MAX_U48) + U256::from(1)),
            Err(Error::SafeCastOverflowedUintDowncast(e)) if e.bits == 48
        ));
    }
}
