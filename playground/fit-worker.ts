/**
 * The playground's fit worker: reads the CSV, builds the model and fits it by REML off the page's
 * thread (the sampler's chains then run on the package's own Web Workers: `gibbs(..., { parallel })`).
 */
import { lmm, parseCsv, reml } from "bayes-lmm";
import type { FitReply, FitRequest } from "./protocol";

/** What this file uses of a dedicated worker's scope (the WebWorker lib conflicts with the DOM's). */
interface FitWorkerScope {
  onmessage: ((event: MessageEvent<FitRequest>) => void) | null;
  postMessage(message: FitReply): void;
}
const scope = globalThis as unknown as FitWorkerScope;

scope.onmessage = (event: MessageEvent<FitRequest>) => {
  const start = performance.now();
  let reply: FitReply;
  try {
    const model = lmm(event.data.formula, parseCsv(event.data.csv));
    const fit = reml(model);
    reply = { type: "fit", model, fit, seconds: (performance.now() - start) / 1000 };
  } catch (error) {
    reply = { type: "error", message: error instanceof Error ? error.message : String(error) };
  }
  scope.postMessage(reply);
};
