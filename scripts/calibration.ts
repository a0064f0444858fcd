/**
 * Simulation-based calibration and the Geweke joint distribution test of the Gibbs sampler
 * (./calibration-lib.ts says what they are and on which designs):
 *
 *     npx tsx scripts/calibration.ts            # R = 1000 replications, Geweke 200,000 iterations (~40 s)
 *     npx tsx scripts/calibration.ts --quick    # R = 200, Geweke 100,000
 *     npx tsx scripts/calibration.ts --json out.json
 *
 * Prints markdown tables; exits 1 if any p-value is at or below 0.001.
 */
import { writeFileSync } from "node:fs";
import type { StrategyOption } from "../samplers/compile";
import {
  BINS,
  type Design,
  designA,
  designB,
  designC,
  geweke,
  L_DRAWS,
  sbc,
  withAr1,
  withVarIdent,
  withWeights,
} from "./calibration-lib";

function main(): void {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick");
  const jsonAt = args.indexOf("--json");
  const reps = quick ? 200 : 1000;
  const gewekeIterations = quick ? 100_000 : 200_000;
  const runs: [Design, StrategyOption][] = [
    [designA(), "auto"],
    [designB(), "joint"],
    [designB(), "by-factor"],
    [designC(), "by-factor"],
    [withWeights(designA()), "auto"],
    [withWeights(designB()), "by-factor"],
    [withVarIdent(designA()), "auto"],
    [withVarIdent(designB()), "by-factor"],
    [withAr1(designA()), "auto"],
    [withAr1(designB()), "by-factor"],
  ];
  const sbcResults = runs.map(([d, s]) => sbc(d, s, reps, 10));
  const gewekeResults = runs.map(([d, s]) => geweke(d, s, gewekeIterations));
  let failed = false;
  const out: string[] = [];
  out.push(
    `## Simulation-based calibration (${reps} replications, ranks among ${L_DRAWS} draws thinned by 10, ${BINS} bins)`,
    "",
  );
  out.push("| design | strategy | parameter | chi-square (9 df) | p |", "|---|---|---|---:|---:|");
  for (const r of sbcResults)
    for (const p of r.parameters) {
      if (!(p.p > 0.001)) failed = true;
      out.push(`| ${r.design} | ${r.strategy} | \`${p.name}\` | ${p.chi2.toFixed(2)} | ${p.p.toFixed(3)} |`);
    }
  out.push(
    "",
    `## Geweke (2004) joint distribution test (${gewekeIterations} iterations per simulator, 100 batch means)`,
    "",
  );
  out.push(
    "| design | strategy | test function | prior mean | successive-conditional | z | p |",
    "|---|---|---|---:|---:|---:|---:|",
  );
  for (const r of gewekeResults)
    for (const f of r.functions) {
      if (!(f.p > 0.001)) failed = true;
      out.push(
        `| ${r.design} | ${r.strategy} | \`${f.name}\` | ${f.prior.toPrecision(4)} | ${f.successive.toPrecision(4)} | ${f.z.toFixed(2)} | ${f.p.toFixed(3)} |`,
      );
    }
  const sbcMin = Math.min(...sbcResults.flatMap((r) => r.parameters.map((p) => p.p)));
  const gewekeMin = Math.min(...gewekeResults.flatMap((r) => r.functions.map((f) => f.p)));
  const seconds = [...sbcResults, ...gewekeResults].reduce((s, r) => s + r.seconds, 0);
  out.push(
    "",
    `smallest SBC p = ${sbcMin.toFixed(4)}, smallest Geweke p = ${gewekeMin.toFixed(4)}; ${seconds.toFixed(1)} s in all`,
  );
  out.push(failed ? "FAILED: a p-value is at or below 0.001" : "PASSED: every p-value above 0.001");
  process.stdout.write(`${out.join("\n")}\n`);
  if (jsonAt >= 0 && args[jsonAt + 1] !== undefined)
    writeFileSync(args[jsonAt + 1]!, JSON.stringify({ sbc: sbcResults, geweke: gewekeResults }, null, 2));
  process.exitCode = failed ? 1 : 0;
}

main();
