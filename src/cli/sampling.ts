/**
 * What `bayes-lmm sample`, `report` and `fit --compare` share: the sampler's flags (CLI.md), reading
 * priors.json, the size check before a run, and sampling with a progress line.
 */
import { readFileSync } from "node:fs";
import { totalmem } from "node:os";
import { AbortedError } from "../../samplers/aborted";
import { checkpointFromJson, checkpointToJson, type SamplerCheckpoint } from "../../samplers/checkpoint";
import { gibbs } from "../../samplers/gibbs";
import { chainSettings, checkRunSize, coreParameterCount, type GibbsOptions } from "../../samplers/options";
import type { TargetCheck } from "../../samplers/until";
import type { Posterior } from "../draws/posterior";
import { ArgumentError, DataError, LmmError } from "../errors";
import type { LmmModel } from "../model/types";
import { fileErrorReason, writeFileAtomic } from "../node/atomic";
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
  until?: GibbsOptions["until"],
): void {
  const nB = model.terms.reduce((sum, t) => sum + t.m * t.q, 0);
  const settings = chainSettings(
    {
      ...gibbsOptions({ ...s, priors: undefined }),
      randomEffects,
      ...(until === undefined ? {} : { until }),
    },
    nB,
  );
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

// ---------------------------------------------------------------------------------------------------
// `sample`'s run controls (issue 17): a target, checkpoints, resume, and interrupts.

/** The flags of a controlled run, as `sample` declares them. */
export const CONTROL_OPTIONS = {
  "until-rhat": { type: "string" },
  "until-ess": { type: "string" },
  "until-ranef": { type: "boolean" },
  "max-iter": { type: "string" },
  "max-seconds": { type: "string" },
  checkpoint: { type: "string" },
  "checkpoint-every": { type: "string" },
  resume: { type: "string" },
} as const satisfies Command["options"];

/** Those flags as help text. */
export const CONTROL_USAGE = `  --until-rhat R    extend the chains (in batches of --iter draws) until every parameter's R-hat <= R
  --until-ess N     ... and its bulk and tail ESS >= N (either flag alone sets the other's default:
                    R-hat 1.01, ESS 400); the output says whether the target was met (on a
                    terminal, a line per check names the worst parameters)
  --until-ranef     check the random effects b too (their draws are then kept)
  --max-iter N      with --until-*: at most N draws per chain (default 10 × --iter)
  --max-seconds S   with --until-*: stop after S seconds of sampling, target met or not
  --checkpoint FILE write the run's full state (chains, generators, draws so far) to FILE, atomically,
                    every --checkpoint-every seconds, at the end and when interrupted
  --checkpoint-every S
                    seconds between checkpoints (default 60)
  --resume FILE     continue the run saved in FILE: the draws are those of a run never stopped, byte
                    for byte; the other flags are read from the checkpoint (--max-seconds, --checkpoint,
                    --checkpoint-every and --quiet may be given again)
  SIGINT / SIGTERM  stop within a second: the draws file gets the complete iterations so far (and the
                    checkpoint is written); exit status 130 / 143`;

/** Flags that may be given with --resume (everything else comes from the checkpoint). */
export const RESUME_FLAGS: readonly string[] = [
  "resume",
  "max-seconds",
  "checkpoint",
  "checkpoint-every",
  "quiet",
];

/** A number flag > min (or >= min when `inclusive`), `undefined` when absent. */
function numberFlag(flags: FlagValues, name: string, min: number, inclusive = false): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const value = /^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || (inclusive ? value < min : value <= min))
    throw new ArgumentError(`--${name}`, `must be a number ${inclusive ? ">=" : ">"} ${min}`, raw);
  return value;
}

/** The run controls read from the flags. */
export interface ControlFlags {
  /** The target (`gibbs`' `until`), or undefined for a plain run. */
  readonly until:
    | {
        rhat: number;
        essBulk: number;
        essTail: number;
        randomEffects: boolean;
        maxIter?: number;
        maxSeconds?: number;
      }
    | undefined;
  readonly checkpoint: string | undefined;
  readonly checkpointEvery: number;
  readonly resume: string | undefined;
}

/** Reads and checks the run controls (exit 2 naming the flag). */
export function controlFlags(flags: FlagValues, iter: number): ControlFlags {
  const rhat = numberFlag(flags, "until-rhat", 1, true);
  const ess = numberFlag(flags, "until-ess", 0);
  const ranef = flags["until-ranef"] === true;
  const maxIter = flags["max-iter"] === undefined ? undefined : integerFlag(flags, "max-iter", iter, iter);
  const maxSeconds = numberFlag(flags, "max-seconds", 0);
  const targeted = rhat !== undefined || ess !== undefined;
  for (const [name, given] of [
    ["until-ranef", ranef],
    ["max-iter", maxIter !== undefined],
    ["max-seconds", maxSeconds !== undefined],
  ] as const)
    if (given && !targeted)
      throw new ArgumentError(
        `--${name}`,
        "goes with a target: --until-rhat R and/or --until-ess N",
        flags[name],
      ).withoutValue();
  const checkpoint = optionalString(flags, "checkpoint");
  const every = numberFlag(flags, "checkpoint-every", 0, true);
  if (every !== undefined && checkpoint === undefined)
    throw new ArgumentError(
      "--checkpoint-every",
      "goes with --checkpoint FILE",
      flags["checkpoint-every"],
    ).withoutValue();
  return {
    until: targeted
      ? {
          rhat: rhat ?? 1.01,
          essBulk: ess ?? 400,
          essTail: ess ?? 400,
          randomEffects: ranef,
          ...(maxIter === undefined ? {} : { maxIter }),
          ...(maxSeconds === undefined ? {} : { maxSeconds }),
        }
      : undefined,
    checkpoint,
    checkpointEvery: every ?? 60,
    resume: optionalString(flags, "resume"),
  };
}

