//! Storage reads and writes as shared functions.
//!
//! The SDK's `StorageU256::get` and friends are generic and inlined at every call site: a view
//! that returns one field costs about 500 bytes of wasm, and a contract reads its counters in
//! dozens of places. These wrappers are compiled once per type; each call site is a call.
//! `u64` also reads a `uint64` slot without ruint's checked conversion, whose panic path
//! pulls in formatting code.

use alloy_primitives::{aliases::U96, U128, U256, U64};
use stylus_sdk::storage::{StorageU128, StorageU16, StorageU256, StorageU32, StorageU64, StorageU8, StorageU96};

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

/// The value of a `uint128` field, widened to the `U256` that the ABI and the arithmetic use.
/// A `uint128` packs with another `uint128` (or two `uint64`s) into one slot, so an operation
/// that updates both writes one slot.
#[inline(never)]
pub fn u128(field: &StorageU128) -> U256 {
    let [low, high] = field.get().into_limbs();
    U256::from_limbs([low, high, 0, 0])
}

/// Writes a `uint128` field from a `U256` the caller has bounded below 2^128. The bits above
/// 128 are dropped rather than checked: a checked conversion's panic path costs more wasm than
/// the bound it re-checks.
#[inline(never)]
pub fn set_u128(field: &mut StorageU128, value: U256) {
    debug_assert!(value <= U256::from(u128::MAX), "set_u128 of a value above 2^128 - 1");
    let [low, high, ..] = *value.as_limbs();
    field.set(U128::from_limbs([low, high]))
}

/// The value of a `uint96` field, widened to `U256`. A `uint96` packs with an address into one
/// slot.
#[inline(never)]
pub fn u96(field: &StorageU96) -> U256 {
    let [low, high] = field.get().into_limbs();
    U256::from_limbs([low, high, 0, 0])
}

/// Writes a `uint96` field from a `U256` the caller has bounded below 2^96 (higher bits are
/// dropped, as in [`set_u128`]).
#[inline(never)]
pub fn set_u96(field: &mut StorageU96, value: U256) {
    debug_assert!(value < U256::from(1u128 << 96), "set_u96 of a value above 2^96 - 1");
    let [low, high, ..] = *value.as_limbs();
    field.set(U96::from_limbs([low, high & 0xffff_ffff]))
}

/// The value of a `uint64` field.
#[inline(never)]
pub fn u64(field: &StorageU64) -> u64 {
    field.get().as_limbs()[0]
}

/// The value of a `uint32` field.
#[inline(never)]
pub fn u32(field: &StorageU32) -> u32 {
    field.get().as_limbs()[0] as u32
}

/// The value of a `uint16` field.
#[inline(never)]
pub fn u16(field: &StorageU16) -> u16 {
    field.get().as_limbs()[0] as u16
}

/// The value of a `uint8` field.
#[inline(never)]
pub fn u8(field: &StorageU8) -> u8 {
    field.get().as_limbs()[0] as u8
}

/// Writes a `uint64` field.
#[inline(never)]
pub fn set_u64(field: &mut StorageU64, value: u64) {
    field.set(U64::from(value))
}
