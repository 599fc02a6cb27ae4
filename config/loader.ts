import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, isAbsolute, join, relative, resolve, sep } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { ConfigError, formatIssues, JsonSchemaNode } from "./errors";
import { PROJECT_ROOT, projectPath } from "./paths";
import { DeployConfig, deployConfigSchema } from "./schema";
import { describeYamlError } from "./yaml-errors";
import { deepestNesting, keyProblem, MAX_NESTING } from "./yaml-safety";

/** The committed example used when no config is given, so `npm run synth` and `npm test` work on a fresh clone. */
export const DEFAULT_CONFIG_PATH = projectPath("config", "examples", "default.yaml");

/**
 * A team's own config, found without an environment variable: one of these files at the repository root (next
 * to cdktf.json). `DEPLOY_CONFIG` still wins.
 */
export const ROOT_CONFIG_NAMES = ["deploy-config.yaml", "deploy-config.yml", "deploy-config.json"] as const;

/** Where the config came from: `DEPLOY_CONFIG`, the conventional file at the repository root, or the embedded demo. */
export type ConfigOrigin = "DEPLOY_CONFIG" | "repository root" | "embedded demo";

/** The config file a run uses, and why that one. */
export interface ConfigChoice {
  readonly path: string;
  readonly origin: ConfigOrigin;
}
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

/**
 * Chooses the config file: `DEPLOY_CONFIG` if set (relative to the working directory), else `deploy-config.yaml`
 * (or .yml, .json) at the repository root, else the embedded demo. Two root files at once are refused: which one
 * wins would be a guess.
 */
export function chooseConfig(env: NodeJS.ProcessEnv = process.env, root: string = PROJECT_ROOT): ConfigChoice {
  const chosen = env.DEPLOY_CONFIG?.trim();
  if (chosen) return { path: resolve(chosen), origin: "DEPLOY_CONFIG" };
  const found = ROOT_CONFIG_NAMES.map((name) => join(root, name)).filter((path) => existsSync(path));
  if (found.length > 1) {
    throw new ConfigError(found[0], [`and ${found.slice(1).map((path) => basename(path)).join(", ")} are both at the repository root; keep one (or set DEPLOY_CONFIG)`]);
  }
  if (found.length === 1) return { path: found[0], origin: "repository root" };
  return { path: DEFAULT_CONFIG_PATH, origin: "embedded demo" };
}

/** The config path `chooseConfig` picks. */
export function resolveConfigPath(env: NodeJS.ProcessEnv = process.env, root: string = PROJECT_ROOT): string {
  return chooseConfig(env, root).path;
}

/**
 * The config's path relative to the repository root when `DEPLOY_CONFIG` chose a file inside the repository: what
 * CI's `DEPLOY_CONFIG` variable must hold. Undefined otherwise (the root file and the demo need no variable; a file
 * outside the repository is not in CI's checkout).
 */
export function repositoryConfigPath(choice: ConfigChoice, root: string = PROJECT_ROOT): string | undefined {
  if (choice.origin !== "DEPLOY_CONFIG") return undefined;
  const inside = relative(root, choice.path);
  return inside && !inside.startsWith("..") && !isAbsolute(inside) ? inside.split(sep).join("/") : undefined;
}

/** The Terraform variable a deploy of the embedded demo must set to true (stacks/embedded-demo-guard.ts). */
export const EMBEDDED_DEMO_OPT_IN = "deploy_embedded_demo";

/**
 * The first line every synth prints: which file, and why. The path is shown relative to the working directory
 * when it is inside it.
 */
export function describeConfigChoice(choice: ConfigChoice, cwd: string = process.cwd()): string {
  const shown = relative(cwd, choice.path);
  const path = shown && !shown.startsWith("..") && !isAbsolute(shown) ? shown : choice.path;
  switch (choice.origin) {
    case "DEPLOY_CONFIG":
      return `config: ${path} (from DEPLOY_CONFIG)`;
    case "repository root":
      return `config: ${path} (found at the repository root; DEPLOY_CONFIG overrides it)`;
    case "embedded demo":
      return (
        `config: ${path} (the embedded demo, used because DEPLOY_CONFIG is unset and there is no ${ROOT_CONFIG_NAMES[0]} ` +
        `at the repository root; deploying it needs TF_VAR_${EMBEDDED_DEMO_OPT_IN}=true)`
      );
  }
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
    // Later YAML errors are usually echoes of the first; its position (moved to where the author slipped) helps.
    const first = document.errors[0];
    // The parser turns its own stack overflow (thousands of nested [ or -) into an error; say what it means.
    if (first.message.includes("Maximum call stack size exceeded")) {
      throw new ConfigError(path, ["is not valid YAML/JSON: nests too deeply (thousands of levels); a config is a few levels deep"]);
    }
    const { problem, excerpt } = describeYamlError(first, text, lineCounter);
    throw new ConfigError(path, [`is not valid YAML/JSON: ${problem}`], excerpt);
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

/** Loads, parses and validates the given file, by default the one `chooseConfig` picks. */
export function loadConfig(path: string = resolveConfigPath()): DeployConfig {
  return validateConfig(readConfigFile(path), path);
}
