//! The `vm_hooks` host functions (stylus-sdk 0.10 hostio ABI) over a [`wasmi::Store`].
//!
//! Host functions that only need the frame's own data (arguments, msg/tx/block values, the
//! storage cache, return data, logs, keccak) run inline. Those that need chain state
//! (storage misses, balances, code, transient storage) or a child frame (calls, creates) record a
//! [`Request`] in [`HostData::request`] and return a [`Suspend`] host error: wasmi suspends the
//! program as a resumable call, the frame services the request against revm's journal (or runs
//! the child frame through revm's frame loop), writes results into wasm memory and resumes.

use crate::gas::{self, gas_to_ink, ink_to_gas, keccak_price, read_price, write_price, EVM_API_INK, HOSTIO_INK, PTR_INK};
use alloy_primitives::{keccak256, Address, Bytes, Log, LogData, B256, U256};
use std::collections::BTreeMap;
use wasmi::{AsContext, AsContextMut, Caller, Error, Global, Linker, Memory, ResourceLimiter, Val};
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
    /// A load that missed the cache; `tier` is its share of nitro's tiered read fee.
    SLoad {
        key: B256,
        dest: u32,
        tier: u64,
    },
    /// Memory pages paid for ahead of a `memory.grow` (`pay_for_memory_grow` with pages).
    Pages {
        pages: u16,
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
    /// The instrumented program's ink and status globals (see [`super::meter`]).
    pub ink: Option<Global>,
    pub status: Option<Global>,
    /// Storage loads and cached writes so far, for nitro's tiered fees.
    pub loads: u64,
    pub writes: u64,
    /// The address `account_code` read last: reading it again costs no EVM gas.
    pub last_code: Option<Address>,
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
            ink: None,
            status: None,
            loads: 0,
            writes: 0,
            last_code: None,
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

/// The ink left, in the program's ink global.
pub(crate) fn ink_left(ctx: impl AsContext<Data = HostData>) -> u64 {
    let ctx = ctx.as_context();
    ctx.data().ink.and_then(|g| g.get(&ctx).i64()).map_or(0, |v| v as u64)
}

/// Sets the ink left.
pub(crate) fn set_ink(mut ctx: impl AsContextMut<Data = HostData>, ink: u64) {
    let mut ctx = ctx.as_context_mut();
    if let Some(g) = ctx.data().ink {
        let _ = g.set(&mut ctx, Val::I64(ink as i64));
    }
}

/// Runs out of ink: the ink is gone and the status says so (nitro's `Exhausted`).
fn exhaust(mut ctx: impl AsContextMut<Data = HostData>) {
    let mut ctx = ctx.as_context_mut();
    set_ink(&mut ctx, 0);
    if let Some(g) = ctx.data().status {
        let _ = g.set(&mut ctx, Val::I32(1));
    }
}

/// Pays `ink` out of the ink left; false (and out of ink) when it does not fit.
pub(crate) fn pay_ink(mut ctx: impl AsContextMut<Data = HostData>, ink: u64) -> bool {
    let left = ink_left(&ctx);
    if left < ink {
        exhaust(&mut ctx);
        return false;
    }
    set_ink(&mut ctx, left - ink);
    true
}

/// Pays `ink`, or stops the program out of gas.
fn buy_ink(c: &mut C, ink: u64) -> Result<(), Error> {
    if !pay_ink(&mut *c, ink) {
        return Err(suspend(c, Request::Abort(Abort::OutOfGas)));
    }
    Ok(())
}

/// Pays `gas` (as ink).
fn buy_gas(c: &mut C, gas: u64) -> Result<(), Error> {
    buy_ink(c, gas_to_ink(gas))
}

/// Fails out of ink unless `gas` is left, without paying it (nitro's `require_gas`).
fn require_gas(c: &mut C, gas: u64) -> Result<(), Error> {
    if ink_left(&*c) < gas_to_ink(gas) {
        exhaust(&mut *c);
        return Err(suspend(c, Request::Abort(Abort::OutOfGas)));
    }
    Ok(())
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

/// Registers every `vm_hooks` import of stylus-sdk 0.10 (plus nitro's `exit_early`, transient
/// storage and math hostios) and the `console` debug imports, each priced as nitro prices it
/// (see [`crate::gas`]); the `call` of the import itself is paid by the caller's block.
pub fn define_hostios(linker: &mut Linker<HostData>) -> Result<(), wasmi::errors::LinkerError> {
    const VM: &str = "vm_hooks";

    linker.func_wrap(
        VM,
        "read_args",
        |mut c: C, dest: i32| -> Result<(), Error> {
            let len = c.data().args.len() as u64;
            buy_ink(&mut c, HOSTIO_INK + write_price(len))?;
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
            // read from wasm, then again by the EVM
            buy_ink(&mut c, HOSTIO_INK + 2 * read_price(len as u64))?;
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
            buy_ink(&mut c, HOSTIO_INK + 2 * PTR_INK)?;
            require_gas(&mut c, gas::COLD_SLOAD_GAS + gas::REQUIRED_ACCESS_GAS + ink_to_gas(EVM_API_INK))?;
            let key = read_word(&mut c, key)?;
            c.data_mut().loads += 1;
            let tier = gas::storage_read_gas(c.data().loads);
            if let Some(slot) = c.data().cache.get(&key).copied() {
                buy_gas(&mut c, tier)?;
                return write(&mut c, dest, slot.value.as_slice());
            }
            Err(suspend(
                &mut c,
                Request::SLoad {
                    key,
                    dest: dest as u32,
                    tier,
                },
            ))
        },
    )?;
    linker.func_wrap(
        VM,
        "storage_cache_bytes32",
        |mut c: C, key: i32, value: i32| -> Result<(), Error> {
            buy_ink(&mut c, HOSTIO_INK + 2 * PTR_INK)?;
            require_gas(&mut c, gas::SSTORE_SENTRY_GAS + gas::REQUIRED_ACCESS_GAS)?;
            let key = read_word(&mut c, key)?;
            let value = read_word(&mut c, value)?;
            c.data_mut().writes += 1;
            let tier = gas::storage_write_gas(c.data().writes);
            buy_gas(&mut c, tier)?;
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
            buy_ink(&mut c, HOSTIO_INK + EVM_API_INK)?;
            require_gas(&mut c, gas::SSTORE_SENTRY_GAS)?;
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
            buy_ink(&mut c, HOSTIO_INK + 2 * PTR_INK + EVM_API_INK)?;
            buy_gas(&mut c, gas::TRANSIENT_GAS)?;
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
            buy_ink(&mut c, HOSTIO_INK + 2 * PTR_INK + EVM_API_INK)?;
            buy_gas(&mut c, gas::TRANSIENT_GAS)?;
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
            // pays for as many bytes as could be written
            let max = total.saturating_sub(offset);
            buy_ink(&mut c, HOSTIO_INK + EVM_API_INK + write_price(size.min(max) as u64))?;
            let start = offset.min(total);
            let end = offset.saturating_add(size).min(total);
            let chunk = c.data().return_data[start..end].to_vec();
            if !chunk.is_empty() {
                write(&mut c, dest, &chunk)?;
            }
            Ok(chunk.len() as i32)
        },
    )?;
    linker.func_wrap(VM, "return_data_size", |mut c: C| -> Result<i32, Error> {
        buy_ink(&mut c, HOSTIO_INK)?;
        Ok(c.data().return_data.len() as i32)
    })?;

    // --- logs and hashing ------------------------------------------------------------------
    linker.func_wrap(
        VM,
        "emit_log",
        |mut c: C, data: i32, len: i32, topics: i32| -> Result<(), Error> {
            let len = len as u32 as usize;
            let topics = topics as u32 as usize;
            buy_ink(&mut c, HOSTIO_INK + EVM_API_INK)?;
            if topics > 4 || len < topics * 32 {
                return Err(fail(&mut c, "emit_log: bad topic count"));
            }
            let payload = (len - topics * 32) as u64;
            buy_ink(&mut c, read_price(len as u64))?;
            buy_gas(&mut c, 375 + 375 * topics as u64 + 8 * payload)?;
            if c.data().env.is_static {
                return Err(fail(&mut c, "emit_log in a static call"));
            }
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
            buy_ink(&mut c, keccak_price(len as u64))?;
            let bytes = read(&mut c, data, len)?;
            write(&mut c, out, keccak256(&bytes).as_slice())
        },
    )?;

    // --- math ------------------------------------------------------------------------------
    fn read_u256(c: &mut C, ptr: i32) -> Result<U256, Error> {
        Ok(U256::from_be_bytes(read_word(c, ptr)?.0))
    }
    fn put_u256(c: &mut C, ptr: i32, value: U256) -> Result<(), Error> {
        write(c, ptr, &value.to_be_bytes::<32>())
    }
    linker.func_wrap(VM, "math_div", |mut c: C, value: i32, divisor: i32| -> Result<(), Error> {
        buy_ink(&mut c, HOSTIO_INK + 3 * PTR_INK + gas::DIV_INK)?;
        let (a, b) = (read_u256(&mut c, value)?, read_u256(&mut c, divisor)?);
        put_u256(&mut c, value, a.checked_div(b).unwrap_or_default())
    })?;
    linker.func_wrap(VM, "math_mod", |mut c: C, value: i32, modulus: i32| -> Result<(), Error> {
        buy_ink(&mut c, HOSTIO_INK + 3 * PTR_INK + gas::DIV_INK)?;
        let (a, b) = (read_u256(&mut c, value)?, read_u256(&mut c, modulus)?);
        put_u256(&mut c, value, a.checked_rem(b).unwrap_or_default())
    })?;
    linker.func_wrap(VM, "math_pow", |mut c: C, value: i32, exponent: i32| -> Result<(), Error> {
        buy_ink(&mut c, HOSTIO_INK + 3 * PTR_INK)?;
        let (a, b) = (read_u256(&mut c, value)?, read_u256(&mut c, exponent)?);
        buy_ink(&mut c, gas::pow_price(&b.to_be_bytes::<32>()))?;
        put_u256(&mut c, value, a.wrapping_pow(b))
    })?;
    linker.func_wrap(
        VM,
        "math_add_mod",
        |mut c: C, value: i32, addend: i32, modulus: i32| -> Result<(), Error> {
            buy_ink(&mut c, HOSTIO_INK + 4 * PTR_INK + gas::ADD_MOD_INK)?;
            let (a, b, m) = (read_u256(&mut c, value)?, read_u256(&mut c, addend)?, read_u256(&mut c, modulus)?);
            put_u256(&mut c, value, a.add_mod(b, m))
        },
    )?;
    linker.func_wrap(
        VM,
        "math_mul_mod",
        |mut c: C, value: i32, multiplier: i32, modulus: i32| -> Result<(), Error> {
            buy_ink(&mut c, HOSTIO_INK + 4 * PTR_INK + gas::MUL_MOD_INK)?;
            let (a, b, m) = (read_u256(&mut c, value)?, read_u256(&mut c, multiplier)?, read_u256(&mut c, modulus)?);
            put_u256(&mut c, value, a.mul_mod(b, m))
        },
    )?;

    // --- accounts --------------------------------------------------------------------------
    linker.func_wrap(
        VM,
        "account_balance",
        |mut c: C, address: i32, dest: i32| -> Result<(), Error> {
            buy_ink(&mut c, HOSTIO_INK + 2 * PTR_INK + EVM_API_INK)?;
            require_gas(&mut c, gas::COLD_ACCOUNT_GAS)?;
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
            buy_ink(&mut c, HOSTIO_INK + 2 * PTR_INK + EVM_API_INK)?;
            require_gas(&mut c, gas::COLD_ACCOUNT_GAS)?;
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
            buy_ink(&mut c, HOSTIO_INK + EVM_API_INK)?;
            require_gas(&mut c, gas::COLD_ACCOUNT_GAS)?;
            let address = read_address(&mut c, address)?;
            Err(suspend(&mut c, Request::CodeSize { address }))
        },
    )?;
    linker.func_wrap(
        VM,
        "account_code",
        |mut c: C, address: i32, offset: i32, size: i32, dest: i32| -> Result<i32, Error> {
            buy_ink(&mut c, HOSTIO_INK + EVM_API_INK)?;
            require_gas(&mut c, gas::COLD_ACCOUNT_GAS)?;
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
        buy_ink(c, HOSTIO_INK + PTR_INK)?;
        write(c, ptr, &word)
    }
    fn put_address(c: &mut C, ptr: i32, address: Address) -> Result<(), Error> {
        buy_ink(c, HOSTIO_INK + PTR_INK)?;
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
        buy_ink(&mut c, HOSTIO_INK)?;
        Ok(c.data().env.chain_id as i64)
    })?;
    linker.func_wrap(VM, "block_gas_limit", |mut c: C| -> Result<i64, Error> {
        buy_ink(&mut c, HOSTIO_INK)?;
        Ok(c.data().env.block_gas_limit as i64)
    })?;
    linker.func_wrap(VM, "block_number", |mut c: C| -> Result<i64, Error> {
        buy_ink(&mut c, HOSTIO_INK)?;
        Ok(c.data().env.block_number as i64)
    })?;
    linker.func_wrap(VM, "block_timestamp", |mut c: C| -> Result<i64, Error> {
        buy_ink(&mut c, HOSTIO_INK)?;
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
        buy_ink(&mut c, HOSTIO_INK)?;
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
        buy_ink(&mut c, HOSTIO_INK)?;
        Ok(gas::INK_PRICE as i32)
    })?;
    linker.func_wrap(VM, "evm_gas_left", |mut c: C| -> Result<i64, Error> {
        buy_ink(&mut c, HOSTIO_INK)?;
        Ok(ink_to_gas(ink_left(&c)) as i64)
    })?;
    linker.func_wrap(VM, "evm_ink_left", |mut c: C| -> Result<i64, Error> {
        buy_ink(&mut c, HOSTIO_INK)?;
        Ok(ink_left(&c) as i64)
    })?;
    linker.func_wrap(
        VM,
        "pay_for_memory_grow",
        |mut c: C, pages: i32| -> Result<(), Error> {
            // The SDK calls it with 0 at entry to keep the import: that costs the base price.
            // With pages, nitro charges the memory model alone (growth by `memory.grow` is
            // charged the same way, by the frame, see `PageLimiter`).
            let pages = pages as u32;
            if pages == 0 {
                return buy_ink(&mut c, HOSTIO_INK);
            }
            Err(suspend(&mut c, Request::Pages { pages: pages.min(u32::from(u16::MAX)) as u16 }))
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
    // the calldata is read from wasm, then again by the EVM
    buy_ink(c, HOSTIO_INK + 3 * PTR_INK + EVM_API_INK + 2 * read_price(len as u64))?;
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
    let pointers = if salt.is_some() { 4 } else { 3 };
    buy_ink(c, HOSTIO_INK + pointers * PTR_INK + EVM_API_INK + 2 * read_price(len as u64))?;
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
