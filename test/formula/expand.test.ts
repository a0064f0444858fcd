/**
 * Expansion: the fixed side as R's terms.formula builds it (labels, order, intercept), the random side as
 * lme4's findbars / expandDoubleVerts / expandSlash build it, offsets and the variable list.
 */
import { describe, expect, it } from "vitest";
import { expandFormula, formulaSpec, parseFormula } from "../../src/formula";
import type { RandomTermSpec } from "../../src/formula/types";

/** The fixed side as R prints it: `attr(terms(f), "term.labels")`, with `(Intercept)` first if present. */
function fixed(text: string): string[] {
  const spec = formulaSpec(text);
  return [...(spec.intercept ? ["(Intercept)"] : []), ...spec.fixed.map((t) => t.variables.join(":"))];
}

/** A random term as `lhs | group`, lhs as lme4's column names: `(Intercept),x | g`. */
function show(term: RandomTermSpec): string {
  const columns = [
    ...(term.intercept ? ["(Intercept)"] : []),
    ...term.terms.map((t) => t.variables.join(":")),
  ];
  return `${columns.join(",")} | ${term.group.join(":")}`;
}
const random = (text: string): string[] => formulaSpec(text).random.map(show);

describe("fixed terms (R's terms.formula)", () => {
  it.each([
    // operators
    ["y ~ a", ["(Intercept)", "a"]],
    ["y ~ a + b", ["(Intercept)", "a", "b"]],
    ["y ~ a:b", ["(Intercept)", "a:b"]],
    ["y ~ a*b", ["(Intercept)", "a", "b", "a:b"]],
    ["y ~ a*b*c", ["(Intercept)", "a", "b", "c", "a:b", "a:c", "b:c", "a:b:c"]],
    ["y ~ (a + b)*(c + d)", ["(Intercept)", "a", "b", "c", "d", "a:c", "a:d", "b:c", "b:d"]],
    ["y ~ (a + b):c", ["(Intercept)", "a:c", "b:c"]],
    ["y ~ a/b", ["(Intercept)", "a", "a:b"]],
    ["y ~ a/(b + c)", ["(Intercept)", "a", "a:b", "a:c"]],
    ["y ~ (a + b)/c", ["(Intercept)", "a", "b", "a:b:c"]],
    ["y ~ a/b/c", ["(Intercept)", "a", "a:b", "a:b:c"]],
    ["y ~ a*b - a", ["(Intercept)", "b", "a:b"]],
    ["y ~ a*b - a:b", ["(Intercept)", "a", "b"]],
    ["y ~ a*b - b:a", ["(Intercept)", "a", "b"]],
    ["y ~ a + b - a + a", ["(Intercept)", "b", "a"]],
    ["y ~ -a + a", ["(Intercept)", "a"]],
    ["y ~ a - (a + b)", ["(Intercept)"]],
    ["y ~ -a:b + a", ["(Intercept)", "a"]],
    // duplicates count once, at their first place
    ["y ~ a + b + a", ["(Intercept)", "a", "b"]],
    ["y ~ a:b + b:a", ["(Intercept)", "a:b"]],
    ["y ~ a:a", ["(Intercept)", "a"]],
    ["y ~ a*a", ["(Intercept)", "a"]],
    // order: by degree, then as written
    ["y ~ a:b + c", ["(Intercept)", "c", "a:b"]],
    ["y ~ c:d:e + a:b + f", ["(Intercept)", "f", "a:b", "c:d:e"]],
    ["y ~ b + a", ["(Intercept)", "b", "a"]],
    // variable order inside a term: the order of first appearance (how R labels terms)
    ["y ~ b:a", ["(Intercept)", "b:a"]],
    ["y ~ b:a + a:b", ["(Intercept)", "b:a"]],
    ["y ~ a + b:a", ["(Intercept)", "a", "a:b"]],
    ["y ~ b:a + a", ["(Intercept)", "a", "b:a"]],
    ["y ~ b - b + a:b", ["(Intercept)", "b:a"]],
    ["y ~ c*(b + a)", ["(Intercept)", "c", "b", "a", "c:b", "c:a"]],
    // parentheses
    ["y ~ (a)", ["(Intercept)", "a"]],
    ["y ~ ((a + b))", ["(Intercept)", "a", "b"]],
    ["(y) ~ a", ["(Intercept)", "a"]],
  ])("%s", (text, expected) => {
    expect(fixed(text)).toEqual(expected);
  });

  it("keeps names as written, quoted or not", () => {
    expect(fixed("y ~ `my col` + `a:b`")).toEqual(["(Intercept)", "my col", "a:b"]);
    expect(formulaSpec("y ~ `a:b`").fixed).toEqual([{ variables: ["a:b"] }]);
    expect(formulaSpec("y ~ a:b").fixed).toEqual([{ variables: ["a", "b"] }]);
  });
});

