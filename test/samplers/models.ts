/**
 * LmmModel objects built by hand from the fixture CSVs, for the sampler's tests — independent of the
 * formula/design stage (whose own tests check it against lme4), so that a sampler test fails only for
 * the sampler. Each model states its formula; columns and levels follow R's conventions.
 */
import { readFileSync } from "node:fs";
import { csvParse } from "d3-dsv";
import type { LmmModel, RandomEffectsTerm } from "../../src/model/types";
import { dataPath } from "../helpers/fixtures";

type Rows = Record<string, string>[];

function read(name: string): Rows {
  return csvParse(readFileSync(dataPath(name), "utf8")) as unknown as Rows;
}

function sortedLevels(values: readonly string[]): string[] {
  const unique = [...new Set(values)];
  const numeric = unique.every((v) => v.trim() !== "" && Number.isFinite(Number(v)));
  return numeric ? unique.sort((a, b) => Number(a) - Number(b)) : unique.sort();
}

/** A fixed-effect column: "1" (intercept), a numeric column, or `factor:NAME` (treatment contrasts). */
type FixedSpec = string;

interface TermSpec {
  /** Grouping variables; an interaction is written `["cask", "batch"]` and named `cask:batch`. */
  group: readonly string[];
  intercept: boolean;
  /** Numeric columns varying by group. */
  slopes: readonly string[];
}

/** Builds a model from a data set, its response, fixed columns and random terms. */
export function handModel(
  dataName: string,
  formula: string,
  response: string,
  fixed: readonly FixedSpec[],
  terms: readonly TermSpec[],
  transform?: (y: number) => number,
): LmmModel {
  const rows = read(dataName);
  const n = rows.length;
  const y = Float64Array.from(rows, (r) => {
    const v = Number(r[response]);
    return transform ? transform(v) : v;
  });
  const columns: { name: string; get: (r: Record<string, string>) => number }[] = [];
  for (const f of fixed) {
    if (f === "1") columns.push({ name: "(Intercept)", get: () => 1 });
    else if (f.startsWith("factor:")) {
      const v = f.slice(7);
      const levels = sortedLevels(rows.map((r) => r[v]!));
      for (const level of levels.slice(1))
        columns.push({ name: `${v}${level}`, get: (r) => (r[v] === level ? 1 : 0) });
    } else columns.push({ name: f, get: (r) => Number(r[f]) });
  }
  const p = columns.length;
  const X = new Float64Array(n * p);
  rows.forEach((r, i) => {
    columns.forEach((c, j) => {
      X[i * p + j] = c.get(r);
    });
  });
  const built: RandomEffectsTerm[] = [];
  const labelsSeen = new Map<string, number>();
  for (const t of terms) {
    const group = t.group.join(":");
    const keys = rows.map((r) => t.group.map((g) => r[g]).join(":"));
    const levels = sortedLevels(keys);
    const index = new Map(levels.map((l, k) => [l, k]));
    const refs = Int32Array.from(keys, (k) => index.get(k)!);
    const names = [...(t.intercept ? ["(Intercept)"] : []), ...t.slopes];
    const q = names.length;
    const values = new Float64Array(n * q);
    rows.forEach((r, i) => {
      let c = 0;
      if (t.intercept) values[i * q + c++] = 1;
      for (const s of t.slopes) values[i * q + c++] = Number(r[s]);
    });
    const seen = labelsSeen.get(group) ?? 0;
    labelsSeen.set(group, seen + 1);
    built.push({
      group,
      label: seen === 0 ? group : `${group}.${seen}`,
      levels,
      refs,
      names,
      q,
      m: levels.length,
      values,
    });
  }
  // lme4 orders terms by decreasing number of levels (stable).
  const order = built.map((_, k) => k).sort((a, b) => built[b]!.m - built[a]!.m || a - b);
  return {
    formula,
    response,
    n,
    p,
    y,
    X,
    fixedNames: columns.map((c) => c.name),
    offset: null,
    terms: order.map((k) => built[k]!),
    dropped: 0,
    rows: Int32Array.from({ length: n }, (_, i) => i),
    aliased: [],
    warnings: [],
  };
}

/** The models of the posterior fixtures (and a few more), by fixture name. */
export const MODELS = {
  dyestuff: () =>
    handModel(
      "Dyestuff",
      "Yield ~ 1 + (1 | Batch)",
      "Yield",
      ["1"],
      [{ group: ["Batch"], intercept: true, slopes: [] }],
    ),
  sleep_int: () =>
    handModel(
      "sleepstudy",
      "Reaction ~ Days + (1 | Subject)",
      "Reaction",
      ["1", "Days"],
      [{ group: ["Subject"], intercept: true, slopes: [] }],
    ),
  sleep_slope: () =>
    handModel(
      "sleepstudy",
      "Reaction ~ Days + (Days | Subject)",
      "Reaction",
      ["1", "Days"],
      [{ group: ["Subject"], intercept: true, slopes: ["Days"] }],
    ),
  sleep_uncor: () =>
    handModel(
      "sleepstudy",
      "Reaction ~ Days + (Days || Subject)",
      "Reaction",
      ["1", "Days"],
      [
        { group: ["Subject"], intercept: true, slopes: [] },
        { group: ["Subject"], intercept: false, slopes: ["Days"] },
      ],
    ),
  penicillin: () =>
    handModel(
      "Penicillin",
      "diameter ~ 1 + (1 | plate) + (1 | sample)",
      "diameter",
      ["1"],
      [
        { group: ["plate"], intercept: true, slopes: [] },
        { group: ["sample"], intercept: true, slopes: [] },
      ],
    ),
  pastes: () =>
    handModel(
      "Pastes",
      "strength ~ 1 + (1 | batch/cask)",
      "strength",
      ["1"],
      [
        { group: ["batch"], intercept: true, slopes: [] },
        { group: ["cask", "batch"], intercept: true, slopes: [] },
      ],
    ),
  exam: () =>
    handModel(
      "Exam",
      "normexam ~ standLRT + sex + (standLRT | school)",
      "normexam",
      ["1", "standLRT", "factor:sex"],
      [{ group: ["school"], intercept: true, slopes: ["standLRT"] }],
    ),
  /** q = 3 (the generic elimination path): Days and a centered square of Days vary by subject. */
  sleep_quad: () => {
    const m = handModel(
      "sleepstudy",
      "Reaction ~ Days + (Days + Days2 | Subject)",
      "Reaction",
      ["1", "Days"],
      [{ group: ["Subject"], intercept: true, slopes: ["Days"] }],
    );
    const t = m.terms[0]!;
    const values = new Float64Array(m.n * 3);
    for (let i = 0; i < m.n; i++) {
      const d = t.values[i * 2 + 1]!;
      values.set([1, d, (d - 4.5) ** 2 / 10], i * 3);
    }
    return { ...m, terms: [{ ...t, names: ["(Intercept)", "Days", "Days2"], q: 3, values }] };
  },
  /** No fixed effects at all: Yield ~ 0 + (1 | Batch). */
  dyestuff_nofixed: () =>
    handModel(
      "Dyestuff",
      "Yield ~ 0 + (1 | Batch)",
      "Yield",
      [],
      [{ group: ["Batch"], intercept: true, slopes: [] }],
    ),
} as const;

export type ModelName = keyof typeof MODELS;
