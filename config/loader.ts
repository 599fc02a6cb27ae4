import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { ConfigError, formatIssues, JsonSchemaNode } from "./errors";
import { projectPath } from "./paths";
import { DeployConfig, deployConfigSchema } from "./schema";
import { deepestNesting, keyProblem, MAX_NESTING } from "./yaml-safety";

/** The committed example used when `DEPLOY_CONFIG` is not set, so a fresh clone synthesizes. */
export const DEFAULT_CONFIG_PATH = projectPath("config", "examples", "default.yaml");

/**
 * Files larger than this are not configs (the largest example is about 2 KB). Refusing them keeps a mistaken
 * path from eating memory and bounds the parse: the slowest 256 KiB YAML shapes take about 2 s here.
 */
const MAX_CONFIG_BYTES = 256 * 1024;

let cachedJsonSchema: JsonSchemaNode | undefined;

/** The JSON Schema of the config (input shape, so defaults are optional), as committed in config/. */
export function configJsonSchema(): JsonSchemaNode {
  cachedJsonSchema ??= z.toJSONSchema(deployConfigSchema, { io: "input", unrepresentable: "any" }) as JsonSchemaNode;
  return cachedJsonSchema;
}

/** The config path: `DEPLOY_CONFIG` if set, else the embedded default. */
export function resolveConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env.DEPLOY_CONFIG?.trim();
  return chosen ? resolve(chosen) : DEFAULT_CONFIG_PATH;
}

/** Reads and parses a YAML or JSON file; every failure is a one-line ConfigError naming the path. */
export function readConfigFile(path: string): unknown {
  let text: string;
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) throw new ConfigError(path, ["is a directory, not a YAML or JSON file"]);
    // A FIFO would block the read forever and /dev/zero would never end: only regular files are configs.
    if (!stats.isFile()) throw new ConfigError(path, ["is not a regular file (a device, pipe or socket); give a YAML or JSON file"]);
    if (stats.size > MAX_CONFIG_BYTES) throw new ConfigError(path, [`is ${stats.size} bytes; a config is at most ${MAX_CONFIG_BYTES}`]);
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(path, [fileProblem(error)]);
  }
  if (text.trim() === "") throw new ConfigError(path, ["is empty; start from config/examples/default.yaml"]);
  return parseText(path, text);
}

function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "does not exist (set DEPLOY_CONFIG to an existing YAML or JSON file)";
  if (code === "EACCES" || code === "EPERM") return "cannot be read (permission denied)";
  return `cannot be read (${code ?? String(error)})`;
}

function parseText(path: string, text: string): unknown {
  // YAML 1.2 is a superset of JSON, so one parser serves both. Hostile shapes are refused first (./yaml-safety.ts).
  // logLevel "error": YAML warnings (unknown tags, collection keys) must not reach stderr as Node warnings.
  const nesting = deepestNesting(text);
  if (nesting.depth > MAX_NESTING) {
    throw new ConfigError(path, [
      `nests about ${nesting.depth} levels deep at line ${nesting.line}; a config needs a few levels, at most ${MAX_NESTING}`,
    ]);
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { uniqueKeys: false, prettyErrors: false, lineCounter, logLevel: "error" });
  if (document.errors.length > 0) {
    // Later YAML errors are usually echoes of the first; one line with its position is what helps.
    const first = document.errors[0];
    const { line, col } = lineCounter.linePos(first.pos[0]);
    // The parser turns its own stack overflow (thousands of nested [ or -) into an error; say what it means.
    const message = first.message.includes("Maximum call stack size exceeded")
      ? "nests too deeply (thousands of levels); a config is a few levels deep"
      : first.message.split("\n")[0];
    throw new ConfigError(path, [`is not valid YAML/JSON: line ${line}, column ${col}: ${message}`]);
  }
  // Duplicate keys are errors, not silent overrides; keys that are mappings or lists are refused.
  const badKey = keyProblem(document, lineCounter);
  if (badKey !== undefined) throw new ConfigError(path, [`is not valid as a config: ${badKey}`]);
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new ConfigError(path, [`cannot be expanded: ${(error as Error).message.split("\n")[0]}`]);
  }
  if (value === null || value === undefined) {
    throw new ConfigError(path, ["holds no settings (only comments or null); start from config/examples/default.yaml"]);
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError(path, [`must hold a mapping of keys (project, region, github, ...), not ${Array.isArray(value) ? "a list" : `a ${typeof value}`}`]);
  }
  return value;
}

/** Validates an already-parsed value; `source` names it in messages. */
export function validateConfig(value: unknown, source: string): DeployConfig {
  const result = deployConfigSchema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  throw new ConfigError(source, formatIssues(result.error.issues, configJsonSchema()));
}

/** Loads, parses and validates the config chosen by `DEPLOY_CONFIG` (or the given path). */
export function loadConfig(path: string = resolveConfigPath()): DeployConfig {
  return validateConfig(readConfigFile(path), path);
}
