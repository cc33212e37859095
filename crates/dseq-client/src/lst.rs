//! lst-registry and the pool's delegated stake from the outside (`dseq lst`): governance's
//! approvals as proposal actions, pairing by offer and acceptance, the paired LST's deposits,
//! withdrawal requests and claims, and every LST with its terms, stake and pairings as one view.
//!
//! An LST is usually a contract (a vault that holds its holders' METIS); these calls are what
//! that contract sends. The CLI sends them from the signing account, for an LST that acts
//! through an account, and for reading what a vault contract would send.

use alloy::primitives::{Address, Bytes, U256};
use alloy::providers::DynProvider;
use alloy::rpc::types::TransactionReceipt;
use alloy::sol_types::SolCall;
use anyhow::{anyhow, bail, Context, Result};
use dseq_abi::lst::{status, MAX_CAP, MAX_NAME_BYTES};

use crate::bindings::{ILockingPool, ILstRegistry};
use crate::client::{events, Client};
use crate::governance::Action;
use crate::pool::status_name;
use crate::units::{format_metis, format_time};

/// The LST registry of a deployment and the pool it feeds, for `client`.
pub struct Lsts<'a> {
    pub client: &'a Client,
    pub registry: Address,
    pub pool: Address,
    pub token: Address,
}

/// One LST as the registry and the pool know it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LstView {
    pub address: Address,
    pub name: String,
    /// `dseq_abi::lst::status`: 1 Active, 2 DepositsPaused, 3 Delisted.
    pub status: u8,
    pub cap: U256,
    pub pairings: u32,
    pub approved_at: u64,
    /// Its counting stake across sequencers.
    pub staked: U256,
    /// Its stake in the withdrawal queue, matured or not.
    pub pending: U256,
    /// Whether the pool lets it add stake (the registry's terms).
    pub open: bool,
    /// The sequencers it is paired with among those read, with its stake in each.
    pub sequencers: Vec<(u64, U256)>,
    pub requests: Vec<RequestView>,
}

/// One open delegated withdrawal request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestView {
    pub id: u64,
    pub amount: U256,
    pub claimable_at: u64,
    pub sequencer_id: u64,
}

/// A sequencer's pairing and stakes, as the registry and the pool see them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PairingView {
    pub sequencer_id: U256,
    pub owner: Address,
    pub sequencer_status: u8,
    pub operator_stake: U256,
    /// The paired LST (zero: none) and its stake in the sequencer.
    pub lst: Address,
    pub lst_stake: U256,
    pub paired_at: u64,
    /// The pending offer (zero: none), and who made it.
    pub offered_lst: Address,
    pub offered_by: Address,
}

/// What an `unpair` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unpairing {
    /// The pairing ended; `unwound` of the LST's stake entered its queue, claimable at `claimable_at`.
    Ended { lst: Address, unwound: U256, claimable_at: Option<u64> },
    /// There was no pairing; the pending offer to `lst` was withdrawn.
    OfferWithdrawn { lst: Address },
}

/// A status code from its name: active, paused (deposits-paused) or delisted.
pub fn parse_status(text: &str) -> Result<u8> {
    match text.to_ascii_lowercase().as_str() {
        "active" | "1" => Ok(status::ACTIVE),
        "paused" | "deposits-paused" | "depositspaused" | "2" => Ok(status::DEPOSITS_PAUSED),
        "delisted" | "3" => Ok(status::DELISTED),
        _ => bail!("{text:?} is not an LST status: use active, paused (deposits paused) or delisted"),
    }
}

impl<'a> Lsts<'a> {
    /// The registry and pool of deployment `d`.
    pub fn of(client: &'a Client, d: &crate::Deployment) -> Result<Self> {
        Ok(Self { client, registry: d.lst_registry()?, pool: d.pool()?, token: d.token()? })
    }

    fn r(&self) -> ILstRegistry::ILstRegistryInstance<DynProvider> {
        ILstRegistry::new(self.registry, self.client.provider.clone())
    }

    fn p(&self) -> ILockingPool::ILockingPoolInstance<DynProvider> {
        ILockingPool::new(self.pool, self.client.provider.clone())
    }

    /// Who governs the registry (the timelock, unless the deploy named someone else).
    pub async fn governance(&self) -> Result<Address> {
        Ok(self.r().governance().call().await.context("reading the registry's governance")?)
    }

    // ------------------------------------------------------------------------ governance

