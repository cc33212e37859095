//! `dseq abi-check`: the hand-written `contracts/interfaces/I<Name>.sol` must declare exactly
//! the functions and errors that the contract's `export-abi` prints.
//!
//! Both texts are reduced to sets of canonical declarations such as
//! `function label(uint256[],address) view returns (string,bool)` and `error TooBig(uint256,uint256)`:
//! comments, parameter names, data locations, visibility and `virtual`/`override` are dropped;
//! the name, parameter types, mutability (`view`/`pure`/`payable`) and return types are kept;
//! `uint`/`int`/`byte` become `uint256`/`int256`/`bytes1`; a struct declared in the same text
//! is replaced by its tuple type. Events are not compared here (export-abi does not print them;
//! each contract's tests check its events).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{bail, Context, Result};

use crate::project::{self, Contract};

/// The difference between a contract's interface file and its export-abi output.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AbiDiff {
    pub contract: String,
    pub interface: PathBuf,
    /// Exported by the contract but absent from the interface file.
    pub missing: Vec<String>,
    /// In the interface file but not exported by the contract.
    pub extra: Vec<String>,
}

impl AbiDiff {
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty()
    }

    /// Human-readable report of the mismatch (empty when there is none).
    pub fn report(&self) -> String {
        let mut out = String::new();
        if self.is_empty() {
            return out;
        }
        out.push_str(&format!(
            "{}: {} does not match export-abi\n",
            self.contract,
            self.interface.display()
        ));
        for decl in &self.missing {
            out.push_str(&format!(
                "  missing from the .sol file (exported by the contract): {decl}\n"
            ));
        }
        for decl in &self.extra {
            out.push_str(&format!(
                "  extra in the .sol file (not exported by the contract): {decl}\n"
            ));
        }
        out
    }
}

/// Compares two sets of canonical declarations.
pub fn diff(
    contract: &str,
    interface: &Path,
    exported: &BTreeSet<String>,
    declared: &BTreeSet<String>,
) -> AbiDiff {
    AbiDiff {
        contract: contract.to_owned(),
        interface: interface.to_path_buf(),
        missing: exported.difference(declared).cloned().collect(),
        extra: declared.difference(exported).cloned().collect(),
    }
}

/// Runs `cargo run -q -p <pkg> --features export-abi` from `root` and returns what it prints.
pub fn export_abi(root: &Path, contract: &Contract) -> Result<String> {
    let output = project::cargo(root)
        .args(["run", "-q", "-p"])
        .arg(&contract.package)
        .args(["--features", "export-abi"])
        .stdin(Stdio::null())
        .output()
        .context("cannot run cargo; is the Rust toolchain installed (https://rustup.rs)?")?;
    if !output.status.success() {
        bail!(
            "export-abi failed for {pkg}:\n{}\n\nrun `cargo run -p {pkg} --features export-abi` to see why \
             (the crate needs a src/main.rs calling `{lib}::print_from_args()` under the export-abi feature)",
            project::tail(&output.stderr, 40),
            pkg = contract.package,
            lib = contract.lib_name,
        );
    }
    String::from_utf8(output.stdout)
        .with_context(|| format!("export-abi of {} printed invalid UTF-8", contract.package))
}

/// Checks one contract: its interface file against its export-abi output.
pub fn check_contract(root: &Path, contract: &Contract) -> Result<AbiDiff> {
    check_interface(root, &[contract])
}

