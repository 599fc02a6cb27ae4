import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../config";
import { synthesizeExample } from "../helpers/synth";
import { offlineTerraformUnavailable, OfflineRoot, PlanJson, prepareOfflineRoot, validateAndPlan, validateOffline } from "../../tools/offline-terraform";

/**
 * Terraform itself must accept what we synthesize: every committed example's AWS stack and the bootstrap
 * stack pass `terraform validate` and `terraform plan -refresh=false` against the mirrored AWS provider.
 * Fleet service stacks read the platform stack's outputs through `terraform_remote_state`, which a plan
 * would have to fetch from the real backend: a sample of them (first, middle, last) is validated only.
 */
const EXAMPLES_DIR = join(__dirname, "..", "..", "config", "examples");
const examples = readdirSync(EXAMPLES_DIR).filter((file) => /\.ya?ml$/.test(file));
const unavailable = offlineTerraformUnavailable();
if (unavailable) console.warn(`skipping offline Terraform tests: ${unavailable}`);
const describeOffline = unavailable ? describe.skip : describe;

/** First, middle and last: enough to catch a service-stack shape Terraform rejects, without validating every one. */
function sample<T>(items: readonly T[]): T[] {
  return [...new Set([items[0], items[Math.floor(items.length / 2)], items[items.length - 1]])].filter((item) => item !== undefined);
}

describeOffline("offline terraform", () => {
  let root: OfflineRoot;
  let validateOnlyRoot: OfflineRoot | undefined;
  let result: { validate: { valid: boolean }; plan: PlanJson };
  let validateOnly: { valid: boolean } | undefined;

  beforeAll(() => {
    const stackDirs: Record<string, string> = {};
    const validateOnlyDirs: Record<string, string> = {};
    for (const file of examples) {
      const config = loadConfig(join(EXAMPLES_DIR, file));
      const synthesized = synthesizeExample(config);
      for (const stack of synthesized.offlineStacks) {
        stackDirs[`${file.replace(/\.ya?ml$/, "")}__${stack}`] = join(synthesized.outdir, "stacks", stack);
      }
      for (const stack of sample(synthesized.validateOnlyStacks)) {
        validateOnlyDirs[`${file.replace(/\.ya?ml$/, "")}__${stack}`] = join(synthesized.outdir, "stacks", stack);
      }
    }
    root = prepareOfflineRoot(stackDirs);
    result = validateAndPlan(root);
    if (Object.keys(validateOnlyDirs).length > 0) {
      validateOnlyRoot = prepareOfflineRoot(validateOnlyDirs);
      validateOnly = validateOffline(validateOnlyRoot);
    }
  });

  afterAll(() => {
    if (root) rmSync(root.dir, { recursive: true, force: true });
    if (validateOnlyRoot) rmSync(validateOnlyRoot.dir, { recursive: true, force: true });
  });

  test("terraform validate accepts a sample of the fleet service stacks (they read remote state, so no plan)", () => {
    expect(validateOnlyRoot?.modules.length ?? 0).toBeGreaterThan(0);
    expect(validateOnly?.valid).toBe(true);
  });

  test("terraform validate accepts every AWS-provider stack of every example config", () => {
    expect(result.validate.valid).toBe(true);
  });

  test.each(examples)("terraform plan creates the identity layer of %s in its access stack", (file) => {
    const prefix = file.replace(/\.ya?ml$/, "");
    const access = (result.plan.resource_changes ?? []).filter((c) => /-access$/.test(c.module_address ?? "") && c.module_address?.startsWith(`module.${prefix}__`));
    const types = new Set(access.map((c) => c.type));
    expect([...types].filter((t) => t.startsWith("aws_iam_role") || t === "aws_iam_policy").sort()).toEqual([
      "aws_iam_policy",
      "aws_iam_role",
      "aws_iam_role_policy",
      "aws_iam_role_policy_attachment",
    ]);
  });

  test.each(examples)("terraform plan creates the stacks of %s and destroys nothing", (file) => {
    const prefix = file.replace(/\.ya?ml$/, "");
    const changes = (result.plan.resource_changes ?? []).filter((c) => c.module_address?.startsWith(`module.${prefix}__`));
    expect(changes.length).toBeGreaterThan(10);
    expect(changes.filter((c) => !c.change.actions.every((a) => a === "create" || a === "no-op" || a === "read"))).toEqual([]);
  });
});
