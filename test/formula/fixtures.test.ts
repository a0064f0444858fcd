/**
 * The formulas of the reference fixtures (test/fixtures/lme4 and test/fixtures/posterior) expand to the
 * terms lme4 built from them: the fixed terms give X's column names, the random terms give the groups
 * and per-term column names recorded in `X_colnames` and `Z_colnames_per_term`. The R-made design cases
 * (test/fixtures/design) check R's variable order inside interaction labels.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formulaSpec } from "../../src/formula";
import type { FormulaSpec } from "../../src/formula/types";
import { FIXTURES, LME4_MODELS, readJsonFixture } from "../helpers/fixtures";

interface Lme4Fixture {
  formula: string;
  X_colnames: string[];
  Z_colnames_per_term: Record<string, string[]>;
}

/** Expected specs, written out by hand from lme4's documentation of each model. */
const EXPECTED: Record<string, Omit<FormulaSpec, "text">> = {
  "Yield ~ 1 + (1 | Batch)": {
    response: "Yield",
    intercept: true,
    fixed: [],
    offsets: [],
    expressions: {},
    random: [{ intercept: true, terms: [], group: ["Batch"], pos: 13 }],
    variables: ["Yield", "Batch"],
  },
  "Reaction ~ Days + (1 | Subject)": {
    response: "Reaction",
    intercept: true,
    fixed: [{ variables: ["Days"] }],
    offsets: [],
    expressions: {},
    random: [{ intercept: true, terms: [], group: ["Subject"], pos: 19 }],
    variables: ["Reaction", "Days", "Subject"],
  },
  "Reaction ~ Days + (Days | Subject)": {
    response: "Reaction",
    intercept: true,
    fixed: [{ variables: ["Days"] }],
    offsets: [],
    expressions: {},
    random: [{ intercept: true, terms: [{ variables: ["Days"] }], group: ["Subject"], pos: 19 }],
    variables: ["Reaction", "Days", "Subject"],
  },
  "Reaction ~ Days + ((1 | Subject) + (0 + Days | Subject))": {
    response: "Reaction",
    intercept: true,
    fixed: [{ variables: ["Days"] }],
    offsets: [],
    expressions: {},
    random: [
      { intercept: true, terms: [], group: ["Subject"], pos: 20 },
      { intercept: false, terms: [{ variables: ["Days"] }], group: ["Subject"], pos: 36 },
    ],
    variables: ["Reaction", "Days", "Subject"],
  },
  "diameter ~ 1 + (1 | plate) + (1 | sample)": {
    response: "diameter",
    intercept: true,
    fixed: [],
    offsets: [],
    expressions: {},
    random: [
      { intercept: true, terms: [], group: ["plate"], pos: 16 },
      { intercept: true, terms: [], group: ["sample"], pos: 30 },
    ],
    variables: ["diameter", "plate", "sample"],
  },
  "strength ~ 1 + (1 | batch/cask)": {
    response: "strength",
    intercept: true,
    fixed: [],
    offsets: [],
    expressions: {},
    // lme4's expandSlash order: the inner (interaction) factor first.
    random: [
      { intercept: true, terms: [], group: ["cask", "batch"], pos: 16 },
      { intercept: true, terms: [], group: ["batch"], pos: 16 },
    ],
    variables: ["strength", "cask", "batch"],
  },
  "normexam ~ standLRT + sex + (standLRT | school)": {
    response: "normexam",
    intercept: true,
    fixed: [{ variables: ["standLRT"] }, { variables: ["sex"] }],
    offsets: [],
    expressions: {},
    random: [{ intercept: true, terms: [{ variables: ["standLRT"] }], group: ["school"], pos: 29 }],
    variables: ["normexam", "standLRT", "sex", "school"],
  },
  "y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept:service)": {
    response: "y",
    intercept: true,
    fixed: [{ variables: ["service"] }],
    offsets: [],
    expressions: {},
    random: [
      { intercept: true, terms: [], group: ["s"], pos: 19 },
      { intercept: true, terms: [], group: ["d"], pos: 29 },
      { intercept: true, terms: [], group: ["dept", "service"], pos: 39 },
    ],
    variables: ["y", "service", "s", "d", "dept"],
  },
};

describe("lme4 fixture formulas", () => {
  it.each(LME4_MODELS)("%s", (model) => {
    const fixture = readJsonFixture<Lme4Fixture>(`lme4/${model}.json`);
    const spec = formulaSpec(fixture.formula);
    const expected = EXPECTED[fixture.formula];
    expect(expected, `no expected spec written for ${fixture.formula}`).toBeDefined();
    expect(spec).toEqual({ text: fixture.formula, ...expected });

    // The fixed terms are X's columns for these (all-numeric or two-level) models, after the intercept.
    expect(fixture.X_colnames[0] === "(Intercept)").toBe(spec.intercept);
    expect(spec.fixed).toHaveLength(fixture.X_colnames.length - (spec.intercept ? 1 : 0));

    // Each random term is one entry of Z_colnames_per_term (lme4 suffixes repeated group names .1, .2 and
    // orders terms by number of levels, so compare as multisets of "group: columns").
    const ours = spec.random.map(
      (r) =>
        `${r.group.join(":")}: ${[...(r.intercept ? ["(Intercept)"] : []), ...r.terms.map((t) => t.variables.join(":"))].join(",")}`,
    );
    const lme4 = Object.entries(fixture.Z_colnames_per_term).map(
      ([group, columns]) => `${group.replace(/\.\d+$/, "")}: ${columns.join(",")}`,
    );
    expect([...ours].sort()).toEqual([...lme4].sort());
  });
});

describe("posterior fixture formulas", () => {
  const files = readdirSync(join(FIXTURES, "posterior")).filter((f) => f.endsWith(".json"));
  it("there are posterior fixtures", () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });
  it.each(files)("%s", (file) => {
    const fixture = readJsonFixture<{ formula: string }>(`posterior/${file}`);
    const expected = EXPECTED[fixture.formula];
    expect(expected, `no expected spec written for ${fixture.formula}`).toBeDefined();
    expect(formulaSpec(fixture.formula)).toEqual({ text: fixture.formula, ...expected });
  });
});

describe("R's model.matrix column names (test/fixtures/design, made by R)", () => {
  const { cases } = readJsonFixture<{ cases: { formula: string; X_colnames: string[] | null }[] }>(
    "design/design_cases.json",
  );

  // R names an interaction column by its term's variables in label order, each followed by its level
  // (`bX:alo` for term b:a): so every column's pieces must start with one of our terms' variables, in order.
  it.each(cases)("$formula", ({ formula, X_colnames }) => {
    const spec = formulaSpec(formula);
    for (const column of X_colnames ?? []) {
      if (column === "(Intercept)") continue;
      const pieces = column.split(":");
      const match = spec.fixed.some(
        (term) =>
          term.variables.length === pieces.length && term.variables.every((v, i) => pieces[i]?.startsWith(v)),
      );
      expect(match, `column ${column} has no term with its variables in that order`).toBe(true);
    }
    expect((X_colnames ?? []).includes("(Intercept)")).toBe(spec.intercept);
  });
});
