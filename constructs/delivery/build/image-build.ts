import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CodebuildProject } from "@cdktf/provider-aws/lib/codebuild-project";
import { CodepipelineStageAction } from "@cdktf/provider-aws/lib/codepipeline";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { projectPath } from "../../../config/paths";
import { parseDocument, YAMLSeq } from "yaml";
import { ArtifactBucket } from "../artifact-bucket";
import { BOOTSTRAP_LABEL } from "../../runtime/blue-green-service";
import { ContainerRepository } from "./container-repository";
import { RenderTarget } from "./deploy-artifacts";
import { ServiceRole } from "../../identity/iam";
import { shortName } from "../../core/naming";
import { ARTIFACTS, IDeployTarget, PipelineBinding, SOURCE_NAMESPACE } from "../pipeline-seam";
import { suppress } from "../../policy/suppressions";

/** The build image: Amazon Linux 2 standard 5.0 (Docker, AWS CLI v2 and Node 20 preinstalled). */
export const BUILD_IMAGE = "aws/codebuild/amazonlinux2-x86_64-standard:5.0";
/**
 * The deploy-file contract the build runs: the buildspec, the render script and its module. It ships with the
 * infrastructure that registers the task definitions, never with an application repository (see `withDeployScripts`).
 */
export const DEPLOY_SCRIPTS_DIR = projectPath("constructs", "assets", "deploy-files");
export const DEPLOY_SCRIPTS_BUILD_PATH = "/tmp/bluegreen-deploy";
/** The buildspec, inlined into the CodeBuild project at synth time. */
export const DEFAULT_BUILDSPEC_PATH = projectPath("constructs", "assets", "deploy-files", "buildspec.yml");
/** Reading the task definitions Terraform registered (the render script's describe-task-definition). */
export const BUILD_TASK_DEFINITION_ACTIONS = ["ecs:DescribeTaskDefinition"] as const;
/** The buildspec checks whether the commit's image already exists before it pushes an immutable tag. */
export const BUILD_IMAGE_LOOKUP_ACTIONS = ["ecr:DescribeImages"] as const;
/** The pipeline starts the build and follows it (the Build stage's CodeBuild action). */
export const PIPELINE_BUILD_ACTIONS = ["codebuild:StartBuild", "codebuild:BatchGetBuilds"] as const;
/** Writing the build's own log streams. */
export const BUILD_LOG_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"] as const;

const ROLE_NAME_MAX_LENGTH = 64;

/** One environment the build renders deploy files for. */
export interface ImageBuildTarget {
  /** Environment name: the files are `taskdef-<env>.json` and `appspec-<env>.yaml`. */
  readonly environmentName: string;
  /** Its deployment: says what the build renders for it (`buildOutputs`). */
  readonly deployment: IDeployTarget;
}

export interface ImageBuildProps {
  /** Project name (also the log group and role name prefix). */
  readonly name: string;
  /** Repository the image is pushed to. */
  readonly repository: ContainerRepository;
  /** The pipeline's artifact store: the build reads the source and writes the deploy files there. */
  readonly artifactBucket: ArtifactBucket;
  /** Environments in deployment order. */
  readonly targets: readonly ImageBuildTarget[];
  /**
   * Directory of the application repository that `docker build` uses as its context.
   * @default "." (the repository root)
   */
  readonly buildContext?: string;
  /**
   * The Dockerfile, relative to `buildContext` (as in Docker Compose's `build.dockerfile`).
   * @default "Dockerfile"
   */
  readonly dockerfile?: string;
  /** @default 30 */
  readonly logRetentionDays?: number;
  /** @default "BUILD_GENERAL1_SMALL" (2 vCPU, 3 GB: enough for a small Node image) */
  readonly computeType?: string;
  /** @default 20 */
  readonly buildTimeoutMinutes?: number;
  /** @default DEFAULT_BUILDSPEC_PATH */
  readonly buildspecPath?: string;
}

/**
 * The CodeBuild project of the pipeline's Build stage: builds and pushes the image tagged with the commit,
 * then renders imageDetail.json and each environment's taskdef/appspec from what Terraform registered.
 */
