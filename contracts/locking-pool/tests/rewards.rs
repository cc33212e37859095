//! What the pool does for the reward distributor: it reports a sequencer's stakes before every
//! change of them (`settleStakes`), so rewards credited at the old stakes are split at those;
//! a refusal undoes the change; and it resolves a batch's signers in one call (`seqSignersOf`).
//! The distributor here is `MockRewardSource`, which records each report.

mod common;

use alloy_primitives::{address, Address, U256};
use common::*;
use dseq_abi::locking_pool::{ILockingPool, ILockingPool::ILockingPoolErrors as E};
use stylus_world::{keys::Key, mocks::IMockRewardSource};

const LST: Address = address!("00000000000000000000000000000000000015f1");
/// Acts as the LST registry: names delegates and terms.
const REGISTRY: Address = CAROL;

fn id(n: u64) -> U256 {
    U256::from(n)
}

fn with_distributor() -> Env {
    let env = Env::new();
    env.send(ADMIN, &ILockingPool::setRewardDistributorCall { distributor: DISTRIBUTOR }).unwrap();
    env
}

fn settlements(env: &Env) -> U256 {
    env.world.view(DISTRIBUTOR, &IMockRewardSource::settlementsCall {})
}

/// The last report: `(sequencerId, operatorStake, lst, lstStake)`.
fn last(env: &Env) -> (U256, U256, Address, U256) {
    let r = env.world.view(DISTRIBUTOR, &IMockRewardSource::lastSettlementCall {});
    (r.sequencerId, r.operatorStake, r.lst, r.lstStake)
}

/// Sends `call` and checks it made exactly one report, of these stakes.
fn reports<C: alloy_sol_types::SolCall>(env: &Env, from: Address, call: &C, expected: (U256, U256, Address, U256)) {
    let before = settlements(env);
    env.send(from, call).unwrap();
    assert_eq!(settlements(env), before + U256::from(1), "one report");
    assert_eq!(last(env), expected);
}

/// Sends `call` and checks it made no report.
fn no_report<C: alloy_sol_types::SolCall>(env: &Env, from: Address, call: &C) {
    let before = settlements(env);
    env.send(from, call).unwrap();
    assert_eq!(settlements(env), before, "no report");
}

#[test]
fn every_change_of_stake_reports_the_stakes_before_it() {
    let env = with_distributor();
    let key = Key::from_seed(1);
    let before = settlements(&env);
    env.register(ALICE, &key, metis(30_000));
    assert_eq!(settlements(&env), before, "a new sequencer has earned nothing");

    let zero = (Address::ZERO, U256::ZERO);
    reports(&env, ALICE, &ILockingPool::relockCall { sequencerId: id(1), amount: metis(1_000), lockReward: false }, (id(1), metis(30_000), zero.0, zero.1));
    reports(&env, ALICE, &ILockingPool::requestWithdrawalCall { sequencerId: id(1), amount: metis(500) }, (id(1), metis(31_000), zero.0, zero.1));

    // An LST pairs (the registry names it), deposits and withdraws part.
    env.send(ADMIN, &ILockingPool::setLstRegistryCall { registry: REGISTRY }).unwrap();
    no_report(&env, REGISTRY, &ILockingPool::setLstTermsCall { lst: LST, cap: metis(100_000), open: true });
    reports(&env, REGISTRY, &ILockingPool::setDelegateCall { sequencerId: id(1), lst: LST }, (id(1), metis(30_500), zero.0, zero.1));
    env.fund(LST, metis(10_000));
    reports(&env, LST, &ILockingPool::lockDelegatedCall { sequencerId: id(1), amount: metis(10_000) }, (id(1), metis(30_500), LST, U256::ZERO));
    reports(&env, LST, &ILockingPool::requestDelegatedWithdrawalCall { sequencerId: id(1), amount: metis(4_000) }, (id(1), metis(30_500), LST, metis(10_000)));

    // Compounding reports before the distributor pays, and still compounds.
    env.world.send(ADMIN, METIS_TOKEN, &stylus_world::mocks::IMockToken::mintCall { to: DISTRIBUTOR, value: metis(200) }).unwrap();
    env.world.send(ADMIN, DISTRIBUTOR, &IMockRewardSource::setCompoundCall { sequencerId: id(1), sent: metis(200), reported: metis(200) }).unwrap();
    reports(&env, ALICE, &ILockingPool::relockCall { sequencerId: id(1), amount: U256::ZERO, lockReward: true }, (id(1), metis(30_500), LST, metis(6_000)));
    assert_eq!(env.stake(id(1)), metis(30_700));

    // What does not change a stake does not report.
    env.warp(DAY);
    let new_key = Key::from_seed(2);
    let rotate = ILockingPool::rotateSignerCall { sequencerId: id(1), signer: new_key.address(), signerProof: proof(&new_key, ALICE) };
    no_report(&env, ALICE, &rotate);
    no_report(&env, ALICE, &ILockingPool::setSequencerRewardRecipientCall { sequencerId: id(1), recipient: BOB });
    env.warp(21 * DAY);
    no_report(&env, ALICE, &ILockingPool::claimWithdrawalsCall { sequencerId: id(1) });

    // The exit reports both stakes, then unwinds the LST's.
    reports(&env, ALICE, &ILockingPool::unlockCall { sequencerId: id(1), l2Gas: 0 }, (id(1), metis(30_700), LST, metis(6_000)));
    env.warp(21 * DAY);
    no_report(&env, ALICE, &ILockingPool::unlockClaimCall { sequencerId: id(1), l2Gas: 0 });
    env.assert_conserved();
}

