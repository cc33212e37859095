//! The split: the treasury first, then by capital between the operator and its LST at the
//! stakes each amount was credited under, the commission on the LST's part after its delay,
//! fee revenue for a sequencer or a batch, and conservation over random histories.

mod common;

use alloy_primitives::{Address, U256};
use common::*;
use dseq_abi::{
    locking_pool::ILockingPool,
    rewards::{IRewardDistributor as RD, IRewardDistributor::IRewardDistributorErrors as E, DEFAULT_COMMISSION_DELAY},
};
use proptest::prelude::*;

/// Tenths of a METIS.
fn tenths(n: u64) -> U256 {
    metis(n) / u(10)
}

#[test]
fn pending_is_split_at_the_stakes_that_earned_it() {
    let env = Env::new();
    env.pair(ALICE, u(1), metis(20_000)); // Alice 30,000 and the LST 20,000: 60/40.
    env.submit(&[(signer(1), 100)]);
    assert_eq!(env.pending(u(1)), metis(90));
    let preview = env.view(&RD::previewSettlementCall { sequencerId: u(1) });
    assert_eq!((preview.lst, preview.operatorShare, preview.lstShare, preview.commission), (LST, metis(54), metis(36), U256::ZERO));

    // The LST adds 30,000: the pool has the 90 split at 60/40 first.
    let out = env.pool_send(LST, &ILockingPool::lockDelegatedCall { sequencerId: u(1), amount: metis(30_000) }).unwrap();
    assert_eq!(
        Env::events_of::<RD::RewardsSettled>(&out.logs, DISTRIBUTOR),
        vec![RD::RewardsSettled { sequencerId: u(1), lst: LST, operatorShare: metis(54), lstShare: metis(36), commission: U256::ZERO }]
    );
    assert_eq!((env.pending(u(1)), env.operator(u(1)), env.lst_balance()), (U256::ZERO, metis(54), metis(36)));

    // Now 30,000 and 50,000: the next 72 splits 27/45. Anyone may settle.
    env.submit(&[(signer(1), 80)]);
    env.send(MALLORY, &RD::settleCall { sequencerId: u(1) }).unwrap();
    assert_eq!((env.operator(u(1)), env.lst_balance()), (metis(81), metis(81)));
    // Settling again changes nothing and says nothing.
    let out = env.send(MALLORY, &RD::settleCall { sequencerId: u(1) }).unwrap();
    assert!(out.events::<RD::RewardsSettled>().is_empty());
    assert_eq!(env.fail(MALLORY, &RD::settleCall { sequencerId: u(9) }), E::UnknownSequencer(RD::UnknownSequencer { sequencerId: u(9) }));
    env.assert_books();
}

#[test]
fn without_lst_stake_the_operator_gets_all_of_it() {
    let env = Env::new();
    env.pair(BOB, u(2), U256::ZERO); // Paired, but nothing delegated yet.
    env.submit(&[(signer(2), 50), (signer(3), 10)]);
    env.send(MALLORY, &RD::settleCall { sequencerId: u(2) }).unwrap();
    env.send(MALLORY, &RD::settleCall { sequencerId: u(3) }).unwrap();
    assert_eq!((env.operator(u(2)), env.operator(u(3)), env.lst_balance()), (metis(45), metis(9), U256::ZERO));
    env.assert_books();
}

