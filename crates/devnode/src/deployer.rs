//! A StylusDeployer-compatible contract, implemented natively, at the address cargo-stylus uses.
//!
//! `cargo stylus deploy` of a contract with a constructor sends one transaction to
//! [`STYLUS_DEPLOYER`]: `deploy(bytes bytecode, bytes initData, uint256 initValue, bytes32 salt)`.
//! This frame reproduces the public contract's behaviour (written from its documented semantics):
//!
//! 1. a non-zero `salt` becomes `keccak256(salt ++ initData)` and selects CREATE2, else CREATE;
//!    empty `bytecode` reverts `EmptyBytecode()`; a failed creation bubbles its revert data, or
//!    reverts `ContractDeploymentError(bytecode)` when there is none;
//! 2. if the new code's hash is not activated at the current Stylus version, it calls
//!    `ArbWasm.activateProgram{value: msg.value - initValue}(newContract)` (the precompile refunds
//!    the unused value to the deployer); a failure bubbles its revert data;
//! 3. with `initData`, it calls the new contract with it and `initValue`, reverting
//!    `ContractInitializationError(newContract, returnData)` on failure; `initValue` without
//!    `initData` reverts `InitValueButNotInitData()`;
//! 4. it refunds `msg.value - dataFee - initValue` to `msg.sender` (failure:
//!    `RefundExcessValueError(amount)`), emits `ContractDeployed(newContract)` and returns the
//!    address.
//!
//! It also answers `initSalt(bytes32,bytes)` and `requiresActivation(address)`. The children run
//! as ordinary frames of the combined stack, like a Stylus program's calls.

use crate::evm::{Ctx, DbError};
use crate::precompiles::{program_version, ArbWasm, ARBWASM, STYLUS_VERSION};
use alloy_primitives::{address, keccak256, Address, Bytes, Log, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent, SolValue};
use revm::context_interface::{
    journaled_state::JournalCheckpoint, ContextTr, CreateScheme, JournalTr,
};
use revm::handler::{FrameResult, ItemOrResult};
use revm::interpreter::{
    interpreter_action::FrameInit, CallInput, CallInputs, CallOutcome, CallScheme, CallValue,
    CreateInputs, FrameInput, Gas, InstructionResult, InterpreterResult, SharedMemory,
};
use revm::primitives::constants::CALL_STACK_LIMIT;

/// The address cargo-stylus 0.10 sends constructor deployments to.
pub const STYLUS_DEPLOYER: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");

/// Gas charged for the deployer's own work (an approximation of the Solidity contract's).
const OWN_GAS: u64 = 15_000;

sol! {
    interface StylusDeployer {
        function deploy(bytes bytecode, bytes initData, uint256 initValue, bytes32 salt) external payable returns (address);
        function initSalt(bytes32 salt, bytes initData) external pure returns (bytes32);
        function requiresActivation(address addr) external view returns (bool);

        event ContractDeployed(address deployedContract);

        error ContractDeploymentError(bytes bytecode);
        error ContractInitializationError(address newContract, bytes data);
        error RefundExcessValueError(uint256 excessValue);
        error EmptyBytecode();
        error InitValueButNotInitData();
    }

    error Panic(uint256 code);
}

use StylusDeployer::*;

enum Step {
    Create,
    AfterCreate,
    AfterActivate,
    AfterInit,
    AfterRefund,
}

/// A running `deploy` call.
pub struct DeployerFrame {
    inputs: Box<CallInputs>,
    checkpoint: JournalCheckpoint,
    depth: usize,
    memory: SharedMemory,
    gas_left: u64,
    refund: i64,
    call: deployCall,
    salt: B256,
    new_contract: Address,
    data_fee: U256,
    step: Step,
    child: Option<FrameResult>,
    finished: bool,
}

impl std::fmt::Debug for DeployerFrame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeployerFrame")
            .field("depth", &self.depth)
            .finish_non_exhaustive()
    }
}

