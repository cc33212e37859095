//! Fragmented Stylus programs (ArbOS 60, cargo-stylus 0.10.10 for programs over 24 KiB): the
//! counter fixture's compressed code split by hand over fragment contracts (`EF F0 01`) and a
//! root (`EF F0 02 00`, decompressed length, fragment addresses), activated and called like a
//! classic program; nitro's checks on roots; the ArbOS 60 answers tools read.

mod common;

use alloy_primitives::{keccak256, Address, Bytes, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent, SolValue};
use common::*;
use devnode::code::encode_program;
use devnode::precompiles::{ArbWasm, Error as RevertString, ARBSYS, ARBWASM, ARB_OWNER_PUBLIC};
use devnode::revm::context_interface::result::{ExecutionResult, HaltReason};
use devnode::revm::primitives::TxKind;

sol! {
    interface ICounter {
        function number() external view returns (uint256);
        function setNumber(uint256 value) external;
        function increment() external returns (uint256);
    }
    interface ArbOwnerPublic {
        function getMaxStylusContractFragments() external view returns (uint8);
    }
    interface ArbSys {
        function arbOSVersion() external view returns (uint256);
    }
}

/// The counter's compressed stream (classic code without `EF F0 00 00`), and its wasm length.
fn counter_stream() -> (Vec<u8>, u32) {
    let code = encode_program(counter_wasm());
    assert_eq!(&code[..4], &[0xEF, 0xF0, 0x00, 0x00]);
    (code[4..].to_vec(), counter_wasm().len() as u32)
}

/// `EF F0 01 ++ payload`.
fn fragment(payload: &[u8]) -> Vec<u8> {
    [&[0xEF, 0xF0, 0x01][..], payload].concat()
}

/// `EF F0 02 <dict> <len u32 BE> <addresses>`.
fn root(dict: u8, wasm_len: u32, fragments: &[Address]) -> Vec<u8> {
    let mut code = vec![0xEF, 0xF0, 0x02, dict];
    code.extend(wasm_len.to_be_bytes());
    for f in fragments {
        code.extend(f.as_slice());
    }
    code
}

/// Deploys the counter's stream cut in two at `cut` as two fragments.
fn deploy_halves(chain: &mut TestChain, cut: usize) -> [Address; 2] {
    let (stream, _) = counter_stream();
    let (a, b) = stream.split_at(cut);
    [
        chain.deploy_code(&fragment(a)),
        chain.deploy_code(&fragment(b)),
    ]
}

fn revert_output(r: ExecutionResult<HaltReason>) -> Bytes {
    match r {
        ExecutionResult::Revert { output, .. } => output,
        other => panic!("expected a revert, got {other:?}"),
    }
}

/// The `Error(string)` an activation of `program` reverts with.
fn activation_error(chain: &mut TestChain, program: Address) -> String {
    let out = revert_output(chain.activate(program, ether(1)));
    RevertString::abi_decode(&out)
        .unwrap_or_else(|e| panic!("not an Error(string): {out} ({e})"))
        .message
}

#[test]
fn a_root_over_two_fragments_activates_and_runs_as_one_program() {
    let mut chain = TestChain::new();
    let (stream, wasm_len) = counter_stream();
    let fragments = deploy_halves(&mut chain, stream.len() / 2);
    let program = chain.deploy_code(&root(0, wasm_len, &fragments));
    assert_eq!(&chain.code(program)[..4], &[0xEF, 0xF0, 0x02, 0x00]);

    // like a classic program, it must be activated first
    let out = revert_output(chain.call(program, ICounter::numberCall {}.abi_encode()));
    assert_eq!(out, ArbWasm::ProgramNotActivated {}.abi_encode());

    let r = chain.activate(program, ether(1));
    assert!(r.is_success(), "{r:?}");
    let log = &r.logs()[0];
    let event = ArbWasm::ProgramActivated::decode_log_data(&log.data).unwrap();
    assert_eq!(event.codehash, keccak256(chain.code(program)));
    assert_eq!(event.moduleHash, keccak256(counter_wasm()));
    assert_eq!(event.program, program);
    assert_eq!(
        event.dataFee,
        devnode::precompiles::data_fee(wasm_len as usize)
    );
    let version = chain.call_ok(
        ARBWASM,
        ArbWasm::programVersionCall { program }.abi_encode(),
    );
    let version = ArbWasm::programVersionCall::abi_decode_returns(&version).unwrap();
    assert_eq!(version, 2);

    let set = ICounter::setNumberCall {
        value: U256::from(41),
    };
    chain.call_ok(program, set.abi_encode());
    let after = chain.call_ok(program, ICounter::incrementCall {}.abi_encode());
    assert_eq!(U256::abi_decode(&after).unwrap(), U256::from(42));
    let number = chain.call_ok(program, ICounter::numberCall {}.abi_encode());
    assert_eq!(U256::abi_decode(&number).unwrap(), U256::from(42));

    // a fragment is inert code: calling it runs 0xEF as EVM, activating it is refused
    let r = chain.call(fragments[0], ICounter::numberCall {}.abi_encode());
    assert!(matches!(r, ExecutionResult::Halt { .. }), "{r:?}");
    assert_eq!(
        activation_error(&mut chain, fragments[1]),
        "activation failed: fragmented stylus programs cannot be activated directly; activate \
         the root program instead"
    );
}

