/**
 * The sampler with AR(1) residuals (residual model "ar1", issue 15) against long Stan runs of the same
 * model and priors (test/fixtures/ar1-bayes/stan.R: rstan NUTS, 4 × 5,000 draws): sleepstudy
 * (Days | Subject) with AR(1) over Days within Subject (lag 1, phi's default prior), and the same on
 * sleepstudy with gaps (test/fixtures/ar1/sleepstudy_gaps.csv: lags 1, 2 and 3, rows in reverse time
 * order) with a Beta(2, 2) prior on (phi + 1) / 2, and nlme's Ovary (1 | Mare) with AR(1) of the rows'
 * positions within Mare (corAR1(form = ~ 1 | Mare)). Each posterior mean within 4 MCSE (ours and Stan's combined), each sd
 * within 7%, the 2.5%/97.5% quantiles within 0.2 sd.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv";
import { lmm } from "../../src/model/lmm";
import { dataPath, FIXTURES, readJsonFixture } from "../helpers/fixtures";
import { compareModelWithFixture, type PosteriorFixture } from "./fixture-check";

type Ar1Posterior = Omit<PosteriorFixture, "map"> & { map: Record<string, string>; ar1: string };

describe("AR(1) posterior matches Stan NUTS (same model and priors)", () => {
  for (const [name, iter] of [
    ["sleepstudy_ar1_bayes", 10_000],
    ["sleepstudy_gaps_ar1_bayes", 10_000],
    ["ovary_ar1_bayes", 10_000],
  ] as const)
    it(name, () => {
      const fixture = readJsonFixture<Ar1Posterior>(`ar1-bayes/${name}.json`);
      const file =
        fixture.data === "sleepstudy_gaps"
          ? join(FIXTURES, "ar1", "sleepstudy_gaps.csv")
          : dataPath(fixture.data);
      const data = parseCsv(readFileSync(file, "utf8"));
      const [time, group] = fixture.ar1.split("|").map((s) => s.trim()) as [string, string];
      const model = lmm(fixture.formula, data, { ar1: { time, group } });
      const { comparisons } = compareModelWithFixture(fixture, model, iter, 20261203, 4);
      expect(comparisons.map((c) => c.parameter)).toContain("phi");
      for (const c of comparisons) {
        const where = `${name} ${c.parameter}: ours ${JSON.stringify(c.ours)} vs Stan ${JSON.stringify(c.stan)}`;
        expect(Math.abs(c.z), `mean z ${c.z} — ${where}`).toBeLessThan(4);
        expect(Math.abs(c.q025Error), `2.5% quantile — ${where}`).toBeLessThan(0.2);
        expect(Math.abs(c.q975Error), `97.5% quantile — ${where}`).toBeLessThan(0.2);
        expect(c.ours.rhat, where).toBeLessThan(1.01);
        expect(Math.abs(c.sdRatio), `sd ratio ${c.sdRatio} — ${where}`).toBeLessThan(0.07);
      }
    }, 180_000);
});
