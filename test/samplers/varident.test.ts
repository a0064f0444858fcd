/**
 * The sampler with a residual variance per level (residual model "varIdent", issue 15) against long
 * Stan runs of the same model and priors (test/fixtures/varident/stan.R: rstan NUTS, 4 × 5,000 draws):
 * Orthodont (1 | Subject) by Sex and ChickWeight (Time | Chick) by Diet. Each posterior mean within 4
 * MCSE (ours and Stan's combined), each sd within 7%, the 2.5%/97.5% quantiles within 0.2 sd.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv";
import { lmm } from "../../src/model/lmm";
import { dataPath, readJsonFixture } from "../helpers/fixtures";
import { compareModelWithFixture, type PosteriorFixture } from "./fixture-check";

type VarIdentPosterior = Omit<PosteriorFixture, "map"> & { map: Record<string, string>; varIdent: string };

describe("varIdent posterior matches Stan NUTS (same model and priors)", () => {
  for (const [name, strategy, iter] of [
    ["orthodont_varident_bayes", "auto", 20_000],
    ["chickweight_varident_bayes", "auto", 10_000],
  ] as const)
    it(name, () => {
      const fixture = readJsonFixture<VarIdentPosterior>(`varident/${name}.json`);
      const data = parseCsv(readFileSync(dataPath(fixture.data), "utf8"));
      const model = lmm(fixture.formula, data, { varIdent: fixture.varIdent });
      const { comparisons } = compareModelWithFixture(fixture, model, iter, 20261203, 4, strategy);
      expect(comparisons.map((c) => c.parameter)).toContain(
        `sigma2[${fixture.varIdent}][${model.varIdent!.levels[1]}]`,
      );
      for (const c of comparisons) {
        const where = `${name} ${c.parameter}: ours ${JSON.stringify(c.ours)} vs Stan ${JSON.stringify(c.stan)}`;
        expect(Math.abs(c.z), `mean z ${c.z} — ${where}`).toBeLessThan(4);
        expect(Math.abs(c.q025Error), `2.5% quantile — ${where}`).toBeLessThan(0.2);
        expect(Math.abs(c.q975Error), `97.5% quantile — ${where}`).toBeLessThan(0.2);
        expect(c.ours.rhat, where).toBeLessThan(1.01);
        expect(Math.abs(c.sdRatio), `sd ratio ${c.sdRatio} — ${where}`).toBeLessThan(0.07);
      }
    }, 120_000);
});
