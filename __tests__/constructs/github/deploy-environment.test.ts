import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { DeployEnvironment, DeployEnvironmentProps } from "../../../constructs/github/deploy-environment";

function build(props: Partial<DeployEnvironmentProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "github");
  new GithubProvider(stack, "github", { owner: "acme" });
  return new DeployEnvironment(stack, "DeployEnvironment", { repository: "infra", name: "production", branch: "main", ...props });
}

describe("DeployEnvironment", () => {
  test("is unreviewed without reviewers, reviewed with one", () => {
    expect(build().unreviewed).toBe(true);
    expect(build({ reviewerTeams: ["platform"] }).unreviewed).toBe(false);
  });

  test("fails with more than six reviewers", () => {
    expect(() => build({ reviewerUsers: ["a", "b", "c", "d"], reviewerTeams: ["e", "f", "g"] })).toThrow(
      "DeployEnvironment production: GitHub allows at most 6 required reviewers (got 4 users and 3 teams)",
    );
  });

  test("fails when the branch is a pattern (the branch policy would admit other branches)", () => {
    expect(() => build({ branch: "release/*" })).toThrow('DeployEnvironment production: branch must be one exact branch name, no wildcards (got "release/*")');
  });
});