fn outcome(
    inputs: &CallInputs,
    result: InstructionResult,
    output: Bytes,
    gas_left: u64,
    refund: i64,
) -> FrameResult {
    let mut gas = Gas::new_with_regular_gas_and_reservoir(inputs.gas_limit, inputs.reservoir);
    let _ = gas.record_regular_cost(inputs.gas_limit.saturating_sub(gas_left));
    if result.is_ok() {
        gas.record_refund(refund);
    }
    let mut call = CallOutcome::new(
        InterpreterResult {
            result,
            output,
            gas,
        },
        inputs.return_memory_offset.clone(),
    );
    call.charged_new_account_state_gas = inputs.charged_new_account_state_gas;
    FrameResult::Call(call)
}

impl DeployerFrame {
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Starts a call to the deployer. Views are answered at once; `deploy` becomes a frame.
    pub fn init(
        ctx: &mut Ctx,
        depth: usize,
        memory: SharedMemory,
        inputs: Box<CallInputs>,
    ) -> Result<ItemOrResult<Box<DeployerFrame>, FrameResult>, DbError> {
        let gas = inputs.gas_limit;
        let done = |inputs: &CallInputs, r: InstructionResult, out: Vec<u8>, used: u64| {
            ItemOrResult::Result(outcome(inputs, r, out.into(), gas.saturating_sub(used), 0))
        };
        if depth > CALL_STACK_LIMIT as usize {
            return Ok(done(&inputs, InstructionResult::CallTooDeep, vec![], 0));
        }
        let input = inputs.input.as_bytes(&*ctx).to_vec();
        let selector: [u8; 4] = match input.get(..4) {
            Some(s) => s.try_into().expect("4 bytes"),
            None => return Ok(done(&inputs, InstructionResult::Revert, vec![], 100)),
        };
        let value = inputs.value.get();
        match selector {
            initSaltCall::SELECTOR => {
                let Ok(c) = initSaltCall::abi_decode(&input) else {
                    return Ok(done(&inputs, InstructionResult::Revert, vec![], 100));
                };
                let out = init_salt(c.salt, &c.initData).abi_encode();
                return Ok(done(&inputs, InstructionResult::Return, out, 500));
            }
            requiresActivationCall::SELECTOR => {
                let Ok(c) = requiresActivationCall::abi_decode(&input) else {
                    return Ok(done(&inputs, InstructionResult::Revert, vec![], 100));
                };
                let needs = requires_activation(ctx, c.addr)?;
                return Ok(done(
                    &inputs,
                    InstructionResult::Return,
                    needs.abi_encode(),
                    3_000,
                ));
            }
            deployCall::SELECTOR => {}
            _ => return Ok(done(&inputs, InstructionResult::Revert, vec![], 100)),
        }
        let Ok(call) = deployCall::abi_decode(&input) else {
            return Ok(done(&inputs, InstructionResult::Revert, vec![], 100));
        };
        if inputs.is_static {
            return Ok(done(&inputs, InstructionResult::Revert, vec![], 100));
        }
        if gas < OWN_GAS {
            return Ok(done(&inputs, InstructionResult::OutOfGas, vec![], gas));
        }
        let checkpoint = ctx.journal_mut().checkpoint();
        if let CallValue::Transfer(v) = inputs.value {
            if let Some(err) =
                ctx.journal_mut()
                    .transfer(inputs.caller, inputs.target_address, v)?
            {
                ctx.journal_mut().checkpoint_revert(checkpoint);
                return Ok(ItemOrResult::Result(outcome(
                    &inputs,
                    err.into(),
                    Bytes::new(),
                    gas,
                    0,
                )));
            }
        }
        let _ = value;
        let salt = if call.salt.is_zero() {
            B256::ZERO
        } else {
            init_salt(call.salt, &call.initData)
        };
        Ok(ItemOrResult::Item(Box::new(DeployerFrame {
            gas_left: gas - OWN_GAS,
            inputs,
            checkpoint,
            depth,
            memory,
            refund: 0,
            call,
            salt,
            new_contract: Address::ZERO,
            data_fee: U256::ZERO,
            step: Step::Create,
            child: None,
            finished: false,
        })))
    }

