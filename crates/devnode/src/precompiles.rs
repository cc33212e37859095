//! Precompiles: Ethereum's (from revm) plus the Arbitrum ones tools call: ArbWasm (0x71) for
//! Stylus activation and programs' init costs, ArbWasmCache (0x72) for the chain's program
//! cache, a minimal ArbSys (0x64) and ArbOwnerPublic (0x6B) for the Stylus limits and the chain
//! owner. The node answers as an ArbOS 60 chain with nitro's default parameters, in nitro's dev
//! mode: the first dev account ([`CHAIN_OWNER`]) owns the chain.
//!
//! Activation records live in the ArbWasm account's storage (slot = program code hash, value =
//! `version | activated_at << 16 | cached << 80`), so they are journaled like any state: a
//! reverted activation or cache change leaves no trace, snapshots and `eth_call` isolation come
//! for free.

use crate::code::{
    decode_program, decode_root, is_fragment, is_root, is_stylus, parse_root, CodeError,
    MAX_FRAGMENTS,
};
use crate::evm::{Ctx, DbError};
use crate::gas;
use crate::stylus::StylusRuntime;
use alloy_primitives::{address, keccak256, Address, Bytes, Log, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent};
use revm::context_interface::{Block, Cfg, ContextTr, JournalTr};
use revm::handler::{EthPrecompiles, PrecompileProvider};
use revm::interpreter::{CallInputs, Gas, InstructionResult, InterpreterResult};
use revm::primitives::{hardfork::SpecId, AddressSet};

