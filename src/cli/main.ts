#!/usr/bin/env node
/**
 * The `bayes-lmm` executable (package.json "bin"): runs the command line on this process's arguments
 * (standard output that cannot be written is one line and exit 1: ./streams.ts).
 */
import { runCli } from "./run";
import { streamIO } from "./streams";

const { io, failed } = streamIO(process.stdout, process.stderr, (status) => {
  process.exit(status ?? process.exitCode ?? 0);
});

runCli(process.argv.slice(2), io).then(
  (status) => {
    process.exitCode = failed() ? 1 : status;
  },
  () => {
    process.exitCode = 1;
  },
);
