/**
 * Every way a workflow run of the infrastructure repository (or another) could present a GitHub OIDC token,
 * walked against the synthesized trust policies of the deploy and plan roles. GitHub's side is modelled from its
 * documentation (docs.github.com/en/actions/reference/security/oidc): under the repository's subject template
 * (the GitHub stack sets it), `sub` is repo, context, event_name and job_workflow_ref; the context is
 * `environment:<name>` for a job with an environment, else `pull_request` for pull-request events, else `ref:<ref>`.
 * The environment gate is assumed to admit the job (the worst case of issue 20 finding 1): the trust alone
 * must refuse every entry point but deploy.yml on push and release.yml on workflow_dispatch of the deploy branch.
 */
import { Testing } from "cdktf";
import { oidcSubject, workflowRef } from "../../constructs/identity/oidc-subjects";
import { OidcSubjectTemplate } from "../../constructs/github/oidc-subject-template";
import { OIDC_SUBJECT_CLAIM_KEYS } from "../../constructs/identity/oidc-subjects";
import { documentStatements, Json } from "../helpers/github-state";
import { synthProject, testConfig } from "../helpers/synth";
import { TerraformStack } from "cdktf";

interface Run {
  readonly repository?: string;
  readonly event: string;
  /** The workflow file that defines the job. */
  readonly file: string;
  /** GITHUB_REF of the run (refs/pull/<n>/merge for pull_request). */
  readonly ref: string;
  /** The job's `environment:`, when it has one. */
  readonly environment?: string;
}

const REPOSITORY = "acme/web";

/** The `sub` GitHub mints for a job of this run under the repository's template. */
function subjectOf(run: Run): string {
  const repository = run.repository ?? REPOSITORY;
  const pullRequest = run.event === "pull_request" || run.event === "pull_request_target";
  const context = run.environment ? `environment:${run.environment}` : pullRequest ? "pull_request" : `ref:${run.ref}`;
  return oidcSubject({ repo: repository, context, event_name: run.event, job_workflow_ref: workflowRef(repository, run.file, run.ref) });
}

const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);

/** Does the role's trust admit this token (audience sts.amazonaws.com)? */
function admits(trust: Json[], subject: string): boolean {
  return trust.some((statement) =>
    (statement.condition as Json[]).every((c) => {
      const value = c.variable.endsWith(":sub") ? subject : "sts.amazonaws.com";
      if (c.test === "StringEquals") return (c.values as string[]).includes(value);
      if (c.test === "StringLike") return (c.values as string[]).some((p) => glob(p).test(value));
      throw new Error(`unexpected condition ${c.test}`);
    }),
  );
}

const { stacks } = synthProject(testConfig());
const access = JSON.parse(Testing.synth(stacks.access)) as Json;
const deployTrust = documentStatements(access, "GithubOidc_DeployRole_Trust");
const planTrust = documentStatements(access, "GithubOidc_PlanRole_Trust");

