/**
 * Config -> construct props, in one place: each config key appears on one line beside the prop it drives,
 * so a key's path to its resource is one search away. No config object is spread into props (a spread
 * hides which keys reach a construct, and passes along keys it never declared). Stacks compose these;
 * they do not import helpers from each other.
 */
import { CodedeployApp, CodedeployAppConfig } from "@cdktf/provider-aws/lib/codedeploy-app";
import { AwsProviderConfig } from "@cdktf/provider-aws/lib/provider";
import { DeployConfig, DeploymentConfigSetting, EcsTrafficSetting, EnvironmentConfig, FleetServiceConfig, NetworkConfig, defaultZones, environmentKey, hasNatEgress, prefixPatterns, routePriority } from "../config";
import { DeploymentConfigSpec } from "../constructs/environment/strategies/codedeploy-deployment-group";
import { BlueGreenEnvironmentProps, EnvironmentServiceSettings } from "../constructs/environment/blue-green-environment";
import { ContainerRepositoryProps } from "../constructs/delivery/build/container-repository";
import { DeliveryPipelineProps } from "../constructs/delivery/delivery-pipeline";
import { ListenerRuleRoute } from "../constructs/environment/strategies/ecs-native-traffic-routing";
import { GithubConnectionSourceProps } from "../constructs/delivery/sources/github-connection-source";
import { GithubOidcRolesProps } from "../constructs/identity/github-oidc";
import { LegacyGithubSourceProps } from "../constructs/delivery/sources/legacy-github-source";
import { Network, NetworkProps } from "../constructs/runtime/network";
import { SharedLoadBalancerProps } from "../constructs/runtime/shared-load-balancer";
import { SourceConnectionProps } from "../constructs/delivery/sources/source-connection";
import { boundaryPolicyName } from "../constructs/identity/permissions-boundary";
import { CodeDeployStrategy } from "../constructs/environment/strategies/codedeploy";
import { DeployStrategy } from "../constructs/environment/strategies/deploy-strategy";
import { EcsNativeStrategy, EcsTraffic } from "../constructs/environment/strategies/ecs-native";
import { stateObjectKey, stateRegion } from "./backend";
import { BOOTSTRAP_STACK_ID } from "./bootstrap-stack";

/** Construct id of an environment: `staging` -> `EnvStaging`, `eu-prod` -> `EnvEuProd`. Part of every address: never change it. */
export function environmentId(name: string): string {
  return `Env${environmentKey(name)}`;
}

/** `region` and `tags` -> the AWS provider of an application stack (the project and tool tags on every resource). */
export function awsProviderProps(config: DeployConfig): Pick<AwsProviderConfig, "region" | "defaultTags"> {
  // The project tag last: the deploy role's tag-scoped grants rely on it, so config.tags cannot override it.
  return { region: config.region, defaultTags: [{ tags: { "managed-by": "cdktf", ...config.tags, project: config.project } }] };
}

/** `owner/name` of the repository holding this infrastructure code (default: the application repository). */
export function infrastructureRepository(config: DeployConfig): { owner: string; name: string } {
  const [owner, name] = (config.github.infrastructureRepository ?? `${config.github.owner}/${config.github.repository}`).split("/");
  return { owner, name };
}

/** The watched application repository and branch. */
function watchedRepository(config: DeployConfig): { owner: string; repository: string; branch: string } {
  return { owner: config.github.owner, repository: config.github.repository, branch: config.github.branch };
}

/** `ecr` -> the image repository. */
export function repositoryProps(config: DeployConfig, name: string): ContainerRepositoryProps {
  return {
    name,
    keepTaggedImages: config.ecr.keepTaggedImages,
    mutableTagExclusions: config.ecr.mutableTags,
    preventDestroy: !config.allowDestroy,
  };
}

/** The CodeDeploy application every environment's deployment group belongs to. */
export function deployApplicationProps(name: string): Pick<CodedeployAppConfig, "name" | "computePlatform"> {
  return { name, computePlatform: "ECS" };
}

/** `environments[]` (with the top-level `service` and `network`) -> one environment's runtime. */
export function environmentProps(
  config: DeployConfig,
  environment: EnvironmentConfig,
  name: string,
): Pick<
  BlueGreenEnvironmentProps,
  "name" | "region" | "service" | "edge" | "smokeTest" | "preventDestroy"
