//! The stylus-sdk fixture (`tests/fixtures/counter`) on the devnode: storage, events, errors,
//! activation, and calls in every direction.

mod common;

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent, SolValue};
use common::*;
use devnode::precompiles::{ArbWasm, ARBWASM};
use devnode::revm::context_interface::result::ExecutionResult;
use devnode::revm::primitives::TxKind;

sol! {
    interface ICounter {
        function number() external view returns (uint256);
        function setNumber(uint256 value) external;
        function increment() external returns (uint256);
        function fail(uint256 value, uint256 code) external;
        function callOut(address target, bytes data, uint256 value) external payable returns (bytes);
        function staticOut(address target, bytes data) external view returns (bytes);
        function delegateOut(address target, bytes data) external returns (bytes);
        function bumpAndCall(address target, bytes data) external returns (uint256);
        function deploy(bytes code, bytes32 salt, uint256 value) external payable returns (address);
        function context() external payable returns (address, address, uint256, address, uint64, uint64, uint64);
        function account(address who) external view returns (uint256, bytes32, uint256);
        function hash(bytes data) external view returns (bytes32);
        function gasLeft() external view returns (uint64);
    }
    event NumberSet(address indexed by, uint256 indexed old, uint256 value);
    error Failed(uint256 code, address sender);
}

use ICounter::*;

fn number(chain: &mut TestChain, at: Address) -> U256 {
    U256::abi_decode(&chain.call_ok(at, numberCall {}.abi_encode())).unwrap()
}

fn set(value: u64) -> Vec<u8> {
    setNumberCall {
        value: U256::from(value),
    }
    .abi_encode()
}

/// calldata for the EVM forwarder: target ++ payload
fn fwd(target: Address, payload: Vec<u8>) -> Vec<u8> {
    let mut d = target.to_vec();
    d.extend(payload);
    d
}

fn revert_output(r: ExecutionResult) -> Bytes {
    match r {
        ExecutionResult::Revert { output, .. } => output,
        other => panic!("expected a revert, got {other:?}"),
    }
}

#[test]
fn storage_persists_across_calls_and_emits_events() {
    let mut chain = TestChain::new();
    let c = chain.deploy_stylus(counter_wasm());
    assert_eq!(number(&mut chain, c), U256::ZERO);

    let r = chain.call(c, set(42));
    assert!(r.is_success(), "{r:?}");
    let logs = r.logs();
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].address, c);
    let ev = NumberSet::decode_log_data(&logs[0].data).unwrap();
    assert_eq!(
        (ev.by, ev.old, ev.value),
        (ALICE, U256::ZERO, U256::from(42))
    );
    assert_eq!(logs[0].data.topics()[0], NumberSet::SIGNATURE_HASH);

    assert_eq!(number(&mut chain, c), U256::from(42));
    assert_eq!(chain.storage(c, U256::ZERO), U256::from(42));
    let out = chain.call_ok(c, incrementCall {}.abi_encode());
    assert_eq!(U256::abi_decode(&out).unwrap(), U256::from(43));
    assert_eq!(number(&mut chain, c), U256::from(43));
}

#[test]
fn revert_with_custom_error_rolls_back() {
    let mut chain = TestChain::new();
    let c = chain.deploy_stylus(counter_wasm());
    chain.call_ok(c, set(1));
    let out = revert_output(
        chain.call(
            c,
            failCall {
                value: U256::from(7),
                code: U256::from(99),
            }
            .abi_encode(),
        ),
    );
    assert_eq!(
        out.as_ref(),
        Failed {
            code: U256::from(99),
            sender: ALICE
        }
        .abi_encode()
        .as_slice()
    );
    assert_eq!(number(&mut chain, c), U256::from(1));
}

