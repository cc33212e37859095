//! The end of a round through the election's real ABI: vetoes, finalization (qualification,
//! ranking, seats, the quorum share, admission to the real locking-pool and its failure),
//! cancellation, revocation, and the storage layout.

mod common;

use alloy_primitives::{address, Address, U256};
use alloy_sol_types::SolError;
use common::*;
use dseq_abi::{
    election::{
        ISequencerElection as SE,
        ISequencerElection::{ISequencerElectionErrors as E, *},
    },
    locking_pool::{ILockingPool, ILockingPool::ILockingPoolErrors as PoolError, ADMISSION_ROLE},
    metis_votes::IMetisVotes::IMetisVotesErrors,
};

const FRANK: Address = address!("0000000000000000000000000000000000f5a4c0");
const GRACE: Address = address!("000000000000000000000000000000000006ace0");



fn veto(id: U256, candidate: Address) -> SE::vetoCall {
    SE::vetoCall { roundId: id, candidate }
}

fn admitted(id: U256, c: &Candidate, rank: u64, votes_for: U256) -> CandidateAdmitted {
    CandidateAdmitted { roundId: id, operator: c.operator, signer: c.signer(), rank: u(rank), votesFor: votes_for }
}

/// The pool's refusal of a caller without ADMISSION_ROLE, as revert data.
fn no_admission_role(account: Address) -> Vec<u8> {
    ILockingPool::AccessControlUnauthorizedAccount { account, neededRole: ADMISSION_ROLE }.abi_encode()
}

// ============================================================================ vetting

#[test]
fn the_vetter_vetoes_during_vetting_only() {
    let env = Env::new();
    let (id, cs) = round_with(&env, 3);
    let (c1, c2, c3) = (cs[0].operator, cs[1].operator, cs[2].operator);
    assert_eq!(env.fail(VETTER, &veto(id, c1)), unexpected(id, APPLICATIONS, VETTING_PHASE));
    assert_eq!(env.fail(MALLORY, &veto(id, c1)), E::NotVetter(NotVetter { caller: MALLORY }));
    env.warp_to(env.voting_end(id));
    assert_eq!(env.fail(VETTER, &veto(id, c1)), unexpected(id, VOTING_PHASE, VETTING_PHASE));

    env.warp_to(env.voting_end(id) + 1);
    for caller in [MALLORY, GOV, c1, ADMIN] {
        assert_eq!(env.fail(caller, &veto(id, c1)), E::NotVetter(NotVetter { caller }));
    }
    let out = env.send(VETTER, &veto(id, c1)).unwrap();
    assert_eq!(Env::own::<CandidateVetoed>(&out.logs), vec![CandidateVetoed { roundId: id, candidate: c1, vetter: VETTER }]);
    assert_eq!(out.logs.len(), 1);
    assert_eq!(env.status(id, c1), VETOED);
    assert_eq!(env.fail(VETTER, &veto(id, c1)), E::AlreadyVetoed(AlreadyVetoed { roundId: id, candidate: c1 }));
    assert_eq!(
        env.fail(VETTER, &veto(id, MALLORY)),
        E::UnknownCandidate(UnknownCandidate { roundId: id, candidate: MALLORY })
    );
    assert_eq!(env.fail(VETTER, &veto(u(2), c1)), E::UnknownRound(UnknownRound { roundId: u(2) }));

    env.warp_to(env.vetting_end(id));
    env.send(VETTER, &veto(id, c2)).unwrap();
    assert_eq!(env.status(id, c2), VETOED);
    env.world.warp(1);
    assert_eq!(env.fail(VETTER, &veto(id, c3)), unexpected(id, ENDED, VETTING_PHASE));
    assert_eq!(env.status(id, c3), APPLIED);
}

