//! A Stylus program as a frame of revm's frame loop.
//!
//! Life cycle, driven by [`crate::evm::DevEvm`]'s `EvmTr` implementation:
//! 1. `init`: journal checkpoint, value transfer, activation check, instantiation (nothing runs).
//! 2. `run`: starts or resumes the wasm. Host requests that need the journal are serviced in a
//!    loop; a call or create hostio returns the child's `FrameInit` to revm, which runs the child
//!    (EVM or Stylus) as a normal frame above this one.
//! 3. `child_returned`: the child's outcome is written into wasm memory and the hostio's result
//!    is queued; the next `run` resumes the program.
//! 4. The program's status ends the frame: commit or revert the checkpoint, produce the
//!    `FrameResult` (output, gas left, refunds).

use super::host::{ink_left, pay_ink, set_ink, Abort, CachedSlot, CallKind, FrameEnv, HostData, Request, Suspend};
use super::meter::{INK_LEFT, INK_STATUS};
use super::StylusRuntime;
use crate::evm::{Ctx, DbError};
use crate::gas::{self, gas_to_ink, ink_to_gas};
use crate::precompiles::{activation, arbwasm};
use alloy_primitives::{Address, Bytes, B256, U256};
use revm::context_interface::CreateScheme;
use revm::context_interface::{
    journaled_state::JournalCheckpoint, Block, Cfg, ContextTr, JournalTr, Transaction,
};
use revm::handler::{FrameResult, ItemOrResult};
use revm::interpreter::{
    interpreter_action::FrameInit, CallInput, CallInputs, CallOutcome, CallScheme, CallValue,
    CreateInputs, CreateOutcome, FrameInput, Gas, InstructionResult, InterpreterResult,
    SharedMemory,
};
use revm::primitives::constants::CALL_STACK_LIMIT;
use wasmi::{Store, TypedFunc, TypedResumableCall, TypedResumableCallHostTrap, Val};

/// The transaction's wasm page accounting (see [`crate::gas::memory_gas`]): pages open now and
/// the most ever open at once.
#[derive(Debug, Default, Clone, Copy)]
pub struct TxPages {
    pub open: u16,
    pub ever: u16,
}

enum RunState {
    NotStarted,
    Suspended {
        inv: TypedResumableCallHostTrap<i32>,
        resume: Vec<Val>,
    },
    AwaitingChild {
        inv: TypedResumableCallHostTrap<i32>,
        pending: PendingChild,
    },
    Failed(Abort),
    Done,
}

#[derive(Clone, Copy)]
enum PendingChild {
    /// `stipend`: the call sent value, so the callee had the 2,300 gas stipend on top.
    Call { ret_len_ptr: u32, stipend: bool },
    Create { addr_ptr: u32, ret_len_ptr: u32 },
}

enum Outcome {
    Success,
    Revert,
    Abort(Abort),
}

/// A running (or suspended) Stylus program.
pub struct StylusFrame {
    store: Store<HostData>,
    entry: TypedFunc<i32, i32>,
    state: RunState,
    inputs: Box<CallInputs>,
    checkpoint: JournalCheckpoint,
    depth: usize,
    memory: SharedMemory,
    /// Pages this frame opened (closed again when it returns).
    pages: u16,
    /// Pages paid ahead by `pay_for_memory_grow`, not yet grown.
    prepaid: u16,
    refund: i64,
    finished: bool,
}

impl std::fmt::Debug for StylusFrame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StylusFrame")
            .field("contract", &self.inputs.target_address)
            .field("depth", &self.depth)
            .field("finished", &self.finished)
            .finish()
    }
}

fn early_result(inputs: &CallInputs, result: InstructionResult, output: Bytes) -> FrameResult {
    let gas = Gas::new_with_regular_gas_and_reservoir(inputs.gas_limit, inputs.reservoir);
    let mut outcome = CallOutcome::new(
        InterpreterResult {
            result,
            output,
            gas,
        },
        inputs.return_memory_offset.clone(),
    );
    outcome.charged_new_account_state_gas = inputs.charged_new_account_state_gas;
    FrameResult::Call(outcome)
}

impl StylusFrame {
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    pub fn contract(&self) -> Address {
        self.inputs.target_address
    }

