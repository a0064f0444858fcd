/**
 * Headless Chromium for the scripts that look at pages (the playground's end-to-end test, the
 * README's picture): Debian's `chromium` (or CHROMIUM=/path/to/chrome), driven by playwright-core,
 * which downloads no browser. Flags: no sandbox (CI runs as root), no GPU, and no background network
 * (this machine's network is closed: without them Chromium retries refused connections at every
 * start); a new, empty profile directory each time, removed on close.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env["CHROMIUM"] ?? "/usr/bin/chromium";

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A browser context in a fresh profile; `close()` ends Chromium and removes the profile. */
export interface Chromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Starts Chromium.
 *
 * @param options - viewport and whether downloads are accepted
 * @throws Error naming the missing executable
 */
export async function launchChromium(
  options: { viewport?: { width: number; height: number }; acceptDownloads?: boolean } = {},
): Promise<Chromium> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install chromium, or set CHROMIUM`);
  const profile = mkdtempSync(join(tmpdir(), "bayes-lmm-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    acceptDownloads: options.acceptDownloads ?? false,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
