/**
 * Makes the HTML reports of the two example models, Exam (65 schools) and InstEval (2,972 students ×
 * 1,128 lecturers × 28 departments-by-service) with the CLI, opens each in headless Chromium, fails on
 * any console error, page error or network request, and saves a full-page screenshot and one of each
 * section that must scale (the comparison table, the convergence warnings, the caterpillar and
 * shrinkage pictures, the model check's posterior predictive pictures). Fails when a table is wider than its card (the page scrolls sideways), or when
 * the InstEval report is over 2 MB or 10.5 screens (900 px each) tall.
 * Each picture is also opened on its own as an `image/svg+xml` document (a strict XML parser: a
 * malformed SVG shows Chromium's XML error page, which this detects). Not part of `npm test`.
 *
 *     npx tsx scripts/screenshot-report.ts [OUT_DIR]      (default: report-screenshots/)
 *
 * Needs Chromium: Debian's `chromium` package (`apt-get install -y chromium`), or set CHROMIUM to
 * the executable's path. playwright-core drives it and downloads no browser of its own.
 */
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { runCli } from "../src/cli/run";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "./chromium";

const out = resolve(process.argv[2] ?? "report-screenshots");
mkdirSync(out, { recursive: true });
const executablePath = CHROMIUM_PATH;

const sampling = ["--iter", "2000", "--warmup", "500", "--chains", "4", "--seed", "1"];

const reports: { name: string; argv: string[]; maxBytes?: number; maxScreens?: number }[] = [
  {
    name: "sleepstudy",
    argv: [
      "--data",
      "examples/sleepstudy.csv",
      "--formula",
      "Reaction ~ Days + (Days | Subject)",
      ...sampling,
    ],
  },
  {
    name: "penicillin",
    argv: [
      "--data",
      "examples/Penicillin.csv",
      "--formula",
      "diameter ~ 1 + (1 | plate) + (1 | sample)",
      ...sampling,
    ],
  },
  {
    name: "exam",
    argv: [
      "--data",
      "test/fixtures/data/Exam.csv",
      "--formula",
      "normexam ~ standLRT + sex + (standLRT | school)",
      ...sampling,
    ],
  },
  {
    // 1,000 kept draws per chain keep the 4,128 random effects' draws (under the 20-million limit).
    name: "insteval",
    argv: [
      "--data",
      "test/fixtures/data/InstEval.csv",
      "--formula",
      "y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept:service)",
      "--iter",
      "1000",
      "--warmup",
      "500",
      "--chains",
      "4",
      "--seed",
      "1",
    ],
    maxBytes: 2 * 1024 * 1024,
    // 8 screens before the model check, which adds pictures of a fixed size (about two screens:
    // the grouped pictures only for a factor of at most 30 levels, at most 1,000 residual dots).
    maxScreens: 10.5,
  },
];

const SCREEN = 900;

async function main(): Promise<number> {
  // playwright starts Chromium with a new, empty profile directory of its own (and removes it after).
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
  let failures = 0;
  try {
    for (const r of reports) {
      const html = join(out, `${r.name}.html`);
      const plots = join(out, r.name);
      const status = await runCli(["report", ...r.argv, "--out", html, "--plots", plots], {
        stdout: () => {},
        stderr: (t) => process.stderr.write(t),
        stderrIsTTY: false,
      });
      if (status !== 0) {
        console.error(`${r.name}: bayes-lmm report exited ${status}`);
        failures++;
        continue;
      }
      const bytes = statSync(html).size;
      const context = await browser.newContext({ viewport: { width: 1200, height: SCREEN } });
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
      const height = await page.evaluate<number>("document.documentElement.scrollHeight");
      const sideways = await page.evaluate<number>(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth",
      );
      if (sideways > 0)
        problems.push(`the page scrolls sideways by ${sideways} px (a table or picture overflows)`);
      if (r.maxBytes !== undefined && bytes > r.maxBytes)
        problems.push(`${(bytes / 1e6).toFixed(2)} MB, over ${(r.maxBytes / 1e6).toFixed(2)} MB`);
      if (r.maxScreens !== undefined && height > r.maxScreens * SCREEN)
        problems.push(`${height} px tall: ${(height / SCREEN).toFixed(1)} screens, over ${r.maxScreens}`);
      const byTitle = (title: RegExp) =>
        page.locator("figure", { has: page.locator("title", { hasText: title }) });
      const sections = [
        ["comparison", page.locator("div.table").nth(2)],
        ["convergence", page.locator("h2#convergence ~ ul.warnings, h2#convergence ~ p.ok").first()],
        ["caterpillar", byTitle(/^Random effects$/)],
        ["shrinkage", byTitle(/^Shrinkage/)],
        ["ppc-density", byTitle(/^Posterior predictive check: densities$/)],
        ["ppc-stat", byTitle(/^Posterior predictive check: test statistics$/)],
        ["ppc-stat-grouped", byTitle(/^Posterior predictive check: mean per /)],
        ["ppc-intervals", byTitle(/^Posterior predictive intervals$/)],
        ["ppc-residuals", byTitle(/^Residuals against fitted values$/)],
      ] as const;
      for (const [label, el] of sections)
        if ((await el.count()) > 0)
          await el.first().screenshot({ path: join(out, `${r.name}-${label}.png`) });
      for (const file of readdirSync(plots).filter((f) => f.endsWith(".svg"))) {
        await page.goto(pathToFileURL(join(plots, file)).href, { waitUntil: "load" });
        const root = await page.evaluate<string>("document.documentElement.nodeName");
        const parseError = await page.evaluate<number>('document.getElementsByTagName("parsererror").length');
        if (root !== "svg" || parseError > 0) problems.push(`${file}: not a well-formed SVG document`);
        if (["trace.svg", "shrinkage.svg", "caterpillar.svg"].includes(file))
          await page.screenshot({ path: join(out, `${r.name}-${file.replace(".svg", "")}.png`) });
      }
      await context.close();
      console.log(
        `${r.name}: ${(bytes / 1e6).toFixed(2)} MB, ${height} px tall (${(height / SCREEN).toFixed(1)} screens of ${SCREEN} px), ${svgs} inline pictures, screenshot ${join(out, `${r.name}.png`)}`,
      );
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
