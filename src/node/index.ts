/**
 * bayes-lmm/node — the Node-only entry: reading and writing files. The main entry (`bayes-lmm`) is
 * browser-safe and imports no `node:` module; everything that touches the file system lives here.
 *
 *     import { lmm, gibbs } from "bayes-lmm";
 *     import { readCsvFile, writeDrawsCsv } from "bayes-lmm/node";
 */
export { readCsvFile } from "./data-file";
export { readDrawsCsv, writeDrawsCsv } from "./draws-file";
export { writeInferenceData } from "./inference-data-file";
