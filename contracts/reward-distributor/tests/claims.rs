//! Claims: each party pulls its own balance (the operator's reward recipient, the LST, the
//! treasury), the operator may compound into its stake instead, and balances outlive pauses,
//! delistings and exits. A failing token call or a re-entering call hurts only its own claim.

mod common;

use alloy_primitives::{address, Address, Bytes, U256};
use alloy_sol_types::SolCall;
use common::*;
use dseq_abi::{
    locking_pool::ILockingPool,
    lst::ILstRegistry,
    rewards::{IRewardDistributor as RD, IRewardDistributor::IRewardDistributorErrors as E},
};
use stylus_world::mocks::IMockToken;

const RECIPIENT: Address = address!("000000000000000000000000000000000000e5c1");

/// Alice (30,000) paired with the LST (60,000), one batch of 100 blocks: 90 pending, which
/// splits 30 to Alice and 60 to the LST; the treasury holds 10.
fn credited() -> Env {
    let env = Env::new();
    env.pair(ALICE, u(1), metis(60_000));
    env.submit(&[(signer(1), 100)]);
    env
}

#[test]
fn the_operator_claims_to_its_reward_recipient() {
    let env = credited();
    env.pool_send(ALICE, &ILockingPool::setSequencerRewardRecipientCall { sequencerId: u(1), recipient: RECIPIENT }).unwrap();
    let claim = RD::claimOperatorRewardsCall { sequencerId: u(1) };
    assert_eq!(env.fail(MALLORY, &claim), E::NotOperatorOrRecipient(RD::NotOperatorOrRecipient { sequencerId: u(1), caller: MALLORY }));
    let (alice, recipient) = (env.balance(ALICE), env.balance(RECIPIENT));

    let out = env.send(ALICE, &claim).unwrap();

    assert_eq!(out.value, metis(30));
    assert_eq!((env.balance(ALICE), env.balance(RECIPIENT)), (alice, recipient + metis(30)));
    assert_eq!(
        out.events::<RD::OperatorRewardsClaimed>(),
        vec![RD::OperatorRewardsClaimed { sequencerId: u(1), recipient: RECIPIENT, amount: metis(30) }]
    );
    assert_eq!(env.fail(RECIPIENT, &claim), E::NothingToClaim(RD::NothingToClaim { account: RECIPIENT }));
    // The recipient may claim too.
    env.submit(&[(signer(1), 100)]);
    env.send(RECIPIENT, &claim).unwrap();
    assert_eq!(env.balance(RECIPIENT), recipient + metis(60));
    let totals = env.view(&RD::totalsCall {});
    assert_eq!((totals.funded, totals.paid), (metis(200), metis(60)));
    env.assert_books();
}

#[test]
fn the_lst_and_the_treasury_claim_their_own() {
    let env = credited();
    assert_eq!(env.fail(LST, &RD::claimLstRewardsCall {}), E::NothingToClaim(RD::NothingToClaim { account: LST }), "not settled yet");
    env.send(LST, &RD::settleCall { sequencerId: u(1) }).unwrap();
    let lst = env.balance(LST);
    let out = env.send(LST, &RD::claimLstRewardsCall {}).unwrap();
    assert_eq!((out.value, env.balance(LST)), (metis(60), lst + metis(60)));
    assert_eq!(out.events::<RD::LstRewardsClaimed>(), vec![RD::LstRewardsClaimed { lst: LST, amount: metis(60) }]);

    // Anyone triggers the treasury's claim; it is paid to the treasury.
    let out = env.send(MALLORY, &RD::claimTreasuryCall {}).unwrap();
    assert_eq!((out.value, env.balance(TREASURY), env.balance(MALLORY)), (metis(10), metis(10), U256::ZERO));
    assert_eq!(out.events::<RD::TreasuryRewardsClaimed>(), vec![RD::TreasuryRewardsClaimed { treasury: TREASURY, amount: metis(10) }]);
    assert_eq!(env.fail(MALLORY, &RD::claimTreasuryCall {}), E::NothingToClaim(RD::NothingToClaim { account: TREASURY }));
    env.assert_books();
}

