//! JSON-RPC 2.0 over HTTP in anvil's dialect, on top of [`ChainHandle`].
//!
//! ```no_run
//! let node = devnode::rpc::serve(devnode::ChainConfig::default(), "127.0.0.1:0".parse().unwrap())?;
//! println!("{}", node.url()); // http://127.0.0.1:PORT
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! - [`http`]: a small HTTP/1.1 server over `std::net` (keep-alive, chunked bodies, CORS).
//! - [`methods`]: the methods (`eth_*`, `net_*`, `web3_*`, `evm_*`, `anvil_*` and `hardhat_*`
//!   aliases) and anvil's error conventions (code 3 + revert data for reverts, -32700 malformed
//!   JSON, -32600 invalid request, -32601 unknown method, -32602 bad params, refused
//!   transactions with anvil's codes and messages (-32003 "nonce too low", "Insufficient funds
//!   for gas * price + value"..., -32000 for the gas-limit ones; see [`crate::chain::InvalidTx`]),
//!   -32000 other server errors, -32603 internal error). Each request runs under
//!   `catch_unwind`: a panic answers -32603 and the node keeps serving (the crate refuses to
//!   build with `panic = "abort"`, which would make a panic kill the node).
//! - Transactions from `eth_sendTransaction` by a dev account are signed with its key (real
//!   EIP-1559/legacy envelopes and hashes); impersonated senders get a synthetic hash and a zero
//!   signature, as anvil does.

pub mod http;
pub mod methods;

use crate::chain::{ChainConfig, ANVIL_DEV_ACCOUNTS};
use crate::handle::ChainHandle;
use alloy_primitives::{b256, Address, B256};
use std::net::SocketAddr;
use std::sync::Arc;

/// anvil's ten default dev private keys (mnemonic "test test test test test test test test test
/// test test junk", path m/44'/60'/0'/0/i), in the order of [`ANVIL_DEV_ACCOUNTS`].
pub const ANVIL_DEV_KEYS: [B256; 10] = [
    b256!("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"),
    b256!("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"),
    b256!("5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"),
    b256!("7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6"),
    b256!("47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a"),
    b256!("8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba"),
    b256!("92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e"),
    b256!("4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356"),
    b256!("dbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97"),
    b256!("2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6"),
];

/// The address of a private key.
pub fn address_of_key(key: &B256) -> Option<Address> {
    let signer = k256::ecdsa::SigningKey::from_slice(key.as_slice()).ok()?;
    Some(Address::from_private_key(&signer))
}

/// A running node: the chain, its RPC server, and the unlocked dev keys. Stops on drop.
pub struct RunningNode {
    server: http::HttpServer,
    chain: ChainHandle,
    config: ChainConfig,
    keys: Vec<(Address, B256)>,
}

impl std::fmt::Debug for RunningNode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningNode")
            .field("url", &self.url())
            .field("chain_id", &self.config.chain_id)
            .finish_non_exhaustive()
    }
}

impl RunningNode {
    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.server.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.server.addr
    }

    pub fn port(&self) -> u16 {
        self.server.addr.port()
    }

    pub fn chain_id(&self) -> u64 {
        self.config.chain_id
    }

    /// The unlocked dev accounts (anvil's ten, in anvil's order).
    pub fn accounts(&self) -> Vec<Address> {
        self.keys.iter().map(|(a, _)| *a).collect()
    }

    /// `(address, private key)` of the unlocked dev accounts.
    pub fn keys(&self) -> &[(Address, B256)] {
        &self.keys
    }

    /// The chain behind the server, for in-process access (same state the RPC sees).
    pub fn chain(&self) -> &ChainHandle {
        &self.chain
    }

    /// What `devnode` and `dseq devnode` print at startup, like anvil: the accounts and their
    /// keys, the mnemonic they derive from, the chain id and the endpoint.
    pub fn banner(&self) -> String {
        let mut out = format!(
            "\ndevnode {} (Stylus-capable, anvil-compatible RPC)\n\n",
            env!("CARGO_PKG_VERSION")
        );
        out.push_str("Available Accounts\n==================\n\n");
        for (i, (address, _)) in self.keys().iter().enumerate() {
            out.push_str(&format!("({i}) {address} (10000.000000000000000000 ETH)\n"));
        }
        out.push_str("\nPrivate Keys\n==================\n\n");
        for (i, (_, key)) in self.keys().iter().enumerate() {
            out.push_str(&format!("({i}) {key}\n"));
        }
        out.push_str(
            "\nWallet\n==================\nMnemonic:          test test test test test test test test test test test junk\n\
             Derivation path:   m/44'/60'/0'/0/\n",
        );
        out.push_str(&format!(
            "\nChain ID\n==================\n\n{}\n\n",
            self.chain_id()
        ));
        out.push_str(&format!("Listening on {}\n", self.addr()));
        out
    }

    /// Stops the server (also done on drop). The chain thread ends when the last handle goes.
    pub fn shutdown(mut self) {
        self.server.shutdown();
    }
}