    fn this(&self) -> Address {
        self.inputs.target_address
    }

    fn child_gas(&mut self) -> u64 {
        let g = self.gas_left - self.gas_left / 64;
        self.gas_left -= g;
        g
    }

    fn call_child(
        &mut self,
        to: Address,
        data: Bytes,
        value: U256,
        ctx: &mut Ctx,
    ) -> Result<FrameInit, DbError> {
        let acc = ctx.journal_mut().load_account_with_code(to)?;
        let known = (
            acc.data.info.code_hash,
            acc.data.info.code.clone().unwrap_or_default(),
        );
        let gas_limit = self.child_gas();
        let inputs = CallInputs {
            input: CallInput::Bytes(data),
            return_memory_offset: 0..0,
            gas_limit,
            reservoir: 0,
            bytecode_address: to,
            known_bytecode: known,
            target_address: to,
            caller: self.this(),
            value: CallValue::Transfer(value),
            scheme: CallScheme::Call,
            is_static: false,
            charged_new_account_state_gas: false,
        };
        Ok(FrameInit {
            depth: self.depth + 1,
            memory: self.memory.new_child_context(),
            frame_input: FrameInput::Call(Box::new(inputs)),
        })
    }

    fn end(&mut self, ctx: &mut Ctx, result: InstructionResult, output: Vec<u8>) -> FrameResult {
        self.finished = true;
        if result.is_ok() {
            ctx.journal_mut().checkpoint_commit();
        } else {
            ctx.journal_mut().checkpoint_revert(self.checkpoint);
        }
        outcome(
            &self.inputs,
            result,
            output.into(),
            self.gas_left,
            self.refund,
        )
    }

    fn revert(&mut self, ctx: &mut Ctx, output: Vec<u8>) -> ItemOrResult<FrameInit, FrameResult> {
        ItemOrResult::Result(self.end(ctx, InstructionResult::Revert, output))
    }

