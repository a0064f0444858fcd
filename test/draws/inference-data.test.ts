/**
 * InferenceData: the groups, dimensions and coordinates built from a posterior, and the netCDF4 file
 * read back (here through h5wasm itself, so the suite needs no Python; scripts/check-inference-data.ts
 * reads the same files with xarray + netCDF4, as an ArviZ user does).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import h5wasm from "h5wasm/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gibbsSync } from "../../samplers/gibbs";
import { parseCsv } from "../../src/data/csv";
import { inferenceData } from "../../src/draws/inference-data";
import { pooledDraws } from "../../src/draws/posterior";
import { ArgumentError } from "../../src/errors";
import { lmm } from "../../src/model/lmm";
import { writeInferenceData } from "../../src/node/inference-data-file";
import { dataPath } from "../helpers/fixtures";

const model = lmm(
  "Reaction ~ Days + (Days || Subject)",
  parseCsv(readFileSync(dataPath("sleepstudy"), "utf8")),
);
const post = gibbsSync(model, { iter: 50, warmup: 20, chains: 2, seed: 3 });
const dir = mkdtempSync(join(tmpdir(), "bayes-lmm-idata-"));

beforeAll(async () => {
  await h5wasm.ready;
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("inferenceData", () => {
  it("posterior, sample_stats and observed_data, with ArviZ's dims and our coords", () => {
    const idata = inferenceData(post, { createdAt: "2026-01-01T00:00:00Z" });
    expect(idata.groups.map((g) => g.name)).toEqual(["posterior", "sample_stats", "observed_data"]);
    const p = idata.groups[0]!;
    expect(p.variables.map((v) => [v.name, v.dims.join(",")])).toEqual([
      ["beta", "chain,draw,coefficient"],
      ["sigma2", "chain,draw"],
      ["Psi_Subject", "chain,draw,Subject_coef,Subject_coef_bis"],
      ["b_Subject", "chain,draw,Subject,Subject_coef"],
    ]);
    expect(p.coords["coefficient"]).toEqual(["(Intercept)", "Days"]);
    expect(p.coords["Subject"]).toEqual(model.terms[0]!.levels);
    // beta[Days] of chain 1, draw 7 sits at ((1 * 50 + 7) * 2 + 1).
    expect(p.variables[0]!.values[(1 * 50 + 7) * 2 + 1]).toBe(pooledDraws(post, "beta[Days]")[50 + 7]);
    // An uncorrelated pair of terms: Psi's off-diagonal is a structural zero.
    const psi = p.variables[2]!.values;
    expect(psi[(0 * 50 + 3) * 4 + 1]).toBe(0);
    expect(psi[(0 * 50 + 3) * 4 + 3]).toBe(pooledDraws(post, "Psi[Subject][Days,Days]")[3]);
    const obs = idata.groups[2]!;
    expect(obs.variables[0]!.name).toBe("Reaction");
    expect(Array.from(obs.coords["obs_id"] as Int32Array).slice(0, 3)).toEqual([0, 1, 2]);
  });

  it("takes log_likelihood and posterior_predictive through its hook, checking their shape", () => {
    const n = model.n;
    const values = new Float64Array(2 * 50 * n).fill(-1);
    const idata = inferenceData(post, {
      logLikelihood: { chains: 2, iterations: 50, n, values },
      posteriorPredictive: { chains: 2, iterations: 50, n, values },
      sampleStats: { lp: new Float64Array(100) },
    });
    expect(idata.groups.map((g) => g.name)).toEqual([
      "posterior",
      "sample_stats",
      "observed_data",
      "posterior_predictive",
      "log_likelihood",
    ]);
    expect(idata.groups[4]!.variables[0]!.dims).toEqual(["chain", "draw", "obs_id"]);
    expect(() => inferenceData(post, { logLikelihood: { chains: 2, iterations: 50, n: 3, values } })).toThrow(
      ArgumentError,
    );
  });
});

describe("writeInferenceData", () => {
  it("writes netCDF4 groups with dimension scales; read back, every value is the draw it should be", async () => {
    const path = join(dir, "sleep.nc");
    await writeInferenceData(post, path);
    expect(readdirSync(dir)).toEqual(["sleep.nc"]);
    const f = new h5wasm.File(path, "r");
    try {
      expect(f.keys().sort()).toEqual(["observed_data", "posterior", "sample_stats"]);
      const g = f.get("posterior") as InstanceType<typeof h5wasm.Group>;
      const beta = g.get("beta") as InstanceType<typeof h5wasm.Dataset>;
      expect(beta.shape).toEqual([2, 50, 2]);
      expect(beta.get_attached_scales(2)).toEqual(["/posterior/coefficient"]);
      const values = beta.value as Float64Array;
      expect(values[(1 * 50 + 7) * 2 + 1]).toBe(pooledDraws(post, "beta[Days]")[57]);
      expect((g.get("coefficient") as InstanceType<typeof h5wasm.Dataset>).value).toEqual([
        "(Intercept)",
        "Days",
      ]);
      const b = g.get("b_Subject") as InstanceType<typeof h5wasm.Dataset>;
      expect(b.shape).toEqual([2, 50, 18, 2]);
      expect(g.attrs["inference_library"]?.value).toBe("bayes-lmm");
      const y = (f.get("observed_data/Reaction") as InstanceType<typeof h5wasm.Dataset>)
        .value as Float64Array;
      expect(Array.from(y)).toEqual(Array.from(model.y));
    } finally {
      f.close();
    }
  });

  it("a variable over 8 million values is written one chain at a time, chunked, with the same values", async () => {
    const path = join(dir, "large.nc");
    const values = Float64Array.from({ length: 3 * 2_700_000 }, (_, i) => i * 0.5);
    await writeInferenceData(
      {
        groups: [
          {
            name: "posterior",
            coords: {
              chain: Int32Array.of(0, 1, 2),
              draw: Int32Array.from({ length: 2_700_000 }, (_, i) => i),
            },
            variables: [{ name: "x", dims: ["chain", "draw"], values }],
            attrs: {},
          },
        ],
      },
      path,
    );
    const f = new h5wasm.File(path, "r");
    try {
      const x = f.get("posterior/x") as InstanceType<typeof h5wasm.Dataset>;
      expect(x.shape).toEqual([3, 2_700_000]);
      expect(x.get_attached_scales(0)).toEqual(["/posterior/chain"]);
      const back = x.value as Float64Array;
      for (const i of [0, 1, 2_699_999, 2_700_000, 5_400_001, values.length - 1])
        expect(back[i]).toBe(values[i]);
    } finally {
      f.close();
    }
  });

  it("a path that cannot be written is a FILE error and leaves nothing behind", async () => {
    await expect(writeInferenceData(post, join(dir, "no-such-dir", "x.nc"))).rejects.toMatchObject({
      code: "FILE",
    });
  });
});