#[test]
fn activation_is_required_and_reported() {
    let mut chain = TestChain::new();
    let c = chain.deploy_wasm(counter_wasm());
    // unactivated program: ProgramNotActivated()
    let out = revert_output(chain.call(c, numberCall {}.abi_encode()));
    assert_eq!(
        out.as_ref(),
        ArbWasm::ProgramNotActivated {}.abi_encode().as_slice()
    );
    let out = revert_output(chain.call(
        ARBWASM,
        ArbWasm::programVersionCall { program: c }.abi_encode(),
    ));
    assert_eq!(
        out.as_ref(),
        ArbWasm::ProgramNotActivated {}.abi_encode().as_slice()
    );

    // too little value: ProgramInsufficientValue(have, want)
    let fee = devnode::precompiles::data_fee(counter_wasm().len());
    assert_eq!(
        fee,
        U256::from(counter_wasm().len() as u64) * U256::from(1_000_000_000u64)
    );
    let out = revert_output(chain.activate(c, U256::from(1)));
    assert_eq!(
        out.as_ref(),
        ArbWasm::ProgramInsufficientValue {
            have: U256::from(1),
            want: fee
        }
        .abi_encode()
        .as_slice()
    );

    // activation with 1 ether: fee kept by ArbWasm, the rest refunded
    let before = chain.balance(ALICE);
    let r = chain.activate(c, ether(1));
    assert!(r.is_success(), "{r:?}");
    let ret = ArbWasm::activateProgramCall::abi_decode_returns(r.output().unwrap()).unwrap();
    assert_eq!((ret.version, ret.dataFee), (2, fee));
    assert_eq!(chain.balance(ALICE), before - fee);
    let ev = ArbWasm::ProgramActivated::decode_log_data(&r.logs()[0].data).unwrap();
    let codehash = keccak256(chain.code(c));
    assert_eq!(
        (ev.codehash, ev.program, ev.dataFee, ev.version),
        (codehash, c, fee, 2)
    );

    // queries
    let v = chain.call_ok(ARBWASM, ArbWasm::stylusVersionCall {}.abi_encode());
    assert_eq!(u16::abi_decode(&v).unwrap(), 2);
    let v = chain.call_ok(
        ARBWASM,
        ArbWasm::programVersionCall { program: c }.abi_encode(),
    );
    assert_eq!(u16::abi_decode(&v).unwrap(), 2);
    let v = chain.call_ok(
        ARBWASM,
        ArbWasm::codehashVersionCall { codehash }.abi_encode(),
    );
    assert_eq!(u16::abi_decode(&v).unwrap(), 2);
    let out = revert_output(
        chain.call(
            ARBWASM,
            ArbWasm::codehashVersionCall {
                codehash: B256::ZERO,
            }
            .abi_encode(),
        ),
    );
    assert_eq!(
        out.as_ref(),
        ArbWasm::ProgramNotActivated {}.abi_encode().as_slice()
    );

    // activating again: ProgramUpToDate(); activating EVM code: ProgramNotWasm()
    let out = revert_output(chain.activate(c, ether(1)));
    assert_eq!(
        out.as_ref(),
        ArbWasm::ProgramUpToDate {}.abi_encode().as_slice()
    );
    let evm = chain.deploy_code(&evm_code::constant42());
    let out = revert_output(chain.activate(evm, ether(1)));
    assert_eq!(
        out.as_ref(),
        ArbWasm::ProgramNotWasm {}.abi_encode().as_slice()
    );

    // a second deployment of the same code is activated too (activation is per code hash)
    let c2 = chain.deploy_wasm(counter_wasm());
    chain.call_ok(c2, set(5));
    assert_eq!(number(&mut chain, c2), U256::from(5));
}

