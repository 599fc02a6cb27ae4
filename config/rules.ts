import { inProjectNameScope } from "./project-scope";
import { z } from "zod";
import { strategyOf, strategyPath } from "./deploy-rules";
import { describeMemory, FARGATE_MEMORY_BY_CPU, STATE_KEY_ARN, ZONE_LETTERS } from "./aws-facts";

/**
 * Cross-field rules. Each runs at the smallest level that holds its fields, so a type error
 * elsewhere does not hide them: zod skips a refinement only when its own subtree is invalid.
 */

type Ctx = z.core.$RefinementCtx;

/** Parses `a.b.c.d/n`; returns undefined when malformed. */
export function parseCidr(value: string): { address: number; prefix: number } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { address, prefix };
}

function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/** A CIDR must be well-formed and canonical (no host bits), as EC2 requires. */
export function checkCidr(value: string, ctx: Ctx, prefixRange: [number, number] = [0, 32]): void {
  const parsed = parseCidr(value);
  if (!parsed) {
    ctx.addIssue({ code: "custom", input: value, message: "must be an IPv4 CIDR block like 10.0.0.0/16" });
    return;
  }
  const [min, max] = prefixRange;
  if (parsed.prefix < min || parsed.prefix > max) {
    ctx.addIssue({ code: "custom", input: value, message: `prefix length must be /${min} to /${max}` });
    return;
  }
  const size = 2 ** (32 - parsed.prefix);
  const network = parsed.address - (parsed.address % size);
  if (network !== parsed.address) {
    ctx.addIssue({
      code: "custom",
      input: value,
      message: `has host bits set; did you mean ${formatAddress(network)}/${parsed.prefix}?`,
    });
  }
}

/** Git's ref-name rules (git check-ref-format), which GitHub enforces on branch names. */
export function checkBranch(value: string, ctx: Ctx): void {
  const broken =
    value.length === 0 ||
    value.length > 255 ||
    /[\s~^:?*[\\\x00-\x1f\x7f]/.test(value) ||
    value.includes("..") ||
    value.includes("@{") ||
    value.includes("//") ||
    value === "@" ||
    /^[/.-]|[/.]$|\.lock$/.test(value) ||
    value.split("/").some((part) => part.startsWith("."));
  if (broken) {
    ctx.addIssue({
      code: "custom",
      input: value,
      message: "must be a valid git branch name (no spaces, '..', '~^:?*[\\', leading '-' or '/', trailing '.', '/' or '.lock')",
    });
  }
}

/** Fargate accepts only specific cpu/memory pairs. */
export function checkFargateSize(service: { cpu: number; memory: number }, ctx: Ctx): void {
  const allowed = FARGATE_MEMORY_BY_CPU[service.cpu];
  if (allowed && !allowed.includes(service.memory)) {
    ctx.addIssue({
      code: "custom",
      path: ["memory"],
      input: service.memory,
      message: `is not a Fargate size for cpu ${service.cpu}; allowed memory: ${describeMemory(allowed)}`,
    });
  }
}

/** Below this port a non-root process may not listen (the Linux default of net.ipv4.ip_unprivileged_port_start). */
export const FIRST_UNPRIVILEGED_PORT = 1024;

/**
 * The default bootstrap image runs as a non-root user (like the application image must): it cannot listen below
 * port 1024. `path` is where containerPort is reported (the service block, or a fleet service's override).
 */
export function checkNonRootPort(
  service: { readonly containerPort: number; readonly bootstrapImage?: string },
  path: (string | number)[],
  ctx: Ctx,
): void {
  const port = service.containerPort;
  // An invalid port already has its own message.
  if (service.bootstrapImage !== undefined || !Number.isInteger(port) || port < 1 || port >= FIRST_UNPRIVILEGED_PORT) return;
  ctx.addIssue({
    code: "custom",
    path: [...path, "containerPort"],
    input: service.containerPort,
    message: `must be at least ${FIRST_UNPRIVILEGED_PORT}: containers run as a non-root user (the default bootstrap image and the application image), which cannot listen below ${FIRST_UNPRIVILEGED_PORT}; or set bootstrapImage`,
  });
}

/**
 * The construct-id form of an environment name (`prod-2` -> `Prod2`), as stacks/aws-stack.ts `environmentId` builds it:
 * two names with the same form would collide as construct ids (and Terraform addresses).
 */
export function environmentKey(name: string): string {
  return name
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

/** Environment names become resource names, pipeline stage names and construct ids: they must be unique in each. */
export function checkEnvironmentNames(environments: readonly { name: string }[], ctx: Ctx): void {
  const seen = new Map<string, number>();
  const seenKeys = new Map<string, number>();
  environments.forEach((environment, index) => {
    const first = seen.get(environment.name);
    // Only names that are themselves valid (lowercase) are compared, so a bad name gets one message, not two.
    const sameKey = /^[a-z0-9-]+$/.test(environment.name) ? seenKeys.get(environmentKey(environment.name)) : undefined;
    if (first !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: [index, "name"],
        input: environment.name,
        message: `duplicates environments[${first}].name; environment names must be unique`,
      });
    } else if (sameKey !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: [index, "name"],
        input: environment.name,
        message: `reads the same as environments[${sameKey}].name "${environments[sameKey].name}" once hyphens are dropped (both become Env${environmentKey(environment.name)} in Terraform addresses); rename one`,
      });
    } else {
      seen.set(environment.name, index);
      if (/^[a-z0-9-]+$/.test(environment.name)) seenKeys.set(environmentKey(environment.name), index);
    }
  });
}

