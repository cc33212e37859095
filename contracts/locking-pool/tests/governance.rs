//! The governance and admin surface of locking-pool: initialization and the implementation
//! guard, roles, admission, parameter setters and their bounds, the pause and what it must not
//! block, forced exits, and the rejection of native value.
//!
//! Every test drives the pool through its ABI in a [`stylus_world::World`] and checks exact
//! values: views read back, whole events, whole errors, and token balances where tokens move.

mod common;

use alloy_primitives::{address, keccak256, Address, B256, U256};
use alloy_sol_types::{SolCall, SolEvent};
use common::*;
use dseq_abi::locking_pool::{
    ILockingPool::{self, ILockingPoolErrors},
    ADMISSION_ROLE, PAUSER_ROLE, UPGRADER_ROLE,
};
use dseq_kit::access::DEFAULT_ADMIN_ROLE;
use stylus_world::{
    keys::Key,
    mocks::{IMockRewardSource, IMockToken},
    Outcome, Revert,
};

// ==================================================================================== helpers

/// Stands in for the sequencer election, which holds ADMISSION_ROLE in production.
const ELECTION: Address = address!("00000000000000000000000000000000000e1ec7");
/// An account with no role and no sequencer.
const DAVE: Address = address!("00000000000000000000000000000000000da7e0");

/// Metis's defaults, spelled out rather than taken from the constants under test.
const DEFAULT_EXIT_DELAY: u64 = 1_814_400;
const DEFAULT_THROTTLE: u64 = 86_400;
const DEFAULT_MAX_REQUESTS: u64 = 8;
const ONE_YEAR: u64 = 365 * DAY;
const THIRTY_DAYS: u64 = 30 * DAY;

/// The stake the helpers register with: inside the default bounds, with room to withdraw.
fn stake() -> U256 {
    metis(30_000)
}

/// One ether, the native value the payable checks send.
fn one_ether() -> U256 {
    U256::from(10u64).pow(U256::from(18))
}

fn key(seed: u64) -> Key {
    Key::from_seed(seed)
}

/// `keccak256("stylus_constructor()")[..4]`: the SDK routes this selector to `#[constructor]`.
fn constructor_calldata() -> Vec<u8> {
    keccak256(b"stylus_constructor()")[..4].to_vec()
}

fn unauthorized(account: Address, role: B256) -> ILockingPoolErrors {
    ILockingPoolErrors::AccessControlUnauthorizedAccount(ILockingPool::AccessControlUnauthorizedAccount {
        account,
        neededRole: role,
    })
}

fn null_address() -> ILockingPoolErrors {
    ILockingPoolErrors::NullAddress(ILockingPool::NullAddress {})
}

fn enforced_pause() -> ILockingPoolErrors {
    ILockingPoolErrors::EnforcedPause(ILockingPool::EnforcedPause {})
}

fn invalid_initialization() -> ILockingPoolErrors {
    ILockingPoolErrors::InvalidInitialization(ILockingPool::InvalidInitialization {})
}

fn invalid_lock_bounds(min: U256, max: U256) -> ILockingPoolErrors {
    ILockingPoolErrors::InvalidLockBounds(ILockingPool::InvalidLockBounds { minLock: min, maxLock: max })
}

fn invalid_lock_amount(amount: U256, min: U256, max: U256) -> ILockingPoolErrors {
    ILockingPoolErrors::InvalidLockAmount(ILockingPool::InvalidLockAmount { amount, minLock: min, maxLock: max })
}

/// The single event of type `E` in `outcome`; fails if there are none or several.
fn one_event<E: SolEvent + std::fmt::Debug, T>(outcome: &Outcome<T>) -> E {
    let mut events = outcome.events::<E>();
    assert_eq!(events.len(), 1, "expected exactly one {} event, got {events:?}", E::SIGNATURE);
    events.remove(0)
}

/// ALICE's sequencer, registered in a fresh [`Env`] with signer `key(1)` and [`stake`].
fn with_sequencer() -> (Env, U256) {
    let env = Env::new();
    let id = env.register(ALICE, &key(1), stake());
    assert_eq!(id, U256::from(1));
    (env, id)
}

fn has_role(env: &Env, role: B256, account: Address) -> bool {
    env.view(&ILockingPool::hasRoleCall { role, account })
}

fn grant(env: &Env, role: B256, account: Address) {
    env.send(ADMIN, &ILockingPool::grantRoleCall { role, account }).unwrap();
}

fn pause(env: &Env) {
    env.send(ADMIN, &ILockingPool::pauseCall {}).unwrap();
    assert!(env.view(&ILockingPool::pausedCall {}));
}

fn unpause(env: &Env) {
    env.send(ADMIN, &ILockingPool::unpauseCall {}).unwrap();
}

fn unlock(env: &Env, owner: Address, id: U256) {
    env.send(owner, &ILockingPool::unlockCall { sequencerId: id, l2Gas: 0 }).unwrap();
}

fn request_withdrawal(env: &Env, owner: Address, id: U256, amount: U256) -> U256 {
    env.send(owner, &ILockingPool::requestWithdrawalCall { sequencerId: id, amount }).unwrap().value
}

fn set_exit_delay(env: &Env, delay: u64) {
    env.send(ADMIN, &ILockingPool::updateWithdrawDelayTimeValueCall { delay: U256::from(delay) }).unwrap();
}

fn update_signer_call(id: U256, signer: &Key) -> ILockingPool::rotateSignerCall {
    ILockingPool::rotateSignerCall {
        sequencerId: id,
        signer: signer.address(),
        signerProof: proof(signer, ALICE),
    }
}

/// Everything a rejected call could have touched, for before/after comparisons.
#[derive(Debug, PartialEq)]
struct Snapshot {
    native_caller: U256,
    native_pool: U256,
    token_caller: U256,
    token_pool: U256,
    total_locked: U256,
    total_pending: U256,
    total_sequencers: U256,
    active_sequencers: U256,
    paused: bool,
    logs: usize,
}

impl Snapshot {
    fn take(env: &Env, caller: Address) -> Self {
        Self {
            native_caller: env.world.balance(caller),
            native_pool: env.world.balance(POOL),
            token_caller: env.balance(caller),
            token_pool: env.balance(POOL),
            total_locked: env.total_locked(),
            total_pending: env.total_pending(),
            total_sequencers: env.view(&ILockingPool::totalSequencersCall {}),
            active_sequencers: env.view(&ILockingPool::activeSequencersCall {}),
            paused: env.view(&ILockingPool::pausedCall {}),
            logs: env.world.logs().len(),
        }
    }
}

/// `call` from MALLORY and from an account holding every role but DEFAULT_ADMIN_ROLE fails
/// with `AccessControlUnauthorizedAccount{caller, 0}` and changes nothing.
fn assert_admin_only<C: SolCall>(env: &Env, call: &C) {
    grant(env, ADMISSION_ROLE, ELECTION);
    grant(env, PAUSER_ROLE, ELECTION);
    for caller in [MALLORY, ELECTION] {
        let before = Snapshot::take(env, caller);
        assert_eq!(env.fail(caller, call), unauthorized(caller, DEFAULT_ADMIN_ROLE), "{}", C::SIGNATURE);
        assert_eq!(Snapshot::take(env, caller), before);
    }
}

/// While paused, `call` from `from` fails with `EnforcedPause` and changes nothing; once
/// unpaused the very same call succeeds, so the pause is what stopped it.
fn assert_blocked_by_pause<C: SolCall>(env: &Env, from: Address, call: &C) {
    pause(env);
    let before = Snapshot::take(env, from);
    assert_eq!(env.fail(from, call), enforced_pause(), "{}", C::SIGNATURE);
    assert_eq!(Snapshot::take(env, from), before);
    unpause(env);
    env.send(from, call).unwrap_or_else(|e| panic!("{} after unpause: {e:?}", C::SIGNATURE));
}

/// `call` from `from` carrying one ether reverts (the SDK's non-payable guard: empty revert
/// data) and changes nothing; the same call without value then succeeds.
fn assert_rejects_value<C: SolCall>(env: &Env, from: Address, call: &C) {
    env.world.set_balance(from, one_ether());
    let before = Snapshot::take(env, from);
    let result = env.world.transact_with_value(from, POOL, call.abi_encode(), one_ether());
    assert_eq!(result.unwrap_err(), Revert(Vec::new()), "{} accepted value", C::SIGNATURE);
    assert_eq!(Snapshot::take(env, from), before, "{} changed state", C::SIGNATURE);
    env.send(from, call).unwrap_or_else(|e| panic!("{} without value: {e:?}", C::SIGNATURE));
    assert_eq!(env.world.balance(from), one_ether());
    assert_eq!(env.world.balance(POOL), U256::ZERO);
}

// ==================================================================================== initialize

#[test]
fn initialize_grants_every_role_and_sets_metis_defaults() {
    let env = Env::bare();
    // CAROL plays the proxy deployer: the RoleGranted sender is the caller, not the admin.
    let outcome = env.send(CAROL, &ILockingPool::initializeCall { admin: ADMIN, token: METIS_TOKEN, programs: programs() }).unwrap();

    assert_eq!(outcome.events::<ILockingPool::Initialized>(), vec![ILockingPool::Initialized { version: 1 }]);
    let granted = |role| ILockingPool::RoleGranted { role, account: ADMIN, sender: CAROL };
    assert_eq!(
        outcome.events::<ILockingPool::RoleGranted>(),
        vec![
            granted(B256::ZERO),
            granted(keccak256("ADMISSION_ROLE")),
            granted(keccak256("PAUSER_ROLE")),
            granted(keccak256("UPGRADER_ROLE"))
        ]
    );
    assert_eq!(
        one_event::<ILockingPool::SetLockBounds, _>(&outcome),
        ILockingPool::SetLockBounds { minLock: metis(20_000), maxLock: metis(100_000) }
    );
    assert_eq!(
        one_event::<ILockingPool::WithdrawDelayTimeChange, _>(&outcome),
        ILockingPool::WithdrawDelayTimeChange { cur: U256::from(DEFAULT_EXIT_DELAY), prev: U256::ZERO }
    );
    assert_eq!(
        one_event::<ILockingPool::SignerRotationDelayChanged, _>(&outcome),
        ILockingPool::SignerRotationDelayChanged { delay: U256::from(DEFAULT_THROTTLE) }
    );
    assert_eq!(
        one_event::<ILockingPool::SetMaxWithdrawalRequests, _>(&outcome),
        ILockingPool::SetMaxWithdrawalRequests { maxRequests: U256::from(DEFAULT_MAX_REQUESTS) }
    );
    assert_eq!(
        outcome.events::<ILockingPool::ProgramInstalled>(),
        vec![
            ILockingPool::ProgramInstalled { index: U256::from(1), program: MODULE, build: build() },
            ILockingPool::ProgramInstalled { index: U256::from(2), program: ADMIN_PROGRAM, build: build() },
            ILockingPool::ProgramInstalled { index: U256::from(3), program: DELEGATION_PROGRAM, build: build() },
        ]
    );
    assert_eq!(outcome.logs.len(), 12, "no other event: {:?}", outcome.logs);
    assert_eq!(env.view(&ILockingPool::programsCall {}), programs());

    assert_eq!(env.view(&ILockingPool::tokenCall {}), METIS_TOKEN);
    assert_eq!(env.view(&ILockingPool::minLockCall {}), metis(20_000));
    assert_eq!(env.view(&ILockingPool::maxLockCall {}), metis(100_000));
    assert_eq!(env.view(&ILockingPool::exitDelayPeriodCall {}), DEFAULT_EXIT_DELAY);
    assert_eq!(env.view(&ILockingPool::signerRotationDelayCall {}), DEFAULT_THROTTLE);
    assert_eq!(env.view(&ILockingPool::maxWithdrawalRequestsCall {}), DEFAULT_MAX_REQUESTS);
    assert_eq!(env.view(&ILockingPool::rewardDistributorCall {}), Address::ZERO);
    assert!(!env.view(&ILockingPool::pausedCall {}));
    for role in [DEFAULT_ADMIN_ROLE, ADMISSION_ROLE, PAUSER_ROLE, UPGRADER_ROLE] {
        assert!(has_role(&env, role, ADMIN));
        assert!(!has_role(&env, role, CAROL), "the caller of initialize gets no role");
    }
}

