/**
 * AR(1) residuals (nlme's corAR1, issue 15): REML and ML fits equal nlme::lme(..., correlation =
 * corAR1(form = ~ time | g)) — fixed effects, their standard errors, sigma, phi, the random effects'
 * covariance, logLik, AIC and BIC, relative 1e-3 — on sleepstudy (AR(1) over Days, a random
 * intercept; and a random intercept and slope), sleepstudy with gaps in Days and its rows reversed
 * (nlme's corARMA(1, 0) path: phi^lag, row order immaterial), and Ovary (positions, `~ 1 | Mare`).
 * test/fixtures/ar1/make.R made the fixtures. Where nlme's optimizer stopped short, our criterion at
 * nlme's estimates is checked to be no lower than at ours; everywhere our criterion at nlme's estimates
 * is nlme's −2 logLik to 1e-8 (the same likelihood: gaps, row order and positions as nlme takes them).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv";
import { ArgumentError } from "../../src/errors";
import { lmm } from "../../src/model/lmm";
import { ar1Criterion } from "../../src/reml/ar1";
import { confint } from "../../src/reml/confint";
import { devianceFunction, fitAtTheta, fitLmm } from "../../src/reml/fit";
import { fitSummary } from "../../src/reml/summary";
import { dataPath, FIXTURES, readJsonFixture } from "../helpers/fixtures";

interface NlmeFixture {
  data: string;
  fixed: string;
  random: string;
  time: string;
  group: string;
  method: "REML" | "ML";
  nobs: number;
  correlation_class: string;
  fixef: Record<string, number>;
  se: Record<string, number>;
  sigma: number;
  phi: number;
  theta: number[] | number;
  random_cov: number[][];
  logLik: number;
  AIC: number;
  BIC: number;
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** lme4's formula of an nlme fixed + random pair. */
const formulaOf = (fx: NlmeFixture) => `${fx.fixed} + (${fx.random.replace(/^~\s*/, "")})`;

const CASES = ["sleepstudy", "sleepstudy_slope", "sleepstudy_gaps", "ovary"];

function load(name: string, method: string) {
  const fx = readJsonFixture<NlmeFixture>(`ar1/${name}_${method}.json`);
  const file =
    fx.data === "sleepstudy_gaps" ? join(FIXTURES, "ar1", "sleepstudy_gaps.csv") : dataPath(fx.data);
  const data = parseCsv(readFileSync(file, "utf8"));
  const model = lmm(formulaOf(fx), data, { ar1: { time: fx.time, group: fx.group } });
  return { fx, model };
}

