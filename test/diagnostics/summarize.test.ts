/**
 * summarizeDraws: posterior's default columns, named and custom measures, and the convergence
 * warnings returned as values naming the parameter.
 */
import { describe, expect, it } from "vitest";
import { essBulk, essTail } from "../../diagnostics/ess";
import { mcseSd } from "../../diagnostics/mcse";
import { rhat } from "../../diagnostics/rhat";
import { mad, mean, median, quantile, sd } from "../../diagnostics/statistics";
import { DEFAULT_MEASURES, DIAGNOSE_MEASURES, MEASURES, summarizeDraws } from "../../diagnostics/summarize";
import { createDraws } from "../../src/draws/draws";
import type { Draws } from "../../src/draws/types";
import { ArgumentError } from "../../src/errors";
import { ar1Chains, chainsOfCase, expectedOf, relativeError } from "./helpers";

/** Draws whose parameters are the given chains. */
function drawsOf(parameters: Record<string, Float64Array[]>): Draws {
  const names = Object.keys(parameters);
  const first = parameters[names[0]!]!;
  const d = createDraws(names, first.length, first[0]!.length);
  names.forEach((name, k) => {
    parameters[name]!.forEach((chain, c) => {
      d.values.set(chain, (k * first.length + c) * chain.length);
    });
  });
  return d;
}

