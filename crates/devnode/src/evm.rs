//! [`DevEvm`]: revm's mainnet handler over a frame stack that holds EVM and Stylus frames.

use crate::code::is_stylus_program;
use crate::deployer::{DeployerFrame, STYLUS_DEPLOYER};
use crate::precompiles::{DevPrecompiles, ARBITRUM_PRECOMPILES};
use crate::stylus::frame::TxPages;
use crate::stylus::{StylusFrame, StylusRuntime};
use alloy_primitives::{Address, Bytes};
use revm::context::{BlockEnv, CfgEnv, ContextError, ContextSetters, FrameStack, Journal, TxEnv};
use revm::context_interface::{
    local::OutFrame,
    result::{EVMError, ExecutionResult, HaltReason, InvalidTransaction},
    ContextTr, JournalTr,
};
use revm::database::{CacheDB, EmptyDB};
use revm::handler::{
    evm::{ContextDbError, FrameInitResult, FrameTr},
    instructions::EthInstructions,
    EthFrame, EvmTr, FrameResult, Handler, ItemOrResult, MainnetHandler, PrecompileProvider,
};
use revm::interpreter::{
    interpreter::EthInterpreter, interpreter_action::FrameInit, CallScheme, FrameInput,
};
use revm::primitives::hardfork::SpecId;
use revm::state::{AccountInfo, Bytecode, EvmState};
use revm::{Context, DatabaseCommit};
use std::convert::Infallible;

/// The state database: everything in memory.
pub type Db = CacheDB<EmptyDB>;
/// revm's context over [`Db`].
pub type Ctx = Context<BlockEnv, TxEnv, CfgEnv, Db, Journal<Db>, ()>;
/// Database errors as seen by frames (the in-memory database cannot fail).
pub type DbError = ContextError<Infallible>;
/// Errors of a transaction (invalid transaction, header...).
pub type TxError = EVMError<Infallible, InvalidTransaction>;

/// A frame of the combined stack.
#[derive(Debug)]
pub enum DevFrame {
    Evm(Box<EthFrame<EthInterpreter>>),
    Stylus(Box<StylusFrame>),
    /// The native StylusDeployer ([`crate::deployer`]).
    Deployer(Box<DeployerFrame>),
}

impl FrameTr for DevFrame {
    type FrameResult = FrameResult;
    type FrameInit = FrameInit;
}

impl DevFrame {
    fn is_finished(&self) -> bool {
        match self {
            DevFrame::Evm(f) => f.is_finished(),
            DevFrame::Stylus(f) => f.is_finished(),
            DevFrame::Deployer(f) => f.is_finished(),
        }
    }
}

/// revm plus Stylus: EVM frames run in revm's interpreter, frames whose code starts with
/// `EF F0 00` run as [`StylusFrame`]s, all on one stack driven by revm's [`MainnetHandler`].
pub struct DevEvm {
    pub ctx: Ctx,
    instructions: EthInstructions<EthInterpreter, Ctx>,
    pub precompiles: DevPrecompiles,
    /// Only here to satisfy [`EvmTr::all`]; the real stack is `frames`.
    unused_stack: FrameStack<DevFrame>,
    frames: Vec<DevFrame>,
    /// For every frame on `frames`, the address whose "context span" it opens: its target
    /// address, or `None` for DELEGATECALL/CALLCODE frames (see `frame_init`).
    targets: Vec<Option<Address>>,
    // boxed so that pushing/popping frames moves a pointer, not the whole interpreter
    #[allow(clippy::vec_box)]
    eth_pool: Vec<Box<EthFrame<EthInterpreter>>>,
    pages: TxPages,
    /// Lines printed by programs through the `console` imports, in order.
    pub console: Vec<String>,
}

impl std::fmt::Debug for DevEvm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevEvm")
            .field("frames", &self.frames.len())
            .finish_non_exhaustive()
    }
}

/// Code installed at the Arbitrum precompile addresses (nitro installs `INVALID` too), so the
/// accounts are never empty and their storage survives EIP-161 clearing.
pub const PRECOMPILE_CODE: [u8; 1] = [0xfe];

/// Adds the accounts of the Arbitrum precompiles and of the StylusDeployer to `db`.
pub fn install_arbitrum_accounts(db: &mut Db) {
    for address in ARBITRUM_PRECOMPILES.into_iter().chain([STYLUS_DEPLOYER]) {
        let code = Bytecode::new_legacy(Bytes::from_static(&PRECOMPILE_CODE));
        // nonce 1: a contract's first CREATE uses nonce 1 (EIP-161)
        let nonce = u64::from(address == STYLUS_DEPLOYER);
        let info = AccountInfo {
            code_hash: code.hash_slow(),
            code: Some(code),
            nonce,
            ..Default::default()
        };
        db.insert_account_info(address, info);
    }
}

