//! The election deployed in a [`World`] with what it runs on: METIS (a mock token), the real
//! metis-votes over it (counting the pool's stake), the real locking-pool (which admits the
//! winners through the ADMISSION_ROLE the election holds), funded and self-delegated holders,
//! candidates with node keys, and helpers that take each step through the real ABI.
#![allow(dead_code, unused_imports)]

use alloy_primitives::{address, keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{SolCall, SolEvent, SolValue};
use dseq_abi::{
    election::{
        ISequencerElection, ISequencerElection::ISequencerElectionErrors, BALLOT_TYPEHASH, CANDIDACY_TYPEHASH,
        EIP712_NAME, EIP712_VERSION,
    },
    locking_pool::{ILockingPool, ILockingPool::ILockingPoolErrors, ADMISSION_ROLE},
    metis_votes::IMetisVotes,
};
use dseq_kit::eip712;
use pool_world::PoolSuite;
use sequencer_election::SequencerElection;
use stylus_world::{
    keys::Key,
    mocks::{IMockToken, MockToken},
    Log, Outcome, Revert, World,
};

/// The election's proxy: program 0 (the entry) answers here.
pub const ELECTION: Address = address!("00000000000000000000000000000000000e0001");
/// Program 1 of the election (governance, vetoes, finalization).
pub const MODULE: Address = address!("00000000000000000000000000000000000e0002");
/// The pool (which admits the winners), its programs, metis-votes and METIS.
pub const SUITE: PoolSuite = PoolSuite::at(0x0e10, ADMIN);
pub const VOTES: Address = SUITE.votes;
pub const METIS: Address = SUITE.metis;
pub const POOL: Address = SUITE.pool;
pub const POOL_MODULE: Address = SUITE.programs[0];

/// The election's governance (the timelock in production; an account here).
pub const GOV: Address = address!("0000000000000000000000000000000000006001");
pub const VETTER: Address = address!("000000000000000000000000000000000000fe70");
/// The pool's admin (every pool role).
pub const ADMIN: Address = address!("00000000000000000000000000000000000ad001");
pub const DEPLOYER: Address = address!("000000000000000000000000000000000000de91");
pub const CAROL: Address = address!("00000000000000000000000000000000000ca201");
/// Holds wrapped METIS but never delegated: no votes.
pub const DAVE: Address = address!("000000000000000000000000000000000000da7e");
pub const MALLORY: Address = address!("000000000000000000000000000000000000bad1");
pub const RELAYER: Address = address!("0000000000000000000000000000000000000e1a");

pub const T0: u64 = 1_000_000;
/// When round 1 is due.
pub const FIRST: u64 = T0 + 500;
pub const CADENCE: u64 = 1_000;
pub const APPLICATION: u64 = 100;
pub const VOTING: u64 = 200;
pub const VETTING: u64 = 50;
pub const SEATS: u16 = 3;
pub const MAX: u16 = 8;
pub const MIN_VOTERS: u32 = 2;
pub const APPROVAL_BPS: u16 = 8_000;
pub const QUORUM_BPS: u16 = 0;
pub const QUORUM_TOKENS: u64 = 50;

/// Phase codes.
pub use dseq_abi::election::phase::{
    APPLICATIONS, CANCELED, ENDED, FINALIZED, NONE as NO_PHASE, VETTING as VETTING_PHASE, VOTING as VOTING_PHASE,
};
/// Candidate status codes.
pub use dseq_abi::election::status::{ADMITTED, APPLIED, NOT_QUALIFIED, OUTRANKED, VETOED};

/// `n` whole tokens.
pub fn e18(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18))
}

pub fn u(n: u64) -> U256 {
    U256::from(n)
}

/// The ten rules in the interface's order (as `rules()` and `roundRules()` return them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    pub cadence: u64,
    pub application: u64,
    pub voting: u64,
    pub vetting: u64,
    pub seats: u16,
    pub max_candidates: u16,
    pub min_voters: u32,
    pub approval_bps: u16,
    pub quorum_bps: u16,
    pub quorum: U256,
}


/// `rules()` and `roundRules()` answer the same ten fields in two generated types.
macro_rules! rules_from {
    ($r:expr) => {{
        let r = $r;
        Self {
            cadence: r.cadence,
            application: r.applicationPeriod,
            voting: r.votingPeriod,
            vetting: r.vettingPeriod,
            seats: r.seats,
            max_candidates: r.maxCandidates,
            min_voters: r.minVoters,
            approval_bps: r.approvalBps,
            quorum_bps: r.quorumBps,
            quorum: r.quorum,
        }
    }};
}

