//! The registry deployed in a [`World`] with what it governs: the pool's suite (`pool-world`:
//! locking-pool with its four programs, naming the registry, metis-votes and a METIS mock), two running sequencers, and LSTs funded with METIS. Helpers take each
//! step through the real ABI; LSTs are plain accounts here (the devnode suite uses a Solidity
//! vault).
#![allow(dead_code, unused_imports)]

use alloy_primitives::{address, Address, U256};
use alloy_sol_types::{SolCall, SolEvent};
use dseq_abi::{
    locking_pool::{ILockingPool, ILockingPool::ILockingPoolErrors},
    lst::{ILstRegistry, ILstRegistry::ILstRegistryErrors},
    metis_votes::IMetisVotes,
};
use lst_registry::LstRegistry;
use pool_world::PoolSuite;
use stylus_world::{keys::Key, mocks::IMockToken, Log, Outcome, Revert, World};

pub const REGISTRY: Address = address!("00000000000000000000000000000000000c0101");
/// The pool, its voting token and METIS.
pub const SUITE: PoolSuite = PoolSuite::at(0x0c00, ADMIN);
pub const POOL: Address = SUITE.pool;
pub const VOTES: Address = SUITE.votes;
pub const METIS: Address = SUITE.metis;

/// The registry's governance (the timelock in production).
pub const GOV: Address = address!("0000000000000000000000000000000000006001");
/// The pool's admin (every pool role).
pub const ADMIN: Address = address!("00000000000000000000000000000000000ad001");
pub const ALICE: Address = address!("00000000000000000000000000000000000a11ce");
pub const BOB: Address = address!("0000000000000000000000000000000000000b0b");
pub const CAROL: Address = address!("00000000000000000000000000000000000ca201");
pub const MALLORY: Address = address!("000000000000000000000000000000000000bad1");
/// Two LSTs (Artemis and Enki stand-ins) and one never approved.
pub const LST_A: Address = address!("00000000000000000000000000000000000057a1");
pub const LST_B: Address = address!("00000000000000000000000000000000000057b2");
pub const IMPOSTOR: Address = address!("00000000000000000000000000000000000057ff");

pub const MAX_PAIRINGS: u32 = 2;
pub const DAY: u64 = 24 * 3600;
pub const EXIT_DELAY: u64 = 21 * DAY;
/// What each LST is funded with.
pub const LST_FUNDS: u64 = 500_000;

pub fn metis(n: u64) -> U256 {
    U256::from(n) * dseq_abi::locking_pool::METIS
}

pub fn u(n: u64) -> U256 {
    U256::from(n)
}

pub fn id(n: u64) -> U256 {
    U256::from(n)
}

/// The world, the registry initialized, sequencer 1 (ALICE, 30,000 METIS) and 2 (BOB, 30,000),
/// LST_A approved as "Artemis" (cap 200,000) and LST_B as "Enki" (cap 100,000), both funded.
pub struct Env {
    pub world: World,
}

impl Env {
    pub fn new() -> Self {
        let env = Self::bare();
        env.send(GOV, &ILstRegistry::initializeCall { governance: GOV, pool: POOL, maxPairingsPerLst: MAX_PAIRINGS })
            .unwrap();
        env.register(ALICE, 1, metis(30_000));
        env.register(BOB, 2, metis(30_000));
        env.approve(LST_A, "Artemis", metis(200_000));
        env.approve(LST_B, "Enki", metis(100_000));
        for lst in [LST_A, LST_B, IMPOSTOR] {
            env.fund(lst, metis(LST_FUNDS));
        }
        env
    }

    /// Every contract placed, the pool set up (voting token, registry), the registry not initialized.
    pub fn bare() -> Self {
        let world = World::new();
        world.set_timestamp(1_000_000);
        world.deploy(REGISTRY, LstRegistry::program_0);
        SUITE.deploy(&world);
        world.send(ADMIN, POOL, &ILockingPool::setLstRegistryCall { registry: REGISTRY }).unwrap();
        Self { world }
    }

    // ------------------------------------------------------------------------ calls

    pub fn send<C: SolCall>(&self, from: Address, call: &C) -> Result<Outcome<C::Return>, Revert> {
        self.world.send(from, REGISTRY, call)
    }

    /// A registry call expected to fail, its error decoded.
    pub fn fail<C: SolCall>(&self, from: Address, call: &C) -> ILstRegistryErrors {
        self.world.fail(from, REGISTRY, call)
    }

    /// A registry call expected to fail with one of the pool's errors (passed through).
    pub fn fail_in_pool<C: SolCall>(&self, from: Address, call: &C) -> ILockingPoolErrors {
        self.world.fail(from, REGISTRY, call)
    }

    pub fn view<C: SolCall>(&self, call: &C) -> C::Return {
        self.world.view(REGISTRY, call)
    }

    pub fn pool_send<C: SolCall>(&self, from: Address, call: &C) -> Result<Outcome<C::Return>, Revert> {
        self.world.send(from, POOL, call)
    }

    pub fn pool_fail<C: SolCall>(&self, from: Address, call: &C) -> ILockingPoolErrors {
        self.world.fail(from, POOL, call)
    }

    pub fn pool_view<C: SolCall>(&self, call: &C) -> C::Return {
        self.world.view(POOL, call)
    }

