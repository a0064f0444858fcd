/**
 * Fixed-seed sampler runs whose draws are recorded (scripts/golden-draws.ts) and compared bit for bit
 * (golden.test.ts): one factor (q = 2, uncorrelated), crossed joint and by-factor, nested, Exam and
 * InstEval by factor.
 */
import { gibbsSync } from "../../samplers/gibbs";
import type { GibbsOptions } from "../../samplers/options";
import type { Posterior } from "../../src/draws/posterior";
import { lmm } from "../../src/model/lmm";
import type { LmmModel } from "../../src/model/types";
import { readCsvFile } from "../../src/node/data-file";
import { dataPath } from "../helpers/fixtures";
import { MODELS } from "./models";

export interface GoldenCase {
  readonly name: string;
  readonly model: () => LmmModel;
  readonly options: GibbsOptions;
}

const small = { iter: 200, warmup: 50, chains: 2, seed: 11, parallel: false } as const;

export function goldenCases(): GoldenCase[] {
  return [
    { name: "sleepstudy slope", model: MODELS.sleep_slope, options: small },
    { name: "sleepstudy uncorrelated", model: MODELS.sleep_uncor, options: small },
    { name: "sleepstudy q3", model: MODELS.sleep_quad, options: small },
    { name: "Penicillin joint", model: MODELS.penicillin, options: { ...small, strategy: "joint" } },
    { name: "Penicillin by-factor", model: MODELS.penicillin, options: { ...small, strategy: "by-factor" } },
    { name: "Pastes", model: MODELS.pastes, options: small },
    { name: "Pastes by-factor", model: MODELS.pastes, options: { ...small, strategy: "by-factor" } },
    { name: "Exam", model: MODELS.exam, options: { ...small, iter: 50, warmup: 20 } },
    { name: "Dyestuff no fixed", model: MODELS.dyestuff_nofixed, options: small },
    {
      name: "InstEval by-factor",
      model: () =>
        lmm("y ~ service + (1 | s) + (1 | d) + (1 | dept:service)", readCsvFile(dataPath("InstEval"))),
      options: { iter: 6, warmup: 4, chains: 1, seed: 3, parallel: false, strategy: "by-factor" },
    },
  ];
}

/** FNV-1a over the bytes of the draws (kept and warmup), hex. */
function hashOf(values: Float64Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

export interface GoldenRecord {
  readonly parameters: number;
  readonly hash: string;
  readonly warmupHash: string;
  readonly first: number[];
}

export function goldenRecord(c: GoldenCase): GoldenRecord {
  const post: Posterior = gibbsSync(c.model(), c.options);
  const first: number[] = [];
  for (let k = 0; k < Math.min(post.parameters.length, 8); k++)
    first.push(post.values[k * post.chains * post.iterations]!);
  return {
    parameters: post.parameters.length,
    hash: hashOf(post.values),
    warmupHash: hashOf(post.warmupDraws.values),
    first,
  };
}
