//! [`Chain`]: blocks, receipts, logs, snapshots and time on top of [`DevEvm`]; the type the
//! JSON-RPC layer drives.
//!
//! - Transaction pool, as anvil keeps one: an accepted transaction whose nonce is ahead of its
//!   sender's waits in the pool until the gap closes; a transaction is *ready* when every nonce
//!   before it is mined or ready. Automine (default): a transaction that becomes ready is mined
//!   at once, together with the queued transactions of its sender it unblocks, in nonce order in
//!   one block (anvil mines every ready transaction in the block it automines). With automine
//!   off, transactions wait until [`Chain::mine`].
//! - Refused transactions answer [`InvalidTx`], anvil's reasons in anvil's words.
//! - Block and transaction hashes are keccak digests of this node's own encodings (no RLP
//!   headers yet); they are unique and stable within a chain, not Ethereum-verifiable.
//! - Time: a block's timestamp is the wall clock plus the offset from
//!   [`Chain::increase_time`], never below its parent's, unless
//!   [`Chain::set_next_block_timestamp`] fixed it.
//! - `eth_call` / `eth_estimateGas` run in the latest block's environment (`NUMBER`,
//!   `TIMESTAMP`... of the latest block), or in the next block's for "pending", as anvil does.
//! - Snapshots copy the whole in-memory state and history ([`Chain::snapshot`] /
//!   [`Chain::revert_to`]), like anvil's `evm_snapshot`/`evm_revert` (a revert also drops the
//!   snapshots taken after it).

use crate::evm::{dev_cfg, install_arbitrum_accounts, Db, DevEvm, TxError};
use crate::stylus::StylusRuntime;
use alloy_primitives::{keccak256, Address, Bloom, Bytes, Log, B256, U256};
use revm::context::{BlockEnv, TxEnv};
use revm::context_interface::result::{
    EVMError, ExecutionResult, HaltReason, InvalidTransaction, Output,
};
use revm::context_interface::Cfg;
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

/// Why a transaction is invalid. `Display` is anvil's message and [`InvalidTx::rpc_code`] its
/// JSON-RPC code: client libraries (ethers, viem, alloy) classify refused transactions by them
/// ("nonce too low" means resync the nonce, "insufficient funds" means top up...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidTx {
    /// The nonce is below the sender's (already used).
    NonceTooLow { tx: u64, account: u64 },
    /// revm only: a nonce ahead of the sender's reached execution (the pool keeps such ones).
    NonceTooHigh,
    /// The sender's nonce is `u64::MAX`.
    NonceMaxValue,
    /// `balance < gas_limit * gas_price + value`.
    InsufficientFunds,
    /// `gas_limit * gas_price + value` overflows.
    GasUintOverflow,
    /// The gas limit does not cover the intrinsic gas (21000 + calldata + create...).
    GasTooLow,
    /// The gas limit is above the block's, or (`eth_call`) below the intrinsic gas; the detail
    /// is anvil's.
    GasTooHigh(&'static str),
    /// `max_priority_fee_per_gas > max_fee_per_gas`.
    TipAboveFeeCap,
    /// The fee cap (or legacy gas price) is below the base fee.
    FeeCapTooLow,
    /// Signed for another chain.
    InvalidChainId,
    /// The sender has code (EIP-3607).
    SenderNotEoa,
    /// Init code above EIP-3860's limit.
    MaxInitCodeSizeExceeded,
    /// The same transaction is already in the pool.
    AlreadyImported,
    /// The pool holds a transaction with this sender and nonce that pays at least as much.
    ReplacementUnderpriced,
    /// Anything else revm refuses (transaction types this node does not run, ...).
    Other(String),
}

impl InvalidTx {
    /// anvil's code: -32000 for the gas-limit errors, -32003 ("transaction rejected") otherwise.
    pub fn rpc_code(&self) -> i64 {
        match self {
            InvalidTx::GasTooLow | InvalidTx::GasTooHigh(_) | InvalidTx::Other(_) => -32000,
            _ => -32003,
        }
    }

