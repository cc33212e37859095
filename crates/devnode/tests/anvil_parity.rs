//! Answers that must be anvil's, checked against what stock anvil 1.7 answers to the same
//! requests: the transaction pool (future nonces wait for the gap to close), the block
//! `eth_call` runs in, and the codes and messages of refused transactions.

mod common;

use alloy_consensus::{SignableTransaction, TxEip1559, TxEnvelope, TxLegacy};
use alloy_eips::eip2718::Encodable2718;
use alloy_primitives::{address, b256, hex, Address, Signature, TxKind, B256, U256};
use common::client::{err, ok};
use devnode::chain::ANVIL_DEV_ACCOUNTS;
use devnode::rpc::{serve, RunningNode, ANVIL_DEV_KEYS};
use devnode::ChainConfig;
use serde_json::{json, Value};

const CHAIN_ID: u64 = 412_346;
const BOB: Address = address!("0000000000000000000000000000000000000b0b");
/// A key whose account holds nothing.
const POOR_KEY: B256 = b256!("0000000000000000000000000000000000000000000000000000000000000123");
const GWEI: u128 = 1_000_000_000;

fn start() -> RunningNode {
    serve(ChainConfig::default(), "127.0.0.1:0".parse().unwrap()).unwrap()
}

fn hexs(b: &[u8]) -> String {
    format!("0x{}", hex::encode(b))
}

fn num(v: &Value) -> u64 {
    let s = v.as_str().unwrap_or_else(|| panic!("not a quantity: {v}"));
    u64::from_str_radix(s.trim_start_matches("0x"), 16).unwrap()
}

fn sign(key: &B256, hash: B256) -> Signature {
    let k = k256::ecdsa::SigningKey::from_slice(key.as_slice()).unwrap();
    let (sig, recid) = k.sign_prehash_recoverable(hash.as_slice()).unwrap();
    Signature::from_signature_and_parity(sig, recid.is_y_odd())
}

/// An EIP-1559 transaction; the defaults are a plain transfer of `value` to [`BOB`].
#[derive(Clone)]
struct Tx {
    key: B256,
    nonce: u64,
    gas: u64,
    max_fee: u128,
    tip: u128,
    value: U256,
    to: TxKind,
    input: Vec<u8>,
    chain_id: u64,
}

impl Tx {
    fn new(nonce: u64) -> Self {
        Tx {
            key: ANVIL_DEV_KEYS[0],
            nonce,
            gas: 21_000,
            max_fee: GWEI,
            tip: 0,
            value: U256::from(1),
            to: TxKind::Call(BOB),
            input: Vec::new(),
            chain_id: CHAIN_ID,
        }
    }

    fn raw(&self) -> String {
        let tx = TxEip1559 {
            chain_id: self.chain_id,
            nonce: self.nonce,
            gas_limit: self.gas,
            max_fee_per_gas: self.max_fee,
            max_priority_fee_per_gas: self.tip,
            to: self.to,
            value: self.value,
            access_list: Default::default(),
            input: self.input.clone().into(),
        };
        let sig = sign(&self.key, tx.signature_hash());
        hexs(&TxEnvelope::from(tx.into_signed(sig)).encoded_2718())
    }

    fn send(&self, node: &RunningNode) -> Value {
        ok(node, "eth_sendRawTransaction", json!([self.raw()]))
    }

    fn refused(&self, node: &RunningNode) -> (i64, String) {
        err(node, "eth_sendRawTransaction", json!([self.raw()]))
    }
}

fn tx_count(node: &RunningNode, who: Address, block: &str) -> u64 {
    num(&ok(node, "eth_getTransactionCount", json!([who, block])))
}

// --- the pool ----------------------------------------------------------------------------

