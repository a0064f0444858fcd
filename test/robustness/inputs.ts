/**
 * The inputs the generated-input suite draws from: data files (good ones and their mutations),
 * formulas, priors files, draws files and output paths, written once into a scratch folder. Each
 * pool holds what a new user might hand the CLI — the odd, the wrong and the extreme — including
 * every case of issue 18.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatDrawsCsv } from "../../src/draws/csv";
import { createDraws } from "../../src/draws/draws";
import { FIXTURES } from "../helpers/fixtures";
import { SLEEP, SLEEP_FORMULA, scratch, sleepVariant, toCsv } from "./helpers";

export interface Pools {
  readonly dir: string;
  /** Data files by name, each with the formulas meant for it. */
  readonly data: readonly {
    readonly name: string;
    readonly path: string;
    /** The formulas meant for it; the first `valid` of them are good ones. */
    readonly formulas: readonly string[];
    readonly valid: number;
    /** Whether the file is data a model can be fitted to (with its valid formulas). */
    readonly good: boolean;
  }[];
  readonly priors: readonly string[];
  readonly draws: readonly string[];
}

const SLEEP_FORMULAS = [
  SLEEP_FORMULA,
  "Reaction ~ Days + (1 | Subject)",
  "Reaction ~ Days + (Days || Subject)",
  "Reaction ~ 0 + Days + (1 | Subject)",
  "Reaction ~ 1 + (1 | Subject)",
  "Reaction ~ Days + offset(Days) + (1 | Subject)",
  "Reaction ~ Days + (Days | Days)",
  "Reaction ~ Days + (1 | Subject) + (1 | Subject)",
  "log(Reaction) ~ Days + (1 | Subject)",
  "Reaction ~ Days^2 + (1 | Subject)",
  "Reaction ~ . + (1 | Subject)",
  "Reaction ~ Days",
  "~ Days + (1 | Subject)",
  "Reaction ~ Days + (1 | Subjects)",
  "Reaction ~ Dayz + (1 | Subject)",
  "Reaction ~ Days + (Days | Subject",
  "",
  " ",
  "Reaction ~ Days + (1 | Subject:Days)",
  "Subject ~ Days + (1 | Days)",
];

