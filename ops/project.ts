/**
 * What the operations commands act on: per service (one, or each fleet service) the pipeline, the ECR repository
 * and the environments in release order, each with its deploy strategy. Read from the stack descriptors the
 * constructs write at synth (`cdktf.out/stacks/<stack>/bluegreen.json`, synthesized/descriptor.ts), never
 * from the Terraform JSON: the strategy describes itself, the tools do not reverse-engineer its resources.
 */
import { EnvironmentDescriptor, StackDescriptor } from "../synthesized/descriptor";
import { readDescriptors, SynthesizedOutputError } from "../synthesized/read-descriptors";
import { ExitCode, OpsError } from "./errors";

/** One environment as its stack describes it; `strategy.kind` says who deploys it (CodeDeploy or ECS). */
export type EnvironmentTarget = EnvironmentDescriptor;

export interface ServiceTarget {
  /** The AWS stack id (`<project>` or `<project>-<service>`). */
  readonly stackId: string;
  /** Fleet service name; undefined in single-service mode. */
  readonly service?: string;
  readonly region: string;
  readonly pipelineName: string;
  readonly repositoryName: string;
  /** imageSource ecr: the tag whose push starts the pipeline. */
  readonly watchedImageTag?: string;
  /** In release order (the pipeline's). */
  readonly environments: readonly EnvironmentTarget[];
}

export interface ProjectTargets {
  readonly project: string;
  readonly region: string;
  readonly services: readonly ServiceTarget[];
  /** Names of the GitHub OIDC plan and deploy roles, for access-denied advice. */
  readonly planRole: string;
  readonly deployRole: string;
}

/** Reads every service's targets from the descriptors in `outdir`; `services` lists fleet service names (empty in single-service mode). */
export function readProject(outdir: string, project: string, services: readonly string[]): ProjectTargets {
  const descriptors = readOrFail(outdir);
  const ids = services.length > 0 ? services.map((name) => `${project}-${name}`) : [project];
  const targets = ids.map((id) => {
    const descriptor = descriptors.find((d) => d.stackId === id);
    if (!descriptor) throw new OpsError(ExitCode.Usage, `the synthesized stacks have no descriptor of stack "${id}" (run \`npm run synth\` with this config)`);
    return serviceTarget(descriptor);
  });
  const first = descriptors.find((d) => d.stackId === ids[0]) as StackDescriptor;
  return { project, region: targets[0].region, services: targets, planRole: first.planRoleName, deployRole: first.deployRoleName };
}

function readOrFail(outdir: string): StackDescriptor[] {
  try {
    return readDescriptors(outdir);
  } catch (error) {
    if (error instanceof SynthesizedOutputError) throw new OpsError(ExitCode.Usage, error.message);
    throw error;
  }
}

function serviceTarget(descriptor: StackDescriptor): ServiceTarget {
  return {
    stackId: descriptor.stackId,
    service: descriptor.service,
    region: descriptor.region,
    pipelineName: descriptor.pipeline.name,
    repositoryName: descriptor.repositoryName,
    watchedImageTag: descriptor.pipeline.watchedImageTag,
    environments: inReleaseOrder(descriptor),
  };
}

/** Environments in the order the pipeline deploys them (descriptor order for any the pipeline does not name). */
function inReleaseOrder(descriptor: StackDescriptor): EnvironmentTarget[] {
  const stages = descriptor.pipeline.stages.map((stage) => stage.name);
  const rank = (env: EnvironmentTarget) => {
    const i = stages.indexOf(env.deployStage);
    return i < 0 ? stages.length : i;
  };
  return [...descriptor.environments].sort((a, b) => rank(a) - rank(b));
}
