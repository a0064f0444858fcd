/**
 * The parts of R's and lme4's formula language beyond sums and interactions of columns: expressions
 * as variables (their keys are R's deparse), `^`, `%in%`, `.`, named arguments, expressions in the
 * response, offsets and grouping factors, and the refusal of repeated random terms. What the
 * expressions compute is the design stage's (test/design/functions.test.ts).
 */
import { describe, expect, it } from "vitest";
import { FormulaError } from "../../src/errors";
import { deparse, formatFormula, formulaSpec, parseFormula } from "../../src/formula";
import { meaning, sexpr } from "./helpers";

const labels = (text: string, columns?: readonly string[]): string[] =>
  formulaSpec(text, columns === undefined ? {} : { columns }).fixed.map((t) => t.variables.join(":"));

describe("R's deparse of expressions (the variable keys)", () => {
  it.each([
    ["log(x)", "log(x)"],
    ["log( x )", "log(x)"],
    ["I(x ^ 2)", "I(x^2)"],
    ["I(x*2/3 - -1 + x^-2)", "I(x * 2/3 - -1 + x^-2)"],
    ["I((x + 1)^2)", "I((x + 1)^2)"],
    ["poly(x,2,raw=TRUE)", "poly(x, 2, raw = TRUE)"],
    ["scale(x, center = 1e5, scale = 0.50)", "scale(x, center = 1e+05, scale = 0.5)"],
    ["ns(x, df = 3L)", "ns(x, df = 3L)"],
    ["log(`my x`)", "log(`my x`)"],
    ["I(100000 + 123456)", "I(1e+05 + 123456)"],
    ["exp(-x)", "exp(-x)"],
  ])("%s → %s", (text, expected) => {
    const spec = formulaSpec(`y ~ ${text}`);
    expect(spec.fixed).toEqual([{ variables: [expected] }]);
    expect(Object.keys(spec.expressions)).toEqual([expected]);
    expect(deparse(spec.expressions[expected]!)).toBe(expected);
  });

  it("parses arithmetic with R's precedence: ^ over unary minus over * and /", () => {
    const call = parseFormula("y ~ I(-x^2 * 3 + 2^3^2 - x * -y)").rhs;
    expect(sexpr(call)).toBe("(I (- (+ (- (* (^ x 2) 3)) (^ 2 (^ 3 2))) (* x (- y))))");
  });

  it("reads named arguments", () => {
    const call = parseFormula("y ~ poly(x, degree = 2, raw = TRUE)").rhs;
    expect(sexpr(call)).toBe("(poly x degree=2 raw=TRUE)");
  });
});

describe("expressions as variables", () => {
  it("are terms like columns, in interactions too, once each", () => {
    expect(labels("y ~ log(x) + poly(x, 2) + log(x):f + f:log(x) + I(x^2)")).toEqual([
      "log(x)",
      "poly(x, 2)",
      "I(x^2)",
      "log(x):f",
    ]);
  });

  it("list the columns they read, not functions, argument names or constants", () => {
    const spec = formulaSpec(
      "log(y) ~ poly(x, 2, raw = TRUE) + scale(z, center = FALSE) + I(w * pi) + (1 | g)",
    );
    expect(spec.response).toBe("log(y)");
    expect(spec.variables).toEqual(["y", "x", "z", "w", "g"]);
  });

  it("a removed expression is not kept", () => {
    const spec = formulaSpec("y ~ log(x) + z - log(x)");
    expect(spec.expressions).toEqual({});
    expect(spec.variables).toEqual(["y", "z"]);
  });

  it("may be the response, an offset, a random term's variable and a grouping factor", () => {
    const spec = formulaSpec(
      "sqrt(y) ~ x + offset(log(n)) + (log(x) | g) + (1 | factor(h)) + (1 | g:factor(h))",
    );
    expect(spec.response).toBe("sqrt(y)");
    expect(spec.offsets).toEqual(["log(n)"]);
    expect(spec.random.map((r) => [r.terms.map((t) => t.variables.join(":")), r.group])).toEqual([
      [["log(x)"], ["g"]],
      [[], ["factor(h)"]],
      [[], ["g", "factor(h)"]],
    ]);
    expect(formatFormula(spec)).toBe(
      "sqrt(y) ~ x + offset(log(n)) + (log(x) | g) + (1 | factor(h)) + (1 | g:factor(h))",
    );
    expect(meaning(formulaSpec(formatFormula(spec)))).toEqual(meaning(spec));
  });

  it("the response may be arithmetic of columns", () => {
    expect(formulaSpec("y / n ~ x").response).toBe("y/n");
    expect(formulaSpec("-y ~ x").response).toBe("-y");
  });

  it("a column named like an expression of the same formula is an error", () => {
    expect(() => formulaSpec("y ~ `log(x)` + log(x)")).toThrow(FormulaError);
    expect(() => formulaSpec("y ~ log(x) + `log(x)`")).toThrow(/same name as the expression/);
  });
});

