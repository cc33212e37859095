//! [`Chain`]: blocks, receipts, logs, snapshots and time on top of [`DevEvm`]; the type the
//! JSON-RPC layer drives.
//!
//! - Automine (default): every accepted transaction is mined at once in its own block, as anvil
//!   does. With automine off, transactions queue until [`Chain::mine`].
//! - Block and transaction hashes are keccak digests of this node's own encodings (no RLP
//!   headers yet); they are unique and stable within a chain, not Ethereum-verifiable.
//! - Time: a block's timestamp is the wall clock plus the offset from
//!   [`Chain::increase_time`], never below its parent's, unless
//!   [`Chain::set_next_block_timestamp`] fixed it.
//! - Snapshots copy the whole in-memory state and history ([`Chain::snapshot`] /
//!   [`Chain::revert_to`]), like anvil's `evm_snapshot`/`evm_revert` (a revert also drops the
//!   snapshots taken after it).

use crate::evm::{dev_cfg, install_arbitrum_accounts, Db, DevEvm, TxError};
use crate::stylus::StylusRuntime;
use alloy_primitives::{keccak256, Address, Bloom, Bytes, Log, B256, U256};
use revm::context::{BlockEnv, TxEnv};
use revm::context_interface::result::{ExecutionResult, HaltReason, Output};
use revm::database_interface::DatabaseRef;
use revm::primitives::{hardfork::SpecId, TxKind};
use revm::state::{AccountInfo, Bytecode};
use std::collections::{BTreeMap, HashMap};
use std::time::{SystemTime, UNIX_EPOCH};

/// The addresses of anvil's ten default dev accounts (mnemonic "test test ... junk").
pub const ANVIL_DEV_ACCOUNTS: [Address; 10] = [
    alloy_primitives::address!("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),
    alloy_primitives::address!("70997970C51812dc3A010C7d01b50e0d17dc79C8"),
    alloy_primitives::address!("3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"),
    alloy_primitives::address!("90F79bf6EB2c4f870365E785982E1f101E93b906"),
    alloy_primitives::address!("15d34AAf54267DB7D7c367839AAf71A00a2C6A65"),
    alloy_primitives::address!("9965507D1a55bcC2695C58ba16FB37d819B0A4dc"),
    alloy_primitives::address!("976EA74026E726554dB657fA54763abd0C3a0aa9"),
    alloy_primitives::address!("14dC79964da2C08b23698B3D3cc7Ca32193d9955"),
    alloy_primitives::address!("23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f"),
    alloy_primitives::address!("a0Ee7A142d267C1f36714E4a8F75612F20a79720"),
];

/// Chain parameters.
#[derive(Debug, Clone)]
pub struct ChainConfig {
    /// Nitro's dev chain id by default.
    pub chain_id: u64,
    pub spec: SpecId,
    pub block_gas_limit: u64,
    /// Fixed base fee in wei (nitro's minimum, 0.1 gwei, by default; no EIP-1559 updates).
    pub base_fee: u64,
    /// Accounts funded at genesis.
    pub accounts: Vec<(Address, U256)>,
    /// Genesis timestamp; the wall clock when `None`.
    pub genesis_timestamp: Option<u64>,
    pub automine: bool,
    pub coinbase: Address,
}

impl Default for ChainConfig {
    fn default() -> Self {
        let ten_thousand_ether = U256::from(10_000u64) * U256::from(10u64).pow(U256::from(18));
        Self {
            chain_id: 412_346,
            spec: SpecId::PRAGUE,
            block_gas_limit: 32_000_000,
            base_fee: 100_000_000,
            accounts: ANVIL_DEV_ACCOUNTS
                .iter()
                .map(|a| (*a, ten_thousand_ether))
                .collect(),
            genesis_timestamp: None,
            automine: true,
            coinbase: Address::ZERO,
        }
    }
}

/// A mined block.
#[derive(Debug, Clone)]
pub struct Block {
    pub number: u64,
    pub hash: B256,
    pub parent_hash: B256,
    pub timestamp: u64,
    pub gas_limit: u64,
    pub gas_used: u64,
    pub base_fee: u64,
    pub coinbase: Address,
    pub transactions: Vec<B256>,
    pub logs_bloom: Bloom,
}

/// A transaction as submitted (the fields RPC answers need).
#[derive(Debug, Clone)]
pub struct Transaction {
    pub hash: B256,
    pub from: Address,
    pub to: Option<Address>,
    pub nonce: u64,
    pub value: U256,
    pub input: Bytes,
    pub gas_limit: u64,
    pub gas_price: u128,
    pub max_priority_fee: Option<u128>,
    pub chain_id: Option<u64>,
    pub tx_type: u8,
    /// The signed envelope, when the transaction came in raw.
    pub raw: Option<Bytes>,
}

/// A log with its position, as `eth_getLogs` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedLog {
    pub log: Log,
    pub block_number: u64,
    pub block_hash: B256,
    pub tx_hash: B256,
    pub tx_index: u64,
    /// Position in the block.
    pub log_index: u64,
}

