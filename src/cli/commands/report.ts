/**
 * `bayes-lmm report`: fits the model by REML and by the Gibbs sampler and writes one self-contained
 * HTML file (CLI.md) — the model, a data summary, the posterior beside the REML fit, the convergence
 * summary with its warnings, and every picture as inline SVG.
 *
 *     bayes-lmm report --data FILE.csv --formula "..." [sample flags] --out report.html [--plots DIR] [--ml]
 */
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { formatComparison } from "../../../diagnostics/compare";
import { buildReport } from "../../../diagnostics/report/report";
import { gibbs } from "../../../samplers/gibbs";
import { DataError } from "../../errors";
import { lmm } from "../../model/lmm";
import { readCsvFile } from "../../node/data-file";
import type { PriorSpec } from "../../priors/types";
import { fitLmm } from "../../reml/fit";
import { type Command, integerFlag, optionalString, requiredString } from "../command";
import { readPriorsFile } from "./sample";

function checkFolder(path: string, what: string): void {
  const dir = dirname(path);
  let ok = false;
  try {
    ok = statSync(dir).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new DataError("FILE", `cannot write ${what} \`${path}\`: folder \`${dir}\` does not exist.`);
}

export const reportCommand: Command = {
  name: "report",
  summary: "write a one-file HTML report: posterior beside REML, diagnostics, pictures",
  usage: `Usage: bayes-lmm report --data FILE.csv --formula "y ~ x + (x | g)" --out report.html [flags]

Fits the model by REML and samples its posterior, then writes one self-contained HTML file (inline
SVG and CSS, no script, no external request): the model, a data summary, the posterior beside the
REML fit, the convergence summary with its warnings, trace, rank, density, autocorrelation,
caterpillar and shrinkage plots. Prints the comparison table as text.

Flags:
  --data FILE       CSV file with a header row
  --formula TEXT    lme4 model formula
  --out FILE        the HTML file to write
  --plots DIR       also write every picture as DIR/NAME.svg (the folder is created)
  --ml              compare with the ML fit instead of REML
  --priors FILE     priors.json (as for \`bayes-lmm sample\`)
  --iter N          draws kept per chain, after warmup (default 5000)
  --warmup N        warmup iterations per chain (default 1000)
  --chains N        number of chains (default 4)
  --thin N          keep every N-th iteration (default 1)
  --seed N          seed (default 1)
`,
  options: {
    data: { type: "string" },
    formula: { type: "string" },
    out: { type: "string" },
    plots: { type: "string" },
    ml: { type: "boolean" },
    priors: { type: "string" },
    iter: { type: "string" },
    warmup: { type: "string" },
    chains: { type: "string" },
    thin: { type: "string" },
    seed: { type: "string" },
  },
  async run(flags, io) {
    const dataPath = requiredString(flags, "data");
    const formula = requiredString(flags, "formula");
    const out = requiredString(flags, "out");
    const plotsDir = optionalString(flags, "plots");
    const iter = integerFlag(flags, "iter", 5000, 1);
    const warmup = integerFlag(flags, "warmup", 1000, 0);
    const chains = integerFlag(flags, "chains", 4, 1, 1024);
    const thin = integerFlag(flags, "thin", 1, 1);
    const seed = integerFlag(flags, "seed", 1, -(2 ** 53 - 1), 2 ** 53 - 1);
    const priorsPath = optionalString(flags, "priors");
    const priors = priorsPath === undefined ? undefined : readPriorsFile(priorsPath);
    checkFolder(out, "report");
    if (plotsDir !== undefined) checkFolder(plotsDir, "pictures into");
    const model = lmm(formula, readCsvFile(dataPath));
    for (const w of model.warnings) io.stderr(`bayes-lmm: warning: ${w}\n`);
    const fit = fitLmm(model, { method: flags["ml"] === true ? "ML" : "REML" });
    const posterior = await gibbs(model, {
      iter,
      warmup,
      chains,
      thin,
      seed,
      ...(priors === undefined ? {} : { priors: priors as PriorSpec }),
    });
    const report = buildReport({ model, fit, posterior, dataName: basename(dataPath) });
    for (const w of report.summary.warnings) io.stderr(`bayes-lmm: warning: ${w.message}\n`);
    writeFileSync(out, report.html);
    if (plotsDir !== undefined) {
      mkdirSync(plotsDir, { recursive: true });
      for (const [name, svg] of Object.entries(report.pictures))
        writeFileSync(join(plotsDir, `${name}.svg`), svg);
    }
    io.stdout(formatComparison(report.comparison));
    io.stdout(
      `\nwrote ${out}${plotsDir === undefined ? "" : ` and ${Object.keys(report.pictures).length} pictures in ${plotsDir}`}\n`,
    );
  },
};
