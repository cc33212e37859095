//! Deploying the suite: every program deployed and activated, each contract behind its ERC-1967
//! proxy and initialized in the proxy's constructor (nobody can front-run `initialize`), roles
//! wired, parameters set, the wiring read back, and a deployment record written.
//!
//! The record (`deployments/<chain-id>.json`) is saved after every step, so a deploy that fails
//! half-way says what exists and resumes from there when run again: each recorded address is
//! checked on chain (code present, code hash as recorded) before it is reused. A finished
//! deployment is never repeated; a record whose contracts are missing from the chain (a
//! restarted devnode) is refused unless the caller asks for a fresh deployment.

use std::path::{Path, PathBuf};
use std::time::Instant;

use alloy::primitives::{keccak256, Address, Bytes, B256, U256};
use alloy::providers::Provider;
use alloy::sol_types::{SolCall, SolValue};
use anyhow::{anyhow, bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::artifacts::Artifacts;
use crate::bindings::{IGovernor, ILockingPool, ILstRegistry, IMetisVotes, IRewardDistributor, ISequencerElection, ITimelock, IERC20};
use crate::client::Client;
use crate::units::format_metis;

/// locking-pool's programs, entry first, as its crate lists them (`[package.metadata.dseq]`).
pub const LOCKING_POOL_PROGRAMS: [&str; 4] = ["locking-pool", "locking-pool-module", "locking-pool-admin", "locking-pool-delegation"];
/// metis-votes' program.
pub const METIS_VOTES_PROGRAMS: [&str; 1] = ["metis-votes"];
/// The governor's programs, entry first.
pub const GOVERNOR_PROGRAMS: [&str; 2] = ["governor", "governor-module"];
/// The timelock's program.
pub const TIMELOCK_PROGRAMS: [&str; 1] = ["timelock"];
/// sequencer-election's programs, entry first.
pub const ELECTION_PROGRAMS: [&str; 2] = ["sequencer-election", "sequencer-election-module"];
/// lst-registry's program.
pub const LST_REGISTRY_PROGRAMS: [&str; 1] = ["lst-registry"];
/// reward-distributor's program.
pub const REWARD_DISTRIBUTOR_PROGRAMS: [&str; 1] = ["reward-distributor"];
/// Every program of the suite, contract by contract in deploy order, entries first.
pub fn suite_programs() -> impl Iterator<Item = &'static str> {
    [
        &LOCKING_POOL_PROGRAMS[..],
        &METIS_VOTES_PROGRAMS,
        &GOVERNOR_PROGRAMS,
        &TIMELOCK_PROGRAMS,
        &ELECTION_PROGRAMS,
        &LST_REGISTRY_PROGRAMS,
        &REWARD_DISTRIBUTOR_PROGRAMS,
    ]
    .into_iter()
    .flatten()
    .copied()
}
/// Metis's reward per block since 2024-05-06 (`metis-locking-pool.md` §4.1): 0.002245402873 METIS.
pub const DEFAULT_REWARD_PER_BLOCK: &str = "0.002245402873";
/// The treasury's default share: 10%.
pub const DEFAULT_TREASURY_BPS: u16 = 1_000;

/// Governance defaults (OpenZeppelin's reference setup, as `gas-anchors.md` measured it).
pub const DEFAULT_VOTING_DELAY: u64 = 24 * 3600;
pub const DEFAULT_VOTING_PERIOD: u64 = 7 * 24 * 3600;
pub const DEFAULT_LATE_QUORUM_EXTENSION: u64 = 2 * 24 * 3600;
pub const DEFAULT_TIMELOCK_DELAY: u64 = 2 * 24 * 3600;
pub const DEFAULT_QUORUM_PERCENT: u64 = 4;
/// Votes a proposer needs: 1,000 METIS.
pub const DEFAULT_PROPOSAL_THRESHOLD: &str = "1000";
/// `bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1)`.
pub const IMPLEMENTATION_SLOT: B256 = alloy::primitives::b256!("360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc");
/// `bytes32(uint256(keccak256("eip1967.proxy.admin")) - 1)`.
pub const PROXY_ADMIN_SLOT: B256 = alloy::primitives::b256!("b53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103");

/// What to deploy with; every field is optional (`dseq deploy --config FILE`, TOML).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DeployConfig {
    /// The METIS token. None: deploy the METIS mock (development chains only).
    pub token: Option<Address>,
    /// Who holds the pool's DEFAULT_ADMIN_ROLE in the end (default: the timelock). It is
    /// offered through the pool's two-step transfer: the new admin accepts after
    /// `defaultAdminDelay` (the timelock by a proposal).
    pub admin: Option<Address>,
    /// Who may upgrade the proxies and install programs (default: the timelock).
    pub upgrader: Option<Address>,
    /// Who admits sequencer owners (default: the election, whose finalized rounds admit the
    /// winners; governance revokes through it).
    pub admission: Option<Address>,
    /// Who may pause (default: the timelock).
    pub pauser: Option<Address>,
    /// An account that may cancel queued operations on the timelock, and nothing else.
    pub guardian: Option<Address>,
    /// Governor settings: seconds before voting opens (default 1 day) and voting lasts
    /// (default 1 week), votes a proposer needs in METIS (default 1,000), quorum in percent of
    /// all votes at the snapshot (default 4), the late-quorum extension in seconds (default 2
    /// days), and the timelock's minimum delay in seconds (default 2 days).
    pub voting_delay: Option<u64>,
    pub voting_period: Option<u64>,
    pub proposal_threshold: Option<String>,
    pub quorum_percent: Option<u64>,
    pub late_quorum_extension: Option<u64>,
    pub timelock_delay: Option<u64>,
    /// Stake bounds in METIS (defaults: 20,000 and 100,000, Metis's).
    pub min_lock: Option<String>,
    pub max_lock: Option<String>,
    /// Exit and withdrawal delay in seconds (default: 21 days).
    pub exit_delay: Option<u64>,
    /// Minimum seconds between signer rotations (default: 1 day).
    pub signer_rotation_delay: Option<u64>,
    /// Open withdrawal requests allowed per sequencer (default: 8).
    pub max_withdrawal_requests: Option<u64>,
    /// The election's rules (defaults: Metis's criteria, `dseq_abi::election::defaults`): the
    /// first round's due time (a timestamp; default: the deploy), seconds between rounds and of
    /// each window, seats, the candidate cap, the voter minimum, the approval ratio and the
    /// quorum's share in basis points, the absolute quorum in METIS, and who may veto.
    pub election_first_round: Option<u64>,
    pub election_cadence: Option<u64>,
    pub election_application_period: Option<u64>,
    pub election_voting_period: Option<u64>,
    pub election_vetting_period: Option<u64>,
    pub election_seats: Option<u16>,
    pub election_max_candidates: Option<u16>,
    pub election_min_voters: Option<u32>,
    pub election_approval_bps: Option<u16>,
    pub election_quorum_bps: Option<u16>,
    pub election_quorum: Option<String>,
    pub election_vetter: Option<Address>,
    /// Who approves LSTs and sets their caps and status in the LST registry (default: the
    /// timelock), and how many sequencers one LST may pair with (default 16, at most 10,000).
    pub lst_governance: Option<Address>,
    pub lst_max_pairings: Option<u32>,
    /// The reward distributor: who submits batches (the MPC; default: the deployer), whose
    /// allowance funds them (default: the deployer), where the treasury's share goes (default:
    /// the timelock), the reward per block in METIS (default Metis's 0.002245402873), the
    /// treasury's share in basis points (default 1000, at most 5000) and the first epoch
    /// (default 0); who sets its terms and may pause it (default: the timelock).
    pub reward_submitter: Option<Address>,
    pub reward_governance: Option<Address>,
    pub reward_payer: Option<Address>,
    pub treasury: Option<Address>,
    pub reward_per_block: Option<String>,
    pub treasury_bps: Option<u16>,
    pub first_epoch: Option<u64>,
    /// Cache the programs in the chain's program cache when the deployer may (the chain owner or
    /// a cache manager), so that no call pays a program's full init cost (default true).
    pub cache_programs: Option<bool>,
}

