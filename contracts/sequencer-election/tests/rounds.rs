//! The election through its real ABI in a [`stylus_world::World`]: setup and its checks,
//! governance's calls, the calendar of rounds, and applications with their key proofs.

mod common;

use alloy_primitives::{keccak256, Address, Bytes, U256};
use alloy_sol_types::{SolCall, SolEvent};
use common::*;
use dseq_abi::election::{
    ISequencerElection as SE,
    ISequencerElection::{ISequencerElectionErrors as E, *},
};
use sequencer_election::SequencerElection;
use stylus_world::{keys::Key, World};


fn not_governance(caller: Address) -> E {
    E::NotGovernance(NotGovernance { caller })
}

/// `keccak256("stylus_constructor()")[..4]`: the SDK routes this selector to `#[constructor]`.
fn constructor() -> Vec<u8> {
    keccak256(b"stylus_constructor()")[..4].to_vec()
}

// ============================================================================ setup

#[test]
fn initialize_emits_its_settings_and_the_views_read_them_back() {
    let env = Env::bare();
    let out = env.send(DEPLOYER, &env.initialize_call()).unwrap();
    let build = env.view(&SE::dseqProgramCall {}).build;
    assert_eq!(Env::own::<Initialized>(&out.logs), vec![Initialized { version: 1 }]);
    assert_eq!(Env::own::<ProgramInstalled>(&out.logs), vec![ProgramInstalled { index: u(1), program: MODULE, build }]);
    assert_eq!(Env::own::<VetterSet>(&out.logs), vec![VetterSet { previousVetter: Address::ZERO, newVetter: VETTER }]);
    assert_eq!(Env::own::<RulesSet>(&out.logs), vec![Rules::default_test().event()]);
    let order: Vec<_> = out.logs.iter().map(|l| (l.address, l.topics[0])).collect();
    assert_eq!(
        order,
        vec![
            (ELECTION, Initialized::SIGNATURE_HASH),
            (ELECTION, ProgramInstalled::SIGNATURE_HASH),
            (ELECTION, VetterSet::SIGNATURE_HASH),
            (ELECTION, RulesSet::SIGNATURE_HASH),
        ],
        "exactly these four logs, all the election's"
    );

    assert_eq!(Rules::from_view(env.view(&SE::rulesCall {})), Rules::default_test());
    assert_eq!(env.view(&SE::governanceCall {}), GOV);
    assert_eq!(env.view(&SE::votingTokenCall {}), VOTES);
    assert_eq!(env.view(&SE::poolCall {}), POOL);
    assert_eq!(env.view(&SE::vetterCall {}), VETTER);
    assert_eq!(env.view(&SE::nextRoundAtCall {}), FIRST);
    assert_eq!(env.view(&SE::roundCountCall {}), U256::ZERO);
    assert_eq!(env.view(&SE::MAX_CANDIDATESCall {}), 32);
    assert_eq!(env.view(&SE::programsCall {}), vec![MODULE]);
    assert_eq!(env.view(&SE::DOMAIN_SEPARATORCall {}), domain());
    assert_eq!(env.phase(u(1)), NO_PHASE, "no round yet");
    assert_eq!(env.fail(DEPLOYER, &SE::roundCall { roundId: u(1) }), E::UnknownRound(UnknownRound { roundId: u(1) }));
}

#[test]
fn initialize_runs_once_and_the_implementation_refuses_it() {
    let env = Env::new();
    assert_eq!(env.fail(MALLORY, &env.initialize_call()), E::InvalidInitialization(InvalidInitialization {}));
    assert_eq!(env.fail(GOV, &env.initialize_call()), E::InvalidInitialization(InvalidInitialization {}));

    // The bare implementation: its constructor disabled initialization.
    let world = World::new();
    world.deploy(ELECTION, SequencerElection::program_0);
    let logs = world.transact(DEPLOYER, ELECTION, constructor()).unwrap();
    assert_eq!(logs.iter().filter_map(|l| l.decode::<Initialized>()).collect::<Vec<_>>(), vec![Initialized {
        version: u64::MAX
    }]);
    let err = world.send(MALLORY, ELECTION, &env.initialize_call()).err().expect("expected a revert");
    assert_eq!(err.decode::<E>(), E::InvalidInitialization(InvalidInitialization {}));
    // And the module's own storage too; a constructor runs once.
    world.deploy(MODULE, SequencerElection::program_1);
    world.transact(DEPLOYER, MODULE, constructor()).unwrap();
    assert!(world.transact(DEPLOYER, MODULE, constructor()).is_err(), "once");
}