    /// revm's reason, as anvil words it for `eth_call` and mining.
    pub fn from_revm(e: &InvalidTransaction) -> Self {
        use InvalidTransaction as R;
        match e {
            R::NonceTooLow { tx, state } => InvalidTx::NonceTooLow {
                tx: *tx,
                account: *state,
            },
            R::NonceTooHigh { .. } => InvalidTx::NonceTooHigh,
            R::NonceOverflowInTransaction => InvalidTx::NonceMaxValue,
            R::LackOfFundForMaxFee { .. } => InvalidTx::InsufficientFunds,
            R::OverflowPaymentInTransaction => InvalidTx::GasUintOverflow,
            R::PriorityFeeGreaterThanMaxFee => InvalidTx::TipAboveFeeCap,
            R::GasPriceLessThanBasefee => InvalidTx::FeeCapTooLow,
            R::CallerGasLimitMoreThanBlock | R::TxGasLimitGreaterThanCap { .. } => {
                InvalidTx::GasTooHigh(GAS_ABOVE_BLOCK)
            }
            R::CallGasCostMoreThanGasLimit { .. } | R::GasFloorMoreThanGasLimit { .. } => {
                InvalidTx::GasTooHigh("CallGasCostMoreThanGasLimit")
            }
            R::RejectCallerWithCode => InvalidTx::SenderNotEoa,
            R::CreateInitCodeSizeLimit => InvalidTx::MaxInitCodeSizeExceeded,
            R::InvalidChainId | R::MissingChainId => InvalidTx::InvalidChainId,
            other => InvalidTx::Other(other.to_string()),
        }
    }
}

/// anvil's detail for a gas limit above the block's.
const GAS_ABOVE_BLOCK: &str = "tx.gas_limit > env.block.gas_limit";

impl std::fmt::Display for InvalidTx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InvalidTx::NonceTooLow { .. } => write!(f, "nonce too low"),
            InvalidTx::NonceTooHigh => write!(f, "Nonce too high"),
            InvalidTx::NonceMaxValue => write!(f, "nonce has max value"),
            InvalidTx::InsufficientFunds => {
                write!(f, "Insufficient funds for gas * price + value")
            }
            InvalidTx::GasUintOverflow => write!(f, "gas uint64 overflow"),
            InvalidTx::GasTooLow => write!(f, "intrinsic gas too low"),
            InvalidTx::GasTooHigh(detail) => write!(f, "intrinsic gas too high -- {detail}"),
            InvalidTx::TipAboveFeeCap => {
                write!(f, "max priority fee per gas higher than max fee per gas")
            }
            InvalidTx::FeeCapTooLow => write!(f, "max fee per gas less than block base fee"),
            InvalidTx::InvalidChainId => write!(f, "invalid chain id for signer"),
            InvalidTx::SenderNotEoa => write!(f, "sender not an eoa"),
            InvalidTx::MaxInitCodeSizeExceeded => write!(f, "max initcode size exceeded"),
            InvalidTx::AlreadyImported => write!(f, "transaction already imported"),
            InvalidTx::ReplacementUnderpriced => write!(f, "replacement transaction underpriced"),
            InvalidTx::Other(why) => write!(f, "{why}"),
        }
    }
}

/// Why the chain refused something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainError {
    /// The transaction is invalid (nonce, funds, gas...), in anvil's terms.
    InvalidTransaction(InvalidTx),
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
        ChainError::InvalidTransaction(match &e {
            EVMError::Transaction(reason) => InvalidTx::from_revm(reason),
            other => InvalidTx::Other(other.to_string()),
        })
    }
}

impl From<InvalidTx> for ChainError {
    fn from(e: InvalidTx) -> Self {
        ChainError::InvalidTransaction(e)
    }
}

