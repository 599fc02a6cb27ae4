import { LineCounter, YAMLError } from "yaml";

/**
 * Turns the YAML parser's first error into `line N, column M: what` plus an excerpt of that line with a caret.
 * The parser reports some mistakes where it gave up rather than where the author slipped; the common ones are
 * moved back to the line a person has to fix:
 * - a key indented deeper than its siblings (`cpu: 256` then `    memory: 512`) is read as the continuation of
 *   the value above, and reported at that value (`BLOCK_AS_IMPLICIT_KEY`, `MULTILINE_IMPLICIT_KEY`);
 * - a mapping item indented less than its siblings (`BAD_INDENT`) is reported at column 1, before the indentation;
 * - a quote that is never closed (`MISSING_CHAR`) is reported where the file or the block ends, not at the quote.
 */

/** Where a YAML file is wrong, in the words of its author. */
export interface YamlProblem {
  /** One line: `line N, column M: what is wrong`. */
  readonly problem: string;
  /** The offending line and a caret under the column, for a terminal. */
  readonly excerpt: string;
}

/** How much of a long line the excerpt shows around the column. */
const EXCERPT_CHARS = 80;

export function describeYamlError(error: YAMLError, text: string, lineCounter: LineCounter): YamlProblem {
  const lines = text.split(/\r?\n/);
  const start = lineCounter.linePos(error.pos[0]);
  const at = relocate(error, lines, start) ?? { ...start, message: error.message.split("\n")[0] };
  return {
    problem: `line ${at.line}, column ${at.col}: ${at.message}`,
    excerpt: excerpt(lines[at.line - 1] ?? "", at.line, at.col),
  };
}

interface Location {
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

const indentOf = (line: string) => line.length - line.trimStart().length;
/** Where a line's key starts: after its indentation and any list markers (`  - name:` has its key at column 5). */
const keyColumnOf = (line: string) => (/^\s*(?:-\s+)*/.exec(line)?.[0].length ?? 0) + 1;
const isContent = (line: string) => line.trim() !== "" && !line.trimStart().startsWith("#");

function relocate(error: YAMLError, lines: readonly string[], start: { line: number; col: number }): Location | undefined {
  const startLine = lines[start.line - 1] ?? "";
  if (error.code === "BLOCK_AS_IMPLICIT_KEY" || error.code === "MULTILINE_IMPLICIT_KEY") {
    const next = lines.findIndex((line, index) => index >= start.line && isContent(line));
    if (next >= 0 && indentOf(lines[next]) > indentOf(startLine)) {
      return {
        line: next + 1,
        col: indentOf(lines[next]) + 1,
        message: `is indented deeper than line ${start.line} above it, so YAML reads it as part of that line's value; indent it like the keys around it`,
      };
    }
  }
  const closer = /end with an? ([\]}])/.exec(error.message)?.[1];
  if (closer) return unclosedBracket(lines, start.line, closer === "]" ? "[" : "{", closer);
  if (error.code === "BAD_INDENT" && start.col === 1 && indentOf(startLine) > 0 && isContent(startLine)) {
    let aboveIndex = start.line - 2;
    while (aboveIndex >= 0 && !isContent(lines[aboveIndex])) aboveIndex--;
    const above = aboveIndex >= 0 ? ` but the key on line ${aboveIndex + 1} above it at column ${keyColumnOf(lines[aboveIndex])}` : "";
    return {
      line: start.line,
      col: indentOf(startLine) + 1,
      message: `starts at column ${indentOf(startLine) + 1}${above}; the keys of one mapping must start at the same column`,
    };
  }
  const quote = /^Missing closing (["'])quote/.exec(error.message)?.[1];
  if (error.code === "MISSING_CHAR" && quote) {
    // The opening quote is the last one on the nearest line above with an odd number of them.
    for (let index = Math.min(start.line, lines.length) - 1; index >= 0; index--) {
      const count = lines[index].split(quote).length - 1;
      if (count % 2 === 1) {
        return { line: index + 1, col: lines[index].lastIndexOf(quote) + 1, message: `opens a ${quote}quoted${quote} string that is never closed; add the closing ${quote}` };
      }
    }
  }
  return undefined;
}

/** The `[` or `{` before `line` that is never closed: scanning backwards, the first opener without its closer. */
function unclosedBracket(lines: readonly string[], line: number, opener: string, closer: string): Location | undefined {
  let balance = 0;
  for (let index = Math.min(line, lines.length) - 1; index >= 0; index--) {
    for (let col = lines[index].length - 1; col >= 0; col--) {
      if (lines[index][col] === closer) balance++;
      else if (lines[index][col] === opener && --balance < 0) {
        const what = opener === "[" ? "list" : "mapping";
        return { line: index + 1, col: col + 1, message: `opens a ${opener} ${what} that is never closed with ${closer}` };
      }
    }
  }
  return undefined;
}

/**
 * `  17 |     memory: 512` and a caret under the column. Long lines show a window around the column; tabs and control
 * characters become one visible character each, so the caret stays aligned and nothing reorders the terminal.
 */
function excerpt(line: string, lineNumber: number, col: number): string {
  const visible = line.replace(/[\t]/g, " ").replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "?");
  const from = Math.max(0, Math.min(col - 1 - EXCERPT_CHARS / 2, visible.length - EXCERPT_CHARS));
  const shown = `${from > 0 ? "..." : ""}${visible.slice(from, from + EXCERPT_CHARS)}${from + EXCERPT_CHARS < visible.length ? "..." : ""}`;
  const caretAt = col - 1 - from + (from > 0 ? 3 : 0);
  const gutter = String(lineNumber);
  return `${gutter} | ${shown}\n${" ".repeat(gutter.length)} | ${" ".repeat(Math.max(0, caretAt))}^`;
}
