/**
 * Every kind of formula error: a FormulaError (code FORMULA_SYNTAX) with the 1-based column of the
 * problem and a message that says what was expected or what to write instead.
 */
import { describe, expect, it } from "vitest";
import { FormulaError } from "../../src/errors";
import { formulaSpec, parseFormula } from "../../src/formula";

/** Runs `fn`, which must throw a FormulaError; returns it. */
function formulaError(fn: () => unknown): FormulaError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(FormulaError);
    return error as FormulaError;
  }
  throw new Error("expected a FormulaError, but nothing was thrown");
}

function expectError(text: string, position: number, message: string): void {
  const error = formulaError(() => formulaSpec(text));
  expect(error.code).toBe("FORMULA_SYNTAX");
  expect(error.position).toBe(position);
  expect(error.message).toBe(`invalid formula. ${message} at column ${position}.`);
}

describe("characters the tokenizer does not accept", () => {
  it.each([
    ["y ~ a # c", 7, "unexpected character '#'"],
    ["y ~ a = b", 7, "unexpected '=': '=' names an argument of a call, e.g. poly(x, 2, raw = TRUE)"],
    ["y ~ a == b", 7, "'==' (a comparison) is not supported in a formula; add the indicator to the data"],
    ["y ~ a %o% b", 7, "unsupported operator %o%; the only %-operator in a formula is %in% (a %in% b)"],
    ["y ~ a %in b", 7, "unterminated '%' operator: the only one is %in% (a %in% b)"],
    [
      "y ~ I(x > 2)",
      9,
      "unexpected character '>': comparisons and logical operators are not supported in a formula; add the indicator to the data as a column",
    ],
    ["y ~ a\u0007", 6, "unexpected character U+0007"],
    ['y ~ "a"', 5, 'unexpected quote "; write a name with spaces or symbols in backticks, e.g. `my column`'],
    ["y ~ 'a'", 5, "unexpected quote '; write a name with spaces or symbols in backticks, e.g. `my column`"],
    ["y ~ `abc", 5, "unterminated name: the '`' has no closing '`'"],
    ["y ~ ``", 5, "empty name '``': a quoted name needs a character"],
  ])("%j", (text, position, message) => expectError(text, position, message));
});

