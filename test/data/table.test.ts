import { describe, expect, it } from "vitest";
import { DataTable, toDataTable } from "../../src/data/table";
import type { ArrowLikeTable, Column } from "../../src/data/types";
import { DataError } from "../../src/errors";

function numeric(values: number[], missing?: number[]): Column {
  return {
    type: "numeric",
    values: Float64Array.from(values),
    missing: missing ? Uint8Array.from(missing) : null,
  };
}

/** A minimal stand-in for apache-arrow's Table (the duck-typed part). */
function arrowTable(
  columns: Record<string, { values: ArrayLike<unknown>; valid?: boolean[] }>,
): ArrowLikeTable {
  const names = Object.keys(columns);
  return {
    schema: { fields: names.map((name) => ({ name })) },
    numRows: columns[names[0]!]!.values.length,
    getChild(name: string) {
      const c = columns[name];
      if (c === undefined) return null;
      const valid = c.valid;
      return {
        length: c.values.length,
        nullCount: valid ? valid.filter((v) => !v).length : 0,
        isValid: (i: number) => valid?.[i] ?? true,
        toArray: () => c.values,
      };
    },
  };
}

describe("toDataTable: the accepted shapes", () => {
  it("rows: types from values, null/undefined/missing keys missing", () => {
    const t = toDataTable([
      { y: 1, g: "a", l: true },
      { y: null, g: "b" },
      { y: 3, g: undefined, l: false },
    ]);
    expect(t.names).toEqual(["y", "g", "l"]);
    expect(t.nrows).toBe(3);
    expect(t.column("y")).toEqual(numeric([1, 0, 3], [0, 1, 0]));
    expect(t.column("g")).toEqual({ type: "string", values: ["a", "b", null] });
    expect(t.column("l")).toEqual({ type: "logical", values: [true, null, false] });
  });

  it("columns: arrays and typed arrays (Float64Array kept as is), bigints as numbers", () => {
    const y = new Float64Array([1, 2, 3]);
    const t = toDataTable({ y, k: new Int32Array([4, 5, 6]), b: [1n, 2n, null], g: ["a", "b", "a"] });
    expect(t.column("y")).toEqual({ type: "numeric", values: y, missing: null });
    expect((t.column("y") as { values: Float64Array }).values).toBe(y);
    expect(t.column("k")).toEqual(numeric([4, 5, 6]));
    expect(t.column("b")).toEqual(numeric([1, 2, 0], [0, 0, 1]));
  });

  it("Arrow-like tables by duck typing, nulls from isValid", () => {
    const t = toDataTable(
      arrowTable({
        y: { values: new Float64Array([1, 2, 3]), valid: [true, false, true] },
        g: { values: ["a", "b", "c"] },
      }),
    );
    expect(t.names).toEqual(["y", "g"]);
    expect(t.column("y")).toEqual(numeric([1, 0, 3], [0, 1, 0]));
    expect(t.column("g")).toEqual({ type: "string", values: ["a", "b", "c"] });
  });

  it("a DataTable is returned as is", () => {
    const t = new DataTable(["y"], 1, new Map([["y", numeric([1])]]));
    expect(toDataTable(t)).toBe(t);
  });
});

describe("toDataTable: what it refuses", () => {
  it("columns of unequal length, naming them", () => {
    expect(() => toDataTable({ y: [1, 2, 3], g: ["a", "b"] })).toThrow(
      /Columns must have equal lengths: `y` has 3 values, `g` has 2/,
    );
  });

  it("a column that is not an array, a row that is not an object, data that is no table", () => {
    expect(() => toDataTable({ y: 5 } as unknown as Record<string, number[]>)).toThrow(
      /Column `y` must be an array/,
    );
    expect(() => toDataTable([{ y: 1 }, 7] as unknown as Record<string, unknown>[])).toThrow(
      /Row 2 must be an object/,
    );
    expect(() => toDataTable(null as unknown as Record<string, number[]>)).toThrow(DataError);
  });

  it("mixed or unsupported values make a column unusable only when used", () => {
    const t = toDataTable([
      { y: 1, bad: 1 },
      { y: 2, bad: "two" },
      { y: 3, obj: { a: 1 } },
    ]);
    expect(t.column("y")?.type).toBe("numeric");
    expect(t.column("bad")).toMatchObject({ type: "invalid", row: 2 });
    expect(t.column("bad")).toMatchObject({
      reason: expect.stringMatching(/mixes types: row 1 has a number/),
    });
    expect(t.column("obj")).toMatchObject({ type: "invalid", row: 3 });
  });
});