/// ArbSys precompile address.
pub const ARBSYS: Address = address!("0000000000000000000000000000000000000064");
/// ArbWasm precompile address.
pub const ARBWASM: Address = address!("0000000000000000000000000000000000000071");
/// ArbWasmCache precompile address.
pub const ARBWASM_CACHE: Address = address!("0000000000000000000000000000000000000072");
/// ArbOwnerPublic precompile address.
pub const ARB_OWNER_PUBLIC: Address = address!("000000000000000000000000000000000000006b");
/// The Arbitrum precompiles this node implements.
pub const ARBITRUM_PRECOMPILES: [Address; 4] = [ARBSYS, ARBWASM, ARBWASM_CACHE, ARB_OWNER_PUBLIC];
/// The chain owner, as nitro's dev mode makes its dev account (anvil's first dev account): it
/// may cache programs through ArbWasmCache. The node has no cache managers.
pub const CHAIN_OWNER: Address = address!("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
/// The Stylus version programs are activated at (ArbOS 40+ runs Stylus version 2).
pub const STYLUS_VERSION: u16 = 2;
/// ArbOS version reported by ArbSys (`arbOSVersion()` returns `55 + version`, as nitro).
/// ArbOS 60 brought fragmented programs (see [`crate::code`]) and `ArbWasm.activationGas()`.
pub const ARBOS_VERSION: u64 = 60;
/// `ArbWasm.maxStackDepth()`: nitro lowered it to 22000 at ArbOS 50 (reported only).
pub const MAX_STACK_DEPTH: u32 = 22_000;
/// `ArbWasm.activationGas()`: the chain owner's extra gas per activation, 0 by default.
pub const EXTRA_ACTIVATION_GAS: u64 = 0;
/// Gas charged by `activateProgram`: a base plus a price per byte of decompressed wasm.
/// An approximation of nitro's activation cost.
pub const ACTIVATION_BASE_GAS: u64 = 1_000_000;
/// See [`ACTIVATION_BASE_GAS`].
pub const ACTIVATION_GAS_PER_BYTE: u64 = 50;
/// Data fee in wei per byte of decompressed wasm (nitro prices this dynamically).
pub const DATA_FEE_PER_BYTE: u64 = 1_000_000_000;
/// Days until a program expires (reported only; programs never expire here).
pub const EXPIRY_DAYS: u16 = 365;

sol! {
    interface ArbWasm {
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
        function stylusVersion() external view returns (uint16 version);
        function programVersion(address program) external view returns (uint16 version);
        function codehashVersion(bytes32 codehash) external view returns (uint16 version);
        function codehashKeepalive(bytes32 codehash) external payable;
        function inkPrice() external view returns (uint32 price);
        function maxStackDepth() external view returns (uint32 depth);
        function freePages() external view returns (uint16 pages);
        function pageGas() external view returns (uint16 gas);
        function pageLimit() external view returns (uint16 limit);
        function expiryDays() external view returns (uint16 _days);
        function keepaliveDays() external view returns (uint16 _days);
        function programTimeLeft(address program) external view returns (uint64 _secs);
        function activationGas() external view returns (uint64 gas);
        function programInitGas(address program) external view returns (uint64 gas, uint64 gasWhenCached);
        function programMemoryFootprint(address program) external view returns (uint16 footprint);

        event ProgramActivated(bytes32 indexed codehash, bytes32 moduleHash, address program, uint256 dataFee, uint16 version);

        error ProgramNotWasm();
        error ProgramNotActivated();
        error ProgramNeedsUpgrade(uint16 version, uint16 stylusVersion);
        error ProgramExpired(uint64 ageInSeconds);
        error ProgramUpToDate();
        error ProgramKeepaliveTooSoon(uint64 ageInSeconds);
        error ProgramInsufficientValue(uint256 have, uint256 want);
    }

    interface ArbWasmCache {
        function isCacheManager(address manager) external view returns (bool);
        function allCacheManagers() external view returns (address[] memory managers);
        function cacheProgram(address addr) external;
        function evictCodehash(bytes32 codehash) external;
        function codehashIsCached(bytes32 codehash) external view returns (bool);

        event UpdateProgramCache(address indexed manager, bytes32 indexed codehash, bool cached);
    }

    interface ArbOwnerPublic {
        function getMaxStylusContractFragments() external view returns (uint8);
        function isChainOwner(address addr) external view returns (bool);
        function getAllChainOwners() external view returns (address[] memory);
    }

    interface ArbSys {
        function arbBlockNumber() external view returns (uint256);
        function arbChainID() external view returns (uint256);
        function arbOSVersion() external view returns (uint256);
        function getStorageGasAvailable() external view returns (uint256);
        function isTopLevelCall() external view returns (bool);
        function wasMyCallersAddressAliased() external view returns (bool);
        function myCallersAddressWithoutAliasing() external view returns (address);
    }

    error Error(string message);
}

/// Revert data helpers used by the Stylus frame.
pub mod arbwasm {
    use super::*;

    /// ABI-encoded `ProgramNotActivated()`.
    pub fn program_not_activated() -> Bytes {
        ArbWasm::ProgramNotActivated {}.abi_encode().into()
    }

    /// ABI-encoded `ProgramNotWasm()`.
    pub fn program_not_wasm() -> Bytes {
        ArbWasm::ProgramNotWasm {}.abi_encode().into()
    }
}

/// A program's activation record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Activation {
    /// The Stylus version it was activated at.
    pub version: u16,
    /// When, in seconds.
    pub activated_at: u64,
    /// Whether the chain caches it (ArbWasmCache): its calls pay only the cached init cost.
    pub cached: bool,
}

impl Activation {
    fn decode(word: U256) -> Option<Self> {
        if word.is_zero() {
            return None;
        }
        let limbs = word.as_limbs();
        Some(Self {
            version: (limbs[0] & 0xffff) as u16,
            activated_at: limbs[0] >> 16 | (limbs[1] & 0xffff) << 48,
            cached: limbs[1] >> 16 & 1 == 1,
        })
    }

    fn encode(self) -> U256 {
        U256::from(self.version) | U256::from(self.activated_at) << 16 | U256::from(self.cached as u8) << 80
    }
}

