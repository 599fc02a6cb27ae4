import { readFileSync } from "node:fs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CodebuildProject } from "@cdktf/provider-aws/lib/codebuild-project";
import { CodepipelineStageAction } from "@cdktf/provider-aws/lib/codepipeline";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { projectPath } from "../../../config/paths";
import { ArtifactBucket } from "../artifact-bucket";
import { BlueGreenService } from "../../runtime/blue-green-service";
import { ServiceRole } from "../../identity/iam";
import { BUILD_IMAGE, escapeTerraformTemplate } from "../build/image-build";
import { shortName } from "../../core/naming";
import { registerTaskDefinitionStatements } from "../../runtime/task-definition-grants";

/** The release script the project runs (written into the build container by its buildspec). */
export const RELEASE_SCRIPT_PATH = projectPath("constructs", "assets", "ecs-release", "release.cjs");
/** What the release script calls on the service: UpdateService starts the deployment, the reads follow it. */
export const RELEASE_SERVICE_ACTIONS = ["ecs:DescribeServices", "ecs:UpdateService", "ecs:ListServiceDeployments"] as const;
/** Following the deployment it started: its status, and which task definition each service revision runs. */
export const RELEASE_DEPLOYMENT_READ_ACTIONS = ["ecs:DescribeServiceDeployments", "ecs:DescribeServiceRevisions"] as const;
/** The pipeline starts the release and follows it (a CodeBuild action). */
export const PIPELINE_RELEASE_ACTIONS = ["codebuild:StartBuild", "codebuild:BatchGetBuilds"] as const;
/** Writing the project's own log streams. */
export const RELEASE_LOG_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"] as const;

const ROLE_NAME_MAX_LENGTH = 64;
/** CodeBuild's longest build timeout (minutes). */
export const MAX_RELEASE_TIMEOUT_MINUTES = 2160;

export interface EcsServiceReleaseProps {
  /** Prefix of the names (e.g. `demo-prod`): the project and role are `<name>-release`. */
  readonly name: string;
  /** Lowercase environment name: the build's `revision-<env>.json`. */
  readonly environmentName: string;
  /** The service it releases to. */
  readonly service: BlueGreenService;
  /** The pipeline's artifact store: the release reads the build's output from it. */
  readonly artifactBucket: ArtifactBucket;
  /** Minutes a release may take (traffic shift, bake time, rollback), 5-2160. */
  readonly timeoutMinutes: number;
  /** @default 30 */
  readonly logRetentionDays?: number;
}

/**
 * The release step of an ECS-native environment: a CodeBuild project the pipeline's Deploy-<env> stage runs with
 * the build's output. It registers the complete revision the build rendered (`revision-<env>.json`: Terraform's
 * task definition with the bootstrap settings stripped and the new image), calls UpdateService with it, and follows
 * the service deployment ECS starts until it succeeds or rolls back (constructs/assets/ecs-release/release.cjs).
 *
 * Not the standard ECS deploy action: that action "creates its own revision of the task definition based on the
 * revision used by the Amazon ECS service" and replaces only the image (CodePipeline User Guide, "Amazon Elastic
 * Container Service deploy action reference"), so every release would keep the bootstrap's entry point, command
 * and user.
 */
export class EcsServiceRelease extends Construct {
  public readonly project: CodebuildProject;
  public readonly role: ServiceRole;
  public readonly logGroup: CloudwatchLogGroup;
  /** The project's name (a literal). */
  public readonly projectName: string;

