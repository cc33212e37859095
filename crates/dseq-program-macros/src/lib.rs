//! `#[dseq_program::public(program = K)]`: the ABI router of one Stylus program of a contract.
//!
//! A dseq contract is one crate whose public functions are split into impl blocks, one per
//! Stylus program (each program must fit the 24 KiB limit). The attribute turns each block into:
//!
//! - the methods, unchanged (minus the attributes below);
//! - `__dseq_route_K`: a `match` on 4-byte selectors that decodes each argument with the lean
//!   decoders of `dseq_program::abi` (one small shared function per Solidity type, instead of a
//!   generic tuple decoder per signature) and encodes the return value the same way;
//! - `__dseq_owns_K`: whether a selector belongs to program K (program 0 uses it to forward);
//! - `program_K(input, host)`: the program's dispatcher, and on wasm32 with the cargo feature
//!   `program-K` enabled, the `user_entrypoint` export that runs it;
//! - on the host, `__DSEQ_ABI_K`: each routed function's Solidity signature, for export-abi
//!   and the interface check.
//!
//! Program 0 (`#[public(program = 0, programs = N)]`) is the contract's entry program, the
//! implementation behind its ERC-1967 proxy: a selector owned by program j >= 1 is forwarded
//! by `delegatecall` to the address installed for program j (see `dseq_program::table`).
//!
//! Method attributes: `#[constructor]` (runs once, under the SDK's constructor selector),
//! `#[payable]`, `#[selector(name = "SolidityName")]`, `#[returns("uint256,bytes")]` for a
//! method returning a type that encodes itself (`dseq_program::abi::Words`), and `#[receive]`
//! (entry program only: the method, taking no arguments and returning nothing, runs on a call
//! with empty calldata, with or without value, like Solidity's `receive()`; without one such a
//! call reverts; in a program that checks re-entry in its router, it runs on re-entry too, so
//! a called contract can refund value: it should not touch storage). Only `pub fn`s are
//! routed; names are converted from snake_case to camelCase as the SDK does. A method's
//! `#[cfg(...)]` applies to its route and its ABI entry too: a contract can keep a later
//! version's functions behind a cargo feature (`dseq build --variant`).
//!
//! Re-entry: like the SDK's `#[entrypoint]`, a program refuses every call that re-enters its
//! contract (the contract's address already has an open frame, e.g. a token calling back).
//! With the flag `self_reentrant` (`#[public(program = 0, programs = 1, self_reentrant)]`) the
//! program accepts re-entry from its own address, a call the contract makes to itself (a
//! timelock executing an operation that targets the timelock), and still refuses re-entry
//! from any other caller. The check then runs in the router rather than in the wasm
//! entrypoint, so native tests run it too. With `reentry = "method"` the contract decides:
//! a re-entering call is accepted when `Self::method(&self) -> bool` says so (a governor
//! accepts its timelock, which calls the governor's settings from within the governor's own
//! `execute`), again in the router; every program of such a contract needs the same argument.

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::{format_ident, quote};
use syn::{
    parse::Parser, punctuated::Punctuated, spanned::Spanned, Attribute, Expr, FnArg, GenericArgument,
    ImplItem, ItemImpl, Lit, Meta, PathArguments, ReturnType, Token, Type,
};
use tiny_keccak::{Hasher, Keccak};

/// See the crate documentation.
#[proc_macro_attribute]
pub fn public(attr: TokenStream, item: TokenStream) -> TokenStream {
    match expand(attr.into(), item.into()) {
        Ok(tokens) => tokens.into(),
        Err(err) => err.to_compile_error().into(),
    }
}

/// The selector of `dseqProgram()`, answered by every program.
const PROGRAM_INFO_SIGNATURE: &str = "dseqProgram()";

struct Args {
    program: usize,
    programs: Option<usize>,
    self_reentrant: bool,
    /// `reentry = "method"`: the method that accepts or refuses a re-entering call.
    reentry: Option<syn::Ident>,
}

