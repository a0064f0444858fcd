/**
 * Scale invariance (issue 17): REML and the sampler give the same answers, rescaled, when the
 * response or a covariate is multiplied by 1e-8 or 1e8 or the response is shifted by 1e9 —
 * sleepstudy (a random slope: covariate scaling reaches X, Z and theta) and Penicillin (crossed).
 *
 * Why these tolerances: REML's answers come from an optimizer stopping at its tolerance on a problem
 * that differs from the unscaled one only by rounding (rel. 1e-6 on estimates, 1e-5 on theta); the
 * sampler draws with the same seed from a posterior that is exactly the rescaled one (its default
 * priors are scaled by the data), so its means agree to rounding (rel. 1e-7), and after a shift of
 * 1e9 to the digits the shifted numbers keep (abs. 1e-5 on the intercept, whose draws are near 1e9).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { gibbsSync } from "../../samplers/gibbs";
import { parseCsv } from "../../src/data/csv";
import type { Posterior } from "../../src/draws/posterior";
import { lmm } from "../../src/model/lmm";
import { reml } from "../../src/reml/fit";
import { dataPath } from "../helpers/fixtures";

/** The CSV with column `column`'s numbers mapped by f. */
function mapped(name: string, column: string, f: (x: number) => number): string {
  const [header, ...rows] = readFileSync(dataPath(name), "utf8").trimEnd().split("\n");
  const at = header!.split(",").findIndex((h) => h.replace(/"/g, "") === column);
  return [
    header,
    ...rows.map((r) => {
      const c = r.split(",");
      c[at] = String(f(Number(c[at])));
      return c.join(",");
    }),
  ].join("\n");
}

function means(post: Posterior): Map<string, number> {
  const N = post.chains * post.iterations;
  return new Map(
    post.parameters.map((name, k) => {
      let s = 0;
      for (let i = 0; i < N; i++) s += post.values[k * N + i]!;
      return [name, s / N];
    }),
  );
}

const relClose = (a: number, b: number, tol: number) =>
  expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(tol * Math.max(Math.abs(b), 1e-300));

const SLEEP = "Reaction ~ Days + (Days | Subject)";
const PEN = "diameter ~ 1 + (1 | plate) + (1 | sample)";
const sampler = { iter: 300, warmup: 100, chains: 2, seed: 4 } as const;

describe("scale invariance: the response × 1e-8, × 1e8, + 1e9", () => {
  for (const [data, formula, y] of [
    ["sleepstudy", SLEEP, "Reaction"],
    ["Penicillin", PEN, "diameter"],
  ] as const) {
    const base = lmm(formula, parseCsv(readFileSync(dataPath(data), "utf8")));
    const fit0 = reml(base);
    const post0 = means(gibbsSync(base, sampler));
    for (const c of [1e-8, 1e8])
      it(`${data}: y × ${c}`, () => {
        const model = lmm(formula, parseCsv(mapped(data, y, (v) => v * c)));
        const fit = reml(model);
        fit.beta.forEach((b, j) => {
          relClose(b, fit0.beta[j]! * c, 1e-6);
        });
        fit.se.forEach((s, j) => {
          relClose(s, fit0.se[j]! * c, 1e-6);
        });
        relClose(fit.sigma, fit0.sigma * c, 1e-6);
        fit.theta.forEach((t, j) => {
          expect(Math.abs(t - fit0.theta[j]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fit0.theta[j]!)));
        });
        // REML's criterion moves by 2 (n - p) log c: the response's units.
        relClose(fit.REMLcrit! - fit0.REMLcrit!, 2 * (base.n - base.p) * Math.log(c), 1e-7);
        const post = means(gibbsSync(model, sampler));
        for (const [name, m] of post0) {
          const power = name.startsWith("beta") || name.startsWith("b[") ? 1 : 2;
          relClose(post.get(name)!, m * c ** power, 1e-7);
        }
      });
    it(`${data}: y + 1e9`, () => {
      const model = lmm(formula, parseCsv(mapped(data, y, (v) => v + 1e9)));
      const fit = reml(model);
      expect(Math.abs(fit.beta[0]! - 1e9 - fit0.beta[0]!)).toBeLessThan(1e-5);
      fit.se.forEach((s, j) => {
        relClose(s, fit0.se[j]!, 1e-6);
      });
      relClose(fit.sigma, fit0.sigma, 1e-6);
      relClose(fit.REMLcrit!, fit0.REMLcrit!, 1e-9);
      const post = means(gibbsSync(model, sampler));
      for (const [name, m] of post0) {
        if (name === "beta[(Intercept)]") expect(Math.abs(post.get(name)! - 1e9 - m)).toBeLessThan(1e-5);
        else relClose(post.get(name)!, m, 1e-6);
      }
    });
  }
});

describe("scale invariance: a covariate × 1e-8 or × 1e8 (in X and in the random slope)", () => {
  const base = lmm(SLEEP, parseCsv(readFileSync(dataPath("sleepstudy"), "utf8")));
  const fit0 = reml(base);
  const post0 = means(gibbsSync(base, sampler));
  for (const c of [1e-8, 1e8])
    it(`sleepstudy: Days × ${c}`, () => {
      const model = lmm(SLEEP, parseCsv(mapped("sleepstudy", "Days", (v) => v * c)));
      const fit = reml(model);
      expect(fit.optimizer.converged).toBe(true);
      relClose(fit.beta[0]!, fit0.beta[0]!, 1e-6);
      relClose(fit.beta[1]!, fit0.beta[1]! / c, 1e-6);
      relClose(fit.se[0]!, fit0.se[0]!, 1e-6);
      relClose(fit.se[1]!, fit0.se[1]! / c, 1e-6);
      relClose(fit.sigma, fit0.sigma, 1e-6);
      // theta = (T[0,0], T[1,0], T[1,1]): the slope's row scales by 1 / c.
      relClose(fit.theta[0]!, fit0.theta[0]!, 1e-5);
      relClose(fit.theta[1]!, fit0.theta[1]! / c, 1e-4);
      relClose(fit.theta[2]!, fit0.theta[2]! / c, 1e-5);
      // VarCorr: the slope's sd by 1 / c, the correlation unchanged.
      const row = (v: typeof fit.varcorr, a: string, b: string | null) =>
        v.find((r) => r.var1 === a && r.var2 === b)!;
      relClose(row(fit.varcorr, "Days", null).sdcor, row(fit0.varcorr, "Days", null).sdcor / c, 1e-5);
      relClose(
        row(fit.varcorr, "(Intercept)", "Days").sdcor,
        row(fit0.varcorr, "(Intercept)", "Days").sdcor,
        1e-4,
      );
      // REML's log|X'V⁻¹X| moves by 2 log c (lme4's criterion on these data).
      relClose(fit.REMLcrit! - fit0.REMLcrit!, 2 * Math.log(c), 1e-6);
      const post = means(gibbsSync(model, sampler));
      const days = (name: string) => (name.match(/Days/g) ?? []).length;
      for (const [name, m] of post0) relClose(post.get(name)!, m / c ** days(name), 1e-7);
    });
});
