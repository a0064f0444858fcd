/**
 * The worker side of ./worker-protocol, shared by the Node entry (./worker) and the browser entry
 * (./worker-browser): waits for one "run" message, runs its chains with `runChain` (the code of a
 * serial run, so the draws are the same to the bit) and posts progress and results back.
 */
import { LmmError } from "../src/errors";
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
export function serveChains(endpoint: WorkerEndpoint): void {
  endpoint.listen((message) => {
    if (message.type !== "run") return;
    try {
      for (const task of message.tasks) {
        // Chains run synchronously: a message that must act mid-run (issue 17's interrupts and
        // checkpoints) would be looked for here, between progress slices (see ./worker-protocol).
        const result = runChain(task, {
          progressEvery: message.progressEvery,
          onProgress: (iteration) => endpoint.post({ type: "progress", chain: task.chain, iteration }),
        });
        endpoint.post({ type: "result", result }, transferablesOf(result));
      }
    } catch (error) {
      endpoint.post({
        type: "error",
        code: error instanceof LmmError ? error.code : "",
        message: error instanceof Error ? error.message : String(error),
      });
    }
  });
}
