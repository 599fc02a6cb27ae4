import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CodedeployApp } from "@cdktf/provider-aws/lib/codedeploy-app";
import { Fn, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { DeployConfig, EnvironmentConfig } from "../config";
import { BlueGreenEnvironment, EnvironmentPlatform } from "../constructs/environment/blue-green-environment";
import { ListenerRuleRoute } from "../constructs/environment/strategies/ecs-native-traffic-routing";
import { ContainerRepository } from "../constructs/delivery/build/container-repository";
import { DeliveryPipeline } from "../constructs/delivery/delivery-pipeline";
import { DeployedImageTagger } from "../constructs/environment/deployed-image-tagger";
import { EcrImageSource } from "../constructs/delivery/sources/ecr-image-source";
import { GithubConnectionSource } from "../constructs/delivery/sources/github-connection-source";
import { protectStatefulResources } from "../constructs/core/destroy-protection";
import { deployRoleName, planRoleName, WorkflowRoleArns, workflowRoleArns } from "../constructs/identity/github-oidc";
import { useRoleBoundary } from "../constructs/identity/iam";
import { boundaryPolicyArn } from "../constructs/identity/permissions-boundary";
import { LegacyGithubSource } from "../constructs/delivery/sources/legacy-github-source";
import { SourceConnection } from "../constructs/delivery/sources/source-connection";
import { WebhookSecret } from "../constructs/delivery/sources/webhook-secret";
import { applyPolicyPack } from "../constructs/policy";
import { DescriptorFile } from "../constructs/environment/descriptor-file";
import { StackDescriptor } from "../synthesized/descriptor";
import { configureBackend } from "./backend";
import { addEnvironmentUrlOutput } from "./environment-url";
import {
  awsProviderProps,
  connectionProps,
  deployApplicationProps,
  deployStrategy,
  environmentId,
  environmentNetwork,
  environmentProps,
  githubSourceProps,
  legacySourceProps,
  networkProps,
  pipelineProps,
  repositoryProps,
  usesCodeDeploy,
} from "./config-props";

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
  /**
   * Fleet mode: which requests of a shared ALB (`strategy: ecs` environments) this service's listener rules take.
   * @default - priority 1, every path (the service has its ALB to itself)
   */
  readonly route?: ListenerRuleRoute;
}

/**
 * The `<project>` stack: everything on AWS (AWS provider only, so Terraform can validate and plan it offline).
 * Composes the shared image repository, one blue/green runtime per environment, and the delivery pipeline.
 */
export class AwsDeliveryStack extends TerraformStack {
  public readonly repository: ContainerRepository;
  /** The CodeDeploy application, when an environment uses the codedeploy strategy. */
  public readonly application?: CodedeployApp;
  public readonly environments: readonly { readonly config: EnvironmentConfig; readonly runtime: BlueGreenEnvironment }[];
  /** The pipeline's GitHub source: through a connection, or the legacy webhook (`github.sourceMode: webhook`). */
  public readonly source: GithubConnectionSource | LegacyGithubSource;
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
    new AwsProvider(this, "aws", awsProviderProps(config));

