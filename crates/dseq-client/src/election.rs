//! sequencer-election from the outside (`dseq election`): opening rounds, applying with a node
//! key's proof, voting (also by signature, for wallets that sign without gas), vetoes,
//! finalization, and a round as one view with its candidates and their metadata.

use alloy::primitives::{keccak256, Address, Bytes, B256, U256};
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::{Filter, TransactionReceipt};
use alloy::sol_types::{SolEvent, SolValue};
use anyhow::{anyhow, bail, Context, Result};
use dseq_abi::election::{phase, BALLOT_TYPEHASH, CANDIDACY_TYPEHASH, EIP712_NAME, EIP712_VERSION};
use k256::ecdsa::SigningKey;

use crate::bindings::ISequencerElection;
use crate::client::{events, Client};

/// The digest a node key signs to apply as `operator`'s signer in round `round_id` of the
/// election at `election` on `chain_id` (the contract's `candidacyDigest` returns the same).
pub fn candidacy_digest(round_id: U256, operator: Address, election: Address, chain_id: u64) -> B256 {
    let domain = dseq_kit::eip712::domain_separator(EIP712_NAME, EIP712_VERSION, chain_id, election);
    dseq_kit::eip712::typed_data_digest(domain, keccak256((CANDIDACY_TYPEHASH, round_id, operator).abi_encode()))
}

/// The digest `voter` signs to vote `support` on `candidate` in round `round_id` with `nonce`.
pub fn ballot_digest(
    round_id: U256,
    candidate: Address,
    support: u8,
    voter: Address,
    nonce: U256,
    election: Address,
    chain_id: u64,
) -> B256 {
    let domain = dseq_kit::eip712::domain_separator(EIP712_NAME, EIP712_VERSION, chain_id, election);
    let message = (BALLOT_TYPEHASH, round_id, candidate, U256::from(support), voter, nonce).abi_encode();
    dseq_kit::eip712::typed_data_digest(domain, keccak256(message))
}

/// A ballot for a wallet to sign (EIP-712 `Ballot`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ballot {
    pub round_id: U256,
    pub candidate: Address,
    pub support: u8,
    pub voter: Address,
    pub nonce: U256,
    pub digest: B256,
    pub chain_id: u64,
    pub election: Address,
}

impl Ballot {
    /// The request a wallet's `eth_signTypedData_v4` takes, as JSON.
    pub fn typed_data(&self) -> serde_json::Value {
        crate::proof::typed_data_request(
            "Ballot",
            &[("roundId", "uint256"), ("candidate", "address"), ("support", "uint8"), ("voter", "address"), ("nonce", "uint256")],
            EIP712_NAME,
            self.chain_id,
            self.election,
            serde_json::json!({
                "roundId": self.round_id.to_string(),
                "candidate": self.candidate,
                "support": self.support,
                "voter": self.voter,
                "nonce": self.nonce.to_string()
            }),
        )
    }
}

/// The rules a round opens with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rules {
    pub cadence: u64,
    pub application_period: u64,
    pub voting_period: u64,
    pub vetting_period: u64,
    pub seats: u16,
    pub max_candidates: u16,
    pub min_voters: u32,
    pub approval_bps: u16,
    pub quorum_bps: u16,
    pub quorum: U256,
}

/// `rules()` and `roundRules()` answer the same ten fields in two generated types.
macro_rules! rules_from {
    ($r:expr) => {{
        let r = $r;
        Rules {
            cadence: r.cadence,
            application_period: r.applicationPeriod,
            voting_period: r.votingPeriod,
            vetting_period: r.vettingPeriod,
            seats: r.seats,
            max_candidates: r.maxCandidates,
            min_voters: r.minVoters,
            approval_bps: r.approvalBps,
            quorum_bps: r.quorumBps,
            quorum: r.quorum,
        }
    }};
}

/// A candidate of a round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CandidateView {
    pub operator: Address,
    pub index: u64,
    pub signer: Address,
    pub status: u8,
    pub votes_for: U256,
    pub against: U256,
    pub abstain: U256,
    pub voters: u64,
    /// From its `CandidateApplied` event (the contract keeps only its hash).
    pub metadata_uri: String,
}

