//! The ABI of a contract's programs, on the host: for export-abi and the interface check.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::string::String;
use std::vec::Vec;

/// One routed function of one program, as `#[dseq_program::public]` saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AbiFunction {
    pub program: usize,
    pub selector: u32,
    pub name: &'static str,
    pub inputs: &'static [&'static str],
    pub outputs: &'static [&'static str],
    /// `view`, `pure`, `payable` or `nonpayable`.
    pub mutability: &'static str,
}

impl AbiFunction {
    /// `name(type,type)`.
    pub fn signature(&self) -> String {
        format!("{}({})", self.name, self.inputs.join(","))
    }
}

/// Checks that no selector is routed by two programs. Returns each clash, described.
pub fn check_routes(programs: &[&[AbiFunction]]) -> Vec<String> {
    let mut seen: BTreeMap<u32, &AbiFunction> = BTreeMap::new();
    let mut clashes = Vec::new();
    for f in programs.iter().flat_map(|p| p.iter()) {
        if let Some(other) = seen.insert(f.selector, f) {
            clashes.push(format!(
                "{} (0x{:08x}) is routed by program {} and by program {}",
                f.signature(),
                f.selector,
                other.program,
                f.program
            ));
        }
    }
    clashes
}

/// The union of the programs' functions and the contract's errors as a Solidity interface.
pub fn solidity_interface(name: &str, programs: &[&[AbiFunction]], errors: &[&str]) -> String {
    let mut out = format!("interface {name} {{\n");
    for f in programs.iter().flat_map(|p| p.iter()) {
        let params: Vec<String> = f
            .inputs
            .iter()
            .map(|t| if is_dynamic(t) { format!("{t} calldata") } else { (*t).to_owned() })
            .collect();
        let mutability = match f.mutability {
            "nonpayable" => String::new(),
            other => format!(" {other}"),
        };
        let returns = if f.outputs.is_empty() {
            String::new()
        } else {
            let outs: Vec<String> = f
                .outputs
                .iter()
                .map(|t| if is_dynamic(t) { format!("{t} memory") } else { (*t).to_owned() })
                .collect();
            format!(" returns ({})", outs.join(", "))
        };
        let _ = writeln!(out, "    function {}({}) external{mutability}{returns};", f.name, params.join(", "));
    }
    for error in errors {
        let _ = writeln!(out, "    error {error};");
    }
    out.push_str("}\n");
    out
}

/// Prints [`solidity_interface`], or the clashes of [`check_routes`] and exits non-zero.
pub fn print_abi(name: &str, programs: &[&[AbiFunction]], errors: &[&str]) {
    let clashes = check_routes(programs);
    if !clashes.is_empty() {
        for clash in clashes {
            eprintln!("{clash}");
        }
        std::process::exit(1);
    }
    print!("{}", solidity_interface(name, programs, errors));
}

fn is_dynamic(sol: &str) -> bool {
    sol == "bytes" || sol == "string" || sol.ends_with("[]")
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &[AbiFunction] = &[AbiFunction {
        program: 0,
        selector: 1,
        name: "lockFor",
        inputs: &["address", "uint256", "bytes"],
        outputs: &["uint256"],
        mutability: "nonpayable",
    }];
    const B: &[AbiFunction] = &[
        AbiFunction { program: 1, selector: 2, name: "token", inputs: &[], outputs: &["address"], mutability: "view" },
        AbiFunction { program: 1, selector: 1, name: "clash", inputs: &[], outputs: &[], mutability: "nonpayable" },
    ];

    #[test]
    fn a_selector_routed_twice_is_reported() {
        assert_eq!(check_routes(&[A]), Vec::<String>::new());
        let clashes = check_routes(&[A, B]);
        assert_eq!(clashes, vec!["clash() (0x00000001) is routed by program 0 and by program 1".to_owned()]);
    }

    #[test]
    fn the_interface_lists_every_program() {
        let text = solidity_interface("IPool", &[A, &B[..1]], &["NullAddress()"]);
        assert_eq!(
            text,
            "interface IPool {\n    function lockFor(address, uint256, bytes calldata) external returns (uint256);\n    \
             function token() external view returns (address);\n    error NullAddress();\n}\n"
        );
    }
}
