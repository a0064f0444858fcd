/**
 * Every case in test/fixtures/diagnostics against the values the R package posterior 1.4.0 computes
 * from the same draws (provenance in test/fixtures/README.md).
 *
 * Tolerance: 1e-9 relative for every quantity — far inside the acceptance (1e-6 for
 * moments, quantiles and R-hat; 1e-3 for ESS and MCSE). Both sides compute the same formulas in
 * double precision; the only differences are summation order and the FFT (R pads to a 2·3·5-smooth
 * length, we compute lags directly or with a power-of-two FFT). Measured agreement: ≤ 2e-14.
 */
import { describe, expect, it } from "vitest";
import type { DrawsInput } from "../../diagnostics/chain-set";
import { ChainSet } from "../../diagnostics/chain-set";
import { essBasic, essBulk, essMean, essMedian, essQuantile, essSd, essTail } from "../../diagnostics/ess";
import { mcseMean, mcseMedian, mcseQuantile, mcseSd } from "../../diagnostics/mcse";
import { rhat, rhatBasic } from "../../diagnostics/rhat";
import { mean, median, quantile, sd } from "../../diagnostics/statistics";
import { chainsOfCase, diagnosticCases, expectedOf, relativeError } from "./helpers";

const TOLERANCE = 1e-9;

/** Fixture key → our function. */
const MEASURES: Readonly<Record<string, (x: DrawsInput) => number>> = {
  mean,
  sd,
  median,
  q05: (x) => quantile(x, 0.05),
  q95: (x) => quantile(x, 0.95),
  rhat,
  rhat_basic: (x) => rhatBasic(x),
  ess_bulk: essBulk,
  ess_tail: essTail,
  ess_basic: (x) => essBasic(x),
  ess_mean: essMean,
  ess_sd: essSd,
  ess_q05: (x) => essQuantile(x, 0.05),
  ess_q95: (x) => essQuantile(x, 0.95),
  mcse_mean: mcseMean,
  mcse_sd: mcseSd,
  mcse_q05: (x) => mcseQuantile(x, 0.05),
  mcse_q95: (x) => mcseQuantile(x, 0.95),
  mcse_median: mcseMedian,
};

describe("diagnostics match posterior 1.4.0 on every fixture case", () => {
  const cases = diagnosticCases();

  it("has the ten cases and every measure the fixture records", () => {
    expect(cases.length).toBe(10);
    for (const name of cases) {
      const keys = Object.keys(expectedOf(name)).filter((k) => k !== "chains" && k !== "draws_per_chain");
      expect(keys.sort()).toEqual(Object.keys(MEASURES).sort());
    }
  });

  describe.each(cases)("%s", (name) => {
    const chains = chainsOfCase(name);
    const expected = expectedOf(name);

    it("has the fixture's shape", () => {
      expect(chains.length).toBe(expected["chains"]);
      for (const chain of chains) expect(chain.length).toBe(expected["draws_per_chain"]);
    });

    it.each(Object.keys(MEASURES))("%s (each function on plain chains)", (measure) => {
      const want = expected[measure];
      const got = MEASURES[measure]!(chains);
      if (want === null || want === undefined) expect(got).toBeNaN();
      else expect(relativeError(got, want)).toBeLessThan(TOLERANCE);
    });

    it("gives the same values when all measures share one ChainSet (as summarizeDraws does)", () => {
      const set = ChainSet.of(chains, name);
      // Reverse order, so shared transforms are first built by different functions than above.
      for (const measure of Object.keys(MEASURES).reverse())
        expect(MEASURES[measure]!(set)).toBe(MEASURES[measure]!(chains));
      expect(essMedian(set)).toBe(essQuantile(chains, 0.5));
    });
  });
});
