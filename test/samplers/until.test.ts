/**
 * Runs to a target (samplers/until.ts), checkpoints and resumes (samplers/checkpoint.ts, snapshot.ts)
 * and stops (samplers/aborted.ts), through the API: each is checked against a plain run of the same
 * seed — the draws must agree to the bit.
 */
import { describe, expect, it } from "vitest";
import { ChainSet } from "../../diagnostics/chain-set";
import { essBulk, essTail } from "../../diagnostics/ess";
import { rhat } from "../../diagnostics/rhat";
import { AbortedError } from "../../samplers/aborted";
import { createChainRunner } from "../../samplers/chain";
import {
  checkpointFromJson,
  checkpointToJson,
  fromBase64,
  type SamplerCheckpoint,
  toBase64,
} from "../../samplers/checkpoint";
import { gibbs, gibbsSync } from "../../samplers/gibbs";
import { prepareRun } from "../../samplers/run";
import { restoreState, snapshotState } from "../../samplers/snapshot";
import { formatDrawsCsv } from "../../src/draws/csv";
import { chainsOf } from "../../src/draws/draws";
import type { Posterior } from "../../src/draws/posterior";
import { ArgumentError, LmmError } from "../../src/errors";
import { MODELS } from "./models";

const sleep = MODELS.sleep_slope();
const crossed = MODELS.penicillin();

/** A parameter's chains as one draws matrix. */
function chainSet(post: Posterior, name: string): ChainSet {
  const parts = chainsOf(post, name);
  const values = new Float64Array(post.chains * post.iterations);
  parts.forEach((p, c) => {
    values.set(p, c * post.iterations);
  });
  return new ChainSet({ chains: post.chains, iterations: post.iterations, values }, name);
}

describe("snapshots of a chain state", () => {
  it("walk any object of numbers, booleans and typed arrays by sorted key, and restore it exactly", () => {
    const state = {
      z: -0,
      a: [new Float64Array([1, Number.NaN]), new Int32Array([7])],
      m: { on: true, x: Number.POSITIVE_INFINITY },
    };
    const snap = snapshotState(state);
    expect(snap.signature).toBe(
      "a.0 Float64Array 2\na.1 Int32Array 1\nm.on boolean 1\nm.x number 1\nz number 1",
    );
    const fresh = { z: 1, a: [new Float64Array(2), new Int32Array(1)], m: { on: false, x: 0 } };
    restoreState(fresh, snap);
    expect(Object.is(fresh.z, -0)).toBe(true);
    expect(Array.from(fresh.a[0]!)).toEqual([1, Number.NaN]);
    expect(fresh.a[1]![0]).toBe(7);
    expect(fresh.m).toEqual({ on: true, x: Number.POSITIVE_INFINITY });
  });

  it("refuse a state of another shape, naming the first leaf that differs", () => {
    const snap = snapshotState({ b: [new Float64Array(3)] });
    expect(() => restoreState({ b: [new Float64Array(4)] }, snap)).toThrow(
      /b\.0 Float64Array 3.*b\.0 Float64Array 4/,
    );
  });

  it("base64 round-trips every byte", () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) % 256);
    for (const n of [0, 1, 2, 3, 999, 1000])
      expect(fromBase64(toBase64(bytes.subarray(0, n)))).toEqual(bytes.subarray(0, n));
    expect(toBase64(new TextEncoder().encode("Man"))).toBe("TWFu");
    expect(fromBase64("a*==")).toBeUndefined();
  });

  it("a chain restored from a snapshot continues bit-identically (both strategies)", () => {
    for (const strategy of ["joint", "by-factor"] as const) {
      const run = prepareRun(crossed, { iter: 60, warmup: 20, thin: 2, chains: 1, seed: 3, strategy });
      const whole = createChainRunner(run.compiled, run.settings, 0, undefined);
      whole.advance(whole.total);
      const part = createChainRunner(run.compiled, run.settings, 0, undefined);
      part.advance(57);
      const snap = part.snapshot();
      part.advance(1000); // the snapshot is a copy: going on does not change it
      const resumed = createChainRunner(run.compiled, run.settings, 0, undefined, snap);
      expect(resumed.done).toBe(57);
      resumed.advance(resumed.total);
      expect(resumed.result().kept).toEqual(whole.result().kept);
      expect(resumed.result().warmup).toEqual(whole.result().warmup);
    }
  });
});

