//! The pool's stake-conservation invariant extended to delegated stake, over random sequences
//! of operations by operators, LSTs and governance, failing ones included: the pool holds
//! exactly the stakes plus the pending withdrawals; each LST's account equals the sum of its
//! stakes in sequencers and of its open requests; votes equal counting stake; and once every
//! sequencer exits and every queue is claimed, every account holds what it was funded with.

mod common;

use alloy_primitives::{Address, U256};
use common::*;
use dseq_abi::locking_pool::ILockingPool;
use proptest::prelude::*;

const OPERATORS: [Address; 2] = [ALICE, BOB];
const LSTS: [Address; 2] = [LST_A, LST_B];
const OPERATOR_FUNDS: u64 = 100_000;

#[derive(Clone, Debug)]
enum Op {
    Pair { seq: usize, lst: usize },
    Unpair { seq: usize, by_stranger: bool },
    Deposit { seq: usize, lst: usize, amount: U256 },
    Withdraw { seq: usize, lst: usize, amount: U256 },
    Claim { lst: usize },
    OperatorRelock { seq: usize, amount: U256 },
    OperatorWithdraw { seq: usize, amount: U256 },
    OperatorClaim { seq: usize },
    Exit { seq: usize, forced: bool },
    ExitClaim { seq: usize },
    Status { lst: usize, status: u8 },
    Cap { lst: usize, cap: U256 },
    Pause { on: bool },
    Warp { seconds: u64 },
}

