/**
 * Makes the HTML reports of the two example models with the CLI, opens each in headless Chromium,
 * fails on any console error, page error or network request, and saves a full-page screenshot.
 * Each picture is also opened on its own as an `image/svg+xml` document (a strict XML parser: a
 * malformed SVG shows Chromium's XML error page, which this detects). Not part of `npm test`.
 *
 *     npx tsx scripts/screenshot-report.ts [OUT_DIR]      (default: report-screenshots/)
 *
 * Needs Chromium: Debian's `chromium` package (`apt-get install -y chromium`), or set CHROMIUM to
 * the executable's path. playwright-core drives it and downloads no browser of its own.
 */
import { mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { runCli } from "../src/cli/run";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "./chromium";

const out = resolve(process.argv[2] ?? "report-screenshots");
mkdirSync(out, { recursive: true });
const executablePath = CHROMIUM_PATH;

const reports = [
  {
    name: "sleepstudy",
    argv: ["--data", "examples/sleepstudy.csv", "--formula", "Reaction ~ Days + (Days | Subject)"],
  },
  {
    name: "penicillin",
    argv: ["--data", "examples/Penicillin.csv", "--formula", "diameter ~ 1 + (1 | plate) + (1 | sample)"],
  },
];

const sampling = ["--iter", "2000", "--warmup", "500", "--chains", "4", "--seed", "1"];

async function main(): Promise<number> {
  // playwright starts Chromium with a new, empty profile directory of its own (and removes it after).
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
  let failures = 0;
  try {
    for (const r of reports) {
      const html = join(out, `${r.name}.html`);
      const plots = join(out, r.name);
      const status = await runCli(["report", ...r.argv, ...sampling, "--out", html, "--plots", plots], {
        stdout: () => {},
        stderr: (t) => process.stderr.write(t),
        stderrIsTTY: false,
      });
      if (status !== 0) {
        console.error(`${r.name}: bayes-lmm report exited ${status}`);
        failures++;
        continue;
      }
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      page.on("request", (req) => {
        if (!req.url().startsWith("file:")) problems.push(`external request: ${req.url()}`);
      });
      await page.goto(pathToFileURL(html).href, { waitUntil: "load" });
      const svgs = await page.locator("svg").count();
      await page.screenshot({ path: join(out, `${r.name}.png`), fullPage: true });
      for (const file of readdirSync(plots).filter((f) => f.endsWith(".svg"))) {
        await page.goto(pathToFileURL(join(plots, file)).href, { waitUntil: "load" });
        const root = await page.evaluate<string>("document.documentElement.nodeName");
        const parseError = await page.evaluate<number>('document.getElementsByTagName("parsererror").length');
        if (root !== "svg" || parseError > 0) problems.push(`${file}: not a well-formed SVG document`);
        if (file === "trace.svg" || file === "shrinkage.svg")
          await page.screenshot({ path: join(out, `${r.name}-${file.replace(".svg", "")}.png`) });
      }
      await context.close();
      console.log(`${r.name}: ${svgs} inline pictures, screenshot ${join(out, `${r.name}.png`)}`);
      for (const p of problems) console.error(`${r.name}: ${p}`);
      failures += problems.length;
    }
  } finally {
    await browser.close();
  }
  console.log(failures === 0 ? "no console errors, no external requests" : `${failures} problem(s)`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
