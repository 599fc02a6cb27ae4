import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { projectPath } from "../../config/paths";
import { PolicyStatement, ServiceRole } from "../identity/iam";
import { BlueGreenLoadBalancer } from "./blue-green-load-balancer";
import { LAMBDA_NODE_RUNTIME, lambdaBundle } from "../core/lambda-bundle";
import { shortName } from "../core/naming";
import { Network } from "./network";

/** CloudWatch Logs actions the hook needs on its own log group. */
export const HOOK_LOG_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"] as const;

/**
 * What Lambda needs to attach the function to the VPC (the same set as the AWS managed policy
 * AWSLambdaVPCAccessExecutionRole, without its account-wide logs permissions).
 */
export const LAMBDA_VPC_ACTIONS = [
  "ec2:CreateNetworkInterface",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeSubnets",
  "ec2:DeleteNetworkInterface",
  "ec2:AssignPrivateIpAddresses",
  "ec2:UnassignPrivateIpAddresses",
] as const;

/**
 * How the deploy strategy runs the hook and learns its result: the strategy owns it (a CodeDeploy appspec hook
 * that reports through CodeDeploy's API, or an ECS lifecycle hook that returns its status), the hook only runs it.
 */
export interface HookProtocol {
  /** The bundle's handler the function runs (`index.handler`, `index.ecsHandler`). */
  readonly handler: string;
  /** The lifecycle event or stage the hook runs at, e.g. `AfterAllowTestTraffic`. */
  readonly stage: string;
  /** The function's description, before " of <name>: GETs the test listener". */
  readonly description: string;
  /** What the hook's role needs to report its result (none when the result is the function's return value). */
  readonly reportingStatements: readonly PolicyStatement[];
}

/** Prefix AWSCodeDeployRoleForECSLimited lets CodeDeploy invoke (`lambda:InvokeFunction` on `CodeDeployHook_*` only). */
export const HOOK_FUNCTION_PREFIX = "CodeDeployHook_";

const LAMBDA_NAME_MAX_LENGTH = 64;
const ROLE_NAME_MAX_LENGTH = 64;
/** Room for a few requests with retries, and for reporting before the timeout (the handler watches the clock). */
const FUNCTION_TIMEOUT_SECONDS = 90;

export interface SmokeTestHookProps {
  /** Prefix of the resource names (e.g. `demo-prod`). */
  readonly name: string;
  /** The network: the function runs in `taskSubnetIds`, and reaches the ALB through the NAT gateways. */
  readonly network: Network;
  /** The load balancer whose test listener is called. */
  readonly loadBalancer: BlueGreenLoadBalancer;
  /** Path the smoke test GETs through the test listener (usually the health-check path). */
  readonly healthCheckPath: string;
  /**
   * Retention of the function's log group.
   * @default 30
   */
  readonly logRetentionDays?: number;
  /** How the deploy strategy runs the hook and learns its result (the strategy's `hookProtocol`). */
  readonly protocol: HookProtocol;
}

/**
 * The smoke test of a release: a small Lambda that GETs `healthCheckPath` of the new version through the ALB's
 * test listener while only test traffic reaches it, so a broken version never gets production traffic. The deploy
 * strategy says when it runs and how it reports (`protocol`): CodeDeploy runs it as the appspec's
 * `AfterAllowTestTraffic` hook and learns the result through PutLifecycleEventHookExecutionStatus; ECS-native
 * blue/green runs it at the `POST_TEST_TRAFFIC_SHIFT` lifecycle stage and reads the `hookStatus` it returns.
 *
 * The ALB is internet-facing and its test listener only accepts configured CIDRs, so the function runs in the
 * VPC and leaves through the NAT gateways, whose public IPs are allowed on the test port. Without NAT (no NAT
 * gateways, or an existing VPC) there is no known source address: the construct refuses such a network.
 */
export class SmokeTestHook extends Construct {
  public readonly function: LambdaFunction;
  public readonly role: ServiceRole;
  /** Starts with `CodeDeployHook_` (the prefix CodeDeploy's managed role may invoke); the strategy's hook protocol references it. */
  public readonly functionName: string;
  /** The lifecycle event or stage the hook runs at (the protocol's). */
  public readonly lifecycleEvent: string;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly securityGroup: SecurityGroup;
  /** The URL the function tests (ALB DNS name, test port, health path). */
  public readonly testUrl: string;
  public readonly protocol: HookProtocol;

