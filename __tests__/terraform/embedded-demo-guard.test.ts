import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CONFIG_PATH, loadConfig } from "../../config";
import { EMBEDDED_DEMO_REFUSAL } from "../../stacks/embedded-demo-guard";
import { synthesizeApp } from "../../stacks/synthesize";
import { offlineTerraformUnavailable, PLUGIN_DIR, prepareOfflineRoot, TERRAFORM_BIN, terraform, toOfflineJson } from "../../tools/offline-terraform";

/**
 * The embedded demo cannot be deployed by accident: Terraform itself refuses to plan (so `cdktf deploy` refuses
 * to apply) the bootstrap stack synthesized from it, until the opt-in variable is set. Checked on the real stack
 * against the mirrored AWS provider, with mock credentials.
 */
const unavailable = offlineTerraformUnavailable();
if (unavailable) console.warn(`skipping the embedded-demo guard's Terraform test: ${unavailable}`);
const describeOffline = unavailable ? describe.skip : describe;

/** Terraform's plan in `dir` with extra environment; its exit status and combined output (colour off). */
function plan(dir: string, env: Record<string, string>): { status: number; output: string } {
  try {
    const output = execFileSync(TERRAFORM_BIN, ["plan", "-refresh=false", "-input=false", "-no-color"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", AWS_EC2_METADATA_DISABLED: "true", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    return { status: 0, output };
  } catch (error) {
    const failure = error as { status: number; stdout?: string; stderr?: string };
    return { status: failure.status, output: `${failure.stdout ?? ""}${failure.stderr ?? ""}` };
  }
}

describeOffline("the embedded demo's bootstrap stack under terraform plan", () => {
  let outdir: string;
  let dir: string;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), "demo-guard-out-"));
    dir = mkdtempSync(join(tmpdir(), "demo-guard-tf-"));
    synthesizeApp(loadConfig(DEFAULT_CONFIG_PATH), outdir, { embeddedDemo: true });
    const stack = JSON.parse(readFileSync(join(outdir, "stacks", "bootstrap", "cdk.tf.json"), "utf8")) as Parameters<typeof toOfflineJson>[0];
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(toOfflineJson(stack)));
    terraform(dir, ["init", "-backend=false", `-plugin-dir=${PLUGIN_DIR}`, "-input=false", "-no-color"]);
  });

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it("fails without the opt-in, printing what to do", () => {
    const { status, output } = plan(dir, {});
    expect(status).toBe(1);
    expect(output).toContain("Error: Invalid value for variable");
    // Terraform wraps the message at word boundaries; compare the words.
    expect(output.replace(/[│\s]+/g, " ")).toContain(EMBEDDED_DEMO_REFUSAL);
  });

  it("plans the state bucket with TF_VAR_deploy_embedded_demo=true", () => {
    const { status, output } = plan(dir, { TF_VAR_deploy_embedded_demo: "true" });
    expect(status).toBe(0);
    expect(output).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy\./);
  });

  it("is opted in by the offline harness (benchmarks plan the app's own output; nothing is deployed)", () => {
    const root = prepareOfflineRoot({ demo: join(outdir, "stacks", "bootstrap") });
    try {
      const main = JSON.parse(readFileSync(join(root.dir, "main.tf.json"), "utf8")) as { module: Record<string, unknown> };
      expect(main.module.demo).toEqual({ source: "./demo", deploy_embedded_demo: true });
    } finally {
      rmSync(root.dir, { recursive: true, force: true });
    }
  });
});
