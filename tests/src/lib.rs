//! dseq's integration harness: the contracts on a running node.
//!
//! [`Harness::start`] starts the Stylus-capable devnode in-process on `127.0.0.1:0`, or connects
//! to `DSEQ_RPC_URL` when it is set (anvil's first dev key must be funded there). Contracts are
//! deployed from real build outputs: the forge artifacts in `out/` (built once per process with
//! the npm `forge`) and `artifacts/<contract>.code` (built once per process by
//! `dseq::build::build`), through `dseq-client`, the library the `dseq` CLI deploys with.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use alloy::primitives::{Address, Bytes, U256};
use alloy::providers::ext::AnvilApi;
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::{TransactionReceipt, TransactionRequest};
use alloy::sol_types::SolEvent;
use anyhow::{anyhow, Context, Result};

pub use alloy;
pub use devnode;
pub use dseq_client;
pub use dseq_client::bindings::{ArbWasm, StylusDeployer, ARB_WASM, STYLUS_DEPLOYER};
pub use dseq_client::client::{events, stylus_init_code, DATA_FEE_BUMP_PERCENT};
use dseq_client::{Artifacts, Client};

/// The repository root (`/work/main`): the parent of this crate.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

// ================================================================================ build

static FORGE: OnceLock<std::result::Result<(), String>> = OnceLock::new();
static STYLUS: OnceLock<std::result::Result<(), String>> = OnceLock::new();
static BUILD_LOCK: Mutex<()> = Mutex::new(());

/// Runs `forge build` once per process (the npm forge, `npm ci` first if `node_modules` is missing).
pub fn forge_build() -> Result<()> {
    FORGE
        .get_or_init(|| forge_build_uncached().map_err(|e| format!("{e:#}")))
        .clone()
        .map_err(|e| anyhow!(e))
}

fn forge_build_uncached() -> Result<()> {
    let _guard = BUILD_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    devnode::bench::forge_build(&repo_root()).map_err(|e| anyhow!("{e}"))
}

/// Builds every Stylus contract once per process (`dseq::build::build`), writing `artifacts/`.
pub fn stylus_build() -> Result<()> {
    STYLUS
        .get_or_init(|| {
            let _guard = BUILD_LOCK.lock().unwrap_or_else(|e| e.into_inner());
            dseq::build::build(&repo_root(), &dseq::build::BuildOptions::default())
                .map(|_| ())
                .map_err(|e| format!("{e:#}"))
        })
        .clone()
        .map_err(|e| anyhow!(e))
}

/// The creation bytecode of a forge-built contract: `out/<file>.sol/<name>.json` `bytecode.object`.
pub fn forge_bytecode(file: &str, name: &str) -> Result<Bytes> {
    forge_build()?;
    Artifacts::new(repo_root()).forge(file, name)
}

/// The deployable Stylus code (`EF F0 00 00` + brotli) of `contract`: `artifacts/<contract>.code`.
pub fn stylus_code(contract: &str) -> Result<Bytes> {
    stylus_build()?;
    Artifacts::new(repo_root()).stylus(contract)
}

// ================================================================================ node

/// A node and a client whose wallet holds anvil's ten dev keys (the first is the default sender).
pub struct Harness {
    /// The in-process devnode (None when connected to `DSEQ_RPC_URL`).
    pub node: Option<devnode::RunningNode>,
    pub url: String,
    pub provider: DynProvider,
    /// anvil's ten dev accounts, in order.
    pub accounts: Vec<Address>,
    /// The client the `dseq` CLI uses, on the same node and keys.
    pub client: Client,
}

impl Harness {
    /// Connects to `DSEQ_RPC_URL` if set, else starts a devnode in-process on `127.0.0.1:0`.
    pub async fn start() -> Result<Self> {
        match std::env::var("DSEQ_RPC_URL") {
            Ok(url) if !url.is_empty() => Self::connect(None, url).await,
            _ => {
                let node = devnode::serve(devnode::ChainConfig::default(), "127.0.0.1:0".parse()?)
                    .context("starting the devnode")?;
                let url = node.url();
                Self::connect(Some(node), url).await
            }
        }
    }

    /// Connects to the node at `url` (anvil's dev accounts must be funded there).
    pub async fn at(url: String) -> Result<Self> {
        Self::connect(None, url).await
    }

    async fn connect(node: Option<devnode::RunningNode>, url: String) -> Result<Self> {
        let client = Client::connect(&url, dseq::session::dev_signers()).await?;
        Ok(Self {
            node,
            url,
            provider: client.provider.clone(),
            accounts: client.accounts.clone(),
            client,
        })
    }

