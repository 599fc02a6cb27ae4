/**
 * Test harness of the `bluegreen` command: an example config with its stack descriptors in a temporary cdktf.out,
 * the SDK clients mocked with aws-sdk-client-mock, a fake clock whose sleep only advances time, and
 * output captured as text. Responses are typed with the SDK's own output types.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { CodeDeployClient, DeploymentInfo, GetDeploymentGroupCommand, ListDeploymentsCommand } from "@aws-sdk/client-codedeploy";
import { CodePipelineClient, GetPipelineStateCommandOutput } from "@aws-sdk/client-codepipeline";
import { ECRClient } from "@aws-sdk/client-ecr";
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { IAMClient } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { join } from "node:path";
import { currentStamp, writeStamp } from "../../config/synth-stamp";
import { AwsClients, createClients, iamAction } from "../../ops/aws";
import { run } from "../../ops/cli";
import { Runtime } from "../../ops/session";
import { exampleDescriptors, writeOutdir } from "./descriptors";

export const ACCOUNT = "123456789012";
export const CALLER = `arn:aws:sts::${ACCOUNT}:assumed-role/bluegreen-demo-github-deploy/ci`;
/** 2026-12-01T10:00:00Z: every run starts here; sleeping only moves this clock. */
export const START = Date.UTC(2026, 11, 1, 10, 0, 0);

/**
 * An example config with a cdktf.out holding the descriptors its stacks write at synth, hand-built
 * (./descriptors.ts): the commands read only those, so the tests need no synth.
 */
export function synthesized(example: string): { outdir: string; configPath: string } {
  const configPath = join(__dirname, "..", "..", "config", "examples", example);
  const outdir = writeOutdir(exampleDescriptors(example));
  // As a synth of this config at this commit would stamp it (config/synth-stamp.ts).
  writeStamp(outdir, currentStamp(configPath));
  return { outdir, configPath };
}

export interface Mocks {
  readonly codedeploy: AwsClientStub<CodeDeployClient>;
  readonly codepipeline: AwsClientStub<CodePipelineClient>;
  readonly ecs: AwsClientStub<ECSClient>;
  readonly elbv2: AwsClientStub<ElasticLoadBalancingV2Client>;
  readonly ecr: AwsClientStub<ECRClient>;
  readonly iam: AwsClientStub<IAMClient>;
  readonly logs: AwsClientStub<CloudWatchLogsClient>;
  readonly cloudwatch: AwsClientStub<CloudWatchClient>;
  readonly sts: AwsClientStub<STSClient>;
}

/** Fresh mocks of every client (call in beforeEach); STS answers with the test account. */
export function mockAws(): Mocks {
  const mocks: Mocks = {
    codedeploy: mockClient(CodeDeployClient),
    codepipeline: mockClient(CodePipelineClient),
    ecs: mockClient(ECSClient),
    elbv2: mockClient(ElasticLoadBalancingV2Client),
    ecr: mockClient(ECRClient),
    iam: mockClient(IAMClient),
    logs: mockClient(CloudWatchLogsClient),
    cloudwatch: mockClient(CloudWatchClient),
    sts: mockClient(STSClient),
  };
  for (const mock of Object.values(mocks)) mock.reset();
  mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: CALLER, UserId: "AROAEXAMPLE:ci" });
  return mocks;
}

/** The IAM actions of every call the mocks received (sts:GetCallerIdentity included). */
export function actionsCalled(mocks: Mocks): string[] {
  return (Object.keys(mocks) as (keyof AwsClients)[]).flatMap((key) => mocks[key].calls().map((call) => iamAction(key, call.args[0] as object)));
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Every pause the command took, in ms. */
  readonly sleeps: readonly number[];
  /** Questions asked at the prompt. */
  readonly questions: readonly string[];
}

export interface RunOptions {
  readonly outdir: string;
  readonly configPath: string;
  /** stdin/stdout are terminals. @default false */
  readonly tty?: boolean;
  /** Answers to confirmation prompts, in order. @default [] */
  readonly answers?: readonly boolean[];
  readonly env?: NodeJS.ProcessEnv;
  /** Stands in for the synth a stale cdktf.out triggers. @default - fails the test: tests synthesize up front */
  readonly synth?: Runtime["synth"];
}

