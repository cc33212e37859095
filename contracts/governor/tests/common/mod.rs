//! The governor deployed in a [`World`]: metis-votes (over a METIS mock) as its token, a native
//! TimelockController stand-in that records what the governor schedules and performs the calls,
//! voters with wrapped and delegated METIS, and helpers that take each step through the real
//! ABI.
#![allow(dead_code)]

use alloy_primitives::{address, keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent, SolValue};
use dseq_abi::{
    governor::{IGovernor, IGovernor::IGovernorErrors, BALLOT_TYPEHASH, EXTENDED_BALLOT_TYPEHASH},
    metis_votes::IMetisVotes,
};
use dseq_kit::eip712;
use governor::Governor;
use metis_votes::MetisVotes;
use stylus_world::{
    keys::Key,
    mocks::{IMockToken, MockToken},
    Log, NativeContract, NativeCtx, Outcome, Revert, World,
};

pub const GOV: Address = address!("00000000000000000000000000000000000d0001");
pub const MODULE: Address = address!("00000000000000000000000000000000000d0002");
pub const VOTES: Address = address!("00000000000000000000000000000000000d0003");
pub const METIS: Address = address!("00000000000000000000000000000000000d0004");
pub const TIMELOCK: Address = address!("00000000000000000000000000000000000d0005");
pub const TARGET: Address = address!("00000000000000000000000000000000000d0006");
pub const WALLET: Address = address!("00000000000000000000000000000000000d0007");
pub const DEPLOYER: Address = address!("000000000000000000000000000000000000de91");
pub const GUARDIAN: Address = address!("0000000000000000000000000000000000000c01");
pub const CAROL: Address = address!("00000000000000000000000000000000000ca201");
pub const DAVE: Address = address!("000000000000000000000000000000000000da7e");
pub const MALLORY: Address = address!("000000000000000000000000000000000000bad1");

pub const T0: u64 = 1_000_000;
pub const VOTING_DELAY: u64 = 100;
pub const VOTING_PERIOD: u64 = 1_000;
pub const LATE_EXTENSION: u64 = 200;
pub const MIN_DELAY: u64 = 500;
pub const QUORUM_PERCENT: u64 = 4;
pub const CHAIN_ID: u64 = 31337;

/// `n` whole tokens.
pub fn e18(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18))
}

pub fn u(n: u64) -> U256 {
    U256::from(n)
}

/// The proposal threshold.
pub fn threshold() -> U256 {
    e18(10)
}

sol! {
    /// The timelock stand-in: OpenZeppelin's TimelockController functions the governor calls,
    /// its events, and test controls.
    interface IMockTimelock {
        event CallScheduled(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data, bytes32 predecessor, uint256 delay);
        event CallExecuted(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data);
        event CallSalt(bytes32 indexed id, bytes32 salt);
        event Cancelled(bytes32 indexed id);

        error TimelockUnexpectedOperationState(bytes32 operationId, bytes32 expectedStates);
        error TimelockInsufficientDelay(uint256 delay, uint256 minDelay);
        error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);

        function getMinDelay() external view returns (uint256);
        function isOperationPending(bytes32 id) external view returns (bool);
        function isOperationDone(bytes32 id) external view returns (bool);
        function getTimestamp(bytes32 id) external view returns (uint256);
        function hashOperationBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt) external pure returns (bytes32);
        function scheduleBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt, uint256 delay) external;
        function executeBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt) external payable;
        function cancel(bytes32 id) external;
        /// Test control: the one proposer, an extra canceller (a guardian) and the minimum delay.
        function setup(address proposer, address canceller, uint256 minDelay) external;
    }

    /// A proposal target that records its calls.
    interface ITarget {
        event Called(address sender, uint256 number);
        function poke(uint256 number) external;
        function fail() external;
        /// Calls `to` with `data` and reverts with its revert data if it fails.
        function forward(address to, bytes data) external;
    }

    /// A contract wallet (ERC-1271) that approves chosen digests.
    interface IMockWallet {
        function approveDigest(bytes32 digest) external;
        function isValidSignature(bytes32 hash, bytes signature) external view returns (bytes4);
    }
}