impl CandidateView {
    /// Votes for per thousand of for + against (None while nobody decided): what the approval
    /// ratio is measured on.
    pub fn approval_permille(&self) -> Option<u64> {
        let decided = self.votes_for + self.against;
        (!decided.is_zero()).then(|| (self.votes_for * U256::from(1000) / decided).saturating_to())
    }
}

/// A round with its candidates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundView {
    pub id: U256,
    pub phase: u8,
    pub scheduled_at: u64,
    pub opened_at: u64,
    pub voting_start: u64,
    pub voting_end: u64,
    pub vetting_end: u64,
    pub admitted: u64,
    pub rules: Rules,
    /// Votes for + abstain a candidate needs (known once voting has started).
    pub quorum: Option<U256>,
    pub candidates: Vec<CandidateView>,
}

/// The election as a whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElectionView {
    pub address: Address,
    pub rules: Rules,
    pub next_round_at: u64,
    pub vetter: Address,
    pub latest: Option<RoundView>,
}

/// One seat won at finalization.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seat {
    pub rank: u64,
    pub operator: Address,
    pub signer: Address,
    pub votes_for: U256,
}

/// The election of a deployment, for `client`.
pub struct Election<'a> {
    pub client: &'a Client,
    pub address: Address,
    /// Where its events start (the deploy block).
    pub from_block: u64,
}

impl<'a> Election<'a> {
    pub fn of(client: &'a Client, d: &crate::Deployment) -> Result<Self> {
        Ok(Self { client, address: d.election()?, from_block: d.deploy_block })
    }

    fn e(&self) -> ISequencerElection::ISequencerElectionInstance<DynProvider> {
        ISequencerElection::new(self.address, self.client.provider.clone())
    }

    /// The latest round's id (0: none yet).
    pub async fn latest_round(&self) -> Result<U256> {
        Ok(self.e().roundCount().call().await?)
    }

    /// The latest round's id, or an error that says how to open one.
    pub async fn current_round(&self) -> Result<U256> {
        let id = self.latest_round().await?;
        if id.is_zero() {
            bail!("no election round has been opened yet: `dseq election open` opens one when it is due");
        }
        Ok(id)
    }

    /// Opens the next round; returns its id.
    pub async fn open(&self, from: Address) -> Result<(U256, TransactionReceipt)> {
        let receipt = self.client.send_call(from, self.address, &ISequencerElection::openRoundCall {}).await.context("opening the round")?;
        let opened = events::<ISequencerElection::RoundOpened>(&receipt, self.address).pop().ok_or_else(|| anyhow!("no RoundOpened event"))?;
        Ok((opened.roundId, receipt))
    }

    /// `operator` applies in round `round_id` with the node key `key` (which signs the proof).
    pub async fn apply(&self, operator: Address, key: &SigningKey, round_id: U256, metadata_uri: &str) -> Result<TransactionReceipt> {
        let signer = Address::from_public_key(key.verifying_key());
        let digest = candidacy_digest(round_id, operator, self.address, self.client.chain_id);
        let proof = crate::proof::sign_digest(key, digest)?;
        let call = ISequencerElection::applyAsCandidateCall {
            roundId: round_id,
            signer,
            metadataURI: metadata_uri.to_string(),
            signerProof: Bytes::copy_from_slice(&proof),
        };
        Ok(self.client.send_call(operator, self.address, &call).await.context("applying")?)
    }

    /// `voter` votes `support` on `candidate`; returns the weight counted.
    pub async fn vote(&self, voter: Address, round_id: U256, candidate: Address, support: u8) -> Result<(U256, TransactionReceipt)> {
        let call = ISequencerElection::castVoteCall { roundId: round_id, candidate, support };
        let receipt = self.client.send_call(voter, self.address, &call).await.context("voting")?;
        Ok((self.weight(&receipt)?, receipt))
    }

