//! METIS amounts in the units people read: `30000` or `2.5` METIS, never wei alone.

use alloy::primitives::utils::{format_units, parse_units};
use alloy::primitives::U256;
use anyhow::{anyhow, Result};

/// Parses a METIS amount given in METIS (18 decimals): `30000`, `30,000`, `2.5`.
pub fn parse_metis(text: &str) -> Result<U256> {
    let clean: String = text.trim().chars().filter(|c| *c != ',' && *c != '_').collect();
    let clean = clean.strip_suffix("METIS").unwrap_or(&clean).trim().to_string();
    if clean.is_empty() || clean.starts_with('-') {
        return Err(anyhow!("{text:?} is not an amount: give METIS as a positive number, like 30000 or 2.5"));
    }
    let decimals = clean.split_once('.').map_or(0, |(_, frac)| frac.len());
    if decimals > 18 || !clean.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(anyhow!("{text:?} is not an amount: give METIS as a number with at most 18 decimals, like 30000 or 2.5"));
    }
    parse_units(&clean, 18)
        .map(Into::into)
        .map_err(|_| anyhow!("{text:?} is not an amount: give METIS as a number with at most 18 decimals, like 30000 or 2.5"))
}

/// Formats wei as METIS with thousands separators, trailing zeros dropped: `30,000` or `2.5`.
pub fn format_metis(wei: U256) -> String {
    let text = format_units(wei, 18).unwrap_or_else(|_| wei.to_string());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let frac = frac.trim_end_matches('0');
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if frac.is_empty() { grouped } else { format!("{grouped}.{frac}") }
}

/// A duration in seconds in words: `21d`, `1d 2h`, `45s`.
pub fn format_duration(seconds: u64) -> String {
    let (d, h, m, s) = (seconds / 86_400, seconds % 86_400 / 3_600, seconds % 3_600 / 60, seconds % 60);
    let parts: Vec<String> = [(d, "d"), (h, "h"), (m, "m"), (s, "s")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, u)| format!("{n}{u}"))
        .collect();
    if parts.is_empty() { "0s".into() } else { parts.into_iter().take(2).collect::<Vec<_>>().join(" ") }
}

/// A unix timestamp as a UTC date and time: `2026-12-24 13:50:12 UTC`.
pub fn format_time(timestamp: u64) -> String {
    let (days, secs) = ((timestamp / 86_400) as i64, timestamp % 86_400);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC", secs / 3_600, secs % 3_600 / 60, secs % 60)
}

/// Gas with thousands separators: `71,289`.
pub fn format_gas(gas: u64) -> String {
    format_metis(U256::from(gas) * U256::from(10u64).pow(U256::from(18)))
}

/// Basis points as a percentage: `10%`, `12.5%`.
pub fn format_bps(bps: u16) -> String {
    let (whole, frac) = (bps / 100, bps % 100);
    match frac {
        0 => format!("{whole}%"),
        f if f % 10 == 0 => format!("{whole}.{}%", f / 10),
        f => format!("{whole}.{f:02}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_round_trip_in_metis() {
        let one = U256::from(10u64).pow(U256::from(18));
        assert_eq!(parse_metis("30000").unwrap(), U256::from(30_000) * one);
        assert_eq!(parse_metis("30,000 METIS").unwrap(), U256::from(30_000) * one);
        assert_eq!(parse_metis("2.5").unwrap(), U256::from(25) * one / U256::from(10));
        assert_eq!(format_metis(U256::from(30_000) * one), "30,000");
        assert_eq!(format_metis(U256::from(1_234_567) * one + one / U256::from(4)), "1,234,567.25");
        assert_eq!(format_metis(U256::ZERO), "0");
        assert_eq!(format_metis(U256::from(1)), "0.000000000000000001");
    }

    #[test]
    fn bad_amounts_say_what_to_give() {
        for bad in ["", "-5", "abc", "1.0000000000000000001"] {
            let err = parse_metis(bad).unwrap_err().to_string();
            assert!(err.contains("is not an amount"), "{bad}: {err}");
        }
    }

    #[test]
    fn times_and_gas_as_people_read_them() {
        assert_eq!(format_time(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_time(1_796_308_257), "2026-12-03 14:30:57 UTC");
        assert_eq!(format_time(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(format_gas(71_289), "71,289");
    }

    #[test]
    fn durations_in_words() {
        assert_eq!(format_duration(21 * 86_400), "21d");
        assert_eq!(format_duration(86_400 + 7_200 + 5), "1d 2h");
        assert_eq!(format_duration(45), "45s");
        assert_eq!(format_duration(0), "0s");
    }

    #[test]
    fn bps_print_as_percentages() {
        assert_eq!(format_bps(1_000), "10%");
        assert_eq!(format_bps(1_250), "12.5%");
        assert_eq!(format_bps(1), "0.01%");
        assert_eq!(format_bps(0), "0%");
    }
}
