//! The Stylus deployed-code formats and cargo-stylus's init code.
//!
//! - A classic program is `EF F0 00 <dict>` followed by the brotli-compressed wasm.
//! - A fragmented program (ArbOS 60; cargo-stylus 0.10.10 splits programs whose code would
//!   exceed 24 KiB) is a *root* `EF F0 02 <dict> <decompressed length: u32 BE> <address>*`
//!   listing *fragment* contracts `EF F0 01 <payload>`. The payloads, concatenated in the
//!   root's order, are one brotli stream that must decompress to exactly the declared length.
//!   nitro's limits apply (at most [`MAX_FRAGMENTS`] fragments, at least one, the declared
//!   length at most [`MAX_WASM_SIZE`]). The root is what is activated and called; a fragment is
//!   inert code (calling it runs `0xEF` as EVM: invalid opcode).
//!
//! `<dict>` selects a brotli dictionary: `00` is "none", the only one this node supports (`01`,
//! nitro's built-in "StylusProgram" dictionary, is rejected with [`CodeError::UnsupportedDictionary`]).

use alloy_primitives::Address;
use std::io::Read;

/// Discriminant that marks an account's code as a Stylus program.
pub const STYLUS_DISCRIMINANT: [u8; 3] = [0xEF, 0xF0, 0x00];
/// Prefix of a program compressed without dictionary, as cargo-stylus writes it.
pub const STYLUS_PREFIX_NO_DICT: [u8; 4] = [0xEF, 0xF0, 0x00, 0x00];
/// Largest decompressed wasm accepted (nitro's `MaxWasmSize` default is 128 KiB).
pub const MAX_WASM_SIZE: usize = 128 * 1024;
/// Prefix of a fragment of a fragmented program; the rest of the code is payload.
pub const FRAGMENT_PREFIX: [u8; 3] = [0xEF, 0xF0, 0x01];
/// Discriminant of a root program; a dictionary byte follows.
pub const ROOT_DISCRIMINANT: [u8; 3] = [0xEF, 0xF0, 0x02];
/// Most fragments a root may list: nitro's `MaxFragmentCount` default at ArbOS 60
/// (`ArbOwnerPublic.getMaxStylusContractFragments()`).
pub const MAX_FRAGMENTS: u8 = 2;

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
    /// A fragment was given where a program is expected.
    FragmentNotProgram,
    /// A root shorter than its 8-byte header.
    RootTruncated(usize),
    /// The root's address list is not a whole number of addresses.
    RootAddressList(usize),
    /// A root that lists no fragment.
    NoFragments,
    /// A root that lists more fragments than [`MAX_FRAGMENTS`].
    TooManyFragments(usize),
    /// A root whose declared length is above [`MAX_WASM_SIZE`].
    DeclaredTooLarge(u32),
    /// A listed address whose code is not a fragment.
    NotAFragment(Address),
    /// The fragments decompress to another length than the root declares.
    LengthMismatch { declared: u32, actual: usize },
    /// The fragments decompress to more than the root declares.
    LongerThanDeclared(u32),
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
            CodeError::FragmentNotProgram => write!(
                f,
                "fragmented stylus programs cannot be activated directly; activate the root program instead"
            ),
            CodeError::RootTruncated(n) => {
                write!(f, "stylus program root too short: need at least 8 bytes, got {n}")
            }
            CodeError::RootAddressList(n) => write!(
                f,
                "stylus program root address data has invalid length: {n} (must be multiple of 20)"
            ),
            CodeError::NoFragments => write!(f, "invalid wasm: fragment count cannot be zero"),
            CodeError::TooManyFragments(n) => write!(
                f,
                "invalid wasm: fragment count {n} exceeds limit of {MAX_FRAGMENTS}"
            ),
            CodeError::DeclaredTooLarge(n) => write!(
                f,
                "invalid wasm: decompressedLength {n} is greater than MaxWasmSize {MAX_WASM_SIZE}"
            ),
            CodeError::NotAFragment(a) => {
                write!(f, "code at {a} is not a Stylus program fragment (no EF F0 01 prefix)")
            }
            CodeError::LongerThanDeclared(n) => write!(
                f,
                "invalid wasm: the fragments decompress to more than the declared {n} bytes"
            ),
            CodeError::LengthMismatch { declared, actual } => write!(
                f,
                "invalid wasm: decompressed length {actual} does not match expected length {declared}"
            ),
        }
    }
}

