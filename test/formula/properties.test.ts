/**
 * Property tests (fast-check).
 *
 * 1. Generated valid formulas: a random formula is built as a small syntax object, printed with R's
 *    precedence (parentheses only where needed) and random spacing, and its expected FormulaSpec is
 *    computed from the object by an independent oracle — a direct recursive transcription of R's term
 *    algebra (`+` union, `-` difference, `:` pairwise unions, `*`, `/`), R's labelling by first appearance,
 *    lme4's expandDoubleVerts and expandSlash (its recursive makeInteraction). formulaSpec must agree.
 * 2. Round trip: printing a spec and parsing the text gives the same spec; printing is idempotent.
 * 3. Arbitrary input (any string, token soup, mutated valid formulas, long inputs): the result is a spec
 *    or a FormulaError with a column inside the text — never another exception, never a hang.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { FormulaError } from "../../src/errors";
import { formatFormula, formulaSpec, parseFormula } from "../../src/formula";
import type { FormulaSpec, RandomTermSpec, TermSpec } from "../../src/formula/types";
import { meaning } from "./helpers";

// ---------------------------------------------------------------------------------------------------
// Generated formulas and their oracle

type Op = "+" | "-" | ":" | "*" | "/";
type Expr =
  | { readonly kind: "var"; readonly name: string }
  | { readonly kind: "op"; readonly op: Op; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "paren"; readonly expr: Expr };

/** Variable names, some of which need backticks. */
const FIXED_NAMES = ["a", "b", "c", "x.1", "_d", "my col", "Größe"];
const LHS_NAMES = ["a", "x", "z", "t w"];
const GROUP_NAMES = ["g", "h", "k", "g 2"];
const OFFSET_NAMES = ["o", "log.n"];

const quote = (name: string): string => (/^[\p{L}_.][\p{L}\p{N}._]*$/u.test(name) ? name : `\`${name}\``);

function exprArbitrary(names: readonly string[], ops: readonly Op[]): fc.Arbitrary<Expr> {
  const leaf: fc.Arbitrary<Expr> = fc.constantFrom(...names).map((name) => ({ kind: "var", name }));
  return fc.letrec<{ expr: Expr }>((tie) => ({
    expr: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      fc.record({
        kind: fc.constant("op" as const),
        op: fc.constantFrom(...ops),
        left: tie("expr"),
        right: tie("expr"),
      }),
      fc.record({ kind: fc.constant("paren" as const), expr: tie("expr") }),
    ),
  })).expr;
}

const PRECEDENCE: Record<Op, number> = { "+": 1, "-": 1, "*": 2, "/": 2, ":": 3 };
const precedence = (e: Expr): number => (e.kind === "op" ? PRECEDENCE[e.op] : 4);

/** Prints an expression with parentheses only where R's precedence and left-associativity need them. */
function render(e: Expr, ws: string): string {
  switch (e.kind) {
    case "var":
      return quote(e.name);
    case "paren":
      return `(${ws}${render(e.expr, ws)}${ws})`;
    case "op": {
      const p = PRECEDENCE[e.op];
      const left = precedence(e.left) < p ? `(${render(e.left, ws)})` : render(e.left, ws);
      const right = precedence(e.right) <= p ? `(${render(e.right, ws)})` : render(e.right, ws);
      return `${left}${ws}${e.op}${ws}${right}`;
    }
  }
}

/** Variables in order of first appearance in the text. */
function leaves(e: Expr, out: string[] = []): string[] {
  if (e.kind === "var") out.push(e.name);
  else if (e.kind === "paren") leaves(e.expr, out);
  else {
    leaves(e.left, out);
    leaves(e.right, out);
  }
  return out;
}

