/**
 * The formula language against R 4.2.2 and lme4 1.1-31 (test/fixtures/design/language.R made the
 * expected values): 29 formulas on sleepstudy, Oxboys, Orthodont, ChickWeight, CO2, cake and a data set
 * with missing values, using functions of columns (log, log10, log1p, exp, sqrt, abs, sin, cos, I(),
 * scale, poly orthogonal and raw, ns, bs, factor, as.numeric), term operators (^, %in%, ., -, 0 +),
 * functions in the response, offsets, random terms and grouping factors, contrasts (treatment, sum,
 * Helmert, polynomial) and ordered factors. For each:
 *
 * - X's names and every value equal R's model.matrix (1e-10), and the aliased columns lme4 drops;
 * - each random term's group, column names and levels;
 * - the design on new data (values outside the training range, unseen groups) equals R's
 *   `model.matrix(terms, model.frame(terms, newdata, xlev = training levels), contrasts.arg = ...)`
 *   (1e-10), each random term's columns too, and unseen grouping levels are reported;
 * - the REML (and for some, ML) fit equals lme4's: fixed effects 1e-4, standard errors and variance
 *   components 1e-3 (relative), and our criterion is no higher than lme4's (beyond rounding). Where
 *   lme4's default fit stops early (four fits, its criterion 2e-7 to 5.6e-6 above ours; Orthodont's
 *   `age * Sex` and ChickWeight's `factor(Diet) * poly(Time, 2)` by enough to move a variance 0.2%),
 *   lme4's own criterion (`devFunOnly`) at our theta is lower than at its own, and lme4 restarted from
 *   our theta with tight tolerances (devfun.R) gives our estimates; every fit is compared with that
 *   restarted fit.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv";
import { applyRecipe } from "../../src/design/recipe";
import { DataError } from "../../src/errors";
import { lmm } from "../../src/model/lmm";
import { fitLmm } from "../../src/reml/fit";
import type { RemlFit } from "../../src/reml/types";
import { type CaseOptions, languageOptions } from "../fixtures/design/language-options";
import { dataPath, readJsonFixture } from "../helpers/fixtures";

interface FitReference {
  fixef: number[];
  se: number[];
  theta: number[];
  sigma: number;
  criterion: number;
  varcorr: { grp: string; var1: string | null; var2: string | null; vcov: number; sdcor: number }[];
  singular: boolean;
  messages: string[];
}

interface Case {
  data: string;
  formula: string;
  options: CaseOptions;
  nobs: number;
  X_colnames: string[];
  X_dropped: string[];
  X: number[][];
  offset: number[] | null;
  terms: { group: string; names: string[]; levels: string[] }[];
  newdata: Record<string, unknown>[];
  new_X: number[][];
  new_offset: number[] | null;
  new_random: { group: string; names: string[]; values: number[][]; labels: string[]; seen: boolean[] }[];
  bad_newdata: Record<string, unknown>[] | null;
  bad_newdata_error: string | null;
  reml: FitReference;
  ml?: FitReference;
}

const reference = readJsonFixture<{ tool: string; cases: Case[] }>("design/language.json");
/** lme4's criterion at our theta and lme4 restarted there with tight tolerances (devfun.R). */
const devfun = readJsonFixture<{
  fits: {
    data: string;
    formula: string;
    method: "REML" | "ML";
    lme4_at_ours: number;
    lme4_at_lme4: number;
    refined: FitReference;
  }[];
}>("design/devfun.json");
const refinedFit = (c: Case, method: "REML" | "ML") =>
  devfun.fits.find((f) => f.data === c.data && f.formula === c.formula && f.method === method)!;
const tables = new Map<string, ReturnType<typeof parseCsv>>();
const table = (name: string) => {
  let t = tables.get(name);
  if (t === undefined) {
    t = parseCsv(readFileSync(dataPath(name), "utf8"));
    tables.set(name, t);
  }
  return t;
};

/** |a - b| within tol, relative to the size of b (absolute below 1). */
function close(a: number, b: number, tol: number): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
}

function expectMatrix(
  actual: Float64Array,
  p: number,
  expected: number[][],
  tol: number,
  what: string,
): void {
  expect(actual.length, what).toBe(expected.length * p);
  let worst = 0;
  expected.forEach((row, i) => {
    row.forEach((v, j) => {
      const d = Math.abs(actual[i * p + j]! - v) / Math.max(1, Math.abs(v));
      worst = Math.max(worst, d);
    });
  });
  expect(worst, `${what}: largest relative difference`).toBeLessThanOrEqual(tol);
}

/**
 * A fit against lme4's: never a higher criterion than lme4's default fit, the same optimum as lme4
 * restarted from our theta with tight tolerances (criterion 1e-8, estimates), and — unless lme4's
 * default fit stopped early, i.e. its own criterion is higher than at our theta — its estimates too.
 */
function expectFit(fit: RemlFit, ref: FitReference, lme4: ReturnType<typeof refinedFit>): void {
  expect(fit.criterion).toBeLessThanOrEqual(ref.criterion + 1e-8 * Math.abs(ref.criterion));
  expect(Math.abs(fit.criterion - lme4.refined.criterion)).toBeLessThanOrEqual(
    1e-8 * Math.max(1, Math.abs(fit.criterion)),
  );
  // lme4's own function never finds our optimum worse than its own.
  expect(lme4.lme4_at_ours).toBeLessThanOrEqual(lme4.lme4_at_lme4 + 1e-9 * Math.abs(lme4.lme4_at_lme4));
  expectEstimates(fit, lme4.refined);
  const stoppedEarly = ref.criterion - lme4.refined.criterion > 1e-7;
  if (!stoppedEarly) expectEstimates(fit, ref);
}

