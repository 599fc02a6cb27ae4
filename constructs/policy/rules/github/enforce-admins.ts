import { Rule } from "../../types";
import { isTrue, violation } from "../../values";

export const githubEnforceAdmins: Rule = {
  id: "BG-GH-001",
  area: "github",
  title: "Branch protection binds administrators",
  check: "Every github_branch_protection (and _v3) has enforce_admins = true.",
  rationale: "Without it an admin, or any admin token a workflow holds, merges or pushes past the reviews straight to the branch the deploy environment admits.",
  source: "https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-protected-branches/about-protected-branches#do-not-allow-bypassing-the-above-settings",
  fix: "Set enforce_admins = true; IaC-owned files go through a pull request (DeployFiles viaPullRequest) instead of a direct push.",
  evaluate: (ctx) =>
    ["github_branch_protection", "github_branch_protection_v3"].flatMap((type) =>
      ctx
        .resources(type)
        .filter((protection) => !isTrue(protection.body.enforce_admins))
        .map((protection) => violation(protection, "does not set enforce_admins = true")),
    ),
};
