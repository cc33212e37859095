//! cargo-stylus, run straight from a contract folder, optimises exactly as `dseq build` does:
//! the workspace `Stylus.toml` pins binaryen's version (the one `package-lock.json` installs)
//! and `dseq build`'s wasm-opt flags, and every contract's `Stylus.toml` opts in to it.

mod common;

fn table(path: &std::path::Path) -> toml::Table {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn stylus_toml_gives_cargo_stylus_the_optimisation_dseq_build_uses() {
    let root = common::root();
    let workspace = table(&root.join("Stylus.toml"));
    let wasm_opt = workspace.get("wasm-opt").and_then(|t| t.as_table()).expect("[wasm-opt] in Stylus.toml");
    let flags: Vec<&str> = wasm_opt["flags"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert_eq!(flags, dseq::wasm_opt::FLAGS, "Stylus.toml's flags are dseq build's");

    let lock: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("package-lock.json")).unwrap()).unwrap();
    let binaryen = lock["packages"]["node_modules/binaryen"]["version"].as_str().expect("binaryen in package-lock.json");
    let major = binaryen.split('.').next().unwrap();
    assert_eq!(wasm_opt["version"].as_str(), Some(major), "Stylus.toml pins the binaryen that npm installs");

    for contract in dseq::project::discover_contracts(&root).unwrap() {
        let own = table(&contract.dir.join("Stylus.toml"));
        assert!(own.contains_key("contract"), "{}: Stylus.toml needs [contract]", contract.package);
        assert!(own.contains_key("wasm-opt"), "{}: Stylus.toml must opt in with [wasm-opt]", contract.package);
    }
}