impl Rules {
    /// The rules [`Env::new`] initializes with.
    pub fn default_test() -> Self {
        Self {
            cadence: CADENCE,
            application: APPLICATION,
            voting: VOTING,
            vetting: VETTING,
            seats: SEATS,
            max_candidates: MAX,
            min_voters: MIN_VOTERS,
            approval_bps: APPROVAL_BPS,
            quorum_bps: QUORUM_BPS,
            quorum: e18(QUORUM_TOKENS),
        }
    }

    pub fn set_call(&self) -> ISequencerElection::setRulesCall {
        ISequencerElection::setRulesCall {
            cadence: self.cadence,
            applicationPeriod: self.application,
            votingPeriod: self.voting,
            vettingPeriod: self.vetting,
            seats: self.seats,
            maxCandidates: self.max_candidates,
            minVoters: self.min_voters,
            approvalBps: self.approval_bps,
            quorumBps: self.quorum_bps,
            quorum: self.quorum,
        }
    }

    /// The `RulesSet` event these rules emit.
    pub fn event(&self) -> ISequencerElection::RulesSet {
        ISequencerElection::RulesSet {
            cadence: self.cadence,
            applicationPeriod: self.application,
            votingPeriod: self.voting,
            vettingPeriod: self.vetting,
            seats: self.seats,
            maxCandidates: self.max_candidates,
            minVoters: self.min_voters,
            approvalBps: self.approval_bps,
            quorumBps: self.quorum_bps,
            quorum: self.quorum,
        }
    }

    pub fn from_view(r: ISequencerElection::rulesReturn) -> Self {
        rules_from!(r)
    }

    pub fn from_round_view(r: ISequencerElection::roundRulesReturn) -> Self {
        rules_from!(r)
    }
}

/// A candidate: the operator account that applies and its node key.
pub struct Candidate {
    pub operator: Address,
    pub key: Key,
}

impl Candidate {
    /// Candidate number `n` (1-based): operator `0x…0f0n`, key from seed `100 + n`.
    pub fn new(n: u8) -> Self {
        let mut bytes = [0u8; 20];
        bytes[18] = 0x0f;
        bytes[19] = n;
        Self { operator: Address::from(bytes), key: Key::from_seed(100 + n as u64) }
    }

    pub fn signer(&self) -> Address {
        self.key.address()
    }
}

/// The first `n` candidates.
pub fn candidates(n: u8) -> Vec<Candidate> {
    (1..=n).map(Candidate::new).collect()
}

/// The metadata URI [`Env::apply`] gives candidate `operator`.
pub fn uri_of(operator: Address) -> String {
    format!("ipfs://candidate/{operator}")
}

/// The EIP-712 domain of the election at [`ELECTION`], computed here as a wallet would.
pub fn domain() -> B256 {
    eip712::domain_separator(EIP712_NAME, EIP712_VERSION, World::CHAIN_ID, ELECTION)
}

/// What a node key signs to serve `operator` in round `round_id`, computed locally.
pub fn candidacy_digest(round_id: U256, operator: Address) -> B256 {
    eip712::typed_data_digest(domain(), keccak256((CANDIDACY_TYPEHASH, round_id, operator).abi_encode()))
}

/// `key`'s candidacy proof for `operator` in round `round_id`.
pub fn candidacy_proof(key: &Key, round_id: U256, operator: Address) -> Bytes {
    Bytes::copy_from_slice(&key.sign(candidacy_digest(round_id, operator)))
}

/// What `voter` signs for `castVoteBySig`, computed locally.
pub fn ballot_digest(round_id: U256, candidate: Address, support: u8, voter: Address, nonce: u64) -> B256 {
    let struct_hash = keccak256((BALLOT_TYPEHASH, round_id, candidate, U256::from(support), voter, u(nonce)).abi_encode());
    eip712::typed_data_digest(domain(), struct_hash)
}

/// The pool's signer proof `key` gives `owner` (its `SignerProof(owner)` signature).
pub fn pool_proof(key: &Key, owner: Address) -> Bytes {
    SUITE.proof(key, owner)
}

/// The election with its token and pool. Voters, funded with wrapped METIS and delegated to
/// themselves at [`T0`]: alice (1,000 votes), bob (300) and carol (100); dave wrapped 1,000
/// METIS but never delegated. The clock is at `T0 + 1`; round 1 is due at [`FIRST`].
pub struct Env {
    pub world: World,
    pub alice: Key,
    pub bob: Key,
}

/// `UnexpectedPhase(round, phase, expected)`.
pub fn unexpected(round: U256, phase: u8, expected: u8) -> ISequencerElectionErrors {
    ISequencerElectionErrors::UnexpectedPhase(ISequencerElection::UnexpectedPhase { roundId: round, phase, expected })
}

/// The next round opened with `n` fresh candidates numbered from 1.
pub fn round_with(env: &Env, n: u8) -> (U256, Vec<Candidate>) {
    let id = env.open();
    let cs = candidates(n);
    for c in &cs {
        env.apply(id, c);
    }
    (id, cs)
}