    /// `approveLst(lst, name, cap)` as an action, after the checks the registry would make.
    pub async fn approve_action(&self, lst: Address, name: &str, cap: U256) -> Result<Action> {
        if name.is_empty() || name.len() > MAX_NAME_BYTES || name.contains('\0') {
            bail!("an LST's name is 1 to {MAX_NAME_BYTES} bytes without NUL; {name:?} is {} bytes", name.len());
        }
        if cap > MAX_CAP {
            bail!("the cap {} METIS is above the most a cap can be, {} METIS", format_metis(cap), format_metis(MAX_CAP));
        }
        if lst.is_zero() {
            bail!("give the LST's contract address (not zero)");
        }
        let info = self.r().lstInfo(lst).call().await?;
        if info.status != status::NONE {
            bail!("{lst} is already approved as {:?} ({}): an LST is approved once; change its cap or status instead", self.name(lst).await?, status::name(info.status));
        }
        let holder = self.r().lstOfName(name.into()).call().await?;
        if !holder.is_zero() {
            bail!("the name {name:?} is taken by the LST {holder}");
        }
        Ok(self.action(ILstRegistry::approveLstCall { lst, name: name.into(), cap }))
    }

    /// `setLstCap(lst, cap)` as an action.
    pub async fn set_cap_action(&self, lst: Address, cap: U256) -> Result<Action> {
        self.require_changeable(lst).await?;
        if cap > MAX_CAP {
            bail!("the cap {} METIS is above the most a cap can be, {} METIS", format_metis(cap), format_metis(MAX_CAP));
        }
        Ok(self.action(ILstRegistry::setLstCapCall { lst, cap }))
    }

    /// `setLstStatus(lst, status)` as an action.
    pub async fn set_status_action(&self, lst: Address, status: u8) -> Result<Action> {
        self.require_changeable(lst).await?;
        Ok(self.action(ILstRegistry::setLstStatusCall { lst, status }))
    }

    async fn require_changeable(&self, lst: Address) -> Result<()> {
        match self.r().lstInfo(lst).call().await?.status {
            status::NONE => bail!("{lst} is not an approved LST (LstNotApproved): approve it first with `dseq lst approve`"),
            status::DELISTED => bail!("{lst} is delisted, which is final (LstIsDelisted)"),
            _ => Ok(()),
        }
    }

    fn action<C: SolCall>(&self, call: C) -> Action {
        Action { target: self.registry, value: U256::ZERO, calldata: Bytes::from(call.abi_encode()) }
    }

    /// Sends `action` from `from` when `from` governs the registry directly (a deployment whose
    /// `lst-governance` is an account); a timelock-governed registry takes it as a proposal.
    pub async fn send_as_governance(&self, from: Address, action: &Action) -> Result<TransactionReceipt> {
        let governance = self.governance().await?;
        if governance != from {
            bail!("{from} does not govern the LST registry ({governance} does): propose it instead");
        }
        let tx = alloy::rpc::types::TransactionRequest::default().from(from).to(action.target).value(action.value).input(action.calldata.clone().into());
        Ok(self.client.send(tx).await.context("sending the governance call")?)
    }

    // ------------------------------------------------------------------------ pairing

    /// Offers the pairing of sequencer `id` and `lst`, by the sequencer's operator or by the LST.
    pub async fn offer(&self, from: Address, id: U256, lst: Address) -> Result<TransactionReceipt> {
        let pairing = self.pairing(id).await?;
        self.require_lst_active(lst).await?;
        if pairing.sequencer_status != 2 {
            bail!("sequencer {id} is {} (SequencerNotActive): only an Active sequencer pairs", status_name(pairing.sequencer_status));
        }
        if from != pairing.owner && from != lst {
            bail!("{from} is neither sequencer {id}'s operator ({}) nor the LST {lst} (NotPairingParty)", pairing.owner);
        }
        if !pairing.lst.is_zero() {
            bail!("sequencer {id} is already paired with {} (AlreadyPaired): unpair first", pairing.lst);
        }
        let call = ILstRegistry::offerPairingCall { sequencerId: id, lst };
        Ok(self.client.send_call(from, self.registry, &call).await.context("offering the pairing")?)
    }

    /// Accepts the pending offer between sequencer `id` and `lst`, by the side that did not make it.
    pub async fn accept(&self, from: Address, id: U256, lst: Address) -> Result<TransactionReceipt> {
        let pairing = self.pairing(id).await?;
        if pairing.offered_lst != lst {
            bail!("sequencer {id} has no pending offer with {lst} (NoPairingOffer): one side offers with `dseq lst pair` first");
        }
        if from == pairing.offered_by {
            bail!("{from} made the offer; the other side accepts it (NoPairingOffer)");
        }
        let call = ILstRegistry::acceptPairingCall { sequencerId: id, lst };
        Ok(self.client.send_call(from, self.registry, &call).await.context("accepting the pairing")?)
    }