#[test]
fn stylus_calls_evm() {
    let mut chain = TestChain::new();
    let c = chain.deploy_stylus(counter_wasm());
    let k = chain.deploy_code(&evm_code::constant42());
    let out = chain.call_ok(
        c,
        callOutCall {
            target: k,
            data: Bytes::new(),
            value: U256::ZERO,
        }
        .abi_encode(),
    );
    let inner = Bytes::abi_decode(&out).unwrap();
    assert_eq!(inner.as_ref(), word(42).as_slice());

    let s = chain.deploy_code(&evm_code::store_calldata());
    let data = Bytes::from(word(1234).to_vec());
    chain.call_ok(
        c,
        callOutCall {
            target: s,
            data: data.clone(),
            value: U256::ZERO,
        }
        .abi_encode(),
    );
    assert_eq!(chain.storage(s, U256::ZERO), U256::from(1234));

    // a static call that tries to SSTORE fails and the Stylus caller reverts
    let r = chain.call(
        c,
        staticOutCall {
            target: s,
            data: Bytes::from(word(5).to_vec()),
        }
        .abi_encode(),
    );
    assert!(matches!(r, ExecutionResult::Revert { .. }), "{r:?}");
    assert_eq!(chain.storage(s, U256::ZERO), U256::from(1234));
    // a static call to a view works
    let out = chain.call_ok(
        c,
        staticOutCall {
            target: k,
            data: Bytes::new(),
        }
        .abi_encode(),
    );
    assert_eq!(
        Bytes::abi_decode(&out).unwrap().as_ref(),
        word(42).as_slice()
    );
}

#[test]
fn evm_calls_stylus() {
    let mut chain = TestChain::new();
    let c = chain.deploy_stylus(counter_wasm());
    let f = chain.deploy_code(&evm_code::forwarder());
    let r = chain.call(f, fwd(c, set(5)));
    assert!(r.is_success(), "{r:?}");
    let ev = NumberSet::decode_log_data(&r.logs()[0].data).unwrap();
    assert_eq!(ev.by, f);
    assert_eq!(number(&mut chain, c), U256::from(5));
    // revert data crosses the EVM frame unchanged
    let out = revert_output(
        chain.call(
            f,
            fwd(
                c,
                failCall {
                    value: U256::from(1),
                    code: U256::from(3),
                }
                .abi_encode(),
            ),
        ),
    );
    assert_eq!(
        out.as_ref(),
        Failed {
            code: U256::from(3),
            sender: f
        }
        .abi_encode()
        .as_slice()
    );
    assert_eq!(number(&mut chain, c), U256::from(5));
}

#[test]
fn inner_stylus_revert_is_rolled_back_while_the_evm_caller_continues() {
    let mut chain = TestChain::new();
    let c = chain.deploy_stylus(counter_wasm());
    let s = chain.deploy_code(&evm_code::swallow());
    let r = chain.call(
        s,
        fwd(
            c,
            failCall {
                value: U256::from(9),
                code: U256::from(1),
            }
            .abi_encode(),
        ),
    );
    assert!(r.is_success(), "{r:?}");
    assert!(r.logs().is_empty());
    assert_eq!(chain.storage(s, U256::ZERO), U256::ZERO); // CALL returned 0
    assert_eq!(number(&mut chain, c), U256::ZERO);
    let r = chain.call(s, fwd(c, set(3)));
    assert!(r.is_success(), "{r:?}");
    assert_eq!(r.logs().len(), 1);
    assert_eq!(chain.storage(s, U256::ZERO), U256::from(1));
    assert_eq!(number(&mut chain, c), U256::from(3));
}

#[test]
fn evm_proxy_delegatecalls_into_stylus() {
    let mut chain = TestChain::new();
    let c = chain.deploy_stylus(counter_wasm());
    let p = chain.deploy_code(&evm_code::delegate_proxy(c));
    let r = chain.call(p, set(9));
    assert!(r.is_success(), "{r:?} {:?}", chain.evm.console);
    assert_eq!(r.logs()[0].address, p);
    let ev = NumberSet::decode_log_data(&r.logs()[0].data).unwrap();
    assert_eq!(ev.by, ALICE);
    assert_eq!(chain.storage(p, U256::ZERO), U256::from(9));
    assert_eq!(chain.storage(c, U256::ZERO), U256::ZERO);
    assert_eq!(number(&mut chain, p), U256::from(9));
    assert_eq!(number(&mut chain, c), U256::ZERO);
}

