/**
 * The descriptors synth really writes (`npm run synth` of the default and the ECS-native example): `bluegreen status`
 * resolves every environment from them, and the hand-built descriptors the other tests use name what synth names.
 * Before the descriptors, the ECS-native example had no environment for the CLI (`--env must be one of  (got ...)`).
 */
import { GetPipelineStateCommand } from "@aws-sdk/client-codepipeline";
import { loadConfig } from "../../config";
import { StackDescriptor } from "../../synthesized/descriptor";
import { readDescriptors } from "../../synthesized/read-descriptors";
import { EnvironmentTarget, readProject } from "../../ops/project";
import { synthesizeExample } from "../helpers/synth";
import { deploymentInfo } from "./deployment-fixtures";
import { exampleDescriptors } from "./descriptors";
import { liveEcsEnvironments } from "./ecs-fixtures";
import { deploymentsOf, groupInfo, Mocks, mockAws, pipelineState, runOps } from "./harness";
import { liveEnvironments } from "./live-fixtures";
import { join } from "node:path";

const examples = ["default.yaml", "ecs-native.yaml"] as const;
const synthesized = Object.fromEntries(
  examples.map((example) => {
    const configPath = join(__dirname, "..", "..", "config", "examples", example);
    return [example, { configPath, outdir: synthesizeExample(loadConfig(configPath), configPath).outdir }];
  }),
) as Record<(typeof examples)[number], { configPath: string; outdir: string }>;

/** What the commands use a descriptor for (timings aside). */
const named = (env: EnvironmentTarget) => ({
  name: env.name,
  stages: [env.deployStage, env.deployAction, env.approval?.stage],
  ecs: [env.clusterName, env.serviceName, env.containerName, env.containerPort, env.family, env.taskRoleName, env.executionRoleName, env.logGroupName],
  alb: [env.loadBalancerName, env.prodListenerPort, env.testListenerPort, ...env.targetGroups.map((tg) => tg.name)],
  alarms: env.alarms.map((alarm) => alarm.name),
  strategy: env.strategy.kind,
  hooks: env.strategy.hooks,
});

let mocks: Mocks;
beforeEach(() => {
  mocks = mockAws();
  mocks.codepipeline.on(GetPipelineStateCommand).resolves(pipelineState(false));
});

describe("bluegreen status on the synthesized examples", () => {
  it("resolves both environments of the default example (CodeDeploy)", async () => {
    liveEnvironments(mocks);
    for (const env of ["staging", "prod"] as const) {
      groupInfo(mocks, env, deploymentInfo(`d-${env.toUpperCase()}`, `bluegreen-demo-${env}`, { status: "Succeeded" }));
      deploymentsOf(mocks, `bluegreen-demo-${env}`, []);
    }
    const result = await runOps(["status", "--json"], synthesized["default.yaml"]);
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout) as { environments: { name: string; strategy: string }[] };
    expect(report.environments.map((e) => [e.name, e.strategy])).toEqual([
      ["staging", "codedeploy"],
      ["prod", "codedeploy"],
    ]);
  });

  it.each(["staging", "prod"])("resolves %s of the ECS-native example", async (env) => {
    liveEcsEnvironments(mocks);
    const result = await runOps(["status", "--env", env], synthesized["ecs-native.yaml"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`\n${env}\n  url         http://catalog-${env}-alb-1234567890.eu-west-1.elb.amazonaws.com/\n  image       catalog:7d1e0f2`);
  });
});

describe("the hand-built descriptors of the other tests", () => {
  it.each(examples)("name what synth names for %s", (example) => {
    const config = loadConfig(synthesized[example].configPath);
    const real = readProject(synthesized[example].outdir, config.project, []).services[0];
    const [built] = exampleDescriptors(example);
    expect(built.environments.map(named)).toEqual(real.environments.map(named));
    const [realStack] = readDescriptors(synthesized[example].outdir);
    const stages = (d: StackDescriptor) => d.pipeline.stages.map((s) => [s.name, ...s.actions.map((a) => `${a.name} ${a.category} ${a.provider}`)]);
    expect([built.pipeline.name, built.repositoryName, stages(built)]).toEqual([realStack.pipeline.name, realStack.repositoryName, stages(realStack)]);
  });
});
