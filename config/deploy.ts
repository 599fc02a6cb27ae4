import { z } from "zod";
import { ECS_DEPLOYMENT_PRESETS } from "./aws-facts";
import { checkLegacyDeployKeys, checkStrategyKeys, LEGACY_DEPLOY_KEYS, LegacyDeployKey, legacyDeployInput, legacyKeysOf, recordLegacyDeploy } from "./deploy-rules";

/**
 * `environments[].deploy`: how releases reach an environment, one shape per strategy, so a key can
 * only be written where its strategy reads it. The flat keys it replaces still load (./deploy-rules.ts).
 */

type Ctx = z.core.$RefinementCtx;

const customDeployment = z.strictObject({
  type: z.enum(["canary", "linear"]).describe("canary: one step then the rest; linear: equal steps."),
  percentage: z.int().min(1).max(99).describe("Percent of traffic moved per step (1-99)."),
  intervalMinutes: z.int().min(1).max(2880).describe("Minutes between steps."),
});

const deploymentConfig = z
  .union([z.enum(ECS_DEPLOYMENT_PRESETS), customDeployment])
  .describe("A CodeDeploy ECS preset name, or a custom { type, percentage, intervalMinutes }.");

const terminationWaitMinutes = z.int().min(0).max(2880);
const TERMINATION_WAIT = "Minutes the old (blue) tasks stay up after a successful deploy, for instant rollback (0-2880).";
const bakeTimeMinutes = z.int().min(0).max(1440);
const BAKE_TIME = "Minutes both revisions keep running after production traffic moved, before the old one stops (0-1440).";

/**
 * ECS takes traffic percentages in tenths (LinearConfiguration.stepPercent, CanaryConfiguration.canaryPercent in
 * @aws-sdk/client-ecs): a finer value would be refused by the UpdateService call, long after synth.
 */
function checkTenths(min: number, max: number) {
  return (value: number, ctx: Ctx): void => {
    // Out of range already has its own message.
    if (value < min || value > max) return;
    if (Math.abs(value * 10 - Math.round(value * 10)) > 1e-9) {
      ctx.addIssue({ code: "custom", input: value, message: `must be a multiple of 0.1 from ${min.toFixed(1)} to ${max.toFixed(1)} (ECS shifts traffic in tenths of a percent)` });
    }
  };
}

const trafficMinutes = z.int().min(0).max(1440);

const linearTraffic = z.strictObject({
  type: z.literal("linear").describe("Equal steps, a bake after each."),
  stepPercent: z
    .number()
    .min(3)
    .max(100)
    .superRefine(checkTenths(3, 100))
    .default(10)
    .describe("Percent of production traffic moved per step: a multiple of 0.1 from 3.0 to 100.0 (ECS LinearConfiguration.stepPercent; AWS default 10.0)."),
  stepMinutes: trafficMinutes
    .default(6)
    .describe("Minutes between steps, 0-1440 (ECS LinearConfiguration.stepBakeTimeInMinutes; AWS default 6); not applied after the last step."),
});

const canaryTraffic = z.strictObject({
  type: z.literal("canary").describe("One step, a bake, then the rest at once."),
  canaryPercent: z
    .number()
    .min(0.1)
    .max(100)
    .superRefine(checkTenths(0.1, 100))
    .default(5)
    .describe("Percent of production traffic moved first: a multiple of 0.1 from 0.1 to 100.0 (ECS CanaryConfiguration.canaryPercent; AWS default 5.0)."),
  canaryMinutes: trafficMinutes
    .default(10)
    .describe("Minutes before the rest of the traffic moves, 0-1440 (ECS CanaryConfiguration.canaryBakeTimeInMinutes; AWS default 10)."),
});

const ecsTraffic = z
  .union([z.literal("all-at-once"), z.discriminatedUnion("type", [linearTraffic, canaryTraffic])])
  .describe(
    "How ECS moves production traffic: all-at-once (the BLUE_GREEN strategy), { type: linear, stepPercent, stepMinutes } (LINEAR) or { type: canary, canaryPercent, canaryMinutes } (CANARY).",
  );

const codedeployFields = {
  // Optional rather than defaulted, so checkStrategyKeys can tell an unset strategy (and say codedeploy is the default).
  strategy: z
    .literal("codedeploy")
    .optional()
    .describe("A CodeDeploy deployment group swaps the prod and test listeners (config, terminationWaitMinutes).")
    .meta({ default: "codedeploy" }),
  config: deploymentConfig.default("CodeDeployDefault.ECSCanary10Percent5Minutes"),
  terminationWaitMinutes: terminationWaitMinutes.default(5).describe(TERMINATION_WAIT),
};

const ecsFields = {
  strategy: z
    .literal("ecs")
    .describe(
      "ECS-native blue/green (bakeTimeMinutes, traffic): ECS moves traffic by reweighting listener rules; needs pipeline.imageSource codebuild.",
    ),
  bakeTimeMinutes: bakeTimeMinutes.default(5).describe(BAKE_TIME),
  traffic: ecsTraffic.default("all-at-once"),
};

/**
 * One strategy's shape. Loose, so that a key of the other strategy is refused by checkStrategyKeys in its own words
 * (it runs even when a sibling value is invalid: all problems at once); strict in the JSON Schema editors read.
 */
