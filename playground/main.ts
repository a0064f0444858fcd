/**
 * The playground page: pick a bundled example or drop a CSV, type a formula, run REML (in the fit
 * worker, ./fit-worker) and the Gibbs sampler (chains on the package's Web Workers, `parallel: true`),
 * with a progress bar and a cancel button; then the summary, the comparison, every picture of the
 * report, and the draws CSV and the report to download. Built into one HTML file that opens from
 * disk (scripts/build-playground.ts). `document.body.dataset.state` says where a run is ("idle",
 * "fitting", "sampling", "done", "cancelled", "error"), for people's scripts and the end-to-end test.
 */
import {
  buildReport,
  compare,
  fitSummary,
  formatComparison,
  gibbs,
  LmmError,
  type LmmModel,
  type Posterior,
  parseCsv,
  posteriorToCsv,
  type RemlFit,
  SUMMARY_MEASURES,
  summarizePosterior,
} from "bayes-lmm";
import { EXAMPLES } from "bayes-lmm/examples";
import { formatCell } from "./format";
import type { FitReply, FitRequest } from "./protocol";

/** The fit worker's code (./fit-worker bundled), put in by the build. */
declare const FIT_WORKER_SOURCE: string;

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found as T;
}

const ui = {
  example: element<HTMLSelectElement>("example"),
  file: element<HTMLInputElement>("file"),
  drop: element<HTMLDivElement>("drop"),
  dataInfo: element<HTMLDivElement>("data-info"),
  formula: element<HTMLInputElement>("formula"),
  iter: element<HTMLInputElement>("iter"),
  warmup: element<HTMLInputElement>("warmup"),
  chains: element<HTMLInputElement>("chains"),
  seed: element<HTMLInputElement>("seed"),
  run: element<HTMLButtonElement>("run"),
  cancel: element<HTMLButtonElement>("cancel"),
  progress: element<HTMLProgressElement>("progress"),
  status: element<HTMLSpanElement>("status"),
  results: element<HTMLElement>("results"),
  reml: element<HTMLPreElement>("reml"),
  runInfo: element<HTMLParagraphElement>("run-info"),
  summary: element<HTMLTableElement>("summary"),
  warnings: element<HTMLDivElement>("warnings"),
  comparison: element<HTMLPreElement>("comparison"),
  pictures: element<HTMLDivElement>("pictures"),
  downloadDraws: element<HTMLAnchorElement>("download-draws"),
  downloadReport: element<HTMLAnchorElement>("download-report"),
};

type State = "idle" | "fitting" | "sampling" | "done" | "cancelled" | "error";

/** The data chosen: a bundled example or a file's text. */
let data: { name: string; csv: string } = { name: EXAMPLES[0]!.name, csv: EXAMPLES[0]!.csv };
/** What a running job needs to stop it. */
let running: { worker: Worker | undefined; controller: AbortController } | undefined;
/** Object URLs of the current downloads (revoked when replaced). */
let downloadUrls: string[] = [];

function setState(state: State, message: string): void {
  document.body.dataset["state"] = state;
  ui.status.textContent = message;
  ui.status.classList.toggle("error", state === "error");
  const busy = state === "fitting" || state === "sampling";
  ui.run.disabled = busy;
  ui.cancel.disabled = !busy;
  if (state === "fitting") ui.progress.removeAttribute("value");
  else if (!busy) ui.progress.value = state === "done" ? 1 : 0;
}

