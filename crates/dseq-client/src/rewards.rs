//! reward-distributor from the outside (`dseq rewards`, `dseq operator set-commission`): reward
//! batches as the MPC submits them, fee deposits, the claims of each party, compounding into
//! the stake, commission changes, and the books (what was funded, paid and is claimable, and by
//! whom) as one view.
//!
//! Every action is checked against what the distributor would refuse before anything is sent,
//! so a mistake comes back as advice rather than as a revert.

use std::collections::BTreeMap;

use alloy::primitives::{Address, B256, U256};
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::{Filter, TransactionReceipt};
use alloy::sol_types::{SolCall, SolEvent};
use anyhow::{anyhow, bail, Context, Result};

use crate::bindings::{ILockingPool, IRewardDistributor, IERC20};
use crate::client::{events, Client};
use crate::units::{format_bps, format_duration, format_metis, format_time};

/// The reward distributor of a deployment and the pool it pays for, for `client`.
pub struct Rewards<'a> {
    pub client: &'a Client,
    pub address: Address,
    pub pool: Address,
    pub token: Address,
    /// Where the suite's events start (its deploy block).
    pub from_block: u64,
}

/// The distributor's terms and roles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Terms {
    pub reward_per_block: U256,
    pub treasury_bps: u16,
    pub max_commission_bps: u16,
    pub commission_delay: u64,
    pub max_batch_signers: u64,
    pub governance: Address,
    pub submitter: Address,
    pub reward_payer: Address,
    pub treasury: Address,
    pub paused: bool,
}

/// One sequencer's rewards: what is credited and not split yet, how it would split now, what
/// the operator may claim, and its commission schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SequencerRewards {
    pub id: u64,
    pub owner: Address,
    pub status: u8,
    pub recipient: Address,
    /// Credited (net of the treasury's share) and not split yet.
    pub pending: U256,
    /// How `pending` splits at the stakes now: `(lst, operator share, LST share, commission)`.
    pub lst: Address,
    pub operator_share: U256,
    pub lst_share: U256,
    pub commission: U256,
    /// What the operator's reward recipient may claim (already split).
    pub operator_claimable: U256,
    pub commission_bps: u16,
    pub next_commission_bps: u16,
    /// When `next_commission_bps` takes effect (0: no change waiting).
    pub next_commission_at: u64,
}

/// The distributor's books.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RewardsView {
    pub address: Address,
    pub terms: Terms,
    pub last_batch: u64,
    pub next_epoch: u64,
    /// Every METIS ever credited (rewards and fees) and every METIS ever paid out.
    pub funded: U256,
    pub paid: U256,
    pub treasury_claimable: U256,
    pub token_balance: U256,
    pub sequencers: Vec<SequencerRewards>,
    /// Each LST the registry lists and what it may claim now (settled).
    pub lsts: Vec<(Address, U256)>,
}

impl RewardsView {
    /// Everything some party may still claim: the treasury's balance, every sequencer's
    /// pending and operator balance, every LST's balance (of the sequencers and LSTs read).
    pub fn claimable(&self) -> U256 {
        let sequencers: U256 = self.sequencers.iter().map(|s| s.pending + s.operator_claimable).sum();
        let lsts: U256 = self.lsts.iter().map(|(_, b)| *b).sum();
        self.treasury_claimable + sequencers + lsts
    }

    /// Whether the books close: funded == paid + claimable, and the distributor holds the
    /// claimable amount (when every sequencer and LST was read).
    pub fn balanced(&self) -> bool {
        self.funded == self.paid + self.claimable() && self.token_balance == self.claimable()
    }
}

/// A batch as the submitter sends it: `(signer, blocks)` pairs in ascending signer order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
    pub id: u64,
    pub start_epoch: u64,
    pub end_epoch: u64,
    pub signers: Vec<Address>,
    pub blocks: Vec<U256>,
}