/// Starts a chain with `config` and serves it on `addr` (port 0 picks a free port).
///
/// The dev keys are anvil's ten; those whose address `config.accounts` does not fund are
/// still unlocked (they just have no balance).
pub fn serve(config: ChainConfig, addr: SocketAddr) -> std::io::Result<RunningNode> {
    let keys: Vec<(Address, B256)> = ANVIL_DEV_KEYS
        .iter()
        .zip(ANVIL_DEV_ACCOUNTS)
        .map(|(k, a)| (a, *k))
        .collect();
    let chain = ChainHandle::spawn(config.clone());
    let node = Arc::new(methods::Node::new(
        chain.clone(),
        config.clone(),
        keys.clone(),
    ));
    let handler: http::Handler = Arc::new(move |body: &[u8]| node.handle_body(body));
    let server = http::HttpServer::bind(addr, handler)?;
    Ok(RunningNode {
        server,
        chain,
        config,
        keys,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};
    use std::io::{Read, Write};
    use std::net::TcpStream;

    /// One JSON-RPC request over a fresh HTTP connection.
    fn post(node: &RunningNode, method: &str, params: Value) -> Value {
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let body = body.to_string();
        let mut s = TcpStream::connect(node.addr()).unwrap();
        let head = format!(
            "POST / HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        s.write_all(head.as_bytes()).unwrap();
        s.write_all(body.as_bytes()).unwrap();
        let mut out = Vec::new();
        s.read_to_end(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 200"), "{text}");
        let (_, body) = text.split_once("\r\n\r\n").unwrap();
        serde_json::from_str(body).unwrap()
    }

    #[test]
    fn a_panicking_request_answers_internal_error_and_the_node_keeps_serving() {
        let node = serve(ChainConfig::default(), "127.0.0.1:0".parse().unwrap()).unwrap();
        for (i, place) in ["connection", "chain", "connection"]
            .into_iter()
            .enumerate()
        {
            let r = post(&node, "devnode_testPanic", json!([place]));
            assert_eq!(r["error"]["code"], -32603, "{place}: {r}");
            assert_eq!(r["id"], 1);
            let r = post(&node, "anvil_mine", json!([]));
            assert!(r.get("error").is_none(), "{r}");
            let r = post(&node, "eth_blockNumber", json!([]));
            assert_eq!(
                r["result"],
                json!(format!("{:#x}", i + 1)),
                "after a {place} panic"
            );
        }
    }

    /// The native devnode shares the workspace's release profile (`dseq devnode`, `dseq bench`):
    /// with `panic = "abort"` there, a panicking request would kill the node.
    #[test]
    fn the_release_profile_unwinds() {
        let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.toml");
        let text = std::fs::read_to_string(manifest).unwrap();
        let release: Vec<&str> = text
            .lines()
            .map(str::trim)
            .skip_while(|l| *l != "[profile.release]")
            .skip(1)
            .take_while(|l| !l.starts_with('['))
            .collect();
        assert!(!release.is_empty(), "no [profile.release] in {manifest}");
        let aborts = release
            .iter()
            .any(|l| l.starts_with("panic") && l.contains("abort"));
        assert!(
            !aborts,
            "[profile.release] of {manifest} sets panic = \"abort\""
        );
    }
}
