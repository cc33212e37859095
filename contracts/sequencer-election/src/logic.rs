//! The election's logic: the rules and their checks, the calendar, the phases of a round,
//! applications with their key proofs, votes (direct and signed), vetoes and finalization.
//!
//! The decisions are plain functions ([`RuleSet::validate`], [`slot_for`], [`phase_at`],
//! [`qualifies`], [`quorum_of`], [`rank`]) that tests reach without a VM; the methods on
//! [`SequencerElection`] read storage, call them, and write the outcome.
//!
//! Arithmetic never wraps: times saturate at `u64::MAX` (a cadence that large only means "never
//! again"), tallies are `uint128` and saturate (a candidate's votes are bounded by the token's
//! total votes, far below 2^128 for METIS), and every product is taken in 256 bits.

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, B256, U128, U16, U256, U32, U8};
use alloy_sol_types::SolCall;
use dseq_abi::{
    election::{
        phase, status, ISequencerElection::*, BALLOT_TYPEHASH, BPS, CANDIDACY_TYPEHASH, EIP712_NAME, EIP712_VERSION,
        MAX_CANDIDATES, MAX_METADATA_BYTES,
    },
    locking_pool::ILockingPool,
    metis_votes::IMetisVotes,
};
use dseq_kit::{
    abi::{call_data, ToField},
    ecdsa, eip712, emit, math, store,
};
use stylus_sdk::{
    call::{call, static_call},
    crypto::keccak,
    prelude::*,
};

use crate::{AdmissionFailure, Error, Revert, Round, Rules, SequencerElection};

// ==================================================================================== pure rules

/// A set of rules as plain values: what `setRules` takes and `rules()` returns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RuleSet {
    pub cadence: u64,
    pub application_period: u64,
    pub voting_period: u64,
    pub vetting_period: u64,
    pub seats: u16,
    pub max_candidates: u16,
    pub min_voters: u32,
    pub approval_bps: u16,
    pub quorum_bps: u16,
    pub quorum: U256,
}

impl RuleSet {
    /// Application and voting windows are positive, vetting may be 0, and the three fit in the
    /// cadence (so a round can end before the next slot); `1 <= seats <= maxCandidates <=
    /// MAX_CANDIDATES`; ratios are at most 10000 basis points.
    pub fn validate(&self) -> Result<(), Error> {
        let windows = self
            .application_period
            .checked_add(self.voting_period)
            .and_then(|w| w.checked_add(self.vetting_period));
        if self.application_period == 0 || self.voting_period == 0 || windows.is_none_or(|w| w > self.cadence) {
            return Err(Error::InvalidSchedule(InvalidSchedule {
                cadence: self.cadence,
                applicationPeriod: self.application_period,
                votingPeriod: self.voting_period,
                vettingPeriod: self.vetting_period,
            }));
        }
        if self.seats == 0 || self.seats > self.max_candidates || self.max_candidates > MAX_CANDIDATES {
            return Err(Error::InvalidSeats(InvalidSeats {
                seats: self.seats,
                maxCandidates: self.max_candidates,
                limit: MAX_CANDIDATES,
            }));
        }
        if u64::from(self.approval_bps) > BPS || u64::from(self.quorum_bps) > BPS {
            return Err(Error::InvalidRatio(InvalidRatio { approvalBps: self.approval_bps, quorumBps: self.quorum_bps }));
        }
        Ok(())
    }
}

/// The calendar slot a round opened at `now` takes, when the next one was due at `due`: `due`
/// itself, or the latest slot `due + k * cadence` not after `now` (missed slots are skipped,
/// never made up, so the calendar does not drift).
pub fn slot_for(due: u64, cadence: u64, now: u64) -> u64 {
    if now <= due || cadence == 0 {
        return due;
    }
    due + (now - due) / cadence * cadence
}

/// A round's times and flags, for [`phase_at`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Schedule {
    pub opened_at: u64,
    pub voting_start: u64,
    pub voting_end: u64,
    pub vetting_end: u64,
    pub finalized: bool,
    pub canceled: bool,
}