impl Batch {
    /// A batch from `(signer, blocks)` pairs in any order: sorted ascending, as the distributor
    /// requires (a signer given twice is refused, not summed: two counts for one signer are a
    /// mistake in whatever produced them).
    pub fn new(id: u64, start_epoch: u64, end_epoch: u64, mut entries: Vec<(Address, u64)>) -> Result<Self> {
        if entries.is_empty() {
            bail!("a batch needs at least one signer with its blocks (--signer ADDRESS:BLOCKS)");
        }
        if end_epoch < start_epoch {
            bail!("the batch covers epochs {start_epoch} to {end_epoch}: the last epoch cannot come before the first");
        }
        entries.sort();
        for pair in entries.windows(2) {
            if pair[0].0 == pair[1].0 {
                bail!("the signer {} is given twice: a batch pays each signer once, so give its blocks as one total", pair[0].0);
            }
        }
        if let Some((signer, _)) = entries.iter().find(|(_, blocks)| *blocks == 0) {
            bail!("the signer {signer} has 0 blocks: leave it out of the batch");
        }
        Ok(Self {
            id,
            start_epoch,
            end_epoch,
            signers: entries.iter().map(|(s, _)| *s).collect(),
            blocks: entries.iter().map(|(_, b)| U256::from(*b)).collect(),
        })
    }

    pub fn total_blocks(&self) -> U256 {
        self.blocks.iter().copied().sum()
    }

    /// Each signer's reward (`blocks x reward_per_block`) and the treasury's share of it, as
    /// the distributor computes them (`reward-split`).
    pub fn shares(&self, reward_per_block: U256, treasury_bps: u16) -> Vec<(U256, U256)> {
        self.blocks
            .iter()
            .map(|b| {
                let reward = *b * reward_per_block;
                (reward, U256::from(reward_split::bps_of(reward.saturating_to(), treasury_bps)))
            })
            .collect()
    }

    /// `keccak256(abi.encodePacked(signers, blocks))`, as the distributor stores it.
    pub fn digest(&self) -> B256 {
        let mut packed = Vec::with_capacity(32 * (self.signers.len() + self.blocks.len()));
        for s in &self.signers {
            packed.extend_from_slice(s.into_word().as_slice());
        }
        for b in &self.blocks {
            packed.extend_from_slice(&b.to_be_bytes::<32>());
        }
        alloy::primitives::keccak256(packed)
    }

    /// The `submitBatch` call that carries it.
    pub fn call(&self) -> IRewardDistributor::submitBatchCall {
        IRewardDistributor::submitBatchCall {
            batchId: U256::from(self.id),
            startEpoch: U256::from(self.start_epoch),
            endEpoch: U256::from(self.end_epoch),
            signers: self.signers.clone(),
            blocks: self.blocks.clone(),
        }
    }
}

/// What a submitted batch credited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submitted {
    pub batch: Batch,
    /// Pulled from the reward payer.
    pub reward: U256,
    pub treasury_share: U256,
    /// Each signer's sequencer, in the batch's order.
    pub sequencers: Vec<u64>,
}

/// A commission given as people write it: `10%`, `12.5`, `1250bps`. Returns basis points.
pub fn parse_commission(text: &str) -> Result<u16> {
    let t = text.trim().to_ascii_lowercase();
    let bad = || anyhow!("{text:?} is not a commission: give a percentage like 10% or 12.5, or basis points like 1250bps");
    let bps = if let Some(bps) = t.strip_suffix("bps") {
        bps.trim().parse::<u32>().map_err(|_| bad())?
    } else {
        let pct = t.strip_suffix('%').unwrap_or(&t).trim();
        let (whole, frac) = pct.split_once('.').unwrap_or((pct, ""));
        if frac.len() > 2 || whole.is_empty() && frac.is_empty() || !whole.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let whole: u32 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
        let frac: u32 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().map_err(|_| bad())? };
        whole.checked_mul(100).and_then(|w| w.checked_add(frac)).ok_or_else(bad)?
    };
    if bps > u32::from(reward_split::BPS) {
        bail!("{text:?} is more than 100%");
    }
    Ok(bps as u16)
}

impl<'a> Rewards<'a> {
    /// The distributor of deployment `d`.
    pub fn of(client: &'a Client, d: &crate::Deployment) -> Result<Self> {
        Ok(Self { client, address: d.reward_distributor()?, pool: d.pool()?, token: d.token()?, from_block: d.deploy_block })
    }

    fn r(&self) -> IRewardDistributor::IRewardDistributorInstance<DynProvider> {
        IRewardDistributor::new(self.address, self.client.provider.clone())
    }

    fn p(&self) -> ILockingPool::ILockingPoolInstance<DynProvider> {
        ILockingPool::new(self.pool, self.client.provider.clone())
    }

    fn erc20(&self) -> IERC20::IERC20Instance<DynProvider> {
        IERC20::new(self.token, self.client.provider.clone())
    }

