import { configJsonSchema, configWarnings, DeploySetting, EnvironmentConfig, validateConfig } from "../../config";
import { onlyProblem, problemsOf, RawConfig, validInput, withValue, withValues } from "../helpers/config";

/**
 * environments[].deploy: one shape per strategy, the keys of the other strategy refused in one line,
 * ECS-native traffic shifting, and the deprecated flat keys mapped into deploy with a warning.
 */

/** A minimal valid config whose environments are exactly these. */
function withEnvironments(...environments: Record<string, unknown>[]): RawConfig {
  return withValue("environments", environments);
}

/** The normalized deploy of the single environment given. */
function deployOf(environment: Record<string, unknown>): DeploySetting {
  return validateConfig(withEnvironments({ name: "prod", ...environment }), "test.yaml").environments[0].deploy;
}

/** Problems of a config whose environments[0] has this deploy. */
function deployProblem(deploy: unknown): string {
  return onlyProblem(withValue("environments[0].deploy", deploy));
}

// The output type carries deploy only: naming a flat key on EnvironmentConfig does not compile.
type FlatKeysLeft = Extract<keyof EnvironmentConfig, "strategy" | "bakeTimeMinutes" | "deploymentConfig" | "terminationWaitMinutes">;
const noFlatKeys: [FlatKeysLeft] extends [never] ? true : false = true;

describe("deploy defaults", () => {
  it("deploys with codedeploy, a 10% canary and a 5-minute termination wait when deploy is unset", () => {
    expect(deployOf({})).toEqual({ strategy: "codedeploy", config: "CodeDeployDefault.ECSCanary10Percent5Minutes", terminationWaitMinutes: 5 });
  });

  it("takes codedeploy as the strategy of a deploy block that names none", () => {
    expect(deployOf({ deploy: { terminationWaitMinutes: 30 } })).toEqual({
      strategy: "codedeploy",
      config: "CodeDeployDefault.ECSCanary10Percent5Minutes",
      terminationWaitMinutes: 30,
    });
  });

  it("bakes 5 minutes and shifts all traffic at once with strategy ecs by default", () => {
    expect(deployOf({ deploy: { strategy: "ecs" } })).toEqual({ strategy: "ecs", bakeTimeMinutes: 5, traffic: "all-at-once" });
  });

  it("fills in AWS's linear defaults: 10% steps, 6 minutes apart", () => {
    expect(deployOf({ deploy: { strategy: "ecs", traffic: { type: "linear" } } })).toMatchObject({ traffic: { type: "linear", stepPercent: 10, stepMinutes: 6 } });
  });

  it("fills in AWS's canary defaults: 5% for 10 minutes", () => {
    expect(deployOf({ deploy: { strategy: "ecs", traffic: { type: "canary" } } })).toMatchObject({ traffic: { type: "canary", canaryPercent: 5, canaryMinutes: 10 } });
  });

  it("returns no flat strategy keys on a loaded environment", () => {
    expect(noFlatKeys).toBe(true);
    const environment = validateConfig(withEnvironments({ name: "prod", strategy: "ecs" }), "test.yaml").environments[0];
    expect(Object.keys(environment)).not.toEqual(expect.arrayContaining(["strategy"]));
    expect(Object.keys(environment).filter((key) => ["bakeTimeMinutes", "deploymentConfig", "terminationWaitMinutes"].includes(key))).toEqual([]);
  });
});

