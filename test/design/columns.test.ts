/**
 * R's model.matrix rules, with expected names and values written by hand from the rules
 * (src/design/columns.ts; the same cases run against R itself in r-cases.test.ts).
 */
import { describe, expect, it } from "vitest";
import { designColumns, fillColumns, termCodings } from "../../src/design/columns";
import { fixedDesign } from "../../src/design/fixed";
import { modelFrame } from "../../src/design/frame";
import { DataError } from "../../src/errors";
import { rName } from "../../src/formula/deparse";
import { formulaSpec } from "../../src/formula/index";

const data = {
  y: [1, 2, 3, 4, 5, 6],
  a: ["A", "B", "C", "A", "B", "C"],
  b: ["X", "X", "X", "Y", "Y", "Y"],
  x: [1, 2, 3, 4, 5, 6],
  one: ["k", "k", "k", "k", "k", "k"],
  "my x": [0.5, 1, 1.5, 2, 2.5, 3],
};

function design(formula: string) {
  const spec = formulaSpec(formula);
  return fixedDesign(spec, modelFrame(spec, data));
}

function rows(X: Float64Array, p: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < X.length / p; i++) out.push(Array.from(X.subarray(i * p, i * p + p)));
  return out;
}

describe("termCodings (R's TermCode)", () => {
  const factor = () => true;
  it("contrasts when the term without the factor is empty or an earlier term", () => {
    expect(termCodings(true, [{ variables: ["a"] }, { variables: ["a", "b"] }], factor)).toEqual([
      new Map([["a", "contrasts"]]),
      new Map([
        ["a", "full"],
        ["b", "contrasts"],
      ]),
    ]);
  });
  it("full coding for both factors of an interaction with no main effects", () => {
    expect(termCodings(true, [{ variables: ["a", "b"] }], factor)).toEqual([
      new Map([
        ["a", "full"],
        ["b", "full"],
      ]),
    ]);
  });
  it("without an intercept, the first factor of the first term with a factor is coded fully", () => {
    const isFactor = (v: string) => v !== "x";
    expect(
      termCodings(false, [{ variables: ["x"] }, { variables: ["a"] }, { variables: ["b"] }], isFactor),
    ).toEqual([new Map(), new Map([["a", "full"]]), new Map([["b", "contrasts"]])]);
  });
});

describe("fixed design: names and values", () => {
  it("treatment contrasts against the first level, intercept first", () => {
    const d = design("y ~ a + (1 | b)");
    expect(d.names).toEqual(["(Intercept)", "aB", "aC"]);
    expect(rows(d.X, d.p)).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [1, 0, 1],
      [1, 0, 0],
      [1, 1, 0],
      [1, 0, 1],
    ]);
  });

  it("factor × numeric: `aB:x` is the indicator times x; the first variable varies fastest", () => {
    const d = design("y ~ a * x + (1 | b)");
    expect(d.names).toEqual(["(Intercept)", "aB", "aC", "x", "aB:x", "aC:x"]);
    expect(rows(d.X, d.p)[4]).toEqual([1, 1, 0, 5, 5, 0]);
    const e = design("y ~ 0 + a:b + (1 | x)");
    expect(e.names).toEqual(["aA:bX", "aB:bX", "aC:bX", "aA:bY", "aB:bY", "aC:bY"]);
    expect(rows(e.X, e.p)[3]).toEqual([0, 0, 0, 1, 0, 0]);
  });

  it("no intercept: the first factor gets every level", () => {
    expect(design("y ~ 0 + a + b + (1 | x)").names).toEqual(["aA", "aB", "aC", "bY"]);
    expect(design("y ~ 0 + x + (1 | b)").names).toEqual(["x"]);
  });

  it("drops aliased columns with lme4's warning: a:b with an intercept", () => {
    const d = design("y ~ a:b + (1 | x)");
    expect(d.names).toEqual(["(Intercept)", "aA:bX", "aB:bX", "aC:bX", "aA:bY", "aB:bY"]);
    expect(d.aliased).toEqual(["aC:bY"]);
    expect(d.warnings).toEqual([
      "fixed-effect model matrix is rank deficient so dropping 1 column / coefficient: `aC:bY`",
    ]);
  });

  it("writes non-syntactic names in backticks, as R does (variables in order of appearance)", () => {
    expect(design("y ~ `my x` + a:`my x` + (1 | b)").names).toEqual([
      "(Intercept)",
      "`my x`",
      "`my x`:aB",
      "`my x`:aC",
    ]);
    expect(["standLRT", "my x", "2nd", "if", ".x", ".2", "a_b.c", "_x"].map(rName)).toEqual([
      "standLRT",
      "`my x`",
      "`2nd`",
      "`if`",
      ".x",
      "`.2`",
      "a_b.c",
      "`_x`",
    ]);
  });

  it("refuses contrasts on a factor with one level, naming it", () => {
    expect(() => design("y ~ one + (1 | b)")).toThrow(DataError);
    expect(() => design("y ~ one + (1 | b)")).toThrow(
      /factor `one` in the term `one` of the fixed effects has only one level \(`k`\)/,
    );
    // fully coded, one level is one column of ones
    expect(design("y ~ 0 + one + (1 | b)").names).toEqual(["onek"]);
  });

  it("fillColumns writes into a strided, offset destination", () => {
    const spec = formulaSpec("y ~ x + (1 | b)");
    const frame = modelFrame(spec, data);
    const columns = designColumns(true, spec.fixed, frame, "test");
    const out = new Float64Array(2 + 6 * 3).fill(-1);
    fillColumns(6, columns, out, 3, 2);
    expect(Array.from(out.subarray(2, 8))).toEqual([1, 1, -1, 1, 2, -1]);
  });
});

describe("fixedDesign's rank check on the distinct rows", () => {
  it("finds the same aliased columns from integer keys (codes, whole numbers) as from text keys (fractions)", () => {
    // a:b has an empty cell (C, Y): its indicator is aliased. `x` whole numbers take the integer keys;
    // `x + 0.25` (the same column up to the intercept) the text keys.
    const a = ["A", "B", "C", "A", "B", "A", "B", "C", "A", "B"];
    const b = ["X", "X", "X", "Y", "Y", "X", "X", "X", "Y", "Y"];
    const x = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
    const y = x.map((v, i) => v + i * 0.1);
    const spec = formulaSpec("y ~ a * b + x");
    const whole = fixedDesign(spec, modelFrame(spec, { y, a, b, x }));
    const fraction = fixedDesign(spec, modelFrame(spec, { y, a, b, x: x.map((v) => v + 0.25) }));
    expect(whole.names).toEqual(["(Intercept)", "aB", "aC", "bY", "x", "aB:bY"]);
    expect(whole.aliased).toEqual(["aC:bY"]);
    expect(fraction.names).toEqual(whole.names);
    expect(fraction.aliased).toEqual(whole.aliased);
  });
});
