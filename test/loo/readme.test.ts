/**
 * The README's "Model comparison" code block runs as written: it is copied from README.md into a
 * module (the package's imports pointed at the sources) and run; then what its comments claim is
 * checked on its results.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import type { LooCompareRow } from "../../diagnostics/loo/compare";
import type { BayesFactor } from "../../samplers/marginalLikelihood";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

it("README: the Model comparison block runs, and its comments hold", async () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Model comparison"));
  const body = section.slice(0, section.indexOf("\n## ", 5));
  const block = /```ts\n([\s\S]*?)```/.exec(body)?.[1];
  expect(block, "a ts block in the section").toBeDefined();
  const code = block!
    .replaceAll('from "bayes-lmm/node"', `from ${JSON.stringify(join(root, "src/node/index.ts"))}`)
    .replaceAll('from "bayes-lmm"', `from ${JSON.stringify(join(root, "src/index.ts"))}`)
    .replaceAll('"examples/', `"${join(root, "examples")}/`);
  const file = join(mkdtempSync(join(tmpdir(), "bayes-lmm-readme-")), "model-comparison.ts");
  writeFileSync(file, `${code}\nexport { bf, comparison };\n`);
  const { bf, comparison } = (await import(file)) as { bf: BayesFactor; comparison: LooCompareRow[] };
  expect(comparison.map((r) => r.model)).toEqual(["slope", "intercept"]);
  expect(comparison[1]!.elpd_diff).toBeCloseTo(-18.4, 0);
  expect(comparison[1]!.se_diff).toBeCloseTo(11.4, 0);
  expect(bf.logBayesFactor).toBeGreaterThan(18.9);
  expect(bf.logBayesFactor).toBeLessThan(19.9);
  expect(bf.mcse).toBeLessThan(0.05);
});
