//! The JSON-RPC methods and their anvil-style answers and errors.

use crate::chain::{
    split_result, Block, CallBlock, Chain, ChainConfig, ChainError, IndexedLog, InvalidTx,
    LogFilter, Receipt, Transaction, TxStatus,
};
use crate::handle::ChainHandle;
use alloy_consensus::transaction::SignerRecoverable;
use alloy_consensus::{SignableTransaction, Transaction as _, TxEip1559, TxEnvelope, TxLegacy};
use alloy_eips::eip2718::{Decodable2718, Encodable2718};
use alloy_eips::Typed2718;
use alloy_primitives::{b256, hex, Address, Bytes, Signature, TxKind, B256, U256};
use alloy_sol_types::{Panic, Revert, SolError};
use revm::context::TxEnv;
use revm::context_interface::result::ExecutionResult;
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

const EMPTY_OMMERS: B256 =
    b256!("1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");
const EMPTY_ROOT: B256 = b256!("56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
const EMPTY_REQUESTS: B256 =
    b256!("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

/// What `web3_clientVersion` answers.
pub const CLIENT_VERSION: &str = concat!("anvil/v1.0.0 (devnode/", env!("CARGO_PKG_VERSION"), ")");

/// A JSON-RPC error object.
#[derive(Debug, Clone, PartialEq)]
pub struct RpcError {
    pub code: i64,
    pub message: String,
    pub data: Option<Value>,
}

impl RpcError {
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            data: None,
        }
    }
    pub fn parse() -> Self {
        Self::new(-32700, "Parse error")
    }
    pub fn invalid_request(why: &str) -> Self {
        Self::new(-32600, format!("Invalid request: {why}"))
    }
    pub fn method_not_found(method: &str) -> Self {
        Self::new(-32601, format!("Method not found: {method}"))
    }
    pub fn params(why: impl std::fmt::Display) -> Self {
        Self::new(-32602, format!("Invalid params: {why}"))
    }
    pub fn server(why: impl Into<String>) -> Self {
        Self::new(-32000, why)
    }
    pub fn internal(why: impl Into<String>) -> Self {
        Self::new(-32603, why)
    }
    /// anvil's answer to a revert: code 3, "execution reverted[: reason]", data = revert bytes.
    pub fn revert(data: &[u8]) -> Self {
        let mut message = String::from("execution reverted");
        if let Some(reason) = decode_revert_reason(data) {
            message.push_str(": ");
            message.push_str(&reason);
        }
        Self {
            code: 3,
            message,
            data: Some(Value::String(hex_data(data))),
        }
    }
    fn to_json(&self) -> Value {
        let mut e = json!({ "code": self.code, "message": self.message });
        if let Some(d) = &self.data {
            e["data"] = d.clone();
        }
        e
    }
}

impl From<crate::handle::ChainGone> for RpcError {
    fn from(_: crate::handle::ChainGone) -> Self {
        RpcError::internal("internal error: the request panicked or the chain stopped")
    }
}

impl From<ChainError> for RpcError {
    fn from(e: ChainError) -> Self {
        match e {
            ChainError::EstimateFailed(TxStatus::Revert(data)) => RpcError::revert(&data),
            ChainError::EstimateFailed(TxStatus::Halt(reason)) => {
                RpcError::server(format!("gas estimation failed: execution halted: {reason}"))
            }
            ChainError::InvalidTransaction(why) => why.into(),
            other => RpcError::server(other.to_string()),
        }
    }
}

impl From<InvalidTx> for RpcError {
    /// anvil's code and message, which client libraries match on.
    fn from(e: InvalidTx) -> Self {
        RpcError::new(e.rpc_code(), e.to_string())
    }
}

/// `Error(string)` and `Panic(uint256)` reasons, worded like anvil.
pub fn decode_revert_reason(data: &[u8]) -> Option<String> {
    if let Ok(r) = Revert::abi_decode(data) {
        return Some(r.reason);
    }
    if let Ok(p) = Panic::abi_decode(data) {
        let code: u64 = p.code.saturating_to();
        let what = match code {
            0x00 => "generic/unspecified error",
            0x01 => "assertion failed",
            0x11 => "arithmetic underflow or overflow",
            0x12 => "division or modulo by zero",
            0x21 => "enum overflow",
            0x22 => "invalid encoded storage byte array accessed",
            0x31 => "out-of-bounds array access; popping on an empty array",
            0x32 => "out-of-bounds access of an array or bytesN",
            0x41 => "out of memory",
            0x51 => "uninitialized function",
            _ => "unknown panic code",
        };
        return Some(format!("panic: {what} (0x{code:02x})"));
    }
    None
}

type RpcResult = Result<Value, RpcError>;

// --- formatting --------------------------------------------------------------------------------

/// A quantity as anvil writes it: `0x` + lowercase hex without leading zeros (`0x0` for zero).
pub fn qty<T: std::fmt::LowerHex>(n: T) -> Value {
    Value::String(format!("{n:#x}"))
}

fn hex_data(b: &[u8]) -> String {
    format!("0x{}", hex::encode(b))
}

fn data(b: &[u8]) -> Value {
    Value::String(hex_data(b))
}

fn h256(b: B256) -> Value {
    Value::String(format!("{b:?}"))
}

fn addr(a: Address) -> Value {
    Value::String(a.to_checksum(None))
}

// --- parsing -----------------------------------------------------------------------------------

fn parse_u256(v: &Value) -> Result<U256, String> {
    match v {
        Value::String(s) => {
            if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
                if h.is_empty() {
                    return Err(format!("empty hex quantity {s:?}"));
                }
                U256::from_str_radix(h, 16).map_err(|_| format!("invalid hex quantity {s:?}"))
            } else {
                U256::from_str_radix(s, 10).map_err(|_| format!("invalid quantity {s:?}"))
            }
        }
        Value::Number(n) => n
            .as_u64()
            .map(U256::from)
            .ok_or_else(|| format!("invalid quantity {n}")),
        other => Err(format!("expected a quantity, got {other}")),
    }
}