fn amount() -> impl Strategy<Value = U256> {
    prop_oneof![
        Just(U256::ZERO),
        (0u64..=80_000).prop_map(metis),
        (0u64..=80_000, 0u64..1_000_000).prop_map(|(m, wei)| metis(m) + U256::from(wei)),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let (seq, lst) = (0usize..2, 0usize..2);
    prop_oneof![
        3 => (seq.clone(), lst.clone()).prop_map(|(seq, lst)| Op::Pair { seq, lst }),
        1 => (seq.clone(), any::<bool>()).prop_map(|(seq, by_stranger)| Op::Unpair { seq, by_stranger }),
        4 => (seq.clone(), lst.clone(), amount()).prop_map(|(seq, lst, amount)| Op::Deposit { seq, lst, amount }),
        3 => (seq.clone(), lst.clone(), amount()).prop_map(|(seq, lst, amount)| Op::Withdraw { seq, lst, amount }),
        2 => lst.clone().prop_map(|lst| Op::Claim { lst }),
        1 => (seq.clone(), amount()).prop_map(|(seq, amount)| Op::OperatorRelock { seq, amount }),
        1 => (seq.clone(), amount()).prop_map(|(seq, amount)| Op::OperatorWithdraw { seq, amount }),
        1 => seq.clone().prop_map(|seq| Op::OperatorClaim { seq }),
        1 => (seq.clone(), any::<bool>()).prop_map(|(seq, forced)| Op::Exit { seq, forced }),
        1 => seq.clone().prop_map(|seq| Op::ExitClaim { seq }),
        1 => (lst.clone(), 1u8..=3).prop_map(|(lst, status)| Op::Status { lst, status }),
        1 => (lst, (0u64..=150_000).prop_map(metis)).prop_map(|(lst, cap)| Op::Cap { lst, cap }),
        1 => any::<bool>().prop_map(|on| Op::Pause { on }),
        2 => prop_oneof![Just(DAY), Just(EXIT_DELAY), 0u64..30 * DAY].prop_map(|seconds| Op::Warp { seconds }),
    ]
}

fn apply(env: &Env, op: &Op) {
    let seq_id = |seq: usize| id(seq as u64 + 1);
    // Failures are part of the run: only the invariants must hold.
    let _ = match op {
        Op::Pair { seq, lst } => {
            let _ = env.offer(OPERATORS[*seq], seq_id(*seq), LSTS[*lst]);
            env.accept(LSTS[*lst], seq_id(*seq), LSTS[*lst]).map(|o| o.logs)
        }
        Op::Unpair { seq, by_stranger } => {
            let from = if *by_stranger { MALLORY } else { OPERATORS[*seq] };
            env.unpair(from, seq_id(*seq)).map(|o| o.logs)
        }
        Op::Deposit { seq, lst, amount } => env.deposit(LSTS[*lst], seq_id(*seq), *amount).map(|o| o.logs),
        Op::Withdraw { seq, lst, amount } => env.withdraw(LSTS[*lst], seq_id(*seq), *amount).map(|o| o.logs),
        Op::Claim { lst } => env.claim(MALLORY, LSTS[*lst]).map(|o| o.logs),
        Op::OperatorRelock { seq, amount } => env
            .pool_send(OPERATORS[*seq], &ILockingPool::relockCall { sequencerId: seq_id(*seq), amount: *amount, lockReward: false })
            .map(|o| o.logs),
        Op::OperatorWithdraw { seq, amount } => env
            .pool_send(OPERATORS[*seq], &ILockingPool::requestWithdrawalCall { sequencerId: seq_id(*seq), amount: *amount })
            .map(|o| o.logs),
        Op::OperatorClaim { seq } => {
            env.pool_send(OPERATORS[*seq], &ILockingPool::claimWithdrawalsCall { sequencerId: seq_id(*seq) }).map(|o| o.logs)
        }
        Op::Exit { seq, forced: false } => {
            env.pool_send(OPERATORS[*seq], &ILockingPool::unlockCall { sequencerId: seq_id(*seq), l2Gas: 0 }).map(|o| o.logs)
        }
        Op::Exit { seq, forced: true } => {
            env.pool_send(ADMIN, &ILockingPool::forceUnlockCall { sequencerId: seq_id(*seq), l2Gas: 0 }).map(|o| o.logs)
        }
        Op::ExitClaim { seq } => {
            env.pool_send(OPERATORS[*seq], &ILockingPool::unlockClaimCall { sequencerId: seq_id(*seq), l2Gas: 0 }).map(|o| o.logs)
        }
        Op::Status { lst, status } => env
            .send(GOV, &dseq_abi::lst::ILstRegistry::setLstStatusCall { lst: LSTS[*lst], status: *status })
            .map(|o| o.logs),
        Op::Cap { lst, cap } => {
            env.send(GOV, &dseq_abi::lst::ILstRegistry::setLstCapCall { lst: LSTS[*lst], cap: *cap }).map(|o| o.logs)
        }
        Op::Pause { on: true } => env.pool_send(ADMIN, &ILockingPool::pauseCall {}).map(|o| o.logs),
        Op::Pause { on: false } => env.pool_send(ADMIN, &ILockingPool::unpauseCall {}).map(|o| o.logs),
        Op::Warp { seconds } => {
            env.warp(*seconds);
            Ok(Vec::new())
        }
    };
}

/// The invariants that hold after every operation.
fn check(env: &Env) {
    env.assert_conserved();
    let delegations: Vec<_> = (1..=2).map(|n| env.delegation(id(n))).collect();
    let mut counting = U256::ZERO;
    for d in &delegations {
        if d.status == 2 {
            counting += d.operatorStake + d.lstStake;
        } else {
            assert_eq!(d.lstStake, U256::ZERO, "an exited sequencer holds no LST stake");
        }
        assert!(d.operatorStake + d.lstStake <= metis(100_000), "maxLock");
    }
    for lst in LSTS {
        let account = env.account(lst);
        let in_sequencers: U256 = delegations.iter().filter(|d| d.lst == lst).map(|d| d.lstStake).sum();
        assert_eq!(account.staked, in_sequencers, "{lst}: its account is the sum of its stakes");
        let open: U256 = (account.nextToClaim..account.nextRequestId).map(|r| env.request(lst, r).amount).sum();
        assert_eq!(account.pending, open, "{lst}: pending is the sum of its open requests");
        assert_eq!(env.votes(lst), account.staked, "{lst}: votes equal counting stake");
    }
    // Inactive sequencers' own stake stays in total_locked until claimed.
    let exited_own: U256 = delegations.iter().filter(|d| d.status == 1).map(|d| d.operatorStake).sum();
    assert_eq!(env.total_locked(), counting + exited_own);
}

/// Ends everything: unpause, exit both sequencers, wait, claim every queue.
fn wind_down(env: &Env) {
    let _ = env.pool_send(ADMIN, &ILockingPool::unpauseCall {});
    for (i, operator) in OPERATORS.iter().enumerate() {
        let _ = env.pool_send(*operator, &ILockingPool::unlockCall { sequencerId: id(i as u64 + 1), l2Gas: 0 });
    }
    env.warp(400 * DAY);
    for (i, operator) in OPERATORS.iter().enumerate() {
        let _ = env.pool_send(*operator, &ILockingPool::claimWithdrawalsCall { sequencerId: id(i as u64 + 1) });
        let _ = env.pool_send(*operator, &ILockingPool::unlockClaimCall { sequencerId: id(i as u64 + 1), l2Gas: 0 });
    }
    for lst in LSTS {
        while env.claim(lst, lst).is_ok() {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn delegated_stake_is_conserved(ops in proptest::collection::vec(op(), 1..60)) {
        let env = Env::new();
        for operator in OPERATORS {
            env.fund(operator, metis(OPERATOR_FUNDS));
        }
        for op in &ops {
            apply(&env, op);
            check(&env);
        }
        wind_down(&env);
        check(&env);
        prop_assert_eq!(env.balance(POOL), U256::ZERO);
        prop_assert_eq!(env.total_locked() + env.total_pending(), U256::ZERO);
        for lst in LSTS {
            prop_assert_eq!(env.balance(lst), metis(LST_FUNDS), "every LST token came back");
        }
        for operator in OPERATORS {
            // Registration moved 30,000 out of the registration funding; the rest was extra funding.
            prop_assert_eq!(env.balance(operator), metis(30_000 + OPERATOR_FUNDS));
        }
    }
}
