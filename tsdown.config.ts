import { defineConfig } from "tsdown";

export default defineConfig({
  // index: the browser-safe main entry; node: file reading and writing (bayes-lmm/node).
  // worker: the Gibbs sampler's worker-thread entry, found beside the bundle as dist/worker.mjs
  // (samplers/parallel.ts).
  entry: {
    index: "src/index.ts",
    node: "src/node/index.ts",
    cli: "src/cli/main.ts",
    worker: "samplers/worker.ts",
  },
  format: "esm",
  platform: "node",
  target: "node20",
  dts: true,
  sourcemap: true,
  clean: true,
});