describe("the intercept", () => {
  it.each([
    ["y ~ x", true],
    ["y ~ 1 + x", true],
    ["y ~ x + 1", true],
    ["y ~ 0 + x", false],
    ["y ~ x + 0", false],
    ["y ~ -1 + x", false],
    ["y ~ x - 1", false],
    ["y ~ 1", true],
    ["y ~ 0", false],
    ["y ~ -1", false],
    ["y ~ 0 + x + 1", true], // the last one written wins
    ["y ~ 1 + x - 1", false],
    ["y ~ x - 0", true], // R: '-0' flips to 'keep the intercept'
    ["y ~ x - (x - 1)", true], // two flips: '1' in '-(... - 1)' keeps it
    ["y ~ x + (0 + z)", false], // parentheses do not scope it (R)
    ["y ~ 1.0 + x", true],
    ["y ~ 0L + x", false],
    ["y ~ 0 + (1 | g)", false],
    ["y ~ (1 | g)", true],
    ["y ~ (1 | g) - 1", false],
  ])("%s → %s", (text, intercept) => {
    expect(formulaSpec(text).intercept).toBe(intercept);
  });

  it("a model may have no fixed effects at all", () => {
    expect(formulaSpec("y ~ 0 + (1 | g)")).toMatchObject({ intercept: false, fixed: [] });
  });
});

describe("random terms (lme4's findbars)", () => {
  it.each([
    ["y ~ (1 | g)", ["(Intercept) | g"]],
    ["y ~ (x | g)", ["(Intercept),x | g"]],
    ["y ~ (1 + x | g)", ["(Intercept),x | g"]],
    ["y ~ (0 + x | g)", ["x | g"]],
    ["y ~ (-1 + x | g)", ["x | g"]],
    ["y ~ (x - 1 | g)", ["x | g"]],
    ["y ~ (x + z | g)", ["(Intercept),x,z | g"]],
    ["y ~ (x*z | g)", ["(Intercept),x,z,x:z | g"]],
    ["y ~ (x:z + x | g)", ["(Intercept),x,x:z | g"]],
    ["y ~ (z:x + x | g)", ["(Intercept),x,z:x | g"]],
    // grouping factors
    ["y ~ (1 | g1:g2)", ["(Intercept) | g1:g2"]],
    ["y ~ (1 | g1/g2)", ["(Intercept) | g2:g1", "(Intercept) | g1"]],
    ["y ~ (1 | a/b/c)", ["(Intercept) | c:b:a", "(Intercept) | b:a", "(Intercept) | a"]],
    ["y ~ (1 | a:b/c)", ["(Intercept) | c:a:b", "(Intercept) | a:b"]],
    ["y ~ (1 | a/b:c)", ["(Intercept) | b:c:a", "(Intercept) | a"]],
    ["y ~ (1 | (g))", ["(Intercept) | g"]],
    ["y ~ (x | g1/g2)", ["(Intercept),x | g2:g1", "(Intercept),x | g1"]],
    // uncorrelated terms (expandDoubleVerts)
    ["y ~ (x || g)", ["(Intercept) | g", "x | g"]],
    ["y ~ (1 + x + z || g)", ["(Intercept) | g", "x | g", "z | g"]],
    ["y ~ (0 + x + z || g)", ["x | g", "z | g"]],
    ["y ~ (x*z || g)", ["(Intercept) | g", "x | g", "z | g", "x:z | g"]],
    ["y ~ (1 || g)", ["(Intercept) | g"]],
    ["y ~ (x || g1/g2)", ["(Intercept) | g2:g1", "(Intercept) | g1", "x | g2:g1", "x | g1"]],
    // several terms, crossed and nested, in formula order; duplicates are kept (lme4 keeps them)
    ["y ~ (1 | g) + (1 | h)", ["(Intercept) | g", "(Intercept) | h"]],
    ["y ~ (1 | g) + (0 + x | g)", ["(Intercept) | g", "x | g"]],
    ["y ~ ((1 | g) + (0 + x | g))", ["(Intercept) | g", "x | g"]],
    ["y ~ x + ((1 | g) + z)", ["(Intercept) | g"]],
    [
      "y ~ (1 | s) + (1 | d) + (1 | dept:service)",
      ["(Intercept) | s", "(Intercept) | d", "(Intercept) | dept:service"],
    ],
  ])("%s", (text, expected) => {
    expect(random(text)).toEqual(expected);
  });

  it("bar terms do not enter the fixed part, nor its variable order", () => {
    expect(fixed("y ~ x + ((1 | g) + z)")).toEqual(["(Intercept)", "x", "z"]);
    expect(fixed("y ~ (a | g) + b:a")).toEqual(["(Intercept)", "b:a"]);
  });

  it("every expanded term keeps the position of its bar term", () => {
    const spec = formulaSpec("y ~ x + (x || g1/g2) + (1 | h)");
    expect(spec.random.map((r) => r.pos)).toEqual([9, 9, 9, 9, 24]);
  });

  it("spells out a full random term", () => {
    expect(formulaSpec("y ~ (1 + x | g)").random).toEqual([
      { intercept: true, terms: [{ variables: ["x"] }], group: ["g"], pos: 5 },
    ]);
  });
});

