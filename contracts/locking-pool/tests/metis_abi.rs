//! Every function that keeps a Metis name keeps Metis's exact selector and return layout, so a
//! tool or an LST contract written for Metis's LockingPool either works unchanged or fails
//! loudly, never reads garbage. Selectors are the ones published in
//! `reference/metis-locking-pool.md`; the interface below is Metis's, written from it.

mod common;

use alloy_primitives::{keccak256, Address, U256};
use alloy_sol_types::{sol, SolCall};
use common::*;
use dseq_abi::locking_pool::ILockingPool;
use stylus_world::{keys::Key, Revert};

sol! {
    /// The parts of Metis's LockingPool (and LockingInfo) that tools call. `sequencers` is the
    /// public getter of `mapping(uint256 => Sequencer)`: Solidity returns the struct's members
    /// as separate values, which is how Metis's ABI lists them.
    interface IMetisLockingPool {
        function sequencers(uint256 seqId) external view returns (uint256 amount, uint256 reward, uint256 activationBatch, uint256 updatedBatch, uint256 deactivationBatch, uint256 deactivationTime, uint256 unlockClaimTime, uint256 nonce, address owner, address signer, bytes pubkey, address rewardRecipient, uint8 status);
        function exitDelayPeriod() external view returns (uint256);
        function updateSigner(uint256 seqId, bytes signerPubkey) external;
        function setSignerUpdateThrottle(uint256 n) external;
        function withdraw(uint256 seqId, uint256 amount) external;
    }
}

/// `(name, our selector, Metis's selector from the reference)`.
fn kept() -> Vec<(&'static str, [u8; 4], [u8; 4])> {
    vec![
        ("lockFor", ILockingPool::lockForCall::SELECTOR, [0xaf, 0x70, 0xcb, 0xa5]),
        ("lockWithRewardRecipient", ILockingPool::lockWithRewardRecipientCall::SELECTOR, [0x9a, 0xd4, 0x20, 0x30]),
        ("relock", ILockingPool::relockCall::SELECTOR, [0x01, 0x5b, 0xb1, 0x80]),
        ("unlock", ILockingPool::unlockCall::SELECTOR, [0x26, 0x2c, 0x0e, 0x66]),
        ("unlockClaim", ILockingPool::unlockClaimCall::SELECTOR, [0x8d, 0xdc, 0x74, 0xde]),
        ("setSequencerRewardRecipient", ILockingPool::setSequencerRewardRecipientCall::SELECTOR, [0xd8, 0x3b, 0x0e, 0x14]),
        ("setSequencerOwner", ILockingPool::setSequencerOwnerCall::SELECTOR, [0xa9, 0x53, 0x79, 0x1f]),
        ("setWhitelist", ILockingPool::setWhitelistCall::SELECTOR, [0x53, 0xd6, 0xfd, 0x59]),
        ("updateWithdrawDelayTimeValue", ILockingPool::updateWithdrawDelayTimeValueCall::SELECTOR, [0x71, 0xe1, 0x0c, 0xfa]),
        ("forceUnlock", ILockingPool::forceUnlockCall::SELECTOR, [0xca, 0x99, 0xe8, 0x38]),
    ]
}

#[test]
fn functions_that_keep_a_metis_name_keep_its_selector() {
    for (name, ours, metis) in kept() {
        assert_eq!(ours, metis, "{name}");
    }
    // Views whose selector depends on the name alone: same name, same return type as Metis.
    assert_eq!(ILockingPool::sequencersCall::SELECTOR, IMetisLockingPool::sequencersCall::SELECTOR);
    assert_eq!(ILockingPool::exitDelayPeriodCall::SELECTOR, IMetisLockingPool::exitDelayPeriodCall::SELECTOR);
}

