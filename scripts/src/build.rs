//! `dseq build`: compile every contract alone for wasm32, process and compress it the way
//! cargo-stylus does, write `artifacts/`, and measure it against the Stylus size limit.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use crate::project::{self, Contract, OptLevel, WASM_TARGET};
use crate::wasm::{self, Processed, MAX_CODE_SIZE};
use crate::wasm_opt;

/// Where `dseq build` writes `<pkg>.wasm` and `<pkg>.code` (relative to the root).
pub const ARTIFACTS_DIR: &str = "artifacts";

/// The most a program may weigh: 90% of the Stylus limit, so that fixes and features still fit.
pub const BUDGET_BYTES: usize = MAX_CODE_SIZE * 9 / 10;

/// One line of the size table (and one element of the `--json` array).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SizeRow {
    /// The program (a contract's crate builds one or more).
    pub contract: String,
    pub opt_level: String,
    /// Size of the processed wasm (after the wat round-trip and stripping).
    pub wasm_bytes: usize,
    /// Size of the deployable code (prefix + brotli), the number the limit applies to.
    pub compressed_bytes: usize,
    pub limit_bytes: usize,
    /// 90% of the limit: what `dseq build` allows.
    pub budget_bytes: usize,
    /// `budget_bytes - compressed_bytes` (negative when over budget).
    pub headroom_bytes: i64,
    /// Within the limit.
    pub fits: bool,
    /// Within the budget.
    pub within_budget: bool,
}

impl SizeRow {
    pub fn new(contract: &str, opt_level: OptLevel, processed: &Processed) -> SizeRow {
        SizeRow::from_sizes(
            contract,
            opt_level,
            processed.wasm.len(),
            processed.compressed_len(),
        )
    }

    pub fn from_sizes(
        contract: &str,
        opt_level: OptLevel,
        wasm_bytes: usize,
        compressed_bytes: usize,
    ) -> SizeRow {
        SizeRow {
            contract: contract.to_owned(),
            opt_level: opt_level.to_string(),
            wasm_bytes,
            compressed_bytes,
            limit_bytes: MAX_CODE_SIZE,
            budget_bytes: BUDGET_BYTES,
            headroom_bytes: BUDGET_BYTES as i64 - compressed_bytes as i64,
            fits: wasm::over_limit(compressed_bytes).is_none(),
            within_budget: compressed_bytes <= BUDGET_BYTES,
        }
    }

    /// Compressed size as a percentage of the limit.
    pub fn percent_of_limit(&self) -> f64 {
        self.compressed_bytes as f64 * 100.0 / self.limit_bytes as f64
    }
}

/// The size table printed by `dseq build`.
pub fn size_table(rows: &[SizeRow]) -> String {
    let mut table = vec![[
        "program".to_owned(),
        "opt-level".to_owned(),
        "wasm bytes".to_owned(),
        "compressed".to_owned(),
        "% of limit".to_owned(),
        "headroom".to_owned(),
        "status".to_owned(),
    ]];
    for row in rows {
        table.push([
            row.contract.clone(),
            row.opt_level.clone(),
            row.wasm_bytes.to_string(),
            row.compressed_bytes.to_string(),
            format!("{:.1}%", row.percent_of_limit()),
            row.headroom_bytes.to_string(),
            match (row.fits, row.within_budget) {
                (_, true) => "OK",
                (true, false) => "OVER 90%",
                (false, _) => "OVER LIMIT",
            }
            .to_owned(),
        ]);
    }
    let mut out = render(&table, &[false, false, true, true, true, true, false]);
    let _ = writeln!(
        out,
        "limit: {MAX_CODE_SIZE} bytes compressed (EF F0 00 00 + brotli q11 of the processed wasm); \
         budget: {BUDGET_BYTES} bytes (90%); headroom = budget - compressed"
    );
    out
}

