//! Reward batches: who may submit them, each rule they are checked against, what they credit,
//! and the Metis defects they fix (a duplicate signer paid twice, a rotated or exited signer
//! reverting the whole batch, epoch 0 never paid, batches that ignore the pause).

mod common;

use alloy_primitives::{keccak256, Address, U256};
use alloy_sol_types::{SolCall, SolValue};
use common::*;
use dseq_abi::{
    locking_pool::ILockingPool,
    rewards::{IRewardDistributor as RD, IRewardDistributor::IRewardDistributorErrors as E, MAX_BATCH_SIGNERS},
};
use stylus_world::mocks::IMockToken;

/// `keccak256(abi.encodePacked(signers, blocks))`, as an indexer computes it.
fn digest(signers: &[Address], blocks: &[U256]) -> alloy_primitives::B256 {
    let mut packed = Vec::new();
    for s in signers {
        packed.extend_from_slice(&s.abi_encode());
    }
    for b in blocks {
        packed.extend_from_slice(&b.abi_encode());
    }
    keccak256(packed)
}

#[test]
fn a_batch_credits_each_signer_net_of_the_treasury_and_pulls_the_total() {
    let env = Env::new();
    let call = env.batch_call(2, &[(signer(1), 10), (signer(2), 20), (signer(3), 30)]);
    assert_eq!((call.batchId, call.startEpoch, call.endEpoch), (u(1), u(0), u(1)), "the first batch starts at epoch 0");
    let (payer, held) = (env.balance(PAYER), env.balance(DISTRIBUTOR));

    let out = env.send(MPC, &call).unwrap();

    assert_eq!(out.value, metis(60));
    assert_eq!(env.balance(PAYER), payer - metis(60));
    assert_eq!(env.balance(DISTRIBUTOR), held + metis(60));
    assert_eq!((env.pending(u(1)), env.pending(u(2)), env.pending(u(3))), (metis(9), metis(18), metis(27)));
    assert_eq!(env.treasury(), metis(6));
    let d = digest(&call.signers, &call.blocks);
    assert_eq!(
        out.events::<RD::RewardBatchSubmitted>(),
        vec![RD::RewardBatchSubmitted {
            batchId: u(1),
            startEpoch: u(0),
            endEpoch: u(1),
            digest: d,
            signers: u(3),
            blocks: u(60),
            reward: metis(60),
            treasuryShare: metis(6),
        }]
    );
    let last = env.view(&RD::lastBatchCall {});
    assert_eq!((last.batchId, last.nextEpoch), (u(1), u(2)));
    assert_eq!(env.view(&RD::batchDigestCall { batchId: u(1) }), d);
    let totals = env.view(&RD::totalsCall {});
    assert_eq!((totals.funded, totals.paid), (metis(60), U256::ZERO));
    env.assert_books();

    // The next batch continues at epoch 2 and adds to what is pending.
    env.submit(&[(signer(1), 4)]);
    assert_eq!(env.pending(u(1)), metis(9) + metis(36) / u(10));
    env.assert_books();
}