fn parse_u64(v: &Value) -> Result<u64, String> {
    let n = parse_u256(v)?;
    u64::try_from(n).map_err(|_| format!("quantity {n} does not fit in 64 bits"))
}

fn parse_u128(v: &Value) -> Result<u128, String> {
    let n = parse_u256(v)?;
    u128::try_from(n).map_err(|_| format!("quantity {n} does not fit in 128 bits"))
}

fn parse_bytes(v: &Value) -> Result<Bytes, String> {
    let Value::String(s) = v else {
        return Err(format!("expected hex data, got {v}"));
    };
    hex::decode(s)
        .map(Bytes::from)
        .map_err(|e| format!("invalid hex data: {e}"))
}

fn parse_address(v: &Value) -> Result<Address, String> {
    let Value::String(s) = v else {
        return Err(format!("expected an address, got {v}"));
    };
    let h = s.strip_prefix("0x").unwrap_or(s);
    if h.len() != 40 {
        return Err(format!("invalid address {s:?}"));
    }
    Address::from_str(s).map_err(|_| format!("invalid address {s:?}"))
}

fn parse_b256(v: &Value) -> Result<B256, String> {
    let Value::String(s) = v else {
        return Err(format!("expected a 32-byte hash, got {v}"));
    };
    B256::from_str(s).map_err(|_| format!("invalid 32-byte hash {s:?}"))
}

/// A storage word: a 32-byte hex value or a quantity.
fn parse_word(v: &Value) -> Result<U256, String> {
    match v {
        Value::String(s) if s.len() == 66 => parse_b256(v).map(|b| U256::from_be_bytes(b.0)),
        _ => parse_u256(v),
    }
}

fn parse_bool(v: &Value) -> Result<bool, String> {
    v.as_bool()
        .ok_or_else(|| format!("expected a boolean, got {v}"))
}

/// A block selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockSel {
    Latest,
    Pending,
    Earliest,
    Number(u64),
    Hash(B256),
}

fn parse_block(v: Option<&Value>) -> Result<BlockSel, String> {
    let Some(v) = v else {
        return Ok(BlockSel::Latest);
    };
    match v {
        Value::Null => Ok(BlockSel::Latest),
        Value::String(s) => match s.as_str() {
            "latest" | "safe" | "finalized" => Ok(BlockSel::Latest),
            "pending" => Ok(BlockSel::Pending),
            "earliest" => Ok(BlockSel::Earliest),
            _ if s.len() == 66 => parse_b256(v).map(BlockSel::Hash),
            _ => parse_u64(v)
                .map(BlockSel::Number)
                .map_err(|_| format!("invalid block {s:?}")),
        },
        Value::Number(_) => parse_u64(v).map(BlockSel::Number),
        Value::Object(o) => {
            if let Some(h) = o.get("blockHash") {
                parse_b256(h).map(BlockSel::Hash)
            } else if let Some(n) = o.get("blockNumber") {
                parse_block(Some(n))
            } else {
                Err("block object needs blockHash or blockNumber".into())
            }
        }
        other => Err(format!("invalid block {other}")),
    }
}

impl BlockSel {
    fn number(self, chain: &Chain) -> Option<u64> {
        match self {
            BlockSel::Latest | BlockSel::Pending => Some(chain.block_number()),
            BlockSel::Earliest => Some(0),
            BlockSel::Number(n) => Some(n),
            BlockSel::Hash(h) => chain.block_by_hash(h).map(|b| b.number),
        }
    }

    /// The block environment an `eth_call` at this block runs in (its state is checked by
    /// [`BlockSel::check_state`]): the next block's for "pending", the latest's otherwise.
    fn call_block(self) -> CallBlock {
        match self {
            BlockSel::Pending => CallBlock::Pending,
            _ => CallBlock::Latest,
        }
    }

    /// State reads: only the latest state is kept.
    fn check_state(self, chain: &Chain) -> Result<(), RpcError> {
        let latest = chain.block_number();
        match self.number(chain) {
            None => Err(RpcError::server("block not found")),
            Some(n) if n > latest => Err(RpcError::new(
                -32602,
                format!("BlockOutOfRangeError: block height is {latest} but requested was {n}"),
            )),
            Some(n) if n == latest => Ok(()),
            Some(n) => Err(RpcError::server(format!(
                "historical state is not kept: block {n} is before the latest block {latest}"
            ))),
        }
    }
}

/// Positional params with `-32602` errors that name the parameter.
struct Params<'a>(&'a [Value]);

impl<'a> Params<'a> {
    fn opt(&self, i: usize) -> Option<&'a Value> {
        self.0.get(i).filter(|v| !v.is_null())
    }
    fn req(&self, i: usize, what: &str) -> Result<&'a Value, RpcError> {
        self.opt(i)
            .ok_or_else(|| RpcError::params(format!("missing parameter {i} ({what})")))
    }
    fn get<T>(
        &self,
        i: usize,
        what: &str,
        f: impl Fn(&Value) -> Result<T, String>,
    ) -> Result<T, RpcError> {
        f(self.req(i, what)?).map_err(|e| RpcError::params(format!("parameter {i} ({what}): {e}")))
    }
    fn get_opt<T>(
        &self,
        i: usize,
        what: &str,
        f: impl Fn(&Value) -> Result<T, String>,
    ) -> Result<Option<T>, RpcError> {
        self.opt(i)
            .map(|v| f(v).map_err(|e| RpcError::params(format!("parameter {i} ({what}): {e}"))))
            .transpose()
    }
    fn block(&self, i: usize) -> Result<BlockSel, RpcError> {
        parse_block(self.opt(i))
            .map_err(|e| RpcError::params(format!("parameter {i} (block): {e}")))
    }
}

