//! Test keys: deterministic secp256k1 keys that sign digests and expose their 64-byte public
//! key, plus the `ecrecover` precompile the world answers at address 0x01.

use alloy_primitives::{address, keccak256, Address, B256};
use k256::ecdsa::{RecoveryId, Signature, SigningKey, VerifyingKey};

/// Address of the `ecrecover` precompile.
pub const ECRECOVER: Address = address!("0000000000000000000000000000000000000001");

/// A secp256k1 key pair for tests.
#[derive(Clone)]
pub struct Key(SigningKey);

impl Key {
    /// A deterministic key derived from `seed` (any seed gives a valid key).
    pub fn from_seed(seed: u64) -> Self {
        let mut counter = 0u64;
        loop {
            let bytes = keccak256([seed.to_be_bytes(), counter.to_be_bytes()].concat());
            if let Ok(key) = SigningKey::from_slice(bytes.as_slice()) {
                return Self(key);
            }
            counter += 1;
        }
    }

    /// The uncompressed public key without its `0x04` prefix (64 bytes).
    pub fn pubkey(&self) -> [u8; 64] {
        let point = self.0.verifying_key().to_encoded_point(false);
        point.as_bytes()[1..].try_into().expect("uncompressed points are 65 bytes")
    }

    /// The Ethereum address of this key: the last 20 bytes of `keccak256(pubkey)`.
    pub fn address(&self) -> Address {
        Address::from_slice(&keccak256(self.pubkey())[12..])
    }

    /// A canonical (low-s) 65-byte signature `r ‖ s ‖ v` of `digest`, with `v` in {27, 28}.
    pub fn sign(&self, digest: B256) -> [u8; 65] {
        let (signature, recovery) = self
            .0
            .sign_prehash_recoverable(digest.as_slice())
            .expect("signing a 32-byte digest cannot fail");
        let mut out = [0u8; 65];
        out[..64].copy_from_slice(&signature.to_bytes());
        out[64] = 27 + recovery.to_byte();
        out
    }
}

/// The `ecrecover` precompile: `(digest, v, r, s)` to a left-padded address, or nothing.
pub(crate) fn ecrecover(input: &[u8]) -> Vec<u8> {
    let mut padded = [0u8; 128];
    let len = input.len().min(128);
    padded[..len].copy_from_slice(&input[..len]);
    let v = padded[63];
    if padded[32..63].iter().any(|b| *b != 0) || !(v == 27 || v == 28) {
        return Vec::new();
    }
    let Ok(signature) = Signature::from_slice(&padded[64..128]) else { return Vec::new() };
    let Some(recovery) = RecoveryId::from_byte(v - 27) else { return Vec::new() };
    let Ok(key) = VerifyingKey::recover_from_prehash(&padded[..32], &signature, recovery) else {
        return Vec::new();
    };
    let point = key.to_encoded_point(false);
    let hash = keccak256(&point.as_bytes()[1..]);
    let mut out = vec![0u8; 32];
    out[12..].copy_from_slice(&hash[12..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_recover_to_the_signer() {
        let key = Key::from_seed(1);
        let digest = B256::repeat_byte(9);
        let sig = key.sign(digest);
        let mut input = vec![0u8; 128];
        input[..32].copy_from_slice(digest.as_slice());
        input[63] = sig[64];
        input[64..].copy_from_slice(&sig[..64]);
        let out = ecrecover(&input);
        assert_eq!(Address::from_slice(&out[12..]), key.address());
        assert_ne!(Key::from_seed(2).address(), key.address());
        input[63] = 29;
        assert!(ecrecover(&input).is_empty(), "v must be 27 or 28");
    }
}