/** Oracle: R's term algebra on sets of variable names (each term a sorted array, deduplicated). */
function terms(e: Expr): string[][] {
  const key = (t: readonly string[]) => JSON.stringify(t);
  const dedupe = (list: string[][]): string[][] => {
    const seen = new Set<string>();
    const out: string[][] = [];
    for (const t of list)
      if (!seen.has(key(t))) {
        seen.add(key(t));
        out.push(t);
      }
    return out;
  };
  const or = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])].sort();
  switch (e.kind) {
    case "var":
      return [[e.name]];
    case "paren":
      return terms(e.expr);
    case "op": {
      const l = terms(e.left);
      const r = terms(e.right);
      const pairs = l.flatMap((a) => r.map((b) => or(a, b)));
      switch (e.op) {
        case "+":
          return dedupe([...l, ...r]);
        case "-": {
          const removed = new Set(r.map(key));
          return l.filter((t) => !removed.has(key(t)));
        }
        case ":":
          return dedupe(pairs);
        case "*":
          return dedupe([...l, ...r, ...pairs]);
        case "/": {
          const all = l.reduce<string[]>((acc, t) => or(acc, t), []);
          return dedupe([...l, ...r.map((t) => or(all, t))]);
        }
      }
    }
  }
}

/** Oracle: terms ordered by degree (stable), each labelled in the given variable order. */
function termSpecs(list: string[][], order: readonly string[]): TermSpec[] {
  return list
    .map((t, i) => ({ t, i }))
    .sort((a, b) => a.t.length - b.t.length || a.i - b.i)
    .map(({ t }) => ({ variables: [...t].sort((u, v) => order.indexOf(u) - order.indexOf(v)) }));
}

/** Oracle: lme4's expandSlash, transcribed: makeInteraction on the nested list of '/'-components. */
function slashGroups(components: readonly (readonly string[])[]): string[][] {
  // slashTerms(a/b/c) = list(list(a, b), c); makeInteraction(x) = list(x[[2]]:first(trm1), trm1)
  type Nested = readonly string[] | readonly [Nested, readonly string[]];
  let nested: Nested = components[0] as readonly string[];
  for (const c of components.slice(1)) nested = [nested, c] as const;
  const isPair = (x: Nested): x is readonly [Nested, readonly string[]] => Array.isArray(x[0]);
  const make = (x: Nested): string[][] => {
    if (!isPair(x)) return [[...x]];
    const trm1 = make(x[0]);
    return [[...x[1], ...(trm1[0] as string[])], ...trm1];
  };
  return make(nested);
}

interface BarTerm {
  readonly marker: "" | "1" | "0" | "-1";
  readonly body: Expr | undefined;
  readonly double: boolean;
  readonly groups: readonly (readonly string[])[];
}

const barArbitrary: fc.Arbitrary<BarTerm> = fc
  .record({
    marker: fc.constantFrom("" as const, "1" as const, "0" as const, "-1" as const),
    body: fc.option(exprArbitrary(LHS_NAMES, ["+", ":", "*", "/"]), { nil: undefined }),
    double: fc.boolean(),
    groups: fc.array(fc.uniqueArray(fc.constantFrom(...GROUP_NAMES), { minLength: 1, maxLength: 2 }), {
      minLength: 1,
      maxLength: 3,
    }),
  })
  .map((bar) => (bar.body === undefined ? { ...bar, marker: "1" as const } : bar));

function renderBar(bar: BarTerm, ws: string): string {
  const body = bar.body === undefined ? "" : render(bar.body, ws);
  const lhs = bar.marker === "" ? body : body === "" ? bar.marker : `${bar.marker}${ws}+${ws}${body}`;
  const group = bar.groups.map((c) => c.map(quote).join(`${ws}:${ws}`)).join(`${ws}/${ws}`);
  return `(${ws}${lhs}${ws}${bar.double ? "||" : "|"}${ws}${group}${ws})`;
}

function barSpecs(bar: BarTerm): Omit<RandomTermSpec, "pos">[] {
  const intercept = bar.marker !== "0" && bar.marker !== "-1";
  const list = bar.body === undefined ? [] : termSpecs(terms(bar.body), leaves(bar.body));
  const parts = bar.double
    ? [
        ...(intercept ? [{ intercept: true, terms: [] }] : []),
        ...list.map((t) => ({ intercept: false, terms: [t] })),
      ]
    : [{ intercept, terms: list }];
  const groups = slashGroups(bar.groups);
  return parts.flatMap((part) => groups.map((group) => ({ ...part, group })));
}

