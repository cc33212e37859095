//! The holder's page, end to end in a real browser: this test prepares a chain (the suite as
//! `dseq deploy` deploys it, holders with wrapped METIS, an election round with two candidates,
//! a registered operator), serves the page with `dseq app`'s server, and runs
//! `app/test/holder.test.mjs` in Debian's Chromium through playwright-core with an injected
//! test wallet. That script connects, switches network, delegates, votes in the election and on
//! a proposal, signs a vote another account submits, meets the decoded refusal of a late vote,
//! queues and executes, requests a withdrawal, and survives an RPC that is down; it writes
//! screenshots to `target/app-screenshots/`.
//!
//! Chromium comes from Debian (`apt-get install chromium`, which `.ci/run` does). Without it
//! the test says so and passes, unless `DSEQ_REQUIRE_BROWSER=1` (set by `.ci/run`) makes a
//! missing browser a failure.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::metis;
use dseq_client::alloy::primitives::U256;
use dseq_client::bindings::{ILockingPool, IRewardDistributor, IERC20};
use dseq_client::deploy::DeployConfig;
use dseq_client::election::Election;
use dseq_client::governance::Governance;
use dseq_client::pool::Pool;
use dseq_client::votes::Votes;
use k256::ecdsa::SigningKey;

/// Debian's Chromium (or `DSEQ_CHROMIUM`), if installed.
fn chromium() -> Option<PathBuf> {
    let candidates = std::env::var_os("DSEQ_CHROMIUM").map(PathBuf::from).into_iter().chain(["/usr/bin/chromium", "/usr/bin/chromium-browser"].map(PathBuf::from));
    candidates.into_iter().find(|p| p.exists())
}

/// Builds the page once per test process (both tests use it; they run in parallel).
fn bundle() -> dseq::app::Bundle {
    static BUNDLE: std::sync::OnceLock<dseq::app::Bundle> = std::sync::OnceLock::new();
    BUNDLE.get_or_init(|| dseq::app::build_bundle(&common::root()).expect("the page bundles")).clone()
}

