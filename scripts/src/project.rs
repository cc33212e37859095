//! The repository layout: workspace root, target directory, and the contracts under `contracts/`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// The directory (relative to the root) holding one crate per Stylus contract.
pub const CONTRACTS_DIR: &str = "contracts";
/// The directory (relative to the root) holding the hand-written Solidity interfaces.
pub const INTERFACES_DIR: &str = "contracts/interfaces";
/// The Rust target every contract is compiled to.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Finds the workspace root: the nearest ancestor of `start` (inclusive) whose `Cargo.toml`
/// has a `[workspace]` table.
pub fn find_workspace_root(start: &Path) -> Result<PathBuf> {
    for dir in start.ancestors() {
        let manifest = dir.join("Cargo.toml");
        if !manifest.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&manifest)
            .with_context(|| format!("cannot read {}", manifest.display()))?;
        let value: toml::Table = toml::from_str(&text)
            .with_context(|| format!("{} is not valid TOML", manifest.display()))?;
        if value.contains_key("workspace") {
            return Ok(dir.to_path_buf());
        }
    }
    bail!(
        "no Cargo.toml with a [workspace] table in {} or any parent; run dseq from inside the repository",
        start.display()
    )
}

/// The cargo target directory used for builds under `root`: `$CARGO_TARGET_DIR` when set
/// (relative values are taken relative to `root`), else `<root>/target`.
///
/// Nested cargo invocations (the wasm builds, export-abi) get this directory explicitly so that
/// they share artifacts with the outer build, including when run from `cargo test`.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}

/// The optimisation level a contract is built with (`CARGO_PROFILE_RELEASE_OPT_LEVEL`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OptLevel {
    /// `opt-level = 3`: usually the smallest *compressed* Stylus code (see stylus-notes §1.9).
    O3,
    /// `opt-level = "s"`.
    S,
    /// `opt-level = "z"`: smallest raw wasm, but compresses worst.
    Z,
}

impl OptLevel {
    /// Every level `--compare-opt-levels` measures.
    pub const ALL: [OptLevel; 3] = [OptLevel::O3, OptLevel::S, OptLevel::Z];

    /// The value cargo expects in `CARGO_PROFILE_RELEASE_OPT_LEVEL`.
    pub fn as_str(self) -> &'static str {
        match self {
            OptLevel::O3 => "3",
            OptLevel::S => "s",
            OptLevel::Z => "z",
        }
    }

    /// Parses `"3"`, `3`, `"s"` or `"z"` as written in `[package.metadata.dseq] opt-level`.
    pub fn from_toml(value: &toml::Value) -> Option<OptLevel> {
        match value {
            toml::Value::Integer(3) => Some(OptLevel::O3),
            toml::Value::String(s) => match s.as_str() {
                "3" => Some(OptLevel::O3),
                "s" => Some(OptLevel::S),
                "z" => Some(OptLevel::Z),
                _ => None,
            },
            _ => None,
        }
    }
}

impl fmt::Display for OptLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A Stylus contract crate found under `contracts/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contract {
    /// The cargo package name, e.g. `locking-pool`.
    pub package: String,
    /// The crate directory.
    pub dir: PathBuf,
    /// The library target name (`[lib] name`, else the package name with `-` replaced by `_`);
    /// the wasm file is `<lib_name>.wasm`.
    pub lib_name: String,
    /// `[package.metadata.dseq] opt-level`, default `3`.
    pub opt_level: OptLevel,
    /// The hand-written interface: `[package.metadata.dseq] interface` (relative to the root),
    /// else `contracts/interfaces/I<PascalName>.sol`.
    pub interface: PathBuf,
    /// The Stylus programs the crate builds, in index order (`[package.metadata.dseq]
    /// programs`): program K is built with the cargo feature `program-K` and its artifact is
    /// named after the K-th entry. A crate that declares none builds one program, named after
    /// the package, with its default features.
    pub programs: Vec<String>,
    /// Other versions of the crate (`[package.metadata.dseq] variants = { v2 = ["v2"] }`): a
    /// name and the cargo features that select it. `dseq build --variant NAME` builds every
    /// program with them into `artifacts/NAME/`.
    pub variants: Vec<(String, Vec<String>)>,
}

