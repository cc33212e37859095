//! The `Chain` type: blocks, receipts, logs, snapshots, time, cheats.

mod common;

use alloy_primitives::{address, keccak256, Address, Bytes, U256};
use alloy_sol_types::{sol, SolCall, SolValue};
use common::{counter_wasm, evm_code, word};
use devnode::chain::{IndexedLog, InvalidTx, ANVIL_DEV_ACCOUNTS};
use devnode::code::{deploy_init_code, encode_program};
use devnode::precompiles::{ArbWasm, ARBWASM};
use devnode::revm::context::TxEnv;
use devnode::revm::primitives::TxKind;
use devnode::{Chain, ChainConfig, ChainError, LogFilter, Transaction, TxStatus};

sol! {
    function number() external view returns (uint256);
    function setNumber(uint256 value) external;
    function context() external payable returns (address, address, uint256, address, uint64, uint64, uint64);
    event NumberSet(address indexed by, uint256 indexed old, uint256 value);
}

const GENESIS: u64 = 1_750_000_000;
const DEV: Address = ANVIL_DEV_ACCOUNTS[0];
const GWEI: u128 = 1_000_000_000;

fn chain() -> Chain {
    Chain::new(ChainConfig {
        genesis_timestamp: Some(GENESIS),
        ..Default::default()
    })
}

fn tx(
    chain: &Chain,
    from: Address,
    to: Option<Address>,
    input: Vec<u8>,
    value: U256,
) -> Transaction {
    Transaction {
        hash: Default::default(),
        from,
        to,
        nonce: chain.pending_nonce(from),
        value,
        input: input.into(),
        gas_limit: 10_000_000,
        gas_price: GWEI,
        max_priority_fee: None,
        chain_id: Some(chain.chain_id()),
        tx_type: 0,
        raw: None,
    }
}

fn send(chain: &mut Chain, to: Option<Address>, input: Vec<u8>, value: U256) -> devnode::Receipt {
    let t = tx(chain, DEV, to, input, value);
    let hash = chain.submit(t).expect("accepted");
    chain.receipt(hash).expect("mined").clone()
}

fn deploy_counter(chain: &mut Chain) -> Address {
    let r = send(
        chain,
        None,
        deploy_init_code(&encode_program(counter_wasm())),
        U256::ZERO,
    );
    assert!(r.success(), "{r:?}");
    let addr = r.contract_address.unwrap();
    let fee = U256::from(10u64).pow(U256::from(18));
    let r = send(
        chain,
        Some(ARBWASM),
        ArbWasm::activateProgramCall { program: addr }.abi_encode(),
        fee,
    );
    assert!(r.success(), "{r:?}");
    addr
}

fn view(chain: &mut Chain, to: Address, data: Vec<u8>) -> Bytes {
    let tx = TxEnv::builder()
        .caller(DEV)
        .kind(TxKind::Call(to))
        .data(data.into())
        .gas_limit(10_000_000)
        .build()
        .unwrap();
    chain.call(tx).unwrap().into_output().unwrap()
}

fn number_of(chain: &mut Chain, c: Address) -> U256 {
    U256::abi_decode(&view(chain, c, numberCall {}.abi_encode())).unwrap()
}

#[test]
fn genesis_and_dev_accounts() {
    let chain = chain();
    assert_eq!(chain.block_number(), 0);
    assert_eq!(chain.latest().timestamp, GENESIS);
    assert_eq!(chain.chain_id(), 412_346);
    let ten_k = U256::from(10_000u64) * U256::from(10u64).pow(U256::from(18));
    for a in ANVIL_DEV_ACCOUNTS {
        assert_eq!(chain.balance(a), ten_k);
    }
    assert_eq!(chain.code(ARBWASM).as_ref(), &[0xfe]);
}

