/**
 * Shared by the sufficient-statistics tests: the fixture formulas, their models from the CSV rows, and
 * the largest difference between two fits.
 */
import { expect } from "vitest";
import { lmm } from "../../src/model/lmm";
import type { LmmModel } from "../../src/model/types";
import { readCsvFile } from "../../src/node/data-file";
import type { RemlFit } from "../../src/reml/types";
import { dataPath } from "../helpers/fixtures";

/** Formulas on the fixture data sets: one factor, slopes, uncorrelated terms, crossed, nested, factors. */
export const STATS_CASES: readonly { readonly data: string; readonly formula: string }[] = [
  { data: "Dyestuff", formula: "Yield ~ 1 + (1 | Batch)" },
  { data: "sleepstudy", formula: "Reaction ~ Days + (Days | Subject)" },
  { data: "sleepstudy", formula: "Reaction ~ Days + (Days || Subject)" },
  { data: "Penicillin", formula: "diameter ~ 1 + (1 | plate) + (1 | sample)" },
  { data: "Pastes", formula: "strength ~ 1 + (1 | batch/cask)" },
  { data: "Exam", formula: "normexam ~ standLRT + sex + (standLRT | school)" },
  { data: "design_cases", formula: "y ~ x * a + l + (1 | g) + (x | h)" },
  { data: "InstEval", formula: "y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept:service)" },
];

const tables = new Map<string, ReturnType<typeof readCsvFile>>();
export function fixtureModel(data: string, formula: string): LmmModel {
  let t = tables.get(data);
  if (t === undefined) {
    t = readCsvFile(dataPath(data));
    tables.set(data, t);
  }
  return lmm(formula, t);
}

function relative(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
}

/** Largest relative difference of the fits' estimates (criterion, beta, se, theta, sigma, ranef). */
export function fitDifference(a: RemlFit, b: RemlFit): number {
  let worst = relative(a.criterion, b.criterion);
  const scale = (xs: readonly number[]) => Math.max(...xs.map(Math.abs), 1e-300);
  const each = (xs: readonly number[], ys: readonly number[]) => {
    expect(xs.length).toBe(ys.length);
    const s = scale(xs);
    xs.forEach((x, i) => {
      worst = Math.max(worst, Math.abs(x - ys[i]!) / s);
    });
  };
  each(a.beta, b.beta);
  each(a.se, b.se);
  each(a.theta, b.theta);
  worst = Math.max(worst, relative(a.sigma, b.sigma));
  a.ranef.forEach((t, k) => {
    each(t.values.flat(), b.ranef[k]!.values.flat());
  });
  return worst;
}

/** Largest difference of two draws arrays, relative to the larger magnitude of each value (or 1). */
export function drawsDifference(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(a[i]!), Math.abs(b[i]!), 1));
  return worst;
}
