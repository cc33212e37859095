//! Votes through the election's real ABI: the window, the weights at `votingStart` (wrapped
//! METIS and locked stake), approval voting with one vote per voter and candidate, batches, and
//! signed ballots with their nonces.

mod common;

use alloy_primitives::{address, Address, Bytes, U256};
use common::*;
use dseq_abi::{
    election::{
        ISequencerElection as SE,
        ISequencerElection::{ISequencerElectionErrors as E, *},
    },
    metis_votes::IMetisVotes::{ERC5805FutureLookup, IMetisVotesErrors},
};
use stylus_world::keys::Key;

const ERIN: Address = address!("00000000000000000000000000000000000e5111");
const FRANK: Address = address!("0000000000000000000000000000000000f5a4c0");



fn vote_cast(id: U256, candidate: Address, voter: Address, support: u8, weight: U256) -> VoteCast {
    VoteCast { roundId: id, candidate, voter, support, weight }
}

// ============================================================================ the window

#[test]
fn votes_are_taken_only_during_voting() {
    let env = Env::new();
    let (id, cs) = round_with(&env, 1);
    let c = cs[0].operator;
    let vote = SE::castVoteCall { roundId: id, candidate: c, support: 1 };
    env.warp_to(env.voting_start(id));
    assert_eq!(env.fail(env.alice(), &vote), unexpected(id, APPLICATIONS, VOTING_PHASE));
    let batch = SE::castVotesCall { roundId: id, candidates: vec![c], supports: vec![u(1)] };
    assert_eq!(env.fail(env.alice(), &batch), unexpected(id, APPLICATIONS, VOTING_PHASE));
    env.world.warp(1);
    env.vote(env.alice(), id, c, 1);
    env.warp_to(env.voting_end(id));
    env.vote(env.bob(), id, c, 1);
    env.world.warp(1);
    assert_eq!(env.fail(CAROL, &vote), unexpected(id, VETTING_PHASE, VOTING_PHASE));
    assert_eq!(env.fail(CAROL, &batch), unexpected(id, VETTING_PHASE, VOTING_PHASE));
    assert_eq!(env.tally(id, c), (e18(1_300), U256::ZERO, U256::ZERO, u(2)));
    assert!(!env.has_voted(id, c, CAROL));
    assert_eq!(
        env.fail(CAROL, &SE::castVoteCall { roundId: u(2), candidate: c, support: 1 }),
        E::UnknownRound(UnknownRound { roundId: u(2) })
    );
}

// ============================================================================ weights

#[test]
fn a_vote_weighs_the_voters_votes_at_voting_start() {
    let env = Env::new();
    let (id, cs) = round_with(&env, 1);
    let c = cs[0].operator;
    let start = env.voting_start(id);
    // Frank delegates in the snapshot's very second: that counts.
    env.warp_to(start);
    env.holder(FRANK, e18(40));
    // The snapshot is not readable in its own second.
    let err = env.send(MALLORY, &SE::votingPowerCall { roundId: id, voter: env.alice() }).unwrap_err();
    assert_eq!(
        err.decode::<IMetisVotesErrors>(),
        IMetisVotesErrors::ERC5805FutureLookup(ERC5805FutureLookup {
            timepoint: u(start),
            clock: alloy_primitives::aliases::U48::from(start)
        }),
        "the token's own error passes through"
    );

    env.to_voting(id);
    let (alice, bob) = (env.alice(), env.bob());
    let out = env.vote(alice, id, c, 1);
    assert_eq!(out.value, e18(1_000));
    assert_eq!(Env::own::<VoteCast>(&out.logs), vec![vote_cast(id, c, alice, 1, e18(1_000))]);
    assert_eq!(out.logs.len(), 1);

    // Tokens that move after the snapshot do not vote twice: alice's 500 reach bob and carol
    // after votingStart, and each votes with its own snapshot.
    env.transfer_votes(alice, bob, e18(200));
    env.transfer_votes(alice, CAROL, e18(300));
    assert_eq!(env.vote(bob, id, c, 1).value, e18(300));
    assert_eq!(env.vote(CAROL, id, c, 1).value, e18(100));
    assert_eq!(env.vote(FRANK, id, c, 1).value, e18(40));
    assert_eq!(env.tally(id, c), (e18(1_440), U256::ZERO, U256::ZERO, u(4)));
    let power = |voter| env.view(&SE::votingPowerCall { roundId: id, voter });
    assert_eq!((power(alice), power(bob), power(CAROL), power(FRANK)), (e18(1_000), e18(300), e18(100), e18(40)));
    env.world.warp(1);
    assert_eq!(env.past_votes(bob, env.now() - 1), e18(500), "bob holds 500 now, but voted with 300");

    // Erin buys in after the snapshot: no votes in this round.
    env.holder(ERIN, e18(5_000));
    env.world.warp(1);
    assert_eq!(
        env.fail(ERIN, &SE::castVoteCall { roundId: id, candidate: c, support: 1 }),
        E::NoVotingPower(NoVotingPower { voter: ERIN, timepoint: u(start) })
    );
    assert_eq!(power(ERIN), U256::ZERO);
}

