//! Conformance with stock anvil: the same EVM-only session (deploy the METIS mock, mint,
//! transfers, a revert with data, logs, snapshot/revert, time warp) runs on anvil from npm and on
//! the devnode, and every answer that must agree does: addresses, balances, logs, revert data,
//! gas used (the EVM runs in revm on both), and the effects of the cheats. Also: `cast` works
//! against the devnode.

use std::process::Command;

use alloy::primitives::{Address, Bytes, LogData, U256};
use alloy::providers::ext::AnvilApi;
use alloy::network::TransactionBuilder;
use alloy::providers::Provider;
use alloy::rpc::types::{Filter, TransactionRequest};
use alloy::sol;
use alloy::sol_types::SolCall;
use anyhow::{anyhow, Result};
use dseq_tests::{forge_bytecode, repo_root, Harness};

sol! {
    interface MockMetis {
        function mint(address to, uint256 value) external;
        function approve(address spender, uint256 value) external returns (bool);
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function balanceOf(address account) external view returns (uint256);
    }
}

/// Stock anvil from npm on a free port, killed on drop.
struct Anvil;

impl Anvil {
    fn spawn() -> Result<devnode::bench::ChildNode> {
        devnode::bench::ChildNode::anvil(&repo_root()).map_err(|e| anyhow!(e))
    }
}

/// Everything the session observed that must not depend on the node.
#[derive(Debug, PartialEq)]
struct Transcript {
    token: Address,
    runtime_code: Bytes,
    gas_used: Vec<u64>,
    logs: Vec<(Address, LogData)>,
    revert_data: Bytes,
    balances: Vec<U256>,
    restored_balance: U256,
    time_warp_ok: bool,
}

fn call(to: Address, data: Vec<u8>) -> TransactionRequest {
    TransactionRequest::default().to(to).input(data.into())
}

async fn session(h: &Harness) -> Result<Transcript> {
    let (alice, bob, carol) = (h.accounts[0], h.accounts[1], h.accounts[2]);
    let mut gas_used = Vec::new();

    let creation = forge_bytecode("MockMetis", "MockMetis")?;
    let deploy = h.send(TransactionRequest::default().from(alice).with_deploy_code(creation)).await?;
    gas_used.push(deploy.gas_used);
    let token = deploy.contract_address.ok_or_else(|| anyhow!("no contract address"))?;
    let runtime_code = h.provider.get_code_at(token).await?;

    let steps = [
        (alice, MockMetis::mintCall { to: alice, value: U256::from(1_000_000) }.abi_encode()),
        (alice, MockMetis::transferCall { to: bob, value: U256::from(250_000) }.abi_encode()),
        (bob, MockMetis::approveCall { spender: carol, value: U256::from(100_000) }.abi_encode()),
        (carol, MockMetis::transferFromCall { from: bob, to: carol, value: U256::from(60_000) }.abi_encode()),
    ];
    let first_block = deploy.block_number.unwrap_or_default();
    for (from, data) in steps {
        let receipt = h.send(call(token, data).from(from)).await?;
        gas_used.push(receipt.gas_used);
    }

    // A revert with data: carol spends more than her allowance.
    let over = MockMetis::transferFromCall { from: bob, to: carol, value: U256::from(50_000) }.abi_encode();
    let error = h.provider.call(call(token, over).from(carol)).await.expect_err("must revert");
    let revert_data = error
        .as_error_resp()
        .and_then(|e| e.as_revert_data())
        .ok_or_else(|| anyhow!("no revert data in {error}"))?;

    let filter = Filter::new().address(token).from_block(first_block);
    let logs = h.provider.get_logs(&filter).await?.into_iter().map(|log| (log.address(), log.data().clone())).collect();

    let mut balances = Vec::new();
    for who in [alice, bob, carol] {
        let out = h.provider.call(call(token, MockMetis::balanceOfCall { account: who }.abi_encode())).await?;
        balances.push(MockMetis::balanceOfCall::abi_decode_returns(&out)?);
    }

    // Snapshot, move tokens, revert: the balance comes back.
    let snapshot = h.provider.anvil_snapshot().await?;
    h.send(call(token, MockMetis::transferCall { to: bob, value: U256::from(1) }.abi_encode()).from(alice)).await?;
    assert!(h.provider.anvil_revert(snapshot).await?, "evm_revert must succeed");
    let out = h.provider.call(call(token, MockMetis::balanceOfCall { account: alice }.abi_encode())).await?;
    let restored_balance = MockMetis::balanceOfCall::abi_decode_returns(&out)?;

    // An hour of time warp moves the next block by an hour (a second of wall clock may pass).
    let before = h.now().await?;
    h.provider.anvil_increase_time(3_600).await?;
    h.provider.evm_mine(None).await?;
    let after = h.now().await?;
    let time_warp_ok = (3_600..=3_602).contains(&(after - before));

    Ok(Transcript { token, runtime_code, gas_used, logs, revert_data, balances, restored_balance, time_warp_ok })
}

