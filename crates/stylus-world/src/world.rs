use std::{
    cell::RefCell,
    collections::HashMap,
    fmt,
    rc::Rc,
};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolEvent, SolInterface};
use stylus_sdk::{host::VM, ArbResult};

use crate::{frame::Frame, keys};

/// A contract implemented in plain Rust (a mock token, a hostile callback...). It keeps its state
/// in the world's storage through [`NativeCtx`], so reverts roll it back like any other contract.
pub trait NativeContract {
    /// Handles one call; `Err` carries revert data.
    fn call(&self, ctx: &mut NativeCtx, input: &[u8]) -> Result<Vec<u8>, Vec<u8>>;
}

/// A native contract's view of its frame.
pub struct NativeCtx {
    pub(crate) frame: Frame,
}

impl NativeCtx {
    /// This contract's address.
    pub fn this(&self) -> Address {
        self.frame.this
    }
    /// The caller.
    pub fn sender(&self) -> Address {
        self.frame.sender
    }
    /// The current block timestamp.
    pub fn timestamp(&self) -> u64 {
        self.frame.world.timestamp()
    }
    /// Reads a storage word of this contract.
    pub fn sload(&self, key: U256) -> B256 {
        self.frame.world.storage(self.frame.this, key)
    }
    /// Writes a storage word of this contract.
    pub fn sstore(&mut self, key: U256, value: B256) {
        self.frame.world.set_storage(self.frame.this, key, value);
    }
    /// Emits a log from this contract.
    pub fn emit<E: SolEvent>(&mut self, event: &E) {
        let log = event.encode_log_data();
        self.frame.world.push_log(Log {
            address: self.frame.this,
            topics: log.topics().to_vec(),
            data: log.data.to_vec(),
        });
    }
    /// Calls another contract as this one.
    pub fn call(&mut self, to: Address, input: Vec<u8>) -> Result<Vec<u8>, Vec<u8>> {
        let frame = &self.frame;
        frame.world.execute(Message {
            caller: frame.this,
            code_address: to,
            storage_address: to,
            sender: frame.this,
            value: U256::ZERO,
            origin: frame.origin,
            is_static: frame.is_static,
            is_delegate: false,
            input,
        })
    }
}

/// A log emitted by a contract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Log {
    /// The emitting contract.
    pub address: Address,
    /// Topics, the event signature first.
    pub topics: Vec<B256>,
    /// ABI-encoded non-indexed fields.
    pub data: Vec<u8>,
}

impl Log {
    /// Decodes this log as `E` if its signature matches.
    pub fn decode<E: SolEvent>(&self) -> Option<E> {
        if self.topics.first() != Some(&E::SIGNATURE_HASH) {
            return None;
        }
        E::decode_raw_log(self.topics.iter().copied(), &self.data).ok()
    }
}

/// Revert data returned by a failed call.
#[derive(Clone, PartialEq, Eq)]
pub struct Revert(pub Vec<u8>);

impl Revert {
    /// Decodes the revert data as one of the errors of a `sol!` interface.
    ///
    /// # Panics
    /// If the data is not one of `E`'s errors (a test failure: the revert was not the expected kind).
    pub fn decode<E: SolInterface>(&self) -> E {
        E::abi_decode(&self.0).unwrap_or_else(|_| panic!("unexpected revert data {self:?}"))
    }
}

impl fmt::Debug for Revert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Revert(0x{})", alloy_primitives::hex::encode(&self.0))
    }
}

/// The result of a successful transaction: the decoded return value and the logs it emitted.
#[derive(Debug)]
pub struct Outcome<T> {
    /// The decoded return value.
    pub value: T,
    /// Logs emitted by every contract the transaction touched, in order.
    pub logs: Vec<Log>,
}

impl<T> Outcome<T> {
    /// Every log of event type `E`, decoded.
    pub fn events<E: SolEvent>(&self) -> Vec<E> {
        self.logs.iter().filter_map(Log::decode::<E>).collect()
    }
}

/// How a Stylus contract is entered: its router, as `#[entrypoint]` wires it on chain.
pub type Dispatch = fn(Vec<u8>, VM) -> ArbResult;

#[derive(Clone)]
enum Code {
    Stylus(Dispatch),
    /// A Stylus program that decides on re-entry in its own router (no entrypoint guard).
    SelfGuarded(Dispatch),
    Native(Rc<dyn NativeContract>),
}

#[derive(Clone, Default)]
struct Journaled {
    storage: HashMap<(Address, U256), B256>,
    balances: HashMap<Address, U256>,
    logs: Vec<Log>,
}

struct State {
    journaled: Journaled,
    code: HashMap<Address, Code>,
    timestamp: u64,
    block_number: u64,
    chain_id: u64,
    call_stack: Vec<Address>,
    /// Off: Stylus programs are refused re-entry, as the SDK's entrypoint does by default.
    reentrancy_allowed: bool,
}

