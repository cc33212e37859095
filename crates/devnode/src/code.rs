//! The Stylus deployed-code format and cargo-stylus's init code.
//!
//! Deployed code of a Stylus program is `EF F0 00 <dict>` followed by the brotli-compressed wasm.
//! `<dict>` selects a brotli dictionary: `00` is "none", the only one this node supports (`01`,
//! nitro's built-in "StylusProgram" dictionary, is rejected with [`CodeError::UnsupportedDictionary`]).
//! Fragmented programs (`EF F0 01` fragments + an `EF F0 02` root) are not supported either.

use std::io::Read;

/// Discriminant that marks an account's code as a Stylus program.
pub const STYLUS_DISCRIMINANT: [u8; 3] = [0xEF, 0xF0, 0x00];
/// Prefix of a program compressed without dictionary, as cargo-stylus writes it.
pub const STYLUS_PREFIX_NO_DICT: [u8; 4] = [0xEF, 0xF0, 0x00, 0x00];
/// Largest decompressed wasm accepted (nitro's `MaxWasmSize` default is 128 KiB).
pub const MAX_WASM_SIZE: usize = 128 * 1024;

/// Why deployed code could not be turned into wasm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeError {
    /// The code does not start with `EF F0 00`.
    NotStylus,
    /// The code is just the 3-byte discriminant, without dictionary byte.
    Truncated,
    /// A dictionary other than `00` (none) was requested.
    UnsupportedDictionary(u8),
    /// The brotli stream is corrupt.
    Brotli(String),
    /// The decompressed wasm is larger than [`MAX_WASM_SIZE`].
    TooLarge,
}

impl std::fmt::Display for CodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CodeError::NotStylus => write!(f, "code is not a Stylus program (no EF F0 00 prefix)"),
            CodeError::Truncated => write!(f, "Stylus code is truncated (missing dictionary byte)"),
            CodeError::UnsupportedDictionary(d) => write!(
                f,
                "Stylus code uses brotli dictionary {d:#04x}; only 0x00 (no dictionary) is supported"
            ),
            CodeError::Brotli(e) => write!(f, "Stylus code is not valid brotli: {e}"),
            CodeError::TooLarge => {
                write!(f, "decompressed wasm exceeds the {MAX_WASM_SIZE}-byte limit")
            }
        }
    }
}

impl std::error::Error for CodeError {}

/// True when `code` carries the Stylus discriminant `EF F0 00`.
pub fn is_stylus(code: &[u8]) -> bool {
    code.len() >= 3 && code[..3] == STYLUS_DISCRIMINANT
}

/// Decodes deployed code into the wasm module bytes.
pub fn decode_program(code: &[u8]) -> Result<Vec<u8>, CodeError> {
    if !is_stylus(code) {
        return Err(CodeError::NotStylus);
    }
    let Some(&dict) = code.get(3) else {
        return Err(CodeError::Truncated);
    };
    if dict != 0 {
        return Err(CodeError::UnsupportedDictionary(dict));
    }
    let mut out = Vec::new();
    let reader = brotli::Decompressor::new(&code[4..], 4096);
    reader
        .take(MAX_WASM_SIZE as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| CodeError::Brotli(e.to_string()))?;
    if out.len() > MAX_WASM_SIZE {
        return Err(CodeError::TooLarge);
    }
    Ok(out)
}

/// Compresses `wasm` (brotli quality 11, window 22, as cargo-stylus) and adds `EF F0 00 00`.
///
/// The bytes differ from cargo-stylus's (which uses the C libbrotli) but decompress to the same
/// wasm; nothing on chain depends on the compressed bytes except the code hash.
pub fn encode_program(wasm: &[u8]) -> Vec<u8> {
    let mut out = STYLUS_PREFIX_NO_DICT.to_vec();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        std::io::Write::write_all(&mut writer, wasm).expect("writing to a Vec cannot fail");
    }
    out
}

/// Init code that deploys `runtime` unchanged: cargo-stylus 0.10.10's prelude
/// `PUSH32 len DUP1 PUSH1 43 PUSH1 0 CODECOPY PUSH1 0 RETURN`, a version byte `00`, then the code.
pub fn deploy_init_code(runtime: &[u8]) -> Vec<u8> {
    let mut init = Vec::with_capacity(runtime.len() + 43);
    init.push(0x7f); // PUSH32
    let mut len = [0u8; 32];
    len[24..].copy_from_slice(&(runtime.len() as u64).to_be_bytes());
    init.extend_from_slice(&len);
    init.extend_from_slice(&[0x80, 0x60, 0x2b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]);
    debug_assert_eq!(init.len(), 43);
    init.extend_from_slice(runtime);
    init
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_and_prefix() {
        let wasm = b"\0asm\x01\0\0\0 some payload some payload some payload".to_vec();
        let code = encode_program(&wasm);
        assert_eq!(&code[..4], &[0xEF, 0xF0, 0x00, 0x00]);
        assert!(is_stylus(&code));
        assert_eq!(decode_program(&code).unwrap(), wasm);
    }

    #[test]
    fn rejects_dictionaries_and_garbage() {
        let mut code = encode_program(b"\0asm\x01\0\0\0");
        code[3] = 1;
        assert_eq!(
            decode_program(&code),
            Err(CodeError::UnsupportedDictionary(1))
        );
        assert_eq!(
            decode_program(&[0xEF, 0xF0, 0x00]),
            Err(CodeError::Truncated)
        );
        assert_eq!(decode_program(&[0x60, 0x00]), Err(CodeError::NotStylus));
        assert!(matches!(
            decode_program(&[0xEF, 0xF0, 0x00, 0x00, 0xff, 0xff, 0xff]),
            Err(CodeError::Brotli(_))
        ));
    }

    #[test]
    fn rejects_decompression_bombs() {
        let code = encode_program(&vec![0u8; MAX_WASM_SIZE + 1]);
        assert!(code.len() < 1000);
        assert_eq!(decode_program(&code), Err(CodeError::TooLarge));
    }

    #[test]
    fn init_code_layout_matches_cargo_stylus() {
        let init = deploy_init_code(&[0xEF, 0xF0, 0x00, 0x00, 0xAA]);
        assert_eq!(init[0], 0x7f);
        assert_eq!(init[32], 5);
        assert_eq!(
            &init[33..43],
            &[0x80, 0x60, 0x2b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]
        );
        assert_eq!(&init[43..], &[0xEF, 0xF0, 0x00, 0x00, 0xAA]);
    }
}