/// One Stylus program as deployed.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ProgramRecord {
    pub name: String,
    pub address: Address,
    /// keccak256 of the deployed code (what ArbWasm keys activation by).
    pub code_hash: B256,
    pub code_bytes: usize,
}

/// A contract as deployed: its proxy and the Stylus programs behind it.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ContractRecord {
    /// The contract's address: its ERC-1967 proxy.
    pub proxy: Option<Address>,
    /// Who may upgrade the proxy.
    pub proxy_admin: Option<Address>,
    /// The programs, entry first (the proxy's implementation).
    pub programs: Vec<ProgramRecord>,
}

/// The token as deployed or given.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TokenRecord {
    pub address: Address,
    /// True when this deployment deployed the METIS mock (anyone can mint it).
    pub mock: bool,
}

/// Parameters and roles read back from the chain after the deploy.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Wiring {
    pub min_lock: U256,
    pub max_lock: U256,
    pub exit_delay: u64,
    pub signer_rotation_delay: u64,
    pub max_withdrawal_requests: u64,
    pub default_admin: Address,
    pub pending_default_admin: Option<Address>,
    pub admission: Address,
    pub pauser: Address,
    pub upgrader: Address,
    #[serde(default)]
    pub governor: Address,
    #[serde(default)]
    pub timelock: Address,
    /// The timelock's minimum delay, seconds.
    #[serde(default)]
    pub timelock_delay: u64,
    #[serde(default)]
    pub election: Address,
    #[serde(default)]
    pub lst_registry: Address,
    /// Who governs the LST registry.
    #[serde(default)]
    pub lst_governance: Address,
    #[serde(default)]
    pub reward_distributor: Address,
    /// Who submits reward batches (the MPC).
    #[serde(default)]
    pub reward_submitter: Address,
    /// Who sets the distributor's terms and may pause it.
    #[serde(default)]
    pub reward_governance: Address,
}

/// A step of the deploy, as recorded.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct StepRecord {
    pub name: String,
    pub seconds: f64,
    pub transactions: usize,
    pub gas_used: u64,
}

/// `deployments/<chain-id>.json`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    /// `dseq <version>` that wrote the record.
    pub tool: String,
    pub chain_id: u64,
    pub deployer: Address,
    /// The first block of the deployment (events of the suite start here).
    pub deploy_block: u64,
    /// False while steps remain; `dseq deploy` resumes from the recorded ones.
    pub complete: bool,
    pub token: Option<TokenRecord>,
    pub locking_pool: ContractRecord,
    /// metis-votes: the voting token, where the pool's counting stake votes too.
    #[serde(default)]
    pub metis_votes: ContractRecord,
    /// The governor: proposals and votes.
    #[serde(default)]
    pub governor: ContractRecord,
    /// The timelock: executes passed proposals after its delay; admin of everything.
    #[serde(default)]
    pub timelock: ContractRecord,
    /// sequencer-election: community rounds that admit operators to the pool.
    #[serde(default)]
    pub sequencer_election: ContractRecord,
    /// lst-registry: the LSTs governance approved and their pairings with sequencers.
    #[serde(default)]
    pub lst_registry: ContractRecord,
    /// reward-distributor: reward batches, fees, the split and the claims.
    #[serde(default)]
    pub reward_distributor: ContractRecord,
    /// Read back from the chain when the deploy finished.
    pub wiring: Option<Wiring>,
    pub steps: Vec<StepRecord>,
}

impl Deployment {
    /// `deployments/<chain-id>.json` under `root`.
    pub fn path(root: &Path, chain_id: u64) -> PathBuf {
        root.join("deployments").join(format!("{chain_id}.json"))
    }

    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        serde_json::from_slice(&text).with_context(|| format!("{} is not a dseq deployment record", path.display()))
    }

    /// The deployment of chain `chain_id` under `root`, with a message saying how to make one.
    pub fn load_for(root: &Path, chain_id: u64) -> Result<Self> {
        let path = Self::path(root, chain_id);
        if !path.exists() {
            bail!("no deployment for chain {chain_id}: {} does not exist; run `dseq deploy` first", path.display());
        }
        let deployment = Self::load(&path)?;
        if !deployment.complete {
            bail!("the deployment in {} is incomplete; run `dseq deploy` again to finish it", path.display());
        }
        Ok(deployment)
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let text = serde_json::to_string_pretty(self)? + "\n";
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
    }

    /// The pool's address (its proxy).
    pub fn pool(&self) -> Result<Address> {
        self.locking_pool.proxy.ok_or_else(|| anyhow!("the deployment has no locking-pool proxy yet"))
    }

    /// The governor's address (its proxy).
    pub fn governor(&self) -> Result<Address> {
        self.governor.proxy.ok_or_else(|| anyhow!("the deployment has no governor; deploy again with this version of dseq"))
    }

    /// The timelock's address (its proxy).
    pub fn timelock(&self) -> Result<Address> {
        self.timelock.proxy.ok_or_else(|| anyhow!("the deployment has no timelock; deploy again with this version of dseq"))
    }

    /// The voting token's address (its proxy).
    pub fn votes(&self) -> Result<Address> {
        self.metis_votes.proxy.ok_or_else(|| anyhow!("the deployment has no metis-votes; deploy again with this version of dseq"))
    }

    /// The election's address (its proxy).
    pub fn election(&self) -> Result<Address> {
        self.sequencer_election.proxy.ok_or_else(|| anyhow!("the deployment has no sequencer-election; deploy again with this version of dseq"))
    }

    /// The LST registry's address (its proxy).
    pub fn lst_registry(&self) -> Result<Address> {
        self.lst_registry.proxy.ok_or_else(|| anyhow!("the deployment has no lst-registry; deploy again with this version of dseq"))
    }

    /// The reward distributor's address (its proxy).
    pub fn reward_distributor(&self) -> Result<Address> {
        self.reward_distributor.proxy.ok_or_else(|| anyhow!("the deployment has no reward-distributor; deploy again with this version of dseq"))
    }

    /// The METIS token's address.
    pub fn token(&self) -> Result<Address> {
        self.token.as_ref().map(|t| t.address).ok_or_else(|| anyhow!("the deployment has no token yet"))
    }

    /// Every contract the record says exists: its name, address and, for a Stylus program,
    /// the recorded code hash.
    pub fn contracts(&self) -> Vec<(String, Address, Option<B256>)> {
        let mut out = Vec::new();
        if let Some(token) = &self.token {
            out.push((format!("METIS{}", if token.mock { " mock" } else { "" }), token.address, None));
        }
        for (name, record) in [
            ("locking-pool", &self.locking_pool),
            ("metis-votes", &self.metis_votes),
            ("governor", &self.governor),
            ("timelock", &self.timelock),
            ("sequencer-election", &self.sequencer_election),
            ("lst-registry", &self.lst_registry),
            ("reward-distributor", &self.reward_distributor),
        ] {
            for p in &record.programs {
                out.push((p.name.clone(), p.address, Some(p.code_hash)));
            }
            if let Some(proxy) = record.proxy {
                out.push((format!("{name} proxy"), proxy, None));
            }
        }
        out
    }

    /// Every Stylus program the record holds.
    pub fn programs(&self) -> impl Iterator<Item = &ProgramRecord> {
        [&self.locking_pool, &self.metis_votes, &self.governor, &self.timelock, &self.sequencer_election, &self.lst_registry, &self.reward_distributor].into_iter().flat_map(|r| r.programs.iter())
    }

    /// What exists so far, in words (for a failed deploy's message).
    pub fn summary(&self) -> String {
        let parts: Vec<String> = self.contracts().iter().map(|(name, address, _)| format!("{name} {address}")).collect();
        if parts.is_empty() { "nothing was deployed".into() } else { parts.join(", ") }
    }
}

