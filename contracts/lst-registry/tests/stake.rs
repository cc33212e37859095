//! Delegated stake in locking-pool: deposits within the cap and maxLock, the LST's own
//! withdrawal queue, unwinding on unpairing, delisting and exits (forced too), the separation
//! of the operator's stake from the LST's, votes, pauses, and hostile LSTs and tokens.

mod common;

use alloy_primitives::{Address, U256};
use common::*;
use dseq_abi::{
    locking_pool::{ILockingPool, ILockingPool::ILockingPoolErrors as P},
    lst::{status, ILstRegistry},
};
use stylus_world::mocks::IMockToken;

fn paired() -> Env {
    let env = Env::new();
    env.pair(ALICE, id(1), LST_A);
    env
}

#[test]
fn the_paired_lst_deposits_and_its_stake_counts_toward_maxlock_and_votes() {
    let env = paired();
    let (pool_before, lst_before) = (env.balance(POOL), env.balance(LST_A));
    let out = env.deposit(LST_A, id(1), metis(40_000)).unwrap();
    assert_eq!(
        out.events::<ILockingPool::DelegatedStakeLocked>(),
        vec![ILockingPool::DelegatedStakeLocked { sequencerId: id(1), lst: LST_A, amount: metis(40_000), lstStake: metis(40_000), total: metis(100_000) }]
    );
    assert_eq!(env.balance(POOL) - pool_before, metis(40_000));
    assert_eq!(lst_before - env.balance(LST_A), metis(40_000));
    let d = env.delegation(id(1));
    assert_eq!((d.operatorStake, d.lst, d.lstStake), (metis(30_000), LST_A, metis(40_000)));
    assert_eq!(env.account(LST_A).staked, metis(40_000));
    assert_eq!(env.total_locked(), metis(100_000));
    // The LST's stake votes for the LST, the operator's for the operator.
    assert_eq!((env.votes(LST_A), env.votes(ALICE)), (metis(40_000), metis(30_000)));

    // Operator 30,000 + LST 40,000 leave 30,000 under maxLock (100,000), for both sides.
    assert_eq!(
        env.pool_fail(LST_A, &ILockingPool::lockDelegatedCall { sequencerId: id(1), amount: metis(30_001) }),
        P::LockAboveMax(ILockingPool::LockAboveMax { newAmount: metis(100_001), maxLock: metis(100_000) })
    );
    env.fund(ALICE, metis(40_000));
    assert_eq!(
        env.pool_fail(ALICE, &ILockingPool::relockCall { sequencerId: id(1), amount: metis(30_001), lockReward: false }),
        P::LockAboveMax(ILockingPool::LockAboveMax { newAmount: metis(100_001), maxLock: metis(100_000) })
    );
    env.pool_send(ALICE, &ILockingPool::relockCall { sequencerId: id(1), amount: metis(10_000), lockReward: false }).unwrap();
    env.deposit(LST_A, id(1), metis(20_000)).unwrap();
    let d = env.delegation(id(1));
    assert_eq!((d.operatorStake, d.lstStake), (metis(40_000), metis(60_000)));
    assert_eq!(
        env.pool_fail(LST_A, &ILockingPool::lockDelegatedCall { sequencerId: id(1), amount: U256::from(1) }),
        P::LockAboveMax(ILockingPool::LockAboveMax { newAmount: metis(100_000) + U256::from(1), maxLock: metis(100_000) })
    );
    env.assert_conserved();
}