  constructor(scope: Construct, id: string, props: EcsServiceReleaseProps) {
    super(scope, id);
    const timeout = props.timeoutMinutes;
    if (!Number.isInteger(timeout) || timeout < 5 || timeout > MAX_RELEASE_TIMEOUT_MINUTES) {
      throw new Error(`EcsServiceRelease ${props.name}: timeoutMinutes must be a whole number from 5 to ${MAX_RELEASE_TIMEOUT_MINUTES} (got ${timeout})`);
    }
    const bucket = props.artifactBucket;
    const service = props.service;
    this.projectName = releaseProjectName(props.name);
    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: `/aws/codebuild/${this.projectName}`,
      retentionInDays: props.logRetentionDays ?? 30,
    });
    const region = Fn.element(Fn.split(":", bucket.kmsKey.arn), 3);
    this.role = new ServiceRole(this, "Role", {
      name: shortName(props.name, "release", ROLE_NAME_MAX_LENGTH),
      servicePrincipal: "codebuild.amazonaws.com",
      // Confused-deputy protection: only this project, in this account.
      trustConditions: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: [bucket.accountId] },
        { test: "ArnEquals", variable: "aws:SourceArn", values: [`arn:aws:codebuild:${region}:${bucket.accountId}:project/${this.projectName}`] },
      ],
      description: `CodeBuild registers the release's task definition of ${props.name} and deploys it with ECS`,
    });
    bucket.grantRead(this.role);
    // The service ARN is arn:...:service/<cluster>/<service>; its deployments and revisions sit under the same names.
    const under = (type: string) => `${Fn.replace(service.service.id, ":service/", `:${type}/`)}/*`;
    this.role.addToPolicy(
      ...registerTaskDefinitionStatements(service, props.environmentName),
      { sid: "ReleaseService", actions: [...RELEASE_SERVICE_ACTIONS], resources: [service.service.id] },
      {
        sid: "FollowServiceDeployments",
        actions: [...RELEASE_DEPLOYMENT_READ_ACTIONS],
        resources: [service.service.id, under("service-deployment"), under("service-revision")],
      },
      { sid: "ReleaseLogs", actions: [...RELEASE_LOG_ACTIONS], resources: [`${this.logGroup.arn}:*`] },
    );

    this.project = new CodebuildProject(this, "Project", {
      name: this.projectName,
      description: `Releases ${props.name}: registers revision-${props.environmentName}.json, updates the ECS service, follows the deployment`,
      serviceRole: this.role.arn,
      buildTimeout: timeout,
      encryptionKey: bucket.kmsKeyArn,
      source: { type: "CODEPIPELINE", buildspec: escapeTerraformTemplate(releaseBuildspec()) },
      artifacts: { type: "CODEPIPELINE" },
      environment: {
        type: "LINUX_CONTAINER",
        computeType: "BUILD_GENERAL1_SMALL",
        image: BUILD_IMAGE,
        imagePullCredentialsType: "CODEBUILD",
        environmentVariable: [
          { name: "CLUSTER", value: service.cluster.clusterName },
          { name: "SERVICE", value: service.service.name },
          { name: "ENVIRONMENT_NAME", value: props.environmentName },
        ],
      },
      logsConfig: {
        cloudwatchLogs: { status: "ENABLED", groupName: this.logGroup.name },
        s3Logs: { status: "DISABLED" },
      },
      dependsOn: this.role.grants,
    });
  }

  /** The Deploy-<env> stage's action: runs the release on the build's output; grants the pipeline role to start and follow it. */
  public action(input: string, grant: (sid: string, actions: readonly string[], resource: string) => void): CodepipelineStageAction {
    grant("StartReleases", PIPELINE_RELEASE_ACTIONS, this.project.arn);
    return {
      name: "BlueGreen",
      // CodeBuild actions belong to the Build (or Test) category; the stage name says it deploys.
      category: "Build",
      owner: "AWS",
      provider: "CodeBuild",
      version: "1",
      inputArtifacts: [input],
      configuration: { ProjectName: this.projectName },
    };
  }
}

/** The release project of an environment: `<environment prefix>-release`. */
export function releaseProjectName(name: string): string {
  return `${name}-release`;
}

/** The inline buildspec: writes the release script (it ships with this infrastructure, like the render script) and runs it. */
export function releaseBuildspec(): string {
  const script = readFileSync(RELEASE_SCRIPT_PATH, "utf8").replace(/\n$/, "");
  if (script.includes("BLUEGREEN_SCRIPT_EOF")) throw new Error("release.cjs must not contain the heredoc marker");
  const lines = [
    "version: 0.2",
    "phases:",
    "  build:",
    "    on-failure: ABORT",
    "    commands:",
    "      - |",
    "        cat > /tmp/release.cjs <<'BLUEGREEN_SCRIPT_EOF'",
    ...script.split("\n").map((line) => (line ? `        ${line}` : "")),
    "        BLUEGREEN_SCRIPT_EOF",
    "      - node /tmp/release.cjs",
  ];
  return `${lines.join("\n")}\n`;
}
