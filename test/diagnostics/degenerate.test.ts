/**
 * Degenerate input gives NaN where posterior 1.4.0 gives NA — never a throw (STYLE.md §7). The NA
 * rules are posterior's: convergence diagnostics are NA for constant draws (max − min below R's
 * double epsilon), any NaN, fewer than 3 draws per split chain (ESS) or fewer than 2 (R-hat); the
 * non-rank ESS (basic, mean, sd, quantile, tail) are also NA for ±Infinity, while the rank-based
 * R-hat and bulk ESS stay defined (ranks of ±Infinity are finite).
 */
import { describe, expect, it } from "vitest";
import type { ChainSet } from "../../diagnostics/chain-set";
import { essBasic, essBulk, essMean, essQuantile, essSd, essTail } from "../../diagnostics/ess";
import { mcseMean, mcseQuantile, mcseSd } from "../../diagnostics/mcse";
import { rhat, rhatBasic } from "../../diagnostics/rhat";
import { hdi, mad, mean, median, quantile, sd } from "../../diagnostics/statistics";
import { ArgumentError } from "../../src/errors";
import { ar1Chains } from "./helpers";

const convergence = {
  rhat,
  rhat_basic: (x: ChainSet | number[][]) => rhatBasic(x),
  ess_bulk: essBulk,
  ess_tail: essTail,
  ess_basic: (x: ChainSet | number[][]) => essBasic(x),
  ess_mean: essMean,
  ess_sd: essSd,
  ess_q5: (x: ChainSet | number[][]) => essQuantile(x, 0.05),
  mcse_mean: mcseMean,
  mcse_sd: mcseSd,
  mcse_q5: (x: ChainSet | number[][]) => mcseQuantile(x, 0.05),
};

function withValue(value: number): number[][] {
  const chains = ar1Chains(41, 4, 100, 0.2).map((c) => [...c]);
  chains[2]![37] = value;
  return chains;
}

describe("NA cases give NaN, never a throw", () => {
  it.each(Object.entries(convergence))("%s of constant draws is NaN", (_, f) => {
    expect(f([new Array(50).fill(3), new Array(50).fill(3)])).toBeNaN();
  });

  it("draws differing by less than R's double epsilon count as constant, except after ranking (as posterior)", () => {
    const x = [new Array(50).fill(0), [...new Array(49).fill(0), 1e-17]];
    for (const [name, f] of Object.entries(convergence))
      if (name === "rhat" || name === "ess_bulk")
        expect(f(x)).not.toBeNaN(); // ranks 0 < 1e-17
      else expect(f(x)).toBeNaN();
  });

  it("summaries of constant draws are defined", () => {
    const x = [new Array(50).fill(3), new Array(50).fill(3)];
    expect([mean(x), sd(x), median(x), quantile(x, 0.05), mad(x)]).toEqual([3, 0, 3, 3, 0]);
  });

  it.each(Object.entries(convergence))("%s with a NaN draw is NaN", (_, f) => {
    expect(f(withValue(Number.NaN))).toBeNaN();
  });

  it("summaries with a NaN draw are NaN", () => {
    const x = withValue(Number.NaN);
    for (const v of [mean(x), sd(x), median(x), quantile(x, 0.95), mad(x), ...hdi(x)]) expect(v).toBeNaN();
  });

  it("with an infinite draw: non-rank ESS and MCSE NaN; rank-based R-hat and bulk ESS defined (as posterior)", () => {
    const x = withValue(Number.POSITIVE_INFINITY);
    for (const f of [essBasic, essMean, essSd, essTail, mcseMean, mcseSd]) expect(f(x)).toBeNaN();
    expect(essQuantile(x, 0.5)).toBeNaN();
    expect(rhatBasic(x)).toBeNaN();
    expect(rhat(x)).toBeGreaterThan(0.9);
    expect(essBulk(x)).toBeGreaterThan(100);
    expect(mean(x)).toBe(Number.POSITIVE_INFINITY);
  });

  it("too few draws: ESS needs 3 per split chain, R-hat 2", () => {
    const five = ar1Chains(42, 4, 5, 0).map((c) => [...c]); // split: 2 per chain
    for (const f of [essBulk, essTail, essMean, essSd, mcseMean, mcseSd]) expect(f(five)).toBeNaN();
    expect(rhat(five)).not.toBeNaN();
    expect(essBulk(ar1Chains(42, 4, 6, 0))).not.toBeNaN(); // split: 3 per chain
    const two = ar1Chains(43, 4, 2, 0); // split: 1 per chain
    expect(rhat(two)).toBeNaN();
    expect(rhatBasic(two)).toBeNaN();
    expect(rhatBasic([[1, 2, 3]], false)).toBeNaN(); // one chain, unsplit: no between-chain variance
    expect(rhat([[1]])).toBeNaN();
  });

  it("no draws at all", () => {
    for (const x of [[], [[], []]] as number[][][]) {
      for (const f of Object.values(convergence)) expect(f(x)).toBeNaN();
      for (const v of [mean(x), sd(x), median(x), quantile(x, 0.5), mad(x), ...hdi(x)]) expect(v).toBeNaN();
    }
  });

  it("probabilities outside [0, 1] give NaN", () => {
    const x = ar1Chains(44, 2, 50, 0);
    expect(quantile(x, 1.5)).toBeNaN();
    expect(quantile(x, Number.NaN)).toBeNaN();
    expect(essQuantile(x, -0.1)).toBeNaN();
    expect(mcseQuantile(x, 2)).toBeNaN();
    expect(hdi(x, 1)).toEqual([Number.NaN, Number.NaN]);
  });

  it("p = 1 for the quantile ESS is taken as (S − 1/2)/S, as posterior does", () => {
    const x = ar1Chains(45, 2, 50, 0);
    expect(essQuantile(x, 1)).not.toBeNaN(); // the indicator x ≤ max(x) alone would be constant
    expect(essQuantile(x, 1)).toBe(essQuantile(x, 99.5 / 100));
  });
});

describe("misuse is a typed error", () => {
  it("chains of unequal length name the chain", () => {
    expect(() =>
      rhat([
        [1, 2, 3],
        [1, 2],
      ]),
    ).toThrow(ArgumentError);
    expect(() =>
      rhat([
        [1, 2, 3],
        [1, 2],
      ]),
    ).toThrow(/`x\[1\]` must have as many draws as chain 0/);
  });

  it("a chain that is not an array", () => {
    expect(() => essBulk([[1, 2, 3], 5 as unknown as number[]])).toThrow(ArgumentError);
  });

  it("a flat array is one chain", () => {
    const flat = [...ar1Chains(46, 1, 100, 0)[0]!];
    expect(essBulk(flat)).toBe(essBulk([flat]));
    expect(mean(flat)).toBe(mean([flat]));
  });
});
