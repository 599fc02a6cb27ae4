// Test stacks for the pipeline constructs: a repository, one or two blue/green environments, a connection.
import { CodedeployApp } from "@cdktf/provider-aws/lib/codedeploy-app";
import { TerraformStack } from "cdktf";
import { BlueGreenEnvironment } from "../../constructs/environment/blue-green-environment";
import { ContainerRepository, ContainerRepositoryProps } from "../../constructs/delivery/build/container-repository";
import { DeliveryPipeline, DeliveryPipelineProps } from "../../constructs/delivery/delivery-pipeline";
import { EcrImageSource } from "../../constructs/delivery/sources/ecr-image-source";
import { GithubConnectionSource, GithubConnectionSourceProps } from "../../constructs/delivery/sources/github-connection-source";
import { SourceConnection } from "../../constructs/delivery/sources/source-connection";
import { awsTestStack, synthJson, SynthJson, TfBlock } from "./runtime";
import { CodeDeployStrategy } from "../../constructs/environment/strategies/codedeploy";

export const REGION = "eu-west-1";

export interface PipelineStackOptions {
  /** Environment names and whether each needs approval. @default staging, prod (approval) */
  readonly environments?: readonly { name: string; requireApproval: boolean; smokeTest?: boolean }[];
  readonly repository?: Partial<ContainerRepositoryProps>;
  readonly connectionArn?: string;
  /** ecr mode: an ECR source watching this tag instead of a Build stage. @default - codebuild mode */
  readonly ecrImageTag?: string;
  /** The GitHub source's file filters (in ecr mode, includes also turn its push trigger on). */
  readonly filePaths?: GithubConnectionSourceProps["filePaths"];
  readonly pipeline?: Partial<DeliveryPipelineProps>;
}

function environment(stack: TerraformStack, application: CodedeployApp, repository: ContainerRepository, name: string, smokeTest: boolean) {
  return new BlueGreenEnvironment(stack, `Env${name.charAt(0).toUpperCase()}${name.slice(1)}`, {
    name: `demo-${name}`,
    region: REGION,
    strategy: new CodeDeployStrategy({
      application,
      deploymentConfig: { preset: "CodeDeployDefault.ECSLinear10PercentEvery1Minutes" },
      terminationWaitMinutes: 5,
    }),
    repository,
    network: { newVpc: { cidr: "10.0.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], natGateways: "single" } },
    service: {
      containerName: "app",
      containerPort: 8080,
      cpu: 256,
      memory: 512,
      desiredCount: 2,
      healthCheckPath: "/health",
      healthCheckGracePeriodSeconds: 60,
      readonlyRootFilesystem: true,
      environment: {},
    },
    edge: { testListenerCidrs: [], prodIngressCidrs: ["0.0.0.0/0"], deletionProtection: false },
    smokeTest,
    preventDestroy: false,
  });
}

/** A stack with everything the pipeline needs, and the pipeline itself. */
export function pipelineStack(options: PipelineStackOptions = {}) {
  const stack = awsTestStack();
  const repository = new ContainerRepository(stack, "Repository", { name: "demo", ...options.repository });
  const application = new CodedeployApp(stack, "DeployApplication", { name: "demo", computePlatform: "ECS" });
  const envs = options.environments ?? [
    { name: "staging", requireApproval: false, smokeTest: true },
    { name: "prod", requireApproval: true, smokeTest: false },
  ];
  const runtimes = envs.map((env) => ({ env, runtime: environment(stack, application, repository, env.name, env.smokeTest ?? false) }));
  const connection = new SourceConnection(stack, "Connection", { name: "demo", region: REGION, connectionArn: options.connectionArn });
  const pipeline = new DeliveryPipeline(stack, "Delivery", {
    name: "demo",
    region: REGION,
    repository,
    sources: pipelineSources(options, connection, repository),
    build: options.ecrImageTag ? undefined : {},
    targets: runtimes.map(({ env, runtime }) => ({
      environmentName: env.name,
      deployment: runtime.deployment,
      requireApproval: env.requireApproval,
    })),
    ...options.pipeline,
  });
  return { stack, repository, application, runtimes, connection, pipeline, json: () => synthJson(stack) };
}

/** The GitHub source, plus the ECR source in ecr mode (as the AWS stack wires them). */
function pipelineSources(options: PipelineStackOptions, connection: SourceConnection, repository: ContainerRepository) {
  const github = new GithubConnectionSource({
    connection,
    github: { owner: "acme", repository: "web", branch: "main" },
    startOnPush: !options.ecrImageTag || (options.filePaths?.includes ?? []).length > 0,
    filePaths: options.filePaths,
  });
  return options.ecrImageTag ? [github, new EcrImageSource({ repository, imageTag: options.ecrImageTag })] : [github];
}

/** The synthesized pipeline resource (there is exactly one). */
export function pipelineResource(json: SynthJson): TfBlock {
  const pipelines = Object.values(json.resource?.aws_codepipeline ?? {});
  if (pipelines.length !== 1) throw new Error(`expected one pipeline, found ${pipelines.length}`);
  return pipelines[0];
}

export interface TfAction {
  name: string;
  category: string;
  owner: string;
  provider: string;
  version: string;
  input_artifacts?: string[];
  output_artifacts?: string[];
  namespace?: string;
  configuration: Record<string, string>;
}

export function stagesOf(json: SynthJson): { name: string; action: TfAction[] }[] {
  return pipelineResource(json).stage as { name: string; action: TfAction[] }[];
}

export function actionOf(json: SynthJson, stage: string, action?: string): TfAction {
  const found = stagesOf(json).find((s) => s.name === stage);
  if (!found) throw new Error(`no stage ${stage}`);
  return action ? (found.action.find((a) => a.name === action) as TfAction) : found.action[0];
}

/** Statements of the inline policy of the role at `Delivery/<...>/<roleId>` (path segments joined by `_`). */
export function roleStatements(json: SynthJson, prefix: string): TfBlock[] {
  const docs = Object.entries(json.data?.aws_iam_policy_document ?? {}).filter(([key]) => key.startsWith(`${prefix}_Permissions_Document`));
  if (docs.length !== 1) throw new Error(`expected one permissions document under ${prefix}, found ${docs.map(([k]) => k).join(", ") || "none"}`);
  return docs[0][1].statement as TfBlock[];
}

/** `${type.name.attr}` of the resource whose address starts with `prefix`. */
export function ref(json: SynthJson, type: string, prefix: string, attr: string): string {
  const keys = Object.keys(json.resource?.[type] ?? {}).filter((key) => key.startsWith(prefix));
  if (keys.length !== 1) throw new Error(`expected one ${type} starting with ${prefix}, found ${keys.join(", ") || "none"}`);
  return `\${${type}.${keys[0]}.${attr}}`;
}