    /// The default sender (anvil's dev account 0).
    pub fn deployer(&self) -> Address {
        self.accounts[0]
    }

    /// Sends `tx` and waits for its receipt; fails (with the revert decoded) if it reverted.
    pub async fn send(&self, tx: TransactionRequest) -> Result<TransactionReceipt> {
        Ok(self.client.send(tx).await?)
    }

    /// Deploys EVM creation code (with ABI-encoded constructor arguments appended).
    pub async fn deploy_evm(&self, creation: &[u8], args: &[u8]) -> Result<Address> {
        Ok(self.client.deploy_evm(self.deployer(), creation, args).await?.0)
    }

    /// Deploys the forge-built contract `name` of `contracts/solidity/<file>.sol`.
    pub async fn deploy_forge(&self, file: &str, name: &str, args: &[u8]) -> Result<Address> {
        let creation = forge_bytecode(file, name)?;
        self.deploy_evm(&creation, args).await
    }

    /// Activation's data fee for `code`, estimated as cargo-stylus does.
    pub async fn estimate_data_fee(&self, code: &[u8]) -> Result<U256> {
        self.client.estimate_data_fee(code).await
    }

    /// Whether `code` is already activated at the current Stylus version.
    pub async fn is_activated(&self, code: &[u8]) -> Result<bool> {
        self.client.is_activated(code).await
    }

    /// Deploys a Stylus program without constructor (CREATE, then activation).
    pub async fn deploy_stylus(&self, code: &[u8]) -> Result<Address> {
        self.client.deploy_stylus(self.deployer(), code).await
    }

    /// Deploys a Stylus program through the StylusDeployer with `init_data` as constructor call.
    pub async fn deploy_stylus_with_constructor(&self, code: &[u8], init_data: &[u8]) -> Result<Address> {
        Ok(self.client.deploy_stylus_with_constructor(self.deployer(), code, init_data).await?.0)
    }

    /// Deploys `artifacts/<contract>.code` through the StylusDeployer with `stylus_constructor()`.
    pub async fn deploy_artifact(&self, contract: &str) -> Result<Address> {
        let code = stylus_code(contract)?;
        Ok(self.client.deploy_program(self.deployer(), &code).await?.0)
    }

    // -------------------------------------------------------------------- time and snapshots

    /// The latest block's timestamp.
    pub async fn now(&self) -> Result<u64> {
        let block = self
            .provider
            .get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
            .await?
            .ok_or_else(|| anyhow!("no latest block"))?;
        Ok(block.header.timestamp)
    }

    /// The timestamp of the block that mined `receipt`.
    pub async fn block_timestamp(&self, receipt: &TransactionReceipt) -> Result<u64> {
        let number = receipt
            .block_number
            .ok_or_else(|| anyhow!("receipt without block number"))?;
        let block = self
            .provider
            .get_block_by_number(number.into())
            .await?
            .ok_or_else(|| anyhow!("no block {number}"))?;
        Ok(block.header.timestamp)
    }

    /// Moves time forward by `seconds` and mines a block (`evm_increaseTime` + `evm_mine`).
    pub async fn warp(&self, seconds: u64) -> Result<()> {
        self.client.warp(seconds).await
    }

    /// Mines one block at exactly `timestamp` (`evm_setNextBlockTimestamp` + `evm_mine`).
    pub async fn warp_to(&self, timestamp: u64) -> Result<()> {
        self.set_next_timestamp(timestamp).await?;
        self.provider.evm_mine(None).await?;
        Ok(())
    }

    /// Makes the next block's timestamp exactly `timestamp` (`evm_setNextBlockTimestamp`); the
    /// next transaction mines it.
    pub async fn set_next_timestamp(&self, timestamp: u64) -> Result<()> {
        self.provider
            .anvil_set_next_block_timestamp(timestamp)
            .await?;
        Ok(())
    }

    /// `evm_snapshot`.
    pub async fn snapshot(&self) -> Result<U256> {
        Ok(self.provider.anvil_snapshot().await?)
    }

    /// `evm_revert`.
    pub async fn revert_to(&self, id: U256) -> Result<bool> {
        Ok(self.provider.anvil_revert(id).await?)
    }
}

/// The one event `E` that `emitter` logged in `receipt`; panics otherwise.
pub fn event<E: SolEvent + std::fmt::Debug>(receipt: &TransactionReceipt, emitter: Address) -> E {
    let mut found = events::<E>(receipt, emitter);
    assert_eq!(
        found.len(),
        1,
        "expected one {} from {emitter}, got {found:?}",
        E::SIGNATURE
    );
    found.pop().unwrap()
}
