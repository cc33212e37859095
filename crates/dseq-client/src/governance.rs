//! The governor and the timelock from a delegate's side (`dseq gov`): proposals built from
//! readable calls, votes by transaction or by a signature a wallet makes, queue and execute,
//! and a proposal's state as one view. A proposal's actions are read back from its
//! `ProposalCreated` event, so queue and execute need only its id.

use alloy::dyn_abi::{DynSolType, DynSolValue, JsonAbiExt};
use alloy::json_abi::Function;
use alloy::primitives::{keccak256, Address, Bytes, B256, U256};
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::{Filter, TransactionReceipt};
use alloy::sol_types::{SolEvent, SolValue};
use anyhow::{anyhow, bail, Context, Result};
use k256::ecdsa::SigningKey;

use crate::bindings::IGovernor;
use crate::client::Client;

/// Proposal states, as the governor numbers them (OpenZeppelin's `ProposalState`).
pub const STATES: [&str; 8] = ["Pending", "Active", "Canceled", "Defeated", "Succeeded", "Queued", "Expired", "Executed"];

/// Vote kinds by code, as `--support` takes them.
pub const SUPPORT_NAMES: [&str; 3] = ["against", "for", "abstain"];

/// The name of state `code`.
pub fn state_name(code: u8) -> &'static str {
    STATES.get(code as usize).copied().unwrap_or("Unknown")
}

/// A vote: 0 against, 1 for, 2 abstain (`support=bravo`).
pub fn parse_support(text: &str) -> Result<u8> {
    match text.to_ascii_lowercase().as_str() {
        "against" | "0" => Ok(0),
        "for" | "1" => Ok(1),
        "abstain" | "2" => Ok(2),
        other => bail!("--support {other:?} is not a vote: use for, against or abstain"),
    }
}

/// One call a proposal makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    pub target: Address,
    pub value: U256,
    pub calldata: Bytes,
}

impl Action {
    /// A call from its signature and arguments as text: `("setLockBounds(uint256,uint256)",
    /// ["25000000000000000000000", "100000000000000000000000"])`.
    pub fn call(target: Address, signature: &str, args: &[String]) -> Result<Self> {
        let function = Function::parse(signature).with_context(|| format!("{signature:?} is not a function signature such as setLockBounds(uint256,uint256)"))?;
        if function.inputs.len() != args.len() {
            bail!("{} takes {} arguments, {} given", function.signature(), function.inputs.len(), args.len());
        }
        let values = function
            .inputs
            .iter()
            .zip(args)
            .map(|(param, arg)| {
                let ty: DynSolType = param.ty.parse().with_context(|| format!("type {}", param.ty))?;
                ty.coerce_str(arg).with_context(|| format!("{arg:?} is not a {}", param.ty))
            })
            .collect::<Result<Vec<DynSolValue>>>()?;
        let calldata = function.abi_encode_input(&values).context("encoding the call")?;
        Ok(Self { target, value: U256::ZERO, calldata: calldata.into() })
    }
}

/// A proposal as created: its id, proposer, actions and description.
#[derive(Clone, Debug)]
pub struct Proposal {
    pub id: U256,
    pub proposer: Address,
    pub actions: Vec<Action>,
    pub description: String,
    pub vote_start: u64,
    pub vote_end: u64,
}

impl Proposal {
    pub fn description_hash(&self) -> B256 {
        keccak256(self.description.as_bytes())
    }

    fn arrays(&self) -> (Vec<Address>, Vec<U256>, Vec<Bytes>) {
        (
            self.actions.iter().map(|a| a.target).collect(),
            self.actions.iter().map(|a| a.value).collect(),
            self.actions.iter().map(|a| a.calldata.clone()).collect(),
        )
    }
}

/// A proposal's standing now.
#[derive(Clone, Debug)]
pub struct ProposalView {
    pub proposal: Proposal,
    pub state: u8,
    pub snapshot: u64,
    pub deadline: u64,
    pub eta: u64,
    pub against: U256,
    pub for_votes: U256,
    pub abstain: U256,
    /// Votes needed (for + abstain) at the snapshot, once the snapshot is past.
    pub quorum: Option<U256>,
}

/// A ballot for a wallet to sign (EIP-712 `Ballot`).
#[derive(Clone, Debug)]
pub struct Ballot {
    pub proposal_id: U256,
    pub support: u8,
    pub voter: Address,
    pub nonce: U256,
    pub digest: B256,
    pub chain_id: u64,
    pub governor: Address,
}

