//! `dseq build --breakdown`: where the bytes of each program go.
//!
//! Each program is built once more with its symbol names kept (the release build strips them),
//! and the size of every function body and data segment is read from the module, as `twiggy
//! top` reports shallow sizes, then summed per category: the router and ABI decoding, storage
//! access, errors and events, the contract's own logic, the panic and formatting machinery,
//! and so on. Sizes are raw wasm bytes before wasm-opt and brotli; the shares carry over to the
//! compressed size roughly, not exactly (brotli compresses repetitive code better).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::{Context, Result};
use wasmparser::{KnownCustom, Name, Parser, Payload};

/// One function body or data segment of a module and its size in bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub name: String,
    pub bytes: usize,
}

/// The functions (by name, from the `name` section) and data segments of `wasm`.
pub fn items(wasm: &[u8]) -> Result<Vec<Item>> {
    let mut imported = 0u32;
    let mut bodies = Vec::new();
    let mut names = BTreeMap::new();
    let mut data = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.context("the module does not parse")? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if matches!(import?.ty, wasmparser::TypeRef::Func(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                let range = body.range();
                bodies.push((range.end - range.start) as usize);
            }
            Payload::DataSection(reader) => {
                for (i, segment) in reader.into_iter().enumerate() {
                    data.push(Item { name: format!("data segment {i}"), bytes: segment?.data.len() });
                }
            }
            Payload::CustomSection(section) => {
                if let KnownCustom::Name(reader) = section.as_known() {
                    for name in reader {
                        if let Ok(Name::Function(map)) = name {
                            for naming in map {
                                let naming = naming?;
                                names.insert(naming.index, naming.name.to_owned());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let mut out: Vec<Item> = bodies
        .into_iter()
        .enumerate()
        .map(|(i, bytes)| {
            let index = imported + i as u32;
            let name = names
                .get(&index)
                .map(|n| rustc_demangle::demangle(n).to_string())
                .unwrap_or_else(|| format!("function {index}"));
            Item { name, bytes }
        })
        .collect();
    out.extend(data);
    Ok(out)
}

/// `core[c5930c85a12de822]::fmt` -> `core::fmt`.
fn without_crate_hashes(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut depth = 0;
    for c in name.chars() {
        match c {
            '[' => depth += 1,
            ']' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The category of a function, for a contract whose crates start with `lib_name`.
pub fn category(name: &str, lib_name: &str) -> &'static str {
    let n = without_crate_hashes(name);
    let has = |s: &str| n.contains(s);
    if n.starts_with("data segment") {
        "data (constants, strings)"
    } else if has("user_entrypoint") || has("::program_") || has("dseq_program::abi") || has("dseq_program::__private") {
        "router and ABI decoding (dseq-program)"
    } else if has("dseq_program::table") {
        "program table (dseq-program)"
    } else if has("dseq_kit::abi") || (has("From<") && has("Error>")) {
        "errors and events (dseq-kit encoder)"
    } else if has("stylus_sdk::storage") || has("StorageKey") || has("StorageType") || has("StorageCache") || has("StorageAccess") {
        "storage access (stylus-sdk)"
    } else if has("stylus_sdk") || has("stylus_core") {
        "calls and host (stylus-sdk)"
    } else if has("dseq_kit") {
        "building blocks (dseq-kit)"
    } else if n.starts_with(lib_name) || n.contains(&format!("{lib_name}::")) {
        "contract logic"
    } else if has("panic") || has("fmt::") || has("core::str") || has("slice_index") || has("unwrap_failed") || has("Display") || has("Debug") {
        "panic and formatting (std/core)"
    } else if has("mini_alloc") || has("alloc::") || has("raw_vec") || has("__rust_alloc") || has("__rdl") || has("__rg_") || has("oom") {
        "allocator and Vec growth"
    } else if has("ruint") || has("alloy_") || has("bytes::") {
        "alloy, ruint and bytes"
    } else if has("mem") || has("compiler_builtins") || has("bcmp") {
        "memory builtins"
    } else {
        "other"
    }
}

/// Bytes per category, largest first.
pub fn by_category(items: &[Item], lib_name: &str) -> Vec<(&'static str, usize)> {
    let mut totals: BTreeMap<&'static str, usize> = BTreeMap::new();
    for item in items {
        *totals.entry(category(&item.name, lib_name)).or_default() += item.bytes;
    }
    let mut rows: Vec<_> = totals.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    rows
}

/// The breakdown of one program: categories, then its `top` largest functions.
pub fn report(program: &str, items: &[Item], lib_name: &str, top: usize) -> String {
    let total: usize = items.iter().map(|i| i.bytes).sum();
    let mut out = format!("{program}: {total} bytes of code and data (raw, before wasm-opt and brotli)\n");
    for (category, bytes) in by_category(items, lib_name) {
        let _ = writeln!(out, "  {bytes:>7}  {:>5.1}%  {category}", bytes as f64 * 100.0 / total.max(1) as f64);
    }
    let mut largest: Vec<&Item> = items.iter().collect();
    largest.sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.name.cmp(&b.name)));
    let _ = writeln!(out, "  largest:");
    for item in largest.into_iter().take(top) {
        let mut name = without_crate_hashes(&item.name);
        if let Some(hash) = name.rfind("::h") {
            if name[hash + 3..].chars().all(|c| c.is_ascii_hexdigit()) {
                name.truncate(hash);
            }
        }
        let _ = writeln!(out, "  {:>7}  {name}", item.bytes);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn functions_are_named_and_sized() {
        let wasm = wat::parse_str(
            r#"(module
                (import "vm_hooks" "msg_value" (func $mv (param i32)))
                (func $small (export "a") (result i32) i32.const 1)
                (func $big (export "b") (result i32) i32.const 1 i32.const 2 i32.add i32.const 3 i32.add)
                (memory 1)
                (data (i32.const 0) "hello"))"#,
        )
        .unwrap();
        let items = items(&wasm).unwrap();
        assert_eq!(items.len(), 3, "{items:?}");
        assert_eq!(items[0].name, "small");
        assert_eq!(items[1].name, "big");
        assert!(items[1].bytes > items[0].bytes);
        assert_eq!(items[2], Item { name: "data segment 0".into(), bytes: 5 });
    }

    #[test]
    fn categories_follow_crate_paths() {
        let lib = "locking_pool";
        assert_eq!(category("locking_pool::entry::<impl locking_pool::LockingPool>::program_0::h94", lib), "router and ABI decoding (dseq-program)");
        assert_eq!(category("<alloc[3ca]::vec::Vec<Address> as dseq_program::abi::Decode>::decode::h44", lib), "router and ABI decoding (dseq-program)");
        assert_eq!(category("locking_pool::entry::<impl locking_pool::LockingPool>::relock::h6a", lib), "contract logic");
        assert_eq!(category("locking_pool_state::PoolState::start_exit::hf0", lib), "contract logic");
        assert_eq!(category("stylus_sdk::storage::map::StorageMap<K,V>::getter::he9", lib), "storage access (stylus-sdk)");
        assert_eq!(category("<core[c5930c85a12de822]::fmt::Formatter>::pad_integral", lib), "panic and formatting (std/core)");
        assert_eq!(category("locking_pool_state::<impl core::convert::From<locking_pool_state::Error> for alloc::vec::Vec<u8>>::from::hce", lib), "errors and events (dseq-kit encoder)");
        assert_eq!(category("dseq_kit::access::AccessControl::grant::h32", lib), "building blocks (dseq-kit)");
        assert_eq!(category("data segment 0", lib), "data (constants, strings)");
    }

    #[test]
    fn report_sums_and_ranks() {
        let items = vec![
            Item { name: "locking_pool::a::h0123".into(), bytes: 30 },
            Item { name: "stylus_sdk::storage::x".into(), bytes: 10 },
        ];
        let text = report("p", &items, "locking_pool", 1);
        assert!(text.starts_with("p: 40 bytes"), "{text}");
        assert!(text.contains("       30   75.0%  contract logic\n"), "{text}");
        assert!(text.contains("  largest:\n       30  locking_pool::a\n"), "{text}");
        assert!(!text.contains("stylus_sdk::storage::x\n"), "{text}");
    }
}
