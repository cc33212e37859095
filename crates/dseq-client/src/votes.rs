//! metis-votes from a holder's side (`dseq votes`): wrapping METIS into votes and back,
//! delegating by transaction or by signature, and an account's voting power as one view.

use alloy::primitives::{keccak256, Address, B256, U256};
use alloy::providers::DynProvider;
use alloy::rpc::types::TransactionReceipt;
use alloy::sol_types::SolValue;
use anyhow::{anyhow, bail, Context, Result};
use dseq_abi::metis_votes::{DELEGATION_TYPEHASH, EIP712_VERSION, NAME};
use k256::ecdsa::SigningKey;

use crate::bindings::{IMetisVotes, IERC20};
use crate::client::Client;
use crate::units::format_metis;

/// The voting token of a deployment, for `client`.
pub struct Votes<'a> {
    pub client: &'a Client,
    pub address: Address,
    /// METIS, the wrapped token.
    pub token: Address,
}

/// An account's standing in the voting token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VotesView {
    pub account: Address,
    /// METIS in the wallet (not votes until wrapped).
    pub metis: U256,
    /// Wrapped METIS (vMETIS).
    pub wrapped: U256,
    /// Counting stake in locking-pool, which votes like wrapped METIS.
    pub stake: U256,
    /// Whom the wrapped METIS and the stake vote for (zero: nobody, until delegated).
    pub delegate: Address,
    /// Votes delegated to this account (its own and others').
    pub votes: U256,
    /// The nonce its next delegation or permit signature must name.
    pub nonce: U256,
}

/// A delegation for a wallet to sign (EIP-712 `Delegation`), or signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delegation {
    pub delegator: Address,
    pub delegatee: Address,
    pub nonce: U256,
    pub expiry: U256,
    pub digest: B256,
    pub chain_id: u64,
    pub token: Address,
}

impl Delegation {
    /// The request a wallet's `eth_signTypedData_v4` takes, as JSON.
    pub fn typed_data(&self) -> serde_json::Value {
        crate::proof::typed_data_request(
            "Delegation",
            &[("delegatee", "address"), ("nonce", "uint256"), ("expiry", "uint256")],
            NAME,
            self.chain_id,
            self.token,
            serde_json::json!({ "delegatee": self.delegatee, "nonce": self.nonce.to_string(), "expiry": self.expiry.to_string() }),
        )
    }
}

/// The EIP-712 digest of a delegation to `delegatee` with `nonce` and `expiry` for the token at
/// `token` on `chain_id` (what `delegateBySig` recovers the delegator from).
pub fn delegation_digest(delegatee: Address, nonce: U256, expiry: U256, token: Address, chain_id: u64) -> B256 {
    let domain = dseq_kit::eip712::domain_separator(NAME, EIP712_VERSION, chain_id, token);
    dseq_kit::eip712::typed_data_digest(domain, keccak256((DELEGATION_TYPEHASH, delegatee, nonce, expiry).abi_encode()))
}

impl<'a> Votes<'a> {
    /// The voting token of deployment `d`.
    pub fn of(client: &'a Client, d: &crate::Deployment) -> Result<Self> {
        Ok(Self { client, address: d.votes()?, token: d.token()? })
    }

    fn votes(&self) -> IMetisVotes::IMetisVotesInstance<DynProvider> {
        IMetisVotes::new(self.address, self.client.provider.clone())
    }

    /// `account`'s METIS, wrapped votes, stake, delegate and voting power.
    pub async fn view(&self, account: Address) -> Result<VotesView> {
        let v = self.votes();
        let metis = IERC20::new(self.token, self.client.provider.clone()).balanceOf(account).call().await.context("reading the METIS balance")?;
        Ok(VotesView {
            account,
            metis,
            wrapped: v.balanceOf(account).call().await?,
            stake: v.stakeOf(account).call().await?,
            delegate: v.delegates(account).call().await?,
            votes: v.getVotes(account).call().await?,
            nonce: v.nonces(account).call().await?,
        })
    }

    /// Wraps `amount` of `holder`'s METIS into votes (approving the token first if needed).
    pub async fn wrap(&self, holder: Address, amount: U256) -> Result<Vec<TransactionReceipt>> {
        let mut receipts: Vec<TransactionReceipt> = self.client.ensure_funds(self.token, holder, self.address, amount, "wrapping", "the voting token").await?.into_iter().collect();
        let deposit = IMetisVotes::depositForCall { account: holder, value: amount };
        receipts.push(self.client.send_call(holder, self.address, &deposit).await.context("wrapping")?);
        Ok(receipts)
    }

