//! What a sequencer operator does: register, relock and compound, withdraw part of the stake,
//! exit, rotate the signer, change the reward recipient and the owner. Each test checks the
//! exact state, events, errors and token balances.

mod common;

use alloy_primitives::{Bytes, U256};
use alloy_sol_types::SolError;
use common::*;
use dseq_abi::locking_pool::{ILockingPool, ILockingPool::ILockingPoolErrors as E};
use stylus_world::{
    keys::Key,
    mocks::{IMockRewardSource, IMockToken},
};

fn id(n: u64) -> U256 {
    U256::from(n)
}

// ============================================================================ registration

#[test]
fn lock_for_registers_with_a_signature_proof_pulls_tokens_and_emits_events() {
    let env = Env::new();
    let key = Key::from_seed(1);
    let before = env.balance(ALICE);

    let out = env.send(ALICE, &lock_call(ALICE, &key, metis(30_000))).unwrap();

    assert_eq!(out.value, id(1), "ids start at 1");
    assert_eq!(env.balance(ALICE), before - metis(30_000));
    assert_eq!(env.balance(POOL), metis(30_000));
    let seq = env.sequencer(id(1));
    assert_eq!(seq.amount, metis(30_000));
    assert_eq!(seq.owner, ALICE);
    assert_eq!(seq.signer, key.address());
    assert_eq!(seq.rewardRecipient, ALICE, "lockFor pays rewards to the owner");
    assert_eq!((seq.status, seq.nonce), (ACTIVE, 1));
    assert_eq!((seq.activationTime, seq.signerUpdatedAt), (env.now(), env.now()));
    assert_eq!((seq.deactivationTime, seq.unlockClaimTime), (0, 0));
    assert_eq!(env.view(&ILockingPool::seqOwnersCall { owner: ALICE }), id(1));
    assert_eq!(env.view(&ILockingPool::seqSignersCall { signer: key.address() }), id(1));
    assert_eq!(env.view(&ILockingPool::totalSequencersCall {}), id(1));
    assert_eq!(env.view(&ILockingPool::activeSequencersCall {}), id(1));
    assert_eq!(env.total_locked(), metis(30_000));

    assert_eq!(
        out.events::<ILockingPool::Locked>(),
        vec![ILockingPool::Locked {
            signer: key.address(),
            sequencerId: id(1),
            owner: ALICE,
            amount: metis(30_000),
            total: metis(30_000)
        }]
    );
    assert_eq!(
        out.events::<ILockingPool::SequencerOwnerChanged>(),
        vec![ILockingPool::SequencerOwnerChanged { sequencerId: id(1), owner: ALICE }]
    );
    assert_eq!(
        out.events::<ILockingPool::SequencerRewardRecipientChanged>(),
        vec![ILockingPool::SequencerRewardRecipientChanged { sequencerId: id(1), recipient: ALICE }]
    );
    assert_eq!(out.events::<IMockToken::Transfer>().len(), 1, "one token transfer");
    env.assert_conserved();
}

#[test]
fn lock_with_reward_recipient_and_signature_proof() {
    let env = Env::new();
    let key = Key::from_seed(2);
    let proof = env.signature_proof(&key, ALICE);
    let out = env
        .send(
            ALICE,
            &ILockingPool::lockWithRewardRecipientCall {
                signer: key.address(),
                rewardRecipient: CAROL,
                amount: metis(20_000),
                signerProof: proof,
            },
        )
        .unwrap();
    assert_eq!(out.value, id(1));
    assert_eq!(env.sequencer(id(1)).rewardRecipient, CAROL);
    assert_eq!(env.sequencer(id(1)).signer, key.address());
}

#[test]
fn ids_are_sequential_and_one_live_sequencer_per_owner() {
    let env = Env::new();
    assert_eq!(env.register(ALICE, &Key::from_seed(1), metis(20_000)), id(1));
    assert_eq!(env.register(BOB, &Key::from_seed(2), metis(20_000)), id(2));
    assert_eq!(
        env.fail(ALICE, &lock_call(ALICE, &Key::from_seed(3), metis(20_000))),
        E::OwnedSequencer(ILockingPool::OwnedSequencer { owner: ALICE, sequencerId: id(1) })
    );
}

#[test]
fn lock_amount_bounds_are_inclusive() {
    let env = Env::new();
    assert_eq!(
        env.fail(ALICE, &lock_call(ALICE, &Key::from_seed(1), metis(20_000) - U256::from(1))),
        E::InvalidLockAmount(ILockingPool::InvalidLockAmount {
            amount: metis(20_000) - U256::from(1),
            minLock: metis(20_000),
            maxLock: metis(100_000)
        })
    );
    assert_eq!(
        env.fail(ALICE, &lock_call(ALICE, &Key::from_seed(1), metis(100_000) + U256::from(1))),
        E::InvalidLockAmount(ILockingPool::InvalidLockAmount {
            amount: metis(100_000) + U256::from(1),
            minLock: metis(20_000),
            maxLock: metis(100_000)
        })
    );
    assert_eq!(env.register(ALICE, &Key::from_seed(1), metis(20_000)), id(1));
    assert_eq!(env.register(BOB, &Key::from_seed(2), metis(100_000)), id(2));
}

#[test]
fn only_admitted_owners_register() {
    let env = Env::new();
    env.fund(CAROL, metis(50_000));
    assert_eq!(
        env.fail(CAROL, &lock_call(CAROL, &Key::from_seed(1), metis(20_000))),
        E::NotWhitelisted(ILockingPool::NotWhitelisted { account: CAROL })
    );
    assert_eq!(env.balance(CAROL), metis(50_000), "nothing moved");
}

