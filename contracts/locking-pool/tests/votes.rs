//! Operators' governance rights: the pool reports every change of an owner's counting stake
//! to metis-votes, so locked METIS votes for its owner (or the owner's delegate), and stops
//! the moment a withdrawal is requested or an exit starts.

mod common;

use alloy_primitives::{address, Address, U256};
use common::*;
use dseq_abi::{
    locking_pool::{ILockingPool, ILockingPool::ILockingPoolErrors as PoolError},
    metis_votes::{IMetisVotes, IMetisVotes::IMetisVotesErrors as VotesError},
};
use alloy_sol_types::{SolError, SolInterface};
use metis_votes::MetisVotes;
use stylus_world::keys::Key;

const VOTES: Address = address!("00000000000000000000000000000000000a0010");

/// A pool whose counting stake votes in a metis-votes at [`VOTES`].
fn env_with_votes() -> Env {
    let env = Env::new();
    env.world.deploy(VOTES, MetisVotes::program_0);
    env.world.send(ADMIN, VOTES, &IMetisVotes::initializeCall { underlying: METIS_TOKEN, stakeSource: POOL }).unwrap();
    let out = env.send(ADMIN, &ILockingPool::setVotingTokenCall { votes: VOTES }).unwrap();
    assert_eq!(out.events::<ILockingPool::VotingTokenSet>()[0].votes, VOTES);
    assert_eq!(env.view(&ILockingPool::votingTokenCall {}), VOTES);
    env
}

fn votes(env: &Env, account: Address) -> U256 {
    env.world.view(VOTES, &IMetisVotes::getVotesCall { account })
}

fn past_votes(env: &Env, account: Address, timepoint: u64) -> U256 {
    env.world.view(VOTES, &IMetisVotes::getPastVotesCall { account, timepoint: U256::from(timepoint) })
}

fn stake_of(env: &Env, owner: Address) -> U256 {
    env.world.view(VOTES, &IMetisVotes::stakeOfCall { owner })
}

#[test]
fn an_operators_stake_votes_until_it_leaves() {
    let env = env_with_votes();
    let t0 = env.now();
    let id = env.register(ALICE, &Key::from_seed(11), metis(30_000));
    assert_eq!(votes(&env, ALICE), metis(30_000), "registration credits the stake, self-delegated");
    assert_eq!(stake_of(&env, ALICE), metis(30_000));

    env.warp(10);
    env.send(ALICE, &ILockingPool::relockCall { sequencerId: id, amount: metis(5_000), lockReward: false }).unwrap();
    assert_eq!(votes(&env, ALICE), metis(35_000));

    env.warp(10);
    env.send(ALICE, &ILockingPool::requestWithdrawalCall { sequencerId: id, amount: metis(10_000) }).unwrap();
    assert_eq!(votes(&env, ALICE), metis(25_000), "a withdrawal request stops counting at once");
    assert_eq!(env.stake(id), metis(25_000), "the pool and the token agree");

    env.warp(10);
    env.send(ALICE, &ILockingPool::unlockCall { sequencerId: id, l2Gas: 0 }).unwrap();
    assert_eq!(votes(&env, ALICE), U256::ZERO, "an exit stops counting at once");
    assert_eq!(stake_of(&env, ALICE), U256::ZERO);

    env.warp(1);
    assert_eq!(past_votes(&env, ALICE, t0), metis(30_000));
    assert_eq!(past_votes(&env, ALICE, t0 + 10), metis(35_000));
    assert_eq!(past_votes(&env, ALICE, t0 + 20), metis(25_000), "a snapshot after the request sees only what stays locked");
    assert_eq!(past_votes(&env, ALICE, t0 + 30), U256::ZERO);
    env.assert_conserved();
}

