import { Branch } from "@cdktf/provider-github/lib/branch";
import { RepositoryFile } from "@cdktf/provider-github/lib/repository-file";
import { RepositoryPullRequest } from "@cdktf/provider-github/lib/repository-pull-request";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { DeployFile } from "../delivery/pipeline-seam";

/** One environment's files. */
export interface DeployFileTarget {
  readonly environmentName: string;
  /**
   * The files and their paths in the repository, rendered from the environment's deployment in the AWS stack
   * (`DeliveryPipeline.deployFiles`: the paths are the ones the pipeline reads).
   */
  readonly files: readonly (DeployFile & { readonly path: string })[];
}

export interface DeployFilesProps {
  /** Application repository name (without owner). */
  readonly repository: string;
  /** The branch the pipeline's GitHub source reads. */
  readonly branch: string;
  /**
   * Commit to a side branch (`<branch>-deploy-files`) and open a pull request into `branch`, instead of
   * committing to `branch` itself: the deploy branch's protection then binds admins too, and a change of
   * the task definition reaches the pipeline only through a reviewed merge.
   * @default true
   */
  readonly viaPullRequest?: boolean;
  readonly targets: readonly DeployFileTarget[];
  /** @default - the stack's default GitHub provider */
  readonly provider?: TerraformProvider;
}

/**
 * `imageSource: ecr`: the pipeline's GitHub source carries each environment's deploy files (for CodeDeploy
 * `taskdef-<env>.json` and `appspec-<env>.yaml`), and nobody should hand-edit role ARNs in them. This
 * commits them to the application repository, rendered from the AWS stack's task definition (cross-stack
 * references), so IaC owns them and a Terraform change to the task definition shows up as a diff of these
 * files in the plan.
 */
export class DeployFiles extends Construct {
  public readonly files: RepositoryFile[] = [];
  /** With `viaPullRequest`: the side branch the files are committed to, and the pull request into the deploy branch. */
  public readonly sideBranch?: Branch;
  public readonly pullRequest?: RepositoryPullRequest;
  /** The branch the files are committed to. */
  private readonly commitBranch: string;

  constructor(scope: Construct, id: string, props: DeployFilesProps) {
    super(scope, id);
    if (props.viaPullRequest ?? true) {
      this.sideBranch = new Branch(this, "SideBranch", {
        provider: props.provider,
        repository: props.repository,
        branch: `${props.branch}-deploy-files`,
        sourceBranch: props.branch,
      });
    }
    this.commitBranch = this.sideBranch?.branch ?? props.branch;
    for (const target of props.targets) {
      const prefix = pascal(target.environmentName);
      for (const file of target.files) this.files.push(this.file(`${prefix}${file.id}`, props, file.path, file.render()));
    }
    if (this.sideBranch) {
      this.pullRequest = new RepositoryPullRequest(this, "PullRequest", {
        provider: props.provider,
        baseRepository: props.repository,
        baseRef: props.branch,
        headRef: this.sideBranch.branch,
        title: `Update the deploy files (managed by the GitHub stack)`,
        body: "taskdef/appspec rendered from the AWS stack's task definition. Review and merge: the pipeline reads them from the deploy branch.",
        maintainerCanModify: false,
        dependsOn: this.files,
      });
    }
  }

  private file(id: string, props: DeployFilesProps, path: string, content: string): RepositoryFile {
    return new RepositoryFile(this, id, {
      provider: props.provider,
      repository: props.repository,
      branch: this.commitBranch,
      file: path,
      content,
      commitMessage: `Update ${path} (managed by the GitHub stack; do not edit by hand)`,
      // The files are IaC-owned: take over a hand-written copy instead of failing on the first apply.
      overwriteOnCreate: true,
    });
  }
}

function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]/)
    .filter((p) => p !== "")
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join("");
}