describe("each strategy's keys", () => {
  it("accepts a CodeDeploy preset and a termination wait under strategy codedeploy", () => {
    expect(deployOf({ deploy: { strategy: "codedeploy", config: "CodeDeployDefault.ECSAllAtOnce", terminationWaitMinutes: 0 } })).toEqual({
      strategy: "codedeploy",
      config: "CodeDeployDefault.ECSAllAtOnce",
      terminationWaitMinutes: 0,
    });
  });

  it("accepts a custom CodeDeploy canary under strategy codedeploy", () => {
    expect(deployOf({ deploy: { config: { type: "canary", percentage: 20, intervalMinutes: 2 } } })).toMatchObject({
      config: { type: "canary", percentage: 20, intervalMinutes: 2 },
    });
  });

  it("accepts a bake time and linear traffic under strategy ecs", () => {
    expect(deployOf({ deploy: { strategy: "ecs", bakeTimeMinutes: 15, traffic: { type: "linear", stepPercent: 20, stepMinutes: 2 } } })).toEqual({
      strategy: "ecs",
      bakeTimeMinutes: 15,
      traffic: { type: "linear", stepPercent: 20, stepMinutes: 2 },
    });
  });

  it("fails when deploy.terminationWaitMinutes is over 2880", () => {
    expect(deployProblem({ terminationWaitMinutes: 2881 })).toBe("environments[0].deploy.terminationWaitMinutes: must be between 0 and 2880 (got 2881)");
  });

  it("fails when deploy.bakeTimeMinutes is over 1440", () => {
    expect(deployProblem({ strategy: "ecs", bakeTimeMinutes: 1441 })).toBe("environments[0].deploy.bakeTimeMinutes: must be between 0 and 1440 (got 1441)");
  });

  it("fails on an unknown strategy, listing both", () => {
    expect(deployProblem({ strategy: "ec2" })).toBe('environments[0].deploy.strategy: must be one of codedeploy, ecs (got "ec2"); did you mean "ecs"?');
  });

  it("fails on an unknown key under codedeploy, listing the codedeploy keys only", () => {
    expect(deployProblem({ strategy: "codedeploy", terminationWait: 5 })).toBe(
      'environments[0].deploy: unknown key "terminationWait"; did you mean "terminationWaitMinutes"? (allowed: strategy, config, terminationWaitMinutes)',
    );
  });

  it("fails on an unknown key under ecs, listing the ecs keys only", () => {
    expect(deployProblem({ strategy: "ecs", bakeTimeMinute: 5 })).toBe(
      'environments[0].deploy: unknown key "bakeTimeMinute"; did you mean "bakeTimeMinutes"? (allowed: strategy, bakeTimeMinutes, traffic)',
    );
  });

  it("fails when deploy is not a mapping", () => {
    expect(deployProblem("ecs")).toBe('environments[0].deploy: must be a mapping, not a string (got "ecs")');
  });
});

describe("ECS traffic", () => {
  const traffic = (value: unknown) => deployProblem({ strategy: "ecs", traffic: value });
  const accepts = (value: unknown) => problemsOf(withValue("environments[0].deploy", { strategy: "ecs", traffic: value }));

  it.each([2.9, 100.1])("fails when stepPercent is %p, outside ECS's 3.0-100.0", (stepPercent) => {
    expect(traffic({ type: "linear", stepPercent })).toBe(`environments[0].deploy.traffic.stepPercent: must be between 3 and 100 (got ${stepPercent})`);
  });

  it.each([3, 33.3, 100])("accepts stepPercent %p", (stepPercent) => {
    expect(accepts({ type: "linear", stepPercent })).toEqual([]);
  });

  it("fails when stepPercent is not a multiple of 0.1", () => {
    expect(traffic({ type: "linear", stepPercent: 3.05 })).toBe(
      "environments[0].deploy.traffic.stepPercent: must be a multiple of 0.1 from 3.0 to 100.0 (ECS shifts traffic in tenths of a percent) (got 3.05)",
    );
  });

  it("fails when canaryPercent is below ECS's 0.1", () => {
    expect(traffic({ type: "canary", canaryPercent: 0.05 })).toBe("environments[0].deploy.traffic.canaryPercent: must be between 0.1 and 100 (got 0.05)");
  });

  it.each([0.1, 12.5, 100])("accepts canaryPercent %p", (canaryPercent) => {
    expect(accepts({ type: "canary", canaryPercent })).toEqual([]);
  });

  it("fails when canaryPercent is not a multiple of 0.1", () => {
    expect(traffic({ type: "canary", canaryPercent: 12.34 })).toBe(
      "environments[0].deploy.traffic.canaryPercent: must be a multiple of 0.1 from 0.1 to 100.0 (ECS shifts traffic in tenths of a percent) (got 12.34)",
    );
  });

  it.each([
    ["stepMinutes", "linear"],
    ["canaryMinutes", "canary"],
  ])("fails when %s is over ECS's 1440", (key, type) => {
    expect(traffic({ type, [key]: 1441 })).toBe(`environments[0].deploy.traffic.${key}: must be between 0 and 1440 (got 1441)`);
  });

  it("fails when stepMinutes is a fraction", () => {
    expect(traffic({ type: "linear", stepMinutes: 1.5 })).toBe("environments[0].deploy.traffic.stepMinutes: must be a whole number, not a fraction (got 1.5)");
  });

  it("fails on an unknown traffic type, listing linear and canary", () => {
    expect(traffic({ type: "lineer" })).toBe('environments[0].deploy.traffic.type: must be one of linear, canary (got "lineer"); did you mean "linear"?');
  });

  it("fails on a linear key in canary traffic, listing the canary keys", () => {
    expect(traffic({ type: "canary", stepPercent: 10 })).toBe('environments[0].deploy.traffic: unknown key "stepPercent" (allowed: type, canaryPercent, canaryMinutes)');
  });

  it("fails on a misspelled all-at-once", () => {
    expect(traffic("all_at_once")).toBe('environments[0].deploy.traffic: must be one of all-at-once (got "all_at_once"); did you mean "all-at-once"?');
  });
});

