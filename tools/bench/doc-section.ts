/**
 * docs/benchmarks.md holds one section per benchmark between markers; `--write` replaces only its own, so
 * each benchmark can refresh its numbers without touching the others'.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const DOC = join(resolve(__dirname, "..", ".."), "docs", "benchmarks.md");

/** Replaces the text between `markers` (start and end comment lines) of docs/benchmarks.md with `text`. */
export function writeDocSection(markers: readonly [string, string], text: string): void {
  const doc = readFileSync(DOC, "utf8");
  const start = doc.indexOf(markers[0]);
  const end = doc.indexOf(markers[1]);
  if (start < 0 || end < start) throw new Error(`docs/benchmarks.md has no ${markers[0]} ... ${markers[1]} section to replace`);
  writeFileSync(DOC, `${doc.slice(0, start + markers[0].length)}\n${text}\n${doc.slice(end)}`);
}