/// Compressed size of each contract at each opt-level; `*` marks the configured level.
pub fn comparison_table(rows: &[(SizeRow, bool)], levels: &[OptLevel]) -> String {
    let mut header = vec!["contract".to_owned()];
    header.extend(levels.iter().map(|l| format!("opt-level {l}")));
    let mut table = vec![header];
    let mut contracts: Vec<&str> = rows.iter().map(|(r, _)| r.contract.as_str()).collect();
    contracts.dedup();
    for contract in contracts {
        let mut line = vec![contract.to_owned()];
        for level in levels {
            let cell = rows
                .iter()
                .find(|(r, _)| r.contract == contract && r.opt_level == level.as_str())
                .map(|(r, chosen)| {
                    format!(
                        "{}{}{}",
                        r.compressed_bytes,
                        if r.fits { "" } else { " OVER" },
                        if *chosen { " *" } else { "  " }
                    )
                })
                .unwrap_or_else(|| "-".to_owned());
            line.push(cell);
        }
        table.push(line);
    }
    let mut align = vec![false];
    align.extend(levels.iter().map(|_| true));
    let mut out = render(&table, &align);
    out.push_str("compressed bytes; * = the level set in [package.metadata.dseq] opt-level (default \"3\")\n");
    out
}

fn render<R: AsRef<[String]>>(rows: &[R], right_align: &[bool]) -> String {
    let columns = rows.first().map_or(0, |r| r.as_ref().len());
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .map(|r| r.as_ref()[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .as_ref()
            .iter()
            .zip(&widths)
            .zip(right_align)
            .map(|((cell, &w), &right)| {
                if right {
                    format!("{cell:>w$}")
                } else {
                    format!("{cell:<w$}")
                }
            })
            .collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
        if i == 0 {
            let _ = writeln!(
                out,
                "{}",
                widths
                    .iter()
                    .map(|&w| "-".repeat(w))
                    .collect::<Vec<_>>()
                    .join("  ")
            );
        }
    }
    out
}

/// Fails with a message naming every program over the budget (90% of the limit) and by how
/// many bytes.
pub fn check_limits(rows: &[SizeRow]) -> Result<()> {
    let over: Vec<String> = rows
        .iter()
        .filter(|r| !r.within_budget)
        .map(|r| {
            let limit = match wasm::over_limit(r.compressed_bytes) {
                Some(by) => format!(", {by} bytes over the Stylus limit of {} bytes", r.limit_bytes),
                None => String::new(),
            };
            format!(
                "{} (opt-level {}) is {} bytes compressed, {} bytes over the budget of {} bytes (90% of the limit){limit}",
                r.contract, r.opt_level, r.compressed_bytes, -r.headroom_bytes, r.budget_bytes
            )
        })
        .collect();
    if over.is_empty() {
        return Ok(());
    }
    bail!(
        "{}\nmove functions to another program of the contract (an impl block with \
         #[dseq_program::public(program = K)] and an entry in [package.metadata.dseq] programs), \
         or shrink them; `dseq build --compare-opt-levels` compares opt-levels",
        over.join("\n")
    )
}

/// Options of [`build`].
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// Package (or directory) names to build; all contracts when empty.
    pub contracts: Vec<String>,
    /// Also build every contract at every [`OptLevel`] and report the compressed sizes.
    pub compare_opt_levels: bool,
    /// Print progress lines (`building x ...`) to stderr.
    pub verbose: bool,
    /// Also build each program with symbol names and report where its bytes go.
    pub breakdown: bool,
    /// Build this variant (`[package.metadata.dseq] variants`) of the contracts that declare
    /// it, into `artifacts/<variant>/`, instead of their current version.
    pub variant: Option<String>,
}

/// The result of [`build`].
#[derive(Clone, Debug, Default)]
pub struct BuildReport {
    /// One row per contract, at its configured opt-level.
    pub rows: Vec<SizeRow>,
    /// With `compare_opt_levels`: every (row, is-configured-level) measured.
    pub comparison: Vec<(SizeRow, bool)>,
    /// The artifacts written.
    pub artifacts: Vec<PathBuf>,
    /// With `breakdown`: one report per program (see [`crate::breakdown`]).
    pub breakdowns: Vec<String>,
}

