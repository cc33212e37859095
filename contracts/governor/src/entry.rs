//! Program 0 of the governor, its entry (`governor`): the implementation behind the proxy. It
//! sets the proxy up, takes proposals and votes, answers the views of proposals, votes and
//! settings, and installs the programs; every other selector is forwarded to `governor-module`.

use alloc::{string::String, vec::Vec};

use alloy_primitives::{aliases::U48, Address, U256};
use dseq_abi::governor::{
    IGovernor::*, CLOCK_MODE, COUNTING_MODE, IERC1155_RECEIVER_INTERFACE_ID, IERC165_INTERFACE_ID, IGOVERNOR_INTERFACE_ID,
    IGOVERNOR_INTERFACE_ID_V5_3, NAME, QUORUM_DENOMINATOR, VERSION,
};
use stylus_sdk::prelude::*;

use crate::{
    logic::{get48, u48},
    Error, Governor, Revert,
};

#[dseq_program::public(program = 0, programs = 2, reentry = "may_reenter")]
impl Governor {
    /// Runs once, on the implementation: nobody may initialize the bare implementation.
    #[constructor]
    pub fn constructor(&mut self) {
        self.initializable.disable();
    }

    /// Sets up a proxy (see `IGovernor.initialize`), emitting each setting's event from zero
    /// as OpenZeppelin's constructors do. Once only.
    #[allow(clippy::too_many_arguments)]
    pub fn initialize(
        &mut self,
        token: Address,
        timelock: Address,
        voting_delay: U48,
        voting_period: u32,
        proposal_threshold: U256,
        quorum_numerator: U256,
        late_quorum_vote_extension: U48,
        programs: Vec<Address>,
    ) -> Result<(), Error> {
        self.initializable.initialize()?;
        if token.is_zero() || timelock.is_zero() {
            return Err(Error::GovernorInvalidSetup(GovernorInvalidSetup { token, timelock }));
        }
        dseq_program::table::install::<Self, _>(self.vm(), &programs)?;
        self.token.set(token);
        self.apply_voting_delay(voting_delay);
        self.apply_voting_period(voting_period)?;
        self.apply_proposal_threshold(proposal_threshold);
        self.set_quorum_numerator(quorum_numerator)?;
        self.apply_late_quorum_vote_extension(late_quorum_vote_extension)?;
        self.set_timelock(timelock);
        Ok(())
    }

    /// Installs the programs after the entry (the timelock only, e.g. within
    /// `upgradeToAndCall`). Lives in the entry, so no install can remove the means to install.
    pub fn install_programs(&mut self, programs: Vec<Address>) -> Result<(), Error> {
        self.only_governance()?;
        Ok(dseq_program::table::install::<Self, _>(self.vm(), &programs)?)
    }

    /// The installed programs after the entry.
    pub fn programs(&self) -> Vec<Address> {
        dseq_program::table::programs::<Self, _>(self.vm())
    }

    // ------------------------------------------------------------------------ proposing, voting

    pub fn propose(
        &mut self,
        targets: Vec<Address>,
        values: Vec<U256>,
        calldatas: Vec<Vec<u8>>,
        description: String,
    ) -> Result<U256, Revert> {
        Governor::propose_actions(self, &targets, &values, &calldatas, &description)
    }

    pub fn cast_vote(&mut self, proposal_id: U256, support: u8) -> Result<U256, Revert> {
        let voter = self.vm().msg_sender();
        Governor::cast(self, proposal_id, voter, support, "", &[])
    }

    pub fn cast_vote_with_reason(&mut self, proposal_id: U256, support: u8, reason: String) -> Result<U256, Revert> {
        let voter = self.vm().msg_sender();
        Governor::cast(self, proposal_id, voter, support, &reason, &[])
    }

    pub fn cast_vote_with_reason_and_params(
        &mut self,
        proposal_id: U256,
        support: u8,
        reason: String,
        params: Vec<u8>,
    ) -> Result<U256, Revert> {
        let voter = self.vm().msg_sender();
        Governor::cast(self, proposal_id, voter, support, &reason, &params)
    }

