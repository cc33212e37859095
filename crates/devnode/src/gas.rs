//! Stylus gas as nitro charges it: ink, hostio prices, memory, program init and the EVM costs
//! a program's host calls add.
//!
//! Nitro meters Stylus programs in *ink*: a call's gas becomes `gas * ink_price` ink on entry
//! ([`INK_PRICE`] = 10,000) and what is left becomes gas again on exit, rounded down. Opcodes
//! are priced by the instrumentation ([`crate::stylus::meter`]); this module holds the rest,
//! with nitro's numbers (`crates/arbutil/src/pricing.rs`, `crates/wasm-libraries/user-host-trait`,
//! `arbos/programs/{params,memory,programs,api}.go` and go-ethereum's
//! `core/vm/operations_acl_arbitrum.go`, at nitro `6dce8d1`, ArbOS 60 rules):
//!
//! - **Hostios**: a base price per hostio ([`HOSTIO_INK`], [`PTR_INK`] per pointer argument,
//!   [`EVM_API_INK`] for those that reach the EVM), plus [`read_price`]/[`write_price`] for bytes
//!   moved between wasm memory and the host, [`keccak_price`] for hashing.
//! - **Storage**: loads pay a tiered fee ([`storage_read_gas`]) and, when they miss the
//!   program's cache, the EVM's cold/warm `SLOAD` ([`storage_load_gas`]); cached writes pay a
//!   tiered fee ([`storage_write_gas`]); `storage_flush_cache` pays the EVM's `SSTORE` per dirty
//!   slot ([`storage_store_gas`], refunds per EIP-2200/3529).
//! - **Memory**: [`memory_gas`] per page opened, beyond [`FREE_PAGES`] per transaction, plus an
//!   exponential ramp ([`MEMORY_EXPONENTS`]) on the transaction's high-water mark.
//! - **Program init**: each call pays [`init_gas`] (uncached) and [`cached_init_gas`] (always
//!   from Stylus version 2), from the costs computed at activation; a program called before in
//!   the same block (nitro keeps the last 32 per block) counts as cached.
//! - **Calls and creates**: the EVM's access and value costs, 63/64 of what is left passed on
//!   ([`call_cost`]); return data costs at least what the EVM's memory would ([`return_data_floor`]).

/// Ink per gas (nitro's `initialInkPrice`).
pub const INK_PRICE: u64 = 10_000;
/// Base ink of a hostio (`HOSTIO_INK`).
pub const HOSTIO_INK: u64 = 8_400;
/// Ink per pointer a hostio takes (`PTR_INK` = 13,440 - `HOSTIO_INK`).
pub const PTR_INK: u64 = 5_040;
/// Ink of a hostio that calls into the EVM (`EVM_API_INK`).
pub const EVM_API_INK: u64 = 59_673;
/// Ink of a division or modulo (`DIV_INK`), an `addmod` and a `mulmod`.
pub const DIV_INK: u64 = 20_000;
pub const ADD_MOD_INK: u64 = 21_000;
pub const MUL_MOD_INK: u64 = 24_100;
/// Gas nitro's storage cache requires to be left before a load (`REQUIRED_ACCESS_GAS`).
pub const REQUIRED_ACCESS_GAS: u64 = 10;
/// Gas an `SSTORE` requires to be left (`SSTORE_SENTRY_GAS`).
pub const SSTORE_SENTRY_GAS: u64 = 2_300;
/// Cold and warm account access (EIP-2929).
pub const COLD_ACCOUNT_GAS: u64 = 2_600;
pub const WARM_ACCESS_GAS: u64 = 100;
/// Cold `SLOAD` (EIP-2929).
pub const COLD_SLOAD_GAS: u64 = 2_100;
/// What an account access with code adds (`MaxCodeSize / 24576 * 700`).
pub const CODE_ACCESS_GAS: u64 = 700;
/// Transient storage (EIP-1153).
pub const TRANSIENT_GAS: u64 = 100;
/// Pages a transaction may open for free (`InitialFreePages`).
pub const FREE_PAGES: u16 = 2;
/// Gas per page opened beyond the free ones (`InitialPageGas`).
pub const PAGE_GAS: u64 = 1_000;
/// The most pages a program's memory may have (8 MiB).
pub const MAX_PAGES: u32 = 128;
/// Program init costs (`v2MinInitGas`, `initialMinCachedGas`, their units, and the scalars).
pub const MIN_INIT_GAS: u64 = 69;
pub const MIN_CACHED_INIT_GAS: u64 = 11;
pub const MIN_INIT_GAS_UNITS: u64 = 128;
pub const MIN_CACHED_GAS_UNITS: u64 = 32;
pub const INIT_COST_SCALAR: u64 = 50;
pub const CACHED_COST_SCALAR: u64 = 50;
pub const COST_SCALAR_PERCENT: u64 = 2;
/// Programs a block remembers as recently called (`BlockCacheSize`).
pub const RECENT_PROGRAMS: usize = 32;

