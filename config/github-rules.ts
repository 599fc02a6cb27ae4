import { z } from "zod";

/**
 * GitHub coexistence rules: which existing settings the GitHub stack may adopt, and when it may leave the
 * application repository's protection alone.
 */

type Ctx = z.core.$RefinementCtx;

/**
 * The Actions variables the GitHub stack sets in the infrastructure repository (stacks/github-stack.ts; a test keeps
 * the two equal; DEPLOY_CONFIG only when DEPLOY_CONFIG chose the config). Only these can be imported.
 */
export const GITHUB_STACK_VARIABLES = ["AWS_REGION", "AWS_DEPLOY_ROLE_ARN", "AWS_PLAN_ROLE_ARN", "DEPLOY_ENVIRONMENT", "DEPLOY_BRANCH", "DEPLOY_CONFIG"] as const;

interface GithubView {
  readonly github: {
    readonly owner: string;
    readonly repository: string;
    readonly infrastructureRepository?: string;
    readonly protectApplicationBranch: boolean;
    readonly importExisting: { readonly branchProtection: readonly string[] };
  };
  readonly services?: readonly { readonly repository: string }[];
}

/**
 * `owner/name` of the application repositories (single-service mode: github.repository; fleet mode: each service's)
 * and of the infrastructure repository.
 */
function repositories(config: GithubView): { applications: string[]; infrastructure: string } {
  const { github } = config;
  const infrastructure = github.infrastructureRepository ?? `${github.owner}/${github.repository}`;
  const names = config.services ? config.services.map((s) => s.repository) : [github.repository];
  return { applications: [...new Set(names.map((name) => `${github.owner}/${name}`))], infrastructure };
}

/** Runs on the whole config: fleet services' repositories are protected too. */
export function checkGithubAdoption(config: GithubView, ctx: Ctx): void {
  const { github } = config;
  const { applications, infrastructure } = repositories(config);
  if (!github.protectApplicationBranch && applications.includes(infrastructure)) {
    ctx.addIssue({
      code: "custom",
      path: ["github", "protectApplicationBranch"],
      input: false,
      message:
        `cannot leave ${infrastructure} alone: it also holds the infrastructure code, and its branch protection is what keeps ` +
        `unreviewed changes from deploying; import the existing rule instead (importExisting.branchProtection: ["${infrastructure}"]) or set infrastructureRepository`,
    });
  }
  const protectedHere = [...new Set([...(github.protectApplicationBranch ? applications : []), infrastructure])];
  github.importExisting.branchProtection.forEach((repository, index) => {
    if (!protectedHere.includes(repository)) {
      ctx.addIssue({
        code: "custom",
        path: ["github", "importExisting", "branchProtection", index],
        input: repository,
        message: `is not a repository whose deploy branch this project protects; allowed: ${protectedHere.join(", ")}`,
      });
    }
  });
}
