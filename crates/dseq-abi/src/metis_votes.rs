//! metis-votes: its interface and the constants a wallet needs to sign for it.

use alloy_primitives::B256;

alloy_sol_types::sol!(
    #[sol(all_derives)]
    "../../contracts/interfaces/IMetisVotes.sol"
);

/// ERC-20 name, also the EIP-712 domain name of permits and delegations.
pub const NAME: &str = "Metis Votes";
/// ERC-20 symbol.
pub const SYMBOL: &str = "vMETIS";
/// EIP-712 domain version.
pub const EIP712_VERSION: &str = "1";
/// ERC-6372 clock mode: timepoints are block timestamps.
pub const CLOCK_MODE: &str = "mode=timestamp";

/// `keccak256("Delegation(address delegatee,uint256 nonce,uint256 expiry)")` (OpenZeppelin `Votes`).
pub const DELEGATION_TYPEHASH: B256 = typehash(b"Delegation(address delegatee,uint256 nonce,uint256 expiry)");
/// `keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")` (EIP-2612).
pub const PERMIT_TYPEHASH: B256 =
    typehash(b"Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

/// `keccak256(text)` at compile time.
pub const fn typehash(text: &[u8]) -> B256 {
    B256::new(keccak_const::Keccak256::new().update(text).finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{b256, keccak256};

    #[test]
    fn typehashes_are_the_standard_ones() {
        assert_eq!(DELEGATION_TYPEHASH, b256!("e48329057bfd03d55e49b547132e39cffd9c1820ad7b9d4c5307691425d15adf"));
        assert_eq!(PERMIT_TYPEHASH, b256!("6e71edae12b1b97f4d1f60370fef10105fa2faae0126114a169c64845d6126c9"));
        assert_eq!(typehash(b"x"), keccak256("x"));
    }
}