#[test]
fn stake_follows_delegation_forced_exits_and_owner_transfers() {
    let env = env_with_votes();
    let alice_id = env.register(ALICE, &Key::from_seed(11), metis(40_000));
    env.world.send(ALICE, VOTES, &IMetisVotes::delegateCall { delegatee: CAROL }).unwrap();
    assert_eq!((votes(&env, ALICE), votes(&env, CAROL)), (U256::ZERO, metis(40_000)), "the owner's delegate votes its stake");

    env.admit(MALLORY);
    env.send(ALICE, &ILockingPool::setSequencerOwnerCall { sequencerId: alice_id, newOwner: MALLORY }).unwrap();
    env.send(MALLORY, &ILockingPool::acceptSequencerOwnerCall { sequencerId: alice_id }).unwrap();
    assert_eq!(votes(&env, CAROL), U256::ZERO, "the stake left Alice's delegate with the sequencer");
    assert_eq!(votes(&env, MALLORY), metis(40_000));
    assert_eq!((stake_of(&env, ALICE), stake_of(&env, MALLORY)), (U256::ZERO, metis(40_000)));

    let bob_id = env.register(BOB, &Key::from_seed(12), metis(20_000));
    env.send(ADMIN, &ILockingPool::forceUnlockCall { sequencerId: bob_id, l2Gas: 0 }).unwrap();
    assert_eq!(votes(&env, BOB), U256::ZERO, "a forced exit stops counting too");
    let total: U256 = env.world.view(VOTES, &IMetisVotes::getVotesCall { account: MALLORY });
    assert_eq!(total, env.stake(alice_id));
}

#[test]
fn the_voting_token_is_set_once_before_any_stake() {
    let env = Env::new();
    assert!(matches!(
        env.fail(ALICE, &ILockingPool::setVotingTokenCall { votes: VOTES }),
        PoolError::AccessControlUnauthorizedAccount(e) if e.account == ALICE
    ));
    assert!(matches!(env.fail(ADMIN, &ILockingPool::setVotingTokenCall { votes: Address::ZERO }), PoolError::NullAddress(_)));
    env.register(ALICE, &Key::from_seed(11), metis(20_000));
    match env.fail(ADMIN, &ILockingPool::setVotingTokenCall { votes: VOTES }) {
        PoolError::StakeAlreadyLocked(e) => assert_eq!(e.totalLocked, metis(20_000)),
        other => panic!("{other:?}"),
    }

    let env = env_with_votes();
    match env.fail(ADMIN, &ILockingPool::setVotingTokenCall { votes: CAROL }) {
        PoolError::VotingTokenAlreadySet(e) => assert_eq!(e.votes, VOTES),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_refused_report_undoes_the_operation() {
    let env = Env::new();
    // A token that counts another pool's stake refuses this pool's reports.
    env.world.deploy(VOTES, MetisVotes::program_0);
    env.world.send(ADMIN, VOTES, &IMetisVotes::initializeCall { underlying: METIS_TOKEN, stakeSource: CAROL }).unwrap();
    env.send(ADMIN, &ILockingPool::setVotingTokenCall { votes: VOTES }).unwrap();
    let before = env.balance(ALICE);
    match env.fail(ALICE, &lock_call(ALICE, &Key::from_seed(11), metis(20_000))) {
        PoolError::StakeReportFailed(e) => {
            assert_eq!(e.votes, VOTES);
            assert_eq!(e.reason[..4], IMetisVotes::NotStakeSource::SELECTOR);
            let inner = VotesError::abi_decode(&e.reason).unwrap();
            assert!(matches!(inner, VotesError::NotStakeSource(n) if n.caller == POOL));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(env.balance(ALICE), before, "nothing was pulled");
    assert_eq!(env.total_locked(), U256::ZERO);
    assert_eq!(env.view(&ILockingPool::seqOwnersCall { owner: ALICE }), U256::ZERO, "no sequencer was registered");
}

#[test]
fn stake_changes_in_one_second_leave_one_checkpoint() {
    let env = env_with_votes();
    let t0 = env.now();
    let id = env.register(ALICE, &Key::from_seed(11), metis(30_000));
    env.send(ALICE, &ILockingPool::relockCall { sequencerId: id, amount: metis(10_000), lockReward: false }).unwrap();
    env.send(ALICE, &ILockingPool::requestWithdrawalCall { sequencerId: id, amount: metis(5_000) }).unwrap();
    assert_eq!(votes(&env, ALICE), metis(35_000));
    assert_eq!(env.world.view(VOTES, &IMetisVotes::numCheckpointsCall { account: ALICE }), 1);
    env.warp(1);
    env.send(ALICE, &ILockingPool::requestWithdrawalCall { sequencerId: id, amount: metis(5_000) }).unwrap();
    env.warp(1);
    assert_eq!(past_votes(&env, ALICE, t0), metis(35_000));
    assert_eq!(past_votes(&env, ALICE, t0 + 1), metis(30_000));
    assert_eq!(env.world.view(VOTES, &IMetisVotes::numCheckpointsCall { account: ALICE }), 2);
}