#[test]
fn the_vetter_is_whoever_governance_set_and_zero_is_nobody() {
    let env = Env::new();
    let (id, cs) = round_with(&env, 2);
    let (c1, c2) = (cs[0].operator, cs[1].operator);
    env.send(GOV, &SE::setVetterCall { vetter: CAROL }).unwrap();
    env.to_vetting(id);
    assert_eq!(env.fail(VETTER, &veto(id, c1)), E::NotVetter(NotVetter { caller: VETTER }));
    let out = env.send(CAROL, &veto(id, c1)).unwrap();
    assert_eq!(Env::own::<CandidateVetoed>(&out.logs)[0].vetter, CAROL);
    env.send(GOV, &SE::setVetterCall { vetter: Address::ZERO }).unwrap();
    assert_eq!(env.fail(CAROL, &veto(id, c2)), E::NotVetter(NotVetter { caller: CAROL }));
    assert_eq!(
        env.fail(Address::ZERO, &veto(id, c2)),
        E::NotVetter(NotVetter { caller: Address::ZERO }),
        "a zero vetter is nobody, not the zero address"
    );
    assert_eq!(env.status(id, c2), APPLIED);
}

#[test]
fn a_vetoed_candidate_is_not_admitted_even_with_the_most_votes() {
    let env = Env::new();
    let (id, cs) = round_with(&env, 2);
    let (alice, bob) = (env.alice(), env.bob());
    env.to_voting(id);
    for voter in [alice, bob] {
        env.vote(voter, id, cs[0].operator, 1);
    }
    for voter in [bob, CAROL] {
        env.vote(voter, id, cs[1].operator, 1);
    }
    env.to_vetting(id);
    env.send(VETTER, &veto(id, cs[0].operator)).unwrap();
    env.to_end(id);
    let out = env.finalize(id).unwrap();
    assert_eq!(out.value, u(1));
    assert_eq!(Env::own::<CandidateAdmitted>(&out.logs), vec![admitted(id, &cs[1], 1, e18(400))]);
    assert_eq!(
        Env::own::<RoundFinalized>(&out.logs),
        vec![RoundFinalized { roundId: id, quorum: e18(50), qualified: u(1), admitted: u(1) }]
    );
    assert_eq!(env.status(id, cs[0].operator), VETOED, "still vetoed once finalized");
    assert_eq!(env.status(id, cs[1].operator), ADMITTED);
    assert!(!env.whitelisted(cs[0].operator));
    assert!(env.whitelisted(cs[1].operator));
    assert_eq!(env.tally(id, cs[0].operator), (e18(1_300), U256::ZERO, U256::ZERO, u(2)), "its votes stay on record");
}

// ============================================================================ finalization

#[test]
fn finalize_waits_for_the_end_of_vetting() {
    let env = Env::new();
    let (id, _) = round_with(&env, 1);
    assert_eq!(env.finalize(id).unwrap_err().decode::<E>(), unexpected(id, APPLICATIONS, ENDED));
    env.to_voting(id);
    assert_eq!(env.finalize(id).unwrap_err().decode::<E>(), unexpected(id, VOTING_PHASE, ENDED));
    env.warp_to(env.vetting_end(id));
    assert_eq!(env.finalize(id).unwrap_err().decode::<E>(), unexpected(id, VETTING_PHASE, ENDED));
    assert_eq!(env.finalize(u(2)).unwrap_err().decode::<E>(), E::UnknownRound(UnknownRound { roundId: u(2) }));
    env.world.warp(1);
    assert_eq!(env.finalize(id).unwrap().value, U256::ZERO);
    assert_eq!(env.finalize(id).unwrap_err().decode::<E>(), unexpected(id, FINALIZED, ENDED));
}