#[test]
fn stylus_calls_and_delegatecalls_stylus() {
    let mut chain = TestChain::new();
    let a = chain.deploy_stylus(counter_wasm());
    let b = chain.deploy_wasm(counter_wasm()); // same code hash: already activated
    let r = chain.call(
        a,
        callOutCall {
            target: b,
            data: set(7).into(),
            value: U256::ZERO,
        }
        .abi_encode(),
    );
    assert!(r.is_success(), "{r:?}");
    let ev = NumberSet::decode_log_data(&r.logs()[0].data).unwrap();
    assert_eq!((r.logs()[0].address, ev.by), (b, a));
    assert_eq!(number(&mut chain, b), U256::from(7));
    assert_eq!(number(&mut chain, a), U256::ZERO);

    let r = chain.call(
        a,
        delegateOutCall {
            target: b,
            data: set(11).into(),
        }
        .abi_encode(),
    );
    assert!(r.is_success(), "{r:?}");
    let ev = NumberSet::decode_log_data(&r.logs()[0].data).unwrap();
    assert_eq!((r.logs()[0].address, ev.by), (a, ALICE));
    assert_eq!(number(&mut chain, a), U256::from(11));
    assert_eq!(number(&mut chain, b), U256::from(7));

    // a reverting Stylus callee: its revert data comes back and everything rolls back
    let data = failCall {
        value: U256::from(1),
        code: U256::from(2),
    }
    .abi_encode();
    let out = revert_output(
        chain.call(
            a,
            callOutCall {
                target: b,
                data: data.into(),
                value: U256::ZERO,
            }
            .abi_encode(),
        ),
    );
    assert_eq!(
        out.as_ref(),
        Failed {
            code: U256::from(2),
            sender: a
        }
        .abi_encode()
        .as_slice()
    );
    assert_eq!(number(&mut chain, b), U256::from(7));
}

#[test]
fn reentrancy_is_rejected() {
    let mut chain = TestChain::new();
    let c = chain.deploy_stylus(counter_wasm());
    let other = chain.deploy_wasm(counter_wasm());
    let f = chain.deploy_code(&evm_code::forwarder());
    // c -> forwarder -> other: fine
    let data = fwd(other, incrementCall {}.abi_encode());
    chain.call_ok(
        c,
        bumpAndCallCall {
            target: f,
            data: data.into(),
        }
        .abi_encode(),
    );
    assert_eq!(number(&mut chain, c), U256::from(2));
    assert_eq!(number(&mut chain, other), U256::from(1));
    // c -> forwarder -> c: the inner entry sees msg_reentrant and returns 1 without data
    let data = fwd(c, incrementCall {}.abi_encode());
    let out = revert_output(
        chain.call(
            c,
            bumpAndCallCall {
                target: f,
                data: data.into(),
            }
            .abi_encode(),
        ),
    );
    assert!(out.is_empty());
    assert_eq!(number(&mut chain, c), U256::from(2));
    // through a delegatecalling proxy the same applies: proxy -> c (as proxy) -> proxy
    let p = chain.deploy_code(&evm_code::delegate_proxy(c));
    let data = bumpAndCallCall {
        target: p,
        data: numberCall {}.abi_encode().into(),
    }
    .abi_encode();
    assert!(revert_output(chain.call(p, data)).is_empty());
}

