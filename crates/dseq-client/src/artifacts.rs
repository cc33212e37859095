//! Build outputs a deployment takes: Stylus programs from `artifacts/` (written by `dseq build`)
//! and EVM creation code from forge's `out/` (the proxy, and the METIS mock on dev chains).

use std::path::{Path, PathBuf};

use alloy::primitives::{keccak256, Bytes, B256};
use anyhow::{anyhow, Context, Result};

/// Where a checkout keeps its build outputs.
#[derive(Clone, Debug)]
pub struct Artifacts {
    root: PathBuf,
    /// Where the Stylus programs are: `<root>/artifacts`, or a variant's directory.
    programs: PathBuf,
}

impl Artifacts {
    /// The build outputs of the checkout at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        Self { programs: root.join("artifacts"), root }
    }

    /// The same outputs with the Stylus programs taken from `dir` instead, e.g. `artifacts/v2`
    /// (`dseq build --variant v2`); relative paths are taken from the root.
    pub fn with_programs_in(&self, dir: impl AsRef<Path>) -> Self {
        Self { root: self.root.clone(), programs: self.root.join(dir) }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The directory the Stylus programs are read from.
    pub fn programs_dir(&self) -> &Path {
        &self.programs
    }

    /// The deployable code of Stylus program `program` (`EF F0 00 00` + brotli):
    /// `artifacts/<program>.code`.
    pub fn stylus(&self, program: &str) -> Result<Bytes> {
        let path = self.programs.join(format!("{program}.code"));
        std::fs::read(&path)
            .map(Bytes::from)
            .with_context(|| {
                let build = match self.programs.strip_prefix(self.root.join("artifacts")) {
                    Ok(variant) if !variant.as_os_str().is_empty() => format!("dseq build --variant {}", variant.display()),
                    _ => "dseq build".to_owned(),
                };
                format!("cannot read {}: build the programs first with `{build}`", path.display())
            })
    }

    /// The creation bytecode of forge-built `contracts/solidity/<file>.sol:<name>`.
    pub fn forge(&self, file: &str, name: &str) -> Result<Bytes> {
        let path = self.root.join("out").join(format!("{file}.sol")).join(format!("{name}.json"));
        let text = std::fs::read(&path)
            .with_context(|| format!("cannot read {}: build the Solidity contracts first (`npx forge build`)", path.display()))?;
        let json: serde_json::Value =
            serde_json::from_slice(&text).with_context(|| format!("{} is not JSON", path.display()))?;
        let hex = json["bytecode"]["object"].as_str().ok_or_else(|| anyhow!("{}: no bytecode.object", path.display()))?;
        hex.parse::<Bytes>().with_context(|| format!("{}: bytecode.object is not hex", path.display()))
    }
}

/// The code hash a deployed Stylus program has on chain (`keccak256` of its deployed code, the
/// hash ArbWasm keys activation by).
pub fn code_hash(code: &[u8]) -> B256 {
    keccak256(code)
}
