import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { loadConfig } from "../../../config";
import { evaluatePolicyPack, formatPolicyReport } from "../../../constructs/policy";
import { buildStacks } from "../../../stacks";

const EXAMPLES = join(__dirname, "..", "..", "..", "config", "examples");
const files = readdirSync(EXAMPLES).filter((f) => /\.(ya?ml|json)$/.test(f));

describe("the policy pack on every committed example config", () => {
  test("evaluates each stack with the options it registered: an example's plain-HTTP opt-out is what lets its listeners pass", () => {
    const stacks = buildStacks(Testing.app(), loadConfig(join(EXAMPLES, "default.yaml")));
    stacks.firstDelivery.prepareStack();
    expect(evaluatePolicyPack(stacks.firstDelivery).violations).toEqual([]);
    expect(evaluatePolicyPack(stacks.firstDelivery, {}).violations.map((v) => v.ruleId)).toEqual(["BG-ALB-006", "BG-ALB-006", "BG-ALB-006", "BG-ALB-006"]);
  });

  test("finds example configs", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  test.each(files)("%s: every stack has zero violations", (file) => {
    const stacks = buildStacks(Testing.app(), loadConfig(join(EXAMPLES, file)));
    const reports = stacks.all().flatMap((stack) => {
      stack.prepareStack(); // adds the backend cdktf would add at synth
      // With the options each stack registered (bootstrap, identity, deletion protection, the plain-HTTP opt-outs).
      const { violations } = evaluatePolicyPack(stack);
      return violations.length > 0 ? [formatPolicyReport(stack.node.path, violations)] : [];
    });
    expect(reports).toEqual([]);
  });
});
