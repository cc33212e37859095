//! Lean ABI decoding of arguments and encoding of return values.
//!
//! The SDK's `#[public]` decodes each function's arguments with alloy's generic tuple decoder,
//! monomorphized once per signature, and encodes returns the same way: about 1 KiB of wasm per
//! function. The suite's functions take words (addresses, integers, booleans, hashes) and
//! occasionally `bytes`, `bytes[]`, `address[]` or `uint256[]`, so one small function per
//! Solidity type does the work for every signature. The rules are the ABI's strict ones, as alloy's validating decoder
//! applies them: a word that does not fit its type (an address with dirty high bytes, a `bool`
//! other than 0 or 1, a `uint64` above 2^64 - 1), truncated calldata or an offset out of range
//! make the call revert with empty data, as Solidity does. Trailing calldata is ignored.

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, B256, U128, U256, U64, U8};
use stylus_sdk::ArbResult;

/// A value decoded from calldata, given the calldata after the selector and the offset of its
/// head word.
pub trait Decode: Sized {
    /// The value, or `None` when the calldata is not a valid encoding of it.
    fn decode(input: &[u8], head: usize) -> Option<Self>;
}

/// The 32-byte word at `at`, if the calldata holds it.
#[inline(never)]
pub fn word(input: &[u8], at: usize) -> Option<&[u8; 32]> {
    input.get(at..at.checked_add(32)?)?.try_into().ok()
}

/// The word at `at` as an unsigned integer of `bytes` bytes (at most 16).
#[inline(never)]
fn small(input: &[u8], at: usize, bytes: usize) -> Option<u128> {
    let w = word(input, at)?;
    if w[..32 - bytes].iter().any(|b| *b != 0) {
        return None;
    }
    let mut low = [0u8; 16];
    low.copy_from_slice(&w[16..]);
    Some(u128::from_be_bytes(low))
}

/// The offset word at `head` and the length word it points to: `(start of data, length)`.
#[inline(never)]
fn dynamic(input: &[u8], head: usize, element: usize) -> Option<(usize, usize)> {
    let offset = usize::try_from(small(input, head, 8)?).ok()?;
    let len = usize::try_from(small(input, offset, 8)?).ok()?;
    let start = offset.checked_add(32)?;
    let end = start.checked_add(len.checked_mul(element)?)?;
    (end <= input.len()).then_some((start, len))
}

impl Decode for U256 {
    fn decode(input: &[u8], head: usize) -> Option<Self> {
        word(input, head).map(|w| U256::from_be_bytes(*w))
    }
}

impl Decode for B256 {
    fn decode(input: &[u8], head: usize) -> Option<Self> {
        word(input, head).map(|w| B256::from(*w))
    }
}

impl Decode for Address {
    fn decode(input: &[u8], head: usize) -> Option<Self> {
        let w = word(input, head)?;
        w[..12].iter().all(|b| *b == 0).then(|| Address::from_slice(&w[12..]))
    }
}

