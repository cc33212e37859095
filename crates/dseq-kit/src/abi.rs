//! Compact ABI encoding of events and custom errors.
//!
//! `#[derive(SolidityError)]` and `LogAccess::log` monomorphize a full ABI encoder for every
//! error and event type: for a contract with forty errors and twenty events that is over 40 KB
//! of wasm, more than the Stylus size limit allows. Most events and errors of dseq have only
//! static fields (words) and `bytes` or `string`, so one shared encoder serves them all: each
//! call site only lists its fields. The few dynamic arrays (a governor's `ProposalCreated`
//! carries `address[]`, `uint256[]`, `string[]` and `bytes[]`) are encoded once by the small
//! encoders below ([`address_array`], [`u256_array`], [`bytes_array`]) and passed as a
//! [`Field::Tail`]. The output is byte-for-byte standard ABI encoding; tests decode every event
//! and error with the `sol!` types to prove it.
//!
//! - [`errors!`](crate::errors) declares a contract's error enum and its encoder.
//! - [`emit!`](crate::emit) emits an event given its indexed and data fields.

use alloc::vec::Vec;

use alloy_primitives::{Address, Bytes, B256, U256};
pub use alloy_sol_types::{SolError, SolEvent};
use stylus_sdk::prelude::*;

/// One ABI value of an event, error or call: a word, dynamic `bytes` (or `string`), or any
/// other dynamic value already encoded.
pub enum Field<'a> {
    /// A static value, already padded to 32 bytes.
    Word(B256),
    /// A `bytes` or `string` value.
    Bytes(&'a [u8]),
    /// A dynamic value's tail, already encoded (what its head offset points to: for an array,
    /// the length word and the elements), e.g. from [`address_array`] or [`bytes_array`]. Its
    /// length is a multiple of 32.
    Tail(&'a [u8]),
}

/// A value that encodes as an ABI [`Field`].
pub trait ToField {
    /// The value as a field.
    fn to_field(&self) -> Field<'_>;

    /// The value as a topic word (`bytes` values are hashed, as Solidity does for indexed ones).
    /// An indexed array's topic is not the hash of its ABI tail: arrays are never indexed here.
    fn to_word(&self) -> B256 {
        match self.to_field() {
            Field::Word(word) => word,
            Field::Bytes(bytes) => alloy_primitives::keccak256(bytes),
            Field::Tail(tail) => alloy_primitives::keccak256(tail),
        }
    }
}

impl ToField for B256 {
    #[inline(never)]
    fn to_field(&self) -> Field<'_> {
        Field::Word(*self)
    }
}

impl ToField for U256 {
    #[inline(never)]
    fn to_field(&self) -> Field<'_> {
        Field::Word(B256::from(*self))
    }
}

impl ToField for Address {
    #[inline(never)]
    fn to_field(&self) -> Field<'_> {
        Field::Word(self.into_word())
    }
}

impl ToField for bool {
    #[inline(never)]
    fn to_field(&self) -> Field<'_> {
        Field::Word(B256::with_last_byte(u8::from(*self)))
    }
}

impl ToField for u8 {
    #[inline(never)]
    fn to_field(&self) -> Field<'_> {
        Field::Word(B256::with_last_byte(*self))
    }
}

impl ToField for u16 {
    fn to_field(&self) -> Field<'_> {
        Field::Word(B256::from(U256::from(*self)))
    }
}

impl ToField for u32 {
    fn to_field(&self) -> Field<'_> {
        Field::Word(B256::from(U256::from(*self)))
    }
}

impl ToField for u64 {
    #[inline(never)]
    fn to_field(&self) -> Field<'_> {
        Field::Word(B256::from(U256::from(*self)))
    }
}

impl ToField for alloy_primitives::U64 {
    #[inline(never)]
    fn to_field(&self) -> Field<'_> {
        Field::Word(B256::from(U256::from(*self)))
    }
}

