//! Stylus programs on wasmi: the runtime (engine, linker, compiled-module cache, activation-time
//! validation) and the execution frame that plugs into revm's frame loop.

pub mod frame;
pub mod host;

use crate::code::CodeError;
use alloy_primitives::B256;
use host::{define_hostios, HostData};
use std::collections::HashMap;
use wasmi::{Config, Engine, ExternType, Linker, Module, Store, ValType};

pub use frame::StylusFrame;

/// Subtracts `cost` from `left`, or `None` when it does not fit.
pub(crate) fn gas_charge(left: u64, cost: u64) -> Option<u64> {
    left.checked_sub(cost)
}

/// Why a program cannot be activated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidationError {
    /// The deployed code could not be decoded.
    Code(CodeError),
    /// wasmi rejected the module (malformed, unsupported feature, start function...).
    Invalid(String),
    /// A required export is missing or has the wrong type.
    Export(&'static str),
    /// The module imports something the host does not provide.
    Import(String),
}

impl std::fmt::Display for ValidationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ValidationError::Code(e) => write!(f, "{e}"),
            ValidationError::Invalid(e) => write!(f, "invalid wasm: {e}"),
            ValidationError::Export(what) => write!(f, "missing or mistyped export: {what}"),
            ValidationError::Import(e) => write!(f, "unsupported import: {e}"),
        }
    }
}

impl std::error::Error for ValidationError {}

/// Engine, linker with every hostio, and compiled modules keyed by code hash.
pub struct StylusRuntime {
    pub(crate) engine: Engine,
    pub(crate) linker: Linker<HostData>,
    modules: HashMap<B256, Module>,
}

impl std::fmt::Debug for StylusRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StylusRuntime")
            .field("cached_modules", &self.modules.len())
            .finish()
    }
}

impl Default for StylusRuntime {
    fn default() -> Self {
        Self::new()
    }
}

impl Clone for StylusRuntime {
    /// Clones share the engine and compiled modules (both are reference counted).
    fn clone(&self) -> Self {
        let mut linker = Linker::new(&self.engine);
        define_hostios(&mut linker).expect("hostio names are unique");
        Self {
            engine: self.engine.clone(),
            linker,
            modules: self.modules.clone(),
        }
    }
}

impl StylusRuntime {
    pub fn new() -> Self {
        let mut config = Config::default();
        config
            .consume_fuel(true)
            .allow_start_fn(false)
            .wasm_tail_call(false)
            .wasm_multi_memory(false)
            .wasm_extended_const(false)
            .wasm_custom_page_sizes(false)
            .wasm_wide_arithmetic(false);
        let engine = Engine::new(&config);
        let mut linker = Linker::new(&engine);
        define_hostios(&mut linker).expect("hostio names are unique");
        Self {
            engine,
            linker,
            modules: HashMap::new(),
        }
    }

    /// Compiles and validates a program's wasm (decoded from its deployed code by
    /// [`crate::precompiles::program_wasm`]). Does not cache.
    pub fn compile(&self, wasm: &[u8]) -> Result<Module, ValidationError> {
        let module =
            Module::new(&self.engine, wasm).map_err(|e| ValidationError::Invalid(e.to_string()))?;
        match module.get_export("user_entrypoint") {
            Some(ExternType::Func(ty))
                if ty.params() == [ValType::I32] && ty.results() == [ValType::I32] => {}
            _ => return Err(ValidationError::Export("user_entrypoint(i32) -> i32")),
        }
        if !matches!(module.get_export("memory"), Some(ExternType::Memory(_))) {
            return Err(ValidationError::Export("memory"));
        }
        // Every import must resolve against the hostios with the right signature.
        let mut store = Store::new(&self.engine, HostData::new(Default::default(), Vec::new()));
        store.set_fuel(u64::MAX / 2).expect("fuel metering is on");
        self.linker
            .instantiate_and_start(&mut store, &module)
            .map_err(|e| ValidationError::Import(e.to_string()))?;
        Ok(module)
    }

    /// The compiled module cached under `codehash` (by activation, or a previous call).
    pub fn cached(&self, codehash: B256) -> Option<Module> {
        self.modules.get(&codehash).cloned()
    }

    /// Caches an already compiled module.
    pub fn insert_module(&mut self, codehash: B256, module: Module) {
        self.modules.insert(codehash, module);
    }
}
