import { parse } from "yaml";
import { addDeployment, CLOUD_STATE, githubConfig, Json, resourceNamed, synthPair } from "../helpers/github-state";
import { deepFreeze, once } from "../helpers/shared";
import { synthProject, testConfig } from "../helpers/synth";

const ECR = { pipeline: { imageSource: "ecr" }, ecr: { mutableTags: ["release"] } };
/** The default config's AWS and GitHub stacks, synthesized once and shared by the tests that read them. */
const defaultPair = once(() => deepFreeze(synthPair(githubConfig())));
const REMOTE = "data.terraform_remote_state.cross-stack-reference-input-demo.outputs";

function variables(github: Json): Record<string, string> {
  const all = Object.values(github.resource.github_actions_variable) as Json[];
  return Object.fromEntries(all.map((v) => [v.variable_name, v.value]));
}

describe("GithubStack", () => {
  test("uses only the GitHub provider, with the owner from the config and no token in code", () => {
    const { github } = defaultPair();
    expect(Object.keys(github.provider)).toEqual(["github"]);
    expect(github.provider.github).toEqual([{ owner: "acme" }]);
    expect(Object.keys(github.terraform.required_providers)).toEqual(["github"]);
  });

  test("protects the deploy branch of the infrastructure repository: reviews, the plan check, no force pushes or deletions", () => {
    const protection = resourceNamed(defaultPair().github, "github_branch_protection", "InfraBranchProtection");
    expect(protection).toMatchObject({
      repository_id: "infra",
      pattern: "main",
      enforce_admins: true,
      allows_force_pushes: false,
      allows_deletions: false,
      required_pull_request_reviews: [{ required_approving_review_count: 1, dismiss_stale_reviews: true, require_last_push_approval: true }],
      required_status_checks: [{ strict: true, contexts: ["cdktf plan"] }],
    });
  });

  test("protects the application branch too, without a check that only runs in the infrastructure repository", () => {
    const protection = resourceNamed(defaultPair().github, "github_branch_protection", "AppBranchProtection");
    expect(protection).toMatchObject({ repository_id: "web", pattern: "main", allows_force_pushes: false, allows_deletions: false });
    expect(protection.required_status_checks).toBeUndefined();
  });

  test("requires requiredApprovals reviews", () => {
    const { github } = synthPair(githubConfig({}, { requiredApprovals: 2 }));
    for (const protection of Object.values(github.resource.github_branch_protection) as Json[]) {
      expect(protection.required_pull_request_reviews[0].required_approving_review_count).toBe(2);
    }
  });

  test("protects one branch with the plan check when the infrastructure lives in the application repository", () => {
    const { github } = synthPair(githubConfig({ pipeline: { buildContext: "app" } }, { infrastructureRepository: undefined }));
    const protections = Object.values(github.resource.github_branch_protection) as Json[];
    expect(protections).toHaveLength(1);
    expect(protections[0]).toMatchObject({ repository_id: "web", required_status_checks: [{ contexts: ["cdktf plan"] }] });
  });

  test("uses an aliased provider for an infrastructure repository of another owner", () => {
    const { github } = synthPair(githubConfig({}, { infrastructureRepository: "platform/infra" }));
    expect(github.provider.github).toEqual([{ owner: "acme" }, { owner: "platform", alias: "infra" }]);
    expect(resourceNamed(github, "github_branch_protection", "InfraBranchProtection").provider).toBe("github.infra");
  });

  test("sets the Actions variables of the infrastructure repository from the AWS stack's roles", () => {
    const { github } = defaultPair();
    expect(variables(github)).toEqual({
      AWS_REGION: "eu-west-1",
      AWS_DEPLOY_ROLE_ARN: `\${${REMOTE}.cross-stack-output-aws_iam_roleGithubOidc_DeployRole_677C3FE0arn}`,
      AWS_PLAN_ROLE_ARN: `\${${REMOTE}.cross-stack-output-aws_iam_roleGithubOidc_PlanRole_BCE8484Farn}`,
      // deploy.yml's job runs in this environment; the deploy role trusts no other subject.
      DEPLOY_ENVIRONMENT: "production",
      // deploy.yml runs only for pushes to this branch.
      DEPLOY_BRANCH: "main",
    });
    for (const v of Object.values(github.resource.github_actions_variable) as Json[]) expect(v.repository).toBe("infra");
  });

  test("reads the AWS stack's outputs from its S3 state, and the AWS stack marks them sensitive", () => {
    const { aws, github } = defaultPair();
    expect(github.data.terraform_remote_state["cross-stack-reference-input-demo"]).toMatchObject({
      backend: "s3",
      config: { bucket: "acme-demo-tfstate", key: "demo/demo.tfstate", region: "eu-west-1", encrypt: true },
    });
    expect(Object.values(aws.output).every((o) => (o as Json).sensitive === true)).toBe(true);
  });

  test("reads the AWS stack's outputs from its HCP Terraform workspace with the cloud backend", () => {
    const { github } = synthPair(githubConfig({ state: CLOUD_STATE }));
    expect(github.terraform.cloud.workspaces).toEqual({ name: "demo-demo-github" });
    expect(github.data.terraform_remote_state["cross-stack-reference-input-demo"]).toEqual({
      backend: "remote",
      config: { organization: "acme", hostname: "app.terraform.io", workspaces: { name: "demo-demo" } },
    });
  });

  test("commits no deploy files and no webhook by default", () => {
    const { github } = defaultPair();
    expect(github.resource.github_repository_file).toBeUndefined();
    expect(github.resource.github_repository_webhook).toBeUndefined();
  });

  test("fails in ecr mode without deploy file targets", () => {
    expect(() => synthPair(githubConfig(ECR))).toThrow("deployFiles (one target per environment) is required");
  });

  test("fails in webhook mode without the webhook", () => {
    expect(() => synthPair(githubConfig({}, { sourceMode: "webhook" }))).toThrow("webhook (the pipeline webhook URL and its WebhookSecret) is required");
  });
});