/// A change to `initialize`'s arguments and the error it must produce.
type Case = (Box<dyn Fn(&mut SE::initializeCall)>, E);

#[test]
fn initialize_validates_its_arguments() {
    let build = {
        let env = Env::new();
        env.view(&SE::dseqProgramCall {}).build
    };
    let (pool_module_build, votes_build) = {
        let env = Env::bare();
        (env.world.view(POOL_MODULE, &SE::dseqProgramCall {}).build, env.world.view(VOTES, &SE::dseqProgramCall {}).build)
    };
    let setup = |governance, votes, pool| E::InvalidSetup(InvalidSetup { governance, votes, pool });
    let schedule = |cadence, application, voting, vetting| {
        E::InvalidSchedule(InvalidSchedule { cadence, applicationPeriod: application, votingPeriod: voting, vettingPeriod: vetting })
    };
    let seats = |seats, max| E::InvalidSeats(InvalidSeats { seats, maxCandidates: max, limit: 32 });
    let cases: Vec<Case> = vec![
        (Box::new(|c| c.governance = Address::ZERO), setup(Address::ZERO, VOTES, POOL)),
        (Box::new(|c| c.votes = Address::ZERO), setup(GOV, Address::ZERO, POOL)),
        (Box::new(|c| c.pool = Address::ZERO), setup(GOV, VOTES, Address::ZERO)),
        (Box::new(|c| c.applicationPeriod = 0), schedule(CADENCE, 0, VOTING, VETTING)),
        (Box::new(|c| c.votingPeriod = 0), schedule(CADENCE, APPLICATION, 0, VETTING)),
        (Box::new(|c| c.cadence = 349), schedule(349, APPLICATION, VOTING, VETTING)),
        (Box::new(|c| c.vettingPeriod = u64::MAX), schedule(CADENCE, APPLICATION, VOTING, u64::MAX)),
        (Box::new(|c| c.seats = 0), seats(0, MAX)),
        (Box::new(|c| c.seats = MAX + 1), seats(MAX + 1, MAX)),
        (Box::new(|c| c.maxCandidates = 33), seats(SEATS, 33)),
        (Box::new(|c| c.approvalBps = 10_001), E::InvalidRatio(InvalidRatio { approvalBps: 10_001, quorumBps: 0 })),
        (
            Box::new(|c| c.quorumBps = 10_001),
            E::InvalidRatio(InvalidRatio { approvalBps: APPROVAL_BPS, quorumBps: 10_001 }),
        ),
        (Box::new(|c| c.programs = vec![]), E::ProgramCountMismatch(ProgramCountMismatch { expected: u(1), given: u(0) })),
        (Box::new(|c| c.programs = vec![DAVE]), E::ProgramHasNoCode(ProgramHasNoCode { index: u(1), program: DAVE })),
        (
            Box::new(|c| c.programs = vec![POOL_MODULE]),
            E::ProgramMismatch(ProgramMismatch {
                index: u(1),
                program: POOL_MODULE,
                expectedBuild: build,
                build: pool_module_build,
                answeredIndex: u(1),
            }),
        ),
        (
            Box::new(|c| c.programs = vec![VOTES]),
            E::ProgramMismatch(ProgramMismatch {
                index: u(1),
                program: VOTES,
                expectedBuild: build,
                build: votes_build,
                answeredIndex: u(0),
            }),
        ),
    ];
    for (i, (edit, expected)) in cases.into_iter().enumerate() {
        let env = Env::bare();
        let mut call = env.initialize_call();
        edit(&mut call);
        assert_eq!(env.fail(DEPLOYER, &call), expected, "case {i}");
        env.send(DEPLOYER, &env.initialize_call()).expect("a failed initialize leaves the proxy uninitialized");
    }

    // The limits themselves are accepted: windows filling the cadence, no vetting, seats equal to
    // maxCandidates = 32, ratios of 10000, and no vetter.
    let env = Env::bare();
    let mut call = Env::initialize_with(Rules {
        cadence: APPLICATION + VOTING,
        vetting: 0,
        seats: 32,
        max_candidates: 32,
        approval_bps: 10_000,
        quorum_bps: 10_000,
        ..Rules::default_test()
    });
    call.vetter = Address::ZERO;
    env.send(DEPLOYER, &call).unwrap();
    assert_eq!(env.view(&SE::vetterCall {}), Address::ZERO);
    let rules = Rules::from_view(env.view(&SE::rulesCall {}));
    assert_eq!((rules.cadence, rules.vetting, rules.seats, rules.max_candidates), (300, 0, 32, 32));
    assert_eq!((rules.approval_bps, rules.quorum_bps), (10_000, 10_000));
}