/// The Stylus version `codehash` is activated at, if any.
pub fn program_version(ctx: &mut Ctx, codehash: B256) -> Result<Option<u16>, DbError> {
    Ok(activation(ctx, codehash)?.map(|a| a.version))
}

/// The activation record of `codehash`, if it is activated.
pub fn activation(ctx: &mut Ctx, codehash: B256) -> Result<Option<Activation>, DbError> {
    let journal = ctx.journal_mut();
    journal.load_account(ARBWASM)?;
    let word = journal.sload(ARBWASM, codehash.into())?.data;
    Ok(Activation::decode(word))
}

fn set_activation(ctx: &mut Ctx, codehash: B256, record: Activation) -> Result<(), DbError> {
    let journal = ctx.journal_mut();
    journal.load_account(ARBWASM)?;
    journal.sstore(ARBWASM, codehash.into(), record.encode())?;
    Ok(())
}

/// `address`'s code, its code hash, and whether the account was cold (loading warms it).
fn load_code(ctx: &mut Ctx, address: Address) -> Result<(Bytes, B256, bool), DbError> {
    let acc = ctx.journal_mut().load_account_with_code(address)?;
    let code = acc.data.info.code.as_ref().map(|c| c.original_bytes()).unwrap_or_default();
    Ok((code, acc.data.info.code_hash, acc.is_cold))
}

/// A program's wasm and the gas nitro charges at activation for reading its fragments.
#[derive(Debug, Clone)]
pub struct ProgramWasm {
    pub wasm: Vec<u8>,
    /// EIP-2929 account access (cold 2600, warm 100) plus 3 per word copied, per fragment.
    pub fragment_gas: u64,
}

