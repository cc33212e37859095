//! Smoke test of `devnode::bench` (what `dseq bench` runs): a handful of transfers on the
//! Stylus token (`benches/token`, built here for wasm32) and on forge's MockMetis artifact
//! (`out/`, from `npm ci && npx forge build`). Checks correctness only, never timing.

use alloy_primitives::{keccak256, Address, B256, U256};
use devnode::bench::{self, BenchResult, TokenBench, TokenCode, AMOUNT};

const N: u64 = 5;

fn check(code: &TokenCode) -> BenchResult {
    let minted = U256::from(1_000_000u64);
    let mut b = TokenBench::new(code, minted).unwrap();
    assert_eq!(b.balance_of(b.sender).unwrap(), minted);
    let start_block = b.chain.block_number();
    let r = b.run(N).unwrap();
    assert_eq!(r.transfers, N);
    assert_eq!(r.tx_hashes.len() as u64, N);
    assert_eq!(r.amount, U256::from(AMOUNT));

    let transfer_topic = keccak256("Transfer(address,address,uint256)");
    for (i, (hash, to)) in r.tx_hashes.iter().zip(&r.recipients).enumerate() {
        let receipt = b.chain.receipt(*hash).expect("receipt");
        assert!(
            receipt.success(),
            "{} transfer {i}: {:?}",
            r.runtime,
            receipt.status
        );
        // One transaction per block, mined in order.
        assert_eq!(receipt.block_number, start_block + 1 + i as u64);
        assert_eq!(receipt.from, b.sender);
        assert_eq!(receipt.to, Some(b.token));
        assert!(receipt.gas_used > 21_000 && receipt.gas_used <= bench::TRANSFER_GAS_LIMIT);
        let log = &receipt.logs[0].log;
        assert_eq!(log.address, b.token);
        assert_eq!(
            log.data.topics(),
            &[
                transfer_topic,
                B256::left_padding_from(b.sender.as_slice()),
                B256::left_padding_from(to.as_slice()),
            ]
        );
        assert_eq!(log.data.data.as_ref(), r.amount.to_be_bytes::<32>());
    }

    // Balances moved exactly.
    let distinct: std::collections::HashSet<Address> = r.recipients.iter().copied().collect();
    assert_eq!(distinct.len() as u64, N);
    for to in &r.recipients {
        assert_eq!(
            b.balance_of(*to).unwrap(),
            r.amount,
            "{} recipient {to}",
            r.runtime
        );
    }
    assert_eq!(
        b.balance_of(b.sender).unwrap(),
        minted - r.amount * U256::from(N),
        "{} sender",
        r.runtime
    );
    assert_eq!(b.balance_of(bench::recipient(N)).unwrap(), U256::ZERO);
    assert!(r.gas_min > 21_000 && r.gas_min <= r.gas_per_tx && r.gas_per_tx <= r.gas_max);
    assert!(r.tx_per_sec > 0.0);
    println!("{}", bench::table(std::slice::from_ref(&r)));
    r
}

#[test]
fn stylus_token_transfers() {
    let code = TokenCode::stylus(None).unwrap();
    let r = check(&code);
    assert_eq!(r.runtime, bench::Runtime::Stylus);
}

#[test]
fn evm_mock_metis_transfers() {
    let code = TokenCode::evm_built(None).unwrap_or_else(|e| panic!("{e}"));
    let r = check(&code);
    assert_eq!(r.runtime, bench::Runtime::Evm);
    // EVM gas is exact: a transfer to a fresh recipient costs the same every time.
    assert_eq!(r.gas_min, r.gas_max);
}

#[test]
fn transfers_entry_point() {
    let r = bench::transfers(&TokenCode::evm_built(None).unwrap_or_else(|e| panic!("{e}")), 3).unwrap();
    assert_eq!(r.recipients.len(), 3);
    assert_eq!(r.minted, U256::from(AMOUNT) * U256::from(30u64));
}

#[test]
fn missing_artifact_says_how_to_build_it() {
    let e = TokenCode::evm(Some(std::path::Path::new("/nonexistent"))).unwrap_err();
    assert!(e.0.contains("npx forge build"), "{e}");
}
