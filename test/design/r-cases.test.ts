/**
 * R's `model.matrix` and lme4's `lFormula` on 28 formulas over one small data set with factors,
 * a logical, mixed-case strings, a numeric grouping variable and missing values
 * (test/fixtures/design/make.R made the data and the expected values; see test/fixtures/README.md).
 * Checked: rows used, X's names and every value, the aliased columns lme4 drops, each term's label,
 * grouping factor, column names and levels in lme4's order, Z's size and column sums, offsets.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv";
import { lmm } from "../../src/model/lmm";
import type { LmmModel } from "../../src/model/types";
import { dataPath, readJsonFixture } from "../helpers/fixtures";

interface Case {
  formula: string;
  nobs: number;
  X_colnames: string[] | null;
  X_dropped: string[] | null;
  X: number[][];
  offset_sum: number | null;
  terms: { label: string; group: string; names: string[]; levels: string[] }[];
  Z_dim: [number, number];
  Z_colsums: number[];
}

const reference = readJsonFixture<{ cases: Case[] }>("design/design_cases.json");
const data = parseCsv(readFileSync(dataPath("design_cases"), "utf8"));

/** Column sums of Z = [Z_1 ... Z_K] from the terms' refs and values. */
function zColSums(model: LmmModel): number[] {
  const sums: number[] = [];
  for (const t of model.terms) {
    const block = new Array<number>(t.q * t.m).fill(0);
    for (let i = 0; i < model.n; i++)
      for (let r = 0; r < t.q; r++) block[t.refs[i]! * t.q + r]! += t.values[i * t.q + r]!;
    sums.push(...block);
  }
  return sums;
}

describe.each(reference.cases)("R and lme4 on $formula", (c) => {
  const model = lmm(c.formula, data);

  it("uses the same rows and builds X as R's model.matrix, less lme4's aliased columns", () => {
    expect(model.n).toBe(c.nobs);
    expect(model.fixedNames).toEqual(c.X_colnames ?? []);
    expect(model.aliased).toEqual(c.X_dropped ?? []);
    expect(model.warnings.length).toBe((c.X_dropped ?? []).length > 0 ? 1 : 0);
    // Products of CSV values with 4 decimals: the same double operations as R's, so equal to 1e-12.
    for (let i = 0; i < model.n; i++)
      for (let j = 0; j < model.p; j++) expect(model.X[i * model.p + j]).toBeCloseTo(c.X[i]![j]!, 12);
  });

  it("builds lme4's random-effects terms: order, labels, names, levels, Z", () => {
    expect(
      model.terms.map((t) => ({ label: t.label, group: t.group, names: t.names, levels: t.levels })),
    ).toEqual(c.terms);
    expect([model.n, model.terms.reduce((a, t) => a + t.q * t.m, 0)]).toEqual(c.Z_dim);
    const sums = zColSums(model);
    sums.forEach((s, k) => {
      expect(s).toBeCloseTo(c.Z_colsums[k]!, 10);
    });
  });

  it("sums offsets", () => {
    if (c.offset_sum === null) expect(model.offset).toBeNull();
    else expect(model.offset!.reduce((a, v) => a + v, 0)).toBeCloseTo(c.offset_sum, 10);
  });
});
