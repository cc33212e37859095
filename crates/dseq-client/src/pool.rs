//! locking-pool from the operator's side: every action `dseq operator` offers, with the checks
//! that turn a revert into advice before anything is sent, and the pool's state read as one view.

use alloy::primitives::{Address, Bytes, U256};
use alloy::providers::DynProvider;
use alloy::rpc::types::TransactionReceipt;
use anyhow::{anyhow, bail, Context, Result};
use k256::ecdsa::SigningKey;

use crate::bindings::{ILockingPool, IERC20};
use crate::client::Client;
use crate::proof::sign_proof;
use crate::units::{format_metis, format_time};

/// Sequencer status codes, as the pool stores them.
pub fn status_name(status: u8) -> &'static str {
    match status {
        0 => "Unavailable",
        1 => "Exiting",
        2 => "Active",
        3 => "Unlocked",
        _ => "Unknown",
    }
}

/// The pool and its token, for `client`.
pub struct Pool<'a> {
    pub client: &'a Client,
    pub address: Address,
    pub token: Address,
    /// Where the pool's events start (its deploy block), for event queries.
    pub from_block: u64,
}

impl<'a> Pool<'a> {
    pub fn new(client: &'a Client, address: Address, token: Address) -> Self {
        Self { client, address, token, from_block: 0 }
    }

    /// The pool of deployment `d`.
    pub fn of(client: &'a Client, d: &crate::Deployment) -> Result<Self> {
        Ok(Self { client, address: d.pool()?, token: d.token()?, from_block: d.deploy_block })
    }

    fn pool(&self) -> ILockingPool::ILockingPoolInstance<DynProvider> {
        ILockingPool::new(self.address, self.client.provider.clone())
    }

    fn erc20(&self) -> IERC20::IERC20Instance<DynProvider> {
        IERC20::new(self.token, self.client.provider.clone())
    }

    /// The event `E` the pool logged in `receipt` (each action emits its own once).
    fn event<E: alloy::sol_types::SolEvent>(&self, receipt: &TransactionReceipt) -> Result<E> {
        crate::client::events::<E>(receipt, self.address)
            .pop()
            .ok_or_else(|| anyhow!("no {} event from the pool in the receipt", E::SIGNATURE))
    }

    /// The live sequencer `owner` runs, or advice if it has none.
    pub async fn sequencer_of(&self, owner: Address) -> Result<U256> {
        let id = self.pool().seqOwners(owner).call().await.context("reading seqOwners")?;
        if id.is_zero() {
            bail!("{owner} has no sequencer in the pool at {}; register one with `dseq operator register`", self.address);
        }
        Ok(id)
    }

    /// Approves the pool for `amount` of `owner`'s METIS if the allowance is short; fails with
    /// advice when the balance is.
    pub async fn ensure_funds(&self, owner: Address, amount: U256) -> Result<Option<TransactionReceipt>> {
        self.client.ensure_funds(self.token, owner, self.address, amount, "the action", "the pool").await
    }

    /// Registers `owner`'s sequencer with the signer `signer_key` proves, locking `amount`.
    pub async fn register(&self, owner: Address, signer_key: &SigningKey, amount: U256, reward_recipient: Option<Address>) -> Result<(U256, TransactionReceipt)> {
        let p = self.pool();
        if !p.whitelist(owner).call().await? {
            bail!("{owner} is not admitted as a sequencer owner (NotWhitelisted): owners are admitted by winning a round of the election (`dseq election status`), or by the ADMISSION_ROLE holder with setWhitelist");
        }
        let existing = p.seqOwners(owner).call().await?;
        if !existing.is_zero() {
            bail!("{owner} already runs sequencer {existing} (OwnedSequencer): one live sequencer per owner");
        }
        self.ensure_funds(owner, amount).await?;
        let proof = sign_proof(signer_key, owner, self.address, self.client.chain_id)?;
        let signature = Bytes::copy_from_slice(&proof.signature);
        let receipt = match reward_recipient {
            Some(recipient) => {
                let call = ILockingPool::lockWithRewardRecipientCall { signer: proof.signer, rewardRecipient: recipient, amount, signerProof: signature };
                self.client.send_call(owner, self.address, &call).await
            }
            None => {
                let call = ILockingPool::lockForCall { signer: proof.signer, amount, signerProof: signature };
                self.client.send_call(owner, self.address, &call).await
            }
        }
        .context("registering the sequencer")?;
        let id = p.seqOwners(owner).call().await?;
        Ok((id, receipt))
    }

    /// Adds `amount` METIS to `owner`'s stake (and its rewards when `compound`).
    pub async fn relock(&self, owner: Address, amount: U256, compound: bool) -> Result<TransactionReceipt> {
        let id = self.sequencer_of(owner).await?;
        if !amount.is_zero() {
            self.ensure_funds(owner, amount).await?;
        }
        let call = ILockingPool::relockCall { sequencerId: id, amount, lockReward: compound };
        Ok(self.client.send_call(owner, self.address, &call).await.context("relocking")?)
    }

