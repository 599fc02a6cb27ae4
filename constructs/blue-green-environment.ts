import { CodedeployApp } from "@cdktf/provider-aws/lib/codedeploy-app";
import { Construct } from "constructs";
import { BlueGreenDeployment, DeploymentConfigSpec } from "./blue-green-deployment";
import { EcsBlueGreenDeployment } from "./ecs-blue-green-deployment";
import { BlueGreenService } from "./blue-green-service";
import { ContainerRepository } from "./container-repository";
import { DeploymentAlarms } from "./deployment-alarms";
import { FargateCluster } from "./fargate-cluster";
import { BlueGreenLoadBalancer } from "./load-balancer";
import { Network, NetworkProps } from "./network";
import { SmokeTestHook } from "./smoke-test-hook";

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

/** The parts of an environment that several services can share: the network and the ECS cluster. */
export interface EnvironmentPlatform {
  readonly network: Network;
  readonly cluster: FargateCluster;
}

export interface BlueGreenEnvironmentProps {
  /** Prefix of every resource name in the environment, e.g. `demo-prod`. */
  readonly name: string;
  readonly region: string;
  /**
   * The CodeDeploy application shared by the environments (`strategy: codedeploy`).
   * @default - none (required with the codedeploy strategy)
   */
  readonly application?: CodedeployApp;
  /**
   * How releases reach the service: a CodeDeploy deployment group (`codedeploy`), or ECS-native blue/green
   * (`ecs`: the ECS controller with the BLUE_GREEN strategy, shifting traffic with listener rules).
   * @default "codedeploy"
   */
  readonly strategy?: "codedeploy" | "ecs";
  /**
   * `ecs` only: minutes both revisions run after production traffic moved (0-1440).
   * @default 5
   */
  readonly bakeTimeMinutes?: number;
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
  /** `codedeploy` only: how traffic shifts. */
  readonly deploymentConfig: DeploymentConfigSpec;
  /** `codedeploy` only: minutes the old task set is kept after success. */
  readonly terminationWaitMinutes: number;
  /** Adds the smoke-test Lambda hook at the test-traffic stage (needs NAT egress). */
  readonly smokeTest: boolean;
  /** Keeps `prevent_destroy` on the environment's stateful resources (log groups). */
  readonly preventDestroy: boolean;
  /** @default 30 */
  readonly logRetentionDays?: number;
}

/**
 * One environment's complete blue/green runtime: network and cluster (own, or a shared platform's), ALB with blue and green target groups,
 * the Fargate service on the CODE_DEPLOY controller, its alarms, the optional smoke-test hook and the
 * CodeDeploy deployment group that ties them together.
 */
export class BlueGreenEnvironment extends Construct {
  public readonly network: Network;
  public readonly cluster: FargateCluster;
  public readonly loadBalancer: BlueGreenLoadBalancer;
  public readonly service: BlueGreenService;
  public readonly alarms: DeploymentAlarms;
  public readonly smokeTestHook?: SmokeTestHook;
  /** The CodeDeploy deployment group, or the ECS-native blue/green settings: the pipeline's deploy target. */
  public readonly deployment: BlueGreenDeployment | EcsBlueGreenDeployment;

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
    this.loadBalancer = new BlueGreenLoadBalancer(this, "LoadBalancer", {
      name,
      network: this.network,
      containerPort: service.containerPort,
      healthCheck: { path: service.healthCheckPath },
      certificateArn: edge.certificateArn,
      testListenerCidrs: edge.testListenerCidrs,
      prodIngressCidrs: edge.prodIngressCidrs,
      deletionProtection: edge.deletionProtection,
      deregistrationDelaySeconds: edge.deregistrationDelaySeconds,
    });
    this.alarms = new DeploymentAlarms(this, "Alarms", { name, loadBalancer: this.loadBalancer });
    const strategy = props.strategy ?? "codedeploy";
    if (props.smokeTest) {
      this.smokeTestHook = new SmokeTestHook(this, "SmokeTest", {
        name,
        network: this.network,
        loadBalancer: this.loadBalancer,
        healthCheckPath: service.healthCheckPath,
        logRetentionDays,
        protocol: strategy,
      });
    }
    const ecs =
      strategy === "ecs"
        ? new EcsBlueGreenDeployment(this, "Deployment", {
            name,
            loadBalancer: this.loadBalancer,
            bakeTimeMinutes: props.bakeTimeMinutes ?? 5,
            alarms: this.alarms,
            smokeTestHook: this.smokeTestHook,
          })
        : undefined;
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
      ecsBlueGreen: ecs?.serviceSettings(),
    });
    props.repository.grantPull(this.service.executionRole);
    if (ecs) {
      ecs.attach(this.service);
      this.deployment = ecs;
      return;
    }
    if (!props.application) {
      throw new Error(`BlueGreenEnvironment ${name}: the codedeploy strategy needs the CodeDeploy application`);
    }
    this.deployment = new BlueGreenDeployment(this, "Deployment", {
      name,
      application: props.application,
      service: this.service,
      deploymentConfig: props.deploymentConfig,
      terminationWaitMinutes: props.terminationWaitMinutes,
      alarms: this.alarms,
      smokeTestHook: this.smokeTestHook,
    });
  }
}
