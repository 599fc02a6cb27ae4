import { actionMatches, statementLabel } from "../../iam-statements";
import { IamStatement, Rule } from "../../types";
import { violation } from "../../values";
import { allowStatements, identityPolicies } from "./policies";

/**
 * EC2 creates and the existing resources each one also acts on (the Service Authorization Reference lists them as
 * resource types of the action): a request tag says nothing about these. A test checks the table against AWS's catalogue.
 */
export const EC2_CREATE_PARENTS: Readonly<Record<string, readonly string[]>> = {
  "ec2:CreateVpc": ["ipam-pool", "ipv6pool-ec2"],
  "ec2:AllocateAddress": ["ipam-pool", "ipv4pool-ec2"],
  "ec2:CreateSubnet": ["ipam-pool", "vpc"],
  "ec2:CreateSecurityGroup": ["vpc"],
  "ec2:AuthorizeSecurityGroupIngress": ["security-group"],
  "ec2:AuthorizeSecurityGroupEgress": ["security-group"],
  "ec2:CreateRouteTable": ["vpc"],
  "ec2:CreateNatGateway": ["elastic-ip", "subnet", "vpc"],
  "ec2:CreateFlowLogs": ["natgateway", "network-interface", "subnet", "transit-gateway", "transit-gateway-attachment", "vpc"],
  "ec2:CreateNetworkInterface": ["security-group", "subnet"],
};

/**
 * KMS authorizes the tags of CreateKey as kms:TagResource and requires that permission "in an IAM policy that isn't
 * restricted to particular KMS keys" (https://docs.aws.amazon.com/kms/latest/developerguide/tag-permissions.html): no
 * condition tells it from tagging an existing key, so the rule cannot ask for one. docs/security.md names the
 * organization policy that closes it.
 */
export const TAG_ON_CREATE_ONLY_AS_TAGGING = ["kms:TagResource"] as const;

const conditioned = (statement: IamStatement, pattern: RegExp) => statement.conditions.some((c) => pattern.test(c.variable));
const grants = (statement: IamStatement, action: string) => statement.actions.some((pattern) => actionMatches(pattern, action));

/** Tagging actions the statement grants (by name or wildcard), checked on the services its actions name. */
function taggingActions(statement: IamStatement): string[] {
  const services = [...new Set(statement.actions.map((action) => (action === "*" ? "*" : action.split(":")[0])))];
  const candidates = services.flatMap((service) =>
    service === "ec2" ? ["ec2:CreateTags"] : service === "*" ? ["ec2:CreateTags", "*:TagResource"] : [`${service}:TagResource`, `${service}:TagResources`],
  );
  return candidates.filter((action) => statement.actions.some((pattern) => pattern === action || actionMatches(pattern, action)));
}

/** Does an EC2 resource pattern (`*`, `arn:aws:ec2:<region>:<account>:*`, `...:vpc/*`) cover resources of `type`? */
function coversType(resource: string, type: string): boolean {
  if (resource === "*") return true;
  const parts = resource.replace(/\$\{[^}]*\}/g, "TOKEN").split(":");
  if (parts.length < 6 || !/^(ec2|\*)$/.test(parts[2])) return false;
  const pattern = parts.slice(5).join(":").replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${pattern}$`).test(`${type}/x-0123456789abcdef0`);
}

export const iamTagAsOwnership: Rule = {
  id: "BG-IAM-016",
  area: "iam",
  title: "A request tag is no ownership of existing resources",
  check:
    "An Allow whose only scope is aws:RequestTag (no aws:ResourceTag) grants no tagging action (ec2:CreateTags without ec2:CreateAction, <service>:TagResource) " +
    "and names no resource an EC2 create takes as an existing parent (the VPC of CreateSubnet, the security group of AuthorizeSecurityGroupIngress...). " +
    "kms:TagResource is the documented exception: KMS cannot tell CreateKey's tags from tagging a key.",
  rationale:
    "aws:RequestTag is about the tags in the request, and applies to every resource of it: such a statement lets a role tag another team's resource " +
    "into the project (and then manage it by aws:ResourceTag), or create inside another team's VPC or security group.",
  source: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html",
  fix: "Tag only at create (ec2:CreateTags with ec2:CreateAction; create APIs that take tags); give each create statement only the resource types it creates, and its parents a statement with aws:ResourceTag.",
  evaluate: (ctx) =>
    identityPolicies(ctx).flatMap((use) =>
      allowStatements(use).flatMap(({ statement, index }) => {
        if (!conditioned(statement, /^aws:RequestTag\//i) || conditioned(statement, /^(aws|ec2):ResourceTag\//i)) return [];
        const createOnly = conditioned(statement, /^ec2:CreateAction$/i);
        const tagging = taggingActions(statement).filter(
          (action) => !(createOnly && action === "ec2:CreateTags") && !(TAG_ON_CREATE_ONLY_AS_TAGGING as readonly string[]).includes(action),
        );
        const parents = Object.entries(EC2_CREATE_PARENTS)
          .filter(([action]) => grants(statement, action))
          .flatMap(([action, types]) =>
            types
              .filter((type) => statement.resources.some((resource) => coversType(resource, type)))
              .map((type) => `${action} on an existing ${type}`),
          );
        const problems = [...tagging.map((action) => `${action} on existing resources`), ...parents];
        return problems.length === 0 ? [] : [violation(use.resource, `${statementLabel(statement, index)} is scoped by aws:RequestTag only, yet allows ${problems.join(", ")}`)];
      }),
    ),
};
