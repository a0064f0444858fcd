/**
 * Number formatting for the printed fit, close to R's `format`/`print` (not byte-identical).
 */

/**
 * x with `digits` significant digits; small p-values (when `pValue`) as R's `format.pval` does.
 *
 * @param x - the number
 * @param digits - significant digits
 * @param pValue - print values below 2.2e-16 as "< 2.2e-16" and small ones in scientific notation
 * @returns the text; "NA" for NaN
 * @example
 * formatNumber(1743.62827, 5); // "1743.6"
 */
export function formatNumber(x: number, digits: number, pValue = false): string {
  if (Number.isNaN(x)) return "NA";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  if (pValue && x < 2.2e-16) return "< 2.2e-16";
  const a = Math.abs(x);
  if (x !== 0 && (a < 1e-4 || a >= 1e15))
    return x.toExponential(Math.max(0, digits - 1)).replace(/e([+-])(\d)$/, "e$10$2");
  if (x === 0) return "0";
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(a)));
  return x.toFixed(Math.min(decimals, 15));
}

/**
 * A column of numbers with common decimals: enough for `digits` significant digits of the smallest
 * nonzero |value| (at most `maxDecimals`), as R's `format` on a vector.
 *
 * @param values - the column
 * @param digits - significant digits
 * @param maxDecimals - cap on the decimals
 * @returns the formatted strings (same length), not padded
 * @example
 * formatColumn([251.405, 10.467], 4); // ["251.41", "10.47"]
 */
export function formatColumn(values: readonly number[], digits: number, maxDecimals = 8): string[] {
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  if (finite.length === 0) return values.map((v) => formatNumber(v, digits));
  const smallest = Math.min(...finite);
  const decimals = Math.min(maxDecimals, Math.max(0, digits - 1 - Math.floor(Math.log10(smallest))));
  return values.map((v) => (Number.isFinite(v) ? v.toFixed(decimals) : formatNumber(v, digits)));
}

/**
 * R's `abbreviate(name, 6)`: lower-case vowels dropped from the right (never the first character),
 * then other lower-case letters, then truncation.
 *
 * @example
 * abbreviate("(Intercept)", 6); // "(Intr)"
 */
export function abbreviate(name: string, minLength = 6): string {
  const chars = [...name];
  const drop = (test: (c: string) => boolean): void => {
    for (let i = chars.length - 1; i > 0 && chars.length > minLength; i--)
      if (test(chars[i]!)) chars.splice(i, 1);
  };
  drop((c) => "aeiou".includes(c));
  drop((c) => c >= "a" && c <= "z");
  return chars.slice(0, Math.max(minLength, 1)).join("");
}
