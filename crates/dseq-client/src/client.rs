//! A connection to a Stylus chain with the keys that sign for it: sending with revert data
//! decoded by name, and deployment and activation of Stylus programs as cargo-stylus 0.10.10
//! does them.

use std::time::{Duration, Instant};

use alloy::network::{EthereumWallet, ReceiptResponse, TransactionBuilder};
use alloy::primitives::{keccak256, Address, Bytes, B256, U256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::types::state::StateOverridesBuilder;
use alloy::rpc::types::{TransactionReceipt, TransactionRequest};
use alloy::signers::local::PrivateKeySigner;
use alloy::sol_types::{SolCall, SolEvent};
use alloy::transports::{RpcError, TransportErrorKind};
use anyhow::{anyhow, bail, Context, Result};

use crate::bindings::{stylus_constructorCall, ArbOwnerPublic, ArbWasm, ArbWasmCache, StylusDeployer, ARB_OWNER_PUBLIC, ARB_WASM, ARB_WASM_CACHE, STYLUS_DEPLOYER};
use crate::revert;

/// cargo-stylus's default `--data-fee-bump-percent`.
pub const DATA_FEE_BUMP_PERCENT: u64 = 20;
/// How long [`Client::send`] waits for a receipt before giving up (the transaction may still
/// be mined later; the error says so).
pub const RECEIPT_TIMEOUT: Duration = Duration::from_secs(180);

/// A transaction that did not succeed, with what the chain said in words.
#[derive(Debug)]
pub enum TxError {
    /// The call reverts (at estimation, or on chain): `data` is the revert data, `reason` the
    /// error decoded by name and fields.
    Reverted { data: Bytes, reason: String },
    /// The node refused or could not be reached.
    Rpc(String),
    /// Sent, but no receipt arrived in time.
    Timeout(B256),
}

impl std::fmt::Display for TxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TxError::Reverted { reason, .. } => write!(f, "reverted: {reason}"),
            TxError::Rpc(message) => write!(f, "{message}"),
            TxError::Timeout(hash) => write!(
                f,
                "transaction {hash} was sent but no receipt came within {} s; it may still be mined (check with `cast receipt {hash}`)",
                RECEIPT_TIMEOUT.as_secs()
            ),
        }
    }
}

impl std::error::Error for TxError {}

impl TxError {
    fn from_rpc(err: RpcError<TransportErrorKind>) -> Self {
        if let Some(data) = err.as_error_resp().and_then(|payload| payload.as_revert_data()) {
            let reason = revert::describe(&data);
            return TxError::Reverted { data, reason };
        }
        match &err {
            RpcError::Transport(kind) => TxError::Rpc(format!("the RPC endpoint did not answer: {kind}")),
            RpcError::ErrorResp(payload) => TxError::Rpc(format!("the node refused: {} (code {})", payload.message, payload.code)),
            other => TxError::Rpc(other.to_string()),
        }
    }
}

/// Parses a 32-byte private key in hex (with or without `0x`).
pub fn parse_private_key(text: &str) -> Result<PrivateKeySigner> {
    let bytes: B256 = text
        .trim()
        .trim_start_matches("0x")
        .parse()
        .map_err(|_| anyhow!("a private key is 32 bytes of hex (64 hex digits, optionally 0x-prefixed)"))?;
    PrivateKeySigner::from_bytes(&bytes).map_err(|_| anyhow!("the key is not a valid secp256k1 private key"))
}

/// Decrypts a keystore (Web3 Secret Storage, as geth, cast and MetaMask export it).
pub fn decrypt_keystore(path: &std::path::Path, password: &str) -> Result<PrivateKeySigner> {
    if !path.exists() {
        bail!("keystore {} does not exist", path.display());
    }
    PrivateKeySigner::decrypt_keystore(path, password)
        .map_err(|e| anyhow!("cannot decrypt keystore {}: {e} (wrong password?)", path.display()))
}

/// A chain and the keys that sign for it. The first key is the default sender.
pub struct Client {
    pub provider: DynProvider,
    pub url: String,
    pub chain_id: u64,
    /// The addresses of the signing keys, in the order given.
    pub accounts: Vec<Address>,
}

/// Gas a transaction may need beyond its estimate when it lands in a later second than the
/// estimate assumed: up to three vote checkpoints (a delegate's, another's, the total's) each
/// taking a new storage slot (22,100 gas) instead of overwriting one.
pub const BLOCK_DEPENDENT_GAS: u64 = 3 * 22_100;

