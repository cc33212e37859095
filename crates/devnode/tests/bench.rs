//! Rough throughput: `cargo test --release --test bench -- --ignored --nocapture`.

mod common;

use alloy_primitives::U256;
use alloy_sol_types::{sol, SolCall};
use common::*;
use std::time::Instant;

sol! { function setNumber(uint256 value) external; }

#[test]
#[ignore]
fn storage_write_throughput() {
    let mut chain = TestChain::new();
    let stylus = chain.deploy_stylus(counter_wasm());
    let evm = chain.deploy_code(&evm_code::store_calldata());
    for (name, target, encode) in [
        ("stylus setNumber", stylus, true),
        ("evm sstore(calldata)", evm, false),
    ] {
        let n = 2_000u64;
        let start = Instant::now();
        for i in 0..n {
            let data = if encode {
                setNumberCall {
                    value: U256::from(i + 1),
                }
                .abi_encode()
            } else {
                word(i + 1).to_vec()
            };
            assert!(chain.call(target, data).is_success());
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{name}: {:.0} tx/s ({n} txs in {secs:.2}s)",
            n as f64 / secs
        );
    }
}
