//! The native StylusDeployer: cargo-stylus's constructor deployment path.

mod common;

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent, SolValue};
use common::*;
use devnode::code::{deploy_init_code, encode_program};
use devnode::deployer::{init_salt, StylusDeployer, STYLUS_DEPLOYER};
use devnode::precompiles::ArbWasm;
use devnode::revm::context_interface::result::ExecutionResult;
use devnode::revm::primitives::TxKind;

sol! {
    function number() external view returns (uint256);
    error Failed(uint256 code, address sender);
}

fn ctor(initial: u64) -> Bytes {
    let mut data = keccak256("stylus_constructor()")[..4].to_vec();
    data.extend(U256::from(initial).abi_encode());
    data.into()
}

fn deploy_tx(bytecode: Vec<u8>, init_data: Bytes, init_value: U256, salt: B256) -> Vec<u8> {
    StylusDeployer::deployCall {
        bytecode: bytecode.into(),
        initData: init_data,
        initValue: init_value,
        salt,
    }
    .abi_encode()
}

fn number_of(chain: &mut TestChain, at: Address) -> U256 {
    U256::abi_decode(&chain.call_ok(at, numberCall {}.abi_encode())).unwrap()
}

#[test]
fn deploy_activate_and_construct_atomically() {
    let mut chain = TestChain::new();
    assert_eq!(chain.code(STYLUS_DEPLOYER).as_ref(), &[0xfe]);
    let bytecode = deploy_init_code(&encode_program(counter_wasm()));
    let fee = devnode::precompiles::data_fee(counter_wasm().len());
    let before = chain.balance(ALICE);
    let data = deploy_tx(bytecode.clone(), ctor(5), U256::from(7), B256::ZERO);
    let r = chain.send(ALICE, TxKind::Call(STYLUS_DEPLOYER), data, ether(1));
    assert!(r.is_success(), "{r:?}");
    let addr = Address::abi_decode(r.output().unwrap()).unwrap();
    assert_eq!(addr, STYLUS_DEPLOYER.create(1));
    assert_eq!(number_of(&mut chain, addr), U256::from(5));
    // fee + init value spent, the rest refunded (gas price is zero)
    assert_eq!(chain.balance(ALICE), before - fee - U256::from(7));
    assert_eq!(chain.balance(addr), U256::from(7));
    assert_eq!(chain.balance(STYLUS_DEPLOYER), U256::ZERO);
    let logs = r.logs();
    assert_eq!(logs.len(), 2);
    assert!(ArbWasm::ProgramActivated::decode_log_data(&logs[0].data).is_ok());
    let ev = StylusDeployer::ContractDeployed::decode_log_data(&logs[1].data).unwrap();
    assert_eq!(
        (logs[1].address, ev.deployedContract),
        (STYLUS_DEPLOYER, addr)
    );

    // the constructor guard: a second constructor call reverts
    assert!(matches!(
        chain.call(addr, ctor(9).to_vec()),
        ExecutionResult::Revert { .. }
    ));

    // CREATE2 with a salt: address from keccak(salt ++ initData); already activated, so no fee
    let salt = word(42);
    let before = chain.balance(ALICE);
    let data = deploy_tx(bytecode.clone(), ctor(6), U256::ZERO, salt);
    let r = chain.send(ALICE, TxKind::Call(STYLUS_DEPLOYER), data, ether(1));
    assert!(r.is_success(), "{r:?}");
    let addr2 = Address::abi_decode(r.output().unwrap()).unwrap();
    assert_eq!(
        addr2,
        STYLUS_DEPLOYER.create2(init_salt(salt, &ctor(6)), keccak256(&bytecode))
    );
    assert_eq!(chain.balance(ALICE), before);
    assert_eq!(r.logs().len(), 1);
    assert_eq!(number_of(&mut chain, addr2), U256::from(6));

    // the views
    let out = chain.call_ok(
        STYLUS_DEPLOYER,
        StylusDeployer::initSaltCall {
            salt,
            initData: ctor(6),
        }
        .abi_encode(),
    );
    assert_eq!(B256::abi_decode(&out).unwrap(), init_salt(salt, &ctor(6)));
    let out = chain.call_ok(
        STYLUS_DEPLOYER,
        StylusDeployer::requiresActivationCall { addr: addr2 }.abi_encode(),
    );
    assert!(!bool::abi_decode(&out).unwrap());
}

