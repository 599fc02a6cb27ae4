import { App } from "cdktf";
import { DeployConfig, FleetConfig, serviceConfig, servicePrefix } from "../config";
import { AwsDeliveryStack } from "./aws-stack";
import { infrastructureRepository, listenerRoute } from "./config-props";
import { ApplicationGithubStack } from "./application-github-stack";
import { InfrastructureGithubStack } from "./infrastructure-github-stack";
import { ServiceStack } from "./service-stack";
import { GithubStackProps, githubStackId } from "./github-stack";
import { PlatformStack, platformStackId } from "./platform-stack";

/** One fleet service's stacks. */
export interface ServiceStacks {
  /** The service's name (`services[].name`). */
  readonly name: string;
  /** `<project>-<service>`: its repository, CodeDeploy application, per-environment runtime and pipeline. */
  readonly aws: ServiceStack;
  /** `<project>-<service>-github`, only when the service needs repository settings (branch protection, deploy files, webhook). */
  readonly github?: ApplicationGithubStack;
}

/** The stacks of a fleet, besides the bootstrap stack. */
export interface FleetStacks {
  readonly platform: PlatformStack;
  /** `<project>-github`: the infrastructure repository's protection and Actions variables. */
  readonly github: InfrastructureGithubStack;
  readonly services: readonly ServiceStacks[];
}

/**
 * Fleet mode: `<project>-platform` (networks, clusters, connection), `<project>-github`
 * (the infrastructure repository), and per service `<project>-<service>` on AWS plus, when it needs
 * one, `<project>-<service>-github`. Every stack has its own state key (or workspace), so each service
 * plans and applies on its own; shared values travel as cross-stack references.
 */
export function buildFleet(app: App, config: FleetConfig, deployConfigPath?: string): FleetStacks {
  const platform = new PlatformStack(app, platformStackId(config), { config });
  const infrastructure = infrastructureRepository(config);
  // One branch protection per repository branch: the first stack that needs it owns it.
  const protectedBranches = new Set([`${infrastructure.owner}/${infrastructure.name}@${config.github.branch}`]);
  const services = config.services.map((entry): ServiceStacks => {
    const view = serviceConfig(config, entry);
    const id = servicePrefix(config, entry);
    const aws = new ServiceStack(app, id, { config: view, platform, route: listenerRoute(entry) });
    const branch = `${view.github.owner}/${view.github.repository}@${view.github.branch}`;
    const applicationProtection = !protectedBranches.has(branch);
    protectedBranches.add(branch);
    const delivery = githubDelivery(aws, view);
    if (!applicationProtection && !delivery.deployFiles && !delivery.webhook) return { name: entry.name, aws };
    const github = new ApplicationGithubStack(app, `${id}-github`, {
      config: view,
      protectBranch: applicationProtection,
      deployFiles: delivery.deployFiles,
      webhook: delivery.webhook,
    });
    return { name: entry.name, aws, github };
  });
  const github = new InfrastructureGithubStack(app, githubStackId(config), { config, oidc: platform.workflowRoles, deployConfigPath });
  return { platform, github, services };
}

/** What an AWS stack's pipeline needs in its application repository: the deploy files (ecr mode) and the webhook (webhook mode). */
export function githubDelivery(aws: AwsDeliveryStack, config: DeployConfig): Pick<GithubStackProps, "deployFiles" | "webhook"> {
  return {
    deployFiles: config.pipeline.imageSource === "ecr" ? aws.delivery.deployFiles : undefined,
    webhook: aws.webhookSecret && aws.webhookUrl ? { url: aws.webhookUrl, secret: aws.webhookSecret } : undefined,
  };
}
