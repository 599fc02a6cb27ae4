import { Codepipeline, CodepipelineStage, CodepipelineStageAction, CodepipelineTrigger } from "@cdktf/provider-aws/lib/codepipeline";
import { Construct } from "constructs";
import { ArtifactBucket } from "./artifact-bucket";
import { ContainerRepository } from "./build/container-repository";
import { mergeStatements, PolicyStatement, ServiceRole } from "../identity/iam";
import { ImageBuild } from "./build/image-build";
import { shortName } from "../core/naming";
import {
  ArtifactPath,
  DeployBinding,
  DeployFile,
  IDeployTarget,
  IPipelineSource,
  joinPath,
  PipelineBinding,
} from "./pipeline-seam";
import { PipelineNotifications } from "./pipeline-notifications";
import { PipelineDescriptor } from "../../synthesized/descriptor";

export { ARTIFACTS, SOURCE_NAMESPACE } from "./pipeline-seam";

const ROLE_NAME_MAX_LENGTH = 64;

/** The Build stage: CodeBuild builds the image from the code artifact, tagged with the commit. */
export interface ImageBuildSettings {
  /** Directory of the application repository `docker build` uses as its context. @default "." */
  readonly buildContext?: string;
  /** The Dockerfile, relative to `buildContext`. @default "Dockerfile" */
  readonly dockerfile?: string;
  /** @default 30 */
  readonly logRetentionDays?: number;
}

/** One environment, in deployment order. */
export interface DeliveryTarget {
  /** Lowercase environment name (stage names, file names). */
  readonly environmentName: string;
  /** The environment's deployment: its deploy action(s), grants and build outputs. */
  readonly deployment: IDeployTarget;
  /** A manual approval stage runs before this environment's deploy stage. */
  readonly requireApproval: boolean;
}

export interface DeliveryPipelineProps {
  /** Pipeline name; prefix of its roles, bucket, build project and topic. */
  readonly name: string;
  readonly region: string;
  /** The repository the build pushes to. */
  readonly repository: ContainerRepository;
  /**
   * The Source stage's actions, in order (GitHub first: its namespace gives the build the commit). Without a
   * build, one of them must provide the image (EcrImageSource) and one the deploy files.
   */
  readonly sources: readonly IPipelineSource[];
  /**
   * Build the image in a Build stage, which also renders every environment's deploy files.
   * @default - no Build stage: the sources provide the image and the deploy files
   */
  readonly build?: ImageBuildSettings;
  readonly targets: readonly DeliveryTarget[];
  /** @default "SUPERSEDED" (a newer commit replaces one waiting for approval or deployment) */
  readonly executionMode?: "SUPERSEDED" | "QUEUED";
  /** @default - no subscription (approvals and failures are visible in the console only) */
  readonly notificationEmails?: readonly string[];
  /** @default 30 */
  readonly artifactRetentionDays?: number;
  /** Applies to the artifact bucket and its key. @default true */
  readonly preventDestroy?: boolean;
}

/** One environment's deploy files, where the deploy action reads them (relative to their artifact's root). */
export interface EnvironmentDeployFiles {
  readonly environmentName: string;
  readonly files: readonly (DeployFile & { readonly path: string })[];
}

/**
 * CodePipeline V2 from its sources to the environments: Source -> Build (when it builds the image) -> per
 * environment an optional manual approval and the target's deploy action(s). Sources and targets bind
 * themselves (actions and grants); this construct owns the artifact bucket, role, build and notifications.
 */
export class DeliveryPipeline extends Construct {
  public readonly pipeline: Codepipeline;
  public readonly role: ServiceRole;
  public readonly artifactBucket: ArtifactBucket;
  public readonly notifications: PipelineNotifications;
  public readonly build?: ImageBuild;
  /** Per environment, the deploy files inside the deploy action's input artifact. */
  public readonly deployFiles: readonly EnvironmentDeployFiles[];
  public readonly pipelineName: string;
  public readonly arn: string;
  /** The stages as the tools see them (literal names; the environment each deploy and approval stage serves). */
  private readonly stageDescriptors: PipelineDescriptor["stages"];
  private readonly name: string;

