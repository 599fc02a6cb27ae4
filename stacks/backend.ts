import { CloudBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from "cdktf";
import { DeployConfig } from "../config";
import { stateKeyAlias } from "../constructs/state/state-bucket";

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
 * The S3 backend's `kms_key_id`: `state.kmsKeyArn` when set, else the state key's alias name
 * (`alias/tfstate/<bucket>`, known before the key exists). Terraform 1.11 accepts a key id, key ARN,
 * alias name or alias ARN (validate.go, validateKMSKey); KMS resolves an alias name in the caller's
 * account, which is the bucket's: the bucket policy lets no other account in.
 */
export function stateKmsKeyId(config: DeployConfig): string {
  if (config.state.backend !== "s3") {
    throw new Error(`stateKmsKeyId: state.backend is "${config.state.backend}", not "s3"`);
  }
  return config.state.kmsKeyArn ?? stateKeyAlias(config.state.bucket);
}

/**
 * Points a stack at the configured state: the S3 backend (SSE-KMS with the state key, native S3 locking,
 * a key per stack) or HCP Terraform (a named workspace per stack). Cross-stack references follow the backend:
 * cdktf reads another stack's outputs through a `terraform_remote_state` of the same kind.
 */
export function configureBackend(stack: TerraformStack, config: DeployConfig, stackId: string): void {
  const state = config.state;
  if (state.backend === "s3") {
    new S3Backend(stack, {
      bucket: state.bucket,
      key: stateObjectKey(state.keyPrefix, stackId),
      region: stateRegion(config),
      // Terraform 1.11's S3 backend (internal/backend/remote-state/s3/client.go, Put and the lock-file
      // upload) sends `ServerSideEncryption: aws:kms` + `SSEKMSKeyId` only when kms_key_id is set; with
      // encrypt = true alone it sends `AES256`, which overrides the bucket's default KMS key. So both are set,
      // and the state bucket's policy refuses any other encryption (constructs/state/state-bucket.ts).
      encrypt: true,
      kmsKeyId: stateKmsKeyId(config),
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

