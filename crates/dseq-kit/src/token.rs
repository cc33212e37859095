//! ERC-20 calls with SafeERC20 semantics: a call succeeds when it does not revert and returns
//! either `true` or nothing from an account that has code. Anything else is a
//! [`TokenCallFailed`] naming the token and carrying the token's own revert data (held as a
//! plain [`CallFailed`]: alloy's `Bytes` would bring the `bytes` crate into every contract).

use alloc::vec::Vec;

use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolCall};
use stylus_sdk::{
    call::{call, static_call},
    prelude::*,
};

sol! {
    /// The ERC-20 functions the suite calls.
    interface IERC20 {
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function balanceOf(address account) external view returns (uint256);
    }

    /// A call to `token` reverted (`reason` is its revert data), returned `false`, returned
    /// malformed data, or `token` has no code.
    #[derive(Debug)]
    error TokenCallFailed(address token, bytes reason);
}

/// The fields of [`TokenCallFailed`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallFailed {
    pub token: Address,
    pub reason: Vec<u8>,
}

/// Failures of token calls.
#[derive(Debug)]
pub enum Error {
    /// The token call failed.
    TokenCallFailed(CallFailed),
}

impl From<Error> for Vec<u8> {
    fn from(err: Error) -> Self {
        use crate::abi::{error_data, SolError, ToField};
        match err {
            Error::TokenCallFailed(e) => error_data(TokenCallFailed::SELECTOR, &[e.token.to_field(), e.reason.to_field()]),
        }
    }
}

fn failed(token: Address, reason: Vec<u8>) -> Error {
    Error::TokenCallFailed(CallFailed { token, reason })
}

/// Moves `value` of `token` from the calling contract to `to`.
pub fn safe_transfer<S>(storage: &mut S, token: Address, to: Address, value: U256) -> Result<(), Error>
where
    S: TopLevelStorage + HostAccess,
{
    let data = IERC20::transferCall { to, value }.abi_encode();
    checked_call(storage, token, &data)
}

/// Moves `value` of `token` from `from` to `to` using the calling contract's allowance.
pub fn safe_transfer_from<S>(
    storage: &mut S,
    token: Address,
    from: Address,
    to: Address,
    value: U256,
) -> Result<(), Error>
where
    S: TopLevelStorage + HostAccess,
{
    let data = IERC20::transferFromCall { from, to, value }.abi_encode();
    checked_call(storage, token, &data)
}

/// `token.balanceOf(account)`.
pub fn balance_of<H: Host>(host: &H, token: Address, account: Address) -> Result<U256, Error> {
    let data = IERC20::balanceOfCall { account }.abi_encode();
    let out = static_call(host, Call::new(), token, &data).map_err(|e| failed(token, e.into()))?;
    IERC20::balanceOfCall::abi_decode_returns(&out).map_err(|_| failed(token, out))
}

fn checked_call<S>(storage: &mut S, token: Address, data: &[u8]) -> Result<(), Error>
where
    S: TopLevelStorage + HostAccess,
{
    let ctx = Call::new_mutating(storage);
    let host = storage.vm();
    let out = call(host, ctx, token, data).map_err(|e| failed(token, e.into()))?;
    if returned_success(&out, || host.code_size(token) > 0) {
        Ok(())
    } else {
        Err(failed(token, out))
    }
}

/// Whether a token call's return data means success: `true` (one word equal to 1), or nothing
/// from an account with code (tokens that predate the standard's return value).
pub fn returned_success(out: &[u8], has_code: impl FnOnce() -> bool) -> bool {
    match out.len() {
        0 => has_code(),
        32 => out[..31].iter().all(|b| *b == 0) && out[31] == 1,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::returned_success;

    #[test]
    fn return_data_decides_success() {
        let mut word = [0u8; 32];
        assert!(!returned_success(&word, || true), "false is failure");
        word[31] = 1;
        assert!(returned_success(&word, || false), "true is success");
        word[0] = 1;
        assert!(!returned_success(&word, || true), "a dirty word is failure");
        assert!(returned_success(&[], || true), "no data from code is success");
        assert!(!returned_success(&[], || false), "no data from an EOA is failure");
        assert!(!returned_success(&[1u8; 31], || true), "a short word is failure");
    }
}