#[test]
fn a_forced_exit_and_an_unpairing_report_too() {
    let env = with_distributor();
    env.register(BOB, &Key::from_seed(3), metis(40_000));
    env.send(ADMIN, &ILockingPool::setLstRegistryCall { registry: REGISTRY }).unwrap();
    env.send(REGISTRY, &ILockingPool::setLstTermsCall { lst: LST, cap: metis(100_000), open: true }).unwrap();
    env.send(REGISTRY, &ILockingPool::setDelegateCall { sequencerId: id(1), lst: LST }).unwrap();
    env.fund(LST, metis(5_000));
    env.send(LST, &ILockingPool::lockDelegatedCall { sequencerId: id(1), amount: metis(5_000) }).unwrap();
    reports(&env, REGISTRY, &ILockingPool::setDelegateCall { sequencerId: id(1), lst: Address::ZERO }, (id(1), metis(40_000), LST, metis(5_000)));
    reports(&env, ADMIN, &ILockingPool::forceUnlockCall { sequencerId: id(1), l2Gas: 0 }, (id(1), metis(40_000), Address::ZERO, U256::ZERO));
}

#[test]
fn a_refused_settlement_undoes_the_change() {
    let env = with_distributor();
    env.register(ALICE, &Key::from_seed(1), metis(30_000));
    env.world.send(ADMIN, DISTRIBUTOR, &IMockRewardSource::setRefuseSettlementCall { refuse: true }).unwrap();
    let (alice, pool) = (env.balance(ALICE), env.balance(POOL));
    let refused = E::RewardSettlementFailed(ILockingPool::RewardSettlementFailed {
        distributor: DISTRIBUTOR,
        reason: b"settlement refused".to_vec().into(),
    });
    assert_eq!(env.fail(ALICE, &ILockingPool::relockCall { sequencerId: id(1), amount: metis(1_000), lockReward: false }), refused);
    assert_eq!(env.fail(ALICE, &ILockingPool::requestWithdrawalCall { sequencerId: id(1), amount: metis(1_000) }), refused);
    assert_eq!(env.fail(ALICE, &ILockingPool::unlockCall { sequencerId: id(1), l2Gas: 0 }), refused);
    assert_eq!(env.fail(ADMIN, &ILockingPool::forceUnlockCall { sequencerId: id(1), l2Gas: 0 }), refused);
    assert_eq!((env.stake(id(1)), env.status(id(1))), (metis(30_000), ACTIVE));
    assert_eq!((env.balance(ALICE), env.balance(POOL)), (alice, pool));
    // Governance's way out of a broken distributor: unset it; exits work again.
    env.send(ADMIN, &ILockingPool::setRewardDistributorCall { distributor: Address::ZERO }).unwrap();
    env.send(ADMIN, &ILockingPool::forceUnlockCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    assert_eq!(env.status(id(1)), INACTIVE);
}

#[test]
fn one_call_resolves_old_and_new_signers() {
    let env = Env::new();
    let (first, second, rotated) = (Key::from_seed(1), Key::from_seed(2), Key::from_seed(3));
    env.register(ALICE, &first, metis(30_000));
    env.register(BOB, &second, metis(30_000));
    env.warp(DAY);
    let rotate = ILockingPool::rotateSignerCall { sequencerId: id(1), signer: rotated.address(), signerProof: proof(&rotated, ALICE) };
    env.send(ALICE, &rotate).unwrap();
    let stranger = MALLORY;
    let ids = env.view(&ILockingPool::seqSignersOfCall { signers: vec![first.address(), rotated.address(), second.address(), stranger] });
    assert_eq!(ids, vec![id(1), id(1), id(2), U256::ZERO]);
    assert_eq!(env.view(&ILockingPool::seqSignersOfCall { signers: vec![] }), Vec::<U256>::new());
}