    /// Ends sequencer `id`'s pairing (its LST's stake there enters the queue), or withdraws its
    /// pending offer.
    pub async fn unpair(&self, from: Address, id: U256) -> Result<(Unpairing, TransactionReceipt)> {
        let pairing = self.pairing(id).await?;
        if pairing.lst.is_zero() && pairing.offered_lst.is_zero() {
            bail!("sequencer {id} has neither a pairing nor a pending offer (NotPaired)");
        }
        let receipt = self.client.send_call(from, self.registry, &ILstRegistry::unpairCall { sequencerId: id }).await.context("unpairing")?;
        if let Some(ended) = events::<ILstRegistry::Unpaired>(&receipt, self.registry).pop() {
            let queued = events::<ILockingPool::DelegatedWithdrawalRequested>(&receipt, self.pool).pop();
            let unwound = queued.as_ref().map_or(U256::ZERO, |e| e.amount);
            return Ok((Unpairing::Ended { lst: ended.lst, unwound, claimable_at: queued.map(|e| e.claimableAt) }, receipt));
        }
        Ok((Unpairing::OfferWithdrawn { lst: pairing.offered_lst }, receipt))
    }

    async fn require_lst_active(&self, lst: Address) -> Result<()> {
        match self.r().lstInfo(lst).call().await?.status {
            status::ACTIVE => Ok(()),
            status::NONE => bail!("{lst} is not an approved LST (LstNotApproved): governance approves LSTs with `dseq lst approve`"),
            other => bail!("{lst} is {} (LstNotActive): it cannot pair now", status::name(other)),
        }
    }

    // ------------------------------------------------------------------------ the LST's stake

    /// Locks `amount` of `lst`'s METIS into sequencer `id`, which it must be paired with;
    /// approves the pool first if needed. Returns the LST's stake in the sequencer after it.
    pub async fn deposit(&self, lst: Address, id: U256, amount: U256) -> Result<(U256, Vec<TransactionReceipt>)> {
        let pairing = self.pairing(id).await?;
        if pairing.lst != lst {
            bail!("{lst} is not sequencer {id}'s paired LST (NotSequencerDelegate); pair with `dseq lst pair` and `dseq lst accept` first");
        }
        let account = self.p().lstAccount(lst).call().await?;
        if !account.open {
            bail!("{lst} may not add stake now (LstDepositsClosed): its deposits are paused or it is delisted");
        }
        if account.staked.saturating_add(amount) > account.cap {
            bail!(
                "{lst} has {} METIS delegated; {} more would pass its cap of {} METIS (LstCapExceeded)",
                format_metis(account.staked),
                format_metis(amount),
                format_metis(account.cap)
            );
        }
        let mut receipts: Vec<TransactionReceipt> = self.client.ensure_funds(self.token, lst, self.pool, amount, "the deposit", "the pool").await?.into_iter().collect();
        let call = ILockingPool::lockDelegatedCall { sequencerId: id, amount };
        let receipt = self.client.send_call(lst, self.pool, &call).await.context("locking the delegated stake")?;
        let locked = events::<ILockingPool::DelegatedStakeLocked>(&receipt, self.pool)
            .pop()
            .ok_or_else(|| anyhow!("no DelegatedStakeLocked event in the receipt"))?;
        receipts.push(receipt);
        Ok((locked.lstStake, receipts))
    }

    /// Queues `amount` of `lst`'s stake in sequencer `id`; returns the request id and when it matures.
    pub async fn request_withdrawal(&self, lst: Address, id: U256, amount: U256) -> Result<(u64, u64, TransactionReceipt)> {
        let pairing = self.pairing(id).await?;
        if pairing.lst != lst {
            bail!("{lst} is not sequencer {id}'s paired LST (NotSequencerDelegate): an unpaired LST's stake is already in its queue");
        }
        if amount.is_zero() || amount > pairing.lst_stake {
            bail!("{lst} has {} METIS in sequencer {id}; ask for more than 0 and at most that", format_metis(pairing.lst_stake));
        }
        let call = ILockingPool::requestDelegatedWithdrawalCall { sequencerId: id, amount };
        let receipt = self.client.send_call(lst, self.pool, &call).await.context("requesting the delegated withdrawal")?;
        let ev = events::<ILockingPool::DelegatedWithdrawalRequested>(&receipt, self.pool)
            .pop()
            .ok_or_else(|| anyhow!("no DelegatedWithdrawalRequested event in the receipt"))?;
        Ok((ev.requestId.to::<u64>(), ev.claimableAt, receipt))
    }