impl ToField for alloy_primitives::aliases::U48 {
    fn to_field(&self) -> Field<'_> {
        Field::Word(B256::from(U256::from(*self)))
    }
}

impl ToField for Bytes {
    fn to_field(&self) -> Field<'_> {
        Field::Bytes(self.as_ref())
    }
}

impl ToField for Vec<u8> {
    fn to_field(&self) -> Field<'_> {
        Field::Bytes(self)
    }
}

impl ToField for [u8] {
    fn to_field(&self) -> Field<'_> {
        Field::Bytes(self)
    }
}

/// `string` (encoded as `bytes` are).
impl ToField for str {
    fn to_field(&self) -> Field<'_> {
        Field::Bytes(self.as_bytes())
    }
}

/// `string`.
impl ToField for alloc::string::String {
    fn to_field(&self) -> Field<'_> {
        Field::Bytes(self.as_bytes())
    }
}

/// A dynamic value already encoded, as a [`Field::Tail`] (for [`emit!`](crate::emit)).
pub struct Tail(pub Vec<u8>);

impl ToField for Tail {
    fn to_field(&self) -> Field<'_> {
        Field::Tail(&self.0)
    }
}

/// Appends `n` as a word.
#[inline(never)]
fn push_len(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(B256::from(U256::from(n)).as_slice());
}

/// Appends `bytes` as a `bytes` tail: the length word, then the content padded to 32 bytes.
#[inline(never)]
fn push_bytes_tail(out: &mut Vec<u8>, bytes: &[u8]) {
    push_len(out, bytes.len());
    out.extend_from_slice(bytes);
    out.resize(out.len() + (32 - bytes.len() % 32) % 32, 0);
}

/// The padded size of a `bytes` tail of `len` bytes (length word included).
fn bytes_tail_len(len: usize) -> usize {
    32 + len.div_ceil(32) * 32
}

/// The tail of an `address[]`: the count, then one word per address.
#[inline(never)]
pub fn address_array(items: &[Address]) -> Vec<u8> {
    let mut out = Vec::with_capacity(32 + 32 * items.len());
    push_len(&mut out, items.len());
    for item in items {
        out.extend_from_slice(item.into_word().as_slice());
    }
    out
}

/// The tail of a `uint256[]`: the count, then one word per value.
#[inline(never)]
pub fn u256_array(items: &[U256]) -> Vec<u8> {
    let mut out = Vec::with_capacity(32 + 32 * items.len());
    push_len(&mut out, items.len());
    for item in items {
        out.extend_from_slice(&item.to_be_bytes::<32>());
    }
    out
}

/// The tail of a `bytes[]` (or a `string[]`, encoded alike): the count, one offset per element
/// (from the first offset word), then each element's length and padded content.
pub fn bytes_array<T: AsRef<[u8]>>(items: &[T]) -> Vec<u8> {
    let mut out = Vec::new();
    push_len(&mut out, items.len());
    let mut offset = 32 * items.len();
    for item in items {
        push_len(&mut out, offset);
        offset += bytes_tail_len(item.as_ref().len());
    }
    for item in items {
        push_bytes_tail(&mut out, item.as_ref());
    }
    out
}

/// The tail of a `string[]` of `n` empty strings (OpenZeppelin's `new string[](n)`).
#[inline(never)]
pub fn empty_string_array(n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(32 + 64 * n);
    push_len(&mut out, n);
    for i in 0..n {
        push_len(&mut out, 32 * n + 32 * i);
    }
    for _ in 0..n {
        push_len(&mut out, 0);
    }
    out
}

