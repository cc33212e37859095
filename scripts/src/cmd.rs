//! The chain commands of the `dseq` binary: each resolves its endpoint, key and deployment,
//! runs one action through `dseq-client` and prints what happened in words.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use dseq::session::{self, parse_address};
use dseq_client::alloy::primitives::Address;
use dseq_client::alloy::sol_types::SolCall;
use dseq_client::bindings::{ILockingPool, IERC20};
use dseq_client::deploy::{self, DeployConfig, Outcome, RecordOptions};
use dseq_client::pool::Pool;
use dseq_client::units::{format_metis, format_time, parse_metis};
use dseq_client::{Client, Deployment};

use super::{AdminAction, ChainArgs, ElectionAction, GovAction, LstAction, OperatorAction, RewardsAction, VotesAction};
use dseq_client::election::Election;
use dseq_client::governance::{self, Action, Governance};
use dseq_client::lst::{self, Lsts, Unpairing};
use dseq_client::rewards::{self, Rewards};
use dseq_client::votes::Votes;

/// The chain, the deployment and the pool, resolved for a command.
struct Session {
    client: Client,
    deployment: Deployment,
}

impl Session {
    async fn open(root: &Path, chain: &ChainArgs, need_key: bool) -> Result<Self> {
        let client = session::connect(&chain.rpc, &chain.keys(), need_key).await?;
        let deployment = session::deployment(root, &client, chain.deployment.as_deref())?;
        Ok(Self { client, deployment })
    }

    fn pool(&self) -> Result<Pool<'_>> {
        Pool::of(&self.client, &self.deployment)
    }

    fn votes(&self) -> Result<Votes<'_>> {
        Votes::of(&self.client, &self.deployment)
    }

    fn lsts(&self) -> Result<Lsts<'_>> {
        Lsts::of(&self.client, &self.deployment)
    }

    fn rewards(&self) -> Result<Rewards<'_>> {
        Rewards::of(&self.client, &self.deployment)
    }

    /// The reward distributor's books, with the registry's LSTs and their names.
    async fn rewards_text(&self, limit: u64) -> Result<String> {
        let (lsts, names) = match self.deployment.lst_registry.proxy {
            Some(_) => {
                let l = self.lsts()?;
                let mut names = Vec::new();
                for a in l.addresses().await? {
                    names.push((a, l.name(a).await?));
                }
                (names.iter().map(|(a, _)| *a).collect::<Vec<_>>(), names)
            }
            None => (Vec::new(), Vec::new()),
        };
        let view = self.rewards()?.view(limit, &lsts).await?;
        let (_, now) = self.client.latest_block().await?;
        Ok(dseq::status::render_rewards(&view, Some(&self.deployment), &names, now))
    }

    fn sender(&self) -> Result<Address> {
        self.client.sender()
    }
}

pub async fn deploy(root: &Path, chain: &ChainArgs, config: Option<PathBuf>, token: Option<String>, fresh: bool, no_build: bool) -> Result<()> {
    let mut cfg = match &config {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read the config {}", path.display()))?;
            toml::from_str::<DeployConfig>(&text).with_context(|| format!("{} is not a valid deploy config", path.display()))?
        }
        None => DeployConfig::default(),
    };
    if let Some(token) = token {
        cfg.token = Some(parse_address("token", &token)?);
    }
    let client = session::connect(&chain.rpc, &chain.keys(), true).await?;
    let version = client.stylus_version().await?;
    let record = RecordOptions {
        path: Some(chain.deployment.clone().unwrap_or_else(|| Deployment::path(root, client.chain_id))),
        fresh,
    };
    let path = record.path.clone().unwrap_or_default();
    println!("deploying to {} (chain {}, Stylus v{version}) from {}", client.url, client.chain_id, client.sender()?);
    let started = Instant::now();
    let artifacts = session::artifacts(root, no_build, true)?;
    if !no_build {
        println!("  {:<32} {:>6.2} s  programs and Solidity built", "build", started.elapsed().as_secs_f64());
    }
    let (d, outcome) = deploy::deploy(&client, &artifacts, &cfg, &record, &mut |p| {
        let mark = if p.reused { "(done before)" } else { "" };
        println!("  {:<32} {:>6.2} s  {}{mark}", p.step, p.seconds, p.detail);
    })
    .await?;
    match outcome {
        Outcome::AlreadyDeployed => println!(
            "already deployed on chain {}: {} records it and the chain agrees; nothing sent (pass --fresh to deploy anew)",
            d.chain_id,
            path.display()
        ),
        Outcome::Deployed | Outcome::Resumed => println!(
            "{} in {:.1} s: the pool is {}; record written to {}",
            if outcome == Outcome::Resumed { "resumed and finished" } else { "deployed" },
            started.elapsed().as_secs_f64(),
            d.pool()?,
            path.display()
        ),
    }
    Ok(())
}

pub async fn status(root: &Path, chain: &ChainArgs, limit: u64) -> Result<()> {
    let s = Session::open(root, chain, false).await?;
    let view = s.pool()?.view(limit).await?;
    print!("{}", dseq::status::render(&view, Some(&s.deployment)));
    if s.deployment.sequencer_election.proxy.is_some() {
        let election = Election::of(&s.client, &s.deployment)?.view().await?;
        print!("{}", dseq::status::render_election(&election, view.now));
    }
    if s.deployment.lst_registry.proxy.is_some() {
        let lsts = s.lsts()?;
        print!("{}", dseq::status::render_registry(&lsts, &s.deployment, &lsts.all(limit).await?, view.now).await?);
    }
    if s.deployment.reward_distributor.proxy.is_some() {
        print!("{}", s.rewards_text(limit).await?);
    }
    Ok(())
}