    /// Console lines the program printed (debug builds of contracts).
    pub fn take_console(&mut self) -> Vec<String> {
        std::mem::take(&mut self.store.data_mut().console)
    }

    /// Prepares a frame for `inputs`, whose bytecode is a Stylus program.
    pub fn init(
        ctx: &mut Ctx,
        runtime: &mut StylusRuntime,
        pages: &mut TxPages,
        depth: usize,
        memory: SharedMemory,
        inputs: Box<CallInputs>,
        reentrant: bool,
    ) -> Result<ItemOrResult<Box<StylusFrame>, FrameResult>, DbError> {
        if depth > CALL_STACK_LIMIT as usize {
            return Ok(ItemOrResult::Result(early_result(
                &inputs,
                InstructionResult::CallTooDeep,
                Bytes::new(),
            )));
        }
        let checkpoint = ctx.journal_mut().checkpoint();
        if let CallValue::Transfer(value) = inputs.value {
            if let Some(err) =
                ctx.journal_mut()
                    .transfer(inputs.caller, inputs.target_address, value)?
            {
                ctx.journal_mut().checkpoint_revert(checkpoint);
                return Ok(ItemOrResult::Result(early_result(
                    &inputs,
                    err.into(),
                    Bytes::new(),
                )));
            }
        }
        let (codehash, bytecode) = inputs.known_bytecode.clone();
        let code = bytecode.original_bytes();
        let codehash = if codehash == B256::ZERO {
            alloy_primitives::keccak256(&code)
        } else {
            codehash
        };
        let Some(record) = activation(ctx, codehash)? else {
            ctx.journal_mut().checkpoint_revert(checkpoint);
            return Ok(ItemOrResult::Result(early_result(
                &inputs,
                InstructionResult::Revert,
                arbwasm::program_not_activated(),
            )));
        };
        let (module, info) = match runtime.load(ctx, codehash, &code)? {
            Ok(m) => m,
            Err(_) => {
                ctx.journal_mut().checkpoint_revert(checkpoint);
                return Ok(ItemOrResult::Result(early_result(
                    &inputs,
                    InstructionResult::Revert,
                    arbwasm::program_not_wasm(),
                )));
            }
        };

        // The call pays for the program's memory and its init before any of it runs (nitro's
        // `CallProgram`): the cached init cost if the chain caches it (ArbWasmCache) or it ran
        // in this block already (and always, from Stylus version 2), the full init cost if not.
        let block = ctx.block().number().saturating_to::<u64>();
        let recent = runtime.recent.touch(block, codehash);
        let cached = record.cached || recent;
        let call_cost = gas::memory_gas(info.footprint, pages.open, pages.ever)
            .saturating_add(info.init_gas(record.version, cached));

        let env = frame_env(ctx, &inputs, reentrant);
        let args = inputs.input.as_bytes(&*ctx).to_vec();
        let mut store = Store::new(&runtime.engine, HostData::new(env, args));
        store.limiter(|d| &mut d.limiter);
        let instance = match runtime.linker.instantiate_and_start(&mut store, &module) {
            Ok(i) => i,
            Err(_) => {
                ctx.journal_mut().checkpoint_revert(checkpoint);
                return Ok(ItemOrResult::Result(early_result(
                    &inputs,
                    InstructionResult::Revert,
                    Bytes::new(),
                )));
            }
        };
        let mem = instance
            .get_memory(&store, "memory")
            .expect("validated at activation");
        let entry = instance
            .get_typed_func::<i32, i32>(&store, "user_entrypoint")
            .expect("validated at activation");
        store.data_mut().memory = Some(mem);
        store.data_mut().limiter.grown = 0;
        store.data_mut().ink = instance.get_global(&store, INK_LEFT);
        store.data_mut().status = instance.get_global(&store, INK_STATUS);
        let affordable = call_cost <= inputs.gas_limit;
        set_ink(&mut store, gas_to_ink(inputs.gas_limit.saturating_sub(call_cost)));
        pages.open = pages.open.saturating_add(info.footprint);
        pages.ever = pages.ever.max(pages.open);

        let mut frame = Box::new(StylusFrame {
            store,
            entry,
            state: RunState::NotStarted,
            inputs,
            checkpoint,
            depth,
            memory,
            pages: info.footprint,
            prepaid: 0,
            refund: 0,
            finished: false,
        });
        if !affordable {
            frame.state = RunState::Failed(Abort::OutOfGas);
        }
        Ok(ItemOrResult::Item(frame))
    }

