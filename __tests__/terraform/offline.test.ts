import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../config";
import { synthesizeExample } from "../helpers/synth";
import { offlineTerraformUnavailable, OfflineRoot, PlanJson, prepareOfflineRoot, validateAndPlan } from "../helpers/offline-terraform";

/**
 * Terraform itself must accept what we synthesize: every committed example's AWS stack and the bootstrap
 * stack pass `terraform validate` and `terraform plan -refresh=false` against the mirrored AWS provider.
 */
const EXAMPLES_DIR = join(__dirname, "..", "..", "config", "examples");
const examples = readdirSync(EXAMPLES_DIR).filter((file) => /\.ya?ml$/.test(file));
const unavailable = offlineTerraformUnavailable();
if (unavailable) console.warn(`skipping offline Terraform tests: ${unavailable}`);
const describeOffline = unavailable ? describe.skip : describe;

describeOffline("offline terraform", () => {
  let root: OfflineRoot;
  let result: { validate: { valid: boolean }; plan: PlanJson };

  beforeAll(() => {
    const stackDirs: Record<string, string> = {};
    for (const file of examples) {
      const config = loadConfig(join(EXAMPLES_DIR, file));
      const synthesized = synthesizeExample(config);
      for (const stack of synthesized.offlineStacks) {
        stackDirs[`${file.replace(/\.ya?ml$/, "")}__${stack}`] = join(synthesized.outdir, "stacks", stack);
      }
    }
    root = prepareOfflineRoot(stackDirs);
    result = validateAndPlan(root);
  });

  afterAll(() => {
    if (root) rmSync(root.dir, { recursive: true, force: true });
  });

  test("terraform validate accepts every AWS-provider stack of every example config", () => {
    expect(result.validate.valid).toBe(true);
  });

  test.each(examples)("terraform plan creates the stacks of %s and destroys nothing", (file) => {
    const prefix = file.replace(/\.ya?ml$/, "");
    const changes = (result.plan.resource_changes ?? []).filter((c) => c.module_address?.startsWith(`module.${prefix}__`));
    expect(changes.length).toBeGreaterThan(10);
    expect(changes.filter((c) => !c.change.actions.every((a) => a === "create" || a === "no-op" || a === "read"))).toEqual([]);
  });
});