/// A transaction object of `eth_call` / `eth_estimateGas` / `eth_sendTransaction`.
#[derive(Debug, Clone, Default)]
pub struct TxRequest {
    pub from: Option<Address>,
    pub to: Option<Address>,
    pub gas: Option<u64>,
    pub gas_price: Option<u128>,
    pub max_fee: Option<u128>,
    pub max_priority_fee: Option<u128>,
    pub value: Option<U256>,
    pub input: Option<Bytes>,
    pub nonce: Option<u64>,
}

fn field<T>(
    o: &Map<String, Value>,
    key: &str,
    f: impl Fn(&Value) -> Result<T, String>,
) -> Result<Option<T>, String> {
    o.get(key)
        .filter(|v| !v.is_null())
        .map(|v| f(v).map_err(|e| format!("{key}: {e}")))
        .transpose()
}

fn parse_tx_request(v: &Value) -> Result<TxRequest, String> {
    let Value::Object(o) = v else {
        return Err(format!("expected a transaction object, got {v}"));
    };
    let input = field(o, "input", parse_bytes)?;
    let data = field(o, "data", parse_bytes)?;
    Ok(TxRequest {
        from: field(o, "from", parse_address)?,
        to: field(o, "to", parse_address)?,
        gas: field(o, "gas", parse_u64)?,
        gas_price: field(o, "gasPrice", parse_u128)?,
        max_fee: field(o, "maxFeePerGas", parse_u128)?,
        max_priority_fee: field(o, "maxPriorityFeePerGas", parse_u128)?,
        value: field(o, "value", parse_u256)?,
        input: input.or(data),
        nonce: field(o, "nonce", parse_u64)?,
    })
}

impl TxRequest {
    /// anvil refuses a call whose tip is above its fee cap as invalid input.
    fn check_fees(&self) -> Result<(), RpcError> {
        match (self.max_fee, self.max_priority_fee) {
            (Some(cap), Some(tip)) if tip > cap => Err(RpcError::new(
                -32602,
                "Invalid input: `max_priority_fee_per_gas` greater than `max_fee_per_gas`",
            )),
            _ => Ok(()),
        }
    }

    fn kind(&self) -> TxKind {
        match self.to {
            Some(to) => TxKind::Call(to),
            None => TxKind::Create,
        }
    }

    /// The environment of a call or estimate (`Chain::call` fills nonce and chain id).
    fn txenv(&self, block_gas_limit: u64) -> TxEnv {
        let eip1559 = self.max_fee.is_some() || self.max_priority_fee.is_some();
        TxEnv {
            tx_type: if eip1559 { 2 } else { 0 },
            caller: self.from.unwrap_or_default(),
            gas_limit: self.gas.unwrap_or(block_gas_limit).min(block_gas_limit),
            gas_price: if eip1559 {
                self.max_fee.unwrap_or(0)
            } else {
                self.gas_price.unwrap_or(0)
            },
            gas_priority_fee: if eip1559 {
                Some(self.max_priority_fee.unwrap_or(0))
            } else {
                None
            },
            kind: self.kind(),
            value: self.value.unwrap_or_default(),
            data: self.input.clone().unwrap_or_default(),
            ..Default::default()
        }
    }
}

/// One account's state override.
#[derive(Debug, Clone, Default)]
struct AccountOverride {
    balance: Option<U256>,
    nonce: Option<u64>,
    code: Option<Bytes>,
    state: Option<HashMap<U256, U256>>,
    state_diff: Option<Vec<(U256, U256)>>,
}

fn parse_slots(v: &Value) -> Result<Vec<(U256, U256)>, String> {
    let Value::Object(o) = v else {
        return Err(format!("expected a slot map, got {v}"));
    };
    o.iter()
        .map(|(k, v)| {
            let slot = parse_word(&Value::String(k.clone()))?;
            Ok((slot, parse_word(v)?))
        })
        .collect()
}

fn parse_overrides(v: &Value) -> Result<Vec<(Address, AccountOverride)>, String> {
    let Value::Object(o) = v else {
        return Err(format!("expected a state override object, got {v}"));
    };
    let mut out = Vec::new();
    for (k, v) in o {
        let address = parse_address(&Value::String(k.clone()))?;
        let Value::Object(a) = v else {
            return Err(format!("override of {k}: expected an object"));
        };
        let state = field(a, "state", parse_slots)?;
        let state_diff = field(a, "stateDiff", parse_slots)?;
        if state.is_some() && state_diff.is_some() {
            return Err(format!("override of {k}: both state and stateDiff"));
        }
        out.push((
            address,
            AccountOverride {
                balance: field(a, "balance", parse_u256)?,
                nonce: field(a, "nonce", parse_u64)?,
                code: field(a, "code", parse_bytes)?,
                state: state.map(|s| s.into_iter().collect()),
                state_diff,
            },
        ));
    }
    Ok(out)
}

fn apply_overrides(chain: &mut Chain, overrides: Vec<(Address, AccountOverride)>) {
    for (address, o) in overrides {
        if let Some(b) = o.balance {
            chain.set_balance(address, b);
        }
        if let Some(n) = o.nonce {
            chain.set_nonce(address, n);
        }
        if let Some(c) = o.code {
            chain.set_code(address, c);
        }
        if let Some(s) = o.state {
            chain.replace_storage(address, s);
        }
        if let Some(d) = o.state_diff {
            for (slot, value) in d {
                chain.set_storage(address, slot, value);
            }
        }
    }
}

fn parse_topic_set(v: &Value) -> Result<Option<Vec<B256>>, String> {
    match v {
        Value::Null => Ok(None),
        Value::Array(a) => a.iter().map(parse_b256).collect::<Result<_, _>>().map(Some),
        other => parse_b256(other).map(|t| Some(vec![t])),
    }
}

struct FilterRequest {
    from: BlockSel,
    to: BlockSel,
    block_hash: Option<B256>,
    addresses: Vec<Address>,
    topics: Vec<Option<Vec<B256>>>,
}