impl std::error::Error for CodeError {}

/// True when `code` carries the Stylus discriminant `EF F0 00` (a classic program).
pub fn is_stylus(code: &[u8]) -> bool {
    code.len() >= 3 && code[..3] == STYLUS_DISCRIMINANT
}

/// True when `code` is a root program (`EF F0 02` and more), as nitro tells them apart.
pub fn is_root(code: &[u8]) -> bool {
    code.len() > 3 && code[..3] == ROOT_DISCRIMINANT
}

/// True when `code` is a fragment (`EF F0 01` and at least one payload byte).
pub fn is_fragment(code: &[u8]) -> bool {
    code.len() > 3 && code[..3] == FRAGMENT_PREFIX
}

/// True when calling `code` runs a Stylus program: a classic program or a root.
pub fn is_stylus_program(code: &[u8]) -> bool {
    is_stylus(code) || is_root(code)
}

/// A root program's header and fragment list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootProgram {
    pub dictionary: u8,
    /// Length of the wasm the fragments decompress to.
    pub decompressed_len: u32,
    pub fragments: Vec<Address>,
}

/// Parses a root program and applies nitro's limits (count and declared length).
pub fn parse_root(code: &[u8]) -> Result<RootProgram, CodeError> {
    if !is_root(code) {
        return Err(CodeError::NotStylus);
    }
    if code.len() < 8 {
        return Err(CodeError::RootTruncated(code.len()));
    }
    let list = &code[8..];
    if !list.len().is_multiple_of(20) {
        return Err(CodeError::RootAddressList(list.len()));
    }
    let root = RootProgram {
        dictionary: code[3],
        decompressed_len: u32::from_be_bytes([code[4], code[5], code[6], code[7]]),
        fragments: list.chunks_exact(20).map(Address::from_slice).collect(),
    };
    if root.decompressed_len as usize > MAX_WASM_SIZE {
        return Err(CodeError::DeclaredTooLarge(root.decompressed_len));
    }
    match root.fragments.len() {
        0 => Err(CodeError::NoFragments),
        n if n > MAX_FRAGMENTS as usize => Err(CodeError::TooManyFragments(n)),
        _ => Ok(root),
    }
}

/// The wasm of a root program, from the code of each of its fragments (in the root's order).
pub fn decode_root(
    root: &RootProgram,
    fragments: &[(Address, &[u8])],
) -> Result<Vec<u8>, CodeError> {
    if root.dictionary != 0 {
        return Err(CodeError::UnsupportedDictionary(root.dictionary));
    }
    let mut compressed = Vec::new();
    for (address, code) in fragments {
        if !is_fragment(code) {
            return Err(CodeError::NotAFragment(*address));
        }
        compressed.extend_from_slice(&code[FRAGMENT_PREFIX.len()..]);
    }
    let wasm = match decompress(&compressed, root.decompressed_len as usize) {
        Err(CodeError::TooLarge) => {
            return Err(CodeError::LongerThanDeclared(root.decompressed_len))
        }
        other => other?,
    };
    if wasm.len() != root.decompressed_len as usize {
        return Err(CodeError::LengthMismatch {
            declared: root.decompressed_len,
            actual: wasm.len(),
        });
    }
    Ok(wasm)
}

/// Decodes classic deployed code into the wasm module bytes.
pub fn decode_program(code: &[u8]) -> Result<Vec<u8>, CodeError> {
    if is_fragment(code) {
        return Err(CodeError::FragmentNotProgram);
    }
    if !is_stylus(code) {
        return Err(CodeError::NotStylus);
    }
    let Some(&dict) = code.get(3) else {
        return Err(CodeError::Truncated);
    };
    if dict != 0 {
        return Err(CodeError::UnsupportedDictionary(dict));
    }
    decompress(&code[4..], MAX_WASM_SIZE)
}

/// Brotli-decompresses at most `limit` bytes (more is [`CodeError::TooLarge`]: no bombs).
fn decompress(compressed: &[u8], limit: usize) -> Result<Vec<u8>, CodeError> {
    let mut out = Vec::new();
    brotli::Decompressor::new(compressed, 4096)
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| CodeError::Brotli(e.to_string()))?;
    if out.len() > limit {
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