/// Checks one interface file against the union of what its contracts export. Several contracts
/// may implement one interface together (locking-pool delegates half its ABI to a module).
pub fn check_interface(root: &Path, contracts: &[&Contract]) -> Result<AbiDiff> {
    let first = contracts.first().context("an interface needs at least one contract")?;
    let declared_text = std::fs::read_to_string(&first.interface).with_context(|| {
        format!(
            "cannot read {} (the hand-written interface of {}); write it, starting from \
             `cargo run -q -p {} --features export-abi`, and add the events",
            first.interface.display(),
            first.package,
            first.package
        )
    })?;
    let mut exported = BTreeSet::new();
    for contract in contracts {
        let exported_text = export_abi(root, contract)?;
        exported.extend(
            declarations(&exported_text)
                .with_context(|| format!("cannot parse the export-abi output of {}", contract.package))?,
        );
    }
    let declared = declarations(&declared_text)
        .with_context(|| format!("cannot parse {}", first.interface.display()))?;
    let shown = first.interface.strip_prefix(root).unwrap_or(&first.interface);
    let names: Vec<&str> = contracts.iter().map(|c| c.package.as_str()).collect();
    Ok(diff(&names.join(" + "), shown, &exported, &declared))
}

/// Checks every interface of the workspace at `root` (or those of the named contracts); one
/// [`AbiDiff`] per interface file, comparing it with everything its contracts export.
pub fn check(root: &Path, names: &[String]) -> Result<Vec<AbiDiff>> {
    let contracts = project::select_contracts(project::discover_contracts(root)?, names)?;
    let mut by_interface: BTreeMap<&Path, Vec<&Contract>> = BTreeMap::new();
    for contract in &contracts {
        by_interface.entry(contract.interface.as_path()).or_default().push(contract);
    }
    by_interface.values().map(|group| check_interface(root, group)).collect()
}

/// Fails with the full report when any diff is non-empty.
pub fn ensure_match(diffs: &[AbiDiff]) -> Result<()> {
    let report: String = diffs.iter().map(AbiDiff::report).collect();
    if report.is_empty() {
        Ok(())
    } else {
        bail!("{report}update the contract or contracts/interfaces/ so that they agree")
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing

/// Removes `//` and `/* */` comments (string literals are kept intact).
pub fn strip_comments(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                out.push(c);
                while let Some(d) = chars.next() {
                    out.push(d);
                    if d == '\\' {
                        if let Some(e) = chars.next() {
                            out.push(e);
                        }
                    } else if d == c {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = '\0';
                for d in chars.by_ref() {
                    if prev == '*' && d == '/' {
                        break;
                    }
                    prev = d;
                }
                out.push(' ');
            }
            _ => out.push(c),
        }
    }
    out
}

/// Every `function` and `error` declaration of a Solidity text, in canonical form.
pub fn declarations(source: &str) -> Result<BTreeSet<String>> {
    let source = strip_comments(source);
    // Statements end at `;`, `{` or `}`; a declaration may span lines.
    let mut statements: Vec<(String, char)> = Vec::new();
    let mut current = String::new();
    for c in source.chars() {
        if matches!(c, ';' | '{' | '}') {
            statements.push((current.split_whitespace().collect::<Vec<_>>().join(" "), c));
            current.clear();
        } else {
            current.push(c);
        }
    }

    let mut structs: BTreeMap<String, Vec<Vec<Token>>> = BTreeMap::new();
    let mut decls: Vec<&str> = Vec::new();
    let mut open_struct: Option<String> = None;
    for (text, end) in &statements {
        if let Some(name) = &open_struct {
            if !text.is_empty() {
                structs
                    .entry(name.clone())
                    .or_default()
                    .push(tokenize(text));
            }
            if *end == '}' {
                open_struct = None;
            }
            continue;
        }
        let keyword = text.split(' ').next().unwrap_or("");
        match keyword {
            "struct" if *end == '{' => {
                let name = text["struct".len()..].trim().to_owned();
                structs.insert(name.clone(), Vec::new());
                open_struct = Some(name);
            }
            "function" | "error" => decls.push(text),
            _ => {}
        }
    }
    decls
        .into_iter()
        .map(|d| normalize(d, &structs).with_context(|| format!("in `{d}`")))
        .collect()
}

/// Canonical form of one `function ...` or `error ...` declaration (without the `;`).
pub fn normalize(decl: &str, structs: &BTreeMap<String, Vec<Vec<Token>>>) -> Result<String> {
    let tokens = tokenize(decl);
    let mut p = TypeParser {
        tokens: &tokens,
        pos: 0,
        structs,
        depth: 0,
    };
    let keyword = p.word()?;
    let name = p.word()?;
    let params = p.param_list()?;
    match keyword.as_str() {
        "error" => {
            if let Some(t) = p.peek() {
                bail!(
                    "unexpected `{}` after the parameters of error {name}",
                    t.text()
                );
            }
            Ok(format!("error {name}({})", params.join(",")))
        }
        "function" => {
            let mut mutability = Vec::new();
            let mut returns = None;
            while let Some(token) = p.next() {
                match token {
                    Token::Word(w) if matches!(w.as_str(), "view" | "pure" | "payable") => {
                        mutability.push(w.clone())
                    }
                    Token::Word(w) if w == "returns" => returns = Some(p.param_list()?),
                    // `override(IA, IB)`, `modifier(args)`: skip the argument list.
                    Token::Open => p.skip_balanced()?,
                    // external, public, virtual, override, ...
                    Token::Word(_) => {}
                    t => bail!("unexpected `{}` in function {name}", t.text()),
                }
            }
            mutability.sort();
            let mut out = format!("function {name}({})", params.join(","));
            for m in mutability {
                out.push(' ');
                out.push_str(&m);
            }
            if let Some(returns) = returns.filter(|r| !r.is_empty()) {
                out.push_str(&format!(" returns ({})", returns.join(",")));
            }
            Ok(out)
        }
        other => bail!("expected `function` or `error`, found `{other}`"),
    }
}

/// A lexical token of a declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    Open,
    Close,
    Comma,
    Word(String),
}