    pub async fn terms(&self) -> Result<Terms> {
        let r = self.r();
        let commission = r.commissionTerms().call().await.context("reading the distributor's commission terms")?;
        Ok(Terms {
            reward_per_block: r.rewardPerBlock().call().await?,
            treasury_bps: r.treasuryBps().call().await?,
            max_commission_bps: commission.maxCommissionBps,
            commission_delay: commission.commissionDelay,
            max_batch_signers: r.maxBatchSigners().call().await?.saturating_to(),
            governance: r.governance().call().await?,
            submitter: r.submitter().call().await?,
            reward_payer: r.rewardPayer().call().await?,
            treasury: r.treasury().call().await?,
            paused: r.paused().call().await?,
        })
    }

    /// `(last batch id, the epoch the next batch starts at)`.
    pub async fn last_batch(&self) -> Result<(u64, u64)> {
        let last = self.r().lastBatch().call().await.context("reading the last batch")?;
        Ok((last.batchId.saturating_to(), last.nextEpoch.saturating_to()))
    }

    /// Approves the distributor for `amount` of `owner`'s METIS if the allowance is short;
    /// fails with advice when the balance is.
    async fn ensure_funds(&self, owner: Address, amount: U256, what: &str) -> Result<Option<TransactionReceipt>> {
        self.client.ensure_funds(self.token, owner, self.address, amount, what, "the distributor").await
    }

    // ------------------------------------------------------------------------ batches

    /// The next batch from `(signer, blocks)` pairs, ending at epoch `end_epoch` and starting
    /// where the last one ended (or at `start_epoch`, which must be that epoch).
    pub async fn next_batch(&self, start_epoch: Option<u64>, end_epoch: u64, entries: Vec<(Address, u64)>) -> Result<Batch> {
        let (last, next_epoch) = self.last_batch().await?;
        if let Some(start) = start_epoch {
            if start != next_epoch {
                bail!("batch {} must start at epoch {next_epoch}, where batch {last} ended (UnexpectedStartEpoch): epochs are contiguous", last + 1);
            }
        }
        Batch::new(last + 1, next_epoch, end_epoch, entries)
    }

    /// Submits `batch` as `from` (the submitter). When `from` is also the reward payer, the
    /// distributor is approved for the total first. Returns what it credited.
    pub async fn submit(&self, from: Address, batch: &Batch) -> Result<(Submitted, Vec<TransactionReceipt>)> {
        let terms = self.terms().await?;
        if from != terms.submitter {
            bail!("{from} is not the distributor's submitter ({} is; NotSubmitter): batches come from the MPC", terms.submitter);
        }
        if terms.paused {
            bail!("the distributor is paused (EnforcedPause): batches and fee deposits wait until governance unpauses it");
        }
        if batch.signers.len() as u64 > terms.max_batch_signers {
            bail!("a batch has at most {} signers; this one has {}: split it", terms.max_batch_signers, batch.signers.len());
        }
        let ids = self.p().seqSignersOf(batch.signers.clone()).call().await.context("resolving the batch's signers")?;
        if let Some((signer, _)) = batch.signers.iter().zip(&ids).find(|(_, id)| id.is_zero()) {
            bail!("{signer} never signed for a sequencer in the pool (UnknownSigner): check the signer addresses");
        }
        let reward = batch.total_blocks() * terms.reward_per_block;
        let mut receipts = Vec::new();
        if from == terms.reward_payer {
            receipts.extend(self.ensure_funds(from, reward, "the batch's reward").await?);
        } else {
            let allowance = self.erc20().allowance(terms.reward_payer, self.address).call().await?;
            let balance = self.erc20().balanceOf(terms.reward_payer).call().await?;
            if allowance < reward || balance < reward {
                bail!(
                    "the reward payer {} must hold and approve {} METIS for the distributor (it holds {}, approved {})",
                    terms.reward_payer,
                    format_metis(reward),
                    format_metis(balance),
                    format_metis(allowance)
                );
            }
        }
        let receipt = self.client.send_call(from, self.address, &batch.call()).await.context("submitting the batch")?;
        let ev = events::<IRewardDistributor::RewardBatchSubmitted>(&receipt, self.address)
            .pop()
            .ok_or_else(|| anyhow!("no RewardBatchSubmitted event in the receipt"))?;
        receipts.push(receipt);
        let submitted = Submitted {
            batch: batch.clone(),
            reward: ev.reward,
            treasury_share: ev.treasuryShare,
            sequencers: ids.iter().map(|id| id.saturating_to()).collect(),
        };
        Ok((submitted, receipts))
    }