impl Client {
    /// Connects to `url` with `signers` (possibly none, for reading only), checking that the
    /// endpoint answers.
    pub async fn connect(url: &str, signers: Vec<PrivateKeySigner>) -> Result<Self> {
        let parsed: alloy::transports::http::reqwest::Url = url
            .parse()
            .map_err(|_| anyhow!("--rpc {url:?} is not a URL: give one like http://127.0.0.1:8545"))?;
        let accounts: Vec<Address> = signers.iter().map(|s| s.address()).collect();
        let builder = ProviderBuilder::new()
            .disable_recommended_fillers()
            .with_gas_estimation()
            .with_simple_nonce_management()
            .fetch_chain_id();
        let provider = match signers.split_first() {
            Some((first, rest)) => {
                let mut wallet = EthereumWallet::from(first.clone());
                for signer in rest {
                    wallet.register_signer(signer.clone());
                }
                builder.wallet(wallet).connect_http(parsed).erased()
            }
            None => builder.connect_http(parsed).erased(),
        };
        let chain_id = tokio::time::timeout(Duration::from_secs(15), provider.get_chain_id())
            .await
            .map_err(|_| anyhow!("the RPC endpoint {url} did not answer within 15 s; is the node running? (`dseq devnode` starts one)"))?
            .map_err(|e| anyhow!("cannot reach the RPC endpoint {url}: {e}; is the node running? (`dseq devnode` starts one)"))?;
        Ok(Self { provider, url: url.to_string(), chain_id, accounts })
    }

    /// The default sender.
    pub fn sender(&self) -> Result<Address> {
        self.accounts.first().copied().ok_or_else(|| anyhow!("no key given: pass --key HEX or --keystore FILE"))
    }

    /// The Stylus version the chain runs, or a clear error if it is not a Stylus chain.
    pub async fn stylus_version(&self) -> Result<u16> {
        ArbWasm::new(ARB_WASM, self.provider.clone()).stylusVersion().call().await.map_err(|_| {
            anyhow!(
                "{} (chain id {}) is not a Stylus chain: the ArbWasm precompile at 0x71 does not answer. \
                 Give the RPC of an Arbitrum chain with Stylus, or run `dseq devnode`",
                self.url,
                self.chain_id
            )
        })
    }

    /// Whether the node is a development chain with anvil's RPC dialect (the devnode, anvil):
    /// its dev accounts are funded and `evm_` methods move time.
    pub async fn is_dev_chain(&self) -> bool {
        matches!(self.provider.get_client_version().await, Ok(v) if v.starts_with("anvil"))
    }

    /// Sends `tx`, waits for its receipt and fails unless it succeeded; a revert comes back
    /// decoded by name ([`TxError::Reverted`]).
    ///
    /// Without a gas limit, the limit is the estimate in the next block's environment plus a
    /// quarter and [`BLOCK_DEPENDENT_GAS`]: what a transaction costs depends on the block it
    /// lands in (a vote checkpoint written in a new second takes a new storage slot, one in the
    /// same second as the last overwrites it), and unused gas is never charged.
    pub async fn send(&self, mut tx: TransactionRequest) -> std::result::Result<TransactionReceipt, TxError> {
        if tx.gas.is_none() {
            let estimate = self.provider.estimate_gas(tx.clone()).pending().await.map_err(TxError::from_rpc)?;
            tx.gas = Some(estimate.saturating_add(estimate / 4).saturating_add(BLOCK_DEPENDENT_GAS));
        }
        let replay = tx.clone();
        let pending = self.provider.send_transaction(tx).await.map_err(TxError::from_rpc)?;
        let hash = *pending.tx_hash();
        let receipt = self.wait_for_receipt(hash).await?;
        if receipt.status() {
            return Ok(receipt);
        }
        // Reverted on chain (a gas limit was given, or the state moved since estimation):
        // replay it as a call to get the revert data.
        match self.provider.call(replay).await {
            Err(err) => Err(TxError::from_rpc(err)),
            Ok(_) => Err(TxError::Reverted {
                data: Bytes::new(),
                reason: format!("transaction {hash} failed on chain (out of gas, or the state changed before it was mined)"),
            }),
        }
    }

    /// Polls for the receipt: at once, then every few milliseconds, backing off to a second.
    async fn wait_for_receipt(&self, hash: B256) -> std::result::Result<TransactionReceipt, TxError> {
        let start = Instant::now();
        let mut pause = Duration::from_millis(2);
        loop {
            if let Some(receipt) = self.provider.get_transaction_receipt(hash).await.map_err(TxError::from_rpc)? {
                return Ok(receipt);
            }
            if start.elapsed() > RECEIPT_TIMEOUT {
                return Err(TxError::Timeout(hash));
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(1));
        }
    }

