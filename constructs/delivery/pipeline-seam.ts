/**
 * The pipeline's variation points: seams, not switches. A source or a deploy target owns its stage action(s),
 * the permissions those actions need on the pipeline role, and what the build must render for it; the
 * pipeline only loops over them, as aws-cdk-lib's `IAction.bind` does for CodePipeline actions.
 */
import { CodepipelineStageAction, CodepipelineTrigger } from "@cdktf/provider-aws/lib/codepipeline";
import { Construct } from "constructs";
import type { ArtifactBucket } from "./artifact-bucket";
import { RenderTarget } from "./build/deploy-artifacts";
import { PolicyStatement } from "../identity/iam";

/** Artifact names, as the stages pass them on. */
export const ARTIFACTS = { source: "SourceArtifact", build: "BuildArtifact", image: "ImageArtifact" } as const;
/** Namespace of the GitHub action's variables (`#{SourceVariables.CommitId}`). */
export const SOURCE_NAMESPACE = "SourceVariables";
/** Directory of the deploy files in the application repository when a source (not the build) carries them. */
export const DEPLOY_FILES_DIRECTORY = "deploy";

/** What an action gets when the pipeline binds it. */
export interface PipelineBinding {
  /** The pipeline construct: constructs an action adds go under it (their ids are part of resource addresses). */
  readonly scope: Construct;
  /** The pipeline's artifact store (an action that runs its own compute reads its input artifacts there). */
  readonly artifacts: ArtifactBucket;
  /**
   * Grants the pipeline role what the action calls. Statements with the same sid from several actions
   * (one per environment) become one statement listing every resource.
   */
  grant(...statements: PolicyStatement[]): void;
}

/** A folder inside an artifact. */
export interface ArtifactPath {
  readonly artifact: string;
  /** Relative folder; `""` is the artifact's root. */
  readonly directory: string;
}

/** What a source's output artifact carries for the later stages. */
export interface SourceOutputs {
  /**
   * The application code the build reads (its action also publishes `CommitId` in SOURCE_NAMESPACE).
   * @default - none
   */
  readonly code?: string;
  /**
   * The deploy files (task definition template, appspec) the deploy actions read when no build renders them.
   * @default - none
   */
  readonly deployFiles?: ArtifactPath;
  /**
   * The artifact whose image file names the image to deploy, when no build produces one.
   * @default - none
   */
  readonly image?: string;
}

/** A bound source action. */
export interface SourceActionConfig {
  readonly action: CodepipelineStageAction;
  /**
   * The V2 trigger that starts the pipeline on this source's changes.
   * @default - none: something outside the pipeline starts it (see `IPipelineSource.onPipelineCreated`)
   */
  readonly trigger?: CodepipelineTrigger;
}

/** The pipeline, once it exists (for what starts it from outside). */
export interface CreatedPipeline {
  readonly scope: Construct;
  /** The configured pipeline name (a plain string): prefix of what an action adds. */
  readonly namePrefix: string;
  /** The pipeline's name attribute (a reference: what an action adds waits for the pipeline). */
  readonly name: string;
  readonly arn: string;
}

/** One action of the Source stage: a GitHub connection, the legacy GitHub webhook, an ECR push. */
export interface IPipelineSource {
  readonly outputs: SourceOutputs;
  /** The Source stage action, and its grants to the pipeline role. */
  bind(pipeline: PipelineBinding): SourceActionConfig;
  /** Wires what starts the pipeline from outside it (a repository webhook, an EventBridge rule). */
  onPipelineCreated?(pipeline: CreatedPipeline): void;
}

/** Where one environment's deploy action reads its inputs. */
export interface DeployBinding extends PipelineBinding {
  /** Lowercase environment name (file names, statement ids). */
  readonly environmentName: string;
  /** The artifact and folder holding this environment's deploy files. */
  readonly deployFiles: ArtifactPath;
  /** The artifact holding the image file. */
  readonly image: string;
}

/** A deploy file rendered at synth time, for a source that carries the files instead of the build. */
export interface DeployFile {
  /** Construct id suffix of the file (stable: part of the GitHub stack's addresses), e.g. `TaskDefinition`. */
  readonly id: string;
  /** File name inside the deploy files folder. */
  readonly fileName: string;
  /** The file's content (tokens resolve to cross-stack references). */
  render(): string;
}

/**
 * One environment's deployment as the pipeline sees it: CodeDeploy blue/green today, another strategy
 * tomorrow, each owning its action(s), grants and build outputs.
 */
export interface IDeployTarget {
  /** The environment's deploy stage actions; grants the pipeline role exactly what they call. */
  bind(binding: DeployBinding): CodepipelineStageAction[];
  /** What the build renders for this environment (one entry of the render script's DEPLOY_TARGETS). */
  buildOutputs(environmentName: string): RenderTarget;
  /** The deploy files, when a source carries them instead of the build (`imageSource: ecr`). */
  deployFiles(environmentName: string): readonly DeployFile[];
}

/** `directory/file`, or `file` at the root. */
export function joinPath(directory: string, file: string): string {
  return directory ? `${directory.replace(/\/+$/, "")}/${file}` : file;
}
