//! The JSON-RPC server over real HTTP (a raw `TcpStream` client): anvil's answers and errors.

mod common;

use alloy_consensus::{SignableTransaction, TxEip1559, TxEnvelope, TxLegacy};
use alloy_eips::eip2718::Encodable2718;
use alloy_primitives::{address, b256, hex, keccak256, Address, Signature, TxKind, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent};
use devnode::chain::ANVIL_DEV_ACCOUNTS;
use devnode::code::{deploy_init_code, encode_program};
use devnode::precompiles::{ArbWasm, ARBWASM};
use devnode::rpc::{address_of_key, serve, RunningNode, ANVIL_DEV_KEYS};
use devnode::ChainConfig;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

// --- a tiny HTTP client ----------------------------------------------------------------------

fn post(node: &RunningNode, body: &[u8]) -> (String, Vec<u8>) {
    let mut s = TcpStream::connect(node.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        node.addr(),
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let split = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("http head");
    let head = String::from_utf8(out[..split].to_vec()).unwrap();
    (head, out[split + 4..].to_vec())
}

fn raw_rpc(node: &RunningNode, request: Value) -> Value {
    let (head, body) = post(node, request.to_string().as_bytes());
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    serde_json::from_slice(&body).unwrap()
}

fn rpc(node: &RunningNode, method: &str, params: Value) -> Value {
    raw_rpc(
        node,
        json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}),
    )
}

/// The result; panics on an error answer.
fn ok(node: &RunningNode, method: &str, params: Value) -> Value {
    let r = rpc(node, method, params);
    assert_eq!(r["jsonrpc"], "2.0");
    assert_eq!(r["id"], 1);
    assert!(r.get("error").is_none(), "{method}: {r}");
    r["result"].clone()
}

/// The error object; panics on success.
fn err(node: &RunningNode, method: &str, params: Value) -> Value {
    let r = rpc(node, method, params);
    assert!(r.get("result").is_none(), "{method} should fail: {r}");
    r["error"].clone()
}

fn start() -> RunningNode {
    serve(ChainConfig::default(), "127.0.0.1:0".parse().unwrap()).unwrap()
}

fn hexs(b: &[u8]) -> String {
    format!("0x{}", hex::encode(b))
}

fn word(n: u64) -> [u8; 32] {
    U256::from(n).to_be_bytes()
}

fn sign(key: &B256, hash: B256) -> Signature {
    let k = k256::ecdsa::SigningKey::from_slice(key.as_slice()).unwrap();
    let (sig, recid) = k.sign_prehash_recoverable(hash.as_slice()).unwrap();
    Signature::from_signature_and_parity(sig, recid.is_y_odd())
}

fn raw_1559(key: &B256, nonce: u64, to: TxKind, input: Vec<u8>, gas: u64) -> Vec<u8> {
    let tx = TxEip1559 {
        chain_id: 412346,
        nonce,
        gas_limit: gas,
        max_fee_per_gas: 1_000_000_000,
        max_priority_fee_per_gas: 0,
        to,
        value: U256::ZERO,
        access_list: Default::default(),
        input: input.into(),
    };
    let sig = sign(key, tx.signature_hash());
    TxEnvelope::from(tx.into_signed(sig)).encoded_2718()
}

fn raw_legacy(key: &B256, nonce: u64, to: TxKind, input: Vec<u8>, gas: u64) -> Vec<u8> {
    let tx = TxLegacy {
        chain_id: Some(412346),
        nonce,
        gas_price: 100_000_000,
        gas_limit: gas,
        to,
        value: U256::ZERO,
        input: input.into(),
    };
    let sig = sign(key, tx.signature_hash());
    TxEnvelope::from(tx.into_signed(sig)).encoded_2718()
}

// --- hand-assembled EVM bytecode ----------------------------------------------------------