#[tokio::test]
async fn an_evm_session_gives_the_same_answers_on_anvil_and_the_devnode() {
    let anvil = Anvil::spawn().expect("stock anvil starts");
    let on_anvil = session(&Harness::at(anvil.url.clone()).await.unwrap()).await.unwrap();
    let devnode = Harness::start().await.unwrap();
    let on_devnode = session(&devnode).await.unwrap();

    assert_eq!(on_devnode, on_anvil);
    // And the transcript says what it should.
    assert_eq!(on_anvil.balances, vec![U256::from(750_000), U256::from(190_000), U256::from(60_000)]);
    assert_eq!(on_anvil.restored_balance, U256::from(750_000));
    assert_eq!(on_anvil.logs.len(), 4, "mint, transfer, approval, transferFrom: {:?}", on_anvil.logs);
    assert_eq!(on_anvil.gas_used.len(), 5);
    assert_eq!(&on_anvil.revert_data[..4], &alloy::primitives::keccak256("ERC20InsufficientAllowance(address,uint256,uint256)")[..4]);
    assert!(on_anvil.time_warp_ok);
}

/// `cast` (from npm) against the devnode: chain-id, send, call, logs.
#[tokio::test]
async fn cast_works_against_the_devnode() {
    let h = Harness::start().await.unwrap();
    let token = h.deploy_forge("MockMetis", "MockMetis", &[]).await.unwrap();
    let cast = repo_root().join("node_modules/@foundry-rs/cast-linux-amd64/bin/cast");
    let run = |args: &[&str]| -> String {
        let out = Command::new(&cast).args(args).args(["--rpc-url", &h.url]).output().expect("cast runs");
        assert!(out.status.success(), "cast {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(run(&["chain-id"]), devnode::ChainConfig::default().chain_id.to_string());

    let key = format!("{}", devnode::ANVIL_DEV_KEYS[1]);
    let holder = format!("{}", h.accounts[1]);
    let token = format!("{token}");
    run(&["send", "--private-key", &key, &token, "mint(address,uint256)", &holder, "12345"]);
    let balance = run(&["call", &token, "balanceOf(address)(uint256)", &holder]);
    assert_eq!(balance.split_whitespace().next(), Some("12345"), "cast call: {balance}");
    let logs = run(&["logs", "--address", &token, "--from-block", "0", "Transfer(address indexed,address indexed,uint256)"]);
    assert!(logs.contains(&holder.to_lowercase()[2..]), "the mint's Transfer log names the holder: {logs}");
}

/// One raw JSON-RPC answer: the result, or the error's code and message.
async fn answer(h: &Harness, method: &'static str, params: serde_json::Value) -> Result<serde_json::Value, (i64, String)> {
    h.provider.raw_request::<_, serde_json::Value>(method.into(), params).await.map_err(|e| match e.as_error_resp() {
        Some(p) => (p.code, p.message.to_string()),
        None => (0, format!("transport: {e}")),
    })
}

/// The error of an answer that must be one (`(0, "succeeded: ...")` otherwise).
async fn refusal(h: &Harness, method: &'static str, params: serde_json::Value) -> (i64, String) {
    match answer(h, method, params).await {
        Ok(v) => (0, format!("succeeded: {v}")),
        Err(e) => e,
    }
}

fn quantity(v: &serde_json::Value) -> u64 {
    let s = v.as_str().unwrap_or_default();
    u64::from_str_radix(s.trim_start_matches("0x"), 16).unwrap_or(u64::MAX)
}

/// What a node answers to the pool, the block `eth_call` runs in, and refused transactions
/// (all numbers relative to the node's own chain: hashes and chain ids differ).
#[derive(Debug, PartialEq)]
struct Answers {
    /// `eth_getTransactionCount(pending)` and the queued transaction's blockNumber, before
    /// nonce 0 closes the gap; after: (blocks mined, transactionIndex, status) of nonce 0 and 1.
    pool: (u64, serde_json::Value, Vec<(u64, u64, String)>),
    /// (NUMBER - latest, TIMESTAMP - latest's) at latest and at pending.
    call_block: Vec<(u64, u64)>,
    refusals: Vec<(String, (i64, String))>,
}

async fn answers(h: &Harness) -> Result<Answers> {
    use serde_json::json;
    let dev = h.accounts[5];
    let bob = Address::with_last_byte(0xb0);
    let fees = |mut tx: serde_json::Value| {
        tx["maxFeePerGas"] = json!("0x174876e800"); // 100 gwei, above both base fees
        tx["maxPriorityFeePerGas"] = json!("0x1");
        tx["from"] = json!(dev);
        tx["to"] = json!(bob);
        json!([tx])
    };
    let start = quantity(&answer(h, "eth_blockNumber", json!([])).await.map_err(|e| anyhow!("{e:?}"))?);

    // the pool: nonce 1 waits for nonce 0
    let h1 = answer(h, "eth_sendTransaction", fees(json!({ "nonce": "0x1", "gas": "0x5208" })))
        .await
        .map_err(|e| anyhow!("queueing nonce 1: {e:?}"))?;
    let mut refusals = vec![
        ("the same transaction again".to_string(), refusal(h, "eth_sendTransaction", fees(json!({ "nonce": "0x1", "gas": "0x5208" }))).await),
        ("a replacement paying no more".to_string(), refusal(h, "eth_sendTransaction", fees(json!({ "nonce": "0x1", "gas": "0x5208", "value": "0x5" }))).await),
    ];
    let pending = quantity(&answer(h, "eth_getTransactionCount", json!([dev, "pending"])).await.map_err(|e| anyhow!("{e:?}"))?);
    let queued = answer(h, "eth_getTransactionByHash", json!([h1])).await.map_err(|e| anyhow!("{e:?}"))?;
    let h0 = answer(h, "eth_sendTransaction", fees(json!({ "nonce": "0x0", "gas": "0x5208" })))
        .await
        .map_err(|e| anyhow!("closing the gap: {e:?}"))?;
    let mut mined = Vec::new();
    for hash in [h0, h1] {
        // anvil may answer the hash before its automined block is in
        let mut r = serde_json::Value::Null;
        for _ in 0..50 {
            r = answer(h, "eth_getTransactionReceipt", json!([hash])).await.map_err(|e| anyhow!("{e:?}"))?;
            if !r.is_null() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        mined.push((quantity(&r["blockNumber"]) - start, quantity(&r["transactionIndex"]), r["status"].to_string()));
    }
    let pool = (pending, queued["blockNumber"].clone(), mined);

    // refused transactions and calls
    let huge = "0x21e19e0c9bab2400000000";
    let poor = Address::with_last_byte(0x23);
    answer(h, "anvil_impersonateAccount", json!([poor])).await.map_err(|e| anyhow!("{e:?}"))?;
    let cases: Vec<(&str, &'static str, serde_json::Value)> = vec![
        ("a used nonce", "eth_sendTransaction", fees(json!({ "nonce": "0x0", "gas": "0x5208", "value": "0x9" }))),
        ("value above the balance", "eth_sendTransaction", fees(json!({ "value": huge }))),
        ("gas below 21000", "eth_sendTransaction", fees(json!({ "gas": "0x5000" }))),
        ("gas above the block's", "eth_sendTransaction", fees(json!({ "gas": "0x5000000" }))),
        ("fee cap below the base fee", "eth_sendTransaction", json!([{ "from": dev, "to": bob, "maxFeePerGas": "0x1" }])),
        ("legacy price below the base fee", "eth_sendTransaction", json!([{ "from": dev, "to": bob, "gasPrice": "0x1" }])),
        ("tip above the fee cap", "eth_sendTransaction", json!([{ "from": dev, "to": bob, "maxFeePerGas": "0x3b9aca00", "maxPriorityFeePerGas": "0x77359400" }])),
        ("an empty account", "eth_sendTransaction", json!([{ "from": poor, "to": bob, "gas": "0x5208", "value": "0x1" }])),
        ("call: value above the balance", "eth_call", json!([{ "from": dev, "to": bob, "value": huge }])),
        ("call: gas below 21000", "eth_call", json!([{ "from": dev, "to": bob, "gas": "0x5000" }])),
        ("call: an empty account paying gas", "eth_call", json!([{ "from": poor, "to": bob, "gasPrice": "0x100000000" }])),
        ("call: tip above the fee cap", "eth_call", json!([{ "from": dev, "to": bob, "maxFeePerGas": "0x100000000", "maxPriorityFeePerGas": "0x200000000" }])),
        ("call: a future block", "eth_call", json!([{ "to": bob }, format!("{:#x}", start + 1000)])),
        ("an unknown method", "eth_frobnicate", json!([])),
    ];
    for (what, method, params) in cases {
        let mut e = refusal(h, method, params).await;
        if what == "call: a future block" || what == "an unknown method" {
            // the message names each node's own height; the devnode's also names the method
            e.1 = e.1.split(':').next().unwrap_or_default().to_string();
        }
        refusals.push((what.to_string(), e));
    }

    // the block eth_call runs in: NUMBER (0x43) and TIMESTAMP (0x42) returners
    let (number, timestamp) = (Address::with_last_byte(0xaa), Address::with_last_byte(0xbb));
    for (at, op) in [(number, "43"), (timestamp, "42")] {
        answer(h, "anvil_setCode", json!([at, format!("0x{op}60005260206000f3")])).await.map_err(|e| anyhow!("{e:?}"))?;
    }
    let latest = answer(h, "eth_getBlockByNumber", json!(["latest", false])).await.map_err(|e| anyhow!("{e:?}"))?;
    let t = quantity(&latest["timestamp"]) + 10_000;
    answer(h, "evm_mine", json!([t])).await.map_err(|e| anyhow!("{e:?}"))?;
    answer(h, "evm_mine", json!([t + 100])).await.map_err(|e| anyhow!("{e:?}"))?;
    let latest = quantity(&answer(h, "eth_blockNumber", json!([])).await.map_err(|e| anyhow!("{e:?}"))?);
    let word = |v: serde_json::Value| U256::from_str_radix(v.as_str().unwrap_or("0x").trim_start_matches("0x"), 16).map(|n| n.to::<u64>()).unwrap_or(u64::MAX);
    let mut call_block = Vec::new();
    for block in ["latest", "pending"] {
        if block == "pending" {
            answer(h, "evm_setNextBlockTimestamp", json!([t + 1000])).await.map_err(|e| anyhow!("{e:?}"))?;
        }
        let n = word(answer(h, "eth_call", json!([{ "to": number }, block])).await.map_err(|e| anyhow!("{e:?}"))?);
        let ts = word(answer(h, "eth_call", json!([{ "to": timestamp }, block])).await.map_err(|e| anyhow!("{e:?}"))?);
        call_block.push((n - latest, ts - (t + 100)));
    }
    Ok(Answers { pool, call_block, refusals })
}

#[tokio::test]
async fn the_pool_call_blocks_and_refusals_answer_as_on_anvil() {
    let anvil = Anvil::spawn().expect("stock anvil starts");
    let on_anvil = answers(&Harness::at(anvil.url.clone()).await.unwrap()).await.unwrap();
    let devnode = Harness::start().await.unwrap();
    let on_devnode = answers(&devnode).await.unwrap();
    assert_eq!(on_devnode, on_anvil);
    // and anvil says what the devnode's own tests expect
    assert_eq!(on_anvil.pool.0, 0, "a gap: nothing pending");
    assert_eq!(on_anvil.pool.2, vec![(1, 0, "\"0x1\"".to_string()), (1, 1, "\"0x1\"".to_string())]);
    assert_eq!(on_anvil.call_block, vec![(0, 0), (1, 900)]);
    assert!(on_anvil.refusals.iter().all(|(_, (code, _))| *code != 0), "{:?}", on_anvil.refusals);
}