// ============================================================================ governance

#[test]
fn governance_calls_are_refused_to_anyone_else() {
    let env = Env::new();
    let id = env.open();
    let c = Candidate::new(1);
    let calls: Vec<Vec<u8>> = vec![
        Rules::default_test().set_call().abi_encode(),
        SE::setVetterCall { vetter: MALLORY }.abi_encode(),
        SE::cancelRoundCall { roundId: id }.abi_encode(),
        SE::revokeCall { operator: c.operator }.abi_encode(),
        SE::installProgramsCall { programs: vec![MODULE] }.abi_encode(),
    ];
    for data in &calls {
        for caller in [MALLORY, VETTER, ADMIN, DEPLOYER, POOL, ELECTION] {
            let err = env.world.transact(caller, ELECTION, data.clone()).unwrap_err();
            assert_eq!(err.decode::<E>(), not_governance(caller), "{:02x?} from {caller}", &data[..4]);
        }
    }
    assert_eq!(env.view(&SE::vetterCall {}), VETTER, "nothing moved");
    assert_eq!(env.phase(id), APPLICATIONS);
}

#[test]
fn governance_sets_the_vetter_and_the_rules_and_reinstalls_the_programs() {
    let env = Env::new();
    let out = env.send(GOV, &SE::setVetterCall { vetter: CAROL }).unwrap();
    assert_eq!(Env::own::<VetterSet>(&out.logs), vec![VetterSet { previousVetter: VETTER, newVetter: CAROL }]);
    assert_eq!(env.view(&SE::vetterCall {}), CAROL);
    let out = env.send(GOV, &SE::setVetterCall { vetter: Address::ZERO }).unwrap();
    assert_eq!(Env::own::<VetterSet>(&out.logs), vec![VetterSet { previousVetter: CAROL, newVetter: Address::ZERO }]);
    assert_eq!(env.view(&SE::vetterCall {}), Address::ZERO);

    let new = Rules { cadence: 5_000, seats: 1, max_candidates: 2, quorum_bps: 1, quorum: U256::ZERO, ..Rules::default_test() };
    let out = env.send(GOV, &new.set_call()).unwrap();
    assert_eq!(Env::own::<RulesSet>(&out.logs), vec![new.event()]);
    assert_eq!(out.logs.len(), 1);
    assert_eq!(Rules::from_view(env.view(&SE::rulesCall {})), new);
    assert_eq!(env.next_round_at(), FIRST, "round 1 stays due at firstRoundAt");
    // Invalid rules are refused, even from governance, and change nothing.
    let bad = Rules { seats: 3, ..new };
    assert_eq!(env.fail(GOV, &bad.set_call()), E::InvalidSeats(InvalidSeats { seats: 3, maxCandidates: 2, limit: 32 }));
    let bad = Rules { application: 4_000, voting: 1_000, vetting: 1, ..new };
    assert_eq!(
        env.fail(GOV, &bad.set_call()),
        E::InvalidSchedule(InvalidSchedule { cadence: 5_000, applicationPeriod: 4_000, votingPeriod: 1_000, vettingPeriod: 1 })
    );
    assert_eq!(Rules::from_view(env.view(&SE::rulesCall {})), new);

    let build = env.view(&SE::dseqProgramCall {}).build;
    let out = env.send(GOV, &SE::installProgramsCall { programs: vec![MODULE] }).unwrap();
    assert_eq!(Env::own::<ProgramInstalled>(&out.logs), vec![ProgramInstalled { index: u(1), program: MODULE, build }]);
    assert_eq!(
        env.fail(GOV, &SE::installProgramsCall { programs: vec![MODULE, MODULE] }),
        E::ProgramCountMismatch(ProgramCountMismatch { expected: u(1), given: u(2) })
    );
    assert_eq!(
        env.fail(GOV, &SE::installProgramsCall { programs: vec![DAVE] }),
        E::ProgramHasNoCode(ProgramHasNoCode { index: u(1), program: DAVE })
    );
    assert_eq!(env.view(&SE::programsCall {}), vec![MODULE]);
}