type Summand =
  | { readonly kind: "fixed"; readonly expr: Expr }
  | { readonly kind: "removed"; readonly expr: Expr }
  | { readonly kind: "offset"; readonly name: string }
  | { readonly kind: "bar"; readonly bar: BarTerm };

interface Generated {
  readonly text: string;
  readonly expected: Omit<FormulaSpec, "text" | "random"> & {
    readonly random: Omit<RandomTermSpec, "pos">[];
  };
}

const summandArbitrary: fc.Arbitrary<Summand> = fc.oneof(
  {
    arbitrary: exprArbitrary(FIXED_NAMES, ["+", "-", ":", "*", "/"]).map(
      (expr) => ({ kind: "fixed", expr }) as const,
    ),
    weight: 3,
  },
  {
    arbitrary: exprArbitrary(FIXED_NAMES, [":"]).map((expr) => ({ kind: "removed", expr }) as const),
    weight: 1,
  },
  {
    arbitrary: fc.constantFrom(...OFFSET_NAMES).map((name) => ({ kind: "offset", name }) as const),
    weight: 1,
  },
  { arbitrary: barArbitrary.map((bar) => ({ kind: "bar", bar }) as const), weight: 3 },
);

function renderSummand(s: Summand, i: number, ws: string): string {
  switch (s.kind) {
    case "fixed":
      // A sum after other parts is parenthesized, so that its '-' removes only its own terms.
      return i > 0 && precedence(s.expr) <= 1 ? `(${render(s.expr, ws)})` : render(s.expr, ws);
    case "removed":
      return `-${ws}${precedence(s.expr) <= 1 ? `(${render(s.expr, ws)})` : render(s.expr, ws)}`;
    case "offset":
      return `offset(${ws}${quote(s.name)}${ws})`;
    case "bar":
      return renderBar(s.bar, ws);
  }
}

/** A valid formula and the spec the oracle expects for it. */
const generatedFormula: fc.Arbitrary<Generated> = fc
  .record({
    prefix: fc.constantFrom("", "1", "0", "-1"),
    summands: fc.array(summandArbitrary, { maxLength: 5 }),
    suffix: fc.constantFrom("", "+ 1", "- 1", "+ 0", "- 0"),
    wrapPairAt: fc.option(fc.nat(4), { nil: undefined }),
    ws: fc.constantFrom(" ", "", "  ", "\n", "\t "),
  })
  .map(({ prefix, summands, suffix, wrapPairAt, ws }): Generated => {
    const rendered = summands.map((s, i) => renderSummand(s, i, ws));
    if (wrapPairAt !== undefined && wrapPairAt + 1 < rendered.length) {
      const pair = `(${rendered[wrapPairAt]}${ws}+${ws}${rendered[wrapPairAt + 1]})`;
      rendered.splice(wrapPairAt, 2, pair);
    }
    const parts = [...(prefix === "" ? [] : [prefix]), ...rendered];
    let rhs = parts.join(`${ws}+${ws}`);
    if (suffix !== "") rhs = rhs === "" ? suffix.replace(/^\+ /, "") : `${rhs}${ws}${suffix}`;
    if (rhs === "") rhs = "1";
    const text = `y${ws}~${ws}${rhs}`;

    // The oracle. Fixed side: each summand's terms added (or, for `-x`, none), in text order.
    let list: string[][] = [];
    const order: string[] = [];
    const offsets: string[] = [];
    const random: Omit<RandomTermSpec, "pos">[] = [];
    for (const s of summands) {
      if (s.kind === "fixed" || s.kind === "removed") {
        for (const v of leaves(s.expr)) if (!order.includes(v)) order.push(v);
        if (s.kind === "fixed") {
          const seen = new Set(list.map((t) => JSON.stringify(t)));
          list = [...list, ...terms(s.expr).filter((t) => !seen.has(JSON.stringify(t)))];
        }
      } else if (s.kind === "offset") {
        if (!offsets.includes(s.name)) offsets.push(s.name);
      } else random.push(...barSpecs(s.bar));
    }
    let intercept = prefix !== "0" && prefix !== "-1";
    if (suffix === "+ 1" || suffix === "- 0") intercept = true;
    if (suffix === "- 1" || suffix === "+ 0") intercept = false;
    const fixed = termSpecs(list, order);
    const variables = [
      ...new Set([
        "y",
        ...fixed.flatMap((t) => t.variables),
        ...offsets,
        ...random.flatMap((r) => [...r.terms.flatMap((t) => t.variables), ...r.group]),
      ]),
    ];
    return {
      text,
      expected: { response: "y", intercept, fixed, offsets, random, expressions: {}, variables },
    };
  })
  // A repeated random term is an error (tested in language.test.ts), not a spec.
  .filter(({ expected }) => {
    const keys = expected.random.map((r) =>
      JSON.stringify([
        r.intercept,
        r.terms.map((t) => [...t.variables].sort().join(":")).sort(),
        [...r.group].sort(),
      ]),
    );
    return new Set(keys).size === keys.length;
  });

