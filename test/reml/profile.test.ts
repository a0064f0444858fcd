/**
 * Profile confidence intervals against lme4 1.1-31's `confint(profile(fit), level)` at 0.95 and 0.8
 * (test/fixtures/confint/profile.json, made by make.R there) on six models: one variance component
 * (Dyestuff), a correlated random slope, an ML fit, crossed (Penicillin), nested with an sd whose
 * interval reaches 0 (Pastes), and a singular fit whose sd is 0 (Dyestuff2). lme4 interpolates its profile with a spline and stops its optimizers
 * near (not at) the optimum; we find each end by root-finding on the profile itself. Tolerance:
 * 1e-3 relative to the parameter's scale (max(|lower|, |upper|)); the worst at 0.95 was 5.3e-5 (Pastes).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv";
import { lmm } from "../../src/model/lmm";
import { confint } from "../../src/reml/confint";
import { fitLmm } from "../../src/reml/fit";
import { dataPath, readJsonFixture } from "../helpers/fixtures";

interface Case {
  data: string;
  formula: string;
  REML: boolean;
  parameters: string[];
  lower95: number[];
  upper95: number[];
  lower80: number[];
  upper80: number[];
}
const cases = readJsonFixture<{ cases: Record<string, Case> }>("confint/profile.json").cases;

describe.each(Object.entries(cases))("profile intervals: %s", (_, c) => {
  const fit = fitLmm(lmm(c.formula, parseCsv(readFileSync(dataPath(c.data), "utf8"))), {
    method: c.REML ? "REML" : "ML",
  });
  it.each([
    [0.95, c.lower95, c.upper95],
    [0.8, c.lower80, c.upper80],
  ])("level %s matches lme4's to 1e-3", (level, lower, upper) => {
    const rows = confint(fit, { method: "profile", level });
    expect(rows.map((r) => r.name)).toEqual(c.parameters);
    rows.forEach((r, i) => {
      const scale = Math.max(Math.abs(lower[i]!), Math.abs(upper[i]!));
      expect(Math.abs(r.lower - lower[i]!) / scale, `${r.name} lower`).toBeLessThan(1e-3);
      expect(Math.abs(r.upper - upper[i]!) / scale, `${r.name} upper`).toBeLessThan(1e-3);
      expect(r.lower).toBeLessThanOrEqual(r.estimate);
      expect(r.upper).toBeGreaterThanOrEqual(r.estimate);
    });
  });
});