function expectEstimates(fit: RemlFit, ref: FitReference): void {
  fit.beta.forEach((b, j) => {
    expect(close(b, ref.fixef[j]!, 1e-4), `fixef ${fit.fixedNames[j]}: ${b} vs ${ref.fixef[j]}`).toBe(true);
  });
  fit.se.forEach((s, j) => {
    expect(close(s, ref.se[j]!, 1e-3), `se ${fit.fixedNames[j]}: ${s} vs ${ref.se[j]}`).toBe(true);
  });
  expect(fit.varcorr.length).toBe(ref.varcorr.length);
  fit.varcorr.forEach((row, k) => {
    const r = ref.varcorr[k]!;
    expect([row.grp, row.var1, row.var2]).toEqual([r.grp, r.var1, r.var2]);
    // Variances relative to the residual variance: a variance estimated as 0 compares in those units.
    const scale = row.var2 === null ? Math.max(Math.abs(r.vcov), ref.sigma ** 2 * 1e-3) : 1;
    expect(
      Math.abs(row.vcov - r.vcov) / scale,
      `vcov ${row.grp} ${row.var1} ${row.var2}`,
    ).toBeLessThanOrEqual(row.var2 === null ? 1e-3 : 1e-3 * Math.max(1, Math.abs(r.vcov)));
  });
  expect(close(fit.sigma, ref.sigma, 1e-3)).toBe(true);
}

describe(`the formula language against ${reference.tool}`, () => {
  it("has at least 20 formulas", () => {
    expect(reference.cases.length).toBeGreaterThanOrEqual(20);
  });

  describe.each(reference.cases)("$data: $formula", (c) => {
    const model = lmm(c.formula, table(c.data), languageOptions(c.options));

    it("builds X as R's model.matrix: names, every value, lme4's aliased columns", () => {
      expect(model.n).toBe(c.nobs);
      expect(model.fixedNames).toEqual(c.X_colnames);
      expect(model.aliased).toEqual(c.X_dropped);
      expectMatrix(model.X, model.p, c.X, 1e-10, "X");
      if (c.offset === null) expect(model.offset).toBeNull();
      else
        expectMatrix(
          model.offset!,
          1,
          c.offset.map((v) => [v]),
          1e-10,
          "offset",
        );
    });

    it("builds lme4's random-effects terms: group, column names, levels", () => {
      expect(model.terms.map((t) => ({ group: t.group, names: t.names, levels: t.levels }))).toEqual(c.terms);
    });

    it("builds the same design on new data (R's model.matrix(terms, newdata)), reporting new groups", () => {
      const design = applyRecipe(model.recipe!, c.newdata);
      expect(design.n).toBe(c.newdata.length);
      expect(design.fixedNames).toEqual(c.X_colnames);
      expectMatrix(design.X, design.p, c.new_X, 1e-10, "new X");
      if (c.new_offset === null) expect(design.offset).toBeNull();
      else
        expectMatrix(
          design.offset!,
          1,
          c.new_offset.map((v) => [v]),
          1e-10,
          "new offset",
        );
      const used = new Set<number>();
      for (const r of c.new_random) {
        const k = design.terms.findIndex(
          (t, i) =>
            !used.has(i) && t.group === r.group && JSON.stringify(t.names) === JSON.stringify(r.names),
        );
        expect(k, `term (${r.names.join(" + ")} | ${r.group})`).toBeGreaterThanOrEqual(0);
        used.add(k);
        const term = design.terms[k]!;
        expectMatrix(term.values, term.q, r.values, 1e-10, `Z columns of ${r.group}`);
        const unseen = r.labels.filter((_, i) => !r.seen[i]);
        expect(term.newLevels).toEqual([...new Set(unseen)]);
        r.labels.forEach((label, i) => {
          expect(term.refs[i]).toBe(r.seen[i] ? term.levels.indexOf(label) : -1);
          // which new level a row has, by R's label
          expect(term.newRefs[i]).toBe(r.seen[i] ? -1 : term.newLevels.indexOf(label));
        });
      }
    });

    it("fits by REML as lme4 does", () => {
      expectFit(fitLmm(model, { method: "REML" }), c.reml, refinedFit(c, "REML"));
    });
  });

  describe.each(reference.cases.filter((c) => c.bad_newdata !== null))("$data: $formula", (c) => {
    const model = lmm(c.formula, table(c.data), languageOptions(c.options));
    it("refuses a fixed-effect factor level not seen in training, as R does", () => {
      expect(c.bad_newdata_error).toMatch(/has new levels?/);
      let error: unknown;
      try {
        applyRecipe(model.recipe!, c.bad_newdata!);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DataError);
      const level = /new levels? (\S+)/.exec(c.bad_newdata_error!)![1]!;
      expect((error as DataError).message).toContain(`\`${level}\``);
      expect((error as DataError).column).toBe(/factor (\S+) has/.exec(c.bad_newdata_error!)![1]);
    });
  });

  describe.each(reference.cases.filter((c) => c.ml !== undefined))("$data: $formula", (c) => {
    const model = lmm(c.formula, table(c.data), languageOptions(c.options));
    it("fits by ML as lme4 does", () => {
      expectFit(fitLmm(model, { method: "ML" }), c.ml!, refinedFit(c, "ML"));
    });
  });
});