#[test]
fn initialize_twice_reverts_invalid_initialization() {
    let env = Env::new();
    let call = ILockingPool::initializeCall { admin: MALLORY, token: DISTRIBUTOR, programs: programs() };
    assert_eq!(env.fail(MALLORY, &call), invalid_initialization());
    assert_eq!(env.fail(ADMIN, &call), invalid_initialization());
    assert!(!has_role(&env, DEFAULT_ADMIN_ROLE, MALLORY));
    assert_eq!(env.view(&ILockingPool::tokenCall {}), METIS_TOKEN);
}

#[test]
fn initialize_with_zero_admin_reverts_null_address() {
    let env = Env::bare();
    let call = ILockingPool::initializeCall { admin: Address::ZERO, token: METIS_TOKEN, programs: programs() };
    assert_eq!(env.fail(CAROL, &call), null_address());
    assert!(!has_role(&env, DEFAULT_ADMIN_ROLE, Address::ZERO));
    // The failed attempt was rolled back: a correct initialize still goes through.
    env.send(CAROL, &ILockingPool::initializeCall { admin: ADMIN, token: METIS_TOKEN, programs: programs() }).unwrap();
    assert!(has_role(&env, DEFAULT_ADMIN_ROLE, ADMIN));
}

#[test]
fn initialize_with_zero_token_reverts_null_address() {
    let env = Env::bare();
    let call = ILockingPool::initializeCall { admin: ADMIN, token: Address::ZERO, programs: programs() };
    assert_eq!(env.fail(CAROL, &call), null_address());
    assert!(!has_role(&env, DEFAULT_ADMIN_ROLE, ADMIN));
    assert_eq!(env.view(&ILockingPool::minLockCall {}), U256::ZERO);
    env.send(CAROL, &ILockingPool::initializeCall { admin: ADMIN, token: METIS_TOKEN, programs: programs() }).unwrap();
    assert_eq!(env.view(&ILockingPool::tokenCall {}), METIS_TOKEN);
}

/// The build id every program of this pool reports.
fn build() -> B256 {
    B256::from(<locking_pool::LockingPool as dseq_program::Contract>::BUILD)
}

fn mismatch(program: Address, answered_build: B256, answered_index: u64) -> ILockingPoolErrors {
    mismatch_at(1, program, answered_build, answered_index)
}

fn mismatch_at(index: u64, program: Address, answered_build: B256, answered_index: u64) -> ILockingPoolErrors {
    ILockingPoolErrors::ProgramMismatch(ILockingPool::ProgramMismatch {
        index: U256::from(index),
        program,
        expectedBuild: build(),
        build: answered_build,
        answeredIndex: U256::from(answered_index),
    })
}

#[test]
fn initialize_refuses_programs_that_are_not_the_pool_module() {
    let env = Env::bare();
    let init = |programs: Vec<Address>| ILockingPool::initializeCall { admin: ADMIN, token: METIS_TOKEN, programs };
    assert_eq!(
        env.fail(CAROL, &init(vec![])),
        ILockingPoolErrors::ProgramCountMismatch(ILockingPool::ProgramCountMismatch {
            expected: U256::from(3),
            given: U256::ZERO
        })
    );
    assert_eq!(
        env.fail(CAROL, &init(vec![MODULE])),
        ILockingPoolErrors::ProgramCountMismatch(ILockingPool::ProgramCountMismatch {
            expected: U256::from(3),
            given: U256::from(1)
        })
    );
    // The programs in the wrong order: each declares its own index.
    assert_eq!(env.fail(CAROL, &init(vec![ADMIN_PROGRAM, MODULE, DELEGATION_PROGRAM])), mismatch(ADMIN_PROGRAM, build(), 2));
    assert_eq!(env.fail(CAROL, &init(vec![MODULE, MODULE, DELEGATION_PROGRAM])), mismatch_at(2, MODULE, build(), 1));
    assert_eq!(env.fail(CAROL, &init(vec![MODULE, ADMIN_PROGRAM, ADMIN_PROGRAM])), mismatch_at(3, ADMIN_PROGRAM, build(), 2));
    let nothing = Address::repeat_byte(0x77);
    assert_eq!(
        env.fail(CAROL, &init(vec![nothing, ADMIN_PROGRAM, DELEGATION_PROGRAM])),
        ILockingPoolErrors::ProgramHasNoCode(ILockingPool::ProgramHasNoCode { index: U256::from(1), program: nothing })
    );
    // Code that does not answer dseqProgram(), another instance of the entry program (index 0),
    // and the pool itself (it cannot answer: a program never re-enters itself).
    assert_eq!(env.fail(CAROL, &init(vec![METIS_TOKEN, ADMIN_PROGRAM, DELEGATION_PROGRAM])), mismatch(METIS_TOKEN, B256::ZERO, 0));
    let entry = Address::repeat_byte(0x55);
    env.world.deploy(entry, locking_pool::LockingPool::program_0);
    assert_eq!(env.fail(CAROL, &init(vec![entry, ADMIN_PROGRAM, DELEGATION_PROGRAM])), mismatch(entry, build(), 0));
    assert_eq!(env.fail(CAROL, &init(vec![POOL, ADMIN_PROGRAM, DELEGATION_PROGRAM])), mismatch(POOL, B256::ZERO, 0));
    assert_eq!(env.view(&ILockingPool::programsCall {}), vec![Address::ZERO; 3]);
    assert!(!has_role(&env, DEFAULT_ADMIN_ROLE, ADMIN));
    env.send(CAROL, &init(programs())).unwrap();
    assert_eq!(env.view(&ILockingPool::programsCall {}), programs());
}

#[test]
fn every_program_reports_the_same_build_and_its_index() {
    let env = Env::new();
    let info = |at| env.world.view(at, &ILockingPool::dseqProgramCall {});
    let (entry, module, admin, delegation) = (info(POOL), info(MODULE), info(ADMIN_PROGRAM), info(DELEGATION_PROGRAM));
    assert_eq!((entry.build, entry.index, entry.programs), (build(), U256::ZERO, U256::from(4)));
    assert_eq!((module.build, module.index, module.programs), (build(), U256::from(1), U256::from(4)));
    assert_eq!((admin.build, admin.index, admin.programs), (build(), U256::from(2), U256::from(4)));
    assert_eq!((delegation.build, delegation.index, delegation.programs), (build(), U256::from(3), U256::from(4)));
    // The build id covers the storage layout: both programs are built over the same one.
    let layout = locking_pool_state::STORAGE_LAYOUT;
    assert!(layout.starts_with("struct PoolState {\n    initializable: Initializable,\n"), "{layout}");
}

// ==================================================================================== programs

#[test]
fn governance_functions_run_on_the_pool_storage_through_the_module() {
    let env = Env::new();
    // Served by the module, forwarded by the entry program, on the pool's state.
    env.send(ADMIN, &min_lock_call(&env, metis(30_000))).unwrap();
    assert_eq!(env.view(&ILockingPool::minLockCall {}), metis(30_000));
    // The admin program's own storage is untouched and nobody holds a role there.
    let direct = env.world.send(ADMIN, ADMIN_PROGRAM, &min_lock_call(&env, metis(40_000)));
    let Err(revert) = direct else { panic!("a direct call to the admin program must fail") };
    assert_eq!(revert.decode::<ILockingPoolErrors>(), unauthorized(ADMIN, B256::ZERO));
    assert_eq!(env.world.view(ADMIN_PROGRAM, &ILockingPool::signerRotationDelayCall {}), 0, "no pool state there");
    // A program answers only its own selectors: the module does not serve governance.
    let call = alloy_sol_types::SolCall::abi_encode(&min_lock_call(&env, metis(40_000)));
    assert_eq!(env.world.transact(ADMIN, MODULE, call).unwrap_err(), Revert(Vec::new()));
}

#[test]
fn an_unknown_selector_reverts_without_data() {
    let env = Env::new();
    assert_eq!(env.world.transact(ALICE, POOL, vec![0xde, 0xad, 0xbe, 0xef]).unwrap_err(), Revert(Vec::new()));
    assert_eq!(env.world.transact(ALICE, POOL, vec![0xde, 0xad]).unwrap_err(), Revert(Vec::new()));
    assert_eq!(env.world.transact(ALICE, MODULE, vec![0xde, 0xad, 0xbe, 0xef]).unwrap_err(), Revert(Vec::new()));
}