#[test]
fn a_full_round_ranks_the_qualified_and_admits_the_top_seats() {
    let env = Env::new();
    env.holder(FRANK, e18(25));
    env.holder(GRACE, e18(24));
    let (id, cs) = round_with(&env, 8);
    let (alice, bob) = (env.alice(), env.bob());
    let op = |i: usize| cs[i].operator;
    env.to_voting(id);
    // c1: for 1,300 from two voters.
    env.vote(alice, id, op(0), 1);
    env.vote(bob, id, op(0), 1);
    // c2: for 400.
    env.vote(bob, id, op(1), 1);
    env.vote(CAROL, id, op(1), 1);
    // c3: for 100 and abstain 300: qualifies (quorum counts abstentions, approval ignores them).
    env.vote(CAROL, id, op(2), 1);
    env.vote(bob, id, op(2), 2);
    // c4: for 1,000 against 100: 90.9% approval.
    env.vote(alice, id, op(3), 1);
    env.vote(CAROL, id, op(3), 0);
    // c5: for 1,000 from a single voter (minVoters is 2).
    env.vote(alice, id, op(4), 1);
    // c6: for 300 against 1,000: 23% approval.
    env.vote(bob, id, op(5), 1);
    env.vote(alice, id, op(5), 0);
    // c7: for 25 and abstain 24: one token short of the quorum of 50.
    env.vote(FRANK, id, op(6), 1);
    env.vote(GRACE, id, op(6), 2);
    // c8: no votes.
    env.to_end(id);

    let out = env.finalize(id).unwrap();
    assert_eq!(out.value, u(3));
    assert_eq!(Env::own::<CandidateAdmitted>(&out.logs), vec![
        admitted(id, &cs[0], 1, e18(1_300)),
        admitted(id, &cs[3], 2, e18(1_000)),
        admitted(id, &cs[1], 3, e18(400)),
    ]);
    assert_eq!(
        Env::own::<RoundFinalized>(&out.logs),
        vec![RoundFinalized { roundId: id, quorum: e18(50), qualified: u(4), admitted: u(3) }]
    );
    let whitelisted: Vec<ILockingPool::SetWhitelist> =
        out.logs.iter().filter(|l| l.address == POOL).filter_map(|l| l.decode()).collect();
    assert_eq!(
        whitelisted,
        [0, 3, 1].map(|i| ILockingPool::SetWhitelist { user: op(i), yes: true }).to_vec(),
        "the pool admitted each, in rank order"
    );
    let emitters: Vec<Address> = out.logs.iter().map(|l| l.address).collect();
    assert_eq!(emitters, vec![POOL, ELECTION, POOL, ELECTION, POOL, ELECTION, ELECTION], "each admission, then the result");

    let statuses: Vec<u8> = (0..8).map(|i| env.status(id, op(i))).collect();
    assert_eq!(statuses, vec![
        ADMITTED,
        ADMITTED,
        OUTRANKED,
        ADMITTED,
        NOT_QUALIFIED,
        NOT_QUALIFIED,
        NOT_QUALIFIED,
        NOT_QUALIFIED
    ]);
    let in_pool: Vec<bool> = (0..8).map(|i| env.whitelisted(op(i))).collect();
    assert_eq!(in_pool, vec![true, true, false, true, false, false, false, false]);
    let r = env.round(id);
    assert_eq!((r.phase, r.candidateCount, r.admitted), (FINALIZED, u(8), u(3)));
    assert_eq!(env.view(&SE::quorumCall { roundId: id }), e18(50));
    assert_eq!(env.tally(id, op(2)), (e18(100), U256::ZERO, e18(300), u(2)));
    assert_eq!(env.tally(id, op(6)), (e18(25), U256::ZERO, e18(24), u(2)));
    assert_eq!(env.finalize(id).unwrap_err().decode::<E>(), unexpected(id, FINALIZED, ENDED));

    // An admitted operator registers its sequencer with the key it applied with; the outranked
    // and the unqualified are not admitted to the pool.
    let out = env.register(op(0), &cs[0].key, e18(20_000)).unwrap();
    assert_eq!(out.value, u(1));
    assert_eq!(env.world.view(POOL, &ILockingPool::seqSignersCall { signer: cs[0].signer() }), u(1));
    for i in [2, 4, 7] {
        match env.register(op(i), &cs[i].key, e18(20_000)).unwrap_err().decode::<PoolError>() {
            PoolError::NotWhitelisted(e) => assert_eq!(e.account, op(i)),
            other => panic!("{other:?}"),
        }
    }

    // Next round: the admitted are operators now; the others may run again.
    let next = env.open();
    assert_eq!(next, u(2));
    for i in [0, 1] {
        assert_eq!(
            env.fail(op(i), &env.apply_call(next, &cs[i])),
            E::AlreadyOperator(AlreadyOperator { operator: op(i) })
        );
    }
    env.apply(next, &cs[2]);
    assert_eq!(env.status(next, op(2)), APPLIED);
    assert_eq!(env.status(id, op(2)), OUTRANKED, "the old round keeps its result");
}

