//! # reward-split
//!
//! The arithmetic of dseq's reward distributor, shared by the contract and the client (which
//! previews a split before a batch): how one credited amount (a sequencer's reward for its
//! blocks, or fee revenue) is divided, and when an operator's commission change takes effect.
//!
//! For one credited `amount` (`governance-anchors.md` §5: Lido's treasury fee, Rocket Pool's
//! capital-proportional split with the node's fee on the other side's share, EigenLayer's
//! activation delay):
//!
//! 1. the treasury takes `treasury_bps` of it, rounded down;
//! 2. the rest, `net`, is divided between the operator's stake and the paired LST's stake in
//!    proportion to capital at credit time; the LST's part is rounded down;
//! 3. the operator's commission, `commission_bps` of the LST's part (rounded down), moves to
//!    the operator;
//! 4. the operator gets what remains, so `treasury + operator + lst == amount` always: no dust
//!    is lost and none is minted.
//!
//! With no LST stake (no pairing, or the LST's stake unwound) the operator gets all of `net`;
//! with no operator stake either (the sequencer exited before its last blocks were paid) too:
//! the operator did the work, and an LST whose stake left backs nothing.
//!
//! **How the distributor applies it** (the plan for `contracts/reward-distributor`). Reading
//! both stakes of every signer in a batch would cost about 6,300 gas cold per signer before
//! anything is written, above the 8,000 a signer may cost. So a batch only adds each signer's
//! reward, net of the treasury's share, to its sequencer's `pending` word. The pool calls the
//! distributor before every change of a sequencer's stakes or LST, and the distributor then
//! splits `pending` with [`split`] at the stakes that held while it accrued. Claims and
//! compounding settle the same way. Each amount is split at the stakes in force when it was
//! credited, as if it had been split at once.
//!
//! Amounts and stakes are `u128` (the pool keeps stakes in 128 bits; METIS's supply is far
//! below 2^128); every step is exact integer arithmetic without overflow, and small enough for
//! a Stylus program (no general 256-bit division).
#![no_std]

/// Basis points in a whole.
pub const BPS: u16 = 10_000;
/// The most governance may set the treasury's share to (50%).
pub const MAX_TREASURY_BPS: u16 = 5_000;
/// The commission cap governance starts with (30%, the default).
pub const DEFAULT_MAX_COMMISSION_BPS: u16 = 3_000;

/// The parts of one credited amount. `operator` includes `commission`; the three shares sum to
/// the amount.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Split {
    pub treasury: u128,
    pub operator: u128,
    pub lst: u128,
    /// The part of the LST's pro-rata share the operator kept as commission (inside `operator`).
    pub commission: u128,
}

impl Split {
    /// `treasury + operator + lst`: the amount split.
    pub fn total(&self) -> u128 {
        self.treasury + self.operator + self.lst
    }
}

/// `floor(amount * bps / 10_000)` for `bps <= 10_000`, exact for every `u128` amount.
pub fn bps_of(amount: u128, bps: u16) -> u128 {
    let bps = u128::from(bps.min(BPS));
    let (whole, rest) = (amount / u128::from(BPS), amount % u128::from(BPS));
    // `whole * bps <= amount` and `rest * bps < 10^8`: neither overflows.
    whole * bps + rest * bps / u128::from(BPS)
}

/// `floor(a * b / d)` for `b <= d`, `d > 0`: the result is at most `a`. The 256-bit product is
/// divided by shift and subtract, 128 steps, without a general division routine.
pub fn mul_div(a: u128, b: u128, d: u128) -> u128 {
    debug_assert!(b <= d && d > 0);
    if d == 0 || a == 0 || b == 0 {
        return 0;
    }
    if b == d {
        return a;
    }
    if let Some(product) = a.checked_mul(b) {
        return product / d;
    }
    let (hi, lo) = widening_mul(a, b);
    // `hi < d` because `a * b < 2^128 * d`; so the quotient fits 128 bits. Long division of
    // `hi:lo` by `d`, one bit of `lo` at a time, keeping the remainder below `d`.
    let mut rem = hi;
    let mut quotient = 0u128;
    for i in (0..128).rev() {
        let carry = rem >> 127;
        rem = (rem << 1) | ((lo >> i) & 1);
        quotient <<= 1;
        if carry == 1 || rem >= d {
            rem = rem.wrapping_sub(d);
            quotient |= 1;
        }
    }
    quotient
}