fn parse_args(attr: TokenStream2) -> syn::Result<Args> {
    let metas = Punctuated::<Meta, Token![,]>::parse_terminated.parse2(attr)?;
    let (mut program, mut programs, mut self_reentrant, mut reentry) = (None, None, false, None);
    for meta in metas {
        if let Meta::NameValue(nv) = &meta {
            if nv.path.is_ident("reentry") {
                let Expr::Lit(syn::ExprLit { lit: Lit::Str(name), .. }) = &nv.value else {
                    return Err(syn::Error::new(nv.value.span(), "expected `reentry = \"method_name\"`"));
                };
                reentry = Some(name.parse::<syn::Ident>()?);
                continue;
            }
        }
        if let Meta::Path(path) = &meta {
            if path.is_ident("self_reentrant") {
                self_reentrant = true;
                continue;
            }
        }
        let Meta::NameValue(nv) = &meta else {
            return Err(syn::Error::new(meta.span(), "expected `program = K`, `programs = N` or `self_reentrant`"));
        };
        let value = match &nv.value {
            Expr::Lit(lit) => match &lit.lit {
                Lit::Int(int) => int.base10_parse::<usize>()?,
                other => return Err(syn::Error::new(other.span(), "expected an integer")),
            },
            other => return Err(syn::Error::new(other.span(), "expected an integer")),
        };
        if nv.path.is_ident("program") {
            program = Some(value);
        } else if nv.path.is_ident("programs") {
            programs = Some(value);
        } else {
            return Err(syn::Error::new(nv.path.span(), "unknown argument: expected `program` or `programs`"));
        }
    }
    let program = program.ok_or_else(|| syn::Error::new(Span::call_site(), "missing `program = K`"))?;
    match (program, programs) {
        (0, None) => Err(syn::Error::new(
            Span::call_site(),
            "the entry program needs the number of programs: `#[public(program = 0, programs = N)]`",
        )),
        (0, Some(0)) => Err(syn::Error::new(Span::call_site(), "`programs` must be at least 1")),
        (k, Some(_)) if k != 0 => {
            Err(syn::Error::new(Span::call_site(), "only the entry program (program = 0) takes `programs`"))
        }
        _ if self_reentrant && reentry.is_some() => {
            Err(syn::Error::new(Span::call_site(), "`self_reentrant` and `reentry` exclude each other"))
        }
        _ => Ok(Args { program, programs, self_reentrant, reentry }),
    }
}

/// How a method reads the contract.
#[derive(Clone, Copy, PartialEq)]
enum Receiver {
    Ref,
    Mut,
    None,
}

struct Method {
    ident: syn::Ident,
    sol_name: String,
    receiver: Receiver,
    payable: bool,
    constructor: bool,
    receive: bool,
    args: Vec<(syn::Ident, Type, String)>,
    outputs: Vec<String>,
    returns: Returns,
    /// The method's `#[cfg(...)]` attributes, repeated on everything generated for it, so a
    /// method compiled out (e.g. a view only a later version has) is also unrouted and absent
    /// from the ABI.
    cfgs: Vec<Attribute>,
}

/// What a method returns, which picks its encoder.
#[derive(Clone, Copy, PartialEq)]
enum Returns {
    Nothing,
    Value,
    Result,
}

fn returns_of(output: &ReturnType) -> Returns {
    match output {
        ReturnType::Default => Returns::Nothing,
        ReturnType::Type(_, ty) => match ty.as_ref() {
            Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "Result") => Returns::Result,
            Type::Tuple(t) if t.elems.is_empty() => Returns::Nothing,
            _ => Returns::Value,
        },
    }
}

impl Method {
    fn signature(&self) -> String {
        let types: Vec<&str> = self.args.iter().map(|(_, _, sol)| sol.as_str()).collect();
        format!("{}({})", self.sol_name, types.join(","))
    }

    fn mutability(&self) -> &'static str {
        match (self.receiver, self.payable) {
            (_, true) => "payable",
            (Receiver::Ref, _) => "view",
            (Receiver::None, _) => "pure",
            (Receiver::Mut, _) => "nonpayable",
        }
    }
}

