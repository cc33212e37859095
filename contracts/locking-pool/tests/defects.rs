//! One test per defect of Metis's contracts that locking-pool fixes, named after its entry in
//! `reference/metis-locking-pool.md` section 6 (and the audit findings it cites). Defects that
//! belong to reward batches (6.2-6, -7, -8) are the reward distributor's and are tested there;
//! 6.2-3 (stranded ETH) is in `governance.rs` next to the other payable checks.

mod common;

use alloy_primitives::{Address, Bytes, U256};
use common::*;
use dseq_abi::locking_pool::{ILockingPool, ILockingPool::ILockingPoolErrors as E};
use stylus_world::keys::Key;

fn id(n: u64) -> U256 {
    U256::from(n)
}

/// 6.2-1: Metis's `forceUnlock` reverted `NoRewardRecipient` when no recipient was set, so
/// governance could not eject such a sequencer. Here a recipient is set at registration (zero is
/// refused) and a forced exit never reads it.
#[test]
fn defect_6_2_1_forced_unlock_never_needs_a_reward_recipient() {
    let env = Env::new();
    let key = Key::from_seed(1);
    let no_recipient = ILockingPool::lockWithRewardRecipientCall {
        signer: key.address(),
        rewardRecipient: Address::ZERO,
        amount: metis(20_000),
        signerProof: proof(&key, ALICE),
    };
    assert_eq!(env.fail(ALICE, &no_recipient), E::NullAddress(ILockingPool::NullAddress {}));

    env.register(ALICE, &key, metis(20_000));
    let out = env.send(ADMIN, &ILockingPool::forceUnlockCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    let init = &out.events::<ILockingPool::UnlockInit>()[0];
    assert!(init.forced);
    assert_eq!(env.status(id(1)), INACTIVE);
}

/// 6.2-2: de-whitelisting an owner froze their principal in Metis (every owner action needed the
/// whitelist). A revoked owner here can still leave: request and claim withdrawals, unlock and
/// claim the exit. Adding stake does need admission.
#[test]
fn defect_6_2_2_a_revoked_owner_can_still_exit_and_claim() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(50_000));
    env.send(ADMIN, &ILockingPool::setWhitelistCall { user: ALICE, yes: false }).unwrap();

    assert_eq!(
        env.fail(ALICE, &ILockingPool::relockCall { sequencerId: id(1), amount: metis(1), lockReward: false }),
        E::NotWhitelisted(ILockingPool::NotWhitelisted { account: ALICE })
    );
    env.send(ALICE, &ILockingPool::requestWithdrawalCall { sequencerId: id(1), amount: metis(10_000) }).unwrap();
    env.send(ALICE, &ILockingPool::unlockCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    env.warp(21 * DAY);
    let before = env.balance(ALICE);
    env.send(ALICE, &ILockingPool::claimWithdrawalsCall { sequencerId: id(1) }).unwrap();
    env.send(ALICE, &ILockingPool::unlockClaimCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    assert_eq!(env.balance(ALICE), before + metis(50_000));
    assert_eq!(env.balance(POOL), U256::ZERO);
}

/// 6.2-4: Metis's partial `withdraw` paid at once (stake could leave faster than any
/// offboarding) and over-withdrawing panicked with 0x11. Here the amount waits the full exit
/// delay, and asking for more than the stake is a named error.
#[test]
fn defect_6_2_4_partial_withdrawal_waits_the_exit_delay_and_over_withdrawal_is_a_named_error() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(50_000));
    let before = env.balance(ALICE);
    env.send(ALICE, &ILockingPool::requestWithdrawalCall { sequencerId: id(1), amount: metis(30_000) }).unwrap();
    assert_eq!(env.balance(ALICE), before, "nothing is paid at request time");
    assert!(matches!(
        env.fail(ALICE, &ILockingPool::claimWithdrawalsCall { sequencerId: id(1) }),
        E::NothingToClaim(_)
    ));
    assert_eq!(
        env.fail(ALICE, &ILockingPool::requestWithdrawalCall { sequencerId: id(1), amount: U256::MAX }),
        E::WithdrawalExceedsStake(ILockingPool::WithdrawalExceedsStake { amount: U256::MAX, stake: metis(20_000) })
    );
    env.warp(21 * DAY);
    env.send(ALICE, &ILockingPool::claimWithdrawalsCall { sequencerId: id(1) }).unwrap();
    assert_eq!(env.balance(ALICE), before + metis(30_000));
}