fn parse_filter(v: &Value) -> Result<FilterRequest, String> {
    let Value::Object(o) = v else {
        return Err(format!("expected a filter object, got {v}"));
    };
    let block_hash = field(o, "blockHash", parse_b256)?;
    if block_hash.is_some() && (o.contains_key("fromBlock") || o.contains_key("toBlock")) {
        return Err("blockHash cannot be combined with fromBlock/toBlock".into());
    }
    let addresses = match o.get("address") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().map(parse_address).collect::<Result<_, _>>()?,
        Some(other) => vec![parse_address(other)?],
    };
    let topics = match o.get("topics") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().map(parse_topic_set).collect::<Result<_, _>>()?,
        Some(other) => return Err(format!("topics: expected an array, got {other}")),
    };
    Ok(FilterRequest {
        from: parse_block(o.get("fromBlock")).map_err(|e| format!("fromBlock: {e}"))?,
        to: parse_block(o.get("toBlock")).map_err(|e| format!("toBlock: {e}"))?,
        block_hash,
        addresses,
        topics,
    })
}

// --- JSON of chain objects ---------------------------------------------------------------------

fn log_json(l: &IndexedLog, timestamp: Option<u64>) -> Value {
    let mut v = json!({
        "address": addr(l.log.address),
        "topics": l.log.data.topics().iter().map(|t| h256(*t)).collect::<Vec<_>>(),
        "data": data(&l.log.data.data),
        "blockHash": h256(l.block_hash),
        "blockNumber": qty(l.block_number),
        "transactionHash": h256(l.tx_hash),
        "transactionIndex": qty(l.tx_index),
        "logIndex": qty(l.log_index),
        "removed": false,
    });
    if let Some(t) = timestamp {
        v["blockTimestamp"] = qty(t);
    }
    v
}

fn receipt_json(r: &Receipt, tx_type: u8, timestamp: Option<u64>) -> Value {
    json!({
        "transactionHash": h256(r.tx_hash),
        "transactionIndex": qty(r.tx_index),
        "blockHash": h256(r.block_hash),
        "blockNumber": qty(r.block_number),
        "from": addr(r.from),
        "to": r.to.map(addr).unwrap_or(Value::Null),
        "cumulativeGasUsed": qty(r.cumulative_gas_used),
        "gasUsed": qty(r.gas_used),
        "contractAddress": r.contract_address.map(addr).unwrap_or(Value::Null),
        "logs": r.logs.iter().map(|l| log_json(l, timestamp)).collect::<Vec<_>>(),
        "logsBloom": data(r.logs_bloom.as_slice()),
        "status": if r.success() { "0x1" } else { "0x0" },
        "effectiveGasPrice": qty(r.effective_gas_price),
        "type": qty(tx_type),
    })
}

fn tx_json(tx: &Transaction, receipt: Option<&Receipt>) -> Value {
    let mut v = json!({
        "hash": h256(tx.hash),
        "nonce": qty(tx.nonce),
        "blockHash": receipt.map(|r| h256(r.block_hash)).unwrap_or(Value::Null),
        "blockNumber": receipt.map(|r| qty(r.block_number)).unwrap_or(Value::Null),
        "transactionIndex": receipt.map(|r| qty(r.tx_index)).unwrap_or(Value::Null),
        "from": addr(tx.from),
        "to": tx.to.map(addr).unwrap_or(Value::Null),
        "value": qty(tx.value),
        "gas": qty(tx.gas_limit),
        "input": data(&tx.input),
        "type": qty(tx.tx_type),
    });
    if let Some(id) = tx.chain_id {
        v["chainId"] = qty(id);
    }
    if tx.tx_type >= 2 {
        v["maxFeePerGas"] = qty(tx.gas_price);
        v["maxPriorityFeePerGas"] = qty(tx.max_priority_fee.unwrap_or(0));
        v["gasPrice"] = qty(receipt
            .map(|r| r.effective_gas_price)
            .unwrap_or(tx.gas_price));
    } else {
        v["gasPrice"] = qty(tx.gas_price);
    }
    // signature (and access list) from the signed envelope; zero for impersonated senders
    let envelope = tx
        .raw
        .as_ref()
        .and_then(|raw| TxEnvelope::decode_2718(&mut raw.as_ref()).ok());
    let (r, s, parity) = match &envelope {
        Some(e) => {
            let sig = e.signature();
            (sig.r(), sig.s(), sig.v())
        }
        None => (U256::ZERO, U256::ZERO, false),
    };
    v["r"] = qty(r);
    v["s"] = qty(s);
    if tx.tx_type == 0 {
        let v_value = match tx.chain_id {
            Some(id) => id * 2 + 35 + parity as u64,
            None => 27 + parity as u64,
        };
        v["v"] = qty(v_value);
    } else {
        v["v"] = qty(parity as u64);
        v["yParity"] = qty(parity as u64);
        let list = envelope
            .as_ref()
            .and_then(|e| e.access_list().cloned())
            .unwrap_or_default();
        v["accessList"] = Value::Array(
            list.0
                .iter()
                .map(|item| {
                    json!({
                        "address": addr(item.address),
                        "storageKeys": item.storage_keys.iter().map(|k| h256(*k)).collect::<Vec<_>>(),
                    })
                })
                .collect(),
        );
    }
    v
}

