/**
 * Every lme4 fixture: X's column names and sums, Z's size and each term's column names equal what
 * lme4 1.1-31 gave (test/fixtures/README.md), through the API.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv";
import { lmm } from "../../src/model/lmm";
import { dataPath, LME4_MODELS, readJsonFixture } from "../helpers/fixtures";

interface Lme4Fixture {
  formula: string;
  data: string;
  nobs: number;
  ngroups: Record<string, number>;
  X_colnames: string[];
  X_colsums: number[];
  Z_dim: [number, number];
  Z_colnames_per_term: Record<string, string[]>;
  ranef?: Record<string, { level: string }[]>;
}

/** Column sums of a row-major n × p matrix. */
function colSums(X: Float64Array, n: number, p: number): number[] {
  const sums = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) sums[j]! += X[i * p + j]!;
  return sums;
}

describe.each(LME4_MODELS)("lme4 fixture %s", (name) => {
  const fixture = readJsonFixture<Lme4Fixture>(`lme4/${name}.json`);
  const model = lmm(fixture.formula, parseCsv(readFileSync(dataPath(fixture.data), "utf8")));

  it("has lme4's X column names and column sums (1e-9 relative)", () => {
    expect(model.fixedNames).toEqual(fixture.X_colnames);
    const sums = colSums(model.X, model.n, model.p);
    // Sums of a few thousand CSV values: only rounding in the last bits differs.
    sums.forEach((s, j) => {
      const expected = fixture.X_colsums[j]!;
      expect(Math.abs(s - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
    });
  });

  it("has lme4's Z size, term labels, column names and group sizes", () => {
    expect(model.n).toBe(fixture.nobs);
    expect(model.n).toBe(fixture.Z_dim[0]);
    expect(model.terms.reduce((acc, t) => acc + t.q * t.m, 0)).toBe(fixture.Z_dim[1]);
    expect(Object.fromEntries(model.terms.map((t) => [t.label, t.names]))).toEqual(
      fixture.Z_colnames_per_term,
    );
    expect(model.terms.map((t) => t.label)).toEqual(Object.keys(fixture.Z_colnames_per_term));
    for (const t of model.terms) expect(t.m).toBe(fixture.ngroups[t.group]);
  });

  // InstEval's fixture has no ranef (lme4's conditional modes were omitted for its size).
  if (Object.keys(fixture.ranef ?? {}).length > 0)
    it("orders each grouping factor's levels as lme4's ranef does", () => {
      for (const t of model.terms) expect(t.levels).toEqual(fixture.ranef![t.group]!.map((r) => r.level));
    });
});
