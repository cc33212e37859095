//! governor: its interface and the constants a wallet or a front-end needs (the EIP-712 domain,
//! the ballot type hashes, the proposal states and the ERC-165 interface ids).

use alloy_primitives::B256;

use crate::metis_votes::typehash;

// `ProposalCreated` has nine fields, and so its generated constructor nine arguments.
#[allow(clippy::too_many_arguments)]
mod generated {
    alloy_sol_types::sol!(
        #[sol(all_derives)]
        "../../contracts/interfaces/IGovernor.sol"
    );
}
pub use generated::*;

/// `name()`, also the EIP-712 domain name of vote signatures.
pub const NAME: &str = "dseq Governor";
/// `version()`, also the EIP-712 domain version.
pub const VERSION: &str = "1";
/// GovernorCountingSimple's `COUNTING_MODE()`.
pub const COUNTING_MODE: &str = "support=bravo&quorum=for,abstain";
/// ERC-6372 clock mode: timepoints are block timestamps.
pub const CLOCK_MODE: &str = "mode=timestamp";
/// `quorumDenominator()`: the quorum numerator is a percentage.
pub const QUORUM_DENOMINATOR: u64 = 100;

/// `keccak256("Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce)")`.
pub const BALLOT_TYPEHASH: B256 = typehash(b"Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce)");
/// `keccak256("ExtendedBallot(uint256 proposalId,uint8 support,address voter,uint256 nonce,string reason,bytes params)")`.
pub const EXTENDED_BALLOT_TYPEHASH: B256 = typehash(
    b"ExtendedBallot(uint256 proposalId,uint8 support,address voter,uint256 nonce,string reason,bytes params)",
);

/// `ProposalState` (an enum in OpenZeppelin's interface, a `uint8` on the wire).
pub mod state {
    pub const PENDING: u8 = 0;
    pub const ACTIVE: u8 = 1;
    pub const CANCELED: u8 = 2;
    pub const DEFEATED: u8 = 3;
    pub const SUCCEEDED: u8 = 4;
    pub const QUEUED: u8 = 5;
    /// Never reached: proposals do not expire.
    pub const EXPIRED: u8 = 6;
    pub const EXECUTED: u8 = 7;
}

/// Vote kinds (`support`), GovernorBravo's.
pub mod support {
    pub const AGAINST: u8 = 0;
    pub const FOR: u8 = 1;
    pub const ABSTAIN: u8 = 2;
}

pub use crate::state_bitmap;

/// The first four bytes of `keccak256(signature)`.
const fn selector(signature: &[u8]) -> [u8; 4] {
    let hash = keccak_const::Keccak256::new().update(signature).finalize();
    [hash[0], hash[1], hash[2], hash[3]]
}

/// The XOR of the selectors of `signatures` (Solidity's `type(I).interfaceId`).
const fn interface_id(signatures: &[&[u8]]) -> [u8; 4] {
    let mut id = [0u8; 4];
    let mut i = 0;
    while i < signatures.len() {
        let s = selector(signatures[i]);
        id[0] ^= s[0];
        id[1] ^= s[1];
        id[2] ^= s[2];
        id[3] ^= s[3];
        i += 1;
    }
    id
}

/// The functions OpenZeppelin v5.0's `IGovernor` declares (inherited ones excluded, as
/// Solidity's `type(IGovernor).interfaceId` excludes them).
pub const IGOVERNOR_FUNCTIONS: [&[u8]; 26] = [
    b"name()",
    b"version()",
    b"COUNTING_MODE()",
    b"hashProposal(address[],uint256[],bytes[],bytes32)",
    b"state(uint256)",
    b"proposalThreshold()",
    b"proposalSnapshot(uint256)",
    b"proposalDeadline(uint256)",
    b"proposalProposer(uint256)",
    b"proposalEta(uint256)",
    b"proposalNeedsQueuing(uint256)",
    b"votingDelay()",
    b"votingPeriod()",
    b"quorum(uint256)",
    b"getVotes(address,uint256)",
    b"getVotesWithParams(address,uint256,bytes)",
    b"hasVoted(uint256,address)",
    b"propose(address[],uint256[],bytes[],string)",
    b"queue(address[],uint256[],bytes[],bytes32)",
    b"execute(address[],uint256[],bytes[],bytes32)",
    b"cancel(address[],uint256[],bytes[],bytes32)",
    b"castVote(uint256,uint8)",
    b"castVoteWithReason(uint256,uint8,string)",
    b"castVoteWithReasonAndParams(uint256,uint8,string,bytes)",
    b"castVoteBySig(uint256,uint8,address,bytes)",
    b"castVoteWithReasonAndParamsBySig(uint256,uint8,address,string,bytes,bytes)",
];

