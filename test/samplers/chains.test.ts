/**
 * Chains run anywhere and merged (samplers/chains.ts), and `parallel` never silently ignored
 * (samplers/parallel.ts): chainTasks → runChain (here, and in a worker thread of our own, as a user
 * would) → mergeChains gives gibbs' posterior to the bit; bad merges are typed errors.
 */
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { type ChainTaskResult, chainTasks, mergeChains, runChain } from "../../samplers/chains";
import { gibbs, gibbsSync } from "../../samplers/gibbs";
import { parallelOption, type ThreadPlatform, workerCount } from "../../samplers/parallel";
import type { Posterior } from "../../src/draws/posterior";
import { ArgumentError } from "../../src/errors";
import { MODELS } from "./models";

function identical(a: Posterior, b: Posterior): boolean {
  if (a.parameters.join() !== b.parameters.join() || a.values.length !== b.values.length) return false;
  if (!a.values.every((v, i) => Object.is(v, b.values[i]))) return false;
  return a.warmupDraws.values.every((v, i) => Object.is(v, b.warmupDraws.values[i]));
}

const options = { iter: 200, warmup: 50, chains: 3, seed: 11 } as const;

describe("chainTasks, runChain, mergeChains", () => {
  it("give gibbs' draws, with the chains run in any order", () => {
    for (const model of [MODELS.sleep_slope(), MODELS.penicillin()]) {
      const tasks = chainTasks(model, options);
      expect(tasks.map((t) => t.chain)).toEqual([0, 1, 2]);
      const results = tasks.reverse().map((t) => runChain(structuredClone(t)));
      expect(identical(mergeChains(model, options, results), gibbsSync(model, options))).toBe(true);
    }
  });

  it("a worker thread of one's own runs a task as posted (structured clone, arrays transferred)", async () => {
    const model = MODELS.sleep_slope();
    const tasks = chainTasks(model, options);
    // The worker's whole code: import runChain, run the task it is sent, post the result back.
    const code = `
      const { parentPort } = require("node:worker_threads");
      parentPort.once("message", async ({ entry, task }) => {
        const api = await import("tsx/esm/api");
        const { runChain } = await api.tsImport(entry, ${JSON.stringify(import.meta.url)});
        const result = runChain(task);
        parentPort.postMessage(result, [result.kept.buffer, result.warmup.buffer]);
      });`;
    const entry = new URL("../../samplers/chains.ts", import.meta.url).href;
    const results = await Promise.all(
      tasks.map(
        (task) =>
          new Promise<ChainTaskResult>((resolve, reject) => {
            const worker = new Worker(code, { eval: true });
            worker.once("message", (r: ChainTaskResult) => {
              resolve(r);
              void worker.terminate();
            });
            worker.once("error", reject);
            worker.postMessage({ entry, task });
          }),
      ),
    );
    expect(identical(mergeChains(model, options, results), gibbsSync(model, options))).toBe(true);
  });

  it("progress is reported every progressEvery iterations and at the end", () => {
    const [task] = chainTasks(MODELS.dyestuff(), { iter: 30, warmup: 10, chains: 1 });
    const seen: number[] = [];
    runChain(task!, { progressEvery: 15, onProgress: (i, total) => seen.push(i, total) });
    expect(seen).toEqual([15, 40, 30, 40, 40, 40]);
  });

  it("refuses what is not a merge of the run's chains", () => {
    const model = MODELS.dyestuff();
    const results = chainTasks(model, options).map((t) => runChain(t));
    const other = chainTasks(model, { ...options, seed: 12 }).map((t) => runChain(t));
    const bigger = chainTasks(MODELS.sleep_slope(), options).map((t) => runChain(t));
    const cases: [ChainTaskResult[], RegExp][] = [
      [results.slice(0, 2), /`results` must hold one result per chain \(3\)/],
      [[results[0]!, results[0]!, results[2]!], /`results\[1\]\.chain` must not repeat/],
      [[results[0]!, other[1]!, results[2]!], /`results\[1\]\.settings\.seed` must be the options' seed/],
      [
        [results[0]!, bigger[1]!, results[2]!],
        /`results\[1\]\.kept` must be a Float64Array of .* another model/,
      ],
    ];
    for (const [input, message] of cases) {
      expect(() => mergeChains(model, options, input)).toThrow(ArgumentError);
      expect(() => mergeChains(model, options, input)).toThrow(message);
    }
    expect(() => runChain({} as never)).toThrow(/`task` must be one of chainTasks/);
  });
});

describe("parallel is never silently ignored", () => {
  const none: ThreadPlatform = {
    kind: "Web Workers",
    unavailable: () => "this runtime has no Worker",
    cores: async () => 8,
    memory: async () => undefined,
    spawn: () => Promise.reject(new Error("no workers")),
  };
  const eight: ThreadPlatform = { ...none, unavailable: () => undefined };

  it("options.parallel is checked", () => {
    expect(parallelOption(undefined)).toBe("auto");
    expect(parallelOption(0)).toBe(false);
    expect(parallelOption(3)).toBe(3);
    for (const bad of [-1, 1.5, "yes", null]) expect(() => parallelOption(bad)).toThrow(ArgumentError);
  });

  it("true or a number where no worker can start is an error; auto and false run here", async () => {
    await expect(workerCount(true, 4, () => 100, none)).rejects.toThrow(
      /`options.parallel` asks for Web Workers, which cannot be started here \(this runtime has no Worker\)/,
    );
    await expect(workerCount(2, 4, () => 100, none)).rejects.toThrow(ArgumentError);
    expect(await workerCount("auto", 4, () => 100, none)).toBe(0);
    expect(await workerCount(false, 4, () => 100, eight)).toBe(0);
  });

  it("how many workers: min(chains, cores or the number asked); true uses one even for one chain", async () => {
    expect(await workerCount(true, 4, () => 0, eight)).toBe(4);
    expect(await workerCount(true, 1, () => 0, eight)).toBe(1);
    expect(await workerCount(3, 16, () => 0, eight)).toBe(3);
    expect(await workerCount("auto", 4, () => 0.1, eight)).toBe(0);
    expect(await workerCount("auto", 4, () => 10, eight)).toBe(4);
    expect(await workerCount("auto", 1, () => 10, eight)).toBe(0);
  });

  it("gibbsSync refuses parallel: true (it runs on this thread), gibbs refuses a bad value", async () => {
    const model = MODELS.dyestuff();
    expect(() => gibbsSync(model, { iter: 10, parallel: true })).toThrow(
      /must be false or "auto" for gibbsSync/,
    );
    expect(() => gibbsSync(model, { iter: 10, parallel: 2 })).toThrow(ArgumentError);
    expect(gibbsSync(model, { iter: 10, warmup: 0, parallel: 0 }).iterations).toBe(10);
    await expect(gibbs(model, { iter: 10, parallel: -2 })).rejects.toThrow(ArgumentError);
  });

  it("one chain with parallel: true runs on a worker thread, with the serial draws", async () => {
    const model = MODELS.dyestuff();
    const one = { iter: 100, warmup: 20, chains: 1, seed: 3 } as const;
    expect(identical(await gibbs(model, { ...one, parallel: true }), gibbsSync(model, one))).toBe(true);
  });
});