#[test]
fn a_future_nonce_waits_in_the_pool_and_is_mined_when_the_gap_closes() {
    let node = start();
    let dev = ANVIL_DEV_ACCOUNTS[0];
    let h1 = Tx::new(1).send(&node);
    // queued: not mined, visible by hash with null block fields, no receipt
    assert_eq!(num(&ok(&node, "eth_blockNumber", json!([]))), 0);
    assert_eq!(
        ok(&node, "eth_getTransactionReceipt", json!([h1])),
        Value::Null
    );
    let queued = ok(&node, "eth_getTransactionByHash", json!([h1]));
    assert_eq!(queued["hash"], h1);
    assert_eq!(queued["nonce"], "0x1");
    for field in ["blockHash", "blockNumber", "transactionIndex"] {
        assert_eq!(queued[field], Value::Null, "{field}: {queued}");
    }
    // like anvil, "pending" counts only the transactions that can run (none: nonce 0 is missing)
    assert_eq!(tx_count(&node, dev, "pending"), 0);
    assert_eq!(tx_count(&node, dev, "latest"), 0);
    // the same transaction again, and another one for nonce 1 that pays no more
    assert_eq!(
        Tx::new(1).refused(&node),
        (-32003, "transaction already imported".into())
    );
    let same_price = Tx {
        value: U256::from(2),
        ..Tx::new(1)
    };
    assert_eq!(
        same_price.refused(&node),
        (-32003, "replacement transaction underpriced".into())
    );

    // nonce 0 closes the gap: both are mined in nonce order, in one block as anvil automines
    let h0 = Tx::new(0).send(&node);
    assert_eq!(num(&ok(&node, "eth_blockNumber", json!([]))), 1);
    let r0 = ok(&node, "eth_getTransactionReceipt", json!([h0]));
    let r1 = ok(&node, "eth_getTransactionReceipt", json!([h1]));
    for r in [&r0, &r1] {
        assert_eq!(r["status"], "0x1", "{r}");
        assert_eq!(r["blockNumber"], "0x1");
    }
    assert_eq!(
        (num(&r0["transactionIndex"]), num(&r1["transactionIndex"])),
        (0, 1)
    );
    assert_eq!(
        ok(&node, "eth_getTransactionByHash", json!([h1]))["blockNumber"],
        "0x1"
    );
    let block = ok(&node, "eth_getBlockByNumber", json!(["0x1", false]));
    assert_eq!(block["transactions"], json!([h0, h1]));
    assert_eq!(tx_count(&node, dev, "latest"), 2);
    assert_eq!(tx_count(&node, dev, "pending"), 2);
    assert_eq!(ok(&node, "eth_getBalance", json!([BOB, "latest"])), "0x2");

    // a used nonce stays an error
    let reuse = Tx {
        value: U256::from(5),
        ..Tx::new(0)
    };
    assert_eq!(reuse.refused(&node), (-32003, "nonce too low".into()));
}

#[test]
fn without_automine_the_pool_counts_ready_transactions_and_mines_them_in_nonce_order() {
    let node = start();
    let dev = ANVIL_DEV_ACCOUNTS[0];
    ok(&node, "evm_setAutomine", json!([false]));
    let h2 = Tx::new(2).send(&node);
    let h0 = Tx::new(0).send(&node);
    assert_eq!(tx_count(&node, dev, "pending"), 1);
    let h1 = Tx::new(1).send(&node);
    assert_eq!(tx_count(&node, dev, "pending"), 3);
    // a replacement that pays more takes the queued one's place
    let h2b = Tx {
        max_fee: 2 * GWEI,
        value: U256::from(10),
        ..Tx::new(2)
    }
    .send(&node);
    assert_eq!(
        ok(&node, "eth_getTransactionByHash", json!([h2])),
        Value::Null
    );
    ok(&node, "evm_mine", json!([]));
    let block = ok(&node, "eth_getBlockByNumber", json!(["latest", false]));
    assert_eq!(block["number"], "0x1");
    assert_eq!(block["transactions"], json!([h0, h1, h2b]));
    assert_eq!(ok(&node, "eth_getBalance", json!([BOB, "latest"])), "0xc");
    assert_eq!(tx_count(&node, dev, "latest"), 3);
}

// --- the block eth_call runs in --------------------------------------------------------------

/// `NUMBER` (0x43) or `TIMESTAMP` (0x42), then `PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`.
fn returning(opcode: u8) -> String {
    hexs(&[opcode, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3])
}

