import { Document, isCollection, isScalar, LineCounter, visit } from "yaml";

/**
 * Guards that keep hostile YAML from hanging or crashing the process before the `yaml` library sees it.
 * Found by the generated-input tests (__tests__/config/fuzz.test.ts) against yaml 2.9:
 * - a few thousand nested `[` (or `- - -`, `? ? ?`) overflow the parser's stack; the first overflow is
 *   reported as an error, but a later one in the same process can abort V8 outright ("RegExpCompiler
 *   Allocation failed - process out of memory"), which kills a test runner or any long-lived caller;
 * - mappings or lists used as keys (`? ? ? x`) make `toJS` stringify keys recursively: 400 levels in an
 *   800-byte file take about 30 s;
 * - the parser's own duplicate-key check (`uniqueKeys`) compares every key with every other: 60,000 keys
 *   (540 KB) take about 100 s. Duplicates are found here with a set instead.
 * A config is a few levels deep and its keys are plain, unique names, so the rest is refused with a clear message.
 */

/** Deeper than any real config (about 6 levels); far below where the parser's recursion gets into trouble. */
export const MAX_NESTING = 40;

/**
 * An over-estimate of the deepest nesting in `text`, in one linear pass without parsing: per line, the
 * indentation, the block indicators on it (`- - -`, `? ? `, `: `), and the flow brackets (`[`, `{`) open so far.
 * Indicators and brackets inside quoted strings count too; that only ever overestimates.
 */
export function deepestNesting(text: string): { depth: number; line: number } {
  let deepest = { depth: 0, line: 1 };
  let flow = 0;
  let lineNumber = 0;
  for (const line of text.split("\n")) {
    lineNumber++;
    const indent = line.length - line.trimStart().length;
    let depth = indent + flow;
    let indicators = 0;
    for (let i = indent; i < line.length; i++) {
      const c = line[i];
      const afterSpace = i === indent || /\s/.test(line[i - 1]);
      // A comment starts at a # after whitespace (or at the start) and runs to the end of the line.
      if (c === "#" && afterSpace) break;
      if (c === "[" || c === "{") flow++;
      else if ((c === "]" || c === "}") && flow > 0) flow--;
      else if ((c === "-" || c === "?" || c === ":") && afterSpace && (i + 1 === line.length || /\s/.test(line[i + 1]))) indicators++;
      depth = Math.max(depth, indent + indicators + flow);
    }
    if (depth > deepest.depth) deepest = { depth, line: lineNumber };
  }
  return deepest;
}

/**
 * The first structural problem a config can never need, as `line N, column M: what`: a mapping or list used
 * as a key (`? [a, b]\n: c`), or a key given twice in one mapping (`1` and `"1"` count as the same key,
 * since both become the property "1").
 */
export function keyProblem(document: Document, lineCounter: LineCounter): string | undefined {
  let problem: string | undefined;
  const where = (offset: number | undefined) => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return `line ${line}, column ${col}`;
  };
  visit(document, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (isCollection(pair.key)) {
          problem = `${where(pair.key.range?.[0])}: uses a mapping or list as a key; keys must be plain names`;
          return visit.BREAK;
        }
        const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (seen.has(name)) {
          const range = isScalar(pair.key) ? pair.key.range : undefined;
          problem = `${where(range?.[0])}: repeats the key "${name.slice(0, 60)}"; each key may appear once`;
          return visit.BREAK;
        }
        seen.add(name);
      }
      return undefined;
    },
  });
  return problem;
}