/** The run was stopped by a signal: the command's exit status is 128 + the signal's number. */
export class InterruptedError extends LmmError {
  readonly exitStatus: number;
  constructor(message: string, exitStatus: number) {
    super("ABORTED", message);
    this.name = "InterruptedError";
    this.exitStatus = exitStatus;
  }
}

const SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;

/** One line per check of the target, on standard error. */
export function formatCheck(
  check: TargetCheck,
  until: { rhat: number; essBulk: number; essTail: number },
): string {
  const num = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : "NA");
  const n = (x: number) => x.toLocaleString("en-US");
  const goal = `R-hat <= ${until.rhat}, bulk ESS >= ${until.essBulk}, tail ESS >= ${until.essTail}`;
  const outcome = check.met
    ? "met"
    : check.next > check.draws
      ? `not met; going on to ${n(check.next)} draws per chain`
      : "not met; the most draws allowed (--max-iter) are reached";
  return `target (${goal}) at ${n(check.draws)} draws per chain: max R-hat ${num(check.rhat.value, 3)} (${check.rhat.parameter}), min bulk ESS ${num(check.essBulk.value, 0)} (${check.essBulk.parameter}), min tail ESS ${num(check.essTail.value, 0)} (${check.essTail.parameter}): ${outcome}`;
}

/** What `sampleUnderControl` does on an interrupt, besides stopping: writes what was kept and says where. */
export type OnInterrupt = (posterior: Posterior | null) => string;

/**
 * Samples under `sample`'s controls: the target and its check lines, checkpoints written atomically
 * (`checkpointToJson` with `extra` beside it), a resumed checkpoint, and SIGINT/SIGTERM — which stop
 * the chains within a slice (~50 ms), call `onInterrupt` with the posterior of the complete draws
 * (null if none yet) and throw an InterruptedError with exit status 130 or 143.
 */
export async function sampleUnderControl(
  model: LmmModel,
  options: GibbsOptions,
  io: CommandIO,
  control: ControlFlags,
  resume: SamplerCheckpoint | undefined,
  extra: unknown,
  onInterrupt: OnInterrupt,
  quiet: boolean,
): Promise<Posterior> {
  const progress = io.progress("sampling", "iterations");
  const controller = new AbortController();
  let signal: keyof typeof SIGNALS | undefined;
  const handlers = (Object.keys(SIGNALS) as (keyof typeof SIGNALS)[]).map((name) => {
    const handler = () => {
      signal = name;
      remove(); // a second signal ends the process as usual
      controller.abort();
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  const remove = () => {
    for (const [name, handler] of handlers) process.removeListener(name, handler);
  };
  const path = control.checkpoint;
  const writeCheckpoint = (cp: SamplerCheckpoint) => {
    if (path !== undefined) writeFileAtomic(path, [checkpointToJson(cp, extra)], "checkpoint file");
  };
  try {
    return await gibbs(model, {
      ...options,
      ...(control.until === undefined
        ? {}
        : {
            until: {
              ...control.until,
              onCheck: (check: TargetCheck) => {
                // On a terminal only, as the progress line (the outcome is in the output).
                if (quiet || !io.stderrIsTTY) return;
                progress.done();
                io.stderr(`bayes-lmm: ${formatCheck(check, control.until!)}\n`);
              },
            },
          }),
      ...(path === undefined
        ? {}
        : { onCheckpoint: writeCheckpoint, checkpointEvery: { seconds: control.checkpointEvery } }),
      ...(resume === undefined ? {} : { resume }),
      signal: controller.signal,
      parallel: "auto",
      onProgress: (p) => progress.update(p.done, p.grandTotal),
    });
  } catch (error) {
    if (!(error instanceof AbortedError) || signal === undefined) throw error;
    progress.done();
    const kept = onInterrupt(error.posterior);
    const saved =
      path === undefined
        ? ""
        : `; checkpoint written to \`${path}\` (continue with \`bayes-lmm sample --resume ${path}\`)`;
    throw new InterruptedError(
      `interrupted by ${signal} after ${error.done.toLocaleString("en-US")} of ${error.total.toLocaleString("en-US")} iterations per chain: ${kept}${saved}.`,
      SIGNALS[signal],
    );
  } finally {
    remove();
    progress.done();
  }
}

/**
 * Reads a checkpoint file written by `sample --checkpoint`.
 *
 * @returns the checkpoint and the flags kept beside it
 * @throws DataError (FILE) naming the file
 */
export function readCheckpointFile(path: string): { checkpoint: SamplerCheckpoint; extra: unknown } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new DataError("FILE", `cannot read checkpoint file \`${path}\`: ${fileErrorReason(error)}.`);
  }
  return checkpointFromJson(text, `checkpoint file \`${path}\``);
}
