//! Governance: approving LSTs (duplicates, names, caps), changing caps and statuses, the pairing
//! limit, setup, and the terms the pool mirrors.

mod common;

use alloy_primitives::{Address, B256, U256};
use common::*;
use dseq_abi::{
    locking_pool::{ILockingPool, ILockingPool::ILockingPoolErrors},
    lst::{status, ILstRegistry, ILstRegistry::ILstRegistryErrors as E, MAX_CAP, MAX_PAIRINGS_LIMIT},
};

fn name_word(name: &str) -> B256 {
    let mut word = [0u8; 32];
    word[..name.len()].copy_from_slice(name.as_bytes());
    B256::from(word)
}

#[test]
fn approval_records_the_lst_lists_it_and_opens_it_in_the_pool() {
    let env = Env::new();
    let carol_lst = Address::repeat_byte(0x5c);
    env.warp(10);
    let out = env.approve(carol_lst, "stake.link", metis(50_000));

    assert_eq!(
        Env::events_of::<ILstRegistry::LstApproved>(&out.logs, REGISTRY),
        vec![ILstRegistry::LstApproved { lst: carol_lst, name: "stake.link".into(), cap: metis(50_000) }]
    );
    assert_eq!(
        Env::events_of::<ILockingPool::LstTermsSet>(&out.logs, POOL),
        vec![ILockingPool::LstTermsSet { lst: carol_lst, cap: metis(50_000), open: true }]
    );
    let info = env.info(carol_lst);
    assert_eq!((info.status, info.cap, info.pairings, info.approvedAt), (status::ACTIVE, metis(50_000), 0, env.now()));
    assert_eq!(env.view(&ILstRegistry::lstNameCall { lst: carol_lst }), "stake.link");
    assert_eq!(env.view(&ILstRegistry::lstCountCall {}), u(3));
    let listed: Vec<Address> = (0..4).map(|i| env.view(&ILstRegistry::lstAtCall { index: u(i) })).collect();
    assert_eq!(listed, vec![LST_A, LST_B, carol_lst, Address::ZERO]);
    let account = env.account(carol_lst);
    assert_eq!((account.staked, account.cap, account.open, account.pending), (U256::ZERO, metis(50_000), true, U256::ZERO));
}

#[test]
fn an_lst_is_approved_once_and_names_are_unique() {
    let env = Env::new();
    let call = |lst, name: &str| ILstRegistry::approveLstCall { lst, name: name.into(), cap: metis(1) };
    assert_eq!(
        env.fail(GOV, &call(LST_A, "Artemis II")),
        E::LstAlreadyApproved(ILstRegistry::LstAlreadyApproved { lst: LST_A, status: status::ACTIVE })
    );
    // An impostor under a known name.
    assert_eq!(
        env.fail(GOV, &call(IMPOSTOR, "Enki")),
        E::LstNameTaken(ILstRegistry::LstNameTaken { name: name_word("Enki"), holder: LST_B })
    );
    // Delisted LSTs keep their address and their name.
    env.set_status(LST_B, status::DELISTED);
    assert_eq!(
        env.fail(GOV, &call(LST_B, "Enki 2")),
        E::LstAlreadyApproved(ILstRegistry::LstAlreadyApproved { lst: LST_B, status: status::DELISTED })
    );
    assert_eq!(
        env.fail(GOV, &call(IMPOSTOR, "Enki")),
        E::LstNameTaken(ILstRegistry::LstNameTaken { name: name_word("Enki"), holder: LST_B })
    );
    assert_eq!(env.fail(GOV, &call(Address::ZERO, "Nobody")), E::LstNotApproved(ILstRegistry::LstNotApproved { lst: Address::ZERO }));
    for bad in [String::new(), "x".repeat(33)] {
        assert_eq!(
            env.fail(GOV, &call(IMPOSTOR, &bad)),
            E::InvalidLstName(ILstRegistry::InvalidLstName { length: u(bad.len() as u64), maxLength: u(32) })
        );
    }
    let too_big = ILstRegistry::approveLstCall { lst: IMPOSTOR, name: "Big".into(), cap: MAX_CAP + U256::from(1) };
    assert_eq!(env.fail(GOV, &too_big), E::InvalidLstCap(ILstRegistry::InvalidLstCap { cap: MAX_CAP + U256::from(1), maxCap: MAX_CAP }));
    assert_eq!(env.view(&ILstRegistry::lstCountCall {}), u(2), "no failed approval was listed");
    // A name of exactly 32 bytes, and the largest cap.
    env.approve(IMPOSTOR, &"n".repeat(32), MAX_CAP);
    assert_eq!(env.view(&ILstRegistry::lstNameCall { lst: IMPOSTOR }), "n".repeat(32));
    assert_eq!(env.account(IMPOSTOR).cap, MAX_CAP);
    // Names resolve in one read: the delisted keep theirs; unknown and invalid names are zero.
    let of = |name: &str| env.view(&ILstRegistry::lstOfNameCall { name: name.into() });
    assert_eq!((of("Artemis"), of("Enki"), of(&"n".repeat(32))), (LST_A, LST_B, IMPOSTOR));
    assert_eq!((of("Nobody"), of(""), of(&"x".repeat(33)), of("artemis")), (Address::ZERO, Address::ZERO, Address::ZERO, Address::ZERO));
}

