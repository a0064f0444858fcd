/**
 * Checkpoints: a run saved between two iterations — every chain's state and generator (./chain's
 * `snapshot`, the state walked generically by ./snapshot), the draws so far, and what identifies the
 * run (settings, priors, starting values, target, and a fingerprint of the model's numbers) — so that
 * `gibbs(model, { ...options, resume: checkpoint })` continues it and gives, to the bit, the draws of
 * a run that was never stopped.
 *
 * `checkpointToJson` / `checkpointFromJson` give its file form: JSON, typed arrays as base64 of their
 * little-endian bytes (exact), with a format name and version; anything else is refused on reading.
 */
import { ArgumentError, DataError } from "../src/errors";
import type { LmmModel } from "../src/model/types";
import { priorsToJson } from "../src/priors/resolve";
import type { Priors } from "../src/priors/types";
import type { ChainSettings, ChainSnapshot } from "./chain";
import type { Target } from "./until";

/** What a run's identity is made of (a prepared run, ./run, has all of it). */
export interface RunParts {
  readonly model: LmmModel;
  readonly settings: ChainSettings;
  readonly chains: number;
  readonly compiled: { readonly strategy: string };
  readonly priors: Priors;
  readonly target: Target | null;
}

/** The format name written into every checkpoint. */
export const CHECKPOINT_FORMAT = "bayes-lmm sampler checkpoint";
export const CHECKPOINT_VERSION = 1;

/** What must be the same for a run to continue a checkpoint (compared as JSON). */
export interface RunIdentity {
  readonly model: {
    readonly formula: string;
    readonly n: number;
    readonly p: number;
    readonly fingerprint: string;
  };
  readonly iter: number;
  readonly warmup: number;
  readonly thin: number;
  readonly chains: number;
  readonly seed: number;
  readonly randomEffects: "draws" | "summary";
  readonly strategy: string;
  readonly priors: unknown;
  readonly init: unknown;
  readonly until: {
    readonly rhat: number;
    readonly essBulk: number;
    readonly essTail: number;
    readonly maxIter: number;
    readonly batch: number;
    readonly randomEffects: boolean;
  } | null;
}

/** A run saved between two iterations (plain data: structured-cloneable; JSON through `checkpointToJson`). */
export interface SamplerCheckpoint {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: typeof CHECKPOINT_VERSION;
  readonly run: RunIdentity;
  /** Sampling seconds so far (all sessions). */
  readonly seconds: number;
  /** One snapshot per chain, in chain order; all at the same iteration. */
  readonly chains: readonly ChainSnapshot[];
}

// ---------------------------------------------------------------------------------------------------
// The model's fingerprint: FNV-1a (two 32-bit lanes of different offsets) over the bytes of its numbers.

