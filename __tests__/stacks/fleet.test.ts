import { Testing } from "cdktf";
import { ConfigError, validateConfig } from "../../config";
import { buildStacks } from "../../stacks";
import { ApplicationGithubStack } from "../../stacks/application-github-stack";
import { InfrastructureGithubStack } from "../../stacks/infrastructure-github-stack";
import { ServiceStack } from "../../stacks/service-stack";
import { AccessStack } from "../../stacks/access-stack";
import { PlatformStack } from "../../stacks/platform-stack";
import { testConfig } from "../helpers/synth";
import { fleetConfig, fleetInput, Json, remoteStateOutputs, resourcesOf, SynthesizedFleet, synthFleet } from "../helpers/fleet";

/** The problems of an invalid fleet input, as the user sees them. */
function problems(overrides: Record<string, unknown>): readonly string[] {
  try {
    validateConfig(fleetInput(overrides), "fleet test config");
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected the config to be invalid");
}

describe("fleet mode stacks", () => {
  let fleet: SynthesizedFleet;
  let platform: Json;
  let web: Json;
  let cart: Json;

  beforeAll(() => {
    fleet = synthFleet(fleetConfig());
    ({ "shop-platform": platform, "shop-web": web, "shop-cart": cart } = fleet.json);
  });

  test("creates the bootstrap, access, platform, infrastructure GitHub and per-service stacks, administrator stacks first", () => {
    expect(fleet.stacks.all().map((s) => s.node.id)).toEqual([
      "bootstrap",
      "shop-access",
      "shop-platform",
      "shop-github",
      "shop-web",
      "shop-web-github",
      "shop-cart",
      "shop-cart-github",
    ]);
    expect(fleet.stacks.services.map((s) => s.name)).toEqual(["web", "cart"]);
  });

  test("builds each fleet role as its named stack class", () => {
    const named = fleet.stacks.all().map((s) => [s.node.id, s.constructor.name]);
    expect(named.slice(1)).toEqual([
      ["shop-access", AccessStack.name],
      ["shop-platform", PlatformStack.name],
      ["shop-github", InfrastructureGithubStack.name],
      ["shop-web", ServiceStack.name],
      ["shop-web-github", ApplicationGithubStack.name],
      ["shop-cart", ServiceStack.name],
      ["shop-cart-github", ApplicationGithubStack.name],
    ]);
  });

  test("the platform holds one network and one cluster per environment, named like single-service mode", () => {
    expect(resourcesOf(platform, "aws_vpc").map((v) => v.tags.Name).sort()).toEqual(["shop-prod", "shop-staging"]);
    expect(resourcesOf(platform, "aws_ecs_cluster").map((c) => c.name).sort()).toEqual(["shop-prod", "shop-staging"]);
    expect(Object.keys(platform.resource.aws_ecs_cluster).sort()).toEqual([
      expect.stringMatching(/^EnvProd_Cluster_/),
      expect.stringMatching(/^EnvStaging_Cluster_/),
    ]);
  });

  test("service stacks create no network, cluster or OIDC provider of their own", () => {
    for (const service of [web, cart]) {
      for (const type of ["aws_vpc", "aws_subnet", "aws_nat_gateway", "aws_ecs_cluster", "aws_iam_openid_connect_provider"]) {
        expect(resourcesOf(service, type)).toEqual([]);
      }
    }
  });

  test("the GitHub OIDC provider and the workflow roles exist once, in the access stack, not in the platform the deploy role applies", () => {
    expect(resourcesOf(fleet.json["shop-access"], "aws_iam_openid_connect_provider")).toHaveLength(1);
    expect(resourcesOf(fleet.json["shop-access"], "aws_iam_role").map((r) => r.name).sort()).toEqual(["shop-github-deploy", "shop-github-plan"]);
    expect(resourcesOf(platform, "aws_iam_openid_connect_provider")).toEqual([]);
    expect(resourcesOf(platform, "aws_iam_role")).toEqual([]);
  });

  test("the GitHub connection is created once, in the platform, and every pipeline uses it", () => {
    expect(resourcesOf(platform, "aws_codestarconnections_connection")).toHaveLength(1);
    for (const service of [web, cart]) {
      expect(resourcesOf(service, "aws_codestarconnections_connection")).toEqual([]);
      const [pipeline] = resourcesOf(service, "aws_codepipeline");
      const source = pipeline.stage[0].action[0];
      expect(remoteStateOutputs(source.configuration.ConnectionArn)).toEqual([expect.stringContaining("aws_codestarconnections_connection")]);
    }
  });

  test("each service has its own image repository, CodeDeploy application and pipeline, named <project>-<service>", () => {
    expect(resourcesOf(web, "aws_ecr_repository").map((r) => r.name)).toEqual(["shop-web"]);
    expect(resourcesOf(cart, "aws_ecr_repository").map((r) => r.name)).toEqual(["shop-cart"]);
    expect(resourcesOf(web, "aws_codedeploy_app").map((a) => a.name)).toEqual(["shop-web"]);
    expect(resourcesOf(cart, "aws_codepipeline").map((p) => p.name)).toEqual(["shop-cart"]);
  });

  test("each service has its own load balancer, target groups, listeners and deployment group per environment", () => {
    for (const [service, name] of [
      [web, "shop-web"],
      [cart, "shop-cart"],
    ] as const) {
      expect(resourcesOf(service, "aws_lb").map((lb) => lb.name).sort()).toEqual([`${name}-prod-alb`, `${name}-staging-alb`]);
      expect(resourcesOf(service, "aws_lb_target_group")).toHaveLength(4);
      expect(resourcesOf(service, "aws_lb_listener")).toHaveLength(4);
      expect(resourcesOf(service, "aws_codedeploy_deployment_group").map((g) => g.deployment_group_name).sort()).toEqual([
        `${name}-prod`,
        `${name}-staging`,
      ]);
    }
  });

  test("services run on the platform's cluster and subnets through cross-stack references", () => {
    const services = resourcesOf(web, "aws_ecs_service");
    expect(services).toHaveLength(2);
    for (const service of services) {
      expect(remoteStateOutputs(service.cluster)).toEqual([expect.stringMatching(/aws_ecs_cluster/)]);
      expect(remoteStateOutputs(service.network_configuration.subnets)).toEqual([
        expect.stringMatching(/PrivateSubnet1/),
        expect.stringMatching(/PrivateSubnet2/),
      ]);
    }
    const referenced = new Set(remoteStateOutputs(web.resource));
    for (const output of referenced) expect(platform.output[output]).toBeDefined();
  });

  test("service stacks read the platform's state from the same backend", () => {
    const remote = web.data.terraform_remote_state["cross-stack-reference-input-shop-platform"];
    expect(remote).toMatchObject({ backend: "s3", config: { bucket: "acme-shop-tfstate", key: "shop/shop-platform.tfstate" } });
  });

  test("every stack keeps its own state key", () => {
    const keys = Object.entries(fleet.json)
      .filter(([id]) => id !== "bootstrap")
      .map(([, json]) => json.terraform.backend.s3.key);
    expect(keys).toEqual([
      "shop/shop-access.tfstate",
      "shop/shop-platform.tfstate",
      "shop/shop-github.tfstate",
      "shop/shop-web.tfstate",
      "shop/shop-web-github.tfstate",
      "shop/shop-cart.tfstate",
      "shop/shop-cart-github.tfstate",
    ]);
  });

  test("a service's overrides apply on top of the top-level service block", () => {
    const [definition] = resourcesOf(cart, "aws_ecs_task_definition");
    expect([definition.cpu, definition.memory]).toEqual(["512", "1024"]);
    expect(JSON.parse(definition.container_definitions)[0].name).toBe("cart");
    const [webDefinition] = resourcesOf(web, "aws_ecs_task_definition");
    expect([webDefinition.cpu, webDefinition.memory]).toEqual(["256", "512"]);
  });

  test("a service's pipeline watches its own repository and branch", () => {
    const [pipeline] = resourcesOf(cart, "aws_codepipeline");
    expect(pipeline.stage[0].action[0].configuration).toMatchObject({ FullRepositoryId: "acme/shop-cart", BranchName: "release" });
  });

  test("service resources carry a service tag besides the project tag", () => {
    expect(web.provider.aws[0].default_tags[0].tags).toMatchObject({ project: "shop", service: "web" });
  });

  test("the infrastructure GitHub stack protects the infrastructure repository and publishes the access stack's role ARNs", () => {
    const github = fleet.json["shop-github"];
    expect(resourcesOf(github, "github_branch_protection").map((p) => p.repository_id)).toEqual(["shop-infra"]);
    const variables = resourcesOf(github, "github_actions_variable");
    const deployRole = variables.find((v) => v.variable_name === "AWS_DEPLOY_ROLE_ARN");
    expect(deployRole?.repository).toBe("shop-infra");
    // By name, with the account from a platform output: the deploy workflow never deploys shop-access, so no stack it deploys may depend on it.
    expect(remoteStateOutputs(deployRole?.value)).toEqual(["cross-stack-output-aws_ecs_clusterEnvStaging_Cluster_47B21896arn"]);
    expect(deployRole?.value).toMatch(/^arn:aws:iam::\$\{element\(split\(":", data\.terraform_remote_state\.cross-stack-reference-input-shop-platform\.outputs\.cross-stack-output-aws_ecs_clusterEnvStaging_Cluster_47B21896arn\), 4\)\}:role\/shop-github-deploy$/);
    expect(Object.keys(github.data.terraform_remote_state)).toEqual(["cross-stack-reference-input-shop-platform"]);
  });

  test("each service's GitHub stack protects its own repository's branch only", () => {
    const protection = resourcesOf(fleet.json["shop-cart-github"], "github_branch_protection");
    expect(protection.map((p) => [p.repository_id, p.pattern])).toEqual([["shop-cart", "release"]]);
    expect(resourcesOf(fleet.json["shop-cart-github"], "github_actions_variable")).toEqual([]);
  });

  test("offline Terraform plans the bootstrap, access and platform stacks and only validates the service stacks", () => {
    expect(fleet.stacks.offlineStackIds()).toEqual(["bootstrap", "shop-access", "shop-platform"]);
    expect(fleet.stacks.remoteStateStackIds()).toEqual(["shop-web", "shop-cart"]);
  });
});

describe("fleet mode variants", () => {
  test("services sharing a repository branch get one branch protection, and no empty GitHub stack", () => {
    const config = fleetConfig({
      services: [
        { name: "api", repository: "mono", pipeline: { filePaths: { includes: ["api/**"] } } },
        { name: "worker", repository: "mono", pipeline: { filePaths: { includes: ["worker/**"] } } },
      ],
    });
    const app = Testing.app({ stackTraces: false });
    const stacks = buildStacks(app, config);
    expect(stacks.services.map((s) => s.github?.node.id)).toEqual(["shop-api-github", undefined]);
  });

  test("a service in the infrastructure repository leaves its branch protection to the infrastructure stack", () => {
    const app = Testing.app({ stackTraces: false });
    const stacks = buildStacks(app, fleetConfig({ services: [{ name: "web", repository: "shop-infra", pipeline: { buildContext: "web" } }] }));
    expect(stacks.services[0].github).toBeUndefined();
  });

  test("webhook mode gives each service its own webhook secret and repository webhook", () => {
    const fleet = synthFleet(fleetConfig({ github: { owner: "acme", repository: "shop-infra", sourceMode: "webhook" } }));
    expect(resourcesOf(fleet.json["shop-platform"], "aws_codestarconnections_connection")).toEqual([]);
    expect(resourcesOf(fleet.json["shop-web"], "aws_codepipeline_webhook")).toHaveLength(1);
    expect(resourcesOf(fleet.json["shop-web-github"], "github_repository_webhook").map((w) => w.repository)).toEqual(["shop-web"]);
    expect(resourcesOf(fleet.json["shop-cart-github"], "github_repository_webhook").map((w) => w.repository)).toEqual(["shop-cart"]);
  });

  test("ecr mode commits each service's deploy files to its own repository", () => {
    const fleet = synthFleet(fleetConfig({ pipeline: { imageSource: "ecr" }, ecr: { mutableTags: ["release"] } }));
    const files = resourcesOf(fleet.json["shop-web-github"], "github_repository_file");
    expect(files.map((f) => [f.repository, f.file]).sort()).toEqual([
      ["shop-web", "deploy/appspec-prod.yaml"],
      ["shop-web", "deploy/appspec-staging.yaml"],
      ["shop-web", "deploy/taskdef-prod.json"],
      ["shop-web", "deploy/taskdef-staging.json"],
    ]);
  });

  test("HCP Terraform gives every stack its own workspace and services read the platform's", () => {
    const fleet = synthFleet(fleetConfig({ state: { backend: "cloud", organization: "acme" } }));
    expect(fleet.json["shop-web"].terraform.cloud.workspaces.name).toBe("shop-shop-web");
    expect(fleet.json["shop-platform"].terraform.cloud.workspaces.name).toBe("shop-shop-platform");
    expect(Object.keys(fleet.json["shop-web"].data.terraform_remote_state)).toEqual(["cross-stack-reference-input-shop-platform"]);
  });
});

describe("single-service mode", () => {
  test("a config without services builds the bootstrap, access, AWS and GitHub stacks", () => {
    const app = Testing.app({ stackTraces: false });
    const stacks = buildStacks(app, testConfig());
    expect(stacks.all().map((s) => s.node.id)).toEqual(["bootstrap", "demo-access", "demo", "demo-github"]);
    expect(stacks.platform).toBeUndefined();
    expect(stacks.services).toEqual([]);
    expect(stacks.access.githubOidc).toBeDefined();
  });
});

describe("fleet config validation", () => {
  test("fails when two services share a name", () => {
    const services = [
      { name: "web", repository: "a" },
      { name: "web", repository: "b" },
    ];
    expect(problems({ services })).toContain('services[1].name: duplicates services[0].name; service names must be unique (got "web")');
  });

  test("fails when a service takes the name of one of the fleet's own stacks", () => {
    expect(problems({ services: [{ name: "platform", repository: "a" }] })[0]).toMatch(/^services\[0\]\.name: is reserved/);
    expect(problems({ services: [{ name: "access", repository: "a" }] })[0]).toMatch(/^services\[0\]\.name: is reserved/);
    expect(problems({ services: [{ name: "api-github", repository: "a" }] })[0]).toMatch(/^services\[0\]\.name: is reserved/);
  });

  test("fails when a service name is not a lowercase name", () => {
    expect(problems({ services: [{ name: "Web", repository: "a" }] })).toEqual([
      'services[0].name: must be 1-12 lowercase letters, digits or hyphens, starting with a letter (got "Web")',
    ]);
  });

  test("fails when <project>-<service> is too long for the derived resource names", () => {
    expect(problems({ project: "a-long-project-name", services: [{ name: "payments", repository: "a" }] })).toEqual([
      'services[0].name: makes the resource-name prefix "a-long-project-name-payments" 28 characters long; <project>-<name> may be at most 26 (shorten the service name or the project) (got "payments")',
    ]);
  });

  test("fails when an override's cpu does not fit the inherited memory", () => {
    expect(problems({ services: [{ name: "web", repository: "a", service: { cpu: 2048 } }] })).toEqual([
      "services[0].service.cpu: memory 512 (from service.memory) is not a Fargate size for cpu 2048; allowed memory: 4096-16384 in steps of 1024 (got 2048)",
    ]);
  });

  test("fails when an override sets a cpu/memory pair Fargate does not offer", () => {
    expect(problems({ services: [{ name: "web", repository: "a", service: { cpu: 256, memory: 4096 } }] })).toEqual([
      "services[0].service.memory: is not a Fargate size for cpu 256; allowed memory: 512, 1024, 2048 (got 4096)",
    ]);
  });

  test("fails when two services would name their environment resources alike", () => {
    const services = [
      { name: "api", repository: "a" },
      { name: "api-prod", repository: "b" },
    ];
    const environments = [{ name: "eu" }, { name: "prod-eu" }];
    expect(problems({ services, environments })).toEqual([
      'services[1].name: with environment "eu" names its resources shop-api-prod-eu-..., like service "api" does: rename one service (got "api-prod")',
    ]);
  });

  test("fails when two ecr-mode services would commit deploy files to the same branch", () => {
    const services = [
      { name: "api", repository: "mono" },
      { name: "worker", repository: "mono" },
    ];
    expect(problems({ services, pipeline: { imageSource: "ecr" }, ecr: { mutableTags: ["release"] } })).toEqual([
      'services[1].repository: imageSource ecr commits deploy/taskdef-<env>.json and deploy/appspec-<env>.yaml to acme/mono@main, and so does services[0]; give each ecr-mode service its own repository or branch (got "mono")',
    ]);
  });

  test("fails when a service switches to ecr mode with an immutable trigger tag", () => {
    expect(problems({ services: [{ name: "web", repository: "a", pipeline: { imageSource: "ecr" } }] })).toEqual([
      'services[0].pipeline.ecrImageTag: the repositories have immutable tags, so "release" can be pushed only once and the pipeline would never start again; exempt it: ecr.mutableTags: ["release"] (got "release")',
    ]);
  });
});
