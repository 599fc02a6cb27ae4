import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DeployConfig } from "../config";
import { GithubOidcRoles } from "../constructs/github-oidc";
import { PermissionsBoundary, boundaryPolicyName } from "../constructs/identity/permissions-boundary";
import { applyPolicyPack } from "../constructs/policy";
import { markAppliedByAdministrator } from "./admin-applied";
import { configureBackend, stateObjectKey, stateRegion } from "./backend";
import { BOOTSTRAP_STACK_ID } from "./bootstrap-stack";
import { infrastructureRepository } from "./github-stack";

/** The access stack's id: `<project>-access`. */
export function accessStackId(config: DeployConfig): string {
  return `${config.project}-access`;
}

export interface AccessStackProps {
  /** The validated config. */
  readonly config: DeployConfig;
}

/**
 * `<project>-access`: the identity layer, applied by an administrator and never by the deploy workflow.
 * The GitHub OIDC provider (or the existing one, `github.oidcProviderArn`), the plan and deploy roles,
 * and the permissions boundary every application role carries. Keeping them out of the stacks the
 * deploy role applies is what makes the deploy role's own denies meaningful: it cannot widen itself,
 * the boundary or its trust, because no stack it applies holds them. AWS provider only, own state.
 */
export class AccessStack extends TerraformStack {
  public readonly githubOidc: GithubOidcRoles;
  public readonly boundary: PermissionsBoundary;

  constructor(scope: Construct, id: string, props: AccessStackProps) {
    super(scope, id);
    const { config } = props;
    configureBackend(this, config, id);
    new AwsProvider(this, "aws", {
      region: config.region,
      // The project tag last: the deploy role's tag-scoped grants rely on it, so config.tags cannot override it.
      defaultTags: [{ tags: { "managed-by": "cdktf", ...config.tags, project: config.project } }],
    });
    this.githubOidc = createGithubOidcRoles(this, config, id);
    this.boundary = new PermissionsBoundary(this, "Boundary", {
      project: config.project,
      account: this.githubOidc.accountId,
      region: config.region,
      connectionArn: config.github.connectionArn,
    });
    new TerraformOutput(this, "DeployRoleArn", { value: this.githubOidc.deployRoleArn });
    new TerraformOutput(this, "PlanRoleArn", { value: this.githubOidc.planRoleArn });
    new TerraformOutput(this, "BoundaryPolicyArn", { value: this.boundary.arn });
    markAppliedByAdministrator(this);
    applyPolicyPack(this, { identity: true });
  }
}

/**
 * The GitHub OIDC provider and the infrastructure workflows' plan and deploy roles (`GithubOidc`), scoped
 * to the project's name, the infrastructure repository and its deployment environment.
 * `stackId` is the id of the stack that holds them: its state is one the deploy role may not write.
 */
export function createGithubOidcRoles(scope: Construct, config: DeployConfig, stackId: string): GithubOidcRoles {
  const infrastructure = infrastructureRepository(config);
  const { state } = config;
  return new GithubOidcRoles(scope, "GithubOidc", {
    name: config.project,
    repository: `${infrastructure.owner}/${infrastructure.name}`,
    deployEnvironment: config.github.deployEnvironment.name,
    region: config.region,
    providerArn: config.github.oidcProviderArn,
    boundaryPolicyName: boundaryPolicyName(config.project),
    state:
      state.backend === "s3"
        ? {
            bucketName: state.bucket,
            keyPrefix: state.keyPrefix,
            region: stateRegion(config),
            keyArn: state.kmsKeyArn,
            protectedStateKeys: [stackId, BOOTSTRAP_STACK_ID].map((stack) => stateObjectKey(state.keyPrefix, stack)),
          }
        : undefined,
  });
}