describe("generated formulas", () => {
  test.prop([generatedFormula], { numRuns: 500 })("expand to the oracle's spec", ({ text, expected }) => {
    const spec = formulaSpec(text);
    expect(spec.text).toBe(text);
    expect(meaning(spec)).toEqual(
      meaning({ text, ...expected, random: expected.random.map((r) => ({ ...r, pos: 0 })) }),
    );
  });

  test.prop([generatedFormula], { numRuns: 500 })("print and parse back to the same spec", ({ text }) => {
    const spec = formulaSpec(text);
    const printed = formatFormula(spec);
    const again = formulaSpec(printed);
    expect(meaning(again)).toEqual(meaning(spec));
    expect(formatFormula(again)).toBe(printed);
  });

  test.prop([generatedFormula], { numRuns: 300 })("satisfy the spec's invariants", ({ text }) => {
    const spec = formulaSpec(text);
    const degrees = spec.fixed.map((t) => t.variables.length);
    expect(degrees).toEqual([...degrees].sort((a, b) => a - b));
    const sets = spec.fixed.map((t) => JSON.stringify([...t.variables].sort()));
    expect(new Set(sets).size).toBe(sets.length);
    expect(new Set(spec.variables).size).toBe(spec.variables.length);
    for (const t of spec.fixed) expect(new Set(t.variables).size).toBe(t.variables.length);
    for (const r of spec.random) {
      expect(r.group.length).toBeGreaterThan(0);
      expect(r.intercept || r.terms.length > 0).toBe(true);
      expect(text.slice(r.pos - 1, r.pos)).toBe("(");
    }
    // Parsing the same text twice gives the same tree and spec (no hidden state).
    expect(parseFormula(text)).toEqual(parseFormula(text));
    expect(formulaSpec(text)).toEqual(spec);
  });
});

// ---------------------------------------------------------------------------------------------------
// Arbitrary input

/** Parses and expands; any exception other than a FormulaError with a column inside the text fails. */
function parsesOrFormulaError(text: string): FormulaSpec | FormulaError {
  try {
    return formulaSpec(text);
  } catch (error) {
    if (!(error instanceof FormulaError)) throw error;
    expect(error.code).toBe("FORMULA_SYNTAX");
    expect(error.position).toBeGreaterThanOrEqual(1);
    expect(error.position).toBeLessThanOrEqual(text.length + 1);
    expect(error.message).toMatch(/^invalid formula\. .+ at column \d+\.$/s);
    return error;
  }
}

const TOKENS = [
  "y",
  "~",
  "x",
  "g",
  "a",
  "b",
  "1",
  "0",
  "2",
  "+",
  "-",
  "*",
  "/",
  ":",
  "(",
  ")",
  "|",
  "||",
  ",",
  " ",
  "offset",
  "offset(",
  "`",
  "`q r`",
  ".",
  "^",
  "%",
  "\n",
  "log(",
  "%in%",
  "=",
  "poly(",
  "I(",
  "raw = TRUE",
  "_",
  "é",
  "\\",
];
const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((t) => t.join(""));

