//! The attacks of the governance checklist (reference/governance-anchors.md, section 6.3 B):
//! double voting by transfer and by re-delegation, same-second flash votes, signature replay
//! and forgery, retroactive quorum changes (CVE-2022-31198), proposal-id front-running, the
//! cancel rules, malformed proposals, and a state-machine property over random schedules.

mod common;

use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_sol_types::SolCall;
use common::*;
use dseq_abi::governor::{state::*, state_bitmap, IGovernor, IGovernor::IGovernorErrors as E};
use proptest::prelude::*;

// ---------------------------------------------------------------------------- voting power

#[test]
fn tokens_moved_after_the_snapshot_carry_no_weight() {
    let env = Env::new();
    let (alice, bob) = (env.alice(), env.bob());
    let id = env.propose(alice, &Proposal::poke(1, "transfer"));
    env.warp_to(env.snapshot(id) + 1);
    assert_eq!(env.vote(alice, id, 1).value, e18(1_000));
    // Alice passes every token to dave, who delegates to himself and votes: nothing at the snapshot.
    env.transfer_votes(alice, DAVE, e18(1_000));
    env.delegate(DAVE, DAVE);
    assert_eq!(env.vote(DAVE, id, 1).value, U256::ZERO);
    // And to bob, who already had 300 at the snapshot: still 300.
    env.world.send(DAVE, VOTES, &dseq_abi::metis_votes::IMetisVotes::transferCall { to: bob, value: e18(1_000) }).unwrap();
    assert_eq!(env.vote(bob, id, 0).value, e18(300));
    assert_eq!(env.votes(id), (e18(300), e18(1_000), U256::ZERO), "the moved tokens were counted once");
}

#[test]
fn redelegation_after_the_snapshot_changes_nothing() {
    let env = Env::new();
    let (alice, bob) = (env.alice(), env.bob());
    let id = env.propose(alice, &Proposal::poke(1, "redelegate"));
    env.warp_to(env.snapshot(id) + 1);
    // After the snapshot bob delegates his 300 to carol; carol votes with her snapshot weight.
    env.delegate(bob, CAROL);
    assert_eq!(env.vote(CAROL, id, 1).value, e18(100));
    // Bob still votes with his own snapshot weight, and alice re-delegating to bob adds nothing.
    env.delegate(alice, bob);
    assert_eq!(env.vote(bob, id, 0).value, e18(300));
    assert_eq!(env.votes(id), (e18(300), e18(100), U256::ZERO));
}

#[test]
fn same_second_deposits_cannot_propose_or_vote() {
    let env = Env::new();
    // Dave wraps 1,000 and proposes in the same second: the threshold is read a second earlier.
    env.wrap(DAVE, e18(1_000));
    env.delegate(DAVE, DAVE);
    match env.fail(DAVE, &Proposal::poke(1, "flash").propose_call()) {
        E::GovernorInsufficientProposerVotes(e) => assert_eq!((e.proposer, e.votes, e.threshold), (DAVE, U256::ZERO, threshold())),
        other => panic!("{other:?}"),
    }
    // One second later the deposit is in the past and counts.
    env.world.warp(1);
    let id = env.propose(DAVE, &Proposal::poke(1, "flash"));

    // Mallory deposits during the vote and votes in the same second: the snapshot has nothing.
    env.warp_to(env.snapshot(id) + 5);
    env.fund(MALLORY, e18(5_000));
    env.wrap(MALLORY, e18(5_000));
    env.delegate(MALLORY, MALLORY);
    assert_eq!(env.vote(MALLORY, id, 0).value, U256::ZERO);
    // A deposit in the snapshot second itself is counted (the snapshot is the end of that second).
    let id2 = env.propose(DAVE, &Proposal::poke(2, "snapshot second"));
    env.warp_to(env.snapshot(id2));
    env.fund(CAROL, e18(50));
    env.wrap(CAROL, e18(50));
    env.world.warp(1);
    assert_eq!(env.vote(CAROL, id2, 1).value, e18(150));
}

