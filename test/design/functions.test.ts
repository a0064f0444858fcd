/**
 * The functions of a formula and the design recipe: what is refused and how (a FormulaError naming an
 * unsupported function or argument before the data are read; a DataError naming the expression and
 * row for values a model cannot use), the options for factors (levels, ordered, contrasts), predvars
 * as R writes them, and the recipe applied to new data (JSON round trip, missing predictors, the
 * response on request). The values themselves are checked against R in language.test.ts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv";
import { deparsePredvar } from "../../src/design/predvar";
import { applyRecipe } from "../../src/design/recipe";
import { ArgumentError, DataError, FormulaError } from "../../src/errors";
import { lmm } from "../../src/model/lmm";
import { dataPath } from "../helpers/fixtures";

const sleep = parseCsv(readFileSync(dataPath("sleepstudy"), "utf8"));

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

describe("what a formula may call (FormulaError, before the data are read)", () => {
  it.each([
    [
      "y ~ foo(x) + (1 | g)",
      5,
      "unsupported function 'foo()'; a formula may call log(), log2(), log10(), log1p(), exp(), sqrt(), abs(), sin(), cos(), I(), scale(), poly(), ns(), bs(), factor(), as.numeric() and offset() — add other transformations to the data as columns",
    ],
    ["y ~ log(x, b = 2) + (1 | g)", 12, "log() has no argument 'b'; its arguments are log(x, base)"],
    ["y ~ sqrt(x, 2) + (1 | g)", 13, "sqrt() takes at most 1 argument: sqrt(x)"],
    ["y ~ poly(x, z) + (1 | g)", 13, "the argument 'degree' of poly() must be a whole number of at least 1"],
    ["y ~ poly(x, 2, 3) + (1 | g)", 16, "the argument 'raw' of poly() must be TRUE or FALSE"],
    [
      "y ~ poly(x, 2, y = 1) + (1 | g)",
      16,
      "poly() has no argument 'y'; its arguments are poly(x, degree, raw)",
    ],
    ["y ~ poly(x, degree = 2, degree = 3) + (1 | g)", 25, "the argument 'degree' of poly() is given twice"],
    [
      "y ~ scale(x, center = z) + (1 | g)",
      23,
      "the argument 'center' of scale() must be TRUE, FALSE or a number",
    ],
    ["y ~ ns(x, df = 0) + (1 | g)", 16, "the argument 'df' of ns() must be a whole number of at least 1"],
    ["y ~ bs(x, df = 2) + (1 | g)", 5, "df of bs(x, df = 2) must be at least 3"],
    [
      "y ~ ns(x, Boundary.knots = 1) + (1 | g)",
      5,
      "Boundary.knots of ns() must be two numbers, e.g. c(0, 10)",
    ],
    ["y ~ log() + (1 | g)", 5, "log() needs its argument 'x': log(x, base)"],
    [
      "y ~ log(x:z) + (1 | g)",
      11,
      "':' inside a function call is not arithmetic; write the interaction outside the call (log(x):f), or a product as I(x * z)",
    ],
    [
      "y ~ log(x, base = 1) + (1 | g)",
      19,
      "the argument 'base' of log() must be a positive number other than 1",
    ],
  ])("%s", (formula, position, message) => {
    // The data lack every column: the formula is refused first.
    const error = thrown(() => lmm(formula, { q: [1, 2] }));
    expect(error).toBeInstanceOf(FormulaError);
    expect((error as FormulaError).position).toBe(position);
    expect(error.message).toBe(`invalid formula. ${message} at column ${position}.`);
  });
});

describe("values a model cannot use (DataError naming the expression and the row)", () => {
  const d = {
    y: [1, 2, 3, 4, 5, 6],
    x: [1, 0, 2, 3, 4, 5],
    f: ["a", "b", "a", "b", "a", "b"],
    g: ["p", "p", "q", "q", "r", "r"],
  };
  it.each([
    ["y ~ log(x) + (1 | g)", "`log(x)` is -Inf in row 2", "log(x)", 2],
    ["y ~ I(1/x) + (1 | g)", "`I(1/x)` is Inf in row 2", "I(1/x)", 2],
    ["y ~ sqrt(x - 3) + (1 | g)", "`sqrt(x - 3)` is NaN in row 1", "sqrt(x - 3)", 1],
    [
      "y ~ log(f) + (1 | g)",
      "In `log(f)`, 'log()' needs numbers, but its argument is a factor",
      "log(f)",
      undefined,
    ],
    [
      "y ~ poly(f, 2) + (1 | g)",
      "In `poly(f, 2)`, poly() needs one column of numbers, but its argument is a factor",
      "poly(f, 2)",
      undefined,
    ],
    ["y ~ poly(I(x > -1), 2) + (1 | g)", "", "", undefined],
  ])("%s", (formula, message, column, row) => {
    if (message === "") {
      expect(thrown(() => lmm(formula, d))).toBeInstanceOf(FormulaError);
      return;
    }
    const error = thrown(() => lmm(formula, d)) as DataError;
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toContain(message);
    expect(error.column).toBe(column);
    expect(error.row).toBe(row);
  });

  it("poly's degree must be below the number of distinct values, scale needs a spread", () => {
    const few = { y: [1, 2, 3, 4], x: [1, 1, 2, 2], g: ["a", "a", "b", "b"] };
    expect(thrown(() => lmm("y ~ poly(x, 2) + (1 | g)", few)).message).toContain(
      "the degree 2 must be less than the number of distinct values (2)",
    );
    expect(thrown(() => lmm("y ~ scale(I(x * 0)) + (1 | g)", few)).message).toContain(
      "standard deviation is 0",
    );
  });
});

describe("factor options", () => {
  const d = {
    y: [1, 3, 2, 5, 4, 6, 2, 3, 7],
    dose: ["low", "mid", "high", "low", "mid", "high", "low", "mid", "high"],
    n: [10, 20, 5, 10, 20, 5, 10, 20, 5],
    g: ["a", "a", "a", "b", "b", "b", "c", "c", "c"],
  };

  it("levels set the order (and the reference level)", () => {
    expect(lmm("y ~ dose + (1 | g)", d).fixedNames).toEqual(["(Intercept)", "doselow", "dosemid"]);
    expect(lmm("y ~ dose + (1 | g)", d, { levels: { dose: ["low", "mid", "high"] } }).fixedNames).toEqual([
      "(Intercept)",
      "dosemid",
      "dosehigh",
    ]);
  });

  it("ordered factors get polynomial contrasts; numbers become levels sorted numerically", () => {
    expect(lmm("y ~ dose + (1 | g)", d, { ordered: { dose: ["low", "mid", "high"] } }).fixedNames).toEqual([
      "(Intercept)",
      "dose.L",
      "dose.Q",
    ]);
    const model = lmm("y ~ n + (1 | g)", d, { ordered: { n: true } });
    expect(model.fixedNames).toEqual(["(Intercept)", "n.L", "n.Q"]);
    expect(model.recipe!.variables["n"]!.levels).toEqual(["5", "10", "20"]);
  });

  it("contrasts are chosen per variable key, factor(x) included", () => {
    expect(lmm("y ~ dose + (1 | g)", d, { contrasts: { dose: "sum" } }).fixedNames).toEqual([
      "(Intercept)",
      "dose1",
      "dose2",
    ]);
    expect(lmm("y ~ factor(n) + (1 | g)", d, { contrasts: { "factor(n)": "helmert" } }).fixedNames).toEqual([
      "(Intercept)",
      "factor(n)1",
      "factor(n)2",
    ]);
  });

  it("refuses bad options with the option's path", () => {
    expect(
      thrown(() => lmm("y ~ dose + (1 | g)", d, { levels: { dose: ["low", "mid"] } })).message,
    ).toContain("Column `dose` has the value `high` in row 3, which is not among the levels given for it");
    const e1 = thrown(() => lmm("y ~ dose + (1 | g)", d, { levels: { Dose: ["low"] } }));
    expect(e1).toBeInstanceOf(ArgumentError);
    expect((e1 as ArgumentError).argument).toBe("options.levels.Dose");
    const e2 = thrown(() => lmm("y ~ dose + (1 | g)", d, { contrasts: { dose: "helmet" as "helmert" } }));
    expect((e2 as ArgumentError).argument).toBe("options.contrasts.dose");
    const e3 = thrown(() => lmm("y ~ n + (1 | g)", d, { contrasts: { n: "sum" } }));
    expect(e3.message).toContain("write factor(n) in the formula for a numeric column");
  });
});

describe("predvars (R's text, with the training parameters)", () => {
  it("writes scale and spline parameters as R does", () => {
    const model = lmm("Reaction ~ scale(Days) + ns(Days, 3) + (1 | Subject)", sleep);
    const v = model.recipe!.variables;
    // R: attr(terms(model.frame(...)), "predvars")
    expect(deparsePredvar(v["scale(Days)"]!.predvar)).toBe(
      "scale(Days, center = 4.5, scale = 2.88029328115643)",
    );
    expect(deparsePredvar(v["ns(Days, 3)"]!.predvar)).toBe(
      "ns(Days, knots = c(3, 6), Boundary.knots = c(0, 9), intercept = FALSE)",
    );
  });
});

describe("the recipe on new data", () => {
  const model = lmm("log(Reaction) ~ poly(Days, 2) + offset(log1p(Days)) + (Days | Subject)", sleep);
  const rows = [
    { Days: 1, Subject: 308, Reaction: 300 },
    { Days: null, Subject: 309, Reaction: 250 },
    { Days: 12, Subject: 999, Reaction: null },
  ];

  it("is plain JSON: a recipe read back builds the same design", () => {
    const again = applyRecipe(JSON.parse(JSON.stringify(model.recipe)), rows);
    const direct = applyRecipe(model.recipe!, rows);
    expect(Array.from(again.X)).toEqual(Array.from(direct.X));
    expect(Array.from(again.terms[0]!.values)).toEqual(Array.from(direct.terms[0]!.values));
  });

  it("drops rows missing a predictor, reports new groups, reads the response only when asked", () => {
    const design = applyRecipe(model.recipe!, rows);
    expect([design.n, design.dropped, Array.from(design.rows)]).toEqual([2, 1, [0, 2]]);
    expect(design.y).toBeNull();
    expect(Array.from(design.terms[0]!.refs)).toEqual([0, -1]);
    expect(design.terms[0]!.newLevels).toEqual(["999"]);
    expect(Array.from(design.offset!)).toEqual([Math.log1p(1), Math.log1p(12)]);
    const withResponse = applyRecipe(model.recipe!, rows, { response: true });
    expect(withResponse.n).toBe(1);
    expect(Array.from(withResponse.y!)).toEqual([Math.log(300)]);
  });

  it("the training rows give the training design back", () => {
    const design = applyRecipe(model.recipe!, sleep, { response: true });
    expect(Array.from(design.X)).toEqual(Array.from(model.X));
    expect(Array.from(design.y!)).toEqual(Array.from(model.y));
    expect(Array.from(design.terms[0]!.refs)).toEqual(Array.from(model.terms[0]!.refs));
  });

  it("an unknown column is the usual DataError", () => {
    const error = thrown(() => applyRecipe(model.recipe!, [{ days: 1, Subject: 308 }])) as DataError;
    expect(error.code).toBe("UNKNOWN_COLUMN");
    expect(error.column).toBe("Days");
  });
});