/// A finished step, as the deploy reports it while it runs.
#[derive(Clone, Debug)]
pub struct Progress {
    pub step: String,
    pub detail: String,
    pub seconds: f64,
    /// True when the step was already done by an earlier run (resumed).
    pub reused: bool,
}

/// How a deploy run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Deployed,
    Resumed,
    /// The record was complete and the chain agrees: nothing was sent.
    AlreadyDeployed,
}

/// Where the deploy keeps its record, and what to do with an existing one.
#[derive(Clone, Debug, Default)]
pub struct RecordOptions {
    /// Where to save the record (None: keep it in memory, as the demo and the bench do).
    pub path: Option<PathBuf>,
    /// Ignore an existing record and deploy anew (the old file is kept as `.json.bak`).
    pub fresh: bool,
}

/// Deploys the suite with `client`'s default sender and returns the record.
pub async fn deploy(
    client: &Client,
    artifacts: &Artifacts,
    config: &DeployConfig,
    record: &RecordOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<(Deployment, Outcome)> {
    let deployer = client.sender()?;
    let codes: Vec<(String, Bytes)> = suite_programs()
        .map(|name| Ok((name.to_string(), artifacts.stylus(name)?)))
        .collect::<Result<_>>()?;
    let proxy_code = artifacts.forge("ERC1967Proxy", "ERC1967Proxy")?;
    let mock_code = if config.token.is_none() { Some(artifacts.forge("MockMetis", "MockMetis")?) } else { None };
    let params = Parameters::from_config(config)?;
    client.stylus_version().await?;

    let (mut d, resumed) = match &record.path {
        Some(path) if path.exists() && !record.fresh => {
            let d = Deployment::load(path)?;
            check_record(client, &d, &codes, path).await?;
            if d.complete {
                progress(&Progress { step: "verify".into(), detail: format!("already deployed; {}", d.summary()), seconds: 0.0, reused: true });
                return Ok((d, Outcome::AlreadyDeployed));
            }
            (d, true)
        }
        Some(path) if path.exists() => {
            let backup = path.with_extension("json.bak");
            std::fs::rename(path, &backup).with_context(|| format!("cannot move {} aside", path.display()))?;
            (new_record(client, deployer).await?, false)
        }
        _ => (new_record(client, deployer).await?, false),
    };
    if d.deployer != deployer {
        bail!(
            "the unfinished deployment was started by {}, not by this key ({deployer}); resume it with that key, or pass --fresh",
            d.deployer
        );
    }

    let result = run_steps(client, &mut d, &codes, &proxy_code, mock_code.as_ref(), config, &params, record, progress).await;
    match result {
        Ok(()) => Ok((d, if resumed { Outcome::Resumed } else { Outcome::Deployed })),
        Err(err) => {
            let done: Vec<&str> = d.steps.iter().map(|s| s.name.as_str()).collect();
            let saved = match &record.path {
                Some(path) => format!("; {} records it: run `dseq deploy` again to resume", path.display()),
                None => String::new(),
            };
            Err(err.context(format!(
                "the deploy stopped; steps done: {}; on chain: {}{saved}",
                if done.is_empty() { "none".into() } else { done.join(", ") },
                d.summary()
            )))
        }
    }
}

async fn new_record(client: &Client, deployer: Address) -> Result<Deployment> {
    let (block, _) = client.latest_block().await?;
    Ok(Deployment {
        tool: format!("dseq {}", env!("CARGO_PKG_VERSION")),
        chain_id: client.chain_id,
        deployer,
        deploy_block: block + 1,
        ..Deployment::default()
    })
}

/// Checks that what a record says exists does exist on this chain, as recorded.
async fn check_record(client: &Client, d: &Deployment, codes: &[(String, Bytes)], path: &Path) -> Result<()> {
    if d.chain_id != client.chain_id {
        bail!("{} is for chain {}, but the RPC serves chain {}", path.display(), d.chain_id, client.chain_id);
    }
    let mut missing = Vec::new();
    for (name, address, hash) in &d.contracts() {
        let code = client.provider.get_code_at(*address).await.context("reading recorded contracts")?;
        if code.is_empty() {
            missing.push(format!("{name} at {address}"));
        } else if let Some(hash) = hash {
            if keccak256(&code) != *hash {
                bail!("{name} at {address} does not have the code hash {} records; pass --fresh to deploy anew", path.display());
            }
        }
    }
    if !missing.is_empty() {
        bail!(
            "{} records contracts this chain does not have ({}): was the node restarted? Pass --fresh to deploy anew (the old record is kept as .json.bak)",
            path.display(),
            missing.join(", ")
        );
    }
    if !d.complete {
        for p in d.programs() {
            if let Some((_, code)) = codes.iter().find(|(name, _)| *name == p.name) {
                if keccak256(code) != p.code_hash {
                    bail!(
                        "{} was deployed from other artifacts than the ones built now; pass --fresh to deploy the current build",
                        p.name
                    );
                }
            }
        }
    }
    Ok(())
}

/// The pool's parameters a deploy sets, in wei and seconds.
#[derive(Clone, Debug)]
struct Parameters {
    min_lock: U256,
    max_lock: U256,
    exit_delay: u64,
    signer_rotation_delay: u64,
    max_withdrawal_requests: u64,
    voting_delay: u64,
    voting_period: u64,
    proposal_threshold: U256,
    quorum_percent: u64,
    late_quorum_extension: u64,
    timelock_delay: u64,
    election: ElectionRules,
    lst_max_pairings: u32,
    reward_per_block: U256,
    treasury_bps: u16,
}

/// The election's rules a deploy initializes it with.
#[derive(Clone, Debug)]
struct ElectionRules {
    first_round: Option<u64>,
    cadence: u64,
    application_period: u64,
    voting_period: u64,
    vetting_period: u64,
    seats: u16,
    max_candidates: u16,
    min_voters: u32,
    approval_bps: u16,
    quorum_bps: u16,
    quorum: U256,
}

impl Parameters {
    fn from_config(c: &DeployConfig) -> Result<Self> {
        let amount = |text: &Option<String>, default: U256, what: &str| -> Result<U256> {
            match text {
                None => Ok(default),
                Some(t) => crate::units::parse_metis(t).with_context(|| format!("config {what}")),
            }
        };
        Ok(Self {
            min_lock: amount(&c.min_lock, dseq_abi::locking_pool::DEFAULT_MIN_LOCK, "min-lock")?,
            max_lock: amount(&c.max_lock, dseq_abi::locking_pool::DEFAULT_MAX_LOCK, "max-lock")?,
            exit_delay: c.exit_delay.unwrap_or(dseq_abi::locking_pool::DEFAULT_EXIT_DELAY),
            signer_rotation_delay: c.signer_rotation_delay.unwrap_or(dseq_abi::locking_pool::DEFAULT_SIGNER_ROTATION_DELAY),
            max_withdrawal_requests: c.max_withdrawal_requests.unwrap_or(8),
            voting_delay: c.voting_delay.unwrap_or(DEFAULT_VOTING_DELAY),
            voting_period: c.voting_period.unwrap_or(DEFAULT_VOTING_PERIOD),
            proposal_threshold: amount(&c.proposal_threshold, crate::units::parse_metis(DEFAULT_PROPOSAL_THRESHOLD)?, "proposal-threshold")?,
            quorum_percent: c.quorum_percent.unwrap_or(DEFAULT_QUORUM_PERCENT),
            late_quorum_extension: c.late_quorum_extension.unwrap_or(DEFAULT_LATE_QUORUM_EXTENSION),
            timelock_delay: c.timelock_delay.unwrap_or(DEFAULT_TIMELOCK_DELAY),
            lst_max_pairings: match c.lst_max_pairings.unwrap_or(dseq_abi::lst::DEFAULT_MAX_PAIRINGS) {
                n @ 1..=dseq_abi::lst::MAX_PAIRINGS_LIMIT => n,
                n => bail!("config lst-max-pairings is {n}; it must be between 1 and {}", dseq_abi::lst::MAX_PAIRINGS_LIMIT),
            },
            reward_per_block: match amount(&c.reward_per_block, crate::units::parse_metis(DEFAULT_REWARD_PER_BLOCK)?, "reward-per-block")? {
                rpb if rpb <= dseq_abi::rewards::MAX_REWARD_PER_BLOCK => rpb,
                rpb => bail!("config reward-per-block is {} METIS; it must be at most {} METIS", format_metis(rpb), format_metis(dseq_abi::rewards::MAX_REWARD_PER_BLOCK)),
            },
            treasury_bps: match c.treasury_bps.unwrap_or(DEFAULT_TREASURY_BPS) {
                bps @ 0..=reward_split::MAX_TREASURY_BPS => bps,
                bps => bail!("config treasury-bps is {bps}; it must be at most {} (50%)", reward_split::MAX_TREASURY_BPS),
            },
            election: {
                use dseq_abi::election::defaults as e;
                let quorum = crate::units::parse_metis(&e::QUORUM_METIS.to_string())?;
                ElectionRules {
                    first_round: c.election_first_round,
                    cadence: c.election_cadence.unwrap_or(e::CADENCE),
                    application_period: c.election_application_period.unwrap_or(e::APPLICATION_PERIOD),
                    voting_period: c.election_voting_period.unwrap_or(e::VOTING_PERIOD),
                    vetting_period: c.election_vetting_period.unwrap_or(e::VETTING_PERIOD),
                    seats: c.election_seats.unwrap_or(e::SEATS),
                    max_candidates: c.election_max_candidates.unwrap_or(e::MAX_CANDIDATES),
                    min_voters: c.election_min_voters.unwrap_or(e::MIN_VOTERS),
                    approval_bps: c.election_approval_bps.unwrap_or(e::APPROVAL_BPS),
                    quorum_bps: c.election_quorum_bps.unwrap_or(0),
                    quorum: amount(&c.election_quorum, quorum, "election-quorum")?,
                }
            },
        })
    }
}

/// Counts a step's transactions and gas.
#[derive(Default)]
struct Tally {
    transactions: usize,
    gas_used: u64,
}

impl Tally {
    fn add(&mut self, receipt: &alloy::rpc::types::TransactionReceipt) {
        self.transactions += 1;
        self.gas_used += receipt.gas_used;
    }
}

#[allow(clippy::too_many_arguments)]
async fn run_steps(
    client: &Client,
    d: &mut Deployment,
    codes: &[(String, Bytes)],
    proxy_code: &Bytes,
    mock_code: Option<&Bytes>,
    config: &DeployConfig,
    params: &Parameters,
    record: &RecordOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<()> {
    let from = d.deployer;
    // 1. METIS.
    match (&d.token, config.token) {
        (Some(t), _) => reused(progress, "token", format!("METIS at {}", t.address)),
        (None, Some(address)) => {
            let started = Instant::now();
            check_token(client, address).await?;
            d.token = Some(TokenRecord { address, mock: false });
            finish(d, record, progress, "token", format!("METIS at {address} (given)"), started, Tally::default())?;
        }
        (None, None) => {
            if !client.is_dev_chain().await {
                bail!("this is not a development chain: give the METIS token's address with --token ADDRESS or `token` in the config");
            }
            let started = Instant::now();
            let code = mock_code.ok_or_else(|| anyhow!("no mock code"))?;
            let (address, receipt) = client.deploy_evm(from, code, &[]).await.context("deploying the METIS mock")?;
            let mut tally = Tally::default();
            tally.add(&receipt);
            d.token = Some(TokenRecord { address, mock: true });
            finish(d, record, progress, "token", format!("METIS mock at {address} (anyone can mint it: dev chains only)"), started, tally)?;
        }
    }
    let token = d.token()?;

    // 2. The programs: module and admin first, the entry last (it is the proxy's implementation).
    let pool_codes = &codes[..LOCKING_POOL_PROGRAMS.len()];
    for (name, code) in pool_codes.iter().skip(1).chain(pool_codes.iter().take(1)) {
        ensure_program(client, d, |d| &mut d.locking_pool, name, code, record, progress).await?;
    }
    let program = |name: &str| -> Result<Address> {
        d.locking_pool.programs.iter().find(|p| p.name == name).map(|p| p.address).ok_or_else(|| anyhow!("{name} missing"))
    };
    let entry = program(LOCKING_POOL_PROGRAMS[0])?;
    let others: Vec<Address> = LOCKING_POOL_PROGRAMS[1..].iter().map(|n| program(n)).collect::<Result<_>>()?;

    // 3. The proxy, initialized in its constructor.
    // The proxies are the deployer's until the hand-over below.
    let upgrader = from;
    let pool = match d.locking_pool.proxy {
        Some(proxy) => {
            reused(progress, "proxy", format!("locking-pool at {proxy}"));
            proxy
        }
        None => {
            let started = Instant::now();
            let init = ILockingPool::initializeCall { admin: from, token, programs: others.clone() }.abi_encode();
            let args = (entry, upgrader, Bytes::from(init)).abi_encode_params();
            let (proxy, receipt) = client.deploy_evm(from, proxy_code, &args).await.context("deploying the locking-pool proxy")?;
            let mut tally = Tally::default();
            tally.add(&receipt);
            d.locking_pool.proxy = Some(proxy);
            d.locking_pool.proxy_admin = Some(upgrader);
            finish(d, record, progress, "proxy", format!("locking-pool at {proxy}, initialized, upgrades by {upgrader}"), started, tally)?;
            proxy
        }
    };

    // 4. metis-votes behind its proxy, counting the pool's stake; the pool reports to it from
    //    now on (before any stake exists, as the pool requires).
    let code_of = |name: &str| codes.iter().find(|(n, _)| n == name).map(|(_, c)| c.clone()).ok_or_else(|| anyhow!("no artifact {name}"));
    for name in METIS_VOTES_PROGRAMS {
        ensure_program(client, d, |d| &mut d.metis_votes, name, &code_of(name)?, record, progress).await?;
    }
    let votes = match d.metis_votes.proxy {
        Some(proxy) => {
            reused(progress, "votes proxy", format!("metis-votes at {proxy}"));
            proxy
        }
        None => {
            let started = Instant::now();
            let implementation = d.metis_votes.programs.first().map(|p| p.address).ok_or_else(|| anyhow!("metis-votes missing"))?;
            let init = IMetisVotes::initializeCall { underlying: token, stakeSource: pool }.abi_encode();
            let args = (implementation, upgrader, Bytes::from(init)).abi_encode_params();
            let (proxy, receipt) = client.deploy_evm(from, proxy_code, &args).await.context("deploying the metis-votes proxy")?;
            let mut tally = Tally::default();
            tally.add(&receipt);
            d.metis_votes.proxy = Some(proxy);
            d.metis_votes.proxy_admin = Some(upgrader);
            finish(d, record, progress, "votes proxy", format!("metis-votes at {proxy}, counting locking-pool's stake, upgrades by {upgrader}"), started, tally)?;
            proxy
        }
    };
    let p = ILockingPool::new(pool, client.provider.clone());
    if !d.steps.iter().any(|s| s.name == "voting token") {
        let started = Instant::now();
        let mut tally = Tally::default();
        if p.votingToken().call().await? != votes {
            tally.add(&client.send_call(from, pool, &ILockingPool::setVotingTokenCall { votes }).await.context("setVotingToken")?);
        }
        finish(d, record, progress, "voting token", format!("locking-pool reports counting stake to {votes}"), started, tally)?;
    }

    // 5. Governance: the governor and the timelock behind their proxies. The timelock names the
    //    governor as its proposer and the governor names the timelock, so the timelock's proxy
    //    is deployed with the address the governor's proxy will get (the deployer's next
    //    contract), which is checked once it exists.
    for name in GOVERNOR_PROGRAMS.iter().skip(1).chain(GOVERNOR_PROGRAMS.iter().take(1)) {
        ensure_program(client, d, |d| &mut d.governor, name, &code_of(name)?, record, progress).await?;
    }
    for name in TIMELOCK_PROGRAMS {
        ensure_program(client, d, |d| &mut d.timelock, name, &code_of(name)?, record, progress).await?;
    }
    let program_of = |r: &ContractRecord, name: &str| r.programs.iter().find(|p| p.name == name).map(|p| p.address).ok_or_else(|| anyhow!("{name} missing"));
    let timelock = match d.timelock.proxy {
        Some(proxy) => {
            reused(progress, "timelock proxy", format!("timelock at {proxy}"));
            proxy
        }
        None => {
            let started = Instant::now();
            let nonce = client.provider.get_transaction_count(from).pending().await.context("reading the deployer's nonce")?;
            let governor = from.create(nonce + 1);
            let init = ITimelock::initializeCall {
                minDelay: U256::from(params.timelock_delay),
                proposers: vec![governor],
                executors: vec![Address::ZERO],
                cancellers: config.guardian.into_iter().collect(),
            }
            .abi_encode();
            let args = (program_of(&d.timelock, TIMELOCK_PROGRAMS[0])?, upgrader, Bytes::from(init)).abi_encode_params();
            let (proxy, receipt) = client.deploy_evm(from, proxy_code, &args).await.context("deploying the timelock proxy")?;
            let mut tally = Tally::default();
            tally.add(&receipt);
            d.timelock.proxy = Some(proxy);
            d.timelock.proxy_admin = Some(upgrader);
            let detail = format!(
                "timelock at {proxy}: delay {}, proposer {governor} (the governor), anyone executes{}",
                crate::units::format_duration(params.timelock_delay),
                config.guardian.map(|g| format!(", guardian {g} may cancel")).unwrap_or_default()
            );
            finish(d, record, progress, "timelock proxy", detail, started, tally)?;
            proxy
        }
    };
    let governor = match d.governor.proxy {
        Some(proxy) => {
            reused(progress, "governor proxy", format!("governor at {proxy}"));
            proxy
        }
        None => {
            let started = Instant::now();
            let init = IGovernor::initializeCall {
                token: votes,
                timelock,
                votingDelay: alloy::primitives::aliases::U48::from(params.voting_delay),
                votingPeriod: params.voting_period as u32,
                proposalThreshold: params.proposal_threshold,
                quorumNumerator: U256::from(params.quorum_percent),
                lateQuorumVoteExtension: alloy::primitives::aliases::U48::from(params.late_quorum_extension),
                programs: GOVERNOR_PROGRAMS[1..].iter().map(|n| program_of(&d.governor, n)).collect::<Result<_>>()?,
            }
            .abi_encode();
            let args = (program_of(&d.governor, GOVERNOR_PROGRAMS[0])?, upgrader, Bytes::from(init)).abi_encode_params();
            let (proxy, receipt) = client.deploy_evm(from, proxy_code, &args).await.context("deploying the governor proxy")?;
            let proposer = ITimelock::new(timelock, client.provider.clone()).hasRole(dseq_abi::timelock::PROPOSER_ROLE, proxy).call().await?;
            if !proposer {
                bail!(
                    "the governor landed at {proxy}, not at the address the timelock {timelock} names as its proposer                      (another transaction from the deployer came between them); pass --fresh to deploy anew"
                );
            }
            let mut tally = Tally::default();
            tally.add(&receipt);
            d.governor.proxy = Some(proxy);
            d.governor.proxy_admin = Some(upgrader);
            let detail = format!(
                "governor at {proxy}: voting opens after {} for {}, quorum {}% (+{} if reached late), proposals need {} votes",
                crate::units::format_duration(params.voting_delay),
                crate::units::format_duration(params.voting_period),
                params.quorum_percent,
                crate::units::format_duration(params.late_quorum_extension),
                format_metis(params.proposal_threshold)
            );
            finish(d, record, progress, "governor proxy", detail, started, tally)?;
            proxy
        }
    };

    // 5b. The election behind its proxy: governed by the timelock, weighing votes with
    //     metis-votes, admitting winners to the pool (which grants it ADMISSION_ROLE below).
    for name in ELECTION_PROGRAMS.iter().skip(1).chain(ELECTION_PROGRAMS.iter().take(1)) {
        ensure_program(client, d, |d| &mut d.sequencer_election, name, &code_of(name)?, record, progress).await?;
    }
    let election = match d.sequencer_election.proxy {
        Some(proxy) => {
            reused(progress, "election proxy", format!("sequencer-election at {proxy}"));
            proxy
        }
        None => {
            let started = Instant::now();
            let e = &params.election;
            let first = match e.first_round {
                Some(t) => t,
                None => client.latest_block().await?.1,
            };
            let init = ISequencerElection::initializeCall {
                governance: timelock,
                votes,
                pool,
                vetter: config.election_vetter.unwrap_or_default(),
                firstRoundAt: first,
                cadence: e.cadence,
                applicationPeriod: e.application_period,
                votingPeriod: e.voting_period,
                vettingPeriod: e.vetting_period,
                seats: e.seats,
                maxCandidates: e.max_candidates,
                minVoters: e.min_voters,
                approvalBps: e.approval_bps,
                quorumBps: e.quorum_bps,
                quorum: e.quorum,
                programs: vec![program_of(&d.sequencer_election, ELECTION_PROGRAMS[1])?],
            }
            .abi_encode();
            let args = (program_of(&d.sequencer_election, ELECTION_PROGRAMS[0])?, upgrader, Bytes::from(init)).abi_encode_params();
            let (proxy, receipt) = client.deploy_evm(from, proxy_code, &args).await.context("deploying the sequencer-election proxy")?;
            let mut tally = Tally::default();
            tally.add(&receipt);
            d.sequencer_election.proxy = Some(proxy);
            d.sequencer_election.proxy_admin = Some(upgrader);
            let detail = format!(
                "sequencer-election at {proxy}: first round due {}, every {}; {} seats, {} to apply, {} to vote, {} vetting; quorum {} METIS{}, {} voters, {}% approval",
                crate::units::format_time(first),
                crate::units::format_duration(e.cadence),
                e.seats,
                crate::units::format_duration(e.application_period),
                crate::units::format_duration(e.voting_period),
                crate::units::format_duration(e.vetting_period),
                format_metis(e.quorum),
                if e.quorum_bps > 0 { format!(" or {} of all votes", crate::units::format_bps(e.quorum_bps)) } else { String::new() },
                e.min_voters,
                crate::units::format_bps(e.approval_bps)
            );
            finish(d, record, progress, "election proxy", detail, started, tally)?;
            proxy
        }
    };

    // 5c. The LST registry behind its proxy, governed by the timelock unless the config names
    //     someone else; the pool accepts pairings and terms from it (set with the parameters).
    for name in LST_REGISTRY_PROGRAMS {
        ensure_program(client, d, |d| &mut d.lst_registry, name, &code_of(name)?, record, progress).await?;
    }
    let lst_governance = config.lst_governance.unwrap_or(timelock);
    let registry = match d.lst_registry.proxy {
        Some(proxy) => {
            reused(progress, "lst registry proxy", format!("lst-registry at {proxy}"));
            proxy
        }
        None => {
            let started = Instant::now();
            let init = ILstRegistry::initializeCall { governance: lst_governance, pool, maxPairingsPerLst: params.lst_max_pairings }.abi_encode();
            let args = (program_of(&d.lst_registry, LST_REGISTRY_PROGRAMS[0])?, upgrader, Bytes::from(init)).abi_encode_params();
            let (proxy, receipt) = client.deploy_evm(from, proxy_code, &args).await.context("deploying the lst-registry proxy")?;
            let mut tally = Tally::default();
            tally.add(&receipt);
            d.lst_registry.proxy = Some(proxy);
            d.lst_registry.proxy_admin = Some(upgrader);
            let detail = format!(
                "lst-registry at {proxy}: LSTs approved by {}, at most {} pairings each",
                if lst_governance == timelock { format!("{lst_governance} (the timelock)") } else { lst_governance.to_string() },
                params.lst_max_pairings
            );
            finish(d, record, progress, "lst registry proxy", detail, started, tally)?;
            proxy
        }
    };

    // 5d. The reward distributor behind its proxy, governed by the timelock (unless the config
    //     names an account); the pool reports
    //     stakes to it and compounds from it (set with the parameters).
    for name in REWARD_DISTRIBUTOR_PROGRAMS {
        ensure_program(client, d, |d| &mut d.reward_distributor, name, &code_of(name)?, record, progress).await?;
    }
    let distributor = match d.reward_distributor.proxy {
        Some(proxy) => {
            reused(progress, "reward distributor proxy", format!("reward-distributor at {proxy}"));
            proxy
        }
        None => {
            let started = Instant::now();
            let submitter = config.reward_submitter.unwrap_or(from);
            let treasury = config.treasury.unwrap_or(timelock);
            let init = IRewardDistributor::initializeCall {
                governance: config.reward_governance.unwrap_or(timelock),
                pool,
                submitter,
                rewardPayer: config.reward_payer.unwrap_or(from),
                treasury,
                rewardPerBlock: params.reward_per_block,
                treasuryBps: params.treasury_bps,
                firstEpoch: config.first_epoch.unwrap_or(0),
            }
            .abi_encode();
            let args = (program_of(&d.reward_distributor, REWARD_DISTRIBUTOR_PROGRAMS[0])?, upgrader, Bytes::from(init)).abi_encode_params();
            let (proxy, receipt) = client.deploy_evm(from, proxy_code, &args).await.context("deploying the reward-distributor proxy")?;
            let mut tally = Tally::default();
            tally.add(&receipt);
            d.reward_distributor.proxy = Some(proxy);
            d.reward_distributor.proxy_admin = Some(upgrader);
            let detail = format!(
                "reward-distributor at {proxy}: {} METIS a block, {} to the treasury {}, batches from {submitter}",
                format_metis(params.reward_per_block),
                crate::units::format_bps(params.treasury_bps),
                if treasury == timelock { format!("{treasury} (the timelock)") } else { treasury.to_string() },
            );
            finish(d, record, progress, "reward distributor proxy", detail, started, tally)?;
            proxy
        }
    };

    // 6. Parameters, each only if it differs (so a resumed run sends nothing twice).
    let started = Instant::now();
    let mut tally = Tally::default();
    let (min, max) = (p.minLock().call().await?, p.maxLock().call().await?);
    if (min, max) != (params.min_lock, params.max_lock) {
        tally.add(&client.send_call(from, pool, &ILockingPool::setLockBoundsCall { minLock: params.min_lock, maxLock: params.max_lock }).await.context("setLockBounds")?);
    }
    if p.exitDelayPeriod().call().await? != U256::from(params.exit_delay) {
        tally.add(&client.send_call(from, pool, &ILockingPool::updateWithdrawDelayTimeValueCall { delay: U256::from(params.exit_delay) }).await.context("updateWithdrawDelayTimeValue")?);
    }
    if p.signerRotationDelay().call().await? != params.signer_rotation_delay {
        tally.add(&client.send_call(from, pool, &ILockingPool::setSignerRotationDelayCall { delay: params.signer_rotation_delay }).await.context("setSignerRotationDelay")?);
    }
    if p.maxWithdrawalRequests().call().await? != params.max_withdrawal_requests {
        tally.add(&client.send_call(from, pool, &ILockingPool::setMaxWithdrawalRequestsCall { maxRequests: params.max_withdrawal_requests }).await.context("setMaxWithdrawalRequests")?);
    }
    if p.lstRegistry().call().await? != registry {
        tally.add(&client.send_call(from, pool, &ILockingPool::setLstRegistryCall { registry }).await.context("setLstRegistry")?);
    }
    if p.rewardDistributor().call().await? != distributor {
        tally.add(&client.send_call(from, pool, &ILockingPool::setRewardDistributorCall { distributor }).await.context("setRewardDistributor")?);
    }
    let detail = format!(
        "stake {}..{} METIS, exit delay {}, {} open requests, signer rotation every {}, LSTs from {registry}, rewards from {distributor}",
        format_metis(params.min_lock),
        format_metis(params.max_lock),
        crate::units::format_duration(params.exit_delay),
        params.max_withdrawal_requests,
        crate::units::format_duration(params.signer_rotation_delay)
    );
    if !d.steps.iter().any(|s| s.name == "parameters") {
        finish(d, record, progress, "parameters", detail, started, tally)?;
    }

    // 6b. The chain's program cache: a program not in it pays its full init cost (about 10,000
    //     to 25,000 gas for these) on its first call in each block.
    if !d.steps.iter().any(|s| s.name == "program cache") {
        let started = Instant::now();
        let mut tally = Tally::default();
        let programs: Vec<(String, Address, B256)> = d.programs().map(|p| (p.name.clone(), p.address, p.code_hash)).collect();
        let detail = match (config.cache_programs.unwrap_or(true), client.may_cache_programs(from).await?) {
            (false, _) => "not cached (cache-programs = false)".to_string(),
            (true, None) => "not cached: the chain has no ArbWasmCache".to_string(),
            (true, Some(false)) => format!(
                "not cached: {from} is neither the chain owner nor a cache manager (each program's first call in a block pays its init; on Arbitrum One, bid in the CacheManager)"
            ),
            (true, Some(true)) => {
                let mut cached = 0;
                for (name, address, code_hash) in &programs {
                    if !client.is_program_cached(*code_hash).await {
                        tally.add(&client.cache_program(from, *address).await.with_context(|| format!("caching {name}"))?);
                        cached += 1;
                    }
                }
                format!("{} programs cached ({cached} now), so each call pays only their cached init", programs.len())
            }
        };
        finish(d, record, progress, "program cache", detail, started, tally)?;
    }

    // 7. Roles: admission, pause and upgrades to whom the config names (the timelock unless
    //    told otherwise), the deployer's own renounced; then the default admin offered (two
    //    steps: the new admin accepts after the delay, the timelock by a proposal).
    let started = Instant::now();
    let mut tally = Tally::default();
    let admin = config.admin.unwrap_or(timelock);
    let final_upgrader = config.upgrader.unwrap_or(timelock);
    let grants = [
        (dseq_abi::locking_pool::ADMISSION_ROLE, config.admission.unwrap_or(election), "ADMISSION_ROLE"),
        (dseq_abi::locking_pool::PAUSER_ROLE, config.pauser.unwrap_or(admin), "PAUSER_ROLE"),
        (dseq_abi::locking_pool::UPGRADER_ROLE, final_upgrader, "UPGRADER_ROLE"),
    ];
    let mut granted = Vec::new();
    for (role, account, name) in grants {
        if !p.hasRole(role, account).call().await? {
            tally.add(&client.send_call(from, pool, &ILockingPool::grantRoleCall { role, account }).await.with_context(|| format!("granting {name}"))?);
        }
        granted.push(format!("{name} {account}"));
        if account != from && p.hasRole(role, from).call().await? {
            let renounce = ILockingPool::renounceRoleCall { role, callerConfirmation: from };
            tally.add(&client.send_call(from, pool, &renounce).await.with_context(|| format!("renouncing {name}"))?);
        }
    }
    // Every proxy's upgrades to the final upgrader: the deployer keeps none.
    for (name, proxy) in [
        ("locking-pool", pool),
        ("metis-votes", votes),
        ("governor", governor),
        ("timelock", timelock),
        ("sequencer-election", election),
        ("lst-registry", registry),
        ("reward-distributor", distributor),
    ] {
        let current = Address::from_word(client.provider.get_storage_at(proxy, PROXY_ADMIN_SLOT.into()).await?.into());
        if current != final_upgrader {
            let call = crate::bindings::ERC1967Proxy::changeAdminCall { newAdmin: final_upgrader };
            tally.add(&client.send_call(from, proxy, &call).await.with_context(|| format!("handing {name}'s proxy to {final_upgrader}"))?);
        }
    }
    d.locking_pool.proxy_admin = Some(final_upgrader);
    d.metis_votes.proxy_admin = Some(final_upgrader);
    d.governor.proxy_admin = Some(final_upgrader);
    d.timelock.proxy_admin = Some(final_upgrader);
    d.sequencer_election.proxy_admin = Some(final_upgrader);
    d.lst_registry.proxy_admin = Some(final_upgrader);
    d.reward_distributor.proxy_admin = Some(final_upgrader);
    granted.push(format!("every proxy upgraded by {final_upgrader}"));
    if admin != from && p.pendingDefaultAdmin().call().await?.newAdmin != admin {
        tally.add(&client.send_call(from, pool, &ILockingPool::beginDefaultAdminTransferCall { newAdmin: admin }).await.context("beginDefaultAdminTransfer")?);
        granted.push(format!(
            "DEFAULT_ADMIN_ROLE offered to {admin} ({} accepts it after the 3-day delay)",
            if admin == timelock { "the timelock, by a proposal," } else { "it" }
        ));
    }
    if !d.steps.iter().any(|s| s.name == "roles") {
        finish(d, record, progress, "roles", granted.join(", "), started, tally)?;
    }

    // 7. Read everything back.
    let started = Instant::now();
    let wiring = verify(client, d, params, admin, config).await?;
    d.wiring = Some(wiring);
    d.complete = true;
    finish(d, record, progress, "verify", "token, programs, implementation, proxy admin, code hashes, parameters and roles read back as intended".into(), started, Tally::default())
}

/// The token answers as an 18-decimal ERC-20.
async fn check_token(client: &Client, token: Address) -> Result<()> {
    if client.provider.get_code_at(token).await?.is_empty() {
        bail!("--token {token} has no code on chain {}: give the METIS token's address", client.chain_id);
    }
    let decimals = client.read(token, &IERC20::decimalsCall {}).await.with_context(|| format!("--token {token} does not answer decimals(): is it an ERC-20?"))?;
    if decimals != 18 {
        bail!("--token {token} has {decimals} decimals; METIS has 18");
    }
    Ok(())
}

/// Reads the deployment back and compares it with what was intended.
async fn verify(client: &Client, d: &Deployment, params: &Parameters, admin: Address, config: &DeployConfig) -> Result<Wiring> {
    let pool = d.pool()?;
    let p = ILockingPool::new(pool, client.provider.clone());
    let mut wrong = Vec::new();
    let mut check = |what: &str, ok: bool, found: String| {
        if !ok {
            wrong.push(format!("{what}: {found}"));
        }
    };
    let token = p.token().call().await?;
    check("token", token == d.token()?, format!("{token}"));
    let implementation = Address::from_word(client.provider.get_storage_at(pool, IMPLEMENTATION_SLOT.into()).await?.into());
    let entry = &d.locking_pool.programs.iter().find(|r| r.name == LOCKING_POOL_PROGRAMS[0]).ok_or_else(|| anyhow!("no entry"))?;
    check("implementation", implementation == entry.address, format!("{implementation}"));
    let proxy_admin = Address::from_word(client.provider.get_storage_at(pool, PROXY_ADMIN_SLOT.into()).await?.into());
    check("proxy admin", Some(proxy_admin) == d.locking_pool.proxy_admin, format!("{proxy_admin}"));
    let installed = p.programs().call().await?;
    let expected: Vec<Address> = LOCKING_POOL_PROGRAMS[1..]
        .iter()
        .filter_map(|n| d.locking_pool.programs.iter().find(|r| r.name == *n).map(|r| r.address))
        .collect();
    check("programs", installed == expected, format!("{installed:?}"));
    let votes = d.votes()?;
    let voting_token = p.votingToken().call().await?;
    check("voting token", voting_token == votes, format!("{voting_token}"));
    let v = IMetisVotes::new(votes, client.provider.clone());
    let (underlying, stake_source) = (v.underlying().call().await?, v.stakeSource().call().await?);
    check("metis-votes underlying", underlying == d.token()?, format!("{underlying}"));
    check("metis-votes stake source", stake_source == pool, format!("{stake_source}"));
    let votes_implementation = Address::from_word(client.provider.get_storage_at(votes, IMPLEMENTATION_SLOT.into()).await?.into());
    let votes_entry = d.metis_votes.programs.first().map(|p| p.address).unwrap_or_default();
    check("metis-votes implementation", votes_implementation == votes_entry, format!("{votes_implementation}"));
    for r in d.programs() {
        let code = client.provider.get_code_at(r.address).await?;
        check(&format!("{} code hash", r.name), keccak256(&code) == r.code_hash, format!("{}", keccak256(&code)));
    }
    let w = Wiring {
        min_lock: p.minLock().call().await?,
        max_lock: p.maxLock().call().await?,
        exit_delay: p.exitDelayPeriod().call().await?.to::<u64>(),
        signer_rotation_delay: p.signerRotationDelay().call().await?,
        max_withdrawal_requests: p.maxWithdrawalRequests().call().await?,
        default_admin: p.defaultAdmin().call().await?,
        pending_default_admin: Some(p.pendingDefaultAdmin().call().await?.newAdmin).filter(|a| !a.is_zero()),
        admission: config.admission.unwrap_or(d.election()?),
        pauser: config.pauser.unwrap_or(admin),
        upgrader: d.locking_pool.proxy_admin.unwrap_or_default(),
        governor: d.governor()?,
        timelock: d.timelock()?,
        timelock_delay: 0,
        election: d.election()?,
        lst_registry: d.lst_registry()?,
        lst_governance: config.lst_governance.unwrap_or(d.timelock()?),
        reward_distributor: d.reward_distributor()?,
        reward_submitter: config.reward_submitter.unwrap_or(d.deployer),
        reward_governance: config.reward_governance.unwrap_or(d.timelock()?),
    };
    let mut w = w;
    let g = IGovernor::new(w.governor, client.provider.clone());
    let t = ITimelock::new(w.timelock, client.provider.clone());
    w.timelock_delay = t.getMinDelay().call().await?.saturating_to();
    let (g_timelock, g_token) = (g.timelock().call().await?, g.token().call().await?);
    check("governor's timelock", g_timelock == w.timelock, format!("{g_timelock}"));
    check("governor's token", g_token == votes, format!("{g_token}"));
    check("timelock delay", w.timelock_delay == params.timelock_delay, w.timelock_delay.to_string());
    check("timelock proposer", t.hasRole(dseq_abi::timelock::PROPOSER_ROLE, w.governor).call().await?, "the governor is not".into());
    check("timelock executors", t.hasRole(dseq_abi::timelock::EXECUTOR_ROLE, Address::ZERO).call().await?, "execution is not open".into());
    for (role, name) in [(dseq_abi::timelock::PROPOSER_ROLE, "PROPOSER_ROLE"), (dseq_abi::timelock::EXECUTOR_ROLE, "EXECUTOR_ROLE"), (dseq_abi::timelock::CANCELLER_ROLE, "CANCELLER_ROLE")] {
        check(&format!("deployer holds no timelock {name}"), !t.hasRole(role, d.deployer).call().await?, "it does".into());
    }
    let el = ISequencerElection::new(w.election, client.provider.clone());
    let (e_pool, e_votes, e_gov) = (el.pool().call().await?, el.votingToken().call().await?, el.governance().call().await?);
    check("election's pool", e_pool == pool, format!("{e_pool}"));
    check("election's voting token", e_votes == votes, format!("{e_votes}"));
    check("election's governance", e_gov == w.timelock, format!("{e_gov}"));
    let e_programs = el.programs().call().await?;
    let e_module = d.sequencer_election.programs.iter().find(|p| p.name == ELECTION_PROGRAMS[1]).map(|p| p.address).unwrap_or_default();
    check("election programs", e_programs == vec![e_module], format!("{e_programs:?}"));
    let r = ILstRegistry::new(w.lst_registry, client.provider.clone());
    let (r_pool, r_gov, r_max) = (r.pool().call().await?, r.governance().call().await?, r.maxPairingsPerLst().call().await?);
    check("lst registry's pool", r_pool == pool, format!("{r_pool}"));
    check("lst registry's governance", r_gov == w.lst_governance, format!("{r_gov}"));
    check("lst registry's pairing limit", r_max == params.lst_max_pairings, r_max.to_string());
    let pool_registry = p.lstRegistry().call().await?;
    check("pool's lst registry", pool_registry == w.lst_registry, format!("{pool_registry}"));
    let rd = IRewardDistributor::new(w.reward_distributor, client.provider.clone());
    let (rd_pool, rd_gov, rd_submitter) = (rd.pool().call().await?, rd.governance().call().await?, rd.submitter().call().await?);
    check("reward distributor's pool", rd_pool == pool, format!("{rd_pool}"));
    check("reward distributor's governance", rd_gov == w.reward_governance, format!("{rd_gov}"));
    check("reward distributor's submitter", rd_submitter == w.reward_submitter, format!("{rd_submitter}"));
    let (rd_rpb, rd_bps) = (rd.rewardPerBlock().call().await?, rd.treasuryBps().call().await?);
    check("reward per block", rd_rpb == params.reward_per_block, rd_rpb.to_string());
    check("treasury bps", rd_bps == params.treasury_bps, rd_bps.to_string());
    let pool_distributor = p.rewardDistributor().call().await?;
    check("pool's reward distributor", pool_distributor == w.reward_distributor, format!("{pool_distributor}"));
    for (name, proxy) in [
        ("locking-pool", pool),
        ("metis-votes", votes),
        ("governor", w.governor),
        ("timelock", w.timelock),
        ("sequencer-election", w.election),
        ("lst-registry", w.lst_registry),
        ("reward-distributor", w.reward_distributor),
    ] {
        let admin_slot = Address::from_word(client.provider.get_storage_at(proxy, PROXY_ADMIN_SLOT.into()).await?.into());
        check(&format!("{name} proxy admin"), admin_slot == w.upgrader, format!("{admin_slot}"));
    }
    check("minLock", w.min_lock == params.min_lock, w.min_lock.to_string());
    check("maxLock", w.max_lock == params.max_lock, w.max_lock.to_string());
    check("exitDelayPeriod", w.exit_delay == params.exit_delay, w.exit_delay.to_string());
    check("signerRotationDelay", w.signer_rotation_delay == params.signer_rotation_delay, w.signer_rotation_delay.to_string());
    check("maxWithdrawalRequests", w.max_withdrawal_requests == params.max_withdrawal_requests, w.max_withdrawal_requests.to_string());
    let admin_ok = w.default_admin == admin || w.pending_default_admin == Some(admin);
    check("default admin", admin_ok, format!("{} (pending {:?})", w.default_admin, w.pending_default_admin));
    for (role, account, name) in [
        (dseq_abi::locking_pool::ADMISSION_ROLE, w.admission, "ADMISSION_ROLE"),
        (dseq_abi::locking_pool::PAUSER_ROLE, w.pauser, "PAUSER_ROLE"),
        (dseq_abi::locking_pool::UPGRADER_ROLE, w.upgrader, "UPGRADER_ROLE"),
    ] {
        let has = p.hasRole(role, account).call().await?;
        check(name, has, format!("{account} does not hold it"));
        if account != d.deployer {
            let kept = p.hasRole(role, d.deployer).call().await?;
            check(&format!("{name} left with the deployer"), !kept, format!("{} still holds it", d.deployer));
        }
    }
    if !wrong.is_empty() {
        bail!("the deployment does not read back as intended: {}", wrong.join("; "));
    }
    Ok(w)
}

/// Deploys and activates the Stylus program `name` into the contract record `which` picks,
/// unless an earlier run did.
async fn ensure_program(
    client: &Client,
    d: &mut Deployment,
    which: fn(&mut Deployment) -> &mut ContractRecord,
    name: &str,
    code: &Bytes,
    record: &RecordOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<()> {
    let step = format!("program {name}");
    if let Some(p) = which(d).programs.iter().find(|p| p.name == name) {
        reused(progress, &step, format!("at {}", p.address));
        return Ok(());
    }
    let started = Instant::now();
    let was_active = client.is_activated(code).await?;
    let (address, receipt) = client.deploy_program(d.deployer, code).await.with_context(|| format!("deploying {name}"))?;
    let mut tally = Tally::default();
    tally.add(&receipt);
    which(d).programs.push(ProgramRecord { name: name.into(), address, code_hash: keccak256(code), code_bytes: code.len() });
    let activation = if was_active { "code already active" } else { "activated" };
    finish(d, record, progress, &step, format!("{} B at {address}, {activation}", code.len()), started, tally)
}

/// Records a finished step, reports it and saves the record.
fn finish(
    d: &mut Deployment,
    record: &RecordOptions,
    progress: &mut dyn FnMut(&Progress),
    name: &str,
    detail: String,
    started: Instant,
    tally: Tally,
) -> Result<()> {
    let seconds = started.elapsed().as_secs_f64();
    d.steps.push(StepRecord { name: name.into(), seconds, transactions: tally.transactions, gas_used: tally.gas_used });
    progress(&Progress { step: name.into(), detail, seconds, reused: false });
    match &record.path {
        Some(path) => d.save(path),
        None => Ok(()),
    }
}

/// Reports a step an earlier run already did.
fn reused(progress: &mut dyn FnMut(&Progress), name: &str, detail: String) {
    progress(&Progress { step: name.into(), detail, seconds: 0.0, reused: true });
}
