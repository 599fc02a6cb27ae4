import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configWarnings, GITHUB_STACK_VARIABLES } from "../../config";
import { synthesizeApp } from "../../stacks/synthesize";
import { fleetConfig, synthFleet } from "../helpers/fleet";
import { onlyProblem } from "../helpers/config";
import { githubConfig, Json, resourceNamed, synthPair } from "../helpers/github-state";

/**
 * A team adopts existing repositories: existing rules and variables are imported, the application
 * repository's protection can be left alone, the team's required checks are kept, and a solo evaluator may
 * require 0 approvals (with a warning).
 */

const protections = (github: Json): Json[] => Object.values(github.resource.github_branch_protection ?? {});

describe("requiredApprovals: 0", () => {
  test("is accepted, and the protection still requires a pull request but no approval of the last push", () => {
    const { github } = synthPair(githubConfig({}, { requiredApprovals: 0 }));
    for (const protection of protections(github)) {
      expect(protection.required_pull_request_reviews).toEqual([
        { required_approving_review_count: 0, dismiss_stale_reviews: true, require_last_push_approval: false },
      ]);
    }
  });

  test("prints a warning naming the branch", () => {
    expect(configWarnings(githubConfig({}, { requiredApprovals: 0 }))).toEqual([
      "warning: github.requiredApprovals is 0: pull requests to main merge without any review, so whoever can open a pull " +
        "request deploys; fine for a solo evaluation, set 1 or more for a team",
    ]);
    expect(configWarnings(githubConfig())).toEqual([]);
  });

  test("7 is refused with the allowed range", () => {
    expect(onlyProblem({ ...githubConfig(), github: { owner: "acme", repository: "web", infrastructureRepository: "acme/infra", deployEnvironment: { soloEvaluation: true }, requiredApprovals: 7 } })).toBe(
      "github.requiredApprovals: must be between 0 and 6 (got 7)",
    );
  });
});

describe("github.requiredStatusChecks", () => {
  test("keeps the team's checks on the application repository's rule", () => {
    const { github } = synthPair(githubConfig({}, { requiredStatusChecks: ["build", "test"] }));
    expect(resourceNamed(github, "github_branch_protection", "AppBranchProtection").required_status_checks).toEqual([
      { strict: true, contexts: ["build", "test"] },
    ]);
    expect(resourceNamed(github, "github_branch_protection", "InfraBranchProtection").required_status_checks).toEqual([
      { strict: true, contexts: ["cdktf plan"] },
    ]);
  });

  test("adds the plan check once when the infrastructure lives in the application repository", () => {
    const { github } = synthPair(githubConfig({ pipeline: { buildContext: "app" } }, { infrastructureRepository: undefined, requiredStatusChecks: ["build", "cdktf plan"] }));
    expect(protections(github).map((p) => p.required_status_checks)).toEqual([[{ strict: true, contexts: ["build", "cdktf plan"] }]]);
  });
});

describe("github.protectApplicationBranch: false", () => {
  test("leaves the application repository's rule alone and still protects the infrastructure repository", () => {
    const { github } = synthPair(githubConfig({}, { protectApplicationBranch: false }));
    expect(Object.keys(github.resource.github_branch_protection)).toEqual([expect.stringMatching(/^InfraBranchProtection_/)]);
  });

  test("is refused when the application repository also holds the infrastructure", () => {
    expect(onlyProblem({ ...githubConfig(), pipeline: { buildContext: "app" }, github: { owner: "acme", repository: "web", deployEnvironment: { soloEvaluation: true }, protectApplicationBranch: false } })).toBe(
      "github.protectApplicationBranch: cannot leave acme/web alone: it also holds the infrastructure code, and its branch " +
        "protection is what keeps unreviewed changes from deploying; import the existing rule instead " +
        '(importExisting.branchProtection: ["acme/web"]) or set infrastructureRepository (got false)',
    );
  });

  test("leaves the fleet services' rules alone too", () => {
    const { json } = synthFleet(fleetConfig({ github: { owner: "acme", repository: "shop-infra", protectApplicationBranch: false, infrastructureRepository: "acme/platform" } }));
    const ruled = Object.entries(json).filter(([, stack]) => stack.resource?.github_branch_protection);
    expect(ruled.map(([id]) => id)).toEqual(["shop-github"]);
  });
});