#[test]
fn reading_fragments_costs_activation_gas() {
    let (stream, wasm_len) = counter_stream();
    let mut chain = TestChain::new();
    let classic = chain.deploy_code(&encode_program(counter_wasm()));
    let classic_gas = chain.activate(classic, ether(1)).tx_gas_used();
    let mut chain = TestChain::new();
    let cut = stream.len() / 3;
    let fragments = deploy_halves(&mut chain, cut);
    let program = chain.deploy_code(&root(0, wasm_len, &fragments));
    let root_gas = chain.activate(program, ether(1)).tx_gas_used();
    // nitro's price of reading a fragment: a cold account access and 3 gas per word copied
    let sizes = [cut as u64 + 3, (stream.len() - cut) as u64 + 3];
    let reads: u64 = sizes.iter().map(|n| 2_600 + 3 * n.div_ceil(32)).sum();
    // the rest is the same activation, up to the calldata's cost of a different address
    let extra = root_gas as i64 - classic_gas as i64;
    assert!(
        (extra - reads as i64).abs() <= 20 * 16,
        "root {root_gas}, classic {classic_gas}, fragment reads {reads}"
    );
}

#[test]
fn roots_are_checked_as_nitro_checks_them() {
    let mut chain = TestChain::new();
    let (stream, wasm_len) = counter_stream();
    let [a, b] = deploy_halves(&mut chain, stream.len() / 2);
    let evm = chain.deploy_code(&evm_code::constant42());
    let cases: Vec<(Vec<u8>, String)> = vec![
        (
            root(0, wasm_len, &[a, b, a]),
            "invalid wasm: fragment count 3 exceeds limit of 2".into(),
        ),
        (
            root(0, wasm_len, &[]),
            "invalid wasm: fragment count cannot be zero".into(),
        ),
        (
            root(0, 128 * 1024 + 1, &[a, b]),
            "invalid wasm: decompressedLength 131073 is greater than MaxWasmSize 131072".into(),
        ),
        (
            root(0, wasm_len + 1, &[a, b]),
            format!(
                "invalid wasm: decompressed length {wasm_len} does not match expected length {}",
                wasm_len + 1
            ),
        ),
        (
            root(0, wasm_len - 1, &[a, b]),
            format!(
                "invalid wasm: the fragments decompress to more than the declared {} bytes",
                wasm_len - 1
            ),
        ),
        (
            root(0, wasm_len, &[a, evm]),
            format!("code at {evm} is not a Stylus program fragment (no EF F0 01 prefix)"),
        ),
        (
            root(1, wasm_len, &[a, b]),
            "Stylus code uses brotli dictionary 0x01; only 0x00 (no dictionary) is supported"
                .into(),
        ),
        (
            vec![0xEF, 0xF0, 0x02, 0x00, 0x00, 0x01],
            "stylus program root too short: need at least 8 bytes, got 6".into(),
        ),
        (
            [root(0, wasm_len, &[a]), vec![0u8; 19]].concat(),
            "stylus program root address data has invalid length: 39 (must be multiple of 20)"
                .into(),
        ),
    ];
    for (code, want) in cases {
        let program = chain.deploy_code(&code);
        assert_eq!(
            activation_error(&mut chain, program),
            format!("activation failed: {want}")
        );
    }
    // fragments in the wrong order are not the program
    let swapped = chain.deploy_code(&root(0, wasm_len, &[b, a]));
    let why = activation_error(&mut chain, swapped);
    assert!(why.starts_with("activation failed: "), "{why}");
    // and none of these was activated
    let r = chain.call(swapped, ICounter::numberCall {}.abi_encode());
    assert_eq!(
        revert_output(r),
        ArbWasm::ProgramNotActivated {}.abi_encode()
    );
}

#[test]
fn arbos_60_answers_its_stylus_limits() {
    let mut chain = TestChain::new();
    let out = chain.call_ok(
        ARB_OWNER_PUBLIC,
        ArbOwnerPublic::getMaxStylusContractFragmentsCall {}.abi_encode(),
    );
    let max = ArbOwnerPublic::getMaxStylusContractFragmentsCall::abi_decode_returns(&out).unwrap();
    assert_eq!(max, 2);
    let out = chain.call_ok(ARBWASM, ArbWasm::activationGasCall {}.abi_encode());
    assert_eq!(
        ArbWasm::activationGasCall::abi_decode_returns(&out).unwrap(),
        0
    );
    let out = chain.call_ok(ARBSYS, ArbSys::arbOSVersionCall {}.abi_encode());
    assert_eq!(U256::abi_decode(&out).unwrap(), U256::from(55 + 60));
    // the precompile has code, so Solidity's extcodesize check before a call passes
    assert_eq!(chain.code(ARB_OWNER_PUBLIC).as_ref(), &[0xfe]);
    let r = chain.send(
        ALICE,
        TxKind::Call(ARB_OWNER_PUBLIC),
        vec![1, 2, 3, 4],
        U256::ZERO,
    );
    assert!(matches!(r, ExecutionResult::Revert { .. }), "{r:?}");
}
