/**
 * `bayes-lmm sample --inference-data FILE.nc`: ArviZ's InferenceData as netCDF4 beside the summary
 * (read back here with h5wasm; scripts/check-inference-data.ts reads such files with xarray).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import h5wasm from "h5wasm/node";
import { describe, expect, it } from "vitest";
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
