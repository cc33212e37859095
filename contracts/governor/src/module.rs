//! Program 1 of the governor, `governor-module`: the proposal steps after the vote (queue,
//! execute, cancel), votes by signature with the EIP-712 views, proposal ids, and the settings
//! that only governance (the timelock) changes. The entry program forwards these selectors to
//! it by `delegatecall`, so it runs on the governor's storage and balance with the caller's
//! `msg.sender`. Called directly it only sees its own empty storage, where no proposal exists
//! and no timelock is set.

use alloc::{string::String, vec::Vec};

use alloy_primitives::{aliases::U48, Address, B256, U256};
use dseq_abi::governor::{IGovernor::*, BALLOT_TYPEHASH, EXTENDED_BALLOT_TYPEHASH, NAME, VERSION};
use dseq_program::abi::{push_u128, push_word, Words};
use stylus_sdk::{call::call, prelude::*};

use crate::{logic::Actions, Error, Governor, Revert};

#[dseq_program::public(program = 1, reentry = "may_reenter")]
impl Governor {
    /// Disables initialization of the module's own storage (it is only used through the entry).
    #[constructor]
    pub fn module_constructor(&mut self) {
        self.initializable.disable();
    }

    // ------------------------------------------------------------------------ after the vote

    pub fn queue(
        &mut self,
        targets: Vec<Address>,
        values: Vec<U256>,
        calldatas: Vec<Vec<u8>>,
        description_hash: B256,
    ) -> Result<U256, Revert> {
        Governor::queue_actions(self, &Actions::new(&targets, &values, &calldatas), description_hash)
    }

    #[payable]
    pub fn execute(
        &mut self,
        targets: Vec<Address>,
        values: Vec<U256>,
        calldatas: Vec<Vec<u8>>,
        description_hash: B256,
    ) -> Result<U256, Revert> {
        Governor::execute_actions(self, &Actions::new(&targets, &values, &calldatas), description_hash)
    }

    pub fn cancel(
        &mut self,
        targets: Vec<Address>,
        values: Vec<U256>,
        calldatas: Vec<Vec<u8>>,
        description_hash: B256,
    ) -> Result<U256, Revert> {
        Governor::cancel_actions(self, &Actions::new(&targets, &values, &calldatas), description_hash)
    }

    // ------------------------------------------------------------------------ votes by signature

    pub fn cast_vote_by_sig(&mut self, proposal_id: U256, support: u8, voter: Address, signature: Vec<u8>) -> Result<U256, Revert> {
        Governor::cast_signed(self, proposal_id, support, voter, None, &signature)
    }

    pub fn cast_vote_with_reason_and_params_by_sig(
        &mut self,
        proposal_id: U256,
        support: u8,
        voter: Address,
        reason: String,
        params: Vec<u8>,
        signature: Vec<u8>,
    ) -> Result<U256, Revert> {
        Governor::cast_signed(self, proposal_id, support, voter, Some((&reason, &params)), &signature)
    }

    // ------------------------------------------------------------------------ proposal ids, EIP-712

    pub fn hash_proposal(targets: Vec<Address>, values: Vec<U256>, calldatas: Vec<Vec<u8>>, description_hash: B256) -> U256 {
        Actions::new(&targets, &values, &calldatas).proposal_id(description_hash)
    }

    pub fn get_proposal_id(
        &self,
        targets: Vec<Address>,
        values: Vec<U256>,
        calldatas: Vec<Vec<u8>>,
        description_hash: B256,
    ) -> U256 {
        Actions::new(&targets, &values, &calldatas).proposal_id(description_hash)
    }

    pub fn nonces(&self, owner: Address) -> U256 {
        self.nonces.nonce(owner)
    }

    #[selector(name = "BALLOT_TYPEHASH")]
    pub fn ballot_typehash(&self) -> B256 {
        BALLOT_TYPEHASH
    }

    #[selector(name = "EXTENDED_BALLOT_TYPEHASH")]
    pub fn extended_ballot_typehash(&self) -> B256 {
        EXTENDED_BALLOT_TYPEHASH
    }

    #[returns("bytes1,string,string,uint256,address,bytes32,uint256[]")]
    pub fn eip712_domain(&self) -> Eip712Domain {
        Eip712Domain { chain_id: self.vm().chain_id(), contract: self.vm().contract_address() }
    }

    // ------------------------------------------------------------------------ governance only

