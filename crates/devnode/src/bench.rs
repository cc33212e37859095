//! ERC-20 transfer throughput on an in-process [`Chain`], Stylus against EVM (`dseq bench`).
//!
//! Each run deploys a token on a fresh chain with default settings (automine, anvil's dev
//! accounts), mints to the first dev account, then sends `n` `transfer(recipient_i, amount)`
//! transactions to distinct fresh recipients, each its own EIP-1559 transaction signed with the
//! dev key. Signing happens before the clock starts; the timed loop does what the node does for
//! `eth_sendRawTransaction`: decode the envelope and recover the signer
//! ([`crate::rpc::methods::decode_raw`]), then [`Chain::submit`], which validates and mines one
//! block per transaction. JSON-RPC/HTTP is not part of the measurement.
//!
//! The two tokens:
//! - Stylus: `crates/devnode/benches/token` (stylus-sdk 0.10.10, its own workspace), built for
//!   wasm32 with cargo by [`TokenCode::stylus`], deployed through cargo-stylus's init-code
//!   prelude ([`crate::code::deploy_init_code`]) and activated through ArbWasm (`0x71`).
//! - EVM: `contracts/solidity/MockMetis.sol` as compiled by forge (`out/MockMetis.sol/
//!   MockMetis.json`), loaded by [`TokenCode::evm`]; run `npm ci && npx forge build` first.
//!
//! Gas per transfer is the receipt's `gasUsed` (21 000 intrinsic included), Stylus's priced as
//! nitro prices it (see [`crate::gas`]), with the program in the chain's cache (a transfer pays
//! its cached init cost, as on a chain that caches a token this busy).

use crate::chain::{Chain, ChainConfig, Receipt, Transaction};
use crate::code::{deploy_init_code, encode_program};
use crate::precompiles::{ArbWasm, ArbWasmCache, ARBWASM, ARBWASM_CACHE};
use crate::rpc::methods::decode_raw;
use crate::rpc::ANVIL_DEV_KEYS;
use alloy_consensus::{SignableTransaction, TxEip1559, TxEnvelope};
use alloy_eips::eip2718::Encodable2718;
use alloy_primitives::{Address, Bytes, Signature, TxKind, B256, U256};
use alloy_sol_types::{sol, SolCall};
use revm::context::TxEnv;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

sol! {
    function mint(address to, uint256 value) external;
    function transfer(address to, uint256 value) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
}

/// Gas limit of every benchmark transfer (the receipt's gasUsed is what is reported).
pub const TRANSFER_GAS_LIMIT: u64 = 300_000;
/// Tokens moved by each transfer.
pub const AMOUNT: u64 = 1_000;

/// Which engine runs the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    Stylus,
    Evm,
}

impl std::fmt::Display for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Runtime::Stylus => "Stylus",
            Runtime::Evm => "EVM",
        })
    }
}

/// A benchmark failure: the token could not be built, loaded or deployed, or a transfer failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchError(pub String);

impl std::fmt::Display for BenchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BenchError {}

fn err(msg: impl Into<String>) -> BenchError {
    BenchError(msg.into())
}

/// The token to benchmark: a Stylus program's wasm, or EVM init code.
#[derive(Debug, Clone)]
pub enum TokenCode {
    /// Raw wasm as cargo writes it (compressed and prefixed with `EF F0 00 00` on deployment).
    Stylus(Vec<u8>),
    /// EVM creation bytecode (constructor without arguments).
    Evm(Vec<u8>),
}

impl TokenCode {
    pub fn runtime(&self) -> Runtime {
        match self {
            TokenCode::Stylus(_) => Runtime::Stylus,
            TokenCode::Evm(_) => Runtime::Evm,
        }
    }