#[test]
fn a_commission_waits_its_delay_and_never_reprices_what_is_pending() {
    let env = Env::new();
    env.pair(ALICE, u(1), metis(70_000)); // 30/70.
    assert_eq!(env.fail(MALLORY, &RD::setCommissionCall { sequencerId: u(1), bps: 1_000 }), E::NotSequencerOwner(RD::NotSequencerOwner { sequencerId: u(1), caller: MALLORY }));
    assert_eq!(env.fail(ALICE, &RD::setCommissionCall { sequencerId: u(1), bps: 3_001 }), E::CommissionAboveCap(RD::CommissionAboveCap { bps: 3_001, maxBps: 3_000 }));
    let effective = env.now() + DEFAULT_COMMISSION_DELAY;
    let out = env.send(ALICE, &RD::setCommissionCall { sequencerId: u(1), bps: 1_000 }).unwrap();
    assert_eq!(
        out.events::<RD::CommissionScheduled>(),
        vec![RD::CommissionScheduled { sequencerId: u(1), currentBps: 0, nextBps: 1_000, effectiveAt: effective }]
    );
    let r = env.rewards(u(1));
    assert_eq!((r.commissionBps, r.nextCommissionBps, r.nextCommissionAt), (0, 1_000, effective));

    // Raised just before a batch: that batch is still split at 0%.
    env.submit(&[(signer(1), 100)]);
    env.send(MALLORY, &RD::settleCall { sequencerId: u(1) }).unwrap();
    assert_eq!((env.operator(u(1)), env.lst_balance()), (metis(27), metis(63)));

    // Credited a second before the change, settled after it: still 0%.
    env.submit(&[(signer(1), 100)]);
    env.world.set_timestamp(effective);
    let r = env.rewards(u(1));
    assert_eq!((r.commissionBps, r.nextCommissionBps, r.nextCommissionAt), (1_000, 0, 0));
    // The next batch finds the change due: what was pending is split at 0% first.
    env.submit(&[(signer(1), 100)]);
    assert_eq!((env.operator(u(1)), env.lst_balance(), env.pending(u(1))), (metis(54), metis(126), metis(90)));
    // And this batch at 10% of the LST's 63: 6.3 to the operator.
    let out = env.send(MALLORY, &RD::settleCall { sequencerId: u(1) }).unwrap();
    assert_eq!(
        out.events::<RD::RewardsSettled>(),
        vec![RD::RewardsSettled { sequencerId: u(1), lst: LST, operatorShare: tenths(333), lstShare: tenths(567), commission: tenths(63) }]
    );
    assert_eq!((env.operator(u(1)), env.lst_balance()), (tenths(873), tenths(1827)));

    // Lowering waits too, and a new change replaces the waiting one.
    env.send(ALICE, &RD::setCommissionCall { sequencerId: u(1), bps: 500 }).unwrap();
    env.send(ALICE, &RD::setCommissionCall { sequencerId: u(1), bps: 200 }).unwrap();
    let r = env.rewards(u(1));
    assert_eq!((r.commissionBps, r.nextCommissionBps, r.nextCommissionAt), (1_000, 200, env.now() + DEFAULT_COMMISSION_DELAY));
    env.assert_books();
}

#[test]
fn fees_for_a_sequencer_take_the_same_split() {
    let env = Env::new();
    let out = env.deposit_fees(u(1), metis(50));
    assert_eq!(out.events::<RD::FeesDeposited>(), vec![RD::FeesDeposited { sequencerId: u(1), from: FEES, amount: metis(50), treasuryShare: metis(5) }]);
    assert_eq!((env.pending(u(1)), env.treasury()), (metis(45), metis(5)));
    let deposit = |seq: u64, amount: U256| RD::depositFeesCall { sequencerId: u(seq), amount };
    assert_eq!(env.fail(FEES, &deposit(1, U256::ZERO)), E::ZeroAmount(RD::ZeroAmount {}));
    assert_eq!(env.fail(FEES, &deposit(9, metis(1))), E::UnknownSequencer(RD::UnknownSequencer { sequencerId: u(9) }));
    let max = U256::from(u128::MAX) - metis(50);
    assert_eq!(env.fail(FEES, &deposit(1, max + u(1))), E::AmountTooLarge(RD::AmountTooLarge { amount: max + u(1), max }));
    env.send(GOV, &RD::pauseCall {}).unwrap();
    assert_eq!(env.fail(FEES, &deposit(1, metis(1))), E::EnforcedPause(RD::EnforcedPause {}));
    env.assert_books();
}

#[test]
fn fees_for_a_batch_go_pro_rata_to_blocks_with_the_dust_to_the_treasury() {
    let env = Env::new();
    let call = env.batch_call(1, &[(signer(1), 1), (signer(2), 1), (signer(3), 1)]);
    env.send(MPC, &call).unwrap();
    let before = [env.pending(u(1)), env.pending(u(2)), env.pending(u(3))];
    let treasury = env.treasury();

    // 100 wei over three equal signers: 33 each (3 of it the treasury's), 1 wei of dust.
    let fees = RD::depositBatchFeesCall { batchId: u(1), signers: call.signers.clone(), blocks: call.blocks.clone(), amount: u(100) };
    let out = env.send(FEES, &fees).unwrap();
    assert_eq!(out.events::<RD::BatchFeesDeposited>(), vec![RD::BatchFeesDeposited { batchId: u(1), from: FEES, amount: u(100), treasuryShare: u(10) }]);
    for (seq, was) in (1..=3).zip(before) {
        assert_eq!(env.pending(u(seq)), was + u(30), "sequencer {seq}");
    }
    assert_eq!(env.treasury(), treasury + u(10));

    // Blocks that are not the batch's, or a batch that never was, are refused.
    let digest = env.view(&RD::batchDigestCall { batchId: u(1) });
    let mut forged = fees.clone();
    forged.blocks[0] = u(100);
    match env.fail(FEES, &forged) {
        E::BatchMismatch(e) => assert_eq!((e.batchId, e.digest), (u(1), digest)),
        other => panic!("{other:?}"),
    }
    let mut unknown = fees.clone();
    unknown.batchId = u(7);
    match env.fail(FEES, &unknown) {
        E::BatchMismatch(e) => assert_eq!((e.batchId, e.digest, e.given), (u(7), Default::default(), digest)),
        other => panic!("{other:?}"),
    }
    env.assert_books();
}

