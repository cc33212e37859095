//! Pairing by mutual consent: offers either way, acceptance by the other side only, one LST per
//! sequencer, the per-LST limit, who may end a pairing, and what the pool is told.

mod common;

use alloy_primitives::{Address, U256};
use common::*;
use dseq_abi::{
    locking_pool::{ILockingPool, ILockingPool::ILockingPoolErrors},
    lst::{status, ILstRegistry, ILstRegistry::ILstRegistryErrors as E},
};

fn no_offer(seq: U256, lst: Address) -> E {
    E::NoPairingOffer(ILstRegistry::NoPairingOffer { sequencerId: seq, lst })
}

fn not_party(seq: U256, lst: Address, caller: Address) -> E {
    E::NotPairingParty(ILstRegistry::NotPairingParty { sequencerId: seq, lst, caller })
}

#[test]
fn the_operator_offers_and_the_lst_accepts() {
    let env = Env::new();
    let out = env.offer(ALICE, id(1), LST_A).unwrap();
    assert_eq!(out.events::<ILstRegistry::PairingOffered>(), vec![ILstRegistry::PairingOffered { sequencerId: id(1), lst: LST_A, by: ALICE }]);
    let p = env.pairing(id(1));
    assert_eq!((p.lst, p.offeredLst, p.offeredBy), (Address::ZERO, LST_A, ALICE));
    // The operator cannot accept its own offer, nor anyone but the LST.
    for caller in [ALICE, BOB, MALLORY] {
        assert_eq!(env.fail(caller, &ILstRegistry::acceptPairingCall { sequencerId: id(1), lst: LST_A }), no_offer(id(1), LST_A));
    }
    // Accepting another LST than the one offered.
    assert_eq!(env.fail(LST_B, &ILstRegistry::acceptPairingCall { sequencerId: id(1), lst: LST_B }), no_offer(id(1), LST_B));

    env.warp(5);
    let out = env.accept(LST_A, id(1), LST_A).unwrap();
    assert_eq!(out.events::<ILstRegistry::Paired>(), vec![ILstRegistry::Paired { sequencerId: id(1), lst: LST_A }]);
    assert_eq!(
        out.events::<ILockingPool::SequencerDelegateChanged>(),
        vec![ILockingPool::SequencerDelegateChanged { sequencerId: id(1), previous: Address::ZERO, current: LST_A }]
    );
    let p = env.pairing(id(1));
    assert_eq!((p.lst, p.pairedAt, p.offeredLst, p.offeredBy), (LST_A, env.now(), Address::ZERO, Address::ZERO));
    assert_eq!(env.info(LST_A).pairings, 1);
    let d = env.delegation(id(1));
    assert_eq!((d.owner, d.status, d.operatorStake, d.lst, d.lstStake), (ALICE, 2, metis(30_000), LST_A, U256::ZERO));
}

#[test]
fn the_lst_offers_and_the_operator_accepts() {
    let env = Env::new();
    let out = env.offer(LST_B, id(2), LST_B).unwrap();
    assert_eq!(out.events::<ILstRegistry::PairingOffered>(), vec![ILstRegistry::PairingOffered { sequencerId: id(2), lst: LST_B, by: LST_B }]);
    assert_eq!(env.fail(LST_B, &ILstRegistry::acceptPairingCall { sequencerId: id(2), lst: LST_B }), no_offer(id(2), LST_B));
    assert_eq!(env.fail(ALICE, &ILstRegistry::acceptPairingCall { sequencerId: id(2), lst: LST_B }), no_offer(id(2), LST_B));
    env.accept(BOB, id(2), LST_B).unwrap();
    assert_eq!(env.pairing(id(2)).lst, LST_B);
    assert_eq!(env.delegation(id(2)).lst, LST_B);
}

