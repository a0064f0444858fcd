/**
 * The printed numbers against R 4.2.2 itself (test/fixtures/format/format.json, made by make.R):
 * `format(x, digits)` of 59 vectors at 4 digit settings, and the cells of `printCoefmat(digits = 4)`
 * as lme4's summary prints fixed effects — and the summary of a fit on y × 1e-8 shows digits, not
 * `0.000000` (issue 18).
 */
import { describe, expect, it } from "vitest";
import { lmm } from "../../src/model/lmm";
import { readCsvFile } from "../../src/node/data-file";
import { reml } from "../../src/reml/fit";
import { coefficientColumns, formatColumn } from "../../src/reml/format";
import { fitSummary } from "../../src/reml/summary";
import { dataPath, readJsonFixture } from "../helpers/fixtures";

interface FormatFixture {
  format: { x: number[]; digits: number[]; formatted: string[] }[];
  coefmat: {
    estimate: number[];
    se: number[];
    estimate_text: string[];
    se_text: string[];
    t_text: string[];
  }[];
}
const fixture = readJsonFixture<FormatFixture>("format/format.json");

describe("formatColumn is R's format(x, digits)", () => {
  it(`matches R on all ${fixture.format.length} cases`, () => {
    const wrong = fixture.format.filter(
      (c) => formatColumn(c.x, c.digits[0]!).join("|") !== c.formatted.join("|"),
    );
    expect(wrong.map((c) => ({ ...c, ours: formatColumn(c.x, c.digits[0]!) }))).toEqual([]);
  });
});

describe("coefficientColumns is printCoefmat's Estimate / Std. Error / t value", () => {
  it(`matches R on all ${fixture.coefmat.length} cases`, () => {
    for (const c of fixture.coefmat) {
      const ours = coefficientColumns(c.estimate, c.se, 4);
      expect({ estimate: ours.estimate, se: ours.se, t: ours.t }).toEqual({
        estimate: c.estimate_text,
        se: c.se_text,
        t: c.t_text,
      });
    }
  });
});

describe("the printed fit keeps its digits at any scale", () => {
  const data = readCsvFile(dataPath("sleepstudy"));
  const scaled = (factor: number) => {
    const y = data.column("Reaction");
    if (y?.type !== "numeric") throw new Error("no Reaction");
    return lmm("Reaction ~ Days + (Days | Subject)", {
      Reaction: Array.from(y.values, (v) => v * factor),
      Days: Array.from((data.column("Days") as { values: Float64Array }).values),
      Subject: (data.column("Subject") as { values: readonly (string | null)[] }).values as string[],
    });
  };
  it("y × 1e-8: variances as 6.121e-14, not 0.000000 (lme4 prints the same)", () => {
    const text = fitSummary(reml(scaled(1e-8)));
    expect(text).toMatch(/Residual\s+6\.549e-14\s+2\.559e-07/);
    expect(text).toMatch(/\(Intercept\)\s+2\.514e-06\s+6\.825e-08\s+36\.838/);
    expect(text).not.toContain("0.000000");
  });
  it("y × 1e80 and y × 1e-150: the correlation is 0.07 (true 0.066), not 0.00 or NaN", () => {
    for (const factor of [1e80, 1e-150]) {
      const text = fitSummary(reml(scaled(factor)));
      expect(text).toMatch(/Days\s+\S+\s+\S+\s+0\.07\n/);
      expect(text).not.toContain("NaN");
    }
  });
});
