import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { PLAN_STATUS_CHECK } from "../constructs/github/branch-protection";
import { COMMENT_MARKER } from "../scripts/plan-comment";
import { loadConfig } from "../config";
import { NEVER_PLANNED } from "../scripts/review/plan";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML
type Json = Record<string, any>;

const WORKFLOWS = join(__dirname, "..", ".github", "workflows");
const read = (name: string): { text: string; doc: Json } => {
  const text = readFileSync(join(WORKFLOWS, name), "utf8");
  return { text, doc: parse(text) as Json };
};
const pr = read("pr.yml");
const deploy = read("deploy.yml");
const steps = (doc: Json, job: string): Json[] => doc.jobs[job].steps as Json[];
const usesOf = (doc: Json): string[] =>
  Object.values(doc.jobs as Json).flatMap((job) => (job.steps as Json[]).filter((s) => s.uses).map((s) => s.uses as string));
const stepUsing = (doc: Json, job: string, action: string): Json => {
  const step = steps(doc, job).find((s) => typeof s.uses === "string" && s.uses.startsWith(`${action}@`));
  if (!step) throw new Error(`no ${action} step in ${job}`);
  return step;
};

describe.each([
  ["pr.yml", pr, "plan"],
  ["deploy.yml", deploy, "deploy"],
])("%s", (_name, workflow, job) => {
  test("grants nothing at the top level", () => {
    expect(workflow.doc.permissions).toEqual({});
  });

  test("pins every action to a full commit SHA with its version in a comment", () => {
    const uses = usesOf(workflow.doc);
    expect(uses.length).toBeGreaterThan(0);
    for (const use of uses) expect(use).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
    for (const line of workflow.text.split("\n").filter((l) => /^\s*(-\s+)?uses:/.test(l))) {
      expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  test("uses Node 22 with the npm cache, and installs with npm ci", () => {
    expect(stepUsing(workflow.doc, job, "actions/setup-node").with).toEqual({ "node-version": 22, cache: "npm" });
    expect(steps(workflow.doc, job).some((s) => typeof s.run === "string" && s.run.startsWith("npm ci"))).toBe(true);
    expect(steps(workflow.doc, job).some((s) => s.run === "npm test")).toBe(true);
  });

  test("installs Terraform 1.11.4 without the wrapper", () => {
    expect(workflow.doc.env.TERRAFORM_VERSION).toBe("1.11.4");
    expect(stepUsing(workflow.doc, job, "hashicorp/setup-terraform").with).toEqual({
      terraform_version: "${{ env.TERRAFORM_VERSION }}",
      terraform_wrapper: false,
    });
  });

  test("checks out without persisting the token", () => {
    expect(stepUsing(workflow.doc, job, "actions/checkout").with).toEqual({ "persist-credentials": false });
  });

});

describe("pr.yml", () => {
  test("runs on pull requests", () => {
    expect(Object.keys(pr.doc.on)).toEqual(["pull_request"]);
  });

  test("names the plan job after the status check the branch protection requires", () => {
    expect(pr.doc.jobs.plan.name).toBe(PLAN_STATUS_CHECK);
  });

  test("asks for an OIDC token and PR write access only in the plan job", () => {
    expect(pr.doc.jobs.plan.permissions).toEqual({ contents: "read", "id-token": "write", "pull-requests": "write" });
  });

  test("assumes the read-only plan role", () => {
    expect(stepUsing(pr.doc, "plan", "aws-actions/configure-aws-credentials").with["role-to-assume"]).toBe("${{ vars.AWS_PLAN_ROLE_ARN }}");
  });

  test("synthesizes, then plans the affected stacks against the base synth, then renders the comment with the review", () => {
    const runs = steps(pr.doc, "plan").map((s) => String(s.run ?? ""));
    const synth = runs.findIndex((r) => r.includes("cdktf synth"));
    const plan = runs.findIndex((r) => r.startsWith("npx tsx scripts/review/plan.ts"));
    const render = runs.findIndex((r) => r.includes("scripts/plan-comment.ts"));
    expect(synth).toBeGreaterThan(0);
    expect(plan).toBeGreaterThan(synth);
    expect(render).toBeGreaterThan(plan);
    expect(runs[plan]).toBe(
      'npx tsx scripts/review/plan.ts --head cdktf.out --base base-cdktf.out --out plans --review review.json --plugin-cache "$RUNNER_TEMP/tf-plugin-cache"',
    );
    expect(runs[render]).toBe('npx tsx scripts/plan-comment.ts plans plan-comment.json "$GITHUB_STEP_SUMMARY" review.json');
  });

  test("plans with a concurrency from an Actions variable, and the GitHub stack only with its read-only token", () => {
    const step = steps(pr.doc, "plan").find((s) => String(s.run ?? "").startsWith("npx tsx scripts/review/plan.ts"))!;
    expect(step.env).toEqual({
      GITHUB_TOKEN: "${{ secrets.INFRA_GITHUB_PLAN_TOKEN }}",
      TF_TOKEN_app_terraform_io: "${{ secrets.TF_API_TOKEN }}",
      PLAN_CONCURRENCY: "${{ vars.PLAN_CONCURRENCY }}",
    });
  });

  test("never plans the bootstrap stack (local state)", () => {
    expect(NEVER_PLANNED).toEqual(["bootstrap"]);
  });

  test("synthesizes the base in a job without the AWS token and hands it over as an artifact", () => {
    const base = pr.doc.jobs.base;
    expect(base.permissions).toEqual({ contents: "read" });
    expect(stepUsing(pr.doc, "base", "actions/checkout").with).toEqual({ ref: "${{ github.event.pull_request.base.sha }}", "persist-credentials": false });
    expect(stepUsing(pr.doc, "base", "actions/setup-node").with).toEqual({ "node-version": 22, cache: "npm" });
    const runs = steps(pr.doc, "base").map((s) => String(s.run ?? ""));
    expect(runs.filter(Boolean)).toEqual(["npm ci --no-audit --no-fund", "npx cdktf synth"]);
    expect(stepUsing(pr.doc, "base", "actions/upload-artifact").with).toEqual({ name: "base-synth", path: "cdktf.out", "retention-days": 1 });
    expect(JSON.stringify(base)).not.toContain("configure-aws-credentials");
  });

  test("waits for the base synth, runs even when it failed, and then plans every stack", () => {
    expect(pr.doc.jobs.plan.needs).toBe("base");
    expect(pr.doc.jobs.plan.if).toBe("${{ !cancelled() }}");
    const download = stepUsing(pr.doc, "plan", "actions/download-artifact");
    expect(download).toMatchObject({ "continue-on-error": true, with: { name: "base-synth", path: "base-cdktf.out" } });
    const order = steps(pr.doc, "plan");
    expect(order.indexOf(download)).toBeLessThan(order.findIndex((s) => String(s.run ?? "").startsWith("npx tsx scripts/review/plan.ts")));
  });

  test("creates the comment once and updates it through the hidden marker", () => {
    const script = stepUsing(pr.doc, "plan", "actions/github-script").with.script as string;
    expect(script).toContain(COMMENT_MARKER);
    expect(script).toContain("updateComment");
    expect(script).toContain("createComment");
    expect(script.indexOf("updateComment")).toBeLessThan(script.indexOf("createComment"));
  });

  test("writes the full report to the job summary", () => {
    expect(pr.text).toContain('scripts/plan-comment.ts plans plan-comment.json "$GITHUB_STEP_SUMMARY"');
  });

  test("cancels a plan made obsolete by a newer push", () => {
    expect(pr.doc.concurrency).toEqual({ group: "plan-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
  });
});

describe("deploy.yml", () => {
  test("leaves the bootstrap stack (local state) out of CI", () => {
    expect(deploy.text).toContain('select(. != "bootstrap")');
  });

  test("runs on pushes to the deploy branch of the default config", () => {
    expect(deploy.doc.on).toEqual({ push: { branches: [loadConfig().github.branch] } });
  });

  test("never runs two deploys at once, and never cancels one", () => {
    expect(deploy.doc.concurrency).toEqual({ group: "deploy-${{ github.repository }}", "cancel-in-progress": false });
  });

  test("asks for an OIDC token and read access only", () => {
    expect(deploy.doc.jobs.deploy.permissions).toEqual({ contents: "read", "id-token": "write" });
  });

  test("assumes the deploy role", () => {
    expect(stepUsing(deploy.doc, "deploy", "aws-actions/configure-aws-credentials").with["role-to-assume"]).toBe(
      "${{ vars.AWS_DEPLOY_ROLE_ARN }}",
    );
  });

  test("deploys the synthesized stacks with cdktf deploy --auto-approve", () => {
    const run = steps(deploy.doc, "deploy").map((s) => String(s.run ?? "")).join("\n");
    expect(run).toMatch(/npx cdktf deploy \$stacks --auto-approve --skip-synth/);
  });
});