describe("GithubStack in imageSource ecr mode", () => {
  const synthEcr = () =>
    synthPair(githubConfig(ECR), (aws) => ({
      deployFiles: [
        { environmentName: "prod", files: addDeployment(aws, "prod").deployFiles("prod").map((f) => ({ ...f, path: `deploy/${f.fileName}` })) },
      ],
    }));

  test("commits taskdef and appspec to a side branch and opens a pull request into the application branch", () => {
    const { github } = synthEcr();
    const files = Object.values(github.resource.github_repository_file) as Json[];
    const side = "${github_branch.DeployFiles_SideBranch_9BA84682.branch}";
    expect(files.map((f) => [f.repository, f.branch, f.file]).sort()).toEqual([
      ["web", side, "deploy/appspec-prod.yaml"],
      ["web", side, "deploy/taskdef-prod.json"],
    ]);
    expect(files.every((f) => f.overwrite_on_create === true)).toBe(true);
    expect(resourceNamed(github, "github_branch", "DeployFiles_SideBranch")).toMatchObject({ repository: "web", branch: "main-deploy-files", source_branch: "main" });
    expect(resourceNamed(github, "github_repository_pull_request", "DeployFiles_PullRequest")).toMatchObject({
      base_repository: "web",
      base_ref: "main",
      head_ref: side,
      maintainer_can_modify: false,
    });
  });

  test("renders the task definition from the AWS stack: roles by reference, the image placeholder, no bootstrap override", () => {
    const file = resourceNamed(synthEcr().github, "github_repository_file", "DeployFiles_ProdTaskDefinition");
    const taskdef = JSON.parse(file.content.replace(/\$\{[^}]+\}/g, "REF")) as Json;
    expect(file.content).toContain(`\${${REMOTE}.cross-stack-output-aws_iam_roleprodService_TaskRole_`);
    expect(taskdef).toMatchObject({
      family: "demo-prod",
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: "256",
      memory: "512",
      volumes: [{ name: "tmp" }],
    });
    const [container] = taskdef.containerDefinitions;
    expect(container).toMatchObject({ name: "app", image: "<IMAGE1_NAME>", portMappings: [{ containerPort: 8080, protocol: "tcp" }] });
    expect(container).not.toHaveProperty("entryPoint");
    expect(container).not.toHaveProperty("command");
    expect(container).not.toHaveProperty("dockerLabels");
  });

  test("renders the appspec for the container and port", () => {
    const file = resourceNamed(synthEcr().github, "github_repository_file", "DeployFiles_ProdAppSpec");
    expect(parse(file.content)).toEqual({
      version: 0.0,
      Resources: [
        {
          TargetService: {
            Type: "AWS::ECS::Service",
            Properties: { TaskDefinition: "<TASK_DEFINITION>", LoadBalancerInfo: { ContainerName: "app", ContainerPort: 8080 } },
          },
        },
      ],
    });
  });

  test("binds admins on the application branch too: the files arrive by pull request, not by a direct push", () => {
    expect(resourceNamed(synthEcr().github, "github_branch_protection", "AppBranchProtection").enforce_admins).toBe(true);
  });
});