impl Ballot {
    /// The request a wallet's `eth_signTypedData_v4` takes, as JSON.
    pub fn typed_data(&self) -> serde_json::Value {
        crate::proof::typed_data_request(
            "Ballot",
            &[("proposalId", "uint256"), ("support", "uint8"), ("voter", "address"), ("nonce", "uint256")],
            GOVERNOR_NAME,
            self.chain_id,
            self.governor,
            serde_json::json!({ "proposalId": self.proposal_id.to_string(), "support": self.support, "voter": self.voter, "nonce": self.nonce.to_string() }),
        )
    }
}

/// The governor's EIP-712 domain name.
pub const GOVERNOR_NAME: &str = "dseq Governor";

/// The EIP-712 digest of a ballot for the governor at `governor` on `chain_id`.
pub fn ballot_digest(proposal_id: U256, support: u8, voter: Address, nonce: U256, governor: Address, chain_id: u64) -> B256 {
    let typehash = keccak256("Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce)");
    let domain = dseq_kit::eip712::domain_separator(GOVERNOR_NAME, "1", chain_id, governor);
    dseq_kit::eip712::typed_data_digest(domain, keccak256((typehash, proposal_id, U256::from(support), voter, nonce).abi_encode()))
}

/// The governor of a deployment, for `client`.
pub struct Governance<'a> {
    pub client: &'a Client,
    pub governor: Address,
    pub timelock: Address,
    /// Where the governor's events start (the deploy block).
    pub from_block: u64,
}

impl<'a> Governance<'a> {
    pub fn of(client: &'a Client, d: &crate::Deployment) -> Result<Self> {
        Ok(Self { client, governor: d.governor()?, timelock: d.timelock()?, from_block: d.deploy_block })
    }

    fn g(&self) -> IGovernor::IGovernorInstance<DynProvider> {
        IGovernor::new(self.governor, self.client.provider.clone())
    }

    /// Proposes `actions` with `description`; checks the proposer's votes first.
    pub async fn propose(&self, proposer: Address, actions: Vec<Action>, description: &str) -> Result<(Proposal, TransactionReceipt)> {
        if actions.is_empty() {
            bail!("a proposal needs at least one call");
        }
        // The governor reads the proposer's votes one second before the proposal's block: at
        // least what the token counts now, unless they change in the same second.
        let threshold = self.g().proposalThreshold().call().await?;
        let token = self.g().token().call().await?;
        let votes = crate::bindings::IMetisVotes::new(token, self.client.provider.clone()).getVotes(proposer).call().await?;
        if votes < threshold {
            bail!(
                "{proposer} has {} votes; proposing needs {} votes (GovernorInsufficientProposerVotes): wrap METIS and delegate first",
                crate::units::format_metis(votes),
                crate::units::format_metis(threshold)
            );
        }
        let call = IGovernor::proposeCall {
            targets: actions.iter().map(|a| a.target).collect(),
            values: actions.iter().map(|a| a.value).collect(),
            calldatas: actions.iter().map(|a| a.calldata.clone()).collect(),
            description: description.to_string(),
        };
        let receipt = self.client.send_call(proposer, self.governor, &call).await.context("proposing")?;
        let created = crate::client::events::<IGovernor::ProposalCreated>(&receipt, self.governor)
            .pop()
            .ok_or_else(|| anyhow!("no ProposalCreated event in the receipt"))?;
        Ok((proposal_of(created), receipt))
    }

    /// Deploys `contract`'s programs anew from `artifacts` (entry last) and proposes the upgrade
    /// of its proxy to them (see [`Governance::upgrade_action`]). Returns the proposal and the
    /// new programs.
    pub async fn propose_upgrade(
        &self,
        proposer: Address,
        d: &crate::Deployment,
        artifacts: &crate::Artifacts,
        contract: &str,
        description: &str,
    ) -> Result<(Proposal, Vec<Address>, TransactionReceipt)> {
        let (upgrade, programs) = self.upgrade_action(proposer, d, artifacts, contract).await?;
        let (proposal, receipt) = self.propose(proposer, vec![upgrade], description).await?;
        Ok((proposal, programs, receipt))
    }

