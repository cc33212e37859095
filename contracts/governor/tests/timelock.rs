//! The governor with contracts/timelock, OpenZeppelin's TimelockController as a Stylus contract,
//! instead of the stand-in: the lifecycle, a proposal that changes the governor's settings and
//! the timelock's own delay (both re-enter: the governor from the timelock, the timelock from
//! itself), a guardian's veto, and the timelock's refusals passing through.

mod common;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolError};
use common::*;
use dseq_abi::{
    governor::{state::*, IGovernor, IGovernor::IGovernorErrors as E},
    timelock::ITimelock,
};

#[test]
fn a_proposal_runs_through_the_real_timelock() {
    let env = Env::with_real_timelock();
    let p = Proposal::poke(42, "Poke through the TimelockController");
    let id = env.pass(&p);
    assert_eq!(env.state(id), SUCCEEDED);
    let at = env.now();
    let out = env.send(DAVE, &p.queue_call()).unwrap();
    assert_eq!(Env::own::<IGovernor::ProposalQueued>(&out.logs)[0].etaSeconds, u(at + MIN_DELAY));
    let scheduled: Vec<ITimelock::CallScheduled> = out.logs.iter().filter_map(|l| l.decode()).collect();
    assert_eq!(scheduled[0].id, p.operation_id(), "the timelock's id is the governor's");
    assert_eq!(env.world.view(TIMELOCK, &ITimelock::hashOperationBatchCall {
        targets: p.targets.clone(), values: p.values.clone(), payloads: p.calldatas.clone(), predecessor: B256::ZERO, salt: p.salt(),
    }), p.operation_id());
    assert!(env.world.view(TIMELOCK, &ITimelock::isOperationPendingCall { id: p.operation_id() }));
    assert_eq!(env.state(id), QUEUED);

    // Too early: the timelock's own error passes through.
    env.world.warp(MIN_DELAY - 1);
    let Err(err) = env.send(DAVE, &p.execute_call()) else { panic!("executed before the delay") };
    let early = ITimelock::TimelockUnexpectedOperationState::abi_decode(&err.0).expect("the timelock's error");
    assert_eq!(early.operationId, p.operation_id());

    env.world.warp(1);
    let out = env.send(DAVE, &p.execute_call()).unwrap();
    let called: Vec<ITarget::Called> = out.logs.iter().filter_map(|l| l.decode()).collect();
    assert_eq!((called[0].sender, called[0].number), (TIMELOCK, u(42)));
    assert_eq!(Env::own::<IGovernor::ProposalExecuted>(&out.logs)[0].proposalId, id);
    assert!(env.world.view(TIMELOCK, &ITimelock::isOperationDoneCall { id: p.operation_id() }));
    assert_eq!(env.state(id), EXECUTED);
}

#[test]
fn governance_changes_the_governor_and_the_timelock() {
    let env = Env::with_real_timelock();
    let p = Proposal {
        targets: vec![GOV, GOV, TIMELOCK],
        values: vec![U256::ZERO; 3],
        calldatas: vec![
            IGovernor::setVotingPeriodCall { newVotingPeriod: 3_000 }.abi_encode().into(),
            IGovernor::updateQuorumNumeratorCall { newQuorumNumerator: u(10) }.abi_encode().into(),
            ITimelock::updateDelayCall { newDelay: u(2 * MIN_DELAY) }.abi_encode().into(),
        ],
        description: "Longer votes, higher quorum, a slower timelock".into(),
    };
    let out = env.pass_and_execute(&p).unwrap();
    assert_eq!(Env::own::<IGovernor::VotingPeriodSet>(&out.logs)[0].newVotingPeriod, u(3_000));
    assert_eq!(Env::own::<IGovernor::QuorumNumeratorUpdated>(&out.logs)[0].newQuorumNumerator, u(10));
    let delay: Vec<ITimelock::MinDelayChange> = out.logs.iter().filter_map(|l| l.decode()).collect();
    assert_eq!((delay[0].oldDuration, delay[0].newDuration), (u(MIN_DELAY), u(2 * MIN_DELAY)));
    assert_eq!(env.view(&IGovernor::votingPeriodCall {}), u(3_000));
    assert_eq!(env.world.view(TIMELOCK, &ITimelock::getMinDelayCall {}), u(2 * MIN_DELAY));

    // The next proposal is queued with the new delay.
    let q = Proposal::poke(1, "after");
    let id = env.pass(&q);
    let at = env.now();
    env.send(DAVE, &q.queue_call()).unwrap();
    assert_eq!(env.view(&IGovernor::proposalEtaCall { proposalId: id }), u(at + 2 * MIN_DELAY));
}

#[test]
fn only_the_governor_proposes_and_a_guardian_can_veto() {
    let env = Env::with_real_timelock();
    let p = Proposal::poke(7, "vetoed");
    let id = env.pass(&p);
    env.send(DAVE, &p.queue_call()).unwrap();
    // Nobody else can schedule on the timelock.
    let schedule = ITimelock::scheduleBatchCall {
        targets: vec![TARGET], values: vec![U256::ZERO], payloads: p.calldatas.clone(), predecessor: B256::ZERO, salt: B256::ZERO, delay: u(MIN_DELAY),
    };
    assert!(env.world.send(MALLORY, TIMELOCK, &schedule).is_err());
    // The guardian cancels the queued operation: the proposal reads Canceled.
    env.world.send(GUARDIAN, TIMELOCK, &ITimelock::cancelCall { id: p.operation_id() }).unwrap();
    assert_eq!(env.state(id), CANCELED);
    env.world.warp(MIN_DELAY);
    assert!(matches!(env.fail(DAVE, &p.execute_call()), E::GovernorUnexpectedProposalState(e) if e.current == CANCELED));
    assert!(env.world.view(TIMELOCK, &ITimelock::hasRoleCall { role: dseq_abi::timelock::PROPOSER_ROLE, account: GOV }));
    assert!(!env.world.view(TIMELOCK, &ITimelock::hasRoleCall { role: dseq_abi::timelock::PROPOSER_ROLE, account: Address::ZERO }));
}
