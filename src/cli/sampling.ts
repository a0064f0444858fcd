/**
 * What `bayes-lmm sample` and `bayes-lmm report` share: the sampler's flags (CLI.md), reading
 * priors.json, and checking before a long run that an output file's folder exists.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { DataError } from "../errors";
import type { PriorSpec } from "../priors/types";
import { type Command, type FlagValues, integerFlag, optionalString } from "./command";

/** The sampler's flags, as parseArgs options. */
export const SAMPLING_OPTIONS = {
  priors: { type: "string" },
  iter: { type: "string" },
  warmup: { type: "string" },
  chains: { type: "string" },
  thin: { type: "string" },
  seed: { type: "string" },
} as const satisfies Command["options"];

/** The sampler's flags as help text (one line each). */
export const SAMPLING_USAGE = `  --priors FILE     priors.json: { "beta": { "mean", "cov" }, "sigma2": { "shape", "scale" },
                    "psi": { "GROUP": { "df", "scale" } } } — any part may be left out (default)
  --iter N          draws kept per chain, after warmup (default 5000)
  --warmup N        warmup iterations per chain (default 1000)
  --chains N        number of chains (default 4)
  --thin N          keep every N-th iteration (default 1)
  --seed N          seed; the same seed gives the same draws (default 1)`;

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

/** Reads and checks the sampler's flags. */
export function samplingFlags(flags: FlagValues): SamplingFlags {
  const priorsPath = optionalString(flags, "priors");
  return {
    iter: integerFlag(flags, "iter", 5000, 1),
    warmup: integerFlag(flags, "warmup", 1000, 0),
    chains: integerFlag(flags, "chains", 4, 1, 1024),
    thin: integerFlag(flags, "thin", 1, 1),
    seed: integerFlag(flags, "seed", 1, -(2 ** 53 - 1), 2 ** 53 - 1),
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

/** Reads priors.json, or a DataError (FILE) naming the file. */
export function readPriorsFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : String(error);
    throw new DataError("FILE", `cannot read priors file \`${path}\`: ${reason}.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DataError(
      "FILE",
      `cannot read priors file \`${path}\`: it is not JSON (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
}

/** Fails before a long run, not after it, when the folder `path` is to be written in does not exist. */
export function checkOutputFolder(path: string, what: string): void {
  const dir = dirname(path);
  let isDirectory = false;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    isDirectory = false;
  }
  if (!isDirectory)
    throw new DataError("FILE", `cannot write ${what} \`${path}\`: folder \`${dir}\` does not exist.`);
}
