import { DataGithubTeam } from "@cdktf/provider-github/lib/data-github-team";
import { DataGithubUser } from "@cdktf/provider-github/lib/data-github-user";
import { RepositoryEnvironment } from "@cdktf/provider-github/lib/repository-environment";
import { RepositoryEnvironmentDeploymentPolicy } from "@cdktf/provider-github/lib/repository-environment-deployment-policy";
import { Fn, TerraformProvider, Token } from "cdktf";
import { Construct } from "constructs";

/** GitHub allows at most six required reviewers (users and teams together) per environment. */
export const MAX_ENVIRONMENT_REVIEWERS = 6;

export interface DeployEnvironmentProps {
  /** Repository name (without owner; the provider's owner applies): the infrastructure repository. */
  readonly repository: string;
  /** The environment name; the deploy role trusts `repo:<owner>/<repository>:environment:<name>` only. */
  readonly name: string;
  /** The only branch whose workflow runs may deploy to the environment. */
  readonly branch: string;
  /**
   * GitHub logins that must approve a deployment (one of the reviewers suffices).
   * @default - none
   */
  readonly reviewerUsers?: readonly string[];
  /**
   * Team slugs of the owner organization that must approve a deployment.
   * @default - none
   */
  readonly reviewerTeams?: readonly string[];
  /** @default - the stack's default GitHub provider */
  readonly provider?: TerraformProvider;
}

/**
 * The protected deployment environment of the deploy job: required reviewers who may not approve their
 * own run, admins bound too, and only runs of the deploy branch admitted (a custom branch policy, so a
 * pushed branch or a pull request never reaches the deploy role). Reviewers are given by name and
 * resolved to GitHub's numeric ids at plan time (`github_user` / `github_team` data sources).
 */
export class DeployEnvironment extends Construct {
  public readonly environment: RepositoryEnvironment;
  public readonly branchPolicy: RepositoryEnvironmentDeploymentPolicy;
  /** No reviewer configured: every merge to the deploy branch deploys without a second person. */
  public readonly unreviewed: boolean;

  constructor(scope: Construct, id: string, props: DeployEnvironmentProps) {
    super(scope, id);
    const users = props.reviewerUsers ?? [];
    const teams = props.reviewerTeams ?? [];
    validate(props, users, teams);
    this.unreviewed = users.length + teams.length === 0;
    const userIds = users.map((login) =>
      Token.asNumber(Fn.tonumber(new DataGithubUser(this, `User${pascal(login)}`, { provider: props.provider, username: login }).id)),
    );
    const teamIds = teams.map((slug) =>
      Token.asNumber(Fn.tonumber(new DataGithubTeam(this, `Team${pascal(slug)}`, { provider: props.provider, slug }).id)),
    );
    this.environment = new RepositoryEnvironment(this, "Environment", {
      provider: props.provider,
      repository: props.repository,
      environment: props.name,
      preventSelfReview: true,
      // Admins follow the same reviewers and branch policy: a repository admin cannot skip them.
      canAdminsBypass: false,
      reviewers: this.unreviewed ? undefined : [{ users: userIds.length > 0 ? userIds : undefined, teams: teamIds.length > 0 ? teamIds : undefined }],
      // Custom policies (below), not "protected branches": any protected branch would otherwise be admitted.
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    this.branchPolicy = new RepositoryEnvironmentDeploymentPolicy(this, "BranchPolicy", {
      provider: props.provider,
      repository: props.repository,
      environment: this.environment.environment,
      branchPattern: props.branch,
    });
  }
}

function validate(props: DeployEnvironmentProps, users: readonly string[], teams: readonly string[]): void {
  if (users.length + teams.length > MAX_ENVIRONMENT_REVIEWERS) {
    throw new Error(
      `DeployEnvironment ${props.name}: GitHub allows at most ${MAX_ENVIRONMENT_REVIEWERS} required reviewers (got ${users.length} users and ${teams.length} teams)`,
    );
  }
  // The branch policy is a pattern (fnmatch): a branch name holding pattern characters would admit other branches.
  if (/[*?[\]]/.test(props.branch)) {
    throw new Error(`DeployEnvironment ${props.name}: branch must be one exact branch name, no wildcards (got "${props.branch}")`);
  }
}

/** `octo-cat` -> `OctoCat`: stable construct ids per reviewer. */
function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]/)
    .filter((part) => part !== "")
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join("");
}