#[test]
fn a_signer_is_never_reusable() {
    let env = Env::new();
    let key = Key::from_seed(1);
    env.register(ALICE, &key, metis(20_000));
    assert_eq!(
        env.fail(BOB, &lock_call(BOB, &key, metis(20_000))),
        E::SignerExisted(ILockingPool::SignerExisted { signer: key.address() })
    );
}

#[test]
fn signer_proof_must_match_the_signer() {
    let env = Env::new();
    let key = Key::from_seed(1);
    let other = Key::from_seed(2);

    // The digest computed off-chain is the pool's own.
    let digest = env.view(&ILockingPool::signerProofDigestCall { owner: ALICE });
    assert_eq!(proof(&key, ALICE), Bytes::copy_from_slice(&key.sign(digest)));

    // A signature by another key.
    let wrong_signer = ILockingPool::lockForCall {
        signer: key.address(),
        amount: metis(20_000),
        signerProof: env.signature_proof(&other, ALICE),
    };
    assert_eq!(
        env.fail(ALICE, &wrong_signer),
        E::InvalidSignerProof(ILockingPool::InvalidSignerProof { signer: key.address() })
    );

    // A proof of any other length.
    let short = ILockingPool::lockForCall {
        signer: key.address(),
        amount: metis(20_000),
        signerProof: Bytes::copy_from_slice(&[1u8; 63]),
    };
    assert_eq!(
        env.fail(ALICE, &short),
        E::InvalidProofLength(ILockingPool::InvalidProofLength { length: U256::from(63) })
    );

    // The zero signer.
    let zero = ILockingPool::lockForCall {
        signer: alloy_primitives::Address::ZERO,
        amount: metis(20_000),
        signerProof: proof(&key, ALICE),
    };
    assert_eq!(env.fail(ALICE, &zero), E::NullAddress(ILockingPool::NullAddress {}));
}

#[test]
fn a_signature_proof_is_bound_to_its_owner_and_rejects_malleable_forms() {
    let env = Env::new();
    let key = Key::from_seed(1);
    // BOB replays the signature ALICE obtained from the signer key.
    let alices_proof = env.signature_proof(&key, ALICE);
    let replay = ILockingPool::lockForCall { signer: key.address(), amount: metis(20_000), signerProof: alices_proof.clone() };
    assert_eq!(
        env.fail(BOB, &replay),
        E::InvalidSignerProof(ILockingPool::InvalidSignerProof { signer: key.address() })
    );

    // The high-s twin of a valid signature.
    let order = U256::from_str_radix("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16).unwrap();
    let mut twin = alices_proof.to_vec();
    let s = U256::from_be_slice(&twin[32..64]);
    twin[32..64].copy_from_slice(&(order - s).to_be_bytes::<32>());
    twin[64] = if twin[64] == 27 { 28 } else { 27 };
    let malleable = ILockingPool::lockForCall { signer: key.address(), amount: metis(20_000), signerProof: twin.into() };
    assert!(matches!(env.fail(ALICE, &malleable), E::ECDSAInvalidSignatureS(_)));

    // The genuine proof works for ALICE.
    env.send(ALICE, &replay).unwrap();
}

#[test]
fn registration_fails_cleanly_without_allowance() {
    let env = Env::new();
    env.world.send(ALICE, METIS_TOKEN, &IMockToken::approveCall { spender: POOL, value: U256::ZERO }).unwrap();
    let before = env.balance(ALICE);
    match env.fail(ALICE, &lock_call(ALICE, &Key::from_seed(1), metis(20_000))) {
        E::TokenCallFailed(e) => {
            assert_eq!(e.token, METIS_TOKEN);
            assert_eq!(&e.reason[..4], &IMockToken::ERC20InsufficientAllowance::SELECTOR, "the token's reason is kept");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(env.balance(ALICE), before);
    assert_eq!(env.view(&ILockingPool::totalSequencersCall {}), U256::ZERO, "no state survives the revert");
    assert_eq!(env.view(&ILockingPool::seqOwnersCall { owner: ALICE }), U256::ZERO);
}

#[test]
fn token_failure_modes_are_named_errors_and_no_return_data_is_accepted() {
    let env = Env::new();
    // A token returning false.
    env.world.send(ADMIN, METIS_TOKEN, &IMockToken::setModeCall { mode: 1 }).unwrap();
    assert!(matches!(
        env.fail(ALICE, &lock_call(ALICE, &Key::from_seed(1), metis(20_000))),
        E::TokenCallFailed(e) if e.token == METIS_TOKEN && e.reason[..] == alloy_sol_types::SolValue::abi_encode(&false)[..]
    ));
    // A token reverting.
    env.world.send(ADMIN, METIS_TOKEN, &IMockToken::setModeCall { mode: 3 }).unwrap();
    assert!(matches!(
        env.fail(ALICE, &lock_call(ALICE, &Key::from_seed(1), metis(20_000))),
        E::TokenCallFailed(e) if e.reason[..] == b"MockToken: forced revert"[..]
    ));
    // A token returning nothing (pre-standard, like USDT) is accepted.
    env.world.send(ADMIN, METIS_TOKEN, &IMockToken::setModeCall { mode: 2 }).unwrap();
    assert_eq!(env.register(ALICE, &Key::from_seed(1), metis(20_000)), id(1));
    assert_eq!(env.balance(POOL), metis(20_000));
}

// ============================================================================ relock

#[test]
fn relock_adds_stake_bumps_nonce_and_emits() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(30_000));
    let out = env.send(ALICE, &ILockingPool::relockCall { sequencerId: id(1), amount: metis(10_000), lockReward: false }).unwrap();
    assert_eq!(env.stake(id(1)), metis(40_000));
    assert_eq!(env.sequencer(id(1)).nonce, 2);
    assert_eq!(env.total_locked(), metis(40_000));
    assert_eq!(
        out.events::<ILockingPool::Relocked>(),
        vec![ILockingPool::Relocked { sequencerId: id(1), amount: metis(10_000), total: metis(40_000) }]
    );
    assert_eq!(
        out.events::<ILockingPool::LockUpdate>(),
        vec![ILockingPool::LockUpdate { sequencerId: id(1), nonce: U256::from(2), newAmount: metis(40_000) }]
    );
    assert!(out.events::<ILockingPool::RewardCompounded>().is_empty());
    env.assert_conserved();
}

#[test]
fn relock_up_to_max_and_not_beyond() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(30_000));
    assert_eq!(
        env.fail(ALICE, &ILockingPool::relockCall { sequencerId: id(1), amount: metis(70_001), lockReward: false }),
        E::LockAboveMax(ILockingPool::LockAboveMax { newAmount: metis(100_001), maxLock: metis(100_000) })
    );
    env.send(ALICE, &ILockingPool::relockCall { sequencerId: id(1), amount: metis(70_000), lockReward: false }).unwrap();
    assert_eq!(env.stake(id(1)), metis(100_000));
}

