//! Conformance with stock anvil: the same EVM-only session (deploy the METIS mock, mint,
//! transfers, a revert with data, logs, snapshot/revert, time warp) runs on anvil from npm and on
//! the devnode, and every answer that must agree does: addresses, balances, logs, revert data,
//! gas used (the EVM runs in revm on both), and the effects of the cheats. Also: `cast` works
//! against the devnode.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use alloy::primitives::{Address, Bytes, LogData, U256};
use alloy::providers::ext::AnvilApi;
use alloy::network::TransactionBuilder;
use alloy::providers::Provider;
use alloy::rpc::types::{Filter, TransactionRequest};
use alloy::sol;
use alloy::sol_types::SolCall;
use anyhow::{anyhow, Context, Result};
use dseq_tests::{forge_build, forge_bytecode, repo_root, Harness};

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
struct Anvil {
    child: Child,
    url: String,
}

impl Anvil {
    fn spawn() -> Result<Self> {
        forge_build()?; // installs the npm tools if needed
        let binary = repo_root().join("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
        let mut child = Command::new(&binary)
            .args(["--port", "0", "--host", "127.0.0.1", "--hardfork", "prague"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let stdout = child.stdout.take().ok_or_else(|| anyhow!("no stdout"))?;
        for line in BufReader::new(stdout).lines() {
            let line = line?;
            if let Some(addr) = line.strip_prefix("Listening on ") {
                return Ok(Self { child, url: format!("http://{}", addr.trim()) });
            }
        }
        Err(anyhow!("anvil exited before listening"))
    }
}

impl Drop for Anvil {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
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
    let on_anvil = session(&Harness::at(anvil.url.clone()).unwrap()).await.unwrap();
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