#[test]
fn only_the_paired_lst_deposits_and_only_while_open_and_under_its_cap() {
    let env = paired();
    let not_delegate = |seq, caller| P::NotSequencerDelegate(ILockingPool::NotSequencerDelegate { sequencerId: seq, caller });
    for caller in [LST_B, IMPOSTOR, ALICE] {
        assert_eq!(env.pool_fail(caller, &ILockingPool::lockDelegatedCall { sequencerId: id(1), amount: metis(1) }), not_delegate(id(1), caller));
    }
    assert_eq!(env.pool_fail(LST_A, &ILockingPool::lockDelegatedCall { sequencerId: id(2), amount: metis(1) }), not_delegate(id(2), LST_A));
    assert_eq!(env.pool_fail(LST_A, &ILockingPool::lockDelegatedCall { sequencerId: id(9), amount: metis(1) }), not_delegate(id(9), LST_A));
    assert_eq!(
        env.pool_fail(LST_A, &ILockingPool::lockDelegatedCall { sequencerId: id(1), amount: U256::ZERO }),
        P::NoNewLockedAdded(ILockingPool::NoNewLockedAdded {})
    );

    // The cap covers the LST's stake across all its sequencers.
    env.send(GOV, &ILstRegistry::setLstCapCall { lst: LST_A, cap: metis(50_000) }).unwrap();
    env.pair(BOB, id(2), LST_A);
    env.deposit(LST_A, id(1), metis(30_000)).unwrap();
    assert_eq!(
        env.pool_fail(LST_A, &ILockingPool::lockDelegatedCall { sequencerId: id(2), amount: metis(20_001) }),
        P::LstCapExceeded(ILockingPool::LstCapExceeded { lst: LST_A, staked: metis(30_000), amount: metis(20_001), cap: metis(50_000) })
    );
    env.deposit(LST_A, id(2), metis(20_000)).unwrap();
    assert_eq!(env.account(LST_A).staked, metis(50_000));

    // Paused deposits keep the stake where it is; withdrawals go on.
    env.set_status(LST_A, status::DEPOSITS_PAUSED);
    assert_eq!(
        env.pool_fail(LST_A, &ILockingPool::lockDelegatedCall { sequencerId: id(1), amount: metis(1) }),
        P::LstDepositsClosed(ILockingPool::LstDepositsClosed { lst: LST_A })
    );
    env.withdraw(LST_A, id(1), metis(5_000)).unwrap();
    assert_eq!(env.delegation(id(1)).lstStake, metis(25_000));
    env.set_status(LST_A, status::ACTIVE);
    env.deposit(LST_A, id(1), metis(5_000)).unwrap();
    env.assert_conserved();
}

