//! reward-distributor on the devnode: deployed by `dseq deploy`'s code behind its proxy and
//! wired to the pool, with the Solidity vault as the paired LST, driven through `dseq-client`
//! as the CLI drives it; every refusal read back from real revert data, every amount exact,
//! and after every step the books close: funded == paid + claimable == what the distributor
//! holds. (Each rule's edges are in `contracts/reward-distributor/tests/`, without a VM.)

mod common;

use common::{fails, metis};

use dseq::lst_vault::{self, IMockLstVault};
use dseq_client::alloy::primitives::{Address, U256};
use dseq_client::alloy::rpc::types::TransactionReceipt;
use dseq_client::alloy::sol_types::SolCall;
use dseq_client::bindings::{ERC1967Proxy, ILockingPool, ILstRegistry, IRewardDistributor, IERC20};
use dseq_client::client::events;
use dseq_client::deploy::DeployConfig;
use dseq_client::lst::Lsts;
use dseq_client::pool::Pool;
use dseq_client::rewards::{Batch, Rewards, Submitted};
use dseq_client::{Client, Deployment};
use k256::ecdsa::SigningKey;

fn node_key(n: u8) -> SigningKey {
    SigningKey::from_slice(&[0x90 + n; 32]).unwrap()
}

fn signer(n: u8) -> Address {
    Address::from_public_key(node_key(n).verifying_key())
}

/// The suite with dev account 0 as the pool's admission, the registry's and the distributor's
/// governance, every proxy's upgrader, the submitter and the reward payer (10,000,000 METIS,
/// the distributor approved); 1 METIS a block and 10% to the treasury, dev account 9.
/// Sequencers 1 to 3 are run by dev accounts 1 to 3 with 30,000 METIS each, signing with
/// `node_key(1..=3)`. The vault (managed by dev account 4, holding 100,000 METIS of dev account
/// 5's) is approved and paired with sequencer 1, where it delegated 60,000 METIS: sequencer 1's
/// rewards split 1:2 between Alice and the vault.
struct Env {
    _node: devnode::RunningNode,
    client: Client,
    d: Deployment,
    artifacts: dseq_client::Artifacts,
    vault: Address,
}

impl Env {
    async fn new() -> Self {
        let dev = dseq::session::dev_signers();
        let admin = dev[0].address();
        let config = DeployConfig {
            admission: Some(admin),
            lst_governance: Some(admin),
            reward_governance: Some(admin),
            upgrader: Some(admin),
            treasury: Some(dev[9].address()),
            reward_per_block: Some("1".into()),
            ..DeployConfig::default()
        };
        let (node, client, d, artifacts) = common::suite_with_operators(config, node_key).await;
        let pool = Pool::of(&client, &d).unwrap();
        let distributor = d.reward_distributor().unwrap();
        client.send_call(admin, pool.token, &IERC20::mintCall { to: admin, value: metis(10_000_000) }).await.unwrap();
        client.send_call(admin, pool.token, &IERC20::approveCall { spender: distributor, value: U256::MAX }).await.unwrap();
        let (manager, holder) = (client.accounts[4], client.accounts[5]);
        let vault = lst_vault::deploy(&client, &artifacts, &d, manager, manager).await.unwrap();
        let lsts = Lsts::of(&client, &d).unwrap();
        let call = ILstRegistry::approveLstCall { lst: vault, name: "vault".into(), cap: metis(1_000_000) };
        client.send_call(admin, lsts.registry, &call).await.unwrap();
        client.send_call(holder, pool.token, &IERC20::mintCall { to: holder, value: metis(100_000) }).await.unwrap();
        client.send_call(holder, pool.token, &IERC20::approveCall { spender: vault, value: metis(100_000) }).await.unwrap();
        client.send_call(holder, vault, &IMockLstVault::depositCall { amount: metis(100_000) }).await.unwrap();
        client.send_call(manager, vault, &IMockLstVault::offerPairingCall { sequencerId: U256::from(1) }).await.unwrap();
        lsts.accept(client.accounts[1], U256::from(1), vault).await.unwrap();
        client.send_call(manager, vault, &IMockLstVault::delegateCall { sequencerId: U256::from(1), amount: metis(60_000) }).await.unwrap();
        Self { _node: node, client, d, artifacts, vault }
    }