pub async fn admin(root: &Path, action: AdminAction) -> Result<()> {
    let (chain, call, done): (ChainArgs, Vec<u8>, String) = match action {
        AdminAction::Admit { chain, owner } => {
            let user = parse_address("owner", &owner)?;
            (chain, ILockingPool::setWhitelistCall { user, yes: true }.abi_encode(), format!("{user} is admitted as a sequencer owner"))
        }
        AdminAction::Revoke { chain, owner } => {
            let user = parse_address("owner", &owner)?;
            (chain, ILockingPool::setWhitelistCall { user, yes: false }.abi_encode(), format!("{user}'s admission is revoked"))
        }
        AdminAction::Pause { chain } => (chain, ILockingPool::pauseCall {}.abi_encode(), "the pool is paused".into()),
        AdminAction::Unpause { chain } => (chain, ILockingPool::unpauseCall {}.abi_encode(), "the pool runs again".into()),
    };
    let s = Session::open(root, &chain, true).await?;
    let tx = dseq_client::alloy::rpc::types::TransactionRequest::default()
        .from(s.sender()?)
        .to(s.deployment.pool()?)
        .input(call.into());
    let receipt = s.client.send(tx).await?;
    println!("{done} (tx {}, gas {})", receipt.transaction_hash, receipt.gas_used);
    Ok(())
}

pub async fn faucet(root: &Path, chain: &ChainArgs, to: &str, amount: &str) -> Result<()> {
    let to = parse_address("to", to)?;
    let value = parse_metis(amount)?;
    let s = Session::open(root, chain, true).await?;
    if !s.deployment.token.as_ref().is_some_and(|t| t.mock) {
        bail!("the deployment's METIS at {} is a real token: the faucet only mints the development mock", s.deployment.token()?);
    }
    let receipt = s.client.send_call(s.sender()?, s.deployment.token()?, &IERC20::mintCall { to, value }).await?;
    println!("minted {} METIS (mock) to {to} (tx {})", format_metis(value), receipt.transaction_hash);
    Ok(())
}

pub async fn operator(root: &Path, action: OperatorAction) -> Result<()> {
    match action {
        OperatorAction::Proof { signer, owner, pool, chain_id } => {
            let key = signer.key()?;
            let proof = dseq_client::proof::sign_proof(&key, parse_address("owner", &owner)?, parse_address("pool", &pool)?, chain_id)?;
            println!("signer:      {}", proof.signer);
            println!("digest:      {}", proof.digest);
            println!("signerProof: 0x{}", proof.signature.iter().map(|b| format!("{b:02x}")).collect::<String>());
            Ok(())
        }
        OperatorAction::Register { chain, signer, amount, reward_recipient } => {
            let key = signer.key()?;
            let amount = parse_metis(&amount)?;
            let recipient = reward_recipient.map(|r| parse_address("reward-recipient", &r)).transpose()?;
            let s = Session::open(root, &chain, true).await?;
            let (id, r) = s.pool()?.register(s.sender()?, &key, amount, recipient).await?;
            let signer = Address::from_public_key(key.verifying_key());
            println!("registered sequencer {id}: {} METIS locked by {}, signer {signer} (tx {}, gas {})", format_metis(amount), s.sender()?, r.transaction_hash, r.gas_used);
            Ok(())
        }
        OperatorAction::Relock { chain, amount, compound } => {
            let amount = parse_metis(&amount)?;
            let s = Session::open(root, &chain, true).await?;
            let pool = s.pool()?;
            let r = pool.relock(s.sender()?, amount, compound).await?;
            let id = pool.sequencer_of(s.sender()?).await?;
            let now = pool.sequencer(id).await?.amount;
            println!("relocked: stake of sequencer {id} is now {} METIS (tx {}, gas {})", format_metis(now), r.transaction_hash, r.gas_used);
            Ok(())
        }
        OperatorAction::Withdraw { chain, amount } => {
            let amount = parse_metis(&amount)?;
            let s = Session::open(root, &chain, true).await?;
            let (request, at, r) = s.pool()?.request_withdrawal(s.sender()?, amount).await?;
            let (_, now) = s.client.latest_block().await?;
            println!(
                "withdrawal request #{request}: {} METIS left the stake; claimable {} ({}) with `dseq operator claim` (tx {}, gas {})",
                format_metis(amount),
                format_time(at),
                dseq::status::until(now, at),
                r.transaction_hash,
                r.gas_used
            );
            Ok(())
        }
        OperatorAction::Claim { chain } => {
            let s = Session::open(root, &chain, true).await?;
            let (paid, receipts) = s.pool()?.claim(s.sender()?).await?;
            let hashes: Vec<String> = receipts.iter().map(|r| r.transaction_hash.to_string()).collect();
            println!("claimed {} METIS to {} (tx {})", format_metis(paid), s.sender()?, hashes.join(", "));
            Ok(())
        }
        OperatorAction::Exit { chain } => {
            let s = Session::open(root, &chain, true).await?;
            let (at, r) = s.pool()?.exit(s.sender()?).await?;
            let (_, now) = s.client.latest_block().await?;
            println!(
                "exit started: the sequencer stopped counting; its stake is claimable {} ({}) with `dseq operator claim` (tx {}, gas {})",
                format_time(at),
                dseq::status::until(now, at),
                r.transaction_hash,
                r.gas_used
            );
            Ok(())
        }
        OperatorAction::RotateSigner { chain, signer } => {
            let key = signer.key()?;
            let s = Session::open(root, &chain, true).await?;
            let (new_signer, r) = s.pool()?.rotate_signer(s.sender()?, &key).await?;
            println!("signer rotated to {new_signer} (tx {}, gas {})", r.transaction_hash, r.gas_used);
            Ok(())
        }
        OperatorAction::SetRecipient { chain, recipient } => {
            let recipient = parse_address("recipient", &recipient)?;
            let s = Session::open(root, &chain, true).await?;
            let r = s.pool()?.set_reward_recipient(s.sender()?, recipient).await?;
            println!("rewards now go to {recipient} (tx {}, gas {})", r.transaction_hash, r.gas_used);
            Ok(())
        }
        OperatorAction::SetCommission { chain, commission } => {
            let bps = rewards::parse_commission(&commission)?;
            let s = Session::open(root, &chain, true).await?;
            let (current, next, at, r) = s.rewards()?.set_commission(s.sender()?, bps).await?;
            let (_, now) = s.client.latest_block().await?;
            println!(
                "commission on the LST's share: {} now, {} from {} ({}); rewards credited before then keep the old rate (tx {}, gas {})",
                dseq_client::units::format_bps(current),
                dseq_client::units::format_bps(next),
                format_time(at),
                dseq::status::until(now, at),
                r.transaction_hash,
                r.gas_used
            );
            Ok(())
        }
        OperatorAction::Status { chain, owner } => {
            let s = Session::open(root, &chain, owner.is_none()).await?;
            let owner = match owner {
                Some(o) => parse_address("owner", &o)?,
                None => s.sender()?,
            };
            let pool = s.pool()?;
            let id = pool.any_sequencer_of(owner).await?;
            let (_, now) = s.client.latest_block().await?;
            print!("{}", dseq::status::render_sequencer(&pool.sequencer(id).await?, now));
            Ok(())
        }
    }
}