#[test]
fn install_programs_needs_the_upgrader_role_and_checks_every_program() {
    let env = Env::new();
    let second = Address::repeat_byte(0x44);
    env.world.deploy(second, locking_pool::LockingPool::program_1);
    let install = |programs: Vec<Address>| ILockingPool::installProgramsCall { programs };

    // Parameters and code are separate powers: the default admin alone cannot swap code.
    env.send(ADMIN, &ILockingPool::revokeRoleCall { role: UPGRADER_ROLE, account: ADMIN }).unwrap();
    assert_eq!(env.fail(ADMIN, &install(vec![second, ADMIN_PROGRAM, DELEGATION_PROGRAM])), unauthorized(ADMIN, UPGRADER_ROLE));
    assert_eq!(env.fail(MALLORY, &install(vec![second, ADMIN_PROGRAM, DELEGATION_PROGRAM])), unauthorized(MALLORY, UPGRADER_ROLE));
    env.send(ADMIN, &ILockingPool::grantRoleCall { role: UPGRADER_ROLE, account: CAROL }).unwrap();

    // A swap to code that is not the pool's module is refused, and the pool keeps working.
    let nothing = Address::repeat_byte(0x77);
    assert_eq!(
        env.fail(CAROL, &install(vec![nothing, ADMIN_PROGRAM, DELEGATION_PROGRAM])),
        ILockingPoolErrors::ProgramHasNoCode(ILockingPool::ProgramHasNoCode { index: U256::from(1), program: nothing })
    );
    assert_eq!(env.fail(CAROL, &install(vec![DISTRIBUTOR, ADMIN_PROGRAM, DELEGATION_PROGRAM])), mismatch(DISTRIBUTOR, B256::ZERO, 0));
    assert_eq!(env.view(&ILockingPool::programsCall {}), programs());
    env.send(ADMIN, &min_lock_call(&env, metis(30_000))).unwrap();
    env.register(ALICE, &key(1), metis(30_000));

    let outcome = env.send(CAROL, &install(vec![second, ADMIN_PROGRAM, DELEGATION_PROGRAM])).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::ProgramInstalled>(),
        vec![
            ILockingPool::ProgramInstalled { index: U256::from(1), program: second, build: build() },
            ILockingPool::ProgramInstalled { index: U256::from(2), program: ADMIN_PROGRAM, build: build() },
            ILockingPool::ProgramInstalled { index: U256::from(3), program: DELEGATION_PROGRAM, build: build() },
        ]
    );
    assert_eq!(outcome.logs.len(), 3);
    assert_eq!(env.view(&ILockingPool::programsCall {}), vec![second, ADMIN_PROGRAM, DELEGATION_PROGRAM]);
    // The new program serves the module's selectors, on the same state.
    assert_eq!(env.sequencer(U256::from(1)).amount, metis(30_000));
    env.send(ALICE, &ILockingPool::unlockCall { sequencerId: U256::from(1), l2Gas: 0 }).unwrap();
    assert_eq!(env.sequencer(U256::from(1)).status, INACTIVE);
    assert_eq!(env.view(&ILockingPool::minLockCall {}), metis(30_000));
}

#[test]
fn programs_of_another_build_are_not_used() {
    // What a proxy upgrade to a new entry program leaves behind until `installPrograms` runs:
    // a table entry tagged with another build. Forwarding refuses it; the entry still answers.
    let env = Env::new();
    for index in [1u64, 2, 3] {
        let slot = U256::from_be_bytes(dseq_program::table::TABLE_SLOT.0) + U256::from(index);
        let mut stale = env.world.storage(POOL, slot).0;
        stale[0] ^= 0xff;
        env.world.set_storage(POOL, slot, B256::from(stale));
    }

    let not_installed = ILockingPoolErrors::ProgramsNotInstalled(ILockingPool::ProgramsNotInstalled { build: build() });
    assert_eq!(env.fail(ADMIN, &min_lock_call(&env, metis(30_000))), not_installed);
    assert_eq!(env.fail(ALICE, &ILockingPool::unlockCall { sequencerId: U256::from(1), l2Gas: 0 }), not_installed);
    assert_eq!(env.view(&ILockingPool::programsCall {}), vec![Address::ZERO; 3]);
    assert_eq!(env.view(&ILockingPool::minLockCall {}), metis(20_000));
    // Installing (as the upgrade's call does) brings the module back.
    env.send(ADMIN, &ILockingPool::installProgramsCall { programs: programs() }).unwrap();
    env.send(ADMIN, &min_lock_call(&env, metis(30_000))).unwrap();
    assert_eq!(env.view(&ILockingPool::minLockCall {}), metis(30_000));
}

#[test]
fn constructor_disables_initialize_on_the_implementation() {
    let env = Env::bare();
    let logs = env.world.transact(CAROL, POOL, constructor_calldata()).unwrap();
    let disabled: Vec<_> = logs.iter().filter_map(|log| log.decode::<ILockingPool::Initialized>()).collect();
    assert_eq!(disabled, vec![ILockingPool::Initialized { version: u64::MAX }]);
    assert_eq!(logs.len(), 1);

    let call = ILockingPool::initializeCall { admin: ADMIN, token: METIS_TOKEN, programs: programs() };
    assert_eq!(env.fail(ADMIN, &call), invalid_initialization());
    assert!(!has_role(&env, DEFAULT_ADMIN_ROLE, ADMIN));
    // The constructor itself runs once only.
    assert_eq!(env.world.transact(CAROL, POOL, constructor_calldata()).unwrap_err(), Revert(Vec::new()));
}

#[test]
fn constructor_through_an_initialized_pool_reverts_and_the_pool_keeps_working() {
    let env = Env::new();
    let logs_before = env.world.logs().len();
    assert_eq!(env.world.transact(MALLORY, POOL, constructor_calldata()).unwrap_err(), Revert(Vec::new()));
    assert_eq!(env.world.logs().len(), logs_before);

    // Initialization was not disabled behind the pool's back, and the pool still operates.
    let id = env.register(ALICE, &key(1), stake());
    assert_eq!(env.status(id), ACTIVE);
    let outcome = env.send(ADMIN, &min_lock_call(&env, metis(25_000))).unwrap();
    assert_eq!(
        one_event::<ILockingPool::SetLockBounds, _>(&outcome),
        ILockingPool::SetLockBounds { minLock: metis(25_000), maxLock: metis(100_000) }
    );
    let again = ILockingPool::initializeCall { admin: MALLORY, token: METIS_TOKEN, programs: programs() };
    assert_eq!(env.fail(MALLORY, &again), invalid_initialization());
}

// ==================================================================================== roles

#[test]
fn role_views_return_the_role_constants() {
    let env = Env::new();
    let admin_role = env.view(&ILockingPool::DEFAULT_ADMIN_ROLECall {});
    let admission_role = env.view(&ILockingPool::ADMISSION_ROLECall {});
    let pauser_role = env.view(&ILockingPool::PAUSER_ROLECall {});
    assert_eq!(admin_role, DEFAULT_ADMIN_ROLE);
    assert_eq!(admin_role, B256::ZERO);
    assert_eq!(admission_role, ADMISSION_ROLE);
    assert_eq!(admission_role, keccak256("ADMISSION_ROLE"));
    assert_eq!(pauser_role, PAUSER_ROLE);
    assert_eq!(pauser_role, keccak256("PAUSER_ROLE"));

    for role in [admin_role, admission_role, pauser_role, keccak256("SOME_OTHER_ROLE")] {
        assert_eq!(env.view(&ILockingPool::getRoleAdminCall { role }), B256::ZERO);
    }
    for role in [admin_role, admission_role, pauser_role] {
        assert!(has_role(&env, role, ADMIN));
        assert!(!has_role(&env, role, ALICE));
    }
}

#[test]
fn admin_grants_a_role_with_role_granted() {
    let env = Env::new();
    let outcome = env.send(ADMIN, &ILockingPool::grantRoleCall { role: PAUSER_ROLE, account: CAROL }).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::RoleGranted>(),
        vec![ILockingPool::RoleGranted { role: PAUSER_ROLE, account: CAROL, sender: ADMIN }]
    );
    assert!(has_role(&env, PAUSER_ROLE, CAROL));
    assert!(!has_role(&env, DEFAULT_ADMIN_ROLE, CAROL));
    // The role is effective.
    let outcome = env.send(CAROL, &ILockingPool::pauseCall {}).unwrap();
    assert_eq!(outcome.events::<ILockingPool::Paused>(), vec![ILockingPool::Paused { account: CAROL }]);
}

#[test]
fn granting_a_held_role_is_a_silent_no_op() {
    let env = Env::new();
    grant(&env, PAUSER_ROLE, CAROL);
    let outcome = env.send(ADMIN, &ILockingPool::grantRoleCall { role: PAUSER_ROLE, account: CAROL }).unwrap();
    assert!(outcome.logs.is_empty(), "{:?}", outcome.logs);
    assert!(has_role(&env, PAUSER_ROLE, CAROL));
}

#[test]
fn admin_revokes_a_role_with_role_revoked() {
    let env = Env::new();
    grant(&env, PAUSER_ROLE, CAROL);
    let outcome = env.send(ADMIN, &ILockingPool::revokeRoleCall { role: PAUSER_ROLE, account: CAROL }).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::RoleRevoked>(),
        vec![ILockingPool::RoleRevoked { role: PAUSER_ROLE, account: CAROL, sender: ADMIN }]
    );
    assert!(!has_role(&env, PAUSER_ROLE, CAROL));
    assert_eq!(env.fail(CAROL, &ILockingPool::pauseCall {}), unauthorized(CAROL, PAUSER_ROLE));
}

#[test]
fn revoking_an_unheld_role_is_a_silent_no_op() {
    let env = Env::new();
    let outcome = env.send(ADMIN, &ILockingPool::revokeRoleCall { role: PAUSER_ROLE, account: CAROL }).unwrap();
    assert!(outcome.logs.is_empty(), "{:?}", outcome.logs);
    assert!(!has_role(&env, PAUSER_ROLE, CAROL));
}

#[test]
fn non_admin_cannot_grant_a_role() {
    let env = Env::new();
    // Holding the role being granted is not enough: every role is administered by the admin.
    grant(&env, PAUSER_ROLE, CAROL);
    for (caller, role) in [(MALLORY, DEFAULT_ADMIN_ROLE), (MALLORY, PAUSER_ROLE), (CAROL, PAUSER_ROLE)] {
        let call = ILockingPool::grantRoleCall { role, account: MALLORY };
        assert_eq!(env.fail(caller, &call), unauthorized(caller, B256::ZERO));
        assert!(!has_role(&env, role, MALLORY));
    }
}

#[test]
fn non_admin_cannot_revoke_a_role() {
    let env = Env::new();
    grant(&env, PAUSER_ROLE, CAROL);
    for role in [DEFAULT_ADMIN_ROLE, ADMISSION_ROLE, PAUSER_ROLE] {
        let call = ILockingPool::revokeRoleCall { role, account: ADMIN };
        assert_eq!(env.fail(CAROL, &call), unauthorized(CAROL, B256::ZERO));
        assert!(has_role(&env, role, ADMIN));
    }
}

#[test]
fn renounce_role_with_wrong_confirmation_reverts() {
    let env = Env::new();
    for confirmation in [CAROL, Address::ZERO] {
        let call = ILockingPool::renounceRoleCall { role: PAUSER_ROLE, callerConfirmation: confirmation };
        assert_eq!(
            env.fail(ADMIN, &call),
            ILockingPoolErrors::AccessControlBadConfirmation(ILockingPool::AccessControlBadConfirmation {})
        );
    }
    assert!(has_role(&env, PAUSER_ROLE, ADMIN));
}

#[test]
fn renounce_role_drops_the_callers_role() {
    let env = Env::new();
    let call = ILockingPool::renounceRoleCall { role: PAUSER_ROLE, callerConfirmation: ADMIN };
    let outcome = env.send(ADMIN, &call).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::RoleRevoked>(),
        vec![ILockingPool::RoleRevoked { role: PAUSER_ROLE, account: ADMIN, sender: ADMIN }]
    );
    assert!(!has_role(&env, PAUSER_ROLE, ADMIN));
    assert!(has_role(&env, DEFAULT_ADMIN_ROLE, ADMIN), "only the renounced role is gone");
    assert_eq!(env.fail(ADMIN, &ILockingPool::pauseCall {}), unauthorized(ADMIN, PAUSER_ROLE));
}