    /// `voter` votes on several candidates in one transaction.
    pub async fn vote_many(&self, voter: Address, round_id: U256, ballots: &[(Address, u8)]) -> Result<(U256, TransactionReceipt)> {
        let call = ISequencerElection::castVotesCall {
            roundId: round_id,
            candidates: ballots.iter().map(|(c, _)| *c).collect(),
            supports: ballots.iter().map(|(_, s)| U256::from(*s)).collect(),
        };
        let receipt = self.client.send_call(voter, self.address, &call).await.context("voting")?;
        Ok((self.weight(&receipt)?, receipt))
    }

    fn weight(&self, receipt: &TransactionReceipt) -> Result<U256> {
        events::<ISequencerElection::VoteCast>(receipt, self.address)
            .pop()
            .map(|e| e.weight)
            .ok_or_else(|| anyhow!("no VoteCast event in the receipt"))
    }

    /// The ballot `voter` would sign.
    pub async fn ballot(&self, voter: Address, round_id: U256, candidate: Address, support: u8) -> Result<Ballot> {
        let nonce = self.e().nonces(voter).call().await?;
        let digest = ballot_digest(round_id, candidate, support, voter, nonce, self.address, self.client.chain_id);
        Ok(Ballot { round_id, candidate, support, voter, nonce, digest, chain_id: self.client.chain_id, election: self.address })
    }

    /// Signs `ballot` with `key`, which must be the voter's.
    pub fn sign(&self, ballot: &Ballot, key: &SigningKey) -> Result<[u8; 65]> {
        if Address::from_public_key(key.verifying_key()) != ballot.voter {
            bail!("the key given is not {}'s: a ballot is signed by the voter", ballot.voter);
        }
        crate::proof::sign_digest(key, ballot.digest)
    }

    /// Submits a signed ballot from `relayer` (anyone may); returns the weight counted.
    pub async fn submit_vote(
        &self,
        relayer: Address,
        round_id: U256,
        candidate: Address,
        support: u8,
        voter: Address,
        signature: &[u8],
    ) -> Result<(U256, TransactionReceipt)> {
        if signature.len() != 65 {
            bail!("a vote signature is 65 bytes (r, s, v); this one has {}", signature.len());
        }
        let call = ISequencerElection::castVoteBySigCall {
            roundId: round_id,
            candidate,
            support,
            voter,
            signature: Bytes::copy_from_slice(signature),
        };
        let receipt = self.client.send_call(relayer, self.address, &call).await.context("submitting the signed vote")?;
        Ok((self.weight(&receipt)?, receipt))
    }

    /// The vetter vetoes `candidate` during vetting.
    pub async fn veto(&self, vetter: Address, round_id: U256, candidate: Address) -> Result<TransactionReceipt> {
        let call = ISequencerElection::vetoCall { roundId: round_id, candidate };
        Ok(self.client.send_call(vetter, self.address, &call).await.context("vetoing")?)
    }

    /// Finalizes round `round_id`; returns the seats in rank order.
    pub async fn finalize(&self, from: Address, round_id: U256) -> Result<(Vec<Seat>, TransactionReceipt)> {
        let call = ISequencerElection::finalizeCall { roundId: round_id };
        let receipt = self.client.send_call(from, self.address, &call).await.context("finalizing")?;
        let seats = events::<ISequencerElection::CandidateAdmitted>(&receipt, self.address)
            .into_iter()
            .map(|e| Seat { rank: e.rank.saturating_to(), operator: e.operator, signer: e.signer, votes_for: e.votesFor })
            .collect();
        Ok((seats, receipt))
    }

    /// The rules the next round opens with.
    pub async fn rules(&self) -> Result<Rules> {
        Ok(rules_from!(self.e().rules().call().await?))
    }

    /// The election now, with its latest round.
    pub async fn view(&self) -> Result<ElectionView> {
        let latest = self.latest_round().await?;
        Ok(ElectionView {
            address: self.address,
            rules: self.rules().await?,
            next_round_at: self.e().nextRoundAt().call().await?,
            vetter: self.e().vetter().call().await?,
            latest: if latest.is_zero() { None } else { Some(self.round(latest).await?) },
        })
    }