#[test]
fn only_governance_changes_the_registry() {
    let env = Env::new();
    let not_gov = |caller| E::NotGovernance(ILstRegistry::NotGovernance { caller });
    assert_eq!(env.fail(MALLORY, &ILstRegistry::approveLstCall { lst: IMPOSTOR, name: "Evil".into(), cap: metis(1) }), not_gov(MALLORY));
    assert_eq!(env.fail(ALICE, &ILstRegistry::setLstCapCall { lst: LST_A, cap: metis(1) }), not_gov(ALICE));
    assert_eq!(env.fail(LST_A, &ILstRegistry::setLstStatusCall { lst: LST_A, status: status::ACTIVE }), not_gov(LST_A));
    assert_eq!(env.fail(ADMIN, &ILstRegistry::setMaxPairingsPerLstCall { maxPairings: 5 }), not_gov(ADMIN));
    // Nobody but the registry sets terms or delegates in the pool.
    let not_registry = |caller| ILockingPoolErrors::NotLstRegistry(ILockingPool::NotLstRegistry { caller });
    assert_eq!(env.pool_fail(MALLORY, &ILockingPool::setLstTermsCall { lst: MALLORY, cap: metis(1), open: true }), not_registry(MALLORY));
    assert_eq!(env.pool_fail(ADMIN, &ILockingPool::setDelegateCall { sequencerId: id(1), lst: MALLORY }), not_registry(ADMIN));
    assert!(matches!(
        env.pool_fail(GOV, &ILockingPool::setLstRegistryCall { registry: MALLORY }),
        ILockingPoolErrors::AccessControlUnauthorizedAccount(e) if e.account == GOV
    ));
}