#[test]
fn relock_of_nothing_is_a_named_error() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(30_000));
    assert_eq!(
        env.fail(ALICE, &ILockingPool::relockCall { sequencerId: id(1), amount: U256::ZERO, lockReward: false }),
        E::NoNewLockedAdded(ILockingPool::NoNewLockedAdded {})
    );
}

#[test]
fn relock_checks_status_then_owner() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(30_000));
    let call = ILockingPool::relockCall { sequencerId: id(1), amount: metis(1), lockReward: false };
    assert_eq!(env.fail(BOB, &call), E::NotSeqOwner(ILockingPool::NotSeqOwner { sequencerId: id(1), caller: BOB }));
    assert_eq!(
        env.fail(ALICE, &ILockingPool::relockCall { sequencerId: id(9), amount: metis(1), lockReward: false }),
        E::NoSuchSeq(ILockingPool::NoSuchSeq { sequencerId: id(9) })
    );
    env.send(ALICE, &ILockingPool::unlockCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    assert_eq!(env.fail(ALICE, &call), E::SeqNotActive(ILockingPool::SeqNotActive { sequencerId: id(1), status: INACTIVE }));
}

#[test]
fn compounding_needs_a_reward_distributor() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(30_000));
    assert_eq!(
        env.fail(ALICE, &ILockingPool::relockCall { sequencerId: id(1), amount: U256::ZERO, lockReward: true }),
        E::NoRewardDistributor(ILockingPool::NoRewardDistributor {})
    );
}

/// Gives the reward source `amount` METIS and arranges that its next compound for `seq`
/// sends `sent` and reports `reported`.
fn arrange_compound(env: &Env, seq: U256, sent: U256, reported: U256) {
    env.send(ADMIN, &ILockingPool::setRewardDistributorCall { distributor: DISTRIBUTOR }).unwrap();
    env.world.send(ADMIN, METIS_TOKEN, &IMockToken::mintCall { to: DISTRIBUTOR, value: sent }).unwrap();
    env.world.send(ADMIN, DISTRIBUTOR, &IMockRewardSource::setCompoundCall { sequencerId: seq, sent, reported }).unwrap();
}

#[test]
fn compounding_moves_rewards_into_the_stake() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(30_000));
    arrange_compound(&env, id(1), metis(500), metis(500));
    let alice_before = env.balance(ALICE);

    let out = env.send(ALICE, &ILockingPool::relockCall { sequencerId: id(1), amount: metis(1_000), lockReward: true }).unwrap();

    assert_eq!(env.stake(id(1)), metis(31_500));
    assert_eq!(env.balance(ALICE), alice_before - metis(1_000));
    assert_eq!(env.balance(DISTRIBUTOR), U256::ZERO);
    assert_eq!(
        out.events::<ILockingPool::RewardCompounded>(),
        vec![ILockingPool::RewardCompounded { sequencerId: id(1), amount: metis(500) }]
    );
    assert_eq!(
        out.events::<ILockingPool::Relocked>(),
        vec![ILockingPool::Relocked { sequencerId: id(1), amount: metis(1_500), total: metis(31_500) }]
    );
    env.assert_conserved();
}

#[test]
fn compounding_rewards_alone_is_a_relock() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(30_000));
    arrange_compound(&env, id(1), metis(7), metis(7));
    env.send(ALICE, &ILockingPool::relockCall { sequencerId: id(1), amount: U256::ZERO, lockReward: true }).unwrap();
    assert_eq!(env.stake(id(1)), metis(30_007));
    // With nothing left to compound, the same call adds nothing.
    assert_eq!(
        env.fail(ALICE, &ILockingPool::relockCall { sequencerId: id(1), amount: U256::ZERO, lockReward: true }),
        E::NoNewLockedAdded(ILockingPool::NoNewLockedAdded {})
    );
}

#[test]
fn a_distributor_that_over_reports_cannot_mint_stake() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(30_000));
    arrange_compound(&env, id(1), metis(5), metis(500));
    assert_eq!(
        env.fail(ALICE, &ILockingPool::relockCall { sequencerId: id(1), amount: U256::ZERO, lockReward: true }),
        E::RewardCompoundMismatch(ILockingPool::RewardCompoundMismatch { reported: metis(500), received: metis(5) })
    );
    assert_eq!(env.stake(id(1)), metis(30_000));
    assert_eq!(env.balance(DISTRIBUTOR), metis(5), "the transfer was rolled back");
}

