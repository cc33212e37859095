//! The `vm_hooks` host functions (stylus-sdk 0.10 hostio ABI) over a [`wasmi::Store`].
//!
//! Host functions that only need the frame's own data (arguments, msg/tx/block values, the
//! storage cache, return data, logs, keccak) run inline. Those that need chain state
//! (storage misses, balances, code, transient storage) or a child frame (calls, creates) record a
//! [`Request`] in [`HostData::request`] and return a [`Suspend`] host error: wasmi suspends the
//! program as a resumable call, the frame services the request against revm's journal (or runs
//! the child frame through revm's frame loop), writes results into wasm memory and resumes.

use super::gas_charge;
use crate::gas::{self, hostio_fuel};
use alloy_primitives::{keccak256, Address, Bytes, Log, LogData, B256, U256};
use std::collections::BTreeMap;
use wasmi::{Caller, Error, Linker, Memory, ResourceLimiter};
use wasmi_core::LimiterError;

/// Values a program can read that do not change while it runs.
#[derive(Debug, Clone, Default)]
pub struct FrameEnv {
    pub contract: Address,
    pub sender: Address,
    pub value: U256,
    pub origin: Address,
    pub gas_price: U256,
    pub basefee: U256,
    pub chain_id: u64,
    pub coinbase: Address,
    pub block_gas_limit: u64,
    pub block_number: u64,
    pub timestamp: u64,
    pub is_static: bool,
    pub reentrant: bool,
}

/// A storage slot in the program's cache.
#[derive(Debug, Clone, Copy)]
pub struct CachedSlot {
    pub value: B256,
    pub dirty: bool,
}

/// Why a program stops abnormally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Abort {
    /// Ran out of ink/gas.
    OutOfGas,
    /// Broke a rule (bad pointer, state change in a static call, too many topics...): the call
    /// fails like a revert without data, keeping the remaining gas (nitro's `Failure`).
    Failure(String),
}

/// The call flavours of the call hostios.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    Call,
    Delegate,
    Static,
}

/// Work a host function hands to the frame because it needs the journal or a child frame.
#[derive(Debug)]
pub enum Request {
    SLoad {
        key: B256,
        dest: u32,
    },
    Flush {
        clear: bool,
    },
    Balance {
        address: Address,
        dest: u32,
    },
    CodeHash {
        address: Address,
        dest: u32,
    },
    CodeSize {
        address: Address,
    },
    Code {
        address: Address,
        offset: u32,
        size: u32,
        dest: u32,
    },
    TLoad {
        key: B256,
        dest: u32,
    },
    TStore {
        key: B256,
        value: B256,
    },
    Call {
        kind: CallKind,
        to: Address,
        input: Bytes,
        value: U256,
        gas: u64,
        ret_len_ptr: u32,
    },
    Create {
        code: Bytes,
        value: U256,
        salt: Option<B256>,
        addr_ptr: u32,
        ret_len_ptr: u32,
    },
    Exit {
        status: i32,
    },
    Abort(Abort),
}

/// The marker host error that suspends a program; the actual request is in [`HostData`].
#[derive(Debug)]
pub struct Suspend;

impl std::fmt::Display for Suspend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "stylus program suspended for a host request")
    }
}

impl wasmi::errors::HostError for Suspend {}

/// Counts pages a program grows its memory by, so the frame can charge for them.
#[derive(Debug, Default)]
pub struct PageLimiter {
    pub grown: u32,
}

impl ResourceLimiter for PageLimiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> Result<bool, LimiterError> {
        const PAGE: usize = 65536;
        let desired_pages = desired.div_ceil(PAGE);
        if desired_pages > gas::MAX_PAGES as usize {
            return Ok(false);
        }
        self.grown += (desired_pages - current.div_ceil(PAGE)) as u32;
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> Result<bool, LimiterError> {
        Ok(desired <= 10_000)
    }

    fn instances(&self) -> usize {
        1
    }