#[test]
fn admission_role_lets_the_election_admit_owners() {
    let env = Env::new();
    let admit = ILockingPool::setWhitelistCall { user: CAROL, yes: true };
    assert_eq!(env.fail(ELECTION, &admit), unauthorized(ELECTION, ADMISSION_ROLE));

    let outcome = env.send(ADMIN, &ILockingPool::grantRoleCall { role: ADMISSION_ROLE, account: ELECTION }).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::RoleGranted>(),
        vec![ILockingPool::RoleGranted { role: ADMISSION_ROLE, account: ELECTION, sender: ADMIN }]
    );
    let outcome = env.send(ELECTION, &admit).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::SetWhitelist>(),
        vec![ILockingPool::SetWhitelist { user: CAROL, yes: true }]
    );
    assert!(env.view(&ILockingPool::whitelistCall { user: CAROL }));

    // The admitted owner can register.
    env.fund(CAROL, stake());
    let id = env.register(CAROL, &key(3), stake());
    assert_eq!(env.sequencer(id).owner, CAROL);
    assert_eq!(env.balance(CAROL), U256::ZERO);
}

#[test]
fn admission_role_grants_no_admin_or_pauser_power() {
    let env = Env::new();
    grant(&env, ADMISSION_ROLE, ELECTION);
    assert_eq!(
        env.fail(ELECTION, &min_lock_call(&env, metis(1))),
        unauthorized(ELECTION, B256::ZERO)
    );
    assert_eq!(
        env.fail(ELECTION, &ILockingPool::grantRoleCall { role: ADMISSION_ROLE, account: DAVE }),
        unauthorized(ELECTION, B256::ZERO)
    );
    assert_eq!(env.fail(ELECTION, &ILockingPool::pauseCall {}), unauthorized(ELECTION, PAUSER_ROLE));
    assert_eq!(env.view(&ILockingPool::minLockCall {}), metis(20_000));
}

// ==================================================================================== setWhitelist

#[test]
fn set_whitelist_admits_with_event() {
    let env = Env::new();
    assert!(!env.view(&ILockingPool::whitelistCall { user: CAROL }));
    let outcome = env.send(ADMIN, &ILockingPool::setWhitelistCall { user: CAROL, yes: true }).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::SetWhitelist>(),
        vec![ILockingPool::SetWhitelist { user: CAROL, yes: true }]
    );
    assert!(env.view(&ILockingPool::whitelistCall { user: CAROL }));
}

#[test]
fn set_whitelist_requires_admission_role() {
    let env = Env::new();
    // A pure DEFAULT_ADMIN_ROLE holder does not have admission either.
    env.send(ADMIN, &ILockingPool::revokeRoleCall { role: ADMISSION_ROLE, account: ADMIN }).unwrap();
    let call = ILockingPool::setWhitelistCall { user: CAROL, yes: true };
    for caller in [MALLORY, ALICE, ADMIN] {
        assert_eq!(env.fail(caller, &call), unauthorized(caller, ADMISSION_ROLE));
    }
    assert!(!env.view(&ILockingPool::whitelistCall { user: CAROL }));
}

#[test]
fn set_whitelist_rejects_zero_user() {
    let env = Env::new();
    for yes in [true, false] {
        assert_eq!(env.fail(ADMIN, &ILockingPool::setWhitelistCall { user: Address::ZERO, yes }), null_address());
    }
    assert!(!env.view(&ILockingPool::whitelistCall { user: Address::ZERO }));
}

#[test]
fn set_whitelist_revocation_blocks_new_registrations() {
    let env = Env::new();
    assert!(env.view(&ILockingPool::whitelistCall { user: BOB }));
    let outcome = env.send(ADMIN, &ILockingPool::setWhitelistCall { user: BOB, yes: false }).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::SetWhitelist>(),
        vec![ILockingPool::SetWhitelist { user: BOB, yes: false }]
    );
    assert!(!env.view(&ILockingPool::whitelistCall { user: BOB }));

    let balance = env.balance(BOB);
    assert_eq!(
        env.fail(BOB, &lock_call(BOB, &key(2), stake())),
        ILockingPoolErrors::NotWhitelisted(ILockingPool::NotWhitelisted { account: BOB })
    );
    assert_eq!(env.balance(BOB), balance);
    assert_eq!(env.view(&ILockingPool::totalSequencersCall {}), U256::ZERO);
}

// ==================================================================================== lock bounds

#[test]
fn set_min_lock_emits_and_updates() {
    let env = Env::new();
    let outcome = env.send(ADMIN, &min_lock_call(&env, metis(10_000))).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::SetLockBounds>(),
        vec![ILockingPool::SetLockBounds { minLock: metis(10_000), maxLock: metis(100_000) }]
    );
    assert_eq!(env.view(&ILockingPool::minLockCall {}), metis(10_000));
    assert_eq!(env.view(&ILockingPool::maxLockCall {}), metis(100_000));
}

#[test]
fn set_max_lock_emits_and_updates() {
    let env = Env::new();
    let outcome = env.send(ADMIN, &max_lock_call(&env, metis(500_000))).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::SetLockBounds>(),
        vec![ILockingPool::SetLockBounds { minLock: metis(20_000), maxLock: metis(500_000) }]
    );
    assert_eq!(env.view(&ILockingPool::maxLockCall {}), metis(500_000));
    assert_eq!(env.view(&ILockingPool::minLockCall {}), metis(20_000));
}

#[test]
fn set_min_lock_is_admin_only() {
    let env = Env::new();
    assert_admin_only(&env, &min_lock_call(&env, metis(10_000)));
    assert_eq!(env.view(&ILockingPool::minLockCall {}), metis(20_000));
}

#[test]
fn set_max_lock_is_admin_only() {
    let env = Env::new();
    assert_admin_only(&env, &max_lock_call(&env, metis(500_000)));
    assert_eq!(env.view(&ILockingPool::maxLockCall {}), metis(100_000));
}

#[test]
fn set_min_lock_above_max_reverts() {
    let env = Env::new();
    let call = min_lock_call(&env, metis(100_000) + U256::from(1));
    assert_eq!(env.fail(ADMIN, &call), invalid_lock_bounds(metis(100_000) + U256::from(1), metis(100_000)));
    assert_eq!(env.view(&ILockingPool::minLockCall {}), metis(20_000));
}

#[test]
fn set_min_lock_zero_reverts() {
    let env = Env::new();
    assert_eq!(
        env.fail(ADMIN, &min_lock_call(&env, U256::ZERO)),
        invalid_lock_bounds(U256::ZERO, metis(100_000))
    );
    assert_eq!(env.view(&ILockingPool::minLockCall {}), metis(20_000));
}

#[test]
fn set_max_lock_below_min_reverts() {
    let env = Env::new();
    let call = max_lock_call(&env, metis(20_000) - U256::from(1));
    assert_eq!(env.fail(ADMIN, &call), invalid_lock_bounds(metis(20_000), metis(20_000) - U256::from(1)));
    assert_eq!(env.view(&ILockingPool::maxLockCall {}), metis(100_000));
}

#[test]
fn set_max_lock_above_u128_max_reverts() {
    let env = Env::new();
    let too_big = U256::from(u128::MAX) + U256::from(1);
    assert_eq!(
        env.fail(ADMIN, &max_lock_call(&env, too_big)),
        invalid_lock_bounds(metis(20_000), too_big)
    );
    assert_eq!(
        env.fail(ADMIN, &max_lock_call(&env, U256::MAX)),
        invalid_lock_bounds(metis(20_000), U256::MAX)
    );
    assert_eq!(env.view(&ILockingPool::maxLockCall {}), metis(100_000));
    // The boundary itself is accepted.
    env.send(ADMIN, &max_lock_call(&env, U256::from(u128::MAX))).unwrap();
    assert_eq!(env.view(&ILockingPool::maxLockCall {}), U256::from(u128::MAX));
}

#[test]
fn min_lock_equal_to_max_lock_is_accepted_and_pins_the_stake() {
    let env = Env::new();
    env.send(ADMIN, &min_lock_call(&env, metis(100_000))).unwrap();
    assert_eq!(env.view(&ILockingPool::minLockCall {}), metis(100_000));

    let below = metis(100_000) - U256::from(1);
    assert_eq!(env.fail(ALICE, &lock_call(ALICE, &key(1), below)), invalid_lock_amount(below, metis(100_000), metis(100_000)));
    let before = env.balance(ALICE);
    let id = env.register(ALICE, &key(1), metis(100_000));
    assert_eq!(env.stake(id), metis(100_000));
    assert_eq!(env.balance(ALICE), before - metis(100_000));

    // And from the other side: max lowered onto min.
    env.send(ADMIN, &min_lock_call(&env, metis(30_000))).unwrap();
    env.send(ADMIN, &max_lock_call(&env, metis(30_000))).unwrap();
    assert_eq!(env.view(&ILockingPool::maxLockCall {}), metis(30_000));
    assert_eq!(env.view(&ILockingPool::minLockCall {}), metis(30_000));
}

#[test]
fn lock_bounds_apply_to_new_registrations() {
    let env = Env::new();
    env.send(ADMIN, &min_lock_call(&env, metis(25_000))).unwrap();
    env.send(ADMIN, &max_lock_call(&env, metis(50_000))).unwrap();
    let (min, max) = (metis(25_000), metis(50_000));
    let one = U256::from(1);

    assert_eq!(env.fail(ALICE, &lock_call(ALICE, &key(1), min - one)), invalid_lock_amount(min - one, min, max));
    assert_eq!(env.fail(ALICE, &lock_call(ALICE, &key(1), max + one)), invalid_lock_amount(max + one, min, max));
    // The default bounds no longer apply: 20k and 100k are out, 25k and 50k are in.
    assert_eq!(env.fail(ALICE, &lock_call(ALICE, &key(1), metis(20_000))), invalid_lock_amount(metis(20_000), min, max));
    assert_eq!(env.fail(ALICE, &lock_call(ALICE, &key(1), metis(100_000))), invalid_lock_amount(metis(100_000), min, max));

    let alice = env.register(ALICE, &key(1), min);
    let bob = env.register(BOB, &key(2), max);
    assert_eq!((env.stake(alice), env.stake(bob)), (min, max));
    assert_eq!(env.balance(POOL), min + max);
    env.assert_conserved();
}

// ==================================================================================== exit delay