/// `a * b` as `(high, low)` 128-bit halves.
fn widening_mul(a: u128, b: u128) -> (u128, u128) {
    const MASK: u128 = u64::MAX as u128;
    let (a_hi, a_lo) = (a >> 64, a & MASK);
    let (b_hi, b_lo) = (b >> 64, b & MASK);
    let lo_lo = a_lo * b_lo;
    let hi_lo = a_hi * b_lo;
    let lo_hi = a_lo * b_hi;
    let hi_hi = a_hi * b_hi;
    let cross = (lo_lo >> 64) + (hi_lo & MASK) + (lo_hi & MASK);
    let low = (cross << 64) | (lo_lo & MASK);
    let high = hi_hi + (hi_lo >> 64) + (lo_hi >> 64) + (cross >> 64);
    (high, low)
}

/// Splits `amount` as the crate's documentation says: the treasury's `treasury_bps` first,
/// then by capital between `operator_stake` and `lst_stake`, with `commission_bps` of the
/// LST's part to the operator.
pub fn split(amount: u128, treasury_bps: u16, operator_stake: u128, lst_stake: u128, commission_bps: u16) -> Split {
    let treasury = bps_of(amount, treasury_bps);
    let net = amount - treasury;
    let (lst, commission) = lst_part(net, operator_stake, lst_stake, commission_bps);
    Split { treasury, operator: net - lst, lst, commission }
}

/// Of `net`, what the LST keeps and the commission it pays: `(lst, commission)`.
pub fn lst_part(net: u128, operator_stake: u128, lst_stake: u128, commission_bps: u16) -> (u128, u128) {
    if lst_stake == 0 {
        return (0, 0);
    }
    // Both stakes are below 2^128; their sum may not be, so halve all three when it overflows
    // (the ratio moves by less than one part in 2^127).
    let (op, lst) = match operator_stake.checked_add(lst_stake) {
        Some(_) => (operator_stake, lst_stake),
        None => (operator_stake >> 1, lst_stake >> 1),
    };
    let pro_rata = mul_div(net, lst, op + lst);
    let commission = bps_of(pro_rata, commission_bps);
    (pro_rata - commission, commission)
}

/// An operator's commission: the rate in force and, if one is scheduled, the next rate and
/// when it takes effect. A change waits `delay` seconds, so it cannot be raised just before a
/// batch; only one change is pending at a time (a new one replaces it and waits again).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Commission {
    pub current_bps: u16,
    pub next_bps: u16,
    /// When `next_bps` takes effect; 0: nothing is scheduled.
    pub next_at: u64,
}

/// Why a commission change is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommissionError {
    /// Above the cap governance set.
    AboveCap { bps: u16, max_bps: u16 },
}

impl Commission {
    /// The rate in force at `now`.
    pub fn at(&self, now: u64) -> u16 {
        if self.next_at != 0 && now >= self.next_at { self.next_bps } else { self.current_bps }
    }

    /// The record once the scheduled change, if due at `now`, has taken effect.
    pub fn settled(self, now: u64) -> Self {
        if self.next_at != 0 && now >= self.next_at {
            Self { current_bps: self.next_bps, next_bps: 0, next_at: 0 }
        } else {
            self
        }
    }