fn selector(signature: &str) -> u32 {
    let mut hasher = Keccak::v256();
    hasher.update(signature.as_bytes());
    let mut digest = [0u8; 32];
    hasher.finalize(&mut digest);
    u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for (i, c) in name.chars().enumerate() {
        if c == '_' && i > 0 {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The Solidity name of a Rust argument or return type.
fn sol_type(ty: &Type) -> syn::Result<String> {
    let unsupported = || {
        syn::Error::new(
            ty.span(),
            "dseq_program: unsupported ABI type; use Address, U256, B256, B32 (bytes4), bool, u8, u16, u32, \
             u64, u128, Vec<u8> (bytes), String, Vec<Address>, Vec<U256> or Vec<Vec<u8>> (bytes[])",
        )
    };
    match ty {
        Type::Reference(r) => sol_type(&r.elem),
        Type::Path(path) => {
            let seg = path.path.segments.last().ok_or_else(unsupported)?;
            let name = seg.ident.to_string();
            let simple = match name.as_str() {
                "Address" => Some("address"),
                "U256" => Some("uint256"),
                "B256" => Some("bytes32"),
                "B32" | "Selector" => Some("bytes4"),
                "bool" => Some("bool"),
                "u8" | "U8" => Some("uint8"),
                "u16" => Some("uint16"),
                "u32" => Some("uint32"),
                "u64" | "U64" => Some("uint64"),
                "U48" => Some("uint48"),
                "u128" | "U128" => Some("uint128"),
                "Bytes" => Some("bytes"),
                "String" => Some("string"),
                _ => None,
            };
            if let Some(simple) = simple {
                return Ok(simple.to_owned());
            }
            if name == "Vec" {
                if let PathArguments::AngleBracketed(args) = &seg.arguments {
                    if let Some(GenericArgument::Type(inner)) = args.args.first() {
                        let inner = sol_type(inner)?;
                        return match inner.as_str() {
                            "uint8" => Ok("bytes".to_owned()),
                            "address" | "uint256" | "bytes32" | "bytes" => Ok(format!("{inner}[]")),
                            _ => Err(unsupported()),
                        };
                    }
                }
            }
            Err(unsupported())
        }
        _ => Err(unsupported()),
    }
}

/// The Solidity return types of a method (`Result<T, E>` returns `T`; tuples are flattened).
fn sol_outputs(output: &ReturnType) -> syn::Result<Vec<String>> {
    let ty = match output {
        ReturnType::Default => return Ok(Vec::new()),
        ReturnType::Type(_, ty) => ty.as_ref(),
    };
    let ty = match ty {
        Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "Result") => {
            let seg = path.path.segments.last().unwrap();
            match &seg.arguments {
                PathArguments::AngleBracketed(args) => match args.args.first() {
                    Some(GenericArgument::Type(ok)) => ok,
                    _ => return Err(syn::Error::new(seg.span(), "expected Result<T, E>")),
                },
                _ => return Err(syn::Error::new(seg.span(), "expected Result<T, E>")),
            }
        }
        other => other,
    };
    match ty {
        Type::Tuple(tuple) => {
            let types: Vec<String> = tuple.elems.iter().map(sol_type).collect::<syn::Result<_>>()?;
            if types.len() > 1 && types.iter().any(|t| is_dynamic(t)) {
                return Err(syn::Error::new(tuple.span(), "dseq_program returns dynamic types (bytes, string, arrays) only alone"));
            }
            Ok(types)
        }
        other => Ok(vec![sol_type(other)?]),
    }
}

fn is_dynamic(sol: &str) -> bool {
    sol == "bytes" || sol == "string" || sol.ends_with("[]")
}

/// What this crate's attributes on a method say.
struct MethodAttrs {
    constructor: bool,
    payable: bool,
    receive: bool,
    name: Option<String>,
    /// `#[returns("uint256,bytes")]`: the Solidity return types of a method whose Rust return
    /// type implements `dseq_program::abi::Words` itself (a struct, e.g. with `bytes` inside).
    returns: Option<Vec<String>>,
}

/// Takes this crate's attributes off a method and returns what they say.
fn take_attrs(attrs: &mut Vec<Attribute>) -> syn::Result<MethodAttrs> {
    let (mut constructor, mut payable, mut receive, mut name, mut returns) = (false, false, false, None, None);
    let mut kept = Vec::with_capacity(attrs.len());
    for attr in attrs.drain(..) {
        if attr.path().is_ident("constructor") {
            constructor = true;
        } else if attr.path().is_ident("payable") {
            payable = true;
        } else if attr.path().is_ident("receive") {
            receive = true;
        } else if attr.path().is_ident("selector") {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("name") {
                    let lit: syn::LitStr = meta.value()?.parse()?;
                    name = Some(lit.value());
                    Ok(())
                } else {
                    Err(meta.error("expected `name = \"...\"`"))
                }
            })?;
        } else if attr.path().is_ident("returns") {
            let lit: syn::LitStr = attr.parse_args()?;
            returns = Some(lit.value().split(',').map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect());
        } else if attr.path().is_ident("fallback") {
            return Err(syn::Error::new(
                attr.span(),
                "dseq_program routes by selector only: a fallback is not supported (a #[receive] is)",
            ));
        } else {
            kept.push(attr);
        }
    }
    *attrs = kept;
    Ok(MethodAttrs { constructor, payable, receive, name, returns })
}