/// The configuration this node runs with: `spec`, EIP-3541 off (Stylus code starts with 0xEF),
/// EIP-3607 off (impersonated accounts may have code, as in anvil).
pub fn dev_cfg(chain_id: u64, spec: SpecId) -> CfgEnv {
    let mut cfg = CfgEnv::new_with_spec(spec);
    cfg.chain_id = chain_id;
    cfg.disable_eip3541 = true;
    cfg.disable_eip3607 = true;
    cfg
}

impl DevEvm {
    pub fn new(db: Db, cfg: CfgEnv, block: BlockEnv, runtime: StylusRuntime) -> Self {
        let spec = cfg.spec;
        let mut ctx: Ctx = Context::new(db, spec);
        ctx.cfg = cfg;
        ctx.block = block;
        Self {
            ctx,
            instructions: EthInstructions::new_mainnet_with_spec(spec),
            precompiles: DevPrecompiles::new(spec, runtime),
            unused_stack: FrameStack::new(),
            frames: Vec::new(),
            targets: Vec::new(),
            eth_pool: Vec::new(),
            pages: TxPages::default(),
            console: Vec::new(),
        }
    }

    pub fn db(&self) -> &Db {
        self.ctx.journaled_state.db()
    }

    pub fn db_mut(&mut self) -> &mut Db {
        self.ctx.journaled_state.db_mut()
    }

    /// Executes `tx` and returns the result and the state changes, without committing them.
    pub fn transact(
        &mut self,
        tx: TxEnv,
    ) -> Result<(ExecutionResult<HaltReason>, EvmState), TxError> {
        // start from a clean journal even if a previous transaction was interrupted
        let _ = self.ctx.journal_mut().finalize();
        self.ctx.set_tx(tx);
        self.frames.clear();
        self.targets.clear();
        self.pages = TxPages::default();
        let result = MainnetHandler::<DevEvm, TxError, DevFrame>::default().run(self);
        self.recycle_all();
        let state = self.ctx.journal_mut().finalize();
        result.map(|r| (r, state))
    }

    /// Executes `tx` and commits its state changes to the database.
    pub fn transact_commit(&mut self, tx: TxEnv) -> Result<ExecutionResult<HaltReason>, TxError> {
        let (result, state) = self.transact(tx)?;
        self.db_mut().commit(state);
        Ok(result)
    }

    fn recycle_all(&mut self) {
        while let Some(frame) = self.frames.pop() {
            self.recycle(frame);
        }
        self.targets.clear();
    }

    fn recycle(&mut self, frame: DevFrame) {
        match frame {
            DevFrame::Evm(f) => {
                if self.eth_pool.len() < 16 {
                    self.eth_pool.push(f)
                }
            }
            DevFrame::Stylus(mut f) => self.console.extend(f.take_console()),
            DevFrame::Deployer(_) => {}
        }
    }

    fn push(&mut self, frame: DevFrame, target: Option<Address>) -> &mut DevFrame {
        self.frames.push(frame);
        self.targets.push(target);
        self.frames.last_mut().expect("just pushed")
    }
}

impl EvmTr for DevEvm {
    type Context = Ctx;
    type Instructions = EthInstructions<EthInterpreter, Ctx>;
    type Precompiles = DevPrecompiles;
    type Frame = DevFrame;

    fn all(
        &self,
    ) -> (
        &Ctx,
        &Self::Instructions,
        &DevPrecompiles,
        &FrameStack<DevFrame>,
    ) {
        (
            &self.ctx,
            &self.instructions,
            &self.precompiles,
            &self.unused_stack,
        )
    }

    fn all_mut(
        &mut self,
    ) -> (
        &mut Ctx,
        &mut Self::Instructions,
        &mut DevPrecompiles,
        &mut FrameStack<DevFrame>,
    ) {
        (
            &mut self.ctx,
            &mut self.instructions,
            &mut self.precompiles,
            &mut self.unused_stack,
        )
    }

