import { ConfigError, validateConfig } from "../../config";

/** A raw (unvalidated) config as a user would write it: plain data, any shape. */
export type RawConfig = Record<string, unknown>;

/**
 * A fresh minimal valid raw config: only the keys without defaults, and the application's folder (one repository
 * holds both, so the build context must be a folder: config/github-rules.ts). Each call returns a new object.
 */
export function validInput(): RawConfig {
  return {
    project: "demo",
    region: "eu-west-1",
    github: { owner: "acme", repository: "web", deployEnvironment: { soloEvaluation: true } },
    pipeline: { buildContext: "app" },
    environments: [{ name: "staging" }, { name: "prod" }],
    state: { backend: "s3", bucket: "acme-demo-tfstate" },
  };
}

/** Splits `environments[1].deploymentConfig` into ["environments", 1, "deploymentConfig"]. */
export function parsePath(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  for (const part of path.split(".")) {
    const match = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) throw new Error(`bad test path ${path}`);
    if (match[1]) keys.push(match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) keys.push(Number(index[1]));
  }
  return keys;
}

function parentOf(root: RawConfig, keys: (string | number)[]): Record<string | number, unknown> {
  let node = root as Record<string | number, unknown>;
  keys.slice(0, -1).forEach((key, i) => {
    if (node[key] === undefined || node[key] === null || typeof node[key] !== "object") {
      node[key] = typeof keys[i + 1] === "number" ? [] : {};
    }
    node = node[key] as Record<string | number, unknown>;
  });
  return node;
}

/** A valid input with the value at `path` replaced (missing parents are created). */
export function withValue(path: string, value: unknown, base: RawConfig = validInput()): RawConfig {
  const keys = parsePath(path);
  parentOf(base, keys)[keys[keys.length - 1]] = value;
  return base;
}

/** A valid input with several values replaced, applied in order. */
export function withValues(values: Record<string, unknown>, base: RawConfig = validInput()): RawConfig {
  return Object.entries(values).reduce((config, [path, value]) => withValue(path, value, config), base);
}

/** A valid input with the key at `path` deleted. */
export function without(path: string, base: RawConfig = validInput()): RawConfig {
  const keys = parsePath(path);
  const parent = parentOf(base, keys);
  const last = keys[keys.length - 1];
  if (Array.isArray(parent) && typeof last === "number") parent.splice(last, 1);
  else delete parent[last];
  return base;
}

/**
 * The problem lines `validateConfig` reports for `input` ([] when it is valid).
 * Any exception other than ConfigError is rethrown: that is a bug in the config code.
 */
export function problemsOf(input: unknown): string[] {
  try {
    validateConfig(input, "test.yaml");
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

/** The single problem line for `input`; fails the test when there is none or several. */
export function onlyProblem(input: unknown): string {
  const problems = problemsOf(input);
  if (problems.length !== 1) {
    throw new Error(`expected exactly one problem, got ${problems.length}:\n  ${problems.join("\n  ")}`);
  }
  return problems[0];
}