#[test]
fn the_lst_withdraws_through_its_own_queue_after_the_exit_delay() {
    let env = paired();
    env.deposit(LST_A, id(1), metis(40_000)).unwrap();
    let t0 = env.now();
    let out = env.withdraw(LST_A, id(1), metis(15_000)).unwrap();
    assert_eq!(out.value, U256::ZERO);
    assert_eq!(
        out.events::<ILockingPool::DelegatedWithdrawalRequested>(),
        vec![ILockingPool::DelegatedWithdrawalRequested {
            lst: LST_A, requestId: U256::ZERO, sequencerId: id(1), amount: metis(15_000), claimableAt: t0 + EXIT_DELAY, unwound: false,
        }]
    );
    assert_eq!(env.delegation(id(1)).lstStake, metis(25_000));
    assert_eq!(env.votes(LST_A), metis(25_000), "requested stake stops voting at once");
    assert_eq!((env.total_locked(), env.total_pending()), (metis(85_000), metis(15_000)));
    // The LST may take all of its stake (no minLock for it), never more.
    assert_eq!(
        env.pool_fail(LST_A, &ILockingPool::requestDelegatedWithdrawalCall { sequencerId: id(1), amount: metis(25_001) }),
        P::WithdrawalExceedsStake(ILockingPool::WithdrawalExceedsStake { amount: metis(25_001), stake: metis(25_000) })
    );
    assert_eq!(
        env.pool_fail(LST_A, &ILockingPool::requestDelegatedWithdrawalCall { sequencerId: id(1), amount: U256::ZERO }),
        P::ZeroWithdrawal(ILockingPool::ZeroWithdrawal {})
    );
    env.warp(DAY);
    assert_eq!(env.withdraw(LST_A, id(1), metis(25_000)).unwrap().value, u(1));

    // Nothing matures before its time; anyone may trigger the claim, the LST is paid.
    assert_eq!(
        env.pool_fail(MALLORY, &ILockingPool::claimDelegatedWithdrawalsCall { lst: LST_A }),
        P::NoMaturedDelegatedWithdrawal(ILockingPool::NoMaturedDelegatedWithdrawal { lst: LST_A, nextClaimableAt: t0 + EXIT_DELAY })
    );
    env.world.set_timestamp(t0 + EXIT_DELAY);
    let before = env.balance(LST_A);
    let out = env.claim(MALLORY, LST_A).unwrap();
    assert_eq!(out.value, metis(15_000));
    assert_eq!(
        out.events::<ILockingPool::DelegatedWithdrawalsClaimed>(),
        vec![ILockingPool::DelegatedWithdrawalsClaimed { lst: LST_A, amount: metis(15_000), firstRequestId: U256::ZERO, count: u(1) }]
    );
    assert_eq!(env.balance(LST_A) - before, metis(15_000));
    assert_eq!(env.balance(MALLORY), U256::ZERO);
    let r = env.request(LST_A, 0);
    assert_eq!((r.amount, r.claimableAt, r.sequencerId), (U256::ZERO, 0, U256::ZERO), "claimed requests are cleared");
    let r = env.request(LST_A, 1);
    assert_eq!((r.amount, r.claimableAt, r.sequencerId), (metis(25_000), t0 + DAY + EXIT_DELAY, id(1)));
    env.warp(DAY);
    assert_eq!(env.claim(LST_A, LST_A).unwrap().value, metis(25_000));
    let a = env.account(LST_A);
    assert_eq!((a.staked, a.pending, a.nextToClaim, a.nextRequestId), (U256::ZERO, U256::ZERO, 2, 2));
    assert_eq!(
        env.pool_fail(LST_A, &ILockingPool::claimDelegatedWithdrawalsCall { lst: LST_A }),
        P::NoMaturedDelegatedWithdrawal(ILockingPool::NoMaturedDelegatedWithdrawal { lst: LST_A, nextClaimableAt: 0 })
    );
    assert_eq!(env.balance(LST_A), metis(LST_FUNDS), "every token came back");
    env.assert_conserved();
}

