/**
 * AR(1) residuals (src/model/ar1.ts, issue 15): the chains lmm builds from `ar1: { time, group }`,
 * the whitening, log det R(phi) and the phi-free cross-product statistics, each against R(phi)
 * built densely from its definition (R_st = phi^|t_s − t_t| within a group), to 1e-12; and the
 * typed errors for data nlme refuses or we cannot fit.
 */
import { describe, expect, it } from "vitest";
import { ArgumentError, DataError } from "../../src/errors";
import { ar1LogDeterminant, ar1Statistics, ar1Whiten, ar1WhitenedStatistics } from "../../src/model/ar1";
import { lmm } from "../../src/model/lmm";
import { statisticsOfRows } from "../../src/model/stats";
import { denseR, invertSpd, rowVectors, smallData } from "./ar1-helpers";

describe("AR(1) chains, whitening and statistics", () => {
  const data = smallData();
  const model = lmm("y ~ x + (1 | site) + (x | subject)", data, { ar1: { time: "t", group: "subject" } });
  const times = data.map((r) => r["t"] as number);
  const groups = data.map((r) => r["subject"] as string);

  it("orders rows group by group, time increasing, with the lags to the previous time (gaps count)", () => {
    const ar1 = model.ar1!;
    expect(ar1.chains).toBe(3);
    expect(Array.from(ar1.order, (i) => `${groups[i]}${times[i]}`)).toEqual(
      "a1 a2 a3 a6 b0 b1 b2 c4 c5 c6 c7 c8".split(" "),
    );
    expect(Array.from(ar1.lags)).toEqual([0, 1, 1, 3, 0, 1, 1, 0, 1, 1, 1, 1]);
  });

  for (const phi of [0.6, -0.45, 0.95, 0])
    it(`phi = ${phi}: whitening, log det R and the statistics equal R(phi) built densely, 1e-12`, () => {
      const R = denseR(model, times, groups, phi);
      const { inverse, logDet } = invertSpd(R);
      expect(ar1LogDeterminant(model.ar1!, phi)).toBeCloseTo(logDet, 12);
      const V = rowVectors(model);
      const d = V[0]!.length;
      // Brute force: per cell (here the subject, nested in site), Σ_st v_s R⁻¹_st v_t'.
      const cellOf = (i: number): string => model.terms.map((t) => t.refs[i]).join(",");
      const stats = ar1WhitenedStatistics(ar1Statistics(model), phi);
      const reference = statisticsOfRows(model);
      expect(stats.count).toBe(reference.count);
      expect(stats.levels).toEqual(reference.levels);
      const size = (d * (d + 1)) / 2;
      for (let c = 0; c < stats.count; c++) {
        const members = V.map((_, i) => i).filter(
          (i) => cellOf(i) === model.terms.map((t) => stats.levels[model.terms.indexOf(t)]![c]).join(","),
        );
        let e = 0;
        for (let r = 0; r < d; r++)
          for (let q = 0; q <= r; q++) {
            let s = 0;
            for (const i of members) for (const j of members) s += V[i]![r]! * inverse[i]![j]! * V[j]![q]!;
            expect(Math.abs(stats.sums[c * size + e]! - s)).toBeLessThan(1e-12 * Math.max(1, Math.abs(s)));
            e++;
          }
      }
      // Whitening one column: Σ out² = y' R⁻¹ y and each whitened cross-product x̃'ỹ = x' R⁻¹ y.
      const wy = ar1Whiten(model.ar1!, phi, model.y, new Float64Array(model.n));
      const x = Float64Array.from({ length: model.n }, (_, i) => model.X[i * model.p + 1]!);
      const wx = ar1Whiten(model.ar1!, phi, x, new Float64Array(model.n));
      let yy = 0;
      let xy = 0;
      let wyy = 0;
      let wxy = 0;
      for (let i = 0; i < model.n; i++) {
        wyy += wy[i]! ** 2;
        wxy += wx[i]! * wy[i]!;
        for (let j = 0; j < model.n; j++) {
          yy += model.y[i]! * inverse[i]![j]! * model.y[j]!;
          xy += x[i]! * inverse[i]![j]! * model.y[j]!;
        }
      }
      expect(Math.abs(wyy - yy)).toBeLessThan(1e-12 * yy);
      expect(Math.abs(wxy - xy)).toBeLessThan(1e-12 * Math.max(1, Math.abs(xy)));
    });

  it("at phi = 0 the whitened statistics are the rows' statistics", () => {
    const a = ar1WhitenedStatistics(ar1Statistics(model), 0);
    const b = statisticsOfRows(model);
    for (let e = 0; e < a.sums.length; e++) expect(a.sums[e]).toBeCloseTo(b.sums[e]!, 12);
  });

  it("time \"1\" takes each group's rows in the data's order (nlme's ~ 1 | group), every lag 1", () => {
    const m = lmm("y ~ x + (1 | subject)", data, { ar1: { time: "1", group: "subject" } });
    expect(Array.from(m.ar1!.order)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(Array.from(m.ar1!.lags)).toEqual([0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1]);
  });

  it("refuses phi outside (-1, 1)", () => {
    expect(() => ar1LogDeterminant(model.ar1!, 1)).toThrow(ArgumentError);
    expect(() => ar1Whiten(model.ar1!, Number.NaN, model.y, new Float64Array(model.n))).toThrow(
      ArgumentError,
    );
  });
});

describe("AR(1) data checks", () => {
  const data = smallData();
  const build = (
    rows: Record<string, unknown>[],
    ar1: { time: string; group: string },
    formula = "y ~ x + (1 | subject)",
  ) => lmm(formula, rows, { ar1 });
  const error = (f: () => unknown): DataError | ArgumentError => {
    try {
      f();
    } catch (e) {
      return e as DataError;
    }
    throw new Error("no error");
  };

  it("names an unknown time or group column", () => {
    const e = error(() => build(data, { time: "tt", group: "subject" }));
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).column).toBe("tt");
    expect(error(() => build(data, { time: "t", group: "subj" }))).toBeInstanceOf(DataError);
  });

  it("refuses a time that is not an integer, naming the row", () => {
    const rows = data.map((r, i) => (i === 4 ? { ...r, t: 0.5 } : r));
    const e = error(() => build(rows, { time: "t", group: "subject" })) as DataError;
    expect(e).toBeInstanceOf(DataError);
    expect(e.row).toBe(5);
    expect(e.message).toContain("integers");
    const f = error(() => build(data, { time: "site", group: "subject" })) as DataError;
    expect(f.message).toContain("numeric");
  });

  it("refuses a time repeated within a group, naming the group and the time", () => {
    const rows = data.map((r, i) => (i === 1 ? { ...r, t: 3 } : r));
    const e = error(() => build(rows, { time: "t", group: "subject" })) as DataError;
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toContain("group a has time 3 in rows 1 and 2");
  });

  it("refuses a group not nested in a random-effects factor", () => {
    const e = error(() => build(data, { time: "1", group: "site" }, "y ~ x + (1 | subject)")) as DataError;
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toContain("nested in the random-effects factor `subject`");
  });

  it("refuses ar1 with weights or varIdent, and a malformed option", () => {
    const rows = data.map((r) => ({ ...r, w: 1 }));
    expect(() =>
      lmm("y ~ x + (1 | subject)", rows, { weights: "w", ar1: { time: "t", group: "subject" } }),
    ).toThrow(ArgumentError);
    expect(() =>
      lmm("y ~ x + (1 | subject)", rows, { varIdent: "site", ar1: { time: "t", group: "subject" } }),
    ).toThrow(/cannot be combined with varIdent/);
    expect(() => lmm("y ~ x + (1 | subject)", data, { ar1: { time: "t" } as never })).toThrow(ArgumentError);
    expect(() => lmm("y ~ x + (1 | subject)", data, { ar1: "t | subject" as never })).toThrow(ArgumentError);
  });

  it("drops a row missing its time, as nlme's na.omit does", () => {
    const rows = data.map((r, i) => (i === 2 ? { ...r, t: null } : r));
    const m = build(rows, { time: "t", group: "subject" });
    expect(m.n).toBe(11);
    expect(Array.from(m.ar1!.lags)).toEqual([0, 2, 3, 0, 1, 1, 0, 1, 1, 1, 1]);
  });
});
