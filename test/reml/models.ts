/**
 * LmmModel objects for the lme4 fixtures, built directly from the CSVs (independent of the design
 * stage, so the REML tests check the fitting code alone). Each fixture's model is spelled out by hand
 * below: fixed columns as R's model.matrix makes them, random terms as lme4 orders and labels them.
 */
import { readFileSync } from "node:fs";
import { csvParse } from "d3-dsv";
import type { LmmModel, RandomEffectsTerm } from "../../src/model/types";
import { dataPath } from "../helpers/fixtures";

type Fixed = { intercept: true } | { numeric: string } | { factor: string };
interface Random {
  group: string[];
  intercept: boolean;
  slopes: string[];
}
interface Spec {
  data: string;
  formula: string;
  response: string;
  fixed: Fixed[];
  random: Random[];
}

const I: Fixed = { intercept: true };
const ri = (...group: string[]): Random => ({ group, intercept: true, slopes: [] });

/** The model of each lme4 fixture (REML and ML share one). */
export const SPECS: Record<string, Spec> = {
  dyestuff: {
    data: "Dyestuff",
    formula: "Yield ~ 1 + (1 | Batch)",
    response: "Yield",
    fixed: [I],
    random: [ri("Batch")],
  },
  dyestuff2: {
    data: "Dyestuff2",
    formula: "Yield ~ 1 + (1 | Batch)",
    response: "Yield",
    fixed: [I],
    random: [ri("Batch")],
  },
  sleep_int: {
    data: "sleepstudy",
    formula: "Reaction ~ Days + (1 | Subject)",
    response: "Reaction",
    fixed: [I, { numeric: "Days" }],
    random: [ri("Subject")],
  },
  sleep_slope: {
    data: "sleepstudy",
    formula: "Reaction ~ Days + (Days | Subject)",
    response: "Reaction",
    fixed: [I, { numeric: "Days" }],
    random: [{ group: ["Subject"], intercept: true, slopes: ["Days"] }],
  },
  sleep_uncor: {
    data: "sleepstudy",
    formula: "Reaction ~ Days + ((1 | Subject) + (0 + Days | Subject))",
    response: "Reaction",
    fixed: [I, { numeric: "Days" }],
    random: [ri("Subject"), { group: ["Subject"], intercept: false, slopes: ["Days"] }],
  },
  penicillin: {
    data: "Penicillin",
    formula: "diameter ~ 1 + (1 | plate) + (1 | sample)",
    response: "diameter",
    fixed: [I],
    random: [ri("plate"), ri("sample")],
  },
  pastes: {
    data: "Pastes",
    formula: "strength ~ 1 + (1 | batch/cask)",
    response: "strength",
    fixed: [I],
    random: [ri("batch"), ri("cask", "batch")],
  },
  exam: {
    data: "Exam",
    formula: "normexam ~ standLRT + sex + (standLRT | school)",
    response: "normexam",
    fixed: [I, { numeric: "standLRT" }, { factor: "sex" }],
    random: [{ group: ["school"], intercept: true, slopes: ["standLRT"] }],
  },
  insteval: {
    data: "InstEval",
    formula: "y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept:service)",
    response: "y",
    fixed: [I, { numeric: "service" }],
    random: [ri("s"), ri("d"), ri("dept", "service")],
  },
};

const cache = new Map<string, LmmModel>();

/** The LmmModel of fixture `name` (`sleep_slope_reml` or `sleep_slope`). */
export function fixtureModel(name: string): LmmModel {
  const key = name.replace(/_(reml|ml)$/, "");
  const hit = cache.get(key);
  if (hit) return hit;
  const spec = SPECS[key];
  if (!spec) throw new Error(`no model spec for ${name}`);
  const model = buildModel(spec);
  cache.set(key, model);
  return model;
}

function buildModel(spec: Spec): LmmModel {
  const rows = csvParse(readFileSync(dataPath(spec.data), "utf8"));
  const n = rows.length;
  const column = (name: string): string[] => rows.map((r) => r[name] ?? "");
  const numeric = (name: string): Float64Array => Float64Array.from(column(name), Number);
  const sortLevels = (values: string[]): string[] => {
    const u = [...new Set(values)];
    return u.every((v) => v !== "" && Number.isFinite(Number(v)))
      ? u.sort((a, b) => Number(a) - Number(b))
      : u.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  };

  const y = numeric(spec.response);
  const cols: Float64Array[] = [];
  const fixedNames: string[] = [];
  for (const f of spec.fixed) {
    if ("intercept" in f) {
      cols.push(new Float64Array(n).fill(1));
      fixedNames.push("(Intercept)");
    } else if ("numeric" in f) {
      cols.push(numeric(f.numeric));
      fixedNames.push(f.numeric);
    } else {
      const values = column(f.factor);
      for (const level of sortLevels(values).slice(1)) {
        cols.push(Float64Array.from(values, (v) => (v === level ? 1 : 0)));
        fixedNames.push(`${f.factor}${level}`);
      }
    }
  }
  const p = cols.length;
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let c = 0; c < p; c++) X[i * p + c] = cols[c]![i]!;

  const built = spec.random.map((r): Omit<RandomEffectsTerm, "label"> => {
    const parts = r.group.map(column);
    const labels = rows.map((_, i) => parts.map((part) => part[i]).join(":"));
    // Interaction levels: the first variable varies slowest, each sorted as its own factor.
    const levelOrders = parts.map(sortLevels);
    const levels = [...new Set(labels)].sort((a, b) => {
      const sa = a.split(":");
      const sb = b.split(":");
      for (let v = 0; v < levelOrders.length; v++) {
        const d = levelOrders[v]!.indexOf(sa[v]!) - levelOrders[v]!.indexOf(sb[v]!);
        if (d !== 0) return d;
      }
      return 0;
    });
    const index = new Map(levels.map((l, k) => [l, k]));
    const refs = Int32Array.from(labels, (l) => index.get(l)!);
    const names = [...(r.intercept ? ["(Intercept)"] : []), ...r.slopes];
    const slopeValues = r.slopes.map(numeric);
    const q = names.length;
    const values = new Float64Array(n * q);
    for (let i = 0; i < n; i++) {
      let c = 0;
      if (r.intercept) values[i * q + c++] = 1;
      for (const s of slopeValues) values[i * q + c++] = s[i]!;
    }
    return { group: r.group.join(":"), levels, refs, names, q, m: levels.length, values };
  });
  // lme4's order: by decreasing number of levels (stable); labels `g`, `g.1`, ... for repeated groups.
  const ordered = built.map((t, k) => ({ t, k })).sort((a, b) => b.t.m - a.t.m || a.k - b.k);
  const seen = new Map<string, number>();
  const terms: RandomEffectsTerm[] = ordered.map(({ t }) => {
    const count = seen.get(t.group) ?? 0;
    seen.set(t.group, count + 1);
    return { ...t, label: count === 0 ? t.group : `${t.group}.${count}` };
  });

  return {
    formula: spec.formula,
    response: spec.response,
    n,
    p,
    y,
    X,
    fixedNames,
    offset: null,
    terms,
    dropped: 0,
    rows: Int32Array.from({ length: n }, (_, i) => i),
    aliased: [],
    warnings: [],
  };
}
