/**
 * `npm run bench`: runs every benchmark in this folder (each `*.bench.ts` prints its own table), one
 * after another in separate processes so that one does not warm or slow the next. Pass names to run
 * a subset: `npm run bench -- reml gibbs`.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

let failed = 0;
for (const file of files) {
  process.stdout.write(`\n## ${file}\n\n`);
  const r = spawnSync(process.execPath, ["--import", "tsx", join(here, file)], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
if (files.length === 0) process.stdout.write(`no benchmark matches ${wanted.join(", ")}\n`);
process.exitCode = failed > 0 ? 1 : 0;
