import { z } from "zod";

/**
 * Rules of `environments[].deploy`: which keys belong to which strategy, and the deprecated flat keys
 * (`strategy`, `bakeTimeMinutes`, `deploymentConfig`, `terminationWaitMinutes` beside `name`) that still load,
 * mapped into `deploy` with one warning per environment. A key of the other strategy is refused in one line
 * that says what to use instead: earlier versions accepted it and silently ignored it.
 */

type Ctx = z.core.$RefinementCtx;

export type Strategy = "codedeploy" | "ecs";

/** The deprecated flat keys of an environment, in the order the warning names them. */
export const LEGACY_DEPLOY_KEYS = ["strategy", "bakeTimeMinutes", "deploymentConfig", "terminationWaitMinutes"] as const;
export type LegacyDeployKey = (typeof LEGACY_DEPLOY_KEYS)[number];

/** Where each flat key went in `deploy`. */
const DEPLOY_KEY_OF: Readonly<Record<LegacyDeployKey, string>> = {
  strategy: "strategy",
  bakeTimeMinutes: "bakeTimeMinutes",
  deploymentConfig: "config",
  terminationWaitMinutes: "terminationWaitMinutes",
};

const OTHER: Readonly<Record<Strategy, Strategy>> = { codedeploy: "ecs", ecs: "codedeploy" };

/** Per strategy, the keys of the other one (in `deploy` and flat), and what does that job with this strategy. */
const INSTEAD: Readonly<Record<Strategy, Readonly<Record<string, string>>>> = {
  ecs: {
    config: "use deploy.traffic ({ type: linear|canary, ... }) for ECS-native traffic shifting",
    deploymentConfig: "use deploy.traffic ({ type: linear|canary, ... }) for ECS-native traffic shifting",
    terminationWaitMinutes: "with ecs, deploy.bakeTimeMinutes keeps the old revision running after traffic moved",
  },
  codedeploy: {
    traffic: "with codedeploy, deploy.config shifts traffic (a preset or { type: canary|linear, percentage, intervalMinutes })",
    bakeTimeMinutes: "with codedeploy, deploy.terminationWaitMinutes keeps the old tasks running after traffic moved",
  },
};

/** `belongs to strategy codedeploy, not ecs; <what to use instead>`, or undefined for a key that is not the other strategy's. */
export function foreignKeyMessage(key: string, strategy: Strategy, strategyGiven: boolean): string | undefined {
  const instead = INSTEAD[strategy][key];
  if (instead === undefined) return undefined;
  const current = strategyGiven ? strategy : `${strategy} (the default strategy)`;
  return `belongs to strategy ${OTHER[strategy]}, not ${current}; ${instead}`;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The check of one strategy's `deploy` shape (a loose object, so that a key of the other strategy gets this
 * message, not zod's unknown-key one): each other-strategy key in one line, any other extra key as an unknown key,
 * whose message lists this strategy's keys (./errors.ts picks the shape by its `strategy`).
 */
export function checkStrategyKeys(strategy: Strategy, allowed: readonly string[]) {
  return (value: unknown, ctx: Ctx): void => {
    if (!isMapping(value)) return;
    const unknown: string[] = [];
    for (const key of Object.keys(value)) {
      if (allowed.includes(key)) continue;
      const message = foreignKeyMessage(key, strategy, value.strategy !== undefined);
      if (message === undefined) unknown.push(key);
      else ctx.addIssue({ code: "custom", path: [key], input: value[key], message });
    }
    if (unknown.length > 0) ctx.addIssue({ code: "unrecognized_keys", keys: unknown, input: value });
  };
}

/** The flat keys an environment mapping sets. */
export function legacyKeysOf(environment: Record<string, unknown>): LegacyDeployKey[] {
  return LEGACY_DEPLOY_KEYS.filter((key) => environment[key] !== undefined);
}

/**
 * An environment with flat keys: not together with `deploy` (which would win is a guess), and no key of the
 * other strategy (codedeploy when `strategy` is unset, as before).
 */
export function checkLegacyDeployKeys(environment: unknown, ctx: Ctx): void {
  if (!isMapping(environment)) return;
  const legacy = legacyKeysOf(environment);
  if (legacy.length === 0) return;
  if (environment.deploy !== undefined) {
    ctx.addIssue({
      code: "custom",
      input: Object.fromEntries(legacy.map((key) => [key, environment[key]])),
      message: `sets deploy and the deprecated ${legacy.join(", ")}; move ${legacy.length === 1 ? "it" : "them"} into deploy`,
    });
    return;
  }
  const given = environment.strategy;
  if (given !== undefined && given !== "codedeploy" && given !== "ecs") return; // an unknown strategy has its own message
  const strategy: Strategy = given === "ecs" ? "ecs" : "codedeploy";
  for (const key of legacy) {
    const message = foreignKeyMessage(key, strategy, given !== undefined);
    if (message !== undefined) ctx.addIssue({ code: "custom", path: [key], input: environment[key], message });
  }
}

/** The flat keys rewritten as a `deploy` mapping (strategy always written out). */
export function legacyDeployInput(environment: Partial<Record<LegacyDeployKey, unknown>>): Record<string, unknown> {
  const deploy: Record<string, unknown> = { strategy: environment.strategy ?? "codedeploy" };
  for (const key of LEGACY_DEPLOY_KEYS) {
    if (environment[key] !== undefined) deploy[DEPLOY_KEY_OF[key]] = environment[key];
  }
  return deploy;
}

/**
 * Environments that were written with flat keys, and which: for the deprecation warning and for rules that point
 * at the key the author wrote. Keyed by the normalized environment object, so the output type carries no trace.
 */
const legacyEnvironments = new WeakMap<object, { readonly keys: readonly LegacyDeployKey[]; readonly deploy: Record<string, unknown> }>();

export function recordLegacyDeploy(environment: object, keys: readonly LegacyDeployKey[], deploy: Record<string, unknown>): void {
  legacyEnvironments.set(environment, { keys, deploy });
}

/**
 * An environment's strategy, for rules over the whole config. Undefined when the environment has problems of its own:
 * zod still runs those rules after a problem that does not stop parsing, but not the normalization that fills in `deploy`.
 */
export function strategyOf(environment: { readonly deploy?: { readonly strategy: string } }): string | undefined {
  return environment.deploy?.strategy;
}

/** The path, inside its environment, of the key that chose the strategy: `strategy` if written flat, else `deploy.strategy`. */
export function strategyPath(environment: object): string[] {
  return legacyEnvironments.has(environment) ? ["strategy"] : ["deploy", "strategy"];
}

/** `{ strategy: codedeploy, config: { type: canary, percentage: 20, intervalMinutes: 2 } }`: YAML flow style of validated values. */
function flow(value: unknown): string {
  if (isMapping(value)) return `{ ${Object.entries(value).map(([key, inner]) => `${key}: ${flow(inner)}`).join(", ")} }`;
  return String(value);
}

/** `warning: environments[0]: strategy/bakeTimeMinutes are deprecated; write deploy: { strategy: ecs, bakeTimeMinutes: 15 }`, if written flat. */
export function legacyDeployWarning(environment: object, index: number): string | undefined {
  const legacy = legacyEnvironments.get(environment);
  if (legacy === undefined) return undefined;
  const verb = legacy.keys.length === 1 ? "is" : "are";
  return `warning: environments[${index}]: ${legacy.keys.join("/")} ${verb} deprecated; write deploy: ${flow(legacy.deploy)}`;
}