fn load(ctx: &NativeCtx, key: U256) -> U256 {
    U256::from_be_bytes(ctx.sload(key).0)
}

fn store(ctx: &mut NativeCtx, key: U256, value: U256) {
    ctx.sstore(key, B256::from(value));
}

fn slot_of(id: B256) -> U256 {
    U256::from_be_bytes(keccak256((id, U256::from(7)).abi_encode()).0)
}

const PROPOSER_SLOT: u64 = 0;
const CANCELLER_SLOT: u64 = 1;
const DELAY_SLOT: u64 = 2;
const DONE: u64 = 1;

/// OpenZeppelin's `hashOperationBatch`, computed with alloy.
pub fn operation_id(targets: &[Address], values: &[U256], payloads: &[Bytes], predecessor: B256, salt: B256) -> B256 {
    keccak256((targets.to_vec(), values.to_vec(), payloads.to_vec(), predecessor, salt).abi_encode_params())
}

/// A TimelockController stand-in with OpenZeppelin's rules for what the governor uses:
/// `scheduleBatch` by the proposer with at least the minimum delay, `executeBatch` by anyone
/// once ready (the calls run as the timelock; a failing call's revert data passes through),
/// `cancel` by the proposer or the canceller while pending.
pub struct MockTimelock;

impl NativeContract for MockTimelock {
    fn call(&self, ctx: &mut NativeCtx, input: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        use IMockTimelock::*;
        let selector: [u8; 4] = input.get(..4).and_then(|s| s.try_into().ok()).ok_or_else(Vec::new)?;
        let bad = |_| Vec::new();
        let state_error = |id: B256, bit: u8| TimelockUnexpectedOperationState { operationId: id, expectedStates: B256::with_last_byte(bit) }.abi_encode();
        match selector {
            setupCall::SELECTOR => {
                let c = setupCall::abi_decode(input).map_err(bad)?;
                ctx.sstore(U256::from(PROPOSER_SLOT), c.proposer.into_word());
                ctx.sstore(U256::from(CANCELLER_SLOT), c.canceller.into_word());
                store(ctx, U256::from(DELAY_SLOT), c.minDelay);
                Ok(Vec::new())
            }
            getMinDelayCall::SELECTOR => Ok(load(ctx, U256::from(DELAY_SLOT)).abi_encode()),
            getTimestampCall::SELECTOR => {
                let c = getTimestampCall::abi_decode(input).map_err(bad)?;
                Ok(load(ctx, slot_of(c.id)).abi_encode())
            }
            isOperationPendingCall::SELECTOR => {
                let c = isOperationPendingCall::abi_decode(input).map_err(bad)?;
                Ok((load(ctx, slot_of(c.id)) > U256::from(DONE)).abi_encode())
            }
            isOperationDoneCall::SELECTOR => {
                let c = isOperationDoneCall::abi_decode(input).map_err(bad)?;
                Ok((load(ctx, slot_of(c.id)) == U256::from(DONE)).abi_encode())
            }
            hashOperationBatchCall::SELECTOR => {
                let c = hashOperationBatchCall::abi_decode(input).map_err(bad)?;
                Ok(operation_id(&c.targets, &c.values, &c.payloads, c.predecessor, c.salt).abi_encode())
            }
            scheduleBatchCall::SELECTOR => {
                let c = scheduleBatchCall::abi_decode(input).map_err(bad)?;
                let proposer = Address::from_word(ctx.sload(U256::from(PROPOSER_SLOT)));
                if ctx.sender() != proposer {
                    return Err(AccessControlUnauthorizedAccount { account: ctx.sender(), neededRole: keccak256("PROPOSER_ROLE") }.abi_encode());
                }
                let min = load(ctx, U256::from(DELAY_SLOT));
                if c.delay < min {
                    return Err(TimelockInsufficientDelay { delay: c.delay, minDelay: min }.abi_encode());
                }
                let id = operation_id(&c.targets, &c.values, &c.payloads, c.predecessor, c.salt);
                if !load(ctx, slot_of(id)).is_zero() {
                    return Err(state_error(id, 1));
                }
                store(ctx, slot_of(id), U256::from(ctx.timestamp()) + c.delay);
                for (i, target) in c.targets.iter().enumerate() {
                    ctx.emit(&CallScheduled {
                        id,
                        index: U256::from(i),
                        target: *target,
                        value: c.values[i],
                        data: c.payloads[i].clone(),
                        predecessor: c.predecessor,
                        delay: c.delay,
                    });
                }
                if !c.salt.is_zero() {
                    ctx.emit(&CallSalt { id, salt: c.salt });
                }
                Ok(Vec::new())
            }
            executeBatchCall::SELECTOR => {
                let c = executeBatchCall::abi_decode(input).map_err(bad)?;
                let id = operation_id(&c.targets, &c.values, &c.payloads, c.predecessor, c.salt);
                let at = load(ctx, slot_of(id));
                if at <= U256::from(DONE) || at > U256::from(ctx.timestamp()) {
                    return Err(state_error(id, 1 << 2));
                }
                for (i, target) in c.targets.iter().enumerate() {
                    ctx.call(*target, c.payloads[i].to_vec())?;
                    ctx.emit(&CallExecuted { id, index: U256::from(i), target: *target, value: c.values[i], data: c.payloads[i].clone() });
                }
                store(ctx, slot_of(id), U256::from(DONE));
                Ok(Vec::new())
            }
            cancelCall::SELECTOR => {
                let c = cancelCall::abi_decode(input).map_err(bad)?;
                let (proposer, canceller) = (
                    Address::from_word(ctx.sload(U256::from(PROPOSER_SLOT))),
                    Address::from_word(ctx.sload(U256::from(CANCELLER_SLOT))),
                );
                if ctx.sender() != proposer && ctx.sender() != canceller {
                    return Err(AccessControlUnauthorizedAccount { account: ctx.sender(), neededRole: keccak256("CANCELLER_ROLE") }.abi_encode());
                }
                if load(ctx, slot_of(c.id)) <= U256::from(DONE) {
                    return Err(state_error(c.id, 0b110));
                }
                store(ctx, slot_of(c.id), U256::ZERO);
                ctx.emit(&Cancelled { id: c.id });
                Ok(Vec::new())
            }
            _ => Err(Vec::new()),
        }
    }
}