#[test]
fn automine_receipts_and_logs() {
    let mut chain = chain();
    let c = deploy_counter(&mut chain);
    assert_eq!(chain.block_number(), 2);
    let r = send(
        &mut chain,
        Some(c),
        setNumberCall {
            value: U256::from(5),
        }
        .abi_encode(),
        U256::ZERO,
    );
    assert!(r.success());
    assert_eq!(
        (r.block_number, r.tx_index, r.cumulative_gas_used),
        (3, 0, r.gas_used)
    );
    assert_eq!(r.effective_gas_price, GWEI);
    let block = chain.block(3).unwrap().clone();
    assert_eq!(block.transactions, vec![r.tx_hash]);
    assert_eq!(block.gas_used, r.gas_used);
    assert_eq!(chain.block_by_hash(block.hash).unwrap().number, 3);
    assert_eq!(r.logs.len(), 1);
    assert_eq!(r.logs[0].block_hash, block.hash);
    assert_eq!(number_of(&mut chain, c), U256::from(5));
    // the DEV account paid gas at the base fee
    assert_eq!(chain.nonce(DEV), 3);

    // a revert is mined with its data
    let bad = tx(
        &chain,
        DEV,
        Some(c),
        vec![0xde, 0xad, 0xbe, 0xef],
        U256::ZERO,
    );
    let h = chain.submit(bad).unwrap();
    let r = chain.receipt(h).unwrap();
    assert_eq!(r.status, TxStatus::Revert(Bytes::new()));
    assert_eq!(chain.block_number(), 4);

    // a used nonce is refused and mines nothing
    let mut t = tx(&chain, DEV, Some(c), vec![], U256::ZERO);
    t.nonce -= 1;
    assert_eq!(
        chain.submit(t),
        Err(ChainError::InvalidTransaction(InvalidTx::NonceTooLow {
            tx: 3,
            account: 4
        }))
    );
    // so is a transaction its sender cannot pay for
    let poor = address!("00000000000000000000000000000000000000aa");
    let t = tx(&chain, poor, Some(c), vec![], U256::ZERO);
    assert_eq!(
        chain.submit(t),
        Err(ChainError::InvalidTransaction(InvalidTx::InsufficientFunds))
    );
    assert_eq!(chain.block_number(), 4);
    // a nonce ahead waits in the pool, without a block
    let mut t = tx(&chain, DEV, Some(c), vec![], U256::ZERO);
    t.nonce += 1;
    let ahead = chain.submit(t).unwrap();
    assert_eq!(chain.block_number(), 4);
    assert!(chain.receipt(ahead).is_none());
    assert_eq!(chain.pool().len(), 1);
    assert_eq!(chain.pending_nonce(DEV), 4);
    // closing the gap mines both, in nonce order, in one block
    let first = chain
        .submit(tx(&chain, DEV, Some(c), vec![], U256::ZERO))
        .unwrap();
    assert_eq!(chain.block_number(), 5);
    assert_eq!(chain.block(5).unwrap().transactions, vec![first, ahead]);
    assert!(chain.pool().is_empty());
    assert_eq!(chain.nonce(DEV), 6);
}

