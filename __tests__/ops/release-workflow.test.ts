import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
}

const text = readFileSync(join(__dirname, "..", "..", ".github", "workflows", "release.yml"), "utf8");
const doc = parse(text) as {
  on: Record<string, unknown>;
  permissions: unknown;
  concurrency: unknown;
  jobs: { release: { permissions: unknown; environment: unknown; steps: Step[] } };
};
const steps = doc.jobs.release.steps;
const using = (action: string) => steps.find((s) => s.uses?.startsWith(`${action}@`));
const runIndex = (fragment: string) => steps.findIndex((s) => s.run?.includes(fragment));

describe("release.yml", () => {
  it("runs by hand only, grants nothing at the top level, and asks for an OIDC token in its job", () => {
    expect(Object.keys(doc.on)).toEqual(["workflow_dispatch"]);
    expect(doc.permissions).toEqual({});
    expect(doc.jobs.release.permissions).toEqual({ contents: "read", "id-token": "write" });
  });

  it("pins every action to a full commit SHA with its version in a comment", () => {
    const lines = text.split("\n").filter((l) => /^\s*(-\s+)?uses:/.test(l));
    expect(lines.length).toBe(3);
    for (const line of lines) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it("runs in the deployment environment, the only subject the deploy role trusts, and fails first without it", () => {
    expect(doc.jobs.release.environment).toBe("${{ vars.DEPLOY_ENVIRONMENT }}");
    expect(steps[0].if).toBe("${{ vars.DEPLOY_ENVIRONMENT == '' }}");
    expect(steps[0].run).toContain("::error::The Actions variable DEPLOY_ENVIRONMENT is not set");
  });

  it("checks out without the token, on the pinned Node 22 (.ci/package.json), and assumes the deploy role", () => {
    expect(using("actions/checkout")?.with).toEqual({ "persist-credentials": false });
    expect(using("actions/setup-node")?.with).toEqual({ "node-version": "22.23.5", cache: "npm" });
    expect(using("aws-actions/configure-aws-credentials")?.with?.["role-to-assume"]).toBe("${{ vars.AWS_DEPLOY_ROLE_ARN }}");
  });

  it("releases, then waits so that a rollback fails the job, then always writes status to the job summary", () => {
    const release = runIndex("npx bluegreen release");
    const wait = runIndex("npx bluegreen wait");
    const status = runIndex("npx bluegreen status");
    expect(release).toBeGreaterThan(runIndex("npm run synth:app"));
    expect(wait).toBeGreaterThan(release);
    expect(status).toBeGreaterThan(wait);
    expect(steps[wait].run).toContain('--env "$ENVIRONMENT" --start-timeout');
    expect(steps[wait].if).toBeUndefined();
    expect(steps[status].if).toBe("always()");
    expect(steps[status].run).toContain('>> "$GITHUB_STEP_SUMMARY"');
  });

  it("never splices inputs into a script", () => {
    for (const step of steps) expect(step.run ?? "").not.toContain("${{");
  });

  it("never runs two followers of one environment at once, and never cancels one", () => {
    expect(doc.concurrency).toEqual({ group: "release-${{ github.repository }}-${{ inputs.service }}-${{ inputs.environment }}", "cancel-in-progress": false });
  });
});
