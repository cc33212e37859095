//! Hostio semantics with tiny hand-written programs (WAT), exact values.

mod common;

use alloy_primitives::{keccak256, U256};
use common::*;
use devnode::revm::context_interface::result::{ExecutionResult, HaltReason, OutOfGasError};

const IMPORTS: &str = r#"
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "storage_load_bytes32" (func $load (param i32 i32)))
  (import "vm_hooks" "storage_cache_bytes32" (func $cache (param i32 i32)))
  (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
  (import "vm_hooks" "native_keccak256" (func $keccak (param i32 i32 i32)))
  (import "vm_hooks" "msg_reentrant" (func $reentrant (result i32)))
  (memory (export "memory") 1)
"#;

fn program(body: &str) -> Vec<u8> {
    wat::parse_str(format!("(module {IMPORTS} {body})")).unwrap()
}

/// Echoes its calldata; status = first byte of calldata (0 ok, 1 revert).
fn echo() -> Vec<u8> {
    program(
        r#"(func (export "user_entrypoint") (param $len i32) (result i32)
             (call $read_args (i32.const 0))
             (call $write_result (i32.const 0) (local.get $len))
             (i32.load8_u (i32.const 0)))"#,
    )
}

#[test]
fn echo_success_and_revert_with_data() {
    let mut chain = TestChain::new();
    let echo = chain.deploy_stylus(&echo());
    let out = chain.call_ok(echo, vec![0, 1, 2, 3]);
    assert_eq!(out.as_ref(), &[0, 1, 2, 3]);
    match chain.call(echo, vec![1, 9, 9]) {
        ExecutionResult::Revert { output, .. } => assert_eq!(output.as_ref(), &[1, 9, 9]),
        other => panic!("expected revert, got {other:?}"),
    }
}

/// calldata = key(32) ++ value(32) ++ flag(1): caches value under key, flushes when flag = 1,
/// then returns the value read back through the cache.
fn store() -> Vec<u8> {
    program(
        r#"(func (export "user_entrypoint") (param $len i32) (result i32)
             (call $read_args (i32.const 0))
             (call $cache (i32.const 0) (i32.const 32))
             (if (i32.eq (i32.load8_u (i32.const 64)) (i32.const 1))
               (then (call $flush (i32.const 0))))
             (call $load (i32.const 0) (i32.const 100))
             (call $write_result (i32.const 100) (i32.const 32))
             (i32.const 0))"#,
    )
}

#[test]
fn storage_cache_is_written_only_by_flush() {
    let mut chain = TestChain::new();
    let p = chain.deploy_stylus(&store());
    let mut data = word(5).to_vec();
    data.extend(word(77).as_slice());
    // not flushed: the read sees the cached value, state does not change
    let mut unflushed = data.clone();
    unflushed.push(0);
    assert_eq!(chain.call_ok(p, unflushed).as_ref(), word(77).as_slice());
    assert_eq!(chain.storage(p, U256::from(5)), U256::ZERO);
    // flushed: persisted
    data.push(1);
    assert_eq!(chain.call_ok(p, data).as_ref(), word(77).as_slice());
    assert_eq!(chain.storage(p, U256::from(5)), U256::from(77));
}

#[test]
fn trap_reverts_without_data_and_keeps_gas() {
    let mut chain = TestChain::new();
    let p = chain.deploy_stylus(&program(
        r#"(func (export "user_entrypoint") (param i32) (result i32) unreachable)"#,
    ));
    match chain.call(p, vec![]) {
        ExecutionResult::Revert { output, gas, .. } => {
            assert!(output.is_empty());
            assert!(
                gas.tx_gas_used() < 100_000,
                "gas used {}",
                gas.tx_gas_used()
            );
        }
        other => panic!("expected revert, got {other:?}"),
    }
}

#[test]
fn infinite_loop_runs_out_of_gas() {
    let mut chain = TestChain::new();
    let p = chain.deploy_stylus(&program(
        r#"(func (export "user_entrypoint") (param i32) (result i32) (loop (br 0)) (i32.const 0))"#,
    ));
    chain.gas_limit = 300_000;
    match chain.call(p, vec![]) {
        ExecutionResult::Halt { reason, gas, .. } => {
            assert_eq!(reason, HaltReason::OutOfGas(OutOfGasError::Basic));
            assert_eq!(gas.tx_gas_used(), 300_000);
        }
        other => panic!("expected out of gas, got {other:?}"),
    }
}

#[test]
fn keccak_hostio_matches() {
    let mut chain = TestChain::new();
    let p = chain.deploy_stylus(&program(
        r#"(func (export "user_entrypoint") (param $len i32) (result i32)
             (call $read_args (i32.const 0))
             (call $keccak (i32.const 0) (local.get $len) (i32.const 1000))
             (call $write_result (i32.const 1000) (i32.const 32))
             (i32.const 0))"#,
    ));
    assert_eq!(
        chain.call_ok(p, b"hello".to_vec()).as_ref(),
        keccak256(b"hello").as_slice()
    );
}

