//! Stylus gas as nitro charges it, one rule at a time, with tiny hand-written programs whose
//! every cost is derived here by hand from nitro's published numbers (the opcode and hostio
//! tables of docs.arbitrum.io `stylus/reference/opcode-hostio-pricing`, and the memory and init
//! rules of `arbos/programs`): opcodes by basic block with the 2,450-ink header, ink rounded
//! up to gas once per call, hostio base prices, storage's cold load and new slot, memory growth,
//! the program's init cost and the cheaper second call in a block.

mod common;

use common::*;

const INTRINSIC: u64 = 21_000;
const HEADER: u64 = 2_450;

fn wat(text: &str) -> Vec<u8> {
    wat::parse_str(text).unwrap()
}

/// Gas of a call with empty calldata, without the transaction's 21,000.
fn gas_of(chain: &mut TestChain, program: alloy_primitives::Address) -> u64 {
    let r = chain.call(program, vec![]);
    assert!(r.is_success(), "{r:?}");
    r.tx_gas_used() - INTRINSIC
}

/// The gas `ink` of opcodes and hostios costs in one call: the ink left rounds down to gas on
/// exit, so the ink used rounds up.
fn gas(ink: u64) -> u64 {
    ink.div_ceil(10_000)
}

/// A program's init and cached-init cost units, by hand from nitro's formula (each term rounds
/// down): `funcs` defined functions whose types have `type_len` inputs and outputs together,
/// `globals` of its own (nitro adds 4), `data_len` bytes of data segments, `pages` of memory.
fn costs(wasm_len: u64, funcs: u64, type_len: u64, globals: u64, data_len: u64, pages: u64) -> (u64, u64) {
    let globals = globals + 4;
    let cached = funcs * 13_420 / 100_000 + type_len * 89 / 100_000 + wasm_len * 122 / 100_000 + globals * 1_628 / 1_000 + data_len * 75_244 / 100_000 + pages * 5;
    let init = funcs * 8_252 / 1_000 + type_len * 1_059 / 1_000 + wasm_len * 1_286 / 10_000;
    (init, cached)
}

/// The first call in a block pays `69 x 128 + init` and `11 x 32 + cached` (Stylus version 2).
fn uncached(init: u64, cached: u64) -> u64 {
    8_832 + init + 352 + cached
}

const EMPTY: &str = r#"(module (memory (export "memory") 1)
  (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#;

#[test]
fn a_call_pays_the_programs_init_then_its_blocks_of_opcodes() {
    let wasm = wat(EMPTY);
    let (init, cached) = costs(wasm.len() as u64, 1, 2, 0, 0, 1);
    assert_eq!(cached, 6 + 5, "4 globals (1,628 each per 1,000) and a page (5)");
    let mut chain = TestChain::new();
    let p = chain.deploy_stylus(&wasm);
    chain.next_block();
    // one block: i32.const (1) and end (1), with its header
    let ops = gas(1 + 1 + HEADER);
    assert_eq!(ops, 1);
    assert_eq!(gas_of(&mut chain, p), uncached(init, cached) + ops);
    // called again in the same block, it is among the recent programs: only the cached cost
    assert_eq!(gas_of(&mut chain, p), 352 + cached + ops);
    chain.next_block();
    assert_eq!(gas_of(&mut chain, p), uncached(init, cached) + ops, "a new block forgets");
}

#[test]
fn hostios_cost_their_base_price_and_the_call_that_reaches_them() {
    let wasm = wat(
        r#"(module
          (import "vm_hooks" "msg_sender" (func $sender (param i32)))
          (import "vm_hooks" "block_number" (func $number (result i64)))
          (memory (export "memory") 1)
          (func (export "user_entrypoint") (param i32) (result i32)
            i32.const 0 call $sender
            call $number drop
            i32.const 0))"#,
    );
    let (_, cached) = costs(wasm.len() as u64, 1, 2, 0, 0, 1);
    let mut chain = TestChain::new();
    let p = chain.deploy_stylus(&wasm);
    gas_of(&mut chain, p);
    // blocks: [i32.const, call] [call] [drop, i32.const, end], each with a header
    let ops = (1 + 3_800 + HEADER) + (3_800 + HEADER) + (9 + 1 + 1 + HEADER);
    // msg_sender writes a pointer: 8,400 + 5,040; block_number returns a value: 8,400
    let hostios = 13_440 + 8_400;
    assert_eq!(gas_of(&mut chain, p), 352 + cached + gas(ops + hostios));
}

