// Fleet-mode test helpers: a small valid fleet config, and a full synth (cross-stack references only
// resolve across the whole app) read back stack by stack.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeployConfig, validateConfig } from "../../config";
import { ProjectStacks } from "../../stacks";
import { synthesizeApp } from "../../stacks/synthesize";
import { soloUnlessReviewed } from "./synth";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test-only view of arbitrary Terraform JSON
export type Json = Record<string, any>;

/** The raw input of a two-service fleet; tests spread their changes over it. */
export function fleetInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    project: "shop",
    region: "eu-west-1",
    environments: [{ name: "staging" }, { name: "prod", requireApproval: true }],
    state: { backend: "s3", bucket: "acme-shop-tfstate", keyPrefix: "shop" },
    services: [
      { name: "web", repository: "shop-web" },
      { name: "cart", repository: "shop-cart", branch: "release", service: { containerName: "cart", cpu: 512, memory: 1024 } },
    ],
    ...overrides,
    github: soloUnlessReviewed((overrides.github ?? { owner: "acme", repository: "shop-infra" }) as Record<string, unknown>),
  };
}

export function fleetConfig(overrides: Record<string, unknown> = {}): DeployConfig {
  return validateConfig(fleetInput(overrides), "fleet test config");
}

export interface SynthesizedFleet {
  readonly stacks: ProjectStacks;
  /** Synthesized `cdk.tf.json` by stack id. */
  readonly json: Readonly<Record<string, Json>>;
}

/** Synthesizes like `cdktf synth` and reads every stack back. */
export function synthFleet(config: DeployConfig): SynthesizedFleet {
  const outdir = mkdtempSync(join(tmpdir(), "fleet-"));
  try {
    const stacks = synthesizeApp(config, outdir);
    const json = Object.fromEntries(
      stacks.all().map((stack) => [stack.node.id, JSON.parse(readFileSync(join(outdir, "stacks", stack.node.id, "cdk.tf.json"), "utf8")) as Json]),
    );
    return { stacks, json };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Every resource of `type` in a stack's JSON. */
export function resourcesOf(json: Json, type: string): Json[] {
  return Object.values((json.resource?.[type] ?? {}) as Record<string, Json>);
}

/** `${data.terraform_remote_state.<platform>.outputs.<output>}` references inside a value. */
export function remoteStateOutputs(value: unknown): string[] {
  return [...JSON.stringify(value).matchAll(/data\.terraform_remote_state\.[\w-]+\.outputs\.([\w-]+)/g)].map((m) => m[1]);
}