/// The wasm of deployed program `code`: a classic program, or a root whose fragments are read
/// from the journal (warming their accounts, as nitro's activation does).
pub fn program_wasm(ctx: &mut Ctx, code: &[u8]) -> Result<Result<ProgramWasm, CodeError>, DbError> {
    if !is_root(code) {
        return Ok(decode_program(code).map(|wasm| ProgramWasm {
            wasm,
            fragment_gas: 0,
        }));
    }
    let root = match parse_root(code) {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    let mut codes = Vec::with_capacity(root.fragments.len());
    let mut fragment_gas = 0u64;
    for address in &root.fragments {
        let (code, _, is_cold) = load_code(ctx, *address)?;
        let access = if is_cold { 2_600 } else { 100 };
        fragment_gas += access + 3 * (code.len() as u64).div_ceil(32);
        codes.push((*address, code));
    }
    let slices: Vec<(Address, &[u8])> = codes.iter().map(|(a, c)| (*a, c.as_ref())).collect();
    Ok(decode_root(&root, &slices).map(|wasm| ProgramWasm { wasm, fragment_gas }))
}

/// Data fee for activating a program whose wasm has `wasm_len` bytes.
pub fn data_fee(wasm_len: usize) -> U256 {
    U256::from(wasm_len as u64) * U256::from(DATA_FEE_PER_BYTE)
}

/// Ethereum precompiles plus ArbWasm, ArbSys and ArbOwnerPublic; owns the Stylus runtime so
/// activation can validate and cache modules.
#[derive(Debug)]
pub struct DevPrecompiles {
    eth: EthPrecompiles,
    addresses: AddressSet,
    /// The wasm engine, hostio linker and compiled programs.
    pub runtime: StylusRuntime,
}

impl DevPrecompiles {
    pub fn new(spec: SpecId, runtime: StylusRuntime) -> Self {
        let eth = EthPrecompiles::new(spec);
        let mut addresses = eth.warm_addresses().clone();
        addresses.extend(ARBITRUM_PRECOMPILES);
        Self {
            eth,
            addresses,
            runtime,
        }
    }
}

impl PrecompileProvider<Ctx> for DevPrecompiles {
    type Output = InterpreterResult;

    fn set_spec(&mut self, spec: <<Ctx as ContextTr>::Cfg as Cfg>::Spec) -> bool {
        let changed = <EthPrecompiles as PrecompileProvider<Ctx>>::set_spec(&mut self.eth, spec);
        if changed {
            let mut addresses = self.eth.warm_addresses().clone();
            addresses.extend(ARBITRUM_PRECOMPILES);
            self.addresses = addresses;
        }
        changed
    }

    fn run(
        &mut self,
        ctx: &mut Ctx,
        inputs: &CallInputs,
    ) -> Result<Option<InterpreterResult>, String> {
        match inputs.bytecode_address {
            ARBWASM => {
                let input = inputs.input.as_bytes(&*ctx).to_vec();
                let out = arbwasm_call(ctx, &mut self.runtime, inputs, &input)
                    .map_err(|e| format!("{e:?}"))?;
                Ok(Some(out))
            }
            ARBSYS => {
                let input = inputs.input.as_bytes(&*ctx).to_vec();
                Ok(Some(arbsys_call(ctx, inputs, &input)))
            }
            ARBWASM_CACHE => {
                let input = inputs.input.as_bytes(&*ctx).to_vec();
                let out = arbwasm_cache_call(ctx, &mut self.runtime, inputs, &input)
                    .map_err(|e| format!("{e:?}"))?;
                Ok(Some(out))
            }
            ARB_OWNER_PUBLIC => {
                let input = inputs.input.as_bytes(&*ctx).to_vec();
                Ok(Some(arb_owner_public_call(inputs, &input)))
            }
            _ => <EthPrecompiles as PrecompileProvider<Ctx>>::run(&mut self.eth, ctx, inputs),
        }
    }

    fn warm_addresses(&self) -> &AddressSet {
        &self.addresses
    }

    fn contains(&self, address: &Address) -> bool {
        self.addresses.contains(address)
    }
}

fn result(
    inputs: &CallInputs,
    result: InstructionResult,
    output: Bytes,
    cost: u64,
) -> InterpreterResult {
    let mut gas = Gas::new(inputs.gas_limit);
    if result == InstructionResult::PrecompileOOG || !gas.record_regular_cost(cost) {
        gas.spend_all();
        return InterpreterResult::new(InstructionResult::PrecompileOOG, Bytes::new(), gas);
    }
    InterpreterResult::new(result, output, gas)
}

fn ok(inputs: &CallInputs, output: Vec<u8>, cost: u64) -> InterpreterResult {
    result(inputs, InstructionResult::Return, output.into(), cost)
}

fn revert(inputs: &CallInputs, output: Vec<u8>, cost: u64) -> InterpreterResult {
    result(inputs, InstructionResult::Revert, output.into(), cost)
}

/// Gas for a view call into an Arbitrum precompile (nitro charges similar small amounts).
const VIEW_GAS: u64 = 800;

fn arbwasm_call(
    ctx: &mut Ctx,
    runtime: &mut StylusRuntime,
    inputs: &CallInputs,
    input: &[u8],
) -> Result<InterpreterResult, DbError> {
    use ArbWasm::*;
    let value = inputs.value.get();
    let Some(selector) = input.get(..4).map(|s| <[u8; 4]>::try_from(s).unwrap()) else {
        return Ok(revert(inputs, Vec::new(), VIEW_GAS));
    };
    let nonpayable =
        |inputs: &CallInputs| (!value.is_zero()).then(|| revert(inputs, Vec::new(), VIEW_GAS));
    Ok(match selector {
        activateProgramCall::SELECTOR => {
            let Ok(call) = activateProgramCall::abi_decode(input) else {
                return Ok(revert(inputs, Vec::new(), VIEW_GAS));
            };
            if inputs.is_static {
                return Ok(revert(inputs, Vec::new(), VIEW_GAS));
            }
            let (code, codehash, _) = load_code(ctx, call.program)?;
            if !(is_stylus(&code) || is_root(&code) || is_fragment(&code)) {
                return Ok(revert(inputs, ProgramNotWasm {}.abi_encode(), VIEW_GAS));
            }
            if program_version(ctx, codehash)? == Some(STYLUS_VERSION) {
                return Ok(revert(inputs, ProgramUpToDate {}.abi_encode(), VIEW_GAS));
            }
            let failed = |why: &dyn std::fmt::Display| {
                let msg = Error {
                    message: format!("activation failed: {why}"),
                };
                revert(inputs, msg.abi_encode(), VIEW_GAS)
            };
            let loaded = match program_wasm(ctx, &code)? {
                Ok(w) => w,
                Err(e) => return Ok(failed(&e)),
            };
            let module = match runtime.compile(&loaded.wasm) {
                Ok(m) => m,
                Err(e) => return Ok(failed(&e)),
            };
            let wasm_len = loaded.wasm.len();
            let cost = EXTRA_ACTIVATION_GAS
                + ACTIVATION_BASE_GAS
                + ACTIVATION_GAS_PER_BYTE * wasm_len as u64
                + loaded.fragment_gas;
            if cost > inputs.gas_limit {
                return Ok(result(
                    inputs,
                    InstructionResult::PrecompileOOG,
                    Bytes::new(),
                    cost,
                ));
            }
            let fee = data_fee(wasm_len);
            if value < fee {
                let err = ProgramInsufficientValue {
                    have: value,
                    want: fee,
                };
                return Ok(revert(inputs, err.abi_encode(), cost));
            }
            let now: u64 = ctx.block().timestamp().saturating_to();
            let record = Activation {
                version: STYLUS_VERSION,
                activated_at: now,
                cached: false,
            };
            set_activation(ctx, codehash, record)?;
            let journal = ctx.journal_mut();
            if value > fee {
                journal.transfer(ARBWASM, inputs.caller, value - fee)?;
            }
            let event = ProgramActivated {
                codehash,
                moduleHash: keccak256(&loaded.wasm),
                program: call.program,
                dataFee: fee,
                version: STYLUS_VERSION,
            };
            journal.log(Log {
                address: ARBWASM,
                data: event.encode_log_data(),
            });
            runtime.insert_module(codehash, module);
            let ret = activateProgramReturn {
                version: STYLUS_VERSION,
                dataFee: fee,
            };
            ok(inputs, activateProgramCall::abi_encode_returns(&ret), cost)
        }
        stylusVersionCall::SELECTOR => nonpayable(inputs).unwrap_or_else(|| {
            ok(
                inputs,
                stylusVersionCall::abi_encode_returns(&STYLUS_VERSION),
                VIEW_GAS,
            )
        }),
        programVersionCall::SELECTOR => {
            if let Some(r) = nonpayable(inputs) {
                return Ok(r);
            }
            let Ok(call) = programVersionCall::abi_decode(input) else {
                return Ok(revert(inputs, Vec::new(), VIEW_GAS));
            };
            let hash = ctx.journal_mut().code_hash(call.program)?.data;
            version_answer(ctx, inputs, hash)?
        }
        codehashVersionCall::SELECTOR => {
            if let Some(r) = nonpayable(inputs) {
                return Ok(r);
            }
            let Ok(call) = codehashVersionCall::abi_decode(input) else {
                return Ok(revert(inputs, Vec::new(), VIEW_GAS));
            };
            version_answer(ctx, inputs, call.codehash)?
        }
        codehashKeepaliveCall::SELECTOR => {
            let Ok(call) = codehashKeepaliveCall::abi_decode(input) else {
                return Ok(revert(inputs, Vec::new(), VIEW_GAS));
            };
            match program_version(ctx, call.codehash)? {
                None => revert(inputs, ProgramNotActivated {}.abi_encode(), VIEW_GAS),
                Some(_) => revert(
                    inputs,
                    ProgramKeepaliveTooSoon { ageInSeconds: 0 }.abi_encode(),
                    VIEW_GAS,
                ),
            }
        }
        programTimeLeftCall::SELECTOR => {
            let Ok(call) = programTimeLeftCall::abi_decode(input) else {
                return Ok(revert(inputs, Vec::new(), VIEW_GAS));
            };
            let hash = ctx.journal_mut().code_hash(call.program)?.data;
            match activation(ctx, hash)? {
                None => revert(inputs, ProgramNotActivated {}.abi_encode(), VIEW_GAS),
                Some(Activation { activated_at: at, .. }) => {
                    let now: u64 = ctx.block().timestamp().saturating_to();
                    let expiry = at + EXPIRY_DAYS as u64 * 86_400;
                    ok(
                        inputs,
                        programTimeLeftCall::abi_encode_returns(&expiry.saturating_sub(now)),
                        VIEW_GAS,
                    )
                }
            }
        }
        programInitGasCall::SELECTOR | programMemoryFootprintCall::SELECTOR => {
            // both take one address
            let Ok(call) = programVersionCall::abi_decode_raw(&input[4..]) else {
                return Ok(revert(inputs, Vec::new(), VIEW_GAS));
            };
            let (code, codehash, _) = load_code(ctx, call.program)?;
            if activation(ctx, codehash)?.is_none() {
                return Ok(revert(inputs, ProgramNotActivated {}.abi_encode(), VIEW_GAS));
            }
            let info = match runtime.load(ctx, codehash, &code)? {
                Ok((_, info)) => info,
                Err(_) => return Ok(revert(inputs, ProgramNotWasm {}.abi_encode(), VIEW_GAS)),
            };
            if selector == programMemoryFootprintCall::SELECTOR {
                ok(inputs, programMemoryFootprintCall::abi_encode_returns(&info.footprint), VIEW_GAS)
            } else {
                let ret = programInitGasReturn {
                    gas: info.init_gas(STYLUS_VERSION, false),
                    gasWhenCached: info.init_gas(STYLUS_VERSION, true),
                };
                ok(inputs, programInitGasCall::abi_encode_returns(&ret), VIEW_GAS)
            }
        }
        inkPriceCall::SELECTOR => ok(
            inputs,
            inkPriceCall::abi_encode_returns(&(gas::INK_PRICE as u32)),
            VIEW_GAS,
        ),
        maxStackDepthCall::SELECTOR => ok(
            inputs,
            maxStackDepthCall::abi_encode_returns(&MAX_STACK_DEPTH),
            VIEW_GAS,
        ),
        activationGasCall::SELECTOR => ok(
            inputs,
            activationGasCall::abi_encode_returns(&EXTRA_ACTIVATION_GAS),
            VIEW_GAS,
        ),
        freePagesCall::SELECTOR => ok(
            inputs,
            freePagesCall::abi_encode_returns(&(gas::FREE_PAGES as u16)),
            VIEW_GAS,
        ),
        pageGasCall::SELECTOR => ok(
            inputs,
            pageGasCall::abi_encode_returns(&(gas::PAGE_GAS as u16)),
            VIEW_GAS,
        ),
        pageLimitCall::SELECTOR => ok(
            inputs,
            pageLimitCall::abi_encode_returns(&(gas::MAX_PAGES as u16)),
            VIEW_GAS,
        ),
        expiryDaysCall::SELECTOR => ok(
            inputs,
            expiryDaysCall::abi_encode_returns(&EXPIRY_DAYS),
            VIEW_GAS,
        ),
        keepaliveDaysCall::SELECTOR => ok(
            inputs,
            keepaliveDaysCall::abi_encode_returns(&31u16),
            VIEW_GAS,
        ),
        _ => revert(inputs, Vec::new(), VIEW_GAS),
    })
}

fn version_answer(
    ctx: &mut Ctx,
    inputs: &CallInputs,
    codehash: B256,
) -> Result<InterpreterResult, DbError> {
    Ok(match program_version(ctx, codehash)? {
        None => revert(
            inputs,
            ArbWasm::ProgramNotActivated {}.abi_encode(),
            VIEW_GAS,
        ),
        Some(v) => ok(
            inputs,
            ArbWasm::programVersionCall::abi_encode_returns(&v),
            VIEW_GAS,
        ),
    })
}

/// ArbOwnerPublic: the Stylus limit tools read and the chain owner; other methods revert
/// without data.
fn arb_owner_public_call(inputs: &CallInputs, input: &[u8]) -> InterpreterResult {
    use ArbOwnerPublic::*;
    let Some(selector) = input.get(..4).map(|s| <[u8; 4]>::try_from(s).unwrap()) else {
        return revert(inputs, Vec::new(), VIEW_GAS);
    };
    match selector {
        getMaxStylusContractFragmentsCall::SELECTOR => ok(
            inputs,
            getMaxStylusContractFragmentsCall::abi_encode_returns(&MAX_FRAGMENTS),
            VIEW_GAS,
        ),
        isChainOwnerCall::SELECTOR => match isChainOwnerCall::abi_decode(input) {
            Ok(call) => ok(inputs, isChainOwnerCall::abi_encode_returns(&(call.addr == CHAIN_OWNER)), VIEW_GAS),
            Err(_) => revert(inputs, Vec::new(), VIEW_GAS),
        },
        getAllChainOwnersCall::SELECTOR => ok(
            inputs,
            getAllChainOwnersCall::abi_encode_returns(&vec![CHAIN_OWNER]),
            VIEW_GAS,
        ),
        _ => revert(inputs, Vec::new(), VIEW_GAS),
    }
}

/// ArbWasmCache: the chain owner caches programs so that every call of them pays only the
/// cached init cost. As nitro: a caller without access burns all its gas and reverts without
/// data; caching costs the program's init cost units in gas (plus, here, an SSTORE and the
/// event); caching a program whose Stylus version is old reverts `ProgramNeedsUpgrade`.
fn arbwasm_cache_call(
    ctx: &mut Ctx,
    runtime: &mut StylusRuntime,
    inputs: &CallInputs,
    input: &[u8],
) -> Result<InterpreterResult, DbError> {
    use ArbWasmCache::*;
    let Some(selector) = input.get(..4).map(|s| <[u8; 4]>::try_from(s).unwrap()) else {
        return Ok(revert(inputs, Vec::new(), VIEW_GAS));
    };
    if !inputs.value.get().is_zero() {
        return Ok(revert(inputs, Vec::new(), VIEW_GAS));
    }
    let (codehash, address, cache) = match selector {
        isCacheManagerCall::SELECTOR => {
            return Ok(match isCacheManagerCall::abi_decode(input) {
                Ok(_) => ok(inputs, isCacheManagerCall::abi_encode_returns(&false), VIEW_GAS),
                Err(_) => revert(inputs, Vec::new(), VIEW_GAS),
            })
        }
        allCacheManagersCall::SELECTOR => {
            return Ok(ok(inputs, allCacheManagersCall::abi_encode_returns(&Vec::new()), VIEW_GAS))
        }
        codehashIsCachedCall::SELECTOR => {
            let Ok(call) = codehashIsCachedCall::abi_decode(input) else {
                return Ok(revert(inputs, Vec::new(), VIEW_GAS));
            };
            return Ok(match activation(ctx, call.codehash)? {
                Some(a) => ok(inputs, codehashIsCachedCall::abi_encode_returns(&a.cached), VIEW_GAS),
                None => revert(inputs, ArbWasm::ProgramNotActivated {}.abi_encode(), VIEW_GAS),
            });
        }
        cacheProgramCall::SELECTOR => {
            let Ok(call) = cacheProgramCall::abi_decode(input) else {
                return Ok(revert(inputs, Vec::new(), VIEW_GAS));
            };
            let hash = ctx.journal_mut().code_hash(call.addr)?.data;
            (hash, Some(call.addr), true)
        }
        evictCodehashCall::SELECTOR => {
            let Ok(call) = evictCodehashCall::abi_decode(input) else {
                return Ok(revert(inputs, Vec::new(), VIEW_GAS));
            };
            (call.codehash, None, false)
        }
        _ => return Ok(revert(inputs, Vec::new(), VIEW_GAS)),
    };
    if inputs.is_static {
        return Ok(revert(inputs, Vec::new(), VIEW_GAS));
    }
    if inputs.caller != CHAIN_OWNER {
        return Ok(result(inputs, InstructionResult::PrecompileOOG, Bytes::new(), u64::MAX));
    }
    let Some(mut record) = activation(ctx, codehash)? else {
        return Ok(revert(inputs, ArbWasm::ProgramNotActivated {}.abi_encode(), VIEW_GAS));
    };
    if cache && record.version != STYLUS_VERSION {
        let err = ArbWasm::ProgramNeedsUpgrade {
            version: record.version,
            stylusVersion: STYLUS_VERSION,
        };
        return Ok(revert(inputs, err.abi_encode(), VIEW_GAS));
    }
    if record.cached == cache {
        return Ok(ok(inputs, Vec::new(), VIEW_GAS));
    }
    let code = match address {
        Some(a) => load_code(ctx, a)?.0,
        None => Bytes::new(),
    };
    let init_cost = match runtime.load(ctx, codehash, &code)? {
        Ok((_, info)) => info.init_cost,
        // evicting by code hash a program this runtime never compiled: nothing to measure it by
        Err(_) => 0,
    };
    // rewriting the record (an SSTORE of a nonzero slot) and the event (LOG3, one word)
    let cost = VIEW_GAS + u64::from(init_cost) + 5_000 + 375 * 4 + 8 * 32;
    record.cached = cache;
    set_activation(ctx, codehash, record)?;
    let event = UpdateProgramCache {
        manager: inputs.caller,
        codehash,
        cached: cache,
    };
    ctx.journal_mut().log(Log {
        address: ARBWASM_CACHE,
        data: event.encode_log_data(),
    });
    Ok(ok(inputs, Vec::new(), cost))
}

fn arbsys_call(ctx: &mut Ctx, inputs: &CallInputs, input: &[u8]) -> InterpreterResult {
    use ArbSys::*;
    let Some(selector) = input.get(..4).map(|s| <[u8; 4]>::try_from(s).unwrap()) else {
        return revert(inputs, Vec::new(), VIEW_GAS);
    };
    let word = |v: U256| v.to_be_bytes::<32>().to_vec();
    match selector {
        arbBlockNumberCall::SELECTOR => ok(inputs, word(ctx.block().number()), VIEW_GAS),
        arbChainIDCall::SELECTOR => ok(inputs, word(U256::from(ctx.cfg().chain_id())), VIEW_GAS),
        arbOSVersionCall::SELECTOR => ok(inputs, word(U256::from(55 + ARBOS_VERSION)), VIEW_GAS),
        getStorageGasAvailableCall::SELECTOR => ok(inputs, word(U256::ZERO), VIEW_GAS),
        isTopLevelCallCall::SELECTOR => {
            let top = ctx.journal().depth() <= 2;
            ok(inputs, word(U256::from(top as u8)), VIEW_GAS)
        }
        wasMyCallersAddressAliasedCall::SELECTOR => ok(inputs, word(U256::ZERO), VIEW_GAS),
        myCallersAddressWithoutAliasingCall::SELECTOR => ok(
            inputs,
            word(U256::from_be_slice(inputs.caller.as_slice())),
            VIEW_GAS,
        ),
        _ => revert(inputs, Vec::new(), VIEW_GAS),
    }
}
