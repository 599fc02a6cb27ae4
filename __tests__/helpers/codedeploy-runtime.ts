// Test stacks of one environment's runtime (network, load balancer, cluster, service, alarms, smoke-test hook) released by a CodeDeploy deployment group.
import { CODEDEPLOY_HOOK_PROTOCOL, codeDeployServiceArguments } from "../../constructs/environment/strategies/codedeploy";
import { CodedeployApp } from "@cdktf/provider-aws/lib/codedeploy-app";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { CodeDeployDeploymentGroup, CodeDeployDeploymentGroupProps, DeploymentConfigSpec } from "../../constructs/environment/strategies/codedeploy-deployment-group";
import { BlueGreenService, BlueGreenServiceProps } from "../../constructs/runtime/blue-green-service";
import { DeploymentAlarms } from "../../constructs/runtime/deployment-alarms";
import { FargateCluster } from "../../constructs/runtime/fargate-cluster";
import { BlueGreenLoadBalancer, BlueGreenLoadBalancerProps } from "../../constructs/runtime/blue-green-load-balancer";
import { Network, NetworkProps } from "../../constructs/runtime/network";
import { SmokeTestHook } from "../../constructs/runtime/smoke-test-hook";

export const NAME = "demo-prod";
export const REGION = "eu-west-1";

/** The synthesized Terraform JSON, loosely typed for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test-only view of arbitrary Terraform JSON
export type TerraformJson = { resource: Record<string, Record<string, any>>; data?: Record<string, Record<string, any>> };

export const NEW_VPC: NetworkProps = {
  name: NAME,
  newVpc: { cidr: "10.0.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], natGateways: "single" },
};

export interface RuntimeOptions {
  network?: NetworkProps;
  loadBalancer?: Partial<BlueGreenLoadBalancerProps>;
  service?: Partial<BlueGreenServiceProps>;
}

/** A stack with a provider, a network, an ALB and a cluster: what every runtime-b construct builds on. */
export function runtimeStack(options: RuntimeOptions = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: REGION });
  const network = new Network(stack, "Network", options.network ?? NEW_VPC);
  const loadBalancer = new BlueGreenLoadBalancer(stack, "LoadBalancer", {
    name: NAME,
    network,
    containerPort: 8080,
    healthCheck: { path: "/health" },
    ...options.loadBalancer,
  });
  const cluster = new FargateCluster(stack, "Cluster", { name: NAME });
  return { app, stack, network, loadBalancer, cluster };
}

/** Adds the service (defaults of the default config) to a runtime stack. */
export function withService(options: RuntimeOptions = {}) {
  const base = runtimeStack(options);
  const service = new BlueGreenService(base.stack, "Service", {
    name: NAME,
    region: REGION,
    cluster: base.cluster,
    network: base.network,
    loadBalancer: base.loadBalancer,
    containerName: "app",
    containerPort: 8080,
    cpu: 256,
    memory: 512,
    desiredCount: 2,
    deployment: { serviceArguments: codeDeployServiceArguments },
    ...options.service,
  });
  return { ...base, service };
}

export interface FullOptions extends RuntimeOptions {
  deploymentConfig?: DeploymentConfigSpec;
  terminationWaitMinutes?: number;
  smokeTest?: boolean;
  deployment?: Partial<CodeDeployDeploymentGroupProps>;
}

/** Everything: network, ALB, cluster, service, alarms, hook (optional) and the deployment group. */
export function fullStack(options: FullOptions = {}) {
  const base = withService(options);
  const application = new CodedeployApp(base.stack, "Application", { name: "demo", computePlatform: "ECS" });
  const alarms = new DeploymentAlarms(base.stack, "Alarms", { name: NAME, loadBalancer: base.loadBalancer });
  const smokeTestHook =
    options.smokeTest === false
      ? undefined
      : new SmokeTestHook(base.stack, "SmokeTest", {
          name: NAME,
          network: base.network,
          loadBalancer: base.loadBalancer,
          healthCheckPath: "/health",
          protocol: CODEDEPLOY_HOOK_PROTOCOL,
        });
  const deployment = new CodeDeployDeploymentGroup(base.stack, "Deployment", {
    name: NAME,
    application,
    service: base.service,
    deploymentConfig: options.deploymentConfig ?? { preset: "CodeDeployDefault.ECSLinear10PercentEvery1Minutes" },
    terminationWaitMinutes: options.terminationWaitMinutes ?? 60,
    alarms,
    smokeTestHook,
    ...options.deployment,
  });
  return { ...base, application, alarms, smokeTestHook, deployment };
}

export function synth(stack: TerraformStack, runValidations = false): TerraformJson {
  return JSON.parse(Testing.synth(stack, runValidations)) as TerraformJson;
}

/** The only resource of a type (fails when there are several). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see TerraformJson
export function only(json: TerraformJson, type: string): any {
  const all = Object.values(json.resource[type] ?? {});
  if (all.length !== 1) {
    throw new Error(`expected exactly one ${type}, found ${all.length}`);
  }
  return all[0];
}

/** Whether a Terraform address was derived from this construct path (`A/B/C` -> `A_B_C_<hash>`). */
function addressOf(path: string): RegExp {
  return new RegExp(`^${path.replace(/\//g, "_")}_[0-9A-F]{8}$`);
}

/** A resource by its construct path under the stack (the Terraform address is derived from the path). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see TerraformJson
export function byPath(json: TerraformJson, type: string, path: string): any {
  const entries = Object.entries(json.resource[type] ?? {}).filter(([address]) => addressOf(path).test(address));
  if (entries.length !== 1) {
    throw new Error(`expected one ${type} at ${path}, found ${entries.length}`);
  }
  return entries[0][1];
}

/** The IAM statements rendered by the policy document data source at a construct path. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see TerraformJson
export function policyStatements(json: TerraformJson, path: string): any[] {
  const docs = Object.entries(json.data?.aws_iam_policy_document ?? {}).filter(([address]) => addressOf(path).test(address));
  if (docs.length !== 1) {
    throw new Error(`expected one aws_iam_policy_document at ${path}, found ${docs.length}`);
  }
  return docs[0][1].statement;
}