describe("offsets", () => {
  it("are collected in order, once each, and are not fixed terms", () => {
    const spec = formulaSpec("y ~ x + offset(o1) + offset(`o 2`) + offset(o1)");
    expect(spec.offsets).toEqual(["o1", "o 2"]);
    expect(spec.fixed).toEqual([{ variables: ["x"] }]);
    expect(spec.intercept).toBe(true);
  });

  it("may stand inside parentheses in the sum", () => {
    expect(formulaSpec("y ~ (x + offset((o)))").offsets).toEqual(["o"]);
  });

  it("do not change the fixed variable order", () => {
    expect(fixed("y ~ offset(a) + b:a")).toEqual(["(Intercept)", "b:a"]);
  });
});

describe("the whole spec", () => {
  it("lists every variable once: response, fixed, offsets, random terms and groups", () => {
    const spec = formulaSpec("y ~ b:a + offset(o) + (x + a | g1/g2) + (1 | h)");
    expect(spec.variables).toEqual(["y", "b", "a", "o", "x", "g2", "g1", "h"]);
  });

  it("a removed variable is not used", () => {
    expect(formulaSpec("y ~ a + z - z").variables).toEqual(["y", "a"]);
  });

  it("expandFormula works on any parsed tree and keeps its text", () => {
    const text = "Reaction ~ Days + (Days | Subject)";
    expect(expandFormula(parseFormula(text))).toEqual(formulaSpec(text));
    expect(formulaSpec(text).text).toBe(text);
  });

  it("is the same for the same formula written differently", () => {
    const strip = (t: string) => {
      const { text: _text, random, ...rest } = formulaSpec(t);
      return { ...rest, random: random.map(({ pos: _pos, ...r }) => r) };
    };
    expect(strip("y~a*b+(x||g)")).toEqual(strip("y ~ a + b + a:b + (1 | g) + (0 + x | g)"));
    expect(strip("y ~ a/b")).toEqual(strip("y ~ a + a:b"));
    expect(strip("y ~ 1 + x")).toEqual(strip("y ~ x"));
    expect(strip("y ~ -1 + x")).toEqual(strip("y ~ 0 + x"));
    expect(strip("y ~ (1 | g1/g2)")).toEqual(strip("y ~ (1 | g2:g1) + (1 | g1)"));
  });
});