#[test]
fn values_and_context() {
    let mut chain = TestChain::new();
    let c = chain.deploy_stylus(counter_wasm());
    let r = chain.send(
        ALICE,
        TxKind::Call(c),
        contextCall {}.abi_encode(),
        U256::from(1000),
    );
    assert!(r.is_success(), "{r:?}");
    let ret = contextCall::abi_decode_returns(r.output().unwrap()).unwrap();
    assert_eq!(ret._0, ALICE);
    assert_eq!(ret._1, ALICE);
    assert_eq!(ret._2, U256::from(1000));
    assert_eq!(ret._3, c);
    assert_eq!((ret._4, ret._5, ret._6), (BLOCK, TIMESTAMP, CHAIN_ID));
    assert_eq!(chain.balance(c), U256::from(1000));

    // forward value to an EOA from Stylus
    let bob_before = chain.balance(BOB);
    let data = callOutCall {
        target: BOB,
        data: Bytes::new(),
        value: U256::from(600),
    }
    .abi_encode();
    let r = chain.send(ALICE, TxKind::Call(c), data, U256::ZERO);
    assert!(r.is_success(), "{r:?}");
    assert_eq!(chain.balance(BOB), bob_before + U256::from(600));
    assert_eq!(chain.balance(c), U256::from(400));
    // more than the balance: the call fails, nothing moves
    let data = callOutCall {
        target: BOB,
        data: Bytes::new(),
        value: U256::from(401),
    }
    .abi_encode();
    assert!(matches!(
        chain.call(c, data),
        ExecutionResult::Revert { .. }
    ));
    assert_eq!(chain.balance(c), U256::from(400));

    // account info and keccak
    let k = chain.deploy_code(&evm_code::constant42());
    let ret =
        accountCall::abi_decode_returns(&chain.call_ok(c, accountCall { who: k }.abi_encode()))
            .unwrap();
    assert_eq!(ret._0, U256::ZERO);
    assert_eq!(ret._1, keccak256(evm_code::constant42()));
    assert_eq!(ret._2, U256::from(10));
    let ret =
        accountCall::abi_decode_returns(&chain.call_ok(c, accountCall { who: BOB }.abi_encode()))
            .unwrap();
    assert_eq!(ret._0, chain.balance(BOB));
    let h = chain.call_ok(
        c,
        hashCall {
            data: Bytes::from_static(b"abc"),
        }
        .abi_encode(),
    );
    assert_eq!(B256::abi_decode(&h).unwrap(), keccak256(b"abc"));
}

#[test]
fn stylus_deploys_contracts() {
    let mut chain = TestChain::new();
    let c = chain.deploy_stylus(counter_wasm());
    let init = devnode::code::deploy_init_code(&evm_code::constant42());
    let out = chain.call_ok(
        c,
        deployCall {
            code: init.clone().into(),
            salt: B256::ZERO,
            value: U256::ZERO,
        }
        .abi_encode(),
    );
    let created = Address::abi_decode(&out).unwrap();
    assert_eq!(created, c.create(1));
    assert_eq!(
        U256::abi_decode(&chain.call_ok(created, vec![])).unwrap(),
        U256::from(42)
    );
    let salt = word(77);
    let out = chain.call_ok(
        c,
        deployCall {
            code: init.clone().into(),
            salt,
            value: U256::ZERO,
        }
        .abi_encode(),
    );
    let created2 = Address::abi_decode(&out).unwrap();
    assert_eq!(created2, c.create2(salt, keccak256(&init)));
    assert_eq!(
        chain.code(created2).as_ref(),
        evm_code::constant42().as_slice()
    );
}

#[test]
fn gas_is_metered() {
    let mut chain = TestChain::new();
    let c = chain.deploy_stylus(counter_wasm());
    chain.next_block();
    let r = chain.call(c, numberCall {}.abi_encode());
    let read = r.tx_gas_used();
    let r = chain.call(c, set(1));
    let write = r.tx_gas_used();
    // intrinsic 21000 + calldata; the program's init on its first call in the block (8,832 at
    // least), then a cold SLOAD (2100); the second call is cached, and a fresh SSTORE (22100)
    // dominates it (tests/nitro_gas.rs has the exact figures of each part)
    assert!((21_000 + 8_832 + 2_100..50_000).contains(&read), "read {read}");
    assert!((21_000 + 352 + 22_100..60_000).contains(&write), "write {write}");
    let left = u64::abi_decode(&chain.call_ok(c, gasLeftCall {}.abi_encode())).unwrap();
    assert!(
        left < GAS - 21_000 && left > GAS - 60_000,
        "gas left {left}"
    );
    // too little gas: out of gas, state untouched
    chain.gas_limit = 24_000;
    let r = chain.call(c, set(5));
    assert!(r.is_halt(), "{r:?}");
    chain.gas_limit = GAS;
    assert_eq!(number(&mut chain, c), U256::from(1));
}
