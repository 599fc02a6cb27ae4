import { Codepipeline, CodepipelineStage, CodepipelineStageAction, CodepipelineTrigger } from "@cdktf/provider-aws/lib/codepipeline";
import { Construct } from "constructs";
import { ArtifactBucket } from "./artifact-bucket";
import { BlueGreenDeployment } from "./blue-green-deployment";
import { ContainerRepository } from "./container-repository";
import { appSpecFileName, IMAGE_PLACEHOLDER, taskDefinitionFileName } from "./deploy-artifacts";
import { assertTagCanBeOverwritten, EcrPushTrigger } from "./ecr-push-trigger";
import { ServiceRole } from "./iam";
import { ImageBuild } from "./image-build";
import { shortName } from "./naming";
import { PipelineNotifications } from "./pipeline-notifications";
import { pipelineRolePolicy } from "./pipeline-permissions";
import { LegacyGithubSource } from "./legacy-github-source";
import { SourceConnection } from "./source-connection";

/** Artifact names, as the stages pass them on. */
export const ARTIFACTS = { source: "SourceArtifact", build: "BuildArtifact", image: "ImageArtifact" } as const;
/** Source action names (the V2 trigger names the GitHub one). */
export const SOURCE_ACTIONS = { github: "GitHub", ecr: "EcrImage" } as const;
/** Namespace of the GitHub action's variables (`#{SourceVariables.CommitId}`). */
export const SOURCE_NAMESPACE = "SourceVariables";

const ROLE_NAME_MAX_LENGTH = 64;

/** Where the image comes from. */
export type PipelineSource =
  /** The pipeline builds the image (CodeBuild) from the watched branch, tagged with the commit. */
  | {
      readonly kind: "codebuild";
      /** Directory of the application repository `docker build` uses as its context. @default "." */
      readonly buildContext?: string;
      /** The Dockerfile, relative to `buildContext`. @default "Dockerfile" */
      readonly dockerfile?: string;
      /** @default 30 */
      readonly logRetentionDays?: number;
    }
  /**
   * Any CI pushes the image with `imageTag`; an EventBridge rule starts the pipeline. The GitHub source then
   * only carries the deploy files the GitHub stack commits (`<templateDirectory>/taskdef-<env>.json`, ...).
   */
  | {
      readonly kind: "ecr";
      readonly imageTag: string;
      /** @default "deploy" */
      readonly templateDirectory?: string;
    };

/** One environment, in deployment order. */
export interface DeliveryTarget {
  /** Lowercase environment name (stage names, file names). */
  readonly environmentName: string;
  readonly deployment: BlueGreenDeployment;
  /** A manual approval stage runs before this environment's deploy stage. */
  readonly requireApproval: boolean;
}

export interface DeliveryPipelineProps {
  /** Pipeline name; prefix of its roles, bucket, build project and topic. */
  readonly name: string;
  readonly region: string;
  readonly repository: ContainerRepository;
  /** How CodePipeline reads GitHub: a connection (recommended) or the legacy webhook source. */
  readonly connection: SourceConnection | LegacyGithubSource;
  /** The watched repository (`owner/repository`) and branch. */
  readonly github: { readonly owner: string; readonly repository: string; readonly branch: string };
  readonly source: PipelineSource;
  readonly targets: readonly DeliveryTarget[];
  /**
   * Glob filters on the files a push changed. In `ecr` mode, `includes` adds a git trigger (e.g. the deploy
   * files' directory), so IaC changes to the task definition redeploy the current image.
   * @default - every push to the branch (codebuild); no git trigger (ecr)
   */
  readonly filePaths?: { readonly includes?: readonly string[]; readonly excludes?: readonly string[] };
  /** @default "SUPERSEDED" (a newer commit replaces one waiting for approval or deployment) */
  readonly executionMode?: "SUPERSEDED" | "QUEUED";
  /** @default - no subscription (approvals and failures are visible in the console only) */
  readonly notificationEmails?: readonly string[];
  /** @default 30 */
  readonly artifactRetentionDays?: number;
  /** Applies to the artifact bucket and its key. @default true */
  readonly preventDestroy?: boolean;
}