#[test]
fn exit_delay_update_emits_current_and_previous() {
    let env = Env::new();
    let outcome = env.send(ADMIN, &ILockingPool::updateWithdrawDelayTimeValueCall { delay: U256::from(7 * DAY) }).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::WithdrawDelayTimeChange>(),
        vec![ILockingPool::WithdrawDelayTimeChange { cur: U256::from(7 * DAY), prev: U256::from(DEFAULT_EXIT_DELAY) }]
    );
    assert_eq!(env.view(&ILockingPool::exitDelayPeriodCall {}), 7 * DAY);

    let outcome = env.send(ADMIN, &ILockingPool::updateWithdrawDelayTimeValueCall { delay: U256::from(1) }).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::WithdrawDelayTimeChange>(),
        vec![ILockingPool::WithdrawDelayTimeChange { cur: U256::from(1), prev: U256::from(7 * DAY) }]
    );
    assert_eq!(env.view(&ILockingPool::exitDelayPeriodCall {}), 1);
}

#[test]
fn exit_delay_is_admin_only() {
    let env = Env::new();
    assert_admin_only(&env, &ILockingPool::updateWithdrawDelayTimeValueCall { delay: U256::from(DAY) });
    assert_eq!(env.view(&ILockingPool::exitDelayPeriodCall {}), DEFAULT_EXIT_DELAY);
}

#[test]
fn exit_delay_zero_reverts() {
    let env = Env::new();
    assert_eq!(
        env.fail(ADMIN, &ILockingPool::updateWithdrawDelayTimeValueCall { delay: U256::from(0) }),
        ILockingPoolErrors::InvalidExitDelay(ILockingPool::InvalidExitDelay {
            delay: U256::ZERO,
            maxDelay: U256::from(31_536_000u64),
        })
    );
    assert_eq!(env.view(&ILockingPool::exitDelayPeriodCall {}), DEFAULT_EXIT_DELAY);
}

#[test]
fn exit_delay_above_one_year_reverts() {
    let env = Env::new();
    for delay in [ONE_YEAR + 1, u64::MAX] {
        assert_eq!(
            env.fail(ADMIN, &ILockingPool::updateWithdrawDelayTimeValueCall { delay: U256::from(delay) }),
            ILockingPoolErrors::InvalidExitDelay(ILockingPool::InvalidExitDelay {
                delay: U256::from(delay),
                maxDelay: U256::from(31_536_000u64),
            })
        );
    }
    assert_eq!(env.view(&ILockingPool::exitDelayPeriodCall {}), DEFAULT_EXIT_DELAY);
    set_exit_delay(&env, ONE_YEAR);
    assert_eq!(env.view(&ILockingPool::exitDelayPeriodCall {}), ONE_YEAR);
}

#[test]
fn exit_delay_change_does_not_move_an_exit_already_started() {
    let env = Env::new();
    let alice = env.register(ALICE, &key(1), stake());
    let bob = env.register(BOB, &key(2), stake());
    let t0 = env.now();
    unlock(&env, ALICE, alice);
    assert_eq!(env.sequencer(alice).unlockClaimTime, t0 + DEFAULT_EXIT_DELAY);

    set_exit_delay(&env, DAY);
    env.warp(10);
    let t1 = env.now();
    unlock(&env, BOB, bob);
    assert_eq!(env.sequencer(alice).unlockClaimTime, t0 + DEFAULT_EXIT_DELAY, "started before: unchanged");
    assert_eq!(env.sequencer(bob).unlockClaimTime, t1 + DAY, "started after: new delay");

    env.warp(DAY);
    let before = env.balance(BOB);
    assert_eq!(env.send(BOB, &ILockingPool::unlockClaimCall { sequencerId: bob, l2Gas: 0 }).unwrap().value, stake());
    assert_eq!(env.balance(BOB), before + stake());
    assert_eq!(
        env.fail(ALICE, &ILockingPool::unlockClaimCall { sequencerId: alice, l2Gas: 0 }),
        ILockingPoolErrors::UnlockNotReady(ILockingPool::UnlockNotReady {
            sequencerId: alice,
            unlockClaimTime: t0 + DEFAULT_EXIT_DELAY,
            now: env.now(),
        })
    );

    env.world.set_timestamp(t0 + DEFAULT_EXIT_DELAY);
    let before = env.balance(ALICE);
    env.send(ALICE, &ILockingPool::unlockClaimCall { sequencerId: alice, l2Gas: 0 }).unwrap();
    assert_eq!(env.balance(ALICE), before + stake());
    env.assert_conserved();
}

#[test]
fn exit_delay_change_does_not_move_a_queued_withdrawal() {
    let env = Env::new();
    let alice = env.register(ALICE, &key(1), stake());
    let bob = env.register(BOB, &key(2), stake());
    let t0 = env.now();
    let alice_request = request_withdrawal(&env, ALICE, alice, metis(1_000));

    set_exit_delay(&env, DAY);
    let bob_request = request_withdrawal(&env, BOB, bob, metis(1_000));
    let request = |id, request_id: U256| {
        env.view(&ILockingPool::withdrawalRequestCall { sequencerId: id, requestId: request_id.to() })
    };
    let a = request(alice, alice_request);
    assert_eq!((a.amount, a.claimableAt), (metis(1_000), t0 + DEFAULT_EXIT_DELAY));
    let b = request(bob, bob_request);
    assert_eq!((b.amount, b.claimableAt), (metis(1_000), t0 + DAY));

    env.warp(DAY);
    let before = env.balance(BOB);
    env.send(BOB, &ILockingPool::claimWithdrawalsCall { sequencerId: bob }).unwrap();
    assert_eq!(env.balance(BOB), before + metis(1_000));
    assert_eq!(
        env.fail(ALICE, &ILockingPool::claimWithdrawalsCall { sequencerId: alice }),
        ILockingPoolErrors::NothingToClaim(ILockingPool::NothingToClaim {
            sequencerId: alice,
            nextClaimableAt: t0 + DEFAULT_EXIT_DELAY,
        })
    );
}

// ==================================================================================== signer throttle

#[test]
fn signer_update_throttle_update_emits() {
    let env = Env::new();
    let outcome = env.send(ADMIN, &ILockingPool::setSignerRotationDelayCall { delay: 3 * DAY }).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::SignerRotationDelayChanged>(),
        vec![ILockingPool::SignerRotationDelayChanged { delay: U256::from(3 * DAY) }]
    );
    assert_eq!(env.view(&ILockingPool::signerRotationDelayCall {}), 3 * DAY);
}

#[test]
fn signer_update_throttle_is_admin_only() {
    let env = Env::new();
    assert_admin_only(&env, &ILockingPool::setSignerRotationDelayCall { delay: 0 });
    assert_eq!(env.view(&ILockingPool::signerRotationDelayCall {}), DEFAULT_THROTTLE);
}

#[test]
fn signer_update_throttle_above_30_days_reverts() {
    let env = Env::new();
    for delay in [THIRTY_DAYS + 1, u64::MAX] {
        assert_eq!(
            env.fail(ADMIN, &ILockingPool::setSignerRotationDelayCall { delay }),
            ILockingPoolErrors::InvalidSignerRotationDelay(ILockingPool::InvalidSignerRotationDelay {
                delay: U256::from(delay),
                maxDelay: U256::from(2_592_000u64),
            })
        );
    }
    assert_eq!(env.view(&ILockingPool::signerRotationDelayCall {}), DEFAULT_THROTTLE);
    env.send(ADMIN, &ILockingPool::setSignerRotationDelayCall { delay: THIRTY_DAYS }).unwrap();
    assert_eq!(env.view(&ILockingPool::signerRotationDelayCall {}), THIRTY_DAYS);
}

#[test]
fn zero_signer_update_throttle_allows_immediate_rotation() {
    let (env, id) = with_sequencer();
    let registered_at = env.now();
    assert_eq!(
        env.fail(ALICE, &update_signer_call(id, &key(2))),
        ILockingPoolErrors::SignerRotationTooSoon(ILockingPool::SignerRotationTooSoon {
            sequencerId: id,
            nextAllowedAt: registered_at + DEFAULT_THROTTLE,
        })
    );

    let outcome = env.send(ADMIN, &ILockingPool::setSignerRotationDelayCall { delay: 0 }).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::SignerRotationDelayChanged>(),
        vec![ILockingPool::SignerRotationDelayChanged { delay: U256::ZERO }]
    );
    assert_eq!(env.view(&ILockingPool::signerRotationDelayCall {}), 0);
    let outcome = env.send(ALICE, &update_signer_call(id, &key(2))).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::SignerChange>(),
        vec![ILockingPool::SignerChange {
            sequencerId: id,
            nonce: U256::from(2),
            oldSigner: key(1).address(),
            newSigner: key(2).address(),
        }]
    );
    assert_eq!(env.sequencer(id).signer, key(2).address());
}

#[test]
fn raised_signer_update_throttle_delays_rotation() {
    let (env, id) = with_sequencer();
    let registered_at = env.now();
    env.send(ADMIN, &ILockingPool::setSignerRotationDelayCall { delay: 3 * DAY }).unwrap();
    env.warp(DEFAULT_THROTTLE);
    assert_eq!(
        env.fail(ALICE, &update_signer_call(id, &key(2))),
        ILockingPoolErrors::SignerRotationTooSoon(ILockingPool::SignerRotationTooSoon {
            sequencerId: id,
            nextAllowedAt: registered_at + 3 * DAY,
        })
    );
    env.world.set_timestamp(registered_at + 3 * DAY);
    env.send(ALICE, &update_signer_call(id, &key(2))).unwrap();
    assert_eq!(env.sequencer(id).signer, key(2).address());
}

// ==================================================================================== max withdrawal requests

#[test]
fn max_withdrawal_requests_update_emits() {
    let env = Env::new();
    let outcome = env.send(ADMIN, &ILockingPool::setMaxWithdrawalRequestsCall { maxRequests: 3 }).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::SetMaxWithdrawalRequests>(),
        vec![ILockingPool::SetMaxWithdrawalRequests { maxRequests: U256::from(3) }]
    );
    assert_eq!(env.view(&ILockingPool::maxWithdrawalRequestsCall {}), 3);
}

#[test]
fn max_withdrawal_requests_is_admin_only() {
    let env = Env::new();
    assert_admin_only(&env, &ILockingPool::setMaxWithdrawalRequestsCall { maxRequests: 2 });
    assert_eq!(env.view(&ILockingPool::maxWithdrawalRequestsCall {}), DEFAULT_MAX_REQUESTS);
}

#[test]
fn max_withdrawal_requests_outside_1_to_32_reverts() {
    let env = Env::new();
    for max_requests in [0, 33, u64::MAX] {
        assert_eq!(
            env.fail(ADMIN, &ILockingPool::setMaxWithdrawalRequestsCall { maxRequests: max_requests }),
            ILockingPoolErrors::InvalidMaxWithdrawalRequests(ILockingPool::InvalidMaxWithdrawalRequests {
                maxRequests: U256::from(max_requests),
                cap: U256::from(32),
            })
        );
    }
    assert_eq!(env.view(&ILockingPool::maxWithdrawalRequestsCall {}), DEFAULT_MAX_REQUESTS);
    for max_requests in [32, 1] {
        env.send(ADMIN, &ILockingPool::setMaxWithdrawalRequestsCall { maxRequests: max_requests }).unwrap();
        assert_eq!(env.view(&ILockingPool::maxWithdrawalRequestsCall {}), max_requests);
    }
}

