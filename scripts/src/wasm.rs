//! From a compiled contract to deployable Stylus code, following cargo-stylus 0.10.10
//! (`stylus-tools` `process_wasm` and `core/code`):
//!
//! 1. [`remove_dangling_references`]: print the module as wat text and parse it back. The
//!    precompiled `std` for wasm32 encodes some instructions with reference-types encodings
//!    that Stylus activation rejects; the round-trip re-encodes them in MVP form.
//! 2. [`strip_custom_sections`]: drop every custom section (`name`, `producers`,
//!    `target_features`, ...). They cost bytes and the chain ignores them.
//! 3. cargo-stylus then adds a `project_hash` custom section (a hash of the sources, used for
//!    reproducible-build verification). We skip it: it is 32 bytes plus a header, so our
//!    compressed sizes are a few dozen bytes smaller than `cargo stylus check` reports.
//! 4. [`compress`]: brotli, quality 11, window 22.
//! 5. [`deployable_code`]: `EF F0 00 00` (Stylus code, no dictionary) ++ the brotli bytes. Its
//!    length is the size the 24 KiB limit applies to.
//!
//! cargo-stylus compresses with the C libbrotli (`brotli2`); we use the pure-Rust `brotli`
//! crate with the same settings. The bytes differ slightly (a few dozen bytes per 10 KiB),
//! both decompress to the same wasm.

use std::io::{Read, Write};

use anyhow::{bail, Context, Result};
use wasmparser::{Parser, Payload, Validator, WasmFeatures};

/// Prefix of deployed Stylus code: EOF-style magic `EF F0`, version 0, dictionary 0 (none).
pub const STYLUS_CODE_PREFIX: [u8; 4] = [0xEF, 0xF0, 0x00, 0x00];
/// Maximum size of deployed Stylus code, prefix included (cargo-stylus `DEFAULT_MAX_CODE_SIZE`).
pub const MAX_CODE_SIZE: usize = 24_576;
/// brotli quality used by cargo-stylus.
pub const BROTLI_QUALITY: u32 = 11;
/// brotli window (log2 of bytes) used by cargo-stylus (libbrotli's default).
pub const BROTLI_WINDOW: u32 = 22;

/// A contract ready to deploy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Processed {
    /// The processed wasm module (what the chain decompresses and activates).
    pub wasm: Vec<u8>,
    /// The deployable code: [`STYLUS_CODE_PREFIX`] ++ brotli(`wasm`).
    pub code: Vec<u8>,
}

impl Processed {
    /// The compressed size the Stylus limit applies to.
    pub fn compressed_len(&self) -> usize {
        self.code.len()
    }
}

/// Runs every step above on the output of `cargo build --target wasm32-unknown-unknown`.
pub fn process(raw_wasm: &[u8]) -> Result<Processed> {
    let wasm = strip_custom_sections(&remove_dangling_references(raw_wasm)?)?;
    let code = deployable_code(&wasm)?;
    Ok(Processed { wasm, code })
}

/// Round-trips the module through the wat text format (wasmprinter, then wat).
pub fn remove_dangling_references(wasm: &[u8]) -> Result<Vec<u8>> {
    let text = wasmprinter::print_bytes(wasm).context("cannot print the wasm module as text")?;
    wat::parse_str(&text).context("cannot re-assemble the printed wasm module")
}

/// Copies the module without its custom sections (section id 0).
pub fn strip_custom_sections(wasm: &[u8]) -> Result<Vec<u8>> {
    const HEADER: [u8; 8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];
    if wasm.len() < HEADER.len() || wasm[..HEADER.len()] != HEADER {
        bail!("not a wasm module (bad magic or version; components are not supported)");
    }
    let mut out = Vec::with_capacity(wasm.len());
    out.extend_from_slice(&HEADER);
    let mut pos = HEADER.len();
    while pos < wasm.len() {
        let start = pos;
        let id = wasm[pos];
        pos += 1;
        let (size, leb_len) = read_leb_u32(&wasm[pos..])
            .with_context(|| format!("malformed section header at byte {start}"))?;
        pos += leb_len;
        let end = pos
            .checked_add(size as usize)
            .filter(|&end| end <= wasm.len())
            .with_context(|| format!("section at byte {start} runs past the end of the module"))?;
        if id != 0 {
            out.extend_from_slice(&wasm[start..end]);
        }
        pos = end;
    }
    Ok(out)
}