#[test]
fn caps_and_statuses_change_and_the_pool_follows() {
    let env = Env::new();
    let out = env.send(GOV, &ILstRegistry::setLstCapCall { lst: LST_A, cap: metis(70_000) }).unwrap();
    assert_eq!(
        out.events::<ILstRegistry::LstCapChanged>(),
        vec![ILstRegistry::LstCapChanged { lst: LST_A, previousCap: metis(200_000), cap: metis(70_000) }]
    );
    assert_eq!(env.account(LST_A).cap, metis(70_000));

    let out = env.set_status(LST_A, status::DEPOSITS_PAUSED);
    assert_eq!(
        out.events::<ILstRegistry::LstStatusChanged>(),
        vec![ILstRegistry::LstStatusChanged { lst: LST_A, previousStatus: status::ACTIVE, status: status::DEPOSITS_PAUSED }]
    );
    assert_eq!(out.events::<ILockingPool::LstTermsSet>(), vec![ILockingPool::LstTermsSet { lst: LST_A, cap: metis(70_000), open: false }]);
    // A cap change while paused keeps deposits closed.
    env.send(GOV, &ILstRegistry::setLstCapCall { lst: LST_A, cap: metis(80_000) }).unwrap();
    assert!(!env.account(LST_A).open);
    env.set_status(LST_A, status::ACTIVE);
    assert!(env.account(LST_A).open);

    env.set_status(LST_A, status::DELISTED);
    assert_eq!((env.info(LST_A).status, env.account(LST_A).open), (status::DELISTED, false));
    let delisted = E::LstIsDelisted(ILstRegistry::LstIsDelisted { lst: LST_A });
    assert_eq!(env.fail(GOV, &ILstRegistry::setLstStatusCall { lst: LST_A, status: status::ACTIVE }), delisted);
    assert_eq!(env.fail(GOV, &ILstRegistry::setLstCapCall { lst: LST_A, cap: metis(1) }), delisted);
    let unknown = E::LstNotApproved(ILstRegistry::LstNotApproved { lst: IMPOSTOR });
    assert_eq!(env.fail(GOV, &ILstRegistry::setLstStatusCall { lst: IMPOSTOR, status: status::ACTIVE }), unknown);
    assert_eq!(env.fail(GOV, &ILstRegistry::setLstCapCall { lst: IMPOSTOR, cap: metis(1) }), unknown);
    for bad in [0u8, 4] {
        assert_eq!(env.fail(GOV, &ILstRegistry::setLstStatusCall { lst: LST_B, status: bad }), E::InvalidLstStatus(ILstRegistry::InvalidLstStatus { status: bad }));
    }
    assert_eq!(
        env.fail(GOV, &ILstRegistry::setLstCapCall { lst: LST_B, cap: MAX_CAP + U256::from(1) }),
        E::InvalidLstCap(ILstRegistry::InvalidLstCap { cap: MAX_CAP + U256::from(1), maxCap: MAX_CAP })
    );
}

#[test]
fn the_pairing_limit_is_set_by_governance_within_bounds() {
    let env = Env::new();
    assert_eq!(env.view(&ILstRegistry::maxPairingsPerLstCall {}), MAX_PAIRINGS);
    let out = env.send(GOV, &ILstRegistry::setMaxPairingsPerLstCall { maxPairings: 7 }).unwrap();
    assert_eq!(out.events::<ILstRegistry::MaxPairingsChanged>(), vec![ILstRegistry::MaxPairingsChanged { previous: MAX_PAIRINGS, maxPairings: 7 }]);
    for bad in [0, MAX_PAIRINGS_LIMIT + 1] {
        assert_eq!(
            env.fail(GOV, &ILstRegistry::setMaxPairingsPerLstCall { maxPairings: bad }),
            E::InvalidMaxPairings(ILstRegistry::InvalidMaxPairings { maxPairings: bad, limit: MAX_PAIRINGS_LIMIT })
        );
    }
    assert_eq!(env.view(&ILstRegistry::maxPairingsPerLstCall {}), 7);
}

#[test]
fn initialize_runs_once_with_valid_addresses() {
    let env = Env::bare();
    let init = |governance, pool, max| ILstRegistry::initializeCall { governance, pool, maxPairingsPerLst: max };
    assert_eq!(
        env.fail(MALLORY, &init(Address::ZERO, POOL, 4)),
        E::InvalidSetup(ILstRegistry::InvalidSetup { governance: Address::ZERO, pool: POOL })
    );
    assert_eq!(
        env.fail(MALLORY, &init(GOV, POOL, 0)),
        E::InvalidMaxPairings(ILstRegistry::InvalidMaxPairings { maxPairings: 0, limit: MAX_PAIRINGS_LIMIT })
    );
    let out = env.send(MALLORY, &init(GOV, POOL, 4)).unwrap();
    assert_eq!(out.events::<ILstRegistry::Initialized>(), vec![ILstRegistry::Initialized { version: 1 }]);
    assert_eq!((env.view(&ILstRegistry::governanceCall {}), env.view(&ILstRegistry::poolCall {})), (GOV, POOL));
    assert_eq!(env.fail(GOV, &init(GOV, POOL, 4)), E::InvalidInitialization(ILstRegistry::InvalidInitialization {}));
}

#[test]
fn storage_layout_matches_the_committed_file() {
    let committed = include_str!("../storage-layout.txt");
    if lst_registry::STORAGE_LAYOUT != committed {
        panic!(
            "the registry's storage layout changed. It lives behind a proxy, so fields may only be \
             appended; if that is what changed, write this into contracts/lst-registry/storage-layout.txt:\n{}",
            lst_registry::STORAGE_LAYOUT
        );
    }
}