/** The default zone names for a region: its first `count` zones, by letter. */
export function defaultZones(region: string, count: number): string[] {
  const letters = ZONE_LETTERS[region] ?? "abcd";
  return [...letters].slice(0, count).map((letter) => `${region}${letter}`);
}

interface NetworkLike {
  readonly mode: "new" | "existing";
  readonly azCount?: number;
  readonly availabilityZones?: readonly string[];
  readonly natGateways?: string;
  readonly natPublicIps?: readonly string[];
}

interface CrossFieldView {
  readonly region: string;
  readonly network: NetworkLike;
  readonly pipeline: { readonly imageSource: string; readonly ecrImageTag: string };
  readonly ecr: { readonly mutableTags: readonly string[] };
  readonly environments: readonly { readonly smokeTest?: boolean; readonly network?: NetworkLike; readonly certificateArn?: string; readonly deploy?: { readonly strategy: string } }[];
}

/**
 * ACM certificates are regional, and a load balancer only uses one from its own region
 * (https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html); Terraform would accept the ARN and fail at apply.
 */
function checkCertificateRegion(certificateArn: string | undefined, region: string, path: (string | number)[], ctx: Ctx): void {
  const certificateRegion = certificateArn === undefined ? undefined : /^arn:aws:acm:([a-z0-9-]+):/.exec(certificateArn)?.[1];
  if (certificateRegion === undefined || certificateRegion === region) return;
  ctx.addIssue({
    code: "custom",
    path,
    input: certificateArn,
    message: `is a certificate in ${certificateRegion}, but the load balancer is in ${region} (region); request or import the certificate in ${region}, ACM certificates work only in their own region`,
  });
}

function checkZones(network: NetworkLike, region: string, path: (string | number)[], ctx: Ctx): void {
  if (network.mode !== "new") return;
  const zones = network.availabilityZones;
  if (zones === undefined) {
    if (defaultZones(region, network.azCount ?? 2).length < (network.azCount ?? 2)) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "azCount"],
        input: network.azCount,
        message: `${region} has fewer zones than that by default; list them in availabilityZones`,
      });
    }
    return;
  }
  const seen = new Set<string>();
  zones.forEach((zone, index) => {
    // No RegExp built from the region: it is user input, and this rule may run while region is invalid.
    if (!(zone.startsWith(region) && /^[a-z]$/.test(zone.slice(region.length)))) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "availabilityZones", index],
        input: zone,
        message: `must be a zone of region ${region} (${region}a, ${region}b, ...)`,
      });
    } else if (seen.has(zone)) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "availabilityZones", index],
        input: zone,
        message: "is listed twice; each zone gets one public and one private subnet, and the ALB needs two different zones",
      });
    }
    seen.add(zone);
  });
  if (zones.length !== network.azCount) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "availabilityZones"],
      input: zones,
      message: `lists ${zones.length} zones but azCount is ${network.azCount}; they must agree`,
    });
  }
}

