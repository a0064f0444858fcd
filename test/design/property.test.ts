/**
 * Generated data (numbers, strings, booleans, missing values, NaN/Infinity; as rows, columns or CSV
 * text) and generated formulas thrown at the frame and design stages: nothing but an `LmmError` may
 * come out, and whatever model comes out is well formed.
 */
import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv";
import type { DataInput } from "../../src/data/table";
import { fixedDesign } from "../../src/design/fixed";
import { modelFrame } from "../../src/design/frame";
import { randomDesign } from "../../src/design/random";
import { LmmError } from "../../src/errors";
import { formulaSpec } from "../../src/formula/index";
import { lmm } from "../../src/model/lmm";
import type { LmmModel } from "../../src/model/types";

const NAMES = ["y", "x", "z", "g", "h", "f"];

type Cell = number | string | boolean | null;

const cell = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 3, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) },
  { weight: 4, arbitrary: fc.constantFrom("a", "b", "c", "B", "") },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY) },
);

/** A column: mostly one kind of value, sometimes mixed. */
const column = (n: number) =>
  fc.oneof(
    fc.array(fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constant(null)), { minLength: n, maxLength: n }),
    fc.array(fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constant(null)), {
      minLength: n,
      maxLength: n,
    }),
    fc.array(fc.oneof(fc.constantFrom("a", "b", "c", "B"), fc.constant(null)), {
      minLength: n,
      maxLength: n,
    }),
    fc.array(cell, { minLength: n, maxLength: n }),
  ) as fc.Arbitrary<Cell[]>;

const table = fc
  .tuple(fc.integer({ min: 0, max: 14 }), fc.subarray(NAMES, { minLength: 1 }))
  .chain(([n, names]) => fc.tuple(fc.constant(names), fc.tuple(...names.map(() => column(n)))));

/** Formulas over the columns (and an unknown `w`); the response may be any variable. */
function formulas(
  response: fc.Arbitrary<string>,
  variable: fc.Arbitrary<string>,
  group: fc.Arbitrary<string>,
) {
  const fixedTerm = fc.oneof(
    variable,
    fc.tuple(variable, variable).map(([a, b]) => `${a}:${b}`),
    fc.tuple(variable, variable).map(([a, b]) => `${a}*${b}`),
  );
  const randomTerm = fc
    .tuple(
      fc.constantFrom("1", "0 + x", "x", "f", "1 + z"),
      fc.constantFrom("|", "||"),
      fc.oneof(
        { weight: 3, arbitrary: group },
        { weight: 1, arbitrary: fc.tuple(group, group).map(([a, b]) => `${a}:${b}`) },
        { weight: 1, arbitrary: fc.tuple(group, group).map(([a, b]) => `${a}/${b}`) },
      ),
    )
    .map(([lhs, bar, g]) => `(${lhs} ${bar} ${g})`);
  return fc
    .tuple(
      response,
      fc.constantFrom("", "0 + ", "1 + "),
      fc.array(fixedTerm, { maxLength: 3 }),
      fc.option(variable, { nil: undefined, freq: 4 }),
      fc.array(randomTerm, { minLength: 1, maxLength: 2 }),
    )
    .map(([y, intercept, fixed, offset, random]) => {
      const rhs = [...fixed, ...(offset === undefined ? [] : [`offset(${offset})`]), ...random];
      return `${y} ~ ${intercept}${rhs.join(" + ")}`;
    });
}

/** Anything goes: any variable anywhere, unknown names, tiny or empty data. */
const wildFormula = formulas(
  fc.constantFrom(...NAMES, "w"),
  fc.constantFrom(...NAMES, "w"),
  fc.constantFrom(...NAMES, "w"),
);

/** Data that could well make a model: y numeric, x/z numeric, f/h factors, g a grouping variable. */
const plausibleTable = fc.integer({ min: 6, max: 40 }).chain((n) => {
  const maybeMissing = <T>(a: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 12, arbitrary: a }, { weight: 1, arbitrary: fc.constant(null) });
  const col = <T>(a: fc.Arbitrary<T>) => fc.array(maybeMissing(a), { minLength: n, maxLength: n });
  return fc.tuple(
    fc.constant(["y", "x", "z", "f", "g", "h"]),
    fc.tuple(
      col(fc.double({ min: -10, max: 10, noNaN: true })),
      col(fc.integer({ min: -3, max: 3 })),
      col(fc.double({ min: 0, max: 1, noNaN: true })),
      col(fc.constantFrom("lo", "hi", "mid")),
      col(fc.integer({ min: 1, max: 4 })),
      col(fc.constantFrom("p", "q")),
    ),
  );
}) as fc.Arbitrary<[string[], Cell[][]]>;
const plausibleFormula = formulas(
  fc.constant("y"),
  fc.constantFrom("x", "z", "f", "h"),
  fc.constantFrom("g", "h", "f"),
);

