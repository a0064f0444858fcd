/**
 * The vocabulary on REML and ML fits against lme4 1.1-31 (test/fixtures/vocabulary, made by make.R
 * there): fixef, coef, ranef's conditional sds, fitted, residuals, logLik (value and df), nobs,
 * formula, confint(method = "Wald") at two levels — five models (one factor, an uncorrelated pair of
 * terms on one factor, crossed, nested, 65 schools with a fixed effect that does not vary by school),
 * each REML and ML.
 *
 * Tolerances are those of the REML tests (test/reml/lme4.test.ts), for the same reason — both
 * optimizers stop near, not at, the same optimum: estimates 1e-4 relative, conditional modes and sds
 * 1e-3; fitted values and residuals 1e-4 of the response's sd; logLik 1e-6 relative.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  coef,
  confint,
  fitted,
  fixef,
  formula,
  logLik,
  nobs,
  ranef,
  residuals,
  summary,
  varCorr,
} from "../../diagnostics/vocabulary";
import { parseCsv } from "../../src/data/csv";
import { lmm } from "../../src/model/lmm";
import { fitLmm } from "../../src/reml/fit";
import { dataPath, readJsonFixture } from "../helpers/fixtures";

interface VocabularyFixture {
  formula: string;
  data: string;
  REML: boolean;
  nobs: number;
  logLik: number;
  logLik_df: number;
  fitted: number[];
  residuals: number[];
  coef: Record<string, { levels: string[]; names: string[]; values: number[][] }>;
  ranef_condsd: { grpvar: string[]; term: string[]; grp: string[]; condval: number[]; condsd: number[] };
  confint_wald: { names: string[]; lower: number[]; upper: number[] };
  confint_wald_90: { names: string[]; lower: number[]; upper: number[] };
}

const MODELS = ["sleep_slope", "sleep_uncor", "penicillin", "pastes", "exam"];

function sdOf(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i]!;
  m /= x.length;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - m) ** 2;
  return Math.sqrt(s / (x.length - 1));
}

for (const name of MODELS)
  for (const method of ["reml", "ml"] as const)
    describe(`${name} ${method.toUpperCase()}`, () => {
      const fx = readJsonFixture<VocabularyFixture>(`vocabulary/${name}_${method}.json`);
      const model = lmm(fx.formula, parseCsv(readFileSync(dataPath(fx.data), "utf8")));
      const fit = fitLmm(model, { method: method === "reml" ? "REML" : "ML" });
      const scale = sdOf(model.y);

      it("nobs, formula, logLik (value and df) as lme4", () => {
        expect(nobs(fit)).toBe(fx.nobs);
        expect(formula(fit)).toBe(fx.formula);
        const ll = logLik(fit);
        expect(Math.abs(ll.value - fx.logLik) / Math.abs(fx.logLik)).toBeLessThan(1e-6);
        expect(ll.df).toBe(fx.logLik_df);
        expect(ll.method).toBe(method === "reml" ? "REML" : "ML");
      });

      it("fitted and residuals as lme4's, row by row", () => {
        const f = fitted(fit);
        const r = residuals(fit);
        expect(f).toHaveLength(fx.nobs);
        let worst = 0;
        for (let i = 0; i < fx.nobs; i++) {
          worst = Math.max(worst, Math.abs(f[i]! - fx.fitted[i]!), Math.abs(r[i]! - fx.residuals[i]!));
          expect(f[i]! + r[i]!).toBeCloseTo(model.y[i]!, 9);
        }
        expect(worst / scale).toBeLessThan(1e-4);
      });

      it("coef: lme4's levels, columns (random-only ones first) and values", () => {
        const ours = coef(fit);
        expect(ours.map((g) => g.group).sort()).toEqual(Object.keys(fx.coef).sort());
        for (const g of ours) {
          const ref = fx.coef[g.group]!;
          expect(g.levels).toEqual(ref.levels);
          expect(g.names).toEqual(ref.names);
          expect(g.se).toBeNull();
          g.estimate.forEach((row, j) => {
            row.forEach((v, c) => {
              expect(
                Math.abs(v - ref.values[j]![c]!) / scale,
                `${g.group} ${g.levels[j]} ${g.names[c]}`,
              ).toBeLessThan(1e-3);
            });
          });
        }
      });

      it("ranef: conditional modes with lme4's conditional sds", () => {
        const ours = ranef(fit);
        const rf = fx.ranef_condsd;
        let checked = 0;
        for (let k = 0; k < rf.grp.length; k++) {
          const g = ours.find((x) => x.group === rf.grpvar[k])!;
          const j = g.levels.indexOf(rf.grp[k]!);
          const c = g.names.indexOf(rf.term[k]!);
          expect(j).toBeGreaterThanOrEqual(0);
          expect(c).toBeGreaterThanOrEqual(0);
          const tol = 1e-3 * Math.max(Math.abs(rf.condsd[k]!), scale * 1e-2);
          expect(Math.abs(g.estimate[j]![c]! - rf.condval[k]!)).toBeLessThan(1e-3 * scale);
          expect(Math.abs(g.se[j]![c]! - rf.condsd[k]!)).toBeLessThan(tol);
          checked++;
        }
        expect(checked).toBe(ours.reduce((s, g) => s + g.levels.length * g.names.length, 0));
        expect(ours[0]!.lower).toBeNull();
      });

      it("fixef with standard errors; confint(method = 'Wald') at 95% and 90%", () => {
        const f = fixef(fit);
        expect(f.map((r) => r.name)).toEqual(fx.confint_wald.names);
        for (const [ci, level] of [
          [fx.confint_wald, 0.95],
          [fx.confint_wald_90, 0.9],
        ] as const) {
          const ours = confint(fit, level);
          ours.forEach((r, j) => {
            expect(r.name).toBe(ci.names[j]);
            const width = ci.upper[j]! - ci.lower[j]!;
            expect(Math.abs(r.lower - ci.lower[j]!) / width).toBeLessThan(1e-3);
            expect(Math.abs(r.upper - ci.upper[j]!) / width).toBeLessThan(1e-3);
          });
        }
      });

      it("fixef and varCorr as lme4's fixef, se and as.data.frame(VarCorr) (test/fixtures/lme4)", () => {
        const lme4 = readJsonFixture<{
          fixef: Record<string, number>;
          se: Record<string, number>;
          varcorr: { grp: string; var1: string | null; var2: string | null; vcov: number }[];
        }>(`lme4/${name}_${method}.json`);
        for (const r of fixef(fit)) {
          expect(
            Math.abs(r.estimate - lme4.fixef[r.name]!) / Math.max(1e-8, Math.abs(lme4.fixef[r.name]!)),
          ).toBeLessThan(1e-4);
          expect(Math.abs(r.se - lme4.se[r.name]!) / lme4.se[r.name]!).toBeLessThan(1e-3);
        }
        const ours = varCorr(fit);
        expect(ours.map((r) => [r.grp, r.var1, r.var2])).toEqual(
          lme4.varcorr.map((r) => [r.grp, r.var1, r.var2]),
        );
        ours.forEach((r, k) => {
          expect(Math.abs(r.vcov - lme4.varcorr[k]!.vcov)).toBeLessThan(
            1e-3 * Math.max(Math.abs(lme4.varcorr[k]!.vcov), 1e-6 * scale ** 2) + 1e-9,
          );
        });
      });

      it("varCorr and summary are lme4's VarCorr rows and summary text", () => {
        expect(varCorr(fit)).toBe(fit.varcorr);
        expect(summary(fit)).toMatch(/^Linear mixed model fit by/);
      });
    });
