import { Token } from "cdktf";
import { Construct } from "constructs";
import { BlueGreenService } from "../runtime/blue-green-service";
import { ContainerRepository } from "../delivery/build/container-repository";
import { DeploymentAlarms } from "../runtime/deployment-alarms";
import { FargateCluster } from "../runtime/fargate-cluster";
import { BlueGreenLoadBalancer } from "../runtime/blue-green-load-balancer";
import { Network, NetworkProps } from "../runtime/network";
import { SharedLoadBalancer } from "../runtime/shared-load-balancer";
import { SmokeTestHook } from "../runtime/smoke-test-hook";
import { DeployStrategy, EnvironmentDeployment } from "./strategies/deploy-strategy";
import { EnvironmentDescriptor } from "../../synthesized/descriptor";

/** The container settings of one environment's service. */
export interface EnvironmentServiceSettings {
  readonly containerName: string;
  readonly containerPort: number;
  readonly cpu: number;
  readonly memory: number;
  readonly desiredCount: number;
  readonly healthCheckPath: string;
  readonly healthCheckGracePeriodSeconds: number;
  /** @default - busybox httpd answering the health path */
  readonly bootstrapImage?: string;
  readonly readonlyRootFilesystem: boolean;
  readonly environment: Record<string, string>;
}

/** Who may reach the listeners, and how the prod listener terminates TLS. */
export interface EnvironmentEdgeSettings {
  /** @default - HTTP on port 80 */
  readonly certificateArn?: string;
  readonly testListenerCidrs: readonly string[];
  readonly prodIngressCidrs: readonly string[];
  readonly deletionProtection: boolean;
  /** @default 30 */
  readonly deregistrationDelaySeconds?: number;
}

/** The parts of an environment that several services can share: the network, the ECS cluster and, for `strategy: ecs`, the ALB. */
export interface EnvironmentPlatform {
  readonly network: Network;
  readonly cluster: FargateCluster;
  /**
   * The ALB that `strategy: ecs` services of the environment share (each adds its target groups and listener rules).
   * @default - every service has its own ALB
   */
  readonly loadBalancer?: SharedLoadBalancer;
}

export interface BlueGreenEnvironmentProps {
  /** Prefix of every resource name in the environment, e.g. `demo-prod`. */
  readonly name: string;
  readonly region: string;
  /** How releases reach the service: CodeDeploy blue/green, or ECS-native blue/green, linear or canary. */
  readonly strategy: DeployStrategy;
  /** The image repository the execution role pulls from. */
  readonly repository: ContainerRepository;
  /**
   * A new VPC or an existing one (the `name` is filled in here). Exactly one of `network` and `platform`.
   * @default - none: `platform` provides the network
   */
  readonly network?: Omit<NetworkProps, "name">;
  /**
   * A network and cluster shared with other services (fleet mode: another stack owns them; their
   * ids and ARNs arrive as cross-stack references). Exactly one of `network` and `platform`.
   * @default - this environment creates its own network and cluster
   */
  readonly platform?: EnvironmentPlatform;
  readonly service: EnvironmentServiceSettings;
  readonly edge: EnvironmentEdgeSettings;
  /** Adds the smoke-test Lambda hook at the test-traffic stage (needs NAT egress). */
  readonly smokeTest: boolean;
  /** Keeps `prevent_destroy` on the environment's stateful resources (log groups). */
  readonly preventDestroy: boolean;
  /** @default 30 */
  readonly logRetentionDays?: number;
}

/**
 * One environment's complete blue/green runtime: network and cluster (own, or a shared platform's), ALB with blue and
 * green target groups, the Fargate service, its alarms, the optional smoke-test hook, and what the deploy strategy adds
 * (a CodeDeploy deployment group, or ECS's listener rules, roles and release step). No part here knows which strategy.
 */
export class BlueGreenEnvironment extends Construct {
  public readonly network: Network;
  public readonly cluster: FargateCluster;
  public readonly loadBalancer: BlueGreenLoadBalancer;
  public readonly service: BlueGreenService;
  public readonly alarms: DeploymentAlarms;
  public readonly smokeTestHook?: SmokeTestHook;
  /** The strategy's deployment: the pipeline's deploy target. */
  public readonly deployment: EnvironmentDeployment;
  public readonly strategy: DeployStrategy;
  private readonly settings: EnvironmentServiceSettings;