/** True when tasks in the private subnets can reach the internet-facing ALB through known NAT IPs. */
export function hasNatEgress(network: NetworkLike): boolean {
  return network.mode === "new" ? network.natGateways !== "none" : (network.natPublicIps?.length ?? 0) > 0;
}

/** A Docker image tag: what `pipeline.ecrImageTag` accepts. */
export const DOCKER_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * ECR tag-mutability exclusion filters match with `*` wildcards. Greedy matching with one backtrack point
 * (O(filter x tag)): a RegExp built from a hostile filter like `*a*a*a*a*b` could backtrack for minutes.
 */
export function matchesTagFilter(filter: string, tag: string): boolean {
  let f = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < tag.length) {
    if (f < filter.length && filter[f] !== "*" && filter[f] === tag[t]) {
      f++;
      t++;
    } else if (f < filter.length && filter[f] === "*") {
      star = f++;
      resume = t;
    } else if (star >= 0) {
      f = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (f < filter.length && filter[f] === "*") f++;
  return f === filter.length;
}

/** Rules that span sections: zones vs region, the smoke test vs NAT, ECR source vs tag immutability. */
/** Why the ecs strategy needs the pipeline's build. */
export const ECS_NEEDS_BUILD =
  "ecs releases register the task definition revision that only the pipeline's build renders (revision-<env>.json); use pipeline.imageSource: codebuild, or deploy.strategy: codedeploy";

export function checkCrossFields(config: CrossFieldView, ctx: Ctx): void {
  checkZones(config.network, config.region, ["network"], ctx);
  config.environments.forEach((environment, index) => {
    const network = environment.network ?? config.network;
    if (environment.network) checkZones(environment.network, config.region, ["environments", index, "network"], ctx);
    checkCertificateRegion(environment.certificateArn, config.region, ["environments", index, "certificateArn"], ctx);
    if (environment.smokeTest === true && !hasNatEgress(network)) {
      ctx.addIssue({
        code: "custom",
        path: ["environments", index, "smokeTest"],
        input: true,
        message:
          "needs NAT egress: the hook calls the internet-facing test listener from the VPC; use natGateways single/per-az, list natPublicIps of an existing VPC, or set smokeTest: false",
      });
    }
  });
  const { imageSource, ecrImageTag } = config.pipeline;
  config.environments.forEach((environment, index) => {
    if (strategyOf(environment) === "ecs" && imageSource === "ecr") {
      ctx.addIssue({
        code: "custom",
        path: ["environments", index, ...strategyPath(environment)],
        input: "ecs",
        message: ECS_NEEDS_BUILD,
      });
    }
  });
  // An invalid tag already has its own message; mutableTags entries are ECR wildcard filters ("release*").
  const tagIsValid = DOCKER_TAG.test(ecrImageTag);
  if (imageSource === "ecr" && tagIsValid && !config.ecr.mutableTags.some((filter) => matchesTagFilter(filter, ecrImageTag))) {
    ctx.addIssue({
      code: "custom",
      path: ["pipeline", "ecrImageTag"],
      input: ecrImageTag,
      message:
        `the repository has immutable tags, so "${ecrImageTag}" can be pushed only once and the pipeline would never start again. ` +
        `Either use imageSource: codebuild (the build pushes a new commit-SHA tag each time), ` +
        `or exempt this tag: ecr.mutableTags: ["${ecrImageTag}"]`,
    });
  }
}

/**
 * An ARN the identity layer trusts or protects: refuses wildcards (a trust or deny keyed on a pattern
 * would match more than the one resource), other partitions (the stacks run in `aws` only) and
 * another resource type, each with its own message.
 */
export function checkIdentityArn(service: string, resource: RegExp, example: string) {
  return (value: string, ctx: Ctx): void => {
    const fail = (message: string) => ctx.addIssue({ code: "custom", input: value, message });
    if (/[*?]/.test(value)) return fail(`must be one exact ARN without wildcards, like ${example}`);
    const parts = value.split(":");
    if (parts.length < 6 || parts[0] !== "arn") return fail(`must be an ARN like ${example}`);
    if (parts[1] !== "aws") return fail(`must be in the aws partition (the stacks deploy there only), like ${example}`);
    if (parts[2] !== service) return fail(`must be a ${service} ARN, like ${example}`);
    if (!/^\d{12}$/.test(parts[4])) return fail(`must name a 12-digit account, like ${example}`);
    if (!resource.test(parts.slice(5).join(":"))) return fail(`must be an ARN like ${example}`);
  };
}

/** GitHub user logins and team slugs that may approve deployments: exact names, no patterns. */
export function checkReviewer(kind: "user" | "team") {
  const pattern = kind === "user" ? /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/ : /^[a-z0-9][a-z0-9_-]{0,99}$/;
  const allowed =
    kind === "user"
      ? "a GitHub login: 1-39 letters, digits or single hyphens, no wildcards"
      : "a team slug of the repository's organization: lowercase letters, digits, '-' or '_', no wildcards";
  return (value: string, ctx: Ctx): void => {
    if (!pattern.test(value)) ctx.addIssue({ code: "custom", input: value, message: `must be ${allowed}` });
  };
}

/** GitHub allows at most six required reviewers per environment, users and teams together. */
export function checkReviewerCount(value: { users: readonly string[]; teams: readonly string[] }, ctx: Ctx): void {
  const count = value.users.length + value.teams.length;
  if (count > 6) {
    ctx.addIssue({ code: "custom", input: value, message: `GitHub allows at most 6 required reviewers, users and teams together; ${count} are listed` });
  }
}

/**
 * The deploy role is reached through the environment's approval: without a reviewer, whoever merges deploys alone.
 * Only an explicit `soloEvaluation: true` accepts that.
 */
export function checkReviewersRequired(
  value: { reviewers: { users: readonly string[]; teams: readonly string[] }; soloEvaluation: boolean },
  ctx: Ctx,
): void {
  if (value.soloEvaluation || value.reviewers.users.length + value.reviewers.teams.length > 0) return;
  ctx.addIssue({
    code: "custom",
    path: ["reviewers"],
    input: value.reviewers,
    message:
      "must name at least one user or team (got none): a reviewer other than the author approves every deploy; set github.deployEnvironment.soloEvaluation: true only for a one-person evaluation",
  });
}

/**
 * The deploy role manages the buckets named `<project>` / `<project>-*` (artifacts): a state bucket in that scope
 * would put every stack's state, the administrator's included, within its `s3:*`.
 */
export function checkStateBucketOutsideProject(config: { readonly project: string; readonly state: { readonly backend: string; readonly bucket?: string } }, ctx: Ctx): void {
  const { bucket } = config.state;
  if (config.state.backend !== "s3" || bucket === undefined || !inProjectNameScope(config.project, bucket)) return;
  ctx.addIssue({
    code: "custom",
    path: ["state", "bucket"],
    input: bucket,
    message: `must not be ${config.project} or start with ${config.project}-, where the deploy role manages the project's buckets; put something before it, e.g. acme-${config.project}-tfstate`,
  });
}

/** SSE-KMS needs the key in the bucket's region: `state.kmsKeyArn` must name the state region (`state.region`, else `region`). */
export function checkStateKeyRegion(config: { readonly region: string; readonly state: { readonly backend: string; readonly region?: string; readonly kmsKeyArn?: string } }, ctx: Ctx): void {
  const { state } = config;
  // A malformed ARN already has its own problem.
  if (state.backend !== "s3" || state.kmsKeyArn === undefined || !STATE_KEY_ARN.test(state.kmsKeyArn)) return;
  const stateRegion = state.region ?? config.region;
  const keyRegion = state.kmsKeyArn.split(":")[3];
  if (keyRegion !== stateRegion) {
    ctx.addIssue({
      code: "custom",
      path: ["state", "kmsKeyArn"],
      input: state.kmsKeyArn,
      message: `must be a key in the state bucket's region ${stateRegion} (the key is in ${keyRegion})`,
    });
  }
}
