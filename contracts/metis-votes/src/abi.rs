//! The public ABI (`IMetisVotes.sol`): a thin shell over [`crate::ledger`]. One program.

use alloc::{string::String, vec::Vec};

use alloy_primitives::{aliases::U48, Address, B256, U256};
use dseq_abi::metis_votes::{IMetisVotes::*, CLOCK_MODE, EIP712_VERSION, NAME, SYMBOL};
use dseq_kit::{store, token};
use dseq_program::abi::{push_u128, push_word, Words};
use stylus_sdk::prelude::*;

use crate::{invalid_receiver, invalid_sender, Error, MetisVotes, DECIMALS};

#[dseq_program::public(program = 0, programs = 1)]
impl MetisVotes {
    /// Runs once, on the implementation: nobody may initialize the bare implementation.
    #[constructor]
    pub fn constructor(&mut self) {
        self.initializable.disable();
    }

    /// Sets up a proxy: `underlying` is METIS, `stake_source` the locking-pool proxy.
    pub fn initialize(&mut self, underlying: Address, stake_source: Address) -> Result<(), Error> {
        self.initializable.initialize()?;
        if underlying.is_zero() || underlying == self.vm().contract_address() {
            return Err(Error::ERC20InvalidUnderlying(ERC20InvalidUnderlying { token: underlying }));
        }
        self.underlying.set(underlying);
        self.stake_source.set(stake_source);
        Ok(())
    }

    // ------------------------------------------------------------------------ ERC-20

    pub fn name(&self) -> String {
        String::from(NAME)
    }

    pub fn symbol(&self) -> String {
        String::from(SYMBOL)
    }

    pub fn decimals(&self) -> u8 {
        DECIMALS
    }

    pub fn total_supply(&self) -> U256 {
        store::u256(&self.total_supply)
    }

