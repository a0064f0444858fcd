import { describe, expect, it } from "vitest";
import { asFactor } from "../../src/data/frame";
import { rNumberLabel } from "../../src/data/numbers";
import { modelFrame } from "../../src/design/frame";
import { DataError } from "../../src/errors";

function thrown(f: () => unknown): DataError {
  try {
    f();
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error("expected a DataError");
}

describe("modelFrame", () => {
  const data = {
    y: [1, 2, null, 4, 5, 6],
    x: [0.5, 1.5, 2.5, null, 4.5, 5.5],
    g: ["b", "a", "c", "c", "B", "b"],
    unused: [null, null, null, null, null, null],
  };

  it("drops rows with a missing value in a used column only (na.omit), and counts them", () => {
    const f = modelFrame({ variables: ["y", "x", "g"] }, data);
    expect(f.n).toBe(4);
    expect(f.dropped).toBe(2);
    expect(Array.from(f.rows)).toEqual([0, 1, 4, 5]);
    expect(f.variables.get("x")).toEqual({
      type: "numeric",
      name: "x",
      values: Float64Array.from([0.5, 1.5, 4.5, 5.5]),
    });
  });

  it("makes strings factors with the levels seen in the rows kept, sorted as R does", () => {
    const f = modelFrame({ variables: ["y", "x", "g"] }, data);
    // "c" occurs only in dropped rows: R's drop.unused.levels removes it.
    expect(f.variables.get("g")).toEqual({
      type: "factor",
      name: "g",
      levels: ["a", "b", "B"],
      codes: Int32Array.from([1, 0, 2, 1]),
    });
    const c = modelFrame({ variables: ["g"] }, data, { stringOrder: "codepoint" });
    expect(c.variables.get("g")).toMatchObject({ levels: ["B", "a", "b", "c"] });
  });

  it("codes booleans as a factor with both levels FALSE, TRUE (as model.matrix does)", () => {
    const f = modelFrame({ variables: ["l"] }, { l: [true, true] });
    expect(f.variables.get("l")).toEqual({
      type: "factor",
      name: "l",
      levels: ["FALSE", "TRUE"],
      codes: Int32Array.from([1, 1]),
    });
  });

  it("names an unknown column and suggests close names", () => {
    const e = thrown(() => modelFrame({ variables: ["y", "X"] }, data));
    expect(e.code).toBe("UNKNOWN_COLUMN");
    expect(e.column).toBe("X");
    expect(e.message).toBe(
      "unknown column. The formula uses `X`, which the data do not have. Did you mean `x`? The data have columns `y`, `x`, `g`, `unused`.",
    );
  });

  it("refuses NaN and ±Infinity in a used column, naming column and row, even in a dropped row", () => {
    const e = thrown(() => modelFrame({ variables: ["y", "x"] }, { y: [1, null, 3], x: [1, Number.NaN, 2] }));
    expect(e.code).toBe("INVALID_DATA");
    expect([e.column, e.row]).toEqual(["x", 2]);
    expect(
      thrown(() => modelFrame({ variables: ["x"] }, { x: new Float64Array([1, 2, -Infinity]) })).row,
    ).toBe(3);
    // unused columns may hold anything
    expect(modelFrame({ variables: ["y"] }, { y: [1, 2], z: [Number.NaN, Number.POSITIVE_INFINITY] }).n).toBe(
      2,
    );
  });

  it("refuses empty data, data with no rows and data with no row left", () => {
    expect(thrown(() => modelFrame({ variables: ["y"] }, [])).message).toMatch(/The data are empty/);
    expect(thrown(() => modelFrame({ variables: ["y"] }, { y: [] })).message).toMatch(
      /The data have no rows/,
    );
    expect(thrown(() => modelFrame({ variables: ["y", "x"] }, { y: [1, null], x: [null, 2] })).message).toBe(
      "invalid data. No rows left: each of the 2 rows has a missing value in a column the formula uses (missing values: `y`: 1, `x`: 1).",
    );
  });

  it("refuses a used column of mixed types, naming its row", () => {
    const e = thrown(() => modelFrame({ variables: ["x"] }, [{ x: 1 }, { x: "1" }]));
    expect([e.code, e.column, e.row]).toEqual(["INVALID_DATA", "x", 2]);
  });
});

describe("asFactor (R's factor(x))", () => {
  it("sorts numbers numerically and labels them as R writes them", () => {
    const f = asFactor({ type: "numeric", name: "s", values: Float64Array.from([10, 9, 100, 2.5, 1e5, 9]) });
    expect(f.levels).toEqual(["2.5", "9", "10", "100", "1e+05"]);
    expect(Array.from(f.codes)).toEqual([2, 1, 3, 0, 4, 1]);
  });

  it("gives the levels and codes of a Set and a Map of the values (-0 and 0 one level, NaN one level)", () => {
    let state = 7;
    const random = (): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const pools = [
      Array.from({ length: 50 }, (_, k) => k * 3 - 40),
      [0, -0, 1.5, -1.5, 1e5, 123000, 2.5e-7, Number.NaN, 7],
      Array.from({ length: 500 }, () => Math.floor(random() * 1e6) / 8),
    ];
    for (const pool of pools) {
      const values = Float64Array.from({ length: 3000 }, (_, i) =>
        i % 5 === 4 ? pool[(i - 1) % pool.length]! : pool[Math.floor(random() * pool.length)]!,
      );
      const distinct = Float64Array.from(new Set(values)).sort();
      const index = new Map<number, number>();
      for (const [k, v] of distinct.entries()) index.set(v, k);
      const f = asFactor({ type: "numeric", name: "v", values });
      expect(f.levels).toEqual(Array.from(distinct, rNumberLabel));
      expect(Array.from(f.codes)).toEqual(Array.from(values, (v) => index.get(v)!));
    }
  });

  it("drops unused levels of a factor, keeping their order", () => {
    const f = asFactor({
      type: "factor",
      name: "l",
      levels: ["FALSE", "TRUE"],
      codes: Int32Array.from([1, 1]),
    });
    expect(f.levels).toEqual(["TRUE"]);
    expect(Array.from(f.codes)).toEqual([0, 0]);
  });
});