function strategyShape<T extends z.core.$ZodLooseShape>(strategy: "codedeploy" | "ecs", fields: T) {
  return z
    .looseObject(fields)
    .superRefine(checkStrategyKeys(strategy, Object.keys(fields)), { when: () => true })
    .meta({ additionalProperties: false });
}

/** The CodeDeploy strategy, as `loadConfig` returns it. */
export interface CodeDeployDeploy {
  strategy: "codedeploy";
  config: DeploymentConfigSetting;
  terminationWaitMinutes: number;
}

/** ECS-native traffic shifting: `all-at-once` is the BLUE_GREEN strategy, the mappings LINEAR and CANARY. */
export type EcsTrafficSetting =
  | "all-at-once"
  | { type: "linear"; stepPercent: number; stepMinutes: number }
  | { type: "canary"; canaryPercent: number; canaryMinutes: number };

/** The ECS-native strategy, as `loadConfig` returns it. */
export interface EcsDeploy {
  strategy: "ecs";
  bakeTimeMinutes: number;
  traffic: EcsTrafficSetting;
}

/** `environments[].deploy`, normalized: the strategy and only its own keys, defaults filled in. */
export type DeploySetting = CodeDeployDeploy | EcsDeploy;

/** A CodeDeploy preset name, or a custom canary / linear. */
export type DeploymentConfigSetting = z.output<typeof deploymentConfig>;

/** The parsed shape without the loose objects' index signatures (unknown keys never get past checkStrategyKeys). */
function exact(deploy: { strategy?: "codedeploy" | "ecs" } & Record<string, unknown>): DeploySetting {
  if (deploy.strategy === "ecs") {
    const { bakeTimeMinutes, traffic } = deploy as unknown as EcsDeploy;
    return { strategy: "ecs", bakeTimeMinutes, traffic };
  }
  const { config, terminationWaitMinutes } = deploy as unknown as CodeDeployDeploy;
  return { strategy: "codedeploy", config, terminationWaitMinutes };
}

const deploy = z
  .discriminatedUnion("strategy", [strategyShape("codedeploy", codedeployFields), strategyShape("ecs", ecsFields)])
  .transform(exact)
  .describe(
    "How releases reach this environment: strategy codedeploy (a CodeDeploy deployment group swaps the listeners; config, terminationWaitMinutes) " +
      "or strategy ecs (ECS-native blue/green; bakeTimeMinutes, traffic). Each strategy takes only its own keys. @default `{ strategy: codedeploy }` with the defaults below",
  );

// Both sides of the contract agree: the schema's output is what the types above promise.
const ecsTrafficMatches: z.output<typeof ecsTraffic> extends EcsTrafficSetting ? true : never = true;
void ecsTrafficMatches;

const deprecated = (replacement: string) => `Deprecated: write ${replacement} (synth warns).`;

/** The `deploy` key of an environment (`normalizeDeploy` fills it in). */
export const deployField = deploy.optional();

/** The flat keys `deploy` replaces: optional and without defaults (`deploy` has them), so a written one can be told apart. */
export const legacyDeployFields = {
  strategy: z.enum(["codedeploy", "ecs"]).optional().describe(deprecated("deploy.strategy")).meta({ deprecated: true }),
  bakeTimeMinutes: bakeTimeMinutes.optional().describe(deprecated("deploy.bakeTimeMinutes, with strategy ecs")).meta({ deprecated: true }),
  deploymentConfig: deploymentConfig.optional().describe(deprecated("deploy.config, with strategy codedeploy")).meta({ deprecated: true }),
  terminationWaitMinutes: terminationWaitMinutes.optional().describe(deprecated("deploy.terminationWaitMinutes, with strategy codedeploy")).meta({ deprecated: true }),
};

/** The legacy and mixing rules, run even when another key of the environment is invalid. */
export function withDeployRules<T extends z.ZodType>(environment: T): T {
  return environment.superRefine(checkLegacyDeployKeys, { when: () => true });
}

type WithDeployFields = { deploy?: DeploySetting } & Partial<Record<LegacyDeployKey, unknown>>;

/** An environment as `loadConfig` returns it: `deploy` filled in, no flat keys. */
export type WithDeploy<T> = { [K in Exclude<keyof T, LegacyDeployKey | "deploy">]: T[K] } & { deploy: DeploySetting };

/** An environment with `deploy` filled in: the given one, the flat keys mapped (and remembered for the warning), or the default. */
export function normalizeDeploy<T extends WithDeployFields>(environment: T): WithDeploy<T> {
  const rest: Record<string, unknown> = { ...environment };
  for (const key of [...LEGACY_DEPLOY_KEYS, "deploy"]) delete rest[key];
  const legacy = legacyKeysOf(environment);
  const input = legacy.length > 0 ? legacyDeployInput(environment) : {};
  // The flat values were validated by the same field schemas, and other-strategy keys refused: this parse succeeds.
  const normalized = { ...rest, deploy: environment.deploy ?? deploy.parse(input) } as WithDeploy<T>;
  if (legacy.length > 0) recordLegacyDeploy(normalized, legacy, input);
  return normalized;
}
