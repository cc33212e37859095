//! secp256k1 signature recovery through the `ecrecover` precompile (Stylus has no hostio for
//! it). Only canonical signatures are accepted: 65 bytes `r ‖ s ‖ v`, `v` in {27, 28} (or
//! {0, 1}), and `s` in the lower half of the curve order, so a signature has exactly one form.

use alloy_primitives::{address, b256, Address, B256, U256};
use alloy_sol_types::sol;
use stylus_sdk::{call::static_call, prelude::*};

/// The `ecrecover` precompile.
pub const ECRECOVER: Address = address!("0000000000000000000000000000000000000001");

/// Half the secp256k1 group order: larger `s` values are the malleable twin of a valid one.
const HALF_ORDER: B256 = b256!("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");

sol! {
    /// The signature does not recover to an address.
    #[derive(Debug)]
    error ECDSAInvalidSignature();
    /// A signature must be 65 bytes.
    #[derive(Debug)]
    error ECDSAInvalidSignatureLength(uint256 length);
    /// `s` is in the upper half of the curve order (a malleable signature).
    #[derive(Debug)]
    error ECDSAInvalidSignatureS(bytes32 s);
}

/// Failures of [`recover`].
#[derive(SolidityError, Debug)]
pub enum Error {
    /// No address recovered, or `v` is not 27/28.
    InvalidSignature(ECDSAInvalidSignature),
    /// Wrong length.
    InvalidSignatureLength(ECDSAInvalidSignatureLength),
    /// Malleable `s`.
    InvalidSignatureS(ECDSAInvalidSignatureS),
}

/// The `ecrecover` input for a 65-byte signature, after the canonical-form checks.
pub fn precompile_input(digest: B256, signature: &[u8]) -> Result<[u8; 128], Error> {
    if signature.len() != 65 {
        return Err(Error::InvalidSignatureLength(ECDSAInvalidSignatureLength {
            length: U256::from(signature.len()),
        }));
    }
    let s = B256::from_slice(&signature[32..64]);
    if s > HALF_ORDER {
        return Err(Error::InvalidSignatureS(ECDSAInvalidSignatureS { s }));
    }
    let v = match signature[64] {
        0 | 27 => 27u8,
        1 | 28 => 28u8,
        _ => return Err(Error::InvalidSignature(ECDSAInvalidSignature {})),
    };
    let mut input = [0u8; 128];
    input[..32].copy_from_slice(digest.as_slice());
    input[63] = v;
    input[64..96].copy_from_slice(&signature[..32]);
    input[96..].copy_from_slice(s.as_slice());
    Ok(input)
}

/// The address that signed `digest` with the split signature `(v, r, s)`, as OpenZeppelin's
/// `ECDSA.recover(hash, v, r, s)`: `v` must be 27 or 28.
pub fn recover_vrs<H: Host>(host: &H, digest: B256, v: u8, r: B256, s: B256) -> Result<Address, Error> {
    if v != 27 && v != 28 {
        return Err(Error::InvalidSignature(ECDSAInvalidSignature {}));
    }
    let mut signature = [0u8; 65];
    signature[..32].copy_from_slice(r.as_slice());
    signature[32..64].copy_from_slice(s.as_slice());
    signature[64] = v;
    recover(host, digest, &signature)
}

/// The address that signed `digest`.
pub fn recover<H: Host>(host: &H, digest: B256, signature: &[u8]) -> Result<Address, Error> {
    let input = precompile_input(digest, signature)?;
    let invalid = || Error::InvalidSignature(ECDSAInvalidSignature {});
    let out = static_call(host, Call::new(), ECRECOVER, &input).map_err(|_| invalid())?;
    if out.len() != 32 || out[..12].iter().any(|b| *b != 0) {
        return Err(invalid());
    }
    let signer = Address::from_slice(&out[12..]);
    if signer.is_zero() {
        return Err(invalid());
    }
    Ok(signer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(s_first: u8, v: u8) -> [u8; 65] {
        let mut sig = [0u8; 65];
        sig[0] = 0xaa;
        sig[32] = s_first;
        sig[64] = v;
        sig
    }

    #[test]
    fn canonical_form_is_enforced() {
        let digest = B256::repeat_byte(7);
        let input = precompile_input(digest, &sig(0x11, 28)).unwrap();
        assert_eq!(&input[..32], digest.as_slice());
        assert_eq!(input[63], 28);
        assert_eq!(input[64], 0xaa);
        assert_eq!(input[96], 0x11);
        assert_eq!(precompile_input(digest, &sig(0x11, 1)).unwrap()[63], 28, "v = 1 means 28");
        assert!(matches!(
            precompile_input(digest, &sig(0x80, 27)),
            Err(Error::InvalidSignatureS(ECDSAInvalidSignatureS { s })) if s[0] == 0x80
        ));
        assert!(matches!(precompile_input(digest, &sig(0x11, 29)), Err(Error::InvalidSignature(_))));
        assert!(matches!(
            precompile_input(digest, &[0u8; 64]),
            Err(Error::InvalidSignatureLength(ECDSAInvalidSignatureLength { length })) if length == U256::from(64)
        ));
    }
}