/// A proposal target: `poke` records its caller, `fail` reverts, `forward` calls on.
pub struct Target;

impl NativeContract for Target {
    fn call(&self, ctx: &mut NativeCtx, input: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        use ITarget::*;
        let selector: [u8; 4] = input.get(..4).and_then(|s| s.try_into().ok()).ok_or_else(Vec::new)?;
        match selector {
            pokeCall::SELECTOR => {
                let c = pokeCall::abi_decode(input).map_err(|_| Vec::new())?;
                ctx.emit(&Called { sender: ctx.sender(), number: c.number });
                Ok(Vec::new())
            }
            failCall::SELECTOR => Err(b"Target: failed".to_vec()),
            forwardCall::SELECTOR => {
                let c = forwardCall::abi_decode(input).map_err(|_| Vec::new())?;
                ctx.call(c.to, c.data.to_vec())
            }
            _ => Err(Vec::new()),
        }
    }
}

/// An ERC-1271 wallet: a digest it approved is validly signed by any signature.
pub struct MockWallet;

impl NativeContract for MockWallet {
    fn call(&self, ctx: &mut NativeCtx, input: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        use IMockWallet::*;
        let selector: [u8; 4] = input.get(..4).and_then(|s| s.try_into().ok()).ok_or_else(Vec::new)?;
        match selector {
            approveDigestCall::SELECTOR => {
                let c = approveDigestCall::abi_decode(input).map_err(|_| Vec::new())?;
                store(ctx, slot_of(c.digest), U256::from(1));
                Ok(Vec::new())
            }
            isValidSignatureCall::SELECTOR => {
                let c = isValidSignatureCall::abi_decode(input).map_err(|_| Vec::new())?;
                let magic = if load(ctx, slot_of(c.hash)) == U256::from(1) { [0x16, 0x26, 0xba, 0x7e] } else { [0xff; 4] };
                Ok(alloy_primitives::FixedBytes::<4>::from(magic).abi_encode())
            }
            _ => Err(Vec::new()),
        }
    }
}