    /// Opens `new` pages (grown by the program), paying the memory model for those not paid
    /// ahead; false when out of gas.
    fn open_pages(&mut self, pages: &mut TxPages, new: u16) -> bool {
        let prepaid = new.min(self.prepaid);
        self.prepaid -= prepaid;
        self.pay_pages(pages, new - prepaid)
    }

    /// Pays the memory model for `new` more pages and counts them open.
    fn pay_pages(&mut self, pages: &mut TxPages, new: u16) -> bool {
        if new == 0 {
            return true;
        }
        let cost = gas::memory_gas(new, pages.open, pages.ever);
        pages.open = pages.open.saturating_add(new);
        pages.ever = pages.ever.max(pages.open);
        self.pages = self.pages.saturating_add(new);
        self.buy_gas(cost)
    }

    /// Gas left (the ink left, rounded down).
    fn gas_left(&self) -> u64 {
        ink_to_gas(ink_left(&self.store))
    }

    /// Pays `gas` out of the ink left; false (and out of ink) when it does not fit.
    fn buy_gas(&mut self, gas: u64) -> bool {
        self.buy_ink(gas_to_ink(gas))
    }

    /// Pays `ink` out of the ink left; false (and out of ink) when it does not fit.
    fn buy_ink(&mut self, ink: u64) -> bool {
        pay_ink(&mut self.store, ink)
    }

    /// Gives `gas` back (what a child frame did not use).
    fn credit_gas(&mut self, gas: u64) {
        let left = ink_left(&self.store);
        set_ink(&mut self.store, left.saturating_add(gas_to_ink(gas)));
    }

    /// Whether the program trapped because it ran out of ink (its status global says so).
    fn out_of_ink(&self) -> bool {
        self.store.data().status.and_then(|g| g.get(&self.store).i32()) == Some(1)
    }

    fn write_mem(&mut self, ptr: u32, data: &[u8]) -> Result<(), Abort> {
        let mem = self.store.data().memory.expect("set at init");
        mem.write(&mut self.store, ptr as usize, data)
            .map_err(|_| Abort::Failure("hostio write out of bounds".into()))
    }

    /// Starts or resumes the program until it finishes or needs a child frame.
    pub fn run(
        &mut self,
        ctx: &mut Ctx,
        pages: &mut TxPages,
    ) -> Result<ItemOrResult<FrameInit, FrameResult>, DbError> {
        loop {
            let step = match std::mem::replace(&mut self.state, RunState::Done) {
                RunState::NotStarted => {
                    let len = self.store.data().args.len() as i32;
                    self.entry.call_resumable(&mut self.store, len)
                }
                RunState::Suspended { inv, resume } => inv.resume(&mut self.store, &resume),
                RunState::Failed(abort) => {
                    return Ok(ItemOrResult::Result(self.finish(
                        ctx,
                        pages,
                        Outcome::Abort(abort),
                    )))
                }
                RunState::AwaitingChild { .. } | RunState::Done => {
                    unreachable!("a Stylus frame runs only when it is ready")
                }
            };
            let grown = std::mem::take(&mut self.store.data_mut().limiter.grown);
            if !self.open_pages(pages, grown.min(u32::from(u16::MAX)) as u16) {
                return Ok(ItemOrResult::Result(self.finish(
                    ctx,
                    pages,
                    Outcome::Abort(Abort::OutOfGas),
                )));
            }
            let inv = match step {
                Ok(TypedResumableCall::Finished(status)) => {
                    let outcome = if status == 0 {
                        Outcome::Success
                    } else {
                        Outcome::Revert
                    };
                    return Ok(ItemOrResult::Result(self.finish(ctx, pages, outcome)));
                }
                Ok(TypedResumableCall::OutOfFuel(_)) => {
                    return Ok(ItemOrResult::Result(self.finish(
                        ctx,
                        pages,
                        Outcome::Abort(Abort::OutOfGas),
                    )));
                }
                Ok(TypedResumableCall::HostTrap(inv)) => inv,
                Err(err) => {
                    let outcome = match self.store.data_mut().request.take() {
                        Some(Request::Abort(a)) => Outcome::Abort(a),
                        _ if self.out_of_ink() => Outcome::Abort(Abort::OutOfGas),
                        _ if err.as_trap_code() == Some(wasmi::TrapCode::OutOfFuel) => {
                            Outcome::Abort(Abort::OutOfGas)
                        }
                        _ => Outcome::Abort(Abort::Failure(err.to_string())),
                    };
                    return Ok(ItemOrResult::Result(self.finish(ctx, pages, outcome)));
                }
            };
            debug_assert!(inv.host_error().downcast_ref::<Suspend>().is_some());
            let Some(request) = self.store.data_mut().request.take() else {
                let outcome = Outcome::Abort(Abort::Failure("host trap without request".into()));
                return Ok(ItemOrResult::Result(self.finish(ctx, pages, outcome)));
            };
            match self.service(ctx, pages, request)? {
                Serviced::Resume(resume) => self.state = RunState::Suspended { inv, resume },
                Serviced::Child(init, pending) => {
                    self.state = RunState::AwaitingChild { inv, pending };
                    return Ok(ItemOrResult::Item(init));
                }
                Serviced::Exit(status) => {
                    let outcome = if status == 0 {
                        Outcome::Success
                    } else {
                        Outcome::Revert
                    };
                    return Ok(ItemOrResult::Result(self.finish(ctx, pages, outcome)));
                }
                Serviced::Abort(abort) => {
                    return Ok(ItemOrResult::Result(self.finish(
                        ctx,
                        pages,
                        Outcome::Abort(abort),
                    )));
                }
            }
        }
    }