#[test]
fn the_operator_compounds_its_share_into_the_stake() {
    let env = credited();
    let out = env.pool_send(ALICE, &ILockingPool::relockCall { sequencerId: u(1), amount: U256::ZERO, lockReward: true }).unwrap();
    // The pool settled first (30 to Alice at 30/60), then took Alice's 30 into her stake.
    assert_eq!(env.stake(u(1)), metis(30_030));
    assert_eq!(Env::events_of::<RD::RewardsCompounded>(&out.logs, DISTRIBUTOR), vec![RD::RewardsCompounded { sequencerId: u(1), amount: metis(30) }]);
    assert_eq!(
        Env::events_of::<ILockingPool::RewardCompounded>(&out.logs, POOL),
        vec![ILockingPool::RewardCompounded { sequencerId: u(1), amount: metis(30) }]
    );
    assert_eq!((env.operator(u(1)), env.lst_balance()), (U256::ZERO, metis(60)));
    // Only the pool may take rewards for compounding.
    assert_eq!(env.fail(ALICE, &RD::claimForCompoundCall { sequencerId: u(1) }), E::NotPool(RD::NotPool { caller: ALICE }));
    assert_eq!(
        env.fail(ALICE, &RD::settleStakesCall { sequencerId: u(1), operatorStake: u(1), lst: MALLORY, lstStake: metis(1_000_000) }),
        E::NotPool(RD::NotPool { caller: ALICE })
    );
    env.assert_books();
}

#[test]
fn balances_outlive_pauses_delistings_and_exits() {
    let env = credited();
    // Paused: no new batches, but claims go on.
    env.send(GOV, &RD::pauseCall {}).unwrap();
    env.send(ALICE, &RD::claimOperatorRewardsCall { sequencerId: u(1) }).unwrap();
    env.send(GOV, &RD::unpauseCall {}).unwrap();

    // Another batch, then the LST is delisted and a stranger ends the pairing: the pool has
    // the pending amount split at the stakes that earned it, before the LST's stake leaves.
    env.submit(&[(signer(1), 100)]);
    env.world.send(GOV, REGISTRY, &ILstRegistry::setLstStatusCall { lst: LST, status: 3 }).unwrap();
    env.world.send(MALLORY, REGISTRY, &ILstRegistry::unpairCall { sequencerId: u(1) }).unwrap();
    assert_eq!((env.pending(u(1)), env.operator(u(1)), env.lst_balance()), (U256::ZERO, metis(30), metis(120)));

    // Alice exits; blocks she produced before, paid after, are all hers (no LST stake left).
    env.pool_send(ALICE, &ILockingPool::unlockCall { sequencerId: u(1), l2Gas: 0 }).unwrap();
    env.submit(&[(signer(1), 100)]);
    env.warp(21 * DAY);
    env.pool_send(ALICE, &ILockingPool::unlockClaimCall { sequencerId: u(1), l2Gas: 0 }).unwrap();
    let alice = env.balance(ALICE);
    env.send(ALICE, &RD::claimOperatorRewardsCall { sequencerId: u(1) }).unwrap();
    assert_eq!(env.balance(ALICE), alice + metis(30) + metis(90));
    // The delisted LST still claims what it earned: 60 from each of the first two batches.
    env.send(LST, &RD::claimLstRewardsCall {}).unwrap();
    assert_eq!(env.lst_balance(), U256::ZERO);
    env.assert_books();
}

#[test]
fn a_failing_or_re_entering_transfer_affects_only_its_own_claim() {
    let env = credited();
    env.send(LST, &RD::settleCall { sequencerId: u(1) }).unwrap();
    // The token refuses: the claim fails and the balance is still there.
    env.world.send(ADMIN, METIS, &IMockToken::setModeCall { mode: 3 }).unwrap();
    assert!(matches!(env.fail(LST, &RD::claimLstRewardsCall {}), E::TokenCallFailed(e) if e.token == METIS));
    assert_eq!(env.lst_balance(), metis(60));
    env.world.send(ADMIN, METIS, &IMockToken::setModeCall { mode: 0 }).unwrap();

    // A transfer that calls back into the distributor (claiming the treasury's balance) is
    // refused inside, and the LST's claim still pays the LST alone.
    let reenter = RD::claimTreasuryCall {}.abi_encode();
    env.world.send(ADMIN, METIS, &IMockToken::setHookCall { target: DISTRIBUTOR, data: Bytes::from(reenter) }).unwrap();
    let out = env.send(LST, &RD::claimLstRewardsCall {}).unwrap();
    let hooks = Env::events_of::<IMockToken::HookCalled>(&out.logs, METIS);
    assert_eq!(hooks.len(), 1);
    assert!(!hooks[0].ok, "the re-entrant claim was refused");
    assert_eq!((out.value, env.treasury(), env.balance(TREASURY)), (metis(60), metis(10), U256::ZERO));
    env.assert_books();
}
