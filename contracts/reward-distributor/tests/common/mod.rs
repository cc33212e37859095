//! The distributor deployed in a [`World`] with what it pays: the pool's suite (`pool-world`),
//! the LST registry, three running sequencers and an approved LST. Governance, the submitter
//! (the MPC), the reward payer and the treasury are plain accounts. Helpers take each step
//! through the real ABI, and [`Env::assert_books`] checks the distributor's conservation.
#![allow(dead_code, unused_imports)]

use alloy_primitives::{address, Address, U256};
use alloy_sol_types::{SolCall, SolEvent};
use dseq_abi::{
    locking_pool::{ILockingPool, ILockingPool::ILockingPoolErrors},
    lst::ILstRegistry,
    rewards::{IRewardDistributor, IRewardDistributor::IRewardDistributorErrors},
};
use lst_registry::LstRegistry;
use pool_world::PoolSuite;
use reward_distributor::RewardDistributor;
use stylus_world::{keys::Key, mocks::IMockToken, Log, Outcome, Revert, World};

pub const DISTRIBUTOR: Address = address!("00000000000000000000000000000000000d0201");
pub const REGISTRY: Address = address!("00000000000000000000000000000000000d0101");
pub const SUITE: PoolSuite = PoolSuite::at(0x0d00, ADMIN);
pub const POOL: Address = SUITE.pool;
pub const METIS: Address = SUITE.metis;

/// Governs the distributor and the registry (the timelock in production).
pub const GOV: Address = address!("0000000000000000000000000000000000006001");
/// The pool's admin.
pub const ADMIN: Address = address!("00000000000000000000000000000000000ad001");
/// Submits batches (the MPC).
pub const MPC: Address = address!("0000000000000000000000000000000000000cc1");
/// Funds batches.
pub const PAYER: Address = address!("0000000000000000000000000000000000000fa1");
pub const TREASURY: Address = address!("000000000000000000000000000000000000714e");
pub const ALICE: Address = address!("00000000000000000000000000000000000a11ce");
pub const BOB: Address = address!("0000000000000000000000000000000000000b0b");
pub const CAROL: Address = address!("00000000000000000000000000000000000ca201");
pub const MALLORY: Address = address!("000000000000000000000000000000000000bad1");
/// An approved LST.
pub const LST: Address = address!("00000000000000000000000000000000000057a1");
/// A fee vault.
pub const FEES: Address = address!("000000000000000000000000000000000000fee5");

pub const DAY: u64 = 24 * 3600;
/// Initial reward per block: one METIS, so a signer's reward is its block count in METIS.
pub const RPB: u64 = 1;
/// Initial treasury share: 10%.
pub const TREASURY_BPS: u16 = 1_000;

pub fn metis(n: u64) -> U256 {
    U256::from(n) * dseq_abi::locking_pool::METIS
}

pub fn u(n: u64) -> U256 {
    U256::from(n)
}

/// The node key of sequencer `n` (1: ALICE's, 2: BOB's, 3: CAROL's).
pub fn key(n: u64) -> Key {
    Key::from_seed(n)
}

pub fn signer(n: u64) -> Address {
    key(n).address()
}

/// `(signers, blocks)` of `(signer, blocks)` pairs, sorted by signer as a batch needs.
pub fn sorted(pairs: &[(Address, u64)]) -> (Vec<Address>, Vec<U256>) {
    let mut pairs = pairs.to_vec();
    pairs.sort();
    (pairs.iter().map(|p| p.0).collect(), pairs.iter().map(|p| U256::from(p.1)).collect())
}

pub struct Env {
    pub world: World,
}

impl Env {
    /// The suite with the distributor initialized: ALICE (sequencer 1, 30,000 METIS, key 1),
    /// BOB (2, 40,000, key 2) and CAROL (3, 20,000, key 3) running, LST approved (cap 500,000)
    /// and funded, PAYER holding 1,000,000 METIS approved to the distributor.
    pub fn new() -> Self {
        let env = Self::bare();
        env.send(GOV, &init(GOV, POOL, MPC, PAYER, TREASURY, metis(RPB), TREASURY_BPS, 0)).unwrap();
        env
    }

    /// Everything but the distributor's `initialize`.
    pub fn bare() -> Self {
        let world = World::new();
        world.set_timestamp(1_000_000);
        SUITE.deploy(&world);
        world.deploy(REGISTRY, LstRegistry::program_0);
        world.deploy(DISTRIBUTOR, RewardDistributor::program_0);
        world.send(ADMIN, POOL, &ILockingPool::setLstRegistryCall { registry: REGISTRY }).unwrap();
        world.send(ADMIN, POOL, &ILockingPool::setRewardDistributorCall { distributor: DISTRIBUTOR }).unwrap();
        world.send(GOV, REGISTRY, &ILstRegistry::initializeCall { governance: GOV, pool: POOL, maxPairingsPerLst: 4 }).unwrap();
        let env = Self { world };
        for (n, owner, stake) in [(1, ALICE, 30_000), (2, BOB, 40_000), (3, CAROL, 20_000)] {
            env.world.send(ADMIN, POOL, &ILockingPool::setWhitelistCall { user: owner, yes: true }).unwrap();
            SUITE.register(&env.world, owner, &key(n), metis(stake)).unwrap();
        }
        env.world.send(GOV, REGISTRY, &ILstRegistry::approveLstCall { lst: LST, name: "Artemis".into(), cap: metis(500_000) }).unwrap();
        SUITE.mint(&env.world, LST, metis(500_000), POOL);
        SUITE.mint(&env.world, PAYER, metis(1_000_000), DISTRIBUTOR);
        SUITE.mint(&env.world, FEES, metis(1_000_000), DISTRIBUTOR);
        env
    }