export class ImageBuild extends Construct {
  public readonly project: CodebuildProject;
  public readonly role: ServiceRole;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly projectName: string;
  public readonly arn: string;
  /** The deploy actions read the rendered files and imageDetail.json from the root of the build's output artifact. */
  public readonly outputs = { deployFiles: { artifact: ARTIFACTS.build, directory: "" }, image: ARTIFACTS.build } as const;
  /** What DEPLOY_TARGETS tells the render script (tokens until apply). */
  public readonly renderTargets: readonly RenderTarget[];

  constructor(scope: Construct, id: string, props: ImageBuildProps) {
    super(scope, id);
    const buildContext = props.buildContext ?? ".";
    const dockerfile = props.dockerfile ?? "Dockerfile";
    const logRetentionDays = props.logRetentionDays ?? 30;
    const computeType = props.computeType ?? "BUILD_GENERAL1_SMALL";
    const buildTimeoutMinutes = props.buildTimeoutMinutes ?? 20;
    const buildspec = withDeployScripts(readFileSync(props.buildspecPath ?? DEFAULT_BUILDSPEC_PATH, "utf8"));
    if (props.targets.length === 0) {
      throw new Error(`ImageBuild ${props.name}: targets must name at least one environment`);
    }
    this.renderTargets = props.targets.map((target) => target.deployment.buildOutputs(target.environmentName));

    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: `/aws/codebuild/${props.name}`,
      retentionInDays: logRetentionDays,
    });
    this.role = new ServiceRole(this, "Role", {
      name: shortName(props.name, "build", ROLE_NAME_MAX_LENGTH),
      servicePrincipal: "codebuild.amazonaws.com",
      // Confused-deputy protection: only this build project, in this account.
      trustConditions: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: [props.artifactBucket.accountId] },
        { test: "ArnEquals", variable: "aws:SourceArn", values: [`arn:aws:codebuild:${Fn.element(Fn.split(":", props.artifactBucket.kmsKey.arn), 3)}:${props.artifactBucket.accountId}:project/${props.name}`] },
      ],
      description: `CodeBuild builds and pushes the image of ${props.name} and renders its deploy files`,
    });
    this.grantPermissions(props);

    this.project = new CodebuildProject(this, "Project", {
      name: props.name,
      description: `Builds the image of ${props.name}, pushes <commit> to ECR, renders taskdef/appspec per environment`,
      serviceRole: this.role.arn,
      buildTimeout: buildTimeoutMinutes,
      // Output artifacts are encrypted with the artifact store's key, not the AWS managed S3 key.
      encryptionKey: props.artifactBucket.kmsKeyArn,
      source: { type: "CODEPIPELINE", buildspec: escapeTerraformTemplate(buildspec) },
      artifacts: { type: "CODEPIPELINE" },
      environment: {
        type: "LINUX_CONTAINER",
        computeType,
        image: BUILD_IMAGE,
        imagePullCredentialsType: "CODEBUILD",
        // Docker-in-Docker: `docker build` needs the Docker daemon, which only runs in privileged mode.
        privilegedMode: true,
        environmentVariable: [
          { name: "REPOSITORY_URI", value: props.repository.url },
          { name: "BUILD_CONTEXT", value: buildContext },
          { name: "DOCKERFILE", value: dockerfile },
          // Not an IAM policy: data for the render script. Tokens resolve to Terraform interpolations inside the string.
          { name: "DEPLOY_TARGETS", value: JSON.stringify(this.renderTargets) },
          { name: "BOOTSTRAP_LABEL", value: BOOTSTRAP_LABEL },
        ],
      },
      // Layer cache: CodeBuild's local Docker layer cache, not a registry cache. The repository is IMMUTABLE,
      // so a `buildcache` tag could not be overwritten without a mutability exclusion (AWS provider 6 only, and
      // it weakens the "a tag names one image" guarantee), and buildx's registry exporter needs a
      // docker-container builder pulled from Docker Hub on every build. The local cache is best effort: it hits
      // when builds follow each other within minutes on the same host, the usual push-fix-push loop.
      cache: { type: "LOCAL", modes: ["LOCAL_DOCKER_LAYER_CACHE"] },
      logsConfig: {
        cloudwatchLogs: { status: "ENABLED", groupName: this.logGroup.name },
        s3Logs: { status: "DISABLED" },
      },
    });
    suppress(this.project, [
      {
        id: "BG-CB-003",
        reason:
          "docker build needs the Docker daemon, which CodeBuild only runs in privileged mode; the project only builds commits of the watched branch, started by the pipeline",
      },
    ]);
    this.projectName = this.project.name;
    this.arn = this.project.arn;
  }

  /** The Build stage's action: builds the code artifact's commit; grants the pipeline role to start and follow it. */
  public bind(pipeline: PipelineBinding, code: string = ARTIFACTS.source): CodepipelineStageAction {
    pipeline.grant({ sid: "StartImageBuild", actions: [...PIPELINE_BUILD_ACTIONS], resources: [this.arn] });
    return {
      name: "BuildImage",
      category: "Build",
      owner: "AWS",
      provider: "CodeBuild",
      version: "1",
      inputArtifacts: [code],
      outputArtifacts: [ARTIFACTS.build],
      configuration: {
        ProjectName: this.projectName,
        // The commit the source action fetched; the build tags the image with it.
        // Not an IAM policy: the action's documented JSON list of variables.
        EnvironmentVariables: JSON.stringify([{ name: "COMMIT_ID", value: `#{${SOURCE_NAMESPACE}.CommitId}`, type: "PLAINTEXT" }]),
      },
    };
  }

  private grantPermissions(props: ImageBuildProps): void {
    props.repository.grantPush(this.role);
    props.artifactBucket.grantReadWrite(this.role);
    this.role.addToPolicy(
      { sid: "EcrDescribeImages", actions: [...BUILD_IMAGE_LOOKUP_ACTIONS], resources: [props.repository.arn] },
      // ecs:DescribeTaskDefinition has no resource-level permission (the Service Authorization Reference lists no resource type).
      { sid: "EcsDescribeTaskDefinition", actions: [...BUILD_TASK_DEFINITION_ACTIONS], resources: ["*"] },
      { sid: "BuildLogs", actions: [...BUILD_LOG_ACTIONS], resources: [`${this.logGroup.arn}:*`] },
    );
  }
}