#[test]
fn each_batch_rule_is_checked_with_its_own_error() {
    let env = Env::new();
    let (s1, s2) = (signer(1), signer(2));
    let good = env.batch_call(1, &[(s1, 10), (s2, 20)]);
    let with = |f: &dyn Fn(&mut RD::submitBatchCall)| {
        let mut c = good.clone();
        f(&mut c);
        env.fail(MPC, &c)
    };
    assert_eq!(env.fail(MALLORY, &good), E::NotSubmitter(RD::NotSubmitter { caller: MALLORY }));
    assert_eq!(with(&|c| c.batchId = u(2)), E::UnexpectedBatchId(RD::UnexpectedBatchId { batchId: u(2), expected: u(1) }));
    assert_eq!(with(&|c| c.batchId = u(0)), E::UnexpectedBatchId(RD::UnexpectedBatchId { batchId: u(0), expected: u(1) }));
    assert_eq!(with(&|c| c.startEpoch = u(1)), E::UnexpectedStartEpoch(RD::UnexpectedStartEpoch { startEpoch: u(1), expected: u(0) }));
    let mut ahead = good.clone();
    ahead.startEpoch = u(0);
    ahead.endEpoch = U256::from(u64::MAX);
    assert_eq!(env.fail(MPC, &ahead), E::InvalidEpochRange(RD::InvalidEpochRange { startEpoch: u(0), endEpoch: U256::from(u64::MAX) }));
    let length = |signers: usize, blocks: usize| E::InvalidBatchLength(RD::InvalidBatchLength { signers: u(signers as u64), blocks: u(blocks as u64), maxSigners: u(100) });
    assert_eq!(with(&|c| { c.signers.clear(); c.blocks.clear(); }), length(0, 0));
    assert_eq!(with(&|c| { c.blocks.pop(); }), length(2, 1));
    let many: Vec<Address> = (1..=101u64).map(|n| Address::left_padding_from(&n.to_be_bytes())).collect();
    assert_eq!(with(&|c| { c.signers = many.clone(); c.blocks = vec![u(1); 101]; }), length(101, 101));
    // Metis pays a duplicate signer twice; here signers must ascend strictly.
    let (low, high) = (good.signers[0], good.signers[1]);
    assert_eq!(with(&|c| c.signers = vec![low, low]), E::SignersNotAscending(RD::SignersNotAscending { index: u(1), signer: low }));
    assert_eq!(with(&|c| c.signers = vec![high, low]), E::SignersNotAscending(RD::SignersNotAscending { index: u(1), signer: low }));
    assert_eq!(with(&|c| c.blocks[1] = U256::ZERO), E::InvalidBlockCount(RD::InvalidBlockCount { signer: high, blocks: U256::ZERO }));
    let too_many = U256::from(u64::MAX) + u(1);
    assert_eq!(with(&|c| c.blocks[0] = too_many), E::InvalidBlockCount(RD::InvalidBlockCount { signer: low, blocks: too_many }));
    let stranger = Address::repeat_byte(0xff);
    assert_eq!(with(&|c| c.signers[1] = stranger), E::UnknownSigner(RD::UnknownSigner { signer: stranger }));

    // A payer without allowance fails the batch, and nothing is credited.
    env.world.send(PAYER, METIS, &IMockToken::approveCall { spender: DISTRIBUTOR, value: U256::ZERO }).unwrap();
    assert!(matches!(env.fail(MPC, &good), E::TokenCallFailed(e) if e.token == METIS));
    env.world.send(PAYER, METIS, &IMockToken::approveCall { spender: DISTRIBUTOR, value: U256::MAX }).unwrap();

    // Paused: no batch. Unpaused: the same batch goes through.
    env.send(GOV, &RD::pauseCall {}).unwrap();
    assert_eq!(env.fail(MPC, &good), E::EnforcedPause(RD::EnforcedPause {}));
    let last = env.view(&RD::lastBatchCall {});
    assert_eq!((last.batchId, last.nextEpoch, env.pending(u(1)), env.treasury()), (U256::ZERO, U256::ZERO, U256::ZERO, U256::ZERO));
    env.send(GOV, &RD::unpauseCall {}).unwrap();
    env.send(MPC, &good).unwrap();
    assert_eq!(env.pending(u(1)), metis(9));
    env.assert_books();
}

#[test]
fn a_rotated_or_exited_signer_is_still_paid_for_its_blocks() {
    let env = Env::new();
    env.warp(DAY);
    let rotated = key(11);
    let proof = SUITE.proof(&rotated, ALICE);
    env.pool_send(ALICE, &ILockingPool::rotateSignerCall { sequencerId: u(1), signer: rotated.address(), signerProof: proof }).unwrap();
    env.pool_send(BOB, &ILockingPool::unlockCall { sequencerId: u(2), l2Gas: 0 }).unwrap();

    // Alice's old and new signers both produced blocks in the batch; Bob's before he left.
    env.submit(&[(signer(1), 10), (rotated.address(), 20), (signer(2), 30)]);

    assert_eq!(env.pending(u(1)), metis(27));
    assert_eq!(env.pending(u(2)), metis(27));
    // Bob's exit left no LST stake: all of it is his once settled.
    env.send(BOB, &RD::claimOperatorRewardsCall { sequencerId: u(2) }).unwrap();
    env.assert_books();
}

