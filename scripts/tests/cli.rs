//! The `dseq` binary as a user runs it, against `dseq devnode` started as its own process:
//! deploy, admin, faucet, every operator command, status, the demo and the bench, and the
//! messages (and exit codes) for bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use devnode::bench::ChildNode;
use dseq_client::Client;

/// The repository root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("scripts/ has a parent").to_path_buf()
}

/// Builds the programs and the Solidity contracts once per process; commands then run with
/// `--no-build`.
fn built() {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let artifacts = dseq::session::artifacts(&root(), false, false).map_err(|e| format!("{e:#}"))?;
            dseq::session::variant_artifacts(&root(), &artifacts, "v2", false).map(|_| ()).map_err(|e| format!("{e:#}"))
        })
        .clone()
        .expect("build");
}

/// `dseq devnode --port 0` as a child process.
fn devnode() -> ChildNode {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dseq"));
    command.current_dir(root()).args(["devnode", "--port", "0"]);
    ChildNode::spawn(command).expect("dseq devnode starts")
}

/// A deploy config next to `record` that leaves ADMISSION_ROLE with dev account 0 (the
/// deployer), so the test can admit owners with `dseq admin admit`; every other role goes to
/// the timelock.
fn dev_admission_config(record: &Path) -> String {
    let path = record.with_file_name("dev.toml");
    std::fs::write(&path, "admission = \"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\"\n").unwrap();
    path.to_str().unwrap().to_string()
}

/// A fresh path for a deployment record.
fn record_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dseq-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("deployment.json")
}

/// Runs `dseq args...` in the repository.
fn dseq(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dseq")).current_dir(root()).args(args).env_remove("DSEQ_KEY").output().expect("dseq runs")
}

fn text(out: &Output) -> (String, String) {
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Runs and expects success; returns stdout.
#[track_caller]
fn ok(args: &[&str]) -> String {
    let out = dseq(args);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "dseq {args:?} failed:\n{stdout}\n{stderr}");
    stdout
}

/// Runs and expects failure with exit code 1 and a one-line `error: ...`; returns that line.
#[track_caller]
fn fails(args: &[&str]) -> String {
    let out = dseq(args);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "dseq {args:?} should fail:\n{stdout}\n{stderr}");
    let line = stderr.lines().find(|l| l.starts_with("error: ")).unwrap_or_else(|| panic!("no error line in {stderr:?}"));
    line.to_string()
}

const ALICE_KEY: &str = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const ALICE: &str = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const SIGNER_KEY: &str = "0x4242424242424242424242424242424242424242424242424242424242424242";
const NEW_SIGNER_KEY: &str = "0x4343434343434343434343434343434343434343434343434343434343434343";