impl Schedule {
    /// The windows of a round opened at `now` under `rules` (each closed at its end).
    pub fn starting(now: u64, rules: &RuleSet) -> Self {
        let voting_start = now.saturating_add(rules.application_period);
        let voting_end = voting_start.saturating_add(rules.voting_period);
        Self {
            opened_at: now,
            voting_start,
            voting_end,
            vetting_end: voting_end.saturating_add(rules.vetting_period),
            finalized: false,
            canceled: false,
        }
    }
}

/// The phase of a round at `now`: Applications up to `votingStart` inclusive, Voting up to
/// `votingEnd`, Vetting up to `vettingEnd`, then Ended until finalized (or canceled).
pub fn phase_at(s: &Schedule, now: u64) -> u8 {
    if s.canceled {
        phase::CANCELED
    } else if s.finalized {
        phase::FINALIZED
    } else if now <= s.voting_start {
        phase::APPLICATIONS
    } else if now <= s.voting_end {
        phase::VOTING
    } else if now <= s.vetting_end {
        phase::VETTING
    } else {
        phase::ENDED
    }
}

/// A candidate's votes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub votes_for: U256,
    pub against: U256,
    pub abstain: U256,
    pub voters: u32,
}

/// Whether a candidate qualifies: `for + abstain >= quorum`, at least `min_voters` voters,
/// some votes for, and `for * 10000 >= approval_bps * (for + against)`.
pub fn qualifies(t: &Tally, quorum: U256, min_voters: u32, approval_bps: u16) -> bool {
    let decided = t.votes_for.saturating_add(t.against);
    t.voters >= min_voters
        && !t.votes_for.is_zero()
        && t.votes_for.saturating_add(t.abstain) >= quorum
        && math::mul_small(t.votes_for, BPS) >= math::mul_small(decided, u64::from(approval_bps))
}

/// The quorum: the larger of the absolute one and `bps` of all votes at the snapshot.
pub fn quorum_of(absolute: U256, bps: u16, total_votes: U256) -> U256 {
    let share = math::mul_div_small(total_votes, u64::from(bps), BPS);
    if share > absolute {
        share
    } else {
        absolute
    }
}