function fnv(hash: [number, number], bytes: Uint8Array): void {
  let a = hash[0];
  let b = hash[1];
  for (let i = 0; i < bytes.length; i++) {
    a = Math.imul(a ^ bytes[i]!, 16777619);
    b = Math.imul(b ^ bytes[i]!, 16777619) ^ (b >>> 15);
  }
  hash[0] = a;
  hash[1] = b;
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** A 64-bit fingerprint (hex) of the model's response, designs, offsets, levels and names (and AR(1) chains). */
export function modelFingerprint(model: LmmModel): string {
  const hash: [number, number] = [0x811c9dc5, 0x01000193];
  const text = new TextEncoder();
  fnv(
    hash,
    text.encode(
      JSON.stringify([
        model.formula,
        model.response,
        model.fixedNames,
        model.terms.map((t) => [t.group, t.names, t.levels]),
      ]),
    ),
  );
  fnv(hash, bytesOf(model.y));
  fnv(hash, bytesOf(model.X));
  if (model.offset !== null) fnv(hash, bytesOf(model.offset));
  for (const t of model.terms) {
    fnv(hash, bytesOf(t.refs));
    fnv(hash, bytesOf(t.values));
  }
  // AR(1) residuals (only then: the fingerprints of other models are as before).
  const ar1 = model.ar1 ?? null;
  if (ar1 !== null) {
    fnv(hash, text.encode(JSON.stringify(["ar1", ar1.time, ar1.group])));
    fnv(hash, bytesOf(ar1.order));
    fnv(hash, bytesOf(ar1.lags));
  }
  return hash.map((h) => (h >>> 0).toString(16).padStart(8, "0")).join("");
}

/** The identity of a prepared run (what a checkpoint of it records and a resume compares). */
export function runIdentity(run: RunParts, init: unknown): RunIdentity {
  const target = run.target;
  return {
    model: {
      formula: run.model.formula,
      n: run.model.n,
      p: run.model.p,
      fingerprint: modelFingerprint(run.model),
    },
    iter: run.settings.iter,
    warmup: run.settings.warmup,
    thin: run.settings.thin,
    chains: run.chains,
    seed: run.settings.seed,
    randomEffects: run.settings.randomEffects,
    strategy: run.compiled.strategy,
    priors: priorsToJson(run.priors),
    init: JSON.parse(JSON.stringify(init ?? null)) as unknown,
    until:
      target === null
        ? null
        : {
            rhat: target.rhat,
            essBulk: target.essBulk,
            essTail: target.essTail,
            maxIter: target.maxIter,
            batch: target.batch,
            randomEffects: target.randomEffects,
          },
  };
}

/**
 * Throws unless `value` has a checkpoint's shape (format, version, run, seconds, and per chain its
 * counters, generator state, state snapshot and typed arrays).
 *
 * @throws ArgumentError naming `name` and the first field that is wrong
 */
export function checkCheckpointArgument(value: unknown, name: string): asserts value is SamplerCheckpoint {
  const fail = (field: string, why: string, got: unknown): never => {
    throw new ArgumentError(`${name}${field}`, why, got);
  };
  const cp = value as Partial<SamplerCheckpoint> | null;
  if (
    typeof cp !== "object" ||
    cp === null ||
    cp.format !== CHECKPOINT_FORMAT ||
    cp.version !== CHECKPOINT_VERSION
  )
    fail(
      "",
      `must be a checkpoint (${CHECKPOINT_FORMAT}, version ${CHECKPOINT_VERSION}: from onCheckpoint, an AbortedError or checkpointFromJson)`,
      value,
    );
  if (typeof cp!.run !== "object" || cp!.run === null)
    fail(".run", "must be the run's identity (an object)", cp!.run);
  if (typeof cp!.seconds !== "number" || !(cp!.seconds >= 0))
    fail(".seconds", "must be a number >= 0", cp!.seconds);
  if (!Array.isArray(cp!.chains) || cp!.chains.length === 0)
    fail(".chains", "must be an array of chain snapshots", cp!.chains);
  cp!.chains!.forEach((c, i) => {
    const at = `.chains[${i}]`;
    if (typeof c !== "object" || c === null) fail(at, "must be a chain snapshot", c);
    for (const key of ["chain", "done", "iter"] as const)
      if (!Number.isSafeInteger(c[key]) || c[key] < 0)
        fail(`${at}.${key}`, "must be an integer >= 0", c[key]);
    if (typeof c.rng !== "object" || c.rng === null) fail(`${at}.rng`, "must be a generator state", c.rng);
    if (
      typeof c.state !== "object" ||
      c.state === null ||
      typeof c.state.signature !== "string" ||
      !(c.state.bytes instanceof Uint8Array)
    )
      fail(`${at}.state`, "must be a chain state snapshot { signature, bytes }", c.state);
    for (const key of ["kept", "warmup", "randomEffectsMean", "randomEffectsM2"] as const)
      if (!(c[key] instanceof Float64Array)) fail(`${at}.${key}`, "must be a Float64Array", c[key]);
  });
}

const WHAT: Record<keyof RunIdentity, string> = {
  model: "the model (formula and data)",
  iter: "options.iter",
  warmup: "options.warmup",
  thin: "options.thin",
  chains: "options.chains",
  seed: "options.seed",
  randomEffects: "options.randomEffects",
  strategy: "options.strategy",
  priors: "options.priors",
  init: "options.init",
  until: "options.until",
};

/**
 * Checks that `checkpoint` is of the run `identity` describes.
 *
 * @throws ArgumentError (options.resume) naming the first thing that differs
 */
export function checkResume(identity: RunIdentity, checkpoint: SamplerCheckpoint): void {
  checkCheckpointArgument(checkpoint, "options.resume");
  for (const key of Object.keys(WHAT) as (keyof RunIdentity)[]) {
    const now = JSON.stringify(identity[key]);
    const then = JSON.stringify(checkpoint.run[key]);
    if (now !== then)
      throw new ArgumentError(
        "options.resume",
        `is a checkpoint of another run: ${WHAT[key]} differs (the checkpoint's: ${abbreviate(then)}; now: ${abbreviate(now)}); resume with the options and data it was made with`,
        checkpoint.run[key],
      ).withoutValue();
  }
  if (checkpoint.chains.length !== identity.chains)
    throw new ArgumentError(
      "options.resume.chains",
      `must hold ${identity.chains} chain snapshots`,
      checkpoint.chains.length,
    );
  if (!(typeof checkpoint.seconds === "number" && checkpoint.seconds >= 0))
    throw new ArgumentError("options.resume.seconds", "must be a number >= 0", checkpoint.seconds);
  const done = checkpoint.chains[0]?.done;
  if (
    checkpoint.chains.some((c, i) => typeof c !== "object" || c === null || c.chain !== i || c.done !== done)
  )
    throw new ArgumentError(
      "options.resume.chains",
      "must hold one snapshot per chain, in chain order, all at the same iteration",
      checkpoint.chains.length,
    );
}

function abbreviate(text: string | undefined): string {
  if (text === undefined) return "none";
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// ---------------------------------------------------------------------------------------------------
// JSON form

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;

const B64_CODES = new TextEncoder().encode(B64);

/** Base64 of bytes (RFC 4648, with padding): ASCII codes written into one byte array, then decoded as text. */
export function toBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = B64_CODES[v >> 18]!;
    out[o++] = B64_CODES[(v >> 12) & 63]!;
    out[o++] = B64_CODES[(v >> 6) & 63]!;
    out[o++] = B64_CODES[v & 63]!;
  }
  if (i < n) {
    const v = (bytes[i]! << 16) | (i + 1 < n ? bytes[i + 1]! << 8 : 0);
    out[o++] = B64_CODES[v >> 18]!;
    out[o++] = B64_CODES[(v >> 12) & 63]!;
    out[o++] = i + 1 < n ? B64_CODES[(v >> 6) & 63]! : 61;
    out[o++] = 61;
  }
  return new TextDecoder().decode(out);
}