describe("run to a target", () => {
  it("extends the chains until R-hat and both ESS meet it, and says so", async () => {
    const checks: number[] = [];
    const post = await gibbs(sleep, {
      iter: 200,
      warmup: 100,
      chains: 4,
      seed: 11,
      until: { rhat: 1.01, essBulk: 400, essTail: 400, batch: 200, onCheck: (c) => checks.push(c.draws) },
    });
    expect(post.target?.met).toBe(true);
    expect(post.target?.reason).toBe("met");
    expect(post.iterations).toBeGreaterThan(200); // 200 draws per chain are not enough here
    expect(checks).toEqual(Array.from({ length: checks.length }, (_, i) => 200 + 200 * i));
    expect(post.target?.checks).toBe(checks.length);
    // Every core parameter meets the target, by the diagnostics' own functions.
    const core = post.parameters.filter((p) => !p.startsWith("b["));
    for (const name of core) {
      const set = chainSet(post, name);
      expect(rhat(set)).toBeLessThanOrEqual(1.01);
      expect(essBulk(set)).toBeGreaterThanOrEqual(400);
      expect(essTail(set)).toBeGreaterThanOrEqual(400);
    }
    // ... and the previous check did not (else the run would have stopped there).
    expect(checks.length).toBeGreaterThan(1);
  });

  it("continues each chain's stream: the draws are those of a plain run of that length", async () => {
    const post = await gibbs(sleep, {
      iter: 100,
      warmup: 50,
      chains: 2,
      seed: 4,
      until: { essBulk: 150, essTail: 150, batch: 70 },
    });
    const plain = gibbsSync(sleep, { iter: post.iterations, warmup: 50, chains: 2, seed: 4 });
    expect(post.values).toEqual(plain.values);
    expect(post.warmupDraws.values).toEqual(plain.warmupDraws.values);
    const again = gibbsSync(sleep, {
      iter: 100,
      warmup: 50,
      chains: 2,
      seed: 4,
      until: { essBulk: 150, essTail: 150, batch: 70 },
    });
    expect(again.values).toEqual(post.values);
  });

  it("stops at maxIter, not met, with the worst parameters named; random effects on request", () => {
    const post = gibbsSync(sleep, {
      iter: 50,
      warmup: 20,
      chains: 2,
      seed: 2,
      until: { rhat: 1.0001, essBulk: 1e6, essTail: 1e6, maxIter: 120, batch: 50, randomEffects: true },
    });
    expect(post.iterations).toBe(120);
    expect(post.target).toMatchObject({ met: false, reason: "max-iter", checks: 3, randomEffects: true });
    expect(post.target?.worst?.draws).toBe(120);
    expect(post.randomEffects).toBe("draws");
    expect(post.target?.worst?.essBulk.value).toBeLessThan(1e6);
  });

  it("checks the random effects only when asked", () => {
    const opts = { iter: 100, warmup: 50, chains: 2, seed: 9 } as const;
    let worst = "";
    gibbsSync(sleep, {
      ...opts,
      until: {
        essBulk: 1e9,
        maxIter: 100,
        randomEffects: true,
        onCheck: (c) => (worst = c.essBulk.parameter),
      },
    });
    const all = gibbsSync(sleep, { ...opts, until: { essBulk: 1e9, maxIter: 100, randomEffects: false } });
    expect(all.target?.worst?.essBulk.parameter.startsWith("b[")).toBe(false);
    expect(worst.length).toBeGreaterThan(0);
  });

  it("stops at maxSeconds with what it has, equal chains", async () => {
    const post = await gibbs(sleep, {
      iter: 1_000_000,
      warmup: 10,
      chains: 3,
      seed: 1,
      randomEffects: "draws",
      until: { maxSeconds: 0.3, maxIter: 1_000_000 },
    });
    expect(post.target).toMatchObject({ met: false, reason: "max-seconds" });
    expect(post.iterations).toBeGreaterThan(0);
    expect(post.iterations).toBeLessThan(1_000_000);
    // Promptly: 0.3 s of sampling plus the workers' start-up, which on a machine shared with other
    // jobs has taken 5 s (CI, 2 cores, 3 workers); a run that ignored the limit takes minutes.
    expect(post.seconds).toBeLessThan(15);
    const plain = gibbsSync(sleep, {
      iter: post.iterations,
      warmup: 10,
      chains: 3,
      seed: 1,
      randomEffects: "draws",
    });
    expect(post.values).toEqual(plain.values);
  });

  it("refuses bad targets, naming the field", () => {
    const bad: [unknown, RegExp][] = [
      [5, /options\.until/],
      [{ rhat: 0.9 }, /options\.until\.rhat/],
      [{ essBulk: -1 }, /options\.until\.essBulk/],
      [{ maxIter: 10 }, /options\.until\.maxIter/],
      [{ batch: 1.5 }, /options\.until\.batch/],
      [{ randomEffects: "yes" }, /options\.until\.randomEffects/],
      [{ rhatt: 1 }, /options\.until\.rhatt/],
    ];
    for (const [until, message] of bad)
      expect(() => gibbsSync(sleep, { iter: 50, until: until as never })).toThrow(message);
    expect(() =>
      gibbsSync(sleep, { iter: 50, randomEffects: "summary", until: { randomEffects: true } }),
    ).toThrow(ArgumentError);
  });
});