    fn flush_storage(&mut self, ctx: &mut Ctx, clear: bool) -> Result<Result<(), Abort>, DbError> {
        let contract = self.store.data().env.contract;
        let dirty: Vec<(B256, B256)> = self
            .store
            .data()
            .cache
            .iter()
            .filter(|(_, s)| s.dirty)
            .map(|(k, s)| (*k, s.value))
            .collect();
        if !dirty.is_empty() {
            if self.store.data().env.is_static {
                return Ok(Err(Abort::Failure("storage write in a static call".into())));
            }
            let params = ctx.cfg().gas_params().clone();
            ctx.journal_mut().load_account(contract)?;
            for (key, value) in dirty {
                let r = ctx
                    .journal_mut()
                    .sstore(contract, key.into(), value.into())?;
                let cost = gas::storage_store_gas(
                    r.is_cold,
                    &r.data.original_value.to_be_bytes(),
                    &r.data.present_value.to_be_bytes(),
                    &r.data.new_value.to_be_bytes(),
                );
                self.refund += params.sstore_refund(true, &r.data);
                if !self.buy_gas(cost) {
                    return Ok(Err(Abort::OutOfGas));
                }
                self.store.data_mut().cache.insert(
                    key,
                    CachedSlot {
                        value,
                        dirty: false,
                    },
                );
            }
        }
        if clear {
            self.store.data_mut().cache.clear();
        }
        Ok(Ok(()))
    }

    fn flush_logs(&mut self, ctx: &mut Ctx) {
        for log in std::mem::take(&mut self.store.data_mut().logs) {
            ctx.journal_mut().log(log);
        }
    }

    /// An account touch (`WasmAccountTouchCost`): cold or warm, plus 700 when it reads code.
    fn touch_cost(is_cold: bool, with_code: bool) -> u64 {
        let access = if is_cold { gas::COLD_ACCOUNT_GAS } else { gas::WARM_ACCESS_GAS };
        access + if with_code { gas::CODE_ACCESS_GAS } else { 0 }
    }

    /// The EVM gas of reading `address`'s code: nothing when it is the address read last.
    fn code_touch(&mut self, address: Address, is_cold: bool) -> u64 {
        let again = self.store.data().last_code == Some(address);
        self.store.data_mut().last_code = Some(address);
        if again {
            0
        } else {
            Self::touch_cost(is_cold, true)
        }
    }