fn block_json(chain: &Chain, b: &Block, full: bool) -> Value {
    let transactions: Vec<Value> = b
        .transactions
        .iter()
        .map(|h| {
            if full {
                match chain.transaction(*h) {
                    Some(tx) => tx_json(tx, chain.receipt(*h)),
                    None => h256(*h),
                }
            } else {
                h256(*h)
            }
        })
        .collect();
    let tx_root = if b.transactions.is_empty() {
        EMPTY_ROOT
    } else {
        alloy_primitives::keccak256(b.transactions.concat())
    };
    json!({
        "number": qty(b.number),
        "hash": h256(b.hash),
        "parentHash": h256(b.parent_hash),
        "nonce": "0x0000000000000000",
        "sha3Uncles": h256(EMPTY_OMMERS),
        "logsBloom": data(b.logs_bloom.as_slice()),
        "transactionsRoot": h256(tx_root),
        "stateRoot": h256(B256::ZERO),
        "receiptsRoot": h256(if b.transactions.is_empty() { EMPTY_ROOT } else { tx_root }),
        "miner": addr(b.coinbase),
        "difficulty": "0x0",
        "totalDifficulty": "0x0",
        "extraData": "0x",
        "size": qty(500 + 100 * b.transactions.len() as u64),
        "gasLimit": qty(b.gas_limit),
        "gasUsed": qty(b.gas_used),
        "timestamp": qty(b.timestamp),
        "transactions": transactions,
        "uncles": [],
        "baseFeePerGas": qty(b.base_fee),
        "mixHash": h256(alloy_primitives::keccak256(b.parent_hash)),
        "withdrawals": [],
        "withdrawalsRoot": h256(EMPTY_ROOT),
        "blobGasUsed": "0x0",
        "excessBlobGas": "0x0",
        "parentBeaconBlockRoot": h256(B256::ZERO),
        "requestsHash": h256(EMPTY_REQUESTS),
    })
}

fn call_result(r: ExecutionResult) -> RpcResult {
    match r {
        ExecutionResult::Success { .. } => {
            let (_, out, _, _) = split_result(r);
            Ok(data(&out))
        }
        ExecutionResult::Revert { output, .. } => Err(RpcError::revert(&output)),
        ExecutionResult::Halt { reason, .. } => {
            Err(RpcError::server(format!("execution halted: {reason:?}")))
        }
    }
}

// --- the node ----------------------------------------------------------------------------------

/// The RPC side of a node: the chain handle plus the signer state anvil keeps outside the chain.
pub struct Node {
    chain: ChainHandle,
    config: ChainConfig,
    keys: HashMap<Address, B256>,
    accounts: Vec<Address>,
    impersonated: Mutex<HashSet<Address>>,
    auto_impersonate: AtomicBool,
}

impl Node {
    pub fn new(chain: ChainHandle, config: ChainConfig, keys: Vec<(Address, B256)>) -> Self {
        Self {
            chain,
            config,
            accounts: keys.iter().map(|(a, _)| *a).collect(),
            keys: keys.into_iter().collect(),
            impersonated: Mutex::new(HashSet::new()),
            auto_impersonate: AtomicBool::new(false),
        }
    }

    /// Answers an HTTP body: a request or a batch. `None` when nothing is to be sent back.
    pub fn handle_body(&self, body: &[u8]) -> Option<Vec<u8>> {
        let response = match serde_json::from_slice::<Value>(body) {
            Err(_) => error_response(Value::Null, &RpcError::parse()),
            Ok(Value::Array(batch)) => {
                if batch.is_empty() {
                    error_response(Value::Null, &RpcError::invalid_request("empty batch"))
                } else {
                    Value::Array(batch.iter().map(|r| self.handle_request(r)).collect())
                }
            }
            Ok(request) => self.handle_request(&request),
        };
        serde_json::to_vec(&response).ok()
    }

