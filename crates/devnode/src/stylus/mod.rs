//! Stylus programs on wasmi: the runtime (engine, linker, compiled-module cache, activation-time
//! validation) and the execution frame that plugs into revm's frame loop.

pub mod frame;
pub mod host;
pub mod meter;

use crate::code::CodeError;
use crate::gas;
use meter::ProgramInfo;
use alloy_primitives::B256;
use host::{define_hostios, HostData};
use std::collections::HashMap;
use wasmi::{Config, Engine, ExternType, Linker, Module, Store, ValType};

pub use frame::StylusFrame;

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

/// Engine, linker with every hostio, compiled (instrumented) modules keyed by code hash, and the
/// programs the current block called recently.
pub struct StylusRuntime {
    pub(crate) engine: Engine,
    pub(crate) linker: Linker<HostData>,
    modules: HashMap<B256, (Module, ProgramInfo)>,
    /// What nitro calls the recent-wasms cache: a program called again in the same block pays
    /// the cached init cost (ArbOS 60).
    pub(crate) recent: RecentPrograms,
}

/// The last [`gas::RECENT_PROGRAMS`] programs called in a block, least recent first; forgotten
/// when the block changes (nitro's `RecentWasms`, an LRU discarded at the end of each block).
#[derive(Debug, Clone, Default)]
pub struct RecentPrograms {
    block: u64,
    order: std::collections::VecDeque<B256>,
}

impl RecentPrograms {
    /// Records a call of `codehash` in `block`; true when it was among the recent ones.
    pub fn touch(&mut self, block: u64, codehash: B256) -> bool {
        if block != self.block {
            self.block = block;
            self.order.clear();
        }
        if let Some(i) = self.order.iter().position(|h| *h == codehash) {
            self.order.remove(i);
            self.order.push_back(codehash);
            return true;
        }
        self.order.push_back(codehash);
        if self.order.len() > gas::RECENT_PROGRAMS {
            self.order.pop_front();
        }
        false
    }
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
            recent: self.recent.clone(),
        }
    }
}

impl StylusRuntime {
    pub fn new() -> Self {
        // No fuel: ink is metered by the instrumentation, as nitro does (see [`meter`]).
        let mut config = Config::default();
        config
            .consume_fuel(false)
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
            recent: RecentPrograms::default(),
        }
    }

    /// Validates a program's wasm (decoded from its deployed code by
    /// [`crate::precompiles::program_wasm`]), instruments it for ink metering as nitro does at
    /// activation and compiles it; returns the module and its activation costs. Does not cache.
    pub fn compile(&self, wasm: &[u8]) -> Result<(Module, ProgramInfo), ValidationError> {
        Module::new(&self.engine, wasm).map_err(|e| ValidationError::Invalid(e.to_string()))?;
        let instrumented = meter::instrument(wasm, crate::precompiles::STYLUS_VERSION).map_err(ValidationError::Invalid)?;
        let module = Module::new(&self.engine, &instrumented.wasm)
            .map_err(|e| ValidationError::Invalid(format!("instrumented: {e}")))?;
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
        self.linker
            .instantiate_and_start(&mut store, &module)
            .map_err(|e| ValidationError::Import(e.to_string()))?;
        Ok((module, instrumented.info))
    }

    /// The compiled module and activation costs of the program with `code` (its `codehash`):
    /// from this runtime's cache, or compiled now for an activated program this runtime has not
    /// seen (a state built elsewhere) and cached.
    pub fn load(
        &mut self,
        ctx: &mut crate::evm::Ctx,
        codehash: B256,
        code: &[u8],
    ) -> Result<Result<(Module, ProgramInfo), ValidationError>, crate::evm::DbError> {
        if let Some(m) = self.cached(codehash) {
            return Ok(Ok(m));
        }
        let compiled = crate::precompiles::program_wasm(ctx, code)?
            .map_err(ValidationError::Code)
            .and_then(|loaded| self.compile(&loaded.wasm));
        if let Ok(m) = &compiled {
            self.insert_module(codehash, m.clone());
        }
        Ok(compiled)
    }

    /// The compiled module cached under `codehash` (by activation, or a previous call).
    pub fn cached(&self, codehash: B256) -> Option<(Module, ProgramInfo)> {
        self.modules.get(&codehash).cloned()
    }

    /// Caches an already compiled module.
    pub fn insert_module(&mut self, codehash: B256, module: (Module, ProgramInfo)) {
        self.modules.insert(codehash, module);
    }
}
