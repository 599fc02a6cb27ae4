/**
 * The `sub` claims of GitHub's OIDC tokens that the infrastructure repository's workflows present, in one place:
 * the GitHub stack sets the repository's subject template (`OIDC_SUBJECT_CLAIM_KEYS`), and the access stack's
 * roles trust the subjects built here from the same keys. GitHub documents the template and the format
 * (docs.github.com/en/actions/reference/security/oidc, "Customizing the subject claims for an organization or
 * repository"): each key becomes `key:value`, joined with `:` in the template's order, with `repo` in place of
 * `repository` and `context` the default subject's tail (`environment:<name>`, `pull_request` or `ref:<ref>`);
 * a `:` inside a value is sent as `%3A`, so no value can forge another key.
 *
 * Why not the default subject: it names only the repository and the environment, so anything GitHub admits to
 * the environment gets the deploy role. Deployment branch policies are documented as matching the run's
 * GITHUB_REF, but users report them evaluated against the triggering event's head branch for pull-request
 * runs; a pull request whose head is the deploy branch could then enter. With the event and the workflow file
 * in the subject, only the reviewed deploy and release workflows of the deploy branch, started by a push or a
 * manual dispatch, match.
 */

/** The claims in every token's `sub`, in this order (the repository's customization template). */
export const OIDC_SUBJECT_CLAIM_KEYS = ["repo", "context", "event_name", "job_workflow_ref"] as const;
export type OidcSubjectClaimKey = (typeof OIDC_SUBJECT_CLAIM_KEYS)[number];

/** The workflows that may hold the deploy role, and the event each is started by. */
export const DEPLOY_WORKFLOWS = [
  { file: "deploy.yml", event: "push" },
  { file: "release.yml", event: "workflow_dispatch" },
] as const;

/** The pull-request workflow, the only one the plan role trusts. */
export const PLAN_WORKFLOW = { file: "pr.yml", event: "pull_request" } as const;

/** The values of a token's claims (what GitHub fills in for a job). */
export type OidcClaims = Record<OidcSubjectClaimKey, string>;

/** The `sub` GitHub sends for these claims under the repository's template. */
export function oidcSubject(claims: OidcClaims): string {
  // The context stands without a key (it is already `environment:<name>`, `pull_request` or `ref:<ref>`); GitHub
  // escapes ':' inside every other value (environment names with ':' aside, which the config refuses).
  return OIDC_SUBJECT_CLAIM_KEYS.map((key) => (key === "context" ? claims[key] : `${key}:${claims[key].replace(/:/g, "%3A")}`)).join(":");
}

/** `owner/name/.github/workflows/<file>@<ref>`: the claim naming the workflow file that defines the job. */
export function workflowRef(repository: string, file: string, ref: string): string {
  return `${repository}/.github/workflows/${file}@${ref}`;
}

export interface OidcSubjectsProps {
  /** The infrastructure repository, `owner/name`. */
  readonly repository: string;
  /** The protected deployment environment. */
  readonly environment: string;
  /** The deploy branch (`github.branch`). */
  readonly branch: string;
}

/** The exact subjects the deploy role trusts: the deploy and release workflows of the deploy branch, in the environment. */
export function deploySubjects(props: OidcSubjectsProps): string[] {
  return DEPLOY_WORKFLOWS.map(({ file, event }) =>
    oidcSubject({
      repo: props.repository,
      context: `environment:${props.environment}`,
      event_name: event,
      job_workflow_ref: workflowRef(props.repository, file, `refs/heads/${props.branch}`),
    }),
  );
}

/** The subject pattern (StringLike) the plan role trusts: pr.yml of any pull request of the repository, without an environment. */
export function planSubjectPattern(repository: string): string {
  return oidcSubject({
    repo: repository,
    context: "pull_request",
    event_name: PLAN_WORKFLOW.event,
    job_workflow_ref: workflowRef(repository, PLAN_WORKFLOW.file, "refs/pull/*/merge"),
  });
}