/// Appends the ABI encoding of the tuple `fields` (heads, then the tails of dynamic values).
pub fn encode_fields(out: &mut Vec<u8>, fields: &[Field<'_>]) {
    let mut tail_offset = 32 * fields.len();
    for field in fields {
        match field {
            Field::Word(word) => out.extend_from_slice(word.as_slice()),
            Field::Bytes(bytes) => {
                push_len(out, tail_offset);
                tail_offset += bytes_tail_len(bytes.len());
            }
            Field::Tail(tail) => {
                push_len(out, tail_offset);
                tail_offset += tail.len();
            }
        }
    }
    for field in fields {
        match field {
            Field::Word(_) => {}
            Field::Bytes(bytes) => push_bytes_tail(out, bytes),
            Field::Tail(tail) => out.extend_from_slice(tail),
        }
    }
}

/// Revert data of a custom error: its selector and ABI-encoded fields.
pub fn error_data(selector: [u8; 4], fields: &[Field<'_>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + 32 * fields.len());
    out.extend_from_slice(&selector);
    encode_fields(&mut out, fields);
    out
}

/// Calldata of a call whose arguments are all words or `bytes`: the selector and the fields,
/// encoded as [`error_data`] encodes an error (the same layout), without a generic encoder.
#[inline(always)]
pub fn call_data(selector: [u8; 4], fields: &[Field<'_>]) -> Vec<u8> {
    error_data(selector, fields)
}

/// Emits a log with `topics` (the event signature first) and ABI-encoded `data`.
pub fn emit_log<H: Host + ?Sized>(host: &H, topics: &[B256], data: &[Field<'_>]) {
    let mut encoded = Vec::with_capacity(32 * data.len());
    encode_fields(&mut encoded, data);
    // At most four topics by construction (`emit!` call sites), so this cannot fail.
    let _ = host.raw_log(topics, &encoded);
}

/// Emits an event through the shared encoder:
/// `emit!(self.vm(), Locked { indexed: [signer, id, owner], data: [amount, total] })`.
/// Fields are listed in the order the event declares them.
#[macro_export]
macro_rules! emit {
    ($host:expr, $event:ty { indexed: [$($topic:expr),* $(,)?], data: [$($field:expr),* $(,)?] $(,)? }) => {
        $crate::abi::emit_log(
            $host,
            &[<$event as $crate::abi::SolEvent>::SIGNATURE_HASH, $($crate::abi::ToField::to_word(&$topic)),*],
            &[$($crate::abi::ToField::to_field(&$field)),*],
        )
    };
}

/// Declares a contract's error enum, each variant wrapping a `sol!` error (or a plain struct
/// `as` one, see [`__error_sol!`]) and naming its fields in declaration order, with the compact
/// encoder as its revert data. On the host it also lists
/// every error's Solidity signature (`SIGNATURES`) for export-abi and the interface check.
#[macro_export]
macro_rules! errors {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident($ty:ty $(as $sol:ty)?) { $($field:ident),* $(,)? } ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant($ty), )*
        }

        impl From<$name> for alloc::vec::Vec<u8> {
            fn from(err: $name) -> Self {
                match err {
                    $( $name::$variant(e) => $crate::abi::error_data(
                        <$crate::__error_sol!($ty $(, $sol)?) as $crate::abi::SolError>::SELECTOR,
                        &[$($crate::abi::ToField::to_field(&e.$field)),*],
                    ), )*
                }
            }
        }

        #[cfg(not(target_arch = "wasm32"))]
        impl $name {
            /// Every error's Solidity signature, e.g. `NoSuchSeq(uint256)`.
            pub const SIGNATURES: &'static [&'static str] =
                &[$( <$crate::__error_sol!($ty $(, $sol)?) as $crate::abi::SolError>::SIGNATURE ),*];
        }
    };
}

/// The `sol!` error a variant of [`errors!`] encodes as: `Variant(Ty)` encodes as `Ty`;
/// `Variant(Lean as Sol)` holds a plain struct (`bytes` as `Vec<u8>`, which keeps the `bytes`
/// crate out of the wasm) and encodes as `Sol`.
#[doc(hidden)]
#[macro_export]
macro_rules! __error_sol {
    ($ty:ty) => { $ty };
    ($ty:ty, $sol:ty) => { $sol };
}