#[test]
fn lowering_max_withdrawal_requests_blocks_new_requests_but_not_claims() {
    let (env, id) = with_sequencer();
    for _ in 0..3 {
        request_withdrawal(&env, ALICE, id, metis(1_000));
    }
    env.send(ADMIN, &ILockingPool::setMaxWithdrawalRequestsCall { maxRequests: 2 }).unwrap();

    let call = ILockingPool::requestWithdrawalCall { sequencerId: id, amount: metis(1_000) };
    assert_eq!(
        env.fail(ALICE, &call),
        ILockingPoolErrors::TooManyWithdrawalRequests(ILockingPool::TooManyWithdrawalRequests {
            sequencerId: id,
            open: U256::from(3),
            maxRequests: U256::from(2),
        })
    );
    assert_eq!(env.stake(id), metis(27_000));

    env.warp(DEFAULT_EXIT_DELAY);
    let before = env.balance(ALICE);
    let outcome = env.send(ALICE, &ILockingPool::claimWithdrawalsCall { sequencerId: id }).unwrap();
    assert_eq!(outcome.value, metis(3_000));
    assert_eq!(
        outcome.events::<ILockingPool::WithdrawalsClaimed>(),
        vec![ILockingPool::WithdrawalsClaimed {
            sequencerId: id,
            owner: ALICE,
            amount: metis(3_000),
            firstRequestId: U256::ZERO,
            count: U256::from(3),
        }]
    );
    assert_eq!(env.balance(ALICE), before + metis(3_000));

    // With the queue drained, requests are open again up to the new limit.
    assert_eq!(request_withdrawal(&env, ALICE, id, metis(1_000)), U256::from(3));
    assert_eq!(request_withdrawal(&env, ALICE, id, metis(1_000)), U256::from(4));
    assert!(matches!(env.fail(ALICE, &call), ILockingPoolErrors::TooManyWithdrawalRequests(_)));
    env.assert_conserved();
}

// ==================================================================================== reward distributor

#[test]
fn set_reward_distributor_emits_previous_and_current() {
    let env = Env::new();
    let outcome = env.send(ADMIN, &ILockingPool::setRewardDistributorCall { distributor: DISTRIBUTOR }).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::RewardDistributorChanged>(),
        vec![ILockingPool::RewardDistributorChanged { previous: Address::ZERO, current: DISTRIBUTOR }]
    );
    assert_eq!(env.view(&ILockingPool::rewardDistributorCall {}), DISTRIBUTOR);
}

#[test]
fn set_reward_distributor_to_zero_is_allowed() {
    let env = Env::new();
    env.send(ADMIN, &ILockingPool::setRewardDistributorCall { distributor: DISTRIBUTOR }).unwrap();
    let outcome = env.send(ADMIN, &ILockingPool::setRewardDistributorCall { distributor: Address::ZERO }).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::RewardDistributorChanged>(),
        vec![ILockingPool::RewardDistributorChanged { previous: DISTRIBUTOR, current: Address::ZERO }]
    );
    assert_eq!(env.view(&ILockingPool::rewardDistributorCall {}), Address::ZERO);
}

#[test]
fn set_reward_distributor_is_admin_only() {
    let env = Env::new();
    assert_admin_only(&env, &ILockingPool::setRewardDistributorCall { distributor: MALLORY });
    assert_eq!(env.view(&ILockingPool::rewardDistributorCall {}), Address::ZERO);
}

#[test]
fn reward_distributor_feeds_compounding_and_zero_disables_it() {
    let (env, id) = with_sequencer();
    let compound = ILockingPool::relockCall { sequencerId: id, amount: U256::ZERO, lockReward: true };
    assert_eq!(
        env.fail(ALICE, &compound),
        ILockingPoolErrors::NoRewardDistributor(ILockingPool::NoRewardDistributor {})
    );

    env.send(ADMIN, &ILockingPool::setRewardDistributorCall { distributor: DISTRIBUTOR }).unwrap();
    env.world.send(ADMIN, METIS_TOKEN, &IMockToken::mintCall { to: DISTRIBUTOR, value: metis(500) }).unwrap();
    let reward = IMockRewardSource::setCompoundCall { sequencerId: id, sent: metis(500), reported: metis(500) };
    env.world.send(ADMIN, DISTRIBUTOR, &reward).unwrap();
    let outcome = env.send(ALICE, &compound).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::RewardCompounded>(),
        vec![ILockingPool::RewardCompounded { sequencerId: id, amount: metis(500) }]
    );
    assert_eq!(env.stake(id), stake() + metis(500));
    assert_eq!(env.balance(DISTRIBUTOR), U256::ZERO);

    env.send(ADMIN, &ILockingPool::setRewardDistributorCall { distributor: Address::ZERO }).unwrap();
    assert_eq!(
        env.fail(ALICE, &compound),
        ILockingPoolErrors::NoRewardDistributor(ILockingPool::NoRewardDistributor {})
    );
    env.assert_conserved();
}

// ==================================================================================== pause

#[test]
fn pauser_pauses_with_paused_event() {
    let env = Env::new();
    grant(&env, PAUSER_ROLE, CAROL);
    let outcome = env.send(CAROL, &ILockingPool::pauseCall {}).unwrap();
    assert_eq!(outcome.events::<ILockingPool::Paused>(), vec![ILockingPool::Paused { account: CAROL }]);
    assert!(env.view(&ILockingPool::pausedCall {}));
}

#[test]
fn pauser_unpauses_with_unpaused_event() {
    let env = Env::new();
    grant(&env, PAUSER_ROLE, CAROL);
    pause(&env);
    let outcome = env.send(CAROL, &ILockingPool::unpauseCall {}).unwrap();
    assert_eq!(outcome.events::<ILockingPool::Unpaused>(), vec![ILockingPool::Unpaused { account: CAROL }]);
    assert!(!env.view(&ILockingPool::pausedCall {}));
}

#[test]
fn pause_requires_pauser_role() {
    let env = Env::new();
    // A pure DEFAULT_ADMIN_ROLE holder cannot pause either.
    env.send(ADMIN, &ILockingPool::revokeRoleCall { role: PAUSER_ROLE, account: ADMIN }).unwrap();
    for caller in [MALLORY, ADMIN] {
        assert_eq!(env.fail(caller, &ILockingPool::pauseCall {}), unauthorized(caller, PAUSER_ROLE));
    }
    assert!(!env.view(&ILockingPool::pausedCall {}));
}

#[test]
fn unpause_requires_pauser_role() {
    let env = Env::new();
    pause(&env);
    env.send(ADMIN, &ILockingPool::revokeRoleCall { role: PAUSER_ROLE, account: ADMIN }).unwrap();
    for caller in [MALLORY, ADMIN] {
        assert_eq!(env.fail(caller, &ILockingPool::unpauseCall {}), unauthorized(caller, PAUSER_ROLE));
    }
    assert!(env.view(&ILockingPool::pausedCall {}));
}

#[test]
fn pause_twice_reverts_enforced_pause() {
    let env = Env::new();
    pause(&env);
    assert_eq!(env.fail(ADMIN, &ILockingPool::pauseCall {}), enforced_pause());
    assert!(env.view(&ILockingPool::pausedCall {}));
}

#[test]
fn unpause_when_not_paused_reverts_expected_pause() {
    let env = Env::new();
    assert_eq!(
        env.fail(ADMIN, &ILockingPool::unpauseCall {}),
        ILockingPoolErrors::ExpectedPause(ILockingPool::ExpectedPause {})
    );
    assert!(!env.view(&ILockingPool::pausedCall {}));
}

// ---------------------------------------------------------------- what the pause blocks

#[test]
fn pause_blocks_lock_for() {
    let env = Env::new();
    assert_blocked_by_pause(&env, ALICE, &lock_call(ALICE, &key(1), stake()));
    assert_eq!(env.view(&ILockingPool::seqOwnersCall { owner: ALICE }), U256::from(1));
}

#[test]
fn pause_blocks_lock_with_reward_recipient() {
    let env = Env::new();
    let call = ILockingPool::lockWithRewardRecipientCall {
        signer: key(1).address(),
        rewardRecipient: CAROL,
        amount: stake(),
        signerProof: proof(&key(1), ALICE),
    };
    assert_blocked_by_pause(&env, ALICE, &call);
    assert_eq!(env.sequencer(U256::from(1)).rewardRecipient, CAROL);
}

#[test]
fn pause_blocks_relock() {
    let (env, id) = with_sequencer();
    assert_blocked_by_pause(
        &env,
        ALICE,
        &ILockingPool::relockCall { sequencerId: id, amount: metis(1_000), lockReward: false },
    );
    assert_eq!(env.stake(id), stake() + metis(1_000));
}

#[test]
fn pause_blocks_request_withdrawal() {
    let (env, id) = with_sequencer();
    assert_blocked_by_pause(
        &env,
        ALICE,
        &ILockingPool::requestWithdrawalCall { sequencerId: id, amount: metis(1_000) },
    );
    assert_eq!(env.stake(id), stake() - metis(1_000));
}

#[test]
fn pause_blocks_update_signer() {
    let (env, id) = with_sequencer();
    env.warp(DEFAULT_THROTTLE);
    assert_blocked_by_pause(&env, ALICE, &update_signer_call(id, &key(2)));
    assert_eq!(env.sequencer(id).signer, key(2).address());
}

// ---------------------------------------------------------------- what the pause leaves open

#[test]
fn pause_leaves_unlock_open() {
    let (env, id) = with_sequencer();
    pause(&env);
    let now = env.now();
    let outcome = env.send(ALICE, &ILockingPool::unlockCall { sequencerId: id, l2Gas: 0 }).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::UnlockInit>(),
        vec![ILockingPool::UnlockInit {
            signer: key(1).address(),
            sequencerId: id,
            nonce: U256::from(2),
            deactivationTime: now,
            unlockClaimTime: now + DEFAULT_EXIT_DELAY,
            amount: stake(),
            forced: false,
        }]
    );
    assert_eq!(env.status(id), INACTIVE);
    assert_eq!(env.view(&ILockingPool::activeSequencersCall {}), U256::ZERO);
}