    fn tables(&self) -> usize {
        1
    }

    fn memories(&self) -> usize {
        1
    }
}

/// Per-frame state owned by the wasmi store.
#[derive(Debug)]
pub struct HostData {
    pub env: FrameEnv,
    pub args: Vec<u8>,
    pub memory: Option<Memory>,
    pub result: Vec<u8>,
    pub return_data: Vec<u8>,
    pub cache: BTreeMap<B256, CachedSlot>,
    pub logs: Vec<Log>,
    pub request: Option<Request>,
    pub limiter: PageLimiter,
    pub console: Vec<String>,
}

impl HostData {
    pub fn new(env: FrameEnv, args: Vec<u8>) -> Self {
        Self {
            env,
            args,
            memory: None,
            result: Vec::new(),
            return_data: Vec::new(),
            cache: BTreeMap::new(),
            logs: Vec::new(),
            request: None,
            limiter: PageLimiter::default(),
            console: Vec::new(),
        }
    }

    /// True when the cache holds writes not yet flushed.
    pub fn has_dirty(&self) -> bool {
        self.cache.values().any(|s| s.dirty)
    }
}

type C<'a> = Caller<'a, HostData>;

fn suspend(c: &mut C, request: Request) -> Error {
    c.data_mut().request = Some(request);
    Error::host(Suspend)
}

fn fail(c: &mut C, why: impl Into<String>) -> Error {
    suspend(c, Request::Abort(Abort::Failure(why.into())))
}

/// Charges `fuel`; on exhaustion the program stops out of gas.
fn charge(c: &mut C, fuel: u64) -> Result<(), Error> {
    let left = c.get_fuel()?;
    match gas_charge(left, fuel) {
        Some(rest) => {
            c.set_fuel(rest)?;
            Ok(())
        }
        None => {
            c.set_fuel(0)?;
            Err(suspend(c, Request::Abort(Abort::OutOfGas)))
        }
    }
}

fn memory(c: &C) -> Memory {
    c.data()
        .memory
        .expect("memory is set right after instantiation")
}

fn read(c: &mut C, ptr: i32, len: usize) -> Result<Vec<u8>, Error> {
    let mut buf = vec![0u8; len];
    let mem = memory(c);
    if mem.read(&*c, ptr as u32 as usize, &mut buf).is_err() {
        return Err(fail(c, "hostio read out of bounds"));
    }
    Ok(buf)
}

fn read_word(c: &mut C, ptr: i32) -> Result<B256, Error> {
    Ok(B256::from_slice(&read(c, ptr, 32)?))
}

fn read_address(c: &mut C, ptr: i32) -> Result<Address, Error> {
    Ok(Address::from_slice(&read(c, ptr, 20)?))
}

fn write(c: &mut C, ptr: i32, data: &[u8]) -> Result<(), Error> {
    let mem = memory(c);
    if mem.write(&mut *c, ptr as u32 as usize, data).is_err() {
        return Err(fail(c, "hostio write out of bounds"));
    }
    Ok(())
}

