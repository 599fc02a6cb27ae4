import { statementLabel } from "../../iam-statements";
import { Rule } from "../../types";
import { violation } from "../../values";
import { allowStatements, trustPolicies } from "./policies";

/**
 * Service principals that assume a role without confused-deputy context: the Lambda guide says
 * aws:SourceArn only applies where the function is the target resource, not to its execution role.
 */
export const SERVICES_WITHOUT_SOURCE_CONTEXT = ["lambda.amazonaws.com"] as const;

const SOURCE_KEYS = ["aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid"];

export const iamServiceTrustSource: Rule = {
  id: "BG-IAM-014",
  area: "iam",
  title: "Service trusts carry a source condition",
  check:
    "A trust statement for a service principal has an aws:SourceAccount, aws:SourceArn or aws:SourceOrgID condition (Lambda execution roles excepted: Lambda sends no source context).",
  rationale: "Without a source condition, the service may assume the role on behalf of anyone's resource (the confused deputy).",
  source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html#cross-service-confused-deputy-prevention",
  fix: "Add StringEquals aws:SourceAccount = <account> and, where the service sends it, ArnLike aws:SourceArn = <the resource that uses the role>.",
  evaluate: (ctx) =>
    trustPolicies(ctx).flatMap((use) =>
      allowStatements(use).flatMap(({ statement, index }) => {
        const services = statement.principals
          .filter((p) => p.type === "Service")
          .flatMap((p) => p.identifiers)
          .filter((service) => !(SERVICES_WITHOUT_SOURCE_CONTEXT as readonly string[]).includes(service));
        if (services.length === 0) return [];
        const sourced = statement.conditions.some((c) => SOURCE_KEYS.includes(c.variable.toLowerCase()) && c.values.length > 0 && !c.values.includes("*"));
        return sourced ? [] : [violation(use.resource, `${statementLabel(statement, index)} trusts ${services.join(", ")} without aws:SourceAccount or aws:SourceArn`)];
      }),
    ),
};
