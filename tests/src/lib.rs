//! dseq's integration harness: the contracts on a running node.
//!
//! [`Harness::start`] starts the Stylus-capable devnode in-process on `127.0.0.1:0`, or connects
//! to `DSEQ_RPC_URL` when it is set (anvil's first dev key must be funded there). Contracts are
//! deployed from real build outputs: the forge artifacts in `out/` (built once per process with
//! the npm `forge`) and `artifacts/<contract>.code` (built once per process by
//! `dseq::build::build`), the way cargo-stylus 0.10.10 deploys them.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use alloy::network::{EthereumWallet, ReceiptResponse, TransactionBuilder};
use alloy::primitives::{address, keccak256, Address, Bytes, B256, U256};
use alloy::providers::ext::AnvilApi;
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::types::state::StateOverridesBuilder;
use alloy::rpc::types::{TransactionReceipt, TransactionRequest};
use alloy::signers::local::PrivateKeySigner;
use alloy::sol;
use alloy::sol_types::{SolCall, SolEvent};
use anyhow::{anyhow, bail, Context, Result};

pub use alloy;
pub use devnode;

/// The ArbWasm precompile (activation).
pub const ARB_WASM: Address = address!("0000000000000000000000000000000000000071");
/// The StylusDeployer cargo-stylus uses for programs with a constructor.
pub const STYLUS_DEPLOYER: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");
/// cargo-stylus's default `--data-fee-bump-percent`.
pub const DATA_FEE_BUMP_PERCENT: u64 = 20;

sol! {
    #[sol(rpc)]
    interface ArbWasm {
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
        function stylusVersion() external view returns (uint16);
        function programVersion(address program) external view returns (uint16);
        function codehashVersion(bytes32 codehash) external view returns (uint16);
    }

    #[sol(rpc)]
    interface StylusDeployer {
        event ContractDeployed(address deployedContract);
        function deploy(bytes bytecode, bytes initData, uint256 initValue, bytes32 salt) external payable returns (address);
    }

    /// The selector cargo-stylus sends as `initData` for a constructor without arguments.
    function stylus_constructor();
}

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
    let path = repo_root()
        .join("out")
        .join(format!("{file}.sol"))
        .join(format!("{name}.json"));
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?,
    )?;
    let hex = json["bytecode"]["object"]
        .as_str()
        .ok_or_else(|| anyhow!("{}: no bytecode.object", path.display()))?;
    hex.parse::<Bytes>()
        .with_context(|| format!("{}: bad bytecode", path.display()))
}

/// The deployable Stylus code (`EF F0 00 00` + brotli) of `contract`: `artifacts/<contract>.code`.
pub fn stylus_code(contract: &str) -> Result<Bytes> {
    stylus_build()?;
    let path = repo_root()
        .join("artifacts")
        .join(format!("{contract}.code"));
    Ok(std::fs::read(&path)
        .with_context(|| format!("reading {}", path.display()))?
        .into())
}

/// cargo-stylus 0.10.10's init code: `7f <len:32> 80 60 2b 60 00 39 60 00 f3 00 <code>`
/// (PUSH32 len, DUP1, PUSH1 43, PUSH1 0, CODECOPY, PUSH1 0, RETURN, version byte 0).
pub fn stylus_init_code(code: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(43 + code.len());
    out.push(0x7f);
    out.extend_from_slice(&U256::from(code.len()).to_be_bytes::<32>());
    out.extend_from_slice(&[0x80, 0x60, 0x2b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]);
    out.extend_from_slice(code);
    out.into()
}

// ================================================================================ node

/// A node and a provider whose wallet holds anvil's ten dev keys (the first is the default sender).
pub struct Harness {
    /// The in-process devnode (None when connected to `DSEQ_RPC_URL`).
    pub node: Option<devnode::RunningNode>,
    pub url: String,
    pub provider: DynProvider,
    /// anvil's ten dev accounts, in order.
    pub accounts: Vec<Address>,
}

