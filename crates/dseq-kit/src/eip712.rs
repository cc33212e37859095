//! EIP-712 typed-data hashing, so wallets can show what a signature authorizes.

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::SolValue;

/// `keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")`.
pub fn domain_typehash() -> B256 {
    keccak256(b"EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
}

/// The domain separator of a contract named `name`, version `version`, at `contract` on `chain_id`.
pub fn domain_separator(name: &str, version: &str, chain_id: u64, contract: Address) -> B256 {
    keccak256(
        (domain_typehash(), keccak256(name), keccak256(version), U256::from(chain_id), contract)
            .abi_encode(),
    )
}

/// The digest a wallet signs for a struct hash under a domain: `keccak256(0x1901 ‖ domain ‖ struct)`.
pub fn typed_data_digest(domain_separator: B256, struct_hash: B256) -> B256 {
    let mut buf = [0u8; 66];
    buf[0] = 0x19;
    buf[1] = 0x01;
    buf[2..34].copy_from_slice(domain_separator.as_slice());
    buf[34..].copy_from_slice(struct_hash.as_slice());
    keccak256(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, b256};

    #[test]
    fn domain_typehash_is_the_standard_one() {
        assert_eq!(
            domain_typehash(),
            b256!("8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f")
        );
    }

    #[test]
    fn digest_prefixes_0x1901() {
        let domain = domain_separator("dseq", "1", 31337, address!("00000000000000000000000000000000000000aa"));
        let struct_hash = B256::repeat_byte(3);
        let mut buf = vec![0x19, 0x01];
        buf.extend_from_slice(domain.as_slice());
        buf.extend_from_slice(struct_hash.as_slice());
        assert_eq!(typed_data_digest(domain, struct_hash), keccak256(&buf));
        assert_ne!(domain, domain_separator("dseq", "1", 1, address!("00000000000000000000000000000000000000aa")));
    }
}