/// `floor(1.1383...^p)`: the exponential part of a program's memory cost at `p` pages, targeting
/// 8 MiB at 32 million gas (nitro's `memoryExponents`).
pub const MEMORY_EXPONENTS: [u32; 129] = [
    1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 5, 6, 7, 8, 9, 11, 12, 14, 17, 19, 22, 25, 29, 33, 38, 43, 50, 57, 65, 75, 85, 98, 112, 128, 147, 168, 193, 221, 253,
    289, 331, 379, 434, 497, 569, 651, 745, 853, 976, 1117, 1279, 1463, 1675, 1917, 2194, 2511, 2874, 3290, 3765, 4309, 4932, 5645, 6461, 7395, 8464, 9687, 11087,
    12689, 14523, 16621, 19024, 21773, 24919, 28521, 32642, 37359, 42758, 48938, 56010, 64104, 73368, 83971, 96106, 109994, 125890, 144082, 164904, 188735, 216010,
    247226, 282953, 323844, 370643, 424206, 485509, 555672, 635973, 727880, 833067, 953456, 1091243, 1248941, 1429429, 1636000, 1872423, 2143012, 2452704,
    2807151, 3212820, 3677113, 4208502, 4816684, 5512756, 6309419, 7221210, 8264766, 9459129, 10826093, 12390601, 14181199, 16230562, 18576084, 21260563,
    24332984, 27849408, 31873999,
];

/// Gas as ink (exact).
pub const fn gas_to_ink(gas: u64) -> u64 {
    gas.saturating_mul(INK_PRICE)
}

/// Ink as gas, rounded down (what is left below one gas is lost).
pub const fn ink_to_gas(ink: u64) -> u64 {
    ink / INK_PRICE
}

/// Ink to move `bytes` from the host into wasm memory.
pub const fn write_price(bytes: u64) -> u64 {
    PTR_INK + 30 * bytes.saturating_sub(32)
}

/// Ink to move `bytes` from wasm memory to the host.
pub const fn read_price(bytes: u64) -> u64 {
    16_381 + 55 * bytes.saturating_sub(32)
}

/// Ink to hash `bytes` with `native_keccak256`.
pub const fn keccak_price(bytes: u64) -> u64 {
    121_800 + 21_000 * bytes.div_ceil(32).saturating_sub(2)
}

/// Ink of `math_pow` for a big-endian `exponent`: cheaper by 17,500 for each leading zero byte.
pub fn pow_price(exponent: &[u8; 32]) -> u64 {
    let zeros = exponent.iter().take_while(|b| **b == 0).count() as u64;
    3_000 + (33 - zeros) * 17_500
}

/// The gas a storage load pays as the `n`-th of the program's invocation (1-based), hit or miss.
pub const fn storage_read_gas(n: u64) -> u64 {
    match n {
        0..=32 => 0,
        33..=128 => 2,
        _ => 10,
    }
}

/// The gas a cached storage write pays as the `n`-th of the program's invocation (1-based).
pub const fn storage_write_gas(n: u64) -> u64 {
    match n {
        0..=8 => 0,
        9..=64 => 7,
        _ => 10,
    }
}

/// What a load that misses the cache adds: the EVM's `SLOAD` and the EVM API's own cost.
pub const fn storage_load_gas(cold: bool) -> u64 {
    (if cold { COLD_SLOAD_GAS } else { WARM_ACCESS_GAS }) + ink_to_gas(EVM_API_INK)
}

/// The gas a flushed slot pays (`WasmStateStoreCost`): `original` is the slot's value at the
/// start of the transaction, `current` before this write, `new` the value written.
pub fn storage_store_gas(cold: bool, original: &[u8; 32], current: &[u8; 32], new: &[u8; 32]) -> u64 {
    let cold_gas = if cold { COLD_SLOAD_GAS } else { 0 };
    let zero = [0u8; 32];
    let rest = if current == new {
        WARM_ACCESS_GAS
    } else if original == current {
        if original == &zero { 20_000 } else { 5_000 - COLD_SLOAD_GAS }
    } else {
        WARM_ACCESS_GAS
    };
    cold_gas + rest
}

/// The gas to open `new` pages while `open` are open and the transaction's maximum so far is
/// `ever` (nitro's `MemoryModel::GasCost`).
pub fn memory_gas(new: u16, open: u16, ever: u16) -> u64 {
    let new_open = open.saturating_add(new);
    let new_ever = ever.max(new_open);
    if new_ever <= FREE_PAGES {
        return 0;
    }
    let adding = new_open.saturating_sub(FREE_PAGES).saturating_sub(open.saturating_sub(FREE_PAGES));
    let linear = u64::from(adding).saturating_mul(PAGE_GAS);
    let exp = |pages: u16| MEMORY_EXPONENTS.get(pages as usize).map_or(u64::MAX, |e| u64::from(*e));
    linear.saturating_add(exp(new_ever).saturating_sub(exp(ever)))
}