/// 6.2-5: one field throttled both `withdraw` and `updateSigner` in Metis. Here withdrawals are
/// bounded by the open-request cap and the delay, and the signer throttle counts only signer
/// rotations: a withdrawal or relock does not delay a rotation, nor does a rotation block them.
#[test]
fn defect_6_2_5_withdrawals_and_signer_rotation_are_throttled_independently() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(50_000));
    env.warp(DAY);
    env.send(ALICE, &ILockingPool::requestWithdrawalCall { sequencerId: id(1), amount: metis(1) }).unwrap();
    env.send(ALICE, &ILockingPool::relockCall { sequencerId: id(1), amount: metis(1), lockReward: false }).unwrap();
    let key = Key::from_seed(2);
    let rotate = ILockingPool::rotateSignerCall {
        sequencerId: id(1),
        signer: key.address(),
        signerProof: proof(&key, ALICE),
    };
    env.send(ALICE, &rotate).unwrap();
    env.send(ALICE, &ILockingPool::requestWithdrawalCall { sequencerId: id(1), amount: metis(1) }).unwrap();
    assert_eq!(env.sequencer(id(1)).signer, key.address());
}

/// 6.2-6 (the part that lives here): after a rotation Metis mapped the old signer to an
/// invalid id, so reward batches naming it stalled. Here an old signer keeps resolving to its
/// sequencer for attribution, yet can never be registered again.
#[test]
fn defect_6_2_6_an_old_signer_still_resolves_to_its_sequencer() {
    let env = Env::new();
    let old = Key::from_seed(1);
    env.register(ALICE, &old, metis(20_000));
    env.warp(DAY);
    let new = Key::from_seed(2);
    env.send(
        ALICE,
        &ILockingPool::rotateSignerCall {
            sequencerId: id(1),
            signer: new.address(),
            signerProof: proof(&new, ALICE),
        },
    )
    .unwrap();
    assert_eq!(env.view(&ILockingPool::seqSignersCall { signer: old.address() }), id(1));
    assert_eq!(
        env.fail(BOB, &lock_call(BOB, &old, metis(20_000))),
        E::SignerExisted(ILockingPool::SignerExisted { signer: old.address() })
    );
}

/// 6.2-9: Metis accepted `setMinLock` above `maxLock` (blocking every lock), zero addresses and
/// unvalidated initializers. Every parameter is validated both ways here.
#[test]
fn defect_6_2_9_parameters_are_validated_both_ways() {
    let env = Env::new();
    assert_eq!(
        env.fail(ADMIN, &min_lock_call(&env, metis(100_001))),
        E::InvalidLockBounds(ILockingPool::InvalidLockBounds { minLock: metis(100_001), maxLock: metis(100_000) })
    );
    assert_eq!(
        env.fail(ADMIN, &max_lock_call(&env, metis(19_999))),
        E::InvalidLockBounds(ILockingPool::InvalidLockBounds { minLock: metis(20_000), maxLock: metis(19_999) })
    );
    assert!(matches!(env.fail(ADMIN, &ILockingPool::updateWithdrawDelayTimeValueCall { delay: U256::from(0) }), E::InvalidExitDelay(_)));
    assert_eq!(env.fail(ADMIN, &ILockingPool::setWhitelistCall { user: Address::ZERO, yes: true }), E::NullAddress(ILockingPool::NullAddress {}));
    assert_eq!(
        env.fail(ADMIN, &ILockingPool::initializeCall { admin: ADMIN, token: METIS_TOKEN, programs: programs() }),
        E::InvalidInitialization(ILockingPool::InvalidInitialization {})
    );
}