impl Env {
    pub fn new() -> Self {
        let env = Self::bare();
        env.send(DEPLOYER, &env.initialize_call()).unwrap();
        env.fund_voters();
        env
    }

    /// Every contract placed and set up (metis-votes counting the pool's stake, the pool
    /// reporting to it and granting the election ADMISSION_ROLE), the election not initialized.
    pub fn bare() -> Self {
        let world = World::new();
        world.set_timestamp(T0);
        world.deploy(ELECTION, SequencerElection::program_0);
        world.deploy(MODULE, SequencerElection::program_1);
        SUITE.deploy(&world);
        world.send(ADMIN, POOL, &ILockingPool::grantRoleCall { role: ADMISSION_ROLE, account: ELECTION }).unwrap();
        Self { world, alice: Key::from_seed(1), bob: Key::from_seed(2) }
    }

    /// `initialize` with [`Rules::default_test`].
    pub fn initialize_call(&self) -> ISequencerElection::initializeCall {
        Self::initialize_with(Rules::default_test())
    }

    pub fn initialize_with(r: Rules) -> ISequencerElection::initializeCall {
        ISequencerElection::initializeCall {
            governance: GOV,
            votes: VOTES,
            pool: POOL,
            vetter: VETTER,
            firstRoundAt: FIRST,
            cadence: r.cadence,
            applicationPeriod: r.application,
            votingPeriod: r.voting,
            vettingPeriod: r.vetting,
            seats: r.seats,
            maxCandidates: r.max_candidates,
            minVoters: r.min_voters,
            approvalBps: r.approval_bps,
            quorumBps: r.quorum_bps,
            quorum: r.quorum,
            programs: vec![MODULE],
        }
    }

    fn fund_voters(&self) {
        for (holder, amount) in [(self.alice(), 1_000), (self.bob(), 300), (CAROL, 100)] {
            self.holder(holder, e18(amount));
        }
        self.fund(DAVE, e18(1_000));
        self.wrap(DAVE, e18(1_000));
        self.world.warp(1);
    }

    pub fn alice(&self) -> Address {
        self.alice.address()
    }

    pub fn bob(&self) -> Address {
        self.bob.address()
    }

    pub fn now(&self) -> u64 {
        self.world.timestamp()
    }

    /// Moves the clock to `timestamp` (forward only).
    pub fn warp_to(&self, timestamp: u64) {
        assert!(timestamp >= self.now(), "time only moves forward");
        self.world.warp(timestamp - self.now());
    }

    // ------------------------------------------------------------------------ calls

    pub fn send<C: SolCall>(&self, from: Address, call: &C) -> Result<Outcome<C::Return>, Revert> {
        self.world.send(from, ELECTION, call)
    }

    /// An election call expected to fail, its error decoded.
    pub fn fail<C: SolCall>(&self, from: Address, call: &C) -> ISequencerElectionErrors {
        self.world.fail(from, ELECTION, call)
    }

    pub fn view<C: SolCall>(&self, call: &C) -> C::Return {
        self.world.view(ELECTION, call)
    }

    /// The logs the election itself emitted, decoded as `E`.
    pub fn own<E: SolEvent>(logs: &[Log]) -> Vec<E> {
        logs.iter().filter(|l| l.address == ELECTION).filter_map(|l| l.decode::<E>()).collect()
    }

    // ------------------------------------------------------------------------ tokens

    /// Mints `amount` METIS to `holder`, approved to metis-votes and the pool.
    pub fn fund(&self, holder: Address, amount: U256) {
        SUITE.mint(&self.world, holder, amount, VOTES);
    }

    pub fn wrap(&self, holder: Address, amount: U256) {
        self.world.send(holder, VOTES, &IMetisVotes::depositForCall { account: holder, value: amount }).unwrap();
    }

    pub fn delegate(&self, holder: Address, to: Address) {
        self.world.send(holder, VOTES, &IMetisVotes::delegateCall { delegatee: to }).unwrap();
    }

    /// Funds, wraps and self-delegates `amount` for `holder`.
    pub fn holder(&self, holder: Address, amount: U256) {
        self.fund(holder, amount);
        self.wrap(holder, amount);
        self.delegate(holder, holder);
    }

    pub fn transfer_votes(&self, from: Address, to: Address, amount: U256) {
        self.world.send(from, VOTES, &IMetisVotes::transferCall { to, value: amount }).unwrap();
    }

    pub fn past_votes(&self, account: Address, timepoint: u64) -> U256 {
        self.world.view(VOTES, &IMetisVotes::getPastVotesCall { account, timepoint: u(timepoint) })
    }