#[test]
fn new_rules_leave_a_live_round_alone_and_apply_from_the_next_one() {
    let env = Env::new();
    let id = env.open();
    env.world.warp(10);
    let new = Rules {
        cadence: 2_000,
        application: 150,
        voting: 300,
        vetting: 0,
        seats: 1,
        max_candidates: 4,
        min_voters: 1,
        approval_bps: 5_000,
        quorum_bps: 100,
        quorum: e18(10),
    };
    env.send(GOV, &new.set_call()).unwrap();
    assert_eq!(Rules::from_view(env.view(&SE::rulesCall {})), new);
    assert_eq!(Rules::from_round_view(env.view(&SE::roundRulesCall { roundId: id })), Rules::default_test());
    let r = env.round(id);
    assert_eq!(
        (r.phase, r.scheduledAt, r.openedAt, r.votingStart, r.votingEnd, r.vettingEnd),
        (APPLICATIONS, FIRST, FIRST, FIRST + 100, FIRST + 300, FIRST + 350),
        "the windows did not move"
    );
    assert_eq!(env.next_round_at(), FIRST + 2_000, "the next slot follows the new cadence");

    // The live round still takes its own maxCandidates (8), not the new 4.
    let cs = candidates(5);
    for c in &cs {
        env.apply(id, c);
    }
    assert_eq!(env.round(id).candidateCount, u(5));
    // And votes run in its own window: at FIRST + 101 (< 150 of the new rules) voting is open.
    env.to_voting(id);
    assert_eq!(env.now(), FIRST + 101);
    env.vote(env.alice(), id, cs[0].operator, 1);
    // Its own vetting window (50, not 0) and its own quorum (50 tokens, no share of the total).
    env.warp_to(FIRST + 301);
    assert_eq!(env.phase(id), VETTING_PHASE);
    assert_eq!(env.view(&SE::quorumCall { roundId: id }), e18(50));
    env.to_end(id);
    let out = env.finalize(id).unwrap();
    assert_eq!(
        Env::own::<RoundFinalized>(&out.logs),
        vec![RoundFinalized { roundId: id, quorum: e18(50), qualified: u(0), admitted: u(0) }],
        "one voter is below the round's minVoters of 2, whatever the new rules say"
    );

    env.warp_to(FIRST + 2_000);
    let out = env.send(MALLORY, &SE::openRoundCall {}).unwrap();
    assert_eq!(out.value, u(2));
    assert_eq!(Env::own::<RoundOpened>(&out.logs), vec![RoundOpened {
        roundId: u(2),
        scheduledAt: FIRST + 2_000,
        votingStart: FIRST + 2_150,
        votingEnd: FIRST + 2_450,
        vettingEnd: FIRST + 2_450,
    }]);
    assert_eq!(Rules::from_round_view(env.view(&SE::roundRulesCall { roundId: u(2) })), new);
    assert_eq!(Rules::from_round_view(env.view(&SE::roundRulesCall { roundId: id })), Rules::default_test());
    assert_eq!(env.fail(MALLORY, &SE::roundRulesCall { roundId: u(3) }), E::UnknownRound(UnknownRound { roundId: u(3) }));
}

// ============================================================================ calendar