/// The page type-checks against the suite's ABIs (tsc, strict) and its bundle stays small.
#[test]
fn the_page_type_checks_against_the_suites_abis_and_stays_small() {
    let bundle = bundle();
    let root = common::root();
    let tsc = devnode::bench::ensure_npm_tool(&root, "tsc").unwrap();
    let out = Command::new(&tsc).args(["-p", "app"]).current_dir(&root).output().expect("tsc runs");
    assert!(out.status.success(), "tsc found errors:\n{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(bundle.gzip_bytes < 100 * 1024, "the bundle grew to {} bytes gzip", bundle.gzip_bytes);
    let generated = std::fs::read_to_string(root.join("app/src/gen/abi.ts")).unwrap();
    for name in ["castVoteWithReason", "delegateBySig", "submitBatch", "upgradeToAndCall", "GovernorUnexpectedProposalState", "ProposalCreated"] {
        assert!(generated.contains(&format!("\"{name}\"")), "the generated ABIs lack {name}");
    }
}

fn node_key(n: u8) -> SigningKey {
    SigningKey::from_slice(&[0xa0 + n; 32]).unwrap()
}

fn hex_key(i: usize) -> String {
    format!("0x{}", dseq_client::alloy::primitives::hex::encode(devnode::ANVIL_DEV_KEYS[i]))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_holder_votes_delegates_and_follows_the_election_in_chromium() {
    let Some(browser) = chromium() else {
        let required = std::env::var("DSEQ_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        assert!(!required, "DSEQ_REQUIRE_BROWSER=1 but no Chromium: install it with `apt-get install -y chromium` (or set DSEQ_CHROMIUM)");
        eprintln!("skipped: no Chromium at /usr/bin/chromium (apt-get install -y chromium, or set DSEQ_CHROMIUM); .ci/run installs it and requires this test");
        return;
    };
    let root = common::root();
    let day = 24 * 3600;
    let dev = dseq::session::dev_signers();
    let admin = dev[0].address();
    // The election admits operators (the default); its windows are a day, five and a day, and
    // its bar is low (one voter, 1,000 METIS), so that one holder's vote decides a round.
    let config = DeployConfig {
        election_application_period: Some(day),
        election_voting_period: Some(5 * day),
        election_vetting_period: Some(day),
        election_cadence: Some(30 * day),
        election_min_voters: Some(1),
        election_quorum: Some("1000".into()),
        // A share of all votes too, which the page can read only once voting has opened.
        election_quorum_bps: Some(100),
        ..DeployConfig::default()
    };
    let artifacts = dseq::session::artifacts(&root, false, false).expect("build");
    let (node, client) = dseq::session::embedded_chain(Vec::new()).await.unwrap();
    let (d, _) = dseq_client::deploy::deploy(&client, &artifacts, &config, &Default::default(), &mut |_| {}).await.unwrap();
    let pool = Pool::of(&client, &d).unwrap();
    let votes = Votes::of(&client, &d).unwrap();
    let token = pool.token;
    let (operator, holder, signer, proposer, late) = (dev[3].address(), dev[5].address(), dev[6].address(), dev[7].address(), dev[8].address());

    // The holder wraps 15,000 METIS and does not delegate (the page's trap); the others wrap
    // and delegate to themselves.
    for (who, wrap, delegate) in [(holder, 15_000u64, false), (signer, 5_000, true), (proposer, 50_000, true), (late, 1_000, true)] {
        client.send_call(who, token, &IERC20::mintCall { to: who, value: metis(wrap + 5_000) }).await.unwrap();
        votes.wrap(who, metis(wrap)).await.unwrap();
        if delegate {
            votes.delegate(who, who).await.unwrap();
        }
    }
    // Round 1 elects the operator, who registers with 30,000 METIS.
    let election = Election::of(&client, &d).unwrap();
    let now = || async { client.latest_block().await.unwrap().1 };
    let (round, _) = election.open(admin).await.unwrap();
    election.apply(operator, &node_key(3), round, "https://forum.example/operator").await.unwrap();
    let r1 = election.round(round).await.unwrap();
    client.warp(r1.voting_start - now().await + 1).await.unwrap();
    election.vote(proposer, round, operator, 1).await.unwrap();
    client.warp(r1.vetting_end - now().await + 1).await.unwrap();
    election.finalize(admin, round).await.unwrap();
    client.send_call(operator, token, &IERC20::mintCall { to: operator, value: metis(30_000) }).await.unwrap();
    pool.register(operator, &node_key(3), metis(30_000), None).await.unwrap();
    // Round 2, in its application window, with two candidates: the page's.
    let due = election.view().await.unwrap().next_round_at;
    client.warp(due.saturating_sub(now().await) + 1).await.unwrap();
    let (round, _) = election.open(admin).await.unwrap();
    for (i, who) in [(1u8, dev[1].address()), (2, dev[2].address())] {
        election.apply(who, &node_key(i), round, &format!("https://forum.example/candidate-{i}")).await.unwrap();
    }
    // A proposal to upgrade the reward distributor, for the page to decode: it names the new
    // implementation, whose code hash the page must show.
    let gov = Governance::of(&client, &d).unwrap();
    let (upgrade, programs) = gov.upgrade_action(proposer, &d, &artifacts, "reward-distributor").await.unwrap();
    let (proposal, _) = gov.propose(proposer, vec![upgrade], "Upgrade the reward distributor\n\nThe same code, deployed again.").await.unwrap();
    use dseq_client::alloy::providers::Provider;
    let code = client.provider.get_code_at(programs[0]).await.unwrap();
    let upgrade = serde_json::json!({
        "id": proposal.id.to_string(),
        "implementation": programs[0].to_string(),
        "codeHash": dseq_client::alloy::primitives::keccak256(&code).to_string(),
    });

    let bundle = bundle();
    let suite = dseq::app::suite_json(&d, client.chain_id).unwrap();
    let server = dseq::app::serve(&root, &bundle, &node.url(), &suite, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let keys = serde_json::json!({
        "holder": hex_key(5),
        "signer": hex_key(6),
        "proposer": hex_key(7),
        "late": hex_key(8),
        "operator": hex_key(3),
    });
    let shots = root.join("target/app-screenshots");
    let script = root.join("app/test/holder.test.mjs");
    // The browser test runs beside this runtime, which keeps the node and the page serving.
    let (output, _server, _node) = tokio::task::spawn_blocking(move || {
        let output = Command::new("node")
            .arg(&script)
            .current_dir(root)
            .env("DSEQ_APP_URL", &server.url)
            .env("DSEQ_NODE_URL", node.url())
            .env("DSEQ_CHROMIUM", &browser)
            .env("DSEQ_SCREENSHOTS", &shots)
            .env("DSEQ_KEYS", keys.to_string())
            .env("DSEQ_UPGRADE", upgrade.to_string())
            .output()
            .expect("node runs the browser test");
        (output, server, node)
    })
    .await
    .unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    println!("{stdout}");
    assert!(output.status.success(), "the browser test failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("all 14 steps passed"), "{stdout}");

    // What the page did is on chain.
    let rewards = IRewardDistributor::new(d.reward_distributor().unwrap(), client.provider.clone());
    assert_eq!(rewards.treasuryBps().call().await.unwrap(), 800, "the proposal the holder voted on was executed");
    let v = votes.view(holder).await.unwrap();
    assert_eq!((v.delegate, v.votes), (holder, metis(16_000)), "its own 15,000 and the 1,000 delegated by signature");
    let queue = ILockingPool::new(pool.address, client.provider.clone()).withdrawalQueue(U256::from(1)).call().await.unwrap();
    assert_eq!(queue.pending, metis(1_000), "the operator's withdrawal request");
}

/// `dseq app`'s server: the page and its bundle, the deployment at /suite.json, JSON-RPC
/// proxied to the node on the same origin (an oversized request refused, a node that is down
/// answered as a JSON-RPC error with HTTP 502), and nothing else.
#[tokio::test(flavor = "multi_thread")]
async fn the_server_serves_the_page_and_proxies_json_rpc() {
    let bundle = bundle();
    let root = common::root();
    let dev = dseq::session::dev_signers();
    let config = DeployConfig { admission: Some(dev[0].address()), ..DeployConfig::default() };
    let (node, client, d, _) = common::suite_with_operators(config, node_key).await;
    let suite = dseq::app::suite_json(&d, client.chain_id).unwrap();
    let server = dseq::app::serve(&root, &bundle, &node.url(), &suite, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let http = reqwest::Client::new();
    let get = |path: &str| http.get(format!("{}{path}", server.url)).send();

    let page = get("/").await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains(r#"<script type="module" src="/app.js"></script>"#));
    let js = get("/app.js").await.unwrap();
    assert_eq!((js.status().as_u16(), js.headers()["content-type"].to_str().unwrap()), (200, "text/javascript; charset=utf-8"));
    assert_eq!(js.bytes().await.unwrap().len(), bundle.bytes);
    let served: serde_json::Value = get("/suite.json").await.unwrap().json().await.unwrap();
    assert_eq!(served["chainId"], client.chain_id);
    assert_eq!(served["contracts"]["governor"], d.governor().unwrap().to_string());
    assert_eq!(served["contracts"]["rewards"], d.reward_distributor().unwrap().to_string());
    assert_eq!(get("/../Cargo.toml").await.unwrap().status(), 404);
    assert_eq!(get("/rpc").await.unwrap().status(), 405);

    let rpc = |body: String| http.post(format!("{}/rpc", server.url)).header("content-type", "application/json").body(body).send();
    let answer: serde_json::Value = rpc(r#"{"jsonrpc":"2.0","id":7,"method":"eth_chainId","params":[]}"#.into()).await.unwrap().json().await.unwrap();
    // Only JSON (a cross-site text/plain POST needs no preflight), only the page's methods (not
    // the node's unlocked accounts or cheats), only for the address it serves (DNS rebinding).
    let plain = http.post(format!("{}/rpc", server.url)).header("content-type", "text/plain").body(r#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"#).send().await.unwrap();
    assert_eq!(plain.status(), 415);
    for method in ["eth_sendTransaction", "anvil_setBalance", "evm_increaseTime", "eth_accounts"] {
        let refused: serde_json::Value = rpc(format!(r#"{{"jsonrpc":"2.0","id":3,"method":"{method}","params":[]}}"#)).await.unwrap().json().await.unwrap();
        assert_eq!(refused["error"]["code"], -32601, "{method}: {refused}");
    }
    let batch: serde_json::Value = rpc(r#"[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},{"jsonrpc":"2.0","id":2,"method":"anvil_mine"}]"#.into()).await.unwrap().json().await.unwrap();
    assert_eq!(batch["error"]["code"], -32601, "a batch with one refused method is refused: {batch}");
    let rebound = http.get(format!("{}/", server.url)).header("host", "attacker.example:8600").send().await.unwrap();
    assert_eq!(rebound.status(), 421);
    assert_eq!((answer["id"].as_u64(), answer["result"].as_str()), (Some(7), Some(format!("{:#x}", client.chain_id).as_str())));
    let big = format!(r#"{{"jsonrpc":"2.0","id":1,"method":"eth_call","params":["{}"]}}"#, "a".repeat(dseq::app::MAX_REQUEST_BYTES));
    let refused = rpc(big).await.unwrap();
    assert_eq!(refused.status(), 413);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], -32600);

    // A node that does not answer (nothing listens on the port): a JSON-RPC error that says so.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let orphan = dseq::app::serve(&root, &bundle, &dead, &suite, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let down = http.post(format!("{}/rpc", orphan.url)).header("content-type", "application/json").body(r#"{"jsonrpc":"2.0","id":9,"method":"eth_blockNumber","params":[]}"#).send().await.unwrap();
    assert_eq!(down.status(), 502);
    let body: serde_json::Value = down.json().await.unwrap();
    assert_eq!((body["id"].as_u64(), body["error"]["code"].as_i64()), (Some(9), Some(-32603)));
    assert!(body["error"]["message"].as_str().unwrap().contains("is not answering"), "{body}");
}
