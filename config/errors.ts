import { closest, distance } from "fastest-levenshtein";
import { z } from "zod";

/**
 * Turns zod issues into one line each: `key.path: what is wrong (got <value>)`.
 * The messages say what is allowed, using the JSON Schema (bounds, enums, known keys) for context.
 */

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;
interface JsonSchemaNode {
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  additionalProperties?: JsonSchemaNode | boolean;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
}

/**
 * Raised for any config problem; `problems` holds every message, one per line. `excerpt` (YAML syntax errors) is
 * the offending line of the file with a caret, shown under the problem.
 */
export class ConfigError extends Error {
  constructor(
    public readonly source: string,
    public readonly problems: readonly string[],
    public readonly excerpt?: string,
  ) {
    // One problem stays on one line naming the file (`config.yaml: is empty ...`); several get a header and a line each.
    super(
      (problems.length === 1
        ? `${source}: ${problems[0]}`
        : `${source}: ${problems.length} problems\n  ${problems.join("\n  ")}`) + (excerpt ? `\n${excerpt.replace(/^/gm, "  ")}` : ""),
    );
    this.name = "ConfigError";
  }
}

/** `environments[1].name`; keys that are not plain names (user-chosen map keys) are quoted and cut short. */
export function formatPath(path: readonly PathKey[]): string {
  if (path.length === 0) return "(top level)";
  return path
    .map((key, index) => {
      if (typeof key === "number") return `[${key}]`;
      const name = String(key);
      if (!/^[A-Za-z_$][A-Za-z0-9_$-]{0,63}$/.test(name)) return `[${showValue(name)}]`;
      return index === 0 ? name : `.${name}`;
    })
    .join("");
}

/** The most characters a shown value takes; longer ones keep SHOWN_CHARS - 3 and end in "...". */
const SHOWN_CHARS = 60;