#[test]
fn compounding_cannot_push_the_stake_above_max() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(99_999));
    arrange_compound(&env, id(1), metis(2), metis(2));
    assert_eq!(
        env.fail(ALICE, &ILockingPool::relockCall { sequencerId: id(1), amount: U256::ZERO, lockReward: true }),
        E::LockAboveMax(ILockingPool::LockAboveMax { newAmount: metis(100_001), maxLock: metis(100_000) })
    );
}

// ============================================================================ partial withdrawals

fn request(env: &Env, amount: U256) -> U256 {
    env.send(ALICE, &ILockingPool::requestWithdrawalCall { sequencerId: id(1), amount }).unwrap().value
}

fn claim(env: &Env) -> Result<U256, E> {
    env.send(ALICE, &ILockingPool::claimWithdrawalsCall { sequencerId: id(1) })
        .map(|out| out.value)
        .map_err(|revert| revert.decode::<E>())
}

#[test]
fn a_withdrawal_leaves_the_stake_at_once_and_pays_after_the_delay() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(50_000));
    let requested_at = env.now();
    let out = env.send(ALICE, &ILockingPool::requestWithdrawalCall { sequencerId: id(1), amount: metis(10_000) }).unwrap();
    let matures = requested_at + 21 * DAY;

    assert_eq!(out.value, U256::ZERO, "first request id");
    assert_eq!(env.stake(id(1)), metis(40_000), "it stops counting at once");
    assert_eq!(env.total_locked(), metis(40_000));
    assert_eq!(env.total_pending(), metis(10_000));
    assert_eq!(
        out.events::<ILockingPool::WithdrawalRequested>(),
        vec![ILockingPool::WithdrawalRequested { sequencerId: id(1), requestId: U256::ZERO, amount: metis(10_000), claimableAt: matures }]
    );
    assert_eq!(
        out.events::<ILockingPool::LockUpdate>(),
        vec![ILockingPool::LockUpdate { sequencerId: id(1), nonce: U256::from(2), newAmount: metis(40_000) }]
    );
    env.assert_conserved();

    env.warp(21 * DAY - 1);
    assert_eq!(claim(&env), Err(E::NothingToClaim(ILockingPool::NothingToClaim { sequencerId: id(1), nextClaimableAt: matures })));

    env.warp(1);
    let before = env.balance(ALICE);
    let out = env.send(ALICE, &ILockingPool::claimWithdrawalsCall { sequencerId: id(1) }).unwrap();
    assert_eq!(out.value, metis(10_000));
    assert_eq!(env.balance(ALICE), before + metis(10_000));
    assert_eq!(env.total_pending(), U256::ZERO);
    assert_eq!(
        out.events::<ILockingPool::WithdrawalsClaimed>(),
        vec![ILockingPool::WithdrawalsClaimed { sequencerId: id(1), owner: ALICE, amount: metis(10_000), firstRequestId: U256::ZERO, count: U256::from(1) }]
    );
    assert_eq!(claim(&env), Err(E::NothingToClaim(ILockingPool::NothingToClaim { sequencerId: id(1), nextClaimableAt: 0 })));
    env.assert_conserved();
}

#[test]
fn a_claim_pays_every_matured_request_and_keeps_the_rest() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(50_000));
    request(&env, metis(1_000));
    env.warp(DAY);
    request(&env, metis(2_000));
    env.warp(DAY);
    let third = env.now() + 21 * DAY;
    request(&env, metis(3_000));

    env.warp(20 * DAY); // the first two have matured, not the third
    assert_eq!(claim(&env), Ok(metis(3_000)));
    let queue = env.view(&ILockingPool::withdrawalQueueCall { sequencerId: id(1) });
    assert_eq!((queue.nextToClaim, queue.nextRequestId, queue.pending, queue.claimable), (2, 3, metis(3_000), U256::ZERO));
    assert_eq!(env.view(&ILockingPool::withdrawalRequestCall { sequencerId: id(1), requestId: 0 }).amount, U256::ZERO, "claimed entries are cleared");
    let r = env.view(&ILockingPool::withdrawalRequestCall { sequencerId: id(1), requestId: 2 });
    assert_eq!((r.amount, r.claimableAt), (metis(3_000), third));
    env.warp(DAY);
    assert_eq!(claim(&env), Ok(metis(3_000)));
    env.assert_conserved();
}

#[test]
fn withdrawal_requests_are_validated() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(30_000));
    let call = |amount| ILockingPool::requestWithdrawalCall { sequencerId: id(1), amount };
    assert_eq!(env.fail(ALICE, &call(U256::ZERO)), E::ZeroWithdrawal(ILockingPool::ZeroWithdrawal {}));
    assert_eq!(
        env.fail(ALICE, &call(metis(30_001))),
        E::WithdrawalExceedsStake(ILockingPool::WithdrawalExceedsStake { amount: metis(30_001), stake: metis(30_000) })
    );
    assert_eq!(
        env.fail(ALICE, &call(metis(10_001))),
        E::WithdrawalBelowMinLock(ILockingPool::WithdrawalBelowMinLock { remaining: metis(19_999), minLock: metis(20_000) })
    );
    assert_eq!(env.fail(BOB, &call(metis(1))), E::NotSeqOwner(ILockingPool::NotSeqOwner { sequencerId: id(1), caller: BOB }));
    request(&env, metis(10_000)); // exactly down to minLock
    assert_eq!(env.stake(id(1)), metis(20_000));
}