    /// Schedules `bps` to take effect `delay` seconds after `now`, within `max_bps`. A rate
    /// that lowers the commission waits too: the LST's holders see every change coming, and
    /// one rule is simpler to audit than two.
    pub fn schedule(self, bps: u16, now: u64, delay: u64, max_bps: u16) -> Result<Self, CommissionError> {
        if bps > max_bps {
            return Err(CommissionError::AboveCap { bps, max_bps });
        }
        let settled = self.settled(now);
        Ok(Self { current_bps: settled.current_bps, next_bps: bps, next_at: now.saturating_add(delay).max(1) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const METIS: u128 = 1_000_000_000_000_000_000;

    #[test]
    fn a_split_with_every_part() {
        // 1,000 METIS, 10% treasury; operator 30,000 and LST 70,000; 10% commission.
        let s = split(1_000 * METIS, 1_000, 30_000 * METIS, 70_000 * METIS, 1_000);
        assert_eq!(s.treasury, 100 * METIS);
        // Net 900: the LST's pro-rata 630, commission 63, the LST keeps 567.
        assert_eq!((s.lst, s.commission), (567 * METIS, 63 * METIS));
        assert_eq!(s.operator, 333 * METIS);
        assert_eq!(s.total(), 1_000 * METIS);
    }

    #[test]
    fn without_lst_stake_the_operator_gets_the_net() {
        assert_eq!(split(999, 1_000, 5, 0, 3_000), Split { treasury: 99, operator: 900, lst: 0, commission: 0 });
        // Neither stake (an exited sequencer's last blocks): the operator still gets it.
        assert_eq!(split(999, 0, 0, 0, 3_000), Split { treasury: 0, operator: 999, lst: 0, commission: 0 });
    }

    #[test]
    fn without_operator_stake_the_lst_gets_all_but_the_commission() {
        assert_eq!(split(10_000, 0, 0, 7, 2_500), Split { treasury: 0, operator: 2_500, lst: 7_500, commission: 2_500 });
    }

    #[test]
    fn rounding_dust_goes_to_the_operator() {
        // 10 wei, thirds: the LST's 3.33 rounds to 3, the commission of 1 bps of it to 0.
        let s = split(10, 0, 2, 1, 1);
        assert_eq!((s.treasury, s.operator, s.lst, s.commission), (0, 7, 3, 0));
        // One wei and a 99.99% treasury: the treasury's 0.9999 rounds to 0.
        assert_eq!(split(1, 9_999, 1, 1, 0).treasury, 0);
    }

    #[test]
    fn bps_of_is_exact_at_the_extremes() {
        assert_eq!(bps_of(u128::MAX, BPS), u128::MAX);
        assert_eq!(bps_of(u128::MAX, 5_000), u128::MAX / 2);
        assert_eq!(bps_of(9_999, 1), 0);
        assert_eq!(bps_of(10_000, 1), 1);
        assert_eq!(bps_of(123, 20_000), 123, "bps above the whole count as the whole");
    }

    #[test]
    fn mul_div_handles_products_beyond_128_bits() {
        assert_eq!(mul_div(u128::MAX, u128::MAX - 1, u128::MAX), u128::MAX - 1);
        assert_eq!(mul_div(u128::MAX, 1 << 127, u128::MAX), 1 << 127);
        assert_eq!(mul_div(1 << 100, 3 << 90, 1 << 95), 3 << 95);
        assert_eq!(mul_div(7, 0, 9), 0);
    }

    #[test]
    fn stakes_whose_sum_overflows_still_split() {
        let s = split(1_000, 0, u128::MAX, u128::MAX, 0);
        assert_eq!((s.operator, s.lst), (500, 500));
    }

    #[test]
    fn a_commission_change_waits_its_delay() {
        let c = Commission { current_bps: 500, next_bps: 0, next_at: 0 };
        let c = c.schedule(2_000, 1_000, 7 * 86_400, DEFAULT_MAX_COMMISSION_BPS).unwrap();
        assert_eq!(c, Commission { current_bps: 500, next_bps: 2_000, next_at: 1_000 + 7 * 86_400 });
        assert_eq!(c.at(1_000 + 7 * 86_400 - 1), 500, "one second before");
        assert_eq!(c.at(1_000 + 7 * 86_400), 2_000, "at the activation second");
        // A second change replaces the pending one and waits again from now.
        let c2 = c.schedule(100, 2_000, 7 * 86_400, DEFAULT_MAX_COMMISSION_BPS).unwrap();
        assert_eq!(c2, Commission { current_bps: 500, next_bps: 100, next_at: 2_000 + 7 * 86_400 });
        // Scheduling after activation keeps the activated rate as current.
        let c3 = c.schedule(0, 1_000 + 8 * 86_400, 0, DEFAULT_MAX_COMMISSION_BPS).unwrap();
        assert_eq!((c3.current_bps, c3.next_bps, c3.at(1_000 + 8 * 86_400)), (2_000, 0, 0));
        assert_eq!(c.schedule(3_001, 0, 0, 3_000), Err(CommissionError::AboveCap { bps: 3_001, max_bps: 3_000 }));
    }

    /// `floor(a * b / d)` by 256-bit arithmetic on four 64-bit limbs, for the property test.
    fn reference_mul_div(a: u128, b: u128, d: u128) -> u128 {
        let (hi, lo) = widening_mul(a, b);
        // Check the widening product against u64 limbs multiplied the slow way.
        let limbs = |x: u128| [x as u64, (x >> 64) as u64];
        let (x, y) = (limbs(a), limbs(b));
        let mut r = [0u128; 4];
        for i in 0..2 {
            for j in 0..2 {
                r[i + j] += u128::from(x[i]) * u128::from(y[j]) & u128::from(u64::MAX);
                r[i + j + 1] += (u128::from(x[i]) * u128::from(y[j])) >> 64;
            }
        }
        for k in 0..3 {
            r[k + 1] += r[k] >> 64;
            r[k] &= u128::from(u64::MAX);
        }
        assert_eq!((hi, lo), ((r[3] << 64) | r[2], (r[1] << 64) | r[0]));
        // Division by repeated halving of the divisor, independent of `mul_div`'s loop.
        let (mut q, mut rem_hi, mut rem_lo) = (0u128, hi, lo);
        for shift in (0..128u32).rev() {
            // Does d << shift fit under the remainder?
            let (d_hi, d_lo) = if shift == 0 { (0, d) } else { (d >> (128 - shift), d << shift) };
            if (rem_hi, rem_lo) >= (d_hi, d_lo) {
                let (new_lo, borrow) = rem_lo.overflowing_sub(d_lo);
                rem_hi = rem_hi - d_hi - u128::from(borrow);
                rem_lo = new_lo;
                q |= 1 << shift;
            }
        }
        q
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn the_parts_always_sum_to_the_amount(
            amount in any::<u128>(),
            treasury_bps in 0u16..=MAX_TREASURY_BPS,
            operator_stake in prop_oneof![Just(0u128), 1u128..1_000_000 * METIS, any::<u128>()],
            lst_stake in prop_oneof![Just(0u128), 1u128..1_000_000 * METIS, any::<u128>()],
            commission_bps in 0u16..=BPS,
        ) {
            let s = split(amount, treasury_bps, operator_stake, lst_stake, commission_bps);
            prop_assert_eq!(s.treasury + s.operator + s.lst, amount);
            prop_assert_eq!(s.treasury, bps_of(amount, treasury_bps));
            prop_assert!(s.commission <= s.operator);
            if lst_stake == 0 {
                prop_assert_eq!((s.lst, s.commission), (0, 0));
            }
            // The LST never gets more than its capital's share of the net.
            let net = amount - s.treasury;
            if operator_stake.checked_add(lst_stake).is_some() && lst_stake > 0 {
                prop_assert!(s.lst + s.commission == reference_mul_div(net, lst_stake, operator_stake + lst_stake));
            }
        }

        #[test]
        fn mul_div_matches_the_reference(a in any::<u128>(), d in 1u128.., b_seed in any::<u128>()) {
            let b = if b_seed % 7 == 0 { d } else { b_seed % d };
            prop_assert_eq!(mul_div(a, b, d), reference_mul_div(a, b, d));
        }
    }
}