    /// Sends `call` to `to` from `from`.
    pub async fn send_call<C: SolCall>(&self, from: Address, to: Address, call: &C) -> std::result::Result<TransactionReceipt, TxError> {
        self.send(TransactionRequest::default().from(from).to(to).input(call.abi_encode().into())).await
    }

    /// Approves `spender` (named `spender_name` in messages) for `amount` of `owner`'s METIS at
    /// `token` when the allowance is short; fails with advice when the balance is (`what` names
    /// what needs the METIS). The approval's receipt, if one was sent.
    pub async fn ensure_funds(&self, token: Address, owner: Address, spender: Address, amount: U256, what: &str, spender_name: &str) -> Result<Option<TransactionReceipt>> {
        let erc20 = crate::bindings::IERC20::new(token, self.provider.clone());
        let balance = erc20.balanceOf(owner).call().await.context("reading the METIS balance")?;
        if balance < amount {
            bail!("{owner} holds {} METIS but {what} needs {} METIS", crate::units::format_metis(balance), crate::units::format_metis(amount));
        }
        if erc20.allowance(owner, spender).call().await? >= amount {
            return Ok(None);
        }
        let approve = crate::bindings::IERC20::approveCall { spender, value: amount };
        let receipt = self.send_call(owner, token, &approve).await.with_context(|| format!("approving {spender_name} to take the METIS"))?;
        Ok(Some(receipt))
    }

    /// Calls the view `call` on `to` at the latest block.
    pub async fn read<C: SolCall>(&self, to: Address, call: &C) -> Result<C::Return> {
        let tx = TransactionRequest::default().to(to).input(call.abi_encode().into());
        let out = self.provider.call(tx).await.map_err(TxError::from_rpc).with_context(|| format!("{} on {to}", C::SIGNATURE))?;
        C::abi_decode_returns(&out).with_context(|| format!("{} on {to}: unexpected answer 0x{}", C::SIGNATURE, alloy::primitives::hex::encode(&out)))
    }

    /// Deploys EVM creation code (with ABI-encoded constructor arguments appended) from `from`.
    pub async fn deploy_evm(&self, from: Address, creation: &[u8], args: &[u8]) -> Result<(Address, TransactionReceipt)> {
        let mut code = creation.to_vec();
        code.extend_from_slice(args);
        let receipt = self.send(TransactionRequest::default().from(from).with_deploy_code(code)).await?;
        let address = receipt.contract_address().ok_or_else(|| anyhow!("no contract address in the receipt"))?;
        Ok((address, receipt))
    }

    /// Estimates activation's data fee for `code` as cargo-stylus does: `eth_call` of
    /// `ArbWasm.activateProgram(target)` with `target`'s code planted by a state override and a
    /// funded sender sending 1 ETH, then bumped by [`DATA_FEE_BUMP_PERCENT`].
    pub async fn estimate_data_fee(&self, code: &[u8]) -> Result<U256> {
        let target = Address::from_word(keccak256(code));
        let sender = Address::from_word(keccak256(b"dseq data fee sender"));
        let one_eth = U256::from(10u64).pow(U256::from(18));
        let overrides = StateOverridesBuilder::default()
            .with_code(target, Bytes::copy_from_slice(code))
            .with_balance(sender, one_eth * U256::from(2))
            .build();
        let call = ArbWasm::activateProgramCall { program: target };
        let tx = TransactionRequest::default().from(sender).to(ARB_WASM).value(one_eth).input(call.abi_encode().into());
        let out = self
            .provider
            .call(tx)
            .overrides(overrides)
            .await
            .map_err(TxError::from_rpc)
            .context("estimating the activation data fee (the program does not activate)")?;
        let ret = ArbWasm::activateProgramCall::abi_decode_returns(&out)?;
        Ok(ret.dataFee * U256::from(100 + DATA_FEE_BUMP_PERCENT) / U256::from(100))
    }

    /// Whether `code` is already activated at the current Stylus version (by code hash), as
    /// `cargo stylus check` asks. Activating it again would revert (`ProgramUpToDate`).
    pub async fn is_activated(&self, code: &[u8]) -> Result<bool> {
        let arb_wasm = ArbWasm::new(ARB_WASM, self.provider.clone());
        match arb_wasm.codehashVersion(keccak256(code)).call().await {
            Ok(version) => Ok(version == arb_wasm.stylusVersion().call().await?),
            Err(_) => Ok(false), // ProgramNotActivated and friends
        }
    }