#[test]
fn open_withdrawal_requests_are_capped_and_claims_free_the_slots() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(100_000));
    for _ in 0..8 {
        request(&env, metis(1));
    }
    assert_eq!(
        env.fail(ALICE, &ILockingPool::requestWithdrawalCall { sequencerId: id(1), amount: metis(1) }),
        E::TooManyWithdrawalRequests(ILockingPool::TooManyWithdrawalRequests { sequencerId: id(1), open: U256::from(8), maxRequests: U256::from(8) })
    );
    env.warp(21 * DAY);
    assert_eq!(claim(&env), Ok(metis(8)));
    assert_eq!(request(&env, metis(1)), U256::from(8), "ids keep counting");
    env.assert_conserved();
}

#[test]
fn a_shorter_delay_cannot_make_a_later_request_overtake() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(50_000));
    let first_matures = env.now() + 21 * DAY;
    request(&env, metis(1_000));
    env.send(ADMIN, &ILockingPool::updateWithdrawDelayTimeValueCall { delay: U256::from(DAY) }).unwrap();
    request(&env, metis(2_000));
    let second = env.view(&ILockingPool::withdrawalRequestCall { sequencerId: id(1), requestId: 1 });
    assert_eq!(second.claimableAt, first_matures, "the queue matures in order");
    env.warp(DAY);
    assert!(matches!(claim(&env), Err(E::NothingToClaim(_))));
}

// ============================================================================ exits