    /// Queues a partial withdrawal of `amount`; returns the request id and its maturity.
    pub async fn request_withdrawal(&self, owner: Address, amount: U256) -> Result<(u64, u64, TransactionReceipt)> {
        let id = self.sequencer_of(owner).await?;
        let call = ILockingPool::requestWithdrawalCall { sequencerId: id, amount };
        let receipt = self.client.send_call(owner, self.address, &call).await.context("requesting the withdrawal")?;
        let ev = self.event::<ILockingPool::WithdrawalRequested>(&receipt)?;
        Ok((ev.requestId.to::<u64>(), ev.claimableAt, receipt))
    }

    /// Claims every matured withdrawal request of sequencer `id` (works after exit too).
    pub async fn claim_withdrawals(&self, owner: Address, id: U256) -> Result<(U256, TransactionReceipt)> {
        let call = ILockingPool::claimWithdrawalsCall { sequencerId: id };
        let receipt = self.client.send_call(owner, self.address, &call).await.context("claiming withdrawals")?;
        Ok((self.event::<ILockingPool::WithdrawalsClaimed>(&receipt)?.amount, receipt))
    }

    /// Starts `owner`'s exit; returns when the stake becomes claimable.
    pub async fn exit(&self, owner: Address) -> Result<(u64, TransactionReceipt)> {
        let id = self.sequencer_of(owner).await?;
        let receipt = self.client.send_call(owner, self.address, &ILockingPool::unlockCall { sequencerId: id, l2Gas: 0 }).await.context("starting the exit")?;
        Ok((self.event::<ILockingPool::UnlockInit>(&receipt)?.unlockClaimTime, receipt))
    }

    /// Pays the exited stake of sequencer `id` to its owner.
    pub async fn unlock_claim(&self, owner: Address, id: U256) -> Result<(U256, TransactionReceipt)> {
        let receipt = self
            .client
            .send_call(owner, self.address, &ILockingPool::unlockClaimCall { sequencerId: id, l2Gas: 0 })
            .await
            .context("claiming the exited stake")?;
        Ok((self.event::<ILockingPool::Unlocked>(&receipt)?.amount, receipt))
    }

    /// The sequencer `owner` owns, or owned most recently once it exited (an exited owner no
    /// longer has a live id in `seqOwners`): found from the pool's `Locked` and
    /// `SequencerOwnerChanged` events, then confirmed against `sequencerInfo`.
    pub async fn any_sequencer_of(&self, owner: Address) -> Result<U256> {
        use alloy::providers::Provider;
        use alloy::rpc::types::Filter;
        use alloy::sol_types::SolEvent;
        let live = self.pool().seqOwners(owner).call().await?;
        if !live.is_zero() {
            return Ok(live);
        }
        let filter = Filter::new()
            .address(self.address)
            .event_signature(vec![ILockingPool::SequencerOwnerChanged::SIGNATURE_HASH])
            .from_block(self.from_block);
        let logs = self.client.provider.get_logs(&filter).await.context("reading the pool's SequencerOwnerChanged events")?;
        let mut candidates: Vec<U256> = logs
            .iter()
            .filter_map(|log| ILockingPool::SequencerOwnerChanged::decode_log(&log.inner).ok())
            .filter(|e| e.owner == owner)
            .map(|e| e.sequencerId)
            .collect();
        candidates.dedup();
        for id in candidates.into_iter().rev() {
            if self.pool().sequencerInfo(id).call().await?.owner == owner {
                return Ok(id);
            }
        }
        bail!("{owner} has no sequencer in the pool at {}", self.address)
    }

    /// Claims what is claimable for `owner`: matured withdrawal requests, then the exited stake
    /// once it matured. Returns the receipts and the METIS paid.
    pub async fn claim(&self, owner: Address) -> Result<(U256, Vec<TransactionReceipt>)> {
        let id = self.any_sequencer_of(owner).await?;
        let p = self.pool();
        let (_, now) = self.client.latest_block().await?;
        let queue = p.withdrawalQueue(id).call().await?;
        let info = p.sequencerInfo(id).call().await?;
        let mut paid = U256::ZERO;
        let mut receipts = Vec::new();
        if !queue.claimable.is_zero() {
            let (amount, r) = self.claim_withdrawals(owner, id).await?;
            paid += amount;
            receipts.push(r);
        }
        if info.status == 1 && now >= info.unlockClaimTime {
            let (amount, r) = self.unlock_claim(owner, id).await?;
            paid += amount;
            receipts.push(r);
        }
        if receipts.is_empty() {
            let mut next = Vec::new();
            if queue.nextToClaim < queue.nextRequestId {
                let first = p.withdrawalRequest(id, queue.nextToClaim).call().await?;
                next.push(format!("the next withdrawal ({} METIS) matures {}", format_metis(first.amount), format_time(first.claimableAt)));
            }
            if info.status == 1 {
                next.push(format!("the exited stake matures {}", format_time(info.unlockClaimTime)));
            }
            if next.is_empty() {
                bail!("sequencer {id} has nothing to claim: no open withdrawal request and no exit under way");
            }
            bail!("sequencer {id} has nothing to claim yet (it is {}): {}", format_time(now), next.join("; "));
        }
        Ok((paid, receipts))
    }