#[test]
fn activation_validates_exports_and_imports() {
    use alloy_sol_types::SolError;
    use devnode::precompiles::Error as RevertString;
    let mut chain = TestChain::new();
    let no_entry = wat::parse_str(r#"(module (memory (export "memory") 1))"#).unwrap();
    let a = chain.deploy_wasm(&no_entry);
    let r = chain.activate(a, ether(1));
    let ExecutionResult::Revert { output, .. } = r else {
        panic!("{r:?}")
    };
    let msg = RevertString::abi_decode(&output).unwrap().message;
    assert!(msg.contains("user_entrypoint"), "{msg}");

    let bad_import = wat::parse_str(
        r#"(module (import "vm_hooks" "no_such_hostio" (func))
                   (memory (export "memory") 1)
                   (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#,
    )
    .unwrap();
    let b = chain.deploy_wasm(&bad_import);
    let r = chain.activate(b, ether(1));
    let ExecutionResult::Revert { output, .. } = r else {
        panic!("{r:?}")
    };
    let msg = RevertString::abi_decode(&output).unwrap().message;
    assert!(msg.contains("no_such_hostio"), "{msg}");

    let with_start = wat::parse_str(
        r#"(module (memory (export "memory") 1) (func $s) (start $s)
                   (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#,
    )
    .unwrap();
    let c = chain.deploy_wasm(&with_start);
    assert!(matches!(
        chain.activate(c, ether(1)),
        ExecutionResult::Revert { .. }
    ));
}

/// Every import of stylus-sdk 0.10's hostio table (34 `vm_hooks` + 5 `console`), with the wasm
/// types of stylus-notes §5, links.
#[test]
fn every_sdk_hostio_links_with_its_signature() {
    let imports = [
        ("vm_hooks", "account_balance", "(param i32 i32)"),
        (
            "vm_hooks",
            "account_code",
            "(param i32 i32 i32 i32) (result i32)",
        ),
        ("vm_hooks", "account_code_size", "(param i32) (result i32)"),
        ("vm_hooks", "account_codehash", "(param i32 i32)"),
        ("vm_hooks", "storage_load_bytes32", "(param i32 i32)"),
        ("vm_hooks", "storage_cache_bytes32", "(param i32 i32)"),
        ("vm_hooks", "storage_flush_cache", "(param i32)"),
        ("vm_hooks", "block_basefee", "(param i32)"),
        ("vm_hooks", "chainid", "(result i64)"),
        ("vm_hooks", "block_coinbase", "(param i32)"),
        ("vm_hooks", "block_gas_limit", "(result i64)"),
        ("vm_hooks", "block_number", "(result i64)"),
        ("vm_hooks", "block_timestamp", "(result i64)"),
        (
            "vm_hooks",
            "call_contract",
            "(param i32 i32 i32 i32 i64 i32) (result i32)",
        ),
        ("vm_hooks", "contract_address", "(param i32)"),
        ("vm_hooks", "create1", "(param i32 i32 i32 i32 i32)"),
        ("vm_hooks", "create2", "(param i32 i32 i32 i32 i32 i32)"),
        (
            "vm_hooks",
            "delegate_call_contract",
            "(param i32 i32 i32 i64 i32) (result i32)",
        ),
        ("vm_hooks", "emit_log", "(param i32 i32 i32)"),
        ("vm_hooks", "evm_gas_left", "(result i64)"),
        ("vm_hooks", "evm_ink_left", "(result i64)"),
        ("vm_hooks", "pay_for_memory_grow", "(param i32)"),
        ("vm_hooks", "msg_reentrant", "(result i32)"),
        ("vm_hooks", "msg_sender", "(param i32)"),
        ("vm_hooks", "msg_value", "(param i32)"),
        ("vm_hooks", "native_keccak256", "(param i32 i32 i32)"),
        ("vm_hooks", "read_args", "(param i32)"),
        (
            "vm_hooks",
            "read_return_data",
            "(param i32 i32 i32) (result i32)",
        ),
        ("vm_hooks", "write_result", "(param i32 i32)"),
        ("vm_hooks", "return_data_size", "(result i32)"),
        (
            "vm_hooks",
            "static_call_contract",
            "(param i32 i32 i32 i64 i32) (result i32)",
        ),
        ("vm_hooks", "tx_gas_price", "(param i32)"),
        ("vm_hooks", "tx_ink_price", "(result i32)"),
        ("vm_hooks", "tx_origin", "(param i32)"),
        ("console", "log_f32", "(param f32)"),
        ("console", "log_f64", "(param f64)"),
        ("console", "log_i32", "(param i32)"),
        ("console", "log_i64", "(param i64)"),
        ("console", "log_txt", "(param i32 i32)"),
    ];
    assert_eq!(
        imports.iter().filter(|(m, _, _)| *m == "vm_hooks").count(),
        34
    );
    let mut text = String::from("(module\n");
    for (i, (module, name, ty)) in imports.iter().enumerate() {
        text.push_str(&format!(
            "  (import \"{module}\" \"{name}\" (func $f{i} {ty}))\n"
        ));
    }
    text.push_str(
        r#"  (memory (export "memory") 1)
           (func (export "user_entrypoint") (param i32) (result i32)
             (call $f36 (i32.const 7))
             (i32.const 0)))"#,
    );
    // (the float loggers link, but a block with a float constant can never be paid for under
    // nitro's pricing: tests/nitro_gas.rs)
    let wasm = wat::parse_str(&text).unwrap();
    let mut chain = TestChain::new();
    let p = chain.deploy_stylus(&wasm);
    assert!(chain.call(p, vec![]).is_success());
    assert_eq!(chain.evm.console, vec!["7".to_string()]);
    // a known name with the wrong type does not link
    let wrong = wat::parse_str(
        r#"(module (import "vm_hooks" "msg_sender" (func (param i64)))
                   (memory (export "memory") 1)
                   (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#,
    )
    .unwrap();
    let a = chain.deploy_wasm(&wrong);
    assert!(matches!(
        chain.activate(a, ether(1)),
        ExecutionResult::Revert { .. }
    ));
}
