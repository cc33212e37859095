//! Shared test harness: a chain on [`DevEvm`] and the Stylus fixture.
//!
//! The fixture contract (`tests/fixtures/counter`, its own workspace) is built for
//! `wasm32-unknown-unknown` by [`counter_wasm`], once per test binary, with `cargo build
//! --release --locked` into `$CARGO_TARGET_DIR` (or this crate's `target/`). Building from the
//! test rather than from a build script keeps `cargo build` of the library free of the wasm
//! toolchain and lets cargo's target-dir lock serialize concurrent test binaries.
#![allow(dead_code)]

use alloy_primitives::{address, Address, Bytes, B256, U256};
use alloy_sol_types::SolCall;
use devnode::code::{deploy_init_code, encode_program};
use devnode::precompiles::{ArbWasm, ARBWASM};
use devnode::revm::context::{BlockEnv, TxEnv};
use devnode::revm::context_interface::result::{ExecutionResult, HaltReason};
use devnode::revm::database_interface::DatabaseRef;
use devnode::revm::primitives::{hardfork::SpecId, TxKind};
use devnode::revm::state::AccountInfo;
use devnode::{dev_cfg, install_arbitrum_accounts, Db, DevEvm, StylusRuntime};
use std::path::PathBuf;
use std::sync::OnceLock;

pub const ALICE: Address = address!("00000000000000000000000000000000000a11ce");
pub const BOB: Address = address!("0000000000000000000000000000000000000b0b");
pub const CHAIN_ID: u64 = 412346;
pub const TIMESTAMP: u64 = 1_700_000_000;
pub const BLOCK: u64 = 7;
pub const GAS: u64 = 30_000_000;

pub fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18))
}

/// The fixture's wasm, built on first use.
pub fn counter_wasm() -> &'static [u8] {
    static WASM: OnceLock<Vec<u8>> = OnceLock::new();
    WASM.get_or_init(|| {
        let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/counter");
        devnode::bench::build_stylus_crate(&fixture, "devnode_counter", None)
            .unwrap_or_else(|e| panic!("building the counter fixture: {e:?}"))
    })
}

pub struct TestChain {
    pub evm: DevEvm,
    /// Gas limit of the transactions `send` makes.
    pub gas_limit: u64,
}

impl Default for TestChain {
    fn default() -> Self {
        Self::new()
    }
}

impl TestChain {
    pub fn new() -> Self {
        let mut db = Db::default();
        install_arbitrum_accounts(&mut db);
        for who in [ALICE, BOB] {
            db.insert_account_info(
                who,
                AccountInfo {
                    balance: ether(100),
                    ..Default::default()
                },
            );
        }
        let block = BlockEnv {
            number: U256::from(BLOCK),
            timestamp: U256::from(TIMESTAMP),
            gas_limit: GAS,
            basefee: 0,
            ..Default::default()
        };
        let evm = DevEvm::new(
            db,
            dev_cfg(CHAIN_ID, SpecId::PRAGUE),
            block,
            StylusRuntime::new(),
        );
        Self {
            evm,
            gas_limit: GAS,
        }
    }

    /// Moves to the next block: programs called before count as not recently called again.
    pub fn next_block(&mut self) {
        self.evm.ctx.block.number += U256::from(1);
    }

    pub fn nonce(&self, who: Address) -> u64 {
        self.evm
            .db()
            .basic_ref(who)
            .unwrap()
            .map(|a| a.nonce)
            .unwrap_or(0)
    }

    pub fn balance(&self, who: Address) -> U256 {
        self.evm
            .db()
            .basic_ref(who)
            .unwrap()
            .map(|a| a.balance)
            .unwrap_or_default()
    }

    pub fn storage(&self, who: Address, slot: U256) -> U256 {
        self.evm.db().storage_ref(who, slot).unwrap()
    }

    pub fn code(&self, who: Address) -> Bytes {
        self.evm
            .db()
            .basic_ref(who)
            .unwrap()
            .and_then(|a| a.code)
            .map(|c| c.original_bytes())
            .unwrap_or_default()
    }

    pub fn send(
        &mut self,
        from: Address,
        kind: TxKind,
        data: Vec<u8>,
        value: U256,
    ) -> ExecutionResult<HaltReason> {
        let tx = TxEnv::builder()
            .caller(from)
            .kind(kind)
            .data(data.into())
            .value(value)
            .gas_limit(self.gas_limit)
            .gas_price(0)
            .nonce(self.nonce(from))
            .chain_id(Some(CHAIN_ID))
            .build()
            .unwrap();
        self.evm.transact_commit(tx).expect("valid transaction")
    }

    pub fn call(&mut self, to: Address, data: Vec<u8>) -> ExecutionResult<HaltReason> {
        self.send(ALICE, TxKind::Call(to), data, U256::ZERO)
    }

    /// Calls and expects success; returns the output.
    pub fn call_ok(&mut self, to: Address, data: Vec<u8>) -> Bytes {
        let r = self.call(to, data);
        assert!(r.is_success(), "call failed: {r:?}");
        r.into_output().unwrap()
    }

    /// CREATE from ALICE; panics unless it succeeds.
    pub fn deploy(&mut self, init: Vec<u8>) -> Address {
        let r = self.send(ALICE, TxKind::Create, init, U256::ZERO);
        assert!(r.is_success(), "deploy failed: {r:?}");
        r.created_address().unwrap()
    }

    /// Deploys runtime `code` verbatim through cargo-stylus's init-code prelude.
    pub fn deploy_code(&mut self, code: &[u8]) -> Address {
        self.deploy(deploy_init_code(code))
    }