#[test]
fn the_threshold_is_read_at_the_previous_second() {
    let env = Env::new();
    // Carol has 100 votes; raise the threshold above them.
    env.send(TIMELOCK, &IGovernor::setProposalThresholdCall { newProposalThreshold: e18(101) }).unwrap();
    match env.fail(CAROL, &Proposal::poke(1, "carol").propose_call()) {
        E::GovernorInsufficientProposerVotes(e) => assert_eq!((e.votes, e.threshold), (e18(100), e18(101))),
        other => panic!("{other:?}"),
    }
    env.fund(CAROL, e18(1));
    env.wrap(CAROL, e18(1));
    assert!(matches!(env.fail(CAROL, &Proposal::poke(1, "carol").propose_call()), E::GovernorInsufficientProposerVotes(_)));
    env.world.warp(1);
    env.propose(CAROL, &Proposal::poke(1, "carol"));
    // A zero threshold skips the check (and the token call) entirely.
    env.send(TIMELOCK, &IGovernor::setProposalThresholdCall { newProposalThreshold: U256::ZERO }).unwrap();
    env.propose(MALLORY, &Proposal::poke(2, "anyone"));
}

// ---------------------------------------------------------------------------- signatures

fn by_sig(id: U256, support: u8, voter: Address, signature: Vec<u8>) -> IGovernor::castVoteBySigCall {
    IGovernor::castVoteBySigCall { proposalId: id, support, voter, signature: signature.into() }
}

#[test]
fn a_vote_by_signature_counts_once_for_the_signer() {
    let env = Env::new();
    let alice = env.alice();
    let id = env.propose(alice, &Proposal::poke(1, "signed"));
    env.warp_to(env.snapshot(id) + 1);
    let sig = env.alice.sign(env.ballot_digest(id, 1, alice, 0, CHAIN_ID, GOV)).to_vec();
    let out = env.send(DAVE, &by_sig(id, 1, alice, sig.clone())).unwrap();
    assert_eq!(out.value, e18(1_000));
    let cast = &Env::own::<IGovernor::VoteCast>(&out.logs)[0];
    assert_eq!((cast.voter, cast.support, cast.weight), (alice, 1, e18(1_000)), "the signer votes, not the relayer");
    assert_eq!(env.view(&IGovernor::noncesCall { owner: alice }), u(1));
    assert!(!env.view(&IGovernor::hasVotedCall { proposalId: id, account: DAVE }));

    // Replayed: the nonce moved on, so the same signature no longer verifies.
    match env.fail(DAVE, &by_sig(id, 1, alice, sig.clone())) {
        E::GovernorInvalidSignature(e) => assert_eq!(e.voter, alice),
        other => panic!("{other:?}"),
    }
    // Replayed on another proposal: the proposal id is signed.
    let id2 = env.propose(alice, &Proposal::poke(2, "other"));
    env.warp_to(env.snapshot(id2) + 1);
    assert!(matches!(env.fail(DAVE, &by_sig(id2, 1, alice, sig)), E::GovernorInvalidSignature(_)));
    // With the next nonce, alice votes on the second; a fresh signature for the first is a double vote.
    let sig = env.alice.sign(env.ballot_digest(id2, 0, alice, 1, CHAIN_ID, GOV)).to_vec();
    env.send(DAVE, &by_sig(id2, 0, alice, sig)).unwrap();
    let sig = env.alice.sign(env.ballot_digest(id, 1, alice, 2, CHAIN_ID, GOV)).to_vec();
    assert!(matches!(env.fail(DAVE, &by_sig(id, 1, alice, sig)), E::GovernorAlreadyCastVote(e) if e.voter == alice));
    assert_eq!(env.view(&IGovernor::noncesCall { owner: alice }), u(2), "the failed double vote used no nonce");
}

