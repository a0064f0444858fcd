/**
 * Numbers as R reads and prints them: which CSV fields are numbers (R's `type.convert`, as
 * `read.csv` uses it) and how a number becomes a factor level's label (R's `as.character`).
 */

/**
 * Parses a CSV field as R's `type.convert` would: decimal numbers with optional sign, fraction and
 * exponent (`12`, `-1.5e3`, `.5`), hexadecimal (`0x1A`), `NaN`, `Inf`, `infinity` (any case, signed),
 * with surrounding white space ignored.
 *
 * @param text - the field's text (quotes already removed).
 * @returns the number, or `undefined` when R would not read the field as a number.
 * @example parseRNumber(" 308 ") // 308
 * @example parseRNumber("0x1A") // 26
 * @example parseRNumber("1,5") // undefined
 */
export function parseRNumber(text: string): number | undefined {
  const c = text.charCodeAt(0);
  // Fast path: a plain decimal number with no surrounding space. `Number` accepts a few forms R
  // does not (`0b1`, `0o7`, `Infinity` — the latter R accepts too, but only through the slow path).
  if ((c >= 48 && c <= 57) || c === 46 || c === 45 || c === 43) {
    const value = Number(text);
    if (!Number.isNaN(value)) {
      const second = text.charCodeAt(1);
      const radixPrefix = c === 48 && (second === 98 || second === 66 || second === 111 || second === 79);
      const last = text.charCodeAt(text.length - 1);
      const padded = last === 32 || last === 9;
      if (!radixPrefix && !padded) return value;
    }
  }
  return parseRNumberSlow(text);
}

const SPECIAL = /^([+-]?)(nan|inf|infinity)$/i;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]+)$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseRNumberSlow(text: string): number | undefined {
  const t = text.trim();
  if (t.length === 0) return undefined;
  if (DECIMAL.test(t)) return Number(t);
  const hex = HEX.exec(t);
  if (hex !== null) {
    const magnitude = Number.parseInt(hex[2] ?? "", 16);
    return hex[1] === "-" ? -magnitude : magnitude;
  }
  const special = SPECIAL.exec(t);
  if (special !== null) {
    if ((special[2] ?? "").toLowerCase() === "nan") return Number.NaN;
    return special[1] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  return undefined;
}

/**
 * The text R's `as.character` gives a double: at most 15 significant digits, written in fixed
 * notation unless scientific notation is strictly shorter (R's `formatReal` with `scipen = 0`).
 * Used for the level labels of a numeric grouping variable, as R's `factor()` makes them.
 *
 * @param value - any number.
 * @returns R's text: `308`, `2.5`, `1e+05`, `0.333333333333333`, `-Inf`, `NaN`.
 * @example rNumberLabel(100000) // "1e+05"
 * @example rNumberLabel(123456) // "123456"
 * @example rNumberLabel(1 / 3) // "0.333333333333333"
 */
export function rNumberLabel(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Inf" : "-Inf";
  if (value === 0) return "0";
  const negative = value < 0;
  // An integer below 10^15 has at most 15 digits, all of them exact: no rounding to do.
  if (Number.isInteger(value) && value > -1e15 && value < 1e15) return integerLabel(value, negative);
  // Fifteen significant digits, trailing zeros removed: the digits R keeps.
  const sci = Math.abs(value).toExponential(14);
  const [mantissaText = "", exponentText = "0"] = sci.split("e");
  const exponent = Number(exponentText);
  const digits = mantissaText.replace(".", "").replace(/0+$/, "") || "0";
  const nsig = digits.length;
  const sign = negative ? "-" : "";
  // Scientific: d[.ddd]e+XX (at least two exponent digits).
  const expAbs = Math.abs(exponent);
  const expText = `${exponent < 0 ? "-" : "+"}${expAbs < 10 ? "0" : ""}${expAbs}`;
  const sciText = `${sign}${digits[0]}${nsig > 1 ? `.${digits.slice(1)}` : ""}e${expText}`;
  // Fixed: as many decimals as the significant digits need.
  let fixedText: string;
  if (exponent >= 0) {
    const intDigits = exponent + 1;
    const intPart = digits.slice(0, intDigits).padEnd(intDigits, "0");
    const fracPart = digits.slice(intDigits);
    fixedText = `${sign}${intPart}${fracPart.length > 0 ? `.${fracPart}` : ""}`;
  } else {
    fixedText = `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  }
  return fixedText.length <= sciText.length ? fixedText : sciText;
}

/**
 * `rNumberLabel` of a non-zero integer below 10^15 in magnitude: its decimal digits (String writes
 * such an integer in full), or scientific notation when that is strictly shorter — only possible
 * with trailing zeros (`1e+05`, `1.2e+07`). The exponent is below 15: two digits.
 */
function integerLabel(value: number, negative: boolean): string {
  const text = String(value);
  const last = text.charCodeAt(text.length - 1);
  // Not ending in 0: every digit is significant, and the fixed form (as many characters as digits)
  // is never longer than the scientific one (the same digits plus a point and `e+XX`).
  if (last !== 48) return text;
  const start = negative ? 1 : 0;
  const intDigits = text.length - start;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--;
  const nsig = end - start;
  const sciLength = (nsig > 1 ? nsig + 1 : 1) + 4;
  if (intDigits <= sciLength) return text;
  const exponent = intDigits - 1;
  const mantissa = nsig > 1 ? `${text[start]}.${text.slice(start + 1, end)}` : text[start];
  return `${negative ? "-" : ""}${mantissa}e+${exponent < 10 ? "0" : ""}${exponent}`;
}