pub async fn votes(root: &Path, action: VotesAction) -> Result<()> {
    match action {
        VotesAction::Wrap { chain, amount } => {
            let amount = parse_metis(&amount)?;
            let s = Session::open(root, &chain, true).await?;
            let holder = s.sender()?;
            let receipts = s.votes()?.wrap(holder, amount).await?;
            let view = s.votes()?.view(holder).await?;
            let gas: u64 = receipts.iter().map(|r| r.gas_used).sum();
            println!("wrapped {} METIS: {holder} holds {} vMETIS (gas {})", format_metis(amount), format_metis(view.wrapped), gas);
            if view.delegate.is_zero() {
                println!("note: these votes count for nobody until delegated; `dseq votes delegate` to vote yourself");
            }
            Ok(())
        }
        VotesAction::Unwrap { chain, amount } => {
            let amount = parse_metis(&amount)?;
            let s = Session::open(root, &chain, true).await?;
            let r = s.votes()?.unwrap(s.sender()?, amount).await?;
            println!("unwrapped {} METIS back to {} (tx {}, gas {})", format_metis(amount), s.sender()?, r.transaction_hash, r.gas_used);
            Ok(())
        }
        VotesAction::Delegate { chain, to, sign_only, valid_for, delegator } => {
            let keyless = sign_only && delegator.is_some() && chain.key.is_none() && chain.keystore.is_none();
            let s = Session::open(root, &chain, !keyless).await?;
            let delegator = match &delegator {
                Some(d) => parse_address("delegator", d)?,
                None => s.sender()?,
            };
            let delegatee = match &to {
                Some(t) => parse_address("to", t)?,
                None => delegator,
            };
            let votes = s.votes()?;
            if !sign_only {
                let r = votes.delegate(delegator, delegatee).await?;
                let view = votes.view(delegatee).await?;
                println!("{delegator} delegates to {delegatee}, who now has {} votes (tx {}, gas {})", format_metis(view.votes), r.transaction_hash, r.gas_used);
                return Ok(());
            }
            let delegation = votes.delegation(delegator, delegatee, valid_for).await?;
            print_typed_data(&delegation.typed_data(), delegation.digest)?;
            if keyless {
                println!("sign it in {delegator}'s wallet, then anyone submits it with `dseq votes submit-delegation`");
                return Ok(());
            }
            let key = session::signing_key(&chain.keys())?;
            let signature = votes.sign(&delegation, &key)?;
            let hex = print_signature(&signature);
            println!(
                "submit (anyone may pay the gas): dseq votes submit-delegation --rpc {} --delegatee {delegatee} --nonce {} --expiry {} --signature 0x{hex}",
                s.client.url, delegation.nonce, delegation.expiry
            );
            Ok(())
        }
        VotesAction::SubmitDelegation { chain, delegatee, nonce, expiry, signature } => {
            let delegatee = parse_address("delegatee", &delegatee)?;
            let bytes = parse_signature(&signature)?;
            let s = Session::open(root, &chain, true).await?;
            let (delegator, r) = s
                .votes()?
                .submit_delegation(s.sender()?, delegatee, nonce.try_into()?, expiry.try_into()?, &bytes)
                .await?;
            println!("{delegator} now delegates to {delegatee} (signed by {delegator}, sent by {}; tx {}, gas {})", s.sender()?, r.transaction_hash, r.gas_used);
            Ok(())
        }
        VotesAction::Status { chain, account } => {
            let s = Session::open(root, &chain, account.is_none()).await?;
            let account = match account {
                Some(a) => parse_address("account", &a)?,
                None => s.sender()?,
            };
            print!("{}", dseq::status::render_votes(&s.votes()?.view(account).await?));
            Ok(())
        }
    }
}