fn read_leb_u32(bytes: &[u8]) -> Option<(u32, usize)> {
    let mut value: u32 = 0;
    for (i, &byte) in bytes.iter().enumerate().take(5) {
        value |= u32::from(byte & 0x7F).checked_shl(7 * i as u32)?;
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

/// brotli at quality [`BROTLI_QUALITY`], window [`BROTLI_WINDOW`].
pub fn compress(data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer =
            brotli::CompressorWriter::new(&mut out, 4096, BROTLI_QUALITY, BROTLI_WINDOW);
        writer
            .write_all(data)
            .context("brotli compression failed")?;
        writer.flush().context("brotli compression failed")?;
    }
    Ok(out)
}

/// Inverse of [`compress`].
pub fn decompress(data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    brotli::Decompressor::new(data, 4096)
        .read_to_end(&mut out)
        .context("brotli decompression failed")?;
    Ok(out)
}

/// [`STYLUS_CODE_PREFIX`] ++ brotli(`wasm`).
pub fn deployable_code(wasm: &[u8]) -> Result<Vec<u8>> {
    let mut code = STYLUS_CODE_PREFIX.to_vec();
    code.extend(compress(wasm)?);
    Ok(code)
}

/// The wasm features Stylus activation accepts (Nitro's `prover/src/binary.rs`): wasm 2.0
/// without reference types and SIMD.
pub fn stylus_features() -> WasmFeatures {
    (WasmFeatures::WASM2 | WasmFeatures::FLOATS)
        .difference(WasmFeatures::REFERENCE_TYPES | WasmFeatures::SIMD)
}

/// Offline approximation of Stylus activation checks: the module validates with
/// [`stylus_features`], has no start function, exports `memory` and `user_entrypoint`.
///
/// A missing `user_entrypoint` usually means the contract was built together with other crates
/// (cargo feature unification) or lacks `#[entrypoint]`.
pub fn check_stylus_module(wasm: &[u8]) -> Result<()> {
    Validator::new_with_features(stylus_features())
        .validate_all(wasm)
        .context(
            "the processed wasm is not valid for Stylus (wasm 2.0 without reference types/SIMD)",
        )?;
    let mut exports = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload? {
            Payload::StartSection { .. } => {
                bail!("the module has a start function; Stylus forbids it")
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    exports.push(export?.name.to_owned());
                }
            }
            _ => {}
        }
    }
    for required in ["user_entrypoint", "memory"] {
        if !exports.iter().any(|e| e == required) {
            bail!(
                "the module does not export `{required}`; is `#[entrypoint]` on the storage struct, \
                 and was the contract built alone (never with --workspace)?"
            );
        }
    }
    Ok(())
}

/// `Some(bytes over)` when `compressed_len` exceeds [`MAX_CODE_SIZE`].
pub fn over_limit(compressed_len: usize) -> Option<usize> {
    compressed_len
        .checked_sub(MAX_CODE_SIZE)
        .filter(|&over| over > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODULE: &str = r#"
        (module
          (memory (export "memory") 1)
          (func $entry (export "user_entrypoint") (param $len i32) (result i32)
            local.get $len)
          (@custom "producers" "rustc 1.95.0")
          (@custom "target_features" "+bulk-memory"))
    "#;

    fn has_custom_section(wasm: &[u8], name: &str) -> bool {
        Parser::new(0)
            .parse_all(wasm)
            .any(|p| matches!(p, Ok(Payload::CustomSection(reader)) if reader.name() == name))
    }

    #[test]
    fn custom_sections_are_stripped() {
        let raw = wat::parse_str(MODULE).unwrap();
        assert!(has_custom_section(&raw, "producers"));
        assert!(has_custom_section(&raw, "name"));
        let processed = process(&raw).unwrap();
        for name in ["producers", "target_features", "name"] {
            assert!(
                !has_custom_section(&processed.wasm, name),
                "{name} survived"
            );
        }
        assert!(processed.wasm.len() < raw.len());
        check_stylus_module(&processed.wasm).unwrap();
    }

    #[test]
    fn code_is_prefixed_brotli_of_the_processed_wasm() {
        let processed = process(&wat::parse_str(MODULE).unwrap()).unwrap();
        assert_eq!(processed.code[..4], [0xEF, 0xF0, 0x00, 0x00]);
        assert_eq!(decompress(&processed.code[4..]).unwrap(), processed.wasm);
        assert_eq!(processed.compressed_len(), processed.code.len());
    }

    #[test]
    fn processing_is_idempotent() {
        let once = process(&wat::parse_str(MODULE).unwrap()).unwrap();
        let twice = process(&once.wasm).unwrap();
        assert_eq!(once.wasm, twice.wasm);
    }

    #[test]
    fn limit_is_24_kib_inclusive() {
        assert_eq!(over_limit(0), None);
        assert_eq!(over_limit(24_575), None);
        assert_eq!(over_limit(24_576), None);
        assert_eq!(over_limit(24_577), Some(1));
        assert_eq!(over_limit(30_000), Some(5_424));
    }

    #[test]
    fn missing_entrypoint_is_reported() {
        let wasm = wat::parse_str(r#"(module (memory (export "memory") 1))"#).unwrap();
        let err = check_stylus_module(&wasm).unwrap_err();
        assert!(err.to_string().contains("user_entrypoint"), "{err}");
    }

    #[test]
    fn reference_types_are_rejected() {
        let wasm = wat::parse_str(
            r#"(module (memory (export "memory") 1)
                 (func (export "user_entrypoint") (param i32) (result i32)
                   ref.null extern drop local.get 0))"#,
        )
        .unwrap();
        assert!(check_stylus_module(&wasm).is_err());
    }

    #[test]
    fn truncated_module_is_an_error() {
        let mut wasm = wat::parse_str(MODULE).unwrap();
        wasm.truncate(wasm.len() - 3);
        assert!(strip_custom_sections(&wasm).is_err());
        assert!(strip_custom_sections(b"not wasm").is_err());
    }
}
