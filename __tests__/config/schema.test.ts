import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig, validateConfig } from "../../config";
import { environmentKey } from "../../config/rules";
import { renderSchema, SCHEMA_PATH } from "../../config/write-schema";
import { environmentId } from "../../stacks/config-props";
import { validInput, withValue } from "../helpers/config";

const EXAMPLES_DIR = join(__dirname, "..", "..", "config", "examples");
const EXAMPLES = readdirSync(EXAMPLES_DIR).filter((file) => /\.(ya?ml|json)$/.test(file));

describe("defaults of a minimal config", () => {
  const config = validateConfig(validInput(), "minimal.yaml");

  it("sizes the service small and fast by default", () => {
    expect(config.service).toMatchObject({
      containerName: "app",
      containerPort: 8080,
      cpu: 256,
      memory: 512,
      desiredCount: 2,
      healthCheckPath: "/health",
      healthCheckGracePeriodSeconds: 60,
      readonlyRootFilesystem: true,
      environment: {},
    });
    expect(config.service.bootstrapImage).toBeUndefined();
  });

  it("deploys each environment with a 10% canary and keeps blue 5 minutes", () => {
    for (const environment of config.environments) {
      expect(environment).toMatchObject({
        deploy: { strategy: "codedeploy", config: "CodeDeployDefault.ECSCanary10Percent5Minutes", terminationWaitMinutes: 5 },
        requireApproval: false,
        testListenerCidrs: [],
        prodIngressCidrs: ["0.0.0.0/0"],
        deletionProtection: false,
        allowDestroy: false,
      });
      expect(environment.smokeTest).toBeUndefined();
    }
  });

  it("creates a two-zone VPC with a single NAT gateway by default", () => {
    expect(config.network).toEqual({ mode: "new", vpcCidr: "10.0.0.0/16", azCount: 2, natGateways: "single" });
  });

  it("builds images with CodeBuild in a SUPERSEDED pipeline by default", () => {
    expect(config.pipeline).toMatchObject({
      imageSource: "codebuild",
      ecrImageTag: "release",
      executionMode: "SUPERSEDED",
      filePaths: { includes: [], excludes: [] },
      artifactRetentionDays: 30,
    });
    expect(config.pipeline.notificationEmail).toBeUndefined();
  });

  it("watches main through a connection and keeps 30 tagged images by default", () => {
    expect(config.github).toMatchObject({ branch: "main", sourceMode: "connection", requiredApprovals: 1 });
    expect(config.ecr).toEqual({ keepTaggedImages: 30, mutableTags: [] });
  });

  it("keeps stateful resources protected and adds no tags by default", () => {
    expect(config.allowDestroy).toBe(false);
    expect(config.tags).toEqual({});
    expect(config.state).toMatchObject({ backend: "s3", keyPrefix: "cdktf", bootstrapStateInBucket: false });
  });

  it("defaults the HCP Terraform host", () => {
    const cloud = validateConfig(withValue("state", { backend: "cloud", organization: "acme" }), "cloud.yaml");
    expect(cloud.state).toEqual({ backend: "cloud", organization: "acme", hostname: "app.terraform.io" });
  });

  it("does not change the input object", () => {
    const input = validInput();
    validateConfig(input, "minimal.yaml");
    expect(input).toEqual(validInput());
  });
});

describe("committed examples", () => {
  it("has at least the default example", () => {
    expect(EXAMPLES).toContain("default.yaml");
  });

  it.each(EXAMPLES)("%s validates", (file) => {
    expect(() => loadConfig(join(EXAMPLES_DIR, file))).not.toThrow();
  });

  it.each(EXAMPLES)("%s references the JSON Schema on its first line", (file) => {
    const firstLine = readFileSync(join(EXAMPLES_DIR, file), "utf8").split("\n")[0];
    expect(firstLine).toBe("# yaml-language-server: $schema=../deploy-config.schema.json");
  });
});

describe("JSON Schema", () => {
  it("is committed up to date (run `npm run schema` after changing config/schema.ts)", () => {
    const committed = readFileSync(SCHEMA_PATH, "utf8");
    if (renderSchema() !== committed) {
      throw new Error(
        "config/deploy-config.schema.json is stale: the zod schema changed. Run `npm run schema` and commit the result.",
      );
    }
  });

  it("documents every top-level key of the contract", () => {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["project", "region", "github", "service", "pipeline", "environments", "network", "state"]),
    );
    expect(schema.required).toEqual(expect.arrayContaining(["project", "region", "github", "environments", "state"]));
  });
});

describe("environment names and construct ids", () => {
  it.each(["staging", "prod", "eu-prod", "prod-2", "a", "x-y-z"])(
    "maps %s the way the AWS stack names its environment construct",
    (name) => {
      expect(`Env${environmentKey(name)}`).toBe(environmentId(name));
    },
  );
});
