/**
 * InferenceData read back by Python's xarray + netCDF4 (what ArviZ's `from_netcdf` uses): samples
 * three models (one factor with an uncorrelated pair of terms, crossed, nested with a `:` in a factor's
 * name), writes each as netCDF4 with every group (sample_stats with lp; the log-likelihood and posterior-predictive groups
 * through their hook, with stand-in values), writes the values expected in each group beside it, and
 * runs scripts/check_inference_data.py on them. Not part of `npm test` (which must not need Python);
 * CI runs it where a python3 with xarray and netCDF4 exists (Debian: python3-xarray python3-netcdf4),
 * and says so where none does.
 *
 *     npx tsx scripts/check-inference-data.ts [OUT_DIR]
 *
 * The interpreter: $PYTHON, else the first of `python3` and Debian's `/usr/bin/python3` that imports
 * both modules.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { inferenceData } from "../diagnostics/inference-data";
import { gibbs } from "../samplers/gibbs";
import { parseCsv } from "../src/data/csv";
import type { InferenceDataExtras } from "../src/draws/inference-data";
import { lmm } from "../src/model/lmm";
import { writeInferenceData } from "../src/node/inference-data-file";

const out = resolve(process.argv[2] ?? mkdtempSync(join(tmpdir(), "bayes-lmm-idata-")));
mkdirSync(out, { recursive: true });

const cases = [
  { name: "sleepstudy", data: "sleepstudy", formula: "Reaction ~ Days + (Days || Subject)" },
  { name: "penicillin", data: "Penicillin", formula: "diameter ~ 1 + (1 | plate) + (1 | sample)" },
  { name: "pastes", data: "Pastes", formula: "strength ~ 1 + (1 | batch/cask)" },
];

function python(): string | null {
  const candidates = [process.env["PYTHON"], "python3", "/usr/bin/python3"].filter(
    (c): c is string => c !== undefined && c !== "",
  );
  for (const c of candidates) {
    const r = spawnSync(c, ["-c", "import xarray, netCDF4"], { stdio: "ignore" });
    if (r.status === 0) return c;
  }
  return null;
}

async function main(): Promise<number> {
  const interpreter = python();
  if (interpreter === null) {
    console.log(
      "InferenceData check: not run (no python3 with xarray and netCDF4; Debian: apt-get install python3-xarray python3-netcdf4)",
    );
    return 0;
  }
  for (const c of cases) {
    const model = lmm(c.formula, parseCsv(readFileSync(join("test/fixtures/data", `${c.data}.csv`), "utf8")));
    const post = await gibbs(model, { iter: 200, warmup: 100, chains: 3, seed: 7, parallel: false });
    const size = post.chains * post.iterations * model.n;
    // Stand-ins with a known pattern for the groups other modules provide.
    const pattern = Float64Array.from({ length: size }, (_, i) => Math.sin(i) - 2);
    const extras: InferenceDataExtras = {
      logLikelihood: { chains: post.chains, iterations: post.iterations, n: model.n, values: pattern },
      posteriorPredictive: {
        chains: post.chains,
        iterations: post.iterations,
        n: model.n,
        values: pattern.map((v) => v + 100),
      },
      createdAt: "2026-01-01T00:00:00Z",
    };
    const idata = inferenceData(post, extras);
    await writeInferenceData(idata, join(out, `${c.name}.nc`));
    const expected: Record<string, unknown> = {};
    for (const g of idata.groups) {
      const coords = Object.fromEntries(
        Object.entries(g.coords).map(([k, v]) => [k, Array.from(v as ArrayLike<string | number>)]),
      );
      const variables = Object.fromEntries(
        g.variables.map((v) => {
          const shape = v.dims.map((d) => (g.coords[d] as ArrayLike<unknown>).length);
          const probes = [0, Math.floor(v.values.length / 3), v.values.length - 1].map((flat) => {
            const at: number[] = [];
            let rest = flat;
            for (let k = shape.length - 1; k >= 0; k--) {
              at.unshift(rest % shape[k]!);
              rest = Math.floor(rest / shape[k]!);
            }
            return { at, value: v.values[flat]! };
          });
          let sum = 0;
          for (const x of v.values) sum += x;
          return [v.name, { dims: v.dims, probes, sum }];
        }),
      );
      expected[g.name] = { coords, variables, attrs: g.attrs };
    }
    writeFileSync(join(out, `${c.name}.json`), JSON.stringify({ groups: expected }));
  }
  const r = spawnSync(interpreter, ["scripts/check_inference_data.py", out], { stdio: "inherit" });
  return r.status ?? 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