#[test]
fn unlock_then_claim_after_the_delay_pays_the_stake() {
    let env = Env::new();
    let key = Key::from_seed(1);
    env.register(ALICE, &key, metis(30_000));
    let start = env.now();
    let out = env.send(ALICE, &ILockingPool::unlockCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    assert_eq!(
        out.events::<ILockingPool::UnlockInit>(),
        vec![ILockingPool::UnlockInit {
            signer: key.address(),
            sequencerId: id(1),
            nonce: U256::from(2),
            deactivationTime: start,
            unlockClaimTime: start + 21 * DAY,
            amount: metis(30_000),
            forced: false
        }]
    );
    let seq = env.sequencer(id(1));
    assert_eq!((seq.status, seq.deactivationTime, seq.unlockClaimTime), (INACTIVE, start, start + 21 * DAY));
    assert_eq!(env.view(&ILockingPool::activeSequencersCall {}), U256::ZERO);
    assert_eq!(env.total_locked(), metis(30_000), "the stake stays in the pool until claimed");

    env.warp(21 * DAY - 1);
    assert_eq!(
        env.fail(ALICE, &ILockingPool::unlockClaimCall { sequencerId: id(1), l2Gas: 0 }),
        E::UnlockNotReady(ILockingPool::UnlockNotReady { sequencerId: id(1), unlockClaimTime: start + 21 * DAY, now: start + 21 * DAY - 1 })
    );
    env.warp(1);
    let before = env.balance(ALICE);
    let out = env.send(ALICE, &ILockingPool::unlockClaimCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    assert_eq!(out.value, metis(30_000));
    assert_eq!(env.balance(ALICE), before + metis(30_000));
    assert_eq!(
        out.events::<ILockingPool::Unlocked>(),
        vec![ILockingPool::Unlocked { user: ALICE, sequencerId: id(1), amount: metis(30_000), total: U256::ZERO }]
    );
    let seq = env.sequencer(id(1));
    assert_eq!((seq.status, seq.amount, seq.nonce), (UNLOCKED, U256::ZERO, 3));
    assert_eq!(env.view(&ILockingPool::seqOwnersCall { owner: ALICE }), U256::ZERO);
    assert_eq!(env.balance(POOL), U256::ZERO);
    assert_eq!(
        env.fail(ALICE, &ILockingPool::unlockClaimCall { sequencerId: id(1), l2Gas: 0 }),
        E::SeqNotInactive(ILockingPool::SeqNotInactive { sequencerId: id(1), status: UNLOCKED })
    );
}

#[test]
fn after_an_exit_the_owner_registers_again_with_a_new_signer_only() {
    let env = Env::new();
    let key = Key::from_seed(1);
    env.register(ALICE, &key, metis(30_000));
    env.send(ALICE, &ILockingPool::unlockCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    assert_eq!(
        env.fail(ALICE, &lock_call(ALICE, &Key::from_seed(2), metis(20_000))),
        E::OwnedSequencer(ILockingPool::OwnedSequencer { owner: ALICE, sequencerId: id(1) }),
        "an exiting sequencer is still live"
    );
    env.warp(21 * DAY);
    env.send(ALICE, &ILockingPool::unlockClaimCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    assert_eq!(
        env.fail(ALICE, &lock_call(ALICE, &key, metis(20_000))),
        E::SignerExisted(ILockingPool::SignerExisted { signer: key.address() })
    );
    assert_eq!(env.register(ALICE, &Key::from_seed(2), metis(20_000)), id(2));
    assert_eq!(env.view(&ILockingPool::seqSignersCall { signer: key.address() }), id(1), "the old signer still resolves");
}

#[test]
fn only_the_owner_exits_and_only_once() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(30_000));
    assert_eq!(
        env.fail(BOB, &ILockingPool::unlockCall { sequencerId: id(1), l2Gas: 0 }),
        E::NotSeqOwner(ILockingPool::NotSeqOwner { sequencerId: id(1), caller: BOB })
    );
    assert_eq!(
        env.fail(BOB, &ILockingPool::unlockClaimCall { sequencerId: id(1), l2Gas: 0 }),
        E::NotSeqOwner(ILockingPool::NotSeqOwner { sequencerId: id(1), caller: BOB })
    );
    env.send(ALICE, &ILockingPool::unlockCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    assert_eq!(
        env.fail(ALICE, &ILockingPool::unlockCall { sequencerId: id(1), l2Gas: 0 }),
        E::SeqNotActive(ILockingPool::SeqNotActive { sequencerId: id(1), status: INACTIVE })
    );
    assert_eq!(
        env.fail(ALICE, &ILockingPool::unlockCall { sequencerId: id(7), l2Gas: 0 }),
        E::NoSuchSeq(ILockingPool::NoSuchSeq { sequencerId: id(7) })
    );
}

#[test]
fn pending_withdrawals_stay_claimable_after_the_exit() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(50_000));
    request(&env, metis(5_000));
    env.send(ALICE, &ILockingPool::unlockCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    env.warp(21 * DAY);
    env.send(ALICE, &ILockingPool::unlockClaimCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    let before = env.balance(ALICE);
    assert_eq!(claim(&env), Ok(metis(5_000)));
    assert_eq!(env.balance(ALICE), before + metis(5_000));
    assert_eq!(env.balance(POOL), U256::ZERO, "nothing is stranded");
    env.assert_conserved();
}

// ============================================================================ signer rotation

fn update_signer(env: &Env, caller: alloy_primitives::Address, key: &Key) -> Result<(), E> {
    let call = ILockingPool::rotateSignerCall {
        sequencerId: id(1),
        signer: key.address(),
        signerProof: proof(key, ALICE),
    };
    env.send(caller, &call).map(|_| ()).map_err(|revert| revert.decode::<E>())
}

#[test]
fn the_signer_rotates_after_the_throttle() {
    let env = Env::new();
    let old = Key::from_seed(1);
    let new = Key::from_seed(2);
    let registered = env.now();
    env.register(ALICE, &old, metis(30_000));
    assert_eq!(
        update_signer(&env, old.address(), &new),
        Err(E::SignerRotationTooSoon(ILockingPool::SignerRotationTooSoon { sequencerId: id(1), nextAllowedAt: registered + DAY }))
    );
    env.warp(DAY);
    let call = ILockingPool::rotateSignerCall { sequencerId: id(1), signer: new.address(), signerProof: env.signature_proof(&new, ALICE) };
    let out = env.send(old.address(), &call).unwrap();
    assert_eq!(
        out.events::<ILockingPool::SignerChange>(),
        vec![ILockingPool::SignerChange { sequencerId: id(1), nonce: U256::from(2), oldSigner: old.address(), newSigner: new.address() }]
    );
    let seq = env.sequencer(id(1));
    assert_eq!((seq.signer, seq.signerUpdatedAt, seq.nonce), (new.address(), env.now(), 2));
    assert_eq!(env.view(&ILockingPool::seqSignersCall { signer: new.address() }), id(1));
    assert_eq!(env.view(&ILockingPool::seqSignersCall { signer: old.address() }), id(1));
    // The old signer key no longer controls the sequencer.
    env.warp(DAY);
    assert_eq!(
        update_signer(&env, old.address(), &Key::from_seed(3)),
        Err(E::NotSeqOwnerOrSigner(ILockingPool::NotSeqOwnerOrSigner { sequencerId: id(1), caller: old.address() }))
    );
}

#[test]
fn rotation_to_a_used_signer_or_by_a_stranger_fails() {
    let env = Env::new();
    let alice_key = Key::from_seed(1);
    let bob_key = Key::from_seed(2);
    env.register(ALICE, &alice_key, metis(30_000));
    env.register(BOB, &bob_key, metis(30_000));
    env.warp(DAY);
    assert_eq!(
        update_signer(&env, ALICE, &bob_key),
        Err(E::SignerExisted(ILockingPool::SignerExisted { signer: bob_key.address() }))
    );
    assert_eq!(
        update_signer(&env, alice_key.address(), &alice_key),
        Err(E::SignerExisted(ILockingPool::SignerExisted { signer: alice_key.address() }))
    );
    assert_eq!(
        update_signer(&env, MALLORY, &Key::from_seed(3)),
        Err(E::NotSeqOwnerOrSigner(ILockingPool::NotSeqOwnerOrSigner { sequencerId: id(1), caller: MALLORY }))
    );
}

// ============================================================================ recipient and owner

#[test]
fn the_reward_recipient_changes_while_active_or_exiting() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(30_000));
    let call = |recipient| ILockingPool::setSequencerRewardRecipientCall { sequencerId: id(1), recipient };
    let out = env.send(ALICE, &call(CAROL)).unwrap();
    assert_eq!(
        out.events::<ILockingPool::SequencerRewardRecipientChanged>(),
        vec![ILockingPool::SequencerRewardRecipientChanged { sequencerId: id(1), recipient: CAROL }]
    );
    assert_eq!(env.sequencer(id(1)).rewardRecipient, CAROL);
    assert_eq!(env.fail(ALICE, &call(alloy_primitives::Address::ZERO)), E::NullAddress(ILockingPool::NullAddress {}));
    assert_eq!(env.fail(BOB, &call(BOB)), E::NotSeqOwner(ILockingPool::NotSeqOwner { sequencerId: id(1), caller: BOB }));
    env.send(ALICE, &ILockingPool::unlockCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    env.send(ALICE, &call(BOB)).unwrap();
    env.warp(21 * DAY);
    env.send(ALICE, &ILockingPool::unlockClaimCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    assert_eq!(
        env.fail(ALICE, &call(CAROL)),
        E::SeqNotActive(ILockingPool::SeqNotActive { sequencerId: id(1), status: UNLOCKED })
    );
}

#[test]
fn ownership_moves_in_two_steps() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(30_000));
    env.admit(CAROL);
    let out = env.send(ALICE, &ILockingPool::setSequencerOwnerCall { sequencerId: id(1), newOwner: CAROL }).unwrap();
    assert_eq!(
        out.events::<ILockingPool::SequencerOwnerTransferStarted>(),
        vec![ILockingPool::SequencerOwnerTransferStarted { sequencerId: id(1), currentOwner: ALICE, pendingOwner: CAROL }]
    );
    assert_eq!(env.sequencer(id(1)).owner, ALICE, "nothing changes before acceptance");
    assert_eq!(env.view(&ILockingPool::pendingSequencerOwnerCall { sequencerId: id(1) }), CAROL);
    assert_eq!(
        env.fail(BOB, &ILockingPool::acceptSequencerOwnerCall { sequencerId: id(1) }),
        E::NotPendingOwner(ILockingPool::NotPendingOwner { sequencerId: id(1), caller: BOB })
    );
    let out = env.send(CAROL, &ILockingPool::acceptSequencerOwnerCall { sequencerId: id(1) }).unwrap();
    assert_eq!(
        out.events::<ILockingPool::SequencerOwnerChanged>(),
        vec![ILockingPool::SequencerOwnerChanged { sequencerId: id(1), owner: CAROL }]
    );
    assert_eq!(env.sequencer(id(1)).owner, CAROL);
    assert_eq!(env.view(&ILockingPool::seqOwnersCall { owner: CAROL }), id(1));
    assert_eq!(env.view(&ILockingPool::seqOwnersCall { owner: ALICE }), U256::ZERO);
    assert_eq!(env.view(&ILockingPool::pendingSequencerOwnerCall { sequencerId: id(1) }), alloy_primitives::Address::ZERO);
    assert_eq!(
        env.fail(ALICE, &ILockingPool::unlockCall { sequencerId: id(1), l2Gas: 0 }),
        E::NotSeqOwner(ILockingPool::NotSeqOwner { sequencerId: id(1), caller: ALICE })
    );
}

#[test]
fn a_proposal_can_be_cancelled() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(30_000));
    env.admit(CAROL);
    env.send(ALICE, &ILockingPool::setSequencerOwnerCall { sequencerId: id(1), newOwner: CAROL }).unwrap();
    env.send(ALICE, &ILockingPool::setSequencerOwnerCall { sequencerId: id(1), newOwner: alloy_primitives::Address::ZERO }).unwrap();
    assert_eq!(
        env.fail(CAROL, &ILockingPool::acceptSequencerOwnerCall { sequencerId: id(1) }),
        E::NotPendingOwner(ILockingPool::NotPendingOwner { sequencerId: id(1), caller: CAROL })
    );
}

