/**
 * Makes the README's picture of the report (examples/report.png): the sleepstudy report of the
 * README's first command, its top 1,280 × 1,500 pixels, rendered by headless Chromium. Run it by hand
 * after the report changes (CI does not: the picture is committed).
 *
 *     npx tsx scripts/readme-picture.ts
 *
 * Needs Chromium (Debian's `chromium`, or CHROMIUM=/path/to/chrome).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { sleepstudy } from "../src/examples/index";
import { buildReport, gibbs, lmm, parseCsv, reml } from "../src/index";
import { launchChromium } from "./chromium";

const model = lmm("Reaction ~ Days + (Days | Subject)", parseCsv(sleepstudy));
const posterior = await gibbs(model, { iter: 5000, seed: 1 });
const dir = mkdtempSync(join(tmpdir(), "bayes-lmm-picture-"));
const html = join(dir, "report.html");
writeFileSync(html, buildReport({ model, fit: reml(model), posterior }).html);
const browser = await launchChromium({ viewport: { width: 1280, height: 1500 } });
try {
  const page = await browser.context.newPage();
  await page.goto(pathToFileURL(html).href, { waitUntil: "load" });
  await page.screenshot({ path: "examples/report.png" });
  console.log("wrote examples/report.png");
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