describe("AR(1) fits match nlme::lme with corAR1", () => {
  for (const name of CASES)
    for (const method of ["reml", "ml"])
      it(`${name} ${method}`, () => {
        const { fx, model } = load(name, method);
        const fit = fitLmm(model, { method: fx.method });
        expect(fit.nobs).toBe(fx.nobs);
        const theta = Array.isArray(fx.theta) ? fx.theta : [fx.theta];
        // Our criterion at nlme's estimates is no lower than at ours (ours is a minimum at least as good).
        const atNlme = ar1Criterion(model, fx.method, theta, fx.phi, devianceFunction);
        expect(
          Math.abs(atNlme - -2 * fx.logLik),
          "our criterion at nlme's estimates = nlme's -2 logLik",
        ).toBeLessThan(1e-8);
        expect(fit.criterion).toBeLessThanOrEqual(atNlme + 1e-7);
        // With a random slope, nlme stops at a slope standard deviation near 0 (theta[2] ≈ 0.002);
        // our optimum is on the boundary (theta[2] = 0) with a criterion lower by 3e-5 to 5e-5, and
        // the covariances move by up to 1.1e-3 relative there: compared to 3e-3 only then. Where
        // nlme did reach the optimum (random intercepts), everything agrees to 1e-4 (seen: ≤ 1.3e-6).
        const short = atNlme - fit.criterion > 1e-6;
        const tolerance = short ? 1e-3 : 1e-4;
        const covTolerance = short ? 3e-3 : 1e-4;
        expect(rel(fit.ar1!.phi, fx.phi), "phi").toBeLessThan(tolerance);
        fit.fixedNames.forEach((n, j) => {
          expect(rel(fit.beta[j]!, fx.fixef[n]!), `fixef ${n}`).toBeLessThan(tolerance);
          expect(rel(fit.se[j]!, fx.se[n]!), `se ${n}`).toBeLessThan(tolerance);
        });
        expect(rel(fit.sigma, fx.sigma), "sigma").toBeLessThan(tolerance);
        const cov = fx.random_cov;
        const rows = fit.varcorr.filter((r) => r.grp !== "Residual");
        const q = cov.length;
        for (let a = 0; a < q; a++) {
          const v = rows.find((r) => r.var1 === model.terms[0]!.names[a] && r.var2 === null)!;
          expect(rel(v.vcov, cov[a]![a]!), `variance ${a}`).toBeLessThan(covTolerance);
          for (let c = a + 1; c < q; c++) {
            const r = rows.find(
              (x) => x.var1 === model.terms[0]!.names[a] && x.var2 === model.terms[0]!.names[c],
            )!;
            expect(rel(r.vcov, cov[a]![c]!), `covariance ${a},${c}`).toBeLessThan(covTolerance);
          }
        }
        expect(Math.abs(fit.logLik - fx.logLik), "logLik").toBeLessThan(1e-3);
        expect(Math.abs(fit.AIC - fx.AIC), "AIC").toBeLessThan(2e-3);
        const n = fx.method === "REML" ? fx.nobs - fit.fixedNames.length : fx.nobs;
        expect(
          Math.abs(fit.BIC - fit.npar * Math.log(fx.nobs) + fit.npar * Math.log(n) - fx.BIC),
          "BIC",
        ).toBeLessThan(2e-3);
      }, 120_000);
});

describe("an AR(1) fit's summary, scale and refusals", () => {
  const { model } = load("sleepstudy", "reml");
  const fit = fitLmm(model);

  it("prints nlme's Correlation Structure block with Phi", () => {
    const text = fitSummary(fit);
    expect(text).toContain("Correlation Structure: AR(1), corAR1(form = ~ Days | Subject)");
    expect(text).toMatch(/Phi\n\s*0\.6531\n/);
  });

  it("reports fitted values and residuals on the data's scale, and counts phi in npar", () => {
    expect(fit.npar).toBe(2 + 1 + 1 + 1);
    for (let i = 0; i < model.n; i++) expect(fit.fitted[i]! + fit.residuals[i]!).toBeCloseTo(model.y[i]!, 9);
    // The residuals' lag-1 autocorrelation within a subject is clearly positive (phi ≈ 0.65).
    let num = 0;
    let den = 0;
    const { order, lags } = model.ar1!;
    for (let j = 0; j < model.n; j++) {
      den += fit.residuals[order[j]!]! ** 2;
      if (lags[j] === 1) num += fit.residuals[order[j]!]! * fit.residuals[order[j - 1]!]!;
    }
    expect(num / den).toBeGreaterThan(0.2);
  });

  it("our criterion at our optimum is the fit's criterion", () => {
    expect(ar1Criterion(model, "REML", fit.theta, fit.ar1!.phi, devianceFunction)).toBeCloseTo(
      fit.criterion,
      8,
    );
  });

  it("refuses profile intervals (phi would need re-optimizing) with a typed error", () => {
    expect(() => confint(fit, { method: "profile" })).toThrow(ArgumentError);
  });
});

describe("the iid criterion refuses an AR(1) model", () => {
  it("devianceFunction and fitAtTheta throw ArgumentError instead of ignoring ar1", () => {
    const { model } = load("sleepstudy", "reml");
    expect(() => devianceFunction(model, "REML")).toThrow(/AR\(1\) residuals/);
    expect(() => fitAtTheta(model, [0.8])).toThrow(ArgumentError);
  });
});