    fn service(&mut self, ctx: &mut Ctx, pages: &mut TxPages, request: Request) -> Result<Serviced, DbError> {
        let contract = self.store.data().env.contract;
        macro_rules! try_abort {
            ($e:expr) => {
                match $e {
                    Ok(v) => v,
                    Err(abort) => return Ok(Serviced::Abort(abort)),
                }
            };
        }
        macro_rules! charge_gas {
            ($gas:expr) => {
                if !self.buy_gas($gas) {
                    return Ok(Serviced::Abort(Abort::OutOfGas));
                }
            };
        }
        Ok(match request {
            Request::Abort(a) => Serviced::Abort(a),
            Request::Exit { status } => Serviced::Exit(status),
            Request::Pages { pages: new } => {
                if !self.pay_pages(pages, new) {
                    return Ok(Serviced::Abort(Abort::OutOfGas));
                }
                self.prepaid = self.prepaid.saturating_add(new);
                Serviced::Resume(vec![])
            }
            Request::SLoad { key, dest, tier } => {
                ctx.journal_mut().load_account(contract)?;
                let load = ctx.journal_mut().sload(contract, key.into())?;
                charge_gas!(tier + gas::storage_load_gas(load.is_cold));
                let value = B256::from(load.data);
                self.store.data_mut().cache.insert(
                    key,
                    CachedSlot {
                        value,
                        dirty: false,
                    },
                );
                try_abort!(self.write_mem(dest, value.as_slice()));
                Serviced::Resume(vec![])
            }
            Request::Flush { clear } => {
                try_abort!(self.flush_storage(ctx, clear)?);
                Serviced::Resume(vec![])
            }
            Request::TLoad { key, dest } => {
                let value = ctx.journal_mut().tload(contract, key.into());
                try_abort!(self.write_mem(dest, &value.to_be_bytes::<32>()));
                Serviced::Resume(vec![])
            }
            Request::TStore { key, value } => {
                ctx.journal_mut().tstore(contract, key.into(), value.into());
                Serviced::Resume(vec![])
            }
            Request::Balance { address, dest } => {
                let acc = ctx.journal_mut().load_account(address)?;
                let (balance, is_cold) = (acc.data.info.balance, acc.is_cold);
                charge_gas!(Self::touch_cost(is_cold, false));
                try_abort!(self.write_mem(dest, &balance.to_be_bytes::<32>()));
                Serviced::Resume(vec![])
            }
            Request::CodeHash { address, dest } => {
                let hash = ctx.journal_mut().code_hash(address)?;
                charge_gas!(Self::touch_cost(hash.is_cold, false));
                try_abort!(self.write_mem(dest, hash.data.as_slice()));
                Serviced::Resume(vec![])
            }
            Request::CodeSize { address } => {
                let code = ctx.journal_mut().code(address)?;
                let cost = self.code_touch(address, code.is_cold);
                charge_gas!(cost);
                Serviced::Resume(vec![Val::I32(code.data.len() as i32)])
            }
            Request::Code {
                address,
                offset,
                size,
                dest,
            } => {
                let code = ctx.journal_mut().code(address)?;
                let cost = self.code_touch(address, code.is_cold);
                charge_gas!(cost);
                // the whole code crosses into the program's host, whatever slice is copied
                if !self.buy_ink(gas::write_price(code.data.len() as u64)) {
                    return Ok(Serviced::Abort(Abort::OutOfGas));
                }
                let bytes = &code.data;
                let start = (offset as usize).min(bytes.len());
                let end = (offset as usize)
                    .saturating_add(size as usize)
                    .min(bytes.len());
                let chunk = bytes[start..end].to_vec();
                try_abort!(self.write_mem(dest, &chunk));
                Serviced::Resume(vec![Val::I32(chunk.len() as i32)])
            }
            Request::Call {
                kind,
                to,
                input,
                value,
                gas,
                ret_len_ptr,
            } => {
                try_abort!(self.flush_storage(ctx, true)?);
                self.flush_logs(ctx);
                let acc = ctx.journal_mut().load_account_with_code(to)?;
                let is_cold = acc.is_cold;
                let is_empty = acc.data.is_empty();
                let code_hash = acc.data.info.code_hash;
                let code = acc.data.info.code.clone().unwrap_or_default();
                // nitro's `doCall`: the access and value costs, then 63/64 of what is left (at
                // most what the program asked for), plus the stipend when value is sent.
                let transfers = kind == CallKind::Call && !value.is_zero();
                charge_gas!(gas::call_cost(is_cold, transfers, is_empty));
                let child = gas.min(self.gas_left().saturating_mul(63) / 64);
                charge_gas!(child);
                let child_gas = if transfers { child + revm::interpreter::gas::CALL_STIPEND } else { child };
                let env = &self.store.data().env;
                let (target, caller, call_value, scheme) = match kind {
                    CallKind::Call => (to, contract, CallValue::Transfer(value), CallScheme::Call),
                    CallKind::Static => (
                        to,
                        contract,
                        CallValue::Transfer(U256::ZERO),
                        CallScheme::StaticCall,
                    ),
                    CallKind::Delegate => (
                        contract,
                        env.sender,
                        CallValue::Apparent(env.value),
                        CallScheme::DelegateCall,
                    ),
                };
                let inputs = CallInputs {
                    input: CallInput::Bytes(input),
                    return_memory_offset: 0..0,
                    gas_limit: child_gas,
                    reservoir: 0,
                    bytecode_address: to,
                    known_bytecode: (code_hash, code),
                    target_address: target,
                    caller,
                    value: call_value,
                    scheme,
                    is_static: env.is_static || kind == CallKind::Static,
                    charged_new_account_state_gas: false,
                };
                let init = FrameInit {
                    depth: self.depth + 1,
                    memory: self.memory.new_child_context(),
                    frame_input: FrameInput::Call(Box::new(inputs)),
                };
                Serviced::Child(init, PendingChild::Call { ret_len_ptr, stipend: transfers })
            }
            Request::Create {
                code,
                value,
                salt,
                addr_ptr,
                ret_len_ptr,
            } => {
                try_abort!(self.flush_storage(ctx, true)?);
                self.flush_logs(ctx);
                if code.len() > ctx.cfg().max_initcode_size() {
                    return Ok(Serviced::Abort(Abort::Failure(
                        "init code too large".into(),
                    )));
                }
                // nitro's `create`: 32,000 (and the hashing of CREATE2's code), then all but
                // a 64th of what is left goes to the child.
                let words = (code.len() as u64).div_ceil(32);
                let mut base = 32_000;
                if salt.is_some() {
                    base += 6 * words;
                }
                charge_gas!(base);
                let rest = self.gas_left();
                let child_gas = rest - rest / 64;
                charge_gas!(child_gas);
                let scheme = match salt {
                    Some(salt) => CreateScheme::Create2 { salt: salt.into() },
                    None => CreateScheme::Create,
                };
                let inputs = CreateInputs::new(contract, scheme, value, code, child_gas, 0);
                let init = FrameInit {
                    depth: self.depth + 1,
                    memory: self.memory.new_child_context(),
                    frame_input: FrameInput::Create(Box::new(inputs)),
                };
                Serviced::Child(
                    init,
                    PendingChild::Create {
                        addr_ptr,
                        ret_len_ptr,
                    },
                )
            }
        })
    }

