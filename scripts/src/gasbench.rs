//! `dseq bench`: gas per operation from receipts on a fresh devnode, beside Metis's figures
//! (`gas-anchors.md`: stock anvil, Metis at bf427d0 behind its proxies), how it grows with
//! the number of sequencers and open withdrawal requests, program sizes, and ERC-20 transfer
//! throughput. Everything goes through the deployed proxy, as users call it.

use std::path::Path;
use std::time::Instant;

use anyhow::{anyhow, Result};
use dseq_client::alloy::primitives::{keccak256, Address, U256};
use dseq_client::alloy::providers::ext::AnvilApi;
use dseq_client::alloy::rpc::types::TransactionReceipt;
use dseq_client::alloy::signers::local::PrivateKeySigner;
use dseq_client::alloy::sol_types::SolValue;
use dseq_client::bindings::{ILockingPool, IERC20};
use dseq_client::deploy::{
    self, DeployConfig, RecordOptions,
};
use dseq_client::bindings::ILstRegistry;
use dseq_client::election::Election;
use dseq_client::governance::{Action, Governance};
use dseq_client::lst::Lsts;
use dseq_client::rewards::Rewards;
use dseq_client::votes::Votes;
use dseq_client::pool::Pool;
use dseq_client::Client;
use k256::ecdsa::SigningKey;
use serde::Serialize;

/// What to measure.
#[derive(Clone, Debug)]
pub struct Options {
    /// Sequencer counts to measure growth at, ascending.
    pub sequencers: Vec<u64>,
    /// Transfers per runtime for throughput (0 skips it).
    pub transfers: u64,
    pub skip_build: bool,
}

/// One operation's gas beside its anchor (Metis for the pool, OpenZeppelin for governance).
#[derive(Clone, Debug, Serialize)]
pub struct OperationRow {
    pub operation: String,
    pub gas_used: u64,
    /// What the incumbent's equivalent costs and what it is (`gas-anchors.md`).
    pub anchor: Option<(u64, String)>,
    /// Work this operation does that its anchor does not, in gas at most: reporting stake to
    /// metis-votes ([`STAKE_REPORT_GAS`]) or the proxy OpenZeppelin's figures lack
    /// ([`PROXY_GAS`]). `dseq`'s promise is `gas_used <= anchor + extra`.
    pub extra: u64,
}

/// At most what reporting a stake change to metis-votes adds to a pool operation: the call
/// through the token's proxy and two vote checkpoints (the owner's delegate's and the total),
/// each a new storage slot plus its head, as ERC20Votes pays on a transfer. Metis keeps no
/// voting power, so its figures have none of it.
pub const STAKE_REPORT_GAS: u64 = 80_000;
/// A call through an ERC-1967 proxy (`gas-anchors.md`: about 7.2k); OpenZeppelin's figures
/// were measured without one.
pub const PROXY_GAS: u64 = 7_200;
/// At most what telling the reward distributor before a stake change adds (`settleStakes`, a
/// call through its proxy, splitting what the old stakes earned): Metis keeps rewards in the
/// pool and splits nothing.
pub const SETTLE_GAS: u64 = 20_000;
/// At most what compounding adds beyond that: the rewards live in the distributor, so the
/// pool takes them in a second call (a token transfer and the pool's check of what arrived);
/// Metis moves a number within its own storage.
pub const COMPOUND_GAS: u64 = 40_000;
/// What a batch stores that Metis's does not: its digest in a new slot (22,100 gas), so that
/// fees can later be deposited for the batch by its blocks.
pub const BATCH_DIGEST_GAS: u64 = 22_100;

impl OperationRow {
    pub fn ratio(&self) -> Option<f64> {
        self.anchor.as_ref().map(|(gas, _)| self.gas_used as f64 / *gas as f64)
    }
}

/// One operation at several sizes.
#[derive(Clone, Debug, Serialize)]
pub struct GrowthRow {
    pub operation: String,
    /// `(what was already there, gas)`.
    pub points: Vec<(String, u64)>,
}

/// A program's deployed size and what a call pays before any of it runs (`ArbWasm.programInitGas`).
#[derive(Clone, Debug, Serialize)]
pub struct SizeRow {
    pub program: String,
    pub compressed_bytes: usize,
    pub percent_of_limit: f64,
    /// Its first call in a block when the chain does not cache it.
    pub init_gas: u64,
    /// When cached (as the bench's deploy does) or called earlier in the block.
    pub cached_init_gas: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub operations: Vec<OperationRow>,
    pub growth: Vec<GrowthRow>,
    pub sizes: Vec<SizeRow>,
    /// The throughput table (see `devnode::bench`), if measured.
    pub throughput: Option<String>,
    pub seconds: f64,
}

fn metis(n: u64) -> U256 {
    U256::from(n) * dseq_abi::locking_pool::METIS
}

/// The `i`-th bench owner's key and its sequencer's signer key.
fn owner_key(i: u64) -> PrivateKeySigner {
    let seed = keccak256((b"dseq bench owner".to_vec(), U256::from(i)).abi_encode_packed());
    PrivateKeySigner::from_bytes(&seed).expect("a hash is a valid key with overwhelming probability")
}

/// The `j`-th election candidate's key (its operator account).
fn candidate_key(j: u64) -> PrivateKeySigner {
    let seed = keccak256((b"dseq bench candidate".to_vec(), U256::from(j)).abi_encode_packed());
    PrivateKeySigner::from_bytes(&seed).expect("a hash is a valid key with overwhelming probability")
}

/// The `k`-th LST's key (an account standing for the LST's vault contract).
fn lst_key(k: u64) -> PrivateKeySigner {
    let seed = keccak256((b"dseq bench lst".to_vec(), U256::from(k)).abi_encode_packed());
    PrivateKeySigner::from_bytes(&seed).expect("a hash is a valid key with overwhelming probability")
}

/// How many LSTs the registry holds when the second set of LST rows is measured.
pub const BENCH_LSTS: u64 = 100;

/// Candidates the election bench needs: a round at the cap, then rounds of 10 and 1 from those
/// not admitted.
const BENCH_CANDIDATES: u64 = dseq_abi::election::MAX_CANDIDATES as u64;