#[test]
fn a_batch_of_the_most_signers_goes_through() {
    let env = Env::new();
    let mut pairs = vec![(signer(1), 1), (signer(2), 1), (signer(3), 1)];
    for n in 4..=MAX_BATCH_SIGNERS as u64 {
        let owner = Address::left_padding_from(&(0x10_0000 + n).to_be_bytes());
        env.world.send(ADMIN, POOL, &ILockingPool::setWhitelistCall { user: owner, yes: true }).unwrap();
        SUITE.register(&env.world, owner, &key(100 + n), metis(20_000)).unwrap();
        pairs.push((signer(100 + n), n));
    }
    let out = env.submit(&pairs);
    let total: u64 = 3 + (4..=MAX_BATCH_SIGNERS as u64).sum::<u64>();
    assert_eq!(out.value, metis(total));
    assert_eq!(env.pending(u(100)), metis(100) * u(9) / u(10));
    env.assert_books();
}

#[test]
fn epochs_start_where_governance_said_and_stay_contiguous() {
    let env = Env::bare();
    env.send(GOV, &init(GOV, POOL, MPC, PAYER, TREASURY, metis(1), 0, 5)).unwrap();
    let (s1, b1) = sorted(&[(signer(1), 3)]);
    let call = |id: u64, start: u64, end: u64| RD::submitBatchCall { batchId: u(id), startEpoch: u(start), endEpoch: u(end), signers: s1.clone(), blocks: b1.clone() };
    assert_eq!(env.fail(MPC, &call(1, 0, 4)), E::UnexpectedStartEpoch(RD::UnexpectedStartEpoch { startEpoch: u(0), expected: u(5) }));
    env.send(MPC, &call(1, 5, 9)).unwrap();
    assert_eq!(env.fail(MPC, &call(2, 9, 12)), E::UnexpectedStartEpoch(RD::UnexpectedStartEpoch { startEpoch: u(9), expected: u(10) }));
    assert_eq!(env.fail(MPC, &call(2, 11, 12)), E::UnexpectedStartEpoch(RD::UnexpectedStartEpoch { startEpoch: u(11), expected: u(10) }));
    // A batch may cover a single epoch.
    env.send(MPC, &call(2, 10, 10)).unwrap();
    let last = env.view(&RD::lastBatchCall {});
    assert_eq!((last.batchId, last.nextEpoch), (u(2), u(11)));
    // No treasury share was set: all of it is pending.
    assert_eq!(env.pending(u(1)), metis(6));
}

#[test]
fn governance_sets_the_terms_within_bounds() {
    let env = Env::new();
    assert_eq!(env.fail(MALLORY, &RD::setRewardPerBlockCall { rewardPerBlock: u(1) }), E::NotGovernance(RD::NotGovernance { caller: MALLORY }));
    let max = dseq_abi::rewards::MAX_REWARD_PER_BLOCK;
    assert_eq!(
        env.fail(GOV, &RD::setRewardPerBlockCall { rewardPerBlock: max + u(1) }),
        E::InvalidRewardPerBlock(RD::InvalidRewardPerBlock { rewardPerBlock: max + u(1), max })
    );
    let out = env.send(GOV, &RD::setRewardPerBlockCall { rewardPerBlock: metis(2) }).unwrap();
    assert_eq!(out.events::<RD::RewardPerBlockChanged>(), vec![RD::RewardPerBlockChanged { previous: metis(1), rewardPerBlock: metis(2) }]);
    assert_eq!(env.fail(GOV, &RD::setTreasuryBpsCall { treasuryBps: 5_001 }), E::InvalidTreasuryBps(RD::InvalidTreasuryBps { bps: 5_001, maxBps: 5_000 }));
    let out = env.send(GOV, &RD::setTreasuryBpsCall { treasuryBps: 5_000 }).unwrap();
    assert_eq!(out.events::<RD::TreasuryBpsChanged>(), vec![RD::TreasuryBpsChanged { previous: 1_000, treasuryBps: 5_000 }]);
    let max_delay = dseq_abi::rewards::MAX_COMMISSION_DELAY;
    assert_eq!(
        env.fail(GOV, &RD::setCommissionTermsCall { maxCommissionBps: 10_001, commissionDelay: 0 }),
        E::InvalidCommissionTerms(RD::InvalidCommissionTerms { maxCommissionBps: 10_001, commissionDelay: 0, maxDelay: max_delay })
    );
    assert_eq!(
        env.fail(GOV, &RD::setCommissionTermsCall { maxCommissionBps: 0, commissionDelay: max_delay + 1 }),
        E::InvalidCommissionTerms(RD::InvalidCommissionTerms { maxCommissionBps: 0, commissionDelay: max_delay + 1, maxDelay: max_delay })
    );
    env.send(GOV, &RD::setCommissionTermsCall { maxCommissionBps: 10_000, commissionDelay: max_delay }).unwrap();
    let terms = env.view(&RD::commissionTermsCall {});
    assert_eq!((terms.maxCommissionBps, terms.commissionDelay), (10_000, max_delay));
    for (call, name) in [
        (RD::setTreasuryCall { treasury: Address::ZERO }.abi_encode(), "treasury"),
        (RD::setRewardPayerCall { rewardPayer: Address::ZERO }.abi_encode(), "payer"),
        (RD::setSubmitterCall { submitter: Address::ZERO }.abi_encode(), "submitter"),
    ] {
        let revert = env.world.transact(GOV, DISTRIBUTOR, call).expect_err(name);
        assert_eq!(revert.decode::<E>(), E::ZeroAddress(RD::ZeroAddress {}), "{name}");
    }
    let out = env.send(GOV, &RD::setSubmitterCall { submitter: CAROL }).unwrap();
    assert_eq!(out.events::<RD::SubmitterChanged>(), vec![RD::SubmitterChanged { previous: MPC, submitter: CAROL }]);
    // The new terms apply to the next batch: 2 METIS a block, half to the treasury.
    env.send(CAROL, &env.batch_call(1, &[(signer(1), 10)])).unwrap();
    assert_eq!((env.pending(u(1)), env.treasury()), (metis(10), metis(10)));
    assert_eq!(env.fail(MPC, &env.batch_call(1, &[(signer(1), 10)])), E::NotSubmitter(RD::NotSubmitter { caller: MPC }));
    assert_eq!(env.fail(MALLORY, &RD::pauseCall {}), E::NotGovernance(RD::NotGovernance { caller: MALLORY }));
    assert_eq!(env.fail(GOV, &RD::unpauseCall {}), E::ExpectedPause(RD::ExpectedPause {}));
}

