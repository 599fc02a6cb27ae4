import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { loadConfig } from "../../../config";
import { evaluatePolicyPack, formatPolicyReport } from "../../../constructs/policy";
import { buildStacks } from "../../../stacks";
import { AccessStack } from "../../../stacks/access-stack";
import { BootstrapStack } from "../../../stacks/bootstrap-stack";

const EXAMPLES = join(__dirname, "..", "..", "..", "config", "examples");
const files = readdirSync(EXAMPLES).filter((f) => /\.(ya?ml|json)$/.test(f));

describe("the policy pack on every committed example config", () => {
  test("finds example configs", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  test.each(files)("%s: every stack has zero violations", (file) => {
    const stacks = buildStacks(Testing.app(), loadConfig(join(EXAMPLES, file)));
    const reports = stacks.all().flatMap((stack) => {
      stack.prepareStack(); // adds the backend cdktf would add at synth
      const { violations } = evaluatePolicyPack(stack, { bootstrap: stack instanceof BootstrapStack, identity: stack instanceof AccessStack });
      return violations.length > 0 ? [formatPolicyReport(stack.node.path, violations)] : [];
    });
    expect(reports).toEqual([]);
  });
});
