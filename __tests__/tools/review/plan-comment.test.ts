import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMENT_MARKER, readPlans, renderComment, StackPlan, summarize } from "../../../tools/review/plan-comment";
import { AffectedResult, StackDecision } from "../../../tools/review/affected";

const FIXTURES = join(__dirname, "..", "..", "fixtures", "plans");

describe("summarize", () => {
  const [demo, github] = readPlans(FIXTURES);

  test("counts adds, changes, destroys and replacements, ignoring data sources and no-ops", () => {
    expect(summarize(demo)).toMatchObject({ stack: "demo", add: 1, change: 1, destroy: 1, replace: 1, failed: false });
    expect(summarize(github)).toMatchObject({ stack: "demo-github", add: 0, change: 0, destroy: 0, replace: 0 });
  });

  test("names what is destroyed, and what forces each replacement", () => {
    const summary = summarize(demo);
    expect(summary.destroyed).toEqual(["aws_s3_bucket.Pipeline_Artifacts_Bucket_DDEEFF00"]);
    expect(summary.replaced).toEqual(["aws_lb_target_group.prod_LoadBalancer_Blue_99AABBCC (forced by port)"]);
  });

  test("labels CodeDeploy-owned changes (listener action, service desired count) as expected", () => {
    expect(summarize(demo).expected).toEqual([
      "aws_ecs_service.prod_Service_55667788 (desired_count)",
      "aws_lb_listener.prod_LoadBalancer_ProdListener_1A2B3C4D (default_action)",
    ]);
  });

  test("reports any other change made outside Terraform as drift", () => {
    expect(summarize(demo).drift).toEqual(["aws_security_group.prod_Service_SecurityGroup_5E6F7A8B (ingress)"]);
  });

  test("marks a stack whose plan failed", () => {
    expect(summarize({ stack: "demo", error: "Error: AccessDenied" }).failed).toBe(true);
  });
});

describe("renderComment", () => {
  const plans = readPlans(FIXTURES);

  test("starts with the hidden marker and a headline that calls out destroys", () => {
    const { body } = renderComment(plans);
    const lines = body.split("\n");
    expect(lines[0]).toBe(COMMENT_MARKER);
    expect(lines[1]).toBe("## cdktf plan: ⚠️ 2 resource(s) will be destroyed or replaced");
  });

  test("puts the summary table before destroys, replacements and the collapsed full plans", () => {
    const { body } = renderComment(plans);
    expect(body).toContain("| `demo` | 1 | 1 | **1** ⚠️ | **1** ⚠️ | 2 |");
    expect(body).toContain("| `demo-github` | 0 | 0 | 0 | 0 | 0 |");
    const order = ["| Stack |", "### ⚠️ Destroyed", "### ⚠️ Replaced", "### Changed outside Terraform", "### Expected", "<details>"];
    const positions = order.map((text) => body.indexOf(text));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(body).toContain("<details><summary>Full plan: <code>demo</code></summary>");
  });

  test("says there are no changes when every stack is unchanged", () => {
    const result = renderComment([plans[1]]);
    expect(result.hasChanges).toBe(false);
    expect(result.body.split("\n")[1]).toBe("## cdktf plan: ✅ no changes");
  });

  test("reports a failed plan first, with its error collapsed", () => {
    const failed: StackPlan = { stack: "demo", error: "Error: reading S3 object: AccessDenied" };
    const { body, hasChanges } = renderComment([failed]);
    expect(hasChanges).toBe(true);
    expect(body).toContain("## cdktf plan: ❌ plan failed for 1 of 1 stacks");
    expect(body).toContain("<details><summary>Error: <code>demo</code></summary>");
  });

  test("drops the full plans and points to the job summary when the comment would pass the cap", () => {
    const huge: StackPlan = { ...plans[0], text: "x".repeat(70_000) };
    const result = renderComment([huge]);
    expect(result.truncated).toBe(true);
    expect(result.body.length).toBeLessThanOrEqual(65_536);
    expect(result.body).toContain("open the job summary");
    expect(result.body).not.toContain("<details>");
    expect(result.fullReport).toContain("x".repeat(70_000));
  });

  test("adds the commit and the run link under the table", () => {
    const { body } = renderComment(plans, { sha: "abc1234", runUrl: "https://example.invalid/run/1" });
    expect(body).toContain("Commit abc1234 · [workflow run](https://example.invalid/run/1)");
  });
});