describe("checkpoints and resume", () => {
  const options = { iter: 300, warmup: 100, thin: 2, chains: 3, seed: 21 } as const;

  it("a run resumed from any checkpoint gives the draws of a run never stopped, to the bit (and through JSON)", async () => {
    const whole = gibbsSync(crossed, options);
    const saved: SamplerCheckpoint[] = [];
    const again = gibbsSync(crossed, {
      ...options,
      onCheckpoint: (c) => saved.push(c),
      checkpointEvery: { iterations: 150 },
    });
    expect(again.values).toEqual(whole.values);
    expect(saved.length).toBeGreaterThanOrEqual(4); // every 150 iterations of 700, and at the end
    for (const cp of [saved[0]!, saved[2]!]) {
      const text = checkpointToJson(cp, { note: "kept" });
      const { checkpoint, extra } = checkpointFromJson(text);
      expect(extra).toEqual({ note: "kept" });
      const resumed = await gibbs(crossed, { ...options, resume: checkpoint });
      expect(resumed.values).toEqual(whole.values);
      expect(resumed.warmupDraws.values).toEqual(whole.warmupDraws.values);
      expect(formatDrawsCsv(resumed)).toBe(formatDrawsCsv(whole));
    }
  });

  it("with a target too: the resumed run stops where the uninterrupted one did", () => {
    const until = { essBulk: 200, essTail: 200, batch: 100 };
    const whole = gibbsSync(sleep, { iter: 100, warmup: 50, chains: 2, seed: 8, until });
    const saved: SamplerCheckpoint[] = [];
    gibbsSync(sleep, {
      iter: 100,
      warmup: 50,
      chains: 2,
      seed: 8,
      until,
      onCheckpoint: (c) => saved.push(c),
      checkpointEvery: { iterations: 90 },
    });
    const mid = saved[Math.floor(saved.length / 2)]!;
    const resumed = gibbsSync(sleep, { iter: 100, warmup: 50, chains: 2, seed: 8, until, resume: mid });
    expect(resumed.iterations).toBe(whole.iterations);
    expect(resumed.values).toEqual(whole.values);
    expect(resumed.target?.met).toBe(whole.target?.met);
  });

  it("refuses a checkpoint of another run, naming what differs", () => {
    let cp: SamplerCheckpoint | undefined;
    gibbsSync(sleep, { iter: 20, warmup: 5, chains: 2, seed: 1, onCheckpoint: (c) => (cp = c) });
    expect(() => gibbsSync(sleep, { iter: 20, warmup: 5, chains: 2, seed: 2, resume: cp! })).toThrow(
      /options\.seed differs/,
    );
    expect(() =>
      gibbsSync(MODELS.sleep_int(), { iter: 20, warmup: 5, chains: 2, seed: 1, resume: cp! }),
    ).toThrow(/the model/);
    expect(() =>
      gibbsSync(sleep, { iter: 20, warmup: 5, chains: 2, seed: 1, resume: { ...cp!, version: 9 } as never }),
    ).toThrow(/options\.resume/);
    expect(() => checkpointFromJson("{}")).toThrow(LmmError);
    expect(() => checkpointFromJson("x")).toThrow(/not JSON/);
  });
});

