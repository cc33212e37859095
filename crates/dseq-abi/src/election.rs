//! sequencer-election: its interface, the phase and status codes, and what a wallet needs to
//! sign for it.

use alloy_primitives::B256;

use crate::metis_votes::typehash;

alloy_sol_types::sol!(
    #[sol(all_derives)]
    "../../contracts/interfaces/ISequencerElection.sol"
);

/// EIP-712 domain name of candidacy proofs and ballots.
pub const EIP712_NAME: &str = "dseq SequencerElection";
/// EIP-712 domain version.
pub const EIP712_VERSION: &str = "1";
/// `keccak256("Candidacy(uint256 roundId,address operator)")`: a node key's proof that it serves
/// `operator` in round `roundId` of this election.
pub const CANDIDACY_TYPEHASH: B256 = typehash(b"Candidacy(uint256 roundId,address operator)");
/// `keccak256("Ballot(uint256 roundId,address candidate,uint8 support,address voter,uint256 nonce)")`.
pub const BALLOT_TYPEHASH: B256 =
    typehash(b"Ballot(uint256 roundId,address candidate,uint8 support,address voter,uint256 nonce)");

/// The most candidates a round may have, whatever the rules: finalization reads each one.
pub const MAX_CANDIDATES: u16 = 32;
/// The longest metadata URI a candidate may give, in bytes.
pub const MAX_METADATA_BYTES: usize = 256;
/// Basis points in one.
pub const BPS: u64 = 10_000;

/// A round's phase (`phase(roundId)`).
pub mod phase {
    pub const NONE: u8 = 0;
    pub const APPLICATIONS: u8 = 1;
    pub const VOTING: u8 = 2;
    pub const VETTING: u8 = 3;
    pub const ENDED: u8 = 4;
    pub const FINALIZED: u8 = 5;
    pub const CANCELED: u8 = 6;

    /// The phase's name, as `dseq election status` prints it.
    pub fn name(phase: u8) -> &'static str {
        match phase {
            APPLICATIONS => "applications",
            VOTING => "voting",
            VETTING => "vetting",
            ENDED => "ended (to finalize)",
            FINALIZED => "finalized",
            CANCELED => "canceled",
            _ => "none",
        }
    }
}

/// A candidate's status (`candidate(roundId, operator).status`).
pub mod status {
    pub const NONE: u8 = 0;
    pub const APPLIED: u8 = 1;
    pub const VETOED: u8 = 2;
    pub const ADMITTED: u8 = 3;
    /// Finalized without reaching the quorum, the voter minimum or the approval ratio.
    pub const NOT_QUALIFIED: u8 = 4;
    /// Qualified, but others had more votes for and took every seat.
    pub const OUTRANKED: u8 = 5;

    pub fn name(status: u8) -> &'static str {
        match status {
            APPLIED => "applied",
            VETOED => "vetoed",
            ADMITTED => "admitted",
            NOT_QUALIFIED => "not qualified",
            OUTRANKED => "outranked",
            _ => "none",
        }
    }
}

/// Metis's criteria for a sequencer (ceg.vote, the Snapshot era): the election's defaults.
pub mod defaults {
    /// 50,000 METIS of votes for + abstain.
    pub const QUORUM_METIS: u64 = 50_000;
    pub const MIN_VOTERS: u32 = 500;
    pub const APPROVAL_BPS: u16 = 8_000;
    /// The 5-day Snapshot window.
    pub const VOTING_PERIOD: u64 = 5 * 24 * 3600;
    pub const APPLICATION_PERIOD: u64 = 7 * 24 * 3600;
    pub const VETTING_PERIOD: u64 = 2 * 24 * 3600;
    /// A round a quarter (13 weeks).
    pub const CADENCE: u64 = 91 * 24 * 3600;
    pub const SEATS: u16 = 3;
    pub const MAX_CANDIDATES: u16 = 16;
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::keccak256;

    #[test]
    fn typehashes_are_the_keccak_of_their_types() {
        assert_eq!(CANDIDACY_TYPEHASH, keccak256("Candidacy(uint256 roundId,address operator)"));
        assert_eq!(
            BALLOT_TYPEHASH,
            keccak256("Ballot(uint256 roundId,address candidate,uint8 support,address voter,uint256 nonce)")
        );
    }

    #[test]
    fn defaults_fit_their_own_rules() {
        use defaults::*;
        assert!(APPLICATION_PERIOD + VOTING_PERIOD + VETTING_PERIOD <= CADENCE);
        assert!(SEATS <= defaults::MAX_CANDIDATES && defaults::MAX_CANDIDATES <= super::MAX_CANDIDATES);
    }
}