enum A {
    Op(u8),
    Push(Vec<u8>),
    Label(&'static str),
    Jump(&'static str), // PUSH1 label
}

fn assemble(items: &[A]) -> Vec<u8> {
    let mut labels = std::collections::HashMap::new();
    let mut pc = 0usize;
    for it in items {
        match it {
            A::Op(_) => pc += 1,
            A::Push(b) => pc += 1 + b.len(),
            A::Label(l) => {
                labels.insert(*l, pc);
                pc += 1;
            }
            A::Jump(_) => pc += 2,
        }
    }
    let mut out = Vec::new();
    for it in items {
        match it {
            A::Op(o) => out.push(*o),
            A::Push(b) => {
                out.push(0x5f + b.len() as u8);
                out.extend(b);
            }
            A::Label(_) => out.push(0x5b),
            A::Jump(l) => out.extend([0x60, labels[l] as u8]),
        }
    }
    out
}

const TOPIC: B256 = b256!("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");

/// No calldata: returns slot 0. Word `0xdead`: reverts with `0xdeadbeef`. Any other word `v`:
/// stores it in slot 0 and emits `LOG2(data = v, TOPIC, v)`.
fn store_runtime() -> Vec<u8> {
    use A::*;
    assemble(&[
        Op(0x36),
        Op(0x15),
        Jump("get"),
        Op(0x57), // CALLDATASIZE ISZERO JUMPI get
        Push(vec![0]),
        Op(0x35), // v = CALLDATALOAD(0)
        Op(0x80),
        Push(vec![0xde, 0xad]),
        Op(0x14),
        Jump("rev"),
        Op(0x57),
        Op(0x80),
        Push(vec![0]),
        Op(0x55), // SSTORE(0, v)
        Op(0x80),
        Push(vec![0]),
        Op(0x52), // MSTORE(0, v)
        Push(TOPIC.to_vec()),
        Push(vec![32]),
        Push(vec![0]),
        Op(0xa2), // LOG2
        Op(0x00),
        Label("get"),
        Push(vec![0]),
        Op(0x54),
        Push(vec![0]),
        Op(0x52),
        Push(vec![32]),
        Push(vec![0]),
        Op(0xf3),
        Label("rev"),
        Push(vec![0xde, 0xad, 0xbe, 0xef]),
        Push(vec![0xe0]),
        Op(0x1b),
        Push(vec![0]),
        Op(0x52),
        Push(vec![4]),
        Push(vec![0]),
        Op(0xfd),
    ])
}

/// Init code returning `runtime`.
fn init_code(runtime: &[u8]) -> Vec<u8> {
    let mut code = vec![
        0x60,
        runtime.len() as u8,
        0x80,
        0x60,
        11,
        0x60,
        0,
        0x39,
        0x60,
        0,
        0xf3,
    ];
    code.extend(runtime);
    code
}

/// Runtime code that always reverts with `data`.
fn reverting(data: &[u8]) -> Vec<u8> {
    let n = data.len() as u8;
    let mut code = vec![0x60, n, 0x60, 13, 0x60, 0, 0x39, 0x60, n, 0x60, 0, 0xfd];
    code.push(0x00);
    code.extend(data);
    code
}

// --- tests ----------------------------------------------------------------------------------

#[test]
fn dev_keys_are_anvils() {
    assert_eq!(
        ANVIL_DEV_KEYS[0],
        b256!("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")
    );
    assert_eq!(
        ANVIL_DEV_ACCOUNTS[0],
        address!("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
    );
    for (key, account) in ANVIL_DEV_KEYS.iter().zip(ANVIL_DEV_ACCOUNTS) {
        assert_eq!(address_of_key(key), Some(account));
    }
}

#[test]
fn starts_fast_and_answers_basics() {
    let t = Instant::now();
    let node = start();
    let first = ok(&node, "eth_chainId", json!([]));
    let elapsed = t.elapsed();
    eprintln!("startup + first answer: {elapsed:?}");
    assert!(elapsed < Duration::from_millis(1000), "{elapsed:?}");
    assert_eq!(first, "0x64aba");
    assert!(node.url().starts_with("http://127.0.0.1:"));
    assert_eq!(node.url(), format!("http://127.0.0.1:{}", node.port()));
    assert_eq!(ok(&node, "net_version", json!([])), "412346");
    assert!(ok(&node, "web3_clientVersion", json!([]))
        .as_str()
        .unwrap()
        .starts_with("anvil/"));
    assert_eq!(ok(&node, "eth_blockNumber", json!([])), "0x0");
    assert_eq!(ok(&node, "eth_syncing", json!([])), false);
    assert_eq!(ok(&node, "eth_gasPrice", json!([])), "0x5f5e100");
    assert_eq!(ok(&node, "eth_maxPriorityFeePerGas", json!([])), "0x0");
    let accounts = ok(&node, "eth_accounts", json!([]));
    assert_eq!(accounts.as_array().unwrap().len(), 10);
    assert_eq!(accounts[0], "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    assert_eq!(accounts[9], "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720");
    assert_eq!(node.accounts(), ANVIL_DEV_ACCOUNTS.to_vec());
    // 10 000 ether
    assert_eq!(
        ok(&node, "eth_getBalance", json!([accounts[0], "latest"])),
        "0x21e19e0c9bab2400000"
    );
    assert_eq!(
        ok(
            &node,
            "eth_getTransactionCount",
            json!([accounts[0], "latest"])
        ),
        "0x0"
    );
    assert_eq!(
        ok(&node, "eth_getCode", json!([accounts[0], "latest"])),
        "0x"
    );
    let genesis = ok(&node, "eth_getBlockByNumber", json!(["0x0", false]));
    assert_eq!(genesis["number"], "0x0");
    assert_eq!(genesis["baseFeePerGas"], "0x5f5e100");
    assert_eq!(genesis["gasLimit"], "0x1e84800");
    assert_eq!(genesis["transactions"], json!([]));
    let by_hash = ok(&node, "eth_getBlockByHash", json!([genesis["hash"], false]));
    assert_eq!(by_hash, genesis);
    assert_eq!(
        ok(&node, "eth_getBlockByNumber", json!(["0x5", false])),
        Value::Null
    );
    let fh = ok(&node, "eth_feeHistory", json!(["0x1", "latest", [50]]));
    assert_eq!(fh["oldestBlock"], "0x0");
    assert_eq!(fh["baseFeePerGas"], json!(["0x5f5e100", "0x5f5e100"]));
    assert_eq!(fh["reward"], json!([["0x0"]]));
    node.shutdown();
}

#[test]
fn raw_transactions_calls_logs_and_reverts() {
    let node = start();
    let key0 = ANVIL_DEV_KEYS[0];
    let [a0, a1] = [ANVIL_DEV_ACCOUNTS[0], ANVIL_DEV_ACCOUNTS[1]];
    // deploy with a signed EIP-1559 transaction
    let raw = raw_1559(
        &key0,
        0,
        TxKind::Create,
        init_code(&store_runtime()),
        200_000,
    );
    let hash = ok(&node, "eth_sendRawTransaction", json!([hexs(&raw)]));
    assert_eq!(hash, json!(format!("{:?}", keccak256(&raw))));
    let receipt = ok(&node, "eth_getTransactionReceipt", json!([hash]));
    let contract = a0.create(0);
    assert_eq!(receipt["status"], "0x1");
    assert_eq!(
        receipt["contractAddress"],
        json!(contract.to_checksum(None))
    );
    assert_eq!(receipt["to"], Value::Null);
    assert_eq!(receipt["from"], json!(a0.to_checksum(None)));
    assert_eq!(receipt["blockNumber"], "0x1");
    assert_eq!(receipt["type"], "0x2");
    assert_eq!(receipt["effectiveGasPrice"], "0x5f5e100");
    let tx = ok(&node, "eth_getTransactionByHash", json!([hash]));
    assert_eq!(tx["from"], json!(a0.to_checksum(None)));
    assert_eq!(tx["nonce"], "0x0");
    assert_eq!(tx["type"], "0x2");
    assert_eq!(tx["maxFeePerGas"], "0x3b9aca00");
    assert_eq!(tx["gas"], "0x30d40");
    assert_eq!(tx["chainId"], "0x64aba");
    assert_eq!(
        ok(&node, "eth_getCode", json!([contract, "latest"])),
        json!(hexs(&store_runtime()))
    );
    let block1 = ok(&node, "eth_getBlockByNumber", json!(["0x1", true]));
    assert_eq!(block1["transactions"][0]["hash"], hash);
    assert_eq!(block1["hash"], receipt["blockHash"]);
    assert_eq!(
        ok(&node, "eth_getTransactionCount", json!([a0, "latest"])),
        "0x1"
    );

    // a legacy (EIP-155) transaction from account 1 stores 5
    let raw = raw_legacy(
        &ANVIL_DEV_KEYS[1],
        0,
        TxKind::Call(contract),
        word(5).to_vec(),
        100_000,
    );
    let h5 = ok(&node, "eth_sendRawTransaction", json!([hexs(&raw)]));
    let r5 = ok(&node, "eth_getTransactionReceipt", json!([h5]));
    assert_eq!(r5["status"], "0x1");
    assert_eq!(r5["from"], json!(a1.to_checksum(None)));
    assert_eq!(r5["type"], "0x0");
    let v = ok(&node, "eth_getTransactionByHash", json!([h5]))["v"].clone();
    let eip155 = 412346u64 * 2 + 35;
    assert!(
        v == json!(format!("{eip155:#x}")) || v == json!(format!("{:#x}", eip155 + 1)),
        "{v}"
    );
    // eth_sendTransaction from the unlocked account 0 stores 7 (gas estimated)
    let h7 = ok(
        &node,
        "eth_sendTransaction",
        json!([{ "from": a0, "to": contract, "data": hexs(&word(7)) }]),
    );
    let r7 = ok(&node, "eth_getTransactionReceipt", json!([h7]));
    assert_eq!(r7["status"], "0x1");
    assert_eq!(r7["blockNumber"], "0x3");
    assert_eq!(
        r7["logs"][0]["topics"],
        json!([format!("{TOPIC:?}"), hexs(&word(7))])
    );
    assert_eq!(r7["logs"][0]["data"], json!(hexs(&word(7))));
    assert_eq!(r7["logs"][0]["logIndex"], "0x0");
    // the node signed it with the dev key: its hash is the envelope's
    let tx7 = ok(&node, "eth_getTransactionByHash", json!([h7]));
    assert_eq!(tx7["nonce"], "0x1");
    assert_eq!(tx7["type"], "0x2");
    assert!(tx7["r"] != "0x0");

    // eth_call and state overrides
    assert_eq!(
        ok(&node, "eth_call", json!([{ "to": contract }, "latest"])),
        json!(hexs(&word(7)))
    );
    let slot0 = format!("{:?}", B256::ZERO);
    assert_eq!(
        ok(
            &node,
            "eth_call",
            json!([{ "to": contract }, "latest", { contract.to_string(): { "stateDiff": { slot0.clone(): hexs(&word(9)) } } }])
        ),
        json!(hexs(&word(9)))
    );
    assert_eq!(
        ok(
            &node,
            "eth_getStorageAt",
            json!([contract, "0x0", "latest"])
        ),
        json!(hexs(&word(7)))
    );
    let gas = ok(
        &node,
        "eth_estimateGas",
        json!([{ "from": a0, "to": contract, "data": hexs(&word(8)) }]),
    );
    let gas = u64::from_str_radix(&gas.as_str().unwrap()[2..], 16).unwrap();
    assert!(gas > 21_000 && gas < 60_000, "{gas}");

    // logs with filters
    let all = ok(
        &node,
        "eth_getLogs",
        json!([{ "fromBlock": "0x0", "address": contract }]),
    );
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert_eq!(all[0]["data"], json!(hexs(&word(5))));
    assert_eq!(all[0]["blockNumber"], "0x2");
    assert_eq!(all[0]["transactionHash"], h5);
    assert_eq!(all[1]["data"], json!(hexs(&word(7))));
    let by_topic = ok(
        &node,
        "eth_getLogs",
        json!([{ "fromBlock": "earliest", "toBlock": "latest", "topics": [format!("{TOPIC:?}"), [hexs(&word(5)), hexs(&word(6))]] }]),
    );
    assert_eq!(by_topic.as_array().unwrap().len(), 1);
    assert_eq!(by_topic[0]["transactionHash"], h5);
    let by_range = ok(
        &node,
        "eth_getLogs",
        json!([{ "fromBlock": "0x3", "toBlock": "0x3" }]),
    );
    assert_eq!(by_range.as_array().unwrap().len(), 1);
    assert_eq!(by_range[0]["transactionHash"], h7);
    let by_hash = ok(
        &node,
        "eth_getLogs",
        json!([{ "blockHash": r5["blockHash"] }]),
    );
    assert_eq!(by_hash.as_array().unwrap().len(), 1);
    let other = ok(
        &node,
        "eth_getLogs",
        json!([{ "fromBlock": "0x0", "address": a1 }]),
    );
    assert_eq!(other, json!([]));
    // default range is the latest block
    assert_eq!(
        ok(&node, "eth_getLogs", json!([{}]))
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // reverts: code 3, the revert data in `data`
    let dead = hexs(&word(0xdead));
    for method in ["eth_call", "eth_estimateGas", "eth_sendTransaction"] {
        let e = err(
            &node,
            method,
            json!([{ "from": a0, "to": contract, "data": dead }]),
        );
        assert_eq!(e["code"], 3, "{method}");
        assert_eq!(e["message"], "execution reverted", "{method}");
        assert_eq!(e["data"], "0xdeadbeef", "{method}");
    }
    // a revert mined with an explicit gas limit has status 0
    let hr = ok(
        &node,
        "eth_sendTransaction",
        json!([{ "from": a0, "to": contract, "data": dead, "gas": "0x186a0" }]),
    );
    assert_eq!(
        ok(&node, "eth_getTransactionReceipt", json!([hr]))["status"],
        "0x0"
    );
    // Error(string) is decoded into the message
    let reason = alloy_sol_types::Revert::from("nope").abi_encode();
    let thrower = address!("00000000000000000000000000000000000000ee");
    assert_eq!(
        ok(
            &node,
            "anvil_setCode",
            json!([thrower, hexs(&reverting(&reason))])
        ),
        Value::Null
    );
    let e = err(&node, "eth_call", json!([{ "to": thrower }]));
    assert_eq!(e["code"], 3);
    assert_eq!(e["message"], "execution reverted: nope");
    assert_eq!(e["data"], json!(hexs(&reason)));
    // a used nonce is refused, as anvil words it
    let raw = raw_1559(&key0, 0, TxKind::Call(contract), vec![], 100_000);
    let e = err(&node, "eth_sendRawTransaction", json!([hexs(&raw)]));
    assert_eq!(e, json!({"code": -32003, "message": "nonce too low"}));
    // a foreign chain id is refused
    let mut tx = TxLegacy {
        chain_id: Some(1),
        gas_limit: 21_000,
        gas_price: 100_000_000,
        to: TxKind::Call(a1),
        ..Default::default()
    };
    tx.nonce = 4;
    let sig = sign(&key0, tx.signature_hash());
    let raw = TxEnvelope::from(tx.into_signed(sig)).encoded_2718();
    let e = err(&node, "eth_sendRawTransaction", json!([hexs(&raw)]));
    assert_eq!(
        e,
        json!({"code": -32003, "message": "invalid chain id for signer"})
    );
}

#[test]
fn snapshots_time_and_cheats() {
    let node = start();
    let a0 = ANVIL_DEV_ACCOUNTS[0];
    let who = address!("00000000000000000000000000000000000b0b00");
    let id = ok(&node, "evm_snapshot", json!([]));
    assert_eq!(id, "0x1");
    ok(
        &node,
        "eth_sendTransaction",
        json!([{ "from": a0, "to": who, "value": "0x3e8" }]),
    );
    assert_eq!(ok(&node, "eth_getBalance", json!([who, "latest"])), "0x3e8");
    assert_eq!(ok(&node, "eth_blockNumber", json!([])), "0x1");
    assert_eq!(ok(&node, "evm_revert", json!([id])), true);
    assert_eq!(ok(&node, "eth_getBalance", json!([who, "latest"])), "0x0");
    assert_eq!(ok(&node, "eth_blockNumber", json!([])), "0x0");
    assert_eq!(
        ok(&node, "eth_getTransactionCount", json!([a0, "latest"])),
        "0x0"
    );
    assert_eq!(ok(&node, "evm_revert", json!([id])), false);

    // time
    let t0 = u64::from_str_radix(
        &ok(&node, "eth_getBlockByNumber", json!(["latest", false]))["timestamp"]
            .as_str()
            .unwrap()[2..],
        16,
    )
    .unwrap();
    let offset = ok(&node, "evm_increaseTime", json!([3600]))
        .as_i64()
        .unwrap();
    assert!((3600..3700).contains(&offset), "{offset}");
    assert_eq!(ok(&node, "evm_mine", json!([])), "0x0");
    let t1 = u64::from_str_radix(
        &ok(&node, "eth_getBlockByNumber", json!(["latest", false]))["timestamp"]
            .as_str()
            .unwrap()[2..],
        16,
    )
    .unwrap();
    assert!(t1 >= t0 + 3600 && t1 < t0 + 3700, "{t0} {t1}");
    let next = t1 + 1_000_000;
    assert_eq!(
        ok(
            &node,
            "evm_setNextBlockTimestamp",
            json!([format!("{next:#x}")])
        ),
        Value::Null
    );
    ok(&node, "evm_mine", json!([]));
    let b = ok(&node, "eth_getBlockByNumber", json!(["latest", false]));
    assert_eq!(b["timestamp"], json!(format!("{next:#x}")));
    assert_eq!(b["number"], "0x2");
    ok(&node, "evm_mine", json!([next + 5]));
    assert_eq!(
        ok(&node, "eth_getBlockByNumber", json!(["latest", false]))["timestamp"],
        json!(format!("{:#x}", next + 5))
    );
    let e = err(&node, "evm_setNextBlockTimestamp", json!([next]));
    assert_eq!(e["code"], -32000);
    assert_eq!(ok(&node, "anvil_mine", json!(["0x3", "0xa"])), Value::Null);
    assert_eq!(ok(&node, "eth_blockNumber", json!([])), "0x6");
    let ts = |n: &str| ok(&node, "eth_getBlockByNumber", json!([n, false]))["timestamp"].clone();
    let (t5, t6) = (ts("0x5"), ts("0x6"));
    let p = |v: Value| u64::from_str_radix(&v.as_str().unwrap()[2..], 16).unwrap();
    assert_eq!(p(t6) - p(t5), 10);

    // cheats
    assert_eq!(
        ok(&node, "anvil_setBalance", json!([who, "0xde0b6b3a7640000"])),
        Value::Null
    );
    assert_eq!(
        ok(&node, "eth_getBalance", json!([who, "latest"])),
        "0xde0b6b3a7640000"
    );
    assert_eq!(
        ok(&node, "anvil_setCode", json!([who, "0x6001600055"])),
        Value::Null
    );
    assert_eq!(
        ok(&node, "eth_getCode", json!([who, "latest"])),
        "0x6001600055"
    );
    assert_eq!(
        ok(
            &node,
            "anvil_setStorageAt",
            json!([who, "0x2", format!("{:?}", B256::with_last_byte(0x2a))])
        ),
        true
    );
    assert_eq!(
        ok(&node, "eth_getStorageAt", json!([who, "0x2", "latest"])),
        "0x000000000000000000000000000000000000000000000000000000000000002a"
    );
    assert_eq!(
        ok(&node, "anvil_setNonce", json!([who, "0x9"])),
        Value::Null
    );
    assert_eq!(
        ok(&node, "eth_getTransactionCount", json!([who, "latest"])),
        "0x9"
    );

    // impersonation
    let stranger = address!("1234000000000000000000000000000000005678");
    ok(
        &node,
        "anvil_setBalance",
        json!([stranger, "0xde0b6b3a7640000"]),
    );
    let send = json!([{ "from": stranger, "to": who, "value": "0x1" }]);
    assert_eq!(
        err(&node, "eth_sendTransaction", send.clone())["code"],
        -32000
    );
    assert_eq!(
        ok(&node, "anvil_impersonateAccount", json!([stranger])),
        Value::Null
    );
    let h = ok(&node, "eth_sendTransaction", send.clone());
    let r = ok(&node, "eth_getTransactionReceipt", json!([h]));
    assert_eq!(r["status"], "0x1");
    assert_eq!(r["from"], json!(stranger.to_checksum(None)));
    assert_eq!(
        ok(&node, "anvil_stopImpersonatingAccount", json!([stranger])),
        Value::Null
    );
    assert_eq!(err(&node, "eth_sendTransaction", send)["code"], -32000);
}

#[test]
fn bad_input_gets_json_rpc_errors_and_the_node_keeps_serving() {
    let node = start();
    let (head, body) = post(&node, b"{\"jsonrpc\": \"2.0\", \"method\": ");
    assert!(head.starts_with("HTTP/1.1 200"));
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        v,
        json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": "Parse error"}})
    );
    assert_eq!(ok(&node, "eth_chainId", json!([])), "0x64aba");

    let e = err(&node, "eth_frobnicate", json!([]));
    assert_eq!(
        e,
        json!({"code": -32601, "message": "Method not found: eth_frobnicate"})
    );
    let e = err(&node, "eth_getBalance", json!(["0x12"]));
    assert_eq!(e["code"], -32602);
    assert_eq!(
        e["message"],
        "Invalid params: parameter 0 (address): invalid address \"0x12\""
    );
    let e = err(&node, "eth_getBalance", json!([]));
    assert_eq!(
        e["message"],
        "Invalid params: missing parameter 0 (address)"
    );
    let e = err(&node, "eth_sendRawTransaction", json!(["0x1234"]));
    assert_eq!(e["code"], -32602);
    let e = raw_rpc(
        &node,
        json!({"jsonrpc": "2.0", "id": 7, "method": "eth_chainId", "params": {"a": 1}}),
    );
    assert_eq!(e["error"]["code"], -32602);
    assert_eq!(e["id"], 7);
    let e = raw_rpc(&node, json!({"jsonrpc": "2.0", "id": 8}));
    assert_eq!(e["error"]["code"], -32600);
    assert_eq!(raw_rpc(&node, json!([]))["error"]["code"], -32600);
    let e = raw_rpc(&node, json!(42));
    assert_eq!(e["error"]["code"], -32600);

    // batches answer in order, errors included
    let batch = raw_rpc(
        &node,
        json!([
            {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"},
            {"jsonrpc": "2.0", "id": "two", "method": "nope", "params": []},
            {"jsonrpc": "2.0", "id": 3, "method": "eth_blockNumber", "params": []},
        ]),
    );
    assert_eq!(
        batch[0],
        json!({"jsonrpc": "2.0", "id": 1, "result": "0x64aba"})
    );
    assert_eq!(batch[1]["id"], "two");
    assert_eq!(batch[1]["error"]["code"], -32601);
    assert_eq!(batch[2]["result"], "0x0");

    // garbage HTTP and a half-sent request do not take the server down
    {
        let mut s = TcpStream::connect(node.addr()).unwrap();
        s.write_all(b"\x00\x01 GARBAGE\r\nnot a header\r\n\r\n")
            .unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        assert!(String::from_utf8_lossy(&out).starts_with("HTTP/1.1 400"));
    }
    {
        let mut s = TcpStream::connect(node.addr()).unwrap();
        s.write_all(b"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n{")
            .unwrap();
    }
    // keep-alive: two requests on one connection
    {
        let mut s = TcpStream::connect(node.addr()).unwrap();
        let body = br#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"#;
        let req = format!("POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n", body.len());
        for _ in 0..2 {
            s.write_all(req.as_bytes()).unwrap();
            s.write_all(body).unwrap();
        }
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while got.windows(7).filter(|w| w == b"0x64aba").count() < 2 {
            let n = s.read(&mut buf).unwrap();
            assert!(n > 0);
            got.extend_from_slice(&buf[..n]);
        }
    }
    // CORS preflight
    {
        let mut s = TcpStream::connect(node.addr()).unwrap();
        s.write_all(b"OPTIONS / HTTP/1.1\r\nOrigin: http://x\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        assert!(out.starts_with("HTTP/1.1 200"));
        assert!(out.contains("Access-Control-Allow-Origin: *"));
    }
    assert_eq!(ok(&node, "eth_chainId", json!([])), "0x64aba");
}

sol! {
    interface ICounter {
        function number() external view returns (uint256);
        function setNumber(uint256 value) external;
    }
    event NumberSet(address indexed by, uint256 indexed old, uint256 value);
}

#[test]
fn stylus_program_deploys_activates_and_answers_over_rpc() {
    let wasm = common::counter_wasm();
    let node = start();
    let a0 = ANVIL_DEV_ACCOUNTS[0];
    let init = deploy_init_code(&encode_program(wasm));
    let h = ok(
        &node,
        "eth_sendTransaction",
        json!([{ "from": a0, "data": hexs(&init) }]),
    );
    let r = ok(&node, "eth_getTransactionReceipt", json!([h]));
    assert_eq!(r["status"], "0x1");
    let program: Address = r["contractAddress"].as_str().unwrap().parse().unwrap();
    assert_eq!(program, a0.create(0));
    let code = ok(&node, "eth_getCode", json!([program, "latest"]));
    assert!(code.as_str().unwrap().starts_with("0xeff000"), "{code}");

    // not activated yet: ArbWasm's ProgramNotActivated() comes back as revert data
    let number = hexs(&ICounter::numberCall {}.abi_encode());
    let e = err(
        &node,
        "eth_call",
        json!([{ "to": program, "data": number }]),
    );
    assert_eq!(e["code"], 3);
    assert_eq!(
        e["data"],
        json!(hexs(&devnode::precompiles::arbwasm::program_not_activated()))
    );

    // activate through ArbWasm (0x71) with a data fee
    let activate = ArbWasm::activateProgramCall { program }.abi_encode();
    let h = ok(
        &node,
        "eth_sendTransaction",
        json!([{ "from": a0, "to": ARBWASM, "data": hexs(&activate), "value": "0xde0b6b3a7640000" }]),
    );
    assert_eq!(
        ok(&node, "eth_getTransactionReceipt", json!([h]))["status"],
        "0x1"
    );

    let set = ICounter::setNumberCall {
        value: U256::from(42),
    }
    .abi_encode();
    let h = ok(
        &node,
        "eth_sendTransaction",
        json!([{ "from": a0, "to": program, "data": hexs(&set) }]),
    );
    let r = ok(&node, "eth_getTransactionReceipt", json!([h]));
    assert_eq!(r["status"], "0x1");
    assert_eq!(r["logs"][0]["address"], json!(program.to_checksum(None)));
    assert_eq!(
        r["logs"][0]["topics"][0],
        json!(format!("{:?}", NumberSet::SIGNATURE_HASH))
    );
    assert_eq!(
        ok(
            &node,
            "eth_call",
            json!([{ "to": program, "data": number }])
        ),
        json!(hexs(&word(42)))
    );
    let logs = ok(
        &node,
        "eth_getLogs",
        json!([{ "fromBlock": "0x0", "address": program, "topics": [format!("{:?}", NumberSet::SIGNATURE_HASH)] }]),
    );
    assert_eq!(logs.as_array().unwrap().len(), 1);
}