#[test]
fn tokens_never_delegated_vote_for_nobody() {
    let env = Env::new();
    let (id, cs) = round_with(&env, 1);
    let c = cs[0].operator;
    let start = env.voting_start(id);
    env.to_voting(id);
    let no_power = E::NoVotingPower(NoVotingPower { voter: DAVE, timepoint: u(start) });
    assert_eq!(env.fail(DAVE, &SE::castVoteCall { roundId: id, candidate: c, support: 1 }), no_power);
    // Delegating now is too late for this round.
    env.delegate(DAVE, DAVE);
    env.world.warp(1);
    assert_eq!(env.fail(DAVE, &SE::castVoteCall { roundId: id, candidate: c, support: 1 }), no_power);
    assert!(!env.has_voted(id, c, DAVE));
    assert_eq!(env.tally(id, c), (U256::ZERO, U256::ZERO, U256::ZERO, U256::ZERO));

    // In the next round dave's delegation counts.
    env.to_end(id);
    env.finalize(id).unwrap();
    let next = env.open();
    env.apply(next, &cs[0]);
    env.to_voting(next);
    assert_eq!(env.vote(DAVE, next, c, 2).value, e18(1_000));
}

#[test]
fn votes_delegated_before_the_snapshot_vote_with_the_delegate() {
    let env = Env::new();
    let (id, cs) = round_with(&env, 1);
    let c = cs[0].operator;
    env.delegate(DAVE, CAROL);
    env.to_voting(id);
    assert_eq!(env.vote(CAROL, id, c, 1).value, e18(1_100), "carol's 100 and dave's 1,000");
    assert!(matches!(
        env.fail(DAVE, &SE::castVoteCall { roundId: id, candidate: c, support: 1 }),
        E::NoVotingPower(e) if e.voter == DAVE
    ));
}

#[test]
fn an_operators_locked_stake_votes_for_it() {
    let env = Env::new();
    let (id, cs) = round_with(&env, 1);
    let c = cs[0].operator;
    let (staker, late) = (Candidate::new(0x40), Candidate::new(0x41));
    env.pool_admit(staker.operator, true);
    env.pool_admit(late.operator, true);
    env.register(staker.operator, &staker.key, e18(25_000)).unwrap();
    env.to_voting(id);
    env.register(late.operator, &late.key, e18(20_000)).unwrap();
    env.world.warp(1);

    let out = env.vote(staker.operator, id, c, 1);
    assert_eq!(out.value, e18(25_000));
    assert_eq!(Env::own::<VoteCast>(&out.logs), vec![vote_cast(id, c, staker.operator, 1, e18(25_000))]);
    assert_eq!(env.view(&SE::votingPowerCall { roundId: id, voter: staker.operator }), e18(25_000));
    assert_eq!(
        env.fail(late.operator, &SE::castVoteCall { roundId: id, candidate: c, support: 1 }),
        E::NoVotingPower(NoVotingPower { voter: late.operator, timepoint: u(env.voting_start(id)) }),
        "stake locked after the snapshot does not vote in this round"
    );
    assert_eq!(env.tally(id, c), (e18(25_000), U256::ZERO, U256::ZERO, u(1)));
}

// ============================================================================ counting