impl Token {
    fn text(&self) -> &str {
        match self {
            Token::Open => "(",
            Token::Close => ")",
            Token::Comma => ",",
            Token::Word(w) => w,
        }
    }
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, tokens: &mut Vec<Token>| {
        if !word.is_empty() {
            tokens.push(Token::Word(std::mem::take(word)));
        }
    };
    for c in text.chars() {
        match c {
            '(' | ')' | ',' => {
                flush(&mut word, &mut tokens);
                tokens.push(match c {
                    '(' => Token::Open,
                    ')' => Token::Close,
                    _ => Token::Comma,
                });
            }
            c if c.is_whitespace() => flush(&mut word, &mut tokens),
            // `uint256 [ ]` and `uint256[]` are the same type: glue a bracket to the word before.
            '[' | ']' if word.is_empty() && matches!(tokens.last(), Some(Token::Word(_))) => {
                if let Some(Token::Word(w)) = tokens.last_mut() {
                    w.push(c);
                }
            }
            c => word.push(c),
        }
    }
    flush(&mut word, &mut tokens);
    tokens
}

const MAX_STRUCT_DEPTH: usize = 16;

struct TypeParser<'a> {
    tokens: &'a [Token],
    pos: usize,
    structs: &'a BTreeMap<String, Vec<Vec<Token>>>,
    depth: usize,
}