fn signer_key(i: u64) -> SigningKey {
    let seed = keccak256((b"dseq bench signer".to_vec(), U256::from(i)).abi_encode_packed());
    SigningKey::from_slice(seed.as_slice()).expect("valid key")
}

/// The signer address of the `i`-th bench owner's first key.
fn signer_address(i: u64) -> Address {
    Address::from_public_key(signer_key(i).verifying_key())
}

/// The most signers a batch takes; the bench measures a batch of this many.
const MAX_SIGNERS: u64 = dseq_abi::rewards::MAX_BATCH_SIGNERS as u64;

/// The bench's chain: a devnode, the deployed suite and the owners it registers.
struct Bench<'a> {
    client: &'a Client,
    pool: Pool<'a>,
    rewards: Rewards<'a>,
    admin: Address,
    registered: u64,
}

impl Bench<'_> {
    /// Submits the next batch, one epoch long, paying each `(signer, blocks)`; the admin is
    /// the submitter and the reward payer (funded and approved once).
    async fn batch(&self, entries: Vec<(Address, u64)>) -> Result<TransactionReceipt> {
        let (_, next_epoch) = self.rewards.last_batch().await?;
        let batch = self.rewards.next_batch(None, next_epoch, entries).await?;
        let (_, mut receipts) = self.rewards.submit(self.admin, &batch).await?;
        receipts.pop().ok_or_else(|| anyhow!("no receipt"))
    }

    /// Bench owners `from..to`, each with `blocks` blocks, as a batch's entries.
    fn signers(from: u64, to: u64, blocks: u64) -> Vec<(Address, u64)> {
        (from..to).map(|i| (signer_address(i), blocks)).collect()
    }

    fn owner(&self, i: u64) -> Address {
        self.client.accounts[10 + i as usize]
    }

    /// Admits owner `i`, gives it gas money and 100,000 METIS, and approves the pool.
    async fn prepare(&self, i: u64) -> Result<Address> {
        let owner = self.owner(i);
        self.client.provider.anvil_set_balance(owner, U256::from(10u64).pow(U256::from(20))).await?;
        self.client.send_call(self.admin, self.pool.address, &ILockingPool::setWhitelistCall { user: owner, yes: true }).await?;
        self.client.send_call(owner, self.pool.token, &IERC20::mintCall { to: owner, value: metis(100_000) }).await?;
        self.client.send_call(owner, self.pool.token, &IERC20::approveCall { spender: self.pool.address, value: U256::MAX }).await?;
        Ok(owner)
    }

    /// Registers the next owner with 30,000 METIS; returns it, its sequencer id and the receipt.
    async fn register_next(&mut self) -> Result<(Address, U256, TransactionReceipt)> {
        let i = self.registered;
        let owner = self.prepare(i).await?;
        let (id, receipt) = self.pool.register(owner, &signer_key(i), metis(30_000), None).await?;
        self.registered += 1;
        Ok((owner, id, receipt))
    }

    /// Registers owners until `n` sequencers exist.
    async fn grow_to(&mut self, n: u64) -> Result<()> {
        while self.registered < n {
            self.register_next().await?;
        }
        Ok(())
    }

    /// Moves the clock 12 s before a measured transaction, so each one lands in its own second
    /// (as `gas-anchors.md` measured): whether a vote checkpoint overwrites one of the same
    /// second or takes a new slot then never depends on the wall clock.
    async fn tick(&self) -> Result<()> {
        self.client.provider.anvil_increase_time(12).await?;
        Ok(())
    }

    async fn warp(&self, seconds: u64) -> Result<()> {
        self.client.warp(seconds).await
    }
}

/// Records one operation's gas beside its anchor, with what it does that the anchor does not.
fn push_op(ops: &mut Vec<OperationRow>, name: &str, receipt: &TransactionReceipt, anchor: Option<(u64, &str)>) {
    let extra = if name.starts_with("votes:") {
        PROXY_GAS
    } else if name.starts_with("gov:") {
        // The governor's proxy, and the proxy of the token or timelock it calls.
        2 * PROXY_GAS
    } else if name.starts_with("register") {
        STAKE_REPORT_GAS
    } else if name.starts_with("relock") && name.contains("compound") {
        STAKE_REPORT_GAS + SETTLE_GAS + COMPOUND_GAS
    } else if ["relock", "requestWithdrawal", "unlock (exit)"].iter().any(|p| name.starts_with(p)) {
        STAKE_REPORT_GAS + SETTLE_GAS
    } else if name.starts_with("rewards: submitBatch") {
        BATCH_DIGEST_GAS
    } else {
        0
    };
    ops.push(OperationRow { operation: name.into(), gas_used: receipt.gas_used, anchor: anchor.map(|(g, s)| (g, s.to_string())), extra });
}