> {
  return {
    name,
    region: config.region,
    service: serviceSettings(config, environment),
    edge: {
      certificateArn: environment.certificateArn,
      testListenerCidrs: environment.testListenerCidrs,
      prodIngressCidrs: environment.prodIngressCidrs,
      deletionProtection: environment.deletionProtection,
      deregistrationDelaySeconds: environment.deregistrationDelaySeconds,
    },
    smokeTest: environment.smokeTest ?? hasNatEgress(environmentNetwork(config, environment)),
    preventDestroy: !environment.allowDestroy,
  };
}

/** Whether an environment deploys with CodeDeploy: the stack then holds the CodeDeploy application they share. */
export function usesCodeDeploy(config: DeployConfig): boolean {
  return config.environments.some((environment) => environment.deploy.strategy === "codedeploy");
}

/**
 * `environments[].deploy` -> the environment's deploy strategy (the one place that maps a strategy name to its
 * unit). `route`: a fleet service's listener rules on a shared ALB.
 */
export function deployStrategy(environment: EnvironmentConfig, application: CodedeployApp | undefined, route?: ListenerRuleRoute): DeployStrategy {
  const { deploy } = environment;
  if (deploy.strategy === "ecs") {
    return new EcsNativeStrategy({ bakeTimeMinutes: deploy.bakeTimeMinutes, traffic: ecsTraffic(deploy.traffic), route });
  }
  if (!application) throw new Error(`environment ${environment.name}: the codedeploy strategy needs the stack's CodeDeploy application`);
  return new CodeDeployStrategy({
    application,
    deploymentConfig: deploymentSpec(deploy.config),
    terminationWaitMinutes: deploy.terminationWaitMinutes,
  });
}

/** `deploy.traffic` (strategy ecs) -> how ECS shifts production traffic. */
function ecsTraffic(setting: EcsTrafficSetting): EcsTraffic {
  if (setting === "all-at-once") return { type: "all-at-once" };
  return setting.type === "linear"
    ? { type: "linear", stepPercent: setting.stepPercent, stepMinutes: setting.stepMinutes }
    : { type: "canary", canaryPercent: setting.canaryPercent, canaryMinutes: setting.canaryMinutes };
}

/** `environments[]` edge keys -> the ALB a fleet environment's `strategy: ecs` services share. */
export function sharedLoadBalancerProps(environment: EnvironmentConfig, name: string, network: Network): SharedLoadBalancerProps {
  return {
    name,
    network,
    certificateArn: environment.certificateArn,
    testListenerCidrs: environment.testListenerCidrs,
    prodIngressCidrs: environment.prodIngressCidrs,
    deletionProtection: environment.deletionProtection,
  };
}

/** `services[].routing` -> the service's listener rules on a shared ALB (hosts, path prefix, priority). */
export function listenerRoute(entry: FleetServiceConfig): ListenerRuleRoute {
  const { hosts, pathPrefix } = entry.routing ?? {};
  return {
    priority: routePriority(entry),
    hostHeaders: hosts,
    pathPatterns: pathPrefix === undefined ? undefined : prefixPatterns(pathPrefix),
  };
}

/** `service` (with the environment's `desiredCount` override) -> the container settings. */
function serviceSettings(config: DeployConfig, environment: EnvironmentConfig): EnvironmentServiceSettings {
  const { service } = config;
  return {
    containerName: service.containerName,
    containerPort: service.containerPort,
    cpu: service.cpu,
    memory: service.memory,
    desiredCount: environment.desiredCount ?? service.desiredCount,
    healthCheckPath: service.healthCheckPath,
    healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
    bootstrapImage: service.bootstrapImage,
    readonlyRootFilesystem: service.readonlyRootFilesystem,
    environment: service.environment,
  };
}

/** The environment's `network` override, else the top-level `network`. */
export function environmentNetwork(config: DeployConfig, environment: EnvironmentConfig): NetworkConfig {
  return environment.network ?? config.network;
}

/** `network` -> the Network props (the `name` is the caller's). */
export function networkProps(network: NetworkConfig, region: string): Omit<NetworkProps, "name"> {
  if (network.mode === "existing") {
    return {
      existing: {
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        natPublicIps: network.natPublicIps,
      },
    };
  }
  return {
    newVpc: {
      cidr: network.vpcCidr,
      availabilityZones: network.availabilityZones ?? defaultZones(region, network.azCount),
      natGateways: network.natGateways,
    },
  };
}

/**
 * `environments[].deploy` -> the strategy props as the constructs take them today. The other strategy's props keep
 * the values they had when its keys were unread defaults, so the synthesized output is unchanged.
 */
/** `deploy.config`: a preset name, or a custom canary / linear. */
function deploymentSpec(setting: DeploymentConfigSetting): DeploymentConfigSpec {
  return typeof setting === "string" ? { preset: setting } : setting;
}

