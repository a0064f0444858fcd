/**
 * Writes the large one-factor data set of issue 16's benchmark as Parquet, with DuckDB (the
 * @duckdb/node-api dev dependency), streaming: memory stays small whatever the size.
 *
 *     npx tsx scripts/make-large-parquet.ts --out big.parquet                      # 100,000,000 rows, 2,000,000 levels
 *     npx tsx scripts/make-large-parquet.ts --out small.parquet --rows 1000000 --levels 20000
 *
 * The model (a random intercept and slope per level, correlated):
 *     y = 10 + 2 x + b0_g + b1_g x + e,   x ~ U(0, 10),   e ~ N(0, 2²),
 *     (b0_g, b1_g) ~ N(0, [[1, 0.15], [0.15, 0.25]])    (sds 1 and 0.5, correlation 0.3)
 * Rows are in level order, `rows / levels` per level (g = floor(i · levels / rows), an INTEGER; y and
 * x DOUBLE). Deterministic: every value is a function of its row (or level) number, the seed and a
 * stream number, through DuckDB's 64-bit `hash()` of one integer — no generator state, so DuckDB's threads cannot
 * change the result (two runs write byte-identical files; the hash is DuckDB's, so the pinned
 * version of @duckdb/node-api is part of the recipe). Uniforms are the hash's top 53 bits,
 * (h + 0.5) / 2^53; normals come from Box–Muller on two uniforms. At the end the file is read back
 * and its sums printed (a checksum of the content).
 */
import { statSync } from "node:fs";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";

const { values } = parseArgs({
  options: {
    out: { type: "string" },
    rows: { type: "string", default: "100000000" },
    levels: { type: "string" },
    seed: { type: "string", default: "1" },
    threads: { type: "string", default: "2" },
  },
});
if (values.out === undefined) {
  process.stderr.write(
    "usage: npx tsx scripts/make-large-parquet.ts --out FILE.parquet [--rows N] [--levels M] [--seed S]\n",
  );
  process.exit(2);
}
const rows = Number(values.rows);
const levels = values.levels === undefined ? Math.max(1, Math.round(rows / 50)) : Number(values.levels);
const seed = Number(values.seed);
for (const [name, v] of [
  ["rows", rows],
  ["levels", levels],
  ["seed", seed],
] as const)
  if (!Number.isSafeInteger(v) || v < (name === "seed" ? 0 : 1) || v >= 2 ** 32) {
    process.stderr.write(`--${name} must be an integer from ${name === "seed" ? 0 : 1} to 2^32 - 1\n`);
    process.exit(2);
  }
if (levels > rows) {
  process.stderr.write("--levels must not exceed --rows\n");
  process.exit(2);
}

const instance = await DuckDBInstance.create(":memory:", { threads: values.threads ?? "2" });
const db = await instance.connect();
// A uniform on (0, 1) for (number, stream) — streams keep the draws of x, e, b0, b1 apart — from
// DuckDB's 64-bit hash: the top 53 bits of hash(hash(64 i + stream) xor hash(seed)). (DuckDB's
// several-argument hash(i, seed, s) must not be used: it combines its arguments' hashes so that
// streams of one row are strongly correlated, 0.97 between two of them.)
await db.run(
  `CREATE MACRO unif(i, s) AS ((hash(xor(hash(i::BIGINT * 64 + s), hash(${seed}::BIGINT))) >> 11)::DOUBLE + 0.5) / 9007199254740992.0`,
);
await db.run(`CREATE MACRO normal(i, s) AS sqrt(-2 * ln(unif(i, s))) * cos(2 * pi() * unif(i, s + 1))`);

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
const started = performance.now();
await db.run(
  `COPY (
     WITH r AS (SELECT range AS i, (range * ${levels} // ${rows})::INTEGER AS g FROM range(${rows})),
     v AS (SELECT i, g, 10 * unif(i, 0) AS x, 2 * normal(i, 2) AS e,
                  normal(g, 4) AS z1, normal(g, 6) AS z2 FROM r)
     SELECT 10 + 2 * x + z1 + 0.5 * (0.3 * z1 + sqrt(0.91) * z2) * x + e AS y, x, g
     FROM v
   ) TO ${quote(values.out)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)`,
);
const seconds = (performance.now() - started) / 1000;
const check = (
  await db.runAndReadAll(
    `SELECT COUNT(*) AS n, COUNT(DISTINCT g) AS levels, SUM(y) AS sum_y, SUM(x * y) AS sum_xy, SUM(y * y) AS sum_yy
     FROM read_parquet(${quote(values.out)})`,
  )
).getRowObjectsJS()[0]!;
process.stdout.write(
  `${JSON.stringify(
    {
      file: values.out,
      bytes: statSync(values.out).size,
      rows,
      levels,
      seed,
      seconds: Math.round(seconds * 10) / 10,
      truth: { beta: [10, 2], sigma: 2, sd: [1, 0.5], cor: 0.3 },
      check: Object.fromEntries(Object.entries(check).map(([k, v]) => [k, Number(v)])),
    },
    null,
    2,
  )}\n`,
);
db.closeSync();
instance.closeSync();