/// Runs the bench on a fresh in-process devnode.
pub async fn run(root: &Path, options: &Options) -> Result<Report> {
    let started = Instant::now();
    let artifacts = crate::session::artifacts(root, options.skip_build, false)?;
    let mut sizes_at: Vec<u64> = options.sequencers.clone();
    sizes_at.sort_unstable();
    sizes_at.dedup();
    sizes_at.retain(|n| *n > 0);
    let most = sizes_at.last().copied().unwrap_or(1);

    // Owners, then the two LSTs that send transactions, then the candidates (last: `election_rows`
    // counts them from the end).
    // Owners: at least the most signers a batch takes, for the reward rows.
    let owners = (most + 8).max(MAX_SIGNERS + 2);
    let keys = (0..owners).map(owner_key).chain((0..3).map(lst_key)).chain((0..BENCH_CANDIDATES).map(candidate_key)).collect();
    let (node, client) = crate::session::embedded_chain(keys).await?;
    let day = 24 * 3600;
    // The bench admits pool owners itself (dev account 0 keeps ADMISSION_ROLE, which it also
    // grants the election below); the election's bar is low so every candidate qualifies.
    let config = DeployConfig {
        admission: Some(client.accounts[0]),
        election_cadence: Some(30 * day),
        election_application_period: Some(day),
        election_voting_period: Some(5 * day),
        election_vetting_period: Some(day),
        election_max_candidates: Some(dseq_abi::election::MAX_CANDIDATES),
        election_min_voters: Some(1),
        election_quorum: Some("1".into()),
        // The bench approves LSTs itself, without a proposal per approval.
        lst_governance: Some(client.accounts[0]),
        ..DeployConfig::default()
    };
    let (d, _) = deploy::deploy(&client, &artifacts, &config, &RecordOptions::default(), &mut |_| {}).await?;
    let pool = Pool::of(&client, &d)?;
    let admin = d.deployer;
    let rewards = Rewards::of(&client, &d)?;
    // The deployer submits batches and pays for them (the deploy's defaults): funded and
    // approved once, so no batch below pays for an approval.
    client.send_call(admin, d.token()?, &IERC20::mintCall { to: admin, value: metis(100_000_000) }).await?;
    client.send_call(admin, d.token()?, &IERC20::approveCall { spender: rewards.address, value: U256::MAX }).await?;
    let mut bench = Bench { client: &client, pool, rewards, admin, registered: 0 };

    let mut ops = Vec::new();

    // The operations, on a pool with one sequencer already (Metis's "second owner" case).
    eprintln!("bench: operations...");
    bench.register_next().await?;
    bench.tick().await?;
    let (owner, id, r) = bench.register_next().await?;
    push_op(&mut ops, "register (lockFor, 30,000 METIS)", &r, Some((376_835, "lockFor, second owner")));
    let p = &bench.pool;
    bench.tick().await?;
    let r = p.relock(owner, metis(10_000), false).await?;
    push_op(&mut ops, "relock 10,000, no compounding", &r, Some((95_368, "relock(10,000e18, false)")));
    // 500 METIS of reward for the owner's signer (450 after the treasury's 10%), then compounded.
    let reward_blocks = metis(500).div_ceil(bench.rewards.terms().await?.reward_per_block).saturating_to::<u64>();
    bench.batch(vec![(signer_address(1), reward_blocks)]).await?;
    bench.tick().await?;
    let r = p.relock(owner, metis(1_000), true).await?;
    push_op(&mut ops, "relock 1,000 + compound 450 reward", &r, Some((95_590, "relock(1,000e18, true)")));
    bench.batch(vec![(signer_address(1), reward_blocks)]).await?;
    bench.tick().await?;
    let r = p.relock(owner, U256::ZERO, true).await?;
    push_op(&mut ops, "relock 0 + compound 450 reward", &r, Some((89_906, "relock(0, true)")));
    bench.tick().await?;
    let (_, _, r) = p.request_withdrawal(owner, metis(5_000)).await?;
    push_op(&mut ops, "requestWithdrawal (the sequencer's first)", &r, Some((99_608, "withdraw, paid at once")));
    bench.tick().await?;
    let (_, _, r) = p.request_withdrawal(owner, metis(5_000)).await?;
    push_op(&mut ops, "requestWithdrawal (a later one)", &r, Some((99_608, "withdraw, paid at once")));
    bench.warp(dseq_abi::locking_pool::DEFAULT_EXIT_DELAY + 1).await?;
    bench.tick().await?;
    let (_, r) = p.claim_withdrawals(owner, id).await?;
    push_op(&mut ops, "claimWithdrawals (2 matured; Metis: none)", &r, None);
    bench.tick().await?;
    let (_, r) = p.rotate_signer(owner, &signer_key(1_000_000)).await?;
    push_op(&mut ops, "rotateSigner", &r, Some((114_038, "updateSigner")));
    bench.tick().await?;
    let r = p.set_reward_recipient(owner, Address::repeat_byte(0x77)).await?;
    push_op(&mut ops, "setSequencerRewardRecipient", &r, Some((40_243, "setSequencerRewardRecipient, first set")));
    bench.tick().await?;
    let (_, r) = p.exit(owner).await?;
    push_op(&mut ops, "unlock (exit)", &r, Some((168_506, "unlock, no pending reward")));
    bench.warp(dseq_abi::locking_pool::DEFAULT_EXIT_DELAY + 1).await?;
    bench.tick().await?;
    let (_, r) = p.unlock_claim(owner, id).await?;
    push_op(&mut ops, "unlockClaim", &r, Some((109_440, "unlockClaim, reward 0")));

    // The voting token, beside OpenZeppelin 5.7's ERC20Votes (gas-anchors.md, table B/C).
    let votes = Votes::of(&client, &d)?;
    let (h1, h2) = (client.accounts[1], client.accounts[2]);
    for h in [h1, h2] {
        client.send_call(h, d.token()?, &IERC20::mintCall { to: h, value: metis(10_000) }).await?;
        client.send_call(h, d.token()?, &IERC20::approveCall { spender: votes.address, value: U256::MAX }).await?;
    }
    bench.tick().await?;
    let r = votes.wrap(h1, metis(1_000)).await?.pop().ok_or_else(|| anyhow!("no receipt"))?;
    push_op(&mut ops, "votes: wrap (depositFor, first)", &r, None);
    bench.tick().await?;
    let r = votes.delegate(h1, h1).await?;
    push_op(&mut ops, "votes: delegate (self, first time)", &r, Some((95_535, "OZ delegate (self, first time)")));
    votes.wrap(h2, metis(1_000)).await?;
    bench.tick().await?;
    let r = votes.delegate(h2, h1).await?;
    push_op(&mut ops, "votes: delegate to an existing delegate", &r, Some((81_120, "OZ delegate to an existing delegate")));
    votes.delegate(h2, h2).await?;
    bench.warp(12).await?;
    bench.tick().await?;
    let r = client.send_call(h1, votes.address, &IERC20::transferCall { to: h2, value: metis(10) }).await?;
    push_op(&mut ops, "votes: transfer, both self-delegated", &r, Some((104_526, "OZ GOV transfer, both self-delegated")));
    let delegation = votes.delegation(h2, h1, 3600).await?;
    let signature = votes.sign(&delegation, crate::session::dev_signers()[2].credential())?;
    bench.warp(12).await?;
    bench.tick().await?;
    let (_, r) = votes.submit_delegation(h1, h1, delegation.nonce, delegation.expiry, &signature).await?;
    push_op(&mut ops, "votes: delegateBySig (relayed)", &r, None);
    bench.tick().await?;
    let r = votes.unwrap(h1, metis(100)).await?;
    push_op(&mut ops, "votes: unwrap (withdrawTo)", &r, None);

    // Growth with the number of sequencers: the same operations with N already registered.
    // N = 1 is the table above (its owner registered second, relocked and requested first).
    let gas_of = |name: &str| ops.iter().find(|o| o.operation.starts_with(name)).map_or(0, |o| o.gas_used);
    let first = |name: &str| vec![("1 sequencer".to_string(), gas_of(name))];
    let mut register_row = GrowthRow { operation: "register".into(), points: first("register") };
    let mut relock_row = GrowthRow { operation: "relock 10,000".into(), points: first("relock 10,000") };
    let mut request_row = GrowthRow { operation: "requestWithdrawal".into(), points: first("requestWithdrawal (the sequencer's first)") };
    // A batch of the first 10 owners' signers at each size, after one that gave each its
    // first reward (so each measured batch rewrites 10 pending words).
    bench.grow_to(10).await?;
    bench.batch(Bench::signers(0, 10, 1_000)).await?;
    bench.tick().await?;
    let r = bench.batch(Bench::signers(0, 10, 1_000)).await?;
    let mut batch_row = GrowthRow { operation: "submitBatch (10)".into(), points: vec![(format!("{} sequencers", bench.registered), r.gas_used)] };
    for &n in sizes_at.iter().filter(|n| **n > 1) {
        let t = Instant::now();
        bench.grow_to(n).await?;
        let before = ILockingPool::new(d.pool()?, client.provider.clone()).totalSequencers().call().await?;
        bench.tick().await?;
        let (owner, _, r) = bench.register_next().await?;
        let label = format!("{before} sequencers");
        register_row.points.push((label.clone(), r.gas_used));
        bench.tick().await?;
        let r = bench.pool.relock(owner, metis(10_000), false).await?;
        relock_row.points.push((label.clone(), r.gas_used));
        bench.tick().await?;
        let (_, _, r) = bench.pool.request_withdrawal(owner, metis(5_000)).await?;
        request_row.points.push((label.clone(), r.gas_used));
        bench.tick().await?;
        let r = bench.batch(Bench::signers(0, 10, 1_000)).await?;
        batch_row.points.push((label, r.gas_used));
        eprintln!("bench: {before} sequencers registered, measured after {:.1} s", t.elapsed().as_secs_f64());
    }

    // Growth with open withdrawal requests: a request with none open and with max - 1 open;
    // a claim of 1 matured request and of the maximum (bounded by the limit).
    let max = ILockingPool::new(d.pool()?, client.provider.clone()).maxWithdrawalRequests().call().await?;
    let (owner, id, _) = bench.register_next().await?;
    let mut queue_request = GrowthRow { operation: "requestWithdrawal".into(), points: Vec::new() };
    for k in 0..max {
        bench.tick().await?;
        let (_, _, r) = bench.pool.request_withdrawal(owner, metis(1_000)).await?;
        if k == 0 || k == max - 1 {
            queue_request.points.push((format!("{k} open"), r.gas_used));
        }
    }
    bench.warp(dseq_abi::locking_pool::DEFAULT_EXIT_DELAY + 1).await?;
    bench.tick().await?;
    let (_, r) = bench.pool.claim_withdrawals(owner, id).await?;
    let claim_max = r.gas_used;
    bench.pool.request_withdrawal(owner, metis(1_000)).await?;
    bench.warp(dseq_abi::locking_pool::DEFAULT_EXIT_DELAY + 1).await?;
    bench.tick().await?;
    let (_, r) = bench.pool.claim_withdrawals(owner, id).await?;
    let queue_claim = GrowthRow {
        operation: "claimWithdrawals".into(),
        points: vec![("1 matured".into(), r.gas_used), (format!("{max} matured (the limit)"), claim_max)],
    };
    // Governance, with every registered owner a voter (its stake votes, self-delegated):
    // beside OpenZeppelin 5.7's Governor + TimelockControl (gas-anchors.md, table B).
    let gov = Governance::of(&client, &d)?;
    let token = d.token()?;
    client.send_call(admin, token, &IERC20::mintCall { to: gov.timelock, value: metis(10) }).await?;
    let transfer = Action::call(token, "transfer(address,uint256)", &[Address::repeat_byte(0x55).to_string(), "1".into()])?;
    // Voters: owners that only registered (one checkpoint each), not the two the table above
    // relocked, withdrew and exited with, nor the one the queue growth used.
    let voters: Vec<Address> = (2..bench.registered).map(|i| bench.owner(i)).filter(|o| *o != owner).collect();
    let key_of = |voter: Address| (0..bench.registered).find(|i| bench.owner(*i) == voter).map(owner_key);
    bench.warp(60).await?;
    bench.tick().await?;
    let (proposal, r) = gov.propose(voters[0], vec![transfer], "Send 1 wei of METIS from the timelock").await?;
    push_op(&mut ops, "gov: propose (1 call)", &r, Some((80_051, "OZ propose (1 action)")));
    bench.warp(dseq_client::deploy::DEFAULT_VOTING_DELAY + 1).await?;
    let mut vote_row = GrowthRow { operation: "castVote (later)".into(), points: Vec::new() };
    // Vote 1 is the first (it creates the tally's words); until quorum (4% of all votes) every
    // vote also reads the total at the snapshot; the vote that reaches it sets the late-quorum
    // deadline. Later votes are measured after it, as OpenZeppelin's "later vote": castVote,
    // with a reason, by signature, and castVote again after 100 and 1,000 voters.
    let quorum = gov.view(proposal.id).await?.quorum.unwrap_or_default();
    let weight = metis(30_000);
    let reach = quorum.div_ceil(weight).to::<usize>().max(1);
    let (later, with_reason, by_sig) = (reach + 1, reach + 2, reach + 3);
    let mut growth_at: Vec<usize> = vec![later];
    growth_at.extend(sizes_at.iter().map(|s| (*s as usize + 1).min(voters.len())).filter(|n| *n > by_sig));
    growth_at.dedup();
    for (k, voter) in voters.iter().enumerate() {
        let n = k + 1;
        let measured = n == 1 || (reach..=by_sig).contains(&n) || growth_at.contains(&n);
        if measured {
            bench.tick().await?;
        }
        let r = if n == with_reason {
            gov.vote(*voter, proposal.id, 1, Some("for the bench")).await?.1
        } else if n == by_sig {
            let ballot = gov.ballot(*voter, proposal.id, 1).await?;
            let key = key_of(*voter).ok_or_else(|| anyhow!("no key for {voter}"))?;
            let signature = gov.sign(&ballot, key.credential())?;
            gov.submit_vote(admin, proposal.id, 1, *voter, &signature).await?.1
        } else {
            gov.vote(*voter, proposal.id, 1, None).await?.1
        };
        if n == 1 {
            push_op(&mut ops, "gov: castVote (first, below quorum)", &r, Some((99_033, "OZ first vote below quorum")));
        } else if n == reach {
            push_op(&mut ops, "gov: castVote (reaches quorum)", &r, None);
        } else if n == later {
            push_op(&mut ops, "gov: castVote (later)", &r, Some((68_479, "OZ castVote, later vote")));
        } else if n == with_reason {
            push_op(&mut ops, "gov: castVoteWithReason (later)", &r, Some((69_899, "OZ castVoteWithReason, later vote")));
        } else if n == by_sig {
            push_op(&mut ops, "gov: castVoteBySig (later, relayed)", &r, Some((100_169, "OZ castVoteBySig, later vote")));
        }
        if growth_at.contains(&n) {
            vote_row.points.push((format!("{} voters before", n - 1), r.gas_used));
        }
    }
    let deadline: u64 = gov.view(proposal.id).await?.deadline;
    bench.warp(deadline.saturating_sub(client.latest_block().await?.1) + 1).await?;
    bench.tick().await?;
    let (eta, r) = gov.queue(admin, proposal.id).await?;
    push_op(&mut ops, "gov: queue (timelock scheduleBatch)", &r, Some((148_224, "OZ queue through TimelockController")));
    bench.warp(eta.saturating_sub(client.latest_block().await?.1) + 1).await?;
    bench.tick().await?;
    let r = gov.execute(admin, proposal.id).await?;
    push_op(&mut ops, "gov: execute (1 ERC-20 transfer)", &r, Some((102_708, "OZ execute, 1 ERC-20 transfer")));

    // The election: applications, votes with 1, 100 and 1,000 voters before (every owner's
    // stake and the two holders' wrapped METIS vote), votes by signature, and finalization of
    // rounds with 1, 10 and the cap of candidates.
    // Dev accounts 3 to 9 wrap and self-delegate, so the owners plus them exceed 1,000 voters.
    for i in 3..10 {
        let account = client.accounts[i];
        client.send_call(admin, token, &IERC20::mintCall { to: account, value: metis(1_000) }).await?;
        votes.wrap(account, metis(1_000)).await?;
        votes.delegate(account, account).await?;
    }
    let mut electors: Vec<(Address, PrivateKeySigner)> =
        [1usize, 3, 4, 5, 6, 7, 8, 9].iter().map(|i| (client.accounts[*i], crate::session::dev_signers().swap_remove(*i))).collect();
    electors.extend(voters.iter().filter_map(|v| key_of(*v).map(|k| (*v, k))));
    let election_growth = election_rows(&client, &d, &bench, &mut ops, &electors, &sizes_at).await?;

    let lst_growth = lst_rows(&client, &d, &mut bench, &mut ops, owners).await?;
    let reward_growth = reward_rows(&client, &d, &mut bench, &mut ops, owners + 2).await?;

    let mut growth = vec![register_row, relock_row, request_row, queue_request, queue_claim, vote_row];
    growth.extend(election_growth);
    growth.extend(lst_growth);
    growth.push(batch_row);
    growth.extend(reward_growth);

    let mut sizes = Vec::new();
    for name in deploy::suite_programs() {
        let program = d.programs().find(|p| p.name == name).ok_or_else(|| anyhow::anyhow!("{name} is not deployed"))?;
        let (init_gas, cached_init_gas) = client.program_init_gas(program.address).await?;
        sizes.push(SizeRow {
            program: program.name.clone(),
            compressed_bytes: program.code_bytes,
            percent_of_limit: 100.0 * program.code_bytes as f64 / crate::wasm::MAX_CODE_SIZE as f64,
            init_gas,
            cached_init_gas,
        });
    }
    drop(node);

    let throughput = if options.transfers > 0 {
        eprintln!("bench: transfer throughput ({} transfers per runtime)...", options.transfers);
        let root = root.to_path_buf();
        let n = options.transfers;
        Some(
            tokio::task::spawn_blocking(move || -> Result<String> {
                use devnode::bench::{self, TokenCode};
                let evm = TokenCode::evm_built(Some(&root)).map_err(|e| anyhow!("{e}"))?;
                let stylus = TokenCode::stylus(None).map_err(|e| anyhow!("{e}"))?;
                let mut results = Vec::new();
                for code in [&stylus, &evm] {
                    results.push(bench::transfers(code, n).map_err(|e| anyhow!("{e}"))?);
                }
                Ok(bench::table(&results))
            })
            .await??,
        )
    } else {
        None
    };
    Ok(Report { operations: ops, growth, sizes, throughput, seconds: started.elapsed().as_secs_f64() })
}