impl Contract {
    /// Reads a contract crate's manifest. Returns `Ok(None)` when the crate is not a cdylib.
    pub fn from_manifest(root: &Path, dir: &Path, manifest: &str) -> Result<Option<Contract>> {
        let path = dir.join("Cargo.toml");
        let value: toml::Table = toml::from_str(manifest)
            .with_context(|| format!("{} is not valid TOML", path.display()))?;
        let is_cdylib = value
            .get("lib")
            .and_then(|lib| lib.get("crate-type"))
            .and_then(|types| types.as_array())
            .is_some_and(|types| types.iter().any(|t| t.as_str() == Some("cdylib")));
        if !is_cdylib {
            return Ok(None);
        }
        let Some(package) = value
            .get("package")
            .and_then(|p| p.get("name"))
            .and_then(|n| n.as_str())
        else {
            bail!("{} has no [package] name", path.display());
        };
        let lib_name = value
            .get("lib")
            .and_then(|lib| lib.get("name"))
            .and_then(|n| n.as_str())
            .map(str::to_owned)
            .unwrap_or_else(|| package.replace('-', "_"));
        let metadata = value
            .get("package")
            .and_then(|p| p.get("metadata"))
            .and_then(|m| m.get("dseq"));
        let opt_level = match metadata.and_then(|m| m.get("opt-level")) {
            None => OptLevel::O3,
            Some(v) => OptLevel::from_toml(v).with_context(|| {
                format!(
                    "{}: [package.metadata.dseq] opt-level = {v} is not supported; use \"3\", \"s\" or \"z\"",
                    path.display()
                )
            })?,
        };
        let interface = match metadata
            .and_then(|m| m.get("interface"))
            .and_then(|i| i.as_str())
        {
            Some(rel) => root.join(rel),
            None => root
                .join(INTERFACES_DIR)
                .join(format!("I{}.sol", pascal_case(package))),
        };
        let programs = match metadata.and_then(|m| m.get("programs")) {
            None => Vec::new(),
            Some(list) => {
                let names: Option<Vec<String>> = list
                    .as_array()
                    .map(|items| items.iter().map(|i| i.as_str().map(str::to_owned)).collect())
                    .unwrap_or(None);
                match names {
                    Some(names) if !names.is_empty() => names,
                    _ => bail!(
                        "{}: [package.metadata.dseq] programs must be a non-empty list of names, \
                         e.g. programs = [\"{package}\", \"{package}-module\"]",
                        path.display()
                    ),
                }
            }
        };
        let variants = match metadata.and_then(|m| m.get("variants")) {
            None => Vec::new(),
            Some(table) => {
                let parsed: Option<Vec<(String, Vec<String>)>> = table.as_table().and_then(|t| {
                    t.iter()
                        .map(|(name, features)| {
                            let features: Option<Vec<String>> =
                                features.as_array()?.iter().map(|f| f.as_str().map(str::to_owned)).collect();
                            let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                            valid.then_some(())?;
                            Some((name.clone(), features?))
                        })
                        .collect()
                });
                parsed.with_context(|| {
                    format!(
                        "{}: [package.metadata.dseq] variants must map names (letters, digits, - or _) to lists of cargo features, \
                         e.g. variants = {{ v2 = [\"v2\"] }}",
                        path.display()
                    )
                })?
            }
        };
        Ok(Some(Contract {
            package: package.to_owned(),
            dir: dir.to_path_buf(),
            lib_name,
            opt_level,
            interface,
            programs,
            variants,
        }))
    }

    /// The programs to build: `(name, Some(index))` for a crate that declares programs, else
    /// the package alone with its default features.
    pub fn program_list(&self) -> Vec<(String, Option<usize>)> {
        if self.programs.is_empty() {
            vec![(self.package.clone(), None)]
        } else {
            self.programs.iter().enumerate().map(|(i, name)| (name.clone(), Some(i))).collect()
        }
    }

    /// Where `cargo build --release --target wasm32-unknown-unknown` leaves this contract.
    pub fn wasm_path(&self, target_dir: &Path) -> PathBuf {
        target_dir
            .join(WASM_TARGET)
            .join("release")
            .join(format!("{}.wasm", self.lib_name))
    }
}

/// `locking-pool` -> `LockingPool`, `metis_votes` -> `MetisVotes`.
pub fn pascal_case(name: &str) -> String {
    name.split(['-', '_'])
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// Every contract crate under `<root>/contracts/`: directories holding a `Cargo.toml` whose
/// `[lib] crate-type` contains `cdylib`, sorted by package name. `contracts/interfaces` (Solidity
/// files) and other non-crate directories are skipped.
pub fn discover_contracts(root: &Path) -> Result<Vec<Contract>> {
    let contracts_dir = root.join(CONTRACTS_DIR);
    let entries = match std::fs::read_dir(&contracts_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot list {}", contracts_dir.display()))
        }
    };
    let mut contracts = Vec::new();
    for entry in entries {
        let dir = entry?.path();
        let manifest_path = dir.join("Cargo.toml");
        if !manifest_path.is_file() {
            continue;
        }
        let manifest = std::fs::read_to_string(&manifest_path)
            .with_context(|| format!("cannot read {}", manifest_path.display()))?;
        if let Some(contract) = Contract::from_manifest(root, &dir, &manifest)? {
            contracts.push(contract);
        }
    }
    contracts.sort_by(|a, b| a.package.cmp(&b.package));
    Ok(contracts)
}

