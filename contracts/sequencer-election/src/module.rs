//! Program 1 of the election, `sequencer-election-module`: what governance, the vetter and the
//! finalizer call (the rules, the vetter, cancel, revoke, veto, finalize) and the rules a round
//! opened with. The entry forwards these selectors to it by `delegatecall`, so it runs on the
//! election's storage with the caller's `msg.sender`.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use dseq_abi::election::ISequencerElection::*;
use stylus_sdk::prelude::*;

use crate::{abi::words, logic::RuleSet, Error, Revert, SequencerElection};

#[dseq_program::public(program = 1)]
impl SequencerElection {
    /// Disables initialization of the module's own storage (it is only used through the entry).
    #[constructor]
    pub fn module_constructor(&mut self) {
        self.initializable.disable();
    }

    #[allow(clippy::too_many_arguments)]
    pub fn set_rules(
        &mut self,
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
    ) -> Result<(), Error> {
        self.only_governance()?;
        SequencerElection::apply_rules(
            self,
            RuleSet {
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
            },
        )
    }

    pub fn set_vetter(&mut self, vetter: Address) -> Result<(), Error> {
        self.only_governance()?;
        SequencerElection::apply_vetter(self, vetter);
        Ok(())
    }

    pub fn cancel_round(&mut self, round_id: U256) -> Result<(), Error> {
        SequencerElection::cancel(self, round_id)
    }

    pub fn revoke(&mut self, operator: Address) -> Result<(), Revert> {
        SequencerElection::revoke_admission(self, operator)
    }

    pub fn veto(&mut self, round_id: U256, candidate: Address) -> Result<(), Error> {
        SequencerElection::veto_candidate(self, round_id, candidate)
    }

    pub fn finalize(&mut self, round_id: U256) -> Result<U256, Revert> {
        SequencerElection::finalize_round(self, round_id)
    }

    pub fn round_rules(&self, round_id: U256) -> Result<(u64, u64, u64, u64, u16, u16, u32, u16, u16, U256), Error> {
        let id = self.require_round(round_id)?;
        Ok(words(self.rounds.getter(id).rules.rule_set()))
    }

    // ------------------------------------------------------------------------ less frequent calls and views

    /// Returns the caller's weight (the same for every candidate).
    pub fn cast_votes(&mut self, round_id: U256, candidates: Vec<Address>, supports: Vec<U256>) -> Result<U256, Revert> {
        if candidates.len() != supports.len() {
            return Err(Error::LengthMismatch(LengthMismatch {
                candidates: U256::from(candidates.len()),
                supports: U256::from(supports.len()),
            })
            .into());
        }
        // The round and the window are checked once, even for an empty batch.
        self.require_phase(round_id, dseq_abi::election::phase::VOTING)?;
        let voter = self.vm().msg_sender();
        let mut weight = U256::ZERO;
        for (candidate, support) in candidates.into_iter().zip(supports) {
            // A support that does not fit `uint8` is reported as 255, the largest that does.
            let support = if support > U256::from(u8::MAX) { u8::MAX } else { support.as_limbs()[0] as u8 };
            weight = self.count_vote(round_id, candidate, voter, support)?;
        }
        Ok(weight)
    }

    pub fn candidates(&self, round_id: U256) -> Result<Vec<Address>, Error> {
        let id = self.require_round(round_id)?;
        let round = self.rounds.getter(id);
        Ok((0..round.candidate_count()).map(|i| round.candidates.getter(U256::from(i)).operator.get()).collect())
    }

    #[allow(clippy::type_complexity)]
    pub fn candidate(
        &self,
        round_id: U256,
        operator: Address,
    ) -> Result<(U256, Address, u8, U256, U256, U256, U256, B256), Error> {
        let (id, index) = self.candidate_index(round_id, operator)?;
        let round = self.rounds.getter(id);
        let t = round.tally(index);
        let c = round.candidates.getter(U256::from(index));
        let (signer, metadata_hash) = (c.signer.get(), c.metadata_hash.get());
        drop(round);
        let status = self.candidate_status(id, index);
        Ok((U256::from(index), signer, status, t.votes_for, t.against, t.abstain, U256::from(t.voters), metadata_hash))
    }

    pub fn quorum(&self, round_id: U256) -> Result<U256, Revert> {
        SequencerElection::quorum_needed(self, round_id)
    }

}
