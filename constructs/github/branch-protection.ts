import { BranchProtection } from "@cdktf/provider-github/lib/branch-protection";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";

/**
 * The status check the infrastructure pull-request workflow reports: the `name` of the plan job in
 * `.github/workflows/pr.yml` (a test keeps the two equal). GitHub matches required checks by this name.
 */
export const PLAN_STATUS_CHECK = "cdktf plan";

export interface DeployBranchProtectionProps {
  /** Repository name (without owner; the provider's owner applies). */
  readonly repository: string;
  /** The protected branch (exact name). */
  readonly branch: string;
  /** Approving reviews required before merging (0-6; 0 still requires a pull request, for a solo evaluation). */
  readonly requiredApprovals: number;
  /**
   * Status checks that must pass, by name. Only list checks that run in this repository: a required
   * check that never reports blocks every merge.
   * @default - none
   */
  readonly requiredStatusChecks?: readonly string[];
  /** @default - the stack's default GitHub provider */
  readonly provider?: TerraformProvider;
}

/**
 * Protects a deploy branch: changes arrive through reviewed pull requests (stale approvals dismissed,
 * the last push approved by someone else), required checks pass on an up-to-date branch, and the
 * branch can be neither force-pushed nor deleted.
 */
export class DeployBranchProtection extends Construct {
  public readonly protection: BranchProtection;

  constructor(scope: Construct, id: string, props: DeployBranchProtectionProps) {
    super(scope, id);
    const checks = props.requiredStatusChecks ?? [];
    if (!Number.isInteger(props.requiredApprovals) || props.requiredApprovals < 0 || props.requiredApprovals > 6) {
      throw new Error(`DeployBranchProtection ${props.repository}: requiredApprovals must be an integer from 0 to 6 (got ${props.requiredApprovals})`);
    }
    this.protection = new BranchProtection(this, "Protection", {
      provider: props.provider,
      // The provider accepts a repository name (resolved under its owner) or a node id.
      repositoryId: props.repository,
      pattern: props.branch,
      // Always: an admin (or an admin token) skipping reviews would reach the deploy role's environment.
      enforceAdmins: true,
      allowsForcePushes: false,
      allowsDeletions: false,
      requireConversationResolution: true,
      requiredPullRequestReviews: [
        {
          requiredApprovingReviewCount: props.requiredApprovals,
          dismissStaleReviews: true,
          // Whoever pushed last cannot approve their own change. With 0 approvals it would still demand someone else's
          // approval of the last push, so a solo evaluator could never merge.
          requireLastPushApproval: props.requiredApprovals > 0,
        },
      ],
      requiredStatusChecks: checks.length > 0 ? [{ strict: true, contexts: [...checks] }] : undefined,
    });
  }
}
