import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DeployConfig } from "../config";
import { ActionsVariables } from "../constructs/github/actions-variables";
import { DeployBranchProtection, PLAN_STATUS_CHECK } from "../constructs/github/branch-protection";
import { DeployEnvironment } from "../constructs/github/deploy-environment";
import { DeployFiles, DeployFileTarget } from "../constructs/github/deploy-files";
import { OidcSubjectTemplate } from "../constructs/github/oidc-subject-template";
import { PipelineWebhook } from "../constructs/github/pipeline-webhook";
import { WorkflowRoleArns } from "../constructs/identity/github-oidc";
import { WebhookSecret } from "../constructs/delivery/sources/webhook-secret";
import { applyPolicyPack } from "../constructs/policy";
import { configureBackend } from "./backend";
import { infrastructureRepository } from "./config-props";
import { importExistingSettings } from "./github-adoption";

/** The GitHub stack's id: `<project>-github`. */
export function githubStackId(config: DeployConfig): string {
  return `${config.project}-github`;
}

export interface GithubStackProps {
  readonly config: DeployConfig;
  /**
   * The ARNs of the access stack's plan and deploy roles, which become Actions variables: built from their
   * deterministic names by a stack the deploy workflow applies (the AWS or platform stack), so this stack
   * does not depend on the access stack, which the workflow never deploys.
   * @default - none (required when `parts.infrastructure` is on)
   */
  readonly oidc?: WorkflowRoleArns;
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
  /**
   * Which repository settings this stack holds. Fleet mode spreads them over several stacks: the
   * infrastructure repository's in `<project>-github`, each service's application repository's in `<project>-<service>-github`.
   * @default - all of them (single-service mode)
   */
  readonly parts?: GithubStackParts;
  /**
   * The config's path inside the repository, set as the `DEPLOY_CONFIG` Actions variable (with the infrastructure part).
   * @default - no such variable: the workflows find deploy-config.yaml at the repository root
   */
  readonly deployConfigPath?: string;
}

/** The repository settings a GitHub stack holds; each defaults to true. */
export interface GithubStackParts {
  /**
   * Protect the application repository's deploy branch (off where another stack protects the same branch).
   * @default true
   */
  readonly applicationProtection?: boolean;
  /**
   * Commit the deploy files (`imageSource: ecr`) and register the pipeline webhook (`sourceMode: webhook`).
   * @default true
   */
  readonly applicationDelivery?: boolean;
  /**
   * The infrastructure repository's Actions variables (region, OIDC role ARNs), and its branch protection
   * where this stack's application protection does not already cover it.
   * @default true
   */
  readonly infrastructure?: boolean;
}

/**
 * `<project>-github`: the repository side, with the GitHub provider only (its token comes from the
 * GITHUB_TOKEN environment variable at run time). Values from the AWS stack arrive as cross-stack
 * references: cdktf adds outputs to the AWS stack and a `terraform_remote_state` here, read from the
 * same backend, so deploy the AWS stack first.
 */
export class GithubStack extends TerraformStack {
  public readonly appProtection?: DeployBranchProtection;
  public readonly infraProtection?: DeployBranchProtection;
  public readonly variables?: ActionsVariables;
  /** The infrastructure repository's protected deployment environment (the deploy role trusts only its jobs). */
  public readonly deployEnvironment?: DeployEnvironment;
  /** What synth should print (e.g. a deployment environment without required reviewers). */
  public readonly warnings: string[] = [];
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
    const parts = { applicationProtection: true, applicationDelivery: true, infrastructure: true, ...props.parts };

    // No `token`: the provider reads GITHUB_TOKEN (or `gh auth token`) when Terraform runs; nothing lands in code or state.
    const appProvider = new GithubProvider(this, "github", { owner: app.owner });
    const infraProvider =
      infra.owner === app.owner ? appProvider : new GithubProvider(this, "github_infra", { owner: infra.owner, alias: "infra" });

