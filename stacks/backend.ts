import { CloudBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from "cdktf";
import { DeployConfig } from "../config";

/**
 * The state object key of a stack in the S3 backend: one key per stack under `state.keyPrefix`
 * (an empty prefix puts the keys at the bucket root).
 */
export function stateObjectKey(keyPrefix: string, stackId: string): string {
  const prefix = keyPrefix.replace(/^\/+|\/+$/g, "");
  return prefix === "" ? `${stackId}.tfstate` : `${prefix}/${stackId}.tfstate`;
}

/** The HCP Terraform workspace of a stack: `workspacePrefix` (default `<project>-`) followed by the stack id. */
export function workspaceName(config: DeployConfig, stackId: string): string {
  if (config.state.backend !== "cloud") {
    throw new Error(`workspaceName: state.backend is "${config.state.backend}", not "cloud"`);
  }
  return `${config.state.workspacePrefix ?? `${config.project}-`}${stackId}`;
}

/** The region of the state bucket: `state.region`, else the top-level region. */
export function stateRegion(config: DeployConfig): string {
  return config.state.backend === "s3" ? (config.state.region ?? config.region) : config.region;
}

/**
 * Points a stack at the configured state: the S3 backend (encrypted, native S3 locking, a key per
 * stack) or HCP Terraform (a named workspace per stack). Cross-stack references follow the backend:
 * cdktf reads another stack's outputs through a `terraform_remote_state` of the same kind.
 */
export function configureBackend(stack: TerraformStack, config: DeployConfig, stackId: string): void {
  const state = config.state;
  if (state.backend === "s3") {
    new S3Backend(stack, {
      bucket: state.bucket,
      key: stateObjectKey(state.keyPrefix, stackId),
      region: stateRegion(config),
      // SSE with the bucket's default KMS key; `encrypt` also makes Terraform refuse to write state unencrypted.
      encrypt: true,
    });
    // cdktf 0.21's S3Backend has no `useLockfile` (it predates Terraform 1.10's native S3 locking).
    // The lock file (`<key>.tflock`, written with a conditional PUT) replaces DynamoDB locking,
    // which Terraform deprecated; so no lock table exists anywhere in this project.
    stack.addOverride("terraform.backend.s3.use_lockfile", true);
    return;
  }
  new CloudBackend(stack, {
    organization: state.organization,
    hostname: state.hostname,
    workspaces: new NamedCloudWorkspace(workspaceName(config, stackId)),
  });
}

