/**
 * The playground end to end, in headless Chromium (CI runs this; not part of `npm test`): builds
 * playground/dist/index.html, opens it from disk, and drives it as a person would —
 *
 * 1. the sleepstudy example, Run: REML in the fit worker, the chains on Web Workers; the page's REML
 *    summary, posterior summary table and comparison must equal Node's for the same seed (formatted
 *    by the same functions), and the downloaded draws CSV Node's posteriorToCsv byte for byte (so the
 *    browser's draws are Node's to the bit); every picture of the report is shown, the report downloads;
 * 2. a CSV dropped on the page (Penicillin, crossed) with its formula: again equal to Node's;
 * 3. a formula that does not parse: the page shows the FormulaError's message;
 * 4. a long run cancelled mid-way: the page says so and its workers are gone;
 * 5. the page served over http from 127.0.0.1 (an origin, so the sampler's workers are module
 *    workers): the draws CSV again equals Node's;
 *
 * with no console error or warning, no page error and no request leaving the machine. Screenshots
 * go to OUT_DIR.
 *
 *     npx tsx scripts/playground-e2e.ts [OUT_DIR]      (default: playground-screenshots/)
 */
import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import http from "node:http";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { formatCell } from "../playground/format";
import { EXAMPLES } from "../src/examples/index";
import {
  compare,
  fitSummary,
  formatComparison,
  gibbsSync,
  lmm,
  parseCsv,
  posteriorToCsv,
  reml,
  SUMMARY_MEASURES,
  summarizePosterior,
} from "../src/index";
import { buildPlayground } from "./build-playground";
import { launchChromium } from "./chromium";

const out = resolve(process.argv[2] ?? "playground-screenshots");
const failures: string[] = [];
const check = (ok: boolean, message: string) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${message}`);
  if (!ok) failures.push(message);
};

/** Page expressions (strings: this script is compiled without the DOM's types). */
const STATE = "document.body.dataset.state";
const PROGRESS = 'document.getElementById("progress").value';

interface Expected {
  reml: string;
  comparison: string;
  table: string[][];
  csv: string;
}

/** What the page must show, computed in Node with the same seed and the same formatting. */
function expected(
  csv: string,
  formula: string,
  options: { iter: number; warmup: number; chains: number; seed: number },
): Expected {
  const model = lmm(formula, parseCsv(csv));
  const fit = reml(model);
  const post = gibbsSync(model, options);
  const { rows } = summarizePosterior(post);
  return {
    reml: fitSummary(fit),
    comparison: formatComparison(compare(post, fit)),
    table: rows.map((r) => [r.name, ...SUMMARY_MEASURES.map((c) => formatCell(r[c]))]),
    csv: posteriorToCsv(post),
  };
}

async function setSampler(page: Page, o: { iter: number; warmup: number; chains: number; seed: number }) {
  for (const [id, v] of Object.entries(o)) await page.fill(`#${id}`, String(v));
}

async function runAndWait(page: Page, timeout = 180_000): Promise<string> {
  await page.click("#run");
  await page.waitForFunction(
    '["done", "error", "cancelled"].includes(document.body.dataset.state)',
    undefined,
    { timeout },
  );
  return page.evaluate<string>(STATE);
}

async function pageNumbers(page: Page) {
  return {
    reml: await page.locator("#reml").textContent(),
    comparison: await page.locator("#comparison").textContent(),
    table: await page.evaluate<string[][]>(
      'Array.from(document.querySelectorAll("#summary tbody tr"), (tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent))',
    ),
  };
}

async function downloadedText(page: Page, selector: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const path = await download.path();
  return readFileSync(path, "utf8");
}

async function compareWithNode(page: Page, name: string, want: Expected): Promise<void> {
  const got = await pageNumbers(page);
  check(got.reml === want.reml, `${name}: the REML summary is Node's fitSummary`);
  check(got.comparison === want.comparison, `${name}: the comparison is Node's formatComparison`);
  check(
    JSON.stringify(got.table) === JSON.stringify(want.table),
    `${name}: the posterior summary table (${got.table.length} rows × ${SUMMARY_MEASURES.length} measures) is Node's`,
  );
  const csv = await downloadedText(page, "#download-draws");
  check(
    csv === want.csv,
    `${name}: the downloaded draws CSV is Node's posteriorToCsv byte for byte (${csv.length} bytes)`,
  );
}