/// A proposal id as typed (decimal, or 0x-hex as some front-ends show it).
fn parse_id(text: &str) -> Result<dseq_client::alloy::primitives::U256> {
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => dseq_client::alloy::primitives::U256::from_str_radix(hex, 16),
        None => dseq_client::alloy::primitives::U256::from_str_radix(text, 10),
    };
    parsed.map_err(|_| anyhow::anyhow!("{text:?} is not a proposal id: give the number `dseq gov status` shows"))
}

/// `--call "TARGET SIGNATURE ARGS..."` as an action on the deployment.
fn parse_call(d: &Deployment, text: &str) -> Result<Action> {
    let mut words = text.split_whitespace();
    let (Some(target), Some(signature)) = (words.next(), words.next()) else {
        bail!("--call {text:?}: give TARGET SIGNATURE ARGS..., e.g. \"pool setLockBounds(uint256,uint256) 25000ether 100000ether\"");
    };
    let target = match target {
        "pool" | "locking-pool" => d.pool()?,
        "votes" | "metis-votes" => d.votes()?,
        "governor" => d.governor()?,
        "timelock" => d.timelock()?,
        "election" | "sequencer-election" => d.election()?,
        "lst" | "lst-registry" | "registry" => d.lst_registry()?,
        "rewards" | "reward-distributor" | "distributor" => d.reward_distributor()?,
        other => parse_address("call target", other)?,
    };
    let args: Vec<String> = words.map(String::from).collect();
    Action::call(target, signature, &args).with_context(|| format!("--call {text:?}"))
}

pub async fn gov(root: &Path, action: GovAction) -> Result<()> {
    match action {
        GovAction::Propose { chain, calls, description } => {
            let s = Session::open(root, &chain, true).await?;
            let actions = calls.iter().map(|c| parse_call(&s.deployment, c)).collect::<Result<Vec<_>>>()?;
            let (p, r) = Governance::of(&s.client, &s.deployment)?.propose(s.sender()?, actions, &description).await?;
            println!(
                "proposal {} created by {}: voting opens {} and closes {} (tx {}, gas {})",
                p.id,
                p.proposer,
                format_time(p.vote_start),
                format_time(p.vote_end),
                r.transaction_hash,
                r.gas_used
            );
            Ok(())
        }
        GovAction::ProposeUpgrade { chain, contract, artifacts, description, no_build } => {
            let artifacts = match artifacts {
                // A directory given was built by the user (a variant, another checkout's build).
                Some(dir) => {
                    let dir = std::path::absolute(&dir).with_context(|| format!("cannot resolve {}", dir.display()))?;
                    let found = session::artifacts(root, true, true)?.with_programs_in(&dir);
                    if !found.programs_dir().is_dir() {
                        bail!("{} is not a directory of built programs: `dseq build --variant NAME` writes artifacts/NAME", dir.display());
                    }
                    found
                }
                None => session::artifacts(root, no_build, true)?,
            };
            let s = Session::open(root, &chain, true).await?;
            let description = description.unwrap_or_else(|| format!("Upgrade {contract} to the current build"));
            let (p, programs, r) = Governance::of(&s.client, &s.deployment)?
                .propose_upgrade(s.sender()?, &s.deployment, &artifacts, &contract, &description)
                .await?;
            let list: Vec<String> = programs.iter().map(|a| a.to_string()).collect();
            println!(
                "proposal {} upgrades {contract} to the programs {} (entry first): voting opens {} (tx {}, gas {})",
                p.id,
                list.join(", "),
                format_time(p.vote_start),
                r.transaction_hash,
                r.gas_used
            );
            Ok(())
        }
        GovAction::Vote { chain, id, support, reason, sign_only } => {
            let (id, support) = (parse_id(&id)?, governance::parse_support(&support)?);
            let s = Session::open(root, &chain, true).await?;
            let gov = Governance::of(&s.client, &s.deployment)?;
            let voter = s.sender()?;
            if !sign_only {
                let (weight, r) = gov.vote(voter, id, support, reason.as_deref()).await?;
                println!("{voter} voted {} on proposal {id} with {} votes (tx {}, gas {})", governance::SUPPORT_NAMES[support as usize], format_metis(weight), r.transaction_hash, r.gas_used);
                return Ok(());
            }
            let ballot = gov.ballot(voter, id, support).await?;
            print_typed_data(&ballot.typed_data(), ballot.digest)?;
            let signature = gov.sign(&ballot, &session::signing_key(&chain.keys())?)?;
            let hex = print_signature(&signature);
            println!(
                "submit (anyone may pay the gas): dseq gov submit-vote {id} --rpc {} --support {} --voter {voter} --signature 0x{hex}",
                s.client.url,
                governance::SUPPORT_NAMES[support as usize]
            );
            Ok(())
        }
        GovAction::SubmitVote { chain, id, support, voter, signature } => {
            let (id, support) = (parse_id(&id)?, governance::parse_support(&support)?);
            let voter = parse_address("voter", &voter)?;
            let bytes = parse_signature(&signature)?;
            let s = Session::open(root, &chain, true).await?;
            let (weight, r) = Governance::of(&s.client, &s.deployment)?.submit_vote(s.sender()?, id, support, voter, &bytes).await?;
            println!("{voter}'s signed vote ({}) counted with {} votes, sent by {} (tx {}, gas {})", governance::SUPPORT_NAMES[support as usize], format_metis(weight), s.sender()?, r.transaction_hash, r.gas_used);
            Ok(())
        }
        GovAction::Queue { chain, id } => {
            let id = parse_id(&id)?;
            let s = Session::open(root, &chain, true).await?;
            let (eta, r) = Governance::of(&s.client, &s.deployment)?.queue(s.sender()?, id).await?;
            let (_, now) = s.client.latest_block().await?;
            println!("proposal {id} queued in the timelock: executable {} ({}) (tx {}, gas {})", format_time(eta), dseq::status::until(now, eta), r.transaction_hash, r.gas_used);
            Ok(())
        }
        GovAction::Execute { chain, id } => {
            let id = parse_id(&id)?;
            let s = Session::open(root, &chain, true).await?;
            let r = Governance::of(&s.client, &s.deployment)?.execute(s.sender()?, id).await?;
            println!("proposal {id} executed by the timelock (tx {}, gas {})", r.transaction_hash, r.gas_used);
            Ok(())
        }
        GovAction::Status { chain, id } => {
            let s = Session::open(root, &chain, false).await?;
            let gov = Governance::of(&s.client, &s.deployment)?;
            let (_, now) = s.client.latest_block().await?;
            let ids: Vec<_> = match id {
                Some(id) => vec![parse_id(&id)?],
                None => gov.proposals().await?.iter().map(|p| p.id).collect(),
            };
            if ids.is_empty() {
                println!("no proposals yet on the governor at {}", gov.governor);
            }
            for id in ids {
                print!("{}", dseq::status::render_proposal(&gov.view(id).await?, now));
            }
            Ok(())
        }
    }
}