    /// Deploys `contract`'s programs anew from `artifacts` (entry last, so that it can be
    /// refused before anything points at it) and returns the action that swaps them in as one
    /// unit, `upgradeToAndCall(newEntry, installPrograms(newOthers))` on its proxy (no call for a
    /// one-program contract), with the new programs, entry first.
    pub async fn upgrade_action(
        &self,
        deployer: Address,
        d: &crate::Deployment,
        artifacts: &crate::Artifacts,
        contract: &str,
    ) -> Result<(Action, Vec<Address>)> {
        use crate::deploy::{ELECTION_PROGRAMS, GOVERNOR_PROGRAMS, LOCKING_POOL_PROGRAMS, LST_REGISTRY_PROGRAMS, METIS_VOTES_PROGRAMS, REWARD_DISTRIBUTOR_PROGRAMS, TIMELOCK_PROGRAMS};
        let (proxy, names): (Address, &[&str]) = match contract {
            "locking-pool" | "pool" => (d.pool()?, &LOCKING_POOL_PROGRAMS),
            "metis-votes" | "votes" => (d.votes()?, &METIS_VOTES_PROGRAMS),
            "governor" => (d.governor()?, &GOVERNOR_PROGRAMS),
            "timelock" => (d.timelock()?, &TIMELOCK_PROGRAMS),
            "sequencer-election" | "election" => (d.election()?, &ELECTION_PROGRAMS),
            "lst-registry" | "lst" => (d.lst_registry()?, &LST_REGISTRY_PROGRAMS),
            "reward-distributor" | "rewards" => (d.reward_distributor()?, &REWARD_DISTRIBUTOR_PROGRAMS),
            other => bail!(
                "{other:?} is not a contract of the suite: use locking-pool, metis-votes, governor, timelock, sequencer-election, lst-registry or reward-distributor"
            ),
        };
        let codes = names.iter().map(|name| artifacts.stylus(name)).collect::<Result<Vec<_>>>()?;
        let mut programs = vec![Address::ZERO; names.len()];
        for i in (1..names.len()).chain([0]) {
            let (address, _) =
                self.client.deploy_program(deployer, &codes[i]).await.with_context(|| format!("deploying the new {}", names[i]))?;
            programs[i] = address;
        }
        use alloy::sol_types::SolCall;
        let install = if programs.len() > 1 {
            crate::bindings::ILockingPool::installProgramsCall { programs: programs[1..].to_vec() }.abi_encode().into()
        } else {
            Bytes::new()
        };
        let calldata = crate::bindings::ERC1967Proxy::upgradeToAndCallCall { implementation: programs[0], data: install }.abi_encode();
        Ok((Action { target: proxy, value: U256::ZERO, calldata: calldata.into() }, programs))
    }

    /// Proposal `id` as created, from its `ProposalCreated` event.
    pub async fn proposal(&self, id: U256) -> Result<Proposal> {
        self.proposals().await?.into_iter().find(|p| p.id == id).ok_or_else(|| anyhow!("no proposal {id} on the governor at {}", self.governor))
    }

    /// Every proposal, oldest first.
    pub async fn proposals(&self) -> Result<Vec<Proposal>> {
        let filter = Filter::new()
            .address(self.governor)
            .event_signature(vec![IGovernor::ProposalCreated::SIGNATURE_HASH])
            .from_block(self.from_block);
        let logs = self.client.provider.get_logs(&filter).await.context("reading the governor's ProposalCreated events")?;
        Ok(logs.iter().filter_map(|l| IGovernor::ProposalCreated::decode_log(&l.inner).ok()).map(|e| proposal_of(e.data)).collect())
    }

    /// Proposal `id` now.
    pub async fn view(&self, id: U256) -> Result<ProposalView> {
        let proposal = self.proposal(id).await?;
        let g = self.g();
        let votes = g.proposalVotes(id).call().await?;
        let snapshot: u64 = g.proposalSnapshot(id).call().await?.saturating_to();
        let (_, now) = self.client.latest_block().await?;
        let quorum = if snapshot < now { Some(g.quorum(U256::from(snapshot)).call().await?) } else { None };
        Ok(ProposalView {
            state: g.state(id).call().await?,
            snapshot,
            deadline: g.proposalDeadline(id).call().await?.saturating_to(),
            eta: g.proposalEta(id).call().await?.saturating_to(),
            against: votes.againstVotes,
            for_votes: votes.forVotes,
            abstain: votes.abstainVotes,
            quorum,
            proposal,
        })
    }

    /// `voter` votes on `id` (with a reason when given); returns the weight counted.
    pub async fn vote(&self, voter: Address, id: U256, support: u8, reason: Option<&str>) -> Result<(U256, TransactionReceipt)> {
        let receipt = match reason {
            Some(reason) => {
                let call = IGovernor::castVoteWithReasonCall { proposalId: id, support, reason: reason.to_string() };
                self.client.send_call(voter, self.governor, &call).await
            }
            None => self.client.send_call(voter, self.governor, &IGovernor::castVoteCall { proposalId: id, support }).await,
        }
        .context("voting")?;
        Ok((self.weight(&receipt)?, receipt))
    }

    fn weight(&self, receipt: &TransactionReceipt) -> Result<U256> {
        crate::client::events::<IGovernor::VoteCast>(receipt, self.governor)
            .pop()
            .map(|e| e.weight)
            .ok_or_else(|| anyhow!("no VoteCast event in the receipt"))
    }