/// Sorts `(index, votes for)` pairs given in application order by votes for, most first; an
/// insertion sort, stable, so ties keep the earlier application first. At most
/// [`MAX_CANDIDATES`] entries.
pub fn rank(entries: &mut [(u16, U256)]) {
    for i in 1..entries.len() {
        let mut j = i;
        while j > 0 && entries[j - 1].1 < entries[j].1 {
            entries.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// `keccak256(abi.encode(words))` of 32-byte words.
fn hash_words(words: &[&[u8]]) -> B256 {
    let mut data = Vec::with_capacity(words.len() * 32);
    for w in words {
        data.extend_from_slice(w);
    }
    keccak(data)
}

impl Rules {
    /// The rules as plain values.
    pub fn rule_set(&self) -> RuleSet {
        RuleSet {
            cadence: store::u64(&self.cadence),
            application_period: store::u64(&self.application_period),
            voting_period: store::u64(&self.voting_period),
            vetting_period: store::u64(&self.vetting_period),
            seats: store::u16(&self.seats),
            max_candidates: store::u16(&self.max_candidates),
            min_voters: store::u32(&self.min_voters),
            approval_bps: store::u16(&self.approval_bps),
            quorum_bps: store::u16(&self.quorum_bps),
            quorum: store::u256(&self.quorum),
        }
    }

    /// Writes every rule.
    pub fn set_rule_set(&mut self, r: &RuleSet) {
        store::set_u64(&mut self.cadence, r.cadence);
        store::set_u64(&mut self.application_period, r.application_period);
        store::set_u64(&mut self.voting_period, r.voting_period);
        store::set_u64(&mut self.vetting_period, r.vetting_period);
        self.seats.set(U16::from(r.seats));
        self.max_candidates.set(U16::from(r.max_candidates));
        self.min_voters.set(U32::from(r.min_voters));
        self.approval_bps.set(U16::from(r.approval_bps));
        self.quorum_bps.set(U16::from(r.quorum_bps));
        store::set_u256(&mut self.quorum, r.quorum);
    }
}

impl Round {
    pub fn schedule(&self) -> Schedule {
        Schedule {
            opened_at: store::u64(&self.opened_at),
            voting_start: store::u64(&self.voting_start),
            voting_end: store::u64(&self.voting_end),
            vetting_end: store::u64(&self.vetting_end),
            finalized: self.finalized.get(),
            canceled: self.canceled.get(),
        }
    }

    pub fn candidate_count(&self) -> u16 {
        store::u16(&self.candidate_count)
    }

    /// The candidate's index, if `operator` applied in this round.
    pub fn index_of(&self, operator: Address) -> Option<u16> {
        store::u16(&self.index_of.getter(operator)).checked_sub(1)
    }

    /// The candidate's votes.
    pub fn tally(&self, index: u16) -> Tally {
        let c = self.candidates.getter(U256::from(index));
        Tally {
            votes_for: store::u128(&c.votes_for),
            against: store::u128(&c.votes_against),
            abstain: store::u128(&c.votes_abstain),
            voters: store::u32(&c.voters),
        }
    }
}

// ==================================================================================== the election

impl SequencerElection {
    pub fn now(&self) -> u64 {
        self.vm().block_timestamp()
    }

    /// The caller must be governance (the timelock).
    pub fn only_governance(&self) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        if caller != self.governance.get() {
            return Err(Error::NotGovernance(NotGovernance { caller }));
        }
        Ok(())
    }

    /// Validates and stores the next rounds' rules.
    pub fn apply_rules(&mut self, r: RuleSet) -> Result<(), Error> {
        r.validate()?;
        self.rules.set_rule_set(&r);
        emit!(self.vm(), RulesSet {
            indexed: [],
            data: [
                r.cadence,
                r.application_period,
                r.voting_period,
                r.vetting_period,
                r.seats,
                r.max_candidates,
                r.min_voters,
                r.approval_bps,
                r.quorum_bps,
                r.quorum
            ],
        });
        Ok(())
    }

    pub fn apply_vetter(&mut self, vetter: Address) {
        let previous = self.vetter.get();
        self.vetter.set(vetter);
        emit!(self.vm(), VetterSet { indexed: [], data: [previous, vetter] });
    }

    // ------------------------------------------------------------------------ rounds

    /// The round's id as a key, if it exists (ids run from 1 to `roundCount`).
    pub fn require_round(&self, round_id: U256) -> Result<U256, Error> {
        if round_id.is_zero() || round_id > U256::from(store::u64(&self.round_count)) {
            return Err(Error::UnknownRound(UnknownRound { roundId: round_id }));
        }
        Ok(round_id)
    }

    pub fn phase_of(&self, round_id: U256) -> u8 {
        match self.require_round(round_id) {
            Ok(id) => phase_at(&self.rounds.getter(id).schedule(), self.now()),
            Err(_) => phase::NONE,
        }
    }

    /// The round exists and is in `expected`.
    pub fn require_phase(&self, round_id: U256, expected: u8) -> Result<(), Error> {
        let id = self.require_round(round_id)?;
        let current = phase_at(&self.rounds.getter(id).schedule(), self.now());
        if current != expected {
            return Err(Error::UnexpectedPhase(UnexpectedPhase { roundId: round_id, phase: current, expected }));
        }
        Ok(())
    }

    /// When the next round is due: `firstRoundAt` for round 1, else the latest round's slot
    /// plus the cadence of the current rules.
    pub fn due_at(&self) -> u64 {
        let count = store::u64(&self.round_count);
        if count == 0 {
            return store::u64(&self.first_round_at);
        }
        let latest = self.rounds.getter(U256::from(count));
        store::u64(&latest.scheduled_at).saturating_add(store::u64(&self.rules.cadence))
    }

    /// Opens the next round with a copy of the current rules.
    pub fn open_next(&mut self) -> Result<U256, Error> {
        let count = store::u64(&self.round_count);
        let now = self.now();
        if count > 0 {
            let latest = self.rounds.getter(U256::from(count)).schedule();
            if !latest.finalized && !latest.canceled {
                return Err(Error::PreviousRoundOpen(PreviousRoundOpen { roundId: U256::from(count) }));
            }
        }
        let due = self.due_at();
        let round_id = U256::from(count + 1);
        if now < due {
            return Err(Error::RoundNotDue(RoundNotDue { roundId: round_id, dueAt: due }));
        }
        let rules = self.rules.rule_set();
        let slot = slot_for(due, rules.cadence, now);
        let s = Schedule::starting(now, &rules);
        store::set_u64(&mut self.round_count, count + 1);
        let mut round = self.rounds.setter(round_id);
        round.rules.set_rule_set(&rules);
        store::set_u64(&mut round.scheduled_at, slot);
        store::set_u64(&mut round.opened_at, s.opened_at);
        store::set_u64(&mut round.voting_start, s.voting_start);
        store::set_u64(&mut round.voting_end, s.voting_end);
        store::set_u64(&mut round.vetting_end, s.vetting_end);
        emit!(self.vm(), RoundOpened {
            indexed: [round_id],
            data: [slot, s.voting_start, s.voting_end, s.vetting_end],
        });
        Ok(round_id)
    }

    // ------------------------------------------------------------------------ applications

    /// The EIP-712 domain: this election (the proxy's address) on this chain.
    pub fn domain_separator(&self) -> B256 {
        eip712::domain_separator(EIP712_NAME, EIP712_VERSION, self.vm().chain_id(), self.vm().contract_address())
    }

    /// What a node key signs to serve `operator` as a candidate of round `round_id`. The round
    /// in the message makes a proof good for one round; the operator, for one applicant.
    pub fn candidacy_hash(&self, round_id: U256, operator: Address) -> B256 {
        let id = round_id.to_be_bytes::<32>();
        let struct_hash = hash_words(&[CANDIDACY_TYPEHASH.as_slice(), &id, operator.into_word().as_slice()]);
        eip712::typed_data_digest(self.domain_separator(), struct_hash)
    }

    /// The first word `target` answers to the view call `data` (zero for a shorter answer);
    /// its revert data passes through.
    #[inline(never)]
    fn view_word(&self, target: Address, data: &[u8]) -> Result<U256, Revert> {
        let out = static_call(self.vm(), Call::new(), target, data).map_err(Vec::<u8>::from)?;
        Ok(out.get(..32).map(U256::from_be_slice).unwrap_or_default())
    }

    /// A pool view of one address that answers one word.
    fn pool_word(&self, selector: [u8; 4], account: Address) -> Result<U256, Revert> {
        self.view_word(self.pool.get(), &call_data(selector, &[account.to_field()]))
    }

    /// `operator` applies in round `round_id` with its node key `signer`.
    pub fn apply(
        &mut self,
        round_id: U256,
        operator: Address,
        signer: Address,
        metadata: String,
        proof: &[u8],
    ) -> Result<(), Revert> {
        self.require_phase(round_id, phase::APPLICATIONS)?;
        if metadata.len() > MAX_METADATA_BYTES {
            return Err(Error::MetadataTooLong(MetadataTooLong {
                length: U256::from(metadata.len()),
                max: U256::from(MAX_METADATA_BYTES),
            })
            .into());
        }
        let round = self.rounds.getter(round_id);
        if round.index_of(operator).is_some() {
            return Err(Error::AlreadyCandidate(AlreadyCandidate { roundId: round_id, operator }).into());
        }
        let count = round.candidate_count();
        let max = store::u16(&round.rules.max_candidates);
        let signer_named = round.signers.get(signer);
        drop(round);
        if count >= max {
            return Err(Error::TooManyCandidates(TooManyCandidates { roundId: round_id, maxCandidates: max }).into());
        }
        let admitted = !self.pool_word(ILockingPool::whitelistCall::SELECTOR, operator)?.is_zero();
        let running = !self.pool_word(ILockingPool::seqOwnersCall::SELECTOR, operator)?.is_zero();
        if admitted || running {
            return Err(Error::AlreadyOperator(AlreadyOperator { operator }).into());
        }
        if signer_named || !self.pool_word(ILockingPool::seqSignersCall::SELECTOR, signer)?.is_zero() {
            return Err(Error::SignerTaken(SignerTaken { signer }).into());
        }
        let proven = ecdsa::recover(self.vm(), self.candidacy_hash(round_id, operator), proof).map_err(Error::from)?;
        if proven != signer {
            return Err(Error::InvalidSignerProof(InvalidSignerProof { signer }).into());
        }
        let mut round = self.rounds.setter(round_id);
        round.candidate_count.set(U16::from(count + 1));
        round.index_of.setter(operator).set(U16::from(count + 1));
        round.signers.setter(signer).set(true);
        let mut c = round.candidates.setter(U256::from(count));
        c.operator.set(operator);
        c.status.set(U8::from(status::APPLIED));
        c.signer.set(signer);
        c.metadata_hash.set(keccak(metadata.as_bytes()));
        emit!(self.vm(), CandidateApplied {
            indexed: [round_id, operator, signer],
            data: [U256::from(count), metadata],
        });
        Ok(())
    }

    // ------------------------------------------------------------------------ votes

    /// `voter`'s votes at the round's snapshot (`votingStart`), from the token; the token's own
    /// error (a future lookup) passes through.
    pub fn power_at_snapshot(&self, round_id: U256, voter: Address) -> Result<U256, Revert> {
        let id = self.require_round(round_id)?;
        self.past_votes(voter, store::u64(&self.rounds.getter(id).voting_start))
    }

    /// `votes.getPastVotes(voter, timepoint)`.
    fn past_votes(&self, voter: Address, timepoint: u64) -> Result<U256, Revert> {
        let timepoint = U256::from(timepoint);
        let data = call_data(IMetisVotes::getPastVotesCall::SELECTOR, &[voter.to_field(), timepoint.to_field()]);
        self.view_word(self.votes.get(), &data)
    }

    /// The quorum of round `round_id`: the one finalization applied, or else the larger of the
    /// absolute quorum and the share of all votes at `votingStart`.
    pub fn quorum_needed(&self, round_id: U256) -> Result<U256, Revert> {
        let id = self.require_round(round_id)?;
        let round = self.rounds.getter(id);
        if round.finalized.get() {
            return Ok(store::u256(&round.quorum_applied));
        }
        let (absolute, bps) = (store::u256(&round.rules.quorum), store::u16(&round.rules.quorum_bps));
        if bps == 0 {
            return Ok(absolute);
        }
        let timepoint = U256::from(store::u64(&round.voting_start));
        drop(round);
        let data = call_data(IMetisVotes::getPastTotalSupplyCall::SELECTOR, &[timepoint.to_field()]);
        Ok(quorum_of(absolute, bps, self.view_word(self.votes.get(), &data)?))
    }

    /// Counts `voter`'s `support` on `candidate`, with its full weight (approval voting: each
    /// candidate gets the voter's whole weight once).
    pub fn cast(&mut self, round_id: U256, candidate: Address, voter: Address, support: u8) -> Result<U256, Revert> {
        self.require_phase(round_id, phase::VOTING)?;
        self.count_vote(round_id, candidate, voter, support)
    }

    /// [`Self::cast`] once the caller has checked that round `round_id` is voting (a batch
    /// checks the window once for all its candidates).
    pub fn count_vote(&mut self, round_id: U256, candidate: Address, voter: Address, support: u8) -> Result<U256, Revert> {
        if support > 2 {
            return Err(Error::InvalidSupport(InvalidSupport { support }).into());
        }
        let round = self.rounds.getter(round_id);
        let Some(index) = round.index_of(candidate) else {
            return Err(Error::UnknownCandidate(UnknownCandidate { roundId: round_id, candidate }).into());
        };
        let ballot = round.ballots.get(voter);
        let timepoint = store::u64(&round.voting_start);
        drop(round);
        let bit = U256::from(1) << (index as usize);
        if !(ballot & bit).is_zero() {
            return Err(Error::AlreadyVoted(AlreadyVoted { roundId: round_id, candidate, voter }).into());
        }
        let weight = self.past_votes(voter, timepoint)?;
        if weight.is_zero() {
            return Err(Error::NoVotingPower(NoVotingPower { voter, timepoint: U256::from(timepoint) }).into());
        }
        let capped = U128::saturating_from(weight);
        let mut round = self.rounds.setter(round_id);
        round.ballots.setter(voter).set(ballot | bit);
        let mut c = round.candidates.setter(U256::from(index));
        let tally = match support {
            0 => &mut c.votes_against,
            1 => &mut c.votes_for,
            _ => &mut c.votes_abstain,
        };
        let total = tally.get().saturating_add(capped);
        tally.set(total);
        let voters = c.voters.get().saturating_add(U32::from(1));
        c.voters.set(voters);
        emit!(self.vm(), VoteCast { indexed: [round_id, candidate, voter], data: [support, weight] });
        Ok(weight)
    }

    /// What `voter` signs to vote `support` on `candidate` with `nonce`.
    pub fn ballot_hash(&self, round_id: U256, candidate: Address, support: u8, voter: Address, nonce: U256) -> B256 {
        let struct_hash = hash_words(&[
            BALLOT_TYPEHASH.as_slice(),
            &round_id.to_be_bytes::<32>(),
            candidate.into_word().as_slice(),
            B256::with_last_byte(support).as_slice(),
            voter.into_word().as_slice(),
            &nonce.to_be_bytes::<32>(),
        ]);
        eip712::typed_data_digest(self.domain_separator(), struct_hash)
    }

    /// A vote `voter` signed with its current nonce, which this uses up: the same signature
    /// never verifies twice, nor after the voter signs another ballot.
    pub fn cast_signed(
        &mut self,
        round_id: U256,
        candidate: Address,
        support: u8,
        voter: Address,
        signature: &[u8],
    ) -> Result<U256, Revert> {
        let nonce = self.nonces.use_nonce(voter);
        let digest = self.ballot_hash(round_id, candidate, support, voter, nonce);
        let signed = ecdsa::recover(self.vm(), digest, signature).is_ok_and(|signer| signer == voter);
        if !signed {
            return Err(Error::InvalidVoteSignature(InvalidVoteSignature { voter }).into());
        }
        self.cast(round_id, candidate, voter, support)
    }

    // ------------------------------------------------------------------------ vetting and result

    /// The vetter removes `candidate` from the ranking during vetting.
    pub fn veto_candidate(&mut self, round_id: U256, candidate: Address) -> Result<(), Error> {
        let vetter = self.vm().msg_sender();
        if vetter.is_zero() || vetter != self.vetter.get() {
            return Err(Error::NotVetter(NotVetter { caller: vetter }));
        }
        self.require_phase(round_id, phase::VETTING)?;
        let mut round = self.rounds.setter(round_id);
        let Some(index) = round.index_of(candidate) else {
            return Err(Error::UnknownCandidate(UnknownCandidate { roundId: round_id, candidate }));
        };
        let mut c = round.candidates.setter(U256::from(index));
        if c.status.get() == U8::from(status::VETOED) {
            return Err(Error::AlreadyVetoed(AlreadyVetoed { roundId: round_id, candidate }));
        }
        c.status.set(U8::from(status::VETOED));
        emit!(self.vm(), CandidateVetoed { indexed: [round_id, candidate, vetter], data: [] });
        Ok(())
    }

    /// Ranks the qualified candidates of an ended round and admits the top `seats` to the pool.
    pub fn finalize_round(&mut self, round_id: U256) -> Result<U256, Revert> {
        self.require_phase(round_id, phase::ENDED)?;
        let quorum = self.quorum_needed(round_id)?;
        let round = self.rounds.getter(round_id);
        let rules = round.rules.rule_set();
        let mut qualified: Vec<(u16, U256)> = Vec::new();
        for index in 0..round.candidate_count() {
            let vetoed = round.candidates.getter(U256::from(index)).status.get() == U8::from(status::VETOED);
            let tally = round.tally(index);
            if !vetoed && qualifies(&tally, quorum, rules.min_voters, rules.approval_bps) {
                qualified.push((index, tally.votes_for));
            }
        }
        drop(round);
        rank(&mut qualified);
        let seats = qualified.len().min(rules.seats as usize);
        let pool = self.pool.get();
        for (rank, (index, votes_for)) in qualified.iter().take(seats).enumerate() {
            let mut round = self.rounds.setter(round_id);
            let mut c = round.candidates.setter(U256::from(*index));
            c.status.set(U8::from(status::ADMITTED));
            let (operator, signer) = (c.operator.get(), c.signer.get());
            drop(round);
            let data = call_data(ILockingPool::setWhitelistCall::SELECTOR, &[operator.to_field(), true.to_field()]);
            let ctx = Call::new_mutating(self);
            call(self.vm(), ctx, pool, &data)
                .map_err(|e| Error::AdmissionFailed(AdmissionFailure { operator, reason: Vec::<u8>::from(e) }))?;
            emit!(self.vm(), CandidateAdmitted {
                indexed: [round_id, operator, signer],
                data: [U256::from(rank + 1), *votes_for],
            });
        }
        let mut round = self.rounds.setter(round_id);
        round.finalized.set(true);
        round.admitted.set(U16::from(seats as u16));
        store::set_u256(&mut round.quorum_applied, quorum);
        let (qualified, admitted) = (U256::from(qualified.len()), U256::from(seats));
        emit!(self.vm(), RoundFinalized { indexed: [round_id], data: [quorum, qualified, admitted] });
        Ok(admitted)
    }

    /// A candidate's status, with the outcome of a finalized round spelled out: a candidate
    /// still marked Applied there either did not qualify or was outranked.
    pub fn candidate_status(&self, round_id: U256, index: u16) -> u8 {
        let round = self.rounds.getter(round_id);
        let stored = round.candidates.getter(U256::from(index)).status.get().as_limbs()[0] as u8;
        if stored != status::APPLIED || !round.finalized.get() {
            return stored;
        }
        let rules = round.rules.rule_set();
        if qualifies(&round.tally(index), store::u256(&round.quorum_applied), rules.min_voters, rules.approval_bps) {
            status::OUTRANKED
        } else {
            status::NOT_QUALIFIED
        }
    }

    /// Governance cancels a round that is not finalized.
    pub fn cancel(&mut self, round_id: U256) -> Result<(), Error> {
        self.only_governance()?;
        let id = self.require_round(round_id)?;
        let current = phase_at(&self.rounds.getter(id).schedule(), self.now());
        if current == phase::FINALIZED || current == phase::CANCELED {
            return Err(Error::UnexpectedPhase(UnexpectedPhase { roundId: round_id, phase: current, expected: phase::ENDED }));
        }
        self.rounds.setter(round_id).canceled.set(true);
        emit!(self.vm(), RoundCanceled { indexed: [round_id], data: [] });
        Ok(())
    }

    /// Governance revokes `operator`'s admission to the pool.
    pub fn revoke_admission(&mut self, operator: Address) -> Result<(), Revert> {
        self.only_governance()?;
        let data = call_data(ILockingPool::setWhitelistCall::SELECTOR, &[operator.to_field(), false.to_field()]);
        let ctx = Call::new_mutating(self);
        call(self.vm(), ctx, self.pool.get(), &data)
            .map_err(|e| Error::AdmissionFailed(AdmissionFailure { operator, reason: Vec::<u8>::from(e) }))?;
        emit!(self.vm(), OperatorRevoked { indexed: [operator], data: [] });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> RuleSet {
        RuleSet {
            cadence: 100,
            application_period: 10,
            voting_period: 20,
            vetting_period: 5,
            seats: 3,
            max_candidates: 8,
            min_voters: 2,
            approval_bps: 8000,
            quorum_bps: 0,
            quorum: U256::from(50),
        }
    }

    #[test]
    fn rules_are_checked_one_by_one() {
        assert!(rules().validate().is_ok());
        assert!(RuleSet { vetting_period: 0, ..rules() }.validate().is_ok(), "vetting may be 0");
        assert!(RuleSet { cadence: 35, ..rules() }.validate().is_ok(), "windows may fill the cadence");
        for bad in [
            RuleSet { cadence: 34, ..rules() },
            RuleSet { application_period: 0, ..rules() },
            RuleSet { voting_period: 0, ..rules() },
            RuleSet { vetting_period: u64::MAX, ..rules() },
        ] {
            assert!(matches!(bad.validate(), Err(Error::InvalidSchedule(_))), "{bad:?}");
        }
        for bad in [
            RuleSet { seats: 0, ..rules() },
            RuleSet { seats: 9, ..rules() },
            RuleSet { max_candidates: MAX_CANDIDATES + 1, seats: 1, ..rules() },
        ] {
            assert!(matches!(bad.validate(), Err(Error::InvalidSeats(e)) if e.limit == MAX_CANDIDATES), "{bad:?}");
        }
        assert!(RuleSet { max_candidates: MAX_CANDIDATES, ..rules() }.validate().is_ok());
        assert!(matches!(RuleSet { approval_bps: 10_001, ..rules() }.validate(), Err(Error::InvalidRatio(_))));
        assert!(matches!(RuleSet { quorum_bps: 10_001, ..rules() }.validate(), Err(Error::InvalidRatio(_))));
        assert!(RuleSet { approval_bps: 10_000, quorum_bps: 10_000, ..rules() }.validate().is_ok());
    }

    #[test]
    fn the_calendar_skips_missed_slots() {
        assert_eq!(slot_for(1_000, 100, 900), 1_000, "opened early is impossible, but the slot stays");
        assert_eq!(slot_for(1_000, 100, 1_000), 1_000);
        assert_eq!(slot_for(1_000, 100, 1_099), 1_000);
        assert_eq!(slot_for(1_000, 100, 1_100), 1_100);
        assert_eq!(slot_for(1_000, 100, 1_350), 1_300);
    }

    #[test]
    fn phases_close_at_their_end() {
        let s = Schedule::starting(1_000, &rules());
        assert_eq!((s.voting_start, s.voting_end, s.vetting_end), (1_010, 1_030, 1_035));
        let at = |t| phase_at(&s, t);
        assert_eq!([at(1_000), at(1_010), at(1_011), at(1_030), at(1_031), at(1_035), at(1_036)], [
            phase::APPLICATIONS,
            phase::APPLICATIONS,
            phase::VOTING,
            phase::VOTING,
            phase::VETTING,
            phase::VETTING,
            phase::ENDED
        ]);
        assert_eq!(phase_at(&Schedule { finalized: true, ..s }, 1_036), phase::FINALIZED);
        assert_eq!(phase_at(&Schedule { canceled: true, ..s }, 1_000), phase::CANCELED);
        let none = Schedule::starting(1_000, &RuleSet { vetting_period: 0, ..rules() });
        assert_eq!(phase_at(&none, 1_031), phase::ENDED, "no vetting: ended right after voting");
    }

    #[test]
    fn qualification_needs_every_criterion() {
        let t = |f: u64, a: u64, ab: u64, v: u32| Tally {
            votes_for: U256::from(f),
            against: U256::from(a),
            abstain: U256::from(ab),
            voters: v,
        };
        let q = U256::from(50);
        assert!(qualifies(&t(40, 10, 10, 2), q, 2, 8000), "exactly 80% and exactly the quorum");
        assert!(!qualifies(&t(39, 10, 10, 2), q, 2, 8000), "below 80%");
        assert!(!qualifies(&t(40, 10, 9, 2), q, 2, 8000), "one vote short of the quorum");
        assert!(!qualifies(&t(40, 10, 10, 1), q, 2, 8000), "one voter short");
        assert!(!qualifies(&t(0, 0, 100, 5), q, 2, 8000), "abstentions alone elect nobody");
        assert!(qualifies(&t(1, 0, 49, 2), q, 2, 10_000), "unanimous among those who decided");
        assert!(qualifies(&t(1, 1_000, 49, 2), q, 2, 0), "no approval ratio");
        let max = Tally { votes_for: U256::MAX, against: U256::MAX, abstain: U256::MAX, voters: u32::MAX };
        assert!(qualifies(&max, U256::MAX, u32::MAX, 5000), "no overflow");
    }

    #[test]
    fn quorum_is_the_larger_of_the_two() {
        assert_eq!(quorum_of(U256::from(50), 0, U256::from(1_000_000)), U256::from(50));
        assert_eq!(quorum_of(U256::from(50), 100, U256::from(1_000_000)), U256::from(10_000), "1%");
        assert_eq!(quorum_of(U256::from(50), 100, U256::from(4_999)), U256::from(50));
        assert_eq!(quorum_of(U256::ZERO, 1, U256::from(19_999)), U256::from(1), "floor");
    }

    #[test]
    fn ranking_is_by_votes_for_then_application_order() {
        let mut e = [(0, U256::from(5)), (1, U256::from(9)), (2, U256::from(5)), (3, U256::from(9)), (4, U256::from(1))];
        rank(&mut e);
        assert_eq!(e.map(|(i, _)| i), [1, 3, 0, 2, 4]);
        let mut empty: [(u16, U256); 0] = [];
        rank(&mut empty);
    }
}