#[test]
fn forged_and_foreign_signatures_are_refused() {
    let env = Env::new();
    let (alice, bob) = (env.alice(), env.bob());
    let id = env.propose(alice, &Proposal::poke(1, "forgeries"));
    env.warp_to(env.snapshot(id) + 1);
    let invalid = |call: &IGovernor::castVoteBySigCall| match env.fail(DAVE, call) {
        E::GovernorInvalidSignature(e) => assert_eq!(e.voter, call.voter),
        other => panic!("{other:?}"),
    };
    // Signed for another chain, or for another governor.
    invalid(&by_sig(id, 1, alice, env.alice.sign(env.ballot_digest(id, 1, alice, 0, 1, GOV)).to_vec()));
    invalid(&by_sig(id, 1, alice, env.alice.sign(env.ballot_digest(id, 1, alice, 0, CHAIN_ID, MODULE)).to_vec()));
    // Another support than signed.
    invalid(&by_sig(id, 0, alice, env.alice.sign(env.ballot_digest(id, 1, alice, 0, CHAIN_ID, GOV)).to_vec()));
    // Bob's signature offered as alice's vote (and alice's ballot signed by bob).
    invalid(&by_sig(id, 1, alice, env.bob.sign(env.ballot_digest(id, 1, alice, 0, CHAIN_ID, GOV)).to_vec()));
    invalid(&by_sig(id, 1, alice, env.bob.sign(env.ballot_digest(id, 1, bob, 0, CHAIN_ID, GOV)).to_vec()));
    // The malleable twin (n - s, flipped v) of a valid signature; v outside {27, 28}; bad lengths.
    let valid = env.alice.sign(env.ballot_digest(id, 1, alice, 0, CHAIN_ID, GOV)).to_vec();
    let n = U256::from_be_bytes(alloy_primitives::hex!("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"));
    let mut twin = valid.clone();
    twin[32..64].copy_from_slice(&(n - U256::from_be_slice(&valid[32..64])).to_be_bytes::<32>());
    twin[64] = if valid[64] == 27 { 28 } else { 27 };
    invalid(&by_sig(id, 1, alice, twin));
    for v in [0u8, 1, 29] {
        let mut bad = valid.clone();
        bad[64] = v;
        invalid(&by_sig(id, 1, alice, bad));
    }
    invalid(&by_sig(id, 1, alice, valid[..64].to_vec()));
    invalid(&by_sig(id, 1, alice, [valid.clone(), vec![0]].concat()));
    invalid(&by_sig(id, 1, alice, Vec::new()));
    invalid(&by_sig(id, 1, Address::ZERO, vec![0u8; 65]));
    assert_eq!(env.view(&IGovernor::noncesCall { owner: alice }), U256::ZERO, "no failure used a nonce");
    env.send(DAVE, &by_sig(id, 1, alice, valid)).unwrap();
}

#[test]
fn extended_ballots_sign_the_reason_and_params() {
    let env = Env::new();
    let alice = env.alice();
    let id = env.propose(alice, &Proposal::poke(1, "extended"));
    env.warp_to(env.snapshot(id) + 1);
    let (reason, params) = ("because", vec![1u8, 2, 3]);
    let sig = env.alice.sign(env.extended_ballot_digest(id, 2, alice, 0, reason, &params)).to_vec();
    let call = |reason: &str, params: &[u8]| IGovernor::castVoteWithReasonAndParamsBySigCall {
        proposalId: id,
        support: 2,
        voter: alice,
        reason: reason.into(),
        params: Bytes::copy_from_slice(params),
        signature: sig.clone().into(),
    };
    assert!(matches!(env.fail(DAVE, &call("because!", &params)), E::GovernorInvalidSignature(_)), "another reason");
    assert!(matches!(env.fail(DAVE, &call(reason, &[1, 2])), E::GovernorInvalidSignature(_)), "other params");
    let out = env.send(DAVE, &call(reason, &params)).unwrap();
    let cast = &Env::own::<IGovernor::VoteCastWithParams>(&out.logs)[0];
    assert_eq!((cast.voter, cast.support, cast.reason.as_str(), cast.params.to_vec()), (alice, 2, reason, params));
    // A plain Ballot signature is not an ExtendedBallot one (and vice versa).
    let id2 = env.propose(alice, &Proposal::poke(2, "extended 2"));
    env.warp_to(env.snapshot(id2) + 1);
    let plain = env.alice.sign(env.ballot_digest(id2, 1, alice, 1, CHAIN_ID, GOV)).to_vec();
    let mixed = IGovernor::castVoteWithReasonAndParamsBySigCall {
        proposalId: id2, support: 1, voter: alice, reason: String::new(), params: Bytes::new(), signature: plain.into(),
    };
    assert!(matches!(env.fail(DAVE, &mixed), E::GovernorInvalidSignature(_)));
    // Empty params: VoteCast, as castVoteWithReason.
    let sig = env.alice.sign(env.extended_ballot_digest(id2, 1, alice, 1, "", &[])).to_vec();
    let out = env.send(DAVE, &IGovernor::castVoteWithReasonAndParamsBySigCall { signature: sig.into(), ..mixed }).unwrap();
    assert_eq!(Env::own::<IGovernor::VoteCast>(&out.logs).len(), 1);
}