    // ------------------------------------------------------------------------ calls

    pub fn send<C: SolCall>(&self, from: Address, call: &C) -> Result<Outcome<C::Return>, Revert> {
        self.world.send(from, DISTRIBUTOR, call)
    }

    pub fn fail<C: SolCall>(&self, from: Address, call: &C) -> IRewardDistributorErrors {
        self.world.fail(from, DISTRIBUTOR, call)
    }

    pub fn view<C: SolCall>(&self, call: &C) -> C::Return {
        self.world.view(DISTRIBUTOR, call)
    }

    pub fn pool_send<C: SolCall>(&self, from: Address, call: &C) -> Result<Outcome<C::Return>, Revert> {
        self.world.send(from, POOL, call)
    }

    /// The events `logs` hold from `at`, decoded as `E`.
    pub fn events_of<E: SolEvent>(logs: &[Log], at: Address) -> Vec<E> {
        logs.iter().filter(|l| l.address == at).filter_map(|l| l.decode::<E>()).collect()
    }

    // ------------------------------------------------------------------------ batches and fees

    /// The next batch's id and start epoch.
    pub fn next(&self) -> (U256, U256) {
        let last = self.view(&IRewardDistributor::lastBatchCall {});
        (last.batchId + u(1), last.nextEpoch)
    }

    /// `submitBatch` of the next id, from the next epoch over `epochs` epochs.
    pub fn batch_call(&self, epochs: u64, pairs: &[(Address, u64)]) -> IRewardDistributor::submitBatchCall {
        let (batch_id, start) = self.next();
        let (signers, blocks) = sorted(pairs);
        IRewardDistributor::submitBatchCall { batchId: batch_id, startEpoch: start, endEpoch: start + u(epochs - 1), signers, blocks }
    }

    /// Submits the next batch (one epoch) and returns its logs.
    pub fn submit(&self, pairs: &[(Address, u64)]) -> Outcome<U256> {
        self.send(MPC, &self.batch_call(1, pairs)).unwrap()
    }

    pub fn deposit_fees(&self, seq: U256, amount: U256) -> Outcome<()> {
        let out = self.send(FEES, &IRewardDistributor::depositFeesCall { sequencerId: seq, amount }).unwrap();
        Outcome { value: (), logs: out.logs }
    }

    // ------------------------------------------------------------------------ pairing

    /// Pairs `seq` (operated by `operator`) with LST and has LST delegate `amount`.
    pub fn pair(&self, operator: Address, seq: U256, amount: U256) {
        self.world.send(operator, REGISTRY, &ILstRegistry::offerPairingCall { sequencerId: seq, lst: LST }).unwrap();
        self.world.send(LST, REGISTRY, &ILstRegistry::acceptPairingCall { sequencerId: seq, lst: LST }).unwrap();
        if !amount.is_zero() {
            self.pool_send(LST, &ILockingPool::lockDelegatedCall { sequencerId: seq, amount }).unwrap();
        }
    }

    // ------------------------------------------------------------------------ reads

    pub fn rewards(&self, seq: U256) -> IRewardDistributor::sequencerRewardsReturn {
        self.view(&IRewardDistributor::sequencerRewardsCall { sequencerId: seq })
    }

    pub fn pending(&self, seq: U256) -> U256 {
        self.rewards(seq).pending
    }

    pub fn operator(&self, seq: U256) -> U256 {
        self.rewards(seq).operatorClaimable
    }

    pub fn lst_balance(&self) -> U256 {
        self.view(&IRewardDistributor::lstRewardsCall { lst: LST })
    }

    pub fn treasury(&self) -> U256 {
        self.view(&IRewardDistributor::treasuryRewardsCall {})
    }

    pub fn balance(&self, account: Address) -> U256 {
        self.world.view(METIS, &IMockToken::balanceOfCall { account })
    }

    pub fn stake(&self, seq: U256) -> U256 {
        self.world.view(POOL, &ILockingPool::delegationCall { sequencerId: seq }).operatorStake
    }

    /// Funded == paid + everything claimable, and the distributor holds exactly the difference.
    pub fn assert_books(&self) {
        let totals = self.view(&IRewardDistributor::totalsCall {});
        let mut claimable = self.treasury() + self.lst_balance();
        let sequencers: U256 = self.world.view(POOL, &ILockingPool::totalSequencersCall {});
        for seq in 1..=sequencers.to::<u64>() {
            let r = self.rewards(u(seq));
            claimable += r.pending + r.operatorClaimable;
        }
        assert_eq!(totals.funded, totals.paid + claimable, "funded != paid + claimable");
        assert_eq!(self.balance(DISTRIBUTOR), totals.funded - totals.paid, "the distributor holds what is owed");
    }

    pub fn warp(&self, seconds: u64) {
        self.world.warp(seconds);
    }

    pub fn now(&self) -> u64 {
        self.world.timestamp()
    }
}

#[allow(clippy::too_many_arguments)]
pub fn init(governance: Address, pool: Address, submitter: Address, payer: Address, treasury: Address, rpb: U256, bps: u16, first_epoch: u64) -> IRewardDistributor::initializeCall {
    IRewardDistributor::initializeCall {
        governance,
        pool,
        submitter,
        rewardPayer: payer,
        treasury,
        rewardPerBlock: rpb,
        treasuryBps: bps,
        firstEpoch: first_epoch,
    }
}
