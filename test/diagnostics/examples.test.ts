/**
 * Every `@example` in the diagnostics' documentation gives the result it says (STYLE.md §8): the
 * documentation is checked, not trusted.
 */
import { describe, expect, it } from "vitest";
import { autocorrelation, autocovariance } from "../../diagnostics/autocovariance";
import { essBasic, essBulk, essMean, essMedian, essQuantile, essSd, essTail } from "../../diagnostics/ess";
import { mcseMean, mcseMedian, mcseQuantile, mcseSd } from "../../diagnostics/mcse";
import { rhat, rhatBasic, rhatBulk, rhatTail } from "../../diagnostics/rhat";
import { argsort } from "../../diagnostics/sort";
import {
  hdi,
  mad,
  mean,
  median,
  quantile,
  quantileOfSorted,
  sd,
  variance,
} from "../../diagnostics/statistics";
import { pickMeasures } from "../../diagnostics/summarize";
import {
  averageRanks,
  fold,
  normalScore,
  packChains,
  ranks,
  splitChains,
  splitPositions,
  zScale,
} from "../../diagnostics/transforms";
import { betaQuantile, normalQuantile } from "../../src/stats/distributions";
import { chainsOfCase } from "./helpers";

const arrays = (xs: Float64Array[]): number[][] => xs.map((x) => [...x]);

describe("documented examples", () => {
  it("transforms", () => {
    expect([
      ...packChains([
        [1, 2],
        [3, 4],
      ]).values,
    ]).toEqual([1, 2, 3, 4]);
    expect([...splitPositions(1, 5)]).toEqual([0, 1, -1, 2, 3]);
    expect(arrays(splitChains([[1, 2, 3, 4, 5]]))).toEqual([
      [1, 2],
      [4, 5],
    ]);
    expect(normalScore(1, 1)).toBe(0);
    expect([...averageRanks([10, 20, 10, 30])]).toEqual([1.5, 3, 1.5, 4]);
    expect(
      arrays(
        ranks([
          [3, 1],
          [2, 4],
        ]),
      ),
    ).toEqual([
      [3, 1],
      [2, 4],
    ]);
    expect(
      arrays(
        zScale([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toEqual([
      [-1.0491313979639711, -0.2993069104656671],
      [0.2993069104656671, 1.0491313979639711],
    ]);
    expect(
      arrays(
        fold([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toEqual([
      [1.5, 0.5],
      [0.5, 1.5],
    ]);
    expect([...argsort([3, 1, 2])]).toEqual([1, 2, 0]);
  });

  it("special functions", () => {
    expect(normalQuantile(0.975)).toBe(1.9599639845400536); // R 4.2.2: sprintf("%.17g", qnorm(0.975))
    expect(betaQuantile(0.5, 2, 2)).toBeCloseTo(0.5, 15);
  });

  it("statistics", () => {
    expect(quantileOfSorted(Float64Array.of(1, 2, 3, 4), 0.5)).toBe(2.5);
    expect(
      mean([
        [1, 2],
        [3, 4],
      ]),
    ).toBe(2.5);
    expect(
      variance([
        [1, 2],
        [3, 4],
      ]),
    ).toBe(1.6666666666666667);
    expect(
      sd([
        [1, 2],
        [3, 4],
      ]),
    ).toBe(1.2909944487358056);
    expect(
      median([
        [1, 2],
        [3, 10],
      ]),
    ).toBe(2.5);
    expect(
      quantile(
        [
          [1, 2],
          [3, 4],
        ],
        0.05,
      ),
    ).toBeCloseTo(1.15, 15);
    expect(
      mad([
        [1, 2],
        [3, 4],
      ]),
    ).toBe(1.4826);
    expect(hdi([[1, 2, 3, 4, 100]], 0.6)).toEqual([1, 4]);
  });

  it("autocovariance and autocorrelation", () => {
    expect([...autocovariance([1, 2, 3, 4])]).toEqual([1.25, 0.3125, -0.375, -0.5625]);
    const rho = autocorrelation([1, 2, 3, 4]);
    [1, 0.25, -0.3, -0.45].forEach((r, k) => {
      expect(rho[k]).toBeCloseTo(r, 15);
    });
  });

  it("small ESS and R-hat examples", () => {
    const x = [
      [1, 3, 2, 5, 4, 6],
      [2, 1, 4, 3, 6, 5],
    ];
    expect(essBasic(x)).toBeCloseTo(6, 12);
    expect(essMean(x)).toBeCloseTo(6, 12);
    expect(
      rhatBasic([
        [1, 2, 3, 4],
        [1, 2, 3, 4],
      ]),
    ).toBeCloseTo(1.7795130420052185, 14);
  });

  it("values quoted for the iid_normal fixture", () => {
    const x = chainsOfCase("iid_normal");
    const close = (got: number, want: number, digits: number) => expect(got).toBeCloseTo(want, digits);
    close(essBulk(x), 3772.35, 2);
    close(essQuantile(x, 0.05), 3385.19, 2);
    close(essMedian(x), 3803.92, 2);
    close(essTail(x), 3385.19, 2);
    close(essSd(x), 4004.94, 2);
    close(mcseMean(x), 0.0160848, 7);
    close(mcseSd(x), 0.0110001, 7);
    close(mcseQuantile(x, 0.05), 0.0350758, 7);
    close(mcseMedian(x), 0.0165315, 7);
    close(rhatBulk(x), 1.000502, 6);
    close(rhatTail(x), 0.999502, 6);
    close(rhat(x), 1.000502, 6);
  });

  it("pickMeasures keeps the order asked for", () => {
    expect(Object.keys(pickMeasures(["mean", "rhat"]))).toEqual(["mean", "rhat"]);
  });
});