#[test]
fn round_one_opens_at_first_round_at_and_not_a_second_earlier() {
    let env = Env::new();
    env.warp_to(FIRST - 1);
    assert_eq!(env.fail(MALLORY, &SE::openRoundCall {}), E::RoundNotDue(RoundNotDue { roundId: u(1), dueAt: FIRST }));
    assert_eq!(env.view(&SE::roundCountCall {}), U256::ZERO);

    env.warp_to(FIRST);
    let out = env.send(MALLORY, &SE::openRoundCall {}).unwrap();
    assert_eq!(out.value, u(1));
    assert_eq!(Env::own::<RoundOpened>(&out.logs), vec![RoundOpened {
        roundId: u(1),
        scheduledAt: FIRST,
        votingStart: FIRST + APPLICATION,
        votingEnd: FIRST + APPLICATION + VOTING,
        vettingEnd: FIRST + APPLICATION + VOTING + VETTING,
    }]);
    assert_eq!(out.logs.len(), 1);
    let r = env.round(u(1));
    assert_eq!(
        (r.phase, r.scheduledAt, r.openedAt, r.votingStart, r.votingEnd, r.vettingEnd, r.candidateCount, r.admitted),
        (APPLICATIONS, FIRST, FIRST, FIRST + 100, FIRST + 300, FIRST + 350, U256::ZERO, U256::ZERO)
    );
    assert_eq!(env.view(&SE::roundCountCall {}), u(1));
    assert_eq!(env.view(&SE::candidatesCall { roundId: u(1) }), Vec::<Address>::new());
    assert_eq!(Rules::from_round_view(env.view(&SE::roundRulesCall { roundId: u(1) })), Rules::default_test());
    assert_eq!(env.phase(u(2)), NO_PHASE);
    assert_eq!(env.phase(U256::ZERO), NO_PHASE);
    assert_eq!(env.fail(MALLORY, &SE::roundCall { roundId: U256::ZERO }), E::UnknownRound(UnknownRound { roundId: U256::ZERO }));
}

#[test]
fn a_round_runs_through_its_phases_and_the_next_opens_only_once_it_is_closed() {
    let env = Env::new();
    let id = env.open();
    assert_eq!(env.fail(MALLORY, &SE::openRoundCall {}), E::PreviousRoundOpen(PreviousRoundOpen { roundId: id }));
    // Each phase closes at its end.
    for (at, phase) in [
        (FIRST + 100, APPLICATIONS),
        (FIRST + 101, VOTING_PHASE),
        (FIRST + 300, VOTING_PHASE),
        (FIRST + 301, VETTING_PHASE),
        (FIRST + 350, VETTING_PHASE),
        (FIRST + 351, ENDED),
    ] {
        env.warp_to(at);
        assert_eq!(env.phase(id), phase, "at {at}");
        assert_eq!(env.round(id).phase, phase, "round() at {at}");
    }
    // Ended but not finalized, past the next slot: still blocked.
    env.warp_to(FIRST + CADENCE);
    assert_eq!(env.fail(MALLORY, &SE::openRoundCall {}), E::PreviousRoundOpen(PreviousRoundOpen { roundId: id }));
    env.finalize(id).unwrap();
    assert_eq!(env.phase(id), FINALIZED);
    assert_eq!(env.next_round_at(), FIRST + CADENCE);
    let out = env.send(MALLORY, &SE::openRoundCall {}).unwrap();
    assert_eq!(out.value, u(2));
    assert_eq!(Env::own::<RoundOpened>(&out.logs), vec![RoundOpened {
        roundId: u(2),
        scheduledAt: FIRST + CADENCE,
        votingStart: FIRST + CADENCE + 100,
        votingEnd: FIRST + CADENCE + 300,
        vettingEnd: FIRST + CADENCE + 350,
    }]);
    assert_eq!(env.view(&SE::roundCountCall {}), u(2));
    assert_eq!(env.next_round_at(), FIRST + 2 * CADENCE);
}

#[test]
fn the_next_round_is_not_due_before_the_previous_slot_plus_the_cadence() {
    let env = Env::new();
    let id = env.open();
    env.to_end(id);
    env.finalize(id).unwrap();
    env.warp_to(FIRST + CADENCE - 1);
    assert_eq!(
        env.fail(MALLORY, &SE::openRoundCall {}),
        E::RoundNotDue(RoundNotDue { roundId: u(2), dueAt: FIRST + CADENCE })
    );
    env.warp_to(FIRST + CADENCE);
    assert_eq!(env.send(MALLORY, &SE::openRoundCall {}).unwrap().value, u(2));
}

