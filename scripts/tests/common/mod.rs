//! What the devnode suites of `scripts/tests/` share: the workspace root, METIS amounts, the
//! text of an expected failure, and a deployed suite with three registered operators. (Each
//! test file compiles this module on its own, so a helper one file does not use is allowed.)
#![allow(dead_code)]

use std::path::PathBuf;

use dseq_client::alloy::primitives::U256;
use dseq_client::bindings::{ILockingPool, IERC20};
use dseq_client::deploy::{self, DeployConfig, RecordOptions};
use dseq_client::pool::Pool;
use dseq_client::{Artifacts, Client, Deployment};
use k256::ecdsa::SigningKey;

/// The workspace these tests check: `$DSEQ_TEST_ROOT` when set (to try the checks on another
/// checkout or a scratch workspace), else the workspace holding this crate.
pub fn root() -> PathBuf {
    match std::env::var_os("DSEQ_TEST_ROOT") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => dseq::project::find_workspace_root(env!("CARGO_MANIFEST_DIR").as_ref())
            .expect("the dseq crate lives inside the workspace"),
    }
}

/// `n` METIS in wei.
pub fn metis(n: u64) -> U256 {
    U256::from(n) * dseq_abi::locking_pool::METIS
}

/// The error of a call expected to fail, in words.
#[track_caller]
pub fn fails<T, E: std::fmt::Display>(r: Result<T, E>) -> String {
    match r {
        Ok(_) => panic!("expected a failure"),
        Err(e) => format!("{e:#}"),
    }
}

/// The suite as `dseq deploy` deploys it with `config` (which must leave ADMISSION_ROLE with
/// dev account 0) on a fresh embedded devnode, and sequencers 1 to 3 registered by dev
/// accounts 1 to 3 with 30,000 METIS each, signing with `node_key(1..=3)`.
pub async fn suite_with_operators(config: DeployConfig, node_key: fn(u8) -> SigningKey) -> (devnode::RunningNode, Client, Deployment, Artifacts) {
    let artifacts = dseq::session::artifacts(&root(), false, false).expect("build");
    let (node, client) = dseq::session::embedded_chain(Vec::new()).await.unwrap();
    let admin = client.accounts[0];
    let (d, _) = deploy::deploy(&client, &artifacts, &config, &RecordOptions::default(), &mut |_| {}).await.unwrap();
    let pool = Pool::of(&client, &d).unwrap();
    for i in 1..=3u8 {
        let owner = client.accounts[i as usize];
        client.send_call(admin, pool.address, &ILockingPool::setWhitelistCall { user: owner, yes: true }).await.unwrap();
        client.send_call(owner, pool.token, &IERC20::mintCall { to: owner, value: metis(30_000) }).await.unwrap();
        pool.register(owner, &node_key(i), metis(30_000), None).await.unwrap();
    }
    (node, client, d, artifacts)
}