#[test]
fn approval_voting_counts_each_voter_once_per_candidate() {
    let env = Env::new();
    let (id, cs) = round_with(&env, 3);
    let (c1, c2, c3) = (cs[0].operator, cs[1].operator, cs[2].operator);
    let alice = env.alice();
    env.to_voting(id);

    assert_eq!(env.vote(alice, id, c1, 1).value, e18(1_000));
    for support in [0u8, 1, 2] {
        assert_eq!(
            env.fail(alice, &SE::castVoteCall { roundId: id, candidate: c1, support }),
            E::AlreadyVoted(AlreadyVoted { roundId: id, candidate: c1, voter: alice })
        );
    }
    // Every other candidate gets alice's full weight.
    assert_eq!(env.vote(alice, id, c2, 0).value, e18(1_000));
    assert_eq!(env.vote(alice, id, c3, 2).value, e18(1_000));
    assert_eq!(env.vote(env.bob(), id, c1, 0).value, e18(300));
    assert_eq!(env.vote(CAROL, id, c2, 2).value, e18(100));
    assert_eq!(env.vote(CAROL, id, c1, 1).value, e18(100));

    for support in [3u8, 255] {
        assert_eq!(
            env.fail(env.bob(), &SE::castVoteCall { roundId: id, candidate: c2, support }),
            E::InvalidSupport(InvalidSupport { support })
        );
    }
    assert_eq!(
        env.fail(env.bob(), &SE::castVoteCall { roundId: id, candidate: MALLORY, support: 1 }),
        E::UnknownCandidate(UnknownCandidate { roundId: id, candidate: MALLORY })
    );

    assert_eq!(env.tally(id, c1), (e18(1_100), e18(300), U256::ZERO, u(3)));
    assert_eq!(env.tally(id, c2), (U256::ZERO, e18(1_000), e18(100), u(2)));
    assert_eq!(env.tally(id, c3), (U256::ZERO, U256::ZERO, e18(1_000), u(1)));
    let voted: Vec<bool> = [(c1, alice), (c2, alice), (c3, alice), (c1, env.bob()), (c2, env.bob()), (c3, CAROL)]
        .iter()
        .map(|(c, v)| env.has_voted(id, *c, *v))
        .collect();
    assert_eq!(voted, vec![true, true, true, true, false, false]);
    assert!(!env.has_voted(id, MALLORY, alice), "no such candidate");
    assert!(!env.has_voted(u(2), c1, alice), "no such round");
    assert_eq!(env.candidate(id, c1).status, APPLIED, "votes do not change the status");
}

#[test]
fn cast_votes_counts_a_batch_with_one_weight() {
    let env = Env::new();
    let (id, cs) = round_with(&env, 4);
    let ops: Vec<Address> = cs.iter().map(|c| c.operator).collect();
    let bob = env.bob();
    env.to_voting(id);

    let out = env
        .send(bob, &SE::castVotesCall { roundId: id, candidates: ops[..3].to_vec(), supports: vec![u(1), u(0), u(2)] })
        .unwrap();
    assert_eq!(out.value, e18(300));
    assert_eq!(Env::own::<VoteCast>(&out.logs), vec![
        vote_cast(id, ops[0], bob, 1, e18(300)),
        vote_cast(id, ops[1], bob, 0, e18(300)),
        vote_cast(id, ops[2], bob, 2, e18(300)),
    ]);
    assert_eq!(env.tally(id, ops[0]), (e18(300), U256::ZERO, U256::ZERO, u(1)));
    assert_eq!(env.tally(id, ops[1]), (U256::ZERO, e18(300), U256::ZERO, u(1)));
    assert_eq!(env.tally(id, ops[2]), (U256::ZERO, U256::ZERO, e18(300), u(1)));

    assert_eq!(
        env.fail(CAROL, &SE::castVotesCall { roundId: id, candidates: ops[..3].to_vec(), supports: vec![u(1), u(1)] }),
        E::LengthMismatch(LengthMismatch { candidates: u(3), supports: u(2) })
    );
    // A duplicate reverts the whole batch: nothing of it is counted.
    assert_eq!(
        env.fail(CAROL, &SE::castVotesCall { roundId: id, candidates: vec![ops[3], ops[0], ops[0]], supports: vec![u(1); 3] }),
        E::AlreadyVoted(AlreadyVoted { roundId: id, candidate: ops[0], voter: CAROL })
    );
    // As does a candidate voted on before, or a support out of range.
    assert_eq!(
        env.fail(bob, &SE::castVotesCall { roundId: id, candidates: vec![ops[3], ops[1]], supports: vec![u(1), u(1)] }),
        E::AlreadyVoted(AlreadyVoted { roundId: id, candidate: ops[1], voter: bob })
    );
    // castVotes takes uint256 supports: one that fits uint8 is reported as given, a larger one
    // as 255 (InvalidSupport's field is a uint8).
    for (support, reported) in [(u(3), 3u8), (u(255), 255), (u(256), 255), (U256::MAX, 255)] {
        assert_eq!(
            env.fail(CAROL, &SE::castVotesCall { roundId: id, candidates: vec![ops[3], ops[0]], supports: vec![u(1), support] }),
            E::InvalidSupport(InvalidSupport { support: reported })
        );
    }
    assert!(!env.has_voted(id, ops[3], CAROL) && !env.has_voted(id, ops[0], CAROL) && !env.has_voted(id, ops[3], bob));
    assert_eq!(env.tally(id, ops[3]), (U256::ZERO, U256::ZERO, U256::ZERO, U256::ZERO));
    assert_eq!(env.tally(id, ops[0]), (e18(300), U256::ZERO, U256::ZERO, u(1)));
    assert_eq!(
        env.fail(DAVE, &SE::castVotesCall { roundId: id, candidates: vec![ops[3]], supports: vec![u(1)] }),
        E::NoVotingPower(NoVotingPower { voter: DAVE, timepoint: u(env.voting_start(id)) })
    );

    // The batch after the failures goes through.
    let out = env
        .send(CAROL, &SE::castVotesCall { roundId: id, candidates: vec![ops[3], ops[0]], supports: vec![u(0), u(1)] })
        .unwrap();
    assert_eq!(out.value, e18(100));
    assert_eq!(env.tally(id, ops[3]), (U256::ZERO, e18(100), U256::ZERO, u(1)));
    assert_eq!(env.tally(id, ops[0]), (e18(400), U256::ZERO, U256::ZERO, u(2)));
}