/// One proposal: its actions and description.
#[derive(Clone, Debug)]
pub struct Proposal {
    pub targets: Vec<Address>,
    pub values: Vec<U256>,
    pub calldatas: Vec<Bytes>,
    pub description: String,
}

impl Proposal {
    /// A proposal that pokes [`TARGET`] with `number`.
    pub fn poke(number: u64, description: &str) -> Self {
        Self::call(TARGET, ITarget::pokeCall { number: u(number) }.abi_encode(), description)
    }

    /// A proposal of one call to `target`.
    pub fn call(target: Address, data: Vec<u8>, description: &str) -> Self {
        Self { targets: vec![target], values: vec![U256::ZERO], calldatas: vec![data.into()], description: description.into() }
    }

    pub fn description_hash(&self) -> B256 {
        keccak256(self.description.as_bytes())
    }

    /// `uint256(keccak256(abi.encode(targets, values, calldatas, descriptionHash)))`, with alloy.
    pub fn id(&self) -> U256 {
        let encoded = (self.targets.clone(), self.values.clone(), self.calldatas.clone(), self.description_hash()).abi_encode_params();
        U256::from_be_bytes(keccak256(encoded).0)
    }

    /// The timelock salt: `bytes20(governor) ^ descriptionHash`.
    pub fn salt(&self) -> B256 {
        let mut salt = self.description_hash();
        for (byte, g) in salt.0.iter_mut().zip(GOV.0.iter()) {
            *byte ^= g;
        }
        salt
    }

    /// The timelock operation id of the queued proposal.
    pub fn operation_id(&self) -> B256 {
        operation_id(&self.targets, &self.values, &self.calldatas, B256::ZERO, self.salt())
    }

    pub fn propose_call(&self) -> IGovernor::proposeCall {
        IGovernor::proposeCall {
            targets: self.targets.clone(),
            values: self.values.clone(),
            calldatas: self.calldatas.clone(),
            description: self.description.clone(),
        }
    }

    pub fn queue_call(&self) -> IGovernor::queueCall {
        IGovernor::queueCall {
            targets: self.targets.clone(),
            values: self.values.clone(),
            calldatas: self.calldatas.clone(),
            descriptionHash: self.description_hash(),
        }
    }

    pub fn execute_call(&self) -> IGovernor::executeCall {
        IGovernor::executeCall {
            targets: self.targets.clone(),
            values: self.values.clone(),
            calldatas: self.calldatas.clone(),
            descriptionHash: self.description_hash(),
        }
    }

    pub fn cancel_call(&self) -> IGovernor::cancelCall {
        IGovernor::cancelCall {
            targets: self.targets.clone(),
            values: self.values.clone(),
            calldatas: self.calldatas.clone(),
            descriptionHash: self.description_hash(),
        }
    }
}

/// The governor with its token and timelock, and three funded, self-delegated voters: alice
/// (1,000 votes), bob (300) and carol (100); dave holds METIS but no votes.
pub struct Env {
    pub world: World,
    pub alice: Key,
    pub bob: Key,
}