#[test]
fn ties_go_to_the_earlier_application() {
    let env = Env::new();
    let (id, cs) = round_with(&env, 5);
    let (alice, bob) = (env.alice(), env.bob());
    env.to_voting(id);
    // Votes arrive in reverse order of application; c2 leads, c1, c3, c4 and c5 tie at 400.
    for i in (0..5).rev() {
        env.vote(bob, id, cs[i].operator, 1);
        env.vote(CAROL, id, cs[i].operator, 1);
    }
    env.vote(alice, id, cs[1].operator, 1);
    env.to_end(id);
    let out = env.finalize(id).unwrap();
    assert_eq!(Env::own::<CandidateAdmitted>(&out.logs), vec![
        admitted(id, &cs[1], 1, e18(1_400)),
        admitted(id, &cs[0], 2, e18(400)),
        admitted(id, &cs[2], 3, e18(400)),
    ]);
    assert_eq!(
        Env::own::<RoundFinalized>(&out.logs),
        vec![RoundFinalized { roundId: id, quorum: e18(50), qualified: u(5), admitted: u(3) }]
    );
    let statuses: Vec<u8> = cs.iter().map(|c| env.status(id, c.operator)).collect();
    assert_eq!(statuses, vec![ADMITTED, ADMITTED, ADMITTED, OUTRANKED, OUTRANKED]);
}

#[test]
fn a_round_nobody_qualifies_in_admits_nobody_and_the_next_round_runs() {
    let env = Env::new();
    let (id, cs) = round_with(&env, 2);
    env.to_voting(id);
    env.vote(env.alice(), id, cs[0].operator, 1);
    env.to_end(id);
    let out = env.finalize(id).unwrap();
    assert_eq!(out.value, U256::ZERO);
    assert!(Env::own::<CandidateAdmitted>(&out.logs).is_empty());
    assert_eq!(out.logs.len(), 1);
    assert_eq!(
        Env::own::<RoundFinalized>(&out.logs),
        vec![RoundFinalized { roundId: id, quorum: e18(50), qualified: U256::ZERO, admitted: U256::ZERO }]
    );
    assert_eq!((env.round(id).phase, env.round(id).admitted), (FINALIZED, U256::ZERO));
    assert_eq!((env.status(id, cs[0].operator), env.status(id, cs[1].operator)), (NOT_QUALIFIED, NOT_QUALIFIED));
    assert!(!env.whitelisted(cs[0].operator));

    assert_eq!(env.next_round_at(), FIRST + CADENCE);
    let next = env.open();
    assert_eq!((next, env.now()), (u(2), FIRST + CADENCE));
    env.apply(next, &cs[0]);
    env.to_voting(next);
    env.vote(env.alice(), next, cs[0].operator, 1);
    env.vote(env.bob(), next, cs[0].operator, 1);
    env.to_end(next);
    let out = env.finalize(next).unwrap();
    assert_eq!(Env::own::<CandidateAdmitted>(&out.logs), vec![admitted(next, &cs[0], 1, e18(1_300))]);
    assert!(env.whitelisted(cs[0].operator));
    assert_eq!(env.status(next, cs[0].operator), ADMITTED);
    assert_eq!(env.status(id, cs[0].operator), NOT_QUALIFIED);
}