fn expand(attr: TokenStream2, item: TokenStream2) -> syn::Result<TokenStream2> {
    let args = parse_args(attr)?;
    let mut block: ItemImpl = syn::parse2(item)?;
    if block.trait_.is_some() {
        return Err(syn::Error::new(block.span(), "#[dseq_program::public] goes on an inherent impl block"));
    }
    let self_ty = block.self_ty.clone();
    let k = args.program;

    let mut methods = Vec::new();
    for item in &mut block.items {
        let ImplItem::Fn(f) = item else { continue };
        let MethodAttrs { constructor, payable, receive, name, returns } = take_attrs(&mut f.attrs)?;
        let routed = matches!(f.vis, syn::Visibility::Public(_)) || constructor || receive;
        if !routed {
            continue;
        }
        let mut receiver = Receiver::None;
        let mut margs = Vec::new();
        for (i, input) in f.sig.inputs.iter().enumerate() {
            match input {
                FnArg::Receiver(r) => {
                    receiver = if r.mutability.is_some() { Receiver::Mut } else { Receiver::Ref };
                }
                FnArg::Typed(pt) => {
                    let ident = format_ident!("__arg{i}");
                    margs.push((ident, (*pt.ty).clone(), sol_type(&pt.ty)?));
                }
            }
        }
        let sol_name = name.unwrap_or_else(|| camel_case(&f.sig.ident.to_string()));
        let cfgs: Vec<Attribute> = f.attrs.iter().filter(|a| a.path().is_ident("cfg")).cloned().collect();
        if !cfgs.is_empty() && (constructor || receive) {
            return Err(syn::Error::new(f.sig.ident.span(), "a #[constructor] or #[receive] cannot be conditional: put the #[cfg] on a routed method"));
        }
        methods.push(Method {
            ident: f.sig.ident.clone(),
            sol_name,
            receiver,
            payable,
            constructor,
            receive,
            args: margs,
            outputs: match returns {
                Some(types) => types,
                None => sol_outputs(&f.sig.output)?,
            },
            returns: returns_of(&f.sig.output),
            cfgs,
        });
    }

    let constructors: Vec<&Method> = methods.iter().filter(|m| m.constructor).collect();
    if constructors.len() > 1 {
        return Err(syn::Error::new(block.span(), "a program has at most one #[constructor]"));
    }
    let receives: Vec<&Method> = methods.iter().filter(|m| m.receive).collect();
    if let Some(m) = receives.first() {
        if receives.len() > 1 || k != 0 {
            return Err(syn::Error::new(m.ident.span(), "only the entry program has a #[receive], and one at most"));
        }
        if m.constructor || !m.args.is_empty() || m.returns != Returns::Nothing || m.receiver == Receiver::None {
            return Err(syn::Error::new(m.ident.span(), "a #[receive] takes `&self` or `&mut self` only and returns nothing"));
        }
    }
    let routed: Vec<&Method> = methods.iter().filter(|m| !m.constructor && !m.receive).collect();
    let mut seen = std::collections::BTreeMap::new();
    for m in &routed {
        let sig = m.signature();
        let sel = selector(&sig);
        if sel == selector(PROGRAM_INFO_SIGNATURE) {
            return Err(syn::Error::new(m.ident.span(), "`dseqProgram()` is answered by dseq_program itself"));
        }
        if let Some(other) = seen.insert(sel, sig.clone()) {
            return Err(syn::Error::new(m.ident.span(), format!("selector of {sig} collides with {other}")));
        }
    }

    let rt = quote!(::dseq_program::__private);
    let call_of = |m: &Method| {
        let ident = &m.ident;
        let names = m.args.iter().map(|(n, _, _)| n);
        let call = match m.receiver {
            Receiver::None => quote!(Self::#ident(#(#names),*)),
            _ => quote!(Self::#ident(storage, #(#names),*)),
        };
        match m.returns {
            Returns::Nothing => quote!({ #call; ::dseq_program::abi::ok(()) }),
            Returns::Value => quote!(::dseq_program::abi::ok(#call)),
            Returns::Result => quote!(::dseq_program::abi::result(#call)),
        }
    };
    let decode_of = |m: &Method| {
        let lets = m.args.iter().enumerate().map(|(i, (name, ty, _))| {
            let head = i * 32;
            quote! {
                let #name = match <#ty as ::dseq_program::abi::Decode>::decode(input, #head) {
                    Some(value) => value,
                    None => return Some(Err(#rt::Vec::new())),
                };
            }
        });
        quote!(#(#lets)*)
    };
    let deny_of = |m: &Method| {
        if m.payable {
            quote!()
        } else {
            quote! {
                if #rt::has_value(storage) {
                    return Some(Err(#rt::Vec::new()));
                }
            }
        }
    };

    let arms = routed.iter().map(|m| {
        let sel = selector(&m.signature());
        let (deny, decode, call) = (deny_of(m), decode_of(m), call_of(m));
        let cfgs = &m.cfgs;
        quote! {
            #(#cfgs)*
            #sel => {
                #deny
                #decode
                Some(#call)
            }
        }
    });
    let owned = routed.iter().map(|m| {
        let (sel, cfgs) = (selector(&m.signature()), &m.cfgs);
        quote!(#(#cfgs)* #sel => true,)
    });
    let owns_body = quote!(match selector { #(#owned)* _ => false });
    let info_selector = selector(PROGRAM_INFO_SIGNATURE);

    let route_fn = format_ident!("__dseq_route_{k}");
    let owns_fn = format_ident!("__dseq_owns_{k}");
    let ctor_fn = format_ident!("__dseq_constructor_{k}");
    let entry_fn = format_ident!("program_{k}");
    let abi_const = format_ident!("__DSEQ_ABI_{k}");
    let feature = format!("program-{k}");

    let constructor_body = match constructors.first() {
        Some(m) => {
            let (deny, decode, call) = (deny_of(m), decode_of(m), call_of(m));
            quote! {
                let mut run = || -> Option<::stylus_sdk::ArbResult> {
                    #deny
                    if let Err(err) = ::stylus_sdk::stylus_core::ConstructorGuard::check_constructor_slot(storage) {
                        return Some(Err(err));
                    }
                    #decode
                    Some(#call)
                };
                run().unwrap_or_else(|| Err(#rt::Vec::new()))
            }
        }
        None => quote!({
            let _ = (storage, input);
            Err(#rt::Vec::new())
        }),
    };

    // Empty calldata runs the `#[receive]`; other calldata too short for a selector reverts.
    let no_selector = match receives.first() {
        Some(m) => {
            let ident = &m.ident;
            quote! {
                if input.is_empty() {
                    Self::#ident(&mut storage);
                    return Ok(#rt::Vec::new());
                }
                return Err(#rt::Vec::new());
            }
        }
        None => quote!(return Err(#rt::Vec::new());),
    };
    let reentry_check = if args.self_reentrant {
        quote! {
            if #rt::reentered_by_another(&storage) {
                return Err(#rt::Vec::new());
            }
        }
    } else if let Some(method) = &args.reentry {
        quote! {
            if #rt::reentered(&storage) && !Self::#method(&storage) {
                return Err(#rt::Vec::new());
            }
        }
    } else {
        quote!()
    };
    let entry_guard = !args.self_reentrant && args.reentry.is_none();

    let forwarding = match args.programs {
        Some(n) if n > 1 => {
            let checks = (1..n).map(|j| {
                let owns = format_ident!("__dseq_owns_{j}");
                quote!(if Self::#owns(selector) { return #rt::forward(&mut storage, #j, &input); })
            });
            quote!(#(#checks)*)
        }
        _ => quote!(),
    };

    let abi_entries = routed.iter().map(|m| {
        let sel = selector(&m.signature());
        let name = &m.sol_name;
        let inputs = m.args.iter().map(|(_, _, sol)| sol);
        let outputs = &m.outputs;
        let mutability = m.mutability();
        let cfgs = &m.cfgs;
        quote! {
            #(#cfgs)*
            ::dseq_program::AbiFunction {
                program: #k,
                selector: #sel,
                name: #name,
                inputs: &[#(#inputs),*],
                outputs: &[#(#outputs),*],
                mutability: #mutability,
            }
        }
    });
    let info_entry = (k == 0).then(|| {
        quote! {
            ::dseq_program::AbiFunction {
                program: 0,
                selector: #info_selector,
                name: "dseqProgram",
                inputs: &[],
                outputs: &["bytes32", "uint256", "uint256"],
                mutability: "view",
            },
        }
    });

    let entry_extras = match args.programs {
        Some(n) => {
            let all = (0..n).map(|j| format_ident!("__DSEQ_ABI_{j}"));
            quote! {
                unsafe impl ::stylus_sdk::stylus_core::storage::TopLevelStorage for #self_ty {}

                impl ::dseq_program::Programs for #self_ty {
                    const COUNT: usize = #n;
                }

                #[cfg(not(target_arch = "wasm32"))]
                impl #self_ty {
                    /// Every routed function of every program, for export-abi and the interface check.
                    pub const ABI: &'static [&'static [::dseq_program::AbiFunction]] = &[#(Self::#all),*];
                }
            }
        }
        None => quote!(),
    };

    // Program 0's feature is a crate default (so `cargo stylus` builds the entry): it yields to
    // any other program's feature, so `--features program-K` alone selects program K.
    let others: Vec<String> = match args.programs {
        Some(n) => (1..n).map(|j| format!("program-{j}")).collect(),
        None => Vec::new(),
    };
    let k_lit = k;
    Ok(quote! {
        #block

        impl #self_ty {
            #[doc(hidden)]
            #[inline(always)]
            #[allow(unused_variables, unreachable_code)]
            pub fn #route_fn(storage: &mut Self, selector: u32, input: &[u8]) -> Option<::stylus_sdk::ArbResult> {
                match selector {
                    #(#arms)*
                    #info_selector => Some(Ok(#rt::program_info::<Self>(#k_lit))),
                    _ => None,
                }
            }

            #[doc(hidden)]
            #[inline(always)]
            pub fn #owns_fn(selector: u32) -> bool {
                let _ = selector;
                #owns_body
            }

            #[doc(hidden)]
            #[inline(always)]
            #[allow(unused_variables, unreachable_code, clippy::redundant_closure_call)]
            pub fn #ctor_fn(storage: &mut Self, input: &[u8]) -> ::stylus_sdk::ArbResult {
                #constructor_body
            }

            /// Runs one call on this program: constructor, a routed selector, or (program 0)
            /// forwarding to the program that owns the selector. Unknown selectors revert empty.
            pub fn #entry_fn(input: #rt::Vec<u8>, host: ::stylus_sdk::host::VM) -> ::stylus_sdk::ArbResult {
                let mut storage = unsafe {
                    <Self as ::stylus_sdk::storage::StorageType>::new(#rt::U256::ZERO, 0, host)
                };
                // Empty calldata (the `#[receive]`) is accepted on re-entry too: a called
                // contract may refund value.
                let Some(selector) = #rt::selector(&input) else {
                    #no_selector
                };
                #reentry_check
                if selector == ::stylus_sdk::abi::CONSTRUCTOR_SELECTOR {
                    return Self::#ctor_fn(&mut storage, &input[4..]);
                }
                if let Some(result) = Self::#route_fn(&mut storage, selector, &input[4..]) {
                    return result;
                }
                #forwarding
                Err(#rt::Vec::new())
            }
        }

        #[cfg(not(target_arch = "wasm32"))]
        impl #self_ty {
            #[doc(hidden)]
            pub const #abi_const: &'static [::dseq_program::AbiFunction] = &[#info_entry #(#abi_entries),*];
        }

        #entry_extras

        /// The Stylus entry point of this program (built with the cargo feature of its index).
        #[cfg(all(target_arch = "wasm32", feature = #feature #(, not(feature = #others))*))]
        #[no_mangle]
        pub extern "C" fn user_entrypoint(len: usize) -> usize {
            #rt::user_entrypoint(len, #self_ty::#entry_fn, #entry_guard)
        }
    })
}