/// The gas a call pays to initialize an uncached program of `init_cost` units.
pub const fn init_gas(init_cost: u16) -> u64 {
    MIN_INIT_GAS * MIN_INIT_GAS_UNITS + (init_cost as u64 * INIT_COST_SCALAR * COST_SCALAR_PERCENT).div_ceil(100)
}

/// The gas a call pays for a cached program (or any of Stylus version 2) of `cached_cost` units.
pub const fn cached_init_gas(cached_cost: u16) -> u64 {
    MIN_CACHED_INIT_GAS * MIN_CACHED_GAS_UNITS + (cached_cost as u64 * CACHED_COST_SCALAR * COST_SCALAR_PERCENT).div_ceil(100)
}

/// The fixed part of a call from a program (`WasmCallCost`): warm or cold access, the value
/// transfer and, for value sent to an empty account, its creation.
pub const fn call_cost(cold: bool, transfers_value: bool, target_empty: bool) -> u64 {
    let mut cost = WARM_ACCESS_GAS;
    if cold {
        cost += COLD_ACCOUNT_GAS - WARM_ACCESS_GAS;
    }
    if transfers_value {
        cost += 9_000;
        if target_empty {
            cost += 25_000;
        }
    }
    cost
}

/// What returning `len` bytes must cost at least, as the EVM's memory would.
pub const fn return_data_floor(len: u64) -> u64 {
    let words = len.div_ceil(32);
    3 * words + words * words / 512
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ink_converts_exactly_one_way_and_rounds_down_the_other() {
        assert_eq!(gas_to_ink(21_000), 210_000_000);
        assert_eq!(ink_to_gas(210_009_999), 21_000);
        assert_eq!(ink_to_gas(9_999), 0);
    }

    #[test]
    fn hostio_prices() {
        // 32 bytes or fewer move at the base price; each byte beyond costs 30 (in) or 55 (out).
        assert_eq!((write_price(0), write_price(32), write_price(100)), (5_040, 5_040, 5_040 + 30 * 68));
        assert_eq!((read_price(4), read_price(96)), (16_381, 16_381 + 55 * 64));
        // Two words hash at the base price, each further word costs 21,000.
        assert_eq!((keccak_price(0), keccak_price(64), keccak_price(65), keccak_price(128)), (121_800, 121_800, 142_800, 163_800));
        // The EVM API's 59,673 ink are 5 gas.
        assert_eq!(storage_load_gas(true), 2_105);
        assert_eq!(storage_load_gas(false), 105);
    }

    #[test]
    fn storage_tiers() {
        assert_eq!([1, 32, 33, 128, 129].map(storage_read_gas), [0, 0, 2, 2, 10]);
        assert_eq!([1, 8, 9, 64, 65].map(storage_write_gas), [0, 0, 7, 7, 10]);
        let (z, one, two) = ([0u8; 32], [1u8; 32], [2u8; 32]);
        assert_eq!(storage_store_gas(true, &z, &z, &one), 22_100, "a new slot, cold");
        assert_eq!(storage_store_gas(false, &one, &one, &two), 2_900, "an existing clean slot, warm");
        assert_eq!(storage_store_gas(true, &one, &one, &one), 2_200, "unchanged, cold");
        assert_eq!(storage_store_gas(false, &z, &one, &two), 100, "already dirty");
    }

    #[test]
    fn memory_is_free_up_to_two_pages_then_linear_plus_the_ramp() {
        assert_eq!(memory_gas(2, 0, 0), 0);
        assert_eq!(memory_gas(3, 0, 0), 1_000 + (1 - 1));
        assert_eq!(memory_gas(10, 0, 0), 8 * 1_000 + (3 - 1));
        // a second frame: 3 more pages with 3 open and 3 ever
        assert_eq!(memory_gas(3, 3, 3), 3 * 1_000 + (2 - 1));
        // re-opening below the high-water mark pays the linear part only
        assert_eq!(memory_gas(3, 0, 6), 1_000);
        assert_eq!(memory_gas(128, 0, 0), 126 * 1_000 + 31_873_999 - 1);
        assert_eq!(memory_gas(129, 0, 0), u64::MAX);
    }

    #[test]
    fn program_init() {
        // 69 x 128 = 8,832 plus the init cost (50 x 2% = 100% of it), rounded up.
        assert_eq!(init_gas(0), 8_832);
        assert_eq!(init_gas(1_234), 8_832 + 1_234);
        assert_eq!(cached_init_gas(0), 352);
        assert_eq!(cached_init_gas(99), 352 + 99);
    }

    #[test]
    fn calls_and_return_data() {
        assert_eq!(call_cost(false, false, false), 100);
        assert_eq!(call_cost(true, false, false), 2_600);
        assert_eq!(call_cost(true, true, true), 2_600 + 9_000 + 25_000);
        assert_eq!((return_data_floor(0), return_data_floor(32), return_data_floor(33)), (0, 3, 6));
        assert_eq!(return_data_floor(32 * 1024), 3 * 1024 + 1024 * 1024 / 512);
    }
}
