// Amounts and times as people read them: METIS from wei through strings (never through a JS
// number), dates in UTC from the governor's clock (timestamps: on Arbitrum, block numbers are
// L1 estimates and useless as a clock).

import { formatUnits, parseUnits, type Address } from 'viem';

const grouping = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4, roundingMode: 'trunc' } as Intl.NumberFormatOptions);

/** The token's decimals (METIS has 18; the page reads them from the token at start). */
let decimals = 18;

export function setDecimals(value: number): void {
  decimals = value;
}

/** `12,345.6789 METIS` (truncated to 4 decimals; the exact value is in the title). */
export function metis(wei: bigint, unit = 'METIS'): string {
  const text = grouping.format(formatUnits(wei, decimals) as `${number}`);
  return unit ? `${text} ${unit}` : text;
}

/** Exact METIS, for titles and copies. */
export function metisExact(wei: bigint): string {
  return `${formatUnits(wei, decimals)} METIS`;
}

/** Parses what a person typed as METIS (`1,000.5`), or throws a sentence that says what to fix. */
export function parseMetis(text: string): bigint {
  const clean = text.trim().replace(/[,_\s]/g, '').replace(/METIS$/i, '');
  if (!new RegExp(`^\\d+(\\.\\d{1,${decimals}})?$`).test(clean)) throw new Error(`"${text}" is not an amount: give METIS as a number like 1000 or 2.5`);
  return parseUnits(clean, decimals);
}

/** `2026-12-24 13:50 UTC`. */
export function date(seconds: bigint | number): string {
  const d = new Date(Number(seconds) * 1000);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `3d 4h`, `45m`, `12s`. */
export function duration(seconds: bigint | number): string {
  let s = Math.max(0, Number(seconds));
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return parts.slice(0, 2).join(' ') || '0s';
}

/** `in 3d 4h` or `3d 4h ago`, from `now`. */
export function relative(at: bigint | number, now: bigint | number): string {
  const diff = Number(at) - Number(now);
  return diff >= 0 ? `in ${duration(diff)}` : `${duration(-diff)} ago`;
}

/** `0x7099…79C8`. */
export function short(address: Address | string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** A percentage of `part` in `whole` with one decimal, `-` for an empty whole. */
export function percent(part: bigint, whole: bigint): string {
  if (whole === 0n) return '-';
  const tenths = (part * 1000n) / whole;
  return `${tenths / 10n}.${tenths % 10n}%`;
}
