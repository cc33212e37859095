//! # devnode: a Stylus-capable local chain (execution core)
//!
//! EVM bytecode runs in [revm](https://docs.rs/revm); Stylus programs (account code starting with
//! `EF F0 00`, or a fragmented program's root `EF F0 02`, see [`code`]) run in [wasmi](https://docs.rs/wasmi) through the `vm_hooks` host ABI of
//! stylus-sdk 0.10, with nitro's semantics where they are observable: a storage cache that is
//! written to state only by `storage_flush_cache`, the reentrancy flag, return data, logs, value
//! transfers, reverts that roll back, and calls in every direction (EOA/EVM/Stylus to
//! EVM/Stylus, including `DELEGATECALL` into a Stylus program).
//!
//! ## How Stylus plugs into revm
//!
//! revm 43 drives execution through a handler (`MainnetHandler`) that only talks to the EVM
//! through the `EvmTr` trait: `frame_init` (make a frame for a call/create, or return its result
//! at once), `frame_run` (run the top frame until it finishes or asks for a child), and
//! `frame_return_result` (pop a finished frame and hand its result to its parent). [`DevEvm`]
//! implements `EvmTr` with its own stack of [`evm::DevFrame`]s, each either revm's own
//! `EthFrame` (the unmodified interpreter) or a [`stylus::StylusFrame`]:
//!
//! - `frame_init` looks at the callee's code: `EF F0 00...` or `EF F0 02...` makes a Stylus frame (journal
//!   checkpoint, value transfer, activation check, wasm instantiation); anything else goes to
//!   `EthFrame::init_with_context` exactly as in revm (precompiles included).
//! - A Stylus frame runs its `user_entrypoint` as a wasmi *resumable call*. Hostios that need
//!   chain state (storage misses, flushes, balances, code) or a child frame (calls, creates)
//!   suspend the program; the frame services the request against revm's journal, or returns the
//!   child's `FrameInit` to the handler, which runs the child as an ordinary frame on top of the
//!   stack. When the child's result comes back through `frame_return_result`, the frame writes
//!   it into wasm memory and resumes the program on the next `frame_run`.
//!
//! So there is no recursion and no unsafe code: every frame, EVM or Stylus, lives on one explicit
//! stack, nested calls of any depth and direction share revm's journal and checkpoints, and a
//! revert at any depth rolls back exactly that frame's storage, balances and logs.
//!
//! ## Reentrancy
//!
//! `msg_reentrant` follows nitro: a program is reentrant when more than one "context span" of its
//! acting address (the address whose storage it runs on) is open on the call stack, counting EVM
//! and Stylus frames alike; `DELEGATECALL`/`CALLCODE` frames open no span of their own. So an EVM
//! proxy delegating into a Stylus implementation is not reentrant, while `A -> B -> A` is (and
//! stylus-sdk's entrypoint then returns 1 without data, unless built with its `reentrant` feature).
//!
//! ## Deployment and activation
//!
//! Stylus code is deployed by ordinary CREATE/CREATE2 whose init code returns
//! `EF F0 00 00 || brotli(wasm)` (EIP-3541 is disabled, see [`evm::dev_cfg`]). Before it can be
//! called it must be activated through the ArbWasm precompile at `0x71`
//! (`activateProgram(address)`, with a data fee); calling an unactivated program reverts with
//! ArbWasm's `ProgramNotActivated()`. See [`precompiles`]. cargo-stylus's constructor path goes
//! through a StylusDeployer-compatible contract implemented natively (see [`deployer`]).
//!
//! ## Gas
//!
//! EVM execution is exact (revm). Stylus programs pay what nitro charges (ArbOS 60 defaults):
//! ink per opcode by basic block ([`stylus::meter`] instruments each program at activation as
//! nitro does), hostios, the storage cache, memory, the program's init cost unless the chain
//! caches it (ArbWasmCache) or it ran earlier in the block, and the EVM costs of calls; see
//! [`gas`]. `tests/nitro_gas.rs` checks each rule against figures derived by hand.
//!
//! ## Chain and threads
//!
//! [`Chain`] adds blocks, receipts, logs, snapshots and time on top of [`DevEvm`]. It is `!Send`
//! (revm's context holds `Rc`s), so servers use [`ChainHandle`], which runs a chain on its own
//! thread and executes requests as closures, one at a time.
//!
//! ## wasmi build note
//!
//! wasmi is built with its `portable-dispatch` feature: its default tail-call dispatch overflowed
//! the stack of a test thread on a long-running program.
//!
//! ## Differences from nitro (known)
//!
//! - No L1 data (poster) cost: on an Arbitrum chain a receipt's `gasUsed` also pays for the
//!   transaction's bytes on the parent chain, at the parent chain's price; here, as on anvil,
//!   `gasUsed` is execution alone.
//! - Activation's gas (1,000,000 + 50 per wasm byte) and data fee (1 gwei per wasm byte) are
//!   flat prices; nitro measures both while compiling.
//! - Stack depth: nitro bounds a program's stack by its frames' sizes (`maxStackDepth`); here
//!   wasmi's stack does, so a program recursing near the limit may trap at another depth.
//! - Only brotli dictionary `00` (none) is supported. Fragmented programs (ArbOS 60) are; the
//!   ArbOS 60 parameters are nitro's defaults and fixed (no ArbOwner).
//! - Dirty storage-cache entries that a program never flushes are discarded when it returns
//!   (stylus-sdk programs always flush before returning and before calls).
//! - Before each call/create hostio the host also flushes and clears the cache itself.
//!
// A panicking request must fail alone (-32603, see `rpc`) while the node keeps serving: the
// per-request `catch_unwind`s need unwinding, which `panic = "abort"` silently removes.
#[cfg(panic = "abort")]
compile_error!(
    "devnode must be built with panic = \"unwind\" (a panic would kill the node instead of \
     failing one request): remove `panic = \"abort\"` from the Cargo profile"
);

pub mod bench;
pub mod chain;
pub mod code;
pub mod deployer;
pub mod evm;
pub mod gas;
pub mod handle;
pub mod precompiles;
pub mod rpc;
pub mod stylus;

pub use chain::{Chain, ChainConfig, ChainError, LogFilter, Receipt, Transaction, TxStatus};
pub use evm::{dev_cfg, install_arbitrum_accounts, Ctx, Db, DevEvm, TxError};
pub use handle::{ChainGone, ChainHandle};
pub use rpc::{serve, RunningNode, ANVIL_DEV_KEYS};
pub use stylus::StylusRuntime;

/// Re-exports callers need to build transactions and inspect results.
pub use revm;
