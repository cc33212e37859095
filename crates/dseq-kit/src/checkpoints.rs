//! A history of values by timepoint, as OpenZeppelin's `Checkpoints.Trace208`: checkpoints
//! `(key, value)` with keys strictly increasing, where a push at the latest key overwrites it
//! (several changes in one block leave one checkpoint).
//!
//! Lookups are binary searches, so their cost grows with the log of the history, never with
//! its length; [`Trace::upper_lookup_recent`] first probes near the end, where governance
//! lookups (a snapshot a few days old) land. Keys are timepoints the contract supplies (its
//! clock), never user input.
//!
//! Layout: the latest checkpoint and the length share one slot (`value: uint160, key: uint48,
//! length: uint48`), older checkpoints one slot each. The latest value costs one read, and a
//! history's first checkpoint writes one new slot, not two (OpenZeppelin's array writes its
//! length and its first element). Values are therefore bounded by `uint160` (1.4e48, far
//! above any token supply), not `uint208`.

#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{
    aliases::{U160, U48},
    U256,
};
use stylus_sdk::{
    prelude::*,
    storage::{StorageMap, StorageU160, StorageUint},
};

/// The largest value a checkpoint holds (`type(uint160).max`).
pub const MAX_VALUE: U256 = U256::from_limbs([u64::MAX, u64::MAX, u32::MAX as u64, 0]);

/// One older checkpoint, in one slot.
#[storage]
pub struct Checkpoint {
    value: StorageU160,
    key: StorageUint<48, 1>,
}

/// The latest checkpoint and how many there are, in one slot.
#[storage]
pub struct Head {
    value: StorageU160,
    key: StorageUint<48, 1>,
    len: StorageUint<48, 1>,
}

/// The history of one value.
#[storage]
pub struct Trace {
    head: Head,
    /// Checkpoints `0 .. len - 1` (the last one lives in `head`).
    older: StorageMap<u64, Checkpoint>,
}

/// Positions and keys of a history, as the search sees them.
pub trait Keys {
    /// The key of checkpoint `pos` (`pos < len`).
    fn key_at(&self, pos: usize) -> u64;
}