/// One step of a random history.
#[derive(Clone, Debug)]
enum Step {
    Batch(Vec<(u64, u64)>),
    Fees(u64, u64),
    LstDeposit(u64),
    LstWithdraw(u64),
    Settle(u64),
    ClaimOperator(u64),
    ClaimLst,
    ClaimTreasury,
    Compound,
    Commission(u16),
    Wait(u64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => proptest::collection::vec((1..=3u64, 1..1_000u64), 1..=3).prop_map(Step::Batch),
        1 => (1..=3u64, 1..1_000_000u64).prop_map(|(s, a)| Step::Fees(s, a)),
        1 => (1..20_000u64).prop_map(Step::LstDeposit),
        1 => (1..10_000u64).prop_map(Step::LstWithdraw),
        1 => (1..=3u64).prop_map(Step::Settle),
        1 => (1..=3u64).prop_map(Step::ClaimOperator),
        1 => Just(Step::ClaimLst),
        1 => Just(Step::ClaimTreasury),
        1 => Just(Step::Compound),
        1 => (0..=3_000u16).prop_map(Step::Commission),
        1 => (1..10 * DAY).prop_map(Step::Wait),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever happens, everything funded is paid or claimable, the distributor holds exactly
    /// what is claimable, and no step that should succeed fails.
    #[test]
    fn funded_is_always_paid_plus_claimable(steps in proptest::collection::vec(step(), 1..24)) {
        let env = Env::new();
        env.pair(ALICE, u(1), metis(10_000));
        for step in steps {
            match step {
                Step::Batch(pairs) => {
                    let mut seen: Vec<(Address, u64)> = Vec::new();
                    for (n, blocks) in pairs {
                        if !seen.iter().any(|(s, _)| *s == signer(n)) {
                            seen.push((signer(n), blocks));
                        }
                    }
                    env.submit(&seen);
                }
                Step::Fees(seq, wei) => { env.deposit_fees(u(seq), U256::from(wei) * u(1_000_000_007)); }
                Step::LstDeposit(n) => {
                    // Within maxLock (100,000 with Alice's 30,000 and what she compounded).
                    let _ = env.pool_send(LST, &ILockingPool::lockDelegatedCall { sequencerId: u(1), amount: metis(n) });
                }
                Step::LstWithdraw(n) => {
                    let _ = env.pool_send(LST, &ILockingPool::requestDelegatedWithdrawalCall { sequencerId: u(1), amount: metis(n) });
                }
                Step::Settle(seq) => { env.send(MALLORY, &RD::settleCall { sequencerId: u(seq) }).unwrap(); }
                Step::ClaimOperator(seq) => {
                    let owner = [ALICE, BOB, CAROL][seq as usize - 1];
                    let _ = env.send(owner, &RD::claimOperatorRewardsCall { sequencerId: u(seq) });
                    prop_assert_eq!(env.operator(u(seq)), U256::ZERO);
                }
                Step::ClaimLst => {
                    let _ = env.send(LST, &RD::claimLstRewardsCall {});
                    prop_assert_eq!(env.lst_balance(), U256::ZERO);
                }
                Step::ClaimTreasury => {
                    let _ = env.send(MALLORY, &RD::claimTreasuryCall {});
                    prop_assert_eq!(env.treasury(), U256::ZERO);
                }
                Step::Compound => {
                    let before = env.stake(u(1));
                    let _ = env.pool_send(ALICE, &ILockingPool::relockCall { sequencerId: u(1), amount: U256::ZERO, lockReward: true });
                    prop_assert!(env.stake(u(1)) >= before);
                }
                Step::Commission(bps) => { env.send(ALICE, &RD::setCommissionCall { sequencerId: u(1), bps }).unwrap(); }
                Step::Wait(seconds) => env.warp(seconds),
            }
            env.assert_books();
        }
    }
}