#[test]
fn pause_leaves_unlock_claim_open() {
    let (env, id) = with_sequencer();
    unlock(&env, ALICE, id);
    pause(&env);
    env.warp(DEFAULT_EXIT_DELAY);
    let (alice_before, pool_before) = (env.balance(ALICE), env.balance(POOL));
    let outcome = env.send(ALICE, &ILockingPool::unlockClaimCall { sequencerId: id, l2Gas: 0 }).unwrap();
    assert_eq!(outcome.value, stake());
    assert_eq!(
        outcome.events::<ILockingPool::Unlocked>(),
        vec![ILockingPool::Unlocked { user: ALICE, sequencerId: id, amount: stake(), total: U256::ZERO }]
    );
    assert_eq!(env.balance(ALICE), alice_before + stake());
    assert_eq!(env.balance(POOL), pool_before - stake());
    assert_eq!(env.status(id), UNLOCKED);
    assert_eq!(env.view(&ILockingPool::seqOwnersCall { owner: ALICE }), U256::ZERO);
    env.assert_conserved();
}

#[test]
fn pause_leaves_claim_withdrawals_open() {
    let (env, id) = with_sequencer();
    request_withdrawal(&env, ALICE, id, metis(5_000));
    pause(&env);
    env.warp(DEFAULT_EXIT_DELAY);
    let (alice_before, pool_before) = (env.balance(ALICE), env.balance(POOL));
    let outcome = env.send(ALICE, &ILockingPool::claimWithdrawalsCall { sequencerId: id }).unwrap();
    assert_eq!(outcome.value, metis(5_000));
    assert_eq!(
        outcome.events::<ILockingPool::WithdrawalsClaimed>(),
        vec![ILockingPool::WithdrawalsClaimed {
            sequencerId: id,
            owner: ALICE,
            amount: metis(5_000),
            firstRequestId: U256::ZERO,
            count: U256::from(1),
        }]
    );
    assert_eq!(env.balance(ALICE), alice_before + metis(5_000));
    assert_eq!(env.balance(POOL), pool_before - metis(5_000));
    assert_eq!(env.total_pending(), U256::ZERO);
    env.assert_conserved();
}

#[test]
fn pause_leaves_force_unlock_open() {
    let (env, id) = with_sequencer();
    pause(&env);
    let outcome = env.send(ADMIN, &ILockingPool::forceUnlockCall { sequencerId: id, l2Gas: 0 }).unwrap();
    let init = one_event::<ILockingPool::UnlockInit, _>(&outcome);
    assert!(init.forced);
    assert_eq!(init.unlockClaimTime, env.now() + DEFAULT_EXIT_DELAY);
    assert_eq!(env.status(id), INACTIVE);
}

#[test]
fn pause_leaves_set_sequencer_reward_recipient_open() {
    let (env, id) = with_sequencer();
    pause(&env);
    let call = ILockingPool::setSequencerRewardRecipientCall { sequencerId: id, recipient: CAROL };
    let outcome = env.send(ALICE, &call).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::SequencerRewardRecipientChanged>(),
        vec![ILockingPool::SequencerRewardRecipientChanged { sequencerId: id, recipient: CAROL }]
    );
    assert_eq!(env.sequencer(id).rewardRecipient, CAROL);
}

// ==================================================================================== forceUnlock

#[test]
fn force_unlock_starts_a_forced_exit() {
    let (env, id) = with_sequencer();
    env.warp(5 * DAY);
    let now = env.now();
    let outcome = env.send(ADMIN, &ILockingPool::forceUnlockCall { sequencerId: id, l2Gas: 0 }).unwrap();
    assert_eq!(
        outcome.events::<ILockingPool::UnlockInit>(),
        vec![ILockingPool::UnlockInit {
            signer: key(1).address(),
            sequencerId: id,
            nonce: U256::from(2),
            deactivationTime: now,
            unlockClaimTime: now + DEFAULT_EXIT_DELAY,
            amount: stake(),
            forced: true,
        }]
    );
    let seq = env.sequencer(id);
    assert_eq!(
        (seq.status, seq.nonce, seq.deactivationTime, seq.unlockClaimTime),
        (INACTIVE, 2, now, now + DEFAULT_EXIT_DELAY)
    );
    assert_eq!(env.view(&ILockingPool::activeSequencersCall {}), U256::ZERO);
    assert_eq!(env.total_locked(), stake(), "the stake stays locked until claimed");

    // The owner collects after the delay.
    env.warp(DEFAULT_EXIT_DELAY);
    let before = env.balance(ALICE);
    env.send(ALICE, &ILockingPool::unlockClaimCall { sequencerId: id, l2Gas: 0 }).unwrap();
    assert_eq!(env.balance(ALICE), before + stake());
    env.assert_conserved();
}

#[test]
fn force_unlock_uses_the_current_exit_delay() {
    let (env, id) = with_sequencer();
    set_exit_delay(&env, 2 * DAY);
    let outcome = env.send(ADMIN, &ILockingPool::forceUnlockCall { sequencerId: id, l2Gas: 0 }).unwrap();
    assert_eq!(one_event::<ILockingPool::UnlockInit, _>(&outcome).unlockClaimTime, env.now() + 2 * DAY);
}

#[test]
fn force_unlock_is_admin_only() {
    let (env, id) = with_sequencer();
    // Not even the owner can force its own exit through this door.
    for caller in [MALLORY, ALICE] {
        assert_eq!(
            env.fail(caller, &ILockingPool::forceUnlockCall { sequencerId: id, l2Gas: 0 }),
            unauthorized(caller, B256::ZERO)
        );
    }
    assert_admin_only(&env, &ILockingPool::forceUnlockCall { sequencerId: id, l2Gas: 0 });
    assert_eq!(env.status(id), ACTIVE);
}

#[test]
fn force_unlock_of_unknown_sequencer_reverts_no_such_seq() {
    let (env, _) = with_sequencer();
    for id in [U256::ZERO, U256::from(2), U256::MAX] {
        assert_eq!(
            env.fail(ADMIN, &ILockingPool::forceUnlockCall { sequencerId: id, l2Gas: 0 }),
            ILockingPoolErrors::NoSuchSeq(ILockingPool::NoSuchSeq { sequencerId: id })
        );
    }
}

#[test]
fn force_unlock_of_exiting_sequencer_reverts_seq_not_active() {
    let (env, id) = with_sequencer();
    unlock(&env, ALICE, id);
    let claim_time = env.sequencer(id).unlockClaimTime;
    assert_eq!(
        env.fail(ADMIN, &ILockingPool::forceUnlockCall { sequencerId: id, l2Gas: 0 }),
        ILockingPoolErrors::SeqNotActive(ILockingPool::SeqNotActive { sequencerId: id, status: 1 })
    );
    assert_eq!(env.sequencer(id).unlockClaimTime, claim_time, "the exit is not restarted");
}

#[test]
fn force_unlock_of_paid_out_sequencer_reverts_seq_not_active() {
    let (env, id) = with_sequencer();
    unlock(&env, ALICE, id);
    env.warp(DEFAULT_EXIT_DELAY);
    env.send(ALICE, &ILockingPool::unlockClaimCall { sequencerId: id, l2Gas: 0 }).unwrap();
    assert_eq!(
        env.fail(ADMIN, &ILockingPool::forceUnlockCall { sequencerId: id, l2Gas: 0 }),
        ILockingPoolErrors::SeqNotActive(ILockingPool::SeqNotActive { sequencerId: id, status: 3 })
    );
}

// ==================================================================================== native value

/// Metis's defect 6.2.3: its payable entry points could strand ETH in the pool. Here every
/// state-changing function rejects value, in an order where each call is otherwise valid.
#[test]
fn defect_6_2_3_no_value_can_be_stranded() {
    let env = Env::bare();
    assert_rejects_value(&env, CAROL, &ILockingPool::initializeCall { admin: ADMIN, token: METIS_TOKEN, programs: programs() });

    // Admission and registration.
    for owner in [ALICE, BOB, CAROL] {
        assert_rejects_value(&env, ADMIN, &ILockingPool::setWhitelistCall { user: owner, yes: true });
        env.fund(owner, metis(200_000));
    }
    assert_rejects_value(&env, ALICE, &lock_call(ALICE, &key(1), stake()));
    assert_rejects_value(
        &env,
        BOB,
        &ILockingPool::lockWithRewardRecipientCall {
            signer: key(2).address(),
            rewardRecipient: BOB,
            amount: stake(),
            signerProof: proof(&key(2), BOB),
        },
    );
    let (alice, bob) = (U256::from(1), U256::from(2));

    // Parameters and roles.
    assert_rejects_value(&env, ADMIN, &ILockingPool::setSignerRotationDelayCall { delay: 0 });
    assert_rejects_value(&env, ADMIN, &min_lock_call(&env, metis(10_000)));
    assert_rejects_value(&env, ADMIN, &max_lock_call(&env, metis(200_000)));
    assert_rejects_value(&env, ADMIN, &ILockingPool::updateWithdrawDelayTimeValueCall { delay: U256::from(DAY) });
    assert_rejects_value(&env, ADMIN, &ILockingPool::setMaxWithdrawalRequestsCall { maxRequests: 4 });
    assert_rejects_value(&env, ADMIN, &ILockingPool::setRewardDistributorCall { distributor: DISTRIBUTOR });
    assert_rejects_value(&env, ADMIN, &ILockingPool::grantRoleCall { role: PAUSER_ROLE, account: DAVE });
    assert_rejects_value(&env, ADMIN, &ILockingPool::revokeRoleCall { role: PAUSER_ROLE, account: DAVE });
    grant(&env, PAUSER_ROLE, DAVE);
    assert_rejects_value(&env, DAVE, &ILockingPool::renounceRoleCall { role: PAUSER_ROLE, callerConfirmation: DAVE });
    assert_rejects_value(&env, ADMIN, &ILockingPool::pauseCall {});
    assert_rejects_value(&env, ADMIN, &ILockingPool::unpauseCall {});

    // Operator calls on a live sequencer.
    assert_rejects_value(
        &env,
        ALICE,
        &ILockingPool::relockCall { sequencerId: alice, amount: metis(1_000), lockReward: false },
    );
    assert_rejects_value(&env, ALICE, &ILockingPool::setSequencerOwnerCall { sequencerId: alice, newOwner: CAROL });
    assert_rejects_value(&env, CAROL, &ILockingPool::acceptSequencerOwnerCall { sequencerId: alice });
    assert_rejects_value(
        &env,
        CAROL,
        &ILockingPool::requestWithdrawalCall { sequencerId: alice, amount: metis(1_000) },
    );
    let rotate = ILockingPool::rotateSignerCall { sequencerId: alice, signer: key(3).address(), signerProof: proof(&key(3), CAROL) };
    assert_rejects_value(&env, CAROL, &rotate);
    assert_rejects_value(
        &env,
        CAROL,
        &ILockingPool::setSequencerRewardRecipientCall { sequencerId: alice, recipient: DAVE },
    );

    // Exits and claims (ALICE's sequencer now belongs to CAROL).
    assert_rejects_value(&env, CAROL, &ILockingPool::unlockCall { sequencerId: alice, l2Gas: 0 });
    assert_rejects_value(&env, ADMIN, &ILockingPool::forceUnlockCall { sequencerId: bob, l2Gas: 0 });
    env.warp(DAY);
    assert_rejects_value(&env, CAROL, &ILockingPool::claimWithdrawalsCall { sequencerId: alice });
    assert_rejects_value(&env, CAROL, &ILockingPool::unlockClaimCall { sequencerId: alice, l2Gas: 0 });
    assert_rejects_value(&env, BOB, &ILockingPool::unlockClaimCall { sequencerId: bob, l2Gas: 0 });

    // Every stake went home and the pool holds neither tokens nor native value.
    assert_eq!(env.balance(POOL), U256::ZERO);
    assert_eq!(env.world.balance(POOL), U256::ZERO);
    // CAROL took over ALICE's 31k (30k + 1k relocked): 1k withdrawn, 30k on exit.
    assert_eq!(env.balance(CAROL), metis(231_000));
    assert_eq!(env.balance(ALICE), metis(169_000));
    assert_eq!(env.balance(BOB), metis(200_000));
    env.assert_conserved();
}