impl Decode for bool {
    fn decode(input: &[u8], head: usize) -> Option<Self> {
        match small(input, head, 1)? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

macro_rules! decode_small {
    ($($ty:ty => $bytes:expr),*) => {$(
        impl Decode for $ty {
            fn decode(input: &[u8], head: usize) -> Option<Self> {
                small(input, head, $bytes).map(|v| v as $ty)
            }
        }
    )*};
}
decode_small!(u8 => 1, u16 => 2, u32 => 4, u64 => 8, u128 => 16);

impl Decode for U64 {
    fn decode(input: &[u8], head: usize) -> Option<Self> {
        u64::decode(input, head).map(U64::from)
    }
}

impl Decode for alloy_primitives::aliases::U48 {
    fn decode(input: &[u8], head: usize) -> Option<Self> {
        small(input, head, 6).map(|v| Self::from(v as u64))
    }
}

impl Decode for U8 {
    fn decode(input: &[u8], head: usize) -> Option<Self> {
        u8::decode(input, head).map(U8::from)
    }
}

/// `bytes`.
impl Decode for Vec<u8> {
    fn decode(input: &[u8], head: usize) -> Option<Self> {
        let (start, len) = dynamic(input, head, 1)?;
        Some(input[start..start + len].to_vec())
    }
}

/// `string`: its bytes, which must be UTF-8 (calldata that is not is refused like any other
/// invalid encoding; Solidity itself would accept it).
impl Decode for String {
    fn decode(input: &[u8], head: usize) -> Option<Self> {
        String::from_utf8(Vec::<u8>::decode(input, head)?).ok()
    }
}

/// `bytes4`: left-aligned, the 28 bytes after it zero (alloy's validating decoder's rule).
impl Decode for alloy_primitives::FixedBytes<4> {
    fn decode(input: &[u8], head: usize) -> Option<Self> {
        let w = word(input, head)?;
        w[4..].iter().all(|b| *b == 0).then(|| Self::from_slice(&w[..4]))
    }
}

/// `address[]`.
impl Decode for Vec<Address> {
    fn decode(input: &[u8], head: usize) -> Option<Self> {
        let (start, len) = dynamic(input, head, 32)?;
        let tail = &input[start..];
        (0..len).map(|i| Address::decode(tail, 32 * i)).collect()
    }
}

/// `uint256[]`.
impl Decode for Vec<U256> {
    fn decode(input: &[u8], head: usize) -> Option<Self> {
        let (start, len) = dynamic(input, head, 32)?;
        let tail = &input[start..];
        (0..len).map(|i| U256::decode(tail, 32 * i)).collect()
    }
}

/// `bytes[]`: a count, then one offset per element (relative to the first offset word), each
/// pointing at that element's length and data. Offsets may point anywhere in the array's
/// tail, but the elements together may not hold more bytes than the calldata does: a valid
/// encoding never does, and aliased elements cannot make one small calldata decode into an
/// arbitrarily large value.
impl Decode for Vec<Vec<u8>> {
    fn decode(input: &[u8], head: usize) -> Option<Self> {
        let (start, len) = dynamic(input, head, 32)?;
        let tail = &input[start..];
        let mut budget = input.len();
        let mut out = Vec::with_capacity(len);
        for i in 0..len {
            let (from, n) = dynamic(tail, 32 * i, 1)?;
            budget = budget.checked_sub(n)?;
            out.push(tail[from..from + n].to_vec());
        }
        Some(out)
    }
}

/// Values written as return data.
pub trait Words {
    /// Appends the value's ABI encoding. Dynamic values (`bytes`, `string`, arrays) write their
    /// whole encoding, offset word included, so they may only be returned alone.
    fn write(&self, out: &mut Vec<u8>);
}

/// Appends one word.
#[inline(never)]
pub fn push_word(out: &mut Vec<u8>, word: &[u8; 32]) {
    out.extend_from_slice(word);
}

/// Appends an unsigned integer as a word.
#[inline(never)]
pub fn push_u128(out: &mut Vec<u8>, value: u128) {
    let mut w = [0u8; 32];
    w[16..].copy_from_slice(&value.to_be_bytes());
    push_word(out, &w);
}

/// Appends `bytes`/`string` data: offset, length, padded content.
#[inline(never)]
fn push_bytes(out: &mut Vec<u8>, data: &[u8]) {
    push_u128(out, 32);
    push_u128(out, data.len() as u128);
    out.extend_from_slice(data);
    out.resize(out.len() + (32 - data.len() % 32) % 32, 0);
}

impl Words for () {
    fn write(&self, _: &mut Vec<u8>) {}
}

impl Words for U256 {
    fn write(&self, out: &mut Vec<u8>) {
        push_word(out, &self.to_be_bytes::<32>());
    }
}

impl Words for B256 {
    fn write(&self, out: &mut Vec<u8>) {
        push_word(out, &self.0);
    }
}

impl Words for Address {
    fn write(&self, out: &mut Vec<u8>) {
        push_word(out, &self.into_word().0);
    }
}

impl Words for bool {
    fn write(&self, out: &mut Vec<u8>) {
        push_u128(out, u128::from(*self));
    }
}

macro_rules! words_small {
    ($($ty:ty),*) => {$(
        impl Words for $ty {
            fn write(&self, out: &mut Vec<u8>) {
                push_u128(out, *self as u128);
            }
        }
    )*};
}
words_small!(u8, u16, u32, u64, u128);

impl Words for U64 {
    fn write(&self, out: &mut Vec<u8>) {
        push_u128(out, self.to::<u128>());
    }
}

impl Words for alloy_primitives::aliases::U48 {
    fn write(&self, out: &mut Vec<u8>) {
        push_u128(out, self.to::<u128>());
    }
}

impl Words for U8 {
    fn write(&self, out: &mut Vec<u8>) {
        push_u128(out, self.to::<u128>());
    }
}

impl Words for U128 {
    fn write(&self, out: &mut Vec<u8>) {
        push_u128(out, self.to::<u128>());
    }
}

impl Words for alloy_primitives::FixedBytes<4> {
    fn write(&self, out: &mut Vec<u8>) {
        let mut w = [0u8; 32];
        w[..4].copy_from_slice(&self.0);
        push_word(out, &w);
    }
}

impl Words for Vec<u8> {
    fn write(&self, out: &mut Vec<u8>) {
        push_bytes(out, self);
    }
}

impl Words for String {
    fn write(&self, out: &mut Vec<u8>) {
        push_bytes(out, self.as_bytes());
    }
}

impl Words for Vec<Address> {
    fn write(&self, out: &mut Vec<u8>) {
        push_u128(out, 32);
        push_u128(out, self.len() as u128);
        for address in self {
            address.write(out);
        }
    }
}

impl Words for Vec<U256> {
    fn write(&self, out: &mut Vec<u8>) {
        push_u128(out, 32);
        push_u128(out, self.len() as u128);
        for value in self {
            value.write(out);
        }
    }
}

macro_rules! words_tuple {
    ($($name:ident),+) => {
        impl<$($name: Words),+> Words for ($($name,)+) {
            #[allow(non_snake_case)]
            fn write(&self, out: &mut Vec<u8>) {
                let ($($name,)+) = self;
                $($name.write(out);)+
            }
        }
    };
}
words_tuple!(A);
words_tuple!(A, B);
words_tuple!(A, B, C);
words_tuple!(A, B, C, D);
words_tuple!(A, B, C, D, E);
words_tuple!(A, B, C, D, E, F);
words_tuple!(A, B, C, D, E, F, G);
words_tuple!(A, B, C, D, E, F, G, H);
words_tuple!(A, B, C, D, E, F, G, H, I);
words_tuple!(A, B, C, D, E, F, G, H, I, J);
words_tuple!(A, B, C, D, E, F, G, H, I, J, K);
words_tuple!(A, B, C, D, E, F, G, H, I, J, K, L);
words_tuple!(A, B, C, D, E, F, G, H, I, J, K, L, M);

/// Return data of a function returning a plain value.
pub fn ok<T: Words>(value: T) -> ArbResult {
    let mut out = Vec::new();
    value.write(&mut out);
    Ok(out)
}

/// Return or revert data of a function returning `Result`.
pub fn result<T: Words, E: Into<Vec<u8>>>(value: Result<T, E>) -> ArbResult {
    match value {
        Ok(value) => ok(value),
        Err(err) => Err(err.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, Bytes};
    use alloy_sol_types::{sol_data, SolType, SolValue};
    use proptest::prelude::*;


    #[test]
    fn words_decode_as_alloy_encodes_them() {
        let who = address!("00000000000000000000000000000000000a11ce");
        let data = (who, U256::from(7), true, 9u64, B256::repeat_byte(3), 200u16).abi_encode_params();
        assert_eq!(Address::decode(&data, 0), Some(who));
        assert_eq!(U256::decode(&data, 32), Some(U256::from(7)));
        assert_eq!(bool::decode(&data, 64), Some(true));
        assert_eq!(u64::decode(&data, 96), Some(9));
        assert_eq!(B256::decode(&data, 128), Some(B256::repeat_byte(3)));
        assert_eq!(u8::decode(&data, 160), Some(200));
        assert_eq!(u16::decode(&data, 160), Some(200));
        assert_eq!(U256::decode(&data, 192), None, "past the end");
    }

    #[test]
    fn dirty_words_are_rejected_like_alloy_validate() {
        let mut dirty_address = [0u8; 32];
        dirty_address[0] = 1;
        dirty_address[31] = 2;
        assert_eq!(Address::decode(&dirty_address, 0), None);
        assert!(<sol_data::Address as SolType>::abi_decode_validate(&dirty_address).is_err());

        let two = U256::from(2).to_be_bytes::<32>();
        assert_eq!(bool::decode(&two, 0), None);
        assert!(<sol_data::Bool as SolType>::abi_decode_validate(&two).is_err());

        let big = (U256::from(u64::MAX) + U256::from(1)).to_be_bytes::<32>();
        assert_eq!(u64::decode(&big, 0), None);
        assert!(<sol_data::Uint<64> as SolType>::abi_decode_validate(&big).is_err());
        assert_eq!(u8::decode(&U256::from(256).to_be_bytes::<32>(), 0), None);
    }

    #[test]
    fn bytes_and_address_arrays_decode_as_alloy_encodes_them() {
        let proof = Bytes::from(vec![7u8; 65]);
        let list = vec![Address::repeat_byte(1), Address::repeat_byte(2)];
        let data = (U256::from(5), proof.clone(), list.clone()).abi_encode_params();
        assert_eq!(U256::decode(&data, 0), Some(U256::from(5)));
        assert_eq!(Vec::<u8>::decode(&data, 32), Some(proof.to_vec()));
        assert_eq!(Vec::<Address>::decode(&data, 64), Some(list));
    }

    #[test]
    fn strings_and_bytes4_decode_as_alloy_encodes_them() {
        use alloy_primitives::FixedBytes;
        let text = String::from("Proposal #1: raise the quorum \u{e9}\u{1f5f3}\n#proposer=0x00");
        let data = (U256::from(1), text.clone(), FixedBytes::<4>::from([1, 2, 3, 4])).abi_encode_params();
        assert_eq!(String::decode(&data, 32), Some(text.clone()));
        assert_eq!(FixedBytes::<4>::decode(&data, 64), Some(FixedBytes::from([1, 2, 3, 4])));
        assert_eq!(ok(FixedBytes::<4>::from([1, 2, 3, 4])).unwrap(), FixedBytes::<4>::from([1, 2, 3, 4]).abi_encode());
        let empty = (String::new(),).abi_encode_params();
        assert_eq!(String::decode(&empty, 0), Some(String::new()));
        let invalid = (Bytes::from(vec![b'a', 0xff, 0xfe]),).abi_encode_params();
        assert_eq!(String::decode(&invalid, 0), None, "invalid UTF-8 is refused (Solidity would take it)");
        let mut dirty = FixedBytes::<4>::from([9, 9, 9, 9]).abi_encode();
        dirty[31] = 1;
        assert_eq!(FixedBytes::<4>::decode(&dirty, 0), None);
        assert!(<sol_data::FixedBytes<4> as SolType>::abi_decode_validate(&dirty).is_err());
    }

    #[test]
    fn out_of_range_offsets_and_lengths_are_rejected() {
        let data = (Bytes::from(vec![1u8; 40]),).abi_encode_params();
        let mut bad_offset = data.clone();
        bad_offset[31] = 0xff;
        assert_eq!(Vec::<u8>::decode(&bad_offset, 0), None);
        let mut bad_len = data.clone();
        bad_len[63] = 0xff;
        assert_eq!(Vec::<u8>::decode(&bad_len, 0), None);
        let mut huge_len = data;
        huge_len[32..64].copy_from_slice(&[0xff; 32]);
        assert_eq!(Vec::<u8>::decode(&huge_len, 0), None);
        let mut huge_count = (vec![Address::ZERO],).abi_encode_params();
        huge_count[32..56].copy_from_slice(&[0; 24]);
        huge_count[56..64].copy_from_slice(&[0xff; 8]);
        assert_eq!(Vec::<Address>::decode(&huge_count, 0), None);
    }

    #[test]
    fn bytes_and_uint_arrays_decode_as_alloy_encodes_them() {
        let payloads = vec![vec![], vec![1u8; 31], vec![2u8; 32], vec![3u8; 33]];
        let values = vec![U256::ZERO, U256::MAX, U256::from(7)];
        let sol: Vec<Bytes> = payloads.iter().cloned().map(Bytes::from).collect();
        let data = (values.clone(), sol, B256::repeat_byte(9)).abi_encode_params();
        assert_eq!(Vec::<U256>::decode(&data, 0), Some(values));
        assert_eq!(Vec::<Vec<u8>>::decode(&data, 32), Some(payloads));
        assert_eq!(B256::decode(&data, 64), Some(B256::repeat_byte(9)));
        let empty = (Vec::<U256>::new(), Vec::<Bytes>::new()).abi_encode_params();
        assert_eq!(Vec::<U256>::decode(&empty, 0), Some(vec![]));
        assert_eq!(Vec::<Vec<u8>>::decode(&empty, 32), Some(vec![]));
    }

    #[test]
    fn malformed_bytes_arrays_are_rejected() {
        // (bytes[]): offset 0x20, count 2, element offsets 0x40 and 0x80, then two elements.
        let data = (vec![Bytes::from(vec![1u8; 5]), Bytes::from(vec![2u8; 40])],).abi_encode_params();
        assert_eq!(Vec::<Vec<u8>>::decode(&data, 0), Some(vec![vec![1u8; 5], vec![2u8; 40]]));
        let set = |at: usize, word: [u8; 32]| {
            let mut bad = data.clone();
            bad[at..at + 32].copy_from_slice(&word);
            bad
        };
        let number = |n: u128| U256::from(n).to_be_bytes::<32>();
        for (at, word, what) in [
            (0, number(u64::MAX as u128), "array offset past the end"),
            (0, [0xff; 32], "array offset above 2^64"),
            (32, number(8), "a count whose offsets do not fit"),
            (32, [0xff; 32], "a huge count"),
            (32, number(u64::MAX as u128 / 32 + 1), "a count whose size wraps"),
            (64, number(data.len() as u128), "an element offset past the end"),
            (64, [0xff; 32], "a huge element offset"),
            (128, number(129), "an element length past the end"),
            (128, [0xff; 32], "a huge element length"),
            (128, number(u64::MAX as u128), "an element length near 2^64"),
        ] {
            assert_eq!(Vec::<Vec<u8>>::decode(&set(at, word), 0), None, "{what}");
        }
        // The last element's 40 bytes are padded to 64: cut one byte of the data itself.
        assert_eq!(Vec::<Vec<u8>>::decode(&data[..data.len() - 25], 0), None, "truncated");

        // Many elements aliasing one large element: more bytes than the calldata holds.
        let mut aliased = Vec::new();
        let count = 40usize;
        for word in [32, count] {
            aliased.extend_from_slice(&number(word as u128));
        }
        for _ in 0..count {
            aliased.extend_from_slice(&number(32 * count as u128));
        }
        aliased.extend_from_slice(&number(1000));
        aliased.extend_from_slice(&[7u8; 1000]);
        assert_eq!(Vec::<Vec<u8>>::decode(&aliased, 0), None, "aliased elements beyond the calldata size");
        // Two aliases of a small element are still within the calldata: accepted, as alloy does.
        let mut twice = Vec::new();
        for word in [32u128, 2, 64, 64, 3] {
            twice.extend_from_slice(&number(word));
        }
        twice.extend_from_slice(&[5u8; 32]);
        assert_eq!(Vec::<Vec<u8>>::decode(&twice, 0), Some(vec![vec![5u8; 3], vec![5u8; 3]]));
    }

    #[test]
    fn malformed_uint_arrays_are_rejected() {
        let data = (vec![U256::from(1), U256::from(2)],).abi_encode_params();
        assert_eq!(Vec::<U256>::decode(&data, 0), Some(vec![U256::from(1), U256::from(2)]));
        let mut long = data.clone();
        long[63] = 3;
        assert_eq!(Vec::<U256>::decode(&long, 0), None, "a count past the end");
        let mut huge = data.clone();
        huge[32..64].copy_from_slice(&[0xff; 32]);
        assert_eq!(Vec::<U256>::decode(&huge, 0), None, "a huge count");
        let mut wraps = data;
        wraps[32..64].copy_from_slice(&U256::from(u64::MAX / 32 + 1).to_be_bytes::<32>());
        assert_eq!(Vec::<U256>::decode(&wraps, 0), None, "a count whose size wraps");
    }

    #[test]
    fn returns_encode_like_alloy() {
        let who = Address::repeat_byte(9);
        let tuple = (U256::from(1), who, who, who, 2u16, 3u64, 4u64, 5u64, 6u64, 7u64);
        assert_eq!(ok(tuple).unwrap(), tuple.abi_encode_params());
        assert_eq!(ok(2u8).unwrap(), 2u16.abi_encode());
        assert_eq!(ok(true).unwrap(), true.abi_encode());
        assert_eq!(ok(()).unwrap(), Vec::<u8>::new());
        let list = vec![who, Address::ZERO];
        assert_eq!(ok(list.clone()).unwrap(), list.abi_encode());
        let text = String::from("mode=timestamp&from=default");
        assert_eq!(ok(text.clone()).unwrap(), text.abi_encode());
        let data = vec![5u8; 33];
        assert_eq!(ok(data.clone()).unwrap(), Bytes::from(data).abi_encode());
        assert_eq!(result::<U256, Vec<u8>>(Err(vec![1, 2])), Err(vec![1, 2]));
    }

    proptest! {
        #[test]
        fn any_valid_encoding_round_trips(a: [u8; 20], n: [u8; 32], t: u64, flag: bool, bytes in proptest::collection::vec(any::<u8>(), 0..100)) {
            let (a, n) = (Address::from(a), U256::from_be_bytes(n));
            let data = (a, n, t, flag, Bytes::from(bytes.clone())).abi_encode_params();
            prop_assert_eq!(Address::decode(&data, 0), Some(a));
            prop_assert_eq!(U256::decode(&data, 32), Some(n));
            prop_assert_eq!(u64::decode(&data, 64), Some(t));
            prop_assert_eq!(bool::decode(&data, 96), Some(flag));
            prop_assert_eq!(Vec::<u8>::decode(&data, 128), Some(bytes));
        }

        #[test]
        fn arrays_round_trip(
            values in proptest::collection::vec(any::<[u8; 32]>(), 0..8),
            payloads in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..70), 0..8),
            salt: [u8; 32],
        ) {
            let values: Vec<U256> = values.into_iter().map(U256::from_be_bytes).collect();
            let sol: Vec<Bytes> = payloads.iter().cloned().map(Bytes::from).collect();
            let targets = vec![Address::repeat_byte(4); values.len()];
            let data = (targets.clone(), values.clone(), sol, B256::from(salt)).abi_encode_params();
            prop_assert_eq!(Vec::<Address>::decode(&data, 0), Some(targets));
            prop_assert_eq!(Vec::<U256>::decode(&data, 32), Some(values));
            prop_assert_eq!(Vec::<Vec<u8>>::decode(&data, 64), Some(payloads));
            prop_assert_eq!(B256::decode(&data, 96), Some(B256::from(salt)));
        }

        #[test]
        fn arbitrary_calldata_never_panics(data in proptest::collection::vec(any::<u8>(), 0..200), head in 0usize..256) {
            let _ = Address::decode(&data, head);
            let _ = u64::decode(&data, head);
            let _ = Vec::<u8>::decode(&data, head);
            let _ = Vec::<Address>::decode(&data, head);
            let _ = Vec::<U256>::decode(&data, head);
            let _ = Vec::<Vec<u8>>::decode(&data, head);
            let _ = String::decode(&data, head);
            let _ = alloy_primitives::FixedBytes::<4>::decode(&data, head);
        }

        /// Valid `bytes[]` encodings with one word overwritten (often by a huge or
        /// near-boundary number) decode to something or to `None`, never panic, and never to
        /// more bytes than the calldata holds.
        #[test]
        fn corrupted_bytes_arrays_never_panic(
            payloads in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..70), 0..6),
            at in 0usize..64,
            kind in 0u8..4,
            low: u64,
        ) {
            let sol: Vec<Bytes> = payloads.into_iter().map(Bytes::from).collect();
            let mut data = (sol,).abi_encode_params();
            let at = (at * 32) % data.len();
            let word = match kind {
                0 => [0xff; 32],
                1 => U256::from(low).to_be_bytes::<32>(),
                2 => U256::from(u64::MAX - (low % 64)).to_be_bytes::<32>(),
                _ => U256::from(low % 512).to_be_bytes::<32>(),
            };
            data[at..at + 32].copy_from_slice(&word);
            if let Some(decoded) = Vec::<Vec<u8>>::decode(&data, 0) {
                prop_assert!(decoded.iter().map(Vec::len).sum::<usize>() <= data.len());
            }
            let _ = Vec::<U256>::decode(&data, 0);
        }
    }
}