#[test]
fn contract_wallets_vote_through_erc1271() {
    let env = Env::new();
    env.fund(WALLET, e18(200));
    env.wrap(WALLET, e18(200));
    env.delegate(WALLET, WALLET);
    env.world.warp(1);
    let id = env.propose(env.alice(), &Proposal::poke(1, "wallet"));
    env.warp_to(env.snapshot(id) + 1);
    let digest = env.ballot_digest(id, 1, WALLET, 0, CHAIN_ID, GOV);
    // Not approved: the wallet answers 0xffffffff.
    assert!(matches!(env.fail(DAVE, &by_sig(id, 1, WALLET, vec![1, 2, 3])), E::GovernorInvalidSignature(e) if e.voter == WALLET));
    env.world.send(WALLET, WALLET, &IMockWallet::approveDigestCall { digest }).unwrap();
    // A contract's signature is whatever the contract accepts (here, any bytes).
    let out = env.send(DAVE, &by_sig(id, 1, WALLET, vec![1, 2, 3])).unwrap();
    assert_eq!(out.value, e18(200));
    // A contract that does not implement ERC-1271 never signs.
    let id2 = env.propose(env.alice(), &Proposal::poke(2, "target"));
    env.warp_to(env.snapshot(id2) + 1);
    assert!(matches!(env.fail(DAVE, &by_sig(id2, 1, TARGET, vec![0u8; 65])), E::GovernorInvalidSignature(_)));
}

// ---------------------------------------------------------------------------- retroactive quorum

#[test]
fn a_quorum_change_never_revives_or_kills_an_existing_proposal() {
    // CVE-2022-31198: the quorum of a proposal is the numerator in effect at its snapshot.
    let env = Env::new();
    let (alice, bob) = (env.alice(), env.bob());
    // `passed`: carol's 100 for (quorum 56 at 4%). `failed`: bob's 300 against only. `live`:
    // proposed later, still being voted on when the quorum changes.
    let passed = env.propose(alice, &Proposal::poke(1, "passes at 4%"));
    let failed = env.propose(alice, &Proposal::poke(2, "fails at 4%"));
    env.warp_to(env.snapshot(passed) + 1);
    env.vote(CAROL, passed, 1);
    env.vote(bob, failed, 0);
    let live = env.propose(alice, &Proposal::poke(3, "live"));
    env.warp_to(env.snapshot(live) + 1);
    env.vote(CAROL, live, 1);
    env.warp_to(env.deadline(passed) + 1);
    assert_eq!((env.state(passed), env.state(failed), env.state(live)), (SUCCEEDED, DEFEATED, ACTIVE));

    // Raising the quorum to 50% kills neither `passed` nor the live proposal.
    let raised_at = env.now();
    env.send(TIMELOCK, &IGovernor::updateQuorumNumeratorCall { newQuorumNumerator: u(50) }).unwrap();
    assert_eq!(env.state(passed), SUCCEEDED);
    env.warp_to(env.deadline(live) + 1);
    assert_eq!(env.state(live), SUCCEEDED, "100 for of 1,400: enough at 4%, not at 50%");
    // Lowering it to 0 does not revive `failed`.
    env.send(TIMELOCK, &IGovernor::updateQuorumNumeratorCall { newQuorumNumerator: U256::ZERO }).unwrap();
    assert_eq!(env.state(failed), DEFEATED);
    let snapshot = env.snapshot(passed);
    assert_eq!(env.view(&IGovernor::quorumNumerator_1Call { timepoint: u(snapshot) }), u(QUORUM_PERCENT));
    assert_eq!(env.view(&IGovernor::quorumNumerator_1Call { timepoint: u(raised_at) }), u(50));
    assert_eq!(env.view(&IGovernor::quorumNumerator_1Call { timepoint: u(env.now()) }), U256::ZERO);
    assert_eq!(env.view(&IGovernor::quorumNumerator_0Call {}), U256::ZERO);
    assert_eq!(env.view(&IGovernor::quorumCall { timepoint: u(snapshot) }), e18(56));
    // Two changes in one second: the last one holds from that second.
    env.send(TIMELOCK, &IGovernor::updateQuorumNumeratorCall { newQuorumNumerator: u(30) }).unwrap();
    env.send(TIMELOCK, &IGovernor::updateQuorumNumeratorCall { newQuorumNumerator: u(50) }).unwrap();
    assert_eq!(env.view(&IGovernor::quorumNumerator_1Call { timepoint: u(env.now()) }), u(50));

    // A proposal made after the change needs 50% of its snapshot's votes.
    env.world.warp(1);
    let later = env.propose(alice, &Proposal::poke(4, "after the change"));
    env.warp_to(env.snapshot(later) + 1);
    env.vote(bob, later, 1);
    env.warp_to(env.deadline(later) + 1);
    assert_eq!(env.view(&IGovernor::quorumCall { timepoint: u(env.snapshot(later)) }), e18(700));
    assert_eq!(env.state(later), DEFEATED, "300 < 700");
}

