//! Benchmark asset for `crates/devnode`: the smallest useful ERC-20 (open `mint`, `transfer`,
//! `balanceOf`, `Transfer` event), the Stylus counterpart of `contracts/solidity/MockMetis.sol`
//! for `dseq bench`. Same errors as the mock (OpenZeppelin's names).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
extern crate alloc;

use stylus_sdk::{
    alloy_primitives::{Address, U256},
    alloy_sol_types::sol,
    prelude::*,
    storage::*,
};

sol! {
    event Transfer(address indexed from, address indexed to, uint256 value);

    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    error ERC20InvalidReceiver(address receiver);
}

#[derive(SolidityError)]
pub enum TokenError {
    ERC20InsufficientBalance(ERC20InsufficientBalance),
    ERC20InvalidReceiver(ERC20InvalidReceiver),
}

#[storage]
#[entrypoint]
pub struct Token {
    total_supply: StorageU256,
    balances: StorageMap<Address, StorageU256>,
}

#[public]
impl Token {
    pub fn total_supply(&self) -> U256 {
        self.total_supply.get()
    }

    pub fn balance_of(&self, account: Address) -> U256 {
        self.balances.get(account)
    }

    /// Anyone may mint: this is a test token.
    pub fn mint(&mut self, to: Address, value: U256) -> Result<(), TokenError> {
        if to.is_zero() {
            return Err(TokenError::ERC20InvalidReceiver(ERC20InvalidReceiver {
                receiver: to,
            }));
        }
        self.total_supply.set(self.total_supply.get() + value);
        let mut balance = self.balances.setter(to);
        let new = balance.get() + value;
        balance.set(new);
        self.vm().log(Transfer {
            from: Address::ZERO,
            to,
            value,
        });
        Ok(())
    }

    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, TokenError> {
        if to.is_zero() {
            return Err(TokenError::ERC20InvalidReceiver(ERC20InvalidReceiver {
                receiver: to,
            }));
        }
        let from = self.vm().msg_sender();
        let balance = self.balances.get(from);
        if balance < value {
            return Err(TokenError::ERC20InsufficientBalance(
                ERC20InsufficientBalance {
                    sender: from,
                    balance,
                    needed: value,
                },
            ));
        }
        self.balances.setter(from).set(balance - value);
        let mut to_balance = self.balances.setter(to);
        let new = to_balance.get() + value;
        to_balance.set(new);
        self.vm().log(Transfer { from, to, value });
        Ok(true)
    }
}