/** Bytes of base64 text, or undefined when it is not base64. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (typeof text !== "string" || text.length % 4 !== 0) return undefined;
  const codes = new TextEncoder().encode(text);
  if (codes.length !== text.length) return undefined; // not ASCII
  const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((codes.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < codes.length; i += 4) {
    let v = 0;
    for (let j = 0; j < 4; j++) {
      const ch = codes[i + j]!;
      const d = ch === 61 && i + j >= codes.length - pad ? 0 : B64_INDEX[ch]!;
      if (d < 0) return undefined;
      v = (v << 6) | d;
    }
    if (o < out.length) out[o++] = (v >> 16) & 255;
    if (o < out.length) out[o++] = (v >> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}

const floats = (a: Float64Array) => toBase64(bytesOf(a));

/**
 * A checkpoint as JSON text (exact: typed arrays as base64 of their bytes).
 *
 * @param checkpoint - from `gibbs`' `onCheckpoint`, or an AbortedError's `checkpoint`
 * @param extra - anything JSON-able to keep beside it (the CLI keeps its flags), read back by `checkpointFromJson`
 * @returns the text
 * @throws ArgumentError when `checkpoint` is not one, or `extra` is not JSON-able
 */
export function checkpointToJson(checkpoint: SamplerCheckpoint, extra?: unknown): string {
  checkCheckpointArgument(checkpoint, "checkpoint");
  if (extra !== undefined) {
    try {
      JSON.stringify(extra);
    } catch (error) {
      throw new ArgumentError(
        "extra",
        `must be JSON-able (${error instanceof Error ? error.message : String(error)})`,
        typeof extra,
      );
    }
  }
  return JSON.stringify({
    format: checkpoint.format,
    version: checkpoint.version,
    run: checkpoint.run,
    seconds: checkpoint.seconds,
    ...(extra === undefined ? {} : { extra }),
    chains: checkpoint.chains.map((c) => ({
      chain: c.chain,
      done: c.done,
      iter: c.iter,
      rng: c.rng,
      state: { signature: c.state.signature, bytes: toBase64(c.state.bytes) },
      kept: floats(c.kept),
      warmup: floats(c.warmup),
      randomEffectsMean: floats(c.randomEffectsMean),
      randomEffectsM2: floats(c.randomEffectsM2),
    })),
  });
}

