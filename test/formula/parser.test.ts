/**
 * The parser: tree shapes (R's precedence and associativity), the tokens it accepts, and 1-based columns.
 */
import { describe, expect, it } from "vitest";
import { parseFormula } from "../../src/formula";
import { sexpr } from "./helpers";

const rhs = (text: string): string => sexpr(parseFormula(text).rhs);

describe("precedence and associativity (R's)", () => {
  it.each([
    ["y ~ a + b", "(+ a b)"],
    ["y ~ a + b + c", "(+ (+ a b) c)"],
    ["y ~ a - b + c", "(+ (- a b) c)"],
    ["y ~ a + b:c", "(+ a (: b c))"],
    ["y ~ a:b + c", "(+ (: a b) c)"],
    ["y ~ a*b:c", "(* a (: b c))"],
    ["y ~ a:b*c", "(* (: a b) c)"],
    ["y ~ a/b:c", "(/ a (: b c))"],
    ["y ~ a*b/c", "(/ (* a b) c)"],
    ["y ~ a/b/c", "(/ (/ a b) c)"],
    ["y ~ a:b:c", "(: (: a b) c)"],
    ["y ~ a*b + c*d", "(+ (* a b) (* c d))"],
    ["y ~ (a + b):c", "(: (paren (+ a b)) c)"],
    ["y ~ (a + b)*(c + d)", "(* (paren (+ a b)) (paren (+ c d)))"],
    ["y ~ -1 + x", "(+ (- 1) x)"],
    ["y ~ x - 1", "(- x 1)"],
    ["y ~ -a:b", "(- (: a b))"],
    ["y ~ +x", "x"],
    ["y ~ a + -b", "(+ a (- b))"],
    ["y ~ - - x", "(- (- x))"],
    ["y ~ 0 + x", "(+ 0 x)"],
    ["y ~ offset(o) + x", "(+ (offset o) x)"],
    ["y ~ offset (o)", "(offset o)"],
    ["y ~ f(a, b + c)", "(f a (+ b c))"],
    ["y ~ f()", "(f)"],
  ])("%s", (text, tree) => {
    expect(rhs(text)).toBe(tree);
  });
});

describe("bar terms", () => {
  it.each([
    ["y ~ (1 | g)", "(| 1 g)"],
    ["y ~ (x || g)", "(|| x g)"],
    ["y ~ (1 + x | g)", "(| (+ 1 x) g)"],
    ["y ~ (0 + x | g)", "(| (+ 0 x) g)"],
    ["y ~ (x - 1 | g)", "(| (- x 1) g)"],
    ["y ~ (1 | g1/g2)", "(| 1 (/ g1 g2))"],
    ["y ~ (1 | g1:g2)", "(| 1 (: g1 g2))"],
    ["y ~ (1 | a:b/c)", "(| 1 (/ (: a b) c))"],
    ["y ~ x + (1 | g) + (x | h)", "(+ (+ x (| 1 g)) (| x h))"],
    ["y ~ ((1 | g) + (0 + x | g))", "(paren (+ (| 1 g) (| (+ 0 x) g)))"],
    ["y ~ ((1 | g))", "(paren (| 1 g))"],
    ["y ~ (1|g)", "(| 1 g)"],
    ["y ~ (a||g)", "(|| a g)"],
  ])("%s", (text, tree) => {
    expect(rhs(text)).toBe(tree);
  });

  it("a bar term's position is its opening parenthesis", () => {
    const tree = parseFormula("y ~ x + (1 | g)");
    expect(tree.rhs).toMatchObject({ kind: "binary", right: { kind: "bar", pos: 9 } });
  });
});

describe("names and numbers", () => {
  it.each([
    ["y ~ log.dose", "log.dose"],
    ["y ~ a_b", "a_b"],
    ["y ~ x1", "x1"],
    ["y ~ .x", ".x"],
    ["y ~ _x", "_x"],
    ["y ~ `my col`", "`my col`"],
    ["y ~ `a:b`", "`a:b`"],
    ["y ~ `1x`", "1x"],
    ["y ~ `with \\` backtick`", "`with ` backtick`"],
    ["y ~ Größe", "Größe"],
    ["y ~ 1", "1"],
    ["y ~ 1.0", "1"],
    ["y ~ 0L", "0"],
    ["y ~ .5", "0.5"],
    ["y ~ 1e0", "1"],
  ])("%s", (text, tree) => {
    expect(rhs(text)).toBe(tree);
  });

  it("a backtick-quoted name is a name, not a number", () => {
    expect(parseFormula("y ~ `1`").rhs).toEqual({ kind: "name", name: "1", pos: 5 });
  });

  it("backslash escapes inside backticks", () => {
    expect(parseFormula("y ~ `a\\\\b`").rhs).toEqual({ kind: "name", name: "a\\b", pos: 5 });
  });
});

describe("whitespace and positions", () => {
  it("tabs and newlines separate tokens", () => {
    expect(rhs("y ~\n\ta\t+\nb")).toBe("(+ a b)");
  });

  it("nodes carry the 1-based column of their first character", () => {
    const tree = parseFormula("y ~ a + b:c - offset(o)");
    expect(tree.response).toEqual({ kind: "name", name: "y", pos: 1 });
    expect(tree.rhs).toEqual({
      kind: "binary",
      op: "-",
      pos: 5,
      left: {
        kind: "binary",
        op: "+",
        pos: 5,
        left: { kind: "name", name: "a", pos: 5 },
        right: {
          kind: "binary",
          op: ":",
          pos: 9,
          left: { kind: "name", name: "b", pos: 9 },
          right: { kind: "name", name: "c", pos: 11 },
        },
      },
      right: {
        kind: "call",
        fn: "offset",
        pos: 15,
        args: [{ name: null, value: { kind: "name", name: "o", pos: 22 }, pos: 22 }],
      },
    });
  });

  it("keeps the text as given", () => {
    expect(parseFormula("  y~x ").text).toBe("  y~x ");
  });

  it("the response side is a tree too", () => {
    expect(sexpr(parseFormula("(y) ~ x").response)).toBe("(paren y)");
    expect(sexpr(parseFormula("a + b ~ x").response)).toBe("(+ a b)");
  });
});