/// The round a command names, or the latest one.
async fn round_of(e: &Election<'_>, round: Option<u64>) -> Result<dseq_client::alloy::primitives::U256> {
    match round {
        Some(id) => Ok(dseq_client::alloy::primitives::U256::from(id)),
        None => e.current_round().await,
    }
}

pub async fn election(root: &Path, action: ElectionAction) -> Result<()> {
    match action {
        ElectionAction::Open { chain } => {
            let s = Session::open(root, &chain, true).await?;
            let e = Election::of(&s.client, &s.deployment)?;
            let (id, r) = e.open(s.sender()?).await?;
            let round = e.round(id).await?;
            println!(
                "round {id} is open: applications until {}, voting until {}, vetting until {} (tx {}, gas {})",
                format_time(round.voting_start),
                format_time(round.voting_end),
                format_time(round.vetting_end),
                r.transaction_hash,
                r.gas_used
            );
            Ok(())
        }
        ElectionAction::Apply { chain, signer, metadata, round } => {
            let key = signer.key()?;
            let s = Session::open(root, &chain, true).await?;
            let e = Election::of(&s.client, &s.deployment)?;
            let id = round_of(&e, round).await?;
            let r = e.apply(s.sender()?, &key, id, &metadata).await?;
            let node = Address::from_public_key(key.verifying_key());
            println!("{} applied in round {id} with the node key {node} (tx {}, gas {})", s.sender()?, r.transaction_hash, r.gas_used);
            Ok(())
        }
        ElectionAction::Vote { chain, for_, against, abstain, round, sign_only } => {
            let mut ballots = Vec::new();
            for (list, support) in [(&against, 0u8), (&for_, 1), (&abstain, 2)] {
                for c in list {
                    ballots.push((parse_address("candidate", c)?, support));
                }
            }
            if ballots.is_empty() {
                bail!("name at least one candidate with --for, --against or --abstain ADDRESS");
            }
            let s = Session::open(root, &chain, true).await?;
            let e = Election::of(&s.client, &s.deployment)?;
            let id = round_of(&e, round).await?;
            let voter = s.sender()?;
            if sign_only {
                let [(candidate, support)] = ballots[..] else {
                    bail!("--sign-only signs one ballot: name one candidate");
                };
                let ballot = e.ballot(voter, id, candidate, support).await?;
                print_typed_data(&ballot.typed_data(), ballot.digest)?;
                let signature = e.sign(&ballot, &session::signing_key(&chain.keys())?)?;
                let hex = print_signature(&signature);
                println!(
                    "submit (anyone may pay the gas): dseq election submit-vote --rpc {} --round {id} --candidate {candidate} --support {} --voter {voter} --signature 0x{hex}",
                    s.client.url,
                    governance::SUPPORT_NAMES[support as usize]
                );
                return Ok(());
            }
            let (weight, r) = match ballots[..] {
                [(candidate, support)] => e.vote(voter, id, candidate, support).await?,
                _ => e.vote_many(voter, id, &ballots).await?,
            };
            for (candidate, support) in &ballots {
                let verb = ["voted against", "voted for", "abstained on"][*support as usize];
                println!("{voter} {verb} {candidate} in round {id} with {} votes", format_metis(weight));
            }
            println!("(tx {}, gas {})", r.transaction_hash, r.gas_used);
            Ok(())
        }
        ElectionAction::SubmitVote { chain, candidate, support, voter, signature, round } => {
            let (candidate, voter) = (parse_address("candidate", &candidate)?, parse_address("voter", &voter)?);
            let support = governance::parse_support(&support)?;
            let bytes = parse_signature(&signature)?;
            let s = Session::open(root, &chain, true).await?;
            let e = Election::of(&s.client, &s.deployment)?;
            let id = round_of(&e, round).await?;
            let (weight, r) = e.submit_vote(s.sender()?, id, candidate, support, voter, &bytes).await?;
            println!(
                "{voter}'s signed vote ({} {candidate}) counted with {} votes, sent by {} (tx {}, gas {})",
                governance::SUPPORT_NAMES[support as usize],
                format_metis(weight),
                s.sender()?,
                r.transaction_hash,
                r.gas_used
            );
            Ok(())
        }
        ElectionAction::Veto { chain, candidate, round } => {
            let candidate = parse_address("candidate", &candidate)?;
            let s = Session::open(root, &chain, true).await?;
            let e = Election::of(&s.client, &s.deployment)?;
            let id = round_of(&e, round).await?;
            let r = e.veto(s.sender()?, id, candidate).await?;
            println!("{candidate} is vetoed in round {id} (tx {}, gas {})", r.transaction_hash, r.gas_used);
            Ok(())
        }
        ElectionAction::Finalize { chain, round } => {
            let s = Session::open(root, &chain, true).await?;
            let e = Election::of(&s.client, &s.deployment)?;
            let id = round_of(&e, round).await?;
            let (seats, r) = e.finalize(s.sender()?, id).await?;
            if seats.is_empty() {
                println!("round {id} is finalized: no candidate qualified, nobody is admitted (tx {}, gas {})", r.transaction_hash, r.gas_used);
            } else {
                println!("round {id} is finalized (tx {}, gas {}):", r.transaction_hash, r.gas_used);
                for seat in seats {
                    println!("  seat {}: {} with {} METIS of votes for, admitted to the pool (node key {})", seat.rank, seat.operator, format_metis(seat.votes_for), seat.signer);
                }
            }
            Ok(())
        }
        ElectionAction::Status { chain, round } => {
            let s = Session::open(root, &chain, false).await?;
            let e = Election::of(&s.client, &s.deployment)?;
            let (_, now) = s.client.latest_block().await?;
            let mut view = e.view().await?;
            if let Some(id) = round {
                view.latest = Some(e.round(dseq_client::alloy::primitives::U256::from(id)).await?);
            }
            print!("{}", dseq::status::render_election(&view, now));
            Ok(())
        }
    }
}

