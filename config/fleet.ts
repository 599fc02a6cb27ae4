import { DeployConfig, FleetServiceConfig } from "./schema";

/** A config in fleet mode: `services` is set. */
export type FleetConfig = DeployConfig & { readonly services: readonly FleetServiceConfig[] };

/** True when the config describes a fleet (`services` set) rather than one service. */
export function isFleet(config: DeployConfig): config is FleetConfig {
  return config.services !== undefined;
}

/**
 * The single-service view of one fleet service, which its stacks are built from: the service's
 * repository and branch, the top-level service/pipeline blocks with its overrides on top, a `service`
 * tag, and the infrastructure repository pinned (it must not follow the service's repository).
 * `project` stays the fleet's: state keys, workspaces and the GitHub OIDC role scopes derive from it.
 */
export function serviceConfig(config: FleetConfig, entry: FleetServiceConfig): DeployConfig {
  const { github } = config;
  return {
    ...config,
    services: undefined,
    tags: { ...config.tags, service: entry.name },
    github: {
      ...github,
      repository: entry.repository,
      branch: entry.branch ?? github.branch,
      infrastructureRepository: github.infrastructureRepository ?? `${github.owner}/${github.repository}`,
    },
    service: { ...config.service, ...entry.service },
    pipeline: { ...config.pipeline, ...entry.pipeline },
  };
}

/** Prefix of a fleet service's resource names and its AWS stack id: `<project>-<service>`. */
export function servicePrefix(config: DeployConfig, entry: FleetServiceConfig): string {
  return `${config.project}-${entry.name}`;
}
