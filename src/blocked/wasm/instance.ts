/**
 * The WebAssembly SIMD kernels (kernels.wat, bytes in ./kernels), instantiated once per thread on
 * first use, synchronously (the module is 1 KB). `wasmKernels()` returns null where WebAssembly or
 * SIMD is unavailable; callers then use the JavaScript kernels.
 */
import { KERNELS_WASM_BASE64 } from "./kernels";

/** What this module needs of WebAssembly's memory (the project's type libraries do not declare it). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The subset of the WebAssembly namespace used here. */
interface WebAssemblyApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: object };
}

/** The exported memory and the supernode update of ../kernels.ts's `updateFromDescendant`. */
export interface WasmKernels {
  readonly memory: WasmMemory;
  /** Byte addresses: d, t the blocks, rel and col the int32 maps (see kernels.wat). */
  readonly update: (
    d: number,
    wd: number,
    i1: number,
    i2: number,
    iEnd: number,
    t: number,
    wt: number,
    rel: number,
    col: number,
  ) => void;
}

let cached: WasmKernels | null | undefined;

/** The kernels, or null when this engine cannot run them. */
export function wasmKernels(): WasmKernels | null {
  if (cached !== undefined) return cached;
  cached = null;
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (api === undefined || typeof atob === "undefined") return cached;
  try {
    const binary = atob(KERNELS_WASM_BASE64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    const instance = new api.Instance(new api.Module(bytes), {});
    const exports = instance.exports as unknown as WasmKernels;
    cached = { memory: exports.memory, update: exports.update };
  } catch {
    cached = null;
  }
  return cached;
}

/** Grows the kernels' memory to at least `bytes` bytes; returns the memory's current buffer. */
export function wasmBuffer(kernels: WasmKernels, bytes: number): ArrayBuffer {
  const have = kernels.memory.buffer.byteLength;
  if (have < bytes) kernels.memory.grow(Math.ceil((bytes - have) / 65536));
  return kernels.memory.buffer;
}