describe("GithubStack in sourceMode webhook", () => {
  const synthWebhook = () =>
    synthPair(githubConfig({}, { sourceMode: "webhook" }), () => ({ webhookUrl: "https://example.invalid/webhook" }));

  test("creates a push webhook over verified TLS with the secret generated in the AWS stack", () => {
    const { aws, github } = synthPair(githubConfig({}, { sourceMode: "webhook" }), () => ({ webhookUrl: "https://example.invalid/webhook" }));
    const hook = resourceNamed(github, "github_repository_webhook", "PipelineWebhook");
    expect(hook).toMatchObject({
      repository: "web",
      active: true,
      events: ["push"],
      configuration: { url: "https://example.invalid/webhook", content_type: "json", insecure_ssl: false },
    });
    expect(hook.configuration.secret).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-demo\.outputs\.cross-stack-output-terraform_data/);
    const secret = Object.values(aws.resource.terraform_data) as Json[];
    expect(secret).toEqual([
      expect.objectContaining({
        input: '${replace(uuid(), "-", "")}${replace(uuid(), "-", "")}',
        lifecycle: { ignore_changes: ["input"] },
      }),
    ]);
  });

  test("never writes a literal secret into either stack", () => {
    const { aws, github } = synthWebhook();
    const text = JSON.stringify([aws, github]);
    expect(text).not.toMatch(/"secret":\s*"[^$]/);
    expect(text).not.toMatch(/ghp_|github_pat_/);
  });
});

describe("GithubStack deployment environment", () => {
  test("creates the environment in the infrastructure repository: no self-review, admins bound, custom branch policies", () => {
    expect(resourceNamed(defaultPair().github, "github_repository_environment", "DeployEnvironment")).toEqual(
      expect.objectContaining({
        repository: "infra",
        environment: "production",
        prevent_self_review: true,
        can_admins_bypass: false,
        deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
      }),
    );
  });

  test("admits only the deploy branch", () => {
    expect(resourceNamed(defaultPair().github, "github_repository_environment_deployment_policy", "DeployEnvironment_BranchPolicy")).toMatchObject({
      repository: "infra",
      environment: "${github_repository_environment.DeployEnvironment_BFEDA496.environment}",
      branch_pattern: "main",
    });
  });

  test("has no reviewers, and synth warns, in a solo evaluation", () => {
    expect(resourceNamed(defaultPair().github, "github_repository_environment", "DeployEnvironment").reviewers).toBeUndefined();
    const { stacks } = synthProject(testConfig());
    expect(stacks.report()).toContain(
      "warning: github.deployEnvironment.soloEvaluation is on: every merge to main deploys without a second person's approval (a one-person evaluation, not production)",
    );
  });

  test("does not warn when reviewers are configured", () => {
    const { stacks } = synthProject(testConfig({ github: { owner: "acme", repository: "web", deployEnvironment: { reviewers: { teams: ["platform"] } } } }));
    expect(stacks.report().filter((line) => line.startsWith("warning:"))).toEqual([]);
  });

  test("resolves reviewer logins and team slugs to GitHub ids", () => {
    const { github } = synthPair(githubConfig({}, { deployEnvironment: { name: "prod-aws", reviewers: { users: ["octo-cat"], teams: ["platform"] } } }));
    const environment = resourceNamed(github, "github_repository_environment", "DeployEnvironment");
    expect(environment.environment).toBe("prod-aws");
    expect(environment.reviewers).toEqual([
      {
        users: ["${tonumber(data.github_user.DeployEnvironment_UserOctoCat_B9720781.id)}"],
        teams: ["${tonumber(data.github_team.DeployEnvironment_TeamPlatform_5BC339BB.id)}"],
      },
    ]);
    expect(Object.values(github.data.github_user as Json).map((u) => u.username)).toEqual(["octo-cat"]);
    expect(Object.values(github.data.github_team as Json).map((t) => t.slug)).toEqual(["platform"]);
    expect(variables(github).DEPLOY_ENVIRONMENT).toBe("prod-aws");
  });
});