    /// Feeds a finished child's outcome back into the suspended program.
    pub fn child_returned(&mut self, result: FrameResult) {
        self.memory.free_child_context();
        let RunState::AwaitingChild { inv, pending } =
            std::mem::replace(&mut self.state, RunState::Done)
        else {
            unreachable!("a child returned to a Stylus frame that did not call");
        };
        let ir = result.instruction_result();
        let gas = *result.gas();
        self.credit_gas(gas.remaining());
        if ir.is_ok() {
            self.refund += gas.refunded();
        }
        // The stipend came on top of what the program paid: what the callee used of it is the
        // program's to pay now.
        if let PendingChild::Call { stipend: true, .. } = pending {
            if !self.buy_gas(revm::interpreter::gas::CALL_STIPEND) {
                self.state = RunState::Failed(Abort::OutOfGas);
                return;
            }
        }
        let write = match (pending, result) {
            (PendingChild::Call { ret_len_ptr, .. }, FrameResult::Call(outcome)) => {
                let output = outcome.result.output.to_vec();
                let len = output.len() as u32;
                self.store.data_mut().return_data = output;
                let status = if ir.is_ok() { 0 } else { 1 };
                self.write_mem(ret_len_ptr, &len.to_le_bytes())
                    .map(|_| vec![Val::I32(status)])
            }
            (
                PendingChild::Create {
                    addr_ptr,
                    ret_len_ptr,
                },
                FrameResult::Create(outcome),
            ) => {
                let address = if ir.is_ok() {
                    outcome.address.unwrap_or_default()
                } else {
                    Address::ZERO
                };
                let data = if ir == InstructionResult::Revert {
                    outcome.result.output.to_vec()
                } else {
                    Vec::new()
                };
                let len = data.len() as u32;
                self.store.data_mut().return_data = data;
                self.write_mem(addr_ptr, address.as_slice())
                    .and_then(|_| self.write_mem(ret_len_ptr, &len.to_le_bytes()))
                    .map(|_| vec![])
            }
            _ => Err(Abort::Failure("child result of the wrong kind".into())),
        };
        self.state = match write {
            Ok(resume) => RunState::Suspended { inv, resume },
            Err(abort) => RunState::Failed(abort),
        };
    }