    /// Builds `crates/devnode/benches/token` for wasm32 (`cargo build --release --locked --lib
    /// --target wasm32-unknown-unknown`) into `target_dir`, or `$CARGO_TARGET_DIR`, or the
    /// workspace's `target/`, and reads the wasm. Needs the wasm32 target installed (the
    /// asset's `rust-toolchain.toml` asks rustup for it). Cargo's output goes to stderr.
    pub fn stylus(target_dir: Option<&Path>) -> Result<Self, BenchError> {
        let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        build_stylus_crate(&manifest.join("benches/token"), "devnode_bench_token", target_dir).map(TokenCode::Stylus)
    }

    /// Like [`Self::evm`], building forge's artifacts first when they are missing (see
    /// [`forge_build`]).
    pub fn evm_built(root: Option<&Path>) -> Result<Self, BenchError> {
        let root = root.map(Path::to_path_buf).unwrap_or_else(repo_root);
        if !root.join("out/MockMetis.sol/MockMetis.json").exists() {
            forge_build(&root)?;
        }
        Self::evm(Some(&root))
    }

    /// Loads MockMetis's creation bytecode from forge's artifact under `root` (the repository
    /// root; default: the one this crate lives in), `out/MockMetis.sol/MockMetis.json`.
    pub fn evm(root: Option<&Path>) -> Result<Self, BenchError> {
        let root = root
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."));
        let path = root.join("out/MockMetis.sol/MockMetis.json");
        let text = std::fs::read_to_string(&path).map_err(|e| {
            err(format!(
                "cannot read the MockMetis artifact {} ({e}); build it with `npm ci && npx forge build` in {}",
                path.display(),
                root.display()
            ))
        })?;
        let json: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| err(format!("{} is not JSON: {e}", path.display())))?;
        let hex = json["bytecode"]["object"]
            .as_str()
            .ok_or_else(|| err(format!("{} has no bytecode.object", path.display())))?;
        let code = alloy_primitives::hex::decode(hex).map_err(|e| {
            err(format!(
                "{}: bytecode.object is not hex: {e}",
                path.display()
            ))
        })?;
        if code.is_empty() {
            return Err(err(format!("{}: empty bytecode", path.display())));
        }
        Ok(TokenCode::Evm(code))
    }
}

/// What one run measured.
#[derive(Debug, Clone)]
pub struct BenchResult {
    pub runtime: Runtime,
    pub token: Address,
    pub sender: Address,
    /// Number of transfers.
    pub transfers: u64,
    /// Wall time of the timed loop (decode + recover signer + submit/mine, all transfers).
    pub elapsed: Duration,
    /// Part of `elapsed` spent decoding envelopes and recovering signers.
    pub recover: Duration,
    pub tx_per_sec: f64,
    /// Mean receipt gasUsed of a transfer.
    pub gas_per_tx: u64,
    pub gas_min: u64,
    pub gas_max: u64,
    /// One per transfer, in order.
    pub recipients: Vec<Address>,
    pub tx_hashes: Vec<B256>,
    /// Tokens each transfer moved.
    pub amount: U256,
    /// The sender's token balance before the transfers.
    pub minted: U256,
}

/// A fresh chain with the token deployed and minted to the first dev account.
pub struct TokenBench {
    pub chain: Chain,
    pub token: Address,
    pub runtime: Runtime,
    pub sender: Address,
    pub minted: U256,
    key: k256::ecdsa::SigningKey,
}

impl std::fmt::Debug for TokenBench {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenBench")
            .field("runtime", &self.runtime)
            .field("token", &self.token)
            .field("sender", &self.sender)
            .finish_non_exhaustive()
    }
}

