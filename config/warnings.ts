import { legacyDeployWarning } from "./deploy-rules";
import { DeployConfig } from "./schema";

/**
 * Valid settings that weaken a safeguard: synth prints each as `warning: <key>: <why>` after the config line, so a
 * choice made for a solo evaluation is never carried into a team's setup unnoticed. Deprecated keys that still load
 * get one line per environment saying what to write instead.
 */
export function configWarnings(config: DeployConfig): string[] {
  const warnings: string[] = [];
  if (config.github.requiredApprovals === 0) {
    warnings.push(
      `warning: github.requiredApprovals is 0: pull requests to ${config.github.branch} merge without any review, so whoever can ` +
        `open a pull request deploys; fine for a solo evaluation, set 1 or more for a team`,
    );
  }
  config.environments.forEach((environment, index) => {
    const deprecated = legacyDeployWarning(environment, index);
    if (deprecated !== undefined) warnings.push(deprecated);
  });
  return warnings;
}