/// The LST rows: a pairing (offer and acceptance), a deposit, a withdrawal request, a claim
/// and an unpairing with 1 LST approved, then the same with [`BENCH_LSTS`] approved, each on a
/// fresh sequencer. LSTs are accounts here (the vault's own EVM code is not the suite's cost);
/// the two that act are the client's accounts from `first_lst`.
async fn lst_rows(client: &Client, d: &dseq_client::Deployment, bench: &mut Bench<'_>, ops: &mut Vec<OperationRow>, first_lst: u64) -> Result<Vec<GrowthRow>> {
    eprintln!("bench: LSTs (1 and {BENCH_LSTS} approved)...");
    let lsts = Lsts::of(client, d)?;
    let token = d.token()?;
    let mut rows: Vec<GrowthRow> = ["lst pair (offer+accept)", "lst lockDelegated", "lst request withdrawal", "lst claim (1 matured)"]
        .iter()
        .map(|name| GrowthRow { operation: name.to_string(), points: Vec::new() })
        .collect();
    let filler = |i: u64| Address::from_word(keccak256((b"dseq bench filler lst".to_vec(), U256::from(i)).abi_encode_packed()));
    let mut approved = 0u64;
    for (k, at) in [1u64, BENCH_LSTS].into_iter().enumerate() {
        let lst = bench.owner(first_lst + k as u64);
        client.provider.anvil_set_balance(lst, U256::from(10u64).pow(U256::from(20))).await?;
        client.send_call(bench.admin, token, &IERC20::mintCall { to: lst, value: metis(100_000) }).await?;
        client.send_call(lst, token, &IERC20::approveCall { spender: lsts.pool, value: U256::MAX }).await?;
        while approved + 1 < at {
            let call = ILstRegistry::approveLstCall { lst: filler(approved), name: format!("filler {approved}"), cap: metis(1_000_000) };
            client.send_call(bench.admin, lsts.registry, &call).await?;
            approved += 1;
        }
        bench.tick().await?;
        let call = ILstRegistry::approveLstCall { lst, name: format!("bench lst {k}"), cap: metis(1_000_000) };
        let r = client.send_call(bench.admin, lsts.registry, &call).await?;
        approved += 1;
        let (owner, id, _) = bench.register_next().await?;
        let label = if at == 1 { "1 LST approved".to_string() } else { format!("{} LSTs approved", thousands(at)) };
        bench.tick().await?;
        let offer = lsts.offer(owner, id, lst).await?;
        bench.tick().await?;
        let accept = lsts.accept(lst, id, lst).await?;
        bench.tick().await?;
        let (_, mut deposit) = lsts.deposit(lst, id, metis(10_000)).await?;
        let deposit = deposit.pop().ok_or_else(|| anyhow!("no receipt"))?;
        bench.tick().await?;
        let (_, _, request) = lsts.request_withdrawal(lst, id, metis(4_000)).await?;
        bench.warp(dseq_abi::locking_pool::DEFAULT_EXIT_DELAY + 1).await?;
        bench.tick().await?;
        let (_, claim) = lsts.claim(lst, lst).await?;
        bench.tick().await?;
        let (_, unpair) = lsts.unpair(owner, id).await?;
        if k == 0 {
            push_op(ops, "lst: approveLst (governance)", &r, None);
            push_op(ops, "lst: offerPairing (operator)", &offer, None);
            push_op(ops, "lst: acceptPairing (LST)", &accept, None);
            push_op(ops, "lst: lockDelegated 10,000 (first)", &deposit, None);
            push_op(ops, "lst: requestDelegatedWithdrawal", &request, None);
            push_op(ops, "lst: claimDelegatedWithdrawals (1)", &claim, None);
            push_op(ops, "lst: unpair (queues the LST's 6,000)", &unpair, None);
        }
        for (row, gas) in rows.iter_mut().zip([offer.gas_used + accept.gas_used, deposit.gas_used, request.gas_used, claim.gas_used]) {
            row.points.push((label.clone(), gas));
        }
    }
    Ok(rows)
}