#[test]
fn neither_side_can_take_the_others_stake() {
    let env = paired();
    env.deposit(LST_A, id(1), metis(40_000)).unwrap();
    // The operator's stake is 30,000: it can take 10,000 (minLock 20,000), never the LST's.
    assert_eq!(
        env.pool_fail(ALICE, &ILockingPool::requestWithdrawalCall { sequencerId: id(1), amount: metis(30_000) }),
        P::WithdrawalBelowMinLock(ILockingPool::WithdrawalBelowMinLock { remaining: U256::ZERO, minLock: metis(20_000) })
    );
    assert_eq!(
        env.pool_fail(ALICE, &ILockingPool::requestWithdrawalCall { sequencerId: id(1), amount: metis(40_000) }),
        P::WithdrawalExceedsStake(ILockingPool::WithdrawalExceedsStake { amount: metis(40_000), stake: metis(30_000) })
    );
    assert_eq!(
        env.pool_fail(ALICE, &ILockingPool::requestDelegatedWithdrawalCall { sequencerId: id(1), amount: metis(1) }),
        P::NotSequencerDelegate(ILockingPool::NotSequencerDelegate { sequencerId: id(1), caller: ALICE })
    );
    // The LST cannot touch the operator's stake, nor exit the sequencer.
    assert_eq!(
        env.pool_fail(LST_A, &ILockingPool::requestDelegatedWithdrawalCall { sequencerId: id(1), amount: metis(40_001) }),
        P::WithdrawalExceedsStake(ILockingPool::WithdrawalExceedsStake { amount: metis(40_001), stake: metis(40_000) })
    );
    assert_eq!(
        env.pool_fail(LST_A, &ILockingPool::requestWithdrawalCall { sequencerId: id(1), amount: metis(1) }),
        P::NotSeqOwner(ILockingPool::NotSeqOwner { sequencerId: id(1), caller: LST_A })
    );
    assert_eq!(
        env.pool_fail(LST_A, &ILockingPool::unlockCall { sequencerId: id(1), l2Gas: 0 }),
        P::NotSeqOwner(ILockingPool::NotSeqOwner { sequencerId: id(1), caller: LST_A })
    );
    // The operator's exit pays the operator's stake only.
    env.pool_send(ALICE, &ILockingPool::unlockCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    env.warp(EXIT_DELAY);
    let before = env.balance(ALICE);
    env.pool_send(ALICE, &ILockingPool::unlockClaimCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    assert_eq!(env.balance(ALICE) - before, metis(30_000));
    assert_eq!(env.claim(LST_A, LST_A).unwrap().value, metis(40_000));
    env.assert_conserved();
}

#[test]
fn unpairing_unwinds_the_lsts_stake_into_its_queue_even_while_paused() {
    let env = paired();
    env.deposit(LST_A, id(1), metis(40_000)).unwrap();
    env.pool_send(ADMIN, &ILockingPool::pauseCall {}).unwrap();
    let t = env.now();
    let out = env.unpair(ALICE, id(1)).unwrap();
    assert_eq!(
        out.events::<ILockingPool::DelegatedWithdrawalRequested>(),
        vec![ILockingPool::DelegatedWithdrawalRequested {
            lst: LST_A, requestId: U256::ZERO, sequencerId: id(1), amount: metis(40_000), claimableAt: t + EXIT_DELAY, unwound: true,
        }]
    );
    assert_eq!((env.delegation(id(1)).lstStake, env.votes(LST_A)), (U256::ZERO, U256::ZERO));
    assert_eq!(env.account(LST_A).pending, metis(40_000));
    // Paused: no new stake, no new requests, but claims work.
    assert_eq!(env.pool_fail(LST_A, &ILockingPool::requestDelegatedWithdrawalCall { sequencerId: id(1), amount: metis(1) }), P::EnforcedPause(ILockingPool::EnforcedPause {}));
    env.warp(EXIT_DELAY);
    assert_eq!(env.claim(LST_A, LST_A).unwrap().value, metis(40_000));
    assert_eq!(env.balance(LST_A), metis(LST_FUNDS));
    env.assert_conserved();
}

#[test]
fn a_delisted_lsts_stake_is_unwound_by_anyone() {
    let env = paired();
    env.pair(BOB, id(2), LST_A);
    env.deposit(LST_A, id(1), metis(10_000)).unwrap();
    env.deposit(LST_A, id(2), metis(20_000)).unwrap();
    env.set_status(LST_A, status::DELISTED);
    assert_eq!(
        env.pool_fail(LST_A, &ILockingPool::lockDelegatedCall { sequencerId: id(1), amount: metis(1) }),
        P::LstDepositsClosed(ILockingPool::LstDepositsClosed { lst: LST_A })
    );
    for seq in [id(1), id(2)] {
        env.unpair(MALLORY, seq).unwrap();
    }
    let a = env.account(LST_A);
    assert_eq!((a.staked, a.pending, a.nextRequestId), (U256::ZERO, metis(30_000), 2));
    env.warp(EXIT_DELAY);
    assert_eq!(env.claim(MALLORY, LST_A).unwrap().value, metis(30_000));
    assert_eq!(env.balance(LST_A), metis(LST_FUNDS));
    env.assert_conserved();
}

#[test]
fn an_exit_unwinds_the_lsts_stake_with_the_operators_delay() {
    for forced in [false, true] {
        let env = paired();
        env.deposit(LST_A, id(1), metis(40_000)).unwrap();
        env.withdraw(LST_A, id(1), metis(5_000)).unwrap();
        env.warp(DAY);
        let t = env.now();
        let logs = if forced {
            env.pool_send(ADMIN, &ILockingPool::forceUnlockCall { sequencerId: id(1), l2Gas: 0 }).unwrap().logs
        } else {
            env.pool_send(ALICE, &ILockingPool::unlockCall { sequencerId: id(1), l2Gas: 0 }).unwrap().logs
        };
        assert_eq!(
            Env::events_of::<ILockingPool::DelegatedWithdrawalRequested>(&logs, POOL),
            vec![ILockingPool::DelegatedWithdrawalRequested {
                lst: LST_A, requestId: u(1), sequencerId: id(1), amount: metis(35_000), claimableAt: t + EXIT_DELAY, unwound: true,
            }]
        );
        let exit = Env::events_of::<ILockingPool::UnlockInit>(&logs, POOL);
        assert_eq!((exit[0].unlockClaimTime, exit[0].amount, exit[0].forced), (t + EXIT_DELAY, metis(30_000), forced));
        assert_eq!((env.votes(LST_A), env.votes(ALICE)), (U256::ZERO, U256::ZERO));
        assert_eq!(env.delegation(id(1)).lstStake, U256::ZERO);
        // The LST can no longer add to or take from the exited sequencer; its queue pays it.
        assert_eq!(
            env.pool_fail(LST_A, &ILockingPool::lockDelegatedCall { sequencerId: id(1), amount: metis(1) }),
            P::SeqNotActive(ILockingPool::SeqNotActive { sequencerId: id(1), status: 1 })
        );
        env.warp(EXIT_DELAY);
        assert_eq!(env.claim(LST_A, LST_A).unwrap().value, metis(40_000));
        // The pairing is left for anyone to end; it unwinds nothing more.
        let out = env.unpair(MALLORY, id(1)).unwrap();
        assert!(out.events::<ILockingPool::DelegatedWithdrawalRequested>().is_empty());
        assert_eq!(env.balance(LST_A), metis(LST_FUNDS));
        env.assert_conserved();
    }
}

#[test]
fn claims_are_bounded_per_call_and_resume_where_they_stopped() {
    let env = paired();
    env.deposit(LST_A, id(1), metis(50_000)).unwrap();
    for _ in 0..40 {
        env.withdraw(LST_A, id(1), metis(1_000)).unwrap();
    }
    env.warp(EXIT_DELAY);
    let out = env.claim(LST_A, LST_A).unwrap();
    assert_eq!(out.value, metis(32_000));
    assert_eq!(out.events::<ILockingPool::DelegatedWithdrawalsClaimed>()[0].count, u(32));
    let out = env.claim(LST_A, LST_A).unwrap();
    assert_eq!(out.value, metis(8_000));
    assert_eq!(out.events::<ILockingPool::DelegatedWithdrawalsClaimed>()[0].firstRequestId, u(32));
    env.assert_conserved();
}

#[test]
fn the_queue_matures_in_order_when_the_delay_shrinks() {
    let env = paired();
    env.deposit(LST_A, id(1), metis(10_000)).unwrap();
    let t = env.now();
    env.withdraw(LST_A, id(1), metis(1_000)).unwrap();
    env.pool_send(ADMIN, &ILockingPool::updateWithdrawDelayTimeValueCall { delay: u(DAY) }).unwrap();
    env.withdraw(LST_A, id(1), metis(1_000)).unwrap();
    assert_eq!(env.request(LST_A, 1).claimableAt, t + EXIT_DELAY, "never before the request ahead of it");
}

/// An LST whose contract reverts on every call it receives.
struct Bricked;

impl stylus_world::NativeContract for Bricked {
    fn call(&self, _ctx: &mut stylus_world::NativeCtx, _input: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        Err(b"bricked".to_vec())
    }
}

#[test]
fn a_reverting_lst_blocks_neither_the_operator_nor_other_lsts() {
    let env = paired();
    env.deposit(LST_A, id(1), metis(40_000)).unwrap();
    env.world.deploy_native(LST_A, Bricked);
    env.pair(BOB, id(2), LST_B);
    env.deposit(LST_B, id(2), metis(10_000)).unwrap();
    // Neither the registry nor the pool ever calls the LST: the operator exits, anyone unpairs
    // and claims, and the LST still receives its tokens.
    env.pool_send(ALICE, &ILockingPool::unlockCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    env.unpair(MALLORY, id(1)).unwrap();
    env.warp(EXIT_DELAY);
    env.pool_send(ALICE, &ILockingPool::unlockClaimCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    assert_eq!(env.claim(MALLORY, LST_A).unwrap().value, metis(40_000));
    assert_eq!(env.balance(LST_A), metis(LST_FUNDS));
    env.withdraw(LST_B, id(2), metis(10_000)).unwrap();
    env.assert_conserved();
}

#[test]
fn a_token_that_calls_back_into_the_pool_during_a_deposit_is_rejected() {
    let env = paired();
    let reenter = alloy_sol_types::SolCall::abi_encode(&ILockingPool::requestDelegatedWithdrawalCall { sequencerId: id(1), amount: metis(1) });
    env.world.send(ADMIN, METIS, &IMockToken::setHookCall { target: POOL, data: reenter.into() }).unwrap();
    let out = env.deposit(LST_A, id(1), metis(10_000)).unwrap();
    let hooks = out.events::<IMockToken::HookCalled>();
    assert_eq!(hooks.len(), 1);
    assert!(!hooks[0].ok, "the re-entrant request was refused");
    assert_eq!((env.delegation(id(1)).lstStake, env.total_pending()), (metis(10_000), U256::ZERO));
    env.assert_conserved();
}

#[test]
fn a_new_pairing_starts_from_zero_and_the_old_lst_keeps_its_queue() {
    let env = paired();
    env.deposit(LST_A, id(1), metis(20_000)).unwrap();
    env.unpair(LST_A, id(1)).unwrap();
    env.pair(ALICE, id(1), LST_B);
    env.deposit(LST_B, id(1), metis(5_000)).unwrap();
    let d = env.delegation(id(1));
    assert_eq!((d.lst, d.lstStake), (LST_B, metis(5_000)));
    assert_eq!((env.account(LST_A).pending, env.account(LST_B).staked), (metis(20_000), metis(5_000)));
    assert_eq!(
        env.pool_fail(LST_A, &ILockingPool::requestDelegatedWithdrawalCall { sequencerId: id(1), amount: metis(1) }),
        P::NotSequencerDelegate(ILockingPool::NotSequencerDelegate { sequencerId: id(1), caller: LST_A })
    );
    env.warp(EXIT_DELAY);
    assert_eq!(env.claim(LST_A, LST_A).unwrap().value, metis(20_000));
    env.assert_conserved();
}

#[test]
fn an_owner_transfer_keeps_the_pairing_and_moves_only_the_operators_votes() {
    let env = paired();
    env.deposit(LST_A, id(1), metis(40_000)).unwrap();
    env.pool_send(ADMIN, &ILockingPool::setWhitelistCall { user: CAROL, yes: true }).unwrap();
    env.pool_send(ALICE, &ILockingPool::setSequencerOwnerCall { sequencerId: id(1), newOwner: CAROL }).unwrap();
    env.pool_send(CAROL, &ILockingPool::acceptSequencerOwnerCall { sequencerId: id(1) }).unwrap();
    assert_eq!((env.votes(ALICE), env.votes(CAROL), env.votes(LST_A)), (U256::ZERO, metis(30_000), metis(40_000)));
    assert_eq!(env.delegation(id(1)).lst, LST_A);
    env.unpair(CAROL, id(1)).unwrap();
    assert_eq!(env.votes(LST_A), U256::ZERO);
}

#[test]
fn an_lst_without_a_registry_cannot_be_named() {
    let env = Env::new();
    env.pool_send(ADMIN, &ILockingPool::setLstRegistryCall { registry: Address::ZERO }).unwrap();
    assert_eq!(
        env.pool_fail(REGISTRY, &ILockingPool::setDelegateCall { sequencerId: id(1), lst: LST_A }),
        P::NotLstRegistry(ILockingPool::NotLstRegistry { caller: REGISTRY })
    );
    assert_eq!(env.pool_view(&ILockingPool::lstRegistryCall {}), Address::ZERO);
}