describe("lock-step on workers", () => {
  it("a target, checkpoints and a stop give the serial run's draws, to the bit", async () => {
    const until = { essBulk: 300, essTail: 300, batch: 150 };
    const options = { iter: 150, warmup: 50, chains: 3, seed: 6, randomEffects: "draws" } as const;
    const serial = gibbsSync(sleep, { ...options, until });
    const saved: SamplerCheckpoint[] = [];
    const onWorkers = await gibbs(sleep, {
      ...options,
      until,
      parallel: 2,
      onCheckpoint: (c) => saved.push(c),
      checkpointEvery: { iterations: 100 },
    });
    expect(onWorkers.values).toEqual(serial.values);
    expect(onWorkers.target).toMatchObject({
      met: serial.target!.met,
      reason: serial.target!.reason,
      checks: serial.target!.checks,
    });
    // A checkpoint taken on workers resumes on this thread (and the other way round).
    const resumed = gibbsSync(sleep, { ...options, until, resume: saved[1]! });
    expect(resumed.values).toEqual(serial.values);
    // A stop on workers keeps equal complete chains, the serial run's.
    const controller = new AbortController();
    const stopped = await gibbs(sleep, {
      ...options,
      iter: 50_000,
      parallel: 2,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.iteration > 2000) controller.abort();
      },
    }).then(
      () => undefined,
      (e: unknown) => e as AbortedError,
    );
    expect(stopped).toBeInstanceOf(AbortedError);
    const n = stopped!.posterior!.iterations;
    expect(n).toBeGreaterThan(1900);
    expect(stopped!.posterior!.values).toEqual(gibbsSync(sleep, { ...options, iter: n }).values);
  }, 60_000);
});

describe("stopping by an AbortSignal", () => {
  it("rejects with an AbortedError carrying equal complete chains and a checkpoint that resumes", async () => {
    const controller = new AbortController();
    const options = { iter: 100_000, warmup: 50, chains: 3, seed: 5, randomEffects: "draws" } as const;
    let calls = 0;
    const run = gibbs(sleep, {
      ...options,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.iteration > 500 && calls++ === 0) controller.abort();
      },
    });
    const error = (await run.catch((e: unknown) => e)) as AbortedError;
    expect(error).toBeInstanceOf(AbortedError);
    expect(error.code).toBe("ABORTED");
    const partial = error.posterior!;
    expect(partial.iterations).toBeGreaterThan(400);
    expect(partial.iterations).toBe(error.done - 50);
    const plain = gibbsSync(sleep, { ...options, iter: partial.iterations });
    expect(partial.values).toEqual(plain.values);
    // The checkpoint continues the run: stop again a little later and compare.
    const later = new AbortController();
    const second = await gibbs(sleep, {
      ...options,
      resume: error.checkpoint!,
      signal: later.signal,
      onProgress: (p) => {
        if (p.iteration > 1500) later.abort();
      },
    }).then(
      () => undefined,
      (e: unknown) => e as AbortedError,
    );
    if (second === undefined) throw new Error("the resumed run was not stopped");
    const n = second.posterior!.iterations;
    expect(n).toBeGreaterThan(partial.iterations);
    expect(second.posterior!.values).toEqual(gibbsSync(sleep, { ...options, iter: n }).values);
  });

  it("in warmup: no posterior, but a checkpoint", () => {
    const controller = new AbortController();
    let error: unknown;
    try {
      gibbsSync(sleep, {
        iter: 10,
        warmup: 100_000,
        chains: 2,
        signal: controller.signal,
        onProgress: () => controller.abort(),
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).posterior).toBeNull();
    expect((error as AbortedError).checkpoint?.chains.length).toBe(2);
  });
});