describe("github.importExisting", () => {
  test("writes no import blocks by default", () => {
    expect(synthPair(githubConfig()).github.import).toBeUndefined();
  });

  test("imports the listed rules and variables with the GitHub provider's IDs (repository:pattern, repository:variable_name)", () => {
    const config = githubConfig(
      {},
      { infrastructureRepository: "platform/infra", branch: "release", importExisting: { branchProtection: ["acme/web", "platform/infra"], variables: ["AWS_REGION"] } },
    );
    expect(synthPair(config).github.import).toEqual([
      { id: "web:release", provider: "github", to: expect.stringMatching(/^github_branch_protection\.AppBranchProtection_[0-9A-F]{8}$/) },
      { id: "infra:release", provider: "github.infra", to: expect.stringMatching(/^github_branch_protection\.InfraBranchProtection_[0-9A-F]{8}$/) },
      { id: "infra:AWS_REGION", provider: "github.infra", to: expect.stringMatching(/^github_actions_variable\.InfraVariables_AwsRegion_[0-9A-F]{8}$/) },
    ]);
  });

  test("points each import at a resource the stack declares", () => {
    const config = githubConfig({}, { importExisting: { branchProtection: ["acme/infra"], variables: [...GITHUB_STACK_VARIABLES] } });
    const { github } = synthPair(config);
    for (const block of github.import as Json[]) {
      const [type, name] = (block.to as string).split(".");
      expect(github.resource[type]?.[name]).toBeDefined();
    }
    expect((github.import as Json[]).map((block) => block.id).sort()).toEqual(["infra:AWS_DEPLOY_ROLE_ARN", "infra:AWS_PLAN_ROLE_ARN", "infra:AWS_REGION", "infra:DEPLOY_BRANCH", "infra:DEPLOY_ENVIRONMENT", "infra:main"]);
  });

  test("imports a fleet service's rule in that service's GitHub stack, with the service's branch", () => {
    const { json } = synthFleet(fleetConfig({ github: { owner: "acme", repository: "shop-infra", importExisting: { branchProtection: ["acme/shop-cart"] } } }));
    expect(json["shop-cart-github"].import).toEqual([
      { id: "shop-cart:release", provider: "github", to: expect.stringMatching(/^github_branch_protection\.AppBranchProtection_/) },
    ]);
    expect(json["shop-github"].import).toBeUndefined();
  });

  test("refuses a repository this project does not protect, listing those it does", () => {
    expect(onlyProblem({ ...githubConfig(), github: { owner: "acme", repository: "web", deployEnvironment: { soloEvaluation: true }, infrastructureRepository: "acme/infra", importExisting: { branchProtection: ["acme/other"] } } })).toBe(
      'github.importExisting.branchProtection[0]: is not a repository whose deploy branch this project protects; allowed: acme/web, acme/infra (got "acme/other")',
    );
  });

  test("refuses a variable the stack does not set", () => {
    expect(onlyProblem({ ...githubConfig(), github: { owner: "acme", repository: "web", deployEnvironment: { soloEvaluation: true }, importExisting: { variables: ["AWS_ROLE"] } } })).toBe(
      'github.importExisting.variables[0]: must be one of AWS_REGION, AWS_DEPLOY_ROLE_ARN, AWS_PLAN_ROLE_ARN, DEPLOY_ENVIRONMENT, DEPLOY_BRANCH, DEPLOY_CONFIG (got "AWS_ROLE")',
    );
  });

  test("can import exactly the variables the GitHub stack sets (DEPLOY_CONFIG when DEPLOY_CONFIG chose the config)", () => {
    const names = Object.values(githubStackOf(githubConfig(), "teams/prod.yaml").resource.github_actions_variable as Record<string, Json>).map((v) => v.variable_name);
    expect([...names].sort()).toEqual([...GITHUB_STACK_VARIABLES].sort());
  });
});

describe("the DEPLOY_CONFIG Actions variable", () => {
  const value = (github: Json) =>
    (Object.values(github.resource.github_actions_variable as Record<string, Json>).find((v) => v.variable_name === "DEPLOY_CONFIG") ?? {}).value;

  test("holds the config's path in the repository when DEPLOY_CONFIG chose it", () => {
    expect(value(githubStackOf(githubConfig(), "teams/prod.yaml"))).toBe("teams/prod.yaml");
  });

  test("is not set for deploy-config.yaml at the repository root (the workflows find it unaided)", () => {
    expect(value(githubStackOf(githubConfig()))).toBeUndefined();
  });

  test("is set in a fleet's infrastructure GitHub stack", () => {
    const config = fleetConfig();
    const outdir = mkdtempSync(join(tmpdir(), "adoption-fleet-"));
    try {
      synthesizeApp(config, outdir, { deployConfigPath: "fleet.yaml" });
      expect(value(JSON.parse(readFileSync(join(outdir, "stacks", "shop-github", "cdk.tf.json"), "utf8")) as Json)).toBe("fleet.yaml");
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

/** The single-service GitHub stack as the app synthesizes it, with the config path DEPLOY_CONFIG gave. */
function githubStackOf(config: ReturnType<typeof githubConfig>, deployConfigPath?: string): Json {
  const outdir = mkdtempSync(join(tmpdir(), "adoption-"));
  try {
    synthesizeApp(config, outdir, { deployConfigPath });
    return JSON.parse(readFileSync(join(outdir, "stacks", "demo-github", "cdk.tf.json"), "utf8")) as Json;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