    fn rewards(&self) -> Rewards<'_> {
        Rewards::of(&self.client, &self.d).unwrap()
    }

    fn pool(&self) -> Pool<'_> {
        Pool::of(&self.client, &self.d).unwrap()
    }

    fn admin(&self) -> Address {
        self.client.accounts[0]
    }

    fn operator(&self, id: u8) -> Address {
        self.client.accounts[id as usize]
    }

    fn treasury(&self) -> Address {
        self.client.accounts[9]
    }

    fn d(&self) -> IRewardDistributor::IRewardDistributorInstance<dseq_client::alloy::providers::DynProvider> {
        IRewardDistributor::new(self.rewards().address, self.client.provider.clone())
    }

    /// The next batch, one epoch long, paying `(signer, blocks)`.
    async fn batch(&self, entries: Vec<(Address, u64)>) -> Submitted {
        let r = self.rewards();
        let (_, next) = r.last_batch().await.unwrap();
        let batch = r.next_batch(None, next, entries).await.unwrap();
        r.submit(self.admin(), &batch).await.unwrap().0
    }

    async fn metis_of(&self, who: Address) -> U256 {
        IERC20::new(self.d.token().unwrap(), self.client.provider.clone()).balanceOf(who).call().await.unwrap()
    }

    /// `(pending, operator claimable)` of sequencer `id`.
    async fn balances(&self, id: u64) -> (U256, U256) {
        let s = self.rewards().sequencer(U256::from(id)).await.unwrap();
        (s.pending, s.operator_claimable)
    }

    async fn lst_balance(&self) -> U256 {
        self.d().lstRewards(self.vault).call().await.unwrap()
    }

    /// Funded == paid + claimable, and the distributor holds exactly the claimable amount.
    async fn assert_books(&self) -> (U256, U256) {
        let view = self.rewards().view(10, &[self.vault]).await.unwrap();
        assert!(view.balanced(), "the books do not close: {view:?}");
        (view.funded, view.paid)
    }

    async fn warp(&self, seconds: u64) {
        self.client.warp(seconds).await.unwrap();
    }

    /// Governance (dev account 0) sends `call` to the distributor.
    async fn govern<C: SolCall>(&self, call: &C) -> TransactionReceipt {
        self.client.send_call(self.admin(), self.rewards().address, call).await.unwrap()
    }
}

