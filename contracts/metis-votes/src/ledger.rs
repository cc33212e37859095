//! The ledger: balances, allowances, stake, delegation and the vote checkpoints, in
//! OpenZeppelin v5's order of checks and effects (`ERC20._update`, `Votes._transferVotingUnits`,
//! `Votes._moveDelegateVotes`). A holder's voting units are its balance plus its stake; they
//! count for `delegates(holder)`, and nothing counts for the zero delegate.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolValue;
use dseq_abi::metis_votes::{IMetisVotes::*, DELEGATION_TYPEHASH, EIP712_VERSION, NAME, PERMIT_TYPEHASH};
use dseq_kit::{checkpoints, ecdsa, eip712, emit, store};
use stylus_sdk::{crypto::keccak, prelude::*};

use alloy_primitives::aliases::U96;

use crate::{invalid_receiver, invalid_sender, Error, MetisVotes, MAX_STAKE};

/// Which way voting units move with respect to the total: minted into it, burned out of it,
/// or moved between holders.
fn total_change(from: Address, to: Address) -> (bool, bool) {
    (from.is_zero(), to.is_zero())
}

impl MetisVotes {
    /// The clock: the block timestamp (ERC-6372 `mode=timestamp`).
    pub fn now(&self) -> u64 {
        self.vm().block_timestamp()
    }

    /// Fails unless `timepoint` is in the past (a lookup at the current time could still change).
    pub fn check_past(&self, timepoint: U256) -> Result<u64, Error> {
        let clock = self.now();
        if timepoint >= U256::from(clock) {
            return Err(Error::ERC5805FutureLookup(ERC5805FutureLookup {
                timepoint,
                clock: alloy_primitives::aliases::U48::from(clock),
            }));
        }
        Ok(timepoint.to::<u64>())
    }

    /// A holder's voting units: its wrapped balance plus its counting stake.
    pub fn voting_units(&self, holder: Address) -> U256 {
        // Each is bounded by the total, which the cap keeps below 2^160: the sum cannot wrap.
        self.balances.get(holder) + self.stake_of_holder(holder)
    }

    /// Whom `holder`'s units count for (zero: nobody).
    pub fn delegate_of(&self, holder: Address) -> Address {
        self.holders.getter(holder).delegate.get()
    }

    /// `holder`'s counting stake in the pool.
    pub fn stake_of_holder(&self, holder: Address) -> U256 {
        U256::from(self.holders.getter(holder).stake.get())
    }

    // ------------------------------------------------------------------------ ERC-20

    /// `ERC20._transfer`: neither side may be the zero address.
    pub fn transfer_tokens(&mut self, from: Address, to: Address, value: U256) -> Result<(), Error> {
        if from.is_zero() {
            return Err(invalid_sender(Address::ZERO));
        }
        if to.is_zero() {
            return Err(invalid_receiver(Address::ZERO));
        }
        self.update(from, to, value)
    }

    /// `ERC20._update` with `ERC20Votes`: moves `value` from `from` to `to` (zero `from` mints,
    /// zero `to` burns), emits `Transfer`, and moves the voting units with it.
    pub fn update(&mut self, from: Address, to: Address, value: U256) -> Result<(), Error> {
        let (mint, burn) = total_change(from, to);
        if mint {
            let supply = store::u256(&self.total_supply);
            store::set_u256(&mut self.total_supply, supply.saturating_add(value));
        } else {
            let balance = self.balances.get(from);
            if balance < value {
                return Err(Error::ERC20InsufficientBalance(ERC20InsufficientBalance {
                    sender: from,
                    balance,
                    needed: value,
                }));
            }
            self.balances.insert(from, balance - value);
        }
        if burn {
            let supply = store::u256(&self.total_supply);
            // `value <= balance <= supply`.
            store::set_u256(&mut self.total_supply, supply - value);
        } else {
            let balance = self.balances.get(to);
            // `balance + value <= supply`, which the cap below keeps under 2^160.
            self.balances.insert(to, balance.saturating_add(value));
        }
        emit!(self.vm(), Transfer { indexed: [from, to], data: [value] });
        self.transfer_voting_units(from, to, value)
    }

    /// `ERC20._approve`.
    pub fn approve_tokens(&mut self, owner: Address, spender: Address, value: U256, emit_event: bool) -> Result<(), Error> {
        if owner.is_zero() {
            return Err(Error::ERC20InvalidApprover(ERC20InvalidApprover { approver: owner }));
        }
        if spender.is_zero() {
            return Err(Error::ERC20InvalidSpender(ERC20InvalidSpender { spender }));
        }
        self.allowances.setter(owner).insert(spender, value);
        if emit_event {
            emit!(self.vm(), Approval { indexed: [owner, spender], data: [value] });
        }
        Ok(())
    }

    /// `ERC20._spendAllowance`: an infinite allowance is never spent, and spending emits nothing.
    pub fn spend_allowance(&mut self, owner: Address, spender: Address, value: U256) -> Result<(), Error> {
        let allowance = self.allowances.getter(owner).get(spender);
        if allowance == U256::MAX {
            return Ok(());
        }
        if allowance < value {
            return Err(Error::ERC20InsufficientAllowance(ERC20InsufficientAllowance {
                spender,
                allowance,
                needed: value,
            }));
        }
        self.approve_tokens(owner, spender, allowance - value, false)
    }

    // ------------------------------------------------------------------------ stake

