/**
 * The sampler's module Web Worker entry (browsers): ./worker-serve on the worker's global scope.
 * The browser build bundles it into one string (./worker-source) that ./threads.browser starts from
 * a Blob URL, so that no bundler has to find or copy a worker file.
 */

import type { FromWorker, ToWorker } from "./worker-protocol";
import { serveChains } from "./worker-serve";

/** What this file uses of a dedicated worker's global scope (the DOM's types are not in our lib). */
interface WorkerScope {
  postMessage(message: FromWorker, transfer: ArrayBuffer[]): void;
  addEventListener(type: "message", listener: (event: { data: ToWorker }) => void): void;
}

const scope = globalThis as unknown as WorkerScope;
serveChains({
  post: (message, transfer = []) => scope.postMessage(message, transfer),
  listen: (handler) => scope.addEventListener("message", (event) => handler(event.data)),
});
