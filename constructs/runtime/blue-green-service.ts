import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcsService, EcsServiceConfig } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { FargateCluster } from "./fargate-cluster";
import { PolicyCondition, PolicyStatement, ServiceRole } from "../identity/iam";
import { BlueGreenLoadBalancer } from "./blue-green-load-balancer";
import { shortName } from "../core/naming";
import { Network } from "./network";
import { suppress } from "../policy/suppressions";

/**
 * Docker label that marks the bootstrap override (image entry point and command) in the container
 * definition. The pipeline's render script strips `entryPoint`, `command` and this label when it
 * renders `taskdef.json`, so the application image runs its own command.
 */
export const BOOTSTRAP_LABEL = "bluegreen.bootstrap";

/**
 * A public image with a shell and a static HTTP server: the service converges before the pipeline built anything.
 * ECR Public's mirror of the Docker Official Image (no Docker Hub pull limits), pinned by the digest of its
 * multi-platform index so every environment starts on the same bytes.
 * Tag (for humans): busybox:1.36.1, the `stable` tag when the digest was recorded.
 */
export const DEFAULT_BOOTSTRAP_IMAGE =
  "public.ecr.aws/docker/library/busybox@sha256:73aaf090f3d85aa34ee199857f03fa3a95c8ede2ffd4cc2cdb5b94e566b11662";

/**
 * The bootstrap runs as busybox's `nobody` (uid/gid 65534), never root. The render script strips this `user`
 * with the rest of the bootstrap override, so the application image runs as the USER its Dockerfile declares.
 */
export const BOOTSTRAP_USER = "65534:65534";

/** Below this port a non-root process may not listen (the Linux default of net.ipv4.ip_unprivileged_port_start). */
const FIRST_UNPRIVILEGED_PORT = 1024;

/** What the execution role needs to ship container logs (awslogs driver); pulling from ECR is granted by the repository. */
export const EXECUTION_LOG_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"] as const;

/** IAM role name limit. */
const ROLE_NAME_MAX_LENGTH = 64;
/** Name of the ephemeral task volume mounted at /tmp (writable scratch space with a read-only root). */
const TMP_VOLUME = "tmp";

/** The parts of the service a strategy's service arguments refer to. */
export interface ServiceShape {
  readonly containerName: string;
  readonly containerPort: number;
  readonly loadBalancer: BlueGreenLoadBalancer;
}

/** What the service takes of its deploy strategy (a prepared `DeployStrategy` provides it). */
export interface ServiceDeploymentSettings {
  /** The `aws_ecs_service` arguments the strategy needs (controller, deployment configuration, load balancer, lifecycle). */
  serviceArguments(service: ServiceShape): Partial<EcsServiceConfig>;
}

export interface BlueGreenServiceProps {
  /** Prefix of every resource name (project and environment, e.g. `demo-prod`); also the task family and service name. */
  readonly name: string;
  /** AWS region of the stack, for the awslogs driver. */
  readonly region: string;
  /** Cluster the service runs in. */
  readonly cluster: FargateCluster;
  /** Network the tasks run in (`taskSubnetIds`, `tasksNeedPublicIp`). */
  readonly network: Network;
  /** The ALB whose BLUE target group the service is attached to, and whose security group may reach the tasks. */
  readonly loadBalancer: BlueGreenLoadBalancer;
  /** Container name; the appspec and the render script use the same name. */
  readonly containerName: string;
  /** Port the container listens on. */
  readonly containerPort: number;
  /** Task CPU units (a valid Fargate size; validated by the config layer). */
  readonly cpu: number;
  /** Task memory in MiB (valid for `cpu`; validated by the config layer). */
  readonly memory: number;
  /** Number of tasks. */
  readonly desiredCount: number;
  /**
   * Image the first task definition runs. The default (busybox) is started with a command that serves
   * HTTP 200 on the load balancer's health-check path at `containerPort`; a custom image must do so by itself.
   * @default DEFAULT_BOOTSTRAP_IMAGE
   */
  readonly bootstrapImage?: string;
  /**
   * Seconds ECS ignores failing ALB health checks after a task starts.
   * @default 60
   */
  readonly healthCheckGracePeriodSeconds?: number;
  /**
   * Retention of the container log group.
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Mount the container's root filesystem read-only (an ephemeral volume stays writable at /tmp).
   * @default true
   */
  readonly readonlyRootFilesystem?: boolean;
  /**
   * Plain environment variables of the container (no secrets here: they are visible in the task definition).
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * Protect the log group from `terraform destroy` (`prevent_destroy`).
   * @default true
   */
  readonly preventDestroy?: boolean;
  /**
   * CPU architecture of the task; must match the images the pipeline builds (CodeBuild builds x86_64 by default).
   * @default "X86_64"
   */
  readonly cpuArchitecture?: "X86_64" | "ARM64";
  /** The deploy strategy's service settings (deployment controller and configuration, load balancer, ignore list). */
  readonly deployment: ServiceDeploymentSettings;
}

/**
 * The Fargate service an environment releases to: task definition (bootstrap image), execution and task roles, log
 * group, tasks security group, and the service, whose deployment settings come from the deploy strategy.
 */
