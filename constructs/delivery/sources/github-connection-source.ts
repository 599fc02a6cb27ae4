import {
  ARTIFACTS,
  DEPLOY_FILES_DIRECTORY,
  IPipelineSource,
  PipelineBinding,
  SOURCE_NAMESPACE,
  SourceActionConfig,
  SourceOutputs,
} from "../pipeline-seam";
import { SourceConnection } from "./source-connection";

/** Name of the GitHub source action (the V2 trigger names it). */
export const GITHUB_SOURCE_ACTION = "GitHub";

export interface GithubConnectionSourceProps {
  /** The connection (the GitHub App installation) the action reads through. */
  readonly connection: SourceConnection;
  /** The watched repository (`owner/repository`) and branch. */
  readonly github: { readonly owner: string; readonly repository: string; readonly branch: string };
  /**
   * Start the pipeline on pushes to the branch (a V2 trigger). Off where another source starts it (an ECR
   * push) and no file filter asks for a push trigger.
   * @default true
   */
  readonly startOnPush?: boolean;
  /**
   * Glob filters on the files a push changed.
   * @default - every push to the branch
   */
  readonly filePaths?: { readonly includes?: readonly string[]; readonly excludes?: readonly string[] };
  /** @default DEPLOY_FILES_DIRECTORY */
  readonly deployFilesDirectory?: string;
}

/** The recommended GitHub source: the CodeStarSourceConnection action, started by a V2 push trigger. */
export class GithubConnectionSource implements IPipelineSource {
  public readonly outputs: SourceOutputs;

  constructor(private readonly props: GithubConnectionSourceProps) {
    this.outputs = {
      code: ARTIFACTS.source,
      deployFiles: { artifact: ARTIFACTS.source, directory: props.deployFilesDirectory ?? DEPLOY_FILES_DIRECTORY },
    };
  }

  public bind(pipeline: PipelineBinding): SourceActionConfig {
    const { connection, github } = this.props;
    const fullRepositoryId = `${github.owner}/${github.repository}`;
    pipeline.grant(...connection.useConnectionStatements("UseGitHubConnection", fullRepositoryId));
    return {
      action: {
        name: GITHUB_SOURCE_ACTION,
        category: "Source",
        owner: "AWS",
        provider: "CodeStarSourceConnection",
        version: "1",
        namespace: SOURCE_NAMESPACE,
        outputArtifacts: [ARTIFACTS.source],
        configuration: {
          ConnectionArn: connection.connectionArn,
          FullRepositoryId: fullRepositoryId,
          BranchName: github.branch,
          OutputArtifactFormat: "CODE_ZIP",
          // Pushes start the pipeline through the V2 trigger (branch and file-path filters), not this action's
          // default change detection; in ecr mode the ECR push starts it.
          DetectChanges: "false",
        },
      },
      trigger: (this.props.startOnPush ?? true) ? this.trigger() : undefined,
    };
  }

  private trigger(): SourceActionConfig["trigger"] {
    const includes = [...(this.props.filePaths?.includes ?? [])];
    const excludes = [...(this.props.filePaths?.excludes ?? [])];
    const filePaths =
      includes.length + excludes.length > 0
        ? { ...(includes.length ? { includes } : {}), ...(excludes.length ? { excludes } : {}) }
        : undefined;
    return {
      providerType: "CodeStarSourceConnection",
      gitConfiguration: {
        sourceActionName: GITHUB_SOURCE_ACTION,
        push: [{ branches: { includes: [this.props.github.branch] }, filePaths }],
      },
    };
  }
}