impl TypeParser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<&Token> {
        let token = self.tokens.get(self.pos);
        self.pos += 1;
        token
    }

    fn word(&mut self) -> Result<String> {
        match self.next() {
            Some(Token::Word(w)) => Ok(w.clone()),
            Some(t) => bail!("expected a name, found `{}`", t.text()),
            None => bail!("unexpected end of declaration"),
        }
    }

    fn expect(&mut self, expected: Token) -> Result<()> {
        match self.next() {
            Some(t) if *t == expected => Ok(()),
            Some(t) => bail!("expected `{}`, found `{}`", expected.text(), t.text()),
            None => bail!(
                "expected `{}`, found the end of the declaration",
                expected.text()
            ),
        }
    }

    fn skip_balanced(&mut self) -> Result<()> {
        let mut depth = 1;
        while depth > 0 {
            match self.next() {
                Some(Token::Open) => depth += 1,
                Some(Token::Close) => depth -= 1,
                Some(_) => {}
                None => bail!("unbalanced parentheses"),
            }
        }
        Ok(())
    }

    /// `( param, param, ... )` -> the parameter types.
    fn param_list(&mut self) -> Result<Vec<String>> {
        self.expect(Token::Open)?;
        let mut types = Vec::new();
        if self.peek() == Some(&Token::Close) {
            self.pos += 1;
            return Ok(types);
        }
        loop {
            types.push(self.param()?);
            match self.next() {
                Some(Token::Comma) => {}
                Some(Token::Close) => return Ok(types),
                Some(t) => bail!("expected `,` or `)`, found `{}`", t.text()),
                None => bail!("unclosed parameter list"),
            }
        }
    }

    /// A type followed by optional location, `indexed` and name words.
    fn param(&mut self) -> Result<String> {
        let ty = self.ty()?;
        while let Some(Token::Word(_)) = self.peek() {
            self.pos += 1;
        }
        Ok(ty)
    }

    fn ty(&mut self) -> Result<String> {
        let (base, mut suffix) = match self.peek() {
            Some(Token::Open) => (format!("({})", self.param_list()?.join(",")), String::new()),
            Some(Token::Word(_)) => {
                let word = self.word()?;
                let split = word.find('[').unwrap_or(word.len());
                let (base, suffix) = word.split_at(split);
                (self.elementary(base)?, suffix.to_owned())
            }
            Some(t) => bail!("expected a type, found `{}`", t.text()),
            None => bail!("expected a type, found the end of the declaration"),
        };
        if base == "address" && matches!(self.peek(), Some(Token::Word(w)) if w == "payable") {
            self.pos += 1;
        }
        // Array suffixes written apart from the type, e.g. `(uint256,bool) []`.
        while let Some(Token::Word(w)) = self.peek() {
            if !w.starts_with('[') {
                break;
            }
            suffix.push_str(w);
            self.pos += 1;
        }
        Ok(base + &suffix)
    }

    fn elementary(&mut self, name: &str) -> Result<String> {
        let name = name.rsplit('.').next().unwrap_or(name);
        Ok(match name {
            "uint" => "uint256".to_owned(),
            "int" => "int256".to_owned(),
            "byte" => "bytes1".to_owned(),
            "ufixed" => "ufixed128x18".to_owned(),
            "fixed" => "fixed128x18".to_owned(),
            _ => match self.structs.get(name) {
                Some(members) => {
                    if self.depth >= MAX_STRUCT_DEPTH {
                        bail!("struct {name} is recursive");
                    }
                    let mut types = Vec::new();
                    for member in members {
                        let mut inner = TypeParser {
                            tokens: member,
                            pos: 0,
                            structs: self.structs,
                            depth: self.depth + 1,
                        };
                        types.push(inner.ty()?);
                    }
                    format!("({})", types.join(","))
                }
                None => name.to_owned(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    const EXPORTED: &str = r#"
/**
 * This file was automatically generated by Stylus and represents a Rust program.
 */

// SPDX-License-Identifier: MIT-OR-APACHE-2.0
pragma solidity ^0.8.23;

interface ICounter {
    function number() external view returns (uint256);

    function setNumber(uint256 new_number) external;

    function label(uint256[] memory ids, address who) external view returns (string memory, bool);

    function deposit() external payable returns (uint256);

    function pair((uint256, address) x, (uint64,bool)[] memory ys) external view returns (uint256, address);

    error TooBig(uint256, uint256);
}

interface IOwnable {
    function owner() external view returns (address);
}
"#;

    const HANDWRITTEN: &str = r#"
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.23;

/// The counter. // not a real comment end */
interface ICounter is IOwnable {
    event NumberSet(uint256 indexed oldNumber, uint256 newNumber);
    error TooBig(uint256 value, uint256 max);

    function number() external view returns (uint256 current);
    function setNumber(uint newNumber) external;
    /* spans
       lines */
    function label(
        uint256 [] calldata ids,
        address payable who
    ) external view returns (string memory name, bool empty);
    function deposit() payable external returns (uint256);
    function pair(Pair calldata x, Flag[] calldata ys) external view returns (uint256, address);

    struct Pair { uint256 amount; address who; }
    struct Flag {
        uint64 id;
        bool on;
    }
}

interface IOwnable {
    function owner() external view virtual returns (address);
}
"#;

    #[test]
    fn exported_declarations_are_canonical() {
        assert_eq!(
            declarations(EXPORTED).unwrap(),
            set(&[
                "error TooBig(uint256,uint256)",
                "function deposit() payable returns (uint256)",
                "function label(uint256[],address) view returns (string,bool)",
                "function number() view returns (uint256)",
                "function owner() view returns (address)",
                "function pair((uint256,address),(uint64,bool)[]) view returns (uint256,address)",
                "function setNumber(uint256)",
            ])
        );
    }

    #[test]
    fn handwritten_interface_matches_export() {
        let exported = declarations(EXPORTED).unwrap();
        let declared = declarations(HANDWRITTEN).unwrap();
        assert_eq!(exported, declared);
        assert!(diff("counter", Path::new("I.sol"), &exported, &declared).is_empty());
    }

    #[test]
    fn mutability_and_return_types_matter() {
        let a = declarations("function f(uint256) external view returns (uint256);").unwrap();
        assert_ne!(
            a,
            declarations("function f(uint256) external returns (uint256);").unwrap()
        );
        assert_ne!(
            a,
            declarations("function f(uint256) external pure returns (uint256);").unwrap()
        );
        assert_ne!(
            a,
            declarations("function f(uint256) external view returns (uint128);").unwrap()
        );
        assert_ne!(
            a,
            declarations("function f(uint256) external view;").unwrap()
        );
        assert_ne!(
            a,
            declarations("function f(uint256[]) external view returns (uint256);").unwrap()
        );
        assert_eq!(
            a,
            declarations("function f(uint x) public view returns (uint y);").unwrap()
        );
    }

    #[test]
    fn struct_return_is_a_tuple_not_multiple_values() {
        let declared = declarations(
            "struct S { uint256 a; bool b; } function f() external view returns (S memory);",
        )
        .unwrap();
        assert_eq!(
            declared,
            set(&["function f() view returns ((uint256,bool))"])
        );
        assert_ne!(
            declared,
            declarations("function f() external view returns (uint256, bool);").unwrap()
        );
    }

    #[test]
    fn nested_structs_and_arrays_expand() {
        let text = "struct A { uint8 x; } struct B { A[2] a; bytes data; }
                    function g(B[] calldata bs) external;";
        assert_eq!(
            declarations(text).unwrap(),
            set(&["function g(((uint8)[2],bytes)[])"])
        );
    }

    #[test]
    fn events_and_other_items_are_ignored() {
        let text = "pragma solidity ^0.8.0; import \"./x.sol\"; interface I {
                    event E(address indexed a); uint256 constant X = 1; error Z(); }";
        assert_eq!(declarations(text).unwrap(), set(&["error Z()"]));
    }

    #[test]
    fn diff_reports_both_directions() {
        let exported = set(&["function a()", "error E(uint256)"]);
        let declared = set(&["function a()", "function b() view"]);
        let d = diff(
            "pool",
            Path::new("contracts/interfaces/IPool.sol"),
            &exported,
            &declared,
        );
        assert_eq!(d.missing, vec!["error E(uint256)"]);
        assert_eq!(d.extra, vec!["function b() view"]);
        let report = d.report();
        assert!(report.contains("pool: contracts/interfaces/IPool.sol does not match export-abi"));
        assert!(report
            .contains("missing from the .sol file (exported by the contract): error E(uint256)"));
        assert!(report
            .contains("extra in the .sol file (not exported by the contract): function b() view"));
        assert!(ensure_match(&[d]).is_err());
    }

    #[test]
    fn malformed_declarations_are_errors() {
        assert!(declarations("function f(uint256 external;").is_err());
        assert!(declarations("error E(uint256) view;").is_err());
    }

    #[test]
    fn comments_are_stripped() {
        assert_eq!(
            strip_comments("a // b\nc /* d\n e */ f \"// kept\""),
            "a \nc   f \"// kept\""
        );
    }
}
