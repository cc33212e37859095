//! cargo-stylus 0.10.10, run straight from `contracts/locking-pool`, deploys each of the pool's
//! programs to the devnode (through the StylusDeployer, constructor run) and each answers as
//! the program it is. Skipped, with a message, when cargo-stylus is not installed (CI does not
//! install it: `cargo install cargo-stylus --version 0.10.10 --locked` takes about 14 minutes).

use std::process::Command;

use alloy::primitives::{Address, B256, U256};
use alloy::sol;
use dseq_tests::{repo_root, Harness};

sol! {
    #[sol(rpc)]
    interface IProgram {
        function dseqProgram() external view returns (bytes32 build, uint256 index, uint256 programs);
    }
}

fn cargo_stylus_installed() -> bool {
    Command::new("cargo").args(["stylus", "--version"]).output().is_ok_and(|o| o.status.success())
}

/// The address cargo-stylus prints after `deployed code at address:`.
fn deployed_address(output: &str) -> Option<Address> {
    let plain: String = output.chars().filter(|c| !c.is_control() || *c == '\n').collect();
    let line = plain.lines().find(|l| l.contains("deployed code at address"))?;
    let start = line.find("0x")?;
    line[start..start + 42].parse().ok()
}

#[tokio::test]
async fn cargo_stylus_deploys_each_program_from_the_contract_folder() {
    if !cargo_stylus_installed() {
        eprintln!("SKIPPED: cargo-stylus is not installed (cargo install cargo-stylus --version 0.10.10 --locked)");
        return;
    }
    let h = Harness::start().await.unwrap();
    let key = format!("0x{}", alloy::hex::encode(devnode::ANVIL_DEV_KEYS[0]));
    let dir = repo_root().join("contracts/locking-pool");
    // cargo-stylus runs the wasm-opt that Stylus.toml pins (binaryen from the npm tools).
    let wasm_opt = devnode::bench::ensure_npm_tool(&repo_root(), "wasm-opt").expect("wasm-opt");
    let path = format!(
        "{}:{}",
        wasm_opt.parent().expect("a directory").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut builds = Vec::new();
    for index in 0..3u64 {
        let mut cmd = Command::new("cargo");
        cmd.current_dir(&dir).env("PATH", &path).args(["stylus", "deploy", "--no-verify", "--endpoint", &h.url, "--private-key", &key]);
        if index > 0 {
            // The entry's default feature yields to the program asked for.
            cmd.args(["--features", &format!("program-{index}")]);
        }
        let out = cmd.output().expect("cargo stylus runs");
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "cargo stylus deploy of program {index} failed:\n{text}");
        let address = deployed_address(&text).unwrap_or_else(|| panic!("no address in:\n{text}"));
        let info = IProgram::new(address, h.provider.clone()).dseqProgram().call().await.unwrap();
        assert_eq!((info.index, info.programs), (U256::from(index), U256::from(3)));
        builds.push(info.build);
    }
    assert!(builds.iter().all(|b| *b == builds[0] && *b != B256::ZERO), "one build: {builds:?}");
}