/** `github.connectionArn` -> the connection (a new one, or the given one reused). */
export function connectionProps(config: DeployConfig, name: string): SourceConnectionProps {
  return { name, region: config.region, connectionArn: config.github.connectionArn };
}

/** `github.sourceMode: webhook` -> the legacy GitHub source (its token and secret are the stack's). */
export function legacySourceProps(config: DeployConfig, name: string): Pick<LegacyGithubSourceProps, "name" | "github"> {
  return { name, github: watchedRepository(config) };
}

/** `github` and `pipeline.filePaths` -> the connection source action and its push trigger. */
export function githubSourceProps(config: DeployConfig): Pick<GithubConnectionSourceProps, "github" | "startOnPush" | "filePaths"> {
  const { pipeline } = config;
  return {
    github: watchedRepository(config),
    // ecr mode: application pushes must not start a release of the old image (the ECR push does), unless file
    // path includes (e.g. the deploy files' directory) ask for IaC changes to the task definition to redeploy it.
    startOnPush: pipeline.imageSource === "codebuild" || (pipeline.filePaths?.includes ?? []).length > 0,
    filePaths: releaseFilePaths(config),
  };
}

/**
 * `pipeline.filePaths`, or, when none are set and this infrastructure code lives in the application repository,
 * `includes: [<buildContext>/**]`, so infrastructure-only pushes start no release. The config refuses the shared
 * layouts a trigger cannot tell apart (the application at the repository root, the webhook: config/github-rules.ts).
 * The pipeline's V2 push trigger starts on a commit when a changed file matches an include (and no exclude).
 */
function releaseFilePaths(config: DeployConfig): { includes: string[]; excludes: string[] } {
  const { filePaths, buildContext, imageSource } = config.pipeline;
  const given = { includes: [...(filePaths?.includes ?? [])], excludes: [...(filePaths?.excludes ?? [])] };
  const infra = infrastructureRepository(config);
  const shared = infra.owner === config.github.owner && infra.name === config.github.repository;
  if (!shared || imageSource !== "codebuild" || given.includes.length > 0 || given.excludes.length > 0) return given;
  const context = buildContext.replace(/^\.\/?|\/+$/g, "");
  if (context === "") throw new Error(`pipeline.buildContext: the root of the shared repository ${infra.owner}/${infra.name} cannot be told apart from the infrastructure (refused by the config schema)`);
  return { includes: [`${context}/**`], excludes: [] };
}

/** `pipeline` -> the pipeline's own settings (its sources and targets are the stack's constructs). */
export function pipelineProps(
  config: DeployConfig,
  name: string,
): Pick<DeliveryPipelineProps, "name" | "region" | "build" | "executionMode" | "notificationEmails" | "artifactRetentionDays" | "preventDestroy"> {
  const { pipeline } = config;
  return {
    name,
    region: config.region,
    build: pipeline.imageSource === "codebuild" ? { buildContext: pipeline.buildContext, dockerfile: pipeline.dockerfile } : undefined,
    executionMode: pipeline.executionMode,
    notificationEmails: pipeline.notificationEmail ? [pipeline.notificationEmail] : [],
    artifactRetentionDays: pipeline.artifactRetentionDays,
    preventDestroy: !config.allowDestroy,
  };
}

/**
 * The GitHub OIDC provider and the infrastructure workflows' plan and deploy roles, scoped to the project's
 * name, the infrastructure repository and its deployment environment. `stackId` is the id of the stack that
 * holds them (the access stack): its state is one the deploy role may not write.
 */
export function githubOidcProps(config: DeployConfig, stackId: string): GithubOidcRolesProps {
  const infrastructure = infrastructureRepository(config);
  const { state } = config;
  return {
    name: config.project,
    repository: `${infrastructure.owner}/${infrastructure.name}`,
    deployEnvironment: config.github.deployEnvironment.name,
    branch: config.github.branch,
    region: config.region,
    providerArn: config.github.oidcProviderArn,
    boundaryPolicyName: boundaryPolicyName(config.project),
    maxSessionDurationSeconds: config.github.roleSessionMinutes * 60,
    state:
      state.backend === "s3"
        ? {
            bucketName: state.bucket,
            keyPrefix: state.keyPrefix,
            region: stateRegion(config),
            keyArn: state.kmsKeyArn,
            protectedStateKeys: [stackId, BOOTSTRAP_STACK_ID].map((stack) => stateObjectKey(state.keyPrefix, stack)),
          }
        : undefined,
  };
}