impl Env {
    pub fn new() -> Self {
        let env = Self::bare();
        env.send(DEPLOYER, &env.initialize_call()).unwrap();
        env.world.send(DEPLOYER, TIMELOCK, &IMockTimelock::setupCall { proposer: GOV, canceller: GUARDIAN, minDelay: u(MIN_DELAY) }).unwrap();
        env.fund_voters();
        env
    }

    /// [`Env::new`] with contracts/timelock (OpenZeppelin's TimelockController in Stylus) in
    /// place of the stand-in: the governor its only proposer, anyone an executor, [`GUARDIAN`]
    /// an extra canceller.
    pub fn with_real_timelock() -> Self {
        let env = Self::bare();
        env.world.deploy_self_reentrant(TIMELOCK, timelock::Timelock::program_0);
        env.world
            .send(DEPLOYER, TIMELOCK, &dseq_abi::timelock::ITimelock::initializeCall {
                minDelay: u(MIN_DELAY),
                proposers: vec![GOV],
                executors: vec![Address::ZERO],
                cancellers: vec![GUARDIAN],
            })
            .unwrap();
        env.send(DEPLOYER, &env.initialize_call()).unwrap();
        env.fund_voters();
        env
    }

    fn fund_voters(&self) {
        let (alice, bob) = (self.alice(), self.bob());
        for (holder, amount) in [(alice, 1_000), (bob, 300), (CAROL, 100)] {
            self.fund(holder, e18(amount));
            self.wrap(holder, e18(amount));
            self.delegate(holder, holder);
        }
        self.fund(DAVE, e18(1_000));
        self.world.warp(1);
    }

    /// Every contract placed, metis-votes initialized, the governor not.
    pub fn bare() -> Self {
        let world = World::new();
        world.set_timestamp(T0);
        world.deploy(VOTES, MetisVotes::program_0);
        world.deploy_native(METIS, MockToken);
        // The governor's router decides on re-entry itself (it accepts its timelock).
        world.deploy_self_reentrant(GOV, Governor::program_0);
        world.deploy(MODULE, Governor::program_1);
        world.deploy_native(TIMELOCK, MockTimelock);
        world.deploy_native(TARGET, Target);
        world.deploy_native(WALLET, MockWallet);
        world.send(DEPLOYER, VOTES, &IMetisVotes::initializeCall { underlying: METIS, stakeSource: Address::ZERO }).unwrap();
        Self { world, alice: Key::from_seed(1), bob: Key::from_seed(2) }
    }