/** Writes every pool's files and returns their paths. */
export function writePools(): Pools {
  const dir = scratch("generated");
  const file = (name: string, content: string | Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const sleepCsv = toCsv(SLEEP);
  const csvOf = (rows: readonly Readonly<Record<string, number | string>>[]) => toCsv(rows);
  const data: { name: string; path: string; formulas: string[]; valid: number; good: boolean }[] = [];
  const GOOD = new Set([
    "sleep",
    "sleep-crlf-bom",
    "sleep-quoted",
    "sleep-early-quote",
    "sleep-na",
    "sleep-aliased",
    "y-1e-150",
    "y-1e-8",
    "y-1e80",
    "days-plus-1e9",
  ]);
  const add = (
    name: string,
    content: string | Uint8Array,
    formulas: readonly string[] = SLEEP_FORMULAS,
    valid = 6,
  ) =>
    data.push({
      name,
      path: file(`${name}.csv`, content),
      formulas: [...formulas],
      valid,
      good: GOOD.has(name),
    });

  add("sleep", sleepCsv);
  add("sleep-crlf-bom", `\ufeff${sleepCsv.replaceAll("\n", "\r\n")}`);
  add(
    "sleep-quoted",
    `"Reaction","Days","Subject"\n${SLEEP.map((r) => `${r.Reaction},${r.Days},"${r.Subject}"`).join("\n")}\n`,
  );
  add(
    "sleep-early-quote",
    `Reaction,Days,Subject\n${SLEEP.map((r, i) => `${r.Reaction},${r.Days},${i === 7 ? `"${r.Subject}` : `"${r.Subject}"`}`).join("\n")}\n`,
  );
  add("sleep-na", csvOf(SLEEP.map((r, i) => ({ ...r, Reaction: i % 17 === 0 ? "NA" : r.Reaction }))));
  add("sleep-text-in-number", csvOf(SLEEP.map((r, i) => ({ ...r, Days: i === 5 ? "five" : r.Days }))));
  add("sleep-inf", csvOf(SLEEP.map((r, i) => ({ ...r, Reaction: i === 3 ? "Inf" : r.Reaction }))));
  add("sleep-nan", csvOf(SLEEP.map((r, i) => ({ ...r, Days: i === 9 ? "NaN" : r.Days }))));
  add("sleep-ragged", `${sleepCsv}1,2\n`);
  add("sleep-header-only", "Reaction,Days,Subject\n");
  add("empty", "");
  add("binary", new Uint8Array([0, 1, 2, 3, 255, 254, 0, 10]));
  add("sleep-dup-header", sleepCsv.replace("Reaction,Days,Subject", "Reaction,Days,Days"));
  add("sleep-constant-y", csvOf(SLEEP.map((r) => ({ ...r, Reaction: 250 }))));
  add("sleep-one-subject", csvOf(SLEEP.map((r) => ({ ...r, Subject: "308" }))));
  add(
    "sleep-aliased",
    csvOf(SLEEP.map((r) => ({ ...r, Days2: 2 * r.Days }))),
    ["Reaction ~ Days + Days2 + (1 | Subject)", ...SLEEP_FORMULAS.slice(0, 3)],
    4,
  );
  // issue 18's scales
  for (const [name, f, g] of [
    ["y-1e-300", (v: number) => v * 1e-300, (d: number) => d],
    ["y-1e-150", (v: number) => v * 1e-150, (d: number) => d],
    ["y-1e-8", (v: number) => v * 1e-8, (d: number) => d],
    ["y-1e80", (v: number) => v * 1e80, (d: number) => d],
    ["y-1e160", (v: number) => v * 1e160, (d: number) => d],
    ["y-plus-1e15", (v: number) => v + 1e15, (d: number) => d],
    ["y-plus-1e17", (v: number) => v + 1e17, (d: number) => d],
    ["days-1e-160", (v: number) => v, (d: number) => d * 1e-160],
    ["days-1e160", (v: number) => v, (d: number) => d * 1e160],
    ["days-plus-1e9", (v: number) => v, (d: number) => d + 1e9],
  ] as const)
    add(name, csvOf(sleepVariant(f, g)));
  const perfect = Array.from({ length: 60 }, (_, i) => ({
    y: 1 + 2 * (i % 7) + 3 * (i % 6),
    x: i % 7,
    g: i % 6,
  }));
  add("perfect", csvOf(perfect), ["y ~ x + (1 | g)", "y ~ x + (x | g)", "y ~ 1 + (1 | g)"], 3);
  const fixtures = join(FIXTURES, "data");
  data.push({
    name: "Dyestuff",
    path: join(fixtures, "Dyestuff.csv"),
    formulas: ["Yield ~ 1 + (1 | Batch)", "Yield ~ Batch + (1 | Batch)", "Yield ~ 1 + (Yield | Batch)"],
    valid: 1,
    good: true,
  });
  data.push({
    name: "Penicillin",
    path: join(fixtures, "Penicillin.csv"),
    formulas: [
      "diameter ~ 1 + (1 | plate) + (1 | sample)",
      "diameter ~ sample + (1 | plate)",
      "diameter ~ 1 + (1 | plate:sample)",
    ],
    valid: 2,
    good: true,
  });
  data.push({
    name: "missing",
    path: join(dir, "no-such-file.csv"),
    formulas: [SLEEP_FORMULA],
    valid: 1,
    good: false,
  });
  const folder = join(dir, "a-folder");
  mkdirSync(folder, { recursive: true });
  data.push({ name: "folder", path: folder, formulas: [SLEEP_FORMULA], valid: 1, good: false });

  const priors = [
    '{"sigma2": {"shape": 1, "scale": 1}}',
    '\ufeff{"sigma2": {"shape": 0.001, "scale": 0.001}}',
    '{"beta": {"mean": 0, "cov": 1e6}}',
    '{"beta": {"mean": [250, 10], "cov": [[100, 0], [0, 10]]}}',
    '{"beta": {"mean": [1, 2, 3]}}',
    '{"beta": {"cov": [[1, 2], [2, 1]]}}',
    '{"psi": {"Subject": {"df": 4, "scale": [[500, 0], [0, 25]]}}}',
    '{"psi": {"Subject": {"df": 0.5}}}',
    '{"psi": {"Subjects": {"df": 3}}}',
    '{"sigma2": {"shape": -1}}',
    '{"sigma2": {"shape": "one"}}',
    '{"sigma2": {"shape": 1e309}}',
    '{"sigma2": {"shape": 1, "scale": 1e-320}}',
    '{"signa2": {}}',
    "[]",
    "null",
    "42",
    "{oops",
    "",
    `${'{"beta":'.repeat(100_000)}1${"}".repeat(100_000)}`,
    `{"beta":{"mean":${"[".repeat(50_000)}${"]".repeat(50_000)}}}`,
  ].map((text, i) => file(`priors-${i}.json`, text));
  priors.push(join(dir, "no-such-priors.json"), folder);

  const good = createDraws(["mu", "beta[x]", "Psi[g][a,b]"], 4, 200);
  for (let i = 0; i < good.values.length; i++) good.values[i] = Math.sin(i * 0.37) + (i % 7) * 0.1;
  const goodCsv = formatDrawsCsv(good);
  const lines = goodCsv.trimEnd().split("\n");
  const huge = createDraws(["big"], 2, 100);
  for (let i = 0; i < huge.values.length; i++) huge.values[i] = 1e307 * (1.5 + Math.sin(i));
  const constant = createDraws(["c", "nanny"], 2, 50);
  constant.values.fill(3);
  constant.values[60] = Number.NaN;
  const interop = join(FIXTURES, "draws-interop");
  const draws = [
    file("draws-good.csv", goodCsv),
    file("draws-cut-mid-iteration.csv", `${lines.slice(0, 1 + 4 * 100 + 3).join("\n")}\n`),
    file("draws-cut-mid-row.csv", `${lines.slice(0, 120).join("\n")}\n${lines[120]!.slice(0, 9)}`),
    file("draws-unterminated.csv", lines.slice(0, 1 + 4 * 100).join("\n")),
    file("draws-huge.csv", formatDrawsCsv(huge)),
    file("draws-constant.csv", formatDrawsCsv(constant)),
    file("draws-no-chain.csv", goodCsv.replace(".chain,", "chain,")),
    file("draws-text.csv", goodCsv.replace(/\n1,1,1,[^,]+/, "\n1,1,1,abc")),
    file("draws-dup.csv", `${goodCsv}1,1,1,0,0,0\n`),
    file("draws-header-only.csv", `${lines[0]}\n`),
    file("draws-empty.csv", ""),
    file("draws-sleep-data.csv", sleepCsv),
    join(interop, "stan_chain1.csv"),
    join(interop, "stan_chain2.csv"),
    join(interop, "write_csv_draws_df.csv"),
    join(interop, "mangled.csv"),
    join(dir, "no-such-draws.csv"),
    folder,
  ];
  return { dir, data, priors, draws };
}