async function main(): Promise<number> {
  await mkdir(out, { recursive: true });
  const html = await buildPlayground();
  const url = pathToFileURL(html).href;
  const browser = await launchChromium({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const problems: string[] = [];
  const workers: string[] = [];
  try {
    const page = await browser.context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("worker", (w) => workers.push(w.url()));
    browser.context.on("request", (r) => {
      if (!/^(file|blob|data):/.test(r.url()) && !r.url().startsWith("http://127.0.0.1:"))
        problems.push(`request leaving the machine: ${r.url()}`);
    });

    // 1. The sleepstudy example.
    const sleep = EXAMPLES.find((e) => e.name === "sleepstudy")!;
    const options = { iter: 2000, warmup: 500, chains: 4, seed: 7 };
    await page.goto(url, { waitUntil: "load" });
    await page.screenshot({ path: join(out, "1-start.png") });
    await setSampler(page, options);
    check((await page.inputValue("#formula")) === sleep.formula, "the example's formula is filled in");
    const state = await runAndWait(page);
    check(state === "done", `sleepstudy: the run finished (${await page.locator("#status").textContent()})`);
    const samplerWorkers = workers.filter((w) => w.startsWith("blob:")).length;
    check(
      samplerWorkers >= 3,
      `sleepstudy: ${samplerWorkers} workers started (the fit worker and the chains' Web Workers)`,
    );
    await compareWithNode(page, "sleepstudy", expected(sleep.csv, sleep.formula, options));
    const pictures = await page.evaluate<string[]>(
      'Array.from(document.querySelectorAll("#pictures figure"), (f) => f.dataset.picture + ":" + f.querySelectorAll("svg").length)',
    );
    const names = pictures.map((p) => p.split(":")[0]);
    for (const want of [
      "trace",
      "rank",
      "density",
      "autocorrelation",
      "intervals",
      "caterpillar",
      "shrinkage",
    ])
      check(
        names.some((n) => n?.startsWith(want)),
        `sleepstudy: the ${want} picture is shown`,
      );
    check(
      pictures.every((p) => p.endsWith(":1")),
      `sleepstudy: each of the ${pictures.length} pictures is one SVG`,
    );
    const report = await downloadedText(page, "#download-report");
    check(
      /^<!doctype html/i.test(report) && (report.match(/<svg/g)?.length ?? 0) >= pictures.length,
      `sleepstudy: the report downloads (${(report.length / 1024).toFixed(0)} KB, every picture in it)`,
    );
    await page.evaluate("window.scrollTo(0, 0)");
    await page.screenshot({ path: join(out, "2-sleepstudy-top.png") });
    await page.evaluate('document.getElementById("summary").scrollIntoView()');
    await page.screenshot({ path: join(out, "3-sleepstudy-summary.png") });
    await page
      .locator('figure[data-picture="trace"]')
      .screenshot({ path: join(out, "3-sleepstudy-trace.png") });
    await page.screenshot({ path: join(out, "3-sleepstudy-full.png"), fullPage: true });

    // 2. A CSV dropped on the page.
    const penicillin = EXAMPLES.find((e) => e.name === "Penicillin")!;
    const csvPath = resolve("examples/Penicillin.csv");
    // What a drop of the file gives the page: a DataTransfer holding it.
    const transfer = await page.evaluateHandle(
      `(() => { const dt = new DataTransfer(); dt.items.add(new File([${JSON.stringify(readFileSync(csvPath, "utf8"))}], "Penicillin.csv", { type: "text/csv" })); return dt; })()`,
    );
    await page.dispatchEvent("#drop", "drop", { dataTransfer: transfer });
    await page.waitForFunction(
      'document.getElementById("data-info").textContent.startsWith("Penicillin.csv")',
    );
    check(
      (await page.locator("#data-info").textContent())?.includes("144 rows") === true,
      "the dropped CSV is read (144 rows)",
    );
    await page.fill("#formula", penicillin.formula);
    const small = { iter: 1000, warmup: 200, chains: 3, seed: 11 };
    await setSampler(page, small);
    check((await runAndWait(page)) === "done", "Penicillin (dropped): the run finished");
    await compareWithNode(page, "Penicillin (dropped)", expected(penicillin.csv, penicillin.formula, small));
    await page.evaluate('document.getElementById("summary").scrollIntoView()');
    await page.screenshot({ path: join(out, "4-penicillin-dropped.png") });

    // 3. A formula that does not parse.
    await page.selectOption("#example", "sleepstudy");
    await page.fill("#formula", "Reaction ~ Days + (Days | )");
    check((await runAndWait(page)) === "error", "a bad formula ends in the error state");
    const message = (await page.locator("#status").textContent()) ?? "";
    check(/invalid formula\..*column/.test(message), `the page shows the FormulaError: "${message}"`);
    await page.screenshot({ path: join(out, "5-bad-formula.png") });

    // 4. Cancel a long run.
    await page.fill("#formula", sleep.formula);
    await setSampler(page, { iter: 2_000_000, warmup: 1000, chains: 4, seed: 1 });
    await page.click("#run");
    await page.waitForFunction(`${PROGRESS} > 0.002`, undefined, {
      timeout: 120_000,
    });
    await page.screenshot({ path: join(out, "6-sampling.png") });
    const before = workers.length;
    await page.click("#cancel");
    await page.waitForFunction(`${STATE} === "cancelled"`);
    const progress = await page.evaluate<number>(PROGRESS);
    await page.waitForTimeout(500);
    check(
      (await page.evaluate<string>(STATE)) === "cancelled" && progress === 0,
      "Cancel stops the run: the page says Cancelled and the progress bar resets",
    );
    for (let i = 0; i < 50 && page.workers().length > 0; i++) await page.waitForTimeout(100);
    check(
      page.workers().length === 0,
      `after Cancel no worker is left (${page.workers().length} running; the run had started ${before} in all)`,
    );
    await page.screenshot({ path: join(out, "7-cancelled.png") });

    // 5. Over http (an origin: module workers).
    const server = http
      .createServer((req, res) => {
        if (req.url !== "/" && req.url !== "/index.html") {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(readFileSync(html));
      })
      .listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    try {
      const port = (server.address() as { port: number }).port;
      await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: "load" });
      await setSampler(page, options);
      check((await runAndWait(page)) === "done", "over http (module workers): the run finished");
      const csv = await downloadedText(page, "#download-draws");
      check(
        csv === expected(sleep.csv, sleep.formula, options).csv,
        "over http (module workers): the draws CSV is Node's byte for byte",
      );
    } finally {
      server.close();
    }
  } finally {
    await browser.close();
  }
  check(
    problems.length === 0,
    `no console error or warning, page error or outside request${problems.length ? `: ${problems.join("; ")}` : ""}`,
  );
  console.log(`screenshots in ${out}`);
  console.log(
    `\n${failures.length === 0 ? "playground e2e: all passed" : `playground e2e: ${failures.length} failed`}`,
  );
  return failures.length === 0 ? 0 : 1;
}

process.exit(await main());