describe("term operators", () => {
  it("(a + b + c)^2 is every interaction of two (R's PowerTerms)", () => {
    expect(labels("y ~ (a + b + c)^2")).toEqual(["a", "b", "c", "a:b", "a:c", "b:c"]);
    expect(labels("y ~ (a + b + c)^3")).toEqual(["a", "b", "c", "a:b", "a:c", "b:c", "a:b:c"]);
    expect(labels("y ~ (a + b)^2 - a:b")).toEqual(["a", "b"]);
    expect(labels("y ~ x^2")).toEqual(["x"]); // R: a variable crossed with itself is itself
  });

  it("refuses a power that is not a whole number of at least 2", () => {
    for (const text of ["y ~ (a + b)^1", "y ~ (a + b)^2.5", "y ~ (a + b)^c", "y ~ (a + b)^0"])
      expect(() => formulaSpec(text)).toThrow(/whole number of at least 2/);
  });

  it("a %in% b joins each term of a with every variable of b (R's InTerms)", () => {
    expect(labels("y ~ a %in% b")).toEqual(["a:b"]);
    expect(labels("y ~ (a + c) %in% b")).toEqual(["a:b", "c:b"]);
    expect(labels("y ~ a %in% (b + c)")).toEqual(["a:b:c"]);
    expect(labels("y ~ b + a %in% b")).toEqual(["b", "b:a"]);
  });

  it(". is every column but the response's, in data order, where it stands", () => {
    const columns = ["y", "x", "g", "z"];
    expect(labels("y ~ .", columns)).toEqual(["x", "g", "z"]);
    expect(labels("y ~ z:x + .", columns)).toEqual(["x", "g", "z", "z:x"]);
    expect(labels("y ~ . - g", columns)).toEqual(["x", "z"]);
    expect(labels("log(y) ~ . + log(x)", columns)).toEqual(["x", "g", "z", "log(x)"]);
    expect(labels("y ~ .^2", ["y", "a", "b"])).toEqual(["a", "b", "a:b"]);
    // lme4 keeps the grouping column among the fixed effects too (`. - g` leaves it out).
    expect(formulaSpec("y ~ . + (1 | g)", { columns }).fixed.map((t) => t.variables[0])).toEqual([
      "x",
      "g",
      "z",
    ]);
  });

  it(". needs the columns, and may not stand in a random term", () => {
    expect(() => formulaSpec("y ~ .")).toThrow(/needs the data's columns/);
    expect(() => formulaSpec("y ~ x + (. | g)", { columns: ["y", "x", "g"] })).toThrow(
      /not supported inside a random-effects term/,
    );
  });
});

describe("repeated random-effects terms (refused: their variances cannot be told apart)", () => {
  it.each([
    ["y ~ x + (1 | g) + (1 | g)", 19, "(1 | g) appears again (first at column 9) in the term here"],
    [
      "y ~ (x + z | g) + (z + x | g)",
      19,
      "(1 + z + x | g) appears again (first at column 5) in the term here",
    ],
    ["y ~ (x || g) + (1 | g)", 16, "(1 | g) appears again (first at column 5) in the term here"],
    ["y ~ (1 | a/b) + (1 | a)", 17, "(1 | a) appears again (first at column 5) in the term here"],
    ["y ~ (1 | a:b) + (1 | b:a)", 17, "(1 | b:a) appears again (first at column 5) in the term here"],
  ])("%s", (text, position, message) => {
    let error: unknown;
    try {
      formulaSpec(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FormulaError);
    expect((error as FormulaError).position).toBe(position);
    expect((error as FormulaError).message).toContain(message);
  });

  it("300 copies of (1 | Subject) are refused (one set lookup per term; timed in bench/design.bench.ts)", () => {
    const text = `Reaction ~ Days${" + (1 | Subject)".repeat(300)}`;
    expect(() => formulaSpec(text)).toThrow(/appears again \(first at column 19\)/);
  });

  it("different terms of one factor are fine", () => {
    expect(formulaSpec("y ~ (1 | g) + (0 + x | g) + (x | g:h)").random).toHaveLength(3);
  });
});
