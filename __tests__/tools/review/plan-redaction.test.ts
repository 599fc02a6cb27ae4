/**
 * The planner keeps no value of Terraform's JSON plan: `terraform show -json` prints sensitive values in plain text
 * (state attributes, a webhook secret), and the plans are an artifact every repository reader can download. The
 * filter in plan-stacks.sh is run here with jq on a plan holding a secret.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { changedAttributes, PlanJson } from "../../../tools/review/plan-comment";

const script = readFileSync(join(__dirname, "..", "..", "..", "tools", "review", "plan-stacks.sh"), "utf8");
const filter = (/^redact='([^']*)'$/m.exec(script) ?? [])[1];
const SECRET = "s3cr3t-hmac-value";
const plan = {
  format_version: "1.2",
  variables: { token: { value: SECRET } },
  prior_state: { values: { root_module: { resources: [{ values: { secret: SECRET } }] } } },
  planned_values: { root_module: { resources: [{ values: { secret: SECRET } }] } },
  configuration: { provider_config: { github: { expressions: { token: { constant_value: SECRET } } } } },
  resource_changes: [
    {
      address: "github_repository_webhook.hook",
      mode: "managed",
      type: "github_repository_webhook",
      change: {
        actions: ["update"],
        before: { configuration: [{ secret: SECRET, url: "https://a" }], active: true },
        after: { configuration: [{ secret: `${SECRET}2`, url: "https://a" }], active: true },
        after_sensitive: { configuration: [{ secret: true }] },
        replace_paths: [],
      },
    },
    { address: "aws_sns_topic.t", mode: "managed", type: "aws_sns_topic", change: { actions: ["create"], before: null, after: { name: "t" } } },
  ],
  resource_drift: [{ address: "aws_ssm_parameter.p", mode: "managed", type: "aws_ssm_parameter", change: { actions: ["update"], before: { value: SECRET }, after: { value: "x" } } }],
  output_changes: { secret: { actions: ["no-op"], before: SECRET, after: SECRET, sensitive: true } },
};

const redacted = execFileSync("jq", ["-c", filter], { input: JSON.stringify(plan) }).toString();

describe("plan-stacks.sh's redaction of terraform show -json", () => {
  test("is found in the script", () => {
    expect(filter).toBeDefined();
  });

  test("leaves no value of the plan, only addresses, actions and the names of changed attributes", () => {
    expect(redacted).not.toContain(SECRET);
    expect(JSON.parse(redacted)).toEqual({
      resource_changes: [
        {
          address: "github_repository_webhook.hook",
          mode: "managed",
          type: "github_repository_webhook",
          action_reason: null,
          change: { actions: ["update"], replace_paths: [], changed_attributes: ["configuration"] },
        },
        { address: "aws_sns_topic.t", mode: "managed", type: "aws_sns_topic", action_reason: null, change: { actions: ["create"], replace_paths: null, changed_attributes: ["name"] } },
      ],
      resource_drift: [{ address: "aws_ssm_parameter.p", mode: "managed", type: "aws_ssm_parameter", change: { actions: ["update"] } }],
      output_changes: { secret: { actions: ["no-op"] } },
    });
  });

  test("the comment reads the changed attributes from the redacted plan", () => {
    const [change] = (JSON.parse(redacted) as PlanJson).resource_changes ?? [];
    expect(changedAttributes(change)).toEqual(["configuration"]);
  });
});
