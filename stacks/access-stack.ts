import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DeployConfig } from "../config";
import { GithubOidcRoles } from "../constructs/identity/github-oidc";
import { PermissionsBoundary } from "../constructs/identity/permissions-boundary";
import { applyPolicyPack } from "../constructs/policy";
import { markAppliedByAdministrator } from "./admin-applied";
import { configureBackend } from "./backend";
import { awsProviderProps, environmentNetwork, githubOidcProps } from "./config-props";

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
    new AwsProvider(this, "aws", awsProviderProps(config));
    this.githubOidc = new GithubOidcRoles(this, "GithubOidc", githubOidcProps(config, id));
    this.boundary = new PermissionsBoundary(this, "Boundary", {
      project: config.project,
      account: this.githubOidc.accountId,
      region: config.region,
      connectionArn: config.github.connectionArn,
      subnetIds: existingSubnetIds(config),
    });
    new TerraformOutput(this, "DeployRoleArn", { value: this.githubOidc.deployRoleArn });
    new TerraformOutput(this, "PlanRoleArn", { value: this.githubOidc.planRoleArn });
    new TerraformOutput(this, "BoundaryPolicyArn", { value: this.boundary.arn });
    markAppliedByAdministrator(this);
    applyPolicyPack(this, { identity: true });
  }
}

/** The subnets of existing VPCs the config names (`network.mode: existing`, top level or per environment): they carry no project tag. */
function existingSubnetIds(config: DeployConfig): string[] {
  const networks = config.environments.map((environment) => environmentNetwork(config, environment));
  return [...new Set(networks.flatMap((network) => (network.mode === "existing" ? [...network.publicSubnetIds, ...network.privateSubnetIds] : [])))];
}