    /// Batch `id` as it was submitted, read back from its `RewardBatchSubmitted` event and the
    /// transaction that logged it, and checked against the digest the distributor stored.
    pub async fn batch(&self, id: u64) -> Result<Batch> {
        let digest = self.r().batchDigest(U256::from(id)).call().await?;
        if digest.is_zero() {
            let (last, _) = self.last_batch().await?;
            bail!("there is no batch {id} (the last is {last})");
        }
        let filter = Filter::new()
            .address(self.address)
            .event_signature(IRewardDistributor::RewardBatchSubmitted::SIGNATURE_HASH)
            .topic1(U256::from(id))
            .from_block(self.from_block);
        let logs = self.client.provider.get_logs(&filter).await.context("reading the batch's event")?;
        let log = logs.last().ok_or_else(|| anyhow!("batch {id} has a digest but no RewardBatchSubmitted event from block {}", self.from_block))?;
        let ev = IRewardDistributor::RewardBatchSubmitted::decode_log(&log.inner)?.data;
        let hash = log.transaction_hash.ok_or_else(|| anyhow!("the batch's event has no transaction hash"))?;
        let tx = self.client.provider.get_transaction_by_hash(hash).await?.ok_or_else(|| anyhow!("the node does not know the transaction {hash}"))?;
        let input = alloy::consensus::Transaction::input(&tx);
        let call = IRewardDistributor::submitBatchCall::abi_decode(input).map_err(|_| {
            anyhow!("batch {id} was submitted through another contract (tx {hash}), so its signers cannot be read from the transaction: give them with --signer ADDRESS:BLOCKS")
        })?;
        let batch = Batch {
            id,
            start_epoch: ev.startEpoch.saturating_to(),
            end_epoch: ev.endEpoch.saturating_to(),
            signers: call.signers,
            blocks: call.blocks,
        };
        if batch.digest() != digest {
            bail!("the transaction {hash} does not carry batch {id}'s signers and blocks (digest mismatch)");
        }
        Ok(batch)
    }

    // ------------------------------------------------------------------------ fees

    /// Deposits `amount` of `from`'s METIS as fee revenue of sequencer `id` (approving first).
    pub async fn deposit_fees(&self, from: Address, id: U256, amount: U256) -> Result<(U256, Vec<TransactionReceipt>)> {
        self.require_open().await?;
        if amount.is_zero() {
            bail!("deposit more than 0 METIS (ZeroAmount)");
        }
        let d = self.p().delegation(id).call().await?;
        if d.status == 0 {
            bail!("there is no sequencer {id} in the pool (UnknownSequencer)");
        }
        let mut receipts: Vec<TransactionReceipt> = self.ensure_funds(from, amount, "the deposit").await?.into_iter().collect();
        let call = IRewardDistributor::depositFeesCall { sequencerId: id, amount };
        let receipt = self.client.send_call(from, self.address, &call).await.context("depositing the fees")?;
        let treasury = events::<IRewardDistributor::FeesDeposited>(&receipt, self.address).pop().map_or(U256::ZERO, |e| e.treasuryShare);
        receipts.push(receipt);
        Ok((treasury, receipts))
    }

    /// Deposits `amount` of `from`'s METIS as fee revenue of batch `batch`'s signers, pro rata
    /// to their blocks. Returns the treasury's share (rounding dust included).
    pub async fn deposit_batch_fees(&self, from: Address, batch: &Batch, amount: U256) -> Result<(U256, Vec<TransactionReceipt>)> {
        self.require_open().await?;
        if amount.is_zero() {
            bail!("deposit more than 0 METIS (ZeroAmount)");
        }
        let mut receipts: Vec<TransactionReceipt> = self.ensure_funds(from, amount, "the deposit").await?.into_iter().collect();
        let call = IRewardDistributor::depositBatchFeesCall { batchId: U256::from(batch.id), signers: batch.signers.clone(), blocks: batch.blocks.clone(), amount };
        let receipt = self.client.send_call(from, self.address, &call).await.context("depositing the batch's fees")?;
        let treasury = events::<IRewardDistributor::BatchFeesDeposited>(&receipt, self.address).pop().map_or(U256::ZERO, |e| e.treasuryShare);
        receipts.push(receipt);
        Ok((treasury, receipts))
    }

