/**
 * The README's formula example, statement for statement (run from the repository root, as the
 * README's commands are), and the refusals its table lists.
 */
import { describe, expect, it } from "vitest";
import { applyRecipe } from "../../src/design/recipe";
import { DataError, FormulaError } from "../../src/errors";
import { formulaSpec } from "../../src/formula";
import { lmm } from "../../src/model/lmm";
import { readCsvFile } from "../../src/node/data-file";

describe("README: formulas", () => {
  it("the example runs and says what the README says", () => {
    const model = lmm("Reaction ~ poly(Days, 2) + (Days | Subject)", readCsvFile("examples/sleepstudy.csv"));
    expect(model.fixedNames).toEqual(["(Intercept)", "poly(Days, 2)1", "poly(Days, 2)2"]);
    const next = applyRecipe(model.recipe!, [
      { Days: 10, Subject: 308 },
      { Days: 2, Subject: 400 },
    ]);
    expect(next.X.length).toBe(6);
    expect(next.terms[0]!.newLevels).toEqual(["400"]);
    expect(Array.from(next.terms[0]!.refs)).toEqual([0, -1]);
    expect(
      lmm("distance ~ age * Sex + (age | Subject)", readCsvFile("test/fixtures/data/Orthodont.csv"), {
        contrasts: { Sex: "sum" },
      }).fixedNames,
    ).toEqual(["(Intercept)", "age", "Sex1", "age:Sex1"]);
  });

  it("the refusals are the errors the README quotes", () => {
    const formulaError = (text: string): string => {
      try {
        formulaSpec(text);
      } catch (e) {
        expect(e).toBeInstanceOf(FormulaError);
        return (e as Error).message;
      }
      throw new Error(`expected a FormulaError for ${text}`);
    };
    expect(() => lmm("y ~ foo(x) + (1 | g)", { y: [1] })).toThrow(/unsupported function 'foo\(\)'/);
    expect(formulaError("y ~ (a + b)^1.5")).toContain(
      "the power in (terms)^k must be a whole number of at least 2",
    );
    expect(formulaError("y ~ a %o% b")).toContain("unsupported operator %o%");
    expect(formulaError("y ~ (1 | g) + (1 | g)")).toContain(
      "the random-effects term (1 | g) appears again (first at column 5) in the term here",
    );
    expect(formulaError("y ~ .")).toContain("'.' (all other columns) needs the data's columns");
    expect(() => lmm("y ~ log(x) + (1 | g)", { y: [1, 2, 3], x: [1, 0, 2], g: ["a", "a", "b"] })).toThrow(
      "`log(x)` is -Inf in row 2",
    );
    const f = Array.from({ length: 20_000 }, (_, i) => `L${i % 10_000}`);
    let error: unknown;
    try {
      lmm("y ~ f + (1 | h)", { y: f.map((_, i) => i % 7), f, h: f.map((_, i) => `h${i % 5}`) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toContain("at most 1,000 are supported");
  });
});