#[test]
fn opening_late_skips_the_missed_slots() {
    let env = Env::new();
    // Round 1 opened 2 cadences and 250 s late: it takes the slot FIRST + 2000.
    let opened = FIRST + 2 * CADENCE + 250;
    env.warp_to(opened);
    let out = env.send(MALLORY, &SE::openRoundCall {}).unwrap();
    assert_eq!(Env::own::<RoundOpened>(&out.logs), vec![RoundOpened {
        roundId: u(1),
        scheduledAt: FIRST + 2 * CADENCE,
        votingStart: opened + 100,
        votingEnd: opened + 300,
        vettingEnd: opened + 350,
    }]);
    let r = env.round(u(1));
    assert_eq!((r.scheduledAt, r.openedAt), (FIRST + 2 * CADENCE, opened), "the windows start when it opens");
    env.to_end(u(1));
    env.finalize(u(1)).unwrap();
    assert_eq!(env.next_round_at(), FIRST + 3 * CADENCE);

    // One second short of a cadence late: the due slot itself.
    env.warp_to(FIRST + 4 * CADENCE - 1);
    let out = env.send(MALLORY, &SE::openRoundCall {}).unwrap();
    assert_eq!(Env::own::<RoundOpened>(&out.logs)[0].scheduledAt, FIRST + 3 * CADENCE);
    env.to_end(u(2));
    env.finalize(u(2)).unwrap();
    assert_eq!(env.next_round_at(), FIRST + 4 * CADENCE, "already past: due at once");

    // Exactly a cadence late: the slot after.
    env.warp_to(FIRST + 5 * CADENCE);
    let out = env.send(MALLORY, &SE::openRoundCall {}).unwrap();
    assert_eq!(Env::own::<RoundOpened>(&out.logs)[0].scheduledAt, FIRST + 5 * CADENCE);
    assert_eq!(env.round(u(3)).scheduledAt, FIRST + 5 * CADENCE);
    assert_eq!(env.next_round_at(), FIRST + 6 * CADENCE);
}

// ============================================================================ applications

#[test]
fn candidates_apply_with_their_node_keys() {
    let env = Env::new();
    let id = env.open();
    let (c1, c2) = (Candidate::new(1), Candidate::new(2));
    assert_eq!(env.view(&SE::candidacyDigestCall { roundId: id, operator: c1.operator }), candidacy_digest(id, c1.operator));
    assert_ne!(candidacy_digest(id, c1.operator), candidacy_digest(u(2), c1.operator));
    assert_ne!(candidacy_digest(id, c1.operator), candidacy_digest(id, c2.operator));

    let out = env.apply(id, &c1);
    assert_eq!(Env::own::<CandidateApplied>(&out.logs), vec![CandidateApplied {
        roundId: id,
        operator: c1.operator,
        signer: c1.signer(),
        index: U256::ZERO,
        metadataURI: uri_of(c1.operator),
    }]);
    assert_eq!(out.logs.len(), 1);
    let got = env.candidate(id, c1.operator);
    assert_eq!(
        (got.index, got.signer, got.status, got.votesFor, got.votesAgainst, got.votesAbstain, got.voters),
        (U256::ZERO, c1.signer(), APPLIED, U256::ZERO, U256::ZERO, U256::ZERO, U256::ZERO)
    );
    assert_eq!(got.metadataHash, keccak256(uri_of(c1.operator).as_bytes()));

    // An empty URI is allowed; the second candidate is number 1.
    let call = SE::applyAsCandidateCall { metadataURI: String::new(), ..env.apply_call(id, &c2) };
    let out = env.send(c2.operator, &call).unwrap();
    assert_eq!(Env::own::<CandidateApplied>(&out.logs)[0].index, u(1));
    assert_eq!(Env::own::<CandidateApplied>(&out.logs)[0].metadataURI, "");
    let got = env.candidate(id, c2.operator);
    assert_eq!((got.index, got.signer, got.status, got.metadataHash), (u(1), c2.signer(), APPLIED, keccak256(b"")));

    assert_eq!(env.view(&SE::candidatesCall { roundId: id }), vec![c1.operator, c2.operator]);
    assert_eq!(env.round(id).candidateCount, u(2));
    assert_eq!(
        env.fail(MALLORY, &SE::candidateCall { roundId: id, operator: MALLORY }),
        E::UnknownCandidate(UnknownCandidate { roundId: id, candidate: MALLORY })
    );
    assert_eq!(
        env.fail(MALLORY, &SE::candidateCall { roundId: u(2), operator: c1.operator }),
        E::UnknownRound(UnknownRound { roundId: u(2) })
    );
    // A round that does not exist takes no application.
    let c3 = Candidate::new(3);
    assert_eq!(env.fail(c3.operator, &env.apply_call(u(2), &c3)), E::UnknownRound(UnknownRound { roundId: u(2) }));
    assert_eq!(env.fail(c3.operator, &env.apply_call(U256::ZERO, &c3)), E::UnknownRound(UnknownRound { roundId: U256::ZERO }));
}

