import { z } from "zod";
import { describeMemory, FARGATE_MEMORY_BY_CPU } from "./aws-facts";
import { checkFargateSize, checkNonRootPort, DOCKER_TAG, ECS_NEEDS_BUILD, matchesTagFilter } from "./rules";
import { strategyOf } from "./deploy-rules";
import { showValue } from "./errors";

/**
 * Fleet mode (`services`): the schema helper for per-service overrides and the rules that span a
 * service and the top-level blocks it inherits from. Same style as ./rules.ts: every issue names its
 * key path, shows the value and says what is allowed.
 */

type Ctx = z.core.$RefinementCtx;

/**
 * `<project>-<service>` is the prefix of every resource name of a service. At most 26 characters keeps
 * the longest derived names whole: the artifact bucket prefix `<prefix>-artifacts-` (37 characters
 * max; the GitHub deploy role manages buckets by the `<project>-` prefix, which a shortened name could
 * cut) and IAM role names such as `<prefix>-<environment>-smoke-test-hook` (64 max).
 */
export const SERVICE_PREFIX_MAX_LENGTH = 26;

/** Service names that would collide with the fleet's own stack ids (`<project>-access`, `<project>-platform`, `<project>-github`, `<project>-<service>-github`). */
export const RESERVED_SERVICE_NAMES = ["access", "platform", "github"] as const;

/**
 * The same fields, each optional and without its default, so an override block holds only what the
 * user wrote and the top-level block's values (defaults included) fill in the rest. (zod's `.partial()`
 * would keep the defaults and silently override the inherited values with them.)
 */
export function overridesOf<T extends Record<string, z.ZodType>>(fields: T) {
  const optional: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(fields)) {
    const inner = field instanceof z.ZodDefault || field instanceof z.ZodPrefault ? (field.unwrap() as z.ZodType) : field;
    const text = (field.description ?? "").split("@default")[0].trim();
    optional[key] = inner.optional().describe(`${text} @default the top-level value`);
  }
  return z.strictObject(optional) as unknown as z.ZodType<
    { [K in keyof T]?: Exclude<z.output<T[K]>, undefined> },
    { [K in keyof T]?: z.input<T[K]> }
  >;
}

/** An override that sets both cpu and memory is checked on its own (with a merged view in checkFleet otherwise). */
export function checkServiceOverride(override: { cpu?: number; memory?: number }, ctx: Ctx): void {
  if (override.cpu !== undefined && override.memory !== undefined) checkFargateSize({ cpu: override.cpu, memory: override.memory }, ctx);
}

/** Service names become stack ids and resource-name prefixes: unique, and not one of the fleet's own stack names. */
export function checkServiceNames(services: readonly { name: string }[], ctx: Ctx): void {
  const seen = new Map<string, number>();
  services.forEach(({ name }, index) => {
    const first = seen.get(name);
    if (first !== undefined) {
      ctx.addIssue({ code: "custom", path: [index, "name"], input: name, message: `duplicates services[${first}].name; service names must be unique` });
    } else if ((RESERVED_SERVICE_NAMES as readonly string[]).includes(name) || name.endsWith("-github")) {
      ctx.addIssue({
        code: "custom",
        path: [index, "name"],
        input: name,
        message: `is reserved: the fleet's own stacks are <project>-access, <project>-platform, <project>-github and <project>-<service>-github; rename the service`,
      });
    }
    seen.set(name, index);
  });
}

interface FleetView {
  readonly project: string;
  readonly github: { readonly owner: string; readonly repository: string; readonly branch: string; readonly infrastructureRepository?: string };
  readonly service: { readonly cpu: number; readonly memory: number; readonly containerPort: number; readonly bootstrapImage?: string };
  readonly pipeline: { readonly imageSource: string; readonly ecrImageTag: string };
  readonly ecr: { readonly mutableTags: readonly string[] };
  readonly environments: readonly { readonly name: string; readonly deploy?: { readonly strategy: string } }[];
  readonly services?: readonly {
    readonly name: string;
    readonly repository: string;
    readonly branch?: string;
    readonly service?: { readonly cpu?: number; readonly memory?: number; readonly containerPort?: number; readonly bootstrapImage?: string };
    readonly pipeline?: { readonly imageSource?: string; readonly ecrImageTag?: string };
  }[];
}