#[test]
fn an_unlock_cancels_a_pending_owner_transfer() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(30_000));
    env.admit(CAROL);
    env.send(ALICE, &ILockingPool::setSequencerOwnerCall { sequencerId: id(1), newOwner: CAROL }).unwrap();
    env.send(ALICE, &ILockingPool::unlockCall { sequencerId: id(1), l2Gas: 0 }).unwrap();
    assert_eq!(
        env.fail(CAROL, &ILockingPool::acceptSequencerOwnerCall { sequencerId: id(1) }),
        E::NotPendingOwner(ILockingPool::NotPendingOwner { sequencerId: id(1), caller: CAROL })
    );
}

// ============================================================================ reentrancy

#[test]
fn a_token_that_calls_back_into_the_pool_is_rejected() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(30_000));
    // During the next transfer, the token re-enters the pool to relock from ALICE's sequencer.
    let reenter = alloy_sol_types::SolCall::abi_encode(&ILockingPool::requestWithdrawalCall { sequencerId: id(1), amount: metis(1) });
    env.world.send(ADMIN, METIS_TOKEN, &IMockToken::setHookCall { target: POOL, data: reenter.into() }).unwrap();

    let out = env.send(ALICE, &ILockingPool::relockCall { sequencerId: id(1), amount: metis(1_000), lockReward: false }).unwrap();

    let hooks = out.events::<IMockToken::HookCalled>();
    assert_eq!(hooks.len(), 1);
    assert!(!hooks[0].ok, "the re-entrant call was rejected");
    assert_eq!(env.stake(id(1)), metis(31_000), "only the outer relock took effect");
    assert_eq!(env.total_pending(), U256::ZERO);
    env.assert_conserved();
}

/// A sequencer owner that is a contract (an LST vault, say) and re-enters the pool: whenever
/// it is called (here by the token's hook, in the middle of the owner's own relock) it asks to
/// withdraw 1 METIS of its sequencer 1.
struct ReenteringOwner;

impl stylus_world::NativeContract for ReenteringOwner {
    fn call(&self, ctx: &mut stylus_world::NativeCtx, _input: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        let request = ILockingPool::requestWithdrawalCall { sequencerId: id(1), amount: metis(1) };
        ctx.call(POOL, alloy_sol_types::SolCall::abi_encode(&request))
    }
}