#[test]
fn storage_pays_a_cold_load_and_a_new_slot_at_flush() {
    let wasm = wat(
        r#"(module
          (import "vm_hooks" "storage_load_bytes32" (func $load (param i32 i32)))
          (import "vm_hooks" "storage_cache_bytes32" (func $cache (param i32 i32)))
          (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
          (memory (export "memory") 1)
          (data (i32.const 63) "\01")
          (func (export "user_entrypoint") (param i32) (result i32)
            i32.const 0 i32.const 100 call $load
            i32.const 0 i32.const 32 call $cache
            i32.const 0 call $flush
            i32.const 0))"#,
    );
    // the data segment: flags, i32.const 63, end, length, one byte = 6 bytes
    let (_, cached) = costs(wasm.len() as u64, 1, 2, 0, 6, 1);
    let mut chain = TestChain::new();
    let p = chain.deploy_stylus(&wasm);
    // blocks: [i32.const, i32.const, call] twice, [i32.const, call], [i32.const, end]
    let ops = 2 * (1 + 1 + 3_800 + HEADER) + (1 + 3_800 + HEADER) + (1 + 1 + HEADER);
    // load and cache: 8,400 + 2 x 5,040 each; flush: 8,400 + 59,673
    let hostios = 2 * 18_480 + 68_073;
    // a cold SLOAD (2,100) and the EVM API (5); slot 0 from 0 to 1, already warm: 20,000
    let evm = 2_105 + 20_000;
    let (init, _) = costs(wasm.len() as u64, 1, 2, 0, 6, 1);
    assert_eq!(gas_of(&mut chain, p), uncached(init, cached) + gas(ops + hostios) + evm);
    assert_eq!(chain.storage(p, alloy_primitives::U256::ZERO), alloy_primitives::U256::from(1));
    // again in the same block: the program is cached, the slot was written (1 to 1 is 100)
    let evm = 2_105 + 100;
    assert_eq!(gas_of(&mut chain, p), 352 + cached + gas(ops + hostios) + evm);
}

#[test]
fn memory_beyond_two_pages_pays_per_page_and_the_ramp() {
    let wasm = wat(
        r#"(module (memory (export "memory") 1)
          (func (export "user_entrypoint") (param i32) (result i32)
            i32.const 3 memory.grow drop
            i32.const 0))"#,
    );
    let (_, cached) = costs(wasm.len() as u64, 1, 2, 0, 0, 1);
    let mut chain = TestChain::new();
    let p = chain.deploy_stylus(&wasm);
    gas_of(&mut chain, p);
    // one block: i32.const, memory.grow (8,050), drop, i32.const, end
    let ops = 1 + 8_050 + 9 + 1 + 1 + HEADER;
    // 1 page open, growing to 4: 2 beyond the 2 free ones at 1,000 each; the ramp is 1 at
    // both 1 and 4 pages
    assert_eq!(gas_of(&mut chain, p), 352 + cached + gas(ops) + 2_000);
}

#[test]
fn a_loop_pays_its_body_on_every_iteration() {
    // counts $i down from 3: the body is its own block, paid 3 times
    let wasm = wat(
        r#"(module (memory (export "memory") 1)
          (func (export "user_entrypoint") (param $i i32) (result i32)
            i32.const 3 local.set $i
            (loop $again
              local.get $i i32.const 1 i32.sub local.tee $i
              br_if $again)
            i32.const 0))"#,
    );
    let (_, cached) = costs(wasm.len() as u64, 1, 2, 0, 0, 1);
    let mut chain = TestChain::new();
    let p = chain.deploy_stylus(&wasm);
    gas_of(&mut chain, p);
    // [i32.const, local.set, loop] once; [local.get, i32.const, i32.sub, local.tee, br_if] 3
    // times; then [end] (the loop's: an end ends a block) and [i32.const, end] once
    let entry = 1 + 210 + 1 + HEADER;
    let body = 75 + 1 + 70 + 75 + 765 + HEADER;
    let exit = (1 + HEADER) + (1 + 1 + HEADER);
    assert_eq!(gas_of(&mut chain, p), 352 + cached + gas(entry + 3 * body + exit));
}

