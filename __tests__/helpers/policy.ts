/**
 * Fixtures for the policy pack tests: raw provider resources in a bare TerraformStack (no project
 * constructs), so each rule is tested against exactly the Terraform shape it inspects.
 * Non-compliant variants are made by breaking one argument with `addOverride`.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CodedeployApp } from "@cdktf/provider-aws/lib/codedeploy-app";
import { CodedeployDeploymentGroup } from "@cdktf/provider-aws/lib/codedeploy-deployment-group";
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { S3Backend, TerraformResource, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { evaluateTerraform, PolicyPackOptions, ruleById, RuleViolation } from "../../constructs/policy";

/** A stack with the AWS provider and a compliant S3 backend (so only the rule under test speaks). */
export function policyStack(id = "test"): TerraformStack {
  const stack = new TerraformStack(Testing.app(), id);
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new S3Backend(stack, { bucket: "state", key: `${id}.tfstate`, region: "eu-west-1", encrypt: true, kmsKeyId: "alias/tfstate/state" });
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
  return stack;
}

/** Violations of one rule in the stack as it synthesizes now. */
export function violationsOf(stack: TerraformStack, ruleId: string, options: PolicyPackOptions = {}): RuleViolation[] {
  const rule = ruleById(ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return [
    ...evaluateTerraform(stack.toTerraform() as Record<string, unknown>, {
      stackPath: stack.node.path,
      rules: [rule],
      options: {
        bootstrap: options.bootstrap ?? false,
        identity: options.identity ?? false,
        deletionProtectionPaths: (options.deletionProtection ?? []).map((c) => c.node.path),
        plainHttpPaths: (options.plainHttp ?? []).map((c) => c.node.path),
      },
    }).violations,
  ];
}

/** The Terraform address of a resource, as violations report it. */
export function address(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/** Removes a construct from the tree (to build a fixture that lacks one part). */
export function removeConstruct(construct: Construct): void {
  construct.node.scope?.node.tryRemoveChild(construct.node.id);
}

/** Addresses only, for terse assertions. */
export function violatingAddresses(stack: TerraformStack, ruleId: string, options?: PolicyPackOptions): string[] {
  return violationsOf(stack, ruleId, options).map((v) => v.address);
}

export function policyDocument(scope: Construct, id: string, statement: DataAwsIamPolicyDocumentStatement[]): DataAwsIamPolicyDocument {
  return new DataAwsIamPolicyDocument(scope, id, { statement });
}

export interface CompliantBucket {
  readonly bucket: S3Bucket;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  readonly versioning: S3BucketVersioningA;
  readonly ownership: S3BucketOwnershipControls;
  readonly policy: S3BucketPolicy;
}

/** A bucket that passes every S3 rule; break one part to test a rule. */
export function compliantBucket(scope: Construct, id = "Bucket"): CompliantBucket {
  const group = new Construct(scope, id);
  const bucket = new S3Bucket(group, "Bucket", { bucket: `${id.toLowerCase()}-bucket` });
  const tlsOnly = policyDocument(group, "TlsOnly", [
    {
      sid: "DenyInsecureTransport",
      effect: "Deny",
      actions: ["s3:*"],
      resources: [bucket.arn, `${bucket.arn}/*`],
      principals: [{ type: "AWS", identifiers: ["*"] }],
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    },
  ]);
  return {
    bucket,
    publicAccessBlock: new S3BucketPublicAccessBlock(group, "PublicAccessBlock", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }),
    encryption: new S3BucketServerSideEncryptionConfigurationA(group, "Encryption", {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }],
    }),
    versioning: new S3BucketVersioningA(group, "Versioning", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }),
    ownership: new S3BucketOwnershipControls(group, "Ownership", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }),
    policy: new S3BucketPolicy(group, "Policy", { bucket: bucket.id, policy: tlsOnly.json }),
  };
}

/** A role with a service trust and one inline policy made of `statements`. */
export function roleWithPolicy(
  scope: Construct,
  id: string,
  statements: DataAwsIamPolicyDocumentStatement[],
  trust: DataAwsIamPolicyDocumentStatement[] = [
    { actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }] },
  ],
): { role: IamRole; policy: IamRolePolicy } {
  const group = new Construct(scope, id);
  const role = new IamRole(group, "Role", { name: id, assumeRolePolicy: policyDocument(group, "Trust", trust).json });
  const policy = new IamRolePolicy(group, "Policy", { role: role.id, policy: policyDocument(group, "Permissions", statements).json });
  return { role, policy };
}

export interface BlueGreenFixtureOptions {
  /** Prod listener HTTPS on 443 plus an HTTP:80 redirect. @default false (HTTP on 80) */
  readonly https?: boolean;
  /** Container definitions of the task definition. @default one compliant container */
  readonly containers?: Record<string, unknown>[];
}

export interface BlueGreenFixture {
  readonly lb: Lb;
  readonly securityGroup: SecurityGroup;
  readonly prodIngress: VpcSecurityGroupIngressRule;
  readonly blue: LbTargetGroup;
  readonly green: LbTargetGroup;
  readonly prodListener: LbListener;
  readonly testListener: LbListener;
  readonly redirectListener?: LbListener;
  readonly cluster: EcsCluster;
  readonly taskDefinition: EcsTaskDefinition;
  readonly service: EcsService;
  readonly deploymentGroup: CodedeployDeploymentGroup;
}