    /// The ballot `voter` would sign for `id`.
    pub async fn ballot(&self, voter: Address, id: U256, support: u8) -> Result<Ballot> {
        let nonce = self.g().nonces(voter).call().await?;
        let digest = ballot_digest(id, support, voter, nonce, self.governor, self.client.chain_id);
        Ok(Ballot { proposal_id: id, support, voter, nonce, digest, chain_id: self.client.chain_id, governor: self.governor })
    }

    /// Signs `ballot` with `key`, which must be the voter's.
    pub fn sign(&self, ballot: &Ballot, key: &SigningKey) -> Result<[u8; 65]> {
        if Address::from_public_key(key.verifying_key()) != ballot.voter {
            bail!("the key given is not {}'s: a ballot is signed by the voter", ballot.voter);
        }
        crate::proof::sign_digest(key, ballot.digest)
    }

    /// Submits a signed ballot from `relayer`; returns the weight counted for the voter.
    pub async fn submit_vote(&self, relayer: Address, id: U256, support: u8, voter: Address, signature: &[u8]) -> Result<(U256, TransactionReceipt)> {
        if signature.len() != 65 {
            bail!("a vote signature is 65 bytes (r, s, v); this one has {}", signature.len());
        }
        let call = IGovernor::castVoteBySigCall { proposalId: id, support, voter, signature: Bytes::copy_from_slice(signature) };
        let receipt = self.client.send_call(relayer, self.governor, &call).await.context("submitting the signed vote")?;
        Ok((self.weight(&receipt)?, receipt))
    }

    /// Queues a succeeded proposal in the timelock; returns when it can be executed.
    pub async fn queue(&self, from: Address, id: U256) -> Result<(u64, TransactionReceipt)> {
        let p = self.proposal(id).await?;
        let (targets, values, calldatas) = p.arrays();
        let call = IGovernor::queueCall { targets, values, calldatas, descriptionHash: p.description_hash() };
        let receipt = self.client.send_call(from, self.governor, &call).await.context("queueing")?;
        let eta = crate::client::events::<IGovernor::ProposalQueued>(&receipt, self.governor)
            .pop()
            .map(|e| e.etaSeconds.saturating_to())
            .ok_or_else(|| anyhow!("no ProposalQueued event in the receipt"))?;
        Ok((eta, receipt))
    }

    /// Executes a queued proposal whose delay has passed.
    pub async fn execute(&self, from: Address, id: U256) -> Result<TransactionReceipt> {
        let p = self.proposal(id).await?;
        let (targets, values, calldatas) = p.arrays();
        let value: U256 = values.iter().copied().sum();
        let call = IGovernor::executeCall { targets, values, calldatas, descriptionHash: p.description_hash() };
        let tx = alloy::rpc::types::TransactionRequest::default()
            .from(from)
            .to(self.governor)
            .value(value)
            .input(alloy::sol_types::SolCall::abi_encode(&call).into());
        Ok(self.client.send(tx).await.context("executing")?)
    }
}

fn proposal_of(e: IGovernor::ProposalCreated) -> Proposal {
    let actions = e
        .targets
        .iter()
        .zip(&e.values)
        .zip(&e.calldatas)
        .map(|((target, value), calldata)| Action { target: *target, value: *value, calldata: calldata.clone() })
        .collect();
    Proposal {
        id: e.proposalId,
        proposer: e.proposer,
        actions,
        description: e.description,
        vote_start: e.voteStart.saturating_to(),
        vote_end: e.voteEnd.saturating_to(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_built_from_their_signature() {
        let target = Address::repeat_byte(7);
        let a = Action::call(target, "setLockBounds(uint256,uint256)", &["25000000000000000000000".into(), "100000000000000000000000".into()]).unwrap();
        assert_eq!(&a.calldata[..4], &keccak256("setLockBounds(uint256,uint256)")[..4]);
        assert_eq!(U256::from_be_slice(&a.calldata[4..36]), U256::from(25_000u64) * U256::from(10u64).pow(U256::from(18)));
        assert!(Action::call(target, "setLockBounds(uint256,uint256)", &["1".into()]).unwrap_err().to_string().contains("takes 2 arguments, 1 given"));
        assert!(Action::call(target, "setWhitelist(address,bool)", &["0x12".into(), "true".into()]).is_err());
        assert!(Action::call(target, "not a signature", &[]).is_err());
        assert_eq!(parse_support("For").unwrap(), 1);
        assert!(parse_support("yes").unwrap_err().to_string().contains("for, against or abstain"));
        assert_eq!(state_name(7), "Executed");
    }
}