#[test]
fn eth_call_runs_in_the_latest_block_and_pending_in_the_next() {
    let node = start();
    let number = address!("00000000000000000000000000000000000000aa");
    let timestamp = address!("00000000000000000000000000000000000000bb");
    ok(&node, "anvil_setCode", json!([number, returning(0x43)]));
    ok(&node, "anvil_setCode", json!([timestamp, returning(0x42)]));
    let t0 = 1_900_000_000u64;
    ok(&node, "evm_mine", json!([t0]));
    ok(&node, "evm_mine", json!([t0 + 100]));
    let call = |to: Address, block: Option<&str>| -> u64 {
        let mut params = vec![json!({ "to": to })];
        params.extend(block.map(|b| json!(b)));
        let out = ok(&node, "eth_call", Value::Array(params));
        U256::from_str_radix(out.as_str().unwrap().trim_start_matches("0x"), 16)
            .unwrap()
            .to()
    };
    // latest (explicit, by number, or by default): block 2 as mined
    for block in [Some("latest"), Some("0x2"), None] {
        assert_eq!(call(number, block), 2, "{block:?}");
        assert_eq!(call(timestamp, block), t0 + 100, "{block:?}");
    }
    let b2 = ok(&node, "eth_getBlockByNumber", json!(["latest", false]));
    let by_hash = json!([{ "to": number }, { "blockHash": b2["hash"] }]);
    assert_eq!(
        ok(&node, "eth_call", by_hash),
        json!(format!("0x{:064x}", 2))
    );
    // pending: the block being built
    ok(&node, "evm_setNextBlockTimestamp", json!([t0 + 1000]));
    assert_eq!(call(number, Some("pending")), 3);
    assert_eq!(call(timestamp, Some("pending")), t0 + 1000);
    // estimates run in the same environments
    let est = ok(
        &node,
        "eth_estimateGas",
        json!([{ "to": number }, "pending"]),
    );
    assert!(num(&est) > 21_000);
    // a block that does not exist yet
    let (code, message) = err(&node, "eth_call", json!([{ "to": number }, "0x9"]));
    assert_eq!(
        (code, message.as_str()),
        (
            -32602,
            "BlockOutOfRangeError: block height is 2 but requested was 9"
        )
    );
}

// --- refused transactions ----------------------------------------------------------------

#[test]
fn refused_raw_transactions_answer_anvils_codes_and_messages() {
    let node = start();
    let funds = (
        -32003,
        "Insufficient funds for gas * price + value".to_string(),
    );
    let cases: Vec<(&str, Tx, (i64, String))> = vec![
        (
            "nothing to pay gas with",
            Tx {
                key: POOR_KEY,
                ..Tx::new(0)
            },
            funds.clone(),
        ),
        (
            "value above the balance",
            Tx {
                value: U256::from(100_000u64) * U256::from(10u64).pow(U256::from(18)),
                ..Tx::new(0)
            },
            funds.clone(),
        ),
        (
            "gas above the block's",
            Tx {
                gas: 40_000_000,
                ..Tx::new(0)
            },
            (
                -32000,
                "intrinsic gas too high -- tx.gas_limit > env.block.gas_limit".into(),
            ),
        ),
        (
            "gas below 21000",
            Tx {
                gas: 20_000,
                ..Tx::new(0)
            },
            (-32000, "intrinsic gas too low".into()),
        ),
        // anvil's pool checks only the 21000 floor, then drops this one while mining an empty
        // block; the devnode refuses it (as geth does) rather than lose it silently
        (
            "gas below the calldata's cost",
            Tx {
                gas: 21_100,
                input: vec![0xff; 100],
                ..Tx::new(0)
            },
            (-32000, "intrinsic gas too low".into()),
        ),
        (
            "fee cap below the base fee",
            Tx {
                max_fee: 1,
                ..Tx::new(0)
            },
            (-32003, "max fee per gas less than block base fee".into()),
        ),
        (
            "tip above the fee cap",
            Tx {
                tip: 2 * GWEI,
                ..Tx::new(0)
            },
            (
                -32003,
                "max priority fee per gas higher than max fee per gas".into(),
            ),
        ),
        (
            "another chain",
            Tx {
                chain_id: 1,
                ..Tx::new(0)
            },
            (-32003, "invalid chain id for signer".into()),
        ),
        (
            "init code above EIP-3860's limit",
            Tx {
                to: TxKind::Create,
                input: vec![0; 50_000],
                gas: 20_000_000,
                value: U256::ZERO,
                ..Tx::new(0)
            },
            (-32003, "max initcode size exceeded".into()),
        ),
    ];
    for (what, tx, want) in &cases {
        assert_eq!(&tx.refused(&node), want, "{what}");
    }
    // legacy gas price below the base fee
    let legacy = TxLegacy {
        chain_id: Some(CHAIN_ID),
        gas_price: 1,
        gas_limit: 21_000,
        to: TxKind::Call(BOB),
        ..Default::default()
    };
    let sig = sign(&ANVIL_DEV_KEYS[0], legacy.signature_hash());
    let raw = hexs(&TxEnvelope::from(legacy.into_signed(sig)).encoded_2718());
    assert_eq!(
        err(&node, "eth_sendRawTransaction", json!([raw])),
        (-32003, "max fee per gas less than block base fee".into())
    );
    // nothing was mined; a valid one goes through, then its nonce is used
    assert_eq!(num(&ok(&node, "eth_blockNumber", json!([]))), 0);
    Tx::new(0).send(&node);
    let again = Tx {
        value: U256::from(9),
        ..Tx::new(0)
    };
    assert_eq!(again.refused(&node), (-32003, "nonce too low".into()));
}

