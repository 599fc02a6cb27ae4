import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DeployConfig } from "../config";
import { projectPath } from "../config/paths";
import { StateBucket, StateReaders } from "../constructs/state/state-bucket";
import { markAppliedByAdministrator } from "./admin-applied";
import { configureBackend, stateRegion } from "./backend";

/** The bootstrap stack's id (and its local state file `terraform.bootstrap.tfstate`). */
export const BOOTSTRAP_STACK_ID = "bootstrap";

/** The bootstrap stack (the state bucket) only exists for the S3 backend: HCP Terraform stores state itself. */
export function needsBootstrap(config: DeployConfig): boolean {
  return config.state.backend === "s3";
}

/**
 * Who may read state: the workflows' plan and deploy roles (named `<project>-github-plan` and
 * `<project>-github-deploy` by the access layer) and `state.adminRoleArns`.
 */
export function stateReaders(config: DeployConfig): StateReaders {
  if (config.state.backend !== "s3") {
    throw new Error(`stateReaders: state.backend is "${config.state.backend}"; only the s3 backend has a state bucket`);
  }
  return {
    roleNames: [`${config.project}-github-plan`, `${config.project}-github-deploy`],
    adminRoleArns: config.state.adminRoleArns,
    projectRolePrefix: `${config.project}-`,
  };
}

export interface BootstrapStackProps {
  /** The validated config; `state.backend` must be `s3`. */
  readonly config: DeployConfig;
}

/**
 * Creates the state bucket every other stack keeps its state in. It cannot keep its own state
 * there before the bucket exists, so it starts on a local backend (`terraform.bootstrap.tfstate`
 * in the project root); after `state.bootstrapStateInBucket: true` it moves into the bucket too
 * (`terraform init -migrate-state`, see docs/operations.md).
 */
export class BootstrapStack extends TerraformStack {
  public readonly stateBucket: StateBucket;

  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id);
    const { config } = props;
    markAppliedByAdministrator(this);
    if (config.state.backend !== "s3") {
      throw new Error(`BootstrapStack: state.backend is "${config.state.backend}"; only the s3 backend needs a state bucket`);
    }
    new AwsProvider(this, "aws", {
      region: stateRegion(config),
      defaultTags: [{ tags: { ...config.tags, project: config.project } }],
    });
    if (config.state.bootstrapStateInBucket) {
      configureBackend(this, config, id);
    } else {
      // Explicit (cdktf's default is the same file): state lives next to cdktf.json, outside cdktf.out,
      // so a clean synth never deletes it. Keep it safe (commit it or copy it off the laptop).
      // Next to cdktf.json whatever folder synth runs from, so there is only ever one bootstrap state file.
      new LocalBackend(this, { path: projectPath(`terraform.${id}.tfstate`) });
    }
    this.stateBucket = new StateBucket(this, "StateBucket", { bucketName: config.state.bucket, readers: stateReaders(config) });
    new TerraformOutput(this, "StateBucketName", { value: this.stateBucket.bucketName });
    new TerraformOutput(this, "StateKmsKeyArn", {
      value: this.stateBucket.kmsKeyArn,
      description: "Set state.kmsKeyArn to this value: the S3 backend then names the key by ARN instead of by alias.",
    });
  }
}