describe("who can assume the deploy role (environment production, deploy branch main)", () => {
  test.each<[string, Run]>([
    ["deploy.yml, pushed to the deploy branch", { event: "push", file: "deploy.yml", ref: "refs/heads/main", environment: "production" }],
    ["release.yml, dispatched on the deploy branch", { event: "workflow_dispatch", file: "release.yml", ref: "refs/heads/main", environment: "production" }],
  ])("admits %s", (_name, run) => {
    expect(admits(deployTrust, subjectOf(run))).toBe(true);
  });

  test.each<[string, Run]>([
    // Issue 20 finding 1: a pull request whose head branch is the deploy branch, into a branch carrying a new workflow.
    ["a pull request with head main into x, running x's workflow in the environment", { event: "pull_request", file: "evil.yml", ref: "refs/pull/7/merge", environment: "production" }],
    ["the same pull request, its workflow named deploy.yml", { event: "pull_request", file: "deploy.yml", ref: "refs/pull/7/merge", environment: "production" }],
    ["pull_request_target (runs the base's workflow) in the environment", { event: "pull_request_target", file: "deploy.yml", ref: "refs/heads/main", environment: "production" }],
    ["deploy.yml changed on a pushed branch", { event: "push", file: "deploy.yml", ref: "refs/heads/x", environment: "production" }],
    ["release.yml dispatched on another branch", { event: "workflow_dispatch", file: "release.yml", ref: "refs/heads/x", environment: "production" }],
    ["deploy.yml dispatched by hand (not its event)", { event: "workflow_dispatch", file: "deploy.yml", ref: "refs/heads/main", environment: "production" }],
    ["release.yml started by a push (not its event)", { event: "push", file: "release.yml", ref: "refs/heads/main", environment: "production" }],
    ["another workflow merged to the deploy branch", { event: "push", file: "nightly.yml", ref: "refs/heads/main", environment: "production" }],
    ["deploy.yml on a schedule", { event: "schedule", file: "deploy.yml", ref: "refs/heads/main", environment: "production" }],
    ["deploy.yml without the environment (no reviewer)", { event: "push", file: "deploy.yml", ref: "refs/heads/main" }],
    ["deploy.yml in another environment", { event: "push", file: "deploy.yml", ref: "refs/heads/main", environment: "staging" }],
    ["a tag named like the deploy branch", { event: "push", file: "deploy.yml", ref: "refs/tags/main", environment: "production" }],
    ["the same workflow in another repository", { repository: "acme/web-fork", event: "push", file: "deploy.yml", ref: "refs/heads/main", environment: "production" }],
    ["the plan workflow of a pull request", { event: "pull_request", file: "pr.yml", ref: "refs/pull/7/merge" }],
  ])("refuses %s", (_name, run) => {
    expect(admits(deployTrust, subjectOf(run))).toBe(false);
  });
});

describe("who can assume the plan role", () => {
  test("admits pr.yml of a pull request, outside any environment", () => {
    expect(admits(planTrust, subjectOf({ event: "pull_request", file: "pr.yml", ref: "refs/pull/7/merge" }))).toBe(true);
  });

  test.each<[string, Run]>([
    ["a pull request job in the deployment environment", { event: "pull_request", file: "pr.yml", ref: "refs/pull/7/merge", environment: "production" }],
    ["a pushed branch", { event: "push", file: "pr.yml", ref: "refs/heads/x" }],
    ["another workflow of a pull request", { event: "pull_request", file: "evil.yml", ref: "refs/pull/7/merge" }],
    ["pull_request_target", { event: "pull_request_target", file: "pr.yml", ref: "refs/heads/main" }],
    ["another repository's pull request", { repository: "acme/other", event: "pull_request", file: "pr.yml", ref: "refs/pull/7/merge" }],
  ])("refuses %s", (_name, run) => {
    expect(admits(planTrust, subjectOf(run))).toBe(false);
  });
});

describe("the subject template and its escaping", () => {
  test("the GitHub stack sets the repository's template to exactly the keys the trust is built from", () => {
    const stack = new TerraformStack(Testing.app(), "t");
    new OidcSubjectTemplate(stack, "OidcSubjectTemplate", { repository: "web" });
    const json = JSON.parse(Testing.synth(stack)) as Json;
    expect(Object.values(json.resource.github_actions_repository_oidc_subject_claim_customization_template)).toEqual([
      { repository: "web", use_default: false, include_claim_keys: ["repo", "context", "event_name", "job_workflow_ref"] },
    ]);
    expect(OIDC_SUBJECT_CLAIM_KEYS).toEqual(["repo", "context", "event_name", "job_workflow_ref"]);
  });

  test("a ':' inside a value arrives as %3A, so a value cannot forge the next key", () => {
    expect(oidcSubject({ repo: "a/b", context: "pull_request", event_name: "push:job_workflow_ref:x", job_workflow_ref: "y" })).toBe(
      "repo:a/b:pull_request:event_name:push%3Ajob_workflow_ref%3Ax:job_workflow_ref:y",
    );
  });
});