/// Converts the errors of the kit's components into a contract's error enum, whose variants
/// carry OpenZeppelin's names: `from_kit_errors!(Error: initializable, token, ecdsa, nonces)`.
/// Each component listed needs the variants it produces (`access`: the five
/// `AccessControl...` errors; `pausable`: `EnforcedPause`, `ExpectedPause`; `initializable`:
/// `InvalidInitialization`; `token`: `TokenCallFailed`; `ecdsa`: the three `ECDSAInvalid...`;
/// `nonces`: `InvalidAccountNonce`).
#[macro_export]
macro_rules! from_kit_errors {
    ($err:ident: $($component:ident),* $(,)?) => { $( $crate::__from_kit_error!($err, $component); )* };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __from_kit_error {
    ($err:ident, access) => {
        impl From<$crate::access::Error> for $err {
            fn from(e: $crate::access::Error) -> Self {
                use $crate::access::Error as E;
                match e {
                    E::UnauthorizedAccount(e) => Self::AccessControlUnauthorizedAccount(e),
                    E::BadConfirmation(e) => Self::AccessControlBadConfirmation(e),
                    E::InvalidDefaultAdmin(e) => Self::AccessControlInvalidDefaultAdmin(e),
                    E::EnforcedDefaultAdminRules(e) => Self::AccessControlEnforcedDefaultAdminRules(e),
                    E::EnforcedDefaultAdminDelay(e) => Self::AccessControlEnforcedDefaultAdminDelay(e),
                }
            }
        }
    };
    ($err:ident, pausable) => {
        impl From<$crate::pausable::Error> for $err {
            fn from(e: $crate::pausable::Error) -> Self {
                match e {
                    $crate::pausable::Error::EnforcedPause(e) => Self::EnforcedPause(e),
                    $crate::pausable::Error::ExpectedPause(e) => Self::ExpectedPause(e),
                }
            }
        }
    };
    ($err:ident, initializable) => {
        impl From<$crate::initializable::Error> for $err {
            fn from(e: $crate::initializable::Error) -> Self {
                match e {
                    $crate::initializable::Error::InvalidInitialization(e) => Self::InvalidInitialization(e),
                }
            }
        }
    };
    ($err:ident, token) => {
        impl From<$crate::token::Error> for $err {
            fn from(e: $crate::token::Error) -> Self {
                match e {
                    $crate::token::Error::TokenCallFailed(e) => Self::TokenCallFailed(e),
                }
            }
        }
    };
    ($err:ident, ecdsa) => {
        impl From<$crate::ecdsa::Error> for $err {
            fn from(e: $crate::ecdsa::Error) -> Self {
                match e {
                    $crate::ecdsa::Error::InvalidSignature(e) => Self::ECDSAInvalidSignature(e),
                    $crate::ecdsa::Error::InvalidSignatureLength(e) => Self::ECDSAInvalidSignatureLength(e),
                    $crate::ecdsa::Error::InvalidSignatureS(e) => Self::ECDSAInvalidSignatureS(e),
                }
            }
        }
    };
    ($err:ident, nonces) => {
        impl From<$crate::nonces::InvalidAccountNonce> for $err {
            fn from(e: $crate::nonces::InvalidAccountNonce) -> Self {
                Self::InvalidAccountNonce(e)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_sol_types::{sol, SolEvent};

    sol! {
        #[derive(Debug, PartialEq)]
        error Mixed(address who, uint256 amount, bytes reason, bool flag, bytes more);
        #[derive(Debug, PartialEq)]
        event Happened(address indexed who, uint256 indexed id, uint64 at, bytes data, uint8 code);
    }

    #[test]
    fn errors_encode_like_alloy() {
        let who = Address::repeat_byte(0x11);
        let reason = Bytes::from(vec![1u8, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33]);
        let more = Bytes::new();
        let expected = Mixed { who, amount: U256::from(77), reason: reason.clone(), flag: true, more: more.clone() };
        let ours = error_data(
            Mixed::SELECTOR,
            &[who.to_field(), U256::from(77).to_field(), reason.to_field(), true.to_field(), more.to_field()],
        );
        assert_eq!(ours, expected.abi_encode());
    }

    sol! {
        #[derive(Debug, PartialEq)]
        event Proposed(uint256 id, address proposer, address[] targets, uint256[] values, string[] signatures, bytes[] calldatas, uint256 start, string description);
        #[derive(Debug, PartialEq)]
        function scheduleBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt, uint256 delay);
    }

    #[test]
    fn arrays_and_strings_encode_like_alloy() {
        use alloy_sol_types::SolCall;
        let targets = vec![Address::repeat_byte(1), Address::repeat_byte(2), Address::ZERO];
        let values = vec![U256::ZERO, U256::MAX, U256::from(7)];
        let calldatas: Vec<Vec<u8>> = vec![vec![], vec![0xab; 31], vec![0xcd; 33]];
        let description = "A proposal\n#proposer=0x0000000000000000000000000000000000000001 é";
        let event = Proposed {
            id: U256::from(42),
            proposer: Address::repeat_byte(9),
            targets: targets.clone(),
            values: values.clone(),
            signatures: vec![String::new(); 3],
            calldatas: calldatas.iter().cloned().map(Bytes::from).collect(),
            start: U256::from(5),
            description: description.into(),
        };
        let mut data = Vec::new();
        encode_fields(
            &mut data,
            &[
                U256::from(42).to_field(),
                Address::repeat_byte(9).to_field(),
                Tail(address_array(&targets)).to_field(),
                Field::Tail(&u256_array(&values)),
                Field::Tail(&empty_string_array(3)),
                Field::Tail(&bytes_array(&calldatas)),
                U256::from(5).to_field(),
                description.to_field(),
            ],
        );
        assert_eq!(data, event.encode_log_data().data.to_vec());
        let strings = ["", "x", &"y".repeat(70)];
        assert_eq!(bytes_array(&strings[..1]), empty_string_array(1));
        assert_eq!(bytes_array::<&str>(&[]), empty_string_array(0));
        let mut lone = Vec::new();
        encode_fields(&mut lone, &[Field::Tail(&bytes_array(&strings))]);
        assert_eq!(lone, alloy_sol_types::SolValue::abi_encode(&strings.map(String::from).to_vec()));

        let call = scheduleBatchCall {
            targets: targets.clone(),
            values: values.clone(),
            payloads: calldatas.iter().cloned().map(Bytes::from).collect(),
            predecessor: B256::ZERO,
            salt: B256::repeat_byte(3),
            delay: U256::from(86_400),
        };
        let ours = call_data(
            scheduleBatchCall::SELECTOR,
            &[
                Field::Tail(&address_array(&targets)),
                Field::Tail(&u256_array(&values)),
                Field::Tail(&bytes_array(&calldatas)),
                B256::ZERO.to_field(),
                B256::repeat_byte(3).to_field(),
                U256::from(86_400).to_field(),
            ],
        );
        assert_eq!(ours, call.abi_encode());
        for n in 0..4 {
            assert_eq!(empty_string_array(n), bytes_array(&vec![""; n]));
        }
    }

    #[test]
    fn event_data_and_topics_encode_like_alloy() {
        let event = Happened { who: Address::repeat_byte(7), id: U256::from(3), at: 99, data: Bytes::from(vec![9u8; 40]), code: 4 };
        let log = event.encode_log_data();
        let mut data = Vec::new();
        encode_fields(&mut data, &[99u64.to_field(), event.data.to_field(), 4u8.to_field()]);
        assert_eq!(data, log.data.to_vec());
        let topics = [Happened::SIGNATURE_HASH, event.who.to_word(), event.id.to_word()];
        assert_eq!(&topics[..], log.topics());
    }
}