#[test]
fn a_quorum_share_is_taken_of_all_votes_at_voting_start() {
    let env = Env::new();
    let share = Rules { quorum_bps: 5_000, ..Rules::default_test() };
    env.send(GOV, &share.set_call()).unwrap();
    let (id, cs) = round_with(&env, 3);
    let start = env.voting_start(id);
    // Before the snapshot is readable the share is unknown: the token's error passes through.
    let err = env.send(MALLORY, &SE::quorumCall { roundId: id }).unwrap_err();
    assert!(matches!(err.decode::<IMetisVotesErrors>(), IMetisVotesErrors::ERC5805FutureLookup(e) if e.timepoint == u(start)));
    env.to_voting(id);
    // 2,400 wrapped (dave's undelegated 1,000 included); what arrives later is not counted.
    env.holder(FRANK, e18(10_000));
    assert_eq!(env.past_total(start), e18(2_400));
    assert_eq!(env.view(&SE::quorumCall { roundId: id }), e18(1_200));

    let (alice, bob) = (env.alice(), env.bob());
    env.vote(alice, id, cs[0].operator, 1);
    env.vote(bob, id, cs[0].operator, 1); // 1,300
    env.vote(alice, id, cs[1].operator, 1);
    env.vote(CAROL, id, cs[1].operator, 1); // 1,100: short of 1,200
    env.vote(alice, id, cs[2].operator, 1);
    env.vote(bob, id, cs[2].operator, 2); // 1,000 + 300 abstain
    env.to_end(id);
    let out = env.finalize(id).unwrap();
    assert_eq!(Env::own::<CandidateAdmitted>(&out.logs), vec![
        admitted(id, &cs[0], 1, e18(1_300)),
        admitted(id, &cs[2], 2, e18(1_000)),
    ]);
    assert_eq!(
        Env::own::<RoundFinalized>(&out.logs),
        vec![RoundFinalized { roundId: id, quorum: e18(1_200), qualified: u(2), admitted: u(2) }]
    );
    assert_eq!(env.status(id, cs[1].operator), NOT_QUALIFIED);
    assert_eq!(env.view(&SE::quorumCall { roundId: id }), e18(1_200), "the quorum applied");

    // The larger of the two: 10% of the total is less than the absolute 500.
    env.send(GOV, &Rules { quorum_bps: 1_000, quorum: e18(500), ..Rules::default_test() }.set_call()).unwrap();
    let next = env.open();
    env.to_voting(next);
    let total = env.past_total(env.voting_start(next));
    assert_eq!(total, e18(12_400));
    assert_eq!(env.view(&SE::quorumCall { roundId: next }), e18(1_240), "10% of 12,400 beats 500");
    env.send(GOV, &Rules { quorum_bps: 100, quorum: e18(500), ..Rules::default_test() }.set_call()).unwrap();
    assert_eq!(env.view(&SE::quorumCall { roundId: next }), e18(1_240), "the round keeps its own rules");
    env.to_end(next);
    env.finalize(next).unwrap();
    let third = env.open();
    env.to_voting(third);
    assert_eq!(env.view(&SE::quorumCall { roundId: third }), e18(500), "1% of 12,400 is below 500");
    assert_eq!(env.fail(MALLORY, &SE::quorumCall { roundId: u(9) }), E::UnknownRound(UnknownRound { roundId: u(9) }));
}

