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

/** What decides whether a push to the application repository starts a release (top level, or one fleet service's view). */
interface PipelineTriggerView {
  readonly imageSource?: string;
  readonly buildContext?: string;
  readonly filePaths?: { readonly includes: readonly string[]; readonly excludes: readonly string[] };
}

interface ReleaseTriggerView {
  readonly github: { readonly owner: string; readonly repository: string; readonly infrastructureRepository?: string; readonly sourceMode: string };
  readonly pipeline: PipelineTriggerView & { readonly imageSource: string; readonly buildContext: string };
  readonly services?: readonly { readonly repository: string; readonly pipeline?: Partial<PipelineTriggerView> }[];
}

/** CodePipeline's limit on each file-path pattern list of a push trigger (GitFilePathFilterCriteria: 1-8 items). */
export const TRIGGER_PATTERNS_MAX = 8;

/**
 * No infrastructure-only change may start a release. Where the application repository also holds this
 * infrastructure code, the pipeline's push trigger can only tell the two apart when the application sits in a folder
 * of its own (`includes: [<buildContext>/**]`): leaving out this project's files would take more exclude patterns than
 * CodePipeline allows, and the legacy webhook filters on the branch only. Those layouts are refused, in one line.
 */
export function checkReleaseTrigger(config: ReleaseTriggerView, ctx: Ctx): void {
  const { github } = config;
  const infrastructure = github.infrastructureRepository ?? `${github.owner}/${github.repository}`;
  const views = config.services
    ? config.services.map((service, index) => ({ repository: service.repository, pipeline: { ...config.pipeline, ...service.pipeline }, at: ["services", index, "pipeline"] }))
    : [{ repository: github.repository, pipeline: config.pipeline, at: ["pipeline"] }];
  for (const view of views) {
    if (`${github.owner}/${view.repository}` !== infrastructure) continue;
    const { imageSource, buildContext, filePaths } = view.pipeline;
    if (github.sourceMode === "webhook") {
      ctx.addIssue({
        code: "custom",
        path: ["github", "sourceMode"],
        input: "webhook",
        message:
          "cannot watch the repository that also holds this infrastructure code: the webhook filters on the branch only, so every infrastructure merge " +
          "would start a release; use sourceMode: connection, or keep the infrastructure in its own repository (github.infrastructureRepository)",
      });
      return;
    }
    const explicit = (filePaths?.includes.length ?? 0) + (filePaths?.excludes.length ?? 0) > 0;
    if (imageSource === "codebuild" && !explicit && (buildContext ?? ".").replace(/^\.\/?|\/+$/g, "") === "") {
      ctx.addIssue({
        code: "custom",
        path: [...view.at, "buildContext"],
        input: buildContext,
        message:
          `is the root of the repository that also holds this infrastructure code: the push trigger takes at most ${TRIGGER_PATTERNS_MAX} exclude patterns, ` +
          `too few to leave out this project's files, so infrastructure-only merges would release; put the application in a folder (buildContext: app) ` +
          `or in its own repository (github.infrastructureRepository), or set pipeline.filePaths.includes yourself`,
      });
    }
  }
}