    // github.protectApplicationBranch: false leaves the application repository's rule to the team (config refuses it
    // when that repository also holds the infrastructure).
    if (parts.applicationProtection && config.github.protectApplicationBranch) {
      this.appProtection = new DeployBranchProtection(this, "AppBranchProtection", {
        repository: app.name,
        branch: config.github.branch,
        requiredApprovals: config.github.requiredApprovals,
        // The team's own checks are kept (this rule replaces the existing one); the plan check only runs where the
        // infrastructure workflows live.
        requiredStatusChecks: [...new Set([...config.github.requiredStatusChecks, ...(sameRepository ? [PLAN_STATUS_CHECK] : [])])],
        provider: appProvider,
      });
    }
    if (parts.infrastructure) {
      ({ protection: this.infraProtection, variables: this.variables, environment: this.deployEnvironment } = this.buildInfrastructure(
        props,
        infraProvider,
        sameRepository && this.appProtection !== undefined,
      ));
    }
    if (parts.applicationDelivery) ({ deployFiles: this.deployFiles, webhook: this.webhook } = this.buildDelivery(props, appProvider));
    importExistingSettings(config, this, { application: `${app.owner}/${app.name}`, infrastructure: `${infra.owner}/${infra.name}` });
    // The rules that read GitHub resources (branch protection binds admins) and the backend rules.
    applyPolicyPack(this);
  }

  /** The infrastructure repository's branch protection (unless the application protection covers it) and Actions variables. */
  private buildInfrastructure(
    props: GithubStackProps,
    infraProvider: GithubProvider,
    coveredByAppProtection: boolean,
  ): { protection?: DeployBranchProtection; variables: ActionsVariables; environment: DeployEnvironment } {
    const { config } = props;
    const infra = infrastructureRepository(config);
    let protection: DeployBranchProtection | undefined;
    if (!coveredByAppProtection) {
      protection = new DeployBranchProtection(this, "InfraBranchProtection", {
        repository: infra.name,
        branch: config.github.branch,
        requiredApprovals: config.github.requiredApprovals,
        requiredStatusChecks: [PLAN_STATUS_CHECK],
        provider: infraProvider,
      });
    }
    const oidc = props.oidc as WorkflowRoleArns; // validate() requires it with this part
    const { name, reviewers } = config.github.deployEnvironment;
    const environment = new DeployEnvironment(this, "DeployEnvironment", {
      repository: infra.name,
      name,
      branch: config.github.branch,
      reviewerUsers: reviewers.users,
      reviewerTeams: reviewers.teams,
      provider: infraProvider,
    });
    if (environment.unreviewed) {
      // Only with github.deployEnvironment.soloEvaluation: true (the config refuses no reviewers otherwise).
      this.warnings.push(
        `warning: github.deployEnvironment.soloEvaluation is on: every merge to ${config.github.branch} deploys without a second person's approval (a one-person evaluation, not production)`,
      );
    }
    // The subject the deploy and plan roles trust (constructs/identity/oidc-subjects.ts).
    new OidcSubjectTemplate(this, "OidcSubjectTemplate", { repository: infra.name, provider: infraProvider });
    const variables = new ActionsVariables(this, "InfraVariables", {
      repository: infra.name,
      provider: infraProvider,
      variables: {
        AWS_REGION: config.region,
        AWS_DEPLOY_ROLE_ARN: oidc.deployRoleArn,
        AWS_PLAN_ROLE_ARN: oidc.planRoleArn,
        // deploy.yml runs its job in this environment: the deploy role trusts no other subject.
        DEPLOY_ENVIRONMENT: name,
        // deploy.yml runs only for pushes to this branch: its trigger follows the config.
        DEPLOY_BRANCH: config.github.branch,
        // The workflows synthesize the file the last deploy used (none needed for deploy-config.yaml at the root).
        ...(props.deployConfigPath ? { DEPLOY_CONFIG: props.deployConfigPath } : {}),
      },
    });
    return { protection, variables, environment };
  }

  /** What the application repository needs for the pipeline: deploy files (ecr mode) and the webhook (webhook mode). */
  private buildDelivery(props: GithubStackProps, appProvider: GithubProvider): { deployFiles?: DeployFiles; webhook?: PipelineWebhook } {
    const { config } = props;
    const app = { owner: config.github.owner, name: config.github.repository };
    const result: { deployFiles?: DeployFiles; webhook?: PipelineWebhook } = {};
    if (config.pipeline.imageSource === "ecr" && props.deployFiles) {
      result.deployFiles = new DeployFiles(this, "DeployFiles", {
        repository: app.name,
        branch: config.github.branch,
        targets: props.deployFiles,
        provider: appProvider,
      });
    }
    if (config.github.sourceMode === "webhook" && props.webhook) {
      result.webhook = new PipelineWebhook(this, "PipelineWebhook", {
        repository: app.name,
        url: props.webhook.url,
        secret: props.webhook.secret,
        provider: appProvider,
      });
    }
    return result;
  }
}

function validate(props: GithubStackProps): void {
  const { config } = props;
  if ((props.parts?.infrastructure ?? true) && !props.oidc) {
    throw new Error("GithubStack: the infrastructure part (Actions variables) needs oidc, the workflow role ARNs it publishes");
  }
  if (!(props.parts?.applicationDelivery ?? true)) return;
  if (config.pipeline.imageSource === "ecr" && (props.deployFiles ?? []).length === 0) {
    throw new Error("GithubStack: pipeline.imageSource is ecr, so deployFiles (one target per environment) is required");
  }
  if (config.github.sourceMode === "webhook" && !props.webhook) {
    throw new Error("GithubStack: github.sourceMode is webhook, so webhook (the pipeline webhook URL and its WebhookSecret) is required");
  }
}