    pub fn balance_of(&self, account: Address) -> U256 {
        self.balances.get(account)
    }

    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Error> {
        let from = self.vm().msg_sender();
        self.transfer_tokens(from, to, value)?;
        Ok(true)
    }

    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances.getter(owner).get(spender)
    }

    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Error> {
        let owner = self.vm().msg_sender();
        self.approve_tokens(owner, spender, value, true)?;
        Ok(true)
    }

    pub fn transfer_from(&mut self, from: Address, to: Address, value: U256) -> Result<bool, Error> {
        let spender = self.vm().msg_sender();
        self.spend_allowance(from, spender, value)?;
        self.transfer_tokens(from, to, value)?;
        Ok(true)
    }

    // ------------------------------------------------------------------------ ERC20Wrapper

    pub fn underlying(&self) -> Address {
        self.underlying.get()
    }

    /// Pulls `value` METIS from the caller, then mints as much to `account`.
    pub fn deposit_for(&mut self, account: Address, value: U256) -> Result<bool, Error> {
        let sender = self.vm().msg_sender();
        let this = self.vm().contract_address();
        if sender == this {
            return Err(invalid_sender(this));
        }
        if account == this || account.is_zero() {
            return Err(invalid_receiver(account));
        }
        let underlying = self.underlying.get();
        token::safe_transfer_from(self, underlying, sender, this, value)?;
        self.update(Address::ZERO, account, value)?;
        Ok(true)
    }

    /// Burns `value` of the caller's tokens, then sends as much METIS to `account`.
    pub fn withdraw_to(&mut self, account: Address, value: U256) -> Result<bool, Error> {
        let sender = self.vm().msg_sender();
        if account == self.vm().contract_address() || account.is_zero() {
            return Err(invalid_receiver(account));
        }
        self.update(sender, Address::ZERO, value)?;
        let underlying = self.underlying.get();
        token::safe_transfer(self, underlying, account, value)?;
        Ok(true)
    }

    // ------------------------------------------------------------------------ EIP-2612, ERC-5267

    #[allow(clippy::too_many_arguments)]
    pub fn permit(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(), Error> {
        self.permit_signed(owner, spender, value, deadline, v, r, s)
    }

    pub fn nonces(&self, owner: Address) -> U256 {
        self.nonces.nonce(owner)
    }

    #[selector(name = "DOMAIN_SEPARATOR")]
    pub fn domain_separator_view(&self) -> B256 {
        self.domain_separator()
    }

    #[returns("bytes1,string,string,uint256,address,bytes32,uint256[]")]
    pub fn eip712_domain(&self) -> Eip712Domain {
        Eip712Domain { chain_id: self.vm().chain_id(), contract: self.vm().contract_address() }
    }

    // ------------------------------------------------------------------------ ERC-5805, ERC-6372

    pub fn clock(&self) -> U48 {
        U48::from(self.now())
    }

    #[selector(name = "CLOCK_MODE")]
    pub fn clock_mode(&self) -> String {
        String::from(CLOCK_MODE)
    }

    pub fn get_votes(&self, account: Address) -> U256 {
        self.votes.getter(account).latest()
    }

    pub fn get_past_votes(&self, account: Address, timepoint: U256) -> Result<U256, Error> {
        let at = self.check_past(timepoint)?;
        Ok(self.votes.getter(account).upper_lookup_recent(at))
    }

    pub fn get_past_total_supply(&self, timepoint: U256) -> Result<U256, Error> {
        let at = self.check_past(timepoint)?;
        Ok(self.total_votes.upper_lookup_recent(at))
    }

    pub fn delegates(&self, account: Address) -> Address {
        self.delegate_of(account)
    }

    pub fn delegate(&mut self, delegatee: Address) {
        let holder = self.vm().msg_sender();
        self.delegate_units(holder, delegatee);
    }

    pub fn delegate_by_sig(&mut self, delegatee: Address, nonce: U256, expiry: U256, v: u8, r: B256, s: B256) -> Result<(), Error> {
        self.delegate_signed(delegatee, nonce, expiry, v, r, s)
    }

    pub fn num_checkpoints(&self, account: Address) -> u32 {
        // A checkpoint per second at most: 2^32 of them take 136 years.
        self.votes.getter(account).len() as u32
    }

    #[returns("uint48,uint208")]
    pub fn checkpoints(&self, account: Address, pos: u32) -> (U48, U256) {
        let (key, value) = self.votes.getter(account).at(pos as usize).unwrap_or_default();
        (U48::from(key), value)
    }

    // ------------------------------------------------------------------------ stake

    pub fn stake_source(&self) -> Address {
        self.stake_source.get()
    }

    pub fn stake_of(&self, owner: Address) -> U256 {
        self.stake_of_holder(owner)
    }

    /// Pool only: see [`MetisVotes::move_stake`].
    pub fn move_stake(&mut self, from: Address, to: Address, amount: U256) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        if caller != self.stake_source.get() || caller.is_zero() {
            return Err(Error::NotStakeSource(NotStakeSource { caller }));
        }
        self.move_stake_units(from, to, amount)
    }
}

/// The ERC-5267 answer: name, version, chain id and contract are set (`0x0f`), no salt or
/// extensions.
pub struct Eip712Domain {
    chain_id: u64,
    contract: Address,
}

impl Words for Eip712Domain {
    fn write(&self, out: &mut Vec<u8>) {
        let mut fields = [0u8; 32];
        fields[0] = 0x0f;
        push_word(out, &fields);
        // Heads: two string offsets, then chain id, contract, salt, the extensions' offset.
        let name_len = 32 + NAME.len().div_ceil(32) * 32;
        let version_len = 32 + EIP712_VERSION.len().div_ceil(32) * 32;
        push_u128(out, 7 * 32);
        push_u128(out, (7 * 32 + name_len) as u128);
        push_u128(out, u128::from(self.chain_id));
        push_word(out, &self.contract.into_word().0);
        push_word(out, &[0u8; 32]);
        push_u128(out, (7 * 32 + name_len + version_len) as u128);
        push_string(out, NAME);
        push_string(out, EIP712_VERSION);
        push_u128(out, 0);
    }
}

/// A string's length word and padded bytes (the tail of a `string` value).
fn push_string(out: &mut Vec<u8>, text: &str) {
    push_u128(out, text.len() as u128);
    out.extend_from_slice(text.as_bytes());
    out.resize(out.len() + (32 - text.len() % 32) % 32, 0);
}