export class BlueGreenService extends Construct {
  public readonly taskDefinition: EcsTaskDefinition;
  public readonly service: EcsService;
  /** The application's role (empty by default); grant it what the app needs. */
  public readonly taskRole: ServiceRole;
  /** The role ECS uses to pull the image and write logs. */
  public readonly executionRole: ServiceRole;
  public readonly logGroup: CloudwatchLogGroup;
  /** Security group of the tasks: accepts `containerPort` from the ALB security group only. */
  public readonly securityGroup: SecurityGroup;
  public readonly containerName: string;
  public readonly containerPort: number;
  /** Task definition family (the render script registers new revisions in it). */
  public readonly family: string;
  public readonly cluster: FargateCluster;
  public readonly loadBalancer: BlueGreenLoadBalancer;
  /** The container definition Terraform registers (the source of `taskdef.json`, invariant 4). */
  public readonly containerDefinition: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: BlueGreenServiceProps) {
    super(scope, id);
    const bootstrapImage = props.bootstrapImage ?? DEFAULT_BOOTSTRAP_IMAGE;
    const healthCheckGracePeriodSeconds = props.healthCheckGracePeriodSeconds ?? 60;
    const logRetentionDays = props.logRetentionDays ?? 30;
    const readonlyRootFilesystem = props.readonlyRootFilesystem ?? true;
    const preventDestroy = props.preventDestroy ?? true;
    const cpuArchitecture = props.cpuArchitecture ?? "X86_64";

    this.containerName = props.containerName;
    this.containerPort = props.containerPort;
    this.family = props.name;
    this.cluster = props.cluster;
    this.loadBalancer = props.loadBalancer;

    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: `/ecs/${props.name}`,
      retentionInDays: logRetentionDays,
      lifecycle: { preventDestroy },
    });
    this.executionRole = this.createExecutionRole(props.name);
    this.taskRole = this.createTaskRole(props.name, props.region);

    this.containerDefinition = {
      name: props.containerName,
      image: bootstrapImage,
      essential: true,
      portMappings: [{ containerPort: props.containerPort, protocol: "tcp" }],
      readonlyRootFilesystem,
      mountPoints: [{ sourceVolume: TMP_VOLUME, containerPath: "/tmp", readOnly: false }],
      environment: Object.entries(props.environment ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => ({ name, value })),
      logConfiguration: {
        logDriver: "awslogs",
        options: {
          "awslogs-group": this.logGroup.name,
          "awslogs-region": props.region,
          "awslogs-stream-prefix": props.containerName,
        },
      },
      ...(props.bootstrapImage === undefined
        ? bootstrapOverride(props.containerPort, props.loadBalancer.healthCheckPath)
        : {}),
    };

    this.taskDefinition = new EcsTaskDefinition(this, "TaskDefinition", {
      family: this.family,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(props.cpu),
      memory: String(props.memory),
      executionRoleArn: this.executionRole.arn,
      taskRoleArn: this.taskRole.arn,
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture },
      // A volume without host or EFS settings is Fargate task storage: writable, discarded with the task.
      volume: [{ name: TMP_VOLUME }],
      containerDefinitions: JSON.stringify([this.containerDefinition]),
    });

    this.securityGroup = this.createSecurityGroup(props);
    this.service = this.createService(props, healthCheckGracePeriodSeconds);
  }

  /**
   * `iam:PassRole` on the task and execution roles, only towards ECS tasks: what a deployer (the pipeline's
   * CodeDeployToECS action, or the ECS-native release project's role) needs to register task definitions that use these roles.
   */
  public passRoleStatement(sid: string): PolicyStatement {
    return {
      sid,
      actions: ["iam:PassRole"],
      resources: [this.taskRole.arn, this.executionRole.arn],
      conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] }],
    };
  }

  private createExecutionRole(name: string): ServiceRole {
    // Confused-deputy protection: only ECS acting for this account (the role is also passable to ecs-tasks only).
    const role = new ServiceRole(this, "ExecutionRole", {
      name: shortName(name, "task-execution", ROLE_NAME_MAX_LENGTH),
      servicePrincipal: "ecs-tasks.amazonaws.com",
      trustConditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [this.clusterAccount()] }],
      description: `ECS pulls the image and writes the logs of ${name}`,
    });
    role.addToPolicy({
      sid: "WriteContainerLogs",
      actions: [...EXECUTION_LOG_ACTIONS],
      // Log streams are sub-resources of the group: `<group arn>:log-stream:<name>`.
      resources: [`${this.logGroup.arn}:*`],
    });
    return role;
  }

  /** The account id from the cluster ARN (arn:<partition>:ecs:<region>:<account>:cluster/<name>): no AWS data source needed. */
  private clusterAccount(): string {
    return Fn.element(Fn.split(":", this.cluster.arn), 4);
  }

  private createTaskRole(name: string, region: string): ServiceRole {
    // Confused-deputy protection as the ECS documentation shows it for task roles.
    const partition = Fn.element(Fn.split(":", this.cluster.arn), 1);
    const account = this.clusterAccount();
    const conditions: PolicyCondition[] = [
      { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:${partition}:ecs:${region}:${account}:*`] },
      { test: "StringEquals", variable: "aws:SourceAccount", values: [account] },
    ];
    return new ServiceRole(this, "TaskRole", {
      name: shortName(name, "task", ROLE_NAME_MAX_LENGTH),
      servicePrincipal: "ecs-tasks.amazonaws.com",
      trustConditions: conditions,
      description: `The application of ${name} (grant it what the app needs)`,
    });
  }

  private createSecurityGroup(props: BlueGreenServiceProps): SecurityGroup {
    const group = new SecurityGroup(this, "SecurityGroup", {
      name: `${props.name}-tasks`,
      description: `Tasks of ${props.name}: container port from the load balancer only`,
      vpcId: props.network.vpcId,
      tags: { Name: `${props.name}-tasks` },
      // Rules are separate resources below; inline rules would fight them.
    });
    const albGroupId = props.loadBalancer.securityGroup.id;
    new VpcSecurityGroupIngressRule(this, "IngressFromLoadBalancer", {
      securityGroupId: group.id,
      description: "Container port from the load balancer",
      ipProtocol: "tcp",
      fromPort: props.containerPort,
      toPort: props.containerPort,
      referencedSecurityGroupId: albGroupId,
    });
    // Terraform removes the default allow-all egress of a new group; tasks need HTTPS to ECR, S3 and CloudWatch
    // (through NAT or a public IP) and whatever the application calls, so egress stays open.
    new VpcSecurityGroupEgressRule(this, "EgressAll", {
      securityGroupId: group.id,
      description: "Image pulls, logs, and the application's own calls",
      ipProtocol: "-1",
      cidrIpv4: "0.0.0.0/0",
    });
    new VpcSecurityGroupEgressRule(this, "LoadBalancerToTasks", {
      securityGroupId: albGroupId,
      description: `Forward to the tasks of ${props.name}`,
      ipProtocol: "tcp",
      fromPort: props.containerPort,
      toPort: props.containerPort,
      referencedSecurityGroupId: group.id,
    });
    return group;
  }

  private createService(props: BlueGreenServiceProps, healthCheckGracePeriodSeconds: number): EcsService {
    const service = new EcsService(this, "Service", {
      name: props.name,
      cluster: props.cluster.arn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount: props.desiredCount,
      launchType: "FARGATE",
      platformVersion: "LATEST",
      networkConfiguration: {
        subnets: props.network.taskSubnetIds,
        securityGroups: [this.securityGroup.id],
        assignPublicIp: props.network.tasksNeedPublicIp,
      },
      healthCheckGracePeriodSeconds,
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      // The pipeline owns rollouts; Terraform must not wait for a steady state it does not drive.
      waitForSteadyState: false,
      ...props.deployment.serviceArguments({ containerName: props.containerName, containerPort: props.containerPort, loadBalancer: props.loadBalancer }),
    });
    if (props.network.tasksNeedPublicIp) {
      suppress(service, [
        {
          id: "BG-ECS-006",
          reason: "network.natGateways is none: tasks sit in public subnets and need a public IP to pull images; ingress stays limited to the ALB",
        },
      ]);
    }
    return service;
  }
}

/**
 * The busybox command that makes the bootstrap image healthy, as the non-root BOOTSTRAP_USER: write the
 * health-check file and serve it. Not into /tmp: ECS creates the task's /tmp volume root-owned 0755 unless the
 * image declares the directory (busybox does not), so nobody could not write there. /dev/shm is the runtime's
 * own tmpfs (mode 1777), outside the read-only root. Marked with BOOTSTRAP_LABEL so the render script removes
 * the entry point, command, user and label from the application's task definition.
 */
function bootstrapOverride(containerPort: number, healthCheckPath: string): Record<string, unknown> {
  if (containerPort < FIRST_UNPRIVILEGED_PORT) {
    throw new Error(
      `service.containerPort must be at least ${FIRST_UNPRIVILEGED_PORT} with the default bootstrap image, which runs as a non-root user like the application image must (got ${containerPort}); use a port from ${FIRST_UNPRIVILEGED_PORT} or set service.bootstrapImage`,
    );
  }
  // The path lands in a shell command: accept only URL path characters that need no quoting.
  if (!/^\/[A-Za-z0-9._\-/]*$/.test(healthCheckPath) || healthCheckPath.includes("..")) {
    throw new Error(
      `healthCheckPath must be a plain URL path of letters, digits, ".", "_", "-" and "/" starting with "/" (got "${healthCheckPath}")`,
    );
  }
  const file = healthCheckPath.endsWith("/") ? `${healthCheckPath}index.html` : healthCheckPath;
  const root = "/dev/shm/www";
  const script = [
    `mkdir -p "$(dirname ${root}${file})"`,
    `echo ok > ${root}${file}`,
    `exec httpd -f -v -p ${containerPort} -h ${root}`,
  ].join(" && ");
  return { entryPoint: ["sh", "-c"], command: [script], user: BOOTSTRAP_USER, dockerLabels: { [BOOTSTRAP_LABEL]: "true" } };
}
