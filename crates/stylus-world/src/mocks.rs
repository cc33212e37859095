//! Native counterparties for tests: an ERC-20 that can misbehave on demand, and a reward source
//! for compounding. Their state lives in world storage, so reverts roll it back.

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolValue};

use crate::world::{NativeContract, NativeCtx};

sol! {
    /// The mock token's ABI: ERC-20 plus test controls.
    interface IMockToken {
        event Transfer(address indexed from, address indexed to, uint256 value);
        event Approval(address indexed owner, address indexed spender, uint256 value);
        /// A hook call made during a transfer; `ok` says whether it succeeded.
        event HookCalled(address target, bool ok, bytes returnData);

        error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
        error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);

        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function approve(address spender, uint256 value) external returns (bool);
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function mint(address to, uint256 value) external;
        /// 0 = standard, 1 = return false without moving funds, 2 = return nothing, 3 = revert.
        function setMode(uint8 mode) external;
        /// Before every transfer, call `target` with `data` (a reentrancy attack).
        function setHook(address target, bytes data) external;
    }

    /// The reward source's ABI, as locking-pool sees it, plus test controls.
    interface IMockRewardSource {
        function claimForCompound(uint256 sequencerId) external returns (uint256);
        /// On the next claim for `sequencerId`: send `sent` tokens and report `reported`.
        function setCompound(uint256 sequencerId, uint256 sent, uint256 reported) external;
        /// Records the stakes the pool reports, for `settlements` and `lastSettlement`.
        function settleStakes(uint256 sequencerId, uint256 operatorStake, address lst, uint256 lstStake) external;
        /// How many times the pool called `settleStakes`.
        function settlements() external view returns (uint256);
        /// The last `settleStakes` call's arguments.
        function lastSettlement() external view returns (uint256 sequencerId, uint256 operatorStake, address lst, uint256 lstStake);
        /// From now on `settleStakes` reverts (or no longer does).
        function setRefuseSettlement(bool refuse) external;
    }
}

const SUPPLY_SLOT: u64 = 0;
const MODE_SLOT: u64 = 1;
const HOOK_TARGET_SLOT: u64 = 2;
const HOOK_DATA_SLOT: u64 = 3;

fn word(value: U256) -> B256 {
    B256::from(value)
}

fn balance_key(account: Address) -> U256 {
    U256::from_be_bytes(keccak256((account, U256::from(100)).abi_encode()).0)
}

fn allowance_key(owner: Address, spender: Address) -> U256 {
    U256::from_be_bytes(keccak256((owner, spender, U256::from(101)).abi_encode()).0)
}

fn load(ctx: &NativeCtx, key: U256) -> U256 {
    U256::from_be_bytes(ctx.sload(key).0)
}

/// An ERC-20 with OpenZeppelin's errors and events, a public `mint`, and switches that make it
/// misbehave (return false, return nothing, revert, or call back into the caller).
pub struct MockToken;

impl MockToken {
    fn transfer(ctx: &mut NativeCtx, from: Address, to: Address, value: U256) -> Result<(), Vec<u8>> {
        Self::run_hook(ctx)?;
        let from_balance = load(ctx, balance_key(from));
        if from_balance < value {
            return Err(IMockToken::ERC20InsufficientBalance { sender: from, balance: from_balance, needed: value }
                .abi_encode());
        }
        ctx.sstore(balance_key(from), word(from_balance - value));
        let to_balance = load(ctx, balance_key(to));
        ctx.sstore(balance_key(to), word(to_balance + value));
        ctx.emit(&IMockToken::Transfer { from, to, value });
        Ok(())
    }

    fn run_hook(ctx: &mut NativeCtx) -> Result<(), Vec<u8>> {
        let target = Address::from_word(ctx.sload(U256::from(HOOK_TARGET_SLOT)));
        if target.is_zero() {
            return Ok(());
        }
        let len = load(ctx, U256::from(HOOK_DATA_SLOT)).to::<usize>();
        let mut data = Vec::with_capacity(len);
        for i in 0..len.div_ceil(32) {
            data.extend_from_slice(ctx.sload(U256::from(HOOK_DATA_SLOT + 1 + i as u64)).as_slice());
        }
        data.truncate(len);
        let (ok, return_data) = match ctx.call(target, data) {
            Ok(out) => (true, out),
            Err(out) => (false, out),
        };
        ctx.emit(&IMockToken::HookCalled { target, ok, returnData: return_data.into() });
        Ok(())
    }