describe("summarizeDraws", () => {
  const cases = ["iid_normal", "ar1_099", "shifted_mean", "scale_differs", "trending"] as const;
  const draws = drawsOf(Object.fromEntries(cases.map((c) => [c, chainsOfCase(c)])));

  it("defaults to posterior's summarise_draws columns, a row per parameter in order", () => {
    const s = summarizeDraws(draws);
    expect(s.measures).toEqual(["mean", "median", "sd", "mad", "q5", "q95", "rhat", "ess_bulk", "ess_tail"]);
    expect(DEFAULT_MEASURES).toEqual(s.measures);
    expect(s.rows.map((r) => r.parameter)).toEqual([...cases]);
    expect([s.chains, s.iterations]).toEqual([4, 1000]);
  });

  it("matches posterior 1.4.0's values (the fixture) in every row", () => {
    const s = summarizeDraws(draws, [...DIAGNOSE_MEASURES]);
    for (const row of s.rows) {
      const e = expectedOf(row.parameter);
      const pairs: [string, string][] = [
        ["mean", "mean"],
        ["sd", "sd"],
        ["median", "median"],
        ["q5", "q05"],
        ["q95", "q95"],
        ["rhat", "rhat"],
        ["ess_bulk", "ess_bulk"],
        ["ess_tail", "ess_tail"],
        ["mcse_mean", "mcse_mean"],
        ["mcse_sd", "mcse_sd"],
      ];
      for (const [ours, theirs] of pairs)
        expect(relativeError(row.values[ours]!, e[theirs]!)).toBeLessThan(1e-9);
    }
  });

  it("equals the standalone functions on each parameter's chains", () => {
    const s = summarizeDraws(draws, Object.keys(MEASURES));
    const row = s.rows[1]!;
    const x = chainsOfCase("ar1_099");
    expect(row.values).toMatchObject({
      mean: mean(x),
      median: median(x),
      sd: sd(x),
      mad: mad(x),
      q5: quantile(x, 0.05),
      rhat: rhat(x),
      ess_bulk: essBulk(x),
      ess_tail: essTail(x),
      mcse_sd: mcseSd(x),
    });
  });

  it("takes custom measures beside built-in ones, in the order given", () => {
    const s = summarizeDraws(draws, {
      mean: MEASURES["mean"]!,
      q10: (chains) => quantile(chains, 0.1),
      chains: (chains) => chains.length,
      first: (chains, set) => set.values[0]! + chains[0]![0]!,
    });
    expect(s.measures).toEqual(["mean", "q10", "chains", "first"]);
    const x = chainsOfCase("iid_normal");
    expect(s.rows[0]!.values).toEqual({
      mean: mean(x),
      q10: quantile(x, 0.1),
      chains: 4,
      first: 2 * x[0]![0]!,
    });
  });

  it("summarizes the parameters asked for, in that order", () => {
    const s = summarizeDraws(draws, ["mean"], { parameters: ["trending", "iid_normal"] });
    expect(s.rows.map((r) => r.parameter)).toEqual(["trending", "iid_normal"]);
  });

  it("warns, as values naming the parameter: R-hat above 1.01, bulk or tail ESS below 100 per chain", () => {
    const s = summarizeDraws(draws);
    const warned = (kind: string) => s.warnings.filter((w) => w.kind === kind).map((w) => w.parameter);
    // From the fixture: rhat > 1.01 for ar1_099, shifted_mean, scale_differs, trending; ESS < 400 likewise.
    for (const row of s.rows) {
      const v = row.values;
      expect(warned("rhat").includes(row.parameter)).toBe(v["rhat"]! > 1.01);
      expect(warned("ess_bulk").includes(row.parameter)).toBe(v["ess_bulk"]! < 400);
      expect(warned("ess_tail").includes(row.parameter)).toBe(v["ess_tail"]! < 400);
    }
    expect(warned("rhat")).toContain("shifted_mean");
    expect(warned("rhat")).not.toContain("iid_normal");
    const w = s.warnings.find((x) => x.kind === "rhat" && x.parameter === "trending")!;
    expect(w.threshold).toBe(1.01);
    expect(w.message).toMatch(/^R-hat of `trending` is \d\.\d+, above 1\.01/);
    const e = s.warnings.find((x) => x.kind === "ess_bulk")!;
    expect(e.threshold).toBe(400);
    expect(e.message).toContain("100 per chain × 4 chains");
  });

  it("thresholds are options", () => {
    const s = summarizeDraws(draws, ["rhat", "ess_bulk", "ess_tail"], { rhatThreshold: 100, essPerChain: 0 });
    expect(s.warnings).toEqual([]);
  });

  it("checks a warning only when its measure is a column", () => {
    expect(summarizeDraws(draws, ["mean"]).warnings).toEqual([]);
  });

  it("reports a capped ESS as a warning naming the parameter and the measure", () => {
    const anti = drawsOf({ anti: ar1Chains(61, 4, 500, -0.95) });
    const s = summarizeDraws(anti, ["ess_mean"]);
    const capped = s.warnings.filter((w) => w.kind === "ess_capped");
    expect(capped).toHaveLength(1);
    expect(capped[0]).toMatchObject({ parameter: "anti", measure: "ess_basic" });
    expect(capped[0]!.value).toBeCloseTo(2000 * Math.log10(2000), 8);
    expect(s.rows[0]!.values["ess_mean"]).toBeCloseTo(2000 * Math.log10(2000), 8);
  });

  it("constant and non-finite parameters give NaN cells, not errors", () => {
    const d = drawsOf({
      fixed: [new Float64Array(100).fill(1), new Float64Array(100).fill(1)],
      broken: [Float64Array.of(...new Array(99).fill(0).map((_, i) => i), Number.NaN), new Float64Array(100)],
    });
    const s = summarizeDraws(d);
    expect(s.rows[0]!.values["mean"]).toBe(1);
    expect(s.rows[0]!.values["rhat"]).toBeNaN();
    expect(s.rows[1]!.values["ess_bulk"]).toBeNaN();
    expect(s.warnings).toEqual([]);
  });

  it("unknown measure or parameter names are typed errors naming them", () => {
    expect(() => summarizeDraws(draws, ["mean", "meen"])).toThrow(ArgumentError);
    expect(() => summarizeDraws(draws, ["meen"])).toThrow(/"meen"/);
    expect(() => summarizeDraws(draws, ["mean"], { parameters: ["nope"] })).toThrow(ArgumentError);
    expect(() => summarizeDraws(draws, { bad: 5 as unknown as () => number })).toThrow(/`measures.bad`/);
  });
});
