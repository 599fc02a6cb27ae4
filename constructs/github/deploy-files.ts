import { RepositoryFile } from "@cdktf/provider-github/lib/repository-file";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { DeployFile } from "../pipeline-action";

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

  constructor(scope: Construct, id: string, props: DeployFilesProps) {
    super(scope, id);
    for (const target of props.targets) {
      const prefix = pascal(target.environmentName);
      for (const file of target.files) this.files.push(this.file(`${prefix}${file.id}`, props, file.path, file.render()));
    }
  }

  private file(id: string, props: DeployFilesProps, path: string, content: string): RepositoryFile {
    return new RepositoryFile(this, id, {
      provider: props.provider,
      repository: props.repository,
      branch: props.branch,
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