// ---------------------------------------------------------------------------- front-running

#[test]
fn a_proposer_suffix_reserves_the_proposal_id() {
    let env = Env::new();
    let (alice, bob) = (env.alice(), env.bob());
    let reserved = Proposal::poke(1, &format!("Fund the grant\n#proposer={}", alice.to_checksum(None)));
    // Bob front-runs with alice's exact proposal: refused.
    match env.fail(bob, &reserved.propose_call()) {
        E::GovernorRestrictedProposer(e) => assert_eq!(e.proposer, bob),
        other => panic!("{other:?}"),
    }
    // Lower-case hex too (the checksummed form has both cases); alice herself may.
    let lower = Proposal::poke(1, &format!("Fund the grant\n#proposer=0x{}", alloy_primitives::hex::encode(alice)));
    assert!(matches!(env.fail(bob, &lower.propose_call()), E::GovernorRestrictedProposer(_)));
    assert_eq!(env.propose(alice, &reserved), reserved.id());
    // To front-run, bob must change the description, which changes the id.
    let changed = Proposal::poke(1, &format!("Fund the grant\n#proposer={}", bob.to_checksum(None)));
    assert_ne!(env.propose(bob, &changed), reserved.id());

    // Without the suffix, anyone can take the id first, and the original proposer is refused.
    let open = Proposal::poke(2, "Fund the other grant");
    let id = env.propose(bob, &open);
    match env.fail(alice, &open.propose_call()) {
        E::GovernorUnexpectedProposalState(e) => assert_eq!((e.proposalId, e.current, e.expectedStates), (id, PENDING, B256::ZERO)),
        other => panic!("{other:?}"),
    }
    assert_eq!(env.view(&IGovernor::proposalProposerCall { proposalId: id }), bob);
}

// ---------------------------------------------------------------------------- cancel

#[test]
fn only_the_proposer_cancels_and_only_while_pending() {
    let env = Env::new();
    let (alice, bob) = (env.alice(), env.bob());
    let p = Proposal::poke(1, "cancel me");
    let id = env.propose(alice, &p);
    match env.fail(bob, &p.cancel_call()) {
        E::GovernorUnableToCancel(e) => assert_eq!((e.proposalId, e.account), (id, bob)),
        other => panic!("{other:?}"),
    }
    let out = env.send(alice, &p.cancel_call()).unwrap();
    assert_eq!(out.value, id);
    assert_eq!(Env::own::<IGovernor::ProposalCanceled>(&out.logs)[0].proposalId, id);
    assert_eq!(env.state(id), CANCELED);
    assert!(matches!(env.fail(alice, &p.cancel_call()), E::GovernorUnableToCancel(_)), "once");
    env.warp_to(env.snapshot(id) + 1);
    match env.fail(alice, &IGovernor::castVoteCall { proposalId: id, support: 1 }) {
        E::GovernorUnexpectedProposalState(e) => assert_eq!((e.current, e.expectedStates), (CANCELED, state_bitmap(&[ACTIVE]))),
        other => panic!("{other:?}"),
    }
    env.warp_to(env.deadline(id) + 1);
    assert!(matches!(env.fail(DAVE, &p.queue_call()), E::GovernorUnexpectedProposalState(e) if e.current == CANCELED));

    // Once voting opens the proposer can no longer cancel, in any later state.
    let q = Proposal::poke(2, "too late");
    let id = env.propose(alice, &q);
    env.warp_to(env.snapshot(id) + 1);
    assert!(matches!(env.fail(alice, &q.cancel_call()), E::GovernorUnableToCancel(e) if e.account == alice));
    env.vote(alice, id, 1);
    env.warp_to(env.deadline(id) + 1);
    assert!(matches!(env.fail(alice, &q.cancel_call()), E::GovernorUnableToCancel(_)));
    env.send(DAVE, &q.queue_call()).unwrap();
    assert!(matches!(env.fail(alice, &q.cancel_call()), E::GovernorUnableToCancel(_)));
    // Cancelling a proposal that does not exist.
    let none = Proposal::poke(3, "never proposed");
    assert!(matches!(env.fail(alice, &none.cancel_call()), E::GovernorNonexistentProposal(e) if e.proposalId == none.id()));
}