    /// Rotates `owner`'s signer to the key `new_signer` proves.
    pub async fn rotate_signer(&self, owner: Address, new_signer: &SigningKey) -> Result<(Address, TransactionReceipt)> {
        let id = self.sequencer_of(owner).await?;
        let proof = sign_proof(new_signer, owner, self.address, self.client.chain_id)?;
        let call = ILockingPool::rotateSignerCall { sequencerId: id, signer: proof.signer, signerProof: Bytes::copy_from_slice(&proof.signature) };
        let receipt = self.client.send_call(owner, self.address, &call).await.context("rotating the signer")?;
        Ok((proof.signer, receipt))
    }

    /// Sends `owner`'s future rewards to `recipient`.
    pub async fn set_reward_recipient(&self, owner: Address, recipient: Address) -> Result<TransactionReceipt> {
        let id = self.sequencer_of(owner).await?;
        let call = ILockingPool::setSequencerRewardRecipientCall { sequencerId: id, recipient };
        Ok(self.client.send_call(owner, self.address, &call).await.context("setting the reward recipient")?)
    }

    /// Everything the pool keeps about sequencer `id`, with its open withdrawal requests.
    pub async fn sequencer(&self, id: U256) -> Result<SequencerView> {
        let p = self.pool();
        let info = p.sequencerInfo(id).call().await?;
        let queue = p.withdrawalQueue(id).call().await?;
        let delegation = p.delegation(id).call().await?;
        let mut requests = Vec::new();
        for request_id in queue.nextToClaim..queue.nextRequestId {
            let r = p.withdrawalRequest(id, request_id).call().await?;
            requests.push(WithdrawalView { id: request_id, amount: r.amount, claimable_at: r.claimableAt });
        }
        Ok(SequencerView {
            id: id.to::<u64>(),
            owner: info.owner,
            signer: info.signer,
            reward_recipient: info.rewardRecipient,
            amount: info.amount,
            status: info.status,
            activation_time: info.activationTime,
            unlock_claim_time: info.unlockClaimTime,
            pending: queue.pending,
            claimable: queue.claimable,
            requests,
            lst: delegation.lst,
            lst_stake: delegation.lstStake,
        })
    }

    /// The pool's parameters and totals, and its first `limit` sequencers.
    pub async fn view(&self, limit: u64) -> Result<PoolView> {
        let p = self.pool();
        let total = p.totalSequencers().call().await?.to::<u64>();
        let mut sequencers = Vec::new();
        for id in 1..=total.min(limit) {
            sequencers.push(self.sequencer(U256::from(id)).await?);
        }
        let (block, now) = self.client.latest_block().await?;
        Ok(PoolView {
            address: self.address,
            token: self.token,
            block,
            now,
            paused: p.paused().call().await?,
            total_locked: p.totalLocked().call().await?,
            total_pending_withdrawals: p.totalPendingWithdrawals().call().await?,
            token_balance: self.erc20().balanceOf(self.address).call().await?,
            total_sequencers: total,
            active_sequencers: p.activeSequencers().call().await?.to::<u64>(),
            min_lock: p.minLock().call().await?,
            max_lock: p.maxLock().call().await?,
            exit_delay: p.exitDelayPeriod().call().await?.to::<u64>(),
            signer_rotation_delay: p.signerRotationDelay().call().await?,
            max_withdrawal_requests: p.maxWithdrawalRequests().call().await?,
            default_admin: p.defaultAdmin().call().await?,
            programs: p.programs().call().await?,
            sequencers,
        })
    }
}

/// One open withdrawal request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WithdrawalView {
    pub id: u64,
    pub amount: U256,
    pub claimable_at: u64,
}

/// A sequencer as `dseq status` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SequencerView {
    pub id: u64,
    pub owner: Address,
    pub signer: Address,
    pub reward_recipient: Address,
    pub amount: U256,
    pub status: u8,
    pub activation_time: u64,
    pub unlock_claim_time: u64,
    pub pending: U256,
    pub claimable: U256,
    pub requests: Vec<WithdrawalView>,
    /// The paired LST (zero: none) and its stake in the sequencer, apart from the operator's
    /// `amount`; its queue is the LST's own (`dseq lst status`).
    pub lst: Address,
    pub lst_stake: U256,
}

/// The pool as `dseq status` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolView {
    pub address: Address,
    pub token: Address,
    pub block: u64,
    pub now: u64,
    pub paused: bool,
    pub total_locked: U256,
    pub total_pending_withdrawals: U256,
    /// The pool's METIS balance: it equals locked + pending + exited-unclaimed.
    pub token_balance: U256,
    pub total_sequencers: u64,
    pub active_sequencers: u64,
    pub min_lock: U256,
    pub max_lock: U256,
    pub exit_delay: u64,
    pub signer_rotation_delay: u64,
    pub max_withdrawal_requests: u64,
    pub default_admin: Address,
    pub programs: Vec<Address>,
    pub sequencers: Vec<SequencerView>,
}