    /// Whether `who` may cache programs in the chain's program cache (the chain owner or a cache
    /// manager); None when the chain has no ArbWasmCache to ask.
    pub async fn may_cache_programs(&self, who: Address) -> Result<Option<bool>> {
        let owners = ArbOwnerPublic::new(ARB_OWNER_PUBLIC, self.provider.clone());
        let cache = ArbWasmCache::new(ARB_WASM_CACHE, self.provider.clone());
        let (Ok(owner), Ok(manager)) = (owners.isChainOwner(who).call().await, cache.isCacheManager(who).call().await) else {
            return Ok(None);
        };
        Ok(Some(owner || manager))
    }

    /// Whether the chain caches the program with `code_hash` (its calls then pay only the
    /// cached init cost); false when it cannot say.
    pub async fn is_program_cached(&self, code_hash: B256) -> bool {
        let cache = ArbWasmCache::new(ARB_WASM_CACHE, self.provider.clone());
        cache.codehashIsCached(code_hash).call().await.unwrap_or(false)
    }

    /// Caches `program` in the chain's program cache (`ArbWasmCache.cacheProgram`).
    pub async fn cache_program(&self, from: Address, program: Address) -> std::result::Result<TransactionReceipt, TxError> {
        self.send_call(from, ARB_WASM_CACHE, &ArbWasmCache::cacheProgramCall { addr: program }).await
    }

    /// What calling `program` costs before it runs: (the first call in a block, uncached;
    /// cached or called earlier in the block), from `ArbWasm.programInitGas`.
    pub async fn program_init_gas(&self, program: Address) -> Result<(u64, u64)> {
        let r = ArbWasm::new(ARB_WASM, self.provider.clone()).programInitGas(program).call().await?;
        Ok((r.gas, r.gasWhenCached))
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
    pub async fn deploy_stylus(&self, from: Address, code: &[u8]) -> Result<Address> {
        let already_active = self.is_activated(code).await?;
        let receipt = self
            .send(TransactionRequest::default().from(from).with_deploy_code(stylus_init_code(code)))
            .await
            .context("CREATE of the Stylus program")?;
        let program = receipt.contract_address().ok_or_else(|| anyhow!("no contract address"))?;
        if !already_active {
            let fee = self.estimate_data_fee(code).await?;
            let call = ArbWasm::activateProgramCall { program };
            let tx = TransactionRequest::default().from(from).to(ARB_WASM).value(fee).input(call.abi_encode().into());
            self.send(tx).await.context("activating the Stylus program")?;
        }
        Ok(program)
    }

    /// Deploys and activates a Stylus program with a constructor in one transaction, as
    /// `cargo stylus deploy` does: `StylusDeployer.deploy{value: dataFee}(initcode, initData, 0, 0)`.
    pub async fn deploy_stylus_with_constructor(&self, from: Address, code: &[u8], init_data: &[u8]) -> Result<(Address, TransactionReceipt)> {
        let fee = self.activation_fee(code).await?;
        let call = StylusDeployer::deployCall {
            bytecode: stylus_init_code(code),
            initData: Bytes::copy_from_slice(init_data),
            initValue: U256::ZERO,
            salt: B256::ZERO,
        };
        let tx = TransactionRequest::default().from(from).to(STYLUS_DEPLOYER).value(fee).input(call.abi_encode().into());
        let receipt = self.send(tx).await.context("StylusDeployer.deploy")?;
        match events::<StylusDeployer::ContractDeployed>(&receipt, STYLUS_DEPLOYER).as_slice() {
            [ev] => Ok((ev.deployedContract, receipt)),
            other => bail!("expected one ContractDeployed event, got {}", other.len()),
        }
    }

    /// Deploys a dseq Stylus program: through the StylusDeployer with `stylus_constructor()`.
    pub async fn deploy_program(&self, from: Address, code: &[u8]) -> Result<(Address, TransactionReceipt)> {
        self.deploy_stylus_with_constructor(from, code, &stylus_constructorCall {}.abi_encode()).await
    }

    /// Moves a development chain's clock `seconds` on and mines a block there
    /// (`evm_increaseTime` + `evm_mine`).
    pub async fn warp(&self, seconds: u64) -> Result<()> {
        use alloy::providers::ext::AnvilApi;
        self.provider.anvil_increase_time(seconds).await.context("evm_increaseTime")?;
        self.provider.evm_mine(None).await.context("evm_mine")?;
        Ok(())
    }

    /// The latest block's number and timestamp.
    pub async fn latest_block(&self) -> Result<(u64, u64)> {
        let block = self
            .provider
            .get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
            .await?
            .ok_or_else(|| anyhow!("the node has no latest block"))?;
        Ok((block.header.number, block.header.timestamp))
    }
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