    // ------------------------------------------------------------------------ core views

    pub fn name(&self) -> String {
        String::from(NAME)
    }

    pub fn version(&self) -> String {
        String::from(VERSION)
    }

    #[selector(name = "COUNTING_MODE")]
    pub fn counting_mode() -> String {
        String::from(COUNTING_MODE)
    }

    pub fn state(&self, proposal_id: U256) -> Result<u8, Revert> {
        Governor::proposal_state(self, proposal_id)
    }

    pub fn proposal_threshold(&self) -> U256 {
        dseq_kit::store::u256(&self.proposal_threshold)
    }

    pub fn proposal_snapshot(&self, proposal_id: U256) -> U256 {
        U256::from(get48(&self.proposals.getter(proposal_id).vote_start))
    }

    pub fn proposal_deadline(&self, proposal_id: U256) -> U256 {
        U256::from(self.deadline(proposal_id))
    }

    pub fn proposal_proposer(&self, proposal_id: U256) -> Address {
        self.proposals.getter(proposal_id).proposer.get()
    }

    pub fn proposal_eta(&self, proposal_id: U256) -> U256 {
        U256::from(get48(&self.proposals.getter(proposal_id).eta_seconds))
    }

    pub fn proposal_needs_queuing(&self, _proposal_id: U256) -> bool {
        true
    }

    pub fn voting_delay(&self) -> U256 {
        U256::from(get48(&self.voting_delay))
    }

    pub fn voting_period(&self) -> U256 {
        U256::from(self.voting_period.get().as_limbs()[0])
    }

    pub fn quorum(&self, timepoint: U256) -> Result<U256, Revert> {
        Governor::quorum_at(self, timepoint)
    }

    pub fn get_votes(&self, account: Address, timepoint: U256) -> Result<U256, Revert> {
        self.past_votes(account, timepoint)
    }

    pub fn get_votes_with_params(&self, account: Address, timepoint: U256, _params: Vec<u8>) -> Result<U256, Revert> {
        self.past_votes(account, timepoint)
    }

    pub fn has_voted(&self, proposal_id: U256, account: Address) -> bool {
        self.proposals.getter(proposal_id).has_voted.get(account)
    }

    /// `(againstVotes, forVotes, abstainVotes)`.
    pub fn proposal_votes(&self, proposal_id: U256) -> (U256, U256, U256) {
        let p = self.proposals.getter(proposal_id);
        (p.against_votes.get(), p.for_votes.get(), p.abstain_votes.get())
    }

    // ------------------------------------------------------------------------ votes, quorum, settings

    pub fn token(&self) -> Address {
        self.token.get()
    }

    pub fn timelock(&self) -> Address {
        self.timelock.get()
    }

    pub fn clock(&self) -> U48 {
        u48(self.now())
    }

    #[selector(name = "CLOCK_MODE")]
    pub fn clock_mode(&self) -> String {
        String::from(CLOCK_MODE)
    }

    #[selector(name = "quorumNumerator")]
    pub fn latest_quorum_numerator(&self) -> U256 {
        self.quorum_numerator_history.latest()
    }

    pub fn quorum_numerator(&self, timepoint: U256) -> U256 {
        self.quorum_numerator_at(timepoint)
    }

    pub fn quorum_denominator(&self) -> U256 {
        U256::from(QUORUM_DENOMINATOR)
    }

    pub fn late_quorum_vote_extension(&self) -> U48 {
        u48(get48(&self.late_quorum_vote_extension))
    }

    // ------------------------------------------------------------------------ ERC-165

    pub fn supports_interface(&self, interface_id: alloy_primitives::aliases::B32) -> bool {
        let id = interface_id.0;
        id == IGOVERNOR_INTERFACE_ID
            || id == IGOVERNOR_INTERFACE_ID_V5_3
            || id == IERC1155_RECEIVER_INTERFACE_ID
            || id == IERC165_INTERFACE_ID
    }
}
