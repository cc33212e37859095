//! binaryen's `wasm-opt -Oz`, run on every contract before it is processed and compressed.
//!
//! It saves about 3% of the compressed size, which the locking pool needs to fit the Stylus
//! limit. binaryen comes from the npm dev dependencies (version pinned in `package-lock.json`,
//! run under node), so every machine optimizes identically; cargo-stylus offers the same step
//! through `[wasm-opt]` in Stylus.toml.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::project;

/// The flags: optimize for size, keeping exactly the features rustc's output uses.
pub const FLAGS: [&str; 4] = ["-Oz", "--enable-bulk-memory", "--enable-sign-ext", "--enable-mutable-globals"];

/// `wasm-opt -Oz` of `wasm`, through files in `scratch` (named after `name`).
pub fn optimize(root: &Path, scratch: &Path, name: &str, wasm: &[u8]) -> Result<Vec<u8>> {
    let binary = devnode::bench::ensure_npm_tool(root, "wasm-opt").map_err(|e| anyhow::anyhow!(e))?;
    std::fs::create_dir_all(scratch).with_context(|| format!("cannot create {}", scratch.display()))?;
    let input = scratch.join(format!("{name}.raw.wasm"));
    let output = scratch.join(format!("{name}.opt.wasm"));
    std::fs::write(&input, wasm).with_context(|| format!("cannot write {}", input.display()))?;
    let result = Command::new(&binary)
        .args(FLAGS)
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot run {}", binary.display()))?;
    if !result.status.success() {
        bail!("wasm-opt failed on {name}:\n{}", project::tail(&result.stderr, 20));
    }
    std::fs::read(&output).with_context(|| format!("cannot read {}", output.display()))
}