describe("syntax errors (parser)", () => {
  it.each([
    ["", 1, "empty formula: write it as `response ~ terms`"],
    ["   ", 1, "empty formula: write it as `response ~ terms`"],
    ["~ x", 1, "empty response: put the response variable before '~', e.g. `y ~ x`"],
    ["  ~ x", 3, "empty response: put the response variable before '~', e.g. `y ~ x`"],
    ["y", 2, "missing '~' after the response: write the formula as `response ~ terms`"],
    ["y + x", 6, "missing '~' after the response: write the formula as `response ~ terms`"],
    ["y x", 3, "expected '~' after the response but found 'x'"],
    ["y ~", 4, "expected a term after '~' but the formula ends"],
    ["y ~ a +", 8, "expected a term after '+' but the formula ends"],
    ["y ~ a + ", 9, "expected a term after '+' but the formula ends"],
    ["y ~ a + )", 9, "expected a term after '+' but found ')'"],
    ["y ~ a - * b", 9, "expected a term after '-' but found '*'"],
    ["y ~ a : + b", 9, "expected a term after ':' but found '+'"],
    ["y ~ a * / b", 9, "expected a term after '*' but found '/'"],
    ["y ~ a + , b", 9, "expected a term after '+' but found ','"],
    ["y ~ ()", 6, "expected a term after '(' but found ')'"],
    ["y ~ (a + b", 5, "unbalanced '(' opened"],
    ["y ~ x + (1 | g", 9, "unbalanced '(' opened"],
    ["y ~ ((a)", 5, "unbalanced '(' opened"],
    ["y ~ offset(o", 11, "unbalanced '(' opened"],
    ["y ~ a)", 6, "unexpected ')' with no matching '('"],
    ["y ~ (a))", 8, "unexpected ')' with no matching '('"],
    ["y) ~ a", 2, "unexpected ')' with no matching '('"],
    ["y ~ x | g", 7, "'|' outside parentheses: write a random-effects term as (terms | group)"],
    ["y ~ x + 1 | g", 11, "'|' outside parentheses: write a random-effects term as (terms | group)"],
    ["y ~ x || g", 7, "'||' outside parentheses: write a random-effects term as (terms || group)"],
    ["y ~ | g", 5, "'|' outside parentheses: write a random-effects term as (terms | group)"],
    ["y | g ~ x", 3, "'|' outside parentheses: write a random-effects term as (terms | group)"],
    ["y ~ a ~ b", 7, "unexpected second '~': a formula has one '~'"],
    [
      "y ~ (1 | g | h)",
      12,
      "a second '|' in the parentheses opened at column 5: a random-effects term has one bar",
    ],
    ["y ~ ( | g)", 7, "expected the random-effects terms before '|', e.g. (1 | group)"],
    ["y ~ (|| g)", 6, "expected the random-effects terms before '||', e.g. (1 || group)"],
    ["y ~ (1 |)", 9, "expected a term after '|' but found ')'"],
    ["y ~ (1 || )", 11, "expected a term after '||' but found ')'"],
    ["y ~ a b", 7, "expected an operator (+ - * / :) or the end of the formula but found 'b'"],
    ["y ~ (1 | g) (1 | h)", 13, "expected an operator (+ - * / :) or the end of the formula but found '('"],
    ["y ~ 2x", 6, "expected an operator (+ - * / :) or the end of the formula but found 'x'"],
    ["y ~ (a b)", 8, "expected an operator or ')' but found 'b'"],
    ["y ~ (1 | g h)", 12, "expected ')' but found 'h'"],
    ["y ~ offset(a b)", 14, "expected ',' or ')' but found 'b'"],
    ["y ~ f(a,)", 9, "expected a term after ',' but found ')'"],
    ["y ~ a, b", 6, "expected an operator (+ - * / :) or the end of the formula but found ','"],
  ])("%j", (text, position, message) => expectError(text, position, message));

  it("parseFormula reports syntax errors itself", () => {
    expect(formulaError(() => parseFormula("y ~ (a")).position).toBe(5);
  });

  it("counts columns across line breaks as characters of the text", () => {
    expectError("y ~ x +\n (1 | g", 10, "unbalanced '(' opened");
  });

  it("refuses nesting deeper than MAX_NESTING", () => {
    expectError(
      `y ~ ${"(".repeat(201)}x${")".repeat(201)}`,
      205,
      "nesting deeper than 200 levels of parentheses or signs",
    );
    expectError(`y ~ ${"- ".repeat(201)}x`, 405, "nesting deeper than 200 levels of parentheses or signs");
    expect(formulaSpec(`y ~ ${"(".repeat(200)}x${")".repeat(200)}`).fixed).toEqual([{ variables: ["x"] }]);
  });
});

