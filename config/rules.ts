import { z } from "zod";
import { describeMemory, FARGATE_MEMORY_BY_CPU, ZONE_LETTERS } from "./aws-facts";

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

/** Environment names become resource names and pipeline stage names: they must be unique. */
export function checkEnvironmentNames(environments: readonly { name: string }[], ctx: Ctx): void {
  const seen = new Map<string, number>();
  environments.forEach((environment, index) => {
    const first = seen.get(environment.name);
    if (first !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: [index, "name"],
        input: environment.name,
        message: `duplicates environments[${first}].name; environment names must be unique`,
      });
    } else {
      seen.set(environment.name, index);
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
  readonly environments: readonly { readonly smokeTest?: boolean; readonly network?: NetworkLike }[];
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
  zones.forEach((zone, index) => {
    if (!new RegExp(`^${region}[a-z]$`).test(zone)) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "availabilityZones", index],
        input: zone,
        message: `must be a zone of region ${region} (${region}a, ${region}b, ...)`,
      });
    }
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

/** Rules that span sections: zones vs region, the smoke test vs NAT, ECR source vs tag immutability. */
export function checkCrossFields(config: CrossFieldView, ctx: Ctx): void {
  checkZones(config.network, config.region, ["network"], ctx);
  config.environments.forEach((environment, index) => {
    const network = environment.network ?? config.network;
    if (environment.network) checkZones(environment.network, config.region, ["environments", index, "network"], ctx);
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
  if (imageSource === "ecr" && !config.ecr.mutableTags.includes(ecrImageTag)) {
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