/// How a mined transaction ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxStatus {
    Success,
    /// Reverted with this data.
    Revert(Bytes),
    /// Halted (out of gas, invalid opcode...).
    Halt(String),
}

/// A receipt.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub tx_hash: B256,
    pub tx_index: u64,
    pub block_number: u64,
    pub block_hash: B256,
    pub from: Address,
    pub to: Option<Address>,
    pub contract_address: Option<Address>,
    pub gas_used: u64,
    pub cumulative_gas_used: u64,
    pub effective_gas_price: u128,
    pub status: TxStatus,
    pub output: Bytes,
    pub logs: Vec<IndexedLog>,
    pub logs_bloom: Bloom,
}

impl Receipt {
    pub fn success(&self) -> bool {
        self.status == TxStatus::Success
    }
}

/// `eth_getLogs` filter.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    pub from_block: Option<u64>,
    pub to_block: Option<u64>,
    pub block_hash: Option<B256>,
    /// Any of these addresses (all when empty).
    pub addresses: Vec<Address>,
    /// Per position: any of these topics (`None` or empty = any).
    pub topics: Vec<Option<Vec<B256>>>,
}

/// Why the chain refused something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainError {
    /// The transaction is invalid (nonce, funds, gas...): revm's reason.
    InvalidTransaction(String),
    UnknownSnapshot(U256),
    /// `eth_estimateGas` found no gas limit under the block gas limit that succeeds.
    EstimateFailed(TxStatus),
    TimestampNotIncreasing {
        requested: u64,
        parent: u64,
    },
}

impl std::fmt::Display for ChainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainError::InvalidTransaction(e) => write!(f, "invalid transaction: {e}"),
            ChainError::UnknownSnapshot(id) => write!(f, "unknown snapshot {id}"),
            ChainError::EstimateFailed(s) => write!(f, "gas estimation failed: {s:?}"),
            ChainError::TimestampNotIncreasing { requested, parent } => {
                write!(
                    f,
                    "timestamp {requested} is not after the parent's {parent}"
                )
            }
        }
    }
}

impl std::error::Error for ChainError {}

impl From<TxError> for ChainError {
    fn from(e: TxError) -> Self {
        ChainError::InvalidTransaction(format!("{e:?}"))
    }
}

#[derive(Clone)]
struct Snapshot {
    db: Db,
    blocks: usize,
    txs: HashMap<B256, (Transaction, Receipt)>,
    pending: Vec<Transaction>,
    time_offset: i64,
    next_timestamp: Option<u64>,
}

/// A local chain.
pub struct Chain {
    evm: DevEvm,
    config: ChainConfig,
    blocks: Vec<Block>,
    block_index: HashMap<B256, u64>,
    txs: HashMap<B256, (Transaction, Receipt)>,
    pending: Vec<Transaction>,
    time_offset: i64,
    next_timestamp: Option<u64>,
    snapshots: BTreeMap<U256, Snapshot>,
    next_snapshot: U256,
}

