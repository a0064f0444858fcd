import { describe, expect, it } from "vitest";
import { parseRNumber, rNumberLabel } from "../../src/data/numbers";

describe("parseRNumber (R's type.convert)", () => {
  it.each([
    ["308", 308],
    [" 3 ", 3],
    ["-1.5e3", -1500],
    [".5", 0.5],
    ["1.", 1],
    ["+2", 2],
    ["0x1A", 26],
    ["-0x1A", -26],
    ["NaN", Number.NaN],
    ["inf", Number.POSITIVE_INFINITY],
    ["-Infinity", Number.NEGATIVE_INFINITY],
  ])("reads %j as %d", (text, value) => {
    expect(parseRNumber(text)).toBe(value);
  });

  it.each(["", " ", "abc", "1,5", "0b101", "0o7", "1e", "1.2.3", "--1", "1_000", "NA"])(
    "does not read %j",
    (text) => {
      expect(parseRNumber(text)).toBeUndefined();
    },
  );
});

describe("rNumberLabel (R's as.character, as factor() labels levels)", () => {
  // Expected strings printed by R 4.2.2: cat(as.character(c(...)))
  it.each([
    [100000, "1e+05"],
    [123456, "123456"],
    [1200000, "1200000"],
    [0.1, "0.1"],
    [1e-5, "1e-05"],
    [0.0001, "1e-04"],
    [1 / 3, "0.333333333333333"],
    [1e15, "1e+15"],
    [123456789012, "123456789012"],
    [0.00012345, "0.00012345"],
    [-0.5, "-0.5"],
    [1e5 + 0.5, "100000.5"],
    [308, "308"],
    [2.5, "2.5"],
    [1e100, "1e+100"],
    [1.5e-100, "1.5e-100"],
    [0.1 + 0.2, "0.3"],
    [0, "0"],
    [-0, "0"],
  ])("writes %d as %s", (value, text) => {
    expect(rNumberLabel(value)).toBe(text);
  });
});

/**
 * The digit-by-digit construction rNumberLabel uses for every number (15 significant digits by
 * toExponential, fixed or scientific by length): the integer shortcut must agree with it exactly.
 */
function referenceLabel(value: number): string {
  const negative = value < 0;
  const sci = Math.abs(value).toExponential(14);
  const [mantissaText = "", exponentText = "0"] = sci.split("e");
  const exponent = Number(exponentText);
  const digits = mantissaText.replace(".", "").replace(/0+$/, "") || "0";
  const nsig = digits.length;
  const sign = negative ? "-" : "";
  const expAbs = Math.abs(exponent);
  const expText = `${exponent < 0 ? "-" : "+"}${expAbs < 10 ? "0" : ""}${expAbs}`;
  const sciText = `${sign}${digits[0]}${nsig > 1 ? `.${digits.slice(1)}` : ""}e${expText}`;
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

describe("rNumberLabel of integers", () => {
  it("agrees with the digit-by-digit construction on integers of every length and trailing zeros", () => {
    const values: number[] = [];
    for (let v = 1; v <= 20000; v++) values.push(v);
    for (let e = 0; e <= 17; e++)
      for (const m of [1, 2, 9, 10, 12, 99, 100, 101, 120, 123, 1000, 1200, 12300, 123000, 120000, 1234567])
        values.push(m * 10 ** e);
    for (let d = 1; d <= 16; d++) {
      values.push(10 ** d - 1, 10 ** d + 1, 10 ** (d - 1) * 7);
      for (let t = 0; t < d; t++) values.push(Number("1234567890123456".slice(0, d)) * 10 ** t);
    }
    values.push(1e15 - 1, 1e15, 1e15 + 1, 999999999999990, 2 ** 53 - 1, 2 ** 53, 1e21, 1e22, 123000, 1e5);
    let state = 12345;
    for (let i = 0; i < 20000; i++) {
      state = (state * 1103515245 + 12345) % 2147483648;
      const digits = 1 + (state % 15);
      const zeros = state % 7;
      values.push(Math.floor((state / 2147483648) * 10 ** digits) * 10 ** zeros);
    }
    const differ = [...values, ...values.map((v) => -v)].filter(
      (v) => v !== 0 && rNumberLabel(v) !== referenceLabel(v),
    );
    expect(differ).toEqual([]);
    expect(values.length).toBeGreaterThan(40000);
  });

  it("writes integers as R does", () => {
    // R: cat(as.character(c(123000, 1e5, -1e5, 1200, 1e6 + 10, 999999999999990, 1e15 + 2, 120000000)))
    expect(
      [123000, 1e5, -1e5, 1200, 1e6 + 10, 999999999999990, 1e15 + 2, 120000000].map(rNumberLabel),
    ).toEqual(["123000", "1e+05", "-1e+05", "1200", "1000010", "999999999999990", "1e+15", "1.2e+08"]);
  });

  it("leaves non-integers to the general construction", () => {
    for (const v of [0.5, -2.25, 1e5 + 0.5, 123456.789, 1e-7, 1 / 3, 1e15 + 0.5, 2.5e-300])
      expect(rNumberLabel(v)).toBe(referenceLabel(v));
  });
});