#[test]
fn sequencers_returns_metis_thirteen_fields_in_metis_order() {
    let env = Env::new();
    let key = Key::from_seed(1);
    env.register(ALICE, &key, metis(30_000));
    env.send(ALICE, &ILockingPool::setSequencerRewardRecipientCall { sequencerId: U256::from(1), recipient: CAROL }).unwrap();
    env.send(ALICE, &ILockingPool::unlockCall { sequencerId: U256::from(1), l2Gas: 0 }).unwrap();

    // Decoded with Metis's own struct, from the pool's raw return data.
    let seq = env.world.view(POOL, &IMetisLockingPool::sequencersCall { seqId: U256::from(1) });
    let ours = env.sequencer(U256::from(1));
    assert_eq!(seq.amount, metis(30_000));
    assert_eq!((seq.reward, seq.activationBatch, seq.updatedBatch, seq.deactivationBatch), (U256::ZERO, U256::ZERO, U256::ZERO, U256::ZERO));
    assert_eq!(seq.deactivationTime, U256::from(ours.deactivationTime));
    assert_eq!(seq.unlockClaimTime, U256::from(ours.unlockClaimTime));
    assert_eq!(seq.unlockClaimTime, U256::from(env.now() + 21 * DAY));
    assert_eq!(seq.nonce, U256::from(ours.nonce));
    assert_eq!((seq.owner, seq.signer, seq.rewardRecipient), (ALICE, key.address(), CAROL));
    assert!(seq.pubkey.is_empty(), "no public key is stored");
    assert_eq!(seq.status, INACTIVE);
    // The same call through our own interface decodes the same words.
    let same = env.view(&ILockingPool::sequencersCall { sequencerId: U256::from(1) });
    assert_eq!((same.amount, same.owner, same.status), (seq.amount, seq.owner, seq.status));

    // An unknown id: every field zero, as Metis's mapping getter answers.
    let none = env.world.view(POOL, &IMetisLockingPool::sequencersCall { seqId: U256::from(9) });
    assert_eq!((none.amount, none.owner, none.status), (U256::ZERO, Address::ZERO, UNAVAILABLE));
    assert_eq!(env.world.view(POOL, &IMetisLockingPool::exitDelayPeriodCall {}), U256::from(21 * DAY));
}

#[test]
fn metis_functions_whose_shape_differs_here_are_not_answered() {
    // Metis's updateSigner takes a public key, its signer throttle counts batches and its
    // withdraw pays at once: the pool has other names for what it does instead
    // (rotateSigner, setSignerRotationDelay, requestWithdrawal), so these revert, empty.
    let env = Env::new();
    env.register(ALICE, &Key::from_seed(1), metis(30_000));
    let calls: Vec<Vec<u8>> = vec![
        IMetisLockingPool::updateSignerCall { seqId: U256::from(1), signerPubkey: Key::from_seed(2).pubkey().to_vec().into() }.abi_encode(),
        IMetisLockingPool::setSignerUpdateThrottleCall { n: U256::from(1) }.abi_encode(),
        IMetisLockingPool::withdrawCall { seqId: U256::from(1), amount: metis(1) }.abi_encode(),
    ];
    assert_eq!(&calls[0][..4], &[0xf4, 0x1a, 0x96, 0x42], "updateSigner as published");
    assert_eq!(&calls[1][..4], &[0xbf, 0xd6, 0xfc, 0x3f], "setSignerUpdateThrottle as published");
    assert_eq!(&calls[2][..4], &[0x44, 0x1a, 0x3e, 0x70], "withdraw as published");
    for (call, from) in calls.into_iter().zip([ALICE, ADMIN, ALICE]) {
        assert_eq!(env.world.transact(from, POOL, call).unwrap_err(), Revert(Vec::new()));
    }
    assert_eq!(env.stake(U256::from(1)), metis(30_000));
    // The selector of the renamed rotation is not Metis's.
    assert_ne!(&keccak256("rotateSigner(uint256,address,bytes)")[..4], &[0xf4, 0x1a, 0x96, 0x42]);
}