/// 6.2-10: only the signer key could rotate the signer in Metis, so a lost key forced an exit.
/// The owner can rotate it here (still throttled).
#[test]
fn defect_6_2_10_the_owner_rotates_a_lost_signer() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(20_000));
    env.warp(DAY);
    let replacement = Key::from_seed(2);
    let out = env
        .send(
            ALICE,
            &ILockingPool::rotateSignerCall {
                sequencerId: id(1),
                signer: replacement.address(),
                signerProof: env.signature_proof(&replacement, ALICE),
            },
        )
        .unwrap();
    assert_eq!(out.events::<ILockingPool::SignerChange>()[0].newSigner, replacement.address());
    assert_eq!(env.sequencer(id(1)).signer, replacement.address());
}

/// 6.2-12: Metis's `UnlockInit.user` was the signer and `.amount` the reward; `Relocked.total`
/// is the pool total. Here `UnlockInit` carries the principal that is exiting and says whether
/// it was forced; `Relocked.total` stays the pool total, as documented in the interface.
#[test]
fn defect_6_2_12_unlock_event_reports_the_exiting_principal() {
    let env = Env::new();
    let key = Key::from_seed(1);
    env.register(ALICE, &key, metis(42_000));
    let out = env.send(ALICE, &ILockingPool::unlockCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    let init = &out.events::<ILockingPool::UnlockInit>()[0];
    assert_eq!((init.signer, init.amount, init.forced), (key.address(), metis(42_000), false));
}

/// 6.2-14: mainnet's `setSequencerOwner` let an owner hand the sequencer to a non-whitelisted
/// address, or to one already owning a sequencer (overwriting its mapping). Here the new owner
/// must be admitted, own nothing, and accept.
#[test]
fn defect_6_2_14_owner_transfer_needs_an_admitted_owner_without_a_sequencer() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(20_000));
    env.register(BOB, &Key::from_seed(2), metis(20_000));
    assert_eq!(
        env.fail(ALICE, &ILockingPool::setSequencerOwnerCall { sequencerId: id(1), newOwner: CAROL }),
        E::NotWhitelisted(ILockingPool::NotWhitelisted { account: CAROL })
    );
    assert_eq!(
        env.fail(ALICE, &ILockingPool::setSequencerOwnerCall { sequencerId: id(1), newOwner: BOB }),
        E::OwnedSequencer(ILockingPool::OwnedSequencer { owner: BOB, sequencerId: id(2) })
    );
    // Eligibility is checked again at acceptance.
    env.admit(CAROL);
    env.send(ALICE, &ILockingPool::setSequencerOwnerCall { sequencerId: id(1), newOwner: CAROL }).unwrap();
    env.send(ADMIN, &ILockingPool::setWhitelistCall { user: CAROL, yes: false }).unwrap();
    assert_eq!(
        env.fail(CAROL, &ILockingPool::acceptSequencerOwnerCall { sequencerId: id(1) }),
        E::NotWhitelisted(ILockingPool::NotWhitelisted { account: CAROL })
    );
    assert_eq!(env.view(&ILockingPool::seqOwnersCall { owner: BOB }), id(2), "nothing was overwritten");
}

