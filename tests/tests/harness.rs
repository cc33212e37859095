//! The harness itself on the node: time travel, snapshots.

use alloy::primitives::U256;
use alloy::providers::ext::AnvilApi;
use alloy::providers::Provider;
use dseq_tests::Harness;

#[tokio::test]
async fn time_travel_and_snapshots() {
    let h = Harness::start().await.unwrap();
    let t0 = h.now().await.unwrap();
    h.warp(86_400).await.unwrap();
    let t1 = h.now().await.unwrap();
    assert!(t1 >= t0 + 86_400, "warp(1 day) mined {t1} after {t0}");
    h.warp_to(t1 + 1_000).await.unwrap();
    assert_eq!(h.now().await.unwrap(), t1 + 1_000);

    let who = h.accounts[5];
    let ten_thousand_eth = U256::from(10_000u64) * U256::from(10u64).pow(U256::from(18));
    let snap = h.snapshot().await.unwrap();
    h.provider
        .anvil_set_balance(who, U256::from(7))
        .await
        .unwrap();
    h.warp(3_600).await.unwrap();
    assert_eq!(h.provider.get_balance(who).await.unwrap(), U256::from(7));
    assert!(h.revert_to(snap).await.unwrap());
    assert_eq!(h.provider.get_balance(who).await.unwrap(), ten_thousand_eth);
    assert_eq!(h.now().await.unwrap(), t1 + 1_000);
}

/// anvil: once a block is mined at a timestamp set by `evm_setNextBlockTimestamp`, the clock
/// continues from there, so `evm_increaseTime(1)` + `evm_mine` mines a later block.
#[tokio::test]
async fn increase_time_continues_after_set_next_block_timestamp() {
    let h = Harness::start().await.unwrap();
    let t0 = h.now().await.unwrap();
    h.warp_to(t0 + 1_000).await.unwrap();
    h.warp(1).await.unwrap();
    let t1 = h.now().await.unwrap();
    assert!(
        t1 >= t0 + 1_001,
        "evm_increaseTime(1) + evm_mine after a block at {} mined a block at {t1}",
        t0 + 1_000
    );
}

alloy::sol! {
    #[sol(rpc)]
    interface IModuleViews {
        function maxWithdrawalRequests() external view returns (uint64);
    }
}

/// `cargo stylus deploy` without a constructor: CREATE with the init-code prelude, then
/// `ArbWasm.activateProgram{value: dataFee}`; the program answers once activated.
#[tokio::test]
async fn deploys_and_activates_a_program_the_cargo_stylus_way() {
    use dseq_tests::{stylus_code, stylus_init_code, ArbWasm, ARB_WASM};
    let h = Harness::start().await.unwrap();
    let code = stylus_code("locking-pool-admin").unwrap();
    let init = stylus_init_code(&code);
    assert_eq!(init[0], 0x7f);
    assert_eq!(
        &init[33..43],
        &[0x80, 0x60, 0x2b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]
    );
    assert_eq!(&init[43..47], &[0xef, 0xf0, 0x00, 0x00]);

    if !h.is_activated(&code).await.unwrap() {
        // (On a shared DSEQ_RPC_URL node an earlier run may have activated this code already.)
        let fee = h.estimate_data_fee(&code).await.unwrap();
        assert!(fee > U256::ZERO, "data fee {fee}");
    }
    let program = h.deploy_stylus(&code).await.unwrap();
    assert_eq!(h.provider.get_code_at(program).await.unwrap(), code);
    let arb_wasm = ArbWasm::new(ARB_WASM, h.provider.clone());
    let version = arb_wasm.stylusVersion().call().await.unwrap();
    assert_eq!(
        arb_wasm.programVersion(program).call().await.unwrap(),
        version
    );
    // Fresh storage: the bare admin program reports zero.
    let module = IModuleViews::new(program, h.provider.clone());
    assert_eq!(module.maxWithdrawalRequests().call().await.unwrap(), 0);
}