    async fn require_open(&self) -> Result<()> {
        if self.r().paused().call().await? {
            bail!("the distributor is paused (EnforcedPause): batches and fee deposits wait until governance unpauses it");
        }
        Ok(())
    }

    // ------------------------------------------------------------------------ claims

    /// Settles sequencer `id`'s pending rewards at its current stakes (anyone may).
    pub async fn settle(&self, from: Address, id: U256) -> Result<TransactionReceipt> {
        Ok(self.client.send_call(from, self.address, &IRewardDistributor::settleCall { sequencerId: id }).await.context("settling")?)
    }

    /// Pays sequencer `id`'s operator rewards to its reward recipient; `from` is its owner or
    /// the recipient. Returns the amount and the recipient.
    pub async fn claim_operator(&self, from: Address, id: U256) -> Result<(U256, Address, TransactionReceipt)> {
        let s = self.sequencer(id).await?;
        if from != s.owner && from != s.recipient {
            bail!("{from} is neither sequencer {id}'s owner ({}) nor its reward recipient ({}) (NotOperatorOrRecipient)", s.owner, s.recipient);
        }
        if s.operator_claimable.is_zero() && s.operator_share.is_zero() {
            bail!("sequencer {id} has no operator rewards to claim (NothingToClaim){}", self.waiting(&s));
        }
        let call = IRewardDistributor::claimOperatorRewardsCall { sequencerId: id };
        let receipt = self.client.send_call(from, self.address, &call).await.context("claiming the operator's rewards")?;
        let ev = events::<IRewardDistributor::OperatorRewardsClaimed>(&receipt, self.address)
            .pop()
            .ok_or_else(|| anyhow!("no OperatorRewardsClaimed event in the receipt"))?;
        Ok((ev.amount, ev.recipient, receipt))
    }

    /// Moves `owner`'s operator rewards into its stake (`relock(id, 0, true)`: the pool settles
    /// and takes them from the distributor). Returns the amount and the stake after it.
    pub async fn compound(&self, owner: Address) -> Result<(U256, U256, TransactionReceipt)> {
        let id = self.p().seqOwners(owner).call().await?;
        if id.is_zero() {
            bail!("{owner} has no live sequencer in the pool: compounding adds to a live stake (claim with `dseq rewards claim` instead)");
        }
        let s = self.sequencer(id).await?;
        if s.operator_claimable.is_zero() && s.operator_share.is_zero() {
            bail!("sequencer {id} has no operator rewards to compound (NothingToClaim){}", self.waiting(&s));
        }
        let call = ILockingPool::relockCall { sequencerId: id, amount: U256::ZERO, lockReward: true };
        let receipt = self.client.send_call(owner, self.pool, &call).await.context("compounding the rewards")?;
        let amount = events::<IRewardDistributor::RewardsCompounded>(&receipt, self.address).pop().map_or(U256::ZERO, |e| e.amount);
        let stake = self.p().sequencerInfo(id).call().await?.amount;
        Ok((amount, stake, receipt))
    }

    /// Pays the LST `from` its balance, settling first each sequencer `sequencers` names whose
    /// pending rewards would give it a share. Returns the amount.
    pub async fn claim_lst(&self, from: Address, sequencers: &[U256]) -> Result<(U256, Vec<TransactionReceipt>)> {
        let mut receipts = Vec::new();
        for id in sequencers {
            let preview = self.r().previewSettlement(*id).call().await?;
            if preview.lst == from && !preview.lstShare.is_zero() {
                receipts.push(self.settle(from, *id).await?);
            }
        }
        if self.r().lstRewards(from).call().await?.is_zero() {
            bail!("{from} has no LST rewards to claim (NothingToClaim): an LST earns from the sequencers it is paired with, once their rewards are settled");
        }
        let receipt = self.client.send_call(from, self.address, &IRewardDistributor::claimLstRewardsCall {}).await.context("claiming the LST's rewards")?;
        let amount = events::<IRewardDistributor::LstRewardsClaimed>(&receipt, self.address).pop().map_or(U256::ZERO, |e| e.amount);
        receipts.push(receipt);
        Ok((amount, receipts))
    }

