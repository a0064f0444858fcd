/**
 * The sampler with precision weights (residual model "weights", issue 15) against long Stan runs of
 * the same weighted model and priors (test/fixtures/weights/stan.R: rstan NUTS, 4 × 5,000 draws):
 * sleepstudy (Days | Subject) with weights 1 / (1 + Days / 3) (joint) and Penicillin's crossed
 * intercepts with seeded weights (joint and by-factor). Each posterior mean within 4 MCSE (ours and
 * Stan's combined), each sd within 7%, the 2.5%/97.5% quantiles within 0.2 sd — issue 4's criteria.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv";
import { lmm } from "../../src/model/lmm";
import { FIXTURES, readJsonFixture } from "../helpers/fixtures";
import { compareModelWithFixture, type PosteriorFixture, STAN_SD_UNRELIABLE } from "./fixture-check";

type WeightsPosterior = Omit<PosteriorFixture, "map"> & { map: Record<string, string>; weights: string };

describe("weighted posterior matches Stan NUTS (same model and priors)", () => {
  for (const [name, strategy] of [
    ["sleep_slope_weights_bayes", "auto"],
    ["penicillin_weights_bayes", "auto"],
    ["penicillin_weights_bayes", "by-factor"],
  ] as const)
    it(`${name} (${strategy})`, () => {
      const fixture = readJsonFixture<WeightsPosterior>(`weights/${name}.json`);
      const data = parseCsv(readFileSync(join(FIXTURES, "weights", fixture.data), "utf8"));
      const model = lmm(fixture.formula, data, { weights: fixture.weights });
      const { comparisons } = compareModelWithFixture(fixture, model, 20_000, 20261203, 4, strategy);
      for (const c of comparisons) {
        const where = `${name} ${c.parameter}: ours ${JSON.stringify(c.ours)} vs Stan ${JSON.stringify(c.stan)}`;
        expect(Math.abs(c.z), `mean z ${c.z} — ${where}`).toBeLessThan(4);
        expect(Math.abs(c.q025Error), `2.5% quantile — ${where}`).toBeLessThan(0.2);
        expect(Math.abs(c.q975Error), `97.5% quantile — ${where}`).toBeLessThan(0.2);
        expect(c.ours.rhat, where).toBeLessThan(1.01);
        if (STAN_SD_UNRELIABLE[c.parameter] === undefined)
          expect(Math.abs(c.sdRatio), `sd ratio ${c.sdRatio} — ${where}`).toBeLessThan(0.07);
      }
    }, 120_000);
});