// ============================================================================ signed ballots

fn signed(key: &Key, id: U256, candidate: Address, support: u8, nonce: u64) -> Bytes {
    Bytes::copy_from_slice(&key.sign(ballot_digest(id, candidate, support, key.address(), nonce)))
}

fn by_sig(id: U256, candidate: Address, support: u8, voter: Address, signature: Bytes) -> SE::castVoteBySigCall {
    SE::castVoteBySigCall { roundId: id, candidate, support, voter, signature }
}

#[test]
fn a_relayer_submits_a_signed_ballot_once() {
    let env = Env::new();
    let (id, cs) = round_with(&env, 2);
    let (c1, c2) = (cs[0].operator, cs[1].operator);
    let alice = env.alice();
    env.to_voting(id);
    let nonce = |voter| env.view(&SE::noncesCall { voter });
    assert_eq!(
        env.view(&SE::ballotDigestCall { roundId: id, candidate: c1, support: 1, voter: alice }),
        ballot_digest(id, c1, 1, alice, 0)
    );
    assert_eq!(nonce(alice), U256::ZERO);

    let call = by_sig(id, c1, 1, alice, signed(&env.alice, id, c1, 1, 0));
    let out = env.send(RELAYER, &call).unwrap();
    assert_eq!(out.value, e18(1_000));
    assert_eq!(Env::own::<VoteCast>(&out.logs), vec![vote_cast(id, c1, alice, 1, e18(1_000))]);
    assert_eq!(nonce(alice), u(1));
    assert!(env.has_voted(id, c1, alice));
    assert!(!env.has_voted(id, c1, RELAYER), "the relayer did not vote");
    assert_eq!(env.tally(id, c1), (e18(1_000), U256::ZERO, U256::ZERO, u(1)));
    assert_eq!(
        env.view(&SE::ballotDigestCall { roundId: id, candidate: c2, support: 0, voter: alice }),
        ballot_digest(id, c2, 0, alice, 1),
        "the view signs with the current nonce"
    );

    // Replayed: the nonce it was signed with is used up.
    assert_eq!(env.fail(RELAYER, &call), E::InvalidVoteSignature(InvalidVoteSignature { voter: alice }));
    assert_eq!(env.fail(alice, &call), E::InvalidVoteSignature(InvalidVoteSignature { voter: alice }));
    // A second ballot signed with the current nonce works.
    let out = env.send(RELAYER, &by_sig(id, c2, 0, alice, signed(&env.alice, id, c2, 0, 1))).unwrap();
    assert_eq!(Env::own::<VoteCast>(&out.logs), vec![vote_cast(id, c2, alice, 0, e18(1_000))]);
    assert_eq!(nonce(alice), u(2));
}

