import { validateConfig } from "../../config";
import { onlyProblem, validInput, withValue } from "../helpers/config";

const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

describe("config: identity keys (github.deployEnvironment, github.oidcProviderArn; state.kmsKeyArn is tested with the state keys)", () => {
  test("defaults the deployment environment to production (the test input is a solo evaluation)", () => {
    expect(validateConfig(validInput(), "test.yaml").github.deployEnvironment).toEqual({ name: "production", reviewers: { users: [], teams: [] }, soloEvaluation: true });
  });

  test("fails without a reviewer unless soloEvaluation is on, naming the key", () => {
    const input = withValue("github.deployEnvironment", { name: "production" });
    expect(() => validateConfig(input, "test.yaml")).toThrow(
      "github.deployEnvironment.reviewers: must name at least one user or team (got none): a reviewer other than the author approves every deploy; set github.deployEnvironment.soloEvaluation: true only for a one-person evaluation",
    );
    expect(validateConfig(withValue("github.deployEnvironment", { reviewers: { users: ["octo-cat"] } }), "test.yaml").github.deployEnvironment.soloEvaluation).toBe(false);
  });

  test("accepts an environment name, reviewers, an existing provider and the state key", () => {
    let input = withValue("github.deployEnvironment", { name: "prod-aws", reviewers: { users: ["octo-cat"], teams: ["platform_team"] } });
    input = withValue("github.oidcProviderArn", PROVIDER, input);
    const config = validateConfig(input, "test.yaml");
    expect(config.github.deployEnvironment).toEqual({ name: "prod-aws", reviewers: { users: ["octo-cat"], teams: ["platform_team"] }, soloEvaluation: false });
    expect(config.github.oidcProviderArn).toBe(PROVIDER);
    expect(validateConfig(withValue("state.kmsKeyArn", KEY), "test.yaml").state).toMatchObject({ kmsKeyArn: KEY });
  });

  test.each([
    ["github.deployEnvironment.name", "prod*", `github.deployEnvironment.name: must be 1-255 letters, digits, '.', '_' or '-' (no spaces or wildcards) (got "prod*")`],
    ["github.deployEnvironment.reviewers.users", ["octo*"], `github.deployEnvironment.reviewers.users[0]: must be a GitHub login: 1-39 letters, digits or single hyphens, no wildcards (got "octo*")`],
    [
      "github.deployEnvironment.reviewers.teams",
      ["acme/*"],
      `github.deployEnvironment.reviewers.teams[0]: must be a team slug of the repository's organization: lowercase letters, digits, '-' or '_', no wildcards (got "acme/*")`,
    ],
    [
      "github.oidcProviderArn",
      "arn:aws:iam::*:oidc-provider/token.actions.githubusercontent.com",
      `github.oidcProviderArn: must be one exact ARN without wildcards, like arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com (got "arn:aws:iam::*:oidc-provider/token.actions.githubusercon...)`,
    ],
    [
      "github.oidcProviderArn",
      "arn:aws-cn:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
      `github.oidcProviderArn: must be in the aws partition (the stacks deploy there only), like arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com (got "arn:aws-cn:iam::123456789012:oidc-provider/token.actions...)`,
    ],
    [
      "github.oidcProviderArn",
      "arn:aws:iam::123456789012:role/admin",
      `github.oidcProviderArn: must be an ARN like arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com (got "arn:aws:iam::123456789012:role/admin")`,
    ],
  ])("refuses %s = %j with one line naming the key and the value", (path, value, message) => {
    expect(onlyProblem(withValue(path, value))).toBe(message);
  });

  test("refuses more than six reviewers in all (GitHub's limit)", () => {
    const reviewers = { users: ["a1", "a2", "a3", "a4"], teams: ["t1", "t2", "t3"] };
    expect(onlyProblem(withValue("github.deployEnvironment.reviewers", reviewers))).toBe(
      `github.deployEnvironment.reviewers: GitHub allows at most 6 required reviewers, users and teams together; 7 are listed (got {"users":["a1","a2","a3","a4"],"teams":["t1","t2","t3"]})`,
    );
  });
});