/** Rules between each service and the top-level blocks it inherits (runs once the rest of the config is valid). */
export function checkFleet(config: FleetView, ctx: Ctx): void {
  const services = config.services ?? [];
  const owners = new Map<string, string>();
  const ecrSources = new Map<string, number>();
  const infra = config.github.infrastructureRepository ?? `${config.github.owner}/${config.github.repository}`;
  services.forEach((entry, index) => {
    const at = (...path: (string | number)[]) => ["services", index, ...path];
    const prefix = `${config.project}-${entry.name}`;
    if (prefix.length > SERVICE_PREFIX_MAX_LENGTH) {
      ctx.addIssue({
        code: "custom",
        path: at("name"),
        input: entry.name,
        message: `makes the resource-name prefix ${showValue(prefix)} ${prefix.length} characters long; <project>-<name> may be at most ${SERVICE_PREFIX_MAX_LENGTH} (shorten the service name or the project)`,
      });
    }
    checkMergedSize(config.service, entry.service ?? {}, at("service"), ctx);
    // Only what the override changes: the top-level rule reported an inherited port.
    if (entry.service?.containerPort !== undefined) {
      checkNonRootPort({ ...config.service, ...entry.service }, at("service"), ctx);
    }
    for (const environment of config.environments) {
      const runtime = `${entry.name}-${environment.name}`;
      const other = owners.get(runtime);
      if (other !== undefined && other !== entry.name) {
        ctx.addIssue({
          code: "custom",
          path: at("name"),
          input: entry.name,
          message: `with environment "${environment.name}" names its resources ${config.project}-${runtime}-..., like service "${other}" does: rename one service`,
        });
      }
      owners.set(runtime, entry.name);
    }
    const imageSource = entry.pipeline?.imageSource ?? config.pipeline.imageSource;
    if (imageSource !== "ecr") return;
    // The top-level rule reports an ecr-mode project; a service that switches to ecr is reported here.
    if (entry.pipeline?.imageSource === "ecr" && config.pipeline.imageSource !== "ecr") {
      const ecsEnvironments = config.environments.filter((e) => strategyOf(e) === "ecs").map((e) => e.name);
      if (ecsEnvironments.length > 0) {
        ctx.addIssue({
          code: "custom",
          path: at("pipeline", "imageSource"),
          input: "ecr",
          message: `environments ${ecsEnvironments.join(", ")} use strategy ecs: ${ECS_NEEDS_BUILD}`,
        });
      }
    }
    const source = `${config.github.owner}/${entry.repository}@${entry.branch ?? config.github.branch}`;
    const first = ecrSources.get(source);
    if (first !== undefined || source === `${infra}@${config.github.branch}`) {
      ctx.addIssue({
        code: "custom",
        path: at("repository"),
        input: entry.repository,
        message:
          `imageSource ecr commits deploy/taskdef-<env>.json and deploy/appspec-<env>.yaml to ${source}, ` +
          (first !== undefined ? `and so does services[${first}]` : "the infrastructure repository's deploy branch") +
          "; give each ecr-mode service its own repository or branch",
      });
    }
    ecrSources.set(source, index);
    const tag = entry.pipeline?.ecrImageTag ?? config.pipeline.ecrImageTag;
    // The top-level rule already reported the inherited tag of an ecr-mode project.
    if (config.pipeline.imageSource !== "ecr" || tag !== config.pipeline.ecrImageTag) checkMergedTag(config, tag, at("pipeline", "ecrImageTag"), ctx);
  });
}

function checkMergedSize(
  base: { readonly cpu: number; readonly memory: number },
  override: { readonly cpu?: number; readonly memory?: number },
  path: (string | number)[],
  ctx: Ctx,
): void {
  // Both set: checkServiceOverride reported it on the override itself; neither: the top-level rule did.
  if ((override.cpu === undefined) === (override.memory === undefined)) return;
  const cpu = override.cpu ?? base.cpu;
  const memory = override.memory ?? base.memory;
  const allowed = FARGATE_MEMORY_BY_CPU[cpu];
  if (!allowed || allowed.includes(memory)) return;
  const key = override.cpu !== undefined ? "cpu" : "memory";
  const inherited = override.cpu !== undefined ? `memory ${memory} (from service.memory)` : `memory ${memory}`;
  ctx.addIssue({
    code: "custom",
    path: [...path, key],
    input: key === "cpu" ? cpu : memory,
    message: `${inherited} is not a Fargate size for cpu ${cpu}${override.cpu === undefined ? " (from service.cpu)" : ""}; allowed memory: ${describeMemory(allowed)}`,
  });
}

function checkMergedTag(config: FleetView, tag: string, path: (string | number)[], ctx: Ctx): void {
  if (!DOCKER_TAG.test(tag) || config.ecr.mutableTags.some((filter) => matchesTagFilter(filter, tag))) return;
  ctx.addIssue({
    code: "custom",
    path,
    input: tag,
    message: `the repositories have immutable tags, so "${tag}" can be pushed only once and the pipeline would never start again; exempt it: ecr.mutableTags: ["${tag}"]`,
  });
}