#[test]
fn refused_sends_and_calls_answer_anvils_codes_and_messages() {
    let node = start();
    let dev = ANVIL_DEV_ACCOUNTS[0];
    let poor = address!("0000000000000000000000000000000000000123");
    let huge = "0x21e19e0c9bab2400000000"; // 10M ether
    let funds = (
        -32003,
        "Insufficient funds for gas * price + value".to_string(),
    );
    let cases = [
        (
            "eth_sendTransaction",
            json!({ "from": dev, "to": BOB, "value": huge }),
            funds.clone(),
        ),
        (
            "eth_sendTransaction",
            json!({ "from": dev, "to": BOB, "value": huge, "gas": "0x5208" }),
            funds.clone(),
        ),
        (
            "eth_sendTransaction",
            json!({ "from": dev, "to": BOB, "gas": "0x5000" }),
            (-32000, "intrinsic gas too low".into()),
        ),
        (
            "eth_sendTransaction",
            json!({ "from": dev, "to": BOB, "gas": "0x5000000" }),
            (
                -32000,
                "intrinsic gas too high -- tx.gas_limit > env.block.gas_limit".into(),
            ),
        ),
        (
            "eth_sendTransaction",
            json!({ "from": dev, "to": BOB, "maxFeePerGas": "0x1" }),
            (-32003, "max fee per gas less than block base fee".into()),
        ),
        (
            "eth_sendTransaction",
            json!({ "from": dev, "to": BOB, "gasPrice": "0x1" }),
            (-32003, "max fee per gas less than block base fee".into()),
        ),
        (
            "eth_call",
            json!({ "from": dev, "to": BOB, "value": huge }),
            funds.clone(),
        ),
        (
            "eth_call",
            json!({ "from": poor, "to": BOB, "gasPrice": "0x100000000" }),
            funds.clone(),
        ),
        (
            "eth_call",
            json!({ "from": dev, "to": BOB, "gas": "0x5000" }),
            (
                -32000,
                "intrinsic gas too high -- CallGasCostMoreThanGasLimit".into(),
            ),
        ),
        (
            "eth_call",
            json!({ "from": dev, "to": BOB, "maxFeePerGas": "0x100000000", "maxPriorityFeePerGas": "0x200000000" }),
            (
                -32602,
                "Invalid input: `max_priority_fee_per_gas` greater than `max_fee_per_gas`".into(),
            ),
        ),
    ];
    for (method, tx, want) in &cases {
        assert_eq!(&err(&node, method, json!([tx])), want, "{method} {tx}");
    }
    // what anvil lets through
    ok(
        &node,
        "eth_call",
        json!([{ "from": dev, "to": BOB, "gas": "0x5000000" }]),
    );
    ok(
        &node,
        "eth_call",
        json!([{ "from": dev, "to": BOB, "maxFeePerGas": "0x1" }]),
    );
    let nonce0 = json!([{ "from": dev, "to": BOB, "nonce": "0x0", "gas": "0x5208" }]);
    ok(&node, "eth_sendTransaction", nonce0.clone());
    assert_eq!(
        err(&node, "eth_sendTransaction", nonce0),
        (-32003, "nonce too low".into())
    );
    assert_eq!(err(&node, "eth_frobnicate", json!([])).0, -32601);
}