/**
 * Terraform reads `${...}` and `%{...}` in any string as template syntax; the buildspec's shell expansions
 * (`${COMMIT_ID:-...}`) must reach CodeBuild literally, so they are escaped as `$${` and `%%{`.
 */
export function escapeTerraformTemplate(text: string): string {
  return text.replace(/\$\{/g, "$$${").replace(/%\{/g, "%%{");
}

/**
 * Prepends commands that write this repository's render script into the build container, so the
 * watched application repository needs only its Dockerfile: the script that turns the registered task
 * definitions into deploy files ships with the infrastructure that registered them.
 */
export function withDeployScripts(buildspec: string): string {
  const document = parseDocument(buildspec);
  if (!document.hasIn(["phases", "pre_build", "commands"])) document.setIn(["phases", "pre_build", "commands"], []);
  const commands = document.getIn(["phases", "pre_build", "commands"]) as YAMLSeq;
  const files = readdirSync(DEPLOY_SCRIPTS_DIR).filter((file) => file.endsWith(".cjs")).sort();
  const writes = files.map((file) => {
    const source = readFileSync(join(DEPLOY_SCRIPTS_DIR, file), "utf8");
    if (source.includes("BLUEGREEN_SCRIPT_EOF")) throw new Error(`${file} must not contain the heredoc marker`);
    return `cat > "$DEPLOY_SCRIPTS/${file}" <<'BLUEGREEN_SCRIPT_EOF'\n${source.replace(/\n$/, "")}\nBLUEGREEN_SCRIPT_EOF`;
  });
  const setup = [`export DEPLOY_SCRIPTS=${DEPLOY_SCRIPTS_BUILD_PATH} && mkdir -p "$DEPLOY_SCRIPTS"`, ...writes];
  setup.reverse().forEach((command) => commands.items.unshift(document.createNode(command)));
  return document.toString({ lineWidth: 0 });
}
