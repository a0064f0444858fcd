#!/usr/bin/env node
/**
 * The `bayes-lmm` executable (package.json "bin"): runs the command line on this process's arguments.
 */
import type { CliIO } from "./command";
import { runCli } from "./run";

const io: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
};

runCli(process.argv.slice(2), io).then(
  (status) => {
    process.exitCode = status;
  },
  () => {
    process.exitCode = 1;
  },
);
