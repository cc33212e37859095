//! Fractions of 256-bit amounts by small numbers (percentages, basis points), limb by limb:
//! ruint's general multiplication and division would add about 19 KB of wasm to a contract.

use alloy_primitives::U256;

/// `floor(x * numerator / denominator)` for `numerator <= denominator < 2^32`, exact and
/// without an intermediate product that could overflow: OpenZeppelin's `Math.mulDiv` for this
/// case (a quorum in percent, a share in basis points).
pub fn mul_div_small(x: U256, numerator: u64, denominator: u64) -> U256 {
    let (whole, rest) = div_rem_small(x, denominator);
    // `numerator <= denominator`: `whole * numerator <= x`, and `rest * numerator < 2^64`.
    let (sum, _) = mul_small(whole, numerator).overflowing_add(U256::from(rest * numerator / denominator));
    sum
}

/// `x * n`, saturating at `U256::MAX`.
pub fn mul_small(x: U256, n: u64) -> U256 {
    let mut limbs = *x.as_limbs();
    let mut carry = 0u128;
    for limb in limbs.iter_mut() {
        let product = u128::from(*limb) * u128::from(n) + carry;
        *limb = product as u64;
        carry = product >> 64;
    }
    if carry != 0 {
        return U256::MAX;
    }
    U256::from_limbs(limbs)
}

/// `(x / d, x % d)` for `0 < d < 2^32`, by schoolbook division over 32-bit halves of the limbs
/// (native 64-bit divisions only).
pub fn div_rem_small(x: U256, d: u64) -> (U256, u64) {
    let mut limbs = *x.as_limbs();
    let mut rem = 0u64;
    for limb in limbs.iter_mut().rev() {
        let mut quotient = 0u64;
        for shift in [32u32, 0] {
            // `rem < d < 2^32`: the dividend fits 64 bits and the quotient digit 32.
            let current = (rem << 32) | ((*limb >> shift) & 0xffff_ffff);
            quotient |= (current / d) << shift;
            rem = current % d;
        }
        *limb = quotient;
    }
    (U256::from_limbs(limbs), rem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_are_exact_floors() {
        for (x, n, d) in [(0u64, 4, 100), (1_399, 4, 100), (10_000, 8_000, 10_000), (9_999, 1, 10_000), (u64::MAX, 7, 9)] {
            let expected = U256::from(u128::from(x) * u128::from(n) / u128::from(d));
            assert_eq!(mul_div_small(U256::from(x), n, d), expected, "{x} * {n} / {d}");
        }
        assert_eq!(mul_div_small(U256::MAX, 100, 100), U256::MAX, "no overflow at the top");
        assert_eq!(mul_div_small(U256::MAX, 99, 100), U256::MAX / U256::from(100) * U256::from(99) + U256::from(35 * 99 / 100));
        assert_eq!(mul_div_small(U256::MAX, 1, 2), U256::MAX / U256::from(2));
    }

    #[test]
    fn small_products_and_quotients() {
        assert_eq!(mul_small(U256::from(u64::MAX), 100), U256::from(u64::MAX) * U256::from(100));
        assert_eq!(mul_small(U256::MAX, 2), U256::MAX, "saturates");
        assert_eq!(mul_small(U256::MAX, 1), U256::MAX);
        for x in [U256::ZERO, U256::from(99), U256::MAX, U256::from(1) << 200, U256::from_limbs([7, 0, 0, 1 << 63])] {
            assert_eq!(div_rem_small(x, 100), (x / U256::from(100), (x % U256::from(100)).to::<u64>()));
            assert_eq!(div_rem_small(x, 10_000).0, x / U256::from(10_000));
        }
    }
}