impl Harness {
    /// Connects to `DSEQ_RPC_URL` if set, else starts a devnode in-process on `127.0.0.1:0`.
    pub async fn start() -> Result<Self> {
        match std::env::var("DSEQ_RPC_URL") {
            Ok(url) if !url.is_empty() => Self::connect(None, url),
            _ => {
                let node = devnode::serve(devnode::ChainConfig::default(), "127.0.0.1:0".parse()?)
                    .context("starting the devnode")?;
                let url = node.url();
                Self::connect(Some(node), url)
            }
        }
    }

    /// Connects to the node at `url` (anvil's dev accounts must be funded there).
    pub fn at(url: String) -> Result<Self> {
        Self::connect(None, url)
    }

    fn connect(node: Option<devnode::RunningNode>, url: String) -> Result<Self> {
        let mut signers = devnode::ANVIL_DEV_KEYS
            .iter()
            .map(|k| PrivateKeySigner::from_bytes(k).map_err(|e| anyhow!("dev key: {e}")));
        let mut wallet = EthereumWallet::from(signers.next().unwrap()?);
        let mut accounts = vec![wallet.default_signer().address()];
        for signer in signers {
            let signer = signer?;
            accounts.push(signer.address());
            wallet.register_signer(signer);
        }
        // Fresh nonces from the node for every transaction: the cached manager drifts when a
        // send fails at estimation, or after `evm_revert`.
        let provider = ProviderBuilder::new()
            .disable_recommended_fillers()
            .with_gas_estimation()
            .with_simple_nonce_management()
            .fetch_chain_id()
            .wallet(wallet)
            .connect_http(url.parse().with_context(|| format!("bad url {url}"))?)
            .erased();
        Ok(Self {
            node,
            url,
            provider,
            accounts,
        })
    }

    /// The default sender (anvil's dev account 0).
    pub fn deployer(&self) -> Address {
        self.accounts[0]
    }

    /// Sends `tx` and waits for its receipt; fails if it reverted.
    pub async fn send(&self, tx: TransactionRequest) -> Result<TransactionReceipt> {
        let receipt = self
            .provider
            .send_transaction(tx)
            .await?
            .get_receipt()
            .await?;
        if !receipt.status() {
            bail!("transaction {} reverted", receipt.transaction_hash);
        }
        Ok(receipt)
    }

    /// Deploys EVM creation code (with ABI-encoded constructor arguments appended).
    pub async fn deploy_evm(&self, creation: &[u8], args: &[u8]) -> Result<Address> {
        let mut code = creation.to_vec();
        code.extend_from_slice(args);
        let tx = TransactionRequest::default()
            .from(self.deployer())
            .with_deploy_code(code);
        let receipt = self.send(tx).await?;
        receipt
            .contract_address()
            .ok_or_else(|| anyhow!("no contract address in the receipt"))
    }

    /// Deploys the forge-built contract `name` of `contracts/solidity/<file>.sol`.
    pub async fn deploy_forge(&self, file: &str, name: &str, args: &[u8]) -> Result<Address> {
        let creation = forge_bytecode(file, name)?;
        self.deploy_evm(&creation, args).await
    }

    /// Estimates activation's data fee for `code` as cargo-stylus does: `eth_call` of
    /// `ArbWasm.activateProgram(target)` with `target`'s code planted by a state override and a
    /// funded sender sending 1 ETH, then bumped by 20 %.
    pub async fn estimate_data_fee(&self, code: &[u8]) -> Result<U256> {
        let target = Address::from_word(keccak256(code));
        let sender = Address::from_word(keccak256(b"dseq-tests data fee sender"));
        let one_eth = U256::from(10u64).pow(U256::from(18));
        let overrides = StateOverridesBuilder::default()
            .with_code(target, Bytes::copy_from_slice(code))
            .with_balance(sender, one_eth * U256::from(2))
            .build();
        let call = ArbWasm::activateProgramCall { program: target };
        let tx = TransactionRequest::default()
            .from(sender)
            .to(ARB_WASM)
            .value(one_eth)
            .input(call.abi_encode().into());
        let out = self
            .provider
            .call(tx)
            .overrides(overrides)
            .await
            .context("estimating the data fee")?;
        let ret = ArbWasm::activateProgramCall::abi_decode_returns(&out)?;
        Ok(ret.dataFee * U256::from(100 + DATA_FEE_BUMP_PERCENT) / U256::from(100))
    }