    /// Answers one request object.
    pub fn handle_request(&self, request: &Value) -> Value {
        let Value::Object(o) = request else {
            return error_response(Value::Null, &RpcError::invalid_request("not an object"));
        };
        let id = o.get("id").cloned().unwrap_or(Value::Null);
        let Some(Value::String(method)) = o.get("method") else {
            return error_response(id, &RpcError::invalid_request("no method"));
        };
        let empty = Vec::new();
        let params = match o.get("params") {
            None | Some(Value::Null) => &empty,
            Some(Value::Array(a)) => a,
            Some(_) => {
                return error_response(id, &RpcError::params("params must be an array"));
            }
        };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.dispatch(method, Params(params))
        }))
        .unwrap_or_else(|_| Err(RpcError::internal("internal error: the request panicked")));
        match outcome {
            Ok(result) => json!({ "jsonrpc": "2.0", "id": id, "result": result }),
            Err(e) => error_response(id, &e),
        }
    }

    fn with<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Chain) -> Result<R, RpcError> + Send + 'static,
    ) -> Result<R, RpcError> {
        self.chain.with(f)?
    }

    fn can_send(&self, from: Address) -> bool {
        self.keys.contains_key(&from)
            || self.auto_impersonate.load(Ordering::SeqCst)
            || self
                .impersonated
                .lock()
                .map(|s| s.contains(&from))
                .unwrap_or(false)
    }

    fn dispatch(&self, method: &str, p: Params<'_>) -> RpcResult {
        let chain_id = self.config.chain_id;
        let gas_limit = self.config.block_gas_limit;
        match method {
            "web3_clientVersion" => Ok(json!(CLIENT_VERSION)),
            "web3_sha3" => {
                let d = p.get(0, "data", parse_bytes)?;
                Ok(h256(alloy_primitives::keccak256(d)))
            }
            "net_version" => Ok(json!(chain_id.to_string())),
            "net_listening" => Ok(json!(true)),
            "net_peerCount" => Ok(qty(0u64)),
            "eth_chainId" => Ok(qty(chain_id)),
            "eth_syncing" => Ok(json!(false)),
            "eth_mining" => Ok(json!(true)),
            "eth_hashrate" => Ok(qty(0u64)),
            "eth_coinbase" => Ok(addr(self.config.coinbase)),
            "eth_accounts" => Ok(Value::Array(
                self.accounts.iter().map(|a| addr(*a)).collect(),
            )),
            "eth_blockNumber" => self.with(|c| Ok(qty(c.block_number()))),
            "eth_gasPrice" => Ok(qty(self.config.base_fee)),
            "eth_maxPriorityFeePerGas" => Ok(qty(0u64)),
            "eth_blobBaseFee" => Ok(qty(1u64)),
            "eth_feeHistory" => {
                let count = p.get(0, "block count", parse_u64)?.clamp(1, 1024);
                let newest = p.block(1)?;
                let percentiles = match p.opt(2) {
                    Some(Value::Array(a)) => Some(a.len()),
                    _ => None,
                };
                self.with(move |c| {
                    let newest = newest
                        .number(c)
                        .ok_or_else(|| RpcError::server("block not found"))?
                        .min(c.block_number());
                    let oldest = newest.saturating_sub(count - 1);
                    let mut base = Vec::new();
                    let mut ratio = Vec::new();
                    let mut reward = Vec::new();
                    for n in oldest..=newest {
                        let b = c.block(n).expect("block exists");
                        base.push(qty(b.base_fee));
                        ratio.push(json!(b.gas_used as f64 / b.gas_limit.max(1) as f64));
                        if let Some(k) = percentiles {
                            reward.push(Value::Array(vec![qty(0u64); k]));
                        }
                    }
                    base.push(qty(c.config().base_fee));
                    let n = ratio.len();
                    let mut v = json!({
                        "oldestBlock": qty(oldest),
                        "baseFeePerGas": base,
                        "gasUsedRatio": ratio,
                        "baseFeePerBlobGas": vec![qty(0u64); n + 1],
                        "blobGasUsedRatio": vec![json!(0.0); n],
                    });
                    if percentiles.is_some() {
                        v["reward"] = Value::Array(reward);
                    }
                    Ok(v)
                })
            }
            "eth_getBalance" => {
                let a = p.get(0, "address", parse_address)?;
                let b = p.block(1)?;
                self.with(move |c| {
                    b.check_state(c)?;
                    Ok(qty(c.balance(a)))
                })
            }
            "eth_getCode" => {
                let a = p.get(0, "address", parse_address)?;
                let b = p.block(1)?;
                self.with(move |c| {
                    b.check_state(c)?;
                    Ok(data(&c.code(a)))
                })
            }
            "eth_getStorageAt" => {
                let a = p.get(0, "address", parse_address)?;
                let slot = p.get(1, "slot", parse_word)?;
                let b = p.block(2)?;
                self.with(move |c| {
                    b.check_state(c)?;
                    Ok(h256(B256::from(c.storage(a, slot).to_be_bytes())))
                })
            }
            "eth_getTransactionCount" => {
                let a = p.get(0, "address", parse_address)?;
                let b = p.block(1)?;
                self.with(move |c| {
                    if b == BlockSel::Pending {
                        return Ok(qty(c.pending_nonce(a)));
                    }
                    b.check_state(c)?;
                    Ok(qty(c.nonce(a)))
                })
            }
            "eth_getBlockByNumber" | "eth_getBlockByHash" => {
                let sel = if method == "eth_getBlockByHash" {
                    BlockSel::Hash(p.get(0, "block hash", parse_b256)?)
                } else {
                    p.block(0)?
                };
                let full = p
                    .get_opt(1, "full transactions", parse_bool)?
                    .unwrap_or(false);
                self.with(move |c| {
                    let Some(n) = sel.number(c) else {
                        return Ok(Value::Null);
                    };
                    Ok(match c.block(n) {
                        Some(b) => block_json(c, b, full),
                        None => Value::Null,
                    })
                })
            }
            "eth_getBlockTransactionCountByNumber" | "eth_getBlockTransactionCountByHash" => {
                let sel = if method.ends_with("ByHash") {
                    BlockSel::Hash(p.get(0, "block hash", parse_b256)?)
                } else {
                    p.block(0)?
                };
                self.with(move |c| {
                    Ok(sel
                        .number(c)
                        .and_then(|n| c.block(n))
                        .map(|b| qty(b.transactions.len() as u64))
                        .unwrap_or(Value::Null))
                })
            }
            "eth_getTransactionByHash" => {
                let h = p.get(0, "transaction hash", parse_b256)?;
                self.with(move |c| {
                    Ok(c.transaction(h)
                        .map(|t| tx_json(t, c.receipt(h)))
                        .unwrap_or(Value::Null))
                })
            }
            "eth_getTransactionReceipt" => {
                let h = p.get(0, "transaction hash", parse_b256)?;
                self.with(move |c| {
                    let Some(r) = c.receipt(h) else {
                        return Ok(Value::Null);
                    };
                    let ty = c.transaction(h).map(|t| t.tx_type).unwrap_or(0);
                    let ts = c.block(r.block_number).map(|b| b.timestamp);
                    Ok(receipt_json(r, ty, ts))
                })
            }
            "eth_call" | "eth_estimateGas" => {
                let req = p.get(0, "transaction", parse_tx_request)?;
                let b = p.block(1)?;
                let overrides = p.get_opt(2, "state overrides", parse_overrides)?;
                let estimate = method == "eth_estimateGas";
                req.check_fees()?;
                self.with(move |c| {
                    b.check_state(c)?;
                    let tx = req.txenv(gas_limit);
                    let overrides = overrides.unwrap_or_default();
                    let apply = |c: &mut Chain| apply_overrides(c, overrides);
                    if estimate {
                        Ok(qty(c.estimate_gas_in(tx, b.call_block(), apply)?))
                    } else {
                        call_result(c.call_in(tx, b.call_block(), apply)?)
                    }
                })
            }
            "eth_sendTransaction" => {
                let req = p.get(0, "transaction", parse_tx_request)?;
                let from = req
                    .from
                    .ok_or_else(|| RpcError::params("transaction has no `from`"))?;
                if !self.can_send(from) {
                    return Err(RpcError::server(format!(
                        "No Signer available for {from} (not a dev account, not impersonated)"
                    )));
                }
                let key = self.keys.get(&from).copied();
                self.with(move |c| send_transaction(c, req, from, key).map(h256))
            }
            "eth_sendRawTransaction" => {
                let raw = p.get(0, "signed transaction", parse_bytes)?;
                let tx = decode_raw(&raw, chain_id)?;
                self.with(move |c| Ok(h256(c.submit(tx)?)))
            }
            "eth_getLogs" => {
                let f = p.get(0, "filter", parse_filter)?;
                self.with(move |c| {
                    let (from_block, to_block) = if f.block_hash.is_some() {
                        (None, None)
                    } else {
                        (f.from.number(c), f.to.number(c))
                    };
                    if let (Some(a), Some(b)) = (from_block, to_block) {
                        if a > b {
                            return Err(RpcError::params(format!(
                                "fromBlock {a} is after toBlock {b}"
                            )));
                        }
                    }
                    let filter = LogFilter {
                        from_block,
                        to_block,
                        block_hash: f.block_hash,
                        addresses: f.addresses,
                        topics: f.topics,
                    };
                    let logs = c.logs(&filter);
                    Ok(Value::Array(
                        logs.iter()
                            .map(|l| log_json(l, c.block(l.block_number).map(|b| b.timestamp)))
                            .collect(),
                    ))
                })
            }
            // --- anvil / evm cheats ----------------------------------------------------------
            "evm_mine" => {
                let (timestamp, blocks) = match p.opt(0) {
                    Some(Value::Object(o)) => (
                        field(o, "timestamp", parse_u64).map_err(RpcError::params)?,
                        field(o, "blocks", parse_u64).map_err(RpcError::params)?,
                    ),
                    Some(_) => (Some(p.get(0, "timestamp", parse_u64)?), None),
                    None => (None, None),
                };
                self.with(move |c| {
                    if let Some(t) = timestamp {
                        c.set_next_block_timestamp(t)?;
                    }
                    c.mine(blocks.unwrap_or(1))?;
                    Ok(json!("0x0"))
                })
            }
            "anvil_mine" | "hardhat_mine" => {
                let blocks = p.get_opt(0, "blocks", parse_u64)?.unwrap_or(1).max(1);
                let interval = p.get_opt(1, "interval", parse_u64)?;
                self.with(move |c| {
                    for i in 0..blocks {
                        if let (Some(dt), true) = (interval, i > 0) {
                            let next = c.latest().timestamp + dt.max(1);
                            c.set_next_block_timestamp(next)?;
                        }
                        c.mine(1)?;
                    }
                    Ok(Value::Null)
                })
            }
            "evm_increaseTime" => {
                let s = p.get(0, "seconds", parse_u64)?;
                self.with(move |c| Ok(json!(c.increase_time(s))))
            }
            "evm_setNextBlockTimestamp" => {
                let t = p.get(0, "timestamp", parse_u64)?;
                self.with(move |c| {
                    c.set_next_block_timestamp(t)?;
                    Ok(Value::Null)
                })
            }
            "evm_snapshot" => self.with(|c| Ok(qty(c.snapshot()))),
            "evm_revert" => {
                let id = p.get(0, "snapshot id", parse_u256)?;
                self.with(move |c| Ok(json!(c.revert_to(id).is_ok())))
            }
            "evm_setAutomine" | "anvil_setAutomine" => {
                let on = p.get(0, "enabled", parse_bool)?;
                self.with(move |c| {
                    c.set_automine(on);
                    Ok(Value::Null)
                })
            }
            "anvil_getAutomine" | "hardhat_getAutomine" => self.with(|c| Ok(json!(c.automine()))),
            "anvil_setBalance" | "hardhat_setBalance" => {
                let a = p.get(0, "address", parse_address)?;
                let v = p.get(1, "balance", parse_u256)?;
                self.with(move |c| {
                    c.set_balance(a, v);
                    Ok(Value::Null)
                })
            }
            "anvil_setCode" | "hardhat_setCode" => {
                let a = p.get(0, "address", parse_address)?;
                let code = p.get(1, "code", parse_bytes)?;
                self.with(move |c| {
                    c.set_code(a, code);
                    Ok(Value::Null)
                })
            }
            "anvil_setStorageAt" | "hardhat_setStorageAt" => {
                let a = p.get(0, "address", parse_address)?;
                let slot = p.get(1, "slot", parse_word)?;
                let value = p.get(2, "value", parse_word)?;
                self.with(move |c| {
                    c.set_storage(a, slot, value);
                    Ok(json!(true))
                })
            }
            "anvil_setNonce" | "hardhat_setNonce" => {
                let a = p.get(0, "address", parse_address)?;
                let n = p.get(1, "nonce", parse_u64)?;
                self.with(move |c| {
                    c.set_nonce(a, n);
                    Ok(Value::Null)
                })
            }
            "anvil_impersonateAccount" | "hardhat_impersonateAccount" => {
                let a = p.get(0, "address", parse_address)?;
                self.impersonated
                    .lock()
                    .map_err(|_| RpcError::internal("lock poisoned"))?
                    .insert(a);
                Ok(Value::Null)
            }
            "anvil_stopImpersonatingAccount" | "hardhat_stopImpersonatingAccount" => {
                let a = p.get(0, "address", parse_address)?;
                self.impersonated
                    .lock()
                    .map_err(|_| RpcError::internal("lock poisoned"))?
                    .remove(&a);
                Ok(Value::Null)
            }
            "anvil_autoImpersonateAccount" => {
                let on = p.get(0, "enabled", parse_bool)?;
                self.auto_impersonate.store(on, Ordering::SeqCst);
                Ok(Value::Null)
            }
            // Test builds only: panics on the connection's thread, or with "chain" on the
            // chain's, to show that the request fails alone (-32603).
            #[cfg(test)]
            "devnode_testPanic" => {
                if p.opt(0) == Some(&json!("chain")) {
                    self.with(|_| -> Result<Value, RpcError> { panic!("devnode_testPanic") })
                } else {
                    panic!("devnode_testPanic")
                }
            }
            _ => Err(RpcError::method_not_found(method)),
        }
    }
}

