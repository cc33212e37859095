//! # dseq-program: one contract address, several Stylus programs
//!
//! A Stylus program must fit in 24,576 bytes compressed, and the suite's contracts do not all
//! fit in one. This crate is how every dseq contract is split and served from one address:
//!
//! - **One crate, one storage layout.** A contract is one crate with one `#[storage]` struct.
//!   Its public functions sit in impl blocks marked [`public`]`(program = K)`; each block
//!   becomes the ABI router of program K, built for wasm with the cargo feature `program-K`.
//!   Every program reads and writes the same struct, and the layout is declared once with
//!   [`storage_layout!`], whose text is part of the build id every program reports.
//! - **Routing.** Program 0 is the contract's entry: the implementation behind its ERC-1967
//!   proxy. It answers its own selectors, and forwards a selector that program j owns to the
//!   address installed for program j, by `delegatecall`, so program j runs on the proxy's
//!   storage with the caller's `msg.sender`. The route table is generated from the impl
//!   blocks: adding a function to a program is all it takes to route it.
//! - **Safe installs** ([`table`]). Program addresses live in an ERC-7201 namespace of the
//!   proxy's storage, each tagged with the entry's build id. Installing checks that each
//!   address has code and declares itself program j of the same build (`dseqProgram()`), and
//!   is done by the entry program, which no install can remove. After a proxy upgrade to a new
//!   entry, the old programs' tags no longer match and forwarding refuses with
//!   `ProgramsNotInstalled` until the new set is installed, in the same transaction when the
//!   upgrade is `upgradeToAndCall(newEntry, installPrograms(...))`: the programs are swapped as
//!   one unit.
//! - **Lean ABI** ([`abi`]). One decoder per Solidity type instead of one per signature.
//! - **The interface check.** On the host, each program lists its functions ([`AbiFunction`]);
//!   [`print_abi`] prints their union as a Solidity interface for `dseq abi-check`, which
//!   compares it with the contract's one hand-written interface file.
#![cfg_attr(target_arch = "wasm32", no_std)]
extern crate alloc;

pub mod abi;
pub mod table;

#[cfg(not(target_arch = "wasm32"))]
mod export;
#[cfg(not(target_arch = "wasm32"))]
pub use export::{check_routes, print_abi, solidity_interface, AbiFunction};

pub use dseq_program_macros::public;
pub use table::Error;

/// What every program of a contract reports about its build (`dseqProgram()`).
pub trait Contract {
    /// The contract's name, e.g. `"locking-pool"`.
    const NAME: &'static str;
    /// The crate version (`env!("CARGO_PKG_VERSION")`).
    const VERSION: &'static str;
    /// The storage layout text from [`storage_layout!`].
    const LAYOUT: &'static str;
    /// `keccak256(NAME ++ "@" ++ VERSION ++ "\n" ++ LAYOUT)`: programs of one build answer the
    /// same id, so a program built from another version or layout is refused.
    const BUILD: [u8; 32] = stylus_sdk::keccak_const::Keccak256::new()
        .update(Self::NAME.as_bytes())
        .update(b"@")
        .update(Self::VERSION.as_bytes())
        .update(b"\n")
        .update(Self::LAYOUT.as_bytes())
        .finalize();
}

/// How many programs serve the contract (implemented by `#[public(program = 0, programs = N)]`).
pub trait Programs {
    const COUNT: usize;
}