/** Shows a value compactly; long values are cut so a huge string cannot flood the terminal. */
export function showValue(value: unknown): string {
  if (value === undefined) return "nothing";
  // JSON would print NaN and Infinity (YAML .nan, .inf) as null.
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  let text: string;
  try {
    // Serializing and escaping only lengthen text, character by character, so a long string is cut before
    // either: what is shown stays the same, without costing the whole value on every problem line.
    const shownPart = typeof value === "string" && value.length > SHOWN_CHARS ? value.slice(0, SHOWN_CHARS + 1) : value;
    text = typeof value === "string" ? JSON.stringify(shownPart) : (JSON.stringify(value) ?? String(value));
  } catch {
    // Deeply nested or cyclic values (and BigInt inside them) defeat JSON; String() would recurse or throw too.
    text = Array.isArray(value) ? `a list of ${value.length} item(s)` : value !== null && typeof value === "object" ? "a mapping" : typeof value === "bigint" ? `${value}n` : typeof value;
  }
  const cut = text.length > SHOWN_CHARS;
  // JSON leaves U+2028/U+2029 (line breaks to a terminal), NEL and bidi controls (which reorder what is shown) raw.
  text = (cut ? text.slice(0, SHOWN_CHARS - 3) : text).replace(
    /[\u0085\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return cut || text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS - 3)}...` : text;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (typeof value === "number" && !Number.isInteger(value)) return "a fraction";
  return `a ${typeof value}`;
}

/**
 * For a quoted scalar that would be right unquoted (`cpu: "512"`, `requireApproval: "true"`): how to write it.
 * YAML reads anything in quotes as a string, and a config author rarely means that for a number or a boolean.
 */
function unquoteHint(input: unknown, expected: "number" | "boolean", accepts: (value: number | boolean) => boolean = () => true): string {
  if (typeof input !== "string") return "";
  const trimmed = input.trim();
  const value = expected === "boolean" ? (trimmed === "true" ? true : trimmed === "false" ? false : undefined) : trimmed === "" ? Number.NaN : Number(trimmed);
  if (value === undefined || (typeof value === "number" && !Number.isFinite(value)) || !accepts(value)) {
    return expected === "boolean" ? "; write true or false, without quotes" : "";
  }
  return `; write it without quotes: ${String(value)}`;
}

/** `one of 256, 512 (numbers), not a string (got "512")` when the value's type is not the options' type. */
function enumTypeMismatch(options: readonly unknown[], input: unknown): string | undefined {
  const kinds = new Set(options.map((option) => typeof option));
  if (kinds.size !== 1 || input === undefined) return undefined;
  const [kind] = [...kinds];
  if (typeof input === kind) return undefined;
  const hint = kind === "number" ? unquoteHint(input, "number", (value) => options.includes(value)) : "";
  return `must be one of ${options.map(String).join(", ")} (${kind}s), not ${typeName(input)} (got ${showValue(input)})${hint}`;
}

/** zod's type names in the words of a YAML author. */
function expectedName(expected: string): string {
  const names: Record<string, string> = { int: "a whole number", object: "a mapping", array: "a list", record: "a mapping" };
  return names[expected] ?? `a ${expected}`;
}

/** Every JSON Schema node that can describe `path` (unions fan out). */
function nodesAt(root: JsonSchemaNode, path: readonly PathKey[]): JsonSchemaNode[] {
  let nodes = expand(root);
  for (const key of path) {
    const next: JsonSchemaNode[] = [];
    for (const node of nodes) {
      const child =
        typeof key === "number"
          ? node.items
          : (node.properties?.[String(key)] ??
            (typeof node.additionalProperties === "object" ? node.additionalProperties : undefined));
      if (child) next.push(...expand(child));
    }
    nodes = next;
  }
  return nodes;
}

function expand(node: JsonSchemaNode): JsonSchemaNode[] {
  const alternatives = node.anyOf ?? node.oneOf;
  return alternatives ? alternatives.flatMap(expand) : [node];
}

/**
 * Of the shapes of a discriminated union (network `mode`, state `backend`, deploy `strategy`), the ones the input
 * chose by its discriminator (or the discriminator's default when unset); all of them when none matches.
 */
function chosenShapes(nodes: JsonSchemaNode[], input: unknown): JsonSchemaNode[] {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return nodes;
  const given = input as Record<string, unknown>;
  const chosen = nodes.filter((node) =>
    Object.entries(node.properties ?? {}).every(([key, property]) => property.const === undefined || (given[key] ?? property.default) === property.const),
  );
  return chosen.length > 0 ? chosen : nodes;
}

function bounds(schema: JsonSchemaNode, path: readonly PathKey[]): string | undefined {
  const node = nodesAt(schema, path).find((n) => n.minimum !== undefined || n.maximum !== undefined);
  if (!node) return undefined;
  if (node.minimum !== undefined && node.maximum !== undefined) return `between ${node.minimum} and ${node.maximum}`;
  return node.minimum !== undefined ? `at least ${node.minimum}` : `at most ${node.maximum}`;
}

function suggestion(value: unknown, options: readonly string[]): string {
  if (typeof value !== "string" || options.length === 0 || value.length > 200) return "";
  const guess = closest(value, [...options]);
  const near = distance(value.toLowerCase(), guess.toLowerCase()) <= Math.max(2, Math.floor(guess.length / 3));
  return near ? `; did you mean "${guess}"?` : "";
}

function describe(issue: Issue, schema: JsonSchemaNode, path: readonly PathKey[]): string[] {
  const input = (issue as { input?: unknown }).input;
  const got = ` (got ${showValue(input)})`;
  switch (issue.code) {
    case "invalid_type": {
      if (input === undefined) return [`is required (${expectedName(issue.expected)})`];
      const expected = issue.expected === "int" || issue.expected === "number" ? "number" : issue.expected === "boolean" ? "boolean" : undefined;
      const hint = expected ? unquoteHint(input, expected, (value) => issue.expected !== "int" || Number.isInteger(value)) : "";
      return [`must be ${expectedName(issue.expected)}, not ${typeName(input)}${got}${hint}`];
    }
    case "too_small":
    case "too_big": {
      if (issue.origin === "array") {
        const limit = issue.code === "too_small" ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
        return [`must list ${limit} item(s) (got ${Array.isArray(input) ? input.length : showValue(input)})`];
      }
      if (issue.origin === "string") {
        const limit = issue.code === "too_small" ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
        return [`must be ${limit} characters long${got}`];
      }
      const range = bounds(schema, path) ?? (issue.code === "too_small" ? `at least ${issue.minimum}` : `at most ${issue.maximum}`);
      return [`must be ${range}${got}`];
    }
    case "invalid_value": {
      const mismatch = enumTypeMismatch(issue.values, input);
      if (mismatch) return [mismatch];
      const options = issue.values.map(String);
      return [`must be one of ${options.join(", ")}${got}${suggestion(input, options)}`];
    }
    case "unrecognized_keys": {
      const known = [...new Set(chosenShapes(nodesAt(schema, path), input).flatMap((n) => Object.keys(n.properties ?? {})))];
      return issue.keys.map(
        (key) => `unknown key ${showValue(key)}${suggestion(key, known)}${known.length ? ` (allowed: ${known.join(", ")})` : ""}`,
      );
    }
    case "invalid_format":
      // Regex checks carry their own message saying what is allowed.
      if (issue.format === "regex") return [`${issue.message}${got}`];
      return [`must be ${issue.format === "email" ? "an email address" : `in ${issue.format} format`}${got}`];
    case "invalid_key":
      return [`has an invalid key: ${issue.issues.map((i) => i.message).join("; ")}${got}`];
    default:
      return [`${issue.message}${got}`];
  }
}

/**
 * Unions report every branch; keep only the branches whose type matched, so the message is about the real mistake
 * (a mapping given for "preset name or custom mapping" is judged as a custom mapping, not as an unknown preset).
 */
function flattenUnion(issue: Issue): Issue[] {
  if (issue.code !== "invalid_union") return [issue];
  const wrongShape = (branch: readonly Issue[]) => {
    if (branch.length !== 1 || branch[0].path.length !== 0) return false;
    const only = branch[0] as Issue & { input?: unknown };
    return only.code === "invalid_type" || (only.code === "invalid_value" && typeof only.input === "object" && only.input !== null);
  };
  const branches = issue.errors.filter((branch) => !wrongShape(branch));
  // A scalar given where "a preset or a custom mapping" is allowed: the message names the mapping too.
  const mappingAllowed = issue.errors.some((branch) => wrongShape(branch) && branch[0].code === "invalid_type" && branch[0].expected === "object");
  if (branches.length === 1) {
    return branches[0].flatMap((inner) =>
      flattenUnion({ ...inner, path: [...issue.path, ...inner.path], ...(mappingAllowed && inner.path.length === 0 ? { orMapping: true } : {}) } as Issue),
    );
  }
  return [issue];
}

/** `; or a mapping { type, percentage, intervalMinutes }`: the mapping shapes the schema allows at `path`. */
function mappingAlternative(schema: JsonSchemaNode, path: readonly PathKey[]): string {
  const shapes = nodesAt(schema, path).filter((n) => n.properties).map((n) => `{ ${Object.keys(n.properties ?? {}).join(", ")} }`);
  return shapes.length ? `; or a mapping ${shapes.join(" or ")}` : "";
}

export function formatIssues(issues: readonly Issue[], schema: JsonSchemaNode): string[] {
  const lines: string[] = [];
  for (const issue of issues.flatMap(flattenUnion)) {
    const path = issue.path as readonly PathKey[];
    const discriminated = issue as { options?: unknown[]; input?: unknown };
    if (issue.code === "invalid_union" && Array.isArray(discriminated.options)) {
      const input = discriminated.input as Record<string, unknown> | undefined;
      const value = input && typeof input === "object" ? input[String(path[path.length - 1])] : input;
      // A discriminator with a default (deploy.strategy) lists undefined among its options: not a value to write.
      const options = discriminated.options.filter((option) => option !== undefined).map(String);
      lines.push(`${formatPath(path)}: must be one of ${options.join(", ")} (got ${showValue(value)})${suggestion(value, options)}`);
      continue;
    }
    if (issue.code === "invalid_union") {
      const note = (issue as { note?: string }).note;
      lines.push(`${formatPath(path)}: ${note ?? "matches none of the allowed shapes"} (got ${showValue((issue as { input?: unknown }).input)})${unionHint(schema, path)}`);
      continue;
    }
    // A misspelled preset gets "did you mean"; a value of the wrong type also hears that a mapping would do.
    const { orMapping, input } = issue as { orMapping?: boolean; input?: unknown };
    const alternative = orMapping && typeof input !== "string" ? mappingAlternative(schema, path) : "";
    for (const message of describe(issue, schema, path)) lines.push(`${formatPath(path)}: ${message}${alternative}`);
  }
  // A last guard for rules that quote user input in their message: no line may flood the terminal.
  return [...new Set(lines.map((line) => (line.length > MAX_LINE_LENGTH ? `${line.slice(0, MAX_LINE_LENGTH - 3)}...` : line)))];
}

/** Longer than any message written here (the region list is about 600 characters). */
const MAX_LINE_LENGTH = 1000;

function unionHint(schema: JsonSchemaNode, path: readonly PathKey[]): string {
  const shapes = nodesAt(schema, path)
    .map((n) =>
      n.properties ? `{ ${Object.keys(n.properties).join(", ")} }` : n.enum ? `one of ${n.enum.map(String).join(", ")}` : undefined,
    )
    .filter(Boolean);
  return shapes.length ? `; allowed: ${shapes.join(" or ")}` : "";
}

export type { JsonSchemaNode };
