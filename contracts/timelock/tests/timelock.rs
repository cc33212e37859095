//! timelock through its real ABI in a [`World`]: setup and roles, the operation lifecycle with
//! its exact boundaries, every refusal with its error fields, batches, predecessors,
//! cancellation, self-administration through scheduled self-calls, failing targets, value, and
//! re-entry.

use alloy_primitives::{address, keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{SolCall, SolEvent, SolValue};
use dseq_abi::timelock::{
    state_bitmap, ITimelock, ITimelock::ITimelockErrors as E, CANCELLER_ROLE, DONE, EXECUTOR_ROLE, PROPOSER_ROLE, READY,
    UNSET, WAITING,
};
use proptest::prelude::*;
use stylus_world::{
    mocks::{IMockToken, MockToken},
    Log, Revert, World,
};
use timelock::Timelock;

const TIMELOCK: Address = address!("00000000000000000000000000000000000c0001");
const TOKEN: Address = address!("00000000000000000000000000000000000c0002");
const DEPLOYER: Address = address!("000000000000000000000000000000000000de91");
const PROPOSER: Address = address!("0000000000000000000000000000000000000a01");
const EXECUTOR: Address = address!("0000000000000000000000000000000000000e01");
const GUARDIAN: Address = address!("0000000000000000000000000000000000000c01");
const BOB: Address = address!("0000000000000000000000000000000000000b0b");
const CAROL: Address = address!("00000000000000000000000000000000000ca201");
const T0: u64 = 1_000_000;
const DELAY: u64 = 3_600;
const ADMIN_ROLE: B256 = B256::ZERO;

fn u(n: u64) -> U256 {
    U256::from(n)
}

/// One call as an operation: its fields and its id as OpenZeppelin computes it.
#[derive(Clone, Debug)]
struct Op {
    target: Address,
    value: U256,
    data: Vec<u8>,
    predecessor: B256,
    salt: B256,
}

impl Op {
    fn new(target: Address, data: Vec<u8>) -> Self {
        Self { target, value: U256::ZERO, data, predecessor: B256::ZERO, salt: B256::ZERO }
    }

    fn salt(self, salt: u8) -> Self {
        Self { salt: B256::repeat_byte(salt), ..self }
    }

    fn after(self, predecessor: B256) -> Self {
        Self { predecessor, ..self }
    }

    fn value(self, value: u64) -> Self {
        Self { value: u(value), ..self }
    }

    fn id(&self) -> B256 {
        keccak256((self.target, self.value, Bytes::from(self.data.clone()), self.predecessor, self.salt).abi_encode_params())
    }

    fn schedule(&self, delay: u64) -> ITimelock::scheduleCall {
        ITimelock::scheduleCall {
            target: self.target,
            value: self.value,
            data: self.data.clone().into(),
            predecessor: self.predecessor,
            salt: self.salt,
            delay: u(delay),
        }
    }

    fn execute(&self) -> ITimelock::executeCall {
        ITimelock::executeCall {
            target: self.target,
            value: self.value,
            payload: self.data.clone().into(),
            predecessor: self.predecessor,
            salt: self.salt,
        }
    }
}

/// Several calls as one operation.
#[derive(Clone, Debug)]
struct Batch {
    targets: Vec<Address>,
    values: Vec<U256>,
    payloads: Vec<Bytes>,
    predecessor: B256,
    salt: B256,
}

impl Batch {
    fn new(calls: &[(Address, u64, Vec<u8>)]) -> Self {
        Self {
            targets: calls.iter().map(|c| c.0).collect(),
            values: calls.iter().map(|c| u(c.1)).collect(),
            payloads: calls.iter().map(|c| Bytes::from(c.2.clone())).collect(),
            predecessor: B256::ZERO,
            salt: B256::ZERO,
        }
    }

    fn id(&self) -> B256 {
        keccak256((self.targets.clone(), self.values.clone(), self.payloads.clone(), self.predecessor, self.salt).abi_encode_params())
    }

    fn schedule(&self, delay: u64) -> ITimelock::scheduleBatchCall {
        ITimelock::scheduleBatchCall {
            targets: self.targets.clone(),
            values: self.values.clone(),
            payloads: self.payloads.clone(),
            predecessor: self.predecessor,
            salt: self.salt,
            delay: u(delay),
        }
    }

    fn execute(&self) -> ITimelock::executeBatchCall {
        ITimelock::executeBatchCall {
            targets: self.targets.clone(),
            values: self.values.clone(),
            payloads: self.payloads.clone(),
            predecessor: self.predecessor,
            salt: self.salt,
        }
    }
}

fn mint(to: Address, value: u64) -> Vec<u8> {
    IMockToken::mintCall { to, value: u(value) }.abi_encode()
}

/// A call the timelock makes to itself.
fn own<C: SolCall>(call: C) -> Op {
    Op::new(TIMELOCK, call.abi_encode())
}

struct Env {
    world: World,
}

impl Env {
    /// A timelock with one proposer, one executor and one guardian (an extra canceller).
    fn new() -> Self {
        Self::with(vec![EXECUTOR])
    }

    fn with(executors: Vec<Address>) -> Self {
        let world = World::new();
        world.set_timestamp(T0);
        world.deploy_self_reentrant(TIMELOCK, Timelock::program_0);
        world.deploy_native(TOKEN, MockToken);
        let env = Self { world };
        env.initialize(executors).unwrap();
        env
    }

    fn initialize(&self, executors: Vec<Address>) -> Result<Vec<Log>, Revert> {
        let call = ITimelock::initializeCall { minDelay: u(DELAY), proposers: vec![PROPOSER], executors, cancellers: vec![GUARDIAN] };
        self.world.send(DEPLOYER, TIMELOCK, &call).map(|o| o.logs)
    }

    fn send<C: SolCall>(&self, from: Address, call: &C) -> Result<Vec<Log>, Revert> {
        self.world.send(from, TIMELOCK, call).map(|o| o.logs)
    }

    fn fail<C: SolCall>(&self, from: Address, call: &C) -> E {
        self.world.fail(from, TIMELOCK, call)
    }

    fn view<C: SolCall>(&self, call: &C) -> C::Return {
        self.world.view(TIMELOCK, call)
    }

    fn state(&self, id: B256) -> u8 {
        self.view(&ITimelock::getOperationStateCall { id })
    }

    fn timestamp(&self, id: B256) -> U256 {
        self.view(&ITimelock::getTimestampCall { id })
    }

    fn has_role(&self, role: B256, account: Address) -> bool {
        self.view(&ITimelock::hasRoleCall { role, account })
    }

    fn tokens(&self, account: Address) -> U256 {
        self.world.view(TOKEN, &IMockToken::balanceOfCall { account })
    }

    /// Schedules `op` with the minimum delay, waits it out and executes it.
    fn run(&self, op: &Op) -> Result<Vec<Log>, Revert> {
        self.send(PROPOSER, &op.schedule(self.min_delay())).unwrap();
        self.world.warp(self.min_delay());
        self.send(EXECUTOR, &op.execute())
    }

    fn min_delay(&self) -> u64 {
        self.view(&ITimelock::getMinDelayCall {}).to::<u64>()
    }
}

/// The events of type `T` that the timelock itself emitted.
fn own_events<T: SolEvent>(logs: &[Log]) -> Vec<T> {
    logs.iter().filter(|log| log.address == TIMELOCK).filter_map(|log| log.decode::<T>()).collect()
}

/// Asserts `err` is `TimelockUnexpectedOperationState(id, bitmap of states)`.
fn assert_unexpected(err: E, id: B256, states: &[u8]) {
    match err {
        E::TimelockUnexpectedOperationState(e) => {
            assert_eq!((e.operationId, e.expectedStates), (id, state_bitmap(states)));
        }
        other => panic!("expected TimelockUnexpectedOperationState, got {other:?}"),
    }
}

fn assert_unauthorized(err: E, account: Address, role: B256) {
    match err {
        E::AccessControlUnauthorizedAccount(e) => assert_eq!((e.account, e.neededRole), (account, role)),
        other => panic!("expected AccessControlUnauthorizedAccount, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------- setup and roles

#[test]
fn initialize_grants_the_roles_and_keeps_the_deployer_out() {
    let world = World::new();
    world.set_timestamp(T0);
    world.deploy_self_reentrant(TIMELOCK, Timelock::program_0);
    let env = Env { world };
    let logs = env.initialize(vec![EXECUTOR]).unwrap();

    let granted: Vec<(B256, Address, Address)> =
        own_events::<ITimelock::RoleGranted>(&logs).iter().map(|e| (e.role, e.account, e.sender)).collect();
    assert_eq!(
        granted,
        vec![
            (ADMIN_ROLE, TIMELOCK, DEPLOYER),
            (PROPOSER_ROLE, PROPOSER, DEPLOYER),
            (CANCELLER_ROLE, PROPOSER, DEPLOYER),
            (EXECUTOR_ROLE, EXECUTOR, DEPLOYER),
            (CANCELLER_ROLE, GUARDIAN, DEPLOYER),
        ],
        "OpenZeppelin's order: self administration, proposers (also cancellers), executors; then the guardians"
    );
    let delay = &own_events::<ITimelock::MinDelayChange>(&logs)[0];
    assert_eq!((delay.oldDuration, delay.newDuration), (U256::ZERO, u(DELAY)));
    assert_eq!(own_events::<ITimelock::Initialized>(&logs)[0].version, 1);
    assert_eq!(env.view(&ITimelock::getMinDelayCall {}), u(DELAY));

    let roles = [ADMIN_ROLE, PROPOSER_ROLE, EXECUTOR_ROLE, CANCELLER_ROLE];
    let inventory = |account: Address| roles.map(|role| env.has_role(role, account));
    assert_eq!(inventory(TIMELOCK), [true, false, false, false], "the timelock is its only admin");
    assert_eq!(inventory(DEPLOYER), [false; 4], "the initializer holds nothing");
    assert_eq!(inventory(PROPOSER), [false, true, false, true]);
    assert_eq!(inventory(EXECUTOR), [false, false, true, false]);
    assert_eq!(inventory(GUARDIAN), [false, false, false, true], "a guardian can only cancel");
    assert_eq!(inventory(Address::ZERO), [false; 4], "executing is restricted");

    assert_eq!(env.view(&ITimelock::PROPOSER_ROLECall {}), PROPOSER_ROLE);
    assert_eq!(env.view(&ITimelock::EXECUTOR_ROLECall {}), EXECUTOR_ROLE);
    assert_eq!(env.view(&ITimelock::CANCELLER_ROLECall {}), CANCELLER_ROLE);
    assert_eq!(env.view(&ITimelock::DEFAULT_ADMIN_ROLECall {}), ADMIN_ROLE);
    for role in roles {
        assert_eq!(env.view(&ITimelock::getRoleAdminCall { role }), ADMIN_ROLE);
    }
    let (build, index, programs) = {
        let info = env.view(&ITimelock::dseqProgramCall {});
        (info.build, info.index, info.programs)
    };
    assert_ne!(build, B256::ZERO);
    assert_eq!((index, programs), (U256::ZERO, u(1)));
}

#[test]
fn initialize_runs_once_and_the_implementation_refuses_it() {
    let env = Env::new();
    match env.initialize(vec![CAROL]).unwrap_err().decode::<E>() {
        E::InvalidInitialization(_) => {}
        other => panic!("{other:?}"),
    }
    assert!(!env.has_role(EXECUTOR_ROLE, CAROL), "nothing was granted");

    let world = World::new();
    world.deploy_self_reentrant(TIMELOCK, Timelock::program_0);
    world.transact(CAROL, TIMELOCK, keccak256(b"stylus_constructor()")[..4].to_vec()).unwrap();
    let bare = Env { world };
    match bare.initialize(vec![CAROL]).unwrap_err().decode::<E>() {
        E::InvalidInitialization(_) => {}
        other => panic!("{other:?}"),
    }
    assert!(!bare.has_role(ADMIN_ROLE, TIMELOCK));
}

#[test]
fn roles_change_only_through_operations() {
    let env = Env::new();
    for sender in [DEPLOYER, PROPOSER, EXECUTOR] {
        assert_unauthorized(env.fail(sender, &ITimelock::grantRoleCall { role: PROPOSER_ROLE, account: CAROL }), sender, ADMIN_ROLE);
        assert_unauthorized(env.fail(sender, &ITimelock::revokeRoleCall { role: PROPOSER_ROLE, account: PROPOSER }), sender, ADMIN_ROLE);
    }

    let grant = own(ITimelock::grantRoleCall { role: PROPOSER_ROLE, account: CAROL });
    let logs = env.run(&grant).unwrap();
    let granted = &own_events::<ITimelock::RoleGranted>(&logs)[0];
    assert_eq!((granted.role, granted.account, granted.sender), (PROPOSER_ROLE, CAROL, TIMELOCK));
    assert!(env.has_role(PROPOSER_ROLE, CAROL));
    env.send(CAROL, &Op::new(TOKEN, mint(BOB, 1)).schedule(DELAY)).unwrap();

    let revoke = own(ITimelock::revokeRoleCall { role: PROPOSER_ROLE, account: CAROL });
    let logs = env.run(&revoke).unwrap();
    let revoked = &own_events::<ITimelock::RoleRevoked>(&logs)[0];
    assert_eq!((revoked.role, revoked.account, revoked.sender), (PROPOSER_ROLE, CAROL, TIMELOCK));
    assert_unauthorized(env.fail(CAROL, &Op::new(TOKEN, mint(BOB, 2)).schedule(DELAY)), CAROL, PROPOSER_ROLE);

    // The default admin role stays with the timelock, even through an operation.
    let admin = own(ITimelock::grantRoleCall { role: ADMIN_ROLE, account: CAROL });
    assert!(matches!(env.run(&admin).unwrap_err().decode::<E>(), E::AccessControlEnforcedDefaultAdminRules(_)));
    assert_eq!(env.state(admin.id()), READY, "the failed operation can be retried (and fail again)");
    assert!(!env.has_role(ADMIN_ROLE, CAROL));

    // A holder renounces its own role, and only its own.
    assert!(matches!(
        env.fail(GUARDIAN, &ITimelock::renounceRoleCall { role: CANCELLER_ROLE, callerConfirmation: PROPOSER }),
        E::AccessControlBadConfirmation(_)
    ));
    let logs = env.send(GUARDIAN, &ITimelock::renounceRoleCall { role: CANCELLER_ROLE, callerConfirmation: GUARDIAN }).unwrap();
    let revoked = &own_events::<ITimelock::RoleRevoked>(&logs)[0];
    assert_eq!((revoked.role, revoked.account, revoked.sender), (CANCELLER_ROLE, GUARDIAN, GUARDIAN));
    assert!(!env.has_role(CANCELLER_ROLE, GUARDIAN));
}

// ---------------------------------------------------------------------------- hashing

#[test]
fn ids_are_openzeppelin_s() {
    let env = Env::new();
    let op = Op::new(TOKEN, vec![0xab; 37]).value(5).after(B256::repeat_byte(1)).salt(2);
    let id = env.view(&ITimelock::hashOperationCall {
        target: op.target,
        value: op.value,
        data: op.data.clone().into(),
        predecessor: op.predecessor,
        salt: op.salt,
    });
    assert_eq!(id, op.id());
    let batch = Batch::new(&[(TOKEN, 1, vec![1; 3]), (BOB, 0, vec![]), (CAROL, 7, vec![2; 64])]);
    let id = env.view(&ITimelock::hashOperationBatchCall {
        targets: batch.targets.clone(),
        values: batch.values.clone(),
        payloads: batch.payloads.clone(),
        predecessor: batch.predecessor,
        salt: batch.salt,
    });
    assert_eq!(id, batch.id());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    #[test]
    fn batch_ids_match_abi_encode(
        calls in proptest::collection::vec((any::<[u8; 20]>(), any::<[u8; 32]>(), proptest::collection::vec(any::<u8>(), 0..80)), 0..5),
        predecessor: [u8; 32],
        salt: [u8; 32],
    ) {
        let env = Env::new();
        let batch = Batch {
            targets: calls.iter().map(|c| Address::from(c.0)).collect(),
            values: calls.iter().map(|c| U256::from_be_bytes(c.1)).collect(),
            payloads: calls.iter().map(|c| Bytes::from(c.2.clone())).collect(),
            predecessor: B256::from(predecessor),
            salt: B256::from(salt),
        };
        let id = env.view(&ITimelock::hashOperationBatchCall {
            targets: batch.targets.clone(),
            values: batch.values.clone(),
            payloads: batch.payloads.clone(),
            predecessor: batch.predecessor,
            salt: batch.salt,
        });
        prop_assert_eq!(id, batch.id());
        prop_assert_eq!(timelock::operations::hash_operation_batch(
            &batch.targets,
            &batch.values,
            &batch.payloads.iter().map(|p| p.to_vec()).collect::<Vec<_>>(),
            batch.predecessor,
            batch.salt,
        ), batch.id());
    }
}

// ---------------------------------------------------------------------------- lifecycle

#[test]
fn an_operation_waits_becomes_ready_at_its_timestamp_and_runs_once() {
    let env = Env::new();
    let op = Op::new(TOKEN, mint(BOB, 40)).salt(7);
    let id = op.id();
    assert_eq!(env.state(id), UNSET);

    let logs = env.send(PROPOSER, &op.schedule(DELAY)).unwrap();
    let scheduled = own_events::<ITimelock::CallScheduled>(&logs);
    assert_eq!(scheduled.len(), 1);
    let s = &scheduled[0];
    assert_eq!((s.id, s.index, s.target, s.value), (id, U256::ZERO, TOKEN, U256::ZERO));
    assert_eq!((s.data.to_vec(), s.predecessor, s.delay), (op.data.clone(), B256::ZERO, u(DELAY)));
    let salt = own_events::<ITimelock::CallSalt>(&logs);
    assert_eq!((salt[0].id, salt[0].salt), (id, B256::repeat_byte(7)));

    let ready_at = T0 + DELAY;
    assert_eq!(env.timestamp(id), u(ready_at));
    assert_eq!(env.state(id), WAITING);
    assert!(env.view(&ITimelock::isOperationCall { id }));
    assert!(env.view(&ITimelock::isOperationPendingCall { id }));
    assert!(!env.view(&ITimelock::isOperationReadyCall { id }));

    env.world.set_timestamp(ready_at - 1);
    assert_eq!(env.state(id), WAITING, "one second before its timestamp");
    assert_unexpected(env.fail(EXECUTOR, &op.execute()), id, &[READY]);

    env.world.set_timestamp(ready_at);
    assert_eq!(env.state(id), READY, "exactly at its timestamp");
    assert!(env.view(&ITimelock::isOperationReadyCall { id }));
    assert!(env.view(&ITimelock::isOperationPendingCall { id }));
    let logs = env.send(EXECUTOR, &op.execute()).unwrap();
    let executed = own_events::<ITimelock::CallExecuted>(&logs);
    assert_eq!(executed.len(), 1);
    let e = &executed[0];
    assert_eq!((e.id, e.index, e.target, e.value, e.data.to_vec()), (id, U256::ZERO, TOKEN, U256::ZERO, op.data.clone()));
    assert_eq!(env.tokens(BOB), u(40), "the call ran");

    assert_eq!(env.state(id), DONE);
    assert_eq!(env.timestamp(id), u(1));
    assert!(env.view(&ITimelock::isOperationDoneCall { id }));
    assert!(!env.view(&ITimelock::isOperationPendingCall { id }));
    assert!(env.view(&ITimelock::isOperationCall { id }));
    assert_unexpected(env.fail(EXECUTOR, &op.execute()), id, &[READY]);
    assert_unexpected(env.fail(PROPOSER, &op.schedule(DELAY)), id, &[UNSET]);
    assert_unexpected(env.fail(PROPOSER, &ITimelock::cancelCall { id }), id, &[WAITING, READY]);
    assert_eq!(env.tokens(BOB), u(40), "it ran once");
}

#[test]
fn no_salt_means_no_call_salt_event() {
    let env = Env::new();
    let logs = env.send(PROPOSER, &Op::new(TOKEN, mint(BOB, 1)).schedule(DELAY)).unwrap();
    assert_eq!(own_events::<ITimelock::CallScheduled>(&logs).len(), 1);
    assert!(own_events::<ITimelock::CallSalt>(&logs).is_empty());
}

#[test]
fn changed_calldata_is_another_operation() {
    let env = Env::new();
    let op = Op::new(TOKEN, mint(BOB, 40));
    env.send(PROPOSER, &op.schedule(DELAY)).unwrap();
    env.world.warp(DELAY);
    for forged in [Op::new(TOKEN, mint(CAROL, 40)), Op::new(TOKEN, mint(BOB, 41)), op.clone().value(1), op.clone().salt(1)] {
        let id = forged.id();
        assert_ne!(id, op.id());
        assert_eq!(env.state(id), UNSET);
        assert_unexpected(env.fail(EXECUTOR, &forged.execute()), id, &[READY]);
    }
    env.send(EXECUTOR, &op.execute()).unwrap();
    assert_eq!((env.tokens(BOB), env.tokens(CAROL)), (u(40), U256::ZERO));
}

#[test]
fn a_predecessor_must_be_done_first() {
    let env = Env::new();
    let first = Op::new(TOKEN, mint(BOB, 1));
    let second = Op::new(TOKEN, mint(CAROL, 2)).after(first.id());
    env.send(PROPOSER, &first.schedule(DELAY)).unwrap();
    let logs = env.send(PROPOSER, &second.schedule(DELAY)).unwrap();
    assert_eq!(own_events::<ITimelock::CallScheduled>(&logs)[0].predecessor, first.id());
    env.world.warp(DELAY);
    assert_eq!((env.state(first.id()), env.state(second.id())), (READY, READY));
    match env.fail(EXECUTOR, &second.execute()) {
        E::TimelockUnexecutedPredecessor(e) => assert_eq!(e.predecessorId, first.id()),
        other => panic!("{other:?}"),
    }
    env.send(EXECUTOR, &first.execute()).unwrap();
    env.send(EXECUTOR, &second.execute()).unwrap();
    assert_eq!(env.state(second.id()), DONE);

    // A predecessor that was cancelled (or never scheduled) blocks for good.
    let unknown = B256::repeat_byte(0x55);
    let orphan = Op::new(TOKEN, mint(CAROL, 3)).after(unknown);
    env.send(PROPOSER, &orphan.schedule(DELAY)).unwrap();
    env.world.warp(DELAY);
    assert!(matches!(env.fail(EXECUTOR, &orphan.execute()), E::TimelockUnexecutedPredecessor(e) if e.predecessorId == unknown));
}

// ---------------------------------------------------------------------------- refusals

#[test]
fn only_proposers_schedule_with_at_least_the_minimum_delay() {
    let env = Env::new();
    let op = Op::new(TOKEN, mint(BOB, 1));
    for sender in [DEPLOYER, EXECUTOR, GUARDIAN, TIMELOCK] {
        assert_unauthorized(env.fail(sender, &op.schedule(DELAY)), sender, PROPOSER_ROLE);
    }
    match env.fail(PROPOSER, &op.schedule(DELAY - 1)) {
        E::TimelockInsufficientDelay(e) => assert_eq!((e.delay, e.minDelay), (u(DELAY - 1), u(DELAY))),
        other => panic!("{other:?}"),
    }
    assert_eq!(env.state(op.id()), UNSET);
    env.send(PROPOSER, &op.schedule(DELAY * 10)).unwrap();
    assert_eq!(env.timestamp(op.id()), u(T0 + DELAY * 10), "a longer delay is fine");
    assert_unexpected(env.fail(PROPOSER, &op.schedule(DELAY)), op.id(), &[UNSET]);
    assert_eq!(env.timestamp(op.id()), u(T0 + DELAY * 10), "the refused re-schedule changed nothing");
}

#[test]
fn a_ready_time_past_uint256_is_a_named_error() {
    let env = Env::new();
    let op = Op::new(TOKEN, mint(BOB, 1));
    for delay in [U256::MAX, U256::MAX - u(T0) + u(1)] {
        let call = ITimelock::scheduleCall { delay, ..op.schedule(0) };
        match env.fail(PROPOSER, &call) {
            E::TimelockDelayOverflow(e) => assert_eq!(e.delay, delay),
            other => panic!("{other:?}"),
        }
    }
    let call = ITimelock::scheduleCall { delay: U256::MAX - u(T0), ..op.schedule(0) };
    env.send(PROPOSER, &call).unwrap();
    assert_eq!(env.timestamp(op.id()), U256::MAX, "the largest ready time fits");
    assert_eq!(env.state(op.id()), WAITING);
}

#[test]
fn cancel_takes_a_canceller_and_a_pending_operation() {
    let env = Env::new();
    let op = Op::new(TOKEN, mint(BOB, 1));
    assert_unexpected(env.fail(GUARDIAN, &ITimelock::cancelCall { id: op.id() }), op.id(), &[WAITING, READY]);
    env.send(PROPOSER, &op.schedule(DELAY)).unwrap();
    for sender in [DEPLOYER, EXECUTOR, TIMELOCK, BOB] {
        assert_unauthorized(env.fail(sender, &ITimelock::cancelCall { id: op.id() }), sender, CANCELLER_ROLE);
    }
    let logs = env.send(PROPOSER, &ITimelock::cancelCall { id: op.id() }).unwrap();
    assert_eq!(own_events::<ITimelock::Cancelled>(&logs)[0].id, op.id());
    assert_eq!((env.state(op.id()), env.timestamp(op.id())), (UNSET, U256::ZERO));
    assert!(!env.view(&ITimelock::isOperationCall { id: op.id() }));
    assert_unexpected(env.fail(PROPOSER, &ITimelock::cancelCall { id: op.id() }), op.id(), &[WAITING, READY]);
    env.world.warp(DELAY);
    assert_unexpected(env.fail(EXECUTOR, &op.execute()), op.id(), &[READY]);

    // Cancelled, the id can be scheduled again; the guardian cancels it once ready.
    env.send(PROPOSER, &op.schedule(DELAY)).unwrap();
    env.world.warp(DELAY);
    assert_eq!(env.state(op.id()), READY);
    env.send(GUARDIAN, &ITimelock::cancelCall { id: op.id() }).unwrap();
    assert_eq!(env.state(op.id()), UNSET);
    assert_eq!(env.tokens(BOB), U256::ZERO, "it never ran");
}

#[test]
fn a_guardian_can_cancel_but_not_propose_or_execute() {
    let env = Env::new();
    let op = Op::new(TOKEN, mint(BOB, 1));
    assert_unauthorized(env.fail(GUARDIAN, &op.schedule(DELAY)), GUARDIAN, PROPOSER_ROLE);
    env.send(PROPOSER, &op.schedule(DELAY)).unwrap();
    env.world.warp(DELAY);
    assert_unauthorized(env.fail(GUARDIAN, &op.execute()), GUARDIAN, EXECUTOR_ROLE);
    assert_unauthorized(env.fail(PROPOSER, &op.execute()), PROPOSER, EXECUTOR_ROLE);
    env.send(GUARDIAN, &ITimelock::cancelCall { id: op.id() }).unwrap();
}

#[test]
fn the_open_executor_role_lets_anyone_execute() {
    let env = Env::with(vec![Address::ZERO]);
    assert!(env.has_role(EXECUTOR_ROLE, Address::ZERO));
    let op = Op::new(TOKEN, mint(BOB, 3));
    env.send(PROPOSER, &op.schedule(DELAY)).unwrap();
    env.world.warp(DELAY);
    env.send(CAROL, &op.execute()).unwrap();
    assert_eq!(env.state(op.id()), DONE);
    // Still only when ready, and scheduling stays restricted.
    assert_unexpected(env.fail(CAROL, &op.execute()), op.id(), &[READY]);
    assert_unauthorized(env.fail(CAROL, &Op::new(TOKEN, vec![]).schedule(DELAY)), CAROL, PROPOSER_ROLE);

    let restricted = Env::new();
    restricted.send(PROPOSER, &op.schedule(DELAY)).unwrap();
    restricted.world.warp(DELAY);
    assert_unauthorized(restricted.fail(CAROL, &op.execute()), CAROL, EXECUTOR_ROLE);
    restricted.send(EXECUTOR, &op.execute()).unwrap();
}

// ---------------------------------------------------------------------------- batches

#[test]
fn a_batch_runs_its_calls_in_order_as_one_operation() {
    let env = Env::new();
    let mut batch = Batch::new(&[(TOKEN, 0, mint(TIMELOCK, 10)), (TOKEN, 0, IMockToken::transferCall { to: BOB, value: u(4) }.abi_encode()), (CAROL, 0, vec![])]);
    batch.salt = B256::repeat_byte(3);
    let id = batch.id();
    let logs = env.send(PROPOSER, &batch.schedule(DELAY)).unwrap();
    let scheduled = own_events::<ITimelock::CallScheduled>(&logs);
    assert_eq!(scheduled.len(), 3);
    for (i, s) in scheduled.iter().enumerate() {
        assert_eq!((s.id, s.index, s.target, s.value), (id, u(i as u64), batch.targets[i], batch.values[i]));
        assert_eq!((&s.data, s.predecessor, s.delay), (&batch.payloads[i], B256::ZERO, u(DELAY)));
    }
    assert_eq!(own_events::<ITimelock::CallSalt>(&logs)[0].salt, B256::repeat_byte(3));
    assert_eq!(env.state(id), WAITING);

    env.world.warp(DELAY - 1);
    assert_unexpected(env.fail(EXECUTOR, &batch.execute()), id, &[READY]);
    env.world.warp(1);
    let logs = env.send(EXECUTOR, &batch.execute()).unwrap();
    let executed = own_events::<ITimelock::CallExecuted>(&logs);
    assert_eq!(executed.len(), 3);
    for (i, e) in executed.iter().enumerate() {
        assert_eq!((e.id, e.index, e.target, &e.data), (id, u(i as u64), batch.targets[i], &batch.payloads[i]));
    }
    assert_eq!((env.tokens(TIMELOCK), env.tokens(BOB)), (u(6), u(4)), "minted before it was spent");
    assert_eq!(env.state(id), DONE);
}

#[test]
fn batch_lengths_must_agree() {
    let env = Env::new();
    let batch = Batch::new(&[(TOKEN, 0, mint(BOB, 1)), (TOKEN, 0, mint(BOB, 2))]);
    let cases = [
        Batch { values: vec![U256::ZERO], ..batch.clone() },
        Batch { payloads: vec![batch.payloads[0].clone()], ..batch.clone() },
        Batch { targets: vec![TOKEN], ..batch.clone() },
        Batch { targets: vec![], ..batch.clone() },
    ];
    for bad in cases {
        let expected = (u(bad.targets.len() as u64), u(bad.payloads.len() as u64), u(bad.values.len() as u64));
        for err in [env.fail(PROPOSER, &bad.schedule(DELAY)), env.fail(EXECUTOR, &bad.execute())] {
            match err {
                E::TimelockInvalidOperationLength(e) => assert_eq!((e.targets, e.payloads, e.values), expected),
                other => panic!("{other:?}"),
            }
        }
    }
    // The role is checked first, as OpenZeppelin's modifier does.
    let bad = Batch { values: vec![], ..batch };
    assert_unauthorized(env.fail(GUARDIAN, &bad.schedule(DELAY)), GUARDIAN, PROPOSER_ROLE);
    assert_unauthorized(env.fail(GUARDIAN, &bad.execute()), GUARDIAN, EXECUTOR_ROLE);
}

#[test]
fn malformed_calldata_reverts_without_data() {
    let env = Env::new();
    let batch = Batch::new(&[(TOKEN, 0, mint(BOB, 1))]);
    let mut input = batch.schedule(DELAY).abi_encode();
    // The length of the payloads' only element (68 bytes of calldata, padded to 96): huge.
    let at = input.len() - 96 - 32;
    assert_eq!(input[at..at + 32], U256::from(68).to_be_bytes::<32>());
    input[at..at + 32].copy_from_slice(&[0xff; 32]);
    assert_eq!(env.world.transact(PROPOSER, TIMELOCK, input).unwrap_err(), Revert(vec![]));
    let input = Op::new(TOKEN, vec![]).schedule(DELAY).abi_encode();
    assert_eq!(env.world.transact(PROPOSER, TIMELOCK, input[..input.len() - 32].to_vec()).unwrap_err(), Revert(vec![]));
    assert_eq!(env.world.transact(PROPOSER, TIMELOCK, vec![1, 2, 3]).unwrap_err(), Revert(vec![]), "a partial selector");
}

// ---------------------------------------------------------------------------- self-administration

#[test]
fn update_delay_works_only_through_a_scheduled_self_call() {
    let env = Env::new();
    for sender in [DEPLOYER, PROPOSER, EXECUTOR, GUARDIAN] {
        match env.fail(sender, &ITimelock::updateDelayCall { newDelay: u(1) }) {
            E::TimelockUnauthorizedCaller(e) => assert_eq!(e.caller, sender),
            other => panic!("{other:?}"),
        }
    }
    let update = own(ITimelock::updateDelayCall { newDelay: u(2 * DELAY) });
    let logs = env.run(&update).unwrap();
    let change = &own_events::<ITimelock::MinDelayChange>(&logs)[0];
    assert_eq!((change.oldDuration, change.newDuration), (u(DELAY), u(2 * DELAY)));
    assert_eq!(own_events::<ITimelock::CallExecuted>(&logs)[0].target, TIMELOCK);
    assert_eq!(env.view(&ITimelock::getMinDelayCall {}), u(2 * DELAY));
    assert_eq!(env.state(update.id()), DONE);
    match env.fail(PROPOSER, &Op::new(TOKEN, mint(BOB, 1)).schedule(DELAY)) {
        E::TimelockInsufficientDelay(e) => assert_eq!((e.delay, e.minDelay), (u(DELAY), u(2 * DELAY))),
        other => panic!("{other:?}"),
    }
    // Down to zero, then operations are ready at once.
    env.run(&own(ITimelock::updateDelayCall { newDelay: U256::ZERO })).unwrap();
    let op = Op::new(TOKEN, mint(BOB, 1));
    env.send(PROPOSER, &op.schedule(0)).unwrap();
    assert_eq!(env.state(op.id()), READY);
}

#[test]
fn an_operation_can_execute_another_through_the_timelock() {
    // With the open executor role the timelock itself may execute: a nested, re-entrant execute.
    let env = Env::with(vec![Address::ZERO]);
    let inner = Op::new(TOKEN, mint(BOB, 5));
    env.send(PROPOSER, &inner.schedule(DELAY)).unwrap();
    let outer = own(inner.execute());
    env.send(PROPOSER, &outer.schedule(DELAY)).unwrap();
    env.world.warp(DELAY);
    let logs = env.send(CAROL, &outer.execute()).unwrap();
    let executed: Vec<B256> = own_events::<ITimelock::CallExecuted>(&logs).iter().map(|e| e.id).collect();
    assert_eq!(executed, vec![inner.id(), outer.id()]);
    assert_eq!((env.state(inner.id()), env.state(outer.id())), (DONE, DONE));
    assert_eq!(env.tokens(BOB), u(5));

    // Executing it twice in one batch: the inner refusal bubbles up and nothing happens.
    let again = Op::new(TOKEN, mint(BOB, 6));
    env.send(PROPOSER, &again.schedule(DELAY)).unwrap();
    let twice = Batch::new(&[(TIMELOCK, 0, again.execute().abi_encode()), (TIMELOCK, 0, again.execute().abi_encode())]);
    env.send(PROPOSER, &twice.schedule(DELAY)).unwrap();
    env.world.warp(DELAY);
    assert_unexpected(env.fail(CAROL, &twice.execute()), again.id(), &[READY]);
    assert_eq!((env.state(again.id()), env.state(twice.id())), (READY, READY));
    assert_eq!(env.tokens(BOB), u(5));
}

// ---------------------------------------------------------------------------- failing targets

#[test]
fn a_reverting_target_bubbles_its_data_and_the_operation_stays_ready() {
    let env = Env::new();
    let transfer = Op::new(TOKEN, IMockToken::transferCall { to: BOB, value: u(10) }.abi_encode());

    // A custom error, unchanged.
    let err = env.run(&transfer).unwrap_err();
    let e = <IMockToken::ERC20InsufficientBalance as alloy_sol_types::SolError>::abi_decode(&err.0).unwrap();
    assert_eq!((e.sender, e.balance, e.needed), (TIMELOCK, U256::ZERO, u(10)));
    assert_eq!(env.state(transfer.id()), READY);

    // Arbitrary revert data, byte for byte.
    env.world.send(BOB, TOKEN, &IMockToken::setModeCall { mode: 3 }).unwrap();
    assert_eq!(env.send(EXECUTOR, &transfer.execute()).unwrap_err(), Revert(b"MockToken: forced revert".to_vec()));
    assert_eq!(env.state(transfer.id()), READY);

    // No revert data at all: FailedCall().
    let unknown = Op::new(TOKEN, vec![0xde, 0xad, 0xbe, 0xef]);
    assert!(matches!(env.run(&unknown).unwrap_err().decode::<E>(), E::FailedCall(_)));
    assert_eq!(env.state(unknown.id()), READY);

    // Fixed, the same operation runs.
    env.world.send(BOB, TOKEN, &IMockToken::setModeCall { mode: 0 }).unwrap();
    env.world.send(BOB, TOKEN, &IMockToken::mintCall { to: TIMELOCK, value: u(10) }).unwrap();
    env.send(EXECUTOR, &transfer.execute()).unwrap();
    assert_eq!((env.state(transfer.id()), env.tokens(BOB)), (DONE, u(10)));

    // In a batch, a failing call undoes the calls before it.
    let batch = Batch::new(&[(TOKEN, 0, mint(CAROL, 1)), (TOKEN, 0, vec![0xde, 0xad, 0xbe, 0xef])]);
    env.send(PROPOSER, &batch.schedule(DELAY)).unwrap();
    env.world.warp(DELAY);
    assert!(matches!(env.fail(EXECUTOR, &batch.execute()), E::FailedCall(_)));
    assert_eq!((env.state(batch.id()), env.tokens(CAROL)), (READY, U256::ZERO));
}

#[test]
fn re_entry_from_another_contract_is_refused() {
    // The token calls back into the timelock during a transfer it makes: a view, and an
    // execute that the open executor role would otherwise allow.
    let other = Op::new(TOKEN, mint(BOB, 1));
    for hook in [ITimelock::getMinDelayCall {}.abi_encode(), other.execute().abi_encode()] {
        let env = Env::with(vec![Address::ZERO]);
        env.world.send(BOB, TOKEN, &IMockToken::mintCall { to: TIMELOCK, value: u(10) }).unwrap();
        env.send(PROPOSER, &other.schedule(DELAY)).unwrap();
        let transfer = Op::new(TOKEN, IMockToken::transferCall { to: CAROL, value: u(10) }.abi_encode());
        env.send(PROPOSER, &transfer.schedule(DELAY)).unwrap();
        env.world.warp(DELAY);
        env.world.send(BOB, TOKEN, &IMockToken::setHookCall { target: TIMELOCK, data: hook.into() }).unwrap();
        let logs = env.send(BOB, &transfer.execute()).unwrap();
        let hooked: Vec<IMockToken::HookCalled> = logs.iter().filter_map(|l| l.decode()).collect();
        assert_eq!(hooked.len(), 1);
        assert!(!hooked[0].ok && hooked[0].returnData.is_empty(), "the re-entry was refused");
        assert_eq!(env.state(other.id()), READY, "the re-entrant execute did not run");
        assert_eq!((env.state(transfer.id()), env.tokens(CAROL)), (DONE, u(10)));
    }

    // A plain transfer back (empty calldata: a refund) is accepted on re-entry.
    let env = Env::new();
    env.world.send(BOB, TOKEN, &IMockToken::setHookCall { target: TIMELOCK, data: Bytes::new() }).unwrap();
    let logs = env.run(&Op::new(TOKEN, IMockToken::transferCall { to: CAROL, value: U256::ZERO }.abi_encode())).unwrap();
    let hooked: Vec<IMockToken::HookCalled> = logs.iter().filter_map(|l| l.decode()).collect();
    assert!(hooked[0].ok, "the refund reached the timelock's receive");
}

// ---------------------------------------------------------------------------- value

#[test]
fn plain_transfers_are_accepted_and_operations_spend_them() {
    let env = Env::new();
    env.world.set_balance(CAROL, u(100));
    env.world.transact_with_value(CAROL, TIMELOCK, vec![], u(30)).unwrap();
    assert_eq!(env.world.balance(TIMELOCK), u(30));

    // From the timelock's balance, to an account without code.
    let pay = Op::new(BOB, vec![]).value(12);
    env.run(&pay).unwrap();
    assert_eq!((env.world.balance(TIMELOCK), env.world.balance(BOB)), (u(18), u(12)));

    // With the value sent along by the executor.
    env.world.set_balance(EXECUTOR, u(50));
    let pay = Op::new(CAROL, vec![1, 2, 3]).value(40);
    env.send(PROPOSER, &pay.schedule(DELAY)).unwrap();
    env.world.warp(DELAY);
    env.world.transact_with_value(EXECUTOR, TIMELOCK, pay.execute().abi_encode(), u(40)).unwrap();
    assert_eq!((env.world.balance(TIMELOCK), env.world.balance(CAROL)), (u(18), u(110)));

    // More than it holds: the value transfer fails without data, and the operation stays ready.
    let too_much = Op::new(BOB, vec![]).value(19);
    assert!(matches!(env.run(&too_much).unwrap_err().decode::<E>(), E::FailedCall(_)));
    assert_eq!(env.state(too_much.id()), READY);

    // Functions other than execute refuse value.
    env.world.set_balance(PROPOSER, u(5));
    let schedule = Op::new(BOB, vec![9]).schedule(DELAY).abi_encode();
    assert_eq!(env.world.transact_with_value(PROPOSER, TIMELOCK, schedule, u(1)).unwrap_err(), Revert(vec![]));
}

// ---------------------------------------------------------------------------- layout

#[test]
fn storage_layout_matches_the_committed_file() {
    let committed = include_str!("../storage-layout.txt");
    if timelock::STORAGE_LAYOUT != committed {
        panic!(
            "timelock's storage layout changed. It lives behind a proxy, so fields may only be \
             appended; if that is what changed, write this into contracts/timelock/storage-layout.txt:\n{}",
            timelock::STORAGE_LAYOUT
        );
    }
}