/// `type(IGovernor).interfaceId` of OpenZeppelin v5.0 to v5.2.
pub const IGOVERNOR_INTERFACE_ID: [u8; 4] = interface_id(&IGOVERNOR_FUNCTIONS);
/// `type(IGovernor).interfaceId` of OpenZeppelin v5.3 on, whose `IGovernor` adds
/// `getProposalId(address[],uint256[],bytes[],bytes32)`. OpenZeppelin's governor answers both.
pub const IGOVERNOR_INTERFACE_ID_V5_3: [u8; 4] = {
    let base = IGOVERNOR_INTERFACE_ID;
    let extra = selector(b"getProposalId(address[],uint256[],bytes[],bytes32)");
    [base[0] ^ extra[0], base[1] ^ extra[1], base[2] ^ extra[2], base[3] ^ extra[3]]
};
/// `type(IERC1155Receiver).interfaceId`.
pub const IERC1155_RECEIVER_INTERFACE_ID: [u8; 4] = interface_id(&[
    b"onERC1155Received(address,address,uint256,uint256,bytes)",
    b"onERC1155BatchReceived(address,address,uint256[],uint256[],bytes)",
]);
/// `type(IERC165).interfaceId`.
pub const IERC165_INTERFACE_ID: [u8; 4] = interface_id(&[b"supportsInterface(bytes4)"]);
/// ERC-1271's `isValidSignature(bytes32,bytes)` selector, the answer of a valid contract signature.
pub const ERC1271_MAGIC_VALUE: [u8; 4] = selector(b"isValidSignature(bytes32,bytes)");

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{b256, keccak256};
    use alloy_sol_types::SolCall;

    #[test]
    fn ballot_typehashes_are_openzeppelins() {
        assert_eq!(BALLOT_TYPEHASH, keccak256("Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce)"));
        // The constant in deployed OpenZeppelin v5 governors' bytecode.
        assert_eq!(BALLOT_TYPEHASH, b256!("f2aad550cf55f045cb27e9c559f9889fdfb6e6cdaa032301d6ea397784ae51d7"));
        assert_eq!(
            EXTENDED_BALLOT_TYPEHASH,
            keccak256("ExtendedBallot(uint256 proposalId,uint8 support,address voter,uint256 nonce,string reason,bytes params)")
        );
    }

    #[test]
    fn interface_ids_are_the_xor_of_the_selectors() {
        use IGovernor::*;
        // The same XOR, from the selectors of the generated calls (the interface file's).
        let selectors = [
            nameCall::SELECTOR,
            versionCall::SELECTOR,
            COUNTING_MODECall::SELECTOR,
            hashProposalCall::SELECTOR,
            stateCall::SELECTOR,
            proposalThresholdCall::SELECTOR,
            proposalSnapshotCall::SELECTOR,
            proposalDeadlineCall::SELECTOR,
            proposalProposerCall::SELECTOR,
            proposalEtaCall::SELECTOR,
            proposalNeedsQueuingCall::SELECTOR,
            votingDelayCall::SELECTOR,
            votingPeriodCall::SELECTOR,
            quorumCall::SELECTOR,
            getVotesCall::SELECTOR,
            getVotesWithParamsCall::SELECTOR,
            hasVotedCall::SELECTOR,
            proposeCall::SELECTOR,
            queueCall::SELECTOR,
            executeCall::SELECTOR,
            cancelCall::SELECTOR,
            castVoteCall::SELECTOR,
            castVoteWithReasonCall::SELECTOR,
            castVoteWithReasonAndParamsCall::SELECTOR,
            castVoteBySigCall::SELECTOR,
            castVoteWithReasonAndParamsBySigCall::SELECTOR,
        ];
        let xor = selectors.iter().fold([0u8; 4], |acc, s| [acc[0] ^ s[0], acc[1] ^ s[1], acc[2] ^ s[2], acc[3] ^ s[3]]);
        assert_eq!(xor, IGOVERNOR_INTERFACE_ID);
        let with = getProposalIdCall::SELECTOR;
        assert_eq!([xor[0] ^ with[0], xor[1] ^ with[1], xor[2] ^ with[2], xor[3] ^ with[3]], IGOVERNOR_INTERFACE_ID_V5_3);
        // Published values: ERC-165, IERC1155Receiver (EIP-1155), ERC-1271's magic value.
        assert_eq!(IERC165_INTERFACE_ID, [0x01, 0xff, 0xc9, 0xa7]);
        assert_eq!(IERC1155_RECEIVER_INTERFACE_ID, [0x4e, 0x23, 0x12, 0xe0]);
        assert_eq!(ERC1271_MAGIC_VALUE, [0x16, 0x26, 0xba, 0x7e]);
        // OpenZeppelin v5's published IGovernor id (as in deployed governors' supportsInterface).
        assert_eq!(IGOVERNOR_INTERFACE_ID, [0x65, 0x45, 0x5a, 0x86]);
    }

    #[test]
    fn state_bitmaps_match_openzeppelin() {
        assert_eq!(state_bitmap(&[]), B256::ZERO);
        assert_eq!(state_bitmap(&[state::ACTIVE]), B256::with_last_byte(0x02));
        assert_eq!(state_bitmap(&[state::SUCCEEDED]), B256::with_last_byte(0x10));
        assert_eq!(state_bitmap(&[state::QUEUED]), B256::with_last_byte(0x20));
        // Every state but Canceled, Expired and Executed (OpenZeppelin's `_cancel`).
        assert_eq!(state_bitmap(&[0, 1, 3, 4, 5]), B256::with_last_byte(0x3b));
    }
}