describe("arbitrary input gives a spec or a FormulaError", () => {
  test.prop([fc.string({ unit: "binary", maxLength: 200 })], { numRuns: 1000 })("any string", (text) => {
    parsesOrFormulaError(text);
  });

  test.prop([tokenSoup], { numRuns: 3000 })("token soup", (text) => {
    parsesOrFormulaError(text);
  });

  test.prop([fc.string({ maxLength: 40 }), tokenSoup], { numRuns: 500 })(
    "after a response and '~'",
    (a, b) => {
      parsesOrFormulaError(`y ~ ${a}${b}`);
    },
  );

  test.prop([generatedFormula, fc.nat(), fc.constantFrom(...TOKENS, ""), fc.nat(3)], { numRuns: 1000 })(
    "a valid formula with one token inserted, replaced or a character deleted",
    ({ text }, at, token, deleted) => {
      const i = at % (text.length + 1);
      parsesOrFormulaError(text.slice(0, i) + token + text.slice(i + deleted));
    },
  );

  test.prop([fc.array(fc.constantFrom(...TOKENS), { minLength: 2000, maxLength: 5000 })], { numRuns: 30 })(
    "long token soup finishes quickly",
    (tokens) => {
      const start = performance.now();
      parsesOrFormulaError(tokens.join(""));
      expect(performance.now() - start).toBeLessThan(2000);
    },
  );
});

describe("long and deep inputs finish quickly with a spec or a FormulaError", () => {
  const n = 50_000;
  const cases: [string, string][] = [
    ["a long sum of distinct variables", `y ~ ${Array.from({ length: n }, (_, i) => `x${i}`).join(" + ")}`],
    [
      "a long sum, then all removed",
      `y ~ ${Array.from({ length: n }, (_, i) => `x${i}`).join(" + ")} - (${Array.from({ length: n }, (_, i) => `x${i}`).join(" + ")})`,
    ],
    ["a long chain of the same interaction", `y ~ ${Array(n).fill("a").join(":")}`],
    [
      "a long chain of distinct interactions",
      `y ~ ${Array.from({ length: n }, (_, i) => `x${i}`).join(":")}`,
    ],
    ["a long chain of distinct nestings", `y ~ ${Array.from({ length: n }, (_, i) => `x${i}`).join("/")}`],
    ["a long chain of crossings of one variable", `y ~ ${Array(n).fill("a").join("*")}`],
    [
      "many random terms",
      `y ~ ${Array(n / 10)
        .fill("(1 | g)")
        .join(" + ")}`,
    ],
    ["a long grouping interaction", `y ~ (1 | ${Array.from({ length: n }, (_, i) => `g${i}`).join(":")})`],
    ["a long nesting", `y ~ (1 | ${Array.from({ length: n }, (_, i) => `g${i}`).join("/")})`],
    [
      "many uncorrelated terms",
      `y ~ (${Array.from({ length: n / 10 }, (_, i) => `x${i}`).join(" + ")} || g)`,
    ],
    ["deep parentheses", `y ~ ${"(".repeat(n)}x${")".repeat(n)}`],
    ["unclosed parentheses", `y ~ ${"(".repeat(n)}`],
    ["many signs", `y ~ ${"-".repeat(n)}x`],
    ["many closing parentheses", `y ~ x${")".repeat(n)}`],
    ["a long name", `y ~ ${"x".repeat(1_000_000)}`],
    ["a long unterminated quoted name", `y ~ \`${"x".repeat(1_000_000)}`],
    ["a long run of spaces", `y ~ ${" ".repeat(1_000_000)}`],
  ];
  for (const [what, text] of cases)
    test(what, () => {
      const start = performance.now();
      parsesOrFormulaError(text);
      // Linear time: each takes well under a second alone (a quadratic parse of 10^6 characters takes
      // minutes); 10 s leaves room for a machine shared with other jobs (3.0 s seen there).
      expect(performance.now() - start).toBeLessThan(10_000);
    });
});