#[test]
fn queued_transactions_and_log_filters() {
    let mut chain = chain();
    let c = deploy_counter(&mut chain);
    chain.set_automine(false);
    let a = chain
        .submit(tx(
            &chain,
            DEV,
            Some(c),
            setNumberCall {
                value: U256::from(1),
            }
            .abi_encode(),
            U256::ZERO,
        ))
        .unwrap();
    let b = chain
        .submit(tx(
            &chain,
            DEV,
            Some(c),
            setNumberCall {
                value: U256::from(2),
            }
            .abi_encode(),
            U256::ZERO,
        ))
        .unwrap();
    assert!(chain.receipt(a).is_none());
    assert!(chain.transaction(b).is_some());
    chain.mine(1).unwrap();
    let (ra, rb) = (
        chain.receipt(a).unwrap().clone(),
        chain.receipt(b).unwrap().clone(),
    );
    assert_eq!((ra.block_number, rb.block_number), (3, 3));
    assert_eq!((ra.tx_index, rb.tx_index), (0, 1));
    assert_eq!(rb.cumulative_gas_used, ra.gas_used + rb.gas_used);
    assert_eq!((ra.logs[0].log_index, rb.logs[0].log_index), (0, 1));

    let all = chain.logs(&LogFilter {
        from_block: Some(0),
        ..Default::default()
    });
    // ProgramActivated (ArbWasm) + 2 NumberSet
    assert_eq!(all.len(), 3);
    let by_addr = chain.logs(&LogFilter {
        from_block: Some(0),
        addresses: vec![c],
        ..Default::default()
    });
    assert_eq!(by_addr.len(), 2);
    let old_one = chain.logs(&LogFilter {
        from_block: Some(0),
        topics: vec![
            Some(vec![NumberSet::SIGNATURE_HASH]),
            None,
            Some(vec![word(1)]),
        ],
        ..Default::default()
    });
    let values: Vec<&IndexedLog> = old_one.iter().collect();
    assert_eq!(values.len(), 1);
    assert_eq!(values[0].tx_hash, b);
    assert!(chain
        .logs(&LogFilter {
            from_block: Some(4),
            ..Default::default()
        })
        .is_empty());
}

use alloy_sol_types::SolEvent;

#[test]
fn snapshots_restore_state_and_history() {
    let mut chain = chain();
    let c = deploy_counter(&mut chain);
    let s1 = chain.snapshot();
    send(
        &mut chain,
        Some(c),
        setNumberCall {
            value: U256::from(9),
        }
        .abi_encode(),
        U256::ZERO,
    );
    let s2 = chain.snapshot();
    send(
        &mut chain,
        Some(c),
        setNumberCall {
            value: U256::from(10),
        }
        .abi_encode(),
        U256::ZERO,
    );
    assert_eq!(chain.block_number(), 4);
    chain.revert_to(s2).unwrap();
    assert_eq!(number_of(&mut chain, c), U256::from(9));
    assert_eq!(chain.block_number(), 3);
    chain.revert_to(s1).unwrap();
    assert_eq!(number_of(&mut chain, c), U256::ZERO);
    assert_eq!(chain.block_number(), 2);
    assert_eq!(chain.revert_to(s2), Err(ChainError::UnknownSnapshot(s2)));
    assert_eq!(chain.revert_to(s1), Err(ChainError::UnknownSnapshot(s1)));
    // the program stays activated after the reverts (activation predates s1)
    send(
        &mut chain,
        Some(c),
        setNumberCall {
            value: U256::from(3),
        }
        .abi_encode(),
        U256::ZERO,
    );
    assert_eq!(number_of(&mut chain, c), U256::from(3));
}

#[test]
fn time_warp() {
    let mut chain = chain();
    let c = deploy_counter(&mut chain);
    chain.increase_time(86_400);
    send(
        &mut chain,
        Some(c),
        setNumberCall {
            value: U256::from(1),
        }
        .abi_encode(),
        U256::ZERO,
    );
    let ts = chain.latest().timestamp;
    assert!(
        (GENESIS + 86_400..GENESIS + 86_400 + 120).contains(&ts),
        "{ts}"
    );
    chain.set_next_block_timestamp(GENESIS + 1_000_000).unwrap();
    let r = send(&mut chain, Some(c), contextCall {}.abi_encode(), U256::ZERO);
    assert_eq!(chain.latest().timestamp, GENESIS + 1_000_000);
    let ret = contextCall::abi_decode_returns(&r.output).unwrap();
    assert_eq!(ret._5, GENESIS + 1_000_000);
    assert_eq!(ret._4, chain.block_number());
    assert_eq!(
        chain.set_next_block_timestamp(GENESIS),
        Err(ChainError::TimestampNotIncreasing {
            requested: GENESIS,
            parent: GENESIS + 1_000_000
        })
    );
    chain.mine(3).unwrap();
    assert_eq!(chain.block_number(), 7);
    assert!(chain.latest().timestamp >= GENESIS + 1_000_000);
}

