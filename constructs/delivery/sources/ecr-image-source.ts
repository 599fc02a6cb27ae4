import { ContainerRepository } from "../build/container-repository";
import { assertTagCanBeOverwritten, EcrPushTrigger } from "./ecr-push-trigger";
import { ARTIFACTS, CreatedPipeline, IPipelineSource, PipelineBinding, SourceActionConfig, SourceOutputs } from "../pipeline-seam";

/** Name of the ECR source action. */
export const ECR_SOURCE_ACTION = "EcrImage";
/** The ECR source action reads the image behind the watched tag. */
export const PIPELINE_ECR_SOURCE_ACTIONS = ["ecr:DescribeImages"] as const;

export interface EcrImageSourceProps {
  /** The repository any CI pushes to. */
  readonly repository: ContainerRepository;
  /** The watched tag; its successful push starts the pipeline. */
  readonly imageTag: string;
}

/**
 * `imageSource: ecr`: the image is pushed by any CI with a fixed tag; the ECR source action outputs its
 * imageDetail.json, and an EventBridge rule on the push starts the pipeline (AWS's tutorial shape).
 */
export class EcrImageSource implements IPipelineSource {
  public readonly outputs: SourceOutputs = { image: ARTIFACTS.image };
  /** The EventBridge rule that starts the pipeline (once bound). */
  public trigger?: EcrPushTrigger;

  constructor(private readonly props: EcrImageSourceProps) {
    assertTagCanBeOverwritten(props.repository, props.imageTag);
  }

  public bind(pipeline: PipelineBinding): SourceActionConfig {
    const { repository, imageTag } = this.props;
    pipeline.grant({ sid: "ReadEcrSourceImage", actions: [...PIPELINE_ECR_SOURCE_ACTIONS], resources: [repository.arn] });
    return {
      action: {
        name: ECR_SOURCE_ACTION,
        category: "Source",
        owner: "AWS",
        provider: "ECR",
        version: "1",
        outputArtifacts: [ARTIFACTS.image],
        configuration: { RepositoryName: repository.repositoryName, ImageTag: imageTag },
      },
    };
  }

  public onPipelineCreated(pipeline: CreatedPipeline): void {
    this.trigger = new EcrPushTrigger(pipeline.scope, "EcrTrigger", {
      name: pipeline.namePrefix,
      repository: this.props.repository,
      imageTag: this.props.imageTag,
      pipelineArn: pipeline.arn,
    });
  }
}
