/**
 * The sampler's worker-thread entry (Node): runs the chains it is given with the same code as a
 * serial run and posts progress and results (typed arrays transferred, not copied).
 */
import { parentPort, workerData } from "node:worker_threads";
import { LmmError } from "../src/errors";
import { createChainRunner } from "./chain";
import type { WorkerInput, WorkerMessage } from "./worker-protocol";

const port = parentPort;
if (port === null) throw new Error("samplers/worker must run in a worker thread");
const input = workerData as WorkerInput;
const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

try {
  input.chains.forEach((chain, k) => {
    const runner = createChainRunner(input.model, input.settings, chain, input.inits[k]);
    while (runner.done < runner.total) {
      runner.advance(input.progressEvery);
      post({ type: "progress", chain, iteration: runner.done });
    }
    const result = runner.result();
    post({ type: "result", result }, [
      result.kept.buffer as ArrayBuffer,
      result.warmup.buffer as ArrayBuffer,
      result.randomEffectsMean.buffer as ArrayBuffer,
      result.randomEffectsM2.buffer as ArrayBuffer,
    ]);
  });
} catch (error) {
  post({
    type: "error",
    code: error instanceof LmmError ? error.code : "",
    message: error instanceof Error ? error.message : String(error),
  });
}