impl TokenBench {
    /// Deploys (and for Stylus activates) `code` and mints `minted` tokens to the sender.
    pub fn new(code: &TokenCode, minted: U256) -> Result<Self, BenchError> {
        let chain = Chain::new(ChainConfig::default());
        let key = k256::ecdsa::SigningKey::from_slice(ANVIL_DEV_KEYS[0].as_slice())
            .map_err(|e| err(format!("bad dev key: {e}")))?;
        let sender = Address::from_private_key(&key);
        let mut bench = Self {
            chain,
            token: Address::ZERO,
            runtime: code.runtime(),
            sender,
            minted,
            key,
        };
        let gas = bench.chain.config().block_gas_limit;
        let init = match code {
            TokenCode::Stylus(wasm) => deploy_init_code(&encode_program(wasm)),
            TokenCode::Evm(init) => init.clone(),
        };
        let deploy = bench.send(TxKind::Create, init, U256::ZERO, gas)?;
        bench.token = deploy
            .contract_address
            .ok_or_else(|| err("the deployment created no contract"))?;
        if let TokenCode::Stylus(_) = code {
            let ether = U256::from(10u64).pow(U256::from(18));
            let data = ArbWasm::activateProgramCall {
                program: bench.token,
            }
            .abi_encode();
            bench.send(TxKind::Call(ARBWASM), data, ether, gas)?;
            // A token this busy would be in the chain's cache; the sender owns the dev chain.
            let data = ArbWasmCache::cacheProgramCall { addr: bench.token }.abi_encode();
            bench.send(TxKind::Call(ARBWASM_CACHE), data, U256::ZERO, gas)?;
        }
        let data = mintCall {
            to: sender,
            value: minted,
        }
        .abi_encode();
        bench.send(TxKind::Call(bench.token), data, U256::ZERO, 1_000_000)?;
        let balance = bench.balance_of(sender)?;
        if balance != minted {
            return Err(err(format!(
                "{} token: balance after mint is {balance}, expected {minted}",
                bench.runtime
            )));
        }
        Ok(bench)
    }

    /// Signs a 1559 transaction from the sender with the next nonce; returns the raw envelope.
    pub fn sign(
        &self,
        nonce: u64,
        to: TxKind,
        input: Vec<u8>,
        value: U256,
        gas_limit: u64,
    ) -> Result<Bytes, BenchError> {
        let base_fee = self.chain.config().base_fee as u128;
        let tx = TxEip1559 {
            chain_id: self.chain.chain_id(),
            nonce,
            gas_limit,
            max_fee_per_gas: 2 * base_fee,
            max_priority_fee_per_gas: 0,
            to,
            value,
            access_list: Default::default(),
            input: input.into(),
        };
        let (sig, recid) = self
            .key
            .sign_prehash_recoverable(tx.signature_hash().as_slice())
            .map_err(|e| err(format!("signing failed: {e}")))?;
        let sig = Signature::from_signature_and_parity(sig, recid.is_y_odd());
        let envelope: TxEnvelope = tx.into_signed(sig).into();
        Ok(envelope.encoded_2718().into())
    }

    /// `eth_sendRawTransaction` without HTTP: decode, recover, submit (automine).
    pub fn submit_raw(&mut self, raw: &[u8]) -> Result<B256, BenchError> {
        let tx: Transaction = decode_raw(raw, self.chain.chain_id())
            .map_err(|e| err(format!("decoding a signed transaction: {}", e.message)))?;
        self.chain
            .submit(tx)
            .map_err(|e| err(format!("transaction refused: {e:?}")))
    }

    fn send(
        &mut self,
        to: TxKind,
        input: Vec<u8>,
        value: U256,
        gas_limit: u64,
    ) -> Result<Receipt, BenchError> {
        let nonce = self.chain.pending_nonce(self.sender);
        let raw = self.sign(nonce, to, input, value, gas_limit)?;
        let hash = self.submit_raw(&raw)?;
        let receipt = self.receipt(hash)?;
        if !receipt.success() {
            return Err(err(format!(
                "{} setup transaction failed: {:?}",
                self.runtime, receipt.status
            )));
        }
        Ok(receipt)
    }

    fn receipt(&self, hash: B256) -> Result<Receipt, BenchError> {
        self.chain
            .receipt(hash)
            .cloned()
            .ok_or_else(|| err(format!("no receipt for {hash}")))
    }