    fn frame_init(
        &mut self,
        frame_input: FrameInit,
    ) -> Result<FrameInitResult<'_, DevFrame>, ContextDbError<Ctx>> {
        let FrameInit {
            depth,
            memory,
            frame_input,
        } = frame_input;
        if let FrameInput::Call(inputs) = &frame_input {
            if inputs.bytecode_address == STYLUS_DEPLOYER {
                let FrameInput::Call(inputs) = frame_input else {
                    unreachable!()
                };
                let target = Some(inputs.target_address);
                return Ok(
                    match DeployerFrame::init(&mut self.ctx, depth, memory, inputs)? {
                        ItemOrResult::Item(frame) => {
                            ItemOrResult::Item(self.push(DevFrame::Deployer(frame), target))
                        }
                        ItemOrResult::Result(r) => ItemOrResult::Result(r),
                    },
                );
            }
            if !self.precompiles.contains(&inputs.bytecode_address)
                && is_stylus_program(inputs.known_bytecode.1.original_byte_slice())
            {
                let FrameInput::Call(inputs) = frame_input else {
                    unreachable!()
                };
                // nitro's rule: a program is reentrant when more than one context span of its
                // acting address is open; DELEGATECALL/CALLCODE frames open no span of their own.
                let acting = inputs.target_address;
                let delegated = matches!(
                    inputs.scheme,
                    CallScheme::DelegateCall | CallScheme::CallCode
                );
                let target = (!delegated).then_some(acting);
                let open = self.targets.iter().filter(|t| **t == Some(acting)).count();
                let reentrant = open + usize::from(!delegated) > 1;
                let init = StylusFrame::init(
                    &mut self.ctx,
                    &mut self.precompiles.runtime,
                    &mut self.pages,
                    depth,
                    memory,
                    inputs,
                    reentrant,
                )?;
                return Ok(match init {
                    ItemOrResult::Item(frame) => {
                        ItemOrResult::Item(self.push(DevFrame::Stylus(frame), target))
                    }
                    ItemOrResult::Result(r) => ItemOrResult::Result(r),
                });
            }
        }
        let target = match &frame_input {
            FrameInput::Call(inputs) => match inputs.scheme {
                CallScheme::DelegateCall | CallScheme::CallCode => None,
                _ => Some(inputs.target_address),
            },
            FrameInput::Create(_) | FrameInput::Empty => None,
        };
        let mut eth = self
            .eth_pool
            .pop()
            .unwrap_or_else(|| Box::new(EthFrame::invalid()));
        let res = EthFrame::init_with_context(
            OutFrame::new_init(&mut *eth),
            &mut self.ctx,
            &mut self.precompiles,
            FrameInit {
                depth,
                memory,
                frame_input,
            },
        )?;
        Ok(match res {
            ItemOrResult::Item(token) => {
                token.assert();
                let target = match &eth.data {
                    revm::handler::FrameData::Create(c) => Some(c.created_address),
                    _ => target,
                };
                ItemOrResult::Item(self.push(DevFrame::Evm(eth), target))
            }
            ItemOrResult::Result(r) => {
                self.eth_pool.push(eth);
                ItemOrResult::Result(r)
            }
        })
    }

    fn frame_run(&mut self) -> Result<ItemOrResult<FrameInit, FrameResult>, ContextDbError<Ctx>> {
        let frame = self
            .frames
            .last_mut()
            .expect("frame_run with an empty stack");
        match frame {
            DevFrame::Evm(frame) => {
                let action = frame.interpreter.run_plain(
                    self.instructions.instruction_table(),
                    self.instructions.gas_table(),
                    &mut self.ctx,
                );
                let next =
                    frame.process_next_action::<Ctx, ContextDbError<Ctx>>(&mut self.ctx, action)?;
                if next.is_result() {
                    frame.set_finished(true);
                }
                Ok(next)
            }
            DevFrame::Stylus(frame) => frame.run(&mut self.ctx, &mut self.pages),
            DevFrame::Deployer(frame) => frame.run(&mut self.ctx),
        }
    }

    fn frame_return_result(
        &mut self,
        result: FrameResult,
    ) -> Result<Option<FrameResult>, ContextDbError<Ctx>> {
        if self.frames.last().is_some_and(DevFrame::is_finished) {
            let frame = self.frames.pop().expect("checked");
            self.targets.pop();
            self.recycle(frame);
        }
        match self.frames.last_mut() {
            None => Ok(Some(result)),
            Some(DevFrame::Evm(frame)) => {
                frame.return_result::<Ctx, ContextDbError<Ctx>>(&mut self.ctx, result)?;
                Ok(None)
            }
            Some(DevFrame::Stylus(frame)) => {
                frame.child_returned(result);
                Ok(None)
            }
            Some(DevFrame::Deployer(frame)) => {
                frame.child_returned(result);
                Ok(None)
            }
        }
    }
}