/** The files one deploy action reads. */
export interface DeployFiles {
  readonly environmentName: string;
  readonly taskDefinitionPath: string;
  readonly appSpecPath: string;
}

/**
 * CodePipeline V2 from GitHub to blue/green ECS: Source -> Build (codebuild mode) -> per environment an
 * optional manual approval and a CodeDeployToECS deploy. Composes its artifact bucket, build, notifications
 * and (ecr mode) the ECR push trigger, and exposes them.
 */
export class DeliveryPipeline extends Construct {
  public readonly pipeline: Codepipeline;
  public readonly role: ServiceRole;
  public readonly artifactBucket: ArtifactBucket;
  public readonly notifications: PipelineNotifications;
  public readonly build?: ImageBuild;
  public readonly ecrTrigger?: EcrPushTrigger;
  /** Per environment, the taskdef/appspec paths inside the deploy action's input artifact. */
  public readonly deployFiles: readonly DeployFiles[];
  public readonly pipelineName: string;
  public readonly arn: string;

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
    if (props.source.kind === "codebuild") {
      this.build = new ImageBuild(this, "Build", {
        name: props.name,
        repository: props.repository,
        artifactBucket: this.artifactBucket,
        targets: props.targets,
        buildContext: props.source.buildContext,
        dockerfile: props.source.dockerfile,
        logRetentionDays: props.source.logRetentionDays,
      });
    }
    const templateDirectory = props.source.kind === "ecr" ? (props.source.templateDirectory ?? "deploy") : "";
    this.deployFiles = props.targets.map(({ environmentName }) => ({
      environmentName,
      taskDefinitionPath: joinPath(templateDirectory, taskDefinitionFileName(environmentName)),
      appSpecPath: joinPath(templateDirectory, appSpecFileName(environmentName)),
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
    this.role.addToPolicy(
      ...pipelineRolePolicy({
        scope: this,
        connection: props.connection instanceof SourceConnection ? props.connection : undefined,
        fullRepositoryId: `${props.github.owner}/${props.github.repository}`,
        build: this.build,
        repository: props.source.kind === "ecr" ? props.repository : undefined,
        targets: props.targets,
      }),
    );
    this.artifactBucket.grantReadWrite(this.role);
    if (props.targets.some((target) => target.requireApproval)) {
      this.notifications.grantPublish(this.role);
    }

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
      stage: [this.sourceStage(props), ...(this.build ? [this.buildStage(this.build)] : []), ...this.deployStages(props)],
      // The legacy webhook source is started by its webhook; V2 triggers only exist for connections.
      trigger: props.connection instanceof LegacyGithubSource ? undefined : gitTrigger(props),
    });
    this.pipelineName = this.pipeline.name;
    if (props.connection instanceof LegacyGithubSource) props.connection.attachTo(this.pipeline.name);
    this.arn = this.pipeline.arn;
    this.notifications.notifyOnPipeline("Pipeline", this.pipeline.arn);

    if (props.source.kind === "ecr") {
      this.ecrTrigger = new EcrPushTrigger(this, "EcrTrigger", {
        name: props.name,
        repository: props.repository,
        imageTag: props.source.imageTag,
        pipelineArn: this.pipeline.arn,
      });
    }
  }

  private sourceStage(props: DeliveryPipelineProps): CodepipelineStage {
    const github: CodepipelineStageAction =
      props.connection instanceof LegacyGithubSource
        ? props.connection.action(SOURCE_NAMESPACE, ARTIFACTS.source)
        : this.connectionAction(props, props.connection);
    return props.source.kind === "ecr"
      ? this.ecrSourceStage(props, github, props.source.imageTag)
      : { name: "Source", action: [github] };
  }

  private connectionAction(props: DeliveryPipelineProps, connection: SourceConnection): CodepipelineStageAction {
    return {
      name: SOURCE_ACTIONS.github,
      category: "Source",
      owner: "AWS",
      provider: "CodeStarSourceConnection",
      version: "1",
      namespace: SOURCE_NAMESPACE,
      outputArtifacts: [ARTIFACTS.source],
      configuration: {
        ConnectionArn: connection.connectionArn,
        FullRepositoryId: `${props.github.owner}/${props.github.repository}`,
        BranchName: props.github.branch,
        OutputArtifactFormat: "CODE_ZIP",
        // Pushes start the pipeline through the V2 trigger (branch and file-path filters), not this action's
        // default change detection; in ecr mode the ECR push starts it.
        DetectChanges: "false",
      },
    };
  }

