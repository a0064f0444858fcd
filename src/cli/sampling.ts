/**
 * What `bayes-lmm sample`, `report` and `fit --compare` share: the sampler's flags (CLI.md), reading
 * priors.json, the size check before a run, and sampling with a progress line.
 */
import { readFileSync } from "node:fs";
import { totalmem } from "node:os";
import { gibbs } from "../../samplers/gibbs";
import { chainSettings, checkRunSize, coreParameterCount, type GibbsOptions } from "../../samplers/options";
import type { Posterior } from "../draws/posterior";
import { ArgumentError, DataError } from "../errors";
import type { LmmModel } from "../model/types";
import { fileErrorReason } from "../node/atomic";
import { groupingFactors } from "../priors/factors";
import type { PriorSpec } from "../priors/types";
import { type Command, type CommandIO, type FlagValues, integerFlag, optionalString } from "./command";

/** The sampler's flags, as the commands declare them. */
export const SAMPLING_OPTIONS = {
  priors: { type: "string" },
  iter: { type: "string" },
  warmup: { type: "string" },
  chains: { type: "string" },
  thin: { type: "string" },
  seed: { type: "string" },
} as const satisfies Command["options"];

/** `--quiet`, for commands that draw a progress line. */
export const QUIET_OPTION = { quiet: { type: "boolean" } } as const satisfies Command["options"];

/** The sampler's flags as help text (one line each). */
export const SAMPLING_USAGE = `  --priors FILE     priors.json: { "beta": { "mean", "cov" }, "sigma2": { "shape", "scale" },
                    "psi": { "GROUP": { "df", "scale" } } } — any part may be left out (default)
  --iter N          draws kept per chain, after warmup (default 5000)
  --warmup N        warmup iterations per chain (default 1000)
  --chains N        number of chains (default 4)
  --thin N          keep every N-th iteration (default 1)
  --seed N          seed; the same seed gives the same draws (default 1)`;

/** `--quiet` as help text. */
export const QUIET_USAGE = `  --quiet           no progress line (it is drawn only on a terminal, for runs over half a second)`;

/** The sampler's settings read from the flags, each checked (exit 2 naming the flag when invalid). */
export interface SamplingFlags {
  readonly iter: number;
  readonly warmup: number;
  readonly chains: number;
  readonly thin: number;
  readonly seed: number;
  /** The parsed priors.json, validated later by the sampler (PriorError naming the field). */
  readonly priors: PriorSpec | undefined;
}

/** Iterations a chain may run (the sampler's own limit, checked here to name the flags). */
const MAX_ITERATIONS = 2 ** 31 - 1;

/** Reads and checks the sampler's flags. */
export function samplingFlags(flags: FlagValues): SamplingFlags {
  const priorsPath = optionalString(flags, "priors");
  const iter = integerFlag(flags, "iter", 5000, 1);
  const warmup = integerFlag(flags, "warmup", 1000, 0);
  const chains = integerFlag(flags, "chains", 4, 1, 1024);
  const thin = integerFlag(flags, "thin", 1, 1);
  const seed = integerFlag(flags, "seed", 1, -(2 ** 53 - 1), 2 ** 53 - 1);
  const perChain = warmup + iter * thin;
  if (perChain > MAX_ITERATIONS)
    throw new ArgumentError(
      thin > 1 ? "--thin" : "--iter",
      `asks each chain for --warmup + --iter × --thin = ${warmup.toLocaleString("en-US")} + ${iter.toLocaleString("en-US")} × ${thin.toLocaleString("en-US")} = ${perChain.toLocaleString("en-US")} iterations, more than the ${MAX_ITERATIONS.toLocaleString("en-US")} a chain can run; ask for fewer draws or a smaller --thin`,
      thin > 1 ? thin : iter,
    );
  return {
    iter,
    warmup,
    chains,
    thin,
    seed,
    priors: priorsPath === undefined ? undefined : (readPriorsFile(priorsPath) as PriorSpec),
  };
}

/** The options `gibbs()` takes from the flags. */
export function gibbsOptions(s: SamplingFlags): {
  iter: number;
  warmup: number;
  chains: number;
  thin: number;
  seed: number;
  priors?: PriorSpec;
} {
  const { iter, warmup, chains, thin, seed, priors } = s;
  return { iter, warmup, chains, thin, seed, ...(priors === undefined ? {} : { priors }) };
}

/**
 * Refuses, before any sampling, a run whose draws would not fit in this machine's memory or in one
 * array, naming the flags and the size.
 */
export function checkSamplingSize(
  model: LmmModel,
  s: SamplingFlags,
  randomEffects: "draws" | "summary" | "auto" = "auto",
): void {
  const nB = model.terms.reduce((sum, t) => sum + t.m * t.q, 0);
  const settings = chainSettings({ ...gibbsOptions({ ...s, priors: undefined }), randomEffects }, nB);
  checkRunSize(settings, coreParameterCount(model, groupingFactors(model)), nB, totalmem(), "--iter");
}

/** Samples with a progress line ("sampling  45%  ... ETA 12 s") on a terminal. */
export async function sampleWithProgress(
  model: LmmModel,
  options: GibbsOptions,
  io: CommandIO,
  label = "sampling",
): Promise<Posterior> {
  const progress = io.progress(label, "iterations");
  try {
    return await gibbs(model, { ...options, onProgress: (p) => progress.update(p.done, p.grandTotal) });
  } finally {
    progress.done();
  }
}

/** Deepest nesting a priors.json needs is 4 (`psi.GROUP.scale[i][j]`); anything far deeper is not one. */
const MAX_PRIORS_DEPTH = 32;

/** The deepest nesting of `[` and `{` outside strings in JSON text (a scan, no recursion). */
function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) deepest = Math.max(deepest, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return deepest;
}

/** Reads priors.json (a UTF-8 byte-order mark is ignored), or a DataError (FILE) naming the file. */
export function readPriorsFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new DataError("FILE", `cannot read priors file \`${path}\`: ${fileErrorReason(error)}.`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const depth = jsonDepth(text);
  if (depth > MAX_PRIORS_DEPTH)
    throw new DataError(
      "FILE",
      `cannot read priors file \`${path}\`: it nests ${depth.toLocaleString("en-US")} levels deep; a priors.json needs at most 4 ({ "psi": { "GROUP": { "scale": [[...]] } } }).`,
    );
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DataError(
      "FILE",
      `cannot read priors file \`${path}\`: it is not JSON (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
}