    /// The logs `at` emitted, decoded as `E`.
    pub fn events_of<E: SolEvent>(logs: &[Log], at: Address) -> Vec<E> {
        logs.iter().filter(|l| l.address == at).filter_map(|l| l.decode::<E>()).collect()
    }

    // ------------------------------------------------------------------------ tokens

    /// Mints `amount` METIS to `holder`, approved to the pool.
    pub fn fund(&self, holder: Address, amount: U256) {
        SUITE.mint(&self.world, holder, amount, POOL);
    }

    pub fn balance(&self, account: Address) -> U256 {
        self.world.view(METIS, &IMockToken::balanceOfCall { account })
    }

    pub fn votes(&self, account: Address) -> U256 {
        self.world.view(VOTES, &IMetisVotes::getVotesCall { account })
    }

    // ------------------------------------------------------------------------ the pool

    /// Admits, funds and registers `owner` with node key seed `seed` and `amount`; returns its id.
    pub fn register(&self, owner: Address, seed: u64, amount: U256) -> U256 {
        self.pool_send(ADMIN, &ILockingPool::setWhitelistCall { user: owner, yes: true }).unwrap();
        SUITE.register(&self.world, owner, &Key::from_seed(seed), amount).unwrap().value
    }

    pub fn delegation(&self, seq: U256) -> ILockingPool::delegationReturn {
        self.pool_view(&ILockingPool::delegationCall { sequencerId: seq })
    }

    pub fn account(&self, lst: Address) -> ILockingPool::lstAccountReturn {
        self.pool_view(&ILockingPool::lstAccountCall { lst })
    }

    pub fn request(&self, lst: Address, request_id: u64) -> ILockingPool::delegatedWithdrawalReturn {
        self.pool_view(&ILockingPool::delegatedWithdrawalCall { lst, requestId: request_id })
    }

    pub fn total_locked(&self) -> U256 {
        self.pool_view(&ILockingPool::totalLockedCall {})
    }

    pub fn total_pending(&self) -> U256 {
        self.pool_view(&ILockingPool::totalPendingWithdrawalsCall {})
    }

    /// The pool holds exactly what it accounts for.
    pub fn assert_conserved(&self) {
        assert_eq!(self.balance(POOL), self.total_locked() + self.total_pending(), "pool balance != locked + pending");
    }

    // ------------------------------------------------------------------------ the registry

    pub fn approve(&self, lst: Address, name: &str, cap: U256) -> Outcome<ILstRegistry::approveLstReturn> {
        self.send(GOV, &ILstRegistry::approveLstCall { lst, name: name.into(), cap }).unwrap()
    }

    pub fn info(&self, lst: Address) -> ILstRegistry::lstInfoReturn {
        self.view(&ILstRegistry::lstInfoCall { lst })
    }

    pub fn set_status(&self, lst: Address, status: u8) -> Outcome<ILstRegistry::setLstStatusReturn> {
        self.send(GOV, &ILstRegistry::setLstStatusCall { lst, status }).unwrap()
    }

    pub fn offer(&self, from: Address, seq: U256, lst: Address) -> Result<Outcome<ILstRegistry::offerPairingReturn>, Revert> {
        self.send(from, &ILstRegistry::offerPairingCall { sequencerId: seq, lst })
    }

    pub fn accept(&self, from: Address, seq: U256, lst: Address) -> Result<Outcome<ILstRegistry::acceptPairingReturn>, Revert> {
        self.send(from, &ILstRegistry::acceptPairingCall { sequencerId: seq, lst })
    }

    /// The operator offers, the LST accepts.
    pub fn pair(&self, operator: Address, seq: U256, lst: Address) -> Outcome<ILstRegistry::acceptPairingReturn> {
        self.offer(operator, seq, lst).unwrap();
        self.accept(lst, seq, lst).unwrap()
    }

    pub fn unpair(&self, from: Address, seq: U256) -> Result<Outcome<ILstRegistry::unpairReturn>, Revert> {
        self.send(from, &ILstRegistry::unpairCall { sequencerId: seq })
    }

    pub fn pairing(&self, seq: U256) -> ILstRegistry::pairingReturn {
        self.view(&ILstRegistry::pairingCall { sequencerId: seq })
    }

    // ------------------------------------------------------------------------ the LST's stake

    pub fn deposit(&self, lst: Address, seq: U256, amount: U256) -> Result<Outcome<ILockingPool::lockDelegatedReturn>, Revert> {
        self.pool_send(lst, &ILockingPool::lockDelegatedCall { sequencerId: seq, amount })
    }

    pub fn withdraw(&self, lst: Address, seq: U256, amount: U256) -> Result<Outcome<U256>, Revert> {
        self.pool_send(lst, &ILockingPool::requestDelegatedWithdrawalCall { sequencerId: seq, amount })
    }

    pub fn claim(&self, from: Address, lst: Address) -> Result<Outcome<U256>, Revert> {
        self.pool_send(from, &ILockingPool::claimDelegatedWithdrawalsCall { lst })
    }

    pub fn warp(&self, seconds: u64) {
        self.world.warp(seconds);
    }

    pub fn now(&self) -> u64 {
        self.world.timestamp()
    }
}
