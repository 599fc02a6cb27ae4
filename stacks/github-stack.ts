import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DeployConfig } from "../config";
import { ActionsVariables } from "../constructs/github/actions-variables";
import { DeployBranchProtection, PLAN_STATUS_CHECK } from "../constructs/github/branch-protection";
import { DeployFiles, DeployFileTarget } from "../constructs/github/deploy-files";
import { PipelineWebhook } from "../constructs/github/repository-webhook";
import { GithubOidcRoles } from "../constructs/github-oidc";
import { WebhookSecret } from "../constructs/webhook-secret";
import { configureBackend } from "./backend";

/** The GitHub stack's id: `<project>-github`. */
export function githubStackId(config: DeployConfig): string {
  return `${config.project}-github`;
}

/** `owner/name` of the repository holding this infrastructure code (default: the application repository). */
export function infrastructureRepository(config: DeployConfig): { owner: string; name: string } {
  const [owner, name] = (config.github.infrastructureRepository ?? `${config.github.owner}/${config.github.repository}`).split("/");
  return { owner, name };
}

export interface GithubStackProps {
  readonly config: DeployConfig;
  /** The OIDC roles of the AWS stack; their ARNs become Actions variables (cross-stack references). */
  readonly oidc: GithubOidcRoles;
  /**
   * `pipeline.imageSource: ecr`: the environments whose taskdef/appspec files are committed to the application repository.
   * @default - none (required in ecr mode)
   */
  readonly deployFiles?: readonly DeployFileTarget[];
  /**
   * `github.sourceMode: webhook`: the pipeline webhook's URL and the shared secret (both AWS stack).
   * @default - none (required in webhook mode)
   */
  readonly webhook?: { readonly url: string; readonly secret: WebhookSecret };
}

/**
 * `<project>-github`: the repository side, with the GitHub provider only (its token comes from the
 * GITHUB_TOKEN environment variable at run time). Values from the AWS stack arrive as cross-stack
 * references: cdktf adds outputs to the AWS stack and a `terraform_remote_state` here, read from the
 * same backend, so deploy the AWS stack first.
 */
export class GithubStack extends TerraformStack {
  public readonly appProtection: DeployBranchProtection;
  public readonly infraProtection?: DeployBranchProtection;
  public readonly variables: ActionsVariables;
  public readonly deployFiles?: DeployFiles;
  public readonly webhook?: PipelineWebhook;

  constructor(scope: Construct, id: string, props: GithubStackProps) {
    super(scope, id);
    const { config } = props;
    validate(props);
    configureBackend(this, config, id);
    const app = { owner: config.github.owner, name: config.github.repository };
    const infra = infrastructureRepository(config);
    const sameRepository = infra.owner === app.owner && infra.name === app.name;
    const ecrMode = config.pipeline.imageSource === "ecr";

    // No `token`: the provider reads GITHUB_TOKEN (or `gh auth token`) when Terraform runs; nothing lands in code or state.
    const appProvider = new GithubProvider(this, "github", { owner: app.owner });
    const infraProvider =
      infra.owner === app.owner ? appProvider : new GithubProvider(this, "github_infra", { owner: infra.owner, alias: "infra" });

    this.appProtection = new DeployBranchProtection(this, "AppBranchProtection", {
      repository: app.name,
      branch: config.github.branch,
      requiredApprovals: config.github.requiredApprovals,
      // The plan check only runs where the infrastructure workflows live.
      requiredStatusChecks: sameRepository ? [PLAN_STATUS_CHECK] : [],
      // ecr mode: this stack's token commits the deploy files straight to the branch, so admins must be able to.
      enforceAdmins: !ecrMode,
      provider: appProvider,
    });
    if (!sameRepository) {
      this.infraProtection = new DeployBranchProtection(this, "InfraBranchProtection", {
        repository: infra.name,
        branch: config.github.branch,
        requiredApprovals: config.github.requiredApprovals,
        requiredStatusChecks: [PLAN_STATUS_CHECK],
        provider: infraProvider,
      });
    }
    this.variables = new ActionsVariables(this, "InfraVariables", {
      repository: infra.name,
      provider: infraProvider,
      variables: {
        AWS_REGION: config.region,
        AWS_DEPLOY_ROLE_ARN: props.oidc.deployRoleArn,
        AWS_PLAN_ROLE_ARN: props.oidc.planRoleArn,
      },
    });
    if (ecrMode && props.deployFiles) {
      this.deployFiles = new DeployFiles(this, "DeployFiles", {
        repository: app.name,
        branch: config.github.branch,
        targets: props.deployFiles,
        provider: appProvider,
      });
    }
    if (config.github.sourceMode === "webhook" && props.webhook) {
      this.webhook = new PipelineWebhook(this, "PipelineWebhook", {
        repository: app.name,
        url: props.webhook.url,
        secret: props.webhook.secret,
        provider: appProvider,
      });
    }
  }
}

function validate(props: GithubStackProps): void {
  const { config } = props;
  if (config.pipeline.imageSource === "ecr" && (props.deployFiles ?? []).length === 0) {
    throw new Error("GithubStack: pipeline.imageSource is ecr, so deployFiles (one target per environment) is required");
  }
  if (config.github.sourceMode === "webhook" && !props.webhook) {
    throw new Error("GithubStack: github.sourceMode is webhook, so webhook (the pipeline webhook URL and its WebhookSecret) is required");
  }
}