  constructor(scope: Construct, id: string, props: SmokeTestHookProps) {
    super(scope, id);
    const logRetentionDays = props.logRetentionDays ?? 30;
    this.protocol = props.protocol;
    this.lifecycleEvent = props.protocol.stage;
    const lb = props.loadBalancer;
    if (props.network.natPublicIps.length === 0) {
      throw new Error(
        `SmokeTestHook ${props.name}: the network has no NAT gateway public IPs, so a Lambda in the VPC cannot ` +
          `reach the internet-facing load balancer's test listener; use a new VPC with natGateways "single" or ` +
          `"per-az", or disable the smoke test for this environment`,
      );
    }
    lb.allowTestTrafficFrom(
      "SmokeTest",
      props.network.natPublicIps.map((ip) => `${ip}/32`),
    );

    this.functionName = shortName(`${HOOK_FUNCTION_PREFIX}${props.name}`, "", LAMBDA_NAME_MAX_LENGTH);
    const protocol = lb.testListener.protocolInput === "HTTPS" || lb.testListener.certificateArnInput ? "https" : "http";
    this.testUrl = `${protocol}://${lb.alb.dnsName}:${lb.testPort}${props.healthCheckPath}`;

    // Created before the function, so Lambda does not create it without retention on the first invocation.
    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: `/aws/lambda/${this.functionName}`,
      retentionInDays: logRetentionDays,
    });
    this.role = this.createRole(props.name);
    this.securityGroup = this.createSecurityGroup(props);

    const bundle = lambdaBundle(this, "Bundle", projectPath("constructs", "assets", "smoke-test-hook"));
    this.function = new LambdaFunction(this, "Function", {
      functionName: this.functionName,
      description: `${this.protocol.description} of ${props.name}: GETs the test listener`,
      role: this.role.arn,
      runtime: LAMBDA_NODE_RUNTIME,
      handler: this.protocol.handler,
      architectures: ["arm64"],
      memorySize: 128,
      timeout: FUNCTION_TIMEOUT_SECONDS,
      filename: bundle.path,
      sourceCodeHash: Fn.filebase64sha256(bundle.path),
      environment: { variables: { TEST_URL: this.testUrl } },
      vpcConfig: { subnetIds: props.network.taskSubnetIds, securityGroupIds: [this.securityGroup.id] },
      // Lambda checks the VPC permissions when the function is created: the inline policy must exist first.
      dependsOn: [this.logGroup, ...this.role.grants],
    });
  }

  private createRole(name: string): ServiceRole {
    const role = new ServiceRole(this, "Role", {
      name: shortName(name, "smoke-test-hook", ROLE_NAME_MAX_LENGTH),
      servicePrincipal: "lambda.amazonaws.com",
      description: `Smoke-test hook of ${name}: logs, VPC attachment, reporting to CodeDeploy`,
    });
    role.addToPolicy(
      { sid: "WriteHookLogs", actions: [...HOOK_LOG_ACTIONS], resources: [`${this.logGroup.arn}:*`] },
      {
        sid: "AttachToVpc",
        actions: [...LAMBDA_VPC_ACTIONS],
        // "*" as in AWSLambdaVPCAccessExecutionRole: the Describe* actions have no resource-level permission, and
        // Lambda creates, re-uses and deletes the ENIs itself (their ids are unknown here) after checking at
        // CreateFunction that the role holds these actions. An inline copy instead of the managed policy avoids
        // its account-wide logs:* grants.
        resources: ["*"],
      },
      ...this.protocol.reportingStatements,
    );
    return role;
  }

  private createSecurityGroup(props: SmokeTestHookProps): SecurityGroup {
    const group = new SecurityGroup(this, "SecurityGroup", {
      name: `${props.name}-smoke-test-hook`,
      description: `Smoke-test hook of ${props.name}: no ingress; egress to the test listener and AWS APIs`,
      vpcId: props.network.vpcId,
      tags: { Name: `${props.name}-smoke-test-hook` },
    });
    // The ALB's public addresses are not known in advance (and change): the port is the restriction.
    const ports = [...new Set([props.loadBalancer.testPort, 443])];
    for (const port of ports) {
      new VpcSecurityGroupEgressRule(this, port === 443 ? "EgressHttps" : "EgressTestPort", {
        securityGroupId: group.id,
        description: port === 443 ? "CodeDeploy API (and an HTTPS test listener on 443)" : "The ALB test listener",
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrIpv4: "0.0.0.0/0",
      });
    }
    return group;
  }
}
