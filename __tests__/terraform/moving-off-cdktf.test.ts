import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CONFIG_PATH, loadConfig } from "../../config";
import { PROJECT_ROOT } from "../../config/paths";
import { OFFLINE_AWS_PROVIDER_VERSION, offlineTerraformUnavailable, PLUGIN_DIR, terraform } from "../../tools/offline-terraform";
import { synthesizeExample } from "../helpers/synth";

/**
 * The exit README.md "Moving off CDKTF" promises, step by step: the synthesized stack folder, copied out of the
 * project, is a Terraform configuration on its own (no cdktf, no Node, its assets beside it). The only change is
 * the provider version, rewritten to the offline mirror's (5.100.0 here; deployments pin 6.25.0).
 */
const unavailable = offlineTerraformUnavailable();
if (unavailable) console.warn(`skipping the plain-Terraform exit test: ${unavailable}`);
const describeOffline = unavailable ? describe.skip : describe;

describe("README: Moving off CDKTF", () => {
  const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### Moving off CDKTF"), readme.indexOf("## Guardrails"));

  test("spells out the plain-Terraform steps on the synthesized folder", () => {
    for (const step of ["npm run synth", "cdktf.out/stacks/<stack>", "assets/", "terraform init", "terraform plan"]) expect(section).toContain(step);
  });

  test("does not offer cdktf synth --hcl as an exit", () => {
    expect(section).toContain("`npx cdktf synth --hcl` is not an exit");
  });
});

describeOffline("plain Terraform on a synthesized stack folder, outside the project", () => {
  let dir: string;
  let outdir: string;

  beforeAll(() => {
    const synthesized = synthesizeExample(loadConfig(DEFAULT_CONFIG_PATH));
    outdir = synthesized.outdir;
    const [stack] = synthesized.offlineStacks.filter((id) => id !== "bootstrap");
    dir = mkdtempSync(join(tmpdir(), "off-cdktf-"));
    // Step 2: copy the folder (cdk.tf.json and assets/) out of the project.
    cpSync(join(outdir, "stacks", stack), dir, { recursive: true });
    const file = join(dir, "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8")) as { terraform: { required_providers: { aws: { version: string } } } };
    json.terraform.required_providers.aws.version = OFFLINE_AWS_PROVIDER_VERSION;
    writeFileSync(file, JSON.stringify(json));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  test("terraform init and validate accept it as it is", () => {
    // Step 3 without a backend (no AWS account here): the backend block stays in the file and is skipped.
    terraform(dir, ["init", "-backend=false", `-plugin-dir=${PLUGIN_DIR}`, "-input=false", "-no-color"]);
    const validate = JSON.parse(terraform(dir, ["validate", "-json", "-no-color"])) as { valid: boolean; error_count: number };
    expect(validate).toMatchObject({ valid: true, error_count: 0 });
  });
});