#[test]
fn initialize_checks_its_setup_and_runs_once() {
    let env = Env::bare();
    assert_eq!(env.fail(GOV, &init(Address::ZERO, POOL, MPC, PAYER, TREASURY, u(1), 0, 0)), E::ZeroAddress(RD::ZeroAddress {}));
    assert_eq!(env.fail(GOV, &init(GOV, POOL, Address::ZERO, PAYER, TREASURY, u(1), 0, 0)), E::ZeroAddress(RD::ZeroAddress {}));
    assert_eq!(
        env.fail(GOV, &init(GOV, POOL, MPC, PAYER, TREASURY, u(1), 5_001, 0)),
        E::InvalidTreasuryBps(RD::InvalidTreasuryBps { bps: 5_001, maxBps: 5_000 })
    );
    let out = env.send(MALLORY, &init(GOV, POOL, MPC, PAYER, TREASURY, metis(1), 1_000, 0)).unwrap();
    assert_eq!(out.events::<RD::Initialized>(), vec![RD::Initialized { version: 1 }]);
    assert_eq!(
        out.events::<RD::CommissionTermsChanged>(),
        vec![RD::CommissionTermsChanged { maxCommissionBps: 3_000, commissionDelay: dseq_abi::rewards::DEFAULT_COMMISSION_DELAY }]
    );
    assert_eq!(env.view(&RD::tokenCall {}), METIS, "the pool's token");
    assert_eq!(
        (env.view(&RD::governanceCall {}), env.view(&RD::poolCall {}), env.view(&RD::submitterCall {}), env.view(&RD::rewardPayerCall {}), env.view(&RD::treasuryCall {})),
        (GOV, POOL, MPC, PAYER, TREASURY)
    );
    assert_eq!((env.view(&RD::rewardPerBlockCall {}), env.view(&RD::treasuryBpsCall {})), (metis(1), 1_000));
    assert_eq!(env.view(&RD::maxBatchSignersCall {}), u(100));
    assert_eq!(env.fail(GOV, &init(GOV, POOL, MPC, PAYER, TREASURY, u(1), 0, 0)), E::InvalidInitialization(RD::InvalidInitialization {}));
}

#[test]
fn storage_layout_matches_the_committed_file() {
    let committed = include_str!("../storage-layout.txt");
    if reward_distributor::STORAGE_LAYOUT != committed {
        panic!(
            "the distributor's storage layout changed. It lives behind a proxy, so fields may only be \
             appended; if that is what changed, write this into contracts/reward-distributor/storage-layout.txt:\n{}",
            reward_distributor::STORAGE_LAYOUT
        );
    }
}
