import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv";
import type { DataTable } from "../../src/data/table";
import type { NumericColumn, StringColumn } from "../../src/data/types";
import { ArgumentError, DataError, type LmmError } from "../../src/errors";
import type { FormulaSpec } from "../../src/formula/types";
import { lmm } from "../../src/model/lmm";
import { dataPath } from "../helpers/fixtures";

const sleep: DataTable = parseCsv(readFileSync(dataPath("sleepstudy"), "utf8"));
const reaction = Array.from((sleep.column("Reaction") as NumericColumn).values);
const days = Array.from((sleep.column("Days") as NumericColumn).values);
const subject = Array.from((sleep.column("Subject") as NumericColumn).values);

function thrown(f: () => unknown): LmmError {
  try {
    f();
  } catch (error) {
    if (error instanceof DataError || error instanceof ArgumentError) return error;
    throw error;
  }
  throw new Error("expected an error");
}

describe("lmm: one model whatever the data's shape", () => {
  const formula = "Reaction ~ Days + (Days | Subject)";
  const fromCsv = lmm(formula, sleep);
  const shapes = {
    rows: reaction.map((r, i) => ({ Reaction: r, Days: days[i], Subject: subject[i] })),
    columns: { Reaction: reaction, Days: new Int32Array(days), Subject: subject },
    arrow: {
      schema: { fields: [{ name: "Reaction" }, { name: "Days" }, { name: "Subject" }] },
      getChild: (name: string) => {
        const values = { Reaction: reaction, Days: days, Subject: subject }[name];
        return values === undefined
          ? null
          : { toArray: () => Float64Array.from(values), length: values.length };
      },
    },
  };

  it.each(Object.keys(shapes) as (keyof typeof shapes)[])("%s", (shape) => {
    const model = lmm(formula, shapes[shape]);
    expect(model.fixedNames).toEqual(fromCsv.fixedNames);
    expect(model.X).toEqual(fromCsv.X);
    expect(model.y).toEqual(fromCsv.y);
    expect(model.terms).toEqual(fromCsv.terms);
  });

  it("lays out sleepstudy as lme4 does", () => {
    const t = fromCsv.terms[0]!;
    expect([fromCsv.n, fromCsv.p, t.q, t.m]).toEqual([180, 2, 2, 18]);
    expect(t.levels.slice(0, 4)).toEqual(["308", "309", "310", "330"]);
    // row 11 (0-based 10) is subject 309 on day 0
    expect([t.refs[10], t.values[20], t.values[21]]).toEqual([1, 1, 0]);
    expect(fromCsv.offset).toBeNull();
    expect(fromCsv.formula).toBe(formula);
    expect(fromCsv.warnings).toEqual([]);
  });

  it("accepts a FormulaSpec built by hand", () => {
    const spec: FormulaSpec = {
      text: "Reaction ~ Days + (1 | Subject)",
      response: "Reaction",
      intercept: true,
      fixed: [{ variables: ["Days"] }],
      offsets: [],
      random: [{ intercept: true, terms: [], group: ["Subject"], pos: 19 }],
      expressions: {},
      variables: ["Reaction", "Days", "Subject"],
    };
    const model = lmm(spec, sleep);
    expect(model.terms.map((t) => [t.label, t.names])).toEqual([["Subject", ["(Intercept)"]]]);
  });

  it("maps used rows back to the data and counts dropped ones", () => {
    const rows = shapes.rows.map((r, i) => (i === 3 ? { ...r, Days: null } : r));
    const model = lmm(formula, rows);
    expect([model.n, model.dropped, model.rows[3]]).toEqual([179, 1, 4]);
  });
});

describe("lmm: what it refuses", () => {
  it("a formula without a random-effects term, or that is not a formula", () => {
    const e = thrown(() => lmm("Reaction ~ Days", sleep));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/`formula` must have at least one random-effects term/);
    expect(() => lmm(42 as unknown as string, sleep)).toThrow(/`formula` must be formula text/);
  });

  it("a response that is text, or constant", () => {
    const data = { y: ["a", "b", "a", "b"], x: [1, 2, 3, 4], g: ["p", "p", "q", "q"] };
    expect(thrown(() => lmm("y ~ x + (1 | g)", data)).message).toMatch(
      /response `y` must be numeric.*`a`, `b`/,
    );
    expect(thrown(() => lmm("x ~ 1 + (1 | g)", { ...data, x: [2, 2, 2, 2] })).message).toMatch(
      /response `x` is constant \(2 in each of the 4 rows used\)/,
    );
  });

  it("a text offset", () => {
    const data = { y: [1, 2, 3, 4], o: ["a", "b", "a", "b"], g: ["p", "p", "q", "q"] };
    expect(thrown(() => lmm("y ~ 1 + offset(o) + (1 | g)", data)).message).toMatch(
      /offset `o` must be numeric/,
    );
  });

  it("lme4's grouping checks, naming the factor", () => {
    const base = { y: [1, 2, 3, 4, 5], x: [1, 2, 1, 2, 1] };
    const one = thrown(() => lmm("y ~ x + (1 | g)", { ...base, g: ["a", "a", "a", "a", "a"] }));
    expect([one.code, (one as DataError).column]).toEqual(["INVALID_DATA", "g"]);
    expect(one.message).toMatch(/one level \(`a`\).*check\.nlev\.gtr\.1/);
    const many = thrown(() => lmm("y ~ x + (1 | g)", { ...base, g: ["a", "b", "c", "d", "e"] }));
    expect(many.message).toMatch(/`g` has 5 levels for 5 rows/);
    const effects = thrown(() => lmm("y ~ 1 + (x | g)", { ...base, g: ["a", "b", "c", "a", "b"] }));
    expect(effects.message).toMatch(/The term \(x \| g\) has 6 random effects \(2 × 3 levels\) for 5 rows/);
  });

  it("a fixed factor with one level in the rows used", () => {
    const data = { y: [1, 2, 3, 4], f: ["a", "a", "a", null], g: ["p", "p", "q", "q"] } as const;
    expect((thrown(() => lmm("y ~ f + (1 | g)", data)) as DataError).column).toBe("f");
  });

  it("keeps strings as factors in a random term's lhs, coded like model.matrix", () => {
    const data = {
      y: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      f: ["a", "b", "a", "b", "a", "b", "a", "b", "a", "b"] as StringColumn["values"],
      g: ["p", "p", "q", "q", "p", "p", "q", "q", "p", "q"],
    };
    expect(lmm("y ~ 1 + (f | g)", data).terms[0]!.names).toEqual(["(Intercept)", "fb"]);
    expect(lmm("y ~ 1 + (0 + f | g)", data).terms[0]!.names).toEqual(["fa", "fb"]);
  });
});
