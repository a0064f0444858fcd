/**
 * `bayes-lmm sample --inference-data FILE.nc`: ArviZ's InferenceData as netCDF4 beside the summary
 * (read back here with h5wasm; scripts/check-inference-data.ts reads such files with xarray).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import h5wasm from "h5wasm/node";
import { describe, expect, it } from "vitest";
import { gibbsSync } from "../../samplers/gibbs";
import { lmm } from "../../src/model/lmm";
import { readCsvFile } from "../../src/node/data-file";
import { posteriorPredict } from "../../src/predict/posterior";
import { cli } from "../helpers/cli";
import { dataPath } from "../helpers/fixtures";

const dir = mkdtempSync(join(tmpdir(), "bayes-lmm-idata-cli-"));

describe("bayes-lmm sample --inference-data", () => {
  it("writes the groups with the posterior's dimensions", async () => {
    const path = join(dir, "penicillin.nc");
    const r = await cli(
      "sample",
      "--data",
      dataPath("Penicillin"),
      "--formula",
      "diameter ~ 1 + (1 | plate) + (1 | sample)",
      "--iter",
      "100",
      "--warmup",
      "50",
      "--chains",
      "2",
      "--inference-data",
      path,
    );
    expect(r.status, r.stderr).toBe(0);
    await h5wasm.ready;
    const f = new h5wasm.File(path, "r");
    try {
      expect(f.keys().sort()).toEqual(["observed_data", "posterior", "sample_stats"]);
      const b = f.get("posterior/b_plate") as InstanceType<typeof h5wasm.Dataset>;
      expect(b.shape).toEqual([2, 100, 24, 1]);
      expect(b.get_attached_scales(2)).toEqual(["/posterior/plate"]);
      const lp = f.get("sample_stats/lp") as InstanceType<typeof h5wasm.Dataset>;
      expect(lp.shape).toEqual([2, 100]);
      expect((lp.value as Float64Array).every(Number.isFinite)).toBe(true);
      expect((f.get("observed_data/diameter") as InstanceType<typeof h5wasm.Dataset>).shape).toEqual([144]);
    } finally {
      f.close();
    }
  });

  it("--posterior-predictive adds posterior_predictive: posteriorPredict's draws (chain, draw, obs_id)", async () => {
    const path = join(dir, "sleep-pp.nc");
    const args = ["--iter", "60", "--warmup", "30", "--chains", "2", "--seed", "5"];
    const r = await cli(
      "sample",
      "--data",
      dataPath("sleepstudy"),
      "--formula",
      "Reaction ~ Days + (Days | Subject)",
      ...args,
      "--inference-data",
      path,
      "--posterior-predictive",
      "--quiet",
    );
    expect(r.status, r.stderr).toBe(0);
    const model = lmm("Reaction ~ Days + (Days | Subject)", readCsvFile(dataPath("sleepstudy")));
    const post = gibbsSync(model, { iter: 60, warmup: 30, chains: 2, seed: 5, randomEffects: "draws" });
    const expected = posteriorPredict(post, { seed: 5 }).values;
    await h5wasm.ready;
    const f = new h5wasm.File(path, "r");
    try {
      expect(f.keys().sort()).toEqual(["observed_data", "posterior", "posterior_predictive", "sample_stats"]);
      const pp = f.get("posterior_predictive/Reaction") as InstanceType<typeof h5wasm.Dataset>;
      expect(pp.shape).toEqual([2, 60, 180]);
      expect(pp.get_attached_scales(2)).toEqual(["/posterior_predictive/obs_id"]);
      const values = pp.value as Float64Array;
      let same = values.length === expected.length;
      for (let i = 0; i < values.length && same; i++) same = values[i] === expected[i];
      expect(same).toBe(true);
    } finally {
      f.close();
    }
    const bad = await cli(
      "sample",
      "--data",
      dataPath("sleepstudy"),
      "--formula",
      "Reaction ~ Days",
      "--posterior-predictive",
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--posterior-predictive.*--inference-data/);
  });

  it("a missing folder is bad input (exit 2, one line), checked before sampling", async () => {
    const r = await cli(
      "sample",
      "--data",
      dataPath("Penicillin"),
      "--formula",
      "diameter ~ 1 + (1 | plate)",
      "--inference-data",
      join(dir, "missing", "x.nc"),
    );
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("InferenceData file");
  });
});