const DAY: u64 = 24 * 3600;

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_splits_by_stake_and_every_party_claims_exactly_its_share() {
    let env = Env::new().await;
    let r = env.rewards();
    let payer_before = env.metis_of(env.admin()).await;

    // Batch 1: Alice's signer 100 blocks, Bob's 50, at 1 METIS a block.
    let done = env.batch(vec![(signer(2), 50), (signer(1), 100)]).await;
    assert_eq!((done.reward, done.treasury_share), (metis(150), metis(15)));
    assert!(done.batch.signers[0] < done.batch.signers[1], "sent in ascending order");
    assert_eq!(env.metis_of(env.admin()).await, payer_before - metis(150), "the total is pulled from the payer in the same transaction");
    let ev = env.d().lastBatch().call().await.unwrap();
    assert_eq!((ev.batchId, ev.nextEpoch), (U256::from(1), U256::from(1)));
    assert_eq!(env.d().batchDigest(U256::from(1)).call().await.unwrap(), done.batch.digest());
    // Alice's 90 splits 1:2 with the vault; Bob's 45 is all his.
    let alice = r.sequencer(U256::from(1)).await.unwrap();
    assert_eq!((alice.pending, alice.operator_share, alice.lst_share, alice.commission, alice.lst), (metis(90), metis(30), metis(60), U256::ZERO, env.vault));
    assert_eq!(env.balances(2).await, (metis(45), U256::ZERO));
    assert_eq!(env.d().treasuryRewards().call().await.unwrap(), metis(15));
    env.assert_books().await;

    // Alice sets a 10% commission; it waits 7 days, then batch 2 splits under it while batch
    // 1's pending amount keeps the rate it was credited under.
    let (current, next, at, _) = r.set_commission(env.operator(1), 1_000).await.unwrap();
    assert_eq!((current, next), (0, 1_000));
    env.warp(at - env.client.latest_block().await.unwrap().1).await;
    env.batch(vec![(signer(1), 100)]).await;
    let alice = r.sequencer(U256::from(1)).await.unwrap();
    assert_eq!((alice.pending, alice.operator_claimable, alice.commission_bps), (metis(90), metis(30), 1_000), "the old pending was split at 0% first");
    assert_eq!(env.lst_balance().await, metis(60));
    // Of the new 90: the vault's pro-rata 60, 6 of it commission.
    assert_eq!((alice.operator_share, alice.lst_share, alice.commission), (metis(36), metis(54), metis(6)));

    // Alice claims to her recipient (herself): settled first, then 30 + 36.
    let before = env.metis_of(env.operator(1)).await;
    let (paid, to, receipt) = r.claim_operator(env.operator(1), U256::from(1)).await.unwrap();
    assert_eq!((paid, to), (metis(66), env.operator(1)));
    assert_eq!(env.metis_of(env.operator(1)).await, before + metis(66));
    let settled = events::<IRewardDistributor::RewardsSettled>(&receipt, r.address).pop().unwrap();
    assert_eq!((settled.sequencerId, settled.lst, settled.operatorShare, settled.lstShare, settled.commission), (U256::from(1), env.vault, metis(36), metis(54), metis(6)));
    let claimed = events::<IRewardDistributor::OperatorRewardsClaimed>(&receipt, r.address).pop().unwrap();
    assert_eq!((claimed.sequencerId, claimed.recipient, claimed.amount), (U256::from(1), env.operator(1), metis(66)));
    assert!(fails(r.claim_operator(env.operator(1), U256::from(1)).await).contains("NothingToClaim"));

    // The vault claims its 60 + 54; the treasury gets its 25; Bob's 45 stay claimable.
    let receipt = env.client.send_call(env.client.accounts[4], env.vault, &IMockLstVault::claimRewardsCall {}).await.unwrap();
    let ev = events::<IRewardDistributor::LstRewardsClaimed>(&receipt, r.address).pop().unwrap();
    assert_eq!((ev.lst, ev.amount), (env.vault, metis(114)));
    assert_eq!(lst_vault::assets(&env.client, env.vault).await.unwrap().rewards, metis(114));
    let (paid, treasury, _) = r.claim_treasury(env.client.accounts[7]).await.unwrap();
    assert_eq!((paid, treasury, env.metis_of(env.treasury()).await), (metis(25), env.treasury(), metis(25)));
    assert!(fails(r.claim_treasury(env.client.accounts[7]).await).contains("NothingToClaim"));
    let (funded, paid) = env.assert_books().await;
    assert_eq!((funded, paid), (metis(250), metis(205)));
    assert_eq!(env.balances(2).await, (metis(45), U256::ZERO));
    // Bob's reward recipient, not only Bob, may claim; anyone else may not.
    env.pool().set_reward_recipient(env.operator(2), env.client.accounts[8]).await.unwrap();
    let err = fails(env.client.send_call(env.client.accounts[7], r.address, &IRewardDistributor::claimOperatorRewardsCall { sequencerId: U256::from(2) }).await);
    assert!(err.contains(&format!("NotOperatorOrRecipient(sequencerId: 2, caller: {})", env.client.accounts[7])), "{err}");
    let (paid, to, _) = r.claim_operator(env.client.accounts[8], U256::from(2)).await.unwrap();
    assert_eq!((paid, to, env.metis_of(env.client.accounts[8]).await), (metis(45), env.client.accounts[8], metis(45)));
    let (funded, paid) = env.assert_books().await;
    assert_eq!(funded, paid, "everything funded was paid");
    assert_eq!(env.metis_of(r.address).await, U256::ZERO);
}