    /// Unwraps `amount` of `holder`'s votes back into METIS, to `holder`.
    pub async fn unwrap(&self, holder: Address, amount: U256) -> Result<TransactionReceipt> {
        let wrapped = self.votes().balanceOf(holder).call().await?;
        if wrapped < amount {
            bail!("{holder} has {} METIS wrapped, less than the {} asked for", format_metis(wrapped), format_metis(amount));
        }
        let call = IMetisVotes::withdrawToCall { account: holder, value: amount };
        Ok(self.client.send_call(holder, self.address, &call).await.context("unwrapping")?)
    }

    /// `holder` delegates its votes to `delegatee` (itself to vote directly).
    pub async fn delegate(&self, holder: Address, delegatee: Address) -> Result<TransactionReceipt> {
        let call = IMetisVotes::delegateCall { delegatee };
        Ok(self.client.send_call(holder, self.address, &call).await.context("delegating")?)
    }

    /// The delegation `delegator` would sign, valid for `valid_for` seconds from now.
    pub async fn delegation(&self, delegator: Address, delegatee: Address, valid_for: u64) -> Result<Delegation> {
        let nonce = self.votes().nonces(delegator).call().await?;
        let (_, now) = self.client.latest_block().await?;
        let expiry = U256::from(now.saturating_add(valid_for));
        let digest = delegation_digest(delegatee, nonce, expiry, self.address, self.client.chain_id);
        Ok(Delegation { delegator, delegatee, nonce, expiry, digest, chain_id: self.client.chain_id, token: self.address })
    }

    /// Signs `delegation` with `key`, which must be the delegator's.
    pub fn sign(&self, delegation: &Delegation, key: &SigningKey) -> Result<[u8; 65]> {
        if Address::from_public_key(key.verifying_key()) != delegation.delegator {
            bail!("the key given is not {}'s: a delegation is signed by the delegator", delegation.delegator);
        }
        crate::proof::sign_digest(key, delegation.digest)
    }

    /// Submits a signed delegation from `relayer` (anyone may); returns the delegator.
    pub async fn submit_delegation(
        &self,
        relayer: Address,
        delegatee: Address,
        nonce: U256,
        expiry: U256,
        signature: &[u8],
    ) -> Result<(Address, TransactionReceipt)> {
        if signature.len() != 65 {
            bail!("a delegation signature is 65 bytes (r, s, v); this one has {}", signature.len());
        }
        let (_, now) = self.client.latest_block().await?;
        if expiry < U256::from(now) {
            bail!("the delegation expired at {} (VotesExpiredSignature): sign a new one", crate::units::format_time(expiry.saturating_to()));
        }
        let call = IMetisVotes::delegateBySigCall {
            delegatee,
            nonce,
            expiry,
            v: signature[64],
            r: B256::from_slice(&signature[..32]),
            s: B256::from_slice(&signature[32..64]),
        };
        let receipt = self.client.send_call(relayer, self.address, &call).await.context("submitting the signed delegation")?;
        let changed = crate::client::events::<IMetisVotes::DelegateChanged>(&receipt, self.address)
            .pop()
            .ok_or_else(|| anyhow!("no DelegateChanged event in the receipt"))?;
        Ok((changed.delegator, receipt))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_matches_the_typed_data_a_wallet_signs() {
        // The typed data's hashes, computed by hand from its fields.
        let (delegatee, token) = (Address::repeat_byte(0x22), Address::repeat_byte(0x33));
        let digest = delegation_digest(delegatee, U256::from(3), U256::from(99), token, 412_346);
        let domain = keccak256(
            (
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("Metis Votes"),
                keccak256("1"),
                U256::from(412_346u64),
                token,
            )
                .abi_encode(),
        );
        let message = keccak256(
            (keccak256("Delegation(address delegatee,uint256 nonce,uint256 expiry)"), delegatee, U256::from(3), U256::from(99)).abi_encode(),
        );
        let mut bytes = vec![0x19, 0x01];
        bytes.extend_from_slice(domain.as_slice());
        bytes.extend_from_slice(message.as_slice());
        assert_eq!(digest, keccak256(&bytes));
        let d = Delegation { delegator: Address::ZERO, delegatee, nonce: U256::from(3), expiry: U256::from(99), digest, chain_id: 412_346, token };
        let json = d.typed_data();
        assert_eq!(json["primaryType"], "Delegation");
        assert_eq!(json["message"]["nonce"], "3");
        assert_eq!(json["domain"]["name"], "Metis Votes");
    }
}