describe("keys of the other strategy", () => {
  it("refuses deploy.terminationWaitMinutes under strategy ecs, pointing to bakeTimeMinutes", () => {
    expect(deployProblem({ strategy: "ecs", terminationWaitMinutes: 60 })).toBe(
      "environments[0].deploy.terminationWaitMinutes: belongs to strategy codedeploy, not ecs; with ecs, deploy.bakeTimeMinutes keeps the old revision running after traffic moved (got 60)",
    );
  });

  it("refuses deploy.config under strategy ecs, pointing to deploy.traffic", () => {
    expect(deployProblem({ strategy: "ecs", config: { type: "linear", percentage: 10, intervalMinutes: 1 } })).toBe(
      'environments[0].deploy.config: belongs to strategy codedeploy, not ecs; use deploy.traffic ({ type: linear|canary, ... }) for ECS-native traffic shifting (got {"type":"linear","percentage":10,"intervalMinutes":1})',
    );
  });

  it("refuses deploy.bakeTimeMinutes under strategy codedeploy, pointing to terminationWaitMinutes", () => {
    expect(deployProblem({ strategy: "codedeploy", bakeTimeMinutes: 10 })).toBe(
      "environments[0].deploy.bakeTimeMinutes: belongs to strategy ecs, not codedeploy; with codedeploy, deploy.terminationWaitMinutes keeps the old tasks running after traffic moved (got 10)",
    );
  });

  it("says codedeploy is the default when deploy names no strategy", () => {
    expect(deployProblem({ bakeTimeMinutes: 10 })).toBe(
      "environments[0].deploy.bakeTimeMinutes: belongs to strategy ecs, not codedeploy (the default strategy); with codedeploy, deploy.terminationWaitMinutes keeps the old tasks running after traffic moved (got 10)",
    );
  });

  it("refuses deploy.traffic under strategy codedeploy, pointing to deploy.config", () => {
    expect(deployProblem({ strategy: "codedeploy", traffic: { type: "linear" } })).toBe(
      'environments[0].deploy.traffic: belongs to strategy ecs, not codedeploy; with codedeploy, deploy.config shifts traffic (a preset or { type: canary|linear, percentage, intervalMinutes }) (got {"type":"linear"})',
    );
  });

  it("refuses the flat deploymentConfig with strategy ecs", () => {
    expect(onlyProblem(withEnvironments({ name: "prod", strategy: "ecs", deploymentConfig: "CodeDeployDefault.ECSAllAtOnce" }))).toBe(
      'environments[0].deploymentConfig: belongs to strategy codedeploy, not ecs; use deploy.traffic ({ type: linear|canary, ... }) for ECS-native traffic shifting (got "CodeDeployDefault.ECSAllAtOnce")',
    );
  });

  it("refuses the flat terminationWaitMinutes with strategy ecs", () => {
    expect(onlyProblem(withEnvironments({ name: "prod", strategy: "ecs", terminationWaitMinutes: 60 }))).toBe(
      "environments[0].terminationWaitMinutes: belongs to strategy codedeploy, not ecs; with ecs, deploy.bakeTimeMinutes keeps the old revision running after traffic moved (got 60)",
    );
  });

  it("refuses the flat bakeTimeMinutes without a strategy (codedeploy, the default)", () => {
    expect(onlyProblem(withEnvironments({ name: "prod", bakeTimeMinutes: 10 }))).toBe(
      "environments[0].bakeTimeMinutes: belongs to strategy ecs, not codedeploy (the default strategy); with codedeploy, deploy.terminationWaitMinutes keeps the old tasks running after traffic moved (got 10)",
    );
  });

  it("reports an other-strategy key together with the other problems of the same deploy", () => {
    expect(problemsOf(withValue("environments[0].deploy", { strategy: "ecs", terminationWaitMinutes: 60, bakeTimeMinutes: -1 }))).toEqual([
      "environments[0].deploy.bakeTimeMinutes: must be between 0 and 1440 (got -1)",
      "environments[0].deploy.terminationWaitMinutes: belongs to strategy codedeploy, not ecs; with ecs, deploy.bakeTimeMinutes keeps the old revision running after traffic moved (got 60)",
    ]);
  });
});