/// Builds, processes and measures the contracts of the workspace at `root`, writing
/// `<root>/artifacts/<pkg>.{wasm,code}` (a variant's into `artifacts/<variant>/`). Does not fail
/// on size: see [`check_limits`].
pub fn build(root: &Path, options: &BuildOptions) -> Result<BuildReport> {
    let mut contracts =
        project::select_contracts(project::discover_contracts(root)?, &options.contracts)?;
    if let Some(variant) = &options.variant {
        contracts = select_variant(contracts, variant)?;
    }
    let mut report = BuildReport::default();
    if contracts.is_empty() {
        return Ok(report);
    }
    ensure_wasm_target(root)?;
    let target_dir = project::target_dir(root);
    let (artifacts, scratch) = match &options.variant {
        Some(variant) => (root.join(ARTIFACTS_DIR).join(variant), target_dir.join("dseq").join(variant)),
        None => (root.join(ARTIFACTS_DIR), target_dir.join("dseq")),
    };
    for dir in [&artifacts, &scratch] {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let inputs = source_inputs(root);
    for contract in &contracts {
        let features: &[String] = match &options.variant {
            Some(variant) => contract.variants.iter().find(|(v, _)| v == variant).map_or(&[], |(_, f)| f),
            None => &[],
        };
        let label = |program: &str| match &options.variant {
            Some(variant) => format!("{program}@{variant}"),
            None => program.to_owned(),
        };
        let levels: Vec<OptLevel> = if options.compare_opt_levels {
            // Build the configured level last so the target dir ends up with it.
            let mut levels: Vec<OptLevel> = OptLevel::ALL
                .into_iter()
                .filter(|&l| l != contract.opt_level)
                .collect();
            levels.push(contract.opt_level);
            levels
        } else {
            vec![contract.opt_level]
        };
        for (program, index) in contract.program_list() {
            for &level in &levels {
                if options.verbose {
                    eprintln!("building {} (opt-level {level}) ...", label(&program));
                }
                // One configured level: skip cargo when no input changed (see `source_key`).
                let source = (levels.len() == 1).then(|| source_key(&inputs, contract, index, features, level));
                let raw = match source.as_deref().and_then(|key| unchanged_raw(&scratch, &program, key)) {
                    Some(raw) => raw,
                    None => {
                        let raw = build_wasm(root, &target_dir, contract, index, features, level, false)?;
                        if let Some(key) = &source {
                            remember_source(&scratch, &program, key, &raw);
                        }
                        raw
                    }
                };
                let chosen = level == contract.opt_level;
                let processed = match cached(&artifacts, &scratch, &program, &raw).filter(|_| chosen) {
                    Some(processed) => processed,
                    None => {
                        let optimized = wasm_opt::optimize(root, &scratch, &program, &raw)?;
                        let processed = wasm::process(&optimized)
                            .with_context(|| format!("cannot process the wasm of {program}"))?;
                        if chosen {
                            remember(&scratch, &program, &raw);
                        }
                        processed
                    }
                };
                wasm::check_stylus_module(&processed.wasm)
                    .with_context(|| format!("{program} would not activate on Stylus"))?;
                let row = SizeRow::new(&label(&program), level, &processed);
                if options.compare_opt_levels {
                    report.comparison.push((row.clone(), chosen));
                }
                if chosen {
                    for (ext, bytes) in [("wasm", &processed.wasm), ("code", &processed.code)] {
                        let path = artifacts.join(format!("{program}.{ext}"));
                        std::fs::write(&path, bytes)
                            .with_context(|| format!("cannot write {}", path.display()))?;
                        report.artifacts.push(path);
                    }
                    report.rows.push(row);
                    if options.breakdown {
                        let named_dir = target_dir.join("dseq-names");
                        let named = build_wasm(root, &named_dir, contract, index, features, level, true)?;
                        let items = crate::breakdown::items(&named)
                            .with_context(|| format!("cannot read the named wasm of {program}"))?;
                        report.breakdowns.push(crate::breakdown::report(&program, &items, &contract.lib_name, 12));
                    }
                }
            }
        }
    }
    report.comparison.sort_by(|(a, _), (b, _)| {
        a.contract
            .cmp(&b.contract)
            .then(a.opt_level.cmp(&b.opt_level))
    });
    Ok(report)
}

/// What identifies the artifacts of `raw`: its bytes and every step applied after cargo
/// (the source of the processing code itself, which holds wasm-opt's flags; binaryen's version is
/// pinned by package-lock.json), so an unchanged build skips wasm-opt and brotli.
fn cache_key(raw: &[u8]) -> String {
    let mut input = raw.to_vec();
    for source in [include_str!("wasm.rs"), include_str!("wasm_opt.rs"), include_str!("build.rs")] {
        input.extend_from_slice(source.as_bytes());
    }
    alloy_primitives::keccak256(&input).to_string()
}

/// A hash of everything cargo's wasm builds read: every file under `contracts/` and `crates/`
/// (build outputs and dot directories aside), the workspace manifest, lock file, toolchain
/// file and cargo config, and the environment variables that reach rustc. Computed once per
/// `dseq build` (about 2 MB of sources).
fn source_inputs(root: &Path) -> String {
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if path.is_dir() {
                if !(name.starts_with('.') || name == "target" || name == "node_modules") {
                    walk(&path, files);
                }
            } else {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for dir in ["contracts", "crates"] {
        walk(&root.join(dir), &mut files);
    }
    files.extend(["Cargo.toml", "Cargo.lock", "rust-toolchain.toml", ".cargo/config.toml"].iter().map(|f| root.join(f)));
    files.sort();
    let mut input = Vec::new();
    for file in &files {
        input.extend_from_slice(file.strip_prefix(root).unwrap_or(file).to_string_lossy().as_bytes());
        input.push(0);
        input.extend_from_slice(&std::fs::read(file).unwrap_or_default());
        input.push(0);
    }
    for var in [
        "RUSTUP_TOOLCHAIN",
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
        "CARGO_PROFILE_RELEASE_LTO",
        "CARGO_PROFILE_RELEASE_CODEGEN_UNITS",
        "CARGO_PROFILE_RELEASE_PANIC",
        "CARGO_PROFILE_RELEASE_DEBUG",
        "CARGO_PROFILE_RELEASE_STRIP",
    ] {
        input.extend_from_slice(format!("{var}={:?}\0", std::env::var_os(var)).as_bytes());
    }
    alloy_primitives::keccak256(&input).to_string()
}

/// The source key of one program's build: the inputs, the program and its features and level.
/// When it matches the last build's, cargo is not run. A crate with several programs builds
/// each with other features, and cargo then relinks every program on every run (seconds
/// each, with LTO) even when nothing changed, because a cdylib's output path does not depend
/// on its features.
fn source_key(inputs: &str, contract: &Contract, program: Option<usize>, features: &[String], level: OptLevel) -> String {
    let text = format!("{inputs}|{}|{program:?}|{}|{level}", contract.package, features.join(","));
    alloy_primitives::keccak256(text.as_bytes()).to_string()
}

/// The raw wasm the last build of `program` produced, if its source key was `key`.
fn unchanged_raw(scratch: &Path, program: &str, key: &str) -> Option<Vec<u8>> {
    let stored = std::fs::read_to_string(scratch.join(format!("{program}.source-key"))).ok()?;
    (stored.trim() == key).then(|| std::fs::read(scratch.join(format!("{program}.raw.wasm"))).ok()).flatten()
}

fn remember_source(scratch: &Path, program: &str, key: &str, raw: &[u8]) {
    // The old key goes first, the new key last: a key on disk always describes the wasm beside it.
    let _ = std::fs::remove_file(scratch.join(format!("{program}.source-key")));
    if std::fs::write(scratch.join(format!("{program}.raw.wasm")), raw).is_ok() {
        let _ = std::fs::write(scratch.join(format!("{program}.source-key")), key);
    }
}

/// The artifacts of `program` if they were made from exactly `raw` (see [`remember`]).
fn cached(artifacts: &Path, scratch: &Path, program: &str, raw: &[u8]) -> Option<Processed> {
    let key = std::fs::read_to_string(scratch.join(format!("{program}.artifact-key"))).ok()?;
    if key.trim() != cache_key(raw) {
        return None;
    }
    let wasm = std::fs::read(artifacts.join(format!("{program}.wasm"))).ok()?;
    let code = std::fs::read(artifacts.join(format!("{program}.code"))).ok()?;
    // The code must still be what the wasm compresses to (nobody edited the artifacts).
    (code.starts_with(&wasm::STYLUS_CODE_PREFIX) && wasm::decompress(&code[4..]).ok()? == wasm).then_some(Processed { wasm, code })
}

/// Records that the artifacts about to be written come from `raw`.
fn remember(scratch: &Path, program: &str, raw: &[u8]) {
    let _ = std::fs::write(scratch.join(format!("{program}.artifact-key")), cache_key(raw));
}

/// Keeps the contracts that declare `variant`; none is an error that lists the variants known.
pub fn select_variant(contracts: Vec<Contract>, variant: &str) -> Result<Vec<Contract>> {
    let known: Vec<String> = contracts
        .iter()
        .flat_map(|c| c.variants.iter().map(move |(v, _)| format!("{v} ({})", c.package)))
        .collect();
    let chosen: Vec<Contract> = contracts.into_iter().filter(|c| c.variants.iter().any(|(v, _)| v == variant)).collect();
    if chosen.is_empty() {
        bail!(
            "no contract declares the variant {variant:?} in [package.metadata.dseq] variants; known: {}",
            if known.is_empty() { "none".to_owned() } else { known.join(", ") }
        );
    }
    Ok(chosen)
}

/// `cargo build --lib --locked --release --target wasm32-unknown-unknown -p <pkg>` with the
/// given opt-level (and for program K, `--no-default-features --features mini-alloc,program-K`),
/// plus a variant's `features`; returns the wasm bytes. Each contract is built alone: building several together unifies
/// their features and can strip the entrypoints.
pub fn build_wasm(
    root: &Path,
    target_dir: &Path,
    contract: &Contract,
    program: Option<usize>,
    features: &[String],
    level: OptLevel,
    keep_names: bool,
) -> Result<Vec<u8>> {
    let mut command = project::cargo(root);
    command
        .args([
            "build",
            "--lib",
            "--locked",
            "--release",
            "--target",
            WASM_TARGET,
            "-p",
        ])
        .arg(&contract.package);
    let mut selected: Vec<String> = features.to_vec();
    if let Some(index) = program {
        command.arg("--no-default-features");
        selected.splice(0..0, ["mini-alloc".to_owned(), format!("program-{index}")]);
    }
    if !selected.is_empty() {
        command.arg("--features").arg(selected.join(","));
    }
    if keep_names {
        command.env("CARGO_PROFILE_RELEASE_STRIP", "false");
    }
    let output = command
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", level.as_str())
        .stdin(Stdio::null())
        .output()
        .context("cannot run cargo; is the Rust toolchain installed (https://rustup.rs)?")?;
    if !output.status.success() {
        bail!(
            "cargo build failed for {pkg} (opt-level {level}):\n{}\n\nrun `cargo build -p {pkg} --lib --locked --release --target {WASM_TARGET}` to see why",
            project::tail(&output.stderr, 40),
            pkg = contract.package,
        );
    }
    let path = contract.wasm_path(target_dir);
    std::fs::read(&path).with_context(|| {
        format!(
            "cargo built {} but {} is missing; does the crate have `crate-type = [\"lib\", \"cdylib\"]`?",
            contract.package,
            path.display()
        )
    })
}

/// Installs the wasm32 target with rustup when the toolchain of `root` lacks it. Without rustup
/// this does nothing and cargo reports the missing target itself.
pub fn ensure_wasm_target(root: &Path) -> Result<()> {
    devnode::bench::ensure_wasm_target(root).map_err(|e| anyhow::anyhow!(e))
}

/// The `--json` output: the rows as a JSON array.
pub fn rows_json(rows: &[SizeRow]) -> String {
    serde_json::to_string_pretty(rows).expect("rows serialize") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifacts_are_reused_only_for_the_same_cargo_output_and_intact_files() {
        let dir = std::env::temp_dir().join(format!("dseq-build-cache-{}", std::process::id()));
        let (artifacts, scratch) = (dir.join("artifacts"), dir.join("scratch"));
        std::fs::create_dir_all(&artifacts).unwrap();
        std::fs::create_dir_all(&scratch).unwrap();
        let raw = b"\0asm\x01\0\0\0 raw cargo output".to_vec();
        let wasm = b"\0asm\x01\0\0\0".to_vec();
        let code = wasm::deployable_code(&wasm).unwrap();
        std::fs::write(artifacts.join("p.wasm"), &wasm).unwrap();
        std::fs::write(artifacts.join("p.code"), &code).unwrap();
        assert!(cached(&artifacts, &scratch, "p", &raw).is_none(), "nothing remembered yet");
        remember(&scratch, "p", &raw);
        let hit = cached(&artifacts, &scratch, "p", &raw).expect("same cargo output");
        assert_eq!((hit.wasm, hit.code), (wasm.clone(), code.clone()));
        assert!(cached(&artifacts, &scratch, "p", b"other output").is_none());
        std::fs::write(artifacts.join("p.code"), wasm::deployable_code(b"edited").unwrap()).unwrap();
        assert!(cached(&artifacts, &scratch, "p", &raw).is_none(), "edited artifacts are rebuilt");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn cargo_is_skipped_only_when_no_input_changed() {
        let dir = std::env::temp_dir().join(format!("dseq-build-source-{}", std::process::id()));
        let (root, scratch) = (dir.join("repo"), dir.join("scratch"));
        for d in ["contracts/c/src", "crates/k/src", "crates/k/target", "scripts"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        std::fs::create_dir_all(&scratch).unwrap();
        std::fs::write(root.join("contracts/c/src/lib.rs"), "fn a() {}").unwrap();
        std::fs::write(root.join("Cargo.lock"), "v1").unwrap();
        let before = source_inputs(&root);
        // Build outputs and files outside the contracts' inputs do not count.
        std::fs::write(root.join("crates/k/target/out.wasm"), "built").unwrap();
        std::fs::write(root.join("scripts/demo.rs"), "story").unwrap();
        assert_eq!(source_inputs(&root), before);
        // A source file, a new file or the lock file do.
        for (file, text) in [("contracts/c/src/lib.rs", "fn b() {}"), ("crates/k/src/new.rs", ""), ("Cargo.lock", "v2")] {
            let seen = source_inputs(&root);
            std::fs::write(root.join(file), text).unwrap();
            assert_ne!(source_inputs(&root), seen, "{file}");
        }
        let contract = Contract {
            package: "c".into(),
            dir: root.join("contracts/c"),
            lib_name: "c".into(),
            opt_level: OptLevel::O3,
            interface: root.join("contracts/interfaces/IC.sol"),
            programs: vec!["c".into(), "c-module".into()],
            variants: Vec::new(),
        };
        let key = source_key(&source_inputs(&root), &contract, Some(1), &[], OptLevel::O3);
        assert_ne!(key, source_key(&source_inputs(&root), &contract, Some(0), &[], OptLevel::O3), "another program");
        assert_ne!(key, source_key(&source_inputs(&root), &contract, Some(1), &["v2".into()], OptLevel::O3), "a variant");
        assert!(unchanged_raw(&scratch, "p", &key).is_none(), "nothing built yet");
        remember_source(&scratch, "p", &key, b"raw");
        assert_eq!(unchanged_raw(&scratch, "p", &key).as_deref(), Some(&b"raw"[..]));
        assert!(unchanged_raw(&scratch, "p", "another key").is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn rows_flag_contracts_over_the_limit() {
        let at = SizeRow::from_sizes("a", OptLevel::O3, 50_000, 22_118);
        let above = SizeRow::from_sizes("b", OptLevel::S, 50_000, 22_119);
        let over = SizeRow::from_sizes("c", OptLevel::S, 50_000, 24_577);
        assert!(at.fits && at.within_budget && at.headroom_bytes == 0);
        assert!(above.fits && !above.within_budget && above.headroom_bytes == -1);
        assert!(!over.fits && !over.within_budget);
        check_limits(std::slice::from_ref(&at)).unwrap();
        let err = check_limits(&[at, above, over]).unwrap_err().to_string();
        assert!(
            err.contains("b (opt-level s) is 22119 bytes compressed, 1 bytes over the budget of 22118 bytes (90% of the limit)\n"),
            "{err}"
        );
        assert!(
            err.contains("c (opt-level s) is 24577 bytes compressed, 2459 bytes over the budget of 22118 bytes (90% of the limit), 1 bytes over the Stylus limit of 24576 bytes"),
            "{err}"
        );
        assert!(!err.contains("a (opt-level"), "{err}");
    }

    #[test]
    fn table_shows_status_and_percentage() {
        let rows = [
            SizeRow::from_sizes("locking-pool", OptLevel::O3, 40_000, 12_288),
            SizeRow::from_sizes("timelock", OptLevel::O3, 60_000, 23_000),
            SizeRow::from_sizes("governor", OptLevel::S, 90_000, 30_000),
        ];
        let table = size_table(&rows);
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].starts_with("program") && lines[0].contains("headroom"));
        assert!(
            lines[2].contains("locking-pool")
                && lines[2].contains("50.0%")
                && lines[2].contains(" 9830 ")
                && lines[2].ends_with("OK"),
            "{table}"
        );
        assert!(lines[3].contains("timelock") && lines[3].contains(" -882 ") && lines[3].ends_with("OVER 90%"), "{table}");
        assert!(
            lines[4].contains("governor")
                && lines[4].contains("122.1%")
                && lines[4].ends_with("OVER LIMIT"),
            "{table}"
        );
    }

    #[test]
    fn json_has_the_documented_fields() {
        let rows = [SizeRow::from_sizes("x", OptLevel::Z, 10, 20)];
        let value: serde_json::Value = serde_json::from_str(&rows_json(&rows)).unwrap();
        assert_eq!(
            value,
            serde_json::json!([{
                "contract": "x", "opt_level": "z", "wasm_bytes": 10, "compressed_bytes": 20,
                "limit_bytes": 24576, "budget_bytes": 22118, "headroom_bytes": 22098,
                "fits": true, "within_budget": true
            }])
        );
    }

    #[test]
    fn comparison_marks_the_chosen_level() {
        let rows = vec![
            (SizeRow::from_sizes("x", OptLevel::O3, 1, 100), true),
            (SizeRow::from_sizes("x", OptLevel::S, 1, 120), false),
        ];
        let table = comparison_table(&rows, &OptLevel::ALL);
        let line = table.lines().nth(2).unwrap();
        assert!(
            line.contains("100 *") && line.contains("120") && line.ends_with('-'),
            "{table}"
        );
    }
}
