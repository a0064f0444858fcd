/**
 * The sampler's worker-thread entry (Node; built to dist/worker.mjs): ./worker-serve on this
 * thread's `parentPort`.
 */
import { parentPort } from "node:worker_threads";
import type { FromWorker, ToWorker } from "./worker-protocol";
import { serveChains } from "./worker-serve";

const port = parentPort;
if (port === null) throw new Error("samplers/worker must run in a worker thread");
serveChains({
  post: (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer),
  listen: (handler: (message: ToWorker) => void) => port.on("message", handler),
});
