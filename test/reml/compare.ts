/**
 * Compares a fit with an lme4 fixture at the tolerances of issue 3, and says which entry fails.
 *
 * Tolerances (relative unless said): fixed effects 1e-4, standard errors 1e-3, sigma 1e-4, VarCorr
 * entries 1e-3 (variances below 1e-6 in lme4's fit: 1e-6 absolute), criterion no worse than lme4's by
 * 1e-3 (absolute; lower is allowed — lme4 stops at its optimizer's tolerance, we may go further),
 * singular flag equal, conditional modes 1e-3 relative to the largest |mode| of the same term column
 * (entry-wise relative error is meaningless for modes near 0, whose absolute error is what matters).
 */
import { expect } from "vitest";
import { ranefByGroup } from "../../src/reml/fit";
import type { RemlFit } from "../../src/reml/types";

export interface Lme4Fixture {
  model: string;
  REML: boolean;
  nobs: number;
  ngroups: Record<string, number>;
  fixef: Record<string, number>;
  se: Record<string, number>;
  vcov: number[][];
  varcorr: { grp: string; var1: string | null; var2: string | null; vcov: number; sdcor: number }[];
  sigma: number;
  theta: number | number[];
  logLik: number;
  deviance: number | null;
  REMLcrit: number | null;
  AIC: number;
  BIC: number;
  singular: boolean;
  ranef?: Record<string, Record<string, number | string>[]>;
  seconds_per_fit: number;
}

function rel(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

/** Asserts every check of issue 3; returns the worst relative errors for reporting. */
export function expectMatchesLme4(fit: RemlFit, fx: Lme4Fixture): Record<string, number> {
  const worst: Record<string, number> = {};
  const note = (key: string, value: number): void => {
    worst[key] = Math.max(worst[key] ?? 0, value);
  };
  expect(fit.method).toBe(fx.REML ? "REML" : "ML");
  expect(fit.nobs).toBe(fx.nobs);
  expect(fit.ngroups).toEqual(fx.ngroups);
  expect([...fit.fixedNames]).toEqual(Object.keys(fx.fixef));

  fit.fixedNames.forEach((name, i) => {
    const e = rel(fit.beta[i]!, fx.fixef[name]!);
    note("fixef", e);
    expect(e, `fixef ${name}`).toBeLessThan(1e-4);
    const s = rel(fit.se[i]!, fx.se[name]!);
    note("se", s);
    expect(s, `se ${name}`).toBeLessThan(1e-3);
  });
  const sig = rel(fit.sigma, fx.sigma);
  note("sigma", sig);
  expect(sig, "sigma").toBeLessThan(1e-4);

  expect(fit.varcorr.length).toBe(fx.varcorr.length);
  fit.varcorr.forEach((row, i) => {
    const ref = fx.varcorr[i]!;
    expect([row.grp, row.var1, row.var2], `varcorr row ${i}`).toEqual([ref.grp, ref.var1, ref.var2]);
    if (ref.var2 === null && Math.abs(ref.vcov) < 1e-6) {
      expect(Math.abs(row.vcov - ref.vcov), `varcorr ${ref.grp} ${ref.var1} (near zero)`).toBeLessThan(1e-6);
      return;
    }
    const v = rel(row.vcov, ref.vcov);
    note("varcorr", v);
    expect(v, `varcorr vcov ${ref.grp} ${ref.var1} ${ref.var2}`).toBeLessThan(1e-3);
    const sd = rel(row.sdcor, ref.sdcor);
    note("varcorr", sd);
    expect(sd, `varcorr sdcor ${ref.grp} ${ref.var1} ${ref.var2}`).toBeLessThan(1e-3);
  });

  const crit = fx.REML ? fx.REMLcrit! : fx.deviance!;
  note("criterion", fit.criterion - crit);
  expect(fit.criterion - crit, "criterion above lme4's").toBeLessThan(1e-3);
  expect(fit.singular, "singular").toBe(fx.singular);
  // logLik, AIC, BIC follow from the criterion (same tolerance).
  expect(Math.abs(fit.logLik - fx.logLik)).toBeLessThan(1e-3);
  expect(Math.abs(fit.AIC - fx.AIC)).toBeLessThan(1e-3);
  expect(Math.abs(fit.BIC - fx.BIC)).toBeLessThan(1e-3);

  const byGroup = ranefByGroup(fit);
  for (const [label, rows] of Object.entries(fx.ranef ?? {})) {
    const term = byGroup[label];
    expect(term, `ranef term ${label}`).toBeDefined();
    if (!term) continue;
    expect(term.levels.length).toBe(rows.length);
    // Every column lme4 reports is compared (and none is missing).
    expect([...term.names].sort()).toEqual(
      Object.keys(rows[0]!)
        .filter((k) => k !== "level" && k !== "_row")
        .sort(),
    );
    term.names.forEach((name, a) => {
      const scale = Math.max(...rows.map((r) => Math.abs(Number(r[name]))));
      for (const r of rows) {
        const l = term.levels.indexOf(String(r["level"]));
        expect(l, `level ${String(r["level"])} of ${label}`).toBeGreaterThanOrEqual(0);
        const diff = Math.abs(term.values[l]![a]! - Number(r[name]));
        if (scale === 0) {
          expect(diff).toBeLessThan(1e-6);
          continue;
        }
        note("ranef", diff / scale);
        expect(diff / scale, `ranef ${label} ${String(r["level"])} ${name}`).toBeLessThan(1e-3);
      }
    });
  }
  return worst;
}