async fn warp(url: &str, seconds: u64) {
    Client::connect(url, Vec::new()).await.unwrap().warp(seconds).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_operate_and_read_the_state_through_the_cli() {
    built();
    let node = devnode();
    let record = record_path("operate");
    let (rpc, rec) = (node.url.as_str(), record.to_str().unwrap());
    let chain = ["--rpc", rpc, "--deployment", rec];
    let with = |args: &[&'static str]| -> Vec<String> { args.iter().map(|s| s.to_string()).chain(chain.iter().map(|s| s.to_string())).collect() };
    let run = |args: Vec<String>| ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let run_fail = |args: Vec<String>| fails(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let alice = |args: &[&'static str]| [with(args), vec!["--key".to_string(), ALICE_KEY.to_string()]].concat();

    // deploy: every step shown with its timing; the record says what exists. The timelock
    // gets every role but admission, which dev account 0 keeps for the test.
    let config: &'static str = Box::leak(dev_admission_config(&record).into_boxed_str());
    let out = run(with(&["deploy", "--no-build", "--config", config]));
    for step in ["token", "program locking-pool-module", "program locking-pool-admin", "program locking-pool-delegation", "program locking-pool", "proxy", "parameters", "roles", "verify"] {
        assert!(out.lines().any(|l| l.trim_start().starts_with(step) && l.contains(" s ")), "no step {step} in:\n{out}");
    }
    assert!(out.contains("deployed in"), "{out}");
    // The deployer owns the dev chain: every program goes into its cache, so no call pays a
    // program's full init.
    assert!(out.contains("12 programs cached (12 now)"), "{out}");
    let d = dseq_client::Deployment::load(&record).unwrap();
    assert!(d.complete);
    assert_eq!(d.chain_id, 412_346);
    assert_eq!(d.locking_pool.programs.len(), 4);
    assert_eq!(d.wiring.as_ref().unwrap().max_withdrawal_requests, 8);
    let code = std::fs::read(root().join("artifacts/locking-pool.code")).unwrap();
    assert_eq!(d.locking_pool.programs.iter().find(|p| p.name == "locking-pool").unwrap().code_hash, dseq_client::alloy::primitives::keccak256(&code));

    // Again on the same chain: refused as done, nothing sent.
    let out = run(with(&["deploy", "--no-build"]));
    assert!(out.contains("already deployed on chain 412346"), "{out}");

    // The admin admits Alice; the mock's faucet funds her.
    let out = run(with(&["admin", "admit", ALICE]));
    assert!(out.contains(&format!("{ALICE} is admitted")), "{out}");
    let out = run(with(&["faucet", ALICE, "--amount", "100000"]));
    assert!(out.contains("minted 100,000 METIS"), "{out}");

    // Alice registers, with her node's signer key signing the proof.
    let out = run(alice(&["operator", "register", "--amount", "30000", "--signer-key", SIGNER_KEY]));
    assert!(out.starts_with("registered sequencer 1: 30,000 METIS locked by 0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), "{out}");
    let out = run(alice(&["operator", "relock", "--amount", "1,000"]));
    assert!(out.contains("stake of sequencer 1 is now 31,000 METIS"), "{out}");
    let out = run(alice(&["operator", "withdraw", "--amount", "5000"]));
    assert!(out.contains("withdrawal request #0: 5,000 METIS left the stake") && out.contains("(in 21d)"), "{out}");

    // Too early: claim and rotation say when.
    let err = run_fail(alice(&["operator", "claim"]));
    assert!(err.contains("sequencer 1 has nothing to claim yet") && err.contains("the next withdrawal (5,000 METIS) matures"), "{err}");
    let err = run_fail(alice(&["operator", "rotate-signer", "--signer-key", NEW_SIGNER_KEY]));
    assert!(err.contains("reverted: SignerRotationTooSoon(sequencerId: 1, nextAllowedAt: "), "{err}");

    // The status screen.
    let out = run(with(&["status"]));
    assert!(out.contains("26,000 METIS locked, 5,000 METIS in withdrawal queues; the pool holds 31,000 METIS"), "{out}");
    assert!(out.contains("sequencers  1 registered, 1 active"), "{out}");
    let row = out.lines().find(|l| l.trim_start().starts_with("1  Active")).unwrap_or_else(|| panic!("{out}"));
    assert!(row.contains("26,000") && row.contains(ALICE) && row.contains("#0 5,000 METIS in 21d"), "{row}");

    // Three weeks later.
    warp(rpc, 21 * 86_400 + 1).await;
    let out = run(alice(&["operator", "claim"]));
    assert!(out.starts_with(&format!("claimed 5,000 METIS to {ALICE}")), "{out}");
    let out = run(alice(&["operator", "rotate-signer", "--signer-key", NEW_SIGNER_KEY]));
    let new_signer = dseq_client::proof::sign_proof(&dseq_client::proof::parse_key(NEW_SIGNER_KEY).unwrap(), ALICE.parse().unwrap(), d.pool().unwrap(), 412_346).unwrap().signer;
    assert!(out.starts_with(&format!("signer rotated to {new_signer}")), "{out}");
    let out = run(alice(&["operator", "set-recipient", "0x000000000000000000000000000000000000dEaD"]));
    assert!(out.starts_with("rewards now go to 0x000000000000000000000000000000000000dEaD"), "{out}");
    let out = run(alice(&["operator", "exit"]));
    assert!(out.starts_with("exit started") && out.contains("(in 21d)"), "{out}");
    let out = run(with(&["operator", "status", "--owner", ALICE]));
    assert!(out.starts_with("sequencer 1 (Exiting)") && out.contains(&format!("signer            {new_signer}")) && out.contains("exit              26,000 METIS claimable"), "{out}");
    warp(rpc, 21 * 86_400 + 1).await;
    let out = run(alice(&["operator", "claim"]));
    assert!(out.starts_with("claimed 26,000 METIS"), "{out}");
    let out = run(with(&["status"]));
    assert!(out.contains("0 METIS locked, 0 METIS in withdrawal queues; the pool holds 0 METIS"), "{out}");

    // Alice's METIS is whole again.
    let client = Client::connect(rpc, Vec::new()).await.unwrap();
    let token = dseq_client::bindings::IERC20::new(d.token().unwrap(), client.provider.clone());
    assert_eq!(token.balanceOf(ALICE.parse().unwrap()).call().await.unwrap(), dseq_client::units::parse_metis("100000").unwrap());
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_gets_a_message_that_says_what_to_fix() {
    built();
    let node = devnode();
    let record = record_path("bad-input");
    let (rpc, rec) = (node.url.as_str(), record.to_str().unwrap());

    // Before any deployment.
    let err = fails(&["status", "--rpc", rpc, "--deployment", "/nonexistent/x.json"]);
    assert!(err.contains("cannot read /nonexistent/x.json"), "{err}");
    let err = fails(&["status", "--rpc", rpc, "--root", "/tmp"]);
    assert!(err.contains("no deployment for chain 412346") && err.contains("run `dseq deploy` first"), "{err}");

    let config = dev_admission_config(&record);
    ok(&["deploy", "--no-build", "--rpc", rpc, "--deployment", rec, "--config", &config]);
    let err = fails(&["admin", "admit", "0x1234", "--rpc", rpc, "--deployment", rec]);
    assert_eq!(err, "error: --owner \"0x1234\" is not an address: give 20 bytes of hex, 0x-prefixed");
    let err = fails(&["operator", "relock", "--amount", "5", "--key", "0xzz", "--rpc", rpc, "--deployment", rec]);
    assert!(err.contains("a private key is 32 bytes of hex"), "{err}");
    let err = fails(&["operator", "withdraw", "--amount", "lots", "--rpc", rpc, "--deployment", rec]);
    assert!(err.contains("\"lots\" is not an amount"), "{err}");
    let err = fails(&["operator", "register", "--amount", "30000", "--rpc", rpc, "--deployment", rec]);
    assert!(err.contains("give the sequencer's signer key with --signer-key HEX or DSEQ_SIGNER_KEY"), "{err}");
    let err = fails(&["operator", "register", "--amount", "30000", "--signer-key", SIGNER_KEY, "--key", ALICE_KEY, "--rpc", rpc, "--deployment", rec]);
    assert!(err.contains("is not admitted as a sequencer owner (NotWhitelisted)"), "{err}");

    // A revert comes back by name, with its fields.
    ok(&["admin", "admit", ALICE, "--rpc", rpc, "--deployment", rec]);
    ok(&["faucet", ALICE, "--rpc", rpc, "--deployment", rec]);
    let err = fails(&["operator", "register", "--amount", "10000", "--signer-key", SIGNER_KEY, "--key", ALICE_KEY, "--rpc", rpc, "--deployment", rec]);
    assert_eq!(
        err,
        "error: registering the sequencer: reverted: InvalidLockAmount(amount: 10000000000000000000000, minLock: 20000000000000000000000, maxLock: 100000000000000000000000)"
    );
    let err = fails(&["operator", "register", "--amount", "300000", "--signer-key", SIGNER_KEY, "--key", ALICE_KEY, "--rpc", rpc, "--deployment", rec]);
    assert!(err.contains("holds 100,000 METIS but the action needs 300,000 METIS"), "{err}");
    let err = fails(&["operator", "exit", "--key", ALICE_KEY, "--rpc", rpc, "--deployment", rec]);
    assert!(err.contains("has no sequencer in the pool") && err.contains("register one with `dseq operator register`"), "{err}");

    // A keystore signs like a key; a wrong password is explained.
    let dir = record.parent().unwrap();
    let mut rng = rand_core_for_keystore();
    let _ = dseq_client::alloy::signers::local::PrivateKeySigner::encrypt_keystore(dir, &mut rng, dseq_client::alloy::primitives::hex::decode(ALICE_KEY).unwrap(), "pw", Some("alice.json")).unwrap();
    let keystore = dir.join("alice.json");
    std::fs::write(dir.join("pw.txt"), "pw\n").unwrap();
    std::fs::write(dir.join("bad.txt"), "nope\n").unwrap();
    let ks = keystore.to_str().unwrap();
    let out = ok(&["operator", "register", "--amount", "30000", "--signer-key", SIGNER_KEY, "--keystore", ks, "--password-file", dir.join("pw.txt").to_str().unwrap(), "--rpc", rpc, "--deployment", rec]);
    assert!(out.contains(&format!("locked by {ALICE}")), "{out}");
    let err = fails(&["operator", "exit", "--keystore", ks, "--password-file", dir.join("bad.txt").to_str().unwrap(), "--rpc", rpc, "--deployment", rec]);
    assert!(err.contains("cannot decrypt keystore") && err.contains("wrong password?"), "{err}");

    // An RPC that is down, and one that is not a Stylus chain.
    let err = fails(&["status", "--rpc", "http://127.0.0.1:1", "--deployment", rec]);
    assert!(err.contains("cannot reach the RPC endpoint http://127.0.0.1:1") && err.contains("is the node running?"), "{err}");
    let err = fails(&["status", "--rpc", "not a url"]);
    assert!(err.contains("is not a URL"), "{err}");
    let anvil = ChildNode::anvil(&root()).expect("anvil");
    let err = fails(&["deploy", "--no-build", "--rpc", &anvil.url, "--deployment", rec]);
    assert!(err.contains("is not a Stylus chain: the ArbWasm precompile at 0x71 does not answer"), "{err}");
}

/// Randomness for the keystore's salt and IV.
fn rand_core_for_keystore() -> impl dseq_client::alloy::signers::k256::elliptic_curve::rand_core::CryptoRngCore {
    dseq_client::alloy::signers::k256::elliptic_curve::rand_core::OsRng
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_deploy_resumes_and_a_restarted_chain_is_refused() {
    built();
    let node = devnode();
    let record = record_path("resume");
    let (rpc, rec) = (node.url.clone(), record.to_str().unwrap().to_string());
    let dir = record.parent().unwrap();
    std::fs::write(dir.join("bad.toml"), "min-lock = \"200000\"\n").unwrap();
    std::fs::write(dir.join("good.toml"), "min-lock = \"25000\"\nexit-delay = 604800\n").unwrap();

    // The parameters step fails: the message says what exists, the record keeps it.
    let bad = dir.join("bad.toml");
    let err = fails(&["deploy", "--no-build", "--rpc", &rpc, "--deployment", &rec, "--config", bad.to_str().unwrap()]);
    assert!(err.contains("steps done: token, program locking-pool-module, program locking-pool-admin, program locking-pool-delegation, program locking-pool, proxy"), "{err}");
    assert!(err.contains("InvalidLockBounds(minLock: 200000000000000000000000, maxLock: 100000000000000000000000)"), "{err}");
    assert!(err.contains("run `dseq deploy` again to resume"), "{err}");
    let partial = dseq_client::Deployment::load(&record).unwrap();
    assert!(!partial.complete);
    let proxy = partial.locking_pool.proxy.expect("the proxy was recorded");

    // Resumed with a good config: the recorded contracts are reused, the rest is done.
    let good = dir.join("good.toml");
    let out = ok(&["deploy", "--no-build", "--rpc", &rpc, "--deployment", &rec, "--config", good.to_str().unwrap()]);
    assert!(out.contains("(done before)") && out.contains("resumed and finished"), "{out}");
    let done = dseq_client::Deployment::load(&record).unwrap();
    assert!(done.complete);
    assert_eq!(done.locking_pool.proxy, Some(proxy));
    let wiring = done.wiring.unwrap();
    assert_eq!((wiring.min_lock, wiring.exit_delay), (dseq_client::units::parse_metis("25000").unwrap(), 604_800));
    let out = ok(&["status", "--rpc", &rpc, "--deployment", &rec]);
    assert!(out.contains("stake 25,000 to 100,000 METIS, exit delay 7d"), "{out}");

    // A new chain does not have the recorded contracts: refused unless --fresh.
    drop(node);
    let node = devnode();
    let err = fails(&["deploy", "--no-build", "--rpc", &node.url, "--deployment", &rec]);
    assert!(err.contains("records contracts this chain does not have") && err.contains("was the node restarted? Pass --fresh"), "{err}");
    let out = ok(&["deploy", "--no-build", "--fresh", "--rpc", &node.url, "--deployment", &rec]);
    assert!(out.contains("deployed in"), "{out}");
    assert!(record.with_extension("json.bak").exists());
}

#[test]
fn the_demo_plays_a_season_and_the_books_balance() {
    built();
    let out = ok(&["demo", "--no-build"]);
    for words in [
        "Mallory, not elected, tries to register anyway: the pool reverted: NotWhitelisted(account: 0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65)",
        "applies with it first: the election reverted: InvalidSignerProof(signer: ",
        "     Alice    for  60,000 against       0 abstain       0 METIS, 3 voters, 100% approval: admitted",
        "     Bob      for  50,000 against  10,000 abstain       0 METIS, 3 voters, 83% approval: admitted",
        "     Carol    for  40,000 against       0 abstain  20,000 METIS, 3 voters, 100% approval: admitted",
        "     Mallory  for  10,000 against       0 abstain  50,000 METIS, 3 voters, 100% approval: outranked",
        "Frank replays it: reverted: InvalidVoteSignature(voter: 0xa0Ee7A142d267C1f36714E4a8F75612F20a79720)",
        "tries to vote: reverted: NoVotingPower(voter: 0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
        "Bob claims his matured withdrawals: 8,000 METIS back in his wallet.",
        "Carol claims her exited stake: 25,000 METIS back in her wallet.",
        "   Alice              60,000 40,249.70702483836            0 100,249.70702483836 100,249.70702483836",
        "   Bob     68,260.9617851126             32,000            0  100,260.9617851126  100,260.9617851126",
        "   Carol   100,088.034503428                  0            0   100,088.034503428   100,088.034503428",
        "nothing was lost",
        "The pool holds 72,249.70702483836 METIS = 72,249.70702483836 locked + 0 queued: every token accounted for.",
        "Mallory submits a batch of her own: the distributor reverted: NotSubmitter(caller: 0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65).",
        "lists Bob's signer twice: the distributor reverted: SignersNotAscending(index: 1, signer: 0x17c5185167401eD00cF5F5b2fc97D9BBfDb7D025)",
        "Batch 1 covers epochs 0 to 11: 260,000 blocks paid 583.80474698 METIS",
        "(Alice shares with the vault: her 40,000 METIS and its 10,000; her commission 10%):",
        "   Alice     120,000    269.44834476    26.944834476  198.85287843288   4.85007020568  43.65063185112",
        "   Bob       100,000     224.5402873     22.45402873     202.08625857               0               0",
        "   Carol      40,000     89.81611492     8.981611492     80.834503428               0               0",
        "Each row sums to its reward exactly",
        "5.2 METIS of it to the treasury",
        "Alice tries a 40% commission: the distributor reverted: CommissionAboveCap(bps: 4000, maxBps: 3000).",
        "rewards still split at 10%: she keeps 0.80834503428 METIS of the vault's 8.0834503428 METIS pro-rata part.",
        "Bob claims his operator rewards: 260.9617851126 METIS",
        "Alice compounds hers into her stake instead: 249.70702483836 METIS, her stake is now 40,249.70702483836 METIS",
        "Carol has exited, but her rewards waited for her: 88.034503428 METIS claimed",
        "Ivan has the vault claim its LST rewards: 54.81373715964 METIS for its holders",
        "Mallory does, and 72.6130056154 METIS go to ",
        "The distributor's books: funded 738.130056154 = paid 726.130056154 + claimable 12 METIS, and it holds exactly 12 METIS: every reward is accounted for.",
        "funded = paid + claimable.",
        "Bob replays Erin's signature: reverted: InvalidAccountNonce(",
        "   Alice        40,000            0       40,000",
        "   Dave              0       12,000       20,000",
        "The voting token holds 80,000 METIS for 80,000 vMETIS wrapped: every vote is backed.",
        "the pool still has no stakeOf, and only a passed proposal can point it at them.",
        "the minimum stake is 25,000 METIS, and the pool's admin is the timelock (the deployer keeps nothing).",
        "and its new view reads the old storage: stakeOf(Alice) = 40,000 METIS.",
        "sequencer: the registry reverted: LstNotApproved(lst: ",
        "The registry lists \"stMETIS vault\" as Active with a cap of 100,000 METIS",
        "as its LST: the pool reverted: NotSequencerDelegate(sequencerId: 1, caller: 0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65).",
        "sequencer 1 now weighs 70,000 METIS, Alice's 40,000 and the vault's 30,000",
        "the vault's stake votes as the vault's: Alice 40,000 votes, the vault 30,000.",
        "the pool reverted: WithdrawalExceedsStake(amount: 45000000000000000000000, stake: 40000000000000000000000).",
        "the vault's other 10,000 METIS enter its queue at once",
        "The vault holds 5,000 METIS idle + 0 staked + 30,000 queued = 35,000 for 35,000 shares: every share is backed.",
        "The vault claims its two matured requests in one call: 30,000 METIS back",
        "   Judy               20,000                  0            0              20,000  (vault shares)",
        "its holders got every token back.",
    ] {
        assert!(out.contains(words), "the demo did not say {words:?}:\n{out}");
    }
}

#[test]
fn every_operation_costs_at_most_its_anchor_and_does_not_grow() {
    built();
    let json = record_path("bench").with_file_name("bench.json");
    let text = ok(&["bench", "--no-build", "--sequencers", "1,30", "--transfers", "0", "--json", json.to_str().unwrap()]);
    assert!(text.contains("register (lockFor, 30,000 METIS)") && text.contains("376,835"), "{text}");
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let operations = report["operations"].as_array().unwrap();
    assert_eq!(operations.len(), 50, "{text}");
    // Known over their promise, each by what a Stylus call pays that no EVM contract does: the
    // cached init of every program it runs (1,300 to 2,200 gas each, in the table's last
    // columns). These rows run more programs than the anchor runs contracts (README, Gas).
    let over = [
        // governor -> timelock -> the token: three programs and their proxies, a third memory page
        ("gov: execute (1 ERC-20 transfer)", 16_000),
        // served by locking-pool-module behind the entry: two programs' cached init (3,655)
        ("setSequencerRewardRecipient", 4_000),
        // served by governor-module behind the governor (2,176 more)
        ("gov: castVoteBySig (later, relayed)", 2_000),
    ];
    for row in operations {
        if let Some(anchor) = row["anchor"][0].as_u64() {
            let (gas, extra) = (row["gas_used"].as_u64().unwrap(), row["extra"].as_u64().unwrap());
            let allowed = over.iter().find(|(op, _)| row["operation"] == *op).map_or(0, |(_, by)| *by);
            assert!(gas <= anchor + extra + allowed, "{} costs {gas} > its anchor {anchor} + {extra} + {allowed}:\n{text}", row["operation"]);
        }
    }
    // The same operation costs the same with 1 or 30 sequencers, and with 0 or max - 1 open
    // requests (within the few thousand gas a first write to a packed word costs).
    let growth = report["growth"].as_array().unwrap();
    // The election's votes too, at 1 and 30 voters before; its finalization grows with the
    // candidates only (bounded by the cap). Then the LST rows, at 1 and 100 LSTs approved, and
    // a batch of 10 signers with 10 and 30 sequencers registered; a batch grows with its
    // signers only (bounded by the most a batch takes).
    assert_eq!(growth.len(), 16, "{text}");
    assert_eq!(growth[8]["operation"], "election finalize", "{text}");
    assert_eq!(growth[14]["operation"], "submitBatch (steady)", "{text}");
    for row in growth[..4].iter().chain(&growth[5..8]).chain(&growth[9..14]) {
        let gas: Vec<u64> = row["points"].as_array().unwrap().iter().map(|p| p[1].as_u64().unwrap()).collect();
        assert_eq!(gas.len(), 2, "{text}");
        let (lo, hi) = (*gas.iter().min().unwrap(), *gas.iter().max().unwrap());
        assert!(hi - lo <= 2_500, "{} grows: {gas:?}\n{text}", row["operation"]);
    }
    // A batch's cost per signer, steady (each signer's pending word already nonzero, as
    // Metis's 10,607 was measured), is below Metis's and within the goal of 8,000.
    let per_signer = operations.iter().find(|r| r["operation"].as_str().unwrap().starts_with("rewards: per signer")).expect("the per-signer row");
    assert!(per_signer["gas_used"].as_u64().unwrap() <= 8_000, "{text}");
    assert!(text.contains("rewards: per signer (10 -> 100, steady)") && text.contains("batchSubmitRewards, marginal per signer"), "{text}");
    let sizes = report["sizes"].as_array().unwrap();
    assert_eq!(sizes.len(), 12);
    // A cached program's call pays under an eighth of its first uncached call in a block.
    assert!(sizes.iter().all(|s| s["cached_init_gas"].as_u64().unwrap() * 8 < s["init_gas"].as_u64().unwrap()), "{text}");
    assert!(sizes.iter().all(|s| s["compressed_bytes"].as_u64().unwrap() <= dseq::build::BUDGET_BYTES as u64), "{text}");
}

/// `dseq operator proof` signs offline what the pool checks (the same digest the pool's
/// `signerProofDigest` returns is tested in tests/tests/locking_pool.rs).
#[test]
fn the_offline_proof_names_the_signer_and_digest() {
    let out = ok(&["operator", "proof", "--signer-key", SIGNER_KEY, "--owner", ALICE, "--pool", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "--chain-id", "412346"]);
    let key = dseq_client::proof::parse_key(SIGNER_KEY).unwrap();
    let proof = dseq_client::proof::sign_proof(&key, ALICE.parse().unwrap(), "0x5FbDB2315678afecb367f032d93F642f64180aa3".parse().unwrap(), 412_346).unwrap();
    assert!(out.contains(&format!("signer:      {}", proof.signer)), "{out}");
    assert!(out.contains(&format!("digest:      {}", proof.digest)), "{out}");
    let err = fails(&["operator", "proof", "--signer-key", SIGNER_KEY, "--owner", "alice", "--pool", ALICE, "--chain-id", "1"]);
    assert_eq!(err, "error: --owner \"alice\" is not an address: give 20 bytes of hex, 0x-prefixed");
}

/// `dseq votes`: wrap, see the power, delegate by a signature the holder signs and anyone
/// submits, refuse its replay, unwrap; with the messages for bad input.
#[tokio::test(flavor = "multi_thread")]
async fn votes_wrap_delegate_by_signature_and_unwrap_through_the_cli() {
    built();
    let node = devnode();
    let record = record_path("votes");
    let (rpc, rec) = (node.url.as_str(), record.to_str().unwrap());
    let chain = |args: &[&str]| -> Vec<String> { args.iter().map(|s| s.to_string()).chain(["--rpc", rpc, "--deployment", rec].iter().map(|s| s.to_string())).collect() };
    let run = |args: Vec<String>| ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let run_fail = |args: Vec<String>| fails(&args.iter().map(String::as_str).collect::<Vec<_>>());
    run(chain(&["deploy", "--no-build"]));
    run(chain(&["faucet", ALICE, "--amount", "1000"]));

    let out = run(chain(&["votes", "wrap", "--amount", "600", "--key", ALICE_KEY]));
    assert!(out.contains(&format!("wrapped 600 METIS: {ALICE} holds 600 vMETIS")) && out.contains("count for nobody until delegated"), "{out}");
    let out = run(chain(&["votes", "status", ALICE]));
    assert!(out.contains("wrapped           600 vMETIS") && out.contains("delegates to      nobody"), "{out}");

    // Alice signs; dev account 0 (no --key on a dev chain) submits and pays.
    let out = run(chain(&["votes", "delegate", "--sign-only", "--key", ALICE_KEY]));
    assert!(out.contains("\"primaryType\": \"Delegation\"") && out.contains("signature: 0x"), "{out}");
    let submit = out.lines().find_map(|l| l.split_once("submit (anyone may pay the gas): ")).map(|(_, c)| c.to_string()).expect("a submit command");
    let args: Vec<String> = submit.split_whitespace().skip(1).map(String::from).chain(["--deployment".to_string(), rec.to_string()]).collect();
    let out = run(args.clone());
    assert!(out.contains(&format!("{ALICE} now delegates to {ALICE}")), "{out}");
    let out = run(chain(&["votes", "status", ALICE]));
    assert!(out.contains(&format!("delegates to      {ALICE} (itself)")) && out.contains("voting power      600 votes"), "{out}");
    let err = run_fail(args);
    assert!(err.contains("reverted: InvalidAccountNonce(account: ") && err.contains("currentNonce: 1)"), "{err}");

    let err = run_fail(chain(&["votes", "unwrap", "--amount", "700", "--key", ALICE_KEY]));
    assert!(err.contains("has 600 METIS wrapped, less than the 700 asked for"), "{err}");
    let out = run(chain(&["votes", "unwrap", "--amount", "100", "--key", ALICE_KEY]));
    assert!(out.contains("unwrapped 100 METIS back to"), "{out}");
    let out = run(chain(&["votes", "status", ALICE]));
    assert!(out.contains("METIS in wallet   500") && out.contains("voting power      500 votes"), "{out}");
    let err = run_fail(chain(&["votes", "submit-delegation", "--delegatee", ALICE, "--nonce", "0", "--expiry", "1", "--signature", "0x1234"]));
    assert!(err.contains("a delegation signature is 65 bytes"), "{err}");
}

/// `dseq gov`: a holder proposes through readable calls, votes, queues and executes; the
/// timelock becomes the pool's admin and the change lands; with the messages for bad input.
#[tokio::test(flavor = "multi_thread")]
async fn a_proposal_goes_from_propose_to_execute_through_the_cli() {
    built();
    let node = devnode();
    let record = record_path("gov");
    let (rpc, rec) = (node.url.as_str(), record.to_str().unwrap());
    let chain = |args: &[&str]| -> Vec<String> { args.iter().map(|s| s.to_string()).chain(["--rpc", rpc, "--deployment", rec].iter().map(|s| s.to_string())).collect() };
    let run = |args: Vec<String>| ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let run_fail = |args: Vec<String>| fails(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let out = run(chain(&["deploy", "--no-build"]));
    for step in ["program governor-module", "program governor", "program timelock", "timelock proxy", "governor proxy"] {
        assert!(out.lines().any(|l| l.trim_start().starts_with(step)), "no step {step} in:\n{out}");
    }
    assert!(out.contains("DEFAULT_ADMIN_ROLE offered to") && out.contains("the timelock, by a proposal"), "{out}");
    let calls = ["--call", "pool acceptDefaultAdminTransfer()", "--call", "pool setLockBounds(uint256,uint256) 25000ether 100000ether"];
    let propose = |key: &'static str| -> Vec<String> {
        let mut args = chain(&["gov", "propose", "--description", "Raise the minimum stake to 25,000 METIS", "--key", key]);
        args.extend(calls.iter().map(|s| s.to_string()));
        args
    };
    let err = run_fail(propose(ALICE_KEY));
    assert!(err.contains("proposing needs 1,000 votes") && err.contains("wrap METIS and delegate first"), "{err}");

    run(chain(&["faucet", ALICE, "--amount", "5000"]));
    run(chain(&["votes", "wrap", "--amount", "5000", "--key", ALICE_KEY]));
    run(chain(&["votes", "delegate", "--key", ALICE_KEY]));
    warp(rpc, 10).await;
    let out = run(propose(ALICE_KEY));
    let id = out.split_whitespace().nth(1).expect("an id").to_string();
    assert!(out.starts_with(&format!("proposal {id} created by {ALICE}")), "{out}");
    let out = run(chain(&["gov", "status", &id]));
    assert!(out.contains("(Pending): Raise the minimum stake to 25,000 METIS") && out.contains("call 2"), "{out}");
    // The timelock governs the LST registry, so `dseq lst approve` proposes.
    let lst = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";
    let out = run(chain(&["lst", "approve", "--lst", lst, "--name", "Artemis", "--cap", "500000", "--key", ALICE_KEY]));
    assert!(out.starts_with("proposal ") && out.contains(&format!("created by {ALICE}: Approve the LST Artemis ({lst}) with a cap of 500,000 METIS; voting opens")), "{out}");
    let lst_id = out.split_whitespace().nth(1).expect("an id").to_string();
    let d = dseq_client::Deployment::load(&record).unwrap();
    let out = run(chain(&["gov", "status", &lst_id]));
    assert!(out.contains("(Pending): Approve the LST Artemis") && out.contains(&d.lst_registry().unwrap().to_string()), "{out}");
    let err = run_fail(chain(&["gov", "vote", &id, "--support", "for", "--key", ALICE_KEY]));
    assert!(err.contains("GovernorUnexpectedProposalState"), "{err}");
    let err = run_fail(chain(&["gov", "vote", &id, "--support", "yes", "--key", ALICE_KEY]));
    assert!(err.contains("is not a vote: use for, against or abstain"), "{err}");

    warp(rpc, 24 * 3600 + 1).await;
    let out = run(chain(&["gov", "vote", &id, "--support", "for", "--reason", "more skin in the game", "--key", ALICE_KEY]));
    assert!(out.contains(&format!("{ALICE} voted for on proposal {id} with 5,000 votes")), "{out}");
    let err = run_fail(chain(&["gov", "vote", &id, "--support", "against", "--key", ALICE_KEY]));
    assert!(err.contains("GovernorAlreadyCastVote"), "{err}");
    let err = run_fail(chain(&["gov", "queue", &id]));
    assert!(err.contains("GovernorUnexpectedProposalState"), "{err}");

    warp(rpc, 7 * 24 * 3600 + 1).await;
    let out = run(chain(&["gov", "queue", &id]));
    assert!(out.contains("queued in the timelock: executable") && out.contains("(in 2d)"), "{out}");
    let err = run_fail(chain(&["gov", "execute", &id]));
    assert!(err.contains("TimelockUnexpectedOperationState"), "{err}");
    warp(rpc, 2 * 24 * 3600 + 1).await;
    let out = run(chain(&["gov", "execute", &id]));
    assert!(out.contains(&format!("proposal {id} executed by the timelock")), "{out}");
    let out = run(chain(&["gov", "status", &id]));
    assert!(out.contains("(Executed)"), "{out}");
    let out = run(chain(&["status"]));
    assert!(out.contains("stake 25,000 to 100,000 METIS"), "{out}");
    let d = dseq_client::Deployment::load(&record).unwrap();
    assert!(out.contains(&format!("admin       {} (the timelock)", d.timelock().unwrap())), "{out}");

    // An upgrade only a passed proposal deploys: the pool's three programs swapped as one unit,
    // its state intact.
    dseq_client::alloy::sol! {
        #[sol(rpc)]
        interface ILockingPoolV2 {
            function stakeOf(address owner) external view returns (uint256);
        }
    }
    let client = Client::connect(rpc, Vec::new()).await.unwrap();
    let v2_pool = ILockingPoolV2::new(d.pool().unwrap(), client.provider.clone());
    assert!(v2_pool.stakeOf(ALICE.parse().unwrap()).call().await.is_err(), "version 1 has no stakeOf");
    let err = run_fail(chain(&["gov", "propose-upgrade", "locking-pool", "/nonexistent/v9", "--key", ALICE_KEY]));
    assert!(err.contains("is not a directory of built programs: `dseq build --variant NAME` writes artifacts/NAME"), "{err}");
    let v2 = root().join("artifacts/v2");
    let out = run(chain(&["gov", "propose-upgrade", "locking-pool", v2.to_str().unwrap(), "--key", ALICE_KEY]));
    let id = out.split_whitespace().nth(1).expect("an id").to_string();
    let entry: String = out.split("to the programs ").nth(1).and_then(|t| t.split(',').next()).expect("the new entry").trim().to_string();
    warp(rpc, 24 * 3600 + 1).await;
    run(chain(&["gov", "vote", &id, "--support", "for", "--key", ALICE_KEY]));
    warp(rpc, 7 * 24 * 3600 + 1).await;
    run(chain(&["gov", "queue", &id]));
    warp(rpc, 2 * 24 * 3600 + 1).await;
    run(chain(&["gov", "execute", &id]));
    use dseq_client::alloy::providers::Provider;
    let slot = client.provider.get_storage_at(d.pool().unwrap(), dseq_client::deploy::IMPLEMENTATION_SLOT.into()).await.unwrap();
    assert_eq!(dseq_client::alloy::primitives::Address::from_word(slot.into()).to_string(), entry, "the proxy runs the new entry");
    // Version 2's view, refused before the upgrade (see above), answers on the pool now.
    assert_eq!(v2_pool.stakeOf(ALICE.parse().unwrap()).call().await.unwrap(), dseq_client::alloy::primitives::U256::ZERO);
    let out = run(chain(&["status"]));
    assert!(out.contains("stake 25,000 to 100,000 METIS") && !out.contains(&d.locking_pool.programs[0].address.to_string()), "{out}");
}

const BOB_KEY: &str = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
const BOB: &str = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const CAROL_KEY: &str = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";
const CAROL: &str = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

/// A round of the election through `dseq election`: open, apply (a candidate's copy of
/// another's proof refused), vote by transaction, by a batch and by signature relayed by
/// someone else, finalize, status; the elected operator registers, the other cannot.
#[tokio::test(flavor = "multi_thread")]
async fn an_election_round_through_the_cli() {
    built();
    let node = devnode();
    let record = record_path("election");
    let (rpc, rec) = (node.url.as_str(), record.to_str().unwrap());
    let config = record.with_file_name("election.toml");
    std::fs::write(
        &config,
        "election-application-period = 3600\nelection-voting-period = 7200\nelection-vetting-period = 0\n\
         election-cadence = 86400\nelection-seats = 1\nelection-min-voters = 2\nelection-quorum = \"1000\"\n",
    )
    .unwrap();
    let chain = |key: &'static str| -> Vec<String> { ["--rpc", rpc, "--deployment", rec, "--key", key].iter().map(|s| s.to_string()).collect() };
    let run = |args: &[&str], key: &'static str| ok(&[args.iter().map(|s| s.to_string()).collect::<Vec<_>>(), chain(key)].concat().iter().map(String::as_str).collect::<Vec<_>>());
    let deployer = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    let out = ok(&["deploy", "--no-build", "--config", config.to_str().unwrap(), "--rpc", rpc, "--deployment", rec]);
    assert!(out.contains("election proxy") && out.contains("1 seats, 1h to apply, 2h to vote"), "{out}");

    let out = run(&["election", "status"], deployer);
    assert!(out.contains("no round yet; the first is due"), "{out}");
    let out = run(&["election", "open"], deployer);
    assert!(out.starts_with("round 1 is open: applications until"), "{out}");
    let err = fails(&[&["election", "open"][..], &chain(deployer).iter().map(String::as_str).collect::<Vec<_>>()].concat());
    assert!(err.contains("PreviousRoundOpen(roundId: 1)"), "{err}");

    // Two candidates; two holders with votes.
    for (key, who) in [(ALICE_KEY, ALICE), (BOB_KEY, BOB), (CAROL_KEY, CAROL)] {
        ok(&["faucet", who, "--amount", "30000", "--rpc", rpc, "--deployment", rec]);
        let _ = key;
    }
    let out = run(&["election", "apply", "--signer-key", SIGNER_KEY, "--metadata", "https://forum.example/alice"], ALICE_KEY);
    assert!(out.contains("applied in round 1 with the node key"), "{out}");
    let out = run(&["election", "apply", "--signer-key", NEW_SIGNER_KEY], BOB_KEY);
    assert!(out.contains("applied in round 1"), "{out}");
    for key in [BOB_KEY, CAROL_KEY] {
        run(&["votes", "wrap", "--amount", "2000"], key);
        run(&["votes", "delegate"], key);
    }
    let err = fails(&[&["election", "vote", "--for", ALICE][..], &chain(CAROL_KEY).iter().map(String::as_str).collect::<Vec<_>>()].concat());
    assert!(err.contains("UnexpectedPhase(roundId: 1, phase: 1, expected: 2)"), "{err}");
    warp(rpc, 3601).await;

    let out = run(&["election", "vote", "--for", ALICE, "--against", BOB], CAROL_KEY);
    assert!(out.contains(&format!("voted for {ALICE} in round 1 with 2,000 votes")) && out.contains(&format!("voted against {BOB}")), "{out}");
    let signed = run(&["election", "vote", "--for", ALICE, "--sign-only"], BOB_KEY);
    assert!(signed.contains("\"primaryType\": \"Ballot\"") && signed.contains("dseq SequencerElection"), "{signed}");
    let submit = signed.lines().find(|l| l.starts_with("submit")).unwrap();
    let args: Vec<&str> = submit.split_once("dseq ").unwrap().1.split_whitespace().collect();
    let args = [args, vec!["--deployment", rec, "--key", ALICE_KEY]].concat();
    let out = ok(&args);
    assert!(out.contains(&format!("{BOB}'s signed vote (for {ALICE}) counted with 2,000 votes")), "{out}");
    let err = fails(&args);
    assert!(err.contains(&format!("InvalidVoteSignature(voter: {BOB})")), "{err}");

    let out = run(&["election", "status"], deployer);
    assert!(out.contains("round 1     voting: voting closes"), "{out}");
    assert!(out.contains(&format!("#1 {ALICE}  applied       for 4,000 / against 0 / abstain 0 METIS, 2 voters, approval 100.0%")), "{out}");
    assert!(out.contains("https://forum.example/alice"), "{out}");
    warp(rpc, 7200).await;
    let out = run(&["election", "finalize"], deployer);
    assert!(out.contains(&format!("seat 1: {ALICE} with 4,000 METIS of votes for, admitted to the pool")), "{out}");
    let out = run(&["status"], deployer);
    assert!(out.contains("round 1     finalized: 1 admitted") && out.contains(&format!("#2 {BOB}  not qualified")), "{out}");

    let out = run(&["operator", "register", "--amount", "20000", "--signer-key", SIGNER_KEY], ALICE_KEY);
    assert!(out.contains("registered sequencer 1"), "{out}");
    let err = fails(&[&["operator", "register", "--amount", "20000", "--signer-key", NEW_SIGNER_KEY][..], &chain(BOB_KEY).iter().map(String::as_str).collect::<Vec<_>>()].concat());
    assert!(err.contains("is not admitted as a sequencer owner (NotWhitelisted)") && err.contains("dseq election status"), "{err}");
}

/// `dseq lst`: governance approves an LST (an account here; the demo and tests/lst.rs use a
/// vault contract), the operator offers and the LST accepts, the LST deposits, withdraws and
/// claims, the pairing ends with its stake queued; `dseq status` shows the LST; with the
/// messages for bad input.
#[tokio::test(flavor = "multi_thread")]
async fn an_lst_pairs_delegates_and_leaves_through_the_cli() {
    const LST_KEY: &str = "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e";
    const LST: &str = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";
    built();
    let node = devnode();
    let record = record_path("lst");
    let (rpc, rec) = (node.url.as_str(), record.to_str().unwrap());
    let chain = |args: &[&str]| -> Vec<String> { args.iter().map(|s| s.to_string()).chain(["--rpc", rpc, "--deployment", rec].iter().map(|s| s.to_string())).collect() };
    let run = |args: Vec<String>| ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let run_fail = |args: Vec<String>| fails(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let as_key = |key: &str, args: &[&str]| [chain(args), vec!["--key".to_string(), key.to_string()]].concat();
    // Dev account 0 keeps admission and governs the registry directly (no proposal per step).
    let config = record.with_file_name("lst.toml");
    std::fs::write(
        &config,
        "admission = \"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\"\nlst-governance = \"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\"\nlst-max-pairings = 4\n",
    )
    .unwrap();
    run(chain(&["deploy", "--no-build", "--config", config.to_str().unwrap()]));
    run(chain(&["admin", "admit", ALICE]));
    run(chain(&["faucet", ALICE, "--amount", "100000"]));
    run(chain(&["faucet", LST, "--amount", "10000"]));
    run(as_key(ALICE_KEY, &["operator", "register", "--amount", "30000", "--signer-key", SIGNER_KEY]));

    let out = run(chain(&["status"]));
    assert!(out.contains("no LST approved yet (`dseq lst approve` proposes one)") && out.contains("each pairs with at most 4 sequencers"), "{out}");
    let err = run_fail(as_key(ALICE_KEY, &["lst", "pair", "--sequencer", "1", "--lst", LST]));
    assert!(err.contains(&format!("{LST} is not an approved LST (LstNotApproved)")), "{err}");
    let err = run_fail(chain(&["lst", "approve", "--lst", LST, "--name", "a name longer than thirty-two bytes", "--cap", "5000"]));
    assert!(err.contains("an LST's name is 1 to 32 bytes without NUL"), "{err}");
    let out = run(chain(&["lst", "approve", "--lst", LST, "--name", "Artemis", "--cap", "5,000"]));
    assert!(out.starts_with(&format!("Approve the LST Artemis ({LST}) with a cap of 5,000 METIS (tx ")), "{out}");
    let err = run_fail(chain(&["lst", "approve", "--lst", ALICE, "--name", "Artemis", "--cap", "1"]));
    assert!(err.contains(&format!("the name \"Artemis\" is taken by the LST {LST}")), "{err}");
    let err = run_fail(chain(&["lst", "set-status", "--lst", LST, "--status", "frozen"]));
    assert!(err.contains("\"frozen\" is not an LST status: use active, paused (deposits paused) or delisted"), "{err}");

    // Alice offers, the LST accepts, deposits up to its cap, withdraws part.
    let out = run(as_key(ALICE_KEY, &["lst", "pair", "--sequencer", "1", "--lst", LST]));
    assert!(out.starts_with(&format!("{ALICE} offered to pair sequencer 1 with the LST {LST}")), "{out}");
    let err = run_fail(as_key(ALICE_KEY, &["lst", "accept", "--sequencer", "1", "--lst", LST]));
    assert!(err.contains("made the offer; the other side accepts it"), "{err}");
    let out = run(as_key(LST_KEY, &["lst", "accept", "--sequencer", "1", "--lst", LST]));
    assert!(out.starts_with(&format!("sequencer 1 and the LST {LST} are paired")), "{out}");
    let err = run_fail(as_key(LST_KEY, &["lst", "deposit", "--sequencer", "1", "--amount", "6000"]));
    assert!(err.contains("would pass its cap of 5,000 METIS (LstCapExceeded)"), "{err}");
    let out = run(as_key(LST_KEY, &["lst", "deposit", "--sequencer", "1", "--amount", "4000"]));
    assert!(out.starts_with(&format!("the LST {LST} locked 4,000 METIS into sequencer 1; its stake there is 4,000 METIS")), "{out}");
    let out = run(as_key(LST_KEY, &["lst", "withdraw", "--sequencer", "1", "--amount", "1000"]));
    assert!(out.contains("1,000 METIS of the LST's stake in sequencer 1 left it and is claimable") && out.contains("(in 21d)"), "{out}");
    let err = run_fail(as_key(LST_KEY, &["lst", "claim"]));
    assert!(err.contains("next withdrawal (1,000 METIS) matures") && err.contains("(NoMaturedDelegatedWithdrawal)"), "{err}");

    // What everyone sees.
    let out = run(chain(&["lst", "status", "--sequencer", "1"]));
    assert!(out.contains("operator's stake  30,000 METIS") && out.contains(&format!("paired LST        {LST} since")) && out.contains("with 3,000 METIS here"), "{out}");
    let out = run(chain(&["status"]));
    let row = out.lines().find(|l| l.trim_start().starts_with("Artemis")).unwrap_or_else(|| panic!("{out}"));
    assert!(row.contains("Active") && row.contains("3,000") && row.contains("5,000") && row.contains("1,000") && row.contains("1 of 4: #1 3,000 METIS"), "{row}");
    assert!(out.contains("request #") && out.contains("from sequencer 1: 1,000 METIS"), "{out}");

    // Alice ends the pairing: the rest of the LST's stake is queued; three weeks later the LST claims all.
    let out = run(as_key(ALICE_KEY, &["lst", "unpair", "--sequencer", "1"]));
    assert!(out.contains(&format!("sequencer 1 and the LST {LST} are no longer paired; 3,000 METIS of the LST's stake entered its queue")), "{out}");
    let err = run_fail(as_key(LST_KEY, &["lst", "withdraw", "--sequencer", "1", "--amount", "1"]));
    assert!(err.contains("is not sequencer 1's paired LST (NotSequencerDelegate)"), "{err}");
    warp(rpc, 21 * 86_400 + 1).await;
    let out = run(chain(&["lst", "claim", "--lst", LST]));
    assert!(out.starts_with(&format!("4,000 METIS paid to the LST {LST}")), "{out}");
    let client = Client::connect(rpc, Vec::new()).await.unwrap();
    let d = dseq_client::Deployment::load(&record).unwrap();
    let token = dseq_client::bindings::IERC20::new(d.token().unwrap(), client.provider.clone());
    assert_eq!(token.balanceOf(LST.parse().unwrap()).call().await.unwrap(), dseq_client::units::parse_metis("10000").unwrap());
    let out = run(chain(&["lst", "status", "--lst", LST]));
    assert!(out.lines().any(|l| l.trim_start().starts_with("Artemis") && l.contains("0 of 4")), "{out}");
}

/// `dseq rewards` and `dseq operator set-commission`: the MPC (dev account 0, also the reward
/// payer) submits a batch for Alice's signer, fees arrive for her sequencer and for the batch,
/// her commission waits its delay, the split is shown, Alice, the LST and the treasury claim,
/// Alice compounds, and `dseq status` shows the books closing; with the messages for bad input.
#[tokio::test(flavor = "multi_thread")]
async fn rewards_are_submitted_split_claimed_and_compounded_through_the_cli() {
    const LST_KEY: &str = "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e";
    const LST: &str = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";
    const TREASURY: &str = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720";
    const DEV0: &str = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
    built();
    let node = devnode();
    let record = record_path("rewards");
    let (rpc, rec) = (node.url.as_str(), record.to_str().unwrap());
    let chain = |args: &[&str]| -> Vec<String> { args.iter().map(|s| s.to_string()).chain(["--rpc", rpc, "--deployment", rec].iter().map(|s| s.to_string())).collect() };
    let run = |args: Vec<String>| ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let run_fail = |args: Vec<String>| fails(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let as_key = |key: &str, args: &[&str]| [chain(args), vec!["--key".to_string(), key.to_string()]].concat();
    // Dev account 0 keeps admission and governs the registry; 1 METIS a block keeps the sums plain.
    let config = record.with_file_name("rewards.toml");
    std::fs::write(
        &config,
        format!("admission = \"{DEV0}\"\nlst-governance = \"{DEV0}\"\nreward-per-block = \"1\"\ntreasury = \"{TREASURY}\"\n"),
    )
    .unwrap();
    run(chain(&["deploy", "--no-build", "--config", config.to_str().unwrap()]));
    run(chain(&["admin", "admit", ALICE]));
    for (to, amount) in [(ALICE, "100000"), (LST, "100000"), (DEV0, "10000")] {
        run(chain(&["faucet", to, "--amount", amount]));
    }
    run(as_key(ALICE_KEY, &["operator", "register", "--amount", "30000", "--signer-key", SIGNER_KEY]));
    run(chain(&["lst", "approve", "--lst", LST, "--name", "Artemis", "--cap", "100000"]));
    run(as_key(ALICE_KEY, &["lst", "pair", "--sequencer", "1", "--lst", LST]));
    run(as_key(LST_KEY, &["lst", "accept", "--sequencer", "1", "--lst", LST]));
    run(as_key(LST_KEY, &["lst", "deposit", "--sequencer", "1", "--amount", "30000"]));
    let signer = dseq_client::alloy::primitives::Address::from_public_key(dseq_client::proof::parse_key(SIGNER_KEY).unwrap().verifying_key()).to_string();

    let out = run(chain(&["rewards", "status"]));
    assert!(out.contains("terms       1 METIS a block; 10% of every reward and fee to the treasury"), "{out}");
    assert!(out.contains("batches     none yet; the next is batch 1 from epoch 0"), "{out}");
    assert!(out.contains("books       funded 0 = paid 0 + claimable 0 METIS; the distributor holds 0 METIS: balanced"), "{out}");

    // Bad batches are refused before anything is sent.
    let err = run_fail(chain(&["rewards", "submit", "--signer", "nonsense", "--end-epoch", "0"]));
    assert!(err.contains("is not SIGNER:BLOCKS"), "{err}");
    let err = run_fail(chain(&["rewards", "submit", "--signer", &format!("{signer}:0"), "--end-epoch", "0"]));
    assert!(err.contains("has 0 blocks: leave it out of the batch"), "{err}");
    let err = run_fail(chain(&["rewards", "submit", "--signer", &format!("{signer}:1"), "--signer", &format!("{signer}:2"), "--end-epoch", "0"]));
    assert!(err.contains("is given twice"), "{err}");
    let err = run_fail(chain(&["rewards", "submit", "--signer", &format!("{signer}:1"), "--end-epoch", "9", "--start-epoch", "5"]));
    assert!(err.contains("batch 1 must start at epoch 0"), "{err}");
    let err = run_fail(as_key(ALICE_KEY, &["rewards", "submit", "--signer", &format!("{signer}:1"), "--end-epoch", "0"]));
    assert!(err.contains(&format!("{ALICE} is not the distributor's submitter ({DEV0} is; NotSubmitter)")), "{err}");
    let err = run_fail(chain(&["rewards", "submit", "--signer", &format!("{ALICE}:1"), "--end-epoch", "0"]));
    assert!(err.contains("never signed for a sequencer in the pool (UnknownSigner)"), "{err}");

    // Batch 1: 100 blocks; the payer (dev account 0) approves the distributor on the way.
    let out = run(chain(&["rewards", "submit", "--signer", &format!("{signer}:100"), "--end-epoch", "9"]));
    assert!(out.starts_with("batch 1 (epochs 0 to 9): 100 blocks of 1 signer paid 100 METIS, 10 METIS of it to the treasury (tx "), "{out}");
    assert!(out.contains(&format!("  {signer}: 100 blocks for sequencer 1")), "{out}");

    // Alice's commission waits 7 days; above the cap or malformed, it is refused.
    let err = run_fail(as_key(ALICE_KEY, &["operator", "set-commission", "31%"]));
    assert!(err.contains("a commission is at most 30% (governance's cap; CommissionAboveCap): 31% is above it"), "{err}");
    let err = run_fail(as_key(ALICE_KEY, &["operator", "set-commission", "ten"]));
    assert!(err.contains("\"ten\" is not a commission: give a percentage like 10% or 12.5"), "{err}");
    let out = run(as_key(ALICE_KEY, &["operator", "set-commission", "10%"]));
    assert!(out.starts_with("commission on the LST's share: 0% now, 10% from ") && out.contains("(in 7d)"), "{out}");

    // Fees: 20 METIS for sequencer 1, 10 for batch 1's signers.
    let out = run(chain(&["rewards", "deposit-fees", "--sequencer", "1", "--amount", "20"]));
    assert!(out.starts_with("deposited 20 METIS of fees for sequencer 1; 2 METIS to the treasury"), "{out}");
    let out = run(chain(&["rewards", "deposit-fees", "--batch", "1", "--amount", "10"]));
    assert!(out.starts_with("deposited 10 METIS of fees for the 1 signer of batch 1, by their blocks; 1 METIS to the treasury"), "{out}");
    let err = run_fail(chain(&["rewards", "deposit-fees", "--batch", "5", "--amount", "10"]));
    assert!(err.contains("there is no batch 5 (the last is 1)"), "{err}");
    let err = run_fail(chain(&["rewards", "deposit-fees", "--amount", "10"]));
    assert!(err.contains("say whose fees these are: --sequencer ID or --batch ID"), "{err}");
    let err = run_fail(as_key(BOB_KEY, &["rewards", "deposit-fees", "--sequencer", "1", "--amount", "10"]));
    assert!(err.contains("holds 0 METIS but the deposit needs 10 METIS"), "{err}");

    // Setting the commission split batch 1's 90 at the old rate (45 each: 30,000 and 30,000);
    // the fees' 18 + 9 are pending, half each at 0% until the new rate is due.
    let out = run(chain(&["rewards", "status", "--sequencer", "1"]));
    assert!(out.contains("claimable         45 METIS"), "{out}");
    assert!(out.contains("pending           27 METIS, not split yet"), "{out}");
    assert!(out.contains(&format!("splits now as   13.5 METIS to the operator (0 of it commission), 13.5 METIS to the LST {LST}")), "{out}");
    assert!(out.contains("commission        0%, 10% from "), "{out}");

    // Everyone claims; Alice then compounds the next batch.
    let out = run(as_key(ALICE_KEY, &["rewards", "claim"]));
    assert!(out.starts_with(&format!("paid 58.5 METIS of sequencer 1's operator rewards to {ALICE}")), "{out}");
    let err = run_fail(as_key(ALICE_KEY, &["rewards", "claim"]));
    assert!(err.contains("sequencer 1 has no operator rewards to claim (NothingToClaim)"), "{err}");
    let out = run(as_key(LST_KEY, &["rewards", "claim", "--lst"]));
    assert!(out.starts_with(&format!("paid 58.5 METIS to the LST {LST}")), "{out}");
    let err = run_fail(as_key(LST_KEY, &["rewards", "claim", "--lst"]));
    assert!(err.contains("has no LST rewards to claim (NothingToClaim)"), "{err}");
    let out = run(as_key(BOB_KEY, &["rewards", "claim", "--treasury"]));
    assert!(out.starts_with(&format!("paid 13 METIS to the treasury {TREASURY}")), "{out}");
    let err = run_fail(as_key(BOB_KEY, &["rewards", "claim"]));
    assert!(err.contains("runs no sequencer: give --sequencer ID (as its reward recipient), --lst or --treasury"), "{err}");
    let err = run_fail(as_key(ALICE_KEY, &["rewards", "compound"]));
    assert!(err.contains("sequencer 1 has no operator rewards to compound (NothingToClaim)"), "{err}");
    run(chain(&["rewards", "submit", "--signer", &format!("{signer}:100"), "--end-epoch", "10"]));
    let out = run(as_key(ALICE_KEY, &["rewards", "compound"]));
    assert!(out.starts_with("compounded 45 METIS of rewards into the stake, now 30,045 METIS (tx "), "{out}");

    // The books: 100 + 20 + 10 + 100 funded, 58.5 + 58.5 + 13 + 45 paid, the LST's 45 and the
    // treasury's 10 claimable.
    let out = run(chain(&["status"]));
    assert!(out.contains("reward-distributor "), "{out}");
    assert!(out.contains("books       funded 230 = paid 175 + claimable 55 METIS; the distributor holds 55 METIS: balanced"), "{out}");
    assert!(out.contains("treasury    10 METIS claimable"), "{out}");
    assert!(out.contains(&format!("LST         Artemis {LST}: 45 METIS claimable")), "{out}");
}