/// Keeps the contracts named in `names` (package or directory name); all of them when `names`
/// is empty. Unknown names are an error that lists the known ones.
pub fn select_contracts(all: Vec<Contract>, names: &[String]) -> Result<Vec<Contract>> {
    if names.is_empty() {
        return Ok(all);
    }
    for name in names {
        if !all.iter().any(|c| contract_matches(c, name)) {
            let known: Vec<&str> = all.iter().map(|c| c.package.as_str()).collect();
            bail!(
                "no contract named `{name}` under {CONTRACTS_DIR}/; known contracts: {}",
                if known.is_empty() {
                    "(none)".to_owned()
                } else {
                    known.join(", ")
                }
            );
        }
    }
    Ok(all
        .into_iter()
        .filter(|c| names.iter().any(|n| contract_matches(c, n)))
        .collect())
}

fn contract_matches(contract: &Contract, name: &str) -> bool {
    contract.package == name || contract.dir.file_name().is_some_and(|d| d == name)
}

/// A `cargo` command run from `root` with the shared target directory.
pub fn cargo(root: &Path) -> Command {
    let mut cmd = Command::new("cargo");
    cmd.current_dir(root)
        .env("CARGO_TARGET_DIR", target_dir(root));
    cmd
}

/// The last `max_lines` lines of a command's output, for error messages.
pub fn tail(output: &[u8], max_lines: usize) -> String {
    let text = String::from_utf8_lossy(output);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(max_lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_case_joins_words() {
        assert_eq!(pascal_case("locking-pool"), "LockingPool");
        assert_eq!(pascal_case("metis_votes"), "MetisVotes");
        assert_eq!(pascal_case("governor"), "Governor");
    }

    #[test]
    fn manifest_without_cdylib_is_not_a_contract() {
        let manifest = "[package]\nname = \"x\"\n[lib]\ncrate-type = [\"lib\"]\n";
        assert_eq!(
            Contract::from_manifest(Path::new("/r"), Path::new("/r/contracts/x"), manifest)
                .unwrap(),
            None
        );
    }

    #[test]
    fn manifest_metadata_is_read() {
        let manifest = r#"
            [package]
            name = "locking-pool"
            [lib]
            crate-type = ["lib", "cdylib"]
            [package.metadata.dseq]
            opt-level = "s"
        "#;
        let c = Contract::from_manifest(
            Path::new("/r"),
            Path::new("/r/contracts/locking-pool"),
            manifest,
        )
        .unwrap()
        .unwrap();
        assert_eq!(c.package, "locking-pool");
        assert_eq!(c.lib_name, "locking_pool");
        assert_eq!(c.opt_level, OptLevel::S);
        assert_eq!(
            c.interface,
            Path::new("/r/contracts/interfaces/ILockingPool.sol")
        );
        assert_eq!(
            c.wasm_path(Path::new("/t")),
            Path::new("/t/wasm32-unknown-unknown/release/locking_pool.wasm")
        );
    }

    #[test]
    fn bad_opt_level_is_explained() {
        let manifest = "[package]\nname = \"x\"\n[lib]\ncrate-type = [\"cdylib\"]\n[package.metadata.dseq]\nopt-level = \"2\"\n";
        let err = Contract::from_manifest(Path::new("/r"), Path::new("/r/contracts/x"), manifest)
            .unwrap_err();
        assert!(
            format!("{err:#}").contains("use \"3\", \"s\" or \"z\""),
            "{err:#}"
        );
    }

    #[test]
    fn variants_are_read_and_bad_ones_explained() {
        let manifest = |variants: &str| {
            format!("[package]\nname = \"x\"\n[lib]\ncrate-type = [\"cdylib\"]\n[package.metadata.dseq]\nvariants = {variants}\n")
        };
        let read = |variants: &str| Contract::from_manifest(Path::new("/r"), Path::new("/r/contracts/x"), &manifest(variants));
        let c = read(r#"{ v2 = ["v2"], next = ["v2", "extra"] }"#).unwrap().unwrap();
        assert_eq!(
            c.variants,
            vec![("next".to_owned(), vec!["v2".to_owned(), "extra".to_owned()]), ("v2".to_owned(), vec!["v2".to_owned()])]
        );
        for bad in [r#"["v2"]"#, r#"{ v2 = "v2" }"#, r#"{ "a/b" = ["v2"] }"#, r#"{ v2 = [2] }"#] {
            let err = format!("{:#}", read(bad).unwrap_err());
            assert!(err.contains("variants must map names (letters, digits, - or _) to lists of cargo features"), "{bad}: {err}");
        }
        assert!(read("{}").unwrap().unwrap().variants.is_empty());
    }

    #[test]
    fn default_opt_level_is_3() {
        let manifest = "[package]\nname = \"x\"\n[lib]\ncrate-type = [\"cdylib\"]\n";
        let c = Contract::from_manifest(Path::new("/r"), Path::new("/r/contracts/x"), manifest)
            .unwrap()
            .unwrap();
        assert_eq!(c.opt_level, OptLevel::O3);
    }
}
