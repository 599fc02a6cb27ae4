import { readFileSync } from "node:fs";
import { join } from "node:path";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Testing } from "cdktf";
import {
  ALL_RULES,
  applyPolicyPack,
  describeSuppressions,
  evaluatePolicyPack,
  evaluateTerraform,
  PolicyViolationError,
  Rule,
  suppress,
} from "../../../constructs/policy";
import { blueGreenFixture, compliantBucket, policyStack } from "../../helpers/policy";

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

describe("the rule registry", () => {
  test("holds at least 30 rules with unique, well-formed ids", () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(ids.length).toBeGreaterThanOrEqual(30);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^BG-[A-Z0-9]+-\d{3}$/);
  });

  test("documents every rule: what, why with a source, and the fix", () => {
    for (const rule of ALL_RULES) {
      expect([rule.id, rule.title.length > 0, rule.check.length > 0, rule.rationale.length > 0, rule.fix.length > 0]).toEqual([rule.id, true, true, true, true]);
      expect(rule.source).toMatch(/^https:\/\//);
    }
  });

  test("lists every rule in docs/policy-rules.md", () => {
    const doc = readFileSync(join(__dirname, "..", "..", "..", "docs", "policy-rules.md"), "utf8");
    expect(ALL_RULES.map((r) => r.id).filter((id) => !doc.includes(`| ${id} |`))).toEqual([]);
  });
});

describe("applyPolicyPack", () => {
  test("lets a compliant stack synthesize", () => {
    const stack = policyStack();
    compliantBucket(stack);
    blueGreenFixture(stack);
    applyPolicyPack(stack);
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });

  test("fails synth with one report listing every violation, its address and the fix", () => {
    const stack = policyStack();
    new S3Bucket(stack, "Loose", { bucket: "loose" });
    applyPolicyPack(stack);
    const error = thrown(() => Testing.synth(stack, true));
    expect(error).toBeInstanceOf(PolicyViolationError);
    const report = (error as PolicyViolationError).report;
    expect(report).toContain('policy: stack "test" fails 5 violations:');
    for (const id of ["BG-S3-001", "BG-S3-002", "BG-S3-003", "BG-S3-004", "BG-S3-005"]) {
      expect(report).toContain(`${id} aws_s3_bucket.Loose (test/Loose)`);
    }
    expect(report).toContain("fix: Add an aws_s3_bucket_public_access_block");
    expect((error as PolicyViolationError).violations).toHaveLength(5);
  });

  test("checks resources added by hand through overrides", () => {
    const stack = policyStack();
    stack.addOverride("resource.aws_sns_topic.HandMade", { name: "hand-made" });
    expect(evaluatePolicyPack(stack).violations).toEqual([
      { ruleId: "BG-SNS-001", address: "aws_sns_topic.HandMade", path: "test", message: "topic is not encrypted" },
    ]);
  });

  test("reports a rule that throws as a violation instead of crashing synth", () => {
    const stack = policyStack();
    const broken: Rule = { ...ALL_RULES[0], evaluate: () => { throw new Error("boom"); } };
    expect(evaluatePolicyPack(stack, { rules: [broken] }).violations[0].message).toBe("the rule could not evaluate this stack: boom");
  });

  test("evaluates a large stack in linear time", () => {
    const stack = policyStack();
    for (let i = 0; i < 40; i++) compliantBucket(stack, `Bucket${i}`);
    for (let i = 0; i < 20; i++) blueGreenFixture(stack, `Env${i}`);
    const terraform = stack.toTerraform() as Record<string, unknown>;
    const started = performance.now();
    const result = evaluateTerraform(terraform, { stackPath: "test" });
    expect(result.violations).toEqual([]);
    // About 700 resources; the pack itself takes ~10 ms here, toTerraform dominates synth time.
    expect(performance.now() - started).toBeLessThan(300);
  });
});

describe("suppressions", () => {
  test("accept a violation inside the suppressed construct and list it", () => {
    const stack = policyStack();
    const { service } = blueGreenFixture(stack, "Prod");
    service.addOverride("network_configuration.assign_public_ip", true);
    const scope = service.node.scope;
    if (!scope) throw new Error("fixture has no scope");
    suppress(scope, [{ id: "BG-ECS-006", reason: "no NAT gateway: tasks pull images over their public IP" }]);
    const result = evaluatePolicyPack(stack);
    expect(result.violations).toEqual([]);
    expect(result.suppressed.map((s) => [s.violation.ruleId, s.suppression.path])).toEqual([["BG-ECS-006", "test/Prod"]]);
    expect(describeSuppressions(stack)).toEqual(["policy: suppressed BG-ECS-006 on test/Prod (no NAT gateway: tasks pull images over their public IP)"]);
  });

  test("do not reach resources outside the suppressed construct", () => {
    const stack = policyStack();
    const prod = blueGreenFixture(stack, "Prod");
    const dev = blueGreenFixture(stack, "Dev");
    prod.service.addOverride("network_configuration.assign_public_ip", true);
    dev.service.addOverride("network_configuration.assign_public_ip", true);
    suppress(dev.service, [{ id: "BG-ECS-006", reason: "dev runs without NAT to save cost" }]);
    expect(evaluatePolicyPack(stack).violations.map((v) => v.path)).toEqual(["test/Prod/Service"]);
  });

  test("fail when the reason is under 10 characters", () => {
    const stack = policyStack();
    const error = thrown(() => suppress(stack, [{ id: "BG-ECS-006", reason: "cost" }]));
    expect(error).toBeInstanceOf(PolicyViolationError);
    expect((error as PolicyViolationError).report).toBe(
      'policy: invalid suppression on test:\n  - BG-ECS-006: the reason must say why in at least 10 characters (got "cost")',
    );
  });

  test("fail for a rule id that does not exist", () => {
    const stack = policyStack();
    const error = thrown(() => suppress(stack, [{ id: "CKV_AWS_333", reason: "scanner id instead of a rule id" }]));
    expect((error as PolicyViolationError).report).toContain('unknown rule id "CKV_AWS_333"');
  });
});