// ---------------------------------------------------------------------------- malformed proposals

#[test]
fn proposals_need_matching_nonempty_actions() {
    let env = Env::new();
    let alice = env.alice();
    let call = |targets: usize, values: usize, calldatas: usize| IGovernor::proposeCall {
        targets: vec![TARGET; targets],
        values: vec![U256::ZERO; values],
        calldatas: vec![Bytes::new(); calldatas],
        description: "lengths".into(),
    };
    for (t, v, c) in [(0, 0, 0), (1, 0, 1), (1, 1, 0), (2, 1, 2), (1, 2, 2)] {
        match env.fail(alice, &call(t, v, c)) {
            E::GovernorInvalidProposalLength(e) => assert_eq!((e.targets, e.calldatas, e.values), (u(t as u64), u(c as u64), u(v as u64))),
            other => panic!("({t}, {v}, {c}): {other:?}"),
        }
    }
    // Calldata that is not a valid encoding (a string that is not UTF-8) reverts without data.
    let valid = Proposal::poke(1, "bad utf-8 \u{e9}").propose_call().abi_encode();
    let mut data = valid.clone();
    let at = data.len() - 32 + "bad utf-8 ".len();
    data[at] = 0xff;
    assert!(env.world.transact(alice, GOV, data).unwrap_err().0.is_empty());
    env.world.transact(alice, GOV, valid).expect("the same proposal with its UTF-8 intact");
}

// ---------------------------------------------------------------------------- state machine

#[derive(Clone, Debug)]
enum Step {
    Warp(u64),
    Vote(usize, u8),
    Queue,
    Execute,
    Cancel,
    Veto,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (1u64..700).prop_map(Step::Warp),
        4 => (0usize..3, 0u8..3).prop_map(|(v, s)| Step::Vote(v, s)),
        3 => Just(Step::Queue),
        3 => Just(Step::Execute),
        1 => Just(Step::Cancel),
        1 => Just(Step::Veto),
    ]
}

/// The transitions OpenZeppelin's governor allows (GovernorTimelockControl, no expiry).
fn allowed(from: u8, to: u8) -> bool {
    from == to
        || matches!(
            (from, to),
            (PENDING, ACTIVE | CANCELED)
                | (ACTIVE, DEFEATED | SUCCEEDED)
                | (SUCCEEDED, QUEUED)
                | (QUEUED, EXECUTED | CANCELED)
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Over random schedules of warps, votes, queue, execute, cancel and a guardian veto: every
    /// state change is an allowed transition, terminal states stay, and each step succeeds
    /// exactly when the state allows it.
    #[test]
    fn the_state_machine_only_moves_forward(steps in proptest::collection::vec(step(), 1..40)) {
        let env = Env::new();
        let voters = [env.alice(), env.bob(), CAROL];
        let p = Proposal::poke(1, "random");
        let id = env.propose(env.alice(), &p);
        let mut state = env.state(id);
        for step in steps {
            let before = state;
            let ok = match step {
                Step::Warp(s) => { env.world.warp(s); true }
                Step::Vote(v, s) => env.send(voters[v], &IGovernor::castVoteCall { proposalId: id, support: s }).is_ok(),
                Step::Queue => env.send(DAVE, &p.queue_call()).is_ok(),
                Step::Execute => env.send(DAVE, &p.execute_call()).is_ok(),
                Step::Cancel => env.send(env.alice(), &p.cancel_call()).is_ok(),
                Step::Veto => env.world.send(GUARDIAN, TIMELOCK, &IMockTimelock::cancelCall { id: p.operation_id() }).is_ok(),
            };
            state = env.state(id);
            prop_assert!(allowed(before, state), "{:?}: {} -> {}", step, before, state);
            match step {
                Step::Queue => prop_assert_eq!(ok, before == SUCCEEDED),
                Step::Cancel => prop_assert_eq!(ok, before == PENDING),
                Step::Veto => prop_assert_eq!(ok, before == QUEUED),
                Step::Execute => {
                    let ready = env.view(&IGovernor::proposalEtaCall { proposalId: id }) <= u(env.now());
                    prop_assert_eq!(ok, before == QUEUED && ready);
                }
                Step::Vote(..) if ok => prop_assert_eq!(before, ACTIVE),
                _ => {}
            }
            if matches!(before, CANCELED | DEFEATED | EXECUTED) {
                prop_assert_eq!(state, before, "terminal");
            }
        }
    }
}