/// The same attack with the entrypoint's guard switched off, by an owner that re-enters: the
/// pool's own ordering keeps it safe. The relock writes the stake before it pulls the tokens,
/// so the owner's withdrawal request, made from inside the token transfer, works on the
/// updated stake and nothing is counted twice. A relock that read the stake before the token
/// call and wrote it after would overwrite the request's change, and the pool would owe more
/// than it holds (`assert_conserved` fails).
#[test]
fn without_the_guard_a_reentering_owner_meets_a_stake_already_written() {
    let env = Env::new();
    env.world.allow_reentrancy(true);
    let vault = alloy_primitives::Address::repeat_byte(0x7a);
    env.world.deploy_native(vault, ReenteringOwner);
    env.admit(vault);
    env.fund(vault, metis(100_000));
    env.send(vault, &lock_call(vault, &Key::from_seed(1), metis(30_000))).unwrap();
    env.world.send(ADMIN, METIS_TOKEN, &IMockToken::setHookCall { target: vault, data: vec![1u8].into() }).unwrap();

    let out = env.send(vault, &ILockingPool::relockCall { sequencerId: id(1), amount: metis(1_000), lockReward: false }).unwrap();

    let hooks = out.events::<IMockToken::HookCalled>();
    assert_eq!(hooks.len(), 1);
    assert!(hooks[0].ok, "without the guard the call back runs");
    assert_eq!(out.events::<ILockingPool::WithdrawalRequested>().len(), 1);
    assert_eq!(env.stake(id(1)), metis(31_000) - metis(1));
    assert_eq!(env.total_locked(), metis(31_000) - metis(1));
    assert_eq!(env.total_pending(), metis(1));
    env.assert_conserved();
}

// ============================================================================ remaining errors

#[test]
fn a_signature_that_recovers_nobody_is_rejected() {
    let env = Env::new();
    let key = Key::from_seed(1);
    let mut proof = env.signature_proof(&key, ALICE).to_vec();
    proof[64] = 29; // neither 27 nor 28
    let call = ILockingPool::lockForCall { signer: key.address(), amount: metis(20_000), signerProof: proof.into() };
    assert_eq!(env.fail(ALICE, &call), E::ECDSAInvalidSignature(ILockingPool::ECDSAInvalidSignature {}));
    // r = 0 is not a point: the precompile returns nothing.
    let mut proof = env.signature_proof(&key, ALICE).to_vec();
    proof[..32].fill(0);
    let call = ILockingPool::lockForCall { signer: key.address(), amount: metis(20_000), signerProof: proof.into() };
    assert_eq!(env.fail(ALICE, &call), E::ECDSAInvalidSignature(ILockingPool::ECDSAInvalidSignature {}));
}

#[test]
fn a_failing_reward_distributor_is_a_named_error_and_nothing_moves() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(30_000));
    env.send(ADMIN, &ILockingPool::setRewardDistributorCall { distributor: DISTRIBUTOR }).unwrap();
    // The distributor is told to send 5 METIS it does not have: its transfer reverts.
    env.world.send(ADMIN, DISTRIBUTOR, &IMockRewardSource::setCompoundCall { sequencerId: id(1), sent: metis(5), reported: metis(5) }).unwrap();
    let before = env.balance(ALICE);
    match env.fail(ALICE, &ILockingPool::relockCall { sequencerId: id(1), amount: metis(1), lockReward: true }) {
        E::RewardCompoundFailed(e) => {
            assert_eq!(e.distributor, DISTRIBUTOR);
            assert_eq!(&e.reason[..4], &IMockToken::ERC20InsufficientBalance::SELECTOR, "the distributor's reason is kept");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(env.balance(ALICE), before, "the relock's own transfer was rolled back");
    assert_eq!(env.stake(id(1)), metis(30_000));
}

// ============================================================================ transfers and withdrawals

/// Requested METIS left the stake for the owner who asked for it: while any request is open the
/// sequencer cannot change hands, so the requester always claims it (documented on
/// `setSequencerOwner`).
#[test]
fn open_withdrawal_requests_stay_with_the_owner_who_made_them() {
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(50_000));
    env.admit(CAROL);
    // A proposal made before the request cannot be accepted while the request is open.
    env.send(ALICE, &ILockingPool::setSequencerOwnerCall { sequencerId: id(1), newOwner: CAROL }).unwrap();
    env.send(ALICE, &ILockingPool::requestWithdrawalCall { sequencerId: id(1), amount: metis(5_000) }).unwrap();
    let open = E::OpenWithdrawalRequests(ILockingPool::OpenWithdrawalRequests { sequencerId: id(1), open: U256::from(1) });
    assert_eq!(env.fail(CAROL, &ILockingPool::acceptSequencerOwnerCall { sequencerId: id(1) }), open);
    assert_eq!(env.fail(ALICE, &ILockingPool::setSequencerOwnerCall { sequencerId: id(1), newOwner: CAROL }), open);
    // Cancelling a proposal is always possible.
    env.send(ALICE, &ILockingPool::setSequencerOwnerCall { sequencerId: id(1), newOwner: alloy_primitives::Address::ZERO }).unwrap();

    // ALICE claims after the delay; then the sequencer can be handed over.
    env.warp(21 * DAY);
    let before = env.balance(ALICE);
    env.send(ALICE, &ILockingPool::claimWithdrawalsCall { sequencerId: id(1) }).unwrap();
    assert_eq!(env.balance(ALICE), before + metis(5_000));
    env.send(ALICE, &ILockingPool::setSequencerOwnerCall { sequencerId: id(1), newOwner: CAROL }).unwrap();
    env.send(CAROL, &ILockingPool::acceptSequencerOwnerCall { sequencerId: id(1) }).unwrap();
    assert_eq!(env.sequencer(id(1)).owner, CAROL);
    assert_eq!(env.stake(id(1)), metis(45_000));
    env.assert_conserved();
}