    /// The pool's report that `amount` of counting stake moved from owner `from` to owner `to`.
    /// An owner who never delegated is self-delegated when stake is first credited to it, so an
    /// operator's stake votes without a further transaction.
    pub fn move_stake_units(&mut self, from: Address, to: Address, amount: U256) -> Result<(), Error> {
        if !from.is_zero() {
            let stake = self.stake_of_holder(from);
            if stake < amount {
                return Err(Error::InsufficientStake(InsufficientStake { owner: from, stake, needed: amount }));
            }
            self.holders.setter(from).stake.set(U96::from(stake - amount));
        }
        if !to.is_zero() {
            if self.delegate_of(to).is_zero() {
                self.delegate_units(to, to);
            }
            let stake = self.stake_of_holder(to).saturating_add(amount);
            if stake > MAX_STAKE {
                return Err(Error::ERC20ExceededSafeSupply(ERC20ExceededSafeSupply { increasedSupply: stake, cap: MAX_STAKE }));
            }
            self.holders.setter(to).stake.set(U96::from(stake));
        }
        emit!(self.vm(), StakeMoved { indexed: [from, to], data: [amount] });
        self.transfer_voting_units(from, to, amount)
    }

    // ------------------------------------------------------------------------ votes

    /// `Votes._transferVotingUnits`: the total grows on a mint and shrinks on a burn, and the
    /// units move between the two holders' delegates. The total is capped at `uint160`, the checkpoints' range.
    fn transfer_voting_units(&mut self, from: Address, to: Address, amount: U256) -> Result<(), Error> {
        let (mint, burn) = total_change(from, to);
        if mint != burn {
            let total = self.total_votes.latest();
            let new_total = if mint {
                let increased = total.saturating_add(amount);
                if increased > checkpoints::MAX_VALUE {
                    return Err(Error::ERC20ExceededSafeSupply(ERC20ExceededSafeSupply {
                        increasedSupply: increased,
                        cap: checkpoints::MAX_VALUE,
                    }));
                }
                increased
            } else {
                // Units burned were counted in the total.
                total - amount
            };
            let now = self.now();
            self.total_votes.push(now, new_total);
        }
        let (from_delegate, to_delegate) = (self.delegate_of(from), self.delegate_of(to));
        self.move_delegate_votes(from_delegate, to_delegate, amount);
        Ok(())
    }

    /// `Votes._delegate`: all of `holder`'s units move from its old delegate to `delegatee`.
    pub fn delegate_units(&mut self, holder: Address, delegatee: Address) {
        let old = self.delegate_of(holder);
        self.holders.setter(holder).delegate.set(delegatee);
        emit!(self.vm(), DelegateChanged { indexed: [holder, old, delegatee], data: [] });
        let units = self.voting_units(holder);
        self.move_delegate_votes(old, delegatee, units);
    }

    /// `Votes._moveDelegateVotes`, one checkpoint per side that has a delegate.
    fn move_delegate_votes(&mut self, from: Address, to: Address, amount: U256) {
        if from == to || amount.is_zero() {
            return;
        }
        let now = self.now();
        if !from.is_zero() {
            let mut trace = self.votes.setter(from);
            let previous = trace.latest();
            // A delegate's votes include every unit delegated to it, these among them.
            let new = previous - amount;
            trace.push(now, new);
            drop(trace);
            emit!(self.vm(), DelegateVotesChanged { indexed: [from], data: [previous, new] });
        }
        if !to.is_zero() {
            let mut trace = self.votes.setter(to);
            let previous = trace.latest();
            // At most the total, which is below 2^160.
            let new = previous + amount;
            trace.push(now, new);
            drop(trace);
            emit!(self.vm(), DelegateVotesChanged { indexed: [to], data: [previous, new] });
        }
    }

    // ------------------------------------------------------------------------ signatures

    /// The EIP-712 domain separator: this token (the proxy's address) on this chain.
    pub fn domain_separator(&self) -> B256 {
        eip712::domain_separator(NAME, EIP712_VERSION, self.vm().chain_id(), self.vm().contract_address())
    }

    fn signer_of(&self, struct_hash: B256, v: u8, r: B256, s: B256) -> Result<Address, Error> {
        let digest = eip712::typed_data_digest(self.domain_separator(), struct_hash);
        Ok(ecdsa::recover_vrs(self.vm(), digest, v, r, s)?)
    }

    /// EIP-2612 `permit`: the signature names `owner`'s current nonce, which it uses up.
    #[allow(clippy::too_many_arguments)]
    pub fn permit_signed(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(), Error> {
        if U256::from(self.now()) > deadline {
            return Err(Error::ERC2612ExpiredSignature(ERC2612ExpiredSignature { deadline }));
        }
        let nonce = self.nonces.nonce(owner);
        let struct_hash = keccak((PERMIT_TYPEHASH, owner, spender, value, nonce, deadline).abi_encode());
        let signer = self.signer_of(struct_hash, v, r, s)?;
        if signer != owner {
            return Err(Error::ERC2612InvalidSigner(ERC2612InvalidSigner { signer, owner }));
        }
        self.nonces.use_checked(owner, nonce)?;
        self.approve_tokens(owner, spender, value, true)
    }

    /// `Votes.delegateBySig`: the signer's delegation, once, before `expiry`.
    pub fn delegate_signed(&mut self, delegatee: Address, nonce: U256, expiry: U256, v: u8, r: B256, s: B256) -> Result<(), Error> {
        if U256::from(self.now()) > expiry {
            return Err(Error::VotesExpiredSignature(VotesExpiredSignature { expiry }));
        }
        let struct_hash = keccak((DELEGATION_TYPEHASH, delegatee, nonce, expiry).abi_encode());
        let signer = self.signer_of(struct_hash, v, r, s)?;
        self.nonces.use_checked(signer, nonce)?;
        self.delegate_units(signer, delegatee);
        Ok(())
    }
}
