//! timelock: its interface, the role ids and the operation states.

use alloy_primitives::B256;

use crate::metis_votes::typehash;

alloy_sol_types::sol!(
    #[sol(all_derives)]
    "../../contracts/interfaces/ITimelock.sol"
);

/// `keccak256("PROPOSER_ROLE")`: schedules operations (OpenZeppelin `TimelockController`).
pub const PROPOSER_ROLE: B256 = typehash(b"PROPOSER_ROLE");
/// `keccak256("EXECUTOR_ROLE")`: executes ready operations; held by `address(0)`, anyone may.
pub const EXECUTOR_ROLE: B256 = typehash(b"EXECUTOR_ROLE");
/// `keccak256("CANCELLER_ROLE")`: cancels pending operations.
pub const CANCELLER_ROLE: B256 = typehash(b"CANCELLER_ROLE");

/// `getOperationState`: never scheduled, or cancelled.
pub const UNSET: u8 = 0;
/// `getOperationState`: scheduled, not yet due.
pub const WAITING: u8 = 1;
/// `getOperationState`: due, not yet executed.
pub const READY: u8 = 2;
/// `getOperationState`: executed.
pub const DONE: u8 = 3;

pub use crate::state_bitmap;

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{b256, keccak256};

    #[test]
    fn roles_are_the_keccak_of_their_names() {
        assert_eq!(PROPOSER_ROLE, keccak256("PROPOSER_ROLE"));
        assert_eq!(EXECUTOR_ROLE, keccak256("EXECUTOR_ROLE"));
        assert_eq!(CANCELLER_ROLE, keccak256("CANCELLER_ROLE"));
        // OpenZeppelin's published values.
        assert_eq!(PROPOSER_ROLE, b256!("b09aa5aeb3702cfd50b6b62bc4532604938f21248a27a1d5ca736082b6819cc1"));
        assert_eq!(EXECUTOR_ROLE, b256!("d8aa0f3194971a2a116679f7c2090f6939c8d4e01a2a8d7e41d55e5351469e63"));
        assert_eq!(CANCELLER_ROLE, b256!("fd643c72710c63c0180259aba6b2d05451e3591a24e58b62239378085726f783"));
    }

    #[test]
    fn state_bitmaps_match_openzeppelin() {
        assert_eq!(state_bitmap(&[UNSET]), B256::with_last_byte(0x01));
        assert_eq!(state_bitmap(&[READY]), B256::with_last_byte(0x04));
        assert_eq!(state_bitmap(&[WAITING, READY]), B256::with_last_byte(0x06));
        assert_eq!(state_bitmap(&[DONE]), B256::with_last_byte(0x08));
    }

    #[test]
    fn selectors_are_openzeppelin_s() {
        use alloy_sol_types::{SolCall, SolError};
        assert_eq!(ITimelock::scheduleCall::SELECTOR, [0x01, 0xd5, 0x06, 0x2a]);
        assert_eq!(ITimelock::scheduleBatchCall::SELECTOR, [0x8f, 0x2a, 0x0b, 0xb0]);
        assert_eq!(ITimelock::executeCall::SELECTOR, [0x13, 0x40, 0x08, 0xd3]);
        assert_eq!(ITimelock::executeBatchCall::SELECTOR, [0xe3, 0x83, 0x35, 0xe5]);
        assert_eq!(ITimelock::cancelCall::SELECTOR, [0xc4, 0xd2, 0x52, 0xf5]);
        assert_eq!(ITimelock::updateDelayCall::SELECTOR, [0x64, 0xd6, 0x23, 0x53]);
        assert_eq!(ITimelock::hashOperationCall::SELECTOR, [0x80, 0x65, 0x65, 0x7f]);
        assert_eq!(ITimelock::hashOperationBatchCall::SELECTOR, [0xb1, 0xc5, 0xf4, 0x27]);
        assert_eq!(ITimelock::getMinDelayCall::SELECTOR, [0xf2, 0x7a, 0x0c, 0x92]);
        assert_eq!(ITimelock::TimelockUnexpectedOperationState::SELECTOR, [0x5e, 0xad, 0x8e, 0xb5]);
        assert_eq!(ITimelock::FailedCall::SELECTOR, [0xd6, 0xbd, 0xa2, 0x75]);
    }
}