describe("deprecated flat keys", () => {
  it("maps strategy and bakeTimeMinutes into deploy", () => {
    expect(deployOf({ strategy: "ecs", bakeTimeMinutes: 15 })).toEqual({ strategy: "ecs", bakeTimeMinutes: 15, traffic: "all-at-once" });
  });

  it("maps deploymentConfig and terminationWaitMinutes into a codedeploy deploy", () => {
    expect(deployOf({ deploymentConfig: "CodeDeployDefault.ECSAllAtOnce", terminationWaitMinutes: 0 })).toEqual({
      strategy: "codedeploy",
      config: "CodeDeployDefault.ECSAllAtOnce",
      terminationWaitMinutes: 0,
    });
  });

  it("warns once per environment, naming the keys and what to write instead", () => {
    const config = validateConfig(
      withEnvironments(
        { name: "staging", strategy: "ecs", bakeTimeMinutes: 15 },
        { name: "prod", deploymentConfig: { type: "canary", percentage: 20, intervalMinutes: 2 }, terminationWaitMinutes: 0 },
      ),
      "test.yaml",
    );
    expect(configWarnings(config)).toEqual([
      "warning: environments[0]: strategy/bakeTimeMinutes are deprecated; write deploy: { strategy: ecs, bakeTimeMinutes: 15 }",
      "warning: environments[1]: deploymentConfig/terminationWaitMinutes are deprecated; write deploy: " +
        "{ strategy: codedeploy, config: { type: canary, percentage: 20, intervalMinutes: 2 }, terminationWaitMinutes: 0 }",
    ]);
  });

  it("says 'is deprecated' for a single flat key", () => {
    const config = validateConfig(withEnvironments({ name: "prod", strategy: "ecs" }), "test.yaml");
    expect(configWarnings(config)).toEqual(["warning: environments[0]: strategy is deprecated; write deploy: { strategy: ecs }"]);
  });

  it("does not warn about an environment written with deploy", () => {
    expect(configWarnings(validateConfig(withEnvironments({ name: "prod", deploy: { strategy: "ecs" } }), "test.yaml"))).toEqual([]);
  });

  it("fails when an environment sets both deploy and flat keys", () => {
    expect(onlyProblem(withEnvironments({ name: "prod", strategy: "ecs", bakeTimeMinutes: 5, deploy: { strategy: "ecs" } }))).toBe(
      'environments[0]: sets deploy and the deprecated strategy, bakeTimeMinutes; move them into deploy (got {"strategy":"ecs","bakeTimeMinutes":5})',
    );
  });

  it("still validates a flat key's value at its own path", () => {
    expect(onlyProblem(withEnvironments({ name: "prod", terminationWaitMinutes: 2881 }))).toBe("environments[0].terminationWaitMinutes: must be between 0 and 2880 (got 2881)");
  });
});

