import { DeployConfig } from "../config";
import { ActionsVariables } from "../constructs/github/actions-variables";
import { DeployBranchProtection } from "../constructs/github/branch-protection";

/** What a GitHub stack created that may already exist in GitHub. */
export interface AdoptableSettings {
  readonly appProtection?: DeployBranchProtection;
  readonly infraProtection?: DeployBranchProtection;
  readonly variables?: ActionsVariables;
}

/** `owner/name` of the stack's application and infrastructure repositories. */
export interface AdoptableRepositories {
  readonly application: string;
  readonly infrastructure: string;
}

/**
 * `github.importExisting`: Terraform `import` blocks (cdktf `importFrom`) for the branch protection rules and Actions
 * variables that exist already, so the first deploy adopts them instead of failing ("Name already protected", 409 on a
 * variable). Import IDs are the GitHub provider's (6.9.0 docs, "Import"): `<repository>:<pattern>` for
 * github_branch_protection and `<repository>:<variable_name>` for github_actions_variable, the repository by name under
 * the provider's owner. An import block of a resource already in state is a no-op, so the entries may stay in the config.
 */
export function importExistingSettings(config: DeployConfig, settings: AdoptableSettings, repositories: AdoptableRepositories): void {
  const adopt = config.github.importExisting;
  const protections = [
    { protection: settings.appProtection, repository: repositories.application },
    { protection: settings.infraProtection, repository: repositories.infrastructure },
  ];
  for (const { protection, repository } of protections) {
    if (!protection || !adopt.branchProtection.includes(repository)) continue;
    const rule = protection.protection;
    rule.importFrom(`${repository.split("/")[1]}:${rule.patternInput}`, rule.provider);
  }
  // The *Input getters hold what the stack set; the plain getters are references to Terraform attributes.
  for (const variable of settings.variables?.variables ?? []) {
    const name = variable.variableNameInput;
    if (name !== undefined && (adopt.variables as readonly string[]).includes(name)) {
      variable.importFrom(`${variable.repositoryInput}:${name}`, variable.provider);
    }
  }
}