#[test]
fn only_parties_offer_and_only_to_active_lsts_and_sequencers() {
    let env = Env::new();
    // A stranger cannot offer on someone's behalf.
    assert_eq!(env.fail(MALLORY, &ILstRegistry::offerPairingCall { sequencerId: id(1), lst: LST_A }), not_party(id(1), LST_A, MALLORY));
    // An impostor is not approved.
    assert_eq!(
        env.fail(IMPOSTOR, &ILstRegistry::offerPairingCall { sequencerId: id(1), lst: IMPOSTOR }),
        E::LstNotApproved(ILstRegistry::LstNotApproved { lst: IMPOSTOR })
    );
    assert_eq!(
        env.fail(ALICE, &ILstRegistry::offerPairingCall { sequencerId: id(1), lst: IMPOSTOR }),
        E::LstNotApproved(ILstRegistry::LstNotApproved { lst: IMPOSTOR })
    );
    for s in [status::DEPOSITS_PAUSED, status::DELISTED] {
        let env = Env::new();
        env.set_status(LST_A, s);
        assert_eq!(
            env.fail(ALICE, &ILstRegistry::offerPairingCall { sequencerId: id(1), lst: LST_A }),
            E::LstNotActive(ILstRegistry::LstNotActive { lst: LST_A, status: s })
        );
    }
    // Unknown and exited sequencers.
    assert_eq!(
        env.fail(LST_A, &ILstRegistry::offerPairingCall { sequencerId: id(9), lst: LST_A }),
        E::SequencerNotActive(ILstRegistry::SequencerNotActive { sequencerId: id(9), status: 0 })
    );
    env.pool_send(BOB, &ILockingPool::unlockCall { sequencerId: id(2), l2Gas: 0 }).unwrap();
    assert_eq!(
        env.fail(BOB, &ILstRegistry::offerPairingCall { sequencerId: id(2), lst: LST_A }),
        E::SequencerNotActive(ILstRegistry::SequencerNotActive { sequencerId: id(2), status: 1 })
    );
}