    /// `balanceOf(who)` through `eth_call`.
    pub fn balance_of(&mut self, who: Address) -> Result<U256, BenchError> {
        let tx = TxEnv::builder()
            .caller(self.sender)
            .kind(TxKind::Call(self.token))
            .data(balanceOfCall { account: who }.abi_encode().into())
            .gas_limit(1_000_000)
            .gas_price(0)
            .nonce(self.chain.nonce(self.sender))
            .chain_id(Some(self.chain.chain_id()))
            .build()
            .map_err(|e| err(format!("building the call: {e:?}")))?;
        let result = self
            .chain
            .call(tx)
            .map_err(|e| err(format!("balanceOf call refused: {e:?}")))?;
        if !result.is_success() {
            return Err(err(format!("balanceOf failed: {result:?}")));
        }
        let out = result.into_output().unwrap_or_default();
        balanceOfCall::abi_decode_returns(&out)
            .map_err(|e| err(format!("balanceOf returned {out}: {e}")))
    }

    /// Sends `n` transfers of [`AMOUNT`] to distinct fresh recipients, timing them, and checks
    /// that every receipt succeeded with one `Transfer` log (after the clock stops).
    pub fn run(&mut self, n: u64) -> Result<BenchResult, BenchError> {
        let amount = U256::from(AMOUNT);
        let first_nonce = self.chain.pending_nonce(self.sender);
        let recipients: Vec<Address> = (0..n).map(recipient).collect();
        let raws = recipients
            .iter()
            .enumerate()
            .map(|(i, to)| {
                let data = transferCall {
                    to: *to,
                    value: amount,
                }
                .abi_encode();
                self.sign(
                    first_nonce + i as u64,
                    TxKind::Call(self.token),
                    data,
                    U256::ZERO,
                    TRANSFER_GAS_LIMIT,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;

        let chain_id = self.chain.chain_id();
        let mut tx_hashes = Vec::with_capacity(raws.len());
        let mut recover = Duration::ZERO;
        let start = Instant::now();
        for raw in &raws {
            let t = Instant::now();
            let tx = decode_raw(raw, chain_id)
                .map_err(|e| err(format!("decoding a signed transaction: {}", e.message)))?;
            recover += t.elapsed();
            let hash = self
                .chain
                .submit(tx)
                .map_err(|e| err(format!("transfer refused: {e:?}")))?;
            tx_hashes.push(hash);
        }
        let elapsed = start.elapsed();

        let (mut total, mut min, mut max) = (0u64, u64::MAX, 0u64);
        for (i, hash) in tx_hashes.iter().enumerate() {
            let receipt = self.receipt(*hash)?;
            if !receipt.success() {
                return Err(err(format!(
                    "{} transfer {i} failed: {:?}",
                    self.runtime, receipt.status
                )));
            }
            if receipt.output.as_ref() != U256::from(1).to_be_bytes::<32>() {
                return Err(err(format!(
                    "{} transfer {i} returned {}, not true",
                    self.runtime, receipt.output
                )));
            }
            if receipt.logs.len() != 1 {
                return Err(err(format!(
                    "{} transfer {i} emitted {} logs, expected one Transfer",
                    self.runtime,
                    receipt.logs.len()
                )));
            }
            total += receipt.gas_used;
            min = min.min(receipt.gas_used);
            max = max.max(receipt.gas_used);
        }
        let secs = elapsed.as_secs_f64();
        Ok(BenchResult {
            runtime: self.runtime,
            token: self.token,
            sender: self.sender,
            transfers: n,
            elapsed,
            recover,
            tx_per_sec: if secs > 0.0 { n as f64 / secs } else { 0.0 },
            gas_per_tx: total.checked_div(n).unwrap_or(0),
            gas_min: if n > 0 { min } else { 0 },
            gas_max: max,
            recipients,
            tx_hashes,
            amount,
            minted: self.minted,
        })
    }
}

/// The `i`th benchmark recipient: a fresh address with no balance, code or token balance.
pub fn recipient(i: u64) -> Address {
    let mut bytes = [0u8; 20];
    bytes[0] = 0xbe;
    bytes[1] = 0x9c;
    bytes[12..].copy_from_slice(&(i + 1).to_be_bytes());
    Address::from(bytes)
}

/// Deploys `code` on a fresh chain, mints, and times `n` transfers. See the module docs.
pub fn transfers(code: &TokenCode, n: u64) -> Result<BenchResult, BenchError> {
    let minted = U256::from(AMOUNT) * U256::from(n.max(1)) * U256::from(10u64);
    TokenBench::new(code, minted)?.run(n)
}

/// The table `dseq bench` prints.
pub fn table(results: &[BenchResult]) -> String {
    let mut out = format!(
        "{:<8} {:>9} {:>9} {:>10} {:>22} {:>22}\n",
        "runtime", "transfers", "seconds", "tx/s", "gas/transfer", "tx/s excl. ecrecover"
    );
    for r in results {
        let gas = if r.gas_min == r.gas_max {
            r.gas_per_tx.to_string()
        } else {
            format!("{} ({}-{})", r.gas_per_tx, r.gas_min, r.gas_max)
        };
        let exec = (r.elapsed - r.recover).as_secs_f64();
        let exec_rate = if exec > 0.0 {
            r.transfers as f64 / exec
        } else {
            0.0
        };
        out.push_str(&format!(
            "{:<8} {:>9} {:>9.3} {:>10.0} {:>22} {:>22.0}\n",
            r.runtime.to_string(),
            r.transfers,
            r.elapsed.as_secs_f64(),
            r.tx_per_sec,
            gas,
            exec_rate
        ));
    }
    out
}

/// Builds the Stylus crate at `crate_dir` (its own workspace with a `Cargo.lock`) for wasm32 with
/// `cargo build --release --locked --lib`, into `target_dir`, or `$CARGO_TARGET_DIR`, or the
/// workspace's `target/` (sharing the SDK's wasm builds), and returns `<lib_name>.wasm`. Needs the
/// wasm32 target (the crate's `rust-toolchain.toml` asks rustup for it); cargo's output goes to
/// stderr. Used for the benchmark's token and the tests' fixtures.
pub fn build_stylus_crate(crate_dir: &Path, lib_name: &str, target_dir: Option<&Path>) -> Result<Vec<u8>, BenchError> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target = target_dir
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from))
        .unwrap_or_else(|| manifest.join("../../target"));
    ensure_wasm_target(crate_dir).map_err(BenchError)?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(&cargo)
        .current_dir(crate_dir)
        .args(["build", "--release", "--locked", "--lib", "--target", "wasm32-unknown-unknown"])
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .stdout(std::process::Stdio::null())
        .status()
        .map_err(|e| err(format!("cannot run {}: {e}", Path::new(&cargo).display())))?;
    if !status.success() {
        return Err(err(format!(
            "building the Stylus crate in {} failed (is the wasm32-unknown-unknown target installed?)",
            crate_dir.display()
        )));
    }
    let path = target.join(format!("wasm32-unknown-unknown/release/{lib_name}.wasm"));
    std::fs::read(&path).map_err(|e| err(format!("cannot read {}: {e}", path.display())))
}

