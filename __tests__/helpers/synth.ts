import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Testing } from "cdktf";
import { DeployConfig, validateConfig } from "../../config";
import { buildStacks, ProjectStacks } from "../../stacks";
import { reuseTerraformJsonDuringSynth } from "../../speed/synth";
import { synthesizeApp } from "../../stacks/synthesize";

/**
 * A minimal valid config; tests override what they are about. One repository holds the infrastructure and the
 * application, in the folder app/ (the trigger cannot tell the repository's root apart from the infrastructure).
 */
export function testConfig(overrides: Record<string, unknown> = {}): DeployConfig {
  const pipeline = { buildContext: "app", ...(overrides.pipeline as Record<string, unknown> | undefined) };
  return validateConfig(
    {
      project: "demo",
      region: "eu-west-1",
      environments: [{ name: "staging" }, { name: "prod", requireApproval: true }],
      state: { backend: "s3", bucket: "acme-demo-tfstate" },
      ...overrides,
      github: soloUnlessReviewed((overrides.github ?? { owner: "acme", repository: "web" }) as Record<string, unknown>),
      pipeline,
    },
    "test config",
  );
}

/** A test's `github` block without reviewers is a solo evaluation (the config refuses no reviewers otherwise). */
export function soloUnlessReviewed(github: Record<string, unknown>): Record<string, unknown> {
  const environment = (github.deployEnvironment ?? {}) as Record<string, unknown>;
  if (environment.reviewers !== undefined || environment.soloEvaluation !== undefined) return github;
  return { ...github, deployEnvironment: { ...environment, soloEvaluation: true } };
}

/** Builds the project's stacks in a test app and returns them with the AWS stack's synthesized JSON. */
export function synthProject(config: DeployConfig): { stacks: ProjectStacks; aws: TerraformJson } {
  const app = Testing.app({ stackTraces: false });
  const stacks = buildStacks(app as App, config);
  // The policy pack's validation and the synth read the same Terraform JSON, as in `cdktf synth` (test speed).
  reuseTerraformJsonDuringSynth([stacks.firstDelivery]);
  return { stacks, aws: JSON.parse(Testing.synth(stacks.firstDelivery, true)) as TerraformJson };
}

/**
 * Synthesizes like `cdktf synth` into a fresh folder; lists the stacks that only use the AWS provider:
 * those Terraform can plan offline, and those it can only validate (they read another stack's remote state).
 */
export function synthesizeExample(config: DeployConfig, configPath?: string): { outdir: string; offlineStacks: string[]; validateOnlyStacks: string[] } {
  const outdir = mkdtempSync(join(tmpdir(), "synth-"));
  // With the config's path, the output carries the synth stamp the tools check (config/synth-stamp.ts).
  const stacks = synthesizeApp(config, outdir, { configPath });
  return { outdir, offlineStacks: stacks.offlineStackIds(), validateOnlyStacks: stacks.remoteStateStackIds() };
}

export interface TerraformJson {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, Record<string, unknown>>;
  terraform?: Record<string, unknown>;
}
