#!/usr/bin/env node
/**
 * The `bayes-lmm` executable (package.json "bin"): runs the command line on this process's arguments.
 *
 * Standard output that cannot be written (a full disk, `> /dev/full`, a closed pipe) is one line on
 * standard error and exit status 1 — not Node's "Unhandled 'error' event" stack trace. A closed
 * pipe (`bayes-lmm ... | head`) ends the run quietly: whoever read the output wanted no more.
 */
import { fileErrorReason } from "../node/atomic";
import type { CliIO } from "./command";
import { runCli } from "./run";

let outputFailed = false;

function onStdoutError(error: NodeJS.ErrnoException): void {
  if (outputFailed) return;
  outputFailed = true;
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  try {
    process.stderr.write(`bayes-lmm: cannot write standard output: ${fileErrorReason(error)}.\n`);
  } catch {
    // standard error is gone too: the exit status still says it
  }
  process.exit(1);
}

process.stdout.on("error", onStdoutError);
process.stderr.on("error", () => {
  // nothing left to report to
});

const io: CliIO = {
  stdout: (text) => {
    if (!outputFailed) process.stdout.write(text);
  },
  stderr: (text) => {
    process.stderr.write(text);
  },
  stderrIsTTY: process.stderr.isTTY === true,
};

runCli(process.argv.slice(2), io).then(
  (status) => {
    process.exitCode = outputFailed ? 1 : status;
  },
  () => {
    process.exitCode = 1;
  },
);