#[test]
fn an_offer_lapses_when_the_lst_stops_being_active_or_the_sequencer_exits() {
    let env = Env::new();
    env.offer(ALICE, id(1), LST_A).unwrap();
    env.set_status(LST_A, status::DEPOSITS_PAUSED);
    assert_eq!(
        env.fail(LST_A, &ILstRegistry::acceptPairingCall { sequencerId: id(1), lst: LST_A }),
        E::LstNotActive(ILstRegistry::LstNotActive { lst: LST_A, status: status::DEPOSITS_PAUSED })
    );
    env.set_status(LST_A, status::ACTIVE);
    env.pool_send(ALICE, &ILockingPool::unlockCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    assert_eq!(
        env.fail(LST_A, &ILstRegistry::acceptPairingCall { sequencerId: id(1), lst: LST_A }),
        E::SequencerNotActive(ILstRegistry::SequencerNotActive { sequencerId: id(1), status: 1 })
    );
}

#[test]
fn an_operators_offer_lapses_when_the_sequencer_changes_hands() {
    let env = Env::new();
    env.offer(ALICE, id(1), LST_A).unwrap();
    env.pool_send(ADMIN, &ILockingPool::setWhitelistCall { user: CAROL, yes: true }).unwrap();
    env.pool_send(ALICE, &ILockingPool::setSequencerOwnerCall { sequencerId: id(1), newOwner: CAROL }).unwrap();
    env.pool_send(CAROL, &ILockingPool::acceptSequencerOwnerCall { sequencerId: id(1) }).unwrap();
    // Carol never agreed to Alice's offer.
    assert_eq!(env.fail(LST_A, &ILstRegistry::acceptPairingCall { sequencerId: id(1), lst: LST_A }), no_offer(id(1), LST_A));
    env.pair(CAROL, id(1), LST_A);
    assert_eq!(env.pairing(id(1)).lst, LST_A);
}

#[test]
fn a_sequencer_has_one_lst_and_an_lst_at_most_the_limit() {
    let env = Env::new();
    env.pair(ALICE, id(1), LST_A);
    assert_eq!(
        env.fail(ALICE, &ILstRegistry::offerPairingCall { sequencerId: id(1), lst: LST_B }),
        E::AlreadyPaired(ILstRegistry::AlreadyPaired { sequencerId: id(1), lst: LST_A })
    );
    assert_eq!(
        env.fail(LST_B, &ILstRegistry::offerPairingCall { sequencerId: id(1), lst: LST_B }),
        E::AlreadyPaired(ILstRegistry::AlreadyPaired { sequencerId: id(1), lst: LST_A })
    );
    env.pair(BOB, id(2), LST_A);
    assert_eq!(env.info(LST_A).pairings, MAX_PAIRINGS);
    let seq3 = env.register(CAROL, 3, metis(20_000));
    env.offer(CAROL, seq3, LST_A).unwrap();
    assert_eq!(
        env.fail(LST_A, &ILstRegistry::acceptPairingCall { sequencerId: seq3, lst: LST_A }),
        E::PairingLimitReached(ILstRegistry::PairingLimitReached { lst: LST_A, pairings: MAX_PAIRINGS, maxPairings: MAX_PAIRINGS })
    );
    // Ending one pairing frees a slot.
    env.unpair(BOB, id(2)).unwrap();
    assert_eq!(env.info(LST_A).pairings, MAX_PAIRINGS - 1);
    env.accept(LST_A, seq3, LST_A).unwrap();
    assert_eq!(env.info(LST_A).pairings, MAX_PAIRINGS);
}

#[test]
fn either_side_ends_a_pairing_and_strangers_only_when_it_lost_its_reason() {
    let env = Env::new();
    env.pair(ALICE, id(1), LST_A);
    assert_eq!(env.fail(MALLORY, &ILstRegistry::unpairCall { sequencerId: id(1) }), not_party(id(1), LST_A, MALLORY));
    let out = env.unpair(LST_A, id(1)).unwrap();
    assert_eq!(out.events::<ILstRegistry::Unpaired>(), vec![ILstRegistry::Unpaired { sequencerId: id(1), lst: LST_A, by: LST_A }]);
    assert_eq!(
        out.events::<ILockingPool::SequencerDelegateChanged>(),
        vec![ILockingPool::SequencerDelegateChanged { sequencerId: id(1), previous: LST_A, current: Address::ZERO }]
    );
    assert_eq!((env.pairing(id(1)).lst, env.delegation(id(1)).lst, env.info(LST_A).pairings), (Address::ZERO, Address::ZERO, 0));
    assert_eq!(env.fail(ALICE, &ILstRegistry::unpairCall { sequencerId: id(1) }), E::NotPaired(ILstRegistry::NotPaired { sequencerId: id(1) }));

    // The operator ends it.
    env.pair(ALICE, id(1), LST_A);
    env.unpair(ALICE, id(1)).unwrap();
    // Anyone, once the LST is delisted.
    env.pair(ALICE, id(1), LST_A);
    env.set_status(LST_A, status::DEPOSITS_PAUSED);
    assert_eq!(env.fail(MALLORY, &ILstRegistry::unpairCall { sequencerId: id(1) }), not_party(id(1), LST_A, MALLORY));
    env.set_status(LST_A, status::DELISTED);
    let out = env.unpair(MALLORY, id(1)).unwrap();
    assert_eq!(out.events::<ILstRegistry::Unpaired>(), vec![ILstRegistry::Unpaired { sequencerId: id(1), lst: LST_A, by: MALLORY }]);
    // Anyone, once the sequencer exited.
    env.pair(BOB, id(2), LST_B);
    env.pool_send(BOB, &ILockingPool::unlockCall { sequencerId: id(2), l2Gas: 0 }).unwrap();
    env.unpair(MALLORY, id(2)).unwrap();
    assert_eq!(env.info(LST_B).pairings, 0);
}

#[test]
fn a_pending_offer_is_withdrawn_by_either_side_only() {
    let env = Env::new();
    env.offer(LST_A, id(1), LST_A).unwrap();
    assert_eq!(env.fail(MALLORY, &ILstRegistry::unpairCall { sequencerId: id(1) }), not_party(id(1), LST_A, MALLORY));
    let out = env.unpair(ALICE, id(1)).unwrap();
    assert_eq!(
        out.events::<ILstRegistry::PairingOfferWithdrawn>(),
        vec![ILstRegistry::PairingOfferWithdrawn { sequencerId: id(1), lst: LST_A, by: ALICE }]
    );
    assert!(out.events::<ILockingPool::SequencerDelegateChanged>().is_empty(), "nothing to tell the pool");
    assert_eq!(env.fail(ALICE, &ILstRegistry::acceptPairingCall { sequencerId: id(1), lst: LST_A }), no_offer(id(1), LST_A));
    // A newer offer replaces an older one.
    env.offer(ALICE, id(1), LST_A).unwrap();
    env.offer(ALICE, id(1), LST_B).unwrap();
    assert_eq!(env.fail(LST_A, &ILstRegistry::acceptPairingCall { sequencerId: id(1), lst: LST_A }), no_offer(id(1), LST_A));
    env.accept(LST_B, id(1), LST_B).unwrap();
}

#[test]
fn a_registry_the_pool_does_not_name_cannot_pair() {
    let env = Env::new();
    env.pool_send(ADMIN, &ILockingPool::setLstRegistryCall { registry: Address::repeat_byte(0x99) }).unwrap();
    env.offer(ALICE, id(1), LST_A).unwrap();
    // The pool's refusal passes through unchanged, and nothing is recorded.
    assert_eq!(
        env.fail_in_pool(LST_A, &ILstRegistry::acceptPairingCall { sequencerId: id(1), lst: LST_A }),
        ILockingPoolErrors::NotLstRegistry(ILockingPool::NotLstRegistry { caller: REGISTRY })
    );
    assert_eq!((env.pairing(id(1)).lst, env.info(LST_A).pairings), (Address::ZERO, 0));
}
