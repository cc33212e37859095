//! Storage reads and writes as shared functions.
//!
//! The SDK's `StorageU256::get` and friends are generic and inlined at every call site: a view
//! that returns one field costs about 500 bytes of wasm, and a contract reads its counters in
//! dozens of places. These wrappers are compiled once per type; each call site is a call.
//! `u64` also reads a `uint64` slot without ruint's checked conversion, whose panic path
//! pulls in formatting code.

use alloy_primitives::{U256, U64};
use stylus_sdk::storage::{StorageU256, StorageU64};

/// The value of a `uint256` field.
#[inline(never)]
pub fn u256(field: &StorageU256) -> U256 {
    field.get()
}

/// Writes a `uint256` field.
#[inline(never)]
pub fn set_u256(field: &mut StorageU256, value: U256) {
    field.set(value)
}

/// The value of a `uint64` field.
#[inline(never)]
pub fn u64(field: &StorageU64) -> u64 {
    field.get().as_limbs()[0]
}

/// Writes a `uint64` field.
#[inline(never)]
pub fn set_u64(field: &mut StorageU64, value: u64) {
    field.set(U64::from(value))
}