/// Prints what a wallet's `eth_signTypedData_v4` takes, and the digest it signs.
fn print_typed_data(typed_data: &serde_json::Value, digest: dseq_client::alloy::primitives::B256) -> Result<()> {
    println!("EIP-712 typed data (eth_signTypedData_v4):\n{}", serde_json::to_string_pretty(typed_data)?);
    println!("digest: {digest}");
    Ok(())
}

/// Prints a signature in hex and returns that hex (without `0x`), for the submit command.
fn print_signature(signature: &[u8; 65]) -> String {
    let hex: String = signature.iter().map(|b| format!("{b:02x}")).collect();
    println!("signature: 0x{hex}");
    hex
}

/// A `--signature` argument: hex, with or without `0x`.
fn parse_signature(text: &str) -> Result<Vec<u8>> {
    dseq_client::alloy::primitives::hex::decode(text.trim().trim_start_matches("0x")).context("--signature must be hex")
}

/// A sequencer id as typed.
fn parse_sequencer(text: &str) -> Result<dseq_client::alloy::primitives::U256> {
    text.parse::<u64>()
        .map(dseq_client::alloy::primitives::U256::from)
        .map_err(|_| anyhow::anyhow!("{text:?} is not a sequencer id: give the number `dseq status` shows"))
}

/// Sends a governance action on the registry: as a proposal when the timelock governs it (the
/// signing account proposes), directly when the signing account does.
async fn govern_registry(s: &Session, action: Action, description: String) -> Result<()> {
    let lsts = s.lsts()?;
    let governance = lsts.governance().await?;
    let from = s.sender()?;
    if s.deployment.timelock.proxy == Some(governance) {
        let (p, r) = Governance::of(&s.client, &s.deployment)?.propose(from, vec![action], &description).await?;
        println!(
            "proposal {} created by {from}: {}; voting opens {} and closes {} (tx {}, gas {}); then `dseq gov queue` and `dseq gov execute`",
            p.id,
            description.lines().next().unwrap_or_default(),
            format_time(p.vote_start),
            format_time(p.vote_end),
            r.transaction_hash,
            r.gas_used
        );
    } else {
        let r = lsts.send_as_governance(from, &action).await?;
        println!("{} (tx {}, gas {})", description.lines().next().unwrap_or_default(), r.transaction_hash, r.gas_used);
    }
    Ok(())
}