  constructor(scope: Construct, id: string, props: DeliveryPipelineProps) {
    super(scope, id);
    const executionMode = props.executionMode ?? "SUPERSEDED";
    validateProps(props);

    this.artifactBucket = new ArtifactBucket(this, "Artifacts", {
      name: props.name,
      expireAfterDays: props.artifactRetentionDays ?? 30,
      preventDestroy: props.preventDestroy ?? true,
    });
    this.notifications = new PipelineNotifications(this, "Notifications", {
      name: `${props.name}-pipeline`,
      region: props.region,
      accountId: this.artifactBucket.accountId,
      emailAddresses: props.notificationEmails,
    });
    if (props.build) {
      this.build = new ImageBuild(this, "Build", {
        name: props.name,
        repository: props.repository,
        artifactBucket: this.artifactBucket,
        targets: props.targets,
        buildContext: props.build.buildContext,
        dockerfile: props.build.dockerfile,
        logRetentionDays: props.build.logRetentionDays,
      });
    }
    const inputs = this.deployInputs(props);
    this.deployFiles = props.targets.map(({ environmentName, deployment }) => ({
      environmentName,
      files: deployment.deployFiles(environmentName).map((file) => ({ ...file, path: joinPath(inputs.deployFiles.directory, file.fileName) })),
    }));

    this.role = new ServiceRole(this, "Role", {
      name: shortName(props.name, "pipeline", ROLE_NAME_MAX_LENGTH),
      servicePrincipal: "codepipeline.amazonaws.com",
      // Confused-deputy protection: only this pipeline, in this account (CodePipeline sends both keys).
      trustConditions: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: [this.artifactBucket.accountId] },
        { test: "ArnEquals", variable: "aws:SourceArn", values: [`arn:aws:codepipeline:${props.region}:${this.artifactBucket.accountId}:${props.name}`] },
      ],
      description: `CodePipeline ${props.name}: source, build, approvals and blue/green deployments`,
    });
    const granted: PolicyStatement[] = [];
    const binding: PipelineBinding = { scope: this, artifacts: this.artifactBucket, grant: (...statements) => granted.push(...statements) };
    const sources = props.sources.map((source) => source.bind(binding));
    const build = this.build ? [this.buildStage(this.build.bind(binding))] : [];
    const deploys = this.deployStages(props, { ...binding, ...inputs });
    this.role.addToPolicy(...mergeStatements(this, granted));
    this.artifactBucket.grantReadWrite(this.role);
    if (props.targets.some((target) => target.requireApproval)) {
      this.notifications.grantPublish(this.role);
    }

    const environmentOf = new Map(props.targets.flatMap((t) => [[`Deploy-${t.environmentName}`, t.environmentName], [`Approve-${t.environmentName}`, t.environmentName]]));
    this.name = props.name;
    const stages: { name: string; action: CodepipelineStageAction[] }[] = [
      { name: "Source", action: sources.map((source) => source.action) },
      ...[...build, ...deploys].map((stage) => ({ name: stage.name, action: stage.action as CodepipelineStageAction[] })),
    ];
    this.stageDescriptors = stages.map((stage) => ({
      name: stage.name,
      actions: stage.action.map((action) => ({
        name: action.name,
        category: action.category,
        provider: action.provider,
        runOrder: typeof action.runOrder === "number" ? action.runOrder : 1,
        ...(environmentOf.has(stage.name) ? { environment: environmentOf.get(stage.name) } : {}),
      })),
    }));
    const triggers = sources.flatMap((source): CodepipelineTrigger[] => (source.trigger ? [source.trigger] : []));
    this.pipeline = new Codepipeline(this, "Pipeline", {
      name: props.name,
      pipelineType: "V2",
      executionMode,
      roleArn: this.role.arn,
      artifactStore: [
        {
          location: this.artifactBucket.bucketName,
          type: "S3",
          encryptionKey: { id: this.artifactBucket.kmsKeyArn, type: "KMS" },
        },
      ],
      stage: [{ name: "Source", action: sources.map((source) => source.action) }, ...build, ...deploys],
      // Sources without a V2 trigger are started from outside (the legacy webhook, the ECR push rule).
      trigger: triggers.length > 0 ? triggers : undefined,
    });
    this.pipelineName = this.pipeline.name;
    this.arn = this.pipeline.arn;
    const created = { scope: this, namePrefix: props.name, name: this.pipeline.name, arn: this.pipeline.arn };
    for (const source of props.sources) source.onPipelineCreated?.(created);
    this.notifications.notifyOnPipeline("Pipeline", this.pipeline.arn);
  }

  /** The pipeline as the tools see it; `watchedImageTag` is the ECR source's tag (`imageSource: ecr`). */
  public describe(watchedImageTag?: string): PipelineDescriptor {
    return { name: this.name, stages: this.stageDescriptors, ...(watchedImageTag ? { watchedImageTag } : {}) };
  }

  /** Where the deploy actions read: the build's output, or the sources that carry the files and the image. */
  private deployInputs(props: DeliveryPipelineProps): { deployFiles: ArtifactPath; image: string } {
    if (this.build) return this.build.outputs;
    const deployFiles = props.sources.find((source) => source.outputs.deployFiles)?.outputs.deployFiles;
    const image = props.sources.find((source) => source.outputs.image)?.outputs.image;
    if (!deployFiles || !image) {
      throw new Error(`DeliveryPipeline ${props.name}: without a build, the sources must provide the deploy files and the image`);
    }
    return { deployFiles, image };
  }

  private buildStage(action: CodepipelineStageAction): CodepipelineStage {
    return { name: "Build", action: [action] };
  }

  private deployStages(props: DeliveryPipelineProps, inputs: Omit<DeployBinding, "environmentName">): CodepipelineStage[] {
    return props.targets.flatMap((target) => {
      const deploy: CodepipelineStage = {
        name: `Deploy-${target.environmentName}`,
        action: target.deployment.bind({ ...inputs, environmentName: target.environmentName }),
      };
      return target.requireApproval ? [this.approvalStage(target.environmentName), deploy] : [deploy];
    });
  }

  private approvalStage(environmentName: string): CodepipelineStage {
    return {
      name: `Approve-${environmentName}`,
      action: [
        {
          name: "Approve",
          category: "Approval",
          owner: "AWS",
          provider: "Manual",
          version: "1",
          configuration: {
            NotificationArn: this.notifications.topicArn,
            CustomData: `Approve to deploy this release to ${environmentName} (blue/green, with alarm rollback).`,
          },
        },
      ],
    };
  }
}

function validateProps(props: DeliveryPipelineProps): void {
  if (props.targets.length === 0) {
    throw new Error(`DeliveryPipeline ${props.name}: targets must name at least one environment`);
  }
  const seen = new Set<string>();
  for (const { environmentName } of props.targets) {
    if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(environmentName) || seen.has(environmentName)) {
      throw new Error(
        `DeliveryPipeline ${props.name}: environment names must be unique, 1-31 lowercase letters, digits or "-" (got "${environmentName}")`,
      );
    }
    seen.add(environmentName);
  }
}