describe("readPlans", () => {
  test("reads plan, text and error files per stack, in name order", () => {
    const dir = mkdtempSync(join(tmpdir(), "plans-"));
    writeFileSync(join(dir, "b.error"), "boom");
    writeFileSync(join(dir, "a.json"), JSON.stringify({ resource_changes: [] }));
    writeFileSync(join(dir, "a.txt"), "No changes.");
    expect(readPlans(dir)).toEqual([
      { stack: "a", plan: { resource_changes: [] }, text: "No changes.", error: undefined },
      { stack: "b", plan: undefined, text: undefined, error: "boom" },
    ]);
  });
});

describe("renderComment with the review's decisions", () => {
  const plans = readPlans(FIXTURES);
  const decision = (stack: string, status: StackDecision["status"], plan: boolean, reasons: string[] = []): StackDecision => ({ stack, status, plan, reasons });

  test("says why each stack was planned and lists the others as unchanged, not planned, right under the table", () => {
    const review: AffectedResult = {
      stacks: [
        decision("bootstrap", "unchanged", false),
        decision("demo", "changed", true, ["changed: aws_ecs_service.X"]),
        decision("demo-github", "inputs-changed", true, ["reads outputs of demo that may change: cross-stack-output-a, cross-stack-output-b"]),
        decision("other", "unchanged", false),
      ],
    };
    const { body } = renderComment(plans, { review });
    const lines = body.split("\n");
    expect(lines.slice(3, 8)).toEqual([
      "| Stack | Add | Change | Destroy | Replace | Expected (CodeDeploy) | Planned because |",
      "|---|---|---|---|---|---|---|",
      "| `demo` | 1 | 1 | **1** ⚠️ | **1** ⚠️ | 2 | changed |",
      "| `demo-github` | 0 | 0 | 0 | 0 | 0 | reads outputs of demo |",
      "",
    ]);
    expect(lines[8]).toBe("Unchanged, not planned (2): `bootstrap`, `other`");
  });

  test("flags a removed stack as a destroy risk in the headline and above the plans, even with nothing planned", () => {
    const review: AffectedResult = {
      stacks: [decision("shop-cart", "removed", false, ["removed from the code: its resources stay deployed (state s3:b/shop/shop-cart.tfstate)"])],
    };
    const result = renderComment([], { review });
    expect(result.hasChanges).toBe(true);
    expect(result.body.split("\n")[1]).toBe("## cdktf plan: ⚠️ 1 stack(s) removed from the code");
    expect(result.body).toContain("### ⚠️ Removed from the code: merging does not destroy these stacks' resources");
    expect(result.body).toContain("- `shop-cart`: removed from the code: its resources stay deployed (state s3:b/shop/shop-cart.tfstate)");
  });

  test("says that every stack was planned, and why, when the base could not be synthesized", () => {
    const review: AffectedResult = { fallback: "the base could not be synthesized (no base/cdktf.out)", stacks: [decision("demo", "unknown", true)] };
    const { body } = renderComment([plans[0]], { review });
    expect(body).toContain("\nEvery stack was planned: the base could not be synthesized (no base/cdktf.out).\n");
    expect(body).toContain("| `demo` | 1 | 1 | **1** ⚠️ | **1** ⚠️ | 2 | no base to compare |");
  });

  test("posts nothing new when no stack was planned and none was removed", () => {
    const review: AffectedResult = { stacks: [decision("demo", "unchanged", false)] };
    const result = renderComment([], { review });
    expect(result.hasChanges).toBe(false);
    expect(result.body).toContain("## cdktf plan: ✅ no changes");
    expect(result.body).toContain("Unchanged, not planned (1): `demo`");
  });
});

describe("readPlans next to the planner's logs", () => {
  test("reads only plan files, not the logs folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "plans-"));
    mkdirSync(join(dir, "logs"));
    writeFileSync(join(dir, "logs", "a.log"), "init output");
    writeFileSync(join(dir, "a.txt"), "No changes.");
    expect(readPlans(dir).map((p) => p.stack)).toEqual(["a"]);
  });
});