    fn finish(&mut self, ctx: &mut Ctx, pages: &mut TxPages, outcome: Outcome) -> FrameResult {
        self.finished = true;
        self.state = RunState::Done;
        pages.open = pages.open.saturating_sub(self.pages);
        let limit = self.inputs.gas_limit;
        let mut gas = Gas::new_with_regular_gas_and_reservoir(limit, self.inputs.reservoir);
        let mut remaining = self.gas_left().min(limit);
        // Returned data costs at least what the EVM's memory would have (nitro, ArbOS 31+).
        let returned = self.store.data().result.len() as u64;
        let mut outcome = outcome;
        if returned > 0 && !matches!(outcome, Outcome::Abort(_)) {
            let floor = gas::return_data_floor(returned);
            if limit < floor {
                outcome = Outcome::Abort(Abort::OutOfGas);
            } else {
                remaining = remaining.min(limit - floor);
            }
        }
        let _ = gas.record_regular_cost(limit - remaining);
        let (result, output) = match outcome {
            Outcome::Success => {
                self.flush_logs(ctx);
                ctx.journal_mut().checkpoint_commit();
                gas.record_refund(self.refund);
                (
                    InstructionResult::Return,
                    std::mem::take(&mut self.store.data_mut().result),
                )
            }
            Outcome::Revert => {
                ctx.journal_mut().checkpoint_revert(self.checkpoint);
                (
                    InstructionResult::Revert,
                    std::mem::take(&mut self.store.data_mut().result),
                )
            }
            Outcome::Abort(Abort::Failure(why)) => {
                let contract = self.inputs.target_address;
                self.store
                    .data_mut()
                    .console
                    .push(format!("stylus program {contract} failed: {why}"));
                ctx.journal_mut().checkpoint_revert(self.checkpoint);
                (InstructionResult::Revert, Vec::new())
            }
            Outcome::Abort(Abort::OutOfGas) => {
                ctx.journal_mut().checkpoint_revert(self.checkpoint);
                gas.spend_all();
                (InstructionResult::OutOfGas, Vec::new())
            }
        };
        let mut call = CallOutcome::new(
            InterpreterResult {
                result,
                output: Bytes::from(output),
                gas,
            },
            self.inputs.return_memory_offset.clone(),
        );
        call.charged_new_account_state_gas = self.inputs.charged_new_account_state_gas;
        FrameResult::Call(call)
    }
}

enum Serviced {
    Resume(Vec<Val>),
    Child(FrameInit, PendingChild),
    Exit(i32),
    Abort(Abort),
}

fn frame_env(ctx: &Ctx, inputs: &CallInputs, reentrant: bool) -> FrameEnv {
    let block = ctx.block();
    let basefee = block.basefee();
    FrameEnv {
        contract: inputs.target_address,
        sender: inputs.caller,
        value: inputs.value.get(),
        origin: ctx.tx().caller(),
        gas_price: U256::from(ctx.tx().effective_gas_price(basefee as u128)),
        basefee: U256::from(basefee),
        chain_id: ctx.cfg().chain_id(),
        coinbase: block.beneficiary(),
        block_gas_limit: block.gas_limit(),
        block_number: block.number().saturating_to(),
        timestamp: block.timestamp().saturating_to(),
        is_static: inputs.is_static,
        reentrant,
    }
}

// `CreateOutcome` is matched through `FrameResult::Create` above.
#[allow(dead_code)]
fn _assert_types(_: CreateOutcome) {}