#[test]
fn call_estimate_and_cheats() {
    let mut chain = chain();
    let c = deploy_counter(&mut chain);
    let data = setNumberCall {
        value: U256::from(77),
    }
    .abi_encode();
    let probe = TxEnv::builder()
        .caller(DEV)
        .kind(TxKind::Call(c))
        .data(data.clone().into())
        .gas_limit(10_000_000)
        .build()
        .unwrap();
    // eth_call does not change state
    assert!(chain.call(probe.clone()).unwrap().is_success());
    assert_eq!(number_of(&mut chain, c), U256::ZERO);
    // the estimate is enough, one less is not
    let est = chain.estimate_gas(probe.clone()).unwrap();
    let mut t = tx(&chain, DEV, Some(c), data.clone(), U256::ZERO);
    t.gas_limit = est - 1;
    let h = chain.submit(t).unwrap();
    assert!(!chain.receipt(h).unwrap().success());
    let mut t = tx(&chain, DEV, Some(c), data, U256::ZERO);
    t.gas_limit = est;
    let h = chain.submit(t).unwrap();
    assert!(chain.receipt(h).unwrap().success());
    assert_eq!(number_of(&mut chain, c), U256::from(77));
    // the latest block called the program, the next one will not have: the estimate still
    // pays the program's first call in a block
    let data = setNumberCall { value: U256::from(78) }.abi_encode();
    let mut probe = probe.clone();
    probe.data = data.clone().into();
    let again = chain.estimate_gas(probe.clone()).unwrap();
    let mut t = tx(&chain, DEV, Some(c), data.clone(), U256::ZERO);
    t.gas_limit = again - 1;
    let h = chain.submit(t).unwrap();
    assert!(!chain.receipt(h).unwrap().success());
    let mut t = tx(&chain, DEV, Some(c), data, U256::ZERO);
    t.gas_limit = again;
    let h = chain.submit(t).unwrap();
    assert!(chain.receipt(h).unwrap().success());

    // a state override is visible to the call only
    let r = chain
        .call_with(
            TxEnv::builder()
                .caller(DEV)
                .kind(TxKind::Call(c))
                .data(numberCall {}.abi_encode().into())
                .gas_limit(1_000_000)
                .build()
                .unwrap(),
            |ch| ch.set_storage(c, U256::ZERO, U256::from(1234)),
        )
        .unwrap();
    assert_eq!(
        U256::abi_decode(r.output().unwrap()).unwrap(),
        U256::from(1234)
    );
    assert_eq!(number_of(&mut chain, c), U256::from(78));

    // cheats
    let who = address!("00000000000000000000000000000000000000bb");
    chain.set_balance(who, U256::from(5));
    assert_eq!(chain.balance(who), U256::from(5));
    chain.set_code(who, evm_code::constant42().into());
    assert_eq!(chain.balance(who), U256::from(5));
    assert_eq!(
        U256::abi_decode(&view(&mut chain, who, vec![])).unwrap(),
        U256::from(42)
    );
    chain.set_storage(c, U256::ZERO, U256::from(8));
    assert_eq!(number_of(&mut chain, c), U256::from(8));
    chain.set_nonce(who, 7);
    assert_eq!(chain.nonce(who), 7);
    assert_eq!(
        keccak256(chain.code(who)),
        keccak256(evm_code::constant42())
    );
    // setting Stylus code on an account works once the code hash is activated
    let stylus_code = chain.code(c);
    let other = address!("00000000000000000000000000000000000000cc");
    chain.set_code(other, stylus_code);
    assert_eq!(number_of(&mut chain, other), U256::ZERO);
}