/// The block environment `eth_call` / `eth_estimateGas` run in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CallBlock {
    /// The latest block's (`NUMBER` = latest, its timestamp): anvil's default.
    #[default]
    Latest,
    /// The block being built next ("pending": latest + 1, the clock's timestamp).
    Pending,
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
    /// The pool: accepted, unmined transactions in arrival order, ready or waiting for a
    /// nonce gap to close.
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

    /// The next nonce after the sender's ready pool transactions, for
    /// `eth_getTransactionCount(.., "pending")`. Like anvil, a queued transaction behind a
    /// nonce gap does not count until the gap closes.
    pub fn pending_nonce(&self, address: Address) -> u64 {
        let mut next = self.nonce(address);
        while self.pooled(address, next).is_some() {
            next += 1;
        }
        next
    }

    /// Position in the pool of the transaction of `from` with `nonce`.
    fn pooled(&self, from: Address, nonce: u64) -> Option<usize> {
        self.pending
            .iter()
            .position(|t| t.from == from && t.nonce == nonce)
    }

    /// The pool's transactions (arrival order), ready or waiting for a nonce gap to close.
    pub fn pool(&self) -> &[Transaction] {
        &self.pending
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

    /// `evm_mine`: mines the ready pool transactions (or an empty block) `blocks` times.
    pub fn mine(&mut self, blocks: u64) -> Result<(), ChainError> {
        for _ in 0..blocks.max(1) {
            let ready = self.take_ready();
            self.mine_block(ready, None)?;
        }
        Ok(())
    }

    /// Removes the ready transactions from the pool, in the order they can run: arrival order,
    /// each sender's in nonce order. Stale ones (nonce below the sender's) are dropped.
    fn take_ready(&mut self) -> Vec<Transaction> {
        let mut next: HashMap<Address, u64> = HashMap::new();
        let mut ready = Vec::new();
        loop {
            let before = ready.len();
            let mut i = 0;
            while i < self.pending.len() {
                let (from, nonce) = (self.pending[i].from, self.pending[i].nonce);
                let expected = match next.get(&from) {
                    Some(n) => *n,
                    None => self.nonce(from),
                };
                if nonce == expected {
                    ready.push(self.pending.remove(i));
                    next.insert(from, expected + 1);
                } else if nonce < self.nonce(from) {
                    self.pending.remove(i);
                } else {
                    i += 1;
                }
            }
            if ready.len() == before {
                return ready;
            }
        }
    }

    /// Executes `txs` in a new block and appends it. Invalid transactions are dropped, except
    /// that one whose nonce is now ahead (a predecessor was dropped) or that no longer fits the
    /// block's gas goes back to the pool, with its sender's later ones.
    ///
    /// `strict`: the hash of the transaction being submitted (automine). If it is invalid,
    /// its error is returned; when nothing else made it into the block, no block is mined.
    fn mine_block(
        &mut self,
        txs: Vec<Transaction>,
        strict: Option<B256>,
    ) -> Result<u64, ChainError> {
        let env = self.next_block_env();
        let parent = self.latest().hash;
        let number = parent_number(&env);
        self.evm.ctx.block = env.clone();
        let mut cumulative = 0u64;
        let mut receipts = Vec::new();
        let mut included = Vec::new();
        let mut bloom = Bloom::ZERO;
        let mut refused = None;
        let mut deferred: Vec<Address> = Vec::new();
        let mut back_to_pool = Vec::new();
        for tx in txs {
            if deferred.contains(&tx.from)
                || cumulative.saturating_add(tx.gas_limit) > env.gas_limit
            {
                deferred.push(tx.from);
                back_to_pool.push(tx);
                continue;
            }
            let txenv = to_txenv(&tx, self.config.chain_id);
            let result = match self.evm.transact(txenv) {
                Ok((result, state)) => {
                    revm::DatabaseCommit::commit(self.evm.db_mut(), state);
                    result
                }
                Err(EVMError::Transaction(InvalidTransaction::NonceTooHigh { .. })) => {
                    deferred.push(tx.from);
                    back_to_pool.push(tx);
                    continue;
                }
                // dropped: became invalid while queued (funds...)
                Err(e) => {
                    if strict == Some(tx.hash) {
                        refused = Some(ChainError::from(e));
                    }
                    deferred.push(tx.from);
                    continue;
                }
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
        self.pending.extend(back_to_pool);
        if let (Some(e), true) = (&refused, included.is_empty()) {
            return Err(e.clone());
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
        match refused {
            Some(e) => Err(e),
            None => Ok(number),
        }
    }

    // --- transactions ----------------------------------------------------------------------

    /// Accepts a transaction into the pool and returns its hash. It is checked as anvil's pool
    /// checks it (see [`Chain::validate`]); a nonce ahead of the sender's is fine, it waits for
    /// the gap to close. A pooled transaction with the same sender and nonce is replaced when
    /// the new one pays more. With automine, a transaction that is ready is mined at once, with
    /// the queued ones it unblocks; one that reverts is still mined (its receipt says so).
    pub fn submit(&mut self, mut tx: Transaction) -> Result<B256, ChainError> {
        if tx.hash == B256::ZERO {
            tx.hash = synthetic_hash(&tx);
        }
        if self.pending.iter().any(|t| t.hash == tx.hash) {
            return Err(InvalidTx::AlreadyImported.into());
        }
        self.validate(&tx)?;
        if let Some(i) = self.pooled(tx.from, tx.nonce) {
            if tx.gas_price <= self.pending[i].gas_price {
                return Err(InvalidTx::ReplacementUnderpriced.into());
            }
            self.pending.remove(i);
        }
        let hash = tx.hash;
        let ready = tx.nonce == self.pending_nonce(tx.from);
        self.pending.push(tx);
        if self.config.automine && ready {
            let txs = self.take_ready();
            self.mine_block(txs, Some(hash))?;
        }
        Ok(hash)
    }

    /// anvil's pool checks, in its order: chain id, gas limit against the block's, nonce not
    /// used, fee cap against the base fee, tip against the fee cap, intrinsic gas, init code
    /// size, and funds for `gas_limit * gas_price + value` at the current balance.
    pub fn validate(&self, tx: &Transaction) -> Result<(), InvalidTx> {
        if tx.chain_id.is_some_and(|id| id != self.config.chain_id) {
            return Err(InvalidTx::InvalidChainId);
        }
        if tx.gas_limit > self.config.block_gas_limit {
            return Err(InvalidTx::GasTooHigh(GAS_ABOVE_BLOCK));
        }
        let account = self.nonce(tx.from);
        if tx.nonce < account {
            return Err(InvalidTx::NonceTooLow {
                tx: tx.nonce,
                account,
            });
        }
        if tx.gas_price < self.config.base_fee as u128 {
            return Err(InvalidTx::FeeCapTooLow);
        }
        if tx.max_priority_fee.is_some_and(|tip| tip > tx.gas_price) {
            return Err(InvalidTx::TipAboveFeeCap);
        }
        let txenv = to_txenv(tx, self.config.chain_id);
        revm::handler::validation::validate_initial_tx_gas(
            &txenv,
            self.config.spec,
            false,
            false,
            u64::MAX,
            None,
        )
        .map_err(|_| InvalidTx::GasTooLow)?;
        if tx.to.is_none() && tx.input.len() > self.evm.ctx.cfg.max_initcode_size() {
            return Err(InvalidTx::MaxInitCodeSizeExceeded);
        }
        let cost = U256::from(tx.gas_limit)
            .checked_mul(U256::from(tx.gas_price))
            .and_then(|fee| fee.checked_add(tx.value))
            .ok_or(InvalidTx::GasUintOverflow)?;
        if self.balance(tx.from) < cost {
            return Err(InvalidTx::InsufficientFunds);
        }
        Ok(())
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

    /// Executes `tx` against the latest state in the latest block's environment and discards
    /// the changes: `eth_call` at "latest".
    pub fn call(&mut self, tx: TxEnv) -> Result<ExecutionResult<HaltReason>, ChainError> {
        self.call_in(tx, CallBlock::Latest, |_| {})
    }

    /// [`Chain::call`] on a copy of the state modified by `overrides` (state overrides).
    pub fn call_with(
        &mut self,
        tx: TxEnv,
        overrides: impl FnOnce(&mut Chain),
    ) -> Result<ExecutionResult<HaltReason>, ChainError> {
        self.call_in(tx, CallBlock::Latest, overrides)
    }

    /// `eth_call` in `block`'s environment with state overrides. A zero gas price skips the
    /// fee part of the balance check, not the value (as anvil).
    pub fn call_in(
        &mut self,
        tx: TxEnv,
        block: CallBlock,
        overrides: impl FnOnce(&mut Chain),
    ) -> Result<ExecutionResult<HaltReason>, ChainError> {
        let saved = self.evm.db().clone();
        overrides(self);
        let result = self.run_call(tx, block, true);
        *self.evm.db_mut() = saved;
        result
    }

    /// The environment of a block `eth_call` runs in.
    fn call_block_env(&self, block: CallBlock) -> BlockEnv {
        match block {
            CallBlock::Pending => self.next_block_env(),
            CallBlock::Latest => {
                let latest = self.latest();
                BlockEnv {
                    number: U256::from(latest.number),
                    beneficiary: latest.coinbase,
                    timestamp: U256::from(latest.timestamp),
                    gas_limit: latest.gas_limit,
                    basefee: latest.base_fee,
                    difficulty: U256::ZERO,
                    prevrandao: Some(keccak256(latest.parent_hash)),
                    ..Default::default()
                }
            }
        }
    }

    /// Runs `tx` on the current state without committing. `check_value`: refuse a value above
    /// the balance even when the gas price is zero (anvil's `eth_call`; its estimates do not).
    fn run_call(
        &mut self,
        mut tx: TxEnv,
        block: CallBlock,
        check_value: bool,
    ) -> Result<ExecutionResult<HaltReason>, ChainError> {
        let mut env = self.call_block_env(block);
        if tx.gas_price < env.basefee as u128 {
            env.basefee = 0;
        }
        self.evm.ctx.block = env;
        tx.nonce = self.nonce(tx.caller);
        tx.chain_id = Some(self.config.chain_id);
        let free = tx.gas_price == 0;
        if free && check_value && tx.value > self.balance(tx.caller) {
            return Err(InvalidTx::InsufficientFunds.into());
        }
        let saved_check = self.evm.ctx.cfg.disable_balance_check;
        self.evm.ctx.cfg.disable_balance_check = free;
        // Like nitro, which builds a fresh state for each call, a call starts with no recently
        // called programs (so an estimate pays what the transaction will pay in its own block)
        // and leaves none behind.
        let recent = std::mem::take(&mut self.evm.precompiles.runtime.recent);
        let result = self.evm.transact(tx).map(|(r, _)| r);
        self.evm.precompiles.runtime.recent = recent;
        self.evm.ctx.cfg.disable_balance_check = saved_check;
        Ok(result?)
    }

    /// [`Chain::estimate_gas`] on a copy of the state modified by `overrides` (state overrides).
    pub fn estimate_gas_with(
        &mut self,
        tx: TxEnv,
        overrides: impl FnOnce(&mut Chain),
    ) -> Result<u64, ChainError> {
        self.estimate_gas_in(tx, CallBlock::Latest, overrides)
    }

    /// `eth_estimateGas` in `block`'s environment with state overrides.
    pub fn estimate_gas_in(
        &mut self,
        tx: TxEnv,
        block: CallBlock,
        overrides: impl FnOnce(&mut Chain),
    ) -> Result<u64, ChainError> {
        let saved = self.evm.db().clone();
        overrides(self);
        let result = self.estimate(tx, block);
        *self.evm.db_mut() = saved;
        result
    }

    /// `eth_estimateGas` at "latest": the smallest gas limit under which `tx` succeeds.
    pub fn estimate_gas(&mut self, tx: TxEnv) -> Result<u64, ChainError> {
        self.estimate(tx, CallBlock::Latest)
    }

    /// Binary search over the gas limit; execution leaves no state behind (no commits).
    fn estimate(&mut self, tx: TxEnv, block: CallBlock) -> Result<u64, ChainError> {
        let mut high = self.config.block_gas_limit;
        let mut probe = tx.clone();
        probe.gas_limit = high;
        let first = self.run_call(probe.clone(), block, false)?;
        if !first.is_success() {
            return Err(ChainError::EstimateFailed(split_result(first).0));
        }
        let mut low = first.tx_gas_used().saturating_sub(1);
        // the 63/64 rule can make the used amount insufficient as a limit
        while low + 1 < high {
            let mid = low + (high - low) / 2;
            probe.gas_limit = mid;
            match self.run_call(probe.clone(), block, false) {
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