    pub fn set_voting_delay(&mut self, new_voting_delay: U48) -> Result<(), Error> {
        self.only_governance()?;
        Governor::apply_voting_delay(self, new_voting_delay);
        Ok(())
    }

    pub fn set_voting_period(&mut self, new_voting_period: u32) -> Result<(), Error> {
        self.only_governance()?;
        Governor::apply_voting_period(self, new_voting_period)
    }

    pub fn set_proposal_threshold(&mut self, new_proposal_threshold: U256) -> Result<(), Error> {
        self.only_governance()?;
        Governor::apply_proposal_threshold(self, new_proposal_threshold);
        Ok(())
    }

    pub fn set_late_quorum_vote_extension(&mut self, new_vote_extension: U48) -> Result<(), Error> {
        self.only_governance()?;
        Governor::apply_late_quorum_vote_extension(self, new_vote_extension)
    }

    pub fn update_quorum_numerator(&mut self, new_quorum_numerator: U256) -> Result<(), Error> {
        self.only_governance()?;
        self.set_quorum_numerator(new_quorum_numerator)
    }

    /// Queued proposals stay on the old timelock (OpenZeppelin's caution applies: change it
    /// when none is queued).
    pub fn update_timelock(&mut self, new_timelock: Address) -> Result<(), Error> {
        self.only_governance()?;
        self.set_timelock(new_timelock);
        Ok(())
    }

    /// Calls `target` from the governor (`Governor.relay`): a failing call's revert data passes
    /// through, or `FailedCall()` when it has none.
    #[payable]
    pub fn relay(&mut self, target: Address, value: U256, data: Vec<u8>) -> Result<(), Revert> {
        self.only_governance()?;
        let ctx = Call::new_payable(self, value);
        match call(self.vm(), ctx, target, &data) {
            Ok(_) => Ok(()),
            Err(e) => {
                let reason = Vec::<u8>::from(e);
                if reason.is_empty() {
                    return Err(Error::FailedCall(FailedCall {}).into());
                }
                Err(reason)
            }
        }
    }

    // ------------------------------------------------------------------------ token receivers

    /// Deposits are refused: the governor's executor is the timelock, which holds the assets.
    #[selector(name = "onERC721Received")]
    #[returns("bytes4")]
    pub fn on_erc721_received(&mut self, _operator: Address, _from: Address, _token_id: U256, _data: Vec<u8>) -> Result<(), Error> {
        Err(disabled_deposit())
    }

    #[selector(name = "onERC1155Received")]
    #[returns("bytes4")]
    pub fn on_erc1155_received(
        &mut self,
        _operator: Address,
        _from: Address,
        _id: U256,
        _value: U256,
        _data: Vec<u8>,
    ) -> Result<(), Error> {
        Err(disabled_deposit())
    }

    #[selector(name = "onERC1155BatchReceived")]
    #[returns("bytes4")]
    pub fn on_erc1155_batch_received(
        &mut self,
        _operator: Address,
        _from: Address,
        _ids: Vec<U256>,
        _values: Vec<U256>,
        _data: Vec<u8>,
    ) -> Result<(), Error> {
        Err(disabled_deposit())
    }
}

fn disabled_deposit() -> Error {
    Error::GovernorDisabledDeposit(GovernorDisabledDeposit {})
}

/// The ERC-5267 answer: name, version, chain id and contract are set (`0x0f`), no salt or
/// extensions.
pub struct Eip712Domain {
    chain_id: u64,
    contract: Address,
}

// The name and the version each fit one word.
const _: () = assert!(NAME.len() <= 32 && VERSION.len() <= 32);

impl Words for Eip712Domain {
    fn write(&self, out: &mut Vec<u8>) {
        let mut fields = [0u8; 32];
        fields[0] = 0x0f;
        push_word(out, &fields);
        // Heads: the two strings' offsets, chain id, contract, salt, the extensions' offset;
        // "dseq Governor" and "1" each fit one word after their length.
        push_u128(out, 7 * 32);
        push_u128(out, 9 * 32);
        push_u128(out, u128::from(self.chain_id));
        push_word(out, &self.contract.into_word().0);
        push_word(out, &[0u8; 32]);
        push_u128(out, 11 * 32);
        for text in [NAME, VERSION] {
            push_u128(out, text.len() as u128);
            let mut word = [0u8; 32];
            word[..text.len()].copy_from_slice(text.as_bytes());
            push_word(out, &word);
        }
        push_u128(out, 0);
    }
}
