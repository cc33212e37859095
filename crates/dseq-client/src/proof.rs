//! The signer key's proof of possession, as locking-pool checks it (`dseq operator proof`).
//!
//! A sequencer's signer proves it holds its key by signing the EIP-712 digest of
//! `SignerProof(owner)` in the pool's domain (name, version, chain id, pool address). The
//! operator runs this with the signer key, wherever that key lives, and passes the printed
//! signature as `signerProof` to `lockFor`, `lockWithRewardRecipient` or `rotateSigner`. The
//! pool refuses Metis's 64-byte public key: a public key proves nothing about who holds the key.

use alloy::primitives::{keccak256, Address, B256};
use alloy::sol_types::SolValue;
use anyhow::{bail, Context, Result};
use dseq_abi::locking_pool::{EIP712_NAME, EIP712_VERSION, SIGNER_PROOF_TYPEHASH};
use k256::ecdsa::SigningKey;

/// A signer proof: what the signer key signed and the signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignerProof {
    /// The signer's address (what `lockFor` takes as `signer`).
    pub signer: Address,
    /// The EIP-712 digest (the pool's `signerProofDigest(owner)` returns the same).
    pub digest: B256,
    /// `r || s || v`, 65 bytes, `v` in {27, 28}, `s` in the lower half of the curve order.
    pub signature: [u8; 65],
}

/// The digest a signer key signs to serve `owner` in the pool at `pool` on `chain_id`.
pub fn signer_proof_digest(owner: Address, pool: Address, chain_id: u64) -> B256 {
    let domain = dseq_kit::eip712::domain_separator(EIP712_NAME, EIP712_VERSION, chain_id, pool);
    dseq_kit::eip712::typed_data_digest(domain, keccak256((SIGNER_PROOF_TYPEHASH, owner).abi_encode()))
}

/// Parses a 32-byte private key given in hex (with or without `0x`).
pub fn parse_key(hex_key: &str) -> Result<SigningKey> {
    let text = hex_key.trim().trim_start_matches("0x");
    let bytes: B256 = text
        .parse()
        .with_context(|| "the signer key must be 32 bytes of hex (64 hex digits, optionally 0x-prefixed)")?;
    SigningKey::from_slice(bytes.as_slice()).map_err(|_| anyhow::anyhow!("the signer key is not a valid secp256k1 private key"))
}

/// Signs the proof for `owner` with `key`.
pub fn sign_proof(key: &SigningKey, owner: Address, pool: Address, chain_id: u64) -> Result<SignerProof> {
    if owner.is_zero() || pool.is_zero() {
        bail!("owner and pool must be non-zero addresses");
    }
    let digest = signer_proof_digest(owner, pool, chain_id);
    let signature = sign_digest(key, digest)?;
    let signer = Address::from_public_key(key.verifying_key());
    Ok(SignerProof { signer, digest, signature })
}

/// The request a wallet's `eth_signTypedData_v4` takes for a `primary` struct with `fields`
/// (name, type) in the domain (`name`, version "1", `chain_id`, `contract`), as JSON.
pub fn typed_data_request(
    primary: &str,
    fields: &[(&str, &str)],
    name: &str,
    chain_id: u64,
    contract: Address,
    message: serde_json::Value,
) -> serde_json::Value {
    let fields: Vec<serde_json::Value> = fields.iter().map(|(n, t)| serde_json::json!({ "name": n, "type": t })).collect();
    serde_json::json!({
        "types": {
            "EIP712Domain": [
                { "name": "name", "type": "string" },
                { "name": "version", "type": "string" },
                { "name": "chainId", "type": "uint256" },
                { "name": "verifyingContract", "type": "address" }
            ],
            primary: fields
        },
        "primaryType": primary,
        "domain": { "name": name, "version": "1", "chainId": chain_id, "verifyingContract": contract },
        "message": message
    })
}

/// A canonical signature of `digest` as the contracts accept it: `r || s || v`, `s` in the
/// lower half of the curve order, `v` in {27, 28}.
pub fn sign_digest(key: &SigningKey, digest: B256) -> Result<[u8; 65]> {
    let (signature, recovery) = key.sign_prehash_recoverable(digest.as_slice()).context("signing failed")?;
    let (signature, recovery) = match signature.normalize_s() {
        Some(low) => (low, k256::ecdsa::RecoveryId::new(!recovery.is_y_odd(), recovery.is_x_reduced())),
        None => (signature, recovery),
    };
    let mut out = [0u8; 65];
    out[..64].copy_from_slice(&signature.to_bytes());
    out[64] = 27 + recovery.to_byte();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proof_recovers_to_the_signer_for_that_digest() {
        let key = parse_key("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d").unwrap();
        let (owner, pool) = (Address::repeat_byte(0x11), Address::repeat_byte(0x22));
        let proof = sign_proof(&key, owner, pool, 412_346).unwrap();
        assert_eq!(proof.signer, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8".parse::<Address>().unwrap());
        let sig = alloy::primitives::Signature::from_raw(&proof.signature).unwrap();
        assert_eq!(sig.recover_address_from_prehash(&proof.digest).unwrap(), proof.signer);
        // Low s, as the pool requires (malleable high-s twins are refused).
        let half = alloy::primitives::U256::from_be_slice(&[0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0]);
        assert!(alloy::primitives::U256::from_be_slice(&proof.signature[32..64]) <= half);
        // Bound to the owner, the pool and the chain.
        assert_ne!(signer_proof_digest(Address::repeat_byte(0x12), pool, 412_346), proof.digest);
        assert_ne!(signer_proof_digest(owner, Address::repeat_byte(0x23), 412_346), proof.digest);
        assert_ne!(signer_proof_digest(owner, pool, 1), proof.digest);
    }

    #[test]
    fn bad_keys_are_explained() {
        assert!(parse_key("0x1234").unwrap_err().to_string().contains("64 hex digits"));
        assert!(parse_key(&"00".repeat(32)).unwrap_err().to_string().contains("not a valid secp256k1"));
    }
}
