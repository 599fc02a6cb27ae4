import { statementLabel } from "../../iam-statements";
import { Rule } from "../../types";
import { violation } from "../../values";
import { writeActions } from "./access";
import { allowStatements, identityPolicies } from "./policies";

/**
 * Resource types (Service Authorization Reference names) of the services such stacks use: `<type>/*` or
 * `<type>:*` after the account is every resource of that type. A name prefix (`demo/*`) is not on the list.
 */
const RESOURCE_TYPES = [
  "alarm", "alias", "application", "cluster", "connection", "deploymentconfig", "deploymentgroup", "elastic-ip", "function",
  "image", "instance", "internet-gateway", "key", "listener", "listener-rule", "loadbalancer", "log-group", "natgateway",
  "network-interface", "notificationrule", "parameter", "project", "report-group", "repository", "route-table", "rule",
  "secret", "security-group", "security-group-rule", "service", "subnet", "table", "targetgroup", "task", "task-definition",
  "task-set", "volume", "vpc", "webhook",
];
/** `arn:aws:<service>:<region>:<account>:*` (or `...:<type>/*`): every resource of a service, or of a type, in the region. */
const REGION_WIDE = new RegExp(`^arn:aws[a-z-]*:[a-z0-9-]+:[^:]*:[^:]*:(?:\\*|(?:${RESOURCE_TYPES.join("|")})[/:](?:app/|net/)?\\*)$`);

export const iamNoRegionWideWrites: Rule = {
  id: "BG-IAM-015",
  area: "iam",
  title: "No write on every resource of a service in the region",
  check:
    "An Allow of a write action on a region-wide ARN (arn:aws:<service>:<region>:<account>:* or :<type>/*) needs an aws:ResourceTag/<key> or aws:RequestTag/<key> condition (or a scoping condition: iam:PassedToService, iam:AWSServiceName, kms:EncryptionContext:aws:s3:arn).",
  rationale: "A region-wide ARN matches other teams' resources too: lambda:UpdateFunctionCode on their function, kms:PutKeyPolicy on their key.",
  source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html",
  fix: "Grant on the project's name prefix where the ARN carries a name; otherwise condition on the project tag (aws:RequestTag on create, aws:ResourceTag on change).",
  evaluate: (ctx) =>
    identityPolicies(ctx).flatMap((use) =>
      allowStatements(use).flatMap(({ statement, index }) => {
        // An account id token (`${element(split(":", ...), 4)}`) holds colons: read it as one opaque value.
        const wide = statement.resources.filter((resource) => REGION_WIDE.test(resource.replace(/\$\{[^}]*\}/g, "TOKEN")));
        if (wide.length === 0 || writeActions(statement).length === 0) return [];
        const scoped = statement.conditions.some(
          (c) =>
            /^aws:(ResourceTag|RequestTag)\//i.test(c.variable) ||
            /:PassedToService$/i.test(c.variable) ||
            /^iam:AWSServiceName$/i.test(c.variable) ||
            // A key used only for one bucket's objects (the state key through S3).
            /^kms:EncryptionContext:aws:s3:arn$/i.test(c.variable),
        );
        return scoped ? [] : [violation(use.resource, `${statementLabel(statement, index)} writes on ${wide.join(", ")} without a project tag condition`)];
      }),
    ),
};