/// Declares a contract's storage structs and `const $NAME: &str`, a text of the layout (each
/// struct's fields and types, in order, without comments) that goes into the build id.
///
/// ```text
/// dseq_program::storage_layout! {
///     pub const STORAGE_LAYOUT;
///     #[storage] pub struct State { pub owner: StorageAddress, pub total: StorageU256 }
/// }
/// ```
#[macro_export]
macro_rules! storage_layout {
    (
        $(#[$lmeta:meta])* $lvis:vis const $layout:ident;
        $( $(#[$meta:meta])* $vis:vis struct $name:ident {
            $( $(#[$fmeta:meta])* $fvis:vis $field:ident : $ty:ident $(< $($gen:ty),+ >)? ),* $(,)?
        } )*
    ) => {
        // Field types are matched as `Name<Args>` rather than `ty`: `#[storage]` must see a
        // plain path, not the opaque group a `ty` fragment becomes.
        $( $(#[$meta])* $vis struct $name { $( $(#[$fmeta])* $fvis $field: $ty $(< $($gen),+ >)? ),* } )*

        $(#[$lmeta])*
        $lvis const $layout: &str = concat!(
            $( "struct ", stringify!($name), " {\n", $( "    ", stringify!($field), ": ", stringify!($ty $(< $($gen),+ >)?), ",\n", )* "}\n", )*
        );
    };
}

/// Converts [`table::Error`] into a contract's error enum, whose variants `ProgramsNotInstalled`,
/// `ProgramCountMismatch`, `ProgramHasNoCode` and `ProgramMismatch` wrap the table's errors:
/// `dseq_program::from_table_errors!(Error);`.
#[macro_export]
macro_rules! from_table_errors {
    ($err:ident) => {
        impl From<$crate::table::Error> for $err {
            fn from(e: $crate::table::Error) -> Self {
                match e {
                    $crate::table::Error::NotInstalled(e) => Self::ProgramsNotInstalled(e),
                    $crate::table::Error::CountMismatch(e) => Self::ProgramCountMismatch(e),
                    $crate::table::Error::NoCode(e) => Self::ProgramHasNoCode(e),
                    $crate::table::Error::Mismatch(e) => Self::ProgramMismatch(e),
                }
            }
        }
    };
}

#[doc(hidden)]
pub mod __private {
    pub use alloc::vec::Vec;
    pub use alloy_primitives::U256;

    use stylus_sdk::{host::VM, prelude::*, ArbResult};

    use crate::{table, Contract, Programs};

    /// The 4-byte selector of `input`, if it has one.
    #[inline(always)]
    pub fn selector(input: &[u8]) -> Option<u32> {
        let head: [u8; 4] = input.get(..4)?.try_into().ok()?;
        Some(u32::from_be_bytes(head))
    }

    /// The call carries value (non-payable functions refuse it, as the SDK's router does).
    #[inline(never)]
    pub fn has_value<S: HostAccess>(storage: &S) -> bool {
        !storage.vm().msg_value().is_zero()
    }

    /// `dseqProgram()`: `(bytes32 build, uint256 index, uint256 programs)`.
    #[inline(never)]
    pub fn program_info<S: Contract + Programs>(index: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(96);
        crate::abi::push_word(&mut out, &S::BUILD);
        crate::abi::push_u128(&mut out, index as u128);
        crate::abi::push_u128(&mut out, S::COUNT as u128);
        out
    }

    /// Forwards the whole call to program `index` by `delegatecall`; its return or revert data
    /// is passed through unchanged.
    #[inline(never)]
    pub fn forward<S: HostAccess<Host = VM> + Contract>(storage: &mut S, index: usize, input: &[u8]) -> ArbResult {
        let program = table::program::<S, VM>(storage.vm(), index).map_err(Vec::<u8>::from)?;
        let host = storage.vm();
        host.flush_cache(true);
        // SAFETY: the program was checked at install to be a program of this contract's build,
        // over the same storage layout; no storage handle is alive across the call.
        unsafe { stylus_sdk::call::RawCall::new_delegate(host).call(program, input) }
    }

    /// The call re-enters the contract from another address: refused by `self_reentrant`
    /// programs, which accept re-entry only from their own address.
    #[inline(never)]
    pub fn reentered_by_another<S: HostAccess>(storage: &S) -> bool {
        let host = storage.vm();
        host.msg_reentrant() && host.msg_sender() != host.contract_address()
    }

    /// The call re-enters the contract (`reentry = "method"` programs ask the method whether
    /// to accept it).
    #[inline(never)]
    pub fn reentered<S: HostAccess>(storage: &S) -> bool {
        storage.vm().msg_reentrant()
    }

    /// The body of a program's `user_entrypoint`, as the SDK's `#[entrypoint]` writes it. With
    /// `guard`, any re-entry is refused before the program runs (the SDK's default); without,
    /// the router checks (`self_reentrant` programs).
    #[cfg(target_arch = "wasm32")]
    #[inline(always)]
    pub fn user_entrypoint(len: usize, program: fn(Vec<u8>, VM) -> ArbResult, guard: bool) -> usize {
        let host = VM { host: stylus_sdk::host::WasmVM {} };
        if guard && host.msg_reentrant() {
            return 1;
        }
        host.pay_for_memory_grow(0);
        let input = host.read_args(len);
        let (data, status) = match program(input, host.clone()) {
            Ok(data) => (data, 0),
            Err(data) => (data, 1),
        };
        host.flush_cache(false);
        host.write_result(&data);
        status
    }
}