    /// Pays the treasury its balance (anyone may send it). Returns the amount and the treasury.
    pub async fn claim_treasury(&self, from: Address) -> Result<(U256, Address, TransactionReceipt)> {
        let (balance, treasury) = (self.r().treasuryRewards().call().await?, self.r().treasury().call().await?);
        if balance.is_zero() {
            bail!("the treasury {treasury} has nothing to claim (NothingToClaim)");
        }
        let receipt = self.client.send_call(from, self.address, &IRewardDistributor::claimTreasuryCall {}).await.context("claiming the treasury's rewards")?;
        let amount = events::<IRewardDistributor::TreasuryRewardsClaimed>(&receipt, self.address).pop().map_or(U256::ZERO, |e| e.amount);
        Ok((amount, treasury, receipt))
    }

    /// Why nothing is claimable yet, for advice: ` (0.5 METIS is pending ...)` or nothing.
    fn waiting(&self, s: &SequencerRewards) -> String {
        if s.pending.is_zero() {
            String::new()
        } else {
            format!("; {} METIS are pending and would all go to the LST", format_metis(s.pending))
        }
    }

    // ------------------------------------------------------------------------ commission

    /// Schedules `owner`'s commission on its LST's share: `bps` takes effect after the
    /// commission delay. Returns `(current, next, effective at)`.
    pub async fn set_commission(&self, owner: Address, bps: u16) -> Result<(u16, u16, u64, TransactionReceipt)> {
        let id = self.p().seqOwners(owner).call().await?;
        if id.is_zero() {
            bail!("{owner} has no live sequencer in the pool; register one with `dseq operator register`");
        }
        let terms = self.terms().await?;
        if bps > terms.max_commission_bps {
            bail!("a commission is at most {} (governance's cap; CommissionAboveCap): {} is above it", format_bps(terms.max_commission_bps), format_bps(bps));
        }
        let call = IRewardDistributor::setCommissionCall { sequencerId: id, bps };
        let receipt = self.client.send_call(owner, self.address, &call).await.context("setting the commission")?;
        let ev = events::<IRewardDistributor::CommissionScheduled>(&receipt, self.address)
            .pop()
            .ok_or_else(|| anyhow!("no CommissionScheduled event in the receipt"))?;
        Ok((ev.currentBps, ev.nextBps, ev.effectiveAt, receipt))
    }

    // ------------------------------------------------------------------------ views

    /// Sequencer `id`'s rewards.
    pub async fn sequencer(&self, id: U256) -> Result<SequencerRewards> {
        let info = self.p().sequencerInfo(id).call().await.context("reading the sequencer")?;
        if info.status == 0 {
            bail!("there is no sequencer {id} in the pool at {}", self.pool);
        }
        let r = self.r().sequencerRewards(id).call().await.context("reading the sequencer's rewards")?;
        let preview = self.r().previewSettlement(id).call().await?;
        Ok(SequencerRewards {
            id: id.saturating_to(),
            owner: info.owner,
            status: info.status,
            recipient: info.rewardRecipient,
            pending: r.pending,
            lst: preview.lst,
            operator_share: preview.operatorShare,
            lst_share: preview.lstShare,
            commission: preview.commission,
            operator_claimable: r.operatorClaimable,
            commission_bps: r.commissionBps,
            next_commission_bps: r.nextCommissionBps,
            next_commission_at: r.nextCommissionAt,
        })
    }

    /// The books: terms, totals, the pool's first `limit` sequencers and `lsts`' balances.
    pub async fn view(&self, limit: u64, lsts: &[Address]) -> Result<RewardsView> {
        let total = self.p().totalSequencers().call().await?.saturating_to::<u64>();
        let mut sequencers = Vec::new();
        for id in 1..=total.min(limit) {
            sequencers.push(self.sequencer(U256::from(id)).await?);
        }
        let mut balances = BTreeMap::new();
        for lst in lsts.iter().chain(sequencers.iter().map(|s| &s.lst)).filter(|a| !a.is_zero()) {
            if !balances.contains_key(lst) {
                balances.insert(*lst, self.r().lstRewards(*lst).call().await?);
            }
        }
        let mut ordered: Vec<(Address, U256)> = lsts.iter().filter_map(|a| balances.remove(a).map(|b| (*a, b))).collect();
        ordered.extend(balances);
        let (last_batch, next_epoch) = self.last_batch().await?;
        let totals = self.r().totals().call().await?;
        Ok(RewardsView {
            address: self.address,
            terms: self.terms().await?,
            last_batch,
            next_epoch,
            funded: totals.funded,
            paid: totals.paid,
            treasury_claimable: self.r().treasuryRewards().call().await?,
            token_balance: self.erc20().balanceOf(self.address).call().await?,
            sequencers,
            lsts: ordered,
        })
    }
}

