//! Revert data decoded by name: `NotWhitelisted(account: 0x70997970…)`, never raw hex alone.
//!
//! Decoding uses the JSON ABIs of every interface the client knows ([`crate::bindings::known_abis`]),
//! plus Solidity's `Error(string)` and `Panic(uint256)`. An error whose fields carry revert data
//! of their own (`ProxyInitializationFailed(bytes reason)`, `TokenCallFailed(address, bytes)`) is
//! decoded recursively, so the failure deep inside a proxy's initializer shows by name too.

use alloy::dyn_abi::{DynSolValue, JsonAbiExt};
use alloy::json_abi::{Error as AbiError, JsonAbi};
use alloy::primitives::hex;
use std::sync::OnceLock;

/// Every custom error the client can name, by selector.
fn errors() -> &'static Vec<AbiError> {
    static ERRORS: OnceLock<Vec<AbiError>> = OnceLock::new();
    ERRORS.get_or_init(|| {
        let mut out: Vec<AbiError> = Vec::new();
        for abi in crate::bindings::known_abis() {
            collect(&abi, &mut out);
        }
        out
    })
}

fn collect(abi: &JsonAbi, out: &mut Vec<AbiError>) {
    for error in abi.errors() {
        if !out.iter().any(|known| known.selector() == error.selector()) {
            out.push(error.clone());
        }
    }
}

/// Describes revert data in words: the error's name and each field by name.
pub fn describe(data: &[u8]) -> String {
    describe_depth(data, 0)
}

fn describe_depth(data: &[u8], depth: usize) -> String {
    if data.is_empty() {
        return "reverted without data".into();
    }
    let Some(selector) = data.get(..4) else {
        return format!("reverted with {} bytes that are not an error: 0x{}", data.len(), hex::encode(data));
    };
    let body = &data[4..];
    if selector == [0x08, 0xc3, 0x79, 0xa0] {
        if let Ok(DynSolValue::String(reason)) = alloy::dyn_abi::DynSolType::String.abi_decode(body) {
            return format!("Error({reason:?})");
        }
    }
    if selector == [0x4e, 0x48, 0x7b, 0x71] {
        if let Ok(DynSolValue::Uint(code, _)) = alloy::dyn_abi::DynSolType::Uint(256).abi_decode(body) {
            return format!("Panic(0x{code:x}: {})", panic_meaning(code.to::<u64>()));
        }
    }
    for error in errors() {
        if error.selector().as_slice() != selector {
            continue;
        }
        let Ok(values) = error.abi_decode_input(body) else { continue };
        let fields: Vec<String> = error
            .inputs
            .iter()
            .zip(&values)
            .map(|(param, value)| {
                let shown = match value {
                    DynSolValue::Bytes(inner) if depth < 3 && inner.len() >= 4 => describe_depth(inner, depth + 1),
                    other => show(other),
                };
                if param.name.is_empty() { shown } else { format!("{}: {shown}", param.name) }
            })
            .collect();
        return format!("{}({})", error.name, fields.join(", "));
    }
    format!(
        "reverted with an error the client does not know: selector 0x{}, data 0x{}",
        hex::encode(selector),
        hex::encode(body)
    )
}

fn show(value: &DynSolValue) -> String {
    match value {
        DynSolValue::Address(a) => a.to_checksum(None),
        DynSolValue::Bool(b) => b.to_string(),
        DynSolValue::Uint(u, _) => u.to_string(),
        DynSolValue::Int(i, _) => i.to_string(),
        DynSolValue::FixedBytes(word, size) => format!("0x{}", hex::encode(&word[..*size])),
        DynSolValue::Bytes(bytes) if bytes.is_empty() => "0x (empty)".into(),
        DynSolValue::Bytes(bytes) => format!("0x{}", hex::encode(bytes)),
        DynSolValue::String(s) => format!("{s:?}"),
        DynSolValue::Array(items) | DynSolValue::FixedArray(items) | DynSolValue::Tuple(items) => {
            format!("[{}]", items.iter().map(show).collect::<Vec<_>>().join(", "))
        }
        other => format!("{other:?}"),
    }
}

/// Solidity's panic codes in words.
fn panic_meaning(code: u64) -> &'static str {
    match code {
        0x01 => "assertion failed",
        0x11 => "arithmetic overflow or underflow",
        0x12 => "division by zero",
        0x21 => "invalid enum value",
        0x22 => "bad storage byte array",
        0x31 => "pop on an empty array",
        0x32 => "array index out of bounds",
        0x41 => "out of memory",
        0x51 => "call to an uninitialized function",
        _ => "unknown panic code",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bindings::{ERC1967Proxy, ILockingPool};
    use alloy::primitives::{Address, U256};
    use alloy::sol_types::SolError;

    #[test]
    fn a_pool_error_is_named_with_its_fields() {
        let account: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8".parse().unwrap();
        let data = ILockingPool::NotWhitelisted { account }.abi_encode();
        assert_eq!(describe(&data), "NotWhitelisted(account: 0x70997970C51812dc3A010C7d01b50e0d17dc79C8)");
    }

    #[test]
    fn nested_revert_data_is_decoded_too() {
        let inner = ILockingPool::InvalidLockAmount { amount: U256::from(5), minLock: U256::from(10), maxLock: U256::from(20) }.abi_encode();
        let data = ERC1967Proxy::ProxyInitializationFailed { reason: inner.into() }.abi_encode();
        assert_eq!(
            describe(&data),
            "ProxyInitializationFailed(reason: InvalidLockAmount(amount: 5, minLock: 10, maxLock: 20))"
        );
    }

    #[test]
    fn strings_panics_and_unknown_errors() {
        let mut data = vec![0x08, 0xc3, 0x79, 0xa0];
        data.extend(alloy::dyn_abi::DynSolValue::String("no".into()).abi_encode_params());
        assert_eq!(describe(&data), "Error(\"no\")");
        let mut data = vec![0x4e, 0x48, 0x7b, 0x71];
        data.extend(U256::from(0x11).to_be_bytes::<32>());
        assert_eq!(describe(&data), "Panic(0x11: arithmetic overflow or underflow)");
        assert_eq!(describe(&[]), "reverted without data");
        assert_eq!(
            describe(&[0xde, 0xad, 0xbe, 0xef, 0x01]),
            "reverted with an error the client does not know: selector 0xdeadbeef, data 0x01"
        );
    }
}