    fn succeed(ctx: &NativeCtx) -> Result<Vec<u8>, Vec<u8>> {
        match load(ctx, U256::from(MODE_SLOT)).to::<u8>() {
            2 => Ok(Vec::new()),
            _ => Ok(true.abi_encode()),
        }
    }

    /// Applies the failure modes to a state-changing call; `None` means "behave normally".
    fn misbehave(ctx: &NativeCtx) -> Option<Result<Vec<u8>, Vec<u8>>> {
        match load(ctx, U256::from(MODE_SLOT)).to::<u8>() {
            1 => Some(Ok(false.abi_encode())),
            3 => Some(Err(b"MockToken: forced revert".to_vec())),
            _ => None,
        }
    }
}

impl NativeContract for MockToken {
    fn call(&self, ctx: &mut NativeCtx, input: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        use IMockToken::*;
        let selector: [u8; 4] = input.get(..4).and_then(|s| s.try_into().ok()).ok_or_else(Vec::new)?;
        let bad = |_| Vec::new();
        match selector {
            totalSupplyCall::SELECTOR => Ok(load(ctx, U256::from(SUPPLY_SLOT)).abi_encode()),
            balanceOfCall::SELECTOR => {
                let call = balanceOfCall::abi_decode(input).map_err(bad)?;
                Ok(load(ctx, balance_key(call.account)).abi_encode())
            }
            allowanceCall::SELECTOR => {
                let call = allowanceCall::abi_decode(input).map_err(bad)?;
                Ok(load(ctx, allowance_key(call.owner, call.spender)).abi_encode())
            }
            approveCall::SELECTOR => {
                let call = approveCall::abi_decode(input).map_err(bad)?;
                let owner = ctx.sender();
                ctx.sstore(allowance_key(owner, call.spender), word(call.value));
                ctx.emit(&Approval { owner, spender: call.spender, value: call.value });
                Ok(true.abi_encode())
            }
            transferCall::SELECTOR => {
                let call = transferCall::abi_decode(input).map_err(bad)?;
                if let Some(result) = Self::misbehave(ctx) {
                    return result;
                }
                Self::transfer(ctx, ctx.sender(), call.to, call.value)?;
                Self::succeed(ctx)
            }
            transferFromCall::SELECTOR => {
                let call = transferFromCall::abi_decode(input).map_err(bad)?;
                if let Some(result) = Self::misbehave(ctx) {
                    return result;
                }
                let spender = ctx.sender();
                let allowed = load(ctx, allowance_key(call.from, spender));
                if allowed < call.value {
                    return Err(ERC20InsufficientAllowance { spender, allowance: allowed, needed: call.value }
                        .abi_encode());
                }
                if allowed != U256::MAX {
                    ctx.sstore(allowance_key(call.from, spender), word(allowed - call.value));
                }
                Self::transfer(ctx, call.from, call.to, call.value)?;
                Self::succeed(ctx)
            }
            mintCall::SELECTOR => {
                let call = mintCall::abi_decode(input).map_err(bad)?;
                let supply = load(ctx, U256::from(SUPPLY_SLOT));
                ctx.sstore(U256::from(SUPPLY_SLOT), word(supply + call.value));
                let balance = load(ctx, balance_key(call.to));
                ctx.sstore(balance_key(call.to), word(balance + call.value));
                ctx.emit(&Transfer { from: Address::ZERO, to: call.to, value: call.value });
                Ok(Vec::new())
            }
            setModeCall::SELECTOR => {
                let call = setModeCall::abi_decode(input).map_err(bad)?;
                ctx.sstore(U256::from(MODE_SLOT), word(U256::from(call.mode)));
                Ok(Vec::new())
            }
            setHookCall::SELECTOR => {
                let call = setHookCall::abi_decode(input).map_err(bad)?;
                ctx.sstore(U256::from(HOOK_TARGET_SLOT), call.target.into_word());
                ctx.sstore(U256::from(HOOK_DATA_SLOT), word(U256::from(call.data.len())));
                for (i, chunk) in call.data.chunks(32).enumerate() {
                    let mut w = [0u8; 32];
                    w[..chunk.len()].copy_from_slice(chunk);
                    ctx.sstore(U256::from(HOOK_DATA_SLOT + 1 + i as u64), B256::from(w));
                }
                Ok(Vec::new())
            }
            _ => Err(Vec::new()),
        }
    }
}