  private ecrSourceStage(props: DeliveryPipelineProps, github: CodepipelineStageAction, imageTag: string): CodepipelineStage {
    const ecr: CodepipelineStageAction = {
      name: SOURCE_ACTIONS.ecr,
      category: "Source",
      owner: "AWS",
      provider: "ECR",
      version: "1",
      outputArtifacts: [ARTIFACTS.image],
      configuration: { RepositoryName: props.repository.repositoryName, ImageTag: imageTag },
    };
    return { name: "Source", action: [github, ecr] };
  }

  private buildStage(build: ImageBuild): CodepipelineStage {
    return {
      name: "Build",
      action: [
        {
          name: "BuildImage",
          category: "Build",
          owner: "AWS",
          provider: "CodeBuild",
          version: "1",
          inputArtifacts: [ARTIFACTS.source],
          outputArtifacts: [ARTIFACTS.build],
          configuration: {
            ProjectName: build.projectName,
            // The commit the source action fetched; the build tags the image with it.
            // Not an IAM policy: the action's documented JSON list of variables.
            EnvironmentVariables: JSON.stringify([
              { name: "COMMIT_ID", value: `#{${SOURCE_NAMESPACE}.CommitId}`, type: "PLAINTEXT" },
            ]),
          },
        },
      ],
    };
  }

  private deployStages(props: DeliveryPipelineProps): CodepipelineStage[] {
    const templates = this.build ? ARTIFACTS.build : ARTIFACTS.source;
    const image = this.build ? ARTIFACTS.build : ARTIFACTS.image;
    const inputs = [...new Set([templates, image])];
    return props.targets.flatMap((target, index) => {
      const files = this.deployFiles[index];
      const deploy: CodepipelineStage = {
        name: `Deploy-${target.environmentName}`,
        action: [
          {
            name: "BlueGreen",
            category: "Deploy",
            owner: "AWS",
            provider: "CodeDeployToECS",
            version: "1",
            inputArtifacts: inputs,
            configuration: {
              ApplicationName: target.deployment.applicationName,
              DeploymentGroupName: target.deployment.deploymentGroupName,
              TaskDefinitionTemplateArtifact: templates,
              TaskDefinitionTemplatePath: files.taskDefinitionPath,
              AppSpecTemplateArtifact: templates,
              AppSpecTemplatePath: files.appSpecPath,
              // The artifact whose imageDetail.json (IMAGE_DETAIL_FILE) names the image; it replaces <IMAGE1_NAME> in the template.
              Image1ArtifactName: image,
              Image1ContainerName: IMAGE_PLACEHOLDER,
            },
          },
        ],
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

/** The V2 push trigger on the branch (codebuild mode), or on the deploy files only (ecr mode with includes). */
function gitTrigger(props: DeliveryPipelineProps): CodepipelineTrigger[] | undefined {
  const includes = [...(props.filePaths?.includes ?? [])];
  const excludes = [...(props.filePaths?.excludes ?? [])];
  if (props.source.kind === "ecr" && includes.length === 0) {
    // Application pushes must not start a release of the old image; the ECR push does.
    return undefined;
  }
  const filePaths =
    includes.length + excludes.length > 0
      ? { ...(includes.length ? { includes } : {}), ...(excludes.length ? { excludes } : {}) }
      : undefined;
  return [
    {
      providerType: "CodeStarSourceConnection",
      gitConfiguration: {
        sourceActionName: SOURCE_ACTIONS.github,
        push: [{ branches: { includes: [props.github.branch] }, filePaths }],
      },
    },
  ];
}

function joinPath(directory: string, file: string): string {
  return directory ? `${directory.replace(/\/+$/, "")}/${file}` : file;
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
  if (props.source.kind === "ecr") {
    assertTagCanBeOverwritten(props.repository, props.source.imageTag);
  }
}