    /// Whether `code` is already activated at the current Stylus version (by codehash), as
    /// `cargo stylus check` asks: `ArbWasm.codehashVersion(keccak(code)) == stylusVersion()`.
    /// Activating it again would revert (`ProgramUpToDate`), so deployment skips activation.
    pub async fn is_activated(&self, code: &[u8]) -> Result<bool> {
        let arb_wasm = ArbWasm::new(ARB_WASM, self.provider.clone());
        match arb_wasm.codehashVersion(keccak256(code)).call().await {
            Ok(version) => Ok(version == arb_wasm.stylusVersion().call().await?),
            Err(_) => Ok(false), // ProgramNotActivated and friends
        }
    }

    /// The value to send for activation: zero if the code is already active, else the estimate.
    pub async fn activation_fee(&self, code: &[u8]) -> Result<U256> {
        if self.is_activated(code).await? {
            Ok(U256::ZERO)
        } else {
            self.estimate_data_fee(code).await
        }
    }

    /// Deploys a Stylus program without constructor as `cargo stylus deploy` does: CREATE with
    /// the init-code prelude, then `ArbWasm.activateProgram{value: dataFee}(address)` unless the
    /// same code is already active.
    pub async fn deploy_stylus(&self, code: &[u8]) -> Result<Address> {
        let already_active = self.is_activated(code).await?;
        let tx = TransactionRequest::default()
            .from(self.deployer())
            .with_deploy_code(stylus_init_code(code));
        let receipt = self
            .send(tx)
            .await
            .context("CREATE of the Stylus program")?;
        let program = receipt
            .contract_address()
            .ok_or_else(|| anyhow!("no contract address"))?;
        if already_active {
            return Ok(program);
        }
        let fee = self.estimate_data_fee(code).await?;
        let call = ArbWasm::activateProgramCall { program };
        let tx = TransactionRequest::default()
            .from(self.deployer())
            .to(ARB_WASM)
            .value(fee)
            .input(call.abi_encode().into());
        self.send(tx)
            .await
            .context("activating the Stylus program")?;
        Ok(program)
    }

    /// Deploys a Stylus program with a constructor (no arguments) as `cargo stylus deploy`
    /// does: one `StylusDeployer.deploy{value: dataFee}(initcode, stylus_constructor(), 0, 0)`.
    pub async fn deploy_stylus_with_constructor(
        &self,
        code: &[u8],
        init_data: &[u8],
    ) -> Result<Address> {
        let fee = self.activation_fee(code).await?;
        let call = StylusDeployer::deployCall {
            bytecode: stylus_init_code(code),
            initData: Bytes::copy_from_slice(init_data),
            initValue: U256::ZERO,
            salt: B256::ZERO,
        };
        let tx = TransactionRequest::default()
            .from(self.deployer())
            .to(STYLUS_DEPLOYER)
            .value(fee)
            .input(call.abi_encode().into());
        let receipt = self.send(tx).await.context("StylusDeployer.deploy")?;
        let deployed = events::<StylusDeployer::ContractDeployed>(&receipt, STYLUS_DEPLOYER);
        match deployed.as_slice() {
            [ev] => Ok(ev.deployedContract),
            other => bail!("expected one ContractDeployed event, got {}", other.len()),
        }
    }

    /// Deploys `artifacts/<contract>.code` through the StylusDeployer with `stylus_constructor()`.
    pub async fn deploy_artifact(&self, contract: &str) -> Result<Address> {
        let code = stylus_code(contract)?;
        self.deploy_stylus_with_constructor(&code, &stylus_constructorCall {}.abi_encode())
            .await
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
        self.provider.anvil_increase_time(seconds).await?;
        self.provider.evm_mine(None).await?;
        Ok(())
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

/// The events `E` that `emitter` logged in `receipt`, in order.
pub fn events<E: SolEvent>(receipt: &TransactionReceipt, emitter: Address) -> Vec<E> {
    receipt
        .inner
        .logs()
        .iter()
        .filter(|log| log.address() == emitter && log.topics().first() == Some(&E::SIGNATURE_HASH))
        .filter_map(|log| E::decode_log(&log.inner).ok().map(|l| l.data))
        .collect()
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