    pub fn initialize_call(&self) -> IGovernor::initializeCall {
        IGovernor::initializeCall {
            token: VOTES,
            timelock: TIMELOCK,
            votingDelay: alloy_primitives::aliases::U48::from(VOTING_DELAY),
            votingPeriod: VOTING_PERIOD as u32,
            proposalThreshold: threshold(),
            quorumNumerator: u(QUORUM_PERCENT),
            lateQuorumVoteExtension: alloy_primitives::aliases::U48::from(LATE_EXTENSION),
            programs: vec![MODULE],
        }
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

    pub fn send<C: SolCall>(&self, from: Address, call: &C) -> Result<Outcome<C::Return>, Revert> {
        self.world.send(from, GOV, call)
    }

    /// A governor call expected to fail, its error decoded.
    pub fn fail<C: SolCall>(&self, from: Address, call: &C) -> IGovernorErrors {
        self.world.fail(from, GOV, call)
    }

    pub fn view<C: SolCall>(&self, call: &C) -> C::Return {
        self.world.view(GOV, call)
    }

    pub fn fund(&self, holder: Address, amount: U256) {
        self.world.send(holder, METIS, &IMockToken::mintCall { to: holder, value: amount }).unwrap();
        self.world.send(holder, METIS, &IMockToken::approveCall { spender: VOTES, value: U256::MAX }).unwrap();
    }

    pub fn wrap(&self, holder: Address, amount: U256) {
        self.world.send(holder, VOTES, &IMetisVotes::depositForCall { account: holder, value: amount }).unwrap();
    }

    pub fn delegate(&self, holder: Address, to: Address) {
        self.world.send(holder, VOTES, &IMetisVotes::delegateCall { delegatee: to }).unwrap();
    }

    pub fn transfer_votes(&self, from: Address, to: Address, amount: U256) {
        self.world.send(from, VOTES, &IMetisVotes::transferCall { to, value: amount }).unwrap();
    }

    pub fn total_votes(&self, timepoint: u64) -> U256 {
        self.world.view(VOTES, &IMetisVotes::getPastTotalSupplyCall { timepoint: u(timepoint) })
    }

    /// Proposes `p` from `from`, returning the id.
    pub fn propose(&self, from: Address, p: &Proposal) -> U256 {
        self.send(from, &p.propose_call()).unwrap().value
    }

    pub fn vote(&self, from: Address, id: U256, support: u8) -> Outcome<U256> {
        self.send(from, &IGovernor::castVoteCall { proposalId: id, support }).unwrap()
    }

    pub fn state(&self, id: U256) -> u8 {
        self.view(&IGovernor::stateCall { proposalId: id })
    }

    pub fn snapshot(&self, id: U256) -> u64 {
        self.view(&IGovernor::proposalSnapshotCall { proposalId: id }).to::<u64>()
    }

    pub fn deadline(&self, id: U256) -> u64 {
        self.view(&IGovernor::proposalDeadlineCall { proposalId: id }).to::<u64>()
    }

    pub fn votes(&self, id: U256) -> (U256, U256, U256) {
        let v = self.view(&IGovernor::proposalVotesCall { proposalId: id });
        (v.againstVotes, v.forVotes, v.abstainVotes)
    }

    /// Proposes `p` from alice, lets the vote open, has alice vote For and closes the vote:
    /// `p` is Succeeded.
    pub fn pass(&self, p: &Proposal) -> U256 {
        let id = self.propose(self.alice(), p);
        self.warp_to(self.snapshot(id) + 1);
        self.vote(self.alice(), id, 1);
        self.warp_to(self.deadline(id) + 1);
        id
    }

    /// [`Env::pass`], queue, wait out the timelock delay and execute: the execution's outcome.
    pub fn pass_and_execute(&self, p: &Proposal) -> Result<Outcome<U256>, Revert> {
        self.pass(p);
        self.send(DAVE, &p.queue_call()).unwrap();
        self.world.warp(MIN_DELAY);
        self.send(DAVE, &p.execute_call())
    }

    /// The EIP-712 digest `voter` signs for a `Ballot`, for the governor at `contract` on `chain`.
    pub fn ballot_digest(&self, id: U256, support: u8, voter: Address, nonce: u64, chain: u64, contract: Address) -> B256 {
        let struct_hash = keccak256((BALLOT_TYPEHASH, id, U256::from(support), voter, u(nonce)).abi_encode());
        eip712::typed_data_digest(eip712::domain_separator("dseq Governor", "1", chain, contract), struct_hash)
    }

    /// The digest of an `ExtendedBallot`.
    pub fn extended_ballot_digest(&self, id: U256, support: u8, voter: Address, nonce: u64, reason: &str, params: &[u8]) -> B256 {
        let struct_hash = keccak256(
            (EXTENDED_BALLOT_TYPEHASH, id, U256::from(support), voter, u(nonce), keccak256(reason.as_bytes()), keccak256(params)).abi_encode(),
        );
        eip712::typed_data_digest(eip712::domain_separator("dseq Governor", "1", CHAIN_ID, GOV), struct_hash)
    }

    /// The logs the governor itself emitted, decoded as `E`.
    pub fn own<E: SolEvent>(logs: &[Log]) -> Vec<E> {
        logs.iter().filter(|l| l.address == GOV).filter_map(|l| l.decode::<E>()).collect()
    }
}