    /// Deploys `wasm` as a Stylus program (not activated).
    pub fn deploy_wasm(&mut self, wasm: &[u8]) -> Address {
        self.deploy_code(&encode_program(wasm))
    }

    pub fn activate(&mut self, program: Address, value: U256) -> ExecutionResult<HaltReason> {
        let data = ArbWasm::activateProgramCall { program }.abi_encode();
        self.send(ALICE, TxKind::Call(ARBWASM), data, value)
    }

    /// Deploys and activates `wasm`.
    pub fn deploy_stylus(&mut self, wasm: &[u8]) -> Address {
        let address = self.deploy_wasm(wasm);
        let r = self.activate(address, ether(1));
        assert!(r.is_success(), "activation failed: {r:?}");
        address
    }
}

pub fn word(v: u64) -> B256 {
    B256::from(U256::from(v))
}

/// Hand-assembled EVM runtimes used by the tests.
pub mod evm_code {
    use alloy_primitives::Address;

    /// Returns the 32-byte word 42.
    pub fn constant42() -> Vec<u8> {
        hex("602a60005260206000f3")
    }

    /// `sstore(0, calldataload(0))`, returns nothing.
    pub fn store_calldata() -> Vec<u8> {
        hex("600035600055")
    }

    /// Calldata is `target (20 bytes) ++ payload`: CALLs target with payload, forwards all gas
    /// and callvalue, then returns or reverts with the callee's return data.
    pub fn forwarder() -> Vec<u8> {
        // CALLDATASIZE 20 SWAP1 SUB            -> len
        // DUP1 20 0 CALLDATACOPY               -> mem[0..len] = payload
        // 0 0 SWAP2(len) 0 CALLVALUE 0 CALLDATALOAD 96 SHR GAS CALL
        // RETURNDATASIZE 0 0 RETURNDATACOPY
        // PUSH1 ok JUMPI  RETURNDATASIZE 0 REVERT  ok: JUMPDEST RETURNDATASIZE 0 RETURN
        let mut c = hex("366014900380601460003760006000916000346000356060");
        c.extend(hex("1c5af13d6000803e")); // SHR GAS CALL RETURNDATASIZE 0 DUP1 RETURNDATACOPY
        let ok = c.len() + 6;
        c.extend([0x60, ok as u8, 0x57, 0x3d, 0x60, 0x00, 0xfd]);
        // fix: ok points after REVERT
        let ok = c.len();
        let jump_pos = c.len() - 7;
        c[jump_pos + 1] = ok as u8;
        c.extend([0x5b, 0x3d, 0x60, 0x00, 0xf3]);
        c
    }

    /// Like [`forwarder`] but swallows the callee's failure: stores the CALL's success flag in
    /// slot 0 and returns normally.
    pub fn swallow() -> Vec<u8> {
        let mut c = hex("366014900380601460003760006000916000346000356060");
        c.extend(hex("1c5af1600055")); // SHR GAS CALL PUSH1 0 SSTORE
        c
    }

    /// A proxy that DELEGATECALLs `implementation` with the calldata and returns/reverts its data.
    pub fn delegate_proxy(implementation: Address) -> Vec<u8> {
        // CALLDATASIZE 0 0 CALLDATACOPY
        let mut c = hex("3660006000376000600036600073");
        // stack for DELEGATECALL: gas addr argsOffset argsLen retOffset retLen (top first)
        // pushed: 0(retLen) 0(retOff) CALLDATASIZE(argsLen) 0(argsOff) PUSH20 addr GAS
        c.extend_from_slice(implementation.as_slice());
        c.extend(hex("5af43d6000803e")); // GAS DELEGATECALL RETURNDATASIZE 0 DUP1 RETURNDATACOPY
        let jumpi_at = c.len();
        c.extend([0x60, 0x00, 0x57, 0x3d, 0x60, 0x00, 0xfd]);
        let ok = c.len();
        c[jumpi_at + 1] = ok as u8;
        c.extend([0x5b, 0x3d, 0x60, 0x00, 0xf3]);
        c
    }

    pub fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }
}

/// A minimal JSON-RPC client over raw HTTP/1.1 (one connection per request), for tests that
/// drive [`devnode::rpc::serve`].
pub mod client {
    use devnode::RunningNode;
    use serde_json::{json, Value};
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::Duration;

    /// Sends `parts` on a fresh connection, then returns everything the server answers until
    /// it closes the connection.
    pub fn exchange(node: &RunningNode, parts: &[&[u8]]) -> String {
        let mut s = TcpStream::connect(node.addr()).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        for part in parts {
            s.write_all(part).unwrap();
        }
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    /// The whole JSON-RPC response object of `method(params)`.
    pub fn rpc(node: &RunningNode, method: &str, params: Value) -> Value {
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let body = body.to_string();
        let head = format!(
            "POST / HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let answer = exchange(node, &[head.as_bytes(), body.as_bytes()]);
        assert!(answer.starts_with("HTTP/1.1 200"), "{method}: {answer}");
        let (_, body) = answer.split_once("\r\n\r\n").expect("http head");
        serde_json::from_str(body).unwrap()
    }

    /// The result; panics on an error answer.
    pub fn ok(node: &RunningNode, method: &str, params: Value) -> Value {
        let r = rpc(node, method, params);
        assert!(r.get("error").is_none(), "{method}: {r}");
        r["result"].clone()
    }

    /// `(code, message)` of the error answer; panics on success.
    pub fn err(node: &RunningNode, method: &str, params: Value) -> (i64, String) {
        let r = rpc(node, method, params);
        assert!(r.get("result").is_none(), "{method} should fail: {r}");
        let e = &r["error"];
        (
            e["code"].as_i64().unwrap(),
            e["message"].as_str().unwrap().to_string(),
        )
    }
}