#[test]
fn applications_close_at_voting_start() {
    let env = Env::new();
    let id = env.open();
    let (c1, c2) = (Candidate::new(1), Candidate::new(2));
    env.warp_to(FIRST + APPLICATION);
    env.apply(id, &c1);
    env.warp_to(FIRST + APPLICATION + 1);
    assert_eq!(env.fail(c2.operator, &env.apply_call(id, &c2)), unexpected(u(1), VOTING_PHASE, APPLICATIONS));
    env.to_end(id);
    assert_eq!(env.fail(c2.operator, &env.apply_call(id, &c2)), unexpected(u(1), ENDED, APPLICATIONS));
    env.finalize(id).unwrap();
    assert_eq!(env.fail(c2.operator, &env.apply_call(id, &c2)), unexpected(u(1), FINALIZED, APPLICATIONS));
    assert_eq!(env.view(&SE::candidatesCall { roundId: id }), vec![c1.operator]);
}

#[test]
fn an_operator_and_a_signer_apply_once_per_round() {
    let env = Env::new();
    let id = env.open();
    let (c1, c2) = (Candidate::new(1), Candidate::new(2));
    env.apply(id, &c1);
    let again = E::AlreadyCandidate(AlreadyCandidate { roundId: id, operator: c1.operator });
    assert_eq!(env.fail(c1.operator, &env.apply_call(id, &c1)), again);
    let other_key = Candidate { operator: c1.operator, key: Key::from_seed(77) };
    assert_eq!(env.fail(c1.operator, &env.apply_call(id, &other_key)), again, "a new key does not make a new candidate");
    // c1's key, validly signed for c2: taken in this round.
    let borrowed = Candidate { operator: c2.operator, key: c1.key.clone() };
    assert_eq!(env.fail(c2.operator, &env.apply_call(id, &borrowed)), E::SignerTaken(SignerTaken { signer: c1.signer() }));
    env.apply(id, &c2);

    // The next round: both may apply again, with the same keys.
    env.to_end(id);
    env.finalize(id).unwrap();
    let next = env.open();
    env.apply(next, &c1);
    env.apply(next, &c2);
    assert_eq!(env.view(&SE::candidatesCall { roundId: next }), vec![c1.operator, c2.operator]);
}

#[test]
fn a_candidacy_proof_binds_the_round_the_operator_and_the_key() {
    let env = Env::new();
    let id = env.open();
    let (c1, c2) = (Candidate::new(1), Candidate::new(2));
    let with_proof = |proof: Bytes| SE::applyAsCandidateCall { signerProof: proof, ..env.apply_call(id, &c2) };
    let invalid = E::InvalidSignerProof(InvalidSignerProof { signer: c2.signer() });
    // Signed for another operator.
    assert_eq!(env.fail(c2.operator, &with_proof(candidacy_proof(&c2.key, id, c1.operator))), invalid);
    // Signed for another round.
    assert_eq!(env.fail(c2.operator, &with_proof(candidacy_proof(&c2.key, u(2), c2.operator))), invalid);
    // Signed by another key than the one named.
    assert_eq!(env.fail(c2.operator, &with_proof(candidacy_proof(&c1.key, id, c2.operator))), invalid);
    // Malformed signatures.
    let good = candidacy_proof(&c2.key, id, c2.operator);
    assert_eq!(
        env.fail(c2.operator, &with_proof(Bytes::copy_from_slice(&good[..64]))),
        E::ECDSAInvalidSignatureLength(ECDSAInvalidSignatureLength { length: u(64) })
    );
    assert_eq!(
        env.fail(c2.operator, &with_proof(Bytes::new())),
        E::ECDSAInvalidSignatureLength(ECDSAInvalidSignatureLength { length: U256::ZERO })
    );
    let mut long = good.to_vec();
    long.push(0);
    assert_eq!(
        env.fail(c2.operator, &with_proof(long.into())),
        E::ECDSAInvalidSignatureLength(ECDSAInvalidSignatureLength { length: u(66) })
    );
    let mut bad_v = good.to_vec();
    bad_v[64] = 29;
    assert_eq!(env.fail(c2.operator, &with_proof(bad_v.into())), E::ECDSAInvalidSignature(ECDSAInvalidSignature {}));
    // The malleable twin (n - s, v flipped) of the good proof.
    let n = U256::from_be_slice(&alloy_primitives::hex!("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"));
    let s = U256::from_be_slice(&good[32..64]);
    let mut twin = good.to_vec();
    twin[32..64].copy_from_slice(&(n - s).to_be_bytes::<32>());
    twin[64] = if good[64] == 27 { 28 } else { 27 };
    assert_eq!(
        env.fail(c2.operator, &with_proof(twin.into())),
        E::ECDSAInvalidSignatureS(ECDSAInvalidSignatureS { s: (n - s).into() })
    );
    assert_eq!(env.round(id).candidateCount, U256::ZERO, "nothing was recorded");
    // The right proof, in its 0/1 `v` form too.
    let mut zero_v = good.to_vec();
    zero_v[64] -= 27;
    env.send(c2.operator, &with_proof(zero_v.into())).unwrap();
    assert_eq!(env.candidate(id, c2.operator).signer, c2.signer());
}

