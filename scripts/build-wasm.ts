/**
 * Compiles src/blocked/wasm/kernels.wat (hand-written WebAssembly text with SIMD) to
 * src/blocked/wasm/kernels.ts, the module's bytes as base64, with wabt from npm (dev dependency):
 *
 *     npx tsx scripts/build-wasm.ts          rewrite the bytes
 *     npx tsx scripts/build-wasm.ts --check  fail when the committed bytes are not the .wat's
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import wabtInit from "wabt";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "blocked", "wasm");
const wabt = await wabtInit();
const source = readFileSync(join(dir, "kernels.wat"), "utf8");
const module = wabt.parseWat("kernels.wat", source, { simd: true, multi_value: true });
module.validate();
const { buffer } = module.toBinary({});
const base64 = Buffer.from(buffer).toString("base64");
const text = `/**
 * The bytes of kernels.wat (WebAssembly with 128-bit SIMD), made by scripts/build-wasm.ts with wabt
 * 1.0.39 from npm — do not edit; change the .wat and rerun the script.
 */
export const KERNELS_WASM_BASE64 =
  "${base64}";
`;
const target = join(dir, "kernels.ts");
if (process.argv.includes("--check")) {
  if (readFileSync(target, "utf8") !== text) {
    process.stderr.write(
      "src/blocked/wasm/kernels.ts is not kernels.wat compiled: run npx tsx scripts/build-wasm.ts\n",
    );
    process.exitCode = 1;
  }
} else writeFileSync(target, text);
