//! Stylus gas: ink, wasmi fuel and the prices this node charges.
//!
//! Nitro meters Stylus programs in *ink*: `ink = gas * ink_price`, with the default ink price
//! 10 000 ink per gas ([`INK_PRICE`]). Every wasm opcode has an ink cost in nitro's instrumenter
//! (roughly 50..200 ink for arithmetic, more for memory and calls).
//!
//! This node runs programs in wasmi with fuel metering on. wasmi charges about one fuel unit per
//! executed instruction (more for bulk memory operations), so one fuel unit is priced at
//! [`INK_PER_FUEL`] = 100 ink, i.e. [`FUEL_PER_GAS`] = 100 fuel per gas. This is an
//! **approximation**: execution-heavy programs cost the same order of gas as on nitro, not the
//! same amount. Host I/O is priced as follows:
//!
//! - every hostio: [`HOSTIO_INK`] (nitro's base hostio cost), plus [`INK_PER_WORD_COPIED`] per
//!   32-byte word moved between wasm memory and the host;
//! - storage, logs, keccak, account access, calls and creates: the EVM's gas prices (cold/warm
//!   access per EIP-2929, SSTORE per EIP-2200/3529 with refunds, LOG, KECCAK256, CALL value and
//!   new-account surcharges, CREATE/CREATE2 with init-code words), charged when the hostio runs;
//!   storage writes are charged at `storage_flush_cache`, when they reach the journal;
//! - memory: [`PAGE_GAS`] per 64 KiB page that raises the transaction's high-water mark of open
//!   pages above [`FREE_PAGES`] (nitro has the same free pages and page gas, plus an exponential
//!   ramp that this node omits).
//!
//! Gas passed to a child call follows the EVM's 63/64 rule.

/// Ink per gas (nitro's default `ink_price`).
pub const INK_PRICE: u64 = 10_000;
/// Ink charged per unit of wasmi fuel (approximation, see the module docs).
pub const INK_PER_FUEL: u64 = 100;
/// wasmi fuel units per unit of gas.
pub const FUEL_PER_GAS: u64 = INK_PRICE / INK_PER_FUEL;
/// Base ink of any hostio (nitro's `HOSTIO_INK`).
pub const HOSTIO_INK: u64 = 8_400;
/// Ink per 32-byte word copied in or out of wasm memory.
pub const INK_PER_WORD_COPIED: u64 = 1_000;
/// Gas per newly opened wasm page beyond the free ones.
pub const PAGE_GAS: u64 = 1_000;
/// Pages a transaction may open for free.
pub const FREE_PAGES: u32 = 2;
/// Maximum pages a single program's memory may have (nitro's page limit: 128 pages = 8 MiB).
pub const MAX_PAGES: u32 = 128;

/// Gas for a hostio that copies `bytes` bytes, as fuel.
pub const fn hostio_fuel(bytes: usize) -> u64 {
    (HOSTIO_INK + INK_PER_WORD_COPIED * bytes.div_ceil(32) as u64) / INK_PER_FUEL
}

/// Fuel for `gas` units of gas.
pub const fn gas_to_fuel(gas: u64) -> u64 {
    gas.saturating_mul(FUEL_PER_GAS)
}

/// Gas represented by `fuel` (rounded down).
pub const fn fuel_to_gas(fuel: u64) -> u64 {
    fuel / FUEL_PER_GAS
}

/// Gas to open `new` pages while `open` are open and the transaction's maximum so far is `ever`.
/// Returns the gas and the new maximum.
pub fn page_cost(new: u32, open: u32, ever: u32) -> (u64, u32) {
    let new_open = open.saturating_add(new);
    let new_ever = ever.max(new_open);
    let charged = new_ever.saturating_sub(ever.max(FREE_PAGES));
    (charged as u64 * PAGE_GAS, new_ever)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(FUEL_PER_GAS, 100);
        assert_eq!(gas_to_fuel(21_000), 2_100_000);
        assert_eq!(fuel_to_gas(2_100_099), 21_000);
        assert_eq!(hostio_fuel(0), 84);
        assert_eq!(hostio_fuel(32), 94);
        assert_eq!(hostio_fuel(33), 104);
    }

    #[test]
    fn pages() {
        assert_eq!(page_cost(1, 0, 0), (0, 1));
        assert_eq!(page_cost(2, 0, 0), (0, 2));
        assert_eq!(page_cost(3, 0, 0), (1_000, 3));
        // a second frame opening 3 more pages while 3 are open
        assert_eq!(page_cost(3, 3, 3), (3_000, 6));
        // re-opening after the first closed is free up to the high-water mark
        assert_eq!(page_cost(3, 0, 6), (0, 6));
    }
}