pub async fn lst(root: &Path, action: LstAction) -> Result<()> {
    match action {
        LstAction::Approve { chain, lst, name, cap, description } => {
            let (lst, cap) = (parse_address("lst", &lst)?, parse_metis(&cap)?);
            let s = Session::open(root, &chain, true).await?;
            let action = s.lsts()?.approve_action(lst, &name, cap).await?;
            let title = format!("Approve the LST {name} ({lst}) with a cap of {} METIS", format_metis(cap));
            govern_registry(&s, action, description.map_or(title.clone(), |d| format!("{title}\n\n{d}"))).await
        }
        LstAction::SetCap { chain, lst, cap, description } => {
            let (lst, cap) = (parse_address("lst", &lst)?, parse_metis(&cap)?);
            let s = Session::open(root, &chain, true).await?;
            let lsts = s.lsts()?;
            let action = lsts.set_cap_action(lst, cap).await?;
            let title = format!("Set the cap of the LST {} ({lst}) to {} METIS", lsts.name(lst).await?, format_metis(cap));
            govern_registry(&s, action, description.map_or(title.clone(), |d| format!("{title}\n\n{d}"))).await
        }
        LstAction::SetStatus { chain, lst, status, description } => {
            let (lst, code) = (parse_address("lst", &lst)?, lst::parse_status(&status)?);
            let s = Session::open(root, &chain, true).await?;
            let lsts = s.lsts()?;
            let action = lsts.set_status_action(lst, code).await?;
            let title = format!("Set the status of the LST {} ({lst}) to {}", lsts.name(lst).await?, dseq_abi::lst::status::name(code));
            govern_registry(&s, action, description.map_or(title.clone(), |d| format!("{title}\n\n{d}"))).await
        }
        LstAction::Pair { chain, sequencer, lst } => {
            let (id, lst) = (parse_sequencer(&sequencer)?, parse_address("lst", &lst)?);
            let s = Session::open(root, &chain, true).await?;
            let r = s.lsts()?.offer(s.sender()?, id, lst).await?;
            println!("{} offered to pair sequencer {id} with the LST {lst}; the other side accepts with `dseq lst accept` (tx {}, gas {})", s.sender()?, r.transaction_hash, r.gas_used);
            Ok(())
        }
        LstAction::Accept { chain, sequencer, lst } => {
            let (id, lst) = (parse_sequencer(&sequencer)?, parse_address("lst", &lst)?);
            let s = Session::open(root, &chain, true).await?;
            let r = s.lsts()?.accept(s.sender()?, id, lst).await?;
            println!("sequencer {id} and the LST {lst} are paired: the LST may now lock stake into it (tx {}, gas {})", r.transaction_hash, r.gas_used);
            Ok(())
        }
        LstAction::Unpair { chain, sequencer } => {
            let id = parse_sequencer(&sequencer)?;
            let s = Session::open(root, &chain, true).await?;
            let (done, r) = s.lsts()?.unpair(s.sender()?, id).await?;
            match done {
                Unpairing::Ended { lst, unwound, claimable_at } => println!(
                    "sequencer {id} and the LST {lst} are no longer paired; {} METIS of the LST's stake entered its queue{} (tx {}, gas {})",
                    format_metis(unwound),
                    claimable_at.map(|t| format!(", claimable {}", format_time(t))).unwrap_or_default(),
                    r.transaction_hash,
                    r.gas_used
                ),
                Unpairing::OfferWithdrawn { lst } => {
                    println!("the pending offer between sequencer {id} and the LST {lst} was withdrawn (tx {}, gas {})", r.transaction_hash, r.gas_used)
                }
            }
            Ok(())
        }
        LstAction::Deposit { chain, sequencer, amount } => {
            let (id, amount) = (parse_sequencer(&sequencer)?, parse_metis(&amount)?);
            let s = Session::open(root, &chain, true).await?;
            let (stake, receipts) = s.lsts()?.deposit(s.sender()?, id, amount).await?;
            let gas: u64 = receipts.iter().map(|r| r.gas_used).sum();
            let last = receipts.last().map(|r| r.transaction_hash).unwrap_or_default();
            println!(
                "the LST {} locked {} METIS into sequencer {id}; its stake there is {} METIS (tx {last}, gas {gas} with the approval)",
                s.sender()?,
                format_metis(amount),
                format_metis(stake)
            );
            Ok(())
        }
        LstAction::Withdraw { chain, sequencer, amount } => {
            let (id, amount) = (parse_sequencer(&sequencer)?, parse_metis(&amount)?);
            let s = Session::open(root, &chain, true).await?;
            let (request, at, r) = s.lsts()?.request_withdrawal(s.sender()?, id, amount).await?;
            let (_, now) = s.client.latest_block().await?;
            println!(
                "request #{request}: {} METIS of the LST's stake in sequencer {id} left it and is claimable {} ({}) with `dseq lst claim` (tx {}, gas {})",
                format_metis(amount),
                format_time(at),
                dseq::status::until(now, at),
                r.transaction_hash,
                r.gas_used
            );
            Ok(())
        }
        LstAction::Claim { chain, lst } => {
            let s = Session::open(root, &chain, true).await?;
            let lst = match lst {
                Some(a) => parse_address("lst", &a)?,
                None => s.sender()?,
            };
            let (paid, r) = s.lsts()?.claim(s.sender()?, lst).await?;
            println!("{} METIS paid to the LST {lst} (tx {}, gas {})", format_metis(paid), r.transaction_hash, r.gas_used);
            Ok(())
        }
        LstAction::Status { chain, lst, sequencer, limit } => {
            let s = Session::open(root, &chain, false).await?;
            let lsts = s.lsts()?;
            let (_, now) = s.client.latest_block().await?;
            if let Some(id) = sequencer {
                let p = lsts.pairing(parse_sequencer(&id)?).await?;
                print!("{}", dseq::status::render_pairing(&p));
                return Ok(());
            }
            let views = match lst {
                Some(a) => vec![lsts.view(parse_address("lst", &a)?, limit).await?],
                None => lsts.all(limit).await?,
            };
            print!("{}", dseq::status::render_registry(&lsts, &s.deployment, &views, now).await?);
            Ok(())
        }
    }
}