#[test]
fn metadata_is_at_most_256_bytes() {
    let env = Env::new();
    let id = env.open();
    let c = Candidate::new(1);
    let long = SE::applyAsCandidateCall { metadataURI: "x".repeat(257), ..env.apply_call(id, &c) };
    assert_eq!(env.fail(c.operator, &long), E::MetadataTooLong(MetadataTooLong { length: u(257), max: u(256) }));
    let uri = format!("https://{}", "a".repeat(248));
    assert_eq!(uri.len(), 256);
    let out = env.send(c.operator, &SE::applyAsCandidateCall { metadataURI: uri.clone(), ..env.apply_call(id, &c) }).unwrap();
    assert_eq!(Env::own::<CandidateApplied>(&out.logs)[0].metadataURI, uri, "the event carries the URI in full");
    assert_eq!(env.candidate(id, c.operator).metadataHash, keccak256(uri.as_bytes()));
}

#[test]
fn a_round_takes_at_most_max_candidates() {
    let env = Env::new();
    let id = env.open();
    let cs = candidates(MAX as u8 + 1);
    for c in &cs[..MAX as usize] {
        env.apply(id, c);
    }
    let last = &cs[MAX as usize];
    assert_eq!(
        env.fail(last.operator, &env.apply_call(id, last)),
        E::TooManyCandidates(TooManyCandidates { roundId: id, maxCandidates: MAX })
    );
    assert_eq!(env.round(id).candidateCount, u(MAX as u64));
    assert_eq!(env.candidate(id, cs[MAX as usize - 1].operator).index, u(MAX as u64 - 1));
}

#[test]
fn pool_operators_and_their_signers_cannot_apply() {
    let env = Env::new();
    let (whitelisted, running, borrower) = (Candidate::new(1), Candidate::new(2), Candidate::new(3));
    // Admitted by hand, not running.
    env.pool_admit(whitelisted.operator, true);
    // Admitted, registered, then un-whitelisted: still runs a sequencer.
    env.pool_admit(running.operator, true);
    env.register(running.operator, &running.key, e18(20_000)).unwrap();
    env.pool_admit(running.operator, false);
    assert!(!env.whitelisted(running.operator));

    let id = env.open();
    assert_eq!(
        env.fail(whitelisted.operator, &env.apply_call(id, &whitelisted)),
        E::AlreadyOperator(AlreadyOperator { operator: whitelisted.operator })
    );
    assert_eq!(
        env.fail(running.operator, &env.apply_call(id, &running)),
        E::AlreadyOperator(AlreadyOperator { operator: running.operator })
    );
    // A newcomer naming the key of the running sequencer, with that key's valid proof.
    let borrowed = Candidate { operator: borrower.operator, key: running.key.clone() };
    assert_eq!(
        env.fail(borrower.operator, &env.apply_call(id, &borrowed)),
        E::SignerTaken(SignerTaken { signer: running.signer() })
    );
    // The check reads the pool now: once the hand admission is withdrawn, the operator applies.
    env.pool_admit(whitelisted.operator, false);
    env.apply(id, &whitelisted);
    env.apply(id, &borrower);
    assert_eq!(env.view(&SE::candidatesCall { roundId: id }), vec![whitelisted.operator, borrower.operator]);
}
