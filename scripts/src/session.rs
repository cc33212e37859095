//! What every chain command needs: the RPC endpoint, the key that signs, the build outputs and
//! the deployment record, each resolved with a message that says what to fix when it is missing.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use dseq_client::alloy::primitives::Address;
use dseq_client::alloy::signers::local::PrivateKeySigner;
use dseq_client::client::{decrypt_keystore, parse_private_key};
use dseq_client::{Artifacts, Client, Deployment};

/// The devnode's (and anvil's) default endpoint.
pub const DEFAULT_RPC: &str = "http://127.0.0.1:8545";

/// Where the signing key comes from.
#[derive(Clone, Debug, Default)]
pub struct KeySource {
    /// A private key in hex.
    pub key: Option<String>,
    /// A Web3 Secret Storage keystore file.
    pub keystore: Option<PathBuf>,
    /// A file holding the keystore's password (else `DSEQ_KEYSTORE_PASSWORD`).
    pub password_file: Option<PathBuf>,
}

impl KeySource {
    /// The key, if one was given.
    pub fn signer(&self) -> Result<Option<PrivateKeySigner>> {
        match (&self.key, &self.keystore) {
            (Some(_), Some(_)) => bail!("give either --key or --keystore, not both"),
            (Some(key), None) => Ok(Some(parse_private_key(key).context("--key")?)),
            (None, Some(path)) => {
                let password = match &self.password_file {
                    Some(file) => std::fs::read_to_string(file)
                        .with_context(|| format!("cannot read the password file {}", file.display()))?
                        .trim_end_matches(['\n', '\r'])
                        .to_string(),
                    None => std::env::var("DSEQ_KEYSTORE_PASSWORD").map_err(|_| {
                        anyhow!("the keystore needs its password: --password-file FILE or DSEQ_KEYSTORE_PASSWORD")
                    })?,
                };
                Ok(Some(decrypt_keystore(path, &password)?))
            }
            (None, None) => Ok(None),
        }
    }
}

/// The secp256k1 key that signs for a command: the one given, else dev account 0 (as
/// [`connect`] uses on a development chain).
pub fn signing_key(keys: &KeySource) -> Result<k256::ecdsa::SigningKey> {
    let signer = match keys.signer()? {
        Some(signer) => signer,
        None => dev_signers().swap_remove(0),
    };
    Ok(signer.credential().clone())
}

/// anvil's ten dev keys as signers (the devnode funds them), in order.
pub fn dev_signers() -> Vec<PrivateKeySigner> {
    devnode::ANVIL_DEV_KEYS.iter().map(|k| PrivateKeySigner::from_bytes(k).expect("anvil's dev keys are valid")).collect()
}

/// A fresh in-process devnode and a client signing with its dev keys and `extra` keys.
pub async fn embedded_chain(extra: Vec<PrivateKeySigner>) -> Result<(devnode::RunningNode, Client)> {
    let node = devnode::serve(devnode::ChainConfig::default(), "127.0.0.1:0".parse()?).context("starting the devnode")?;
    let mut signers = dev_signers();
    signers.extend(extra);
    let client = Client::connect(&node.url(), signers).await?;
    Ok((node, client))
}

/// Connects to `rpc` with the key from `keys`; on a development chain without a key, signs
/// with anvil's first dev account and says so. `need_key` makes a missing key an error
/// elsewhere.
pub async fn connect(rpc: &str, keys: &KeySource, need_key: bool) -> Result<Client> {
    if let Some(signer) = keys.signer()? {
        return Client::connect(rpc, vec![signer]).await;
    }
    let probe = Client::connect(rpc, Vec::new()).await?;
    if !probe.is_dev_chain().await {
        if need_key {
            bail!("{rpc} is not a development chain: give the signing key with --key HEX or --keystore FILE");
        }
        return Ok(probe);
    }
    let dev = dev_signers().swap_remove(0);
    if need_key {
        eprintln!("(no --key: signing with dev account 0, {}, as this is a development chain)", dev.address());
    }
    Client::connect(rpc, vec![dev]).await
}

/// The deployment record for the chain `client` serves.
pub fn deployment(root: &Path, client: &Client, file: Option<&Path>) -> Result<Deployment> {
    let d = match file {
        Some(path) => Deployment::load(path)?,
        None => Deployment::load_for(root, client.chain_id)?,
    };
    if d.chain_id != client.chain_id {
        bail!("the deployment record is for chain {}, but {} serves chain {}", d.chain_id, client.url, client.chain_id);
    }
    Ok(d)
}

/// Builds what a deployment takes (every Stylus program and the Solidity pieces) unless
/// `skip_build`, and returns where the outputs are.
pub fn artifacts(root: &Path, skip_build: bool, verbose: bool) -> Result<Artifacts> {
    if !skip_build {
        // One build at a time in a process: tests that run in parallel share artifacts/, and a
        // second build would read a program while the first writes it.
        static BUILDING: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _one = BUILDING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let options = crate::build::BuildOptions { verbose, ..Default::default() };
        let report = crate::build::build(root, &options)?;
        crate::build::check_limits(&report.rows)?;
        devnode::bench::forge_build(root).map_err(|e| anyhow!("building the Solidity contracts: {e}"))?;
    }
    Ok(Artifacts::new(root))
}

/// `artifacts` with its Stylus programs taken from `variant`'s build (`artifacts/<variant>/`),
/// which is built first unless `skip_build`.
pub fn variant_artifacts(root: &Path, artifacts: &Artifacts, variant: &str, skip_build: bool) -> Result<Artifacts> {
    if !skip_build {
        static BUILDING: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _one = BUILDING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let options = crate::build::BuildOptions { variant: Some(variant.to_owned()), ..Default::default() };
        crate::build::check_limits(&crate::build::build(root, &options)?.rows)?;
    }
    Ok(artifacts.with_programs_in(Path::new(crate::build::ARTIFACTS_DIR).join(variant)))
}

/// Parses an address argument with advice.
pub fn parse_address(what: &str, text: &str) -> Result<Address> {
    text.trim()
        .parse()
        .map_err(|_| anyhow!("--{what} {text:?} is not an address: give 20 bytes of hex, 0x-prefixed"))
}
