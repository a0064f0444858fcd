/**
 * A residual variance per level of a factor (nlme's varIdent, issue 15): REML and ML fits equal
 * nlme::lme(..., weights = varIdent(form = ~ 1 | g)) on Orthodont (by Sex) and ChickWeight (by Diet)
 * — fixed effects, their standard errors, sigma, each level's ratio delta, the random-effects
 * covariance, logLik, AIC and BIC (nlme's REML BIC with log(n − p)), relative 1e-3 (test/fixtures/varident/make.R made the fixtures).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv";
import { lmm } from "../../src/model/lmm";
import { fitLmm } from "../../src/reml/fit";
import { dataPath, readJsonFixture } from "../helpers/fixtures";

interface NlmeFixture {
  data: string;
  fixed: string;
  random: string;
  varIdent: string;
  method: "REML" | "ML";
  nobs: number;
  fixef: Record<string, number>;
  se: Record<string, number>;
  sigma: number;
  delta: Record<string, number>;
  random_cov: number[][];
  logLik: number;
  AIC: number;
  BIC: number;
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** lme4's formula of an nlme fixed + random pair: `distance ~ age` and `~ 1 | Subject`. */
const formulaOf = (fx: NlmeFixture) => `${fx.fixed} + (${fx.random.replace(/^~\s*/, "")})`;

describe("varIdent fits match nlme::lme", () => {
  for (const name of ["orthodont", "chickweight"])
    for (const method of ["reml", "ml"])
      it(`${name} ${method}`, () => {
        const fx = readJsonFixture<NlmeFixture>(`varident/${name}_${method}.json`);
        const data = parseCsv(readFileSync(dataPath(fx.data), "utf8"));
        const model = lmm(formulaOf(fx), data, { varIdent: fx.varIdent });
        const fit = fitLmm(model, { method: fx.method });
        expect(fit.nobs).toBe(fx.nobs);
        fit.fixedNames.forEach((n, j) => {
          expect(rel(fit.beta[j]!, fx.fixef[n]!), `fixef ${n}`).toBeLessThan(1e-3);
          expect(rel(fit.se[j]!, fx.se[n]!), `se ${n}`).toBeLessThan(1e-3);
        });
        expect(rel(fit.sigma, fx.sigma), "sigma").toBeLessThan(1e-3);
        expect(fit.varIdent!.levels).toEqual(Object.keys(fx.delta));
        fit.varIdent!.levels.forEach((level, l) => {
          expect(rel(fit.varIdent!.delta[l]!, fx.delta[level]!), `delta ${level}`).toBeLessThan(1e-3);
        });
        const cov = fx.random_cov;
        const rows = fit.varcorr.filter((r) => r.grp !== "Residual");
        const q = cov.length;
        for (let a = 0; a < q; a++) {
          const v = rows.find((r) => r.var1 === model.terms[0]!.names[a] && r.var2 === null)!;
          expect(rel(v.vcov, cov[a]![a]!), `variance ${a}`).toBeLessThan(1e-3);
          for (let c = a + 1; c < q; c++) {
            const r = rows.find(
              (x) => x.var1 === model.terms[0]!.names[a] && x.var2 === model.terms[0]!.names[c],
            )!;
            expect(rel(r.vcov, cov[a]![c]!), `covariance ${a},${c}`).toBeLessThan(1e-3);
          }
        }
        expect(Math.abs(fit.logLik - fx.logLik), "logLik").toBeLessThan(1e-3);
        expect(Math.abs(fit.AIC - fx.AIC), "AIC").toBeLessThan(1e-3);
        // nlme's REML BIC uses log(n - p), lme4's (and ours) log(n).
        const n = fx.method === "REML" ? fx.nobs - fit.fixedNames.length : fx.nobs;
        expect(
          Math.abs(fit.BIC - fit.npar * Math.log(fx.nobs) + fit.npar * Math.log(n) - fx.BIC),
          "BIC",
        ).toBeLessThan(1e-3);
      }, 60_000);

  it("a varIdent column with one level, or none, is an error naming it", () => {
    const data = parseCsv(readFileSync(dataPath("Orthodont"), "utf8"));
    expect(() => lmm("distance ~ age + (1 | Subject)", data, { varIdent: "nope" })).toThrow(/nope/);
    const boys = parseCsv(
      readFileSync(dataPath("Orthodont"), "utf8")
        .split("\n")
        .filter((l) => !l.includes('"Female"'))
        .join("\n"),
    );
    expect(() => lmm("distance ~ age + (1 | Subject)", boys, { varIdent: "Sex" })).toThrow(
      /`Sex`.*at least 2 levels/,
    );
  });
});