/// The repository this crate lives in.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The npm dev tool `tool` (`root/node_modules/.bin/<tool>`), running `npm ci` at `root` first
/// when it is missing. Shared by everything that needs forge or binaryen's wasm-opt.
pub fn ensure_npm_tool(root: &Path, tool: &str) -> Result<PathBuf, String> {
    let binary = root.join("node_modules/.bin").join(tool);
    if binary.exists() {
        return Ok(binary);
    }
    eprintln!("installing the npm dev tools ({tool} is missing) with `npm ci` ...");
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(root)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("{tool} is missing and npm could not be run in {} ({e}): install node and npm, then run `npm ci` there", root.display()))?;
    if !status.success() || !binary.exists() {
        return Err(format!("`npm ci` did not install {} ({status}); run it in {} to see why", binary.display(), root.display()));
    }
    Ok(binary)
}

/// Runs `forge build` at `root` with the npm tools (`npm ci` first when `node_modules` is
/// missing), once per process however many threads ask; the result is shared.
pub fn forge_build(root: &Path) -> Result<(), BenchError> {
    static DONE: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    DONE.get_or_init(|| forge_build_uncached(root)).clone().map_err(BenchError)
}

fn forge_build_uncached(root: &Path) -> Result<(), String> {
    let forge = ensure_npm_tool(root, "forge")?;
    let bin = root.join("node_modules/.bin");
    let mut dirs = vec![bin.clone()];
    dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    let path = std::env::join_paths(dirs).map_err(|e| format!("bad PATH: {e}"))?;
    let out = Command::new(&forge)
        .arg("build")
        .current_dir(root)
        .env("PATH", path)
        .output()
        .map_err(|e| format!("cannot run {}/forge ({e})", bin.display()))?;
    if !out.status.success() {
        return Err(format!(
            "forge build failed in {}: {}\n{}{}",
            root.display(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

/// Installs the wasm32 target with rustup when the toolchain used in `dir` lacks it (rustup does
/// not always do it from `rust-toolchain.toml`, e.g. with `RUSTUP_AUTO_INSTALL=0`). Without
/// rustup this does nothing and cargo reports the missing target itself.
pub fn ensure_wasm_target(dir: &Path) -> Result<(), String> {
    const TARGET: &str = "wasm32-unknown-unknown";
    let installed = match Command::new("rustup")
        .current_dir(dir)
        .args(["target", "list", "--installed"])
        .stdin(std::process::Stdio::null())
        .output()
    {
        Ok(output) if output.status.success() => output.stdout,
        _ => return Ok(()),
    };
    if String::from_utf8_lossy(&installed).lines().any(|l| l.trim() == TARGET) {
        return Ok(());
    }
    eprintln!("installing the {TARGET} target (rustup target add {TARGET}) ...");
    let output = Command::new("rustup")
        .current_dir(dir)
        .args(["target", "add", TARGET])
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run rustup: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`rustup target add {TARGET}` failed: {}; install the target by hand and retry",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(())
}

/// A node running as a child process (`dseq devnode`, stock anvil), killed on drop: tests
/// start one, read its endpoint from its `Listening on ADDR` line, and talk to it as a user's
/// tools would.
pub struct ChildNode {
    child: std::process::Child,
    /// `http://ADDR`.
    pub url: String,
}

impl ChildNode {
    /// Spawns `command` (which must print `Listening on ADDR` on stdout) and waits for it.
    pub fn spawn(mut command: Command) -> Result<Self, String> {
        use std::io::{BufRead, BufReader};
        let mut child = command
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {command:?}: {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        while let Some(Ok(line)) = lines.next() {
            if let Some(addr) = line.strip_prefix("Listening on ") {
                let url = format!("http://{}", addr.trim());
                // Keep draining stdout so the child never blocks on a full pipe.
                std::thread::spawn(move || for _ in lines {});
                return Ok(Self { child, url });
            }
        }
        let _ = child.kill();
        Err(format!("{command:?} exited before listening"))
    }

    /// Stock anvil from npm (`node_modules`, installed on demand) on a free port.
    pub fn anvil(root: &Path) -> Result<Self, String> {
        forge_build(root).map_err(|e| e.to_string())?; // installs the npm tools if needed
        let mut command = Command::new(root.join("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"));
        command.args(["--port", "0", "--host", "127.0.0.1", "--hardfork", "prague"]);
        Self::spawn(command)
    }
}

impl Drop for ChildNode {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
