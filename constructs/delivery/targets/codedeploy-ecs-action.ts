import { CodepipelineStageAction } from "@cdktf/provider-aws/lib/codepipeline";
import { BlueGreenService } from "../../runtime/blue-green-service";
import { appSpecFileName, IMAGE_PLACEHOLDER, taskDefinitionFileName } from "../build/deploy-artifacts";
import { DeployBinding, joinPath } from "../pipeline-seam";
import { registerTaskDefinitionStatements } from "../../runtime/task-definition-grants";

/** CodeDeployToECS on the deployment group: start a deployment and follow it. */
export const PIPELINE_DEPLOYMENT_GROUP_ACTIONS = ["codedeploy:CreateDeployment", "codedeploy:GetDeployment"] as const;
/** CodeDeployToECS on the application: register the appspec revision it built. */
export const PIPELINE_APPLICATION_ACTIONS = [
  "codedeploy:GetApplication",
  "codedeploy:GetApplicationRevision",
  "codedeploy:RegisterApplicationRevision",
] as const;
/** CodeDeployToECS reads the deployment configuration the group uses. */
export const PIPELINE_DEPLOYMENT_CONFIG_ACTIONS = ["codedeploy:GetDeploymentConfig"] as const;

/** The CodeDeploy side of one environment, as the action needs it. */
export interface CodeDeployToEcsTarget {
  readonly applicationName: string;
  readonly applicationArn: string;
  readonly deploymentGroupName: string;
  readonly deploymentGroupArn: string;
  readonly deploymentConfigArn: string;
  readonly service: BlueGreenService;
}

/**
 * The CodeDeployToECS action of one environment (blue/green through CodeDeploy): it renders the task
 * definition template with the image, registers it, fills the appspec's <TASK_DEFINITION> and starts a
 * deployment of the group. Grants the pipeline role exactly what the action calls.
 */
export function codeDeployToEcsAction(target: CodeDeployToEcsTarget, binding: DeployBinding): CodepipelineStageAction {
  binding.grant(
    { sid: "CodeDeployDeploymentGroups", actions: [...PIPELINE_DEPLOYMENT_GROUP_ACTIONS], resources: [target.deploymentGroupArn] },
    { sid: "CodeDeployApplications", actions: [...PIPELINE_APPLICATION_ACTIONS], resources: [target.applicationArn] },
    { sid: "CodeDeployDeploymentConfigs", actions: [...PIPELINE_DEPLOYMENT_CONFIG_ACTIONS], resources: [target.deploymentConfigArn] },
    ...registerTaskDefinitionStatements(target.service, binding.environmentName),
  );
  const templates = binding.deployFiles.artifact;
  return {
    name: "BlueGreen",
    category: "Deploy",
    owner: "AWS",
    provider: "CodeDeployToECS",
    version: "1",
    inputArtifacts: [...new Set([templates, binding.image])],
    configuration: {
      ApplicationName: target.applicationName,
      DeploymentGroupName: target.deploymentGroupName,
      TaskDefinitionTemplateArtifact: templates,
      TaskDefinitionTemplatePath: joinPath(binding.deployFiles.directory, taskDefinitionFileName(binding.environmentName)),
      AppSpecTemplateArtifact: templates,
      AppSpecTemplatePath: joinPath(binding.deployFiles.directory, appSpecFileName(binding.environmentName)),
      // The artifact whose imageDetail.json (IMAGE_DETAIL_FILE) names the image; it replaces <IMAGE1_NAME> in the template.
      Image1ArtifactName: binding.image,
      Image1ContainerName: IMAGE_PLACEHOLDER,
    },
  };
}