#[test]
fn a_ballot_signed_by_anyone_else_or_for_another_vote_is_refused() {
    let env = Env::new();
    let (id, cs) = round_with(&env, 2);
    let (c1, c2) = (cs[0].operator, cs[1].operator);
    let (alice, bob) = (env.alice(), env.bob());
    env.to_voting(id);
    let invalid = E::InvalidVoteSignature(InvalidVoteSignature { voter: alice });

    // Bob signs alice's ballot.
    let bobs = Bytes::copy_from_slice(&env.bob.sign(ballot_digest(id, c1, 1, alice, 0)));
    assert_eq!(env.fail(RELAYER, &by_sig(id, c1, 1, alice, bobs)), invalid);
    // Alice's ballot for c1 (For), submitted for c2, as Against, for another round, or for bob.
    let good = signed(&env.alice, id, c1, 1, 0);
    assert_eq!(env.fail(RELAYER, &by_sig(id, c2, 1, alice, good.clone())), invalid);
    assert_eq!(env.fail(RELAYER, &by_sig(id, c1, 0, alice, good.clone())), invalid);
    assert_eq!(
        env.fail(RELAYER, &by_sig(id, c1, 1, bob, good.clone())),
        E::InvalidVoteSignature(InvalidVoteSignature { voter: bob })
    );
    // Signed with a future nonce, or malformed.
    assert_eq!(env.fail(RELAYER, &by_sig(id, c1, 1, alice, signed(&env.alice, id, c1, 1, 1))), invalid);
    assert_eq!(env.fail(RELAYER, &by_sig(id, c1, 1, alice, Bytes::copy_from_slice(&good[..64]))), invalid);
    assert_eq!(env.fail(RELAYER, &by_sig(id, c1, 1, alice, Bytes::new())), invalid);
    assert_eq!(env.view(&SE::noncesCall { voter: alice }), U256::ZERO, "no failure used a nonce");
    assert!(!env.has_voted(id, c1, alice) && !env.has_voted(id, c1, bob));
    // The right one still works.
    assert_eq!(env.send(RELAYER, &by_sig(id, c1, 1, alice, good)).unwrap().value, e18(1_000));
}

#[test]
fn a_signed_ballot_follows_the_rules_of_a_direct_vote() {
    let env = Env::new();
    let (id, cs) = round_with(&env, 2);
    let (c1, c2) = (cs[0].operator, cs[1].operator);
    let alice = env.alice();
    // Before voting opens.
    let early = by_sig(id, c1, 1, alice, signed(&env.alice, id, c1, 1, 0));
    assert_eq!(env.fail(RELAYER, &early), unexpected(id, APPLICATIONS, VOTING_PHASE));
    env.to_voting(id);
    // Already voted directly: the signed ballot reverts and its nonce stays unused.
    env.vote(alice, id, c1, 1);
    assert_eq!(
        env.fail(RELAYER, &early),
        E::AlreadyVoted(AlreadyVoted { roundId: id, candidate: c1, voter: alice })
    );
    assert_eq!(env.view(&SE::noncesCall { voter: alice }), U256::ZERO);
    let bad = by_sig(id, c2, 3, alice, signed(&env.alice, id, c2, 3, 0));
    assert_eq!(env.fail(RELAYER, &bad), E::InvalidSupport(InvalidSupport { support: 3 }));
    // A key with no votes.
    let nobody = Key::from_seed(999);
    let call = by_sig(id, c2, 1, nobody.address(), signed(&nobody, id, c2, 1, 0));
    assert_eq!(
        env.fail(RELAYER, &call),
        E::NoVotingPower(NoVotingPower { voter: nobody.address(), timepoint: u(env.voting_start(id)) })
    );
    // Nonce 0 is still alice's next one.
    assert_eq!(env.send(RELAYER, &by_sig(id, c2, 2, alice, signed(&env.alice, id, c2, 2, 0))).unwrap().value, e18(1_000));
    assert_eq!(env.tally(id, c2), (U256::ZERO, U256::ZERO, e18(1_000), u(1)));
}

#[test]
fn an_empty_batch_counts_nothing_but_checks_the_round_and_window() {
    let env = Env::new();
    let (id, cs) = round_with(&env, 1);
    let empty = |round| SE::castVotesCall { roundId: round, candidates: vec![], supports: vec![] };
    assert_eq!(env.fail(DAVE, &empty(u(7))), E::UnknownRound(UnknownRound { roundId: u(7) }));
    assert_eq!(
        env.fail(DAVE, &empty(id)),
        E::UnexpectedPhase(UnexpectedPhase { roundId: id, phase: dseq_abi::election::phase::APPLICATIONS, expected: dseq_abi::election::phase::VOTING })
    );
    env.to_voting(id);
    let out = env.send(env.alice(), &empty(id)).unwrap();
    assert_eq!((out.value, out.logs.len()), (U256::ZERO, 0));
    assert!(!env.has_voted(id, cs[0].operator, env.alice()));
    assert_eq!(env.tally(id, cs[0].operator), (U256::ZERO, U256::ZERO, U256::ZERO, U256::ZERO));
}