describe("errors of meaning (expansion)", () => {
  it.each([
    // the response
    ["1 ~ x", 1, "the response must be a variable, not a number"],
    [". ~ x", 1, "the response must be a variable, not '.'"],
    ["(1 | g) ~ x", 1, "a random-effects term cannot be on the response side of '~'"],
    ["y ~ y + x", 5, "the response 'y' also appears on the right-hand side"],
    ["y ~ x:y", 7, "the response 'y' also appears on the right-hand side"],
    ["y ~ (y | g)", 6, "the response 'y' also appears on the right-hand side"],
    ["y ~ offset(y)", 12, "the response 'y' also appears on the right-hand side"],
    ["y ~ (1 | y)", 10, "the response 'y' cannot be a grouping factor"],
    // names, numbers, functions
    [
      "y ~ 2 + x",
      5,
      "unexpected number 2: only 1 (intercept) and 0 or -1 (no intercept) may appear in a formula",
    ],
    [
      "y ~ x - 0.5",
      9,
      "unexpected number 0.5: only 1 (intercept) and 0 or -1 (no intercept) may appear in a formula",
    ],
    ["y ~ a:1", 7, "'1' (the intercept) cannot be part of an interaction; add it with '+'"],
    ["y ~ a*0", 7, "'0' (the intercept) cannot be part of an interaction; add it with '+'"],
    ["y ~ a:(b + 1)", 12, "'1' (the intercept) cannot be part of an interaction; add it with '+'"],
    // offsets
    [
      "y ~ offset(a, b)",
      5,
      "offset() takes exactly one unnamed argument, e.g. offset(exposure) or offset(log(exposure)); found 2",
    ],
    [
      "y ~ offset()",
      5,
      "offset() takes exactly one unnamed argument, e.g. offset(exposure) or offset(log(exposure)); found 0",
    ],
    ["y ~ a:offset(o)", 7, "offset() cannot be part of an interaction; add it with '+'"],
    ["y ~ a - offset(o)", 9, "offset() cannot be removed with '-'"],
    ["y ~ (offset(o) | g)", 6, "offset() is not allowed inside a random-effects term"],
    ["y ~ (x + offset(o) || g)", 10, "offset() is not allowed inside a random-effects term"],
    // bar terms out of place
    ["y ~ (1 | (x | g))", 10, "a random-effects term cannot be nested inside another random-effects term"],
    ["y ~ ((1 | g) | h)", 6, "a random-effects term cannot be nested inside another random-effects term"],
    [
      "y ~ a:(1 | g)",
      7,
      "a random-effects term cannot be part of an interaction (':', '*' or '/'); add it with '+'",
    ],
    [
      "y ~ (1 | g)*a",
      5,
      "a random-effects term cannot be part of an interaction (':', '*' or '/'); add it with '+'",
    ],
    [
      "y ~ a/(1 | g)",
      7,
      "a random-effects term cannot be part of an interaction (':', '*' or '/'); add it with '+'",
    ],
    ["y ~ a - (1 | g)", 9, "a random-effects term cannot be removed with '-'"],
    ["y ~ -(1 | g)", 6, "a random-effects term cannot be removed with '-'"],
    ["y ~ offset((1 | g))", 12, "a random-effects term cannot be an offset"],
    // nothing random
    [
      "y ~ (0 | g)",
      5,
      "the random-effects term has nothing random (no intercept, no variables); write (1 | group) for a random intercept",
    ],
    [
      "y ~ (-1 | g)",
      5,
      "the random-effects term has nothing random (no intercept, no variables); write (1 | group) for a random intercept",
    ],
    [
      "y ~ (x - x - 1 | g)",
      5,
      "the random-effects term has nothing random (no intercept, no variables); write (1 | group) for a random intercept",
    ],
    [
      "y ~ (0 || g)",
      5,
      "the random-effects term has nothing random (no intercept, no variables); write (1 || group) for a random intercept",
    ],
    // grouping factors
    [
      "y ~ (1 | g1 + g2)",
      15,
      "a grouping factor must be a variable, an interaction g1:g2 or a nesting g1/g2; '+' is not allowed (use separate terms: (1 | g1) + (1 | g2))",
    ],
    [
      "y ~ (1 | a*b)",
      12,
      "a grouping factor must be a variable, an interaction g1:g2 or a nesting g1/g2; '*' is not allowed (use separate terms: (1 | g1) + (1 | g2))",
    ],
    ["y ~ (1 | 1)", 10, "a grouping factor must be a variable, not a number"],
    ["y ~ (1 | .)", 10, "a grouping factor must be a variable, not '.'"],
    ["y ~ (1 | offset(g))", 10, "offset() cannot be a grouping factor"],
    ["y ~ (1 | -g)", 10, "a grouping factor must be a variable; '-' is not allowed"],
    [
      "y ~ (1 | a/(b/c))",
      15,
      "nesting '/' inside parentheses or an interaction in a grouping factor is not supported; write g1/g2/g3",
    ],
    [
      "y ~ (1 | a:(b/c))",
      15,
      "nesting '/' inside parentheses or an interaction in a grouping factor is not supported; write g1/g2/g3",
    ],
  ])("%j", (text, position, message) => expectError(text, position, message));
});

describe("bounds that keep expansion small", () => {
  it("an interaction with too many terms", () => {
    const vars = "abcdefghijklmno".split("");
    expectError(
      `y ~ ${vars.join("*")}`,
      33,
      "the '*' here expands to 16383 terms, more than the 10000 allowed",
    );
    expect(formulaSpec(`y ~ ${vars.slice(0, 13).join("*")}`).fixed).toHaveLength(2 ** 13 - 1);
  });

  it("an interaction of too many variables", () => {
    const vars = Array.from({ length: 51 }, (_, i) => `x${i}`);
    const text = `y ~ ${vars.join(":")}`;
    expectError(
      text,
      text.length - 2,
      "the ':' here makes an interaction of 51 variables, more than the 50 allowed",
    );
    expect(formulaSpec(`y ~ ${vars.slice(0, 50).join(":")}`).fixed[0]?.variables).toHaveLength(50);
  });

  it("a nesting of too many grouping variables", () => {
    const groups = Array.from({ length: 51 }, (_, i) => `g${i}`);
    expectError(
      `y ~ (1 | ${groups.join("/")})`,
      10,
      "the grouping factor nests more than 50 variables; that many levels of nesting are not supported",
    );
  });
});