export const COMPLIANT_CONTAINER: Record<string, unknown> = {
  name: "web",
  image: "public.ecr.aws/docker/library/busybox:stable",
  readonlyRootFilesystem: true,
  logConfiguration: {
    logDriver: "awslogs",
    options: { "awslogs-group": "/ecs/web", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "web" },
  },
};

/** The raw resources of one blue/green environment, compliant with every ALB/listener/SG/ECS/CodeDeploy rule. */
export function blueGreenFixture(scope: Construct, id = "Env", options: BlueGreenFixtureOptions = {}): BlueGreenFixture {
  const env = new Construct(scope, id);
  const securityGroup = new SecurityGroup(env, "AlbSg", { name: `${id}-alb`, vpcId: "vpc-123", description: "ALB" });
  const prodPort = options.https ? 443 : 80;
  const prodIngress = ingress(env, "ProdIngress", securityGroup, prodPort, "0.0.0.0/0");
  if (options.https) ingress(env, "HttpIngress", securityGroup, 80, "0.0.0.0/0");
  const lb = new Lb(env, "Alb", {
    name: `${id}-alb`,
    loadBalancerType: "application",
    securityGroups: [securityGroup.id],
    subnets: ["subnet-a", "subnet-b"],
    dropInvalidHeaderFields: true,
  });
  const targetGroup = (tgId: string) =>
    new LbTargetGroup(env, tgId, { name: `${id}-${tgId}`.toLowerCase(), port: 8080, protocol: "HTTP", targetType: "ip", vpcId: "vpc-123" });
  const blue = targetGroup("Blue");
  const green = targetGroup("Green");
  const tls = options.https ? { protocol: "HTTPS", certificateArn: "arn:aws:acm:eu-west-1:111111111111:certificate/x", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" } : { protocol: "HTTP" };
  const forwardListener = (lId: string, port: number, tg: LbTargetGroup) =>
    new LbListener(env, lId, {
      loadBalancerArn: lb.arn,
      port,
      ...tls,
      defaultAction: [{ type: "forward", targetGroupArn: tg.arn }],
      lifecycle: { ignoreChanges: ["default_action"] },
    });
  const prodListener = forwardListener("ProdListener", prodPort, blue);
  const testListener = forwardListener("TestListener", 8443, green);
  const redirectListener = options.https
    ? new LbListener(env, "HttpRedirect", {
        loadBalancerArn: lb.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      })
    : undefined;
  const cluster = new EcsCluster(env, "Cluster", { name: `${id}-cluster`, setting: [{ name: "containerInsights", value: "enabled" }] });
  const taskDefinition = new EcsTaskDefinition(env, "TaskDefinition", {
    family: `${id}-web`,
    cpu: "256",
    memory: "512",
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    executionRoleArn: "arn:aws:iam::111111111111:role/execution",
    taskRoleArn: "arn:aws:iam::111111111111:role/task",
    containerDefinitions: JSON.stringify(options.containers ?? [COMPLIANT_CONTAINER]),
  });
  const service = new EcsService(env, "Service", {
    name: `${id}-web`,
    cluster: cluster.arn,
    taskDefinition: taskDefinition.arn,
    desiredCount: 2,
    launchType: "FARGATE",
    deploymentController: { type: "CODE_DEPLOY" },
    loadBalancer: [{ targetGroupArn: blue.arn, containerName: "web", containerPort: 8080 }],
    networkConfiguration: { subnets: ["subnet-a"], securityGroups: [securityGroup.id], assignPublicIp: false },
    lifecycle: { ignoreChanges: ["task_definition", "load_balancer"] },
  });
  const app = new CodedeployApp(env, "App", { name: `${id}-app`, computePlatform: "ECS" });
  const deploymentGroup = new CodedeployDeploymentGroup(env, "DeploymentGroup", {
    appName: app.name,
    deploymentGroupName: `${id}-dg`,
    serviceRoleArn: "arn:aws:iam::111111111111:role/codedeploy",
    deploymentConfigName: "CodeDeployDefault.ECSAllAtOnce",
    deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" },
    autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
    alarmConfiguration: { enabled: true, alarms: [`${id}-blue-5xx`] },
    ecsService: { clusterName: cluster.name, serviceName: service.name },
    loadBalancerInfo: {
      targetGroupPairInfo: {
        prodTrafficRoute: { listenerArns: [prodListener.arn] },
        testTrafficRoute: { listenerArns: [testListener.arn] },
        targetGroup: [{ name: blue.name }, { name: green.name }],
      },
    },
  });
  return { lb, securityGroup, prodIngress, blue, green, prodListener, testListener, redirectListener, cluster, taskDefinition, service, deploymentGroup };
}

function ingress(scope: Construct, id: string, sg: SecurityGroup, port: number, cidr: string): VpcSecurityGroupIngressRule {
  return new VpcSecurityGroupIngressRule(scope, id, {
    securityGroupId: sg.id,
    cidrIpv4: cidr,
    fromPort: port,
    toPort: port,
    ipProtocol: "tcp",
    description: `listener ${port} from the internet`,
  });
}