  constructor(scope: Construct, id: string, props: BlueGreenEnvironmentProps) {
    super(scope, id);
    const { name, service, edge } = props;
    const logRetentionDays = props.logRetentionDays ?? 30;

    if (Boolean(props.network) === Boolean(props.platform)) {
      throw new Error(`BlueGreenEnvironment ${name}: give exactly one of network (own network and cluster) and platform (shared ones)`);
    }
    // Own network and cluster keep the construct ids `Network` and `Cluster` (part of every address).
    this.network = props.platform?.network ?? new Network(this, "Network", { name, ...props.network });
    this.cluster = props.platform?.cluster ?? new FargateCluster(this, "Cluster", { name });
    const strategy = props.strategy;
    this.strategy = strategy;
    this.settings = service;
    // CodeDeploy swaps whole listeners, so only a strategy that reweights listener rules can use a shared ALB.
    const shared = strategy.sharesLoadBalancer ? props.platform?.loadBalancer : undefined;
    if (shared && props.smokeTest) {
      throw new Error(`BlueGreenEnvironment ${name}: the smoke-test hook cannot run behind a shared load balancer (its request carries no service route)`);
    }
    this.loadBalancer = new BlueGreenLoadBalancer(this, "LoadBalancer", {
      name,
      network: this.network,
      containerPort: service.containerPort,
      healthCheck: { path: service.healthCheckPath },
      deregistrationDelaySeconds: edge.deregistrationDelaySeconds,
      ...(shared
        ? { shared }
        : {
            certificateArn: edge.certificateArn,
            testListenerCidrs: edge.testListenerCidrs,
            prodIngressCidrs: edge.prodIngressCidrs,
            deletionProtection: edge.deletionProtection,
          }),
    });
    this.alarms = new DeploymentAlarms(this, "Alarms", { name, loadBalancer: this.loadBalancer });
    if (props.smokeTest) {
      this.smokeTestHook = new SmokeTestHook(this, "SmokeTest", {
        name,
        network: this.network,
        loadBalancer: this.loadBalancer,
        healthCheckPath: service.healthCheckPath,
        logRetentionDays,
        protocol: strategy.hookProtocol,
      });
    }
    const prepared = strategy.prepare(this, { name, loadBalancer: this.loadBalancer, alarms: this.alarms, smokeTestHook: this.smokeTestHook });
    this.service = new BlueGreenService(this, "Service", {
      name,
      region: props.region,
      cluster: this.cluster,
      network: this.network,
      loadBalancer: this.loadBalancer,
      containerName: service.containerName,
      containerPort: service.containerPort,
      cpu: service.cpu,
      memory: service.memory,
      desiredCount: service.desiredCount,
      healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
      bootstrapImage: service.bootstrapImage,
      readonlyRootFilesystem: service.readonlyRootFilesystem,
      environment: service.environment,
      logRetentionDays,
      preventDestroy: props.preventDestroy,
      deployment: prepared,
    });
    props.repository.grantPull(this.service.executionRole);
    this.deployment = prepared.deploy(this, this.service);
  }

  /**
   * The environment as the tools see it (all literal names). `stage` and `approval` are the pipeline's names for
   * the stages that deploy it.
   */
  public describe(environmentName: string, stage: { readonly deployStage: string; readonly deployAction: string; readonly approval?: { readonly stage: string; readonly action: string } }): EnvironmentDescriptor {
    const lb = this.loadBalancer;
    const service = this.service;
    const t = lb.timings;
    const targetGroup = (name: string) => ({ name, port: service.containerPort, healthCheckPath: lb.healthCheckPath, ...t });
    return {
      name: environmentName,
      ...stage,
      clusterName: literal(this.cluster.cluster.nameInput, "cluster name"),
      serviceName: service.family,
      containerName: service.containerName,
      containerPort: service.containerPort,
      family: service.family,
      taskRoleName: literal(service.taskRole.role.nameInput, "task role name"),
      executionRoleName: literal(service.executionRole.role.nameInput, "execution role name"),
      logGroupName: literal(service.logGroup.nameInput, "log group name"),
      desiredCount: this.settings.desiredCount,
      healthCheckGracePeriodSeconds: this.settings.healthCheckGracePeriodSeconds,
      loadBalancerName: literal(lb.alb.nameInput, "load balancer name"),
      sharedLoadBalancer: lb.shared !== undefined,
      prodListenerPort: lb.prodPort,
      testListenerPort: lb.testPort,
      targetGroups: [lb.blueTargetGroup, lb.greenTargetGroup].map((group) => targetGroup(literal(group.nameInput, "target group name"))),
      alarms: this.alarms.descriptors,
      strategy: this.deployment.describe(),
    };
  }
}

/** A name given to a resource as a plain string (the descriptor holds literals only). */
function literal(value: string | undefined, what: string): string {
  if (value === undefined || Token.isUnresolved(value)) throw new Error(`the ${what} must be a plain string to be described (got ${String(value)})`);
  return value;
}