/// One call frame to execute.
pub(crate) struct Message {
    pub caller: Address,
    /// Whose code runs.
    pub code_address: Address,
    /// Whose storage the code sees (differs from `code_address` in a delegatecall).
    pub storage_address: Address,
    /// `msg.sender` inside the frame.
    pub sender: Address,
    pub value: U256,
    pub origin: Address,
    pub is_static: bool,
    /// A delegatecall: runs `code_address`'s code as `storage_address`.
    pub is_delegate: bool,
    pub input: Vec<u8>,
}

/// The simulated chain. Cloning gives another handle to the same chain.
#[derive(Clone)]
pub struct World(Rc<RefCell<State>>);

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

impl World {
    /// Chain id of the simulated chain (anvil's and the devnode's default).
    pub const CHAIN_ID: u64 = 31337;
    /// Timestamp of the first block.
    pub const GENESIS_TIMESTAMP: u64 = 1_700_000_000;

    /// An empty chain at [`Self::GENESIS_TIMESTAMP`].
    pub fn new() -> Self {
        Self(Rc::new(RefCell::new(State {
            journaled: Journaled::default(),
            code: HashMap::new(),
            timestamp: Self::GENESIS_TIMESTAMP,
            block_number: 1,
            chain_id: Self::CHAIN_ID,
            call_stack: Vec::new(),
            reentrancy_allowed: false,
        })))
    }

    /// Places a Stylus contract's router at `address`, e.g.
    /// `world.deploy(addr, router_entrypoint::<LockingPool, LockingPool>)`.
    pub fn deploy(&self, address: Address, dispatch: Dispatch) {
        self.0.borrow_mut().code.insert(address, Code::Stylus(dispatch));
    }

    /// Places a Stylus program built with `#[dseq_program::public(..., self_reentrant)]` at
    /// `address`. Its entrypoint has no re-entry guard: the router itself accepts re-entry from
    /// the program's own address and refuses any other, so the world does not guard it.
    pub fn deploy_self_reentrant(&self, address: Address, dispatch: Dispatch) {
        self.0.borrow_mut().code.insert(address, Code::SelfGuarded(dispatch));
    }

    /// Places a native contract at `address`.
    pub fn deploy_native(&self, address: Address, contract: impl NativeContract + 'static) {
        self.0.borrow_mut().code.insert(address, Code::Native(Rc::new(contract)));
    }

    /// Whether `address` has code.
    pub fn has_code(&self, address: Address) -> bool {
        self.0.borrow().code.contains_key(&address)
    }

    /// Sends a transaction from `from` to `to`; on failure every effect is rolled back.
    pub fn transact(&self, from: Address, to: Address, input: Vec<u8>) -> Result<Vec<Log>, Revert> {
        self.transact_with_value(from, to, input, U256::ZERO)
    }

    /// Sends a transaction carrying `value` wei; on failure every effect is rolled back.
    pub fn transact_with_value(&self, from: Address, to: Address, input: Vec<u8>, value: U256) -> Result<Vec<Log>, Revert> {
        self.top_level(from, to, input, value, false).map(|(_, logs)| logs)
    }

    /// Sends a typed call from `from` to `to` and decodes its return value.
    pub fn send<C: SolCall>(&self, from: Address, to: Address, call: &C) -> Result<Outcome<C::Return>, Revert> {
        let (out, logs) = self.top_level(from, to, call.abi_encode(), U256::ZERO, false)?;
        let value = C::abi_decode_returns(&out)
            .unwrap_or_else(|e| panic!("cannot decode the return of {}: {e}", C::SIGNATURE));
        Ok(Outcome { value, logs })
    }

    /// Sends a typed call expected to revert, and decodes the revert as one of the errors `E`.
    ///
    /// # Panics
    /// If the call succeeds, or reverts with data that is not one of `E` (a test failure).
    pub fn fail<E: SolInterface, C: SolCall>(&self, from: Address, to: Address, call: &C) -> E {
        match self.send(from, to, call) {
            Ok(_) => panic!("{} from {from} to {to} succeeded, expected a revert", C::SIGNATURE),
            Err(revert) => revert.decode::<E>(),
        }
    }

    /// Calls a view without changing state.
    ///
    /// # Panics
    /// If the call reverts (a test failure).
    pub fn view<C: SolCall>(&self, to: Address, call: &C) -> C::Return {
        let (out, _) = self
            .top_level(Address::ZERO, to, call.abi_encode(), U256::ZERO, true)
            .unwrap_or_else(|revert| panic!("{} reverted: {revert:?}", C::SIGNATURE));
        C::abi_decode_returns(&out).unwrap_or_else(|e| panic!("cannot decode {}: {e}", C::SIGNATURE))
    }

    /// Runs a transaction's (or a view's) outermost frame: its output and the logs it emitted.
    fn top_level(
        &self,
        from: Address,
        to: Address,
        input: Vec<u8>,
        value: U256,
        is_static: bool,
    ) -> Result<(Vec<u8>, Vec<Log>), Revert> {
        let first_log = self.0.borrow().journaled.logs.len();
        let message = Message {
            caller: from,
            code_address: to,
            storage_address: to,
            sender: from,
            value,
            origin: from,
            is_static,
            is_delegate: false,
            input,
        };
        match self.execute(message) {
            Ok(out) => Ok((out, self.0.borrow().journaled.logs[first_log..].to_vec())),
            Err(data) => Err(Revert(data)),
        }
    }

