/**
 * How string factor levels are sorted. R's `factor()` sorts levels with `sort()`, which compares
 * strings with the locale's collation: ICU's in every locale but C/POSIX when R is built with ICU
 * (as Debian's, Ubuntu's, CRAN's macOS and Windows builds are), `strcmp` byte order in the C locale.
 *
 * - `"locale"` (the default): ICU collation for `en-US` — what R gives in en_US.UTF-8 and in
 *   C.UTF-8 with ICU: `a < A < b < B`, `_x < -1 < 10 < 9 < a`, `e < é < f`. JavaScript's
 *   `Intl.Collator` is ICU's collator, so the two agree (checked against R 4.2.2: see
 *   test/data/collate.test.ts). Strings the collator ranks equal are ordered by code point, so the
 *   order is total and deterministic.
 * - `"codepoint"`: UTF-16 code-unit order, which equals R's in `LC_COLLATE=C` for ASCII data:
 *   `A < B < a < b`.
 */
export type StringOrder = "locale" | "codepoint";

const collator = /* @__PURE__ */ new Intl.Collator("en-US");

function byCodepoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byLocale(a: string, b: string): number {
  return collator.compare(a, b) || byCodepoint(a, b);
}

/** The comparison function for `order`, for `Array.prototype.sort`. */
export function stringComparator(order: StringOrder): (a: string, b: string) => number {
  return order === "codepoint" ? byCodepoint : byLocale;
}
