/**
 * Number formatting for the printed fit as R's `format`/`print` does it (formatReal's choice of
 * digits and notation, `printCoefmat`'s rounding, `zapsmall`), checked against R 4.2.2 in
 * test/reml/format.test.ts.
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
 * A column of numbers formatted together as R's `format(x, digits = digits)` formats a vector
 * (R's formatReal with scipen = 0): each value needs at most `digits` significant digits; fixed
 * notation with the most decimals any value needs, unless scientific notation (with the most
 * mantissa digits any value needs) is narrower. So a column of variances near 1e-14 prints as
 * `6.121e-14`, not `0.000000`, and sleepstudy's variances as `612.10`, `35.07`, `654.94` — lme4's
 * print.
 *
 * @param values - the column
 * @param digits - significant digits
 * @returns the formatted strings (same length), not padded; NaN is "NA", ±Infinity "Inf"/"-Inf"
 * @example formatColumn([612.0898, 35.0717, 654.941], 4); // ["612.10", "35.07", "654.94"]
 * @example formatColumn([6.1209e-14, 3.5072e-15], 4); // ["6.121e-14", "3.507e-15"]
 */
export function formatColumn(values: readonly number[], digits: number): string[] {
  let any = false;
  let negative = false;
  let rgt = 0;
  let mxsl = 1;
  let mxns = 1;
  let mxe = 0;
  let mne = 0;
  for (const x of values) {
    if (!Number.isFinite(x)) continue;
    const neg = x < 0 ? 1 : 0;
    let kpower = 0;
    let nsig = 1;
    if (x !== 0) {
      const [mantissa = "0", exponent = "0"] = toExponentialR(Math.abs(x), Math.max(0, digits - 1)).split(
        "e",
      );
      kpower = Number(exponent);
      nsig = mantissa.replace(".", "").replace(/0+$/, "").length || 1;
    }
    const left = kpower + 1;
    if (!any) {
      mxe = kpower;
      mne = kpower;
    }
    any = true;
    negative ||= neg === 1;
    mxsl = Math.max(mxsl, neg + (left <= 0 ? 1 : left));
    rgt = Math.max(rgt, nsig - left);
    mxns = Math.max(mxns, nsig);
    mxe = Math.max(mxe, kpower);
    mne = Math.min(mne, kpower);
  }
  const special = (x: number): string => (Number.isNaN(x) ? "NA" : x > 0 ? "Inf" : "-Inf");
  if (!any) return values.map(special);
  const fixedWidth = mxsl + rgt + (rgt > 0 ? 1 : 0);
  const d = mxns - 1;
  const e = mxe >= 100 || mne <= -100 ? 2 : 1;
  const sciWidth = (negative ? 1 : 0) + (d > 0 ? 1 : 0) + d + 4 + e;
  if (fixedWidth <= sciWidth && rgt <= 100)
    return values.map((x) => (Number.isFinite(x) ? toFixedR(x, rgt) : special(x)));
  return values.map((x) =>
    Number.isFinite(x) ? toExponentialR(x, d).replace(/e([+-])(\d)$/, "e$10$2") : special(x),
  );
}

/**
 * Whether the exact decimal value of x, written with `written` (a `toFixed`/`toExponential` of
 * many more digits), is exactly halfway between two values with `keep` digits after the point —
 * then C's printf (R's formatting) rounds to the even one, where JavaScript rounds away from zero.
 */
function halfway(written: string, keep: number): boolean {
  const point = written.indexOf(".");
  const rest = written.slice(point + 1 + keep).split("e")[0]!;
  return /^50*$/.test(rest);
}

/** x.toExponential(d) with C's rounding of exact ties (to even). */
export function toExponentialR(x: number, d: number): string {
  const js = x.toExponential(d);
  if (d + 25 > 100) return js;
  const long = Math.abs(x).toExponential(d + 25);
  if (!halfway(long, d)) return js;
  const [mantissa = "", exponent = ""] = long.split("e");
  const kept = mantissa.slice(0, d === 0 ? 1 : d + 2);
  const lastDigit = Number(kept[kept.length - 1]);
  return lastDigit % 2 === 0 ? `${x < 0 ? "-" : ""}${kept}e${exponent}` : js;
}