    /// Advances the deployment until it needs a child frame or ends.
    pub fn run(&mut self, ctx: &mut Ctx) -> Result<ItemOrResult<FrameInit, FrameResult>, DbError> {
        loop {
            match self.step {
                Step::Create => {
                    if self.call.bytecode.is_empty() {
                        return Ok(self.revert(ctx, EmptyBytecode {}.abi_encode()));
                    }
                    let scheme = if self.salt.is_zero() {
                        CreateScheme::Create
                    } else {
                        CreateScheme::Create2 {
                            salt: self.salt.into(),
                        }
                    };
                    let gas = self.child_gas();
                    let inputs = CreateInputs::new(
                        self.this(),
                        scheme,
                        U256::ZERO,
                        self.call.bytecode.clone(),
                        gas,
                        0,
                    );
                    self.step = Step::AfterCreate;
                    return Ok(ItemOrResult::Item(FrameInit {
                        depth: self.depth + 1,
                        memory: self.memory.new_child_context(),
                        frame_input: FrameInput::Create(Box::new(inputs)),
                    }));
                }
                Step::AfterCreate => {
                    let Some(FrameResult::Create(created)) = self.child.take() else {
                        unreachable!("create result expected");
                    };
                    let ir = created.result.result;
                    match created.address.filter(|_| ir.is_ok()) {
                        Some(address) => self.new_contract = address,
                        None if ir == InstructionResult::Revert
                            && !created.result.output.is_empty() =>
                        {
                            return Ok(self.revert(ctx, created.result.output.to_vec()));
                        }
                        None => {
                            let err = ContractDeploymentError {
                                bytecode: self.call.bytecode.clone(),
                            };
                            return Ok(self.revert(ctx, err.abi_encode()));
                        }
                    }
                    if requires_activation(ctx, self.new_contract)? {
                        let msg_value = self.inputs.value.get();
                        let Some(activation_value) = msg_value.checked_sub(self.call.initValue)
                        else {
                            return Ok(self.revert(
                                ctx,
                                Panic {
                                    code: U256::from(0x11),
                                }
                                .abi_encode(),
                            ));
                        };
                        let data = ArbWasm::activateProgramCall {
                            program: self.new_contract,
                        }
                        .abi_encode();
                        let init = self.call_child(ARBWASM, data.into(), activation_value, ctx)?;
                        self.step = Step::AfterActivate;
                        return Ok(ItemOrResult::Item(init));
                    }
                    self.step = Step::AfterActivate;
                }
                Step::AfterActivate => {
                    if let Some(FrameResult::Call(activated)) = self.child.take() {
                        if !activated.result.result.is_ok() {
                            return Ok(self.revert(ctx, activated.result.output.to_vec()));
                        }
                        match ArbWasm::activateProgramCall::abi_decode_returns(
                            &activated.result.output,
                        ) {
                            Ok(ret) => self.data_fee = ret.dataFee,
                            Err(_) => return Ok(self.revert(ctx, Vec::new())),
                        }
                    }
                    if !self.call.initData.is_empty() {
                        let (to, data, value) = (
                            self.new_contract,
                            self.call.initData.clone(),
                            self.call.initValue,
                        );
                        let init = self.call_child(to, data, value, ctx)?;
                        self.step = Step::AfterInit;
                        return Ok(ItemOrResult::Item(init));
                    } else if !self.call.initValue.is_zero() {
                        return Ok(self.revert(ctx, InitValueButNotInitData {}.abi_encode()));
                    }
                    self.step = Step::AfterInit;
                }
                Step::AfterInit => {
                    if let Some(FrameResult::Call(init)) = self.child.take() {
                        if !init.result.result.is_ok() {
                            let err = ContractInitializationError {
                                newContract: self.new_contract,
                                data: init.result.output.clone(),
                            };
                            return Ok(self.revert(ctx, err.abi_encode()));
                        }
                    }
                    let msg_value = self.inputs.value.get();
                    let spent = self.data_fee + self.call.initValue;
                    let Some(rest) = msg_value.checked_sub(spent) else {
                        return Ok(self.revert(
                            ctx,
                            Panic {
                                code: U256::from(0x11),
                            }
                            .abi_encode(),
                        ));
                    };
                    self.step = Step::AfterRefund;
                    if !rest.is_zero() {
                        let init = self.call_child(self.inputs.caller, Bytes::new(), rest, ctx)?;
                        return Ok(ItemOrResult::Item(init));
                    }
                }
                Step::AfterRefund => {
                    if let Some(FrameResult::Call(refund)) = self.child.take() {
                        if !refund.result.result.is_ok() {
                            let rest =
                                self.inputs.value.get() - self.data_fee - self.call.initValue;
                            return Ok(self.revert(
                                ctx,
                                RefundExcessValueError { excessValue: rest }.abi_encode(),
                            ));
                        }
                    }
                    let event = ContractDeployed {
                        deployedContract: self.new_contract,
                    };
                    ctx.journal_mut().log(Log {
                        address: self.this(),
                        data: event.encode_log_data(),
                    });
                    let out = self.new_contract.abi_encode();
                    return Ok(ItemOrResult::Result(self.end(
                        ctx,
                        InstructionResult::Return,
                        out,
                    )));
                }
            }
        }
    }

    /// Receives a child's result; the next `run` continues.
    pub fn child_returned(&mut self, result: FrameResult) {
        self.memory.free_child_context();
        let gas = *result.gas();
        self.gas_left += gas.remaining();
        if result.instruction_result().is_ok() {
            self.refund += gas.refunded();
        }
        self.child = Some(result);
    }
}

/// `keccak256(abi.encodePacked(salt, initData))`.
pub fn init_salt(salt: B256, init_data: &[u8]) -> B256 {
    let mut pre = salt.to_vec();
    pre.extend_from_slice(init_data);
    keccak256(pre)
}

/// True when `addr`'s code hash is not activated at the current Stylus version.
fn requires_activation(ctx: &mut Ctx, addr: Address) -> Result<bool, DbError> {
    let hash = ctx.journal_mut().code_hash(addr)?.data;
    Ok(program_version(ctx, hash)? != Some(STYLUS_VERSION))
}
