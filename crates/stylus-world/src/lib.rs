//! A native, in-memory chain for unit-testing Stylus contracts together.
//!
//! stylus-sdk's `TestVM` runs one contract with mocked calls. dseq's contracts call each other
//! and real ERC-20 tokens, so their tests need several contracts at distinct addresses, each with
//! its own storage, calling one another through the real ABI. [`World`] provides that:
//!
//! - Stylus contracts are registered by their router (`stylus_sdk::abi::router_entrypoint`), so a
//!   call goes through selector dispatch, ABI decoding and the contract's error encoding exactly
//!   as on chain; native mocks ([`NativeContract`]) play tokens and hostile counterparties.
//! - A failed call rolls back that frame's storage, balances and logs, as the EVM does.
//! - Re-entering a Stylus contract that is already on the call stack reverts, as the SDK's
//!   default entrypoint guard does on chain.
//! - `ecrecover` (address 0x01) is implemented, so signature checks run for real.
//!
//! What it does not model: gas and ink, `create1/2`, the storage cache (writes go straight to
//! state; the cache is only observable through gas). The devnode runs the real WASM for that.

mod frame;
pub mod keys;
pub mod mocks;
mod world;

pub use frame::Frame;
pub use world::{Log, NativeContract, NativeCtx, Outcome, Revert, World};