/// Registers every `vm_hooks` import of stylus-sdk 0.10 (plus nitro's `exit_early` and transient
/// storage hostios) and the `console` debug imports.
pub fn define_hostios(linker: &mut Linker<HostData>) -> Result<(), wasmi::errors::LinkerError> {
    const VM: &str = "vm_hooks";

    linker.func_wrap(
        VM,
        "read_args",
        |mut c: C, dest: i32| -> Result<(), Error> {
            let len = c.data().args.len();
            charge(&mut c, hostio_fuel(len))?;
            let args = std::mem::take(&mut c.data_mut().args);
            let res = write(&mut c, dest, &args);
            c.data_mut().args = args;
            res
        },
    )?;
    linker.func_wrap(
        VM,
        "write_result",
        |mut c: C, ptr: i32, len: i32| -> Result<(), Error> {
            let len = len as u32 as usize;
            charge(&mut c, hostio_fuel(len))?;
            let data = read(&mut c, ptr, len)?;
            c.data_mut().result = data;
            Ok(())
        },
    )?;
    linker.func_wrap(
        VM,
        "exit_early",
        |mut c: C, status: i32| -> Result<(), Error> {
            Err(suspend(&mut c, Request::Exit { status }))
        },
    )?;

    // --- storage ---------------------------------------------------------------------------
    linker.func_wrap(
        VM,
        "storage_load_bytes32",
        |mut c: C, key: i32, dest: i32| -> Result<(), Error> {
            charge(&mut c, hostio_fuel(64))?;
            let key = read_word(&mut c, key)?;
            if let Some(slot) = c.data().cache.get(&key).copied() {
                return write(&mut c, dest, slot.value.as_slice());
            }
            Err(suspend(
                &mut c,
                Request::SLoad {
                    key,
                    dest: dest as u32,
                },
            ))
        },
    )?;
    linker.func_wrap(
        VM,
        "storage_cache_bytes32",
        |mut c: C, key: i32, value: i32| -> Result<(), Error> {
            charge(&mut c, hostio_fuel(64))?;
            let key = read_word(&mut c, key)?;
            let value = read_word(&mut c, value)?;
            c.data_mut()
                .cache
                .insert(key, CachedSlot { value, dirty: true });
            Ok(())
        },
    )?;
    linker.func_wrap(
        VM,
        "storage_flush_cache",
        |mut c: C, clear: i32| -> Result<(), Error> {
            charge(&mut c, hostio_fuel(0))?;
            let clear = clear != 0;
            if !c.data().has_dirty() {
                if clear {
                    c.data_mut().cache.clear();
                }
                return Ok(());
            }
            if c.data().env.is_static {
                return Err(fail(&mut c, "storage write in a static call"));
            }
            Err(suspend(&mut c, Request::Flush { clear }))
        },
    )?;
    linker.func_wrap(
        VM,
        "transient_load_bytes32",
        |mut c: C, key: i32, dest: i32| -> Result<(), Error> {
            charge(&mut c, hostio_fuel(64) + gas::gas_to_fuel(100))?;
            let key = read_word(&mut c, key)?;
            Err(suspend(
                &mut c,
                Request::TLoad {
                    key,
                    dest: dest as u32,
                },
            ))
        },
    )?;
    linker.func_wrap(
        VM,
        "transient_store_bytes32",
        |mut c: C, key: i32, value: i32| -> Result<(), Error> {
            charge(&mut c, hostio_fuel(64) + gas::gas_to_fuel(100))?;
            if c.data().env.is_static {
                return Err(fail(&mut c, "transient write in a static call"));
            }
            let key = read_word(&mut c, key)?;
            let value = read_word(&mut c, value)?;
            Err(suspend(&mut c, Request::TStore { key, value }))
        },
    )?;

    // --- calls and creates -----------------------------------------------------------------
    linker.func_wrap(
        VM,
        "call_contract",
        |mut c: C,
         to: i32,
         data: i32,
         len: i32,
         value: i32,
         gas: i64,
         ret_len: i32|
         -> Result<i32, Error> {
            call_hostio(
                &mut c,
                CallKind::Call,
                to,
                data,
                len,
                Some(value),
                gas,
                ret_len,
            )
        },
    )?;
    linker.func_wrap(
        VM,
        "delegate_call_contract",
        |mut c: C, to: i32, data: i32, len: i32, gas: i64, ret_len: i32| -> Result<i32, Error> {
            call_hostio(
                &mut c,
                CallKind::Delegate,
                to,
                data,
                len,
                None,
                gas,
                ret_len,
            )
        },
    )?;
    linker.func_wrap(
        VM,
        "static_call_contract",
        |mut c: C, to: i32, data: i32, len: i32, gas: i64, ret_len: i32| -> Result<i32, Error> {
            call_hostio(&mut c, CallKind::Static, to, data, len, None, gas, ret_len)
        },
    )?;
    linker.func_wrap(
        VM,
        "create1",
        |mut c: C, code: i32, len: i32, value: i32, addr: i32, ret_len: i32| -> Result<(), Error> {
            create_hostio(&mut c, code, len, value, None, addr, ret_len)
        },
    )?;
    linker.func_wrap(
        VM,
        "create2",
        |mut c: C,
         code: i32,
         len: i32,
         value: i32,
         salt: i32,
         addr: i32,
         ret_len: i32|
         -> Result<(), Error> {
            create_hostio(&mut c, code, len, value, Some(salt), addr, ret_len)
        },
    )?;
    linker.func_wrap(
        VM,
        "read_return_data",
        |mut c: C, dest: i32, offset: i32, size: i32| -> Result<i32, Error> {
            let offset = offset as u32 as usize;
            let size = size as u32 as usize;
            let total = c.data().return_data.len();
            let start = offset.min(total);
            let end = offset.saturating_add(size).min(total);
            charge(&mut c, hostio_fuel(end - start))?;
            let chunk = c.data().return_data[start..end].to_vec();
            write(&mut c, dest, &chunk)?;
            Ok(chunk.len() as i32)
        },
    )?;
    linker.func_wrap(VM, "return_data_size", |mut c: C| -> Result<i32, Error> {
        charge(&mut c, hostio_fuel(0))?;
        Ok(c.data().return_data.len() as i32)
    })?;

    // --- logs and hashing ------------------------------------------------------------------
    linker.func_wrap(
        VM,
        "emit_log",
        |mut c: C, data: i32, len: i32, topics: i32| -> Result<(), Error> {
            let len = len as u32 as usize;
            let topics = topics as u32 as usize;
            charge(&mut c, hostio_fuel(len))?;
            if topics > 4 || len < topics * 32 {
                return Err(fail(&mut c, "emit_log: bad topic count"));
            }
            if c.data().env.is_static {
                return Err(fail(&mut c, "emit_log in a static call"));
            }
            let payload = (len - topics * 32) as u64;
            charge(
                &mut c,
                gas::gas_to_fuel(375 + 375 * topics as u64 + 8 * payload),
            )?;
            let bytes = read(&mut c, data, len)?;
            let topic_list = bytes[..topics * 32]
                .chunks(32)
                .map(B256::from_slice)
                .collect();
            let log = Log {
                address: c.data().env.contract,
                data: LogData::new_unchecked(
                    topic_list,
                    Bytes::copy_from_slice(&bytes[topics * 32..]),
                ),
            };
            c.data_mut().logs.push(log);
            Ok(())
        },
    )?;
    linker.func_wrap(
        VM,
        "native_keccak256",
        |mut c: C, data: i32, len: i32, out: i32| -> Result<(), Error> {
            let len = len as u32 as usize;
            charge(
                &mut c,
                hostio_fuel(len + 32) + gas::gas_to_fuel(30 + 6 * len.div_ceil(32) as u64),
            )?;
            let bytes = read(&mut c, data, len)?;
            write(&mut c, out, keccak256(&bytes).as_slice())
        },
    )?;

    // --- accounts --------------------------------------------------------------------------
    linker.func_wrap(
        VM,
        "account_balance",
        |mut c: C, address: i32, dest: i32| -> Result<(), Error> {
            charge(&mut c, hostio_fuel(52))?;
            let address = read_address(&mut c, address)?;
            Err(suspend(
                &mut c,
                Request::Balance {
                    address,
                    dest: dest as u32,
                },
            ))
        },
    )?;
    linker.func_wrap(
        VM,
        "account_codehash",
        |mut c: C, address: i32, dest: i32| -> Result<(), Error> {
            charge(&mut c, hostio_fuel(52))?;
            let address = read_address(&mut c, address)?;
            Err(suspend(
                &mut c,
                Request::CodeHash {
                    address,
                    dest: dest as u32,
                },
            ))
        },
    )?;
    linker.func_wrap(
        VM,
        "account_code_size",
        |mut c: C, address: i32| -> Result<i32, Error> {
            charge(&mut c, hostio_fuel(20))?;
            let address = read_address(&mut c, address)?;
            Err(suspend(&mut c, Request::CodeSize { address }))
        },
    )?;
    linker.func_wrap(
        VM,
        "account_code",
        |mut c: C, address: i32, offset: i32, size: i32, dest: i32| -> Result<i32, Error> {
            charge(&mut c, hostio_fuel(20 + size as u32 as usize))?;
            let address = read_address(&mut c, address)?;
            Err(suspend(
                &mut c,
                Request::Code {
                    address,
                    offset: offset as u32,
                    size: size as u32,
                    dest: dest as u32,
                },
            ))
        },
    )?;

    // --- frame, tx and block values --------------------------------------------------------
    fn put_word(c: &mut C, ptr: i32, word: [u8; 32]) -> Result<(), Error> {
        charge(c, hostio_fuel(32))?;
        write(c, ptr, &word)
    }
    fn put_address(c: &mut C, ptr: i32, address: Address) -> Result<(), Error> {
        charge(c, hostio_fuel(20))?;
        write(c, ptr, address.as_slice())
    }
    linker.func_wrap(
        VM,
        "block_basefee",
        |mut c: C, ptr: i32| -> Result<(), Error> {
            let v = c.data().env.basefee.to_be_bytes();
            put_word(&mut c, ptr, v)
        },
    )?;
    linker.func_wrap(
        VM,
        "block_coinbase",
        |mut c: C, ptr: i32| -> Result<(), Error> {
            let v = c.data().env.coinbase;
            put_address(&mut c, ptr, v)
        },
    )?;
    linker.func_wrap(VM, "chainid", |mut c: C| -> Result<i64, Error> {
        charge(&mut c, hostio_fuel(0))?;
        Ok(c.data().env.chain_id as i64)
    })?;
    linker.func_wrap(VM, "block_gas_limit", |mut c: C| -> Result<i64, Error> {
        charge(&mut c, hostio_fuel(0))?;
        Ok(c.data().env.block_gas_limit as i64)
    })?;
    linker.func_wrap(VM, "block_number", |mut c: C| -> Result<i64, Error> {
        charge(&mut c, hostio_fuel(0))?;
        Ok(c.data().env.block_number as i64)
    })?;
    linker.func_wrap(VM, "block_timestamp", |mut c: C| -> Result<i64, Error> {
        charge(&mut c, hostio_fuel(0))?;
        Ok(c.data().env.timestamp as i64)
    })?;
    linker.func_wrap(
        VM,
        "contract_address",
        |mut c: C, ptr: i32| -> Result<(), Error> {
            let v = c.data().env.contract;
            put_address(&mut c, ptr, v)
        },
    )?;
    linker.func_wrap(
        VM,
        "msg_sender",
        |mut c: C, ptr: i32| -> Result<(), Error> {
            let v = c.data().env.sender;
            put_address(&mut c, ptr, v)
        },
    )?;
    linker.func_wrap(VM, "msg_value", |mut c: C, ptr: i32| -> Result<(), Error> {
        let v = c.data().env.value.to_be_bytes();
        put_word(&mut c, ptr, v)
    })?;
    linker.func_wrap(VM, "msg_reentrant", |mut c: C| -> Result<i32, Error> {
        charge(&mut c, hostio_fuel(0))?;
        Ok(c.data().env.reentrant as i32)
    })?;
    linker.func_wrap(VM, "tx_origin", |mut c: C, ptr: i32| -> Result<(), Error> {
        let v = c.data().env.origin;
        put_address(&mut c, ptr, v)
    })?;
    linker.func_wrap(
        VM,
        "tx_gas_price",
        |mut c: C, ptr: i32| -> Result<(), Error> {
            let v = c.data().env.gas_price.to_be_bytes();
            put_word(&mut c, ptr, v)
        },
    )?;
    linker.func_wrap(VM, "tx_ink_price", |mut c: C| -> Result<i32, Error> {
        charge(&mut c, hostio_fuel(0))?;
        Ok(gas::INK_PRICE as i32)
    })?;
    linker.func_wrap(VM, "evm_gas_left", |mut c: C| -> Result<i64, Error> {
        charge(&mut c, hostio_fuel(0))?;
        Ok(gas::fuel_to_gas(c.get_fuel()?) as i64)
    })?;
    linker.func_wrap(VM, "evm_ink_left", |mut c: C| -> Result<i64, Error> {
        charge(&mut c, hostio_fuel(0))?;
        Ok(c.get_fuel()?.saturating_mul(gas::INK_PER_FUEL) as i64)
    })?;
    linker.func_wrap(
        VM,
        "pay_for_memory_grow",
        |mut c: C, pages: i32| -> Result<(), Error> {
            // Growth itself is charged when it happens (see `PageLimiter`); this hostio only
            // costs its base price, as the SDK calls it with 0 to keep the import alive.
            let _ = pages;
            charge(&mut c, hostio_fuel(0))
        },
    )?;

    // --- console (debug builds of contracts) -----------------------------------------------
    const CONSOLE: &str = "console";
    linker.func_wrap(
        CONSOLE,
        "log_txt",
        |mut c: C, ptr: i32, len: i32| -> Result<(), Error> {
            let bytes = read(&mut c, ptr, len as u32 as usize)?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            c.data_mut().console.push(text);
            Ok(())
        },
    )?;
    linker.func_wrap(CONSOLE, "log_i32", |mut c: C, v: i32| {
        c.data_mut().console.push(v.to_string());
    })?;
    linker.func_wrap(CONSOLE, "log_i64", |mut c: C, v: i64| {
        c.data_mut().console.push(v.to_string());
    })?;
    linker.func_wrap(CONSOLE, "log_f32", |mut c: C, v: f32| {
        c.data_mut().console.push(v.to_string());
    })?;
    linker.func_wrap(CONSOLE, "log_f64", |mut c: C, v: f64| {
        c.data_mut().console.push(v.to_string());
    })?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn call_hostio(
    c: &mut C,
    kind: CallKind,
    to: i32,
    data: i32,
    len: i32,
    value: Option<i32>,
    gas: i64,
    ret_len: i32,
) -> Result<i32, Error> {
    let len = len as u32 as usize;
    charge(c, hostio_fuel(len + 52))?;
    let to = read_address(c, to)?;
    let input = Bytes::from(read(c, data, len)?);
    let value = match value {
        Some(ptr) => U256::from_be_bytes(read_word(c, ptr)?.0),
        None => U256::ZERO,
    };
    if kind == CallKind::Call && c.data().env.is_static && !value.is_zero() {
        return Err(fail(c, "value transfer in a static call"));
    }
    Err(suspend(
        c,
        Request::Call {
            kind,
            to,
            input,
            value,
            gas: gas as u64,
            ret_len_ptr: ret_len as u32,
        },
    ))
}

fn create_hostio(
    c: &mut C,
    code: i32,
    len: i32,
    value: i32,
    salt: Option<i32>,
    addr: i32,
    ret_len: i32,
) -> Result<(), Error> {
    let len = len as u32 as usize;
    charge(c, hostio_fuel(len + 64))?;
    if c.data().env.is_static {
        return Err(fail(c, "create in a static call"));
    }
    let code = Bytes::from(read(c, code, len)?);
    let value = U256::from_be_bytes(read_word(c, value)?.0);
    let salt = match salt {
        Some(ptr) => Some(read_word(c, ptr)?),
        None => None,
    };
    Err(suspend(
        c,
        Request::Create {
            code,
            value,
            salt,
            addr_ptr: addr as u32,
            ret_len_ptr: ret_len as u32,
        },
    ))
}
