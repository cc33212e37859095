//! A history of values by timepoint, as OpenZeppelin's `Checkpoints.Trace208`: each checkpoint
//! is `(uint48 key, uint208 value)` in one storage slot, keys strictly increasing, and a push at
//! the latest key overwrites it (several changes in one block leave one checkpoint).
//!
//! Lookups are binary searches, so their cost grows with the log of the history, never with
//! its length; [`Trace::upper_lookup_recent`] first probes near the end, where governance
//! lookups (a snapshot a few days old) land. Keys are timepoints the contract supplies (its
//! clock), never user input.

#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{
    aliases::{U208, U48},
    U256,
};
use stylus_sdk::{
    prelude::*,
    storage::{StorageUint, StorageVec},
};

/// The largest value a checkpoint holds (`type(uint208).max`).
pub const MAX_VALUE: U256 = U256::from_limbs([u64::MAX, u64::MAX, u64::MAX, (1 << 16) - 1]);

/// One checkpoint: 6 + 26 bytes, one slot.
#[storage]
pub struct Checkpoint {
    key: StorageUint<48, 1>,
    value: StorageUint<208, 4>,
}

/// The history of one value.
#[storage]
pub struct Trace {
    checkpoints: StorageVec<Checkpoint>,
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
        self.checkpoints.getter(pos).map(|c| c.key.get().to::<u64>()).unwrap_or(u64::MAX)
    }
}

impl Trace {
    /// How many checkpoints the history has.
    pub fn len(&self) -> usize {
        self.checkpoints.len()
    }

    /// Whether nothing was ever pushed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Checkpoint `pos` as `(key, value)`.
    pub fn at(&self, pos: usize) -> Option<(u64, U256)> {
        let c = self.checkpoints.getter(pos)?;
        Some((c.key.get().to::<u64>(), U256::from(c.value.get())))
    }

    /// The latest value (0 for an empty history).
    pub fn latest(&self) -> U256 {
        match self.len() {
            0 => U256::ZERO,
            len => self.at(len - 1).map(|(_, value)| value).unwrap_or_default(),
        }
    }

    /// The value in effect at `key`: that of the last checkpoint with a key `<= key`.
    pub fn upper_lookup_recent(&self, key: u64) -> U256 {
        let len = self.len();
        match upper_bound_recent(self, key, len) {
            0 => U256::ZERO,
            pos => self.at(pos - 1).map(|(_, value)| value).unwrap_or_default(),
        }
    }

    /// Records `value` from `key` on and returns the previous latest value. `key` must be at
    /// least the latest key (the contract's clock only moves forward) and `value` at most
    /// [`MAX_VALUE`] (callers bound their totals): both are the caller's invariants.
    pub fn push(&mut self, key: u64, value: U256) -> U256 {
        debug_assert!(value <= MAX_VALUE, "checkpoint value above uint208");
        let new_value = U208::from_limbs_slice(&value.as_limbs()[..]);
        let len = self.len();
        if let Some(mut last) = len.checked_sub(1).and_then(|pos| self.checkpoints.setter(pos)) {
            let previous = U256::from(last.value.get());
            if last.key.get().to::<u64>() == key {
                last.value.set(new_value);
                return previous;
            }
            drop(last);
            self.append(key, new_value);
            return previous;
        }
        self.append(key, new_value);
        U256::ZERO
    }

    fn append(&mut self, key: u64, value: U208) {
        let mut next = self.checkpoints.grow();
        next.key.set(U48::from(key));
        next.value.set(value);
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
        assert_eq!(MAX_VALUE, (U256::from(1) << 208) - U256::from(1));
    }

    proptest! {
        #[test]
        fn search_matches_a_scan(mut keys in proptest::collection::vec(0u64..1_000, 0..200), key in 0u64..1_100) {
            keys.sort();
            keys.dedup();
            let len = keys.len();
            prop_assert_eq!(upper_bound_recent(&Sorted(keys.clone()), key, len), expected(&keys, key));
        }
    }
}
