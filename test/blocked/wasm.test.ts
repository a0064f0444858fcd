/**
 * The committed WebAssembly bytes (src/blocked/wasm/kernels.ts) are kernels.wat compiled by wabt
 * (scripts/build-wasm.ts): the text, not the bytes, is what gets reviewed and changed.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import wabtInit from "wabt";
import { KERNELS_WASM_BASE64 } from "../../src/blocked/wasm/kernels";

describe("WebAssembly kernels", () => {
  it("the committed bytes are kernels.wat compiled", async () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "src", "blocked", "wasm");
    const wabt = await wabtInit();
    const module = wabt.parseWat("kernels.wat", readFileSync(join(dir, "kernels.wat"), "utf8"), {
      simd: true,
      multi_value: true,
    });
    module.validate();
    expect(Buffer.from(module.toBinary({}).buffer).toString("base64")).toBe(KERNELS_WASM_BASE64);
  });
});