/** x.toFixed(d) with C's rounding of exact ties (to even). */
export function toFixedR(x: number, d: number): string {
  const js = x.toFixed(d);
  if (d + 25 > 100 || Math.abs(x) >= 1e21) return js;
  const long = Math.abs(x).toFixed(d + 25);
  if (!halfway(long, d)) return js;
  const kept = long.slice(0, long.indexOf(".") + (d === 0 ? 0 : d + 1));
  const lastDigit = Number(kept[kept.length - 1]);
  if (lastDigit % 2 !== 0) return js;
  return `${x < 0 && Number(kept) !== 0 ? "-" : ""}${kept}`;
}

/**
 * R's `round(x, digits)`: x rounded to `digits` decimal places (half away from zero in the decimal
 * value JavaScript prints, which is R's result but for exact binary ties).
 *
 * @example roundDecimals(251.40498, 3); // 251.405
 */
export function roundDecimals(x: number, digits: number): number {
  const dig = Math.floor(digits + 0.5); // R rounds a non-integer `digits` (fround.c)
  if (!Number.isFinite(x) || dig > 75) return x;
  if (dig < 0) {
    const f = 10 ** -dig;
    return Math.round(x / f) * f;
  }
  return Number(toFixedR(x, dig));
}

/**
 * R's `zapsmall(x, digits)` (R 4.2): round(x, max(0, digits − log10(max |x|))), `round` taking the
 * nearest integer of a fractional number of decimals.
 *
 * @example zapsmall([-3.95356, 0.02312, 5.17931], 5); // [-3.9536, 0.0231, 5.1793]
 */
export function zapsmall(values: readonly number[], digits: number): number[] {
  const largest = Math.max(0, ...values.filter(Number.isFinite).map(Math.abs));
  const decimals = largest > 0 ? Math.max(0, digits - Math.log10(largest)) : digits;
  return values.map((v) => roundDecimals(v, decimals));
}

/**
 * The Estimate / Std. Error columns and the t value column of R's `printCoefmat` (what lme4's
 * summary prints): estimates and standard errors rounded together to the decimals the smallest of
 * them needs for `digits` significant digits, then formatted jointly (a nonzero value shown as 0
 * is formatted alone with digits − 1); t values rounded to max(1, min(5, digits − 1)) decimals and
 * formatted.
 *
 * @returns the estimate, standard error and t value columns, not padded
 * @example coefficientColumns([251.405, 10.467], [6.825, 1.546], 4).estimate; // ["251.405", "10.467"]
 */
export function coefficientColumns(
  estimate: readonly number[],
  se: readonly number[],
  digits: number,
): { estimate: string[]; se: string[]; t: string[] } {
  const magnitudes = [...estimate, ...se].filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  let decimals = 1;
  if (magnitudes.length > 0) {
    const digmin = [Math.min(...magnitudes), Math.max(...magnitudes)].map(
      (a) => 1 + Math.floor(Math.log10(a)),
    );
    decimals = Math.max(1, ...digmin.map((m) => digits - m));
  }
  const values = [...estimate, ...se];
  const both = formatColumn(
    values.map((v) => roundDecimals(v, decimals)),
    digits,
  );
  // A nonzero value shown as zero (or the reverse) is formatted on its own with digits − 1.
  values.forEach((v, i) => {
    if ((v === 0) !== (Number(both[i]) === 0) && Number.isFinite(v))
      both[i] = formatColumn([v], Math.max(1, digits - 1))[0]!;
  });
  const tDigits = Math.max(1, Math.min(5, digits - 1));
  const t = formatColumn(
    estimate.map((b, j) => roundDecimals(b / se[j]!, tDigits)),
    digits,
  );
  return { estimate: both.slice(0, estimate.length), se: both.slice(estimate.length), t };
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
