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
