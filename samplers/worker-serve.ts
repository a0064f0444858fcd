/**
 * The worker side of ./worker-protocol, shared by the Node entry (./worker) and the browser entry
 * (./worker-browser): waits for one "run" message, runs its chains with `runChain` (the code of a
 * serial run, so the draws are the same to the bit) and posts progress and results back.
 */
import { LmmError } from "../src/errors";
import { type ChainRunner, createChainRunner } from "./chain";
import { runChain, transferablesOf } from "./chains";
import type { FromWorker, ToWorker } from "./worker-protocol";

/** The two things a worker entry must give: how to post to the main thread and how to listen. */
export interface WorkerEndpoint {
  post(message: FromWorker, transfer?: ArrayBuffer[]): void;
  listen(handler: (message: ToWorker) => void): void;
}

/**
 * Serves the sampler protocol on `endpoint`.
 *
 * @param endpoint - the worker's port (Node's `parentPort`, a Web Worker's global scope)
 */
/** Iterations a lock-step advance gives each chain in turn. */
const SLICE = 10;

export function serveChains(endpoint: WorkerEndpoint): void {
  let open: ChainRunner[] = [];
  const fail = (error: unknown) =>
    endpoint.post({
      type: "error",
      code: error instanceof LmmError ? error.code : "",
      message: error instanceof Error ? error.message : String(error),
    });
  endpoint.listen((message) => {
    try {
      if (message.type === "open") {
        open = message.tasks.map((task, i) =>
          createChainRunner(task.model, task.settings, task.chain, task.init, message.snapshots[i]),
        );
        return;
      }
      if (message.type === "advance") {
        const start = performance.now();
        let reported = start;
        for (const runner of open) if (message.iter > runner.iter) runner.extend(message.iter);
        const target = (r: ChainRunner) => Math.min(message.to, r.total);
        const report = () => {
          for (const r of open) endpoint.post({ type: "progress", chain: r.chain, iteration: r.done });
        };
        // The worker's chains in lock-step too, a slice each, with progress about every 0.1 s.
        while (open.some((r) => r.done < target(r))) {
          for (const r of open) r.advance(Math.min(SLICE, target(r) - r.done));
          if (performance.now() - reported > 100) {
            reported = performance.now();
            report();
          }
        }
        report();
        endpoint.post({ type: "advanced", seconds: (performance.now() - start) / 1000 });
        return;
      }
      if (message.type === "snapshot") {
        const snapshots = open.map((r) => r.snapshot());
        endpoint.post(
          { type: "snapshots", snapshots },
          snapshots.flatMap((s) =>
            [s.kept, s.warmup, s.randomEffectsMean, s.randomEffectsM2, s.state.bytes].map(
              (a) => a.buffer as ArrayBuffer,
            ),
          ),
        );
        return;
      }
      if (message.type !== "run") return;
      for (const task of message.tasks) {
        const result = runChain(task, {
          progressEvery: message.progressEvery,
          onProgress: (iteration) => endpoint.post({ type: "progress", chain: task.chain, iteration }),
        });
        endpoint.post({ type: "result", result }, transferablesOf(result));
      }
    } catch (error) {
      fail(error);
    }
  });
}
