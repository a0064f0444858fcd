/**
 * The printer: names quoted only when needed, the expanded formula as text, and round trips
 * (printing a spec and parsing the text gives the same spec, apart from `text` and positions).
 */
import { describe, expect, it } from "vitest";
import { formatFormula, formatName, formulaSpec } from "../../src/formula";
import { LME4_MODELS, readJsonFixture } from "../helpers/fixtures";
import { meaning } from "./helpers";

describe("formatName", () => {
  it.each([
    ["x", "x"],
    ["log.dose", "log.dose"],
    [".x", ".x"],
    ["_x", "_x"],
    ["Größe", "Größe"],
    ["my col", "`my col`"],
    ["a:b", "`a:b`"],
    ["1x", "`1x`"],
    [".5x", "`.5x`"],
    ["a`b", "`a\\`b`"],
    ["a\\b", "`a\\\\b`"],
  ])("%j → %j", (name, printed) => {
    expect(formatName(name)).toBe(printed);
  });

  it.each(["my col", "a:b", "1x", "a`b", "a\\b", "x y\tz", "(", "`"])(
    "%j reads back as the same name",
    (name) => {
      expect(formulaSpec(`y ~ ${formatName(name)}`).fixed).toEqual([{ variables: [name] }]);
    },
  );
});

describe("formatFormula", () => {
  it.each([
    ["Yield ~ 1 + (1 | Batch)", "Yield ~ (1 | Batch)"],
    ["y ~ 1", "y ~ 1"],
    ["y ~ 0", "y ~ 0"],
    ["y ~ -1 + x", "y ~ 0 + x"],
    ["y ~ a*b", "y ~ a + b + a:b"],
    ["y ~ a/b", "y ~ a + a:b"],
    ["y ~ x + offset(o)", "y ~ x + offset(o)"],
    ["y ~ offset(o)", "y ~ offset(o)"],
    ["y ~ 0 + offset(o)", "y ~ 0 + offset(o)"],
    ["y ~ (x || g)", "y ~ (1 | g) + (0 + x | g)"],
    ["y ~ (0 + x || g)", "y ~ (0 + x | g)"],
    ["y ~ (x + z | g)", "y ~ (x + z | g)"],
    ["strength ~ 1 + (1 | batch/cask)", "strength ~ (1 | cask:batch) + (1 | batch)"],
    ["y ~ `my x` + (1 | `my g`)", "y ~ `my x` + (1 | `my g`)"],
    ["`my y` ~ x", "`my y` ~ x"],
    // variable order: kept by printing higher-degree terms first, or by a prefix that adds no term
    ["y ~ b:a + a", "y ~ b:a + a"],
    ["y ~ a*b - a", "y ~ a:b + b"],
    ["y ~ c - c + a:b + c:a", "y ~ (c + a + b) - (c + a + b) + a:b + c:a"],
  ])("%j → %j", (text, printed) => {
    expect(formatFormula(formulaSpec(text))).toBe(printed);
  });

  it.each([
    ...LME4_MODELS.map((m) => readJsonFixture<{ formula: string }>(`lme4/${m}.json`).formula),
    "y ~ a*b*c - a:b + offset(o) + (x*z || g1/g2) + (0 + x | h:k)",
    "y ~ b:a + c:a:b + a + (z:x + x | g)",
    "y ~ 0 + c - c + a:b + c:a",
  ])("round trip: %s", (text) => {
    const spec = formulaSpec(text);
    const printed = formatFormula(spec);
    const again = formulaSpec(printed);
    expect(meaning(again)).toEqual(meaning(spec));
    expect(formatFormula(again)).toBe(printed);
  });
});