    this.repository = new ContainerRepository(this, "Repository", repositoryProps(config, this.resourcePrefix));
    if (usesCodeDeploy(config)) {
      this.application = new CodedeployApp(this, "DeployApplication", deployApplicationProps(this.resourcePrefix));
    }
    // Every role below carries the project boundary (the access stack's policy, by its deterministic
    // name); the account comes from an ARN of this stack (the CodeDeploy application's, else the repository's
    // when every environment is on ECS-native blue/green), so no caller-identity lookup (offline plans keep working).
    const account = Fn.element(Fn.split(":", this.application?.arn ?? this.repository.arn), 4);
    useRoleBoundary(this, boundaryPolicyArn(config.project, account));
    this.workflowRoles = workflowRoleArns(config.project, account);
    this.environments = config.environments.map((environment) => ({
      config: environment,
      runtime: this.buildEnvironment(config, environment, props.platform?.[environment.name], props.route),
    }));
    // What each environment runs is tagged after its deployments, and the repository's lifecycle keeps those tags.
    for (const { config: environment, runtime } of this.environments) {
      new DeployedImageTagger(runtime, "DeployedImageTag", {
        name: `${this.resourcePrefix}-${environment.name}`,
        environmentName: environment.name,
        repository: this.repository,
        deployment: runtime.deployment,
      });
    }
    if (config.github.sourceMode === "webhook") this.webhookSecret = new WebhookSecret(this, "WebhookSecret");
    this.source = this.buildSource(config, props.connection);
    this.delivery = this.buildPipeline(config);
    // The pipeline's first automatic run fails at Source until the connection handshake is done, and a task
    // definition change reaches running tasks only through a pipeline run: this is the command that starts one.
    new TerraformOutput(this, "StartPipelineCommand", {
      value: `aws codepipeline start-pipeline-execution --name ${this.delivery.pipelineName} --region ${config.region}`,
      description: "Starts the pipeline (after the connection handshake, or to roll out an infrastructure change to the task definition)",
    });
    for (const { config: environment, runtime } of this.environments) {
      addEnvironmentUrlOutput(this, environment.name, runtime.loadBalancer, runtime.loadBalancer.shared ? props.route : undefined);
    }
    if (this.source instanceof LegacyGithubSource) this.webhookUrl = this.source.webhook?.url;
    if (!config.allowDestroy) {
      protectStatefulResources(this, {
        except: this.environments.filter((e) => e.config.allowDestroy).map((e) => e.runtime),
      });
    }
    new DescriptorFile(this, "Descriptor", () => this.describe(config, props));
    applyPolicyPack(this, {
      deletionProtection: this.environments.filter((e) => e.config.deletionProtection).map((e) => e.runtime),
    });
  }

  /** What this stack deploys, for the operations command and the timeline (`bluegreen.json`). */
  private describe(config: DeployConfig, props: AwsDeliveryStackProps): StackDescriptor {
    const pipeline = this.delivery.describe(config.pipeline.imageSource === "ecr" ? config.pipeline.ecrImageTag : undefined);
    const stageOf = (environment: string) => {
      const deploy = pipeline.stages.find((stage) => stage.name === `Deploy-${environment}`);
      const approval = pipeline.stages.find((stage) => stage.name === `Approve-${environment}`);
      if (!deploy) throw new Error(`the pipeline has no Deploy-${environment} stage`);
      return {
        deployStage: deploy.name,
        deployAction: deploy.actions[0].name,
        ...(approval ? { approval: { stage: approval.name, action: approval.actions[0].name } } : {}),
      };
    };
    const service = props.name && props.name !== config.project ? props.name.slice(config.project.length + 1) : undefined;
    return {
      version: 1,
      stackId: this.node.id,
      project: config.project,
      ...(service ? { service } : {}),
      region: config.region,
      repositoryName: this.resourcePrefix,
      pipeline,
      environments: this.environments.map(({ config: environment, runtime }) => runtime.describe(environment.name, stageOf(environment.name))),
      planRoleName: planRoleName(config.project),
      deployRoleName: deployRoleName(config.project),
    };
  }

  private buildSource(config: DeployConfig, shared?: SourceConnection): GithubConnectionSource | LegacyGithubSource {
    if (this.webhookSecret) {
      const token = new TerraformVariable(this, "github_oauth_token", {
        type: "string",
        sensitive: true,
        description: "GitHub token for the legacy version 1 source action (github.sourceMode: webhook); set TF_VAR_github_oauth_token",
      });
      return new LegacyGithubSource(this, "LegacySource", {
        ...legacySourceProps(config, `${this.resourcePrefix}-github`),
        secret: this.webhookSecret,
        oauthToken: token.stringValue,
      });
    }
    const connection = shared ?? new SourceConnection(this, "Connection", connectionProps(config, this.resourcePrefix));
    return new GithubConnectionSource({ ...githubSourceProps(config), connection });
  }

  private buildPipeline(config: DeployConfig): DeliveryPipeline {
    const { pipeline } = config;
    return new DeliveryPipeline(this, "Delivery", {
      ...pipelineProps(config, this.resourcePrefix),
      repository: this.repository,
      sources:
        pipeline.imageSource === "ecr"
          ? [this.source, new EcrImageSource({ repository: this.repository, imageTag: pipeline.ecrImageTag })]
          : [this.source],
      targets: this.environments.map(({ config: environment, runtime }) => ({
        environmentName: environment.name,
        deployment: runtime.deployment,
        requireApproval: environment.requireApproval,
      })),
    });
  }

  private buildEnvironment(config: DeployConfig, environment: EnvironmentConfig, platform?: EnvironmentPlatform, route?: ListenerRuleRoute): BlueGreenEnvironment {
    const name = `${this.resourcePrefix}-${environment.name}`;
    const strategy = deployStrategy(environment, this.application, route);
    const shared = strategy.sharesLoadBalancer && platform?.loadBalancer !== undefined;
    return new BlueGreenEnvironment(this, environmentId(environment.name), {
      ...environmentProps(config, environment, name),
      strategy,
      // Behind a shared ALB the hook's request would carry no service route (the config refuses smokeTest: true there).
      ...(shared ? { smokeTest: false } : {}),
      repository: this.repository,
      ...(platform ? { platform } : { network: networkProps(environmentNetwork(config, environment), config.region) }),
    });
  }
}
