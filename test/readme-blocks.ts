/**
 * The README's code blocks, as the README test (test/readme.test.ts) and the package test
 * (scripts/package-check.ts) read them. The conventions — written in the README's "Development"
 * section too:
 *
 * - Every ```ts block is a program: it runs in `npm test` and must type-check.
 * - A block may use, without importing them, any name the package exports (`lmm`, `gibbs`, ...) and
 *   the names test/readme-setup.ts exports (`data`, `model`, `fit`, `post`, `draws`, `priors`): the
 *   shared setup of the reference sections. A name the block declares or imports itself wins.
 * - A ```text output block right after a ```ts block is what that block prints (console.log); the
 *   test compares them line by line (trailing spaces ignored).
 * - ```json blocks must parse.
 */
import { readFileSync } from "node:fs";

/** One fenced block. */
export interface ReadmeBlock {
  /** The info string's first word: "ts", "text", "json", "sh", ... */
  readonly lang: string;
  /** The rest of the info string ("output" for an output block). */
  readonly info: string;
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The nearest heading above it. */
  readonly section: string;
}

/** A ts block and what it prints (undefined: not stated). */
export interface ReadmeProgram {
  readonly block: ReadmeBlock;
  readonly output: string | undefined;
  /** "README.md:LINE (SECTION)", for messages. */
  readonly where: string;
}

/** The fenced blocks of a Markdown text, in order. */
export function fencedBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split("\n");
  const blocks: ReadmeBlock[] = [];
  let section = "(top)";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) section = heading[1]!.trim();
    const fence = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/.exec(line);
    if (!fence) continue;
    const [, indent, marker, lang, info] = fence;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = lines[j]!.trim();
      // A closing fence: the fence's character only, at least as many as the opening one.
      if (close.length >= marker!.length && close === marker![0]!.repeat(close.length)) break;
      const raw = lines[j]!;
      body.push(raw.startsWith(indent!) ? raw.slice(indent!.length) : raw);
    }
    blocks.push({
      lang: lang!.toLowerCase(),
      info: info!.trim(),
      code: body.join("\n"),
      line: i + 1,
      section,
    });
    i = j;
  }
  return blocks;
}

/** The ts blocks with their output blocks. */
export function readmePrograms(markdown: string): ReadmeProgram[] {
  const blocks = fencedBlocks(markdown);
  const programs: ReadmeProgram[] = [];
  blocks.forEach((block, k) => {
    if (block.lang !== "ts" && block.lang !== "typescript") return;
    const next = blocks[k + 1];
    const output = next?.lang === "text" && /\boutput\b/.test(next.info) ? next.code : undefined;
    programs.push({ block, output, where: `README.md:${block.line} (${block.section})` });
  });
  return programs;
}

/** The README next to the package.json of this repository. */
export function readReadme(): string {
  return readFileSync(new URL("../README.md", import.meta.url), "utf8");
}
