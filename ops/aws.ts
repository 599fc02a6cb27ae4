/**
 * The AWS SDK v3 clients of the operations command, with one wrapper around every call: it names the IAM action
 * (`codedeploy:GetDeployment`, from the command class), retries throttling with backoff on the injected clock,
 * and turns access-denied, missing-credential and not-found errors into one-line `OpsError`s naming that action.
 * Credentials and the HTTP stack come from the SDK's standard provider chain (profiles, SSO, web identity in CI).
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { CodeDeployClient } from "@aws-sdk/client-codedeploy";
import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { ECRClient } from "@aws-sdk/client-ecr";
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { IAMClient } from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
import { AccessAdvice, ExitCode, isRetryable, isThrottling, OpsError, toOpsError } from "./errors";

export interface AwsClients {
  readonly codedeploy: CodeDeployClient;
  readonly codepipeline: CodePipelineClient;
  readonly ecs: ECSClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly ecr: ECRClient;
  readonly iam: IAMClient;
  readonly logs: CloudWatchLogsClient;
  readonly cloudwatch: CloudWatchClient;
  readonly sts: STSClient;
}

/** IAM service prefix of each client's actions. */
export const IAM_PREFIX: { readonly [K in keyof AwsClients]: string } = {
  codedeploy: "codedeploy",
  codepipeline: "codepipeline",
  ecs: "ecs",
  elbv2: "elasticloadbalancing",
  ecr: "ecr",
  iam: "iam",
  logs: "logs",
  cloudwatch: "cloudwatch",
  sts: "sts",
};

/** The IAM action a command class stands for: `GetDeploymentCommand` of CodeDeploy is `codedeploy:GetDeployment`. */
export function iamAction(client: keyof AwsClients, command: object): string {
  return `${IAM_PREFIX[client]}:${command.constructor.name.replace(/Command$/, "")}`;
}

/** Pause before each retry of a throttled or 5xx call (after the SDK's own attempts): 1, 2, 4, 8, 16 s, then the error. */
export const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 16000];

export interface CallOptions {
  /** Pause before a retry (tests inject one that does not wait). */
  readonly sleep: (ms: number) => Promise<void>;
  /** Who to name when access is denied. */
  readonly advice: () => AccessAdvice;
}

type Sender = { send: (command: object, options?: object) => Promise<unknown> };

/** Creates the clients for a region (the SDK's own retries stay on for network errors). */
export function createClients(region: string): AwsClients {
  const config = { region };
  return {
    codedeploy: new CodeDeployClient(config),
    codepipeline: new CodePipelineClient(config),
    ecs: new ECSClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    ecr: new ECRClient(config),
    iam: new IAMClient(config),
    logs: new CloudWatchLogsClient(config),
    cloudwatch: new CloudWatchClient(config),
    sts: new STSClient(config),
  };
}

/**
 * Wraps every client's `send` (types unchanged): retry throttling and 5xx after the SDK's own
 * attempts (a long `wait` polls for an hour; one throttled poll must not end it), map known errors.
 */
export function instrument(clients: AwsClients, options: CallOptions): AwsClients {
  for (const key of Object.keys(clients) as (keyof AwsClients)[]) {
    const client = clients[key] as unknown as Sender;
    const original = client.send.bind(client);
    client.send = async (command: object, sendOptions?: object) => {
      const action = iamAction(key, command);
      for (let attempt = 0; ; attempt++) {
        try {
          return await original(command, sendOptions);
        } catch (error) {
          if (attempt < RETRY_DELAYS_MS.length && isRetryable(error)) {
            await options.sleep(RETRY_DELAYS_MS[attempt]);
            continue;
          }
          if (isThrottling(error)) {
            throw new OpsError(ExitCode.Unexpected, `AWS kept throttling ${action} after ${RETRY_DELAYS_MS.length} retries; try again in a minute`);
          }
          throw toOpsError(error, action, options.advice());
        }
      }
    };
  }
  return clients;
}