#[test]
fn deployer_errors() {
    let mut chain = TestChain::new();
    let bytecode = deploy_init_code(&encode_program(counter_wasm()));
    let revert = |r: ExecutionResult| match r {
        ExecutionResult::Revert { output, .. } => output,
        other => panic!("expected revert: {other:?}"),
    };
    // a failing constructor: ContractInitializationError(address, data), nothing persists
    let before = chain.balance(ALICE);
    let data = deploy_tx(bytecode.clone(), ctor(666), U256::ZERO, B256::ZERO);
    let out = revert(chain.send(ALICE, TxKind::Call(STYLUS_DEPLOYER), data, ether(1)));
    let err = StylusDeployer::ContractInitializationError::abi_decode(&out).unwrap();
    assert_eq!(err.newContract, STYLUS_DEPLOYER.create(1));
    let inner = Failed::abi_decode(&err.data).unwrap();
    assert_eq!(
        (inner.code, inner.sender),
        (U256::from(666), STYLUS_DEPLOYER)
    );
    assert_eq!(chain.balance(ALICE), before);
    assert!(chain.code(STYLUS_DEPLOYER.create(1)).is_empty());

    // init value without init data
    let data = deploy_tx(bytecode.clone(), Bytes::new(), U256::from(1), B256::ZERO);
    let out = revert(chain.send(ALICE, TxKind::Call(STYLUS_DEPLOYER), data, ether(1)));
    assert_eq!(
        out.as_ref(),
        StylusDeployer::InitValueButNotInitData {}
            .abi_encode()
            .as_slice()
    );

    // empty bytecode
    let data = deploy_tx(Vec::new(), Bytes::new(), U256::ZERO, B256::ZERO);
    let out = revert(chain.send(ALICE, TxKind::Call(STYLUS_DEPLOYER), data, U256::ZERO));
    assert_eq!(
        out.as_ref(),
        StylusDeployer::EmptyBytecode {}.abi_encode().as_slice()
    );

    // too little value for the data fee: ArbWasm's error bubbles up
    let data = deploy_tx(bytecode.clone(), ctor(1), U256::ZERO, B256::ZERO);
    let out = revert(chain.send(ALICE, TxKind::Call(STYLUS_DEPLOYER), data, U256::from(3)));
    let err = ArbWasm::ProgramInsufficientValue::abi_decode(&out).unwrap();
    assert_eq!(err.have, U256::from(3));

    // init code that reverts with data: the data bubbles up
    let init = evm_code::hex("60aa6000526001601ffd"); // revert(31, 1) -> 0xaa
    let data = deploy_tx(init, Bytes::new(), U256::ZERO, B256::ZERO);
    let out = revert(chain.send(ALICE, TxKind::Call(STYLUS_DEPLOYER), data, U256::ZERO));
    assert_eq!(out.as_ref(), &[0xaa]);

    // an EVM contract deploys through it too (requiresActivation is true, activation fails:
    // ProgramNotWasm bubbles up)
    let data = deploy_tx(
        deploy_init_code(&evm_code::constant42()),
        Bytes::new(),
        U256::ZERO,
        B256::ZERO,
    );
    let out = revert(chain.send(ALICE, TxKind::Call(STYLUS_DEPLOYER), data, U256::ZERO));
    assert_eq!(
        out.as_ref(),
        ArbWasm::ProgramNotWasm {}.abi_encode().as_slice()
    );
}