/// The reward distributor's rows: batches of 1, 10 and the most signers (each signer's first
/// reward, and the steady state where its pending word is already nonzero, as Metis's anchors
/// were measured), the cost per signer beside Metis's 10,607, fee deposits, a settlement that
/// splits with an LST, every claim, and a commission change. The LST is the client account
/// `lst_account` (an account standing for a vault contract).
async fn reward_rows(client: &Client, d: &dseq_client::Deployment, bench: &mut Bench<'_>, ops: &mut Vec<OperationRow>, lst_account: u64) -> Result<Vec<GrowthRow>> {
    eprintln!("bench: rewards (batches of 1, 10 and {MAX_SIGNERS} signers)...");
    bench.grow_to(MAX_SIGNERS).await?;
    let rewards = Rewards::of(client, d)?;
    // Owners 0..10 had their first reward in the growth rows: steady batches of 1 and 10.
    bench.tick().await?;
    let one = bench.batch(Bench::signers(0, 1, 1_000)).await?;
    bench.tick().await?;
    let ten = bench.batch(Bench::signers(0, 10, 1_000)).await?;
    // Owners 10..20 get their first reward; then every owner up to the most, then again.
    bench.tick().await?;
    let ten_first = bench.batch(Bench::signers(10, 20, 1_000)).await?;
    bench.tick().await?;
    let most_first = bench.batch(Bench::signers(0, MAX_SIGNERS, 1_000)).await?;
    bench.tick().await?;
    let most = bench.batch(Bench::signers(0, MAX_SIGNERS, 1_000)).await?;
    push_op(ops, "rewards: submitBatch, 1 signer", &one, Some((106_827, "batchSubmitRewards, 1 signer, steady")));
    push_op(ops, "rewards: submitBatch, 10 signers", &ten, Some((202_288, "batchSubmitRewards, 10 signers, steady")));
    push_op(ops, "rewards: submitBatch, 10 first rewards", &ten_first, Some((373_288, "batchSubmitRewards, 10 first rewards")));
    push_op(ops, &format!("rewards: submitBatch, {MAX_SIGNERS} signers"), &most, None);
    let per_signer = (most.gas_used - ten.gas_used) / (MAX_SIGNERS - 10);
    ops.push(OperationRow {
        operation: format!("rewards: per signer (10 -> {MAX_SIGNERS}, steady)"),
        gas_used: per_signer,
        anchor: Some((10_607, "batchSubmitRewards, marginal per signer".into())),
        extra: 0,
    });
    let per_first = (most_first.gas_used - ten_first.gas_used) / (MAX_SIGNERS - 10);

    // Fees: for one sequencer, and for the last batch's signers by their blocks.
    let (last, _) = rewards.last_batch().await?;
    let batch = rewards.batch(last).await?;
    bench.tick().await?;
    let (_, mut r) = rewards.deposit_fees(bench.admin, U256::from(3), metis(10)).await?;
    push_op(ops, "rewards: depositFees (1 sequencer)", &r.pop().ok_or_else(|| anyhow!("no receipt"))?, None);
    bench.tick().await?;
    let (_, mut r) = rewards.deposit_batch_fees(bench.admin, &batch, metis(100)).await?;
    push_op(ops, &format!("rewards: depositBatchFees ({MAX_SIGNERS} signers)"), &r.pop().ok_or_else(|| anyhow!("no receipt"))?, None);

    // A sequencer paired with an LST: a commission, a batch, the settlement, every claim.
    let lst = bench.owner(lst_account);
    let token = d.token()?;
    client.provider.anvil_set_balance(lst, U256::from(10u64).pow(U256::from(20))).await?;
    client.send_call(bench.admin, token, &IERC20::mintCall { to: lst, value: metis(100_000) }).await?;
    let lsts = Lsts::of(client, d)?;
    client.send_call(bench.admin, lsts.registry, &ILstRegistry::approveLstCall { lst, name: "bench rewards lst".into(), cap: metis(1_000_000) }).await?;
    let i = bench.registered;
    let (owner, id, _) = bench.register_next().await?;
    lsts.offer(owner, id, lst).await?;
    lsts.accept(lst, id, lst).await?;
    lsts.deposit(lst, id, metis(10_000)).await?;
    bench.tick().await?;
    let (_, _, _, r) = rewards.set_commission(owner, 1_000).await?;
    push_op(ops, "rewards: setCommission", &r, None);
    bench.warp(dseq_abi::rewards::DEFAULT_COMMISSION_DELAY + 1).await?;
    bench.batch(vec![(signer_address(i), 10_000)]).await?;
    bench.tick().await?;
    let r = rewards.settle(bench.admin, id).await?;
    push_op(ops, "rewards: settle (operator + LST)", &r, None);
    bench.tick().await?;
    let (_, _, r) = rewards.claim_operator(owner, id).await?;
    push_op(ops, "rewards: claimOperatorRewards", &r, None);
    bench.tick().await?;
    let (_, mut r) = rewards.claim_lst(lst, &[]).await?;
    push_op(ops, "rewards: claimLstRewards", &r.pop().ok_or_else(|| anyhow!("no receipt"))?, None);
    bench.tick().await?;
    let (_, _, r) = rewards.claim_treasury(bench.admin).await?;
    push_op(ops, "rewards: claimTreasury", &r, None);

    Ok(vec![
        GrowthRow {
            operation: "submitBatch (steady)".into(),
            points: vec![("1 signer".into(), one.gas_used), ("10 signers".into(), ten.gas_used), (format!("{MAX_SIGNERS} signers"), most.gas_used)],
        },
        GrowthRow { operation: "batch, per signer".into(), points: vec![("first reward".into(), per_first), ("steady".into(), per_signer)] },
    ])
}