/** Runs `bluegreen <argv>` in-process against the mocks. */
export async function runOps(argv: readonly string[], options: RunOptions): Promise<RunResult> {
  let now = START;
  const stdout: string[] = [];
  const stderr: string[] = [];
  const sleeps: number[] = [];
  const questions: string[] = [];
  const answers = [...(options.answers ?? [])];
  const runtime: Runtime = {
    stdout: { write: (text: string) => stdout.push(text), isTTY: options.tty ?? false, columns: 160 },
    stderr: { write: (text: string) => stderr.push(text) },
    env: { DEPLOY_CONFIG: options.configPath, CDKTF_OUTDIR: options.outdir, ...options.env },
    cwd: process.cwd(),
    interactive: options.tty ?? false,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    confirm: async (question) => {
      questions.push(question);
      return answers.shift() ?? false;
    },
    clients: (region) => createClients(region),
    synth:
      options.synth ??
      (() => {
        throw new Error("tests synthesize up front; the command must not synthesize");
      }),
  };
  const code = await run(argv, runtime);
  return { code, stdout: stdout.join(""), stderr: stderr.join(""), sleeps, questions };
}

/** A deployment id list for one group, optionally split over pages. */
export function deploymentsOf(mocks: Mocks, group: string, ids: readonly string[], statuses?: "in-flight" | "succeeded"): void {
  const match = { deploymentGroupName: group, ...(statuses === "succeeded" ? { includeOnlyStatuses: ["Succeeded" as const] } : {}) };
  mocks.codedeploy.on(ListDeploymentsCommand, match).resolves({ deployments: [...ids] });
}

/** The deployment group as CodeDeploy describes it for the default config's environment. */
export function groupInfo(mocks: Mocks, env: "staging" | "prod", last?: DeploymentInfo): void {
  const name = `bluegreen-demo-${env}`;
  mocks.codedeploy.on(GetDeploymentGroupCommand, { deploymentGroupName: name }).resolves({
    deploymentGroupInfo: {
      applicationName: "bluegreen-demo",
      deploymentGroupName: name,
      ecsServices: [{ clusterName: name, serviceName: name }],
      loadBalancerInfo: {
        targetGroupPairInfoList: [
          {
            targetGroups: [{ name: `${name}-blue` }, { name: `${name}-green` }],
            prodTrafficRoute: { listenerArns: [listenerArn(env, "prod")] },
            testTrafficRoute: { listenerArns: [listenerArn(env, "test")] },
          },
        ],
      },
      lastAttemptedDeployment: last ? { deploymentId: last.deploymentId, status: last.status, endTime: last.completeTime } : undefined,
    },
  });
}

export function listenerArn(env: string, kind: "prod" | "test"): string {
  return `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:listener/app/bluegreen-demo-${env}-alb/50dc6c495c0c9188/${kind === "prod" ? "f2f7dc8efc522ab2" : "0467ef3c8400ae65"}`;
}

export function targetGroupArn(env: string, color: "blue" | "green"): string {
  return `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:targetgroup/bluegreen-demo-${env}-${color}/${color === "blue" ? "73e2d6bc24d8a067" : "943f017f100becff"}`;
}

export function taskDefinitionArn(env: string, revision: number): string {
  return `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/bluegreen-demo-${env}:${revision}`;
}

export const IMAGE_REPOSITORY = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/bluegreen-demo`;

/** A pipeline state with the default config's stages; `approval` makes Approve-prod wait with a token. */
export function pipelineState(approval: boolean): GetPipelineStateCommandOutput {
  const stage = (stageName: string, status: "Succeeded" | "InProgress", actionName: string, extra: Record<string, string> = {}) => ({
    stageName,
    latestExecution: { pipelineExecutionId: "9e1c5a1b-7f3e-4b0e-8d8e-1a2b3c4d5e6f", status },
    actionStates: [{ actionName, latestExecution: { status, ...extra } }],
  });
  return {
    $metadata: {},
    pipelineName: "bluegreen-demo",
    stageStates: [
      stage("Source", "Succeeded", "GitHub", { summary: "Merge pull request #42" }),
      stage("Build", "Succeeded", "BuildImage"),
      stage("Deploy-staging", "Succeeded", "BlueGreen"),
      ...(approval ? [stage("Approve-prod", "InProgress", "Approve", { token: "0d4b3c2a-approval-token" })] : []),
    ],
  };
}
