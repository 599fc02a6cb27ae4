import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CodedeployApp } from "@cdktf/provider-aws/lib/codedeploy-app";
import { Fn, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { DeployConfig, EnvironmentConfig, NetworkConfig, defaultZones, environmentKey, hasNatEgress } from "../config";
import { BlueGreenEnvironment, EnvironmentPlatform } from "../constructs/blue-green-environment";
import { DeploymentConfigSpec } from "../constructs/blue-green-deployment";
import { ContainerRepository } from "../constructs/container-repository";
import { DeliveryPipeline } from "../constructs/delivery-pipeline";
import { protectStatefulResources } from "../constructs/destroy-protection";
import { WorkflowRoleArns, workflowRoleArns } from "../constructs/github-oidc";
import { useRoleBoundary } from "../constructs/iam";
import { boundaryPolicyArn } from "../constructs/identity/permissions-boundary";
import { LegacyGithubSource } from "../constructs/legacy-github-source";
import { SourceConnection } from "../constructs/source-connection";
import { WebhookSecret } from "../constructs/webhook-secret";
import { NetworkProps } from "../constructs/network";
import { applyPolicyPack } from "../constructs/policy";
import { configureBackend } from "./backend";

export interface AwsDeliveryStackProps {
  /** The validated config (fleet mode: the service's view, `serviceConfig(config, service)`). */
  readonly config: DeployConfig;
  /**
   * Prefix of every resource name (repository, CodeDeploy application, pipeline, `<name>-<environment>-...`).
   * @default config.project
   */
  readonly name?: string;
  /**
   * Fleet mode: per environment name, the shared network and cluster (the platform stack's).
   * @default - every environment creates its own network and cluster
   */
  readonly platform?: Readonly<Record<string, EnvironmentPlatform>>;
  /**
   * Fleet mode: the shared GitHub connection (the platform stack's); ignored in webhook mode.
   * @default - this stack creates (or reuses by `github.connectionArn`) its own
   */
  readonly connection?: SourceConnection;
}

/**
 * The `<project>` stack: everything on AWS (AWS provider only, so Terraform can validate and plan it offline).
 * Composes the shared image repository, one blue/green runtime per environment, and the delivery pipeline.
 */
export class AwsDeliveryStack extends TerraformStack {
  public readonly repository: ContainerRepository;
  public readonly application: CodedeployApp;
  public readonly environments: readonly { readonly config: EnvironmentConfig; readonly runtime: BlueGreenEnvironment }[];
  public readonly source: SourceConnection | LegacyGithubSource;
  public readonly delivery: DeliveryPipeline;
  /** The access stack's plan and deploy role ARNs, by name (for the GitHub stack's Actions variables). */
  public readonly workflowRoles: WorkflowRoleArns;
  /** Prefix of every resource name of this stack. */
  public readonly resourcePrefix: string;
  /** `github.sourceMode: webhook` only: the HMAC secret shared with the GitHub stack's webhook. */
  public readonly webhookSecret?: WebhookSecret;
  /** `github.sourceMode: webhook` only: the URL GitHub calls to start the pipeline. */
  public readonly webhookUrl?: string;

  constructor(scope: Construct, id: string, props: AwsDeliveryStackProps) {
    super(scope, id);
    const { config } = props;
    this.resourcePrefix = props.name ?? config.project;
    configureBackend(this, config, id);
    new AwsProvider(this, "aws", {
      region: config.region,
      // The project tag last: the deploy role's tag-scoped grants rely on it, so config.tags cannot override it.
      defaultTags: [{ tags: { "managed-by": "cdktf", ...config.tags, project: config.project } }],
    });

    this.repository = new ContainerRepository(this, "Repository", {
      name: this.resourcePrefix,
      keepTaggedImages: config.ecr.keepTaggedImages,
      mutableTagExclusions: config.ecr.mutableTags,
      preventDestroy: !config.allowDestroy,
    });
    this.application = new CodedeployApp(this, "DeployApplication", {
      name: this.resourcePrefix,
      computePlatform: "ECS",
    });
    // Every role below carries the project boundary (the access stack's policy, by its deterministic
    // name); the account comes from this ARN, so no caller-identity lookup (offline plans keep working).
    const account = Fn.element(Fn.split(":", this.application.arn), 4);
    useRoleBoundary(this, boundaryPolicyArn(config.project, account));
    this.workflowRoles = workflowRoleArns(config.project, account);
    this.environments = config.environments.map((environment) => ({
      config: environment,
      runtime: this.buildEnvironment(config, environment, props.platform?.[environment.name]),
    }));
    // What each environment runs is tagged after its deployments, and the repository's lifecycle keeps those tags.
    for (const { config: environment, runtime } of this.environments) {
      this.repository.tagDeployments(runtime, `${this.resourcePrefix}-${environment.name}`, environment.name, runtime.deployment);
    }
    if (config.github.sourceMode === "webhook") this.webhookSecret = new WebhookSecret(this, "WebhookSecret");
    this.source = this.webhookSecret || !props.connection ? this.buildSource(config) : props.connection;
    this.delivery = this.buildPipeline(config);
    // The pipeline's first automatic run fails at Source until the connection handshake is done, and a task
    // definition change reaches running tasks only through a pipeline run: this is the command that starts one.
    new TerraformOutput(this, "StartPipelineCommand", {
      value: `aws codepipeline start-pipeline-execution --name ${this.delivery.pipelineName} --region ${config.region}`,
      description: "Starts the pipeline (after the connection handshake, or to roll out an infrastructure change to the task definition)",
    });
    if (this.source instanceof LegacyGithubSource) this.webhookUrl = this.source.webhook?.url;
    if (!config.allowDestroy) {
      protectStatefulResources(this, {
        except: this.environments.filter((e) => e.config.allowDestroy).map((e) => e.runtime),
      });
    }
    applyPolicyPack(this, {
      deletionProtection: this.environments.filter((e) => e.config.deletionProtection).map((e) => e.runtime),
    });
  }

  private buildSource(config: DeployConfig): SourceConnection | LegacyGithubSource {
    if (this.webhookSecret) {
      const token = new TerraformVariable(this, "github_oauth_token", {
        type: "string",
        sensitive: true,
        description: "GitHub token for the legacy version 1 source action (github.sourceMode: webhook); set TF_VAR_github_oauth_token",
      });
      return new LegacyGithubSource(this, "LegacySource", {
        name: `${this.resourcePrefix}-github`,
        github: config.github,
        secret: this.webhookSecret,
        oauthToken: token.stringValue,
      });
    }
    return new SourceConnection(this, "Connection", {
      name: this.resourcePrefix,
      region: config.region,
      connectionArn: config.github.connectionArn,
    });
  }

  private buildPipeline(config: DeployConfig): DeliveryPipeline {
    const { pipeline } = config;
    return new DeliveryPipeline(this, "Delivery", {
      name: this.resourcePrefix,
      region: config.region,
      repository: this.repository,
      connection: this.source,
      github: config.github,
      source:
        pipeline.imageSource === "ecr"
          ? { kind: "ecr", imageTag: pipeline.ecrImageTag }
          : { kind: "codebuild", buildContext: pipeline.buildContext, dockerfile: pipeline.dockerfile },
      targets: this.environments.map(({ config: environment, runtime }) => ({
        environmentName: environment.name,
        deployment: runtime.deployment,
        requireApproval: environment.requireApproval,
      })),
      filePaths: pipeline.filePaths,
      executionMode: pipeline.executionMode,
      notificationEmails: pipeline.notificationEmail ? [pipeline.notificationEmail] : [],
      artifactRetentionDays: pipeline.artifactRetentionDays,
      preventDestroy: !config.allowDestroy,
    });
  }

  private buildEnvironment(config: DeployConfig, environment: EnvironmentConfig, platform?: EnvironmentPlatform): BlueGreenEnvironment {
    const network = environment.network ?? config.network;
    return new BlueGreenEnvironment(this, environmentId(environment.name), {
      name: `${this.resourcePrefix}-${environment.name}`,
      region: config.region,
      application: this.application,
      repository: this.repository,
      ...(platform ? { platform } : { network: networkProps(network, config.region) }),
      service: { ...config.service, desiredCount: environment.desiredCount ?? config.service.desiredCount },
      edge: {
        certificateArn: environment.certificateArn,
        testListenerCidrs: environment.testListenerCidrs,
        prodIngressCidrs: environment.prodIngressCidrs,
        deletionProtection: environment.deletionProtection,
        deregistrationDelaySeconds: environment.deregistrationDelaySeconds,
      },
      deploymentConfig: deploymentSpec(environment.deploymentConfig),
      terminationWaitMinutes: environment.terminationWaitMinutes,
      smokeTest: environment.smokeTest ?? hasNatEgress(network),
      preventDestroy: !environment.allowDestroy,
    });
  }
}

/** Construct id of an environment: `staging` -> `EnvStaging`, `eu-prod` -> `EnvEuProd`. Part of every address: never change it. */
export function environmentId(name: string): string {
  return `Env${environmentKey(name)}`;
}

/** The Network props of a configured network (the `name` is the caller's). */
export function networkProps(network: NetworkConfig, region: string): Omit<NetworkProps, "name"> {
  if (network.mode === "existing") {
    return { existing: { ...network } };
  }
  return {
    newVpc: {
      cidr: network.vpcCidr,
      availabilityZones: network.availabilityZones ?? defaultZones(region, network.azCount),
      natGateways: network.natGateways,
    },
  };
}

function deploymentSpec(setting: EnvironmentConfig["deploymentConfig"]): DeploymentConfigSpec {
  return typeof setting === "string" ? { preset: setting } : setting;
}
