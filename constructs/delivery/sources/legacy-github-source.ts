import { CodepipelineWebhook } from "@cdktf/provider-aws/lib/codepipeline-webhook";
import { Construct } from "constructs";
import {
  ARTIFACTS,
  CreatedPipeline,
  DEPLOY_FILES_DIRECTORY,
  IPipelineSource,
  SOURCE_NAMESPACE,
  SourceActionConfig,
  SourceOutputs,
} from "../pipeline-seam";
import { WebhookSecret } from "./webhook-secret";

export interface LegacyGithubSourceProps {
  /** Name of the CodePipeline webhook. */
  readonly name: string;
  readonly github: { readonly owner: string; readonly repository: string; readonly branch: string };
  /** The HMAC secret shared with the GitHub stack's repository webhook. */
  readonly secret: WebhookSecret;
  /**
   * The GitHub token the version 1 action clones with: a sensitive Terraform variable, never a literal.
   */
  readonly oauthToken: string;
}

/**
 * The legacy `github.sourceMode: webhook` source: the GitHub version 1 source action (OAuth token) started
 * by an `aws_codepipeline_webhook` that GitHub calls, authenticated with an HMAC secret.
 * AWS deprecates the version 1 action in favour of connections; use it only where the GitHub App cannot be installed.
 */
export class LegacyGithubSource extends Construct implements IPipelineSource {
  public readonly actionName = "GitHub";
  public readonly outputs: SourceOutputs = {
    code: ARTIFACTS.source,
    deployFiles: { artifact: ARTIFACTS.source, directory: DEPLOY_FILES_DIRECTORY },
  };
  private readonly props: LegacyGithubSourceProps;
  public webhook?: CodepipelineWebhook;

  constructor(scope: Construct, id: string, props: LegacyGithubSourceProps) {
    super(scope, id);
    this.props = props;
  }

  /**
   * The source action; its namespace exposes `CommitId` to the build like the connection action does. The
   * OAuth token, not the pipeline role, authorizes it (nothing to grant), and its webhook starts the pipeline (no trigger).
   */
  public bind(): SourceActionConfig {
    const { owner, repository, branch } = this.props.github;
    return {
      action: {
        name: this.actionName,
        category: "Source",
        owner: "ThirdParty",
        provider: "GitHub",
        version: "1",
        namespace: SOURCE_NAMESPACE,
        outputArtifacts: [ARTIFACTS.source],
        configuration: {
          Owner: owner,
          Repo: repository,
          Branch: branch,
          OAuthToken: this.props.oauthToken,
          // The webhook starts the pipeline; polling would start it a second time.
          PollForSourceChanges: "false",
        },
      },
    };
  }

  /** Creates the webhook that starts the pipeline on pushes to the branch. */
  public onPipelineCreated(pipeline: CreatedPipeline): void {
    this.webhook = new CodepipelineWebhook(this, "Webhook", {
      name: this.props.name,
      targetPipeline: pipeline.name,
      targetAction: this.actionName,
      authentication: "GITHUB_HMAC",
      authenticationConfiguration: { secretToken: this.props.secret.value },
      filter: [{ jsonPath: "$.ref", matchEquals: "refs/heads/{Branch}" }],
    });
  }
}
