import { actionMatches, statementLabel } from "../../iam-statements";
import { IamStatement, Rule } from "../../types";
import { violation } from "../../values";
import { allowStatements, identityPolicies } from "../iam/policies";
import { companionStatements } from "../iam/role-policy-sets";

const CREATE_INTERFACE = "ec2:CreateNetworkInterface";
/** Keys that say which network an interface goes into (the subnet's and security group's resource conditions). */
const NETWORK_KEY = /^(ec2:Vpc|ec2:Subnet|ec2:SubnetID|ec2:SecurityGroupID|aws:ResourceTag\/.+|ec2:ResourceTag\/.+)$/i;

/** Resources of a statement that reach every subnet or security group (`*`, `...:*`, `...:subnet/*`, `...:security-group/*`). */
function anyNetwork(statement: IamStatement): string[] {
  return statement.resources.filter((resource) => {
    if (resource === "*") return true;
    const rest = resource.replace(/\$\{[^}]*\}/g, "TOKEN").split(":").slice(5).join(":");
    return /^(\*|subnet\/\*|security-group\/\*)$/.test(rest);
  });
}

const networkScoped = (statement: IamStatement, tests: RegExp) => statement.conditions.some((c) => NETWORK_KEY.test(c.variable) && tests.test(c.test));
/** A Deny that applies outside a network and nowhere else is conditioned on nothing but negated network keys (a `Null` test, say, would exempt untagged subnets). */
const fencesOutside = (statement: IamStatement) =>
  statement.conditions.length > 0 && statement.conditions.every((c) => NETWORK_KEY.test(c.variable) && /^(Arn|String)Not(Equals|Like)(IgnoreCase)?$/.test(c.test));

export const lambdaVpcInterfacesScoped: Rule = {
  id: "BG-LMB-004",
  area: "lambda",
  title: "Network interfaces (a VPC function's attachment) only in a named network",
  check:
    "An Allow of ec2:CreateNetworkInterface (or a wildcard covering it) on every subnet or security group (`*`, `subnet/*`, `security-group/*`) carries a network condition " +
    "(ec2:Vpc, ec2:Subnet, ec2:SubnetID, ec2:SecurityGroupID, a resource tag), or the role's policies deny it outside one (a Deny with a negated network condition).",
  rationale:
    "Lambda attaches a VPC function with its execution role's ec2:CreateNetworkInterface: unscoped, a function the role runs (placed by whoever may create functions) reaches any VPC of the account.",
  source: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html",
  fix: "Grant ec2:CreateNetworkInterface on the project's subnet and security group ARNs, or condition it on the project tag or ec2:Vpc; or add a Deny with ArnNotEquals ec2:Vpc.",
  evaluate: (ctx) =>
    identityPolicies(ctx).flatMap((use) =>
      allowStatements(use).flatMap(({ statement, index }) => {
        if (!statement.actions.some((pattern) => actionMatches(pattern, CREATE_INTERFACE))) return [];
        const wide = anyNetwork(statement);
        if (wide.length === 0 || networkScoped(statement, /^(Arn|String)(Equals|Like)(IgnoreCase)?$/)) return [];
        const fenced = companionStatements(ctx, use).every((statements) =>
          statements.some(
            (s) => s.effect === "Deny" && s.actions.some((pattern) => actionMatches(pattern, CREATE_INTERFACE)) && fencesOutside(s),
          ),
        );
        return fenced ? [] : [violation(use.resource, `${statementLabel(statement, index)} allows ${CREATE_INTERFACE} in any subnet and security group (${wide.join(", ")})`)];
      }),
    ),
};
