/**
 * Generated formulas with functions of columns over a small data set: each gives a model or a typed
 * error (FormulaError, DataError, ArgumentError) — never another exception — and every expression's
 * key is a fixed point of R's deparse (parse(deparse(e)) deparses to the same text).
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { LmmError } from "../../src/errors";
import { deparse, formulaSpec } from "../../src/formula";
import { lmm } from "../../src/model/lmm";

const n = 24;
const data = {
  y: Array.from({ length: n }, (_, i) => Math.sin(i) * 3 + i / 4),
  x: Array.from({ length: n }, (_, i) => (i % 7) - 2.5),
  z: Array.from({ length: n }, (_, i) => 1 + ((i * 5) % 11)),
  f: Array.from({ length: n }, (_, i) => ["a", "b", "c"][i % 3]!),
  g: Array.from({ length: n }, (_, i) => `g${i % 4}`),
};

const variable = fc.constantFrom("x", "z", "f");
const expression: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    variable,
    fc.constantFrom("1", "2", "0.5", "1e5", "2L", "pi", "TRUE"),
    fc
      .tuple(
        fc.constantFrom(
          "log",
          "log1p",
          "exp",
          "sqrt",
          "abs",
          "sin",
          "cos",
          "I",
          "scale",
          "factor",
          "as.numeric",
        ),
        tie("e"),
      )
      .map(([f, e]) => `${f}(${e})`),
    fc
      .tuple(tie("e"), fc.constantFrom("+", "-", "*", "/", "^"), tie("e"))
      .map(([a, op, b]) => `${a} ${op} ${b}`),
    fc
      .tuple(tie("e"), fc.integer({ min: 1, max: 3 }), fc.boolean())
      .map(([e, k, raw]) => `poly(${e}, ${k}${raw ? ", raw = TRUE" : ""})`),
    fc.tuple(tie("e"), fc.integer({ min: 1, max: 4 })).map(([e, df]) => `ns(${e}, df = ${df})`),
    fc.tuple(tie("e"), fc.integer({ min: 3, max: 5 })).map(([e, df]) => `bs(${e}, ${df})`),
    tie("e").map((e) => `(${e})`),
    tie("e").map((e) => `-${e}`),
  ),
})).e;

const term = fc.oneof(
  expression.map((e) => (/^[a-z]+$/.test(e) ? e : `I(${e})`)),
  fc.tuple(expression, variable).map(([e, v]) => `I(${e}):${v}`),
  fc.constantFrom("log(z)", "poly(x, 2)", "ns(z, 3)", "factor(x)", "scale(x)"),
);
const formula = fc
  .tuple(
    fc.array(term, { minLength: 1, maxLength: 4 }),
    fc.constantFrom("", " - 1", " + 0"),
    fc.constantFrom("(1 | g)", "(x | g)", "(log(z) | g)", "(1 | factor(x))"),
  )
  .map(([terms, intercept, bar]) => `y ~ ${terms.join(" + ")}${intercept} + ${bar}`);

describe("generated formulas with functions", () => {
  test.prop([formula], { numRuns: 300 })("give a model or a typed error", (text) => {
    try {
      const model = lmm(text, data);
      expect(model.X.every(Number.isFinite)).toBe(true);
      expect(model.fixedNames.length).toBe(model.p);
    } catch (error) {
      expect(error, String(error)).toBeInstanceOf(LmmError);
    }
  });

  test.prop([expression], { numRuns: 500 })("keys are fixed points of deparse", (e) => {
    const spec = formulaSpec(`y ~ I(${e}) + (1 | g)`);
    for (const [key, node] of Object.entries(spec.expressions)) {
      expect(deparse(node)).toBe(key);
      const again = formulaSpec(`y ~ ${key} + (1 | g)`);
      expect(Object.keys(again.expressions)).toContain(key);
    }
  });
});

// Found by the property above (seed 30564950): a constant that is not finite, multiplied into a column
// by an interaction, gave a model matrix of NaN instead of a typed error.
test("a non-finite constant in an interaction is a typed error naming it", () => {
  expect(() => lmm("y ~ I(log(-1)):x + (1 | g)", data)).toThrowError(/`I\(log\(-1\)\)` is NaN/);
  expect(() => lmm("y ~ I(log(-1)):x + (1 | g)", data)).toThrowError(LmmError);
});