    pub fn past_total(&self, timepoint: u64) -> U256 {
        self.world.view(VOTES, &IMetisVotes::getPastTotalSupplyCall { timepoint: u(timepoint) })
    }

    // ------------------------------------------------------------------------ the pool

    pub fn pool_send<C: SolCall>(&self, from: Address, call: &C) -> Result<Outcome<C::Return>, Revert> {
        self.world.send(from, POOL, call)
    }

    pub fn pool_fail<C: SolCall>(&self, from: Address, call: &C) -> ILockingPoolErrors {
        self.world.fail(from, POOL, call)
    }

    pub fn whitelisted(&self, user: Address) -> bool {
        self.world.view(POOL, &ILockingPool::whitelistCall { user })
    }

    /// The pool admin whitelists `owner` by hand.
    pub fn pool_admit(&self, owner: Address, yes: bool) {
        self.pool_send(ADMIN, &ILockingPool::setWhitelistCall { user: owner, yes }).unwrap();
    }

    /// `lockFor(key, amount)` from `owner` (funded here): registers its sequencer in the pool.
    pub fn register(&self, owner: Address, key: &Key, amount: U256) -> Result<Outcome<U256>, Revert> {
        SUITE.register(&self.world, owner, key, amount)
    }

    // ------------------------------------------------------------------------ rounds

    pub fn round(&self, id: U256) -> ISequencerElection::roundReturn {
        self.view(&ISequencerElection::roundCall { roundId: id })
    }

    pub fn phase(&self, id: U256) -> u8 {
        self.view(&ISequencerElection::phaseCall { roundId: id })
    }

    pub fn next_round_at(&self) -> u64 {
        self.view(&ISequencerElection::nextRoundAtCall {})
    }

    /// Warps to the next due slot (if not there yet) and opens the round.
    pub fn open(&self) -> U256 {
        let due = self.next_round_at();
        if self.now() < due {
            self.warp_to(due);
        }
        self.send(MALLORY, &ISequencerElection::openRoundCall {}).unwrap().value
    }

    pub fn voting_start(&self, id: U256) -> u64 {
        self.round(id).votingStart
    }

    pub fn voting_end(&self, id: U256) -> u64 {
        self.round(id).votingEnd
    }

    pub fn vetting_end(&self, id: U256) -> u64 {
        self.round(id).vettingEnd
    }

    /// Warps to the first second of voting.
    pub fn to_voting(&self, id: U256) {
        self.warp_to(self.voting_start(id) + 1);
    }

    /// Warps to the first second of vetting.
    pub fn to_vetting(&self, id: U256) {
        self.warp_to(self.voting_end(id) + 1);
    }

    /// Warps to the first second the round may be finalized.
    pub fn to_end(&self, id: U256) {
        self.warp_to(self.vetting_end(id) + 1);
    }

    pub fn apply_call(&self, id: U256, c: &Candidate) -> ISequencerElection::applyAsCandidateCall {
        ISequencerElection::applyAsCandidateCall {
            roundId: id,
            signer: c.signer(),
            metadataURI: uri_of(c.operator),
            signerProof: candidacy_proof(&c.key, id, c.operator),
        }
    }

    /// `c` applies in round `id` with its key's proof.
    pub fn apply(&self, id: U256, c: &Candidate) -> Outcome<ISequencerElection::applyAsCandidateReturn> {
        self.send(c.operator, &self.apply_call(id, c)).unwrap_or_else(|e| panic!("apply {}: {e:?}", c.operator))
    }

    pub fn vote(&self, voter: Address, id: U256, candidate: Address, support: u8) -> Outcome<U256> {
        self.send(voter, &ISequencerElection::castVoteCall { roundId: id, candidate, support })
            .unwrap_or_else(|e| panic!("vote of {voter}: {e:?}"))
    }

    pub fn candidate(&self, id: U256, operator: Address) -> ISequencerElection::candidateReturn {
        self.view(&ISequencerElection::candidateCall { roundId: id, operator })
    }

    pub fn status(&self, id: U256, operator: Address) -> u8 {
        self.candidate(id, operator).status
    }

    /// `(for, against, abstain, voters)` of a candidate.
    pub fn tally(&self, id: U256, operator: Address) -> (U256, U256, U256, U256) {
        let c = self.candidate(id, operator);
        (c.votesFor, c.votesAgainst, c.votesAbstain, c.voters)
    }

    pub fn has_voted(&self, id: U256, candidate: Address, voter: Address) -> bool {
        self.view(&ISequencerElection::hasVotedCall { roundId: id, candidate, voter })
    }

    pub fn finalize(&self, id: U256) -> Result<Outcome<U256>, Revert> {
        self.send(MALLORY, &ISequencerElection::finalizeCall { roundId: id })
    }
}
