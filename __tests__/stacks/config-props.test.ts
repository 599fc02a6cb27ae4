import { validateConfig } from "../../config";
import { CodedeployApp } from "@cdktf/provider-aws/lib/codedeploy-app";
import { TerraformStack, Testing } from "cdktf";
import { CodeDeployStrategy } from "../../constructs/environment/strategies/codedeploy";
import { EcsNativeStrategy } from "../../constructs/environment/strategies/ecs-native";
import { deployStrategy, environmentId, environmentProps, githubSourceProps, networkProps, pipelineProps } from "../../stacks/config-props";
import { RawConfig, validInput } from "../helpers/config";

/** imageSource ecr watching a tag the repository may overwrite. */
function ecrMode(raw: RawConfig, pipeline: RawConfig = {}): void {
  raw.pipeline = { imageSource: "ecr", ...pipeline };
  raw.ecr = { mutableTags: ["release"] };
}

function config(change: (raw: RawConfig) => void = () => {}) {
  const raw = validInput();
  change(raw);
  return validateConfig(raw, "test");
}

describe("environmentId", () => {
  test("derives a PascalCase construct id from the environment name", () => {
    expect(environmentId("staging")).toBe("EnvStaging");
    expect(environmentId("eu-prod-2")).toBe("EnvEuProd2");
  });
});

describe("networkProps", () => {
  test("maps an existing network key by key, without its mode", () => {
    const existing = {
      mode: "existing",
      vpcId: "vpc-0123456789abcdef0",
      vpcCidr: "10.1.0.0/16",
      publicSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
      privateSubnetIds: ["subnet-0123456789abcdef2", "subnet-0123456789abcdef3"],
    };
    const validated = config((raw) => (raw.network = existing));
    expect(networkProps(validated.network, validated.region)).toEqual({
      existing: {
        vpcId: existing.vpcId,
        vpcCidr: existing.vpcCidr,
        publicSubnetIds: existing.publicSubnetIds,
        privateSubnetIds: existing.privateSubnetIds,
        natPublicIps: [],
      },
    });
  });

  test("spreads a new VPC over the region's first zones by default", () => {
    const validated = config();
    expect(networkProps(validated.network, "eu-west-1")).toEqual({
      newVpc: { cidr: "10.0.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], natGateways: validated.network.mode === "new" ? validated.network.natGateways : undefined },
    });
  });
});

describe("environmentProps", () => {
  test("takes the environment's desiredCount over the service's", () => {
    const validated = config((raw) => (raw.environments = [{ name: "prod", desiredCount: 5 }]));
    expect(environmentProps(validated, validated.environments[0], "demo-prod").service.desiredCount).toBe(5);
  });

  test("maps a preset deployment config to the CodeDeploy strategy", () => {
    const validated = config((raw) => (raw.environments = [{ name: "prod", deploymentConfig: "CodeDeployDefault.ECSAllAtOnce" }]));
    const stack = new TerraformStack(Testing.app(), "t");
    const application = new CodedeployApp(stack, "App", { name: "demo", computePlatform: "ECS" });
    const strategy = deployStrategy(validated.environments[0], application);
    expect(strategy).toBeInstanceOf(CodeDeployStrategy);
    expect(strategy.kind).toBe("codedeploy");
  });

  test("maps strategy ecs to the ECS-native strategy, which may share a load balancer", () => {
    const validated = config((raw) => (raw.environments = [{ name: "prod", strategy: "ecs" }]));
    const strategy = deployStrategy(validated.environments[0], undefined);
    expect(strategy).toBeInstanceOf(EcsNativeStrategy);
    expect(strategy.sharesLoadBalancer).toBe(true);
  });
});

describe("githubSourceProps", () => {
  test("starts on pushes in codebuild mode", () => {
    expect(githubSourceProps(config()).startOnPush).toBe(true);
  });

  test("does not start on pushes in ecr mode without file path includes", () => {
    expect(githubSourceProps(config((raw) => ecrMode(raw))).startOnPush).toBe(false);
  });

  test("starts on pushes in ecr mode when file path includes are set", () => {
    const validated = config((raw) => ecrMode(raw, { filePaths: { includes: ["deploy/**"] } }));
    expect(githubSourceProps(validated).startOnPush).toBe(true);
  });

  test("releases only on changes to the build context when the infrastructure shares the application repository", () => {
    const validated = config((raw) => (raw.pipeline = { buildContext: "./app/" }));
    expect(githubSourceProps(validated).filePaths).toEqual({ includes: ["app/**"], excludes: [] });
  });

  test("takes the configured file paths of a shared repository whose application is at the root as they are", () => {
    const validated = config((raw) => (raw.pipeline = { buildContext: ".", filePaths: { includes: ["src/**", "Dockerfile"] } }));
    expect(githubSourceProps(validated).filePaths).toEqual({ includes: ["src/**", "Dockerfile"], excludes: [] });
  });

  test("adds no filter when the infrastructure lives in a repository of its own", () => {
    const validated = config((raw) => (raw.github = { owner: "acme", repository: "web", infrastructureRepository: "acme/infra", deployEnvironment: { soloEvaluation: true } }));
    expect(githubSourceProps(validated).filePaths).toEqual({ includes: [], excludes: [] });
  });

  test("keeps the configured file paths as they are", () => {
    const validated = config((raw) => (raw.pipeline = { buildContext: "app", filePaths: { excludes: ["docs/**"] } }));
    expect(githubSourceProps(validated).filePaths).toEqual({ includes: [], excludes: ["docs/**"] });
  });

  test("adds no filter in ecr mode (pushes there start nothing unless includes ask for it)", () => {
    expect(githubSourceProps(config((raw) => ecrMode(raw))).filePaths).toEqual({ includes: [], excludes: [] });
  });
});

describe("pipelineProps", () => {
  test("has a Build stage in codebuild mode only", () => {
    expect(pipelineProps(config(), "demo").build).toEqual({ buildContext: "app", dockerfile: "Dockerfile" });
    expect(pipelineProps(config((raw) => ecrMode(raw)), "demo").build).toBeUndefined();
  });
});
