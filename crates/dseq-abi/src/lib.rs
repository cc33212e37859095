//! The dseq contracts' ABI for contracts and clients alike.
//!
//! The Solidity interfaces in `contracts/interfaces/` are the single source of every event and
//! error: contracts emit and return the types generated here, clients decode with them, and a
//! test checks each interface's functions against the contract's `export-abi`. The crate is
//! `no_std` so Stylus contracts can depend on it.
#![no_std]

pub mod election;
pub mod governor;
pub mod locking_pool;
pub mod lst;
pub mod metis_votes;
pub mod rewards;
pub mod timelock;

/// The `expectedStates` word of OpenZeppelin's `GovernorUnexpectedProposalState` and
/// `TimelockUnexpectedOperationState` for `states` (`_encodeStateBitmap`, or-ed): bit
/// `1 << state` for each.
pub const fn state_bitmap(states: &[u8]) -> alloy_primitives::B256 {
    let mut word = [0u8; 32];
    let mut i = 0;
    while i < states.len() {
        word[31] |= 1 << states[i];
        i += 1;
    }
    alloy_primitives::B256::new(word)
}