impl std::fmt::Debug for Chain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chain")
            .field("chain_id", &self.config.chain_id)
            .field("blocks", &self.blocks.len())
            .finish_non_exhaustive()
    }
}

fn wall_clock() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl Chain {
    pub fn new(config: ChainConfig) -> Self {
        let mut db = Db::default();
        install_arbitrum_accounts(&mut db);
        for (address, balance) in &config.accounts {
            db.insert_account_info(
                *address,
                AccountInfo {
                    balance: *balance,
                    ..Default::default()
                },
            );
        }
        let timestamp = config.genesis_timestamp.unwrap_or_else(wall_clock);
        let time_offset = timestamp as i64 - wall_clock() as i64;
        let cfg = dev_cfg(config.chain_id, config.spec);
        let evm = DevEvm::new(db, cfg, BlockEnv::default(), StylusRuntime::new());
        let genesis = Block {
            number: 0,
            hash: B256::ZERO,
            parent_hash: B256::ZERO,
            timestamp,
            gas_limit: config.block_gas_limit,
            gas_used: 0,
            base_fee: config.base_fee,
            coinbase: config.coinbase,
            transactions: Vec::new(),
            logs_bloom: Bloom::ZERO,
        };
        let mut chain = Self {
            evm,
            config,
            blocks: Vec::new(),
            block_index: HashMap::new(),
            txs: HashMap::new(),
            pending: Vec::new(),
            time_offset,
            next_timestamp: None,
            snapshots: BTreeMap::new(),
            next_snapshot: U256::from(1),
        };
        chain.push_block(genesis);
        chain
    }

    pub fn config(&self) -> &ChainConfig {
        &self.config
    }

    pub fn chain_id(&self) -> u64 {
        self.config.chain_id
    }

    pub fn automine(&self) -> bool {
        self.config.automine
    }

    pub fn set_automine(&mut self, on: bool) {
        self.config.automine = on;
    }

    /// Console output of Stylus programs (debug builds) so far.
    pub fn take_console(&mut self) -> Vec<String> {
        std::mem::take(&mut self.evm.console)
    }

    // --- state -----------------------------------------------------------------------------

    fn db(&self) -> &Db {
        self.evm.db()
    }

    fn info(&self, address: Address) -> AccountInfo {
        self.db()
            .basic_ref(address)
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    pub fn balance(&self, address: Address) -> U256 {
        self.info(address).balance
    }

    pub fn nonce(&self, address: Address) -> u64 {
        self.info(address).nonce
    }

    /// Nonce including queued transactions (for `eth_getTransactionCount(.., "pending")`).
    pub fn pending_nonce(&self, address: Address) -> u64 {
        self.nonce(address) + self.pending.iter().filter(|t| t.from == address).count() as u64
    }

    pub fn code(&self, address: Address) -> Bytes {
        let info = self.info(address);
        match info.code {
            Some(code) => code.original_bytes(),
            None => self
                .db()
                .code_by_hash_ref(info.code_hash)
                .map(|c| c.original_bytes())
                .unwrap_or_default(),
        }
    }

    pub fn storage(&self, address: Address, slot: U256) -> U256 {
        self.db().storage_ref(address, slot).unwrap_or_default()
    }

    fn update_info(&mut self, address: Address, f: impl FnOnce(&mut AccountInfo)) {
        let mut info = self.info(address);
        if info.code.is_none() && info.code_hash != revm::primitives::KECCAK_EMPTY {
            info.code = self.db().code_by_hash_ref(info.code_hash).ok();
        }
        f(&mut info);
        self.evm.db_mut().insert_account_info(address, info);
    }

    pub fn set_balance(&mut self, address: Address, balance: U256) {
        self.update_info(address, |i| i.balance = balance);
    }

    pub fn set_nonce(&mut self, address: Address, nonce: u64) {
        self.update_info(address, |i| i.nonce = nonce);
    }

    pub fn set_code(&mut self, address: Address, code: Bytes) {
        let bytecode = Bytecode::new_legacy(code);
        self.update_info(address, |i| {
            i.code_hash = bytecode.hash_slow();
            i.code = Some(bytecode);
        });
    }

    pub fn set_storage(&mut self, address: Address, slot: U256, value: U256) {
        self.evm
            .db_mut()
            .insert_account_storage(address, slot, value)
            .expect("in-memory db");
    }

    /// Replaces the whole storage of `address` (the `state` field of a state override).
    pub fn replace_storage(&mut self, address: Address, slots: HashMap<U256, U256>) {
        self.evm
            .db_mut()
            .replace_account_storage(address, slots.into_iter().collect())
            .expect("in-memory db");
    }

    // --- time and blocks -------------------------------------------------------------------

    pub fn latest(&self) -> &Block {
        self.blocks.last().expect("genesis exists")
    }

    pub fn block_number(&self) -> u64 {
        self.latest().number
    }

    pub fn block(&self, number: u64) -> Option<&Block> {
        self.blocks.get(number as usize)
    }

    pub fn block_by_hash(&self, hash: B256) -> Option<&Block> {
        self.block_index.get(&hash).and_then(|n| self.block(*n))
    }

    /// `evm_increaseTime`: moves the clock forward; returns the total offset in seconds.
    pub fn increase_time(&mut self, seconds: u64) -> i64 {
        self.time_offset += seconds as i64;
        self.time_offset
    }

    /// `evm_setNextBlockTimestamp`.
    pub fn set_next_block_timestamp(&mut self, timestamp: u64) -> Result<(), ChainError> {
        let parent = self.latest().timestamp;
        if timestamp <= parent {
            return Err(ChainError::TimestampNotIncreasing {
                requested: timestamp,
                parent,
            });
        }
        self.next_timestamp = Some(timestamp);
        Ok(())
    }

    fn next_block_env(&self) -> BlockEnv {
        let parent = self.latest();
        let timestamp = self.next_timestamp.unwrap_or_else(|| {
            let now = (wall_clock() as i64 + self.time_offset).max(0) as u64;
            now.max(parent.timestamp)
        });
        BlockEnv {
            number: U256::from(parent.number + 1),
            beneficiary: self.config.coinbase,
            timestamp: U256::from(timestamp),
            gas_limit: self.config.block_gas_limit,
            basefee: self.config.base_fee,
            difficulty: U256::ZERO,
            prevrandao: Some(keccak256(parent.hash)),
            ..Default::default()
        }
    }

    fn push_block(&mut self, mut block: Block) -> u64 {
        if block.number > 0 {
            let mut pre = Vec::with_capacity(200);
            pre.extend_from_slice(block.parent_hash.as_slice());
            pre.extend_from_slice(&block.number.to_be_bytes());
            pre.extend_from_slice(&block.timestamp.to_be_bytes());
            pre.extend_from_slice(&self.config.chain_id.to_be_bytes());
            for tx in &block.transactions {
                pre.extend_from_slice(tx.as_slice());
            }
            block.hash = keccak256(&pre);
        } else {
            block.hash = keccak256(format!("devnode genesis {}", self.config.chain_id));
        }
        let number = block.number;
        self.block_index.insert(block.hash, number);
        self.blocks.push(block);
        number
    }

    /// `evm_mine`: mines the queued transactions (or an empty block) `blocks` times.
    pub fn mine(&mut self, blocks: u64) -> Result<(), ChainError> {
        for _ in 0..blocks.max(1) {
            let pending = std::mem::take(&mut self.pending);
            self.mine_block(pending, false)?;
        }
        Ok(())
    }

    /// Executes `txs` in a new block and appends it. With `strict`, the first invalid
    /// transaction aborts before anything is committed (used for a single automined
    /// transaction); otherwise invalid transactions are dropped.
    fn mine_block(&mut self, txs: Vec<Transaction>, strict: bool) -> Result<u64, ChainError> {
        let env = self.next_block_env();
        let parent = self.latest().hash;
        let number = parent_number(&env);
        self.evm.ctx.block = env.clone();
        let mut cumulative = 0u64;
        let mut receipts = Vec::new();
        let mut included = Vec::new();
        let mut bloom = Bloom::ZERO;
        for tx in txs {
            let txenv = to_txenv(&tx, self.config.chain_id);
            let result = match self.evm.transact(txenv) {
                Ok((result, state)) => {
                    revm::DatabaseCommit::commit(self.evm.db_mut(), state);
                    result
                }
                Err(e) if strict => return Err(e.into()),
                // dropped: became invalid while queued (nonce, funds)
                Err(_) => continue,
            };
            let index = included.len() as u64;
            let gas_used = result.tx_gas_used();
            cumulative += gas_used;
            let (status, output, logs, created) = split_result(result);
            let logs: Vec<IndexedLog> = logs
                .into_iter()
                .map(|log| IndexedLog {
                    log,
                    block_number: number,
                    block_hash: B256::ZERO,
                    tx_hash: tx.hash,
                    tx_index: index,
                    log_index: 0,
                })
                .collect();
            let mut tx_bloom = Bloom::ZERO;
            for l in &logs {
                tx_bloom.accrue_log(&l.log);
            }
            bloom.accrue_bloom(&tx_bloom);
            let effective_gas_price = effective_price(&tx, env.basefee);
            receipts.push(Receipt {
                tx_hash: tx.hash,
                tx_index: index,
                block_number: number,
                block_hash: B256::ZERO,
                from: tx.from,
                to: tx.to,
                contract_address: created,
                gas_used,
                cumulative_gas_used: cumulative,
                effective_gas_price,
                status,
                output,
                logs,
                logs_bloom: tx_bloom,
            });
            included.push(tx);
        }
        if self.next_timestamp.take().is_some() {
            // Like anvil: the clock goes on from a timestamp that was set for this block, so
            // a later `evm_increaseTime` moves forward from it.
            let timestamp: u64 = env.timestamp.saturating_to();
            self.time_offset = timestamp as i64 - wall_clock() as i64;
        }
        let block = Block {
            number,
            hash: B256::ZERO,
            parent_hash: parent,
            timestamp: env.timestamp.saturating_to(),
            gas_limit: env.gas_limit,
            gas_used: cumulative,
            base_fee: env.basefee,
            coinbase: env.beneficiary,
            transactions: included.iter().map(|t| t.hash).collect(),
            logs_bloom: bloom,
        };
        self.push_block(block);
        let hash = self.latest().hash;
        let mut log_index = 0;
        for (tx, mut receipt) in included.into_iter().zip(receipts) {
            receipt.block_hash = hash;
            for l in &mut receipt.logs {
                l.block_hash = hash;
                l.log_index = log_index;
                log_index += 1;
            }
            self.txs.insert(tx.hash, (tx, receipt));
        }
        Ok(number)
    }

    // --- transactions ----------------------------------------------------------------------

    /// Accepts a transaction: checks it against the current state, then mines it (automine)
    /// or queues it. Returns its hash. A transaction that reverts is still mined (its receipt
    /// says so); an invalid one (bad nonce, no funds, gas above the block limit) is refused.
    pub fn submit(&mut self, mut tx: Transaction) -> Result<B256, ChainError> {
        if tx.hash == B256::ZERO {
            tx.hash = synthetic_hash(&tx);
        }
        if tx.gas_limit > self.config.block_gas_limit {
            return Err(ChainError::InvalidTransaction(
                "gas limit above the block gas limit".into(),
            ));
        }
        let expected = self.pending_nonce(tx.from);
        if tx.nonce != expected {
            return Err(ChainError::InvalidTransaction(format!(
                "nonce {} does not match the account's next nonce {expected}",
                tx.nonce
            )));
        }
        if self.config.automine {
            let hash = tx.hash;
            self.mine_block(vec![tx], true)?;
            Ok(hash)
        } else {
            let hash = tx.hash;
            self.pending.push(tx);
            Ok(hash)
        }
    }

    pub fn transaction(&self, hash: B256) -> Option<&Transaction> {
        self.txs
            .get(&hash)
            .map(|(t, _)| t)
            .or_else(|| self.pending.iter().find(|t| t.hash == hash))
    }

    pub fn receipt(&self, hash: B256) -> Option<&Receipt> {
        self.txs.get(&hash).map(|(_, r)| r)
    }

    /// Executes `tx` against the latest state (plus the next block's environment) and
    /// discards the changes: `eth_call`.
    pub fn call(&mut self, tx: TxEnv) -> Result<ExecutionResult<HaltReason>, ChainError> {
        self.call_with(tx, |_| {})
    }

    /// [`Chain::call`] on a copy of the state modified by `overrides` (state overrides).
    pub fn call_with(
        &mut self,
        mut tx: TxEnv,
        overrides: impl FnOnce(&mut Chain),
    ) -> Result<ExecutionResult<HaltReason>, ChainError> {
        let saved = self.evm.db().clone();
        overrides(self);
        let mut env = self.next_block_env();
        if tx.gas_price < env.basefee as u128 {
            env.basefee = 0;
        }
        self.evm.ctx.block = env;
        tx.nonce = self.nonce(tx.caller);
        tx.chain_id = Some(self.config.chain_id);
        let saved_check = self.evm.ctx.cfg.disable_balance_check;
        self.evm.ctx.cfg.disable_balance_check = tx.gas_price == 0;
        let result = self.evm.transact(tx).map(|(r, _)| r);
        self.evm.ctx.cfg.disable_balance_check = saved_check;
        *self.evm.db_mut() = saved;
        Ok(result?)
    }

    /// [`Chain::estimate_gas`] on a copy of the state modified by `overrides` (state overrides).
    pub fn estimate_gas_with(
        &mut self,
        tx: TxEnv,
        overrides: impl FnOnce(&mut Chain),
    ) -> Result<u64, ChainError> {
        let saved = self.evm.db().clone();
        overrides(self);
        let result = self.estimate_gas(tx);
        *self.evm.db_mut() = saved;
        result
    }

    /// `eth_estimateGas`: the smallest gas limit under which `tx` succeeds (binary search).
    pub fn estimate_gas(&mut self, tx: TxEnv) -> Result<u64, ChainError> {
        let mut high = self.config.block_gas_limit;
        let mut probe = tx.clone();
        probe.gas_limit = high;
        let first = self.call(probe.clone())?;
        if !first.is_success() {
            return Err(ChainError::EstimateFailed(split_result(first).0));
        }
        let mut low = first.tx_gas_used().saturating_sub(1);
        // the 63/64 rule can make the used amount insufficient as a limit
        while low + 1 < high {
            let mid = low + (high - low) / 2;
            probe.gas_limit = mid;
            match self.call(probe.clone()) {
                Ok(r) if r.is_success() => high = mid,
                _ => low = mid,
            }
        }
        Ok(high)
    }

    /// `eth_getLogs`.
    pub fn logs(&self, filter: &LogFilter) -> Vec<IndexedLog> {
        let (from, to) = match filter.block_hash {
            Some(h) => match self.block_index.get(&h) {
                Some(n) => (*n, *n),
                None => return Vec::new(),
            },
            None => (
                filter.from_block.unwrap_or(self.block_number()),
                filter
                    .to_block
                    .unwrap_or(self.block_number())
                    .min(self.block_number()),
            ),
        };
        let mut out = Vec::new();
        for number in from..=to {
            let Some(block) = self.block(number) else {
                break;
            };
            for tx in &block.transactions {
                let Some((_, receipt)) = self.txs.get(tx) else {
                    continue;
                };
                for l in &receipt.logs {
                    if log_matches(filter, &l.log) {
                        out.push(l.clone());
                    }
                }
            }
        }
        out
    }

    // --- snapshots -------------------------------------------------------------------------

    /// `evm_snapshot`: returns the snapshot id (1, 2, ...).
    pub fn snapshot(&mut self) -> U256 {
        let id = self.next_snapshot;
        self.next_snapshot += U256::from(1);
        self.snapshots.insert(
            id,
            Snapshot {
                db: self.evm.db().clone(),
                blocks: self.blocks.len(),
                txs: self.txs.clone(),
                pending: self.pending.clone(),
                time_offset: self.time_offset,
                next_timestamp: self.next_timestamp,
            },
        );
        id
    }

    /// `evm_revert`: restores snapshot `id` and forgets it and every later one.
    pub fn revert_to(&mut self, id: U256) -> Result<(), ChainError> {
        let Some(snap) = self.snapshots.get(&id).cloned() else {
            return Err(ChainError::UnknownSnapshot(id));
        };
        self.snapshots.retain(|k, _| *k < id);
        *self.evm.db_mut() = snap.db;
        for block in self.blocks.drain(snap.blocks..) {
            self.block_index.remove(&block.hash);
        }
        self.txs = snap.txs;
        self.pending = snap.pending;
        self.time_offset = snap.time_offset;
        self.next_timestamp = snap.next_timestamp;
        Ok(())
    }
}

fn parent_number(env: &BlockEnv) -> u64 {
    env.number.saturating_to()
}

fn effective_price(tx: &Transaction, basefee: u64) -> u128 {
    match tx.max_priority_fee {
        Some(tip) => tx.gas_price.min(basefee as u128 + tip),
        None => tx.gas_price,
    }
}

fn to_txenv(tx: &Transaction, chain_id: u64) -> TxEnv {
    TxEnv {
        tx_type: tx.tx_type,
        caller: tx.from,
        gas_limit: tx.gas_limit,
        gas_price: tx.gas_price,
        kind: match tx.to {
            Some(to) => TxKind::Call(to),
            None => TxKind::Create,
        },
        value: tx.value,
        data: tx.input.clone(),
        nonce: tx.nonce,
        chain_id: tx.chain_id.or(Some(chain_id)),
        gas_priority_fee: tx.max_priority_fee,
        ..Default::default()
    }
}

fn synthetic_hash(tx: &Transaction) -> B256 {
    let mut pre = Vec::new();
    pre.extend_from_slice(tx.from.as_slice());
    pre.extend_from_slice(&tx.nonce.to_be_bytes());
    pre.extend_from_slice(tx.to.unwrap_or_default().as_slice());
    pre.extend_from_slice(&tx.value.to_be_bytes::<32>());
    pre.extend_from_slice(&tx.gas_limit.to_be_bytes());
    pre.extend_from_slice(&tx.input);
    keccak256(&pre)
}

/// Status, output, logs and created address of an execution result.
pub fn split_result(
    result: ExecutionResult<HaltReason>,
) -> (TxStatus, Bytes, Vec<Log>, Option<Address>) {
    match result {
        ExecutionResult::Success { output, logs, .. } => {
            let (out, created) = match output {
                Output::Call(b) => (b, None),
                Output::Create(b, a) => (b, a),
            };
            (TxStatus::Success, out, logs, created)
        }
        ExecutionResult::Revert { output, logs, .. } => {
            (TxStatus::Revert(output.clone()), output, logs, None)
        }
        ExecutionResult::Halt { reason, logs, .. } => (
            TxStatus::Halt(format!("{reason:?}")),
            Bytes::new(),
            logs,
            None,
        ),
    }
}

fn log_matches(filter: &LogFilter, log: &Log) -> bool {
    if !filter.addresses.is_empty() && !filter.addresses.contains(&log.address) {
        return false;
    }
    let topics = log.data.topics();
    for (i, want) in filter.topics.iter().enumerate() {
        let Some(want) = want else { continue };
        if want.is_empty() {
            continue;
        }
        match topics.get(i) {
            Some(t) if want.contains(t) => {}
            _ => return false,
        }
    }
    true
}