function describeData(): void {
  try {
    const table = parseCsv(data.csv);
    ui.dataInfo.textContent = `${data.name}: ${table.nrows} rows; columns ${table.names.join(", ")}.`;
  } catch (error) {
    ui.dataInfo.textContent = `${data.name}: ${messageOf(error)}`;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function chooseExample(name: string): void {
  const example = EXAMPLES.find((e) => e.name === name);
  if (example === undefined) return;
  data = { name: example.name, csv: example.csv };
  ui.formula.value = example.formula;
  ui.file.value = "";
  describeData();
}

async function chooseFile(file: File): Promise<void> {
  data = { name: file.name, csv: await file.text() };
  ui.example.value = "";
  describeData();
}

function integerField(input: HTMLInputElement): number {
  const value = Number(input.value);
  return Number.isSafeInteger(value) ? value : Number.NaN;
}

/** REML in the fit worker (a classic worker from a Blob URL: it runs from a page opened from disk). */
function fitInWorker(
  request: FitRequest,
  job: { worker: Worker | undefined; controller: AbortController },
): Promise<FitReply> {
  const url = URL.createObjectURL(new Blob([FIT_WORKER_SOURCE], { type: "text/javascript" }));
  const worker = new Worker(url, { name: "bayes-lmm playground fit" });
  job.worker = worker;
  return new Promise<FitReply>((resolve) => {
    job.controller.signal.addEventListener("abort", () => resolve({ type: "error", message: "cancelled" }));
    worker.onmessage = (event: MessageEvent<FitReply>) => resolve(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      resolve({ type: "error", message: `the fit worker failed: ${event.message}` });
    };
    worker.postMessage(request);
  }).finally(() => {
    worker.terminate();
    URL.revokeObjectURL(url);
    job.worker = undefined;
  });
}

async function run(): Promise<void> {
  const controller = new AbortController();
  const job: { worker: Worker | undefined; controller: AbortController } = { worker: undefined, controller };
  running = job;
  ui.results.hidden = true;
  setState("fitting", "Fitting by REML…");
  const reply = await fitInWorker({ csv: data.csv, formula: ui.formula.value }, job);
  if (controller.signal.aborted) return;
  if (reply.type === "error") {
    setState("error", reply.message);
    return;
  }
  const options = {
    iter: integerField(ui.iter),
    warmup: integerField(ui.warmup),
    chains: integerField(ui.chains),
    seed: integerField(ui.seed),
  };
  setState("sampling", "Sampling…");
  try {
    const posterior = await gibbs(reply.model, {
      ...options,
      parallel: true,
      signal: controller.signal,
      onProgress: (p) => {
        // A worker's report can still be queued when Cancel is pressed: it must not refill the bar.
        if (controller.signal.aborted) return;
        ui.progress.value = p.done / p.grandTotal;
        ui.status.textContent = `Sampling: ${Math.floor((100 * p.done) / p.grandTotal)}% of ${p.grandTotal.toLocaleString("en-US")} iterations`;
      },
    });
    show(reply.model, reply.fit, posterior, reply.seconds);
    setState(
      "done",
      `Done: REML in ${reply.seconds.toFixed(2)} s, sampling in ${posterior.seconds.toFixed(2)} s.`,
    );
  } catch (error) {
    if (error instanceof LmmError && error.code === "ABORTED") return;
    setState("error", messageOf(error));
  } finally {
    if (running === job) running = undefined;
  }
}

function cancel(): void {
  if (running === undefined) return;
  running.controller.abort();
  running.worker?.terminate();
  running = undefined;
  setState("cancelled", "Cancelled.");
}

function cell(tag: "td" | "th", text: string): HTMLTableCellElement {
  const c = document.createElement(tag);
  c.textContent = text;
  return c;
}

function show(model: LmmModel, fit: RemlFit, posterior: Posterior, remlSeconds: number): void {
  ui.reml.textContent = fitSummary(fit);
  const s = posterior.settings;
  ui.runInfo.textContent =
    `${s.chains} chains × ${s.iter.toLocaleString("en-US")} draws after ${s.warmup.toLocaleString("en-US")} warmup` +
    ` (thin ${s.thin}), seed ${s.seed}, location update "${s.strategy}"; REML ${remlSeconds.toFixed(2)} s,` +
    ` sampling ${posterior.seconds.toFixed(2)} s.`;

  const { rows, warnings } = summarizePosterior(posterior);
  const head = document.createElement("tr");
  head.append(cell("th", "parameter"), ...SUMMARY_MEASURES.map((c) => cell("th", c)));
  ui.summary.tHead!.replaceChildren(head);
  ui.summary.tBodies[0]!.replaceChildren(
    ...rows.map((row) => {
      const tr = document.createElement("tr");
      tr.append(cell("td", row.name), ...SUMMARY_MEASURES.map((c) => cell("td", formatCell(row[c]))));
      return tr;
    }),
  );
  ui.warnings.replaceChildren(
    ...warnings.map((w) => {
      const p = document.createElement("p");
      p.textContent = `Warning: ${w.message}`;
      return p;
    }),
  );
  ui.comparison.textContent = formatComparison(compare(posterior, fit));

  const report = buildReport({ model, fit, posterior, dataName: data.name });
  ui.pictures.replaceChildren(
    ...Object.entries(report.pictures).map(([name, svg]) => {
      const figure = document.createElement("figure");
      figure.dataset["picture"] = name;
      const caption = document.createElement("figcaption");
      caption.textContent = name;
      const holder = document.createElement("div");
      holder.innerHTML = svg;
      figure.append(caption, holder);
      return figure;
    }),
  );

  for (const url of downloadUrls) URL.revokeObjectURL(url);
  const draws = URL.createObjectURL(new Blob([posteriorToCsv(posterior)], { type: "text/csv" }));
  const html = URL.createObjectURL(new Blob([report.html], { type: "text/html" }));
  downloadUrls = [draws, html];
  ui.downloadDraws.href = draws;
  ui.downloadReport.href = html;
  ui.results.hidden = false;
}

// ---------------------------------------------------------------------------------------------------
ui.example.replaceChildren(
  ...EXAMPLES.map((e) => {
    const option = document.createElement("option");
    option.value = e.name;
    option.textContent = `${e.name}: ${e.title}`;
    return option;
  }),
  Object.assign(document.createElement("option"), {
    value: "",
    textContent: "(a file of yours)",
    disabled: true,
  }),
);
ui.example.addEventListener("change", () => chooseExample(ui.example.value));
ui.file.addEventListener("change", () => {
  const file = ui.file.files?.[0];
  if (file !== undefined) void chooseFile(file);
});
ui.drop.addEventListener("dragover", (event) => {
  event.preventDefault();
  ui.drop.classList.add("over");
});
ui.drop.addEventListener("dragleave", () => ui.drop.classList.remove("over"));
ui.drop.addEventListener("drop", (event) => {
  event.preventDefault();
  ui.drop.classList.remove("over");
  const file = event.dataTransfer?.files[0];
  if (file !== undefined) void chooseFile(file);
});
ui.run.addEventListener("click", () => void run());
ui.cancel.addEventListener("click", cancel);
chooseExample(EXAMPLES[0]!.name);
setState("idle", "Ready.");