fn error_response(id: Value, e: &RpcError) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": e.to_json() })
}

/// `eth_sendTransaction` on the chain thread: fills nonce, gas (estimated; a revert is
/// reported as anvil does) and fees, signs with the dev key when there is one, submits.
fn send_transaction(
    c: &mut Chain,
    req: TxRequest,
    from: Address,
    key: Option<B256>,
) -> Result<B256, RpcError> {
    let chain_id = c.chain_id();
    let base_fee = c.config().base_fee as u128;
    let nonce = req.nonce.unwrap_or_else(|| c.pending_nonce(from));
    let gas = match req.gas {
        Some(g) => g,
        None => {
            let mut probe = req.clone();
            probe.from = Some(from);
            c.estimate_gas(probe.txenv(c.config().block_gas_limit))?
        }
    };
    let legacy = req.gas_price.is_some() && req.max_fee.is_none();
    let input = req.input.clone().unwrap_or_default();
    let value = req.value.unwrap_or_default();
    let kind = req.kind();
    let mut tx = if legacy {
        Transaction {
            hash: B256::ZERO,
            from,
            to: req.to,
            nonce,
            value,
            input: input.clone(),
            gas_limit: gas,
            gas_price: req.gas_price.unwrap_or(base_fee),
            max_priority_fee: None,
            chain_id: Some(chain_id),
            tx_type: 0,
            raw: None,
        }
    } else {
        let tip = req.max_priority_fee.unwrap_or(0);
        Transaction {
            hash: B256::ZERO,
            from,
            to: req.to,
            nonce,
            value,
            input: input.clone(),
            gas_limit: gas,
            gas_price: req.max_fee.unwrap_or(2 * base_fee + tip),
            max_priority_fee: Some(tip),
            chain_id: Some(chain_id),
            tx_type: 2,
            raw: None,
        }
    };
    if let Some(key) = key {
        let signer = k256::ecdsa::SigningKey::from_slice(key.as_slice())
            .map_err(|e| RpcError::internal(format!("bad dev key: {e}")))?;
        let sign = |hash: B256| -> Result<Signature, RpcError> {
            let (sig, recid) = signer
                .sign_prehash_recoverable(hash.as_slice())
                .map_err(|e| RpcError::internal(format!("signing failed: {e}")))?;
            Ok(Signature::from_signature_and_parity(sig, recid.is_y_odd()))
        };
        let envelope: TxEnvelope = if legacy {
            let t = TxLegacy {
                chain_id: Some(chain_id),
                nonce,
                gas_price: tx.gas_price,
                gas_limit: gas,
                to: kind,
                value,
                input,
            };
            let sig = sign(t.signature_hash())?;
            t.into_signed(sig).into()
        } else {
            let t = TxEip1559 {
                chain_id,
                nonce,
                gas_limit: gas,
                max_fee_per_gas: tx.gas_price,
                max_priority_fee_per_gas: tx.max_priority_fee.unwrap_or(0),
                to: kind,
                value,
                access_list: Default::default(),
                input,
            };
            let sig = sign(t.signature_hash())?;
            t.into_signed(sig).into()
        };
        tx.hash = *envelope.tx_hash();
        tx.raw = Some(envelope.encoded_2718().into());
    }
    Ok(c.submit(tx)?)
}

