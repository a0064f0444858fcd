/**
 * The browser worker's code (./worker-browser bundled into one ES module), as a string: filled in by
 * the browser build (tsdown.config.ts), undefined everywhere else (Node starts dist/worker.mjs).
 */
export const WORKER_SOURCE: string | undefined = undefined;
