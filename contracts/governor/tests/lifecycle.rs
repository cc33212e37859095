//! The governor through its real ABI in a [`stylus_world::World`]: setup, metadata, the full
//! lifecycle with its exact events, counting and quorum boundaries, the late-quorum extension,
//! the timelock's rules, settings through governance, and the storage layout.

mod common;

use alloy_primitives::{aliases::U48, keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{SolCall, SolError};
use common::*;
use dseq_abi::governor::{
    state::*, state_bitmap, IGovernor, IGovernor::IGovernorErrors as E, BALLOT_TYPEHASH, EXTENDED_BALLOT_TYPEHASH,
    IGOVERNOR_INTERFACE_ID, IGOVERNOR_INTERFACE_ID_V5_3,
};
use governor::Governor;
use stylus_world::World;

// ---------------------------------------------------------------------------- setup, metadata

#[test]
fn metadata_and_settings() {
    let env = Env::new();
    assert_eq!(env.view(&IGovernor::nameCall {}), "dseq Governor");
    assert_eq!(env.view(&IGovernor::versionCall {}), "1");
    assert_eq!(env.view(&IGovernor::COUNTING_MODECall {}), "support=bravo&quorum=for,abstain");
    assert_eq!(env.view(&IGovernor::clockCall {}), U48::from(env.now()));
    assert_eq!(env.view(&IGovernor::CLOCK_MODECall {}), "mode=timestamp");
    assert_eq!(env.view(&IGovernor::votingDelayCall {}), u(VOTING_DELAY));
    assert_eq!(env.view(&IGovernor::votingPeriodCall {}), u(VOTING_PERIOD));
    assert_eq!(env.view(&IGovernor::proposalThresholdCall {}), threshold());
    assert_eq!(env.view(&IGovernor::quorumNumerator_0Call {}), u(QUORUM_PERCENT));
    assert_eq!(env.view(&IGovernor::quorumNumerator_1Call { timepoint: u(T0) }), u(QUORUM_PERCENT));
    assert_eq!(env.view(&IGovernor::quorumNumerator_1Call { timepoint: u(T0 - 1) }), U256::ZERO, "set at T0");
    assert_eq!(env.view(&IGovernor::quorumDenominatorCall {}), u(100));
    assert_eq!(env.view(&IGovernor::lateQuorumVoteExtensionCall {}), U48::from(LATE_EXTENSION));
    assert_eq!(env.view(&IGovernor::tokenCall {}), VOTES);
    assert_eq!(env.view(&IGovernor::timelockCall {}), TIMELOCK);
    assert_eq!(env.view(&IGovernor::programsCall {}), vec![MODULE]);
    assert!(env.view(&IGovernor::proposalNeedsQueuingCall { proposalId: U256::ZERO }));
    assert_eq!(env.view(&IGovernor::BALLOT_TYPEHASHCall {}), BALLOT_TYPEHASH);
    assert_eq!(env.view(&IGovernor::EXTENDED_BALLOT_TYPEHASHCall {}), EXTENDED_BALLOT_TYPEHASH);
    let domain = env.view(&IGovernor::eip712DomainCall {});
    assert_eq!(domain.fields.0, [0x0f]);
    assert_eq!((domain.name.as_str(), domain.version.as_str()), ("dseq Governor", "1"));
    assert_eq!((domain.chainId, domain.verifyingContract, domain.salt), (u(CHAIN_ID), GOV, B256::ZERO));
    assert!(domain.extensions.is_empty());
    // 1,400 votes at T0, 4%.
    assert_eq!(env.view(&IGovernor::quorumCall { timepoint: u(T0) }), e18(56));
    assert_eq!(env.view(&IGovernor::getVotesCall { account: env.alice(), timepoint: u(T0) }), e18(1_000));
    assert_eq!(
        env.view(&IGovernor::getVotesWithParamsCall { account: env.bob(), timepoint: u(T0), params: Bytes::from(vec![1u8]) }),
        e18(300)
    );
}

#[test]
fn supports_ierc165_igovernor_and_the_1155_receiver() {
    let env = Env::new();
    let supports = |id: [u8; 4]| env.view(&IGovernor::supportsInterfaceCall { interfaceId: id.into() });
    assert_eq!(IGOVERNOR_INTERFACE_ID, [0x65, 0x45, 0x5a, 0x86]);
    for id in [IGOVERNOR_INTERFACE_ID, IGOVERNOR_INTERFACE_ID_V5_3, [0x01, 0xff, 0xc9, 0xa7], [0x4e, 0x23, 0x12, 0xe0]] {
        assert!(supports(id), "{id:x?}");
    }
    for id in [[0xff; 4], [0; 4], [0x80, 0xac, 0x58, 0xcd]] {
        assert!(!supports(id), "{id:x?}");
    }
}

#[test]
fn setup_emits_each_setting_from_zero() {
    let env = Env::bare();
    let out = env.send(DEPLOYER, &env.initialize_call()).unwrap();
    let one = |name: &str, found: usize| assert_eq!(found, 1, "{name}");
    let delay = Env::own::<IGovernor::VotingDelaySet>(&out.logs);
    one("VotingDelaySet", delay.len());
    assert_eq!((delay[0].oldVotingDelay, delay[0].newVotingDelay), (U256::ZERO, u(VOTING_DELAY)));
    let period = Env::own::<IGovernor::VotingPeriodSet>(&out.logs);
    assert_eq!((period[0].oldVotingPeriod, period[0].newVotingPeriod), (U256::ZERO, u(VOTING_PERIOD)));
    let thr = Env::own::<IGovernor::ProposalThresholdSet>(&out.logs);
    assert_eq!((thr[0].oldProposalThreshold, thr[0].newProposalThreshold), (U256::ZERO, threshold()));
    let quorum = Env::own::<IGovernor::QuorumNumeratorUpdated>(&out.logs);
    assert_eq!((quorum[0].oldQuorumNumerator, quorum[0].newQuorumNumerator), (U256::ZERO, u(QUORUM_PERCENT)));
    let ext = Env::own::<IGovernor::LateQuorumVoteExtensionSet>(&out.logs);
    assert_eq!((ext[0].oldVoteExtension, ext[0].newVoteExtension), (0, LATE_EXTENSION));
    let tl = Env::own::<IGovernor::TimelockChange>(&out.logs);
    assert_eq!((tl[0].oldTimelock, tl[0].newTimelock), (Address::ZERO, TIMELOCK));
    assert_eq!(Env::own::<IGovernor::Initialized>(&out.logs)[0].version, 1);
    let installed = Env::own::<IGovernor::ProgramInstalled>(&out.logs);
    assert_eq!((installed[0].index, installed[0].program), (u(1), MODULE));
}

#[test]
fn initialize_runs_once_and_the_implementation_refuses_it() {
    let env = Env::new();
    assert!(matches!(env.fail(MALLORY, &env.initialize_call()), E::InvalidInitialization(_)));
    assert!(matches!(
        env.fail(MALLORY, &IGovernor::installProgramsCall { programs: vec![MODULE] }),
        E::GovernorOnlyExecutor(e) if e.account == MALLORY
    ));

    // The bare implementation: its constructor disabled initialization.
    let world = World::new();
    world.deploy(GOV, Governor::program_0);
    world.transact(DEPLOYER, GOV, keccak256(b"stylus_constructor()")[..4].to_vec()).unwrap();
    let err = world.send(MALLORY, GOV, &env.initialize_call()).err().expect("expected a revert");
    assert!(matches!(err.decode::<E>(), E::InvalidInitialization(_)));
    // And the module's own storage too.
    world.deploy(MODULE, Governor::program_1);
    world.transact(DEPLOYER, MODULE, keccak256(b"stylus_constructor()")[..4].to_vec()).unwrap();
    assert!(world.transact(DEPLOYER, MODULE, keccak256(b"stylus_constructor()")[..4].to_vec()).is_err(), "once");
}

/// A change to `initialize`'s arguments and the error it must produce.
type Case = (Box<dyn Fn(&mut IGovernor::initializeCall)>, Box<dyn Fn(E) -> bool>);

#[test]
fn initialize_validates_its_arguments() {
    let cases: Vec<Case> = vec![
        (Box::new(|c| c.token = Address::ZERO), Box::new(|e| matches!(e, E::GovernorInvalidSetup(e) if e.token.is_zero() && e.timelock == TIMELOCK))),
        (Box::new(|c| c.timelock = Address::ZERO), Box::new(|e| matches!(e, E::GovernorInvalidSetup(e) if e.timelock.is_zero()))),
        (Box::new(|c| c.votingPeriod = 0), Box::new(|e| matches!(e, E::GovernorInvalidVotingPeriod(e) if e.votingPeriod.is_zero()))),
        (
            Box::new(|c| c.quorumNumerator = u(101)),
            Box::new(|e| matches!(e, E::GovernorInvalidQuorumFraction(e) if e.quorumNumerator == u(101) && e.quorumDenominator == u(100))),
        ),
        (
            Box::new(|c| c.lateQuorumVoteExtension = U48::from(VOTING_PERIOD + 1)),
            Box::new(|e| {
                matches!(e, E::GovernorPreventLateQuorumVoteExtensionTooLarge(e)
                    if e.newVoteExtension == u(VOTING_PERIOD + 1) && e.maxVoteExtension == u(VOTING_PERIOD))
            }),
        ),
        (Box::new(|c| c.programs = vec![]), Box::new(|e| matches!(e, E::ProgramCountMismatch(e) if e.expected == u(1) && e.given.is_zero()))),
        (Box::new(|c| c.programs = vec![DAVE]), Box::new(|e| matches!(e, E::ProgramHasNoCode(e) if e.program == DAVE))),
        (Box::new(|c| c.programs = vec![METIS]), Box::new(|e| matches!(e, E::ProgramMismatch(e) if e.program == METIS))),
    ];
    for (i, (edit, expected)) in cases.into_iter().enumerate() {
        let env = Env::bare();
        let mut call = env.initialize_call();
        edit(&mut call);
        let err = env.fail(DEPLOYER, &call);
        assert!(expected(err.clone()), "case {i}: {err:?}");
        env.send(DEPLOYER, &env.initialize_call()).expect("a failed initialize leaves the proxy uninitialized");
    }
}

// ---------------------------------------------------------------------------- lifecycle

#[test]
fn a_proposal_runs_from_pending_to_executed_with_exact_events() {
    let env = Env::new();
    let (alice, bob) = (env.alice(), env.bob());
    let p = Proposal::poke(42, "Poke the target with 42");
    let created_at = env.now();

    // propose
    let out = env.send(bob, &p.propose_call()).unwrap();
    let id = out.value;
    assert_eq!(id, p.id(), "the id is OpenZeppelin's hash");
    assert_eq!(env.view(&IGovernor::hashProposalCall {
        targets: p.targets.clone(), values: p.values.clone(), calldatas: p.calldatas.clone(), descriptionHash: p.description_hash()
    }), id);
    assert_eq!(env.view(&IGovernor::getProposalIdCall {
        targets: p.targets.clone(), values: p.values.clone(), calldatas: p.calldatas.clone(), descriptionHash: p.description_hash()
    }), id);
    let created = Env::own::<IGovernor::ProposalCreated>(&out.logs);
    assert_eq!(created.len(), 1);
    let c = &created[0];
    let snapshot = created_at + VOTING_DELAY;
    assert_eq!((c.proposalId, c.proposer), (id, bob));
    assert_eq!((&c.targets, &c.values, &c.calldatas), (&p.targets, &p.values, &p.calldatas));
    assert_eq!(c.signatures, vec![String::new()]);
    assert_eq!((c.voteStart, c.voteEnd), (u(snapshot), u(snapshot + VOTING_PERIOD)));
    assert_eq!(c.description, p.description);
    assert_eq!(out.logs.len(), 1, "one log, the governor's");
    assert_eq!(env.state(id), PENDING);
    assert_eq!(env.snapshot(id), snapshot);
    assert_eq!(env.deadline(id), snapshot + VOTING_PERIOD);
    assert_eq!(env.view(&IGovernor::proposalProposerCall { proposalId: id }), bob);
    assert_eq!(env.view(&IGovernor::proposalEtaCall { proposalId: id }), U256::ZERO);

    // Pending through the snapshot second, Active right after.
    env.warp_to(snapshot);
    assert_eq!(env.state(id), PENDING);
    match env.fail(alice, &IGovernor::castVoteCall { proposalId: id, support: 1 }) {
        E::GovernorUnexpectedProposalState(e) => {
            assert_eq!((e.proposalId, e.current, e.expectedStates), (id, PENDING, state_bitmap(&[ACTIVE])))
        }
        other => panic!("{other:?}"),
    }
    env.warp_to(snapshot + 1);
    assert_eq!(env.state(id), ACTIVE);

    // votes
    let out = env.send(alice, &IGovernor::castVoteWithReasonCall { proposalId: id, support: 1, reason: "yes, poke it".into() }).unwrap();
    assert_eq!(out.value, e18(1_000));
    let cast = Env::own::<IGovernor::VoteCast>(&out.logs);
    assert_eq!((cast[0].voter, cast[0].proposalId, cast[0].support, cast[0].weight), (alice, id, 1, e18(1_000)));
    assert_eq!(cast[0].reason, "yes, poke it");
    assert!(Env::own::<IGovernor::ProposalExtended>(&out.logs).is_empty(), "quorum reached early: no extension");
    let out = env.vote(bob, id, 0);
    assert_eq!(Env::own::<IGovernor::VoteCast>(&out.logs)[0].reason, "");
    let out = env.send(CAROL, &IGovernor::castVoteWithReasonAndParamsCall {
        proposalId: id, support: 2, reason: "abstain".into(), params: Bytes::from(vec![0xaa, 0xbb]),
    }).unwrap();
    let with_params = Env::own::<IGovernor::VoteCastWithParams>(&out.logs);
    assert_eq!((with_params[0].voter, with_params[0].support, with_params[0].weight), (CAROL, 2, e18(100)));
    assert_eq!((with_params[0].reason.as_str(), with_params[0].params.to_vec()), ("abstain", vec![0xaa, 0xbb]));
    assert!(Env::own::<IGovernor::VoteCast>(&out.logs).is_empty(), "params: VoteCastWithParams only");
    assert_eq!(env.votes(id), (e18(300), e18(1_000), e18(100)));
    for voter in [alice, bob, CAROL] {
        assert!(env.view(&IGovernor::hasVotedCall { proposalId: id, account: voter }));
    }
    assert!(!env.view(&IGovernor::hasVotedCall { proposalId: id, account: DAVE }));

    // Active through the deadline second, Succeeded after.
    env.warp_to(snapshot + VOTING_PERIOD);
    assert_eq!(env.state(id), ACTIVE);
    env.warp_to(snapshot + VOTING_PERIOD + 1);
    assert_eq!(env.state(id), SUCCEEDED);

    // execute before queue
    match env.fail(DAVE, &p.execute_call()) {
        E::GovernorUnexpectedProposalState(e) => {
            assert_eq!((e.proposalId, e.current, e.expectedStates), (id, SUCCEEDED, state_bitmap(&[QUEUED])))
        }
        other => panic!("{other:?}"),
    }

    // queue: anyone may
    let queued_at = env.now();
    let out = env.send(DAVE, &p.queue_call()).unwrap();
    assert_eq!(out.value, id);
    let queued = Env::own::<IGovernor::ProposalQueued>(&out.logs);
    assert_eq!((queued[0].proposalId, queued[0].etaSeconds), (id, u(queued_at + MIN_DELAY)));
    let scheduled: Vec<IMockTimelock::CallScheduled> = out.logs.iter().filter_map(|l| l.decode()).collect();
    assert_eq!(scheduled.len(), 1);
    assert_eq!((scheduled[0].id, scheduled[0].target, &scheduled[0].data), (p.operation_id(), TARGET, &p.calldatas[0]));
    assert_eq!((scheduled[0].predecessor, scheduled[0].delay), (B256::ZERO, u(MIN_DELAY)));
    let salt: Vec<IMockTimelock::CallSalt> = out.logs.iter().filter_map(|l| l.decode()).collect();
    assert_eq!(salt[0].salt, p.salt(), "salt = bytes20(governor) ^ descriptionHash");
    let order: Vec<bool> = out.logs.iter().map(|l| l.address == GOV).collect();
    assert_eq!(order, vec![false, false, true], "the timelock schedules, then ProposalQueued");
    assert_eq!(env.state(id), QUEUED);
    assert_eq!(env.view(&IGovernor::proposalEtaCall { proposalId: id }), u(queued_at + MIN_DELAY));
    match env.fail(DAVE, &p.queue_call()) {
        E::GovernorUnexpectedProposalState(e) => assert_eq!((e.current, e.expectedStates), (QUEUED, state_bitmap(&[SUCCEEDED]))),
        other => panic!("{other:?}"),
    }

    // execute before the eta: the timelock refuses, its error passes through
    env.warp_to(queued_at + MIN_DELAY - 1);
    let err = env.send(DAVE, &p.execute_call()).unwrap_err();
    let refused = IMockTimelock::TimelockUnexpectedOperationState::abi_decode(&err.0).expect("the timelock's own error");
    assert_eq!(refused.operationId, p.operation_id());
    assert_eq!(env.state(id), QUEUED, "the failed execution changed nothing");

    // execute, with value forwarded to the timelock
    env.warp_to(queued_at + MIN_DELAY);
    env.world.set_balance(DAVE, u(7));
    let input = p.execute_call().abi_encode();
    let logs = env.world.transact_with_value(DAVE, GOV, input, u(7)).unwrap();
    assert_eq!(env.world.balance(TIMELOCK), u(7), "msg.value went to the timelock's executeBatch");
    let called: Vec<ITarget::Called> = logs.iter().filter_map(|l| l.decode()).collect();
    assert_eq!((called[0].sender, called[0].number), (TIMELOCK, u(42)), "the timelock made the call");
    let executed = Env::own::<IGovernor::ProposalExecuted>(&logs);
    assert_eq!(executed[0].proposalId, id);
    assert_eq!(logs.last().map(|l| l.address), Some(GOV), "ProposalExecuted comes last");
    assert_eq!(env.state(id), EXECUTED);
    match env.fail(DAVE, &p.execute_call()) {
        E::GovernorUnexpectedProposalState(e) => assert_eq!((e.current, e.expectedStates), (EXECUTED, state_bitmap(&[QUEUED]))),
        other => panic!("{other:?}"),
    }
    // Terminal: votes, queue and cancel all refused.
    assert!(matches!(env.fail(DAVE, &IGovernor::castVoteCall { proposalId: id, support: 1 }), E::GovernorUnexpectedProposalState(e) if e.current == EXECUTED));
    assert!(matches!(env.fail(bob, &p.cancel_call()), E::GovernorUnableToCancel(e) if e.proposalId == id && e.account == bob));
}

#[test]
fn a_proposal_with_several_calls_runs_them_in_order() {
    let env = Env::new();
    let p = Proposal {
        targets: vec![TARGET, TARGET, TARGET],
        values: vec![U256::ZERO; 3],
        calldatas: (1..=3).map(|n| ITarget::pokeCall { number: u(n) }.abi_encode().into()).collect(),
        description: "three pokes".into(),
    };
    let out = env.pass_and_execute(&p).unwrap();
    let numbers: Vec<U256> = out.logs.iter().filter_map(|l| l.decode::<ITarget::Called>()).map(|c| c.number).collect();
    assert_eq!(numbers, vec![u(1), u(2), u(3)]);
    let created = env.world.logs().iter().filter_map(|l| l.decode::<IGovernor::ProposalCreated>()).next().unwrap();
    assert_eq!(created.signatures, vec![String::new(); 3]);
}

#[test]
fn a_failing_action_reverts_the_execution_which_can_be_retried() {
    let env = Env::new();
    let p = Proposal::call(TARGET, ITarget::failCall {}.abi_encode(), "fail");
    let err = env.pass_and_execute(&p).unwrap_err();
    assert_eq!(err.0, b"Target: failed".to_vec(), "the target's revert data, unchanged");
    assert_eq!(env.state(p.id()), QUEUED, "not executed: it stays queued");
    assert!(env.send(DAVE, &p.execute_call()).is_err());
}

// ---------------------------------------------------------------------------- counting, quorum

#[test]
fn for_equal_to_against_is_defeated_and_quorum_counts_for_and_abstain() {
    // Fresh voters with chosen weights: quorum is 4% of 10,000 = 400.
    let env = Env::new();
    let voters: Vec<Address> = (0..4).map(|i| Address::with_last_byte(0xe0 + i)).collect();
    for (voter, amount) in voters.iter().zip([250u64, 250, 149, 1]) {
        env.fund(*voter, e18(amount));
        env.wrap(*voter, e18(amount));
        env.delegate(*voter, *voter);
    }
    // Pad the total to 10,000 votes with undelegated-but-counted units: 1,400 + 650 + 7,950.
    env.fund(DAVE, e18(7_950));
    env.wrap(DAVE, e18(7_950));
    env.world.warp(1);
    let quorum_at = |id| env.view(&IGovernor::quorumCall { timepoint: u(env.snapshot(id)) });

    // for 250 = against 250: defeated although quorum (400) is reached by for + abstain.
    let tie = env.propose(env.alice(), &Proposal::poke(1, "tie"));
    env.warp_to(env.snapshot(tie) + 1);
    assert_eq!(quorum_at(tie), e18(400));
    env.vote(voters[0], tie, 1);
    env.vote(voters[1], tie, 0);
    env.vote(voters[2], tie, 2);
    env.vote(voters[3], tie, 2);
    env.warp_to(env.deadline(tie) + 1);
    assert_eq!(env.votes(tie), (e18(250), e18(250), e18(150)));
    assert_eq!(env.state(tie), DEFEATED);

    // for 250 + abstain 149 = 399: one token short of quorum.
    let short = env.propose(env.alice(), &Proposal::poke(2, "short"));
    env.warp_to(env.snapshot(short) + 1);
    env.vote(voters[0], short, 1);
    env.vote(voters[2], short, 2);
    env.warp_to(env.deadline(short) + 1);
    assert_eq!(env.state(short), DEFEATED);

    // for 250 + abstain 149 + 1 = exactly 400: quorum.
    let exact = env.propose(env.alice(), &Proposal::poke(3, "exact"));
    env.warp_to(env.snapshot(exact) + 1);
    env.vote(voters[0], exact, 1);
    env.vote(voters[2], exact, 2);
    env.vote(voters[3], exact, 2);
    env.warp_to(env.deadline(exact) + 1);
    assert_eq!(env.state(exact), SUCCEEDED);

    // Against votes do not count toward quorum: for 250 + against 250 + abstain 0 is short
    // of quorum by the for/abstain rule alone (and a tie besides).
    let against = env.propose(env.alice(), &Proposal::poke(4, "against"));
    env.warp_to(env.snapshot(against) + 1);
    env.vote(voters[0], against, 1);
    env.vote(voters[2], against, 0);
    env.warp_to(env.deadline(against) + 1);
    assert_eq!(env.votes(against), (e18(149), e18(250), U256::ZERO));
    assert_eq!(env.state(against), DEFEATED, "for 250 > against 149 but 250 < 400");
}

#[test]
fn vote_kinds_and_double_votes_are_checked() {
    let env = Env::new();
    let id = env.propose(env.alice(), &Proposal::poke(1, "kinds"));
    env.warp_to(env.snapshot(id) + 1);
    assert!(matches!(env.fail(env.bob(), &IGovernor::castVoteCall { proposalId: id, support: 3 }), E::GovernorInvalidVoteType(_)));
    assert!(!env.view(&IGovernor::hasVotedCall { proposalId: id, account: env.bob() }), "the refused vote left no mark");
    env.vote(env.bob(), id, 0);
    for support in [0u8, 1, 2, 3] {
        match env.fail(env.bob(), &IGovernor::castVoteCall { proposalId: id, support }) {
            E::GovernorAlreadyCastVote(e) => assert_eq!(e.voter, env.bob()),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(env.votes(id), (e18(300), U256::ZERO, U256::ZERO));
    // Nobody can vote on a proposal that does not exist.
    match env.fail(env.bob(), &IGovernor::castVoteCall { proposalId: u(7), support: 1 }) {
        E::GovernorNonexistentProposal(e) => assert_eq!(e.proposalId, u(7)),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        env.world.send(DAVE, GOV, &IGovernor::stateCall { proposalId: u(7) }).unwrap_err().decode::<E>(),
        E::GovernorNonexistentProposal(_)
    ));
    // A zero-weight vote counts as a vote (OpenZeppelin does not refuse it).
    let out = env.vote(DAVE, id, 1);
    assert_eq!(out.value, U256::ZERO);
    assert!(env.view(&IGovernor::hasVotedCall { proposalId: id, account: DAVE }));
}

// ---------------------------------------------------------------------------- late quorum

#[test]
fn late_quorum_extends_the_deadline_once() {
    let env = Env::new();
    let id = env.propose(env.alice(), &Proposal::poke(1, "late"));
    let original = env.deadline(id);
    env.warp_to(env.snapshot(id) + 1);
    // Below quorum (56): carol's 100 would reach it, so use an against vote first (not counted).
    env.vote(env.bob(), id, 0);
    assert_eq!(env.deadline(id), original);
    // Ten seconds before the deadline, carol's abstain reaches quorum.
    env.warp_to(original - 10);
    let out = env.send(CAROL, &IGovernor::castVoteCall { proposalId: id, support: 2 }).unwrap();
    let extended = Env::own::<IGovernor::ProposalExtended>(&out.logs);
    assert_eq!(extended.len(), 1);
    assert_eq!((extended[0].proposalId, extended[0].extendedDeadline), (id, original - 10 + LATE_EXTENSION));
    assert_eq!(env.deadline(id), original - 10 + LATE_EXTENSION);
    // Voting stays open past the original deadline; a later vote does not extend again.
    env.warp_to(original + 50);
    assert_eq!(env.state(id), ACTIVE);
    let out = env.vote(env.alice(), id, 1);
    assert!(Env::own::<IGovernor::ProposalExtended>(&out.logs).is_empty());
    assert_eq!(env.deadline(id), original - 10 + LATE_EXTENSION);
    env.warp_to(original - 10 + LATE_EXTENSION);
    assert_eq!(env.state(id), ACTIVE);
    env.warp_to(original - 10 + LATE_EXTENSION + 1);
    assert_eq!(env.state(id), SUCCEEDED);
}

#[test]
fn quorum_reached_early_leaves_the_deadline() {
    let env = Env::new();
    let id = env.propose(env.alice(), &Proposal::poke(1, "early"));
    let original = env.deadline(id);
    env.warp_to(env.snapshot(id) + 1);
    let out = env.vote(env.alice(), id, 1);
    assert!(Env::own::<IGovernor::ProposalExtended>(&out.logs).is_empty(), "now + extension is before the deadline");
    assert_eq!(env.deadline(id), original);
}

// ---------------------------------------------------------------------------- settings

#[test]
fn settings_change_only_through_the_timelock() {
    let env = Env::new();
    let calls: Vec<Vec<u8>> = vec![
        IGovernor::setVotingDelayCall { newVotingDelay: U48::from(5) }.abi_encode(),
        IGovernor::setVotingPeriodCall { newVotingPeriod: 5 }.abi_encode(),
        IGovernor::setProposalThresholdCall { newProposalThreshold: U256::ZERO }.abi_encode(),
        IGovernor::setLateQuorumVoteExtensionCall { newVoteExtension: U48::from(0) }.abi_encode(),
        IGovernor::updateQuorumNumeratorCall { newQuorumNumerator: u(50) }.abi_encode(),
        IGovernor::updateTimelockCall { newTimelock: MALLORY }.abi_encode(),
        IGovernor::relayCall { target: TARGET, value: U256::ZERO, data: ITarget::pokeCall { number: u(1) }.abi_encode().into() }.abi_encode(),
        IGovernor::installProgramsCall { programs: vec![MODULE] }.abi_encode(),
    ];
    for data in &calls {
        for caller in [env.alice(), MALLORY, GOV, GUARDIAN] {
            let err = env.world.transact(caller, GOV, data.clone()).unwrap_err();
            match err.decode::<E>() {
                E::GovernorOnlyExecutor(e) => assert_eq!(e.account, caller),
                other => panic!("{other:?}"),
            }
        }
    }
    assert_eq!(env.view(&IGovernor::votingPeriodCall {}), u(VOTING_PERIOD), "nothing moved");

    // From the timelock, each works and says so.
    let out = env.send(TIMELOCK, &IGovernor::setVotingDelayCall { newVotingDelay: U48::from(7) }).unwrap();
    let e = &Env::own::<IGovernor::VotingDelaySet>(&out.logs)[0];
    assert_eq!((e.oldVotingDelay, e.newVotingDelay), (u(VOTING_DELAY), u(7)));
    let out = env.send(TIMELOCK, &IGovernor::setVotingPeriodCall { newVotingPeriod: 2_000 }).unwrap();
    let e = &Env::own::<IGovernor::VotingPeriodSet>(&out.logs)[0];
    assert_eq!((e.oldVotingPeriod, e.newVotingPeriod), (u(VOTING_PERIOD), u(2_000)));
    assert!(matches!(
        env.fail(TIMELOCK, &IGovernor::setVotingPeriodCall { newVotingPeriod: 0 }),
        E::GovernorInvalidVotingPeriod(e) if e.votingPeriod.is_zero()
    ));
    let out = env.send(TIMELOCK, &IGovernor::setProposalThresholdCall { newProposalThreshold: e18(1) }).unwrap();
    let e = &Env::own::<IGovernor::ProposalThresholdSet>(&out.logs)[0];
    assert_eq!((e.oldProposalThreshold, e.newProposalThreshold), (threshold(), e18(1)));
    let out = env.send(TIMELOCK, &IGovernor::setLateQuorumVoteExtensionCall { newVoteExtension: U48::from(2_000) }).unwrap();
    let e = &Env::own::<IGovernor::LateQuorumVoteExtensionSet>(&out.logs)[0];
    assert_eq!((e.oldVoteExtension, e.newVoteExtension), (LATE_EXTENSION, 2_000));
    match env.fail(TIMELOCK, &IGovernor::setLateQuorumVoteExtensionCall { newVoteExtension: U48::from(2_001) }) {
        E::GovernorPreventLateQuorumVoteExtensionTooLarge(e) => assert_eq!((e.newVoteExtension, e.maxVoteExtension), (u(2_001), u(2_000))),
        other => panic!("{other:?}"),
    }
    let out = env.send(TIMELOCK, &IGovernor::updateQuorumNumeratorCall { newQuorumNumerator: u(100) }).unwrap();
    let e = &Env::own::<IGovernor::QuorumNumeratorUpdated>(&out.logs)[0];
    assert_eq!((e.oldQuorumNumerator, e.newQuorumNumerator), (u(QUORUM_PERCENT), u(100)));
    match env.fail(TIMELOCK, &IGovernor::updateQuorumNumeratorCall { newQuorumNumerator: u(101) }) {
        E::GovernorInvalidQuorumFraction(e) => assert_eq!((e.quorumNumerator, e.quorumDenominator), (u(101), u(100))),
        other => panic!("{other:?}"),
    }
    assert_eq!(env.view(&IGovernor::votingDelayCall {}), u(7));
    assert_eq!(env.view(&IGovernor::votingPeriodCall {}), u(2_000));
    assert_eq!(env.view(&IGovernor::proposalThresholdCall {}), e18(1));
    assert_eq!(env.view(&IGovernor::lateQuorumVoteExtensionCall {}), U48::from(2_000));
    assert_eq!(env.view(&IGovernor::quorumNumerator_0Call {}), u(100));
    let out = env.send(TIMELOCK, &IGovernor::updateTimelockCall { newTimelock: GUARDIAN }).unwrap();
    let e = &Env::own::<IGovernor::TimelockChange>(&out.logs)[0];
    assert_eq!((e.oldTimelock, e.newTimelock), (TIMELOCK, GUARDIAN));
    assert!(matches!(env.fail(TIMELOCK, &IGovernor::setVotingDelayCall { newVotingDelay: U48::from(1) }), E::GovernorOnlyExecutor(_)));
    env.send(GUARDIAN, &IGovernor::setVotingDelayCall { newVotingDelay: U48::from(1) }).unwrap();
}

#[test]
fn a_proposal_changes_the_settings_through_the_timelock() {
    let env = Env::new();
    let p = Proposal {
        targets: vec![GOV, GOV, GOV],
        values: vec![U256::ZERO; 3],
        calldatas: vec![
            IGovernor::setVotingPeriodCall { newVotingPeriod: 3_000 }.abi_encode().into(),
            IGovernor::updateQuorumNumeratorCall { newQuorumNumerator: u(10) }.abi_encode().into(),
            IGovernor::relayCall { target: TARGET, value: U256::ZERO, data: ITarget::pokeCall { number: u(9) }.abi_encode().into() }
                .abi_encode()
                .into(),
        ],
        description: "Longer votes, higher quorum".into(),
    };
    // The timelock calls back into the governor while `execute` runs: accepted from the timelock.
    let out = env.pass_and_execute(&p).unwrap();
    assert_eq!(Env::own::<IGovernor::VotingPeriodSet>(&out.logs)[0].newVotingPeriod, u(3_000));
    assert_eq!(Env::own::<IGovernor::QuorumNumeratorUpdated>(&out.logs)[0].newQuorumNumerator, u(10));
    let relayed: Vec<ITarget::Called> = out.logs.iter().filter_map(|l| l.decode()).collect();
    assert_eq!(relayed[0].sender, GOV, "relay calls from the governor");
    assert_eq!(env.view(&IGovernor::votingPeriodCall {}), u(3_000));
    assert_eq!(env.state(p.id()), EXECUTED);
}

#[test]
fn reentry_from_anyone_but_the_timelock_is_refused() {
    let env = Env::new();
    // A proposal whose action makes a third contract call the governor while `execute` runs.
    let vote = IGovernor::castVoteCall { proposalId: u(1), support: 1 }.abi_encode();
    let p = Proposal::call(TARGET, ITarget::forwardCall { to: GOV, data: vote.into() }.abi_encode(), "re-enter");
    let err = env.pass_and_execute(&p).unwrap_err();
    assert!(err.0.is_empty(), "refused before the governor runs, as Stylus refuses re-entry: {err:?}");
    assert_eq!(env.state(p.id()), QUEUED);
}

#[test]
fn relay_passes_failures_through() {
    let env = Env::new();
    let fail = IGovernor::relayCall { target: TARGET, value: U256::ZERO, data: ITarget::failCall {}.abi_encode().into() };
    let Err(err) = env.send(TIMELOCK, &fail) else { panic!("relayed a failing call") };
    assert_eq!(err.0, b"Target: failed".to_vec());
    let empty = IGovernor::relayCall { target: TARGET, value: U256::ZERO, data: vec![1u8, 2].into() };
    assert!(matches!(env.fail(TIMELOCK, &empty), E::FailedCall(_)), "a revert without data is FailedCall()");
    let out = env.send(TIMELOCK, &IGovernor::relayCall { target: TARGET, value: U256::ZERO, data: ITarget::pokeCall { number: u(3) }.abi_encode().into() }).unwrap();
    assert_eq!(out.logs.iter().filter_map(|l| l.decode::<ITarget::Called>()).next().unwrap().sender, GOV);
}

#[test]
fn deposits_are_refused() {
    let env = Env::new();
    let calls: Vec<Vec<u8>> = vec![
        IGovernor::onERC721ReceivedCall { operator: DAVE, from: DAVE, tokenId: u(1), data: Bytes::new() }.abi_encode(),
        IGovernor::onERC1155ReceivedCall { operator: DAVE, from: DAVE, id: u(1), value: u(2), data: Bytes::new() }.abi_encode(),
        IGovernor::onERC1155BatchReceivedCall { operator: DAVE, from: DAVE, ids: vec![u(1)], values: vec![u(2)], data: Bytes::new() }.abi_encode(),
    ];
    for data in calls {
        assert!(matches!(env.world.transact(DAVE, GOV, data).unwrap_err().decode::<E>(), E::GovernorDisabledDeposit(_)));
    }
    env.world.set_balance(DAVE, u(5));
    assert!(env.world.transact_with_value(DAVE, GOV, Vec::new(), u(5)).is_err(), "no receive: plain transfers revert");
    assert!(env.world.transact_with_value(DAVE, GOV, IGovernor::nameCall {}.abi_encode(), u(5)).is_err(), "views refuse value");
}

// ---------------------------------------------------------------------------- timelock rules

#[test]
fn a_guardian_cancelling_on_the_timelock_makes_the_proposal_canceled() {
    let env = Env::new();
    let p = Proposal::poke(5, "vetoed");
    let id = env.pass(&p);
    env.send(DAVE, &p.queue_call()).unwrap();
    env.world.send(GUARDIAN, TIMELOCK, &IMockTimelock::cancelCall { id: p.operation_id() }).unwrap();
    assert_eq!(env.state(id), CANCELED);
    env.world.warp(MIN_DELAY);
    match env.fail(DAVE, &p.execute_call()) {
        E::GovernorUnexpectedProposalState(e) => assert_eq!((e.current, e.expectedStates), (CANCELED, state_bitmap(&[QUEUED]))),
        other => panic!("{other:?}"),
    }
    // The proposer cannot cancel it either (not Pending), nor propose it again.
    assert!(matches!(env.fail(env.alice(), &p.cancel_call()), E::GovernorUnableToCancel(_)));
    match env.fail(env.alice(), &p.propose_call()) {
        E::GovernorUnexpectedProposalState(e) => assert_eq!((e.proposalId, e.current, e.expectedStates), (id, CANCELED, B256::ZERO)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_operation_executed_directly_on_the_timelock_is_executed() {
    let env = Env::new();
    let p = Proposal::poke(6, "direct");
    let id = env.pass(&p);
    env.send(DAVE, &p.queue_call()).unwrap();
    env.world.warp(MIN_DELAY);
    env.world.send(DAVE, TIMELOCK, &IMockTimelock::executeBatchCall {
        targets: p.targets.clone(), values: p.values.clone(), payloads: p.calldatas.clone(), predecessor: B256::ZERO, salt: p.salt(),
    }).unwrap();
    assert_eq!(env.state(id), EXECUTED);
    assert!(matches!(env.fail(DAVE, &p.execute_call()), E::GovernorUnexpectedProposalState(e) if e.current == EXECUTED));
}

#[test]
fn queue_uses_the_timelocks_current_delay() {
    let env = Env::new();
    let p = Proposal::poke(8, "slow");
    let id = env.pass(&p);
    env.world.send(DEPLOYER, TIMELOCK, &IMockTimelock::setupCall { proposer: GOV, canceller: GUARDIAN, minDelay: u(9_999) }).unwrap();
    let at = env.now();
    env.send(DAVE, &p.queue_call()).unwrap();
    assert_eq!(env.view(&IGovernor::proposalEtaCall { proposalId: id }), u(at + 9_999));
    // A timelock that refuses the governor as proposer: its error passes through.
    let q = Proposal::poke(9, "refused");
    env.pass(&q);
    env.world.send(DEPLOYER, TIMELOCK, &IMockTimelock::setupCall { proposer: MALLORY, canceller: GUARDIAN, minDelay: u(1) }).unwrap();
    let err = env.send(DAVE, &q.queue_call()).unwrap_err();
    let refused = IMockTimelock::AccessControlUnauthorizedAccount::abi_decode(&err.0).expect("the timelock's error");
    assert_eq!(refused.account, GOV);
    assert_eq!(env.state(q.id()), SUCCEEDED, "nothing was recorded");
    assert_eq!(env.view(&IGovernor::proposalEtaCall { proposalId: q.id() }), U256::ZERO);
    // A delay whose eta does not fit a uint48 is refused by name.
    env.world.send(DEPLOYER, TIMELOCK, &IMockTimelock::setupCall { proposer: GOV, canceller: GUARDIAN, minDelay: U256::MAX }).unwrap();
    match env.fail(DAVE, &q.queue_call()) {
        E::SafeCastOverflowedUintDowncast(e) => assert_eq!((e.bits, e.value), (48, U256::MAX)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_timelock_without_code_is_a_named_error() {
    let env = Env::new();
    let p = Proposal::poke(10, "no timelock");
    env.pass(&p);
    env.send(TIMELOCK, &IGovernor::updateTimelockCall { newTimelock: DAVE }).unwrap();
    match env.fail(MALLORY, &p.queue_call()) {
        E::GovernorUnexpectedResponse(e) => assert_eq!((e.target, e.returnData.len()), (DAVE, 0)),
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------- storage layout

#[test]
fn storage_layout_matches_the_committed_file() {
    let committed = include_str!("../storage-layout.txt");
    if governor::STORAGE_LAYOUT != committed {
        panic!(
            "the governor's storage layout changed. It lives behind a proxy, so fields may only be \
             appended; if that is what changed, write this into contracts/governor/storage-layout.txt:\n{}",
            governor::STORAGE_LAYOUT
        );
    }
}

#[test]
fn both_programs_report_the_same_build() {
    let env = Env::new();
    let entry = env.view(&IGovernor::dseqProgramCall {});
    let module = env.world.view(MODULE, &IGovernor::dseqProgramCall {});
    assert_eq!((entry.build, entry.index, entry.programs), (module.build, U256::ZERO, u(2)));
    assert_eq!(module.index, u(1));
}
