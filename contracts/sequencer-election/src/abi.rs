//! Program 0 of the election, its entry (`sequencer-election`): the implementation behind the
//! proxy. It sets the proxy up, opens rounds, takes applications and votes, and answers the
//! views; the governance calls, vetoes and finalization are forwarded to `sequencer-election-module`
//! ([`crate::module`]). A thin shell over [`crate::logic`].

use alloc::{string::String, vec::Vec};


use alloy_primitives::{Address, B256, U256};
use dseq_abi::election::{ISequencerElection::*, MAX_CANDIDATES};
use dseq_kit::store;
use stylus_sdk::prelude::*;

use crate::{logic::RuleSet, Error, Revert, SequencerElection};

/// `rules()` and `roundRules()`: the ten rules in the interface's order.
pub(crate) type RuleWords = (u64, u64, u64, u64, u16, u16, u32, u16, u16, U256);

pub(crate) fn words(r: RuleSet) -> RuleWords {
    (
        r.cadence,
        r.application_period,
        r.voting_period,
        r.vetting_period,
        r.seats,
        r.max_candidates,
        r.min_voters,
        r.approval_bps,
        r.quorum_bps,
        r.quorum,
    )
}

#[dseq_program::public(program = 0, programs = 2)]
impl SequencerElection {
    /// Runs once, on the implementation: nobody may initialize the bare implementation.
    #[constructor]
    pub fn constructor(&mut self) {
        self.initializable.disable();
    }

    /// Sets up a proxy (see `ISequencerElection.initialize`). Once only.
    #[allow(clippy::too_many_arguments)]
    pub fn initialize(
        &mut self,
        governance: Address,
        votes: Address,
        pool: Address,
        vetter: Address,
        first_round_at: u64,
        cadence: u64,
        application_period: u64,
        voting_period: u64,
        vetting_period: u64,
        seats: u16,
        max_candidates: u16,
        min_voters: u32,
        approval_bps: u16,
        quorum_bps: u16,
        quorum: U256,
        programs: Vec<Address>,
    ) -> Result<(), Error> {
        self.initializable.initialize()?;
        if governance.is_zero() || votes.is_zero() || pool.is_zero() {
            return Err(Error::InvalidSetup(InvalidSetup { governance, votes, pool }));
        }
        dseq_program::table::install::<Self, _>(self.vm(), &programs)?;
        self.governance.set(governance);
        self.votes.set(votes);
        self.pool.set(pool);
        store::set_u64(&mut self.first_round_at, first_round_at);
        self.apply_vetter(vetter);
        self.apply_rules(RuleSet {
            cadence,
            application_period,
            voting_period,
            vetting_period,
            seats,
            max_candidates,
            min_voters,
            approval_bps,
            quorum_bps,
            quorum,
        })
    }

    // ------------------------------------------------------------------------ governance

    /// Installs the programs after the entry (governance only, e.g. within
    /// `upgradeToAndCall`). Lives in the entry, so no install can remove the means to install.
    pub fn install_programs(&mut self, programs: Vec<Address>) -> Result<(), Error> {
        self.only_governance()?;
        Ok(dseq_program::table::install::<Self, _>(self.vm(), &programs)?)
    }

    /// The installed programs after the entry.
    pub fn programs(&self) -> Vec<Address> {
        dseq_program::table::programs::<Self, _>(self.vm())
    }

    // ------------------------------------------------------------------------ rounds

    pub fn open_round(&mut self) -> Result<U256, Error> {
        SequencerElection::open_next(self)
    }

    pub fn apply_as_candidate(
        &mut self,
        round_id: U256,
        signer: Address,
        metadata_uri: String,
        signer_proof: Vec<u8>,
    ) -> Result<(), Revert> {
        let operator = self.vm().msg_sender();
        self.apply(round_id, operator, signer, metadata_uri, &signer_proof)
    }

    pub fn cast_vote(&mut self, round_id: U256, candidate: Address, support: u8) -> Result<U256, Revert> {
        let voter = self.vm().msg_sender();
        self.cast(round_id, candidate, voter, support)
    }

    pub fn cast_vote_by_sig(
        &mut self,
        round_id: U256,
        candidate: Address,
        support: u8,
        voter: Address,
        signature: Vec<u8>,
    ) -> Result<U256, Revert> {
        self.cast_signed(round_id, candidate, support, voter, &signature)
    }

    // ------------------------------------------------------------------------ views

    pub fn governance(&self) -> Address {
        self.governance.get()
    }

    pub fn voting_token(&self) -> Address {
        self.votes.get()
    }

    pub fn pool(&self) -> Address {
        self.pool.get()
    }

    pub fn vetter(&self) -> Address {
        self.vetter.get()
    }

    pub fn rules(&self) -> (u64, u64, u64, u64, u16, u16, u32, u16, u16, U256) {
        words(self.rules.rule_set())
    }

    pub fn round_count(&self) -> U256 {
        U256::from(store::u64(&self.round_count))
    }

    pub fn next_round_at(&self) -> u64 {
        SequencerElection::due_at(self)
    }

    #[allow(clippy::type_complexity)]
    pub fn round(&self, round_id: U256) -> Result<(u8, u64, u64, u64, u64, u64, U256, U256), Error> {
        let id = self.require_round(round_id)?;
        let phase = self.phase_of(id);
        let round = self.rounds.getter(id);
        let s = round.schedule();
        let admitted = U256::from(round.admitted.get().as_limbs()[0]);
        let scheduled = store::u64(&round.scheduled_at);
        Ok((phase, scheduled, s.opened_at, s.voting_start, s.voting_end, s.vetting_end, U256::from(round.candidate_count()), admitted))
    }

    pub fn phase(&self, round_id: U256) -> u8 {
        self.phase_of(round_id)
    }

    pub fn has_voted(&self, round_id: U256, candidate: Address, voter: Address) -> bool {
        let Ok((id, index)) = self.candidate_index(round_id, candidate) else { return false };
        let ballot = self.rounds.getter(id).ballots.get(voter);
        !(ballot & (U256::from(1) << (index as usize))).is_zero()
    }

    pub fn voting_power(&self, round_id: U256, voter: Address) -> Result<U256, Revert> {
        SequencerElection::power_at_snapshot(self, round_id, voter)
    }

    pub fn candidacy_digest(&self, round_id: U256, operator: Address) -> B256 {
        SequencerElection::candidacy_hash(self, round_id, operator)
    }

    pub fn ballot_digest(&self, round_id: U256, candidate: Address, support: u8, voter: Address) -> B256 {
        SequencerElection::ballot_hash(self, round_id, candidate, support, voter, self.nonces.nonce(voter))
    }

    pub fn nonces(&self, voter: Address) -> U256 {
        self.nonces.nonce(voter)
    }

    #[selector(name = "DOMAIN_SEPARATOR")]
    pub fn domain_separator_view(&self) -> B256 {
        self.domain_separator()
    }

    #[selector(name = "MAX_CANDIDATES")]
    pub fn max_candidates(&self) -> u16 {
        MAX_CANDIDATES
    }
}

impl SequencerElection {
    /// The round's key and `operator`'s index in it.
    pub(crate) fn candidate_index(&self, round_id: U256, operator: Address) -> Result<(U256, u16), Error> {
        let id = self.require_round(round_id)?;
        match self.rounds.getter(id).index_of(operator) {
            Some(index) => Ok((id, index)),
            None => Err(Error::UnknownCandidate(UnknownCandidate { roundId: round_id, candidate: operator })),
        }
    }
}