#[test]
fn a_refused_admission_reverts_the_finalization_and_the_round_stays_ended() {
    let env = Env::new();
    let (id, cs) = round_with(&env, 2);
    env.to_voting(id);
    for voter in [env.alice(), env.bob()] {
        env.vote(voter, id, cs[0].operator, 1);
        env.vote(voter, id, cs[1].operator, 1);
    }
    env.to_end(id);
    env.pool_send(ADMIN, &ILockingPool::revokeRoleCall { role: ADMISSION_ROLE, account: ELECTION }).unwrap();
    let failed = E::AdmissionFailed(AdmissionFailed { operator: cs[0].operator, reason: no_admission_role(ELECTION).into() });
    assert_eq!(env.finalize(id).unwrap_err().decode::<E>(), failed);
    assert_eq!(env.phase(id), ENDED);
    assert_eq!((env.status(id, cs[0].operator), env.round(id).admitted), (APPLIED, U256::ZERO), "nothing was written");
    assert!(!env.whitelisted(cs[0].operator));
    env.warp_to(FIRST + CADENCE);
    assert_eq!(env.fail(MALLORY, &SE::openRoundCall {}), E::PreviousRoundOpen(PreviousRoundOpen { roundId: id }));

    // Governance restores the role: anyone finalizes again.
    env.pool_send(ADMIN, &ILockingPool::grantRoleCall { role: ADMISSION_ROLE, account: ELECTION }).unwrap();
    let out = env.finalize(id).unwrap();
    assert_eq!(Env::own::<CandidateAdmitted>(&out.logs), vec![
        admitted(id, &cs[0], 1, e18(1_300)),
        admitted(id, &cs[1], 2, e18(1_300)),
    ]);
    assert!(env.whitelisted(cs[0].operator) && env.whitelisted(cs[1].operator));
    assert_eq!(env.send(MALLORY, &SE::openRoundCall {}).unwrap().value, u(2));
}

#[test]
fn governance_cancels_a_stuck_round_and_the_next_one_opens() {
    let env = Env::new();
    let (id, cs) = round_with(&env, 1);
    env.to_voting(id);
    env.vote(env.alice(), id, cs[0].operator, 1);
    env.vote(env.bob(), id, cs[0].operator, 1);
    env.to_end(id);
    env.pool_send(ADMIN, &ILockingPool::revokeRoleCall { role: ADMISSION_ROLE, account: ELECTION }).unwrap();
    assert!(matches!(env.finalize(id).unwrap_err().decode::<E>(), E::AdmissionFailed(e) if e.operator == cs[0].operator));

    assert_eq!(
        env.fail(MALLORY, &SE::cancelRoundCall { roundId: id }),
        E::NotGovernance(NotGovernance { caller: MALLORY })
    );
    assert_eq!(env.fail(GOV, &SE::cancelRoundCall { roundId: u(2) }), E::UnknownRound(UnknownRound { roundId: u(2) }));
    let out = env.send(GOV, &SE::cancelRoundCall { roundId: id }).unwrap();
    assert_eq!(Env::own::<RoundCanceled>(&out.logs), vec![RoundCanceled { roundId: id }]);
    assert_eq!(out.logs.len(), 1);
    assert_eq!((env.phase(id), env.round(id).phase), (CANCELED, CANCELED));
    assert_eq!(env.fail(GOV, &SE::cancelRoundCall { roundId: id }), unexpected(id, CANCELED, ENDED));
    assert_eq!(env.finalize(id).unwrap_err().decode::<E>(), unexpected(id, CANCELED, ENDED));
    assert_eq!(env.status(id, cs[0].operator), APPLIED, "a canceled round has no result");

    // The calendar goes on from the canceled round's slot.
    assert_eq!(env.next_round_at(), FIRST + CADENCE);
    let next = env.open();
    assert_eq!((next, env.round(next).scheduledAt), (u(2), FIRST + CADENCE));
    // A live round may be canceled too: its votes stop at once.
    env.apply(next, &cs[0]);
    env.to_voting(next);
    env.send(GOV, &SE::cancelRoundCall { roundId: next }).unwrap();
    assert_eq!(
        env.fail(env.alice(), &SE::castVoteCall { roundId: next, candidate: cs[0].operator, support: 1 }),
        unexpected(next, CANCELED, VOTING_PHASE)
    );
    assert_eq!(env.open(), u(3));
}

#[test]
fn a_finalized_round_cannot_be_canceled() {
    let env = Env::new();
    let (id, _) = round_with(&env, 1);
    env.to_end(id);
    env.finalize(id).unwrap();
    assert_eq!(env.fail(GOV, &SE::cancelRoundCall { roundId: id }), unexpected(id, FINALIZED, ENDED));
    assert_eq!(env.phase(id), FINALIZED);
}