/// "1 voter before", "100 voters before".
fn voters_before(n: usize) -> String {
    if n == 1 { "1 voter before".into() } else { format!("{} voters before", thousands(n as u64)) }
}

/// The election's rows: apply, vote and vote by signature at 1, 100 and 1,000 voters before,
/// a batch of votes, and finalize at 1, 10 and the cap of candidates. `electors` hold votes
/// (and their keys, for signed ballots).
async fn election_rows(
    client: &Client,
    d: &dseq_client::Deployment,
    bench: &Bench<'_>,
    ops: &mut Vec<OperationRow>,
    electors: &[(Address, PrivateKeySigner)],
    points: &[u64],
) -> Result<Vec<GrowthRow>> {
    eprintln!("bench: the election ({} voters)...", electors.len());
    let election = Election::of(client, d)?;
    let grant = ILockingPool::grantRoleCall { role: dseq_abi::locking_pool::ADMISSION_ROLE, account: election.address };
    client.send_call(bench.admin, d.pool()?, &grant).await?;
    let candidate = |j: u64| client.accounts[client.accounts.len() - BENCH_CANDIDATES as usize + j as usize];
    for j in 0..BENCH_CANDIDATES {
        client.provider.anvil_set_balance(candidate(j), U256::from(10u64).pow(U256::from(20))).await?;
    }
    let mut finalize_row = GrowthRow { operation: "election finalize".into(), points: Vec::new() };
    let mut vote_row = GrowthRow { operation: "election castVote".into(), points: Vec::new() };
    let mut sig_row = GrowthRow { operation: "election castVoteBySig".into(), points: Vec::new() };
    let mut admitted: Vec<Address> = Vec::new();
    for (k, size) in [BENCH_CANDIDATES, 10, 1].into_iter().enumerate() {
        let due = election.view().await?.next_round_at;
        let now = client.latest_block().await?.1;
        bench.warp(due.saturating_sub(now) + 1).await?;
        bench.tick().await?;
        let (round, r) = election.open(bench.admin).await?;
        if k == 0 {
            push_op(ops, "election: openRound", &r, None);
        }
        let running: Vec<Address> = (0..BENCH_CANDIDATES).map(candidate).filter(|c| !admitted.contains(c)).take(size as usize).collect();
        for (j, c) in running.iter().enumerate() {
            bench.tick().await?;
            let r = election.apply(*c, &signer_key(3_000_000 + 100 * k as u64 + j as u64), round, "https://forum.example/bench").await?;
            if k == 0 && (j == 0 || j + 1 == running.len()) {
                let label = if j == 0 { "election: applyAsCandidate (first)".to_string() } else { format!("election: applyAsCandidate (no. {}, cap)", j + 1) };
                push_op(ops, &label, &r, None);
            }
        }
        let voting_start = election.round(round).await?.voting_start;
        bench.warp(voting_start.saturating_sub(client.latest_block().await?.1) + 1).await?;
        if k == 0 {
            // Everyone votes for the first candidate; measured at 1, 100 and 1,000 voters before,
            // the next voter each time by signature, relayed.
            let last = electors.len().saturating_sub(2);
            let mut at: Vec<usize> = points.iter().map(|p| (*p as usize).min(last)).collect();
            at.dedup();
            for (n, (voter, key)) in electors.iter().enumerate() {
                let measured = at.contains(&n) || (n > 0 && at.contains(&(n - 1)));
                if measured {
                    bench.tick().await?;
                }
                if n > 0 && at.contains(&(n - 1)) {
                    let ballot = election.ballot(*voter, round, running[0], 1).await?;
                    let signature = election.sign(&ballot, key.credential())?;
                    let (_, r) = election.submit_vote(bench.admin, round, running[0], 1, *voter, &signature).await?;
                    sig_row.points.push((voters_before(n), r.gas_used));
                    if n - 1 == at[0] {
                        push_op(ops, "election: castVoteBySig (relayed)", &r, None);
                    }
                } else {
                    let (_, r) = election.vote(*voter, round, running[0], 1).await?;
                    if at.contains(&n) {
                        vote_row.points.push((voters_before(n), r.gas_used));
                        if n == at[0] {
                            push_op(ops, "election: castVote", &r, None);
                        }
                    }
                }
            }
        }
        // One voter backs every other candidate in one batch, so each qualifies.
        let others: Vec<(Address, u8)> = running.iter().skip(if k == 0 { 1 } else { 0 }).map(|c| (*c, 1)).collect();
        bench.tick().await?;
        let (_, r) = election.vote_many(electors[electors.len() - 1].0, round, &others).await?;
        if k == 0 {
            push_op(ops, &format!("election: castVotes ({} candidates)", others.len()), &r, None);
        }
        let vetting_end = election.round(round).await?.vetting_end;
        bench.warp(vetting_end.saturating_sub(client.latest_block().await?.1) + 1).await?;
        bench.tick().await?;
        let (seats, r) = election.finalize(bench.admin, round).await?;
        admitted.extend(seats.iter().map(|s| s.operator));
        finalize_row.points.push((if size == 1 { "1 candidate".into() } else { format!("{size} candidates") }, r.gas_used));
    }
    finalize_row.points.reverse();
    Ok(vec![vote_row, sig_row, finalize_row])
}