/// Decodes a signed legacy / EIP-2930 / EIP-1559 envelope and recovers its sender.
pub fn decode_raw(raw: &[u8], chain_id: u64) -> Result<Transaction, RpcError> {
    let envelope = TxEnvelope::decode_2718(&mut &raw[..])
        .map_err(|e| RpcError::params(format!("invalid signed transaction: {e}")))?;
    let tx_type = envelope.ty();
    if tx_type > 2 {
        return Err(RpcError::server(format!(
            "transaction type {tx_type} is not supported (legacy, 2930 and 1559 are)"
        )));
    }
    if envelope.chain_id().is_some_and(|id| id != chain_id) {
        return Err(InvalidTx::InvalidChainId.into());
    }
    let from = envelope
        .recover_signer()
        .map_err(|e| RpcError::params(format!("cannot recover the signer: {e}")))?;
    let eip1559 = tx_type == 2;
    Ok(Transaction {
        hash: *envelope.tx_hash(),
        from,
        to: envelope.to(),
        nonce: envelope.nonce(),
        value: envelope.value(),
        input: envelope.input().clone(),
        gas_limit: envelope.gas_limit(),
        gas_price: if eip1559 {
            envelope.max_fee_per_gas()
        } else {
            envelope.gas_price().unwrap_or(0)
        },
        max_priority_fee: if eip1559 {
            envelope.max_priority_fee_per_gas()
        } else {
            None
        },
        chain_id: envelope.chain_id(),
        tx_type,
        raw: Some(Bytes::copy_from_slice(raw)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_formatted_like_anvil() {
        assert_eq!(qty(0u64), json!("0x0"));
        assert_eq!(qty(1u64), json!("0x1"));
        assert_eq!(qty(412_346u64), json!("0x64aba"));
        assert_eq!(qty(U256::from(255)), json!("0xff"));
        assert_eq!(parse_u256(&json!("0x00ff")).unwrap(), U256::from(255));
        assert_eq!(parse_u256(&json!(16)).unwrap(), U256::from(16));
        assert!(parse_u256(&json!("0x")).is_err());
        assert!(parse_u256(&json!("0xzz")).is_err());
    }

    #[test]
    fn revert_reasons_are_decoded() {
        let data = Revert::from("nope").abi_encode();
        let e = RpcError::revert(&data);
        assert_eq!(e.code, 3);
        assert_eq!(e.message, "execution reverted: nope");
        assert_eq!(e.data, Some(json!(hex_data(&data))));
        let e = RpcError::revert(&[0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(e.message, "execution reverted");
        assert_eq!(e.data, Some(json!("0xdeadbeef")));
        let p = Panic {
            code: U256::from(0x11),
        }
        .abi_encode();
        assert_eq!(
            RpcError::revert(&p).message,
            "execution reverted: panic: arithmetic underflow or overflow (0x11)"
        );
    }
}