/// The number of checkpoints with a key `<= key` among `[low, high)` (keys increasing).
pub fn upper_bound(keys: &impl Keys, key: u64, mut low: usize, mut high: usize) -> usize {
    while low < high {
        let mid = low + (high - low) / 2;
        if keys.key_at(mid) > key {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    high
}

/// [`upper_bound`] over `[0, len)`, probing `len - sqrt(len)` first when the history is long
/// (OpenZeppelin's `upperLookupRecent`): recent keys cost a few reads instead of `log2(len)`.
pub fn upper_bound_recent(keys: &impl Keys, key: u64, len: usize) -> usize {
    let (mut low, mut high) = (0, len);
    if len > 5 {
        let mid = len - isqrt(len);
        if key < keys.key_at(mid) {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    upper_bound(keys, key, low, high)
}

fn isqrt(n: usize) -> usize {
    let mut root = 0usize;
    while (root + 1) * (root + 1) <= n {
        root += 1;
    }
    root
}

impl Keys for Trace {
    fn key_at(&self, pos: usize) -> u64 {
        self.at(pos).map(|(key, _)| key).unwrap_or(u64::MAX)
    }
}

impl Trace {
    /// How many checkpoints the history has.
    pub fn len(&self) -> usize {
        self.head.len.get().to::<u64>() as usize
    }

    /// Whether nothing was ever pushed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Checkpoint `pos` as `(key, value)`.
    pub fn at(&self, pos: usize) -> Option<(u64, U256)> {
        let len = self.len();
        if pos + 1 == len {
            return Some((self.head.key.get().to::<u64>(), U256::from(self.head.value.get())));
        }
        if pos >= len {
            return None;
        }
        let c = self.older.getter(pos as u64);
        Some((c.key.get().to::<u64>(), U256::from(c.value.get())))
    }

    /// The latest value (0 for an empty history): one read.
    pub fn latest(&self) -> U256 {
        U256::from(self.head.value.get())
    }

    /// The value in effect at `key`: that of the last checkpoint with a key `<= key`. When the
    /// latest checkpoint is at or before `key` (the usual governance lookup), one read.
    pub fn upper_lookup_recent(&self, key: u64) -> U256 {
        let len = self.len();
        if len == 0 {
            return U256::ZERO;
        }
        if self.head.key.get().to::<u64>() <= key {
            return self.latest();
        }
        match upper_bound_recent(self, key, len - 1) {
            0 => U256::ZERO,
            pos => self.at(pos - 1).map(|(_, value)| value).unwrap_or_default(),
        }
    }

    /// Records `value` from `key` on and returns the previous latest value. `key` must be at
    /// least the latest key (the contract's clock only moves forward) and `value` at most
    /// [`MAX_VALUE`] (callers bound their totals): both are the caller's invariants.
    pub fn push(&mut self, key: u64, value: U256) -> U256 {
        debug_assert!(value <= MAX_VALUE, "checkpoint value above uint160");
        let new_value = U160::from_limbs_slice(&value.as_limbs()[..3]);
        let len = self.len();
        let (last_key, previous) = (self.head.key.get(), self.head.value.get());
        if len > 0 && last_key.to::<u64>() == key {
            self.head.value.set(new_value);
            return U256::from(previous);
        }
        if len > 0 {
            let mut older = self.older.setter(len as u64 - 1);
            older.value.set(previous);
            older.key.set(last_key);
        }
        self.head.value.set(new_value);
        self.head.key.set(U48::from(key));
        self.head.len.set(U48::from(len as u64 + 1));
        U256::from(previous)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    struct Sorted(Vec<u64>);
    impl Keys for Sorted {
        fn key_at(&self, pos: usize) -> u64 {
            self.0[pos]
        }
    }

    fn expected(keys: &[u64], key: u64) -> usize {
        keys.iter().filter(|k| **k <= key).count()
    }

    #[test]
    fn boundaries() {
        let keys = Sorted(vec![10, 20, 30]);
        assert_eq!(upper_bound_recent(&keys, 9, 3), 0, "before the first");
        assert_eq!(upper_bound_recent(&keys, 10, 3), 1, "equal to the first");
        assert_eq!(upper_bound_recent(&keys, 29, 3), 2);
        assert_eq!(upper_bound_recent(&keys, 30, 3), 3, "equal to the last");
        assert_eq!(upper_bound_recent(&keys, u64::MAX, 3), 3);
        assert_eq!(upper_bound_recent(&Sorted(vec![]), 5, 0), 0, "empty");
        assert_eq!(isqrt(0), 0);
        assert_eq!(isqrt(99), 9);
        assert_eq!(isqrt(100), 10);
        assert_eq!(MAX_VALUE, (U256::from(1) << 160) - U256::from(1));
    }

    proptest! {
        /// The stored history answers every lookup as a plain list of checkpoints would, for
        /// any sequence of pushes (same-key overwrites included).
        #[test]
        fn stored_history_matches_a_model(steps in proptest::collection::vec((0u64..3, 0u64..1_000_000), 1..60), probes in proptest::collection::vec(0u64..200, 1..30)) {
            let vm = stylus_sdk::testing::TestVM::new();
            let mut trace = Trace::from(&vm);
            let mut model: Vec<(u64, U256)> = Vec::new();
            let mut key = 10u64;
            for (advance, value) in steps {
                key += advance;
                let value = U256::from(value);
                let previous = model.last().map(|c| c.1).unwrap_or_default();
                prop_assert_eq!(trace.push(key, value), previous);
                match model.last_mut() {
                    Some(last) if last.0 == key => last.1 = value,
                    _ => model.push((key, value)),
                }
            }
            prop_assert_eq!(trace.len(), model.len());
            prop_assert_eq!(trace.latest(), model.last().unwrap().1);
            for (pos, checkpoint) in model.iter().enumerate() {
                prop_assert_eq!(trace.at(pos), Some(*checkpoint));
            }
            prop_assert_eq!(trace.at(model.len()), None);
            for probe in probes {
                let expected = model.iter().filter(|c| c.0 <= probe).last().map(|c| c.1).unwrap_or_default();
                prop_assert_eq!(trace.upper_lookup_recent(probe), expected);
            }
        }

        #[test]
        fn search_matches_a_scan(mut keys in proptest::collection::vec(0u64..1_000, 0..200), key in 0u64..1_100) {
            keys.sort();
            keys.dedup();
            let len = keys.len();
            prop_assert_eq!(upper_bound_recent(&Sorted(keys.clone()), key, len), expected(&keys, key));
        }
    }
}