    /// Pays `lst` its matured requests (at most 32 per call), sent by `from` (anyone may).
    pub async fn claim(&self, from: Address, lst: Address) -> Result<(U256, TransactionReceipt)> {
        let account = self.p().lstAccount(lst).call().await?;
        let (_, now) = self.client.latest_block().await?;
        if account.nextToClaim >= account.nextRequestId {
            bail!("{lst} has no open delegated withdrawal request (NoMaturedDelegatedWithdrawal)");
        }
        let first = self.p().delegatedWithdrawal(lst, account.nextToClaim).call().await?;
        if first.claimableAt > now {
            bail!(
                "{lst}'s next withdrawal ({} METIS) matures {}; it is {} (NoMaturedDelegatedWithdrawal)",
                format_metis(first.amount),
                format_time(first.claimableAt),
                format_time(now)
            );
        }
        let receipt = self
            .client
            .send_call(from, self.pool, &ILockingPool::claimDelegatedWithdrawalsCall { lst })
            .await
            .context("claiming the delegated withdrawals")?;
        let paid = events::<ILockingPool::DelegatedWithdrawalsClaimed>(&receipt, self.pool).pop().map_or(U256::ZERO, |e| e.amount);
        Ok((paid, receipt))
    }

    // ------------------------------------------------------------------------ views

    /// Every LST ever approved, in approval order.
    pub async fn addresses(&self) -> Result<Vec<Address>> {
        let count = self.r().lstCount().call().await?.saturating_to::<u64>();
        let mut out = Vec::new();
        for i in 0..count {
            out.push(self.r().lstAt(U256::from(i)).call().await?);
        }
        Ok(out)
    }

    pub async fn name(&self, lst: Address) -> Result<String> {
        Ok(self.r().lstName(lst).call().await?)
    }

    /// Sequencer `id`'s pairing, pending offer and both stakes.
    pub async fn pairing(&self, id: U256) -> Result<PairingView> {
        let d = self.p().delegation(id).call().await.context("reading the pool's delegation")?;
        if d.owner.is_zero() {
            bail!("there is no sequencer {id} in the pool at {}", self.pool);
        }
        let pr = self.r().pairing(id).call().await.context("reading the registry's pairing")?;
        Ok(PairingView {
            sequencer_id: id,
            owner: d.owner,
            sequencer_status: d.status,
            operator_stake: d.operatorStake,
            lst: pr.lst,
            lst_stake: d.lstStake,
            paired_at: pr.pairedAt,
            offered_lst: pr.offeredLst,
            offered_by: pr.offeredBy,
        })
    }

    /// Every delegate among the pool's first `limit` sequencers: `(sequencer id, lst, its stake there)`.
    async fn delegates(&self, limit: u64) -> Result<Vec<(u64, Address, U256)>> {
        let total = self.p().totalSequencers().call().await?.saturating_to::<u64>();
        let mut out = Vec::new();
        for id in 1..=total.min(limit) {
            let d = self.p().delegation(U256::from(id)).call().await?;
            if !d.lst.is_zero() {
                out.push((id, d.lst, d.lstStake));
            }
        }
        Ok(out)
    }

    /// `lst` with its terms, its stake and queue, and its pairings among the pool's first
    /// `limit` sequencers.
    pub async fn view(&self, lst: Address, limit: u64) -> Result<LstView> {
        self.view_among(lst, &self.delegates(limit).await?).await
    }

    /// `lst` as [`Lsts::view`] shows it, its pairings taken from `delegates`.
    async fn view_among(&self, lst: Address, delegates: &[(u64, Address, U256)]) -> Result<LstView> {
        let info = self.r().lstInfo(lst).call().await?;
        if info.status == status::NONE {
            bail!("{lst} is not an approved LST of the registry at {}", self.registry);
        }
        let account = self.p().lstAccount(lst).call().await?;
        let sequencers = delegates.iter().filter(|(_, delegate, _)| *delegate == lst).map(|(id, _, stake)| (*id, *stake)).collect();
        let mut requests = Vec::new();
        for id in account.nextToClaim..account.nextRequestId {
            let r = self.p().delegatedWithdrawal(lst, id).call().await?;
            requests.push(RequestView { id, amount: r.amount, claimable_at: r.claimableAt, sequencer_id: r.sequencerId.saturating_to() });
        }
        Ok(LstView {
            address: lst,
            name: self.name(lst).await?,
            status: info.status,
            cap: info.cap,
            pairings: info.pairings,
            approved_at: info.approvedAt,
            staked: account.staked,
            pending: account.pending,
            open: account.open,
            sequencers,
            requests,
        })
    }

    /// Every approved LST, as [`Lsts::view`] shows it (the sequencers are read once for all).
    pub async fn all(&self, limit: u64) -> Result<Vec<LstView>> {
        let delegates = self.delegates(limit).await?;
        let mut out = Vec::new();
        for lst in self.addresses().await? {
            out.push(self.view_among(lst, &delegates).await?);
        }
        Ok(out)
    }

    /// The registry's limit on pairings per LST.
    pub async fn max_pairings(&self) -> Result<u32> {
        Ok(self.r().maxPairingsPerLst().call().await?)
    }
}