/// Pre-rewrite defect (6.1): `unlockClaim` cleared the signer before invalidating it, so the
/// old signer was never burned. After an exit here the signer is burned for good.
#[test]
fn pre_rewrite_defect_an_exited_signer_is_burned() {
    let env = Env::new();
    let key = Key::from_seed(1);
    env.register(ALICE, &key, metis(20_000));
    env.send(ALICE, &ILockingPool::unlockCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    env.warp(21 * DAY);
    env.send(ALICE, &ILockingPool::unlockClaimCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    assert_eq!(
        env.fail(BOB, &lock_call(BOB, &key, metis(20_000))),
        E::SignerExisted(ILockingPool::SignerExisted { signer: key.address() })
    );
}

/// Trust Security TRST-M-4 / TRST-R-4: anyone could call Metis-facing relock paths, front-run a
/// controller's batch into `"No new locked added"` and bump the nonce themis orders by. Only the
/// owner relocks here, so a stranger cannot touch the stake or the nonce.
#[test]
fn trst_m4_r4_only_the_owner_relocks_or_moves_the_nonce() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(20_000));
    env.fund(MALLORY, metis(10));
    assert_eq!(
        env.fail(MALLORY, &ILockingPool::relockCall { sequencerId: id(1), amount: metis(1), lockReward: false }),
        E::NotSeqOwner(ILockingPool::NotSeqOwner { sequencerId: id(1), caller: MALLORY })
    );
    assert_eq!(env.sequencer(id(1)).nonce, 1);
}

/// Trust Security TRST-L-3: lowering `maxLock` stranded LST deposits above it. Here a stake above
/// a lowered maximum can still be withdrawn in part and exited in full.
#[test]
fn trst_l3_lowering_max_lock_strands_nothing() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(90_000));
    env.send(ADMIN, &max_lock_call(&env, metis(50_000))).unwrap();
    assert!(matches!(
        env.fail(ALICE, &ILockingPool::relockCall { sequencerId: id(1), amount: metis(1), lockReward: false }),
        E::LockAboveMax(_)
    ));
    env.send(ALICE, &ILockingPool::requestWithdrawalCall { sequencerId: id(1), amount: metis(60_000) }).unwrap();
    env.send(ALICE, &ILockingPool::unlockCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    env.warp(21 * DAY);
    let before = env.balance(ALICE);
    env.send(ALICE, &ILockingPool::claimWithdrawalsCall { sequencerId: id(1) }).unwrap();
    env.send(ALICE, &ILockingPool::unlockClaimCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    assert_eq!(env.balance(ALICE), before + metis(90_000));
}

/// Signer squatting (Metis accepts the 64-byte public key as proof). A public key is public as
/// soon as its key has signed one transaction, and a signer is never reused, so with the public
/// key alone an admitted owner could register, or rotate onto, another operator's signer and burn
/// it for its real owner. Only the signer key's EIP-712 signature for the owner is accepted.
#[test]
fn a_public_key_is_not_a_signer_proof_so_nobody_can_squat_a_signer() {
    let env = Env::new();
    let victim = Key::from_seed(1);
    let pubkey = Bytes::copy_from_slice(&victim.pubkey());
    let refused = E::PublicKeyProofRefused(ILockingPool::PublicKeyProofRefused { signer: victim.address() });

    // BOB registers with the victim's public key: refused, nothing registered.
    let squat = ILockingPool::lockForCall { signer: victim.address(), amount: metis(20_000), signerProof: pubkey.clone() };
    assert_eq!(env.fail(BOB, &squat), refused);
    assert_eq!(env.view(&ILockingPool::seqSignersCall { signer: victim.address() }), U256::ZERO);

    // A signature ALICE got from the key is hers only.
    let squat = ILockingPool::lockForCall { signer: victim.address(), amount: metis(20_000), signerProof: proof(&victim, ALICE) };
    assert_eq!(env.fail(BOB, &squat), E::InvalidSignerProof(ILockingPool::InvalidSignerProof { signer: victim.address() }));

    // BOB, with a sequencer of his own, rotates onto it: refused too.
    env.register(BOB, &Key::from_seed(2), metis(20_000));
    env.warp(2 * DAY);
    let rotate = ILockingPool::rotateSignerCall { sequencerId: id(1), signer: victim.address(), signerProof: pubkey };
    assert_eq!(env.fail(BOB, &rotate), refused);

    // The key's real operator registers it.
    env.send(ALICE, &lock_call(ALICE, &victim, metis(20_000))).unwrap();
    assert_eq!(env.view(&ILockingPool::seqSignersCall { signer: victim.address() }), id(2));
}