function shapes(names: string[], columns: Cell[][]): DataInput[] {
  const n = columns[0]?.length ?? 0;
  const asColumns = Object.fromEntries(names.map((name, j) => [name, columns[j]!]));
  const asRows = Array.from({ length: n }, (_, i) =>
    Object.fromEntries(names.map((name, j) => [name, columns[j]![i]])),
  );
  const csvCell = (v: Cell) =>
    v === null
      ? "NA"
      : typeof v === "string"
        ? `"${v}"`
        : typeof v === "boolean"
          ? v
            ? "TRUE"
            : "FALSE"
          : String(v);
  const csv = [
    names.join(","),
    ...asRows.map((_, i) => names.map((_, j) => csvCell(columns[j]![i]!)).join(",")),
  ].join("\n");
  const out: DataInput[] = [asColumns, asRows];
  try {
    out.push(parseCsv(csv));
  } catch (error) {
    if (!(error instanceof LmmError)) throw error;
  }
  return out;
}

function checkModel(model: LmmModel, nrows: number): void {
  expect(model.n).toBeGreaterThan(0);
  expect(model.n + model.dropped).toBe(nrows);
  expect(model.y).toHaveLength(model.n);
  expect(model.X).toHaveLength(model.n * model.p);
  expect(model.fixedNames).toHaveLength(model.p);
  expect(model.X.every(Number.isFinite) && model.y.every(Number.isFinite)).toBe(true);
  if (model.offset !== null) expect(model.offset.every(Number.isFinite)).toBe(true);
  for (const t of model.terms) {
    expect([t.q, t.m]).toEqual([t.names.length, t.levels.length]);
    expect(t.values).toHaveLength(model.n * t.q);
    expect(t.values.every(Number.isFinite)).toBe(true);
    expect(t.refs.every((r) => r >= 0 && r < t.m)).toBe(true);
    expect(t.q * t.m).toBeLessThan(model.n);
  }
}

function onlyLmmErrors(f: () => void): void {
  try {
    f();
  } catch (error) {
    if (!(error instanceof LmmError)) throw error;
  }
}

describe("generated data and formulas", () => {
  fcTest.prop([table, wildFormula], { numRuns: 300 })(
    "anything: lmm() returns a well-formed model or throws an LmmError",
    ([names, columns], text) => {
      const nrows = columns[0]?.length ?? 0;
      for (const data of shapes(names, columns)) onlyLmmErrors(() => checkModel(lmm(text, data), nrows));
    },
  );

  fcTest.prop([plausibleTable, plausibleFormula], { numRuns: 300 })(
    "plausible models: lmm() returns a well-formed model or throws an LmmError",
    ([names, columns], text) => {
      const nrows = columns[0]!.length;
      for (const data of shapes(names, columns)) onlyLmmErrors(() => checkModel(lmm(text, data), nrows));
    },
  );

  fcTest.prop([table, wildFormula], { numRuns: 300 })(
    "the stages alone throw nothing but LmmErrors",
    ([names, columns], text) => {
      onlyLmmErrors(() => {
        const spec = formulaSpec(text);
        const frame = modelFrame(spec, shapes(names, columns)[0]!);
        const fixed = fixedDesign(spec, frame);
        expect(fixed.X).toHaveLength(frame.n * fixed.p);
        const { terms } = randomDesign(spec.random, frame);
        for (const t of terms) expect(t.refs).toHaveLength(frame.n);
      });
    },
  );

  it("the plausible generator does build models (so the properties above test the success path)", () => {
    let built = 0;
    const samples = fc.sample(fc.tuple(plausibleTable, plausibleFormula), { numRuns: 200, seed: 7 });
    for (const [[names, columns], text] of samples)
      onlyLmmErrors(() => {
        checkModel(lmm(text, shapes(names, columns)[0]!), columns[0]!.length);
        built++;
      });
    expect(built).toBeGreaterThan(60);
  });
});