#[test]
fn the_pool_does_not_hold_an_admitted_operator_to_the_key_it_applied_with() {
    // The candidacy proof binds a node key to the operator for the vote, and CandidateAdmitted
    // names it, but the admission is `setWhitelist(operator, true)` only: the operator may
    // register its sequencer with any key it holds.
    let env = Env::new();
    let cs = with_admitted(&env);
    let other = stylus_world::keys::Key::from_seed(4_242);
    assert_ne!(other.address(), cs[0].signer());
    let id = env.register(cs[0].operator, &other, e18(20_000)).unwrap().value;
    assert_eq!(env.world.view(POOL, &ILockingPool::seqSignersCall { signer: other.address() }), id);
    assert_eq!(env.world.view(POOL, &ILockingPool::seqSignersCall { signer: cs[0].signer() }), U256::ZERO);
}

// ============================================================================ revoke

/// Round 1 finalized with `cs[0]` admitted.
fn with_admitted(env: &Env) -> Vec<Candidate> {
    let (id, cs) = round_with(env, 1);
    env.to_voting(id);
    env.vote(env.alice(), id, cs[0].operator, 1);
    env.vote(env.bob(), id, cs[0].operator, 1);
    env.to_end(id);
    env.finalize(id).unwrap();
    assert!(env.whitelisted(cs[0].operator));
    cs
}

#[test]
fn governance_revokes_an_admitted_operator() {
    let env = Env::new();
    let cs = with_admitted(&env);
    let op = cs[0].operator;
    assert_eq!(env.fail(MALLORY, &SE::revokeCall { operator: op }), E::NotGovernance(NotGovernance { caller: MALLORY }));
    assert_eq!(env.fail(VETTER, &SE::revokeCall { operator: op }), E::NotGovernance(NotGovernance { caller: VETTER }));
    assert!(env.whitelisted(op));

    let out = env.send(GOV, &SE::revokeCall { operator: op }).unwrap();
    assert_eq!(Env::own::<OperatorRevoked>(&out.logs), vec![OperatorRevoked { operator: op }]);
    let pool: Vec<ILockingPool::SetWhitelist> = out.logs.iter().filter_map(|l| l.decode()).collect();
    assert_eq!(pool, vec![ILockingPool::SetWhitelist { user: op, yes: false }]);
    assert_eq!(out.logs.len(), 2);
    assert!(!env.whitelisted(op));
    match env.register(op, &cs[0].key, e18(20_000)).unwrap_err().decode::<PoolError>() {
        PoolError::NotWhitelisted(e) => assert_eq!(e.account, op),
        other => panic!("{other:?}"),
    }
    // Revoked before it ran a sequencer: it may stand again.
    let next = env.open();
    env.apply(next, &cs[0]);

    // Without the role, the pool's refusal is reported.
    env.pool_send(ADMIN, &ILockingPool::revokeRoleCall { role: ADMISSION_ROLE, account: ELECTION }).unwrap();
    assert_eq!(
        env.fail(GOV, &SE::revokeCall { operator: op }),
        E::AdmissionFailed(AdmissionFailed { operator: op, reason: no_admission_role(ELECTION).into() })
    );
}

// ============================================================================ layout and build

#[test]
fn storage_layout_matches_the_committed_file() {
    let committed = include_str!("../storage-layout.txt");
    if sequencer_election::STORAGE_LAYOUT != committed {
        panic!(
            "the election's storage layout changed. It lives behind a proxy, so fields may only be \
             appended; if that is what changed, write this into contracts/sequencer-election/storage-layout.txt:\n{}",
            sequencer_election::STORAGE_LAYOUT
        );
    }
}

#[test]
fn both_programs_report_the_same_build() {
    let env = Env::new();
    let entry = env.view(&SE::dseqProgramCall {});
    let module = env.world.view(MODULE, &SE::dseqProgramCall {});
    assert_eq!((entry.build, entry.index, entry.programs), (module.build, U256::ZERO, u(2)));
    assert_eq!(module.index, u(1));
    assert_ne!(entry.build, env.world.view(POOL, &SE::dseqProgramCall {}).build);
}
