import { RepositoryFile } from "@cdktf/provider-github/lib/repository-file";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { BlueGreenDeployment } from "../blue-green-deployment";
import { appSpecFileName, renderAppSpecYaml, renderTaskDefinitionTemplate, taskDefinitionFileName } from "../deploy-artifacts";

/** One environment's files. */
export interface DeployFileTarget {
  readonly environmentName: string;
  /** The environment's deployment (AWS stack): its service's task definition and hooks are rendered. */
  readonly deployment: BlueGreenDeployment;
  /** @default `deploy/taskdef-<env>.json` (DeliveryPipeline.deployFiles has the path the pipeline reads) */
  readonly taskDefinitionPath?: string;
  /** @default `deploy/appspec-<env>.yaml` */
  readonly appSpecPath?: string;
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
 * `imageSource: ecr`: the pipeline's GitHub source carries `taskdef-<env>.json` and `appspec-<env>.yaml`,
 * and nobody should hand-edit role ARNs in them. This commits both files to the application repository,
 * rendered from the AWS stack's task definition (cross-stack references), so IaC owns them and a
 * Terraform change to the task definition shows up as a diff of these files in the plan.
 */
export class DeployFiles extends Construct {
  public readonly files: RepositoryFile[] = [];

  constructor(scope: Construct, id: string, props: DeployFilesProps) {
    super(scope, id);
    for (const target of props.targets) {
      const taskDefinitionPath = target.taskDefinitionPath ?? `deploy/${taskDefinitionFileName(target.environmentName)}`;
      const appSpecPath = target.appSpecPath ?? `deploy/${appSpecFileName(target.environmentName)}`;
      const service = target.deployment.service;
      const hook = target.deployment.smokeTestHook;
      const prefix = pascal(target.environmentName);
      this.files.push(
        this.file(`${prefix}TaskDefinition`, props, taskDefinitionPath, `${JSON.stringify(renderTaskDefinitionTemplate(service), null, 2)}\n`),
        this.file(
          `${prefix}AppSpec`,
          props,
          appSpecPath,
          renderAppSpecYaml({
            containerName: service.containerName,
            containerPort: service.containerPort,
            hooks: hook ? [{ lifecycleEvent: hook.lifecycleEvent, functionName: hook.functionName }] : [],
          }),
        ),
      );
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