// ==================================================================================== default admin rules

const ADMIN_DELAY: u64 = 3 * DAY;

fn enforced_delay(schedule: u64) -> ILockingPoolErrors {
    ILockingPoolErrors::AccessControlEnforcedDefaultAdminDelay(ILockingPool::AccessControlEnforcedDefaultAdminDelay {
        schedule: alloy_primitives::aliases::U48::from(schedule),
    })
}

fn u48(v: u64) -> alloy_primitives::aliases::U48 {
    alloy_primitives::aliases::U48::from(v)
}

#[test]
fn the_default_admin_is_one_account_never_granted_or_revoked_directly() {
    let env = Env::new();
    assert_eq!(env.view(&ILockingPool::defaultAdminCall {}), ADMIN);
    assert_eq!(env.view(&ILockingPool::ownerCall {}), ADMIN);
    assert_eq!(env.view(&ILockingPool::defaultAdminDelayCall {}), u48(ADMIN_DELAY));
    assert_eq!(env.view(&ILockingPool::defaultAdminDelayIncreaseWaitCall {}), u48(5 * DAY));
    let rules = ILockingPoolErrors::AccessControlEnforcedDefaultAdminRules(ILockingPool::AccessControlEnforcedDefaultAdminRules {});
    assert_eq!(env.fail(ADMIN, &ILockingPool::grantRoleCall { role: DEFAULT_ADMIN_ROLE, account: CAROL }), rules);
    assert_eq!(env.fail(ADMIN, &ILockingPool::revokeRoleCall { role: DEFAULT_ADMIN_ROLE, account: ADMIN }), rules);
    // Renouncing needs a matured transfer to zero: one slip cannot orphan the pool.
    let renounce = ILockingPool::renounceRoleCall { role: DEFAULT_ADMIN_ROLE, callerConfirmation: ADMIN };
    assert_eq!(env.fail(ADMIN, &renounce), enforced_delay(0));
    assert!(has_role(&env, DEFAULT_ADMIN_ROLE, ADMIN));
}

#[test]
fn the_default_admin_moves_in_two_steps_after_the_delay() {
    let env = Env::new();
    let begin = ILockingPool::beginDefaultAdminTransferCall { newAdmin: CAROL };
    assert_eq!(env.fail(MALLORY, &begin), unauthorized(MALLORY, DEFAULT_ADMIN_ROLE));
    let out = env.send(ADMIN, &begin).unwrap();
    let schedule = env.now() + ADMIN_DELAY;
    assert_eq!(
        out.events::<ILockingPool::DefaultAdminTransferScheduled>(),
        vec![ILockingPool::DefaultAdminTransferScheduled { newAdmin: CAROL, acceptSchedule: u48(schedule) }]
    );
    let pending = env.view(&ILockingPool::pendingDefaultAdminCall {});
    assert_eq!((pending.newAdmin, pending.schedule), (CAROL, u48(schedule)));

    let accept = ILockingPool::acceptDefaultAdminTransferCall {};
    assert_eq!(
        env.fail(MALLORY, &accept),
        ILockingPoolErrors::AccessControlInvalidDefaultAdmin(ILockingPool::AccessControlInvalidDefaultAdmin { defaultAdmin: MALLORY })
    );
    env.warp(ADMIN_DELAY - 1);
    assert_eq!(env.fail(CAROL, &accept), enforced_delay(schedule));
    env.warp(1);
    let out = env.send(CAROL, &accept).unwrap();
    assert_eq!(
        out.events::<ILockingPool::RoleRevoked>(),
        vec![ILockingPool::RoleRevoked { role: DEFAULT_ADMIN_ROLE, account: ADMIN, sender: CAROL }]
    );
    assert_eq!(
        out.events::<ILockingPool::RoleGranted>(),
        vec![ILockingPool::RoleGranted { role: DEFAULT_ADMIN_ROLE, account: CAROL, sender: CAROL }]
    );
    assert_eq!(env.view(&ILockingPool::defaultAdminCall {}), CAROL);
    assert!(has_role(&env, DEFAULT_ADMIN_ROLE, CAROL) && !has_role(&env, DEFAULT_ADMIN_ROLE, ADMIN));
    assert_eq!(env.fail(ADMIN, &min_lock_call(&env, metis(30_000))), unauthorized(ADMIN, DEFAULT_ADMIN_ROLE));
    env.send(CAROL, &min_lock_call(&env, metis(30_000))).unwrap();
    let pending = env.view(&ILockingPool::pendingDefaultAdminCall {});
    assert_eq!((pending.newAdmin, pending.schedule), (Address::ZERO, u48(0)));
}

#[test]
fn a_pending_transfer_can_be_cancelled_and_renouncing_takes_a_matured_transfer_to_zero() {
    let env = Env::new();
    env.send(ADMIN, &ILockingPool::beginDefaultAdminTransferCall { newAdmin: CAROL }).unwrap();
    let out = env.send(ADMIN, &ILockingPool::cancelDefaultAdminTransferCall {}).unwrap();
    assert_eq!(out.events::<ILockingPool::DefaultAdminTransferCanceled>().len(), 1);
    env.warp(ADMIN_DELAY);
    assert_eq!(
        env.fail(CAROL, &ILockingPool::acceptDefaultAdminTransferCall {}),
        ILockingPoolErrors::AccessControlInvalidDefaultAdmin(ILockingPool::AccessControlInvalidDefaultAdmin { defaultAdmin: CAROL })
    );

    env.send(ADMIN, &ILockingPool::beginDefaultAdminTransferCall { newAdmin: Address::ZERO }).unwrap();
    let schedule = env.now() + ADMIN_DELAY;
    let renounce = ILockingPool::renounceRoleCall { role: DEFAULT_ADMIN_ROLE, callerConfirmation: ADMIN };
    assert_eq!(env.fail(ADMIN, &renounce), enforced_delay(schedule));
    env.warp(ADMIN_DELAY);
    env.send(ADMIN, &renounce).unwrap();
    assert_eq!(env.view(&ILockingPool::defaultAdminCall {}), Address::ZERO);
    assert!(!has_role(&env, DEFAULT_ADMIN_ROLE, ADMIN));
}

#[test]
fn the_admin_delay_changes_only_after_a_wait() {
    let env = Env::new();
    // An increase waits min(new delay, 5 days).
    let out = env.send(ADMIN, &ILockingPool::changeDefaultAdminDelayCall { newDelay: u48(10 * DAY) }).unwrap();
    let effect = env.now() + 5 * DAY;
    assert_eq!(
        out.events::<ILockingPool::DefaultAdminDelayChangeScheduled>(),
        vec![ILockingPool::DefaultAdminDelayChangeScheduled { newDelay: u48(10 * DAY), effectSchedule: u48(effect) }]
    );
    let pending = env.view(&ILockingPool::pendingDefaultAdminDelayCall {});
    assert_eq!((pending.newDelay, pending.schedule), (u48(10 * DAY), u48(effect)));
    assert_eq!(env.view(&ILockingPool::defaultAdminDelayCall {}), u48(ADMIN_DELAY));
    env.warp(5 * DAY);
    assert_eq!(env.view(&ILockingPool::defaultAdminDelayCall {}), u48(10 * DAY));
    assert_eq!(env.view(&ILockingPool::pendingDefaultAdminDelayCall {}).schedule, u48(0));

    // A decrease waits the difference, so a cut never arrives faster than the old delay.
    env.send(ADMIN, &ILockingPool::changeDefaultAdminDelayCall { newDelay: u48(DAY) }).unwrap();
    let effect = env.now() + 9 * DAY;
    assert_eq!(env.view(&ILockingPool::pendingDefaultAdminDelayCall {}).schedule, u48(effect));
    let out = env.send(ADMIN, &ILockingPool::rollbackDefaultAdminDelayCall {}).unwrap();
    assert_eq!(out.events::<ILockingPool::DefaultAdminDelayChangeCanceled>().len(), 1);
    env.warp(9 * DAY);
    assert_eq!(env.view(&ILockingPool::defaultAdminDelayCall {}), u48(10 * DAY));
    assert_eq!(
        env.fail(MALLORY, &ILockingPool::changeDefaultAdminDelayCall { newDelay: u48(0) }),
        unauthorized(MALLORY, DEFAULT_ADMIN_ROLE)
    );
}

alloy_sol_types::sol! {
    /// What version 2 of the pool adds (the cargo feature `v2`; the demo upgrades to it).
    interface ILockingPoolV2 {
        function stakeOf(address owner) external view returns (uint256);
    }
}

/// Version 1 routes no `stakeOf`: a `#[cfg]` on a method removes its route and its ABI entry
/// with it, so the call reverts empty and the interface check never sees it.
#[cfg(not(feature = "v2"))]
#[test]
fn version_one_has_no_version_two_view() {
    let (env, _) = with_sequencer();
    let revert = env.send(ALICE, &ILockingPoolV2::stakeOfCall { owner: ALICE }).unwrap_err();
    assert!(revert.0.is_empty(), "{revert:?}");
    let abi = locking_pool::LockingPool::ABI;
    assert!(abi.iter().flat_map(|p| p.iter()).all(|f| f.name != "stakeOf"));
    assert_eq!(<locking_pool::LockingPool as dseq_program::Contract>::VERSION, env!("CARGO_PKG_VERSION"));
}

/// Version 2 (`cargo test -p locking-pool --features v2`): `stakeOf` is the stake that counts
/// for votes, and its programs answer their own build id.
#[cfg(feature = "v2")]
#[test]
fn version_two_reports_the_counting_stake() {
    let (env, id) = with_sequencer();
    let stake_of = |owner| env.view(&ILockingPoolV2::stakeOfCall { owner });
    assert_eq!((stake_of(ALICE), stake_of(BOB)), (stake(), U256::ZERO));
    unlock(&env, ALICE, id);
    assert_eq!(stake_of(ALICE), U256::ZERO, "an exit stops counting at once");
    assert!(<locking_pool::LockingPool as dseq_program::Contract>::VERSION.ends_with("-v2"));
}