pub async fn rewards(root: &Path, action: RewardsAction) -> Result<()> {
    match action {
        RewardsAction::Submit { chain, signers, end_epoch, start_epoch } => {
            let entries = signers.iter().map(|t| rewards::parse_signer_blocks(t)).collect::<Result<Vec<_>>>()?;
            let s = Session::open(root, &chain, true).await?;
            let r = s.rewards()?;
            let batch = r.next_batch(start_epoch, end_epoch, entries).await?;
            let (done, receipts) = r.submit(s.sender()?, &batch).await?;
            let last = receipts.last().map(|r| (r.transaction_hash, r.gas_used)).unwrap_or_default();
            println!(
                "batch {} (epochs {} to {}): {} blocks of {} paid {} METIS, {} METIS of it to the treasury (tx {}, gas {})",
                batch.id,
                batch.start_epoch,
                batch.end_epoch,
                batch.total_blocks(),
                signers_count(batch.signers.len()),
                format_metis(done.reward),
                format_metis(done.treasury_share),
                last.0,
                last.1
            );
            for ((signer, blocks), id) in batch.signers.iter().zip(&batch.blocks).zip(&done.sequencers) {
                println!("  {signer}: {blocks} blocks for sequencer {id}");
            }
            Ok(())
        }
        RewardsAction::DepositFees { chain, sequencer, batch, amount } => {
            let amount = parse_metis(&amount)?;
            let s = Session::open(root, &chain, true).await?;
            let r = s.rewards()?;
            let (treasury, receipts, whom) = match (sequencer, batch) {
                (Some(id), _) => {
                    let id = parse_sequencer(&id)?;
                    let (t, rs) = r.deposit_fees(s.sender()?, id, amount).await?;
                    (t, rs, format!("sequencer {id}"))
                }
                (None, Some(b)) => {
                    let batch = r.batch(b).await?;
                    let (t, rs) = r.deposit_batch_fees(s.sender()?, &batch, amount).await?;
                    (t, rs, format!("the {} of batch {b}, by their blocks", signers_count(batch.signers.len())))
                }
                (None, None) => bail!("say whose fees these are: --sequencer ID or --batch ID"),
            };
            let last = receipts.last().map(|r| r.transaction_hash).unwrap_or_default();
            let gas: u64 = receipts.iter().map(|r| r.gas_used).sum();
            println!(
                "deposited {} METIS of fees for {whom}; {} METIS to the treasury, the rest split like rewards (tx {last}, gas {gas} with the approval)",
                format_metis(amount),
                format_metis(treasury)
            );
            Ok(())
        }
        RewardsAction::Claim { chain, sequencer, lst, treasury } => {
            let s = Session::open(root, &chain, true).await?;
            let r = s.rewards()?;
            let from = s.sender()?;
            if treasury {
                let (amount, to, receipt) = r.claim_treasury(from).await?;
                println!("paid {} METIS to the treasury {to} (tx {}, gas {})", format_metis(amount), receipt.transaction_hash, receipt.gas_used);
            } else if lst {
                let paired: Vec<_> = match s.deployment.lst_registry.proxy {
                    Some(_) => s.lsts()?.view(from, 10_000).await.map(|v| v.sequencers.iter().map(|(id, _)| dseq_client::alloy::primitives::U256::from(*id)).collect()).unwrap_or_default(),
                    None => Vec::new(),
                };
                let (amount, receipts) = r.claim_lst(from, &paired).await?;
                let last = receipts.last().map(|r| r.transaction_hash).unwrap_or_default();
                println!("paid {} METIS to the LST {from} (tx {last})", format_metis(amount));
            } else {
                let id = match sequencer {
                    Some(id) => parse_sequencer(&id)?,
                    None => s.pool()?.any_sequencer_of(from).await.map_err(|_| anyhow::anyhow!("{from} runs no sequencer: give --sequencer ID (as its reward recipient), --lst or --treasury"))?,
                };
                let (amount, to, receipt) = r.claim_operator(from, id).await?;
                println!("paid {} METIS of sequencer {id}'s operator rewards to {to} (tx {}, gas {})", format_metis(amount), receipt.transaction_hash, receipt.gas_used);
            }
            Ok(())
        }
        RewardsAction::Compound { chain } => {
            let s = Session::open(root, &chain, true).await?;
            let (amount, stake, r) = s.rewards()?.compound(s.sender()?).await?;
            println!("compounded {} METIS of rewards into the stake, now {} METIS (tx {}, gas {})", format_metis(amount), format_metis(stake), r.transaction_hash, r.gas_used);
            Ok(())
        }
        RewardsAction::Status { chain, sequencer, limit } => {
            let s = Session::open(root, &chain, false).await?;
            if let Some(id) = sequencer {
                let view = s.rewards()?.sequencer(parse_sequencer(&id)?).await?;
                let (_, now) = s.client.latest_block().await?;
                print!("{}", dseq::status::render_sequencer_rewards(&view, now));
                return Ok(());
            }
            print!("{}", s.rewards_text(limit).await?);
            Ok(())
        }
    }
}

/// "1 signer", "3 signers".
fn signers_count(n: usize) -> String {
    if n == 1 { "1 signer".into() } else { format!("{n} signers") }
}

pub async fn app(root: &Path, chain: &ChainArgs, addr: std::net::SocketAddr, build_only: bool) -> Result<()> {
    let bundle = dseq::app::build_bundle(root)?;
    if build_only {
        println!(
            "built {}: {} bytes ({} bytes gzip)",
            bundle.dir.join("app.js").display(),
            bundle.bytes,
            bundle.gzip_bytes
        );
        return Ok(());
    }
    let s = Session::open(root, chain, false).await?;
    let suite = dseq::app::suite_json(&s.deployment, s.client.chain_id)?;
    let server = dseq::app::serve(root, &bundle, &chain.rpc, &suite, addr).await?;
    print!("{}", dseq::app::banner(&server, &bundle, &chain.rpc));
    use std::io::Write as _;
    std::io::stdout().flush().context("cannot write to stdout")?;
    tokio::signal::ctrl_c().await.context("waiting for Ctrl-C")?;
    Ok(())
}