/// The commission of `s` in words: `10%`, `10%, 25% from 2026-12-20 10:00:00 UTC (in 6d 23h)`.
pub fn describe_commission(s: &SequencerRewards, now: u64) -> String {
    let mut text = format_bps(s.commission_bps);
    if s.next_commission_at != 0 {
        let when = if s.next_commission_at <= now { "now".to_string() } else { format!("in {}", format_duration(s.next_commission_at - now)) };
        text.push_str(&format!(", {} from {} ({when})", format_bps(s.next_commission_bps), format_time(s.next_commission_at)));
    }
    text
}

/// A `--signer ADDRESS:BLOCKS` argument.
pub fn parse_signer_blocks(text: &str) -> Result<(Address, u64)> {
    let (address, blocks) = text
        .split_once(':')
        .or_else(|| text.split_once('='))
        .ok_or_else(|| anyhow!("{text:?} is not SIGNER:BLOCKS: give the signer's address and its block count, like 0x70997970C51812dc3A010C7d01b50e0d17dc79C8:120"))?;
    let address: Address = address.trim().parse().map_err(|_| anyhow!("{address:?} in {text:?} is not an address"))?;
    let blocks: u64 = blocks.trim().replace([',', '_'], "").parse().map_err(|_| anyhow!("{blocks:?} in {text:?} is not a block count"))?;
    Ok((address, blocks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commissions_parse_as_people_write_them() {
        assert_eq!(parse_commission("10%").unwrap(), 1_000);
        assert_eq!(parse_commission("12.5").unwrap(), 1_250);
        assert_eq!(parse_commission("0.01%").unwrap(), 1);
        assert_eq!(parse_commission("1250bps").unwrap(), 1_250);
        assert_eq!(parse_commission(" 0 ").unwrap(), 0);
        assert_eq!(parse_commission("100%").unwrap(), 10_000);
        for bad in ["", "%", "ten", "12.345", "-1", "101%", "10001bps", "1e3"] {
            assert!(parse_commission(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn a_batch_is_sorted_and_refuses_duplicates_and_empty_signers() {
        let (a, b) = (Address::repeat_byte(1), Address::repeat_byte(2));
        let batch = Batch::new(3, 10, 12, vec![(b, 5), (a, 7)]).unwrap();
        assert_eq!(batch.signers, vec![a, b]);
        assert_eq!(batch.blocks, vec![U256::from(7), U256::from(5)]);
        assert_eq!(batch.total_blocks(), U256::from(12));
        assert!(Batch::new(1, 0, 0, vec![(a, 1), (a, 2)]).unwrap_err().to_string().contains("twice"));
        assert!(Batch::new(1, 0, 0, vec![(a, 0)]).unwrap_err().to_string().contains("0 blocks"));
        assert!(Batch::new(1, 0, 0, vec![]).is_err());
        assert!(Batch::new(1, 5, 4, vec![(a, 1)]).unwrap_err().to_string().contains("cannot come before"));
    }

    #[test]
    fn the_digest_is_abi_encode_packed() {
        let batch = Batch::new(1, 0, 0, vec![(Address::repeat_byte(1), 7)]).unwrap();
        let mut packed = vec![0u8; 12];
        packed.extend_from_slice(&[1u8; 20]);
        packed.extend_from_slice(&U256::from(7).to_be_bytes::<32>());
        assert_eq!(batch.digest(), alloy::primitives::keccak256(packed));
    }

    #[test]
    fn signer_blocks_parse_or_say_what_to_fix() {
        let (a, n) = parse_signer_blocks("0x0101010101010101010101010101010101010101:1,200").unwrap();
        assert_eq!((a, n), (Address::repeat_byte(1), 1_200));
        assert!(parse_signer_blocks("0x01:5").unwrap_err().to_string().contains("not an address"));
        assert!(parse_signer_blocks("0x0101010101010101010101010101010101010101").unwrap_err().to_string().contains("SIGNER:BLOCKS"));
        assert!(parse_signer_blocks("0x0101010101010101010101010101010101010101:many").unwrap_err().to_string().contains("block count"));
    }
}
