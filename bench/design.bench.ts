/**
 * Building InstEval's model (73,421 rows): CSV parsing and the design stages, medians of repeats.
 * `npm run bench -- design` (or `node --import tsx bench/design.bench.ts`).
 *
 * Rows: our CSV parser (fields + R's column types) against d3-dsv's `csvParseRows` (fields only, no
 * types: a lower bound for a d3-dsv-based reader); then the model frame, X (with its rank check), the
 * random terms, and `lmm()` end to end on the parsed table.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { csvParseRows } from "d3-dsv";
import { parseCsv } from "../src/data/csv";
import { fixedDesign } from "../src/design/fixed";
import { modelFrame } from "../src/design/frame";
import { randomDesign } from "../src/design/random";
import { formulaSpec } from "../src/formula/index";
import { lmm } from "../src/model/lmm";
import { medianTime } from "./timing";

const here = dirname(fileURLToPath(import.meta.url));
const text = readFileSync(join(here, "..", "test", "fixtures", "data", "InstEval.csv"), "utf8");
const formula = "y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept:service)";
const REPEATS = 15;

const table = parseCsv(text);
const spec = formulaSpec(formula);
const frame = modelFrame(spec, table);

const rows: [string, number][] = [
  ["parseCsv (fields + column types)", medianTime(() => parseCsv(text), REPEATS)],
  ["d3-dsv csvParseRows (fields only)", medianTime(() => csvParseRows(text), REPEATS)],
  ["modelFrame", medianTime(() => modelFrame(spec, table), REPEATS)],
  ["fixedDesign (X + rank check)", medianTime(() => fixedDesign(spec, frame), REPEATS)],
  ["randomDesign (3 terms)", medianTime(() => randomDesign(spec.random, frame), REPEATS)],
  ["lmm() on the parsed table", medianTime(() => lmm(formula, table), REPEATS)],
  ["parseCsv + lmm()", medianTime(() => lmm(formula, parseCsv(text)), REPEATS)],
];

process.stdout.write(
  `InstEval: ${table.nrows} rows × ${table.names.length} columns; \`${formula}\`; median of ${REPEATS} runs\n\n`,
);
process.stdout.write("| step | median ms |\n|---|---:|\n");
for (const [name, ms] of rows) process.stdout.write(`| ${name} | ${ms.toFixed(1)} |\n`);

// Large and refused designs (issue 18): a 10,000-level fixed factor is refused up front, 300 copies
// of one random term are refused by the formula stage, and a 999-level factor with a covariate on
// 30,000 rows goes through the X'X rank check.
const n = 30_000;
const y = Array.from({ length: n }, (_, i) => Math.sin(i));
const x = Array.from({ length: n }, (_, i) => Math.cos(i));
const h = Array.from({ length: n }, (_, i) => `h${i % 50}`);
const factor = (levels: number) => Array.from({ length: n }, (_, i) => `L${i % levels}`);
const f10000 = factor(10_000);
const f999 = factor(999);
const refused = (f: () => unknown) => () => {
  try {
    f();
  } catch {
    return;
  }
  throw new Error("expected a refusal");
};
const SMALL = 5;
const large: [string, number][] = [
  [
    "y ~ f + (1 \\| h), f with 10,000 levels: refused",
    medianTime(
      refused(() => lmm("y ~ f + (1 | h)", { y, f: f10000, h })),
      SMALL,
    ),
  ],
  [
    "Reaction ~ Days + 300 × (1 \\| Subject): refused",
    medianTime(
      refused(() => formulaSpec(`Reaction ~ Days${" + (1 | Subject)".repeat(300)}`)),
      SMALL,
    ),
  ],
  [
    "y ~ f + x + (1 \\| h), f with 999 levels: lmm()",
    medianTime(() => lmm("y ~ f + x + (1 | h)", { y, f: f999, h, x }), SMALL),
  ],
];
process.stdout.write(
  `\nLarge and refused designs (${n} rows; median of ${SMALL} runs)\n\n| case | median ms |\n|---|---:|\n`,
);
for (const [name, ms] of large) process.stdout.write(`| ${name} | ${ms.toFixed(1)} |\n`);
