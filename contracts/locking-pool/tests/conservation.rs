//! Property test of the pool's accounting over random sequences of operations, failing ones
//! included: whatever happens, the pool holds exactly the stakes plus the pending withdrawals,
//! the per-sequencer figures add up to the totals, and no token is created or lost.

mod common;

use alloy_primitives::{Address, U256};
use common::*;
use dseq_abi::locking_pool::ILockingPool;
use proptest::prelude::*;
use stylus_world::{
    keys::Key,
    mocks::{IMockRewardSource, IMockToken},
};

const OWNERS: [Address; 4] = [ALICE, BOB, CAROL, MALLORY];
const FUNDING: u64 = 300_000;

#[derive(Clone, Debug)]
enum Op {
    Register { owner: usize, amount: U256 },
    Relock { owner: usize, amount: U256, compound: U256 },
    Request { owner: usize, amount: U256 },
    Claim { owner: usize },
    Unlock { owner: usize },
    ForceUnlock { owner: usize },
    UnlockClaim { owner: usize },
    Warp { seconds: u64 },
    SetExitDelay { days: u64 },
    Revoke { owner: usize },
}

/// Amounts around the interesting boundaries (zero, minLock, maxLock) plus arbitrary wei.
fn amount() -> impl Strategy<Value = U256> {
    prop_oneof![
        Just(U256::ZERO),
        (0u64..=120_000).prop_map(metis),
        (0u64..=120_000, 0u64..1_000_000).prop_map(|(m, wei)| metis(m) + U256::from(wei)),
        Just(metis(20_000)),
        Just(metis(100_000)),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let owner = 0usize..OWNERS.len();
    prop_oneof![
        3 => (owner.clone(), amount()).prop_map(|(owner, amount)| Op::Register { owner, amount }),
        2 => (owner.clone(), amount(), prop_oneof![Just(U256::ZERO), (1u64..5_000).prop_map(metis)])
            .prop_map(|(owner, amount, compound)| Op::Relock { owner, amount, compound }),
        3 => (owner.clone(), amount()).prop_map(|(owner, amount)| Op::Request { owner, amount }),
        2 => owner.clone().prop_map(|owner| Op::Claim { owner }),
        1 => owner.clone().prop_map(|owner| Op::Unlock { owner }),
        1 => owner.clone().prop_map(|owner| Op::ForceUnlock { owner }),
        2 => owner.clone().prop_map(|owner| Op::UnlockClaim { owner }),
        2 => prop_oneof![Just(1u64), Just(DAY), Just(21 * DAY), 0u64..40 * DAY].prop_map(|seconds| Op::Warp { seconds }),
        1 => (1u64..30).prop_map(|days| Op::SetExitDelay { days }),
        1 => owner.prop_map(|owner| Op::Revoke { owner }),
    ]
}

struct Model {
    env: Env,
    next_key: u64,
    minted: U256,
}

impl Model {
    fn new() -> Self {
        let env = Env::new();
        env.admit(CAROL);
        env.admit(MALLORY);
        for owner in [CAROL, MALLORY] {
            env.fund(owner, metis(200_000));
        }
        for owner in OWNERS {
            env.fund(owner, metis(FUNDING - 200_000));
        }
        env.send(ADMIN, &ILockingPool::setRewardDistributorCall { distributor: DISTRIBUTOR }).unwrap();
        Self { env, next_key: 1, minted: metis(FUNDING) * U256::from(OWNERS.len()) }
    }

    /// The owner's current (or last) sequencer id, or an id that does not exist.
    fn seq(&self, owner: usize) -> U256 {
        let id = self.env.view(&ILockingPool::seqOwnersCall { owner: OWNERS[owner] });
        if id.is_zero() { self.env.view(&ILockingPool::totalSequencersCall {}) + U256::from(1) } else { id }
    }

    /// Applies one operation and says whether it succeeded; failures are expected and must
    /// leave state consistent.
    fn apply(&mut self, op: &Op) -> bool {
        let env = &self.env;
        let result = match *op {
            Op::Register { owner, amount } => {
                self.next_key += 1;
                env.send(OWNERS[owner], &lock_call(OWNERS[owner], &Key::from_seed(self.next_key), amount)).map(|_| ())
            }
            Op::Relock { owner, amount, compound } => {
                let seq = self.seq(owner);
                if !compound.is_zero() {
                    env.world.send(ADMIN, METIS_TOKEN, &IMockToken::mintCall { to: DISTRIBUTOR, value: compound }).unwrap();
                    self.minted += compound;
                    env.world
                        .send(ADMIN, DISTRIBUTOR, &IMockRewardSource::setCompoundCall { sequencerId: seq, sent: compound, reported: compound })
                        .unwrap();
                }
                let call = ILockingPool::relockCall { sequencerId: seq, amount, lockReward: !compound.is_zero() };
                env.send(OWNERS[owner], &call).map(|_| ())
            }
            Op::Request { owner, amount } => {
                let call = ILockingPool::requestWithdrawalCall { sequencerId: self.seq(owner), amount };
                env.send(OWNERS[owner], &call).map(|_| ())
            }
            Op::Claim { owner } => {
                env.send(OWNERS[owner], &ILockingPool::claimWithdrawalsCall { sequencerId: self.seq(owner) }).map(|_| ())
            }
            Op::Unlock { owner } => env.send(OWNERS[owner], &ILockingPool::unlockCall { sequencerId: self.seq(owner), l2Gas: 0 }).map(|_| ()),
            Op::ForceUnlock { owner } => env.send(ADMIN, &ILockingPool::forceUnlockCall { sequencerId: self.seq(owner), l2Gas: 0 }).map(|_| ()),
            Op::UnlockClaim { owner } => {
                env.send(OWNERS[owner], &ILockingPool::unlockClaimCall { sequencerId: self.seq(owner), l2Gas: 0 }).map(|_| ())
            }
            Op::Warp { seconds } => {
                env.warp(seconds);
                Ok(())
            }
            Op::SetExitDelay { days } => env.send(ADMIN, &ILockingPool::updateWithdrawDelayTimeValueCall { delay: U256::from(days * DAY) }).map(|_| ()),
            Op::Revoke { owner } => env.send(ADMIN, &ILockingPool::setWhitelistCall { user: OWNERS[owner], yes: false }).map(|_| ()),
        };
        result.is_ok()
    }

    fn check_invariants(&self) {
        let env = &self.env;
        env.assert_conserved();
        let count = env.view(&ILockingPool::totalSequencersCall {}).to::<u64>();
        let (mut staked, mut pending, mut active) = (U256::ZERO, U256::ZERO, 0u64);
        for id in 1..=count {
            let seq = env.sequencer(U256::from(id));
            staked += seq.amount;
            if seq.status == ACTIVE {
                active += 1;
                assert!(seq.amount >= env.view(&ILockingPool::minLockCall {}) || env.view(&ILockingPool::minLockCall {}).is_zero());
            }
            if seq.status == UNLOCKED {
                assert_eq!(seq.amount, U256::ZERO, "a paid-out sequencer holds nothing");
            }
            pending += env.view(&ILockingPool::withdrawalQueueCall { sequencerId: U256::from(id) }).pending;
        }
        assert_eq!(staked, env.total_locked(), "stakes add up to totalLocked");
        assert_eq!(pending, env.total_pending(), "queues add up to totalPendingWithdrawals");
        assert_eq!(U256::from(active), env.view(&ILockingPool::activeSequencersCall {}));
        let held: U256 = OWNERS.iter().map(|owner| env.balance(*owner)).sum::<U256>() + env.balance(POOL) + env.balance(DISTRIBUTOR);
        assert_eq!(held, self.minted, "no token created or lost");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn stake_is_conserved_over_any_sequence_of_operations(ops in prop::collection::vec(op(), 1..40)) {
        let mut model = Model::new();
        for op in &ops {
            let _succeeded = model.apply(op);
            model.check_invariants();
        }
    }
}

/// The model is not vacuous: a scripted run in which every kind of operation succeeds keeps
/// the invariants too.
#[test]
fn every_operation_of_the_model_can_succeed() {
    let mut model = Model::new();
    let script = [
        Op::Register { owner: 0, amount: metis(50_000) },
        Op::Register { owner: 1, amount: metis(20_000) },
        Op::Relock { owner: 0, amount: metis(1_000), compound: metis(250) },
        Op::Request { owner: 0, amount: metis(5_000) },
        Op::Warp { seconds: 21 * DAY },
        Op::Claim { owner: 0 },
        Op::SetExitDelay { days: 2 },
        Op::Unlock { owner: 0 },
        Op::ForceUnlock { owner: 1 },
        Op::Warp { seconds: 2 * DAY },
        Op::Revoke { owner: 0 },
        Op::UnlockClaim { owner: 0 },
        Op::UnlockClaim { owner: 1 },
    ];
    for op in &script {
        assert!(model.apply(op), "{op:?} failed");
        model.check_invariants();
    }
    assert_eq!(model.env.balance(POOL), U256::ZERO);
}