    /// Round `id` with its candidates.
    pub async fn round(&self, id: U256) -> Result<RoundView> {
        let e = self.e();
        let r = e.round(id).call().await.with_context(|| format!("reading round {id}"))?;
        let rules = rules_from!(e.roundRules(id).call().await?);
        let quorum = if r.phase >= phase::VOTING { e.quorum(id).call().await.ok() } else { None };
        let uris = self.metadata(id).await?;
        let mut candidates = Vec::new();
        for operator in e.candidates(id).call().await? {
            let c = e.candidate(id, operator).call().await?;
            let metadata_uri = uris.iter().find(|(o, _)| *o == operator).map(|(_, u)| u.clone()).unwrap_or_default();
            candidates.push(CandidateView {
                operator,
                index: c.index.saturating_to(),
                signer: c.signer,
                status: c.status,
                votes_for: c.votesFor,
                against: c.votesAgainst,
                abstain: c.votesAbstain,
                voters: c.voters.saturating_to(),
                metadata_uri,
            });
        }
        Ok(RoundView {
            id,
            phase: r.phase,
            scheduled_at: r.scheduledAt,
            opened_at: r.openedAt,
            voting_start: r.votingStart,
            voting_end: r.votingEnd,
            vetting_end: r.vettingEnd,
            admitted: r.admitted.saturating_to(),
            rules,
            quorum,
            candidates,
        })
    }

    /// The metadata URIs of round `id`'s candidates, from their `CandidateApplied` events.
    async fn metadata(&self, id: U256) -> Result<Vec<(Address, String)>> {
        let filter = Filter::new()
            .address(self.address)
            .event_signature(vec![ISequencerElection::CandidateApplied::SIGNATURE_HASH])
            .topic1(B256::from(id))
            .from_block(self.from_block);
        let logs = self.client.provider.get_logs(&filter).await.context("reading the election's CandidateApplied events")?;
        Ok(logs
            .iter()
            .filter_map(|l| ISequencerElection::CandidateApplied::decode_log(&l.inner).ok())
            .map(|e| (e.data.operator, e.data.metadataURI))
            .collect())
    }

    /// `voter`'s weight in round `id` (its votes at the round's `votingStart`), once voting opened.
    pub async fn voting_power(&self, id: U256, voter: Address) -> Result<U256> {
        Ok(self.e().votingPower(id, voter).call().await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_match_the_typed_data_a_wallet_signs() {
        let (election, operator, voter) = (Address::repeat_byte(0x33), Address::repeat_byte(0x44), Address::repeat_byte(0x55));
        let domain = keccak256(
            (
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("dseq SequencerElection"),
                keccak256("1"),
                U256::from(412_346u64),
                election,
            )
                .abi_encode(),
        );
        let digest = |message: B256| {
            let mut bytes = vec![0x19, 0x01];
            bytes.extend_from_slice(domain.as_slice());
            bytes.extend_from_slice(message.as_slice());
            keccak256(&bytes)
        };
        let candidacy = keccak256((keccak256("Candidacy(uint256 roundId,address operator)"), U256::from(2), operator).abi_encode());
        assert_eq!(candidacy_digest(U256::from(2), operator, election, 412_346), digest(candidacy));
        let ballot_type = keccak256("Ballot(uint256 roundId,address candidate,uint8 support,address voter,uint256 nonce)");
        let ballot = keccak256((ballot_type, U256::from(2), operator, U256::from(1), voter, U256::from(7)).abi_encode());
        assert_eq!(ballot_digest(U256::from(2), operator, 1, voter, U256::from(7), election, 412_346), digest(ballot));
        let b = Ballot { round_id: U256::from(2), candidate: operator, support: 1, voter, nonce: U256::from(7), digest: B256::ZERO, chain_id: 412_346, election };
        let json = b.typed_data();
        assert_eq!(json["primaryType"], "Ballot");
        assert_eq!(json["message"]["roundId"], "2");
        assert_eq!(json["domain"]["name"], "dseq SequencerElection");
    }
}