#[test]
fn out_of_ink_halts_out_of_gas_and_a_float_always_does() {
    let mut chain = TestChain::new();
    let p = chain.deploy_stylus(&wat(EMPTY));
    let (init, cached) = costs(wat(EMPTY).len() as u64, 1, 2, 0, 0, 1);
    chain.next_block();
    // exactly enough for the call: init, then one gas for the single block
    chain.gas_limit = INTRINSIC + uncached(init, cached) + 1;
    assert!(chain.call(p, vec![]).is_success());
    chain.next_block();
    chain.gas_limit = INTRINSIC + uncached(init, cached);
    let r = chain.call(p, vec![]);
    assert!(r.is_halt(), "{r:?}");
    assert_eq!(r.tx_gas_used(), INTRINSIC + uncached(init, cached), "all the gas is used");
    chain.gas_limit = 10_000_000;
    let float = chain.deploy_stylus(&wat(
        r#"(module (memory (export "memory") 1)
          (func (export "user_entrypoint") (param i32) (result i32)
            f32.const 1 drop i32.const 0))"#,
    ));
    let r = chain.call(float, vec![]);
    assert!(r.is_halt(), "a block with a float can never be paid for: {r:?}");
}

#[test]
fn the_chain_owner_caches_a_program_so_every_call_pays_the_cached_init() {
    use alloy_sol_types::{SolCall, SolEvent};
    use devnode::precompiles::{ArbOwnerPublic, ArbWasm, ArbWasmCache, ARBWASM, ARBWASM_CACHE, ARB_OWNER_PUBLIC, CHAIN_OWNER};
    use alloy_primitives::U256;
    use devnode::revm::primitives::TxKind;
    let wasm = wat(EMPTY);
    let (init, cached) = costs(wasm.len() as u64, 1, 2, 0, 0, 1);
    let mut chain = TestChain::new();
    let p = chain.deploy_stylus(&wasm);
    let codehash = alloy_primitives::keccak256(chain.code(p));
    let ops = gas(1 + 1 + HEADER);

    // ArbWasm answers the same init costs the calls pay
    let out = chain.call_ok(ARBWASM, ArbWasm::programInitGasCall { program: p }.abi_encode());
    let ret = ArbWasm::programInitGasCall::abi_decode_returns(&out).unwrap();
    assert_eq!((ret.gas, ret.gasWhenCached), (uncached(init, cached), 352 + cached));
    let owners = chain.call_ok(ARB_OWNER_PUBLIC, ArbOwnerPublic::getAllChainOwnersCall {}.abi_encode());
    assert_eq!(ArbOwnerPublic::getAllChainOwnersCall::abi_decode_returns(&owners).unwrap(), vec![CHAIN_OWNER]);

    // anyone else burns all the gas it sent, as nitro's access check does
    let cache = ArbWasmCache::cacheProgramCall { addr: p }.abi_encode();
    let r = chain.send(ALICE, TxKind::Call(ARBWASM_CACHE), cache.clone(), U256::ZERO);
    assert!(!r.is_success() && r.tx_gas_used() == GAS, "{r:?}");
    let is_cached = ArbWasmCache::codehashIsCachedCall { codehash }.abi_encode();
    assert_eq!(chain.call_ok(ARBWASM_CACHE, is_cached.clone())[31], 0);

    // the owner caches it: the event names it, and the first call of a block pays the cached cost
    let r = chain.send(CHAIN_OWNER, TxKind::Call(ARBWASM_CACHE), cache, U256::ZERO);
    assert!(r.is_success(), "{r:?}");
    let event = ArbWasmCache::UpdateProgramCache::decode_log_data(&r.logs()[0].data).unwrap();
    assert_eq!((event.manager, event.codehash, event.cached), (CHAIN_OWNER, codehash, true));
    assert_eq!(chain.call_ok(ARBWASM_CACHE, is_cached.clone())[31], 1);
    chain.next_block();
    assert_eq!(gas_of(&mut chain, p), 352 + cached + ops);

    // evicted, a new block's first call pays the full init again
    let evict = ArbWasmCache::evictCodehashCall { codehash }.abi_encode();
    assert!(chain.send(CHAIN_OWNER, TxKind::Call(ARBWASM_CACHE), evict, U256::ZERO).is_success());
    assert_eq!(chain.call_ok(ARBWASM_CACHE, is_cached)[31], 0);
    chain.next_block();
    assert_eq!(gas_of(&mut chain, p), uncached(init, cached) + ops);
}