/// A reward source for compounding tests: on `claimForCompound` it sends the configured amount
/// of `token` (which it must hold) to the caller and reports the configured figure, which a test
/// may set to lie.
pub struct MockRewardSource {
    /// The token it pays in.
    pub token: Address,
}

fn compound_key(sequencer_id: U256, field: u8) -> U256 {
    U256::from_be_bytes(keccak256((sequencer_id, U256::from(field)).abi_encode()).0)
}

/// The settlement record's words, apart from the per-sequencer compound keys.
fn settle_key(field: u8) -> U256 {
    U256::from_be_bytes(keccak256(("settle", U256::from(field)).abi_encode()).0)
}

impl NativeContract for MockRewardSource {
    fn call(&self, ctx: &mut NativeCtx, input: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        use IMockRewardSource::*;
        let selector: [u8; 4] = input.get(..4).and_then(|s| s.try_into().ok()).ok_or_else(Vec::new)?;
        match selector {
            setCompoundCall::SELECTOR => {
                let call = setCompoundCall::abi_decode(input).map_err(|_| Vec::new())?;
                ctx.sstore(compound_key(call.sequencerId, 0), word(call.sent));
                ctx.sstore(compound_key(call.sequencerId, 1), word(call.reported));
                Ok(Vec::new())
            }
            settleStakesCall::SELECTOR => {
                let call = settleStakesCall::abi_decode(input).map_err(|_| Vec::new())?;
                if !load(ctx, settle_key(4)).is_zero() {
                    return Err(b"settlement refused".to_vec());
                }
                let count = load(ctx, settle_key(0)) + U256::from(1);
                ctx.sstore(settle_key(0), word(count));
                ctx.sstore(settle_key(1), word(call.sequencerId));
                ctx.sstore(settle_key(2), word(call.operatorStake));
                ctx.sstore(settle_key(3), call.lst.into_word());
                ctx.sstore(settle_key(5), word(call.lstStake));
                Ok(Vec::new())
            }
            settlementsCall::SELECTOR => Ok(load(ctx, settle_key(0)).abi_encode()),
            lastSettlementCall::SELECTOR => Ok((
                load(ctx, settle_key(1)),
                load(ctx, settle_key(2)),
                Address::from_word(ctx.sload(settle_key(3))),
                load(ctx, settle_key(5)),
            )
                .abi_encode_params()),
            setRefuseSettlementCall::SELECTOR => {
                let call = setRefuseSettlementCall::abi_decode(input).map_err(|_| Vec::new())?;
                ctx.sstore(settle_key(4), word(U256::from(call.refuse as u8)));
                Ok(Vec::new())
            }
            claimForCompoundCall::SELECTOR => {
                let call = claimForCompoundCall::abi_decode(input).map_err(|_| Vec::new())?;
                let sent = load(ctx, compound_key(call.sequencerId, 0));
                let reported = load(ctx, compound_key(call.sequencerId, 1));
                ctx.sstore(compound_key(call.sequencerId, 0), B256::ZERO);
                ctx.sstore(compound_key(call.sequencerId, 1), B256::ZERO);
                if !sent.is_zero() {
                    let to = ctx.sender();
                    let transfer = IMockToken::transferCall { to, value: sent }.abi_encode();
                    ctx.call(self.token, transfer)?;
                }
                Ok(reported.abi_encode())
            }
            _ => Err(Vec::new()),
        }
    }
}