/**
 * Reads a checkpoint's JSON text (`checkpointToJson`).
 *
 * @param text - the text
 * @param what - how to name it in errors ("checkpoint file `cp.json`")
 * @returns the checkpoint and the `extra` kept beside it
 * @throws ArgumentError when `text` or `what` is not a string; DataError (FILE) when the text is not
 *   a checkpoint of this format and version
 */
export function checkpointFromJson(
  text: string,
  what = "checkpoint",
): { checkpoint: SamplerCheckpoint; extra: unknown } {
  if (typeof text !== "string")
    throw new ArgumentError("text", "must be a checkpoint's JSON text (from checkpointToJson)", text);
  if (typeof what !== "string") throw new ArgumentError("what", "must be a string", what);
  const bad = (why: string) => new DataError("FILE", `cannot read ${what}: ${why}.`);
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw bad("it is not JSON (a checkpoint is written by `sample --checkpoint`)");
  }
  if (typeof doc !== "object" || doc === null || doc["format"] !== CHECKPOINT_FORMAT)
    throw bad(`it is not a ${CHECKPOINT_FORMAT}`);
  if (doc["version"] !== CHECKPOINT_VERSION)
    throw bad(`it is version ${String(doc["version"])}; this bayes-lmm reads version ${CHECKPOINT_VERSION}`);
  if (!Array.isArray(doc["chains"]) || typeof doc["run"] !== "object" || doc["run"] === null)
    throw bad("it has no chains or run");
  const decodeFloats = (value: unknown, field: string): Float64Array => {
    const bytes = fromBase64(value as string);
    if (bytes === undefined || bytes.length % 8 !== 0) throw bad(`${field} is not base64 of float64 values`);
    return new Float64Array(bytes.slice().buffer);
  };
  const chains = (doc["chains"] as Record<string, unknown>[]).map((c, i): ChainSnapshot => {
    const field = `chains[${i}]`;
    if (typeof c !== "object" || c === null) throw bad(`${field} is not an object`);
    const state = c["state"] as { signature?: unknown; bytes?: unknown } | undefined;
    const stateBytes = fromBase64(state?.bytes as string);
    if (typeof state?.signature !== "string" || stateBytes === undefined)
      throw bad(`${field}.state is not a chain state`);
    return {
      chain: c["chain"] as number,
      done: c["done"] as number,
      iter: c["iter"] as number,
      rng: c["rng"] as ChainSnapshot["rng"],
      state: { signature: state.signature, bytes: stateBytes },
      kept: decodeFloats(c["kept"], `${field}.kept`),
      warmup: decodeFloats(c["warmup"], `${field}.warmup`),
      randomEffectsMean: decodeFloats(c["randomEffectsMean"], `${field}.randomEffectsMean`),
      randomEffectsM2: decodeFloats(c["randomEffectsM2"], `${field}.randomEffectsM2`),
    };
  });
  const checkpoint: SamplerCheckpoint = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    run: doc["run"] as RunIdentity,
    seconds: doc["seconds"] as number,
    chains,
  };
  try {
    checkCheckpointArgument(checkpoint, "checkpoint");
  } catch (error) {
    throw bad(
      error instanceof Error
        ? error.message.replace(/^invalid argument\. /, "").replace(/\.$/, "")
        : String(error),
    );
  }
  return { checkpoint, extra: doc["extra"] };
}