describe("rules over the whole config read deploy.strategy", () => {
  const ecrSource = { "pipeline.imageSource": "ecr", "ecr.mutableTags": ["release"] };

  it("refuses strategy ecs with an ECR image source at deploy.strategy", () => {
    expect(onlyProblem(withValues({ ...ecrSource, "environments[0].deploy": { strategy: "ecs" } }))).toMatch(
      /^environments\[0\]\.deploy\.strategy: ecs releases register the task definition revision that only the pipeline's build renders .*or deploy\.strategy: codedeploy \(got "ecs"\)$/,
    );
  });

  it("points at the flat strategy key where the author wrote that", () => {
    expect(onlyProblem(withValues({ ...ecrSource, "environments[0].strategy": "ecs" }))).toMatch(/^environments\[0\]\.strategy: ecs releases register the task definition revision that only the pipeline's build renders/);
  });

  it("does not mistake an environment with problems of its own for a codedeploy one", () => {
    // A fleet routing block is valid only with an ecs environment; the problem of environment 0 must not add a routing one.
    const fleet = withValues({
      "environments[0]": { name: "staging", deploy: { strategy: "ecs", traffic: { type: "linear", stepPercent: 3.05 } } },
      services: [{ name: "web", repository: "web", routing: { hosts: ["web.example.com"] } }],
    });
    expect(problemsOf(fleet)).toEqual([
      "environments[0].deploy.traffic.stepPercent: must be a multiple of 0.1 from 3.0 to 100.0 (ECS shifts traffic in tenths of a percent) (got 3.05)",
    ]);
  });
});

describe("JSON Schema of deploy", () => {
  interface Node {
    oneOf?: Node[];
    anyOf?: Node[];
    properties?: Record<string, Node>;
    required?: string[];
    additionalProperties?: unknown;
    const?: unknown;
    minimum?: number;
    maximum?: number;
    deprecated?: boolean;
  }
  const environment = (configJsonSchema() as Node).properties?.environments as unknown as { items: Node };
  const deploy = environment.items.properties?.deploy as Node;

  it("is one strict shape per strategy, told apart by a strategy constant", () => {
    const shapes = deploy.oneOf ?? [];
    expect(shapes.map((shape) => shape.properties?.strategy?.const)).toEqual(["codedeploy", "ecs"]);
    expect(shapes.map((shape) => Object.keys(shape.properties ?? {}))).toEqual([
      ["strategy", "config", "terminationWaitMinutes"],
      ["strategy", "bakeTimeMinutes", "traffic"],
    ]);
    expect(shapes.map((shape) => shape.additionalProperties)).toEqual([false, false]);
    expect(shapes[1].required).toEqual(["strategy"]);
  });

  it("bounds ECS linear and canary traffic by ECS's ranges", () => {
    const traffic = deploy.oneOf?.[1].properties?.traffic as Node;
    const [allAtOnce, mappings] = traffic.anyOf ?? [];
    expect(allAtOnce.const).toBe("all-at-once");
    const [linear, canary] = mappings.oneOf ?? [];
    expect([linear.properties?.stepPercent?.minimum, linear.properties?.stepPercent?.maximum]).toEqual([3, 100]);
    expect([linear.properties?.stepMinutes?.minimum, linear.properties?.stepMinutes?.maximum]).toEqual([0, 1440]);
    expect([canary.properties?.canaryPercent?.minimum, canary.properties?.canaryPercent?.maximum]).toEqual([0.1, 100]);
    expect([canary.properties?.canaryMinutes?.minimum, canary.properties?.canaryMinutes?.maximum]).toEqual([0, 1440]);
  });

  it.each(["strategy", "bakeTimeMinutes", "deploymentConfig", "terminationWaitMinutes"])("marks the flat %s deprecated", (key) => {
    expect(environment.items.properties?.[key]?.deprecated).toBe(true);
  });
});

it("leaves the minimal input valid (the helpers' baseline)", () => {
  expect(problemsOf(validInput())).toEqual([]);
});