use dseq_client::units::format_gas as thousands;

/// The report as the README shows it.
pub fn render(report: &Report) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "gas per operation (gasUsed from receipts, through the ERC-1967 proxies, devnode)");
    let _ = writeln!(out, "{:<44} {:>9}  {:>9}  {:>6}  anchor operation (Metis, or OpenZeppelin 5.7)", "operation", "dseq", "anchor", "ratio");
    for row in &report.operations {
        let (anchor, name) = match &row.anchor {
            Some((gas, name)) => (thousands(*gas), name.as_str()),
            None => ("-".into(), "-"),
        };
        let ratio = row.ratio().map_or("-".into(), |r| format!("{r:.2}"));
        let mark = if row.extra >= STAKE_REPORT_GAS {
            " *"
        } else if row.extra == BATCH_DIGEST_GAS {
            " **"
        } else {
            ""
        };
        let _ = writeln!(out, "{:<44} {:>9}  {:>9}  {:>6}  {name}{mark}", row.operation, thousands(row.gas_used), anchor, ratio);
    }
    let _ = writeln!(out, "\ngrowth (gasUsed of the same operation as the pool fills)");
    for row in &report.growth {
        let points: Vec<String> = row.points.iter().map(|(at, gas)| format!("{at}: {}", thousands(*gas))).collect();
        let _ = writeln!(out, "{:<23} {}", row.operation, points.join("   "));
    }
    let _ = writeln!(out, "\nprograms: deployed size (EF F0 00 00 + brotli; limit 24,576 B) and the gas a call pays before it runs");
    let _ = writeln!(out, "{:<26} {:>8}  {:>6}  {:>14}  {:>14}", "program", "size", "limit", "init, cached", "init, uncached");
    for s in &report.sizes {
        let _ = writeln!(
            out,
            "{:<26} {:>6} B  {:>5.1}%  {:>14}  {:>14}",
            s.program,
            s.compressed_bytes,
            s.percent_of_limit,
            thousands(s.cached_init_gas),
            thousands(s.init_gas)
        );
    }
    let _ = writeln!(
        out,
        "(the bench's deploy caches every program, as `dseq deploy` does when the deployer owns the chain; uncached, a\n\
         program's first call in each block pays the larger figure, later ones the cached one)"
    );
    if let Some(t) = &report.throughput {
        let _ = writeln!(out, "\nERC-20 transfer throughput on the devnode (one signed transaction per block)");
        out.push_str(t);
    }
    let _ = writeln!(
        out,
        "\n* changes counting stake, so it also checkpoints the owner's votes in metis-votes (its delegate's history and the\n\
         total's: two new storage slots, as ERC20Votes pays on a transfer) through the token's proxy, and first tells the\n\
         reward distributor, which splits what the old stakes earned; compounding takes the rewards from the distributor.\n\
         Metis keeps no voting power and keeps rewards in the pool; the bench promises dseq <= anchor + {} for these rows\n\
         (+ {} for the distributor's settlement, + {} more for compounding), + {} per proxy for OpenZeppelin's (the\n\
         token's own; the governor's and the one of the token or timelock it calls).\n\
         ** also stores the batch's digest (a new slot), so fees can be deposited for the batch by its blocks: <= anchor + {}.\n\
         Anchors: gas-anchors.md (stock anvil; Metis bf427d0 behind its proxies; OpenZeppelin 5.7, no proxy).\n\
         Stylus gas is nitro's (ArbOS 60; crates/devnode/src/gas.rs) without the L1 data cost an Arbitrum receipt adds for\n\
         the transaction's bytes (the anchors have none either).\n\
         bench took {:.0} s ({} build)",
        thousands(STAKE_REPORT_GAS),
        thousands(SETTLE_GAS),
        thousands(COMPOUND_GAS),
        thousands(PROXY_GAS),
        thousands(BATCH_DIGEST_GAS),
        report.seconds,
        if cfg!(debug_assertions) { "dev" } else { "release" }
    );
    out
}