    /// Lets Stylus programs be re-entered (`true`), as if their entrypoint had no guard: tests
    /// use it to prove that a contract's ordering is safe without the guard.
    pub fn allow_reentrancy(&self, allowed: bool) {
        self.0.borrow_mut().reentrancy_allowed = allowed;
    }

    /// The current block timestamp.
    pub fn timestamp(&self) -> u64 {
        self.0.borrow().timestamp
    }

    /// Moves time forward by `seconds` (and the block number by one).
    pub fn warp(&self, seconds: u64) {
        let mut state = self.0.borrow_mut();
        state.timestamp += seconds;
        state.block_number += 1;
    }

    /// Sets the block timestamp.
    pub fn set_timestamp(&self, timestamp: u64) {
        self.0.borrow_mut().timestamp = timestamp;
    }

    /// Reads a storage word.
    pub fn storage(&self, address: Address, key: U256) -> B256 {
        self.0.borrow().journaled.storage.get(&(address, key)).copied().unwrap_or_default()
    }

    /// Writes a storage word.
    pub fn set_storage(&self, address: Address, key: U256, value: B256) {
        self.0.borrow_mut().journaled.storage.insert((address, key), value);
    }

    /// Every log emitted so far.
    pub fn logs(&self) -> Vec<Log> {
        self.0.borrow().journaled.logs.clone()
    }

    pub(crate) fn push_log(&self, log: Log) {
        self.0.borrow_mut().journaled.logs.push(log);
    }

    /// Sets an account's native balance.
    pub fn set_balance(&self, address: Address, value: U256) {
        self.0.borrow_mut().journaled.balances.insert(address, value);
    }

    /// An account's native balance.
    pub fn balance(&self, address: Address) -> U256 {
        self.0.borrow().journaled.balances.get(&address).copied().unwrap_or_default()
    }

    pub(crate) fn block_number(&self) -> u64 {
        self.0.borrow().block_number
    }

    pub(crate) fn chain_id(&self) -> u64 {
        self.0.borrow().chain_id
    }

    /// Runs one frame. A failure restores every journaled effect of the frame.
    pub(crate) fn execute(&self, msg: Message) -> Result<Vec<u8>, Vec<u8>> {
        let checkpoint = self.0.borrow().journaled.clone();
        let result = self.run(msg);
        if result.is_err() {
            self.0.borrow_mut().journaled = checkpoint;
        }
        result
    }

    fn run(&self, msg: Message) -> Result<Vec<u8>, Vec<u8>> {
        // A delegatecall keeps the caller's `msg.value` without moving any value, as in the EVM.
        if !msg.value.is_zero() && !msg.is_delegate {
            if msg.is_static {
                return Err(Vec::new());
            }
            self.move_value(msg.caller, msg.storage_address, msg.value)?;
        }
        let code = self.0.borrow().code.get(&msg.code_address).cloned();
        let Some(code) = code else {
            return if msg.code_address == keys::ECRECOVER {
                Ok(keys::ecrecover(&msg.input))
            } else {
                Ok(Vec::new()) // a call to an account without code succeeds, as in the EVM
            };
        };
        // As in nitro, a program re-enters when its acting address already has an open frame;
        // delegatecall frames (a proxy running a module's code) do not count.
        let reentrant = !msg.is_delegate && self.0.borrow().call_stack.contains(&msg.storage_address);
        let guarded = reentrant && !self.0.borrow().reentrancy_allowed;
        let frame = Frame::new(self.clone(), &msg, reentrant);
        if !msg.is_delegate {
            self.0.borrow_mut().call_stack.push(msg.storage_address);
        }
        let result = match code {
            // The SDK's default entrypoint rejects reentrancy before running any code.
            Code::Stylus(_) if guarded => Err(Vec::new()),
            Code::Stylus(dispatch) | Code::SelfGuarded(dispatch) => dispatch(msg.input, VM { host: Box::new(frame.clone()) }),
            Code::Native(contract) => contract.call(&mut NativeCtx { frame: frame.clone() }, &msg.input),
        };
        if !msg.is_delegate {
            self.0.borrow_mut().call_stack.pop();
        }
        if frame.wrote_in_static_context() {
            return Err(Vec::new());
        }
        result
    }

    fn move_value(&self, from: Address, to: Address, value: U256) -> Result<(), Vec<u8>> {
        let mut state = self.0.borrow_mut();
        let balances = &mut state.journaled.balances;
        let from_balance = balances.get(&from).copied().unwrap_or_default();
        let remaining = from_balance.checked_sub(value).ok_or_else(Vec::new)?;
        balances.insert(from, remaining);
        *balances.entry(to).or_default() += value;
        Ok(())
    }
}