#[tokio::test(flavor = "multi_thread")]
async fn each_batch_rule_is_refused_with_its_own_error_and_nothing_moves() {
    let env = Env::new().await;
    let r = env.rewards();
    let to = r.address;
    let mpc = env.admin();
    let payer_before = env.metis_of(mpc).await;
    let call = |id: u64, start: u64, end: u64, signers: Vec<Address>, blocks: Vec<u64>| IRewardDistributor::submitBatchCall {
        batchId: U256::from(id),
        startEpoch: U256::from(start),
        endEpoch: U256::from(end),
        signers,
        blocks: blocks.into_iter().map(U256::from).collect(),
    };
    let mut sorted = vec![signer(1), signer(2), signer(3)];
    sorted.sort();
    let (a, b) = (sorted[0], sorted[1]);
    let send = |c: IRewardDistributor::submitBatchCall, from: Address| {
        let client = &env.client;
        async move { fails(client.send_call(from, to, &c).await) }
    };
    let stranger = env.client.accounts[7];
    assert!(send(call(1, 0, 0, vec![a], vec![1]), stranger).await.contains(&format!("NotSubmitter(caller: {stranger})")));
    assert!(send(call(2, 0, 0, vec![a], vec![1]), mpc).await.contains("UnexpectedBatchId(batchId: 2, expected: 1)"));
    assert!(send(call(1, 1, 1, vec![a], vec![1]), mpc).await.contains("UnexpectedStartEpoch(startEpoch: 1, expected: 0)"));
    assert!(send(call(1, 0, u64::MAX, vec![a], vec![1]), mpc).await.contains("InvalidEpochRange(startEpoch: 0, endEpoch: 18446744073709551615)"));
    assert!(send(call(1, 0, 0, vec![], vec![]), mpc).await.contains("InvalidBatchLength(signers: 0, blocks: 0, maxSigners: 100)"));
    assert!(send(call(1, 0, 0, vec![a, b], vec![1]), mpc).await.contains("InvalidBatchLength(signers: 2, blocks: 1, maxSigners: 100)"));
    let many: Vec<Address> = (1..=101u64).map(|i| Address::from_word(U256::from(i).into())).collect();
    assert!(send(call(1, 0, 0, many, vec![1; 101]), mpc).await.contains("InvalidBatchLength(signers: 101, blocks: 101, maxSigners: 100)"));
    // A signer listed twice (Metis pays it twice), or out of order.
    assert!(send(call(1, 0, 0, vec![a, a], vec![1, 1]), mpc).await.contains(&format!("SignersNotAscending(index: 1, signer: {a})")));
    assert!(send(call(1, 0, 0, vec![b, a], vec![1, 1]), mpc).await.contains(&format!("SignersNotAscending(index: 1, signer: {a})")));
    assert!(send(call(1, 0, 0, vec![a], vec![0]), mpc).await.contains(&format!("InvalidBlockCount(signer: {a}, blocks: 0)")));
    let unknown = Address::repeat_byte(0xee);
    let mut with_unknown = vec![a, unknown];
    with_unknown.sort();
    assert!(send(call(1, 0, 0, with_unknown, vec![1, 1]), mpc).await.contains(&format!("UnknownSigner(signer: {unknown})")));
    // A payer that withdrew its allowance: the token's refusal, passed through.
    env.client.send_call(mpc, env.d.token().unwrap(), &IERC20::approveCall { spender: to, value: U256::ZERO }).await.unwrap();
    let err = send(call(1, 0, 0, vec![a], vec![1]), mpc).await;
    assert!(err.contains("TokenCallFailed") && err.contains("ERC20InsufficientAllowance"), "{err}");
    env.client.send_call(mpc, env.d.token().unwrap(), &IERC20::approveCall { spender: to, value: U256::MAX }).await.unwrap();
    // Paused: batches and fee deposits wait; governance alone pauses.
    assert!(fails(env.client.send_call(stranger, to, &IRewardDistributor::pauseCall {}).await).contains("NotGovernance"));
    env.govern(&IRewardDistributor::pauseCall {}).await;
    assert!(send(call(1, 0, 0, vec![a], vec![1]), mpc).await.contains("EnforcedPause()"));
    assert!(fails(env.client.send_call(mpc, to, &IRewardDistributor::depositFeesCall { sequencerId: U256::from(1), amount: metis(1) }).await).contains("EnforcedPause()"));
    // The client says so before sending anything.
    let batch = r.next_batch(None, 0, vec![(a, 1)]).await.unwrap();
    assert!(fails(r.submit(mpc, &batch).await).contains("the distributor is paused (EnforcedPause)"));
    env.govern(&IRewardDistributor::unpauseCall {}).await;
    assert!(fails(r.submit(stranger, &batch).await).contains("is not the distributor's submitter"));
    assert!(fails(r.next_batch(Some(3), 0, vec![(a, 1)]).await).contains("must start at epoch 0"));
    assert!(fails(r.next_batch(None, 0, vec![(a, 1), (a, 2)]).await).contains("is given twice"));
    let unknown_batch = r.next_batch(None, 0, vec![(unknown, 1)]).await.unwrap();
    assert!(fails(r.submit(mpc, &unknown_batch).await).contains("never signed for a sequencer in the pool (UnknownSigner)"));

    // Nothing moved; the first valid batch is still batch 1 from epoch 0.
    assert_eq!(env.metis_of(mpc).await, payer_before);
    assert_eq!(env.d().lastBatch().call().await.unwrap().batchId, U256::ZERO);
    let done = r.submit(mpc, &batch).await.unwrap().0;
    assert_eq!((done.batch.id, done.reward), (1, metis(1)));
    // A replayed batch is refused: its id is spent.
    assert!(send(batch.call(), mpc).await.contains("UnexpectedBatchId(batchId: 1, expected: 2)"));
    env.assert_books().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rotated_or_exited_signer_is_still_paid_for_its_blocks() {
    let env = Env::new().await;
    let r = env.rewards();
    let pool = env.pool();
    env.warp(DAY + 1).await;
    // Bob moves to a new key; Carol exits and takes her stake back.
    pool.rotate_signer(env.operator(2), &node_key(12)).await.unwrap();
    pool.exit(env.operator(3)).await.unwrap();
    env.warp(dseq_abi::locking_pool::DEFAULT_EXIT_DELAY + 1).await;
    pool.claim(env.operator(3)).await.unwrap();
    assert_eq!(pool.sequencer(U256::from(3)).await.unwrap().status, 3, "Carol's sequencer is Unlocked");
    // Blocks of Bob's old and new keys, and of Carol's only key: Metis reverts such a batch.
    let done = env.batch(vec![(signer(2), 10), (signer(12), 20), (signer(3), 40)]).await;
    let at = |s: Address| done.sequencers[done.batch.signers.iter().position(|x| *x == s).unwrap()];
    assert_eq!((at(signer(2)), at(signer(12)), at(signer(3))), (2, 2, 3));
    assert_eq!(env.balances(2).await.0, metis(27), "both of Bob's keys' blocks, net of 10%");
    assert_eq!(env.balances(3).await.0, metis(36));
    // Carol, gone from the pool, still claims hers.
    let before = env.metis_of(env.operator(3)).await;
    let (paid, _, _) = r.claim_operator(env.operator(3), U256::from(3)).await.unwrap();
    assert_eq!((paid, env.metis_of(env.operator(3)).await - before), (metis(36), metis(36)));
    // Her rewards cannot be compounded: she has no live stake.
    env.batch(vec![(signer(3), 10)]).await;
    assert!(fails(r.compound(env.operator(3)).await).contains("has no live sequencer"));
    let err = fails(env.client.send_call(env.operator(3), pool.address, &ILockingPool::relockCall { sequencerId: U256::from(3), amount: U256::ZERO, lockReward: true }).await);
    assert!(err.contains("reverted: "), "{err}");
    env.assert_books().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn fees_split_as_rewards_for_a_sequencer_and_pro_rata_for_a_batch() {
    let env = Env::new().await;
    let r = env.rewards();
    let payer = env.client.accounts[6];
    env.client.send_call(payer, env.d.token().unwrap(), &IERC20::mintCall { to: payer, value: metis(1_000) }).await.unwrap();

    // 30 METIS for Alice's sequencer: 3 to the treasury, 27 split 9 / 18 with the vault.
    let (treasury, receipts) = r.deposit_fees(payer, U256::from(1), metis(30)).await.unwrap();
    assert_eq!(treasury, metis(3));
    assert_eq!(receipts.len(), 2, "approval, then the deposit");
    let ev = events::<IRewardDistributor::FeesDeposited>(receipts.last().unwrap(), r.address).pop().unwrap();
    assert_eq!((ev.sequencerId, ev.from, ev.amount, ev.treasuryShare), (U256::from(1), payer, metis(30), metis(3)));
    let alice = r.sequencer(U256::from(1)).await.unwrap();
    assert_eq!((alice.pending, alice.operator_share, alice.lst_share), (metis(27), metis(9), metis(18)));

    // A batch of 1 and 2 blocks, then 10 METIS + 1 wei for it: shares by blocks, rounded down,
    // the dust (and 10%) to the treasury.
    let done = env.batch(vec![(signer(2), 1), (signer(3), 2)]).await;
    let batch = r.batch(done.batch.id).await.unwrap();
    assert_eq!(batch, done.batch, "read back from the transaction, checked against the stored digest");
    let amount = metis(10) + U256::from(1);
    let (before2, before3) = (env.balances(2).await.0, env.balances(3).await.0);
    let treasury_before = env.d().treasuryRewards().call().await.unwrap();
    let (treasury, _) = r.deposit_batch_fees(payer, &batch, amount).await.unwrap();
    let (share2, share3) = (amount / U256::from(3), amount * U256::from(2) / U256::from(3));
    let dust = amount - share2 - share3;
    let net = |share: U256| share - share / U256::from(10);
    assert_eq!(env.balances(2).await.0 - before2, net(share2));
    assert_eq!(env.balances(3).await.0 - before3, net(share3));
    assert_eq!(treasury, dust + share2 / U256::from(10) + share3 / U256::from(10));
    assert_eq!(env.d().treasuryRewards().call().await.unwrap() - treasury_before, treasury);

    // Fees for a batch need its exact signers and blocks, and the batch must exist.
    let mut forged = batch.clone();
    forged.blocks[0] += U256::from(1);
    let err = fails(env.client.send_call(payer, r.address, &IRewardDistributor::depositBatchFeesCall { batchId: U256::from(batch.id), signers: forged.signers.clone(), blocks: forged.blocks.clone(), amount: metis(1) }).await);
    assert!(err.contains(&format!("BatchMismatch(batchId: {}, digest: {}", batch.id, batch.digest())), "{err}");
    let err = fails(env.client.send_call(payer, r.address, &IRewardDistributor::depositBatchFeesCall { batchId: U256::from(9), signers: batch.signers.clone(), blocks: batch.blocks.clone(), amount: metis(1) }).await);
    assert!(err.contains("BatchMismatch(batchId: 9, digest: 0x0000000000000000000000000000000000000000000000000000000000000000"), "{err}");
    assert!(fails(r.batch(9).await).contains("there is no batch 9"));
    assert!(fails(r.deposit_fees(payer, U256::from(1), U256::ZERO).await).contains("ZeroAmount"));
    assert!(fails(r.deposit_fees(payer, U256::from(7), metis(1)).await).contains("no sequencer 7"));
    let err = fails(env.client.send_call(payer, r.address, &IRewardDistributor::depositFeesCall { sequencerId: U256::from(7), amount: metis(1) }).await);
    assert!(err.contains("UnknownSequencer(sequencerId: 7)"), "{err}");
    let poor = env.client.accounts[8];
    assert!(fails(r.deposit_fees(poor, U256::from(1), metis(1)).await).contains("holds 0 METIS but the deposit needs 1 METIS"));
    env.assert_books().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn compounding_moves_the_operators_share_into_its_stake_and_votes() {
    let env = Env::new().await;
    let r = env.rewards();
    let votes = dseq_client::votes::Votes::of(&env.client, &env.d).unwrap();
    let alice = env.operator(1);
    assert!(fails(r.compound(alice).await).contains("no operator rewards to compound"));
    env.batch(vec![(signer(1), 100)]).await;
    let (stake_before, pool_before) = (env.pool().sequencer(U256::from(1)).await.unwrap().amount, env.metis_of(env.pool().address).await);
    let votes_before = votes.view(alice).await.unwrap().stake;
    let (amount, stake, receipt) = r.compound(alice).await.unwrap();
    // Her 30 of the 90 (the vault's 60 set aside at the stakes that earned it).
    assert_eq!((amount, stake), (metis(30), stake_before + metis(30)));
    assert_eq!(env.metis_of(env.pool().address).await, pool_before + metis(30));
    assert_eq!(votes.view(alice).await.unwrap().stake, votes_before + metis(30), "compounded stake votes");
    let ev = events::<ILockingPool::RewardCompounded>(&receipt, env.pool().address).pop().unwrap();
    assert_eq!((ev.sequencerId, ev.amount), (U256::from(1), metis(30)));
    assert_eq!(env.lst_balance().await, metis(60));
    assert_eq!(env.balances(1).await, (U256::ZERO, U256::ZERO));
    // The next batch splits at the new stakes: Alice 30,030 against the vault's 60,000.
    env.batch(vec![(signer(1), 100)]).await;
    let s = r.sequencer(U256::from(1)).await.unwrap();
    let lst = metis(90) * metis(60_000) / (metis(60_000) + metis(30_030));
    assert_eq!((s.lst_share, s.operator_share), (lst, metis(90) - lst));
    // Only the pool may take rewards for compounding, and only the pool reports stakes.
    let stranger = env.client.accounts[7];
    let err = fails(env.client.send_call(stranger, r.address, &IRewardDistributor::claimForCompoundCall { sequencerId: U256::from(1) }).await);
    assert!(err.contains(&format!("NotPool(caller: {stranger})")), "{err}");
    let forged = IRewardDistributor::settleStakesCall { sequencerId: U256::from(1), operatorStake: U256::ZERO, lst: stranger, lstStake: metis(1) };
    assert!(fails(env.client.send_call(stranger, r.address, &forged).await).contains("NotPool"));
    env.assert_books().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_commission_change_waits_its_delay_and_stays_under_the_cap() {
    let env = Env::new().await;
    let r = env.rewards();
    let alice = env.operator(1);
    let (_, _, at, _) = r.set_commission(alice, 1_000).await.unwrap();
    env.warp(at - env.client.latest_block().await.unwrap().1).await;
    // Raised to the cap just before a batch: the batch still splits at 10%.
    let (current, next, at, receipt) = r.set_commission(alice, 3_000).await.unwrap();
    let now = env.client.latest_block().await.unwrap().1;
    assert_eq!((current, next, at), (1_000, 3_000, now + dseq_abi::rewards::DEFAULT_COMMISSION_DELAY));
    let ev = events::<IRewardDistributor::CommissionScheduled>(&receipt, r.address).pop().unwrap();
    assert_eq!((ev.sequencerId, ev.currentBps, ev.nextBps, ev.effectiveAt), (U256::from(1), 1_000, 3_000, at));
    env.batch(vec![(signer(1), 100)]).await;
    let s = r.sequencer(U256::from(1)).await.unwrap();
    assert_eq!((s.commission_bps, s.commission, s.lst_share), (1_000, metis(6), metis(54)));
    // Once it is due, what was pending keeps 10% and only new credits pay 30%.
    env.warp(dseq_abi::rewards::DEFAULT_COMMISSION_DELAY).await;
    env.batch(vec![(signer(1), 100)]).await;
    let s = r.sequencer(U256::from(1)).await.unwrap();
    assert_eq!((s.operator_claimable, s.commission_bps, s.commission, s.lst_share), (metis(36), 3_000, metis(18), metis(42)));
    assert_eq!(env.lst_balance().await, metis(54));
    // Above the cap, or by anyone but the owner: refused.
    assert!(fails(r.set_commission(alice, 3_001).await).contains("at most 30%"));
    let err = fails(env.client.send_call(alice, r.address, &IRewardDistributor::setCommissionCall { sequencerId: U256::from(1), bps: 3_001 }).await);
    assert!(err.contains("CommissionAboveCap(bps: 3001, maxBps: 3000)"), "{err}");
    let bob = env.operator(2);
    let err = fails(env.client.send_call(bob, r.address, &IRewardDistributor::setCommissionCall { sequencerId: U256::from(1), bps: 0 }).await);
    assert!(err.contains(&format!("NotSequencerOwner(sequencerId: 1, caller: {bob})")), "{err}");
    // Governance moves the cap and the delay, within bounds.
    env.govern(&IRewardDistributor::setCommissionTermsCall { maxCommissionBps: 5_000, commissionDelay: DAY }).await;
    let (_, _, at, _) = r.set_commission(alice, 5_000).await.unwrap();
    assert_eq!(at, env.client.latest_block().await.unwrap().1 + DAY);
    let err = fails(env.client.send_call(env.admin(), r.address, &IRewardDistributor::setCommissionTermsCall { maxCommissionBps: 10_001, commissionDelay: 0 }).await);
    assert!(err.contains("InvalidCommissionTerms(maxCommissionBps: 10001, commissionDelay: 0, maxDelay: 7776000)"), "{err}");
    env.assert_books().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn balances_survive_pauses_delistings_exits_hostile_lsts_and_an_upgrade() {
    let env = Env::new().await;
    let r = env.rewards();
    env.batch(vec![(signer(1), 100), (signer(2), 100)]).await;
    // The vault turns hostile: the distributor never calls an LST, so Alice's settlement and
    // claim go on.
    let manager = env.client.accounts[4];
    env.client.send_call(manager, env.vault, &IMockLstVault::setHostileCall { on: true }).await.unwrap();
    let (paid, _, _) = r.claim_operator(env.operator(1), U256::from(1)).await.unwrap();
    assert_eq!(paid, metis(30));
    env.client.send_call(manager, env.vault, &IMockLstVault::setHostileCall { on: false }).await.unwrap();
    // Paused: no batch, but claims work.
    env.govern(&IRewardDistributor::pauseCall {}).await;
    let (paid, _, _) = r.claim_operator(env.operator(2), U256::from(2)).await.unwrap();
    assert_eq!(paid, metis(90));
    env.govern(&IRewardDistributor::unpauseCall {}).await;
    env.batch(vec![(signer(1), 100), (signer(2), 100)]).await;
    // The vault is delisted and its pairing unwound: what it earned is still its to claim.
    let lsts = Lsts::of(&env.client, &env.d).unwrap();
    env.client.send_call(env.admin(), lsts.registry, &ILstRegistry::setLstStatusCall { lst: env.vault, status: dseq_abi::lst::status::DELISTED }).await.unwrap();
    lsts.unpair(env.client.accounts[7], U256::from(1)).await.unwrap();
    assert_eq!(env.lst_balance().await, metis(120), "the unpairing settled the second batch at the old stakes");
    // Bob exits: his rewards stay his.
    env.pool().exit(env.operator(2)).await.unwrap();
    assert_eq!(env.balances(2).await, (U256::ZERO, metis(90)), "the exit settled Bob's pending rewards to him");

    // The distributor is upgraded to a new deployment of its program: every balance survives.
    let (funded, paid) = env.assert_books().await;
    let code = env.artifacts.stylus("reward-distributor").unwrap();
    let (implementation, _) = env.client.deploy_program(env.admin(), &code).await.unwrap();
    let upgrade = ERC1967Proxy::upgradeToAndCallCall { implementation, data: Default::default() };
    env.client.send_call(env.admin(), r.address, &upgrade).await.unwrap();
    assert_eq!(env.assert_books().await, (funded, paid));
    assert_eq!((env.lst_balance().await, env.balances(2).await.1, env.balances(1).await.1), (metis(120), metis(90), metis(30)));
    let receipt = env.client.send_call(manager, env.vault, &IMockLstVault::claimRewardsCall {}).await.unwrap();
    assert_eq!(events::<IRewardDistributor::LstRewardsClaimed>(&receipt, r.address).pop().unwrap().amount, metis(120));
    let (paid, _, _) = r.claim_operator(env.operator(2), U256::from(2)).await.unwrap();
    assert_eq!(paid, metis(90));
    let (paid, _, _) = r.claim_operator(env.operator(1), U256::from(1)).await.unwrap();
    assert_eq!(paid, metis(30));
    r.claim_treasury(env.admin()).await.unwrap();
    let (funded, paid) = env.assert_books().await;
    assert_eq!((funded, paid), (metis(400), metis(400)));
    // The implementation itself cannot be initialized by anyone.
    let init = IRewardDistributor::initializeCall {
        governance: env.client.accounts[7],
        pool: env.pool().address,
        submitter: env.client.accounts[7],
        rewardPayer: env.client.accounts[7],
        treasury: env.client.accounts[7],
        rewardPerBlock: U256::ZERO,
        treasuryBps: 0,
        firstEpoch: 0,
    };
    assert!(fails(env.client.send_call(env.client.accounts[7], implementation, &init).await).contains("InvalidInitialization"));
}

/// A signer entry list's batch agrees with the digest the contract computes.
#[tokio::test(flavor = "multi_thread")]
async fn the_clients_digest_is_the_contracts() {
    let env = Env::new().await;
    let done = env.batch(vec![(signer(3), 7), (signer(1), 9), (signer(2), 1)]).await;
    let stored = env.d().batchDigest(U256::from(done.batch.id)).call().await.unwrap();
    assert_eq!(stored, done.batch.digest());
    let again = Batch::new(done.batch.id, 0, 0, vec![(signer(1), 9), (signer(2), 1), (signer(3), 7)]).unwrap();
    assert_eq!(again.digest(), stored);
}
